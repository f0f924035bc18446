"""Policy corners: does policy show in stocks, not only in flows, and does it last ten years?

Runs the documented-history baseline with moderation at 0 or 1 (with inclusion following it,
the bargain donors ask for), crossed with action against the allied groups at 0 or 1, and
Western sanctions kept or lifted (``external.sanctions``; under conditional donors relief can
also be earned). Prints, for each corner, survival and the median IS-K strength, Taliban
strength and regime cohesion after 3, 5 and 10 years (over the replicates still standing then: a run ends at the
regime's fall), as a Markdown table, and writes it to
``experiments/results/policy_corners.md``.

    python experiments/policy_corners.py [--replicates 10] [--scale 0.25] [--seed 7]
"""

from __future__ import annotations

import argparse
import itertools
from pathlib import Path

from sim.runs.runner import run_replicates
from sim.runs.scenario import load

YEARS = (3, 5, 10)


def corner_table(replicates: int, scale: float, seed: int) -> tuple[str, int]:
    """The table, and how many distinct ensemble members (parameter sets) its replicates drew."""
    base = load("scenarios/baseline.toml")
    rows = ["| moderation | action against allies | sanctions | survives 10 y | "
            + " | ".join(f"IS-K {y} y" for y in YEARS) + " | " + " | ".join(f"Taliban {y} y" for y in YEARS)
            + " | cohesion 10 y |",
            "|---|---|---|---|" + "---|" * (2 * len(YEARS)) + "---|"]
    drawn: set[int] = set()
    for moderation, allies, sanctions in itertools.product((0.0, 1.0), (0.0, 1.0), (1.0, 0.0)):
        overrides = {"policy.moderation": moderation, "policy.inclusion": 0.1 + 0.7 * moderation,
                     "policy.action_against_allies": allies, "external.sanctions": sanctions}
        table, endings, _ = run_replicates(base.parameters(overrides), 120, seed, replicates, scale, progress=False,
                                           ensemble=base.ensemble)
        drawn |= {e["ensemble_member"] for e in endings if e.get("ensemble_member") is not None}
        at = {y: table[table["month"] == 12 * y - 1] for y in YEARS}  # the replicates still standing then
        cells = [f"{moderation:g}", f"{allies:g}", "lifted" if sanctions == 0 else "kept",
                 f"{1 - sum(e['fell'] for e in endings) / len(endings):.0%}"]
        cells += [f"{at[y]['isk_fighters'].median():,.0f} ({len(at[y])})" if len(at[y]) else "-" for y in YEARS]
        cells += [f"{at[y]['taliban_fighters'].median():,.0f}" if len(at[y]) else "-" for y in YEARS]
        cells.append(f"{at[10]['regime_cohesion'].median():.2f}" if len(at[10]) else "-")
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows), len(drawn)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replicates", type=int, default=10)
    parser.add_argument("--scale", type=float, default=0.25)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    text, members = corner_table(args.replicates, args.scale, args.seed)
    header = (f"Policy corners: {args.replicates} replicates of the calibrated baseline (each draws its ensemble member: "
              f"{members} distinct parameter sets, the same in every row) "
              f"at scale {args.scale:g}, seed {args.seed}; survival over all of them, the other columns medians over "
              f"the replicates still standing at that date (how many in brackets) "
              f"(`python experiments/policy_corners.py --replicates {args.replicates} --scale {args.scale:g} "
              f"--seed {args.seed}`)\n\n")
    out = Path("experiments/results/policy_corners.md")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(header + text + "\n", encoding="utf-8")
    print(header + text)


if __name__ == "__main__":
    main()
