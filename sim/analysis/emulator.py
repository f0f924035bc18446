"""Gaussian-process emulators of the model's fit-target statistics, for history matching.

A wave of history matching (:mod:`sim.analysis.calibrate`) can run the model at a few hundred
points; the non-implausible region of a dozen parameters may fill a thousandth of the box.
An emulator is a cheap statistical stand-in for the model (Vernon, Goldstein and Bower 2010;
Andrianakis et al. 2015 for agent-based models): for each fit target, a Gaussian process
fitted to the model means at the points run so far predicts the mean at any other point,
with its own uncertainty. The implausibility of a candidate point is then

    I(x) = |observed - E[f(x)]| / sqrt(Var[f(x)] + model variance(x) + tolerance^2)

(for a range, the distance to its nearer end), with the emulator's variance added to the
model's variance across replicates (itself estimated from the nearest points run, as
Andrianakis et al. emulate it separately) and the target's tolerance. Where the emulator
is unsure, Var[f(x)] is large and the point is not ruled out: screening only discards
points the emulator is confident about. Tens of thousands of candidates cost seconds; the
model then runs only at points the emulators find plausible.

Inputs are scaled to the unit cube of the calibration's prior box. As Vernon et al. do, each
target's emulator first picks its active parameters (the ``ACTIVE`` with the largest effects
in a least-squares fit of the means on each parameter and its square), fits that regression
as the emulator's mean function, and fits a Gaussian process to what the regression leaves
over, on the active parameters only. The kernel is a constant times an anisotropic squared
exponential (one length scale per active parameter) plus a white-noise term, which absorbs
the replicate noise of the means and the effects of the inactive parameters. Fitting is
deterministic given the data and ``seed``, and uses one thread (the sweep's workers have the
cores).
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np

NEIGHBOURS = 8  # points whose replicate variance estimates the model's variance at a candidate
MAX_ITERATIONS = 60  # of the likelihood's optimiser, per emulator
ACTIVE = 6  # parameters each target's Gaussian process sees (the regression mean sees them too)


@dataclass
class TargetEmulator:
    """The emulator of one target: its mean (a Gaussian process) and the model's variance
    across replicates (the mean log variance of the nearest points run)."""

    name: str
    low: float
    high: float
    tolerance: float
    share_replicates: int | None  # for a share target: the replicates (variance p(1-p)/n)
    X: np.ndarray
    log_variance: np.ndarray
    gp: object | None
    constant: float | None
    active: np.ndarray | None = None       # the columns of X the regression and the process see
    coefficients: np.ndarray | None = None  # the regression on [1, x, x^2] of the active columns

    def _regression(self, X: np.ndarray) -> np.ndarray:
        return _basis(X[:, self.active]) @ self.coefficients

    def predict(self, X: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """At each row of X (unit cube): the emulated mean, its standard deviation, the model's variance."""
        X = np.atleast_2d(X)
        if self.gp is None:
            mean, sd = np.full(len(X), self.constant), np.zeros(len(X))
        else:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                residual, sd = self.gp.predict(X[:, self.active], return_std=True)
            mean = self._regression(X) + residual
        if self.share_replicates:
            p = np.clip(mean, 0.0, 1.0)
            variance = p * (1 - p) / self.share_replicates
        else:
            variance = np.exp(self._nearest_mean(X, self.log_variance))
        return mean, sd, variance

    def _nearest_mean(self, X: np.ndarray, values: np.ndarray) -> np.ndarray:
        k = min(NEIGHBOURS, len(self.X))
        out = np.empty(len(X))
        for start in range(0, len(X), 2048):  # in blocks: memory stays small whatever the candidates
            block = X[start:start + 2048]
            d = ((block[:, None, :] - self.X[None, :, :]) ** 2).sum(axis=2)
            nearest = np.argpartition(d, k - 1, axis=1)[:, :k]
            out[start:start + 2048] = values[nearest].mean(axis=1)
        return out

    def implausibility(self, X: np.ndarray) -> np.ndarray:
        mean, sd, variance = self.predict(X)
        return implausibility(mean, sd ** 2 + variance, self.low, self.high, self.tolerance)


