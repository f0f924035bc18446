"""``regime-sim validate``: how well a scenario's replicates match the documented figures.

Runs the scenario, computes every target of a targets file (:mod:`sim.analysis.targets`) per
replicate, and reports the observed figure against the model's median and 10-90% band,
whether it is met and the target's role. Writes ``validation.csv``, a figure with one
panel per target and a manifest. Besides hits it scores the replicates (with a calibrated
ensemble they carry parameter uncertainty as well as chance) against the record, per
target (:meth:`sim.analysis.targets.Target.scores`): whether the record lies within the 10-90%
range of the replicates' values widened by the tolerance (``covered``, one meaning for every
kind of target: for a share, an event such as the regime holding through a window, the record
is whether it happened and the replicates' values are 0 or 1), the continuous ranked
probability score of the replicates' values (CRPS, in the figure's units and in tolerances; the
fair estimator beside it), and for shares the Brier and log scores of the share of replicates in
which the event happens, summed up separately for fit and check targets. ``--since DATE`` scores
only the targets whose window ends at or after DATE (evaluated then: out of sample for the
years after the fit window, e.g. survival to July 2025 with a window from 2021).

A run ends at the regime's fall, a state rather than a gap: a share (the regime's survival
through a window) and a sum of the regime's own events count every replicate; any other
statistic is computed on the replicates whose regime stood to the end of its window, and the
table says "survivors only" and how many (``basis``).

A verdict reads medians, so ``validate`` runs at least ``VERDICT_REPLICATES`` (40) replicates
unless ``--replicates`` says otherwise (a scenario's ``replicates``, 10 for the baseline, is for
runs). With a calibrated ensemble each replicate draws a member, and the median of 10 draws
lands inside or outside a target's tolerance by chance: the 0.3.3 baseline met 22 to 25 of its
26 fit targets at 10 or 20 replicates depending on the seed, and all 26 at 40 with each of four
seeds (20210815, 99, 5, 7).

It is a report: the exit status is 0 even when targets are missed, unless ``--strict`` asks
for 1 when a ``fit`` target the model can compute is missed (a target whose column the model
does not output yet is listed as pending, not counted). A fit target whose window lies
outside the run is bad input; a check target past the run's end is listed as not evaluated.
"""

from __future__ import annotations

import hashlib
import math
import sys
import textwrap
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from sim import __version__
from sim.analysis import targets as calibration  # noqa: E402
from sim.runs.scenario import ScenarioError  # noqa: E402

MISSED_FIT = 1
VERDICT_REPLICATES = 40  # at least this many replicates for a verdict on medians, unless --replicates


