"""A direction test for every mechanism M1-M20 of the design note, at the defaults and on a fixed
sample of the baseline's calibrated ensemble members (issue 33).

Each check runs two arms on the same seeds (common random numbers): the setting that should
raise the outcome and the one that should not, at small scale and over a few months, with the
fall kept out of reach (``STANDING``: a direction is a property of the rule, not of a regime
that happens to fall in one arm). ``assert_higher`` asks for a higher mean and a higher value in
most paired replicates. The same checks run at the defaults (the baseline's schedules, its
calibrated parameters at their documented defaults) and with the values of each sampled
ensemble member, which is what the baseline runs. A property that holds at the defaults but not
on a member is a finding, marked xfail with its reason, not a weakened test.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pytest
from conftest import STANDING, assert_higher, per_replicate

from sim.runs.runner import run_replicates
from sim.runs.scenario import load

SEED = 3303
REPLICATES = 8
SCALE = 0.05
N_MEMBERS = 5  # evenly spaced over the ensemble's rows, first and last included


@dataclass(frozen=True)
class Check:
    """``column`` (summarised per replicate by ``how`` over ``window``) is higher under ``high`` than ``low``."""

    low: dict
    high: dict
    column: str
    how: str = "sum"
    window: tuple | None = None
    months: int = 24
    min_share: float = 0.75
    common: dict = field(default_factory=dict)  # set in both arms
    replicates: int = REPLICATES


MODERATE_WORLD = {"policy.moderation": 0.5, "policy.inclusion": 0.5}  # donors have something to weigh
NO_ISK = {"isk.initial_fighters": 0, "isk.prisoners_released": 0, "isk.foreign_fighter_inflow": 0.0,
          "recruitment.economic_rate": 0.0, "recruitment.ideological_rate": 0.0, "isk.outside_funding": 0.0}

NARRATIVE_OFF = {"fighters.narrative_weight": 0.0, "recruitment.propaganda_engagement": 0.0}
RIVALS_ENGAGED = {"neighbours.rivalry_gain": 1.0}

MECHANISMS: dict[str, list[Check]] = {
    # M1 moderation -> hard-liners defect to IS-K (ALI:148)
    "M1": [Check({"policy.moderation": 0.0}, {"policy.moderation": 0.7}, "defections_taliban_to_isk")],
    # M2 moderation -> aid and the West's engagement (ALI:83b, ALI:263)
    "M2": [Check({"policy.moderation": 0.0}, {"policy.moderation": 0.7}, "aid", "last", min_share=1.0, months=36),
           Check({"policy.moderation": 0.0}, {"policy.moderation": 0.7}, "western_engagement", "last", min_share=1.0,
                 months=36)],
    # M3 action against allied groups -> their fighters defect to IS-K (ALI:174, ALI:257)
    "M3": [Check({"policy.action_against_allies": 0.0}, {"policy.action_against_allies": 0.7},
                 "defections_allies_to_isk")],
    # M4 counter-terrorism cooperation with foreign powers -> Taliban defections (ATI:45-47)
    "M4": [Check({"policy.foreign_cooperation": 0.0}, {"policy.foreign_cooperation": 0.7},
                 "defections_taliban_to_isk")],
    # M5 no credible counter-terrorism -> aid withheld -> a poorer economy (ATI:53-55)
    "M5": [Check({"policy.crackdown_isk": 0.0, "policy.action_against_allies": 0.0, "policy.foreign_cooperation": 0.0},
                 {"policy.crackdown_isk": 1.0, "policy.action_against_allies": 1.0, "policy.foreign_cooperation": 1.0},
                 "aid", "last", months=36, min_share=1.0, common=MODERATE_WORLD),
           Check({"policy.crackdown_isk": 0.0, "policy.action_against_allies": 0.0, "policy.foreign_cooperation": 0.0},
                 {"policy.crackdown_isk": 1.0, "policy.action_against_allies": 1.0, "policy.foreign_cooperation": 1.0},
                 "gdp_index", "last", months=36, common=MODERATE_WORLD)],
    # M6 poverty -> IS-K recruitment (TRT:57b, EER:15-16): sanctions impoverish
    "M6": [Check({"external.sanctions": 0.0}, {"external.sanctions": 1.0}, "isk_recruits", months=36, replicates=24)],
    # M7 sanctions and frozen assets -> poverty (TRT:57-65)
    "M7": [Check({"external.sanctions": 0.0, "external.assets_released": 1.0},
                 {"external.sanctions": 1.0, "external.assets_released": 0.0}, "poverty_rate", "last", min_share=1.0)],
    # M8 a weak-but-present IS-K is a card: neighbours engage more than with none (TRT:15-19, EER:11-12) ...
    "M8": [Check(NO_ISK, {}, "regional_engagement", "mean"),
           # ... a strong one is a threat: less engagement than with a weak one
           Check({"isk.initial_fighters": 20000, "isk.outside_funding": 2.0}, {}, "regional_engagement", "mean")],
    # M9 recognition needs inclusive governance (TRT:21-23)
    "M9": [Check({"policy.inclusion": 0.0}, {"policy.inclusion": 0.8}, "western_engagement", "last", min_share=1.0,
                 months=36),
           Check({"policy.inclusion": 0.0}, {"policy.inclusion": 0.8}, "recognition", "last", months=36)],
    # M10 the crackdown alienates Salafists (TRT:35) and cuts IS-K in the short run (ALI:128)
    "M10": [Check({"policy.crackdown_isk": 0.1}, {"policy.crackdown_isk": 1.0}, "salafist_alienation", "last",
                  window=(0, 11), min_share=1.0),
            Check({"policy.crackdown_isk": 1.0}, {"policy.crackdown_isk": 0.1}, "isk_fighters", "last",
                  window=(0, 11), months=12, replicates=24)],
    # M11 engagement with China, Iran and Russia -> the 'insufficiently Islamic' narrative -> recruits (TRT:37)
    # (the rule's channel: the narrative on or off while the West's rivals engage fully)
    "M11": [Check(NARRATIVE_OFF, {}, "defections_taliban_to_isk", months=36, common=RIVALS_ENGAGED)],
    # ... and the recruits it brings IS-K from the population
    "M11c": [Check(NARRATIVE_OFF, {}, "isk_recruits", months=36, common=RIVALS_ENGAGED)],
    # M12 IS-K attacks on neighbours -> their threat and pressure: engagement falls (TRT:39-47, ALI:146-148)
    "M12": [Check({"isk.external_operations": 3.0}, {"isk.external_operations": 0.0}, "regional_engagement", "mean",
                  months=36)],
    # M13 the factional rift: moderation costs the hard-line factions' loyalty, pleases the pragmatists (ALI:148c)
    "M13": [Check({"policy.moderation": 0.7}, {"policy.moderation": 0.0}, "kandahar_loyalty", "mean", min_share=1.0),
            Check({"policy.moderation": 0.0}, {"policy.moderation": 0.7}, "kabul_loyalty", "mean", min_share=1.0)],
    # M14 Pashtunwali and the pro-TTP lobby make action against the TTP costly inside the regime (ALI:229-259)
    "M14": [Check({"policy.action_against_allies": 0.7}, {"policy.action_against_allies": 0.0}, "haqqani_loyalty",
                  "mean", min_share=1.0)],
    # M15 sanctuary -> TTP attacks in Pakistan -> Pakistan's pressure (ALI:29, ALI:211-213)
    "M15": [Check({"policy.action_against_allies": 0.7}, {"policy.action_against_allies": 0.0},
                  "ttp_attacks_pakistan", months=36),
            Check({"policy.action_against_allies": 0.7}, {"policy.action_against_allies": 0.0}, "pakistan_pressure",
                  "mean", months=36)],
    # M16 prison releases at the takeover strengthened IS-K (EER:9)
    "M16": [Check({"isk.prisoners_released": 0}, {"isk.prisoners_released": 1500}, "isk_fighters", "last",
                  window=(0, 5), min_share=1.0)],
    # M17 a non-inclusive government -> civil war (EER:18, ALI:81-83)
    "M17": [Check({"policy.inclusion": 0.8}, {"policy.inclusion": 0.0}, "civil_war", "mean", months=48,
                  min_share=1.0),
            Check({"policy.inclusion": 0.8}, {"policy.inclusion": 0.0}, "defections_to_resistance", months=48)],
    # M18 transnational recruitment: foreign fighters and Central Asian militants join IS-K (ATI:23-25, EER:19)
    "M18": [Check({"isk.foreign_fighter_inflow": 0.0}, {"isk.foreign_fighter_inflow": 20.0}, "isk_recruits"),
            Check({"fighters.transnational_pull": 0.0}, {"fighters.transnational_pull": 2.0},
                  "defections_allies_to_isk", common={"policy.action_against_allies": 0.5})],
    # M19 decentralised cells make IS-K resilient to a crackdown (EER:7, TRT:29, ALI:162)
    "M19": [Check({"violence.cell_resilience": 0.0}, {"violence.cell_resilience": 3.0}, "isk_fighters", "last",
                  months=24, common={"policy.crackdown_isk": 1.0}),
            Check({"isk.cell_dispersal": 0.0}, {"isk.cell_dispersal": 0.1}, "isk_provinces", "mean", replicates=24)],
    # M11 end to end: more engagement by the West's rivals (rivalry_gain) -> more IS-K recruits
    "M11b": [Check({"neighbours.rivalry_gain": 0.0}, {"neighbours.rivalry_gain": 1.0}, "isk_recruits", months=36)],
    # M20 sectarian attacks undermine the claim to security: the West engages less (ATI:5-11, ALI:79)
    "M20": [Check({"violence.taliban_target_share": 0.3}, {"violence.taliban_target_share": 0.9},
                  "western_engagement", "last", months=36, common=MODERATE_WORLD)],
}

# Findings: (mechanism, setting) -> why the direction fails there, reported in the release notes; each is an
# expected failure (strict xfail) that fails as XPASS when the direction holds again.
M11_MONEY = ("finding (issue 33): IS-K's intake is bound by its money (7.18), so the Taliban defectors the narrative "
             "brings crowd out its recruits from the population: with the narrative on, recruits do not rise at the "
             "defaults nor on three of five sampled members of the 0.9.0 ensemble (50% of paired replicates, or lower "
             "on average)")
M11_END = ("finding (issue 33): more engagement by the West's rivals (neighbours.rivalry_gain 0 -> 1) raises their "
           "engagement but not IS-K's recruits, at the defaults and on four of five sampled members of 0.9.0 (62%, or "
           "lower on average): the narrative's pull is offset by the money-bound intake and by the economy that "
           "engagement helps")
M6_MONEY = ("finding (0.8.0, 0.9.0): sanctions raise IS-K's recruits in only 58% of paired replicates on two of five "
            "sampled members of 0.9.0 (short of 75%): IS-K takes on only the recruits it can pay (7.18), so poverty's "
            "pull moves the willing more than the intake")
M13_RECOGNITION = ("finding (0.8.0, 0.9.0): with the policy term's weight bounded (0 to 0.8, Staniland 2014) and the "
                   "preferences drawn, moderation does not move the factions' loyalty the documents' way in every "
                   "paired replicate on four of five sampled members of 0.9.0 (Kabul's 88% on two, Kandahar's 62% and "
                   "88% on two; min_share 1.0): the recognition and pay moderation brings move both factions too")
M14_HOSPITALITY = ("finding (0.9.0): on one of five sampled members, action against the allied groups (0.7) lowers the "
                   "Haqqani faction's loyalty by less than nothing on average (-0.002): its loyalty stays near 0.95 "
                   "either way, so the lobby's grievance is lost in what else the action changes (Pakistan's pressure, "
                   "the aid it unlocks)")
WEAK = ("finding (0.8.0, 0.9.0): the push toward IS-K (20 foreign fighters a month) raises its recruits in too few "
        "paired replicates at the defaults (62%) and not on average on one of five sampled members of 0.9.0: IS-K's "
        "money-bound intake absorbs it")
FINDINGS: dict[tuple[str, str], str] = {
    **{("M11c", s): M11_MONEY for s in ("defaults", "member18", "member35", "member52")},
    **{("M11b", s): M11_END for s in ("defaults", "member0", "member18", "member35", "member52")},
    **{("M6", f"member{m}"): M6_MONEY for m in (35, 52)},
    **{("M13", f"member{m}"): M13_RECOGNITION for m in (18, 35, 52, 70)},
    ("M14", "member35"): M14_HOSPITALITY,
    **{("M18", s): WEAK for s in ("defaults", "member18")},
}


@pytest.fixture(scope="module")
def scenario():
    return load("baseline")


def settings(scenario) -> dict[str, object]:
    """'defaults' and a fixed sample of ensemble members: setting name -> Parameters."""
    base = scenario.without_ensemble().parameters()
    out = {"defaults": base}
    ensemble = scenario.ensemble
    for member in sorted({int(round(i)) for i in np.linspace(0, len(ensemble) - 1, N_MEMBERS)}):
        out[f"member{member}"] = base.replace(ensemble.values(member))
    return out


SETTINGS = ["defaults"] + [f"member{int(round(i))}" for i in np.linspace(0, len(load("baseline").ensemble) - 1,
                                                                          N_MEMBERS)]


def arm(params, overrides, check: Check):
    table, _, _ = run_replicates(params.replace({**STANDING, **check.common, **overrides}), check.months, SEED,
                                 check.replicates, SCALE, progress=False)
    return per_replicate(table, check.column, check.how, check.window)


def run_check(params, check: Check):
    low, high = arm(params, check.low, check), arm(params, check.high, check)
    assert_higher(low, high, check.min_share)


def cases():
    for mechanism in MECHANISMS:
        for setting in SETTINGS:
            marks = [] if setting == "defaults" else [pytest.mark.slow]
            if (mechanism, setting) in FINDINGS:
                # strict: the seeds are fixed, so a finding that no longer holds shows as a failure (XPASS), and
                # the list is re-derived whenever the ensemble or the model changes
                marks.append(pytest.mark.xfail(strict=True, reason=FINDINGS[mechanism, setting]))
            yield pytest.param(mechanism, setting, marks=marks, id=f"{mechanism}-{setting}")


@pytest.mark.parametrize(("mechanism", "setting"), list(cases()))
def test_mechanism_direction(scenario, mechanism, setting):
    params = settings(scenario)[setting]
    for i, check in enumerate(MECHANISMS[mechanism]):
        try:
            run_check(params, check)
        except AssertionError as err:
            raise AssertionError(f"{mechanism} check {i} ({check.column}) at {setting}: {err}") from None


def test_every_mechanism_has_a_direction_test_on_ensemble_members():
    assert sorted({re.match(r"M\d+", m).group() for m in MECHANISMS}, key=lambda m: int(m[1:])) == \
        [f"M{i}" for i in range(1, 21)]
    assert len(SETTINGS) >= 5 and SETTINGS[0] == "defaults"


def test_the_sampled_members_differ_from_the_defaults(scenario):
    """The ensemble runs are not the default runs again: each member changes calibrated values."""
    sampled = settings(scenario)
    for name, params in sampled.items():
        if name != "defaults":
            assert params.changed().keys() - sampled["defaults"].changed().keys()
