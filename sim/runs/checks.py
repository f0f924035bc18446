"""Run settings that are allowed but probably not meant: each gets one warning line, never an error.

- a ``--scale`` so small that IS-K starts with a handful of fighters: defection, recruitment
  and attack rules then act on a few individuals, and chance decides the run;
- a lever schedule with a date after the run ends (that step never happens), or whose first
  date is after August 2021 (its first value is back-filled to the takeover), or with a date
  before the takeover (the model starts in August 2021: such a value holds from then, and
  of several such dates only the last counts).
"""

from __future__ import annotations

import math

from sim.model.calendar import month_date
from sim.model.params import SPECS, Parameters, Schedule

MIN_ISK_FIGHTERS = 20  # IS-K fighters at the takeover below which its rules mean little


def warnings(params: Parameters, months: int, scale: float, own: Parameters | None = None) -> list[str]:
    """The warnings for a run of ``months`` months at ``scale`` with these parameters.

    ``own``: the scenario's parameters as its file sets them (before ``--set``). A run shortened with
    ``--months`` ends before the later steps of the scenario's own schedules, as meant: those get one
    line between them, not one each; a schedule given with ``--set`` still gets its own."""
    found, cut = [], []
    isk = params["isk.initial_fighters"] * scale
    if 0 < isk < MIN_ISK_FIGHTERS:
        digits = 1 - math.floor(math.log10(MIN_ISK_FIGHTERS / params["isk.initial_fighters"]))
        enough = math.ceil(MIN_ISK_FIGHTERS / params["isk.initial_fighters"] * 10**digits) / 10**digits
        found.append(f"--scale {scale:g} leaves {isk:.3g} IS-K fighters at the takeover; the rules for "
                     f"defection, recruitment and attacks act on too few individuals to mean much "
                     f"(use --scale {enough:g} or more)")
    last = month_date(months - 1)
    for spec in SPECS:
        value = params[spec.name]
        if not isinstance(value, Schedule):
            continue
        first_month, first_value = value.steps[0]
        if first_month > 0 and value.back_filled:  # an actor state decides for itself before its first date
            found.append(f"{spec.name}: the schedule starts in {month_date(first_month)}; its first value "
                         f"({first_value:g}) also holds from 2021-08 until then")
        early = [m for m, _ in value.steps if m < 0]
        if early:
            dates = ", ".join(month_date(m) for m in early)
            found.append(f"{spec.name}: {dates} {'is' if len(early) == 1 else 'are'} before the takeover "
                         f"(2021-08), where the model starts; the value of {month_date(early[-1])} holds from "
                         f"2021-08{'' if len(early) == 1 else ' and the earlier dates never take effect'}")
        late = [month_date(m) for m, _ in value.steps if m >= months]
        if late and own is not None and own[spec.name] == value:
            cut.append(spec.name)
        elif late:
            found.append(f"{spec.name}: {', '.join(late)} {'is' if len(late) == 1 else 'are'} after the run's "
                         f"last month ({last}) and never take{'s' if len(late) == 1 else ''} effect")
    if cut:
        names = ", ".join(cut[:3]) + (", ..." if len(cut) > 3 else "")
        found.append(f"the run ends in {last}, before later steps of {len(cut)} of the scenario's schedules "
                     f"({names}); those steps do not take effect")
    return found
