"""The browser app, for classrooms: the model with sliders, a map and the dashboard's charts.

Start it with ``regime-sim viz [SCENARIO]`` (which runs ``solara run`` on this file). It is a
Solara page around the Mesa model (:class:`ClassroomModel`), built for a projector:

- the sidebar holds only the model's controls: Step, Play and Reset to scenario; one slider per lever,
  each labelled with its name, its value and what its ends mean; the replicate (which random
  seed); and a short "What to try" panel, three questions that show the dilemma;
- the main view shows a status line (where the run is, whether the regime survives and, if
  not, why and when), the dashboard's charts and a map of the provinces, in large type.

Mesa's own ``SolaraViz`` page is not used: it shows students Mesa's internal controls (play
and render intervals, threads) and a "Page 0" tab, and its layout code prints a Solara
warning at every start. The stepping is the app's own: a Step click only raises the number
of months asked for, and the page steps the model up to that number when it draws, so a
click made while the app is busy is never lost (it is counted, and done next).

The map is schematic. No well-kept Python package draws Afghanistan's province borders
offline (cartopy, geopandas' example data and GADM download the boundaries on first use,
and they would add GEOS and PROJ to a classroom install), so each province is drawn as the
area closest to its approximate centre (``sim/model/data/province_centroids.csv``), inside
a hull around the centres: the provinces sit where they are, with their names, but the
borders are not the real ones; the caption says so.

A slider left where it starts follows the scenario, schedules included: it shows the lever's
value in the month on show, and the schedule is listed under it. A slider moved holds the
lever at its value for the whole run, and the run starts again from the takeover with it at
once, so Step never runs the old settings; the run that was on show stays on the charts, in
grey, as the previous run to compare with. "Reset to scenario" puts every lever back. The
charts' axes are the same for every run (extended, and marked so, only when a run leaves
them), so two screens can be compared by eye. Each browser session has its own model.
"""

from __future__ import annotations

import io
import os
import threading
import time
from dataclasses import dataclass
from functools import cache

import matplotlib
import numpy as np
import pandas as pd
import solara
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure
from scipy.spatial import ConvexHull, Voronoi

from sim.interfaces.api import load
from sim.interfaces.viz import SCENARIO_VARIABLE
from sim.model import geography
from sim.model.calendar import month_date
from sim.model.fighters import TALIBAN
from sim.model.model import RegimeModel
from sim.model.params import EXTERNAL_LEVERS, LEVER_NAMES, SPEC_BY_NAME, Schedule
from sim.runs import plots

SCALE = 0.1  # a tenth of the fighters: quick steps; outputs stay in real units
LEVERS = {name: f"policy.{name}" for name in LEVER_NAMES} | {name: f"external.{name}" for name in EXTERNAL_LEVERS}
PANELS = ("Taliban fighters", "IS-K and allied fighters", "Defections to IS-K per month", "Attacks per month",
          "Aid and recognition", "Regime survives")
COLOURINGS = {"IS-K presence": "Reds", "Taliban control": "Greens"}
FONT_SIZE = 15  # points, for the charts: readable on a projector
PLAY_INTERVAL = 0.15  # seconds between months while playing
DRAWING = threading.Lock()
# Each panel's y axis, from 0 to this (in the panel's units), the same for every run so that two runs (two
# groups' screens) compare by eye; from the baseline's replicates at the levers' extremes (scale 0.1). A run
# that goes higher extends its panel's axis, and the panel's title says so.
Y_LIMITS = {"Taliban fighters": 120, "IS-K and allied fighters": 30, "Defections to IS-K per month": 1000,
            "Attacks per month": 120, "Aid and recognition": 20, "Regime survives": 1}
REFERENCE_STYLE = {"color": "0.45", "lw": 2.2, "ls": (0, (4, 2)), "zorder": 1}  # the previous run, in grey


@dataclass(frozen=True)
class Wording:
    """How a lever's slider reads: its label and what its lowest and highest values mean."""

    label: str
    low: str
    high: str


WORDING = {
    "moderation": Wording("Moderation", "the documented hard line", "full: girls' schools, women's work"),
    "inclusion": Wording("Inclusion in government", "Taliban only", "other groups and former officials"),
    "crackdown_isk": Wording("Crackdown on IS-K", "none", "all-out"),
    "action_against_allies": Wording("Action against allied groups (TTP, al-Qaeda)", "none", "expel and arrest"),
    "foreign_cooperation": Wording("Counter-terrorism with foreign powers", "none", "full intelligence sharing"),
    "sanctions": Wording("Western sanctions", "lifted", "as documented"),
    "assets_released": Wording("Frozen reserves released", "none", "all"),
    "humanitarian_aid": Wording("Humanitarian aid", "none", "three times the documented level"),
}

