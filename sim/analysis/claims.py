"""How robust each directional claim is: its effect size across the plausible region, and a verdict.

The documents make directional claims (moderation raises hard-line defections, sanctions
raise IS-K recruitment, ...), listed as data in ``seeds/directional_claims.toml``. The
claim tests check each at the default parameters; here each is tested across the region
the uncertain parameters (assumptions and calibrations, :mod:`sim.analysis.region`) span. A Latin
hypercube samples that region; at every sample the effect is measured with the cause at
:data:`LEVELS` evenly spaced settings from its low to its high value (its whole range, not only
the extremes), on the same replicate seeds (common random numbers). The report gives

- the effect (:mod:`sim.analysis.effects`): the median paired difference between the cause's
  high and low settings across the region, with a 95% cluster-bootstrap interval (a sample's
  replicates stay together), in the outcome's units and relative to its spread, and each step
  of the range;
- the verdict: *supported* only when the sign is consistent (at 90% of the samples, the interval
  clear of zero, no step of the range reversed) and the size at least the threshold of practical
  importance (the claim's ``important``, in the outcome's units, or a fifth of its spread);
- the share of the region where the claim's sign holds (with a Wilson 95% interval), whether it
  holds at the defaults, and the parameters that flip it (when it holds in part of the region
  only): those whose rank correlation with the signed effect is significant after a Bonferroni
  correction, with the share of samples where the claim holds in the lower and upper half of each
  one's range.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pandas as pd

from sim.analysis import effects
from sim.runs import run_stats
from sim.model.params import SPEC_BY_NAME, ParameterError, Parameters
from sim.model.provenance import bundled_dir, claims as seed_claims
from sim.runs.scenario import ScenarioError

DIRECTIONS = ("higher", "lower")
SIGNIFICANCE = 0.05
FIELDS = {"id", "mechanism", "text", "cause", "low", "high", "effect", "statistic", "months", "direction", "seeds",
          "set", "important"}
OPTIONAL = {"set", "seeds", "important"}
LEVELS = 3  # settings of the cause from low to high: the extremes and the middle


@dataclass(frozen=True)
class DirectionalClaim:
    """A cause (a parameter from ``low`` to ``high``) moves an effect (a statistic) in a direction."""

    id: str
    mechanism: str
    text: str
    cause: str
    low: float
    high: float
    effect: str
    statistic: str
    months: int
    direction: str
    seeds: tuple[str, ...] = ()
    set: dict[str, Any] = field(default_factory=dict)
    important: float | None = None  # the size of practical importance, in the outcome's units

    @property
    def measure(self) -> str:
        """The runs-table statistic: the effect's final value, monthly mean or maximum."""
        return f"{self.effect}_{self.statistic}"


def registry(path: Path | None = None) -> list[DirectionalClaim]:
    """The directional claims, validated (a bad entry is one clear error naming the file and the key)."""
    path = path or bundled_dir("seeds") / "directional_claims.toml"
    try:
        rows = tomllib.loads(path.read_text(encoding="utf-8")).get("claim", [])
    except (OSError, tomllib.TOMLDecodeError) as err:
        raise ScenarioError(path, None, f"cannot read the claims registry ({err})") from None
    out, known = [], seed_claims()
    for i, row in enumerate(rows):
        where = f"claim {row.get('id', i + 1)}"
        extra = set(row) - FIELDS
        if extra or FIELDS - OPTIONAL - set(row):
            raise ScenarioError(path, where, f"unknown or missing fields; each claim has {', '.join(sorted(FIELDS))}")
        if row["cause"] not in SPEC_BY_NAME:
            raise ScenarioError(path, f"{where}.cause", f"{row['cause']!r} is not a parameter")
        try:
            Parameters().replace({row["cause"]: row["low"]}).replace({row["cause"]: row["high"]})
            Parameters().replace(row.get("set", {}))
        except ParameterError as err:
            raise ScenarioError(path, f"{where}: {err.key}", err.message) from None
        run_stats.split(f"{row['effect']}_{row['statistic']}", f"{path}: {where}.effect")
        if row["direction"] not in DIRECTIONS:
            raise ScenarioError(path, f"{where}.direction", "must be \"higher\" or \"lower\"")
        important = row.get("important")
        if important is not None and (not isinstance(important, (int, float)) or important <= 0):
            raise ScenarioError(path, f"{where}.important", "must be a positive number (in the outcome's units)")
        missing = [s for s in row.get("seeds", []) if s not in known]
        if missing:
            raise ScenarioError(path, f"{where}.seeds", f"{', '.join(missing)} not in seeds/claims.toml")
        out.append(DirectionalClaim(row["id"], row["mechanism"], row["text"], row["cause"], row["low"], row["high"],
                                    row["effect"], row["statistic"], int(row["months"]), row["direction"],
                                    tuple(row.get("seeds", ())), dict(row.get("set", {})),
                                    None if important is None else float(important)))
    return out


