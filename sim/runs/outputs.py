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
from sim.model.calendar import month_date
from sim.model.mechanisms.survival import CAUSES
from sim.model.outcomes import FLOWS, OUTCOMES, codebook, run_statistic
from sim.runs.competing_risks import cumulative_incidence



def headline(outcome: str) -> tuple[str, str]:
    """How a sweep summarises an outcome per run: ('mean', ...) for flows, ('final', ...) for stocks.

    A run ends at its last month or at the regime's fall (:meth:`RegimeModel.run`), so a fallen
    run's mean is over the months up to the fall and its final value is the value at the fall."""
    return (("mean", "monthly mean over the run (to the fall if the regime fell)") if outcome in FLOWS
            else ("final", "at the end of the run (at the fall if the regime fell)"))


# Rare events, counted per run in summary.json (how often each happened across replicates).
EVENTS = ("faction_splits", "isk_leaders_killed", "spectacular_attacks", "border_closures", "formal_recognitions",
          "commanders_killed")
SUMMARY_COLUMNS = ("taliban_fighters", "isk_fighters", "ttp_fighters", "resistance_fighters", "isk_attacks",
                   "isk_provinces", "gdp_index", "poverty_rate", "people_in_need", "aid", "recognition",
                   "regime_cohesion", "civil_war")


def summarise(table: pd.DataFrame, endings: list[dict], months: int) -> dict:
    """Survival probability, time and cause of failure, final values with their spread.

    A replicate's rows end at the regime's fall (:meth:`RegimeModel.run`), so ``final`` is each
    replicate's last row: the last month of the run if the regime stood, else the month it fell.
    The interfaces add a ``calibration`` block (the targets, :mod:`sim.analysis.targets`)."""
    n = len(endings)
    falls = [e for e in endings if e["fell"]]
    final = last_rows(table)
    spread = {}
    for column in SUMMARY_COLUMNS:
        values = final[column]
        spread[column] = {"median": float(values.median()), "p10": float(values.quantile(0.1)),
                          "p90": float(values.quantile(0.9)), "mean": float(values.mean()),
                          "sd": float(values.std(ddof=1)) if n > 1 else 0.0}
    fall_months = pd.Series([e["fall_month"] for e in falls], dtype=float)
    three_years = min(35, months - 1)
    return {
        "replicates": n,
        "months": months,
        "final_date": month_date(months - 1),
        "final_note": "final: each replicate's last month, the run's last if the regime stood, else the month "
                      f"it fell ({len(falls)} of {n} replicates)",
        "survival_probability": 1.0 - len(falls) / n,
        "survival_probability_3_years": 1.0 - float((fall_months <= three_years).sum()) / n,
        "failures": {
            "count": len(falls),
            "by_cause": {cause: sum(e["fall_cause"] == cause for e in falls) for cause in CAUSES},
            "median_fall_month": None if fall_months.empty else float(fall_months.median()),
            "fall_months": [int(m) for m in fall_months],
        },
        "survival_curve": survival_curve([e["fall_month"] for e in endings], months),
        "cumulative_incidence": cumulative_incidence([e["fall_month"] for e in endings],
                                                     [e["fall_cause"] for e in endings], months),
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


def last_rows(table: pd.DataFrame) -> pd.DataFrame:
    """Each replicate's last row: its last month, or the month its regime fell."""
    return table.sort_values(["replicate", "month"], kind="stable").groupby("replicate").tail(1)


def events(table: pd.DataFrame) -> dict:
    """Per rare event: mean count per replicate (over the months it ran) and the share of replicates in
    which it happened."""
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
        "git": git(),
        "created": now(),
        "command": command_line(),
        "scenario": {"name": scenario.name, "path": relative(scenario.path),
                     "extends_chain": [relative(p) for p in scenario.chain],
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
    """The command that is running, as the user typed it (``python -m sim`` recorded as ``regime-sim``, the
    same program); an argument that is an absolute path is recorded relative (:func:`relative`)."""
    program = Path(sys.argv[0])
    name = "regime-sim" if program.name == "__main__.py" and program.parent.name == "sim" else program.name
    return " ".join([name, *(relative(a) if os.path.isabs(a) else a for a in sys.argv[1:])])


def project_roots() -> tuple[Path, ...]:
    """Where the project's files live: a wheel's bundled copy (sim/_bundled), then the source tree."""
    package = Path(__file__).resolve().parents[1]  # sim/
    return package / "_bundled", package.parent


def relative(path) -> str | None:
    """A path as manifests record it, never absolute (a result must not depend on the machine it ran on):
    relative to the project (``scenarios/baseline.toml``) when the file is one of the project's (in the source
    tree, or bundled in a wheel), else relative to the working folder."""
    if path is None:
        return None
    target = Path(path).resolve()
    for root in project_roots():
        if target.is_relative_to(root):
            return target.relative_to(root).as_posix()
    try:
        return Path(os.path.relpath(target, Path.cwd())).as_posix()
    except ValueError:  # another drive (Windows): the name alone
        return target.name


def recorded(path: str) -> Path:
    """A path a manifest recorded (:func:`relative`), found again: as given (absolute, or from the working
    folder), else within the project."""
    given = Path(path)
    if given.is_absolute() or given.exists():
        return given
    for root in project_roots():
        if (root / given).exists():
            return root / given
    return given


def environment() -> dict:
    """The interpreter, the machine, the versions of the libraries that shape the results and
    the source's git commit (every manifest records it)."""
    return {"python": platform.python_version(), "platform": platform.platform(),
            **{lib: version(lib) for lib in ("numpy", "mesa", "pandas", "scipy", "pyarrow")}, "git": git()}


# What `regime-sim reproduce` writes: the shipped results, the documents' figures and the calibrated ensemble. A
# change to these alone does not make a checkout dirty: they are what a run produces, not what produces it (the
# ensemble every run draws from is recorded by its sha256).
OUTPUTS = ("experiments/results", "docs/*.png", "docs/*.pdf", "docs/*.svg", "scenarios/ensemble")


@lru_cache(maxsize=1)
def git() -> dict:
    """The commit the code was run from and whether tracked files other than the shipped outputs (:data:`OUTPUTS`)
    differed from it (``dirty``); both None when the package does not run from a git checkout (an installed
    wheel)."""
    root = Path(__file__).resolve().parents[2]
    unknown = {"commit": None, "dirty": None, "note": "not run from a git checkout (an installed package)"}
    if not (root / ".git").exists() or not (root / "pyproject.toml").is_file():
        return unknown
    try:
        commit = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True,
                                timeout=10, check=True).stdout.strip()
        status = subprocess.run(["git", "-C", str(root), "status", "--porcelain", "--untracked-files=no", "--", ".",
                                 *(f":(exclude,glob){path}" + ("" if "*" in path else "/**") for path in OUTPUTS)],
                                capture_output=True, text=True, timeout=10, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return unknown
    return {"commit": commit, "dirty": bool(status.strip())}


def write_codebook(path: Path, columns=None) -> None:
    """codebook.csv: every output column (or those in ``columns``, in their order, run-level statistics such
    as ``isk_fighters_final`` included) with its unit and definition."""
    rows = {r["name"]: r for r in codebook()}
    rows = list(rows.values()) if columns is None else [r for r in (rows.get(c) or run_statistic(c)
                                                                    for c in columns) if r]
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
