"""Issue 29's calibration machinery on toy models: the confirmation on fresh seeds drops a lucky
point, the ensemble wave spreads evenly where the record is flat, the edge check, the in-range
requirement and the outside view."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.analysis import calibrate
from sim.analysis import targets as calibration
from sim.interfaces.cli import main
from sim.runs.scenario import load

ROOT = Path(__file__).resolve().parents[2]
BASELINE = ROOT / "scenarios" / "baseline.toml"
PRIOR = {"external.humanitarian_aid": (0.2, 2.5), "external.sanctions": (0.0, 1.0)}
TOY_TARGETS = """[[target]]
name = "aid_mean"
description = "mean aid, 2022 to mid-2023"
column = "aid"
statistic = "mean"
window = ["2022-01", "2023-07"]
observed = [0.8, 1.6]
tolerance = 0.05
role = "fit"
source = "a toy figure"

[[target]]
name = "survival"
description = "the regime stands to mid-2023"
column = "regime_survives"
statistic = "share"
window = ["2021-08", "2023-07"]
observed = [0.9, 1.0]
tolerance = 0
role = "fit"
source = "a toy figure"
"""


def _files(tmp_path: Path, **section) -> tuple[Path, Path]:
    settings = {"samples": 10, "waves": 2, "replicates": 3, "sample_seed": 5, "draws": 8, "confirm_replicates": 4,
                "ensemble_cutoff": 2.5} | section
    lines = ["# a toy calibration", f"extends = {json.dumps(str(BASELINE))}", "[calibrate]"]
    lines += [f"{k} = {json.dumps(v)}" for k, v in settings.items()]
    lines += ["[calibrate.free]"] + [f'"{n}" = {{ low = {lo}, high = {hi} }}' for n, (lo, hi) in PRIOR.items()]
    scenario, targets = tmp_path / "free.toml", tmp_path / "targets.toml"
    scenario.write_text("\n".join(lines) + "\n")
    targets.write_text(TOY_TARGETS)
    return scenario, targets


def _target(name: str) -> calibration.Target:
    return {t.name: t for t in calibration.load(ROOT / "scenarios" / "targets.toml")}[name]


# ---------------------------------------------------------------------------- fresh seeds drop a lucky point

def test_the_confirmation_on_fresh_seeds_drops_a_point_kept_by_luck():
    """A toy whose regime survives each replicate with probability 0.5: on the waves' 4 seeds it
    happens to survive every time (kept), on 20 fresh seeds it does not (dropped); a toy that
    always survives stays."""
    survival = _target("survival_2023")  # 0.9 to 1, a share

    def toy(p: float, seed: int, replicates: int) -> np.ndarray:
        return (np.random.default_rng(seed).random(replicates) < p).astype(float)

    lucky_seed = next(s for s in range(1000) if toy(0.5, s, 4).all())  # 4 of 4 survive: luck
    screened = pd.DataFrame({"point": [0, 1], "max_implausibility": [
        calibrate.score(survival, toy(0.5, lucky_seed, 4))["implausibility"],
        calibrate.score(survival, toy(1.0, lucky_seed, 4))["implausibility"]]})
    assert (screened["max_implausibility"] < 3).all()  # both kept at the waves' replicates
    fresh = lucky_seed + 10_000
    confirmed = pd.DataFrame({"point": [0, 1], "max_implausibility": [
        calibrate.score(survival, toy(0.5, fresh, 20))["implausibility"],
        calibrate.score(survival, toy(1.0, fresh, 20))["implausibility"]]})
    assert calibrate.members(confirmed, 2.0).tolist() == [False, True]


@pytest.mark.slow
def test_the_ensemble_is_the_confirmed_points_on_fresh_seeds(tmp_path, capsys):
    scenario, targets = _files(tmp_path)
    out, ensemble = tmp_path / "cal", tmp_path / "ens.csv"
    assert main(["calibrate", str(scenario), "--targets", str(targets), "--out", str(out), "--months", "24",
                 "--scale", "0.02", "--quiet", "--workers", "1", "--ensemble", str(ensemble)]) == 0
    confirmed = pd.read_csv(out / "confirmed.csv")
    members = pd.read_csv(ensemble)
    assert len(members) == int(confirmed["member"].sum()) > 0
    assert (confirmed.loc[confirmed["member"], "max_implausibility"] < 2.5).all()
    assert (confirmed.loc[~confirmed["member"], "max_implausibility"] >= 2.5).all()
    # every member comes from the ensemble wave (the uniform draws), none from a space-filling wave
    assert set(members["wave"]) == {3}
    record = json.loads(ensemble.with_suffix(".json").read_text())
    assert record["replicates"] == {"screening": 3, "members": 4}
    assert record["ensemble"]["replicates"] == 4 and record["ensemble"]["members"] == len(members)
    # the confirmation's seeds are not the waves'
    waves_seed = json.loads((out / "wave-1" / "manifest.json").read_text())["run"]["root_seed"]
    confirm_seed = json.loads((out / "confirm" / "manifest.json").read_text())["run"]["root_seed"]
    assert waves_seed != confirm_seed == record["ensemble"]["root_seed"]
    edges = pd.read_csv(out / "edges.csv")
    assert set(edges["parameter"]) == set(PRIOR)
    assert "ensemble:" in capsys.readouterr().out


def test_a_second_set_of_fresh_seeds_keeps_only_points_that_pass_both(tmp_path):
    """confirm_sets = 2: the members passed the first confirmation and again on a second set of fresh
    seeds (another root seed); a point dropped by the second set stays in confirmed.csv, not a member."""
    scenario, targets = _files(tmp_path, confirm_sets=2)
    out, ensemble = tmp_path / "cal", tmp_path / "ens.csv"
    assert main(["calibrate", str(scenario), "--targets", str(targets), "--out", str(out), "--months", "24",
                 "--scale", "0.02", "--quiet", "--workers", "1", "--ensemble", str(ensemble)]) == 0
    confirmed = pd.read_csv(out / "confirmed.csv")
    first = confirmed["max_implausibility"] < 2.5
    second = confirmed["max_implausibility_set_2"]
    assert second[first].notna().all() and second[~first].isna().all()
    assert confirmed["member"].tolist() == (first & (second < 2.5)).tolist()
    seeds = [json.loads((out / f / "manifest.json").read_text())["run"]["root_seed"] for f in ("confirm", "confirm-2")]
    assert seeds[0] != seeds[1]
    record = json.loads(ensemble.with_suffix(".json").read_text())
    assert record["settings"]["confirm_seeds"] == seeds and record["ensemble"]["confirm_sets"] == 2
    assert len(pd.read_csv(ensemble)) == int(confirmed["member"].sum())


def test_members_meet_keeps_only_points_whose_medians_meet_every_target(tmp_path):
    """members_meet = true: a member also meets every fit target in its median (validate's 'met' and 'in
    range') on both sets of fresh seeds; the columns say which points did."""
    scenario, targets = _files(tmp_path, confirm_sets=2, members_meet=True)
    out, ensemble = tmp_path / "cal", tmp_path / "ens.csv"
    assert main(["calibrate", str(scenario), "--targets", str(targets), "--out", str(out), "--months", "24",
                 "--scale", "0.02", "--quiet", "--workers", "1", "--ensemble", str(ensemble)]) == 0
    confirmed = pd.read_csv(out / "confirmed.csv")
    aid = {t.name: t for t in calibration.load(targets)}["aid_mean"]
    meets = confirmed["median:aid_mean"].map(lambda m: aid.met(m) and aid.in_range(m) is not False)
    assert confirmed["meets_targets"].tolist() == (meets & confirmed["median:survival"].between(0.9, 1.0)).tolist()
    first = (confirmed["max_implausibility"] < 2.5) & confirmed["meets_targets"]
    second = (confirmed["max_implausibility_set_2"] < 2.5) & (confirmed["meets_targets_set_2"] == True)  # noqa: E712
    assert confirmed["member"].tolist() == (first & second).tolist()
    record = json.loads(ensemble.with_suffix(".json").read_text())
    assert record["settings"]["members_meet"] is True and record["ensemble"]["members_meet"] is True


def test_a_confirm_cutoff_below_the_ensembles_leaves_a_margin(tmp_path):
    """confirm_cutoff = 1.5 under an ensemble cutoff of 2.5: members stay below 1.5 on the confirmation;
    the ensemble's cutoff (what a re-check on fresh seeds uses) stays 2.5; the ensemble wave runs at
    draw_replicates."""
    scenario, targets = _files(tmp_path, confirm_cutoff=1.5, draw_replicates=2)
    out, ensemble = tmp_path / "cal", tmp_path / "ens.csv"
    assert main(["calibrate", str(scenario), "--targets", str(targets), "--out", str(out), "--months", "24",
                 "--scale", "0.02", "--quiet", "--workers", "1", "--ensemble", str(ensemble)]) == 0
    confirmed = pd.read_csv(out / "confirmed.csv")
    assert confirmed["member"].tolist() == (confirmed["max_implausibility"] < 1.5).tolist()
    record = json.loads(ensemble.with_suffix(".json").read_text())
    assert record["ensemble"]["cutoff"] == 2.5 and record["ensemble"]["confirm_cutoff"] == 1.5
    assert record["ensemble"]["draw_replicates"] == 2 and "a margin under the ensemble's cutoff" in record["ensemble"]["how"]
    wave = json.loads((out / "wave-3" / "manifest.json").read_text())
    assert wave["run"]["replicates"] == 2


@pytest.mark.parametrize("value", [3.0, 0, "low", True])
def test_a_confirm_cutoff_must_lie_under_the_ensembles(tmp_path, capsys, value):
    scenario, targets = _files(tmp_path, confirm_cutoff=value)
    assert main(["calibrate", str(scenario), "--targets", str(targets), "--out", str(tmp_path / "cal")]) == 2
    err = capsys.readouterr().err
    assert "calibrate.confirm_cutoff" in err and "at most the ensemble's cutoff (2.5)" in err and "Traceback" not in err


def test_members_meet_must_be_true_or_false(tmp_path, capsys):
    scenario, targets = _files(tmp_path, members_meet="yes")
    assert main(["calibrate", str(scenario), "--targets", str(targets), "--out", str(tmp_path / "cal")]) == 2
    err = capsys.readouterr().err
    assert "calibrate.members_meet" in err and "not true or false" in err and "Traceback" not in err


def test_a_factor_range_and_a_log_range_are_sampled_on_a_log_scale(tmp_path, capsys):
    """A range given as a factor, or marked log = true, is drawn uniformly in its logarithm: as many
    draws below the geometric middle as above; the edge check measures fifths on that scale."""
    path = tmp_path / "log.toml"
    path.write_text(f"extends = {json.dumps(str(BASELINE))}\n[calibrate]\nsamples = 400\n[calibrate.free]\n"
                    '"isk.outside_funding" = { factor = 4 }\n'
                    '"taliban.intelligence_build_months" = { low = 8, high = 240, log = true }\n'
                    '"external.sanctions" = { low = 0, high = 1 }\n')
    s = load(path)
    p = calibrate.plan(s, s.parameters(), ROOT / "scenarios" / "targets.toml", 29, 0.02, 1)
    assert p.log == ("isk.outside_funding", "taliban.intelligence_build_months")
    drawn = pd.DataFrame(list(p.wave_design(1, dict(p.free)).points))
    funding = s.parameters()["isk.outside_funding"]
    assert (drawn["isk.outside_funding"] < funding).mean() == pytest.approx(0.5, abs=0.05)
    assert (drawn["taliban.intelligence_build_months"] < np.sqrt(8 * 240)).mean() == pytest.approx(0.5, abs=0.05)
    assert (drawn["external.sanctions"] < 0.5).mean() == pytest.approx(0.5, abs=0.05)
    assert np.allclose(p.scaled(p.unit(drawn[list(p.names)].to_numpy())), drawn[list(p.names)].to_numpy())
    # the ends of a log range map back onto the range itself (exp(log(0.05)) overshoots 0.05 by a rounding error)
    ends = p.scaled(np.array([[0.0] * len(p.names), [1.0] * len(p.names)]))
    low, high = (np.array([p.free[n][i] for n in p.names]) for i in (0, 1))
    assert (ends >= low).all() and (ends <= high).all() and np.allclose(ends, [low, high])
    # members at 12-63 months lie in the middle on the log scale, in the lowest fifth on a linear one
    members = pd.DataFrame({"x": np.geomspace(12, 63, 20)})
    assert calibrate.edges(members, {"x": (8, 240)}).loc[0, "piled"] == "low"
    assert calibrate.edges(members, {"x": (8, 240)}, log=("x",)).loc[0, "piled"] == ""
    # the next region widens the box by a tenth of the log range
    region = calibrate.next_region(pd.DataFrame({"x": [24.0, 30.0]}), {"x": (8, 240)}, {"x": (8, 240)}, (), ("x",))
    assert region["x"][0] == pytest.approx(24 / (240 / 8) ** 0.1) and region["x"][1] == pytest.approx(30 * 30 ** 0.1)


def test_a_log_scale_over_a_range_reaching_zero_gets_one_line(tmp_path, capsys):
    path = tmp_path / "bad.toml"
    path.write_text(f"extends = {json.dumps(str(BASELINE))}\n[calibrate]\n[calibrate.free]\n"
                    '"external.sanctions" = { low = 0, high = 1, log = true }\n')
    assert main(["calibrate", str(path), "--out", str(tmp_path / "cal"), "--quiet"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "calibrate.free.external.sanctions.log" in err and "positive" in err


def test_an_ensemble_cutoff_on_the_command_line_is_refused_with_the_confirmation(tmp_path, capsys):
    scenario, targets = _files(tmp_path)
    assert main(["calibrate", str(scenario), "--targets", str(targets), "--out", str(tmp_path / "cal"),
                 "--months", "24", "--scale", "0.02", "--quiet", "--ensemble", str(tmp_path / "e.csv"),
                 "--ensemble-cutoff", "2"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "--ensemble-cutoff" in err and "calibrate.ensemble_cutoff" in err


def test_draws_without_the_emulator_get_one_line(tmp_path, capsys):
    scenario, targets = _files(tmp_path, emulator=False)
    assert main(["calibrate", str(scenario), "--targets", str(targets), "--out", str(tmp_path / "cal"),
                 "--months", "24", "--scale", "0.02", "--quiet"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "calibrate.draws" in err and str(scenario) in err


# ---------------------------------------------------------------------------- an even ensemble

def _toy_points(n: int = 200, seed: int = 3) -> pd.DataFrame:
    """Points 'run' of a toy whose aid figure is the aid parameter itself and whose survival is
    always 1: the record bounds the aid parameter and is flat in the sanctions."""
    rng = np.random.default_rng(seed)
    aid = rng.uniform(*PRIOR["external.humanitarian_aid"], n)
    sanctions = rng.uniform(*PRIOR["external.sanctions"], n)
    distance = np.maximum(np.maximum(0.8 - aid, aid - 1.6), 0) / 0.05
    return pd.DataFrame({"wave": 1, "point": range(n), "external.humanitarian_aid": aid,
                         "external.sanctions": sanctions, "mean:aid_mean": aid, "variance:aid_mean": 1e-4,
                         "mean:survival": 1.0, "variance:survival": 0.0, "max_implausibility": distance,
                         "kept": distance < 3})


def test_the_ensemble_wave_spreads_evenly_where_the_record_is_flat(tmp_path):
    scenario, targets = _files(tmp_path, draws=300)
    s = load(scenario)
    p = calibrate.plan(s.without_ensemble(), s.parameters(), targets, 24, 0.02, 1)
    d, record = p.uniform_design(2, dict(p.free), _toy_points())
    drawn = pd.DataFrame(list(d.points))
    assert len(drawn) == 300 and record["uniform"]
    # the record bounds the aid: the draws lie where the emulator cannot rule it out
    assert drawn["external.humanitarian_aid"].between(0.6, 1.8).all()
    # it is flat in the sanctions: each fifth of the prior holds about a fifth of the draws
    fifths = np.histogram(drawn["external.sanctions"], bins=5, range=(0, 1))[0] / len(drawn)
    assert fifths.min() > 0.12 and fifths.max() < 0.28, fifths
    report = calibrate.edges(drawn, dict(p.free)).set_index("parameter")
    assert report.loc["external.sanctions", "piled"] == ""


def test_edges_flag_a_parameter_piled_in_an_outer_fifth():
    rng = np.random.default_rng(1)
    members = pd.DataFrame({"a": rng.uniform(0, 1, 200), "b": rng.uniform(0, 0.15, 200),
                            "c": np.r_[rng.uniform(0.85, 1, 120), rng.uniform(0, 1, 80)]})
    report = calibrate.edges(members, {"a": (0, 1), "b": (0, 1), "c": (0, 1)}).set_index("parameter")
    assert report["piled"].to_dict() == {"a": "", "b": "low", "c": "high"}
    assert report.loc["b", "lowest_fifth"] == 1.0
    assert 0.1 < report.loc["a", "lowest_fifth"] < 0.3


def test_ensemble_edges_reads_the_priors_from_the_provenance(tmp_path):
    path = tmp_path / "e.csv"
    pd.DataFrame({"member": [0, 1, 2], "x": [0.05, 0.1, 0.9]}).to_csv(path, index=False)
    path.with_suffix(".json").write_text(json.dumps({"settings": {"free": {"x": [0, 1]}}}))
    report = calibrate.ensemble_edges(path)
    assert report.loc[0, "piled"] == "low" and report.loc[0, "lowest_fifth"] == pytest.approx(2 / 3)


# ---------------------------------------------------------------------------- in range, not only within tolerance

def test_a_median_within_tolerance_but_outside_a_wide_range_is_not_in_range():
    t = _target("isk_attacks_2023")  # 40 to 70 +/- 15
    assert t.range_required
    assert t.met(81.5) and t.in_range(81.5) is False and t.in_range(55) is True
    values = np.random.default_rng(0).normal(81.5, 8, 20)
    s = t.summary(values)
    assert t.implausibility(s["mean"], s["variance"]) < 2  # the tolerance alone keeps it
    assert calibrate.score(t, values)["implausibility"] > 3  # the range rules it out
    inside = np.random.default_rng(0).normal(60, 8, 20)
    assert calibrate.score(t, inside)["implausibility"] == 0
    # a single figure (no range wider than its tolerance): the tolerance alone judges
    point = _target("isk_attacks_aug_dec_2021")
    assert not point.range_required and point.in_range(170) is None
    assert point.range_implausibility(170, 10, 20) == 0


def test_validate_rows_report_in_range_and_within_tolerance_separately():
    t = _target("isk_attacks_2023")
    months = 29
    table = pd.DataFrame([{"replicate": r, "month": m, "isk_attacks": 80 / 12 if m >= 17 else 0.0}
                          for r in range(3) for m in range(months)])
    row, = calibration.evaluate(table, (t,), months=months)
    assert row["met"] is True and row["in_range"] is False


# ---------------------------------------------------------------------------- the outside view

def test_the_outside_view_is_sourced_checks_of_ten_year_survival():
    views = [t for t in calibration.load(ROOT / "scenarios" / "targets.toml") if t.reference_class]
    assert len(views) >= 2
    for t in views:
        assert t.role == "check" and t.column == "regime_survives" and t.statistic == "share"
        assert t.window_text == "2021-08 to 2031-07" and 0 < t.low < t.high <= 1
    sources = " ".join(t.source for t in views)
    assert "Lachapelle" in sources and "Geddes" in sources and "Djuve" in sources
    revolutionary = next(t for t in views if "revolution from below" in t.reference_class)
    other = next(t for t in views if "not born of revolution" in t.reference_class)
    assert revolutionary.low > other.low and revolutionary.high > other.high


def test_outside_view_lines_put_the_model_beside_each_base_rate():
    views = tuple(t for t in calibration.load(ROOT / "scenarios" / "targets.toml") if t.reference_class)
    months = 120
    # 10 replicates, 4 of which fall in year 5: ten-year survival 0.6
    table = pd.DataFrame([{"replicate": r, "month": m, "regime_survives": 1.0}
                          for r in range(10) for m in range(60 if r < 4 else months)])
    lines = calibration.outside_view(calibration.evaluate(table, views, months=months))
    assert len(lines) == len(views)
    text = "\n".join(lines)
    assert "0.60 (0.26-0.88, 95%) against 0.65 to 0.95" in text and "below the base rate" in text
    assert "inside the base rate" in text and "its interval overlaps it" in text  # 0.26-0.88 reaches 0.65


def test_the_outside_view_gives_the_model_share_its_interval():
    """40 of 40 replicates standing: a point estimate of 1, but consistent with 0.91 (Clopper-Pearson)."""
    low, high = calibration.share_interval(1.0, 40)
    assert low == pytest.approx(0.912, abs=0.001) and high == 1.0
    low, high = calibration.share_interval(0.5, 40)
    assert low < 0.5 < high and high - low < 0.35


def test_an_outside_view_as_a_fit_target_is_refused(tmp_path):
    path = tmp_path / "t.toml"
    path.write_text(TOY_TARGETS.split("[[target]]")[1].join(["[[target]]", ""]).replace(
        'source = "a toy figure"', 'source = "a toy figure"\nreference_class = "autocracies"'))
    from sim.runs.scenario import ScenarioError
    with pytest.raises(ScenarioError, match="role = \\\\?\"check\\\\?\""):
        calibration.load(path)


def test_a_resumed_calibration_marks_the_waves_an_earlier_session_ran(tmp_path):
    """Resumed, a finished wave is read, not run: its record says so, so that its time is not taken for the run's;
    the ensemble wave and the confirmations too."""
    scenario, targets = _files(tmp_path, confirm_sets=2)
    out = tmp_path / "cal"
    args = ["calibrate", str(scenario), "--targets", str(targets), "--out", str(out), "--months", "24", "--scale",
            "0.02", "--quiet", "--workers", "1"]
    assert main(args) == 0
    assert not any(w.get("resumed") for w in json.loads((out / "calibration.json").read_text())["waves"])
    assert main([*args, "--resume"]) == 0
    waves = json.loads((out / "calibration.json").read_text())["waves"]
    assert {w["design"] for w in waves} >= {"latin", "uniform", "confirm"} and all(w.get("resumed") for w in waves)
