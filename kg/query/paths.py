"""Paths between two nodes or two sets of nodes: shortest, k shortest (Yen) and all simple.

A path is a sequence of nodes plus, for each hop, ONE edge: the best-supported admissible
edge between the two nodes (most citations, then most documents, then predicate name). So
parallel edges never multiply the paths; the chosen edge's sign is the hop's sign. Paths
follow edge direction (subject -> object) unless ``directed=False``.

Between node sets, a path starts at a source, ends at the first target it reaches, and its
inner nodes are neither sources nor targets. Category and node filters apply to inner nodes
only; predicate filters apply to every hop.

The sign of a path is the product of its hop signs, or 0 (unknown) if any hop is unsigned; a
member-of, kind-of or part-of hop passes the sign through (:func:`path_signs`):

>>> from tests.fixture_graph import fixture_index
>>> index = fixture_index()
>>> path = shortest_path(index, "TGF-β receptor inhibitor", "EMT").paths[0]
>>> [node.id for node in path.nodes], [edge.predicate for edge in path.edges], path.sign
(['mkg:tgfb_inhibitor', 'mkg:tgf_beta_signaling', 'mkg:emt'], ['inhibits', 'promotes'], -1)

Every query runs under a time budget (``timeout_ms``) that covers the search and building the
answer's records (the search may use ``SEARCH_SHARE`` of it, the rest is kept for the records),
and returns what it found so far with ``timed_out`` set; only a query that found nothing in time
raises :class:`QueryTimeoutError`. An answer also carries at most
:data:`kg.query.bounds.MAX_ANSWER_RECORDS` edges and citations. ``truncated`` says that more paths
exist than were returned, and ``truncated_by`` what cut them: the path cap (``max_paths``, or
``k``), the time budget (``timeout``) or the answer's size (``size``).

Shortest paths come from a compiled (numba) bidirectional breadth-first search over the CSR
index (see :mod:`kg.query.index`) that always grows the side whose frontier has fewer edges; Yen's
algorithm calls it once per spur node. Simple paths are a depth-first walk, pruned by a
backward search that tells how many hops each node is from the targets, with each step a
vectorised numpy gather. The budget is checked between searches and walk steps; one search
reads each edge at most once (tens of milliseconds on millions of edges).

Among several paths of equal length beyond ``k``, Yen's algorithm keeps those with the
smallest node numbers, not necessarily the best-supported ones; results are then ranked by
length, support (total citations of the chosen edges) and node ids.
"""

from __future__ import annotations

import functools
import heapq
import itertools
import threading
import time
import weakref
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from kg.errors import InvalidQueryError, QueryTimeoutError
from kg.query.bounds import MAX_ANSWER_RECORDS, leading_within, record_costs
from kg.query.compiled import njit
from kg.query.evidence import check_evidence, pool_edges, pool_key
from kg.query.hierarchy import check_expand, stand_ins
from kg.query.index import Edge, GraphIndex, Node, check_int
from kg.query.lookup import resolve_all
from kg.query.memo import kept
from kg.query.records import EdgeRecords, edge_record

MODES = ("shortest", "k_shortest", "simple")
MAX_K = 50
MAX_LENGTH = 5
MAX_PATHS = 1000
MAX_TIMEOUT_MS = 60_000
DEFAULT_TIMEOUT_MS = 2000
# The share of the time budget the search may use; the rest is kept for building the answer's
# records, so that a search cut by the budget still has time to return what it found.
SEARCH_SHARE = 0.8
MAX_KEPT_SUCCESSORS = 1024  # edges at a node beyond which its successors are found each time, not kept

# The clock the time budget reads; a module attribute so that tests can replace it.
_now = time.perf_counter


