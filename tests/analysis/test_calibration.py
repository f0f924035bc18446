"""Targets as data: the shipped file, the statistics on known tables, validate, and bad targets files."""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import simulate

from sim.analysis import targets as calibration
from sim.model.calendar import month_index
from sim.interfaces.cli import main

ROOT = Path(__file__).resolve().parents[2]
TARGETS = ROOT / "scenarios" / "targets.toml"
# the figures issue 10 asks for, by the name they have in the targets file
ISSUE_FIGURES = {"isk_fighters_oct_2021", "isk_fighters_jan_2022", "isk_attacks_aug_dec_2021", "isk_attacks_2022",
                 "pakistan_attacks_2021", "pakistan_attacks_2022", "gdp_growth_2021", "gdp_growth_2022",
                 "people_in_need_2021", "people_in_need_2022", "taliban_forces_2021", "taliban_army_aug_2022",
                 "isk_held_provinces_to_2022", "survival_3_years"}
TARGET = """[[target]]
name = "t"
description = "a target"
column = "isk_attacks"
statistic = "sum"
window = ["2022-01", "2022-12"]
observed = [140, 200]
tolerance = 15
role = "fit"
source = "a source, 2024"
"""


def test_the_shipped_targets_hold_the_issue_figures_with_sources():
    targets = {t.name: t for t in calibration.load(TARGETS)}
    assert ISSUE_FIGURES <= set(targets)
    assert all(t.source and t.role in ("fit", "check") for t in targets.values())
    assert {targets[n].role for n in ("taliban_forces_2021", "taliban_army_aug_2022")} == {"check"}
    # fit targets are figures of August 2021 to December 2023 (the later record judges the model, it is not fitted)
    assert all(t.last_month <= month_index("2023-12") for t in targets.values() if t.role == "fit")
    in_2023 = [t for t in targets.values() if t.role == "fit" and t.window[1] >= month_index("2023-01")]
    assert len(in_2023) >= 8
    assert targets["gdp_growth_2022"].statistic == "growth" and targets["gdp_growth_2022"].low == -0.062


def _table(columns: dict[str, list[list[float]]]) -> pd.DataFrame:
    """A stacked monthly table from {column: [replicate 0's months, replicate 1's months, ...]}."""
    rows = []
    first = next(iter(columns.values()))
    for r, months in enumerate(first):
        for m in range(len(months)):
            rows.append({"replicate": r, "month": m, **{c: v[r][m] for c, v in columns.items()}})
    return pd.DataFrame(rows)


def _target(tmp_path, **fields) -> calibration.Target:
    text = TARGET
    for key, value in fields.items():
        text = "\n".join(line for line in text.splitlines() if not line.startswith(f"{key} ="))
        text += f"\n{key} = {value}"
    path = tmp_path / "t.toml"
    path.write_text(text + "\n")
    return calibration.load(path)[0]


@pytest.mark.parametrize("statistic, window, extra, expected", [
    ("value", '"2021-09"', {}, [2.0, 20.0]),
    ("sum", '["2021-08", "2021-10"]', {}, [6.0, 60.0]),
    ("mean", '["2021-09", "2021-10"]', {}, [2.5, 25.0]),
    ("max", '["2021-08", "2021-10"]', {}, [3.0, 30.0]),
    ("min", '["2021-09", "2021-10"]', {}, [2.0, 20.0]),
    ("ratio", '"2021-10"', {"base_window": '"2021-08"'}, [3.0, 3.0]),
    # months before August 2021 at before_run = 1: (1 + 1 + 1 + 5) / 4 over 1, minus 1
    ("growth", '["2021-05", "2021-08"]', {"base_window": '["2021-01", "2021-04"]', "before_run": 1.0}, [0.0, 1.0]),
])
def test_statistics_give_the_known_answer_per_replicate(tmp_path, statistic, window, extra, expected):
    table = _table({"isk_attacks": [[1, 2, 3], [10, 20, 30]], "gdp_index": [[1, 1, 1], [5, 5, 5]]})
    column = '"gdp_index"' if statistic == "growth" else '"isk_attacks"'
    target = _target(tmp_path, statistic=f'"{statistic}"', window=window, column=column,
                     **{k: (v if isinstance(v, str) else repr(v)) for k, v in extra.items()})
    assert np.allclose(target.values(table), expected)