def screen(emulators: list[TargetEmulator], X: np.ndarray, cutoff: float) -> np.ndarray:
    """The largest implausibility over ``emulators`` at each row of X, for the rows below ``cutoff``;
    for the rest a value at or above it (the first target that ruled the row out).

    The targets are taken one at a time and each is emulated only at the rows no earlier target
    has ruled out: a row is plausible only if every target finds it so, so the rows kept, and
    their largest implausibility, are those of emulating every target at every row, at a fraction
    of the cost where most rows are ruled out early. Pass the emulators most likely to rule a row
    out first (:func:`ruling_order`)."""
    worst = np.zeros(len(X))
    alive = np.arange(len(X))
    for em in emulators:
        if not len(alive):
            break
        worst[alive] = np.maximum(worst[alive], em.implausibility(X[alive]))
        alive = alive[worst[alive] < cutoff]
    return worst


def largest(emulators: list[TargetEmulator], X: np.ndarray) -> np.ndarray:
    """The largest implausibility over ``emulators`` at each row of X, every target emulated at every row."""
    return np.max(np.column_stack([em.implausibility(X) for em in emulators]), axis=1)


def ruling_order(emulators: list[TargetEmulator], X: np.ndarray, cutoff: float) -> list[TargetEmulator]:
    """The emulators in the order of the share of rows of X each rules out at ``cutoff``, the most
    first (ties keep their order): the order :func:`screen` works fastest in."""
    ruled = [float(np.mean(em.implausibility(X) >= cutoff)) for em in emulators]
    return [emulators[i] for i in np.argsort(-np.asarray(ruled), kind="stable")]


