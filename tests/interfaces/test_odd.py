"""The ODD says what the code does: its generated sections match the code, every parameter the
code reads is in a section, and every file and test it names exists (issue 33)."""

import inspect
import re
from pathlib import Path

from sim.interfaces import odd

ROOT = Path(__file__).resolve().parents[2]
TEXT = odd.odd_path().read_text(encoding="utf-8")
BOOKKEEPING = {"isk_held_provinces = ...", "records.append", "datacollector.collect", "running = ..."}


def test_the_odds_generated_sections_match_the_code():
    assert odd.main(["--check"]) == 0, "docs/ODD.md is out of date: run python -m sim.interfaces.odd"
    names = {m.group("name") for m in odd.BLOCK.finditer(TEXT)}
    assert {"schedule", "entities", "streams", "parameters"} <= names


def _step_with_a_new_phase() -> str:
    from sim.model.model import RegimeModel
    source = inspect.getsource(RegimeModel.step)
    anchor = "        survival.check_survival(self)"
    assert anchor in source
    return source.replace(anchor, "        self.update_sponsors()                             # a new mechanism (M21)\n"
                          + anchor)


def test_adding_a_phase_to_the_step_without_the_odd_fails():
    """The drift check fails when RegimeModel.step gains a phase the ODD's table does not have."""
    source = _step_with_a_new_phase()
    assert odd.rewrite(TEXT, source) != TEXT
    assert any(row["code"] == "update_sponsors" for row in odd.phases(source))


def test_every_phase_has_a_description_and_a_submodel_section():
    for row in odd.phases():
        if row["code"] in BOOKKEEPING:
            continue
        assert row["what"], f"phase {row['code']} has no comment in RegimeModel.step and no docstring"
        assert odd.section_of(row["code"], TEXT), (
            f"phase {row['code']} is described in no ### 7.x section (name it in backticks in the heading)")


def test_a_new_phase_without_a_section_is_caught():
    rows = [r for r in odd.phases(_step_with_a_new_phase()) if r["code"] == "update_sponsors"]
    assert rows and not odd.section_of(rows[0]["code"], TEXT)


def _described(text: str) -> str:
    """The ODD without its parameter table (a name there is not a description)."""
    return re.sub(r"<!-- generated: parameters .*?<!-- end generated: parameters -->", "", text, flags=re.S)


def _mentioned(name: str, text: str) -> bool:
    short = re.sub(r"^(factions|neighbours)\.[a-z]+\.", r"\1.<key>.", name)
    return name in text or short in text


def test_every_parameter_the_code_reads_appears_in_an_odd_section():
    reads = odd.parameter_reads()
    from sim.model.params import SPECS
    assert len(reads) >= 0.95 * len(SPECS), "the trace runs reach too little of the code"
    missing = [n for n in reads if not _mentioned(n, _described(TEXT))]
    assert not missing, f"read by the code but in no ODD section: {missing}"


def test_a_parameter_dropped_from_the_odd_is_caught():
    text = re.sub(r"<!-- generated: params-7\.4a .*?<!-- end generated: params-7\.4a -->", "", TEXT, flags=re.S)
    text = text.replace("neighbours.pakistan.war_cost", "")
    assert "neighbours.pakistan.war_cost" in odd.parameter_reads()
    assert not _mentioned("neighbours.pakistan.war_cost", _described(text))


PATH = re.compile(r"`((?:sim|tests|scenarios|docs|seeds|experiments|notebooks)/[\w./<>*-]+?)(?::\w+)?`")
TEST = re.compile(r"`(test_\w+)`")


def test_every_file_the_odd_names_exists():
    missing = []
    for path in set(PATH.findall(TEXT)):
        pattern = re.sub(r"<[^>]+>", "*", path)
        if not list(ROOT.glob(pattern)):
            missing.append(path)
    assert not missing, f"named in the ODD but absent: {sorted(missing)}"


def test_every_test_the_odd_names_exists():
    defined = set()
    for path in (ROOT / "tests").rglob("test_*.py"):
        defined |= set(re.findall(r"^def (test_\w+)", path.read_text(encoding="utf-8"), re.M))
    missing = sorted(set(TEST.findall(TEXT)) - defined)
    assert not missing, f"tests named in the ODD that do not exist: {missing}"


def test_the_table_shows_what_the_baseline_runs():
    drawn = odd.ensemble_summary()
    assert drawn, "the baseline has no ensemble"
    table = odd.parameter_table()
    for name, (median, low, high) in drawn.items():
        assert low <= median <= high
        row = next(line for line in table.splitlines() if line.startswith(f"| {name} |"))
        assert f"[{odd._g(low)}, {odd._g(high)}]" in row
        assert "(prior " in row  # the calibration's prior beside the ensemble's spread (issue 33)


def test_params_for_the_baseline_show_the_ensembles_spread_beside_the_default(capsys):
    import csv
    import io

    from sim.interfaces.cli import main
    from sim.model.params import SPEC_BY_NAME

    drawn = odd.ensemble_summary("baseline")
    assert main(["params", "--scenario", "baseline", "--format", "csv"]) == 0
    rows = {r["name"]: r for r in csv.DictReader(io.StringIO(capsys.readouterr().out))}
    assert len(rows) == len(SPEC_BY_NAME)
    for name, (median, low, high) in drawn.items():
        row = rows[name]
        assert row["value"] == "drawn" and row["default"] == str(SPEC_BY_NAME[name].default)
        assert row["ensemble median [10%, 90%]"] == f"{median:.3g} [{low:.3g}, {high:.3g}]"
        assert row["calibration prior"] != "-"
    assert rows["population.total"]["ensemble median [10%, 90%]"] == "-"
    assert main(["params", "--scenario", "baseline", "taliban.intelligence_build_months"]) == 0
    out = capsys.readouterr().out
    assert "drawn from the scenario's ensemble: median [10%, 90%]" in out and "calibration prior 8 to 240" in out


def test_the_prior_of_a_log_scale_parameter_says_so(tmp_path, monkeypatch):
    """The calibration prior comes from the ensemble's provenance, with its scale."""
    import json

    from sim.runs.scenario import load

    record = json.loads(load("baseline").ensemble.path.with_suffix(".json").read_text())
    priors = odd.ensemble_priors("baseline")
    assert set(priors) == set(odd.ensemble_summary("baseline"))
    for name in record["settings"].get("log", []):
        assert priors[name].endswith(", log scale")
