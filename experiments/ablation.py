"""Ablation: what each mechanism, and each lever's price and benefit, does to survival and IS-K.

Every row switches something off and compares, replicate by replicate, with the same run left on: the same
replicate seeds and the same calibrated ensemble member (a member x seed design over every member: replicate r runs
member r mod N of a fixed order), hence the same shocks (common random numbers).

- Placebo: the documented path again, the same members on other seeds. Over ten years the paired runs drift
  apart (a different month's draw sends a different commander over), so every row compares with one sample of
  chance; the placebo shows how large an effect chance alone gives against that sample (0.4.0's table, without
  it, showed nearly every mechanism "raising" survival by 0.04-0.08 and cutting IS-K by about 1,300).

- Mechanisms (M1-M20 where the model has them, and the assumed terms): the documented path with the
  mechanism off against the documented path. Effect = off - on.
- Levers: a lever's price and its benefit are channels, each with the parameters that switch it off and the
  outcome the documents name for it (``LEVERS``: moderation sends hard-liners to IS-K and brings the donors;
  inclusion costs the core's posts and drains the resistance; the crackdown alienates Salafists and kills IS-K's
  men; action against the allies turns them to IS-K and pleases the neighbours; cooperation feeds IS-K's
  propaganda and pleases the donors). The channel's effect is the part of raising the lever to 1 that runs
  through it: (raised - documented path) with the channel on, less the same with it off, pair by pair (the
  crackdown, already at 0.8 on the documented path, is raised from none).

Outcomes, over every pair (the fall is a state, not a missing value): survival to the horizon (1 or 0),
IS-K fighters at the horizon or at the fall, and each channel's own outcome over the months the run lasted.
Intervals: 95% percentile bootstrap of the mean paired difference, resampling ensemble members (clusters:
``sim.analysis.effects.paired`` on ``effects.clustered``); each effect's variance split into its parametric
(between members) and chance (within members) parts (``effects.decompose``), in ablation.csv.

    python experiments/ablation.py --replicates 24 --months 120 --scale 0.25 --seed 7 \\
        --out experiments/results/ablation

Writes ablation.csv (one row per switch and outcome), ablation.md (the table the documentation shows)
and manifest.json (version, commit, settings, seeds).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd

import sim
from sim.analysis import effects
from sim.runs.outputs import command_line, git

M1_OFF = {"fighters.moderation_grievance": 0.0, "recruitment.propaganda_moderation": 0.0}
# name -> (what it is, where it comes from, the overrides that switch it off)
MECHANISMS = {
    "M1": ("hard-liners leave for IS-K over moderation", "ALI:148", M1_OFF),
    "M2": ("donors reward moderation with aid and relief", "ALI:83, ALI:263", {"donors.moderation_weight": 0.0}),
    "M3": ("allied fighters turn to IS-K when acted against", "ALI:243, ALI:273",
           {"fighters.allied_action_weight": 0.0, "fighters.allies_grievance": 0.0}),
    "M4": ("cooperation with foreign powers feeds IS-K's propaganda", "ATI:47",
           {"fighters.cooperation_grievance": 0.0, "recruitment.propaganda_cooperation": 0.0,
            "fighters.allied_cooperation_weight": 0.0}),
    "M5": ("donors reward credible counter-terrorism", "ATI:55", {"donors.counterterrorism_weight": 0.0}),
    "M6": ("poverty feeds IS-K (its three channels)", "TRT:57, EER:13", {"recruitment.poverty_weight": 0.0}),
    "M7": ("sanctions and frozen reserves cost GDP", "TRT:57-61",
           {"economy.sanctions_drag": 0.0, "economy.frozen_assets_drag": 0.0}),
    "M8": ("neighbours value a weak IS-K as a card", "EER:12", {"neighbours.isk_card_gain": 0.0}),
    "M9": ("donors reward inclusion", "ALI:83", {"donors.inclusion_weight": 0.0}),
    "M10": ("the crackdown alienates Salafists", "TRT:35", {"recruitment.alienation_rate": 0.0}),
    "M11": ("engagement with China, Iran and Russia feeds IS-K's narrative", "TRT:37",
            {"fighters.narrative_weight": 0.0, "recruitment.propaganda_engagement": 0.0}),
    "M12": ("attacks abroad cost the regime its neighbours", "ALI:146",
            {"neighbours.attack_grievance": 0.0}),
    "M13 policy": ("factions lose loyalty over policy far from their wishes", "ALI:148c (assumed size)",
                   {"factions.policy_weight": 0.0}),
    "M13 posts": ("factions lose loyalty when short of posts (inclusion takes them)", "ALI:172, Roessler 2016",
                  {"factions.patronage_weight": 0.0, "factions.inclusion_posts": 0.0}),
    "M14": ("the hard-line factions resent action against guests", "ALI:231, ALI:259",
            {"factions.allies_weight": 0.0}),
    "M15": ("sanctuary lets the TTP attack Pakistan", "ALI:194", {"violence.sanctuary_effect": 0.0}),
    "M16": ("prison releases at the takeover", "EER:9, ALI:213",
            {"isk.prisoners_released": 0, "allies.ttp_prisoners_released": 0}),
    "M17": ("civil war: a vacuum for IS-K, doubts for commanders", "EER:17-18",
            {"recruitment.civil_war_vacuum": 0.0, "survival.civil_war_weight": 0.0}),
    "M18": ("transnational recruits", "TRT:39-41",
            {"fighters.transnational_pull": 0.0, "isk.foreign_fighter_inflow": 0.0}),
    "M19": ("IS-K's cells disperse to weak control", "ATI:41", {"isk.cell_dispersal": 0.0}),
    "M20": ("IS-K spoils engagement; sectarian attacks cost it", "ATI:9-11",
            {"violence.spoiler_effect": 0.0, "donors.sectarian_damage": 0.0}),
    "doubt: men leaving": ("a commander doubts as his own men leave", "assumed size (ALI:148 direction)",
                           {"survival.defection_weight": 0.0}),
    "doubt: arrears": ("unpaid wages in the commanders' doubts", "assumed size (Weinstein 2007)",
                       {"survival.pay_weight": 0.0}),
    "doubt: bandwagon": ("others' departures in a commander's doubts", "assumed size (Christia 2012)",
                         {"survival.bandwagon": 0.0}),
    "going over: power": ("commanders join the likely winner", "assumed size (Christia 2012)",
                          {"survival.power_weight": 0.0}),
    "going over: pay": ("commanders join the side that can pay", "assumed size (Salehyan 2009)",
                        {"survival.pay_pull": 0.0}),
    "resistance sponsors": ("hostile neighbours back the resistance", "assumed size (Salehyan 2009)",
                            {"neighbours.hostile_sponsorship": 0.0}),
    "repression backlash": ("blind repression feeds IS-K", "assumed size (Kalyvas 2006)",
                            {"recruitment.repression_backlash": 0.0}),
    "network disruption": ("selective repression breaks IS-K's networks", "assumed size (Johnston 2012)",
                           {"recruitment.network_disruption": 0.0}),
}
# A lever's price and benefit are channels: each is switched off by its overrides and read on the outcome the
# documents name for it, with the sign they claim (+1: the channel raises it). lever -> (the raised lever,
# (price: overrides, outcome, sign), (benefit: overrides, outcome, sign)). The lever is raised from its
# documented path, except the crackdown (already 0.8 from 2023), raised from none (LOW).
LEVERS = {
    "moderation": ({"policy.moderation": 1.0},
                   ({**M1_OFF, "factions.policy_weight": 0.0}, "defections", +1),       # ALI:148: hard-liners leave
                   ({"donors.moderation_weight": 0.0}, "western_engagement", +1)),       # ALI:83, ALI:263: aid
    "inclusion": ({"policy.inclusion": 1.0},
                  ({"factions.inclusion_posts": 0.0, "fighters.inclusion_grievance": 0.0},
                   "core_loyalty", -1),                                                  # M13: the core's posts
                  ({"fighters.exclusion_weight": 0.0, "fighters.demobilisation_weight": 0.0,
                    "resistance.recruit_rate": 0.0}, "resistance", -1)),                 # M17, ALI:275
    "crackdown": ({"policy.crackdown_isk": 1.0},
                  ({"recruitment.alienation_rate": 0.0, "recruitment.repression_backlash": 0.0},
                   "alienation", +1),                                                    # M10, TRT:35
                  ({"violence.crackdown_kill_rate": 0.0, "recruitment.network_disruption": 0.0,
                    "fighters.surrender_weight": 0.0}, "isk_mean", -1)),                 # ALI:128
    "action against allies": ({"policy.action_against_allies": 1.0},
                              ({"fighters.allied_action_weight": 0.0, "fighters.allies_grievance": 0.0,
                                "factions.allies_weight": 0.0, "recruitment.expulsion_alienation": 0.0},
                               "allied_defections", +1),                                 # M3, M14
                              ({"neighbours.counterterrorism_gain": 0.0, "donors.counterterrorism_weight": 0.0},
                               "regional_engagement", +1)),                              # ALI:101, ATI:51
    "foreign cooperation": ({"policy.foreign_cooperation": 1.0},
                            ({"fighters.cooperation_grievance": 0.0, "recruitment.propaganda_cooperation": 0.0,
                              "fighters.allied_cooperation_weight": 0.0}, "defections", +1),  # M4, ATI:45-47
                            ({"donors.counterterrorism_weight": 0.0}, "western_engagement", +1)),  # M5
}
LOW = {"crackdown": {"policy.crackdown_isk": 0.0}}
# a channel's effect on a further outcome, reported under the levers' table with why it is reported: channel ->
# (outcome, reason). M4 runs through IS-K's propaganda to Taliban defections (ATI:45-47), and its propaganda also
# brings recruits; IS-K takes on only the fighters it can pay, so whether the channel raises IS-K's whole intake is a
# separate question
ALSO = {"foreign cooperation: price": ("isk_intake", "IS-K takes on only the fighters it can pay")}
# per-replicate measures: name -> (column, how over the months the run lasted, label)
MEASURES = {
    "defections": ("defections_taliban_to_isk", "mean", "Taliban fighters who defected to IS-K a month (mean)"),
    "allied_defections": ("defections_allies_to_isk", "mean", "allied fighters who defected to IS-K a month (mean)"),
    "alienation": ("salafist_alienation", "mean", "Salafist alienation (mean)"),
    "western_engagement": ("western_engagement", "mean", "Western donors' engagement (mean)"),
    "regional_engagement": ("regional_engagement", "mean", "the regional states' engagement (mean)"),
    "core_loyalty": ("kandahar_loyalty", "mean", "the Kandahar leadership's loyalty (mean)"),
    "resistance": ("resistance_fighters", "mean", "the armed resistance's fighters (mean)"),
    # the channel sends fighters to IS-K three ways (defectors from the Taliban and the allies, recruits): all of them
    "isk_intake": (("isk_recruits", "defections_to_isk"), "mean", "fighters joining IS-K a month: recruits and "
                                                                  "defectors (mean)"),
    "isk_mean": ("isk_fighters", "mean", "IS-K's fighters (mean)"),
}
OUTCOMES = {"survived": "survival to the horizon", "isk": "IS-K fighters at the horizon or at the fall"}


PLACEBO_SEED = 1_000_003  # added to --seed: the placebo's replicate seeds
ORDER_SEED = 20210815  # the fixed order of the members (replicate r runs member r mod N of it), whatever the seed


def runs(args) -> tuple[str, pd.DataFrame]:
    """One configuration's replicates: survival, IS-K at the horizon or the fall, and the ensemble member."""
    from sim.runs.runner import run_replicates

    key, scenario, overrides, replicates, months, scale, seed = args
    exp = sim.load(scenario).set(overrides, months=months, scale=scale, seed=seed)
    ensemble = exp.ensemble()
    if ensemble is not None:  # every member, in the same order for every configuration and seed
        ensemble = ensemble.crossed(len(ensemble), ORDER_SEED)
    table, ends, _ = run_replicates(exp.params, months, seed, replicates, scale, progress=False, ensemble=ensemble)
    last = table.groupby("replicate").last()
    endings = pd.DataFrame(ends).set_index("replicate")
    out = pd.DataFrame({"survived": (~endings["fell"]).astype(float), "isk": last["isk_fighters"],
                        "member": endings["ensemble_member"]})
    for name, (column, how, _) in MEASURES.items():
        columns = [column] if isinstance(column, str) else list(column)  # several columns: their sum
        out[name] = getattr(table[columns].sum(axis=1).groupby(table["replicate"]), how)()
    return key, out


