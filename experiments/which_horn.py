"""Which horn of the dilemma is worse? Where moderating is the safer course, and where the hard line is.

For each point of a Latin-hypercube sample of the assumptions that weigh the two horns (what moderation
costs with the hard-liners and IS-K, what the hard line costs in aid, pay and donors' rewards, and how much
disloyalty weighs in the commanders' doubts; see ``ASSUMPTIONS``), the regime is run twice on
the same replicate seeds from August 2021: under the hard line (moderation 0) and moderating (moderation
1), the courses differing in moderation alone (inclusion, the crackdown and the other levers as the
baseline schedules them: the dilemma is moderation's, and inclusion has its own benefits, see the
inclusive_government experiment), each assumption from zero to twice its default within its allowed
range (or, with ``--allowed``, over the whole range), everything else as in the baseline (the donors
answer the record as their rules say).
A point where more replicates survive moderating than under the hard line is one where moderating is the
safer course, and the reverse. PRIM (:mod:`sim.analysis.discovery`, the engine of ``regime-sim discover``)
then finds the box of assumptions where each holds.

A member x seed design: each point of the sample is a parameter set (a member), and every course at every
point runs on the same replicate seeds. The survival difference between the courses (moderating minus the
hard line, one paired difference per point and seed) is reported with a 95% interval from a bootstrap
clustered by point (a point's seeds resampled together, :func:`sim.analysis.effects.paired`), and its
variance split into a parametric part (between points) and a chance part (between the seeds of one point)
by :func:`sim.analysis.effects.decompose`, with a flag when its sign changes across points. The baseline
draws its other calibrated parameters from the ensemble by seed, so replicate r runs the same ensemble
member at every point and in both courses: that draw is in the chance part.

    python experiments/which_horn.py --points 96 --replicates 4 --scale 0.1 --out results/which_horn

Writes points.csv (one row per point: the assumptions, survival under each course, the difference),
which_horn.json (the counts, the boxes, the rank correlations and the survival difference with its
parametric and chance variance), and for each course a discovery folder (trajectory.csv, discovery.json,
the trade-off curve, the box).
"""

from __future__ import annotations

import argparse
import json
import sys
from concurrent.futures import ProcessPoolExecutor
from contextlib import nullcontext
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.stats import qmc, spearmanr

import sim
from sim.runs.outputs import command_line, git
from sim.analysis import discovery, effects
from sim.model.params import SPEC_BY_NAME, Parameters

ASSUMPTIONS = (
    # what moderation costs: how much the hard-liners mind it (ALI:148), how much policy weighs in a faction's
    # loyalty, how readily hard-line fighters defect over it (M1), how much IS-K's propaganda makes of it (M11)
    "factions.moderation_weight", "factions.policy_weight", "fighters.moderation_grievance",
    "recruitment.propaganda_moderation",
    # what the hard line costs: how much the economy and the budget lean on aid (EER), how much donors reward a
    # record of moderation (M5), how much unpaid wages weigh in the commanders' doubts (Weinstein 2007)
    "economy.aid_dependence", "economy.budget_support_share", "donors.moderation_weight", "survival.pay_weight",
    # both: how much a faction's disloyalty weighs in its commanders' doubts
    "survival.loyalty_weight")
COURSES = {"hard line": {"policy.moderation": 0.0}, "moderating": {"policy.moderation": 1.0}}


def ranges(spread: float | None = 1.0) -> dict[str, tuple[float, float]]:
    """Each assumption's default plus or minus ``spread``, within its allowed range (the whole allowed
    range, as ``regime-sim params`` documents it, when ``spread`` is None)."""
    defaults = Parameters()
    out = {}
    for name in ASSUMPTIONS:
        spec, value = SPEC_BY_NAME[name], float(defaults[name])
        out[name] = (spec.low, spec.high) if spread is None else \
            (max(spec.low, value * (1 - spread)), min(spec.high, value * (1 + spread)))
    return out


def deciding(points: pd.DataFrame) -> dict[str, dict[str, float]]:
    """Each assumption's Spearman rank correlation with moderating's advantage in survival, and its p-value:
    which assumptions decide which horn is worse (positive: the larger it is, the safer moderating)."""
    out = {}
    for name in ASSUMPTIONS:
        rho, p = spearmanr(points[name], points["moderating_minus_hard_line"])
        out[name] = {"rho": round(float(rho), 3), "p": float(f"{p:.3g}")}
    return dict(sorted(out.items(), key=lambda item: -abs(item[1]["rho"])))


def survival(args) -> tuple[int, str, np.ndarray, list]:
    """One course at one point: whether each replicate's regime stood (1) or fell (0), in replicate order, and
    the ensemble member each replicate drew (None without an ensemble)."""
    index, course, point, replicates, scale, months, seed = args
    table = sim.load("baseline").set({**point, **COURSES[course]}, scale=scale, months=months,
                                     seed=seed).run(replicates=replicates)
    ends = sim.endings(table).sort_values("replicate")
    members = ends["ensemble_member"].tolist() if "ensemble_member" in ends else [None] * len(ends)
    return index, course, 1.0 - ends["fell"].to_numpy(dtype=float), members


