"""The regime's commanders: who still obeys, who stands aside, who goes over.

A regime does not fall when an index crosses a line; it falls when the men who command its
armed power stop obeying it, each when he expects it to lose. Each commander belongs to a
faction and has a threshold of his own, drawn once (threshold models of collective action:
Granovetter 1978; preference falsification and sudden revolutions: Kuran 1991). Every month
he reads the regime's condition as his faction lives it (its loyalty, its unpaid wages), the
country's (the civil war, the ground lost, the factions that have broken away), how many
commanders have already gone, in his faction and in all (alliances shift toward the likely
winner: Christia 2012), and a private reading of his own. Above his threshold he stands
aside: his men stop fighting for the regime. Well above it, having stood aside a month, he goes over with his men, where
the side that can pay and protect him and that he expects to win (:func:`destination_odds`: IS-K, its
money and its hold on hard-liners; an armed resistance only as strong as its sponsors; or a rivalry of
his own), weighed with where his faction's networks lead (Christia 2012; Salehyan 2009; Staniland 2014).
His own men leaving (for IS-K, ALI:148) feeds his doubts. Below his threshold again, a commander who
stood aside returns; one who went over does not.

The regime falls when the commanders who still obey lead less than ``survival.command_share``
of the armed power in the country, or when it loses the capital. It has split when more of the
commanders who stopped obeying went over than stood aside; otherwise the cause of the fall is the
condition that weighed most in the commanders' doubts in the months before the cascade began.
"""

from __future__ import annotations

import numpy as np

from sim.model.factions import HARDLINE_FACTIONS, take_fighters
from sim.model.fighters import Group

from sim.model.mechanisms.survival import CAUSES as CONDITIONS  # the conditions a commander weighs
OBEYS, ASIDE, GONE = 0, 1, 2
DESTINATIONS = (Group.ISK, Group.RESISTANCE, Group.RENEGADE)  # where a commander who goes over can go


