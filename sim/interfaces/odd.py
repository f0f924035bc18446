"""The ODD's generated sections, rebuilt from the code (``python -m sim.interfaces.odd``).

``docs/ODD.md`` describes the model in prose, but the parts that can drift from the code are
generated from it and sit between marker comments::

    <!-- generated: NAME (python -m sim.interfaces.odd) -->
    ...
    <!-- end generated: NAME -->

- ``schedule``: the phase table, read from the source of :meth:`RegimeModel.step` (each
  statement, its trailing comment or, without one, the first sentence of the called
  function's docstring; the submodel section is the first ``### 7.x`` heading that names the
  function);
- ``entities``: each entity's state variables, the attributes its ``__init__`` sets (with
  their trailing comments);
- ``params-<section>``: the parameters the code of a submodel reads, found by running the
  model with a recording parameter tree (:func:`parameter_reads`); a section's marker names
  the modules or ``module:function`` it covers;
- ``parameters``: the parameter table of ``regime-sim params``, with, for each parameter the
  baseline draws from its calibrated ensemble, the ensemble's median and 10-90% range.

``python -m sim.interfaces.odd --check`` changes nothing and exits 1 when a section differs
from what the code gives (``tests/interfaces/test_odd.py`` runs the same check).
"""

from __future__ import annotations

import ast
import inspect
import re
import sys
import textwrap
from collections import defaultdict
from functools import cache
from pathlib import Path
from types import SimpleNamespace

import numpy as np

BLOCK = re.compile(r"(<!-- generated: (?P<name>[\w.:/-]+)(?P<args>[^>]*?) \(python -m sim\.interfaces\.odd\) -->\n)"
                   r"(?P<body>.*?)(<!-- end generated: (?P=name) -->)", re.S)
DRIFTED = 1
ROOT = Path(__file__).resolve().parents[2]


def odd_path() -> Path:
    return ROOT / "docs" / "ODD.md"


# ---------------------------------------------------------------------------------------------- the schedule
def _called(node: ast.stmt) -> ast.Call | None:
    """The call a schedule statement makes (the body's call for a loop)."""
    if isinstance(node, ast.For):
        node = node.body[0]
    value = getattr(node, "value", None)
    return value if isinstance(value, ast.Call) else None


def _resolve(call: ast.Call):
    """The function object a call in RegimeModel.step names, or None."""
    from sim.model import model as model_module
    from sim.model.commanders import Commanders
    from sim.model.isk import IslamicStateKhorasan
    from sim.model.actors import ArmedGroup, PakistaniTaliban

    attrs = {"isk": IslamicStateKhorasan, "ttp": PakistaniTaliban, "commanders": Commanders}
    parts = ast.unparse(call.func).split(".")
    if parts[0] == "self" and len(parts) == 2:
        return getattr(model_module.RegimeModel, parts[1], None)
    if parts[0] == "self" and len(parts) == 3 and parts[1] in attrs:
        return getattr(attrs[parts[1]], parts[2], None)
    if parts[0] == "group":
        return getattr(ArmedGroup, parts[-1], None)
    obj = getattr(model_module, parts[0], None)
    for part in parts[1:]:
        obj = getattr(obj, part, None)
    return obj


def _first_sentence(obj) -> str:
    doc = inspect.getdoc(obj) or ""
    text = " ".join(doc.split("\n\n")[0].split())
    return text.split(". ")[0].rstrip(".")


def phases(source: str | None = None) -> list[dict]:
    """The phases of :meth:`RegimeModel.step` in order: ``code`` (the statement's call, or the
    statement), ``what`` (its comment, else the called function's docstring) and ``mechanisms``.

    Everything after the month counter and the month's flows are reset is a phase.
    """
    if source is None:
        from sim.model.model import RegimeModel
        source = inspect.getsource(RegimeModel.step)
    source = textwrap.dedent(source)
    lines = source.splitlines()
    func = ast.parse(source).body[0]
    rows, started = [], False
    for node in func.body:
        text = ast.unparse(node)
        if not started:
            started = text.startswith("self.month_flows")
            continue
        line = lines[node.lineno - 1]
        comment = line.split("#", 1)[1].strip() if "#" in line else ""
        call = _called(node)
        if isinstance(node, ast.For):
            code = f"{ast.unparse(node.target)} in {ast.unparse(node.iter)}: {ast.unparse(call.func)}"
        elif isinstance(node, ast.Assign):
            code = ", ".join(ast.unparse(t).removeprefix("self.") for t in node.targets) + " = ..."
            call = None
        elif call is not None:
            code = ast.unparse(call.func).removeprefix("self.")
        else:
            code = text.split("\n")[0]
        if not comment and call is not None:
            target = _resolve(call)
            comment = _first_sentence(target) if target is not None else ""
        rows.append({"code": code, "what": comment, "mechanisms": re.findall(r"\bM\d+\b", comment),
                     "name": code.split(": ")[-1].split(".")[-1]})
    return rows


