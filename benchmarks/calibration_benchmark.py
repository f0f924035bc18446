"""Time one wave of history matching: N full-scale runs of 120 months on the sweep engine.

Runs ``regime-sim calibrate`` on a copy of a scenario's ``[calibrate]`` section cut to one
wave of N runs (N / replicates points), and prints the wall time, the seconds per run, the
CPU time of the process and its workers, and the extrapolation to a wave of 1,000 runs (the
issue's budget: under 15 minutes on two cores). The calibration itself may keep no point;
only the time matters here. Example:

    python benchmarks/calibration_benchmark.py --runs 40 --workers 2 --out results/calbench
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sys
import time
from pathlib import Path

from sim.interfaces.cli import main as regime_sim
from sim.runs.scenario import load


def one_wave_scenario(scenario: str, runs: int, replicates: int, folder: Path) -> Path:
    """A scenario extending ``scenario`` whose [calibrate] section is one wave of ``runs`` runs."""
    base = load(scenario)
    section = dict(base.calibrate)
    if not section:
        sys.exit(f"{scenario} has no [calibrate] section")
    section |= {"design": "latin", "samples": max(2, runs // replicates), "waves": 1, "replicates": replicates}
    free = section.pop("free")
    lines = ["# one wave, for the calibration benchmark", f"extends = {json.dumps(str(base.path.resolve()))}",
             "[calibrate]", *(f"{k} = {json.dumps(v)}" for k, v in section.items()), "[calibrate.free]"]
    lines += [f"{json.dumps(n)} = {{ low = {r['low']}, high = {r['high']} }}" for n, r in free.items()]
    path = folder / "one_wave.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default="calibrate_baseline")
    parser.add_argument("--targets", default=str(Path(__file__).resolve().parents[1] / "scenarios" / "targets.toml"))
    parser.add_argument("--runs", type=int, default=1000, help="runs in the wave (default 1000)")
    parser.add_argument("--replicates", type=int, default=10, help="replicates per point (default 10)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--months", type=int, default=120)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--out", type=Path, default=Path("results/calibration_benchmark"))
    args = parser.parse_args()
    if args.out.exists():
        shutil.rmtree(args.out)
    args.out.mkdir(parents=True)
    scenario = one_wave_scenario(args.scenario, args.runs, args.replicates, args.out)
    runs = max(2, args.runs // args.replicates) * args.replicates
    cpu_before = _cpu_seconds()
    start = time.perf_counter()
    status = regime_sim(["calibrate", str(scenario), "--targets", args.targets, "--out", str(args.out / "wave"),
                         "--months", str(args.months), "--scale", str(args.scale), "--workers", str(args.workers),
                         "--quiet"])
    wall = time.perf_counter() - start
    cpu = _cpu_seconds() - cpu_before
    if status not in (0, 1):  # 1: no point kept, which does not matter for timing
        sys.exit(status)
    print(f"one wave: {runs} runs ({runs // args.replicates} points x {args.replicates} replicates), "
          f"{args.months} months, scale {args.scale:g}, {args.workers} worker(s)")
    print(f"wall time {wall:.1f} s (start-up, Parquet, evaluation and figure included); "
          f"{wall / runs:.3f} s per run, {wall * args.workers / runs:.3f} s per run and worker")
    print(f"CPU time {cpu:.1f} s (this process and its workers): {cpu / runs:.3f} CPU s per run; "
          f"load average now {os.getloadavg()[0]:.1f} (the machine's other work slows the wall time)")
    print(f"extrapolated to a wave of 1,000 runs: {wall / runs * 1000 / 60:.1f} minutes at this wall time; "
          f"{cpu / runs * 1000 / args.workers / 60:.1f} minutes on {args.workers} otherwise idle cores (CPU time "
          f"/ workers)")


def _cpu_seconds() -> float:
    """User and system CPU seconds of this process and of its finished child processes (the workers)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


if __name__ == "__main__":
    main()
