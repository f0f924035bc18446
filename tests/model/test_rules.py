"""The round-2 rules, each over seed-paired replicates: a change in the cause moves the effect
in the documented direction (factions, the regime's forces, donors, neighbours, the economy,
IS-K's money, leaders and strategy, the TTP and Pakistan)."""

import numpy as np
import pandas as pd
import pytest

from conftest import STANDING, assert_higher, paired, per_replicate, simulate

from sim.model.model import RegimeModel
from sim.model.pakistan import DEPORTATIONS
from sim.model.params import STATE_KEYS

HELD_ARMY = {"taliban.force_target": 85000}  # the takeover's forces (the baseline schedules the army's growth)


# ---------------------------------------------------------------- factions (issue 9, part 1)
def test_pay_arrears_lower_loyalty(baseline):
    rich, poor = paired(baseline, {"economy.revenue_at_full_gdp": 5.0}, {"economy.revenue_at_full_gdp": 1.5},
                        "regime_cohesion", how="last", months=24)
    assert_higher(poor, rich, min_share=1.0)


def test_losing_posts_lowers_a_factions_loyalty(baseline):
    fair, purged = paired(baseline, {"factions.haqqani.posts_share": 0.3, "factions.kandahar.posts_share": 0.4},
                          {"factions.haqqani.posts_share": 0.05, "factions.kandahar.posts_share": 0.65},
                          "haqqani_loyalty", how="last", months=24)
    assert_higher(purged, fair, min_share=1.0)


def test_commanders_killed_by_isk_lower_loyalty(baseline):
    none, many = paired(baseline, {"factions.commanders_per_attack": 0.0}, {"factions.commanders_per_attack": 1.0},
                        "regime_cohesion", how="last", months=24)
    assert_higher(many, none, min_share=1.0)


def test_recruit_pool_limits_replacement(baseline):
    big, small = paired(baseline, {"taliban.willing_share": 0.05, "policy.crackdown_isk": 1.0},
                        {"taliban.willing_share": 0.0001, "policy.crackdown_isk": 1.0}, "taliban_fighters",
                        how="last", months=36)
    assert_higher(small, big, min_share=1.0)


def test_action_against_allies_phases_in_and_out():
    """M14: action against guests reaches the level the policy sets over allies.action_phase_in_months."""
    from sim.model.model import RegimeModel
    from sim.model.params import Parameters
    params = Parameters.from_dict({"policy.action_against_allies": {"2021-08": 0.6, "2022-08": 0.0},
                         "allies.action_phase_in_months": 12.0, **STANDING})
    model = RegimeModel(params, months=24, seed=3, scale=0.02)
    acting = []
    for _ in range(24):
        model.step()
        acting.append(model.levers["action_against_allies"])
    assert 0.0 < acting[0] < 0.1 and 0.3 < acting[11] < 0.6  # builds toward 0.6 over a year
    assert acting[23] < acting[12] and acting[23] > 0.1  # and fades over the next after it stops


def test_a_larger_force_target_grows_the_army_and_strains_the_budget(baseline):
    held = HELD_ARMY
    steady, grown = paired(baseline, held, {"taliban.force_target": 150000}, "taliban_fighters", how="last", months=36)
    assert_higher(steady, grown, min_share=1.0)
    cheap, costly = paired(baseline, held, {"taliban.force_target": 150000}, "fiscal_coverage", how="last", months=36)
    assert_higher(costly, cheap)  # each man beyond the takeover's forces at his pay and keep (marginal_force_cost)


def test_intelligence_makes_the_crackdown_bite(baseline):
    blind, informed = paired(baseline, {"taliban.intelligence_initial": 0.05, "taliban.intelligence_build_months": 240},
                             {"taliban.intelligence_initial": 0.9}, "isk_fighters", how="last", months=24)
    assert_higher(informed, blind)