@dataclass
class Verdict:
    """One row of the claims table."""

    claim: DirectionalClaim
    samples: int
    holds: int
    no_effect: int
    at_defaults: bool
    mean_effect: float
    flipped_by: list[dict]
    effect: effects.PairedEffect | None = None  # high against low across the region
    steps: list[effects.PairedEffect] = field(default_factory=list)  # each step of the cause's range
    levels: tuple[float, ...] = ()
    variance: effects.Variance | None = None  # parametric (between samples) and chance (between seeds)

    @property
    def share(self) -> float:
        return self.holds / self.samples

    @property
    def grade(self) -> str:
        if self.effect is None:
            return "not measured"
        return effects.grade(self.effect, self.claim.direction, self.steps, self.claim.important)

    def interval(self) -> tuple[float, float]:
        """Wilson 95% interval of the share of the region where the claim holds."""
        n, p, z = self.samples, self.share, 1.96
        centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
        return max(0.0, centre - half), min(1.0, centre + half)

    def row(self) -> dict:
        low, high = self.interval()
        c, e = self.claim, self.effect
        rel_low, rel_high = e.relative_interval() if e else (float("nan"), float("nan"))
        return {"id": c.id, "mechanism": c.mechanism, "claim": c.text, "cause": c.cause, "low": c.low,
                "high": c.high, "effect": c.measure, "months": c.months, "direction": c.direction,
                "verdict": self.grade,
                "effect_statistic": e.statistic if e else None, "effect_size": e.estimate if e else float("nan"),
                "effect_ci_low": e.low if e else float("nan"), "effect_ci_high": e.high if e else float("nan"),
                "outcome_spread": e.spread if e else float("nan"),
                "effect_relative": e.relative if e else float("nan"), "relative_ci_low": rel_low,
                "relative_ci_high": rel_high,
                "important": effects.important(e, c.important) if e else float("nan"),
                "steps": "; ".join(f"{a:g}->{b:g}: {s.text()}" for (a, b), s in
                                   zip(zip(self.levels, self.levels[1:]), self.steps)),
                "holds_at_defaults": self.at_defaults, "share_holds": self.share, "share_ci_low": low,
                "share_ci_high": high, "samples": self.samples, "no_effect": self.no_effect,
                "mean_effect": self.mean_effect,
                "flipped_by": "; ".join(_flip_text(f) for f in self.flipped_by), "seeds": " ".join(c.seeds),
                "parameter_sets": self.samples,
                **(self.variance.as_row() if self.variance is not None else {})}


def _flip_text(flip: dict) -> str:
    return (f"{flip['parameter']} (rho {flip['rho']:+.2f}; holds in {flip['share_low_half']:.0%} below "
            f"{flip['median']:.3g}, {flip['share_high_half']:.0%} above)")


def lhs(region: dict[str, tuple[float, float]], samples: int, seed: int) -> np.ndarray:
    """A Latin hypercube of the region (SALib)."""
    from SALib import ProblemSpec

    problem = ProblemSpec({"names": list(region), "bounds": [list(r) for r in region.values()]})
    problem.sample_latin(samples, seed=seed)
    return problem.samples


def assess(claim: DirectionalClaim, region: dict[str, tuple[float, float]], base: Parameters | dict,
           samples: int, replicates: int, seed: int, evaluate: Callable, levels: int = LEVELS) -> Verdict:
    """Test one claim at the defaults and at ``samples`` points of the region (``evaluate``: sim.analysis.evaluate),
    with the cause at ``levels`` settings from its low to its high value."""
    from sim.runs.design import matrix_points

    names = [n for n in region if n != claim.cause and n not in claim.set]
    region = {n: region[n] for n in names}
    X = lhs(region, samples, seed)
    typed = all(n in SPEC_BY_NAME for n in names)
    sampled = matrix_points(names, X) if typed else [dict(zip(names, row)) for row in X]
    places = [{n: base[n] for n in names}, *sampled]  # the defaults first
    settings = _settings(claim, levels)
    points = [p | claim.set | {claim.cause: value} for p in places for value in settings]
    values = evaluate(claim.id, points, replicates, (claim.measure,))[claim.measure]
    values = values.reshape(len(places), len(settings), -1)  # place, setting, replicate (paired by seed)
    whole = values[:, -1] - values[:, 0]
    effect = np.nanmean(whole, axis=1)
    signed = effect * (1 if claim.direction == "higher" else -1)
    holds = signed[1:] > 0
    mixed = 0 < holds.sum() < samples
    region_values = values[1:]
    size = effects.paired(whole[1:], (region_values[:, 0], region_values[:, -1]), seed)
    steps = [effects.paired(region_values[:, k + 1] - region_values[:, k],
                            (region_values[:, k], region_values[:, k + 1]), seed)
             for k in range(len(settings) - 1)] if len(settings) > 2 else []
    variance = effects.decompose(whole[1:].ravel(), np.repeat(np.arange(samples), whole.shape[1]),
                                 centre=size.estimate)
    return Verdict(claim, samples, int(holds.sum()), int((signed[1:] == 0).sum()), bool(signed[0] > 0),
                   float(np.nanmean(effect[1:])), flips(X, names, signed[1:]) if mixed else [], size, steps,
                   tuple(settings), variance)


