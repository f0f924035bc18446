"""Scenario discovery: the regions of the lever space where an outcome holds, found with PRIM.

PRIM (the Patient Rule Induction Method, Friedman and Fisher 1999; Bryant and Lempert 2010
for scenario discovery) looks for a box, a range on some of the swept parameters, inside
which the runs of interest are concentrated. Peeling starts from the box holding every run
and repeatedly cuts off a small share (``alpha``) of the runs at the low or the high end of
one parameter, the cut that most raises the share of runs of interest left inside
(*density*), until the box holds fewer than ``min_mass`` of the runs. Every step is a box
on the peeling trajectory, which trades *coverage* (the share of all runs of interest the
box holds) against density. The chosen box (the densest with at least ``min_coverage``)
is then pasted (a bound is widened again while that raises density) and simplified (a
bound that buys almost no density is lifted), so the box names only what matters.

A point's replicates are one unit: PRIM runs on the design's points, each with the share of
its replicates that are of interest (weighted by its runs), so ten replicates of one point do
not count as ten independent observations. The box then gets

- a **quasi-p-value for each restricted bound** (Bryant and Lempert 2010; ema_workbench's rule):
  a one-sided binomial test of the box's cases of interest (Hbox of Tbox) against the share of
  interest in the box with that bound lifted (Hj / Tj), with the points as the cases (Hbox: the
  sum of the shares of interest of the box's points, rounded; with one run per point it is
  ema_workbench's test exactly, which tests/analysis/test_discovery.py checks when ema_workbench
  is installed). A dimension's p is that of its most significant bound; it is significant below
  0.05 divided by the number of restricted bounds (Bonferroni), and never when the bound
  excludes fewer than :data:`MIN_EXCLUDED` points (a comparison with one excluded point says
  nothing). The box was chosen on the same data, so read the p-values as a screen, not a
  confirmatory test;
- **resampling** (ema_workbench's rule): PRIM's peeling rerun on half the points drawn without
  replacement; in each, the step whose coverage is closest to the box's ("reproduce coverage")
  and the step whose density is ("reproduce density"), and how often each dimension is
  restricted there, with the 95% range of its bounds and of the boxes' density and coverage on
  the original points. A restriction kept in fewer than half the resamples is marked unstable.

The runs of interest are given as conditions on a sweep's runs table: ``survived``,
``isk_fighters_final < 5000``, joined with ``and``, ``or`` and ``not``; or, for cause-specific
boxes, as a cause of the regime's fall (``--cause "civil war"``: the runs that fell by that cause, the
runs that fell otherwise or stood being the rest).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from sim.model.mechanisms.survival import CAUSES
from sim.runs import run_stats
from sim.model.params import SPEC_BY_NAME
from sim.runs.scenario import ScenarioError

ALPHA = 0.05
MIN_MASS = 0.05
MIN_COVERAGE = 0.5
TOLERANCE = 0.02  # density a simpler box may give up (choose and simplify)
_TOKEN = re.compile(r"\s*(?:(?P<op><=|>=|==|!=|<|>)|(?P<num>-?\d+(?:\.\d*)?(?:[eE][-+]?\d+)?)"
                    r"|(?P<name>[A-Za-z_][A-Za-z0-9_.]*))")


BOOTSTRAP = 100  # resamples of the points (half of them each, without replacement)
SIGNIFICANCE = 0.05
MIN_EXCLUDED = 10  # a restriction that excludes fewer points is never significant
STABLE = 0.5  # a restriction kept in fewer of the resamples is unstable


@dataclass(frozen=True)
class Box:
    """Ranges on the parameters it restricts, with what it holds (runs counted through their points)."""

    limits: dict[str, tuple[float, float]]
    coverage: float
    density: float
    mass: float
    runs: int
    hits: int
    points: int = 0

    def bounded(self, full: dict[str, tuple[float, float]]) -> dict[str, tuple[float, float]]:
        """The limits with an open end replaced by the data's range."""
        return {n: (max(lo, full[n][0]), min(hi, full[n][1])) for n, (lo, hi) in self.limits.items()}

    def inside(self, X: pd.DataFrame) -> np.ndarray:
        mask = np.ones(len(X), dtype=bool)
        for name, (low, high) in self.limits.items():
            mask &= (X[name].to_numpy() >= low) & (X[name].to_numpy() <= high)
        return mask