# ---------------------------------------------------------------- donors and neighbours (part 2)
def test_conditional_donors_grant_relief_for_a_record_of_moderation_and_counterterrorism(baseline):
    no_attacks = {"donors.sectarian_damage": 0.0, "violence.spectacular_shock": 0.0}  # the offer alone
    bargain = {**no_attacks, "policy.moderation": 1.0, "policy.inclusion": 0.8, "policy.foreign_cooperation": 0.6}
    held, relieved = paired(baseline, no_attacks, bargain, "sanctions", how="last", months=48)
    assert_higher(relieved, held, min_share=1.0)
    none, some = paired(baseline, no_attacks, bargain, "development_aid", how="last", months=48)
    assert_higher(none, some, min_share=1.0)


def test_fixed_donors_keep_the_scenarios_levers(baseline):
    table = simulate(baseline, {"donors.mode": "fixed", "policy.moderation": 1.0, "external.sanctions": 0.7},
                     months=24, replicates=2)
    assert np.allclose(table["sanctions"], 0.7)


def test_a_reversal_costs_credibility(baseline):
    kept = {"policy.moderation": 1.0}
    reversed_ = {"policy.moderation": {"2021-08": 1.0, "2023-08": 0.0, "2024-02": 1.0}}
    low, high = paired(baseline, reversed_, kept, "donor_credibility", how="last", months=48, replicates=4)
    assert_higher(low, high, min_share=1.0)


def test_sanctuary_for_the_ttp_turns_pakistan_against_the_regime(baseline):
    act, shelter = paired(baseline, {"policy.action_against_allies": 0.8}, {"policy.action_against_allies": 0.0},
                          "pakistan_engagement", how="mean", months=36)
    assert_higher(shelter, act)  # neighbours decide with random timing (issue 18)


def test_a_hostile_pakistan_closes_its_border_deports_and_costs_trade(baseline):
    """Pakistan made hostile by the scenario closes its border (trade and customs lost); a deportation
    campaign sends Afghans home."""
    patient = {"neighbours.pakistan.tolerated_attacks": 200.0}
    hostile = {**patient, "external.pakistan_stance": {"2022-01": "hostile"}}
    calm, angry = paired(baseline, patient, hostile, "pakistan_open_border", how="mean", months=48)
    assert_higher(angry, calm, min_share=1.0)
    open_, closed = paired(baseline, patient, hostile, "fiscal_coverage", how="mean", months=48)
    assert_higher(closed, open_, min_share=1.0)
    kept, deported = paired(baseline, patient, {**patient, "external.pakistan_deportation": {"2023-10": 0.03}},
                            "deported", months=48)
    assert_higher(kept, deported, min_share=1.0)


# ---------------------------------------------------------------- the economy (part 3)
def test_gdp_recovers_when_the_shock_passes(baseline):
    table = simulate(baseline, {"donors.mode": "fixed",
                                "external.sanctions": {"2021-08": 1.0, "2023-08": 0.0},
                                "external.assets_released": {"2021-08": 0.0, "2023-08": 1.0}},
                     months=60, replicates=4)
    trough = per_replicate(table, "gdp_index", "last", window=(0, 23))
    later = per_replicate(table, "gdp_index", "last", window=(0, 59))
    assert (later > trough + 0.05).all()


def test_without_aid_dollars_or_reserves_the_liquidity_crisis_lingers(baseline):
    """The UN's cash shipments came with the humanitarian aid: with neither aid nor released reserves
    the takeover's crisis eases at economy.liquidity_pace_without_dollars, so GDP in 2022 is lower;
    at a pace of 1 the aid's dollars make no difference to it."""
    isolated = {"donors.mode": "fixed", "external.humanitarian_aid": 0.0, "external.assets_released": 0.0}
    fast, slow = paired(baseline, {**isolated, "economy.liquidity_pace_without_dollars": 1.0},
                        {**isolated, "economy.liquidity_pace_without_dollars": 0.25}, "gdp_index", how="mean",
                        window=(5, 16), months=17)
    assert_higher(slow, fast, min_share=1.0)
    from sim.model.mechanisms.economy import liquidity_pace
    from sim.model.params import Parameters

    e = Parameters().tree().economy
    assert liquidity_pace(e, 1.07, 0.0) == liquidity_pace(e, 0.0, 1.0) == 1.0
    assert liquidity_pace(e, 0.0, 0.0) == e.liquidity_pace_without_dollars
    assert liquidity_pace(e, 0.0, 0.0) < liquidity_pace(e, 0.5, 0.0) < 1.0


