"""IS-K as an organisation: money, leaders and a strategy for its violence.

No ceiling is built in: IS-K grows as far as it can pay, recruit and replace its losses.
Its money is a process (Shapiro 2013): transfers from the Islamic State's core rise with
the external operations and spectacular attacks that make IS-K worth funding, extortion
and taxation follow the ground the Taliban do not control, and the payroll falls as
poverty cheapens fighters. Its leaders and planners set how much of its strength it can
turn into operations at home; every operation at home exposes them to the regime's
informants, so the Taliban's selective violence (the crackdown x its selectivity, which
rises steeply with intelligence; Kalyvas 2006) kills leaders in proportion to how much IS-K
operates at home, and cuts attacks before numbers (Jordan 2009, 2014). IS-K remembers what
home costs it in leaders and moves its effort abroad when home is costly; the rival
powers' engagement draws its attacks, and spoiler attacks follow moments of engagement
(Kydd and Walter 2002). Its operations abroad need an external network of its own (planners,
facilitators, documents, money transfers; Shapiro 2013): a stock built slowly with the effort
it puts abroad and the core's money, and worn down by foreign counter-terrorism and the
leaders it loses, so that attacks abroad do not scale with its number of fighters.
"""

from __future__ import annotations

import numpy as np

from sim.model.actors import ArmedGroup
from sim.model.fighters import Motive

TARGETS = ("taliban", "civilian", "foreign", "abroad")


