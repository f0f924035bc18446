"""Parameter sweeps: every point of a design, run with the same replicate seeds, on any number of workers.

Runs are numbered point by point (``run_id = point * replicates + replicate``). Replicate
*r* has the same seed at every point, spawned from the sweep's root seed with NumPy's
SeedSequence (common random numbers), so differences between points are not seed noise.
A run's result depends only on its parameters and its seed, never on which worker ran it
or when, so one worker, a process pool, a Dask cluster and merged shards give the same
tables, to the bit. Results stream to a :class:`~sim.runs.store.ResultStore` as they finish;
``resume`` skips the runs already stored. A run that raises is stored with its error.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import threading
import time
from concurrent.futures import FIRST_COMPLETED, Executor, ProcessPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from multiprocessing import get_context
from pathlib import Path
from typing import Any, Iterable, Iterator

import numpy as np
import pyarrow as pa

from sim import __version__
from sim.runs.design import Design
from sim.model.outcomes import RUN_STATISTICS
from sim.model.params import SPEC_BY_NAME, Parameters
from sim.runs.scenario import Scenario, ScenarioError
from sim.runs.seeds import ReplicateSeed, replicate_seeds
from sim.runs.store import LOCK, FolderBusy, ResultStore, exclusive, parts, read_column

STATS = tuple(RUN_STATISTICS)  # run-level summaries of each kept time series
SUMMARY_BLOCK_RUNS = 5_000  # summarise() reads this many runs at a time
FEW_MEMBERS = 20  # fewer distinct parameter sets than this behind a point is said in the outputs (issue 29)
PARENT_POLL_SECONDS = 0.5  # how often a worker process checks that the sweep is still running


@dataclass(frozen=True)
class Shard:
    """Slice ``index`` of ``count`` (1-based): the runs whose id modulo ``count`` is ``index - 1``."""

    index: int = 1
    count: int = 1

    @classmethod
    def parse(cls, text: str) -> "Shard":
        try:
            index, count = (int(x) for x in text.split("/"))
        except ValueError:
            raise ScenarioError("--shard", text, "expected I/N, e.g. --shard 3/10 for the third of ten slices") from None
        if not 1 <= index <= count:
            raise ScenarioError("--shard", text, f"I must be between 1 and N ({count})")
        return cls(index, count)

    @property
    def tag(self) -> str:
        return "all" if self.count == 1 else f"shard{self.index}of{self.count}"

    def run_ids(self, runs: int) -> range:
        return range(self.index - 1, runs, self.count)

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"


@dataclass(frozen=True)
class Sweep:
    """Everything that decides a sweep's results: the scenario's parameters, the design, the seeds."""

    scenario: Scenario
    params: Parameters
    design: Design
    months: int
    scale: float
    root_seed: int

    @cached_property
    def seeds(self) -> list[ReplicateSeed]:
        """Replicate *r*'s seed, the same at every point (common random numbers)."""
        return replicate_seeds(self.root_seed, self.design.replicates)

    @property
    def ensemble(self):
        """The calibrated ensemble each replicate draws from (the scenario's, without the swept
        names), or None (:mod:`sim.runs.ensemble`)."""
        ensemble = getattr(self.scenario, "ensemble", None)
        return None if ensemble is None else ensemble.fixing(self.design.parameters)

    @property
    def parameter_sets(self) -> int:
        """How many distinct parameter sets each point maps: the distinct ensemble members its replicates
        draw (the same at every point), or 1 without an ensemble."""
        ensemble = self.ensemble
        return 1 if ensemble is None else len({ensemble.member(s) for s in self.seeds})

    def parameter_sets_note(self) -> str:
        """Says how many parameter sets a point's statistics map (issue 29: a table must say it)."""
        r, n = self.design.replicates, self.parameter_sets
        if self.ensemble is None:
            return f"each point's {r} replicate(s) run one parameter set (no calibrated ensemble): only chance varies"
        return (f"each point's {r} replicate(s) run {n} distinct calibrated-ensemble member(s) (parameter sets), "
                f"the same at every point; {self.ensemble.design}" + ("" if n >= FEW_MEMBERS else
                                                                      f"; fewer than {FEW_MEMBERS}: a point's "
                                                                      "statistics rest on few parameter sets (more "
                                                                      "--replicates, or --members N with "
                                                                      "--replicates a multiple of N)"))

    def fingerprint(self) -> str:
        """A hash of what decides the results; a resumed or merged sweep must match it."""
        record = {"version": __version__, "parameters": self.params.as_jsonable(),
                  "design": self.design.as_jsonable(), "months": self.months, "scale": self.scale,
                  "root_seed": self.root_seed}
        if self.ensemble is not None:
            record["ensemble"] = self.ensemble.as_jsonable() | {"path": None}
        text = json.dumps(record, sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()

    def task(self, run_id: int) -> "RunTask":
        point, replicate = self.design.run(run_id)
        seed, ensemble = self.seeds[replicate], self.ensemble
        drawn, member = {}, None
        if ensemble is not None:
            member = ensemble.member(seed)
            drawn = ensemble.values(member)
        return RunTask(run_id, point, replicate, seed, self.params, self.design.points[point],
                       self.months, self.scale, self.design.outcomes, drawn, member)

    def schemas(self) -> dict[str, pa.Schema]:
        """The columns of the two result tables."""
        swept = [pa.field(n, pa.string() if SPEC_BY_NAME[n].choices else pa.float64()) for n in self.design.parameters]
        stats = [pa.field(f"{o}_{s}", pa.float64()) for o in self.design.outcomes if o != "regime_survives"
                 for s in STATS]
        runs = pa.schema([pa.field("run_id", pa.int64()), pa.field("point", pa.int64()),
                          pa.field("replicate", pa.int64()), pa.field("seed_entropy", pa.string()),
                          pa.field("seed_spawn_key", pa.string()), *swept,
                          *([pa.field("ensemble_member", pa.int64())] if self.ensemble is not None else []),
                          pa.field("status", pa.string()),
                          pa.field("error", pa.string()), pa.field("survived", pa.bool_()),
                          pa.field("fall_month", pa.int64()), pa.field("fall_cause", pa.string()), *stats,
                          pa.field("digest", pa.string())])
        series = pa.schema([pa.field("run_id", pa.int64()), pa.field("point", pa.int64()),
                            pa.field("replicate", pa.int64()), pa.field("month", pa.int64()),
                            *(pa.field(o, pa.float64()) for o in self.design.outcomes)])
        return {"runs": runs, "timeseries": series}


@dataclass(frozen=True)
class RunTask:
    """One run of a sweep: a point of the design and a replicate seed."""

    run_id: int
    point: int
    replicate: int
    seed: ReplicateSeed
    base: Parameters
    values: dict[str, Any]
    months: int
    scale: float
    outcomes: tuple[str, ...]
    drawn: dict[str, Any] | None = None  # calibrated values drawn from an ensemble (the design's override them)
    member: int | None = None            # the ensemble member drawn


def simulate(task: RunTask) -> tuple[dict, dict[str, np.ndarray] | None]:
    """Run one task; return its runs-table row and its kept time series (None if it failed).

    A run ends at its last month or at the regime's fall (:meth:`RegimeModel.run`): a fallen run's
    series end with the month of the fall, and its ``_final``, ``_mean`` and ``_max`` are the value
    at the fall and the mean and maximum over the months up to it."""
    from sim.model.model import RegimeModel  # here, not at the top: plot and merge start without Mesa
    from sim.runs.runner import release

    row: dict[str, Any] = {"run_id": task.run_id, "point": task.point, "replicate": task.replicate,
                           "seed_entropy": str(task.seed.entropy),
                           "seed_spawn_key": ",".join(map(str, task.seed.spawn_key)), **task.values}
    if task.member is not None:
        row["ensemble_member"] = task.member
    try:
        model = RegimeModel(task.base.replace({**(task.drawn or {}), **task.values}), months=task.months,
                            seed=task.seed.sequence(), scale=task.scale)
        records = model.run()
    except Exception as err:  # noqa: BLE001 - a failed run is recorded, and the sweep goes on
        return row | {"status": "failed", "error": f"{type(err).__name__}: {err}"}, None
    series = {o: np.array([r[o] for r in records], dtype=float) for o in task.outcomes}
    for name, values in series.items():
        bad = np.flatnonzero(~np.isfinite(values))
        if len(bad):  # a world the model cannot represent: recorded as a failed run, the sweep goes on
            release(model)
            return row | {"status": "failed", "error": f"NonFiniteOutput: {name} is {values[bad[0]]} from month "
                                                       f"{records[bad[0]]['month']}"}, None
    row |= {"status": "ok", "error": None, "survived": bool(model.regime_survives), "fall_month": model.fall_month,
            "fall_cause": model.fall_cause}
    release(model)
    for name, values in series.items():
        if name != "regime_survives":
            row |= {f"{name}_final": float(values[-1]), f"{name}_mean": float(values.mean()),
                    f"{name}_max": float(values.max())}
    digest = hashlib.sha256(json.dumps(row, sort_keys=True, default=str).encode())
    for values in series.values():
        digest.update(values.tobytes())
    row["digest"] = digest.hexdigest()
    return row, series


def _series_table(task: RunTask, series: dict[str, np.ndarray], schema: pa.Schema) -> pa.Table:
    n = len(next(iter(series.values())))
    columns = {"run_id": np.full(n, task.run_id), "point": np.full(n, task.point),
               "replicate": np.full(n, task.replicate), "month": np.arange(n), **series}
    return pa.table(columns, schema=schema)


@contextmanager
def executor(workers: int = 1, scheduler: str | None = None) -> Iterator[tuple[Executor | None, int]]:
    """Where the runs happen, and how many may be in flight at once (two per worker, so memory
    does not grow with the sweep): ``None`` for this process, a local process pool, or a Dask
    cluster (connected here, before anything is written).

    The pool's workers leave Ctrl-C and SIGTERM (sent to the whole process group by a
    terminal or a batch system) to this process, which stops them when it is interrupted or
    terminated; and each worker exits by itself within a second if this process dies
    (``kill -9``), so no worker outlives the sweep.
    """
    if scheduler:
        client = _dask_client(scheduler)
        with client:
            yield client.get_executor(pure=False), 2 * max(1, sum(client.nthreads().values()))
    elif workers <= 1:
        yield None, 1
    else:
        _quiet_resource_tracker()
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn"),
                                   initializer=_watch_parent, initargs=(os.getpid(),))
        try:
            yield pool, 2 * workers
        except BaseException:
            _stop(pool)
            raise
        pool.shutdown(wait=True)


