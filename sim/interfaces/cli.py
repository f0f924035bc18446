"""The command line: ``regime-sim run``, ``sweep``, ``merge``, ``plot``, ``validate``, ``calibrate``, ``params``,
``bench``, ``viz``, ``readme``, and the analysis commands of :mod:`sim.interfaces.analysis_cli` (``sensitivity``, ``claims``,
``discover``, ``experiments``).

Bad input (a malformed or unknown scenario key, a value out of range, a missing file) gets
one line on stderr naming the file and the key and saying what is allowed, and exit code 2.
SIGTERM (a job's time limit, ``kill``) is handled like Ctrl-C: finished runs are kept, one
line says so, and the exit code is 143 (130 for Ctrl-C).

Start-up is kept short: Mesa, pandas and matplotlib are imported only by the commands that
use them, so ``--help``, ``--version``, ``params``, ``plot`` and ``merge`` start without Mesa.
"""

from __future__ import annotations

import argparse
import errno
import os
import signal
import sys
from pathlib import Path

from sim import __version__
from sim.runs.checks import warnings as setting_warnings
from sim.model.params import SPEC_BY_NAME as SPECS_BY_NAME, SPECS, Parameters
from sim.model.provenance import claims
from sim.interfaces.options import (add_format_option, add_run_options, fighters, local_workers, port, positive_int,
                                   resolve_run)
from sim.runs.scenario import ScenarioError, load