def _box(X: pd.DataFrame, y: np.ndarray, w: np.ndarray, limits: dict[str, tuple[float, float]]) -> Box:
    """The box with these limits over points with shares of interest ``y`` and runs ``w``."""
    mask = Box(limits, 0, 0, 0, 0, 0).inside(X)
    hits, runs = float((y * w)[mask].sum()), float(w[mask].sum())
    return Box(limits, hits / max(float((y * w).sum()), 1e-300), hits / max(runs, 1e-300),
               runs / float(w.sum()), int(round(runs)), int(round(hits)), int(mask.sum()))


def _cuts(x: np.ndarray, alpha: float):
    """The two candidate peels of one parameter: the rows each would remove (low end, high end)."""
    for side, q in (("low", np.quantile(x, alpha)), ("high", np.quantile(x, 1 - alpha))):
        removed = x < q if side == "low" else x > q
        if not removed.any():
            removed = x <= q if side == "low" else x >= q  # tied values (a grid): peel the whole level
        if removed.any() and not removed.all():
            yield side, removed


def peel(X: pd.DataFrame, y: np.ndarray, w: np.ndarray, alpha: float = ALPHA,
         min_mass: float = MIN_MASS) -> list[Box]:
    """The peeling trajectory, from the box holding every point to the smallest box allowed."""
    data = X.to_numpy(dtype=float)
    names = list(X.columns)
    box = _box(X, y, w, {})
    trajectory = [box]
    while box.density < 1.0:
        rows = np.flatnonzero(box.inside(X))
        best = None
        for j, name in enumerate(names):
            x = data[rows, j]
            for side, removed in _cuts(x, alpha):
                kept = rows[~removed]
                if len(kept) < min_mass * len(X):
                    continue
                key = ((y * w)[kept].sum() / w[kept].sum(), len(kept))
                if best is None or key > best[0]:
                    low, high = box.limits.get(name, (-np.inf, np.inf))
                    bound = (x[~removed].min(), high) if side == "low" else (low, x[~removed].max())
                    best = (key, name, bound)
        if best is None:
            break
        box = _box(X, y, w, box.limits | {best[1]: tuple(float(v) for v in best[2])})
        trajectory.append(box)
    return trajectory


def paste(X: pd.DataFrame, y: np.ndarray, w: np.ndarray, box: Box, alpha: float = ALPHA) -> Box:
    """Widen the box's bounds again, one step at a time, while that raises its density."""
    while True:
        step = max(1, int(round(alpha * box.points)))
        best = None
        for name, (low, high) in box.limits.items():
            others = Box({k: v for k, v in box.limits.items() if k != name}, 0, 0, 0, 0, 0).inside(X)
            x = X[name].to_numpy()
            below, above = np.sort(x[others & (x < low)])[::-1], np.sort(x[others & (x > high)])
            grown = []
            if len(below):
                grown.append((float(below[min(step, len(below)) - 1]), high))
            if len(above):
                grown.append((low, float(above[min(step, len(above)) - 1])))
            for bound in grown:
                candidate = _box(X, y, w, box.limits | {name: bound})
                if candidate.density > box.density and (best is None or candidate.density > best.density):
                    best = candidate
        if best is None:
            return box
        box = best


def choose(trajectory: list[Box], min_coverage: float = MIN_COVERAGE) -> int:
    """The first box on the trajectory within ``TOLERANCE`` of the best density among the boxes
    that still cover ``min_coverage`` of the runs of interest (the later peels only chase noise)."""
    eligible = [i for i, b in enumerate(trajectory) if b.coverage >= min_coverage] or [0]
    best = max(trajectory[i].density for i in eligible)
    return next(i for i in eligible if trajectory[i].density >= best - TOLERANCE)


