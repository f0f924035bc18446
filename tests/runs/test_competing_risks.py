"""Cause-specific survival: the Aalen-Johansen cumulative incidence of each fall cause (issue 30)."""

import numpy as np
import pytest

from sim.model.mechanisms.survival import CAUSES
from sim.runs.competing_risks import cumulative_incidence
from sim.runs.outputs import survival_curve


def test_a_hand_computed_case():
    # five runs over five months: civil war in month 1; a split and a civil war in month 3; two stand
    falls, causes = [1, 3, 3, None, None], ["civil war", "regime split", "civil war", None, None]
    curves = cumulative_incidence(falls, causes, 5)
    war, split = curves["causes"]["civil war"], curves["causes"]["regime split"]
    # month 1: 1 of 5 at risk falls (S before = 1): 0.2; month 3: S before = 0.8, 1 of 4 each: +0.2
    assert war["incidence"] == pytest.approx([0, 0.2, 0.2, 0.4, 0.4])
    assert split["incidence"] == pytest.approx([0, 0, 0, 0.2, 0.2])
    assert curves["causes"]["fiscal collapse"]["incidence"] == [0] * 5
    # with no censoring the variance is binomial: 0.2 x 0.8 / 5 at month 1, on the log(-log) scale
    from scipy.stats import norm
    se = np.sqrt(0.2 * 0.8 / 5) / (0.2 * abs(np.log(0.2)))
    z = norm.ppf(0.975)
    assert war["low"][1] == pytest.approx(np.exp(-np.exp(np.log(-np.log(0.2)) + z * se)), abs=1e-6)
    assert war["high"][1] == pytest.approx(np.exp(-np.exp(np.log(-np.log(0.2)) - z * se)), abs=1e-6)
    # month 3 for civil war: Collett's three sums by hand
    first = 1 / (5 * 4) * (0.4 - 0.2) ** 2  # month 1's Greenwood term against F(3) - F(1)
    second = 1 * 1 * 4 / 5 ** 3 + 0.8 ** 2 * 1 * 3 / 4 ** 3
    third = 1 * 1 / 5 ** 2 * (0.4 - 0.2)  # month 3's term has F(3) - F(3) = 0
    se = np.sqrt(first + second - 2 * third) / (0.4 * abs(np.log(0.4)))
    assert war["low"][3] == pytest.approx(np.exp(-np.exp(np.log(-np.log(0.4)) + z * se)), abs=1e-6)


def test_the_incidences_and_the_share_standing_add_up_to_one():
    rng = np.random.default_rng(3)
    n, months = 60, 40
    falls = [int(m) if m < months else None for m in rng.integers(0, 70, n)]
    causes = [CAUSES[i] if f is not None else None for f, i in zip(falls, rng.integers(0, len(CAUSES), n))]
    curves = cumulative_incidence(falls, causes, months)
    standing = survival_curve(falls, months)["standing"]
    total = np.sum([c["incidence"] for c in curves["causes"].values()], axis=0) + standing
    assert total == pytest.approx(np.ones(months), abs=1e-5)
    for curve in curves["causes"].values():
        assert all(lo <= f <= hi for lo, f, hi in zip(curve["low"], curve["incidence"], curve["high"]))
        assert np.all(np.diff(curve["incidence"]) >= 0)


def test_bad_input_is_one_clear_error():
    with pytest.raises(ValueError, match="not a fall cause"):
        cumulative_incidence([2], ["coup"], 5)
    with pytest.raises(ValueError, match="outside the horizon"):
        cumulative_incidence([7], ["civil war"], 5)
    with pytest.raises(ValueError, match="causes"):
        cumulative_incidence([1, None], ["civil war"], 5)


