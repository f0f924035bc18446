"""Scenario files and --set: valid input loads; bad input is one clear line, exit code 2."""

import pytest

from sim.interfaces.cli import main
from sim.model.params import Parameters, ParameterError, Schedule
from sim.runs.scenario import ScenarioError, load, parse_set


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_baseline_loads_with_documented_path(baseline):
    params = baseline.parameters()
    moderation = params.lever_path("policy.moderation", 48)
    assert moderation[0] == 0.1 and moderation[16] == 0.05 and moderation[40] == 0.0  # hardens Dec 2022, Dec 2024
    assert isinstance(params["policy.crackdown_isk"], Schedule)
    path = params.lever_path("policy.crackdown_isk", 24)
    assert path[0] == 0.5 and path[5] == 0.7 and path[17] == 0.8  # intensifies in January 2022 and 2023
    aid = params.lever_path("external.humanitarian_aid", 48)
    assert aid[0] > aid[17] > aid[41]  # funding received fell in 2023 and collapsed in 2025


def test_extends_overrides_and_inherits(tmp_path, baseline):
    child = write(tmp_path, "child.toml", f'extends = "{baseline.path.resolve()}"\n[policy]\nmoderation = 0.5\n')
    scenario = load(child)
    params = scenario.parameters()
    assert params["policy.moderation"] == 0.5
    assert isinstance(params["policy.crackdown_isk"], Schedule)
    assert scenario.setting("months") == 120


@pytest.mark.parametrize("text, fragment", [
    ("[policy]\nmoderaton = 0.5\n", "policy.moderaton: unknown key (did you mean policy.moderation?)"),
    ("[policy]\nmoderation = 1.5\n", "policy.moderation: 1.5 is out of range; allowed [0, 1]"),
    ("[policy]\nmoderation = \"high\"\n", "policy.moderation: 'high' is not a number"),
    ("[policy\nmoderation = 1\n", "malformed TOML"),
    ("months = 0\n", "months: 0 is out of range"),
    ("[policy]\nmode = \"clever\"\n", "policy.mode: 'clever' is not allowed; use one of fixed | adaptive"),
    ("[policy]\ncrackdown_isk = { \"2022-13\" = 0.5 }\n", "schedule key"),
    ("extends = \"missing.toml\"\n", "extends: file"),
    ("[factions.kabul]\nshare = 0.5\n", "must add up to 1"),
])
def test_bad_scenarios_name_file_and_key(tmp_path, text, fragment):
    path = write(tmp_path, "bad.toml", text)
    with pytest.raises(ScenarioError) as err:
        load(path)
    assert fragment in str(err.value)
    assert str(path) in str(err.value)


def test_circular_extends(tmp_path):
    write(tmp_path, "a.toml", 'extends = "b.toml"\n')
    write(tmp_path, "b.toml", 'extends = "a.toml"\n')
    with pytest.raises(ScenarioError, match="circular extends"):
        load(tmp_path / "a.toml")


def test_set_values_are_toml():
    values = parse_set(["policy.moderation=0.4", 'policy.crackdown_isk={ "2022-01" = 0.9 }', "policy.mode=adaptive"])
    params = Parameters().replace(values)
    assert params["policy.moderation"] == 0.4 and params["policy.mode"] == "adaptive"
    assert params.lever_path("policy.crackdown_isk", 8)[-1] == 0.9


def test_parameter_errors_say_what_is_allowed():
    with pytest.raises(ParameterError, match=r"allowed \[0, 3\]"):
        Parameters().replace({"external.humanitarian_aid": 4})


@pytest.mark.parametrize("argv, fragment", [
    (["run", "no-such-scenario"], "no such scenario file"),
    (["run", "baseline", "--set", "policy.moderaton=1"], "did you mean policy.moderation?"),
    (["run", "baseline", "--set", "policy.moderation=2"], "out of range"),
    (["params", "nonsense.key"], "unknown parameter"),
])
def test_cli_bad_input_is_one_line_and_exit_2(capsys, tmp_path, argv, fragment):
    code = main(argv + (["--out", str(tmp_path / "o")] if argv[0] == "run" else []))
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert fragment in err and len(err.splitlines()) == 1 and "Traceback" not in err
    assert not (tmp_path / "o").exists()


def test_scale_range_is_the_scenario_setting_range(capsys):
    from sim.runs.scenario import RUN_SETTINGS

    _, low, high = RUN_SETTINGS["scale"]
    with pytest.raises(SystemExit) as exit:
        main(["run", "baseline", "--scale", str(high * 2)])
    assert exit.value.code == 2
    assert f"allowed [{low:g}, {high:g}]" in capsys.readouterr().err


def test_a_shipped_scenario_in_a_folder_loads_by_name_from_anywhere(tmp_path, monkeypatch):
    """``sim.load("stress/civil_war")`` and ``regime-sim run stress/civil_war`` find the shipped file from any
    working directory; an unknown name is still one clear error."""
    monkeypatch.chdir(tmp_path)
    assert load("stress/civil_war").name == "civil_war"
    with pytest.raises(ScenarioError, match="no such scenario file"):
        load("stress/no_such_stress")