# After kill -9 of a sweep, multiprocessing's resource tracker (a helper process) removes the pool's
# semaphores, as it should, and warns "There appear to be N leaked semaphore objects": noise after a kill
# whose runs are safe. The tracker takes its warning options from sys.warnoptions when it starts.
TRACKER_QUIET = "ignore:resource_tracker:UserWarning"


def _quiet_resource_tracker() -> None:
    """Start multiprocessing's resource tracker (if not running) without its leaked-semaphore warning."""
    import sys
    from multiprocessing import resource_tracker

    if TRACKER_QUIET not in sys.warnoptions:
        sys.warnoptions.append(TRACKER_QUIET)
    resource_tracker.ensure_running()


def _watch_parent(parent: int) -> None:
    """In a worker process: leave Ctrl-C and SIGTERM to the sweep, and exit when the sweep's process is gone."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_POLL_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="watch-parent", daemon=True).start()


def _stop(pool: ProcessPoolExecutor) -> None:
    """Stop a pool now: cancel what has not started, kill the workers (their runs are lost)."""
    processes = list((pool._processes or {}).values())  # the executor has no public way to stop its workers
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.kill()
    for process in processes:
        process.join(timeout=5)


def _dask_client(scheduler: str):
    from distributed import Client

    try:
        return Client(scheduler, timeout="30s")
    except (OSError, ValueError, TypeError) as err:
        raise ScenarioError("--scheduler", scheduler, f"cannot reach a Dask scheduler there ({err}); give its "
                                                      "address, e.g. tcp://10.0.0.5:8786") from None


def _windowed(tasks: Iterable[RunTask], executor: Executor | None, window: int) -> Iterator[tuple[RunTask, tuple]]:
    """Keep ``window`` tasks submitted to ``executor`` (None: run each here, in turn); yield each as it finishes."""
    if executor is None:
        for task in tasks:
            yield task, simulate(task)
        return
    pending = {}
    source = iter(tasks)
    try:
        while True:
            for task in source:
                pending[executor.submit(simulate, task)] = task
                if len(pending) >= window:
                    break
            if not pending:
                return
            for future in wait(pending, return_when=FIRST_COMPLETED).done:
                yield pending.pop(future), future.result()
    finally:
        for future in pending:
            future.cancel()


def run(sweep: Sweep, out: Path, workers: int = 1, scheduler: str | None = None, shard: Shard = Shard(),
        resume: bool = False, chunk_size: int = 100, progress: bool = True) -> dict:
    """Run a sweep (or one shard of it) into ``out``; return its summary.

    Holds the folder's lock (one writer at a time), writes ``manifest.json`` first, then
    streams ``runs/`` and ``timeseries/``; with ``resume`` it checks the manifest is the
    same sweep and runs only what is missing.
    """
    from sim.runs.outputs import now, write_json
    from sim.runs.progress import Progress

    out = Path(out)
    with executor(workers, scheduler) as (pool, window), _locked(out):
        manifest = _start(sweep, out, shard, resume, workers, scheduler)
        store = ResultStore(out, shard.tag, sweep.schemas(), chunk_size)
        done = store.finished()
        todo = [i for i in shard.run_ids(sweep.design.runs) if i not in done]
        bar = Progress(len(shard.run_ids(sweep.design.runs)), len(done), sweep.scenario.name, progress,
                       failed=int(np.sum(read_column(out, "status") == "failed")))
        try:
            for task, (row, series) in _windowed(map(sweep.task, todo), pool, window):
                store.add(row, None if series is None else _series_table(task, series, store.schemas["timeseries"]))
                bar.update(failed=row["status"] == "failed")
        finally:
            store.flush()  # keep every finished run, also on Ctrl-C, SIGTERM or an error
            bar.close()
        manifest["completed"] = now()
        write_json(out / "manifest.json", manifest)
        return summarise(out)


@contextmanager
def _locked(out: Path) -> Iterator[None]:
    """Create the sweep's folder and hold its lock: a second sweep writing there stops with one line."""
    from sim.runs.folders import check_out

    check_out(out)
    if out.exists() and not out.is_dir():
        raise ScenarioError("--out", str(out), "is a file, not a folder; choose another --out")
    try:
        out.mkdir(parents=True, exist_ok=True)
        with exclusive(out):
            yield
    except FolderBusy as busy:
        raise ScenarioError("--out", str(out), f"another regime-sim (process {busy.holder}) is writing to this "
                                               "sweep; wait for it to finish, or choose another --out") from None
    except (PermissionError, FileExistsError, NotADirectoryError) as err:
        raise ScenarioError("--out", str(out), f"cannot write there ({err.strerror})") from None