USAGE_ERROR = 2


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where the program is, so that it stops as it does on Ctrl-C."""

    code = 128 + signal.SIGTERM


def _terminate(signum, frame):
    raise Terminated()


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except BrokenPipeError:  # regime-sim --help | head
        _silence_stdout()
        return 128 + signal.SIGPIPE
    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        return args.handler(args)
    except ScenarioError as err:
        print(f"regime-sim: error: {err}", file=sys.stderr)
        return USAGE_ERROR
    except KeyboardInterrupt as stop:
        print("regime-sim: interrupted", file=sys.stderr)
        return exit_code(stop)
    except BrokenPipeError:  # the reader of our output went away (regime-sim params | head): stop quietly
        _silence_stdout()
        return 128 + signal.SIGPIPE
    except OSError as err:
        if err.errno not in DISK_FULL:
            raise
        print(f"regime-sim: error: {disk_full(err)}", file=sys.stderr)
        return USAGE_ERROR
    except Exception as err:
        if not _is_arrow_error(err):
            raise
        # a result file whose footer reads but whose data does not (damaged inside): pyarrow names the file
        print(f"regime-sim: error: a result file is damaged: {' '.join(str(err).split())}", file=sys.stderr)
        return USAGE_ERROR
    finally:
        signal.signal(signal.SIGTERM, previous)


DISK_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}


def disk_full(err: OSError, advice: str = "free some space, then run the command again") -> str:
    """The one line for a write that failed because the disk (or the quota) is full."""
    where = f"{err.filename}: " if err.filename else ""
    return f"{where}{err.strerror or os.strerror(err.errno)}: the disk is full; {advice}"


def _is_arrow_error(err: Exception) -> bool:
    arrow = sys.modules.get("pyarrow")
    return arrow is not None and isinstance(err, arrow.ArrowException)


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so that flushing it at exit raises no second BrokenPipeError."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def exit_code(stop: KeyboardInterrupt) -> int:
    """143 after SIGTERM, 130 after Ctrl-C."""
    return getattr(stop, "code", 128 + signal.SIGINT)


class Parser(argparse.ArgumentParser):
    """argparse's parser, whose errors are one line (the usage block is behind ``--help``)."""

    def error(self, message: str):
        self.exit(USAGE_ERROR, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="regime-sim", description=(
        "Agent-based simulation of the Taliban regime-survival dilemma. A thinking tool, not a forecast."))
    parser.add_argument("--version", action="version", version=f"regime-sim {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="run a scenario and write its outputs",
                         description="Run a scenario's replicates; write timeseries.csv, codebook.csv (every "
                                     "column's unit and definition), summary.json, manifest.json and dashboard.png "
                                     "to --out.")
    run.add_argument("scenario", help="a scenario file, or the name of one in scenarios/ (e.g. baseline)")
    add_run_options(run)
    run.add_argument("--out", type=Path, default=None, help="output folder (default: results/SCENARIO); "
                                                            "it must be new or empty unless --force")
    run.add_argument("--force", action="store_true", help="replace what --out holds (once the run has finished)")
    run.add_argument("--yes", action="store_true",
                     help="start a run estimated to take more than an hour (otherwise refused with the estimate)")
    run.set_defaults(handler=cmd_run)

    sweep = sub.add_parser("sweep", help="run a scenario's [sweep]: every point, every replicate, in parallel",
                           description="Run every point of the scenario's [sweep] design with the same replicate "
                                       "seeds (common random numbers). Results stream to Parquet in --out "
                                       "(runs/, timeseries/), with manifest.json, summary.json, points.csv "
                                       "and plots. Identical results whatever the workers, cluster or shards.")
    sweep.add_argument("scenario", help="a scenario file with a [sweep] section, or the name of a shipped one")
    add_run_options(sweep)
    sweep.add_argument("--workers", type=positive_int, default=None,
                       help="local worker processes (default: all cores)")
    sweep.add_argument("--scheduler", metavar="ADDRESS", default=None,
                       help="run on an existing Dask cluster, e.g. tcp://10.0.0.5:8786 (see the README)")
    sweep.add_argument("--shard", metavar="I/N", default=None,
                       help="run only slice I of N (for job arrays); writes OUT/shard-I-of-N; join with merge")
    sweep.add_argument("--out", type=Path, default=None, help="output folder (default: results/SCENARIO)")
    sweep.add_argument("--resume", action="store_true",
                       help="finish an interrupted sweep in --out, skipping the runs already stored")
    sweep.add_argument("--chunk-size", type=positive_int, default=100, metavar="RUNS",
                       help="runs per Parquet chunk; smaller loses less work if the sweep is killed (default 100)")
    sweep.add_argument("--yes", action="store_true",
                       help="start a sweep of more than 20,000 runs (otherwise refused with an estimate of its time)")
    add_format_option(sweep)
    sweep.set_defaults(handler=cmd_sweep)

    merge = sub.add_parser("merge", help="join the shards of a sweep run with --shard",
                           description="Join shard folders (OUT/shard-I-of-N) into one sweep folder, checking "
                                       "that they are the same sweep and hold every run exactly once.")
    merge.add_argument("folders", nargs="+", type=Path,
                       help="a sweep folder holding shard-I-of-N folders, or the shard folders themselves")
    merge.add_argument("--out", type=Path, default=None,
                       help="where to write the merged sweep (default: the folder holding the shards)")
    add_format_option(merge)
    merge.set_defaults(handler=cmd_merge)

    plot = sub.add_parser("plot", help="draw the plots of a sweep or a run folder",
                          description="A sweep: heatmaps (two swept parameters), curves (one), scatter and Sobol "
                                      "indices (sampled designs) and fan charts of the time series. A run: its "
                                      "dashboard.")
    plot.add_argument("folder", type=Path, help="a sweep's or a run's output folder")
    add_format_option(plot)
    plot.add_argument("--outcomes", nargs="+", default=None, metavar="NAME",
                      help="outcomes to draw (default: the sweep's kept outcomes)")
    plot.set_defaults(handler=cmd_plot)

    validate = sub.add_parser("validate", help="compare a scenario's replicates with the documented figures",
                              description="Run the scenario and report, for every target of the targets file, the "
                                          "observed figure, the model's median and 10-90% band, whether it is met, "
                                          "whether the band reaches the record and the CRPS of the replicates "
                                          "against it, and its role, with the scores summed up for fit and check "
                                          "targets; write validation.csv, a figure and manifest.json to --out. "
                                          "Runs at least 40 replicates (medians of fewer draws from a calibrated "
                                          "ensemble meet or miss a target by chance) unless --replicates. "
                                          "Exit 0 even when targets are missed, unless --strict.")
    validate.add_argument("scenario", help="a scenario file, or the name of one in scenarios/ (e.g. baseline)")
    add_run_options(validate, replicates="the scenario's, at least 40")
    validate.add_argument("--targets", type=Path, default=None, help="a targets file (default: scenarios/targets.toml)")
    validate.add_argument("--strict", action="store_true", help="exit 1 when a fit target is missed")
    validate.add_argument("--since", metavar="YYYY-MM", default=None,
                          help="score only the targets whose window ends in this month or later, those evaluated "
                               "then (the years after the fit window, e.g. --since 2024-01); the run is lengthened "
                               "to reach them")
    validate.add_argument("--out", type=Path, default=None, help="output folder (default: results/SCENARIO/validation)")
    add_format_option(validate)
    validate.set_defaults(handler=cmd_validate)

    calibrate = sub.add_parser("calibrate", help="fit a scenario's [calibrate] free parameters to the fit targets",
                               description="History matching on the sweep engine: a first wave of Latin or Sobol "
                                           "points over the free parameters, then waves screened by Gaussian-process "
                                           "emulators of the fit targets, each point run with the same replicate "
                                           "seeds; a point is kept when every fit target's implausibility is under "
                                           "the cutoff. Without --months the runs stop at the last fit target. Writes the "
                                           "accepted sets, the non-implausible ranges (a figure), the best point and "
                                           "calibrated.toml, a scenario with the fitted values and their provenance.")
    calibrate.add_argument("scenario", help="a scenario file with a [calibrate] section")
    add_run_options(calibrate)
    calibrate.add_argument("--targets", type=Path, default=None,
                           help="the targets file (default: scenarios/targets.toml)")
    calibrate.add_argument("--ensemble", type=Path, default=None, metavar="PATH.csv",
                           help="also write the accepted points there as a calibrated ensemble, with its provenance "
                                "in PATH.json (scenarios/ensemble/baseline.csv is the baseline's)")
    calibrate.add_argument("--ensemble-cutoff", type=float, default=None, metavar="I",
                           help="keep in the ensemble only the accepted points whose largest implausibility is "
                                "below I (at most the calibration's cutoff; default: the scenario's calibrate.ensemble_cutoff, "
                                "else all the accepted points)")
    calibrate.add_argument("--workers", type=positive_int, default=None, help="local worker processes (default: all cores)")
    calibrate.add_argument("--scheduler", metavar="ADDRESS", default=None, help="run on an existing Dask cluster")
    calibrate.add_argument("--shard", metavar="I/N", default=None,
                           help="run only slice I of N of the current wave (job arrays); then merge it and --resume")
    calibrate.add_argument("--out", type=Path, default=None, help="output folder (default: results/SCENARIO_calibration)")
    calibrate.add_argument("--resume", action="store_true", help="finish an interrupted calibration in --out")
    calibrate.add_argument("--chunk-size", type=positive_int, default=100, metavar="RUNS", help="runs per Parquet chunk")
    add_format_option(calibrate)
    calibrate.set_defaults(handler=cmd_calibrate)

    params = sub.add_parser("params", help="list the parameters with defaults, ranges, units and provenance")
    params.add_argument("names", nargs="*", help="show these parameters in full, with the quoted claims "
                                                 "(a prefix such as 'policy' selects a group)")
    params.add_argument("--format", choices=("table", "csv", "markdown"), default="table")
    params.add_argument("--scenario", default=None, help="show this scenario's values and their provenance "
                                                         "(e.g. a calibrated.toml written by calibrate)")
    params.set_defaults(handler=cmd_params)

    bench = sub.add_parser("bench", help="time full-scale runs against a one-object-per-fighter Mesa loop",
                           description="Run the baseline scenario at each number of fighters; print seconds per "
                                       "run (median), microseconds per fighter-month and peak memory, and the "
                                       "same for a minimal Mesa model with one agent per fighter.")
    bench.add_argument("--fighters", type=fighters, nargs="+", default=[10_000, 100_000], metavar="N",
                       help="numbers of fighters to run (default: 10000 100000)")
    bench.add_argument("--months", type=positive_int, default=120, help="months per run (default: 120)")
    bench.add_argument("--repeat", type=positive_int, default=3, help="timed runs per size; the median is "
                                                                       "reported (default: 3)")
    bench.add_argument("--json", action="store_true", help="print the results as one JSON object")
    bench.set_defaults(handler=cmd_bench)

    viz = sub.add_parser("viz", help="start the browser app (sliders, map, charts) for a scenario",
                         description="Serve the interactive app (Mesa's SolaraViz) on this machine; open the "
                                     "address it prints. Needs the app extra: pip install -e \".[app]\".")
    viz.add_argument("scenario", nargs="?", default="baseline", help="a scenario file or name (default: baseline)")
    viz.add_argument("--port", type=port, default=8765, help="port (default 8765)")
    viz.add_argument("--host", default="localhost", help="address to listen on (default localhost; 0.0.0.0 to "
                                                         "let a classroom's machines connect)")
    viz.add_argument("--no-browser", action="store_true", help="do not open a browser window")
    viz.set_defaults(handler=cmd_viz)
    readme = sub.add_parser("readme", help="rewrite the README's result sections from the results files",
                            description="Rewrite each generated section of the README (between <!-- generated: "
                                        "NAME (regime-sim readme) --> markers: findings, claims, corners, "
                                        "calibration) from the results files in experiments/results. --check "
                                        "changes nothing and exits 1 when a section is out of date.")
    readme.add_argument("--check", action="store_true", help="exit 1 if the README differs from the results")
    readme.add_argument("--readme", type=Path, default=Path("README.md"), help="the README (default: README.md)")
    readme.add_argument("--results", type=Path, default=None,
                        help="the results folder (default: the shipped experiments/results)")
    readme.set_defaults(handler=cmd_readme)
    from sim.interfaces.analysis_cli import register
    register(sub)
    from sim.interfaces import reproduce
    reproduce.register(sub)
    return parser


