"""Cause-specific survival: the Aalen-Johansen cumulative incidence of each cause of the regime's fall.

A run ends at the regime's fall, and each fall has one cause (:data:`sim.model.mechanisms.survival.CAUSES`):
the causes are competing risks. The share of runs fallen *by a cause* by month t is not one minus a
Kaplan-Meier curve that treats the other causes as censoring (that estimates a world without the other
causes, and overstates the share); it is the cumulative incidence

    F_k(t) = sum over months s <= t of S(s-1) d_k(s) / n(s)

(Aalen and Johansen 1978), with S the Kaplan-Meier share standing before month s, n(s) the runs at risk
in month s and d_k(s) those that fell by cause k in it. The incidences of all causes and S add up to 1
at every month. With every run as long (no censoring before the horizon), F_k(t) is the share of runs
fallen by cause k by month t.

The pointwise interval follows lifelines' ``AalenJohansenFitter`` (Collett 2015, *Modelling Survival Data
in Medical Research*, 3rd ed., p. 411: a Greenwood-type variance, the interval on the log(-log F) scale
so it stays within 0 and 1); tests/runs/test_competing_risks.py checks both against a hand-computed case
and against lifelines when it is installed (lifelines is not a dependency: it downgrades pandas). Unlike
lifelines, tied falls of different causes in the same month need no jitter: the estimator above is
exact for discrete months.
"""

from __future__ import annotations

import numpy as np

from sim.model.mechanisms.survival import CAUSES

METHOD = ("Aalen-Johansen cumulative incidence of each fall cause (the other causes competing, not censoring), "
          "with a pointwise interval on the log(-log) scale from Collett's Greenwood-type variance")


def cumulative_incidence(fall_months, fall_causes, months: int, censored=None, confidence: float = 0.95,
                         causes=CAUSES) -> dict:
    """The share of runs fallen by each cause by the end of each month, with its pointwise interval.

    ``fall_months``: one entry per run, the month it fell or None if it stood; ``fall_causes``: the
    cause of each fall (ignored for a run that stood); ``months``: the horizon (months 0 to months - 1).
    ``censored``: for a run that stood, the last month it was observed (default: the horizon, every run
    as long). A cause not in ``causes`` is a ValueError.

    Returns ``{"month": [...], "causes": {cause: {"incidence", "low", "high"}}, "confidence", "method"}``.
    """
    from scipy.stats import norm

    fall_months, fall_causes = list(fall_months), list(fall_causes)
    if len(fall_causes) != len(fall_months):
        raise ValueError(f"{len(fall_months)} fall months but {len(fall_causes)} causes")
    censored = [None] * len(fall_months) if censored is None else list(censored)
    index = {cause: k for k, cause in enumerate(causes)}
    deaths = np.zeros((len(causes), months))
    last = np.empty(len(fall_months), dtype=int)  # the last month each run is at risk
    for i, (month, cause) in enumerate(zip(fall_months, fall_causes)):
        if month is None or (isinstance(month, float) and np.isnan(month)):
            last[i] = months - 1 if censored[i] is None else int(censored[i])
            continue
        if cause not in index:
            raise ValueError(f"{cause!r} is not a fall cause; the causes are {', '.join(causes)}")
        month = int(month)
        if not 0 <= month < months:
            raise ValueError(f"fall month {month} is outside the horizon (0 to {months - 1})")
        deaths[index[cause], month] += 1
        last[i] = month
    at_risk = np.array([(last >= t).sum() for t in range(months)], dtype=float)
    total = deaths.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        hazard = np.where(at_risk > 0, total / np.maximum(at_risk, 1), 0.0)
        standing = np.cumprod(1.0 - hazard)
        before = np.concatenate([[1.0], standing[:-1]])  # S(t-1): standing before month t
        # d / (n (n - d)); no term once every run at risk fell (as Greenwood's in survival_curve)
        greenwood = np.where(at_risk > total, total / (at_risk * np.maximum(at_risk - total, 1)), 0.0)
    z = norm.ppf(0.5 + confidence / 2)
    out = {}
    for k, cause in enumerate(causes):
        d = deaths[k]
        with np.errstate(divide="ignore", invalid="ignore"):
            jump = np.where(at_risk > 0, before * d / np.maximum(at_risk, 1), 0.0)
            incidence = np.cumsum(jump)
            second = np.cumsum(np.where(at_risk > 0, before ** 2 * d * (at_risk - d) / np.maximum(at_risk, 1) ** 3,
                                        0.0))
            third_a = np.where(at_risk > 0, before * d / np.maximum(at_risk, 1) ** 2, 0.0)
        variance = np.empty(months)
        for t in range(months):  # Collett's sums over the months up to t, each against F(t)
            gap = incidence[t] - incidence[: t + 1]
            variance[t] = (greenwood[: t + 1] * gap ** 2).sum() + second[t] - 2 * (third_a[: t + 1] * gap).sum()
        low, high = _loglog(incidence, np.maximum(variance, 0.0), z)
        out[cause] = {"incidence": _rounded(incidence), "low": _rounded(low), "high": _rounded(high)}
    return {"month": list(range(months)), "causes": out, "confidence": confidence, "method": METHOD}


def _loglog(value: np.ndarray, variance: np.ndarray, z: float) -> tuple[np.ndarray, np.ndarray]:
    """The interval of a share on the log(-log) scale (lifelines' and Collett's transform)."""
    inside = (value > 0) & (value < 1)
    low, high = value.copy(), value.copy()
    with np.errstate(divide="ignore", invalid="ignore"):
        log_v = np.log(np.where(inside, value, 0.5))
        spread = z * np.sqrt(variance) / (np.where(inside, value, 0.5) * np.abs(log_v))
        centre = np.log(-log_v)
        low = np.where(inside, np.exp(-np.exp(centre + spread)), low)
        high = np.where(inside, np.exp(-np.exp(centre - spread)), high)
    return low, high


def _rounded(values) -> list[float]:
    return [round(float(v), 6) for v in values]


def at(curves: dict, month: int) -> dict[str, float]:
    """Each cause's cumulative incidence by the end of ``month``."""
    return {cause: curve["incidence"][month] for cause, curve in curves["causes"].items()}
