"""The documentation site: its generated pages come from the code and the results, and it builds with warnings as
errors (CI builds it too, in .ci/run)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sim.interfaces import docs_pages, readme
from sim.model.outcomes import OUTCOMES
from sim.model.params import SPECS
from sim.runs import codebook

ROOT = Path(__file__).resolve().parents[2]


def test_the_parameter_page_lists_every_parameter_with_its_provenance():
    page = docs_pages.parameters()
    for spec in SPECS:
        row = next(line for line in page.splitlines() if line.startswith(f"| `{spec.name}` |"))
        assert str(spec.provenance).split()[0].replace("|", "\\|") in row, spec.name


def test_the_outcome_page_holds_every_codebook_entry():
    page = docs_pages.outcomes()
    names = [*OUTCOMES, *codebook.RUNS, *codebook.POINTS, *codebook.RUN_SUMMARY, *codebook.SWEEP_SUMMARY]
    missing = [n for n in names if f"`{n}`" not in page]
    assert not missing, missing


def test_result_pages_come_from_the_results_files_and_link_only_to_files_that_exist(tmp_path):
    fragments = docs_pages.results_fragments(ROOT / "experiments" / "results")
    assert set(fragments) == set(readme.SOURCES)
    page = tmp_path / "docs" / "explanation"  # where the pages that include them sit
    page.mkdir(parents=True)
    for name, text in fragments.items():
        for target in re.findall(r"\]\(([^)\s]+)\)", text):
            assert not target.endswith(".md"), f"{name}: a link to a page outside the site: {target}"
            assert target.startswith(docs_pages.UP), f"{name}: {target}"
            assert (ROOT / target[len(docs_pages.UP):]).exists(), f"{name}: {target} does not exist"


def test_writing_the_pages_copies_the_notebooks_and_changes_nothing_twice(tmp_path):
    for folder in ("experiments", "notebooks", "scenarios"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    (tmp_path / "docs" / "tutorials").mkdir(parents=True)
    written = docs_pages.write(tmp_path)
    assert {p.name for p in written} >= {"parameters.md", "outcomes.md", "findings.md",
                                        *(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))}
    before = {p: p.stat().st_mtime_ns for p in written}
    docs_pages.write(tmp_path)
    assert {p: p.stat().st_mtime_ns for p in written} == before


@pytest.mark.slow
def test_the_site_builds_with_warnings_as_errors(tmp_path):
    pytest.importorskip("sphinx", reason="the docs extra: pip install -e '.[docs]'")
    pytest.importorskip("myst_nb")
    done = subprocess.run([sys.executable, "-m", "sphinx", "-W", "-q", "-b", "html", str(ROOT / "docs"),
                           str(tmp_path / "html")], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-3000:]
    assert (tmp_path / "html" / "reference" / "cli.html").read_text().count("reproduce") > 0