def warn(params: Parameters, months: int, scale: float, scenario=None) -> None:
    """One line on stderr for each setting that is allowed but probably not meant (:mod:`sim.runs.checks`);
    the scenario's own schedules cut short by ``--months`` get one line between them."""
    own = scenario.parameters() if scenario is not None else None
    for warning in setting_warnings(params, months, scale, own):
        print(f"regime-sim: warning: {warning}", file=sys.stderr)


LARGE_RUN_SECONDS = 3600  # a run estimated to take longer starts only when confirmed (--yes)


def run_estimate(replicates: int, months: int, scale: float) -> float:
    """Roughly how long ``run`` takes here (its replicates run one after another, in this process)."""
    from sim.runs.sweep import estimated_seconds

    return estimated_seconds(replicates, months, scale, workers=1)


def cmd_run(args) -> int:
    from sim.runs.folders import replacing
    from sim.runs.sweep import duration

    scenario, params, months, replicates, seed, scale = resolve_run(args)
    out = args.out or Path("results") / scenario.name
    seconds = run_estimate(replicates, months, scale)
    if seconds > LARGE_RUN_SECONDS and not args.yes:
        memory = replicates * months * 100 * 8 / 1e9  # about 100 columns of 8 bytes per replicate and month
        raise ScenarioError("run", None, f"{replicates:,} replicates x {months} months at scale {scale:g}: roughly "
                                         f"{duration(seconds)} here, one replicate after another, and about "
                                         f"{memory:,.1f} GB of memory for the table; add --yes to start it (or "
                                         "fewer --replicates, a smaller --scale, or 'regime-sim sweep' on all cores)")
    took = f", about {duration(seconds)}" if seconds >= 60 else ""
    with replacing(out, args.force) as folder:
        from sim.analysis import targets
        from sim.runs import codebook, outputs, plots
        from sim.runs.runner import run_replicates

        print(f"regime-sim {__version__}: {scenario.name}, {replicates} replicate(s) x {months} months, "
              f"seed {seed}, scale {scale:g}{took} -> {out}", file=sys.stderr)
        warn(params, months, scale, scenario)
        table, endings, seeds = run_replicates(params, months, seed, replicates, scale, progress=not args.quiet,
                                               ensemble=scenario.ensemble)
        outputs.write_csv(folder / "timeseries.csv", table)
        codebook.write(folder / "codebook.csv", codebook.run_book(table.columns))
        summary = outputs.summarise(table, endings, months)
        summary["calibration"] = targets.evaluate(table, months=months)
        outputs.write_json(folder / "summary.json", summary)
        manifest = outputs.manifest(scenario, params, seed, seeds, months, scale, replicates, endings)
        outputs.write_json(folder / "manifest.json", {"kind": "run", **manifest})
        shipped = scenario.parameters()
        modified = {k: v for k, v in params.values.items() if v != shipped[k]}  # by --set
        plots.save(plots.dashboard(table, title=plots.run_title(scenario.name, modified)), folder / "dashboard.png")
    print_summary(summary)
    return 0


