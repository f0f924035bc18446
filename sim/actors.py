"""The group-level actors, as Mesa agents: Taliban factions, armed groups, states, donors.

Individual fighters are arrays (:mod:`sim.fighters`); the dozen actors that decide as
groups are Mesa agents, each with its own state and rule. The model calls their rules in
the order of its schedule (:meth:`sim.model.RegimeModel.step`).
"""

from __future__ import annotations

import math

import mesa
import numpy as np

from .fighters import Group
from .params import LEVER_NAMES


class TalibanFaction(mesa.Agent):
    """A Taliban faction (M13, M14): a preferred policy, a strength and a loyalty.

    Its grievance is the weighted distance between the regime's policy and its own wishes;
    its loyalty follows ``1 - grievance - pay_loyalty_weight * unpaid share`` with a lag.
    The Kandahar and Haqqani factions weigh action against allies more heavily
    (Pashtunwali hospitality and the pro-TTP lobby, ALI:231, ALI:245, ALI:259).
    """

    def __init__(self, model, key: str, group: Group, label: str, p):
        super().__init__(model)
        self.key, self.group, self.label = key, group, label
        self.influence = p.influence
        self.preferred = np.array([getattr(p, f"prefers_{lever}") for lever in LEVER_NAMES])
        weights = np.ones(len(LEVER_NAMES))
        if key in ("kandahar", "haqqani"):
            weights[LEVER_NAMES.index("action_against_allies")] += model.p.factions.allies_weight
        self.weights = weights / weights.sum()
        self.loyalty = 1.0 - self.grievance(model.policy_vector())
        self.strength = 0.0

    def grievance(self, policy: np.ndarray) -> float:
        """Weighted distance between a policy vector and this faction's wishes (0 to 1)."""
        return float(self.weights @ np.abs(policy - self.preferred))

    def step(self) -> None:
        """Loyalty moves toward what the current policy and pay leave it (M13)."""
        m = self.model
        target = 1.0 - self.grievance(m.policy_vector()) - m.p.factions.pay_loyalty_weight * m.pay_shortfall
        self.loyalty += (min(max(target, 0.0), 1.0) - self.loyalty) / m.p.factions.loyalty_months


class ArmedGroup(mesa.Agent):
    """A non-regime armed group: IS-K, the TTP, Al-Qaeda, Central Asian militants, the NRF.

    Its fighters live in :class:`sim.fighters.Fighters`; the agent holds the group's
    aggregate state (strength in real-world fighters, hostility to the regime).
    """

    def __init__(self, model, group: Group, label: str):
        super().__init__(model)
        self.group, self.label = group, label
        self.strength = 0.0
        self.hostility = 0.0

    def step(self) -> None:
        """Allied groups turn against the regime as it acts against them (M3, ALI:243)."""
        if self.group in (Group.TTP, Group.AL_QAEDA, Group.CENTRAL_ASIAN):
            m = self.model
            self.hostility = min(1.0, m.p.allies.hostility_weight * m.levers["action_against_allies"])


class IslamicStateKhorasan(ArmedGroup):
    """IS-K: attacks inside Afghanistan by target, and across the borders (M12, M20)."""

    def attack(self) -> None:
        """Draw this month's attacks from IS-K's strength.

        Attacks grow with strength (calibrated to 141-170 attacks in 2022, ALI:79,
        ALI:132) and rise as the regime moderates or cooperates with foreign powers
        (spoiling, Kydd and Walter 2006). Targets: Taliban (72%, ALI:132), foreign targets
        inside Afghanistan (ALI:146), civilians and minorities (the rest, M20); attacks
        abroad fall on the neighbours by ``ABROAD_TARGETS`` (ALI:29b, ALI:146, TRT:41).
        """
        m, v = self.model, self.model.p.violence
        spoiling = 1.0 + v.spoiler_effect * (m.levers["moderation"] + m.levers["foreign_cooperation"]) / 2
        rate = v.isk_attack_rate * self.strength / 1000.0 * spoiling
        shares = np.array([v.taliban_target_share, v.foreign_target_share])
        shares = np.append(shares, max(0.0, 1.0 - shares.sum()))
        taliban, foreign, civilian = m.rng_attacks.multinomial(m.rng_attacks.poisson(rate), shares / shares.sum())
        abroad = m.rng_attacks.poisson(v.abroad_attack_rate * self.strength / 1000.0)
        self.attacks = {"taliban": int(taliban), "foreign": int(foreign), "civilian": int(civilian)}
        self.attacks_abroad = m.rng_attacks.multinomial(abroad, ABROAD_TARGETS)


