"""The outcomes the model reports each month, in real-world units (one row per replicate and month).

The model's data collector, the output writer and the analyses all read this one list:
:data:`OUTCOMES` (name -> definition), with each column's unit from :func:`unit` (the
:data:`UNITS` given here, or read off the definition), and :func:`codebook` (name, unit,
definition, kind) for the codebook written with every run.

A run ends at the regime's fall (:meth:`sim.model.model.RegimeModel.run`): a replicate whose
regime falls has rows up to and including the month of the fall, and none after it (what
follows a fall is outside the model). A sweep's run-level statistics (:data:`RUN_STATISTICS`,
e.g. ``isk_fighters_final``) are therefore taken over the months a run lasted: for a fallen
run, ``_final`` is the value in the month of the fall, not at the end of the horizon.
"""

from sim.model.params import STATE_KEYS, STATE_NAMES

# The monthly outcomes, in real-world units (one row per replicate and month it ran).
OUTCOMES = {
    "replicate": "replicate number (its seed is in manifest.json)",
    "month": "months since August 2021",
    "date": "YYYY-MM",
    "regime_survives": "1 while the regime holds, 0 in the month it falls (a fallen run's last row)",
    "taliban_fighters": "Taliban fighters, all four factions",
    "isk_fighters": "IS-K fighters",
    "ttp_fighters": "TTP fighters in Afghanistan",
    "al_qaeda_fighters": "Al-Qaeda fighters",
    "central_asian_fighters": "ETIM/TIP and IMU fighters",
    "resistance_fighters": "armed resistance (NRF, former officials)",
    "resistance_sponsorship": "the neighbours' backing of the armed resistance (money, arms, sanctuary), 0-1",
    "renegade_fighters": "fighters of broken-away Taliban factions in open rivalry with the regime",
    "kandahar_fighters": "fighters of the Kandahar leadership",
    "kabul_fighters": "fighters of the Kabul pragmatists",
    "haqqani_fighters": "fighters of the Haqqani network",
    "northern_fighters": "Tajik and Uzbek Taliban fighters",
    "kandahar_loyalty": "loyalty of the Kandahar leadership to the regime, 0-1",
    "kabul_loyalty": "loyalty of the Kabul pragmatists, 0-1",
    "haqqani_loyalty": "loyalty of the Haqqani network, 0-1",
    "northern_loyalty": "loyalty of the Tajik and Uzbek Taliban, 0-1",
    "faction_splits": "Taliban factions that broke away this month",
    "split_fighters_to_isk": "fighters of breaking factions who went to IS-K this month",
    "commanders_killed": "Taliban commanders and officials killed by IS-K this month",
    "commanders_to_isk": "Taliban commanders who went over to IS-K with their men this month",
    "commanders_to_resistance": "Taliban commanders who went over to the armed resistance with their men this month",
    "commanders_to_rival": "Taliban commanders who went into an armed rivalry of their own this month",
    "deported": "Afghans deported by neighbours this month (by a hostile neighbour's choice or a scheduled campaign)",
    "deported_from_pakistan": "Afghans deported by Pakistan this month (its deportation rung or a scheduled campaign)",
    "border_closures": "neighbours that closed their border (turned hostile) this month",
    "formal_recognitions": "states that recognised the regime formally this month",
    "taliban_recruits": "new Taliban recruits this month",
    "defections_to_isk": "fighters who defected to IS-K this month, from any group",
    "defections_taliban_to_isk": "Taliban fighters who defected to IS-K this month",
    "defections_allies_to_isk": "TTP, Al-Qaeda and Central Asian fighters who defected to IS-K this month",
    "defections_to_resistance": "Tajik and Uzbek Taliban who defected to the armed resistance this month",
    "desertions": "fighters of any group who went home this month",
    "killed": "fighters of any group killed this month",
    "isk_recruits": "new IS-K recruits from the population and abroad this month",
    "isk_attacks": "IS-K attacks inside Afghanistan this month",
    "isk_attacks_on_taliban": "of which on Taliban targets",
    "isk_attacks_on_civilians": "of which on civilians and minorities",
    "isk_attacks_on_foreign_targets": "of which on foreign targets inside Afghanistan",
    "isk_attacks_abroad": "IS-K attacks across the borders this month",
    "spectacular_attacks": "mass-casualty IS-K attacks on civilians and foreigners this month",
    "isk_leaders_killed": "IS-K leaders and planners killed this month",
    "isk_leaders": "IS-K leaders and planners",
    "isk_operational_capacity": "IS-K's leaders against those its fighters need, 0-1",
    "isk_cash": "IS-K's cash, USD million",
    "isk_unpaid": "share of IS-K's payroll it could not pay, 0-1",
    "ttp_attacks_pakistan": "TTP attacks in Pakistan this month",
    "militant_attacks_pakistan": "militant attacks in Pakistan this month, every group as PIPS counts them (the TTP's, "
                                 "IS-K's in Pakistan, and the nationalist insurgents' the model leaves out)",
    "ttp_recruitment": "recruits the TTP's networks bring a month (expected; sanctuary, reach, Pakistan's actions)",
    "ttp_hostility": "the TTP's hostility to the regime, 0-1 (what the regime did to it, remembered)",
    "al_qaeda_hostility": "Al-Qaeda's hostility to the regime, 0-1",
    "central_asian_hostility": "ETIM/TIP's and IMU's hostility to the regime, 0-1",
    "pakistan_pressure": "Pakistan's pressure to act against the TTP's sanctuary (1 = violence at its tolerated level)",
    "pakistan_escalation": "Pakistan's rung: 0 none, 1 demands, 2 border closure, 3 air strikes, 4 deportations, "
                           "5 open fighting",
    "pakistan_open_border": "share of the trade through Pakistan that flows, 0-1",
    "isk_transfers": "money IS-K receives from the Islamic State's core, USD million a month",
    "isk_income": "IS-K's income (transfers and extortion), USD million a month",
    "isk_home_cost": "share of IS-K's leaders lost a month at home, remembered (what operating at home costs it)",
    "isk_external_network": "IS-K's external network: the operations abroad a month it can mount (planners, "
                            "facilitators, documents, money)",
    "isk_provinces": "provinces with an IS-K presence",
    "isk_held_provinces": "provinces IS-K has held (Taliban control below isk.hold_control) for isk.hold_months",
    "taliban_control": "the Taliban's local control, population-weighted, 0-1",
    "intelligence": "the regime's intelligence capacity, 0-1",
    "taliban_in_training": "the regime's recruits still in training (not yet serving)",
    "repression_backlash": "IS-K recruitment added by the indiscriminate share of the crackdown, x (0 = none)",
    "broken_share": "fighters of factions that broke away, as a share of the Taliban's initial fighters",
    "commanders_aside": "share of the regime's commanders standing aside (their men do not fight for it), 0-1",
    "commanders_gone": "share of the regime's commanders who went over with their men, 0-1",
    "commanded_share": "the forces that obey the regime over all the armed power in the country, 0-1",
    "ground_lost": "share of the population where the regime's local control is below survival.held_control",
    "gdp_index": "GDP relative to before the takeover (1.0)",
    "poverty_rate": "share of the population in poverty",
    "people_in_need": "people in humanitarian need",
    "returnees": "recent returnees deported from neighbouring states (reintegrating)",
    "drought": "1 while a drought lasts, else 0",
    "disaster_affected": "people affected by earthquakes still in need",
    "shocks": "shocks that began this month (droughts, earthquakes, senior leaders killed by IS-K)",
    "fiscal_coverage": "the regime's revenue over its budget need",
    "domestic_revenue": "the regime's domestic revenue (customs, taxes, fees), at an annual rate",
    "aid": "development plus humanitarian aid, USD billion a year",
    "development_aid": "development aid, USD billion a year",
    "humanitarian_aid_usd": "humanitarian aid, USD billion a year",
    "recognition": "recognition index, 0-1 (Western and regional engagement)",
    "western_engagement": "Western donors' engagement (credible record less insecurity), 0-1",
    "donor_credibility": "the regime's credibility with Western donors, 0-1 (reversals cost it)",
    "regional_engagement": "mean engagement of the eight regional states (six neighbours, Qatar, the UAE), 0-1",
    "regional_standing": "the regional states' diplomatic steps, 0 (all hostile) to 1 (all recognise)",
    "regime_cohesion": "strength-weighted loyalty of the Taliban factions, 0-1",
    "civil_war": "civil war intensity, 0-1",
    "salafist_alienation": "population-weighted Salafist alienation, 0-1",
    **{f"{k}_engagement": f"{STATE_NAMES.get(k, k.capitalize())}'s engagement, 0-1" for k in STATE_KEYS},
    **{f"{k}_status": f"{STATE_NAMES.get(k, k.capitalize())}'s status: 0 hostile, 1 wary, 2 engaged, "
                      "3 ambassador accepted, 4 recognised" for k in STATE_KEYS},
    "moderation": "policy lever this month",
    "inclusion": "policy lever this month",
    "crackdown_isk": "policy lever this month",
    "action_against_allies": "policy lever this month",
    "foreign_cooperation": "policy lever this month",
    "sanctions": "Western sanctions in force (after any relief donors granted), 0-1",
    "assets_released": "share of the frozen reserves released",
    "humanitarian_aid": "humanitarian aid lever (x the documented level)",
    "force_target": "the force size the regime aims for, fighters",
}

