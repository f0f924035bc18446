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


# ---------------------------------------------------------------------------- issue 32: damaged inputs, nonsense,
# estimates and quieter output

import errno  # noqa: E402
import io  # noqa: E402
import json  # noqa: E402
import shutil  # noqa: E402
from pathlib import Path  # noqa: E402

from sim.runs import store  # noqa: E402
from sim.runs.progress import Progress  # noqa: E402
from sim.runs.scenario import ScenarioError, load, parse_set  # noqa: E402

BASELINE = Path(__file__).resolve().parents[2] / "scenarios" / "baseline.toml"
TINY = ["--months", "3", "--scale", "0.05", "--quiet"]
GRID = """months = 3
scale = 0.05
[sweep]
replicates = 2
outcomes = ["isk_fighters", "poverty_rate"]
[sweep.vary]
"policy.moderation" = [0.0, 1.0]
"""


def scenario_file(folder: Path, body: str = GRID, name: str = "small.toml") -> Path:
    path = folder / name
    path.write_text(f'extends = "{BASELINE}"\n{body}', encoding="utf-8")
    return path


def error_line(capsys, alone: bool = True) -> str:
    """The one line of an error on stderr (exit 2), last: no traceback; ``alone``: nothing before it (a refusal
    before anything started), else only the start line and warnings (an error once the work had started)."""
    err = capsys.readouterr().err
    assert "Traceback" not in err, err
    lines = err.splitlines()
    assert lines and lines[-1].startswith("regime-sim: error: ") and sum("error" in line for line in lines) == 1, err
    assert len(lines) == 1 or not alone, err
    return lines[-1]


@pytest.fixture(scope="module")
def finished(tmp_path_factory):
    """A finished small sweep (4 runs, one part per run) and a finished small run, to damage copies of."""
    folder = tmp_path_factory.mktemp("finished")
    scenario = scenario_file(folder)
    assert main(["sweep", str(scenario), "--out", str(folder / "sweep"), "--workers", "1", "--chunk-size", "1",
                 "--quiet"]) == 0
    assert main(["run", "baseline", *TINY, "--replicates", "2", "--out", str(folder / "run")]) == 0
    return scenario, folder / "sweep", folder / "run"


def damaged_copy(source: Path, tmp_path: Path, name: str) -> Path:
    copy = tmp_path / name
    shutil.copytree(source, copy)
    return copy


def truncate(path: Path, keep: int = 100) -> None:
    data = path.read_bytes()
    path.write_bytes(data[:keep])


@pytest.mark.parametrize("command, table", [("plot", "runs"), ("plot", "timeseries"), ("discover", "runs"),
                                            ("resume", "runs"), ("resume", "timeseries")])  # discover reads no series
def test_a_truncated_parquet_part_is_one_line_naming_it(finished, tmp_path, capsys, table, command):
    scenario, sweep_folder, _ = finished
    folder = damaged_copy(sweep_folder, tmp_path, "damaged")
    part = store.parts(folder, table)[1]
    truncate(part)
    capsys.readouterr()
    argv = {"plot": ["plot", str(folder)], "discover": ["discover", str(folder), "--outcome", "survived"],
            "resume": ["sweep", str(scenario), "--out", str(folder), "--resume", "--workers", "1", "--quiet"]}[command]
    assert main(argv) == 2
    err = error_line(capsys)
    assert f"{part}: is damaged or truncated" in err and "--resume" in err
    assert len(store.parts(folder, "runs")) == 4  # nothing already computed is removed


