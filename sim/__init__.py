"""regime-sim: an agent-based model of the Taliban regime-survival dilemma.

The regime needs aid and recognition; moderation and counter-terrorism push hard-line
fighters and allied jihadists toward IS-K; refusing keeps the country poor, and poverty
feeds IS-K too. See README.md and docs/ODD.md.

    import sim
    table = sim.load("baseline").set({"policy.moderation": 0.5}).run(replicates=5)
    sim.dashboard(table)
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("regime-sim")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+unknown"

# The Python API (sim/interfaces/api.py), imported on first use so that the command line starts fast.
_API = ("Experiment", "load", "dashboard", "endings", "summarise", "parameters", "claims", "RegimeModel",
        "OUTCOMES", "PANELS", "ScenarioError")
__all__ = ["__version__", *_API]


def __getattr__(name: str):
    if name in _API:
        from sim.interfaces import api

        return getattr(api, name)
    raise AttributeError(f"module 'sim' has no attribute {name!r}")
