"""The economy: GDP, poverty, people in need, the regime's budget, aid and recognition."""

from __future__ import annotations

import numpy as np

from sim.model import shocks

GDP_FLOOR = 0.05  # GDP cannot fall below a twentieth of its pre-takeover level (subsistence output remains)


def update_economy(m) -> None:
    """GDP, poverty and the budget respond to aid, sanctions, trade and insecurity (M5, M7, M2).

    GDP moves toward a level set by lost development aid (M5, ATI:55), sanctions and the
    frozen reserves (M7, TRT:57-61) as the donors leave them, humanitarian aid, trade with
    the neighbours whose borders are open, their engagement, droughts and
    insecurity; that level grows at the pre-takeover trend, and GDP moves toward it over
    ``economy.gdp_adjustment_months``, so it recovers when a shock passes. The takeover's banking
    and liquidity crisis (``economy.takeover_shock``) is not a lasting loss that output adjusts
    to but a stop to payments: it takes its share of GDP at once, holds until the UN's cash
    shipments begin (``economy.liquidity_relief_months``) and fades as they go on; without the
    humanitarian dollars they carried or released reserves it fades more slowly
    (:func:`liquidity_pace`). Poverty follows GDP per head with a lag as households exhaust their savings (M7: 18.4M -> 24.4M people
    in need, ALI:51, ALI:63) and is higher in provinces exposed to IS-K or the armed
    opposition; a drought cuts GDP and adds poverty while it lasts (:mod:`sim.model.shocks`).
    People in need are the poor in need plus recent returnees and people hit by earthquakes. The budget is
    domestic revenue (half of it customs, lost with closed borders), released reserves, the
    on-budget share of development aid and what aid spent in the country returns in customs,
    fees and taxes (``economy.aid_revenue_share``), against a need that grows with the number of
    Taliban fighters on the payroll.
    """
    e, lv, donors = m.p.economy, m.levers, m.donors
    years = (m.month + 1) / 12.0
    insecurity = min(1.0, m.last_isk_attacks / e.attacks_full_insecurity + m.civil_war)
    restored = donors.development_aid / e.development_aid_pre_takeover if e.development_aid_pre_takeover else 0.0
    open_trade = float(m.neighbour_weights("trade_share") @ [n.open_border for n in m.neighbours])
    target = (1.0
              - e.aid_dependence * (1.0 - restored)
              - e.sanctions_drag * m.sanctions
              - e.frozen_assets_drag * (1.0 - m.assets_released)
              + e.humanitarian_support * lv["humanitarian_aid"]
              - e.trade_dependence * (1.0 - open_trade)
              + e.regional_trade_gain * m.regional_standing()
              - e.insecurity_drag * insecurity
              - m.p.shocks.drought_gdp * shocks.drought(m)
              ) * (1.0 + e.trend_growth) ** years
    m.gdp_level += (target - m.gdp_level) / e.gdp_adjustment_months
    if m.month > e.liquidity_relief_months:
        pace = liquidity_pace(e, lv["humanitarian_aid"], m.assets_released)
        m.liquidity *= np.exp(-pace / e.shock_recovery_months)
    # the drags are shares of GDP set one by one; together they may exceed it, which no economy can do
    m.gdp_index = max(m.gdp_level - m.liquidity, GDP_FLOOR)

    m.population *= (1.0 + m.p.population.growth_rate) ** (1.0 / 12.0)
    per_head = m.gdp_index * m.p.population.total / m.population
    poverty_target = (e.poverty_pre_takeover + e.poverty_gdp_elasticity * (1.0 - per_head)
                      - e.humanitarian_poverty_relief * lv["humanitarian_aid"]
                      + m.p.shocks.drought_poverty * shocks.drought(m))
    poverty_target = min(max(poverty_target, 0.01), 0.99)
    m.national_poverty += (poverty_target - m.national_poverty) / e.poverty_adjustment_months
    exposure = 1.0 - (1.0 - m.isk_reach()) * (1.0 - m.resistance_reach())
    m.province_poverty = np.clip(m.national_poverty + e.conflict_poverty * exposure, 0.0, 0.99)
    m.poverty_rate = float(m.province_poverty @ m.geo.population_share)
    m.returnees -= m.returnees / e.reintegration_months
    m.people_in_need = ((m.population - m.returnees) * min(1.0, m.poverty_rate * e.need_share_of_poor)
                        + e.returnee_need_share * m.returnees + m.disaster_affected)

    m.domestic_revenue = e.revenue_at_full_gdp * m.gdp_index * (1.0 - e.customs_share * (1.0 - open_trade))
    revenue = (m.domestic_revenue + m.assets_released * e.frozen_assets / e.asset_drawdown_years
               + e.budget_support_share * donors.development_aid
               + e.aid_revenue_share * (donors.development_aid + donors.humanitarian_aid))
    # the forces' cost: the takeover's forces at the average, each fighter beyond them (or short of them)
    # at his pay and keep (economy.marginal_force_cost)
    payroll = 1.0 + e.marginal_force_cost * (m.taliban_strength() / m.p.taliban.initial_fighters - 1.0)
    need = e.budget_need * (1.0 - e.payroll_share + e.payroll_share * payroll)
    m.fiscal_coverage = revenue / need
    m.aid = donors.development_aid + donors.humanitarian_aid
    w = m.p.donors.recognition_western_weight
    m.recognition = w * donors.engagement + (1.0 - w) * m.regional_standing()


def liquidity_pace(e, humanitarian_aid: float, assets_released: float) -> float:
    """How fast the takeover's liquidity crisis eases: 1 with aid of USD 3bn a year or more (about its 2022
    level) or the reserves released, for the dollars that ended it came with the humanitarian aid (the UN's
    cash shipments) or would come with the reserves; without either, ``economy.liquidity_pace_without_dollars``
    (exports and remittances alone); in between, in proportion."""
    floor = e.liquidity_pace_without_dollars
    return floor + (1.0 - floor) * min(1.0, humanitarian_aid + assets_released)


def pay_shortfall(fiscal_coverage: float) -> float:
    """Share of the budget the regime cannot pay (0 when fully funded)."""
    return max(0.0, 1.0 - fiscal_coverage)