def check_resume(sweep: Sweep, out: Path, shard: Shard) -> None:
    """Refuse ``--resume`` at once (before any warning or worker) unless ``out`` holds this sweep, unfinished
    or finished, with whole parts: one line naming what is wrong."""
    out = Path(out)
    if not out.is_dir():
        raise ScenarioError("--resume", str(out), "no such folder, so no sweep to resume; drop --resume to start "
                                                  "the sweep, or give the folder it was writing to with --out")
    if not (out / "manifest.json").is_file() and not parts(out, "runs"):
        raise ScenarioError("--resume", str(out), "holds no sweep to resume (no manifest.json); drop --resume to "
                                                  "start the sweep there")
    manifest = read_manifest(out)
    if manifest.get("kind") != "sweep":
        raise ScenarioError("--out", str(out), "holds the output of 'regime-sim run', not a sweep; choose another --out")
    _check_same(sweep, out, shard, manifest)
    from sim.runs.store import verify
    verify(out)


def _check_same(sweep: Sweep, out: Path, shard: Shard, manifest: dict) -> None:
    if manifest.get("fingerprint") != sweep.fingerprint() or manifest.get("shard") != str(shard):
        raise ScenarioError("--resume", str(out), "holds a different sweep (scenario, parameters, design, "
                                                  "seed, months, scale, shard or version differ); "
                                                  "rerun with the original options or choose another --out")


