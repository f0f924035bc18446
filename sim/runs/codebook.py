"""The codebooks: every column of every output table, and every key of summary.json, with its unit and definition.

A run folder's ``codebook.csv`` covers ``timeseries.csv`` and ``summary.json``; a sweep folder's covers the runs
table (``runs/``), ``points.csv``, the time series (``timeseries/``) and ``summary.json``. Each row: the table
(file) it describes, the column or key, its unit, its definition and its kind. The monthly outcomes' entries come
from :mod:`sim.model.outcomes`, the swept parameters' from the parameter tree (:mod:`sim.model.params`). The
test suite checks that every column a run or a sweep writes has an entry.
"""

from __future__ import annotations

from sim.model.outcomes import OUTCOMES, codebook as outcome_rows, run_statistic, unit
from sim.model.params import SPEC_BY_NAME

FIELDS = ("table", "name", "unit", "definition", "kind")
ID = "identifier"

# columns of a sweep's runs table that are not outcomes or swept parameters
RUNS = {
    "run_id": ("number", "the run's number in the sweep (point x replicates + replicate)", ID),
    "point": ("number", "the design point (one row of points.csv)", ID),
    "replicate": ("number", "the replicate at its point; replicate r has the same seed at every point", ID),
    "seed_entropy": ("number", "the root seed's entropy (NumPy SeedSequence) the run's seed is spawned from", ID),
    "seed_spawn_key": ("text", "the run's spawn key under the root seed (with seed_entropy, its random stream)", ID),
    "ensemble_member": ("number", "the calibrated ensemble's member (row of scenarios/ensemble/*.csv) the run drew; "
                                  "empty without an ensemble", "input"),
    "status": ("ok | failed", "whether the run finished; a failed run keeps its error and seed and no outcomes",
               "status"),
    "error": ("text", "the exception a failed run raised (empty when ok)", "status"),
    "survived": ("1 / 0", "1 if the regime stood to the end of the run, 0 if it fell", "run statistic (one per run)"),
    "fall_month": ("months since August 2021", "the month the regime fell (empty if it stood)",
                   "run statistic (one per run)"),
    "fall_cause": ("regime split | loss of cohesion | civil war | fiscal collapse | loss of territory",
                   "why the regime fell: the condition that weighed most in the commanders' doubts before the cascade "
                   "(empty if it stood)", "run statistic (one per run)"),
    "digest": ("sha256", "the run's outputs' digest; the sweep's results_sha256 is over these", ID),
}
POINT_STATISTICS = {
    "mean": "mean across the point's replicates",
    "median": "median across the point's replicates",
    "p10": "10th percentile across the point's replicates",
    "p90": "90th percentile across the point's replicates",
}
POINTS = {
    "point": ("number", "the design point", ID),
    "replicates": ("runs", "replicates that finished at this point", "count"),
    "failed": ("runs", "replicates that failed at this point", "count"),
    "survival_probability": ("0-1", "share of the point's replicates whose regime stood to the end", "statistic"),
}
SWEEP_SUMMARY = {
    "scenario": ("text", "the sweep's scenario"),
    "shard": ("I/N", "the slice of the sweep this folder holds (1/1: all of it)"),
    "runs_expected": ("runs", "runs in this folder's slice"),
    "runs_finished": ("runs", "runs stored (ok or failed)"),
    "runs_failed": ("runs", "runs that raised an error"),
    "complete": ("true / false", "whether every expected run is stored"),
    "failures": ("list", "the first 100 failed runs: run_id, point, replicate, seed and error"),
    "points": ("points", "design points"),
    "replicates_per_point": ("runs", "replicates at each point"),
    "parameter_sets_per_point": ("parameter sets", "distinct parameter sets (calibrated-ensemble members) behind each "
                                                   "point's statistics, the same at every point; 1 without an "
                                                   "ensemble"),
    "parameter_sets_note": ("text", "what parameter_sets_per_point means for this sweep, and a warning when it is "
                                    "below 20"),
    "survival_probability": ("0-1", "lowest and highest survival probability across the points"),
    "cumulative_incidence": ("0-1 by month", "cause-specific survival over every finished run of the sweep, all "
                                             "points pooled: for each fall cause, the Aalen-Johansen share of "
                                             "regimes fallen by that cause by the end of each month, with its 95% "
                                             "pointwise band (a point's own curves: regime-sim plot's "
                                             "survival_curves figure)"),
    "results_sha256": ("sha256", "digest of every run's outputs: equal for equal results, whatever the workers, "
                                 "cluster or shards"),
}
RUN_SUMMARY = {
    "replicates": ("runs", "replicates run"),
    "months": ("months", "the run's horizon"),
    "final_date": ("YYYY-MM", "the horizon's last month"),
    "final_note": ("text", "what 'final' means: each replicate's last month (the month it fell, if it fell)"),
    "survival_probability": ("0-1", "share of the replicates whose regime stood to the end"),
    "survival_probability_3_years": ("0-1", "share of the replicates whose regime stood through month 35"),
    "failures": ("counts and months", "falls: count, by cause (regime split, loss of cohesion, civil war, fiscal "
                                      "collapse, loss of territory), median month and every fall's month"),
    "survival_curve": ("0-1 by month", "the Kaplan-Meier share of regimes standing after each month, with the 95% "
                                       "Greenwood band (low, high)"),
    "cumulative_incidence": ("0-1 by month", "cause-specific survival: for each fall cause, the Aalen-Johansen share "
                                             "of regimes fallen by that cause by the end of each month (the other "
                                             "causes competing, not censoring), with its 95% pointwise band (low, "
                                             "high); with survival_curve's share standing they add up to 1"),
    "final": ("each outcome's unit", "for the main outcomes (timeseries.csv's units): median, 10th and 90th "
                                     "percentiles, mean and sd of each replicate's final value"),
    "events": ("per replicate; 0-1", "rare events (faction splits, IS-K leaders killed, spectacular attacks, border "
                                     "closures, formal recognitions, commanders killed): mean count per replicate "
                                     "and share of replicates where it happened"),
    "calibration": ("each target's unit", "every target of scenarios/targets.toml: the model's median, 10-90% band "
                                          "and implausibility, whether it is met, or why it was not evaluated"),
}