def print_summary(summary: dict) -> None:
    f = summary["final"]
    print(f"survival probability: {summary['survival_probability']:.2f} over {summary['months']} months "
          f"({summary['replicates']} replicates); first three years: {summary['survival_probability_3_years']:.2f}")
    causes = {k: v for k, v in summary["failures"]["by_cause"].items() if v}
    if causes:
        print("failures by cause: " + ", ".join(f"{k} {v}" for k, v in causes.items()))
    fell = summary["failures"]["count"]
    print(f"in {summary['final_date']}{f' or at the fall ({fell} replicates)' if fell else ''} (median [10-90%]): "
          f"IS-K {f['isk_fighters']['median']:,.0f} [{f['isk_fighters']['p10']:,.0f}-{f['isk_fighters']['p90']:,.0f}] "
          f"fighters, Taliban {f['taliban_fighters']['median']:,.0f}, GDP index {f['gdp_index']['median']:.2f}, "
          f"poverty {f['poverty_rate']['median']:.0%}")
    from sim.analysis.validate import number

    for t in summary["calibration"]:
        if t["role"] == "fit" and t["value"] is not None:
            print("  " + target_line(t, number))


def target_line(t: dict, number) -> str:
    """One fit target in the run summary: in the observed range, within its tolerance of it, or missed;
    the observed figure and the tolerance shown beside the model's median."""
    inside = t["low"] <= t["value"] <= t["high"]
    mark = "ok, in range      " if inside else ("ok, in tolerance  " if t["met"] else "MISS              ")
    observed = number(t["low"]) if t["low"] == t["high"] else f"{number(t['low'])} to {number(t['high'])}"
    return (f"target {mark} {t['description']}: {number(t['value'])} "
            f"(observed {observed}, tolerance ±{number(t['tolerance'])})")