def test_people_in_need_stay_a_plausible_share_and_respond_to_aid(baseline):
    table = simulate(baseline, months=120, replicates=4)
    share = table["people_in_need"] / 41e6 / (1.023 ** (table["month"] / 12))
    assert share.between(0.3, 0.85).all()
    aided, cut = paired(baseline, {"external.humanitarian_aid": 2.0}, {"external.humanitarian_aid": 0.0},
                        "people_in_need", how="last", months=36)
    assert_higher(aided, cut, min_share=1.0)


# ---------------------------------------------------------------- IS-K as an organisation (part 4)
@pytest.mark.xfail(reason="round 4 finding: with commanders going over to IS-K by power and pay, half the outside "
                   "money cuts IS-K by about 60% under a rising supply price against 45% under a flat wage: the "
                   "diminishing returns this test asserts no longer show at the defaults", strict=False)
def test_money_constrains_isks_size_with_diminishing_returns(baseline):
    """Issue 18b: money is one constraint among several. Under a rising supply price (isk.supply_elasticity 2,
    the default) the wage rises as IS-K hires deeper into the pool its networks reach, so x0.5 / x2 outside money
    moves its size by well under -50% / +100%, and far less than with a flat wage (isk.supply_elasticity 0, size set
    by money alone)."""
    kw = dict(how="last", months=84, replicates=6)
    priced = {"isk.supply_elasticity": 2.0, "isk.outside_funding": 0.15, **HELD_ARMY}
    half, base = paired(baseline, {**priced, "external.isk_outside_funding": 0.5}, priced, "isk_fighters", **kw)
    double = per_replicate(simulate(baseline, {**priced, "external.isk_outside_funding": 2.0}, months=84,
                                    replicates=6), "isk_fighters", "last")
    assert_higher(half, base, min_share=1.0)
    assert_higher(base, double)
    assert -0.45 < half.sum() / base.sum() - 1 < -0.15
    assert 0.2 < double.sum() / base.sum() - 1 < 0.85  # the core's transfers do not grow with its size
    flat = {"isk.supply_elasticity": 0.0, **HELD_ARMY}
    flat_half, flat_base = paired(baseline, {**flat, "external.isk_outside_funding": 0.5}, flat, "isk_fighters", **kw)
    assert flat_half.sum() / flat_base.sum() < half.sum() / base.sum() - 0.05


def test_poverty_fills_isks_pool_and_cheapens_its_fighters(baseline):
    """Issue 17 item 2 / 18b: under a rising supply price (isk.supply_elasticity 2, the default),
    with the poverty pull or the poverty-cheapened wage removed IS-K is materially smaller (its pool of
    willing men and its supply price carry the poverty channel)."""
    kw = dict(how="last", months=84, replicates=6)
    priced = {"isk.supply_elasticity": 2.0, "isk.outside_funding": 0.15, **HELD_ARMY}
    none, pull = paired(baseline, {**priced, "recruitment.poverty_elasticity": 0.0}, priced, "isk_fighters", **kw)
    assert_higher(none, pull, min_share=1.0)
    assert pull.sum() / none.sum() > 1.25
    dear, cheap = paired(baseline, {**priced, "isk.wage_poverty_elasticity": 0.0}, priced, "isk_fighters", **kw)
    assert_higher(dear, cheap)
    assert cheap.sum() / dear.sum() > 1.05  # about 7% at the defaults
    null, documented = paired(baseline, {**priced, "recruitment.poverty_weight": 0.0}, priced, "isk_fighters", **kw)
    assert_higher(null, documented)  # poverty's weight scales all three channels at once (0: the literature's null)


