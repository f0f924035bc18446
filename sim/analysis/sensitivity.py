"""Global sensitivity: which uncertain parameters drive an outcome (Sobol or Morris, with SALib).

The parameters and ranges come from the scenario's ``[sensitivity]`` section, by default
the calibrated parameters over the accepted (history-consistent) region of the scenario's
ensemble (``--range accepted``; ``--range allowed``: every parameter whose value is an
assumption or a calibration, over its allowed range; ``--range pm50``: those +-50%)
(:mod:`sim.analysis.region`)::

    [sensitivity]
    method = "sobol"        # sobol (variance shares, N*(D+2) points) | morris (screening, N*(D+1))
    samples = 64            # N; a power of two for sobol
    replicates = 4          # runs per point, on common random numbers, averaged
    outcomes = ["survived", "isk_fighters"]
    [sensitivity.vary]      # optional: these parameters only, { low, high } or {} for the allowed range
    "recruitment.economic_rate" = {}

Every point runs ``replicates`` times with the same seeds as every other point and the
indices are computed on the replicate means. The model is stochastic, so the report gives
the noise share: the mean variance between replicates at a point over that plus the
variance of the point means. Noise that remains in the means, or bootstrap confidence
intervals too wide to order the parameters, make the ranking unreliable; the report says
so and estimates the replicates or samples that would fix it.

A design in which the regime falls within the first :data:`EARLY_MONTHS` months in more than
:data:`DEGENERATE` of the runs is refused (one line, exit 2): an outcome "at the horizon" would
then be the outcome at the collapse, and the indices would rank what makes the regime collapse at
once. ``--range allowed`` does this for the baseline; ``--range plausible``
(:func:`sim.analysis.region.plausible`), between the calibrated ensemble's accepted region and
the allowed ranges, widens the accepted region without leaving the history behind.
"""

from __future__ import annotations

import math
import warnings as warnings_module
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from sim.runs import design, run_stats
from sim.model.params import SPEC_BY_NAME, Parameters
from sim.analysis.region import named
from sim.runs.scenario import Scenario, ScenarioError

METHODS = ("sobol", "morris")
SECTION_KEYS = {"method", "samples", "replicates", "outcomes", "vary", "sample_seed"}
DEFAULT_OUTCOMES = ("survived", "isk_fighters", "taliban_fighters", "poverty_rate")
BOOTSTRAP = 500  # bootstrap resamples for the confidence intervals
CONFIDENCE = 0.95
NOISE_LIMIT = 0.1  # largest acceptable share of replicate noise in the variance of the point means
CI_LIMIT = 0.05  # largest acceptable CI half-width of a Sobol index (Morris: share of the largest mu*)
EARLY_MONTHS = 6  # a fall within this many months is a collapse at the start
DEGENERATE = 0.5  # a design with more runs collapsing at the start is refused


@dataclass(frozen=True)
class Plan:
    """What a sensitivity analysis samples and measures."""

    method: str
    ranges: dict[str, tuple[float, float]]
    samples: int
    replicates: int
    outcomes: tuple[str, ...]
    sample_seed: int

    def problem(self, outputs=None):
        from SALib import ProblemSpec

        return ProblemSpec({"names": list(self.ranges), "bounds": [list(r) for r in self.ranges.values()],
                            "outputs": list(outputs or self.outcomes)})

    def sample(self) -> np.ndarray:
        """The sample matrix, one row per point (SALib's Saltelli-Sobol or Morris trajectories)."""
        problem = self.problem()
        if self.method == "sobol":
            problem.sample_sobol(self.samples, calc_second_order=False, seed=self.sample_seed)
        else:
            problem.sample_morris(self.samples, num_levels=4, seed=self.sample_seed)
        return problem.samples

    def as_jsonable(self) -> dict:
        return {"method": self.method, "samples": self.samples, "replicates": self.replicates,
                "outcomes": list(self.outcomes), "sample_seed": self.sample_seed,
                "ranges": {k: list(v) for k, v in self.ranges.items()}}


