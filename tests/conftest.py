"""Shared helpers: paired runs with common random numbers (the same seeds on both sides)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim.runs.runner import run_replicates
from sim.runs.scenario import load

ROOT_SEED = 424242
# A run ends at the regime's fall: a rule tested over months the regime might not last runs with the fall
# out of reach (commanders slowest to doubt; the forces that obey, and the capital's control, needed at
# their lowest allowed thresholds).
STANDING = {"survival.threshold_mean": 2.0, "survival.command_share": 0.05, "survival.held_control": 0.05}


@pytest.fixture(scope="session")
def baseline():
    return load("scenarios/baseline.toml")


def simulate(scenario, overrides=None, *, months=36, replicates=8, scale=0.1, seed=ROOT_SEED) -> pd.DataFrame:
    """Stacked monthly table of a scenario with overrides, small and fast."""
    table, _, _ = run_replicates(scenario.parameters(overrides or {}), months, seed, replicates, scale,
                                 progress=False)
    return table


def per_replicate(table: pd.DataFrame, column: str, how: str = "sum", window=None) -> np.ndarray:
    """One number per replicate: the column summed, averaged or taken at the last month of a window."""
    if window is not None:
        table = table[table["month"].between(*window)]
    grouped = table.groupby("replicate")[column]
    if how == "last":
        return grouped.last().to_numpy()
    return getattr(grouped, how)().to_numpy()


def paired(scenario, low, high, column, how="sum", window=None, **kw):
    """The column per replicate under two settings run on the same seeds (``kw`` go to simulate)."""
    a = per_replicate(simulate(scenario, low, **kw), column, how, window)
    b = per_replicate(simulate(scenario, high, **kw), column, how, window)
    return a, b


def assert_higher(low_arm, high_arm, min_share=0.75):
    """``high_arm`` is larger on average and in most seed-paired replicates."""
    diff = high_arm - low_arm
    assert diff.mean() > 0, f"mean difference {diff.mean():.4g} is not positive ({low_arm} vs {high_arm})"
    assert (diff > 0).mean() >= min_share, f"higher in only {(diff > 0).mean():.0%} of paired replicates"


def load_experiment(name: str):
    """A script of experiments/ imported as a module (the folder is not a package)."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "experiments" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