WHAT_TO_TRY = (
    ("Does moderation pay?",
     "Play the scenario to the end. Then move Moderation to 1 (the run starts again; the first stays in grey) "
     "and Play. Compare the defections to IS-K and the aid with the grey lines. Try a few replicates."),
    ("Can it fight its allies?",
     "Press Reset to scenario, then put Action against allied groups at 1 and Play. Where do the allies' "
     "fighters go, and does the regime last? Then also lift Western sanctions (0)."),
    ("Does refusing keep the regime safe?",
     "Press Reset to scenario and set Humanitarian aid to 0, then Play. Is IS-K smaller than in the grey "
     "run? Compare the map of IS-K's presence at the same month."),
)


@cache
def experiment():
    """The scenario the app runs (``regime-sim viz SCENARIO``; the baseline by default), at the app's scale."""
    return load(os.environ.get(SCENARIO_VARIABLE, "baseline")).set(scale=SCALE)


def starting_levers() -> dict[str, float]:
    """Each lever's value in the scenario's first month."""
    exp = experiment()
    return {name: float(exp.params.lever_path(key, 1)[0]) for name, key in LEVERS.items()}


def scenario_value(name: str, month: int) -> float:
    """A lever's value in the scenario in ``month`` (its schedule's value then, for a scheduled lever)."""
    exp = experiment()
    return float(exp.params.lever_path(LEVERS[name], exp.months)[min(max(month, 0), exp.months - 1)])


def schedule(name: str) -> str | None:
    """A scheduled lever's schedule in words ('0.50 from 2021-08, 0.80 from 2023-01'); None for a constant one."""
    value = experiment().params[LEVERS[name]]
    if not isinstance(value, Schedule):
        return None
    return ", ".join(f"{v:.2f} from {month_date(max(m, 0))}" for m, v in value.steps)


def shown_value(name: str, values: dict, month: int) -> float:
    """What a slider shows: the value it was moved to, else the scenario's value in the month on show."""
    moved = values.get(name)
    return float(moved) if moved is not None else scenario_value(name, month)


def describe(values: dict) -> str:
    """The settings of a run in a few words: 'the scenario', or the levers moved (and the replicate)."""
    wording = {s.name: s.wording.label for s in sliders()}
    moved = [f"{wording[n]} {v:.2f}" for n, v in values.items() if n in LEVERS and v is not None]
    replicate = int(values.get("replicate", 0))
    text = "the scenario" + (f" with {', '.join(moved)}" if moved else "")
    return text + (f", replicate {replicate}" if replicate else "")


class ClassroomModel(RegimeModel):
    """The model of the app's scenario, with levers set by the sliders (None: the scenario's, schedules
    included) and one replicate's seed."""

    def __init__(self, replicate: int = 0, moderation: float | None = None, inclusion: float | None = None,
                 crackdown_isk: float | None = None, action_against_allies: float | None = None,
                 foreign_cooperation: float | None = None, sanctions: float | None = None,
                 assets_released: float | None = None, humanitarian_aid: float | None = None):
        chosen = dict(moderation=moderation, inclusion=inclusion, crackdown_isk=crackdown_isk,
                      action_against_allies=action_against_allies, foreign_cooperation=foreign_cooperation,
                      sanctions=sanctions, assets_released=assets_released, humanitarian_aid=humanitarian_aid)
        moved = {LEVERS[name]: float(value) for name, value in chosen.items() if value is not None}
        exp = experiment().set(moved)
        super().__init__(exp.params, months=exp.months, seed=exp.replicate_seed(int(replicate)), scale=exp.scale)


@dataclass(frozen=True)
class SliderSpec:
    """One slider of the sidebar: the model's argument it sets, its range and its wording."""

    name: str
    low: float
    high: float
    step: float
    wording: Wording
    unit: str

    def label(self, value: float) -> str:
        """The slider's label, with its value and unit: 'Moderation: 0.10 (0-1)'."""
        if self.name == "replicate":
            return f"{self.wording.label}: {value:.0f}"
        return f"{self.wording.label}: {value:.2f} ({self.unit})"

    def ends(self) -> str:
        """What the slider's two ends mean, in words."""
        return f"{self.low:g} = {self.wording.low}; {self.high:g} = {self.wording.high}"


