"""The last edges of the command line (issue 21): each bad input is one line and exit 2, before
anything is computed; a closed stdout ends the program quietly."""

import os
import socket
import subprocess
import sys

import pytest

from sim.interfaces import viz
from sim.interfaces.cli import main
from sim.model.params import Parameters
from sim.runs import checks, sweep


def one_line(capsys) -> str:
    err = capsys.readouterr().err
    assert "Traceback" not in err and "usage:" not in err, err
    assert err.count("\n") == 1, err
    return err


def test_viz_refuses_a_port_out_of_range(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["viz", "--port", "99999", "--no-browser"])
    assert stop.value.code == 2
    assert "--port: 99999 is not a port; allowed [1, 65535]" in one_line(capsys)


def test_viz_refuses_a_busy_port_before_starting_a_server(monkeypatch, capsys):
    monkeypatch.setattr(viz.subprocess, "call", lambda *a, **k: pytest.fail("a server was started"))
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert main(["viz", "--port", str(port), "--host", "127.0.0.1", "--no-browser"]) == 2
    assert f"--port: {port}: is in use by another program" in one_line(capsys)


def test_argparse_errors_are_one_line_pointing_to_help(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["sweep", "baseline", "--workers", "x"])
    assert stop.value.code == 2
    err = one_line(capsys)
    assert err.startswith("regime-sim sweep: error: argument --workers: 'x' is not a whole number")
    assert err.rstrip().endswith("(see regime-sim sweep --help)")


def test_workers_are_capped_at_a_multiple_of_the_cores_with_a_warning():
    cores = sweep.default_workers()
    assert sweep.local_workers(None) == (cores, None)
    assert sweep.local_workers(1) == (1, None)
    workers, warning = sweep.local_workers(100_000)
    assert workers == sweep.WORKERS_PER_CORE * cores and "--workers 100000" in warning


def test_a_huge_sweep_needs_yes_and_says_how_long(tmp_path, capsys):
    out = tmp_path / "huge"
    assert main(["sweep", "moderation_dilemma", "--replicates", "100000", "--out", str(out)]) == 2
    err = one_line(capsys)
    assert "2,500,000 runs" in err and "add --yes" in err and ("days" in err or "hours" in err)
    assert not out.exists()  # nothing started


def test_a_schedule_dated_before_the_takeover_is_warned_about():
    params = Parameters().replace({"policy.moderation": {"1990-01": 0.3, "2022-01": 0.5}})
    found = [w for w in checks.warnings(params, 120, 1.0) if w.startswith("policy.moderation")]
    assert len(found) == 1 and "1990-01 is before the takeover (2021-08)" in found[0]
    assert not any("before the takeover" in w for w in checks.warnings(Parameters(), 120, 1.0))


def test_a_folder_given_as_a_scenario_says_so(tmp_path, capsys):
    (tmp_path / "mine.toml").write_text("")
    assert main(["run", str(tmp_path)]) == 2
    err = one_line(capsys)
    assert "is a folder, not a scenario file" in err and "mine.toml" in err


def test_merge_on_a_missing_folder_says_it_is_missing(tmp_path, capsys):
    assert main(["merge", str(tmp_path / "nowhere")]) == 2
    assert "nowhere: no such folder" in one_line(capsys)


def test_a_closed_stdout_ends_quietly():
    read, write = os.pipe()
    os.close(read)  # the reader has gone (regime-sim params | head, once head has its lines)
    try:
        done = subprocess.run([sys.executable, "-m", "sim", "params"], stdout=write, stderr=subprocess.PIPE,
                              text=True, timeout=120)
    finally:
        os.close(write)
    assert done.returncode in (0, 141) and done.stderr == "", done.stderr