def test_following_the_advice_for_a_damaged_part_finishes_the_sweep_with_the_same_results(finished, tmp_path,
                                                                                          capsys):
    scenario, sweep_folder, _ = finished
    folder = damaged_copy(sweep_folder, tmp_path, "damaged")
    part = store.parts(folder, "runs")[2]
    truncate(part)
    part.unlink()  # what the line says: move it (and its timeseries part) out, then --resume
    (folder / "timeseries" / part.name).unlink()
    assert main(["sweep", str(scenario), "--out", str(folder), "--resume", "--workers", "1", "--quiet"]) == 0
    first = json.loads((sweep_folder / "summary.json").read_text())
    again = json.loads((folder / "summary.json").read_text())
    assert again["results_sha256"] == first["results_sha256"] and again["complete"]


def test_merge_of_shards_with_a_damaged_part_is_one_line(tmp_path, capsys):
    scenario = scenario_file(tmp_path)
    out = tmp_path / "sharded"
    for i in (1, 2):
        assert main(["sweep", str(scenario), "--out", str(out), "--shard", f"{i}/2", "--workers", "1",
                     "--quiet"]) == 0
    part = store.parts(out / "shard-2-of-2", "runs")[0]
    truncate(part)
    capsys.readouterr()
    assert main(["merge", str(out)]) == 2
    assert f"{part}: is damaged or truncated" in error_line(capsys)


@pytest.mark.parametrize("damage, expected", [
    ("[1, 2]", "is not a regime-sim manifest"),
    ('{"kind": "sweep"}', "no valid design"),
    ('{"kind": "sweep", "design": {', "is damaged or truncated: not valid JSON"),
    (b"\xff\xfe{}", "not UTF-8"),
])
@pytest.mark.parametrize("command", ["plot", "discover", "resume"])
def test_a_damaged_manifest_is_one_line(finished, tmp_path, capsys, damage, expected, command):
    scenario, sweep_folder, _ = finished
    folder = damaged_copy(sweep_folder, tmp_path, "damaged")
    manifest = folder / "manifest.json"
    manifest.write_bytes(damage if isinstance(damage, bytes) else damage.encode())
    capsys.readouterr()
    argv = {"plot": ["plot", str(folder)], "discover": ["discover", str(folder), "--outcome", "survived"],
            "resume": ["sweep", str(scenario), "--out", str(folder), "--resume", "--workers", "1", "--quiet"]}[command]
    assert main(argv) == 2
    err = error_line(capsys)
    assert str(manifest) in err and expected in err


@pytest.mark.parametrize("damage, expected", [
    (lambda p: truncate(p, 60), "is damaged or truncated"),
    (lambda p: p.write_bytes(b"\xff\xfe\x00 not text"), "not UTF-8"),
    (lambda p: p.write_text(p.read_text().replace("survival_probability", "survival_prob")), "lacks the column"),
    (lambda p: p.write_text(""), "is damaged or truncated"),
])
def test_a_damaged_points_csv_is_one_line(finished, tmp_path, capsys, damage, expected):
    _, sweep_folder, _ = finished
    folder = damaged_copy(sweep_folder, tmp_path, "damaged")
    damage(folder / "points.csv")
    capsys.readouterr()
    assert main(["plot", str(folder)]) == 2
    err = error_line(capsys)
    assert f"{folder / 'points.csv'}: " in err and expected in err


@pytest.mark.parametrize("damage, expected", [
    (lambda p: truncate(p, 300), "is damaged or truncated"),
    (lambda p: p.write_bytes(b"\xff\xfe\x00garbage"), "not UTF-8"),
    (lambda p: p.write_text(p.read_text().replace("\n1,", "\nx,", 1)), "holds something other than numbers"),
])
def test_a_damaged_run_timeseries_is_one_line(finished, tmp_path, capsys, damage, expected):
    _, _, run_folder = finished
    folder = damaged_copy(run_folder, tmp_path, "damaged")
    damage(folder / "timeseries.csv")
    capsys.readouterr()
    assert main(["plot", str(folder)]) == 2
    err = error_line(capsys)
    assert f"{folder / 'timeseries.csv'}: " in err and expected in err