def test_killing_leaders_cuts_attacks_before_numbers(baseline):
    spared, hunted = {"isk.leader_exposure": 0.0}, {"isk.leader_exposure": 30.0}
    attacks_spared, attacks_hunted = paired(baseline, spared, hunted, "isk_attacks", months=24)
    assert_higher(attacks_hunted, attacks_spared, min_share=1.0)
    size_spared, size_hunted = paired(baseline, spared, hunted, "isk_fighters", how="last", months=24)
    drop_attacks = 1 - attacks_hunted.sum() / attacks_spared.sum()
    drop_size = 1 - size_hunted.sum() / size_spared.sum()
    assert drop_attacks > drop_size + 0.2


def test_pressure_at_home_shifts_operations_abroad(baseline):
    soft, hard = {"policy.crackdown_isk": 0.0}, {"policy.crackdown_isk": 1.0,
                                                   "taliban.intelligence_initial": 0.9}
    a_soft = simulate(baseline, soft, months=36)
    a_hard = simulate(baseline, hard, months=36)
    share = lambda t: (t.groupby("replicate")["isk_attacks_abroad"].sum()  # noqa: E731
                       / (t.groupby("replicate")["isk_attacks_abroad"].sum()
                          + t.groupby("replicate")["isk_attacks"].sum())).to_numpy()
    assert_higher(share(a_soft), share(a_hard))


def test_engagement_invites_spoiler_attacks(baseline):
    quiet, opening = paired(baseline, {"isk.spoiler_timing": 0.0}, {"isk.spoiler_timing": 20.0},
                            "isk_attacks_on_civilians", months=36,
                            )
    assert quiet.sum() <= opening.sum()


def test_isk_concentrates_where_control_is_weak(baseline):
    model = RegimeModel(baseline.parameters(), months=36, seed=5, scale=0.1)
    model.run()
    isk = model.table[4]
    weak = model.control < np.median(model.control)
    assert isk[weak].sum() > 2 * isk[~weak].sum()
    assert model.isk_provinces < model.geo.size


# ---------------------------------------------------------------- the TTP and Pakistan (part 5)
def test_sanctuary_grows_the_ttp_and_its_attacks(baseline):
    act, shelter = paired(baseline, {"policy.action_against_allies": 0.8}, {"policy.action_against_allies": 0.0},
                          "ttp_fighters", how="last", months=36)
    assert_higher(act, shelter, min_share=1.0)
    first = simulate(baseline, months=36)
    early = per_replicate(first, "ttp_fighters", "last", window=(0, 0))
    later = per_replicate(first, "ttp_fighters", "last", window=(0, 35))
    # the record: 3,000-5,000 after the prison releases (late 2021), 6,000-6,500 in 2023-2025 (UN Monitoring Team)
    assert 3000 < early.mean() < 5000 < later.mean() < 7500
    a_act, a_shelter = paired(baseline, {"policy.action_against_allies": 0.8}, {"policy.action_against_allies": 0.0},
                              "ttp_attacks_pakistan", months=36)
    assert_higher(a_act, a_shelter, min_share=1.0)


def test_pakistans_militant_attacks_count_every_group_and_move_nothing(baseline):
    """militant_attacks_pakistan = the TTP's + IS-K's in Pakistan + the groups the model leaves out, at
    violence.unmodelled_attacks_pakistan a month (PIPS's breakdown); that rate changes no other outcome."""
    table = simulate(baseline, months=24)
    extra = table["militant_attacks_pakistan"] - table["ttp_attacks_pakistan"]
    assert (extra >= 0).all()
    rate = baseline.parameters().tree().violence.unmodelled_attacks_pakistan
    assert rate <= extra.mean() < rate + 3  # IS-K's few attacks in Pakistan on top of the nationalists'
    more = simulate(baseline, {"violence.unmodelled_attacks_pakistan": 3 * rate}, months=24)
    others = [c for c in table.columns if c != "militant_attacks_pakistan"]
    pd.testing.assert_frame_equal(table[others], more[others])
    assert more["militant_attacks_pakistan"].mean() > table["militant_attacks_pakistan"].mean() + rate


