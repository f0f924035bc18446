"""The speed benchmark behind ``regime-sim bench``: the full model against a plain Mesa loop.

For each number of fighters, the baseline scenario is run for the given months, ``repeat``
times with different seeds; the figure is the median time of the monthly steps (building
the model is start-up, not model work). A minimal Mesa model with one ``mesa.Agent`` per
fighter and a trivial step, activated in random order, is timed the same way, so the ratio
between the two holds on any machine. Each of them runs each size in a fresh Python process,
whose peak resident memory (``ru_maxrss``, POSIX) is the memory figure, and whose start-up
(importing Mesa, then the model, and building a model of that size; the Python
interpreter's own start excluded) is timed.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import mesa
import numpy as np

from sim.model.model import RegimeModel
from sim.runs.scenario import load

SCENARIO = "baseline"
FIELDS = ("fighters", "months", "seconds", "us_per_fighter_month", "peak_mb", "startup_seconds",
          "mesa_import_seconds")


class Fighter(mesa.Agent):
    """One fighter as one Python object, the design the model avoids."""

    def __init__(self, model):
        super().__init__(model)
        self.months_served = 0.0

    def step(self) -> None:
        self.months_served += 1.0


class OneObjectPerFighter(mesa.Model):
    """The reference: ``n`` Mesa agents, each stepped once a month in random order (Mesa's usual activation)."""

    def __init__(self, n: int, seed: int):
        super().__init__(rng=seed)
        self.fighters = Fighter.create_agents(self, n)

    def step(self) -> None:
        self.fighters.shuffle_do("step")


def regime_models(months: int):
    """A builder of baseline-scenario models with a given number of fighters."""
    scenario = load(SCENARIO)
    params = scenario.parameters()
    full_scale = len(RegimeModel(params, months=months).fighters)
    return lambda n, seed: RegimeModel(params, months=months, seed=seed, scale=n / full_scale)


def reference_models(months: int):
    """A builder of one-object-per-fighter Mesa models."""
    return lambda n, seed: OneObjectPerFighter(n, int(seed.generate_state(1)[0]))


BUILDERS = {"model": regime_models, "mesa_reference": reference_models}


def benchmark(fighters: list[int], months: int, repeat: int) -> dict:
    """The model and the Mesa reference at each size: ``{"model": [...], "mesa_reference": [...]}``."""
    return {kind: [in_fresh_process(kind, n, months, repeat) for n in fighters] for kind in BUILDERS}


def in_fresh_process(kind: str, fighters: int, months: int, repeat: int) -> dict:
    """:func:`measure` in a new Python process, so that its peak memory is this size's alone."""
    path = [str(Path(__file__).resolve().parents[2]), os.environ.get("PYTHONPATH", "")]
    code = ("import time; start = time.perf_counter(); import mesa; mesa_imported = time.perf_counter(); "
            "import json, sim.runs.bench as b; "
            f"print(json.dumps(b.measure({kind!r}, {fighters}, {months}, {repeat}, start, mesa_imported)))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          env=dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, path))))
    return json.loads(done.stdout)


def measure(kind: str, fighters: int, months: int, repeat: int, start: float, mesa_imported: float) -> dict:
    """Median seconds of ``repeat`` runs (one seed each), per fighter-month, this process's peak memory, and
    start-up: the imports (``start`` is taken before ``import mesa``) plus the median time to build a model."""
    imported = time.perf_counter()
    build = BUILDERS[kind](months)
    seeds = np.random.SeedSequence(load(SCENARIO).setting("seed")).spawn(repeat)
    builds, timings = [], []
    for seed in seeds:
        started = time.perf_counter()
        model = build(fighters, seed)
        builds.append(time.perf_counter() - started)
        timings.append(run(model, months))
    seconds = statistics.median(t for t, _ in timings)
    fighter_months = statistics.mean(fm for _, fm in timings)
    return {"fighters": fighters, "months": months, "seconds": seconds,
            "us_per_fighter_month": seconds / fighter_months * 1e6, "peak_mb": peak_memory_mb(),
            "startup_seconds": imported - start + statistics.median(builds),
            "mesa_import_seconds": mesa_imported - start}


def run(model, months: int) -> tuple[float, int]:
    """Seconds taken by ``months`` monthly steps of ``model`` (fewer if its regime falls: the run ends
    there), and the fighter-months simulated."""
    fighter_months = 0
    start = time.perf_counter()
    for _ in range(months):
        if not model.running:
            break
        fighter_months += len(model.fighters)
        model.step()
    return time.perf_counter() - start, fighter_months


def peak_memory_mb() -> float:
    """This process's peak resident memory so far, in MB (``ru_maxrss`` is in kB, in bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1e6 if sys.platform == "darwin" else peak / 1e3


def table(results: dict) -> str:
    """The results as a text table, and the reference's cost per fighter-month relative to the model's."""
    lines = [f"{'':16}{'fighters':>10}{'months':>8}{'seconds':>10}{'us/fighter-month':>18}{'peak MB':>10}"
             f"{'start-up s':>12}{'(Mesa import)':>15}"]
    for label, key in (("model", "model"), ("mesa reference", "mesa_reference")):
        for r in results[key]:
            lines.append(f"{label:16}{r['fighters']:>10,}{r['months']:>8}{r['seconds']:>10.3f}"
                         f"{r['us_per_fighter_month']:>18.4f}{r['peak_mb']:>10.1f}{r['startup_seconds']:>12.2f}"
                         f"{r['mesa_import_seconds']:>15.2f}")
    for m, r in zip(results["model"], results["mesa_reference"]):
        ratio = r["us_per_fighter_month"] / m["us_per_fighter_month"]
        lines.append(f"{m['fighters']:,} fighters: the Mesa reference costs {ratio:.1f} times the model's time "
                     f"per fighter-month")
    if len({r["fighters"] for r in results["model"]}) >= 3:
        lines.append(linear_fit(results["model"]))
    return "\n".join(lines)


def linear_fit(entries: list[dict]) -> str:
    """How well seconds per run follow a fixed cost plus a cost per fighter (least squares over the sizes)."""
    fighters = np.array([e["fighters"] for e in entries], dtype=float)
    seconds = np.array([e["seconds"] for e in entries])
    per_fighter, fixed = np.polyfit(fighters, seconds, 1)
    worst = np.max(np.abs(fixed + per_fighter * fighters - seconds) / seconds)
    months = entries[0]["months"]
    return (f"model: seconds per run = {fixed:.3f} fixed + {per_fighter * 1e6 / months:.4f} us per fighter-month "
            f"(least squares over {len(entries)} sizes; largest deviation {worst:.0%})")
