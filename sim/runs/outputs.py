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

from sim import __version__
from sim.model.mechanisms.survival import CAUSES
from sim.model.outcomes import FLOWS, OUTCOMES



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
    """Survival probability, time and cause of failure, final values with their spread.

    The interfaces add a ``calibration`` block (the targets, :mod:`sim.analysis.targets`)."""
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
    }


def events(table: pd.DataFrame) -> dict:
    """Per rare event: mean count per replicate and the share of replicates in which it happened."""
    counts = table.groupby("replicate")[list(EVENTS)].sum()
    return {name: {"mean_per_replicate": float(counts[name].mean()),
                   "share_of_replicates": float((counts[name] > 0).mean()),
                   "description": OUTCOMES[name]} for name in EVENTS}


def manifest(scenario, params, root_seed: int, seeds, months: int, scale: float, replicates: int,
             endings: list[dict] | None = None) -> dict:
    """Everything needed to reproduce a run (a sweep's manifest adds to it). With a calibrated
    ensemble: its file, sha256 and the parameters drawn, and each replicate's member (its values
    are the file's row; the draw follows from the seed)."""
    values = params.as_jsonable()
    extra = {}
    ensemble = getattr(scenario, "ensemble", None)
    if ensemble is not None:
        extra["ensemble"] = ensemble.as_jsonable() | {
            "note": "each replicate ran with the calibrated values of the member its seed draws; 'parameters' "
                    "holds the scenario's own values, which the drawn ones replace"}
        if endings is not None:
            extra["ensemble"]["replicate_members"] = [e.get("ensemble_member") for e in endings]
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
        **extra,
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