def plan(scenario: Scenario, base: Parameters, root_seed: int, method: str | None = None,
         samples: int | None = None, outcomes: list[str] | None = None, replicates: int | None = None,
         region: str = "accepted") -> Plan:
    """The plan of a scenario's ``[sensitivity]`` section, with the command line's options on top.

    Without ``[sensitivity.vary]`` the parameters and ranges are the region ``region`` names
    (:func:`sim.analysis.region.named`: the accepted region of the scenario's calibrated
    ensemble, or for a scenario without one, the uncertain parameters +-50%)."""
    if region == "accepted" and scenario.ensemble is None and "vary" not in scenario.sensitivity:
        region = "pm50"
    path, section = scenario.path, scenario.sensitivity
    design.check_keys(path, section, "sensitivity", SECTION_KEYS)
    method = method or section.get("method", "sobol")
    if method not in METHODS:
        raise ScenarioError(path, "sensitivity.method", f"{method!r} is not a method; use sobol or morris")
    where = ("--samples", None) if samples else (path, "sensitivity.samples")
    samples = samples or design.whole(path, section, "samples", 64, 2, 1_000_000, "sensitivity")
    if method == "sobol" and samples & (samples - 1):
        raise ScenarioError(*where, f"{samples} is not a power of two, which Sobol sampling needs "
                                    f"(e.g. {2 ** round(math.log2(samples))})")
    reps = replicates or design.whole(path, section, "replicates", 4, 1, 10_000, "sensitivity")
    names = outcomes or section.get("outcomes", list(DEFAULT_OUTCOMES))
    if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
        raise ScenarioError(path, "sensitivity.outcomes", "must be a list of outcome names in quotes")
    for name in names:
        run_stats.split(name, "--outcome" if outcomes else f"{path}: sensitivity.outcomes")
    if "vary" in section:
        ranges = {n: design.value_range(path, n, spec, "sensitivity.vary")
                  for n, spec in design.vary(path, section["vary"], "sensitivity").items()}
    else:
        ranges = named(region, scenario, base)
        if not ranges:
            raise ScenarioError("--range", region, "leaves no parameter to vary")
    seed = design.whole(path, section, "sample_seed", root_seed % 2**32, 0, 2**32 - 1, "sensitivity")
    return Plan(method, ranges, samples, reps, tuple(dict.fromkeys(names)), seed)


@dataclass
class Result:
    """The indices (one row per outcome, parameter and index), noise shares and warnings."""

    indices: pd.DataFrame
    noise: dict[str, dict]
    warnings: list[str]


def noise_share(values: np.ndarray) -> dict:
    """Replicate noise against the spread of the point means, for values (point, replicate);
    points whose runs all failed (NaN) are left out."""
    values = values[~np.isnan(values).all(axis=1)]
    with np.errstate(invalid="ignore", divide="ignore"), warnings_module.catch_warnings():
        warnings_module.simplefilter("ignore", RuntimeWarning)  # a point with one successful run
        within = float(np.nanmean(np.nanvar(values, axis=1, ddof=1))) if values.shape[1] > 1 else float("nan")
        between = float(np.nanvar(np.nanmean(values, axis=1), ddof=1))
    share = within / (within + between) if within + between > 0 else (0.0 if np.isfinite(within) else float("nan"))
    reps = values.shape[1]
    in_means = (within / reps) / between if between > 0 and np.isfinite(within) else float("nan")
    signal = between - within / reps
    needed = (math.ceil((1 - NOISE_LIMIT) / NOISE_LIMIT * within / signal) if signal > 0 else None) \
        if np.isfinite(within) else None
    return {"noise_share": share, "within_variance": within, "variance_of_point_means": between,
            "noise_share_of_means": in_means, "replicates_needed": needed}


def analyse(plan: Plan, X: np.ndarray, values: dict[str, np.ndarray]) -> Result:
    """Indices with bootstrap confidence intervals for each outcome, from values (point, replicate)."""
    rows, noise, warnings = [], {}, []
    for outcome in plan.outcomes:
        data = values[outcome]
        lost = np.isnan(data).all(axis=1)
        if lost.all():
            raise ScenarioError(outcome, None, "no point has a successful run; see the sweep's summary.json and "
                                               "the errors in its runs table")
        means = np.nanmean(data, axis=1) if not lost.any() else np.where(lost, np.nanmean(data[~lost]),
                                                                          np.nanmean(np.where(lost[:, None], 0, data),
                                                                                     axis=1))
        if lost.any():
            warnings.append(f"{outcome}: {int(lost.sum())} of {len(lost)} points have no successful run (their "
                            "errors are in the runs table); they count at the mean of the others, which lowers the "
                            "indices of the parameters that made them fail")
        noise[outcome] = noise_share(data)
        if not np.nanvar(means) > 0:
            warnings.append(f"{outcome}: the same value at every point; it does not depend on these parameters "
                            "over these ranges, so there are no indices")
            continue
        problem = plan.problem([outcome])
        problem.samples = X
        problem.set_results(means)
        if plan.method == "sobol":
            problem.analyze_sobol(calc_second_order=False, num_resamples=BOOTSTRAP, conf_level=CONFIDENCE,
                                  seed=plan.sample_seed)
            found = problem.analysis
            table = [(i, found[i], found[f"{i}_conf"]) for i in ("ST", "S1")]
        else:
            problem.analyze_morris(num_resamples=BOOTSTRAP, conf_level=CONFIDENCE, num_levels=4,
                                   seed=plan.sample_seed)
            found = problem.analysis
            table = [("mu_star", found["mu_star"], found["mu_star_conf"]), ("sigma", found["sigma"], None)]
        for index, value, conf in table:
            for k, name in enumerate(plan.ranges):
                half = float(conf[k]) if conf is not None else float("nan")
                rows.append({"outcome": outcome, "parameter": name, "label": _label(name), "index": index,
                             "value": float(value[k]), "ci_half_width": half,
                             "ci_low": float(value[k]) - half, "ci_high": float(value[k]) + half})
        warnings += _reliability(plan, outcome, pd.DataFrame(rows[-len(table) * len(plan.ranges):]),
                                 noise[outcome])
    indices = pd.DataFrame(rows, columns=["outcome", "parameter", "label", "index", "value", "ci_half_width",
                                          "ci_low", "ci_high"])
    if not indices.empty:
        indices["rank"] = indices.groupby(["outcome", "index"])["value"].rank(ascending=False, method="min")
        indices["rank"] = indices["rank"].astype(int)
    return Result(indices, noise, warnings)


