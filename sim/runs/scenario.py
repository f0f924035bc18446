"""Scenario files: TOML (read with the standard library), validated against the parameters.

A scenario holds run settings (``name``, ``description``, ``months``, ``replicates``,
``seed``, ``scale``), parameter values as TOML tables (``[policy]``, ``[isk]``,
``[factions.kabul]`` ...), optionally ``extends = "other.toml"`` (a path relative to the
file, else a shipped scenario such as ``"baseline.toml"``), a ``[sweep]`` section, kept as written here and read by ``regime-sim sweep``
(:mod:`sim.runs.design`; ``run`` ignores it), a ``[calibrate]`` section read by ``regime-sim
calibrate`` (:mod:`sim.analysis.calibrate`), and a ``[provenance]`` table giving the source of
values the scenario sets (``"isk.capacity" = { kind = "calibrated", detail = "...",
claims = ["EER:30"] }``), which ``regime-sim params --scenario`` shows, and optionally
``ensemble = "ensemble/baseline.csv"``, the accepted points of a calibration each replicate
draws its calibrated values from (:mod:`sim.runs.ensemble`; inherited by extending scenarios,
``ensemble = ""`` turns it off). Every error names the file and the key, and says what is allowed.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from sim.model.params import SPEC_BY_NAME, ParameterError, Parameters, closest_name
from sim.model.provenance import KINDS, Provenance, bundled_dir, claims
from sim.runs.ensemble import Ensemble, EnsembleError
from sim.runs.ensemble import load as load_ensemble

RUN_SETTINGS = {
    "name": (str, None, None),
    "description": (str, None, None),
    "months": (int, 1, 1200),
    "replicates": (int, 1, 100000),
    "seed": (int, 0, 2**63 - 1),
    "scale": (float, 1e-4, 100.0),
}
RESERVED = {"extends", "sweep", "calibrate", "provenance", "sensitivity", "ensemble"}
DEFAULTS = {"months": 120, "replicates": 10, "seed": 20210815, "scale": 1.0}
TOO_DEEP = "malformed TOML: arrays or tables nested too deeply (a scenario needs a few levels at most)"


class ScenarioError(Exception):
    """A bad scenario: ``str(err)`` is the one line the user sees."""

    def __init__(self, path: str | Path, key: str | None, message: str):
        where = f"{path}: {key}: " if key else f"{path}: "
        super().__init__(where + message)


@dataclass(frozen=True)
class Scenario:
    """A loaded scenario: run settings, parameter overrides and the raw sweep and sensitivity sections."""

    path: Path
    settings: dict[str, Any]
    overrides: dict[str, Any]
    sweep: dict[str, Any] = field(default_factory=dict)
    chain: tuple[str, ...] = ()
    calibrate: dict[str, Any] = field(default_factory=dict)
    provenance: dict[str, Provenance] = field(default_factory=dict)
    sensitivity: dict[str, Any] = field(default_factory=dict)
    ensemble: Ensemble | None = None

    @property
    def name(self) -> str:
        return self.settings.get("name", self.path.stem)

    def parameters(self, extra: Mapping[str, Any] | None = None) -> Parameters:
        """The validated parameters: defaults, then the scenario, then ``extra`` (``--set``)."""
        params = Parameters()
        try:
            params = params.replace(self.overrides)
        except ParameterError as err:
            raise ScenarioError(self.path, err.key, err.message) from None
        if extra:
            try:
                params = params.replace(extra)
            except ParameterError as err:
                raise ScenarioError("--set", err.key, err.message) from None
        return params

    def setting(self, key: str) -> Any:
        return self.settings.get(key, DEFAULTS.get(key))

    def without_ensemble(self) -> "Scenario":
        """The scenario with every replicate at the scenario's own values."""
        from dataclasses import replace
        return replace(self, ensemble=None)

    def ensemble_for(self, fixed=()) -> Ensemble | None:
        """The ensemble the replicates draw from, with ``fixed`` names (e.g. --set) no longer drawn."""
        return self.ensemble.fixing(fixed) if self.ensemble is not None else None


def resolve(path: str | Path) -> Path:
    """A scenario path as given, or the name of a shipped scenario (``baseline``, ``stress/civil_war``)."""
    candidate = Path(path)
    if candidate.is_file():
        return candidate
    shipped = bundled_dir("scenarios").joinpath(*candidate.parts)
    shipped = shipped if candidate.suffix else shipped.with_name(f"{candidate.name}.toml")
    if not candidate.exists() and not candidate.is_absolute() and ".." not in candidate.parts and shipped.is_file():
        return shipped  # a shipped scenario by name, in a folder of scenarios/ too (stress/civil_war)
    if candidate.is_dir():
        inside = sorted(p.name for p in candidate.glob("*.toml"))
        hint = f" (it holds {', '.join(inside[:4])}{', ...' if len(inside) > 4 else ''})" if inside else ""
        raise ScenarioError(path, None, f"is a folder, not a scenario file: give a .toml file{hint}")
    raise ScenarioError(path, None, "no such scenario file (give a path, or the name of one in scenarios/)")