def test_action_against_the_ttp_costs_the_sheltering_factions(baseline):
    shelter, act = paired(baseline, {"policy.action_against_allies": 0.0}, {"policy.action_against_allies": 0.8},
                          "haqqani_loyalty", how="last", months=24)
    assert_higher(act, shelter, min_share=1.0)


# ---------------------------------------------------------------- issue 18: Pakistan, the TTP, IS-K, neighbours
def test_pakistan_climbs_its_ladder_with_ttp_violence_without_saturating(baseline):
    """Twice the TTP's violence gives Pakistan about twice the pressure (no ceiling) and higher rungs."""
    low, high = {"violence.ttp_attack_rate": 2.0}, {"violence.ttp_attack_rate": 4.0}
    p_low, p_high = paired(baseline, low, high, "pakistan_pressure", how="mean", months=36)
    assert_higher(p_low, p_high, min_share=1.0)
    assert (p_high / p_low).mean() > 1.5  # the pressure keeps rising with violence
    r_low, r_high = paired(baseline, low, high, "pakistan_escalation", how="mean", months=36)
    assert_higher(r_low, r_high)


def test_sheltering_the_ttp_drives_pakistan_up_the_ladder(baseline):
    act, shelter = paired(baseline, {"policy.action_against_allies": 0.8}, {"policy.action_against_allies": 0.0},
                          "pakistan_escalation", how="mean", months=48)
    assert_higher(act, shelter)  # China's mediation keeps Pakistan off the ladder in a few replicates
    assert shelter.mean() - act.mean() > 0.4  # a patron's restraint holds the first years back


def test_the_month_pakistan_turns_hostile_varies_across_replicates(baseline):
    """Pakistan's turn comes from the TTP's violence, its restraint and China's mediation, with chance in
    each: the replicates that see it turn hostile within eight years do so in months spread over years."""
    table = simulate(baseline, STANDING, months=96, replicates=12)  # Pakistan's choice, not the regime's fall
    first = table[table["pakistan_status"] == 0].groupby("replicate")["month"].min()
    assert len(first) >= 3
    assert first.nunique() >= len(first) / 2 and first.max() - first.min() >= 12


def test_a_scheduled_stance_overrides_pakistans_rule(baseline):
    table = simulate(baseline, {"external.pakistan_stance": {"2022-06": "hostile"}}, months=36, replicates=6)
    later = table[table["month"] >= 10]  # June 2022
    assert (later["pakistan_status"] == 0).all() and (later["pakistan_escalation"] >= 2).all()
    earlier = table[table["month"] < 10]
    assert (earlier["pakistan_status"] > 0).any()  # before its first date Pakistan decides for itself
    friendly = simulate(baseline, {"external.pakistan_stance": "engaged"}, months=36, replicates=4)
    assert (friendly["pakistan_status"] == 2).all() and (friendly["pakistan_escalation"] == 0).all()


def test_the_ttp_grows_with_sanctuary_and_shrinks_under_pakistans_strikes(baseline):
    patient = {"neighbours.pakistan.tolerated_attacks": 200.0}
    striking = {"external.pakistan_stance": {"2022-01": "hostile"}, "neighbours.pakistan.ladder_start": 0.0,
                "neighbours.pakistan.ladder_step": 0.05}
    struck, spared = paired(baseline, striking, patient, "ttp_fighters", how="last", months=48)
    assert_higher(struck, spared, min_share=1.0)
    assert (spared - struck).mean() > 1000  # strikes cost the TTP more than a thousand fighters in four years
    grows = simulate(baseline, {**patient, "allies.ttp_recruits": 400.0}, months=48)
    assert (per_replicate(grows, "ttp_fighters", "last") > 9000).mean() >= 0.75  # above its documented size, no cap


