"""The documents' arguments as experiments: each argument's levers swept, its claims checked,
the region where its hoped-for outcome holds found, and a verdict written from the results.

An experiment (one script per argument in ``experiments/``) declares an :class:`Argument`:
the levers it is about and their ranges, the outcomes that matter, the documents' claims
as :class:`Effect` s (a lever moves an outcome in a direction), the outcome it hopes for as
a condition on the runs (for scenario discovery), and the ids of the directional claims
(``seeds/directional_claims.toml``) whose robustness bears on it. :func:`run` then

1. sweeps the levers on a grid through the sweep engine (common random numbers);
2. measures each effect at every combination of the other levers, paired by replicate, across
   the lever's whole range (its highest value against its lowest, and each step between
   neighbouring values): the median paired difference with a 95% bootstrap interval, in the
   outcome's units and relative to its spread, and a verdict that needs a consistent sign and a
   size above the threshold of practical importance (:mod:`sim.analysis.effects`);
3. finds with PRIM (:mod:`sim.analysis.discovery`) where the hoped-for outcome holds;
4. tests the named claims across the uncertain parameters (:mod:`sim.analysis.claims`);
5. writes ``<results>/<name>.md`` and its figures (``results/experiments/`` unless told; the verdicts
   shipped with the repository are in ``experiments/results/``). Every sentence of the
   verdict is computed from these results; nothing in it is written in advance.
"""

from __future__ import annotations

import itertools
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pandas as pd

from sim import __version__
from sim.analysis import discovery, effects, claims as robustness
from sim.runs.design import matrix_points
from sim.analysis.evaluate import Runner
from sim.model.params import SPEC_BY_NAME
from sim.analysis.region import uncertain
from sim.runs.scenario import load


@dataclass(frozen=True)
class Size:
    """How big an experiment runs: grid levels per lever, replicates, months, scale, claims' samples, and the
    distinct calibrated-ensemble members (parameter sets) the replicates run (a member x seed design:
    replicate r runs member r mod ``members``, so each has replicates / members seeds)."""

    name: str
    levels: int
    replicates: int
    months: int
    scale: float
    claim_samples: int
    claim_replicates: int
    members: int = 1


MEMBERS = 20  # the parameter sets behind a table below which its outputs say it (issue 29)


# The scale (the share of the fighters simulated) of the reduced and full sizes is one that
# tests/analysis/test_scale.py shows does not change the answer; --scale runs larger.
SCALE = 0.25
# The full size runs 20 members with two seeds each (40 replicates a point): about twice the runs of the 20
# replicates it ran before (10 members), some 43 minutes of sweeps on 2 cores instead of 22 (sweep.estimated_seconds
# over the six grids), the claims' cost unchanged. The reduced size (what `regime-sim reproduce` ships) keeps 4
# members x 2 seeds and says so in its verdicts.
SIZES = {
    "smoke": Size("smoke", levels=2, replicates=2, months=24, scale=0.01, claim_samples=3, claim_replicates=1,
                  members=2),
    "reduced": Size("reduced", levels=4, replicates=8, months=120, scale=SCALE, claim_samples=12,
                    claim_replicates=2, members=4),
    "full": Size("full", levels=6, replicates=40, months=120, scale=SCALE, claim_samples=64, claim_replicates=4,
                 members=MEMBERS),
}


@dataclass(frozen=True)
class Effect:
    """A documented claim the sweep checks directly: raising ``lever`` moves ``outcome`` in ``direction``."""

    text: str
    lever: str
    outcome: str  # a run statistic (sim.runs.run_stats): survived, isk_fighters, aid_mean, ...
    direction: str  # "higher" or "lower"
    source: str
    important: float | None = None  # the size of practical importance in the outcome's units (default: 0.2 SD)


@dataclass(frozen=True)
class Argument:
    """One argument of the documents, as an experiment."""

    name: str
    title: str
    source: str
    question: str
    levers: dict[str, tuple[float, float]]
    outcomes: tuple[str, ...]
    effects: tuple[Effect, ...]
    hoped_for: str  # a condition on the runs; {column:median|p25|p75|mean} is replaced by that statistic
    hoped_for_text: str
    claims: tuple[str, ...] = ()
    scenario: str = "baseline"
    settings: dict[str, Any] = field(default_factory=dict)
    extra: Callable[["Context"], list[str]] | None = None  # further computed paragraphs, if any


