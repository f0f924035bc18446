"""The parameter tree: every number the model reads, declared once, with its provenance.

Each parameter has a dotted name (``policy.moderation``), a default, an allowed range, a
unit, a provenance (see :mod:`sim.model.provenance`) and a one-line description. The CLI table
(``regime-sim params``), validation of scenario files and ``--set``, sweep ranges and the
ODD parameter table are all generated from :data:`SPECS`.

Policy levers (``policy.*`` and ``external.*`` except ``policy.mode`` and the
``policy.adaptation_*`` settings) accept either a number or a schedule: a table of
``"YYYY-MM" = value`` steps, each value holding from its date on.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any, Iterator, Mapping

import numpy as np

from sim.model.calendar import month_date, month_index
from sim.model.provenance import Provenance, assumption, calibrated, claim, source

CALIBRATION_TARGETS = (
    "the 2021-2022 fit targets of scenarios/targets.toml: IS-K fighters (well over 2,000 in October 2021, "
    "about 2,200-4,000 in January 2022), IS-K attacks (152 from 19 August to 31 December 2021, 140-200 in "
    "2022), survival of the first three years in >= 80% of replicates"
)
UN_MT = "UN Security Council Analytical Support and Sanctions Monitoring Team"


class ParameterError(ValueError):
    """A bad parameter name or value; ``key`` names it, the message says what is allowed."""

    def __init__(self, key: str, message: str):
        super().__init__(f"{key}: {message}")
        self.key = key
        self.message = message


@dataclass(frozen=True)
class Schedule:
    """A lever that changes over time: piecewise constant steps ``(month, value)``.

    The first step's value also holds before its month; each later value holds from its
    month on. Written in scenario files as ``{ "2021-08" = 0.4, "2022-01" = 0.8 }``.
    """

    steps: tuple[tuple[int, float], ...]

    def path(self, months: int) -> np.ndarray:
        """The lever's value in each month ``0 .. months-1``."""
        out = np.full(months, self.steps[0][1], dtype=float)
        for month, value in self.steps[1:]:
            out[max(month, 0) :] = value
        return out

    def values(self) -> list[float]:
        return [value for _, value in self.steps]

    def __str__(self) -> str:
        inner = ", ".join(f'"{month_date(m)}" = {v:g}' for m, v in self.steps)
        return "{ " + inner + " }"


@dataclass(frozen=True)
class Spec:
    """The declaration of one parameter."""

    name: str
    default: Any
    low: float | None
    high: float | None
    unit: str
    provenance: Provenance
    doc: str
    kind: type = float
    lever: bool = False
    choices: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """A short label in words, for plot axes: the first clause of the description."""
        if self.name in LABELS:
            return LABELS[self.name]
        text = self.doc.split(";")[0].split(" (")[0]
        return text if len(text) <= 48 else text[:45].rsplit(" ", 1)[0] + "..."

    @property
    def range_text(self) -> str:
        if self.choices:
            return " | ".join(self.choices)
        return f"[{self.low:g}, {self.high:g}]"

    def check(self, value: Any) -> Any:
        """Return ``value`` converted to this parameter's type, or raise ParameterError."""
        if self.choices:
            if value not in self.choices:
                raise ParameterError(self.name, f"{value!r} is not allowed; use one of {self.range_text}")
            return value
        if self.lever and isinstance(value, Mapping):
            return self._check_schedule(value)
        if self.lever and isinstance(value, Schedule):
            for v in value.values():
                self._check_number(v)
            return value
        return self._check_number(value)

    def _check_number(self, value: Any) -> float | int:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            what = "a number or a schedule of dated values" if self.lever else "a number"
            raise ParameterError(self.name, f"{value!r} is not {what} in {self.range_text}")
        if self.kind is int and float(value) != int(value):
            raise ParameterError(self.name, f"{value!r} is not a whole number in {self.range_text}")
        if not (self.low <= value <= self.high):
            raise ParameterError(self.name, f"{value!r} is out of range; allowed {self.range_text} ({self.unit})")
        return self.kind(value)

    def _check_schedule(self, table: Mapping) -> Schedule:
        if not table:
            raise ParameterError(self.name, "an empty schedule; give at least one \"YYYY-MM\" = value")
        steps = []
        for date, value in table.items():
            try:
                month = month_index(str(date))
            except ValueError as err:
                raise ParameterError(self.name, f"schedule key {err}") from None
            steps.append((month, float(self._check_number(value))))
        return Schedule(tuple(sorted(steps)))


def _p(name, default, low, high, unit, provenance, doc, **kw) -> Spec:
    return Spec(name, default, low, high, unit, provenance, doc, **kw)


def _lever(name, default, doc, provenance, high=1.0, unit=None) -> Spec:
    unit = unit or ("index 0-1" if high == 1 else "x documented level")
    return Spec(name, default, 0.0, high, unit, provenance, doc, lever=True)


def _faction(key: str, label: str, share, influence, hardness, affinity, prefs, posts, breaks_to, threshold,
             prov) -> list[Spec]:
    """The parameters of one Taliban faction (M13): size, weight, ideology, preferred policy, patronage."""
    base = f"factions.{key}"
    out = [
        _p(f"{base}.share", share, 0, 1, "share of Taliban fighters", prov["share"],
           f"{label}: share of the Taliban's fighters at the takeover"),
        _p(f"{base}.influence", influence, 0, 5, "weight", prov["influence"],
           f"{label}: bargaining weight per fighter in the regime's policy choice"),
        _p(f"{base}.mean_hardness", hardness, 0, 1, "index 0-1", prov["hardness"],
           f"{label}: mean ideological hardness of its fighters"),
        _p(f"{base}.isk_affinity", affinity, -1.5, 1.5, "utility", prov["affinity"],
           f"{label}: ties that make its fighters more (or less) open to IS-K"),
        _p(f"{base}.posts_share", posts, 0, 1, "share of posts and revenue", prov["posts"],
           f"{label}: its share of cabinet posts, governorships and the revenue they control"),
        _p(f"{base}.breaks_to", breaks_to, None, None, "choice", prov["breaks_to"],
           f"{label}: where its fighters go if it breaks away and are not hard-liners bound for IS-K",
           kind=str, choices=SPLIT_DESTINATIONS),
        _p(f"{base}.split_threshold", threshold, 0, 1, "loyalty", prov["threshold"],
           f"{label}: loyalty below which it may break away from the regime"),
    ]
    for lever, value in zip(LEVER_NAMES, prefs):
        out.append(_p(f"{base}.prefers_{lever}", value, 0, 1, "index 0-1", prov["prefs"],
                      f"{label}: preferred level of policy.{lever}"))
    return out


def _neighbour(key: str, trade, isk_targets, fears_isk, fears_allies, rivalry, refugees) -> list[Spec]:
    """The parameters of one neighbouring state: its stakes in Afghanistan (M8, M12, M15)."""
    base, label = f"neighbours.{key}", key.capitalize()
    ref = "ALI:101", "ATI:51"
    return [
        _p(f"{base}.trade_share", trade, 0, 1, "share of Afghan trade",
           source("UN Comtrade and World Bank (2022): Pakistan and Iran the largest trade and transit partners, "
                  "then China and Uzbekistan; shares rounded"),
           f"{label}: its share of Afghanistan's trade and transit"),
        _p(f"{base}.isk_target_weight", isk_targets, 0, 1, "weight",
           claim("ALI:29b", "ALI:146b", "TRT:41", "TRT:43", note="IS-K attacks in Pakistan, Iran, Central Asia "
                 "and Russia; none in China; weights assumed"),
           f"{label}: weight of this state among the targets of IS-K's operations abroad"),
        _p(f"{base}.fears_isk", fears_isk, 0, 1, "weight", claim(*ref, note="what each neighbour asks the "
           "regime to act against"), f"{label}: weight of the crackdown on IS-K in what it asks of the regime"),
        _p(f"{base}.fears_allies", fears_allies, 0, 1, "weight", claim(*ref, note="the TTP for Pakistan, ETIM "
           "for China, the IMU for Central Asia"),
           f"{label}: weight of action against the TTP, ETIM and IMU in what it asks of the regime"),
        _p(f"{base}.west_rivalry", rivalry, 0, 1, "weight",
           claim("TRT:37", note="China, Iran and Russia, rivals of the West, engage the Taliban"),
           f"{label}: how much it engages to fill a space the West leaves (1 for a rival of the West)"),
        _p(f"{base}.afghan_refugees", refugees, 0, 1e7, "people",
           source("UNHCR (2023): about 3 million Afghans in Pakistan and 4.5 million in Iran, registered "
                  "and undocumented"),
           f"{label}: Afghans living there who could be deported"),
    ]


NEIGHBOUR_KEYS = ("pakistan", "iran", "china", "russia", "uzbekistan", "tajikistan")