def effect_rows(name, kind, what, source, diffs: pd.DataFrame, member, claimed, seed, outcomes=OUTCOMES) -> list[dict]:
    """Rows of paired effects (``diffs``: one column per outcome, one row per replicate pair); ``claimed`` maps
    an outcome to the sign the documents expect."""
    rows = []
    for outcome in outcomes:
        diff = diffs[outcome].to_numpy()
        effect = effects.paired(effects.clustered(diff, member), statistic="mean", seed=seed)  # resampling members
        split = effects.decompose(diff, member)
        low, high = effect.low, effect.high
        sign = claimed.get(outcome, 0)
        rows.append({"switch": name, "kind": kind, "what": what, "source": source, "outcome": outcome,
                     "measure": OUTCOMES.get(outcome) or MEASURES[outcome][2],
                     "effect": float(diff.mean()), "low": low, "high": high,
                     "parametric_var": split.parametric, "chance_var": split.chance,
                     "excludes_zero": bool(low > 0 or high < 0), "claimed_sign": sign,
                     "as_claimed": bool(sign and (low > 0 if sign > 0 else high < 0)),
                     "members": int(len(set(member))), "pairs": int(diff.size)})
    return rows


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scenario", default="baseline", help="the documented path (default: the shipped baseline)")
    parser.add_argument("--replicates", type=int, default=24)
    parser.add_argument("--months", type=int, default=120)
    parser.add_argument("--scale", type=float, default=0.25)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", default="results/ablation")
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    settings = (args.replicates, args.months, args.scale, args.seed)
    jobs = [("documented path", {}), ("placebo", {})] + [(f"off: {k}", v[2]) for k, v in MECHANISMS.items()]
    for lever, (raised, price, benefit) in LEVERS.items():
        low = LOW.get(lever, {})
        jobs.append((f"{lever}: raised", raised))
        if low:
            jobs.append((f"{lever}: low", low))
        for channel, (off, _, _) in (("price", price), ("benefit", benefit)):
            jobs += [(f"{lever}: raised, {channel} off", {**raised, **off}), (f"{lever}: {channel} off", {**low, **off})]
    started, results = time.time(), {}
    tasks = [(k, args.scenario, o, *settings[:3], args.seed + (PLACEBO_SEED if k == "placebo" else 0))
             for k, o in jobs]
    pool = ProcessPoolExecutor(args.workers) if args.workers > 1 else None  # one worker: in this process
    try:
        for i, (key, table) in enumerate((pool.map if pool else map)(runs, tasks), 1):
            results[key] = table
            print(f"[{i}/{len(jobs)}] {key} ({time.time() - started:.0f} s)", file=sys.stderr)
    finally:
        if pool:
            pool.shutdown()
    base = results["documented path"]
    member = base["member"].to_numpy()
    assert (results["placebo"]["member"].to_numpy() == member).all()  # the same members, other seeds
    rows = effect_rows("placebo", "mechanism off", "nothing off: the same members on other seeds (chance alone)", "",
                       results["placebo"] - base, member, {}, args.seed)
    for name, (what, source, _) in MECHANISMS.items():
        diffs = results[f"off: {name}"] - base
        rows += effect_rows(name, "mechanism off", what, source, diffs, member, {}, args.seed)
    for lever, (_, price, benefit) in LEVERS.items():
        raised = results[f"{lever}: raised"]
        start = results[f"{lever}: low"] if lever in LOW else base
        for channel, (_, measure, sign) in (("price", price), ("benefit", benefit)):
            # the part of raising the lever that runs through the channel (a difference in differences):
            # (raised - documented) with the channel on, less the same with it off
            off = results[f"{lever}: raised, {channel} off"] - results[f"{lever}: {channel} off"]
            diffs = (raised - start) - off
            name = f"{lever}: {channel}"
            also = (ALSO[name][0],) if name in ALSO else ()
            rows += effect_rows(name, f"lever's {channel}", f"what raising {lever} to 1 does through its {channel} "
                                "channel", "", diffs, member, {measure: sign}, args.seed,
                                outcomes=(measure, *also, *OUTCOMES))
    table = pd.DataFrame(rows)
    table.to_csv(out / "ablation.csv", index=False)
    (out / "ablation.md").write_text(markdown(table, args))
    manifest = {"experiment": "ablation", "version": sim.__version__ if hasattr(sim, "__version__") else None,
                "git": git(), "command": command_line(), "replicates": args.replicates, "months": args.months,
                "scale": args.scale, "seed": args.seed, "scenario": f"{args.scenario} (its calibrated ensemble)",
                "seconds": round(time.time() - started, 1)}
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    print(f"wrote {out / 'ablation.csv'} and {out / 'ablation.md'} in {time.time() - started:.0f} s")
    return 0


