"""Sphinx configuration of the documentation site: MyST-NB (Markdown and the notebooks, not executed) and the
PyData theme, as Mesa's own documentation. Build: pip install -e ".[docs]"; sphinx-build -W -b html docs docs/_build.

The pages that restate the code or the results (parameters, outcomes, findings, validation, ...) are generated
when the build starts (sim.interfaces.docs_pages), so they cannot drift from what they describe."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sim import __version__  # noqa: E402
from sim.interfaces import docs_pages  # noqa: E402

project = "regime-sim"
author = "regime-sim contributors"
copyright = "regime-sim contributors, MIT licence"
release = version = __version__

extensions = ["myst_nb", "sphinx.ext.autodoc", "sphinx.ext.autosummary", "sphinx.ext.napoleon",
              "sphinx.ext.viewcode", "sphinxarg.ext"]
source_suffix = {".md": "myst-nb", ".ipynb": "myst-nb"}
exclude_patterns = ["_build", "_generated", "Thumbs.db", ".DS_Store", "**.ipynb_checkpoints"]
myst_enable_extensions = ["colon_fence", "deflist", "dollarmath"]
myst_heading_anchors = 3
nb_execution_mode = "off"  # the notebooks are rendered as stored (the test suite runs them); the build stays fast
autodoc_member_order = "bysource"
autodoc_typehints = "description"
autosummary_generate = True
suppress_warnings = ["myst.header"]  # the ODD's and the notebooks' headings start below the page title

html_theme = "pydata_sphinx_theme"
html_title = f"regime-sim {version}"
html_theme_options = {"navigation_with_keys": False, "show_toc_level": 2,
                      "footer_start": ["copyright"], "footer_end": ["sphinx-version"]}
html_static_path: list[str] = []


def _generate(app) -> None:
    docs_pages.write(ROOT)


def setup(app):
    app.connect("builder-inited", _generate)