def simplify(X: pd.DataFrame, y: np.ndarray, w: np.ndarray, box: Box) -> Box:
    """Lift each bound whose removal costs less than ``TOLERANCE / 2`` of density (least costly first)."""
    while True:
        options = []
        for name, (low, high) in box.limits.items():
            for lifted in ((-np.inf, high), (low, np.inf)):
                if lifted != (low, high):
                    limits = {k: v for k, v in box.limits.items() if k != name}
                    if np.isfinite(lifted).any():
                        limits[name] = lifted
                    options.append(_box(X, y, w, limits))
        if not options:
            return box
        simpler = max(options, key=lambda b: b.density)
        if box.density - simpler.density >= TOLERANCE / 2:
            return box
        box = simpler


def prim(X: pd.DataFrame, y: np.ndarray, w: np.ndarray, min_coverage: float = MIN_COVERAGE,
         alpha: float = ALPHA, min_mass: float = MIN_MASS) -> tuple[list[Box], int, Box]:
    """Peel, choose, paste and simplify: the trajectory, the chosen step and the final box."""
    trajectory = peel(X, y, w, alpha, min_mass)
    chosen = choose(trajectory, min_coverage)
    return trajectory, chosen, simplify(X, y, w, paste(X, y, w, trajectory[chosen], alpha))


def quasi_p(X: pd.DataFrame, y: np.ndarray, limits: dict[str, tuple[float, float]]) -> dict[str, dict]:
    """Each restricted bound's quasi-p-value (ema_workbench's one-sided binomial test, the points as
    cases): {dimension: {"low"/"high": {"p": ..., "excluded": points the bound alone excludes}}}."""
    from scipy.stats import binomtest

    y = np.asarray(y, dtype=float)
    inside = Box(limits, 0, 0, 0, 0, 0).inside(X)
    t_box, h_box = int(inside.sum()), int(round(float(y[inside].sum())))
    out = {}
    for name, (low, high) in limits.items():
        bounds = {}
        for side, lifted in (("low", (-np.inf, high)), ("high", (low, np.inf))):
            if lifted == (low, high) or (side == "low" and low <= float(X[name].min())) or \
                    (side == "high" and high >= float(X[name].max())):
                continue  # this end is not restricted
            relaxed = Box(limits | {name: lifted}, 0, 0, 0, 0, 0).inside(X)
            t_j = int(relaxed.sum())
            share = float(y[relaxed].sum()) / t_j if t_j else 0.0
            p = float(binomtest(h_box, t_box, share, alternative="greater").pvalue) if t_box else 1.0
            bounds[side] = {"p": p, "excluded": t_j - t_box}
        out[name] = bounds
    return out


def significance(X: pd.DataFrame, y: np.ndarray, limits: dict[str, tuple[float, float]]) -> dict[str, float]:
    """Each restricted dimension's quasi-p-value: that of its most significant bound (1 if none)."""
    return {name: min((b["p"] for b in bounds.values()), default=1.0)
            for name, bounds in quasi_p(X, y, limits).items()}


