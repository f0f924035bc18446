"""Recruitment from the population: economic and ideological recruits behave differently.

Economic recruits ('consumers', Weinstein 2007) join whoever pays, more and more steeply as
poverty deepens (a convex rise graded across the documented range, not a linear rule:
Berman et al. 2011 found no simple link from hardship to insurgency). Ideological recruits
('investors') come from an alienated Salafist community and answer propaganda. Both need
IS-K's local reach and its money to pay them. The regime recruits from a pool of willing
young men, larger under poverty, as far as its budget allows.
"""

from __future__ import annotations

import numpy as np

from sim.model.fighters import Group, Motive, beta_draws
from sim.model.geography import ETHNICITIES


def logistic(x):
    return 1.0 / (1.0 + np.exp(-x))


def update_alienation(m) -> None:
    """Salafist alienation grows with the crackdown where IS-K is present (M10, TRT:35).

    Expelling or pressing allied extremist groups alienates too (EER:13, EER:22); the
    grievance decays slowly without new repression.
    """
    r, lv = m.p.recruitment, m.levers
    pressure = lv["crackdown_isk"] * m.isk_reach() + r.expulsion_alienation * lv["action_against_allies"]
    m.alienation += r.alienation_rate * pressure * (1.0 - m.alienation) - r.alienation_decay * m.alienation
    np.clip(m.alienation, 0.0, 1.0, out=m.alienation)


def repression_backlash(m) -> float:
    """The indiscriminate share of the crackdown turned into recruits: crackdown x (1 - intelligence) x
    ``recruitment.repression_backlash`` (Kalyvas 2006). Selective repression, guided by intelligence,
    kills IS-K's men without feeding it; blind repression in the communities it hits does."""
    return m.p.recruitment.repression_backlash * m.levers["crackdown_isk"] * (1.0 - m.intelligence)


def isk_recruitment(m, accepted: bool = True) -> dict[str, np.ndarray]:
    """Expected IS-K recruits per province this month, by kind (M6, M10, M11, M17, M18).

    Economic: fighting-age men x poverty pull ((poverty / pre-takeover)^elasticity, M6, TRT:57)
    x IS-K's share of a bidding war with a broke regime (EER:13, EER:16). Ideological:
    Salafist men x alienation (M10) x propaganda, raised by foreign cooperation (M4),
    engagement with China, Iran and Russia (M11) and moderation (M1). Both scale with
    IS-K's local reach, the share of willing recruits it can pay (:meth:`sim.model.isk.
    IslamicStateKhorasan.acceptance`), the power vacuum of a civil war (M17, EER:18) and the
    backlash of indiscriminate repression (:func:`repression_backlash`), and shrink as selective
    repression breaks the networks that bring recruits in (``recruitment.network_disruption`` x the
    crackdown's bite: its recruiters, facilitators and safe houses found). With ``accepted=False``,
    the willing recruits its networks reach, before its money limits them.
    """
    r, lv, p = m.p.recruitment, m.levers, m.p
    men = m.population * m.geo.population_share * p.population.fighting_age_share
    common = (m.isk_reach() * (m.isk.acceptance() if accepted else 1.0) * (1.0 + r.civil_war_vacuum * m.civil_war)
              * (1.0 + repression_backlash(m)) * max(0.0, 1.0 - r.network_disruption * m.isk.pressure()))
    pull = (m.province_poverty / p.economy.poverty_pre_takeover) ** (r.poverty_elasticity * r.poverty_weight)
    isk_pays = p.isk.relative_pay * (1.0 - m.isk.unpaid)
    outbid = isk_pays / max(isk_pays + min(1.0, m.fiscal_coverage), 1e-9)
    economic = r.economic_rate * men * pull * outbid * common
    propaganda = (1.0 + r.propaganda_cooperation * lv["foreign_cooperation"]
                  + r.propaganda_engagement * m.rival_power_engagement()
                  + r.propaganda_moderation * lv["moderation"])
    salafists = men * p.population.salafist_share * m.salafist_multiplier
    ideological = r.ideological_rate * salafists * m.alienation * propaganda * common
    return {"economic": economic, "ideological": ideological}


