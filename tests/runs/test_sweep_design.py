"""Sweep designs, shipped scenarios, plots, and one clear line for every kind of bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.interfaces.cli import main
from sim.runs.design import from_scenario
from sim.model.params import SPEC_BY_NAME
from sim.runs.scenario import load

ROOT = Path(__file__).resolve().parents[2]
BASELINE = ROOT / "scenarios" / "baseline.toml"
SHIPPED = sorted(p for p in (ROOT / "scenarios").glob("*.toml") if p.name != "targets.toml")  # targets are not a scenario


def scenario_file(folder: Path, body: str, name: str = "s") -> Path:
    path = folder / f"{name}.toml"
    # moderation held at a number: a one-at-a-time design varies a lever around one value
    path.write_text(f'extends = "{BASELINE}"\nmonths = 4\nscale = 0.005\n{body}\n[policy]\nmoderation = 0.0\n',
                    encoding="utf-8")
    return path


def design_of(path: Path):
    scenario = load(path)
    params = scenario.parameters()
    return from_scenario(scenario, params, None, scenario.setting("seed"))


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_shipped_scenarios_load_and_say_what_they_are(path):
    scenario = load(path)
    scenario.parameters()
    assert path.read_text(encoding="utf-8").startswith("#"), "each shipped scenario opens with a comment"
    if scenario.sweep:
        design = design_of(path)
        assert design.runs >= 10 and design.points
        assert all(SPEC_BY_NAME[n].label for n in design.parameters)


def test_the_five_sweeps_the_issue_asks_for_are_shipped():
    names = {p.stem for p in SHIPPED}
    assert {"moderation_dilemma", "counterterrorism_dilemma", "isk_card", "western_choices",
            "inclusive_government"} <= names


def test_design_sizes(tmp_path):
    grid = design_of(scenario_file(tmp_path, '[sweep]\n[sweep.vary]\npolicy.moderation = [0, 0.5, 1]\n'
                                             '"external.sanctions" = [1, 0]\n'))
    assert grid.kind == "grid" and len(grid.points) == 6
    latin = design_of(scenario_file(tmp_path, '[sweep]\ndesign = "latin"\nsamples = 12\n[sweep.vary]\n'
                                              '"policy.moderation" = {}\n"external.sanctions" = { low = 0.5 }\n'))
    assert len(latin.points) == 12 and all(0.5 <= p["external.sanctions"] <= 1 for p in latin.points)
    sobol = design_of(scenario_file(tmp_path, '[sweep]\ndesign = "sobol"\nsamples = 8\n[sweep.vary]\n'
                                              '"policy.moderation" = {}\n"policy.inclusion" = {}\n'))
    assert len(sobol.points) == 8 * (2 + 2)
    oat = design_of(scenario_file(tmp_path, '[sweep]\ndesign = "one_at_a_time"\nlevels = 3\n[sweep.vary]\n'
                                            '"policy.moderation" = {}\n"external.sanctions" = [0.0, 0.5]\n'))
    # the scenario's own point, moderation at 0.5 and 1 (0 is the centre), sanctions at 0 and 0.5
    assert len(oat.points) == 1 + 2 + 2 and oat.points[0] == {"policy.moderation": 0.0, "external.sanctions": 1.0}
    (tmp_path / "points.csv").write_text("policy.moderation,external.sanctions\n0.1,1\n0.9,0\n", encoding="utf-8")
    csv = design_of(scenario_file(tmp_path, '[sweep]\ndesign = "csv"\npoints = "points.csv"\n'))
    assert csv.points == ({"policy.moderation": 0.1, "external.sanctions": 1.0},
                          {"policy.moderation": 0.9, "external.sanctions": 0.0})


def test_sampled_designs_are_reproducible_from_the_seed(tmp_path):
    body = '[sweep]\ndesign = "latin"\nsamples = 5\n[sweep.vary]\n"policy.moderation" = {}\n'
    assert design_of(scenario_file(tmp_path, body)).points == design_of(scenario_file(tmp_path, body, "t")).points


BAD = {
    "no sweep section": ("", "sweep: the scenario has no [sweep] section"),
    "empty sweep": ("[sweep]\nreplicates = 2\n", "sweep.vary: the sweep varies nothing"),
    "empty vary": ("[sweep]\n[sweep.vary]\n", "sweep.vary: the sweep varies nothing"),
    "unknown sweep key": ("[sweep]\nreplicate = 3\n[sweep.vary]\n\"policy.moderation\" = [0]\n",
                          "sweep.replicate: unknown key (did you mean sweep.replicates?)"),
    "unknown design": ("[sweep]\ndesign = \"factorial\"\n[sweep.vary]\n\"policy.moderation\" = [0]\n",
                       "sweep.design: 'factorial' is not a design; use one of grid | latin"),
    "unknown parameter": ("[sweep]\n[sweep.vary]\n\"policy.moderaton\" = [0, 1]\n",
                          "sweep.vary.policy.moderaton: unknown parameter (did you mean policy.moderation?)"),
    "out of range": ("[sweep]\n[sweep.vary]\n\"policy.moderation\" = [0, 1.5]\n",
                     "sweep.vary.policy.moderation: point 1: 1.5 is out of range; allowed [0, 1]"),
    "wrong type": ("[sweep]\n[sweep.vary]\n\"policy.moderation\" = [\"high\"]\n",
                   "sweep.vary.policy.moderation: point 0: 'high' is not a number"),
    "not a list": ("[sweep]\n[sweep.vary]\n\"policy.moderation\" = 0.5\n",
                   "sweep.vary.policy.moderation: must be a non-empty list of values"),
    "bad range": ("[sweep]\ndesign = \"latin\"\n[sweep.vary]\n\"policy.moderation\" = { low = 0.8, high = 0.2 }\n",
                  "sweep.vary.policy.moderation: low (0.8) must be below high (0.2)"),
    "range outside allowed": ("[sweep]\ndesign = \"latin\"\n[sweep.vary]\n\"policy.moderation\" = { high = 2 }\n",
                              "sweep.vary.policy.moderation.high: 2 is not a number in [0, 1]"),
    "sobol samples": ("[sweep]\ndesign = \"sobol\"\nsamples = 100\n[sweep.vary]\n\"policy.moderation\" = {}\n",
                      "sweep.samples: 100 is not a power of two"),
    "bad replicates": ("[sweep]\nreplicates = 0\n[sweep.vary]\n\"policy.moderation\" = [0]\n",
                       "sweep.replicates: 0 is not a whole number in [1, 100000]"),
    "bad outcome": ("[sweep]\noutcomes = [\"isk_fighter\"]\n[sweep.vary]\n\"policy.moderation\" = [0]\n",
                    "sweep.outcomes: 'isk_fighter' is not an outcome (did you mean isk_fighters?)"),
    "missing csv": ("[sweep]\ndesign = \"csv\"\npoints = \"nowhere.csv\"\n", "sweep.points: file"),
    "malformed TOML": ("[sweep\n", "malformed TOML"),
    "sweep not a table": ("sweep = 3\n", "sweep: must be a table"),
}


@pytest.mark.parametrize("case", BAD, ids=list(BAD))
def test_bad_sweeps_get_one_line_and_exit_2(case, tmp_path, capsys):
    body, expected = BAD[case]
    path = scenario_file(tmp_path, body)
    assert main(["sweep", str(path), "--out", str(tmp_path / "out"), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith(f"regime-sim: error: {path}") or err.startswith("regime-sim: error: --"), err
    assert expected in err, err
    assert not (tmp_path / "out").exists(), "nothing is written for a bad scenario"


def test_bad_csv_of_points(tmp_path, capsys):
    (tmp_path / "p.csv").write_text("policy.moderaton\n0.5\n", encoding="utf-8")
    path = scenario_file(tmp_path, '[sweep]\ndesign = "csv"\npoints = "p.csv"\n')
    assert main(["sweep", str(path), "--quiet"]) == 2
    assert "p.csv: policy.moderaton: unknown parameter in the header (did you mean policy.moderation?)" in \
        capsys.readouterr().err


@pytest.mark.parametrize("extends, expected", [("missing.toml", "does not exist"), ("s.toml", "circular extends")])
def test_missing_or_circular_extends(tmp_path, capsys, extends, expected):
    path = tmp_path / "s.toml"
    path.write_text(f'extends = "{extends}"\n[sweep]\n[sweep.vary]\n"policy.moderation" = [0]\n', encoding="utf-8")
    assert main(["sweep", str(path), "--quiet"]) == 2
    assert expected in capsys.readouterr().err


@pytest.mark.parametrize("args, expected", [
    (["--shard", "3/2"], "--shard: 3/2: I must be between 1 and N"),
    (["--shard", "half"], "--shard: half: expected I/N"),
    (["--set", "policy.moderaton=1"], "did you mean policy.moderation?"),
])
def test_bad_sweep_options(tmp_path, capsys, args, expected):
    path = scenario_file(tmp_path, '[sweep]\n[sweep.vary]\n"policy.moderation" = [0]\n')
    assert main(["sweep", str(path), "--quiet", *args]) == 2
    assert expected in capsys.readouterr().err


def test_plot_and_merge_need_a_sweep_folder(tmp_path, capsys):
    assert main(["plot", str(tmp_path)]) == 2
    assert "not the output of a sweep or a run" in capsys.readouterr().err
    assert main(["merge", str(tmp_path), "--out", str(tmp_path / "m")]) == 2
    assert "holds no shard-I-of-N folders to merge" in capsys.readouterr().err


@pytest.mark.parametrize("body, files", [
    ('[sweep]\nreplicates = 2\n[sweep.vary]\n"policy.moderation" = [0, 1]\n"external.sanctions" = [1, 0]\n',
     ["survival_heatmap", "outcome_heatmaps", "fan_charts"]),
    ('[sweep]\nreplicates = 2\n[sweep.vary]\n"policy.inclusion" = [0.1, 0.5, 1]\n', ["curves", "fan_charts"]),
    ('[sweep]\ndesign = "one_at_a_time"\nlevels = 2\nreplicates = 2\n[sweep.vary]\n"policy.moderation" = {}\n'
     '"policy.inclusion" = {}\n', ["one_at_a_time", "fan_charts"]),
    ('[sweep]\ndesign = "sobol"\nsamples = 4\nreplicates = 1\noutcomes = ["isk_fighters"]\n[sweep.vary]\n'
     '"policy.moderation" = {}\n"external.sanctions" = {}\n', ["scatter", "sensitivity", "fan_charts"]),
], ids=["two levers", "one lever", "one at a time", "sobol"])
def test_plots_fit_the_design(tmp_path, capsys, body, files):
    path = scenario_file(tmp_path, body)
    assert main(["sweep", str(path), "--out", str(tmp_path / "out"), "--workers", "1", "--quiet"]) == 0
    for stem in files:
        assert (tmp_path / "out" / f"{stem}.png").stat().st_size > 10_000
    assert main(["plot", str(tmp_path / "out"), "--format", "svg"]) == 0
    assert all((tmp_path / "out" / f"{stem}.svg").is_file() for stem in files)
    if "sensitivity" in files:
        assert (tmp_path / "out" / "sensitivity.csv").read_text().startswith("outcome,parameter,S1")