def resample(X: pd.DataFrame, y: np.ndarray, w: np.ndarray, resamples: int, seed: int = 0,
             box: Box | None = None, share: float = 0.5, **settings) -> dict:
    """ema_workbench's resampling: PRIM's peeling on ``share`` of the points drawn without
    replacement; in each, the steps closest in coverage and in density to ``box``; how often each
    dimension is restricted there, the 95% range of its bounds, and the density and coverage of the
    reproduce-coverage boxes on the original points."""
    rng = np.random.default_rng(seed)
    full = {n: (float(X[n].min()), float(X[n].max())) for n in X.columns}
    box = box or prim(X, y, w, **settings)[2]
    restricted = {n: [] for n in X.columns}
    by_density = {n: 0 for n in X.columns}
    density, coverage = [], []
    size = max(2, int(len(X) * share))
    peel_settings = {k: v for k, v in settings.items() if k in ("alpha", "min_mass")}
    for _ in range(resamples):
        rows = rng.choice(len(X), size=size, replace=False)
        trajectory = peel(X.iloc[rows].reset_index(drop=True), y[rows], w[rows], **peel_settings)
        near = min(trajectory, key=lambda b: abs(b.coverage - box.coverage))
        dense = min(trajectory, key=lambda b: abs(b.density - box.density))
        for name, bounds in near.bounded(full).items():
            restricted[name].append(bounds)
        for name in dense.limits:
            by_density[name] += 1
        again = _box(X, y, w, near.limits)
        density.append(again.density)
        coverage.append(again.coverage)
    out = {"resamples": resamples, "rule": f"ema_workbench's: peeling on {share:.0%} of the points without "
                                          "replacement, the step closest in coverage (and in density) to the box",
           "density_95": _range(density), "coverage_95": _range(coverage), "dimensions": {}}
    for name, bounds in restricted.items():
        found = np.array(bounds).reshape(-1, 2)
        out["dimensions"][name] = {"restricted_share": len(bounds) / max(resamples, 1),
                                   "restricted_share_density": by_density[name] / max(resamples, 1),
                                   "low_95": _range(found[:, 0]) if len(found) else None,
                                   "high_95": _range(found[:, 1]) if len(found) else None}
    return out


def _range(values) -> list[float] | None:
    values = np.asarray(values, dtype=float)
    return [float(np.quantile(values, 0.025)), float(np.quantile(values, 0.975))] if len(values) else None


# ------------------------------------------------------------------ conditions on the runs table
def condition(text: str, frame: pd.DataFrame, where: str, parameters=()) -> np.ndarray:
    """Evaluate ``text`` (comparisons joined by and / or / not) on the runs table; one clear error if bad."""
    tokens, pos = [], 0
    text = text.strip()
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if not match or match.end() == pos:
            raise _unreadable(where, text, f"cannot read {text[pos:]!r}")
        tokens.append((match.lastgroup, match.group(match.lastgroup)))
        pos = match.end()
    if not tokens:
        raise _unreadable(where, text, "is empty")

    def value(name: str) -> np.ndarray:
        column = name if name in parameters else run_stats.column(name, where)
        if column not in frame:
            raise ScenarioError(where, name, "is not kept by this sweep (add it to the [sweep] outcomes)")
        return frame[column].to_numpy(dtype=float)

    def atom(i: int) -> tuple[np.ndarray, int]:
        kind, word = tokens[i] if i < len(tokens) else (None, None)
        if kind == "name" and word == "not":
            result, i = atom(i + 1)
            return ~result, i
        if kind != "name" or word in ("and", "or"):
            raise _unreadable(where, text, "expected an outcome name" + (f" before {word!r}" if word else " at the end"))
        left = value(word)
        if i + 1 < len(tokens) and tokens[i + 1][0] == "op":
            if i + 2 >= len(tokens) or tokens[i + 2][0] != "num":
                raise _unreadable(where, text, f"expected a number after {word} {tokens[i + 1][1]}")
            op, number = tokens[i + 1][1], float(tokens[i + 2][1])
            compare = {"<": np.less, "<=": np.less_equal, ">": np.greater, ">=": np.greater_equal,
                       "==": np.equal, "!=": np.not_equal}[op]
            return compare(left, number), i + 3
        return np.nan_to_num(left) != 0, i + 1

    def joined(i: int, word: str, inner) -> tuple[np.ndarray, int]:
        result, i = inner(i)
        while i < len(tokens) and tokens[i] == ("name", word):
            more, i = inner(i + 1)
            result = (result & more) if word == "and" else (result | more)
        return result, i

    result, end = joined(0, "or", lambda i: joined(i, "and", atom))
    if end != len(tokens):
        raise _unreadable(where, text, f"unexpected {tokens[end][1]!r}; join conditions with and / or")
    return result


def fell_by(cause: str, frame: pd.DataFrame) -> np.ndarray:
    """The runs whose regime fell by ``cause`` (one of :data:`CAUSES`); one clear error otherwise."""
    if cause not in CAUSES:
        from sim.model.params import closest_name

        hint = closest_name(cause, CAUSES)
        raise ScenarioError("--cause", cause, "is not a fall cause" + (f" (did you mean {hint}?)" if hint else "")
                            + f"; the causes are {', '.join(CAUSES)}")
    if "fall_cause" not in frame:
        raise ScenarioError("--cause", cause, "this sweep's runs table records no fall_cause")
    return (frame["fall_cause"] == cause).to_numpy()


