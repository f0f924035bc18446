"""regime-sim compare: two scenarios on common random numbers, paired differences with intervals."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.analysis import compare
from sim.interfaces.cli import main

ROOT = Path(__file__).resolve().parents[2]


def test_a_scenario_against_itself_differs_by_nothing_and_a_planted_change_is_found(tmp_path, capsys):
    moderate = tmp_path / "moderate.toml"
    moderate.write_text(f'extends = "{ROOT / "scenarios" / "baseline.toml"}"\nname = "moderate"\n\n'
                        "[isk]\noutside_funding = 1.5\n")
    out = tmp_path / "cmp"
    assert main(["compare", "baseline", str(moderate), "--outcome", "survived", "isk_fighters",
                 "defections_taliban_to_isk", "--replicates", "6", "--months", "24", "--scale", "0.05",
                 "--quiet", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "moderate - baseline" in printed
    table = pd.read_csv(out / "compare.csv").set_index("outcome")
    paired = pd.read_csv(out / "paired.csv")
    assert len(paired) == 6 and (out / "compare.png").is_file()
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["kind"] == "compare" and manifest["a"]["git"]["commit"]
    assert manifest["b_parameters_changed_from_a"] == {"isk.outside_funding": 1.5}
    # several times the outside money IS-K receives: a positive effect whose interval excludes zero
    for outcome in ("isk_fighters",):
        row = table.loc[outcome]
        assert 0 < row["ci_low"] <= row["effect"] <= row["ci_high"], outcome
        assert row["b_higher_in"] >= 0.8 and row["relative"] > 0.2  # replicates draw from the ensemble
    diff = paired["isk_fighters [moderate - baseline]"]
    assert np.allclose(diff, paired["isk_fighters [moderate]"] - paired["isk_fighters [baseline]"])

    same = tmp_path / "same"
    assert main(["compare", "baseline", "baseline", "--outcome", "isk_fighters", "--replicates", "3",
                 "--months", "12", "--scale", "0.02", "--quiet", "--out", str(same)]) == 0
    row = pd.read_csv(same / "compare.csv").iloc[0]  # the same seeds: every paired difference is zero
    assert row["effect"] == row["ci_low"] == row["ci_high"] == 0


def test_per_replicate_statistics_follow_the_outcome_names():
    table = pd.DataFrame({"replicate": [0, 0, 1, 1], "month": [0, 1, 0, 1], "isk_fighters": [1.0, 3.0, 2.0, 6.0],
                          "isk_attacks": [2.0, 4.0, 1.0, 1.0]})
    endings = [{"replicate": 0, "fell": False, "fall_month": None}, {"replicate": 1, "fell": True, "fall_month": 1}]
    runs = compare.per_replicate(table, endings, ["survived", "isk_fighters", "isk_attacks", "isk_fighters_max"])
    assert runs["survived"].tolist() == [1.0, 0.0]
    assert runs["isk_fighters"].tolist() == [3.0, 6.0]  # a stock: its final value
    assert runs["isk_attacks"].tolist() == [3.0, 1.0]  # a flow: its monthly mean
    assert runs["isk_fighters_max"].tolist() == [3.0, 6.0]


@pytest.mark.parametrize("argv, message", [
    (["compare", "baseline", "nowhere"], "nowhere: no such scenario file"),
    (["compare", "baseline", "baseline", "--outcome", "isk_fightrs"], "--outcome: isk_fightrs: is not an outcome"),
])
def test_bad_compare_input_is_one_line_and_exit_2(argv, message, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and message in err


def test_outcomes_are_paired_only_where_both_runs_lasted_the_same_months_and_survival_over_all():
    def side(months_run, falls, isk):
        table = pd.DataFrame([{"replicate": r, "month": m, "isk_fighters": isk[r] * (m + 1)}
                              for r, n in enumerate(months_run) for m in range(n)])
        endings = [{"replicate": r, "fell": f is not None, "fall_month": f} for r, f in enumerate(falls)]
        return compare.per_replicate(table, endings, ["survived", "isk_fighters"])

    a = side([12, 12, 12, 12], [None, None, None, None], [100.0, 100.0, 100.0, 100.0])
    b = side([12, 3, 12, 12], [None, 2, None, None], [110.0, 110.0, 120.0, 130.0])  # replicate 1 fell early
    assert b.loc[1, "isk_fighters"] == 330.0  # its final value is the value at the fall
    table = compare.compare(a, b).set_index("outcome")
    assert table.loc["survived", "replicates"] == 4 and table.loc["survived", "effect"] == pytest.approx(-0.25)
    row = table.loc["isk_fighters"]
    assert row["replicates"] == 3 and row["effect"] == pytest.approx(240.0)  # median of 120, 240, 360
    assert row["a_mean"] == pytest.approx(1200.0) and row["b_mean"] == pytest.approx(1440.0)
    assert "3 of 4 pairs" in "\n".join(compare.lines(table.reset_index(), "a", "b"))