# Axis labels for the parameters a researcher sweeps first (others use their description).
LABELS = {
    "policy.moderation": "moderation (girls' education, women's work)",
    "policy.inclusion": "political inclusion",
    "policy.crackdown_isk": "crackdown on IS-K",
    "policy.action_against_allies": "action against allied groups (TTP, AQ)",
    "policy.foreign_cooperation": "counter-terrorism cooperation with foreign powers",
    "external.sanctions": "Western sanctions (1 = documented, 0 = lifted)",
    "external.assets_released": "share of frozen assets released",
    "external.humanitarian_aid": "humanitarian aid (x documented level)",
    "donors.aid_conditionality": "conditionality of development aid",
    "neighbours.base_engagement": "neighbours' engagement",
    "neighbours.isk_card_gain": "neighbours' extra engagement for fear of IS-K",
}
SPLIT_DESTINATIONS = ("rival", "resistance", "isk")
LEVER_NAMES = ("moderation", "inclusion", "crackdown_isk", "action_against_allies", "foreign_cooperation")
EXTERNAL_LEVERS = ("sanctions", "assets_released", "humanitarian_aid")

_FACTION_PROV = {
    "share": assumption("no public breakdown of Taliban strength by faction; shares follow the factions' "
                        "described weight (Kandahar leadership, Haqqani control of the interior ministry)",
                        "ALI:148", "ATI:33"),
    "influence": assumption("the supreme leader's veto and the Haqqanis' hold on security give them more "
                            "weight per fighter than the Kabul pragmatists", "ALI:148", "ATI:43"),
    "hardness": assumption("ordinal reading of the documents: Kandahar and Haqqani conservative, Kabul "
                           "pragmatists moderate", "ALI:148", "ALI:158"),
    "affinity": assumption("Haqqani personal ties to IS-K's leader and Tajik Taliban arrested for IS-K "
                           "links make defection easier; values are relative", "ATI:33", "ALI:174"),
    "prefs": assumption("ordinal reading of the factions' positions on girls' education, TTP and IS-K",
                        "ALI:148", "ALI:158", "ALI:231"),
    "posts": assumption("the interim cabinet of September 2021 went mostly to Kandahari and Haqqani Pashtuns "
                        "(interior, defence, intelligence, finance), with a few Tajiks and Uzbeks; shares are "
                        "a reading of that list, not a count of revenue", "ALI:31", "ALI:47", "ATI:33"),
    "threshold": source("Staniland (2014), Networks of Rebellion: factions with their own networks, money and "
                        "territory (the Haqqanis; the Tajik and Uzbek Taliban) split more easily than the "
                        "leadership's core; values assumed", "ATI:33", "ALI:172"),
    "breaks_to": assumption("a breaking faction's rank and file follow their own networks (Staniland 2014, "
                            "Networks of Rebellion): Tajik and Uzbek Taliban toward the northern resistance "
                            "(ALI:172), Pashtun factions into an armed rivalry of their own", "ALI:172"),
}

