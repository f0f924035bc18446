"""Ways in: the command line (:mod:`~sim.interfaces.cli`, with the analysis commands of
:mod:`~sim.interfaces.analysis_cli`), the Python API (:mod:`~sim.interfaces.api`, re-exported as
``sim.load``, ``sim.dashboard``, ...) and the browser app (:mod:`~sim.interfaces.app`).

The top floor: it may import every other part of the package; nothing imports it.
"""
