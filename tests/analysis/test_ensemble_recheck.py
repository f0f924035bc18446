"""experiments/ensemble_recheck.py at a tiny size: members of the shipped ensemble re-run on fresh seeds, scored as
the calibration scores them, with the table the documentation shows and the manifest of what produced it."""

import json

import pandas as pd

from conftest import load_experiment


def test_the_recheck_scores_drawn_members_on_fresh_seeds_and_records_it(tmp_path, capsys):
    recheck = load_experiment("ensemble_recheck")
    out = tmp_path / "recheck"
    recheck.main(["scenarios/ensemble/baseline.csv", "--members", "2", "--replicates", "2", "--workers", "1",
                  "--out", str(out)])
    table = pd.read_csv(out / "recheck.csv")
    assert len(table) == 2 and table["member"].is_unique and table["max_implausibility"].notna().all()
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["recheck"]["drawn"] == 2 and manifest["recheck"]["members"] == table["member"].tolist()
    assert manifest["version"] and manifest["git"]
    text = (out / "recheck.md").read_text()
    assert "of 2 members" in text and text.count("\n| ") == 3  # the header and one row a member
    assert "stay below" in capsys.readouterr().out
    assert manifest["recheck"]["meet_every_target"] == int(table["meets_targets"].sum())
    assert "every target's median met" in text
    # another set of fresh seeds: another root, the same members
    other = tmp_path / "recheck-2"
    recheck.main(["scenarios/ensemble/baseline.csv", "--members", "2", "--replicates", "2", "--workers", "1",
                  "--out", str(other), "--fresh-set", "2"])
    again = json.loads((other / "manifest.json").read_text())["recheck"]
    assert again["members"] == manifest["recheck"]["members"] and again["root_seed"] != manifest["recheck"]["root_seed"]