SPECS: tuple[Spec, ...] = (
    # ---------------------------------------------------------------- policy levers
    _p("policy.mode", "fixed", None, None, "choice",
       assumption("levers as given by the scenario reproduce the documented path; 'adaptive' lets the "
                  "factions bargain"),
       "'fixed' uses the levers as given; 'adaptive' re-chooses them each month from the factions' "
       "bargaining, starting from the given values", kind=str, choices=("fixed", "adaptive")),
    _lever("policy.moderation", 0.0,
           "Social and doctrinal moderation (girls' education, women's work); 0 is the documented hard line",
           claim("ALI:49", "ALI:51b", note="the ban on girls' secondary education and women's work")),
    _lever("policy.inclusion", 0.1,
           "Political inclusion of other ethnic groups, the opposition and former officials",
           claim("ALI:31", "ALI:47", note="a non-inclusive government with a few Tajiks and Uzbeks")),
    _lever("policy.crackdown_isk", 0.6,
           "Counter-terrorism against IS-K and Salafist networks",
           claim("ALI:128", note="stern military action; hundreds of IS-K militants killed")),
    _lever("policy.action_against_allies", 0.0,
           "Action against TTP, Al-Qaeda, ETIM and IMU (cutting ties, expelling, arresting)",
           claim("ALI:192", "ALI:194", note="neither ceased ties nor acted; permissive sanctuary")),
    _lever("policy.foreign_cooperation", 0.05,
           "Counter-terrorism cooperation and intelligence sharing with foreign powers",
           claim("ATI:47", note="refused a US offer to jointly tackle IS-K")),
    _p("policy.adaptation_rate", 0.03, 0, 0.15, "lever change per month",
       assumption("policy moves slowly: a regime re-negotiates between factions over months, not overnight"),
       "Adaptive mode: the largest change of any lever in one month"),
    _p("policy.survival_weight", 1.0, 0, 5, "weight",
       assumption("the leadership weighs survival (ALI:263) against faction wishes; 1 gives equal weight",
                  "ALI:263"),
       "Adaptive mode: how strongly fiscal distress and hard-line defections move the leadership"),
    _p("policy.tolerated_defection_rate", 0.002, 0, 0.01, "share of Taliban per month",
       assumption("a leadership alarmed by a few defections per thousand fighters a month, cf. ALI:273",
                  "ALI:273"),
       "Adaptive mode: monthly rate of defection to IS-K at which the leadership retreats to the hard line"),
    # ---------------------------------------------------------------- external levers
    _lever("external.sanctions", 1.0, "Western sanctions (1 the documented level, 0 lifted)",
           claim("TRT:57", "TRT:59", note="stringent sanctions are strangling Afghanistan")),
    _lever("external.assets_released", 0.0, "Share of the frozen central-bank assets released",
           claim("ATI:53", "TRT:61", note="Da Afghanistan Bank's foreign assets blocked")),
    _lever("external.humanitarian_aid", 1.0, "Humanitarian aid relative to the documented level (0 to 3)",
           source("UN OCHA Financial Tracking Service: about USD 3 billion a year of humanitarian funding "
                  "for Afghanistan in 2022"), high=3.0),
    # ---------------------------------------------------------------- population
    _p("population.total", 41.0e6, 1e6, 1e8, "people",
       source("UN World Population Prospects 2022 and World Bank: about 41 million in 2023"),
       "Afghanistan's population at the takeover (spread over provinces by NSIA shares)"),
    _p("population.growth_rate", 0.023, 0, 0.05, "per year",
       source("World Bank World Development Indicators: population growth about 2.3% a year (2021-2023)"),
       "Annual population growth"),
    _p("population.fighting_age_share", 0.12, 0.01, 0.3, "share of population",
       source("UN World Population Prospects 2022: men aged 15-34 are about 12% of Afghanistan's population"),
       "Share of the population that is a man of fighting age (the recruitment pool)"),
    _p("population.salafist_share", 0.02, 0, 0.1, "share of population",
       assumption("Afghan Salafists are a small minority; no census figure exists (TRT:35 speaks of their "
                  "alienation)", "TRT:35"),
       "Share of the population in the Salafist community (outside the east)"),
    _p("population.salafist_east_multiplier", 4.0, 1, 20, "ratio",
       assumption("Salafism is concentrated in Nangarhar, Kunar and Nuristan, IS-K's main bases (EER:4)",
                  "EER:4"),
       "How much larger the Salafist share is in the eastern provinces"),
    # ---------------------------------------------------------------- economy
    _p("economy.aid_dependence", 0.15, 0, 0.3, "share of GDP",
       calibrated("real GDP growth -20.7% in 2021 and -6.2% in 2022 (World Bank Afghanistan Development Update "
                  "2023; targets gdp_growth_2021/2022 of scenarios/targets.toml); grants had financed ~40% of GDP"),
       "Share of pre-takeover GDP lost when development aid stops (M5, M7)"),
    _p("economy.sanctions_drag", 0.06, 0, 0.2, "share of GDP",
       calibrated("World Bank GDP path 2021-23, with economy.aid_dependence", "TRT:59"),
       "GDP lost at the documented level of sanctions (banking isolation) (M7)"),
    _p("economy.frozen_assets_drag", 0.05, 0, 0.15, "share of GDP",
       calibrated("World Bank GDP path 2021-23; liquidity crisis after the freeze", "TRT:61"),
       "GDP lost while the central bank's reserves stay frozen (M7)"),
    _p("economy.humanitarian_support", 0.04, 0, 0.2, "share of GDP",
       source("UN OCHA FTS: ~USD 3 billion of aid against a GDP of ~USD 14 billion, much of it imported "
              "goods; assumed to support 4% of GDP"),
       "GDP supported by humanitarian aid at the documented level"),
    _p("economy.trade_dependence", 0.15, 0, 0.6, "share of GDP",
       source("World Bank Afghanistan Development Update (2023): imports of about USD 6-7 billion against "
              "GDP of about USD 14 billion, over half through Pakistan and Iran; GDP share at stake assumed"),
       "GDP lost if every neighbour closed its border (trade and transit)"),
    _p("economy.trend_growth", 0.025, 0, 0.1, "per year",
       source("World Bank World Development Indicators: real GDP growth averaged about 2.5% a year in "
              "2015-2020"),
       "Underlying growth of GDP when no shock holds it back (recovery path)"),
    _p("economy.attacks_full_insecurity", 30.0, 5, 150, "attacks per month",
       assumption("thirty IS-K attacks a month, the rate of late 2021, make the whole country insecure"),
       "IS-K attacks a month at which insecurity reaches 1"),
    _p("economy.returnee_need_share", 0.9, 0, 1, "share",
       source("UNHCR and IOM (2024): nearly all returnees from Pakistan and Iran arrive in need of aid"),
       "Share of recent returnees in humanitarian need"),
    _p("economy.reintegration_months", 24.0, 1, 120, "months",
       assumption("returnees find a livelihood over about two years"),
       "Time constant of returnees leaving humanitarian need"),
    _p("economy.regional_trade_gain", 0.05, 0, 0.3, "share of GDP",
       assumption("trade and investment from engaged neighbours (China, Uzbekistan, Iran) are modest; "
                  "ALI:81 says China is reluctant to invest", "ALI:81"),
       "GDP added at full engagement of the neighbouring states"),
    _p("economy.insecurity_drag", 0.05, 0, 0.15, "share of GDP",
       assumption("insecurity deters investment (ALI:101, ALI:263) but Afghanistan's GDP is dominated by "
                  "agriculture", "ALI:101", "ALI:263"),
       "GDP lost at full insecurity (economy.attacks_full_insecurity IS-K attacks a month, or full civil war)"),
    _p("economy.conflict_poverty", 0.05, 0, 0.25, "share of population",
       assumption("fighting and IS-K violence impoverish the provinces where they happen (displacement, "
                  "closed markets); a few points of poverty at full local exposure", "EER:16"),
       "Extra poverty in a province fully exposed to IS-K or the armed resistance"),
    _p("economy.takeover_shock", 0.65, 0, 0.85, "share of GDP",
       calibrated("real GDP growth -20.7% in 2021 and -6.2% in 2022 (World Bank Afghanistan Development Update, "
                  "2023): the banking and liquidity crisis of the takeover, eased from December 2021 by UN cash "
                  "shipments (about USD 3.2bn to October 2023, UN Secretary-General, December 2023)", "TRT:61"),
       "GDP lost at the takeover to the banking and liquidity crisis, on top of the lasting shocks; it fades"),
    _p("economy.shock_recovery_months", 3.0, 0.5, 15, "months",
       calibrated("the same GDP path (World Bank 2023): most of the liquidity shock had passed by 2022"),
       "Time constant of the takeover shock's fading"),
    _p("economy.gdp_adjustment_months", 2.0, 1, 12, "months",
       calibrated("most of the fall came within a year of the takeover (World Bank 2023)"),
       "Time constant of GDP's move toward its new level"),
    _p("economy.poverty_pre_takeover", 0.47, 0, 1, "share of population",
       source("World Bank, Afghanistan Development Update (2021): poverty rate about 47% in 2020"),
       "Poverty rate before the takeover"),
    _p("economy.poverty_gdp_elasticity", 0.5, 0, 1.5, "poverty share per GDP share",
       calibrated("people in need 18.4M (2021, before the takeover) and 24.4M (2022); 28.3M (2023) is a check, "
                  "not fitted", "ALI:51", "ALI:63"),
       "Rise of the poverty rate per unit of GDP lost (M7)"),
    _p("economy.humanitarian_poverty_relief", 0.05, 0, 0.3, "share of population",
       assumption("aid at the documented level keeps about one person in twenty out of poverty; food and "
                  "cash aid reached over 20 million people in 2022 but at low value per person"),
       "Poverty averted by humanitarian aid at the documented level"),
    _p("economy.poverty_adjustment_months", 9.0, 1, 60, "months",
       calibrated("the steady rise of people in need over 2021-2023", "ALI:51", "ALI:63"),
       "Time constant of poverty's move toward its new level (households deplete savings slowly)"),
    _p("economy.need_share_of_poor", 0.95, 0, 1, "share",
       calibrated("people in need 18.4M in 2021 against ~47% poverty", "ALI:51"),
       "Share of the poor counted as people in humanitarian need"),
    _p("economy.revenue_at_full_gdp", 3.0, 0, 10, "USD billion per year",
       calibrated("World Bank Afghanistan Economic Monitor (2023): revenue of about AFN 193 billion "
                  "(~USD 2.2 billion) in 2022, when the GDP index was about 0.74"),
       "The regime's domestic revenue if GDP were back at its pre-takeover level"),
    _p("economy.customs_share", 0.5, 0, 1, "share of revenue",
       source("World Bank Afghanistan Economic Monitor (2022-2023): customs duties and taxes at the border "
              "raise about half of the Taliban's domestic revenue"),
       "Share of domestic revenue collected at the borders (lost in proportion to closed trade)"),
    _p("economy.payroll_share", 0.55, 0, 1, "share of budget",
       assumption("press reports put a Taliban soldier's pay at about AFN 12,000 (~USD 140) a month: 85,000 "
                  "fighters cost ~USD 1.4 billion of a USD 2.6 billion budget; this part scales with the "
                  "number of Taliban fighters"),
       "Share of the budget need that is fighters' pay (scales with Taliban strength)"),
    _p("economy.humanitarian_aid_documented", 3.0, 0, 20, "USD billion per year",
       source("UN OCHA Financial Tracking Service: about USD 3 billion of humanitarian funding for "
              "Afghanistan in 2022"),
       "Humanitarian aid at external.humanitarian_aid = 1"),
    _p("economy.budget_need", 2.6, 0.1, 20, "USD billion per year",
       source("Taliban 2022 national budget of AFN 231 billion (~USD 2.6 billion), reported by the "
              "Ministry of Finance"),
       "Spending the regime needs to pay its fighters and civil servants"),
    _p("economy.frozen_assets", 7.0, 0, 20, "USD billion",
       source("US Treasury / Da Afghanistan Bank: about USD 7 billion frozen in the US (2021)"),
       "Central-bank reserves frozen abroad"),
    _p("economy.asset_drawdown_years", 5.0, 0.5, 30, "years",
       assumption("released reserves would be spent over several years to defend the currency"),
       "Years over which released reserves flow into the budget"),
    _p("economy.development_aid_pre_takeover", 4.5, 0, 20, "USD billion per year",
       source("World Bank (2021): civilian grants of about USD 4-4.5 billion a year before August 2021"),
       "Civilian development aid before the takeover (the most donors would restore)"),
    _p("economy.budget_support_share", 0.3, 0, 1, "share",
       source("World Bank (2021): on-budget grants financed about 75% of public spending; assume 30% of "
              "restored aid would be on budget under a recognised regime"),
       "Share of development aid that reaches the regime's budget"),
    # ---------------------------------------------------------------- Western donors
    _p("donors.moderation_weight", 0.4, 0, 1, "weight",
       claim("ALI:83b", "ALI:263", note="moderation and women's rights bring aid and assistance"),
       "Weight of moderation in donors' engagement (M2)"),
    _p("donors.inclusion_weight", 0.3, 0, 1, "weight",
       claim("TRT:23", "ALI:275", note="recognition needs inclusive governance"),
       "Weight of an inclusive government in donors' engagement (M9)"),
    _p("donors.counterterrorism_weight", 0.3, 0, 1, "weight",
       claim("ATI:55", "ALI:101", note="recognition and aid withheld without credible counter-terrorism"),
       "Weight of credible counter-terrorism in donors' engagement (M5)"),
    _p("donors.mode", "conditional", None, None, "choice",
       claim("ALI:83b", "ALI:263", "ATI:55", note="aid, sanctions relief and recognition offered against "
             "moderation and counter-terrorism"),
       "'conditional': Western donors grant sanctions relief, the reserves and development aid as the "
       "regime's record earns them; 'fixed': external.* levers as given and aid from engagement",
       kind=str, choices=("conditional", "fixed")),
    _p("donors.aid_conditionality", 1.0, 0.2, 5, "exponent",
       assumption("conditional aid returns slowly at first and fully only when conditions are met"),
       "Development aid = pre-takeover aid x (share of the offer earned)^conditionality"),
    _p("donors.record_months", 18.0, 1, 120, "months",
       assumption("donors judge the regime on a record of a year or two, not on one announcement"),
       "Time constant of the donors' memory of the regime's compliance"),
    _p("donors.relief_threshold", 0.35, 0, 1, "record 0-1",
       claim("ALI:83b", note="moderation brings assistance; threshold assumed"),
       "Credible record at which donors begin to lift sanctions (relief grows to full at a record of 1)"),
    _p("donors.reserves_threshold", 0.5, 0, 1, "record 0-1",
       source("US Treasury, 14 September 2022: USD 3.5 billion of the reserves moved to the Fund for the "
              "Afghan People, to be disbursed only under conditions not met by the Taliban; threshold assumed"),
       "Credible record at which donors release the frozen reserves"),
    _p("donors.aid_threshold", 0.1, 0, 1, "record 0-1",
       assumption("development aid returns in part before sanctions are lifted (humanitarian-plus projects)"),
       "Credible record from which development aid returns (full at a record of 1)"),
    _p("donors.reversal_tolerance", 0.05, 0, 0.25, "compliance",
       assumption("a small backsliding is forgiven; a reversal larger than this costs credibility"),
       "Fall of monthly compliance below the remembered record that counts as a reversal"),
    _p("donors.reversal_penalty", 0.3, 0, 1, "share of credibility",
       claim("ALI:47", note="promises on women's rights broken after 2021; penalty assumed"),
       "Share of the regime's credibility lost in a month of reversal"),
    _p("donors.credibility_months", 36.0, 1, 240, "months",
       assumption("trust lost by a reversal is rebuilt over about three years of keeping promises"),
       "Time constant of credibility's recovery"),
    _p("donors.sectarian_damage", 0.01, 0, 0.2, "engagement per attack",
       claim("ATI:9", "ATI:11", "ALI:79", note="sectarian attacks undermine the claim to security"),
       "Engagement lost per IS-K attack on civilians and minorities in a month, remembered (M20)"),
    _p("donors.recognition_western_weight", 0.5, 0, 1, "weight",
       assumption("recognition counted half from Western donors and half from the region"),
       "Weight of Western engagement in the recognition index"),
    # ---------------------------------------------------------------- neighbours
    _p("neighbours.base_engagement", 0.35, 0, 1, "index 0-1",
       claim("TRT:17", "TRT:19", note="neighbours engage the only de facto government"),
       "Neighbours' engagement with the regime with no IS-K threat and no attacks"),
    _p("neighbours.isk_card_gain", 0.3, 0, 1, "index 0-1",
       claim("EER:11", "EER:12b", "TRT:19", note="a weak IS-K is a card; fear of it brings Russia to engage"),
       "Extra engagement from fear of a moderate IS-K, at its peak (M8)"),
    _p("neighbours.isk_card_peak", 3000.0, 100, 20000, "IS-K fighters",
       claim("EER:12b", note="a weak ISKP is a card; its expansion a threat; value assumed"),
       "IS-K strength at which its value as a card is greatest; beyond it the threat dominates"),
    _p("neighbours.attack_grievance", 0.5, 0, 2, "engagement per unit threat",
       claim("ALI:148b", "TRT:39", note="attacks abroad engender tensions with neighbours"),
       "Engagement lost per unit of threat from attacks launched from Afghanistan (M12, M15)"),
    _p("neighbours.counterterrorism_gain", 0.3, 0, 1, "index 0-1",
       claim("ALI:101", "ATI:51", note="neighbours demand action against the groups that threaten them"),
       "Engagement gained at full action against the groups a neighbour fears"),
    _p("neighbours.engagement_months", 12.0, 1, 60, "months",
       assumption("diplomatic decisions respond to policy and threats over about a year"),
       "Time constant of a neighbour's engagement"),
    _p("neighbours.threat_memory_months", 6.0, 1, 36, "months",
       assumption("threat perception fades over about half a year without new attacks"),
       "Time constant of a neighbour's threat perception"),
    _p("neighbours.threat_scale", 3.0, 0.5, 15, "attacks per month",
       assumption("a few attacks a month from Afghan soil make a neighbour feel fully threatened"),
       "Monthly attacks on a neighbour at which its threat perception reaches 1"),
    _p("neighbours.rivalry_gain", 0.15, 0, 1, "index 0-1",
       claim("TRT:37", note="China, Iran and Russia engage the Taliban; IS-K calls them the enemies of Islam; "
             "value assumed"),
       "Extra engagement of a rival of the West when Western donors keep away"),
    _p("neighbours.hostile_below", 0.1, 0, 1, "engagement",
       assumption("a neighbour that sees almost nothing to gain turns to pressure"),
       "Engagement below which a neighbour turns hostile: closes its border, expels Afghans, may strike"),
    _p("neighbours.engage_above", 0.3, 0, 1, "engagement",
       claim("TRT:17", note="neighbours engage the only de facto government"),
       "Engagement above which a neighbour engages (trade, talks)"),
    _p("neighbours.ambassador_above", 0.55, 0, 1, "engagement",
       assumption("accepting an ambassador is a step short of recognition (China, January 2024)"),
       "Engagement above which a neighbour accepts a Taliban ambassador"),
    _p("neighbours.recognise_above", 0.8, 0, 1, "engagement",
       assumption("formal recognition needs near-full engagement (Russia, July 2025)"),
       "Engagement above which a neighbour recognises the regime formally"),
    _p("neighbours.step_months", 6.0, 1, 30, "months",
       assumption("a government takes a diplomatic step about half a year after its interest calls for it"),
       "Mean months before a neighbour takes the next step its engagement calls for"),
    _p("neighbours.deportation_rate", 0.03, 0, 0.5, "share of Afghans per month",
       source("UNHCR and IOM: over 500,000 Afghans returned from Pakistan within six months of its October "
              "2023 'Illegal Foreigners Repatriation Plan'; rate assumed for a hostile neighbour"),
       "Share of the Afghans living in a hostile neighbour that it deports a month"),
    _p("neighbours.strike_rate", 0.01, 0, 0.05, "share of TTP per month",
       assumption("cross-border air strikes by a hostile Pakistan kill about a per cent of the TTP a month "
                  "(strikes in Khost and Paktika, March and December 2024)"),
       "Share of TTP fighters a hostile Pakistan kills a month in strikes on Afghan soil"),
    *[spec for name, values in (
        ("pakistan", (0.35, 0.5, 0.0, 1.0, 0.0, 3.0e6)),
        ("iran", (0.25, 0.2, 1.0, 0.0, 1.0, 4.5e6)),
        ("china", (0.15, 0.0, 0.0, 1.0, 1.0, 0.0)),
        ("russia", (0.05, 0.1, 1.0, 0.0, 1.0, 0.0)),
        ("uzbekistan", (0.15, 0.1, 0.5, 0.5, 0.0, 0.0)),
        ("tajikistan", (0.05, 0.1, 0.5, 0.5, 0.0, 0.0))) for spec in _neighbour(name, *values)],
    # ---------------------------------------------------------------- Taliban
    _p("taliban.initial_fighters", 85000, 10000, 500000, "fighters",
       source(f"{UN_MT}, 12th report (S/2021/486): 58,000-100,000 Taliban fighters"),
       "Taliban fighters at the takeover", kind=int),
    _p("taliban.ideological_share", 0.6, 0, 1, "share",
       assumption("twenty years of insurgency leave a committed core; Weinstein (2007) 'investors'"),
       "Share of Taliban fighters who joined for ideology rather than pay"),
    _p("taliban.home_concentration", 4.0, 0, 50, "x",
       claim("ALI:148", "ATI:33", note="Kandahar's south, the Haqqanis' southeast, the northern Tajik and "
             "Uzbek Taliban"),
       "How much more of a faction's fighters stand in its home region than population alone implies"),
    _lever("taliban.force_target", 85000,
           "The size of its forces the regime aims for (recruits fill the gap as pay and the pool allow)",
           source(f"{UN_MT}, 12th report (S/2021/486): 58,000-100,000 fighters; the defence ministry announced "
                  "an army of 80,000 (January 2022) and 150,000 (August 2022)"),
           high=400000, unit="fighters"),
    _p("taliban.recruit_rate", 0.01, 0, 0.05, "share of the willing pool per month",
       assumption("the regime can sign up about one in a hundred willing young men a month (madrassas, "
                  "village networks)"),
       "Share of the willing recruit pool the regime can enlist a month, when it can pay"),
    _p("taliban.willing_share", 0.03, 0, 0.15, "share of fighting-age men",
       assumption("a few per cent of young men are willing to serve the movement at any time"),
       "Share of fighting-age men willing to join the Taliban's forces at pre-takeover poverty"),
    _p("taliban.willing_poverty_elasticity", 1.0, 0, 5, "elasticity",
       source("Weinstein (2007): 'consumers' join armed groups for pay; the poorer the country, the larger "
              "the pool (elasticity assumed)"),
       "Growth of the willing pool with poverty: pool x (poverty / pre-takeover poverty)^this"),
    _p("taliban.intelligence_initial", 0.3, 0, 1, "index 0-1",
       assumption("the Taliban's General Directorate of Intelligence inherited few files and informants in "
                  "2021 and built its reach over the next years", "ALI:128"),
       "The regime's intelligence capacity at the takeover (sets how well a crackdown finds IS-K)"),
    _p("taliban.intelligence_build_months", 24.0, 1, 240, "months",
       source("Berman, Shapiro and Felter (2011): information, not force, drives counter-insurgency success; "
              "building informant networks takes years (time assumed)"),
       "Time constant of the growth of intelligence capacity while the budget is paid"),
    _p("taliban.redeployment_rate", 0.02, 0, 0.5, "share per month",
       claim("ALI:128", note="operations in Nangarhar, Khost, Paktika, Balkh, Herat and Ghazni"),
       "Share of Taliban fighters moved each month toward provinces with IS-K or the resistance"),
    *_faction("kandahar", "Kandahar leadership", 0.35, 2.0, 0.68, 0.0,
              (0.0, 0.05, 0.7, 0.0, 0.05), 0.40, "rival", 0.2, _FACTION_PROV),
    *_faction("kabul", "Kabul pragmatists", 0.20, 1.0, 0.42, -0.3,
              (0.6, 0.4, 0.7, 0.3, 0.4), 0.20, "rival", 0.25, _FACTION_PROV),
    *_faction("haqqani", "Haqqani network", 0.25, 1.5, 0.70, 0.5,
              (0.1, 0.1, 0.3, 0.0, 0.15), 0.30, "rival", 0.35, _FACTION_PROV),
    *_faction("northern", "Tajik and Uzbek Taliban", 0.20, 0.6, 0.55, 0.4,
              (0.2, 0.6, 0.6, 0.2, 0.2), 0.10, "resistance", 0.35, _FACTION_PROV),
    _p("factions.loyalty_months", 6.0, 1, 30, "months",
       assumption("factions' loyalty follows grievances over about half a year"),
       "Time constant of a faction's loyalty"),
    _p("factions.pay_loyalty_weight", 0.5, 0, 2, "loyalty per unit of arrears",
       claim("EER:13b", note="without enough financial power some branches of the Taliban may join ISKP"),
       "Loyalty lost per unit of pay arrears (the faction's unpaid share, remembered over arrears_months)"),
    _p("factions.arrears_months", 6.0, 1, 30, "months",
       assumption("fighters remember unpaid months for about half a year after pay resumes"),
       "Time constant of a faction's memory of unpaid pay"),
    _p("factions.patronage_bias", 0.5, 0, 2.5, "exponent",
       assumption("when the budget is short, the leadership pays the factions that hold the ministries first "
                  "(Weinstein 2007 on patronage and indiscipline); 1 means pay follows posts per fighter"),
       "How strongly a short budget is shared out by posts per fighter rather than evenly"),
    _p("factions.policy_weight", 1.0, 0, 3, "loyalty per unit grievance",
       claim("ALI:148c", "ALI:273", note="divisions over girls' education and concessions"),
       "Loyalty lost per unit of distance between the regime's policy and the faction's wishes (M13)"),
    _p("factions.losses_weight", 10.0, 0, 100, "loyalty per monthly loss rate",
       source("Christia (2012), Alliance Formation in Civil Wars: factions weigh the relative power of their "
              "alliance; losing men signals a losing side (weight assumed: 1% of a faction lost a month "
              "costs 0.1 of loyalty)"),
       "Loyalty lost per share of the faction's fighters lost a month (defected or killed), remembered"),
    _p("factions.commander_weight", 0.03, 0, 1, "loyalty per commander killed",
       claim("ALI:130", note="most IS-K attacks target Taliban officials and soldiers; weight assumed"),
       "Loyalty lost per commander of the faction killed by IS-K (remembered over loyalty_months)"),
    _p("factions.commanders_per_attack", 0.15, 0, 1, "commanders per attack",
       claim("ALI:130", note="96 of 136 attacks targeted Taliban officials and soldiers; share of them "
             "killing a commander assumed"),
       "Expected number of Taliban commanders or officials killed per IS-K attack on the Taliban"),
    _p("factions.patronage_weight", 0.2, 0, 1, "loyalty per unit",
       assumption("a faction with fewer posts than fighters feels cheated (the Tajik Taliban's grievances, "
                  "ALI:172); at half its fair share it loses 0.1 of loyalty", "ALI:172"),
       "Loyalty lost per unit of shortfall of a faction's posts share below its share of fighters"),
    _p("factions.recognition_weight", 0.15, 0, 1, "loyalty per unit recognition",
       claim("ALI:263", note="aid and recognition are essential for the survival of the IEA 2.0"),
       "Loyalty gained at full international recognition (the regime's standing with its own factions)"),
    _p("factions.split_hazard", 0.3, 0, 1, "per month",
       assumption("a thoroughly disloyal faction takes a few months to organise a break"),
       "Monthly probability that a faction at loyalty 0 breaks away (linear in loyalty below the threshold)"),
    _p("factions.split_share", 0.7, 0, 1, "share of the faction",
       source("Staniland (2014), Networks of Rebellion: splits take the commanders' networks, not every "
              "fighter; share assumed"),
       "Share of a breaking faction's fighters who leave with it (the rest stay loyal)"),
    _p("factions.split_contagion", 1.0, 0, 5, "loyalty per share of regime lost",
       source("Christia (2012): alliances follow relative power, so a split that weakens the regime makes "
              "the others reconsider (a cascade)"),
       "Loyalty the other factions lose per share of the regime's fighters that broke away"),
    _p("factions.moderation_weight", 1.0, 0, 5, "weight",
       claim("ALI:148", "ALI:148c", note="the slightest compromise on doctrine splits the hard-liners; the "
             "Kandahar leadership against girls' education"),
       "Extra weight of moderation in the grievances of the Kandahar and Haqqani factions (M1, M13)"),
    _p("factions.allies_weight", 2.0, 0, 5, "weight",
       claim("ALI:231", "ALI:245", "ALI:259", note="Pashtunwali and a pro-TTP lobby"),
       "Extra weight of action against allies in the grievances of the Kandahar and Haqqani factions (M14)"),
    # ---------------------------------------------------------------- IS-K
    _p("isk.initial_fighters", 1500, 0, 20000, "fighters",
       claim("EER:6", note="Western estimates of 1,500-2,200 fighters; the lower bound before prison releases"),
       "IS-K fighters just before the takeover", kind=int),
    _p("isk.prisoners_released", 500, 0, 3000, "fighters",
       calibrated("IS-K 'well over 2,000 fighters' in October 2021 (ATI:27)", "EER:9", "ATI:27"),
       "IS-K members freed from prisons at the takeover (M16)", kind=int),
    _p("isk.ideological_share", 0.7, 0, 1, "share",
       claim("ATI:13", "ATI:15", note="former Taliban commanders, transnational jihadis, a 'pure' Salafi creed"),
       "Share of IS-K's initial fighters who are ideological rather than economic recruits"),
    _p("isk.foreign_share", 0.1, 0, 1, "share",
       claim("ATI:13", "ATI:23", note="IS-K now also includes many transnational jihadis"),
       "Share of IS-K's initial fighters who are foreign"),
    _p("isk.eastern_base_share", 0.6, 0, 1, "share",
       claim("EER:4", "ATI:27", note="Nangarhar and Kunar were the main bases"),
       "Share of IS-K fighters in Nangarhar and Kunar at the takeover"),
    _p("isk.pay", 150.0, 0, 2000, "USD per fighter per month",
       claim("EER:16", note="financial incentives attract villagers; amount assumed, above a Taliban foot "
             "soldier's irregular pay"),
       "What IS-K pays a fighter a month (its payroll is its main cost)"),
    _p("isk.outside_funding", 0.25, 0, 2, "USD million per month",
       calibrated("IS-K fighters 2021-2022 (UN Monitoring Team, 27th-30th reports); the UN reports transfers "
                  "from ISIL's core through its al-Siddiq office", "EER:30"),
       "Money IS-K receives from the Islamic State's core and donors abroad"),
    _p("isk.extortion", 10.0, 0, 25, "USD per fighter per month",
       assumption("IS-K cells tax and extort where the Taliban's hold is weak; a fighter in uncontested "
                  "ground raises a fraction of his pay"),
       "Money one IS-K fighter raises a month by extortion and taxation where the Taliban have no control"),
    _p("isk.wage_poverty_elasticity", 1.0, 0, 5, "elasticity",
       claim("EER:16", "TRT:57", note="the poorer Afghans become, the cheaper and easier they are to recruit; "
             "elasticity assumed"),
       "IS-K's wage per fighter x (pre-takeover poverty / poverty)^this: poverty stretches its money (M6)"),
    _p("isk.ideological_pay_share", 0.3, 0, 1, "share of pay",
       source("Weinstein (2007): committed 'investors' serve for little material reward; share assumed"),
       "What an ideological IS-K fighter costs relative to an economic one (subsistence, family support)"),
    _p("isk.budget_elasticity", 3.0, 0, 20, "elasticity",
       source("Shapiro (2013): a budget-constrained group stops hiring once it cannot pay; steepness assumed"),
       "How sharply IS-K's intake falls once its payroll outgrows what it can spend (intake x affordability^this)"),
    _p("isk.reserve_months", 6.0, 0.5, 60, "months of payroll",
       source("Shapiro (2013), The Terrorist's Dilemma: terrorist groups are budget-constrained firms that "
              "hire only what they can pay; buffer assumed"),
       "Months over which IS-K spreads its cash when deciding how many new fighters it can afford"),
    _p("isk.initial_cash_months", 6.0, 0, 30, "months of payroll",
       assumption("IS-K entered the takeover with funds for about half a year"),
       "IS-K's cash at the takeover, in months of its payroll"),
    _p("isk.unpaid_desertion_weight", 3.0, 0, 10, "utility per unit unpaid",
       source("Weinstein (2007): recruits who joined for pay leave when it stops"),
       "Extra utility of leaving IS-K for a needy fighter when IS-K cannot pay"),
    _p("isk.fighters_per_leader", 40.0, 10, 200, "fighters",
       assumption("one commander, planner or facilitator for a few dozen fighters in a cell structure", "EER:7"),
       "IS-K fighters one leader or planner can direct (sets the leaders needed for full operations)"),
    _p("isk.leader_kill_rate", 0.7, 0, 1, "share per month",
       calibrated("IS-K attacks fell from 152 in the last four months of 2021 to 140-200 in all of 2022 "
                  "(UN Secretary-General, January 2022; ALI:79, ALI:132) as the Taliban killed hundreds of "
                  "militants and their commanders (ALI:128); rate at full crackdown and full intelligence",
                  "ALI:128"),
       "Share of IS-K's leaders and planners killed a month at full crackdown and full intelligence"),
    _p("isk.leader_replacement_months", 12.0, 1, 120, "months",
       source("Jordan (2009, 2014): decapitation disrupts operations until replacements are groomed; "
              "older, larger groups recover (time assumed)"),
       "Time constant of IS-K promoting and training new leaders to the number its fighters need"),
    _p("isk.relative_pay", 1.0, 0, 5, "x a paid Taliban fighter",
       claim("EER:16", "EER:13c", note="IS-K can offer more attractive financial incentives"),
       "IS-K's pay relative to what a fully funded Taliban pays"),
    _p("isk.cell_dispersal", 0.03, 0, 0.5, "share per month",
       claim("EER:7", "EER:20", note="decentralisation into cells throughout the country"),
       "Share of IS-K fighters moving to a neighbouring province each month (M19)"),
    _p("isk.reach_scale", 100.0, 20, 500, "fighters",
       assumption("a local cell of about a hundred fighters gives IS-K half its full recruiting reach"),
       "IS-K fighters in a province at which its local recruiting reach is half of full"),
    _p("isk.presence_threshold", 20.0, 5, 100, "fighters",
       assumption("a few cells of fighters make a presence; the UN counts 'strongholds or sanctuaries' "
                  "(ALI:162)", "ALI:162"),
       "IS-K fighters that count as a presence in a province"),
    _p("isk.hold_months", 6, 1, 60, "months",
       claim("TRT:29", note="IS-K has not shown the capability to durably hold territory"),
       "Months IS-K must hold a province (control below isk.hold_control) to count as holding it durably",
       kind=int),
    _p("isk.hold_control", 0.2, 0, 1, "control 0-1",
       assumption("IS-K holds a province when the Taliban keep less than a fifth of the local balance of force "
                  "(with conflict.insurgent_weight 5: IS-K's weighted strength over four times theirs)"),
       "Taliban local control below which IS-K, if it is the strongest rival there, holds the province"),
    _p("isk.foreign_fighter_inflow", 8.0, 0, 50, "fighters per month",
       claim("ATI:23", "EER:25", note="foreign fighters relocating to Afghanistan; value assumed"),
       "Foreign fighters joining IS-K each month when it can pay them (M18)"),
    _p("isk.abroad_share", 0.08, 0, 1, "share of operations",
       claim("ALI:146b", "TRT:41", note="mass-casualty attacks in Iran, Pakistan, Uzbekistan, Tajikistan, Russia; "
             "share assumed"),
       "Share of IS-K's operations launched abroad when it is under no pressure at home (M12)"),
    _p("isk.pressure_shift", 2.0, 0, 5, "x per unit pressure",
       assumption("a group squeezed at home exports its violence (the shift of IS-K's attacks abroad from "
                  "2023, reported by the UN); factor assumed", "ALI:146b"),
       "Growth of the abroad share's weight per unit of the crackdown's pressure at home"),
    _p("isk.rival_shift", 1.0, 0, 10, "x per unit engagement",
       claim("TRT:37", "ALI:146", note="IS-K targets the powers that engage the Taliban (Russia's and "
             "Pakistan's embassies, a Chinese hotel)"),
       "Growth of IS-K's targeting of a foreign power per unit of that power's engagement with the regime"),
    _p("isk.spoiler_timing", 3.0, 0, 20, "x per unit rise",
       source("Kydd and Walter (2002), 'Sabotaging the Peace': spoilers strike when a deal is near"),
       "Rise of IS-K's attacks on civilians and foreigners per unit rise of recognition over the window"),
    _p("isk.spoiler_window_months", 6, 1, 36, "months",
       assumption("spoilers react to a diplomatic opening within about half a year"),
       "Months over which a rise of the regime's recognition counts as a moment of engagement", kind=int),
    # ---------------------------------------------------------------- allied groups and resistance
    _p("allies.ttp_initial_fighters", 4500, 0, 50000, "fighters",
       source(f"{UN_MT}, 32nd report (S/2023/370): TTP 4,000-6,500 fighters in Afghanistan"),
       "TTP fighters in Afghanistan before prison releases", kind=int),
    _p("allies.ttp_prisoners_released", 2300, 0, 20000, "fighters",
       claim("ALI:213", note="more than 2,300 TTP prisoners released from Afghan jails"),
       "TTP prisoners freed at the takeover (M15)", kind=int),
    _p("allies.aq_initial_fighters", 400, 0, 10000, "fighters",
       source(f"{UN_MT}, 32nd report (S/2023/370): Al-Qaeda about 400 fighters"),
       "Al-Qaeda fighters in Afghanistan", kind=int),
    _p("allies.central_asian_initial_fighters", 1000, 0, 20000, "fighters",
       source(f"{UN_MT} reports 2022-23: ETIM/TIP several hundred and IMU/Jamaat Ansarullah a few hundred"),
       "Central Asian militants (ETIM/TIP, IMU) in Afghanistan", kind=int),
    _p("allies.ttp_growth_rate", 0.03, 0, 0.2, "per month",
       claim("ALI:194", "ALI:213", note="sanctuary augmented TTP's military strength"),
       "TTP's monthly growth under full sanctuary, before its capacity binds (M15)"),
    _p("allies.ttp_capacity", 10000.0, 2000, 50000, "fighters",
       assumption("the UN's highest TTP estimates stay near 6,500; allow growth to about 10,000"),
       "The most fighters the TTP can keep in Afghanistan"),
    _p("allies.hostility_weight", 1.0, 0, 5, "weight",
       claim("ALI:243", "ALI:273", note="allies may turn their guns on the regime"),
       "How strongly action against the allies turns them against the regime (M3)"),
    _p("resistance.initial_fighters", 2500, 0, 20000, "fighters",
       assumption("estimates of the NRF's armed strength range from about 2,000 to a few thousand "
                  "after the fall of Panjshir", "ALI:81"),
       "Armed resistance (NRF and former officials) at the takeover", kind=int),
    _p("resistance.recruit_rate", 0.00004, 0, 0.001, "per fighting-age man per month",
       claim("EER:17", "ALI:83", note="a non-inclusive government leads to civil war; rate assumed"),
       "Monthly recruitment to the resistance per fighting-age man of the non-Pashtun provinces at full exclusion (M17)"),
    _p("resistance.capacity", 30000.0, 5000, 150000, "fighters",
       assumption("the Northern Alliance of the 1990s fielded a few tens of thousands"),
       "The most fighters the resistance can field"),
    # ---------------------------------------------------------------- fighters' choices
    _p("fighters.defection_base", -8.8, -12, -6, "utility",
       calibrated(CALIBRATION_TARGETS),
       "Utility of defecting to IS-K for a Taliban fighter with no grievance (logit; 0 = staying)"),
    _p("fighters.hardline_weight", 3.0, 0, 10, "utility per hardness x grievance",
       claim("ALI:148", "ALI:273", note="hard-line fighters abandon the group if it compromises"),
       "How strongly ideological grievance pushes hard-line fighters toward IS-K (M1, M3, M4)"),
    _p("fighters.moderation_grievance", 1.0, 0, 5, "grievance per unit",
       claim("ALI:148", "ALI:160", note="compromise on doctrinal purity"),
       "Grievance from policy.moderation (M1)"),
    _p("fighters.inclusion_grievance", 0.2, 0, 0.6, "grievance per unit",
       assumption("sharing power with non-Pashtuns and former officials angers some hardliners less than "
                  "women's rights do (ALI:47)", "ALI:47"),
       "Grievance from policy.inclusion"),
    _p("fighters.crackdown_grievance", 0.1, 0, 0.5, "grievance per unit",
       assumption("ATI:45 (2021) warned that a concentrated move against IS-K would make ideological "
                  "fighters switch sides, but the crackdown that followed (ALI:128) brought isolated, not mass, "
                  "defections (ALI:172-174): a tenth of moderation's weight. Above ~0.2 the crackdown no longer "
                  "lowers IS-K's strength in the short run", "ATI:45", "ALI:128", "ALI:174"),
       "Grievance from policy.crackdown_isk (the Taliban's own fighters)"),
    _p("fighters.allies_grievance", 0.8, 0, 5, "grievance per unit",
       claim("ALI:259", note="action against the TTP will displease the Taliban's foot soldiers"),
       "Grievance of Taliban fighters from policy.action_against_allies (M3, M14)"),
    _p("fighters.cooperation_grievance", 1.0, 0, 5, "grievance per unit",
       claim("ATI:47", "ALI:243b", note="collaboration with the US would make more fighters defect"),
       "Grievance from policy.foreign_cooperation (M4)"),
    _p("fighters.narrative_weight", 0.5, 0, 5, "grievance per unit",
       claim("TRT:37", "ALI:126", note="engaging China, Iran and Russia feeds the 'insufficiently Islamic' narrative"),
       "Grievance from the regime's engagement with China, Iran and Russia (M11)"),
    _p("fighters.economic_weight", 3.0, 0, 10, "utility per need x pull",
       claim("EER:13c", "EER:15", note="dwindling Taliban economic power boosts ISKP's economic appeal"),
       "How strongly a needy fighter follows IS-K's better pay (M6)"),
    _p("fighters.disloyalty_weight", 2.0, 0, 10, "utility",
       claim("ALI:148", "ALI:174", note="factional rifts open the way to IS-K"),
       "Extra utility of defection when the fighter's faction is disloyal (M13)"),
    _p("fighters.reach_weight", 1.0, 0, 5, "utility",
       claim("ATI:41", note="IS-K actively seeks recruits within the Taliban rank and file"),
       "Extra utility of defection where IS-K has a strong local presence"),
    _p("fighters.allied_defection_base", -7.5, -11, -5, "utility",
       calibrated(CALIBRATION_TARGETS),
       "Utility of defecting to IS-K for a TTP, Al-Qaeda or Central Asian fighter with no grievance"),
    _p("fighters.allied_action_weight", 4.0, 0, 10, "utility per unit",
       claim("ALI:174b", "ALI:257", note="acting against TTP, IMU, ETIM lets IS-K engineer defections"),
       "How strongly action against their group pushes allied fighters toward IS-K (M3)"),
    _p("fighters.allied_cooperation_weight", 1.5, 0, 10, "utility per unit",
       claim("ALI:243b", note="militants from other groups also joining the IS-K"),
       "How strongly the regime's foreign cooperation pushes allied fighters toward IS-K (M4)"),
    _p("fighters.transnational_pull", 1.0, 0, 5, "utility",
       claim("ATI:25", "ATI:39", "EER:19", note="Uzbeks, Tajiks, Uighurs see no point following the Taliban"),
       "Extra pull of IS-K's caliphate project on Central Asian militants (M18)"),
    _p("fighters.resistance_defection_base", -11.0, -15, -7, "utility",
       assumption("Tajik and Uzbek Taliban in tension with the leadership (ALI:172) rarely switch to the "
                  "resistance; a few a month at the baseline", "ALI:172"),
       "Utility of a Tajik or Uzbek Taliban fighter defecting to the armed resistance, before exclusion"),
    _p("fighters.exclusion_weight", 3.0, 0, 10, "utility per unit exclusion",
       claim("EER:17", "ALI:83", note="refusing an inclusive government could lead to civil war"),
       "How strongly exclusion (1 - policy.inclusion) pushes Tajik and Uzbek Taliban to the resistance (M17)"),
    _p("fighters.desertion_base", -6.5, -10, -4, "utility",
       assumption("about one fighter in 700 goes home each month when paid; armies in peacetime lose a few "
                  "per cent a year"),
       "Utility of deserting (going home) for a fighter with no economic need"),
    _p("fighters.desertion_pay_weight", 3.0, 0, 10, "utility per need x shortfall",
       source("Weinstein (2007), Inside Rebellion: 'consumers' recruited with pay leave when pay stops"),
       "How strongly an unpaid, needy fighter goes home"),
    _p("fighters.isk_desertion_base", -6.0, -8, -4, "utility",
       assumption("IS-K fighters rarely leave, but some surrender under pressure"),
       "Utility of an IS-K fighter leaving the group"),
    _p("fighters.surrender_weight", 1.5, 0, 10, "utility per unit crackdown",
       claim("ALI:128", note="military operations against IS-K"),
       "Extra utility of an IS-K fighter giving up under crackdown (soft-line fighters)"),
    _p("fighters.demobilisation_weight", 2.5, 0, 10, "utility per unit inclusion",
       claim("ALI:275", note="an inclusive national government brings stability"),
       "Extra utility of a resistance fighter laying down arms under an inclusive government (M17)"),
    _p("fighters.trait_concentration", 10.0, 2, 50, "Beta a+b",
       assumption("fighters of one kind differ, but most lie within about 0.15 of their kind's mean"),
       "Concentration of the Beta distributions of fighters' hardness and need (larger = less spread)"),
    _p("fighters.ideological_hardness", 0.75, 0, 1, "index 0-1",
       source("Weinstein (2007): committed 'investors'; Beta distribution with concentration 10 (assumed)"),
       "Mean hardness of an ideological recruit"),
    _p("fighters.economic_hardness", 0.3, 0, 1, "index 0-1",
       source("Weinstein (2007): 'consumers' join for material reward; concentration 10 (assumed)"),
       "Mean hardness of an economic recruit"),
    _p("fighters.ideological_need", 0.35, 0, 1, "index 0-1",
       assumption("committed recruits are poorer than average but not driven by need"),
       "Mean economic need of an ideological recruit"),
    _p("fighters.economic_need", 0.75, 0, 1, "index 0-1",
       claim("EER:16", note="villagers and disadvantaged people attracted by financial incentives"),
       "Mean economic need of an economic recruit"),
    # ---------------------------------------------------------------- recruitment from the population
    _p("recruitment.economic_rate", 0.0002, 0, 0.0007, "per fighting-age man per month",
       calibrated(CALIBRATION_TARGETS, "TRT:57b", "EER:16"),
       "IS-K economic recruits per fighting-age man a month, at full poverty pull, reach and room (M6)"),
    _p("recruitment.poverty_elasticity", 2.0, 0, 6, "elasticity",
       source("Berman, Callen, Felter and Shapiro (2011, JCR 55(4)): no simple linear link from hardship "
              "to insurgency; a convex rise (elasticity assumed) graded over the documented range", "EER:15"),
       "Economic recruitment x (provincial poverty / pre-takeover poverty)^this (M6)"),
    _p("recruitment.ideological_rate", 0.0025, 0, 0.0075, "per Salafist man per month",
       calibrated(CALIBRATION_TARGETS, "TRT:35"),
       "IS-K ideological recruits per alienated Salafist man of fighting age a month (M10)"),
    _p("recruitment.alienation_rate", 0.05, 0, 1, "per month",
       claim("TRT:35", note="Salafist alienation increased because of the campaign to crush IS-K"),
       "Growth of Salafist alienation per month at full crackdown where IS-K is present (M10)"),
    _p("recruitment.expulsion_alienation", 0.5, 0, 5, "x alienation_rate",
       claim("EER:13", "EER:22", note="expelling extremist forces is in ISKP's favour"),
       "Alienation from action against allied groups, relative to the crackdown's (M10)"),
    _p("recruitment.alienation_decay", 0.03, 0.005, 0.15, "per month",
       assumption("grievances fade over a few years without new repression"),
       "Monthly decay of Salafist alienation"),
    _p("recruitment.initial_alienation", 0.2, 0, 1, "index 0-1",
       assumption("Salafists were already repressed by the Taliban insurgency before 2021"),
       "Salafist alienation at the takeover"),
    _p("recruitment.propaganda_cooperation", 1.0, 0, 5, "x",
       claim("ALI:243b", "EER:21", note="cooperation with foreigners plays into IS-K propaganda"),
       "Boost to ideological recruitment per unit of foreign cooperation (M4, M11)"),
    _p("recruitment.propaganda_engagement", 0.5, 0, 5, "x",
       claim("TRT:37", "EER:25b", note="relations with China, Iran, Russia feed the narrative"),
       "Boost to ideological recruitment per unit of engagement with China, Iran and Russia (M11)"),
    _p("recruitment.propaganda_moderation", 1.0, 0, 5, "x",
       claim("ATI:17", note="the Taliban as apostates for abandoning jihad"),
       "Boost to ideological recruitment per unit of moderation (M1)"),
    _p("recruitment.civil_war_vacuum", 1.5, 0, 10, "x",
       claim("EER:18", note="ISKP will benefit from the power vacuum"),
       "Boost to IS-K recruitment at full civil war (M17)"),
    _p("recruitment.nrf_exclusion_exponent", 1.0, 0.2, 5, "exponent",
       assumption("recruitment to the resistance rises with exclusion; linear unless evidence says otherwise"),
       "Shape of resistance recruitment in (1 - inclusion)"),
    # ---------------------------------------------------------------- violence
    _p("violence.isk_attack_rate", 19.0, 0, 50, "operations per 1,000 fighters per month",
       calibrated("IS-K attacks in Afghanistan: 152 from 19 August to 31 December 2021 (UN Secretary-General, "
                  "January 2022); 140-200 in 2022 (ALI:79, ALI:132; ACLED)", "ALI:79", "ALI:132"),
       "IS-K operations per 1,000 fighters a month with all the leaders and planners it needs"),
    _p("violence.spectacular_share", 0.05, 0, 1, "share of attacks",
       claim("ATI:9", "ALI:146b", note="mass-casualty attacks; share assumed"),
       "Share of IS-K attacks on civilians and foreigners that are mass-casualty ('spectacular') attacks"),
    _p("violence.spectacular_shock", 0.05, 0, 1, "engagement",
       claim("ATI:11", note="spectacular attacks undermine the Taliban's claim to provide security"),
       "Western donors' engagement lost per spectacular attack, remembered over donors.record_months"),
    _p("violence.taliban_target_share", 0.72, 0, 1, "share",
       claim("ALI:132", "ALI:130", note="more than 72% of 2022 attacks targeted Taliban fighters"),
       "Share of IS-K attacks in Afghanistan that hit Taliban targets"),
    _p("violence.foreign_target_share", 0.04, 0, 1, "share",
       claim("ALI:146", note="attacks on the Russian and Pakistani embassies and a Chinese hotel"),
       "Share of IS-K attacks in Afghanistan that hit foreign targets (embassies, foreigners)"),
    _p("violence.spoiler_effect", 0.5, 0, 5, "x",
       source("Kydd and Walter (2006), 'The Strategies of Terrorism'; Bloom (2004): spoiling attacks "
              "rise when moderation or a deal is on the table"),
       "Rise of IS-K attacks per unit of moderation and foreign cooperation"),
    _p("violence.ttp_attack_rate", 2.85, 0, 10, "attacks per 1,000 fighters per month",
       calibrated("250 attacks in Pakistan between Aug 2021 and Aug 2022 (ALI:211b)", "ALI:211b"),
       "TTP attacks in Pakistan per 1,000 TTP fighters a month, under full sanctuary"),
    _p("violence.sanctuary_effect", 0.7, 0, 1, "share",
       claim("ALI:194", "ALI:209", note="sanctuary lets the TTP crank up cross-border attacks"),
       "Share of TTP attacks that full action against the TTP would prevent (M15)"),
    _p("violence.taliban_deaths_per_attack", 2.0, 0, 10, "fighters",
       assumption("IS-K attacks on Taliban are mostly small bombings and assassinations"),
       "Taliban fighters killed per IS-K attack on Taliban targets"),
    _p("violence.crackdown_kill_rate", 0.15, 0, 0.5, "share per month",
       calibrated(CALIBRATION_TARGETS, "ALI:128"),
       "Share of IS-K fighters killed or captured a month at full crackdown, intelligence and local control"),
    _p("violence.max_kill_share", 0.5, 0.01, 1, "share per month",
       assumption("no group loses more than half its fighters to violence in a single month"),
       "Upper bound on any group's monthly probability of death"),
    _p("violence.cell_resilience", 1.0, 0, 10, "x",
       claim("EER:7", "ALI:162", note="decentralised cells survive continuous military operations"),
       "Crackdown lethality is divided by (1 + this x share of provinces with IS-K) (M19)"),
    _p("violence.allies_kill_rate", 0.03, 0, 0.15, "share per month",
       assumption("action against an allied group kills or arrests a few per cent of it a month"),
       "Share of allied fighters killed or arrested a month at full action against them"),
    _p("violence.pakistan_strike_rate", 0.003, 0, 0.015, "share per month",
       assumption("Pakistani operations and strikes kill a few TTP fighters in a hundred a year"),
       "Share of TTP fighters killed a month by Pakistan's routine operations"),
    _p("violence.ttp_escalation", 0.5, 0, 5, "x",
       claim("ALI:211", note="TTP attacks rose as relations soured; retaliation factor assumed"),
       "Rise of TTP attacks in Pakistan while Pakistan is hostile (strikes and retaliation)"),
    _p("violence.base_attrition", 0.001, 0.0002, 0.01, "share per month",
       assumption("accidents, disease and other conflicts kill about one fighter in a thousand a month"),
       "Background monthly death rate of fighters"),
    _p("violence.civil_war_lethality", 0.02, 0, 0.1, "share per month",
       assumption("a full civil war kills a few per cent of the resistance and a smaller share of the "
                  "Taliban each month"),
       "Share of resistance fighters killed a month at full civil war"),
    _p("violence.hostile_allies_lethality", 0.02, 0, 0.5, "kills per hostile fighter per month",
       claim("ALI:243", note="allies turning their guns against the regime; rate assumed"),
       "Taliban fighters killed a month per fighter of a hostile allied group"),
    # ---------------------------------------------------------------- civil war
    _p("conflict.civil_war_ratio", 0.12, 0.03, 0.6, "resistance per Taliban fighter",
       assumption("a resistance an eighth of the regime's strength fights a civil war, as in the 1990s"),
       "Armed opposition per Taliban fighter at which civil war intensity is one half (M17)"),
    _p("conflict.civil_war_width", 0.03, 0.01, 0.15, "resistance per Taliban fighter",
       assumption("the slide into civil war is fast once the resistance can hold ground"),
       "Width of the logistic rise of civil war intensity"),
    _p("conflict.insurgent_weight", 5.0, 1, 25, "garrison fighters per insurgent",
       assumption("one clandestine fighter contests as much ground as several garrison soldiers"),
       "Weight of an IS-K, resistance or renegade fighter against a Taliban fighter in local control"),
    _p("conflict.ct_diversion", 0.6, 0, 1, "share",
       claim("EER:18", note="a civil war opens a power vacuum that IS-K exploits"),
       "Share of the crackdown on IS-K diverted at full civil war (M17)"),
    # ---------------------------------------------------------------- regime survival
    _p("survival.cohesion_floor", 0.45, 0, 1, "index 0-1",
       claim("ALI:83", "ATI:45", note="the regime can be ripped apart from within"),
       "Regime cohesion below which the regime is failing (loss of cohesion)"),
    _p("survival.civil_war_floor", 0.8, 0, 1, "index 0-1",
       claim("ALI:83", "EER:17", note="breakdown of the regime into civil war"),
       "Civil war intensity above which the regime is failing (civil war)"),
    _p("survival.fiscal_floor", 0.6, 0, 1, "share of budget",
       claim("ATI:55", note="economic collapse and pariah status brought down the 1996-2001 regime; value an "
             "assumption: the regime already runs a ~15% shortfall (USD 2.2bn of revenue against a USD 2.6bn "
             "budget, 2022), and a 40% shortfall for half a year leaves fighters unpaid, as in Najibullah's last "
             "months once Soviet aid stopped in 1992 (Rubin 1995, The Fragmentation of Afghanistan); the earlier "
             "0.4 was unreachable anywhere in the documented ranges"),
       "Fiscal coverage below which the regime is failing (fiscal collapse)"),
    _p("survival.territory_floor", 2, 1, 34, "provinces",
       claim("TRT:29", "ALI:115", note="IS-K seizing territory would deny the Taliban's claim to rule"),
       "Provinces durably held by IS-K at which the regime is failing (loss of territory)", kind=int),
    _p("survival.split_floor", 0.15, 0, 1, "share of the Taliban's fighters",
       claim("ALI:259", "ATI:45", note="serious intra-Taliban rifts; ripped apart from within"),
       "Share of the Taliban's initial fighters in factions that broke away at which the regime has split"),
    _p("survival.failing_months", 6, 1, 60, "months",
       assumption("a regime falls after half a year of sustained crisis, not one bad month"),
       "Consecutive months a failure condition must hold before the regime falls", kind=int),
)

