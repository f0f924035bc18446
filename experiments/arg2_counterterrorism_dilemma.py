"""The counter-terrorism dilemma (Ali 2024; Asia Times 2021): action against the TTP and Al-Qaeda,
and cooperation with foreign powers, against defections, recognition and Pakistan's response.

Acting against the allied groups and cooperating with foreign powers would buy engagement
(Pakistan's above all), but pushes the allies' fighters and hard-line Taliban to IS-K.
"""

from sim.analysis.experiments import Argument, Effect, main

ARGUMENT = Argument(
    name="arg2_counterterrorism_dilemma",
    title="2. The counter-terrorism dilemma",
    source="Ali (2024), ALI:192, ALI:231b, ALI:257b, ALI:259; Asia Times (2021), ATI:47, ATI:53",
    question="Does acting against allied groups and cooperating with foreign powers cost the regime more in "
             "defections than it gains in recognition and in Pakistan's goodwill?",
    levers={"policy.action_against_allies": (0.0, 1.0), "policy.foreign_cooperation": (0.0, 1.0)},
    outcomes=("defections_allies_to_isk", "defections_taliban_to_isk", "recognition", "pakistan_engagement",
              "ttp_attacks_pakistan", "regime_cohesion"),
    effects=(
        Effect("Action against allied groups drives their fighters to IS-K", "policy.action_against_allies",
               "defections_allies_to_isk", "higher", "Ali 2024 (ALI:257, ALI:257b)"),
        Effect("Action against the TTP splits the Taliban (cohesion falls)", "policy.action_against_allies",
               "regime_cohesion", "lower", "Ali 2024 (ALI:259)"),
        Effect("Action against the TTP wins Pakistan's engagement", "policy.action_against_allies",
               "pakistan_engagement", "higher", "Ali 2024 (ALI:192); Asia Times 2021 (ATI:53)"),
        Effect("Action against the TTP lowers its attacks in Pakistan", "policy.action_against_allies",
               "ttp_attacks_pakistan", "lower", "Ali 2024 (ALI:29)"),
        Effect("Cooperation with foreign powers pushes Taliban fighters to IS-K", "policy.foreign_cooperation",
               "defections_taliban_to_isk", "higher", "Ali 2024 (ALI:231b, ALI:243b)"),
        Effect("Cooperation with foreign powers brings recognition", "policy.foreign_cooperation", "recognition",
               "higher", "Asia Times 2021 (ATI:53)"),
    ),
    hoped_for="survived and recognition_final >= {recognition_final:median} and "
              "defections_taliban_to_isk_mean <= {defections_taliban_to_isk_mean:median}",
    hoped_for_text="counter-terrorism pays: the regime survives, recognition is above the median and Taliban "
                   "defections to IS-K below it",
    claims=("M3", "M4"),
)

if __name__ == "__main__":
    raise SystemExit(main(ARGUMENT))
