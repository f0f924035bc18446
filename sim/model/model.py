"""The regime-survival model: a Mesa model whose ``step()`` is the monthly schedule.

One step is one month; month 0 is August 2021. See ``docs/ODD.md`` for the full
description (Overview, Design concepts, Details) and :mod:`sim.model.params` for every parameter.
"""

from __future__ import annotations

from collections import deque

import mesa
import numpy as np

from sim.model import factions as faction_rules
from sim.model import geography
from sim.model.actors import ArmedGroup, PakistaniTaliban
from sim.model.calendar import month_date
from sim.model.commanders import ASIDE, GONE, Commanders, ground_lost
from sim.model.factions import TalibanFaction
from sim.model.fighters import N_GROUPS, OPPOSITION, Fighters, Group, Motive, beta_draws
from sim.model.geography import ETHNICITIES, NEIGHBOUR_STATES
from sim.model import shocks
from sim.model.isk import IslamicStateKhorasan
from sim.model.mechanisms import choices, conflict, economy, movement, policy, recruitment, survival
from sim.model.outcomes import OUTCOMES
from sim.model.pakistan import Pakistan
from sim.model.params import (ACTOR_STATES, EXTERNAL_INPUTS, FACTIONS, LEVER_NAMES, NEIGHBOUR_KEYS, STATE_KEYS,
                              Parameters)
from sim.model.states import STATUSES, NeighbourState, WesternDonors

FACTION_LABELS = {
    "kandahar": (Group.KANDAHAR, "Kandahar leadership", ("south",)),
    "kabul": (Group.KABUL, "Kabul pragmatists", ("central",)),
    "haqqani": (Group.HAQQANI, "Haqqani network", ("southeast",)),
    "northern": (Group.NORTHERN, "Tajik and Uzbek Taliban", ("north", "northeast")),
}
RESISTANCE_STRONGHOLDS = ("Panjshir", "Parwan", "Kapisa", "Baghlan", "Takhar", "Badakhshan")


