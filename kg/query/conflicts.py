"""Disagreement between documents: subject-object pairs stated with opposite signs, and claims
stated with different certainty by different documents.

A *claim* is what :func:`kg.query.edges.pool_edges` makes of a pair's edges: those whose predicates
share a causal polarity (positive, negative, unsigned) pooled, each non-causal predicate on its
own. Two kinds of conflict are listed:

* ``opposite_signs``: a pair has a positive claim (``promotes``, ``enables``...) and a negative
  one (``inhibits``...); both sides come with their predicates, documents and citations.
* ``certainty``: documents give one claim different certainty; a document's level is the
  strongest certainty among its citations of the claim (stated > hedged > implied), so a
  document that states it beside one that only hedges or implies it disagree.

Conflicts come most citations first, then by subject id, object id, kind and polarity, so pages
are stable.

>>> from tests.fixture_graph import fixture_index
>>> page = find_conflicts(fixture_index(), node="hypoxia")
>>> [(c.kind, c.subject.id, c.object.id, c.polarity) for c in page.conflicts]
[('certainty', 'mkg:hypoxia', 'mkg:angiogenesis', 'positive')]
>>> [(d.document, d.certainty) for d in page.conflicts[0].certainties]
[('wolf2025', 'stated'), ('glimm2025', 'hedged')]
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from kg.errors import InvalidQueryError
from kg.query.edges import MAX_LIMIT, Page, pool_edges
from kg.query.index import CERTAINTIES, Citation, Edge, GraphIndex, Node, check_int
from kg.query.lookup import resolve
from kg.query.memo import kept

KINDS = ("opposite_signs", "certainty")
#: codes of the polarities in the candidate search; every other predicate is its own claim
_POLARITY_CODE = {"positive": 0, "negative": 1, "unsigned": 2}
_NON_CAUSAL = len(_POLARITY_CODE)


@dataclass(frozen=True)
class ConflictSide:
    """One side of an opposite-signs conflict: the predicates of one polarity and their evidence."""

    predicates: tuple[str, ...]
    citations: tuple[Citation, ...]

    @property
    def documents(self) -> tuple[str, ...]:
        return tuple(sorted({citation.document for citation in self.citations}))

    def to_dict(self) -> dict[str, Any]:
        return {
            "predicates": list(self.predicates),
            "documents": list(self.documents),
            "citations": [citation.to_dict() for citation in self.citations],
        }


@dataclass(frozen=True)
class DocumentCertainty:
    """How sure one document is of a claim (its strongest citation), with its citations."""

    document: str
    certainty: str
    citations: tuple[Citation, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "document": self.document,
            "certainty": self.certainty,
            "citations": [citation.to_dict() for citation in self.citations],
        }


@dataclass(frozen=True)
class Conflict:
    """A pair the documents disagree on. ``opposite_signs`` fills ``positive`` and ``negative``;
    ``certainty`` fills ``polarity``, ``predicates`` and ``certainties`` (strongest first)."""

    subject: Node
    object: Node
    kind: str
    positive: ConflictSide | None = None
    negative: ConflictSide | None = None
    polarity: str | None = None
    predicates: tuple[str, ...] = ()
    certainties: tuple[DocumentCertainty, ...] = ()

    @property
    def support(self) -> int:
        """Citations on every side of the conflict."""
        sides = (self.positive, self.negative, *self.certainties)
        return sum(len(side.citations) for side in sides if side is not None)

    def sort_key(self) -> tuple:
        return -self.support, self.subject.id, self.object.id, self.kind, self.polarity or ""

    def to_dict(self) -> dict[str, Any]:
        certainty = self.kind == "certainty"
        return {
            "subject": self.subject.to_dict(),
            "object": self.object.to_dict(),
            "kind": self.kind,
            "support": self.support,
            "positive": self.positive.to_dict() if self.positive else None,
            "negative": self.negative.to_dict() if self.negative else None,
            "polarity": self.polarity,
            "predicates": list(self.predicates) if certainty else None,
            "certainties": [entry.to_dict() for entry in self.certainties] if certainty else None,
        }


class ConflictPage(Page):
    """One page of conflicts."""

    ITEMS = "conflicts"

    @property
    def conflicts(self) -> tuple[Conflict, ...]:
        return self.items


def find_conflicts(
    index: GraphIndex, *, kind: str | None = None, node: str | None = None, limit: int = 100, offset: int = 0
) -> ConflictPage:
    """Conflicts of one ``kind`` (or both), those of pairs that touch ``node`` (a node name or
    id) if given, most citations first.

    >>> from tests.fixture_graph import fixture_index
    >>> page = find_conflicts(fixture_index(), kind="certainty", limit=1)
    >>> [(c.subject.label, c.object.label, c.predicates, c.support) for c in page.conflicts]
    [('tumor microenvironment', 'metastasis', ('regulates',), 3)]
    >>> page.total, page.truncated
    (2, True)
    >>> find_conflicts(fixture_index(), kind="opposite").total
    Traceback (most recent call last):
    ...
    kg.errors.InvalidQueryError: kind must be one of opposite_signs, certainty, not 'opposite'
    """
    if kind is not None and kind not in KINDS:
        raise InvalidQueryError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}",
                                detail={"allowed": list(KINDS)})
    limit = check_int("limit", limit, 1, MAX_LIMIT)
    offset = check_int("offset", offset, 0, index.edge_count + MAX_LIMIT)
    node_id = resolve(index, node).id if node is not None else None
    matches = [
        conflict for conflict in all_conflicts(index)
        if (kind is None or conflict.kind == kind) and (node_id is None or node_id in (conflict.subject.id,
                                                                                          conflict.object.id))
    ]
    return ConflictPage.of(matches, limit, offset)


def all_conflicts(index: GraphIndex) -> tuple[Conflict, ...]:
    """Every conflict of the graph, sorted; worked out once per index (it is read-only)."""
    return kept(index, ("conflicts",), lambda: _all_conflicts(index))


def _all_conflicts(index: GraphIndex) -> tuple[Conflict, ...]:
    pairs: dict[tuple[str, str], list[Edge]] = {}
    for edge in index.edges(_candidate_edges(index)):
        pairs.setdefault((edge.subject.id, edge.object.id), []).append(edge)
    return tuple(sorted((c for group in pairs.values() for c in _pair_conflicts(index, group)),
                        key=Conflict.sort_key))


def flag_conflicts(index: GraphIndex) -> None:
    """Record on ``index`` which pairs the documents disagree on, so that every edge of such a pair
    says so (``Edge.conflicts``) wherever it is answered."""
    flags: dict[tuple[int, int], list[str]] = {}
    for conflict in all_conflicts(index):
        pair = (index.position(conflict.subject.id), index.position(conflict.object.id))
        if conflict.kind not in flags.setdefault(pair, []):
            flags[pair].append(conflict.kind)
    index.pair_conflicts = {pair: tuple(kinds) for pair, kinds in flags.items()}


def _candidate_edges(index: GraphIndex) -> np.ndarray:
    """Edges of the pairs that may hold a conflict, found with array operations so that a large
    graph is not read edge by edge: pairs with edges of both causal signs, and claims whose
    citations carry more than one certainty."""
    if index.edge_count == 0:
        return np.zeros(0, dtype=np.int64)
    polarity = np.array(
        [_POLARITY_CODE.get(index.predicates[name]["polarity"], _NON_CAUSAL) for name in index.predicate_names],
        dtype=np.int64,
    )[index.edge_predicate]
    pair = index.edge_src.astype(np.int64) * index.node_count + index.edge_dst
    opposite = np.isin(pair, np.intersect1d(pair[polarity == 0], pair[polarity == 1]))
    # a claim: the pair with a causal polarity, or with one non-causal predicate
    claim_code = np.where(polarity < _NON_CAUSAL, polarity, _NON_CAUSAL + index.edge_predicate)
    _, claim = np.unique(pair * (_NON_CAUSAL + len(index.predicate_names)) + claim_code, return_inverse=True)
    levels = np.zeros(claim.max() + 1, dtype=np.int64)
    for bit in range(len(CERTAINTIES)):
        present = np.zeros_like(levels, dtype=bool)
        present[claim[(index.edge_certainty & (1 << bit)) != 0]] = True
        levels += present
    return np.flatnonzero(opposite | (levels[claim] > 1))


def _pair_conflicts(index: GraphIndex, edges: Iterable[Edge]) -> list[Conflict]:
    """The conflicts among the edges of one subject-object pair."""
    claims = {}
    for claim in pool_edges(index, edges):
        predicates = claim.pooled or (claim.predicate,)
        claims.setdefault(index.predicates[predicates[0]]["polarity"], []).append((predicates, claim))
    first = next(iter(claims.values()))[0][1]
    subject, object_ = first.subject, first.object
    conflicts = []
    if "positive" in claims and "negative" in claims:
        (positive, positive_claim), = claims["positive"]
        (negative, negative_claim), = claims["negative"]
        conflicts.append(Conflict(subject, object_, "opposite_signs",
                                  positive=ConflictSide(positive, positive_claim.citations),
                                  negative=ConflictSide(negative, negative_claim.citations)))
    for polarity, members in claims.items():
        for predicates, claim in members:
            certainties = _document_certainties(claim.citations)
            if len({entry.certainty for entry in certainties}) > 1:
                conflicts.append(Conflict(subject, object_, "certainty", polarity=polarity,
                                          predicates=predicates, certainties=certainties))
    return conflicts


def _document_certainties(citations: Iterable[Citation]) -> tuple[DocumentCertainty, ...]:
    """Each document's strongest certainty of a claim with its citations, strongest first."""
    by_document: dict[str, list[Citation]] = {}
    for citation in citations:
        by_document.setdefault(citation.document, []).append(citation)
    rank = {certainty: i for i, certainty in enumerate(CERTAINTIES)}
    entries = [
        DocumentCertainty(document, min((c.certainty for c in cited), key=lambda c: rank.get(c, len(rank))),
                          tuple(cited))
        for document, cited in by_document.items()
    ]
    return tuple(sorted(entries, key=lambda entry: (rank.get(entry.certainty, len(rank)), entry.document)))
