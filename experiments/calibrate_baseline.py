"""Print the baseline's calibration targets for a set of parameter overrides.

Used to set the parameters whose provenance is 'calibrated'. Example:

    python experiments/calibrate_baseline.py --replicates 20 --scale 0.25 \
        --set recruitment.economic_rate=0.0002 --set fighters.defection_base=-8.8
"""

import argparse

from sim import calibration
from sim.runner import run_replicates
from sim.scenario import load, parse_set


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replicates", type=int, default=20)
    parser.add_argument("--months", type=int, default=120)
    parser.add_argument("--scale", type=float, default=0.25)
    parser.add_argument("--seed", type=int, default=20210815)
    parser.add_argument("--set", action="append", default=[])
    args = parser.parse_args()
    params = load("baseline").parameters(parse_set(args.set))
    table, _, _ = run_replicates(params, args.months, args.seed, args.replicates, args.scale)
    for r in calibration.evaluate(table):
        value = "n/a" if r["value"] is None else f"{r['value']:,.4g}"
        print(f"{'ok  ' if r['met'] else 'MISS'} {r['target']:30s} {value:>10}  [{r['low']:,g}, {r['high']:,g}]")


if __name__ == "__main__":
    main()