class RegimeModel(mesa.Model):
    """Afghanistan after the takeover: the regime, its rivals, its people and its neighbours.

    Args:
        params: a validated :class:`~sim.model.params.Parameters` (defaults if omitted).
        months: how many months the run will last (lever schedules are laid out for it).
        seed: an int or a :class:`numpy.random.SeedSequence`; the same seed gives the same run.
        scale: fraction of the real number of fighters represented (outputs stay in real units).
    """

    def __init__(self, params: Parameters | None = None, months: int = 120,
                 seed: int | np.random.SeedSequence = 0, scale: float = 1.0):
        seq = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
        super().__init__(rng=int(seq.generate_state(1)[0]))
        self.params = params or Parameters()
        self.p = self.params.tree()
        self.months, self.scale, self.month = months, scale, -1
        # one stream per kind of chance; nature's (droughts, earthquakes, assassinations) is its own, so the same
        # seed brings the same shocks whatever the scale or the policy (common random numbers)
        # (the last, for the attacks in Pakistan by groups the model leaves out, is spawned last, so the others'
        # draws are those of a model without it)
        streams = seq.spawn(9)
        (self.rng_setup, self.rng_choices, self.rng_recruit, self.rng_attacks, self.rng_moves, self.rng_events,
         self.rng_nature, self.rng_preferences, self.rng_unmodelled) = (np.random.default_rng(s) for s in streams)
        self.geo = geography.load()
        self.adjacency = self.geo.neighbour_table
        self.lever_paths = {name: self.params.lever_path(f"policy.{name}", months) for name in LEVER_NAMES}
        self.lever_paths.update({n: self.params.lever_path(f"external.{n}", months) for n in EXTERNAL_INPUTS})
        # actor states the scenario sets on a schedule (NaN: the actor decides), see scheduled()
        self.state_paths = {n: self.params.state_path(f"external.{n}", months) for n in ACTOR_STATES}
        self.force_target_path = self.params.lever_path("taliban.force_target", months)
        self.levers = {name: path[0] for name, path in self.lever_paths.items()}
        self.levers["action_against_allies"] = 0.0  # action against guests builds up (set_levers, M14)
        self._init_state()
        self._init_actors()
        self._init_fighters()
        self.tally()
        conflict.update_kill_hazards(self, 0)
        self.records: list[dict] = []
        # Mesa's model-level reporters: each month's record, one column per outcome
        self.datacollector = mesa.DataCollector(model_reporters={name: _latest(name) for name in OUTCOMES
                                                                 if name != "replicate"})

    # ------------------------------------------------------------------ set-up
    def _init_state(self) -> None:
        p, geo = self.p, self.geo
        self.population = p.population.total
        self.gdp_index, self.poverty_rate = 1.0, p.economy.poverty_pre_takeover
        self.gdp_level = 1.0  # GDP without the takeover's liquidity crisis, which output adjusts to
        self.liquidity = p.economy.takeover_shock  # the takeover's liquidity crisis, a share of GDP; it fades
        self.national_poverty = self.poverty_rate
        self.province_poverty = np.full(geo.size, self.poverty_rate)
        self.people_in_need = self.population * self.poverty_rate * p.economy.need_share_of_poor
        self.returnees = 0.0
        self.fiscal_coverage, self.aid, self.recognition, self.civil_war = 1.0, 0.0, 0.0, 0.0
        self.domestic_revenue = p.economy.revenue_at_full_gdp
        self.resistance_sponsorship = 0.0  # the neighbours' backing of the armed resistance, 0-1
        self.recognition_history = [0.0]
        self.sanctions, self.assets_released = self.levers["sanctions"], self.levers["assets_released"]
        self.intelligence = p.taliban.intelligence_initial
        self.regime_cohesion = 1.0
        self.broken_fighters = 0.0
        self.control = np.ones(geo.size)
        east = geo.in_regions("east")
        self.salafist_multiplier = np.where(east, p.population.salafist_east_multiplier, 1.0)
        self.non_pashtun = (geo.ethnicity != ETHNICITIES.index("pashtun")).astype(float)
        self.alienation = np.full(geo.size, p.recruitment.initial_alienation)
        self.isk_hold_streak = np.zeros(geo.size, dtype=int)
        self.isk_provinces = self.isk_held_provinces = 0
        self.last_isk_attacks = self.last_taliban_defections = 0.0
        self.month_losses = np.zeros(N_GROUPS)
        self.month_defections = np.zeros(N_GROUPS)
        self.regime_survives, self.fall_month, self.fall_cause = True, None, None
        self.month_flows: dict[str, float] = dict.fromkeys(FLOW_EVENTS, 0.0)
        self.taliban_in_training: deque[int] = deque()  # recruits enlisted each month, in model units
        self.drought_months_left, self.disaster_affected = 0, 0.0

    def _init_actors(self) -> None:
        if tuple(k.capitalize() for k in NEIGHBOUR_KEYS) != NEIGHBOUR_STATES:  # pragma: no cover
            raise RuntimeError("params.NEIGHBOUR_KEYS and geography.NEIGHBOUR_STATES disagree")
        self.neighbours = [(Pakistan if key == "pakistan" else NeighbourState)(self, key, getattr(self.p.neighbours, key))
                           for key in STATE_KEYS]
        self.donors = WesternDonors(self)
        self.factions = [TalibanFaction(self, key, FACTION_LABELS[key][0], FACTION_LABELS[key][1],
                                        getattr(self.p.factions, key)) for key in FACTIONS]
        self.faction_hardness = np.zeros(N_GROUPS)
        for key, faction in zip(FACTIONS, self.factions):
            self.faction_hardness[faction.group] = getattr(self.p.factions, key).mean_hardness
            faction.loyalty = faction.loyalty_target()
        self.commanders = Commanders(self)
        self.isk = IslamicStateKhorasan(self, Group.ISK, "IS-K")
        self.ttp = PakistaniTaliban(self, Group.TTP, "TTP")
        self.groups = {Group.ISK: self.isk, Group.TTP: self.ttp,
                       Group.AL_QAEDA: ArmedGroup(self, Group.AL_QAEDA, "Al-Qaeda"),
                       Group.CENTRAL_ASIAN: ArmedGroup(self, Group.CENTRAL_ASIAN, "ETIM and IMU"),
                       Group.RESISTANCE: ArmedGroup(self, Group.RESISTANCE, "National Resistance Front"),
                       Group.RENEGADE: ArmedGroup(self, Group.RENEGADE, "Renegade Taliban")}

    def _init_fighters(self) -> None:
        """Fighters at the takeover, placed by population and each group's home region.

        Prison releases at the takeover (M16, EER:9; ALI:213) join IS-K and the TTP (``allies.ttp_released_share``
        of the TTP's freed prisoners).
        """
        p, geo, rng = self.p, self.geo, self.rng_setup
        total = p.taliban.initial_fighters + p.isk.initial_fighters + p.allies.ttp_initial_fighters
        self.fighters = Fighters(capacity=int(total * self.scale * 1.5) + 1024)
        pop = geo.population_share
        pashtun, foreign = ETHNICITIES.index("pashtun"), ETHNICITIES.index("foreign")
        for key, faction in zip(FACTIONS, self.factions):
            home = geo.in_regions(*FACTION_LABELS[key][2])
            weights = pop * (1.0 + p.taliban.home_concentration * home)
            n = self._n(p.taliban.initial_fighters * getattr(p.factions, key).share)
            provinces = self.place(weights, n, rng)
            ethnicity = geo.ethnicity[provinces] if key == "northern" else pashtun
            if key == "northern":
                ethnicity = np.where(ethnicity == pashtun, ETHNICITIES.index("tajik"), ethnicity)
            self._add_initial(faction.group, provinces, p.taliban.ideological_share,
                              getattr(p.factions, key).mean_hardness, ethnicity)
        base = np.isin(np.arange(geo.size), geo.index("Nangarhar", "Kunar"))
        isk_weights = p.isk.eastern_base_share * base * pop / (base * pop).sum() \
            + (1 - p.isk.eastern_base_share) * pop
        n_isk = self._n(p.isk.initial_fighters + p.isk.prisoners_released)
        provinces = self.place(isk_weights, n_isk, rng)
        ethnicity = np.where(rng.random(n_isk) < p.isk.foreign_share, foreign, geo.ethnicity[provinces])
        self._add_initial(Group.ISK, provinces, p.isk.ideological_share, p.fighters.ideological_hardness, ethnicity)
        pakistan_border = geo.borders[:, NEIGHBOUR_STATES.index("Pakistan")] & geo.in_regions("east", "southeast")
        allies = (
            (Group.TTP, p.allies.ttp_initial_fighters + p.allies.ttp_released_share * p.allies.ttp_prisoners_released,
             pakistan_border, pashtun),
            (Group.AL_QAEDA, p.allies.aq_initial_fighters, geo.in_regions("east", "southeast", "south"), foreign),
            (Group.CENTRAL_ASIAN, p.allies.central_asian_initial_fighters, geo.in_regions("north", "northeast"),
             foreign),
        )
        for group, count, where, ethnicity in allies:
            self._add_initial(group, self.place(pop * where, self._n(count), rng), 1.0,
                              p.fighters.ideological_hardness, ethnicity)
        # The NRF's strongholds after the fall of Panjshir (ALI:81): the Tajik north-east.
        strongholds = np.isin(np.arange(geo.size), geo.index(*RESISTANCE_STRONGHOLDS))
        provinces = self.place(pop * strongholds, self._n(p.resistance.initial_fighters), rng)
        self._add_initial(Group.RESISTANCE, provinces, 1.0, p.fighters.ideological_hardness,
                          ETHNICITIES.index("tajik"))

    def _n(self, real_count: float) -> int:
        return int(round(real_count * self.scale))

    def _add_initial(self, group, provinces, ideological_share, mean_hardness, ethnicity) -> None:
        n, rng, f = len(provinces), self.rng_setup, self.p.fighters
        c = f.trait_concentration
        economic = rng.random(n) >= ideological_share
        motive = np.where(economic, Motive.ECONOMIC, Motive.IDEOLOGICAL)
        hardness = np.where(economic, beta_draws(rng, f.economic_hardness, n, c), beta_draws(rng, mean_hardness, n, c))
        need = np.where(economic, beta_draws(rng, f.economic_need, n, c), beta_draws(rng, f.ideological_need, n, c))
        self.fighters.add(group, provinces, hardness, need, ethnicity, motive)

    def place(self, weights: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
        """``n`` province numbers drawn in proportion to ``weights``."""
        weights = np.asarray(weights, dtype=float)
        cumulative = np.cumsum(weights)
        picks = np.searchsorted(cumulative, rng.random(n) * cumulative[-1], side="right")
        return np.minimum(picks, self.geo.size - 1).astype(np.int8)

    # ------------------------------------------------------------------ derived quantities
    def policy_vector(self) -> np.ndarray:
        return np.array([self.levers[name] for name in LEVER_NAMES])

    def taliban_strength(self) -> float:
        return sum(f.strength for f in self.factions)

    def force_ratio(self) -> float:
        """The regime's forces relative to their size at the takeover."""
        return self.taliban_strength() / self.p.taliban.initial_fighters

    def _presence(self, group: Group) -> np.ndarray:
        fighters = self.table[group]
        return fighters / (fighters + self.p.isk.reach_scale)

    def rival_fighters(self) -> float:
        """IS-K, the armed opposition and the allied fighters turned against the regime."""
        return self.isk.strength + conflict.armed_opposition(self)

    def isk_reach(self) -> np.ndarray:
        """IS-K's local recruiting reach, 0 to 1: its presence where the Taliban's control is weak (M19)."""
        return self._presence(Group.ISK) * (1.0 - self.control)

    def resistance_reach(self) -> np.ndarray:
        """The armed opposition's local presence in each province, 0 to 1."""
        return self._presence(Group.RESISTANCE)

    def isk_cell_provinces(self, n: int, rng: np.random.Generator) -> np.ndarray:
        """Provinces for ``n`` fighters joining IS-K: drawn by its fighters where the Taliban's control is weak."""
        return self.place(self.table[Group.ISK] * (1.0 - self.control) + 1e-9, n, rng)

    def neighbour(self, key: str) -> NeighbourState:
        return self.neighbours[STATE_KEYS.index(key)]

    def scheduled(self, name: str) -> float | None:
        """This month's value of an actor state the scenario sets (``external.<name>``), or None
        when the actor decides (a stance as its rank in ``STATUSES``)."""
        path = self.state_paths.get(name)
        if path is None or np.isnan(path[max(self.month, 0)]):
            return None
        return float(path[max(self.month, 0)])

    def neighbour_weights(self, attribute: str) -> np.ndarray:
        """One attribute of every regional state, as an array in the order of ``STATE_KEYS``."""
        return np.array([getattr(n, attribute) for n in self.neighbours], dtype=float)

    def engagements(self) -> np.ndarray:
        return self.neighbour_weights("engagement")

    def regional_engagement(self) -> float:
        return mean([n.engagement for n in self.neighbours])

    def regional_standing(self) -> float:
        """The neighbours' diplomatic steps toward the regime, 0 (all hostile) to 1 (all recognise)."""
        return mean([n.status for n in self.neighbours]) / (len(STATUSES) - 1)

    def rival_power_engagement(self) -> float:
        """Engagement of the West's rivals (``west_rivalry`` weights), which IS-K's propaganda exploits (M11)."""
        weights = self.neighbour_weights("west_rivalry")
        return float(weights @ self.engagements() / max(weights.sum(), 1e-9))

    def recognition_rise(self) -> float:
        """How much recognition rose over the last ``isk.spoiler_window_months`` months."""
        window = int(self.p.isk.spoiler_window_months)
        history = self.recognition_history
        return history[-1] - history[max(0, len(history) - 1 - window)]

    def tally(self) -> None:
        """Group strengths (real-world fighters), local control and IS-K presence, from the fighter arrays."""
        self.table = self.fighters.counts_by_province(self.geo.size) / self.scale
        strength = self.table.sum(axis=1)
        for faction in self.factions:
            faction.strength = strength[faction.group]
        for group, actor in self.groups.items():
            actor.strength = strength[group]
        obeying = self.commanders.obeying()  # men whose commanders stand aside do not hold ground
        taliban = obeying @ self.table[[f.group for f in self.factions]]
        rivals = self.table[Group.ISK] + self.table[OPPOSITION].sum(axis=0)
        contest = taliban + self.p.conflict.insurgent_weight * rivals
        self.control = np.where(contest > 0, taliban / np.maximum(contest, 1e-9), 1.0)  # no one there: nominal
        self.isk_provinces = int((self.table[Group.ISK] >= self.p.isk.presence_threshold).sum())
        loyal = np.array([(f.strength, f.loyalty) for f in self.factions])
        self.regime_cohesion = float(loyal[:, 0] @ loyal[:, 1] / max(loyal[:, 0].sum(), 1e-9))

    # ------------------------------------------------------------------ the schedule
    def step(self) -> None:
        """One month, in the order of the ODD's process overview."""
        if not self.regime_survives:
            raise RuntimeError(f"the run is over: the regime fell in {month_date(self.fall_month)} (month "
                               f"{self.fall_month}), and a run ends at the regime's fall")
        if self.month + 1 >= self.months:
            raise RuntimeError(f"the run is over: it lasts {self.months} months (month {self.month} was the last); "
                               f"build the model with a larger months= to run longer")
        self.month += 1
        self.month_flows = dict.fromkeys(FLOW_EVENTS, 0.0)
        self.set_levers()                                   # policy: fixed path or bargaining (M13)
        self.update_diplomacy()                             # donors' offer, neighbours' steps (M2, M5, M8, M9, M12)
        shocks.apply(self)                                  # droughts, earthquakes, leaders killed
        economy.update_economy(self)                        # GDP, poverty, budget, aid (M5, M6, M7)
        self.update_factions()                              # pay, memories, loyalty (M13, M14)
        for group in self.groups.values():                  # allies' hostility (M3)
            group.step()
        recruitment.update_alienation(self)                 # Salafist alienation (M10)
        choices.fighter_choices(self)                       # stay, defect, desert, killed (M1, M3, M4, M6, M18)
        recruitment.recruit(self)                           # new fighters (M6, M10, M11, M15, M17, M18)
        movement.disperse_cells(self)                       # IS-K cells seek weak control (M19)
        movement.redeploy_taliban(self)                     # the regime follows the threat
        self.tally()
        self.isk.update_finances()                          # IS-K's money (no built-in ceiling)
        self.isk.update_leaders()                           # leaders promoted and killed
        self.isk.attack()                                   # IS-K's operations by target (M12, M20)
        faction_rules.assign_commanders_killed(self, self.isk.attacks["taliban"])
        self.ttp.attack()                                   # TTP attacks in Pakistan (M15)
        conflict.update_civil_war(self)                     # civil war (M17)
        conflict.update_kill_hazards(self, self.isk.attacks["taliban"])
        conflict.update_isk_holdings(self)                  # does IS-K hold territory? (M19)
        self.isk_held_provinces = int((self.isk_hold_streak >= self.p.isk.hold_months).sum())
        survival.check_survival(self)                       # regime survival and cause of failure
        self.records.append(self.observe())
        self.datacollector.collect(self)
        self.running = self.regime_survives and self.month + 1 < self.months  # Mesa: False once over (run() stops)

    def set_levers(self) -> None:
        for name in EXTERNAL_INPUTS:
            self.levers[name] = self.lever_paths[name][self.month]
        if self.p.policy.mode == "adaptive" and self.month > 0:
            chosen = policy.bargained_policy(self)
        else:
            chosen = [self.lever_paths[name][self.month] for name in LEVER_NAMES]
        acting = self.levers["action_against_allies"]
        self.levers.update(zip(LEVER_NAMES, map(float, chosen)))
        # action against guests reaches the chosen level over allies.action_phase_in_months (M14)
        chosen_action = self.levers["action_against_allies"]
        self.levers["action_against_allies"] = acting + (chosen_action - acting) / self.p.allies.action_phase_in_months
        self.force_target = float(self.force_target_path[self.month])

    def update_diplomacy(self) -> None:
        abroad = self.isk.attacks_abroad.astype(float)
        abroad[STATE_KEYS.index(self.ttp.target_state)] += self.ttp.attacks_pakistan
        for neighbour, attacks in zip(self.neighbours, abroad):
            neighbour.step(attacks)
        self.donors.step(self.isk.attacks["civilian"], self.isk.spectacular)
        deported = sum(n.deported for n in self.neighbours)
        self.returnees += deported
        self.population += deported
        self.month_flows["deported"] = deported
        self.month_flows["deported_from_pakistan"] = self.neighbour("pakistan").deported
        self.month_flows["border_closures"] = float(sum(n.stepped == -1 and n.status == 0 for n in self.neighbours))
        self.month_flows["formal_recognitions"] = float(sum(n.stepped == 1 and n.status == len(STATUSES) - 1
                                                            for n in self.neighbours))
        self.resistance_sponsorship = min(1.0, sum(n.sponsorship for n in self.neighbours))

    def update_factions(self) -> None:
        """Pay shared out, memories updated, loyalty moved (M13); intelligence built while paid."""
        faction_rules.share_pay(self)
        for faction in self.factions:
            faction.remember(self.month_losses[faction.group] / self.scale,
                             self.month_defections[faction.group] / self.scale)
        self.agents_by_type[TalibanFaction].do("step")
        self.intelligence += (1.0 - self.intelligence) / self.p.taliban.intelligence_build_months \
            * min(1.0, self.fiscal_coverage)

    def militant_attacks_pakistan(self) -> int:
        """Militant attacks in Pakistan this month as PIPS counts them (every group): the TTP's, IS-K's in
        Pakistan, and those of the groups the model leaves out (Baloch and Sindhi nationalist insurgents), a
        Poisson count at ``violence.unmodelled_attacks_pakistan`` a month that nothing in the model moves."""
        isk_in_pakistan = int(self.isk.attacks_abroad[STATE_KEYS.index(self.ttp.target_state)])
        unmodelled = int(self.rng_unmodelled.poisson(self.p.violence.unmodelled_attacks_pakistan))
        return self.ttp.attacks_pakistan + isk_in_pakistan + unmodelled

    def run(self) -> list[dict]:
        """Step until the run is over (Mesa's ``running``): its last month, or the month the regime
        falls, which is then the last record (what follows a fall is outside the model); return the
        monthly records."""
        while self.running:
            self.step()
        return self.records

    # ------------------------------------------------------------------ outputs
    def observe(self) -> dict:
        """This month's outcomes, in real-world units (see :data:`sim.model.outcomes.OUTCOMES`)."""
        flows, isk = self.month_flows, self.isk.attacks
        self.last_isk_attacks = sum(isk.values())
        self.last_taliban_defections = flows["defections_taliban_to_isk"]
        self.recognition_history.append(self.recognition)
        row = {
            "month": self.month,
            "date": month_date(self.month),
            "regime_survives": int(self.regime_survives),
            "taliban_fighters": self.taliban_strength(),
            "isk_fighters": self.isk.strength,
            "ttp_fighters": self.ttp.strength,
            "al_qaeda_fighters": self.groups[Group.AL_QAEDA].strength,
            "central_asian_fighters": self.groups[Group.CENTRAL_ASIAN].strength,
            "resistance_fighters": self.groups[Group.RESISTANCE].strength,
            "resistance_sponsorship": self.resistance_sponsorship,
            "renegade_fighters": self.groups[Group.RENEGADE].strength,
            **{f"{f.key}_fighters": f.strength for f in self.factions},
            **{f"{f.key}_loyalty": f.loyalty for f in self.factions},
            **flows,
            "isk_attacks": self.last_isk_attacks,
            "isk_attacks_on_taliban": isk["taliban"],
            "isk_attacks_on_civilians": isk["civilian"],
            "isk_attacks_on_foreign_targets": isk["foreign"],
            "isk_attacks_abroad": int(self.isk.attacks_abroad.sum()),
            "spectacular_attacks": self.isk.spectacular,
            "isk_leaders_killed": self.isk.leaders_killed,
            "isk_leaders": self.isk.leaders,
            "isk_operational_capacity": self.isk.operational_capacity(),
            "isk_cash": self.isk.cash,
            "isk_unpaid": self.isk.unpaid,
            "ttp_attacks_pakistan": self.ttp.attacks_pakistan,
            "militant_attacks_pakistan": self.militant_attacks_pakistan(),
            "ttp_recruitment": self.ttp.recruitment,
            "ttp_hostility": self.ttp.hostility,
            "al_qaeda_hostility": self.groups[Group.AL_QAEDA].hostility,
            "central_asian_hostility": self.groups[Group.CENTRAL_ASIAN].hostility,
            "pakistan_pressure": self.neighbour("pakistan").pressure,
            "pakistan_escalation": self.neighbour("pakistan").rung,
            "pakistan_open_border": self.neighbour("pakistan").open_border,
            "isk_transfers": self.isk.transfers,
            "isk_income": self.isk.income,
            "isk_home_cost": self.isk.home_cost,
            "isk_external_network": self.isk.network,
            "isk_provinces": self.isk_provinces,
            "isk_held_provinces": self.isk_held_provinces,
            "taliban_control": float(self.control @ self.geo.population_share),
            "intelligence": self.intelligence,
            "taliban_in_training": sum(self.taliban_in_training) / self.scale,
            "repression_backlash": recruitment.repression_backlash(self),
            "broken_share": self.broken_fighters / self.p.taliban.initial_fighters,
            "commanders_aside": self.commanders.share(ASIDE),
            "commanders_gone": self.commanders.share(GONE),
            "commanded_share": self.commanders.commanded_share(self),
            "ground_lost": ground_lost(self),
            "gdp_index": self.gdp_index,
            "poverty_rate": self.poverty_rate,
            "people_in_need": self.people_in_need,
            "returnees": self.returnees,
            "drought": shocks.drought(self),
            "disaster_affected": self.disaster_affected,
            "fiscal_coverage": self.fiscal_coverage,
            "domestic_revenue": self.domestic_revenue,
            "aid": self.aid,
            "development_aid": self.donors.development_aid,
            "humanitarian_aid_usd": self.donors.humanitarian_aid,
            "recognition": self.recognition,
            "western_engagement": self.donors.engagement,
            "donor_credibility": self.donors.credibility,
            "regional_engagement": self.regional_engagement(),
            "regional_standing": self.regional_standing(),
            "regime_cohesion": self.regime_cohesion,
            "civil_war": self.civil_war,
            "salafist_alienation": float(self.alienation @ self.geo.population_share),
            **{f"{n.key}_engagement": n.engagement for n in self.neighbours},
            **{f"{n.key}_status": n.status for n in self.neighbours},
            **{name: self.levers[name] for name in LEVER_NAMES},
            "sanctions": self.sanctions,
            "assets_released": self.assets_released,
            "humanitarian_aid": self.levers["humanitarian_aid"],
            "force_target": self.force_target,
        }
        return row


# Counted events and flows reset every month (the fighters' flows are set by the choices).
FLOW_EVENTS = ("shocks", "faction_splits", "split_fighters_to_isk", "commanders_killed", "commanders_to_isk",
               "commanders_to_resistance", "commanders_to_rival", "deported",
               "deported_from_pakistan", "border_closures", "formal_recognitions", "taliban_recruits", "isk_recruits")


def _latest(name: str):
    """A Mesa model reporter: this month's value of one outcome."""
    return lambda model: model.records[-1][name]


def mean(values: list[float]) -> float:
    """The mean of a few numbers, summed exactly as ``np.mean`` sums them, without its overhead."""
    return float(np.add.reduce(np.array(values)) / len(values))