# Units that cannot be read off the definition (see :func:`unit` for the rules that read the others).
UNITS = {
    "replicate": "number", "month": "months since August 2021", "date": "year-month (YYYY-MM)",
    "regime_survives": "1 standing / 0 fallen",
    "faction_splits": "factions per month", "border_closures": "states per month",
    "formal_recognitions": "states per month", "deported": "people per month",
    "deported_from_pakistan": "people per month",
    "commanders_killed": "people per month", "isk_leaders_killed": "leaders per month",
    "commanders_to_isk": "commanders per month", "commanders_to_resistance": "commanders per month",
    "commanders_to_rival": "commanders per month", "resistance_sponsorship": "share of full backing, 0-1",
    "domestic_revenue": "USD billion per year",
    "isk_leaders": "leaders", "isk_cash": "USD million", "isk_provinces": "provinces",
    "isk_held_provinces": "provinces", "gdp_index": "index (before the takeover = 1)",
    "people_in_need": "people", "returnees": "people", "fiscal_coverage": "ratio (revenue / budget need)",
    "broken_share": "share of the initial Taliban fighters", "poverty_rate": "share of the population, 0-1",
    "assets_released": "share, 0-1", "humanitarian_aid": "multiple of the documented level",
    "force_target": "fighters", "isk_unpaid": "share, 0-1",
    **{f"{k}_status": "step, 0 (hostile) to 4 (recognised)" for k in STATE_KEYS},
    "ttp_recruitment": "fighters per month (expected)", "pakistan_pressure": "index (1 = tolerated violence)",
    "pakistan_escalation": "rung, 0 (none) to 5 (open fighting)", "isk_transfers": "USD million per month",
    "isk_income": "USD million per month", "isk_home_cost": "share of leaders per month, remembered",
    "isk_external_network": "operations per month",
    "taliban_in_training": "fighters", "repression_backlash": "multiple added to IS-K recruitment (0 = none)",
    "ground_lost": "share of the population, 0-1", "drought": "1 during a drought / 0",
    "disaster_affected": "people",
}
UNKNOWN = "see the definition"
_RATES = (("attacks", "attacks per month"), ("fighters", "fighters per month"), ("defections", "fighters per month"),
          ("desertions", "fighters per month"), ("killed", "fighters per month"), ("recruits", "fighters per month"))