def markdown(table: pd.DataFrame, args) -> str:
    """The documentation's tables: the mechanisms switched off, then each lever's price and benefit."""
    def cell(row, outcome):
        fmt = "{:+.2f} [{:+.2f}, {:+.2f}]" if outcome in ("survived", "western_engagement", "regional_engagement",
                                                          "core_loyalty", "alienation") else "{:+,.0f} [{:+,.0f}, {:+,.0f}]"
        against = row.claimed_sign and row.excludes_zero and not row.as_claimed
        mark = " (as claimed)" if row.as_claimed else (" (against the claim)" if against else "")
        return fmt.format(row.effect, row.low, row.high) + mark
    placebo = table[(table.switch == "placebo")].set_index("outcome")
    used, total = int(table.members.max()), len(sim.load("baseline").ensemble() or ())
    mapped = (f"every one of its {total} members" if used >= total else
              f"{used} of its {total} members, the first {used} of a fixed random order of them")
    lines = [f"Paired on the calibrated ensemble ({mapped}, replicate r running the r-th member of that order), "
             f"{args.replicates} replicates on the same seeds (seed "
             f"{args.seed}), {args.months} months, scale {args.scale}; 95% intervals from a bootstrap clustered by "
             f"member. Over ten years paired runs drift apart, so each row is compared with one sample of chance: the "
             f"placebo (the documented path on other seeds, the same members) shows what chance alone gives, "
             f"{cell(placebo.loc['survived'], 'survived')} in survival and {cell(placebo.loc['isk'], 'isk')} IS-K "
             f"fighters. A mechanism's effect is distinguishable from chance only where it lies outside the "
             f"placebo's interval.", "",
             "**Each mechanism switched off** on the documented path (off minus on): survival to the horizon (share "
             "of replicates) and IS-K fighters at the horizon or at the fall.", "",
             "| switch | what | source | survival | IS-K fighters |", "|---|---|---|---|---|"]
    mechanisms = table[table.kind == "mechanism off"]
    for name, group in mechanisms.groupby("switch", sort=False):
        by = group.set_index("outcome")
        first = group.iloc[0]
        lines.append(f"| {name} | {first.what} | {first.source} | {cell(by.loc['survived'], 'survived')} | "
                     f"{cell(by.loc['isk'], 'isk')} |")
    lines += ["", "**Each lever's price and benefit**: raising the lever to 1 on the documented path, the part of "
              "its effect that runs through the channel (with the channel on, less with it off), on the outcome "
              "the documents name for that channel, then on survival and IS-K.", "",
              "| lever: channel | outcome | effect on it | survival | IS-K fighters |", "|---|---|---|---|---|"]
    levers = table[table.kind != "mechanism off"]
    for name, group in levers.groupby("switch", sort=False):
        by = group.set_index("outcome")
        own = group.iloc[0]
        lines.append(f"| {name} | {own.measure} | {cell(own, own.outcome)} | {cell(by.loc['survived'], 'survived')} | "
                     f"{cell(by.loc['isk'], 'isk')} |")
    for name, (outcome, reason) in ALSO.items():
        row = levers[(levers.switch == name) & (levers.outcome == outcome)]
        if len(row):
            lines += ["", f"{name[0].upper()}{name[1:]}, on a further outcome: {MEASURES[outcome][2]}, "
                      f"{cell(row.iloc[0], outcome)} ({reason})."]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    raise SystemExit(main())
