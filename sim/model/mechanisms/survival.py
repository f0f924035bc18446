"""Regime survival: the regime falls for a stated cause after sustained crisis."""

from __future__ import annotations

CAUSES = ("regime split", "loss of cohesion", "civil war", "fiscal collapse", "loss of territory")


def failing_conditions(m) -> dict[str, bool]:
    """Which failure conditions hold this month.

    Regime split: factions that broke away took at least ``survival.split_floor`` of the
    Taliban's initial fighters (ALI:259, ATI:45). Loss of cohesion: the strength-weighted
    loyalty of the factions is below the floor (ATI:45, ALI:83). Civil war: its intensity
    is above the floor (M17, ALI:83). Fiscal collapse: the budget covers less than the
    floor (ATI:55). Loss of territory: IS-K durably holds provinces (TRT:29, ALI:115).
    """
    s = m.p.survival
    return {
        "regime split": m.broken_fighters >= s.split_floor * m.p.taliban.initial_fighters,
        "loss of cohesion": m.regime_cohesion < s.cohesion_floor,
        "civil war": m.civil_war > s.civil_war_floor,
        "fiscal collapse": m.fiscal_coverage < s.fiscal_floor,
        "loss of territory": m.isk_held_provinces >= s.territory_floor,
    }


def check_survival(m) -> None:
    """The regime falls when a condition has held for ``survival.failing_months`` months.

    The cause is the condition that reached the limit first (ties in the order of CAUSES).
    The fall is absorbing: ``regime_survives`` stays 0 for the rest of the run.
    """
    for cause, failing in failing_conditions(m).items():
        m.crisis_months[cause] = m.crisis_months[cause] + 1 if failing else 0
    if not m.regime_survives:
        return
    for cause in CAUSES:
        if m.crisis_months[cause] >= m.p.survival.failing_months:
            m.regime_survives = False
            m.fall_month, m.fall_cause = m.month, cause
            return
