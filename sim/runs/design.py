"""Sweep designs: which parameter values a sweep runs, read from a scenario's ``[sweep]`` section.

Like EMA Workbench's uncertainties and levers, a design is data: the parameters that vary,
how they are sampled, how many replicates run at each point, and which outcomes are kept::

    [sweep]
    design = "grid"          # grid | latin | sobol | one_at_a_time | csv
    replicates = 20          # replicates per point (common random numbers across points)
    outcomes = ["isk_fighters", "poverty_rate"]   # time series to keep (default: the main ones)

    [sweep.vary]             # grid and one_at_a_time: lists of values
    "policy.moderation" = [0.0, 0.25, 0.5, 0.75, 1.0]
    "external.sanctions" = [1.0, 0.5, 0.0]

For ``latin`` and ``sobol`` (sampled with SALib; ``samples = N``) each varied parameter takes
a range, ``{ low = 0.0, high = 1.0 }``; an empty table ``{}`` means its whole allowed range.
``one_at_a_time`` varies one parameter at a time around the scenario's values (``levels``
evenly spaced values of a range, or a list). ``csv`` reads the points from a file
(``points = "points.csv"``, one column per parameter, relative to the scenario file).
A swept value replaces the scenario's value of that parameter for the whole run.
"""

from __future__ import annotations

import csv
import hashlib
import itertools
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from sim.model.params import SPEC_BY_NAME, ParameterError, Parameters, closest_name
from sim.runs.scenario import Scenario, ScenarioError

DESIGNS = ("grid", "latin", "sobol", "one_at_a_time", "csv")
SECTION_KEYS = {"design", "replicates", "outcomes", "vary", "samples", "levels", "points", "sample_seed"}
# Time series every sweep keeps when ``outcomes`` is not given (regime_survives always is).
DEFAULT_OUTCOMES = ("taliban_fighters", "isk_fighters", "ttp_fighters", "resistance_fighters",
                    "defections_to_isk", "isk_attacks", "isk_provinces", "gdp_index", "poverty_rate",
                    "people_in_need", "aid", "recognition", "regime_cohesion", "civil_war")
NOT_OUTCOMES = {"replicate", "month", "date"}
MAX_POINTS = 1_000_000


@dataclass(frozen=True)
class Design:
    """The points of a sweep (parameter name -> value at each point) and what to keep."""

    kind: str
    parameters: tuple[str, ...]
    points: tuple[dict[str, Any], ...]
    replicates: int
    outcomes: tuple[str, ...]
    details: dict[str, Any] = field(default_factory=dict)
    ranges: dict[str, tuple[float, float]] = field(default_factory=dict)

    @property
    def runs(self) -> int:
        return len(self.points) * self.replicates

    def run(self, run_id: int) -> tuple[int, int]:
        """The (point, replicate) of a run; runs are numbered point by point."""
        return divmod(run_id, self.replicates)

    def as_jsonable(self) -> dict[str, Any]:
        return {"design": self.kind, "parameters": list(self.parameters), "points": len(self.points),
                "replicates": self.replicates, "runs": self.runs, "outcomes": list(self.outcomes),
                **({"ranges": {k: list(v) for k, v in self.ranges.items()}} if self.ranges else {}),
                **self.details, "points_sha256": self.digest()}

    def digest(self) -> str:
        """A fingerprint of the points, to check that a resumed or merged sweep is the same sweep."""
        text = json.dumps([[p[name] for name in self.parameters] for p in self.points])
        return hashlib.sha256(text.encode()).hexdigest()