def _label(name: str) -> str:
    return SPEC_BY_NAME[name].label if name in SPEC_BY_NAME else name


def _reliability(plan: Plan, outcome: str, table: pd.DataFrame, noise: dict) -> list[str]:
    """Warnings when noise or wide confidence intervals leave the ranking unresolved."""
    out = []
    if np.isfinite(noise["noise_share_of_means"]) and noise["noise_share_of_means"] > NOISE_LIMIT:
        needed = noise["replicates_needed"]
        out.append(f"{outcome}: replicate noise is {noise['noise_share_of_means']:.0%} of the variance of the "
                   f"point means ({plan.replicates} replicate(s) per point); "
                   + (f"about {needed} replicates per point would bring it under {NOISE_LIMIT:.0%}" if needed
                      else "the parameters explain less than the noise; the indices mostly measure noise"))
    key = "ST" if plan.method == "sobol" else "mu_star"
    main = table[table["index"] == key].sort_values("value", ascending=False)
    scale = 1.0 if plan.method == "sobol" else max(float(main["value"].max()), 1e-300)
    widest = float(main["ci_half_width"].max()) / scale
    top = main.head(5)
    overlaps = [f"{a.parameter} and {b.parameter}" for a, b in zip(top.itertuples(), top.iloc[1:].itertuples())
                if a.ci_low <= b.ci_high and a.value > CI_LIMIT * scale]
    if widest > CI_LIMIT or overlaps:
        factor = max(widest / CI_LIMIT, 1.0) ** 2
        needed = plan.samples * factor
        if plan.method == "sobol":
            needed = 2 ** math.ceil(math.log2(max(needed, plan.samples * 2)))
        needed = max(int(math.ceil(needed)), plan.samples * 2)
        what = (f"the {key} confidence intervals reach +-{widest:.2f}" + ("" if plan.method == "sobol"
                                                                           else " of the largest mu*"))
        tied = (f"; not resolved: {'; '.join(overlaps[:3])}" + (" ..." if len(overlaps) > 3 else "")) if overlaps else ""
        out.append(f"{outcome}: ranking unreliable: {what}{tied}; try --samples {needed} "
                   f"(about {needed * _points_per_sample(plan) * plan.replicates:,} runs)")
    return out


def _points_per_sample(plan: Plan) -> int:
    return len(plan.ranges) + (2 if plan.method == "sobol" else 1)


def run(plan: Plan, evaluate, name: str = "") -> tuple[np.ndarray, Result]:
    """Sample, evaluate every point (``evaluate``: see :mod:`sim.analysis.evaluate`) and analyse."""
    X = plan.sample()
    points = design.matrix_points(list(plan.ranges), X) if all(n in SPEC_BY_NAME for n in plan.ranges) \
        else [dict(zip(plan.ranges, row)) for row in X]
    values = evaluate(name, points, plan.replicates, (*plan.outcomes, "fall_month"))
    degenerate(values.get("fall_month"), plan)
    return X, analyse(plan, X, values)


def degenerate(fall_month, plan: Plan | None = None) -> None:
    """Refuse a design whose runs mostly end in the first months (ScenarioError, one line)."""
    if fall_month is None:
        return
    months = np.asarray(fall_month, dtype=float)
    total = months.size
    early = int(np.sum(np.isfinite(months) & (months < EARLY_MONTHS)))
    if total and early / total > DEGENERATE:
        raise ScenarioError("--range", "design", f"the regime falls within the first {EARLY_MONTHS} months in {early} "
                                                 f"of {total} runs ({early / total:.0%}), so the outcomes would be "
                                                 "those of the collapse, not of the horizon; narrow the region: "
                                                 "--range plausible or accepted")


