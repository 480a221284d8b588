"""Edge listings: filtered edges, induced subgraphs, the documents cited, graph statistics.

Listings come best-supported first (the index's canonical edge order: most citations, then
most documents, then predicate, subject and object), so pages are stable.

>>> from tests.fixture_graph import fixture_index
>>> page = find_edges(fixture_index(), subject="hypoxia", limit=2)
>>> [(e.predicate, e.object.id) for e in page.edges], page.total, page.truncated
([('promotes', 'mkg:angiogenesis'), ('promotes', 'mkg:emt')], 3, True)
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Self

import numpy as np

from kg.errors import InvalidQueryError
from kg.query.evidence import check_evidence, pool_edges
from kg.query.hierarchy import check_expand, stand_ins
from kg.query.index import CERTAINTIES, Edge, GraphIndex, Node, check_int, gather_slices
from kg.query.lookup import resolve, resolve_all

MAX_LIMIT = 1000
# Pooling reads the records of every matching edge before it can page: without a filter, a
# Hetionet-sized graph would build millions of them for one request.
MAX_POOLED_CANDIDATES = 50_000

MAX_SUBGRAPH_NODES = 500
MAX_SUBGRAPH_EDGES = 5000


@dataclass(frozen=True)
class Page:
    """One page of a listing; ``total`` counts every match, ``truncated`` says more follow.
    Each listing subclasses it and names its items (``ITEMS``) as its answers show them."""

    ITEMS: ClassVar[str] = "items"
    items: tuple
    total: int
    limit: int
    offset: int
    truncated: bool

    @classmethod
    def of(cls, matches: Sequence, limit: int, offset: int) -> Self:
        """The page of ``matches`` (every match, in order) at ``offset``."""
        page = matches[offset : offset + limit]
        return cls(tuple(page), len(matches), limit, offset, offset + len(page) < len(matches))

    def to_dict(self) -> dict[str, Any]:
        return {
            self.ITEMS: [item.to_dict() for item in self.items],
            "total": self.total,
            "limit": self.limit,
            "offset": self.offset,
            "truncated": self.truncated,
        }


class EdgePage(Page):
    """One page of a filtered edge listing."""

    ITEMS = "edges"

    @property
    def edges(self) -> tuple[Edge, ...]:
        return self.items


@dataclass(frozen=True)
class Subgraph:
    """Nodes and the edges among them."""

    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    truncated: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "nodes": [node.to_dict() for node in self.nodes],
            "edges": [edge.to_dict() for edge in self.edges],
            "truncated": self.truncated,
        }


@dataclass(frozen=True)
class DocumentSupport:
    """A cited document: how many citations it gives and (a page of) the edges it supports."""

    document: str
    citations: int
    edge_count: int
    edges: tuple[Edge, ...]
    truncated: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "document": self.document,
            "citations": self.citations,
            "edge_count": self.edge_count,
            "edges": [edge.to_dict() for edge in self.edges],
            "truncated": self.truncated,
        }


@dataclass(frozen=True)
class GraphStats:
    """Counts of nodes per category, edges per predicate and citations per document."""

    nodes: int
    edges: int
    citations: int
    nodes_per_category: dict[str, int]
    edges_per_predicate: dict[str, int]
    citations_per_document: dict[str, int]

    def to_dict(self) -> dict[str, Any]:
        return {
            "nodes": self.nodes,
            "edges": self.edges,
            "citations": self.citations,
            "nodes_per_category": dict(self.nodes_per_category),
            "edges_per_predicate": dict(self.edges_per_predicate),
            "citations_per_document": dict(self.citations_per_document),
        }


def _certainty_bit(certainty: str) -> int:
    if certainty not in CERTAINTIES:
        raise InvalidQueryError(f"certainty must be one of {', '.join(CERTAINTIES)}, not {certainty!r}")
    return 1 << CERTAINTIES.index(certainty)


def find_edges(
    index: GraphIndex,
    *,
    subject: str | None = None,
    predicate: str | Iterable[str] | None = None,
    object: str | None = None,  # noqa: A002 - the triple's own word
    document: str | Iterable[str] | None = None,
    certainty: str | None = None,
    evidence: str = "asserted",
    expand: str = "none",
    limit: int = 100,
    offset: int = 0,
) -> EdgePage:
    """Edges matching every given filter: subject and object (node names or ids),
    predicate(s) (a predicate takes in those below it in the hierarchy), document(s) cited, and
    a certainty some citation has. ``evidence="pooled"`` merges the matching edges of a pair
    that share a causal polarity (:func:`pool_edges`) before paging. ``expand`` (``members`` or
    ``hierarchy``, :mod:`kg.query.hierarchy`) lets the subject's and object's stand-ins match too;
    pooled, their edges merge onto the query's nodes and say ``through`` which.

    >>> from tests.fixture_graph import fixture_index
    >>> page = find_edges(fixture_index(), document="quicktakes2024", certainty="hedged")
    >>> [(e.subject.id, e.predicate, e.object.id) for e in page.edges]
    [('mkg:nfkb', 'promotes', 'mkg:emt')]
    >>> page = find_edges(fixture_index(), subject="TGF-β signaling", object="EMT", evidence="pooled",
    ...                   expand="members")
    >>> [(e.predicate, sorted({c.document for c in e.citations}), [t.subject.id for t in e.through])
    ...  for e in page.edges]
    [('positively_affects', ['glimm2025', 'quicktakes2024', 'schneider2025'], ['mkg:tgfb1'])]
    """
    limit = check_int("limit", limit, 1, MAX_LIMIT)
    offset = check_int("offset", offset, 0, index.edge_count + MAX_LIMIT)
    check_evidence(evidence)
    check_expand(expand)
    if expand != "none" and subject is None and object is None:
        raise InvalidQueryError("expand needs a subject or an object to expand")
    predicates = index.predicate_codes(predicate)
    codes = index.document_codes(document)
    cited = index.edges_citing(codes) if codes is not None else None
    bit = _certainty_bit(certainty) if certainty is not None else None
    subjects = stand_ins(index, resolve(index, subject).id, expand) if subject is not None else None
    objects = stand_ins(index, resolve(index, object).id, expand, groups=False) if object is not None else None
    if subjects is not None:
        edges = _slices(index.out_pointer, index.out_edge, subjects)
    elif objects is not None:
        edges = _slices(index.in_pointer, index.in_edge, objects)
    elif cited is not None:
        edges = cited
    else:
        edges = np.arange(index.edge_count)
    # Every candidate list above is in edge-number (support) order: no sort needed.
    if objects is not None:
        edges = edges[np.isin(index.edge_dst[edges], list(objects))]
    if predicates is not None:
        edges = edges[np.isin(index.edge_predicate[edges], predicates)]
    if cited is not None:
        edges = edges[np.isin(edges, cited)]
    if bit is not None:
        edges = edges[(index.edge_certainty[edges] & bit) != 0]
    if evidence == "pooled":
        if edges.size > MAX_POOLED_CANDIDATES:
            raise InvalidQueryError(
                f"{edges.size} edges match, more than the {MAX_POOLED_CANDIDATES} that can be pooled in one "
                "request; narrow it by subject, object, predicate or document",
                detail={"matching": int(edges.size), "limit": MAX_POOLED_CANDIDATES})
        stand_for = {index.node_ids[node]: (index.node_ids[anchor], how)
                     for anchor, ends in ((_anchor(ends), ends) for ends in (subjects, objects) if ends)
                     for node, how in ends.items() if how}
        return EdgePage.of(pool_edges(index, index.edges(edges), stand_for=stand_for), limit, offset)
    if subjects is not None and len(subjects) > 1:  # an edge inside the subject's concept answers nothing
        edges = edges[~(np.isin(index.edge_dst[edges], list(subjects)) & index.edge_hierarchy[edges])]
    page = edges[offset : offset + limit]
    return EdgePage(tuple(index.edges(page)), int(edges.size), limit, offset, offset + page.size < edges.size)


def _slices(pointer: np.ndarray, edge_of: np.ndarray, nodes: Iterable[int]) -> np.ndarray:
    """The edges of the CSR slices of ``nodes``, in edge-number order."""
    positions, _ = gather_slices(pointer, np.array(list(nodes), dtype=np.int64))
    return np.unique(edge_of[positions])


def _anchor(ends: dict[int, str | None]) -> int:
    """The query node of a stand-in map (the one that stands for itself)."""
    return next(node for node, how in ends.items() if how is None)


def subgraph(
    index: GraphIndex, nodes: str | Iterable[str], *, predicates: str | Iterable[str] | None = None
) -> Subgraph:
    """The subgraph induced by ``nodes`` (at most 500): every edge between two of them,
    best-supported first, at most 5000 (``truncated`` says more exist).

    >>> from tests.fixture_graph import fixture_index
    >>> result = subgraph(fixture_index(), ["hypoxia", "angiogenesis", "metastasis"])
    >>> [(e.subject.label, e.predicate, e.object.label) for e in result.edges]  # doctest: +NORMALIZE_WHITESPACE
    [('hypoxia', 'promotes', 'angiogenesis'), ('angiogenesis', 'promotes', 'metastasis'),
     ('hypoxia', 'regulates', 'angiogenesis')]
    """
    members = np.array(resolve_all(index, nodes, limit=MAX_SUBGRAPH_NODES), dtype=np.int32)
    codes = index.predicate_codes(predicates)
    positions, _ = gather_slices(index.out_pointer, members)
    inside = np.zeros(index.node_count, dtype=bool)
    inside[members] = True
    keep = inside[index.out_neighbor[positions]]
    if codes is not None:
        keep &= np.isin(index.out_predicate[positions], codes)
    edges = np.sort(index.out_edge[positions[keep]])
    return Subgraph(
        nodes=tuple(index.node(node) for node in members.tolist()),
        edges=tuple(index.edges(edges[:MAX_SUBGRAPH_EDGES])),
        truncated=edges.size > MAX_SUBGRAPH_EDGES,
    )


def documents(
    index: GraphIndex, ids: str | Iterable[str] | None = None, *, edge_limit: int = 100
) -> tuple[DocumentSupport, ...]:
    """The documents cited (all, or those in ``ids``), each with the edges it supports,
    best-supported first, at most ``edge_limit`` (0-1000) per document.

    >>> from tests.fixture_graph import fixture_index
    >>> [(d.document, d.citations, d.edge_count) for d in documents(fixture_index(), edge_limit=0)][:2]
    [('anon_tme', 9, 9), ('glimm2025', 9, 9)]
    """
    edge_limit = check_int("edge_limit", edge_limit, 0, MAX_LIMIT)
    codes = index.document_codes(ids) if ids is not None else np.arange(len(index.document_ids))
    counts = _citations_per_document(index)
    result = []
    for code in codes.tolist():
        edges = index.document_edges[index.document_pointer[code] : index.document_pointer[code + 1]]
        document = index.document_ids[code]
        result.append(
            DocumentSupport(
                document, counts[document], int(edges.size), tuple(index.edges(edges[:edge_limit])),
                edges.size > edge_limit,
            )
        )
    return tuple(result)


def _citations_per_document(index: GraphIndex) -> Counter:
    if index.citations is None:
        return Counter()
    return Counter(citation.document for cites in index.citations for citation in cites)


def stats(index: GraphIndex) -> GraphStats:
    """Node, edge and citation counts of the whole graph.

    >>> from tests.fixture_graph import fixture_index
    >>> summary = stats(fixture_index())
    >>> summary.nodes, summary.edges, summary.edges_per_predicate["precedes"]
    (19, 33, 4)
    """
    per_category = np.bincount(index.node_category, minlength=len(index.category_names))
    per_predicate = np.bincount(index.edge_predicate, minlength=len(index.predicate_names))
    per_document = _citations_per_document(index)
    return GraphStats(
        nodes=index.node_count,
        edges=index.edge_count,
        citations=int(index.edge_support.sum()),
        nodes_per_category=dict(zip(index.category_names, per_category.tolist(), strict=True)),
        edges_per_predicate=dict(zip(index.predicate_names, per_predicate.tolist(), strict=True)),
        citations_per_document={doc: per_document[doc] for doc in index.document_ids},
    )