def _unreadable(where: str, text: str, why: str) -> ScenarioError:
    return ScenarioError(where, repr(text), f"{why}; write conditions such as survived, "
                                            "isk_fighters_final < 5000, joined by and, or, not")


# ------------------------------------------------------------------ a sweep folder
@dataclass
class Discovery:
    """What PRIM found in a sweep, and how to say it."""

    outcome: str
    where: str | None
    parameters: list[str]
    trajectory: list[Box]
    chosen: int
    box: Box
    runs: int
    of_interest: int
    failed: int
    full: dict[str, tuple[float, float]]
    skipped: list[str] = field(default_factory=list)
    X: pd.DataFrame | None = field(default=None, repr=False)  # the parameters of each point
    y: np.ndarray | None = field(default=None, repr=False)  # each point's share of runs of interest
    weights: np.ndarray | None = field(default=None, repr=False)  # each point's runs
    p_values: dict[str, float] = field(default_factory=dict)  # each restricted dimension's
    bootstrap: dict = field(default_factory=dict)
    bounds_p: dict[str, dict] = field(default_factory=dict)  # each restricted bound's quasi-p and excluded points

    @property
    def points(self) -> int:
        return 0 if self.X is None else len(self.X)

    def sentence(self) -> str:
        what = ("the regime survives" if self.outcome == "survived" and not self.where else
                f"\"{self.outcome}{' and ' + self.where if self.where else ''}\" holds")
        share = self.of_interest / max(self.runs, 1)
        if not self.box.limits:
            return (f"{what} in {share:.0%} of all {self.runs} runs; no box of the swept parameters "
                    "concentrates these runs better than the whole space")
        return (f"{what} in {self.box.density:.0%} of runs when {describe(self.box.limits, self.full)} (against "
                f"{share:.0%} over the whole sweep); this box covers {self.box.coverage:.0%} of those runs "
                f"({self.box.hits} of {self.of_interest}) and holds {self.box.mass:.0%} of all runs "
                f"({self.box.points} of {self.points} points){self.evidence()}")

    def excluded(self, name: str) -> int:
        """The points the dimension's most significant bound alone excludes."""
        bounds = self.bounds_p.get(name, {})
        return min(bounds.values(), key=lambda b: b["p"])["excluded"] if bounds else 0

    def significant(self, name: str) -> bool:
        """Whether a restriction is significant: its quasi-p below 0.05 over the restricted bounds
        (Bonferroni), on at least MIN_EXCLUDED excluded points."""
        tests = max(sum(len(b) for b in self.bounds_p.values()), 1)
        return self.p_values.get(name, 1.0) < SIGNIFICANCE / tests and self.excluded(name) >= MIN_EXCLUDED

    def stable(self, name: str) -> bool:
        dims = self.bootstrap.get("dimensions", {})
        return name not in dims or dims[name]["restricted_share"] >= STABLE

    def evidence(self) -> str:
        """Each restriction's quasi-p-value and how often the resampled boxes make it."""
        if not self.p_values:
            return ""
        dims = self.bootstrap.get("dimensions", {})
        parts = []
        for n in self.box.limits:
            why = "" if self.significant(n) else (
                f" (not significant: it excludes {self.excluded(n)} point(s), fewer than {MIN_EXCLUDED})"
                if self.excluded(n) < MIN_EXCLUDED else " (not significant)")
            kept = (f", in {dims[n]['restricted_share']:.0%} of {self.bootstrap['resamples']} resamples"
                    + ("" if self.stable(n) else " (UNSTABLE: fewer than half)") if n in dims else "")
            parts.append(f"{_short(n)} quasi-p = {_p(self.p_values[n])}{why}{kept}")
        return "; restrictions (binomial quasi-p over points; resampling): " + "; ".join(parts)