def test_no_parameter_caps_the_size_of_the_ttp_or_isk():
    import re
    from sim.model.params import SPECS
    assert not [s.name for s in SPECS if re.match(r"(allies\.ttp|isk)\.", s.name)
                and re.search(r"capacity|ceiling|maximum|max_", s.name)]


def test_allied_hostility_answers_to_what_is_done_to_them_and_lasts(baseline):
    campaign = {"policy.action_against_allies": {"2021-08": 0.6, "2023-08": 0.0}, **STANDING,
                "allies.action_phase_in_months": 1.0}  # the hostility's own memory, not the action's phase-in
    table = simulate(baseline, campaign, months=40, replicates=2)
    by_month = table.groupby("month")["ttp_hostility"].median()
    assert by_month[0] < by_month[23] and by_month[23] > 0.5   # it builds while the regime acts
    assert 0.2 < by_month[35] < by_month[23]                    # and fades slowly after it stops
    none = simulate(baseline, months=24, replicates=2)
    assert (none["ttp_hostility"] == 0).all()


def test_isk_moves_abroad_as_home_gets_costly(baseline):
    """The crackdown's selectivity (intelligence) kills IS-K's leaders; it then shifts operations abroad."""
    blind = {"taliban.intelligence_initial": 0.05, "taliban.intelligence_build_months": 240}
    informed = {"taliban.intelligence_initial": 0.9}
    cost_low, cost_high = paired(baseline, blind, informed, "isk_home_cost", how="mean", months=36)
    assert_higher(cost_low, cost_high, min_share=1.0)
    abroad_low, abroad_high = paired(baseline, blind, informed, "isk_attacks_abroad", months=36)
    assert_higher(abroad_low, abroad_high)
    home_low, home_high = paired(baseline, blind, informed, "isk_attacks", months=36)
    assert_higher(home_high, home_low, min_share=1.0)


def test_isk_attacks_at_home_fall_in_2023_and_abroad_rise(baseline):
    table = simulate(baseline, months=48, replicates=8)
    year = table["date"].str[:4]
    home = table.groupby([year, "replicate"])["isk_attacks"].sum().unstack(0)
    abroad = table.groupby([year, "replicate"])["isk_attacks_abroad"].sum().unstack(0)
    assert (home["2023"] < 0.75 * home["2022"]).mean() >= 0.75
    assert (abroad["2024"] > abroad["2022"]).mean() >= 0.75


def test_isk_money_answers_to_its_renown_and_to_a_scheduled_cut(baseline):
    flat, rewarded = paired(baseline, {"isk.external_reward": 0.0}, {"isk.external_reward": 0.2}, "isk_transfers",
                            how="mean", months=48)
    assert_higher(flat, rewarded, min_share=1.0)
    cut, kept = paired(baseline, {"external.isk_outside_funding": {"2021-08": 1.0, "2023-01": 0.0}}, {},
                       "isk_fighters", how="last", months=48)
    assert_higher(cut, kept, min_share=1.0)


def test_western_recognition_can_be_scheduled(baseline):
    table = simulate(baseline, {"external.western_recognition": {"2023-01": 1.0}}, months=36, replicates=2)
    later = table[table["month"] >= 17]
    assert (later["western_engagement"] == 1.0).all() and (later["sanctions"] == 0.0).all()
    assert (table[table["month"] < 17]["western_engagement"] < 0.5).all()


def test_neighbours_decide_with_uncertainty_and_the_gulf_states_take_part(baseline):
    table = simulate(baseline, months=48, replicates=8)
    assert {"qatar_status", "uae_status"} <= set(table.columns)
    steps = table[table["uae_status"] >= 3].groupby("replicate")["month"].min()
    assert steps.nunique() >= 3  # the UAE accepts an ambassador in different months
    engagement = table[table["month"] == 47]["russia_engagement"]
    assert engagement.std() > 0.01


