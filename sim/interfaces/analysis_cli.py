"""The analysis commands: ``regime-sim sensitivity``, ``claims``, ``discover``, ``experiments`` and ``compare``.

Registered on the main parser by :func:`register`; bad input raises ScenarioError, which
``sim.interfaces.cli.main`` turns into one line and exit code 2.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sim import __version__
from sim.interfaces.options import (add_format_option, add_run_options, local_workers, positive_int, resolve_run,
                                   setting)


CLAIMS_SCALE = 0.25  # sim.analysis.experiments.SCALE (not imported here, to keep start-up short; a test checks)


def register(sub) -> None:
    """Add the analysis subcommands to the main parser's subparsers."""
    sens = sub.add_parser("sensitivity", help="which assumptions drive the results: Sobol or Morris indices",
                          description="Global sensitivity analysis with SALib over the scenario's [sensitivity] "
                                      "parameters (default: every assumption or calibration, over its allowed "
                                      "range), through the sweep engine. Writes indices.csv (bootstrap "
                                      "confidence intervals), noise.csv, bar charts and sensitivity.json.")
    sens.add_argument("scenario", help="a scenario file, or the name of a shipped one")
    sens.add_argument("--method", choices=("sobol", "morris"), default=None,
                      help="sobol (variance shares; default) or morris (cheaper screening)")
    sens.add_argument("--samples", type=positive_int, default=None,
                      help="base samples N (Sobol: N*(D+2) points, a power of two; Morris: N*(D+1))")
    sens.add_argument("--outcome", nargs="+", default=None, metavar="NAME",
                      help="outcomes, e.g. survived isk_fighters isk_attacks_max (default: the section's)")
    add_run_options(sens)
    _add_range_option(sens)
    _add_engine_options(sens, positive_int)
    sens.add_argument("--shard", metavar="I/N", default=None,
                      help="run only slice I of N; merge the shards with 'regime-sim merge', then rerun with "
                           "--resume to analyse")
    add_format_option(sens)
    sens.set_defaults(handler=cmd_sensitivity)

    claims = sub.add_parser("claims", help="how robust each directional claim is across the plausible region",
                            description="For each directional claim in seeds/directional_claims.toml, sample the "
                                        "assumption and calibration parameters (Latin hypercube), run the effect "
                                        "with the cause at its low, middle and high settings on common random "
                                        "numbers, and report the effect (median paired difference, 95% bootstrap "
                                        "interval, relative to the outcome's spread), a verdict that needs a "
                                        "consistent sign and a size that matters, the share of the region where "
                                        "the documented direction holds and the parameters that flip it. Writes "
                                        "claims.csv, claims.md and claims.json.")
    claims.add_argument("scenario", nargs="?", default="baseline",
                        help="the scenario whose parameters are the centre of the region (default: baseline)")
    claims.add_argument("--samples", type=positive_int, default=32, help="points of the region (default 32)")
    claims.add_argument("--replicates", type=positive_int, default=2,
                        help="replicate seeds per point and setting of the cause (default 2)")
    claims.add_argument("--only", nargs="+", default=None, metavar="ID", help="test only these claims")
    _add_range_option(claims)
    claims.add_argument("--spread", type=_share, default=None, metavar="FRACTION",
                        help="the region: each uncertain parameter's value plus or minus this fraction "
                             "(instead of --range)")
    claims.add_argument("--full-range", action="store_true", help="the same as --range allowed")
    claims.add_argument("--registry", type=Path, default=None, help="another claims file (default: the shipped one)")
    claims.add_argument("--seed", type=int, default=None, help="root seed (default: the scenario's)")
    claims.add_argument("--scale", type=_scale, default=CLAIMS_SCALE,
                        help=f"fraction of the fighters to simulate (default {CLAIMS_SCALE:g}, the experiments' "
                             "scale, shown not to change the answer)")
    claims.add_argument("--set", action="append", metavar="KEY=VALUE", default=[], help="override a parameter")
    claims.add_argument("--quiet", action="store_true", help="no progress bars")
    _add_engine_options(claims, positive_int)
    claims.set_defaults(handler=cmd_claims)

    exp = sub.add_parser("experiments", help="run the documents' arguments as experiments and write verdicts",
                         description="Run every experiment script in experiments/ (one per argument of the "
                                     "documents): sweep, claims, scenario discovery and a verdict in Markdown in "
                                     "--results/<name>.md (default results/experiments/) with its figures, and findings.md. "
                                     "Reduced size "
                                     "by default (minutes on two cores); --full for the full size, --smoke for CI.")
    size = exp.add_mutually_exclusive_group()
    size.add_argument("--full", action="store_true", help="full size (hours on a laptop; use a cluster)")
    size.add_argument("--smoke", action="store_true", help="the smallest size, to check that everything runs")
    exp.add_argument("--only", nargs="+", default=None, metavar="NAME", help="run only these experiments")
    exp.add_argument("--scale", type=_scale, default=None,
                     help="fraction of the fighters to simulate (default: the size's; reduced and full run at a "
                          "scale shown not to change the answer by tests/analysis/test_scale.py)")
    exp.add_argument("--workers", type=positive_int, default=None, help="local worker processes (default: all "
                                                                         "cores; 1 for --smoke)")
    exp.add_argument("--results", type=Path, default=Path("results") / "experiments",
                     help="where the verdicts and figures go (default: results/experiments; the verdicts shipped "
                          "with the repository are in experiments/results: give that to refresh them)")
    exp.add_argument("--work", type=Path, default=Path("results") / "experiments" / "data",
                     help="where the sweeps' data go (default: results/experiments/data)")
    exp.add_argument("--quiet", action="store_true", help="no progress bars")
    exp.set_defaults(handler=cmd_experiments)

    comp = sub.add_parser("compare", help="two scenarios on common random numbers: paired differences",
                          description="Run scenarios A and B with the same replicate seeds (common random numbers), "
                                      "the same calibrated-ensemble members (a member x seed design: --members, "
                                      "default 20, with at least two seeds each unless --replicates; --members 0 "
                                      "draws as 'run' does; --point best runs the best member on both sides) and "
                                      "the same months and scale; report for every pair, the fall as a competing "
                                      "state, survival and the months stood at the horizon and each outcome at the "
                                      "horizon or at the fall: the paired difference B - A with a 95% bootstrap "
                                      "interval clustered by member, relative to its spread, and its parametric and "
                                      "chance variance. Writes compare.csv, paired.csv (every replicate), a figure "
                                      "and manifest.json. --set changes both scenarios.")
    comp.add_argument("a", help="scenario A (the reference), a file or a shipped name")
    comp.add_argument("b", help="scenario B")
    comp.add_argument("--outcome", nargs="+", default=None, metavar="NAME",
                      help="outcomes, e.g. survived isk_fighters aid_mean (default: survived, IS-K and Taliban "
                           "fighters, IS-K attacks, cohesion, poverty, GDP)")
    add_run_options(comp)
    comp.add_argument("--out", type=Path, default=None, help="output folder (default: results/compare-A-B)")
    add_format_option(comp)
    comp.set_defaults(handler=cmd_compare)

    disc = sub.add_parser("discover", help="scenario discovery: where in the lever space an outcome holds (PRIM)",
                          description="Find the box of swept parameters where the runs of interest concentrate, "
                                      "with PRIM (peeling and pasting) over the sweep's points (a point's replicates "
                                      "are one unit), from a finished sweep folder, with a significance test of each "
                                      "restriction and bootstrap resampling of the box. Prints the box in words; "
                                      "writes the coverage-density trade-off curve, the box in all its dimensions, "
                                      "trajectory.csv and discovery.json to --out.")
    disc.add_argument("folder", type=Path, help="a finished sweep's output folder")
    what = disc.add_mutually_exclusive_group(required=True)
    what.add_argument("--outcome", help="the runs of interest, e.g. survived or \"isk_fighters_final < 5000\"")
    what.add_argument("--cause", metavar="CAUSE",
                      help="cause-specific boxes: the runs of interest are those whose regime fell by CAUSE (regime "
                           "split, loss of cohesion, civil war, fiscal collapse or loss of territory); 'each': a "
                           "box for every cause that some run fell by, each in its own folder under --out")
    disc.add_argument("--where", default=None, help="a further condition they must meet, e.g. "
                                                    "\"isk_fighters_final < 5000 and gdp_index_final > 0.8\"")
    disc.add_argument("--min-coverage", type=_share, default=0.5, metavar="SHARE",
                      help="the box must hold at least this share of the runs of interest (default 0.5)")
    disc.add_argument("--bootstrap", type=_count, default=None, metavar="N",
                      help="bootstrap resamples of the points for the box's stability (default 100; 0: none)")
    _add_range_option(disc, "keep the runs whose swept uncertain parameters lie in this region: accepted "
                            "(default; the history-consistent region of the sweep scenario's calibrated ensemble), "
                            "pm50 (each within +-50%% of the scenario's value) or allowed (every run)")
    disc.add_argument("--out", type=Path, default=None, help="output folder (default: FOLDER/discovery)")
    add_format_option(disc)
    disc.set_defaults(handler=cmd_discover)


