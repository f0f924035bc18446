"""The Gaussian-process emulators of history matching: a known function, screening, and a planted
parameter recovered through the emulator path (a toy model in place of the simulation: fast)."""

from __future__ import annotations

import dataclasses
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.analysis import calibrate, emulator
from sim.runs.scenario import load

ROOT = Path(__file__).resolve().parents[2]
BASELINE = ROOT / "scenarios" / "baseline.toml"


def known(X: np.ndarray) -> np.ndarray:
    return np.sin(2 * math.pi * X[:, 0]) + 2 * X[:, 1] ** 2


def test_the_emulator_reproduces_a_known_function_with_honest_uncertainty():
    X = emulator.latin(40, 2, seed=1)
    em = emulator.fit("f", X, known(X), np.full(40, 1e-4), low=0.5, high=0.5, tolerance=0.0, seed=3)
    test = np.random.default_rng(2).uniform(size=(300, 2))
    mean, sd, variance = em.predict(test)
    error = mean - known(test)
    assert np.sqrt(np.mean(error ** 2)) < 0.05 * np.ptp(known(test))
    assert np.mean(np.abs(error) <= 3 * sd) >= 0.95           # its uncertainty covers its errors
    assert np.allclose(variance, 1e-4, rtol=1e-6)             # the model variance of the nearest points
    # screening: points where f is far from 0.5 are ruled out, points where it is 0.5 are not
    imp = em.implausibility(test)
    truth = np.abs(known(test) - 0.5)
    assert (imp[truth < 0.01] < 3).all() and (imp[truth > 0.5] > 3).all()
    # the check of predictions against later runs: standardised errors about 1
    record = emulator.check({"f": em}, test, {"f": known(test)})["f"]
    assert record["within_3_sd"] >= 0.95 and record["rms_standardised_error"] < 3


def test_a_constant_output_gives_a_constant_emulator_and_nan_points_are_left_out():
    X = emulator.latin(10, 3, seed=1)
    means = np.zeros(10)
    means[3] = np.nan
    em = emulator.fit("zero", X, means, np.zeros(10), low=0, high=0, tolerance=0, seed=1)
    mean, sd, _ = em.predict(X)
    assert em.gp is None and (mean == 0).all() and (sd == 0).all()
    assert (em.implausibility(X) == 0).all()
    assert np.isinf(emulator.implausibility([np.nan], [1.0], 0, 1, 0)).all()


def test_screening_one_target_at_a_time_keeps_what_emulating_every_target_keeps():
    """The ensemble wave's screen emulates a target only where no earlier one ruled a draw out; it keeps
    the same draws, with the same largest implausibility, as emulating every target everywhere."""
    X = emulator.latin(60, 3, seed=4)
    targets = [("f", known(X), 0.5, 0.8, 0.1), ("g", X[:, 2] * 3, 1.0, 1.5, 0.2), ("h", X.sum(axis=1), 1.2, 1.6, 0.1)]
    ems = [emulator.fit(name, X, y, np.full(60, 1e-3), low=lo, high=hi, tolerance=tol, seed=5)
           for name, y, lo, hi, tol in targets]
    test = np.random.default_rng(6).uniform(size=(5000, 3))
    full = np.max(np.column_stack([em.implausibility(test) for em in ems]), axis=1)
    order = emulator.ruling_order(ems, test[:500], 2.0)
    worst = emulator.screen(order, test, 2.0)
    kept = full < 2.0
    assert 0 < kept.sum() < len(test)
    assert np.array_equal(worst < 2.0, kept)
    assert np.allclose(worst[kept], full[kept])
    assert (worst[~kept] <= full[~kept] + 1e-12).all()


def test_maximin_spreads_the_chosen_points():
    X = np.random.default_rng(0).uniform(size=(2000, 2))
    chosen = emulator.maximin(X, 20, seed=1)
    assert len(set(chosen)) == 20

    def closest(P):
        d = ((P[:, None] - P[None]) ** 2).sum(axis=2)
        return np.sqrt(d[np.triu_indices(len(P), 1)].min())
    assert closest(X[chosen]) > 2 * closest(X[:20])
    assert (emulator.maximin(X, 20, seed=1) == chosen).all()  # deterministic


TRUE = {"external.humanitarian_aid": 1.2, "external.sanctions": 0.3}
FREE = {"external.humanitarian_aid": (0.2, 2.5), "external.sanctions": (0.0, 1.0)}


def toy(values: pd.DataFrame) -> dict[str, np.ndarray]:
    """A toy model of two outputs of the two free parameters (means; replicate variance 1e-4)."""
    a, s = values["external.humanitarian_aid"].to_numpy(float), values["external.sanctions"].to_numpy(float)
    return {"first": a + 0.8 * s, "second": np.exp(-a) * (1 + 2 * s)}


def toy_plan(tmp_path: Path, samples: int = 12, free: dict | None = None):
    truth = toy(pd.DataFrame([TRUE]))
    text = ""
    for name, column in (("first", "aid"), ("second", "gdp_index")):
        text += (f'[[target]]\nname = "{name}"\ndescription = "a toy output"\ncolumn = "{column}"\n'
                 f'statistic = "mean"\nwindow = ["2021-08", "2021-12"]\nobserved = {float(truth[name][0])!r}\n'
                 f'tolerance = 0.01\nrole = "fit"\nsource = "the toy model at {TRUE}"\n\n')
    targets = tmp_path / "toy_targets.toml"
    targets.write_text(text)
    lines = [f"extends = {json.dumps(str(BASELINE))}", "[calibrate]", f"samples = {samples}", "waves = 4",
             "replicates = 4", "sample_seed = 3", "candidates = 4000", "[calibrate.free]"]
    lines += [f'"{n}" = {{ low = {lo}, high = {hi} }}' for n, (lo, hi) in (free or FREE).items()]
    path = tmp_path / "toy.toml"
    path.write_text("\n".join(lines) + "\n")
    scenario = load(path)
    return calibrate.plan(scenario, scenario.parameters(), targets, 12, 0.01, 7)


