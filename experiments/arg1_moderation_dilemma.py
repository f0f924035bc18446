"""The moderation dilemma (Ali 2024): survival and IS-K's strength across moderation and economic relief.

Is there a region where moderating is safe, and where? Moderation (girls' education, women's
work) is what the West asks for aid and recognition, but it pushes hard-line fighters to
IS-K; sanctions relief is the West's side of the bargain.
"""

from sim.analysis.experiments import Argument, Effect, main

ARGUMENT = Argument(
    name="arg1_moderation_dilemma",
    title="1. The moderation dilemma",
    source="Ali (2024), ALI:103, ALI:148, ALI:263, ALI:273",
    question="Is there a region of moderation and sanctions relief where moderating is safe for the regime, "
             "and where is it?",
    levers={"policy.moderation": (0.0, 1.0), "external.sanctions": (0.0, 1.0)},
    outcomes=("isk_fighters", "taliban_fighters", "defections_taliban_to_isk", "aid", "poverty_rate"),
    effects=(
        Effect("Moderation pushes hard-line Taliban fighters to IS-K", "policy.moderation",
               "defections_taliban_to_isk", "higher", "Ali 2024 (ALI:148, ALI:273)"),
        Effect("Moderation brings aid", "policy.moderation", "aid", "higher", "Ali 2024 (ALI:83b, ALI:263)"),
        Effect("Moderation strengthens IS-K", "policy.moderation", "isk_fighters", "higher",
               "Ali 2024 (ALI:103)"),
        Effect("Moderation endangers the regime's survival", "policy.moderation", "survived", "lower",
               "Ali 2024 (ALI:103, ALI:273)"),
        Effect("Sanctions deepen poverty", "external.sanctions", "poverty_rate", "higher", "TRT World 2022 (TRT:59)"),
    ),
    hoped_for="survived and isk_fighters_final <= {isk_fighters_final:median}",
    hoped_for_text="moderating is safe: the regime survives and IS-K ends no stronger than in the median run",
    claims=("M1", "M2-aid", "M2-recognition"),
)

if __name__ == "__main__":
    raise SystemExit(main(ARGUMENT))