def difference(hard_line: np.ndarray, moderating: np.ndarray, seed: int = 0) -> dict:
    """Moderating's advantage in survival (points x replicates of 0/1, paired by seed): its mean with a 95%
    interval from a bootstrap clustered by point, and its variance split into parametric (between points)
    and chance (between a point's seeds) parts (:mod:`sim.analysis.effects`)."""
    hard_line, moderating = np.atleast_2d(hard_line).astype(float), np.atleast_2d(moderating).astype(float)
    diffs = moderating - hard_line
    points = np.repeat(np.arange(diffs.shape[0]), diffs.shape[1])
    found = effects.paired(effects.clustered(diffs.ravel(), points), (hard_line, moderating), seed,
                           statistic="mean")
    variance = effects.decompose(diffs.ravel(), points, centre=found.estimate)
    out = {"estimate": found.estimate, "ci_low": found.low, "ci_high": found.high,
            "interval": "95% percentile bootstrap, the points resampled (a point's seeds together)",
            "points": int(diffs.shape[0]), "seeds_per_point": int(diffs.shape[1]),
            **variance.as_row(), "parametric_sd": float(np.sqrt(variance.parametric)),
            "chance_sd": float(np.sqrt(variance.chance)), "in_words": f"{found.text()}; {variance.text()}",
            "note": "members are the sample's points (parameter sets); chance is between the seeds of one point "
                    "(each seed also draws the baseline's other calibrated parameters from its ensemble, the "
                    "same member at every point and in both courses)"}
    # JSON has no NaN: a quantity that cannot be computed (one seed, one point) is null
    return {k: (None if isinstance(v, float) and not np.isfinite(v) else
                bool(v) if isinstance(v, np.bool_) else v) for k, v in out.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--points", type=int, default=96)
    parser.add_argument("--replicates", type=int, default=4)
    parser.add_argument("--scale", type=float, default=0.1)
    parser.add_argument("--months", type=int, default=120)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--spread", type=float, default=1.0,
                        help="each assumption over its default x (1 -/+ this), within its allowed range (default 1)")
    parser.add_argument("--allowed", action="store_true",
                        help="each assumption over its whole allowed range (regime-sim params), not --spread")
    parser.add_argument("--out", type=Path, default=Path("results") / "which_horn")
    args = parser.parse_args(argv)
    bounds = ranges(None if args.allowed else args.spread)
    unit = qmc.LatinHypercube(d=len(bounds), seed=args.seed).random(args.points)
    low, high = np.array([b[0] for b in bounds.values()]), np.array([b[1] for b in bounds.values()])
    X = pd.DataFrame(low + unit * (high - low), columns=list(bounds))
    jobs = [(i, course, X.iloc[i].to_dict(), args.replicates, args.scale, args.months, args.seed)
            for i in range(len(X)) for course in COURSES]
    result = {course: np.zeros((len(X), args.replicates)) for course in COURSES}
    drawn = set()
    # one worker runs in this process; results are the same whatever the number of workers (each job's seeds)
    with ProcessPoolExecutor(args.workers) if args.workers > 1 else nullcontext() as pool:
        for done, (i, course, stood, members) in enumerate((pool.map if pool else map)(survival, jobs), 1):
            result[course][i] = stood
            drawn |= {m for m in members if m is not None}
            print(f"\r{done}/{len(jobs)} runs of {args.replicates} replicates", end="", file=sys.stderr)
    print(file=sys.stderr)
    points = X.assign(survival_hard_line=result["hard line"].mean(axis=1),
                      survival_moderating=result["moderating"].mean(axis=1))
    points["moderating_minus_hard_line"] = points["survival_moderating"] - points["survival_hard_line"]
    args.out.mkdir(parents=True, exist_ok=True)
    points.to_csv(args.out / "points.csv", index=False, float_format="%.6g")
    summary = {"points": len(X), "spread": None if args.allowed else args.spread, "replicates": args.replicates, "scale": args.scale, "months": args.months,
               "seed": args.seed, "version": sim.__version__, "git": git(), "command": command_line(), "ranges": bounds,
               "moderating_safer": int((points["moderating_minus_hard_line"] > 0).sum()),
               "hard_line_safer": int((points["moderating_minus_hard_line"] < 0).sum()),
               "no_difference": int((points["moderating_minus_hard_line"] == 0).sum()), "boxes": {},
               "rank_correlation": deciding(points),
               "parameter_sets": {"points": len(X), "ensemble_members": len(drawn),
                                  "note": f"{len(X)} points of the sample (the members of the member x seed "
                                          f"design), each on the same {args.replicates} seed(s), which draw "
                                          f"{len(drawn)} distinct member(s) of the calibrated ensemble for the "
                                          "other calibrated parameters"},
               "survival_difference": difference(result["hard line"], result["moderating"], args.seed)}
    for label, y in (("moderating_safer", points["moderating_minus_hard_line"] > 0),
                     ("hard_line_safer", points["moderating_minus_hard_line"] < 0)):
        if y.sum() < 3:
            summary["boxes"][label] = "too few points to find a box"
            continue
        found = discovery.run(X, y.to_numpy(), outcome=label)
        discovery.write(found, args.out / label)
        summary["boxes"][label] = found.box.bounded(found.full)
    (args.out / "which_horn.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    print(json.dumps({k: summary[k] for k in ("moderating_safer", "hard_line_safer", "no_difference", "boxes",
                                              "rank_correlation", "survival_difference")},
                     indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