def _start(sweep: Sweep, out: Path, shard: Shard, resume: bool, workers: int, scheduler: str | None) -> dict:
    """Check the output folder, and write (or, on resume, extend) the manifest."""
    from sim.runs.outputs import command_line, manifest as run_manifest, now, write_json

    path = out / "manifest.json"
    session = {"command": command_line(), "started": now(), "workers": workers, "scheduler": scheduler}
    if path.is_file() or parts(out, "runs"):
        manifest = read_manifest(out)
        if manifest.get("kind") != "sweep":
            raise ScenarioError("--out", str(out), "holds the output of 'regime-sim run', not a sweep; "
                                                   "choose another --out")
        if not resume:
            raise ScenarioError("--out", str(out), "already holds a sweep; add --resume to finish it, "
                                                   "or choose another --out")
        _check_same(sweep, out, shard, manifest)
        from sim.runs.store import verify
        verify(out)
        manifest.setdefault("sessions", []).append(session)
    else:
        others = sorted(p.name for p in out.iterdir() if p.name not in (LOCK, "runs", "timeseries"))
        if others:
            raise ScenarioError("--out", str(out), f"holds other files ({', '.join(others[:3])}"
                                                   f"{', ...' if len(others) > 3 else ''}); a sweep starts in a "
                                                   "new or empty folder: choose another --out")
        manifest = run_manifest(sweep.scenario, sweep.params, sweep.root_seed, sweep.seeds, sweep.months,
                                sweep.scale, sweep.design.replicates)
        manifest["scenario"]["sweep_section"] = sweep.scenario.sweep
        manifest["run"]["runs"] = sweep.design.runs
        manifest["run"] |= {"parameter_sets_per_point": sweep.parameter_sets,
                            "parameter_sets_note": sweep.parameter_sets_note()}
        manifest |= {"kind": "sweep", "fingerprint": sweep.fingerprint(), "shard": str(shard),
                     "design": sweep.design.as_jsonable(), "sessions": [session]}
        if sweep.ensemble is not None:
            ensemble = sweep.ensemble
            manifest["ensemble"] = ensemble.as_jsonable() | {
                "note": "replicate r runs with the calibrated values of the member its seed draws (the same at "
                        "every point); the runs table records it in ensemble_member",
                "replicate_members": [ensemble.member(s) for s in sweep.seeds],
                "distinct_members": sweep.parameter_sets}
    write_json(path, manifest)
    return manifest


