"""regime-sim sensitivity: known indices through the same analysis, the model through the sweep engine."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from SALib.test_functions import Ishigami

from sim.analysis import sensitivity
from sim.interfaces.cli import main
from sim.model.params import SPEC_BY_NAME
from sim.runs.scenario import load

ROOT = Path(__file__).resolve().parents[2]
BASELINE = ROOT / "scenarios" / "baseline.toml"
ISHIGAMI_S1 = {"x1": 0.3139, "x2": 0.4424, "x3": 0.0}
ISHIGAMI_ST = {"x1": 0.5576, "x2": 0.4424, "x3": 0.2437}


def ishigami(noise: float = 0.0, seed: int = 1):
    """An evaluator with the signature of sim.analysis.evaluate.Runner: the Ishigami function plus noise."""
    rng = np.random.default_rng(seed)

    def evaluate(name, points, replicates, statistics):
        x = np.array([[p["x1"], p["x2"], p["x3"]] for p in points])
        return {"y": Ishigami.evaluate(x)[:, None] + rng.normal(0, noise, (len(x), replicates))}
    return evaluate


def ishigami_plan(method="sobol", samples=1024, replicates=1) -> sensitivity.Plan:
    return sensitivity.Plan(method, {f"x{i}": (-math.pi, math.pi) for i in (1, 2, 3)}, samples, replicates,
                            ("y",), 7)


def index(result, name) -> dict[str, float]:
    table = result.indices[result.indices["index"] == name]
    return dict(zip(table["parameter"], table["value"]))


def test_sobol_indices_of_the_ishigami_function():
    plan = ishigami_plan()
    _, result = sensitivity.run(plan, ishigami())
    for name, known in (("S1", ISHIGAMI_S1), ("ST", ISHIGAMI_ST)):
        found = index(result, name)
        for x, value in known.items():
            assert abs(found[x] - value) < 0.06, (name, x, found[x], value)
    st = result.indices[result.indices["index"] == "ST"].set_index("parameter")
    assert (st["ci_low"] <= st["value"]).all() and (st["value"] <= st["ci_high"]).all()
    assert list(st.sort_values("rank").index) == ["x1", "x2", "x3"]


def test_noise_share_is_measured_and_too_few_replicates_are_flagged():
    plan = ishigami_plan(samples=128, replicates=3)
    _, result = sensitivity.run(plan, ishigami(noise=6.0))
    # within-point variance 36; variance of the point means: Var(f) = 13.84 plus 36 / 3
    assert abs(result.noise["y"]["noise_share"] - 36 / (36 + 13.84 + 12)) < 0.06
    assert any("replicates per point would bring it under" in w for w in result.warnings)
    assert any("ranking unreliable" in w and "--samples" in w for w in result.warnings)
    quiet = sensitivity.run(ishigami_plan(samples=128, replicates=3), ishigami(noise=0.01))[1]
    assert not any("replicate noise" in w for w in quiet.warnings)


def test_morris_screens_a_linear_function_in_order():
    plan = sensitivity.Plan("morris", {"a": (0, 1), "b": (0, 1), "c": (0, 1)}, 32, 1, ("y",), 3)

    def linear(name, points, replicates, statistics):
        return {"y": np.array([[5 * p["a"] + p["b"]] for p in points])}
    _, result = sensitivity.run(plan, linear)
    mu = index(result, "mu_star")
    assert mu["a"] == pytest.approx(5, rel=1e-6) and mu["b"] == pytest.approx(1, rel=1e-6) and mu["c"] == 0


def test_range_allowed_varies_every_assumption_and_calibration_over_its_allowed_range():
    scenario = load(BASELINE)
    plan = sensitivity.plan(scenario, scenario.parameters(), 1, region="allowed")
    assert len(plan.ranges) >= 10
    for name, (low, high) in plan.ranges.items():
        spec = SPEC_BY_NAME[name]
        assert spec.provenance.kind in ("assumption", "calibrated")
        assert (low, high) == (spec.low, spec.high)


def test_by_default_the_accepted_region_of_the_ensemble_is_varied():
    from sim.analysis.region import accepted

    scenario = load(BASELINE)
    params = scenario.parameters()
    plan = sensitivity.plan(scenario, params, 1)
    if scenario.ensemble is None:  # no calibrated ensemble: each value +-50%
        assert plan.ranges == sensitivity.named("pm50", scenario, params)
    else:
        assert plan.ranges == accepted(scenario.ensemble) and len(plan.ranges) >= 12
        for name, (low, high) in plan.ranges.items():
            assert SPEC_BY_NAME[name].low <= low < high <= SPEC_BY_NAME[name].high


def scenario_file(folder: Path, body: str) -> Path:
    path = folder / "tiny.toml"
    path.write_text(f'extends = "{BASELINE}"\nname = "tiny"\nmonths = 12\nscale = 0.02\n{body}', encoding="utf-8")
    return path


TINY = """
[sensitivity]
samples = 2
replicates = 2
outcomes = ["isk_fighters", "poverty_rate"]
[sensitivity.vary]
"recruitment.economic_rate" = {}
"economy.sanctions_drag" = {}
"""


def test_the_command_runs_the_model_through_the_sweep_engine_reproducibly(tmp_path, capsys):
    path = scenario_file(tmp_path, TINY)
    assert main(["sensitivity", str(path), "--out", str(tmp_path / "a"), "--workers", "2", "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "isk_fighters (noise share" in out
    indices = pd.read_csv(tmp_path / "a" / "indices.csv")
    assert set(indices["parameter"]) == {"recruitment.economic_rate", "economy.sanctions_drag"}
    assert set(indices["index"]) == {"S1", "ST"}
    assert {"ci_low", "ci_high", "rank"} <= set(indices.columns)
    for name in ("noise.csv", "sensitivity.json", "manifest.json", "sensitivity_isk_fighters.png"):
        assert (tmp_path / "a" / name).is_file()
    assert main(["sensitivity", str(path), "--out", str(tmp_path / "b"), "--workers", "1", "--quiet"]) == 0
    pd.testing.assert_frame_equal(indices, pd.read_csv(tmp_path / "b" / "indices.csv"))
    # an analysis already finished is read back with --resume, not rerun
    assert main(["sensitivity", str(path), "--out", str(tmp_path / "b"), "--resume", "--quiet"]) == 0


@pytest.mark.parametrize("body, args, message", [
    (TINY, ["--outcome", "isk_fightrs"], "--outcome: isk_fightrs: is not an outcome (did you mean isk_fighters?)"),
    (TINY, ["--samples", "3"], "--samples: 3 is not a power of two"),
    (TINY.replace("economy.sanctions_drag", "economy.sanction_drag"), [],
     "sensitivity.vary.economy.sanction_drag: unknown parameter"),
    (TINY.replace("samples = 2", "sample = 2"), [], "sensitivity.sample: unknown key (did you mean"),
    (TINY.replace("= {}", "= { low = 2.0 }", 1), [], "sensitivity.vary.recruitment.economic_rate.low"),
    (TINY.replace("[sensitivity]", "[sensitivity]\nmethod = \"fast\""), [], "sensitivity.method: 'fast'"),
])
def test_bad_input_is_one_line_and_exit_2(tmp_path, capsys, body, args, message):
    path = scenario_file(tmp_path, body)
    assert main(["sensitivity", str(path), "--out", str(tmp_path / "x"), "--quiet", *args]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and message in err, err


@pytest.mark.slow
def test_shards_merged_then_resumed_give_the_same_indices(tmp_path, capsys):
    path = scenario_file(tmp_path, TINY)
    assert main(["sensitivity", str(path), "--out", str(tmp_path / "whole"), "--workers", "1", "--quiet"]) == 0
    for shard in ("1/2", "2/2"):
        assert main(["sensitivity", str(path), "--out", str(tmp_path / "s"), "--shard", shard, "--workers", "1",
                     "--quiet"]) == 0
    assert "regime-sim merge" in capsys.readouterr().err
    assert main(["merge", str(tmp_path / "s")]) == 0
    assert main(["sensitivity", str(path), "--out", str(tmp_path / "s"), "--resume", "--quiet"]) == 0
    pd.testing.assert_frame_equal(pd.read_csv(tmp_path / "whole" / "indices.csv"),
                                  pd.read_csv(tmp_path / "s" / "indices.csv"))


def test_a_design_in_which_the_regime_collapses_at_once_is_refused_in_one_line():
    """Issue 30: --range allowed drew a sample in which the regime fell by month 5 in 1,942 of 1,944 runs."""
    from sim.runs.scenario import ScenarioError

    plan = sensitivity.Plan("morris", {"a": (0, 1), "b": (0, 1)}, 4, 2, ("y",), 3)

    def collapsing(share):
        def evaluate(name, points, replicates, statistics):
            assert "fall_month" in statistics
            fall = np.where(np.random.default_rng(0).uniform(size=(len(points), replicates)) < share, 3.0, np.nan)
            return {"y": np.random.default_rng(1).normal(size=(len(points), replicates)), "fall_month": fall}
        return evaluate

    with pytest.raises(ScenarioError, match="falls within the first 6 months in .* runs .*--range plausible"):
        sensitivity.run(plan, collapsing(0.9))
    sensitivity.run(plan, collapsing(0.2))  # a few early falls are an answer, not a broken design


def test_the_plausible_region_lies_between_the_accepted_region_and_the_allowed_ranges():
    from sim.analysis.region import accepted, named

    scenario = load("baseline")
    params = scenario.parameters()
    plausible, inner = named("plausible", scenario, params), accepted(scenario.ensemble)
    assert set(inner) <= set(plausible)
    for name, (low, high) in inner.items():
        spec = SPEC_BY_NAME[name]
        assert spec.low <= plausible[name][0] <= low and high <= plausible[name][1] <= spec.high
        assert plausible[name][0] < low or low == spec.low
