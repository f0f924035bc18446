"""Calibration targets as data: documented figures, and how to compute each one from model output.

The targets live in a TOML file (``scenarios/targets.toml``), one ``[[target]]`` table each::

    [[target]]
    name = "isk_attacks_2022"
    description = "IS-K attacks in Afghanistan in calendar 2022"
    column = "isk_attacks"               # an outcome column (regime-sim's timeseries.csv)
    statistic = "sum"                    # see STATISTICS
    window = ["2022-01", "2022-12"]      # or one month: window = "2021-10"
    observed = [140, 200]                # a figure, or a range [low, high]
    tolerance = 20                       # how far from the figure still counts as met
    role = "fit"                         # fit (calibration uses it) | check (only reported)
    source = "seeds; ACLED (199 events) via EUAA Country Guidance, May 2024"
    claims = ["ALI:79", "ALI:132"]       # optional seed claim ids

Each statistic is computed per replicate (pattern-oriented modelling, Grimm et al. 2005);
a target reports the median and 10-90% band across replicates and is met when the median
lies within the observed range widened by the tolerance (``within tolerance``). Where the
observed range is wider than the tolerance, the median must also lie inside the range itself
(``in range``): a range that wide already spans the figures' disagreement, and a median in its
margin would count a figure the record does not give as met (issue 29: IS-K attacks in 2023,
81.5 against 40-70, met within a tolerance of 15). History matching requires it too
(:meth:`Target.range_implausibility`).

``reference_class = "..."`` marks an outside-view check (role ``check``): a base rate of
comparable regimes, not the record of the case (the regime's ten-year survival against the
survival of autocracies of a reference class); :func:`outside_view` reports them together. ``share`` is a statistic of the
whole set of replicates: the share in which the column stays non-zero through the window.

A run ends at the regime's fall, so a replicate that fell before a target's window ended has
no value there. The fall is a state, not a gap, where the statistic allows it: ``share`` counts
every replicate, the months after a fall as zero, so the regime's survival through a window
counts the falls; a ``sum`` of the regime's events (:data:`REGIME_EVENTS`: recognitions, splits,
border closures, ...) counts every replicate too, a fallen regime having none after its fall.
The other statistics are computed on the replicates whose regime stood to the end of the window
(survivors only), and the report says so and how many (``replicates``, ``basis``).
A target whose column the model does not output yet says why in ``pending``; it is listed
but not evaluated.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Mapping

import numpy as np
import pandas as pd

from sim.model.calendar import month_date, month_index
from sim.model.params import closest_name
from sim.model.provenance import bundled_dir, claims
from sim.runs.scenario import ScenarioError

STATISTICS = {
    "value": "the value in one month",
    "sum": "the sum over the window",
    "mean": "the mean over the window",
    "max": "the largest monthly value in the window",
    "min": "the smallest monthly value in the window",
    "ratio": "the mean over the window divided by the mean over base_window",
    "growth": "the mean over the window over the mean over base_window, minus 1 (e.g. yearly GDP growth)",
    "share": "the share of replicates in which the column is non-zero in every month of the window",
}
ROLES = ("fit", "check")
KEYS = {"name", "description", "column", "statistic", "window", "base_window", "before_run", "observed",
        "tolerance", "role", "source", "claims", "note", "pending", "reference_class"}
REQUIRED = ("name", "description", "column", "statistic", "window", "observed", "tolerance", "role", "source")
BAND = (0.1, 0.9)
# events of the regime itself: none after it falls, so a sum over a window counts every replicate
REGIME_EVENTS = ("faction_splits", "border_closures", "formal_recognitions", "commanders_killed")


def default_path() -> Path:
    """The shipped targets file."""
    return bundled_dir("scenarios") / "targets.toml"


@dataclass(frozen=True)
class Target:
    """One documented figure and the statistic of the model's output that should match it."""

    name: str
    description: str
    column: str
    statistic: str
    window: tuple[int, int]
    low: float
    high: float
    tolerance: float
    role: str
    source: str
    claims: tuple[str, ...] = ()
    base_window: tuple[int, int] | None = None
    before_run: float | None = None
    note: str = ""
    pending: str = ""
    reference_class: str = ""  # an outside-view check: the reference class whose base rate it holds

    @property
    def available(self) -> bool:
        """Whether the model outputs this target's column."""
        from sim.model.outcomes import OUTCOMES
        return self.column in OUTCOMES

    @property
    def last_month(self) -> int:
        """The last month index the target reads (the run must reach it)."""
        return max(self.window[1], self.base_window[1] if self.base_window else -1)

    @property
    def window_text(self) -> str:
        return _window_text(self.window) + (f" vs {_window_text(self.base_window)}" if self.base_window else "")

    @property
    def observed_text(self) -> str:
        figure = f"{self.low:,.4g}" if self.low == self.high else f"{self.low:,.4g} to {self.high:,.4g}"
        return figure + (f" (+/- {self.tolerance:,.4g})" if self.tolerance else "")

    def per_run(self, series: np.ndarray) -> np.ndarray:
        """The statistic of each run, from a (runs x months) array of the column (NaN in the months
        after a run ended at the regime's fall): NaN for a run that ended before the window did,
        except for ``share``."""
        def window(bounds):
            start, end = bounds
            if end >= series.shape[1]:  # every run ended (its regime fell) before the window did
                return np.full((len(series), end - start + 1), np.nan)
            if start < 0:  # months before August 2021 take the before_run value
                pad = np.full((len(series), min(end + 1, 0) - start), self.before_run, dtype=float)
                return np.hstack([pad, series[:, : max(end + 1, 0)]])
            return series[:, start: end + 1]

        data = window(self.window)
        if self.statistic in ("value", "mean"):
            return data.mean(axis=1)
        if self.statistic == "sum":
            return data.sum(axis=1)
        if self.statistic == "max":
            return data.max(axis=1)
        if self.statistic == "min":
            return data.min(axis=1)
        if self.statistic == "share":  # months after a fall (NaN: the run had ended) count as zero
            return (np.nan_to_num(data, nan=0.0) != 0).all(axis=1).astype(float)
        if self.over_all:  # the regime's events: none after its fall
            data = np.nan_to_num(data, nan=0.0)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = data.mean(axis=1) / window(self.base_window).mean(axis=1)
        return ratio - 1.0 if self.statistic == "growth" else ratio

    @property
    def over_all(self) -> bool:
        """Whether the statistic counts every replicate, the fall as a state (else survivors only)."""
        return self.statistic == "share" or (self.statistic == "sum" and self.column in REGIME_EVENTS)

    @property
    def event(self) -> float | None:
        """For a share: whether the event happened in the one history there is (1: the observed range
        lies above one half, e.g. the regime held; 0 below it)."""
        return float(self.observed >= 0.5) if self.statistic == "share" else None

    def values(self, table: pd.DataFrame, by: str = "replicate") -> np.ndarray:
        """The statistic of each run of a stacked monthly table, in the order of ``by``."""
        return self.per_run(matrix(table, self.column, by)[1])

    def summary(self, values: np.ndarray) -> dict[str, float]:
        """The model's figure across replicates: mean, variance, median and 10-90% band.

        For ``share`` the figure is the share itself; its variance is the sampling variance
        of a share of n replicates, p(1-p)/n, and its band the normal approximation to it.
        """
        values = values[np.isfinite(values)]
        n = len(values)
        if n == 0:
            return {"n": 0, "mean": math.nan, "variance": math.nan, "median": math.nan, "p10": math.nan,
                    "p90": math.nan}
        if self.statistic == "share":
            p = float(values.mean())
            var = p * (1 - p) / n
            half = 1.2816 * math.sqrt(var)
            return {"n": n, "mean": p, "variance": var, "median": p, "p10": max(0.0, p - half),
                    "p90": min(1.0, p + half)}
        return {"n": n, "mean": float(values.mean()), "variance": float(values.var(ddof=1)) if n > 1 else 0.0,
                "median": float(np.median(values)), "p10": float(np.quantile(values, BAND[0])),
                "p90": float(np.quantile(values, BAND[1]))}

    @property
    def observed(self) -> float:
        """The figure scores compare with: the observed figure, or the middle of the observed range."""
        return (self.low + self.high) / 2

    @property
    def scale(self) -> float:
        """The unit of the scaled scores: the tolerance, or half the observed range if wider."""
        return max(self.tolerance, (self.high - self.low) / 2) or max(abs(self.observed) * 0.1, 1.0)

    def scores(self, values: np.ndarray, summary: dict | None = None) -> dict[str, float | bool]:
        """How the replicates (the ensemble: with a calibrated ensemble they carry parameter
        uncertainty as well as chance) score against the record.

        ``covered`` has one meaning for every target: the record lies within the 10-90% range of
        the replicates' own values, widened by the tolerance. For a numeric target the record is the
        observed range; for a share (an event: the regime held through the window) the record is
        whether the event happened (:attr:`event`) and the replicates' values are 0 or 1, so it is
        covered when the model gives what happened a chance above 10%.

        ``crps``: the continuous ranked probability score of the replicates' values against the
        observed figure (the middle of a range; for a share, the event's 0 or 1), the ensemble
        estimator E|X - y| - E|X - X'| / 2 (Gneiting and Raftery 2007; properscoring's
        crps_ensemble), with ``crps_fair`` the fair estimator (the pairs over n(n - 1); scoringrules'
        estimator="fair"), in the figure's units and in units of :attr:`scale` (0 is perfect).
        A share also gets the Brier score (p - y)^2 and the log score -ln P(y), with p the share of
        replicates in which the event happens (clipped to [1/(2n), 1 - 1/(2n)] for the log score)."""
        summary = summary or self.summary(values)
        finite = np.asarray(values, dtype=float)[np.isfinite(values)]
        if self.reference_class:  # a base rate of other regimes, not an event of this one: nothing to score
            return {"covered": None, "crps": math.nan, "crps_fair": math.nan, "crps_scaled": math.nan,
                    "brier": math.nan, "log_score": math.nan, "event": None}
        if self.statistic == "share":
            y, p, n = self.event, float(finite.mean()), len(finite)
            low, high = np.quantile(finite, BAND, method="inverted_cdf") if n else (math.nan, math.nan)
            covered = bool(low - self.tolerance <= y <= high + self.tolerance)
            crps, fair = crps_ensemble(finite, y), crps_ensemble(finite, y, fair=True)
            clipped = min(max(p, 1 / (2 * n)), 1 - 1 / (2 * n)) if n else math.nan
            return {"covered": covered, "crps": crps, "crps_fair": fair, "crps_scaled": crps,
                    "brier": (p - y) ** 2, "log_score": -math.log(clipped if y else 1 - clipped), "event": y}
        low, high = (np.quantile(finite, BAND) if len(finite) else (math.nan, math.nan))
        covered = bool(low - self.tolerance <= self.high and high + self.tolerance >= self.low)
        crps = crps_ensemble(finite, self.observed)
        return {"covered": covered, "crps": crps, "crps_fair": crps_ensemble(finite, self.observed, fair=True),
                "crps_scaled": crps / self.scale}

    def met(self, median: float) -> bool:
        """The model's median lies within the observed range widened by the tolerance."""
        return bool(self.low - self.tolerance <= median <= self.high + self.tolerance)

    @property
    def range_required(self) -> bool:
        """Whether the observed range is wider than the tolerance: then the model's median must lie
        inside the range itself, not only within the tolerance of it."""
        return self.high - self.low > self.tolerance

    def in_range(self, median: float) -> bool | None:
        """The model's median lies inside the observed range (None where the range is not wider
        than the tolerance, so that the tolerance alone judges)."""
        if not self.range_required:
            return None
        return bool(math.isfinite(median) and self.low <= median <= self.high)

    def range_implausibility(self, median: float, variance: float, n: int) -> float:
        """How far the model's median lies outside the observed range, in standard errors of the
        median of ``n`` replicates (1.2533 sd / sqrt(n); for ``share``, whose variance is already
        that of the share, its square root): 0 inside the range, and 0 for a target whose range is
        not wider than its tolerance. History matching takes the larger of this and
        :meth:`implausibility`, so a point is kept only if its median is inside the range up to the
        noise of its replicates."""
        if not self.range_required:
            return 0.0
        if not math.isfinite(median) or n < 1:
            return math.inf
        distance = max(self.low - median, median - self.high, 0.0)
        if self.statistic == "share":
            se = math.sqrt(max(variance, 0.0))
        else:
            se = 1.2533 * math.sqrt(max(variance, 0.0) / n)
        if se == 0:
            return 0.0 if distance == 0 else math.inf
        return distance / se

    def implausibility(self, mean: float, variance: float) -> float:
        """Distance of the model's mean from the observed range, in standard deviations of the
        model's spread across replicates and the target's tolerance (history matching,
        Craig et al. 1997; Vernon et al. 2010): |obs - mean| / sqrt(variance + tolerance^2)."""
        distance = max(self.low - mean, mean - self.high, 0.0)
        scale = math.sqrt(max(variance, 0.0) + self.tolerance ** 2)
        if not math.isfinite(mean):
            return math.inf
        if scale == 0:
            return 0.0 if distance == 0 else math.inf
        return distance / scale


