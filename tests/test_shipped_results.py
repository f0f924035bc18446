"""The shipped results can be tied to clean code: every manifest in experiments/results and scenarios/ensemble
records this version, a checkout without uncommitted changes, the shipped ensemble, and relative paths only.

This fails until the results are regenerated with `regime-sim reproduce` from a clean, committed tree."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest

from sim import __version__

ROOT = Path(__file__).resolve().parents[1]
MANIFESTS = sorted(p for folder in ("experiments/results", "scenarios/ensemble")
                   for p in (ROOT / folder).rglob("*.json")
                   if p.name in ("manifest.json", "claims.json", "fall_process.json", "which_horn.json", "baseline.json")
                   or p.name.startswith("manifest-"))
ABSOLUTE = re.compile(r"(^|[\s=:'\"(])(/(home|work|tmp|root|Users|usr|var|opt|mnt|private)/|[A-Za-z]:\\\\)")


def _walk(value, key=""):
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _walk(v, k)
    elif isinstance(value, list):
        for v in value:
            yield from _walk(v, key)
    else:
        yield key, value


def _gits(record: dict) -> list[dict]:
    found = []

    def visit(value):
        if isinstance(value, dict):
            for k, v in value.items():
                if k == "git" and isinstance(v, dict):
                    found.append(v)
                else:
                    visit(v)
    visit(record)
    return found


def _name(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def test_there_are_shipped_manifests():
    assert len(MANIFESTS) >= 30


@pytest.mark.parametrize("path", MANIFESTS, ids=_name)
def test_a_shipped_manifest_is_clean_of_this_version_and_portable(path):
    record = json.loads(path.read_text(encoding="utf-8"))
    versions = {v for k, v in _walk(record) if k == "version"}
    assert versions, f"{_name(path)} records no version"
    assert versions == {__version__}, f"{_name(path)} comes from version {versions}, not {__version__}"
    gits = _gits(record)
    assert gits, f"{_name(path)} records no git commit"
    for git in gits:
        assert git.get("commit"), f"{_name(path)} was not made from a git checkout"
        assert git.get("dirty") is False, f"{_name(path)} was made with uncommitted changes (dirty)"
    absolute = [v for _, v in _walk(record) if isinstance(v, str) and ABSOLUTE.search(v)]
    assert not absolute, f"{_name(path)} holds absolute paths: {absolute[:3]}"


def test_shipped_results_ran_on_the_shipped_ensemble():
    shipped = ROOT / "scenarios" / "ensemble" / "baseline.csv"
    digest = hashlib.sha256(shipped.read_bytes()).hexdigest()
    stale = []
    for path in MANIFESTS:
        record = json.loads(path.read_text(encoding="utf-8"))
        ensemble = record.get("ensemble") or (record.get("a") or {}).get("ensemble")
        if isinstance(ensemble, dict) and str(ensemble.get("path", "")).endswith("ensemble/baseline.csv"):
            if ensemble.get("sha256") != digest:
                stale.append(_name(path))
    assert not stale, f"made with another ensemble than the shipped one: {stale[:5]}"
