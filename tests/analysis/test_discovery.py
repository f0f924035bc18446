"""regime-sim discover: PRIM recovers planted boxes; the command reads sweeps and refuses bad ones."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.analysis import discovery
from sim.interfaces.cli import main
from sim.runs.store import parts

ROOT = Path(__file__).resolve().parents[2]
BASELINE = ROOT / "scenarios" / "baseline.toml"
LEVERS = ["policy.moderation", "external.sanctions", "policy.inclusion"]


def planted(seed: int, n: int = 2000, noise: float = 0.05) -> tuple[dict, pd.DataFrame]:
    """A synthetic sweep: the regime survives when sanctions >= 0.6 and moderation <= 0.3, with label noise."""
    rng = np.random.default_rng(seed)
    runs = pd.DataFrame(rng.uniform(0, 1, (n, 3)), columns=LEVERS)
    inside = (runs["external.sanctions"] >= 0.6) & (runs["policy.moderation"] <= 0.3)
    runs["survived"] = np.where(rng.uniform(size=n) < noise, ~inside, inside)
    runs["status"] = "ok"
    runs["isk_fighters_final"] = rng.uniform(0, 10_000, n)
    return {"design": {"parameters": LEVERS}}, runs


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_prim_recovers_a_planted_box(seed):
    found = discovery.discover(*planted(seed), "survived", resamples=0)
    limits = found.box.limits
    assert set(limits) == {"external.sanctions", "policy.moderation"}
    assert abs(limits["external.sanctions"][0] - 0.6) < 0.05 and limits["external.sanctions"][1] >= 1.0
    assert abs(limits["policy.moderation"][1] - 0.3) < 0.05 and limits["policy.moderation"][0] <= 0.0
    assert found.box.density > 0.85 and found.box.coverage > 0.6
    text = found.sentence()
    assert text.startswith("the regime survives in") and "sanctions" in text and "is at least 0.6" in text
    assert "moderation" in text and "is at most 0." in text and "covers" in text
    steps = found.trajectory
    assert steps[0].coverage == 1 and all(a.mass >= b.mass for a, b in zip(steps, steps[1:]))


def test_a_condition_on_another_outcome_narrows_the_runs_of_interest():
    manifest, runs = planted(4, noise=0.0)
    found = discovery.discover(manifest, runs, "survived", "isk_fighters_final < 5000", resamples=0)
    assert found.of_interest == int((runs["survived"] & (runs["isk_fighters_final"] < 5000)).sum())
    assert "holds in" in found.sentence() and "isk_fighters_final < 5000" in found.sentence()


def test_prim_peels_whole_levels_of_a_grid():
    levels = np.linspace(0, 1, 5)
    grid = pd.DataFrame([(a, b) for a in levels for b in levels for _ in range(4)], columns=["a", "b"])
    y = (grid["a"] >= 0.5).to_numpy()
    found = discovery.run(grid, y, resamples=0)
    assert found.box.limits == {"a": (0.5, np.inf)} and found.box.density == 1 and found.box.coverage == 1


def grouped_sweep(seed: int, points: int = 150, replicates: int = 6) -> tuple[dict, pd.DataFrame]:
    """A planted box on two of three dimensions (x0 >= 0.6 and x1 <= 0.4), a third that does nothing;
    each point run ``replicates`` times, a run of interest with probability 0.9 inside, 0.1 outside."""
    rng = np.random.default_rng(seed)
    X = rng.uniform(0, 1, (points, 3))
    inside = (X[:, 0] >= 0.6) & (X[:, 1] <= 0.4)
    runs = pd.DataFrame(np.repeat(X, replicates, axis=0), columns=LEVERS)
    runs["point"] = np.repeat(np.arange(points), replicates)
    runs["survived"] = rng.uniform(size=len(runs)) < np.repeat(np.where(inside, 0.9, 0.1), replicates)
    runs["status"] = "ok"
    return {"design": {"parameters": LEVERS}}, runs


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_planted_box_is_recovered_with_significant_dimensions_and_a_stable_bootstrap(seed):
    found = discovery.discover(*grouped_sweep(seed), "survived", resamples=60, seed=seed)
    moderation, sanctions, null = LEVERS
    assert {moderation, sanctions} <= set(found.box.limits)
    assert null not in found.box.limits or not found.significant(null)  # noise PRIM may pick up is flagged
    assert abs(found.box.limits[moderation][0] - 0.6) < 0.1 and abs(found.box.limits[sanctions][1] - 0.4) < 0.1
    assert found.points == 150 and found.runs == 900  # a point's six replicates are one unit
    assert all(found.p_values[n] < 0.001 and found.significant(n) for n in (moderation, sanctions))
    dims = found.bootstrap["dimensions"]
    assert dims[moderation]["restricted_share"] >= 0.9 and dims[sanctions]["restricted_share"] >= 0.9
    assert found.stable(moderation) and found.stable(sanctions)
    # ema_workbench's rule counts the raw peeling step, where noise is peeled too: less often, not never
    assert dims[null]["restricted_share"] < 0.75
    low, high = found.bootstrap["density_95"]
    assert high > 0.7
    # restricting the dimension that does nothing is not significant
    forced = found.box.limits | {null: (0.0, 0.5)}
    assert discovery.significance(found.X, found.y, forced)[null] > 0.05
    assert "quasi-p" in found.sentence() and "resamples" in found.sentence()


def test_a_restriction_that_excludes_fewer_than_ten_points_is_never_significant():
    """Issue 30: a restriction was called significant (p 0.009) on a comparison with one excluded point."""
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"a": rng.uniform(0, 1, 200), "b": rng.uniform(0, 1, 200)})
    y = (X["a"] > 0.5).to_numpy()
    found = discovery.run(X, y, resamples=0)
    assert found.significant("a") and found.excluded("a") >= 10
    edge = float(np.sort(X["b"])[-4])  # a bound on b that leaves out the three highest points
    limits = found.box.limits | {"b": (-np.inf, edge)}
    bounds = discovery.quasi_p(found.X, found.y.astype(float), limits)["b"]
    assert bounds["high"]["excluded"] <= 3 and "low" not in bounds
    from dataclasses import replace

    forced = replace(found, box=replace(found.box, limits=limits), p_values=found.p_values | {"b": 0.0001},
                     bounds_p=found.bounds_p | {"b": {"high": {"p": 0.0001, "excluded": 3}}})
    assert not forced.significant("b") and "fewer than 10" in forced.evidence()


def test_quasi_p_values_and_the_box_agree_with_ema_workbench():
    """The cross-check with ema_workbench (not in the test extra: it needs pandas < 3 on Python 3.11;
    in a separate environment: pip install -e . ema-workbench pytest, then run this file)."""
    prim = pytest.importorskip("ema_workbench.analysis.prim")
    sdutil = pytest.importorskip("ema_workbench.analysis.scenario_discovery_util")
    _, runs = planted(7, n=800, noise=0.1)  # one run per point: the points are ema_workbench's cases
    X, y = runs[LEVERS].astype(float), runs["survived"].to_numpy()
    found = discovery.run(X, y, resamples=0)
    inside = found.box.inside(X)
    h_box, t_box = int(y[inside].sum()), int(inside.sum())
    whole = pd.DataFrame({n: [X[n].min(), X[n].max()] for n in LEVERS})
    box_lim = whole.copy()
    for name, (low, high) in found.box.limits.items():
        box_lim[name] = [max(low, whole.loc[0, name]), min(high, whole.loc[1, name])]
    checked = 0
    for name, bounds in found.bounds_p.items():
        for side, bound in bounds.items():
            row = 0 if side == "low" else 1
            temp = box_lim.copy()
            temp.loc[row, name] = whole.loc[row, name]
            assert bound["p"] == pytest.approx(sdutil._calculate_quasip(X, y, temp, h_box, t_box), abs=1e-9)
            checked += 1
    assert checked >= 2
    # ema_workbench's PRIM with the original objective (the densest peel): the step closest in coverage to
    # this box restricts the same dimensions at nearly the same bounds, and its quasi-p values are ours
    ema = prim.Prim(X, y, threshold=0.5, peel_alpha=0.05, mass_min=0.05,
                    obj_function=prim.PRIMObjectiveFunctions.ORIGINAL).find_box()
    i = int((ema.peeling_trajectory["coverage"] - found.box.coverage).abs().idxmin())
    lims = ema.box_lims[i]
    theirs = {n: (float(lims.loc[0, n]), float(lims.loc[1, n])) for n in LEVERS
              if lims.loc[0, n] > whole.loc[0, n] or lims.loc[1, n] < whole.loc[1, n]}
    assert set(theirs) == set(found.box.limits)
    for name, (low, high) in found.box.bounded(found.full).items():
        assert abs(theirs[name][0] - low) < 0.1 and abs(theirs[name][1] - high) < 0.1
    ours = discovery.quasi_p(X, y.astype(float), theirs)
    for name, (low_p, high_p) in ema.qp[i].items():
        for side, value in (("low", low_p), ("high", high_p)):
            if value >= 0:
                assert ours[name][side]["p"] == pytest.approx(value, abs=1e-9)


def test_replicates_count_as_one_unit():
    """Copying every run ten times changes neither the box nor its p-values when the copies are grouped."""
    manifest, runs = grouped_sweep(3, points=60, replicates=2)
    copies = pd.concat([runs] * 10, ignore_index=True)
    once = discovery.discover(manifest, runs, "survived", resamples=0)
    tenfold = discovery.discover(manifest, copies, "survived", resamples=0)
    assert tenfold.box.limits == once.box.limits and tenfold.p_values == pytest.approx(once.p_values)
    ungrouped = discovery.run(copies[LEVERS], copies["survived"], resamples=0)  # each run its own unit
    assert min(ungrouped.p_values.values()) < min(once.p_values.values()) / 100 or \
        min(once.p_values.values()) < 1e-12


def test_conditions_join_with_and_or_not():
    frame = pd.DataFrame({"survived": [True, True, False, False], "isk_fighters_final": [1, 9, 1, 9]})
    check = lambda text: list(discovery.condition(text, frame, "--where"))  # noqa: E731
    assert check("survived and isk_fighters < 5") == [True, False, False, False]
    assert check("not survived or isk_fighters_final >= 9") == [False, True, True, True]
    assert check("survived and not isk_fighters_final > 5 or isk_fighters_final == 9") == [True, True, False, True]


@pytest.fixture(scope="module")
def sweep_folder(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("discover")
    scenario = folder / "grid.toml"
    scenario.write_text(f'extends = "{BASELINE}"\nname = "grid"\nensemble = ""\nmonths = 12\nscale = 0.02\n[sweep]\n'
                        'design = "grid"\nreplicates = 2\noutcomes = ["isk_fighters", "poverty_rate"]\n'
                        '[sweep.vary]\n"external.sanctions" = [0.0, 0.5, 1.0]\n"policy.moderation" = [0.0, 1.0]\n',
                        encoding="utf-8")
    assert main(["sweep", str(scenario), "--out", str(folder / "s"), "--workers", "1", "--quiet",
                 "--chunk-size", "3"]) == 0
    return folder / "s"


def test_the_command_reports_the_box_in_words_with_plots(sweep_folder, tmp_path, capsys):
    runs = pd.read_parquet(sweep_folder / "runs")
    cut = float(runs["poverty_rate_final"].median())
    assert main(["discover", str(sweep_folder), "--outcome", f"poverty_rate < {cut}", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "holds in" in out and "of runs" in out
    record = json.loads((tmp_path / "discovery.json").read_text())
    assert record["version"] and record["sweep"]["results_sha256"] and record["in_words"] in out
    for name in ("trajectory.csv", "tradeoff.png", "box.png"):
        assert (tmp_path / name).is_file()


@pytest.mark.parametrize("args, message", [
    (["--outcome", "survived", "--where", "isk_fighters_final <"], "expected a number after isk_fighters_final <"),
    (["--outcome", "survived", "--where", "isk_fighters_final < 5000 5"], "unexpected '5'"),
    (["--outcome", "survived", "--where", "(isk_fighters < 5)"], "cannot read '(isk_fighters < 5)'"),
    (["--outcome", "survivd"], "--outcome: survivd: is not an outcome (did you mean survived?)"),
    (["--outcome", "gdp_index < 1"], "gdp_index: is not kept by this sweep"),
])
def test_bad_conditions_are_one_line_and_exit_2(sweep_folder, tmp_path, capsys, args, message):
    assert main(["discover", str(sweep_folder), "--out", str(tmp_path), *args]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and message in err, err


def test_missing_empty_and_unfinished_sweeps_are_refused(sweep_folder, tmp_path, capsys):
    import shutil

    cases = {"missing": (tmp_path / "nowhere", "no such folder")}
    (tmp_path / "not-a-sweep").mkdir()
    cases["not a sweep"] = (tmp_path / "not-a-sweep", "manifest.json: missing")
    for name in ("empty", "unfinished"):
        shutil.copytree(sweep_folder, tmp_path / name)
    for part in parts(tmp_path / "empty", "runs"):
        part.unlink()
    cases["empty"] = (tmp_path / "empty", "holds no finished runs")
    parts(tmp_path / "unfinished", "runs")[-1].unlink()
    cases["unfinished"] = (tmp_path / "unfinished", "is unfinished (9 of 12 runs)")
    for case, (folder, message) in cases.items():
        assert main(["discover", str(folder), "--outcome", "survived"]) == 2, case
        err = capsys.readouterr().err.strip()
        assert len(err.splitlines()) == 1 and message in err, (case, err)


def test_cause_specific_boxes_find_where_the_regime_falls_by_that_cause():
    """--cause: the runs of interest are those that fell by the cause; the others (fallen otherwise, or standing)
    are not. Planted: civil war where sanctions >= 0.6, fiscal collapse where moderation >= 0.7 elsewhere."""
    manifest, runs = planted(4, noise=0.0)
    war = runs["external.sanctions"] >= 0.6
    fiscal = ~war & (runs["policy.moderation"] >= 0.7)
    runs["fall_cause"] = np.where(war, "civil war", np.where(fiscal, "fiscal collapse", None))
    found = discovery.discover(manifest, runs, None, cause="civil war", resamples=0)
    assert found.outcome == "fell by civil war" and found.of_interest == int(war.sum())
    low, high = found.box.limits["external.sanctions"]
    assert low == pytest.approx(0.6, abs=0.05) and "policy.moderation" not in found.box.limits
    found = discovery.discover(manifest, runs, None, cause="fiscal collapse", resamples=0)
    assert found.box.limits["policy.moderation"][0] == pytest.approx(0.7, abs=0.05)
    assert found.box.limits["external.sanctions"][1] == pytest.approx(0.6, abs=0.05)
    with pytest.raises(discovery.ScenarioError, match="did you mean civil war"):
        discovery.discover(manifest, runs, None, cause="civil wars", resamples=0)
    with pytest.raises(discovery.ScenarioError, match="no run of this sweep fell by it"):
        discovery.discover(manifest, runs, None, cause="regime split", resamples=0)


def test_the_command_finds_a_box_for_each_cause(tmp_path, capsys):
    folder = tmp_path / "stressed"
    scenario = tmp_path / "cw.toml"
    scenario.write_text(f'extends = "{(ROOT / "scenarios" / "stress" / "civil_war.toml").as_posix()}"\nname = "cw"\n'
                        'ensemble = ""\nmonths = 24\nscale = 0.02\n[sweep]\ndesign = "grid"\nreplicates = 3\n'
                        'outcomes = ["isk_fighters"]\n[sweep.vary]\n"policy.moderation" = [0.0, 0.5, 1.0]\n'
                        '"external.sanctions" = [0.0, 1.0]\n', encoding="utf-8")
    assert main(["sweep", str(scenario), "--out", str(folder), "--workers", "1", "--quiet"]) == 0
    runs = pd.read_parquet(folder / "runs")
    fell = sorted(runs["fall_cause"].dropna().unique())
    assert fell  # the stressed regime falls
    capsys.readouterr()
    assert main(["discover", str(folder), "--cause", "each", "--bootstrap", "0", "--out", str(tmp_path / "d")]) == 0
    out = capsys.readouterr().out
    for cause in fell:
        record = json.loads((tmp_path / "d" / cause.replace(" ", "_") / "discovery.json").read_text())
        assert record["cause"] == cause and record["outcome"] == f"fell by {cause}"
        assert record["runs_of_interest"] == int((runs["fall_cause"] == cause).sum())
        assert f'"fell by {cause}" holds' in out
    assert main(["discover", str(folder), "--cause", "coup", "--out", str(tmp_path / "e")]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "is not a fall cause" in err, err
    with pytest.raises(SystemExit) as stop:  # argparse's one line: --cause or --outcome, not both
        main(["discover", str(folder), "--cause", "civil war", "--outcome", "survived"])
    assert stop.value.code == 2 and "not allowed with argument" in capsys.readouterr().err