INDEX_NAMES = {"ST": "total (ST)", "S1": "first order (S1)", "mu_star": "mean |effect| (mu*)",
               "sigma": "spread of effects (sigma)"}


def write(result: Result, plan: Plan, out: Path, fmt: str = "png") -> list[Path]:
    """indices.csv, noise.csv and one bar chart per outcome."""
    from matplotlib import rc_context
    from matplotlib.figure import Figure

    from sim.model.outcomes import OUTCOMES, unit as outcome_unit
    from sim.runs import figures
    from sim.runs.sweep_plots import DPI, STYLE, WIDTH, bounded_errors, wrap

    def words(outcome: str) -> str:  # the outcome in words, never its id
        from sim.model.outcomes import run_statistic

        if outcome == "survived":
            return "the regime survives"
        found = OUTCOMES.get(outcome) or (run_statistic(outcome) or {}).get("definition")
        return found or outcome.replace("_", " ")

    def unit(outcome: str) -> str:  # a run statistic (survived, isk_fighters_max): its base outcome's unit
        base = outcome.rsplit("_", 1)[0] if outcome not in OUTCOMES else outcome
        return "0-1" if outcome == "survived" else outcome_unit(base) if base in OUTCOMES else "outcome units"

    out.mkdir(parents=True, exist_ok=True)
    paths = [out / "indices.csv", out / "noise.csv"]
    result.indices.to_csv(paths[0], index=False, float_format="%.6g")
    pd.DataFrame([{"outcome": k, **v} for k, v in result.noise.items()]).to_csv(paths[1], index=False,
                                                                                float_format="%.6g")
    keys = ("ST", "S1") if plan.method == "sobol" else ("mu_star", "sigma")
    for outcome, table in result.indices.groupby("outcome", sort=False):
        wide = table.pivot(index="parameter", columns="index", values="value")
        conf = table.pivot(index="parameter", columns="index", values="ci_half_width")
        top = wide.sort_values(keys[0], ascending=False).head(15).index[::-1]
        with rc_context(STYLE):
            fig = Figure(figsize=(WIDTH * 0.75, 1.0 + 0.3 * len(top)), layout="constrained")
            ax = fig.subplots()
            y = np.arange(len(top))
            for offset, key, colour in zip((0.2, -0.2), keys, (figures.BLUE, figures.ORANGE)):
                err = conf.loc[top, key].to_numpy()
                # an index is not negative: its error bar stops at zero
                ax.barh(y + offset, wide.loc[top, key], height=0.38, label=INDEX_NAMES.get(key, key), capsize=2,
                        color=colour, xerr=None if np.isnan(err).all() else bounded_errors(wide.loc[top, key], err))
            ax.set_xlim(left=min(0.0, float(np.nanmin(wide.loc[top, list(keys)].to_numpy()))))
            ax.set_yticks(y, [wrap(_label(n), 40) for n in top])
            noise = result.noise[outcome]["noise_share"]
            ax.set_title(wrap(f"{words(outcome)}: {plan.method.capitalize()} indices, {CONFIDENCE:.0%} bootstrap CI"
                              + (f" (noise share {noise:.0%})" if np.isfinite(noise) else ""), 70))
            ax.set_xlabel("Sobol index (share of the variance, 0-1)" if plan.method == "sobol"
                          else f"Morris elementary effect ({unit(outcome)})")
            ax.set_ylabel("parameter")
            fig.legend(loc="outside lower center", ncol=2)
            path = figures.save(fig, out / f"sensitivity_{outcome}.{fmt}", dpi=DPI)
        paths.append(path)
    return paths


def report(result: Result, plan: Plan, top: int = 5) -> list[str]:
    """The lines printed for the user: the leading parameters per outcome, noise, warnings."""
    lines = []
    key = "ST" if plan.method == "sobol" else "mu_star"
    for outcome in plan.outcomes:
        noise = result.noise[outcome]
        share = noise["noise_share"]
        lines.append(f"{outcome} (" + (f"noise share {share:.0%}" if np.isfinite(share) else
                                       "noise not measured with one replicate") + "):")
        table = result.indices[(result.indices["outcome"] == outcome) & (result.indices["index"] == key)]
        for row in table.sort_values("value", ascending=False).head(top).itertuples():
            lines.append(f"  {row.value:8.3f} +- {row.ci_half_width:.3f}  {key:7s} {row.parameter}")
    return lines + [f"warning: {w}" for w in result.warnings]
