"""The README's result sections are generated from the results files and must agree with them."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from sim.analysis.experiments import SCALE
from sim.interfaces import analysis_cli, readme
from sim.interfaces.cli import main

ROOT = Path(__file__).resolve().parents[2]


def test_the_readme_is_a_front_door_and_agrees_with_the_results_files():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 250, "the README is a front door: at most 250 lines; the rest goes to docs/"
    names = [m.group("name") for m in readme.BLOCK.finditer(text)]
    assert names == ["outside_view", "headline"] and set(names) <= set(readme.SOURCES)
    _, changed = readme.render(text, ROOT / "experiments" / "results")
    assert not changed, f"README.md is out of date in {changed}: run 'regime-sim readme'"


def test_the_check_fails_when_a_result_changes_and_the_command_repairs_it(tmp_path, capsys):
    results = tmp_path / "results"
    shutil.copytree(ROOT / "experiments" / "results", results)
    copy = tmp_path / "README.md"
    shutil.copyfile(ROOT / "README.md", copy)
    claims = results / "claims" / "claims.json"
    claims.write_text(re.sub(r'"verdict": "[^"]+"', '"verdict": "99% was"', claims.read_text(), count=1))
    argv = ["readme", "--readme", str(copy), "--results", str(results)]
    assert main([*argv, "--check"]) == readme.DRIFTED
    assert "headline" in capsys.readouterr().err
    assert main(argv) == 0 and "99% was" in copy.read_text()
    assert main([*argv, "--check"]) == 0


def test_a_missing_results_file_is_one_line_and_exit_2(tmp_path, capsys):
    assert main(["readme", "--check", "--results", str(tmp_path), "--readme", str(ROOT / "README.md")]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "regime-sim" in err


def test_claims_run_at_the_experiments_scale_by_default():
    assert analysis_cli.CLAIMS_SCALE == SCALE


def test_the_readmes_scenario_example_loads_and_sets_what_it_says(tmp_path):
    """The README's TOML example, copied as it stands into a scenario file, loads and sets its levers."""
    from sim.runs.scenario import load

    example = re.search(r"```toml\n(.*?)```", Path("README.md").read_text(encoding="utf-8"), flags=re.S).group(1)
    path = tmp_path / "my_policy.toml"
    path.write_text(example, encoding="utf-8")
    params = load(path).parameters()
    assert params["external.sanctions"] == 0.5
    moderation = params.lever_path("policy.moderation", 60)
    assert moderation[0] == 0.1 and moderation[53] == 0.6  # 2026-01 is month 53 from August 2021