# what a manifest must hold for the commands that read it (plot, merge, discover, --resume)
MANIFEST_KEYS = {"sweep": {"design": dict, "run": dict, "shard": str, "fingerprint": str, "scenario": dict},
                 "run": {"scenario": dict}}
DESIGN_KEYS = {"design": str, "parameters": list, "outcomes": list, "points": int}


def read_manifest(folder: Path) -> dict:
    """A result folder's manifest.json, checked: damaged, truncated or foreign is one line naming it."""
    path = Path(folder) / "manifest.json"
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ScenarioError(path, None, "missing; this folder is not a sweep's output") from None
    except UnicodeDecodeError as err:
        raise ScenarioError(path, None, f"is damaged: not UTF-8 text (byte {err.start})") from None
    except (json.JSONDecodeError, RecursionError) as err:
        raise ScenarioError(path, None, f"is damaged or truncated: not valid JSON ({err})") from None
    except OSError as err:
        raise ScenarioError(path, None, f"cannot be read ({err.strerror})") from None
    if not isinstance(manifest, dict):
        raise ScenarioError(path, None, "is not a regime-sim manifest (not a JSON object)")
    kind = manifest.get("kind")
    missing = [k for k, t in MANIFEST_KEYS.get(kind, {}).items() if not isinstance(manifest.get(k), t)]
    if kind == "sweep" and not missing:
        missing = [f"design.{k}" for k, t in DESIGN_KEYS.items() if not isinstance(manifest["design"].get(k), t)]
        missing += [f"run.{k}" for k in ("replicates", "runs") if not isinstance(manifest["run"].get(k), int)]
    if missing:
        raise ScenarioError(path, None, f"is damaged or not a regime-sim {kind}'s manifest (no valid "
                                        f"{', '.join(missing)})")
    return manifest


