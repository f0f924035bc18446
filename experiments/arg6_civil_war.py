"""Civil war (Bonesh 2023): the resistance, the power vacuum and IS-K.

A stronger armed resistance means civil war; civil war leaves a vacuum IS-K fills (EER:17,
EER:18; Ali 2024, ALI:83). Exclusion feeds the resistance.
"""

from sim.analysis.experiments import Argument, Effect, main

ARGUMENT = Argument(
    name="arg6_civil_war",
    title="6. Civil war, the power vacuum and IS-K",
    source="Bonesh (2023), EER:17, EER:18, EER:33; Ali (2024), ALI:81, ALI:83",
    question="Does civil war (a stronger resistance, fed by exclusion) open a vacuum that IS-K fills?",
    levers={"resistance.initial_fighters": (2500.0, 20000.0), "policy.inclusion": (0.0, 0.8)},
    outcomes=("civil_war", "isk_fighters", "isk_provinces", "resistance_fighters", "taliban_fighters"),
    effects=(
        Effect("A stronger resistance means civil war", "resistance.initial_fighters", "civil_war", "higher",
               "Bonesh 2023 (EER:18)"),
        Effect("Civil war helps IS-K grow", "resistance.initial_fighters", "isk_fighters", "higher",
               "Ali 2024 (ALI:83); Bonesh 2023 (EER:18)"),
        Effect("Civil war spreads IS-K to more provinces", "resistance.initial_fighters", "isk_provinces", "higher",
               "Bonesh 2023 (EER:18)"),
        Effect("Civil war endangers the regime", "resistance.initial_fighters", "survived", "lower",
               "Ali 2024 (ALI:83)"),
        Effect("Inclusion lowers the risk of civil war", "policy.inclusion", "civil_war", "lower",
               "Bonesh 2023 (EER:18)"),
    ),
    hoped_for="isk_fighters_final <= {isk_fighters_final:p25}",
    hoped_for_text="IS-K stays weakest (the bottom quarter of runs)",
    claims=("M17-isk", "M17-civil-war"),
)

if __name__ == "__main__":
    raise SystemExit(main(ARGUMENT))