@dataclass(frozen=True)
class Path:
    """Nodes, the edge chosen for each hop, the composed sign and the total citation count.

    Node and edge records (with their citations) are built on first access: a query that ranks
    many candidate paths, or a caller that only needs lengths and signs, pays for none of them.
    """

    index: GraphIndex = field(repr=False, compare=False)
    node_numbers: tuple[int, ...]
    edge_numbers: tuple[int, ...]
    sign: int
    support: int
    # evidence=pooled: for each hop, the edges pooled with the chosen one (the chosen one first)
    pooled_hops: tuple[tuple[int, ...], ...] | None = None
    expand: str = "none"  # how far each pooled hop reached through the hierarchy (kg.query.hierarchy)

    @functools.cached_property
    def nodes(self) -> tuple[Node, ...]:
        return tuple(self.index.node(node) for node in self.node_numbers)

    @functools.cached_property
    def edges(self) -> tuple[Edge, ...]:
        if self.pooled_hops is None:
            return tuple(self.index.edges(self.edge_numbers))
        return tuple(pooled_edge(self.index, group, self.expand) for group in self.pooled_hops)

    @property
    def hop_keys(self) -> tuple:
        """What identifies each hop's edge record: its edge number, or its pooled edge numbers with
        ``expand`` (the record names the stand-ins that reach tells)."""
        if self.pooled_hops is None:
            return self.edge_numbers
        return tuple((self.expand, group) for group in self.pooled_hops)

    @property
    def length(self) -> int:
        return len(self.edge_numbers)

    def to_dict(self, edge_records: EdgeRecords | None = None) -> dict[str, Any]:
        """The path as JSON-ready data. ``edge_records`` (:mod:`kg.query.records`, keyed by
        :attr:`hop_keys`) lets the paths of one answer, or answers, share their edges' records."""
        shared = {} if edge_records is None else edge_records
        return {
            "nodes": [node.to_dict() for node in self.nodes],
            "edges": [edge_record(shared, key, self.edges.__getitem__, hop) for hop, key in enumerate(self.hop_keys)],
            "length": self.length,
            "sign": self.sign,
            "support": self.support,
        }


@dataclass(frozen=True)
class PathResult:
    """The paths found, ranked by length then support, with completeness flags:
    ``truncated_by`` is None, ``"max_paths"``, ``"k"``, ``"timeout"`` or ``"size"``."""

    mode: str
    sources: tuple[Node, ...]
    targets: tuple[Node, ...]
    paths: tuple[Path, ...]
    truncated: bool
    timed_out: bool
    truncated_by: str | None = None

    def to_dict(self, edge_records: EdgeRecords | None = None) -> dict[str, Any]:
        """The answer as JSON-ready data; ``edge_records`` as in :meth:`Path.to_dict` (default: shared
        within this answer only)."""
        edge_records = {} if edge_records is None else edge_records
        return {
            "mode": self.mode,
            "sources": [node.to_dict() for node in self.sources],
            "targets": [node.to_dict() for node in self.targets],
            "paths": [path.to_dict(edge_records) for path in self.paths],
            "truncated": self.truncated,
            "truncated_by": self.truncated_by,
            "timed_out": self.timed_out,
        }


class _OutOfTime(Exception):
    """The time budget ran out inside a search."""


class _Scratch:
    """Per-thread work arrays, reused across queries: a node is 'seen' by a search when its
    stamp equals the search's number, so nothing has to be cleared between searches."""

    def __init__(self, n: int, predicate_count: int):
        self.serial = 0
        self.every_predicate = np.ones(max(1, predicate_count), dtype=bool)  # the unfiltered table
        self.stamp = np.zeros((2, n), dtype=np.int64)  # forward, backward
        self.parent = np.zeros((2, n), dtype=np.int32)
        self.queue = np.zeros((2, n), dtype=np.int32)  # each side's BFS queue
        self.slot = np.zeros(n, dtype=np.int32)

    def next_serial(self) -> int:
        self.serial += 1
        return self.serial


_scratch = threading.local()


def _scratch_for(index: GraphIndex) -> _Scratch:
    owner = getattr(_scratch, "owner", None)
    if owner is None or owner() is not index:
        _scratch.owner = weakref.ref(index)
        _scratch.arrays = _Scratch(index.node_count, len(index.predicate_names))
    return _scratch.arrays


@njit(cache=True, nogil=True)
def _expansion_cost(out_pointer, in_pointer, node, side, undirected):
    """Edges that growing the search ``side`` (0 forward, 1 backward) from ``node`` reads."""
    out_edges = out_pointer[node + 1] - out_pointer[node]
    in_edges = in_pointer[node + 1] - in_pointer[node]
    if undirected:
        return out_edges + in_edges
    return out_edges if side == 0 else in_edges