def sliders() -> list[SliderSpec]:
    """The sidebar's sliders: one per lever (its range from the parameter's spec), then the replicate."""
    found = []
    for name, key in LEVERS.items():
        spec = SPEC_BY_NAME[key]
        unit = "0-1" if spec.unit.startswith("index") else spec.unit.replace("x documented level", "× documented")
        found.append(SliderSpec(name, spec.low, spec.high, 0.01, WORDING[name], unit))  # 0.01: starting values
        # such as 1.07 stay where they are (a coarser step would snap them, and mark the lever as moved)
    found.append(SliderSpec("replicate", 0, 19, 1, Wording("Replicate (which random seed)", "the first",
                                                            "the twentieth"), "seed"))
    return found


def starting_values() -> dict[str, float | None]:
    """The sliders' starting settings: every lever the scenario's (None, schedules included), replicate 0."""
    return {name: None for name in LEVERS} | {"replicate": 0}


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


def step_label(model: RegimeModel) -> str:
    """The Step button's words: a run ends at the regime's fall, and the button then says so."""
    return "Step" if model.regime_survives else f"The regime fell in {month_date(model.fall_month)}"


def province_shares(model: RegimeModel, colouring: str) -> np.ndarray:
    """IS-K's presence (0-1, as its recruiting reach) or the Taliban's share of the fighters in each province."""
    if colouring == "IS-K presence":
        return model.isk_reach()
    fighters = model.table
    taliban = fighters[TALIBAN].sum(axis=0)
    return taliban / np.maximum(fighters.sum(axis=0), 1e-9)


@cache
def province_shapes() -> tuple[np.ndarray, ...]:
    """Each province as a polygon (longitude, latitude): the area nearer its centre than any other's, within a
    hull 0.7 degrees outside the centres. Schematic: the provinces where they are, not their real borders."""
    xy = geography.coordinates()
    middle = xy.mean(axis=0)
    hull = xy[ConvexHull(xy).vertices]
    outward = hull - middle
    hull = hull + 0.7 * outward / np.linalg.norm(outward, axis=1, keepdims=True)
    far = middle + 100 * np.array([[1, 1], [1, -1], [-1, 1], [-1, -1]])  # every real cell is then bounded
    diagram = Voronoi(np.vstack([xy, far]))
    shapes = []
    for i in range(len(xy)):
        cell = diagram.vertices[diagram.regions[diagram.point_region[i]]]
        shapes.append(_clip(cell[_anticlockwise(cell)], hull))
    return tuple(shapes)


def _anticlockwise(points: np.ndarray) -> np.ndarray:
    centre = points.mean(axis=0)
    return np.argsort(np.arctan2(points[:, 1] - centre[1], points[:, 0] - centre[0]))


def _clip(polygon: np.ndarray, hull: np.ndarray) -> np.ndarray:
    """A convex polygon clipped to a convex, anticlockwise hull (Sutherland-Hodgman)."""
    def inside(p, a, b):
        return (b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0]) >= 0

    def crossing(p, q, a, b):
        d1, d2 = q - p, b - a
        t = ((a[0] - p[0]) * d2[1] - (a[1] - p[1]) * d2[0]) / (d1[0] * d2[1] - d1[1] * d2[0])
        return p + t * d1

    out = list(polygon)
    for a, b in zip(hull, np.roll(hull, -1, axis=0)):
        points, out = out, []
        for p, q in zip(points, points[1:] + points[:1]):
            if inside(q, a, b):
                if not inside(p, a, b):
                    out.append(crossing(p, q, a, b))
                out.append(q)
            elif inside(p, a, b):
                out.append(crossing(p, q, a, b))
    return np.array(out)


def draw_map(model: RegimeModel, colouring: str) -> Figure:
    """The 34 provinces, schematic (see :func:`province_shapes`), coloured by ``colouring``, with their names."""
    return map_figure(province_shares(model, colouring), model.month, colouring)