def crps_ensemble(values: np.ndarray, observed: float, fair: bool = False) -> float:
    """The CRPS of an ensemble (equally weighted members) against one figure:
    mean |x_i - y| - sum |x_i - x_j| / (2 n^2) (properscoring's crps_ensemble), or with ``fair``
    the pairs over 2 n (n - 1) (the fair estimator, scoringrules' estimator="fair"); NaN for an
    empty ensemble (and for the fair one of a single member)."""
    x = np.sort(np.asarray(values, dtype=float)[np.isfinite(values)])
    n = len(x)
    if n == 0 or (fair and n == 1):
        return math.nan
    first = np.abs(x - observed).mean()
    # sum over pairs |x_i - x_j| from the sorted values: 2 sum_i (2i - n + 1) x_i, i = 0..n-1
    pairs = 2 * np.sum((2 * np.arange(n) - n + 1) * x)
    return float(first - pairs / (2 * n * (n - 1) if fair else 2 * n ** 2))


def _crps_normal(mean: float, sd: float, observed: float) -> float:
    """The CRPS of a normal distribution (a point mass when sd is 0) against one figure."""
    if sd <= 0:
        return abs(mean - observed)
    z = (observed - mean) / sd
    pdf = math.exp(-z * z / 2) / math.sqrt(2 * math.pi)
    cdf = 0.5 * (1 + math.erf(z / math.sqrt(2)))
    return sd * (z * (2 * cdf - 1) + 2 * pdf - 1 / math.sqrt(math.pi))


