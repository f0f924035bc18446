"""The states around the regime: Western donors with a conditional offer, and neighbours
that weigh their interests and take discrete steps."""

from __future__ import annotations

import math

import mesa


STATUSES = ("hostile", "wary", "engaged", "ambassador", "recognised")
HOSTILE, WARY, ENGAGED, AMBASSADOR, RECOGNISED = range(len(STATUSES))


class NeighbourState(mesa.Agent):
    """A neighbouring state or major power (M8, M11, M12, M15).

    Its engagement moves toward a target made of a base level (TRT:17), the value of a weak
    IS-K as a card (an inverted U in IS-K's strength, M8, EER:12), the regime's action
    against the groups it fears, the space a rival of the West can fill, and minus its
    threat from attacks launched from Afghan soil. Engagement maps to a status (hostile,
    wary, engaged, ambassador accepted, recognised); the state takes one step at a time
    toward it, a stochastic event with mean delay ``neighbours.step_months``. A hostile
    state closes its border (trade), deports Afghans (need) and, if it is the TTP's target,
    strikes the TTP on Afghan soil.
    """

    def __init__(self, model, key: str, p):
        super().__init__(model)
        self.key, self.name = key, key.capitalize()
        self.trade_share, self.isk_target_weight = p.trade_share, p.isk_target_weight
        self.fears_isk, self.fears_allies, self.west_rivalry = p.fears_isk, p.fears_allies, p.west_rivalry
        self.refugees = p.afghan_refugees
        self.threat = 0.0
        self.engagement = model.p.neighbours.base_engagement
        self.status = self.desired_status()
        self.deported = 0.0
        self.stepped = 0  # +1 a step toward the regime this month, -1 away, 0 none

    def desired_status(self) -> int:
        n = self.model.p.neighbours
        thresholds = (n.hostile_below, n.engage_above, n.ambassador_above, n.recognise_above)
        e = self.engagement
        if e < thresholds[0]:
            return HOSTILE
        return WARY + sum(e >= t for t in thresholds[1:])

    def action_on_its_fears(self) -> float:
        lv, total = self.model.levers, self.fears_isk + self.fears_allies
        if total == 0:
            return 0.0
        return (self.fears_isk * lv["crackdown_isk"] + self.fears_allies * lv["action_against_allies"]) / total

    def step(self, attacks_on_it: float) -> None:
        m, n = self.model, self.model.p.neighbours
        self.threat += (min(attacks_on_it / n.threat_scale, 1.0) - self.threat) / n.threat_memory_months
        x = m.isk.strength / n.isk_card_peak
        card = x * math.exp(1.0 - x)  # peaks at 1 when IS-K is at isk_card_peak
        target = (n.base_engagement + n.isk_card_gain * card + n.counterterrorism_gain * self.action_on_its_fears()
                  + n.rivalry_gain * self.west_rivalry * (1.0 - m.donors.engagement)
                  - n.attack_grievance * self.threat)
        self.engagement += (min(max(target, 0.0), 1.0) - self.engagement) / n.engagement_months
        desired = self.desired_status()
        self.stepped = 0
        if desired != self.status and m.rng_events.random() < 1.0 / n.step_months:
            self.stepped = 1 if desired > self.status else -1
            self.status += self.stepped
        self.deported = 0.0
        if self.status == HOSTILE and self.refugees > 0:
            self.deported = n.deportation_rate * self.refugees
            self.refugees -= self.deported

    @property
    def open_border(self) -> bool:
        return self.status != HOSTILE

    def strikes_ttp(self) -> bool:
        """A hostile state that the TTP attacks strikes it on Afghan soil (M15)."""
        return self.status == HOSTILE and self.key == self.model.ttp.target_state


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
