"""``regime-sim calibrate``: history matching of a scenario's free parameters to the fit targets.

History matching (Craig et al. 1997; Vernon, Goldstein and Bower 2010; Andrianakis et al.
2015 for agent-based models) rules out the parameter values at which the model cannot
reproduce the documented figures, rather than searching for one best value. Each wave runs
a space-filling design over the free parameters on the sweep engine (:mod:`sim.runs.sweep`:
workers, Dask, shards, resume, Parquet), every point with the same replicate seeds (common
random numbers). For every point and fit target the implausibility is

    I = |observed - model mean| / sqrt(model variance across replicates + tolerance^2)

(:meth:`sim.analysis.targets.Target.implausibility`); a point is kept when every I is below the
cutoff (3, Pukelsheim's three-sigma rule). The first wave is a Latin (or Sobol) design over
the free ranges. Each later wave fits a Gaussian-process emulator of every fit target to the
points run so far (:mod:`sim.analysis.emulator`), screens ``candidates`` points of the current
region with them (the emulator's uncertainty counts in the implausibility, so only points
the emulators are sure about are ruled out) and runs the model at a space-filling subset of
the points they find plausible (or, if too few are, at the least implausible). The region
is the box around the points kept so far, or while none is kept around the least implausible
share ``refocus``, widened by a tenth of each free range; the parameters listed in
``whole_range`` keep their whole range in every wave (a parameter the record bounds little
would otherwise stay near the first points kept, by the path of the waves, not by the record).
``stop_at`` ends the waves early
once that many points are kept. The accepted set is the kept points of all waves; the
non-implausible range of a parameter is the span of its accepted values; the best point has
the smallest largest I.

The scenario marks the free parameters::

    [calibrate]
    design = "latin"        # latin | sobol (SALib; sobol gives samples x (D + 2) points)
    samples = 64            # points per wave
    waves = 3
    replicates = 8          # per point
    cutoff = 3.0
    refocus = 0.1           # while nothing is kept, the next wave samples around this share
    emulator = true         # waves after the first screen candidates with emulators
    candidates = 20000      # candidate points screened per emulated wave
    train = 400             # at most this many points (the least implausible) train the emulators
    stop_at = 0             # stop once this many points are kept (0: run every wave)
    ensemble_cutoff = 2.0   # --ensemble keeps the accepted points below this largest I (default: all)
    whole_range = ["survival.pay_weight"]  # free parameters sampled over their whole range in every wave
    sample_seed = 1         # default: from the scenario's seed
    [calibrate.free]
    "violence.isk_attack_rate" = { low = 2.0, high = 8.0 }   # within the parameter's allowed range
    "isk.leader_kill_rate" = { spread = 0.5 }    # the scenario's value +-50%, within the allowed range
    "isk.outside_funding" = { factor = 3 }        # the scenario's value /3 to x3, within the allowed range
    "economy.trend_growth" = {}                   # the whole allowed range

A free value replaces the scenario's value (or schedule) of that parameter for the whole run.
Ranges given relative to the scenario's value follow the model when its defaults change, so
the same command recalibrates a changed model.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim import __version__
from sim.analysis import targets as calibration
from sim.runs import design, store, sweep
from sim.analysis.targets import Target
from sim.model.params import SPEC_BY_NAME, Parameters, closest_name
from sim.runs.scenario import Scenario, ScenarioError

SECTION_KEYS = {"design", "samples", "waves", "replicates", "cutoff", "refocus", "sample_seed", "free", "emulator",
                "candidates", "train", "stop_at", "ensemble_cutoff", "whole_range", "draws", "confirm",
                "confirm_replicates", "confirm_sets", "members_meet", "draw_replicates", "confirm_cutoff"}
DEFAULTS = {"design": "latin", "samples": 64, "waves": 3, "replicates": 8, "cutoff": 3.0, "refocus": 0.1,
            "emulator": True, "candidates": 20000, "train": 400, "stop_at": 0, "draws": 0, "confirm": 0,
            "confirm_replicates": 20, "confirm_sets": 1, "members_meet": False}
CONFIRM_SEED = 0x0C0F12  # added to the root seed: the confirmation's replicate seeds, fresh (none of the waves')
DRAW_BATCHES = 100  # at most this many batches of ``candidates`` uniform draws screened for the ensemble wave
EDGE_FIFTH = 0.5  # a free parameter with more than this share of the members in one outer fifth of its prior
WIDEN = 0.1  # the next region: the box around the focus points, widened by this share of each free range
NO_POINT_KEPT = 1


@dataclass(frozen=True)
class Plan:
    """What decides a calibration's results: scenario, targets, free ranges, design, seeds."""

    scenario: Scenario
    params: Parameters
    targets: tuple[Target, ...]
    targets_path: Path
    free: dict[str, tuple[float, float]]
    kind: str
    samples: int
    waves: int
    replicates: int
    cutoff: float
    refocus: float
    sample_seed: int
    months: int
    scale: float
    root_seed: int
    emulator: bool = True
    candidates: int = 20000
    train: int = 400
    stop_at: int = 0
    ensemble_cutoff: float | None = None  # the ensemble keeps the accepted points below it (None: all)
    whole_range: tuple[str, ...] = ()  # free parameters every wave samples over their whole range
    draws: int = 0  # the ensemble wave: points drawn uniformly from the emulators' not-ruled-out region (0: none)
    confirm: int = 0  # at most this many of its kept points are confirmed on fresh seeds (0: all of them)
    confirm_replicates: int = 20  # replicates of each confirmation, on seeds no wave used
    confirm_sets: int = 1  # a member stays below the cutoff on this many independent sets of fresh seeds
    log: tuple[str, ...] = ()  # free parameters sampled uniformly on a log scale (ranges given as a factor)
    members_meet: bool = False  # a member's median also meets every fit target on each confirmation (as validate's)
    draw_replicates: int | None = None  # replicates of each of the ensemble wave's points (None: the waves')
    confirm_cutoff: float | None = None  # a member stays below it on every confirmation (None: ensemble_cutoff)

    @property
    def confirm_seed(self) -> int:
        """The root seed of the confirmation runs: fresh replicate seeds, none of the waves'."""
        return self.confirm_seeds(1)

    def confirm_seeds(self, n: int) -> int:
        """The root seed of the ``n``-th set of confirmation runs (each fresh: none of the waves' or
        another set's)."""
        return (self.root_seed + n * CONFIRM_SEED) % 2**63

    @property
    def ensemble_cut(self) -> float:
        """The ensemble's cutoff: ``ensemble_cutoff``, else the waves'. A member re-run on fresh seeds
        should stay below it."""
        return self.ensemble_cutoff if self.ensemble_cutoff is not None else self.cutoff

    @property
    def member_cutoff(self) -> float:
        """The cutoff a member stays below on its confirmations: ``confirm_cutoff``, else the ensemble's.
        Below the ensemble's, it leaves a margin for the noise of a confirmation's replicates, so that a
        member chosen on noisy scores stays below the ensemble's cutoff on fresh seeds."""
        return self.confirm_cutoff if self.confirm_cutoff is not None else self.ensemble_cut

    def region_unit(self, region: dict[str, tuple[float, float]]) -> tuple[np.ndarray, np.ndarray]:
        """The low and high corners of ``region`` in the unit cube of the free ranges."""
        return (self.unit([[region[n][i] for n in self.names]])[0] for i in (0, 1))

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self.free)

    @property
    def outcomes(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(["regime_survives", *(t.column for t in self.targets)]))

    def settings(self) -> dict[str, Any]:
        return {"design": self.kind, "samples": self.samples, "waves": self.waves, "replicates": self.replicates,
                "cutoff": self.cutoff, "refocus": self.refocus, "sample_seed": self.sample_seed,
                "emulator": self.emulator, "candidates": self.candidates, "train": self.train,
                "stop_at": self.stop_at, "whole_range": list(self.whole_range),
                **({"draws": self.draws, "confirm": self.confirm, "confirm_replicates": self.confirm_replicates,
                    "confirm_seed": self.confirm_seed} if self.draws else {}),
                **({"confirm_sets": self.confirm_sets,
                    "confirm_seeds": [self.confirm_seeds(n) for n in range(1, self.confirm_sets + 1)]}
                   if self.draws and self.confirm_sets > 1 else {}),
                **({"log": list(self.log)} if self.log else {}),
                **({"members_meet": True} if self.members_meet else {}),
                **({"draw_replicates": self.draw_replicates} if self.draw_replicates else {}),
                **({"confirm_cutoff": self.confirm_cutoff} if self.confirm_cutoff is not None else {}),
                "free": {n: list(r) for n, r in self.free.items()},
                "targets": [t.name for t in self.targets], "months": self.months, "scale": self.scale,
                "root_seed": self.root_seed}

    def fingerprint(self) -> str:
        text = json.dumps({"version": __version__, "parameters": self.params.as_jsonable(),
                           "targets_sha256": _sha256(self.targets_path), **self.settings()},
                          sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()

    def wave_design(self, wave: int, region: dict[str, tuple[float, float]]) -> design.Design:
        """The points of one wave: a Latin or Sobol sample of ``region``."""
        seed = (self.sample_seed + wave - 1) % 2**32
        low, high = self.region_unit(region)
        unit = design.sample(self.kind, {n: (lo, hi) for n, lo, hi in zip(self.names, low, high)}, self.samples, seed)
        points = design.matrix_points(list(self.names), self.scaled([[p[n] for n in self.names] for p in unit]))
        checked = tuple(design.check_point(self.scenario.path, self.params, self.names, p, i, "calibrate.free")
                        for i, p in enumerate(points))
        return design.Design(self.kind, self.names, checked, self.replicates, self.outcomes,
                             {"wave": wave, "samples": self.samples, "sample_seed": seed}, dict(region))

    def unit(self, values: np.ndarray) -> np.ndarray:
        """Points (rows, one column per free parameter) scaled to the unit cube of the free ranges
        (on a log scale for the parameters in ``log``)."""
        return to_unit(values, [self.free[n] for n in self.names], [n in self.log for n in self.names])

    def scaled(self, unit: np.ndarray) -> np.ndarray:
        """The inverse of :meth:`unit`: parameter values of points in the unit cube."""
        return from_unit(unit, [self.free[n] for n in self.names], [n in self.log for n in self.names])

    def fit_emulators(self, region: dict[str, tuple[float, float]], points: pd.DataFrame, seed: int):
        """One emulator per fit target, fitted to the least implausible points run (those in
        ``region`` if there are enough): the training points, their unit-cube values, the emulators."""
        from sim.analysis import emulator

        inside = np.ones(len(points), bool)
        for n, (lo, hi) in region.items():
            inside &= points[n].between(lo, hi).to_numpy()
        training = points[inside] if inside.sum() >= max(10, 2 * len(self.names)) else points
        training = training.sort_values(["max_implausibility", "wave", "point"], kind="stable").head(self.train)
        X = self.unit(training[list(self.names)].to_numpy(float))
        emulators = {}
        for i, t in enumerate(self.targets):
            emulators[t.name] = emulator.fit(
                t.name, X, training[f"mean:{t.name}"].to_numpy(float), training[f"variance:{t.name}"].to_numpy(float),
                t.low, t.high, t.tolerance, self.replicates if t.statistic == "share" else None, seed + i)
        return training, X, emulators

    def values(self, unit: np.ndarray, wave: int, kind: str, replicates: int, details: dict,
               region: dict) -> design.Design:
        """A design of the points ``unit`` (rows in the unit cube of the free ranges)."""
        raw = design.matrix_points(list(self.names), self.scaled(unit))
        checked = tuple(design.check_point(self.scenario.path, self.params, self.names, pt, i, "calibrate.free")
                        for i, pt in enumerate(raw))
        return design.Design(kind, self.names, checked, replicates, self.outcomes, {"wave": wave, **details},
                             dict(region))

    def uniform_design(self, wave: int, region: dict[str, tuple[float, float]],
                       points: pd.DataFrame) -> tuple[design.Design, dict]:
        """The ensemble wave: ``draws`` points drawn uniformly over ``region`` (the box around every
        point kept so far, widened by a tenth of each range, and the whole range of the
        ``whole_range`` parameters) and kept if the emulators (fitted to the points run) do not rule
        them out, so that the points, and the members confirmed among them, spread evenly over the
        region the record leaves plausible (not over a space-filling design's edges). Draws
        ``candidates`` at a time, at most ``DRAW_BATCHES`` times, kept where the emulators' implausibility,
        their own uncertainty included, is below :attr:`member_cutoff` (a draw the emulators are sure lies
        above it cannot become a member); if fewer than ``draws`` are
        plausible, it runs those and says so (the record of the screening), and if none is, the
        least implausible of the last batch (then ``uniform`` is false). The targets are emulated one
        at a time, each at the draws no earlier one ruled out (:func:`sim.analysis.emulator.screen`)."""
        import time

        from sim.analysis import emulator

        started = time.perf_counter()
        seed = (self.sample_seed + 104729 * wave) % 2**32
        training, _, emulators = self.fit_emulators(region, points, seed)
        low, high = self.region_unit(region)
        rng = np.random.default_rng(seed)
        kept, screened, batch, order, lowest = [], 0, None, None, np.inf
        for _ in range(DRAW_BATCHES):
            batch = low + rng.random((self.candidates, len(self.names))) * (high - low)
            if order is None:  # the targets that rule most draws out first, from the first batch's first 2,000
                order = emulator.ruling_order([emulators[t.name] for t in self.targets], batch[:2000],
                                              self.member_cutoff)
            worst = emulator.screen(order, batch, self.member_cutoff)
            screened += len(batch)
            lowest = min(lowest, float(worst.min()))  # exact once a draw is plausible
            kept.append(batch[worst < self.member_cutoff])
            if sum(len(k) for k in kept) >= self.draws:
                break
        plausible = np.vstack(kept)
        least = (lowest, None)
        if not len(plausible):  # none plausible: the least implausible of the last batch, every target emulated
            worst = emulator.largest([emulators[t.name] for t in self.targets], batch)
            least = (float(worst.min()), batch[np.argsort(worst, kind="stable")[: self.draws]])
        chosen = plausible[: self.draws] if len(plausible) else least[1]
        record = {"candidates": screened, "trained_on": len(training), "emulator_plausible": int(len(plausible)),
                  "plausible_share": len(plausible) / screened, "least_emulated_implausibility": least[0],
                  "drawn": int(len(chosen)), "uniform": bool(len(plausible)),
                  "seconds": round(time.perf_counter() - started, 2)}
        d = self.values(chosen, wave, "uniform", self.draw_replicates or self.replicates,
                        {"samples": self.draws, "sample_seed": seed, "candidates": screened}, dict(region))
        return d, record

    def emulated_design(self, wave: int, region: dict[str, tuple[float, float]],
                        points: pd.DataFrame) -> tuple[design.Design, dict, dict]:
        """The points of a later wave: emulators fitted to ``points`` (every point run so far)
        screen candidates in ``region``; the model runs at a space-filling subset of the
        plausible ones, or at the least implausible if too few are plausible.

        Returns the design, a record of the screening and the emulators (to check them
        against the runs that follow).
        """
        import time

        from sim.analysis import emulator

        started = time.perf_counter()
        seed = (self.sample_seed + 7919 * wave) % 2**32
        training, X, emulators = self.fit_emulators(region, points, seed)
        fitted = time.perf_counter() - started
        # candidates: a Latin hypercube of the region, and as many around the least implausible points run
        low, high = self.region_unit(region)
        half = self.candidates // 2
        spread = emulator.latin(half, len(self.names), seed) * (high - low) + low
        best = X[: min(20, len(X))]
        rng = np.random.default_rng(seed + 1)
        local = best[rng.integers(len(best), size=self.candidates - half)]
        local = np.clip(local + rng.normal(0.0, 0.1, local.shape) * (high - low), low, high)
        wide = [self.names.index(n) for n in self.whole_range]  # their region is their whole range
        local[:, wide] = rng.random((len(local), len(wide)))
        candidates = np.vstack([spread, local])
        worst = emulator.largest([emulators[t.name] for t in self.targets], candidates)
        plausible = np.flatnonzero(worst < self.cutoff)
        if len(plausible) >= self.samples:
            chosen = plausible[emulator.maximin(candidates[plausible], self.samples, seed, fixed=X)]
        else:
            rest = np.setdiff1d(np.argsort(worst, kind="stable")[: self.samples * 5], plausible)
            fill = rest[np.argsort(worst[rest], kind="stable")][: self.samples - len(plausible)]
            chosen = np.concatenate([plausible, fill])
        raw = design.matrix_points(list(self.names), self.scaled(candidates[chosen]))
        checked = tuple(design.check_point(self.scenario.path, self.params, self.names, pt, i, "calibrate.free")
                        for i, pt in enumerate(raw))
        record = {"candidates": len(candidates), "trained_on": len(training),
                  "emulator_plausible": int(len(plausible)), "plausible_share": len(plausible) / len(candidates),
                  "least_emulated_implausibility": float(worst.min()), "fit_seconds": round(fitted, 2),
                  "screen_seconds": round(time.perf_counter() - started - fitted, 2)}
        d = design.Design("emulated", self.names, checked, self.replicates, self.outcomes,
                          {"wave": wave, "samples": self.samples, "sample_seed": seed,
                           "candidates": self.candidates, "trained_on": len(training)}, dict(region))
        return d, record, emulators


def plan(scenario: Scenario, params: Parameters, targets_path: Path, months: int, scale: float, root_seed: int,
         replicates: int | None = None) -> Plan:
    """Read and check the scenario's ``[calibrate]`` section and the fit targets."""
    path, section = scenario.path, scenario.calibrate
    if not section:
        raise ScenarioError(path, "calibrate", "the scenario has no [calibrate] section, so nothing is free; add "
                                               "one with a [calibrate.free] table of parameter ranges, e.g. "
                                               "\"violence.isk_attack_rate\" = { low = 2.0, high = 8.0 }")
    design.check_keys(path, section, "calibrate", SECTION_KEYS)
    kind = section.get("design", DEFAULTS["design"])
    if kind not in ("latin", "sobol"):
        raise ScenarioError(path, "calibrate.design", f"{kind!r} is not a calibration design; use latin or sobol")
    samples = _whole(path, section, "samples", 2, 100_000)
    if kind == "sobol" and samples & (samples - 1):
        raise ScenarioError(path, "calibrate.samples", f"{samples} is not a power of two, which Sobol sampling needs")
    waves = _whole(path, section, "waves", 1, 100)
    reps = replicates or _whole(path, section, "replicates", 2, 100_000)
    if reps < 2:
        raise ScenarioError("--replicates", str(reps), "history matching needs at least 2 replicates per point "
                                                       "(the model's variance across replicates)")
    cutoff = section.get("cutoff", DEFAULTS["cutoff"])
    if not _number(cutoff) or not cutoff > 0:
        raise ScenarioError(path, "calibrate.cutoff", f"{cutoff!r} is not a positive number (3 is usual)")
    refocus = section.get("refocus", DEFAULTS["refocus"])
    if not _number(refocus) or not 0 < refocus <= 1:
        raise ScenarioError(path, "calibrate.refocus", f"{refocus!r} is not a share in (0, 1]")
    use_emulator = section.get("emulator", DEFAULTS["emulator"])
    if not isinstance(use_emulator, bool):
        raise ScenarioError(path, "calibrate.emulator", f"{use_emulator!r} is not true or false")
    candidates = _whole(path, section, "candidates", 100, 1_000_000)
    train = _whole(path, section, "train", 10, 5_000)
    stop_at = _whole(path, section, "stop_at", 0, 10_000_000)
    ensemble_cutoff = section.get("ensemble_cutoff")
    if ensemble_cutoff is not None and (not _number(ensemble_cutoff) or not 0 < ensemble_cutoff <= cutoff):
        raise ScenarioError(path, "calibrate.ensemble_cutoff", f"{ensemble_cutoff!r} is not a number above 0 and at "
                                                               f"most the calibration's cutoff ({cutoff:g})")
    sample_seed = section.get("sample_seed", root_seed % 2**32)
    if isinstance(sample_seed, bool) or not isinstance(sample_seed, int) or not 0 <= sample_seed < 2**32:
        raise ScenarioError(path, "calibrate.sample_seed", f"{sample_seed!r} is not a whole number in [0, 2^32)")
    whole_range = section.get("whole_range", [])
    draws = _whole(path, section, "draws", 0, 1_000_000)
    confirm = _whole(path, section, "confirm", 0, 1_000_000)
    confirm_replicates = _whole(path, section, "confirm_replicates", 2, 100_000)
    confirm_sets = _whole(path, section, "confirm_sets", 1, 10)
    members_meet = section.get("members_meet", DEFAULTS["members_meet"])
    if not isinstance(members_meet, bool):
        raise ScenarioError(path, "calibrate.members_meet", f"{members_meet!r} is not true or false")
    draw_replicates = design.whole(path, section, "draw_replicates", None, 2, 100_000, "calibrate") \
        if "draw_replicates" in section else None
    confirm_cutoff = section.get("confirm_cutoff")
    ensemble_cut = ensemble_cutoff if ensemble_cutoff is not None else cutoff
    if confirm_cutoff is not None and (not _number(confirm_cutoff) or not 0 < confirm_cutoff <= ensemble_cut):
        raise ScenarioError(path, "calibrate.confirm_cutoff", f"{confirm_cutoff!r} is not a number above 0 and at "
                                                              f"most the ensemble's cutoff ({ensemble_cut:g})")
    if draws and not use_emulator:
        raise ScenarioError(path, "calibrate.draws", "the ensemble wave draws from the emulators' not-ruled-out "
                                                     "region; set emulator = true, or draws = 0")
    free = section.get("free")
    if not isinstance(free, dict) or not free:
        raise ScenarioError(path, "calibrate.free", "no free parameters; add a [calibrate.free] table, e.g. "
                                                    "\"violence.isk_attack_rate\" = { low = 2.0, high = 8.0 }")
    ranges, log = {}, []
    for name, spec in _flatten(path, free).items():
        ranges[name] = free_range(path, name, spec, params)
        if on_log_scale(path, name, spec, ranges[name]):
            log.append(name)
    if not isinstance(whole_range, list) or any(not isinstance(n, str) or n not in ranges for n in whole_range):
        raise ScenarioError(path, "calibrate.whole_range", f"{whole_range!r} is not a list of free parameters "
                                                           "(names from [calibrate.free])")
    targets = calibration.load(targets_path)
    skipped = [t for t in targets if t.role == "fit" and not t.available]
    for t in skipped:
        print(f"regime-sim: note: fit target {t.name} is not used: the model does not output {t.column!r} "
              f"({t.pending})", file=sys.stderr)
    fit = tuple(t for t in targets if t.role == "fit" and t.available)
    if not fit:
        raise ScenarioError(targets_path, None, "has no fit target the model can compute; calibration needs one")
    calibration.check_run(fit, months, targets_path)
    return Plan(scenario, params, fit, Path(targets_path), ranges, kind, samples, waves, reps, float(cutoff),
                float(refocus), sample_seed, months, scale, root_seed, use_emulator, candidates, train, stop_at,
                None if ensemble_cutoff is None else float(ensemble_cutoff), tuple(whole_range), draws, confirm,
                confirm_replicates, confirm_sets, tuple(log), members_meet, draw_replicates,
                None if confirm_cutoff is None else float(confirm_cutoff))


def _number(value: Any) -> bool:
    """Whether a scenario's value is a number (an int or a float; TOML's true and false are not)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def on_log_scale(path: Path, name: str, spec: Any, bounds: tuple[float, float]) -> bool:
    """Whether a free parameter is sampled uniformly on a log scale: a range given as a ``factor``
    (an uncertainty by a multiple: the value / f and the value x f are equally likely), or one
    marked ``log = true`` (a positive scale, such as a time constant, uncertain by orders of
    magnitude: Jeffreys's prior)."""
    if not isinstance(spec, dict):
        return False
    log = spec.get("log", "factor" in spec)
    if not isinstance(log, bool):
        raise ScenarioError(path, f"calibrate.free.{name}.log", f"{log!r} is not true or false")
    if log and not bounds[0] > 0:
        raise ScenarioError(path, f"calibrate.free.{name}.log", f"a log scale needs a positive range; the range is "
                                                                f"{bounds[0]:g} to {bounds[1]:g}")
    return log


def free_range(path: Path, name: str, spec: Any, params: Parameters) -> tuple[float, float]:
    """A free parameter's range: ``{ low, high }`` (missing ends: the allowed range), ``{}`` (the
    allowed range), ``{ spread = s }`` (the scenario's value +- s of it) or ``{ factor = f }``
    (the value / f to the value x f); relative ranges are cut to the allowed range. ``log = true``
    (:func:`on_log_scale`) may be added to ``{ low, high }``."""
    key = f"calibrate.free.{name}"
    allowed = SPEC_BY_NAME[name]
    if isinstance(spec, dict) and "log" in spec:
        spec = {k: v for k, v in spec.items() if k != "log"}
    if isinstance(spec, dict) and len(spec) == 1 and set(spec) & {"spread", "factor"}:
        (how, amount), = spec.items()
        value = params[name]
        if allowed.choices or not _number(value):
            raise ScenarioError(path, key, f"{how} needs a number to centre on; the scenario's value is {value}")
        if not _number(amount) or not (0 < amount <= 1 if how == "spread" else amount > 1):
            raise ScenarioError(path, f"{key}.{how}", f"{amount!r} is not " + (
                "a share in (0, 1]" if how == "spread" else "a number above 1"))
        if how == "spread":
            half = amount * (abs(value) if value else (allowed.high - allowed.low) / 2)
            low, high = value - half, value + half
        else:
            if value <= 0:
                raise ScenarioError(path, key, f"factor needs a positive value to scale; the scenario's is {value}")
            low, high = value / amount, value * amount
        low, high = max(float(allowed.low), low), min(float(allowed.high), high)
        if not low < high:
            raise ScenarioError(path, key, f"the range {low:g} to {high:g} is empty within {allowed.range_text}")
        return low, high
    if isinstance(spec, dict) and set(spec) - {"low", "high"}:
        raise ScenarioError(path, key, "must be { low = ..., high = ... } (with log = true for a log scale), {} (the "
                                       "allowed range), { spread = 0.5 } or { factor = 3 }")
    return design.value_range(path, name, spec, "calibrate.free")


def _whole(path: Path, section: dict, key: str, low: int, high: int) -> int:
    return design.whole(path, section, key, DEFAULTS[key], low, high, "calibrate")


def _flatten(path: Path, table: dict, prefix: str = "") -> dict[str, Any]:
    """``[calibrate.free]`` with quoted dotted names or nested tables, as name -> range."""
    out = {}
    for key, value in table.items():
        name = f"{prefix}.{key}" if prefix else key
        if name in SPEC_BY_NAME:
            out[name] = value
        elif isinstance(value, dict) and any(s.startswith(name + ".") for s in SPEC_BY_NAME):
            out |= _flatten(path, value, name)
        else:
            hint = closest_name(name)
            raise ScenarioError(path, f"calibrate.free.{name}", "unknown parameter"
                                + (f" (did you mean {hint}?)" if hint else "; 'regime-sim params' lists them"))
    return out


# ---------------------------------------------------------------------------- the waves

def run(p: Plan, out: Path, workers: int = 1, scheduler: str | None = None, shard: sweep.Shard = sweep.Shard(),
        resume: bool = False, chunk_size: int = 100, progress: bool = True, fmt: str = "png") -> dict:
    """Run the waves into ``out`` and write the results; return the calibration summary.

    With a shard of a job array, run that slice of the first unfinished wave and stop
    (``status`` = "shard done"): merge the wave's shards and resume to go on.
    """
    import time

    out = Path(out)
    _start(p, out, resume, sharded=shard.count > 1)
    started = time.perf_counter()
    region, evaluated, waves = dict(p.free), [], []
    for wave in range(1, p.waves + 1):
        wave_started = time.perf_counter()
        screening, emulators = None, None
        if wave == 1 or not p.emulator:
            d = p.wave_design(wave, region)
        else:
            d, screening, emulators = p.emulated_design(wave, region, pd.concat(evaluated, ignore_index=True))
            print(f"wave {wave}: the emulators ({screening['trained_on']} points, {screening['fit_seconds']:.0f} s) "
                  f"find {screening['emulator_plausible']} of {screening['candidates']} candidates plausible; "
                  f"running {len(d.points)}", file=sys.stderr)
        folder = out / f"wave-{wave}"
        summary = _stage(p, d, p.root_seed, folder, workers, scheduler, shard, resume, chunk_size, progress)
        if "status" in summary:
            return summary | {"wave": wave}
        table = evaluate_wave(folder, d, p.targets, p.cutoff)
        table.insert(0, "wave", wave)
        evaluated.append(table)
        kept = table[table["kept"]]
        everything = pd.concat(evaluated, ignore_index=True)
        all_kept = everything[everything["kept"]]
        focus = all_kept if len(all_kept) else everything.sort_values(
            ["max_implausibility", "wave", "point"], kind="stable").head(max(2, math.ceil(p.refocus * len(table))))
        record = {"wave": wave, "design": d.kind, "points": len(d.points), "runs": d.runs,
                  "runs_failed": summary["runs_failed"], "kept": len(kept), "kept_so_far": len(all_kept),
                  "region": {n: list(r) for n, r in region.items()}, "results_sha256": summary["results_sha256"],
                  "seconds": round(time.perf_counter() - wave_started, 1),
                  **({"resumed": True} if summary.get("resumed") else {})}
        if screening is not None:
            X = p.unit(table[list(p.names)].to_numpy(float))
            screening["check"] = emulator_check(emulators, X, table)
            record["emulator"] = screening
        waves.append(record)
        failed = f", {summary['runs_failed']} run(s) failed (recorded in wave-{wave}/runs)" if summary["runs_failed"] \
            else ""
        print(f"wave {wave}: {len(kept)} of {len(d.points)} points not implausible (every fit target's "
              f"implausibility < {p.cutoff:g}), {len(all_kept)} kept so far{failed}; "
              f"{time.perf_counter() - started:.0f} s", file=sys.stderr)
        region = next_region(focus, region, p.free, p.whole_range, p.log)
        if p.stop_at and len(all_kept) >= p.stop_at:
            print(f"stopping after wave {wave}: {len(all_kept)} points kept (stop_at = {p.stop_at})", file=sys.stderr)
            break
    confirmed = None
    if p.draws:
        # the ensemble wave: uniform draws from the emulators' not-ruled-out region, run at the waves' replicates
        wave = int(pd.concat(evaluated)["wave"].max()) + 1
        wave_started = time.perf_counter()
        d, screening = p.uniform_design(wave, region, pd.concat(evaluated, ignore_index=True))
        print(f"ensemble wave {wave}: the emulators find {screening['emulator_plausible']} of "
              f"{screening['candidates']} uniform draws over the region plausible; running {len(d.points)}",
              file=sys.stderr)
        stage = _stage(p, d, p.root_seed, out / f"wave-{wave}", workers, scheduler, shard, resume, chunk_size,
                       progress)
        if "status" in stage:
            return stage | {"wave": wave}
        table = evaluate_wave(out / f"wave-{wave}", d, p.targets, p.cutoff)
        table.insert(0, "wave", wave)
        evaluated.append(table)
        waves.append({"wave": wave, "design": "uniform", "points": len(d.points), "runs": d.runs,
                      "runs_failed": stage["runs_failed"], "kept": int(table["kept"].sum()),
                      "kept_so_far": int(pd.concat(evaluated)["kept"].sum()), "region": {n: list(r) for n, r in region.items()},
                      "results_sha256": stage["results_sha256"], "emulator": screening,
                      "seconds": round(time.perf_counter() - wave_started, 1),
                      **({"resumed": True} if stage.get("resumed") else {})})
        print(f"ensemble wave {wave}: {int(table['kept'].sum())} of {len(d.points)} points not implausible; "
              f"{time.perf_counter() - started:.0f} s", file=sys.stderr)
        # the confirmation: each kept point again, at confirm_replicates on fresh seeds
        candidates = table[table["kept"]]
        if p.confirm and len(candidates) > p.confirm:  # a uniform subset keeps the spread even
            pick = np.random.default_rng((p.sample_seed + 7 * wave) % 2**32).choice(len(candidates), p.confirm,
                                                                                     replace=False)
            candidates = candidates.iloc[np.sort(pick)]
        if len(candidates):
            wave_started = time.perf_counter()
            c, stage, confirmed = _confirm(p, candidates, 1, wave, out, (workers, scheduler, shard, resume, chunk_size,
                                                                         progress))
            if confirmed is None:
                return stage
            confirmed.insert(0, "wave", wave)
            confirmed["point"] = candidates["point"].to_numpy()
            confirmed["screen_max_implausibility"] = candidates["max_implausibility"].to_numpy()
            cut = p.member_cutoff
            confirmed["member"] = members(confirmed, cut, p.members_meet)
            waves.append(_confirm_record(p, "confirm", 1, c, stage, int(confirmed["member"].sum()), wave_started))
            also = " and meet every fit target" if p.members_meet else ""
            print(f"confirmation: {int(confirmed['member'].sum())} of {len(confirmed)} points stay below {cut:g}{also} "
                  f"at {p.confirm_replicates} replicates on fresh seeds; {time.perf_counter() - started:.0f} s",
                  file=sys.stderr)
            for n in range(2, p.confirm_sets + 1):
                # again on another set of fresh seeds: a point that passed one set by luck rarely passes two
                wave_started = time.perf_counter()
                passing = confirmed[confirmed["member"]]
                if not len(passing):
                    break
                c, stage, again = _confirm(p, passing, n, wave, out, (workers, scheduler, shard, resume, chunk_size,
                                                                      progress))
                if again is None:
                    return stage
                again.index = passing.index
                confirmed[f"max_implausibility_set_{n}"] = again["max_implausibility"]  # NaN for the points not run
                confirmed.loc[passing.index, f"meets_targets_set_{n}"] = again["meets_targets"]
                confirmed["member"] &= members(again, cut, p.members_meet).reindex(confirmed.index, fill_value=True)
                waves.append(_confirm_record(p, f"confirm-{n}", n, c, stage, int(confirmed["member"].sum()),
                                             wave_started))
                print(f"confirmation, set {n}: {int(confirmed['member'].sum())} of {len(passing)} points stay below "
                      f"{cut:g}{also} again on another set of fresh seeds; {time.perf_counter() - started:.0f} s",
                      file=sys.stderr)
    points = pd.concat(evaluated, ignore_index=True)
    return write_results(p, out, points, waves, fmt, seconds=time.perf_counter() - started, confirmed=confirmed)


def _confirm(p: Plan, rows: pd.DataFrame, n: int, wave: int, out: Path, running: tuple):
    """Run the points ``rows`` again at ``confirm_replicates`` on the ``n``-th set of fresh seeds (folder
    ``confirm``, then ``confirm-2``, ...): the design, the stage's summary, and each point's scores (None
    when a shard of a job array only ran its slice: the summary then says so)."""
    name = "confirm" if n == 1 else f"confirm-{n}"
    details = {"wave": wave, "confirms": "ensemble wave", **({"set": n} if n > 1 else {}),
               "root_seed": p.confirm_seeds(n)}
    c = design.Design("confirm", p.names, tuple({k: _plain(r[k]) for k in p.names} for _, r in rows.iterrows()),
                      p.confirm_replicates, p.outcomes, details, dict(p.free))
    stage = _stage(p, c, p.confirm_seeds(n), out / name, *running)
    if "status" in stage:
        return c, stage | {"wave": name}, None
    return c, stage, evaluate_wave(out / name, c, p.targets, p.cutoff)


def _confirm_record(p: Plan, name: str, n: int, c: design.Design, stage: dict, kept: int, started: float) -> dict:
    """The record of one confirmation set, beside the waves'."""
    import time

    return {"wave": name, "design": "confirm", "points": len(c.points), "runs": c.runs,
            "runs_failed": stage["runs_failed"], "kept": kept, "replicates": p.confirm_replicates,
            "root_seed": p.confirm_seeds(n), "cutoff": p.member_cutoff, "results_sha256": stage["results_sha256"],
            "seconds": round(time.perf_counter() - started, 1), **({"resumed": True} if stage.get("resumed") else {})}


def _stage(p: Plan, d: design.Design, root_seed: int, folder: Path, workers, scheduler, shard, resume, chunk_size,
           progress) -> dict:
    """Run one design into ``folder`` (a slice of it with a shard of a job array: then
    ``status`` = "shard done"); the sweep's summary, with ``resumed`` when an earlier session had
    finished it (its time is not this session's)."""
    plan = sweep.Sweep(p.scenario, p.params, d, p.months, p.scale, root_seed)
    if shard.count > 1 and not _complete(folder, plan):
        sweep.run(plan, folder / f"shard-{shard.index}-of-{shard.count}", workers, scheduler, shard, resume,
                  chunk_size, progress)
        return {"status": "shard done", "folder": str(folder)}
    resumed = _complete(folder, plan)
    summary = sweep.run(plan, folder, workers, scheduler, sweep.Shard(), resume or resumed, chunk_size, progress)
    return summary | ({"resumed": True} if resumed else {})


def edges(members: pd.DataFrame, prior: dict[str, tuple[float, float]], limit: float = EDGE_FIFTH,
          log: tuple[str, ...] = ()) -> pd.DataFrame:
    """Each free parameter's share of the members in the lowest and the highest fifth of its prior
    range (on its sampling scale: log for those in ``log``), flagged when either share is above
    ``limit`` (a half): the prior box, not the record, would then set where the members lie. A
    uniform spread puts a fifth in each."""
    rows = []
    for name, (low, high) in prior.items():
        if name not in members or not len(members):
            continue
        x = to_unit(members[[name]].to_numpy(float), [(low, high)], [name in log])[:, 0]
        lowest, highest = float(np.mean(x <= 0.2)), float(np.mean(x >= 0.8))
        rows.append({"parameter": name, "prior_low": low, "prior_high": high, "members": len(x),
                     "lowest_fifth": lowest, "highest_fifth": highest,
                     "piled": "low" if lowest > limit else "high" if highest > limit else ""})
    return pd.DataFrame(rows, columns=["parameter", "prior_low", "prior_high", "members", "lowest_fifth",
                                       "highest_fifth", "piled"])


def ensemble_edges(path: str | Path, limit: float = EDGE_FIFTH) -> pd.DataFrame:
    """:func:`edges` of an ensemble file, over the priors its provenance (PATH.json) records."""
    path = Path(path)
    record = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    prior = {n: tuple(r) for n, r in record["settings"]["free"].items()}
    return edges(pd.read_csv(path), prior, limit, tuple(record["settings"].get("log", ())))


def emulator_check(emulators: dict, X: np.ndarray, table: pd.DataFrame) -> dict:
    """How well the wave's emulators predicted the model means it then ran (:func:`emulator.check`)."""
    from sim.analysis import emulator

    return emulator.check(emulators, X, {name: table[f"mean:{name}"].to_numpy(float) for name in emulators})


def _start(p: Plan, out: Path, resume: bool, sharded: bool = False) -> None:
    """Write the calibration's manifest; on resume check that it is the same calibration.

    The jobs of a job array (``sharded``) run at once: each may find the manifest written
    by another, and leaves it as it is (each shard's sweep folder records its own session).
    """
    from sim.runs.outputs import command_line, manifest, now, relative, write_json
    from sim.runs.runner import replicate_seeds

    path = out / "manifest.json"
    session = {"command": command_line(), "started": now()}
    if path.is_file():
        if sharded and sweep.read_manifest(out).get("fingerprint") == p.fingerprint():
            return
        if not resume and not sharded:
            raise ScenarioError("--out", str(out), "already holds a calibration; add --resume to finish it, "
                                                   "or choose another --out")
        record = sweep.read_manifest(out)
        if record.get("fingerprint") != p.fingerprint():
            raise ScenarioError("--resume", str(out), "holds a different calibration (scenario, targets, "
                                                      "[calibrate], seed, months, scale or version differ)")
        record["sessions"].append(session)
    else:
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise ScenarioError("--out", str(out), f"cannot create the output folder ({err.strerror})") from None
        record = manifest(p.scenario, p.params, p.root_seed, replicate_seeds(p.root_seed, p.replicates), p.months,
                          p.scale, p.replicates)
        record |= {"kind": "calibration", "fingerprint": p.fingerprint(), "calibrate": p.settings(),
                   "targets": {"path": relative(p.targets_path), "sha256": _sha256(p.targets_path)},
                   "sessions": [session]}
    if sharded:  # another job may be writing it at the same moment: a temporary file of our own
        tmp = path.with_name(f"manifest.json.{os.getpid()}.tmp")
        write_json(tmp, record)
        os.replace(tmp, path)
    else:
        write_json(path, record)


def _complete(folder: Path, plan: sweep.Sweep) -> bool:
    """Whether ``folder`` holds every run of this wave (e.g. after merging its shards)."""
    if not (folder / "manifest.json").is_file():
        return False
    record = sweep.read_manifest(folder)
    return (record.get("fingerprint") == plan.fingerprint() and record.get("shard") == "1/1"
            and len(set(store.read_column(folder, "run_id"))) == plan.design.runs)


def evaluate_wave(folder: Path, d: design.Design, targets: tuple[Target, ...], cutoff: float) -> pd.DataFrame:
    """One row per point: its values, each fit target's model mean, median and implausibility, whether
    kept, and whether every target's median is met as ``validate`` scores it (``meets_targets``).

    A run ends at the regime's fall: a target is scored on the point's replicates that reached the
    end of its window (``replicates:<target>``), the survival target on all of them; a point none of
    whose replicates reached a window has a NaN mean there, and is implausible."""
    columns = sorted({t.column for t in targets})
    series = store.read_timeseries(folder, columns=["run_id", "month", *columns])
    rows = pd.DataFrame(list(d.points), columns=list(d.parameters))
    rows.insert(0, "point", range(len(d.points)))
    rows["replicates_ok"] = 0
    measures = {}
    meets = np.ones(len(d.points), dtype=bool)
    for t in targets:
        run_ids, matrix = calibration.matrix(series, t.column, by="run_id")
        values = t.per_run(matrix)
        point_of = run_ids // d.replicates
        means, variances, medians, implausibility, reached = [], [], [], [], []
        for point in range(len(d.points)):
            s = score(t, values[point_of == point])
            means.append(s["mean"])
            variances.append(s["variance"])
            medians.append(s["median"])
            implausibility.append(s["implausibility"])
            reached.append(s["n"])
        meets &= np.array([t.met(m) and t.in_range(m) is not False for m in medians], dtype=bool)
        measures[f"mean:{t.name}"] = means
        measures[f"variance:{t.name}"] = variances
        measures[f"median:{t.name}"] = medians
        measures[f"implausibility:{t.name}"] = implausibility
        measures[f"replicates:{t.name}"] = reached  # those that reached the window's end (all, for a share)
    if len(series):
        counts = pd.Series(series["run_id"].unique() // d.replicates).value_counts()
        rows["replicates_ok"] = rows["point"].map(counts).fillna(0).astype(int)
    rows = pd.concat([rows, pd.DataFrame(measures)], axis=1)
    implausible = rows[[f"implausibility:{t.name}" for t in targets]]
    rows["max_implausibility"] = implausible.max(axis=1)
    rows["kept"] = rows["max_implausibility"] < cutoff
    rows["meets_targets"] = meets  # every target's median met as validate scores it (Target.met, Target.in_range)
    return rows


def score(t: Target, values: np.ndarray) -> dict:
    """One point's figure for a target from its replicates' values (:meth:`Target.summary`) and its
    implausibility: the larger of the distance within the tolerance (:meth:`Target.implausibility`)
    and, where the observed range is wider than the tolerance, the distance of the median from the
    range itself in standard errors (:meth:`Target.range_implausibility`)."""
    s = t.summary(values)
    return s | {"implausibility": max(t.implausibility(s["mean"], s["variance"]),
                                      t.range_implausibility(s["median"], s["variance"], s["n"]))}


def members(confirmed: pd.DataFrame, cutoff: float, meet: bool = False) -> pd.Series:
    """Which confirmed points enter the ensemble: those whose largest implausibility on the fresh
    seeds of the confirmation is below ``cutoff`` (a point kept by luck at the waves' few
    replicates is dropped here, whatever its score there), and with ``meet`` whose median also meets
    every fit target as ``validate`` scores it (within the tolerance, and inside the observed range
    where that is wider): the median of a mixture lies between its members' medians, so an ensemble
    of such members meets every target."""
    keep = confirmed["max_implausibility"] < cutoff
    return keep & confirmed["meets_targets"] if meet else keep


def next_region(kept: pd.DataFrame, region: dict, prior: dict,
                whole_range: tuple[str, ...] = (), log: tuple[str, ...] = ()) -> dict[str, tuple[float, float]]:
    """The box around the focus points, widened by a tenth of each free range (on its scale: see
    :func:`to_unit`), within the prior; the parameters in ``whole_range`` keep their whole prior range."""
    out = {}
    for name in region:
        if name in whole_range:
            out[name] = prior[name]
            continue
        x = to_unit(kept[[name]].to_numpy(float), [prior[name]], [name in log])[:, 0]
        lo, hi = max(0.0, float(x.min()) - WIDEN), min(1.0, float(x.max()) + WIDEN)
        lo, hi = from_unit([[lo, hi]], [prior[name]] * 2, [name in log] * 2)[0]
        out[name] = (max(prior[name][0], float(lo)), min(prior[name][1], float(hi)))
    return out


def to_unit(values, ranges, log) -> np.ndarray:
    """Points (rows; one column per range) as shares of their ranges, on a log scale where ``log``."""
    x = np.asarray(values, float)
    low, high = (np.array([r[i] for r in ranges], float) for i in (0, 1))
    log = np.asarray(log, bool)
    if log.any():
        x, low, high = x.copy(), low.copy(), high.copy()
        x[..., log], low[log], high[log] = np.log(x[..., log]), np.log(low[log]), np.log(high[log])
    return (x - low) / (high - low)


def from_unit(unit, ranges, log) -> np.ndarray:
    """The inverse of :func:`to_unit`."""
    u = np.asarray(unit, float)
    low, high = (np.array([r[i] for r in ranges], float) for i in (0, 1))
    log = np.asarray(log, bool)
    if not log.any():
        return u * (high - low) + low
    bounds = low.copy(), high.copy()
    low[log], high[log] = np.log(low[log]), np.log(high[log])
    x = u * (high - low) + low
    x[..., log] = np.exp(x[..., log])
    return np.clip(x, *bounds)  # exp(log(b)) may overshoot b by a rounding error


# ---------------------------------------------------------------------------- results

def write_results(p: Plan, out: Path, points: pd.DataFrame, waves: list[dict], fmt: str,
                  seconds: float | None = None, confirmed: pd.DataFrame | None = None) -> dict:
    """points.csv (every point), accepted.csv, ranges.csv, the figures (ranges, implausibility by wave,
    pairs of the accepted points), calibration.json, calibrated.toml."""
    from sim.runs.outputs import now, relative, write_csv, write_json

    accepted = points[points["kept"]]
    best = points.loc[best_point(points, p.targets)]
    ranges = {}
    for name, (low, high) in p.free.items():
        spread = [float(accepted[name].min()), float(accepted[name].max())] if len(accepted) else None
        ranges[name] = {"prior": [low, high], "non_implausible": spread, "best": _plain(best[name])}
    write_csv(out / "points.csv", points)
    write_csv(out / "accepted.csv", accepted)
    write_csv(out / "ranges.csv", pd.DataFrame([
        {"parameter": n, "prior_low": r["prior"][0], "prior_high": r["prior"][1],
         "non_implausible_low": r["non_implausible"][0] if r["non_implausible"] else None,
         "non_implausible_high": r["non_implausible"][1] if r["non_implausible"] else None, "best": r["best"]}
        for n, r in ranges.items()]))
    figure = draw_ranges(p, points, ranges, out / f"ranges.{fmt}")
    figures = [relative(figure), relative(draw_waves(p, points, [w for w in waves if isinstance(w["wave"], int)],
                                                     out / f"implausibility.{fmt}"))]
    if len(accepted):
        figures.append(relative(draw_pairs(p, points, accepted, best, out / f"pairs.{fmt}")))
    summary = {
        "scenario": p.scenario.name, "targets_file": relative(p.targets_path), "targets": [t.name for t in p.targets],
        "settings": p.settings(), "waves": waves, "points_evaluated": len(points), "accepted": len(accepted),
        "ranges": ranges,
        "best": {"wave": int(best["wave"]), "point": int(best["point"]), "max_implausibility": float(best["max_implausibility"]),
                 "values": {n: _plain(best[n]) for n in p.names},
                 "targets": {t.name: {"observed": [t.low, t.high], "model_mean": float(best[f"mean:{t.name}"]),
                                      "implausibility": float(best[f"implausibility:{t.name}"])} for t in p.targets}},
        "points_sha256": hashlib.sha256((out / "points.csv").read_bytes()).hexdigest(),
        "completed": now(), "figure": str(figure), "figures": figures,
        "seconds": None if seconds is None else round(seconds, 1),
    }
    if confirmed is not None:
        chosen = confirmed[confirmed["member"]]
        write_csv(out / "confirmed.csv", confirmed)
        write_csv(out / "members.csv", chosen)
        report = edges(chosen, p.free, log=p.log)
        write_csv(out / "edges.csv", report)
        summary["ensemble"] = {
            "how": (f"points drawn uniformly over the region of the points kept (widened by a tenth of each range; "
                    f"the whole range of {', '.join(p.whole_range) or 'none'}) and kept where the emulators do not rule them out "
                    f"({p.draws} drawn, run at {p.draw_replicates or p.replicates} replicates), each kept point "
                    f"confirmed at {p.confirm_replicates} replicates on fresh seeds (root seed {p.confirm_seed}); "
                    f"members: largest implausibility of the confirmation below {p.member_cutoff:g}"
                    + (f" (a margin under the ensemble's cutoff of {p.ensemble_cut:g}, for the confirmation's noise)"
                       if p.member_cutoff < p.ensemble_cut else "")
                    + (", its median meeting every fit target as validate scores it" if p.members_meet else "")
                    + (f" on each of {p.confirm_sets} independent sets of fresh seeds" if p.confirm_sets > 1 else "")
                    + (f"; sampled on a log scale: {', '.join(p.log)}" if p.log else "")),
            "confirmed": len(confirmed), "members": len(chosen), "replicates": p.confirm_replicates,
            "confirm_sets": p.confirm_sets,
            "cutoff": p.ensemble_cut, "confirm_cutoff": p.member_cutoff, "members_meet": p.members_meet,
            "screening_replicates": p.replicates, "draw_replicates": p.draw_replicates or p.replicates,
            "root_seed": p.confirm_seed,
            "dropped_on_fresh_seeds": int((~confirmed["member"]).sum()),
            "piled": {r.parameter: r.piled for r in report.itertuples() if r.piled},
            "best": ({"wave": int(chosen.loc[chosen["max_implausibility"].idxmin(), "wave"]),
                      "point": int(chosen.loc[chosen["max_implausibility"].idxmin(), "point"])} if len(chosen)
                     else None)}
    if len(accepted):
        summary["scenario_file"] = str(write_scenario(p, out / "calibrated.toml", summary))
    write_json(out / "calibration.json", summary)
    return summary


def best_point(points: pd.DataFrame, targets: tuple[Target, ...]) -> int:
    """The index of the point with the smallest largest implausibility; ties (every figure within
    its observed range) go to the point whose model means lie nearest the middle of the ranges."""
    def off_centre(t: Target) -> pd.Series:
        width = max(t.high - t.low, t.tolerance) or max(abs(t.low), 1.0)
        return ((points[f"mean:{t.name}"] - (t.low + t.high) / 2) / width) ** 2
    order = points.assign(_worst=points["max_implausibility"].round(9),
                          _sum=points.filter(like="implausibility:").pow(2).sum(axis=1).round(9),
                          _centre=sum(off_centre(t) for t in targets))
    return order.sort_values(["_worst", "_sum", "_centre", "wave", "point"], kind="stable").index[0]


def _plain(value):
    """A NumPy scalar as a plain Python number (for JSON and TOML)."""
    return value.item() if hasattr(value, "item") else value


def write_scenario(p: Plan, path: Path, summary: dict) -> Path:
    """A scenario that extends the calibrated one with the best point's values, each with the
    provenance ``calibrated`` naming the targets (``regime-sim params --scenario`` shows it)."""
    ranges, best = summary["ranges"], summary["best"]["values"]
    parent = os.path.relpath(p.scenario.path.resolve(), path.parent.resolve())
    names = ", ".join(t.name for t in p.targets)
    ids = sorted({c for t in p.targets for c in t.claims})
    lines = [f"# Written by regime-sim {__version__} calibrate (manifest.json says when and how): the best point of a",
             f"# history matching of {p.scenario.name}'s free parameters against the fit targets of",
             f"# {p.targets_path}. Results and the accepted sets: calibration.json, accepted.csv.",
             f"extends = {json.dumps(parent)}",
             f"name = {json.dumps(p.scenario.name + '_calibrated')}",
             f"description = {json.dumps(f'{p.scenario.name} with {len(best)} parameter(s) calibrated by history matching')}",
             ""]
    lines += [f"{name} = {_toml_number(value)}" for name, value in best.items()]
    for name in best:
        low, high = ranges[name]["non_implausible"]
        detail = (f"calibration by history matching (regime-sim calibrate, {len(summary['waves'])} wave(s) of "
                  f"{p.samples} points x {p.replicates} replicates, cutoff {p.cutoff:g}) against the targets "
                  f"{names}; the best point, non-implausible range {low:.4g} to {high:.4g}")
        lines += ["", f"[provenance.{json.dumps(name)}]", 'kind = "calibrated"', f"detail = {json.dumps(detail)}",
                  f"claims = {json.dumps(ids)}"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _toml_number(value) -> str:
    return str(int(value)) if isinstance(value, int) else repr(float(value))


def _sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def draw_ranges(p: Plan, points: pd.DataFrame, ranges: dict, path: Path) -> Path:
    """One panel per free parameter: each point's largest implausibility against its value, by wave;
    the cutoff, the non-implausible range (shaded) and the best point."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    n = len(p.names)
    cols = min(3, n)
    fig, axes = plt.subplots(math.ceil(n / cols), cols, figsize=(4.2 * cols, 3.2 * math.ceil(n / cols)),
                             squeeze=False)
    shown = points["max_implausibility"].clip(upper=4 * p.cutoff).replace(np.inf, 4 * p.cutoff)
    colours = plt.get_cmap("viridis")
    last = max(int(points["wave"].max()), 1)
    for ax, name in zip(axes.flat, p.names):
        r = ranges[name]
        if r["non_implausible"]:
            ax.axvspan(*r["non_implausible"], color="tab:green", alpha=0.2, lw=0, label="non-implausible range")
        for wave, rows in points.groupby("wave"):
            ax.plot(rows[name], shown[rows.index], "o", ms=3, alpha=0.7, color=colours((wave - 1) / max(last - 1, 1)),
                    label=f"wave {wave}")
        ax.axhline(p.cutoff, color="firebrick", lw=1, ls="--", label=f"cutoff {p.cutoff:g}")
        ax.axvline(r["best"], color="black", lw=1, label="best point")
        ax.set_xlim(*r["prior"])
        ax.set_xlabel(f"{name}\n{SPEC_BY_NAME[name].label}", fontsize=8)
        ax.set_ylabel("largest implausibility", fontsize=8)
        ax.tick_params(labelsize=7)
    axes.flat[0].legend(fontsize=6, loc="upper right")
    for ax in list(axes.flat)[n:]:
        ax.axis("off")
    fig.suptitle(f"{p.scenario.name}: history matching against {len(p.targets)} fit targets "
                 f"({p.replicates} replicates per point; values above {4 * p.cutoff:g} drawn at {4 * p.cutoff:g})",
                 fontsize=9)
    fig.tight_layout(rect=(0, 0, 1, 0.95))
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def draw_waves(p: Plan, points: pd.DataFrame, waves: list[dict], path: Path) -> Path:
    """Implausibility by wave: each point's largest implausibility (log scale), the cutoff, and
    how many points each wave kept (and, for emulated waves, how many candidates the emulators
    found plausible)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(1.6 + 1.3 * len(waves), 4.2))
    rng = np.random.default_rng(0)  # jitter only
    shown = points["max_implausibility"].replace(np.inf, np.nan).fillna(1e3).clip(lower=1e-2, upper=1e3)
    for record in waves:
        rows = points["wave"] == record["wave"]
        values = shown[rows]
        kept = points.loc[rows, "kept"].to_numpy()
        x = record["wave"] + rng.uniform(-0.25, 0.25, len(values))
        ax.plot(x[~kept], values[~kept], "o", ms=3, alpha=0.5, color="tab:gray")
        ax.plot(x[kept], values[kept], "o", ms=3, alpha=0.8, color="tab:green")
        text = f"{record['kept']}/{record['points']} kept"
        if "emulator" in record:
            e = record["emulator"]
            text += f"\nemulator: {e['plausible_share']:.1%}\nof {e['candidates']:,} plausible"
        ax.text(record["wave"], 1.5e3, text, ha="center", va="bottom", fontsize=7)
    ax.axhline(p.cutoff, color="firebrick", lw=1, ls="--", label=f"cutoff {p.cutoff:g}")
    ax.set_yscale("log")
    ax.set_ylim(1e-2, 6e3)
    ax.set_xticks([r["wave"] for r in waves])
    ax.set_xlabel("wave (1: Latin design; later: screened by the emulators)" if p.emulator else "wave", fontsize=8)
    ax.set_ylabel("largest implausibility over the fit targets", fontsize=8)
    ax.legend(fontsize=7, loc="lower left")
    ax.set_title(f"{p.scenario.name}: implausibility by wave (green: kept)", fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def draw_pairs(p: Plan, points: pd.DataFrame, accepted: pd.DataFrame, best: pd.Series, path: Path) -> Path:
    """The accepted ranges: a pairs plot of the accepted points (each free parameter against each
    other, over its prior range), the best point marked; the diagonal shows each parameter's
    accepted values as a histogram."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    n = len(p.names)
    size = max(1.0, min(1.6, 22 / n))
    fig, axes = plt.subplots(n, n, figsize=(size * n + 1, size * n + 1), squeeze=False)
    for i, yname in enumerate(p.names):
        for j, xname in enumerate(p.names):
            ax = axes[i, j]
            ax.tick_params(labelsize=5, length=2)
            if j > i:
                ax.axis("off")
                continue
            ax.set_xlim(*p.free[xname])
            if i == j:
                ax.hist(accepted[xname], bins=12, range=p.free[xname], color="tab:green", alpha=0.7)
                ax.set_yticks([])
            else:
                ax.plot(accepted[xname], accepted[yname], "o", ms=1.5, color="tab:green", alpha=0.6)
                ax.plot([best[xname]], [best[yname]], "*", ms=6, color="black")
                ax.set_ylim(*p.free[yname])
            if i == n - 1:
                ax.set_xlabel(xname, fontsize=5, rotation=20, ha="right")
            else:
                ax.set_xticklabels([])
            if j == 0 and i > 0:
                ax.set_ylabel(yname, fontsize=5, rotation=0, ha="right", va="center")
            elif j > 0:
                ax.set_yticklabels([])
    fig.suptitle(f"{p.scenario.name}: the {len(accepted)} accepted points of {len(points)} run, over the free "
                 "ranges (star: the best point)", fontsize=9)
    fig.subplots_adjust(left=0.14, bottom=0.1, right=0.99, top=0.96, wspace=0.08, hspace=0.08)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def command(args, scenario, params, months, replicates, seed, scale) -> int:
    """``regime-sim calibrate``: plan, run the waves, report; the exit status."""
    targets_path = args.targets or calibration.default_path()
    if args.months is None:
        # run to the last fit target only: the later months cannot change the fit
        fit = [t for t in calibration.load(targets_path) if t.role == "fit" and t.available]
        months = max((t.last_month + 1 for t in fit), default=months)
    if getattr(args, "ensemble", None) is not None:
        from sim.runs import ensemble as ensembles
        try:
            ensembles.check_writable(args.ensemble)
        except ensembles.EnsembleError as err:
            raise ScenarioError("--ensemble", str(args.ensemble), err.message) from None
    cut = getattr(args, "ensemble_cutoff", None)
    if cut is not None and getattr(args, "ensemble", None) is None:
        raise ScenarioError("--ensemble-cutoff", str(cut), "needs --ensemble PATH.csv (the ensemble it selects)")
    scenario = scenario.without_ensemble()  # the calibration varies the free values itself
    p = plan(scenario, params, targets_path, months, scale, seed, args.replicates)
    if cut is not None and p.draws:
        raise ScenarioError("--ensemble-cutoff", str(cut), "the confirmation on fresh seeds selects the members at "
                                                          "calibrate.ensemble_cutoff; set the cutoff there")
    if cut is not None and not 0 < cut <= p.cutoff:
        raise ScenarioError("--ensemble-cutoff", str(cut), f"must be above 0 and at most the calibration's cutoff "
                                                          f"({p.cutoff:g})")
    # the command line overrides the scenario's ensemble_cutoff; an error names where the cutoff came from
    label = "--ensemble-cutoff" if cut is not None else "calibrate.ensemble_cutoff"
    where_cut = ("--ensemble-cutoff", str(cut)) if cut is not None else (p.scenario.path, label)
    cut = p.ensemble_cutoff if cut is None else cut
    shard = sweep.Shard.parse(args.shard) if args.shard else sweep.Shard()
    out = args.out or Path("results") / f"{scenario.name}_calibration"
    workers, capped = (1, None) if args.scheduler else sweep.local_workers(args.workers)
    if capped:
        print(f"regime-sim: warning: {capped}", file=sys.stderr)
    where = f"Dask scheduler {args.scheduler}" if args.scheduler else f"{workers} worker(s)"
    print(f"regime-sim {__version__}: calibrate {scenario.name}: {len(p.free)} free parameter(s), "
          f"{len(p.targets)} fit target(s), up to {p.waves} wave(s) of {p.kind} points x {p.replicates} "
          f"replicate(s), {months} months, seed {seed}, scale {scale:g}, {where} -> {out}", file=sys.stderr)
    try:
        result = run(p, out, workers, args.scheduler, shard, args.resume, args.chunk_size, not args.quiet,
                     args.format)
    except KeyboardInterrupt:
        print(f"regime-sim: interrupted; the finished runs are saved in {out}; add --resume to finish",
              file=sys.stderr)
        return 130
    if result.get("status") == "shard done":
        print(f"shard {shard} of wave {result['wave']} done; when every shard is done, run "
              f"'regime-sim merge {result['folder']}', then this command again with --resume: with --shard for "
              "the next wave's slices, or without it to run the rest here")
        return 0
    for name, r in result["ranges"].items():
        spread = "none" if r["non_implausible"] is None else \
            f"{r['non_implausible'][0]:.4g} to {r['non_implausible'][1]:.4g}"
        print(f"{name}: prior {r['prior'][0]:g} to {r['prior'][1]:g}; non-implausible {spread}; best {r['best']:.4g}")
    best = result["best"]
    print(f"best point: wave {best['wave']}, point {best['point']}, largest implausibility "
          f"{best['max_implausibility']:.2f}; {result['accepted']} of {result['points_evaluated']} points accepted")
    if not result["accepted"]:
        print("no point is non-implausible: the fit targets cannot all be met within the free ranges "
              "(see points.csv for which targets rule the points out); no scenario file written")
        return NO_POINT_KEPT
    print(f"wrote {out / 'calibrated.toml'} (see 'regime-sim params --scenario {out / 'calibrated.toml'}'), "
          f"accepted.csv, points.csv, ranges.csv, {', '.join(result['figures'])}, calibration.json "
          f"({result['seconds']:.0f} s)")
    confirmed = result.get("ensemble")
    if confirmed is not None:
        print(f"ensemble: {confirmed['members']} of {confirmed['confirmed']} points confirmed at "
              f"{confirmed['replicates']} replicates on fresh seeds ({confirmed['dropped_on_fresh_seeds']} dropped); "
              f"edges.csv: " + ("no free parameter has more than half of its members in an outer fifth of its prior"
                                if not confirmed["piled"] else "more than half the members in an outer fifth of "
                                "the prior: " + ", ".join(f"{n} ({w})" for n, w in confirmed["piled"].items())))
    if getattr(args, "ensemble", None) is not None:
        from sim.runs import ensemble as ensembles
        record = provenance(p, out, result) | {"where": where}
        source, below = out / "accepted.csv", cut
        if confirmed is not None:
            # the members: the confirmation's points below the cutoff (on fresh seeds, at confirm_replicates)
            source, below = out / "members.csv", None
            record |= {"ensemble": confirmed, "best": confirmed["best"] or {},
                       "replicates": {"screening": p.replicates, "members": p.confirm_replicates},
                       "selection": confirmed["how"]}
            if not confirmed["members"]:
                print("no confirmed point stays below the ensemble's cutoff on fresh seeds: no ensemble written")
                return NO_POINT_KEPT
        elif cut is not None:
            record["selection"] = (f"the accepted points whose largest implausibility is below {cut:g} "
                                   f"({label}; the calibration's cutoff is {p.cutoff:g})")
        try:
            path = ensembles.write(args.ensemble, p.names, source, record, below=below)
        except ensembles.EnsembleError as err:
            raise ScenarioError(*where_cut, err.message) from None
        count = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))["members"]
        what = "confirmed points" if confirmed is not None else f"of the {result['accepted']} accepted points"
        print(f"wrote the ensemble {path} ({count} {what}) and {path.with_suffix('.json')}")
    return 0


def provenance(p: Plan, out: Path, result: dict) -> dict:
    """What produced an accepted set: the command, version, scenario, targets, settings, waves, time."""
    from sim.runs.outputs import command_line, environment, relative

    return {"produced_by": command_line(), "version": __version__, "calibration_folder": relative(out),
            "scenario": p.scenario.name, "scenario_chain": [relative(c) for c in p.scenario.chain],
            "targets_file": relative(p.targets_path), "targets_sha256": _sha256(p.targets_path),
            "fit_targets": [t.name for t in p.targets], "settings": p.settings(),
            "waves": [{k: w[k] for k in ("wave", "design", "points", "runs", "runs_failed", "kept", "seconds", "resumed")
                       if k in w}
                      | ({"plausible": w["emulator"]["emulator_plausible"], "candidates": w["emulator"]["candidates"]}
                         if "emulator" in w else {}) for w in result["waves"]],
            "points_evaluated": result["points_evaluated"], "accepted": result["accepted"],
            "best": result["best"], "seconds": result["seconds"], "completed": result["completed"],
            "points_sha256": result["points_sha256"], "environment": environment()}
