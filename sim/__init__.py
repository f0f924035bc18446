"""regime-sim: an agent-based model of the Taliban regime-survival dilemma.

The regime needs aid and recognition; moderation and counter-terrorism push hard-line
fighters and allied jihadists toward IS-K; refusing keeps the country poor, and poverty
feeds IS-K too. See README.md and docs/ODD.md.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("regime-sim")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
