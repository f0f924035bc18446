"""The README's commands, as a new user would run them, and the files a run writes."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd

README = Path("README.md").read_text()
REQUIRED = ("replicate, month, date, regime_survives, taliban_fighters, isk_fighters, ttp_fighters, "
            "defections_to_isk, isk_attacks, isk_attacks_on_taliban, isk_attacks_abroad, ttp_attacks_pakistan, "
            "isk_provinces, gdp_index, poverty_rate, people_in_need, aid, recognition").split(", ")


def readme_commands():
    blocks = re.findall(r"```bash\n(.*?)```", README, flags=re.S)
    return blocks[0].strip(), blocks[1].strip()


def test_ci_runs_exactly_the_readme_commands():
    ci = Path(".ci/run").read_text()
    for command in readme_commands():
        assert command in ci


def test_readme_run_command_works_as_written(tmp_path):
    install_and_run, _ = readme_commands()
    run = install_and_run.split("&&")[-1].strip().split()
    assert run[0] == ".venv/bin/regime-sim"
    out = tmp_path / "baseline"
    args = [sys.executable, "-m", "sim", *run[1:-1], str(out), "--replicates", "2", "--months", "14",
            "--scale", "0.05", "--quiet"]
    assert run[-2] == "--out"
    done = subprocess.run(args, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert {"timeseries.csv", "summary.json", "manifest.json", "dashboard.png"} <= {p.name for p in out.iterdir()}
    table = pd.read_csv(out / "timeseries.csv")
    assert list(table.columns[: 4]) == REQUIRED[:4] and set(REQUIRED) <= set(table.columns)
    assert len(table) == 2 * 14 and table["date"].iloc[0] == "2021-08" and table["date"].iloc[13] == "2022-09"
    summary = json.loads((out / "summary.json").read_text())
    assert 0 <= summary["survival_probability"] <= 1 and summary["replicates"] == 2
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["run"]["root_seed"] == 20210815 and len(manifest["seeds"]) == 2
    assert manifest["parameters"]["policy.crackdown_isk"] == {"2021-08": 0.5, "2022-01": 0.7, "2023-01": 0.8}
    assert (out / "dashboard.png").read_bytes()[:4] == b"\x89PNG"


def test_params_table_lists_every_parameter_with_provenance(capsys):
    from sim.interfaces.cli import main
    from sim.model.params import SPECS
    assert main(["params", "--format", "csv"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0] == "name,default,allowed,unit,provenance" and len(lines) == len(SPECS) + 1
    assert main(["params", "policy.moderation"]) == 0
    assert "ALI:49" in capsys.readouterr().out

