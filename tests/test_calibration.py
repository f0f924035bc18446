"""The baseline meets its calibration targets (median across replicates)."""

from conftest import simulate

from sim import calibration


def test_baseline_meets_primary_targets(baseline):
    table = simulate(baseline, months=60, replicates=12, scale=0.25, seed=20210815)
    results = {r["target"]: r for r in calibration.evaluate(table)}
    missed = [f"{r['target']}={r['value']}" for r in results.values() if r["primary"] and not r["met"]]
    assert not missed, f"calibration targets missed: {missed}"
