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

The runs of interest are given as conditions on a sweep's runs table: ``survived``,
``isk_fighters_final < 5000``, joined with ``and``, ``or`` and ``not``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from sim.runs import run_stats
from sim.model.params import SPEC_BY_NAME
from sim.runs.scenario import ScenarioError

ALPHA = 0.05
MIN_MASS = 0.05
MIN_COVERAGE = 0.5
TOLERANCE = 0.02  # density a simpler box may give up (choose and simplify)
_TOKEN = re.compile(r"\s*(?:(?P<op><=|>=|==|!=|<|>)|(?P<num>-?\d+(?:\.\d*)?(?:[eE][-+]?\d+)?)"
                    r"|(?P<name>[A-Za-z_][A-Za-z0-9_.]*))")


@dataclass(frozen=True)
class Box:
    """Ranges on the parameters it restricts, with what it holds."""

    limits: dict[str, tuple[float, float]]
    coverage: float
    density: float
    mass: float
    runs: int
    hits: int

    def bounded(self, full: dict[str, tuple[float, float]]) -> dict[str, tuple[float, float]]:
        """The limits with an open end replaced by the data's range."""
        return {n: (max(lo, full[n][0]), min(hi, full[n][1])) for n, (lo, hi) in self.limits.items()}

    def inside(self, X: pd.DataFrame) -> np.ndarray:
        mask = np.ones(len(X), dtype=bool)
        for name, (low, high) in self.limits.items():
            mask &= (X[name].to_numpy() >= low) & (X[name].to_numpy() <= high)
        return mask


def _box(X: pd.DataFrame, y: np.ndarray, limits: dict[str, tuple[float, float]]) -> Box:
    box = Box(limits, 0, 0, 0, 0, 0)
    mask = box.inside(X)
    hits = int(y[mask].sum())
    return Box(limits, hits / max(int(y.sum()), 1), hits / max(int(mask.sum()), 1), float(mask.mean()),
               int(mask.sum()), hits)


def _cuts(x: np.ndarray, alpha: float):
    """The two candidate peels of one parameter: the rows each would remove (low end, high end)."""
    for side, q in (("low", np.quantile(x, alpha)), ("high", np.quantile(x, 1 - alpha))):
        removed = x < q if side == "low" else x > q
        if not removed.any():
            removed = x <= q if side == "low" else x >= q  # tied values (a grid): peel the whole level
        if removed.any() and not removed.all():
            yield side, removed


def peel(X: pd.DataFrame, y: np.ndarray, alpha: float = ALPHA, min_mass: float = MIN_MASS) -> list[Box]:
    """The peeling trajectory, from the box holding every run to the smallest box allowed."""
    data = X.to_numpy(dtype=float)
    names = list(X.columns)
    box = _box(X, y, {})
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
                key = (y[kept].mean(), len(kept))
                if best is None or key > best[0]:
                    low, high = box.limits.get(name, (-np.inf, np.inf))
                    bound = (x[~removed].min(), high) if side == "low" else (low, x[~removed].max())
                    best = (key, name, bound)
        if best is None:
            break
        box = _box(X, y, box.limits | {best[1]: tuple(float(v) for v in best[2])})
        trajectory.append(box)
    return trajectory


def paste(X: pd.DataFrame, y: np.ndarray, box: Box, alpha: float = ALPHA) -> Box:
    """Widen the box's bounds again, one step at a time, while that raises its density."""
    while True:
        step = max(1, int(round(alpha * box.runs)))
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
                candidate = _box(X, y, box.limits | {name: bound})
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


def simplify(X: pd.DataFrame, y: np.ndarray, box: Box) -> Box:
    """Lift each bound whose removal costs less than ``TOLERANCE / 2`` of density (least costly first)."""
    while True:
        options = []
        for name, (low, high) in box.limits.items():
            for lifted in ((-np.inf, high), (low, np.inf)):
                if lifted != (low, high):
                    limits = {k: v for k, v in box.limits.items() if k != name}
                    if np.isfinite(lifted).any():
                        limits[name] = lifted
                    options.append(_box(X, y, limits))
        if not options:
            return box
        simpler = max(options, key=lambda b: b.density)
        if box.density - simpler.density >= TOLERANCE / 2:
            return box
        box = simpler


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
    X: pd.DataFrame | None = field(default=None, repr=False)  # the parameters of each run
    y: np.ndarray | None = field(default=None, repr=False)  # whether each run is of interest

    def sentence(self) -> str:
        what = ("the regime survives" if self.outcome == "survived" and not self.where else
                f"\"{self.outcome}{' and ' + self.where if self.where else ''}\" holds")
        share = self.of_interest / max(self.runs, 1)
        if not self.box.limits:
            return (f"{what} in {share:.0%} of all {self.runs} runs; no box of the swept parameters "
                    "concentrates these runs better than the whole space")
        return (f"{what} in {self.box.density:.0%} of runs when {describe(self.box.limits, self.full)} (against "
                f"{share:.0%} over the whole sweep); this box covers {self.box.coverage:.0%} of those runs "
                f"({self.box.hits} of {self.of_interest}) and holds {self.box.mass:.0%} of all runs")


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


