"""How robust each directional claim is: the share of the plausible region where it holds.

The documents make directional claims (moderation raises hard-line defections, sanctions
raise IS-K recruitment, ...), listed as data in ``seeds/directional_claims.toml``. The
claim tests check each at the default parameters; here each is tested across the region
the uncertain parameters (assumptions and calibrations, :mod:`sim.analysis.region`) span. A Latin
hypercube samples that region; at every sample the effect is measured with the cause at
its low and at its high setting, on the same replicate seeds (common random numbers), and
the claim holds there if the paired mean difference has the documented sign. The report
gives the share of the region where it holds (with a Wilson 95% interval), whether it holds
at the defaults, and the parameters that flip it (when it holds in part of the region only): those whose rank
correlation with the signed effect is significant after a Bonferroni correction, with the share of samples
where the claim holds in the lower and upper half of each one's range.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pandas as pd

from sim.runs import run_stats
from sim.model.params import SPEC_BY_NAME, ParameterError, Parameters
from sim.model.provenance import bundled_dir, claims as seed_claims
from sim.runs.scenario import ScenarioError

DIRECTIONS = ("higher", "lower")
SIGNIFICANCE = 0.05
FIELDS = {"id", "mechanism", "text", "cause", "low", "high", "effect", "statistic", "months", "direction", "seeds",
          "set"}


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
        if extra or FIELDS - {"set", "seeds"} - set(row):
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
        missing = [s for s in row.get("seeds", []) if s not in known]
        if missing:
            raise ScenarioError(path, f"{where}.seeds", f"{', '.join(missing)} not in seeds/claims.toml")
        out.append(DirectionalClaim(row["id"], row["mechanism"], row["text"], row["cause"], row["low"], row["high"],
                                    row["effect"], row["statistic"], int(row["months"]), row["direction"],
                                    tuple(row.get("seeds", ())), dict(row.get("set", {}))))
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

    @property
    def share(self) -> float:
        return self.holds / self.samples

    def interval(self) -> tuple[float, float]:
        """Wilson 95% interval of the share of the region where the claim holds."""
        n, p, z = self.samples, self.share, 1.96
        centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
        return max(0.0, centre - half), min(1.0, centre + half)

    def row(self) -> dict:
        low, high = self.interval()
        c = self.claim
        return {"id": c.id, "mechanism": c.mechanism, "claim": c.text, "cause": c.cause, "low": c.low,
                "high": c.high, "effect": c.measure, "months": c.months, "direction": c.direction,
                "holds_at_defaults": self.at_defaults, "share_holds": self.share, "share_ci_low": low,
                "share_ci_high": high, "samples": self.samples, "no_effect": self.no_effect,
                "mean_effect": self.mean_effect,
                "flipped_by": "; ".join(_flip_text(f) for f in self.flipped_by), "seeds": " ".join(c.seeds)}


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
           samples: int, replicates: int, seed: int, evaluate: Callable) -> Verdict:
    """Test one claim at the defaults and at ``samples`` points of the region (``evaluate``: sim.analysis.evaluate)."""
    from sim.runs.design import matrix_points

    names = [n for n in region if n != claim.cause and n not in claim.set]
    region = {n: region[n] for n in names}
    X = lhs(region, samples, seed)
    typed = all(n in SPEC_BY_NAME for n in names)
    sampled = matrix_points(names, X) if typed else [dict(zip(names, row)) for row in X]
    places = [{n: base[n] for n in names}, *sampled]  # the defaults first
    points = [p | claim.set | {claim.cause: value} for p in places for value in (claim.low, claim.high)]
    values = evaluate(claim.id, points, replicates, (claim.measure,))[claim.measure]
    effect = np.nanmean(values[1::2] - values[0::2], axis=1)  # paired by replicate seed
    signed = effect * (1 if claim.direction == "higher" else -1)
    holds = signed[1:] > 0
    mixed = 0 < holds.sum() < samples
    return Verdict(claim, samples, int(holds.sum()), int((signed[1:] == 0).sum()), bool(signed[0] > 0),
                   float(np.nanmean(effect[1:])), flips(X, names, signed[1:]) if mixed else [])


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


def table(verdicts: list[Verdict]) -> pd.DataFrame:
    return pd.DataFrame([v.row() for v in verdicts])


def lines(verdicts: list[Verdict]) -> list[str]:
    """The table as printed: one line per claim, then the parameters that flip it."""
    out = [f"{'claim':16s} {'at defaults':11s} {'holds in region (95% CI)':26s} claim"]
    for v in verdicts:
        low, high = v.interval()
        out.append(f"{v.claim.id:16s} {'holds' if v.at_defaults else 'FAILS':11s} "
                   f"{v.share:5.0%} of {v.samples:<4d} ({low:.0%}-{high:.0%})    {v.claim.text}")
        for flip in v.flipped_by[:3]:
            out.append(f"{'':16s} flipped by {_flip_text(flip)}")
    return out


def markdown(verdicts: list[Verdict]) -> str:
    """The claims table in Markdown (README, experiment verdicts)."""
    rows = ["| claim | mechanism | at defaults | holds in the region (95% CI) | flipped by |", "|---|---|---|---|---|"]
    for v in verdicts:
        low, high = v.interval()
        flips_text = "; ".join(f"`{f['parameter']}` (rho {f['rho']:+.2f})" for f in v.flipped_by[:3]) or "none found"
        rows.append(f"| {v.claim.text} | {v.claim.mechanism} | {'holds' if v.at_defaults else 'fails'} | "
                    f"{v.share:.0%} of {v.samples} samples ({low:.0%}-{high:.0%}) | {flips_text} |")
    return "\n".join(rows)
