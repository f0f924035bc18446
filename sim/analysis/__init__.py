"""Analysing runs: calibration targets, history matching (:mod:`~sim.analysis.calibrate`),
validation, sensitivity, directional claims, scenario discovery and the argument experiments.

Builds on :mod:`sim.runs` and :mod:`sim.model`; never imports :mod:`sim.interfaces`.
"""
