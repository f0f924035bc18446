"""What every figure shares: the colour-blind-safe palette, the resolution and formats, and a check of the layout.

- **Colours.** The Okabe-Ito palette (Okabe and Ito 2008; Wong 2011, *Nature Methods* 8:441), which readers with
  any common colour-vision deficiency can tell apart, in :data:`CYCLE` order; maps are ``cividis`` or ``viridis``
  (perceptually uniform and colour-blind safe), never red against green. Meaning is never carried by colour
  alone: a missed target is also marked in words.
- **Resolution.** PNG at :data:`DPI` (300) by default; PDF or SVG on request (``--format``), vector formats
  for a journal's production.
- **Layout.** :func:`problems` lists the text drawn outside its figure (a clipped title, a legend off the
  page) and the labels cut short ("..." or "…"); the tests run it on every figure the package draws.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

from cycler import cycler

# Okabe-Ito: name -> hex
OKABE_ITO = {"black": "#000000", "orange": "#E69F00", "sky blue": "#56B4E9", "bluish green": "#009E73",
             "yellow": "#F0E442", "blue": "#0072B2", "vermillion": "#D55E00", "reddish purple": "#CC79A7"}
BLUE, ORANGE, GREEN, VERMILLION = OKABE_ITO["blue"], OKABE_ITO["orange"], OKABE_ITO["bluish green"], \
    OKABE_ITO["vermillion"]
SKY, PURPLE, YELLOW, BLACK = OKABE_ITO["sky blue"], OKABE_ITO["reddish purple"], OKABE_ITO["yellow"], \
    OKABE_ITO["black"]
# the order series take in a panel: the most distinct first (yellow last: weak on white)
CYCLE = (BLUE, ORANGE, GREEN, VERMILLION, PURPLE, SKY, BLACK, YELLOW)
GREY = "0.45"  # notes and secondary marks
SEQUENTIAL, DIVERGING = "cividis", "PuOr"  # colour maps: a probability or a level; a signed difference
DPI = 300
FORMATS = ("png", "pdf", "svg")
RC = {"axes.prop_cycle": cycler(color=list(CYCLE)), "image.cmap": SEQUENTIAL, "savefig.dpi": DPI}
TRUNCATED = re.compile(r"(\.\.\.|…)\s*\)?$")


def colour(i: int) -> str:
    """The i-th colour of the palette (cycling)."""
    return CYCLE[i % len(CYCLE)]


def save(fig, path: Path, dpi: int = DPI) -> Path:
    """Write a figure: PNG at ``dpi`` (300), or PDF or SVG by the file's suffix."""
    path = Path(path)
    fig.savefig(path, dpi=dpi)
    return path


def wrap(text: str, width: int) -> str:
    """Text broken into lines of at most ``width`` characters (every word kept)."""
    return "\n".join(textwrap.fill(part, width) if part else "" for part in text.split("\n"))


def characters(inches: float, points: float) -> int:
    """How many characters of text at ``points`` fit in ``inches`` (a conservative average width)."""
    return max(12, int(inches * 72 / (0.6 * points)))


def all_axes(fig) -> list:
    """Every axes of a figure, those of its subfigures included (``fig.axes`` holds only its own)."""
    from matplotlib.axes import Axes

    return [a for a in fig.findobj(Axes) if a is not fig]


def _texts(fig):
    """The texts a saved figure shows (tick labels only of the ticks drawn, within the axis's view)."""
    from matplotlib.text import Text

    hidden = set()
    for ax in all_axes(fig):
        if not ax.get_visible():  # nothing of a hidden axes is drawn
            hidden |= {id(t) for t in ax.findobj(Text)}
            continue
        for axis in ax._axis_map.values():
            drawn = set(axis._update_ticks())
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                if tick not in drawn:
                    hidden |= {id(tick.label1), id(tick.label2)}
    for artist in fig.findobj(Text):
        if artist.get_visible() and artist.get_text().strip() and id(artist) not in hidden:
            axes = artist.axes
            if axes is not None and not axes.get_visible():
                continue
            yield artist


def problems(fig, tolerance: float = 1.0) -> list[str]:
    """What a reader could not read in ``fig``, once drawn as saved: each text drawn (partly) outside the figure,
    and each label cut short with an ellipsis. Empty when the figure is sound."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    if fig.canvas is None or not hasattr(fig.canvas, "get_renderer"):
        FigureCanvasAgg(fig)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    page = fig.bbox
    found = []
    for text in _texts(fig):
        box = text.get_window_extent(renderer)
        if box.width == 0 and box.height == 0:
            continue
        outside = (box.x0 < page.x0 - tolerance or box.x1 > page.x1 + tolerance or box.y0 < page.y0 - tolerance
                   or box.y1 > page.y1 + tolerance)
        words = text.get_text().replace("\n", " ")
        if outside:
            found.append(f"text drawn outside the figure: {words[:60]!r}")
        for line in text.get_text().splitlines():
            if TRUNCATED.search(line.strip()):
                found.append(f"label cut short: {line.strip()!r}")
    for legend in [a.get_legend() for a in all_axes(fig)] + list(fig.legends):
        if legend is None or not legend.get_visible():
            continue
        box = legend.get_window_extent(renderer)
        if box.x0 < page.x0 - tolerance or box.x1 > page.x1 + tolerance or box.y0 < page.y0 - tolerance \
                or box.y1 > page.y1 + tolerance:
            found.append("a legend drawn outside the figure")
    return found


def unlabelled(fig) -> list[str]:
    """The visible axes with data but without a label (words and unit) on the x or the y axis."""
    missing = []
    for ax in all_axes(fig):
        if not ax.get_visible() or not ax.axison or (not ax.lines and not ax.collections and not ax.patches
                                                     and not ax.images):
            continue
        if getattr(ax, "_colorbar", None) is not None or ax.get_label() == "<colorbar>":
            continue
        name = ax.get_title() or ax.get_label() or "an axes"
        for letter, axis in (("x", ax.xaxis), ("y", ax.yaxis)):
            shown = axis.get_visible() and any(t.get_text() and t.get_visible() for t in axis.get_ticklabels())
            if shown and not axis.get_label_text().strip():
                missing.append(f"{name!r}: no {letter} label")
    return missing