def cmd_validate(args) -> int:
    from sim.analysis import validate as validation

    return validation.command(args, *resolve_run(args))


def cmd_calibrate(args) -> int:
    from sim.analysis import calibrate as history_matching

    return history_matching.command(args, *resolve_run(args))


def cmd_sweep(args) -> int:
    from sim.runs import design, sweep

    scenario, params, months, _, seed, scale = resolve_run(args)
    # --replicates overrides the [sweep] section's replicates, which override the scenario's
    plan = sweep.Sweep(scenario, params, design.from_scenario(scenario, params, args.replicates, seed),
                       months, scale, seed)
    shard = sweep.Shard.parse(args.shard) if args.shard else sweep.Shard()
    out = args.out or Path("results") / scenario.name
    if shard.count > 1:
        out = out / f"shard-{shard.index}-of-{shard.count}"
    workers = 1 if args.scheduler else local_workers(args.workers)
    where = f"Dask scheduler {args.scheduler}" if args.scheduler else f"{workers} worker(s)"
    from sim.runs.folders import check_out

    check_out(out)  # refusals come first, before the warnings
    if args.resume:
        sweep.check_resume(plan, out, shard)
    runs = len(shard.run_ids(plan.design.runs))
    if runs > sweep.LARGE_SWEEP_RUNS and not args.yes:
        estimate = "" if args.scheduler else \
            f", roughly {sweep.duration(sweep.estimated_seconds(runs, plan.months, plan.scale, workers))} here"
        raise ScenarioError("sweep", None, f"{runs:,} runs{estimate}: add --yes to start it (or fewer --replicates, "
                                           "points, or a --shard of it)")
    print(f"regime-sim {__version__}: sweep {scenario.name}, {plan.design.kind} design, {len(plan.design.points)} "
          f"point(s) x {plan.design.replicates} replicate(s) = {plan.design.runs} runs"
          f"{'' if shard.count == 1 else f' (shard {shard}: {len(shard.run_ids(plan.design.runs))})'}, "
          f"{plan.months} months, seed {seed}, scale {plan.scale:g}, {where} -> {out}", file=sys.stderr)
    warn(params, plan.months, plan.scale, scenario)
    try:
        summary = sweep.run(plan, out, workers, args.scheduler, shard, args.resume, args.chunk_size,
                            progress=not args.quiet)
    except KeyboardInterrupt as stop:
        print(f"regime-sim: interrupted; the finished runs are saved in {out}; add --resume to finish",
              file=sys.stderr)
        return exit_code(stop)
    except OSError as err:
        if err.errno not in DISK_FULL:
            raise
        raise ScenarioError("sweep", None, disk_full(err, f"the finished runs are saved in {out}: free some "
                                                          "space, then add --resume to finish")) from None
    return _report(out, summary, args.format, plots=shard.count == 1)