def from_scenario(scenario: Scenario, base: Parameters, replicates: int | None = None,
                  root_seed: int = 0) -> Design:
    """Build and validate the design of a scenario's ``[sweep]`` section.

    ``base`` is the scenario's parameters (with any ``--set``): every point is checked
    against it, so an out-of-range swept value is reported before anything runs.
    """
    path, section = scenario.path, scenario.sweep
    if not section:
        raise ScenarioError(path, "sweep", "the scenario has no [sweep] section, so there is nothing to sweep; "
                                           "add one with design = \"grid\" and a [sweep.vary] table "
                                           "(see scenarios/moderation_dilemma.toml)")
    check_keys(path, section, "sweep", SECTION_KEYS)
    kind = section.get("design", "grid")
    if kind not in DESIGNS:
        raise ScenarioError(path, "sweep.design", f"{kind!r} is not a design; use one of {' | '.join(DESIGNS)}")
    reps = replicates or whole(path, section, "replicates", scenario.setting("replicates"), 1, 100_000)
    outcomes = _outcomes(path, section.get("outcomes", list(DEFAULT_OUTCOMES)))
    if kind == "csv":
        names, points = _csv_points(path, section)
        details: dict[str, Any] = {"points_file": str(section["points"])}
        ranges: dict[str, tuple[float, float]] = {}
    else:
        varied = vary(path, section.get("vary"))
        names = tuple(varied)
        points, details, ranges = _BUILDERS[kind](path, section, varied, base, root_seed)
    if not points:
        raise ScenarioError(path, "sweep", "the design has no points")
    if len(points) > MAX_POINTS:
        raise ScenarioError(path, "sweep", f"{len(points):,} points is more than the {MAX_POINTS:,} allowed")
    checked = tuple(check_point(path, base, names, p, i) for i, p in enumerate(points))
    return Design(kind, names, checked, reps, outcomes, details, ranges)


def check_keys(path: Path, section: Mapping, name: str, allowed) -> None:
    """Every key of the scenario's section ``[name]`` is one of ``allowed`` (else one line naming it)."""
    for key in section:
        if key not in allowed:
            hint = closest_name(key, allowed)
            raise ScenarioError(path, f"{name}.{key}", "unknown key" + (f" (did you mean {name}.{hint}?)" if hint
                                                                         else f"; allowed: {', '.join(sorted(allowed))}"))


def whole(path: Path, section: Mapping, key: str, default: int, low: int, high: int, name: str = "sweep") -> int:
    """A whole-number setting ``key`` of the scenario's section ``[name]``, checked against its range."""
    value = section.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ScenarioError(path, f"{name}.{key}", f"{value!r} is not a whole number in [{low}, {high}]")
    return value


def _outcomes(path: Path, names: Any) -> tuple[str, ...]:
    from sim.model.outcomes import OUTCOMES

    allowed = [k for k in OUTCOMES if k not in NOT_OUTCOMES]
    if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
        raise ScenarioError(path, "sweep.outcomes", "must be a non-empty list of outcome names in quotes, "
                                                    "e.g. [\"isk_fighters\", \"poverty_rate\"]")
    for name in names:
        if name not in allowed:
            hint = closest_name(name, allowed)
            raise ScenarioError(path, "sweep.outcomes", f"{name!r} is not an outcome"
                                + (f" (did you mean {hint}?)" if hint else f"; allowed: {', '.join(allowed)}"))
    return tuple(dict.fromkeys(["regime_survives", *names]))


def vary(path: Path, table: Any, section: str = "sweep") -> dict[str, Any]:
    """Flatten ``[sweep.vary]`` (quoted dotted names or nested tables) to name -> specification."""
    if not isinstance(table, dict) or not table:
        raise ScenarioError(path, f"{section}.vary", f"the {section} varies nothing; add a [{section}.vary] table, e.g. "
                                                     "\"policy.moderation\" = { low = 0.0, high = 1.0 }")
    out: dict[str, Any] = {}

    def walk(prefix: str, node: Mapping) -> None:
        for key, value in node.items():
            name = f"{prefix}.{key}" if prefix else key
            if name in SPEC_BY_NAME:
                out[name] = value
            elif isinstance(value, dict) and any(s.startswith(name + ".") for s in SPEC_BY_NAME):
                walk(name, value)
            else:
                hint = closest_name(name)
                raise ScenarioError(path, f"{section}.vary.{name}", "unknown parameter"
                                    + (f" (did you mean {hint}?)" if hint else "; 'regime-sim params' lists them"))

    walk("", table)
    return out


