"""The k-hop neighbourhood of one node or a set of nodes, bounded by a node limit.

Hop by hop, the edges at the current frontier that pass the filters are taken best-supported
first (most citations, then most documents), and the nodes they lead to are admitted until
``limit`` nodes are in the result; ``truncated`` then says that more were within reach. The
walk stops reading edges as soon as the limit is full, so its work follows the limit and not
the degree of the hubs met on the way (see :func:`_best_first_hop`). The edges kept then stop,
best-supported first, at :data:`kg.query.bounds.MAX_ANSWER_RECORDS` edges and citations carried;
``truncated_by`` says which cap cut the answer (``limit`` or ``size``).

>>> from tests.fixture_graph import fixture_index
>>> result = neighborhood(fixture_index(), "EMT", direction="in", predicates="promotes")
>>> sorted(node.node.label for node in result.nodes if node.hop == 1)
['NF-κB', 'TGF-β signaling', 'TGFB1', 'hypoxia']
"""

from __future__ import annotations

import functools
import heapq
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from kg.query.bounds import MAX_ANSWER_RECORDS, leading_within, record_costs
from kg.query.compiled import njit
from kg.query.evidence import check_evidence, pool_edges
from kg.query.hierarchy import check_expand, stand_ins
from kg.query.index import Edge, GraphIndex, Node, check_direction, check_int
from kg.query.lookup import resolve_all
from kg.query.records import EdgeRecords, edge_record

MAX_DEPTH = 3
MAX_LIMIT = 500
DEFAULT_LIMIT = 100
EDGES_PER_NODE = 4  # the result keeps at most this many edges per node of the limit


@dataclass(frozen=True)
class NeighborNode:
    """A node of a neighbourhood and its hop distance from the nearest seed (seeds: 0)."""

    node: Node
    hop: int

    def to_dict(self) -> dict[str, Any]:
        return {**self.node.to_dict(), "hop": self.hop}


@dataclass(frozen=True)
class Neighborhood:
    """Nodes (seeds first, then by hop, best-supported first) and the edges walked between them;
    ``truncated_by`` is None, ``"limit"`` or ``"size"`` (see the module's docstring).

    ``nodes`` and ``edges`` are built from the index on first access: a full result holds
    hundreds of nodes and up to ``4 * limit`` edges, and making their records costs more than
    finding them.
    """

    seeds: tuple[Node, ...]
    depth: int
    direction: str
    limit: int
    truncated: bool
    index: GraphIndex = field(repr=False, compare=False)
    node_numbers: np.ndarray = field(repr=False, compare=False)
    hops: np.ndarray = field(repr=False, compare=False)
    edge_numbers: np.ndarray = field(repr=False, compare=False)
    truncated_by: str | None = None
    evidence: str = "asserted"  # "pooled": a pair's edges of one causal polarity answered as one

    @functools.cached_property
    def nodes(self) -> tuple[NeighborNode, ...]:
        return tuple(
            NeighborNode(self.index.node(node), hop)
            for node, hop in zip(self.node_numbers.tolist(), self.hops.tolist(), strict=True)
        )

    @functools.cached_property
    def edges(self) -> tuple[Edge, ...]:
        edges = self.index.edges(self.edge_numbers)
        return tuple(pool_edges(self.index, edges) if self.evidence == "pooled" else edges)

    def to_dict(self, edge_records: EdgeRecords | None = None) -> dict[str, Any]:
        """The answer as JSON-ready data. ``edge_records`` (:mod:`kg.query.records`, keyed by edge
        number) lets answers share the records of asserted edges; pooled edges are made afresh."""
        if edge_records is None or self.evidence == "pooled":
            edges = [edge.to_dict() for edge in self.edges]
        else:  # an edge record found there spares making the edge
            edges = [edge_record(edge_records, edge, self.index.edge, edge) for edge in self.edge_numbers.tolist()]
        return {
            "seeds": [node.to_dict() for node in self.seeds],
            "nodes": [node.to_dict() for node in self.nodes],
            "edges": edges,
            "depth": self.depth,
            "direction": self.direction,
            "limit": self.limit,
            "truncated": self.truncated,
            "truncated_by": self.truncated_by,
        }


@njit(cache=True, nogil=True)
def _best_first_hop(out_pointer, out_neighbor, out_edge, out_predicate, in_pointer, in_neighbor, in_edge,
                    in_predicate, ways, frontier, hop, hop_of, room, predicate_ok, category_ok, node_category,
                    cited, walked, walked_count):
    """Admit up to ``room`` new nodes one hop from ``frontier``, best-supported edge first.

    The frontier's CSR slices (one per node and direction) are each sorted by edge number,
    which ranks edges by support, so a heap merge of the slices visits edges globally best
    first and stops as soon as the room is full: the work follows the limit, not the degrees.
    Records the edges that reach admitted nodes in ``walked``. Returns (new nodes, number of
    walked edges, whether anything was left out). ``ways``: 0 out, 1 in, 2 both.
    """
    heap = [(np.int64(0), np.int64(0), np.int64(0)) for _ in range(0)]
    slice_end = np.empty(2 * frontier.size, dtype=np.int64)
    for way in range(2):
        if ways != 2 and ways != way:
            continue
        pointer, edges = (out_pointer, out_edge) if way == 0 else (in_pointer, in_edge)
        for i in range(frontier.size):
            k = way * frontier.size + i
            start, slice_end[k] = pointer[frontier[i]], pointer[frontier[i] + 1]
            if start < slice_end[k]:
                heap.append((np.int64(edges[start]), np.int64(k), np.int64(start)))
    heapq.heapify(heap)
    new = np.empty(room, dtype=np.int32)
    admitted, left_out = 0, False
    while heap:
        edge, k, position = heapq.heappop(heap)
        neighbors, edges, predicates = (
            (out_neighbor, out_edge, out_predicate) if k < frontier.size else (in_neighbor, in_edge, in_predicate)
        )
        if position + 1 < slice_end[k]:
            heapq.heappush(heap, (np.int64(edges[position + 1]), k, position + 1))
        if not predicate_ok[predicates[position]]:
            continue
        if cited.size and cited[min(np.searchsorted(cited, edge), cited.size - 1)] != edge:
            continue
        node = neighbors[position]
        if hop_of[node] < 0:
            if not category_ok[node_category[node]]:
                continue
            if admitted == room:
                left_out = True
                break
            hop_of[node], new[admitted] = hop, node
            admitted += 1
        if walked_count == walked.size:
            left_out = True
        else:
            walked[walked_count] = edge
            walked_count += 1
    return new[:admitted], walked_count, left_out