def _window_text(bounds: tuple[int, int]) -> str:
    start, end = (month_date(m) for m in bounds)
    return start if start == end else f"{start} to {end}"


# ---------------------------------------------------------------------------- loading

def load(path: str | Path | None = None) -> tuple[Target, ...]:
    """Read and validate a targets file; any problem raises ScenarioError naming file and key."""
    path = Path(path) if path is not None else default_path()
    if not path.is_file():
        raise ScenarioError(path, None, "no such targets file")
    try:
        with path.open("rb") as fh:
            raw = tomllib.load(fh)
    except tomllib.TOMLDecodeError as err:
        raise ScenarioError(path, None, f"malformed TOML: {err}") from None
    except UnicodeDecodeError:
        raise ScenarioError(path, None, "is not a UTF-8 text file") from None
    extra = set(raw) - {"target"}
    if extra:
        raise ScenarioError(path, sorted(extra)[0], "unknown key; a targets file holds [[target]] tables only")
    entries = raw.get("target")
    if not isinstance(entries, list) or not entries or not all(isinstance(e, dict) for e in entries):
        raise ScenarioError(path, "target", "no targets; write one [[target]] table per target")
    targets, seen = [], set()
    for i, entry in enumerate(entries):
        target = _parse(path, i, entry)
        if target.name in seen:
            raise ScenarioError(path, target.name, "two targets have this name; names must be unique")
        seen.add(target.name)
        targets.append(target)
    return tuple(targets)


