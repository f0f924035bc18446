"""The non-regime armed groups as Mesa agents: TTP, Al-Qaeda, Central Asian militants, the
armed resistance and renegade Taliban (IS-K, the Taliban factions and the states have
modules of their own: :mod:`sim.model.isk`, :mod:`sim.model.factions`, :mod:`sim.model.states`).

Individual fighters are arrays (:mod:`sim.model.fighters`); the agent holds the group's aggregate
state (strength in real-world fighters, hostility to the regime).
"""

from __future__ import annotations

import mesa

from sim.model.fighters import ALLIES, Group


class ArmedGroup(mesa.Agent):
    """A non-regime armed group."""

    def __init__(self, model, group: Group, label: str):
        super().__init__(model)
        self.group, self.label = group, label
        self.strength = 0.0
        self.hostility = 0.0

    def step(self) -> None:
        """Allied groups turn against the regime as it acts against them (M3, ALI:243)."""
        if self.group in ALLIES:
            m = self.model
            self.hostility = min(1.0, m.p.allies.hostility_weight * m.levers["action_against_allies"])


class PakistaniTaliban(ArmedGroup):
    """The TTP: attacks in Pakistan from its Afghan sanctuary (M15, ALI:194, ALI:211b)."""

    target_state = "pakistan"

    def __init__(self, model, group: Group, label: str):
        super().__init__(model, group, label)
        self.attacks_pakistan = 0

    def attack(self) -> None:
        """Attacks grow with strength, fall as the regime acts against the TTP, and rise while
        Pakistan is hostile (strikes and retaliation, ``violence.ttp_escalation``)."""
        m, v = self.model, self.model.p.violence
        sanctuary = 1.0 - v.sanctuary_effect * m.levers["action_against_allies"]
        escalation = 1.0 + v.ttp_escalation * m.neighbour(self.target_state).strikes_ttp()
        rate = v.ttp_attack_rate * self.strength / 1000.0 * sanctuary * escalation
        self.attacks_pakistan = int(m.rng_attacks.poisson(rate))
