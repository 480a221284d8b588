"""The curated model: nodes, predicates, documents and cited statements, before they become RDF."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kg.curation.sources import span_hash
from kg.errors import CurationError, NotFoundError

CERTAINTIES = ("stated", "hedged", "implied")
MATCHES = ("exact", "close", "broad", "narrow", "related")


@dataclass(frozen=True)
class Xref:
    """A mapping of a node to a standard identifier, and the resource it was checked against."""

    id: str
    match: str
    source: str


@dataclass(frozen=True)
class Node:
    id: str
    label: str
    category: str
    definition: str
    synonyms: tuple[str, ...] = ()
    mentions: tuple[str, ...] = ()
    xrefs: tuple[Xref, ...] = ()
    origin: str = ""

    @property
    def names(self) -> tuple[str, ...]:
        """Every surface form under which a passage may name the node."""
        return (self.label, *self.synonyms, *self.mentions)


#: the roots of the polarity hierarchy, and the polarity of what sits under each
CAUSAL_ROOTS = {"positively_affects": "positive", "negatively_affects": "negative", "affects": "unsigned"}
ROOT_SIGNS = {"positive": 1, "negative": -1, "unsigned": 0}


@dataclass(frozen=True)
class Predicate:
    id: str
    label: str
    sign: int
    definition: str
    biolink: dict
    ro: dict | None = None
    parent: str | None = None  # one level up in the polarity hierarchy (data/predicates.yaml)
    abstract: bool = False  # a root of the hierarchy: statements never use it


def polarity(predicates: dict[str, dict] | dict[str, Predicate], name: str) -> str:
    """``positive``, ``negative``, ``unsigned`` (causal, no direction) or ``non_causal``: the
    causal root that ``name`` sits under, found by walking its parents.

    >>> polarity({"promotes": {"parent": "positively_affects"}, "positively_affects": {"parent": "affects"},
    ...           "affects": {"parent": None}}, "promotes")
    'positive'
    """
    seen = set()
    while name is not None and name not in seen:
        if name in CAUSAL_ROOTS:
            return CAUSAL_ROOTS[name]
        seen.add(name)
        entry = predicates.get(name)
        name = entry.get("parent") if isinstance(entry, dict) else getattr(entry, "parent", None)
    return "non_causal"


@dataclass(frozen=True)
class Document:
    id: str
    file: str
    sha256: str
    title: str
    type: str
    layout: dict
    authors: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    reference_count: int = 0
    bibliographic: dict = field(default_factory=dict)

    def read_source(self, sources: Path) -> str:
        """The document's text from ``sources``; fails if the file is not the one curated."""
        path = Path(sources) / self.file
        if not path.is_file():
            raise NotFoundError(f"source file {path} of {self.id} not found (pass --sources DIR)")
        text = path.read_text(encoding="utf-8")
        if span_hash(text) != self.sha256:
            raise CurationError(f"{path} is not the version of {self.id} that was curated (SHA-256 differs)")
        return text

    def reference_entry(self, number: int | None) -> str | None:
        if number is None or number > len(self.references):
            return None
        return self.references[number - 1]


@dataclass(frozen=True)
class Citation:
    """One place where a document states a relation."""

    document: str
    locator: str
    certainty: str
    statement: str
    start: int
    end: int
    sha256: str
    reference: int | None
    origin: str = ""


@dataclass
class Statement:
    """A curated relation with every citation that supports it."""

    subject: str
    predicate: str
    object: str
    citations: list[Citation]
    origin: str = ""
    unsigned_because: str | None = None  # why a regulates/associated_with statement has no sign

    @property
    def key(self) -> tuple[str, str, str]:
        return self.subject, self.predicate, self.object


@dataclass
class CuratedGraph:
    nodes: dict[str, Node]
    predicates: dict[str, Predicate]
    documents: dict[str, Document]
    statements: list[Statement]
