"""Two scenarios compared on common random numbers: paired differences with intervals.

``regime-sim compare A B`` runs both scenarios with the same replicate seeds (replicate *i*
draws the same random numbers in both), so each replicate gives one paired difference B - A
per outcome, free of the seed noise the two share. Each outcome's effect is the median paired
difference (for survival, the mean: the change in its probability) with a 95% bootstrap
interval, in the outcome's units and relative to its spread (the pooled SD of the two scenarios'
replicates; :mod:`sim.analysis.effects`). An outcome that does not vary within either scenario
has no relative size and is left out of the figure.

A run ends at the regime's fall, so a fallen replicate's outcomes are taken up to its fall
(its final value is the value at the fall). Survival and the month of the fall are compared over
every pair; every other outcome only over the pairs whose two runs lasted the same months
(both stood to the end, or both fell in the same month), so that a difference never sets a value
at one side's fall against a value years later at the other's end. ``replicates`` says how many
pairs an outcome's effect rests on, and ``a_mean`` and ``b_mean`` are over those pairs.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from sim.analysis import effects
from sim.runs import run_stats

DEFAULT_OUTCOMES = ("survived", "isk_fighters", "taliban_fighters", "isk_attacks", "regime_cohesion",
                    "poverty_rate", "gdp_index")


def per_replicate(table: pd.DataFrame, endings: list[dict], names) -> pd.DataFrame:
    """One row per replicate: each named run statistic (``survived``, ``isk_fighters``, ``aid_mean``, ...),
    with the months each replicate ran in ``attrs["months_run"]``."""
    table = table.sort_values(["replicate", "month"])
    grouped = table.groupby("replicate", sort=True)
    out = pd.DataFrame(index=grouped.size().index)
    out.attrs["months_run"] = grouped.size().to_numpy()
    ends = {e["replicate"]: e for e in endings}
    for name in names:
        series, column = run_stats.split(name, "--outcome")
        if series is None:
            out[name] = [float(not ends[r]["fell"]) if column == "survived" else
                         (np.nan if ends[r]["fall_month"] is None else float(ends[r]["fall_month"]))
                         for r in out.index]
        else:
            how = column.rpartition("_")[2]
            out[name] = grouped[series].agg({"final": "last", "mean": "mean", "max": "max"}[how]).astype(float)
    return out


def compare(a: pd.DataFrame, b: pd.DataFrame, seed: int = 0) -> pd.DataFrame:
    """Per outcome: each scenario's mean, the paired effect B - A with its interval and relative size."""
    rows = []
    same = np.asarray(a.attrs["months_run"]) == np.asarray(b.attrs["months_run"])  # pairs on the same horizon
    for name in a.columns:
        kept = np.ones(len(a), bool) if name in run_stats.RUN_COLUMNS else same
        sides = (a[name][kept], b[name][kept])
        diffs = (sides[1] - sides[0]).to_numpy(float).reshape(-1, 1)  # each replicate is a unit
        found = effects.paired(diffs, sides, seed)
        rel_low, rel_high = found.relative_interval()
        rows.append({"outcome": name, "unit": unit(name), "statistic": found.statistic,
                     "a_mean": float(sides[0].mean()), "b_mean": float(sides[1].mean()),
                     "effect": found.estimate, "ci_low": found.low, "ci_high": found.high,
                     "spread": found.spread, "relative": found.relative, "relative_ci_low": rel_low,
                     "relative_ci_high": rel_high, "replicates": found.pairs,
                     "b_higher_in": float(np.mean(diffs > 0)), "b_lower_in": float(np.mean(diffs < 0))})
    return pd.DataFrame(rows)


def unit(name: str) -> str:
    from sim.model.outcomes import unit as outcome_unit

    series, column = run_stats.split(name, "--outcome")
    if series is None:
        return "probability" if column == "survived" else "months"
    return outcome_unit(series)


def lines(table: pd.DataFrame, a: str, b: str) -> list[str]:
    total = table["replicates"].max()
    out = [f"{'outcome':28s} {a[:14]:>14s} {b[:14]:>14s}   {b} - {a}: median paired difference (95% CI; relative to SD)"]
    for r in table.itertuples():
        rel = f"; {r.relative:+.2f} SD" if np.isfinite(r.relative) else ""
        what = "mean" if r.statistic == "mean" else "median"
        out.append(f"{r.outcome:28s} {effects.number(r.a_mean):>14s} {effects.number(r.b_mean):>14s}   "
                   f"{effects.number(r.effect, True)} ({effects.number(r.ci_low, True)} to "
                   f"{effects.number(r.ci_high, True)}{rel}) {r.unit}" + (" [mean]" if what == "mean" else "")
                   + (f" [{r.replicates} of {total} pairs: those that ran the same months]"
                      if r.replicates < total and r.outcome not in run_stats.RUN_COLUMNS else ""))
    return out


def figure(table: pd.DataFrame, a: str, b: str, note: str):
    """A forest plot: each outcome's paired effect relative to its spread, with its 95% interval."""
    from matplotlib.figure import Figure

    from sim.runs.sweep_plots import label, wrap

    shown = table[np.isfinite(table["relative"])].iloc[::-1]
    fig = Figure(figsize=(7.0, 1.4 + 0.5 * max(len(shown), 1)), layout="constrained")
    ax = fig.subplots()
    y = np.arange(len(shown))
    ax.errorbar(shown["relative"], y, xerr=[shown["relative"] - shown["relative_ci_low"],
                                            shown["relative_ci_high"] - shown["relative"]],
                fmt="o", color="black", ecolor="0.3", capsize=3)
    ax.axvline(0, color="0.5", lw=0.8)
    for limit in (-effects.IMPORTANT, effects.IMPORTANT):
        ax.axvline(limit, color="0.7", lw=0.8, ls=":")
    ax.set_yticks(y, [wrap(f"{label(o)}: {effects.number(e, True)} ({effects.number(lo, True)} to "
                           f"{effects.number(hi, True)}) {u}", 48)
                      for o, e, lo, hi, u in zip(shown["outcome"], shown["effect"], shown["ci_low"],
                                                 shown["ci_high"], shown["unit"])], fontsize=7)
    ax.set_xlabel(wrap(f"{b} - {a}, paired by replicate seed, in pooled standard deviations of the outcome", 80),
                  fontsize=8)
    ax.tick_params(axis="x", labelsize=8)
    ax.grid(axis="x", alpha=0.3)
    ax.set_title(wrap(f"{b} against {a}: median paired difference and 95% bootstrap interval; dotted: "
                      f"+-{effects.IMPORTANT:g} SD (practical importance); {note}", 75), fontsize=8)
    return fig


def write(out: Path, table: pd.DataFrame, a_runs: pd.DataFrame, b_runs: pd.DataFrame, a: str, b: str,
          note: str, fmt: str = "png") -> list[Path]:
    from sim.runs.outputs import write_csv

    out.mkdir(parents=True, exist_ok=True)
    months = pd.DataFrame({"months_run": a_runs.attrs["months_run"]}, index=a_runs.index), \
        pd.DataFrame({"months_run": b_runs.attrs["months_run"]}, index=b_runs.index)
    paired = pd.concat({a: a_runs.join(months[0]), b: b_runs.join(months[1]), f"{b} - {a}": b_runs - a_runs}, axis=1)
    paired.columns = [f"{outcome} [{side}]" for side, outcome in paired.columns]
    paths = [out / "compare.csv", out / "paired.csv", out / f"compare.{fmt}"]
    write_csv(paths[0], table)
    write_csv(paths[1], paired.reset_index())
    figure(table, a, b, note).savefig(paths[2], dpi=300)
    return paths