def _sections(text: str) -> list[tuple[str, str]]:
    """The submodel headings of the ODD: (number, heading line)."""
    return re.findall(r"^### (7\.\d+[a-z]?) (.*)$", text, re.M)


def section_of(code: str, text: str) -> str:
    """The first submodel section whose heading names the phase's code in backticks: the whole call
    (``shocks.apply``) or its function's name (``update_economy``)."""
    names = {code.split(": ")[-1], code.split(": ")[-1].split(".")[-1]}
    for number, heading in _sections(text):
        quoted = set(re.findall(r"`([^`]+)`", heading))
        quoted |= {q.split(".")[-1] for q in quoted}
        if names & quoted:
            return number
    return ""


def schedule_table(text: str, source: str | None = None) -> str:
    out = ["| # | phase (code) | what happens (the code's comment or docstring) | section | mechanisms |",
           "|---|---|---|---|---|"]
    for i, row in enumerate(phases(source), 1):
        section = section_of(row["code"], text) or "-"
        what = row["what"].replace("|", "\\|") or "-"
        out.append(f"| {i} | `{row['code']}` | {what} | {section} | {', '.join(row['mechanisms']) or '-'} |")
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------------------------- entities
def _entity_classes():
    from sim.model.actors import ArmedGroup, PakistaniTaliban
    from sim.model.commanders import Commanders
    from sim.model.factions import TalibanFaction
    from sim.model.fighters import Fighters
    from sim.model.isk import IslamicStateKhorasan
    from sim.model.model import RegimeModel
    from sim.model.pakistan import Pakistan
    from sim.model.states import NeighbourState, WesternDonors

    return ((Fighters, "__init__"), (Commanders, "__init__"), (TalibanFaction, "__init__"), (ArmedGroup, "__init__"),
            (PakistaniTaliban, "__init__"), (IslamicStateKhorasan, "__init__"), (NeighbourState, "__init__"),
            (Pakistan, "__init__"), (WesternDonors, "__init__"), (RegimeModel, "_init_state"))


def state_variables(cls, method: str = "__init__") -> list[tuple[str, str]]:
    """The attributes ``cls.method`` sets on ``self`` (in order, once each) with their trailing comments."""
    func = getattr(cls, method, None)
    if func is None or method not in vars(cls):
        return []
    source = textwrap.dedent(inspect.getsource(func))
    lines = source.splitlines()
    out: dict[str, str] = {}
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            continue
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        names = []
        for target in targets:
            for t in (target.elts if isinstance(target, ast.Tuple) else [target]):
                if isinstance(t, ast.Attribute) and isinstance(t.value, ast.Name) and t.value.id == "self":
                    names.append(t.attr)
        line = lines[node.lineno - 1]
        comment = line.split("  # ", 1)[1].strip() if "  # " in line else ""
        for name in names:
            if not name.startswith("_") and name not in out:
                out[name] = (node.lineno, comment)
    listed = [(name, comment) for name, (_, comment) in sorted(out.items(), key=lambda kv: kv[1][0])]
    columns = getattr(cls, "COLUMNS", None)  # array columns kept in a table (Fighters)
    if isinstance(columns, dict):
        listed += [(name, "array, one entry per fighter") for name in columns]
    return listed


