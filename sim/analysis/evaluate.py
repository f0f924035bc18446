"""Sample points evaluated through the sweep engine, returned as arrays for an analysis.

Sensitivity analysis and the claims' robustness both need the same thing: run a list of
parameter points, each with the same replicate seeds (common random numbers), and get one
number per point and replicate for each statistic. :class:`Runner` does it with the sweep
engine (workers, Dask, resume, progress, the manifest, Parquet results); an analysis takes
any function with the same signature, so a test can pass a function whose answer is known.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable

import numpy as np

from sim.runs import run_stats, sweep
from sim.runs.design import from_points
from sim.model.params import Parameters
from sim.runs.scenario import Scenario, ScenarioError
from sim.runs.store import read_runs

# evaluate(name, points, replicates, statistics) -> {statistic: array (points, replicates)}
Evaluate = Callable[[str, list[dict[str, Any]], int, tuple[str, ...]], dict[str, np.ndarray]]


@dataclass(frozen=True)
class Runner:
    """Where and how the runs go: a scenario's parameters, run length and size, seed, workers."""

    scenario: Scenario
    params: Parameters
    months: int
    scale: float
    seed: int
    out: Path
    workers: int = 1
    scheduler: str | None = None
    resume: bool = False
    fresh: bool = False
    progress: bool = True
    chunk_size: int = 100
    shard: sweep.Shard = sweep.Shard()

    def with_(self, **changes) -> "Runner":
        return replace(self, **changes)

    def __call__(self, name: str, points: list[dict[str, Any]], replicates: int,
                 statistics: tuple[str, ...]) -> dict[str, np.ndarray]:
        """Run every point ``replicates`` times as one sweep in ``out/name``; return the statistics."""
        names = tuple(dict.fromkeys(k for p in points for k in p))
        design = from_points("sample", names, points, replicates, run_stats.series(statistics), self.params,
                             self.scenario.path)
        plan = sweep.Sweep(self.scenario, self.params, design, self.months, self.scale, self.seed)
        folder = self.out / name if name else self.out
        if self.shard.count > 1:
            folder = folder / f"shard-{self.shard.index}-of-{self.shard.count}"
        if self.fresh and folder.exists():
            shutil.rmtree(folder)
        summary = sweep.run(plan, folder, self.workers, self.scheduler, self.shard, resume=self.resume,
                            chunk_size=self.chunk_size, progress=self.progress)
        if self.shard.count > 1:
            raise ShardDone(folder)
        if not summary["complete"]:
            raise ScenarioError(folder, None, f"only {summary['runs_finished']} of {summary['runs_expected']} runs "
                                              "are finished; add --resume to finish them")
        return matrices(folder, statistics, len(points), replicates)


class ShardDone(Exception):
    """One shard is run; the analysis waits for ``regime-sim merge`` and a rerun with ``--resume``."""


def matrices(folder: Path, statistics, points: int, replicates: int) -> dict[str, np.ndarray]:
    """Each statistic as an array (point, replicate); a failed run is NaN."""
    columns = {s: run_stats.column(s) for s in statistics}
    runs = read_runs(folder, ["run_id", "point", "replicate", "status", *dict.fromkeys(columns.values())])
    ok = runs["status"].to_numpy() == "ok"
    out = {}
    for statistic, col in columns.items():
        values = np.full((points, replicates), np.nan)
        data = runs[col].astype(float).to_numpy()
        values[runs["point"].to_numpy()[ok], runs["replicate"].to_numpy()[ok]] = data[ok]
        out[statistic] = values
    return out
