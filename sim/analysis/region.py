"""The uncertain part of the model: the parameters whose defaults are assumptions or calibrations,
and the regions of them the analyses explore (``--range``): ``accepted`` (the default: the
history-consistent region, the box spanned by the calibrated ensemble's accepted points, the
other parameters at the scenario's values), ``allowed`` (every uncertain parameter over its
whole allowed range), ``pm50`` (each at the scenario's value +-50%) and ``plausible``
(:func:`plausible`: between the accepted region and the allowed ranges).

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


RANGES = ("accepted", "allowed", "pm50", "plausible")


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


def plausible(ensemble, base: Parameters, exclude=()) -> dict[str, tuple[float, float]]:
    """Between the history and the allowed ranges: each calibrated parameter of the ensemble from
    halfway between its allowed low and its lowest accepted value to halfway between its highest
    accepted value and its allowed high; every other uncertain parameter at its value +-50%."""
    from sim.model.params import SPEC_BY_NAME

    region = uncertain(base, 0.5, exclude=exclude)
    for name, (low, high) in accepted(ensemble).items():
        if name in exclude:
            continue
        spec = SPEC_BY_NAME[name]
        region[name] = ((spec.low + low) / 2, (high + spec.high) / 2)
    return region


def named(kind: str, scenario, base: Parameters, exclude=()) -> dict[str, tuple[float, float]]:
    """The region ``--range kind`` names for a scenario (ScenarioError if it has no ensemble)."""
    from sim.runs.scenario import ScenarioError

    if kind == "allowed":
        return uncertain(base, exclude=exclude)
    if kind == "pm50":
        return uncertain(base, 0.5, exclude=exclude)
    if kind not in ("accepted", "plausible"):
        raise ScenarioError("--range", kind, f"is not a region; use one of {', '.join(RANGES)}")
    if scenario.ensemble is None:
        raise ScenarioError("--range", kind, f"scenario {scenario.name} has no calibrated ensemble "
                                                   "(ensemble = \"...csv\"); use --range allowed or --range pm50")
    if kind == "plausible":
        return plausible(scenario.ensemble, base, exclude)
    return {n: r for n, r in accepted(scenario.ensemble).items() if n not in exclude}


def describe(kind: str) -> str:
    return {"accepted": "the accepted (history-consistent) region of the calibrated ensemble",
            "allowed": "each uncertain parameter's allowed range",
            "pm50": "each uncertain parameter's value +-50%",
            "plausible": "between the calibrated ensemble's accepted region and the allowed ranges (the calibrated "
                         "parameters from halfway below to halfway above their accepted span, the others +-50%)"}[kind]