@dataclass
class Context:
    """What an experiment's extra analysis can use: its runner, sweep folder, runs and size."""

    argument: Argument
    runner: Runner
    folder: Path
    runs: pd.DataFrame
    size: Size


def grid(argument: Argument, levels: int) -> list[dict[str, float]]:
    """Evenly spaced values of each lever, all combinations (one level fewer beyond two levers)."""
    if len(argument.levers) > 2:
        levels = max(2, levels - 1)
    axes = [np.linspace(low, high, levels) for low, high in argument.levers.values()]
    return matrix_points(list(argument.levers), list(itertools.product(*axes)))


def measure(effect: Effect, points: list[dict], values: np.ndarray, seed: int = 0, members=None) -> dict:
    """The effect across the lever's range at every combination of the other levers, paired by replicate:
    the lever's highest value against its lowest, and each step between neighbouring values
    (:mod:`sim.analysis.effects`), with the verdict. ``members``: each replicate's ensemble member (a
    member x seed design): the interval then resamples members (a bootstrap clustered by member),
    and the variance of the paired differences splits into parametric (between members) and chance
    (between the seeds of one member), the combinations of the other levers counting as neither."""
    table = pd.DataFrame(points)
    others = [c for c in table.columns if c != effect.lever]
    levels = sorted(table[effect.lever].unique())
    rows = {}  # combination of the other levers -> the row of each lever value
    for index, point in table.iterrows():
        rows.setdefault(tuple(point[others]), {})[point[effect.lever]] = index
    combos = [r for r in rows.values() if len(r) == len(levels)]
    at = lambda level: values[[r[level] for r in combos]]  # noqa: E731  (combination, replicate)

    def paired(low, high):
        diffs = at(high) - at(low)
        if members is None:
            return effects.paired(diffs, (at(low), at(high)), seed), effects.decompose(diffs)
        member = np.tile(np.asarray(members), len(combos))
        strata = np.repeat(np.arange(len(combos)), diffs.shape[1])
        found = effects.paired(effects.clustered(diffs.ravel(), member), (at(low), at(high)), seed)
        return found, effects.decompose(diffs.ravel(), member, strata, centre=found.estimate)

    whole, variance = paired(levels[0], levels[-1])
    steps = [paired(a, b)[0] for a, b in zip(levels, levels[1:])] if len(levels) > 2 else []
    sign = 1 if effect.direction == "higher" else -1
    by_combo = np.nanmean(at(levels[-1]) - at(levels[0]), axis=1)
    return {"effect": effect, "size": whole, "steps": steps, "levels": [float(v) for v in levels],
            "share": float(np.mean(sign * by_combo > 0)), "mean_change": float(np.nanmean(by_combo)),
            "combinations": len(combos), "grade": effects.grade(whole, effect.direction, steps, effect.important),
            "threshold": effects.important(whole, effect.important), "variance": variance,
            "at_low": float(np.nanmean(at(levels[0]))), "at_high": float(np.nanmean(at(levels[-1])))}


def fill(condition: str, runs: pd.DataFrame) -> str:
    """Replace ``{column:median}`` (or p25, p75, mean) by that statistic of the successful runs."""
    def value(match: re.Match) -> str:
        column, stat = match.group(1), match.group(2)
        data = runs[column].astype(float)
        number = {"median": data.median(), "p25": data.quantile(0.25), "p75": data.quantile(0.75),
                  "mean": data.mean()}[stat]
        return f"{number:.6g}"
    return re.sub(r"\{([\w.]+):(median|p25|p75|mean)\}", value, condition)


