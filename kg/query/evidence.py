"""Pooled evidence: the edges of one subject-object pair whose predicates share a causal polarity
(promotes, enables, causes... under ``positively_affects``) are one claim, and an answer that
pools them carries every citation of every one of them.
"""

from __future__ import annotations

from collections.abc import Iterable

from kg.errors import InvalidQueryError
from kg.query.index import Edge, GraphIndex

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


def pool_edges(index: GraphIndex, edges: Iterable[Edge]) -> list[Edge]:
    """Merge the edges of one subject-object pair whose predicates share a causal polarity into
    one edge named by that polarity's root (``positively_affects``...), carrying every citation
    and the predicates it pooled; non-causal edges stay as they are. Most citations first.

    >>> from kg.query.edges import find_edges
    >>> from tests.fixture_graph import fixture_index
    >>> index = fixture_index()
    >>> pooled = pool_edges(index, find_edges(index, subject="EMT", object="local invasion").edges)
    >>> [(e.predicate, e.sign, e.pooled) for e in pooled]
    [('positively_affects', 1, ('promotes',))]
    """
    groups: dict[tuple[str, str, str], list[Edge]] = {}
    for edge in edges:
        groups.setdefault((edge.subject.id, pool_key(index, edge.predicate), edge.object.id), []).append(edge)
    pooled = []
    for (_, name, _), members in groups.items():
        first = members[0]
        if name == first.predicate and len(members) == 1:
            pooled.append(first)
            continue
        citations = {(c.document, c.locator, c.statement): c for edge in members for c in edge.citations}
        polarity = index.predicates[first.predicate]["polarity"]
        pooled.append(Edge(first.subject, name, first.object, POOLED_SIGN[polarity],
                           tuple(sorted(citations.values(), key=lambda c: (c.document, c.locator))),
                           tuple(sorted(edge.predicate for edge in members))))
    return sorted(pooled, key=lambda edge: -len(edge.citations))