def evaluate_toy(p, points: list[dict], wave: int) -> pd.DataFrame:
    """What evaluate_wave gives for a wave, with the toy model in place of the simulation."""
    rows = pd.DataFrame(points, columns=list(p.names))
    rows.insert(0, "point", range(len(rows)))
    outputs = toy(rows)
    for t in p.targets:
        rows[f"mean:{t.name}"] = outputs[t.name]
        rows[f"variance:{t.name}"] = 1e-4
        rows[f"implausibility:{t.name}"] = [t.implausibility(m, 1e-4) for m in outputs[t.name]]
    rows["max_implausibility"] = rows.filter(like="implausibility:").max(axis=1)
    rows["kept"] = rows["max_implausibility"] < p.cutoff
    rows.insert(0, "wave", wave)
    return rows


def test_a_planted_parameter_is_recovered_through_the_emulator_path(tmp_path):
    p = toy_plan(tmp_path)
    region, evaluated, screened = dict(p.free), [], []
    waves = [evaluate_toy(p, list(p.wave_design(1, region).points), 1)]
    for wave in range(2, p.waves + 1):
        everything = pd.concat(waves, ignore_index=True)
        kept = everything[everything["kept"]]
        focus = kept if len(kept) else everything.nsmallest(3, "max_implausibility")
        region = calibrate.next_region(focus, region, p.free)
        d, record, _ = p.emulated_design(wave, region, everything)
        assert d.kind == "emulated" and len(d.points) == p.samples
        screened.append(record)
        waves.append(evaluate_toy(p, list(d.points), wave))
    points = pd.concat(waves, ignore_index=True)
    accepted = points[points["kept"]]
    # the first wave's Latin design keeps almost nothing; the emulated waves keep most of what they run
    assert waves[0]["kept"].mean() < 0.3
    assert waves[-1]["kept"].mean() >= 0.5
    assert all(r["plausible_share"] < 0.5 for r in screened[1:])  # the emulators rule most candidates out
    for name, value in TRUE.items():
        low, high = accepted[name].min(), accepted[name].max()
        assert low <= value <= high
        assert high - low < 0.5 * (FREE[name][1] - FREE[name][0])
    # the same calibration gives the same waves (deterministic emulators and screening)
    again = toy_plan(tmp_path)
    d, _, _ = again.emulated_design(2, dict(p.free), waves[0])
    d0, _, _ = p.emulated_design(2, dict(p.free), waves[0])
    assert d.points == d0.points


def test_free_ranges_relative_to_the_scenario_value_follow_the_model(tmp_path, capsys):
    from sim.interfaces.cli import main

    path = tmp_path / "rel.toml"
    path.write_text(f"extends = {json.dumps(str(BASELINE))}\n[calibrate]\n[calibrate.free]\n"
                    '"survival.tolerated_arrears" = { spread = 0.5 }\n"isk.outside_funding" = { factor = 4 }\n'
                    '"economy.trend_growth" = {}\n')
    scenario = load(path)
    params = scenario.parameters()
    p = calibrate.plan(scenario, params, ROOT / "scenarios" / "targets.toml", 29, 0.01, 1)
    assert p.free["survival.tolerated_arrears"] == pytest.approx((params["survival.tolerated_arrears"] * 0.5,
                                                            min(1.0, params["survival.tolerated_arrears"] * 1.5)))
    assert p.free["isk.outside_funding"] == pytest.approx((params["isk.outside_funding"] / 4,
                                                           params["isk.outside_funding"] * 4))
    path.write_text(path.read_text().replace("factor = 4", "factor = 0.5"))
    assert main(["calibrate", str(path), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "calibrate.free.isk.outside_funding.factor" in err and "above 1" in err


def test_whole_range_parameters_are_sampled_over_their_whole_range_in_every_wave(tmp_path, capsys):
    from sim.interfaces.cli import main

    unused = "external.assets_released"  # free, but the toy's outputs do not depend on it: the record cannot bound it
    p = toy_plan(tmp_path, free={**FREE, unused: (0.0, 1.0)})
    first = evaluate_toy(p, list(p.wave_design(1, dict(p.free)).points), 1)
    focus = first.nsmallest(3, "max_implausibility")
    narrowed = calibrate.next_region(focus, dict(p.free), p.free)
    region = calibrate.next_region(focus, dict(p.free), p.free, (unused,))
    assert region[unused] == (0.0, 1.0) and narrowed[unused] != (0.0, 1.0)
    spans = {}
    for whole in ((), (unused,)):
        plan = dataclasses.replace(p, whole_range=whole)
        d, _, _ = plan.emulated_design(2, region if whole else narrowed, first)
        values = np.array([pt[unused] for pt in d.points])
        spans[whole] = values.max() - values.min()
    assert spans[(unused,)] > 0.5 and spans[(unused,)] > spans[()]  # the wave spans its range, not a neighbourhood
    # a name that is not free, or not a name, is bad input: one line, exit 2
    path = tmp_path / "wide.toml"
    for names in ('["isk.pay"]', '[["isk.outside_funding"]]'):
        path.write_text(f"extends = {json.dumps(str(BASELINE))}\n[calibrate]\nwhole_range = {names}\n"
                        "[calibrate.free]\n\"isk.outside_funding\" = { factor = 2 }\n")
        assert main(["calibrate", str(path), "--quiet"]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "calibrate.whole_range" in err
