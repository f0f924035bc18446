"""The browser app: Mesa's SolaraViz around the model, for classrooms.

Start it with ``regime-sim viz [SCENARIO]`` (which runs ``solara run`` on this file). The
sidebar holds Mesa's Reset / Play / Step buttons and sliders for the policy and external
levers; the main view shows the provinces on a map coloured by IS-K presence or Taliban
control, the fighters by group, defections, attacks and the economy, and a status line
saying whether the regime survives and, if not, why and when. Each browser session builds
its own model. Moving a slider changes the next run: press Reset to start it.

A slider left where it starts keeps the scenario's value, schedules included; a slider
moved holds the lever at its value for the whole run.
"""

from __future__ import annotations

import os
from functools import cache

import numpy as np
import pandas as pd
import solara
from matplotlib.figure import Figure
from mesa.visualization import Slider, SolaraViz
from mesa.visualization.utils import update_counter

from sim.model import geography
from sim.runs import plots
from sim.interfaces.api import load
from sim.model.calendar import month_date
from sim.model.fighters import TALIBAN
from sim.model.model import RegimeModel
from sim.model.params import EXTERNAL_LEVERS, LEVER_NAMES, SPEC_BY_NAME
from sim.interfaces.viz import SCENARIO_VARIABLE

SCALE = 0.1  # a tenth of the fighters: quick steps; outputs stay in real units
LEVERS = {name: f"policy.{name}" for name in LEVER_NAMES} | {name: f"external.{name}" for name in EXTERNAL_LEVERS}
PANELS = ("Taliban fighters", "IS-K and allied fighters", "Defections to IS-K per month", "Attacks per month",
          "Economy", "Regime survives")
COLOURINGS = {"IS-K presence": "Reds", "Taliban control": "Greens"}


@cache
def experiment():
    """The scenario the app runs (``regime-sim viz SCENARIO``; the baseline by default), at the app's scale."""
    return load(os.environ.get(SCENARIO_VARIABLE, "baseline")).set(scale=SCALE)


def starting_levers() -> dict[str, float]:
    """Each lever's value in the scenario's first month: where its slider starts."""
    exp = experiment()
    return {name: float(exp.params.lever_path(key, 1)[0]) for name, key in LEVERS.items()}


class ClassroomModel(RegimeModel):
    """The model of the app's scenario, with levers set by the sliders and one replicate's seed.

    Mesa's SolaraViz builds it again with the sliders' values when Reset is pressed.
    """

    def __init__(self, replicate: int = 0, moderation: float | None = None, inclusion: float | None = None,
                 crackdown_isk: float | None = None, action_against_allies: float | None = None,
                 foreign_cooperation: float | None = None, sanctions: float | None = None,
                 assets_released: float | None = None, humanitarian_aid: float | None = None):
        chosen = dict(moderation=moderation, inclusion=inclusion, crackdown_isk=crackdown_isk,
                      action_against_allies=action_against_allies, foreign_cooperation=foreign_cooperation,
                      sanctions=sanctions, assets_released=assets_released, humanitarian_aid=humanitarian_aid)
        start = starting_levers()
        moved = {LEVERS[name]: float(value) for name, value in chosen.items()
                 if value is not None and not np.isclose(value, start[name])}
        exp = experiment().set(moved)
        super().__init__(exp.params, months=exp.months, seed=exp.replicate_seed(int(replicate)), scale=exp.scale)


def model_params() -> dict:
    """SolaraViz's inputs: a slider per lever (its range from the parameter's spec) and the replicate."""
    start = starting_levers()
    sliders = {}
    for name, key in LEVERS.items():
        spec = SPEC_BY_NAME[key]
        sliders[name] = Slider(name.replace("_", " ").replace("isk", "IS-K"), start[name], spec.low, spec.high, 0.05)
    return {"replicate": {"type": "SliderInt", "value": 0, "min": 0, "max": 19, "step": 1,
                          "label": "Replicate (which random seed)"}, **sliders}


def records(model: RegimeModel) -> pd.DataFrame:
    return model.datacollector.get_model_vars_dataframe()