def run(argument: Argument, size: Size, results: Path, work: Path, workers: int = 1, progress: bool = True,
        claim_cache: dict | None = None) -> Path:
    """Run one experiment; write ``results/<name>.md`` and ``results/<name>/`` figures; return the verdict."""
    from sim.runs import sweep_plots
    from sim.runs.outputs import now

    from dataclasses import replace as replaced

    from sim.runs.seeds import replicate_seeds

    scenario = load(argument.scenario)
    params = scenario.parameters(argument.settings)
    seed = scenario.setting("seed")
    members = None
    if scenario.ensemble is not None:  # a member x seed design: size.members members, replicates / members seeds each
        ensemble = scenario.ensemble.fixing(argument.settings).fixing(argument.levers)
        ensemble = ensemble.crossed(size.members, seed)
        scenario = replaced(scenario, ensemble=ensemble)
        members = [ensemble.member(s) for s in replicate_seeds(seed, size.replicates)]
    work = work / argument.name
    runner = Runner(scenario, params, size.months, size.scale, seed, work, workers, fresh=True, progress=progress)
    points = grid(argument, size.levels)
    statistics = tuple(dict.fromkeys(["survived", *argument.outcomes, *(e.outcome for e in argument.effects)]))
    values = runner("sweep", points, size.replicates, statistics)
    folder = work / "sweep"
    manifest, runs = discovery.load_sweep(folder)
    ok = runs[runs["status"] == "ok"].reset_index(drop=True)
    measured = [measure(e, points, values[e.outcome], members=members) for e in argument.effects]
    condition = fill(argument.hoped_for, ok)
    found = discovery.discover(manifest, runs, condition)

    figures = results / argument.name
    if figures.exists():
        shutil.rmtree(figures)
    figures.mkdir(parents=True)
    drawn = sweep_plots.draw(folder, "png", [s for s in statistics if s in _series(statistics)][:6])
    drawn += discovery.write(found, work / "discovery")[1:3]
    drawn = [p for p in drawn if not p.stem.startswith("fan_charts")]  # the fan charts stay with the sweep
    for path in drawn:
        shutil.copyfile(path, figures / path.name)

    cache = {} if claim_cache is None else claim_cache
    registry = {c.id: c for c in robustness.registry()}
    verdicts = []
    for cid in argument.claims:
        if cid not in cache:
            claim = registry[cid]
            claim_runner = runner.with_(out=work.parent / "claims", months=claim.months)
            region = uncertain(params, 0.5)
            cache[cid] = robustness.assess(claim, region, params, size.claim_samples, size.claim_replicates,
                                           seed % 2**32, claim_runner)
        verdicts.append(cache[cid])
    extra = argument.extra(Context(argument, runner, folder, ok, size)) if argument.extra else []
    path = results / f"{argument.name}.md"
    path.write_text(_verdict(argument, size, seed, measured, found, condition, verdicts, extra,
                             [f"{argument.name}/{p.name}" for p in drawn], now(), ok, members), encoding="utf-8")
    return path


def _series(statistics) -> tuple[str, ...]:
    from sim.runs.run_stats import series

    return series(statistics)


def _number(value: float) -> str:
    if not np.isfinite(value):
        return "n/a"
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"


def _label(name: str) -> str:
    return SPEC_BY_NAME[name].label if name in SPEC_BY_NAME else name


