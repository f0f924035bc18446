"""The Python API (sim.load, Experiment, dashboard) and RegimeModel's Mesa conventions."""

import subprocess
import sys
import warnings

import pandas as pd
import pytest

import sim
from sim.model.outcomes import OUTCOMES
from sim.runs import outputs
from sim.interfaces.cli import main
from sim.runs.scenario import ScenarioError

SMALL = {"months": 12, "scale": 0.05}


@pytest.fixture(scope="module")
def small():
    return sim.load("baseline").set(**SMALL)


def test_api_reproduces_the_command_line_exactly(tmp_path, small):
    assert main(["run", "baseline", "--replicates", "2", "--months", "12", "--scale", "0.05", "--quiet",
                 "--out", str(tmp_path / "cli")]) == 0
    table = small.run(replicates=2)
    outputs.write_csv(tmp_path / "api.csv", table)
    assert (tmp_path / "api.csv").read_bytes() == (tmp_path / "cli" / "timeseries.csv").read_bytes()


def test_a_model_built_from_a_scenario_is_that_replicate_of_the_run(small):
    table = small.run(replicates=3)
    model = small.model(replicate=2)
    while model.running:
        model.step()
    collected = model.datacollector.get_model_vars_dataframe()
    expected = table[table["replicate"] == 2].drop(columns="replicate").reset_index(drop=True)
    pd.testing.assert_frame_equal(collected, expected[collected.columns], check_exact=True)
    assert set(collected.columns) == set(OUTCOMES) - {"replicate"}


def test_running_turns_false_at_the_end_and_stepping_past_it_is_refused(small):
    model = small.set(months=3).model()
    for _ in range(3):
        assert model.running
        model.step()
    assert not model.running
    with pytest.raises(RuntimeError, match="the run is over: it lasts 3 months"):
        model.step()


def test_running_turns_false_when_the_regime_falls(small):
    # a regime that must command 95% of the armed power falls at once
    model = small.set({"survival.command_share": 0.95}).model()
    while model.running:
        model.step()
    assert not model.regime_survives and model.fall_cause
    assert model.month < model.months - 1, "the run should stop at the fall, before its last month"


def test_no_deprecation_warnings_from_mesa(small):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model = small.set(months=2).model()
        model.step()
        model.step()
        collected = model.datacollector.get_model_vars_dataframe()
    deprecations = [w for w in caught
                    if issubclass(w.category, (DeprecationWarning, PendingDeprecationWarning, FutureWarning))]
    assert not deprecations, [f"{w.category.__name__}: {w.message}" for w in deprecations]
    assert len(collected) == 2


def test_set_checks_names_and_values(small):
    changed = small.set({"policy.moderation": 0.5}, replicates=3)
    assert changed.params["policy.moderation"] == 0.5 and changed.replicates == 3
    assert small.params["policy.moderation"] != 0.5, "set returns a copy"
    with pytest.raises(ValueError, match="did you mean policy.moderation"):
        small.set({"policy.moderaton": 0.5})
    with pytest.raises(ValueError, match=r"out of range; allowed \[0, 1\]"):
        small.set({"policy.moderation": 2})
    with pytest.raises(ValueError, match=r"months: 0 is out of range"):
        small.set(months=0)
    with pytest.raises(ValueError, match="not a run setting"):
        small.set(moderation=0.5)


def test_load_names_the_file_and_key_of_a_bad_scenario(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('extends = "baseline.toml"\n[policy]\nmoderaton = 0.5\n')
    bad.with_name("baseline.toml").write_text(sim.load().scenario.path.read_text())
    with pytest.raises(ScenarioError, match=r"bad.toml: policy.moderaton: unknown key \(did you mean"):
        sim.load(bad)
    with pytest.raises(ScenarioError, match="no such scenario"):
        sim.load("no_such_scenario")


def test_dashboard_and_panels_are_figures_that_notebooks_show(small):
    table = small.run(replicates=2)
    figure = sim.dashboard(table)
    assert len([ax for ax in figure.axes if ax.get_visible() and ax.get_title()]) == len(sim.PANELS)  # twin axes untitled
    one = sim.dashboard(table, panels=["Economy"])
    assert [ax.get_title() for ax in one.axes] == ["Economy"]
    assert one._repr_png_()[:4] == b"\x89PNG"
    with pytest.raises(ValueError, match="no panel named 'Economics'"):
        sim.dashboard(table, panels=["Economics"])


def test_endings_summary_provenance_and_claims(small):
    table = small.set({"survival.command_share": 0.95}).run(replicates=2)
    ends = sim.endings(table)
    assert list(ends["replicate"]) == [0, 1] and ends["fell"].all() and ends["fall_date"].notna().all()
    assert sim.summarise(table)["survival_probability"] == 0.0
    with pytest.raises(ValueError, match="use the table that Experiment.run"):
        sim.summarise(pd.DataFrame(table))  # a copy without attrs, as from a file
    table = sim.parameters()
    assert set(table["provenance"]) <= {"claim", "source", "calibrated", "assumption"}
    assert (table.loc[table["provenance"] == "claim", "claims"] != "").all()
    quotes = sim.claims("M1")
    assert len(quotes) and quotes["mechanisms"].str.contains("M1").all()


def test_the_command_line_does_not_import_the_api():
    code = "import sys, sim.interfaces.cli; sys.exit('sim.interfaces.api' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


def test_a_dashboard_names_a_modified_scenario_as_modified(small):
    assert small.modified() == {}  # run settings (months, scale) do not modify the scenario
    moved = small.set({"policy.moderation": 1.0})
    assert moved.modified() == {"policy.moderation": 1.0}
    table = moved.run(replicates=1)
    assert sim.dashboard(table, panels=["Economy"]).get_suptitle().startswith(
        "baseline, modified: policy.moderation=1.0 —")
    assert sim.dashboard(table, title="full moderation", panels=["Economy"]).get_suptitle().startswith(
        "full moderation —")
    table.attrs["modified"] = {}
    assert sim.dashboard(table, panels=["Economy"]).get_suptitle().startswith("baseline —")


def test_a_parameter_set_to_the_scenarios_own_value_is_not_drawn_from_the_ensemble(small):
    name = "survival.pay_weight"  # free in the baseline's calibration: each replicate draws it
    own = small.params[name]
    drawn = {small.model(r).p.survival.pay_weight for r in range(4)}
    assert len(drawn) > 1 and own not in drawn
    pinned = small.set({name: own})
    assert {pinned.model(r).p.survival.pay_weight for r in range(4)} == {own}
