"""The parameter tree: every number the model reads, declared once, with its provenance.

Each parameter has a dotted name (``policy.moderation``), a default, an allowed range, a
unit, a provenance (see :mod:`sim.model.provenance`) and a one-line description. The CLI table
(``regime-sim params``), validation of scenario files and ``--set``, sweep ranges and the
ODD parameter table are all generated from :data:`SPECS`.

Policy levers (``policy.*`` and ``external.*`` except ``policy.mode`` and the
``policy.adaptation_*`` settings) accept either a number or a schedule: a table of
``"YYYY-MM" = value`` steps, each value holding from its date on.

Actor states (``external.<state>_stance``, ``external.western_recognition``,
``external.<state>_deportation``) are set the same way but override an actor's own decision
rule: their default is ``"free"`` (the actor decides), a schedule's value holds from its date
on, and before its first date (or from a step set to ``"free"``) the actor decides again.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any, Iterator, Mapping

import numpy as np

from sim.model.calendar import month_date, month_index
from sim.model.provenance import Provenance, assumption, calibrated, claim, direction, informed, source

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

    steps: tuple[tuple[int, Any], ...]
    back_filled: bool = True  # False for actor states: before the first date the actor decides

    def path(self, months: int, code=float) -> np.ndarray:
        """The value in each month ``0 .. months-1`` (``code`` turns a value into a number;
        months an actor state leaves to the actor are NaN)."""
        out = np.full(months, code(self.steps[0][1]) if self.back_filled else np.nan, dtype=float)
        for month, value in self.steps[0 if not self.back_filled else 1:]:
            out[max(month, 0) :] = code(value)
        return out

    def values(self) -> list[Any]:
        return [value for _, value in self.steps]

    def __str__(self) -> str:
        inner = ", ".join(f'"{month_date(m)}" = ' + (f'"{v}"' if isinstance(v, str) else f"{v:g}")
                          for m, v in self.steps)
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
    state: bool = False  # an actor's state: "free" (the actor decides), a value or a schedule of values

    @property
    def label(self) -> str:
        """A label in words, for plot axes: the first clause of the description, whole (figures wrap it; a label
        is never cut short)."""
        if self.name in LABELS:
            return LABELS[self.name]
        return self.doc.split(";")[0].split(" (")[0]

    @property
    def range_text(self) -> str:
        if self.choices:
            return " | ".join(self.choices)
        if self.state:
            return f"{FREE} | [{self.low:g}, {self.high:g}]"
        return f"[{self.low:g}, {self.high:g}]"

    def check(self, value: Any) -> Any:
        """Return ``value`` converted to this parameter's type, or raise ParameterError."""
        if self.state:
            return self._check_state(value)
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

    def _check_state(self, value: Any) -> Any:
        """An actor state: "free", one allowed value, or a schedule of them (free before its first date)."""
        if isinstance(value, Schedule):
            value = {month_date(m): v for m, v in value.steps}
        if not isinstance(value, Mapping):
            return self._check_state_value(value)
        if not value:
            raise ParameterError(self.name, "an empty schedule; give at least one \"YYYY-MM\" = value")
        steps = []
        for date, v in value.items():
            try:
                month = month_index(str(date))
            except ValueError as err:
                raise ParameterError(self.name, f"schedule key {err}") from None
            steps.append((month, self._check_state_value(v)))
        return Schedule(tuple(sorted(steps)), back_filled=False)

    def _check_state_value(self, value: Any) -> Any:
        if value == FREE or (self.choices and value in self.choices):
            return value
        if not self.choices and not isinstance(value, bool) and isinstance(value, (int, float)) \
                and self.low <= value <= self.high:
            return float(value)
        raise ParameterError(self.name, f"{value!r} is not allowed; use one of {self.range_text}, or a schedule "
                                        f"{{ \"YYYY-MM\" = value, ... }}")

    def code(self, value: Any) -> float:
        """An actor state as a number: NaN for "free", a stance's rank in STANCES, or the value."""
        if value == FREE:
            return np.nan
        return float(STANCES.index(value)) if self.choices else float(value)

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


def _state(name, doc, provenance, stance=True, high=1.0, unit="index 0-1") -> Spec:
    """An actor state a scenario may set on a date schedule, overriding the actor's own rule."""
    if stance:
        return Spec(name, FREE, None, None, "stance", provenance, doc, kind=str, choices=STANCE_CHOICES, state=True)
    return Spec(name, FREE, 0.0, high, unit, provenance, doc, state=True)


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
        _p(f"{base}.commitment", threshold, -1, 1, "doubt", prov["threshold"],
           f"{label}: how much more doubt than the common threshold (survival.threshold_mean) its commanders "
           "take before they stop obeying"),
    ]
    for lever, value in zip(LEVER_NAMES, prefs):
        out.append(_p(f"{base}.prefers_{lever}", value, 0, 1, "index 0-1", prov["prefs"],
                      f"{label}: preferred level of policy.{lever}"))
    return out