def unit(name: str) -> str:
    """The unit of an outcome column: given in :data:`UNITS`, or read off its definition."""
    if name in UNITS:
        return UNITS[name]
    text = OUTCOMES[name]
    if text == "policy lever this month" or "0-1" in text or "0 (all hostile) to 1" in text:
        return "0-1"
    if "this month" in text or text.startswith("of which"):
        return next((u for word, u in _RATES if word in name), "count per month")
    if "USD billion a year" in text:
        return "USD billion a year"
    if name.endswith("_fighters"):
        return "fighters"
    return UNKNOWN  # tests/interfaces/test_citable.py asks for a unit in UNITS


# Monthly flows (counts per month), summarised over a run by their monthly mean; the other
# outcomes are stocks (levels, shares, indices, levers), summarised by their value at the end of the run.
FLOWS = frozenset(n for n in OUTCOMES if unit(n).endswith("per month"))


# How a sweep summarises each kept time series per run (its runs table: ``<outcome>_<statistic>``).
RUN_STATISTICS = {
    "final": "in the run's last month: the horizon's last month if the regime stood, the month it fell if not",
    "mean": "monthly mean over the months the run lasted (up to the fall if the regime fell)",
    "max": "largest monthly value over the months the run lasted (up to the fall if the regime fell)",
}


def run_statistic(column: str) -> dict[str, str] | None:
    """The codebook row of a run-level statistic such as ``isk_fighters_final`` (None if it is not one)."""
    name, _, statistic = column.rpartition("_")
    if name not in OUTCOMES or statistic not in RUN_STATISTICS:
        return None
    return {"name": column, "unit": unit(name), "definition": f"{OUTCOMES[name]}: {RUN_STATISTICS[statistic]}",
            "kind": "run statistic (one per run)"}


def codebook() -> list[dict[str, str]]:
    """Every output column: name, unit, definition and kind (stock, flow, or what identifies the row)."""
    kinds = {"replicate": "identifier", "month": "identifier", "date": "identifier"}
    return [{"name": n, "unit": unit(n), "definition": d,
             "kind": kinds.get(n, "flow (per month)" if n in FLOWS else "stock (level in the month)")}
            for n, d in OUTCOMES.items()]
