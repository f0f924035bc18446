"""The states around the regime: Western donors with a conditional offer, and regional states
that weigh their interests and take discrete steps, with uncertainty (Pakistan, with its
escalation ladder, has a module of its own: :mod:`sim.model.pakistan`).

A scenario can set any of these states on a date schedule (``external.<state>_stance``,
``external.western_recognition``, ``external.<state>_deportation``); for those months the
actor's own rule is overridden (:meth:`sim.model.model.RegimeModel.scheduled`).
"""

from __future__ import annotations

import math

import mesa

from sim.model.params import STANCES as STATUSES
from sim.model.params import STATE_NAMES

HOSTILE, WARY, ENGAGED, AMBASSADOR, RECOGNISED = range(len(STATUSES))


class NeighbourState(mesa.Agent):
    """A regional state: a neighbour, a major power or a Gulf state (M8, M11, M12, M15).

    Its engagement moves toward a target made of a base level (TRT:17), the value of a weak
    IS-K as a card (an inverted U in IS-K's strength, M8, EER:12), the regime's action
    against the groups it fears, the space a rival of the West can fill, minus its threat
    from attacks launched from Afghan soil, plus a persistent random shock (its own reading of
    its interests, ``neighbours.interest_noise``), so that replicates differ. Engagement maps
    to a status (hostile, wary, engaged, ambassador accepted, recognised); the formal steps
    need ``recognition_reluctance`` more engagement for this state. The state takes one step
    at a time toward the status it wants, a stochastic event with mean delay
    ``neighbours.step_months`` (``neighbours.recognition_months`` for recognition). A hostile
    state closes its border (trade), deports Afghans (need) and, if it is the TTP's target,
    strikes the TTP on Afghan soil. A scheduled stance overrides all of this.
    """

    def __init__(self, model, key: str, p):
        super().__init__(model)
        self.key, self.name = key, STATE_NAMES.get(key, key.capitalize())
        self.trade_share, self.isk_target_weight = p.trade_share, p.isk_target_weight
        self.fears_isk, self.fears_allies, self.west_rivalry = p.fears_isk, p.fears_allies, p.west_rivalry
        self.refugees = p.afghan_refugees
        self.reluctance = p.recognition_reluctance
        self.threat = self.shock = 0.0
        self.engagement = model.p.neighbours.base_engagement
        self.status = self.desired_status()
        self.deported = 0.0
        self.resistance_ties = p.resistance_ties
        self.sponsorship = 0.0  # its backing of the armed resistance, 0-1
        self.stepped = 0  # +1 a step toward the regime this month, -1 away, 0 none

    def desired_status(self) -> int:
        """The status its engagement calls for. A formal step needs its threshold plus its reluctance,
        less what the others' steps spare it (Coggins 2014: the first state to break the consensus
        pays its cost alone, later ones follow): ``neighbours.consensus_cost`` x the share of the other
        states that have taken the step. The thresholds are a first mover's (China's ambassador,
        Russia's recognition), so the first pays no more than they say."""
        n = self.model.p.neighbours
        ambassador = n.ambassador_above + self.reluctance - n.consensus_cost * self.others_at(AMBASSADOR)
        recognise = n.recognise_above + self.reluctance - n.consensus_cost * self.others_at(RECOGNISED)
        thresholds = (n.engage_above, ambassador, recognise)
        e = self.engagement
        if e < n.hostile_below:
            return HOSTILE
        return WARY + sum(e >= t for t in thresholds)

    def others_at(self, status: int) -> float:
        """Share of the other regional states at ``status`` or beyond (0 before the model's states exist)."""
        others = [n for n in getattr(self.model, "neighbours", ()) if n is not self]
        return sum(n.status >= status for n in others) / len(others) if others else 0.0

    def action_on_its_fears(self) -> float:
        lv, total = self.model.levers, self.fears_isk + self.fears_allies
        if total == 0:
            return 0.0
        return (self.fears_isk * lv["crackdown_isk"] + self.fears_allies * lv["action_against_allies"]) / total

    def step(self, attacks_on_it: float) -> None:
        self.update_engagement(attacks_on_it)
        self.decide(self.desired_status())
        self.deport(self.status == HOSTILE)
        self.sponsor()

    def sponsor(self) -> None:
        """Back the armed resistance: as the scenario schedules (``external.<state>_sponsorship``), or, left
        to itself, only while hostile, as far as its ties to it go (Salehyan 2009: rebellions live on
        their neighbours' sanctuary and money)."""
        m = self.model
        scheduled = m.scheduled(f"{self.key}_sponsorship")
        hostile = self.resistance_ties * m.p.neighbours.hostile_sponsorship * (self.status == HOSTILE)
        self.sponsorship = scheduled if scheduled is not None else hostile

    def update_engagement(self, attacks_on_it: float) -> None:
        """Threat, the interest shock and engagement (7.4)."""
        m, n = self.model, self.model.p.neighbours
        self.threat += (self.grievance(attacks_on_it) - self.threat) / n.threat_memory_months
        persistence = math.exp(-1.0 / n.engagement_months)
        self.shock = persistence * self.shock + n.interest_noise * math.sqrt(1.0 - persistence ** 2) \
            * m.rng_events.standard_normal()
        x = m.isk.strength / n.isk_card_peak
        card = x * math.exp(1.0 - x)  # peaks at 1 when IS-K is at isk_card_peak
        target = (n.base_engagement + n.isk_card_gain * card + n.counterterrorism_gain * self.action_on_its_fears()
                  + n.rivalry_gain * self.west_rivalry * (1.0 - m.donors.engagement)
                  - n.attack_grievance * self.threat + self.shock)
        target = self.mediated(target)
        self.engagement += (min(max(target, 0.0), 1.0) - self.engagement) / n.engagement_months

    def mediated(self, target: float) -> float:
        """The engagement target after a partner's mediation (none for most states; see :class:`Pakistan`)."""
        return target

    def grievance(self, attacks_on_it: float) -> float:
        """This month's threat from attacks launched from Afghan soil, 0 to 1 (full at ``neighbours.threat_scale``)."""
        return min(attacks_on_it / self.model.p.neighbours.threat_scale, 1.0)

    def decide(self, desired: int, at_once: bool = False) -> None:
        """Take a step toward ``desired`` (at once, or with a random delay), unless the scenario sets the stance."""
        m, n = self.model, self.model.p.neighbours
        before = self.status
        scheduled = m.scheduled(f"{self.key}_stance")
        if scheduled is not None:
            self.status = int(scheduled)
        elif desired != self.status:
            up = desired > self.status
            delay = n.recognition_months if up and self.status == AMBASSADOR else n.step_months
            if at_once or m.rng_events.random() < 1.0 / delay:
                self.status += 1 if up else -1
        self.stepped = (self.status > before) - (self.status < before)

    def deport(self, campaign: bool) -> None:
        """Deport a share of the Afghans living here: a scheduled campaign, or while ``campaign`` holds."""
        m = self.model
        scheduled = m.scheduled(f"{self.key}_deportation") if self.refugees > 0 else None
        rate = scheduled if scheduled is not None else m.p.neighbours.deportation_rate * campaign
        self.deported = rate * self.refugees
        self.refugees -= self.deported

    @property
    def open_border(self) -> float:
        """Share of this state's trade with Afghanistan that flows (0 while hostile)."""
        return float(self.status != HOSTILE)

    def strikes_ttp(self) -> float:
        """Intensity of strikes on the TTP on Afghan soil (only Pakistan strikes, :mod:`sim.model.pakistan`)."""
        return 0.0


