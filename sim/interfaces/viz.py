"""``regime-sim viz``: start the browser app (:mod:`sim.interfaces.app`) with ``solara run``.

The app runs on this machine and needs no internet: Solara serves its front-end from the
``solara-assets`` package, and Solara's version check and usage telemetry are switched off.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys

from sim.runs.scenario import ScenarioError, load, resolve

SCENARIO_VARIABLE = "REGIME_SIM_SCENARIO"  # read by sim.interfaces.app
OFFLINE = {"SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False"}


def command(scenario: str, host: str = "localhost", port: int = 8765, open_browser: bool = True) -> list[str]:
    """The ``solara run`` command line that serves the app."""
    return [sys.executable, "-m", "solara", "run", "sim.interfaces.app", "--host", host, "--port", str(port), "--production",
            "--no-check-version", "--open" if open_browser else "--no-open"]


def environment(scenario: str) -> dict[str, str]:
    """The environment the app runs in: the scenario's path, and Solara kept offline."""
    return os.environ | OFFLINE | {SCENARIO_VARIABLE: str(resolve(scenario).resolve())}


def serve(scenario: str, host: str, port: int, open_browser: bool) -> int:
    """Check the scenario, then run the app until interrupted (Ctrl+C)."""
    load(scenario)  # a bad scenario: one line and exit 2, before starting a server
    missing = [m for m in ("solara", "mesa.visualization") if importlib.util.find_spec(m.split(".")[0]) is None]
    if missing:
        raise ScenarioError("viz", None, "the app needs Solara: install the app extra, "
                                         "pip install -e \".[app]\" (see the README)")
    print(f"regime-sim viz: {scenario} at http://{host}:{port} (Ctrl+C to stop)", file=sys.stderr)
    return subprocess.call(command(scenario, host, port, open_browser), env=environment(scenario))
