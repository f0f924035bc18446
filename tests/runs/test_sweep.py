"""Sweeps: identical results whatever the workers, Dask, shards; resume after a kill; flat memory."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from sim.model import model
from sim.runs import sweep as sweeps
from sim.interfaces.cli import main
from sim.runs.design import from_scenario
from sim.runs.runner import replicate_seeds
from sim.runs.scenario import load
from sim.model.outcomes import OUTCOMES
from sim.runs.store import dataset, parts, read_runs, read_timeseries

BASELINE = Path(__file__).resolve().parents[2] / "scenarios" / "baseline.toml"


def write_scenario(folder: Path, sweep: str, name: str = "tiny", months: int = 6, scale: float = 0.01) -> Path:
    path = folder / f"{name}.toml"
    path.write_text(f'extends = "{BASELINE}"\nname = "{name}"\nmonths = {months}\nscale = {scale}\n'
                    f"[sweep]\n{sweep}\n", encoding="utf-8")
    return path


GRID = """design = "grid"
replicates = 2
outcomes = ["isk_fighters", "defections_to_isk", "poverty_rate"]
[sweep.vary]
"policy.moderation" = [0.0, 1.0]
"external.sanctions" = [1.0, 0.0]
"""


def plan(path: Path, replicates: int | None = None) -> sweeps.Sweep:
    scenario = load(path)
    params = scenario.parameters()
    seed = scenario.setting("seed")
    return sweeps.Sweep(scenario, params, from_scenario(scenario, params, replicates, seed),
                        scenario.setting("months"), scenario.setting("scale"), seed)


def tables(folder: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    return read_runs(folder), read_timeseries(folder)


def assert_same_results(a: Path, b: Path) -> None:
    runs_a, series_a = tables(a)
    runs_b, series_b = tables(b)
    pd.testing.assert_frame_equal(runs_a, runs_b, check_exact=True)
    pd.testing.assert_frame_equal(series_a, series_b, check_exact=True)


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> tuple[Path, Path]:
    """The tiny grid sweep run in this process, one worker: the reference for every comparison."""
    folder = tmp_path_factory.mktemp("reference")
    scenario = write_scenario(folder, GRID)
    summary = sweeps.run(plan(scenario), folder / "out", workers=1, progress=False)
    assert summary["complete"] and summary["runs_finished"] == 8 and summary["runs_failed"] == 0
    return scenario, folder / "out"


def test_every_point_uses_the_same_replicate_seeds(reference):
    scenario, out = reference
    runs = read_runs(out)
    expected = replicate_seeds(load(scenario).setting("seed"), 2)
    for replicate, rows in runs.groupby("replicate"):
        assert set(rows["seed_entropy"]) == {str(expected[replicate].entropy)}
        assert set(rows["seed_spawn_key"]) == {",".join(map(str, expected[replicate].spawn_key))}
    assert runs["point"].nunique() == 4 and len(runs) == 8


def test_sweep_points_differ_and_rows_are_complete(reference):
    _, out = reference
    runs, series = tables(out)
    assert runs["isk_fighters_final"].nunique() > 1  # the levers change the outcome
    assert len(series) == 8 * 6 and set(series.groupby("run_id").size()) == {6}
    points = pd.read_csv(out / "points.csv")
    assert len(points) == 4 and (points["replicates"] == 2).all()


def test_one_and_two_workers_give_identical_results(reference, tmp_path):
    scenario, out = reference
    summary = sweeps.run(plan(scenario), tmp_path / "two", workers=2, progress=False, chunk_size=3)
    assert_same_results(out, tmp_path / "two")
    assert summary["results_sha256"] == sweeps.summarise(out)["results_sha256"]


@pytest.mark.slow
def test_a_dask_cluster_gives_identical_results(reference, tmp_path):
    from distributed import LocalCluster

    scenario, out = reference
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        sweeps.run(plan(scenario), tmp_path / "dask", scheduler=cluster.scheduler_address, progress=False)
    assert_same_results(out, tmp_path / "dask")


def test_two_shards_merged_give_identical_results(reference, tmp_path, capsys):
    scenario, out = reference
    for shard in ("1/2", "2/2"):
        assert main(["sweep", str(scenario), "--shard", shard, "--out", str(tmp_path / "s"), "--workers", "1",
                     "--quiet"]) == 0
    assert sorted(p.name for p in (tmp_path / "s").iterdir()) == ["shard-1-of-2", "shard-2-of-2"]
    assert main(["merge", str(tmp_path / "s"), "--out", str(tmp_path / "merged")]) == 0
    assert_same_results(out, tmp_path / "merged")
    assert (tmp_path / "merged" / "survival_heatmap.png").is_file()


def test_merge_refuses_an_unfinished_or_missing_shard(reference, tmp_path, capsys):
    scenario, _ = reference
    main(["sweep", str(scenario), "--shard", "1/2", "--out", str(tmp_path / "s"), "--workers", "1", "--quiet"])
    (tmp_path / "s" / "shard-2-of-2").mkdir()
    assert main(["merge", str(tmp_path / "s" / "shard-1-of-2"), str(tmp_path / "s" / "shard-1-of-2"),
                 "--out", str(tmp_path / "m")]) == 2
    assert "every shard exactly once" in capsys.readouterr().err


def test_resume_after_a_real_kill_finishes_without_duplicates(tmp_path):
    grid = GRID.replace('[0.0, 1.0]\n"external', '[0.0, 0.5, 1.0]\n"external').replace("replicates = 2",
                                                                                        "replicates = 3")
    scenario = write_scenario(tmp_path, grid, months=24)
    out = tmp_path / "killed"
    command = [sys.executable, "-m", "sim", "sweep", str(scenario), "--workers", "1", "--chunk-size", "1",
               "--out", str(out), "--quiet"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while len(parts(out, "runs")) < 3 and process.poll() is None and time.time() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    finished = len(read_runs(out))
    assert 3 <= finished < 18, "the kill should land part-way through the sweep"
    (out / "timeseries" / "part-all-99999.parquet").write_bytes(b"half-written")  # as if killed mid-chunk
    (out / "runs" / "part-all-99998.parquet.tmp").write_bytes(b"half-written")
    result = subprocess.run(command + ["--resume"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    runs = read_runs(out)
    assert len(runs) == 18 and runs["run_id"].is_unique
    assert not (out / "timeseries" / "part-all-99999.parquet").exists()
    reference = sweeps.run(plan(scenario), tmp_path / "whole", workers=1, progress=False)
    assert_same_results(out, tmp_path / "whole")
    assert reference["results_sha256"] == sweeps.summarise(out)["results_sha256"]


def test_a_run_that_raises_is_recorded_and_the_sweep_goes_on(reference, tmp_path, monkeypatch):
    scenario, _ = reference
    real = model.RegimeModel

    def flaky(params, months, seed, scale):
        if params["policy.moderation"] == 1.0 and seed.spawn_key == (1,):
            raise FloatingPointError("boom")
        return real(params, months=months, seed=seed, scale=scale)

    monkeypatch.setattr(model, "RegimeModel", flaky)
    summary = sweeps.run(plan(scenario), tmp_path / "flaky", workers=1, progress=False)
    assert summary["complete"] and summary["runs_failed"] == 2 and summary["runs_finished"] == 8
    failure = summary["failures"][0]
    assert failure["error"] == "FloatingPointError: boom" and failure["seed_spawn_key"] == "1"
    assert len(read_timeseries(tmp_path / "flaky")) == 6 * 6


def test_a_sweep_whose_runs_all_fail_still_reports(reference, tmp_path, monkeypatch, capsys):
    scenario, _ = reference

    def broken(*args, **kwargs):
        raise ValueError("no model today")

    monkeypatch.setattr(model, "RegimeModel", broken)
    assert main(["sweep", str(scenario), "--out", str(tmp_path / "all-failed"), "--workers", "1", "--quiet"]) == 0
    assert "8 of 8 runs finished, 8 failed" in capsys.readouterr().out
    summary = json.loads((tmp_path / "all-failed" / "summary.json").read_text())
    assert summary["survival_probability"] == {"lowest": None, "highest": None}
    assert summary["failures"][0]["error"] == "ValueError: no model today"


def test_resume_refuses_a_different_sweep(reference, tmp_path, capsys):
    scenario, out = reference
    assert main(["sweep", str(scenario), "--out", str(out), "--quiet"]) == 2
    assert "--resume" in capsys.readouterr().err
    assert main(["sweep", str(scenario), "--out", str(out), "--resume", "--seed", "1", "--quiet"]) == 2
    assert "different sweep" in capsys.readouterr().err
    assert main(["sweep", str(scenario), "--out", str(out), "--resume", "--quiet", "--workers", "1"]) == 0


PEAKS = """
import gc, json, sys, tracemalloc
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from test_sweep import plan
from sim.runs import sweep as sweeps
sweeps.SUMMARY_BLOCK_RUNS = 40  # the summary reads 40 runs at a time
peaks = {}
for path, out in json.loads(sys.argv[2]):
    gc.collect()
    tracemalloc.start()
    sweeps.run(plan(Path(path)), Path(out), workers=1, progress=False, chunk_size=10)
    peaks[out] = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