def cmd_merge(args) -> int:
    from sim.runs import sweep

    folders = []
    for folder in args.folders:
        if not folder.exists():
            raise ScenarioError(folder, None, "no such folder (give a sweep folder holding shard-I-of-N folders, "
                                              "or the shard folders)")
        if not folder.is_dir():
            raise ScenarioError(folder, None, "is a file, not a folder (give a sweep folder holding shard-I-of-N "
                                              "folders, or the shard folders)")
        found = sweep.shard_folders(folder)
        folders += found or [folder]
    if len(folders) < 2:
        what = ("holds no shard-I-of-N folders to merge" if folders == args.folders
                else "holds a single shard-I-of-N folder; merge needs at least two")
        raise ScenarioError(args.folders[0], None, f"{what} (give a sweep folder holding the shard folders that "
                                                   "'sweep --shard I/N' wrote, or the shard folders)")
    out = args.out or (args.folders[0] if len(args.folders) == 1 else None)
    if out is None:
        raise ScenarioError("--out", "", "say where to write the merged sweep")
    return _report(out, sweep.merge(folders, out), args.format, plots=True)


def cmd_plot(args) -> int:
    from sim.runs.sweep import read_manifest

    folder = args.folder
    if not (folder / "manifest.json").is_file():
        raise ScenarioError(folder, None, "is not the output of a sweep or a run (no manifest.json)")
    manifest = read_manifest(folder)
    if manifest.get("kind") != "sweep":
        paths = [_redraw_dashboard(folder, manifest, args.format)]
    elif not (folder / "points.csv").is_file():
        raise ScenarioError(folder, None, "holds an unfinished sweep (no points.csv yet); finish it with "
                                          "'regime-sim sweep ... --out FOLDER --resume', then plot it")
    else:
        from sim.runs import sweep_plots
        from sim.runs.store import verify

        verify(folder)
        _read_table(folder / "points.csv", [*manifest["design"]["parameters"], "replicates", "survival_probability"],
                    text=[n for n in manifest["design"]["parameters"] if n in SPECS_BY_NAME and SPECS_BY_NAME[n].choices],
                    remedy="'regime-sim sweep ... --out FOLDER --resume' writes it again from the runs")
        paths = sweep_plots.draw(folder, args.format, args.outcomes)
    for path in paths:
        print(path)
    return 0