def _short(name: str) -> str:
    return SPEC_BY_NAME[name].label if name in SPEC_BY_NAME else name


def _p(value: float) -> str:
    return "< 0.001" if value < 0.001 else f"{value:.2g}"


def describe(limits: dict[str, tuple[float, float]], full: dict | None = None) -> str:
    """A box's ranges in words: 'sanctions is at most 0.5 and moderation is between 0.2 and 0.6'."""
    parts = []
    for name, (low, high) in limits.items():
        label = SPEC_BY_NAME[name].label if name in SPEC_BY_NAME else name
        lo_free = low == -np.inf or (full is not None and low <= full[name][0])
        hi_free = high == np.inf or (full is not None and high >= full[name][1])
        if lo_free:
            parts.append(f"{label} is at most {_number(high)}")
        elif hi_free:
            parts.append(f"{label} is at least {_number(low)}")
        elif _number(low) == _number(high):
            parts.append(f"{label} is {_number(low)}")
        else:
            parts.append(f"{label} is between {_number(low)} and {_number(high)}")
    return ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1]


def _number(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.2g}"


def load_sweep(folder: Path) -> tuple[dict, pd.DataFrame]:
    """A finished sweep's manifest and runs table; one clear error for a folder that is not one."""
    from sim.runs.store import parts, read_runs
    from sim.runs.sweep import Shard, read_manifest

    folder = Path(folder)
    if not folder.is_dir():
        raise ScenarioError(folder, None, "no such folder; give a sweep's output folder")
    manifest = read_manifest(folder)
    if not parts(folder, "runs"):
        raise ScenarioError(folder, None, "holds no finished runs (an empty sweep); run the sweep first")
    runs = read_runs(folder)
    expected = len(Shard.parse(manifest["shard"]).run_ids(manifest["run"]["runs"]))
    if len(runs) < expected:
        raise ScenarioError(folder, None, f"is unfinished ({len(runs)} of {expected} runs); finish it with "
                                          "'regime-sim sweep SCENARIO --out FOLDER --resume' first")
    return manifest, runs


def discover(manifest: dict, runs: pd.DataFrame, outcome: str | None, where: str | None = None,
             min_coverage: float = MIN_COVERAGE, alpha: float = ALPHA, min_mass: float = MIN_MASS,
             resamples: int = BOOTSTRAP, seed: int = 0, cause: str | None = None) -> Discovery:
    """PRIM on a sweep's runs: the box of swept parameters where ``outcome`` (and ``where``) holds,
    with a point's replicates as one unit. ``cause`` (instead of ``outcome``): the runs of interest are
    those whose regime fell by that cause (:data:`CAUSES`), the other causes and survival not."""
    names = manifest["design"]["parameters"]
    numeric = [n for n in names if n in SPEC_BY_NAME and not SPEC_BY_NAME[n].choices]
    ok = runs[runs["status"] == "ok"].reset_index(drop=True)
    if ok.empty:
        raise ScenarioError("sweep", None, "every run failed; nothing to discover (see summary.json)")
    if cause is not None:
        y, outcome = fell_by(cause, ok), f"fell by {cause}"
        if not y.any():
            raise ScenarioError("--cause", cause, f"no run of this sweep fell by it (of {len(ok)} runs, "
                                                  f"{int((ok['fall_cause'].notna()).sum())} fell); no box to find")
    else:
        y = condition(outcome, ok, "--outcome", names)
    if where:
        y &= condition(where, ok, "--where", names)
    X = ok[numeric].astype(float)
    X = X.loc[:, X.nunique() > 1]
    if X.shape[1] == 0:
        raise ScenarioError("sweep", None, "varies no numeric parameter; PRIM needs at least one")
    groups = ok["point"].to_numpy() if "point" in ok else None
    return run(X, y, outcome, where, min_coverage, alpha, min_mass, failed=len(runs) - len(ok),
               skipped=[n for n in names if n not in X.columns], groups=groups, resamples=resamples, seed=seed)