def map_figure(values: np.ndarray, month: int, colouring: str) -> Figure:
    geo, xy = geography.load(), geography.coordinates()
    with matplotlib.rc_context({"font.size": FONT_SIZE}):
        fig = Figure(figsize=(10, 7.5), layout="constrained")
        ax = fig.subplots()
        tiles = PolyCollection(province_shapes(), array=values, cmap=COLOURINGS[colouring], clim=(0, 1),
                               edgecolors="0.35", linewidths=1)
        ax.add_collection(tiles)
        for (x, y), name, value in zip(xy, geo.names, values):
            ax.text(x, y, name, ha="center", va="center", fontsize="x-small",
                    color="white" if value > 0.6 else "black")
        fig.colorbar(tiles, ax=ax, shrink=0.8, label=colouring + (" (0-1)" if colouring == "IS-K presence"
                                                                  else " (share of fighters)"))
        ax.autoscale_view()
        ax.set_aspect("equal")
        ax.set_axis_off()
        ax.set_title(f"Provinces, {month_date(max(month, 0))}: {colouring}")
        fig.supxlabel("Schematic map: each province drawn around its approximate centre; borders not real",
                      fontsize="small", color="0.35")
    return fig


def draw_charts(model: RegimeModel, reference: "Reference | None" = None) -> Figure:
    """The dashboard's panels for this run so far, over the run's whole span of years, in large type."""
    return charts_figure(records(model), model.months, reference)


def _columns() -> list[str]:
    return ["replicate", "month", *(c for name, series, _ in plots.PANELS if name in PANELS for c, _, _ in series)]


def charts_figure(table: pd.DataFrame, months: int, reference: "Reference | None" = None) -> Figure:
    """The charts: this run (empty axes before its first month), the previous run in grey dashes if there
    is one, on the same axes for every run (:data:`Y_LIMITS`)."""
    if table.empty:
        table = pd.DataFrame({c: pd.Series(dtype=float) for c in _columns()})
    with matplotlib.rc_context({"font.size": FONT_SIZE}):
        fig = plots.dashboard(table, panels=list(PANELS), columns=2)
        fig.set_size_inches(12, 11.5)
        fig.suptitle("Grey dashes: the previous run, " + reference.label if reference is not None else "",
                     fontsize="medium", color="0.3")
        span = plots.years(np.array([0, months - 1]))
        grid = fig.axes[:len(PANELS)]
        for name, ax in zip(PANELS, grid):
            twins = [a for a in fig.axes[len(PANELS):] if a.get_subplotspec() == ax.get_subplotspec()]
            _, series, _ = plots.PANELS[plots.PANEL_NAMES.index(name)]
            tables = [table] + ([reference.table] if reference is not None else [])
            for column, _, factor in series:
                target = twins[0] if column in plots.RIGHT_AXIS and twins else ax
                if reference is not None and not reference.table.empty:
                    target.plot(plots.years(reference.table["month"].to_numpy()),
                                reference.table[column].to_numpy() * factor, **REFERENCE_STYLE)
            _fix_axis(ax, name, len(series), max((float((t[c] * f).max()) for t in tables for c, _, f in series
                                                  if c not in plots.RIGHT_AXIS and not t.empty), default=0.0))
            for twin in twins:  # recognition, 0-1
                twin.set_ylim(0, plots.HEADROOM)
                twin.set_yticks([0, 0.5, 1])
            if name == "Regime survives":  # one replicate: standing or fallen, not a share
                ax.set_ylabel("1 = standing, 0 = fallen")
                for text in list(ax.texts):
                    text.remove()
        for ax in fig.axes:
            ax.set_xlim(*span)
    return fig


def _fix_axis(ax, name: str, series: int, highest: float) -> None:
    """A panel's y axis from 0 to its fixed limit (room above for a legend), or further, marked, if the runs
    go higher."""
    limit = Y_LIMITS[name]
    if name == "Regime survives":
        ax.set_ylim(-0.02, 1.05)
        return
    if highest > limit:
        step = 10 ** np.floor(np.log10(highest))
        limit = float(np.ceil(highest / step) * step)
        ax.set_title(f"{name} (axis extended)", fontsize="large")
    ax.set_ylim(0, limit * (plots.HEADROOM if series > 1 else 1.05))


def png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=80)
    return buffer.getvalue()


@dataclass(frozen=True)
class Reference:
    """The previous run, kept to compare with: its monthly records and its settings in words."""

    table: pd.DataFrame
    label: str


@dataclass(frozen=True)
class Snapshot:
    """What the figures show of a run at one moment, copied so that drawing never races the stepping."""

    table: pd.DataFrame
    month: int
    months: int
    shares: dict[str, np.ndarray]
    reference: Reference | None = None


def ending(model: RegimeModel) -> str:
    """How a run shown so far ends: 'fell in 2023-04' or 'standing in 2026-01'."""
    if not model.regime_survives:
        return f"the regime fell in {month_date(model.fall_month)}"
    return f"standing in {month_date(max(model.month, 0))}"