def _redraw_dashboard(folder: Path, manifest: dict, fmt: str) -> Path:
    """A run's dashboard, drawn again from its timeseries.csv."""
    table = folder / "timeseries.csv"
    if not table.is_file():
        raise ScenarioError(folder, None, "holds a run's manifest.json but no timeseries.csv to plot")
    from sim.runs import plots

    columns = ["replicate", "month", *(column for _, series, _ in plots.PANELS for column, _, _ in series)]
    data = _read_table(table, columns, text=["date"], remedy="run the scenario again")
    name = (manifest.get("scenario") or {}).get("name", folder.name)
    return plots.save(plots.dashboard(data, title=name), folder / f"dashboard.{fmt}")


def _read_table(path: Path, columns: list[str], text=(), remedy: str = ""):
    """A CSV file a command reads back (a run's timeseries.csv, a sweep's points.csv), checked: damaged,
    truncated or not UTF-8 is one line naming the file (ScenarioError), not a traceback further on."""
    import pandas as pd

    fix = f"; {remedy}" if remedy else ""
    try:
        data = pd.read_csv(path)
    except UnicodeDecodeError as err:
        raise ScenarioError(path, None, f"is damaged: not UTF-8 text (byte {err.start}){fix}") from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as err:
        raise ScenarioError(path, None, f"is damaged or truncated ({' '.join(str(err).split())}){fix}") from None
    missing = [c for c in columns if c not in data.columns]
    if data.empty or missing:
        what = "has no rows" if not missing else f"lacks the column{'s' * (len(missing) > 1)} {', '.join(missing[:3])}"
        raise ScenarioError(path, None, f"is damaged or truncated: it {what}{fix}")
    bad = [c for c in data.columns if c not in text and c in columns and not pd.api.types.is_numeric_dtype(data[c])]
    if bad:
        raise ScenarioError(path, None, f"is damaged: column {bad[0]} holds something other than numbers{fix}")
    return data


def _report(out: Path, summary: dict, fmt: str, plots: bool) -> int:
    """Print the sweep's summary; draw its plots if it is complete."""
    survival = summary["survival_probability"]
    if summary["runs_expected"] == 0:
        print(f"shard {summary['shard']} holds no runs (the sweep has fewer runs than shards); it is finished")
        return 0
    spread = "no run succeeded" if survival["lowest"] is None else \
        f"survival probability across points {survival['lowest']:.2f}-{survival['highest']:.2f}"
    print(f"{summary['runs_finished']} of {summary['runs_expected']} runs finished, {summary['runs_failed']} failed "
          f"(see summary.json); {spread}; results sha256 {summary['results_sha256'][:16]}")
    if summary.get("parameter_sets_note"):
        print(summary["parameter_sets_note"])
    if plots and summary["complete"] and survival["lowest"] is not None:
        from sim.runs import sweep_plots
        for path in sweep_plots.draw(out, fmt):
            print(f"  {path}")
    return 0


def cmd_bench(args) -> int:
    import json

    from sim.runs import bench

    print(f"regime-sim {__version__} bench: {bench.SCENARIO} scenario, {args.months} months, median of "
          f"{args.repeat} run(s) per size, seconds excluding building the model; peak MB is the peak resident "
          f"memory of a fresh process per size (Python and the libraries alone: "
          f"{bench.peak_memory_mb():.0f} MB); start-up is importing Mesa and the model and building a model "
          f"(the median of the runs)", file=sys.stderr)
    results = bench.benchmark(args.fighters, args.months, args.repeat)
    print(json.dumps(results) if args.json else bench.table(results))
    return 0


