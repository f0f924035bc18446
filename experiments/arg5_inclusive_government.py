"""Ali's conclusion (ALI:275): an inclusive national government against the documented path, over ten years.

Inclusion would bring legitimacy, engagement and recognition and help the regime tackle
IS-K (ALI:275b); exclusion risks civil war, whose vacuum IS-K fills (ALI:81b, EER:18).
Moderation is the second lever, since the West ties engagement to both.
"""

from sim.analysis.experiments import Argument, Effect, main

ARGUMENT = Argument(
    name="arg5_inclusive_government",
    title="5. Ali's conclusion: an inclusive national government",
    source="Ali (2024), ALI:81b, ALI:275, ALI:275b; Bonesh (2023), EER:18",
    question="Over ten years, does an inclusive national government serve the regime better than the documented "
             "path (inclusion 0.1, no moderation)?",
    levers={"policy.inclusion": (0.1, 1.0), "policy.moderation": (0.0, 1.0)},
    outcomes=("civil_war", "resistance_fighters", "isk_fighters", "recognition", "regime_cohesion"),
    effects=(
        Effect("Inclusion lowers the risk of civil war", "policy.inclusion", "civil_war", "lower",
               "Ali 2024 (ALI:81b); Bonesh 2023 (EER:18)"),
        Effect("Inclusion brings recognition", "policy.inclusion", "recognition", "higher", "Ali 2024 (ALI:275b)"),
        Effect("Inclusion helps the regime tackle IS-K", "policy.inclusion", "isk_fighters", "lower",
               "Ali 2024 (ALI:275b)"),
        Effect("Inclusion weakens the armed resistance", "policy.inclusion", "resistance_fighters", "lower",
               "Ali 2024 (ALI:81b)"),
        Effect("Inclusion helps the regime survive", "policy.inclusion", "survived", "higher", "Ali 2024 (ALI:275)"),
    ),
    hoped_for="survived and civil_war_final <= {civil_war_final:median} and "
              "isk_fighters_final <= {isk_fighters_final:median}",
    hoped_for_text="the regime does well: it survives with civil war and IS-K both at or below their median",
    claims=("M17-civil-war", "M17-resistance"),
)

if __name__ == "__main__":
    raise SystemExit(main(ARGUMENT))