def command(args, scenario, params, months, replicates, seed, scale) -> int:
    """Run the scenario, print and write the validation table and figure; the exit status."""
    from sim.runs import outputs
    from sim.runs.runner import run_replicates

    if args.replicates is None:
        replicates = max(replicates, VERDICT_REPLICATES)
    path = args.targets or calibration.default_path()
    targets = calibration.load(path)
    since = getattr(args, "since", None)
    if since is not None:
        from sim.model.calendar import month_index
        try:
            start = month_index(since)
        except ValueError as err:
            raise ScenarioError("--since", since, f"{err}; give a month YYYY-MM, e.g. --since 2024-01") from None
        targets = tuple(t for t in targets if t.window[1] >= start)  # evaluated at or after it
        if not targets:
            raise ScenarioError("--since", since, f"no target of {path} has a window ending at or after it")
        needed = max(t.last_month for t in targets) + 1
        if months < needed and args.months is None:
            months = needed
    # a fit target must lie within the run; a check target past its end is listed as not evaluated
    calibration.check_run([t for t in targets if t.available and t.role == "fit"], months, path)
    beyond = [t.name for t in targets if t.role == "check" and t.last_month >= months]
    if beyond:
        print(f"regime-sim: note: {len(beyond)} check target(s) reach past the run's {months} months and are not "
              f"evaluated: {', '.join(beyond)}", file=sys.stderr)
    out = args.out or Path("results") / scenario.name / "validation"
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise ScenarioError("--out", str(out), f"cannot create the output folder ({err.strerror})") from None
    print(f"regime-sim {__version__}: validate {scenario.name} against {path}, {replicates} replicate(s) x "
          f"{months} months, seed {seed}, scale {scale:g} -> {out}", file=sys.stderr)
    table, endings, seeds = run_replicates(params, months, seed, replicates, scale, progress=not args.quiet,
                                           ensemble=scenario.ensemble)
    rows = calibration.evaluate(table, targets, months=months)
    report = frame(rows)
    outputs.write_csv(out / "validation.csv", report)
    figure = draw(table, targets, rows, out / f"validation.{args.format}", title=f"{scenario.name}: "
                  f"{replicates} replicates, scale {scale:g}")
    manifest = outputs.manifest(scenario, params, seed, seeds, months, scale, replicates, endings)
    manifest |= {"kind": "validation", "targets": {"path": outputs.relative(path), "sha256": sha256(path)}}
    print(text_table(report))
    pending = report["not_evaluated"].fillna("").str.startswith("the model does not output")
    fit = report[(report["role"] == "fit") & ~pending]
    # None (not evaluated) counts as missed; so does a median outside an observed range wider than the tolerance
    missed = fit[(fit["met"] != True) | (fit["in_range"] == False)]  # noqa: E712
    checks = report[report["role"] == "check"]
    print()
    if since is not None:
        print(f"scoring the {len(report)} target(s) whose window ends in {since} or later (evaluated out of "
              "sample):")
    for line in score_lines(report):
        print(line)
    if pending.any():
        print(f"{int(pending.sum())} target(s) pending (the model does not output their column yet): "
              + ", ".join(report.loc[pending, "target"]))
    scores = scores_by_role(report)
    manifest["scores"] = scores
    manifest["since"] = since
    outputs.write_json(out / "manifest.json", manifest)
    for line in calibration.outside_view(rows):
        print(line)
    ranged = fit[fit["in_range"].notna()]
    print(f"in range: {int((ranged['in_range'] == True).sum())} of the {len(ranged)} fit targets whose observed "  # noqa: E712
          "range is wider than the tolerance have their median inside the range itself")
    scored = scores.get("check", {"met": 0, "evaluated": 0})  # counted as the score lines count them
    unscored = len(checks) - scored["evaluated"]
    print(f"{int((fit['met'] == True).sum())} of {len(fit)} fit targets met (within tolerance), "  # noqa: E712
          f"{scored['met']} of {scored['evaluated']} checks met"
          + (f" ({unscored} more not scored: past the run's end, or outside views, above)" if unscored else "")
          + f"; wrote {out / 'validation.csv'} and {figure}")
    return MISSED_FIT if args.strict and len(missed) else 0


def scores_by_role(report: pd.DataFrame) -> dict:
    """Per role: targets evaluated, met, covered, mean CRPS in tolerances (numeric targets) and
    mean Brier and log scores (shares)."""
    out = {}
    for role in ("fit", "check"):
        rows = report[(report["role"] == role) & report["crps"].notna()]
        if len(rows):
            shares = rows[rows["statistic"] == "share"]
            numeric = rows[rows["statistic"] != "share"]
            out[role] = {"evaluated": len(rows), "met": int((rows["met"] == True).sum()),  # noqa: E712
                         "covered": int((rows["covered"] == True).sum()),  # noqa: E712
                         "coverage": float((rows["covered"] == True).mean()),  # noqa: E712
                         "covered_means": "the record lies within the 10-90% range of the replicates' values "
                                          "widened by the tolerance (for a share: the event that happened has a "
                                          "model chance above 10%)",
                         "numeric": len(numeric), "shares": len(shares),
                         "mean_crps_scaled": float(numeric["crps_scaled"].mean()) if len(numeric) else None,
                         "median_crps_scaled": float(numeric["crps_scaled"].median()) if len(numeric) else None,
                         "mean_brier": float(shares["brier"].mean()) if len(shares) else None,
                         "mean_log_score": float(shares["log_score"].mean()) if len(shares) else None}
    return out


