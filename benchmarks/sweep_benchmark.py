"""Time a full-scale sweep and sample its memory: the figures in the README's Speed section.

Runs ``regime-sim sweep`` as a child process and, every ``--every`` seconds, sums the resident
memory of its whole process tree (the main process and its workers, read from /proc, so Linux
only) and counts the chunks stored. Prints the wall time, seconds per run and worker, and the
memory at each chunk; memory is flat when the last chunks need no more than the first. Example
(25 points x 40 replicates = 1,000 runs, about 6.5 minutes on two cores):

    python benchmarks/sweep_benchmark.py moderation_dilemma --replicates 40 --workers 2 --out /tmp/k
"""

import argparse
import subprocess
import sys
import time
from pathlib import Path

from sim.runs import store


def tree(pid: int) -> list[int]:
    """``pid`` and all its descendants (from /proc/PID/task/TID/children)."""
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        for task in Path(f"/proc/{p}/task").glob("*"):
            try:
                todo += [int(c) for c in (task / "children").read_text().split()]
            except OSError:
                pass
    return found


def resident_mb(pids: list[int]) -> float:
    """Summed resident memory of ``pids`` in MB (VmRSS); processes that have ended count 0."""
    total_kb = 0
    for p in pids:
        try:
            status = Path(f"/proc/{p}/status").read_text()
        except OSError:
            continue
        total_kb += next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0)
    return total_kb / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario")
    parser.add_argument("--replicates", type=int, default=40)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", type=Path, required=True, help="a new folder for the sweep's results")
    parser.add_argument("--months", type=int, default=120)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--every", type=float, default=5.0, help="seconds between memory samples")
    args = parser.parse_args(argv)
    command = [sys.executable, "-m", "sim", "sweep", args.scenario, "--replicates", str(args.replicates),
               "--months", str(args.months), "--scale", str(args.scale), "--workers", str(args.workers),
               "--out", str(args.out), "--quiet"]
    print(" ".join(command[1:]), file=sys.stderr)
    start = time.perf_counter()
    sweep = subprocess.Popen(command)
    samples = []  # (seconds, MB, chunks stored)
    while sweep.poll() is None:
        chunks = len(store.parts(args.out, "runs"))
        samples.append((time.perf_counter() - start, resident_mb(tree(sweep.pid)), chunks))
        time.sleep(args.every)
    wall = time.perf_counter() - start
    if sweep.returncode:
        return sweep.returncode
    n = store.dataset(args.out, "runs").count_rows()
    print(f"wall time {wall:.0f} s ({wall / 60:.1f} min) for {n} runs in {args.out}: {wall * args.workers / n:.2f} s "
          f"per run and worker (start-up, storage and plots included)")
    print("memory of the process tree, highest sample while each number of chunks was stored:")
    for chunks in sorted({c for _, _, c in samples}):
        peak = max(mb for _, mb, c in samples if c == chunks)
        print(f"  {chunks:3d} chunk(s): {peak:7.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
