"""Scores of the ensemble against the record: CRPS and interval coverage, by role, and --since."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

from sim.analysis import targets as calibration
from sim.interfaces.cli import main
from sim.model.calendar import month_index


def brute_crps(x, y):
    x = np.asarray(x, float)
    return np.abs(x - y).mean() - 0.5 * np.abs(x[:, None] - x[None, :]).mean()


def test_crps_of_an_ensemble_gives_the_known_answer():
    assert calibration.crps_ensemble(np.array([3.0]), 3.0) == 0.0
    assert calibration.crps_ensemble(np.array([0.0, 2.0]), 1.0) == pytest.approx(0.5)
    x = np.random.default_rng(1).normal(size=57)
    assert calibration.crps_ensemble(x, 0.3) == pytest.approx(brute_crps(x, 0.3))
    # a normal's closed form against a large ensemble of it
    assert calibration._crps_normal(0.0, 1.0, 0.0) == pytest.approx(2 / math.sqrt(2 * math.pi) - 1 / math.sqrt(math.pi))
    big = np.random.default_rng(2).normal(1.0, 2.0, size=4000)
    assert calibration._crps_normal(1.0, 2.0, 2.5) == pytest.approx(calibration.crps_ensemble(big, 2.5), rel=0.03)
    assert math.isnan(calibration.crps_ensemble(np.array([np.nan]), 1.0))


def test_scores_cover_and_penalise_as_they_should():
    target = next(t for t in calibration.load() if t.name == "isk_attacks_2022")  # 140-200 +/- 15
    near = target.scores(np.array([150.0, 170, 190, 160]))
    far = target.scores(np.array([400.0, 420, 410, 430]))
    assert near["covered"] and not far["covered"]
    assert near["crps"] < far["crps"] and far["crps_scaled"] == pytest.approx(far["crps"] / 30)


def test_validate_scores_by_role_and_since_scores_the_later_record_alone(tmp_path, capsys):
    out = tmp_path / "v"
    assert main(["validate", "baseline", "--replicates", "2", "--scale", "0.02", "--quiet", "--out", str(out),
                 "--since", "2024-01"]) == 0
    printed = capsys.readouterr().out
    report = pd.read_csv(out / "validation.csv")
    ends = {t.name: t.window[1] for t in calibration.load()}
    assert len(report) >= 3 and all(ends[n] >= month_index("2024-01") for n in report["target"])
    # selected by where the window ends: the checks of July 2025 run from 2021 and are scored
    assert {"survival_to_2025_07", "recognition_by_2025_07"} <= set(report["target"])
    assert "out of sample" in printed and "check targets:" in printed and "CRPS" in printed and "Brier" in printed
    outside = report["target"].str.startswith("outside_view")  # base rates of other regimes: nothing to score
    assert outside.any() and report.loc[outside, "brier"].isna().all() and report.loc[outside, "crps"].isna().all()
    report = report[~outside]
    shares = report[report["statistic"] == "share"]
    assert shares["brier"].notna().all() and shares["log_score"].notna().all() and (shares["event"] == 1).all()
    assert (shares["basis"].str.startswith("all replicates")).all()
    recognition = report.set_index("target").loc["recognition_by_2025_07"]
    assert recognition["replicates"] == recognition["replicates_total"]  # a fall is a state: none after it
    assert report["crps"].notna().all() and report["covered"].isin([True, False]).all()
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["since"] == "2024-01" and manifest["scores"]["check"]["evaluated"] == len(report)
    assert manifest["scores"]["check"]["shares"] == len(shares) and manifest["scores"]["check"]["mean_brier"] >= 0


def survival_target():
    return next(t for t in calibration.load() if t.name == "survival_to_2025_07")


@pytest.mark.parametrize("survived", [[1, 1, 0, 1, 0, 1, 1, 1, 0, 1], [1] * 10, [0] * 9 + [1], [0, 1]])
def test_share_targets_get_proper_scores_that_match_properscoring_and_scoringrules(survived):
    """Issue 30: a share's 'CRPS' was that of Normal(p, p(1-p)/n), about |p - y|; now the replicates'
    0/1 values are scored: Brier, log score and the CRPS of the Bernoulli ensemble, fair and not."""
    properscoring = pytest.importorskip("properscoring")
    scoringrules = pytest.importorskip("scoringrules")
    target = survival_target()
    assert target.event == 1.0  # the regime held through July 2025
    values = np.array(survived, dtype=float)
    scores = target.scores(values)
    p = values.mean()
    assert scores["brier"] == pytest.approx(float(properscoring.brier_score(1.0, p)), abs=1e-6)
    assert scores["crps"] == pytest.approx(float(properscoring.crps_ensemble(1.0, values)), abs=1e-6)
    assert scores["crps_fair"] == pytest.approx(float(scoringrules.crps_ensemble(1.0, values, estimator="fair")),
                                                abs=1e-6)
    assert scores["crps"] == pytest.approx(scores["brier"], abs=1e-12)  # for 0/1 members and outcome, CRPS = Brier
    clipped = min(max(p, 1 / 20 if len(values) == 10 else 1 / 4), 1 - 1 / (2 * len(values)))
    assert scores["log_score"] == pytest.approx(-math.log(clipped), abs=1e-9)
    assert scores["covered"] == (p > 0.1)  # one meaning: the event that happened has a model chance above 10%


def test_numeric_crps_matches_properscoring_and_the_fair_estimator_scoringrules():
    properscoring = pytest.importorskip("properscoring")
    scoringrules = pytest.importorskip("scoringrules")
    target = next(t for t in calibration.load() if t.name == "isk_attacks_2022")
    values = np.random.default_rng(3).normal(180, 40, 23)
    scores = target.scores(values)
    assert scores["crps"] == pytest.approx(float(properscoring.crps_ensemble(target.observed, values)), abs=1e-6)
    assert scores["crps_fair"] == pytest.approx(
        float(scoringrules.crps_ensemble(target.observed, values, estimator="fair")), abs=1e-6)


@pytest.mark.parametrize("since, message", [("2024-13", "--since: 2024-13"), ("2040-01", "no target")])
def test_a_bad_since_gets_one_line_and_exit_2(capsys, since, message):
    assert main(["validate", "baseline", "--replicates", "2", "--scale", "0.02", "--quiet", "--since", since]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err and "Traceback" not in err


def test_validate_runs_at_least_forty_replicates_unless_told(monkeypatch, tmp_path):
    """A verdict on medians needs more draws than a run: 40 by default, --replicates overrides it."""
    from sim.analysis import validate
    from sim.runs import runner

    seen = []

    def fake_run(params, months, seed, replicates, scale, **kw):
        seen.append(replicates)
        raise SystemExit(0)  # stop before running anything

    monkeypatch.setattr(runner, "run_replicates", fake_run)
    for extra, expected in (([], validate.VERDICT_REPLICATES), (["--replicates", "3"], 3)):
        with pytest.raises(SystemExit):
            main(["validate", "baseline", "--scale", "0.02", "--quiet", "--out", str(tmp_path / "v"), *extra])
        assert seen[-1] == expected
