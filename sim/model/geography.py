"""Afghanistan's 34 provinces as a graph, held as data in ``sim/model/data``.

Population shares (NSIA estimates), regions, majority ethnicity, which neighbouring state
each province borders, and the province adjacency graph. See ``sim/model/data/README.md`` for
sources and the values that are approximate.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import networkx as nx
import numpy as np

DATA = Path(__file__).resolve().parent / "data"
NEIGHBOUR_STATES = ("Pakistan", "Iran", "China", "Russia", "Uzbekistan", "Tajikistan")
ETHNICITIES = ("pashtun", "tajik", "uzbek", "hazara", "turkmen", "other", "foreign")


@dataclass(frozen=True)
class Geography:
    """Province attributes as arrays indexed by province number (alphabetical order)."""

    names: tuple[str, ...]
    regions: tuple[str, ...]
    population_share: np.ndarray  # sums to 1
    ethnicity: np.ndarray  # index into ETHNICITIES
    borders: np.ndarray  # (provinces, states) bool, states as NEIGHBOUR_STATES (Russia: none)
    graph: nx.Graph

    @property
    def size(self) -> int:
        return len(self.names)

    def index(self, *names: str) -> np.ndarray:
        """Province numbers of the named provinces."""
        lookup = {n: i for i, n in enumerate(self.names)}
        return np.array([lookup[n] for n in names], dtype=np.intp)

    def in_regions(self, *regions: str) -> np.ndarray:
        return np.array([r in regions for r in self.regions])

    @property
    def neighbour_table(self) -> tuple[np.ndarray, np.ndarray]:
        """CSR arrays ``(offsets, neighbours)`` of the adjacency graph, for vectorised moves."""
        return _csr(self.graph, self.size)


def _csr(graph: nx.Graph, size: int) -> tuple[np.ndarray, np.ndarray]:
    lists = [sorted(graph.neighbors(i)) for i in range(size)]
    offsets = np.zeros(size + 1, dtype=np.intp)
    offsets[1:] = np.cumsum([len(x) for x in lists])
    return offsets, np.concatenate([np.array(x, dtype=np.intp) for x in lists])


@cache
def load(folder: Path = DATA) -> Geography:
    """Read ``provinces.csv`` and ``province_adjacency.csv``."""
    with (folder / "provinces.csv").open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    names = tuple(r["name"] for r in rows)
    population = np.array([float(r["population"]) for r in rows])
    borders = np.array(
        [[state in r["borders"].split(";") for state in NEIGHBOUR_STATES] for r in rows], dtype=bool
    )
    graph = nx.Graph()
    graph.add_nodes_from(range(len(names)))
    lookup = {n: i for i, n in enumerate(names)}
    with (folder / "province_adjacency.csv").open(newline="", encoding="utf-8") as fh:
        for edge in csv.DictReader(fh):
            graph.add_edge(lookup[edge["a"]], lookup[edge["b"]])
    return Geography(
        names=names,
        regions=tuple(r["region"] for r in rows),
        population_share=population / population.sum(),
        ethnicity=np.array([ETHNICITIES.index(r["majority_ethnicity"]) for r in rows], dtype=np.int8),
        borders=borders,
        graph=graph,
    )


def coordinates(folder: Path = DATA) -> np.ndarray:
    """Approximate (longitude, latitude) of each province's centre, for drawing maps only."""
    with (folder / "province_centroids.csv").open(newline="", encoding="utf-8") as fh:
        rows = {r["name"]: (float(r["longitude"]), float(r["latitude"])) for r in csv.DictReader(fh)}
    return np.array([rows[name] for name in load(folder).names])
