"""Citable outputs: the version everywhere, the git commit in manifests, a codebook with every run."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pandas as pd

from sim import __version__
from sim.interfaces.cli import main
from sim.model import outcomes
from sim.model.outcomes import FLOWS, OUTCOMES, codebook, unit
from sim.runs import outputs

ROOT = Path(__file__).resolve().parents[2]


def test_the_version_is_the_same_in_the_package_the_changelog_and_the_citation():
    project = re.search(r'^version = "([^"]+)"', (ROOT / "pyproject.toml").read_text(), re.M).group(1)
    assert __version__ == project
    assert re.search(rf"^version: {re.escape(project)}$", (ROOT / "CITATION.cff").read_text(), re.M)
    assert re.search(r"^## (\S+)", (ROOT / "CHANGELOG.md").read_text(), re.M).group(1) == project


def test_every_outcome_has_a_unit_and_flows_are_counts_per_month():
    rows = codebook()
    assert [r["name"] for r in rows] == list(OUTCOMES)
    missing = [r["name"] for r in rows if r["unit"] == outcomes.UNKNOWN]
    assert not missing, f"add the units of {missing} to sim.model.outcomes.UNITS"
    assert all(r["unit"] and r["definition"] for r in rows)
    assert unit("isk_fighters") == "fighters" and unit("isk_attacks") == "attacks per month"
    assert unit("aid") == "USD billion a year" and unit("poverty_rate").endswith("0-1")
    assert {"defections_to_isk", "isk_attacks", "isk_attacks_on_taliban", "isk_recruits"} <= FLOWS
    assert not {"isk_fighters", "moderation", "gdp_index"} & FLOWS


def test_a_run_writes_its_codebook_and_its_manifest_holds_the_commit(tmp_path):
    out = tmp_path / "run"
    assert main(["run", "baseline", "--months", "3", "--replicates", "1", "--scale", "0.01", "--quiet",
                 "--out", str(out)]) == 0
    table = pd.read_csv(out / "timeseries.csv")
    book = pd.read_csv(out / "codebook.csv")
    assert list(book.loc[book["table"] == "timeseries.csv", "name"]) == list(table.columns)
    assert set(book.loc[book["table"] == "summary.json", "name"]) == set(json.loads((out / "summary.json").read_text()))
    assert book["unit"].notna().all() and book["definition"].notna().all()
    manifest = json.loads((out / "manifest.json").read_text())
    head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True, text=True).stdout
    assert manifest["version"] == __version__
    assert manifest["git"]["commit"] == head.strip() and isinstance(manifest["git"]["dirty"], bool)
    assert manifest["environment"]["git"] == manifest["git"]


def test_outside_a_git_checkout_the_commit_is_unknown_not_an_error(monkeypatch, tmp_path):
    fake = tmp_path / "site-packages" / "sim" / "runs" / "outputs.py"
    monkeypatch.setattr(outputs, "__file__", str(fake))
    outputs.git.cache_clear()
    try:
        assert outputs.git()["commit"] is None and outputs.git()["dirty"] is None
    finally:
        outputs.git.cache_clear()


def _strings(value):
    if isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)
    elif isinstance(value, str):
        yield value


def _absolute(manifest: dict) -> list[str]:
    """Every string of a manifest that holds an absolute path (a word starting with / or a drive letter)."""
    return [s for s in _strings(manifest) if re.search(r"(^|[\s=])(/[\w.-]+/|[A-Za-z]:\\)", s)]


def test_manifests_record_relative_paths_only(tmp_path, monkeypatch):
    out = tmp_path / "run"  # absolute, like the scenario: both recorded relative
    monkeypatch.chdir(tmp_path)
    assert main(["run", str(ROOT / "scenarios" / "baseline.toml"), "--months", "2", "--replicates", "1",
                 "--scale", "0.01", "--quiet", "--out", str(out)]) == 0
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["scenario"]["path"] == "scenarios/baseline.toml"
    assert manifest["scenario"]["extends_chain"] == ["scenarios/baseline.toml"]
    assert manifest["ensemble"]["path"] == "scenarios/ensemble/baseline.csv"
    assert not _absolute(manifest), _absolute(manifest)


def test_a_recorded_path_is_found_again_from_anywhere(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert outputs.relative(ROOT / "seeds" / "directional_claims.toml") == "seeds/directional_claims.toml"
    assert outputs.relative(tmp_path / "mine" / "x.toml") == "mine/x.toml"
    assert outputs.recorded("scenarios/baseline.toml") == ROOT / "scenarios" / "baseline.toml"


def test_every_column_of_every_sweep_table_has_a_codebook_entry(tmp_path):
    scenario = tmp_path / "s.toml"
    scenario.write_text(f'extends = "{(ROOT / "scenarios" / "baseline.toml").as_posix()}"\nname = "s"\nmonths = 3\n'
                        'scale = 0.01\n[sweep]\ndesign = "grid"\nreplicates = 2\n'
                        'outcomes = ["isk_fighters", "aid", "isk_attacks"]\n[sweep.vary]\n'
                        '"policy.moderation" = [0.0, 1.0]\n"economy.liquidity_pace_without_dollars" = [0.5]\n',
                        encoding="utf-8")
    out = tmp_path / "sweep"
    assert main(["sweep", str(scenario), "--out", str(out), "--workers", "1", "--quiet"]) == 0
    book = pd.read_csv(out / "codebook.csv")
    assert book[["unit", "definition", "kind"]].notna().all().all()
    tables = {"runs": pd.read_parquet(out / "runs").columns, "points.csv": pd.read_csv(out / "points.csv").columns,
              "timeseries": pd.read_parquet(out / "timeseries").columns,
              "summary.json": list(json.loads((out / "summary.json").read_text()))}
    for table, columns in tables.items():
        documented = set(book.loc[book["table"] == table, "name"])
        missing = [c for c in columns if c not in documented]
        assert not missing, f"{table}: no codebook entry for {missing}"
    for name in ("survived", "fall_month", "fall_cause", "status", "error", "point", "seed_entropy",
                 "ensemble_member", "policy.moderation"):
        assert name in set(book.loc[book["table"] == "runs", "name"]), name


def test_the_citation_file_is_valid_and_has_a_release_date():
    from datetime import date

    from cffconvert.cli.create_citation import create_citation

    create_citation(str(ROOT / "CITATION.cff"), None).validate()  # raises on a schema error
    released = re.search(r'^date-released: "?(\d{4}-\d{2}-\d{2})"?$', (ROOT / "CITATION.cff").read_text(), re.M)
    assert released, "CITATION.cff needs date-released"
    date.fromisoformat(released.group(1))
