"""Time the calibration: ``regime-sim calibrate calibrate_baseline`` as the shipped settings run it
(screening waves, the ensemble wave, the confirmation on fresh seeds), and print the wall time
against the budget (issue 29: under 45 minutes on two cores).

By default it runs the whole calibration (about 13,000 runs of 29 months at the scenario's
settings) into a scratch folder; it writes no ensemble. ``--fraction F`` runs every stage with F
times the points (samples, draws, confirm; the waves and replicates unchanged) and extrapolates
the runs' share of the time to the whole (the emulators' fits and screening do not shrink with F,
so the extrapolation is an upper bound on them). Examples:

    python benchmarks/calibration_benchmark.py --workers 2                 # the real thing, timed
    python benchmarks/calibration_benchmark.py --fraction 0.05 --workers 2 # a quick estimate
    python benchmarks/calibration_benchmark.py --workers 2 --out results/calibration_run \\
        --ensemble scenarios/ensemble/baseline.csv                          # the shipped run, timed
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import shutil
import sys
import time
from pathlib import Path

from sim.interfaces.cli import main as regime_sim
from sim.runs.scenario import load

BUDGET_MINUTES = 45


def _toml(value) -> str:
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_toml(v)}" for k, v in value.items()) + " }"
    return json.dumps(value)


def scaled_scenario(scenario: str, fraction: float, waves: int | None, folder: Path) -> tuple[Path, dict]:
    """A scenario extending ``scenario`` with its [calibrate] section, the points of every stage
    times ``fraction`` (and ``waves`` screening waves if given)."""
    base = load(scenario)
    section = dict(base.calibrate)
    if not section:
        sys.exit(f"{scenario} has no [calibrate] section")
    free = section.pop("free")
    for key, least in (("samples", 2), ("draws", 2), ("confirm", 1)):
        if section.get(key):
            section[key] = max(least, math.ceil(section[key] * fraction))
    if waves:
        section["waves"] = waves
    lines = ["# the calibration benchmark's copy", f"extends = {json.dumps(str(base.path.resolve()))}",
             "[calibrate]", *(f"{k} = {_toml(v)}" for k, v in section.items()), "[calibrate.free]"]
    lines += [f"{json.dumps(n)} = {_toml(r)}" for n, r in free.items()]
    path = folder / "benchmark.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, section


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default="calibrate_baseline")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--fraction", type=float, default=1.0,
                        help="share of every stage's points to run (default 1: the whole calibration)")
    parser.add_argument("--waves", type=int, default=None, help="screening waves (default: the scenario's)")
    parser.add_argument("--scale", type=float, default=None, help="population scale (default: regime-sim's)")
    parser.add_argument("--out", type=Path, default=Path("results/calibration_benchmark"))
    parser.add_argument("--ensemble", type=Path, default=None,
                        help="also write the ensemble there (the whole calibration only: the timed run is then the "
                             "one that ships, run on the scenario itself)")
    args = parser.parse_args()
    if not 0 < args.fraction <= 1:
        sys.exit("--fraction: must be in (0, 1]")
    if args.ensemble and (args.fraction < 1 or args.waves or args.scale is not None):
        sys.exit("--ensemble: only for the whole calibration (no --fraction, --waves or --scale)")
    if args.out.exists():
        shutil.rmtree(args.out)
    args.out.mkdir(parents=True)
    scenario, section = scaled_scenario(args.scenario, args.fraction, args.waves, args.out)
    if args.ensemble:  # the scenario itself, so that the ensemble's record names it
        scenario = args.scenario
    cpu_before = _cpu_seconds()
    start = time.perf_counter()
    status = regime_sim(["calibrate", str(scenario), "--out", str(args.out / "calibration"),
                         "--workers", str(args.workers), "--quiet",
                         *(["--scale", str(args.scale)] if args.scale is not None else []),
                         *(["--ensemble", str(args.ensemble)] if args.ensemble else [])])
    wall = time.perf_counter() - start
    cpu = _cpu_seconds() - cpu_before
    if status not in (0, 1):  # 1: nothing kept, which does not matter for timing
        sys.exit(status)
    summary = json.loads((args.out / "calibration" / "calibration.json").read_text(encoding="utf-8"))
    stages = summary["waves"]
    runs = sum(w["runs"] for w in stages)
    # the emulators' fits and screening do not grow with the points; the rest (runs, evaluation) does
    fixed = sum(w["emulator"].get("fit_seconds", 0) + w["emulator"].get("screen_seconds", 0)
                if "fit_seconds" in w.get("emulator", {}) else w["emulator"].get("seconds", 0)
                for w in stages if "emulator" in w)
    run_seconds = sum(w["seconds"] for w in stages) - fixed
    print(f"{args.scenario} at {args.fraction:g} of its points ({section['waves']} screening waves of "
          f"{section['samples']} x {section['replicates']}, ensemble wave {section.get('draws', 0)}, confirmation up "
          f"to {section.get('confirm', 0) or 'all'} x {section.get('confirm_replicates', '-')}), "
          f"{args.workers} worker(s)")
    for w in stages:
        print(f"  stage {w['wave']}: {w['design']}, {w['points']} points, {w['runs']} runs, {w['seconds']:.0f} s")
    print(f"wall time {wall:.0f} s ({wall / 60:.1f} minutes) for {runs} runs: {wall / max(runs, 1):.3f} s per run; "
          f"CPU time {cpu:.0f} s; load average now {os.getloadavg()[0]:.1f} (other work on the machine slows it)")
    if args.fraction < 1:
        estimate = (wall - run_seconds) + run_seconds / args.fraction
        print(f"emulators {fixed:.0f} s, runs and their evaluation {run_seconds:.0f} s; extrapolated to the whole "
              f"calibration: about {estimate / 60:.0f} minutes (budget {BUDGET_MINUTES} minutes on 2 cores; a rough "
              "estimate at a small fraction: the start-up of each stage does not grow with it)")
    else:
        verdict = "within" if wall <= BUDGET_MINUTES * 60 else "OVER"
        print(f"the whole calibration took {wall / 60:.1f} minutes: {verdict} the budget of {BUDGET_MINUTES} minutes")


def _cpu_seconds() -> float:
    """User and system CPU seconds of this process and of its finished child processes (the workers)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


if __name__ == "__main__":
    main()
