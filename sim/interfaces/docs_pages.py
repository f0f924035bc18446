"""The documentation site's generated pages, written at build time (``docs/conf.py`` calls :func:`write`).

What the code and the results files already say is never copied by hand into the documentation, so it cannot
drift: the build writes these fragments into ``docs/_generated/`` (not kept in git) and the pages include them:

- ``parameters.md``: every parameter of the parameter tree (:data:`sim.model.params.SPECS`) with its default,
  allowed range, unit, description and provenance;
- ``outcomes.md``: the codebooks (:mod:`sim.runs.codebook`): the monthly outcomes, the run statistics, a sweep's
  runs table, points.csv and both kinds of summary.json;
- ``findings.md``, ``claims.md``, ``corners.md``, ``fall_process.md``, ``which_horn.md``, ``validation.md``,
  ``calibration_run.md``: the results in ``experiments/results`` and ``scenarios/ensemble``, through the same
  functions that write the README's generated section (:mod:`sim.interfaces.readme`);
- ``tutorials/*.ipynb``: the notebooks, copied from ``notebooks/`` (rendered, not executed).

``python -m sim.interfaces.docs_pages`` writes them without building the site.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

# the pages that include the fragments sit one folder below docs/: paths to the project's files start with ../../
UP = "../../"


def _cell(text) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def parameters() -> str:
    from sim.model.params import SPECS

    groups: dict[str, list] = {}
    for spec in SPECS:
        groups.setdefault(spec.name.split(".")[0], []).append(spec)
    out = [f"{len(SPECS)} parameters in {len(groups)} groups. Each default has its provenance: a **claim** of the "
           "seed documents (quoted in `seeds/claims.toml`), an external **source**, a **calibration** (the targets "
           "named) or an explicit **assumption** (the reason given). `regime-sim params NAME` prints one in full, "
           "with the quoted passages.", ""]
    for group, specs in groups.items():
        out += [f"## `{group}`", "", "| parameter | default | allowed | unit | what it is | provenance |",
                "|---|---|---|---|---|---|"]
        out += [f"| `{s.name}` | {_cell(s.default)} | {_cell(s.range_text)} | {_cell(s.unit)} | {_cell(s.doc)} | "
                f"{_cell(s.provenance)} |" for s in specs]
        out.append("")
    return "\n".join(out)


def outcomes() -> str:
    from sim.model.outcomes import RUN_STATISTICS, codebook as monthly
    from sim.runs import codebook

    def table(rows, columns=("name", "unit", "definition", "kind")):
        lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
        lines += ["| " + " | ".join(f"`{r[c]}`" if c == "name" else _cell(r[c]) for c in columns) + " |" for r in rows]
        return "\n".join(lines)

    book = lambda entries, kind=None: [{"name": k, "unit": v[0], "definition": v[1],  # noqa: E731
                                        "kind": v[2] if len(v) > 2 else kind} for k, v in entries.items()]
    return "\n\n".join([
        "Every column of every output table, as the `codebook.csv` written beside it says (`sim/runs/codebook.py`; "
        "a test fails when a table gains a column without an entry).",
        "## A run: `timeseries.csv`", "One row per replicate and month it ran (a run ends at the regime's fall). "
        "A stock is a level in the month; a flow a count per month.", table(monthly()),
        "## A run: `summary.json`", table(book(codebook.RUN_SUMMARY, "summary")),
        "## A sweep: the runs table (`runs/*.parquet`)", "One row per run (point and replicate): the columns "
        "below, each swept parameter under its own name, and for each kept outcome `NAME_STAT`:",
        table([{"name": f"NAME_{k}", "unit": "the outcome's", "definition": v, "kind": "run statistic"}
               for k, v in RUN_STATISTICS.items()]),
        table(book(codebook.RUNS)),
        "## A sweep: `points.csv`", "One row per design point: the swept parameters, the columns below, and for "
        "each kept outcome `NAME_STAT` across the point's replicates:",
        table([{"name": f"NAME_{k}", "unit": "the outcome's", "definition": v, "kind": "statistic"}
               for k, v in codebook.POINT_STATISTICS.items()]),
        table(book(codebook.POINTS)),
        "## A sweep: the time series (`timeseries/*.parquet`)", "`run_id`, `point`, `replicate`, `month` and the "
        "kept outcomes (as in `timeseries.csv` above), one row per run and month it ran.",
        "## A sweep: `summary.json`", table(book(codebook.SWEEP_SUMMARY, "summary")),
    ]) + "\n"


def _for_docs(text: str) -> str:
    """A README fragment made for the documentation: links to the results files from the page's folder; links to
    results pages (.md files outside the site) as their paths."""
    text = re.sub(r"\[([^\]]+)\]\((experiments/results/[^)]+\.md)\)", r"\1 (`\2`)", text)
    text = re.sub(r"\[`?experiments/results/`?\]\(experiments/results/\)", "`experiments/results/`", text)
    return re.sub(r"\]\((experiments/|docs/|scenarios/)", rf"]({UP}\1", text)


def results_fragments(results: Path) -> dict[str, str]:
    from sim.interfaces import readme

    return {name: _for_docs(source(results)) for name, source in readme.SOURCES.items()}


def write(root: Path | None = None, results: Path | None = None) -> list[Path]:
    """Write every generated fragment into ``docs/_generated`` and the notebooks into ``docs/tutorials``."""
    root = Path(root) if root else Path(__file__).resolve().parents[2]
    out = root / "docs" / "_generated"
    out.mkdir(parents=True, exist_ok=True)
    pages = {"parameters": parameters(), "outcomes": outcomes(),
             **results_fragments(results or root / "experiments" / "results")}
    written = []
    for name, text in pages.items():
        path = out / f"{name}.md"
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        written.append(path)
    tutorials = root / "docs" / "tutorials"
    for notebook in sorted((root / "notebooks").glob("*.ipynb")):
        target = tutorials / notebook.name
        if not target.is_file() or target.read_bytes() != notebook.read_bytes():
            shutil.copyfile(notebook, target)
        written.append(target)
    return written


if __name__ == "__main__":  # pragma: no cover
    for path in write():
        print(path)
    sys.exit(0)
