"""Two scenarios compared on common random numbers: paired differences with intervals.

``regime-sim compare A B`` runs both scenarios with the same replicate seeds and, for a scenario
with a calibrated ensemble, the same ensemble members (replicate *i* draws the same random numbers
and runs the same member in both; ``--point best`` runs the best member on both sides), so each
replicate gives one paired difference B - A per outcome, free of the seed noise and the parameter
draw the two share.

Every outcome is defined for every pair, with the regime's fall as a competing state: survival at
the horizon (1 if the regime stands at the run's last month), the months the regime stood up to
the horizon (a survivor counts the whole run: the mean is the restricted mean survival time), and
every other outcome at the horizon or at the fall for a fallen run (a stock's value when the run
ended, a flow's monthly mean over the months the regime stood), labelled as such: set the share of
falls on each side beside them before reading one as the other's equal.

Each outcome's effect is the median paired difference (for survival and the months stood, the
mean: the change in the probability and in the restricted mean survival time) with a 95%
bootstrap interval, in the outcome's units and relative to its spread (the pooled SD of the two
scenarios' replicates; :mod:`sim.analysis.effects`). With a member x seed design (``--members N``,
compare's default with an ensemble: N distinct members, replicate r running member r mod N), the
bootstrap resamples members (a member's seeds together) and the variance of the paired
differences splits into a parametric part (between members) and a chance part (between the seeds
of one member); an effect whose sign changes across members is flagged. An outcome that does not
vary within either scenario has no relative size and is left out of the figure.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from sim.analysis import effects
from sim.runs import run_stats

# months_stood: the months the regime stood, to the horizon (censored there); its mean is the RMST
OWN_COLUMNS = {"months_stood": "months the regime stood, up to the horizon (a survivor counts the whole run; "
                               "the mean is the restricted mean survival time)"}
MEANS = ("survived", "months_stood")  # compared by the mean paired difference
DEFAULT_OUTCOMES = ("survived", "months_stood", "isk_fighters", "taliban_fighters", "isk_attacks",
                    "regime_cohesion", "poverty_rate", "gdp_index")


def check(name: str) -> None:
    """One clear error for an outcome compare cannot compute (ScenarioError)."""
    if name == "fall_month":
        from sim.runs.scenario import ScenarioError

        raise ScenarioError("--outcome", name, "is empty for every survivor, so it cannot be compared over all "
                                               "pairs; use months_stood (the months to the fall or the horizon)")
    if name not in OWN_COLUMNS:
        run_stats.split(name, "--outcome")


def basis(name: str) -> str:
    """What an outcome is, with the fall as a competing state."""
    if name == "survived":
        return "standing at the horizon (1) or fallen (0)"
    if name in OWN_COLUMNS:
        return "months to the fall, censored at the horizon"
    series, column = run_stats.split(name, "--outcome")
    how = column.rpartition("_")[2]
    return {"final": "at the horizon, or at the fall if the regime fell",
            "mean": "monthly mean up to the horizon or the fall",
            "max": "largest month up to the horizon or the fall"}[how]


def per_replicate(table: pd.DataFrame, endings: list[dict], names, months: int | None = None) -> pd.DataFrame:
    """One row per replicate: each named statistic (``survived``, ``months_stood``, ``isk_fighters``,
    ``aid_mean``, ...); ``attrs``: the months each replicate ran (``months_run``) and the ensemble member
    each ran (``members``, None without an ensemble)."""
    table = table.sort_values(["replicate", "month"])
    grouped = table.groupby("replicate", sort=True)
    out = pd.DataFrame(index=grouped.size().index)
    out.attrs["months_run"] = grouped.size().to_numpy()
    ends = {e["replicate"]: e for e in endings}
    horizon = months if months is not None else int(out.attrs["months_run"].max())
    members = [ends[r].get("ensemble_member") for r in out.index]
    out.attrs["members"] = None if any(m is None for m in members) else np.asarray(members)
    for name in names:
        if name == "months_stood":
            out[name] = [float(horizon if not ends[r]["fell"] else ends[r]["fall_month"]) for r in out.index]
            continue
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
    """Per outcome over every pair: each scenario's mean, the paired effect B - A with its interval and
    relative size, and its parametric and chance variance (with members in ``a.attrs["members"]``)."""
    rows = []
    members = a.attrs.get("members")
    fell = (1 - a["survived"].mean(), 1 - b["survived"].mean()) if "survived" in a else (np.nan, np.nan)
    for name in a.columns:
        sides = (a[name], b[name])
        diffs = (sides[1] - sides[0]).to_numpy(float)
        grouped = effects.clustered(diffs, members) if members is not None else diffs.reshape(-1, 1)
        found = effects.paired(grouped, sides, seed, statistic="mean" if name in MEANS else None)
        variance = effects.decompose(diffs, members, centre=found.estimate)
        rel_low, rel_high = found.relative_interval()
        rows.append({"outcome": name, "unit": unit(name), "basis": basis(name), "statistic": found.statistic,
                     "a_mean": float(sides[0].mean()), "b_mean": float(sides[1].mean()),
                     "effect": found.estimate, "ci_low": found.low, "ci_high": found.high,
                     "spread": found.spread, "relative": found.relative, "relative_ci_low": rel_low,
                     "relative_ci_high": rel_high, "replicates": found.pairs,
                     "b_higher_in": float(np.mean(diffs > 0)), "b_lower_in": float(np.mean(diffs < 0)),
                     "a_fell": fell[0], "b_fell": fell[1], **variance.as_row()})
    return pd.DataFrame(rows)


def unit(name: str) -> str:
    from sim.model.outcomes import unit as outcome_unit

    if name in OWN_COLUMNS:
        return "months"
    series, column = run_stats.split(name, "--outcome")
    if series is None:
        return "probability" if column == "survived" else "months"
    return outcome_unit(series)


def _variance(r) -> str:
    if r.members == 0:
        return f"chance SD {effects.number(np.sqrt(r.chance_var))}"
    if not np.isfinite(r.chance_var):
        return "n/a: one seed per member"
    flag = " SIGN VARIES" if r.sign_varies else ""
    return (f"{effects.number(np.sqrt(r.parametric_var))} / {effects.number(np.sqrt(r.chance_var))}"
            f" ({r.parametric_share:.0%}){flag}" if np.isfinite(r.parametric_share) else
            f"0 / 0{flag}")


def lines(table: pd.DataFrame, a: str, b: str) -> list[str]:
    total = int(table["replicates"].max())
    first = table.iloc[0]
    design = (f"{int(first['members'])} members x {first['seeds_per_member']:.3g} seeds"
              if first["members"] else "no parameter draw")
    out = [f"{'outcome':24s} {a[:12]:>12s} {b[:12]:>12s}   {b} - {a} (95% CI; relative to SD)   "
           "SD parametric / chance (parametric share)",
           f"{'':24s} over all {total} pairs ({design}); the regime fell in {first['a_fell']:.0%} of {a}'s runs and "
           f"{first['b_fell']:.0%} of {b}'s",
           f"{'':24s} the columns {a[:12]} and {b[:12]} are means; each effect is the mean or the median of the "
           "paired differences, as marked [mean] or [median]"]
    for r in table.itertuples():
        rel = f"; {r.relative:+.2f} SD" if np.isfinite(r.relative) else ""
        effect = (f"{effects.number(r.effect, True)} ({effects.number(r.ci_low, True)} to "
                  f"{effects.number(r.ci_high, True)}{rel}) {r.unit}" + f" [{r.statistic}]")
        out.append(f"{r.outcome:24s} {effects.number(r.a_mean):>12s} {effects.number(r.b_mean):>12s}   "
                   f"{effect:52s} {_variance(r)}")
    stocks = [r.outcome for r in table.itertuples() if r.basis.startswith(("at the horizon", "monthly", "largest"))]
    if stocks and (first["a_fell"] > 0 or first["b_fell"] > 0):
        out.append(f"{'':24s} {', '.join(stocks)}: at the horizon, or at the fall for a fallen run")
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
    names = [o if o in OWN_COLUMNS else label(o) for o in shown["outcome"]]
    ax.set_yticks(y, [wrap(f"{n}: {effects.number(e, True)} ({effects.number(lo, True)} to "
                           f"{effects.number(hi, True)}) {u}" + (" (SIGN VARIES across members)" if s else ""), 48)
                      for n, e, lo, hi, u, s in zip(names, shown["effect"], shown["ci_low"], shown["ci_high"],
                                                    shown["unit"], shown["sign_varies"])], fontsize=7)
    ax.set_xlabel(wrap(f"{b} - {a}, paired by replicate seed and member, in pooled standard deviations of the "
                       "outcome (stocks at the horizon or at the fall)", 80), fontsize=8)
    ax.tick_params(axis="x", labelsize=8)
    ax.grid(axis="x", alpha=0.3)
    ax.set_title(wrap(f"{b} against {a}: paired difference (mean for survival and months stood, else median) and "
                      f"95% bootstrap interval; dotted: +-{effects.IMPORTANT:g} SD (practical importance); {note}", 75),
                 fontsize=8)
    return fig


def write(out: Path, table: pd.DataFrame, a_runs: pd.DataFrame, b_runs: pd.DataFrame, a: str, b: str,
          note: str, fmt: str = "png") -> list[Path]:
    from sim.runs.outputs import write_csv

    out.mkdir(parents=True, exist_ok=True)
    extra = {"months_run": a_runs.attrs["months_run"]}
    if a_runs.attrs.get("members") is not None:
        extra["ensemble_member"] = a_runs.attrs["members"]
    months = pd.DataFrame(extra, index=a_runs.index), \
        pd.DataFrame({"months_run": b_runs.attrs["months_run"]}, index=b_runs.index)
    paired = pd.concat({a: a_runs.join(months[0]), b: b_runs.join(months[1]), f"{b} - {a}": b_runs - a_runs}, axis=1)
    paired.columns = [f"{outcome} [{side}]" for side, outcome in paired.columns]
    paths = [out / "compare.csv", out / "paired.csv", out / f"compare.{fmt}"]
    write_csv(paths[0], table)
    write_csv(paths[1], paired.reset_index())
    figure(table, a, b, note).savefig(paths[2], dpi=300)
    return paths
