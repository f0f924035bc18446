"""The IS-K card (Bonesh 2023): crackdown intensity against the neighbours' engagement. Is a
weak-but-alive IS-K the regime's best position?
"""

from sim.analysis.experiments import Argument, Effect, main


def best_position(ctx) -> list[str]:
    """Where the neighbours' engagement peaks along the crackdown, and IS-K's strength there."""
    runs = ctx.runs
    by_level = runs.groupby("policy.crackdown_isk")[["regional_engagement_final", "isk_fighters_final"]].mean()
    best = by_level["regional_engagement_final"].idxmax()
    levels = list(by_level.index)
    where = ("the strongest crackdown" if best == levels[-1] else "the weakest crackdown" if best == levels[0]
             else "an intermediate crackdown")
    weakest_isk = by_level["isk_fighters_final"].idxmin()
    lines = ["The neighbours' engagement and IS-K's strength at the end of the run, by crackdown level (mean over "
             "the other lever and the replicates):", "", "| crackdown | regional engagement | IS-K fighters |",
             "|---|---|---|"]
    lines += [f"| {level:g} | {row.regional_engagement_final:.3f} | {row.isk_fighters_final:,.0f} |"
              for level, row in by_level.iterrows()]
    verdict = ("supports" if best != weakest_isk and best != levels[-1] else "does not support")
    lines += ["", f"Engagement peaks at {where} ({best:g}); IS-K is weakest at crackdown {weakest_isk:g}. The model "
                  f"therefore {verdict} the idea that keeping IS-K weak but alive is the regime's best position "
                  "with its neighbours."]
    return lines


ARGUMENT = Argument(
    name="arg4_isk_card",
    title="4. The IS-K card",
    source="Bonesh (2023), EER:11, EER:12b, EER:13; TRT World (2022), TRT:17, TRT:19; Ali (2024), ALI:128",
    question="How hard should the regime crack down on IS-K when the neighbours' engagement rests partly on their "
             "fear of it? Is a weak-but-alive IS-K the regime's best position?",
    levers={"policy.crackdown_isk": (0.1, 0.9), "neighbours.isk_card_gain": (0.0, 0.6)},
    outcomes=("isk_fighters", "regional_engagement", "isk_attacks", "salafist_alienation", "recognition"),
    effects=(
        Effect("A crackdown weakens IS-K", "policy.crackdown_isk", "isk_fighters", "lower", "Ali 2024 (ALI:128)"),
        Effect("A crackdown alienates Salafists", "policy.crackdown_isk", "salafist_alienation", "higher",
               "Bonesh 2023 (EER:22); Asia Times 2021 (ATI:45)"),
        Effect("The neighbours' fear of IS-K buys the regime engagement", "neighbours.isk_card_gain",
               "regional_engagement", "higher", "Bonesh 2023 (EER:11, EER:12b)"),
    ),
    hoped_for="survived and regional_engagement_final >= {regional_engagement_final:p75}",
    hoped_for_text="the regime is best placed: it survives with the neighbours' engagement in the top quarter of runs",
    claims=("M10-isk", "M10-alienation"),
    extra=best_position,
)

if __name__ == "__main__":
    raise SystemExit(main(ARGUMENT))