def _values(path: Path, name: str, spec: Any) -> list[Any]:
    if not isinstance(spec, list) or not spec:
        raise ScenarioError(path, f"sweep.vary.{name}", "must be a non-empty list of values, e.g. [0.0, 0.5, 1.0]")
    seen = []
    for value in spec:
        if value in seen:  # 0.5 and 0.50, 1 and 1.0 are one value
            raise ScenarioError(path, f"sweep.vary.{name}", f"{value!r} is listed twice; each value is run once "
                                                            "(a repeat would only run the same point again)")
        seen.append(value)
    return spec


def value_range(path: Path, name: str, spec: Any, where: str = "sweep.vary") -> tuple[float, float]:
    """A ``{ low, high }`` range of a parameter in a scenario's ``where`` table; missing ends
    default to the parameter's allowed range, and both must lie within it."""
    allowed = SPEC_BY_NAME[name]
    key = f"{where}.{name}"
    if allowed.choices or allowed.low is None:
        raise ScenarioError(path, key, f"is a choice ({allowed.range_text}), not a number; "
                                       "sweep it with design = \"grid\" and a list")
    if not isinstance(spec, dict) or set(spec) - {"low", "high"}:
        raise ScenarioError(path, key, "must be a range { low = ..., high = ... } "
                                       f"within {allowed.range_text} (or {{}} for all of it)")
    low, high = spec.get("low", allowed.low), spec.get("high", allowed.high)
    for end, value in (("low", low), ("high", high)):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not allowed.low <= value <= allowed.high:
            raise ScenarioError(path, f"{key}.{end}", f"{value!r} is not a number in {allowed.range_text}")
    if not low < high:
        raise ScenarioError(path, key, f"low ({low:g}) must be below high ({high:g})")
    return float(low), float(high)


def _grid(path, section, vary, base, seed):
    names = list(vary)
    axes = [_values(path, n, vary[n]) for n in names]
    points = [dict(zip(names, combo)) for combo in itertools.product(*axes)]
    return points, {}, {}


def _sampled(path, section, vary, base, seed):
    """Latin hypercube or Saltelli-Sobol samples with SALib (sobol: N*(D+2) points, for Sobol indices)."""
    kind = section.get("design")
    samples = whole(path, section, "samples", 64, 2, 1_000_000)
    if kind == "sobol" and samples & (samples - 1):
        raise ScenarioError(path, "sweep.samples", f"{samples} is not a power of two, which Sobol sampling needs "
                                                   f"(e.g. {2 ** round(math.log2(samples))})")
    sample_seed = whole(path, section, "sample_seed", seed % 2**32, 0, 2**32 - 1)
    ranges = {n: value_range(path, n, vary[n]) for n in vary}
    points = sample(kind, ranges, samples, sample_seed)
    return points, {"samples": samples, "sample_seed": sample_seed}, ranges


def sample(kind: str, ranges: Mapping[str, tuple[float, float]], samples: int, seed: int) -> list[dict[str, Any]]:
    """Points within ``ranges`` by SALib: ``latin`` (``samples`` points) or ``sobol``
    (Saltelli's scheme, ``samples * (D + 2)`` points, which Sobol indices need)."""
    problem = {"num_vars": len(ranges), "names": list(ranges), "bounds": [list(r) for r in ranges.values()]}
    if kind == "sobol":
        from SALib.sample import sobol
        matrix = sobol.sample(problem, samples, calc_second_order=False, seed=seed)
    else:
        from SALib.sample import latin
        matrix = latin.sample(problem, samples, seed=seed)
    return matrix_points(list(ranges), matrix)


def matrix_points(names: list[str], matrix) -> list[dict[str, Any]]:
    """The points of a sample matrix (one row per point, one column per parameter), typed."""
    return [{n: _typed(n, float(v)) for n, v in zip(names, row)} for row in matrix]


def from_points(kind: str, names: tuple[str, ...], points: list[dict[str, Any]], replicates: int,
                outcomes: tuple[str, ...], base: Parameters, path: str | Path, details: dict | None = None,
                ranges: dict | None = None) -> Design:
    """A design built by another command (sensitivity, claims), each point checked against ``base``.

    ``outcomes`` are the time series to keep; ``regime_survives`` is always kept.
    """
    checked = tuple(check_point(Path(path), base, names, p, i) for i, p in enumerate(points))
    return Design(kind, names, checked, replicates, tuple(dict.fromkeys(["regime_survives", *outcomes])),
                  details or {}, ranges or {})


