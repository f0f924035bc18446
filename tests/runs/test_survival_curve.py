"""The Kaplan-Meier survival curve written to summary.json (issue 17)."""

import pytest

from sim.runs.outputs import survival_curve


def test_survival_curve_is_the_share_standing_with_a_greenwood_interval():
    curve = survival_curve([3, 5, None, None], 8)
    assert curve["standing"] == [1, 1, 1, 0.75, 0.75, 0.5, 0.5, 0.5]
    # log-log Greenwood interval at S = 0.75 with four at risk (as survival packages give it)
    assert curve["low"][3] == pytest.approx(0.128, abs=0.002) and curve["high"][3] == pytest.approx(0.961, abs=0.002)
    assert all(lo <= s <= hi for lo, s, hi in zip(curve["low"], curve["standing"], curve["high"]))


def test_survival_curve_edges():
    assert survival_curve([None, None], 3)["standing"] == [1, 1, 1]
    everyone = survival_curve([0, 0], 3)
    assert everyone["standing"] == everyone["low"] == everyone["high"] == [0, 0, 0]