class Commanders:
    """The regime's commanders as arrays: faction, threshold, and state (obeys, stands aside, gone).

    The number of commanders is fixed (``survival.commanders``, shared between the factions by
    their fighters) and does not change with the model's scale.
    """

    def __init__(self, m):
        s = m.p.survival
        shares = np.array([f.share for f in m.factions])
        self.n_factions = len(shares)
        self.faction = np.repeat(np.arange(self.n_factions), _apportion(int(s.commanders), shares))
        commitment = np.array([f.commitment for f in m.factions])
        self.threshold = (s.threshold_mean + commitment[self.faction]
                          + s.threshold_spread * m.rng_setup.standard_normal(self.faction.size))
        self.state = np.full(self.faction.size, OBEYS, dtype=np.int8)
        self.doubts = np.zeros(len(CONDITIONS))  # each condition's weight in recent departures
        self.split_before_onset = False

    def obeying(self) -> np.ndarray:
        """Per faction, the share of its commanders still in it who obey (0 when none is left)."""
        present = self.state != GONE
        n = np.bincount(self.faction[present], minlength=self.n_factions).astype(float)
        obey = np.bincount(self.faction[self.state == OBEYS], minlength=n.size)
        return np.divide(obey, n, out=np.zeros(n.size), where=n > 0)

    def share(self, state: int) -> float:
        """Share of all the regime's commanders (at the takeover) in a state."""
        return float((self.state == state).mean())

    def conditions(self, m) -> np.ndarray:
        """Each faction's reading of the regime's condition, shape (factions, CONDITIONS)."""
        s = m.p.survival
        n = len(m.factions)
        c = np.zeros((n, len(CONDITIONS)))
        c[:, 0] = s.split_weight * m.broken_fighters / m.p.taliban.initial_fighters
        c[:, 2] = s.civil_war_weight * m.civil_war
        c[:, 3] = [s.pay_weight * max(0.0, f.arrears - s.tolerated_arrears) for f in m.factions]
        c[:, 4] = s.territory_weight * ground_lost(m)
        c[:, 1] = s.defection_weight * np.array([f.defection_memory for f in m.factions])  # his men leaving (M1, M13)
        for i, f in enumerate(m.factions):  # disloyalty, shared out by what drives it (7.2)
            c[i, [1, 3, 4]] += s.loyalty_weight * (1.0 - f.loyalty) * _grievance_shares(f.terms)
        return c

    def step(self, m) -> None:
        """Each commander reads the regime's condition and decides to obey, stand aside or go over."""
        s, rng = m.p.survival, m.rng_events
        conditions = self.conditions(m)
        before_onset = (self.state == OBEYS).mean() >= s.onset_share  # the cascade's causes, not its consequences
        present = self.state != GONE
        gone_all = 1.0 - float((self.state == OBEYS).mean())
        counts = np.bincount(self.faction[present], minlength=len(m.factions)).astype(float)
        gone_faction = 1.0 - self.obeying()
        bandwagon = s.bandwagon * (0.5 * gone_all + 0.5 * gone_faction[self.faction])
        signal = conditions.sum(axis=1)[self.faction] + bandwagon \
            + s.private_noise * rng.standard_normal(self.faction.size)
        leaves = present & (self.state == OBEYS) & (signal > self.threshold)
        returns = (self.state == ASIDE) & (signal <= self.threshold)
        over = (self.state == ASIDE) & (signal > self.threshold + s.defection_margin)  # after a month aside
        self.state[leaves] = ASIDE
        self.state[returns] = OBEYS
        if over.any():
            odds = destination_odds(m)
            for index in np.flatnonzero(over):
                f = self.faction[index]
                destination = DESTINATIONS[int(rng.choice(len(DESTINATIONS), p=odds[f]))]
                take_fighters(m, m.factions[f], 1.0 / max(counts[f], 1.0), destination)
                m.month_flows[f"commanders_to_{FLOW_NAMES[destination]}"] += 1.0
                counts[f] -= 1
        self.state[over] = GONE
        for f, faction in enumerate(m.factions):
            if not faction.split and (self.state[self.faction == f] == GONE).mean() >= 0.5:
                faction.split = True  # half its commanders have gone over: the faction has broken away
                self.split_before_onset |= before_onset and faction.breaks_to != Group.RESISTANCE
                m.month_flows["faction_splits"] += 1.0
        if before_onset:
            self.doubts *= 1.0 - 1.0 / s.doubt_memory_months
            self.doubts += conditions[self.faction[present]].mean(axis=0)

    def commanded(self, m) -> float:
        """The regime's obeying forces: each faction's fighters times the share of its commanders who obey."""
        return sum(f.strength * share for f, share in zip(m.factions, self.obeying()))

    def commanded_share(self, m) -> float:
        """The regime's obeying forces over all the armed power in the country."""
        return self.commanded(m) / max(m.taliban_strength() + m.rival_fighters(), 1.0)

    def cause(self) -> str:
        """Why the regime fell. A regime split when a faction split (half its commanders went over)
        into a rivalry of its own or to IS-K before the cascade began (a faction going over to the armed
        resistance is the civil war), or when more of the commanders who stopped obeying went over with their men than stood aside; otherwise the cause is the condition that weighed most in the
        commanders' doubts over the ``survival.doubt_memory_months`` before the cascade began (while at least ``survival.onset_share`` still obeyed): what drove the cascade, not
        what it brought about."""
        if (self.state == GONE).sum() > (self.state == ASIDE).sum() or self.split_before_onset:
            return "regime split"
        drivers = self.doubts[1:]  # the split itself is the outcome tested above
        return CONDITIONS[1 + int(np.argmax(drivers))] if drivers.any() else "loss of territory"

FLOW_NAMES = {Group.ISK: "isk", Group.RESISTANCE: "resistance", Group.RENEGADE: "rival"}


