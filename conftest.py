"""Marks for the whole suite: the notebooks (run top to bottom by nbmake) are slow, left out of the fast loop
(pytest -m "not slow"); CI runs everything."""

import pytest


def pytest_collection_modifyitems(config, items):
    for item in items:
        if str(getattr(item, "path", "")).endswith(".ipynb"):
            item.add_marker(pytest.mark.slow)
