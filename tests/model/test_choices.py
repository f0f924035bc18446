"""The fighters' choices are screened exactly: no fighter's chance of leaving exceeds its group's ceiling."""

import numpy as np
import pytest

from sim.model.mechanisms.choices import leaving_ceiling, leaving_cuts, utility_tables
from sim.model.model import RegimeModel
from sim.model.params import LEVER_NAMES

EXTREMES = {
    "baseline": {},
    "adaptive": {"policy.mode": "adaptive"},
    "every lever at 1": {f"policy.{name}": 1.0 for name in LEVER_NAMES},
    "every lever at 0, unpaid": {**{f"policy.{name}": 0.0 for name in LEVER_NAMES}, "external.sanctions": 1.0,
                                 "external.humanitarian_aid": 0.0},
}


@pytest.mark.parametrize("overrides", EXTREMES.values(), ids=EXTREMES.keys())
def test_no_fighter_can_leave_above_the_screening_ceiling(baseline, overrides):
    model = RegimeModel(baseline.parameters(overrides), months=36, seed=5, scale=0.05)
    while model.running:  # to the last month, or the regime's fall (the run ends there)
        t = utility_tables(model)
        reach = model.p.fighters.reach_weight * model.isk_reach()
        everyone = np.arange(len(model.fighters))
        leaving = leaving_cuts(model, t, reach, everyone)[-1]
        ceiling = leaving_ceiling(t, reach, model.kill_hazard)[model.fighters.group]
        assert (leaving <= ceiling).all() and (leaving > 0).all()
        model.step()
