"""experiments/which_horn.py: the survival difference between the courses on a member x seed design."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from conftest import load_experiment


@pytest.fixture(scope="module")
def which_horn():
    return load_experiment("which_horn")


def test_the_difference_splits_into_parametric_and_chance_variance(which_horn):
    rng = np.random.default_rng(5)
    points, seeds = 40, 8
    # planted: moderating is safer at half the points (+0.6) and worse at the other half (-0.6), seed noise on top
    advantage = np.where(np.arange(points) % 2 == 0, 0.6, -0.6)
    hard = (rng.uniform(size=(points, seeds)) < 0.3).astype(float)
    moderating = (rng.uniform(size=(points, seeds)) < 0.3 + np.clip(advantage, -0.3, 0.6)[:, None]).astype(float)
    found = which_horn.difference(hard, moderating, seed=1)
    diffs = moderating - hard
    assert found["estimate"] == pytest.approx(diffs.mean())
    assert found["ci_low"] <= found["estimate"] <= found["ci_high"]
    assert found["points"] == points and found["seeds_per_point"] == seeds and found["members"] == points
    # the chance part is the pooled within-point variance; the parametric part dominates and the sign varies
    assert found["chance_var"] == pytest.approx(np.mean(diffs.var(axis=1, ddof=1)))
    # true point means +0.6 and -0.3: between-point variance 0.2025; chance (0.09 + 0.21 + 0.21) / 2 = 0.255
    assert found["parametric_var"] == pytest.approx(0.2025, abs=0.07)
    assert found["chance_var"] == pytest.approx(0.255, abs=0.06) and found["sign_varies"] is True
    # pure chance: the same survival at every point; no parametric part to speak of, no sign change
    same = (rng.uniform(size=(points, seeds)) < 0.5).astype(float)
    other = (rng.uniform(size=(points, seeds)) < 0.5).astype(float)
    noise = which_horn.difference(same, other, seed=1)
    assert noise["parametric_share"] < 0.2 and noise["sign_varies"] is False
    # clustered by point: the interval is wider than one that took every seed as independent
    naive = 1.96 * diffs.std(ddof=1) / np.sqrt(diffs.size)
    assert found["ci_high"] - found["ci_low"] > 2 * naive


def test_the_script_writes_its_tables_with_the_decomposition(which_horn, tmp_path, capsys):
    out = tmp_path / "wh"
    assert which_horn.main(["--points", "4", "--replicates", "2", "--months", "3", "--scale", "0.01",
                            "--workers", "1", "--out", str(out)]) == 0
    points = pd.read_csv(out / "points.csv")
    assert list(points.columns[-3:]) == ["survival_hard_line", "survival_moderating", "moderating_minus_hard_line"]
    assert len(points) == 4
    summary = json.loads((out / "which_horn.json").read_text())
    found = summary["survival_difference"]
    assert found["points"] == 4 and found["seeds_per_point"] == 2
    assert found["estimate"] == pytest.approx(points["moderating_minus_hard_line"].mean())
    for key in ("parametric_var", "chance_var", "ci_low", "ci_high", "sign_varies", "in_words"):
        assert key in found
    assert summary["parameter_sets"]["points"] == 4 and 1 <= summary["parameter_sets"]["ensemble_members"] <= 2
    assert "survival_difference" in capsys.readouterr().out