# Share of IS-K's cross-border attacks falling on each neighbour (order of
# geography.NEIGHBOUR_STATES: Pakistan, Iran, China, Russia, Uzbekistan, Tajikistan).
# Assumption from the documented pattern: mostly Pakistan (ALI:29 Bajaur), then Iran
# (TRT:43), Central Asia (ALI:29b, TRT:41) and Russia (ALI:29, Moscow 2024); none in China.
ABROAD_TARGETS = np.array([0.5, 0.2, 0.0, 0.1, 0.1, 0.1])


class PakistaniTaliban(ArmedGroup):
    """The TTP: attacks in Pakistan from its Afghan sanctuary (M15, ALI:194, ALI:211b)."""

    def attack(self) -> None:
        """Attacks grow with strength and fall as the regime acts against the TTP."""
        m, v = self.model, self.model.p.violence
        sanctuary = 1.0 - v.sanctuary_effect * m.levers["action_against_allies"]
        self.attacks_pakistan = int(m.rng_attacks.poisson(v.ttp_attack_rate * self.strength / 1000.0 * sanctuary))


class NeighbourState(mesa.Agent):
    """A neighbouring state: threat perception from attacks, and engagement with the regime.

    Threat follows the attacks launched on it from Afghan soil (IS-K everywhere, and the
    TTP for Pakistan) (M12, M15). Engagement moves toward a target made of a base level
    (TRT:17), the value of a weak IS-K as a card (an inverted U in IS-K's strength, M8,
    EER:12), the regime's action against the groups it fears, and minus its threat.
    """

    def __init__(self, model, name: str, feared_levers: tuple[str, ...]):
        super().__init__(model)
        self.name = name
        self.feared_levers = feared_levers
        self.threat = 0.0
        self.engagement = model.p.neighbours.base_engagement

    def step(self, attacks_on_it: float) -> None:
        m, n = self.model, self.model.p.neighbours
        self.threat += (min(attacks_on_it / n.threat_scale, 1.0) - self.threat) / n.threat_memory_months
        x = m.groups[Group.ISK].strength / n.isk_card_peak
        card = x * math.exp(1.0 - x)  # peaks at 1 when IS-K is at isk_card_peak
        action = sum(m.levers[lever] for lever in self.feared_levers) / len(self.feared_levers)
        target = (n.base_engagement + n.isk_card_gain * card + n.counterterrorism_gain * action
                  - n.attack_grievance * self.threat)
        self.engagement += (min(max(target, 0.0), 1.0) - self.engagement) / m.p.donors.lag_months


# What each neighbour wants the regime to act against (ATI:51, ALI:101): Pakistan the TTP,
# China the ETIM, Central Asia the IMU and IS-K, Iran and Russia IS-K.
FEARED_LEVERS = {
    "Pakistan": ("action_against_allies",),
    "Iran": ("crackdown_isk",),
    "China": ("action_against_allies",),
    "Russia": ("crackdown_isk",),
    "Uzbekistan": ("crackdown_isk", "action_against_allies"),
    "Tajikistan": ("crackdown_isk", "action_against_allies"),
}


class WesternDonors(mesa.Agent):
    """Western donors: engagement, development aid and humanitarian aid (M2, M5, M9, M20).

    Engagement moves toward a weighted sum of moderation (M2, ALI:83), inclusion (M9,
    TRT:23) and credible counter-terrorism (M5, ATI:55), less damage from sectarian attacks
    (M20). Development aid returns as engagement^conditionality of its pre-takeover level;
    humanitarian aid follows the ``external.humanitarian_aid`` lever.
    """

    def __init__(self, model):
        super().__init__(model)
        self.engagement = 0.0
        self.development_aid = 0.0
        self.humanitarian_aid = 0.0

    def counterterrorism_credibility(self) -> float:
        lv = self.model.levers
        return (lv["crackdown_isk"] + lv["action_against_allies"] + lv["foreign_cooperation"]) / 3.0

    def step(self, sectarian_attacks: float) -> None:
        m, d = self.model, self.model.p.donors
        lv = m.levers
        target = (d.moderation_weight * lv["moderation"] + d.inclusion_weight * lv["inclusion"]
                  + d.counterterrorism_weight * self.counterterrorism_credibility()
                  - d.sectarian_damage * sectarian_attacks / 10.0)
        self.engagement += (min(max(target, 0.0), 1.0) - self.engagement) / d.lag_months
        self.development_aid = m.p.economy.development_aid_pre_takeover * self.engagement ** d.aid_conditionality
        self.humanitarian_aid = m.p.economy.humanitarian_aid_documented * lv["humanitarian_aid"]
