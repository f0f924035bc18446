"""Options and argument types shared by the commands of :mod:`sim.interfaces.cli` and
:mod:`sim.interfaces.analysis_cli`, and the step every command that runs a scenario starts with."""

from __future__ import annotations

import argparse
import sys

from sim.runs.scenario import RUN_SETTINGS, load, parse_set

FORMATS = ("png", "svg", "pdf")


def add_run_options(p: argparse.ArgumentParser, replicates: str = "the scenario's") -> None:
    p.add_argument("--seed", type=setting("seed"), default=None, help="root seed (default: the scenario's)")
    p.add_argument("--replicates", type=setting("replicates"), default=None,
                   help=f"replicates (default: {replicates})")
    p.add_argument("--months", type=setting("months"), default=None,
                   help="months from August 2021 (default: 120)")
    p.add_argument("--scale", type=setting("scale"), default=None,
                   help="fraction of the real number of fighters to simulate (outputs stay in real units)")
    p.add_argument("--set", action="append", metavar="KEY=VALUE", default=[],
                   help="override a parameter by its dotted name, e.g. --set policy.moderation=0.5 "
                        "or --set 'policy.crackdown_isk={\"2022-01\"=0.9}'")
    p.add_argument("--quiet", action="store_true", help="no progress (a bar on a terminal; otherwise a line "
                                                        "every 5%% of the runs)")
    p.add_argument("--point", choices=("ensemble", "best"), default="ensemble",
                   help="for a scenario with a calibrated ensemble (the baseline): each replicate draws its "
                        "calibrated values from the accepted points (ensemble, default), or every replicate "
                        "runs the single best point (best)")


def add_format_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=FORMATS, default="png", help="plot format: png (default), svg or pdf")


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} must be at least 1")
    return value


def port(text: str) -> int:
    """A TCP port a server can listen on: 1 to 65535."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"{value} is not a port; allowed [1, 65535]")
    return value


def setting(key: str):
    """An argparse type for a run setting, with the range scenario files allow (RUN_SETTINGS)."""
    kind, low, high = RUN_SETTINGS[key]
    fmt = "d" if kind is int else "g"

    def convert(text: str):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not {'a whole number' if kind is int else 'a number'}"
                                             ) from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{text} is out of range; allowed [{low:{fmt}}, {high:{fmt}}]")
        return value

    convert.__name__ = key  # argparse names the option's type in its error line
    return convert


def fighters(text: str) -> int:
    value = positive_int(text)
    if not 100 <= value <= 10_000_000:
        raise argparse.ArgumentTypeError(f"{value} is out of range; allowed [100, 10000000]")
    return value


def resolve_run(args) -> tuple:
    """The scenario, its parameters with ``--set`` applied, and the run settings.

    A scenario with an ensemble comes back with the ``--set`` names no longer drawn; with
    ``--point best``, without its ensemble and with the best point's values in the parameters.
    """
    from dataclasses import replace

    from sim.runs.scenario import ScenarioError

    scenario = load(args.scenario)
    overrides = parse_set(args.set)
    params = scenario.parameters(overrides)
    point = getattr(args, "point", "ensemble")
    if scenario.ensemble is not None:
        ensemble = scenario.ensemble.fixing(overrides)
        if point == "best":
            params = params.replace(ensemble.best_values())
            scenario = scenario.without_ensemble()
        else:
            scenario = replace(scenario, ensemble=ensemble)
    elif point == "best":
        raise ScenarioError("--point", "best", f"scenario {scenario.name} names no calibrated ensemble "
                                               "(ensemble = \"...csv\"), so it has no best point")
    months = args.months or scenario.setting("months")
    replicates = args.replicates or scenario.setting("replicates")
    seed = scenario.setting("seed") if args.seed is None else args.seed
    scale = args.scale or scenario.setting("scale")
    return scenario, params, months, replicates, seed, scale


def local_workers(requested: int | None) -> int:
    """Local worker processes for ``--workers`` (all cores by default), capped with a warning line."""
    from sim.runs.sweep import local_workers as capped

    workers, warning = capped(requested)
    if warning:
        print(f"regime-sim: warning: {warning}", file=sys.stderr)
    return workers