def _parse(path: Path, index: int, entry: Mapping[str, Any]) -> Target:
    from sim.model.outcomes import OUTCOMES

    name = entry.get("name")
    where = name if isinstance(name, str) and name else f"target {index + 1}"

    def fail(key: str, message: str) -> ScenarioError:
        return ScenarioError(path, f"{where}.{key}", message)

    for key in entry:
        if key not in KEYS:
            hint = closest_name(key, KEYS)
            raise fail(key, "unknown key" + (f" (did you mean {hint}?)" if hint else f"; allowed: {', '.join(sorted(KEYS))}"))
    for key in REQUIRED:
        if key not in entry:
            raise fail(key, "missing")
    for key in ("name", "description", "column", "source", "note", "pending"):
        if key in entry and not (isinstance(entry[key], str) and entry[key].strip()):
            raise fail(key, "must be non-empty text in quotes")
    statistic, role, column = entry["statistic"], entry["role"], entry["column"]
    if statistic not in STATISTICS:
        raise fail("statistic", f"{statistic!r} is not a statistic; use one of {' | '.join(STATISTICS)}")
    if role not in ROLES:
        raise fail("role", f"{role!r} is not a role; use fit or check")
    allowed = [c for c in OUTCOMES if c not in ("replicate", "month", "date")]
    if column not in allowed and "pending" not in entry:
        hint = closest_name(column, allowed)
        raise fail("column", f"{column!r} is not an outcome column of the model"
                   + (f" (did you mean {hint}?)" if hint else "") + "; if the model does not output it yet, "
                   "say why in pending = \"...\"")
    before = entry.get("before_run")
    if before is not None and (isinstance(before, bool) or not isinstance(before, (int, float))):
        raise fail("before_run", f"{before!r} is not a number")
    window = _window(fail, "window", entry["window"], before)
    base = None
    if statistic in ("ratio", "growth"):
        if "base_window" not in entry:
            raise fail("base_window", f"missing; {statistic} compares the window with a base_window")
        base = _window(fail, "base_window", entry["base_window"], before)
    elif "base_window" in entry:
        raise fail("base_window", f"only ratio and growth use a base_window, not {statistic}")
    if statistic == "value" and window[0] != window[1]:
        raise fail("window", "statistic value reads one month; give one date, e.g. window = \"2021-10\"")
    low, high = _observed(fail, entry["observed"])
    tolerance = entry["tolerance"]
    if isinstance(tolerance, bool) or not isinstance(tolerance, (int, float)) or not tolerance >= 0:
        raise fail("tolerance", f"{tolerance!r} is not a number of at least 0 (in the units of the figure)")
    ids = entry.get("claims", [])
    if not isinstance(ids, list) or not all(isinstance(c, str) for c in ids):
        raise fail("claims", "must be a list of seed claim ids in quotes, e.g. [\"ALI:79\"]")
    registry = claims()
    for cid in ids:
        if cid not in registry:
            hint = closest_name(cid, registry)
            raise fail("claims", f"{cid!r} is not in seeds/claims.toml" + (f" (did you mean {hint}?)" if hint else ""))
    reference = entry.get("reference_class", "")
    if not isinstance(reference, str) or ("reference_class" in entry and not reference.strip()):
        raise fail("reference_class", "must be non-empty text in quotes (the reference class of an outside-view "
                                      "check)")
    if reference and role != "check":
        raise fail("reference_class", "an outside-view base rate is evidence from outside the case, not the record: "
                                      "give it role = \"check\"")
    return Target(name=entry["name"], description=entry["description"], column=column, statistic=statistic,
                  window=window, low=low, high=high, tolerance=float(tolerance), role=role, source=entry["source"],
                  claims=tuple(ids), base_window=base, before_run=None if before is None else float(before),
                  note=entry.get("note", ""), pending=entry.get("pending", ""), reference_class=reference)


