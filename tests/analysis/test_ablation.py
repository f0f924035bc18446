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
    assert set(mechanisms["switch"]) == set(ablation.MECHANISMS)
    assert set(mechanisms["outcome"]) == {"survived", "isk"}
    channels = table[table["kind"] != "mechanism off"]
    assert set(channels["switch"]) == {f"{lever}: {c}" for lever in ablation.LEVERS for c in ("price", "benefit")}
    own = channels.groupby("switch").first()  # each channel's own outcome comes first, with its claimed sign
    assert (own["claimed_sign"] != 0).all() and (own["low"] <= own["effect"] + 1e-9).all()
    assert {"parametric_var", "chance_var", "members", "pairs"} <= set(table.columns)
    text = (out / "ablation.md").read_text()
    assert "Each mechanism switched off" in text and "Each lever's price and benefit" in text