def _row(table: str, name: str, unit_: str, definition: str, kind: str) -> dict:
    return dict(zip(FIELDS, (table, name, unit_, definition, kind)))


def parameter(table: str, name: str) -> dict:
    """A swept parameter's entry: its unit and description from the parameter tree."""
    spec = SPEC_BY_NAME[name]
    return _row(table, name, spec.unit, f"swept parameter: {spec.doc}", "input (swept)")


def outcome(table: str, name: str) -> dict | None:
    """A monthly outcome's entry, or a run statistic's (``isk_fighters_final``)."""
    for row in outcome_rows():
        if row["name"] == name:
            return {"table": table, **row}
    statistic = run_statistic(name)
    return {"table": table, **statistic} if statistic else None


def point_column(name: str) -> dict | None:
    """An entry of points.csv: the fixed columns, or an outcome's statistic across replicates (``isk_fighters_p90``)."""
    if name in POINTS:
        return _row("points.csv", name, *POINTS[name])
    base, _, statistic = name.rpartition("_")
    if base in OUTCOMES and statistic in POINT_STATISTICS:
        from sim.runs.outputs import headline

        return _row("points.csv", name, unit(base), f"{OUTCOMES[base]}: {POINT_STATISTICS[statistic]} of each run's "
                    f"{headline(base)[1]}", "statistic across replicates")
    return None


def run_book(columns) -> list[dict]:
    """A run folder's codebook: timeseries.csv's columns, then summary.json's keys."""
    rows = [r for r in (outcome("timeseries.csv", c) for c in columns) if r]
    return rows + [_row("summary.json", k, u, d, "summary") for k, (u, d) in RUN_SUMMARY.items()]


def sweep_book(parameters, outcomes, statistics) -> list[dict]:
    """A sweep folder's codebook: the runs table, points.csv, the time series and summary.json."""
    kept = [o for o in outcomes if o != "regime_survives"]
    rows = [_row("runs", n, *RUNS[n]) for n in ("run_id", "point", "replicate", "seed_entropy", "seed_spawn_key")]
    rows += [parameter("runs", n) for n in parameters if n in SPEC_BY_NAME]
    rows += [_row("runs", n, *RUNS[n]) for n in ("ensemble_member", "status", "error", "survived", "fall_month",
                                                 "fall_cause")]
    rows += [outcome("runs", f"{o}_{s}") for o in kept for s in statistics]
    rows.append(_row("runs", "digest", *RUNS["digest"]))
    rows += [_row("points.csv", "point", *POINTS["point"])]
    rows += [parameter("points.csv", n) for n in parameters if n in SPEC_BY_NAME]
    rows += [point_column(n) for n in ("replicates", "failed", "survival_probability")]
    rows += [point_column(f"{o}_{s}") for o in kept for s in POINT_STATISTICS]
    rows += [_row("timeseries", n, *RUNS[n]) for n in ("run_id", "point", "replicate")]
    rows += [outcome("timeseries", n) for n in ("month", *outcomes)]
    rows += [_row("summary.json", k, u, d, "summary") for k, (u, d) in SWEEP_SUMMARY.items()]
    return [r for r in rows if r]


def write(path, rows: list[dict]) -> None:
    import pandas as pd

    from sim.runs.outputs import write_csv

    write_csv(path, pd.DataFrame(rows, columns=list(FIELDS)))