def test_a_pakistan_that_tolerates_less_leaves_a_smaller_ttp(baseline):
    """The claim R-ttp-strikes at the defaults."""
    impatient, patient = paired(baseline, {"neighbours.pakistan.tolerated_attacks": 6.0},
                                {"neighbours.pakistan.tolerated_attacks": 50.0}, "ttp_fighters", how="last", months=60)
    assert_higher(impatient, patient)


# ----------------------------------------------------------------------------- costs that hold Pakistan back
def test_a_patrons_restraint_delays_pakistans_coercion(baseline):
    """Without restraint toward the regime it backed, Pakistan climbs its ladder sooner: a higher mean
    rung over the first two years and deportations (rung 4) before October 2023 in more replicates."""
    eager, patron = {"neighbours.pakistan.client_restraint": 0.0}, {"neighbours.pakistan.client_restraint": 1.5}
    r_patron, r_eager = paired(baseline, patron, eager, "pakistan_escalation", how="mean", months=26, replicates=12)
    assert_higher(r_patron, r_eager)
    assert r_eager.mean() - r_patron.mean() > 0.3  # about half a rung lower on average while the ties hold
    t_patron = simulate(baseline, patron, months=26, replicates=12)
    t_eager = simulate(baseline, eager, months=26, replicates=12)
    early = lambda t: (t.groupby("replicate")["pakistan_escalation"].max() >= DEPORTATIONS).mean()  # noqa: E731
    assert early(t_patron) < early(t_eager) and early(t_patron) <= 0.25  # early deportation rare


def test_war_weariness_brings_pakistan_down_from_open_fighting(baseline):
    """A Pakistan pushed to open fighting (a low ladder) steps down as fighting's costs mount."""
    # pressure is in tolerated levels (7.9 attacks a month since 0.8.0, 12 before): the ladder and the war's cost
    # are half again those of 0.7.0's test, the same attack levels
    eager = {**STANDING, "neighbours.pakistan.ladder_start": 0.75, "neighbours.pakistan.ladder_step": 0.45,
             "neighbours.pakistan.client_restraint": 0.0, "neighbours.pakistan.step_months": 2.0}  # Pakistan's choice
    costly = {**eager, "neighbours.pakistan.war_cost": 3.0}
    tireless, weary = paired(baseline, {**eager, "neighbours.pakistan.war_cost": 0.0}, costly, "pakistan_escalation",
                             how="mean", window=(24, 59), months=60)
    assert_higher(weary, tireless, min_share=0.75)
    assert tireless.mean() - weary.mean() > 0.5  # half a rung lower over the third to fifth years
    table = simulate(baseline, costly, months=60)
    steps_down = table.groupby("replicate")["pakistan_escalation"].apply(
        lambda r: ((r.shift() == 5) & (r < 5)).sum())
    assert (steps_down > 0).mean() >= 0.5  # most replicates that fight also step down


def test_pakistans_grievance_counts_violence_above_what_it_tolerated_without_a_ceiling(baseline):
    model = RegimeModel(baseline.parameters(), months=2, seed=1, scale=0.05)
    pakistan = model.neighbour("pakistan")
    tolerated = model.p.neighbours.pakistan.tolerated_attacks
    assert pakistan.grievance(tolerated) == 0.0 and pakistan.grievance(0.0) == 0.0
    assert np.isclose(pakistan.grievance(2 * tolerated), 0.5) and np.isclose(pakistan.grievance(4 * tolerated), 0.75)
    other = model.neighbour("iran")
    assert other.grievance(100.0) == 1.0  # the other states keep the saturating threat


