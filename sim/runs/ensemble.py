"""A history-matched ensemble: the accepted parameter sets a scenario's replicates draw from.

History matching (``regime-sim calibrate``) keeps every point at which the model can
reproduce the fit targets; none of them is *the* calibration. A scenario that names an
ensemble (``ensemble = "ensemble/baseline.csv"``, a path relative to the scenario file)
runs each replicate with the values of one accepted point (the file is found beside the
scenario, else among the shipped scenarios), drawn from its seed: replicate
*r* gets the same point whatever the number of workers, in every scenario and at every
point of a sweep run with the same root seed (common random numbers extend to the draw).
The spread across replicates then carries the uncertainty of the calibrated parameters as
well as chance.

What takes precedence over the drawn values: ``--set``, a sweep's or an analysis's varied
values, and values the scenario sets itself or inherits (e.g. a stress scenario that
extends the baseline and fixes IS-K's attack rate). ``ensemble = ""`` turns it off in an
extending scenario; ``--point best`` runs the single best point instead.

A member x seed design (:meth:`Ensemble.crossed`, ``--members N``) runs ``N`` distinct members
instead, drawn without replacement from the root seed, each with several replicate seeds:
replicate *r* runs member ``chosen[r % N]``, so the spread of an outcome or an effect splits
into a parametric part (between members) and a chance part (between the seeds of one member).

The file is a CSV written by ``regime-sim calibrate --ensemble PATH``: one row per accepted
point (``member``, ``wave``, ``point``, ``max_implausibility``, ``best``, then one column per
calibrated parameter), with its provenance in PATH with the suffix ``.json`` (the command,
version, scenario, targets and their sha256, settings, waves, time).
"""

from __future__ import annotations

import csv
import hashlib
import json
import math
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Mapping

import numpy as np

from sim.model.params import SPEC_BY_NAME, ParameterError, Parameters, closest_name

DRAW_KEY = 0x454E53  # appended to a replicate's spawn key: the stream that draws its ensemble member
META = ("member", "wave", "point", "max_implausibility", "best")


class EnsembleError(Exception):
    """A bad ensemble file: ``key`` names the column or row, the message says what is allowed."""

    def __init__(self, key: str | None, message: str):
        super().__init__(message)
        self.key = key
        self.message = message


@dataclass(frozen=True)
class Ensemble:
    """The accepted parameter sets of a calibration, as loaded from its CSV file."""

    path: Path
    names: tuple[str, ...]
    members: tuple[dict[str, Any], ...]
    best: int
    sha256: str
    fixed: frozenset[str] = field(default_factory=frozenset)
    chosen: tuple[int, ...] | None = None  # a member x seed design: replicate r runs chosen[r % len(chosen)]

    def __len__(self) -> int:
        return len(self.members)

    def member(self, seed) -> int:
        """The member a replicate seed draws (uniformly, from its own stream of the seed), or in a
        member x seed design the member its replicate number is given."""
        if self.chosen:
            return self.chosen[seed.replicate % len(self.chosen)]
        sequence = np.random.SeedSequence(seed.entropy, spawn_key=(*seed.spawn_key, DRAW_KEY))
        return int(np.random.default_rng(sequence).integers(len(self.members)))

    def values(self, member: int, exclude=()) -> dict[str, Any]:
        """A member's values, without the fixed names and ``exclude`` (values set otherwise)."""
        return {n: v for n, v in self.members[member].items() if n not in self.fixed and n not in exclude}

    def apply(self, params: Parameters, seed) -> tuple[Parameters, int]:
        """The parameters a replicate runs with, and its member."""
        member = self.member(seed)
        return params.replace(self.values(member)), member

    def best_values(self) -> dict[str, Any]:
        return self.values(self.best)

    def fixing(self, names) -> "Ensemble":
        """The ensemble with ``names`` no longer drawn (set by a scenario that extends it, or by --set)."""
        return replace(self, fixed=self.fixed | (frozenset(names) & frozenset(self.names)))

    def crossed(self, members: int, root_seed: int) -> "Ensemble":
        """A member x seed design: ``members`` distinct members (all of them if there are fewer), drawn
        without replacement from their own stream of the root seed; replicate r runs member
        ``chosen[r % members]``, so replicates r, r + members, ... are seeds of the same member."""
        if members < 1:
            raise ValueError("a member x seed design needs at least one member")
        rng = np.random.default_rng(np.random.SeedSequence(int(root_seed), spawn_key=(DRAW_KEY, 1)))
        chosen = rng.permutation(len(self.members))[:members]
        return replace(self, chosen=tuple(int(m) for m in chosen))

    @property
    def design(self) -> str:
        if not self.chosen:
            return "each replicate draws its member from its seed (with replacement)"
        return (f"member x seed: {len(self.chosen)} distinct members, replicate r runs member number "
                f"r mod {len(self.chosen)} of the chosen list")

    def as_jsonable(self) -> dict[str, Any]:
        from sim.runs.outputs import relative

        return {"path": relative(self.path), "sha256": self.sha256, "members": len(self.members),
                "parameters": [n for n in self.names if n not in self.fixed], "fixed": sorted(self.fixed),
                "best_member": self.best, "design": self.design,
                **({"chosen_members": list(self.chosen)} if self.chosen else {})}