def test_share_met_and_implausibility_give_the_known_answer(tmp_path):
    table = _table({"regime_survives": [[1, 1, 1], [1, 1, 0], [1, 1, 1], [1, 1, 1]]})
    share = _target(tmp_path, column='"regime_survives"', statistic='"share"', window='["2021-08", "2021-10"]',
                    observed="[0.8, 1.0]", tolerance="0")
    s = share.summary(share.values(table))
    assert s["median"] == 0.75 and math.isclose(s["variance"], 0.75 * 0.25 / 4)
    assert not share.met(0.75) and share.met(0.8)
    assert math.isclose(share.implausibility(s["mean"], s["variance"]), 0.05 / math.sqrt(0.75 * 0.25 / 4))
    point = _target(tmp_path, observed="152", tolerance="30")
    assert math.isclose(point.implausibility(92, 900), 60 / math.sqrt(900 + 900))
    assert point.met(122) and not point.met(121.9)
    assert point.implausibility(152, 0) == 0.0


def test_a_run_reports_the_targets_it_can_compute(baseline):
    table = simulate(baseline, months=14, replicates=2, scale=0.05)
    rows = {r["target"]: r for r in calibration.evaluate(table, months=14)}
    assert set(rows) == {t.name for t in calibration.load(TARGETS)}
    assert rows["isk_fighters_oct_2021"]["value"] is not None and rows["isk_fighters_oct_2021"]["met"] in (True, False)
    assert rows["survival_3_years"]["value"] is None and "run ends" in rows["survival_3_years"]["not_evaluated"]


def test_a_window_a_fallen_replicate_did_not_reach_is_scored_on_those_that_did(tmp_path):
    # a run ends at the regime's fall: replicate 1 fell in month 1 (its last row), replicate 0 stood
    table = _table({"isk_attacks": [[1.0, 2.0, 3.0], [10.0, 20.0]], "regime_survives": [[1, 1, 1], [1, 0]]})
    late = _target(tmp_path, statistic='"value"', window='"2021-10"', observed="3", tolerance="0")
    assert np.isnan(late.values(table)).tolist() == [False, True]
    (row,) = calibration.evaluate(table, (late,), months=3)
    assert row["value"] == 3.0 and row["met"] and (row["replicates"], row["replicates_total"]) == (1, 2)
    standing = _target(tmp_path, column='"regime_survives"', statistic='"share"', window='["2021-08", "2021-10"]',
                       observed="1", tolerance="0")
    assert standing.values(table).tolist() == [1.0, 0.0]  # the fall counts
    (row,) = calibration.evaluate(table, (standing,), months=3)
    assert row["value"] == 0.5 and row["replicates"] == 2
    # every regime fell before the window ended: the window is not scored, the survival share is 0
    fallen = _table({"isk_attacks": [[1.0, 2.0], [10.0]], "regime_survives": [[1, 0], [0]]})
    late_row, standing_row = calibration.evaluate(fallen, (late, standing), months=3)
    assert late_row["value"] is None and "every regime fell before" in late_row["not_evaluated"]
    assert standing_row["value"] == 0.0 and standing.values(fallen).tolist() == [0.0, 0.0]


def test_validate_prints_writes_and_strict_exits_1_only_when_a_fit_target_is_missed(tmp_path, capsys):
    out = tmp_path / "v"
    args = ["validate", "baseline", "--replicates", "3", "--scale", "0.02", "--quiet", "--out", str(out)]
    assert main(args) == 0
    printed = capsys.readouterr().out
    report = pd.read_csv(out / "validation.csv")
    assert list(report["target"]) == [t.name for t in calibration.load(TARGETS)]
    assert report["model_median"].notna().all() and (report["model_p10"] <= report["model_p90"]).all()
    assert all(name in printed for name in report["target"]) and "fit targets met" in printed
    assert (out / "validation.png").read_bytes()[:4] == b"\x89PNG" and (out / "manifest.json").is_file()
    missed = bool((~report.loc[report["role"] == "fit", "met"].astype(bool)).any())
    assert main(args + ["--strict"]) == (1 if missed else 0)


def test_check_targets_past_the_end_of_a_short_run_are_listed_not_evaluated(tmp_path, capsys):
    out = tmp_path / "v"
    assert main(["validate", "baseline", "--replicates", "2", "--months", "36", "--scale", "0.02", "--quiet",
                 "--out", str(out)]) == 0
    printed = capsys.readouterr()
    assert "check target(s) reach past the run's 36 months" in printed.err
    # the checks are counted one way: the score line's count is the last line's, the rest said not scored
    scored = re.search(r"check targets: (\d+) of (\d+) met", printed.out).groups()
    assert re.search(rf"{scored[0]} of {scored[1]} checks met \(\d+ more not scored", printed.out)
    report = pd.read_csv(out / "validation.csv").set_index("target")
    assert report.loc["isk_fighters_max", "not_evaluated"].startswith("the run ends before")
    assert report.loc[report["role"] == "fit", "model_median"].notna().all()


