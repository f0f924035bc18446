"""Pakistan: a strategic actor with an escalation ladder against the TTP's sanctuary (M15).

Pakistan's pressure to act has three parts, none of them saturating: the level of militant
violence from Afghan soil against what it tolerated before the takeover, the trend of that
violence (a rising wave weighs more than a steady level), and domestic outrage, which each
mass-casualty attack raises and which fades over time. The regime's action against the TTP
meets Pakistan's demands and lowers the pressure. The pressure sets the rung of a ladder
Pakistan wants to stand on (demands, border closure, air strikes, deportations, open
fighting, in that order; Byman 2005 on states facing militants a neighbour hosts; Salehyan
2009 on rebel sanctuaries and the interstate conflict they breed). The order is the record's:
air strikes in Khost and Kunar in April 2022 came a year and a half before the expulsions of
October 2023, and strikes went on beside them (March and December 2024) until the open fighting
of October 2025. Pakistan climbs or
descends one rung at a time, after a random delay, so the month it turns hostile differs
between replicates. Two costs hold it back (Byman 2005; Salehyan 2009): a patron's restraint
toward the regime it long sponsored, in proportion to the value it still sees in its ties with
Kabul (its engagement), so that early coercion is rare while the relationship holds and comes as
it erodes; and the mounting cost of coercion itself (war weariness: the costs of strikes and open
fighting, remembered), so that Pakistan steps down the ladder when violence's level and trend fall
or when fighting has cost it enough. Its grievance against the regime counts the violence above
what it tolerated, without a ceiling, so it can re-engage, and accept an ambassador, once the
violence subsides. A scheduled stance (``external.pakistan_stance``) overrides the ladder's
band: hostile puts it on the border-closure rung or above, wary on demands at most, any
friendlier stance off the ladder.
"""

from __future__ import annotations

from sim.model.states import HOSTILE, WARY, NeighbourState

RUNGS = ("none", "demands", "border closure", "air strikes", "deportations", "open fighting")
DEMANDS, CLOSURE, STRIKES, DEPORTATIONS, FIGHTING = range(1, len(RUNGS))
YEAR = 12.0  # months over which Pakistan remembers the level of violence it compares a wave with


class Pakistan(NeighbourState):
    """Pakistan: engagement like any neighbour, plus pressure and a ladder of coercion (7.4a)."""

    def __init__(self, model, key: str, p):
        super().__init__(model, key, p)
        tolerated = model.p.neighbours.pakistan.tolerated_attacks
        self.recent = self.past_year = tolerated  # attacks a month, remembered over months and over a year
        self.outrage = 0.0
        self.pressure = 0.0
        self.weariness = 0.0  # the cost of strikes and fighting, remembered (pressure units)
        self.rung = 0
        self.massacres = 0

    def step(self, attacks_on_it: float) -> None:
        """Violence remembered, pressure, a rung climbed or descended, then the stance, deportations and its
        backing of the resistance (none at its default ties; ``external.pakistan_sponsorship`` sets it)."""
        self.update_engagement(attacks_on_it)
        self.update_pressure(attacks_on_it)
        self.climb()
        if self.rung >= CLOSURE:
            desired, at_once = HOSTILE, True
        elif self.rung == DEMANDS:
            desired, at_once = WARY, True
        else:
            desired, at_once = max(WARY, self.desired_status()), False
        self.decide(desired, at_once)
        self.fit_rung_to_stance()
        self.deport(self.rung >= DEPORTATIONS)
        self.sponsor()

    def update_pressure(self, attacks_on_it: float) -> None:
        """Pressure = level / tolerated + trend weight x rise / tolerated + outrage - demands met."""
        m, n, pk = self.model, self.model.p.neighbours, self.model.p.neighbours.pakistan
        self.recent += (attacks_on_it - self.recent) / n.threat_memory_months
        self.past_year += (attacks_on_it - self.past_year) / YEAR
        self.massacres = int(m.rng_events.binomial(int(m.ttp.attacks_pakistan), pk.massacre_share))
        self.outrage += pk.outrage * self.massacres - self.outrage / pk.outrage_months
        rise = (self.recent - self.past_year) / pk.tolerated_attacks
        self.pressure = (self.recent / pk.tolerated_attacks + pk.trend_weight * rise + self.outrage
                         - pk.demands_met_weight * m.levers["action_against_allies"])

    def mediated(self, target: float) -> float:
        """China's mediation: Pakistan's engagement target moves ``neighbours.pakistan.mediator_weight``
        of the way toward China's engagement with the regime. China, Pakistan's closest partner and
        engaged with Kabul, brokers their trilateral talks (foreign ministers' dialogue since 2017;
        Islamabad, May 2023; Beijing, May 2025) to secure its investments and extend CPEC."""
        china = self.model.neighbour("china")
        return target + self.model.p.neighbours.pakistan.mediator_weight * (china.engagement - target)

    def grievance(self, attacks_on_it: float) -> float:
        """Pakistan's threat from Afghan soil, 0 to 1: the share of the violence it suffers that
        exceeds what it tolerated (1 - tolerated / attacks), with no ceiling short of 1."""
        tolerated = self.model.p.neighbours.pakistan.tolerated_attacks
        return max(0.0, 1.0 - tolerated / attacks_on_it) if attacks_on_it > 0 else 0.0

    def resolve(self) -> float:
        """Pressure net of its costs: restraint x engagement (a patron's ties to its client) and
        war weariness (Byman 2005)."""
        pk = self.model.p.neighbours.pakistan
        return self.pressure - pk.client_restraint * self.engagement - self.weariness

    def wanted_rung(self) -> int:
        pk = self.model.p.neighbours.pakistan
        resolve = self.resolve()
        if resolve < pk.ladder_start:
            return 0
        return min(FIGHTING, DEMANDS + int((resolve - pk.ladder_start) / pk.ladder_step))

    def climb(self) -> None:
        """One rung toward the wanted one, with probability 1 / ``neighbours.pakistan.step_months`` a month.

        War weariness first moves toward ``neighbours.pakistan.war_cost`` x the intensity of its
        strikes (1 on the air-strike rung, ``fighting_intensity`` in open fighting) over
        ``neighbours.pakistan.outrage_months``: the longer it fights, the more it takes to go on."""
        m, pk = self.model, self.model.p.neighbours.pakistan
        self.weariness += (pk.war_cost * self.strikes_ttp() - self.weariness) / pk.outrage_months
        wanted = self.wanted_rung()
        if wanted != self.rung and m.rng_events.random() < 1.0 / pk.step_months:
            self.rung += 1 if wanted > self.rung else -1

    def fit_rung_to_stance(self) -> None:
        """Keep the ladder inside the band a scheduled stance allows (hostile: closure or above)."""
        if self.model.scheduled(f"{self.key}_stance") is None:
            return
        if self.status == HOSTILE:
            self.rung = max(self.rung, CLOSURE)
        elif self.status == WARY:
            self.rung = min(self.rung, DEMANDS)
        else:
            self.rung = 0

    @property
    def open_border(self) -> float:
        """Trade through Pakistan: part of it lost while the border is closed, all of it in open fighting."""
        if self.rung >= FIGHTING:
            return 0.0
        if self.rung >= CLOSURE:
            return 1.0 - self.model.p.neighbours.pakistan.border_closure_share
        return 1.0

    def strikes_ttp(self) -> float:
        """Intensity of Pakistan's strikes on the TTP on Afghan soil: 1 on the air-strike rung, more in open fighting."""
        if self.rung >= FIGHTING:
            return self.model.p.neighbours.pakistan.fighting_intensity
        return float(self.rung >= STRIKES)