def load(path: str | Path) -> Ensemble:
    """Read and check an ensemble file (EnsembleError naming the column or row)."""
    path = Path(path)
    if not path.is_file():
        raise EnsembleError(None, "no such ensemble file; write one with 'regime-sim calibrate "
                                  "calibrate_baseline --ensemble PATH'")
    data = path.read_bytes()
    try:
        rows = list(csv.DictReader(data.decode("utf-8").splitlines()))
    except (UnicodeDecodeError, csv.Error) as err:
        raise EnsembleError(None, f"is not a CSV text file ({err})") from None
    if not rows:
        raise EnsembleError(None, "holds no accepted point")
    columns = list(rows[0])
    names = tuple(c for c in columns if c not in META)
    if not names:
        raise EnsembleError(None, "has no parameter column")
    for name in names:
        if name not in SPEC_BY_NAME:
            hint = closest_name(name)
            raise EnsembleError(name, "is not a parameter of the model" + (f" (did you mean {hint}?)" if hint else "")
                                + "; recalibrate to write the ensemble again")
        if SPEC_BY_NAME[name].choices:
            raise EnsembleError(name, "is a choice, not a number; an ensemble holds numbers")
    members, best = [], 0
    for i, row in enumerate(rows, start=2):
        values = {}
        for name in names:
            try:
                value = float(row[name])
            except (TypeError, ValueError):
                raise EnsembleError(f"line {i}: {name}", f"{row[name]!r} is not a number") from None
            if not math.isfinite(value):
                raise EnsembleError(f"line {i}: {name}", f"{row[name]!r} is not a finite number")
            spec = SPEC_BY_NAME[name]
            value = int(round(value)) if spec.kind is int else value
            try:
                spec.check(value)
            except ParameterError as err:
                raise EnsembleError(f"line {i}: {name}", f"{err.message}; recalibrate, or widen the range") from None
            values[name] = value
        if str(row.get("best", "")).strip().lower() in ("1", "true"):
            best = len(members)
        members.append(values)
    return Ensemble(path, names, tuple(members), best, hashlib.sha256(data).hexdigest())


def check_writable(path: str | Path) -> None:
    """Fail before a long calibration if the ensemble cannot be written there."""
    path = Path(path)
    if path.suffix != ".csv":
        raise EnsembleError(None, "an ensemble file ends in .csv")
    if not path.parent.is_dir():
        raise EnsembleError(None, f"its folder {path.parent} does not exist")


def write(path: str | Path, names, accepted_csv: Path, provenance: Mapping[str, Any],
          below: float | None = None) -> Path:
    """Write the accepted points of a calibration (its accepted.csv) as an ensemble file, with
    the provenance beside it (PATH with the suffix .json); with ``below``, only the points whose
    largest implausibility is below it."""
    import pandas as pd

    path = Path(path)
    accepted = pd.read_csv(accepted_csv)
    if below is not None:
        accepted = accepted[accepted["max_implausibility"] < below].reset_index(drop=True)
    if accepted.empty:
        raise EnsembleError("max_implausibility", f"no accepted point has a largest implausibility below {below:g}: no ensemble written")
    best = provenance.get("best", {})
    table = pd.DataFrame({"member": range(len(accepted)), "wave": accepted["wave"], "point": accepted["point"],
                          "max_implausibility": accepted["max_implausibility"].round(6),
                          "best": ((accepted["wave"] == best.get("wave")) & (accepted["point"] == best.get("point")))
                          .astype(int)})
    for name in names:
        table[name] = accepted[name]
    tmp = path.with_suffix(".csv.tmp")
    table.to_csv(tmp, index=False, float_format="%.10g")
    tmp.replace(path)
    record = dict(provenance) | {"file": path.name, "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
                                 "members": len(table), "parameters": list(names)}
    side = path.with_suffix(".json")
    side.write_text(json.dumps(record, indent=2, default=str) + "\n", encoding="utf-8")
    return path