def _neighbour(key: str, trade, isk_targets, fears_isk, fears_allies, rivalry, refugees, reluctance) -> list[Spec]:
    """The parameters of one regional state: its stakes in Afghanistan (M8, M12, M15)."""
    base, label = f"neighbours.{key}", STATE_NAMES.get(key, key.capitalize())
    ref = "ALI:101", "ATI:51"
    return [
        _p(f"{base}.recognition_reluctance", reluctance, 0, 1, "engagement",
           assumption("what a formal step costs each state beyond its interest in Kabul, read from its record "
                      "2021-2025: Russia recognised (July 2025, after delisting the Taliban); China, the UAE and "
                      "Uzbekistan accepted ambassadors (2023-24) but did not recognise; Iran and Pakistan keep "
                      "their disputes (water, Shia minorities; the TTP); Tajikistan backs the resistance; Qatar "
                      "mediates for the West"),
           f"{label}: extra engagement it needs before each formal step (ambassador, recognition)"),
        _p(f"{base}.trade_share", trade, 0, 1, "share of Afghan trade",
           informed("UN Comtrade and World Bank (2022): Pakistan and Iran the largest trade and transit partners, "
                  "then China and Uzbekistan; shares assumed in that order"),
           f"{label}: its share of Afghanistan's trade and transit"),
        _p(f"{base}.isk_target_weight", isk_targets, 0, 1, "weight",
           direction("ALI:29b", "ALI:146b", "TRT:41", "TRT:43", note="IS-K attacks in Pakistan, Iran, Central Asia "
                 "and Russia; none in China; weights assumed"),
           f"{label}: weight of this state among the targets of IS-K's operations abroad"),
        _p(f"{base}.fears_isk", fears_isk, 0, 1, "weight", direction(*ref, note="what each neighbour asks the "
           "regime to act against"), f"{label}: weight of the crackdown on IS-K in what it asks of the regime"),
        _p(f"{base}.fears_allies", fears_allies, 0, 1, "weight", direction(*ref, note="the TTP for Pakistan, ETIM "
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
GULF_KEYS = ("qatar", "uae")
STATE_KEYS = NEIGHBOUR_KEYS + GULF_KEYS  # the regional states that decide about the regime
STATE_NAMES = {"uae": "the UAE"}  # display names where key.capitalize() is wrong
# A state's stance toward the regime, from hostile to formal recognition; "free" lets it decide.
STANCES = ("hostile", "wary", "engaged", "ambassador", "recognised")
FREE = "free"
STANCE_CHOICES = (FREE,) + STANCES
DEPORTING_STATES = ("pakistan", "iran")
# The actor states a scenario can set (``external.<name>``), overriding the actor's rule.
ACTOR_STATES = (("western_recognition",) + tuple(f"{k}_stance" for k in STATE_KEYS)
                + tuple(f"{k}_deportation" for k in DEPORTING_STATES) + tuple(f"{k}_sponsorship" for k in STATE_KEYS))


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
RESISTANCE_TIES = {"pakistan": 0.0, "iran": 0.5, "china": 0.0, "russia": 0.5, "uzbekistan": 0.2, "tajikistan": 1.0,
                   "qatar": 0.0, "uae": 0.0}
RELUCTANCE = {"pakistan": 0.15, "iran": 0.2, "china": 0.1, "russia": 0.0, "uzbekistan": 0.05, "tajikistan": 0.3,
              "qatar": 0.15, "uae": 0.0}
LEVER_NAMES = ("moderation", "inclusion", "crackdown_isk", "action_against_allies", "foreign_cooperation")
# the provenance of the parameters the baseline's calibration samples over their whole ranges (whole_range)
WHOLE_RANGE_NOTE = ("; free in the baseline's calibration over {r} and sampled over that whole range in every wave "
             "(calibrate.whole_range): the record of 2021-2023 bounds it little, so the ensemble carries its "
             "uncertainty")
EXTERNAL_LEVERS = ("sanctions", "assets_released", "humanitarian_aid")
EXTERNAL_INPUTS = EXTERNAL_LEVERS + ("isk_outside_funding",)  # numeric schedules the model reads each month

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
    "threshold": informed("Staniland (2014), Networks of Rebellion: factions with their own networks, money and "
                        "territory (the Haqqanis; the Tajik and Uzbek Taliban) split more easily than the "
                        "leadership's core, whose commanders are bound to it; values assumed", "ATI:33", "ALI:172"),
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
           direction("ALI:31", "ALI:47", note="a non-inclusive government with a few Tajiks and Uzbeks")),
    _lever("policy.crackdown_isk", 0.6,
           "Counter-terrorism against IS-K and Salafist networks",
           direction("ALI:128", note="stern military action; hundreds of IS-K militants killed")),
    _lever("policy.action_against_allies", 0.0,
           "Action against TTP, Al-Qaeda, ETIM and IMU (cutting ties, expelling, arresting)",
           claim("ALI:192", "ALI:194", note="neither ceased ties nor acted; permissive sanctuary")),
    _lever("policy.foreign_cooperation", 0.05,
           "Counter-terrorism cooperation and intelligence sharing with foreign powers",
           direction("ATI:47", note="refused a US offer to jointly tackle IS-K")),
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
    # ---------------------------------------------------------------- actor states a scenario can schedule
    _lever("external.isk_outside_funding", 1.0,
           "Money reaching IS-K from the Islamic State's core and donors abroad, x what the model's own rule gives",
           assumption("1 leaves the transfers to their rule (isk.outside_funding, raised by IS-K's external "
                      "operations); a scenario scales them to pose 'what if the money dries up'"),
           high=5.0, unit="x modelled transfers"),
    _state("external.western_recognition",
           "Western donors' engagement (their recognition of the regime), 0-1, set instead of earned; 'free': "
           "earned by the regime's record (7.5)",
           assumption("a counterfactual lever: 'what if the West recognised without conditions?'"), stance=False),
    *[_state(f"external.{key}_stance",
             f"{STATE_NAMES.get(key, key.capitalize())}'s stance toward the regime, set instead of decided; "
             "'free': it decides (7.4)",
             assumption("a counterfactual lever: an actor's decision fixed by the scenario for the months it names"))
      for key in STATE_KEYS],
    *[_state(f"external.{key}_deportation",
             f"Share of the Afghans in {key.capitalize()} it deports a month (a decided campaign); 'free': it "
             "deports only while hostile (neighbours.deportation_rate)",
             assumption("a documented input (UNHCR, IOM): campaigns are decisions, scheduled by the baseline"),
             stance=False, high=0.2, unit="share per month") for key in DEPORTING_STATES],
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
       informed("UN OCHA FTS: ~USD 3 billion of aid against a GDP of ~USD 14 billion, much of it imported "
              "goods; assumed to support 4% of GDP"),
       "GDP supported by humanitarian aid at the documented level"),
    _p("economy.trade_dependence", 0.15, 0, 0.6, "share of GDP",
       informed("World Bank Afghanistan Development Update (2023): imports of about USD 6-7 billion against "
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
    _p("economy.takeover_shock", 0.4, 0, 0.85, "share of GDP",
       calibrated("real GDP growth -20.7% in 2021, -6.2% in 2022 and +2.7% in 2023 (World Bank Afghanistan "
                  "Development Update, 2023-2024): the banking and liquidity crisis of the takeover, at full depth "
                  "until the UN cash shipments began in December 2021 (about USD 3.2bn to October 2023, UN "
                  "Secretary-General, December 2023), then easing; free in the calibration", "TRT:61"),
       "GDP lost at once at the takeover to the banking and liquidity crisis, on top of the lasting shocks; it fades"),
    _p("economy.liquidity_relief_months", 4, 0, 24, "months",
       source("UN Secretary-General, report on the situation in Afghanistan (December 2023): the UN's cash "
              "shipments, which stabilised the afghani and let banks pay out, began in December 2021, four "
              "months after the takeover (about USD 3.2bn to October 2023)"),
       "Months the takeover's liquidity crisis holds at full depth before the cash shipments let it fade",
       kind=int),
    _p("economy.liquidity_pace_without_dollars", 0.5, 0, 1, "share of the documented pace",
       assumption("the UN's cash shipments (about USD 3.2bn, December 2021 to October 2023) brought the dollars "
                  "that let banks pay out and stabilised the afghani (UN Secretary-General, December 2023); without "
                  "them or the released reserves, dollars reach the banks only through trade and remittances, "
                  "slowed by the sanctions and the banks' de-risking: assumed half the pace. The baseline, with "
                  "humanitarian aid at or above its 2022 level until 2023, does not depend on it through 2022 and "
                  "only slightly in 2023, when the crisis is all but gone; isolation from the takeover does (README, "
                  "'The hard line's price')" + WHOLE_RANGE_NOTE.format(r="0.25 to 1")),
       "Pace at which the takeover's liquidity crisis eases without humanitarian aid or released reserves "
       "(1: as fast as with aid at its 2022 level)"),
    _p("economy.shock_recovery_months", 3.0, 0.5, 15, "months",
       calibrated("the same GDP path (World Bank 2023): most of the liquidity shock had passed by 2022"),
       "Time constant of the takeover shock's fading, once the cash shipments begin"),
    _p("economy.gdp_adjustment_months", 2.0, 1, 12, "months",
       calibrated("most of the fall came within a year of the takeover (World Bank 2023)"),
       "Time constant of GDP's move toward its new level"),
    _p("economy.poverty_pre_takeover", 0.47, 0, 1, "share of population",
       source("World Bank, Afghanistan Development Update (2021): poverty rate about 47% in 2020"),
       "Poverty rate before the takeover"),
    _p("economy.poverty_gdp_elasticity", 0.5, 0, 1.5, "poverty share per GDP share",
       calibrated("people in need 18.4M (2021, before the takeover), 24.4M (2022) and 28.3M (2023), fit targets "
                  "of the history matching (free there)", "ALI:51", "ALI:63"),
       "Rise of the poverty rate per unit of GDP lost (M7)"),
    _p("economy.humanitarian_poverty_relief", 0.05, 0, 0.3, "share of population",
       assumption("aid at the documented level keeps about one person in twenty out of poverty; food and "
                  "cash aid reached over 20 million people in 2022 but at low value per person"),
       "Poverty averted by humanitarian aid at the documented level"),
    _p("economy.poverty_adjustment_months", 9.0, 1, 60, "months",
       calibrated("the steady rise of people in need over 2021-2023", "ALI:51", "ALI:63"),
       "Time constant of poverty's move toward its new level (households deplete savings slowly)"),
    _p("economy.need_share_of_poor", 0.95, 0, 1.5, "share",
       calibrated("people in need 18.4M in 2021 against ~47% poverty; above 1 allowed, as OCHA's people in need "
                  "count non-poor people too", "ALI:51"),
       "Share of the poor counted as people in humanitarian need"),
    _p("economy.revenue_at_full_gdp", 3.0, 0, 10, "USD billion per year",
       calibrated("World Bank Afghanistan Economic Monitor (2023): revenue of about AFN 193 billion "
                  "(~USD 2.2 billion) in 2022, when the GDP index was about 0.74"),
       "The regime's domestic revenue if GDP were back at its pre-takeover level"),
    _p("economy.customs_share", 0.5, 0, 1, "share of revenue",
       source("World Bank Afghanistan Economic Monitor (2022-2023): customs duties and taxes at the border "
              "raise about half of the Taliban's domestic revenue"),
       "Share of domestic revenue collected at the borders (lost in proportion to closed trade)"),
    _p("economy.payroll_share", 0.5, 0, 1, "share of budget",
       source("the security sector (defence, interior, intelligence) takes about half of the Emirate's spending: "
              "USD 1.1 billion of the leaked 2023-24 budget, 'almost half' (Zan Times, 11 May 2023), and 75.6 of "
              "155.7 billion AFN (49%) in the first seven months of FY1404 (World Bank, Afghanistan Economic "
              "Monitor, 2025). It is the forces' whole cost (pay, food, fuel, arms, garrisons), which scales with "
              "their number; pay alone is far less (85,000 fighters x ~USD 140 a month x 12 is ~USD 143 million, "
              "5.5% of a USD 2.6 billion budget)"),
       "Share of the budget need that is the security forces' cost (scales with Taliban strength)"),
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
       informed("World Bank (2021): on-budget grants financed about 75% of public spending; assume 30% of "
              "restored aid would be on budget under a recognised regime"),
       "Share of development aid that reaches the regime's budget"),
    _p("economy.aid_revenue_share", 0.1, 0, 0.3, "share of aid",
       informed("UN Secretary-General (Dec 2023): UN cash shipments of about USD 3.2 billion (Dec 2021-Oct 2023) "
              "stabilised the afghani; aid-financed imports pay customs and aid operations pay fees and taxes. "
              "Share assumed: a tenth of the aid spent in the country returns to the regime's revenue"),
       "Share of aid (development and humanitarian) that reaches the regime's revenue through the economy"),
    # ---------------------------------------------------------------- Western donors
    _p("donors.moderation_weight", 0.4, 0, 1, "weight",
       direction("ALI:83b", "ALI:263", note="moderation and women's rights bring aid and assistance"),
       "Weight of moderation in donors' engagement (M2)"),
    _p("donors.inclusion_weight", 0.3, 0, 1, "weight",
       direction("TRT:23", "ALI:275", note="recognition needs inclusive governance"),
       "Weight of an inclusive government in donors' engagement (M9)"),
    _p("donors.counterterrorism_weight", 0.3, 0, 1, "weight",
       direction("ATI:55", "ALI:101", note="recognition and aid withheld without credible counter-terrorism"),
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
       direction("ALI:83b", note="moderation brings assistance; threshold assumed"),
       "Credible record at which donors begin to lift sanctions (relief grows to full at a record of 1)"),
    _p("donors.reserves_threshold", 0.5, 0, 1, "record 0-1",
       informed("US Treasury, 14 September 2022: USD 3.5 billion of the reserves moved to the Fund for the "
              "Afghan People, to be disbursed only under conditions not met by the Taliban; threshold assumed"),
       "Credible record at which donors release the frozen reserves"),
    _p("donors.aid_threshold", 0.1, 0, 1, "record 0-1",
       assumption("development aid returns in part before sanctions are lifted (humanitarian-plus projects)"),
       "Credible record from which development aid returns (full at a record of 1)"),
    _p("donors.reversal_tolerance", 0.05, 0, 0.25, "compliance",
       assumption("a small backsliding is forgiven; a reversal larger than this costs credibility"),
       "Fall of monthly compliance below the remembered record that counts as a reversal"),
    _p("donors.reversal_penalty", 0.3, 0, 1, "share of credibility",
       direction("ALI:47", note="promises on women's rights broken after 2021; penalty assumed"),
       "Share of the regime's credibility lost in a month of reversal"),
    _p("donors.credibility_months", 36.0, 1, 240, "months",
       assumption("trust lost by a reversal is rebuilt over about three years of keeping promises"),
       "Time constant of credibility's recovery"),
    _p("donors.sectarian_damage", 0.01, 0, 0.2, "engagement per attack",
       direction("ATI:9", "ATI:11", "ALI:79", note="sectarian attacks undermine the claim to security"),
       "Engagement lost per IS-K attack on civilians and minorities in a month, remembered (M20)"),
    _p("donors.recognition_western_weight", 0.5, 0, 1, "weight",
       assumption("recognition counted half from Western donors and half from the region"),
       "Weight of Western engagement in the recognition index"),
    # ---------------------------------------------------------------- neighbours
    _p("neighbours.base_engagement", 0.35, 0, 1, "index 0-1",
       direction("TRT:17", "TRT:19", note="neighbours engage the only de facto government"),
       "Neighbours' engagement with the regime with no IS-K threat and no attacks"),
    _p("neighbours.isk_card_gain", 0.3, 0, 1, "index 0-1",
       direction("EER:11", "EER:12b", "TRT:19", note="a weak IS-K is a card; fear of it brings Russia to engage"),
       "Extra engagement from fear of a moderate IS-K, at its peak (M8)"),
    _p("neighbours.isk_card_peak", 3000.0, 100, 20000, "IS-K fighters",
       direction("EER:12b", note="a weak ISKP is a card; its expansion a threat; value assumed"),
       "IS-K strength at which its value as a card is greatest; beyond it the threat dominates"),
    _p("neighbours.attack_grievance", 0.5, 0, 2, "engagement per unit threat",
       direction("ALI:148b", "TRT:39", note="attacks abroad engender tensions with neighbours"),
       "Engagement lost per unit of threat from attacks launched from Afghanistan (M12, M15)"),
    _p("neighbours.counterterrorism_gain", 0.3, 0, 1, "index 0-1",
       direction("ALI:101", "ATI:51", note="neighbours demand action against the groups that threaten them"),
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
       direction("TRT:37", note="China, Iran and Russia engage the Taliban; IS-K calls them the enemies of Islam; "
             "value assumed"),
       "Extra engagement of a rival of the West when Western donors keep away"),
    _p("neighbours.hostile_below", 0.1, 0, 1, "engagement",
       assumption("a neighbour that sees almost nothing to gain turns to pressure"),
       "Engagement below which a neighbour turns hostile: closes its border, expels Afghans, may strike"),
    _p("neighbours.engage_above", 0.3, 0, 1, "engagement",
       direction("TRT:17", note="neighbours engage the only de facto government"),
       "Engagement above which a neighbour engages (trade, talks)"),
    _p("neighbours.ambassador_above", 0.75, 0, 1, "engagement",
       assumption("accepting an ambassador is a step short of recognition; this is the first mover's threshold "
                  "(China, January 2024): no state accepted a Taliban ambassador in 2021-2023 though several were "
                  "engaged. It is 0.55 plus a first mover's cost of 0.2 for breaking the consensus of "
                  "non-recognition (Coggins 2014); a state that follows others needs up to neighbours.consensus_cost "
                  "less"),
       "Engagement above which a neighbour accepts a Taliban ambassador"),
    _p("neighbours.recognise_above", 0.8, 0, 1, "engagement",
       assumption("formal recognition needs near-full engagement (Russia, July 2025)"),
       "Engagement above which a neighbour recognises the regime formally"),
    _p("neighbours.step_months", 6.0, 1, 30, "months",
       assumption("a government takes a diplomatic step about half a year after its interest calls for it"),
       "Mean months before a neighbour takes the next step its engagement calls for"),
    _p("neighbours.interest_noise", 0.08, 0, 0.5, "engagement (standard deviation)",
       assumption("each government's reading of its interests moves with events the model does not carry "
                  "(elections, water and border disputes, other crises); a persistent shock of this size keeps "
                  "replicates apart"),
       "Standard deviation of the persistent random shock to each state's engagement target (AR(1) over "
       "neighbours.engagement_months)"),
    _p("neighbours.consensus_cost", 0.2, 0, 1, "engagement",
       informed("Coggins (2014), Power Politics and State Formation: recognition is an interdependent decision; "
              "the first state to break a consensus of non-recognition pays its cost alone, later ones follow. "
              "No state accepted a Taliban ambassador before China (January 2024), after which the UAE (August "
              "2024) and Uzbekistan (October 2024) did; none recognised before Russia (July 2025). The formal "
              "thresholds (neighbours.ambassador_above, recognise_above) describe those first movers, so the "
              "consensus spares followers rather than taxing the first; size assumed"),
       "Engagement a formal step (ambassador, recognition) no longer needs once all the other regional states "
       "have taken it, in proportion to the share that has (followers of a broken consensus)"),
    _p("neighbours.recognition_months", 24.0, 1, 240, "months",
       informed("Russia's path: a law allowing the Taliban's delisting (2024), delisting (April 2025), recognition "
              "(July 2025), after years of engagement; mean delay assumed"),
       "Mean months before a state that would recognise the regime does so (formal recognition is slower than "
       "other steps)"),
    # Pakistan's escalation ladder (M15; Byman 2005 on states and the militants they host or fight)
    _p("neighbours.pakistan.tolerated_attacks", 7.9, 1, 200, "attacks per month",
       source("Pak Institute for Peace Studies (PIPS), Pakistan Security Report 2020: of 146 attacks in 2020, 95 by "
              "religiously inspired militant groups (the TTP and its affiliates, IS-K), 44 by Baloch and Sindhi "
              "insurgents and 7 sectarian: 95 a year, the level of the violence the pressure counts (the TTP's and "
              "IS-K's attacks) that Pakistan lived with before the takeover"),
       "Militant attacks a month from Afghan soil that Pakistan tolerates without escalating (its reference level)"),
    _p("neighbours.pakistan.trend_weight", 1.0, 0, 20, "pressure per unit rise",
       assumption("a government answers a rising wave more than a steady level (the 2023 surge brought "
                  "deportations and closures); weight assumed"),
       "Pressure per unit rise of attacks over the last months against the past year (in tolerated levels)"),
    _p("neighbours.pakistan.outrage", 0.1, 0, 5, "pressure per mass-casualty attack",
       direction("ALI:211", note="TTP attacks rose as relations soured; the Peshawar mosque bombing (January 2023, "
             "about 100 killed) and similar massacres drove the demands; size assumed"),
       "Domestic pressure added by one mass-casualty TTP attack (it fades over neighbours.pakistan.outrage_months)"),
    _p("neighbours.pakistan.massacre_share", 0.03, 0, 1, "share of attacks",
       assumption("a few TTP attacks in a hundred kill dozens (PIPS reports a handful a year)"),
       "Share of TTP attacks in Pakistan that are mass-casualty attacks"),
    _p("neighbours.pakistan.outrage_months", 12.0, 1, 120, "months",
       assumption("public and military outrage after a massacre fades over about a year"),
       "Time constant of Pakistan's domestic pressure"),
    _p("neighbours.pakistan.demands_met_weight", 2.0, 0, 10, "pressure per unit action",
       direction("ALI:101", "ATI:51", note="Pakistan asks the regime to act against the TTP; weight assumed"),
       "Pressure removed by the regime's action against the allied groups (Pakistan's demands met)"),
    _p("neighbours.pakistan.ladder_start", 2.1, 0, 20, "pressure",
       assumption("Pakistan makes demands once the pressure runs about twice what it tolerated (the TTP's and "
                  "IS-K's attacks of 2022, 179 a year by PIPS's count, against 95 in 2020); free in the "
                  "calibration"),
       "Pressure at which Pakistan takes the first rung of its ladder (demands)"),
    _p("neighbours.pakistan.ladder_step", 0.6, 0.01, 10, "pressure",
       assumption("each further rung (border closure, air strikes, deportations, open fighting) needs three "
                  "fifths of the tolerated level more; the 2022 surge (262 attacks) brought air strikes (Khost and "
                  "Kunar, April 2022), the 2023 surge (306) the expulsions of October 2023, October 2025 open "
                  "fighting"),
       "Extra pressure each further rung needs"),
    _p("neighbours.pakistan.step_months", 6.0, 1, 120, "months",
       assumption("Pakistan's government and army take a decision about half a year after pressure calls for it"),
       "Mean months before Pakistan climbs (or descends) a rung its pressure calls for"),
    _p("neighbours.pakistan.client_restraint", 1.5, 0, 10, "pressure per unit engagement",
       informed("Byman (2005), Deadly Connections: a state that backed a movement is slow to coerce it; Pakistan "
              "hosted and backed the Taliban for decades and met the TTP's 2022 surge with talks brokered by Kabul "
              "(ceasefire June-November 2022) before closures (2023) and deportations (October 2023); weight "
              "assumed: at its 2021 engagement (about 0.37) Pakistan forgoes about 0.55 of pressure, more than a "
              "rung of the ladder, so that coercion comes as the relationship erodes"),
       "Pressure Pakistan forgoes per unit of its engagement with the regime (a patron's restraint toward its client)"),
    _p("neighbours.pakistan.war_cost", 0.5, 0, 5, "pressure per unit strike intensity",
       informed("Salehyan (2009), Rebels without Borders, and Byman (2005): interstate coercion over a rebel "
              "sanctuary is costly to the coercer (casualties, trade, a neighbour's retaliation, allies' "
              "pressure for calm: the October 2025 fighting ended in a ceasefire within days); size assumed: "
              "a year of open fighting costs Pakistan about one pressure unit, two rungs"),
       "Pressure Pakistan's strikes cost it per unit of their intensity, remembered over "
       "neighbours.pakistan.outrage_months (war weariness)"),
    _p("neighbours.pakistan.mediator_weight", 0.3, 0, 1, "share",
       informed("China brokers Pakistan's relations with the Taliban: the China-Afghanistan-Pakistan foreign "
              "ministers' dialogue (from 2017; Islamabad, May 2023; Beijing, 20-21 May 2025, after which Pakistan "
              "and Afghanistan announced they would upgrade their envoys to ambassadors, 30 May 2025) and the "
              "extension of CPEC to Afghanistan (Small 2015, The China-Pakistan Axis, on China's weight in "
              "Pakistan's foreign policy); weight assumed: China's reading of Kabul counts for about a third of "
              "Pakistan's"),
       "Share of the gap between China's engagement with the regime and Pakistan's own engagement target that "
       "China's mediation closes each month (Pakistan's target moves this far toward China's engagement)"),
    _p("neighbours.pakistan.border_closure_share", 0.5, 0, 1, "share of trade",
       informed("World Bank Afghanistan Economic Monitor 2023-2024: Torkham and Chaman closed for days to weeks at a "
              "time in 2023-2024; share of trade lost assumed"),
       "Share of Afghan trade through Pakistan lost while Pakistan closes the border (all of it in open fighting)"),
    _p("neighbours.pakistan.fighting_intensity", 2.0, 1, 10, "x strikes",
       assumption("open fighting (October 2025) hits the TTP twice as hard as occasional air strikes"),
       "Strikes' intensity in open fighting, relative to the air-strike rung"),
    _p("neighbours.deportation_rate", 0.03, 0, 0.5, "share of Afghans per month",
       informed("UNHCR and IOM: over 500,000 Afghans returned from Pakistan within six months of its October "
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
        ("tajikistan", (0.05, 0.1, 0.5, 0.5, 0.0, 0.0))) for spec in _neighbour(name, *values, RELUCTANCE[name])],
    # The Gulf states: no border, no IS-K attacks, no refugees to deport; their trade (much of it re-exports through
    # Dubai) is left in the neighbours' shares, which add up to 1;
    # Qatar hosts the Taliban's political office (Doha talks), the UAE runs Kabul's airports (2022).
    *[spec for name, values in (
        ("qatar", (0.0, 0.0, 0.5, 0.5, 0.0, 0.0)),
        ("uae", (0.0, 0.0, 0.5, 0.5, 0.0, 0.0))) for spec in _neighbour(name, *values, RELUCTANCE[name])],
    # ---------------------------------------------------------------- Taliban
    _p("taliban.initial_fighters", 85000, 10000, 500000, "fighters",
       source(f"{UN_MT}, 12th report (S/2021/486): 58,000-100,000 Taliban fighters"),
       "Taliban fighters at the takeover", kind=int),
    _p("taliban.ideological_share", 0.6, 0, 1, "share",
       assumption("twenty years of insurgency leave a committed core; Weinstein (2007) 'investors'"),
       "Share of Taliban fighters who joined for ideology rather than pay"),
    _p("taliban.home_concentration", 4.0, 0, 50, "x",
       assumption("each faction recruits and garrisons in its home region (Kandahar's south, the Haqqanis' "
                  "southeast, the northern Tajik and Uzbek Taliban); the seed documents do not say where fighters "
                  "stand, and the factor is assumed"),
       "How much more of a faction's fighters stand in its home region than population alone implies"),
    _lever("taliban.force_target", 85000,
           "The size of its forces the regime aims for (recruits fill the gap as pay and the pool allow)",
           source(f"{UN_MT}, 12th report (S/2021/486): 58,000-100,000 fighters; the defence ministry announced "
                  "an army of 80,000 (January 2022) and 150,000 (August 2022)"),
           high=400000, unit="fighters"),
    _p("taliban.recruit_rate", 0.01, 0, 0.2, "share of the willing pool per month",
       calibrated("the army the regime claimed in 2023, 180,000 +/- 40,000 (Taliban defence ministry; a fit target): "
                  "free in the baseline's calibration over 0.005 to 0.1 on a log scale; the default, about one in a "
                  "hundred willing young men a month (madrassas, village networks), is an assumption, under which the "
                  "scheduled army stays near 100,000 through 2023"),
       "Share of the willing recruit pool the regime can enlist a month, when it can pay"),
    _p("taliban.willing_share", 0.03, 0, 0.15, "share of fighting-age men",
       assumption("a few per cent of young men willing to serve the movement at any time. Not free in the "
                  "calibration: only its product with taliban.recruit_rate (and the gap to the force target) sets "
                  "the intake, so the calibration frees the rate alone (0.8.0's first run freed both, and its "
                  "members piled at one end of their ridge)"),
       "Share of fighting-age men willing to join the Taliban's forces at pre-takeover poverty"),
    _p("taliban.willing_poverty_elasticity", 1.0, 0, 5, "elasticity",
       informed("Weinstein (2007): 'consumers' join armed groups for pay; the poorer the country, the larger "
              "the pool (elasticity assumed)"),
       "Growth of the willing pool with poverty: pool x (poverty / pre-takeover poverty)^this"),
    _p("taliban.training_months", 6, 0, 24, "months",
       assumption("new recruits of the regime's army and police serve after a few months of training; the "
                  "defence ministry's announced expansion (80,000 in Jan 2022 to 150,000 in Aug 2022) took years "
                  "to fill. Losses show in the regime's strength until trained recruits replace them"),
       "Months between a recruit's enlistment and his service (recruits in training do not fight)", kind=int),
    _p("taliban.intelligence_initial", 0.3, 0, 1, "index 0-1",
       assumption("the Taliban's General Directorate of Intelligence inherited few files and informants in "
                  "2021 and built its reach over the next years", "ALI:128"),
       "The regime's intelligence capacity at the takeover (sets how well a crackdown finds IS-K)"),
    _p("taliban.intelligence_build_months", 24.0, 1, 240, "months",
       informed("Berman, Shapiro and Felter (2011): information, not force, drives counter-insurgency success; "
              "building informant networks takes years (time assumed)"),
       "Time constant of the growth of intelligence capacity while the budget is paid"),
    _p("taliban.redeployment_rate", 0.02, 0, 0.5, "share per month",
       direction("ALI:128", note="operations in Nangarhar, Khost, Paktika, Balkh, Herat and Ghazni"),
       "Share of Taliban fighters moved each month toward provinces with IS-K or the resistance"),
    *_faction("kandahar", "Kandahar leadership", 0.35, 2.0, 0.68, 0.0,
              (0.0, 0.05, 0.7, 0.0, 0.05), 0.40, "rival", 0.2, _FACTION_PROV),
    *_faction("kabul", "Kabul pragmatists", 0.20, 1.0, 0.42, -0.3,
              (0.6, 0.4, 0.7, 0.3, 0.4), 0.20, "rival", 0.1, _FACTION_PROV),
    *_faction("haqqani", "Haqqani network", 0.25, 1.5, 0.70, 0.5,
              (0.1, 0.1, 0.3, 0.0, 0.15), 0.30, "rival", 0.0, _FACTION_PROV),
    *_faction("northern", "Tajik and Uzbek Taliban", 0.20, 0.6, 0.55, 0.4,
              (0.2, 0.6, 0.6, 0.2, 0.2), 0.10, "resistance", 0.0, _FACTION_PROV),
    _p("factions.loyalty_months", 6.0, 1, 30, "months",
       assumption("factions' loyalty follows grievances over about half a year"),
       "Time constant of a faction's loyalty"),
    _p("factions.pay_loyalty_weight", 0.5, 0, 2, "loyalty per unit of arrears",
       direction("EER:13b", note="without enough financial power some branches of the Taliban may join ISKP"),
       "Loyalty lost per unit of pay arrears (the faction's unpaid share, remembered over arrears_months)"),
    _p("factions.arrears_months", 6.0, 1, 30, "months",
       assumption("fighters remember unpaid months for about half a year after pay resumes"),
       "Time constant of a faction's memory of unpaid pay"),
    _p("factions.patronage_bias", 0.5, 0, 2.5, "exponent",
       assumption("when the budget is short, the leadership pays the factions that hold the ministries first "
                  "(Weinstein 2007 on patronage and indiscipline); 1 means pay follows posts per fighter"),
       "How strongly a short budget is shared out by posts per fighter rather than evenly"),
    _p("factions.policy_weight", 0.4, 0, 3, "loyalty per unit grievance",
       assumption("ALI:148c and ALI:273 give the direction (divisions over girls' education and concessions); "
                  "integrated movements absorb policy disputes (Staniland 2014, Networks of Rebellion), and the "
                  "Taliban's public quarrel over girls' schools (2022-2023) cost no split and no defection (UN "
                  "Monitoring Team): the weight is small, 0 to 0.8 in the calibration's prior"
                  + WHOLE_RANGE_NOTE.format(r="0 to 0.8"), "ALI:148c", "ALI:273"),
       "Loyalty lost per unit of distance between the regime's policy and the faction's wishes (M13)"),
    _p("factions.losses_weight", 10.0, 0, 100, "loyalty per monthly loss rate",
       informed("Christia (2012), Alliance Formation in Civil Wars: factions weigh the relative power of their "
              "alliance; losing men signals a losing side (weight assumed: 1% of a faction lost a month "
              "costs 0.1 of loyalty)"),
       "Loyalty lost per share of the faction's fighters lost a month (defected or killed), remembered"),
    _p("factions.commander_weight", 0.03, 0, 1, "loyalty per commander killed",
       direction("ALI:130", note="most IS-K attacks target Taliban officials and soldiers; weight assumed"),
       "Loyalty lost per commander of the faction killed by IS-K (remembered over loyalty_months)"),
    _p("factions.commanders_per_attack", 0.15, 0, 1, "commanders per attack",
       direction("ALI:130", note="96 of 136 attacks targeted Taliban officials and soldiers; share of them "
             "killing a commander assumed"),
       "Expected number of Taliban commanders or officials killed per IS-K attack on the Taliban"),
    _p("factions.patronage_weight", 0.2, 0, 1, "loyalty per unit",
       assumption("a faction with fewer posts than fighters feels cheated (the Tajik Taliban's grievances, "
                  "ALI:172); at half its fair share it loses 0.1 of loyalty", "ALI:172"),
       "Loyalty lost per unit of shortfall of a faction's posts share below its share of fighters"),
    _p("factions.recognition_weight", 0.15, 0, 1, "loyalty per unit recognition",
       direction("ALI:263", note="aid and recognition are essential for the survival of the IEA 2.0"),
       "Loyalty gained at full international recognition (the regime's standing with its own factions)"),
    _p("factions.moderation_weight", 3, 0, 5, "weight",
       direction("ALI:148", "ALI:148c", note="the slightest compromise on doctrine splits the hard-liners; the "
             "Kandahar leadership against girls' education"),
       "Extra weight of moderation in the grievances of the Kandahar and Haqqani factions (M1, M13)"),
    _p("factions.allies_weight", 2.0, 0, 5, "weight",
       direction("ALI:231", "ALI:245", "ALI:259", note="Pashtunwali and a pro-TTP lobby"),
       "Extra weight of action against allies in the grievances of the Kandahar and Haqqani factions (M14)"),
    # ---------------------------------------------------------------- IS-K
    _p("isk.initial_fighters", 1500, 0, 20000, "fighters",
       claim("EER:6", note="Western estimates of 1,500-2,200 fighters; the lower bound before prison releases"),
       "IS-K fighters just before the takeover", kind=int),
    _p("isk.prisoners_released", 500, 0, 3000, "fighters",
       calibrated("IS-K 'well over 2,000 fighters' in October 2021 (ATI:27)", "EER:9", "ATI:27"),
       "IS-K members freed from prisons at the takeover (M16)", kind=int),
    _p("isk.ideological_share", 0.7, 0, 1, "share",
       direction("ATI:13", "ATI:15", note="former Taliban commanders, transnational jihadis, a 'pure' Salafi creed"),
       "Share of IS-K's initial fighters who are ideological rather than economic recruits"),
    _p("isk.foreign_share", 0.1, 0, 1, "share",
       direction("ATI:13", "ATI:23", note="IS-K now also includes many transnational jihadis"),
       "Share of IS-K's initial fighters who are foreign"),
    _p("isk.eastern_base_share", 0.6, 0, 1, "share",
       direction("EER:4", "ATI:27", note="Nangarhar and Kunar were the main bases"),
       "Share of IS-K fighters in Nangarhar and Kunar at the takeover"),
    _p("isk.pay", 150.0, 0, 2000, "USD per fighter per month",
       direction("EER:16", note="financial incentives attract villagers; amount assumed, above a Taliban foot "
             "soldier's irregular pay"),
       "What IS-K pays a fighter a month (its payroll is its main cost)"),
    _p("isk.outside_funding", 0.25, 0, 2, "USD million per month",
       calibrated("IS-K fighters 2021-2022 (UN Monitoring Team, 27th-30th reports); the UN reports transfers "
                  "from ISIL's core through its al-Siddiq office", "EER:30"),
       "Money IS-K receives a month from the Islamic State's core and donors abroad before its operations raise it"),
    _p("isk.extortion", 10.0, 0, 25, "USD per fighter per month",
       assumption("IS-K cells tax and extort where the Taliban's hold is weak; a fighter in uncontested "
                  "ground raises a fraction of his pay"),
       "Money one IS-K fighter raises a month by extortion and taxation where the Taliban have no control"),
    _p("isk.wage_poverty_elasticity", 1.0, 0, 5, "elasticity",
       direction("EER:16", "TRT:57", note="the poorer Afghans become, the cheaper and easier they are to recruit; "
             "elasticity assumed"),
       "IS-K's wage per fighter x (pre-takeover poverty / poverty)^this: poverty stretches its money (M6)"),
    _p("isk.supply_elasticity", 2.0, 0, 10, "elasticity",
       assumption("an armed group that hires deeper into the pool of willing men must pay more for each (the "
                  "rising supply price of any employer that is large in its labour market); Weinstein (2007) and "
                  "Blattman and Miguel (2010) on fighters who join for pay. At 2 (with isk.outside_funding 0.15) IS-K's "
                  "10-year size answers to its money with an elasticity of about one half (x0.5 / x2 funding: "
                  "about -25% / +85% at the baseline), not one; the crackdown's short-run effect (claim M10) holds "
                  "through recruitment.network_disruption"),
       "The wage IS-K must pay x (fighters / (willing pool x isk.pool_months)) ^ this: its supply price"),
    _p("isk.recruit_cost_months", 3.0, 0, 24, "months of a wage",
       assumption("arming, training and moving a recruit or defector costs IS-K about a quarter's pay (camps, "
                  "weapons, travel; Shapiro 2013 on the costs of running a covert group): the fighters the "
                  "Taliban's violence kills cost IS-K their replacements, so attrition shrinks it even while its "
                  "money binds"),
       "What each new recruit or defector costs IS-K once, in months of its wage"),
    _p("isk.pool_months", 48.0, 1, 240, "months",
       assumption("the men IS-K's networks can reach at its base wage are about two years of its recruits at "
                  "full acceptance (young men come of age, grievances renew); together with isk.supply_elasticity "
                  "it sets the supply price, not IS-K's size alone"),
       "Months of willing recruits that make up the pool IS-K hires from (its networks' reach, poverty and "
       "alienation set the monthly flow)"),
    _p("isk.ideological_pay_share", 0.3, 0, 1, "share of pay",
       informed("Weinstein (2007): committed 'investors' serve for little material reward; share assumed"),
       "What an ideological IS-K fighter costs relative to an economic one (subsistence, family support)"),
    _p("isk.budget_elasticity", 3.0, 0, 20, "elasticity",
       informed("Shapiro (2013): a budget-constrained group stops hiring once it cannot pay; steepness assumed"),
       "How sharply IS-K's intake falls once its payroll outgrows what it can spend (intake x affordability^this)"),
    _p("isk.reserve_months", 6.0, 0.5, 60, "months of payroll",
       informed("Shapiro (2013), The Terrorist's Dilemma: terrorist groups are budget-constrained firms that "
              "hire only what they can pay; buffer assumed"),
       "Months over which IS-K spreads its cash when deciding how many new fighters it can afford"),
    _p("isk.initial_cash_months", 6.0, 0, 30, "months of payroll",
       assumption("IS-K entered the takeover with funds for about half a year"),
       "IS-K's cash at the takeover, in months of its payroll"),
    _p("isk.unpaid_desertion_weight", 3.0, 0, 10, "utility per unit unpaid",
       informed("Weinstein (2007): recruits who joined for pay leave when it stops"),
       "Extra utility of leaving IS-K for a needy fighter when IS-K cannot pay"),
    _p("isk.fighters_per_leader", 40.0, 10, 200, "fighters",
       assumption("one commander, planner or facilitator for a few dozen fighters in a cell structure", "EER:7"),
       "IS-K fighters one leader or planner can direct (sets the leaders needed for full operations)"),
    _p("isk.leader_exposure", 8.0, 0, 50, "leaders traced per operation per leader",
       calibrated("IS-K attacks: 152 from 19 August to 31 December 2021, 140-200 in 2022 (UN Secretary-General, "
                  "January 2022; ALI:79, ALI:132), as the Taliban killed hundreds of militants and their "
                  "commanders (ALI:128); and the 2023 fall to about a quarter (fit targets of the history matching, "
                  "free there)", "ALI:128"),
       "How much each operation at home exposes IS-K's leaders and planners to the regime's informants: a "
       "leader's monthly risk = 1 - exp(-this x home operations per leader x crackdown x selectivity)"),
    _p("isk.selectivity_exponent", 3.0, 0.5, 5, "exponent",
       informed("Kalyvas (2006), The Logic of Violence in Civil War; Berman, Shapiro and Felter (2011): selective "
              "violence needs information, so finding leaders (not foot soldiers) rises steeply with the "
              "regime's intelligence; exponent assumed"),
       "Selectivity of the crackdown = intelligence ^ this (it multiplies the risk to IS-K's leaders)"),
    _p("isk.reactive_pursuit", 0.2, 0, 0.5, "share of a full campaign's pursuit",
       assumption("the ruling armed force hits back at those who attack its own men, campaign or not (violence "
                  "between armed rivals is jointly produced, and the side that holds the ground has the "
                  "informants: Kalyvas 2006; Berman, Shapiro and Felter 2011); the Taliban fought IS-K in "
                  "Nangarhar, Kunar and Jowzjan from 2015, before they had a state's campaign, and hunted the "
                  "planner of the Kabul attacks (ALI:128). The value is assumed: the ordinary forces' response "
                  "to the attacks on them, without the dedicated units, raids and surveillance of Salafi "
                  "networks a campaign adds, is taken as a fifth of a full campaign, below the documented "
                  "campaign of 2021 (crackdown 0.5, 'stern military action' from the start), which bounds "
                  "the range", "ALI:128"),
       "How hard the regime pursues those behind IS-K's attacks on its fighters without a campaign, as a share "
       "of a full campaign's pursuit of IS-K's leaders, fighters and networks (a floor under the crackdown lever "
       "for those attacks)"),
    _p("isk.leader_replacement_months", 12.0, 1, 120, "months",
       informed("Jordan (2009, 2014): decapitation disrupts operations until replacements are groomed; "
              "older, larger groups recover (time assumed)"),
       "Time constant of IS-K promoting and training new leaders to the number its fighters need"),
    _p("isk.relative_pay", 1.0, 0, 5, "x a paid Taliban fighter",
       direction("EER:16", "EER:13c", note="IS-K can offer more attractive financial incentives"),
       "IS-K's pay relative to what a fully funded Taliban pays"),
    _p("isk.cell_dispersal", 0.03, 0, 0.5, "share per month",
       direction("EER:7", "EER:20", note="decentralisation into cells throughout the country"),
       "Share of IS-K fighters moving to a neighbouring province each month (M19)"),
    _p("isk.reach_scale", 100.0, 20, 500, "fighters",
       assumption("a local cell of about a hundred fighters gives IS-K half its full recruiting reach"),
       "IS-K fighters in a province at which its local recruiting reach is half of full"),
    _p("isk.presence_threshold", 20.0, 5, 100, "fighters",
       assumption("a few cells of fighters make a presence; the UN counts 'strongholds or sanctuaries' "
                  "(ALI:162)", "ALI:162"),
       "IS-K fighters that count as a presence in a province"),
    _p("isk.hold_months", 6, 1, 60, "months",
       direction("TRT:29", note="IS-K has not shown the capability to durably hold territory"),
       "Months IS-K must hold a province (control below isk.hold_control) to count as holding it durably",
       kind=int),
    _p("isk.hold_control", 0.2, 0, 1, "control 0-1",
       assumption("IS-K holds a province when the Taliban keep less than a fifth of the local balance of force "
                  "(with conflict.insurgent_weight 5: IS-K's weighted strength over four times theirs)"),
       "Taliban local control below which IS-K, if it is the strongest rival there, holds the province"),
    _p("isk.foreign_fighter_inflow", 8.0, 0, 50, "fighters per month",
       direction("ATI:23", "EER:25", note="foreign fighters relocating to Afghanistan; value assumed"),
       "Foreign fighters joining IS-K each month when it can pay them (M18)"),
    _p("isk.abroad_share", 0.05, 0, 0.9, "share of operations",
       direction("ALI:146b", "TRT:41", note="mass-casualty attacks in Iran, Pakistan, Uzbekistan, Tajikistan, Russia; "
             "share assumed; at most 0.9: a group with all its effort abroad has no operations at home to share out"),
       "Share of IS-K's effort put into operations abroad (its external network) when operating at home costs it "
       "nothing (M12)"),
    _p("isk.pressure_shift", 8.0, 0, 100, "per unit home cost",
       assumption("a group squeezed at home exports its violence (Shapiro 2013: it moves its operations where "
                  "they cost it least; the shift of IS-K's attacks abroad from 2023, reported by the UN); a logit "
                  "choice, factor assumed", "ALI:146b"),
       "The abroad weight is multiplied by exp(this x the cost of operating at home: the share of its leaders "
       "lost a month, remembered over isk.memory_months)"),
    _p("isk.external_operations", 0.3, 0, 10, "operations abroad per month",
       informed("Shapiro (2013), The Terrorist's Dilemma: external operations need a scarce, specialised network "
              "(planners, facilitators, documents, money transfers) that is slow to build and exposed; IS-K's "
              "external operations before its shift abroad were a few a year (rockets at Uzbekistan and Tajikistan, "
              "April-May 2022; attacks in Pakistan such as Bajaur, July 2023; UN Monitoring Team reports 2022-2023); "
              "size assumed: about 3-4 a year before foreign counter-terrorism's losses", "ALI:146b", "TRT:41"),
       "Operations abroad a month IS-K's external network can sustain when home costs it nothing and the core pays "
       "its base transfers (before the losses to counter-terrorism)"),
    _p("isk.network_months", 24.0, 1, 240, "months",
       assumption("recruiting planners and facilitators, forging documents and opening money channels takes "
                  "IS-K years (Shapiro 2013; the Kerman and Moscow attacks of 2024 were prepared for months by "
                  "networks built since 2022: UN Monitoring Team 34th report); about two years"),
       "Time constant of IS-K's external network: how slowly it builds toward what its investment and money "
       "sustain (and cells age out)"),
    _p("isk.foreign_ct_rate", 0.02, 0, 0.5, "share per month",
       assumption("foreign counter-terrorism (arrests of IS-K facilitators and cells in Turkey, Central Asia, "
                  "Iran and Europe, 2023-2024: UN Monitoring Team 33rd-34th reports; the plots foiled in Germany "
                  "and the Netherlands, July 2023) dismantles about a fiftieth of the network a month"),
       "Share of IS-K's external network that foreign counter-terrorism dismantles a month"),
    _p("isk.network_home_share", 0.1, 0, 1, "share",
       assumption("most of IS-K's external planners and facilitators work outside Afghanistan (the Moscow and "
                  "Kerman attackers were recruited and moved through Central Asia, Turkey and Iran: UN Monitoring "
                  "Team 34th report, 2024), so a tenth of its leaders' losses at home falls on the network"),
       "Share of the external network exposed to the regime's selective violence: this x the share of IS-K's "
       "leaders killed is lost from it a month"),
    _p("isk.memory_months", 6.0, 1, 60, "months",
       assumption("IS-K's leadership judges where to operate on the losses of the last half year"),
       "Time constant of IS-K's memory of its leaders' losses at home and of its operations abroad"),
    _p("isk.external_reward", 0.05, 0, 5, "x per operation a month",
       informed("UN Monitoring Team reports (2023-2024): ISIL's core sends money to the branches that show results "
              "through its al-Siddiq and al-Karrar offices, and IS-K's external operations (Kerman, Moscow) raised "
              "its standing and funding; size assumed", "EER:30"),
       "Rise of the transfers from the Islamic State's core per remembered operation abroad or spectacular "
       "attack a month (propaganda value)"),
    _p("isk.rival_shift", 1.0, 0, 10, "x per unit engagement",
       direction("TRT:37", "ALI:146", note="IS-K targets the powers that engage the Taliban (Russia's and "
             "Pakistan's embassies, a Chinese hotel)"),
       "Growth of IS-K's targeting of a foreign power per unit of that power's engagement with the regime"),
    _p("isk.spoiler_timing", 3.0, 0, 20, "x per unit rise",
       informed("Kydd and Walter (2002), 'Sabotaging the Peace': spoilers strike when a deal is near"),
       "Rise of IS-K's attacks on civilians and foreigners per unit rise of recognition over the window"),
    _p("isk.spoiler_window_months", 6, 1, 36, "months",
       assumption("spoilers react to a diplomatic opening within about half a year"),
       "Months over which a rise of the regime's recognition counts as a moment of engagement", kind=int),
    # ---------------------------------------------------------------- allied groups and resistance
    _p("allies.ttp_initial_fighters", 2500, 0, 50000, "fighters",
       source(f"{UN_MT}, 28th report (S/2021/655, July 2021): TTP 2,500-6,000 armed fighters in Afghanistan "
              "before the takeover; the lower end, since with the 2,300 freed prisoners the 29th report "
              "(S/2022/83, February 2022) counts 3,000-5,000 after the releases. Fixed: only the count after the "
              "releases, this plus the freed prisoners who fight again (allies.ttp_released_share), shows in the "
              "record, so the calibration frees the share alone (0.8.0's first run freed both, and its members "
              "piled at one end of their ridge)"),
       "TTP fighters in Afghanistan before prison releases", kind=int),
    _p("allies.ttp_prisoners_released", 2300, 0, 20000, "fighters",
       claim("ALI:213", note="more than 2,300 TTP prisoners released from Afghan jails"),
       "TTP prisoners freed at the takeover (M15)", kind=int),
    _p("allies.ttp_released_share", 1.0, 0, 1, "share",
       assumption("the seed says the releases 'significantly augmented the military strength' of the TTP "
                  "(ALI:213), not how many of the 2,300 took up arms again in Afghanistan rather than going home "
                  "to Pakistan or leaving the fight; all of them by default, free in the calibration over its "
                  "logical range, none to all: with all of them joining, the UN's 3,000-5,000 after the releases "
                  "(29th report) put the count before them at 700-2,700, below the 28th report's 2,500-6,000"),
       "Share of the freed TTP prisoners who joined its fighters in Afghanistan (M15)"),
    _p("allies.aq_initial_fighters", 400, 0, 10000, "fighters",
       source(f"{UN_MT}, 32nd report (S/2023/370): Al-Qaeda about 400 fighters"),
       "Al-Qaeda fighters in Afghanistan", kind=int),
    _p("allies.central_asian_initial_fighters", 1000, 0, 20000, "fighters",
       source(f"{UN_MT} reports 2022-23: ETIM/TIP several hundred and IMU/Jamaat Ansarullah a few hundred"),
       "Central Asian militants (ETIM/TIP, IMU) in Afghanistan", kind=int),
    _p("allies.ttp_recruits", 150.0, 0, 500, "fighters per month",
       calibrated("TTP 3,000-5,000 fighters in Afghanistan after the prison releases (UN Monitoring Team, 29th "
                  "report, S/2022/83) growing to 6,000-6,500 in 2023 (15th report of the 1988 Committee's team, "
                  "S/2024/499), against routine attrition and Pakistan's operations: from 4,800 in August 2021, "
                  "150 a month brings it to about 6,400 in 2023 (100 to 5,700); free in the calibration; allowed "
                  "up to 500 a month, 6,000 a year (its whole documented strength recruited every year): above it "
                  "the TTP grows to tens of thousands of fighters (175,000 in a world sampled at 3,550), which no "
                  "source reports", "ALI:194", "ALI:213"),
       "Recruits the TTP's networks bring a month under full sanctuary, at full reach (M15)"),
    _p("allies.ttp_network_scale", 2000.0, 10, 100000, "fighters",
       informed("Staniland (2014), Networks of Rebellion: recruitment runs through members' social networks, which "
              "overlap as a group grows; half-reach size assumed"),
       "TTP fighters at which its networks reach half the willing recruits (recruits x S / (S + this))"),
    _p("allies.ttp_backlash", 0.5, 0, 5, "x per unit strike intensity",
       informed("Condra and Shapiro (2012, AJPS 56(1)): civilian casualties caused by a side raise violence "
              "against it; size assumed"),
       "Rise of TTP recruitment per unit intensity of Pakistan's strikes on Afghan soil"),
    _p("allies.ttp_border_share", 0.4, 0, 1, "share",
       assumption("a share of the TTP's recruits, money and supplies cross from Pakistan's tribal districts"),
       "Share of TTP recruitment a closed Pakistani border stops"),
    _p("allies.grievance_scale", 0.02, 0.001, 1, "share of the group lost",
       direction("ALI:243", "ALI:273", note="allies may turn their guns on the regime if it acts against them"),
       "Remembered share of a group's fighters killed or arrested by the regime at which its hostility is 63%"),
    _p("allies.grievance_months", 24.0, 1, 240, "months",
       informed("Byman (2005), Deadly Connections: militants remember a host's betrayal; memory assumed"),
       "Time constant of an allied group's memory of what the regime did to it"),
    _p("resistance.initial_fighters", 2500, 0, 20000, "fighters",
       assumption("estimates of the NRF's armed strength range from about 2,000 to a few thousand "
                  "after the fall of Panjshir", "ALI:81"),
       "Armed resistance (NRF and former officials) at the takeover", kind=int),
    _p("resistance.recruit_rate", 0.00004, 0, 0.001, "per fighting-age man per month",
       direction("EER:18", "ALI:83", note="a non-inclusive government leads to civil war; rate assumed"),
       "Monthly recruitment to the resistance per fighting-age man of the non-Pashtun provinces at full exclusion (M17)"),
    _p("violence.resistance_attrition", 0.02, 0, 0.2, "share per month",
       informed(f"{UN_MT}, 33rd-35th reports (2023-2024): the NRF and the Afghanistan Freedom Front keep a few "
              "thousand fighters in hit-and-run attacks while the Taliban's operations in Panjshir, Andarab and "
              "Baghlan kill and detain; rate assumed so that recruitment and attrition balance at a few thousand"),
       "Share of the resistance's fighters the regime's operations kill or capture a month, at full strength and "
       "obedience"),
    _p("resistance.capacity", 4000.0, 1000, 150000, "fighters",
       source(f"{UN_MT}, 33rd-35th reports (2023-2024) and history.md: the NRF and the Afghanistan Freedom Front "
              "keep a few thousand fighters at most, leaders abroad, no state documented as arming them"),
       "The most fighters the resistance can field without a sponsor (resistance.sponsored_capacity adds to it)"),
    # ---------------------------------------------------------------- fighters' choices
    _p("fighters.defection_base", -8.8, -12, -6, "utility",
       calibrated(CALIBRATION_TARGETS),
       "Utility of defecting to IS-K for a Taliban fighter with no grievance (logit; 0 = staying)"),
    _p("fighters.hardline_weight", 3.0, 0, 10, "utility per hardness x grievance",
       direction("ALI:148", "ALI:273", note="hard-line fighters abandon the group if it compromises"),
       "How strongly ideological grievance pushes hard-line fighters toward IS-K (M1, M3, M4)"),
    _p("fighters.moderation_grievance", 1.0, 0, 5, "grievance per unit",
       direction("ALI:148", "ALI:160", note="compromise on doctrinal purity; weight assumed" + WHOLE_RANGE_NOTE.format(r="0.5 to 2")),
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
       direction("ALI:259", note="action against the TTP will displease the Taliban's foot soldiers"),
       "Grievance of Taliban fighters from policy.action_against_allies (M3, M14)"),
    _p("fighters.cooperation_grievance", 1.0, 0, 5, "grievance per unit",
       direction("ATI:47", "ALI:243b", note="collaboration with the US would make more fighters defect"),
       "Grievance from policy.foreign_cooperation (M4)"),
    _p("fighters.narrative_weight", 0.5, 0, 5, "grievance per unit",
       direction("TRT:37", "ALI:126", note="engaging China, Iran and Russia feeds the 'insufficiently Islamic' narrative"),
       "Grievance from the regime's engagement with China, Iran and Russia (M11)"),
    _p("fighters.economic_weight", 3.0, 0, 10, "utility per need x pull",
       direction("EER:13c", "EER:15", note="dwindling Taliban economic power boosts ISKP's economic appeal"),
       "How strongly a needy fighter follows IS-K's better pay (M6)"),
    _p("fighters.poverty_pull_weight", 2.0, 0, 10, "utility per need x excess poverty",
       informed("Blattman and Miguel (2010, JEL 48(1)), Civil War: low incomes lower the opportunity cost of "
              "fighting for whoever pays; Weinstein (2007) 'consumers'. Weight assumed: at a poverty a third "
              "above its pre-takeover level, a needy fighter's pull is two thirds of the pull of a pay gap"),
       "How strongly a needy fighter, as his household grows poorer, sells himself to IS-K or goes home "
       "(x (poverty / pre-takeover poverty - 1))"),
    _p("fighters.disloyalty_weight", 2.0, 0, 10, "utility",
       direction("ALI:148", "ALI:174", note="factional rifts open the way to IS-K"),
       "Extra utility of defection when the fighter's faction is disloyal (M13)"),
    _p("fighters.reach_weight", 1.0, 0, 5, "utility",
       direction("ATI:41", note="IS-K actively seeks recruits within the Taliban rank and file"),
       "Extra utility of defection where IS-K has a strong local presence"),
    _p("fighters.allied_defection_base", -7.5, -11, -5, "utility",
       calibrated(CALIBRATION_TARGETS),
       "Utility of defecting to IS-K for a TTP, Al-Qaeda or Central Asian fighter with no grievance"),
    _p("fighters.allied_action_weight", 4.0, 0, 10, "utility per unit",
       direction("ALI:174b", "ALI:257", note="acting against TTP, IMU, ETIM lets IS-K engineer defections"),
       "How strongly action against their group pushes allied fighters toward IS-K (M3)"),
    _p("fighters.allied_cooperation_weight", 1.5, 0, 10, "utility per unit",
       direction("ALI:243b", note="militants from other groups also joining the IS-K"),
       "How strongly the regime's foreign cooperation pushes allied fighters toward IS-K (M4)"),
    _p("fighters.transnational_pull", 1.0, 0, 5, "utility",
       direction("ATI:25", "ATI:39", "EER:19", note="Uzbeks, Tajiks, Uighurs see no point following the Taliban"),
       "Extra pull of IS-K's caliphate project on Central Asian militants (M18)"),
    _p("fighters.resistance_defection_base", -11.0, -15, -7, "utility",
       assumption("Tajik and Uzbek Taliban in tension with the leadership (ALI:172) rarely switch to the "
                  "resistance; a few a month at the baseline", "ALI:172"),
       "Utility of a Tajik or Uzbek Taliban fighter defecting to the armed resistance, before exclusion"),
    _p("fighters.exclusion_weight", 3.0, 0, 10, "utility per unit exclusion",
       direction("EER:18", "ALI:83", note="refusing an inclusive government could lead to civil war"),
       "How strongly exclusion (1 - policy.inclusion) pushes Tajik and Uzbek Taliban to the resistance (M17)"),
    _p("fighters.desertion_base", -6.5, -10, -4, "utility",
       assumption("about one fighter in 700 goes home each month when paid; armies in peacetime lose a few "
                  "per cent a year"),
       "Utility of deserting (going home) for a fighter with no economic need"),
    _p("fighters.desertion_pay_weight", 3.0, 0, 10, "utility per need x shortfall",
       informed("Weinstein (2007), Inside Rebellion: 'consumers' recruited with pay leave when pay stops"),
       "How strongly an unpaid, needy fighter goes home"),
    _p("fighters.isk_desertion_base", -6.0, -8, -4, "utility",
       assumption("IS-K fighters rarely leave, but some surrender under pressure"),
       "Utility of an IS-K fighter leaving the group"),
    _p("fighters.surrender_weight", 1.5, 0, 10, "utility per unit crackdown",
       assumption("IS-K fighters of little commitment give up under a sustained crackdown (Weinstein 2007's "
                  "'consumers'); the seed documents report IS-K militants killed in the crackdown (ALI:128), not "
                  "surrenders, so direction and size are both assumed"),
       "Extra utility of an IS-K fighter giving up under crackdown (soft-line fighters)"),
    _p("fighters.demobilisation_weight", 2.5, 0, 10, "utility per unit inclusion",
       direction("ALI:275", note="an inclusive national government brings stability"),
       "Extra utility of a resistance fighter laying down arms under an inclusive government (M17)"),
    _p("fighters.trait_concentration", 10.0, 2, 50, "Beta a+b",
       assumption("fighters of one kind differ, but most lie within about 0.15 of their kind's mean"),
       "Concentration of the Beta distributions of fighters' hardness and need (larger = less spread)"),
    _p("fighters.ideological_hardness", 0.75, 0, 1, "index 0-1",
       informed("Weinstein (2007): committed 'investors'; Beta distribution with concentration 10 (assumed)"),
       "Mean hardness of an ideological recruit"),
    _p("fighters.economic_hardness", 0.3, 0, 1, "index 0-1",
       informed("Weinstein (2007): 'consumers' join for material reward; concentration 10 (assumed)"),
       "Mean hardness of an economic recruit"),
    _p("fighters.ideological_need", 0.35, 0, 1, "index 0-1",
       assumption("committed recruits are poorer than average but not driven by need"),
       "Mean economic need of an ideological recruit"),
    _p("fighters.economic_need", 0.75, 0, 1, "index 0-1",
       direction("EER:16", note="villagers and disadvantaged people attracted by financial incentives"),
       "Mean economic need of an economic recruit"),
    # ---------------------------------------------------------------- recruitment from the population
    _p("recruitment.economic_rate", 0.0002, 0, 0.0007, "per fighting-age man per month",
       calibrated(CALIBRATION_TARGETS, "TRT:57b", "EER:16"),
       "IS-K economic recruits per fighting-age man a month, at full poverty pull, reach and room (M6)"),
    _p("recruitment.poverty_elasticity", 2.0, 0, 6, "elasticity",
       direction("TRT:57b", "EER:15", "EER:16", note="the poorer Afghans become, the more IS-K recruits; a convex "
                 "rise graded over the documented range, elasticity assumed. Against it: Berman, Callen, Felter and "
                 "Shapiro (2011, JCR 55(4)) found no positive link (fewer attacks on government forces where "
                 "unemployment was higher), hence the range down to 0"),
       "Economic recruitment x (provincial poverty / pre-takeover poverty)^this (M6)"),
    _p("recruitment.ideological_rate", 0.0025, 0, 0.0075, "per Salafist man per month",
       calibrated(CALIBRATION_TARGETS, "TRT:35"),
       "IS-K ideological recruits per alienated Salafist man of fighting age a month (M10)"),
    _p("recruitment.alienation_rate", 0.05, 0, 1, "per month",
       direction("TRT:35", note="Salafist alienation increased because of the campaign to crush IS-K"),
       "Growth of Salafist alienation per month at full crackdown where IS-K is present (M10)"),
    _p("recruitment.expulsion_alienation", 0.5, 0, 5, "x alienation_rate",
       direction("EER:13", "EER:22", note="expelling extremist forces is in ISKP's favour"),
       "Alienation from action against allied groups, relative to the crackdown's (M10)"),
    _p("recruitment.repression_backlash", 0.5, 0, 3, "x",
       informed("Kalyvas (2006), The Logic of Violence in Civil War: indiscriminate violence drives the communities "
              "it hits to the insurgents; Lyall (2009, JCR 53(3)) found the counter-case (indiscriminate shelling "
              "in Chechnya reduced attacks), hence the range down to 0. Value assumed, at the upper end of what "
              "leaves the documented short-run effect (the 2021-22 crackdown cut IS-K's strength, ALI:128; "
              "claim M10) intact; documented: summary killings in Nangarhar 2021-22 (UN Monitoring Team)",
              "TRT:35", "ALI:128"),
       "IS-K recruitment grows by this x crackdown x (1 - intelligence): the indiscriminate share of repression "
       "alienates the communities it hits (selective repression needs intelligence)"),
    _p("recruitment.network_disruption", 0.4, 0, 3, "x pressure",
       informed("Staniland (2014) and Shapiro (2013): an underground group recruits through networks that "
              "selective, intelligence-led repression breaks (recruiters, facilitators, safe houses); the "
              "UN Monitoring Team (2023) reports IS-K's recruitment in Afghanistan hampered by the GDI's raids. "
              "Value assumed so that the documented short-run effect of the crackdown (ALI:128; claim M10) "
              "holds under IS-K's rising supply price (isk.supply_elasticity)", "ALI:128"),
       "IS-K's recruitment shrinks by this x the crackdown's bite (crackdown x intelligence x force), down "
       "to none"),
    _p("recruitment.alienation_decay", 0.03, 0.005, 0.15, "per month",
       assumption("grievances fade over a few years without new repression"),
       "Monthly decay of Salafist alienation"),
    _p("recruitment.initial_alienation", 0.2, 0, 1, "index 0-1",
       assumption("Salafists were already repressed by the Taliban insurgency before 2021"),
       "Salafist alienation at the takeover"),
    _p("recruitment.propaganda_cooperation", 1.0, 0, 5, "x",
       direction("ALI:243b", "EER:21", note="cooperation with foreigners plays into IS-K propaganda"),
       "Boost to ideological recruitment per unit of foreign cooperation (M4, M11)"),
    _p("recruitment.propaganda_engagement", 0.5, 0, 5, "x",
       direction("TRT:37", "EER:25b", note="relations with China, Iran, Russia feed the narrative"),
       "Boost to ideological recruitment per unit of engagement with China, Iran and Russia (M11)"),
    _p("recruitment.propaganda_moderation", 1.0, 0, 5, "x",
       direction("ATI:17", note="the Taliban as apostates for abandoning jihad"),
       "Boost to ideological recruitment per unit of moderation (M1)"),
    _p("recruitment.civil_war_vacuum", 1.5, 0, 10, "x",
       direction("EER:18", note="ISKP will benefit from the power vacuum"),
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
       direction("ATI:9", "ALI:146b", note="mass-casualty attacks; share assumed"),
       "Share of IS-K attacks on civilians and foreigners that are mass-casualty ('spectacular') attacks"),
    _p("violence.spectacular_shock", 0.05, 0, 1, "engagement",
       direction("ATI:11", note="spectacular attacks undermine the Taliban's claim to provide security"),
       "Western donors' engagement lost per spectacular attack, remembered over donors.record_months"),
    _p("violence.taliban_target_share", 0.72, 0, 1, "share",
       claim("ALI:132", "ALI:130", note="more than 72% of 2022 attacks targeted Taliban fighters"),
       "Share of IS-K attacks in Afghanistan that hit Taliban targets"),
    _p("violence.foreign_target_share", 0.04, 0, 1, "share",
       direction("ALI:146", note="attacks on the Russian and Pakistani embassies and a Chinese hotel"),
       "Share of IS-K attacks in Afghanistan that hit foreign targets (embassies, foreigners)"),
    _p("violence.spoiler_effect", 0.5, 0, 5, "x",
       informed("Kydd and Walter (2006), 'The Strategies of Terrorism'; Bloom (2004): spoiling attacks "
              "rise when moderation or a deal is on the table"),
       "Rise of IS-K attacks per unit of moderation and foreign cooperation"),
    _p("violence.ttp_attack_rate", 3.6, 0, 10, "attacks per 1,000 fighters per month",
       calibrated("militant attacks in Pakistan, every group: 207 (2021, about 86 from August), 262 (2022), 306 "
                  "(2023) (PIPS Pakistan Security Reports), which the model counts as the TTP's, IS-K's in Pakistan "
                  "and the nationalist insurgents' (violence.unmodelled_attacks_pakistan), with the TTP growing from "
                  "about 4,800 to 6,400 fighters; 250 attacks between Aug 2021 and Aug 2022 (ALI:211b); free in the "
                  "calibration", "ALI:211b"),
       "TTP attacks in Pakistan per 1,000 TTP fighters a month, under full sanctuary"),
    _p("violence.unmodelled_attacks_pakistan", 6.75, 0, 100, "attacks per month",
       source("PIPS, Pakistan Security Reports 2021 and 2022 (January 2022 and 2023): of 207 terrorist attacks in "
              "2021, 128 were by the TTP, local Taliban, IS-K and other religiously inspired groups, and of 262 in "
              "2022, 179; the rest, 79 and 83, were mostly by Baloch and Sindhi nationalist insurgents (the BLA 38 "
              "and 46). Their mean, 81 a year, is held for every later year: the model has no nationalist "
              "insurgency to move it"),
       "Militant attacks a month in Pakistan by groups the model leaves out (nationalist insurgents); they count "
       "in militant_attacks_pakistan, as in PIPS's totals, and move nothing in the model"),
    _p("violence.sanctuary_effect", 0.7, 0, 1, "share",
       direction("ALI:194", "ALI:209", note="sanctuary lets the TTP crank up cross-border attacks"),
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
       direction("EER:7", "ALI:162", note="decentralised cells survive continuous military operations"),
       "Crackdown lethality is divided by (1 + this x share of provinces with IS-K) (M19)"),
    _p("violence.allies_kill_rate", 0.03, 0, 0.15, "share per month",
       assumption("action against an allied group kills or arrests a few per cent of it a month"),
       "Share of allied fighters killed or arrested a month at full action against them"),
    _p("violence.pakistan_strike_rate", 0.003, 0, 0.015, "share per month",
       assumption("Pakistani operations and strikes kill a few TTP fighters in a hundred a year"),
       "Share of TTP fighters killed a month by Pakistan's routine operations"),
    _p("violence.ttp_escalation", 0.5, 0, 5, "x",
       direction("ALI:211", note="TTP attacks rose as relations soured; retaliation factor assumed"),
       "Rise of TTP attacks in Pakistan while Pakistan is hostile (strikes and retaliation)"),
    _p("violence.base_attrition", 0.001, 0.0002, 0.01, "share per month",
       assumption("accidents, disease and other conflicts kill about one fighter in a thousand a month"),
       "Background monthly death rate of fighters"),
    _p("violence.civil_war_lethality", 0.02, 0, 0.1, "share per month",
       assumption("a full civil war kills a few per cent of the resistance and a smaller share of the "
                  "Taliban each month"),
       "Share of resistance fighters killed a month at full civil war"),
    _p("violence.hostile_allies_lethality", 0.02, 0, 0.5, "kills per hostile fighter per month",
       direction("ALI:243", note="allies turning their guns against the regime; rate assumed"),
       "Taliban fighters killed a month per fighter of a hostile allied group"),
    # ---------------------------------------------------------------- civil war
    _p("conflict.civil_war_ratio", 0.12, 0.03, 0.6, "resistance per Taliban fighter",
       assumption("a resistance an eighth of the regime's strength fights a civil war, as in the 1990s"),
       "Armed opposition per Taliban fighter at which civil war intensity is one half (M17)"),
    _p("conflict.civil_war_width", 0.03, 0.01, 0.15, "resistance per Taliban fighter",
       assumption("the slide into civil war is fast once the resistance can hold ground"),
       "Width of the logistic rise of civil war intensity"),
    _p("conflict.hostile_allies_weight", 0.5, 0, 1, "resistance fighters per hostile allied fighter",
       assumption("the allied groups are guests without a territorial base among Afghans (the TTP's fight is in "
                  "Pakistan): turned hostile, they strike in the regime's rear (violence.hostile_allies_lethality) "
                  "and their fighters go over to IS-K (M3) more than they hold ground as a front; counted as half a "
                  "resistance fighter each (counted in full, killing or arresting 0.6% of them a month, a fifth of "
                  "full action against them, brings a civil war that ends the regime within a year: a cliff at the "
                  "lever's first step)", "ALI:243"),
       "Weight of an allied fighter turned hostile in the armed opposition that makes a civil war (M3, M17)"),
    _p("conflict.insurgent_weight", 5.0, 1, 25, "garrison fighters per insurgent",
       assumption("one clandestine fighter contests as much ground as several garrison soldiers"),
       "Weight of an IS-K, resistance or renegade fighter against a Taliban fighter in local control"),
    _p("conflict.ct_diversion", 0.6, 0, 1, "share",
       direction("EER:18", note="a civil war opens a power vacuum that IS-K exploits"),
       "Share of the crackdown on IS-K diverted at full civil war (M17)"),
    # ---------------------------------------------------------------- shocks
    _p("shocks.documented", "on", None, None, "choice",
       source("sim/model/data/shocks.csv: the 2021-2023 drought (UN OCHA, FAO), the Paktika (June 2022), Herat "
              "(October 2023) and Kunar (August 2025) earthquakes (UN OCHA), the killing of Khalil Haqqani by IS-K "
              "(December 2024; UN Monitoring Team)"),
       "Whether the documented shocks happen on their dates (on | off)", kind=str, choices=("on", "off")),
    _p("shocks.forecast_from", 2026, 2021, 2100, "year",
       assumption("the record of shocks runs to 2025; from the year after, shocks come at random"),
       "Year from whose January shocks happen at random (before it, only the documented ones)", kind=int),
    _p("shocks.drought_per_year", 0.25, 0, 1, "per year",
       source("FAO and UN OCHA: severe droughts in 2000-01, 2008, 2011, 2018 and 2021-23, about one year in four"),
       "Chance a year that a drought begins (from shocks.forecast_from)"),
    _p("shocks.drought_months", 12, 1, 48, "months",
       informed("FAO: Afghan droughts last one to three rainy seasons; one year assumed for a random drought"),
       "Length of a random drought", kind=int),
    _p("shocks.drought_poverty", 0.04, 0, 0.3, "share of population",
       informed("World Bank Afghanistan Welfare Monitoring Survey (2023) and FAO: the 2021-2023 drought cut the "
              "wheat harvest and deepened rural poverty; size assumed (a few points of poverty)"),
       "Poverty added while a drought lasts"),
    _p("shocks.drought_gdp", 0.01, 0, 0.2, "share of GDP",
       calibrated("real GDP growth 2021-2022 (targets gdp_growth_2021/2022): the World Bank's GDP path "
                  "already holds the 2021-2023 drought, in which wheat output fell by about a fifth (agriculture "
                  "is about a quarter of GDP); a larger drag misses 2022"),
       "GDP lost while a drought lasts"),
    _p("shocks.earthquakes_per_year", 0.5, 0, 3, "per year",
       informed("UN OCHA: damaging earthquakes in June 2022 (Paktika), October 2023 (Herat) and August 2025 (Kunar): "
              "three in four years; half a year's chance assumed for a destructive one"),
       "Chance a year of a destructive earthquake (from shocks.forecast_from)"),
    _p("shocks.earthquake_affected", 300000, 0, 5e6, "people",
       source("UN OCHA: 362,000 (Paktika 2022), 275,000 (Herat 2023), about 500,000 (Kunar 2025) people affected"),
       "Median number of people an earthquake puts in need (a random one draws around it)"),
    _p("shocks.recovery_months", 12, 1, 60, "months",
       assumption("the people an earthquake affects need aid for about a year, as in Herat 2023-24"),
       "Time constant over which people affected by a disaster leave humanitarian need"),
    _p("shocks.assassinations_per_year", 1.0, 0, 12, "per year at full capacity",
       source("UN Monitoring Team reports: IS-K killed the governor of Balkh (March 2023), the deputy governor of "
              "Badakhshan (June 2023) and the minister of refugees (December 2024): about one senior figure a "
              "year at its 2022-2024 capacity"),
       "Senior leaders IS-K kills a year at full operational capacity (from shocks.forecast_from)"),
    _p("shocks.leader_weight", 5.0, 0, 50, "commanders",
       assumption("a senior leader killed weighs on his faction as much as five of its commanders killed"),
       "How many commanders killed a senior leader's death counts for in his faction's loyalty"),
    # ---------------------------------------------------------------- regime survival
    _p("survival.commanders", 120, 10, 2000, "commanders",
       assumption("the regime's armed power is led by some hundred-odd commanders of consequence (provincial "
                  "governors, corps and police chiefs, front commanders); the number sets how fine-grained the "
                  "cascade is, not its direction"),
       "Commanders whose obedience the regime's armed power rests on (a fixed number, whatever the scale)",
       kind=int),
    _p("survival.threshold_mean", 1.3, 0.2, 2, "doubt",
       assumption("a commander goes when his doubts reach about three times what the regime's condition gave "
                  "in 2022, when none went (no split, no large defection: UN Monitoring Team); Granovetter "
                  "(1978) thresholds" + WHOLE_RANGE_NOTE.format(r="1.1 to 1.5")),
       "Mean of the commanders' thresholds: the doubt at which a commander stops obeying"),
    _p("survival.threshold_spread", 0.25, 0.01, 1, "doubt",
       informed("Granovetter (1978), Threshold models of collective behavior; Kuran (1991): the spread of "
              "thresholds decides whether a few departures cascade; value assumed"),
       "Standard deviation of the commanders' thresholds (heterogeneity)"),
    _p("survival.private_noise", 0.1, 0, 1, "doubt",
       assumption("each commander reads the regime's prospects with his own errors and news, month to month"),
       "Standard deviation of a commander's private reading of the regime's condition each month"),
    _p("survival.bandwagon", 0.5, 0, 3, "doubt at all gone",
       informed("Christia (2012), Alliance Formation in Civil Wars: commanders side with the likely winner; "
              "Kuran (1991): each departure lowers the cost of the next; weight assumed"),
       "Doubt a commander adds when every other commander (half his faction's, half all) has stopped obeying"),
    _p("survival.defection_margin", 0.4, 0, 2, "doubt",
       assumption("going over with one's men is a bigger step than standing aside; it takes doubts well above "
                  "the threshold"),
       "How far above his threshold a commander's doubt must go before he goes over with his men"),
    _p("survival.doubt_memory_months", 2.0, 1, 60, "months",
       assumption("the cause of a fall is what drove the departures of the year before it"),
       "Time constant over which departures are attributed to the conditions behind them"),
    _p("survival.onset_share", 0.8, 0.3, 1, "share of commanders",
       assumption("a cascade has begun once a fifth of the commanders no longer obey; what drove the doubts "
                  "before that is its cause, what came after (civil war, lost ground) its consequence"),
       "Share of commanders still obeying above which departures are attributed to their causes"),
    _p("survival.split_weight", 1.5, 0, 5, "doubt per share broken away",
       direction("ALI:259", "ATI:45", note="serious intra-Taliban rifts; ripped apart from within; weight assumed"),
       "Doubt per share of the Taliban's initial fighters in factions (or with commanders) that broke away"),
    _p("survival.loyalty_weight", 1.0, 0, 5, "doubt per unit disloyalty",
       direction("ALI:83", "ATI:45", note="the regime can be ripped apart from within; weight assumed"),
       "Doubt per unit of the commander's faction's disloyalty (1 - loyalty)"),
    _p("survival.civil_war_weight", 1.5, 0, 5, "doubt per unit civil war",
       direction("ALI:83", "EER:18", note="breakdown of the regime into civil war; weight assumed"),
       "Doubt per unit of civil war intensity"),
    _p("survival.pay_weight", 1.5, 0, 5, "doubt per unit arrears",
       direction("ATI:55", note="economic collapse and pariah status brought down the 1996-2001 regime; Najibullah's "
             "army dissolved within months once Soviet money stopped in 1992 (Rubin 1995, The Fragmentation of "
             "Afghanistan); weight assumed" + WHOLE_RANGE_NOTE.format(r="0.75 to 3")),
       "Doubt per unit of the commander's faction's pay arrears (its unpaid share of wages, remembered)"),
    _p("survival.tolerated_arrears", 0.2, 0, 1, "share of wages",
       assumption("fighters who served twenty years as insurgents on irregular pay do not doubt the regime over "
                  "a fifth of their wages unpaid, as in the takeover's cash crisis of late 2021 (no split, no "
                  "mass desertion: UN Monitoring Team); beyond it, arrears weigh"),
       "Pay arrears a faction's commanders tolerate before their doubts grow"),
    _p("survival.territory_weight", 2.0, 0, 5, "doubt per share of the population",
       direction("TRT:29", "ALI:115", note="IS-K seizing territory would deny the Taliban's claim to rule; weight "
             "assumed"),
       "Doubt per share of the population living where the regime no longer holds the balance of force"),
    _p("survival.held_control", 0.25, 0.05, 0.95, "control 0-1",
       assumption("the regime holds a province, or the capital, while it has the larger part of the local "
                  "balance of force"),
       "Local control below which a province (or the capital) counts as lost to the regime"),
    _p("survival.command_share", 0.5, 0.05, 0.95, "share of armed power",
       assumption("a regime stands while the forces that obey it are the larger part of the armed power in the "
                  "country"),
       "Share of the country's armed power that the regime's obeying forces must lead for it to stand"),
    # ---------------------------------------------------------------- going over: power, pay and sponsors
    _p("survival.power_weight", 1.0, 0, 5, "utility per log power share",
       assumption("a commander who goes over joins the side he expects to win: alliances follow relative power "
                  "(Christia 2012, Alliance Formation in Civil Wars); weight assumed"),
       "How strongly a commander going over prefers the side with the larger share of armed power"),
    _p("survival.pay_pull", 2.0, 0, 10, "utility per unit pay",
       assumption("a side that can pay and supply a commander's men draws him (Weinstein 2007; a rebellion "
                  "lives on its sponsors' money and sanctuary: Salehyan 2009); weight assumed"),
       "How strongly a commander going over prefers the side that can pay his men"),
    _p("survival.network_weight", 1.0, 0, 5, "utility",
       assumption("an organisation fragments along its networks (Staniland 2014): the Tajik and Uzbek Taliban "
                  "toward the north's armed groups (ALI:172), Pashtun fronts into rivalries of their own; "
                  "weight assumed", "ALI:172"),
       "Pull of the destination a faction's own networks lead to (factions.<key>.breaks_to)"),
    _p("survival.creed_gap", 3.0, 0, 10, "utility per unit softness",
       assumption("IS-K declares the Taliban apostates and fights them (ATI:13, ATI:15): for a commander, going over "
                  "to it means abandoning his movement's creed, a larger step the softer his faction's men; size "
                  "assumed", "ATI:13", "ATI:15"),
       "How much a commander's going over to IS-K costs him per unit of his faction's softness (1 - mean hardness)"),
    _p("survival.rival_rents", 0.3, 0, 1, "x the regime's pay",
       assumption("a commander in open rivalry lives off his district's rents (customs, tolls, mines, "
                  "narcotics): less than the regime paid, more than nothing"),
       "What a commander in a rivalry of his own can pay his men, relative to full pay from the regime"),
    _p("survival.defection_weight", 5.0, 0, 20, "doubt per share lost a year",
       assumption("ALI:148 gives the direction (hard-liners leave for IS-K when the regime compromises): a "
                  "commander whose own men leave doubts the regime; 10% of a faction gone in a year adds 0.5 "
                  "doubt, about a third of a typical threshold (size assumed)" + WHOLE_RANGE_NOTE.format(r="0 to 10"),
                  "ALI:148"),
       "Doubt per share of the commander's faction lost to defection over the past year (remembered)"),
    _p("resistance.sponsored_capacity", 30000.0, 0, 150000, "fighters",
       source("Rashid (2000), Taliban, and Rubin (2002), The Fragmentation of Afghanistan: the Northern "
              "Alliance fielded a few tens of thousands with Iranian, Russian, Indian and Central Asian money, "
              "arms and sanctuary"),
       "Fighters the resistance can add at full sponsorship (resistance.capacity without a sponsor)"),
    _p("resistance.sponsored_pay", 1.0, 0, 3, "x the regime's pay",
       assumption("a fully sponsored resistance pays its fighters as well as the regime does (Weinstein 2007: "
                  "outside resources buy recruits); without a sponsor it pays nothing"),
       "What the resistance can pay a commander's men at full sponsorship, relative to full pay from the regime"),
    _p("neighbours.hostile_sponsorship", 0.5, 0, 1, "share of full backing",
       assumption("a state hostile to the regime backs the groups it is tied to (Salehyan 2009, Rebels without "
                  "Borders; in 1996-2001 Iran, Russia, India, Tajikistan and Uzbekistan armed the Northern "
                  "Alliance); no state has been documented as arming the resistance since 2021 (UN Monitoring "
                  "Team), and none was hostile; size assumed"),
       "How much a hostile state with full ties backs the armed resistance (its ties x this; 0 if not hostile)"),
    *[_p(f"neighbours.{key}.resistance_ties", ties, 0, 1, "index 0-1",
         assumption("the states that backed the Northern Alliance before 2001 (Rashid 2000; Rubin 2002): "
                    "Tajikistan, which hosts the resistance's leaders since 2021, fully; Iran and Russia half; "
                    "Uzbekistan a little (Dostum); the others none; values assumed"),
         f"{STATE_NAMES.get(key, key.capitalize())}: its ties to the armed resistance (what it gives when hostile)")
      for key, ties in RESISTANCE_TIES.items()],
    *[_state(f"external.{key}_sponsorship",
             f"{STATE_NAMES.get(key, key.capitalize())}'s backing of the armed resistance (money, arms, sanctuary), "
             "0-1, set instead of decided; 'free': it backs it only while hostile "
             "(neighbours.<state>.resistance_ties x neighbours.hostile_sponsorship)",
             assumption("a counterfactual lever: which states sponsor the resistance is their decision"),
             stance=False, unit="share of full backing") for key in STATE_KEYS],
    # ---------------------------------------------------------------- each lever's price
    _p("factions.preference_spread", 0.2, 0, 0.5, "index 0-1",
       assumption("the factions' preferred policies are an ordinal reading of the documents (ALI:148, ALI:158, "
                  "ALI:231), not measured: each run draws each preference uniformly within +-this of that "
                  "reading (clipped to 0-1), so no answer rests on one assumed vector", "ALI:148", "ALI:158"),
       "Half-width of the uniform draw of each faction's preferred level of each lever, per run"),
    _p("factions.inclusion_posts", 0.5, 0, 1, "share of posts",
       assumption("M13 and Roessler (2016), Ethnic Politics and State Power in Africa: sharing power takes "
                  "posts and rents from the core and raises the risk of a coup from within; at full inclusion "
                  "outsiders hold half the core factions' posts (size assumed)"),
       "Share of the core factions' posts and revenue (Kandahar, Kabul, Haqqani) that full inclusion hands "
       "to outsiders"),
    _p("allies.action_phase_in_months", 12.0, 1, 60, "months",
       assumption("M14: the hospitality norm and the Haqqani lobby make action against guests slow; the regime "
                  "moved TTP families away from the border over months in 2023 rather than act at once (UN "
                  "Monitoring Team); time assumed", "ALI:231", "ALI:259"),
       "Time constant over which action against the allied groups reaches the level the policy sets"),
    _p("recruitment.poverty_weight", 1.0, 0, 2, "x",
       assumption("the documents assert that poverty feeds IS-K (M6, TRT:57, EER:13) but the literature finds "
                  "the link between poverty and insurgent violence weak or reversed (Berman, Callen, Felter and "
                  "Shapiro 2011, JCR 55(4)) and material recruits elsewhere (Weinstein 2007): 0 is the null, 1 "
                  "the documents' channels at their defaults, 2 twice as strong" + WHOLE_RANGE_NOTE.format(r="0 to 1.5"),
                  "TRT:57", "EER:13"),
       "Weight of poverty in IS-K's numbers: scales its three poverty channels (recruits' pull, fighters' "
       "pull, cheaper wages)"),
    _p("economy.marginal_force_cost", 0.2, 0.05, 1, "x the average",
       source("an extra fighter costs his pay and keep (about USD 140 a month in pay, Zan Times 2023, and about as "
              "much in food and kit), about a fifth of the security budget per fighter (USD 1.1-1.3 billion for "
              "85,000 men): the army grew to a claimed 150,000-180,000 (2022-2023) while the budget stayed near "
              "USD 2.6 billion (World Bank, Afghanistan Economic Monitor); value rounded; free in the baseline's "
              "calibration over 0.1 to 0.5 (the domestic revenue targets and a budget that paid the army's growth)"),
       "Cost of a fighter beyond the takeover's forces, relative to the security budget's average per fighter"),
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

    def state_path(self, key: str, months: int) -> np.ndarray:
        """An actor state in each month as a number (a stance's rank in STANCES), NaN where the actor decides."""
        spec, value = SPEC_BY_NAME[key], self.values[key]
        if isinstance(value, Schedule):
            return value.path(months, code=spec.code)
        return np.full(months, spec.code(value))

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
