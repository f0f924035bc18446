"""Where fighters are: IS-K cells seek weak control; the regime redeploys toward threats."""

from __future__ import annotations

import numpy as np

from sim.model.fighters import OPPOSITION, Group


def disperse_cells(m) -> None:
    """IS-K fighters drift to neighbouring provinces in small cells (M19, EER:7, EER:20).

    Each month a share ``isk.cell_dispersal`` of IS-K fighters picks a province adjacent to
    its own, uniformly on the province graph, and moves there with probability one minus
    the Taliban's control of it: cells settle where control is weak.
    """
    f, rng = m.fighters, m.rng_moves
    isk = np.flatnonzero(f.group == Group.ISK)
    movers = isk[rng.random(isk.size) < m.p.isk.cell_dispersal]
    if movers.size == 0:
        return
    origin = f.province[movers].astype(np.intp)
    offsets, neighbours = m.adjacency
    degree = offsets[origin + 1] - offsets[origin]
    destination = neighbours[offsets[origin] + (rng.random(movers.size) * degree).astype(np.intp)]
    settles = rng.random(movers.size) >= m.control[destination]
    f.province[movers[settles]] = destination[settles]


def redeploy_taliban(m) -> None:
    """The regime moves a share of its fighters toward IS-K and the armed opposition (ALI:128).

    Destinations are drawn in proportion to the province's IS-K, resistance and renegade
    fighters plus its population share (garrisons everywhere).
    """
    f, rng = m.fighters, m.rng_moves
    taliban = np.flatnonzero(f.group < Group.ISK)
    movers = taliban[rng.random(taliban.size) < m.p.taliban.redeployment_rate]
    if movers.size == 0:
        return
    threat = m.table[Group.ISK] + m.table[OPPOSITION].sum(axis=0)
    weights = threat / max(threat.sum(), 1e-9) + m.geo.population_share
    f.province[movers] = m.place(weights, movers.size, rng)
