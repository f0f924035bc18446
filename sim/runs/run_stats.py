"""Run-level statistics by name: how a sweep's runs table answers "survived" or "isk_fighters".

A sweep stores, for every run, whether the regime survived and when it fell, and for each
kept time series its final value, monthly mean and maximum (``isk_fighters_final``, ...).
A run ends at the regime's fall (:meth:`sim.model.model.RegimeModel.run`), so for a fallen run
these are the value at the fall and the mean and maximum up to it: ``isk_fighters_final`` is
IS-K's strength when the run ended, in the run's last month or in the month the regime fell.
A bare outcome name means its headline statistic: the monthly mean of a flow, the final
value of a stock (:func:`sim.runs.outputs.headline`).
"""

from __future__ import annotations

from sim.model.outcomes import RUN_STATISTICS as STATS
from sim.runs.design import NOT_OUTCOMES
from sim.model.params import closest_name
from sim.runs.scenario import ScenarioError

RUN_COLUMNS = {"survived": "the regime survived the run (1) or fell (0)",
               "fall_month": "the month the regime fell (empty if it survived)"}


def _series_names() -> list[str]:
    from sim.model.outcomes import OUTCOMES

    return [k for k in OUTCOMES if k not in NOT_OUTCOMES and k != "regime_survives"]


def split(name: str, where: str = "--outcome") -> tuple[str | None, str]:
    """(the time series a statistic needs, or None for survival; the runs-table column)."""
    from sim.runs.outputs import headline

    if name in RUN_COLUMNS:
        return None, name
    series = _series_names()
    if name in series:
        return name, f"{name}_{headline(name)[0]}"
    base, _, stat = name.rpartition("_")
    if base in series and stat in STATS:
        return base, name
    allowed = list(RUN_COLUMNS) + series
    hint = closest_name(name, allowed + [f"{s}_{t}" for s in series for t in STATS])
    raise ScenarioError(where, name, "is not an outcome" + (f" (did you mean {hint}?)" if hint else "")
                        + "; use survived, fall_month, an outcome of 'regime-sim run' such as isk_fighters "
                          "(its headline statistic) or one with _final, _mean or _max")


def column(name: str, where: str = "--outcome") -> str:
    return split(name, where)[1]


def series(names) -> tuple[str, ...]:
    """The time series a sweep must keep to compute these statistics."""
    return tuple(dict.fromkeys(s for s in (split(n)[0] for n in names) if s))
