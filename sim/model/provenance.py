"""Where every default comes from: seed claims, external sources, calibration, assumptions.

The claims registry lives in ``seeds/claims.toml`` beside the five source documents; each
claim has an id (``SHORT:LINE``, the document's short name and the line of the quote), the
document, a verbatim quote and the mechanisms it supports. A parameter's provenance is one
of four kinds, built with :func:`claim`, :func:`source`, :func:`calibrated` or
:func:`assumption`.

``claim`` and ``source`` mean that the cited text gives the value, or its range. Where the
cited text gives only the direction of an effect (moderation pushes hard-liners toward IS-K)
and the size is chosen by the modeller, the provenance is an assumption that cites the text
for its direction: :func:`direction` (seed claims) or :func:`informed` (an external source).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

KINDS = ("claim", "source", "calibrated", "assumption")


@dataclass(frozen=True)
class Provenance:
    """The justification of one default value.

    Attributes:
        kind: one of ``claim``, ``source``, ``calibrated``, ``assumption``.
        detail: the citation, the calibration targets or the reason for the assumption.
        claims: ids of seed claims that support the value (required for ``claim``).
        basis: for an assumption whose direction is cited: ``"claim"`` (the seed claims give
            the direction, :func:`direction`) or ``"source"`` (the cited source does, :func:`informed`).
    """

    kind: str
    detail: str = ""
    claims: tuple[str, ...] = ()
    basis: str = ""

    def __str__(self) -> str:
        ids = ", ".join(self.claims)
        if self.kind == "claim":
            return f"claim {ids}" + (f": {self.detail}" if self.detail else "")
        if self.basis == "claim":
            return f"assumption, direction from claim {ids}: {self.detail}"
        if self.basis == "source":
            return f"assumption, direction from a source: {self.detail}" + (f" (see {ids})" if ids else "")
        text = f"{self.kind}: {self.detail}"
        return text + (f" (see {ids})" if ids else "")


def claim(*ids: str, note: str = "") -> Provenance:
    """Provenance from seed claims (ids in ``seeds/claims.toml``)."""
    return Provenance("claim", note, tuple(ids))


def source(citation: str, *ids: str) -> Provenance:
    """Provenance from an external, cited source."""
    return Provenance("source", citation, tuple(ids))


def direction(*ids: str, note: str = "") -> Provenance:
    """An assumed size whose direction seed claims give (the claims say which way, not how much).

    The kind is ``assumption``; ``ids`` are cited for the direction. A note that does not say
    what is assumed gets "size assumed".
    """
    if not ids:
        raise ValueError("direction() cites at least one seed claim")
    if "assum" not in note:
        note = (note + "; " if note else "") + "size assumed"
    return Provenance("assumption", note, tuple(ids), basis="claim")


def informed(citation: str, *ids: str) -> Provenance:
    """An assumed value whose direction (or order of magnitude) an external source gives.

    The kind is ``assumption``; ``citation`` names the source and says what is assumed.
    """
    if "assum" not in citation:
        citation += "; size assumed"
    return Provenance("assumption", citation, tuple(ids), basis="source")


def calibrated(targets: str, *ids: str) -> Provenance:
    """A value tuned so that the baseline meets the named calibration targets."""
    return Provenance("calibrated", targets, tuple(ids))


def assumption(reason: str, *ids: str) -> Provenance:
    """An explicit modelling assumption, with the reason for it."""
    return Provenance("assumption", reason, tuple(ids))


def bundled_dir(name: str) -> Path:
    """The ``seeds`` or ``scenarios`` folder: in the source tree, or bundled in a wheel."""
    package = Path(__file__).resolve().parents[1]  # sim/
    for candidate in (package.parent / name, package / "_bundled" / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"cannot find the project's {name}/ folder near {package}")


@dataclass(frozen=True)
class Claim:
    """One entry of the claims registry."""

    id: str
    document: str
    quote: str
    mechanisms: tuple[str, ...]
    note: str = ""


@cache
def claims() -> dict[str, Claim]:
    """The claims registry, keyed by id."""
    path = bundled_dir("seeds") / "claims.toml"
    with path.open("rb") as fh:
        rows = tomllib.load(fh)["claim"]
    return {
        row["id"]: Claim(
            id=row["id"],
            document=row["document"],
            quote=row["quote"],
            mechanisms=tuple(row.get("mechanisms", ())),
            note=row.get("note", ""),
        )
        for row in rows
    }