def test_it_agrees_with_lifelines_aalen_johansen():
    lifelines = pytest.importorskip("lifelines")
    # falls in distinct months (lifelines jitters tied falls of different causes), none in month 0
    # (lifelines sets the first row's incidence to 0), runs censored early and at the horizon
    rng = np.random.default_rng(11)
    months, n = 60, 40
    fall = rng.permutation(np.arange(1, months))[:28]
    causes = [CAUSES[i] for i in rng.integers(0, 3, len(fall))]
    censored = [int(c) for c in rng.integers(5, months, 6)] + [months - 1] * (n - len(fall) - 6)
    falls = [int(f) for f in fall] + [None] * (n - len(fall))
    all_causes = causes + [None] * (n - len(fall))
    ours = cumulative_incidence(falls, all_causes, months, censored=[None] * len(fall) + censored)
    durations = np.array([*fall, *censored], dtype=float)
    for k, cause in enumerate(CAUSES[:3], start=1):
        events = np.array([CAUSES.index(c) + 1 for c in causes] + [0] * (n - len(fall)))
        fitter = lifelines.AalenJohansenFitter(alpha=0.05).fit(durations, events, event_of_interest=k)
        theirs = fitter.cumulative_density_.iloc[:, 0]
        band = fitter.confidence_interval_
        mine = ours["causes"][cause]
        for t, value in theirs.items():
            t = int(t)
            assert mine["incidence"][t] == pytest.approx(value, abs=1e-6), (cause, t)
            if 0 < value < 1:
                lo, hi = sorted(band.loc[t].to_numpy())
                assert (mine["low"][t], mine["high"][t]) == pytest.approx((lo, hi), abs=1e-6), (cause, t)


def _sweep(tmp_path, *options):
    from sim.interfaces.cli import main

    root = __import__("pathlib").Path(__file__).resolve().parents[2]
    tmp_path.mkdir(parents=True, exist_ok=True)
    scenario = tmp_path / "s.toml"
    scenario.write_text(f'extends = "{(root / "scenarios" / "baseline.toml").as_posix()}"\nname = "s"\nmonths = 4\n'
                        'scale = 0.01\n[sweep]\ndesign = "grid"\nreplicates = 4\noutcomes = ["isk_fighters"]\n'
                        '[sweep.vary]\n"policy.moderation" = [0.0, 1.0]\n', encoding="utf-8")
    out = tmp_path / "sweep"
    assert main(["sweep", str(scenario), "--out", str(out), "--workers", "1", "--quiet", *options]) == 0
    read = lambda name: __import__("json").loads((out / name).read_text())  # noqa: E731
    return read("manifest.json"), read("summary.json"), out


def test_a_run_and_a_sweep_write_cause_specific_survival(tmp_path):
    from sim.runs.store import read_runs

    table = __import__("sim").load(__import__("pathlib").Path(__file__).resolve().parents[2] / "scenarios" / "stress" / "civil_war.toml").set(months=30, scale=0.01).run(replicates=3)
    summary = __import__("sim").summarise(table)
    curves = summary["cumulative_incidence"]
    fell = summary["failures"]["by_cause"]
    assert sum(fell.values()) > 0  # the stressed regime falls: the curves are not all zero
    for cause, count in fell.items():
        assert curves["causes"][cause]["incidence"][-1] == pytest.approx(count / 3, abs=1e-6)
    manifest, summary, out = _sweep(tmp_path)
    runs = read_runs(out)
    pooled = summary["cumulative_incidence"]
    assert pooled["runs"] == len(runs)
    for cause in CAUSES:
        assert pooled["causes"][cause]["incidence"][-1] == pytest.approx((runs["fall_cause"] == cause).mean(),
                                                                         abs=1e-6)


def test_a_sweep_says_how_many_parameter_sets_each_point_maps(tmp_path):
    manifest, summary, out = _sweep(tmp_path)
    members = manifest["ensemble"]["replicate_members"]
    assert summary["parameter_sets_per_point"] == manifest["run"]["parameter_sets_per_point"] == len(set(members))
    assert manifest["ensemble"]["distinct_members"] == len(set(members)) <= 4
    assert "fewer than 20" in summary["parameter_sets_note"]
    manifest, summary, out = _sweep(tmp_path / "crossed", "--members", "2")
    assert summary["parameter_sets_per_point"] == 2 and manifest["ensemble"]["replicate_members"][:2] == \
        manifest["ensemble"]["replicate_members"][2:]
    assert "2 distinct calibrated-ensemble member(s)" in summary["parameter_sets_note"]