SPEC_BY_NAME: dict[str, Spec] = {s.name: s for s in SPECS}
if len(SPEC_BY_NAME) != len(SPECS):  # pragma: no cover - a programming error
    raise RuntimeError("duplicate parameter names in SPECS")


def closest_name(key: str, names=None) -> str | None:
    """The valid name most like ``key``, for 'did you mean' messages."""
    names = list(SPEC_BY_NAME) if names is None else list(names)
    match = difflib.get_close_matches(key, names, n=1, cutoff=0.5)
    return match[0] if match else None


def unknown_key(key: str) -> ParameterError:
    hint = closest_name(key)
    return ParameterError(key, "unknown parameter" + (f" (did you mean {hint}?)" if hint else
                                                       "; 'regime-sim params' lists them"))


@dataclass(frozen=True)
class Parameters:
    """A complete, validated set of parameter values (immutable).

    Build it with ``Parameters()`` for the defaults or ``Parameters.from_dict({...})``
    with dotted names; read values as ``params["policy.moderation"]`` or through
    :meth:`tree` (``params.tree().policy.moderation``).
    """

    values: Mapping[str, Any] = field(default_factory=lambda: {s.name: s.default for s in SPECS})

    @classmethod
    def from_dict(cls, overrides: Mapping[str, Any]) -> "Parameters":
        return cls().replace(overrides)

    def replace(self, overrides: Mapping[str, Any]) -> "Parameters":
        """A copy with some values changed; every name and value is validated."""
        values = dict(self.values)
        for key, value in overrides.items():
            spec = SPEC_BY_NAME.get(key)
            if spec is None:
                raise unknown_key(key)
            values[key] = spec.check(value)
        _check_faction_shares(values)
        return Parameters(values)

    def __getitem__(self, key: str) -> Any:
        return self.values[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.values)

    def changed(self) -> dict[str, Any]:
        """The values that differ from the defaults."""
        return {k: v for k, v in self.values.items() if v != SPEC_BY_NAME[k].default}

    def as_jsonable(self) -> dict[str, Any]:
        """Dotted name -> value, schedules written as ``{"YYYY-MM": value}`` tables."""
        out = {}
        for key, value in self.values.items():
            if isinstance(value, Schedule):
                value = {month_date(m): v for m, v in value.steps}
            out[key] = value
        return out

    def tree(self) -> SimpleNamespace:
        """The values as nested namespaces (``tree.factions.kabul.share``)."""
        root = SimpleNamespace()
        for key, value in self.values.items():
            node = root
            *path, leaf = key.split(".")
            for part in path:
                if not hasattr(node, part):
                    setattr(node, part, SimpleNamespace())
                node = getattr(node, part)
            setattr(node, leaf, value)
        return root

    def lever_path(self, key: str, months: int) -> np.ndarray:
        """A lever's value in each month (constant levers give a flat path)."""
        value = self.values[key]
        if isinstance(value, Schedule):
            return value.path(months)
        return np.full(months, float(value))


FACTIONS = ("kandahar", "kabul", "haqqani", "northern")


def _check_faction_shares(values: Mapping[str, Any]) -> None:
    total = sum(values[f"factions.{f}.share"] for f in FACTIONS)
    if abs(total - 1.0) > 1e-6:
        names = ", ".join(f"factions.{f}.share" for f in FACTIONS)
        raise ParameterError("factions.*.share", f"the four shares ({names}) must add up to 1, not {total:g}")
