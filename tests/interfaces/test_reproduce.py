"""regime-sim reproduce: the list of what it would run and how long, the refusal of a dirty tree, progress and
total time, and that every file the README and the documentation quote is written by one of its steps."""

from __future__ import annotations

import fnmatch
import re
import subprocess
import sys
from pathlib import Path

import pytest

from sim.interfaces import reproduce
from sim.interfaces.cli import main

ROOT = Path(__file__).resolve().parents[2]


def test_dry_run_lists_every_step_with_its_command_files_and_estimated_time(capsys, monkeypatch):
    monkeypatch.setattr(reproduce, "dirty", lambda where: pytest.fail("a dry run checks nothing and runs nothing"))
    assert main(["reproduce", "--dry-run"]) == 0
    out = capsys.readouterr().out
    steps = [s for s in reproduce.STEPS if not s.calibration]
    total = sum(s.minutes for s in steps)
    assert re.search(rf"{len(steps)} step\(s\), about {total:.0f} minutes on two cores", out)
    for step in steps:
        assert f"{step.name} (~{step.minutes:g} min)" in out and " ".join(step.command) in out
    assert "calibration" not in out.split("\n", 1)[1].split()[:3]
    assert main(["reproduce", "--dry-run", "--calibrate"]) == 0
    assert "1. calibration" in capsys.readouterr().out


def test_a_dirty_tree_is_refused_with_one_line_unless_forced(capsys, monkeypatch, tmp_path):
    monkeypatch.setattr(reproduce, "dirty", lambda where: ["sim/model/model.py"])
    monkeypatch.setattr(reproduce, "STEPS", (reproduce.Step("echo", "a test step", ("python", "-c", "print('ran')"),
                                                            ("nothing",), 0.0),))
    monkeypatch.setattr(reproduce, "root", lambda: tmp_path)
    assert main(["reproduce"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "uncommitted changes (sim/model/model.py)" in err and "--force" in err
    assert main(["reproduce", "--force"]) == 0
    captured = capsys.readouterr()
    assert "[1/1] echo done in" in captured.err and re.search(r"reproduced 1 step\(s\) in \d", captured.out)


def test_a_failing_step_stops_the_run_and_says_which(capsys, monkeypatch, tmp_path):
    monkeypatch.setattr(reproduce, "dirty", lambda where: [])
    monkeypatch.setattr(reproduce, "root", lambda: tmp_path)
    monkeypatch.setattr(reproduce, "STEPS", (
        reproduce.Step("fails", "a failing step", ("python", "-c", "raise SystemExit(3)"), ("x",), 0.0),
        reproduce.Step("never", "not reached", ("python", "-c", "print('no')"), ("y",), 0.0)))
    assert main(["reproduce"]) == 3
    err = capsys.readouterr().err
    assert "step fails exited with 3" in err and "never" not in err.split("fails exited")[1]


def test_an_unknown_step_is_one_line_and_exit_2(capsys):
    assert main(["reproduce", "--only", "nonsense", "--dry-run"]) == 2
    assert "the steps are" in capsys.readouterr().err


def test_the_real_tree_check_uses_git(tmp_path):
    with pytest.raises(Exception, match="not a git checkout"):
        reproduce.dirty(tmp_path)
    assert isinstance(reproduce.dirty(ROOT), list)


def _quoted() -> set[str]:
    """Every results file or figure the README and the documentation's pages link to or show."""
    pages = [ROOT / "README.md", *(ROOT / "docs").rglob("*.md")]
    found = set()
    for page in pages:
        if "_build" in page.parts:
            continue
        text = page.read_text(encoding="utf-8")
        for target in re.findall(r"\]\(([^)\s]+)\)", text):
            if target.startswith(("http", "#", "mailto:")):
                continue
            path = (page.parent / target.split("#")[0]).resolve()
            try:
                relative = path.relative_to(ROOT).as_posix()
            except ValueError:
                continue
            if relative.startswith("experiments/results/") or (relative.startswith("docs/")
                                                                 and relative.endswith((".png", ".svg", ".pdf"))):
                found.add(relative)
    return found


def test_every_result_the_documents_quote_is_written_by_a_step():
    written = [w for s in reproduce.STEPS for w in s.writes]
    quoted = _quoted()
    assert quoted, "the README shows at least the dashboard"
    orphans = [q for q in quoted if not any(q == w or q.startswith(w + "/") or fnmatch.fnmatch(q, w + "*")
                                            for w in written)]
    assert not orphans, f"quoted but not reproduced: {orphans}"
