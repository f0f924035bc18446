"""How the regime sets its levers: fixed by the scenario, or bargained each month."""

from __future__ import annotations

import numpy as np

from sim.model.params import LEVER_NAMES
from sim.model.mechanisms.economy import pay_shortfall

_DONOR_DEMANDS = np.array([n in ("moderation", "inclusion", "foreign_cooperation", "action_against_allies")
                           for n in LEVER_NAMES])


def bargained_policy(m) -> np.ndarray:
    """The regime's levers under ``policy.mode = "adaptive"`` (M13, ALI:263, ALI:273).

    The factions bargain: the target is the mean of their preferred policies weighted by
    strength x influence x loyalty. The leadership then weighs survival: an unpaid budget
    pushes the donors' demands (moderation, inclusion, action against allies, foreign
    cooperation) up, toward aid (ALI:263); hard-line defections to IS-K above the
    tolerated rate push them back down (ALI:273). Each lever moves at most
    ``policy.adaptation_rate`` a month from its current value.
    """
    pol = m.p.policy
    weights = np.array([f.strength * f.influence * f.loyalty for f in m.factions])
    prefs = np.array([f.preferred for f in m.factions])
    target = weights @ prefs / max(weights.sum(), 1e-9)
    defection_rate = m.last_taliban_defections / max(m.taliban_strength(), 1.0)
    push = pol.survival_weight * (pay_shortfall(m.fiscal_coverage) - defection_rate / pol.tolerated_defection_rate)
    push = float(np.clip(push, -1.0, 1.0))
    shift = np.where(push > 0, push * (1.0 - target), push * target)
    target = np.where(_DONOR_DEMANDS, target + shift, target)
    current = m.policy_vector()
    step = np.clip(target - current, -pol.adaptation_rate, pol.adaptation_rate)
    return np.clip(current + step, 0.0, 1.0)
