"""regime-sim experiments: verdicts computed from the results, and every experiment at the smoke size."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.analysis import experiments
from sim.interfaces.cli import main
from sim.analysis.experiments import Effect


def effect(direction="higher"):
    return Effect("the lever raises the outcome", "a", "y", direction, "a test")


POINTS = [{"a": a, "b": b} for a in (0.0, 1.0) for b in (0.0, 0.5, 1.0, 1.5)]


@pytest.mark.parametrize("slopes, grade", [
    ((1, 1, 1, 1), "supported"),
    ((1, 1, -1, 1), "partly supported"),
    ((-1, -1, -1, 1), "not supported"),
    ((0, 0, 0, 0), "no effect in these runs"),
])
def test_each_claim_is_graded_from_the_paired_differences(slopes, grade):
    """y = slope(b) * a + seed noise shared by both settings of a (common random numbers)."""
    noise = np.array([0.3, -0.2, 0.1])
    slope = dict(zip((0.0, 0.5, 1.0, 1.5), slopes))
    values = np.array([[slope[p["b"]] * p["a"] + e for e in noise] for p in POINTS])
    found = experiments.measure(effect(), POINTS, values)
    assert found["grade"] == grade and found["combinations"] == 4
    assert found["share"] == pytest.approx(sum(s > 0 for s in slopes) / 4)
    flipped = experiments.measure(effect("lower"), POINTS, values)
    assert flipped["share"] == pytest.approx(sum(s < 0 for s in slopes) / 4)
    size = found["size"]
    assert size.estimate == pytest.approx(np.median(slopes)) and size.low <= size.estimate <= size.high


def test_effects_are_measured_across_the_range_and_must_be_large_enough_to_matter():
    """Three values of the lever: the steps are reported; a consistent effect far smaller than the
    outcome's spread (here, set by the other lever) is negligible unless a threshold says otherwise."""
    points = [{"a": a, "b": b} for a in (0.0, 0.5, 1.0) for b in range(6)]
    values = np.array([[0.01 * p["a"] + 10 * p["b"] + e for e in (0.0, 0.001)] for p in points])
    found = experiments.measure(effect(), points, values)
    assert found["levels"] == [0.0, 0.5, 1.0] and len(found["steps"]) == 2
    assert found["size"].estimate == pytest.approx(0.01) and found["size"].relative < 0.01
    assert found["grade"] == "consistent but negligible"
    stated = Effect("the lever raises the outcome", "a", "y", "higher", "a test", important=0.005)
    assert experiments.measure(stated, points, values)["grade"] == "supported"


def test_placeholders_take_the_runs_statistics():
    runs = pd.DataFrame({"isk_fighters_final": [1.0, 2.0, 3.0, 4.0, 5.0]})
    assert experiments.fill("survived and isk_fighters_final <= {isk_fighters_final:median}", runs) == \
        "survived and isk_fighters_final <= 3"
    assert experiments.fill("x >= {isk_fighters_final:p75}", runs) == "x >= 4"


def test_there_is_one_script_per_argument_and_they_declare_what_exists():
    from sim.analysis import claims as robustness
    from sim.model.params import SPEC_BY_NAME, Parameters
    from sim.runs.run_stats import split

    scripts = experiments.scripts()
    assert len(scripts) == 6
    ids = {c.id for c in robustness.registry()}
    for path in scripts:
        argument = experiments.load_argument(path)
        assert argument.name == path.stem and argument.effects and set(argument.claims) <= ids
        assert all(n in SPEC_BY_NAME for n in argument.levers)
        for e in argument.effects:
            assert e.lever in argument.levers
            split(e.outcome)
        for size in experiments.SIZES.values():  # every grid point is a valid set of parameters
            for point in experiments.grid(argument, size.levels):
                Parameters().replace(point)


