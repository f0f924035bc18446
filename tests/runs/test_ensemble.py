"""Calibrated ensembles: each replicate draws its calibrated values from the accepted points, by its seed."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from sim.analysis.region import accepted, named
from sim.interfaces.cli import main
from sim.runs import sweep as sweeps
from sim.runs.design import from_scenario
from sim.runs.runner import run_replicates
from sim.runs.scenario import load
from sim.runs.seeds import replicate_seeds

ROOT = Path(__file__).resolve().parents[2]
BASELINE = ROOT / "scenarios" / "baseline.toml"
MEMBERS = [(10.0, 0.4), (25.0, 0.7), (18.0, 0.9)]  # violence.isk_attack_rate, survival.tolerated_arrears
RUN = ["--months", "6", "--scale", "0.01", "--quiet"]


def scenario_with_ensemble(tmp_path: Path, rows=MEMBERS, extra: str = "") -> Path:
    lines = ["member,wave,point,max_implausibility,best,violence.isk_attack_rate,survival.tolerated_arrears"]
    lines += [f"{i},1,{i},1.5,{int(i == 1)},{a},{k}" for i, (a, k) in enumerate(rows)]
    (tmp_path / "ens.csv").write_text("\n".join(lines) + "\n")
    path = tmp_path / "with_ensemble.toml"
    path.write_text(f'extends = {json.dumps(str(BASELINE))}\nname = "with_ensemble"\nensemble = "ens.csv"\n{extra}')
    return path


def test_each_replicate_draws_a_member_by_its_seed(tmp_path):
    scenario = load(scenario_with_ensemble(tmp_path))
    ensemble = scenario.ensemble
    assert len(ensemble) == 3 and ensemble.best == 1 and ensemble.best_values() == {
        "violence.isk_attack_rate": 25.0, "survival.tolerated_arrears": 0.7}
    seeds = replicate_seeds(7, 12)
    members = [ensemble.member(s) for s in seeds]
    assert members == [ensemble.member(s) for s in replicate_seeds(7, 12)]  # the same seed, the same draw
    assert len(set(members)) == 3  # twelve replicates reach every member
    params = scenario.parameters()
    drawn, member = ensemble.apply(params, seeds[0])
    assert drawn["violence.isk_attack_rate"] == MEMBERS[member][0]
    table, endings, _ = run_replicates(params, 4, 7, 3, 0.01, progress=False, ensemble=ensemble)
    assert [e["ensemble_member"] for e in endings] == members[:3]
    plain, _, _ = run_replicates(params, 4, 7, 3, 0.01, progress=False)
    assert not table.equals(plain)  # the drawn values change the runs


def test_values_set_later_are_not_drawn(tmp_path):
    path = scenario_with_ensemble(tmp_path, extra="[violence]\nisk_attack_rate = 5.0\n")
    ensemble = load(path).ensemble
    assert ensemble.fixed == {"violence.isk_attack_rate"}
    assert set(ensemble.values(0)) == {"survival.tolerated_arrears"}
    assert accepted(ensemble) == {"survival.tolerated_arrears": (0.4, 0.9)}
    off = tmp_path / "off.toml"
    off.write_text(f'extends = {json.dumps(str(path))}\nensemble = ""\n')
    assert load(off).ensemble is None


def test_run_records_the_members_and_point_best_runs_the_best_point(tmp_path):
    path = scenario_with_ensemble(tmp_path)
    assert main(["run", str(path), "--replicates", "3", "--out", str(tmp_path / "e"), *RUN]) == 0
    record = json.loads((tmp_path / "e" / "manifest.json").read_text())["ensemble"]
    assert record["members"] == 3 and len(record["replicate_members"]) == 3 and record["sha256"]
    assert main(["run", str(path), "--replicates", "2", "--point", "best", "--out", str(tmp_path / "b"), *RUN]) == 0
    best = json.loads((tmp_path / "b" / "manifest.json").read_text())
    assert "ensemble" not in best and best["parameters"]["violence.isk_attack_rate"] == 25.0
    # --set takes precedence over the draw
    assert main(["run", str(path), "--replicates", "2", "--set", "violence.isk_attack_rate=3", "--out",
                 str(tmp_path / "s"), *RUN]) == 0
    fixed = json.loads((tmp_path / "s" / "manifest.json").read_text())["ensemble"]
    assert fixed["fixed"] == ["violence.isk_attack_rate"]


def test_a_sweep_draws_the_same_members_whatever_the_workers(tmp_path):
    path = tmp_path / "swept.toml"
    scenario_with_ensemble(tmp_path)
    path.write_text(f'extends = "with_ensemble.toml"\n[sweep]\ndesign = "grid"\nreplicates = 3\n'
                    '[sweep.vary]\n"policy.moderation" = [0.0, 1.0]\n')
    scenario = load(path)
    params = scenario.parameters()
    plan = sweeps.Sweep(scenario, params, from_scenario(scenario, params, None, 3), 6, 0.01, 3)
    one = sweeps.run(plan, tmp_path / "one", workers=1, progress=False)
    two = sweeps.run(plan, tmp_path / "two", workers=2, progress=False)
    assert one["results_sha256"] == two["results_sha256"]
    runs = pd.read_parquet(tmp_path / "one" / "runs").sort_values("run_id")
    members = [scenario.ensemble.member(s) for s in plan.seeds]
    assert list(runs["ensemble_member"]) == members * 2  # the same member at every point
    assert json.loads((tmp_path / "one" / "manifest.json").read_text())["ensemble"]["replicate_members"] == members


@pytest.mark.parametrize("content, message", [
    ("member,violence.isk_atack_rate\n0,3\n", "violence.isk_atack_rate: is not a parameter"),
    ("member,violence.isk_attack_rate\n0,500\n", "line 2: violence.isk_attack_rate"),
    ("member,violence.isk_attack_rate\n0,abc\n", "'abc' is not a number"),
    ("member,violence.isk_attack_rate\n", "holds no accepted point"),
])
def test_a_bad_ensemble_gets_one_line_naming_file_and_column(tmp_path, capsys, content, message):
    scenario_with_ensemble(tmp_path)
    (tmp_path / "ens.csv").write_text(content)
    assert main(["run", str(tmp_path / "with_ensemble.toml"), *RUN]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "ens.csv" in err and message in err and "Traceback" not in err


def test_point_best_without_an_ensemble_and_range_accepted_without_one_say_so(tmp_path, capsys):
    plain = tmp_path / "plain.toml"
    plain.write_text(f'extends = {json.dumps(str(BASELINE))}\nensemble = ""\n')
    assert main(["run", str(plain), "--point", "best", *RUN]) == 2
    assert "names no calibrated ensemble" in capsys.readouterr().err
    scenario = load(plain)
    with pytest.raises(Exception, match="no calibrated ensemble"):
        named("accepted", scenario, scenario.parameters())
    assert named("pm50", scenario, scenario.parameters())


def test_an_ensemble_written_below_a_cutoff_keeps_only_the_points_under_it(tmp_path):
    from sim.runs import ensemble as ensembles

    accepted = pd.DataFrame({"wave": [1, 2, 2], "point": [0, 3, 5], "max_implausibility": [2.9, 1.2, 2.4],
                             "violence.isk_attack_rate": [10.0, 25.0, 18.0]})
    accepted.to_csv(tmp_path / "accepted.csv", index=False)
    path = ensembles.write(tmp_path / "e.csv", ["violence.isk_attack_rate"], tmp_path / "accepted.csv",
                           {"best": {"wave": 2, "point": 3}}, below=2.5)
    kept = pd.read_csv(path)
    assert list(kept["point"]) == [3, 5] and list(kept["member"]) == [0, 1] and list(kept["best"]) == [1, 0]
    assert json.loads(path.with_suffix(".json").read_text())["members"] == 2
    with pytest.raises(ensembles.EnsembleError, match="below 1"):
        ensembles.write(tmp_path / "f.csv", ["violence.isk_attack_rate"], tmp_path / "accepted.csv", {}, below=1.0)


def test_an_ensemble_cutoff_above_the_calibrations_or_without_an_ensemble_gets_one_line(tmp_path, capsys):
    assert main(["calibrate", "calibrate_baseline", "--ensemble-cutoff", "2", "--out", str(tmp_path / "c")]) == 2
    assert "--ensemble-cutoff" in capsys.readouterr().err and not (tmp_path / "c").exists()
    assert main(["calibrate", "calibrate_baseline", "--ensemble", str(tmp_path / "e.csv"), "--ensemble-cutoff", "4",
                 "--out", str(tmp_path / "c")]) == 2
    err = capsys.readouterr().err
    # the confirmation on fresh seeds selects the members at [calibrate] ensemble_cutoff (issue 29)
    assert "calibrate.ensemble_cutoff" in err and len(err.strip().splitlines()) == 1


def test_the_scenarios_ensemble_cutoff_is_read_and_a_bad_one_gets_one_line(tmp_path, capsys):
    from sim.analysis.calibrate import plan
    from sim.runs.scenario import resolve

    path = resolve("calibrate_baseline")
    shipped = load(path)
    assert plan(shipped, shipped.parameters(), path.parent / "targets.toml", 29, 0.05, 1, None).ensemble_cutoff == 2.0
    bad = tmp_path / "bad.toml"
    bad.write_text(f'extends = "{path.as_posix()}"\nname = "bad"\n'
                   '[calibrate]\nensemble_cutoff = 4.0\n', encoding="utf-8")
    assert main(["calibrate", str(bad), "--ensemble", str(tmp_path / "e.csv"), "--out", str(tmp_path / "c")]) == 2
    err = capsys.readouterr().err
    assert "calibrate.ensemble_cutoff" in err and "at most the calibration's cutoff (3)" in err
    assert len(err.strip().splitlines()) == 1 and not (tmp_path / "c").exists()


def test_a_member_x_seed_design_runs_distinct_members_each_with_several_seeds():
    from sim.runs.ensemble import load
    from sim.runs.seeds import replicate_seeds

    ensemble = load(Path(__file__).resolve().parents[2] / "scenarios" / "ensemble" / "baseline.csv")
    n = min(20, len(ensemble))  # the design takes every member when there are fewer
    crossed = ensemble.crossed(n, 7)
    seeds = replicate_seeds(7, 3 * n)
    members = [crossed.member(s) for s in seeds]
    assert len(set(members)) == n and members[:n] == members[n:2 * n] == members[2 * n:]
    assert crossed.crossed(n, 7).chosen == crossed.chosen and ensemble.crossed(n, 8).chosen != crossed.chosen
    assert len(ensemble.crossed(10_000, 7).chosen) == len(ensemble)  # at most every member, once
    assert crossed.as_jsonable()["chosen_members"] == list(crossed.chosen)
    assert [ensemble.member(s) for s in seeds] != members  # without the design each seed draws