def _settings(claim: DirectionalClaim, levels: int) -> list:
    """The cause's settings from low to high; whole numbers stay whole for an integer parameter."""
    values = np.linspace(claim.low, claim.high, max(2, levels))
    spec = SPEC_BY_NAME.get(claim.cause)
    if spec is not None and spec.kind is int:
        return list(dict.fromkeys(int(round(v)) for v in values))
    return [float(v) for v in values]


def flips(X: np.ndarray, names: list[str], signed: np.ndarray) -> list[dict]:
    """Parameters whose value decides whether the claim holds: significant rank correlation
    (Bonferroni over the parameters) of the signed effect with the parameter, strongest first."""
    from scipy.stats import spearmanr

    if len(signed) < 4 or np.nanstd(signed) == 0:
        return []
    found = []
    for j, name in enumerate(names):
        x = X[:, j]
        rho, p = spearmanr(x, signed, nan_policy="omit")
        if not np.isfinite(p) or p >= SIGNIFICANCE / len(names):
            continue
        median = float(np.median(x))
        low, high = signed[x <= median], signed[x > median]
        found.append({"parameter": name, "rho": float(rho), "p_value": float(p), "median": median,
                      "share_low_half": float((low > 0).mean()) if len(low) else float("nan"),
                      "share_high_half": float((high > 0).mean()) if len(high) else float("nan")})
    return sorted(found, key=lambda f: -abs(f["rho"]))


MEMBERS = 20  # the parameter sets behind a verdict below which the outputs say it (issue 29)


def parameter_sets(samples: int, replicates: int, region: dict, ensemble=None) -> str:
    """How many parameter sets each verdict maps: the region's samples, each run on ``replicates`` seeds at
    every setting of the cause; the calibrated parameters the region leaves free (if any) drawn by seed."""
    free = [n for n in (ensemble.names if ensemble is not None else ()) if n not in region and n not in
            ensemble.fixed]
    text = (f"{samples} Latin-hypercube samples of the region, each a parameter set run on the same {replicates} "
            f"seed(s) at every setting of the cause")
    if free:
        text += (f"; the {len(free)} calibrated parameter(s) the region leaves free are drawn from the ensemble by "
                 "seed (the same member at every sample)")
    if samples < MEMBERS:
        text += f"; fewer than {MEMBERS} parameter sets: a verdict rests on few (more --samples)"
    return text


def table(verdicts: list[Verdict]) -> pd.DataFrame:
    return pd.DataFrame([v.row() for v in verdicts])


def lines(verdicts: list[Verdict]) -> list[str]:
    """The table as printed: one line per claim with its effect, then the parameters that flip it."""
    out = [f"{'claim':16s} {'verdict':26s} {'effect, high - low (95% CI; relative to SD)':46s} "
           f"{'sign holds in region':22s} claim"]
    for v in verdicts:
        low, high = v.interval()
        effect = v.effect.text() if v.effect else "n/a"
        out.append(f"{v.claim.id:16s} {v.grade:26s} {effect:46s} "
                   f"{v.share:4.0%} of {v.samples:<4d} ({low:.0%}-{high:.0%})  {v.claim.text}")
        if v.variance is not None:
            out.append(f"{'':16s} {v.variance.text()} (members: the region's samples)")
        for flip in v.flipped_by[:3]:
            out.append(f"{'':16s} flipped by {_flip_text(flip)}")
    return out


def markdown(verdicts: list[Verdict]) -> str:
    """The claims table in Markdown (README, experiment verdicts)."""
    rows = ["| claim | mechanism | verdict | effect, high - low (95% CI) | relative to spread | at defaults | "
            "sign holds in the region (95% CI) | flipped by |", "|---|---|---|---|---|---|---|---|"]
    for v in verdicts:
        low, high = v.interval()
        e = v.effect
        flips_text = "; ".join(f"`{f['parameter']}` (rho {f['rho']:+.2f})" for f in v.flipped_by[:3]) or "none found"
        size = (f"{effects.number(e.estimate, True)} ({effects.number(e.low, True)} to "
                f"{effects.number(e.high, True)}) {_unit(v.claim.effect)}" if e else "n/a")
        rel = f"{e.relative:+.2f} SD" if e and np.isfinite(e.relative) else "n/a"
        rows.append(f"| {v.claim.text} | {v.claim.mechanism} | **{v.grade}** | {size} | {rel} | "
                    f"{'holds' if v.at_defaults else 'fails'} | "
                    f"{v.share:.0%} of {v.samples} samples (parameter sets; {low:.0%}-{high:.0%}) | {flips_text} |")
    return "\n".join(rows)


def _unit(outcome: str) -> str:
    from sim.model.outcomes import unit

    return unit(outcome)