def run(X: pd.DataFrame, y: np.ndarray, outcome: str = "y", where: str | None = None,
        min_coverage: float = MIN_COVERAGE, alpha: float = ALPHA, min_mass: float = MIN_MASS,
        failed: int = 0, skipped=(), groups=None, resamples: int = BOOTSTRAP, seed: int = 0) -> Discovery:
    """PRIM on a table of parameters ``X`` and the runs of interest ``y``; runs with the same
    ``groups`` value (a point's replicates) are one unit (default: each run its own)."""
    y = np.asarray(y, dtype=bool)
    frame = X.reset_index(drop=True).assign(_y=y.astype(float),
                                            _g=np.arange(len(X)) if groups is None else np.asarray(groups))
    by = frame.groupby("_g", sort=True)
    points = by[list(X.columns)].first().reset_index(drop=True)
    share, weights = by["_y"].mean().to_numpy(), by.size().to_numpy(dtype=float)
    settings = {"min_coverage": min_coverage, "alpha": alpha, "min_mass": min_mass}
    trajectory, chosen, box = prim(points, share, weights, **settings)
    full = {n: (float(X[n].min()), float(X[n].max())) for n in X.columns}
    bounds = quasi_p(points, share, box.limits)
    p_values = {n: min((b["p"] for b in v.values()), default=1.0) for n, v in bounds.items()}
    return Discovery(outcome, where, list(X.columns), trajectory, chosen, box, len(X), int(y.sum()), failed, full,
                     list(skipped), points, share, weights, p_values,
                     resample(points, share, weights, resamples, seed, box=box, **settings) if resamples else {},
                     bounds)


def write(found: Discovery, out: Path, fmt: str = "png", record: dict | None = None) -> list[Path]:
    """trajectory.csv, discovery.json, the trade-off curve and the chosen box in all its dimensions."""
    from sim.runs.outputs import write_json

    out.mkdir(parents=True, exist_ok=True)
    table = pd.DataFrame([{"step": i, "coverage": b.coverage, "density": b.density, "mass": b.mass,
                           "runs": b.runs, "points": b.points, "restricted": len(b.limits),
                           "limits": json.dumps(b.bounded(found.full))} for i, b in enumerate(found.trajectory)])
    paths = [out / "trajectory.csv", out / f"tradeoff.{fmt}", out / f"box.{fmt}", out / "discovery.json"]
    table.to_csv(paths[0], index=False, float_format="%.6g")
    tradeoff_figure(found, table).savefig(paths[1], dpi=300)
    box_figure(found).savefig(paths[2], dpi=300)
    limits = found.box.bounded(found.full)
    write_json(paths[3], {**(record or {}), "outcome": found.outcome, "where": found.where,
                          "runs": found.runs, "points": found.points, "runs_failed": found.failed,
                          "runs_of_interest": found.of_interest, "units": "points (a point's replicates are one unit)",
                          "parameters": found.parameters, "not_used": found.skipped, "chosen_step": found.chosen,
                          "box": {"limits": limits, "coverage": found.box.coverage, "density": found.box.density,
                                  "mass": found.box.mass, "points": found.box.points},
                          "significance": {n: {"p_value": found.p_values[n], "significant": found.significant(n),
                                               "excluded_points": found.excluded(n), "bounds": found.bounds_p[n],
                                               "stable": found.stable(n)}
                                           for n in found.box.limits},
                          "significance_test": "quasi-p-value of each restricted bound (Bryant and Lempert 2010; "
                                               "ema_workbench's one-sided binomial test, the points as cases); "
                                               f"significant below {SIGNIFICANCE:g} / restricted bounds (Bonferroni) "
                                               f"and on at least {MIN_EXCLUDED} excluded points; unstable when kept "
                                               f"in fewer than {STABLE:.0%} of the resamples",
                          "bootstrap": found.bootstrap, "in_words": found.sentence(), "alpha": ALPHA,
                          "min_mass": MIN_MASS})
    return paths


