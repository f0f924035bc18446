"""Where fighters are: IS-K cells disperse; the regime redeploys toward threats."""

from __future__ import annotations

import numpy as np

from ..fighters import Group


def disperse_cells(m) -> None:
    """IS-K fighters drift to neighbouring provinces in small cells (M19, EER:7, EER:20).

    Each month a share ``isk.cell_dispersal`` of IS-K fighters moves to a province
    adjacent to its own, chosen uniformly on the province graph.
    """
    f, rng = m.fighters, m.rng_moves
    isk = np.flatnonzero(f.group == Group.ISK)
    movers = isk[rng.random(isk.size) < m.p.isk.cell_dispersal]
    if movers.size == 0:
        return
    origin = f.province[movers].astype(np.intp)
    offsets, neighbours = m.adjacency
    degree = offsets[origin + 1] - offsets[origin]
    pick = offsets[origin] + (rng.random(movers.size) * degree).astype(np.intp)
    f.province[movers] = neighbours[pick]


def redeploy_taliban(m) -> None:
    """The regime moves a share of its fighters toward IS-K and the resistance (ALI:128).

    Destinations are drawn in proportion to the province's IS-K and resistance fighters
    plus its population share (garrisons everywhere).
    """
    f, rng = m.fighters, m.rng_moves
    taliban = np.flatnonzero(f.group < Group.ISK)
    movers = taliban[rng.random(taliban.size) < m.p.taliban.redeployment_rate]
    if movers.size == 0:
        return
    threat = m.table[Group.ISK] + m.table[Group.RESISTANCE]
    weights = threat / max(threat.sum(), 1e-9) + m.geo.population_share
    f.province[movers] = m.place(weights, movers.size, rng)