@njit(cache=True, nogil=True)
def _bidirectional_bfs(out_pointer, out_neighbor, out_predicate, in_pointer, in_neighbor, in_predicate,
                       undirected, predicate_ok, allowed, sources, targets, stamp, parent, queue, serial):
    """Level-synchronous bidirectional BFS, always growing the side whose frontier has fewer
    edges. Returns (side, node, next) of the hop where the searches meet, or (-1, -1, -1).

    Compiled because a shortest path over a graph of millions of edges must take well under a
    millisecond, far below the cost of even one Python-level step per frontier node.
    """
    head, level_end = np.zeros(2, np.int64), np.zeros(2, np.int64)
    tail, cost = np.zeros(2, np.int64), np.zeros(2, np.int64)
    for side, ends in ((0, sources), (1, targets)):
        for node in ends:
            stamp[side, node], parent[side, node] = serial, -1
            queue[side, tail[side]] = node
            tail[side] += 1
            cost[side] += _expansion_cost(out_pointer, in_pointer, node, side, undirected)
        level_end[side] = tail[side]
    while head[0] < level_end[0] and head[1] < level_end[1]:
        side = 0 if cost[0] <= cost[1] else 1
        other = 1 - side
        cost[side] = 0
        for q in range(head[side], level_end[side]):
            node = queue[side, q]
            for way in range(2 if undirected else 1):
                forward = (side == 0) != (way == 1)  # which CSR this pass reads
                pointer = out_pointer if forward else in_pointer
                neighbor = out_neighbor if forward else in_neighbor
                predicate = out_predicate if forward else in_predicate
                for p in range(pointer[node], pointer[node + 1]):
                    if not predicate_ok[predicate[p]]:
                        continue
                    nxt = neighbor[p]
                    if stamp[other, nxt] == serial:
                        # Every meeting point of this level gives the same length (a shorter
                        # one would have met at an earlier level), so the first one will do.
                        return side, node, nxt
                    if stamp[side, nxt] == serial or not allowed[nxt]:
                        continue
                    stamp[side, nxt], parent[side, nxt] = serial, node
                    queue[side, tail[side]] = nxt
                    tail[side] += 1
                    cost[side] += _expansion_cost(out_pointer, in_pointer, nxt, side, undirected)
        head[side], level_end[side] = level_end[side], tail[side]
    return -1, -1, -1


@njit(cache=True, nogil=True)
def _hop_edges(out_pointer, out_neighbor, out_edge, out_predicate, in_pointer, in_neighbor, in_edge,
               in_predicate, undirected, predicate_ok, nodes, starts):
    """For each hop a -> b of the node paths ``nodes[starts[i]:starts[i + 1]]`` (all paths in one
    flat array, one call for all), the smallest (best-supported) admissible edge number between
    a and b: a -> b, or also b -> a when ``undirected``. Hops come path after path."""
    hops = np.empty(nodes.size - (starts.size - 1), dtype=np.int64)
    for path in range(starts.size - 1):
        for i in range(starts[path], starts[path + 1] - 1):
            a, b, best = nodes[i], nodes[i + 1], -1
            for p in range(out_pointer[a], out_pointer[a + 1]):
                if out_neighbor[p] == b and predicate_ok[out_predicate[p]]:
                    best = out_edge[p]
                    break
            if undirected:
                for p in range(in_pointer[a], in_pointer[a + 1]):
                    if in_neighbor[p] == b and predicate_ok[in_predicate[p]]:
                        if best < 0 or in_edge[p] < best:
                            best = in_edge[p]
                        break
            hops[i - path] = best  # a path of n nodes has n - 1 hops
    return hops


