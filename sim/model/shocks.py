"""Chance: documented shocks as inputs, and random ones in the years the record does not cover.

Droughts deepen poverty and cut the harvest; earthquakes put hundreds of thousands in need; IS-K
kills a senior leader, and his faction's loyalty suffers as when it loses commanders (ALI:130).
The documented shocks (``data/shocks.csv``: the 2021-2023 drought, the Paktika, Herat and Kunar
earthquakes, the killing of Khalil Haqqani in December 2024) happen on their dates when
``shocks.documented`` is on. From ``shocks.forecast_from`` on, the same kinds of shock happen at
random, at documented frequencies, so that replicates differ where history could have gone
otherwise; before it, the record is the only source of shocks.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache

import numpy as np

from sim.model.calendar import month_index
from sim.model.geography import DATA

KINDS = ("drought", "earthquake", "leader_killed")


@dataclass(frozen=True)
class Shock:
    month: int
    kind: str
    target: str
    size: float
    description: str
    source: str


@cache
def documented() -> tuple[Shock, ...]:
    """The documented shocks, in date order."""
    with (DATA / "shocks.csv").open(newline="", encoding="utf-8") as fh:
        rows = [Shock(month_index(r["date"]), r["kind"], r["target"], float(r["size"]), r["description"],
                      r["source"]) for r in csv.DictReader(fh)]
    unknown = {r.kind for r in rows} - set(KINDS)
    if unknown:  # pragma: no cover - a data error
        raise ValueError(f"shocks.csv: unknown kind(s) {sorted(unknown)}; allowed {KINDS}")
    return tuple(sorted(rows, key=lambda r: r.month))


def this_month(m) -> list[Shock]:
    """The shocks of this month: documented ones, and (from ``shocks.forecast_from``) random draws."""
    s, rng = m.p.shocks, m.rng_nature
    found = [r for r in documented() if r.month == m.month] if s.documented == "on" else []
    if m.month < month_index(f"{int(s.forecast_from)}-01"):
        return found
    if rng.random() < s.drought_per_year / 12.0:
        found.append(Shock(m.month, "drought", "", s.drought_months, "a random drought", "chance"))
    if rng.random() < s.earthquakes_per_year / 12.0:
        province = m.geo.names[int(rng.integers(m.geo.size))]
        found.append(Shock(m.month, "earthquake", province, s.earthquake_affected * rng.lognormal(0.0, 0.5),
                           "a random earthquake", "chance"))
    weights = np.array([max(f.strength, 0.0) for f in m.factions])
    if rng.random() < s.assassinations_per_year / 12.0 * m.isk.operational_capacity() and weights.sum() > 0:
        faction = m.factions[int(rng.choice(weights.size, p=weights / weights.sum()))]
        found.append(Shock(m.month, "leader_killed", faction.key, 1.0, "a random assassination", "chance"))
    return found


def apply(m) -> None:
    """Start this month's shocks: a drought runs for its months, the affected join those in need,
    a killed leader weighs on his faction as ``shocks.leader_weight`` commanders killed."""
    m.drought_months_left = max(0, m.drought_months_left - 1)
    for shock in this_month(m):
        if shock.kind == "drought":
            m.drought_months_left = max(m.drought_months_left, int(shock.size))
        elif shock.kind == "earthquake":
            m.disaster_affected += shock.size
        else:
            faction = next(f for f in m.factions if f.key == shock.target)
            faction.commanders_lost += m.p.shocks.leader_weight * shock.size
        m.month_flows["shocks"] += 1.0
    m.disaster_affected -= m.disaster_affected / m.p.shocks.recovery_months


def drought(m) -> float:
    """1 while a drought lasts, else 0."""
    return 1.0 if m.drought_months_left > 0 else 0.0
