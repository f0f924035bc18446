"""Replicate seeds: one per replicate, spawned from a root seed with NumPy's SeedSequence.

Replicate *i* gets the same seed in every scenario and at every point of a sweep run with
the same root seed (common random numbers).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class ReplicateSeed:
    """The seed of one replicate: spawned from the root with NumPy's SeedSequence."""

    replicate: int
    entropy: int
    spawn_key: tuple[int, ...]

    def sequence(self) -> np.random.SeedSequence:
        return np.random.SeedSequence(self.entropy, spawn_key=self.spawn_key)

    def as_jsonable(self) -> dict:
        return {"replicate": self.replicate, "entropy": self.entropy, "spawn_key": list(self.spawn_key)}


def replicate_seeds(root_seed: int, replicates: int) -> list[ReplicateSeed]:
    """One seed per replicate, the same for every scenario run with this root seed."""
    children = np.random.SeedSequence(root_seed).spawn(replicates)
    return [ReplicateSeed(i, int(c.entropy), tuple(int(k) for k in c.spawn_key)) for i, c in enumerate(children)]