def test_a_non_utf8_points_csv_is_one_line(tmp_path, capsys):
    (tmp_path / "points.csv").write_bytes("policy.moderation\n0,5\n".encode("utf-16"))
    scenario = scenario_file(tmp_path, '[sweep]\ndesign = "csv"\npoints = "points.csv"\n')
    assert main(["sweep", str(scenario), "--out", str(tmp_path / "out"), *TINY]) == 2
    assert "points.csv: is not UTF-8 text" in error_line(capsys)
    assert not (tmp_path / "out").exists()


def test_a_toml_array_nested_5000_deep_is_one_line(tmp_path, capsys):
    deep = tmp_path / "deep.toml"
    deep.write_text("a = " + "[" * 5000 + "]" * 5000 + "\n")
    assert main(["run", str(deep), *TINY, "--out", str(tmp_path / "out")]) == 2
    assert "deep.toml: malformed TOML: arrays or tables nested too deeply" in error_line(capsys)
    assert main(["run", "baseline", *TINY, "--set", "policy.moderation=" + "[" * 5000 + "]" * 5000,
                 "--out", str(tmp_path / "out")]) == 2
    assert "--set: policy.moderation: malformed TOML" in error_line(capsys)


@pytest.mark.parametrize("verb", ["run", "sweep"])
def test_a_symlink_loop_as_out_is_one_line(tmp_path, capsys, verb):
    loop = tmp_path / "loop"
    loop.symlink_to(loop)
    scenario = "baseline" if verb == "run" else str(scenario_file(tmp_path))
    assert main([verb, scenario, *TINY, "--replicates", "1", "--out", str(loop)]) == 2
    assert f"--out: {loop}: {loop} is a symbolic link that leads back to itself" in error_line(capsys)
    assert main([verb, scenario, *TINY, "--replicates", "1", "--out", str(loop / "inside")]) == 2
    assert "leads back to itself" in error_line(capsys)


def _full_disk_after(monkeypatch, writes: int):
    """Make the Parquet writer fail with ENOSPC after ``writes`` successful writes (a disk filling up)."""
    real, count = store.pq.write_table, [0]

    def write(table, where, **kw):
        count[0] += 1
        if count[0] > writes:
            Path(where).write_bytes(b"PAR1 half a file")  # what a full disk leaves behind
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(table, where, **kw)

    monkeypatch.setattr(store.pq, "write_table", write)


def test_a_full_disk_during_a_sweep_is_one_line_and_resume_loses_nothing(finished, tmp_path, monkeypatch, capsys):
    scenario, sweep_folder, _ = finished
    out = tmp_path / "full"
    _full_disk_after(monkeypatch, writes=4)  # two runs (timeseries and runs parts each), then the disk is full
    assert main(["sweep", str(scenario), "--out", str(out), "--workers", "1", "--chunk-size", "1", "--quiet"]) == 2
    err = error_line(capsys, alone=False)
    assert "No space left on device: the disk is full" in err and "--resume" in err and str(out) in err
    assert len(store.parts(out, "runs")) == 2 and not list(out.rglob("*.tmp"))  # kept whole; no half part
    monkeypatch.undo()
    assert main(["sweep", str(scenario), "--out", str(out), "--resume", "--workers", "1", "--quiet"]) == 0
    assert json.loads((out / "summary.json").read_text())["results_sha256"] == \
        json.loads((sweep_folder / "summary.json").read_text())["results_sha256"]


