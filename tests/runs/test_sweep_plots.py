"""Figures fit for a journal: their saved size, axes from zero, runs drawn while the regime stands,
error bars within the possible values."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure
from PIL import Image

from sim.interfaces.cli import main
from sim.runs import sweep_plots

ROOT = Path(__file__).resolve().parents[2]
LIMIT = sweep_plots.WIDTH * sweep_plots.DPI + 2  # pixels: a page's width at the saved resolution


def test_error_bars_stop_at_zero():
    below, above = sweep_plots.bounded_errors([0.05, 0.5, -0.01], [0.2, 0.1, 0.1])
    assert list(below) == pytest.approx([0.05, 0.1, 0.0]) and list(above) == pytest.approx([0.2, 0.1, 0.1])
    assert np.all(np.array([0.05, 0.5, -0.01]) - below >= -0.01)


def test_a_fan_chart_follows_each_run_only_while_the_regime_stands():
    """Two runs: one falls in month 10; its line ends there, marked by a cross; the axis starts at zero."""
    months = np.arange(24)
    table = pd.DataFrame({"run_id": np.repeat([0, 1], 24), "month": np.tile(months, 2),
                          "isk_fighters": np.r_[5000 + 10 * months, 5000 + 100 * months],
                          "regime_survives": np.r_[np.ones(24), (months < 10).astype(float)]})
    ax = Figure().subplots()
    sweep_plots._fan(ax, table, "isk_fighters")
    fallen = [line for line in ax.get_lines() if line.get_marker() == "x"]
    assert len(fallen) == 1 and fallen[0].get_xdata()[0] == pytest.approx(2021 + (7 + 10) / 12)
    thin = [line for line in ax.get_lines() if line.get_marker() != "x" and line.get_linewidth() < 1]
    assert max(line.get_xdata().max() for line in thin if line.get_ydata().max() > 5300) < 2021 + (7 + 10) / 12
    ax.relim()
    ax.autoscale_view()
    sweep_plots.from_zero(ax)
    assert ax.get_ylim()[0] == 0


@pytest.fixture(scope="module")
def sampled(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("plots")
    scenario = folder / "lhs.toml"
    levers = ["policy.moderation", "policy.inclusion", "policy.action_against_allies", "external.sanctions",
              "policy.crackdown_isk", "policy.foreign_cooperation", "isk.outside_funding",
              "resistance.initial_fighters", "taliban.force_target", "economy.revenue_at_full_gdp"]
    scenario.write_text(f'extends = "{ROOT / "scenarios" / "baseline.toml"}"\nname = "lhs"\nmonths = 24\n'
                        'scale = 0.01\n[sweep]\ndesign = "latin"\nsamples = 12\nreplicates = 2\n'
                        'outcomes = ["isk_fighters", "taliban_fighters", "poverty_rate"]\n[sweep.vary]\n'
                        + "".join(f'"{n}" = {{}}\n' for n in levers), encoding="utf-8")
    assert main(["sweep", str(scenario), "--out", str(folder / "s"), "--workers", "1", "--quiet"]) == 0
    return folder / "s"


def test_every_sweep_figure_fits_a_page_and_shows_at_most_eight_parameters(sampled):
    figures = sorted(sampled.glob("*.png"))
    assert {p.stem for p in figures} == {"scatter", "fan_charts", "survival_curves"}
    for path in figures:
        width, height = Image.open(path).size
        assert width <= LIMIT and height <= 2.5 * LIMIT, (path.name, width, height)
