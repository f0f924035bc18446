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
    starts = {t.name: t.window[0] for t in calibration.load()}
    assert len(report) >= 3 and all(starts[n] >= month_index("2024-01") for n in report["target"])
    assert "out of sample" in printed and "check targets:" in printed and "CRPS" in printed
    assert report["crps"].notna().all() and report["covered"].isin([True, False]).all()
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["since"] == "2024-01" and manifest["scores"]["check"]["evaluated"] == len(report)


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