def discover(manifest: dict, runs: pd.DataFrame, outcome: str, where: str | None = None,
             min_coverage: float = MIN_COVERAGE, alpha: float = ALPHA, min_mass: float = MIN_MASS) -> Discovery:
    """PRIM on a sweep's runs: the box of swept parameters where ``outcome`` (and ``where``) holds."""
    names = manifest["design"]["parameters"]
    numeric = [n for n in names if n in SPEC_BY_NAME and not SPEC_BY_NAME[n].choices]
    ok = runs[runs["status"] == "ok"].reset_index(drop=True)
    if ok.empty:
        raise ScenarioError("sweep", None, "every run failed; nothing to discover (see summary.json)")
    y = condition(outcome, ok, "--outcome", names)
    if where:
        y &= condition(where, ok, "--where", names)
    X = ok[numeric].astype(float)
    X = X.loc[:, X.nunique() > 1]
    if X.shape[1] == 0:
        raise ScenarioError("sweep", None, "varies no numeric parameter; PRIM needs at least one")
    return run(X, y, outcome, where, min_coverage, alpha, min_mass, failed=len(runs) - len(ok),
               skipped=[n for n in names if n not in X.columns])


def run(X: pd.DataFrame, y: np.ndarray, outcome: str = "y", where: str | None = None,
        min_coverage: float = MIN_COVERAGE, alpha: float = ALPHA, min_mass: float = MIN_MASS,
        failed: int = 0, skipped=()) -> Discovery:
    """PRIM on a table of parameters ``X`` and the runs of interest ``y``."""
    y = np.asarray(y, dtype=bool)
    trajectory = peel(X, y, alpha, min_mass)
    chosen = choose(trajectory, min_coverage)
    full = {n: (float(X[n].min()), float(X[n].max())) for n in X.columns}
    box = simplify(X, y, paste(X, y, trajectory[chosen], alpha))
    return Discovery(outcome, where, list(X.columns), trajectory, chosen, box, len(X), int(y.sum()), failed, full,
                     list(skipped), X, y)


def write(found: Discovery, out: Path, fmt: str = "png", record: dict | None = None) -> list[Path]:
    """trajectory.csv, discovery.json, the trade-off curve and the chosen box."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from sim.runs.outputs import write_json

    X, y = found.X, found.y
    out.mkdir(parents=True, exist_ok=True)
    table = pd.DataFrame([{"step": i, "coverage": b.coverage, "density": b.density, "mass": b.mass,
                           "runs": b.runs, "restricted": len(b.limits),
                           "limits": json.dumps(b.bounded(found.full))} for i, b in enumerate(found.trajectory)])
    paths = [out / "trajectory.csv", out / f"tradeoff.{fmt}", out / f"box.{fmt}", out / "discovery.json"]
    table.to_csv(paths[0], index=False, float_format="%.6g")

    fig, ax = plt.subplots(figsize=(6, 4.5))
    points = ax.scatter(table["coverage"], table["density"], c=table["restricted"], cmap="viridis", s=18)
    from matplotlib.ticker import MaxNLocator

    fig.colorbar(points, ax=ax, label="parameters restricted", ticks=MaxNLocator(integer=True))
    ax.scatter([found.box.coverage], [found.box.density], marker="*", s=220, color="crimson",
               label="chosen box (after pasting)")
    ax.set_xlabel("coverage (share of the runs of interest inside the box)")
    ax.set_ylabel("density (share of the box's runs that are of interest)")
    ax.set_title("PRIM peeling trajectory", fontsize=10)
    ax.legend(fontsize=8, loc="lower left", markerscale=0.5)
    fig.tight_layout()
    fig.savefig(paths[1], dpi=120)
    plt.close(fig)

    full = found.full
    limits = found.box.bounded(full)
    shrink = sorted(limits, key=lambda n: (limits[n][1] - limits[n][0])
                    / max(full[n][1] - full[n][0], 1e-300))
    axes = (shrink + [n for n in X.columns if n not in shrink])[:2]
    rng = np.random.default_rng(0)
    fig, ax = plt.subplots(figsize=(6, 4.5))
    coords = []
    for name in axes:
        width = full[name][1] - full[name][0]
        jitter = 0.015 * width if X[name].nunique() <= 20 else 0.0
        coords.append(X[name].to_numpy() + rng.uniform(-jitter, jitter, len(X)))
    if len(axes) == 1:
        coords.append(rng.uniform(0, 1, len(X)))
    ax.scatter(coords[0][~y], coords[1][~y], s=8, color="0.7", label="other runs")
    ax.scatter(coords[0][y], coords[1][y], s=8, color="tab:blue", label="runs of interest")
    corners = [limits.get(n, full[n]) for n in axes] + ([(0, 1)] if len(axes) == 1 else [])
    ax.add_patch(plt.Rectangle((corners[0][0], corners[1][0]), corners[0][1] - corners[0][0],
                               corners[1][1] - corners[1][0], fill=False, lw=2, color="crimson",
                               label=f"box: density {found.box.density:.0%}, coverage {found.box.coverage:.0%}"))
    label = lambda n: SPEC_BY_NAME[n].label if n in SPEC_BY_NAME else n  # noqa: E731
    ax.set_xlabel(label(axes[0]))
    ax.set_ylabel(label(axes[1]) if len(axes) > 1 else "(runs spread for legibility)")
    import textwrap

    title = f"runs of interest: {found.outcome}" + (f" and {found.where}" if found.where else "")
    ax.set_title("\n".join(textwrap.wrap(title, 70)), fontsize=9)
    ax.legend(fontsize=7, loc="best")
    fig.tight_layout()
    fig.savefig(paths[2], dpi=120)
    plt.close(fig)

    write_json(paths[3], {**(record or {}), "outcome": found.outcome, "where": found.where,
                          "runs": found.runs, "runs_failed": found.failed, "runs_of_interest": found.of_interest,
                          "parameters": found.parameters, "not_used": found.skipped, "chosen_step": found.chosen,
                          "box": {"limits": limits, "coverage": found.box.coverage,
                                  "density": found.box.density, "mass": found.box.mass},
                          "in_words": found.sentence(), "alpha": ALPHA, "min_mass": MIN_MASS})
    return paths
