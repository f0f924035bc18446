"""The dashboard (sim/runs/plots.py) on a made-up table: what each panel shows and that it can be read."""

import re

import numpy as np
import pandas as pd
import pytest

from sim.runs import plots

REPLICATES, MONTHS = 5, 36


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    """Five replicates of three years: replicate r > 0 falls in month 6 r; the Taliban near 84,500 fighters."""
    rows = []
    columns = {c for _, series, _ in plots.PANELS for c, _, _ in series}
    for r in range(REPLICATES):
        for m in range(MONTHS):
            row = {c: 1.0 for c in columns}
            row |= {"replicate": r, "month": m, "regime_survives": int(r == 0 or m < 6 * r),
                    "taliban_fighters": 84_000 + 800 * (m % 2), "aid": 3.2 if m < 16 else 0.75,
                    "recognition": 0.25 + 0.18 * min(m, 24) / 24, "isk_fighters": 2_000 + 100 * m}
            rows.append(row)
    return pd.DataFrame(rows)


def panel(table, name):
    fig = plots.dashboard(table, panels=[name], columns=1)
    fig.draw_without_rendering()
    return fig, fig.axes[0]


def test_survival_is_the_share_of_replicates_still_standing(table):
    _, ax = panel(table, "Regime survives")
    line = ax.get_lines()[0]
    standing = table.groupby("month")["regime_survives"].mean().to_numpy()
    assert np.allclose(line.get_ydata(), standing)
    assert line.get_ydata()[-1] == pytest.approx(1 / REPLICATES)  # the median of the 0/1 would say 0
    assert table.groupby("month")["regime_survives"].median().iloc[-1] == 0
    assert "share of replicates" in ax.get_ylabel()


def test_counts_start_at_zero(table):
    for name in plots.PANEL_NAMES:
        _, ax = panel(table, name)
        assert ax.get_ylim()[0] <= 0, name
    _, ax = panel(table, "Taliban fighters")
    assert ax.get_ylim()[0] == 0  # 84.0-84.8 thousand is not drawn as a crash


def test_legends_cover_no_curve(table):
    for name in plots.PANEL_NAMES:
        fig, ax = panel(table, name)
        legends = [a.get_legend() for a in fig.axes if a.get_legend() is not None]
        if not legends:
            continue
        box = legends[0].get_window_extent()
        for axes in fig.axes:
            for line in axes.get_lines():
                points = axes.transData.transform(np.column_stack([line.get_xdata(), line.get_ydata()]))
                inside = [box.contains(x, y) for x, y in points]
                assert not any(inside), f"{name}: the legend covers {line.get_label()}"


def test_every_star_names_its_source(table):
    for _, _, _, label in plots.DOCUMENTED:
        source = re.search(r"\((\w+):\d+\)$", label)
        assert source and source.group(1) in plots.SOURCES, label
    fig = plots.dashboard(table, panels=["People in humanitarian need"])
    assert "ALI = Ali 2024" in fig.get_supxlabel().replace("\u00a0", " ")
    assert not plots.dashboard(table, panels=["Economy"]).get_supxlabel()


def test_panels_keep_their_title_and_years_are_years(table):
    fig = plots.dashboard(table, title="full moderation", panels=["Economy", "Regime survives"])
    assert fig.get_suptitle().startswith("full moderation")
    fig.draw_without_rendering()
    for ax in fig.axes:
        labels = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
        assert labels and all(re.fullmatch(r"20\d\d", t) for t in labels), labels