class WesternDonors(mesa.Agent):
    """Western donors: a conditional offer, remembered record and credibility (M2, M5, M9, M20).

    Each month the regime's compliance is a weighted sum of moderation (M2, ALI:83),
    inclusion (M9, TRT:23) and credible counter-terrorism (M5, ATI:55). Donors remember it
    as a record (a lag of ``donors.record_months``); a reversal (compliance falling below the
    record by more than the tolerance) costs a share of credibility once, when it begins;
    credibility is rebuilt slowly while no reversal is open. Sectarian and
    spectacular attacks leave a remembered insecurity (M20). Engagement = record x
    credibility - insecurity.

    Under ``donors.mode = "conditional"`` engagement earns the offer: sanctions relief above
    ``relief_threshold``, the frozen reserves above ``reserves_threshold`` (released once),
    and development aid above ``aid_threshold``. Under ``"fixed"`` the scenario's
    ``external.*`` levers hold and development aid follows engagement. Humanitarian aid is
    its own budget (``external.humanitarian_aid``) in either mode.
    """

    def __init__(self, model):
        super().__init__(model)
        self.compliance = self.record = self.engagement = self.insecurity = 0.0
        self.credibility = 1.0
        self.relief = 0.0
        self.reserves_released = False
        self.reversal = False
        self.development_aid = self.humanitarian_aid = 0.0
        self.apply_offer()

    def counterterrorism_credibility(self) -> float:
        lv = self.model.levers
        return (lv["crackdown_isk"] + lv["action_against_allies"] + lv["foreign_cooperation"]) / 3.0

    def step(self, civilian_attacks: float, spectacular_attacks: float) -> None:
        m, d = self.model, self.model.p.donors
        lv = m.levers
        self.compliance = min(1.0, d.moderation_weight * lv["moderation"] + d.inclusion_weight * lv["inclusion"]
                              + d.counterterrorism_weight * self.counterterrorism_credibility())
        reversing = self.compliance < self.record - d.reversal_tolerance
        if reversing and not self.reversal:  # a new reversal costs credibility once
            self.credibility *= 1.0 - d.reversal_penalty
        elif not reversing:
            self.credibility += (1.0 - self.credibility) / d.credibility_months
        self.reversal = reversing
        self.record += (self.compliance - self.record) / d.record_months
        damage = d.sectarian_damage * civilian_attacks + m.p.violence.spectacular_shock * spectacular_attacks
        self.insecurity += (min(damage, 1.0) - self.insecurity) / d.record_months
        self.engagement = max(0.0, self.record * self.credibility - self.insecurity)
        scheduled = m.scheduled("western_recognition")
        if scheduled is not None:  # the scenario sets the West's engagement (e.g. recognition without conditions)
            self.engagement = scheduled
        self.apply_offer()

    def apply_offer(self) -> None:
        """Set the sanctions, reserves and aid the model's economy sees this month."""
        m, d, e = self.model, self.model.p.donors, self.model.p.economy
        lv = m.levers
        earned = _above(self.engagement, d.aid_threshold)
        if d.mode == "conditional":
            self.relief = _above(self.engagement, d.relief_threshold)
            self.reserves_released = self.reserves_released or self.engagement >= d.reserves_threshold
            m.sanctions = lv["sanctions"] * (1.0 - self.relief)
            m.assets_released = max(lv["assets_released"], float(self.reserves_released))
        else:
            earned = self.engagement
            m.sanctions, m.assets_released = lv["sanctions"], lv["assets_released"]
        self.development_aid = e.development_aid_pre_takeover * earned ** d.aid_conditionality
        self.humanitarian_aid = e.humanitarian_aid_documented * lv["humanitarian_aid"]


def _above(value: float, threshold: float) -> float:
    """How far ``value`` is from ``threshold`` toward 1, from 0 (at or below) to 1."""
    return min(1.0, max(0.0, (value - threshold) / max(1.0 - threshold, 1e-9)))
