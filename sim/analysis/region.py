"""The uncertain part of the model: the parameters whose defaults are assumptions or calibrations,
and the regions of them the analyses explore (``--range``): ``accepted`` (the default: the
history-consistent region, the box spanned by the calibrated ensemble's accepted points, the
other parameters at the scenario's values), ``allowed`` (every uncertain parameter over its
whole allowed range) and ``pm50`` (each at the scenario's value +-50%).

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


RANGES = ("accepted", "allowed", "pm50")


def accepted(ensemble) -> dict[str, tuple[float, float]]:
    """The history-consistent region: each calibrated parameter over the span of its accepted
    values (those the scenario fixes itself left out)."""
    region = {}
    for name in ensemble.names:
        if name in ensemble.fixed:
            continue
        values = [m[name] for m in ensemble.members]
        low, high = float(min(values)), float(max(values))
        if low < high:
            region[name] = (low, high)
    return region


def named(kind: str, scenario, base: Parameters, exclude=()) -> dict[str, tuple[float, float]]:
    """The region ``--range kind`` names for a scenario (ScenarioError if it has no ensemble)."""
    from sim.runs.scenario import ScenarioError

    if kind == "allowed":
        return uncertain(base, exclude=exclude)
    if kind == "pm50":
        return uncertain(base, 0.5, exclude=exclude)
    if kind != "accepted":
        raise ScenarioError("--range", kind, f"is not a region; use one of {', '.join(RANGES)}")
    if scenario.ensemble is None:
        raise ScenarioError("--range", "accepted", f"scenario {scenario.name} has no calibrated ensemble "
                                                   "(ensemble = \"...csv\"); use --range allowed or --range pm50")
    return {n: r for n, r in accepted(scenario.ensemble).items() if n not in exclude}


def describe(kind: str) -> str:
    return {"accepted": "the accepted (history-consistent) region of the calibrated ensemble",
            "allowed": "each uncertain parameter's allowed range",
            "pm50": "each uncertain parameter's value +-50%"}[kind]