def entities_text() -> str:
    out = []
    for cls, method in _entity_classes():
        variables = state_variables(cls, method)
        if not variables:
            continue
        where = f"`{cls.__module__.replace('.', '/')}.py`, `{cls.__name__}" + \
                (f".{method}`" if method != "__init__" else "`")
        doc = _first_sentence(cls)
        items = "; ".join(f"`{n}`" + (f" ({c})" if c else "") for n, c in variables)
        out.append(f"- **{cls.__name__}** ({where}): {doc}. State set at creation: {items}.")
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------------------------- random streams
def streams() -> list[tuple[str, list[str]]]:
    """The model's random streams (in the order ``RegimeModel.__init__`` spawns them) and the
    ``module:function`` places that draw from each."""
    from sim.model import model as model_module

    init = inspect.getsource(model_module.RegimeModel.__init__)
    names = re.findall(r"self\.(rng_\w+)", init.split("streams = ")[1].split("\n\n")[0])
    names = list(dict.fromkeys(names))
    uses: dict[str, list[str]] = {n: [] for n in names}
    for path in sorted((ROOT / "sim" / "model").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        rel = str(path.relative_to(ROOT))
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                body = ast.get_source_segment(path.read_text(encoding="utf-8"), node) or ""
                for name in names:
                    if re.search(rf"\b{name}\b", body) and node.name != "__init__" or \
                            (node.name == "__init__" and rel != "sim/model/model.py" and name in body):
                        place = f"{rel}:{node.name}"
                        if place not in uses[name]:
                            uses[name].append(place)
    return [(n, uses[n]) for n in names]


def streams_text() -> str:
    out = []
    for name, places in streams():
        where = ", ".join(f"`{p.split('/')[-1].removesuffix('.py').replace('.py:', ':')}`" for p in places)
        out.append(f"- `{name}`: drawn by {where or 'no rule'}")
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------------------------- parameter reads
class _Recorder:
    """A parameter tree that records which code reads which parameter."""

    def __init__(self, node, path, log):
        object.__setattr__(self, "_node", node)
        object.__setattr__(self, "_path", path)
        object.__setattr__(self, "_log", log)

    def __getattr__(self, name):
        value = getattr(self._node, name)
        full = f"{self._path}.{name}" if self._path else name
        if isinstance(value, SimpleNamespace):
            return _Recorder(value, full, self._log)
        _record(self._log, full, sys._getframe(1))
        return value


def _record(log, name, frame) -> None:
    try:
        module = str(Path(frame.f_code.co_filename).resolve().relative_to(ROOT))
    except ValueError:
        return
    log[name].add(f"{module}:{frame.f_code.co_qualname}")


TRACE_RUNS = (
    # (overrides, months): the baseline's schedules; an adaptive regime under fixed donors with random shocks
    # from 2022; a hostile Pakistan (its ladder) and donors that recognise (the offer's branches)
    ({}, 36),
    ({"policy.mode": "adaptive", "donors.mode": "fixed", "shocks.forecast_from": 2022}, 30),
    ({"external.pakistan_stance": {"2021-09": "hostile"}, "external.western_recognition": {"2021-09": 0.9},
      "policy.moderation": 0.8, "policy.action_against_allies": 0.5}, 30),
    # a reversal (moderation granted, then withdrawn) and frequent random shocks from 2022
    ({"policy.moderation": {"2021-08": 0.8, "2022-06": 0.0}, "policy.inclusion": {"2021-08": 0.8, "2022-06": 0.0},
      "shocks.forecast_from": 2022, "shocks.drought_per_year": 1.0, "shocks.earthquakes_per_year": 3.0,
      "shocks.assassinations_per_year": 12.0}, 36),
)


@cache
def parameter_reads() -> dict[str, frozenset[str]]:
    """Each parameter the model reads -> the ``module:function`` places that read it.

    Found by running a few short, small runs (:data:`TRACE_RUNS`, scale 0.02) with a recording
    parameter tree; levers and actor states count as read where their paths are laid out.
    """
    from sim.model.model import RegimeModel
    from sim.model.params import Parameters
    from sim.runs.scenario import load

    log: dict[str, set[str]] = defaultdict(set)
    original = (Parameters.tree, Parameters.lever_path, Parameters.state_path)

    def tree(self):
        return _Recorder(original[0](self), "", log)

    def lever_path(self, key, months):
        _record(log, key, sys._getframe(1))
        return original[1](self, key, months)

    def state_path(self, key, months):
        _record(log, key, sys._getframe(1))
        return original[2](self, key, months)

    base = load("baseline").without_ensemble().parameters()
    Parameters.tree, Parameters.lever_path, Parameters.state_path = tree, lever_path, state_path
    try:
        for overrides, months in TRACE_RUNS:
            RegimeModel(base.replace(overrides), months=months, seed=np.random.SeedSequence(33), scale=0.02).run()
    finally:
        Parameters.tree, Parameters.lever_path, Parameters.state_path = original
    return {name: frozenset(places) for name, places in log.items()}


def params_read_by(places: list[str]) -> list[str]:
    """The parameters read by code in any of ``places`` (``sim/model/x.py`` or ``sim/model/x.py:function``)."""
    from sim.model.params import SPECS

    reads = parameter_reads()
    out = []
    for spec in SPECS:
        where = reads.get(spec.name, ())
        if any(p == w or (":" not in p and w.startswith(p + ":")) or
               (":" in p and w.startswith(p) and w[len(p):len(p) + 1] in ("", ".")) for p in places for w in where):
            out.append(spec.name)
    return out


def _compress(names: list[str]) -> list[str]:
    """Per-faction and per-state parameters written once with ``<key>`` for the key."""
    from sim.model.params import FACTIONS, STATE_KEYS

    from sim.model.params import SPECS

    keys = "|".join(FACTIONS + STATE_KEYS)
    pattern = re.compile(rf"^(factions|neighbours)\.({keys})\.(.+)$")
    per_key = defaultdict(set)  # (tree, suffix) -> keys that have it
    for spec in SPECS:
        if m := pattern.match(spec.name):
            per_key[m.group(1), m.group(3)].add(m.group(2))
    out = []
    for name in names:
        m = pattern.match(name)
        short = f"{m.group(1)}.<key>.{m.group(3)}" if m and len(per_key[m.group(1), m.group(3)]) > 1 else name
        if short not in out:
            out.append(short)
    return out


def params_text(places: list[str]) -> str:
    names = _compress(params_read_by(places))
    if not names:
        return "Parameters read: none.\n"
    return "Parameters read (from the code, `parameter_reads`): " + ", ".join(f"`{n}`" for n in names) + ".\n"


# ---------------------------------------------------------------------------------------------- the parameter table
def ensemble_summary(scenario: str = "baseline") -> dict[str, tuple[float, float, float]]:
    """For each parameter a scenario draws from its ensemble: (median, 10th, 90th percentile)."""
    from sim.runs.scenario import load

    ensemble = load(scenario).ensemble
    if ensemble is None:
        return {}
    out = {}
    for name in ensemble.names:
        if name in ensemble.fixed:
            continue
        values = np.array([float(m[name]) for m in ensemble.members])
        out[name] = (float(np.median(values)), float(np.quantile(values, 0.1)), float(np.quantile(values, 0.9)))
    return out


def ensemble_priors(scenario: str = "baseline") -> dict[str, str]:
    """For each parameter a scenario draws from its ensemble: the calibration's prior range, as text
    ("8 to 240, log scale"), from the ensemble's provenance (its JSON file)."""
    import json

    from sim.runs.scenario import load

    ensemble = load(scenario).ensemble
    record = ensemble.path.with_suffix(".json") if ensemble is not None else None
    if record is None or not record.is_file():
        return {}
    settings = json.loads(record.read_text(encoding="utf-8")).get("settings", {})
    log = set(settings.get("log", ()))
    return {n: f"{_g(lo)} to {_g(hi)}" + (", log scale" if n in log else "")
            for n, (lo, hi) in settings.get("free", {}).items() if n not in ensemble.fixed}


def _g(x: float) -> str:
    return f"{x:.3g}"


def parameter_table() -> str:
    from sim.model.params import SPECS

    drawn, priors = ensemble_summary(), ensemble_priors()
    out = ["| name | default | allowed | baseline ensemble: median [10%, 90%] (calibration prior) | unit | provenance |",
           "|---|---|---|---|---|---|"]
    for s in SPECS:
        ens = "-"
        if s.name in drawn:
            med, lo, hi = drawn[s.name]
            outside = not (lo <= float(s.default) <= hi)
            ens = f"{_g(med)} [{_g(lo)}, {_g(hi)}]" + (" (default outside)" if outside else "") \
                + (f" (prior {priors[s.name]})" if s.name in priors else "")
        cells = (s.name, str(s.default), s.range_text, ens, s.unit, str(s.provenance))
        out.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------------------------- rewriting
def render(name: str, args: str, text: str, source: str | None = None) -> str:
    if name == "schedule":
        return schedule_table(text, source)
    if name == "entities":
        return entities_text()
    if name == "streams":
        return streams_text()
    if name == "parameters":
        return parameter_table()
    if name.startswith("params-"):
        return params_text(args.split())
    raise ValueError(f"unknown generated section {name!r}")


def rewrite(text: str, source: str | None = None) -> str:
    """``text`` with every generated section rebuilt (``source``: RegimeModel.step's, for tests)."""
    return BLOCK.sub(lambda m: m.group(1) + render(m.group("name"), m.group("args").strip(), text, source)
                     + m.group(5), text)


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    path = odd_path()
    text = path.read_text(encoding="utf-8")
    new = rewrite(text)
    if "--check" in argv:
        if new != text:
            names = [m.group("name") for m, n in zip(BLOCK.finditer(text), BLOCK.finditer(new))
                     if m.group("body") != n.group("body")]
            print(f"{path}: generated sections out of date: {', '.join(names)}; run python -m sim.interfaces.odd")
            return DRIFTED
        return 0
    path.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