def _add_range_option(p: argparse.ArgumentParser, text: str | None = None) -> None:
    p.add_argument("--range", dest="region", choices=("accepted", "allowed", "pm50", "plausible"), default="accepted",
                   help=text or "the region of the uncertain parameters to explore: accepted (default; the "
                                "history-consistent region, the box of the calibrated ensemble's accepted points, "
                                "other parameters at the scenario's values), allowed (every assumption and "
                                "calibration over its whole allowed range), pm50 (each at its value +-50%%) or "
                                "plausible (between accepted and allowed: each calibrated parameter from halfway "
                                "below to halfway above its accepted span, the others +-50%%)")


def _add_engine_options(p: argparse.ArgumentParser, positive_int) -> None:
    p.add_argument("--workers", type=positive_int, default=None, help="local worker processes (default: all cores)")
    p.add_argument("--scheduler", metavar="ADDRESS", default=None, help="run on an existing Dask cluster")
    p.add_argument("--out", type=Path, default=None, help="output folder")
    p.add_argument("--resume", action="store_true", help="finish an interrupted analysis in --out")
    p.add_argument("--chunk-size", type=positive_int, default=100, metavar="RUNS",
                   help="runs per Parquet chunk (default 100)")


def _scale(text: str) -> float:
    return setting("scale")(text)


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{value} must be 0 or more")
    return value


