"""A run's output folder, written whole or not at all.

The files are written into a temporary folder beside the target (``.NAME.unfinished-PID``)
and the folder is renamed to its name when every file is written, so a finished run's
folder is always complete and consistent, and an interrupted one is plainly marked
unfinished. A run never writes into a folder that holds something else (a sweep, an earlier
run, other files) unless told to replace it (``--force``); whether the folder can be
written is checked before anything is computed.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from sim.runs.scenario import ScenarioError
from sim.runs.store import LOCK, FolderBusy, exclusive


def describe(folder: Path) -> str:
    """What an existing, non-empty output folder holds, in words."""
    try:
        kind = json.loads((folder / "manifest.json").read_text(encoding="utf-8")).get("kind", "run")
    except (OSError, ValueError):
        kind = None
    if kind == "sweep":
        return "a sweep's results"
    if kind is not None:
        return "an earlier run's results"
    names = sorted(p.name for p in folder.iterdir())
    return f"other files ({', '.join(names[:3])}{', ...' if len(names) > 3 else ''})"


@contextmanager
def replacing(out: Path, force: bool = False) -> Iterator[Path]:
    """A new, empty folder to write into, which becomes ``out`` when the block ends without error.

    Raises ScenarioError, before anything is computed, if ``out`` holds something and
    ``force`` is not given, or if it cannot be written. On an error or an interrupt the
    unfinished folder is removed and ``out`` is left as it was.
    """
    out = Path(out)
    check_out(out)
    if out.exists() and not out.is_dir():
        raise ScenarioError("--out", str(out), "is a file, not a folder; choose another --out")
    if out.is_dir():
        if any(out.iterdir()) and not force:
            raise ScenarioError("--out", str(out), f"already holds {describe(out)}; add --force to replace it, "
                                                   "or choose another --out")
        if not os.access(out, os.W_OK):
            raise ScenarioError("--out", str(out), "is not writable; choose another --out")
        if (out / LOCK).exists():
            _check_not_busy(out)
    tmp = out.with_name(f".{out.name}.unfinished-{os.getpid()}")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir()
    except OSError as err:
        raise ScenarioError("--out", str(out), f"cannot create the output folder ({err.strerror})") from None
    try:
        yield tmp
        try:
            _swap(tmp, out)
        except OSError as err:
            raise ScenarioError("--out", str(out), f"cannot put the finished folder there ({err.strerror}); "
                                                   "choose another --out") from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def check_out(out: Path, option: str = "--out") -> None:
    """Refuse, in one line, an output path that is a symbolic link to nowhere or to itself (a loop)."""
    out = Path(out)
    for path in (out, *out.parents):
        if path.is_symlink() and not path.exists():
            try:
                path.stat()
                why = "points to nothing"
            except OSError as err:
                why = "leads back to itself (a loop)" if err.errno == errno.ELOOP else "points to nothing"
            raise ScenarioError(option, str(out), f"{path} is a symbolic link that {why}; choose another {option}")


def _check_not_busy(out: Path) -> None:
    try:
        with exclusive(out):
            pass
    except FolderBusy as busy:
        raise ScenarioError("--out", str(out), f"a sweep (process {busy.holder}) is writing there; "
                                               "choose another --out") from None


def _swap(tmp: Path, out: Path) -> None:
    """Put the finished folder in place of ``out`` (moved aside first, then deleted)."""
    if not out.exists():
        os.rename(tmp, out)
        return
    old = out.with_name(f".{out.name}.replaced-{os.getpid()}")
    os.rename(out, old)
    os.rename(tmp, out)
    shutil.rmtree(old)


def writable(folder: Path, option: str) -> Path:
    """``folder``, created if need be, after checking that files can be written in it.

    Raises ScenarioError naming ``option`` (e.g. ``--results``) if it is a file or cannot be
    created or written: checked before anything is computed.
    """
    folder = Path(folder)
    check_out(folder, option)
    if folder.exists() and not folder.is_dir():
        raise ScenarioError(option, str(folder), f"is a file, not a folder; choose another {option}")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / f".write-test-{os.getpid()}"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as err:
        raise ScenarioError(option, str(folder), f"cannot be written ({err.strerror}); "
                                                 f"choose another {option}") from None
    return folder