def recruit(m) -> None:
    """Add this month's recruits to every group.

    IS-K: economic, ideological and foreign recruits (M6, M10, M18). TTP: growth under
    sanctuary (M15, ALI:194). Resistance: recruits in the non-Pashtun provinces under a
    non-inclusive government (M17, EER:18). Taliban: :func:`recruit_taliban`.
    """
    rng, scale, p = m.rng_recruit, m.scale, m.p
    willing = isk_recruitment(m, accepted=False)
    m.isk.update_pool(float(willing["economic"].sum()))  # the men who join for pay set its supply price
    acceptance = m.isk.acceptance()
    expected = {kind: rate * acceptance for kind, rate in willing.items()}
    counts = {kind: rng.poisson(rate * scale) for kind, rate in expected.items()}
    foreign = rng.poisson(p.isk.foreign_fighter_inflow * acceptance * scale)
    recruits = counts["economic"].sum() + counts["ideological"].sum() + foreign
    for kind, motive in (("economic", Motive.ECONOMIC), ("ideological", Motive.IDEOLOGICAL)):
        provinces = np.repeat(np.arange(m.geo.size), counts[kind])
        add_recruits(m, Group.ISK, provinces, motive, m.geo.ethnicity[provinces])
    if foreign:
        provinces = m.place(m.isk_reach() + 1e-9, foreign, rng)
        add_recruits(m, Group.ISK, provinces, Motive.IDEOLOGICAL, ETHNICITIES.index("foreign"))

    n_ttp = rng.poisson(m.ttp.expected_recruits() * scale)  # sanctuary, networks, Pakistan (7.9)
    add_recruits(m, Group.TTP, m.place(m.table[Group.TTP] + 1e-9, n_ttp, rng), Motive.IDEOLOGICAL,
                 ETHNICITIES.index("pashtun"))

    exclusion = (1.0 - m.levers["inclusion"]) ** p.recruitment.nrf_exclusion_exponent
    men = m.population * m.geo.population_share * p.population.fighting_age_share * m.non_pashtun
    n_nrf = rng.poisson(p.resistance.recruit_rate * men * exclusion * resistance_room(m) * scale)
    provinces = np.repeat(np.arange(m.geo.size), n_nrf)
    add_recruits(m, Group.RESISTANCE, provinces, Motive.IDEOLOGICAL, m.geo.ethnicity[provinces])

    m.month_flows["isk_recruits"] = (recruits + 0.0) / scale
    recruit_taliban(m)


def resistance_capacity(m) -> float:
    """The most fighters the armed resistance can field: a few thousand alone (``resistance.capacity``),
    more with its sponsors' money, arms and sanctuary (``resistance.sponsored_capacity`` x their backing:
    Salehyan 2009, Weinstein 2007)."""
    res = m.p.resistance
    return res.capacity + res.sponsored_capacity * m.resistance_sponsorship


def resistance_room(m) -> float:
    """Share of newcomers the resistance can take on: its room under :func:`resistance_capacity`."""
    return max(0.0, 1.0 - m.groups[Group.RESISTANCE].strength / resistance_capacity(m))


def recruit_taliban(m) -> None:
    """The regime fills the gap to its force target from the willing pool, as far as it can pay.

    Pool = fighting-age men x ``taliban.willing_share`` x (poverty / pre-takeover
    poverty)^elasticity; enlisted a month = min(gap, ``taliban.recruit_rate`` x pool) x the
    budget's coverage (capped at 1), the gap counting the recruits still in training. Recruits
    serve after ``taliban.training_months`` (a stock: losses show until they are replaced), and
    join where and whom their peers serve; the poorer the country, the more of them join for pay.
    """
    rng, scale, p = m.rng_recruit, m.scale, m.p
    training = m.taliban_in_training
    gap = max(0.0, m.force_target - m.taliban_strength() - sum(training) / scale)
    men = m.population * p.population.fighting_age_share
    pool = men * p.taliban.willing_share * (m.poverty_rate / p.economy.poverty_pre_takeover) \
        ** p.taliban.willing_poverty_elasticity
    expected = min(gap, p.taliban.recruit_rate * pool) * min(1.0, m.fiscal_coverage)
    training.append(int(rng.poisson(expected * scale)))
    n_tal = training.popleft() if len(training) > p.taliban.training_months else 0
    taliban = np.flatnonzero(m.fighters.group < Group.ISK)
    if n_tal and taliban.size:
        model_on = rng.choice(taliban, size=n_tal)  # recruits join where and whom their peers serve
        economic = rng.random(n_tal) < m.poverty_rate  # the poorer the country, the more join for pay
        motive = np.where(economic, Motive.ECONOMIC, Motive.IDEOLOGICAL)
        group = m.fighters.group[model_on]
        hardness = np.where(economic, p.fighters.economic_hardness, m.faction_hardness[group])
        add_fighters(m, group, m.fighters.province[model_on], motive, m.fighters.ethnicity[model_on], hardness)
    m.month_flows["taliban_recruits"] = n_tal / scale


def add_recruits(m, group, provinces, motive, ethnicity) -> None:
    """New fighters of one motive: hardness and need drawn from that motive's profile."""
    f = m.p.fighters
    n = len(provinces)
    if n == 0:
        return
    ideological = motive == Motive.IDEOLOGICAL
    mean_hardness = f.ideological_hardness if ideological else f.economic_hardness
    add_fighters(m, group, provinces, motive, ethnicity, mean_hardness)


def add_fighters(m, group, provinces, motive, ethnicity, mean_hardness) -> None:
    """Append fighters with Beta-distributed hardness (given mean) and need (by motive)."""
    f, rng = m.p.fighters, m.rng_recruit
    n = len(provinces)
    if n == 0:
        return
    mean_need = np.where(np.asarray(motive) == Motive.ECONOMIC, f.economic_need, f.ideological_need)
    c = f.trait_concentration
    m.fighters.add(group, provinces, beta_draws(rng, mean_hardness, n, c), beta_draws(rng, mean_need, n, c),
                   ethnicity, motive)
