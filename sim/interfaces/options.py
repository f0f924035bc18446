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
    p.add_argument("--members", type=members, default=None, metavar="N",
                   help="for a scenario with a calibrated ensemble: a member x seed design, N distinct members "
                        "(drawn without replacement from the root seed), replicate r running member r mod N, so "
                        "that parametric and chance variation can be told apart; 0: each replicate draws its "
                        "member from its seed (the default of run, sweep and validate; compare's is "
                        f"{COMPARE_MEMBERS})")


def add_format_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=FORMATS, default="png", help="plot format: png (default), svg or pdf")


COMPARE_MEMBERS = 20  # compare's default member x seed design (issue 29: at least 20 parameter sets)


def members(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 0 <= value <= 100_000:
        raise argparse.ArgumentTypeError(f"{value} is out of range; allowed [0, 100000] (0: each replicate draws)")
    return value


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
    ``--point best``, without its ensemble and with the best point's values in the parameters;
    with ``--members N``, with a member x seed design of N members.
    """
    scenario = load(args.scenario)
    overrides = parse_set(args.set)
    seed = scenario.setting("seed") if args.seed is None else args.seed
    scenario, params = with_point(scenario, overrides, getattr(args, "point", "ensemble"),
                                  getattr(args, "members", None), seed)
    months = args.months or scenario.setting("months")
    replicates = args.replicates or scenario.setting("replicates")
    scale = args.scale or scenario.setting("scale")
    return scenario, params, months, replicates, seed, scale


def with_point(scenario, overrides: dict, point: str = "ensemble", members: int | None = None,
               seed: int = 0, required: bool = True):
    """A scenario and its parameters as ``--set``, ``--point`` and ``--members`` make them: with
    ``--point best`` the best member's values and no ensemble; with ``--members N`` (N > 0) a member
    x seed design. ``required``: a --point best or --members for a scenario without an ensemble
    is bad input (else it is ignored)."""
    from dataclasses import replace

    from sim.runs.scenario import ScenarioError

    params = scenario.parameters(overrides)
    if scenario.ensemble is not None:
        ensemble = scenario.ensemble.fixing(overrides)
        if point == "best":
            return scenario.without_ensemble(), params.replace(ensemble.best_values())
        if members:
            ensemble = ensemble.crossed(members, seed)
        return replace(scenario, ensemble=ensemble), params
    if required and point == "best":
        raise ScenarioError("--point", "best", f"scenario {scenario.name} names no calibrated ensemble "
                                               "(ensemble = \"...csv\"), so it has no best point")
    if required and members:
        raise ScenarioError("--members", str(members), f"scenario {scenario.name} names no calibrated ensemble "
                                                       "(ensemble = \"...csv\"), so it has no members; use 0")
    return scenario, params


def local_workers(requested: int | None) -> int:
    """Local worker processes for ``--workers`` (all cores by default), capped with a warning line."""
    from sim.runs.sweep import local_workers as capped

    workers, warning = capped(requested)
    if warning:
        print(f"regime-sim: warning: {warning}", file=sys.stderr)
    return workers
