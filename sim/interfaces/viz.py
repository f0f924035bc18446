"""``regime-sim viz``: start the browser app (:mod:`sim.interfaces.app`) with ``solara run``.

The app runs on this machine and needs no internet: Solara serves its front-end from the
``solara-assets`` package, and Solara's version check and usage telemetry are switched off.
"""

from __future__ import annotations

import errno
import importlib.util
import os
import socket
import subprocess
import sys

from sim.runs.scenario import ScenarioError, load, resolve

SCENARIO_VARIABLE = "REGIME_SIM_SCENARIO"  # read by sim.interfaces.app
OFFLINE = {"SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False",
           "SOLARA_THEME_SHOW_BANNER": "False"}  # and no "runs on Solara" banner over the charts


def command(scenario: str, host: str = "localhost", port: int = 8765, open_browser: bool = True) -> list[str]:
    """The ``solara run`` command line that serves the app."""
    return [sys.executable, "-m", "solara", "run", "sim.interfaces.app", "--host", host, "--port", str(port), "--production",
            "--no-check-version", "--open" if open_browser else "--no-open"]


# Solara warns, once per browser session, that it cannot set a cross-site cookie over plain http when the
# app is reached by an address other than "localhost" (a classroom's machines): harmless for this app, which
# is not embedded in other sites, and it would fill the teacher's terminal
QUIET = "ignore:Cookies with samesite=none require https:UserWarning"


def environment(scenario: str) -> dict[str, str]:
    """The environment the app runs in: the scenario's path, Solara kept offline and its cookie warning off."""
    warnings = ",".join(filter(None, [os.environ.get("PYTHONWARNINGS"), QUIET]))
    return os.environ | OFFLINE | {SCENARIO_VARIABLE: str(resolve(scenario).resolve()), "PYTHONWARNINGS": warnings}


def serve(scenario: str, host: str, port: int, open_browser: bool) -> int:
    """Check the scenario, then run the app until interrupted (Ctrl+C)."""
    load(scenario)  # a bad scenario: one line and exit 2, before starting a server
    missing = [m for m in ("solara", "mesa.visualization") if importlib.util.find_spec(m.split(".")[0]) is None]
    if missing:
        raise ScenarioError("viz", None, "the app needs Solara: install the app extra, "
                                         "pip install -e \".[app]\" (see the README)")
    check_free(host, port)  # a busy port or an unknown host: one line, before starting a server
    print(f"regime-sim viz: {scenario} at http://{host}:{port} (Ctrl+C to stop)", file=sys.stderr)
    return subprocess.call(command(scenario, host, port, open_browser), env=environment(scenario))


def check_free(host: str, port: int) -> None:
    """Raise ScenarioError (one line) unless the app could listen on ``host``:``port``."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except socket.gaierror:
        raise ScenarioError("--host", host, "is not an address of this machine (e.g. localhost, 127.0.0.1, "
                                            "0.0.0.0)") from None
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server does
        try:
            probe.bind(address)
        except OSError as err:
            reason = "is in use by another program" if err.errno == errno.EADDRINUSE else f"cannot be used ({err.strerror})"
            raise ScenarioError("--port", str(port), f"{reason} on {host}; choose another --port") from None
