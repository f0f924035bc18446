"""The Python API, for notebooks and scripts: load a scenario, change it, run it, draw it.

    import sim
    baseline = sim.load("baseline")                     # a shipped scenario, or a path to a .toml file
    moderate = baseline.set({"policy.moderation": 0.5}, months=36)
    table = moderate.run(replicates=5)                  # a pandas DataFrame: one row per replicate and month
    sim.dashboard(table)                                # a Matplotlib figure, shown inline in a notebook
    model = moderate.model(replicate=0)                 # a Mesa model: model.step(), model.running, ...

The numbers are those of the command line: ``sim.load(s).run()`` gives exactly the table
that ``regime-sim run s`` writes, and ``model(replicate=i)`` is replicate ``i`` of that run.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Mapping

import numpy as np
import pandas as pd

from sim.runs import outputs
from sim.model.calendar import month_date
from sim.model.model import RegimeModel
from sim.model.outcomes import OUTCOMES
from sim.model.params import SPECS, ParameterError, Parameters
from sim.runs.plots import PANEL_NAMES as PANELS
from sim.model.provenance import claims as _claims
from sim.runs.scenario import Scenario, ScenarioError, _check_setting
from sim.runs.scenario import load as _load_file

SETTINGS = ("months", "replicates", "seed", "scale")
__all__ = ["Experiment", "load", "dashboard", "endings", "summarise", "parameters", "claims", "RegimeModel",
           "OUTCOMES", "PANELS", "ScenarioError"]


@dataclass(frozen=True)
class Experiment:
    """A scenario ready to run: its parameters and run settings (immutable; ``set`` returns a copy).

    Attributes:
        name: the scenario's name.
        params: the validated :class:`~sim.model.params.Parameters`.
        months, replicates, seed, scale: the run settings, as ``regime-sim run`` would use them.
        scenario: the scenario file it came from.
    """

    name: str
    params: Parameters
    months: int
    replicates: int
    seed: int
    scale: float
    scenario: Scenario
    fixed: frozenset[str] = frozenset()  # the parameters set with set(): no replicate draws them from the ensemble

    def set(self, values: Mapping[str, Any] | None = None, /, **settings: Any) -> "Experiment":
        """A copy with parameters changed (dotted names, as ``--set``) and/or run settings.

        ``exp.set({"policy.moderation": 0.5}, months=36, replicates=4)``. Every name and value is
        checked: a bad one raises ``ValueError`` naming the key and what is allowed.
        """
        changes: dict[str, Any] = {}
        for key, value in settings.items():
            if key == "name":
                changes[key] = str(value)
                continue
            if key not in SETTINGS:
                raise ParameterError(key, f"not a run setting; use one of {', '.join(SETTINGS)} "
                                          "(parameters go in the dictionary: set({\"policy.moderation\": 0.5}))")
            try:
                changes[key] = _check_setting(Path("set"), key, value)
            except ScenarioError as err:
                raise ParameterError(key, str(err).split(": ", 2)[-1]) from None
        if values:
            changes["params"] = self.params.replace(values)
            changes["fixed"] = self.fixed | frozenset(values)
        return replace(self, **changes)

    def changed(self) -> dict[str, Any]:
        """The parameters that differ from the defaults (the scenario's and your changes)."""
        return self.params.changed()

    def modified(self) -> dict[str, Any]:
        """The parameters changed (with :meth:`set`) from the scenario file's values: empty for the scenario as
        shipped. A dashboard of a modified run names it as modified, with these changes."""
        shipped = self.scenario.parameters()
        return {k: v for k, v in self.params.values.items() if v != shipped[k]}

    def run(self, replicates: int | None = None, progress: bool = False) -> pd.DataFrame:
        """Run the replicates; return the monthly outcomes, one row per replicate and month it ran (a
        replicate whose regime fell ends with the month of the fall).

        The columns are described in :data:`OUTCOMES`. ``table.attrs`` holds the scenario's name
        and how each replicate ended (see :func:`endings`, :func:`summarise`).
        """
        from sim.runs.runner import run_replicates

        n = replicates or self.replicates
        table, ends, seeds = run_replicates(self.params, self.months, self.seed, n, self.scale, progress=progress,
                                            ensemble=self.ensemble())
        table.attrs = {"scenario": self.name, "modified": {k: str(v) for k, v in self.modified().items()},
                       "endings": ends, "seeds": [s.as_jsonable() for s in seeds],
                       "months": self.months, "scale": self.scale, "root_seed": self.seed}
        return table

    def model(self, replicate: int = 0):
        """The Mesa model of one replicate, not yet stepped: ``model.step()`` runs one month.

        It is replicate ``replicate`` of :meth:`run` (same seed, same numbers). ``model.running``
        turns False when the run ends or the regime falls; ``model.datacollector`` holds the
        monthly outcomes (``get_model_vars_dataframe()``).
        """
        from sim.runs.runner import replicate_seeds

        params, ensemble = self.params, self.ensemble()
        if ensemble is not None:
            params, _ = ensemble.apply(params, replicate_seeds(self.seed, replicate + 1)[replicate])
        return RegimeModel(params, months=self.months, seed=self.replicate_seed(replicate), scale=self.scale)

    def ensemble(self):
        """The calibrated ensemble the replicates draw from (the baseline's), without the values you
        set (even to the scenario's own value) or changed otherwise; None for a scenario without one."""
        if self.scenario is None or self.scenario.ensemble is None:
            return None
        own = self.scenario.parameters()
        return self.scenario.ensemble.fixing(n for n in self.params if n in self.fixed or self.params[n] != own[n])

    def replicate_seed(self, replicate: int = 0) -> np.random.SeedSequence:
        """The seed of one replicate, spawned from the root seed as :meth:`run` spawns it."""
        from sim.runs.runner import replicate_seeds

        return replicate_seeds(self.seed, replicate + 1)[replicate].sequence()

    def sweep(self, out: str | Path, replicates: int | None = None, workers: int = 1,
              progress: bool = False) -> pd.DataFrame:
        """Run the scenario's ``[sweep]`` (as ``regime-sim sweep``) into the folder ``out``.

        Returns the table of points: the swept values, the survival probability and each kept
        outcome's median, 10th and 90th percentiles across replicates. The plots are in ``out``.
        """
        from sim.runs import design, sweep, sweep_plots

        out = Path(out)
        plan = sweep.Sweep(self.scenario, self.params,
                           design.from_scenario(self.scenario, self.params, replicates, self.seed),
                           self.months, self.scale, self.seed)
        summary = sweep.run(plan, out, workers, progress=progress)
        if summary["complete"] and summary["survival_probability"]["lowest"] is not None:
            sweep_plots.draw(out)
        return pd.read_csv(out / "points.csv")

    def __repr__(self) -> str:
        changed = ", ".join(f"{k}={v}" for k, v in self.changed().items() if k.startswith(("policy.", "external.")))
        return (f"<Experiment {self.name!r}: {self.replicates} replicate(s) x {self.months} months, seed {self.seed}, "
                f"scale {self.scale:g}{'; ' + changed if changed else ''}>")


def load(scenario: str | Path = "baseline") -> Experiment:
    """A scenario by name (``"baseline"``, one of ``scenarios/``) or by path, ready to run.

    A bad file raises :class:`~sim.runs.scenario.ScenarioError`, whose message names the file, the
    key and what is allowed.
    """
    loaded = _load_file(scenario)
    return Experiment(name=loaded.name, params=loaded.parameters(),
                      **{key: loaded.setting(key) for key in SETTINGS}, scenario=loaded)


def dashboard(table: pd.DataFrame, title: str | None = None, panels: list[str] | None = None):
    """The dashboard of a run (all panels, or those named in ``panels``; see :data:`PANELS`) as a figure.

    The title is ``title`` if given, else the scenario's name, followed by "modified" and the changed
    parameters when the run's scenario was changed with :meth:`Experiment.set`.
    """
    from sim.runs.plots import dashboard as draw

    return draw(table, title if title is not None else run_title(table), panels)


def run_title(table: pd.DataFrame) -> str:
    """The scenario's name, and "modified: ..." with the changed parameters (at most three named)."""
    from sim.runs.plots import run_title as title

    return title(table.attrs.get("scenario", ""), table.attrs.get("modified"))


def endings(table: pd.DataFrame) -> pd.DataFrame:
    """How each replicate of :meth:`Experiment.run` ended: whether the regime fell, when and why."""
    frame = pd.DataFrame(_endings_of(table))
    frame["fall_date"] = [None if pd.isna(m) else month_date(int(m)) for m in frame["fall_month"]]
    return frame


def summarise(table: pd.DataFrame) -> dict:
    """The summary ``regime-sim run`` writes to summary.json: survival, causes, final values, calibration."""
    from sim.analysis import targets

    summary = outputs.summarise(table, _endings_of(table), table.attrs["months"])
    summary["calibration"] = targets.evaluate(table, months=table.attrs["months"])
    return summary


def _endings_of(table: pd.DataFrame) -> list[dict]:
    if "endings" not in table.attrs:
        raise ValueError("this table does not say how its replicates ended: use the table that Experiment.run() "
                         "returned (a table read from a file has lost that)")
    return table.attrs["endings"]


def parameters() -> pd.DataFrame:
    """Every parameter with its default, allowed range, unit and provenance (``regime-sim params``)."""
    defaults = Parameters()
    return pd.DataFrame([{"name": s.name, "default": str(defaults[s.name]), "allowed": s.range_text, "unit": s.unit,
                          "provenance": s.provenance.kind, "detail": s.provenance.detail,
                          "claims": ", ".join(s.provenance.claims), "description": s.doc} for s in SPECS])


def claims(mechanism: str | None = None) -> pd.DataFrame:
    """The seed claims registry (verbatim quotes from the source documents), or one mechanism's (``"M1"``)."""
    rows = [{"id": c.id, "document": c.document, "quote": c.quote, "mechanisms": ", ".join(c.mechanisms)}
            for c in _claims().values() if mechanism is None or mechanism in c.mechanisms]
    return pd.DataFrame(rows, columns=["id", "document", "quote", "mechanisms"])

