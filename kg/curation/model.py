"""The curated model: nodes, predicates, documents and cited statements, before they become RDF."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kg.curation.sources import span_hash
from kg.errors import CurationError, NotFoundError

CERTAINTIES = ("stated", "hedged", "implied")
MATCHES = ("exact", "close", "broad", "narrow", "related")
#: the resources a node's mappings are checked against (``source`` of an xref), with their infores ids
XREF_SOURCES = {"GO": "infores:go", "CL": "infores:cl", "UBERON": "infores:uberon", "MONDO": "infores:mondo",
                "NCIt": "infores:ncit", "HGNC": "infores:hgnc", "NCBI Gene": "infores:ncbi-gene",
                "ChEBI": "infores:chebi"}
#: forms a statement's subject may be said to take, with the Biolink 4 form-or-variant value of each
SUBJECT_FORMS = {"mutant": "genetic_variant_form"}
#: the resources background knowledge may come from: those of the mappings, by infores id
KNOWLEDGE_SOURCES = {infores: name for name, infores in XREF_SOURCES.items()}


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
    hierarchy: bool = False  # member or kind of: expand walks it, background knowledge uses it
    passes_sign: bool = False  # a path passes its causal steps' sign through it (every hierarchy predicate)


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
class Qualifiers:
    """The context a passage gives a relation: the mediators it names (``via``), the form of the
    subject it means (``subject_form``, e.g. mutant), and where it happens (``location``)."""

    via: tuple[str, ...] = ()
    subject_form: str | None = None
    location: str | None = None

    def __bool__(self) -> bool:
        return bool(self.via or self.subject_form or self.location)


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
    qualifiers: Qualifiers = Qualifiers()


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


@dataclass(frozen=True)
class BackgroundFact:
    """A hierarchy relation (member, part or kind of) taken from a standard resource, not from the
    documents: it carries the resource and the record checked there instead of citations."""

    subject: str
    predicate: str
    object: str
    knowledge_source: str  # an infores id of KNOWLEDGE_SOURCES
    record: str  # the CURIE of the entry in that resource that states the relation
    note: str  # what the record says, in our words
    origin: str = ""

    @property
    def key(self) -> tuple[str, str, str]:
        return self.subject, self.predicate, self.object


@dataclass
class CuratedGraph:
    nodes: dict[str, Node]
    predicates: dict[str, Predicate]
    documents: dict[str, Document]
    statements: list[Statement]
    background: list[BackgroundFact] = field(default_factory=list)
