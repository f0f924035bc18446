"""The regime's fall as a process, measured as issue 17 asks: is survival a plateau with cliffs, and does
the hard line have a price the regime can die of?

1. The moderation x crackdown grid (5 x 5, from August 2021 on): ten-year survival per cell, the largest
   difference between neighbouring cells, the range, and the share of falls after month 24.
2. Under the hard line (moderation 0): isolation (sanctions kept, no reserves, no humanitarian aid) against
   relief (sanctions lifted, reserves released, humanitarian aid doubled), on the same replicate seeds; then
   the same pair over more replicates (--check-replicates), and isolation at other paces of the liquidity
   crisis's easing without aid dollars (economy.liquidity_pace_without_dollars, an assumption).

    python experiments/fall_process.py --replicates 4 --scale 0.25 --seed 7 --out experiments/results/fall_process

Writes fall_process.json (every number, with the settings that produced them), fall_process.md (the tables)
and survival_grid.png.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd

import sim
from sim.runs.outputs import command_line, git

LEVELS = (0.0, 0.25, 0.5, 0.75, 1.0)
ISOLATION = {"policy.moderation": 0.0, "external.sanctions": 1.0, "external.assets_released": 0.0,
             "external.humanitarian_aid": 0.0}
PACE = "economy.liquidity_pace_without_dollars"  # how fast the takeover's crisis eases without aid dollars
RELIEF = {"policy.moderation": 0.0, "external.sanctions": 0.0, "external.assets_released": 1.0,
          "external.humanitarian_aid": 2.0}


def _run(job):
    key, overrides, replicates, scale, months, seed = job
    table = sim.load("baseline").set(overrides, scale=scale, months=months, seed=seed).run(replicates=replicates)
    ends = sim.endings(table)
    members = ends["ensemble_member"].dropna().astype(int).tolist() if "ensemble_member" in ends else []
    return key, [None if pd.isna(m) else int(m) for m in ends["fall_month"]], ends["fall_cause"].dropna().tolist(), \
        members


def _members_text(cell_members: set[tuple[int, ...]], results: dict) -> str:
    """How many parameter sets (ensemble members) the grid and the paired runs map (issue 29)."""
    if not any(cell_members):
        return " (the scenario's own values: one parameter set)"
    grid = sorted({m for cell in cell_members for m in cell})
    same = "the same in every cell" if len(cell_members) == 1 else "differing between cells"
    pairs = len({m for key in ("isolation", "relief") for m in results[key][2]})
    return (f" (the replicates draw {len(grid)} distinct members of the calibrated ensemble, {same}: each cell maps "
            f"{len(grid)} parameter set(s), the isolation and relief runs {pairs})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--replicates", type=int, default=4)
    parser.add_argument("--pair-replicates", type=int, default=8, help="replicates of isolation and relief")
    parser.add_argument("--check-replicates", type=int, default=32,
                        help="replicates of the isolation-relief pair run again, to see how stable it is")
    parser.add_argument("--paces", type=float, nargs="*", default=[0.25, 0.75, 1.0],
                        help="other values of economy.liquidity_pace_without_dollars to run isolation at")
    parser.add_argument("--scale", type=float, default=0.25)
    parser.add_argument("--months", type=int, default=120)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", type=Path, default=Path("results") / "fall_process")
    parser.add_argument("--set", nargs="*", default=[], metavar="KEY=VALUE", help="parameters for every run")
    args = parser.parse_args(argv)
    extra = {k: float(v) for k, v in (a.split("=") for a in args.set)}
    jobs = [((m, c), {"policy.moderation": m, "policy.crackdown_isk": c, **extra}, args.replicates, args.scale, args.months,
             args.seed) for m, c in itertools.product(LEVELS, LEVELS)]
    jobs += [(name, {**arm, **extra}, args.pair_replicates, args.scale, args.months, args.seed)
             for name, arm in (("isolation", ISOLATION), ("relief", RELIEF))]
    jobs += [((name, "check"), {**arm, **extra}, args.check_replicates, args.scale, args.months, args.seed)
             for name, arm in (("isolation", ISOLATION), ("relief", RELIEF))]
    jobs += [(("isolation", pace), {**ISOLATION, **extra, PACE: pace},
              args.pair_replicates, args.scale, args.months, args.seed) for pace in args.paces]
    results = {}
    with ProcessPoolExecutor(args.workers) as pool:
        for done, (key, falls, causes, members) in enumerate(pool.map(_run, jobs), 1):
            results[key] = (falls, causes, members)
            print(f"\r{done}/{len(jobs)} cells", end="", file=sys.stderr)
    print(file=sys.stderr)
    grid = pd.DataFrame(index=pd.Index(LEVELS, name="moderation"), columns=pd.Index(LEVELS, name="crackdown_isk"),
                        dtype=float)
    falls, causes, cell_members = [], [], set()
    for (m, c) in itertools.product(LEVELS, LEVELS):
        months, why, drawn = results[(m, c)]
        cell_members.add(tuple(sorted(set(drawn))))
        grid.loc[m, c] = sum(x is None for x in months) / len(months)
        falls += [x for x in months if x is not None]
        causes += why
    values = grid.to_numpy()
    neighbour = max(np.abs(np.diff(values, axis=0)).max(), np.abs(np.diff(values, axis=1)).max())
    def standing(key) -> float:
        return sum(x is None for x in results[key][0]) / len(results[key][0])

    survival = {k: standing(k) for k in ("isolation", "relief")}
    check = {k: standing((k, "check")) for k in ("isolation", "relief")}
    by_pace = {f"{pace:g}": standing(("isolation", pace)) for pace in args.paces}
    baseline = sim.load("baseline")
    ensemble = baseline.ensemble()
    if PACE in extra:
        pace_note = f"set to {extra[PACE]:g} elsewhere"
    elif ensemble is not None and PACE in ensemble.names:
        drawn = [m[PACE] for m in ensemble.members]
        pace_note = f"elsewhere drawn by each replicate from the ensemble, {min(drawn):.2g} to {max(drawn):.2g}"
    else:
        pace_note = f"default {baseline.params[PACE]:g}"
    summary = {
        "settings": {"replicates": args.replicates, "pair_replicates": args.pair_replicates,
                     "check_replicates": args.check_replicates, "scale": args.scale, "months": args.months,
                     "seed": args.seed, "set": extra, "version": sim.__version__, "git": git(),
                     "command": command_line()},
        "grid_members": sorted({m for cell in cell_members for m in cell}),
        "grid_survival": {f"{m:g}": {f"{c:g}": float(grid.loc[m, c]) for c in LEVELS} for m in LEVELS},
        "largest_neighbour_difference": float(neighbour),
        "survival_range": float(values.max() - values.min()),
        "falls": len(falls), "share_of_falls_after_month_24": float(np.mean(np.array(falls) > 24)) if falls else None,
        "median_fall_month": float(np.median(falls)) if falls else None,
        "causes": pd.Series(causes, dtype=object).value_counts().to_dict(),
        "hard_line_isolation_survival": survival["isolation"], "hard_line_relief_survival": survival["relief"],
        "relief_minus_isolation": survival["relief"] - survival["isolation"],
        "isolation_falls": results["isolation"][0], "relief_falls": results["relief"][0],
        "isolation_causes": results["isolation"][1],
        "check": {"isolation_survival": check["isolation"], "relief_survival": check["relief"],
                  "relief_minus_isolation": check["relief"] - check["isolation"]},
        "isolation_survival_by_liquidity_pace": by_pace,
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "fall_process.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    lines = ["Ten-year survival, moderation (rows) x crackdown on IS-K (columns), "
             f"{args.replicates} replicates per cell, {args.scale:g} of the fighters, seed {args.seed}"
             + _members_text(cell_members, results) + ":", "",
             "| moderation | " + " | ".join(f"crackdown {c:g}" for c in LEVELS) + " |",
             "|---|" + "---|" * len(LEVELS)]
    lines += [f"| {m:g} | " + " | ".join(f"{grid.loc[m, c]:.2f}" for c in LEVELS) + " |" for m in LEVELS]
    lines += ["", f"Largest difference between neighbouring cells {neighbour:.2f}; survival ranges over "
              f"{summary['survival_range']:.2f}; {len(falls)} falls, "
              + (f"{summary['share_of_falls_after_month_24']:.0%} after month 24 (median month "
                 f"{summary['median_fall_month']:.0f})." if falls else "none."),
              "", f"Under the hard line, {args.pair_replicates} replicates each: isolation "
              f"{survival['isolation']:.2f}, relief {survival['relief']:.2f} (difference "
              f"{summary['relief_minus_isolation']:+.2f}); over {args.check_replicates} replicates each: "
              f"isolation {check['isolation']:.2f}, relief {check['relief']:.2f} (difference "
              f"{check['relief'] - check['isolation']:+.2f})."]
    if by_pace:
        lines += ["", "Isolation's survival with the pace at which the takeover's liquidity crisis eases without aid "
                  f"dollars fixed (`economy.liquidity_pace_without_dollars`, {pace_note}; 1: as fast as with them), "
                  f"{args.pair_replicates} replicates each: "
                  + "; ".join(f"{p} {v:.2f}" for p, v in by_pace.items()) + "."]
    (args.out / "fall_process.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(4.8, 3.8), layout="constrained")
    image = ax.imshow(values, origin="lower", vmin=0, vmax=1, cmap="viridis")
    ax.set_xticks(range(len(LEVELS)), [f"{c:g}" for c in LEVELS])
    ax.set_yticks(range(len(LEVELS)), [f"{m:g}" for m in LEVELS])
    ax.set_xlabel("crackdown on IS-K")
    ax.set_ylabel("moderation")
    for i, j in itertools.product(range(len(LEVELS)), repeat=2):
        ax.text(j, i, f"{values[i, j]:.2f}", ha="center", va="center", color="w" if values[i, j] < 0.6 else "k",
                fontsize=8)
    fig.colorbar(image, label="share surviving ten years")
    ax.set_title(f"Ten-year survival ({args.replicates} replicates per cell, scale {args.scale:g})", fontsize=8)
    fig.savefig(args.out / "survival_grid.png", dpi=150)
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
