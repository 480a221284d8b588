"""Pooled evidence: the edges of one subject-object pair whose predicates share a causal polarity
(promotes, enables, causes... under ``positively_affects``) are one claim, and an answer that
pools them carries every citation of every one of them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from kg.errors import InvalidQueryError
from kg.query.index import Edge, GraphIndex, Through

EVIDENCE_MODES = ("asserted", "pooled")
#: the predicate a pooled edge of each causal polarity is named by (a root of the hierarchy)
POOLED_PREDICATE = {"positive": "positively_affects", "negative": "negatively_affects", "unsigned": "affects"}
POOLED_SIGN = {"positive": 1, "negative": -1, "unsigned": 0}


def check_evidence(evidence: str) -> None:
    if evidence not in EVIDENCE_MODES:
        raise InvalidQueryError(f"evidence must be one of {', '.join(EVIDENCE_MODES)}, not {evidence!r}")


def pool_key(index: GraphIndex, predicate: str) -> str:
    """The name a pooled answer gives ``predicate``: its causal root, or itself if not causal.

    >>> from tests.fixture_graph import fixture_index
    >>> pool_key(fixture_index(), "promotes"), pool_key(fixture_index(), "part_of")
    ('positively_affects', 'part_of')
    """
    polarity = index.predicates.get(predicate, {}).get("polarity", "non_causal")
    return POOLED_PREDICATE.get(polarity, predicate)


def pool_edges(index: GraphIndex, edges: Iterable[Edge], *,
               stand_for: Mapping[str, tuple[str, str]] | None = None) -> list[Edge]:
    """Merge the edges of one subject-object pair whose predicates share a causal polarity into
    one edge named by that polarity's root (``positively_affects``...), carrying every citation
    and the predicates it pooled; non-causal edges stay as they are. Most citations first.

    ``stand_for`` maps the id of a stand-in node to (the id of the query node it stands in for,
    ``member`` or ``group``): its edges are pooled onto the query node's and listed in ``through``
    (an edge between two stand-ins of one node is dropped).

    >>> from kg.query.edges import find_edges
    >>> from tests.fixture_graph import fixture_index
    >>> index = fixture_index()
    >>> pooled = pool_edges(index, find_edges(index, subject="EMT", object="local invasion").edges)
    >>> [(e.predicate, e.sign, e.pooled) for e in pooled]
    [('positively_affects', 1, ('promotes',))]
    >>> edges = find_edges(index, object="EMT", predicate="promotes").edges
    >>> merged = pool_edges(index, edges, stand_for={"mkg:tgfb1": ("mkg:tgf_beta_signaling", "member")})
    >>> [(t.subject.id, t.relation) for e in merged for t in e.through]
    [('mkg:tgfb1', 'member')]
    """
    stand_for = stand_for or {}

    def anchor(node_id: str) -> str:
        return stand_for.get(node_id, (node_id, None))[0]

    groups: dict[tuple[str, str, str], list[Edge]] = {}
    for edge in edges:
        key = (anchor(edge.subject.id), pool_key(index, edge.predicate), anchor(edge.object.id))
        if key[0] != key[2]:
            groups.setdefault(key, []).append(edge)
    pooled = []
    for (subject, name, object_), members in groups.items():
        first = members[0]
        through = tuple(_through(edge, stand_for) for edge in members
                        if (edge.subject.id, edge.object.id) != (subject, object_))
        if name == first.predicate and len(members) == 1 and not through:
            pooled.append(first)
            continue
        citations = {(c.document, c.locator, c.statement): c for edge in members for c in edge.citations}
        polarity = index.predicates[first.predicate]["polarity"]
        pair = (index.position(subject), index.position(object_))
        pooled.append(Edge(index.node(subject), name, index.node(object_), POOLED_SIGN.get(polarity, first.sign),
                           tuple(sorted(citations.values(), key=lambda c: (c.document, c.locator))),
                           tuple(sorted({edge.predicate for edge in members})), first.provenance, through,
                           index.pair_conflicts.get(pair, ())))
    return sorted(pooled, key=lambda edge: -len(edge.citations))


def _through(edge: Edge, stand_for: Mapping[str, tuple[str, str]]) -> Through:
    relation = (stand_for.get(edge.subject.id) or stand_for[edge.object.id])[1]
    return Through(edge.subject, edge.predicate, edge.object, relation,
                   tuple(sorted({citation.document for citation in edge.citations})))
