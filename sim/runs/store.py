"""Sweep results on disk: two Parquet datasets written in chunks, safe against a crash.

``runs/`` holds one row per run (point and replicate: its seed, status, error, and the
run-level outcomes); ``timeseries/`` one row per run and month. Results are buffered and
written ``chunk_size`` runs at a time as ``part-<tag>-<n>.parquet`` files, each written to
a temporary name and then renamed, timeseries first. A runs part is therefore the commit
record of its chunk: on opening, a timeseries part without its runs part (a crash between
the two renames) and any temporary file are removed, and the runs already recorded are
the finished ones. No row is half-written or written twice, and memory holds one chunk.

One process at a time writes to a sweep's folder: :func:`exclusive` holds a lock on its
``.lock`` file (``fcntl.flock``, released by the system however the process ends).
"""

from __future__ import annotations

import fcntl
import os
import re
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

TABLES = ("runs", "timeseries")
LOCK = ".lock"
PART = re.compile(r"part-(?P<tag>[\w.-]+)-(?P<n>\d+)\.parquet$")


class ResultStore:
    """Append-only, chunked results of one sweep (or one shard of it) in ``folder``."""

    def __init__(self, folder: Path, tag: str, schemas: dict[str, pa.Schema], chunk_size: int = 100):
        self.folder = Path(folder)
        self.tag = tag
        self.schemas = schemas
        self.chunk_size = chunk_size
        self._runs: list[dict] = []
        self._series: list[pa.Table] = []
        for table in TABLES:
            (self.folder / table).mkdir(parents=True, exist_ok=True)
        self._clean()
        self._next = 1 + max((int(m["n"]) for m in map(PART.match, self._names("runs"))
                              if m and m["tag"] == tag), default=-1)

    def _names(self, table: str) -> list[str]:
        return sorted(p.name for p in (self.folder / table).iterdir())

    def _clean(self) -> None:
        """Remove temporary files and timeseries parts whose runs part was never written."""
        committed = set(self._names("runs"))
        for table in TABLES:
            for name in self._names(table):
                if not PART.match(name) or (table == "timeseries" and name not in committed):
                    (self.folder / table / name).unlink()

    def finished(self) -> set[int]:
        """The ids of the runs already recorded (successful or failed)."""
        return set(read_column(self.folder, "run_id"))

    def add(self, run: dict, series: pa.Table | None) -> None:
        """Buffer one run's row and its monthly table; write a chunk when the buffer is full."""
        self._runs.append(run)
        if series is not None:
            self._series.append(series)
        if len(self._runs) >= self.chunk_size:
            self.flush()

    def flush(self) -> None:
        """Write the buffered runs as one chunk (timeseries first, then the runs that commit it)."""
        if not self._runs:
            return
        name = f"part-{self.tag}-{self._next:05d}.parquet"
        runs = pa.Table.from_pylist(self._runs, schema=self.schemas["runs"])
        series = pa.concat_tables(self._series) if self._series else self.schemas["timeseries"].empty_table()
        _write_atomic(series, self.folder / "timeseries" / name)
        _write_atomic(runs, self.folder / "runs" / name)
        self._next += 1
        self._runs, self._series = [], []


class FolderBusy(Exception):
    """Another process holds the folder's lock; ``holder`` is its process id, as it wrote it."""

    def __init__(self, holder: str):
        super().__init__(f"locked by process {holder}")
        self.holder = holder


@contextmanager
def exclusive(folder: Path) -> Iterator[None]:
    """Hold ``folder``'s lock while writing to it; raise :class:`FolderBusy` if another process holds it."""
    with open(Path(folder) / LOCK, "a+", encoding="utf-8") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            raise FolderBusy(fh.read().strip() or "unknown") from None
        fh.truncate(0)
        fh.write(str(os.getpid()))
        fh.flush()
        yield


