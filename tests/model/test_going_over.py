"""Round 4 (issue 28): going over follows power and pay, a resistance needs a sponsor, moderation's price runs
through the hard-liners who leave (M1, M13), and each lever has its price.

Unit checks build a model and read one rule; directional checks run seed-paired replicates, small and short."""

import numpy as np
import pytest

from conftest import STANDING, assert_higher, paired, per_replicate, simulate

from sim.model.commanders import DESTINATIONS, destination_odds
from sim.model.fighters import Group
from sim.model.model import RegimeModel
from sim.model.params import LEVER_NAMES, Parameters

RESISTANCE = DESTINATIONS.index(Group.RESISTANCE)
ISK = DESTINATIONS.index(Group.ISK)


def model(values=None, months=24, seed=5):
    return RegimeModel(Parameters.from_dict(values or {}), months=months, seed=seed, scale=0.02)


def test_a_commander_goes_over_to_the_resistance_only_when_it_has_a_sponsor():
    alone = model()
    alone.step()
    backed = model({"external.tajikistan_sponsorship": 1.0})
    backed.step()
    assert backed.resistance_sponsorship == 1.0 and alone.resistance_sponsorship == 0.0
    northern = [f.key for f in alone.factions].index("northern")
    # an unsponsored resistance can neither pay nor shelter him: his own networks alone pull him there
    assert destination_odds(alone)[northern, RESISTANCE] < 0.35
    assert destination_odds(backed)[northern, RESISTANCE] > 2 * destination_odds(alone)[northern, RESISTANCE]
    assert (destination_odds(backed)[:, RESISTANCE] > destination_odds(alone)[:, RESISTANCE]).all()


def test_a_hostile_neighbour_backs_the_resistance_as_far_as_its_ties_go():
    m = model({"external.tajikistan_stance": "hostile", "external.iran_stance": "hostile"})
    m.step()
    n = m.p.neighbours
    assert m.neighbour("tajikistan").sponsorship == pytest.approx(n.tajikistan.resistance_ties * n.hostile_sponsorship)
    assert m.neighbour("iran").sponsorship == pytest.approx(n.iran.resistance_ties * n.hostile_sponsorship)
    assert m.neighbour("china").sponsorship == 0.0  # no ties
    pakistan = model({"external.pakistan_sponsorship": 0.5})  # Pakistan's own step (its ladder) sponsors too
    pakistan.step()
    assert pakistan.neighbour("pakistan").sponsorship == 0.5 and pakistan.resistance_sponsorship == 0.5
    none = model({"neighbours.hostile_sponsorship": 0.0, "external.tajikistan_stance": "hostile"})
    none.step()
    assert none.resistance_sponsorship == 0.0


def test_moderation_sends_the_hard_line_factions_commanders_toward_isk():
    hard, soft = model({"policy.moderation": 0.0}), model({"policy.moderation": 1.0})
    for m in (hard, soft):
        m.step()
    kandahar = [f.key for f in hard.factions].index("kandahar")
    assert destination_odds(soft)[kandahar, ISK] > destination_odds(hard)[kandahar, ISK]


def test_without_a_sponsor_the_resistance_stays_within_a_few_thousand():
    table = simulate_baseline({}, months=60)
    peak = table.groupby("replicate")["resistance_fighters"].max()
    start = table[table["month"] == 0]["resistance_fighters"].mean()
    assert (peak < 2 * start).mean() >= 0.9


def test_a_sponsor_lets_the_resistance_grow(baseline):
    alone, backed = paired(baseline, STANDING, {**STANDING, "external.tajikistan_sponsorship": 1.0},
                           "resistance_fighters", how="last", months=36, replicates=6)
    assert_higher(alone, backed, min_share=1.0)


def test_a_commanders_doubts_rise_as_his_men_leave_for_isk(baseline):
    """M1 and M13: under moderation the hard-liners leave, and with them their commanders' confidence."""
    moderate = {**STANDING, "policy.moderation": 1.0, "survival.threshold_mean": 1.0}
    calm, doubting = paired(baseline, {**moderate, "survival.defection_weight": 0.0}, moderate,
                            "commanders_aside", how="max", months=36, replicates=6)
    assert_higher(calm, doubting)


def test_inclusion_takes_posts_from_the_core_factions_only():
    closed, open_ = model({"policy.inclusion": 0.0}), model({"policy.inclusion": 1.0})
    share = open_.p.factions.inclusion_posts
    for a, b in zip(closed.factions, open_.factions):
        if a.key == "northern":
            assert b.posts_share == a.posts_share
        else:
            assert b.posts_share == pytest.approx(a.posts_share * (1 - share))


def test_inclusion_costs_the_core_factions_loyalty(baseline):
    held = {**STANDING, "policy.inclusion": 1.0}
    free, costly = paired(baseline, {**held, "factions.inclusion_posts": 0.0}, held, "kandahar_loyalty",
                          how="mean", months=24, replicates=4)
    assert_higher(costly, free, min_share=1.0)


def test_the_factions_preferences_are_drawn_around_the_documents_reading():
    readings = []
    for seed in range(6):
        m = model(seed=seed)
        readings.append(np.array([f.preferred for f in m.factions]))
        spread = m.p.factions.preference_spread
        documented = np.array([[getattr(getattr(m.p.factions, f.key), f"prefers_{lever}") for lever in LEVER_NAMES]
                               for f in m.factions])
        assert (np.abs(readings[-1] - documented) <= spread + 1e-12).all()
    assert np.ptp(np.array(readings), axis=0).max() > 0.1  # they differ between runs
    fixed = [np.array([f.preferred for f in model({"factions.preference_spread": 0.0}, seed=s).factions])
             for s in range(2)]
    assert np.array_equal(fixed[0], fixed[1])


def test_the_army_costs_each_extra_man_his_pay_and_keep():
    cheap = model({"economy.marginal_force_cost": 0.05, "taliban.force_target": 150000})
    dear = model({"economy.marginal_force_cost": 1.0, "taliban.force_target": 150000})
    for m in (cheap, dear):
        for _ in range(20):
            m.step()
    assert dear.fiscal_coverage < cheap.fiscal_coverage


def simulate_baseline(overrides, months):
    from sim.runs.scenario import load
    return simulate(load("scenarios/baseline.toml"), overrides, months=months, replicates=10, scale=0.1)