def destination_odds(m) -> np.ndarray:
    """For each faction, the probabilities that a commander who goes over joins IS-K, the armed
    resistance or a rivalry of his own, shape (factions, 3): a logit over

    - power: ``survival.power_weight`` x log of the side's share of armed power once he joins (he joins
      the side he expects to win: Christia 2012);
    - pay: ``survival.pay_pull`` x what the side can pay his men relative to the regime's full pay (IS-K:
      ``isk.relative_pay`` while its cash lasts; the resistance: ``resistance.sponsored_pay`` x its
      sponsors' backing; a rivalry: ``survival.rival_rents``), Weinstein 2007, Salehyan 2009;
    - room: log of the share of newcomers the side can take on (IS-K: what its money supports; the
      resistance: its room under its sponsored capacity), as for single fighters;
    - networks and creed: ``survival.network_weight`` toward where the faction's networks lead (``breaks_to``),
      the faction's ties to IS-K (``isk_affinity``) less the step of joining a creed that calls the Taliban
      apostates (``survival.creed_gap`` x its softness), and, for the hard-line factions, the policy's
      ideological grievance (M1, ALI:148: the regime's compromises send hard-liners to IS-K).
    """
    from sim.model.mechanisms.choices import ideological_grievance
    from sim.model.mechanisms.recruitment import resistance_room
    s, p = m.p.survival, m.p
    regime = m.commanders.commanded(m)
    grievance = ideological_grievance(m)
    pay = np.array([p.isk.relative_pay * (1.0 - m.isk.unpaid),
                    p.resistance.sponsored_pay * m.resistance_sponsorship, s.rival_rents])
    room = np.log(np.maximum([m.isk.acceptance(), resistance_room(m), 1.0], 1e-3))
    odds = np.zeros((len(m.factions), len(DESTINATIONS)))
    c = m.commanders
    present = np.bincount(c.faction[c.state != GONE], minlength=len(m.factions))
    for i, f in enumerate(m.factions):
        men = f.strength / max(present[i], 1)  # the men a commander takes with him
        sides = np.array([m.isk.strength, m.groups[Group.RESISTANCE].strength, 0.0])  # a rivalry: his men alone
        power = np.log(np.maximum(sides + men, 1.0) / (sides + men + max(regime, 1.0)))
        ties = s.network_weight * np.array([DESTINATIONS[k] == f.breaks_to for k in range(3)], dtype=float)
        ties[0] += getattr(p.factions, f.key).isk_affinity - s.creed_gap * (1.0 - getattr(p.factions, f.key).mean_hardness)
        if f.key in HARDLINE_FACTIONS:
            ties[0] += p.fighters.hardline_weight * getattr(p.factions, f.key).mean_hardness * grievance
        u = s.power_weight * power + s.pay_pull * pay + room + ties
        e = np.exp(u - u.max())
        odds[i] = e / e.sum()
    return odds


def _grievance_shares(terms: dict[str, float]) -> np.ndarray:
    """The shares of a faction's grievances that come from policy, posts and the men it loses to defection
    and death (cohesion), from unpaid wages (fiscal) and from the commanders IS-K kills (territory)."""
    parts = np.array([terms.get("policy", 0.0) + terms.get("patronage", 0.0) + terms.get("losses", 0.0),
                      terms.get("pay", 0.0), terms.get("commanders", 0.0)])
    total = parts.sum()
    return parts / total if total > 0 else np.array([1.0, 0.0, 0.0])


def ground_lost(m) -> float:
    """Share of the population living where the regime no longer holds the balance of force."""
    return float(m.geo.population_share @ (m.control < m.p.survival.held_control))



def _apportion(n: int, shares: np.ndarray) -> np.ndarray:
    """Whole numbers that add up to ``n`` in proportion to ``shares`` (largest remainders)."""
    exact = n * shares / shares.sum()
    counts = np.floor(exact).astype(int)
    counts[np.argsort(counts - exact)[: n - counts.sum()]] += 1
    return counts
