"""The model: the Mesa model (:mod:`sim.model.model`) and everything it is made of.

The agents (:mod:`~sim.model.factions`, :mod:`~sim.model.isk`, :mod:`~sim.model.states`,
:mod:`~sim.model.actors`, :mod:`~sim.model.fighters`), the provinces (:mod:`~sim.model.geography`),
the calendar, the parameters with their provenance, the monthly rules (:mod:`sim.model.mechanisms`)
and the list of outcomes the model reports (:mod:`~sim.model.outcomes`).

The lowest floor of the package: nothing here imports :mod:`sim.runs`, :mod:`sim.analysis` or
:mod:`sim.interfaces`.
"""
