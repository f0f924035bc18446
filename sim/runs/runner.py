"""Running the model: one replicate, or many with seeds spawned from one root seed (:mod:`sim.runs.seeds`)."""

from __future__ import annotations

import mesa
import pandas as pd

from sim.model.model import RegimeModel
from sim.model.params import Parameters
from sim.runs.progress import Progress
from sim.runs.seeds import ReplicateSeed, replicate_seeds


def release(model: RegimeModel) -> None:
    """Free a finished model's memory now, not at the next cyclic garbage collection.

    Mesa 3.3 keeps every model it has seen in the class attribute ``Agent._ids``, so models
    are never freed and a long sweep's memory grows (mesa/mesa#3179, fixed in mesa#3180);
    and a model and its agents refer to each other, so without clearing its attributes its
    fighter arrays would wait for the cyclic collector.
    """
    model.remove_all_agents()
    getattr(mesa.Agent, "_ids", {}).pop(model, None)
    vars(model).clear()


def run_one(params: Parameters, months: int, seed: ReplicateSeed, scale: float = 1.0) -> tuple[pd.DataFrame, dict]:
    """Run one replicate; return its monthly table and how it ended."""
    model = RegimeModel(params, months=months, seed=seed.sequence(), scale=scale)
    table = pd.DataFrame(model.run())
    table.insert(0, "replicate", seed.replicate)
    ending = {"replicate": seed.replicate, "fell": not model.regime_survives,
              "fall_month": model.fall_month, "fall_cause": model.fall_cause}
    release(model)
    return table, ending


def run_replicates(params: Parameters, months: int, root_seed: int, replicates: int, scale: float = 1.0,
                   progress: bool = True, ensemble=None) -> tuple[pd.DataFrame, list[dict], list[ReplicateSeed]]:
    """Run ``replicates`` replicates in turn; return the stacked monthly table and endings.

    With an ``ensemble`` (:mod:`sim.runs.ensemble`) each replicate runs with the calibrated
    values of the member its seed draws; its ending records the member.
    """
    seeds = replicate_seeds(root_seed, replicates)
    tables, endings = [], []
    bar = Progress(replicates, label="replicates", enabled=progress)
    for seed in seeds:
        if ensemble is None:
            table, ending = run_one(params, months, seed, scale)
        else:
            drawn, member = ensemble.apply(params, seed)
            table, ending = run_one(drawn, months, seed, scale)
            ending["ensemble_member"] = member
        tables.append(table)
        endings.append(ending)
        bar.update()
    bar.close()
    return pd.concat(tables, ignore_index=True), endings, seeds