def cmd_readme(args) -> int:
    from sim.interfaces import readme

    return readme.command(args)


def cmd_viz(args) -> int:
    from sim.interfaces import viz

    return viz.serve(args.scenario, args.host, args.port, open_browser=not args.no_browser)


def cmd_params(args) -> int:
    specs = SPECS
    if args.names:
        specs = [s for s in SPECS if any(s.name == n or s.name.startswith(n + ".") for n in args.names)]
        if not specs:
            from sim.model.params import unknown_key
            err = unknown_key(args.names[0])
            raise ScenarioError("params", err.key, err.message)
    values, provenance = Parameters(), {s.name: s.provenance for s in specs}
    if args.scenario:
        scenario = load(args.scenario)
        values = scenario.parameters()
        provenance |= {n: f"set by scenario {scenario.name}, no provenance given (default's: {provenance[n]})"
                       for n in scenario.overrides if n in provenance} | \
            {n: p for n, p in scenario.provenance.items() if n in provenance}
    drawn, priors = {}, {}
    if args.scenario and scenario.ensemble is not None:  # what the replicates run: the ensemble's spread
        from sim.interfaces.odd import ensemble_priors, ensemble_summary
        drawn = {n: v for n, v in ensemble_summary(args.scenario).items() if n in provenance}
        priors = ensemble_priors(args.scenario)
    if args.names and args.format == "table":
        print_parameter_details(specs, values, provenance, drawn, priors)
        return 0
    if drawn:
        rows = [(s.name, "drawn" if s.name in drawn else str(values[s.name]), str(s.default), _spread(drawn, s.name),
                 priors.get(s.name, "-"), s.range_text, s.unit, str(provenance[s.name])) for s in specs]
        header = ("name", "value", "default", "ensemble median [10%, 90%]", "calibration prior", "allowed", "unit",
                  "provenance")
    else:
        rows = [(s.name, str(values[s.name]), s.range_text, s.unit, str(provenance[s.name])) for s in specs]
        header = ("name", "value" if args.scenario else "default", "allowed", "unit", "provenance")
    if args.format == "csv":
        import csv
        writer = csv.writer(sys.stdout)
        writer.writerow(header)
        writer.writerows(rows)
    elif args.format == "markdown":
        print("| " + " | ".join(header) + " |")
        print("|" + "---|" * len(header))
        for row in rows:
            print("| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |")
    else:
        last = len(header) - 1
        widths = [max(len(r[i]) for r in rows + [header]) for i in range(last)]
        for row in [header, *rows]:
            print("  ".join(cell.ljust(w) for cell, w in zip(row[:last], widths)) + "  " + row[last])
    return 0


def _spread(drawn, name) -> str:
    if name not in drawn:
        return "-"
    median, low, high = drawn[name]
    return f"{median:.3g} [{low:.3g}, {high:.3g}]"


def print_parameter_details(specs, values, provenance, drawn=None, priors=None) -> None:
    registry = claims()
    drawn, priors = drawn or {}, priors or {}
    for s in specs:
        print(f"{s.name} = {values[s.name]}   allowed {s.range_text} ({s.unit})")
        if s.name in drawn:
            prior = f"; calibration prior {priors[s.name]}" if s.name in priors else ""
            print(f"  drawn from the scenario's ensemble: median [10%, 90%] {_spread(drawn, s.name)}; "
                  f"documented default {s.default}{prior}")
        print(f"  {s.doc}")
        print(f"  provenance: {provenance[s.name]}")
        for cid in getattr(provenance[s.name], "claims", ()):
            c = registry[cid]
            print(f"    [{cid}] \"{c.quote}\" ({c.document})")
        print()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
