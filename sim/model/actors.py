"""The non-regime armed groups as Mesa agents: TTP, Al-Qaeda, Central Asian militants, the
armed resistance and renegade Taliban (IS-K, the Taliban factions and the states have
modules of their own: :mod:`sim.model.isk`, :mod:`sim.model.factions`, :mod:`sim.model.states`).

Individual fighters are arrays (:mod:`sim.model.fighters`); the agent holds the group's aggregate
state (strength in real-world fighters, hostility to the regime).
"""

from __future__ import annotations

import math

import mesa

from sim.model.fighters import ALLIES, Group


class ArmedGroup(mesa.Agent):
    """A non-regime armed group."""

    def __init__(self, model, group: Group, label: str):
        super().__init__(model)
        self.group, self.label = group, label
        self.strength = 0.0
        self.hostility = 0.0
        self.grievance = 0.0

    def step(self) -> None:
        """Allied groups turn against the regime as it hurts them, and remember it (M3, ALI:243).

        The harm is the share of the group the regime kills or arrests this month
        (``violence.allies_kill_rate`` x the action against it); the group remembers it as a
        grievance that fades over ``allies.grievance_months``, and its hostility is
        1 - exp(-grievance / ``allies.grievance_scale``): a host that turns on its guests
        makes enemies who stay enemies for a while after it stops (Byman 2005).
        """
        if self.group in ALLIES:
            m, a = self.model, self.model.p.allies
            harm = m.p.violence.allies_kill_rate * m.levers["action_against_allies"]
            self.grievance += harm - self.grievance / a.grievance_months
            self.hostility = 1.0 - math.exp(-self.grievance / a.grievance_scale)


class PakistaniTaliban(ArmedGroup):
    """The TTP: attacks in Pakistan from its Afghan sanctuary (M15, ALI:194, ALI:211b)."""

    target_state = "pakistan"

    def __init__(self, model, group: Group, label: str):
        super().__init__(model, group, label)
        self.attacks_pakistan = 0
        self.recruitment = 0.0

    def expected_recruits(self) -> float:
        """Recruits the TTP's networks bring this month, in real fighters (M15; no ceiling).

        ``allies.ttp_recruits`` x sanctuary (1 - action against the allies; Salehyan 2009) x
        network reach S / (S + ``allies.ttp_network_scale``) (Staniland 2014) x the share not
        stopped by a closed Pakistani border x (1 + ``allies.ttp_backlash`` x Pakistan's strike
        intensity) (Condra and Shapiro 2012). Its size settles where these recruits balance its
        losses (routine attrition, Pakistan's operations and strikes, the regime's action).
        """
        m, a = self.model, self.model.p.allies
        pakistan = m.neighbour(self.target_state)
        sanctuary = 1.0 - m.levers["action_against_allies"]
        reach = self.strength / (self.strength + a.ttp_network_scale)
        border = 1.0 - a.ttp_border_share * (1.0 - pakistan.open_border)
        backlash = 1.0 + a.ttp_backlash * pakistan.strikes_ttp()
        self.recruitment = a.ttp_recruits * sanctuary * reach * border * backlash
        return self.recruitment

    def attack(self) -> None:
        """Attacks grow with strength, fall as the regime acts against the TTP, and rise while
        Pakistan strikes it (retaliation, ``violence.ttp_escalation`` x strike intensity)."""
        m, v = self.model, self.model.p.violence
        sanctuary = 1.0 - v.sanctuary_effect * m.levers["action_against_allies"]
        escalation = 1.0 + v.ttp_escalation * m.neighbour(self.target_state).strikes_ttp()
        rate = v.ttp_attack_rate * self.strength / 1000.0 * sanctuary * escalation
        self.attacks_pakistan = int(m.rng_attacks.poisson(rate))
