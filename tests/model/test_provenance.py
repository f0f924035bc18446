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


# "claim" and "source" mean that the cited text gives the value or its range; a note that says the value
# (or its size, weight, share, rate...) was assumed, or that the values are only relative, belongs to an assumption
# that cites the text for its direction (provenance.direction or provenance.informed).
ASSUMED = re.compile(r"assum|values are relative|\bour (reading|choice)\b", re.IGNORECASE)


def test_no_claim_or_source_label_says_its_value_was_assumed():
    offenders = [s.name for s in SPECS
                 if s.provenance.kind in ("claim", "source") and ASSUMED.search(s.provenance.detail)]
    assert not offenders, f"{len(offenders)} labelled claim/source but their note says assumed: {offenders}"


def test_the_check_catches_a_claim_that_says_assumed():
    from sim.model.provenance import claim, source
    assert ASSUMED.search(claim("ALI:148", note="weight assumed").detail)
    assert ASSUMED.search(source("Weinstein (2007): investors; values are relative").detail)


def test_a_direction_is_an_assumption_that_cites_its_claims():
    from sim.model.provenance import direction, informed
    prov = direction("ALI:148", note="hard-liners leave if the regime compromises")
    assert prov.kind == "assumption" and prov.claims == ("ALI:148",) and "assumed" in prov.detail
    assert str(prov).startswith("assumption, direction from claim ALI:148")
    assert informed("Weinstein (2007): consumers leave when pay stops").kind == "assumption"
    with pytest.raises(ValueError):
        direction(note="no claim cited")


def test_parameters_cite_passages_not_headings():
    """A cited line says something: not a section heading (EER:17 'The Outbreak of Civil War')."""
    registry = claims()
    for spec in SPECS:
        for cid in spec.provenance.claims:
            entry = registry[cid]
            assert not entry.note.lower().startswith("section heading"), f"{spec.name} cites the heading {cid}"
            assert len(entry.quote.split()) >= 6, f"{spec.name} cites {cid}, too short to support anything"


def test_the_misattributed_citations_stay_fixed():
    by_name = {s.name: s.provenance for s in SPECS}
    # Berman, Callen, Felter and Shapiro (2011) found no positive link between hardship and insurgent violence:
    # cited against a rising link, not for it; the rising link is the seed documents' direction, its size assumed
    poverty = by_name["recruitment.poverty_elasticity"]
    assert poverty.kind == "assumption" and set(poverty.claims) >= {"EER:15", "EER:16"}
    assert "no positive link" in poverty.detail
    # ALI:148 and ATI:33 say nothing of where fighters stand, ALI:128 nothing of surrenders
    assert not set(by_name["taliban.home_concentration"].claims) & {"ALI:148", "ATI:33"}
    assert "ALI:128" not in by_name["fighters.surrender_weight"].claims
    assert by_name["fighters.surrender_weight"].kind == "assumption"


def test_regime_sim_params_shows_the_labels(capsys):
    from sim.interfaces.cli import main
    assert main(["params", "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert all(spec.name in out for spec in SPECS)
    assert "assumption, direction from claim ALI:148" in out and "assumption, direction from a source" in out
    assert main(["params", "fighters.hardline_weight"]) == 0
    detail = capsys.readouterr().out
    assert "[ALI:148]" in detail and "direction from claim" in detail
