"""Each fighter's monthly choice: stay, defect to IS-K, desert, or be killed.

A random-utility (multinomial logit) generalisation of Epstein's (2002) threshold rule:
staying has utility 0; defecting and deserting have utilities built from the fighter's
hardness and need and from group-level pressures; death comes first, from last month's
violence. One uniform draw per fighter decides all four outcomes.
"""

from __future__ import annotations

import numpy as np

from sim.model.fighters import ALLIES, N_GROUPS, TALIBAN, Group
from sim.model.params import FACTIONS
from sim.model.mechanisms.economy import pay_shortfall
from sim.model.mechanisms.recruitment import resistance_room


def ideological_grievance(m) -> float:
    """What the regime's policy costs it with its hard-liners (M1, M3, M4, M10, M11).

    Moderation (M1, ALI:148), inclusion, the crackdown on fellow jihadists (ATI:45),
    action against allied groups (ALI:259), cooperation with foreign powers (M4, ATI:47)
    and engagement with China, Iran and Russia (M11, TRT:37).
    """
    f, lv = m.p.fighters, m.levers
    return (f.moderation_grievance * lv["moderation"] + f.inclusion_grievance * lv["inclusion"]
            + f.crackdown_grievance * lv["crackdown_isk"] + f.allies_grievance * lv["action_against_allies"]
            + f.cooperation_grievance * lv["foreign_cooperation"]
            + f.narrative_weight * m.rival_power_engagement())


def utility_tables(m) -> np.ndarray:
    """Per-group coefficients of the choice utilities, shape (N_GROUPS, 7).

    Columns: defection to IS-K intercept, x hardness, x need; desertion intercept, x need,
    x softness (1 - hardness); defection to the resistance. Groups that cannot defect get -inf.
    """
    p, lv = m.p.fighters, m.levers
    t = np.zeros((N_GROUPS, 7))
    t[:, 0] = t[:, 6] = -np.inf
    grievance = ideological_grievance(m)
    isk_pays = m.p.isk.relative_pay * (1.0 - m.isk.unpaid)
    taken = np.log(max(m.isk.acceptance(), 1e-9))  # IS-K takes on only the fighters it can pay
    excess_poverty = max(0.0, m.poverty_rate / m.p.economy.poverty_pre_takeover - 1.0)
    poorer = p.poverty_pull_weight * excess_poverty  # the poorer country pushes men out of the ranks
    poorer_isk = poorer * m.p.recruitment.poverty_weight  # and toward IS-K (M6), by poverty's uncertain weight
    for key, faction in zip(FACTIONS, m.factions):
        g = faction.group
        pull = max(0.0, isk_pays - faction.pay_coverage)
        t[g, 0] = (p.defection_base + getattr(m.p.factions, key).isk_affinity
                   + p.disloyalty_weight * (1.0 - faction.loyalty) + taken)
        t[g, 1] = p.hardline_weight * grievance                      # M1, M3, M4, M11
        t[g, 2] = p.economic_weight * pull + poorer_isk              # M6 (EER:13); Blattman and Miguel 2010
        t[g, 4] = p.desertion_pay_weight * pay_shortfall(faction.pay_coverage) + poorer  # Weinstein's consumers
    allied_push = p.allied_action_weight * lv["action_against_allies"] + p.allied_cooperation_weight * lv["foreign_cooperation"]
    t[ALLIES, 0] = p.allied_defection_base + taken                   # M3
    t[ALLIES, 1] = allied_push
    t[Group.CENTRAL_ASIAN, 0] += p.transnational_pull                # M18
    northern = m.factions[FACTIONS.index("northern")]
    t[Group.NORTHERN, 6] = (p.resistance_defection_base + p.exclusion_weight * (1.0 - lv["inclusion"])
                            + p.disloyalty_weight * (1.0 - northern.loyalty)
                            + np.log(max(resistance_room(m), 1e-9)))  # M13, M17 (ALI:172); only as it has room
    t[:, 3] = p.desertion_base
    t[Group.ISK, 3] = p.isk_desertion_base
    t[Group.ISK, 4] = m.p.isk.unpaid_desertion_weight * m.isk.unpaid  # unpaid IS-K fighters drift off
    t[Group.ISK, 5] = p.surrender_weight * lv["crackdown_isk"]
    t[Group.RESISTANCE, 3] += p.demobilisation_weight * lv["inclusion"]  # M17 (ALI:275)
    return t


def leaving_ceiling(t: np.ndarray, reach: np.ndarray, kill_hazard: np.ndarray) -> np.ndarray:
    """Per group, a probability of leaving (killed, defecting or deserting) no fighter exceeds.

    Each utility rises at most by its positive coefficients (hardness, need and softness lie
    in [0, 1]) and by the highest local reach; a margin of 1e-9 covers rounding.
    """
    v_defect = t[:, 0] + np.maximum(t[:, 1], 0.0) + np.maximum(t[:, 2], 0.0) + reach.max()
    v_desert = t[:, 3] + np.maximum(t[:, 4], 0.0) + np.maximum(t[:, 5], 0.0)
    leave = np.exp(v_defect) + np.exp(v_desert) + np.exp(t[:, 6])
    hazard = kill_hazard.max(axis=1)
    return (hazard + (1.0 - hazard) * leave / (1.0 + leave)) * (1.0 + 1e-9)


