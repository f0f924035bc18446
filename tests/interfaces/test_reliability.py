"""Nothing lost, nothing orphaned, no tracebacks (issue 13): each numbered item's repro, run for real.

Output safety (1, 2), process hygiene with real processes and signals (3, 4), one line and
exit 2 instead of a traceback (5-8), a command line as strict as the scenario files (9-12),
progress in logs (15), the levers in timeseries.csv (17); and the start-up of the commands
that do not run the model (issue 12: no Mesa imported).
"""

from __future__ import annotations

import ctypes
import io
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from sim.runs.checks import warnings
from sim.interfaces.cli import main
from sim.model.model import RegimeModel
from sim.model.outcomes import OUTCOMES
from sim.model.params import EXTERNAL_LEVERS, Parameters
from sim.runs.progress import Progress
from sim.runs.scenario import ScenarioError, load
from sim.runs.store import parts, read_runs

ROOT = Path(__file__).resolve().parents[2]
BASELINE = ROOT / "scenarios" / "baseline.toml"
SMALL = ["--months", "3", "--scale", "0.05", "--replicates", "1", "--quiet"]
GRID = """[sweep]
replicates = 2
outcomes = ["isk_fighters", "poverty_rate"]
[sweep.vary]
"policy.moderation" = [0.0, 1.0]
"""


def sweep_file(folder: Path, sweep: str = GRID, name: str | None = None, months: int = 6,
               scale: float = 0.05) -> Path:
    """A small sweep scenario extending the baseline; named after its file unless ``name`` is given."""
    path = folder / "small_sweep.toml"
    named = f'name = "{name}"\n' if name else ""
    path.write_text(f'extends = "{BASELINE}"\n{named}months = {months}\nscale = {scale}\n{sweep}', encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def swept(tmp_path_factory) -> tuple[Path, Path]:
    """A finished small sweep (4 runs), run in this process."""
    folder = tmp_path_factory.mktemp("swept")
    scenario = sweep_file(folder)
    assert main(["sweep", str(scenario), "--out", str(folder / "md"), "--workers", "1", "--quiet"]) == 0
    return scenario, folder / "md"


def command(*args: str) -> list[str]:
    return [sys.executable, "-m", "sim", *args]


def one_line_error(capsys) -> str:
    err = capsys.readouterr().err
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if "error" in line]
    assert len(lines) == 1, err
    return lines[0]


# ---------------------------------------------------------------------------- 1, 2: output safety

