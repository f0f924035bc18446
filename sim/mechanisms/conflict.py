"""Violence between the groups: civil war, kill hazards, and IS-K's hold on provinces."""

from __future__ import annotations

import numpy as np

from ..fighters import ALLIES, N_GROUPS, TALIBAN, Group
from .recruitment import logistic


def hostile_allies(m) -> float:
    """Allied fighters turned against the regime: each allied group's strength x its hostility (M3)."""
    return sum(m.groups[g].hostility * m.groups[g].strength for g in ALLIES.tolist())


def update_civil_war(m) -> None:
    """A non-inclusive regime faces a growing armed opposition: civil war (M17, EER:17).

    Intensity is a logistic function of the armed opposition (the resistance plus allied
    groups in proportion to their hostility) per Taliban fighter.
    """
    c = m.p.conflict
    opposition = m.groups[Group.RESISTANCE].strength + hostile_allies(m)
    ratio = opposition / max(m.taliban_strength(), 1.0)
    m.civil_war = float(logistic((ratio - c.civil_war_ratio) / c.civil_war_width))


def update_kill_hazards(m, isk_attacks_on_taliban: int) -> None:
    """Next month's probability of death for a fighter of each group.

    IS-K: the crackdown, less what a civil war diverts (M17), divided by the resilience
    of dispersed cells (M19, EER:7). Taliban: IS-K attacks, the civil war, and allies who
    turned their guns (M3, ALI:243). Allies: action against them and Pakistan's strikes.
    Resistance: the civil war.
    """
    v, lv = m.p.violence, m.levers
    hazard = np.full(N_GROUPS, v.base_attrition)
    spread = m.isk_provinces / m.geo.size
    crackdown = lv["crackdown_isk"] * (1.0 - m.p.conflict.ct_diversion * m.civil_war)
    hazard[Group.ISK] += v.crackdown_kill_rate * crackdown / (1.0 + v.cell_resilience * spread)
    taliban = max(m.taliban_strength(), 1.0)
    civil_war_losses = v.civil_war_lethality * m.civil_war * m.groups[Group.RESISTANCE].strength
    losses = (isk_attacks_on_taliban * v.taliban_deaths_per_attack + civil_war_losses
              + v.hostile_allies_lethality * hostile_allies(m))
    hazard[TALIBAN] += losses / taliban
    hazard[ALLIES] += v.allies_kill_rate * lv["action_against_allies"]
    hazard[Group.TTP] += v.pakistan_strike_rate
    hazard[Group.RESISTANCE] += v.civil_war_lethality * m.civil_war
    m.kill_hazard = np.clip(hazard, 0.0, 0.5)


def update_isk_holdings(m) -> None:
    """Count months in which IS-K outnumbers the Taliban in a province (M19, TRT:29)."""
    isk, taliban = m.table[Group.ISK], m.table[TALIBAN].sum(axis=0)
    dominant = (isk > taliban) & (isk >= m.p.isk.presence_threshold)
    m.isk_hold_streak = np.where(dominant, m.isk_hold_streak + 1, 0)