class Run:
    """One session's run: the model, the number of months asked for, and a lock around stepping.

    Step and Play only raise :attr:`wanted`; :meth:`catch_up` steps the model until it has run
    that many months (or stops), so clicks made while the app is drawing are counted, not lost.
    New settings (:meth:`apply`) start a new run from the takeover at once, under the same lock, so
    no step ever runs the old ones; the run that was on show becomes :attr:`reference`.
    """

    def __init__(self, values: dict[str, float | None]):
        self.lock = threading.Lock()
        self.values = dict(values)
        self.model = ClassroomModel(**values)
        self.wanted = 0
        self.playing = False
        self.reference: Reference | None = None

    def apply(self, values: dict[str, float | None]) -> bool:
        """Run with these settings from now on: a new run from the takeover if they differ from the run's."""
        with self.lock:
            if values == self.values:
                return False
            self._start(values)
            return True

    def _start(self, values: dict[str, float | None]) -> None:
        if self.done > 0:  # the run on show, if it ran, is kept to compare with
            self.reference = Reference(records(self.model).copy(),
                                       f"{describe(self.values)}: {ending(self.model)}")
        self.values = dict(values)
        self.model = ClassroomModel(**values)
        self.wanted = 0
        self.playing = False

    @property
    def done(self) -> int:
        return self.model.month + 1

    def ask(self, months: int = 1) -> None:
        with self.lock:
            self.wanted = min(self.wanted + months, self.model.months)

    def ask_while_playing(self) -> bool:
        """One more month if Play is still on (checked under the lock, so that none is added after Pause)."""
        with self.lock:
            if self.playing:
                self.wanted = min(self.wanted + 1, self.model.months)
            return self.playing

    def catch_up(self) -> None:
        with self.lock:
            while self.done < self.wanted and self.model.running:
                self.model.step()

    def snapshot(self) -> Snapshot:
        with self.lock:
            model = self.model
            return Snapshot(records(model), model.month, model.months,
                            {c: np.array(province_shares(model, c)) for c in COLOURINGS}, self.reference)

    def reset(self, values: dict[str, float | None]) -> None:
        """Start again from the takeover with ``values`` (the same settings again: the same run)."""
        with self.lock:
            self._start(values)


CSS = """
.v-application { font-size: 18px; }
.v-application .v-label, .v-application .v-btn, .v-application .v-expansion-panel-header { font-size: 17px !important; }
.lever-ends, .lever-schedule, .what-to-try-how { font-size: 16px !important; color: #333; }
.v-navigation-drawer { width: 360px !important; }
"""


@solara.component
def LeverSlider(spec: SliderSpec, values: dict, month: int, on_move):
    """A lever's slider: its label with the value on show and its unit, what its ends mean, and how it is set:
    following the scenario (its schedule listed, the slider showing the month's value) or held where moved."""
    shown = shown_value(spec.name, values, month) if spec.name != "replicate" else values["replicate"]
    moved = spec.name != "replicate" and values.get(spec.name) is not None
    plan = schedule(spec.name) if spec.name != "replicate" else None

    def set_value(new):
        if np.isclose(new, shown_value(spec.name, values, month) if spec.name != "replicate"
                      else values["replicate"]):
            return  # the slider echoing the value on show (a schedule's step), not a move
        on_move(spec.name, new)

    with solara.Column(gap="0px", style={"margin-bottom": "10px"}, classes=[f"lever-{spec.name}"]):
        solara.Text(spec.label(shown) + ("  (moved)" if moved else ""),
                    style={"font-size": "17px", "font-weight": "bold" if moved else "normal"})
        if spec.name == "replicate":
            solara.SliderInt("", value=int(shown), min=int(spec.low), max=int(spec.high), on_value=set_value,
                             thumb_label=False)
        else:
            solara.SliderFloat("", value=shown, min=spec.low, max=spec.high, step=spec.step, on_value=set_value,
                               thumb_label=False)
        solara.Text(spec.ends(), classes=["lever-ends"], style={"margin-top": "-14px"})
        if plan and not moved:
            solara.Text(f"Follows the scenario's schedule: {plan}", classes=["lever-schedule"])
        elif plan:
            solara.Text(f"Held at {shown:.2f} for the whole run (the scenario's schedule: {plan})",
                        classes=["lever-schedule"])