def load(path: str | Path, _seen: tuple[str, ...] = ()) -> Scenario:
    """Read, merge (``extends``) and validate a scenario file."""
    path = resolve(path) if not _seen else Path(path)
    key = str(path.resolve())
    if key in _seen:
        raise ScenarioError(path, "extends", "circular extends: " + " -> ".join(Path(s).name for s in _seen + (key,)))
    if not path.is_file():
        raise ScenarioError(_seen[-1] if _seen else path, "extends", f"file {path} does not exist")
    try:
        raw = tomllib.loads(path.read_bytes().decode("utf-8-sig"))  # a byte-order mark is not an error
    except UnicodeDecodeError as err:
        raise ScenarioError(path, None, f"is not UTF-8 text (byte {err.start}); save it as UTF-8") from None
    except tomllib.TOMLDecodeError as err:
        raise ScenarioError(path, None, f"malformed TOML: {err}") from None
    except RecursionError:
        raise ScenarioError(path, None, TOO_DEEP) from None
    if not raw:
        raise ScenarioError(path, None, "is empty: a scenario needs at least extends = \"baseline.toml\" (to start "
                                        "from the calibrated baseline) or parameter tables such as [policy]; "
                                        "see scenarios/moderation_dilemma.toml")
    base = None
    if "extends" in raw:
        parent = raw["extends"]
        if not isinstance(parent, str):
            raise ScenarioError(path, "extends", "must be a file name in quotes, e.g. extends = \"baseline.toml\"")
        target = path.parent / parent
        shipped = bundled_dir("scenarios") / parent
        if not target.is_file() and not Path(parent).is_absolute() and shipped.is_file():
            target = shipped  # extends = "baseline.toml" from any folder: the shipped one
        base = load(target, _seen + (key,))
    settings, overrides = _split(path, raw)
    sweep, calibrate, sensitivity = (raw.get(name, {}) for name in ("sweep", "calibrate", "sensitivity"))
    for key, section in (("sweep", sweep), ("calibrate", calibrate), ("sensitivity", sensitivity)):
        if not isinstance(section, dict):
            raise ScenarioError(path, key, f"must be a table ([{key}])")
    provenance = _provenance(path, raw.get("provenance", {}), overrides)
    ensemble = _ensemble(path, raw["ensemble"]) if "ensemble" in raw else (base.ensemble if base else None)
    if base is not None:  # everything is inherited but the name: a file is named by itself or its stem
        settings = {k: v for k, v in base.settings.items() if k != "name"} | settings
        # a value set again here without its provenance no longer has the parent's
        provenance = {k: v for k, v in base.provenance.items() if k not in overrides} | provenance
        overrides = base.overrides | overrides
        sweep = sweep or base.sweep
        calibrate = calibrate or base.calibrate
        sensitivity = sensitivity or base.sensitivity
    if ensemble is not None:  # a value the scenario sets itself is not drawn
        ensemble = ensemble.fixing(overrides)
    scenario = Scenario(path, settings, overrides, sweep, (base.chain if base else ()) + (str(path),), calibrate,
                        provenance, sensitivity, ensemble)
    scenario.parameters()  # validate now, naming this file
    return scenario


def _ensemble(path: Path, value: Any) -> Ensemble | None:
    """``ensemble = "file.csv"`` (relative to the scenario file, else to the shipped scenarios/), or "" for none."""
    if not isinstance(value, str):
        raise ScenarioError(path, "ensemble", "must be a file name in quotes, e.g. ensemble = \"ensemble/baseline.csv\", "
                                              "or \"\" for none")
    if not value:
        return None
    target = path.parent / value
    shipped = bundled_dir("scenarios") / value
    if not target.is_file() and shipped.is_file():  # a copy of a shipped scenario keeps its ensemble
        target = shipped
    try:
        ensemble = load_ensemble(target)
    except EnsembleError as err:
        raise ScenarioError(path, "ensemble", f"{target}: " + (f"{err.key}: " if err.key else "") + err.message) \
            from None
    return ensemble


