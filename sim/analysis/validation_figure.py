"""The validation figure: every target against the model, grouped by topic, with readable titles and units.

One panel per target, in a section per topic (IS-K; the Taliban and the regime; Pakistan and the TTP; the economy
and humanitarian need). Each panel's title is the target's description up to its first colon (the figure or
the event, in words, never the target's id), its y axis says the unit, and its foot says the role and the window.
Observed: the documented figure or range (blue band; lighter: its tolerance). Model: the replicates (orange dots),
the median (black diamond) and its 10-90% band. A missed target says "missed" in its title, in words, not only in
colour; colours are Okabe-Ito (:mod:`sim.runs.figures`).
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from sim.runs import figures

# topic -> the outcome columns it holds (in this order in the figure); the rest go to "other"
TOPICS = (
    ("IS-K", ("isk_fighters", "isk_attacks", "isk_attacks_abroad", "isk_held_provinces")),
    ("The Taliban and the regime", ("taliban_fighters", "regime_survives", "faction_splits", "formal_recognitions")),
    ("Pakistan and the TTP", ("ttp_fighters", "militant_attacks_pakistan", "ttp_attacks_pakistan", "deported_from_pakistan")),
    ("The economy and humanitarian need", ("gdp_index", "people_in_need", "humanitarian_aid_usd")),
)
COLUMNS = 4
WIDTH = 7.2 * 1.25  # inches: a page's width, with room for four panels a row


def topic(column: str) -> str:
    for name, columns in TOPICS:
        if column in columns:
            return name
    return "Other figures"


def title(target) -> str:
    """The target in words: its description up to the first colon (the figure or event it is about)."""
    return target.description.split(":")[0].strip()


def units(target) -> str:
    """What the panel's y axis measures, with its unit."""
    from sim.model.outcomes import FLOWS, unit

    if target.statistic == "growth":
        return "growth over the year (share)"
    if target.statistic == "ratio":
        return "ratio of the two windows"
    if target.statistic == "share":
        return "share of replicates, 0-1"
    base = unit(target.column) if target.column in _outcomes() else "value"
    if target.statistic == "sum" and target.column in FLOWS:
        return base.replace(" per month", "") + " in the window"
    if target.statistic in ("max", "min"):
        return f"{base} ({target.statistic} in the window)"
    return base


def _outcomes():
    from sim.model.outcomes import OUTCOMES

    return OUTCOMES


def draw(table, targets, rows: list[dict], path: Path, title_text: str) -> Path:
    """Draw the figure to ``path`` (PNG at 300 dpi, or PDF / SVG by the suffix)."""
    from matplotlib import rc_context
    from matplotlib.figure import Figure

    order = [name for name, _ in TOPICS] + ["Other figures"]
    groups = {name: [(t, r) for t, r in zip(targets, rows) if topic(t.column) == name] for name in order}
    groups = {name: pairs for name, pairs in groups.items() if pairs}
    heights = [math.ceil(len(pairs) / COLUMNS) for pairs in groups.values()]
    with rc_context({"font.size": 7, "axes.titlesize": 7, "axes.labelsize": 6.5, "xtick.labelsize": 6,
                     "ytick.labelsize": 6, **figures.RC}):
        fig = Figure(figsize=(WIDTH, 2.05 * sum(heights) + 0.45 * len(groups) + 1.0), layout="constrained")
        sections = fig.subfigures(len(groups), 1, height_ratios=[h + 0.35 for h in heights], squeeze=False)[:, 0]
        rng = np.random.default_rng(0)  # jitter only
        for section, (name, pairs), height in zip(sections, groups.items(), heights):
            section.suptitle(name, fontsize=9, fontweight="bold", x=0.01, ha="left")
            axes = section.subplots(height, COLUMNS, squeeze=False)
            for ax, (target, row) in zip(axes.flat, pairs):
                _panel(ax, target, row, table, rng)
            for ax in list(axes.flat)[len(pairs):]:
                ax.set_visible(False)
        met = sum(1 for r in rows if r["met"] is True)
        judged = sum(1 for r in rows if r["met"] is not None)
        fig.suptitle(figures.wrap(
            f"{title_text}: {met} of {judged} targets met. Observed: the documented figure or range (blue; lighter: "
            "its tolerance). Model: replicates (orange dots), median (black diamond) and 10-90% band.",
            figures.characters(WIDTH, 9)), fontsize=9)
        return figures.save(fig, path)


def _panel(ax, target, row, table, rng) -> None:
    missed = row["met"] is False
    ax.set_title(figures.wrap(title(target) + (" (missed)" if missed else ""), 28 if missed else 34),  # bold is wider
                 fontweight="bold" if missed else "normal", color=figures.VERMILLION if missed else "black")
    ax.set_xticks([])
    ax.set_ylabel(figures.wrap(units(target), 26))
    ax.set_xlabel(figures.wrap(f"{target.role}, {target.window_text}", 34), color=figures.GREY)
    ax.axhspan(target.low - target.tolerance, target.high + target.tolerance, color=figures.SKY, alpha=0.25, lw=0)
    if target.low == target.high:
        ax.axhline(target.low, color=figures.BLUE, lw=2)
    else:
        ax.axhspan(target.low, target.high, color=figures.BLUE, alpha=0.35, lw=0)
    if row["met"] is None:
        ax.text(0.5, 0.5, "not evaluated", ha="center", va="center", transform=ax.transAxes)
        figures_numbers(ax)
        return
    values = target.values(table)
    values = values[np.isfinite(values)]  # the replicates that reached the end of the window
    if target.statistic != "share":
        ax.plot(rng.uniform(-0.15, 0.15, len(values)), values, "o", ms=2.5, color=figures.ORANGE, alpha=0.6)
    ax.errorbar([0], [row["value"]], yerr=[[row["value"] - row["p10"]], [row["p90"] - row["value"]]],
                fmt="D", color="black", ms=4, capsize=3)
    ax.set_xlim(-0.6, 0.6)
    span = [target.low - target.tolerance, target.high + target.tolerance, row["p10"], row["p90"], *values]
    low, high = min(span), max(span)
    pad = 0.08 * (high - low) or 0.5 * max(abs(high), 1.0)
    ax.set_ylim(low - pad, high + pad)
    figures_numbers(ax)


def figures_numbers(ax) -> None:
    """Large values in thousands separators or millions, never an offset such as 1e7."""
    from sim.runs.sweep_plots import _readable_numbers

    _readable_numbers(ax)
