"""The model's vectorised processes, one module per family of mechanisms.

Each phase is a function of the model, with a docstring naming its mechanisms (M1-M20 of
``docs/ODD.md``) and the claims behind them. The group-level actors' own rules are methods
of the agents in :mod:`sim.model.factions`, :mod:`sim.model.isk`, :mod:`sim.model.states` and :mod:`sim.model.actors`.
"""
