"""Sane ranges: no world in the allowed ranges that the model cannot represent, and a failed run
recorded rather than the end of a sweep or an analysis."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim.analysis.region import uncertain
from sim.model.model import RegimeModel
from sim.runs import design
from sim.runs.runner import release
from sim.runs.scenario import load

# Bounds beyond which a run has left what the model represents (the documents: IS-K "may not be
# able to recruit more than 10,000", EER:30; about 85,000 Taliban; about 40 million Afghans).
# Worlds between the documented figures and these bounds remain in the allowed ranges; they are
# ruled out by the record, which is what the accepted region (the default of the analyses) is for.
BOUNDS = {"isk_fighters": 150_000, "isk_attacks": 5_000, "resistance_fighters": 150_000,
          "taliban_fighters": 400_000, "ttp_fighters": 60_000, "people_in_need": 60e6}


def outside(table: pd.DataFrame) -> list[str]:
    """What is wrong with a run: non-finite outcomes, or outcomes beyond BOUNDS."""
    numbers = table.select_dtypes("number")
    problems = [f"{c} not finite" for c in numbers if not np.isfinite(numbers[c]).all()]
    problems += [f"{c} reaches {table[c].max():,.0f} (bound {bound:,.0f})" for c, bound in BOUNDS.items()
                 if table[c].max() > bound]
    return problems


# Forty Latin hypercubes of 12 points (about 15 seconds): most sampled worlds fall within two months (a run ends
# at the fall), so it takes this many for several to stand long enough to grow (17 of 480 stood 60 months).
SAMPLE_SEEDS = tuple(range(1000, 1040))
LONG = 60  # months: a world that stood this long had time to grow


@pytest.fixture(scope="module")
def allowed_worlds() -> dict[str, pd.DataFrame | str]:
    """Runs at a Latin hypercube over every assumption and calibration's allowed range (what
    `regime-sim sensitivity --range allowed` samples): each run's table, or its error."""
    base = load("baseline").without_ensemble().parameters()
    region = uncertain(base)
    assert len(region) > 50
    worlds = {}
    for sample_seed in SAMPLE_SEEDS:
        for i, point in enumerate(design.sample("latin", region, 12, sample_seed)):
            try:
                model = RegimeModel(base.replace(point), months=120,
                                    seed=np.random.SeedSequence([sample_seed, i]), scale=0.02)
                worlds[f"{sample_seed}/{i}"] = pd.DataFrame(model.run())
                release(model)
            except Exception as err:  # noqa: BLE001 - reported by the test
                worlds[f"{sample_seed}/{i}"] = f"{type(err).__name__}: {err}"
    return worlds


@pytest.mark.slow
def test_no_world_in_the_allowed_ranges_fails_or_gives_nan(allowed_worlds):
    failures = [f"point {k}: {v}" for k, v in allowed_worlds.items() if isinstance(v, str)]
    failures += [f"point {k}: {c} not finite" for k, v in allowed_worlds.items() if not isinstance(v, str)
                 for c in v.select_dtypes("number") if not np.isfinite(v[c]).all()]
    assert not failures, "\n".join(failures)


@pytest.mark.slow
def test_no_world_in_the_allowed_ranges_grows_without_bound(allowed_worlds):
    """While the regime stands; a run ends at its fall (what follows is outside the model)."""
    failures = [f"point {k}: {p}" for k, v in allowed_worlds.items() if not isinstance(v, str) for p in outside(v)]
    assert not failures, "\n".join(failures)
    ended = [v for v in allowed_worlds.values() if not isinstance(v, str) and v["regime_survives"].iloc[-1] == 0]
    assert all(v["regime_survives"].tolist() == [1] * (len(v) - 1) + [0] for v in ended)  # the fall is the last row


@pytest.mark.slow
@pytest.mark.xfail(strict=True, reason=(
    "finding (issue 33): since the values whose cited text gives only a direction are labelled assumptions, 309 "
    "parameters vary over their allowed ranges (163 before) and 2 of 480 sampled worlds stand 60 months (17 "
    "before): the growth check above sees few long worlds. Several relabelled parameters bring the regime down "
    "alone at an edge of their range (survival.*_weight, fighters.disloyalty_weight, fighters.exclusion_weight, "
    "recruitment.poverty_elasticity, resistance.recruit_rate...); their allowed ranges are for the lead to review"))
def test_enough_sampled_worlds_stand_long_enough_to_show_growth(allowed_worlds):
    long = [k for k, v in allowed_worlds.items() if not isinstance(v, str) and len(v) >= LONG]
    assert len(long) >= 3, f"only {len(long)} sampled world(s) stood {LONG} months: the test would show little"


def test_a_run_with_non_finite_output_is_recorded_as_failed_and_the_sweep_goes_on(monkeypatch):
    from sim.runs import sweep as sweeps
    from sim.runs.design import Design
    from sim.runs.seeds import replicate_seeds

    scenario = load("baseline").without_ensemble()
    params = scenario.parameters()
    d = Design("grid", ("policy.moderation",), ({"policy.moderation": 0.0},), 1, ("regime_survives", "gdp_index"))
    task = sweeps.RunTask(0, 0, 0, replicate_seeds(1, 1)[0], params, {"policy.moderation": 0.0}, 3, 0.01,
                          d.outcomes)
    original = RegimeModel.run

    last = []

    def poisoned(self):  # the last month run (the run's third, or the fall) goes wrong
        records = original(self)
        records[-1]["gdp_index"] = float("nan")
        last.append(records[-1]["month"])
        return records
    monkeypatch.setattr(RegimeModel, "run", poisoned)
    row, series = sweeps.simulate(task)
    assert row["status"] == "failed" and series is None
    assert row["error"].startswith(f"NonFiniteOutput: gdp_index is nan from month {last[0]}")


def test_sensitivity_goes_on_when_points_fail():
    from sim.analysis import sensitivity

    scenario = load("baseline").without_ensemble()
    plan = sensitivity.plan(scenario, scenario.parameters(), 1, "morris", 4, ["survived"], 2, region="pm50")
    plan = sensitivity.Plan(plan.method, dict(list(plan.ranges.items())[:3]), plan.samples, plan.replicates,
                            ("isk_fighters_final",), plan.sample_seed)
    X = plan.sample()
    rng = np.random.default_rng(0)
    values = rng.normal(size=(len(X), 2)) + X[:, :1]
    values[1] = np.nan  # every run of one point failed
    result = sensitivity.analyse(plan, X, {"isk_fighters_final": values})
    assert any("1 of" in w and "no successful run" in w for w in result.warnings)
    assert len(result.indices)
