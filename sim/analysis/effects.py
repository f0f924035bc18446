"""Effect sizes of paired comparisons, and the verdict on a directional claim.

A claim (a lever raises or lowers an outcome) is measured on common random numbers: at each
*unit* (a combination of the other levers, a sample of the uncertain region, ...) the lever is
set low and high with the same replicate seeds, and each replicate gives one paired
difference. The units are the independent draws, so the interval is a cluster bootstrap: the
units are resampled with replacement, a unit's replicates staying together.

- The effect is the **median paired difference** (for a yes/no outcome such as ``survived``,
  the mean: the change in its probability), in the outcome's units, with a 95% percentile
  bootstrap interval (:func:`scipy.stats.bootstrap`).
- It is also given **relative to the outcome's spread**: the pooled standard deviation of the
  outcome on the two sides of the comparison (across their units and replicates), as in Cohen's d.
- The **verdict** needs a consistent sign *and* a size that matters: *supported* when the
  documented direction holds at :data:`CONSISTENT` of the units or more, the interval excludes
  zero on the documented side, no step of the lever's range goes significantly the other way,
  and the median is at least the threshold of practical importance (the claim's own, in the
  outcome's units, or :data:`IMPORTANT` of the spread). A consistent effect below the threshold
  is *consistent but negligible*; a median in the direction with the sign holding at half the
  units or more, *partly supported*; an interval wholly on the other side, *contradicted*.

Chance and assumption apart (:func:`decompose`): when the runs come from a member x seed design
(several seeds of each of several parameter sets: ensemble members, samples of the uncertain
region), the variance of the paired differences splits, by one-way random-effects analysis of
variance (method of moments), into a **parametric** part (between parameter sets, beyond what
their seeds' chance explains) and a **chance** part (between the seeds of one parameter set).
The interval then resamples the parameter sets (a bootstrap clustered by member), and an effect
whose sign **changes across members** is flagged: the F test finds a member effect (p < 0.05)
and at least a tenth of the members' effects, each shrunk toward the overall effect by its
chance noise (empirical Bayes), lie on the other side of zero.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

CONFIDENCE = 0.95
RESAMPLES = 2000
IMPORTANT = 0.2  # the default threshold of practical importance: a fifth of the outcome's spread
CONSISTENT, PARTLY = 0.9, 0.5  # shares of the units for a consistent sign and for "partly supported"
RULE = (f"supported: the documented direction at {CONSISTENT:.0%} of the units or more, the 95% interval clear of "
        "zero on that side, no step of the lever's range significantly reversed, and a median at least the "
        "threshold of practical importance; consistent but negligible: the same below the threshold; partly "
        f"supported: the median in the direction and the sign at {PARTLY:.0%} of the units or more; contradicted: "
        "the interval wholly on the other side; not supported: otherwise")
SIGN_SHARE = 0.1  # share of the members on the other side of zero that flags a sign change
GRADES = ("supported", "consistent but negligible", "partly supported", "not supported", "contradicted",
          "no effect in these runs")


@dataclass(frozen=True)
class PairedEffect:
    """The effect of a change on an outcome, from paired differences grouped by unit."""

    estimate: float  # the median paired difference (the mean for a yes/no outcome)
    low: float  # 95% bootstrap interval
    high: float
    spread: float  # pooled standard deviation of the outcome on the two sides
    units: int
    pairs: int
    statistic: str  # "median" or "mean"
    unit_effects: tuple[float, ...]  # each unit's mean paired difference

    @property
    def relative(self) -> float:
        return self.estimate / self.spread if self.spread > 0 else float("nan")

    def relative_interval(self) -> tuple[float, float]:
        if not self.spread > 0:
            return float("nan"), float("nan")
        return self.low / self.spread, self.high / self.spread

    def share(self, sign: int) -> float:
        """The share of units whose effect has this sign."""
        effects = np.array(self.unit_effects)
        return float(np.mean(sign * effects > 0)) if len(effects) else float("nan")

    def text(self) -> str:
        """'+1,230 (95% CI +800 to +1,700; +0.45 SD)'."""
        rel = f"; {self.relative:+.2f} SD" if np.isfinite(self.relative) else ""
        interval = (f"95% CI {number(self.low, True)} to {number(self.high, True)}" if np.isfinite(self.low)
                    else "no interval from one unit")
        return f"{number(self.estimate, True)} ({interval}{rel})"


def paired(differences: np.ndarray, arms: tuple[np.ndarray, np.ndarray] | None = None, seed: int = 0,
           resamples: int = RESAMPLES, statistic: str | None = None) -> PairedEffect:
    """The effect from paired ``differences`` (units x replicates; NaN for a failed run or padding).

    ``arms``: the outcome's values on each side of the comparison (any shape), for the spread
    (the pooled standard deviation of the two sides) and to tell a yes/no outcome.
    ``statistic``: "mean" or "median" (default: the mean for a yes/no outcome, else the median).
    """
    from scipy.stats import bootstrap

    diffs = np.atleast_2d(np.asarray(differences, dtype=float))
    diffs = diffs[~np.all(np.isnan(diffs), axis=1)]
    sides = [np.asarray(a, dtype=float).ravel() for a in arms] if arms is not None else []
    sides = [a[np.isfinite(a)] for a in sides]
    finite = np.concatenate(sides) if sides else diffs[np.isfinite(diffs)]
    binary = bool(sides) and finite.size > 0 and np.isin(finite, (0.0, 1.0)).all()
    statistic = statistic or ("mean" if binary else "median")
    centre = np.nanmean if statistic == "mean" else np.nanmedian

    def of(rows) -> float:
        return float(centre(diffs[np.asarray(rows, dtype=int)]))

    estimate = of(np.arange(len(diffs))) if len(diffs) else float("nan")
    low = high = float("nan")
    if len(diffs) > 1:
        if np.nanmax(diffs) == np.nanmin(diffs):
            low = high = estimate
        else:
            result = bootstrap((np.arange(len(diffs)),), of, vectorized=False, n_resamples=resamples,
                               confidence_level=CONFIDENCE, method="percentile", rng=np.random.default_rng(seed))
            low, high = float(result.confidence_interval.low), float(result.confidence_interval.high)
    spread = (float(np.sqrt(np.mean([np.var(a, ddof=1) for a in sides])))
              if sides and all(len(a) > 1 for a in sides) else float("nan"))
    return PairedEffect(estimate, low, high, spread, len(diffs), int(np.isfinite(diffs).sum()), statistic,
                        tuple(float(v) for v in np.nanmean(diffs, axis=1)) if len(diffs) else ())


@dataclass(frozen=True)
class Variance:
    """The variance of paired differences split into parametric and chance parts (a member x seed design)."""

    parametric: float  # between parameter sets (members), beyond what chance explains; 0 without parameter draws
    chance: float  # between the seeds of one parameter set
    members: int  # distinct parameter sets (0: no parameter draw, every run with the same values)
    seeds: float  # mean seeds (runs) per parameter set and stratum
    p_value: float  # F test of a member effect (NaN when it cannot be computed)
    other_sign: float  # share of the members whose shrunk effect lies on the other side of zero

    @property
    def share(self) -> float:
        """The parametric share of the variance."""
        total = self.parametric + self.chance
        return self.parametric / total if total > 0 else float("nan")

    @property
    def sign_varies(self) -> bool:
        return bool(self.p_value < 0.05 and self.other_sign >= SIGN_SHARE)

    def text(self) -> str:
        if self.members == 0:
            return f"chance SD {number(np.sqrt(self.chance))}; no parameter draw"
        if not np.isfinite(self.chance):
            return f"{self.members} members, each run once: parametric and chance variance not separable"
        return (f"parametric SD {number(np.sqrt(self.parametric))}, chance SD {number(np.sqrt(self.chance))} "
                f"({self.share:.0%} parametric; {self.members} members x {self.seeds:.3g} seeds)"
                + (f"; SIGN VARIES across members ({self.other_sign:.0%} the other way)" if self.sign_varies else ""))

    def as_row(self, prefix: str = "") -> dict:
        return {f"{prefix}parametric_var": self.parametric, f"{prefix}chance_var": self.chance,
                f"{prefix}parametric_share": self.share, f"{prefix}members": self.members,
                f"{prefix}seeds_per_member": self.seeds, f"{prefix}member_effect_p": self.p_value,
                f"{prefix}members_other_sign": self.other_sign, f"{prefix}sign_varies": self.sign_varies}


def decompose(values, members=None, strata=None, centre: float | None = None) -> Variance:
    """Parametric and chance variance of ``values`` (paired differences, one per run; NaN left out).

    ``members``: each run's parameter set (None: no parameter draw, all the variance is chance);
    ``strata``: each run's fixed design cell (e.g. the combination of the other levers), whose
    differences are not counted as either. One-way random-effects ANOVA within strata:
    chance = the pooled variance between the seeds of a (stratum, member) cell; parametric =
    (MSB - MSW) / n0, at least 0. ``centre``: the overall effect whose sign the members are held
    against (default the mean)."""
    from scipy.stats import f as fisher

    values = np.asarray(values, dtype=float).ravel()
    ok = np.isfinite(values)
    if members is None:
        v = values[ok]
        chance = float(np.var(v, ddof=1)) if len(v) > 1 else float("nan")
        return Variance(0.0, chance, 0, float(len(v)), float("nan"), 0.0)
    frame = {"v": values[ok], "m": np.asarray(members).ravel()[ok],
             "s": (np.zeros(len(values)) if strata is None else np.asarray(strata).ravel())[ok]}
    import pandas as pd

    data = pd.DataFrame(frame)
    cells = data.groupby(["s", "m"])["v"].agg(["size", "mean", "var"])
    n = cells["size"].to_numpy(float)
    df_w = float((n - 1).sum())
    msw = float(((n - 1) * cells["var"].fillna(0.0).to_numpy()).sum() / df_w) if df_w > 0 else float("nan")
    stratum_mean = data.groupby("s")["v"].mean()
    dev = cells["mean"].to_numpy() - stratum_mean.reindex(cells.index.get_level_values("s")).to_numpy()
    per_stratum = cells.groupby(level="s")["size"]
    df_b = float((per_stratum.size() - 1).sum())
    k = int(data["m"].nunique())
    if df_b <= 0 or not np.isfinite(msw):
        return Variance(float("nan"), msw, k, float(n.mean()), float("nan"), float("nan"))
    msb = float((n * dev ** 2).sum() / df_b)
    totals = per_stratum.sum()
    n0 = float((totals - per_stratum.apply(lambda x: float((x.to_numpy(float) ** 2).sum())) / totals).sum() / df_b)
    parametric = max(0.0, (msb - msw) / n0) if n0 > 0 else float("nan")
    p_value = float(fisher.sf(msb / msw, df_b, df_w)) if msw > 0 else (0.0 if msb > 0 else 1.0)
    centre = float(data["v"].mean()) if centre is None else float(centre)
    by_member = data.groupby("m")["v"].agg(["size", "mean"])
    shrink = parametric / (parametric + msw / by_member["size"].to_numpy(float)) if parametric > 0 else 0.0
    shrunk = centre + shrink * (by_member["mean"].to_numpy() - float(data["v"].mean()))
    sign = np.sign(centre)
    other = float(np.mean(np.sign(shrunk) == -sign)) if sign != 0 else \
        float(min(np.mean(shrunk > 0), np.mean(shrunk < 0)))
    return Variance(parametric, msw, k, float(n.mean()), p_value, other)


def clustered(values, members) -> np.ndarray:
    """Runs' values arranged one row per member (NaN-padded), for a bootstrap clustered by member."""
    values = np.asarray(values, dtype=float).ravel()
    members = np.asarray(members).ravel()
    keys = list(dict.fromkeys(members.tolist()))
    rows = [values[members == k] for k in keys]
    width = max((len(r) for r in rows), default=0)
    out = np.full((len(rows), width), np.nan)
    for i, r in enumerate(rows):
        out[i, : len(r)] = r
    return out


