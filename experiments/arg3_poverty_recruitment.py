"""Recruitment under poverty (TRT World 2022; Bonesh 2023): sanctions, frozen assets and aid against
IS-K's recruitment, and how much of IS-K's growth is economic and how much ideological.
"""

import numpy as np

from sim.analysis.experiments import Argument, Effect, main


def decomposition(ctx) -> list[str]:
    """IS-K's recruits with the economic or the ideological channel switched off, on the same seeds,
    at the documented sanctions and with sanctions lifted."""
    points = [{"external.sanctions": s, "recruitment.economic_rate": e, "recruitment.ideological_rate": i}
              for s in (1.0, 0.0) for e, i in ((None, None), (0.0, None), (None, 0.0))]
    base = ctx.runner.params
    points = [{k: (base[k] if v is None else v) for k, v in p.items()} for p in points]
    recruits = ctx.runner("decomposition", points, ctx.size.replicates, ("isk_recruits",))["isk_recruits"]
    lines = []
    for k, label in ((0, "at the documented sanctions"), (3, "with sanctions lifted")):
        total, no_economic, no_ideological = (np.nanmean(recruits[k + j]) for j in range(3))
        if total > 0:
            lines.append(f"- {label.capitalize()}: IS-K recruits {total:,.1f} people a month on average; switching "
                         f"off economic recruitment removes {1 - no_economic / total:.0%} of them, switching off "
                         f"ideological recruitment {1 - no_ideological / total:.0%} (the rest come from the other "
                         "channel and from abroad; the shares need not add up to 100%).")
        else:
            lines.append(f"- {label.capitalize()}: IS-K recruits nobody in these runs.")
    return ["How much of IS-K's recruitment is economic and how much ideological (paired runs at the "
            "scenario's other settings):", "", *lines]


ARGUMENT = Argument(
    name="arg3_poverty_recruitment",
    title="3. Recruitment under poverty",
    source="TRT World (2022), TRT:57, TRT:57b, TRT:59, TRT:61, TRT:65; Bonesh (2023), EER:13c, EER:15, EER:16",
    question="Do sanctions, frozen assets and too little aid feed IS-K's recruitment, and how much of its growth "
             "is economic rather than ideological?",
    levers={"external.sanctions": (0.0, 1.0), "external.assets_released": (0.0, 1.0),
            "external.humanitarian_aid": (0.5, 2.0)},
    outcomes=("isk_recruits", "isk_fighters", "poverty_rate", "people_in_need"),
    effects=(
        Effect("Sanctions raise IS-K recruitment", "external.sanctions", "isk_recruits", "higher",
               "TRT World 2022 (TRT:57, TRT:57b)"),
        Effect("Sanctions deepen poverty", "external.sanctions", "poverty_rate", "higher", "TRT World 2022 (TRT:59)"),
        Effect("Releasing the frozen assets lowers poverty", "external.assets_released", "poverty_rate", "lower",
               "TRT World 2022 (TRT:61)"),
        Effect("Releasing the frozen assets lowers IS-K recruitment", "external.assets_released", "isk_recruits",
               "lower", "TRT World 2022 (TRT:61, TRT:65)"),
        Effect("Humanitarian aid lowers IS-K recruitment", "external.humanitarian_aid", "isk_recruits", "lower",
               "Bonesh 2023 (EER:15, EER:16)"),
    ),
    hoped_for="isk_recruits_mean <= {isk_recruits_mean:p25}",
    hoped_for_text="IS-K's recruitment is lowest (the bottom quarter of runs)",
    claims=("M6", "M7"),
    extra=decomposition,
)

if __name__ == "__main__":
    raise SystemExit(main(ARGUMENT))