class _Search:
    """One path query: its filters as lookup tables, its budget, and the search primitives."""

    def __init__(self, index, sources, targets, *, directed, predicates, exclude_predicates,
                 categories, exclude_categories, exclude_nodes, timeout_ms, evidence, expand):
        check_evidence(evidence)
        self.expand = check_expand(expand)
        self.index = index
        self.pooled = evidence == "pooled"
        budget_s = check_int("timeout_ms", timeout_ms, 1, MAX_TIMEOUT_MS) / 1000
        started = _now()
        self.deadline = started + SEARCH_SHARE * budget_s  # the search's share
        self.answer_deadline = started + budget_s  # the whole answer's
        self.timed_out = False
        self.sources = np.array(sources, dtype=np.int32)
        self.targets = np.array(targets, dtype=np.int32)
        overlap = set(sources) & set(targets)
        if overlap:
            names = ", ".join(index.node_ids[node] for node in sorted(overlap))
            raise InvalidQueryError(f"sources and targets must not overlap; both contain {names}")
        # a path from (to) a member of a source (target) answers for it too; never one from a group
        self.asked = frozenset(sources) | frozenset(targets)
        self.sources, self.targets = (
            np.array([node for end in ends.tolist() for node in stand_ins(index, end, expand, groups=False)
                      if node not in other_ends], dtype=np.int32)
            for ends, other_ends in ((self.sources, set(targets)), (self.targets, set(sources))))
        self.out_way, self.in_way = ("out", "in") if directed else ("both", "both")
        self.scratch = _scratch_for(index)
        self.predicate_ok = self._predicate_table(predicates, exclude_predicates)
        # inner_ok: may this node be an inner node of a path?
        inner_ok = np.ones(index.node_count, dtype=bool)
        included, excluded = index.category_codes(categories), index.category_codes(exclude_categories)
        if included is not None:
            inner_ok &= np.isin(index.node_category, included)
        if excluded is not None:
            inner_ok &= ~np.isin(index.node_category, excluded)
        if exclude_nodes is not None:
            inner_ok[resolve_all(index, exclude_nodes, what="exclude_nodes")] = False
        inner_ok[self.sources] = False
        inner_ok[self.targets] = False
        self.inner_ok = inner_ok

    @functools.cached_property
    def is_target(self) -> np.ndarray:
        is_target = np.zeros(self.index.node_count, dtype=bool)
        is_target[self.targets] = True
        return is_target

    def _predicate_table(self, predicates, exclude_predicates) -> np.ndarray:
        """Admissible predicates as a boolean table over predicate codes (read-only)."""
        if predicates is None and exclude_predicates is None:
            return self.scratch.every_predicate
        included = self.index.predicate_codes(predicates)
        excluded = self.index.predicate_codes(exclude_predicates)
        table = np.zeros(max(1, len(self.index.predicate_names)), dtype=bool)
        table[included if included is not None else slice(None)] = True
        if excluded is not None:
            table[excluded] = False
        return table

    def check_time(self) -> None:
        if _now() > self.deadline:
            self.timed_out = True
            raise _OutOfTime

    # ------------------------------------------------------------------------- expansion
    def steps(self, frontier: np.ndarray, way: str) -> tuple[np.ndarray, np.ndarray]:
        """Admissible hops from ``frontier``: (from, to) arrays, best-supported first."""
        owners, neighbours, _, predicates = self.index.adjacent(frontier, way)
        keep = self.predicate_ok[predicates]
        return owners[keep], neighbours[keep]

    def successors(self, node: int) -> np.ndarray:
        """The distinct admissible next nodes of ``node``, best-supported hop first (read-only).
        Without a predicate filter they are the same for every query, so they are kept per index:
        Yen's algorithm asks for them at every spur node (a third of a path query's time)."""
        def find() -> np.ndarray:
            return self.first_seen(*self.steps(np.array([node], dtype=np.int32), self.out_way))[1]
        index = self.index
        degree = index.out_degree(node) + index.in_degree(node)
        if self.predicate_ok is not self.scratch.every_predicate or degree > MAX_KEPT_SUCCESSORS:
            return find()  # a hub's successors are not kept: they would fill the memory
        return kept(index, ("successors", node, self.out_way), find)

    def first_seen(self, owners: np.ndarray, neighbours: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Each distinct neighbour once, with the owner of its first (best) hop, in order."""
        if neighbours.size <= 1:
            return owners, neighbours
        slot, order = self.scratch.slot, np.arange(neighbours.size, dtype=np.int32)
        slot[neighbours[::-1]] = order[::-1]  # the last write wins, i.e. the first occurrence
        keep = slot[neighbours] == order
        return owners[keep], neighbours[keep]

    # ------------------------------------------------------------------ shortest search
    def bfs(self, sources: np.ndarray, targets: np.ndarray, allowed: np.ndarray) -> list[int] | None:
        """A shortest path (node list) from any of ``sources`` to any of ``targets`` whose inner
        nodes are ``allowed``; None if there is none."""
        self.check_time()
        index, scratch = self.index, self.scratch
        side, owner, found = _bidirectional_bfs(
            index.out_pointer, index.out_neighbor, index.out_predicate,
            index.in_pointer, index.in_neighbor, index.in_predicate,
            self.out_way == "both", self.predicate_ok, allowed, sources, targets,
            scratch.stamp, scratch.parent, scratch.queue, scratch.next_serial(),
        )
        return None if side < 0 else self._join(side, owner, found)

    def _join(self, side: int, owner: int, found: int) -> list[int]:
        """The path through the hop owner -> found, walking both parent chains."""
        parent = self.scratch.parent
        near, far = [owner], [found]
        while parent[side, near[-1]] != -1:
            near.append(int(parent[side, near[-1]]))
        while parent[1 - side, far[-1]] != -1:
            far.append(int(parent[1 - side, far[-1]]))
        forward = near[::-1] + far  # from side's start to the other side's start
        return forward if side == 0 else forward[::-1]

    def spur_paths(self, root: list[int], banned_next: set[int], allowed: np.ndarray) -> list[int] | None:
        """Shortest path that extends ``root`` (empty: start at any source) by a first hop not
        into ``banned_next`` and avoids the root's nodes; used by Yen's algorithm."""
        # Plain Python over these few nodes: numpy's per-call cost outweighed the work (py-spy).
        is_target = self.is_target
        candidates = self.successors(root[-1]).tolist() if root else self.sources.tolist()
        nexts = [node for node in candidates if node not in banned_next
                 and (not root or allowed[node] or is_target[node])]
        if not nexts:
            return None
        direct = next((node for node in nexts if is_target[node]), None)
        if direct is not None:
            return root + [direct]
        found = self.bfs(np.array(nexts, dtype=np.int32), self.targets, allowed)
        return root + found if found else None

    # -------------------------------------------------------------------- path building
    def make_paths(self, node_paths: list[list[int]]) -> list[Path]:
        """:class:`Path` records of node lists (each of at least one hop), with the best-supported
        admissible edge of each hop found for all of them in one kernel call; signs by :func:`path_signs`."""
        if not node_paths:
            return []
        index = self.index
        hop_counts = np.array([len(nodes) - 1 for nodes in node_paths], dtype=np.int64)
        hop_starts = np.concatenate(([0], np.cumsum(hop_counts)))
        node_starts = hop_starts + np.arange(len(node_paths) + 1)
        flat = np.fromiter(itertools.chain.from_iterable(node_paths), dtype=np.int32, count=int(node_starts[-1]))
        hops = _hop_edges(
            index.out_pointer, index.out_neighbor, index.out_edge, index.out_predicate,
            index.in_pointer, index.in_neighbor, index.in_edge, index.in_predicate,
            self.out_way == "both", self.predicate_ok, flat, node_starts,
        )
        signs = path_signs(index, hops, hop_starts[:-1]).tolist()
        hop_lists = hops.tolist()
        if self.pooled:  # paths share most of their hops: pool each distinct edge once
            groups = {edge: self.pooled_hop(edge) for edge in set(hop_lists)}
            members = [groups[edge] for edge in hop_lists]
        else:
            members = None
        hop_support = [int(index.edge_support[list(group)].sum()) for group in members] if members else None
        support = (np.add.reduceat(np.array(hop_support, dtype=np.int64), hop_starts[:-1]) if members
                   else np.add.reduceat(index.edge_support[hops].astype(np.int64), hop_starts[:-1])).tolist()
        return [
            Path(index, tuple(nodes), tuple(hop_lists[start:start + count]), sign, total,
                 tuple(members[start:start + count]) if members else None, self.expand)
            for nodes, start, count, sign, total in zip(
                node_paths, hop_starts[:-1].tolist(), hop_counts.tolist(), signs, support, strict=True)
        ]

    def pooled_hop(self, edge: int) -> tuple[int, ...]:
        """The admissible edges of the same direction as ``edge`` whose predicates pool with its
        own (:mod:`kg.query.evidence`): between its two nodes, and under ``expand`` between their
        stand-ins (:func:`hop_stand_for`); ``edge`` first. Without a predicate filter the answer is
        the same for every query, so it is kept (per index, :mod:`kg.query.memo`)."""
        if self.predicate_ok is not self.scratch.every_predicate:
            return self._pooled_hop(edge)
        return kept(self.index, ("hop", edge, self.expand), lambda: self._pooled_hop(edge))

    def _pooled_hop(self, edge: int) -> tuple[int, ...]:
        index = self.index
        source, target = int(index.edge_src[edge]), int(index.edge_dst[edge])
        ends = hop_stand_for(index, source, target, self.expand)
        subjects = [source] + [index.position(node) for node, (anchor, _) in ends.items()
                               if anchor == index.node_ids[source]]
        objects = [target] + [index.position(node) for node, (anchor, _) in ends.items()
                              if anchor == index.node_ids[target]]
        owners, neighbours, between, predicates = index.adjacent(np.array(subjects, dtype=np.int32), "out")
        keep = np.isin(neighbours, objects) & self.predicate_ok[predicates] & (owners != neighbours)
        key = pool_key(index, index.predicate_names[index.edge_predicate[edge]])
        return (edge, *sorted(int(other) for other in np.unique(between[keep]) if other != edge
                              and pool_key(index, index.predicate_names[index.edge_predicate[other]]) == key))


def pooled_edge(index: GraphIndex, group: tuple[int, ...], expand: str) -> Edge:
    """The answer edge of a pooled hop (its edges, the chosen one first): one per group, kept."""
    def pool() -> Edge:
        ends = hop_stand_for(index, int(index.edge_src[group[0]]), int(index.edge_dst[group[0]]), expand)
        return pool_edges(index, index.edges(group), stand_for=ends)[0]
    return kept(index, ("edge", group, expand), pool)


def hop_stand_for(index: GraphIndex, source: int, target: int, expand: str) -> dict[str, tuple[str, str]]:
    """Stand-in id -> (the hop end it stands in for, member or group): the subject's stand-ins
    with groups, the object's members (:func:`kg.query.hierarchy.stand_ins`), neither end itself."""
    if expand == "none":
        return {}
    found = {}
    for end, groups in ((target, False), (source, True)):  # the subject's last: it wins a node on both sides
        for node, how in stand_ins(index, end, expand, groups=groups).items():
            if how is not None and node not in (source, target):
                found[index.node_ids[node]] = (index.node_ids[end], how)
    return found


def path_signs(index: GraphIndex, hops: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """The sign of each path of the flat edge array ``hops`` (path i starts at ``starts[i]``): the
    product of its causal hops' signs. A member-of, kind-of or part-of hop passes the sign through
    (what drives a family or pathway, or what it drives, concerns its members too; what raises a
    step of a process raises the process), any other unsigned hop makes it 0 (unknown), and so does
    a path of such hops only.

    >>> from tests.fixture_graph import fixture_index
    >>> index = fixture_index()
    >>> member = next(e for e in range(index.edge_count) if index.edge_passes_sign[e])
    >>> promotes = next(e for e in range(index.edge_count) if index.edge_sign[e] == 1)
    >>> path_signs(index, np.array([member, promotes, member]), np.array([0, 1])).tolist()
    [0, 1]
    """
    factors = np.where(index.edge_passes_sign[hops], 1, index.edge_sign[hops]).astype(np.int64)
    causal = np.add.reduceat((~index.edge_passes_sign[hops]).astype(np.int64), starts)
    return np.multiply.reduceat(factors, starts) * (causal > 0)


def _rank(paths: Iterable[Path], asked: frozenset[int] = frozenset()) -> tuple[Path, ...]:
    """Shortest first, then those between the nodes asked for before those from or to a member
    (expand), then best supported, then by node ids (deterministic)."""
    def key(path: Path) -> tuple:
        ends_asked = asked >= {path.node_numbers[0], path.node_numbers[-1]} if asked else True
        return path.length, not ends_asked, -path.support, [path.index.node_ids[n] for n in path.node_numbers]
    return tuple(sorted(paths, key=key))


def _result(search: _Search, mode: str, node_paths: list[list[int]], cut_by: str | None, timeout_ms: int):
    """The answer from the node paths found; ``cut_by`` says what stopped the search early, if
    anything ("max_paths", "k" or "timeout")."""
    if not node_paths and search.timed_out:
        raise QueryTimeoutError(
            f"no path found within timeout_ms={timeout_ms}; raise timeout_ms or narrow the query "
            "(fewer hops, predicate or category filters)",
            detail={"timeout_ms": timeout_ms},
        )
    index = search.index
    paths, answer_cut_by = _answer(search, _rank(search.make_paths(node_paths), search.asked))
    truncated_by = answer_cut_by or cut_by  # the answer's cut, if any, came last and cut deeper
    return PathResult(
        mode=mode,
        sources=tuple(index.node(n) for n in search.sources.tolist()),
        targets=tuple(index.node(n) for n in search.targets.tolist()),
        paths=paths,
        truncated=truncated_by is not None,
        timed_out=search.timed_out,
        truncated_by=truncated_by,
    )


def _answer(search: _Search, ranked: tuple[Path, ...]) -> tuple[tuple[Path, ...], str | None]:
    """The leading ranked paths that fit the answer's size cap, their records built while the
    time budget lasts (the best path always), and what cut the rest: "size", "timeout" or None."""
    fitting = leading_within(_record_counts(search.index, ranked), MAX_ANSWER_RECORDS)
    kept: list[Path] = []
    for path in ranked[:fitting]:
        if kept and _now() > search.answer_deadline:
            search.timed_out = True
            return tuple(kept), "timeout"
        path.edges  # noqa: B018 - builds (and caches) the edge records, citations included, now
        kept.append(path)
    return tuple(kept), "size" if fitting < len(ranked) else None


def _record_counts(index: GraphIndex, paths: tuple[Path, ...]) -> np.ndarray:
    """The edge and citation records each path adds to an answer (see :mod:`kg.query.bounds`)."""
    if not paths:
        return np.zeros(0, dtype=np.int64)
    hops = [path.edge_numbers if path.pooled_hops is None else tuple(itertools.chain.from_iterable(path.pooled_hops))
            for path in paths]
    edges = np.fromiter(itertools.chain.from_iterable(hops), dtype=np.int64)
    starts = np.cumsum([0] + [len(edges_of_path) for edges_of_path in hops[:-1]])
    return np.add.reduceat(record_costs(index, edges), starts)  # every path has a hop: no empty slice


def _search(index, sources, targets, filters) -> _Search:
    return _Search(
        index, resolve_all(index, sources, what="sources"), resolve_all(index, targets, what="targets"), **filters
    )


def _via(search: _Search, via: str | None) -> int | None:
    if via is None:
        return None
    node = resolve_all(search.index, via, what="via")[0]
    if node in search.sources.tolist() or node in search.targets.tolist():
        raise InvalidQueryError("via must be a node between the sources and the targets, not one of them")
    return node


def _yen(search: _Search, k: int, via: int | None) -> tuple[list[list[int]], str | None]:
    """Yen's k shortest loopless paths over node sequences (hops, not parallel edges), keeping
    only those through ``via`` if given. Returns the paths found (also when the budget runs
    out) and what may have left more out: "k", "timeout" or None."""
    found: list[list[int]] = []  # every path produced, in order (Yen's list A)
    kept: list[list[int]] = []
    try:
        first = search.bfs(search.sources, search.targets, search.inner_ok)
        candidates: list[tuple[int, list[int]]] = [(len(first), first)] if first else []
        seen = {tuple(first)} if first else set()
        while candidates and len(kept) < k:
            _, path = heapq.heappop(candidates)
            found.append(path)
            if via is None or via in path:
                kept.append(path)
                if len(kept) == k:
                    break
            for i in range(-1, len(path) - 1):  # spur after the first i+1 nodes; -1: a new source
                root = path[: i + 1]
                banned = {p[i + 1] for p in found if p[: i + 1] == root}
                allowed = search.inner_ok.copy()
                allowed[root] = False
                spur = search.spur_paths(root, banned, allowed)
                if spur and tuple(spur) not in seen:
                    seen.add(tuple(spur))
                    heapq.heappush(candidates, (len(spur), spur))
    except _OutOfTime:
        return kept, "timeout"
    return kept, "k" if candidates else None


def shortest_path(
    index: GraphIndex, sources: str | Iterable[str], targets: str | Iterable[str], *,
    directed: bool = True, predicates=None, exclude_predicates=None, categories=None,
    exclude_categories=None, exclude_nodes=None, via: str | None = None,
    timeout_ms: int = DEFAULT_TIMEOUT_MS, evidence: str = "asserted", expand: str = "none",
) -> PathResult:
    """One shortest path (fewest hops) from any source to any target; an empty result if none.

    With ``via``, the shortest path through that node: two legs joined when they are
    disjoint and as short as the two separate distances allow, else the first through
    ``via`` in Yen's order.

    >>> from tests.fixture_graph import fixture_index
    >>> result = shortest_path(fixture_index(), "hypoxia", "metastasis", via="EMT")
    >>> [node.label for node in result.paths[0].nodes]  # doctest: +NORMALIZE_WHITESPACE
    ['hypoxia', 'epithelial-mesenchymal transition', 'local invasion', 'intravasation',
     'survival in the circulation', 'extravasation', 'metastatic colonization', 'metastasis']
    """
    search = _search(index, sources, targets, _filters(locals()))
    via_node = _via(search, via)
    try:
        if via_node is None:
            path = search.bfs(search.sources, search.targets, search.inner_ok)
            found = [path] if path else []
        else:
            found = _shortest_via(search, via_node)
    except _OutOfTime:
        found = []
    return _result(search, "shortest", found, None, timeout_ms)


def _shortest_via(search: _Search, via: int) -> list[list[int]]:
    if not search.inner_ok[via]:
        return []
    via_array = np.array([via], dtype=np.int32)
    first = search.bfs(search.sources, via_array, search.inner_ok)
    if first is None:
        return []
    allowed = search.inner_ok.copy()
    allowed[first] = False
    second = search.bfs(via_array, search.targets, allowed)
    shortest_second = search.bfs(via_array, search.targets, search.inner_ok)
    if second and len(second) == len(shortest_second or ()):
        return [first + second[1:]]
    return _yen(search, 1, via)[0]


def k_shortest_paths(
    index: GraphIndex, sources: str | Iterable[str], targets: str | Iterable[str], k: int = 5, *,
    directed: bool = True, predicates=None, exclude_predicates=None, categories=None,
    exclude_categories=None, exclude_nodes=None, via: str | None = None,
    timeout_ms: int = DEFAULT_TIMEOUT_MS, evidence: str = "asserted", expand: str = "none",
) -> PathResult:
    """Up to ``k`` (<= 50) shortest loopless paths in order of length (Yen's algorithm).

    >>> from tests.fixture_graph import fixture_index
    >>> result = k_shortest_paths(fixture_index(), "hypoxia", "metastasis", k=3)
    >>> [path.length for path in result.paths], result.truncated
    ([2, 7], False)
    """
    k = check_int("k", k, 1, MAX_K)
    search = _search(index, sources, targets, _filters(locals()))
    via_node = _via(search, via)
    found, cut_by = _yen(search, k, via_node)
    return _result(search, "k_shortest", found, cut_by, timeout_ms)


def simple_paths(
    index: GraphIndex, sources: str | Iterable[str], targets: str | Iterable[str], *,
    max_length: int = 3, max_paths: int = 100, directed: bool = True, predicates=None,
    exclude_predicates=None, categories=None, exclude_categories=None, exclude_nodes=None,
    via: str | None = None, timeout_ms: int = DEFAULT_TIMEOUT_MS, evidence: str = "asserted",
    expand: str = "none",
) -> PathResult:
    """All simple paths of at most ``max_length`` (<= 5) hops, up to ``max_paths``.

    Paths are enumerated length by length, so a capped answer holds the shortest ones; within
    a length the walk tries each node's best-supported edges first. A backward search from the
    targets prunes every node that cannot reach one in the hops left.

    >>> from tests.fixture_graph import fixture_index
    >>> result = simple_paths(fixture_index(), "hypoxia", "local invasion", max_length=3)
    >>> [[node.label for node in path.nodes][1:-1] for path in result.paths]
    [['epithelial-mesenchymal transition']]
    """
    max_length = check_int("max_length", max_length, 1, MAX_LENGTH)
    max_paths = check_int("max_paths", max_paths, 1, MAX_PATHS)
    search = _search(index, sources, targets, _filters(locals()))
    via_node = _via(search, via)
    found: list[list[int]] = []
    try:
        hops_left = _hops_to_targets(search, max_length)
        for length in range(1, max_length + 1):
            for source in search.sources.tolist():
                _walk(search, [source], length, hops_left, via_node, found, max_paths + 1)
                if len(found) > max_paths:
                    break
            if len(found) > max_paths:
                break
    except _OutOfTime:
        pass
    cut_by = "max_paths" if len(found) > max_paths else "timeout" if search.timed_out else None
    return _result(search, "simple", found[:max_paths], cut_by, timeout_ms)


def _hops_to_targets(search: _Search, max_length: int) -> np.ndarray:
    """Fewest hops from each node to a target over allowed inner nodes (up to max_length - 1;
    others get max_length): a bounded backward breadth-first search."""
    hops = np.full(search.index.node_count, max_length, dtype=np.int32)
    hops[search.targets] = 0
    frontier = search.targets
    for level in range(1, max_length):
        search.check_time()
        _, reached = search.steps(frontier, search.in_way)
        reached = np.unique(reached)
        reached = reached[search.inner_ok[reached] & (hops[reached] == max_length)]
        hops[reached] = level
        frontier = reached
    return hops


def _walk(search: _Search, path: list[int], length: int, hops_left: np.ndarray, via: int | None,
          found: list[list[int]], cap: int) -> None:
    """Depth-first extension of ``path`` to exactly ``length`` hops ending at a target."""
    search.check_time()
    remaining = length - (len(path) - 1)
    nexts = search.successors(path[-1])
    if remaining == 1:
        for target in nexts[search.is_target[nexts]].tolist():
            if via is None or via in path:
                found.append(path + [target])
                if len(found) >= cap:
                    return
        return
    nexts = nexts[search.inner_ok[nexts] & (hops_left[nexts] <= remaining - 1)]
    for node in nexts.tolist():
        if node not in path:
            _walk(search, path + [node], length, hops_left, via, found, cap)
            if len(found) >= cap:
                return


_FILTERS = ("directed", "predicates", "exclude_predicates", "categories", "exclude_categories",
            "exclude_nodes", "timeout_ms", "evidence", "expand")


def _filters(arguments: dict[str, Any]) -> dict[str, Any]:
    return {name: arguments[name] for name in _FILTERS}


def find_paths(index: GraphIndex, sources, targets, *, mode: str = "shortest", k: int = 5,
               max_length: int = 3, max_paths: int = 100, **options: Any) -> PathResult:
    """Dispatch on ``mode`` (``shortest``, ``k_shortest``, ``simple``); ``options`` are the
    shared filters (``directed``, ``predicates``, ..., ``via``, ``timeout_ms``)."""
    if mode == "shortest":
        return shortest_path(index, sources, targets, **options)
    if mode == "k_shortest":
        return k_shortest_paths(index, sources, targets, k, **options)
    if mode == "simple":
        return simple_paths(index, sources, targets, max_length=max_length, max_paths=max_paths, **options)
    raise InvalidQueryError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
