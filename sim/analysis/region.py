"""The uncertain part of the model: the parameters whose defaults are assumptions or calibrations.

Sensitivity analysis and the claims' robustness vary these, and only these: a value taken
from a seed claim or a cited source is evidence, an assumption or a calibration is a choice
the results may hinge on. A parameter is left out when it is a choice between words, a
policy lever, or constrained jointly with others (the faction shares must sum to one), so
that any point of the region is a valid set of parameters.
"""

from __future__ import annotations

from sim.model.params import SPECS, ParameterError, Parameters

UNCERTAIN_KINDS = ("assumption", "calibrated")


def uncertain(base: Parameters, spread: float | None = None, exclude=()) -> dict[str, tuple[float, float]]:
    """Each uncertain parameter's range: its allowed range, or with ``spread`` the scenario's value
    plus or minus that fraction of it (a zero value: plus or minus ``spread`` times half the
    allowed width), kept inside the allowed range."""
    region = {}
    for spec in SPECS:
        if (spec.provenance.kind not in UNCERTAIN_KINDS or spec.choices or spec.lever or spec.name in exclude
                or not isinstance(base[spec.name], (int, float))):
            continue
        try:
            base.replace({spec.name: spec.kind(spec.low)}).replace({spec.name: spec.kind(spec.high)})
        except ParameterError:
            continue  # jointly constrained
        if spread is None:
            low, high = float(spec.low), float(spec.high)
        else:
            centre = float(base[spec.name])
            half = spread * (abs(centre) if centre else (spec.high - spec.low) / 2)
            low, high = max(spec.low, centre - half), min(spec.high, centre + half)
        if low < high:
            region[spec.name] = (low, high)
    return region