def leaving_cuts(m, t: np.ndarray, reach: np.ndarray, who: np.ndarray) -> tuple[np.ndarray, ...]:
    """For the fighters at positions ``who``: the cumulative probabilities of being killed,
    then defecting to IS-K, to the resistance, and deserting. A uniform draw below the first
    means killed, between two the later outcome, above the last staying.
    """
    f = m.fighters
    g = f.group[who].astype(np.intp)
    coef = t[g]
    hardness, need, province = f.hardness[who], f.need[who], f.province[who]
    v_defect = coef[:, 0] + coef[:, 1] * hardness + coef[:, 2] * need + reach[province]
    v_desert = coef[:, 3] + coef[:, 4] * need + coef[:, 5] * (1.0 - hardness)
    e_defect, e_desert, e_resist = np.exp(v_defect), np.exp(v_desert), np.exp(coef[:, 6])
    cut_killed = m.kill_hazard[g, province]
    alive = 1.0 - cut_killed
    denominator = 1.0 + e_defect + e_desert + e_resist
    cut_defect = cut_killed + alive * e_defect / denominator
    cut_resist = cut_defect + alive * e_resist / denominator
    cut_desert = cut_resist + alive * e_desert / denominator
    return cut_killed, cut_defect, cut_resist, cut_desert


def fighter_choices(m) -> None:
    """Apply this month's deaths, defections and desertions to every fighter.

    A fighter can defect to IS-K (and joins one of its cells, drawn by IS-K's fighters where
    the Taliban's control is weak), or (a Tajik or Uzbek Taliban fighter under an exclusive
    government) to the armed resistance. Defection utility = intercept[group] + hardness x
    grievance + need x (IS-K's pay edge over what the fighter's faction is paid + how much poorer the
    country is than before the takeover) + IS-K's local
    reach in the fighter's province (ATI:41) + log of the share of recruits IS-K can pay (it
    takes on only the fighters its money supports, Shapiro 2013). Desertion grows with need when the fighter's
    faction (or IS-K) cannot pay and as the country grows poorer. Kill hazards, by group and province, come from
    :func:`sim.model.mechanisms.conflict.update_kill_hazards`.

    Every fighter draws one uniform number. Only the few whose draw falls below their
    group's highest probability of leaving (:func:`leaving_ceiling`) can leave this month, so
    :func:`leaving_cuts` is computed for them alone; the outcome is the same as computing
    it for everyone.
    """
    f = m.fighters
    if f.n == 0:
        return
    t = utility_tables(m)
    reach = m.p.fighters.reach_weight * m.isk_reach()
    u = m.rng_choices.random(f.n)
    who = np.flatnonzero(u < leaving_ceiling(t, reach, m.kill_hazard)[f.group])
    u = u[who]
    cut_killed, cut_defect, cut_resist, cut_desert = leaving_cuts(m, t, reach, who)
    killed = u < cut_killed
    defect = (u >= cut_killed) & (u < cut_defect)
    resist = (u >= cut_defect) & (u < cut_resist)
    desert = (u >= cut_resist) & (u < cut_desert)

    g = f.group[who].astype(np.intp)
    led = f.ledger
    led["killed"] += np.bincount(g[killed], minlength=N_GROUPS)
    led["deserted"] += np.bincount(g[desert], minlength=N_GROUPS)
    out = np.bincount(g[defect], minlength=N_GROUPS)
    to_resistance = np.bincount(g[resist], minlength=N_GROUPS)
    led["defected_out"] += out + to_resistance
    led["defected_in"][Group.ISK] += out.sum()
    led["defected_in"][Group.RESISTANCE] += to_resistance.sum()
    m.month_defections = out + to_resistance
    m.month_losses = np.bincount(g[killed], minlength=N_GROUPS) + m.month_defections
    f.group[who[defect]] = Group.ISK
    f.province[who[defect]] = m.isk_cell_provinces(int(defect.sum()), m.rng_choices)
    f.group[who[resist]] = Group.RESISTANCE
    f.remove(who[killed | desert])
    m.month_flows |= {
        "defections_to_isk": out.sum() / m.scale,
        "defections_taliban_to_isk": out[TALIBAN].sum() / m.scale,
        "defections_allies_to_isk": out[ALLIES].sum() / m.scale,
        "defections_to_resistance": to_resistance.sum() / m.scale,
        "desertions": desert.sum() / m.scale,
        "killed": killed.sum() / m.scale,
    }