def neighborhood(
    index: GraphIndex,
    nodes: str | Iterable[str],
    *,
    depth: int = 1,
    direction: str = "both",
    predicates: str | Iterable[str] | None = None,
    categories: str | Iterable[str] | None = None,
    documents: str | Iterable[str] | None = None,
    limit: int = DEFAULT_LIMIT,
    evidence: str = "asserted",
    expand: str = "none",
) -> Neighborhood:
    """Nodes within ``depth`` (1-3) hops of ``nodes`` along edges in ``direction``
    (``out``, ``in`` or ``both``), keeping at most ``limit`` (1-500) nodes, seeds included.

    Filters: ``predicates`` (edges), ``categories`` (nodes reached; seeds always stay) and
    ``documents`` (edges cited by one of them); ``evidence="pooled"`` answers a pair's edges of
    one causal polarity as one edge (:mod:`kg.query.evidence`); ``expand`` (``members`` or
    ``hierarchy``, :mod:`kg.query.hierarchy`) starts the walk from each seed's stand-ins too, at hop
    0, so that their edges show which member (or group) they come from. Edges are those read from
    a node closer than ``depth`` to a node of the result, best-supported first, at most ``4 * limit`` and at most
    :data:`kg.query.bounds.MAX_ANSWER_RECORDS` edges and citations together.

    >>> from tests.fixture_graph import fixture_index
    >>> result = neighborhood(fixture_index(), "tumor microenvironment", direction="out", limit=3)
    >>> [n.node.id for n in result.nodes], result.truncated
    (['mkg:tme', 'mkg:metastasis', 'mkg:angiogenesis'], True)
    """
    depth = check_int("depth", depth, 1, MAX_DEPTH)
    limit = check_int("limit", limit, 1, MAX_LIMIT)
    direction = check_direction(direction)
    check_evidence(evidence)
    check_expand(expand)
    seeds = resolve_all(index, nodes, what="nodes", limit=limit)
    starts = list(dict.fromkeys(node for seed in seeds for node in stand_ins(index, seed, expand)))[:limit]
    predicate_ok = np.ones(max(1, len(index.predicate_names)), dtype=bool)
    if predicates is not None:
        predicate_ok[:] = False
        predicate_ok[index.predicate_codes(predicates)] = True
    category_ok = np.ones(len(index.category_names), dtype=bool)
    if categories is not None:
        category_ok[:] = False
        category_ok[index.category_codes(categories)] = True
    document_codes = index.document_codes(documents)
    cited = index.edges_citing(document_codes) if document_codes is not None else np.zeros(0, dtype=np.int32)
    if document_codes is not None and not cited.size:
        cited = np.array([-1], dtype=np.int32)  # no edge at all passes

    hop_of = np.full(index.node_count, -1, dtype=np.int8)
    hop_of[starts] = 0
    admitted = [np.array(starts, dtype=np.int32)]
    walked = np.empty(EDGES_PER_NODE * limit, dtype=np.int64)
    walked_count, truncated = 0, False
    for hop in range(1, depth + 1):
        room = limit - sum(len(nodes) for nodes in admitted)
        new, walked_count, left_out = _best_first_hop(
            index.out_pointer, index.out_neighbor, index.out_edge, index.out_predicate,
            index.in_pointer, index.in_neighbor, index.in_edge, index.in_predicate,
            ("out", "in", "both").index(direction), admitted[-1], hop, hop_of, room, predicate_ok,
            category_ok, index.node_category, cited, walked, walked_count,
        )
        truncated |= left_out
        admitted.append(new)
        if not new.size:
            break
    edge_numbers = np.unique(walked[:walked_count])  # edge numbers rank edges best-supported first
    fitting = leading_within(record_costs(index, edge_numbers), MAX_ANSWER_RECORDS)
    truncated_by = "size" if fitting < edge_numbers.size else "limit" if truncated else None
    order = np.concatenate(admitted)
    return Neighborhood(
        seeds=tuple(index.node(node) for node in seeds),
        depth=depth,
        direction=direction,
        limit=limit,
        truncated=truncated_by is not None,
        index=index,
        node_numbers=order,
        hops=hop_of[order],
        edge_numbers=edge_numbers[:fitting],
        truncated_by=truncated_by,
        evidence=evidence,
    )