def _window(fail, key: str, value: Any, before_run: float | None) -> tuple[int, int]:
    dates = [value] if isinstance(value, str) else value
    if not isinstance(dates, list) or not 1 <= len(dates) <= 2 or not all(isinstance(d, str) for d in dates):
        raise fail(key, f"{value!r} is not a month \"YYYY-MM\" or a pair [\"YYYY-MM\", \"YYYY-MM\"]")
    try:
        start, end = month_index(dates[0]), month_index(dates[-1])
    except ValueError as err:
        raise fail(key, str(err)) from None
    if end < start:
        raise fail(key, f"ends ({dates[-1]}) before it starts ({dates[0]})")
    if start < 0 and before_run is None:
        raise fail(key, f"starts before the run ({month_date(0)}); give before_run = the value to assume "
                        "for earlier months, or start the window later")
    return start, end


def _observed(fail, value: Any) -> tuple[float, float]:
    def number(v):
        return not isinstance(v, bool) and isinstance(v, (int, float))
    if number(value):
        return float(value), float(value)
    if isinstance(value, list) and len(value) == 2 and all(number(v) for v in value) and value[0] <= value[1]:
        return float(value[0]), float(value[1])
    raise fail("observed", f"{value!r} is not a number or a range [low, high] with low <= high")


def check_run(targets: tuple[Target, ...], months: int, path: str | Path) -> None:
    """Every target's windows lie inside a run of ``months`` months (else ScenarioError)."""
    for t in targets:
        if t.last_month >= months:
            raise ScenarioError(path, f"{t.name}.window", f"{t.window_text} reaches month {t.last_month + 1} "
                                f"({month_date(t.last_month)}) but the run has {months} months (to "
                                f"{month_date(months - 1)}); run longer (--months {t.last_month + 1}) or drop the target")


# ---------------------------------------------------------------------------- evaluation

def matrix(table: pd.DataFrame, column: str, by: str = "replicate") -> tuple[np.ndarray, np.ndarray]:
    """A column of a stacked monthly table as (runs x months), with the run keys in order; NaN in the
    months after a run ended (at the regime's fall)."""
    wide = table.pivot(index=by, columns="month", values=column).sort_index()
    return wide.index.to_numpy(), wide.to_numpy(dtype=float)


