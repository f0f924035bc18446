"""The economy: GDP, poverty, people in need, the regime's budget, aid and recognition."""

from __future__ import annotations

import numpy as np


def update_economy(m) -> None:
    """GDP, poverty and the budget respond to aid, sanctions and insecurity (M5, M7, M2).

    GDP moves toward a level set by lost development aid (M5, ATI:55), sanctions and the
    frozen reserves (M7, TRT:57-61), humanitarian aid, trade with engaged neighbours, and
    insecurity. Poverty follows GDP with a lag as households exhaust their savings (M7:
    18.4M -> 24.4M -> 28.3M people in need, ALI:51, ALI:63), and is higher in provinces
    exposed to IS-K or the armed resistance. The budget is domestic
    revenue, released reserves and the on-budget share of restored aid, against a need
    that grows with the number of Taliban fighters on the payroll.
    """
    e, lv, donors = m.p.economy, m.levers, m.donors
    regional = m.regional_engagement()
    insecurity = min(1.0, m.last_isk_attacks / 30.0 + m.civil_war)
    restored = donors.development_aid / e.development_aid_pre_takeover if e.development_aid_pre_takeover else 0.0
    target = (1.0
              - e.aid_dependence * (1.0 - restored)
              - e.sanctions_drag * lv["sanctions"]
              - e.frozen_assets_drag * (1.0 - lv["assets_released"])
              + e.humanitarian_support * lv["humanitarian_aid"]
              + e.regional_trade_gain * regional
              - e.insecurity_drag * insecurity)
    m.gdp_index += (target - m.gdp_index) / e.gdp_adjustment_months

    poverty_target = (e.poverty_pre_takeover + e.poverty_gdp_elasticity * (1.0 - m.gdp_index)
                      - e.humanitarian_poverty_relief * lv["humanitarian_aid"])
    poverty_target = min(max(poverty_target, 0.01), 0.99)
    m.national_poverty += (poverty_target - m.national_poverty) / e.poverty_adjustment_months
    exposure = 1.0 - (1.0 - m.isk_reach()) * (1.0 - m.resistance_reach())
    m.province_poverty = np.clip(m.national_poverty + e.conflict_poverty * exposure, 0.0, 0.99)
    share = m.geo.population_share
    m.poverty_rate = float(m.province_poverty @ share)
    m.population *= (1.0 + m.p.population.growth_rate) ** (1.0 / 12.0)
    m.people_in_need = m.population * min(1.0, m.poverty_rate * e.need_share_of_poor)

    revenue = (e.revenue_at_full_gdp * m.gdp_index
               + lv["assets_released"] * e.frozen_assets / e.asset_drawdown_years
               + e.budget_support_share * donors.development_aid)
    payroll = m.taliban_strength() / m.p.taliban.initial_fighters
    need = e.budget_need * (1.0 - e.payroll_share + e.payroll_share * payroll)
    m.fiscal_coverage = revenue / need
    m.aid = donors.development_aid + donors.humanitarian_aid
    w = m.p.donors.recognition_western_weight
    m.recognition = w * donors.engagement + (1.0 - w) * regional


def pay_shortfall(fiscal_coverage: float) -> float:
    """Share of the budget the regime cannot pay (0 when fully funded)."""
    return max(0.0, 1.0 - fiscal_coverage)
