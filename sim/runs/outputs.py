"""What a run writes: the monthly table, a summary, a manifest of what produced them."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
from datetime import datetime, timezone
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path

import numpy as np
import pandas as pd

from sim import __version__
from sim.model.mechanisms.survival import CAUSES
from sim.model.outcomes import FLOWS, OUTCOMES, codebook



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
        "survival_curve": survival_curve([e["fall_month"] for e in endings], int(table["month"].max()) + 1),
        "final": spread,
        "events": events(table),
    }


def survival_curve(fall_months: list, months: int, confidence: float = 0.95) -> dict:
    """The Kaplan-Meier estimate of the share of regimes still standing after each month, with
    Greenwood's pointwise interval (log-log transformed, so it stays within 0 and 1).

    ``fall_months`` holds one entry per replicate: the month it fell, or None if it stood to the
    end of the run (censored at ``months``). With every run as long, the estimate is the share of
    replicates standing; the interval says how sure that share is.
    """
    from scipy.stats import norm

    falls = np.array([m for m in fall_months if m is not None], dtype=int)
    at_risk = len(fall_months) - np.concatenate([[0], np.cumsum(np.bincount(falls, minlength=months))[:-1]])
    deaths = np.bincount(falls, minlength=months)[:months]
    at_risk = at_risk[:months]
    with np.errstate(divide="ignore", invalid="ignore"):
        step = np.where(at_risk > 0, 1.0 - deaths / np.maximum(at_risk, 1), 1.0)
        standing = np.cumprod(step)
        variance = np.cumsum(np.where(at_risk > deaths, deaths / (at_risk * np.maximum(at_risk - deaths, 1)), 0.0))
        z = norm.ppf(0.5 + confidence / 2)
        log_s = np.log(np.clip(standing, 1e-12, 1.0))
        spread = z * np.sqrt(variance) / np.abs(np.where(log_s < 0, log_s, -1e-12))
        low = np.where(standing >= 1.0, 1.0, standing ** np.exp(spread))
        high = np.where(standing >= 1.0, 1.0, standing ** np.exp(-spread))
    low = np.where(standing <= 0.0, 0.0, low)
    high = np.where(standing <= 0.0, 0.0, high)
    return {"month": list(range(months)), "standing": [round(float(v), 6) for v in standing],
            "low": [round(float(v), 6) for v in low], "high": [round(float(v), 6) for v in high],
            "confidence": confidence}


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
        "git": git(),
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
    """The interpreter, the machine, the versions of the libraries that shape the results and
    the source's git commit (every manifest records it)."""
    return {"python": platform.python_version(), "platform": platform.platform(),
            **{lib: version(lib) for lib in ("numpy", "mesa", "pandas", "scipy", "pyarrow")}, "git": git()}


@lru_cache(maxsize=1)
def git() -> dict:
    """The commit the code was run from and whether tracked files differed from it (``dirty``);
    both None when the package does not run from a git checkout (an installed wheel)."""
    root = Path(__file__).resolve().parents[2]
    unknown = {"commit": None, "dirty": None, "note": "not run from a git checkout (an installed package)"}
    if not (root / ".git").exists() or not (root / "pyproject.toml").is_file():
        return unknown
    try:
        commit = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True,
                                timeout=10, check=True).stdout.strip()
        status = subprocess.run(["git", "-C", str(root), "status", "--porcelain", "--untracked-files=no"],
                                capture_output=True, text=True, timeout=10, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return unknown
    return {"commit": commit, "dirty": bool(status.strip())}


def write_codebook(path: Path, columns=None) -> None:
    """codebook.csv: every output column (or those in ``columns``, in their order) with its unit and definition."""
    rows = {r["name"]: r for r in codebook()}
    rows = list(rows.values()) if columns is None else [rows[c] for c in columns if c in rows]
    write_csv(path, pd.DataFrame(rows, columns=["name", "unit", "definition", "kind"]))


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
