"""Violence between the groups: civil war, kill hazards, and IS-K's hold on provinces."""

from __future__ import annotations

import numpy as np

from sim.model.fighters import ALLIES, N_GROUPS, OPPOSITION, TALIBAN, Group
from sim.model.mechanisms.recruitment import logistic


def hostile_allies(m) -> float:
    """Allied fighters turned against the regime: each allied group's strength x its hostility (M3)."""
    return sum(m.groups[g].hostility * m.groups[g].strength for g in ALLIES.tolist())


def opposition_fighters(m) -> float:
    """Fighters of the resistance and of renegade Taliban from broken factions."""
    return sum(m.groups[g].strength for g in OPPOSITION.tolist())


def armed_opposition(m) -> float:
    """The resistance, renegade Taliban from broken factions, and hostile allies, each of these weighted
    by ``conflict.hostile_allies_weight`` (guests who fight in the regime's rear more than they hold ground)."""
    return opposition_fighters(m) + m.p.conflict.hostile_allies_weight * hostile_allies(m)


def update_civil_war(m) -> None:
    """A non-inclusive regime faces a growing armed opposition: civil war (M17, EER:18).

    Intensity is a logistic function of the armed opposition (the resistance, renegade
    factions, and allied groups in proportion to their hostility and ``conflict.hostile_allies_weight``)
    per Taliban fighter.
    """
    c = m.p.conflict
    ratio = armed_opposition(m) / max(m.taliban_strength(), 1.0)
    m.civil_war = float(logistic((ratio - c.civil_war_ratio) / c.civil_war_width))


def update_kill_hazards(m, isk_attacks_on_taliban: int) -> None:
    """Next month's probability of death for a fighter of each group in each province.

    IS-K: the crackdown's pressure (lever x intelligence x the regime's relative force, less
    what a civil war diverts, M17) x the Taliban's local control, divided by the resilience
    of dispersed cells (M19, EER:7): IS-K survives where control is weak. Taliban: IS-K
    attacks, the civil war, and allies who turned their guns (M3, ALI:243). Allies: action
    against them; the TTP also Pakistan's routine operations and, while Pakistan is
    hostile, its strikes. Resistance and renegades: the civil war; the resistance also the regime's
    operations against it, as strong as the forces that obey the regime.
    """
    v, lv = m.p.violence, m.levers
    hazard = np.full((N_GROUPS, m.geo.size), v.base_attrition)
    spread = m.isk_provinces / m.geo.size
    hazard[Group.ISK] += v.crackdown_kill_rate * m.isk.pressure() * m.control / (1.0 + v.cell_resilience * spread)
    taliban = max(m.taliban_strength(), 1.0)
    civil_war_losses = v.civil_war_lethality * m.civil_war * opposition_fighters(m)
    losses = (isk_attacks_on_taliban * v.taliban_deaths_per_attack + civil_war_losses
              + v.hostile_allies_lethality * hostile_allies(m))
    hazard[TALIBAN] += losses / taliban
    hazard[ALLIES] += v.allies_kill_rate * lv["action_against_allies"]
    strikes = m.neighbour(m.ttp.target_state).strikes_ttp()
    hazard[Group.TTP] += v.pakistan_strike_rate + m.p.neighbours.strike_rate * strikes
    hazard[OPPOSITION] += v.civil_war_lethality * m.civil_war
    hazard[Group.RESISTANCE] += v.resistance_attrition * m.force_ratio() * m.commanders.obeying().mean()
    m.kill_hazard = np.clip(hazard, 0.0, v.max_kill_share)


def update_isk_holdings(m) -> None:
    """Count the months in which IS-K holds each province (M19, TRT:29).

    IS-K holds a province where the Taliban's local control has fallen below
    ``isk.hold_control`` and IS-K is the strongest of the armed rivals there.
    """
    isk = m.table[Group.ISK]
    dominant = ((m.control < m.p.isk.hold_control) & (isk >= m.table[OPPOSITION].max(axis=0))
                & (isk >= m.p.isk.presence_threshold))
    m.isk_hold_streak = np.where(dominant, m.isk_hold_streak + 1, 0)
