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
    "kandahar_fighters": "fighters of the Kandahar leadership",
    "kabul_fighters": "fighters of the Kabul pragmatists",
    "haqqani_fighters": "fighters of the Haqqani network",
    "northern_fighters": "Tajik and Uzbek Taliban fighters",
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
    "ttp_attacks_pakistan": "TTP attacks in Pakistan this month",
    "isk_provinces": "provinces with an IS-K presence",
    "isk_held_provinces": "provinces IS-K has outnumbered the Taliban in for isk.hold_months",
    "gdp_index": "GDP relative to before the takeover (1.0)",
    "poverty_rate": "share of the population in poverty",
    "people_in_need": "people in humanitarian need",
    "fiscal_coverage": "the regime's revenue over its budget need",
    "aid": "development plus humanitarian aid, USD billion a year",
    "recognition": "recognition index, 0-1 (Western and regional engagement)",
    "western_engagement": "Western donors' engagement, 0-1",
    "regional_engagement": "mean engagement of the six neighbouring states, 0-1",
    "regime_cohesion": "strength-weighted loyalty of the Taliban factions, 0-1",
    "civil_war": "civil war intensity, 0-1",
    "salafist_alienation": "population-weighted Salafist alienation, 0-1",
    "pakistan_engagement": "Pakistan's engagement, 0-1",
    "iran_engagement": "Iran's engagement, 0-1",
    "china_engagement": "China's engagement, 0-1",
    "russia_engagement": "Russia's engagement, 0-1",
    "uzbekistan_engagement": "Uzbekistan's engagement, 0-1",
    "tajikistan_engagement": "Tajikistan's engagement, 0-1",
    "moderation": "policy lever this month",
    "inclusion": "policy lever this month",
    "crackdown_isk": "policy lever this month",
    "action_against_allies": "policy lever this month",
    "foreign_cooperation": "policy lever this month",
    "sanctions": "Western sanctions (1 the documented level, 0 lifted), external lever this month",
    "assets_released": "share of the frozen central-bank assets released, external lever this month",
    "humanitarian_aid": "humanitarian aid relative to the documented level, external lever this month",
}
# Monthly flows (counts "this month"), summarised over a run by their monthly mean; the
# other outcomes are stocks, summarised by their value at the end of the run.
FLOWS = frozenset(k for k, v in OUTCOMES.items() if v.endswith("this month"))


def headline(outcome: str) -> tuple[str, str]:
    """How a sweep summarises an outcome per run: ('mean', ...) for flows, ('final', ...) for stocks."""
    return ("mean", "monthly mean over the run") if outcome in FLOWS else ("final", "at the end of the run")


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
        "calibration": calibration.evaluate(table),
    }


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