def test_1_run_refuses_a_sweep_folder_and_force_replaces_it_whole(swept, tmp_path, capsys):
    scenario, md = swept
    out = tmp_path / "md"
    assert main(["sweep", str(scenario), "--out", str(out), "--workers", "1", "--quiet"]) == 0
    before = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
    assert main(["run", "baseline", *SMALL, "--out", str(out)]) == 2
    assert "already holds a sweep's results; add --force" in one_line_error(capsys)
    assert {p.name: p.stat().st_mtime_ns for p in out.iterdir()} == before
    assert main(["plot", str(out)]) == 0  # the sweep is intact
    capsys.readouterr()
    assert main(["run", "baseline", *SMALL, "--out", str(out), "--force"]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["codebook.csv", "dashboard.png", "manifest.json", "summary.json",
                                                     "timeseries.csv"]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    assert main(["run", "baseline", *SMALL, "--out", str(out)]) == 2  # an earlier run is not replaced either
    assert "earlier run's results" in one_line_error(capsys)
    assert main(["run", "baseline", *SMALL, "--out", str(tmp_path)]) == 2  # nor other files
    assert "other files" in one_line_error(capsys)


def test_1_an_interrupted_run_leaves_the_earlier_folder_as_it_was(tmp_path, monkeypatch, capsys):
    from sim.runs import plots

    out = tmp_path / "run"
    assert main(["run", "baseline", *SMALL, "--out", str(out)]) == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def killed_while_drawing(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(plots, "dashboard", killed_while_drawing)
    assert main(["run", "baseline", *SMALL, "--seed", "7", "--out", str(out), "--force"]) == 130
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # not the new CSV beside the old plot
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]  # the unfinished folder is gone


def test_1_a_run_killed_while_drawing_leaves_the_earlier_folder_and_a_marked_unfinished_one(tmp_path):
    out = tmp_path / "run"
    assert main(["run", "baseline", *SMALL, "--out", str(out)]) == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    process = subprocess.Popen(command("run", "baseline", "--months", "24", "--scale", "0.1", "--replicates", "3",
                                       "--seed", "7", "--quiet", "--force", "--out", str(out)),
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    unfinished = tmp_path / f".run.unfinished-{process.pid}"
    deadline = time.time() + 120
    while not (unfinished / "summary.json").exists() and process.poll() is None and time.time() < deadline:
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)  # while the dashboard is drawn
    process.wait()
    assert (unfinished / "timeseries.csv").is_file(), "the kill should land before the run finished"
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def _without_root_override():
    """In the child, before exec: drop the capabilities that let root write anywhere."""
    if os.geteuid() == 0:
        libc = ctypes.CDLL(None, use_errno=True)
        for capability in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
            if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
                raise OSError(ctypes.get_errno(), "cannot drop root's file permission override")


@pytest.mark.parametrize("case", ["read-only --out", "read-only parent"])
def test_2_an_unwritable_out_is_refused_before_computing(tmp_path, case):
    locked = tmp_path / "locked"
    locked.mkdir()
    out = locked if case == "read-only --out" else locked / "new"
    locked.chmod(0o555)
    try:
        done = subprocess.run(command("run", "baseline", "--out", str(out)), capture_output=True, text=True,
                              timeout=120, preexec_fn=_without_root_override)
    except subprocess.SubprocessError as err:
        pytest.skip(f"cannot run a process without root's file permission override here ({err})")
    finally:
        locked.chmod(0o755)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr and "replicate(s) x" not in done.stderr  # nothing was computed
    expected = "is not writable" if case == "read-only --out" else "cannot create the output folder"
    assert expected in done.stderr.splitlines()[-1]


# ---------------------------------------------------------------------------- 3, 4: process hygiene

KILL_SWEEP = """[sweep]
replicates = 6
outcomes = ["isk_fighters"]
[sweep.vary]
"policy.moderation" = [0.0, 0.25, 0.5, 0.75, 1.0]
"""


def children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (its workers and the resource tracker)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def alive(pid: int) -> bool:
    """Running (a zombie, dead but not yet reaped by its new parent, is not alive)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def start_killable_sweep(tmp_path: Path) -> tuple[subprocess.Popen, Path, list[int]]:
    """A two-worker sweep, caught once it has stored a run and its workers are busy."""
    scenario = sweep_file(tmp_path, KILL_SWEEP, months=120, scale=0.3)
    out = tmp_path / "k9"
    process = subprocess.Popen(command("sweep", str(scenario), "--workers", "2", "--chunk-size", "1", "--quiet",
                                       "--out", str(out)), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               text=True, start_new_session=True)
    deadline = time.time() + 180
    while not parts(out, "runs") and process.poll() is None and time.time() < deadline:
        time.sleep(0.05)
    kids = children(process.pid)
    assert process.poll() is None and len(kids) >= 3, "the sweep should be running, with two workers and a tracker"
    return process, out, kids


def assert_all_exit(kids: list[int], within: float = 5.0) -> None:
    deadline = time.time() + within
    while any(map(alive, kids)) and time.time() < deadline:
        time.sleep(0.1)
    assert not [k for k in kids if alive(k)], f"processes outlived their parent by {within} s"


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads the process table from /proc")
def test_3_workers_exit_when_the_sweep_is_killed(tmp_path):
    process, out, kids = start_killable_sweep(tmp_path)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert_all_exit(kids)
    assert len(read_runs(out)) >= 1


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads the process table from /proc")
@pytest.mark.parametrize("to", ["the sweep", "its process group"])  # kill PID; a batch system's kill -TERM -PGID
def test_3_sigterm_is_handled_like_ctrl_c(tmp_path, to):
    process, out, kids = start_killable_sweep(tmp_path)
    stored = len(read_runs(out))
    if to == "the sweep":
        process.send_signal(signal.SIGTERM)
    else:
        os.killpg(process.pid, signal.SIGTERM)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 143
    assert "Traceback" not in err and "interrupted; the finished runs are saved" in err.splitlines()[-1]
    assert_all_exit(kids)
    assert len(read_runs(out)) >= stored  # the finished runs are kept, for --resume


def test_4_a_second_writer_to_a_sweep_folder_gets_one_line(swept, capsys):
    scenario, md = swept
    holder = subprocess.Popen([sys.executable, "-c", "import sys, time\nfrom sim.runs.store import exclusive\n"
                               f"with exclusive({str(md)!r}):\n    print('locked', flush=True)\n    time.sleep(60)"],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        assert main(["sweep", str(scenario), "--out", str(md), "--resume", "--workers", "1", "--quiet"]) == 2
        assert f"another regime-sim (process {holder.pid}) is writing to this sweep" in one_line_error(capsys)
        assert main(["run", "baseline", *SMALL, "--out", str(md), "--force"]) == 2
        assert "is writing there" in one_line_error(capsys)
    finally:
        holder.kill()
        holder.wait()
    assert main(["sweep", str(scenario), "--out", str(md), "--resume", "--workers", "1", "--quiet"]) == 0


# ---------------------------------------------------------------------------- 5-8: one line, exit 2

@pytest.mark.parametrize("verb", ["run", "sweep"])
@pytest.mark.parametrize("option, value, allowed", [
    ("--seed", "-1", "allowed [0, 9223372036854775807]"),
    ("--months", "96000", "allowed [1, 1200]"),  # 9: the range scenario files have
    ("--replicates", "0", "allowed [1, 100000]"),
    ("--scale", "0.00001", "allowed [0.0001, 100]"),
])
def test_5_9_run_settings_out_of_range_get_one_line(verb, option, value, allowed, capsys):
    with pytest.raises(SystemExit) as stop:
        main([verb, "baseline", option, value])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and f"argument {option}: {value} is out of range; {allowed}" in err


def test_6_an_empty_shard_is_a_finished_shard_and_merges(swept, tmp_path, capsys):
    scenario, md = swept
    out = tmp_path / "shards"
    for index in range(1, 7):  # 4 runs, 6 shards: the last two are empty
        assert main(["sweep", str(scenario), "--shard", f"{index}/6", "--out", str(out), "--workers", "1",
                     "--quiet"]) == 0
    assert "shard 6/6 holds no runs" in capsys.readouterr().out
    empty = out / "shard-6-of-6"
    assert json.loads((empty / "summary.json").read_text())["complete"]
    assert not list(empty.glob("*.tmp"))
    assert main(["merge", str(out), "--out", str(tmp_path / "merged")]) == 0
    merged = json.loads((tmp_path / "merged" / "summary.json").read_text())
    assert merged["results_sha256"] == json.loads((md / "summary.json").read_text())["results_sha256"]


def test_7_plot_draws_a_run_folder_and_names_what_an_unfinished_sweep_lacks(swept, tmp_path, capsys):
    scenario, _ = swept
    run = tmp_path / "run"
    assert main(["run", "baseline", *SMALL, "--out", str(run)]) == 0
    assert main(["plot", str(run), "--format", "svg"]) == 0
    assert (run / "dashboard.svg").is_file()
    unfinished = tmp_path / "unfinished"
    assert main(["sweep", str(scenario), "--out", str(unfinished), "--workers", "1", "--quiet"]) == 0
    (unfinished / "points.csv").unlink()  # as a sweep killed before it summarised
    (unfinished / "summary.json").unlink()
    capsys.readouterr()
    assert main(["plot", str(unfinished)]) == 2
    assert "unfinished sweep (no points.csv yet); finish it with" in one_line_error(capsys)


def test_8_a_bad_scheduler_address_writes_nothing(swept, tmp_path, capsys):
    scenario, _ = swept
    out = tmp_path / "dask"
    assert main(["sweep", str(scenario), "--scheduler", "notanaddress", "--out", str(out), "--quiet"]) == 2
    assert "--scheduler: notanaddress: cannot reach a Dask scheduler" in one_line_error(capsys)
    assert not out.exists()  # a plain rerun needs no --resume


# ---------------------------------------------------------------------------- 10-12: strict but helpful

def test_10_a_scale_too_small_for_the_rules_is_warned_about(tmp_path, capsys):
    assert main(["run", "baseline", "--months", "2", "--replicates", "1", "--scale", "0.0001", "--quiet",
                 "--out", str(tmp_path / "tiny")]) == 0
    assert "warning: --scale 0.0001 leaves" in capsys.readouterr().err
    assert warnings(Parameters(), 120, 1.0) == []  # the full scale is not


def test_11_schedule_dates_outside_the_run_are_warned_about(tmp_path, capsys):
    assert main(["run", "baseline", "--months", "3", "--replicates", "1", "--scale", "0.05", "--quiet",
                 "--set", 'policy.moderation={ "2022-01" = 0.2, "2030-01" = 0.9 }', "--out", str(tmp_path / "r")]) == 0
    err = capsys.readouterr().err
    assert 'policy.moderation: the schedule starts in 2022-01; its first value (0.2) also holds from 2021-08' in err
    assert "policy.moderation: 2022-01, 2030-01 are after the run's last month (2021-10)" in err
    assert "Traceback" not in err


def test_12_a_scenario_with_a_byte_order_mark_loads(tmp_path, capsys):
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + f'extends = "{BASELINE}"\n[policy]\nmoderation = 0.3\n'.encode())
    assert load(path).parameters()["policy.moderation"] == 0.3
    latin = tmp_path / "latin.toml"
    latin.write_bytes('description = "Kaboul, ao\u00fbt"\n'.encode("latin-1"))
    with pytest.raises(ScenarioError, match="is not UTF-8 text"):
        load(latin)


def test_18_a_scenario_without_a_name_is_named_after_its_file(tmp_path):
    assert load(sweep_file(tmp_path)).name == "small_sweep"
    assert load(sweep_file(tmp_path, name="mine")).name == "mine"


# ---------------------------------------------------------------------------- 15: progress in logs

def test_15_progress_off_a_terminal_is_a_plain_line_every_few_percent():
    stream = io.StringIO()
    bar = Progress(200, done=20, label="md", stream=stream)
    for i in range(180):
        bar.update(failed=i == 5)
    bar.close()
    lines = stream.getvalue().splitlines()
    assert 15 <= len(lines) <= 20 and "\r" not in stream.getvalue()
    assert lines[-1].startswith("md: 200/200 runs (100%), 1 failed, ")


def test_15_a_redirected_run_and_sweep_print_progress(swept, tmp_path):
    scenario, _ = swept
    run = subprocess.run(command("run", "baseline", "--months", "2", "--replicates", "3", "--scale", "0.05",
                                 "--out", str(tmp_path / "r")), capture_output=True, text=True, timeout=300)
    assert run.returncode == 0 and "replicates: 3/3 runs (100%)" in run.stderr
    sweep = subprocess.run(command("sweep", str(scenario), "--workers", "1", "--out", str(tmp_path / "s")),
                           capture_output=True, text=True, timeout=300)
    assert sweep.returncode == 0 and "small_sweep: 4/4 runs (100%)" in sweep.stderr


# ---------------------------------------------------------------------------- 17: levers in the table

def test_17_timeseries_has_the_external_levers(tmp_path):
    params = Parameters().replace({"external.sanctions": 0.0, "external.humanitarian_aid": {"2021-08": 1.0,
                                                                                           "2021-10": 2.5}})
    records = RegimeModel(params, months=4, seed=1, scale=0.05).run()
    assert set(EXTERNAL_LEVERS) <= set(records[0]) and set(EXTERNAL_LEVERS) <= set(OUTCOMES)
    assert [r["sanctions"] for r in records] == [0.0] * 4
    assert [r["humanitarian_aid"] for r in records] == [1.0, 1.0, 2.5, 2.5]
    assert main(["run", "baseline", *SMALL, "--out", str(tmp_path / "r")]) == 0
    assert set(EXTERNAL_LEVERS) <= set(pd.read_csv(tmp_path / "r" / "timeseries.csv").columns)


# ---------------------------------------------------------------------------- start-up (issue 12)

def imported_by(tmp_path: Path, *argvs: list[str]) -> set[str]:
    """The heavy libraries in sys.modules after running these command lines in a fresh interpreter."""
    code = ("import sys\nfrom sim.interfaces.cli import main\n"
            f"for argv in {[list(a) for a in argvs]!r}:\n"
            "    try:\n        main(argv)\n    except SystemExit:\n        pass\n"
            "print('imported:', *(m for m in ('mesa', 'pandas', 'matplotlib', 'scipy') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    return set(done.stdout.splitlines()[-1].split()[1:])


def test_help_version_and_params_import_no_heavy_library(tmp_path):
    assert imported_by(tmp_path, ["--help"], ["--version"], ["params"], ["params", "policy.moderation"],
                       ["run", "--help"]) == set()


def test_plot_and_merge_start_without_mesa(swept, tmp_path):
    scenario, md = swept
    shards = tmp_path / "shards"
    for index in (1, 2):
        assert main(["sweep", str(scenario), "--shard", f"{index}/2", "--out", str(shards), "--workers", "1",
                     "--quiet"]) == 0
    assert "mesa" not in imported_by(tmp_path, ["plot", str(md)], ["merge", str(shards), "--out", str(tmp_path / "m")])
    assert (tmp_path / "m" / "summary.json").is_file()


# ---------------------------------------------------------------------------- 13, 14: the README's path

def test_13_14_readme_says_to_activate_and_gives_each_example_its_own_out():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "source .venv/bin/activate" in readme
    guides = "\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "docs" / "howto").glob("*.md")))
    blocks = re.findall(r"```bash\n(.*?)```", readme, flags=re.S)[2:] + re.findall(r"```bash\n(.*?)```", guides, re.S)
    outs = []
    for line in "\n".join(blocks).splitlines():  # after the README's two commands, and the how-to guides
        words = line.split("#")[0].split()
        if {"run", "sweep"} & set(words[:4]) and "--resume" not in words and "--help" not in words:
            assert "--out" in words, f"no --out: {line}"
            outs.append(words[words.index("--out") + 1])
    assert len(outs) >= 8 and len(set(outs)) == len(outs), outs
    assert "results/baseline" not in outs  # the first command's folder
