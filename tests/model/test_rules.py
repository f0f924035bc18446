"""The round-2 rules, each over seed-paired replicates: a change in the cause moves the effect
in the documented direction (factions, the regime's forces, donors, neighbours, the economy,
IS-K's money, leaders and strategy, the TTP and Pakistan)."""

import numpy as np

from conftest import assert_higher, paired, per_replicate, simulate

from sim.model.model import RegimeModel


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


def test_a_larger_force_target_grows_the_army_and_strains_the_budget(baseline):
    steady, grown = paired(baseline, {}, {"taliban.force_target": 150000}, "taliban_fighters", how="last", months=36)
    assert_higher(steady, grown, min_share=1.0)
    cheap, costly = paired(baseline, {}, {"taliban.force_target": 150000}, "fiscal_coverage", how="last", months=36)
    assert_higher(costly, cheap, min_share=1.0)


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
    assert_higher(shelter, act, min_share=1.0)


def test_a_hostile_pakistan_closes_its_border_deports_and_costs_trade(baseline):
    calm, angry = paired(baseline, {"neighbours.attack_grievance": 0.0}, {"neighbours.attack_grievance": 2.0},
                         "deported", months=60)
    assert_higher(calm, angry)
    open_, closed = paired(baseline, {"neighbours.attack_grievance": 0.0}, {"neighbours.attack_grievance": 2.0},
                           "fiscal_coverage", how="last", months=60)
    assert_higher(closed, open_)


# ---------------------------------------------------------------- the economy (part 3)
def test_gdp_recovers_when_the_shock_passes(baseline):
    table = simulate(baseline, {"donors.mode": "fixed",
                                "external.sanctions": {"2021-08": 1.0, "2023-08": 0.0},
                                "external.assets_released": {"2021-08": 0.0, "2023-08": 1.0}},
                     months=60, replicates=4)
    trough = per_replicate(table, "gdp_index", "last", window=(0, 23))
    later = per_replicate(table, "gdp_index", "last", window=(0, 59))
    assert (later > trough + 0.05).all()


def test_people_in_need_stay_a_plausible_share_and_respond_to_aid(baseline):
    table = simulate(baseline, months=120, replicates=4)
    share = table["people_in_need"] / 41e6 / (1.023 ** (table["month"] / 12))
    assert share.between(0.3, 0.85).all()
    aided, cut = paired(baseline, {"external.humanitarian_aid": 2.0}, {"external.humanitarian_aid": 0.0},
                        "people_in_need", how="last", months=36)
    assert_higher(aided, cut, min_share=1.0)


# ---------------------------------------------------------------- IS-K as an organisation (part 4)
def test_isk_size_is_set_by_its_money_not_a_ceiling(baseline):
    poor, rich = paired(baseline, {"isk.outside_funding": 0.1}, {"isk.outside_funding": 1.0}, "isk_fighters",
                        how="last", months=48)
    assert_higher(poor, rich, min_share=1.0)


def test_killing_leaders_cuts_attacks_before_numbers(baseline):
    spared, hunted = {"isk.leader_kill_rate": 0.0}, {"isk.leader_kill_rate": 1.0}
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
    assert (later > early).mean() >= 0.75
    a_act, a_shelter = paired(baseline, {"policy.action_against_allies": 0.8}, {"policy.action_against_allies": 0.0},
                              "ttp_attacks_pakistan", months=36)
    assert_higher(a_act, a_shelter, min_share=1.0)


def test_action_against_the_ttp_costs_the_sheltering_factions(baseline):
    shelter, act = paired(baseline, {"policy.action_against_allies": 0.0}, {"policy.action_against_allies": 0.8},
                          "haqqani_loyalty", how="last", months=24)
    assert_higher(act, shelter, min_share=1.0)