def summarise(out: Path) -> dict:
    """Count runs and failures, summarise each point, write summary.json and points.csv.

    Reads the runs table a block of points at a time, in run order, so memory stays flat
    however many runs the sweep has; ``results_sha256`` hashes every run's digest in order.
    """
    import pandas as pd
    import pyarrow.dataset as ds

    from sim.runs.competing_risks import cumulative_incidence
    from sim.runs.outputs import headline, write_json
    from sim.runs.store import dataset

    manifest = read_manifest(out)
    design, replicates = manifest["design"], manifest["run"]["replicates"]
    names, outcomes = design["parameters"], design["outcomes"]
    shard = Shard.parse(manifest["shard"])
    columns = ["run_id", "point", "replicate", "seed_entropy", "seed_spawn_key", "status", "error", "survived",
               "fall_month", "fall_cause", "digest", *names, *(f"{o}_{headline(o)[0]}" for o in outcomes if o != "regime_survives")]
    data = dataset(out, "runs") if parts(out, "runs") else None  # an empty shard has no runs
    digest, finished, failed_total, failures, survival = hashlib.sha256(), 0, 0, [], []
    fall_months, fall_causes = [], []  # every finished run's, for the pooled cause-specific survival
    tmp = out / "points.csv.tmp"
    block = max(1, SUMMARY_BLOCK_RUNS // replicates)
    with tmp.open("w", encoding="utf-8", newline="") as fh:
        for start in range(0, design["points"] if data is not None else 0, block):
            where = (ds.field("point") >= start) & (ds.field("point") < start + block)
            runs = data.to_table(filter=where, columns=columns).to_pandas().sort_values("run_id", kind="stable")
            if runs.empty:
                continue
            finished += len(runs)
            digest.update("".join(runs["digest"].fillna(runs["error"])).encode())
            failed = runs[runs["status"] == "failed"]
            failures += [{"run_id": int(r.run_id), "point": int(r.point), "replicate": int(r.replicate),
                          "seed_entropy": r.seed_entropy, "seed_spawn_key": r.seed_spawn_key, "error": r.error}
                         for r in failed.itertuples()][: max(0, 100 - len(failures))]
            failed_total += len(failed)
            ended = runs[runs["status"] == "ok"]
            fall_months += [None if pd.isna(m) else int(m) for m in ended["fall_month"]]
            fall_causes += [None if pd.isna(c) else str(c) for c in ended["fall_cause"]]
            points = point_table(runs, names, outcomes)
            points.to_csv(fh, index=False, header=fh.tell() == 0, float_format="%.6g")
            survival += [v for v in points["survival_probability"].agg(["min", "max"]) if np.isfinite(v)]
    os.replace(tmp, out / "points.csv")
    from sim.runs import codebook
    codebook.write(out / "codebook.csv", codebook.sweep_book(names, outcomes, STATS))
    expected = len(shard.run_ids(manifest["run"]["runs"]))
    summary = {
        "scenario": manifest["scenario"]["name"], "shard": manifest["shard"],
        "runs_expected": expected, "runs_finished": finished, "runs_failed": failed_total,
        "complete": finished == expected, "failures": failures,
        "points": design["points"], "replicates_per_point": replicates,
        "parameter_sets_per_point": manifest["run"].get("parameter_sets_per_point"),
        "parameter_sets_note": manifest["run"].get("parameter_sets_note"),
        "survival_probability": {"lowest": float(min(survival)) if survival else None,
                                 "highest": float(max(survival)) if survival else None},
        "cumulative_incidence": cumulative_incidence(fall_months, fall_causes, manifest["run"]["months"])
        | {"runs": len(fall_months), "note": "every finished run of the sweep, all points pooled"},
        "results_sha256": digest.hexdigest(),
    }
    write_json(out / "summary.json", summary)
    return summary


def point_table(runs, names: list[str], outcomes: list[str]):
    """One row per point: the swept values, the replicates, survival probability, and the mean,
    median, 10th and 90th percentiles across replicates of each outcome (flows: monthly mean
    over the run; stocks: value at the end; for a fallen replicate both up to the fall)."""
    import pandas as pd

    from sim.runs.outputs import headline

    ok = runs[runs["status"] == "ok"]
    grouped = ok.groupby("point", sort=True)
    table = runs.groupby("point", sort=True)[names].first()
    table["replicates"] = grouped.size()
    table["failed"] = runs.groupby("point")["status"].apply(lambda s: int((s == "failed").sum()))
    table["survival_probability"] = grouped["survived"].mean()
    columns = {}
    for outcome in outcomes:
        if outcome == "regime_survives":
            continue
        column = grouped[f"{outcome}_{headline(outcome)[0]}"]
        columns |= {f"{outcome}_mean": column.mean(), f"{outcome}_median": column.median(),
                    f"{outcome}_p10": column.quantile(0.1), f"{outcome}_p90": column.quantile(0.9)}
    table = pd.concat([table, pd.DataFrame(columns)], axis=1)
    table["replicates"] = table["replicates"].fillna(0).astype(int)
    return table.reset_index()


def merge(folders: list[Path], out: Path) -> dict:
    """Join shards (each a sweep folder written with ``--shard``) into one folder; check they fit."""
    import shutil

    from sim.runs.outputs import now, write_json

    manifests = [read_manifest(f) for f in folders]
    first = manifests[0]
    for folder, m in zip(folders, manifests):
        if m.get("fingerprint") != first.get("fingerprint"):
            raise ScenarioError(folder, None, f"is a different sweep from {folders[0]} (scenario, parameters, "
                                              "design, seed, months, scale or version differ)")
    counts = {m["shard"].split("/")[1] for m in manifests}
    shards = sorted({m["shard"] for m in manifests})
    if len(counts) != 1 or len(shards) != len(manifests) or len(shards) != int(counts.pop()):
        raise ScenarioError(folders[0], None, f"need every shard exactly once, found {', '.join(shards)}")
    for folder, m in zip(folders, manifests):
        shard = Shard.parse(m["shard"])
        finished = len(set(read_column(folder, "run_id")))
        if finished != len(shard.run_ids(first["run"]["runs"])):
            raise ScenarioError(folder, None, f"shard {shard} is unfinished ({finished} of "
                                              f"{len(shard.run_ids(first['run']['runs']))} runs); "
                                              "finish it with --resume first")
    if (out / "manifest.json").exists() or parts(out, "runs"):
        raise ScenarioError("--out", str(out), "already holds a sweep; choose another --out")
    for table in ("runs", "timeseries"):
        (out / table).mkdir(parents=True, exist_ok=True)
        for folder in folders:
            for part in parts(folder, table):
                shutil.copyfile(part, out / table / part.name)
    manifest = first | {"shard": "1/1", "merged_from": [{"folder": str(f), "shard": m["shard"],
                                                         "sessions": m["sessions"]} for f, m in zip(folders, manifests)],
                        "sessions": [], "completed": now()}
    write_json(out / "manifest.json", manifest)
    if len(set(read_column(out, "run_id"))) != first["run"]["runs"]:
        raise ScenarioError(out, None, "the merged shards do not hold every run exactly once")
    return summarise(out)


def shard_folders(folder: Path) -> list[Path]:
    """The ``shard-I-of-N`` folders inside a sweep folder, in shard order."""
    found = [p for p in Path(folder).glob("shard-*-of-*") if p.is_dir()]
    return sorted(found, key=lambda p: int(p.name.split("-")[1]))


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


WORKERS_PER_CORE = 2  # more worker processes than this per core only add start-up and memory, not speed
LARGE_SWEEP_RUNS = 20_000  # a sweep larger than this starts only when confirmed (--yes)


def local_workers(requested: int | None) -> tuple[int, str | None]:
    """The local worker processes to start for ``--workers requested`` (all cores if None), and a
    warning when the request was capped at :data:`WORKERS_PER_CORE` times the cores."""
    cores = default_workers()
    if requested is None:
        return cores, None
    cap = WORKERS_PER_CORE * cores
    if requested <= cap:
        return requested, None
    return cap, (f"--workers {requested} is more than {WORKERS_PER_CORE} per core on this machine's {cores} "
                 f"core(s); starting {cap} (more processes would only slow the sweep down)")


def estimated_seconds(runs: int, months: int, scale: float, workers: int) -> float:
    """A rough wall time for ``runs`` runs: about 0.3 s per run plus 0.5 s per run at full scale for ten
    years (from ``regime-sim bench`` and the sweep benchmark on a 2-core machine; README), shared among
    the workers as far as the cores allow."""
    per_run = (0.3 + 0.5 * scale) * months / 120
    return runs * per_run / max(1, min(workers, default_workers()))


def duration(seconds: float) -> str:
    """``seconds`` in words: '40 s', '12 minutes', '3.5 hours', '6 days'."""
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 90 * 60:
        return f"{seconds / 60:.0f} minutes"
    if seconds < 48 * 3600:
        return f"{seconds / 3600:.1f} hours"
    return f"{seconds / 86400:.0f} days"