@pytest.mark.slow
def test_all_experiments_run_at_the_smoke_size_and_write_verdicts(tmp_path, capsys):
    results = tmp_path / "results"
    assert main(["experiments", "--smoke", "--results", str(results), "--work", str(tmp_path / "work"),
                 "--quiet"]) == 0
    verdicts = sorted(results.glob("arg*.md"))
    assert len(verdicts) == 6
    for path in verdicts:
        text = path.read_text()
        for section in ("## What the documents claim", "## Where", "## Verdict", "## Figures"):
            assert section in text, (path.name, section)
        assert re.search(r"\*\*(" + "|".join(experiments.effects.GRADES) + r")\*\*", text)
        for link in re.findall(r"!\[[^]]*\]\(([^)]+)\)", text):
            assert (results / link).is_file(), link
    findings = (results / "findings.md").read_text()
    assert findings.count("\n## ") == 6


def test_an_unknown_experiment_is_one_line_and_exit_2(tmp_path, capsys):
    assert main(["experiments", "--only", "arg9_nothing", "--results", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "--only: arg9_nothing: is not an experiment" in err


@pytest.mark.parametrize("where", ["a_file", "a_file/below"])
def test_an_unwritable_results_folder_is_one_line_and_exit_2_before_any_run(tmp_path, capsys, where):
    (tmp_path / "a_file").write_text("not a folder")
    assert main(["experiments", "--smoke", "--only", "arg4_isk_card", "--results", str(tmp_path / where),
                 "--work", str(tmp_path / "work"), "--quiet"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "--results" in err and where in err and "Traceback" not in err
    assert not (tmp_path / "work").exists() or not any((tmp_path / "work").iterdir())  # nothing was run


def test_experiments_write_under_results_not_over_the_shipped_verdicts():
    from sim.interfaces.cli import build_parser

    args = build_parser().parse_args(["experiments"])
    assert args.results == Path("results") / "experiments"
    assert Path("experiments") not in args.work.parents and args.work != args.results  # the data apart from the verdicts


def test_with_members_the_effect_is_clustered_by_member_and_its_variance_split():
    """Two seeds of each of six members at every point: the members' own effects differ (parametric
    variance) and the seeds add chance; the interval resamples members."""
    rng = np.random.default_rng(2)
    members = [0, 1, 2, 3, 4, 5] * 2
    member_slope = dict(enumerate(rng.normal(1.0, 0.8, 6)))
    points = [{"a": a, "b": b} for a in (0.0, 1.0) for b in (0.0, 1.0, 2.0)]
    noise = rng.normal(0, 0.3, (len(points), 12))
    values = np.array([[member_slope[m] * p["a"] + p["b"] for m in members] for p in points]) + noise
    found = experiments.measure(effect(), points, values, members=members)
    variance = found["variance"]
    assert variance.members == 6 and variance.seeds == 2 and variance.parametric > variance.chance > 0
    assert found["size"].units == 6  # the bootstrap's units are the members
    assert "members" in experiments._variance(variance)
    plain = experiments.measure(effect(), points, values)
    assert plain["variance"].members == 0 and plain["size"].units == 3


def test_the_full_size_runs_twenty_members_and_every_verdict_says_how_many(tmp_path):
    full = experiments.SIZES["full"]
    assert full.members >= experiments.MEMBERS and full.replicates >= 2 * full.members  # chance separable
    for size in experiments.SIZES.values():
        assert size.replicates % size.members == 0, size.name  # every member with as many seeds
    results = tmp_path / "results"
    assert main(["experiments", "--smoke", "--only", "arg4_isk_card", "--results", str(results), "--work",
                 str(tmp_path / "work"), "--quiet"]) == 0
    text = (results / "arg4_isk_card.md").read_text()
    assert "**Parameter sets: 2** behind every effect" in text and "fewer than 20" in text
    assert "2 distinct members of the calibrated ensemble" in text
    manifest = __import__("json").loads((results / "manifest-smoke.json").read_text())
    assert manifest["members"] == 2 and "2 distinct calibrated-ensemble member(s)" in manifest["parameter_sets"]
    runs = pd.read_parquet(tmp_path / "work" / "arg4_isk_card" / "sweep" / "runs")
    assert runs["ensemble_member"].nunique() == 2