def _verdict(argument, size, seed, measured, found, condition, verdicts, extra, figures, created, runs,
             members=None) -> str:
    from sim.runs.outputs import git

    levers = ", ".join(f"{_label(n)} from {lo:g} to {hi:g}" for n, (lo, hi) in argument.levers.items())
    survival = runs.groupby([*argument.levers])["survived"].mean()
    source = git()
    commit = f", commit {source['commit'][:12]}{' with uncommitted changes' if source['dirty'] else ''}" \
        if source["commit"] else ""
    lines = [
        f"# {argument.title}", "",
        f"*Argument: {argument.source}.* {argument.question}", "",
        f"> Generated by `regime-sim experiments` (regime-sim {__version__}{commit}, {created}) at the "
        f"{size.name} size: a grid of {size.levels} values per lever ({levers}), "
        f"{size.replicates} replicates per point on common random numbers, {size.months} months, scale {size.scale:g}, "
        f"seed {seed}; " + (f"a member x seed design: {len(set(members))} distinct members of the calibrated ensemble "
                            f"(parameter sets), {size.replicates / max(len(set(members)), 1):g} seed(s) each, the same "
                            "at every point" if members else "no calibrated ensemble: one parameter set") +
        ". Every number and sentence below is computed from these runs; rerun to regenerate.", "",
        *([f"> **Parameter sets: {parameter_sets(members)}** behind every effect and every point below "
           f"(fewer than {MEMBERS}: the effects are conditional on these members, and the parametric variance is "
           f"estimated from few; the full size, `regime-sim experiments --full`, runs {SIZES['full'].members})."
           if parameter_sets(members) < MEMBERS else f"> Parameter sets: {parameter_sets(members)} behind every "
           "effect and every point below.", ""]),
        "## What the documents claim, and what the model says", "",
        "Each effect is the median paired difference (for survival, the change in its probability) between "
        "the lever's highest and lowest value, over every combination of the other levers and every replicate "
        "seed, with a 95% bootstrap interval (the combinations resampled, a combination's replicates together), "
        "in the outcome's units and relative to its spread (its pooled standard deviation at the two values); "
        "with ensemble members the interval resamples members (a bootstrap clustered by member) and the variance "
        "of the paired differences splits into parametric (between members) and chance (between a member's seeds), "
        "the combinations of the other levers counting as neither; an effect whose sign changes across members "
        "is flagged (an F test finds a member effect and a tenth or more of the members' shrunk effects lie on the "
        "other side of zero). "
        f"Verdicts: {effects.RULE}. The threshold of practical importance is "
        f"{effects.threshold_text(None)} unless stated.", "",
        "| claim | source | model | effect, highest - lowest (95% CI) | relative to spread | across the range | "
        "SD parametric / chance | evidence |", "|---|---|---|---|---|---|---|---|"]
    for m in measured:
        e, size_ = m["effect"], m["size"]
        steps = "; ".join(f"{_number(a)}->{_number(b)}: {effects.number(st.estimate, True)}"
                          for (a, b), st in zip(zip(m["levels"], m["levels"][1:]), m["steps"])) or "two values only"
        rel_low, rel_high = size_.relative_interval()
        rel = f"{size_.relative:+.2f} SD ({rel_low:+.2f} to {rel_high:+.2f})" if np.isfinite(size_.relative) else "n/a"
        lines.append(f"| {e.text} | {e.source} | **{m['grade']}** | {effects.number(size_.estimate, True)} "
                     f"({effects.number(size_.low, True)} to {effects.number(size_.high, True)}) {_unit(e.outcome)}"
                     f" | {rel} | {steps} | {_variance(m['variance'])} | {e.outcome} goes from {_number(m['at_low'])} to {_number(m['at_high'])} "
                     f"on average as {_label(e.lever)} goes from its lowest to its highest value; in the documented "
                     f"direction at {m['share']:.0%} of the {m['combinations']} combination(s) of the other levers; "
                     f"important from {effects.number(m['threshold'])} |")
    lines += ["", f"## Where {argument.hoped_for_text}", "",
              f"Scenario discovery (PRIM) on the runs, for `{condition}`: {found.sentence()}.", "",
              f"Across the grid the regime survives the {size.months} months in {runs['survived'].mean():.0%} of "
              f"runs (from {survival.min():.0%} to {survival.max():.0%} between points).", ""]
    if verdicts:
        lines += ["## How robust the claims are across the uncertain parameters", "",
                  "Each claim tested at the defaults and across the assumptions and calibrations (each at its value "
                  f"+-50%, {size.claim_samples} Latin-hypercube samples: {size.claim_samples} parameter sets, the "
                  f"cause at {robustness.LEVELS} settings, "
                  f"{size.claim_replicates} paired replicate(s); `regime-sim claims`):", "",
                  robustness.markdown(verdicts), ""]
    if extra:
        lines += ["## Further results", "", *extra, ""]

    def listed(grades, share=False):
        return "; ".join(f"{m['effect'].text} ({effects.number(m['size'].estimate, True)}, "
                         f"{m['size'].relative:+.2f} SD" + (f"; {m['share']:.0%} of the grid" if share else "") + ")"
                         for m in measured if m["grade"] in grades) or "none"
    fragile = [f"{v.claim.text} ({v.grade}; its sign holds in {v.share:.0%} of the region)" for v in verdicts
               if v.grade != "supported"]
    lines += ["## Verdict", "",
              f"- The model supports: {listed(('supported',)) if any(m['grade'] == 'supported' for m in measured) else 'none of the claims tested'}.",
              f"- Consistent but too small to matter: {listed(('consistent but negligible',))}.",
              f"- It partly supports: {listed(('partly supported',), share=True)}.",
              f"- It does not support: {listed(('not supported', 'contradicted', 'no effect in these runs'))}.",
              f"- Where {argument.hoped_for_text}: {found.sentence()}.",
              "- Robustness across the uncertain parameters: " + (
                  f"not supported there: {'; '.join(fragile)}." if fragile else
                  "every claim tested is supported." if verdicts else "not tested."), "",
              "## Figures", "", *[f"![{Path(f).stem.replace('_', ' ')}]({f})" for f in figures], ""]
    return "\n".join(lines)


