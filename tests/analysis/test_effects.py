"""Effect sizes: known answers for the paired effect, its interval and the verdict."""

from __future__ import annotations

import numpy as np
import pytest

from sim.analysis import effects


def planted(effect, units=40, replicates=5, seed=1, spread_of_units=0.5):
    """Paired differences: a planted effect, unit-to-unit variation and replicate noise."""
    rng = np.random.default_rng(seed)
    return effect + rng.normal(0, spread_of_units, (units, 1)) + rng.normal(0, 1, (units, replicates))


@pytest.mark.parametrize("seed", range(5))
def test_the_interval_covers_a_planted_effect_and_excludes_zero(seed):
    found = effects.paired(planted(2.0, seed=seed), seed=seed)
    assert found.low < 2.0 < found.high and found.low > 0
    assert found.statistic == "median" and found.units == 40 and found.pairs == 200
    assert effects.grade(found, "higher") == "supported"
    assert effects.grade(found, "lower") == "contradicted"


def test_without_an_effect_the_interval_covers_zero_in_most_planted_draws():
    covered = [(lambda f: f.low <= 0 <= f.high)(effects.paired(planted(0.0, seed=s), seed=s)) for s in range(40)]
    assert 0.85 <= np.mean(covered) <= 1.0  # a 95% interval


def test_replicates_are_grouped_by_unit():
    """Ten units with a large shared offset each: the interval reflects ten units, not 500 pairs."""
    grouped = effects.paired(planted(1.0, units=10, replicates=50, spread_of_units=2.0, seed=3))
    flat = effects.paired(planted(1.0, units=10, replicates=50, spread_of_units=2.0, seed=3).reshape(500, 1))
    assert grouped.high - grouped.low > 2 * (flat.high - flat.low)


def test_a_consistent_but_tiny_effect_is_negligible_and_a_threshold_can_be_stated():
    values = np.random.default_rng(0).normal(0, 10, 400)  # the outcome spreads widely across the runs
    small = effects.paired(0.1 + np.random.default_rng(2).normal(0, 0.05, (40, 5)), (values, values + 0.1))
    assert small.low > 0 and small.relative < effects.IMPORTANT
    assert effects.grade(small, "higher") == "consistent but negligible"
    assert effects.grade(small, "higher", threshold=0.05) == "supported"


def test_a_step_of_the_range_that_goes_the_other_way_denies_support():
    whole = effects.paired(planted(2.0))
    back = effects.paired(planted(-1.0, seed=4))
    assert effects.grade(whole, "higher", steps=[whole, back]) != "supported"


def test_a_yes_no_outcome_reports_the_change_in_probability():
    diffs = np.array([[1, 0, 0, 1], [0, 0, 1, 1], [1, 1, 0, 0]], dtype=float)
    found = effects.paired(diffs, (np.array([0, 1, 1, 0, 1]), np.array([1, 1, 0, 1])))
    assert found.statistic == "mean" and found.estimate == pytest.approx(0.5)
    assert effects.grade(effects.paired(np.zeros((4, 3))), "higher") == "no effect in these runs"


def test_a_claim_and_its_mirror_get_the_same_verdict():
    """"Lower" is graded as "higher" is, with the signs turned: an interval that spans zero contradicts neither
    (independent review of 0.3.2: a "lower" claim with its interval across zero was graded contradicted, and a
    "lower" claim counted as clear of zero whenever its interval's low end was below it)."""
    rng = np.random.default_rng(3)
    for centre in (-1.0, -0.1, 0.0, 0.1, 0.4, 1.0):
        diffs = rng.normal(centre, 1.0, size=(6, 4))
        up, down = effects.paired(diffs), effects.paired(-diffs)
        steps_up, steps_down = [effects.paired(diffs[:3]), effects.paired(diffs[3:])], \
            [effects.paired(-diffs[:3]), effects.paired(-diffs[3:])]
        assert effects.grade(up, "higher", steps_up) == effects.grade(down, "lower", steps_down), centre
        assert effects.grade(up, "lower", steps_up) == effects.grade(down, "higher", steps_down), centre
    spans = effects.paired(np.array([[-0.5], [0.3], [-0.2], [0.4], [-0.1], [0.2]]))
    assert spans.low < 0 < spans.high
    assert effects.grade(spans, "lower") != "contradicted" and effects.grade(spans, "higher") != "contradicted"
    assert effects.grade(spans, "lower") != "supported" and effects.grade(spans, "higher") != "supported"


def member_design(members=200, seeds=4, parametric_sd=2.0, chance_sd=1.0, effect=0.5, seed=0):
    rng = np.random.default_rng(seed)
    member = np.repeat(np.arange(members), seeds)
    values = effect + rng.normal(0, parametric_sd, members)[member] + rng.normal(0, chance_sd, members * seeds)
    return values, member


@pytest.mark.parametrize("seed", range(3))
def test_the_variance_splits_into_its_planted_parametric_and_chance_parts(seed):
    values, member = member_design(seed=seed)
    found = effects.decompose(values, member)
    assert found.members == 200 and found.seeds == 4
    assert 3.0 < found.parametric < 5.3 and 0.85 < found.chance < 1.15  # planted 4 and 1
    assert found.sign_varies and 0.3 < found.other_sign < 0.55  # effect 0.5, members' SD 2: many go the other way
    only_chance = effects.decompose(*member_design(parametric_sd=0.0, seed=seed))
    assert only_chance.parametric < 0.1 and not only_chance.sign_varies
    same_sign = effects.decompose(*member_design(parametric_sd=0.3, effect=5.0, seed=seed))
    assert same_sign.parametric > 0 and not same_sign.sign_varies  # every member well above zero


def test_strata_of_a_fixed_design_count_as_neither_part():
    values, member = member_design(members=60, seeds=9, parametric_sd=1.0, seed=4)
    strata = np.tile(np.repeat([0, 1, 2], 3), 60)  # each member's nine runs: three seeds in each of three cells
    shifted = values + 100 * strata  # a fixed design cell moves every value: not chance, not parameters
    within = effects.decompose(shifted, member, strata)
    assert within.parametric == pytest.approx(effects.decompose(values, member, strata).parametric)
    assert within.chance == pytest.approx(effects.decompose(values, member, strata).chance)
    assert 0.6 < within.parametric < 1.5 and 0.8 < within.chance < 1.2
    assert effects.decompose(shifted, member).chance > 1000  # ignoring the strata would not do


def test_without_parameter_draws_all_the_variance_is_chance_and_one_seed_per_member_separates_nothing():
    found = effects.decompose([1.0, 2.0, 3.0])
    assert found.members == 0 and found.parametric == 0 and found.chance == pytest.approx(1.0)
    once = effects.decompose([1.0, 2.0, 3.0], [7, 8, 9])
    assert once.members == 3 and np.isnan(once.chance)


def test_a_bootstrap_clustered_by_member_is_wider_than_one_that_treats_runs_as_independent():
    values, member = member_design(members=30, seeds=6, seed=5)
    by_member = effects.paired(effects.clustered(values, member), statistic="mean")
    by_run = effects.paired(values.reshape(-1, 1), statistic="mean")
    assert by_member.estimate == pytest.approx(by_run.estimate) and by_member.units == 30
    assert (by_member.high - by_member.low) > 1.5 * (by_run.high - by_run.low)