def _one_at_a_time(path, section, vary, base, seed):
    """The scenario's own point, then each parameter in turn at each of its values, the others held."""
    levels = whole(path, section, "levels", 5, 2, 1000)
    centre = {n: base[n] for n in vary}
    if any(not isinstance(v, (int, float, str)) for v in centre.values()):
        scheduled = next(n for n, v in centre.items() if not isinstance(v, (int, float, str)))
        raise ScenarioError(path, f"sweep.vary.{scheduled}", "follows a schedule in the scenario, so it has no "
                                                             "single value to hold; give it a number first")
    points, ranges = [dict(centre)], {}
    for name, spec in vary.items():
        if isinstance(spec, list):
            values = _values(path, name, spec)
        else:
            low, high = ranges[name] = value_range(path, name, spec)
            values = [_typed(name, low + (high - low) * i / (levels - 1)) for i in range(levels)]
        points += [centre | {name: v} for v in values if v != centre[name]]
    return points, {"levels": levels, "centre": centre}, ranges


def _typed(name: str, value: float) -> Any:
    return round(value) if SPEC_BY_NAME[name].kind is int else value


def _csv_points(path: Path, section: Mapping) -> tuple[tuple[str, ...], list[dict[str, Any]]]:
    if "vary" in section:
        raise ScenarioError(path, "sweep.vary", "a csv design reads its points from sweep.points; remove [sweep.vary]")
    file = section.get("points")
    if not isinstance(file, str):
        raise ScenarioError(path, "sweep.points", "name the CSV file of points in quotes, e.g. points = \"points.csv\"")
    csv_path = path.parent / file
    if not csv_path.is_file():
        raise ScenarioError(path, "sweep.points", f"file {csv_path} does not exist")
    try:
        with csv_path.open(newline="", encoding="utf-8-sig") as fh:
            rows = list(csv.reader(fh))
    except UnicodeDecodeError as err:
        raise ScenarioError(csv_path, None, f"is not UTF-8 text (byte {err.start}); save it as UTF-8 CSV") from None
    except csv.Error as err:
        raise ScenarioError(csv_path, None, f"is not a readable CSV file ({err})") from None
    if len(rows) < 2:
        raise ScenarioError(csv_path, None, "needs a header of parameter names and at least one row of values")
    names = tuple(c.strip() for c in rows[0])
    for name in names:
        if name not in SPEC_BY_NAME:
            hint = closest_name(name)
            raise ScenarioError(csv_path, name, "unknown parameter in the header"
                                + (f" (did you mean {hint}?)" if hint else ""))
    points = []
    for line, row in enumerate(rows[1:], start=2):
        if len(row) != len(names):
            raise ScenarioError(csv_path, f"line {line}", f"has {len(row)} values for {len(names)} columns")
        points.append({n: _parse_cell(csv_path, line, n, cell) for n, cell in zip(names, row)})
    return names, points


def _parse_cell(path: Path, line: int, name: str, cell: str) -> Any:
    spec = SPEC_BY_NAME[name]
    if spec.choices:
        return cell.strip()
    try:
        return _typed(name, float(cell))
    except ValueError:
        raise ScenarioError(path, f"line {line}: {name}", f"{cell!r} is not a number in {spec.range_text}") from None


def check_point(path: Path, base: Parameters, names: tuple[str, ...], point: Mapping, index: int,
                section: str = "sweep.vary") -> dict:
    """A point's values, checked against the parameters (ScenarioError naming the point if not)."""
    try:
        base.replace({n: point[n] for n in names})
    except ParameterError as err:
        where = f"{section}.{err.key}" if err.key in names else err.key
        raise ScenarioError(path, where, f"point {index}: {err.message}") from None
    return {n: point[n] for n in names}


_BUILDERS = {"grid": _grid, "latin": _sampled, "sobol": _sampled, "one_at_a_time": _one_at_a_time}