print(json.dumps(peaks))
"""


def _peak_memory(sweeps_to_run: list[tuple[Path, Path]]) -> dict[Path, int]:
    """The peak traced memory of each sweep, run in turn in a fresh interpreter, so that what earlier
    tests left in this one does not count (e.g. Python's table of interned strings, which grows in
    one large block whenever it fills, at a moment that depends on everything run before)."""
    pairs = json.dumps([[str(a), str(b)] for a, b in sweeps_to_run])
    done = subprocess.run([sys.executable, "-c", PEAKS, str(Path(__file__).parent), pairs], capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return {Path(k): v for k, v in json.loads(done.stdout.strip().splitlines()[-1]).items()}


@pytest.mark.slow
def test_memory_stays_flat_as_the_sweep_grows(tmp_path):
    """Peak memory hardly grows from a sweep of 80 small runs to one of 640: results go to disk.

    Only the design itself (its points, a few hundred bytes each) is held for every run.
    """
    every = json.dumps([o for o in OUTCOMES if o not in ("replicate", "month", "date")])
    runs = []
    for n in (80, 640):
        values = ", ".join(f"{i / n:.6f}" for i in range(n))
        design = f'design = "grid"\nreplicates = 1\noutcomes = {every}\n[sweep.vary]\n"policy.moderation" = [{values}]\n'
        runs.append((write_scenario(tmp_path, design, name=f"s{n}", months=4, scale=0.002), tmp_path / f"r{n}"))
    measured = _peak_memory(runs)
    peaks = {80: measured[tmp_path / "r80"], 640: measured[tmp_path / "r640"]}
    stored = sum(dataset(tmp_path / "r640", t).to_table().nbytes for t in ("runs", "timeseries"))
    assert len(read_runs(tmp_path / "r640")) == 640
    growth, results = peaks[640] - peaks[80], stored * 560 / 640
    assert growth < 0.15 * results, f"peak memory grew {growth / 1e3:.0f} kB for 560 more runs with {results / 1e3:.0f} kB of results"