def _provenance(path: Path, table: Any, overrides: Mapping[str, Any]) -> dict[str, Provenance]:
    """The ``[provenance]`` table: for values this file sets, where they come from."""
    if not isinstance(table, dict):
        raise ScenarioError(path, "provenance", "must be a table ([provenance])")
    out = {}
    for name, entry in table.items():
        key = f"provenance.{name}"
        if name not in overrides:
            raise ScenarioError(path, key, "names no parameter this file sets (quote dotted names: "
                                           "\"isk.capacity\" = { kind = ..., detail = ... })")
        if not isinstance(entry, dict) or set(entry) - {"kind", "detail", "claims"} or entry.get("kind") not in KINDS:
            raise ScenarioError(path, key, f"must be {{ kind = one of {' | '.join(KINDS)}, detail = \"...\", "
                                           "claims = [\"ID\", ...] }")
        detail, ids = entry.get("detail", ""), entry.get("claims", [])
        if not isinstance(detail, str) or not isinstance(ids, list) or not all(isinstance(c, str) for c in ids):
            raise ScenarioError(path, key, "detail must be text and claims a list of claim ids in quotes")
        unknown = [c for c in ids if c not in claims()]
        if unknown:
            raise ScenarioError(path, key, f"claim {unknown[0]!r} is not in seeds/claims.toml")
        out[name] = Provenance(entry["kind"], detail, tuple(ids))
    return out


def _split(path: Path, raw: Mapping[str, Any]) -> tuple[dict, dict]:
    settings, overrides = {}, {}
    for key, value in raw.items():
        if key in RESERVED:
            continue
        if key in RUN_SETTINGS:
            settings[key] = _check_setting(path, key, value)
        elif isinstance(value, dict):
            _flatten(path, key, value, overrides)
        else:
            raise _unknown(path, key)
    return settings, overrides


def _flatten(path: Path, prefix: str, table: Mapping[str, Any], out: dict) -> None:
    for key, value in table.items():
        name = f"{prefix}.{key}"
        if name in SPEC_BY_NAME:
            out[name] = value
        elif isinstance(value, dict) and any(s.startswith(name + ".") for s in SPEC_BY_NAME):
            _flatten(path, name, value, out)
        else:
            raise _unknown(path, name)


def _unknown(path: Path, key: str) -> ScenarioError:
    hint = closest_name(key, list(SPEC_BY_NAME) + list(RUN_SETTINGS) + sorted(RESERVED))
    suggestion = f" (did you mean {hint}?)" if hint else "; 'regime-sim params' lists the parameters"
    return ScenarioError(path, key, "unknown key" + suggestion)


def _check_setting(path: Path, key: str, value: Any) -> Any:
    kind, low, high = RUN_SETTINGS[key]
    if kind is str:
        if not isinstance(value, str):
            raise ScenarioError(path, key, f"{value!r} is not text; write it in quotes")
        if key == "name":
            _check_name(path, value)
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (kind is int and value != int(value)):
        raise ScenarioError(path, key, f"{value!r} is not {'a whole number' if kind is int else 'a number'} "
                                       f"in [{low:g}, {high:g}]")
    if not low <= value <= high:
        raise ScenarioError(path, key, f"{value!r} is out of range; allowed [{low:g}, {high:g}]")
    return kind(value)


def _check_name(path: Path, name: str) -> None:
    """A scenario's name names its default output folder (results/NAME): a plain name, not a path."""
    bad = [c for c in ("/", "\\") if c in name]
    if bad or name.strip() in ("", ".", "..") or any(ord(c) < 32 for c in name):
        what = f"holds {bad[0]!r}" if bad else "is empty or not a plain name"
        raise ScenarioError(path, "name", f"{name!r} {what}; a name names the default output folder "
                                          "(results/NAME), so it cannot be a path: use letters, digits, _ or -")


def parse_set(items: list[str] | None) -> dict[str, Any]:
    """``--set key=value`` pairs; values are TOML (numbers, "text", or { "2022-01" = 0.5 })."""
    out: dict[str, Any] = {}
    for item in items or []:
        key, sep, text = item.partition("=")
        key = key.strip()
        if not sep or not key:
            raise ScenarioError("--set", item, "expected dotted.key=value, e.g. policy.moderation=0.5")
        if "\n" in item or "\r" in item:
            raise ScenarioError("--set", key, "the value holds a line break; give each assignment its own --set "
                                              "(--set a=1 --set b=2)")
        try:
            value = tomllib.loads(f"v = {text.strip()}")["v"]
        except tomllib.TOMLDecodeError:
            value = text.strip()  # bare words such as adaptive
        except RecursionError:
            raise ScenarioError("--set", key, TOO_DEEP) from None
        if key not in SPEC_BY_NAME:
            hint = closest_name(key)
            raise ScenarioError("--set", key, "unknown parameter" + (f" (did you mean {hint}?)" if hint else ""))
        out[key] = value
    return out
