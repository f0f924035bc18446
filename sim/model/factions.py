"""The Taliban's factions: loyalty that answers to events, and breaks that can cascade.

A faction's loyalty follows what happens to it (M13, M14): the distance between the regime's
policy and its wishes, its pay arrears, its share of posts and revenue, the fighters it
loses (to defection or death), the commanders IS-K kills, and the regime's standing abroad.
A faction's commanders stop obeying, one by one, as its loyalty and the regime's condition
worsen (:mod:`sim.model.commanders`); a commander who goes over takes his share of the
faction's fighters to IS-K, to the armed resistance or into a rivalry of their own
(:func:`take_fighters`).
"""

from __future__ import annotations

import mesa
import numpy as np

from sim.model.fighters import N_GROUPS, Group
from sim.model.params import LEVER_NAMES

HARDLINE_FACTIONS = ("kandahar", "haqqani")  # the conservative leadership and the pro-TTP lobby (ALI:148, ALI:259)
CORE_FACTIONS = ("kandahar", "kabul", "haqqani")  # the Pashtun core whose posts an inclusive government shares (M13)
BREAK_DESTINATIONS = {"rival": Group.RENEGADE, "resistance": Group.RESISTANCE, "isk": Group.ISK}


class TalibanFaction(mesa.Agent):
    """A Taliban faction: preferred policy, posts, strength, loyalty and the memories behind it.

    The Kandahar and Haqqani factions weigh moderation (ALI:148) and action against allies
    (Pashtunwali hospitality and the pro-TTP lobby, ALI:231, ALI:245, ALI:259) more heavily.
    """

    def __init__(self, model, key: str, group: Group, label: str, p):
        super().__init__(model)
        self.key, self.group, self.label = key, group, label
        self.influence, self.base_posts, self.share = p.influence, p.posts_share, p.share
        self.commitment = p.commitment
        self.breaks_to = BREAK_DESTINATIONS[p.breaks_to]
        # the documents give the factions' positions in order, not in numbers: each run draws them around
        # that reading (factions.preference_spread), from a stream of its own
        reading = np.array([getattr(p, f"prefers_{lever}") for lever in LEVER_NAMES])
        spread = model.p.factions.preference_spread
        self.preferred = np.clip(reading + model.rng_preferences.uniform(-spread, spread, reading.size), 0.0, 1.0)
        weights = np.ones(len(LEVER_NAMES))
        if key in HARDLINE_FACTIONS:
            weights[LEVER_NAMES.index("moderation")] += model.p.factions.moderation_weight
            weights[LEVER_NAMES.index("action_against_allies")] += model.p.factions.allies_weight
        self.weights = weights / weights.sum()
        self.strength = model.p.taliban.initial_fighters * p.share
        self.arrears = self.loss_memory = self.commanders_lost = self.defection_memory = 0.0
        self.commanders_killed = 0  # this month
        self.pay_coverage = 1.0
        self.terms: dict[str, float] = {}
        self.loyalty = 1.0  # set from the loyalty target once every faction exists (RegimeModel)
        self.split = False  # half or more of its commanders have gone over

    @property
    def posts_share(self) -> float:
        """Its share of posts and revenue: a core faction's shrinks as inclusion hands posts to outsiders
        (``factions.inclusion_posts`` at full inclusion; M13, Roessler 2016)."""
        if self.key not in CORE_FACTIONS:
            return self.base_posts
        return self.base_posts * (1.0 - self.model.p.factions.inclusion_posts * self.model.levers["inclusion"])

    def grievance(self, policy: np.ndarray) -> float:
        """Weighted distance between a policy vector and this faction's wishes (0 to 1)."""
        return float(self.weights @ np.abs(policy - self.preferred))

    def loyalty_target(self) -> float:
        """The loyalty (0 to 1) that this month's events leave the faction, before the lag (M13).

        Each term is kept in ``self.terms`` so that a break can be traced to its causes.
        """
        m, f = self.model, self.model.p.factions
        fighter_share = self.strength / max(m.taliban_strength(), 1.0)
        self.terms = {
            "policy": f.policy_weight * self.grievance(m.policy_vector()),
            "pay": f.pay_loyalty_weight * self.arrears,
            "losses": f.losses_weight * self.loss_memory,
            "commanders": f.commander_weight * self.commanders_lost,
            "patronage": f.patronage_weight * max(0.0, 1.0 - self.posts_share / max(fighter_share, 1e-9)),
        }
        return min(max(1.0 - sum(self.terms.values()) + f.recognition_weight * m.recognition, 0.0), 1.0)

    def remember(self, losses: float, defections: float) -> None:
        """Update the faction's memories with this month's losses (defected or killed), defections
        (a yearly rate, which its commanders weigh: M1, M13), commanders killed and pay."""
        f = self.model.p.factions
        self.arrears += (1.0 - self.pay_coverage - self.arrears) / f.arrears_months
        self.loss_memory += (losses / max(self.strength, 1.0) - self.loss_memory) / f.loyalty_months
        self.defection_memory += (12.0 * defections / max(self.strength, 1.0) - self.defection_memory) \
            / f.loyalty_months
        self.commanders_lost += self.commanders_killed - self.commanders_lost / f.loyalty_months

    def step(self) -> None:
        """Loyalty moves toward its target with a lag of ``factions.loyalty_months``."""
        self.loyalty += (self.loyalty_target() - self.loyalty) / self.model.p.factions.loyalty_months


