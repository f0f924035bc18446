"""Plots of a sweep: what the sweep was for, drawn from its folder.

- two swept parameters on a grid: heatmaps of the probability that the regime survives and
  of the chosen outcomes, the number of replicates per cell stated;
- one swept parameter: outcome curves with bands across replicates;
- one at a time: a curve per parameter, the others held at the scenario's values;
- sampled designs (Latin hypercube, Sobol, CSV): each outcome against each parameter, and
  for Sobol designs first-order and total Sobol indices (SALib);
- always: fan charts of the time series at the points where the regime fares worst, middling
  and best (or, when survival ties at every point, where the first outcome is lowest, middling
  and highest).

Axis labels are words (:attr:`sim.model.params.Spec.label`, the outcome descriptions), never ids.
The figures are sized for a journal page (at most :data:`WIDTH` inches wide, fonts of 7-8 points,
saved at :data:`DPI`): outcome axes start at zero (every outcome is a non-negative stock, count or
share), fan charts follow each run only while the regime stands, and error bars stop at zero.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from sim.model.outcomes import OUTCOMES, unit
from sim.runs import figures
from sim.runs.outputs import headline, survival_curve
from sim.model.params import SPEC_BY_NAME
from sim.runs.scenario import ScenarioError
from sim.runs.store import read_runs, read_timeseries
from sim.runs.sweep import read_manifest

FORMATS = figures.FORMATS
MAX_PANELS = 6
MAX_PARAMETERS = 8  # a sampled design's scatter shows the parameters that matter most
WIDTH, DPI = 7.2, figures.DPI  # inches (a journal's full page width), dots per inch (300)
FEW = 10  # below this many replicates a fan chart draws each run rather than bands
STYLE = {"font.size": 7, "axes.titlesize": 7.5, "axes.labelsize": 7, "xtick.labelsize": 6.5,
         "ytick.labelsize": 6.5, "legend.fontsize": 6.5, "figure.titlesize": 8, **figures.RC}


def draw(folder: Path, fmt: str = "png", outcomes: list[str] | None = None) -> list[Path]:
    """Draw every plot that fits the sweep in ``folder``; return the files written."""
    folder = Path(folder)
    manifest = read_manifest(folder)
    names = manifest["design"]["parameters"]
    kept = [o for o in manifest["design"]["outcomes"] if o != "regime_survives"]
    for name in outcomes or []:
        if name not in kept:
            raise ScenarioError("--outcomes", name, f"is not kept by this sweep; kept: {', '.join(kept)}")
    chosen = (outcomes or kept)[:MAX_PANELS]
    points = pd.read_csv(folder / "points.csv")
    context = _Context(folder, fmt, manifest, names, chosen, points)
    kind = manifest["design"]["design"]
    written = []
    from matplotlib import rc_context

    with rc_context(STYLE):
        if kind == "one_at_a_time":
            written.append(context.one_at_a_time())
        elif len(names) == 1:
            written.append(context.curves())
        elif len(names) == 2 and _is_grid(points, names):
            written += context.heatmaps()
        else:
            written.append(context.scatter())
        if kind == "sobol":
            written.append(context.sobol())
        written.append(context.fan_charts())
        written.append(context.survival_curves())
    return [p for p in written if p is not None]


def label(name: str) -> str:
    """Words for a parameter or an outcome."""
    if name in SPEC_BY_NAME:
        return SPEC_BY_NAME[name].label
    if name == "survival_probability":
        return "probability the regime survives"
    return OUTCOMES.get(name, name)


def _is_grid(points: pd.DataFrame, names: list[str]) -> bool:
    return len(points) == np.prod([points[n].nunique() for n in names])


class _Context:
    def __init__(self, folder, fmt, manifest, names, outcomes, points):
        self.folder, self.fmt, self.names, self.outcomes = folder, fmt, names, outcomes
        self.points = points
        self.ranges = manifest["design"].get("ranges", {})
        self.months = manifest["run"]["months"]
        self.replicates = manifest["run"]["replicates"]
        self.name = manifest["scenario"]["name"]
        self.members = manifest["run"].get("parameter_sets_per_point")  # None: a sweep of an older version
        self.drawn = "ensemble" in manifest

    def _save(self, fig, stem: str) -> Path:
        return figures.save(fig, self.folder / f"{stem}.{self.fmt}", dpi=DPI)

    def _key(self, picks: list, letters: str = "ABCDE") -> str:
        """Each point drawn, by its letter: every swept parameter's full name and value (a key, not cut short)."""
        rows = self.points.set_index("point")
        lines = []
        for letter, point in zip(letters, picks):
            row = rows.loc[point]
            values = "; ".join(f"{label(n)} {_number(row[n]) if isinstance(row[n], float) else row[n]}"
                               for n in self.names)
            lines.append(wrap(f"{letter} (point {point}, survival {row['survival_probability']:.2f}): {values}",
                              figures.characters(WIDTH, 6.2)))
        return "\n".join(lines)

    def _n_text(self) -> str:
        return (f"n = {self.replicates} replicates per point{self._members_text()}, {self.months} months from "
                "August 2021")

    def _members_text(self) -> str:
        """How many parameter sets a point maps (issue 29), as the subtitles say it."""
        if self.members is None:
            return ""
        if not self.drawn:
            return ", one parameter set"
        return f" on {self.members} calibrated-ensemble member{'s' if self.members != 1 else ''}"

    # ----------------------------------------------------------------- two parameters
    def heatmaps(self) -> list[Path]:
        x, y = self.names
        fig, ax = _subplots(figsize=(4.8, 3.8))
        self._heatmap(ax, "survival_probability", x, y, cmap=figures.SEQUENTIAL, vmin=0, vmax=1,
                      units="probability, 0-1")
        fig.suptitle(f"{self.name}: probability the regime survives {self.months} months\n"
                     f"(each cell: n = {self.replicates} replicates{self._members_text()})")
        paths = [self._save(fig, "survival_heatmap")]
        cols = min(2, len(self.outcomes))
        rows = -(-len(self.outcomes) // cols)
        fig, axes = _subplots(rows, cols, figsize=(WIDTH, 3.0 * rows + 0.4), squeeze=False)
        for ax, outcome in zip(axes.flat, self.outcomes):
            self._heatmap(ax, f"{outcome}_median", x, y, cmap="viridis", units=unit(outcome),
                          title=wrap(f"{label(outcome)} (median across replicates, {headline(outcome)[1]})", 50))
        for ax in list(axes.flat)[len(self.outcomes):]:
            ax.set_visible(False)
        fig.suptitle(f"{self.name}: outcomes ({self._n_text()})")
        paths.append(self._save(fig, "outcome_heatmaps"))
        return paths

    def _heatmap(self, ax, column, x, y, cmap, vmin=None, vmax=None, title=None, units=""):
        grid = self.points.pivot_table(index=y, columns=x, values=column, aggfunc="first", dropna=False)
        image = ax.imshow(grid.to_numpy(dtype=float), origin="lower", cmap=cmap, vmin=vmin, vmax=vmax, aspect="auto")
        ax.set_xticks(range(grid.shape[1]), [f"{v:g}" if isinstance(v, float) else v for v in grid.columns])
        ax.set_yticks(range(grid.shape[0]), [f"{v:g}" if isinstance(v, float) else v for v in grid.index])
        ax.set_xlabel(wrap(label(x), 45))
        ax.set_ylabel(wrap(label(y), 30))
        values = grid.to_numpy(dtype=float)
        low, high = np.nanmin(values), np.nanmax(values)
        for (i, j), value in np.ndenumerate(values):
            if np.isfinite(value):
                light = (value - low) / (high - low or 1) < 0.45 if cmap in ("viridis", "cividis") else False
                ax.text(j, i, _number(value), ha="center", va="center", fontsize=6,
                        color="white" if light else "black")
        ax.figure.colorbar(image, ax=ax, shrink=0.85, label=wrap(units, 30))
        if title:
            ax.set_title(title)

    # ----------------------------------------------------------------- one parameter
    def curves(self) -> Path:
        (x,) = self.names
        table = self.points.sort_values(x)
        panels = ["survival_probability", *self.outcomes]
        cols = min(3, len(panels))
        rows = -(-len(panels) // cols)
        fig, axes = _subplots(rows, cols, figsize=(WIDTH, 2.3 * rows + 0.5), squeeze=False)
        for ax, outcome in zip(axes.flat, panels):
            self._curve(ax, table, x, outcome)
            ax.set_xlabel(wrap(label(x), 30))
        for ax in list(axes.flat)[len(panels):]:
            ax.set_visible(False)
        fig.suptitle(f"{self.name}: outcomes against {label(x)}\n({self._n_text()}; "
                     "line: median, band: 10-90% of replicates)")
        return self._save(fig, "curves")

    def _curve(self, ax, table, x, outcome):
        xs = table[x].to_numpy()
        if outcome == "survival_probability":
            p, n = table["survival_probability"].to_numpy(), table["replicates"].to_numpy()
            low, high = _wilson(p, n)
            ax.plot(xs, p, "o-", color=figures.GREEN, ms=3)
            ax.fill_between(xs, low, high, color=figures.GREEN, alpha=0.2, label="95% interval")
            ax.set_ylim(-0.02, 1.02)
            ax.set_ylabel("probability, 0-1 (band: 95% Wilson)")
        else:
            ax.plot(xs, table[f"{outcome}_median"], "o-", color=figures.BLUE, ms=3)
            ax.fill_between(xs, table[f"{outcome}_p10"], table[f"{outcome}_p90"], color=figures.BLUE, alpha=0.2)
            ax.set_ylabel(wrap(unit(outcome), 30))
            from_zero(ax)
        ax.set_title(wrap(label(outcome) + ("" if outcome == "survival_probability" else
                                            f" ({headline(outcome)[1]})"), 34))
        ax.grid(alpha=0.3)

    def one_at_a_time(self) -> Path:
        centre = self.points.iloc[0]
        panels = ["survival_probability", *self.outcomes[:2]]
        fig, axes = _subplots(len(self.names), len(panels), figsize=(WIDTH, 1.9 * len(self.names) + 0.6),
                              squeeze=False)
        for i, name in enumerate(self.names):
            others = [n for n in self.names if n != name]
            rows = self.points[(self.points[others] == centre[others]).all(axis=1)] if others else self.points
            rows = rows.sort_values(name)
            for j, outcome in enumerate(panels):
                self._curve(axes[i, j], rows, name, outcome)
                axes[i, j].axvline(centre[name], color="grey", lw=0.8, ls="--")
                axes[i, j].set_xlabel(wrap(label(name), 34))
        fig.suptitle(f"{self.name}: one parameter at a time, the others at the scenario's values (dashed)\n"
                     f"({self._n_text()})")
        return self._save(fig, "one_at_a_time")

    # ----------------------------------------------------------------- sampled designs
    def scatter(self) -> Path:
        """Each outcome against each parameter, four panels a row; with many parameters, the
        :data:`MAX_PARAMETERS` with the strongest rank correlation with the outcomes."""
        from scipy.stats import spearmanr

        panels = ["survival_probability", *self.outcomes[:2]]
        columns = {o: o if o == "survival_probability" else f"{o}_median" for o in panels}
        names = self.names
        if len(names) > MAX_PARAMETERS:
            strength = {n: max(abs(np.nan_to_num(spearmanr(self.points[n], self.points[c], nan_policy="omit")[0]))
                               for c in columns.values()) for n in names}
            names = sorted(names, key=lambda n: -strength[n])[:MAX_PARAMETERS]
        pairs = [(o, n) for o in panels for n in names]
        cols = min(4, len(pairs))
        rows = -(-len(pairs) // cols)
        fig, axes = _subplots(rows, cols, figsize=(WIDTH, 1.75 * rows + 0.6), squeeze=False)
        for ax, (outcome, name) in zip(axes.flat, pairs):
            ax.scatter(self.points[name], self.points[columns[outcome]], s=5, alpha=0.6, lw=0, color=figures.BLUE)
            if outcome == "survival_probability":
                ax.set_ylim(-0.02, 1.02)
            else:
                from_zero(ax)
            ax.set_xlabel(wrap(label(name), 24), fontsize=6)
            ax.set_ylabel(wrap(label(outcome) if outcome == "survival_probability"
                               else f"{label(outcome)} ({unit(outcome)})", 24), fontsize=6)
            ax.grid(alpha=0.3)
        for ax in list(axes.flat)[len(pairs):]:
            ax.set_visible(False)
        shown = "" if names == self.names else (f"; the {len(names)} of {len(self.names)} parameters most "
                                                "rank-correlated with the outcomes")
        fig.suptitle(wrap(f"{self.name}: each point of the design ({len(self.points)} points; {self._n_text()}{shown})",
                          110))
        return self._save(fig, "scatter")

    def sobol(self) -> Path:
        """First-order and total Sobol indices of each outcome's point means (SALib)."""
        from SALib.analyze import sobol

        problem = {"num_vars": len(self.names), "names": self.names,
                   "bounds": [self.ranges[n] for n in self.names]}
        table = self.points.sort_values("point")
        targets = {"survival_probability": table["survival_probability"]}
        targets |= {o: table[f"{o}_mean"] for o in self.outcomes}
        rows = []
        for outcome, y in targets.items():
            y = y.to_numpy(dtype=float)
            if not np.all(np.isfinite(y)) or np.ptp(y) == 0:
                continue
            result = sobol.analyze(problem, y, calc_second_order=False, seed=0)
            for k, name in enumerate(self.names):
                rows.append({"outcome": outcome, "parameter": name, "S1": result["S1"][k],
                             "S1_conf": result["S1_conf"][k], "ST": result["ST"][k], "ST_conf": result["ST_conf"][k]})
        table = pd.DataFrame(rows, columns=["outcome", "parameter", "S1", "S1_conf", "ST", "ST_conf"])
        table.to_csv(self.folder / "sensitivity.csv", index=False, float_format="%.4g")
        shown = list(dict.fromkeys(table["outcome"]))[:MAX_PANELS]
        cols = min(3, max(1, len(shown)))
        rows = -(-max(1, len(shown)) // cols)
        fig, axes = _subplots(rows, cols, figsize=(WIDTH, (0.8 + 0.32 * len(self.names)) * rows + 0.5),
                              squeeze=False)
        for ax, outcome in zip(axes.flat, shown):
            part = table[table["outcome"] == outcome]
            ys = np.arange(len(part))
            ax.barh(ys - 0.2, part["ST"], 0.4, xerr=bounded_errors(part["ST"], part["ST_conf"]), label="total",
                    color=figures.BLUE)
            ax.barh(ys + 0.2, part["S1"], 0.4, xerr=bounded_errors(part["S1"], part["S1_conf"]), label="first order",
                    color=figures.ORANGE)
            ax.set_yticks(ys, [wrap(label(p), 26) for p in part["parameter"]], fontsize=6)
            ax.set_xlim(left=min(0.0, float(part[["ST", "S1"]].min().min())))
            ax.set_xlabel("Sobol index (share of variance, 0-1)")
            ax.set_title(wrap(label(outcome), 34))
        handles, names = axes.flat[0].get_legend_handles_labels()
        fig.legend(handles, names, loc="outside lower center", ncol=2)
        for ax in list(axes.flat)[len(shown):]:
            ax.set_visible(False)
        fig.suptitle(f"{self.name}: Sobol sensitivity indices\n({self._n_text()})")
        return self._save(fig, "sensitivity")

    # ----------------------------------------------------------------- time series
    def survival_curves(self) -> Path | None:
        """Kaplan-Meier curves of the share of regimes standing, month by month, at up to five points
        spanning survival (lowest to highest), each with its 95% Greenwood band."""
        ok = self.points.dropna(subset=["survival_probability"])
        if ok.empty:
            return None
        runs = read_runs(self.folder, columns=["run_id", "point", "status", "fall_month", "fall_cause"])
        runs = runs[runs["status"] == "ok"]
        ranked = ok.sort_values(["survival_probability", "point"], kind="stable")["point"].tolist()
        picks = list(dict.fromkeys(ranked[round(i * (len(ranked) - 1) / 4)] for i in range(5)))
        fig, (ax, causes_ax) = _subplots(2, 1, figsize=(WIDTH, 5.8 + 0.28 * len(picks) * max(1, len(self.names) // 3)),
                                         height_ratios=(1.2, 1))
        years = 2021 + (7 + np.arange(self.months)) / 12
        for letter, point in zip("ABCDE", picks):
            falls = runs.loc[runs["point"] == point, "fall_month"]
            curve = survival_curve([None if pd.isna(m) else int(m) for m in falls], self.months)
            row = self.points.set_index("point").loc[point]
            line, = ax.step(years, curve["standing"], where="post", lw=1.2,
                            label=f"{letter}: survival {row['survival_probability']:.2f}")
            ax.fill_between(years, curve["low"], curve["high"], step="post", color=line.get_color(), alpha=0.15,
                            lw=0)
        ax.set_ylim(0, 1.02)
        ax.set_ylabel("share of regimes still standing, 0-1")
        ax.set_xlabel("year (the run starts in August 2021)")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.0f}"))
        ax.grid(alpha=0.3)
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), title="point", frameon=False)
        fig.supxlabel(self._key(picks), fontsize=6.2, ha="left", x=0.01, multialignment="left")
        ax.set_title(wrap(f"{self.name}: time to the regime's fall (Kaplan-Meier, 95% band) at points from the "
                          f"lowest to the highest survival ({self._n_text()})", 100))
        self._causes(causes_ax, runs[runs["point"] == picks[0]], years)
        return self._save(fig, "survival_curves")

    def _causes(self, ax, runs: pd.DataFrame, years: np.ndarray) -> None:
        """Cause-specific survival at point A (the lowest survival): the Aalen-Johansen share of regimes fallen
        by each cause, month by month, with its 95% band (:mod:`sim.runs.competing_risks`)."""
        from sim.runs.competing_risks import cumulative_incidence

        falls = [None if pd.isna(m) else int(m) for m in runs["fall_month"]]
        curves = cumulative_incidence(falls, [None if pd.isna(c) else c for c in runs["fall_cause"]], self.months)
        shown = 0
        for i, (cause, curve) in enumerate(curves["causes"].items()):
            if curve["incidence"][-1] <= 0:
                continue
            line, = ax.step(years, curve["incidence"], where="post", lw=1.2, color=figures.colour(i),
                            linestyle=("-", "--", "-.", ":", (0, (5, 1)))[i % 5],
                            label=f"{cause}: {curve['incidence'][-1]:.2f}")
            ax.fill_between(years, curve["low"], curve["high"], step="post", color=line.get_color(), alpha=0.12,
                            lw=0)
            shown += 1
        if not shown:
            ax.text(0.5, 0.5, "no run fell at point A", transform=ax.transAxes, ha="center", va="center",
                    color=figures.GREY)
        ax.set_ylim(0, 1.02)
        ax.set_ylabel("share fallen by each cause, 0-1")
        ax.set_xlabel("year (the run starts in August 2021)")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.0f}"))
        ax.grid(alpha=0.3)
        if shown:
            ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), title="fall cause (by the end)", frameon=False)
        ax.set_title(wrap(f"why the regime falls at point A (the lowest survival): cumulative incidence of each cause "
                          f"(Aalen-Johansen, the other causes competing; 95% band; {len(falls)} runs)", 100))

    def fan_charts(self) -> Path | None:
        """Quantile bands over time at the points with the lowest, middle and highest survival
        (or, when every point has the same survival, the lowest, middle and highest first outcome)."""
        ok = self.points.dropna(subset=["survival_probability"])
        if ok.empty:
            return None
        rank_by, ranked_what = "survival_probability", "worst, middle and best points for survival"
        if ok["survival_probability"].nunique() == 1 and self.outcomes:
            rank_by = f"{self.outcomes[0]}_median"
            ranked_what = (f"points with the lowest, middle and highest {label(self.outcomes[0])} (survival "
                           f"probability ties at {ok['survival_probability'].iloc[0]:.2f} at every point)")
        ranked = ok.sort_values([rank_by, "point"], kind="stable")
        picks = list(dict.fromkeys(ranked["point"].iloc[[0, len(ranked) // 2, -1]]))
        shown = self.outcomes[:4]
        series = read_timeseries(self.folder, points=picks,
                                 columns=["point", "run_id", "month", "regime_survives", *shown])
        ends = series.groupby(["point", "run_id"])["regime_survives"].min()
        falls, runs = (ends == 0).groupby(level="point").sum(), ends.groupby(level="point").size()
        fig, axes = _subplots(len(shown), len(picks), figsize=(WIDTH, 1.7 * len(shown) + 1.3),
                              squeeze=False, sharey="row", sharex=True)
        for j, point in enumerate(picks):
            row = self.points.set_index("point").loc[point]
            axes[0, j].set_title(f"{'ABC'[j]}: survival probability {row['survival_probability']:.2f}\n"
                                 f"(x: {falls.get(point, 0)} of {runs.get(point, 0)} runs fell)", fontsize=6.5)
            for i, outcome in enumerate(shown):
                _fan(axes[i, j], series[series["point"] == point], outcome)
                axes[i, j].set_xlim(2021 + 7 / 12, 2021 + (7 + self.months) / 12)
                if j == 0:
                    axes[i, j].set_ylabel(wrap(f"{label(outcome)} ({unit(outcome)})", 28), fontsize=6.5)
                if i == len(shown) - 1:
                    axes[i, j].set_xlabel("year")
        for row in axes:  # the rows share their y axis: from zero once every panel is drawn
            for ax in row:
                ax.relim()
            row[0].autoscale_view()
            from_zero(row[0])
        few = self.replicates < FEW
        what = ("each run (fewer than 10 replicates), median thick" if few
                else "median; 50% and 80% of the runs still standing each month")
        fig.suptitle(wrap(f"{self.name}: fan charts ({what}) at the {ranked_what}; each run drawn while the "
                          "regime stands, x: a run's fall", 120) + f"\n({self._n_text()})")
        fig.supxlabel(self._key(picks), fontsize=6.2, ha="left", x=0.01, multialignment="left")
        return self._save(fig, "fan_charts")


def _subplots(rows: int = 1, cols: int = 1, *, figsize, **kw):
    """A figure with a grid of axes (constrained layout), without pyplot's global state."""
    fig = Figure(figsize=figsize, layout="constrained")
    return fig, fig.subplots(rows, cols, **kw)


def _number(value: float) -> str:
    """A cell label: 5,410 rather than 5.41e+03; 0.705 for shares."""
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"


def _fan(ax, table: pd.DataFrame, column: str) -> None:
    """Quantile bands over the runs still standing each month (each run's line when there are few),
    a cross where a run's regime fell; the axis from zero."""
    standing = table[table["regime_survives"] > 0]
    years = lambda months: 2021 + (7 + np.asarray(months)) / 12  # noqa: E731
    runs = table["run_id"].nunique()
    if runs < FEW:
        for _, run in standing.groupby("run_id"):
            ax.plot(years(run["month"]), run[column], color=figures.BLUE, lw=0.6, alpha=0.6)
    else:
        grouped = standing.groupby("month")[column]
        enough = grouped.size() >= 2
        months = grouped.median().index[enough]
        for low, high, alpha in ((0.1, 0.9, 0.2), (0.25, 0.75, 0.35)):
            ax.fill_between(years(months), grouped.quantile(low)[enough], grouped.quantile(high)[enough],
                            color=figures.BLUE, alpha=alpha, lw=0)
    median = standing.groupby("month")[column].median()
    ax.plot(years(median.index), median, color=figures.BLUE, lw=1.3)
    falls = table[table["regime_survives"] == 0].groupby("run_id").first()
    if len(falls):
        last = standing.sort_values("month").groupby("run_id").last()
        at = last.reindex(falls.index)
        ax.plot(years(falls["month"]), at[column].fillna(falls[column]), "x", color=figures.VERMILLION, ms=4, mew=1,
                label=f"fall ({len(falls)} of {runs} runs)")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.0f}"))
    ax.grid(alpha=0.3)


def from_zero(ax) -> None:
    """The y axis from zero (outcomes are non-negative stocks, counts and shares), numbers readable."""
    ax.set_ylim(bottom=0)
    _readable_numbers(ax)


def bounded_errors(values, half_widths, low: float = 0.0) -> np.ndarray:
    """Error bars (below, above) that stop at ``low`` (an index or a count cannot go below zero)."""
    values, half = np.asarray(values, dtype=float), np.asarray(half_widths, dtype=float)
    below = np.clip(np.minimum(half, values - low), 0, None)
    return np.vstack([below, half])


def _readable_numbers(ax) -> None:
    """Large values on the y axis in millions (24.4M) or with separators (5,410), never as a bare 1e7 offset."""
    top = max(abs(v) for v in ax.get_ylim())
    if top >= 1e6:
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v / 1e6:.4g}M"))
    elif top >= 1e4:
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))


def wrap(text: str, width: int = 34) -> str:
    """Text broken into lines of at most ``width`` characters (labels that fit their figure)."""
    return "\n".join(textwrap.wrap(text, width))


_wrap = wrap


def _wilson(p: np.ndarray, n: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The 95% Wilson score interval of each proportion p out of n (SciPy)."""
    from scipy.stats import binomtest

    bounds = [binomtest(round(pi * ni), ni).proportion_ci(0.95, method="wilson") if ni else (np.nan, np.nan)
              for pi, ni in zip(p, n.astype(int))]
    return np.array([b[0] for b in bounds]), np.array([b[1] for b in bounds])
