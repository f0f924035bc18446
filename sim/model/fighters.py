"""Individual fighters, held as columns of arrays (one entry per fighter).

About 100,000 fighters are represented one by one, but stored and updated as NumPy arrays
rather than one Python object each: group, province, ideological hardness, economic need,
ethnicity and motive. Fighters who desert or are killed leave the arrays and are counted in
per-group ledgers, so that every fighter who ever entered is accounted for:
``active = entered + defected_in - defected_out - deserted - killed`` for every group.
"""

from __future__ import annotations

from enum import IntEnum

import numpy as np


class Group(IntEnum):
    """The armed group a fighter belongs to (the four Taliban factions first)."""

    KANDAHAR = 0
    KABUL = 1
    HAQQANI = 2
    NORTHERN = 3
    ISK = 4
    TTP = 5
    AL_QAEDA = 6
    CENTRAL_ASIAN = 7
    RESISTANCE = 8
    RENEGADE = 9


N_GROUPS = len(Group)
TALIBAN = np.array([Group.KANDAHAR, Group.KABUL, Group.HAQQANI, Group.NORTHERN])
ALLIES = np.array([Group.TTP, Group.AL_QAEDA, Group.CENTRAL_ASIAN])
OPPOSITION = np.array([Group.RESISTANCE, Group.RENEGADE])  # armed rivals fighting for territory


class Motive(IntEnum):
    """Why a fighter joined: Weinstein's (2007) 'investors' and 'consumers'."""

    IDEOLOGICAL = 0
    ECONOMIC = 1


LEDGERS = ("entered", "defected_in", "defected_out", "deserted", "killed")


class Fighters:
    """All active fighters as arrays, with ledgers of who entered and left each group."""

    COLUMNS = {
        "group": np.int8,
        "province": np.int8,
        "hardness": np.float32,
        "need": np.float32,
        "ethnicity": np.int8,
        "motive": np.int8,
    }

    def __init__(self, capacity: int = 1024):
        self.n = 0
        self._data = {name: np.zeros(max(capacity, 16), dtype=t) for name, t in self.COLUMNS.items()}
        self.ledger = {name: np.zeros(N_GROUPS, dtype=np.int64) for name in LEDGERS}

    def __len__(self) -> int:
        return self.n

    def __getattr__(self, name: str) -> np.ndarray:
        data = self.__dict__.get("_data")
        if data is not None and name in data:
            return data[name][: self.n]
        raise AttributeError(name)

    def add(self, group, province, hardness, need, ethnicity, motive) -> None:
        """Append fighters; each argument is an array of the same length, or a scalar."""
        m = len(np.atleast_1d(province))
        if m == 0:
            return
        self._reserve(self.n + m)
        end = self.n + m
        for name, values in zip(self.COLUMNS, (group, province, hardness, need, ethnicity, motive)):
            self._data[name][self.n : end] = values
        self.ledger["entered"] += np.bincount(np.broadcast_to(group, (m,)), minlength=N_GROUPS)
        self.n = end

    def _reserve(self, size: int) -> None:
        capacity = len(self._data["group"])
        if size <= capacity:
            return
        capacity = max(size, 2 * capacity)
        for name, column in self._data.items():
            grown = np.zeros(capacity, dtype=column.dtype)
            grown[: self.n] = column[: self.n]
            self._data[name] = grown

    def remove(self, leaving: np.ndarray) -> None:
        """Drop the fighters at the sorted positions ``leaving``, keeping the others' order.
        Only the fighters after the first one leaving move up.
        """
        if leaving.size == 0:
            return
        first = int(leaving[0])
        keep = np.ones(self.n - first, dtype=bool)
        keep[leaving - first] = False
        kept = self.n - leaving.size
        for column in self._data.values():
            column[first:kept] = column[first : self.n][keep]
        self.n = kept

    def counts(self) -> np.ndarray:
        """Active fighters per group."""
        return np.bincount(self.group, minlength=N_GROUPS)

    def counts_by_province(self, n_provinces: int) -> np.ndarray:
        """Active fighters as a (group, province) table."""
        flat = self.group * np.int16(n_provinces) + self.province  # int16 is wide enough and quicker
        return np.bincount(flat, minlength=N_GROUPS * n_provinces).reshape(N_GROUPS, n_provinces)

    def balance(self) -> np.ndarray:
        """Per group: ledger total minus active count; all zeros when the books add up."""
        led = self.ledger
        expected = led["entered"] + led["defected_in"] - led["defected_out"] - led["deserted"] - led["killed"]
        return expected - self.counts()


def beta_draws(rng: np.random.Generator, mean: np.ndarray | float, size: int, concentration: float):
    """Draws in (0, 1) with the given mean (Beta distribution, concentration a+b)."""
    mean = np.clip(mean, 0.01, 0.99)
    return rng.beta(mean * concentration, (1 - mean) * concentration, size=size)