def test_followers_of_a_broken_consensus_take_formal_steps_sooner(baseline):
    """Once a first state has accepted an ambassador, the others follow more easily: more formal steps by
    mid-2027 with the consensus than without it; the first mover's threshold is left as it was. (Six years:
    the first formal step often comes in 2025, as Russia's did, so four years leave the followers no time.)"""
    alone, follow = paired(baseline, {"neighbours.consensus_cost": 0.0}, {"neighbours.consensus_cost": 0.3},
                           "regional_standing", how="mean", months=72)
    assert_higher(alone, follow)
    t_alone = simulate(baseline, {"neighbours.consensus_cost": 0.0}, months=72)
    t_follow = simulate(baseline, {"neighbours.consensus_cost": 0.3}, months=72)
    formal = lambda t: (t[[f"{k}_status" for k in STATE_KEYS]] >= 3).sum(axis=1).mean()  # noqa: E731
    assert formal(t_follow) > 1.2 * formal(t_alone)  # ambassadors accepted, state-months: at least a fifth more
    model = RegimeModel(baseline.parameters({"neighbours.consensus_cost": 0.3}), months=2, seed=1, scale=0.05)
    russia = model.neighbour("russia")
    for n in model.neighbours:
        n.status = 2  # nobody has taken a formal step: the first mover needs ambassador_above exactly
    russia.engagement = model.p.neighbours.ambassador_above + russia.reluctance - 0.01
    assert russia.desired_status() == 2
    for n in model.neighbours:
        if n is not russia:
            n.status = 3  # all the others have: the threshold falls by the whole consensus cost
    assert russia.desired_status() == 3


def test_chinas_mediation_draws_pakistan_toward_the_regime(baseline):
    """Pakistan's engagement target moves toward China's: higher engagement, by a sizeable margin."""
    alone, mediated = paired(baseline, {"neighbours.pakistan.mediator_weight": 0.0},
                             {"neighbours.pakistan.mediator_weight": 0.6}, "pakistan_engagement", how="mean",
                             months=48)
    assert_higher(alone, mediated, min_share=1.0)
    assert mediated.mean() - alone.mean() > 0.05
    model = RegimeModel(baseline.parameters({"neighbours.pakistan.mediator_weight": 0.3}), months=2, seed=1,
                        scale=0.05)
    model.neighbour("china").engagement = 0.9
    assert np.isclose(model.neighbour("pakistan").mediated(0.3), 0.3 + 0.3 * (0.9 - 0.3))


def test_isk_attacks_abroad_follow_its_external_network_not_its_fighters(baseline):
    """Shapiro (2013): operations abroad need a scarce external network. Three times the recruits make a much
    larger IS-K but barely more attacks abroad; foreign counter-terrorism that dismantles a tenth of the network a
    month, not a fiftieth, leaves it mounting far fewer."""
    few = {"recruitment.economic_rate": 0.0001}
    many = {"recruitment.economic_rate": 0.0003}
    size_few, size_many = paired(baseline, few, many, "isk_fighters", how="last", months=48)
    abroad_few, abroad_many = paired(baseline, few, many, "isk_attacks_abroad", months=48)
    assert size_many.sum() > 1.5 * size_few.sum()
    assert abroad_many.sum() < 1.25 * abroad_few.sum()
    spared, hunted = paired(baseline, {"isk.foreign_ct_rate": 0.02}, {"isk.foreign_ct_rate": 0.1},
                            "isk_attacks_abroad", months=48)
    assert_higher(hunted, spared)
    assert hunted.sum() < 0.7 * spared.sum()  # at least three tenths fewer


def test_deported_from_pakistan_counts_pakistans_campaign_only(baseline):
    iran_only = simulate(baseline, {"external.iran_deportation": {"2022-01": 0.02},
                                    "neighbours.pakistan.tolerated_attacks": 200.0}, months=24, replicates=2)
    assert (iran_only["deported_from_pakistan"] == 0).all() and iran_only["deported"].max() > 0
    both = simulate(baseline, {"external.pakistan_deportation": {"2022-01": 0.03}}, months=24, replicates=2)
    first = both[both["month"] == 5]
    assert np.allclose(first["deported_from_pakistan"], 0.03 * 3.0e6)  # the scheduled share of 3 million
