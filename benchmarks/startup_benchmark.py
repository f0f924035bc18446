"""Start-up of the commands that do not run the model: wall time of each, in fresh processes.

    python benchmarks/startup_benchmark.py [--repeat 7]

Prints, for each command, the median wall time of ``repeat`` fresh runs and which of the heavy
libraries (Mesa, pandas, matplotlib) it imported. ``plot`` and ``merge`` are timed twice: up
to their first check (a folder that is not a sweep: the command's own start) and doing their
work on a small sweep (4 runs) made beforehand. Figures, not limits: they vary with the machine
and its load.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROBE = ("import sys, runpy\nsys.argv = ['regime-sim', *sys.argv[1:]]\n"
         "try:\n    runpy.run_module('sim', run_name='__main__')\nexcept SystemExit:\n    pass\n"
         "finally:\n    print('imported:', *(m for m in ('mesa', 'pandas', 'matplotlib') if m in sys.modules),"
         " file=sys.stderr)")
SWEEP = """extends = "{baseline}"
months = 6
scale = 0.05
[sweep]
replicates = 2
outcomes = ["isk_fighters", "poverty_rate"]
[sweep.vary]
"policy.moderation" = [0.0, 1.0]
"""


def regime_sim(*args: str) -> list[str]:
    return [sys.executable, "-m", "sim", *args]


def timed(argv, repeat: int) -> tuple[float, str]:
    """Median wall seconds of ``regime-sim argv(i)`` in ``repeat`` fresh processes, and what they imported."""
    times, imported = [], ""
    for i in range(repeat):
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", PROBE, *argv(i)], capture_output=True, text=True)
        times.append(time.perf_counter() - start)
        imported = done.stderr.strip().splitlines()[-1].removeprefix("imported:").strip() or "none"
    return statistics.median(times), imported


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="fresh runs per command (default 7)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        scenario = tmp / "small.toml"
        scenario.write_text(SWEEP.format(baseline=ROOT / "scenarios" / "baseline.toml"), encoding="utf-8")
        for extra in ([], ["--shard", "1/2"], ["--shard", "2/2"]):
            subprocess.run(regime_sim("sweep", str(scenario), "--out", str(tmp / ("shards" if extra else "sweep")),
                                      "--workers", "1", "--quiet", *extra), check=True, capture_output=True)
        interpreter = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            subprocess.run([sys.executable, "-c", "pass"], check=True)
            interpreter.append(time.perf_counter() - start)
        commands = {
            "regime-sim --help": lambda i: ["--help"],
            "regime-sim --version": lambda i: ["--version"],
            "regime-sim params": lambda i: ["params"],
            "regime-sim plot (start: not a sweep folder)": lambda i: ["plot", str(tmp)],
            "regime-sim merge (start: no shards)": lambda i: ["merge", str(tmp)],
            "regime-sim plot (a 4-run sweep, png)": lambda i: ["plot", str(tmp / "sweep")],
            "regime-sim merge (2 shards of a 4-run sweep)": lambda i: ["merge", str(tmp / "shards"), "--out",
                                                                        str(tmp / f"merged-{i}")],
        }
        print(f"median wall time of {args.repeat} fresh processes (Python {sys.version.split()[0]})")
        print(f"{'command':48s} {'seconds':>8s}  imported")
        print(f"{'python -c pass (the interpreter alone)':48s} {statistics.median(interpreter):8.2f}  -")
        for name, argv in commands.items():
            seconds, imported = timed(argv, args.repeat)
            print(f"{name:48s} {seconds:8.2f}  {imported}")


if __name__ == "__main__":
    main()