def parameter_sets(members) -> int:
    """The distinct parameter sets behind a table: the ensemble members the replicates ran (1 without one)."""
    return len(set(members)) if members else 1


def _variance(v) -> str:
    if v.members == 0:
        return f"chance {effects.number(np.sqrt(v.chance))}; one parameter set"
    if not np.isfinite(v.chance):
        return f"not separable ({v.members} members, one seed each)"
    share = f" ({v.share:.0%} parametric)" if np.isfinite(v.share) else ""
    return (f"{effects.number(np.sqrt(v.parametric))} / {effects.number(np.sqrt(v.chance))}{share}; "
            f"{v.members} members" + ("; **sign varies across members**" if v.sign_varies else ""))


def _unit(outcome: str) -> str:
    from sim.model.outcomes import unit
    from sim.runs.run_stats import split

    series = split(outcome)[0]
    return "in probability" if series is None else unit(series)


def findings(paths: list[Path]) -> str:
    """The verdicts of the experiments, one section each with its first figure (for the README)."""
    out = ["# Findings", "", "Generated by `regime-sim experiments` from the verdicts in this folder.", ""]
    for path in paths:
        text = path.read_text(encoding="utf-8")
        title = text.splitlines()[0].lstrip("# ")
        verdict = text.split("## Verdict", 1)[1].split("## Figures", 1)[0].strip()
        figures = [line for line in text.splitlines() if line.startswith("![")]
        figure = next((f for f in figures if any(k in f for k in ("outcome_heatmaps", "scatter", "curves"))),
                      figures[0] if figures else "")
        out += [f"## {title}", "", f"Full verdict: [{path.name}]({path.name})", "", verdict, "", figure, ""]
    return "\n".join(out)


def scripts(folder: Path | None = None) -> list[Path]:
    """The experiment scripts, in order (``experiments/arg*_*.py``)."""
    from sim.model.provenance import bundled_dir

    return sorted((folder or bundled_dir("experiments")).glob("arg[0-9]_*.py"))


def load_argument(path: Path) -> Argument:
    import importlib.util

    spec = importlib.util.spec_from_file_location(f"experiment_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.ARGUMENT


def main(argument: Argument, argv: list[str] | None = None) -> int:
    """Run one experiment script from the command line (``python experiments/arg1_....py [--full]``)."""
    import argparse

    parser = argparse.ArgumentParser(description=argument.title)
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--full", action="store_true", help="full size")
    group.add_argument("--smoke", action="store_true", help="the smallest size (CI)")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--scale", type=float, default=None, help=f"fraction of the fighters (default {SCALE:g})")
    args = parser.parse_args(argv)
    size = SIZES["full" if args.full else "smoke" if args.smoke else "reduced"]
    if args.scale is not None:
        from dataclasses import replace

        size = replace(size, scale=args.scale)
    # into results/experiments, never over the verdicts shipped in experiments/results
    path = run(argument, size, Path("results") / "experiments", Path("results") / "experiments" / "data",
               args.workers)
    print(path, file=sys.stderr)
    return 0