@solara.component
def WhatToTry():
    with solara.Card("What to try"):
        for i, (question, how) in enumerate(WHAT_TO_TRY, 1):
            with solara.Details(summary=f"{i}. {question}", expand=False):
                solara.Text(how, classes=["what-to-try-how"])  # plain text: Markdown would fetch KaTeX


@solara.component
def Page():
    """One app per browser session: its own run, built once per session."""
    start = solara.use_memo(starting_values, [])
    values = solara.use_reactive(dict(start))
    run = solara.use_memo(lambda: Run(start), [])
    shown, set_shown = solara.use_state(0)  # months drawn: a change redraws the page
    playing = solara.use_reactive(False)
    colouring = solara.use_reactive("IS-K presence")

    def redraw():
        set_shown(lambda n: n + 1)

    def step():
        run.ask(1)
        redraw()

    def start_with(new: dict):
        """New settings: a new run from the takeover with them, at once (the old one kept in grey)."""
        values.set(new)
        run.apply(new)
        playing.set(False)
        redraw()

    def move(name, value):
        start_with(values.value | {name: int(value) if name == "replicate" else float(value)})

    def reset_to_scenario():
        start_with(starting_values() | {"replicate": values.value["replicate"]})

    def play_or_pause():
        with run.lock:
            run.playing = not playing.value
        playing.set(run.playing)

    def play():
        while playing.value:
            time.sleep(PLAY_INTERVAL)
            if not run.model.running or run.done >= run.model.months:
                play_or_pause()
                break
            if not run.ask_while_playing():
                break
            redraw()

    solara.lab.use_task(play, dependencies=[playing.value], prefer_threaded=True)
    run.catch_up()  # the months asked for, before drawing them
    model = run.model
    over = not model.running or run.done >= model.months

    solara.Style(CSS)
    with solara.AppBar():
        solara.AppBarTitle(f"regime-sim: the Taliban's dilemma ({experiment().name})")
    with solara.Sidebar():
        with solara.Card("Run"):
            with solara.Row(style={"flex-wrap": "wrap", "gap": "8px"}):
                solara.Button(step_label(model), color="primary", on_click=step, disabled=playing.value or over)
                solara.Button("❚❚ Pause" if playing.value else "▶ Play", color="primary",
                              on_click=play_or_pause, disabled=over and not playing.value)
                solara.Button("Reset to scenario", color="secondary", on_click=reset_to_scenario,
                              disabled=run.values == starting_values() | {"replicate": run.values["replicate"]}
                              and run.done == 0)
            solara.Text(f"Months run: {run.done} of {model.months}", style={"font-size": "17px"})
        WhatToTry()
        with solara.Card("Levers: moving one starts the run again"):
            for spec in sliders():
                LeverSlider(spec, run.values, model.month, move)

    solara.Text(status(model), style={"font-weight": "bold", "font-size": "22px"})
    solara.Text(f"This run: {describe(run.values)}."
                + (f" Grey dashes: {run.reference.label}." if run.reference is not None else ""),
                classes=["this-run"], style={"font-size": "18px"})
    Figures(run, run.done, id(model), colouring)


@solara.component
def Figures(run: Run, done: int, generation: int, colouring: solara.Reactive[str]):
    """The charts and the map, drawn in the background: the page (status, buttons) answers at once, and a
    drawing made stale by further steps is replaced by the next; the last finished one stays until then."""
    def stale() -> bool:  # steps or a reset since this drawing was asked for
        return run.done != done or id(run.model) != generation

    def draw() -> tuple[bytes, bytes] | None:
        with DRAWING:  # one drawing at a time (Matplotlib's font sizes are global), stale ones skipped
            if stale():
                return None
            shot = run.snapshot()
            charts = png(charts_figure(shot.table, shot.months, shot.reference))
            if stale():
                return None
            return charts, png(map_figure(shot.shares[colouring.value], shot.month, colouring.value))

    task = solara.lab.use_task(draw, dependencies=[generation, done, colouring.value], prefer_threaded=True)
    last = solara.use_ref(None)  # the last finished drawing, shown until the next one is ready
    if task.finished and task.value is not None:
        last.current = task.value
    drawn = last.current
    solara.Text("drawing the charts…" if task.pending else "", style={"color": "#555", "min-height": "1.2em"})
    if drawn is not None:
        solara.Image(drawn[0], width="100%", classes=["charts"])
    solara.ToggleButtonsSingle(value=colouring, values=list(COLOURINGS))
    if drawn is not None:
        solara.Image(drawn[1], width="100%", classes=["map"])
