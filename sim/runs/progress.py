"""Progress of a run or a sweep on stderr: a live bar on a terminal, plain lines in a log.

Batch jobs (SLURM, nohup, ``2> log``) get one line every few percent, or at least every
minute, with the runs done, the failures, the time elapsed and an estimate of the time left.
The lines are proportional to the work: one every :data:`EVERY_RUNS` runs at least, so a
small run prints only its last line, and a large one at most twenty.
"""

from __future__ import annotations

import sys
import time
from datetime import timedelta
from typing import TextIO

EVERY_PERCENT = 5
EVERY_SECONDS = 60.0
EVERY_RUNS = 10  # at most one line per this many runs (and the last)


class Progress:
    """Count finished runs out of ``total`` (``done`` of them finished before this session)."""

    def __init__(self, total: int, done: int = 0, label: str = "runs", enabled: bool = True,
                 failed: int = 0, stream: TextIO | None = None):
        self.total, self.done, self.label, self.failed = total, done, label, failed
        self.stream = stream or sys.stderr
        self.enabled = enabled and total > 0
        self.bar = None
        if self.enabled and _is_terminal(self.stream):
            from tqdm.auto import tqdm

            self.bar = tqdm(total=total, initial=done, unit="run", desc=label, file=self.stream,
                            dynamic_ncols=True, leave=False)
            if failed:
                self.bar.set_postfix(failed=failed)
        self.start = self.last_time = time.monotonic()
        self.first = done
        self.last_step = self._step()

    def _step(self) -> int:
        """Which line the count has reached: one every EVERY_PERCENT of the runs, and at most one per
        EVERY_RUNS runs."""
        if not self.total:
            return 0
        every = max(self.total * EVERY_PERCENT / 100, EVERY_RUNS)
        return int(self.done // every)

    def update(self, failed: bool = False) -> None:
        """One more run finished (``failed`` if it raised)."""
        self.done += 1
        self.failed += failed
        if not self.enabled:
            return
        if self.bar is not None:
            if failed:
                self.bar.set_postfix(failed=self.failed)
            self.bar.update()
            return
        now = time.monotonic()
        if (self._step() > self.last_step and self.done < self.total) or now - self.last_time >= EVERY_SECONDS \
                or self.done == self.total:
            self.last_step, self.last_time = self._step(), now
            print(self.line(now), file=self.stream, flush=True)

    def line(self, now: float) -> str:
        elapsed = now - self.start
        rate = (self.done - self.first) / elapsed if elapsed > 0 else 0
        left = f", about {_clock((self.total - self.done) / rate)} left" if rate and self.done < self.total else ""
        failed = f", {self.failed} failed" if self.failed else ""
        return (f"{self.label}: {self.done}/{self.total} runs ({100 * self.done / self.total:.0f}%){failed}, "
                f"{_clock(elapsed)} elapsed{left}")

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _clock(seconds: float) -> str:
    return str(timedelta(seconds=round(seconds)))