def score_lines(report: pd.DataFrame) -> list[str]:
    """One line per role: coverage, the mean CRPS (in tolerances) and the shares' Brier score."""
    lines = []
    for role, s in scores_by_role(report).items():
        parts = [f"{role} targets: {s['met']} of {s['evaluated']} met; the record within the replicates' 10-90% "
                 f"range in {s['covered']} of {s['evaluated']} ({s['coverage']:.0%})"]
        if s["numeric"]:
            parts.append(f"CRPS {s['mean_crps_scaled']:.2f} tolerances on average over {s['numeric']} numeric "
                         f"target(s) (median {s['median_crps_scaled']:.2f}; 0 is perfect)")
        if s["shares"]:
            parts.append(f"Brier score {s['mean_brier']:.3f} and log score {s['mean_log_score']:.3f} over "
                         f"{s['shares']} share(s) (0 is perfect)")
        lines.append("; ".join(parts))
    return lines


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def frame(rows: list[dict]) -> pd.DataFrame:
    """The evaluated targets as the columns of validation.csv."""
    table = pd.DataFrame(rows)
    table["claims"] = table["claims"].map(" ".join)
    for column in ("mean", "implausibility", "not_evaluated", "covered", "crps", "crps_fair", "crps_scaled",
                   "brier", "log_score", "event", "basis", "replicates", "in_range"):
        if column not in table:
            table[column] = None
    table = table.rename(columns={"low": "observed_low", "high": "observed_high", "value": "model_median",
                                  "p10": "model_p10", "p90": "model_p90", "mean": "model_mean"})
    return table[["target", "role", "met", "in_range", "observed_low", "observed_high", "tolerance", "model_median",
                  "model_p10", "model_p90", "model_mean", "replicates", "replicates_total", "basis", "implausibility",
                  "covered", "crps", "crps_fair", "crps_scaled", "brier", "log_score", "event", "column",
                  "statistic", "window", "description", "source", "claims", "not_evaluated"]]


def number(value) -> str:
    """A figure for the table: thousands separators, or three significant digits for small ones."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    if abs(value) >= 1e6:
        return f"{value / 1e6:,.2f}M"
    if abs(value) >= 100 or value == int(value):
        return f"{value:,.0f}"
    return f"{value:.3g}"


def text_table(report: pd.DataFrame) -> str:
    """The printed table: target, role, observed, model median [10-90%], met, band covers, CRPS."""
    lines = []
    for r in report.itertuples():
        observed = number(r.observed_low) if r.observed_low == r.observed_high else \
            f"{number(r.observed_low)} to {number(r.observed_high)}"
        if r.tolerance:
            observed += f" +/- {number(r.tolerance)}"
        if r.met is None or (isinstance(r.met, float) and math.isnan(r.met)):
            model, met, inside, covered, crps = f"not evaluated: {r.not_evaluated}", "-", "-", "-", "-"
        else:
            model, met = f"{number(r.model_median)} [{number(r.model_p10)} to {number(r.model_p90)}]", \
                "yes" if r.met else "MISSED"
            inside = "-" if r.in_range is None or r.in_range != r.in_range else "yes" if r.in_range else "OUTSIDE"
            if r.replicates < r.replicates_total:  # the others' regimes fell before the window ended
                model += f" (survivors only: {r.replicates:.0f} of {r.replicates_total:.0f})"
            covered = "-" if r.covered is None or r.covered != r.covered else "yes" if r.covered else "no"
            crps = "-" if r.brier != r.brier and r.statistic == "share" else \
                f"Brier {r.brier:.3f}" if r.statistic == "share" else f"{r.crps_scaled:.2f}"
        lines.append((r.target, r.role, observed, model, met, inside, covered, crps))
    header = ("target", "role", "observed", "model median [10-90%]", "within tol", "in range", "covered", "CRPS/tol")
    widths = [max(len(row[i]) for row in [header, *lines]) for i in range(len(header))]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip()
                     for row in [header, *lines])


def draw(table: pd.DataFrame, targets, rows: list[dict], path: Path, title: str) -> Path:
    """One panel per target, grouped by topic (:mod:`sim.analysis.validation_figure`)."""
    from sim.analysis import validation_figure

    return validation_figure.draw(table, targets, rows, path, title)
