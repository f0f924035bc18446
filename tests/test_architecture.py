"""The package's floors: model <- runs <- analysis <- interfaces.

A module may import from its own floor or a lower one, never a higher one, and no two modules
import each other, directly or round a longer circle (imports inside functions count too).
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "sim"
FLOORS = ("model", "runs", "analysis", "interfaces")


def module_name(path: Path, root: Path = PACKAGE) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path, modules: set[str], root: Path = PACKAGE) -> set[str]:
    """The package's modules that a file imports (relative imports resolved; ``from pkg import mod`` is mod)."""
    name = module_name(path, root)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.split(".")[0] == root.name}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            if target.split(".")[0] != root.name:
                continue
            for alias in node.names:
                child = f"{target}.{alias.name}"
                found.add(child if child in modules else target)
    return found - {name}


def graph(root: Path = PACKAGE) -> nx.DiGraph:
    files = sorted(root.rglob("*.py"))
    modules = {module_name(f, root) for f in files}
    g = nx.DiGraph()
    for f in files:
        source = module_name(f, root)
        g.add_node(source)
        for target in imports(f, modules, root):
            if target in modules:
                g.add_edge(source, target)
    return g


def floor(module: str) -> int | None:
    parts = module.split(".")
    return FLOORS.index(parts[1]) if len(parts) > 1 and parts[1] in FLOORS else None


def upward_imports(g: nx.DiGraph) -> list[str]:
    bad = []
    for source, target in g.edges:
        low, high = floor(source), floor(target)
        if low is not None and high is not None and high > low:
            bad.append(f"{source} ({FLOORS[low]}) imports {target} ({FLOORS[high]})")
    return sorted(bad)


def circles(g: nx.DiGraph) -> list[list[str]]:
    """Circles between modules (a package's ``__init__`` importing its own modules is not one)."""
    inner = g.copy()
    inner.remove_edges_from([(s, t) for s, t in g.edges if t.startswith(s + ".")])
    return [c for c in nx.simple_cycles(inner)]


def test_the_four_floors_exist_and_nothing_is_loose():
    assert sorted(p.name for p in PACKAGE.iterdir() if p.is_dir() and not p.name.startswith(("_", "."))) == \
        sorted(FLOORS)
    assert sorted(p.name for p in PACKAGE.glob("*.py")) == ["__init__.py", "__main__.py"]


def test_no_module_imports_a_higher_floor():
    assert upward_imports(graph()) == []


def test_no_circle_between_modules():
    assert circles(graph()) == []


@pytest.fixture
def toy(tmp_path):
    """A small package with the four floors, to show that the checks can fail."""
    root = tmp_path / "sim"
    for sub in FLOORS:
        (root / sub).mkdir(parents=True)
        (root / sub / "__init__.py").write_text("")
    (root / "__init__.py").write_text("")
    (root / "model" / "params.py").write_text("X = 1\n")
    (root / "runs" / "runner.py").write_text("from sim.model.params import X\n")
    return root


def test_the_check_finds_an_upward_import(toy):
    assert upward_imports(graph(toy)) == []
    (toy / "model" / "params.py").write_text("def f():\n    from ..runs import runner\n")
    assert upward_imports(graph(toy)) == ["sim.model.params (model) imports sim.runs.runner (runs)"]


def test_the_check_finds_a_circle(toy):
    assert circles(graph(toy)) == []
    (toy / "runs" / "store.py").write_text("from sim.runs import runner\n")
    (toy / "runs" / "runner.py").write_text("from . import store\n")
    assert sorted(map(sorted, circles(graph(toy)))) == [["sim.runs.runner", "sim.runs.store"]]