def test_a_target_the_model_cannot_compute_yet_is_listed_not_evaluated(tmp_path, capsys):
    path = tmp_path / "t.toml"
    path.write_text(TARGET.replace('"isk_attacks"', '"attacks_in_balochistan"')
                    + 'pending = "the model has no provinces of Pakistan"\n' + TARGET.replace('"t"', '"u"'))
    code = main(["validate", "baseline", "--targets", str(path), "--replicates", "2", "--months", "20",
                 "--scale", "0.02", "--quiet", "--out", str(tmp_path / "v"), "--strict"])
    out = capsys.readouterr().out
    assert "not evaluated: the model does not output 'attacks_in_balochistan'" in out
    # a pending target is listed, not counted: --strict judges only the fit targets the model computes
    assert "1 target(s) pending" in out and "of 1 fit targets met" in out
    row = pd.read_csv(tmp_path / "v" / "validation.csv").set_index("target").loc["u"]
    ok = bool(row["met"]) and (pd.isna(row["in_range"]) or bool(row["in_range"]))  # --strict: within tolerance and in range
    assert code == (0 if ok else 1)


@pytest.mark.xfail(strict=False, reason="0.9.0 finding (issues 28 and 29, open): over validate's 40 replicates the "
                   "71-member ensemble misses 2 of 29 fit targets, both Pakistan's militant attacks (August-December "
                   "2021: 125 against 86 +/- 30; 2022: 338 against 262 +/- 60), though each member stays below an "
                   "implausibility of 1.8 on two sets of 20 fresh seeds: 'met' asks the pooled median to lie within "
                   "one tolerance, the members' cutoff allows nearly two, and the members lean high on both. The "
                   "army, 0.8.0's miss, is met (167,600 in 2023) with the enlistment rate over its whole range")
def test_baseline_meets_every_fit_target(baseline):
    """The baseline as shipped, judged as validate judges it: each replicate draws its calibrated values from
    the ensemble, at the scale the calibration ran (1) and over validate's 40 replicates (the median of 12
    draws at 0.25 meets or misses targets by chance; GDP growth 2023 at 0.054 is 0.003 inside its edge)."""
    from sim.analysis.validate import VERDICT_REPLICATES
    from sim.runs.runner import run_replicates

    table, _, _ = run_replicates(baseline.parameters(), 29, 20210815, VERDICT_REPLICATES, 1.0, progress=False,
                                 ensemble=baseline.ensemble)
    missed = [f"{r['target']}={r['value']}" for r in calibration.evaluate(table, months=29)
              if r["role"] == "fit" and not r["met"]]
    assert not missed, f"fit targets missed: {missed}"


BAD_TARGETS = {
    "unknown column": (TARGET.replace('"isk_attacks"', '"isk_atacks"'),
                       "t.column: 'isk_atacks' is not an outcome column of the model (did you mean isk_attacks?)"),
    "fit window outside the run": (TARGET.replace('"2022-12"]', '"2040-12"]'),
                               "t.window: 2022-01 to 2040-12 reaches month 233 (2040-12) but the run has 120 months"),
    "window before the run": (TARGET.replace('"2022-01"', '"2021-01"'), "t.window: starts before the run (2021-08)"),
    "malformed file": (TARGET.replace("tolerance = 15", "tolerance = "), "malformed TOML"),
    "unknown key": (TARGET + "weight = 2\n", "t.weight: unknown key"),
    "bad statistic": (TARGET.replace('"sum"', '"median"'), "t.statistic: 'median' is not a statistic"),
    "bad role": (TARGET.replace('"fit"', '"fitted"'), "t.role: 'fitted' is not a role"),
    "bad observed": (TARGET.replace("[140, 200]", "[200, 140]"), "t.observed: [200, 140] is not a number or a range"),
    "no source": (TARGET.replace('source = "a source, 2024"', ""), "t.source: missing"),
    "unknown claim": (TARGET + 'claims = ["ALI:9999"]\n', "t.claims: 'ALI:9999' is not in seeds/claims.toml"),
    "duplicate": (TARGET + TARGET, "t: two targets have this name"),
}


@pytest.mark.parametrize("case", BAD_TARGETS)
def test_bad_targets_files_get_one_line_and_exit_2(tmp_path, capsys, case):
    text, expected = BAD_TARGETS[case]
    path = tmp_path / "targets.toml"
    path.write_text(text)
    assert main(["validate", "baseline", "--targets", str(path), "--replicates", "2", "--scale", "0.02",
                 "--quiet", "--out", str(tmp_path / "v")]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and expected in err and str(path) in err, err
    assert not (tmp_path / "v" / "validation.csv").exists()


def test_a_missing_targets_file_gets_one_line(tmp_path, capsys):
    assert main(["validate", "baseline", "--targets", str(tmp_path / "nope.toml")]) == 2
    assert "nope.toml: no such targets file" in capsys.readouterr().err
