"""Every cause of the regime's fall is reachable with documented-range settings (issue 9).

Each ``scenarios/stress/<cause>.toml`` is run from the command line at small scale; the
regime must fall by that cause in at least half of the replicates within ten years, as
``summary.json`` reports it.
"""

import json
from pathlib import Path

import pytest

from sim.interfaces.cli import main
from sim.model.mechanisms.survival import CAUSES

STRESS = Path("scenarios/stress")


def test_there_is_a_stress_scenario_for_every_cause():
    assert sorted(p.stem for p in STRESS.glob("*.toml")) == sorted(c.replace(" ", "_") for c in CAUSES)


@pytest.mark.slow
@pytest.mark.parametrize("cause", CAUSES)
def test_stress_scenario_brings_the_regime_down_by_its_cause(cause, tmp_path):
    out = tmp_path / "run"
    path = STRESS / f"{cause.replace(' ', '_')}.toml"
    assert main(["run", str(path), "--replicates", "8", "--scale", "0.1", "--months", "120", "--seed", "11",
                 "--out", str(out), "--quiet"]) == 0
    summary = json.loads((out / "summary.json").read_text())
    by_cause = summary["failures"]["by_cause"]
    assert by_cause[cause] >= summary["replicates"] / 2, f"{path}: falls by cause {by_cause}"
