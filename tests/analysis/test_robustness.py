"""regime-sim claims: the registry, a planted parameter that flips a claim, the command on the model."""

from __future__ import annotations

from pathlib import Path

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from sim.analysis import claims as robustness
from sim.interfaces.cli import main
from sim.model.params import SPEC_BY_NAME
from sim.model.provenance import claims

ROOT = Path(__file__).resolve().parents[2]


def test_the_registry_holds_the_tested_claims_with_their_seed_passages():
    registry = robustness.registry()
    assert {c.mechanism for c in registry} >= {"M1", "M2", "M3", "M4", "M6", "M7", "M10", "M17"}
    assert len({c.id for c in registry}) == len(registry)
    for c in registry:
        assert c.cause in SPEC_BY_NAME and c.low != c.high and c.seeds
        assert all(s in claims() for s in c.seeds)


def planted_claim() -> robustness.DirectionalClaim:
    return robustness.DirectionalClaim("planted", "M0", "the cause raises the effect", "cause", 0.0, 1.0,
                                       "isk_fighters", "final", 12, "higher")


def planted_model(seed=1):
    """The effect rises with the cause when 'a' is below 0.5 and falls above it, plus seed noise."""
    rng = np.random.default_rng(seed)

    def evaluate(name, points, replicates, statistics):
        noise = rng.normal(0, 0.01, replicates)  # the same at every point: common random numbers
        values = np.array([[p["cause"] * (0.5 - p["a"]) + p["b"] + e for e in noise] for p in points])
        return {statistics[0]: values}
    return evaluate


def test_the_table_flags_the_parameter_that_flips_a_claim():
    region = {"a": (0.0, 1.0), "b": (0.0, 1.0), "c": (0.0, 1.0)}
    verdict = robustness.assess(planted_claim(), region, {"a": 0.2, "b": 0.5, "c": 0.5}, 64, 2, 3, planted_model())
    assert verdict.at_defaults  # a = 0.2 < 0.5
    assert 0.35 < verdict.share < 0.65
    assert [f["parameter"] for f in verdict.flipped_by] == ["a"]
    flip = verdict.flipped_by[0]
    assert flip["rho"] < -0.8 and flip["share_low_half"] > 0.9 and flip["share_high_half"] < 0.1
    low, high = verdict.interval()
    assert low < verdict.share < high
    row = verdict.row()
    assert row["flipped_by"].startswith("a (rho -") and row["holds_at_defaults"]
    # the claim holds in half the region: most of its variance is parametric and its sign changes across samples
    assert row["parameter_sets"] == 64 and row["members"] == 64 and row["seeds_per_member"] == 2
    assert row["parametric_share"] > 0.5 and row["sign_varies"]
    robust = robustness.assess(planted_claim(), {"b": (0, 1), "c": (0, 1)}, {"a": 0.2, "b": 0.5, "c": 0.5}, 32, 2, 3,
                               _always_up)
    assert robust.share == 1 and robust.flipped_by == []
    assert robust.effect.estimate == pytest.approx(1.0) and robust.grade == "supported"  # cause 0 -> 1
    assert [round(step.estimate, 6) for step in robust.steps] == [0.5, 0.5]  # low -> middle -> high
    assert verdict.grade in ("not supported", "partly supported")  # holds in half the region only
    assert verdict.effect.low < 0 < verdict.effect.high  # the planted effect 0.5 - a has median 0
    small = robustness.assess(planted_claim(), {"b": (0, 1)}, {"b": 0.5}, 32, 2, 3, _slightly_up)
    assert small.effect.low > 0 and small.grade == "consistent but negligible"
    stated = replace(planted_claim(), important=0.001)
    assert robustness.assess(stated, {"b": (0, 1)}, {"b": 0.5}, 32, 2, 3, _slightly_up).grade == "supported"


def _slightly_up(name, points, replicates, statistics):
    """The effect is a hundredth of the cause, the outcome spreads over the whole unit interval."""
    return {statistics[0]: np.array([[0.01 * p["cause"] + p["b"]] * replicates for p in points])}


def _always_up(name, points, replicates, statistics):
    return {statistics[0]: np.array([[p["cause"] + p["b"]] * replicates for p in points])}


def test_the_command_tests_a_claim_on_the_model(tmp_path, capsys):
    assert main(["claims", "--only", "M7", "--samples", "4", "--replicates", "1", "--scale", "0.01",
                 "--workers", "1", "--quiet", "--out", str(tmp_path)]) == 0
    captured = capsys.readouterr()
    out = captured.out
    assert "M7" in out and "Sanctions raise poverty" in out
    table = pd.read_csv(tmp_path / "claims.csv")
    assert list(table["id"]) == ["M7"] and table["samples"].iloc[0] == 4
    assert 0 <= table["share_holds"].iloc[0] <= 1
    row = table.iloc[0]
    assert row["effect_ci_low"] <= row["effect_size"] <= row["effect_ci_high"] and row["verdict"]
    assert row["outcome_spread"] > 0 and "0->0.5" in row["steps"]
    assert (tmp_path / "claims.md").read_text().startswith("| claim |")
    assert (tmp_path / "claims.json").is_file() and (tmp_path / "M7" / "manifest.json").is_file()
    # how many parameter sets each verdict maps, said in the record, the table and on the terminal (issue 29)
    record = __import__("json").loads((tmp_path / "claims.json").read_text())
    assert record["parameter_sets"].startswith("4 Latin-hypercube samples") and "fewer than 20" in record[
        "parameter_sets"]
    assert table["parameter_sets"].iloc[0] == 4 and "4 samples (parameter sets" in (tmp_path / "claims.md").read_text()
    assert "parameter sets: 4 Latin-hypercube samples" in captured.err


def test_bad_claims_input_is_one_line_and_exit_2(tmp_path, capsys):
    assert main(["claims", "--only", "M77", "--out", str(tmp_path)]) == 2
    assert "--only: M77: is not a claim" in capsys.readouterr().err
    bad = tmp_path / "bad.toml"
    text = (ROOT / "seeds" / "directional_claims.toml").read_text().replace('"policy.moderation"',
                                                                             '"policy.moderaton"', 1)
    bad.write_text(text)
    assert main(["claims", "--registry", str(bad), "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "claim M1.cause: 'policy.moderaton' is not a parameter" in err
