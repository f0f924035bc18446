"""Figures a journal accepts: no text outside the figure, no label cut short, axes with words and units,
Okabe-Ito colours, 300 dpi PNG by default and PDF or SVG on request (sim/runs/figures.py).

The check itself is tested first: it must fail on a deliberately clipped title and on a truncated label."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from PIL import Image

import sim
from sim.analysis import discovery, targets, validation_figure
from sim.interfaces.cli import main
from sim.runs import figures, plots

ROOT = Path(__file__).resolve().parents[2]
BASELINE = ROOT / "scenarios" / "baseline.toml"
# six swept parameters, some with long names: a key must name them all, in full
LEVERS = ["policy.moderation", "policy.inclusion", "policy.action_against_allies", "external.sanctions",
          "policy.crackdown_isk", "economy.liquidity_pace_without_dollars"]
GREYS = {"#000000", "#ffffff"} | {to_hex(str(g / 100)) for g in range(0, 101)}


def sound(fig) -> None:
    """Assert that ``fig`` is fit for a journal."""
    found = figures.problems(fig)
    assert not found, found
    missing = figures.unlabelled(fig)
    assert not missing, missing


def colours(fig) -> set[str]:
    """The colours of every line and filled band in ``fig`` (not of colour-mapped images or scatters)."""
    from matplotlib.collections import PolyCollection

    used = set()
    for ax in fig.axes:
        used |= {to_hex(line.get_color()) for line in ax.get_lines()}
        for collection in ax.collections:
            if isinstance(collection, PolyCollection) and collection.get_array() is None:
                used |= {to_hex(c[:3]) for c in collection.get_facecolor()}
    return used


# ---------------------------------------------------------------- the check fails where it must

def test_the_check_catches_a_deliberately_clipped_title():
    fig = Figure(figsize=(3, 2), layout="constrained")
    ax = fig.subplots()
    ax.plot([0, 1], [0, 1])
    ax.set_xlabel("year")
    ax.set_ylabel("fighters")
    assert not figures.problems(fig)
    fig.suptitle("A title far too long for a figure three inches wide, which runs off both of its sides")
    found = figures.problems(fig)
    assert found and all("outside the figure" in f for f in found), found


def test_the_check_catches_a_truncated_label_and_a_legend_off_the_page():
    fig = Figure(figsize=(3, 2), layout="constrained")
    ax = fig.subplots()
    ax.plot([0, 1], [0, 1], label="IS-K")
    ax.set_xlabel("year")
    ax.set_ylabel("Pace at which the takeover's liquidity…")
    assert any("cut short" in f for f in figures.problems(fig))
    ax.set_ylabel("fighters")
    ax.legend(loc="upper left", bbox_to_anchor=(1.5, 1.0))
    assert any("legend" in f for f in figures.problems(fig))


def test_the_check_catches_an_axis_without_a_label():
    fig = Figure(figsize=(3, 2), layout="constrained")
    ax = fig.subplots()
    ax.plot([0, 1], [0, 1])
    ax.set_xlabel("year")
    figures.problems(fig)  # draws it
    assert figures.unlabelled(fig) and "y label" in figures.unlabelled(fig)[0]


def test_parameter_labels_are_never_cut_short():
    from sim.model.params import SPECS

    cut = [s.name for s in SPECS if figures.TRUNCATED.search(s.label)]
    assert not cut, cut


# ---------------------------------------------------------------- the dashboard

@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return sim.load("baseline").set(months=30, scale=0.01).run(replicates=4)


@pytest.mark.parametrize("panels", [None, ["Regime survives"], ["Economy"], ["Aid and recognition", "Economy"]])
def test_the_dashboard_is_sound_in_every_layout(table, panels):
    fig = plots.dashboard(table, title=plots.run_title("baseline", {"policy.moderation": 0.5,
                                                                    "external.sanctions": 0.0}), panels=panels)
    sound(fig)
    assert colours(fig) <= set(map(str.lower, figures.CYCLE)) | GREYS, colours(fig)


def test_the_dashboards_survival_panel_has_a_band_and_an_x_label(table):
    fig = plots.dashboard(table, panels=["Regime survives"])
    ax = fig.axes[0]
    assert ax.get_xlabel() == "year" and ax.collections, "the Kaplan-Meier band"


def test_a_saved_figure_is_300_dpi_png_and_pdf_or_svg_on_request(table, tmp_path):
    fig = plots.dashboard(table, panels=["Economy"])
    png = plots.save(fig, tmp_path / "d.png")
    assert round(Image.open(png).info["dpi"][0]) == figures.DPI
    for suffix, magic in ((".pdf", b"%PDF"), (".svg", b"<?xml")):
        assert plots.save(fig, tmp_path / f"d{suffix}").read_bytes().startswith(magic)


# ---------------------------------------------------------------- sweeps

def _sweep(folder: Path, name: str, sweep: str) -> Path:
    scenario = folder / f"{name}.toml"
    scenario.write_text(f'extends = "{BASELINE.as_posix()}"\nname = "{name}"\nmonths = 24\nscale = 0.01\n'
                        f'[sweep]\nreplicates = 2\noutcomes = ["isk_fighters", "poverty_rate"]\n{sweep}',
                        encoding="utf-8")
    assert main(["sweep", str(scenario), "--out", str(folder / name), "--workers", "1", "--quiet"]) == 0
    return folder / name


@pytest.fixture(scope="module")
def drawn(tmp_path_factory):
    """Every sweep figure (a latin design over six parameters; a 2 x 2 grid), as drawn and saved."""
    folder = tmp_path_factory.mktemp("figures")
    made = []
    real = figures.save

    def keep(fig, path, dpi=figures.DPI):
        made.append((fig, Path(path)))
        return real(fig, path, dpi)

    figures.save = keep
    try:
        _sweep(folder, "lhs", 'design = "latin"\nsamples = 8\n[sweep.vary]\n'
               + "".join(f'"{n}" = {{}}\n' for n in LEVERS))
        _sweep(folder, "grid", 'design = "grid"\n[sweep.vary]\n"policy.moderation" = [0.0, 1.0]\n'
                               '"external.sanctions" = [0.0, 1.0]\n')
    finally:
        figures.save = real
    return made


def test_every_sweep_figure_is_sound(drawn):
    stems = {path.stem for _, path in drawn}
    assert {"scatter", "fan_charts", "survival_curves", "survival_heatmap", "outcome_heatmaps"} <= stems
    for fig, path in drawn:
        try:
            sound(fig)
        except AssertionError as err:
            raise AssertionError(f"{path.name}: {err}") from None
        assert round(Image.open(path).info["dpi"][0]) == figures.DPI, path.name


def test_survival_curves_name_every_swept_parameter_in_full_with_an_x_label(drawn):
    from sim.runs.sweep_plots import label

    fig = next(f for f, p in drawn if p.stem == "survival_curves" and p.parent.name == "lhs")
    ax = fig.axes[0]
    assert ax.get_xlabel().startswith("year") and ax.collections  # the 95% bands
    key = fig.get_supxlabel().replace("\n", " ")
    for name in LEVERS:
        assert label(name) in key, name
    legend = ax.get_legend()
    assert legend.get_window_extent().x0 >= ax.get_window_extent().x1  # beside the curves, not on them


def test_plot_writes_pdf_and_svg_on_request(drawn):
    folder = next(p.parent for _, p in drawn if p.parent.name == "grid")
    for fmt in ("pdf", "svg"):
        assert main(["plot", str(folder), "--format", fmt]) == 0
        assert (folder / f"survival_curves.{fmt}").is_file()


# ---------------------------------------------------------------- validation, PRIM

def test_the_validation_figure_is_grouped_by_topic_with_readable_titles(table, tmp_path):
    from sim.analysis.targets import evaluate

    chosen = targets.load()
    run = sim.load("baseline").set(months=30, scale=0.01).run(replicates=3)
    rows = evaluate(run, chosen, months=30)
    made = []
    real = figures.save
    figures.save = lambda fig, path, dpi=figures.DPI: made.append(fig) or real(fig, path, dpi)
    try:
        validation_figure.draw(run, chosen, rows, tmp_path / "validation.png", "baseline: 3 replicates")
    finally:
        figures.save = real
    fig = made[0]
    sound(fig)
    sections = [sub.get_suptitle() for sub in fig.subfigs]
    assert sections[:4] == [name for name, _ in validation_figure.TOPICS]
    titles = [ax.get_title() for ax in figures.all_axes(fig) if ax.get_visible()]
    assert titles and not any("_" in t for t in titles), [t for t in titles if "_" in t]


def test_prim_figures_use_full_parameter_names():
    rng = np.random.default_rng(1)
    runs = pd.DataFrame(rng.uniform(0, 1, (400, 2)), columns=["economy.liquidity_pace_without_dollars",
                                                             "policy.moderation"])
    runs["survived"] = (runs["policy.moderation"] > 0.5) ^ (rng.uniform(size=400) < 0.05)
    runs["status"] = "ok"
    found = discovery.discover({"design": {"parameters": list(runs.columns[:2])}}, runs, "survived", resamples=0)
    box = discovery.box_figure(found)
    sound(box)
    trajectory = pd.DataFrame([{"coverage": b.coverage, "density": b.density, "restricted": len(b.limits),
                                "limits": json.dumps(b.bounded(found.full))} for b in found.trajectory])
    sound(discovery.tradeoff_figure(found, trajectory))