def test_a_full_disk_during_a_run_is_one_line_and_keeps_the_earlier_results(finished, tmp_path, monkeypatch,
                                                                           capsys):
    from sim.runs import outputs

    _, _, run_folder = finished
    out = damaged_copy(run_folder, tmp_path, "earlier")
    before = (out / "timeseries.csv").read_bytes()

    def full(path, *args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(outputs, "write_csv", full)
    capsys.readouterr()
    assert main(["run", "baseline", *TINY, "--replicates", "1", "--out", str(out), "--force"]) == 2
    assert "timeseries.csv: No space left on device: the disk is full" in error_line(capsys, alone=False)
    assert (out / "timeseries.csv").read_bytes() == before  # --force replaces only once everything is written
    assert not list(tmp_path.glob(".earlier.*"))


def test_a_scenario_name_that_is_a_path_is_refused(tmp_path, capsys):
    evil = scenario_file(tmp_path, 'name = "../../x"\n', "evil.toml")
    assert main(["run", str(evil), *TINY]) == 2
    assert "name: '../../x' holds '/'" in error_line(capsys)
    assert not (tmp_path.parent / "x").exists()
    with pytest.raises(ScenarioError, match="cannot be a path"):
        load(scenario_file(tmp_path, 'name = ".."\n', "dots.toml"))
    assert load(scenario_file(tmp_path, 'name = "my run-2"\n', "fine.toml")).name == "my run-2"


def test_an_empty_scenario_file_is_refused_saying_what_a_scenario_needs(tmp_path, capsys):
    empty = tmp_path / "empty.toml"
    empty.write_text("# nothing yet\n")
    assert main(["run", str(empty), *TINY, "--out", str(tmp_path / "out")]) == 2
    err = error_line(capsys)
    assert "empty.toml: is empty: a scenario needs at least extends" in err and "[policy]" in err


def test_a_set_value_with_a_line_break_is_refused():
    with pytest.raises(ScenarioError, match="holds a line break; give each assignment its own --set"):
        parse_set(["policy.moderation=0.5\npolicy.inclusion=0.9"])
    assert parse_set(["policy.moderation=0.5", "policy.inclusion=0.9"]) == {"policy.moderation": 0.5,
                                                                            "policy.inclusion": 0.9}


def test_a_grid_with_a_repeated_value_is_refused(tmp_path, capsys):
    scenario = scenario_file(tmp_path, GRID.replace("[0.0, 1.0]", "[0.0, 0.5, 0.50]"))
    assert main(["sweep", str(scenario), "--out", str(tmp_path / "out")]) == 2
    assert "sweep.vary.policy.moderation: 0.5 is listed twice" in error_line(capsys)


def test_resume_on_a_folder_that_does_not_exist_is_refused_first(tmp_path, capsys):
    scenario = scenario_file(tmp_path)  # 3 months: the baseline's later schedule steps would be warned about
    assert main(["sweep", str(scenario), "--out", str(tmp_path / "nowhere"), "--resume"]) == 2
    assert "--resume: " in error_line(capsys)  # the one line, and no warning before it
    assert not (tmp_path / "nowhere").exists()


def test_resume_refusals_come_before_any_warning(finished, tmp_path, capsys):
    scenario, sweep_folder, _ = finished
    other = scenario_file(tmp_path, GRID.replace("months = 3", "months = 4"), "other.toml")
    assert main(["sweep", str(other), "--out", str(sweep_folder), "--resume", "--quiet"]) == 2
    assert "holds a different sweep" in error_line(capsys)


def test_compare_needs_at_least_two_replicates(tmp_path, capsys):
    assert main(["compare", "baseline", "baseline", "--replicates", "1", *TINY, "--out", str(tmp_path / "c")]) == 2
    assert "--replicates: 1: compare needs at least 2" in error_line(capsys)
    assert not (tmp_path / "c").exists()


def test_a_large_run_needs_yes_and_says_how_long(tmp_path, capsys):
    out = tmp_path / "huge"
    assert main(["run", "baseline", "--replicates", "100000", "--out", str(out)]) == 2
    err = error_line(capsys)
    assert "100,000 replicates" in err and "add --yes" in err and "hours" in err and "GB of memory" in err
    assert not out.exists()
    from sim.interfaces import cli
    assert cli.run_estimate(10, 120, 1.0) < cli.LARGE_RUN_SECONDS  # the default run needs no --yes


def test_a_run_shortened_by_months_says_so_once_not_per_schedule(tmp_path, capsys):
    assert main(["run", "baseline", *TINY, "--replicates", "1", "--out", str(tmp_path / "r")]) == 0
    warnings = [line for line in capsys.readouterr().err.splitlines() if "warning" in line]
    assert len(warnings) == 1 and "before later steps of" in warnings[0], warnings
    # a schedule the user gives is still named on its own line
    params = Parameters().replace({"policy.moderation": {"2021-08": 0.0, "2030-01": 0.9}})
    found = checks.warnings(params, 3, 1.0, own=Parameters())
    assert any(w.startswith("policy.moderation: 2030-01 is after the run's last month") for w in found)


@pytest.mark.parametrize("total, most", [(1, 1), (3, 1), (10, 1), (40, 4), (200, 20), (5000, 20)])
def test_progress_lines_are_proportional_to_the_run(total, most):
    stream = io.StringIO()
    bar = Progress(total, label="runs", stream=stream)
    for _ in range(total):
        bar.update()
    lines = stream.getvalue().splitlines()
    assert 1 <= len(lines) <= most and lines[-1].startswith(f"runs: {total}/{total} runs (100%)")


def test_the_run_summary_shows_the_tolerance_and_whether_in_range_or_within_tolerance():
    from sim.analysis.validate import number
    from sim.interfaces.cli import target_line

    target = {"description": "IS-K fighters", "low": 4000.0, "high": 6000.0, "tolerance": 1000.0}
    assert target_line(target | {"value": 5000.0, "met": True}, number).startswith("target ok, in range ")
    inside = target_line(target | {"value": 6500.0, "met": True}, number)
    assert inside.startswith("target ok, in tolerance ") and "observed 4,000 to 6,000, tolerance ±1,000" in inside
    assert target_line(target | {"value": 9000.0, "met": False}, number).startswith("target MISS")


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads the process table from /proc")
def test_no_leaked_semaphore_warning_after_kill_9(tmp_path):
    import signal
    import time

    scenario = scenario_file(tmp_path, GRID.replace("months = 3", "months = 120").replace("[0.0, 1.0]",
                                                                                          "[0.0, 0.5, 1.0]"))
    out = tmp_path / "k9"
    process = subprocess.Popen([sys.executable, "-m", "sim", "sweep", str(scenario), "--workers", "2",
                                "--chunk-size", "1", "--quiet", "--out", str(out)], stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True, start_new_session=True)
    deadline = time.time() + 180
    while not store.parts(out, "runs") and process.poll() is None and time.time() < deadline:
        time.sleep(0.05)
    assert process.poll() is None, process.stderr.read()
    process.send_signal(signal.SIGKILL)
    process.wait()
    time.sleep(3)  # the resource tracker notices its parent has gone, cleans up, and would warn now
    err = process.stderr.read()  # the tracker and the workers share the sweep's stderr: read once they are gone
    assert "leaked semaphore" not in err and "Traceback" not in err, err


def test_a_scenario_anywhere_can_extend_a_shipped_one_by_name(tmp_path):
    """So that a saved scenario (notebook 4's) holds no absolute path: extends = "baseline.toml" from any folder."""
    mine = tmp_path / "mine.toml"
    mine.write_text('extends = "baseline.toml"\n[policy]\nmoderation = 0.4\n')
    loaded = load(mine)
    assert loaded.parameters()["policy.moderation"] == 0.4 and loaded.ensemble is not None
    assert loaded.parameters()["policy.crackdown_isk"] == load("baseline").parameters()["policy.crackdown_isk"]
    (tmp_path / "baseline.toml").write_text('extends = "moderation_dilemma.toml"\n')  # a file beside it comes first
    assert [Path(c).name for c in load(mine).chain] == ["baseline.toml", "moderation_dilemma.toml", "baseline.toml", "mine.toml"]