def tradeoff_figure(found: Discovery, table: pd.DataFrame):
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    fig = Figure(figsize=(5.5, 4.2), layout="constrained")
    ax = fig.subplots()
    points = ax.scatter(table["coverage"], table["density"], c=table["restricted"], cmap="viridis", s=14)
    fig.colorbar(points, ax=ax, label="parameters restricted", ticks=MaxNLocator(integer=True))
    ax.scatter([found.box.coverage], [found.box.density], marker="*", s=160, color="#D55E00",  # Okabe-Ito
               label="chosen box (after pasting)")
    ax.set_xlim(0, 1.02)
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("coverage (share of the runs of interest in the box)", fontsize=8)
    ax.set_ylabel("density (share of the box's runs of interest)", fontsize=8)
    ax.tick_params(labelsize=8)
    ax.set_title("PRIM peeling trajectory", fontsize=9)
    fig.legend(fontsize=7, loc="outside lower center", markerscale=0.6)
    return fig


def box_figure(found: Discovery):
    """The box in every swept dimension: one strip per parameter, its points placed along the
    parameter's range (coloured by their share of runs of interest), the box's range shaded,
    with each restriction's p-value and how often the bootstrap boxes make it."""
    import textwrap

    from matplotlib.figure import Figure

    names = list(found.box.limits) + [n for n in found.parameters if n not in found.box.limits]
    fig = Figure(figsize=(7.0, 1.3 + 0.55 * len(names)), layout="constrained")
    ax = fig.subplots()
    rng = np.random.default_rng(0)
    dims = found.bootstrap.get("dimensions", {})
    limits = found.box.bounded(found.full)
    colours = None
    for row, name in enumerate(names):
        low, high = found.full[name]
        width = (high - low) or 1.0
        x = (found.X[name].to_numpy() - low) / width
        y = row + rng.uniform(-0.25, 0.25, len(x))
        colours = ax.scatter(x, y, c=found.y, cmap="viridis", vmin=0, vmax=1, s=9, lw=0)
        if name in limits:
            a, b = ((v - low) / width for v in limits[name])
            ax.add_patch(_rectangle((a, row - 0.38), b - a, 0.76))
            ax.text(1.02, row, f"{_number(limits[name][0])} to {_number(limits[name][1])}\n"
                    f"quasi-p {_p(found.p_values[name])}{'' if found.significant(name) else ' (n.s.)'}"
                    + (f"; resamples {dims[name]['restricted_share']:.0%}"
                       + ("" if found.stable(name) else " UNSTABLE") if name in dims else ""),
                    va="center", fontsize=7, transform=ax.get_yaxis_transform())
        elif name in dims:
            ax.text(1.02, row, f"not restricted\nresamples {dims[name]['restricted_share']:.0%}", va="center",
                    fontsize=7, color="0.4", transform=ax.get_yaxis_transform())
    labels = [f"{_short(n)}\n[{_number(found.full[n][0])}, {_number(found.full[n][1])}]" for n in names]
    ax.set_yticks(range(len(names)), ["\n".join(textwrap.wrap(t, 30)) for t in labels], fontsize=7)
    ax.set_ylim(len(names) - 0.5, -0.5)
    ax.set_xlim(-0.03, 1.03)
    ax.set_xlabel("position in the parameter's swept range (0 = lowest, 1 = highest)", fontsize=8)
    ax.set_ylabel("swept parameter [its range]", fontsize=8)
    ax.tick_params(axis="x", labelsize=8)
    bar = fig.colorbar(colours, ax=ax, shrink=0.8, pad=0.2)
    bar.set_label("share of a point's runs of interest", fontsize=8)
    bar.ax.tick_params(labelsize=7)
    title = (f"runs of interest: {found.outcome}" + (f" and {found.where}" if found.where else "")
             + f"; box (shaded): density {found.box.density:.0%}, coverage {found.box.coverage:.0%}, "
               f"{found.box.points} of {found.points} points")
    ax.set_title("\n".join(textwrap.wrap(title, 90)), fontsize=8)
    return fig


def _rectangle(corner, width, height):
    from matplotlib.patches import Rectangle

    return Rectangle(corner, width, height, facecolor="#D55E00", alpha=0.15, edgecolor="#D55E00", lw=1.2)  # Okabe-Ito
