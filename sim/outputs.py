"""What a run writes: the monthly table, a summary, a manifest of what produced them."""

from __future__ import annotations

import json
import os
import platform
import sys
from datetime import datetime, timezone
from importlib.metadata import version
from pathlib import Path

import pandas as pd

from . import __version__, calibration
from .mechanisms.survival import CAUSES
from .params import NEIGHBOUR_KEYS

# The monthly outcomes, in real-world units (one row per replicate and month).
OUTCOMES = {
    "replicate": "replicate number (its seed is in manifest.json)",
    "month": "months since August 2021",
    "date": "YYYY-MM",
    "regime_survives": "1 while the regime holds, 0 from the month it falls",
    "taliban_fighters": "Taliban fighters, all four factions",
    "isk_fighters": "IS-K fighters",
    "ttp_fighters": "TTP fighters in Afghanistan",
    "al_qaeda_fighters": "Al-Qaeda fighters",
    "central_asian_fighters": "ETIM/TIP and IMU fighters",
    "resistance_fighters": "armed resistance (NRF, former officials)",
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
    "deported": "Afghans deported by hostile neighbours this month",
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
    "isk_provinces": "provinces with an IS-K presence",
    "isk_held_provinces": "provinces IS-K has held (Taliban control below isk.hold_control) for isk.hold_months",
    "taliban_control": "the Taliban's local control, population-weighted, 0-1",
    "intelligence": "the regime's intelligence capacity, 0-1",
    "broken_share": "fighters of factions that broke away, as a share of the Taliban's initial fighters",
    "gdp_index": "GDP relative to before the takeover (1.0)",
    "poverty_rate": "share of the population in poverty",
    "people_in_need": "people in humanitarian need",
    "returnees": "recent returnees deported from neighbouring states (reintegrating)",
    "fiscal_coverage": "the regime's revenue over its budget need",
    "aid": "development plus humanitarian aid, USD billion a year",
    "development_aid": "development aid, USD billion a year",
    "humanitarian_aid_usd": "humanitarian aid, USD billion a year",
    "recognition": "recognition index, 0-1 (Western and regional engagement)",
    "western_engagement": "Western donors' engagement (credible record less insecurity), 0-1",
    "donor_credibility": "the regime's credibility with Western donors, 0-1 (reversals cost it)",
    "regional_engagement": "mean engagement of the six neighbouring states, 0-1",
    "regional_standing": "the neighbours' diplomatic steps, 0 (all hostile) to 1 (all recognise)",
    "regime_cohesion": "strength-weighted loyalty of the Taliban factions, 0-1",
    "civil_war": "civil war intensity, 0-1",
    "salafist_alienation": "population-weighted Salafist alienation, 0-1",
    "pakistan_engagement": "Pakistan's engagement, 0-1",
    "iran_engagement": "Iran's engagement, 0-1",
    "china_engagement": "China's engagement, 0-1",
    "russia_engagement": "Russia's engagement, 0-1",
    "uzbekistan_engagement": "Uzbekistan's engagement, 0-1",
    "tajikistan_engagement": "Tajikistan's engagement, 0-1",
    **{f"{k}_status": f"{k.capitalize()}'s status: 0 hostile, 1 wary, 2 engaged, 3 ambassador accepted, 4 recognised"
       for k in NEIGHBOUR_KEYS},
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
# Monthly flows (counts "this month"), summarised over a run by their monthly mean; the
# other outcomes are stocks, summarised by their value at the end of the run.
FLOWS = frozenset(k for k, v in OUTCOMES.items() if v.endswith("this month"))


def headline(outcome: str) -> tuple[str, str]:
    """How a sweep summarises an outcome per run: ('mean', ...) for flows, ('final', ...) for stocks."""
    return ("mean", "monthly mean over the run") if outcome in FLOWS else ("final", "at the end of the run")


# Rare events, counted per run in summary.json (how often each happened across replicates).
EVENTS = ("faction_splits", "isk_leaders_killed", "spectacular_attacks", "border_closures", "formal_recognitions",
          "commanders_killed")
SUMMARY_COLUMNS = ("taliban_fighters", "isk_fighters", "ttp_fighters", "resistance_fighters", "isk_attacks",
                   "isk_provinces", "gdp_index", "poverty_rate", "people_in_need", "aid", "recognition",
                   "regime_cohesion", "civil_war")


def summarise(table: pd.DataFrame, endings: list[dict]) -> dict:
    """Survival probability, time and cause of failure, final values with their spread."""
    n = len(endings)
    falls = [e for e in endings if e["fell"]]
    final = table[table["month"] == table["month"].max()]
    spread = {}
    for column in SUMMARY_COLUMNS:
        values = final[column]
        spread[column] = {"median": float(values.median()), "p10": float(values.quantile(0.1)),
                          "p90": float(values.quantile(0.9)), "mean": float(values.mean()),
                          "sd": float(values.std(ddof=1)) if n > 1 else 0.0}
    fall_months = pd.Series([e["fall_month"] for e in falls], dtype=float)
    return {
        "replicates": n,
        "months": int(table["month"].max()) + 1,
        "final_date": str(final["date"].iloc[0]),
        "survival_probability": 1.0 - len(falls) / n,
        "survival_probability_3_years": float(table.loc[table["month"] == min(35, table["month"].max()),
                                                        "regime_survives"].mean()),
        "failures": {
            "count": len(falls),
            "by_cause": {cause: sum(e["fall_cause"] == cause for e in falls) for cause in CAUSES},
            "median_fall_month": None if fall_months.empty else float(fall_months.median()),
            "fall_months": [int(m) for m in fall_months],
        },
        "final": spread,
        "events": events(table),
        "calibration": calibration.evaluate(table),
    }


def events(table: pd.DataFrame) -> dict:
    """Per rare event: mean count per replicate and the share of replicates in which it happened."""
    counts = table.groupby("replicate")[list(EVENTS)].sum()
    return {name: {"mean_per_replicate": float(counts[name].mean()),
                   "share_of_replicates": float((counts[name] > 0).mean()),
                   "description": OUTCOMES[name]} for name in EVENTS}


def manifest(scenario, params, root_seed: int, seeds, months: int, scale: float, replicates: int) -> dict:
    """Everything needed to reproduce a run (a sweep's manifest adds to it)."""
    values = params.as_jsonable()
    return {
        "package": "regime-sim",
        "version": __version__,
        "created": now(),
        "command": command_line(),
        "scenario": {"name": scenario.name, "path": str(scenario.path), "extends_chain": list(scenario.chain),
                     "settings": scenario.settings},
        "run": {"months": months, "replicates": replicates, "scale": scale, "root_seed": root_seed},
        "seeds": [s.as_jsonable() for s in seeds],
        "parameters": values,
        "parameters_changed_from_defaults": {k: values[k] for k in params.changed()},
        "environment": environment(),
    }


def now() -> str:
    """The time in UTC, to the second, as manifests record it."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def command_line() -> str:
    """The command that is running, as the user typed it."""
    return " ".join([Path(sys.argv[0]).name, *sys.argv[1:]])


def environment() -> dict:
    """The interpreter, the machine and the versions of the libraries that shape the results."""
    return {"python": platform.python_version(), "platform": platform.platform(),
            **{lib: version(lib) for lib in ("numpy", "mesa", "pandas", "scipy", "pyarrow")}}


def write_json(path: Path, data: dict) -> None:
    """Write atomically (a temporary file, then rename), so no half-written file is left."""
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(data, indent=2, default=_jsonable) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def write_csv(path: Path, table: pd.DataFrame) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    table.to_csv(tmp, index=False, float_format="%.6g")
    os.replace(tmp, path)


def _jsonable(value):
    if hasattr(value, "item"):
        return value.item()
    return str(value)
