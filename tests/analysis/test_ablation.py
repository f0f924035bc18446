"""The ablation experiment (experiments/ablation.py) at a tiny size: every mechanism and every lever channel gets a
row per outcome, with an interval from the effects module and a claimed sign for the lever channels."""

import pandas as pd

from conftest import load_experiment


def test_the_ablation_writes_a_row_for_every_switch_and_channel(tmp_path):
    ablation = load_experiment("ablation")
    out = tmp_path / "ablation"
    assert ablation.main(["--replicates", "6", "--months", "4", "--scale", "0.02", "--workers", "1",
                          "--out", str(out)]) == 0
    table = pd.read_csv(out / "ablation.csv")
    mechanisms = table[table["kind"] == "mechanism off"]
    assert set(mechanisms["switch"]) == {"placebo", *ablation.MECHANISMS}
    assert set(mechanisms["outcome"]) == {"survived", "isk"}
    channels = table[table["kind"] != "mechanism off"]
    assert set(channels["switch"]) == {f"{lever}: {c}" for lever in ablation.LEVERS for c in ("price", "benefit")}
    own = channels.groupby("switch").first()  # each channel's own outcome comes first, with its claimed sign
    assert (own["claimed_sign"] != 0).all() and (own["low"] <= own["effect"] + 1e-9).all()
    assert {"parametric_var", "chance_var", "members", "pairs"} <= set(table.columns)
    text = (out / "ablation.md").read_text()
    assert "Each mechanism switched off" in text and "Each lever's price and benefit" in text


def test_the_placebo_runs_the_same_members_on_other_seeds(tmp_path):
    """The placebo pairs each replicate with the same member on another seed: over a few months at a tiny scale the
    IS-K counts differ (chance), and every member of the ensemble is behind the rows (a member x seed design)."""
    ablation = load_experiment("ablation")
    settings = ("baseline", {}, 4, 6, 0.02)
    _, base = ablation.runs(("base", *settings, 7))
    _, placebo = ablation.runs(("placebo", *settings, 7 + ablation.PLACEBO_SEED))
    _, again = ablation.runs(("base", *settings, 7))
    assert (base["member"] == placebo["member"]).all() and base["member"].nunique() == 4
    assert base.equals(again) and not base["isk"].equals(placebo["isk"])