def share_pay(m) -> None:
    """Share a short budget between the factions: posts per fighter first (patronage).

    With the budget covering ``C`` of its need (at most 1), faction ``f`` is paid
    ``min(1, k x w_f)`` of its wages, ``w_f = (posts / fighter share)^bias``, with ``k`` set so
    that the wages paid add up to ``C``: what a fully paid faction does not need goes to the
    others, and a full budget pays everyone.
    """
    coverage = min(1.0, m.fiscal_coverage)
    strengths = np.array([f.strength for f in m.factions])
    shares = strengths / max(strengths.sum(), 1.0)
    posts = np.array([f.posts_share for f in m.factions])
    weights = np.maximum(posts / np.maximum(shares, 1e-9), 1e-9) ** m.p.factions.patronage_bias
    paid = np.ones(len(shares))
    capped = np.zeros(len(shares), dtype=bool)
    for _ in range(len(shares)):  # water-filling: at most one pass per faction
        budget = coverage - shares[capped].sum()
        k = budget / max(float(shares[~capped] @ weights[~capped]), 1e-12)
        paid = np.where(capped, 1.0, np.minimum(1.0, k * weights))
        newly = ~capped & (k * weights >= 1.0)
        if not newly.any():
            break
        capped |= newly
    for faction, share in zip(m.factions, paid):
        faction.pay_coverage = float(min(max(share, 0.0), 1.0))


def assign_commanders_killed(m, attacks_on_taliban: int) -> None:
    """IS-K's attacks on the Taliban kill commanders and officials; each falls on a faction
    in proportion to its strength (ALI:130)."""
    killed = m.rng_events.poisson(m.p.factions.commanders_per_attack * attacks_on_taliban)
    strengths = np.array([f.strength for f in m.factions])
    split = m.rng_events.multinomial(killed, strengths / max(strengths.sum(), 1e-9)) if killed else \
        np.zeros(len(m.factions), dtype=int)
    for faction, n in zip(m.factions, split):
        faction.commanders_killed = int(n)
    m.month_flows["commanders_killed"] = float(killed)


def take_fighters(m, faction: TalibanFaction, share: float, destination: Group) -> float:
    """``share`` of a faction's fighters leave it with their commander; returns how many (real-world fighters).

    They follow him to ``destination`` (IS-K, the armed resistance or a rivalry of his own: chosen by
    power, pay and networks, :func:`sim.model.commanders.destination_odds`), except that each goes to
    IS-K with probability hardness x the policy's share of the faction's grievances (ALI:148:
    concessions send hard-liners to IS-K). Those bound for IS-K join one of its cells. They count among
    the fighters of broken-away factions.
    """
    fighters, rng = m.fighters, m.rng_events
    members = np.flatnonzero(fighters.group == faction.group)
    leavers = members[rng.random(members.size) < share]
    negative = sum(faction.terms.values())
    policy_share = faction.terms.get("policy", 0.0) / negative if negative > 0 else 0.0
    to_isk = rng.random(leavers.size) < fighters.hardness[leavers] * policy_share
    destinations = np.where(to_isk, Group.ISK, destination)
    moved = np.bincount(destinations, minlength=N_GROUPS)
    fighters.ledger["defected_out"][faction.group] += leavers.size
    fighters.ledger["defected_in"] += moved
    fighters.group[leavers] = destinations
    joining = leavers[destinations == Group.ISK]  # they join IS-K's cells (en bloc: no budget check)
    fighters.province[joining] = m.isk_cell_provinces(joining.size, rng)
    lost = leavers.size / m.scale
    m.broken_fighters += lost
    faction.strength -= lost
    m.month_flows["split_fighters_to_isk"] += moved[Group.ISK] / m.scale
    return lost
