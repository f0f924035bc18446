"""Every quote is verbatim in its document; every default has a provenance."""

import re
from pathlib import Path

import pytest

from sim.model.params import SPECS
from sim.model.provenance import KINDS, bundled_dir, claims

SHORT = {"ALI": "ali-2024", "TRT": "trtworld-2022-daesh-k-threatens-afghanistan.txt", "ATI": "asiatimes-2021",
         "EER": "bonesh-2023"}


@pytest.mark.parametrize("claim", list(claims().values()), ids=lambda c: c.id)
def test_quote_is_verbatim_on_its_line(claim):
    lines = (bundled_dir("seeds") / claim.document).read_text(encoding="utf-8").splitlines()
    short, line = re.fullmatch(r"([A-Z]+):(\d+)[a-z]?", claim.id).groups()
    assert claim.document.startswith(SHORT[short])
    assert claim.quote in lines[int(line) - 1], f"{claim.id}: quote not found verbatim on line {line}"


def test_claims_name_known_mechanisms():
    allowed = {f"M{i}" for i in range(1, 21)} | {"figure"}
    for claim in claims().values():
        assert claim.mechanisms and set(claim.mechanisms) <= allowed, claim.id


def test_every_mechanism_has_a_claim_and_a_rule_in_the_code():
    covered = {m for c in claims().values() for m in c.mechanisms}
    code = "\n".join(p.read_text() for p in Path("sim").rglob("*.py"))
    for i in range(1, 21):
        assert f"M{i}" in covered, f"M{i} has no claim"
        assert re.search(rf"\bM{i}\b", code), f"M{i} is named by no rule in sim/"


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.name)
def test_every_parameter_has_a_provenance(spec):
    prov = spec.provenance
    assert prov.kind in KINDS
    assert prov.detail or prov.claims, f"{spec.name}: provenance without detail"
    if prov.kind == "claim":
        assert prov.claims
    if prov.kind in ("assumption", "calibrated", "source"):
        assert len(prov.detail) > 15, f"{spec.name}: say why"
    for cid in prov.claims:
        assert cid in claims(), f"{spec.name} cites unknown claim {cid}"
    assert spec.doc and spec.unit


def test_seed_documents_are_the_shared_copies():
    shared = Path(__file__).resolve().parents[3] / "shared" / "seeds"
    if not shared.is_dir():
        pytest.skip("../shared/seeds is not beside this checkout")
    for doc in shared.glob("*.txt"):
        assert (bundled_dir("seeds") / doc.name).read_bytes() == doc.read_bytes()
