"""Regime survival: the regime falls when its commanders no longer give it the armed power or the capital.

The fall is the end of a process (:mod:`sim.model.commanders`, run through ``m.commanders``; this
module imports nothing, so the output writer can read the causes without Mesa): commanders with thresholds of
their own stand aside or go over as the regime's condition worsens and as others go, so the
monthly hazard of a fall moves smoothly with the regime's condition.
"""

from __future__ import annotations

# The conditions a commander weighs; the one that weighed most before a cascade is the cause of the fall.
CAUSES = ("regime split", "loss of cohesion", "civil war", "fiscal collapse", "loss of territory")
CAPITAL = "Kabul"


def check_survival(m) -> None:
    """The commanders decide; the regime falls when those who obey lead less than
    ``survival.command_share`` of the armed power in the country, or when the regime's local
    control of the capital falls below ``survival.held_control``.

    The cause is the condition that weighed most in the commanders' recent departures (a fall
    with no departure, the capital lost, is a loss of territory). The fall ends the run
    (:meth:`RegimeModel.run`): that month's row, with ``regime_survives`` 0, is its last.
    """
    m.commanders.step(m)
    if not m.regime_survives:
        return
    capital_lost = m.control[m.geo.index(CAPITAL)[0]] < m.p.survival.held_control
    if m.commanders.commanded_share(m) < m.p.survival.command_share or capital_lost:
        m.regime_survives = False
        m.fall_month, m.fall_cause = m.month, m.commanders.cause()