def implausibility(mean, variance, low: float, high: float, tolerance: float) -> np.ndarray:
    """|observed - mean| / sqrt(variance + tolerance^2), the distance to the nearer end of a range;
    infinite for a mean that is not finite, 0 or infinite for a zero scale."""
    mean = np.asarray(mean, dtype=float)
    distance = np.maximum(np.maximum(low - mean, mean - high), 0.0)
    scale = np.sqrt(np.maximum(np.asarray(variance, dtype=float), 0.0) + tolerance ** 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(scale > 0, distance / np.where(scale > 0, scale, 1.0), np.where(distance > 0, np.inf, 0.0))
    return np.where(np.isfinite(mean), out, np.inf)


def fit(name: str, X: np.ndarray, means: np.ndarray, variances: np.ndarray, low: float, high: float,
        tolerance: float, share_replicates: int | None = None, seed: int = 0) -> TargetEmulator:
    """Fit one target's emulator to the model means at the points X (rows in the unit cube).

    Points whose mean is not finite (every replicate failed, or the statistic is undefined
    there) are left out; with fewer than three points left, or means that do not vary, the
    emulator is the constant mean with no uncertainty of its own.
    """
    X, means, variances = np.asarray(X, float), np.asarray(means, float), np.asarray(variances, float)
    ok = np.isfinite(means) & np.isfinite(X).all(axis=1)
    X, means = X[ok], means[ok]
    variances = np.where(np.isfinite(variances[ok]), variances[ok], 0.0)
    if len(X) == 0:
        raise ValueError(f"{name}: no point with a finite model mean to emulate")
    floor = max(tolerance ** 2, 1e-12) * 1e-6  # log of a zero variance
    log_variance = np.log(variances + floor)
    if len(X) < 3 or np.ptp(means) <= 1e-12 * max(1.0, abs(means).max()):
        return TargetEmulator(name, low, high, tolerance, share_replicates, X, log_variance, None,
                              float(means.mean()))
    from sklearn.gaussian_process import GaussianProcessRegressor
    from sklearn.gaussian_process.kernels import RBF, ConstantKernel, WhiteKernel
    from threadpoolctl import threadpool_limits

    active = _active(X, means, min(ACTIVE, X.shape[1]))
    basis = _basis(X[:, active])
    ridge = 1e-8 * np.eye(basis.shape[1])
    coefficients = np.linalg.solve(basis.T @ basis + ridge, basis.T @ means)
    residual = means - basis @ coefficients
    kernel = (ConstantKernel(1.0, (1e-3, 1e3)) * RBF(np.full(len(active), 0.5), (1e-2, 1e2))
              + WhiteKernel(1e-2, (1e-8, 1.0)))
    gp = GaussianProcessRegressor(kernel, normalize_y=True, optimizer=_optimise, n_restarts_optimizer=0,
                                  random_state=seed % 2**32)
    with warnings.catch_warnings(), threadpool_limits(1):
        warnings.simplefilter("ignore")  # convergence notes at the bounds: the fit is still usable
        gp.fit(X[:, active], residual)
    return TargetEmulator(name, low, high, tolerance, share_replicates, X, log_variance, gp, None, active,
                          coefficients)


def _basis(X: np.ndarray) -> np.ndarray:
    """The regression's terms: 1, each input and its square."""
    return np.hstack([np.ones((len(X), 1)), X, X ** 2])


def _active(X: np.ndarray, y: np.ndarray, k: int) -> np.ndarray:
    """The k inputs with the largest effect on y: in a least-squares fit of y on every input and
    its square (the first-order and quadratic terms of Vernon et al.'s regression), each input's
    effect is the spread of its two terms over the unit interval."""
    basis = _basis(X)
    coefficients, *_ = np.linalg.lstsq(basis, y - y.mean(), rcond=None)
    d = X.shape[1]
    grid = np.linspace(0, 1, 11)
    effect = np.array([np.ptp(coefficients[1 + j] * grid + coefficients[1 + d + j] * grid ** 2) for j in range(d)])
    return np.sort(np.argsort(-effect, kind="stable")[:k])


def _optimise(objective, start, bounds):
    """Maximum likelihood of the kernel's hyperparameters: L-BFGS-B, as scikit-learn's default,
    with at most ``MAX_ITERATIONS`` iterations (enough to screen; the emulators are checked
    against the runs that follow, see :func:`check`)."""
    from scipy.optimize import minimize

    result = minimize(objective, start, method="L-BFGS-B", jac=True, bounds=bounds,
                      options={"maxiter": MAX_ITERATIONS})
    return result.x, result.fun


def maximin(X: np.ndarray, k: int, seed: int = 0, fixed: np.ndarray | None = None) -> np.ndarray:
    """Indices of k rows of X chosen greedily to lie far from each other (and from the rows of
    ``fixed``): a space-filling subset of the plausible candidates. Deterministic given ``seed``."""
    n = len(X)
    if k >= n:
        return np.arange(n)
    distance = np.full(n, np.inf)
    if fixed is not None and len(fixed):
        for start in range(0, len(fixed), 256):
            block = fixed[start:start + 256]
            distance = np.minimum(distance, ((X[:, None, :] - block[None, :, :]) ** 2).sum(axis=2).min(axis=1))
        chosen = [int(np.argmax(distance))]
    else:
        chosen = [int(np.random.default_rng(seed).integers(n))]
    while len(chosen) < k:
        distance = np.minimum(distance, ((X - X[chosen[-1]]) ** 2).sum(axis=1))
        chosen.append(int(np.argmax(distance)))
    return np.array(chosen)


def latin(n: int, d: int, seed: int) -> np.ndarray:
    """n points of a Latin hypercube in the unit cube of d dimensions."""
    from scipy.stats import qmc

    return qmc.LatinHypercube(d=d, seed=np.random.default_rng(seed)).random(n)


def check(emulators: dict[str, TargetEmulator], X: np.ndarray, means: dict[str, np.ndarray]) -> dict[str, dict]:
    """How well the emulators predicted the means the model then gave at X: per target, the
    share of points within 3 standard deviations (of the emulator and the replicate noise of
    a mean) and the root-mean-square standardised error (about 1 for a well-calibrated emulator)."""
    out = {}
    for name, em in emulators.items():
        mean, sd, _ = em.predict(X)
        actual = np.asarray(means[name], float)
        ok = np.isfinite(actual)
        if not ok.any():
            continue
        z = (actual[ok] - mean[ok]) / np.maximum(sd[ok], 1e-12)
        out[name] = {"points": int(ok.sum()), "within_3_sd": float(np.mean(np.abs(z) <= 3)),
                     "rms_standardised_error": float(math.sqrt(np.mean(np.minimum(z, 1e6) ** 2)))}
    return out
