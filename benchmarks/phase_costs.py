"""What each phase of the monthly schedule costs: CPU time per month and per fighter-month.

Times every phase of :meth:`sim.model.model.RegimeModel.step` over full-scale baseline runs (CPU
time of this process, so other load on the machine matters less), and prints a table. The
round-2 mechanisms (factions' loyalty and breaks, IS-K's money, leaders and strategy, donors'
offer and neighbours' steps) are aggregate rules: their cost does not grow with the number
of fighters.

    python benchmarks/phase_costs.py [--scale 1.0] [--months 120] [--runs 3]
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict

from sim.model import factions, model as model_module
from sim.model.isk import IslamicStateKhorasan
from sim.model.mechanisms import choices, conflict, economy, movement, recruitment, survival
from sim.model.model import RegimeModel
from sim.runs.scenario import load

PHASES = {
    "fighters' choices (M1, M3, M4, M6)": (choices, "fighter_choices"),
    "recruitment (IS-K, TTP, resistance, Taliban pool)": (recruitment, "recruit"),
    "IS-K cells move toward weak control": (movement, "disperse_cells"),
    "Taliban redeploy": (movement, "redeploy_taliban"),
    "economy": (economy, "update_economy"),
    "Salafist alienation": (recruitment, "update_alienation"),
    "civil war": (conflict, "update_civil_war"),
    "kill hazards": (conflict, "update_kill_hazards"),
    "IS-K holdings": (conflict, "update_isk_holdings"),
    "survival": (survival, "check_survival"),
    "faction breaks (new)": (factions, "breaks"),
    "pay shared by patronage (new)": (factions, "share_pay"),
    "commanders killed (new)": (factions, "assign_commanders_killed"),
    "IS-K money (new)": (IslamicStateKhorasan, "update_finances"),
    "IS-K leaders (new)": (IslamicStateKhorasan, "update_leaders"),
    "IS-K strategy and attacks (new)": (IslamicStateKhorasan, "attack"),
    "donors and neighbours (new)": (RegimeModel, "update_diplomacy"),
    "factions (new; includes pay, breaks)": (RegimeModel, "update_factions"),
    "tally (counts, control)": (RegimeModel, "tally"),
    "observe (the monthly record)": (RegimeModel, "observe"),
}


def instrument(totals: dict) -> None:
    """Wrap each phase so that its CPU time adds up in ``totals``."""
    for label, (owner, name) in PHASES.items():
        original = getattr(owner, name)

        def timed(*args, _original=original, _label=label, **kwargs):
            start = time.process_time()
            try:
                return _original(*args, **kwargs)
            finally:
                totals[_label] += time.process_time() - start

        setattr(owner, name, timed)
        if owner in (choices, conflict, economy, movement, recruitment, survival, factions):
            for module in (model_module, factions):  # names imported elsewhere point to the wrapper too
                if getattr(module, name, None) is original:
                    setattr(module, name, timed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--months", type=int, default=120)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    params = load("scenarios/baseline.toml").parameters()
    totals: dict[str, float] = defaultdict(float)
    instrument(totals)
    fighter_months, whole = 0, 0.0
    for seed in range(args.runs):
        model = RegimeModel(params, months=args.months, seed=seed, scale=args.scale)
        start = time.process_time()
        for _ in range(args.months):
            fighter_months += len(model.fighters)
            model.step()
        whole += time.process_time() - start
    months = args.runs * args.months
    print(f"{args.runs} baseline run(s) x {args.months} months at scale {args.scale:g}: "
          f"{fighter_months / months:,.0f} fighters on average; CPU {whole / args.runs:.3f} s a run, "
          f"{whole / fighter_months * 1e6:.4f} us per fighter-month")
    print(f"{'phase':52} {'ms/month':>9} {'us/fighter-month':>17} {'share':>6}")
    for label, seconds in sorted(totals.items(), key=lambda kv: -kv[1]):
        print(f"{label:52} {seconds / months * 1e3:9.3f} {seconds / fighter_months * 1e6:17.4f} "
              f"{seconds / whole:6.1%}")


if __name__ == "__main__":
    main()
