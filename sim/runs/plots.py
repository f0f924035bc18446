"""The dashboard: the main outcomes over time, median with a 10-90% band across replicates.

Whether the regime survives is a yes or no per replicate: its panel shows the share of the
replicates still standing each month (the survival curve), not a median of zeros and ones. A
replicate's rows end with the month its regime fell, so every other band is over the replicates
still standing that month (the title says so).
Every axis of counts and shares starts at zero, so a dip of half a percent does not look
like a collapse; legends sit in headroom above the curves; each star (a figure from the
documents) names its source. Font sizes are relative to Matplotlib's ``font.size``, so a
larger base size (the browser app's, for a projector) scales every text.

Figures are built with Matplotlib's object interface (no pyplot, no global state), so the
same drawing serves the command line (saved to a file), notebooks (shown inline) and the
browser app.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from sim.model.calendar import month_index
from sim.runs import figures

# (panel title, [(column, label, scale)], y label)
PANELS = (
    ("Regime survives", [("regime_survives", "share of replicates still standing", 1)],
     "share of replicates standing, 0-1"),
    ("Taliban fighters", [("taliban_fighters", "Taliban", 1e-3)], "fighters (thousands)"),
    ("IS-K and allied fighters", [("isk_fighters", "IS-K", 1e-3), ("ttp_fighters", "TTP", 1e-3),
                                  ("resistance_fighters", "resistance", 1e-3)], "fighters (thousands)"),
    ("Defections to IS-K per month", [("defections_taliban_to_isk", "from the Taliban", 1),
                                      ("defections_allies_to_isk", "from allied groups", 1)], "fighters per month"),
    ("Attacks per month", [("isk_attacks", "IS-K in Afghanistan", 1), ("isk_attacks_on_taliban", "on Taliban", 1),
                           ("isk_attacks_abroad", "IS-K abroad", 1), ("ttp_attacks_pakistan", "TTP in Pakistan", 1)],
     "attacks per month"),
    ("Economy", [("gdp_index", "GDP (pre-takeover = 1)", 1), ("poverty_rate", "poverty rate", 1)],
     "index (GDP) or share (poverty)"),
    ("People in humanitarian need", [("people_in_need", "people in need", 1e-6)], "people (millions)"),
    ("Aid and recognition", [("aid", "aid, USD bn/yr", 1), ("recognition", "recognition (0-1)", 1)],
     "aid, USD bn a year"),
    ("Cohesion, civil war, IS-K spread", [("regime_cohesion", "regime cohesion", 1), ("civil_war", "civil war", 1),
                                          ("isk_provinces", "provinces with IS-K / 34", 1 / 34)], "index or share, 0-1"),
)
PANEL_NAMES = tuple(name for name, _, _ in PANELS)
# Series drawn against a second y axis on the right of their panel, with its label
RIGHT_AXIS = {"recognition": "recognition index, 0-1"}
# Yes/no outcomes: drawn as the share of replicates (their mean), month by month, without a band
SHARES = {"regime_survives"}
# Figures from the documents drawn on the panels: (panel, date, value, label naming the source document:line)
DOCUMENTED = (
    ("IS-K and allied fighters", "2021-10", 2.0, "IS-K ~2,000 (ATI:27)"),
    ("IS-K and allied fighters", "2023-06", 6.0, "IS-K 4,000-6,000 (ALI:162)"),
    ("People in humanitarian need", "2021-08", 18.4, "18.4M (ALI:51)"),
    ("People in humanitarian need", "2022-12", 24.4, "24.4M (ALI:51)"),
    ("People in humanitarian need", "2023-06", 28.3, "28.3M (ALI:63)"),
)
# The documents the stars cite, as the figure's footnote says (seeds/, by line)
SOURCES = {"ALI": "Ali 2024", "ATI": "Asia Times 2021"}
HEADROOM = 1.35  # panels with a legend: the y axis reaches this far above the data, and the legend sits there


def band(table: pd.DataFrame, column: str) -> pd.DataFrame:
    """Median and 10th/90th percentiles of a column, month by month, over the replicates still
    running that month (a replicate's rows end with the month its regime fell)."""
    grouped = table.groupby("month")[column]
    if column in SHARES:  # the share of all replicates: those that fell have no rows after the fall
        share = grouped.sum() / (table["replicate"].nunique() if "replicate" in table else 1)
        return pd.DataFrame({"median": share, "low": share, "high": share})
    return pd.DataFrame({"median": grouped.median(), "low": grouped.quantile(0.1), "high": grouped.quantile(0.9)})


def years(months: np.ndarray) -> np.ndarray:
    """Months since August 2021 as decimal years, for time axes."""
    return 2021 + (7 + months) / 12.0


def run_title(name: str, modified: dict | None = None) -> str:
    """A scenario's name, and "modified: ..." with the parameters changed from its file (three named at most)."""
    if not modified:
        return name
    named = [f"{key}={value}" for key, value in list(modified.items())[:3]]
    more = f" and {len(modified) - 3} more" if len(modified) > 3 else ""
    return f"{name}, modified: {', '.join(named)}{more}"


class InlineFigure(Figure):
    """A Matplotlib figure that Jupyter shows as a picture when a cell returns it (whatever the backend)."""

    def _repr_png_(self) -> bytes:
        buffer = io.BytesIO()
        self.savefig(buffer, format="png", dpi=90)
        return buffer.getvalue()


def dashboard(table: pd.DataFrame, title: str = "", panels: list[str] | None = None, columns: int = 3) -> Figure:
    """The dashboard of a run as a Matplotlib figure: every panel, or those named in ``panels``."""
    names = list(panels) if panels else list(PANEL_NAMES)
    unknown = [n for n in names if n not in PANEL_NAMES]
    if unknown:
        raise ValueError(f"no panel named {unknown[0]!r}; panels: {', '.join(PANEL_NAMES)}")
    cols = min(columns, len(names))
    rows = -(-len(names) // cols)
    width = 5 * cols
    fig = InlineFigure(figsize=(width, 11 / 3 * rows + 0.4), layout="constrained")
    axes = fig.subplots(rows, cols, squeeze=False)
    for ax, name in zip(axes.flat, names):
        draw_panel(ax, table, name)
    for ax in list(axes.flat)[len(names):]:
        ax.set_visible(False)
    replicates = table["replicate"].nunique() if "replicate" in table else 1
    from matplotlib import rcParams

    size, scale = ("x-large", 1.44) if cols > 1 else ("medium", 1.0)  # a single panel: a smaller title
    what = (f"median and 10-90% band across the replicates still standing each month (of {replicates}; a run "
            "ends at the regime's fall); survival: Kaplan-Meier share standing, 95% band")
    head = f"{title} — {what}" if title else what[0].upper() + what[1:]
    fig.suptitle(figures.wrap(head, characters(width, scale * rcParams["font.size"])), fontsize=size)
    cited = sorted({label.rsplit("(", 1)[1].split(":")[0] for panel, _, _, label in DOCUMENTED if panel in names})
    if cited:
        fig.supxlabel(figures.wrap("★ a figure from the documents, by source and line in seeds/: "
                                   + "; ".join(f"{c} = {SOURCES[c]}".replace(" ", "\u00a0") for c in cited), characters(width, 0.833 * rcParams["font.size"])),
                      fontsize="small", color="0.3")
    return fig


def draw_panel(ax: Axes, table: pd.DataFrame, name: str) -> Axes:
    """Draw one panel of the dashboard (by its title, see :data:`PANEL_NAMES`) on ``ax``."""
    _, series, ylabel = PANELS[PANEL_NAMES.index(name)]
    replicates = table["replicate"].nunique() if "replicate" in table else 1
    lines = []
    for i, (column, label, factor) in enumerate(series):
        target = ax
        if column in RIGHT_AXIS:
            target = ax.twinx()
            target.set_ylabel(RIGHT_AXIS[column])
        colour = figures.colour(i)
        if column in SHARES:
            if table.empty:  # drawn before the first month (the app): the axes, no curve
                lines.append(target.plot([], [], label=label, lw=2, color=colour)[0])
                continue
            curve = standing(table)
            x = years(np.asarray(curve["month"]))
            line, = target.plot(x, curve["standing"], label=label, lw=2, color=colour, drawstyle="steps-post")
            if replicates > 1:
                target.fill_between(x, curve["low"], curve["high"], step="post", color=colour, alpha=0.2, lw=0,
                                    label="95% band")
        else:
            b = band(table, column) * factor
            x = years(b.index.to_numpy())
            line, = target.plot(x, b["median"], label=label, lw=1.6, color=colour)
            if replicates > 1:
                target.fill_between(x, b["low"], b["high"], color=line.get_color(), alpha=0.2, lw=0)
        lines.append(line)
    for panel, date, value, label in DOCUMENTED:
        if panel == name:
            ax.plot(years(np.array([month_index(date)])), [value], "k*", ms=9)
            ax.annotate(label, (years(np.array([month_index(date)]))[0], value), fontsize="small",
                        xytext=(4, 4), textcoords="offset points")
    ax.set_title(name, fontsize="large")
    ax.set_ylabel(ylabel)
    ax.grid(alpha=0.3)
    ax.set_xlabel("year")
    ax.xaxis.set_major_locator(MaxNLocator(nbins=6, integer=True))  # whole years, written as years
    ax.xaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:.0f}"))
    for axis in {line.axes for line in lines} | {ax}:  # counts and shares: from zero
        axis.set_ylim(bottom=0)  # and room above the curves: for the legend if there is one
        axis.set_ylim(top=axis.get_ylim()[1] * (HEADROOM if len(series) > 1 else 1.08))
    if name == "Regime survives":
        ax.set_ylim(-0.02, 1.05)
        ax.text(0.02, 0.04, f"{replicates} replicate(s)", transform=ax.transAxes, fontsize="small", color="0.3")
    if len(series) > 1:
        legend_axes = lines[-1].axes  # drawn on the top axes of a panel with two
        legend_axes.legend(lines, [line.get_label() for line in lines], fontsize="small", loc="upper left",
                           ncol=2, frameon=False)
    return ax


def standing(table: pd.DataFrame) -> dict:
    """The Kaplan-Meier share of the replicates still standing each month, with its 95% Greenwood band
    (:func:`sim.runs.outputs.survival_curve`): a replicate falls in its first month with ``regime_survives`` 0."""
    from sim.runs.outputs import survival_curve

    months = int(table["month"].max()) + 1
    by = table.groupby("replicate") if "replicate" in table else [(0, table)]
    falls = []
    for _, rows in by:
        fallen = rows.loc[rows["regime_survives"] == 0, "month"]
        falls.append(int(fallen.min()) if len(fallen) else None)
    return survival_curve(falls, months)


def characters(inches: float, points: float) -> int:
    return figures.characters(inches, points)


def save(fig: Figure, path: Path) -> Path:
    """Write a figure: PNG at 300 dpi, or SVG or PDF by the file's suffix."""
    return figures.save(fig, path)