def _write_atomic(table: pa.Table, path: Path) -> None:
    """Write a part whole or not at all: a failed write (a full disk) leaves no partial file, and the error
    names the part."""
    tmp = path.with_name(path.name + ".tmp")
    try:
        pq.write_table(table, tmp, compression="zstd")
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as err:
        tmp.unlink(missing_ok=True)
        raise OSError(err.errno, err.strerror or str(err), str(path)) from None


def damaged(path: Path, err: Exception) -> "ScenarioError":
    """The one line for a result file that cannot be read: which file, what is wrong, what to do."""
    from sim.runs.scenario import ScenarioError

    if isinstance(err, KeyError):
        reason = f"no column {err}"
    else:  # pyarrow: "Could not open Parquet input source '<path>': Parquet magic bytes not found in footer. ..."
        reason = str(err).split("': ")[-1].split(". ")[0].strip().rstrip(".") or type(err).__name__
    table = path.parent.name
    other = "timeseries" if table == "runs" else "runs"
    return ScenarioError(path, None, f"is damaged or truncated, not a whole Parquet part ({reason}); move it and "
                                     f"{other}/{path.name} out of the folder, then 'regime-sim sweep ... --resume' "
                                     "runs those runs again (the other parts are kept)")


def verify(folder: Path, tables: Iterable[str] = TABLES) -> None:
    """Check that every committed part of ``tables`` is a whole Parquet file (its footer reads), before a
    command reads them: a damaged or truncated one is one line naming it (ScenarioError)."""
    for table in tables:
        for part in parts(folder, table):
            if orphan(part):
                continue  # a kill between a chunk's two writes: --resume removes it and runs the chunk again
            try:
                pq.read_metadata(part)
            except (pa.ArrowException, OSError) as err:
                raise damaged(part, err) from None


def orphan(part: Path) -> bool:
    """A time-series part whose runs part was never committed (a run counts once its runs part is written)."""
    return part.parent.name == "timeseries" and not (part.parent.parent / "runs" / part.name).is_file()


def parts(folder: Path, table: str) -> list[Path]:
    """The committed part files of a table, in name order."""
    base = Path(folder) / table
    if not base.is_dir():
        return []
    return sorted(p for p in base.iterdir() if PART.match(p.name))


def dataset(folder: Path, table: str):
    """A table of a sweep as a pyarrow dataset (read lazily, filter before loading)."""
    import pyarrow.dataset as ds  # here: it imports pandas, which plot and merge need only later

    verify(folder, (table,))
    return ds.dataset([str(p) for p in parts(folder, table) if not orphan(p)], format="parquet")


def read_column(folder: Path, column: str) -> np.ndarray:
    """One column of the runs table, from every part (e.g. the finished run ids)."""
    files = parts(folder, "runs")
    if not files:
        return np.array([], dtype=np.int64)
    columns = []
    for f in files:
        try:
            columns.append(pq.read_table(f, columns=[column])[column].to_numpy(zero_copy_only=False))
        except (pa.ArrowException, OSError, KeyError) as err:
            raise damaged(f, err) from None
    return np.concatenate(columns)


def read_runs(folder: Path, columns: Iterable[str] | None = None):
    """The runs table as a pandas DataFrame, sorted by run id (the same whatever the workers)."""
    files = parts(folder, "runs")
    if not files:
        raise FileNotFoundError(f"{folder} holds no sweep results (no runs/part-*.parquet)")
    table = dataset(folder, "runs").to_table(columns=None if columns is None else list(columns))
    return table.to_pandas().sort_values("run_id", kind="stable").reset_index(drop=True)


def read_timeseries(folder: Path, points: Iterable[int] | None = None, columns: Iterable[str] | None = None):
    """Monthly rows, optionally for some points only, sorted by run id and month."""
    import pyarrow.dataset as ds

    data = dataset(folder, "timeseries")
    where = None if points is None else ds.field("point").isin(list(points))
    table = data.to_table(filter=where, columns=None if columns is None else list(columns))
    return table.to_pandas().sort_values(["run_id", "month"], kind="stable").reset_index(drop=True)