def _share(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0 < value <= 1:
        raise argparse.ArgumentTypeError(f"{value} must be above 0 and at most 1")
    return value


def _runner(args, out: Path, **changes):
    from sim.runs import sweep
    from sim.analysis.evaluate import Runner

    scenario, params, months, _, seed, scale = resolve_run(args)
    workers = 1 if args.scheduler else local_workers(args.workers)
    shard = sweep.Shard.parse(args.shard) if getattr(args, "shard", None) else sweep.Shard()
    return Runner(scenario, params, months, scale, seed, out, workers, args.scheduler, args.resume,
                  progress=not args.quiet, chunk_size=args.chunk_size, shard=shard).with_(**changes)


def cmd_sensitivity(args) -> int:
    from sim.analysis import sensitivity
    from sim.analysis.evaluate import ShardDone
    from sim.runs.outputs import command_line, environment, now, write_json

    probe = _runner(args, Path())
    out = args.out or Path("results") / f"{probe.scenario.name}-sensitivity"
    runner = probe.with_(out=out)
    plan = sensitivity.plan(runner.scenario, runner.params, runner.seed, args.method, args.samples, args.outcome,
                            args.replicates, args.region)
    points = plan.samples * (len(plan.ranges) + (2 if plan.method == "sobol" else 1))
    print(f"regime-sim {__version__}: sensitivity of {runner.scenario.name}, {plan.method}, {len(plan.ranges)} "
          f"parameters, {points} points x {plan.replicates} replicate(s) = {points * plan.replicates} runs, "
          f"{runner.months} months, scale {runner.scale:g}, seed {runner.seed} -> {out}", file=sys.stderr)
    try:
        _, result = sensitivity.run(plan, runner)
    except ShardDone as done:
        print(f"shard finished in {done.args[0]}; when every shard is done, join them with "
              f"'regime-sim merge {out}' and rerun this command with --resume to analyse", file=sys.stderr)
        return 0
    paths = sensitivity.write(result, plan, out, args.format)
    write_json(out / "sensitivity.json", {
        "package": "regime-sim", "version": __version__, "created": now(), "command": command_line(),
        "scenario": runner.scenario.name, "root_seed": runner.seed, "months": runner.months, "scale": runner.scale,
        "plan": plan.as_jsonable(), "noise": result.noise, "warnings": result.warnings,
        "runs": "manifest.json, runs/ and timeseries/ in this folder (the sweep engine's)",
        "environment": environment()})
    print("\n".join(sensitivity.report(result, plan)))
    for path in [*paths, out / "sensitivity.json"]:
        print(f"  {path}")
    return 0


def cmd_discover(args) -> int:
    from sim.analysis import discovery
    from sim.runs.outputs import command_line, environment, now

    manifest, runs = discovery.load_sweep(args.folder)
    runs, note = _in_region(manifest, runs, args.region)
    if note:
        print(note, file=sys.stderr)
    out = args.out or args.folder / "discovery"
    summary = args.folder / "summary.json"
    record = {"package": "regime-sim", "version": __version__, "created": now(), "command": command_line(),
              "sweep": {"folder": str(args.folder), "fingerprint": manifest.get("fingerprint"),
                        "results_sha256": (__import__("json").loads(summary.read_text()).get("results_sha256")
                                           if summary.is_file() else None)},
              "environment": environment()}
    resamples = discovery.BOOTSTRAP if args.bootstrap is None else args.bootstrap
    if args.cause == "each":  # a box for every cause some run fell by, each in its own folder
        ok = runs[runs["status"] == "ok"]
        causes = [c for c in discovery.CAUSES if "fall_cause" in ok and (ok["fall_cause"] == c).any()]
        if not causes:
            raise _error("--cause", "each", "no run of this sweep fell, so there is no cause to find a box for")
        jobs = [(c, out / c.replace(" ", "_")) for c in causes]
    else:
        jobs = [(args.cause, out)]
    for cause, folder in jobs:
        found = discovery.discover(manifest, runs, args.outcome, args.where, args.min_coverage,
                                   resamples=resamples, cause=cause)
        paths = discovery.write(found, folder, args.format, record | ({"cause": cause} if cause else {}))
        print(found.sentence())
        if found.failed:
            print(f"({found.failed} failed run(s) left out; see summary.json)")
        for path in paths:
            print(f"  {path}")
    return 0


def _in_region(manifest: dict, runs, kind: str):
    """The runs whose swept uncertain parameters lie in the region ``--range`` names, and a note."""
    from sim.analysis.region import named
    from sim.runs.scenario import ScenarioError, load

    if kind == "allowed":
        return runs, None
    try:
        from sim.runs.outputs import recorded

        scenario = load(recorded(manifest["scenario"]["path"]))
    except ScenarioError:
        return runs, f"regime-sim: note: the sweep's scenario {manifest['scenario']['path']} cannot be read; " \
                     "every run is kept (--range allowed)"
    if kind == "accepted" and scenario.ensemble is None:
        return runs, None  # no calibrated ensemble: nothing narrower is known
    region = named(kind, scenario, scenario.parameters())
    swept = [n for n in manifest["design"]["parameters"] if n in region]
    if not swept:
        return runs, None
    keep = runs.index == runs.index
    for name in swept:
        low, high = region[name]
        keep &= runs[name].between(low, high).to_numpy()
    note = (f"regime-sim: note: --range {kind}: {int(keep.sum())} of {len(runs)} runs have "
            f"{', '.join(swept)} in the region and are analysed")
    if not keep.any():
        raise ScenarioError("--range", kind, f"no run of the sweep lies in the region ({', '.join(swept)}); "
                                             "use --range allowed")
    return runs[keep].reset_index(drop=True), note


def cmd_claims(args) -> int:
    import hashlib

    from sim.analysis import claims as robustness
    from sim.runs.outputs import command_line, environment, now, relative, write_json
    from sim.analysis.region import uncertain

    args.months = None  # each claim has its own months
    registry = robustness.registry(args.registry)
    if args.only:
        known = {c.id for c in registry}
        for cid in args.only:
            if cid not in known:
                from sim.model.params import closest_name
                hint = closest_name(cid, known)
                raise _error("--only", cid, "is not a claim" + (f" (did you mean {hint}?)" if hint else
                                                                f"; the claims are {', '.join(sorted(known))}"))
        registry = [c for c in registry if c.id in args.only]
    replicates, args.replicates = args.replicates, None
    out = args.out or Path("results") / "claims"
    runner = _runner(args, out)
    from sim.analysis.region import describe, named
    if args.spread is not None and not args.full_range:
        region, what = uncertain(runner.params, args.spread), f"values +-{args.spread:.0%}"
    else:
        kind = "allowed" if args.full_range else args.region
        if kind == "accepted" and runner.scenario.ensemble is None:
            kind = "pm50"
            print(f"regime-sim: note: {runner.scenario.name} has no calibrated ensemble; the region is each "
                  "value +-50%", file=sys.stderr)
        region, what = named(kind, runner.scenario, runner.params), describe(kind)
    print(f"regime-sim {__version__}: {len(registry)} claim(s) over {len(region)} uncertain parameters ({what}), "
          f"{args.samples} samples x {robustness.LEVELS} settings of the cause x {replicates} replicate(s), "
          f"scale {runner.scale:g}, "
          f"seed {runner.seed} -> {out}", file=sys.stderr)
    sets = robustness.parameter_sets(args.samples, replicates, region, runner.scenario.ensemble)
    print(f"regime-sim: parameter sets: {sets}", file=sys.stderr)
    verdicts = []
    for i, claim in enumerate(registry, 1):
        if not args.quiet:
            print(f"[{i}/{len(registry)}] {claim.id}: {claim.text}", file=sys.stderr)
        verdicts.append(robustness.assess(claim, region, runner.params, args.samples, replicates,
                                          runner.seed % 2**32, runner.with_(months=claim.months)))
    table = robustness.table(verdicts)
    out.mkdir(parents=True, exist_ok=True)
    table.to_csv(out / "claims.csv", index=False, float_format="%.6g")
    (out / "claims.md").write_text(robustness.markdown(verdicts) + "\n", encoding="utf-8")
    source = args.registry or robustness.bundled_dir("seeds") / "directional_claims.toml"
    write_json(out / "claims.json", {
        "package": "regime-sim", "version": __version__, "created": now(), "command": command_line(),
        "scenario": runner.scenario.name, "root_seed": runner.seed, "scale": runner.scale, "samples": args.samples,
        "replicates": replicates, "parameter_sets": sets, "region": {k: list(v) for k, v in region.items()},
        "region_rule": what, "registry": relative(source), "cause_settings": robustness.LEVELS,
        "verdict_rule": robustness.effects.RULE,
        "default_importance": f"{robustness.effects.IMPORTANT:g} of the outcome's spread (SD across the runs)",
        "registry_sha256": hashlib.sha256(source.read_bytes()).hexdigest(),
        "claims": table.to_dict(orient="records"), "environment": environment()})
    print("\n".join(robustness.lines(verdicts)))
    for name in ("claims.csv", "claims.md", "claims.json"):
        print(f"  {out / name}")
    return 0


def cmd_compare(args) -> int:
    import numpy as np

    from sim.analysis import compare
    from sim.interfaces.options import COMPARE_MEMBERS, with_point
    from sim.runs import run_stats
    from sim.runs.outputs import manifest, relative, write_json
    from sim.runs.runner import run_replicates
    from sim.runs.scenario import ScenarioError, load, parse_set

    names = args.outcome or list(compare.DEFAULT_OUTCOMES)
    for name in names:
        compare.check(name)
    args.scenario = args.a
    default_members = args.members is None
    if default_members:  # a member x seed design where there is an ensemble, else nothing to draw
        args.members = 0
    scenario_a, params_a, months, replicates, seed, scale = resolve_run(args)
    if replicates < 2:  # a paired difference of one replicate has no interval (issue 32)
        raise ScenarioError("--replicates", str(replicates), "compare needs at least 2 replicates for an interval "
                                                             "around the difference (10 or more to read one)")
    overrides = parse_set(args.set)
    if default_members and scenario_a.ensemble is not None:
        args.members = min(COMPARE_MEMBERS, len(scenario_a.ensemble))
        scenario_a, params_a = with_point(load(args.a), overrides, args.point, args.members, seed)
        if args.replicates is None:  # at least two seeds per member, for the chance variance
            replicates = max(replicates, 2 * args.members)
    scenario_b, params_b = with_point(load(args.b), overrides, args.point, args.members, seed, required=False)
    ens_a, ens_b = scenario_a.ensemble, scenario_b.ensemble
    if (ens_a is None) != (ens_b is None) or (ens_a is not None and ens_a.sha256 != ens_b.sha256):
        print(f"regime-sim: note: {scenario_a.name} and {scenario_b.name} do not draw from the same calibrated "
              "ensemble, so their pairs share the seeds but not the parameter draw", file=sys.stderr)
    a, b = scenario_a.name, scenario_b.name
    if a == b:
        b = f"{b} (B)"
    design = (f"{len(ens_a.chosen)} members x {replicates / len(ens_a.chosen):.3g} seeds"
              if ens_a is not None and ens_a.chosen else
              "each replicate drawing its ensemble member as 'run' does" if ens_a is not None else
              f"--point {args.point}" if args.point == "best" else "no ensemble")
    out = args.out or Path("results") / f"compare-{scenario_a.name}-{scenario_b.name}"
    print(f"regime-sim {__version__}: compare {b} with {a}: {replicates} replicate(s) each on the same seeds "
          f"({design}), {months} months, scale {scale:g}, seed {seed} -> {out}", file=sys.stderr)
    if ens_a is not None and ens_a.chosen and replicates < 2 * len(ens_a.chosen):
        print(f"regime-sim: note: {replicates} replicates for {len(ens_a.chosen)} members: members with one seed "
              "tell nothing of chance; give --replicates of at least twice --members", file=sys.stderr)
    sides, runs = {}, {}
    for name, scenario, params in ((a, scenario_a, params_a), (b, scenario_b, params_b)):
        table, endings, seeds = run_replicates(params, months, seed, replicates, scale, progress=not args.quiet,
                                               ensemble=scenario.ensemble)
        sides[name] = compare.per_replicate(table, endings, names, months)
        runs[name] = endings
    if sides[b].attrs.get("members") is not None and sides[a].attrs.get("members") is not None and \
            not np.array_equal(sides[a].attrs["members"], sides[b].attrs["members"]):
        raise ScenarioError("compare", args.b, "its replicates drew other ensemble members than A's; compare needs "
                                               "the same ensemble on both sides")
    table = compare.compare(sides[a], sides[b], seed % 2**32)
    note = f"{replicates} replicates each on common random numbers ({design}), {months} months, scale {scale:g}, seed {seed}"
    paths = compare.write(out, table, sides[a], sides[b], a, b, note, args.format)
    record = {"kind": "compare", "a": manifest(scenario_a, params_a, seed, seeds, months, scale, replicates, runs[a]),
              "b_scenario": {"name": scenario_b.name, "path": relative(scenario_b.path),
                             "extends_chain": [relative(c) for c in scenario_b.chain], "settings": scenario_b.settings,
                             "ensemble": ens_b.as_jsonable() if ens_b is not None else None},
              "b_parameters_changed_from_a": {k: v for k, v in params_b.as_jsonable().items()
                                              if params_a.as_jsonable().get(k) != v},
              "point": args.point, "design": design,
              "outcomes": {n: compare.basis(n) for n in names}, "method": compare.__doc__.split("\n\n", 1)[1].strip()}
    write_json(out / "manifest.json", record)
    paths.append(out / "manifest.json")
    print("\n".join(compare.lines(table, a, b)))
    for path in paths:
        print(f"  {path}")
    return 0


def _error(where, key, message):
    from sim.runs.scenario import ScenarioError

    return ScenarioError(where, key, message)


def cmd_experiments(args) -> int:
    import time

    from sim.analysis import experiments
    from sim.runs import sweep

    size_name = "full" if args.full else "smoke" if args.smoke else "reduced"
    size = experiments.SIZES[size_name]
    if args.scale is not None:
        from dataclasses import replace

        size = replace(size, scale=args.scale)
    scripts = experiments.scripts()
    if args.only:
        stems = {p.stem for p in scripts}
        for name in args.only:
            if name not in stems:
                raise _error("--only", name, f"is not an experiment; the experiments are {', '.join(sorted(stems))}")
        scripts = [p for p in scripts if p.stem in args.only]
    from sim.runs.folders import writable

    results = writable(args.results, "--results")  # before anything is computed
    writable(args.work, "--work")
    workers = local_workers(args.workers or (1 if args.smoke else None))
    print(f"regime-sim {__version__}: {len(scripts)} experiment(s) at the {size_name} size (scale {size.scale:g}; "
          f"{size.members} ensemble member(s) x {size.replicates / size.members:g} seed(s) a point), "
          f"{workers} worker(s) "
          f"-> {results}", file=sys.stderr)
    written, cache = [], {}
    for i, script in enumerate(scripts, 1):
        argument = experiments.load_argument(script)
        start = time.perf_counter()
        print(f"[{i}/{len(scripts)}] {argument.title}", file=sys.stderr)
        written.append(experiments.run(argument, size, results, args.work, workers, not args.quiet, cache))
        print(f"      {written[-1]} ({time.perf_counter() - start:.0f} s)", file=sys.stderr)
    from dataclasses import asdict

    from sim.runs.outputs import command_line, environment, now, write_json
    write_json(results / f"manifest-{size_name}.json", {
        "package": "regime-sim", "version": __version__, "created": now(), "command": command_line(),
        "size": size_name, **asdict(size), "experiments": [p.stem for p in scripts], "work": str(args.work),
        "parameter_sets": f"each experiment's sweep runs {size.members} distinct calibrated-ensemble member(s) with "
                          f"{size.replicates / size.members:g} seed(s) each at every point (a member x seed design; "
                          "without an ensemble, one parameter set); each claim samples "
                          f"{size.claim_samples} parameter sets of the region",
        "note": "each experiment's sweeps, with their own manifest.json (seeds, parameters), are in the work folder",
        "environment": environment()})
    verdicts = [results / f"{p.stem}.md" for p in experiments.scripts()]
    (results / "findings.md").write_text(experiments.findings([p for p in verdicts if p.is_file()]), encoding="utf-8")
    for path in [*written, results / "findings.md"]:
        print(path)
    return 0