def evaluate(table: pd.DataFrame, targets: tuple[Target, ...] | None = None, *, months: int) -> list[dict]:
    """Every target on a stacked monthly table (one row per replicate and month it ran) of a run of
    ``months`` months.

    Targets the run is too short for, whose column the model lacks, or whose window no replicate
    reached (every regime fell before it ended) get value None. ``replicates`` counts the replicates
    a target is scored on (those that reached the end of its window; all of them for ``share``)
    and ``replicates_total`` all of them.
    """
    targets = default_targets() if targets is None else targets
    total = table["replicate"].nunique()
    rows = []
    for t in targets:
        row = describe(t) | {"replicates_total": total}
        values = t.values(table) if t.available and t.last_month < months else np.array([])
        reached = int(np.isfinite(values).sum())
        if not t.available:
            why = f"the model does not output {t.column!r}: {t.pending}"
        elif t.last_month >= months:
            why = f"the run ends before {month_date(t.last_month)}"
        elif not reached:
            why = f"no replicate reached {month_date(t.last_month)}: every regime fell before"
        else:
            s = t.summary(values)
            rows.append(row | {"value": s["median"], "p10": s["p10"], "p90": s["p90"], "met": t.met(s["median"]),
                               "in_range": t.in_range(s["median"]), "mean": s["mean"],
                               "implausibility": t.implausibility(s["mean"], s["variance"]),
                               "replicates": reached, "basis": basis(t, reached, total),
                               **t.scores(values, s)})
            continue
        rows.append(row | {"value": None, "p10": None, "p90": None, "met": None, "in_range": None, "replicates": 0,
                           "not_evaluated": why})
    return rows


def basis(t: Target, reached: int, total: int) -> str:
    """Which replicates a target's statistic is over."""
    if t.statistic == "share":
        return "all replicates (a fall counts as the event not happening)"
    if t.over_all:
        return "all replicates (none after a fall)"
    return "all replicates" if reached == total else f"survivors only ({reached} of {total} stood to the window's end)"


def describe(t: Target) -> dict:
    """A target's declaration as a flat record (for summary.json and validation.csv)."""
    return {"target": t.name, "description": t.description, "role": t.role, "column": t.column,
            "statistic": t.statistic, "window": t.window_text, "low": t.low, "high": t.high,
            "tolerance": t.tolerance, "source": t.source, "claims": list(t.claims),
            "reference_class": t.reference_class}


def outside_view(rows: list[dict]) -> list[str]:
    """The outside view, one line per reference class: the model's figure (e.g. the documented
    path's ten-year survival) beside the base rate of comparable regimes, and whether it lies
    below, inside or above it. Empty when no evaluated target has a ``reference_class``."""
    lines = []
    for r in rows:
        if not r.get("reference_class"):
            continue
        base = f"{r['low']:.2f}" if r["low"] == r["high"] else f"{r['low']:.2f} to {r['high']:.2f}"
        if r.get("value") is None:
            lines.append(f"outside view: {r['reference_class']}: base rate {base}; the model's figure is not "
                         f"evaluated ({r.get('not_evaluated', 'no value')})")
            continue
        value = r["value"]
        where = "below" if value < r["low"] - r["tolerance"] else "above" if value > r["high"] + r["tolerance"] else \
            "inside"
        low, high = share_interval(value, r["replicates"])
        overlaps = "overlaps" if low <= r["high"] and high >= r["low"] else "lies outside"
        lines.append(f"outside view ({r['target']}): the model {value:.2f} ({low:.2f}-{high:.2f}, 95%) against "
                     f"{base} for {r['reference_class']}: {where} the base rate, its interval {overlaps} it "
                     f"({r['replicates']} replicates)")
    return lines


def share_interval(share: float, replicates: int, level: float = 0.95) -> tuple[float, float]:
    """The exact (Clopper-Pearson) interval of a share of replicates: how far chance and the members drawn
    leave the model's own figure uncertain (40 of 40 replicates standing is consistent with 0.91)."""
    from scipy.stats import binomtest

    n = int(replicates)
    ci = binomtest(int(round(share * n)), n).proportion_ci(level, method="exact")
    return float(ci.low), float(ci.high)


@cache
def default_targets() -> tuple[Target, ...]:
    return load(default_path())
