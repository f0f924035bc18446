"""Calibration targets for the baseline, declared as data and checked on model output.

Each target is a pattern from the source documents (pattern-oriented modelling, Grimm et
al. 2005) evaluated on the median across replicates. ``regime-sim run`` reports them in
``summary.json``; the calibration test asserts the primary ones on the baseline.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import pandas as pd


def _median_by_month(table: pd.DataFrame, column: str) -> pd.Series:
    return table.groupby("date")[column].median()


def _in_year(table: pd.DataFrame, year: int, column: str) -> pd.Series:
    rows = table[table["date"].str.startswith(str(year))]
    return rows.groupby("replicate")[column].sum()


def _isk_oct_2021(t):
    return _median_by_month(t, "isk_fighters").get("2021-10")


def _isk_max_to_early_2023(t):
    m = _median_by_month(t, "isk_fighters")
    return m[m.index <= "2023-03"].max()


def _isk_min_to_early_2023(t):
    m = _median_by_month(t, "isk_fighters")
    return m[m.index <= "2023-03"].min()


def _isk_max(t):
    return _median_by_month(t, "isk_fighters").max()


def _attacks_2022(t):
    return _in_year(t, 2022, "isk_attacks").median() if (t["date"] >= "2022-12").any() else None


def _held_provinces(t):
    return _median_by_month(t, "isk_held_provinces").max()


def _survival_3_years(t):
    last = t[t["month"] == 35]
    return last["regime_survives"].mean() if len(last) else None


def _need(year):
    def value(t):
        rows = t[t["date"].str.startswith(str(year))]
        return rows.groupby("replicate")["people_in_need"].mean().median() / 1e6 if len(rows) else None
    return value


def _ttp_first_year(t):
    rows = t[t["month"] < 12]
    return rows.groupby("replicate")["ttp_attacks_pakistan"].sum().median() if (t["month"] == 11).any() else None


@dataclass(frozen=True)
class Target:
    """One calibration target: a statistic of the output and its accepted range."""

    name: str
    description: str
    statistic: Callable[[pd.DataFrame], float | None]
    low: float
    high: float
    claims: tuple[str, ...]
    primary: bool = True

    def evaluate(self, table: pd.DataFrame) -> dict:
        value = self.statistic(table)
        result = {"target": self.name, "description": self.description, "low": self.low, "high": self.high,
                  "claims": list(self.claims), "primary": self.primary}
        if value is None or pd.isna(value):
            return result | {"value": None, "met": None}
        return result | {"value": float(value), "met": bool(self.low <= value <= self.high)}


TARGETS = (
    Target("isk_fighters_oct_2021", "IS-K fighters in October 2021 (median): 'well over 2,000'",
           _isk_oct_2021, 1800, 2800, ("ATI:27",)),
    Target("isk_fighters_min_to_2023_03", "IS-K fighters, lowest monthly median to March 2023",
           _isk_min_to_early_2023, 1500, 6000, ("EER:6", "ALI:162")),
    Target("isk_fighters_max_to_2023_03", "IS-K fighters, highest monthly median to March 2023",
           _isk_max_to_early_2023, 1500, 6000, ("EER:6", "ALI:162")),
    Target("isk_fighters_max", "IS-K fighters, highest monthly median over the run (under 10,000)",
           _isk_max, 0, 10000, ("EER:30",)),
    Target("isk_attacks_2022", "IS-K attacks in Afghanistan in calendar 2022 (median): 141-170 (seeds), 199 (ACLED)",
           _attacks_2022, 140, 200, ("ALI:79", "ALI:132")),
    Target("isk_held_provinces", "Provinces durably held by IS-K, highest monthly median",
           _held_provinces, 0, 0, ("TRT:29",)),
    Target("survival_3_years", "Share of replicates in which the regime survives the first three years",
           _survival_3_years, 0.8, 1.0, ("ALI:263",)),
    Target("people_in_need_2022", "People in humanitarian need in 2022, millions (median of yearly means)",
           _need(2022), 21.0, 28.0, ("ALI:51",), primary=False),
    Target("people_in_need_2023", "People in humanitarian need in 2023, millions (median of yearly means)",
           _need(2023), 24.5, 32.0, ("ALI:51", "ALI:63"), primary=False),
    Target("ttp_attacks_first_year", "TTP attacks in Pakistan, Aug 2021 - Jul 2022 (median): 250",
           _ttp_first_year, 200, 300, ("ALI:211b",), primary=False),
)


def evaluate(table: pd.DataFrame) -> list[dict]:
    """Every target's value on a stacked monthly table, and whether it is met."""
    return [target.evaluate(table) for target in TARGETS]