def status(model: RegimeModel) -> str:
    """One line: where the run is and whether the regime survives; if it fell, why and when."""
    if model.month < 0:
        return f"Status: {month_date(0)}, the takeover. Press Step or Play to run {model.months} months."
    if not model.regime_survives:
        return (f"Status: the regime fell in {month_date(model.fall_month)} ({model.fall_cause}), "
                f"{model.fall_month + 1} months after the takeover.")
    ending = " The run is over." if model.month + 1 >= model.months else ""
    return (f"Status: {month_date(model.month)}, month {model.month + 1} of {model.months}: the regime survives.{ending} "
            f"IS-K {model.isk.strength:,.0f} fighters, Taliban {model.taliban_strength():,.0f}; GDP {model.gdp_index:.2f} "
            f"of its pre-takeover level; aid ${model.aid:.1f}bn a year.")


def province_shares(model: RegimeModel, colouring: str) -> np.ndarray:
    """IS-K's presence (0-1, as its recruiting reach) or the Taliban's share of the fighters in each province."""
    if colouring == "IS-K presence":
        return model.isk_reach()
    fighters = model.table
    taliban = fighters[TALIBAN].sum(axis=0)
    return taliban / np.maximum(fighters.sum(axis=0), 1e-9)


def draw_map(model: RegimeModel, colouring: str) -> Figure:
    """The 34 provinces where they lie (approximate centres), linked to their neighbours, coloured by ``colouring``."""
    geo, xy = geography.load(), geography.coordinates()
    values = province_shares(model, colouring)
    fig = Figure(figsize=(6.4, 4.6), layout="constrained")
    ax = fig.subplots()
    for a, b in geo.graph.edges:
        ax.plot(*xy[[a, b]].T, color="0.75", lw=0.8, zorder=1)
    dots = ax.scatter(*xy.T, c=values, cmap=COLOURINGS[colouring], vmin=0, vmax=1, s=260, edgecolors="0.3",
                      zorder=2)
    for (x, y), name in zip(xy, geo.names):
        ax.annotate(name, (x, y), xytext=(0, -11), textcoords="offset points", ha="center", fontsize=6)
    fig.colorbar(dots, ax=ax, shrink=0.8, label=colouring + (" (0-1)" if colouring == "IS-K presence"
                                                             else " (share of fighters)"))
    ax.set_aspect("equal")
    ax.set_xlabel("longitude")
    ax.set_ylabel("latitude")
    ax.set_title(f"Provinces, {month_date(max(model.month, 0))}: {colouring}", fontsize=10)
    return fig


@solara.component
def ProvinceMap(model: RegimeModel):
    update_counter.get()  # drawn again after every step, as Mesa's own components are
    colouring = solara.use_reactive("IS-K presence")
    solara.ToggleButtonsSingle(value=colouring, values=list(COLOURINGS))
    solara.FigureMatplotlib(draw_map(model, colouring.value), format="png")


def draw_charts(model: RegimeModel) -> Figure:
    """The dashboard's panels for this run so far, over the run's whole span of years."""
    fig = plots.dashboard(records(model), panels=list(PANELS), columns=2)
    fig.suptitle("")
    span = plots.years(np.array([0, model.months - 1]))
    for ax in fig.axes:
        ax.set_xlim(*span)
    return fig


def StatusAndCharts(model: RegimeModel):
    with solara.Column() as column:
        solara.Text(status(model), style={"font-weight": "bold", "font-size": "1.05em"})
        if model.month >= 0:
            solara.FigureMatplotlib(draw_charts(model), format="png")
    return column


@solara.component
def Page():
    """One app per browser session: its own model, built once per session."""
    model = solara.use_memo(lambda: ClassroomModel(**_starting_values()), [])
    SolaraViz(model, components=[StatusAndCharts, ProvinceMap], model_params=model_params(),
              name=f"regime-sim: {experiment().name}", play_interval=150)


def _starting_values() -> dict:
    return {name: options.value if isinstance(options, Slider) else options["value"]
            for name, options in model_params().items()}