def grade(effect: PairedEffect, direction: str, steps: list[PairedEffect] = (),
          threshold: float | None = None) -> str:
    """The verdict on a claim that the change moves the outcome in ``direction`` ("higher" or "lower").

    ``steps``: the effects of each step across the lever's range; ``threshold``: the size of
    practical importance in the outcome's units (default :data:`IMPORTANT` of the spread).
    """
    sign = 1 if direction == "higher" else -1

    def furthest(e: PairedEffect) -> float:  # the interval's end furthest in the claimed direction
        return max(sign * e.low, sign * e.high)

    def nearest(e: PairedEffect) -> float:  # its end nearest the other side
        return min(sign * e.low, sign * e.high)

    if effect.units == 0 or not np.any(effect.unit_effects):
        return "no effect in these runs"
    if furthest(effect) < 0:  # the whole interval on the other side
        return "contradicted"
    reversed_step = any(furthest(s) < 0 for s in steps if np.isfinite(s.low) and np.isfinite(s.high))
    consistent = effect.share(sign) >= CONSISTENT and nearest(effect) > 0 and not reversed_step
    if consistent:
        return "supported" if sign * effect.estimate >= important(effect, threshold) else "consistent but negligible"
    if effect.share(sign) >= PARTLY and sign * effect.estimate > 0:
        return "partly supported"
    return "not supported"


def important(effect: PairedEffect, threshold: float | None = None) -> float:
    """The threshold of practical importance in the outcome's units."""
    if threshold is not None:
        return float(threshold)
    return IMPORTANT * effect.spread if np.isfinite(effect.spread) else 0.0


def threshold_text(threshold: float | None) -> str:
    return (f"at least {number(threshold)} in the outcome's units" if threshold is not None
            else f"at least {IMPORTANT:g} of the outcome's spread (its pooled SD on the two sides)")


def number(value: float, signed: bool = False) -> str:
    """5,410 rather than 5.41e+03; 0.0123 for small values; a sign when asked."""
    if not np.isfinite(value):
        return "n/a"
    sign = "+" if signed and value > 0 else ""
    return sign + (f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}")