class IslamicStateKhorasan(ArmedGroup):
    """IS-K: cash, a supply price for fighters, leaders and operations (M12, M19, M20)."""

    def __init__(self, model, group, label):
        super().__init__(model, group, label)
        p = model.p.isk
        initial = p.initial_fighters + p.prisoners_released
        self.economic_share = 1.0 - p.ideological_share
        self.pool = None       # willing men its networks reach (recruits a month at full acceptance), remembered
        self.cash = p.initial_cash_months * self.payroll(initial)
        self.leaders = initial / p.fighters_per_leader
        self.unpaid = 0.0
        self.income = self.transfers = p.outside_funding
        self.leaders_killed = 0
        self.home_cost = 0.0   # share of its leaders lost a month at home, remembered
        self.renown = 0.0      # operations abroad and spectacular attacks a month, remembered
        self.network = p.external_operations  # operations abroad a month its external network can mount
        self.attacks = dict.fromkeys(TARGETS[:3], 0)
        self.attacks_abroad = np.zeros(len(model.neighbours), dtype=int)
        self.spectacular = 0

    def wage(self, fighters: float) -> float:
        """What IS-K must pay a fighter a month, USD: ``isk.pay`` x (pre-takeover poverty / poverty)
        ^ ``isk.wage_poverty_elasticity`` (the poor sell themselves cheaper, EER:16) x (fighters /
        (willing pool x ``isk.pool_months``)) ^ ``isk.supply_elasticity``: a supply price that rises as
        IS-K hires deeper into the pool of willing men its networks reach (the committed come cheap,
        the marginal recruit dear), so money has diminishing returns when the networks are the
        bottleneck, and poverty and alienation, which fill the pool, carry weight."""
        m, p = self.model, self.model.p.isk
        elasticity = p.wage_poverty_elasticity * m.p.recruitment.poverty_weight
        wage = p.pay * (m.p.economy.poverty_pre_takeover / m.poverty_rate) ** elasticity
        if self.pool is None or p.supply_elasticity == 0:
            return wage
        return wage * (fighters / max(self.pool * p.pool_months, 1.0)) ** p.supply_elasticity

    def payroll(self, fighters: float) -> float:
        """IS-K's monthly wage bill, USD million: full pay for its economic fighters, a share of
        it (``isk.ideological_pay_share``) for its ideological volunteers, at :meth:`wage`."""
        p = self.model.p.isk
        return fighters * self.wage(fighters) * (self.economic_share + (1.0 - self.economic_share)
                                                 * p.ideological_pay_share) / 1e6

    def update_pool(self, willing: float) -> None:
        """Remember the willing recruits its networks reach a month (at full acceptance) over ``isk.memory_months``."""
        if self.pool is None:
            self.pool = willing
        else:
            self.pool += (willing - self.pool) / self.model.p.isk.memory_months

    def pressure(self) -> float:
        """The crackdown's bite on IS-K's fighters and networks: the regime's pursuit (:meth:`pursuit`:
        the lever, with those behind attacks on the Taliban pursued at no less than
        ``isk.reactive_pursuit``) x intelligence x the regime's relative force, less what a civil war
        diverts (M17). The reactive floor is targeted: it carries none of a campaign's grievance."""
        m = self.model
        return self.pursuit() * m.intelligence * m.force_ratio() * self.undiverted()

    def undiverted(self) -> float:
        """Share of the regime's counter-terrorism effort a civil war leaves for IS-K (M17)."""
        return 1.0 - self.model.p.conflict.ct_diversion * self.model.civil_war

    def home_operations(self) -> int:
        """Last month's operations at home (against the Taliban, civilians and foreigners)."""
        return sum(self.attacks.values())

    def acceptance(self) -> float:
        """Share of willing recruits and defectors IS-K can take on, 0 to 1.

        What it can spend a month (income plus its cash spread over ``isk.reserve_months``)
        against its payroll, to the power ``isk.budget_elasticity``: 1 while it can afford
        more fighters, falling steeply as it outgrows its money.
        """
        p = self.model.p.isk
        payroll = self.payroll(max(self.strength, 1.0))
        return min(1.0, (self.income + self.cash / p.reserve_months) / payroll) ** p.budget_elasticity

    def operational_capacity(self) -> float:
        """Leaders and planners against those its fighters need, 0 to 1."""
        needed = self.strength / self.model.p.isk.fighters_per_leader
        return min(1.0, self.leaders / needed) if needed > 0 else 0.0

    def update_finances(self) -> None:
        """Income (transfers from the core, raised by its renown; extortion where Taliban control
        is weak) less the payroll and the cost of arming and training the month's recruits and
        defectors (``isk.recruit_cost_months`` of a wage each): the fighters the regime kills
        cost IS-K their replacements, so attrition shrinks it even when money binds.

        When cash runs out the unpaid share of the payroll rises, and IS-K's needy fighters
        drift off (:mod:`sim.model.mechanisms.choices`).
        """
        m, p = self.model, self.model.p.isk
        f = m.fighters
        members = f.group == self.group
        self.economic_share = float(np.count_nonzero(f.motive[members] == Motive.ECONOMIC)) / max(
            np.count_nonzero(members), 1)
        uncontrolled = float(m.table[self.group] @ (1.0 - m.control))
        self.transfers = p.outside_funding * m.levers["isk_outside_funding"] * (1.0 + p.external_reward * self.renown)
        income = self.transfers + p.extortion * uncontrolled / 1e6
        payroll = self.payroll(self.strength)
        joined = m.month_flows["isk_recruits"] + m.month_flows["defections_to_isk"]
        training = joined * self.wage(self.strength) * p.recruit_cost_months / 1e6  # losses cost replacements
        self.cash += income - payroll - training
        self.unpaid = min(1.0, -self.cash / payroll) if self.cash < 0 and payroll > 0 else 0.0
        self.cash = max(self.cash, 0.0)
        self.income = income

    def selective_violence(self) -> float:
        """The crackdown's reach to IS-K's leaders: the regime's pursuit (:meth:`pursuit`) x intelligence ^
        ``isk.selectivity_exponent``, less what a civil war diverts (M17). Finding leaders takes informants
        (Kalyvas 2006)."""
        m = self.model
        return self.pursuit() * m.intelligence ** m.p.isk.selectivity_exponent * self.undiverted()

    def pursuit(self) -> float:
        """How hard the regime pursued those behind last month's operations at home, on average over
        them, as a share of a full campaign (the crackdown lever when it campaigns at all harder).

        A campaign against IS-K (the ``crackdown_isk`` lever) hunts those behind every operation at
        home. Without one, the Taliban are still the ruling armed force, and an armed force hits back at
        those who attack its own men: it investigates the attack, raids the cell and kills or captures
        the commanders and planners behind it (reactive defence). So the men behind IS-K's attacks on
        the Taliban are pursued at no less than ``isk.reactive_pursuit`` of a full campaign, whatever the
        lever; those behind its attacks on civilians and foreigners, which do not touch the regime's
        fighters, only by a campaign. A campaign at or above that intensity already covers them (the
        larger of the two, not their sum), so the reactive floor changes nothing where the regime
        campaigns that hard. Violence between armed rivals is jointly produced: every attack exposes the
        attackers to the side they hit, and selectively so where that side holds the ground and the
        informants (Kalyvas 2006, ch. 7; Berman, Shapiro and Felter 2011: information, not a campaign's
        label, finds insurgents); the Taliban fought IS-K in Nangarhar, Kunar and Jowzjan from 2015,
        before they had a state's campaign to run, and the regime's pursuit of the planner behind the
        Kabul attacks (Qari Fateh, killed in February 2023, ALI:128) is the pattern. Leaders killed cut
        IS-K's operations before its numbers (Jordan 2009, 2014).
        """
        lever, floor = self.model.levers["crackdown_isk"], self.model.p.isk.reactive_pursuit
        home_ops = self.home_operations()
        if lever >= floor or home_ops == 0:
            return lever
        return (lever * (home_ops - self.attacks["taliban"]) + floor * self.attacks["taliban"]) / home_ops

    def update_leaders(self) -> None:
        """Leaders are promoted toward the number the fighters need; operations at home expose
        them to the regime's selective violence.

        Risk per leader = 1 - exp(-``isk.leader_exposure`` x last month's operations at home per
        leader x the selective violence (:meth:`selective_violence`) of the regime's pursuit of those
        behind them (:meth:`pursuit`: the crackdown lever, the attacks on the Taliban pursued at no less
        than ``isk.reactive_pursuit``). IS-K remembers the share of its leaders lost as the cost of
        operating at home (over ``isk.memory_months``).
        """
        m, p = self.model, self.model.p.isk
        needed = self.strength / p.fighters_per_leader
        self.leaders += (needed - self.leaders) / p.leader_replacement_months
        exposure = (p.leader_exposure * self.home_operations() / max(self.leaders, 1.0)
                    * self.selective_violence())
        risk = 1.0 - np.exp(-exposure)
        self.leaders_killed = int(m.rng_events.binomial(int(round(self.leaders)), risk))
        lost = self.leaders_killed / max(self.leaders, 1.0)
        self.home_cost += (lost - self.home_cost) / p.memory_months
        self.leaders = max(0.0, self.leaders - self.leaders_killed)

    def target_weights(self) -> np.ndarray:
        """Weights of IS-K's four targets this month (in the order of ``TARGETS``).

        Taliban and foreign targets start at their documented shares (ALI:132, ALI:146), the
        abroad share (its investment in the external network) at ``isk.abroad_share``, civilians
        take the rest. The cost of operating at
        home (leaders lost, remembered: weight x exp(``isk.pressure_shift`` x cost)) and the
        engagement of the powers it targets push operations abroad (Shapiro 2013); a rise of the regime's recognition over
        ``isk.spoiler_window_months`` raises spoiler attacks on civilians and foreigners
        (Kydd and Walter 2002).
        """
        m, p, v = self.model, self.model.p.isk, self.model.p.violence
        abroad = p.abroad_share
        home = 1.0 - abroad
        taliban, foreign = home * v.taliban_target_share, home * v.foreign_target_share
        civilian = max(0.0, home - taliban - foreign)
        targeted = float(m.neighbour_weights("isk_target_weight") @ m.engagements())
        abroad *= np.exp(p.pressure_shift * self.home_cost) * (1.0 + p.rival_shift * targeted)
        spoiling = 1.0 + p.spoiler_timing * max(0.0, m.recognition_rise())
        return np.array([taliban, civilian * spoiling, foreign * spoiling, abroad])

    def update_network(self, abroad_share: float) -> None:
        """The external network (operations abroad a month it can mount), Shapiro (2013).

        It moves over ``isk.network_months`` (slow to build, cells age out) toward what IS-K's
        investment and the core's support sustain: ``isk.external_operations`` x investment (its share of
        effort abroad against ``isk.abroad_share``, the share when home costs nothing) x support
        (transfers against ``isk.outside_funding``). Foreign counter-terrorism dismantles
        ``isk.foreign_ct_rate`` of it a month, and the regime's selective violence the share
        ``isk.network_home_share`` of the leaders' losses (its planners in Afghanistan).
        """
        p = self.model.p.isk
        investment = abroad_share / p.abroad_share if p.abroad_share > 0 else 0.0
        support = self.transfers / p.outside_funding if p.outside_funding > 0 else 0.0
        lost = self.leaders_killed / max(self.leaders + self.leaders_killed, 1.0)
        self.network += (p.external_operations * investment * support - self.network) / p.network_months
        self.network -= self.network * min(1.0, p.foreign_ct_rate + p.network_home_share * lost)  # at most all of it

    def attack(self) -> None:
        """Draw this month's operations and share them between the targets.

        Planned operations = ``violence.isk_attack_rate`` per 1,000 fighters, raised by
        moderation and foreign cooperation (spoiling, ``violence.spoiler_effect``); the target
        weights share IS-K's effort between home and abroad. Operations at home are the home share
        of the planned ones and need the leaders and planners in Afghanistan (x operational
        capacity). Operations abroad are what the external network can mount (:meth:`update_network`,
        built with the effort put abroad): Poisson(network), not a share of the fighters. Abroad,
        each state is hit in proportion to its target weight x (1 + rival shift x its engagement
        with the regime). IS-K's renown (operations abroad and spectacular attacks, remembered)
        raises the core's transfers.
        """
        m, v, p = self.model, self.model.p.violence, self.model.p.isk
        rng = m.rng_attacks
        spoiling = 1.0 + v.spoiler_effect * (m.levers["moderation"] + m.levers["foreign_cooperation"]) / 2
        planned = v.isk_attack_rate * self.strength / 1000.0 * spoiling
        weights = self.target_weights()
        shares = weights / weights.sum()
        self.update_network(float(shares[3]))
        home = rng.poisson(planned * shares[:3].sum() * self.operational_capacity())
        abroad = rng.poisson(self.network)
        taliban, civilian, foreign = rng.multinomial(home, shares[:3] / shares[:3].sum())
        self.attacks = {"taliban": int(taliban), "civilian": int(civilian), "foreign": int(foreign)}
        states = m.neighbour_weights("isk_target_weight") * (1.0 + p.rival_shift * m.engagements())
        self.attacks_abroad = rng.multinomial(abroad, states / states.sum()) if states.sum() > 0 else \
            np.zeros(len(states), dtype=int)
        self.spectacular = int(rng.binomial(civilian + foreign, v.spectacular_share))
        self.renown += (abroad + self.spectacular - self.renown) / p.memory_months
