"""Running the model: scenario files, replicates, sweep designs and sweeps, the results store, output
folders and files, run statistics, progress, replicate seeds, setting checks, benchmarks and plots.

Builds on :mod:`sim.model`; never imports :mod:`sim.analysis` or :mod:`sim.interfaces`.
"""
