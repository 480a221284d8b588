"""The in-memory graph index that every query runs on.

networkx stays the exchange format (the RDF loader hands over a ``MultiDiGraph``), but the
queries run on a compact array index built once at start-up:

* nodes are integers ``0..n-1``; their ids, labels and categories sit in parallel lists/arrays;
* edges are integers ``0..m-1`` in one canonical order (best-supported first: citations, then
  distinct documents, then predicate name, subject id, object id), with numpy arrays for subject,
  object, predicate, sign and support;
* two CSR adjacency structures (out and in) map each node to a contiguous slice of neighbour
  and edge numbers, each slice in canonical order, so "the best-supported edges of a node"
  is a prefix of its slice;
* a name table (:mod:`kg.text` keys) and an identifier table serve :mod:`kg.query.lookup`.

Why this design (measured with ``bench/bench_queries.py``, numbers in ``bench/README.md``): on
the Hetionet-shaped synthetic graph (47k nodes, 2.25M edges) a networkx ``MultiDiGraph`` takes
17-20 s and ~1 GB to build and ``all_simple_paths(cutoff=3)`` can run for seconds, while this index
builds from arrays in 2-3 s and ~150 MB. The hot loops (bidirectional BFS for shortest and Yen
paths, the best-first neighbourhood walk) are small numba kernels over these arrays: a numpy-only
version (vectorised frontier expansion) measured shortest p50 0.66 ms and 2-hop neighbourhood
p50 5.8 ms, because every BFS level costs dozens of ~1 us numpy calls, against ~0.13 ms and
~0.17 ms compiled. Compiled graph libraries (rustworkx, igraph) were set aside: they cannot apply
our per-query filters (predicates, categories, excluded nodes), the per-hop choice among parallel
edges or a support-ordered node limit without building a filtered copy per query, and they would
hold a second copy of the graph.

Build it from a networkx graph (the curated graph) or straight from arrays (the benchmark):

>>> from tests.fixture_graph import fixture_graph
>>> index = GraphIndex.from_networkx(fixture_graph())
>>> index.node("mkg:hypoxia").label
'hypoxia'
>>> index.out_degree("mkg:hypoxia")
3
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np

from kg.errors import InvalidQueryError, NotFoundError
from kg.text import name_key

DEFAULT_CATEGORY = "biolink:NamedThing"
CERTAINTIES = ("stated", "hedged", "implied")
DIRECTIONS = ("out", "in", "both")


@dataclass(frozen=True)
class Node:
    """A node as results show it."""

    id: str
    label: str
    category: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "label": self.label, "category": self.category}


@dataclass(frozen=True)
class NodeDetail:
    """Everything the index knows about one node."""

    id: str
    label: str
    category: str
    synonyms: tuple[str, ...]
    xrefs: tuple[str, ...]
    definition: str | None
    iri: str | None
    out_degree: int
    in_degree: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "label": self.label,
            "category": self.category,
            "synonyms": list(self.synonyms),
            "xrefs": list(self.xrefs),
            "definition": self.definition,
            "iri": self.iri,
            "out_degree": self.out_degree,
            "in_degree": self.in_degree,
        }


@dataclass(frozen=True)
class Citation:
    """One piece of evidence for an edge: where in which document, and how sure it is."""

    document: str
    locator: str
    reference: Mapping[str, Any] | None
    certainty: str
    statement: str
    qualifiers: Mapping[str, Any] | None = None  # the context the passage gives: via, subject_form, location

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> Citation:
        """A citation of the exchange format (:mod:`kg.exchange.quads`); the span is not kept."""
        return cls(
            document=str(record.get("document", "")),
            locator=str(record.get("locator", "")),
            reference=record.get("reference"),
            certainty=str(record.get("certainty", "stated")),
            statement=str(record.get("statement", "")),
            qualifiers=record.get("qualifiers"),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "document": self.document,
            "locator": self.locator,
            "reference": dict(self.reference) if self.reference is not None else None,
            "certainty": self.certainty,
            "statement": self.statement,
            "qualifiers": dict(self.qualifiers) if self.qualifiers else None,
        }


@dataclass(frozen=True)
class Provenance:
    """Where an edge comes from, in Biolink's terms; ``source_record`` and ``note`` only for
    background knowledge (a hierarchy relation checked in a standard resource, with no citation)."""

    primary_knowledge_source: str | None
    knowledge_level: str | None = None
    agent_type: str | None = None
    source_record: str | None = None
    note: str | None = None

    @property
    def background(self) -> bool:
        return self.source_record is not None

    def to_dict(self) -> dict[str, Any]:
        return {
            "primary_knowledge_source": self.primary_knowledge_source,
            "knowledge_level": self.knowledge_level,
            "agent_type": self.agent_type,
            "source_record": self.source_record,
            "note": self.note,
        }


@dataclass(frozen=True)
class Through:
    """An asserted edge merged into an answer edge because one of its ends stands in for the
    answer's (``expand``): a member of it, or a group it belongs to (:mod:`kg.query.hierarchy`)."""

    subject: Node
    predicate: str
    object: Node
    relation: str  # member or group: what the differing end is to the answer's
    documents: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"subject": self.subject.to_dict(), "predicate": self.predicate, "object": self.object.to_dict(),
                "as": self.relation, "documents": list(self.documents)}


@dataclass(frozen=True)
class Edge:
    """One (subject, predicate, object) triple with all its citations."""

    subject: Node
    predicate: str
    object: Node
    sign: int
    citations: tuple[Citation, ...] = field(default=())
    pooled: tuple[str, ...] = ()  # the asserted predicates merged into this edge (evidence=pooled)
    provenance: Provenance | None = None
    through: tuple[Through, ...] = ()  # asserted edges of stand-ins merged into this one (expand)
    conflicts: tuple[str, ...] = ()  # kinds of disagreement between documents on this pair (kg.query.conflicts)

    @property
    def background(self) -> bool:
        """True for background knowledge: a hierarchy relation from a standard resource, not a document."""
        return self.provenance is not None and self.provenance.background

    def to_dict(self) -> dict[str, Any]:
        answer = {
            "subject": self.subject.to_dict(),
            "predicate": self.predicate,
            "object": self.object.to_dict(),
            "sign": self.sign,
            "background": self.background,
            "provenance": self.provenance.to_dict() if self.provenance is not None else None,
            "citations": [citation.to_dict() for citation in self.citations],
        }
        if self.pooled:
            answer["pooled_predicates"] = list(self.pooled)
        if self.through:
            answer["through"] = [step.to_dict() for step in self.through]
        if self.conflicts:
            answer["conflicts"] = list(self.conflicts)
        return answer


def _csr(keys: np.ndarray, others: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Adjacency of ``keys`` in CSR form: (pointer, neighbour, edge), slices in edge order."""
    order = np.argsort(keys, kind="stable")  # stable: keeps the canonical edge order per slice
    pointer = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(keys, minlength=n), out=pointer[1:])
    return pointer, others[order].astype(np.int32), order.astype(np.int32)


def gather_slices(
    pointer: np.ndarray, nodes: np.ndarray, cap: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """CSR positions of the slices of ``nodes`` (at most ``cap`` per node), and their owners.

    One vectorised gather instead of a Python loop over the nodes, so that expanding a
    frontier costs a few numpy calls whatever its size.

    >>> pointer = np.array([0, 2, 2, 5])
    >>> gather_slices(pointer, np.array([0, 2]))
    (array([0, 1, 2, 3, 4]), array([0, 0, 2, 2, 2]))
    >>> gather_slices(pointer, np.array([2, 0]), cap=1)
    (array([2, 0]), array([2, 0]))
    """
    starts = pointer[nodes]
    counts = pointer[nodes + 1] - starts
    if cap is not None:
        counts = np.minimum(counts, cap)
    if nodes.size == 1:
        return np.arange(starts[0], starts[0] + counts[0]), np.repeat(nodes, counts)
    shift = np.repeat(starts - (np.cumsum(counts) - counts), counts)
    return np.arange(shift.size) + shift, np.repeat(nodes, counts)


SIGN_POLARITY = {1: "positive", -1: "negative"}


class GraphIndex:
    """Read-only array index of a knowledge graph; build with :meth:`from_networkx` or
    :meth:`from_arrays`.

    Public attributes (read-only by convention): ``node_ids``, ``labels``, ``categories`` (per
    node), ``category_names``, ``predicate_names``, ``predicates`` (name -> label/sign/definition),
    ``document_ids``, and the edge arrays ``edge_src``, ``edge_dst``, ``edge_predicate``,
    ``edge_sign``, ``edge_support``, ``edge_documents``, ``edge_hierarchy``, ``edge_passes_sign``.
    """

    def __init__(
        self,
        node_ids: Sequence[str],
        src: np.ndarray,
        dst: np.ndarray,
        predicate_codes: np.ndarray,
        predicate_names: Sequence[str],
        *,
        labels: Sequence[str] | None = None,
        categories: Sequence[str | None] | None = None,
        synonyms: Sequence[Sequence[str]] | None = None,
        xrefs: Sequence[Sequence[str]] | None = None,
        definitions: Sequence[str | None] | None = None,
        iris: Sequence[str | None] | None = None,
        predicate_info: Mapping[str, Mapping[str, Any]] | None = None,
        signs: np.ndarray | None = None,
        support: np.ndarray | None = None,
        citations: Sequence[Sequence[Citation]] | None = None,
        provenance: Sequence[Provenance | None] | None = None,
    ):
        n, m = len(node_ids), len(src)
        if not (len(dst) == len(predicate_codes) == m):
            raise InvalidQueryError("src, dst and predicate_codes must have the same length")
        self.node_ids = list(node_ids)
        self._position = {node_id: i for i, node_id in enumerate(self.node_ids)}
        if len(self._position) != n:
            raise InvalidQueryError("node ids must be unique")
        self.labels = list(labels) if labels is not None else list(self.node_ids)
        self.synonyms = [tuple(s) for s in synonyms] if synonyms is not None else [()] * n
        self.xrefs = [tuple(x) for x in xrefs] if xrefs is not None else [()] * n
        self.definitions = list(definitions) if definitions is not None else [None] * n
        self.iris = list(iris) if iris is not None else [None] * n
        node_categories = [c or DEFAULT_CATEGORY for c in categories] if categories else [DEFAULT_CATEGORY] * n
        self.category_names = sorted(set(node_categories))
        category_code = {name: code for code, name in enumerate(self.category_names)}
        self.node_category = np.array([category_code[c] for c in node_categories], dtype=np.int16)

        # Predicates: codes follow sorted names so that sorting by code sorts by name.
        self.predicate_names = sorted(set(predicate_names))
        info = dict(predicate_info or {})
        self.predicates = {
            name: {
                "label": info.get(name, {}).get("label", name.replace("_", " ")),
                "sign": int(info.get(name, {}).get("sign", 0)),
                "definition": info.get(name, {}).get("definition", ""),
                # without a hierarchy (a foreign graph) a signed predicate is its own polarity branch
                "polarity": info.get(name, {}).get("polarity")
                or SIGN_POLARITY.get(int(info.get(name, {}).get("sign", 0)), "non_causal"),
                "parent": info.get(name, {}).get("parent"),
                "hierarchy": bool(info.get(name, {}).get("hierarchy", False)),
                "passes_sign": bool(info.get(name, {}).get("passes_sign", info.get(name, {}).get("hierarchy", False))),
            }
            for name in self.predicate_names
        }
        self.predicate_lineage = {name: self._lineage(name) for name in self.predicate_names}
        remap = np.array([self.predicate_names.index(name) for name in predicate_names], dtype=np.int16)
        predicate = remap[np.asarray(predicate_codes)] if m else np.zeros(0, dtype=np.int16)
        if signs is None:
            table = np.array([self.predicates[name]["sign"] for name in self.predicate_names] or [0])
            signs = table[predicate]

        documents_per_edge, certainty_bits, citation_support = self._citation_columns(citations, m)
        if citations is not None:
            support = citation_support
            edge_documents = np.array([len(d) for d in documents_per_edge], dtype=np.int32)
        else:  # arrays without citation details: each citation counts as its own document
            support = np.zeros(m, dtype=np.int32) if support is None else support
            edge_documents = np.asarray(support, dtype=np.int32)

        # Canonical edge order: best-supported first, ties by documents, predicate, subject id, object
        # id (ids, not node numbers: the order must not depend on the order a loader met the nodes in).
        src, dst = np.asarray(src, dtype=np.int32), np.asarray(dst, dtype=np.int32)
        support = np.asarray(support, dtype=np.int32)
        id_rank = np.empty(n, dtype=np.int32)
        id_rank[sorted(range(n), key=self.node_ids.__getitem__)] = np.arange(n, dtype=np.int32)
        order = np.lexsort((id_rank[dst], id_rank[src], predicate, -edge_documents, -support))
        self.edge_src, self.edge_dst = src[order], dst[order]
        self.edge_predicate = predicate[order]
        self.edge_sign = np.asarray(signs, dtype=np.int8)[order]
        self.edge_support = support[order]
        self.edge_documents = edge_documents[order]
        self.edge_certainty = certainty_bits[order]
        hierarchy = np.array([self.predicates[name]["hierarchy"] for name in self.predicate_names] or [False])
        self.edge_hierarchy = hierarchy[self.edge_predicate]  # member/kind-of edges, walked by expand
        self.has_hierarchy = bool(self.edge_hierarchy.any())
        passing = np.array([self.predicates[name]["passes_sign"] for name in self.predicate_names] or [False])
        self.edge_passes_sign = passing[self.edge_predicate]  # a path's sign passes through them
        self.citations = [tuple(citations[i]) for i in order] if citations is not None else None
        self.provenance = [provenance[i] for i in order] if provenance is not None else None
        self._index_documents([documents_per_edge[i] for i in order] if citations is not None else [])

        self.out_pointer, self.out_neighbor, self.out_edge = _csr(self.edge_src, self.edge_dst, n)
        self.in_pointer, self.in_neighbor, self.in_edge = _csr(self.edge_dst, self.edge_src, n)
        self.out_predicate = self.edge_predicate[self.out_edge]
        self.in_predicate = self.edge_predicate[self.in_edge]
        self._index_names()
        #: (subject, object) node numbers -> kinds of conflict between documents; filled by
        #: kg.query.conflicts.flag_conflicts (the builders call it), read when edges are made
        self.pair_conflicts: dict[tuple[int, int], tuple[str, ...]] = {}
        # Node records are made once: results ask for them many times.
        self._nodes = [
            Node(node_id, label, self.category_names[code])
            for node_id, label, code in zip(self.node_ids, self.labels, self.node_category.tolist(), strict=True)
        ]

    # ----------------------------------------------------------------- construction helpers
    @staticmethod
    def _citation_columns(citations, m):
        """Per edge: the set of cited documents, a bit mask of certainties, the citation count."""
        if citations is None:
            return [], np.zeros(m, dtype=np.uint8), np.zeros(m, dtype=np.int32)
        if len(citations) != m:
            raise InvalidQueryError("citations must have one entry per edge")
        bit = {name: 1 << i for i, name in enumerate(CERTAINTIES)}
        documents = [frozenset(c.document for c in cites) for cites in citations]
        certainty = np.array(
            [sum({bit.get(c.certainty, 0) for c in cites}) for cites in citations], dtype=np.uint8
        )
        support = np.array([len(cites) for cites in citations], dtype=np.int32)
        return documents, certainty, support

    def _index_documents(self, documents_per_edge: list[frozenset[str]]) -> None:
        """Document -> sorted edge numbers (CSR), for document filters and listings."""
        self.document_ids = sorted(set().union(*documents_per_edge)) if documents_per_edge else []
        code = {doc: i for i, doc in enumerate(self.document_ids)}
        pairs = sorted((code[doc], edge) for edge, docs in enumerate(documents_per_edge) for doc in docs)
        doc_codes = np.array([p[0] for p in pairs], dtype=np.int64)
        self.document_pointer = np.zeros(len(self.document_ids) + 1, dtype=np.int64)
        np.cumsum(np.bincount(doc_codes, minlength=len(self.document_ids)), out=self.document_pointer[1:])
        self.document_edges = np.array([p[1] for p in pairs], dtype=np.int32)

    def _index_names(self) -> None:
        """Name keys (labels, synonyms) and identifiers (ids, IRIs, xrefs) for lookups."""
        self.name_table: dict[str, list[tuple[int, str]]] = {}
        self.identifier_table: dict[str, list[tuple[int, str]]] = {}
        for node, label in enumerate(self.labels):
            for key, kind in [(name_key(label), "label")] + [(name_key(s), "synonym") for s in self.synonyms[node]]:
                entries = self.name_table.setdefault(key, [])
                if key and (node, kind) not in entries:
                    entries.append((node, kind))
            identifiers = [(self.node_ids[node], "id"), (self.iris[node], "iri")]
            for identifier, kind in identifiers + [(x, "xref") for x in self.xrefs[node]]:
                if identifier:
                    self.identifier_table.setdefault(identifier.casefold(), []).append((node, kind))
        self.name_table.pop("", None)
        self.sorted_name_keys = sorted(self.name_table)

    # ------------------------------------------------------------------------ constructors
    @classmethod
    def from_arrays(
        cls,
        node_ids: Sequence[str],
        src: np.ndarray,
        dst: np.ndarray,
        predicate_codes: np.ndarray,
        predicate_names: Sequence[str],
        **attributes: Any,
    ) -> GraphIndex:
        """Build from parallel arrays: edge ``i`` is ``node_ids[src[i]] -predicate_names[
        predicate_codes[i]]-> node_ids[dst[i]]``. Keyword ``attributes`` are those of the
        constructor (``labels``, ``categories``, ``synonyms``, ``signs``, ``support``...).

        >>> index = GraphIndex.from_arrays(["a", "b"], np.array([0]), np.array([1]), np.array([0]),
        ...                                ["promotes"], predicate_info={"promotes": {"sign": 1}})
        >>> index.edge(0).to_dict()["sign"]
        1
        """
        return cls(node_ids, src, dst, predicate_codes, predicate_names, **attributes)

    @classmethod
    def from_networkx(cls, graph: nx.MultiDiGraph) -> GraphIndex:
        """Build from the exchange format (see the project's loader contract)."""
        if not isinstance(graph, nx.MultiDiGraph):
            raise InvalidQueryError(f"expected a networkx MultiDiGraph, got {type(graph).__name__}")
        index = cls._from_exchange(graph)
        # conflicts are worked out by the query layer above the index: imported here, not at the top
        from kg.query.conflicts import flag_conflicts

        flag_conflicts(index)
        return index

    @classmethod
    def _from_exchange(cls, graph: nx.MultiDiGraph) -> GraphIndex:
        node_ids = list(graph.nodes)
        position = {node: i for i, node in enumerate(node_ids)}
        data = [graph.nodes[node] for node in node_ids]
        edges = list(graph.edges(keys=True, data=True))
        predicate_info = graph.graph.get("predicates") or {}
        # Predicates of the model without edges stay known: filtering by them finds nothing.
        predicate_names = sorted({key for _, _, key, _ in edges} | set(predicate_info))
        predicate_code = {name: i for i, name in enumerate(predicate_names)}
        default_sign = {name: int(predicate_info.get(name, {}).get("sign", 0)) for name in predicate_names}
        return cls(
            [str(node) for node in node_ids],
            np.array([position[s] for s, _, _, _ in edges], dtype=np.int32),
            np.array([position[o] for _, o, _, _ in edges], dtype=np.int32),
            np.array([predicate_code[k] for _, _, k, _ in edges], dtype=np.int16),
            predicate_names,
            labels=[str(d.get("label") or node) for node, d in zip(node_ids, data, strict=True)],
            categories=[d.get("category") for d in data],
            synonyms=[d.get("synonyms") or () for d in data],
            xrefs=[d.get("xrefs") or () for d in data],
            definitions=[d.get("definition") for d in data],
            iris=[d.get("iri") for d in data],
            predicate_info=predicate_info,
            signs=np.array([int(d.get("sign", default_sign[k])) for _, _, k, d in edges], dtype=np.int8),
            citations=[tuple(Citation.from_record(c) for c in d.get("citations") or ()) for _, _, _, d in edges],
            provenance=shared_provenance(d.get("provenance") for _, _, _, d in edges),
        )

    # ------------------------------------------------------------------------------- nodes
    @property
    def node_count(self) -> int:
        return len(self.node_ids)

    @property
    def edge_count(self) -> int:
        return int(self.edge_src.size)

    def __contains__(self, node_id: object) -> bool:
        return node_id in self._position

    def position(self, node_id: str) -> int:
        """The integer of a node id; :class:`NotFoundError` if there is none.

        >>> from tests.fixture_graph import fixture_index
        >>> fixture_index().position("mkg:nope")
        Traceback (most recent call last):
        ...
        kg.errors.NotFoundError: no node with id 'mkg:nope'; use search to find an id
        """
        try:
            return self._position[node_id]
        except (KeyError, TypeError):
            raise NotFoundError(f"no node with id {node_id!r}; use search to find an id") from None

    def node(self, node: str | int) -> Node:
        """The :class:`Node` of an id or integer."""
        return self._nodes[self.position(node) if isinstance(node, str) else int(node)]

    def category(self, node: int) -> str:
        return self.category_names[self.node_category[node]]

    def out_degree(self, node: str | int) -> int:
        i = self.position(node) if isinstance(node, str) else node
        return int(self.out_pointer[i + 1] - self.out_pointer[i])

    def in_degree(self, node: str | int) -> int:
        i = self.position(node) if isinstance(node, str) else node
        return int(self.in_pointer[i + 1] - self.in_pointer[i])

    def describe(self, node: str | int) -> NodeDetail:
        """All attributes of one node."""
        i = self.position(node) if isinstance(node, str) else int(node)
        base = self.node(i)
        return NodeDetail(
            base.id, base.label, base.category, self.synonyms[i], self.xrefs[i], self.definitions[i],
            self.iris[i], self.out_degree(i), self.in_degree(i),
        )

    def prefix_range(self, key_prefix: str) -> list[str]:
        """Name keys starting with ``key_prefix``, in sorted order."""
        start = bisect.bisect_left(self.sorted_name_keys, key_prefix)
        stop = bisect.bisect_left(self.sorted_name_keys, key_prefix + "\U0010ffff")
        return self.sorted_name_keys[start:stop]

    # ------------------------------------------------------------------------------- edges
    def edge(self, edge: int) -> Edge:
        """The :class:`Edge` number ``edge`` with its citations."""
        return self.edges([edge])[0]

    def edges(self, edges: Sequence[int] | np.ndarray) -> list[Edge]:
        """The :class:`Edge` of each edge number (one vectorised read for all of them)."""
        edges = np.asarray(edges, dtype=np.int64)
        columns = zip(
            self.edge_src[edges].tolist(), self.edge_predicate[edges].tolist(), self.edge_dst[edges].tolist(),
            self.edge_sign[edges].tolist(), edges.tolist(), strict=True,
        )
        citations, provenance, conflicts = self.citations, self.provenance, self.pair_conflicts
        return [
            Edge(self._nodes[s], self.predicate_names[p], self._nodes[o], sign,
                 citations[e] if citations is not None else (),
                 provenance=provenance[e] if provenance is not None else None,
                 conflicts=conflicts.get((s, o), ()))
            for s, p, o, sign, e in columns
        ]

    def adjacent(
        self, nodes: np.ndarray, direction: str, cap: int | None = None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Edges at ``nodes`` as (owner, neighbour, edge, predicate) arrays, each node's edges
        best-supported first; ``cap`` bounds the edges taken per node and direction."""
        parts = []
        for way in ("out", "in") if direction == "both" else (direction,):
            pointer = self.out_pointer if way == "out" else self.in_pointer
            positions, owners = gather_slices(pointer, nodes, cap)
            if way == "out":
                parts.append((owners, self.out_neighbor[positions], self.out_edge[positions],
                              self.out_predicate[positions]))
            else:
                parts.append((owners, self.in_neighbor[positions], self.in_edge[positions],
                              self.in_predicate[positions]))
        if len(parts) == 1:
            return parts[0]
        return tuple(np.concatenate(columns) for columns in zip(*parts, strict=True))

    # ------------------------------------------------------------------ filter validation
    def predicate_codes(self, names: Iterable[str] | str | None) -> np.ndarray | None:
        """Codes of predicate names and of every predicate below them in the hierarchy
        (``affects`` takes in ``promotes``); :class:`NotFoundError` names the unknown ones."""
        codes = _codes(names, self.predicate_names, "predicate(s)", np.int16)
        if codes is None:
            return None
        wanted = {self.predicate_names[code] for code in codes}
        below = [code for code, name in enumerate(self.predicate_names) if self.predicate_lineage[name] & wanted]
        return np.array(below, dtype=np.int16)

    def _lineage(self, name: str) -> frozenset[str]:
        """``name`` and every predicate above it."""
        lineage: set[str] = set()
        while name is not None and name not in lineage:
            lineage.add(name)
            name = self.predicates.get(name, {}).get("parent")
        return frozenset(lineage)

    def category_codes(self, names: Iterable[str] | str | None) -> np.ndarray | None:
        """Codes of categories (``biolink:`` may be left out); unknown ones raise NotFoundError."""
        if names is not None:
            names = [names] if isinstance(names, str) else list(names)
            names = [name if ":" in name else f"biolink:{name}" for name in names]
        return _codes(names, self.category_names, "category/ies", np.int16)

    def document_codes(self, names: Iterable[str] | str | None) -> np.ndarray | None:
        """Codes of document ids; unknown ones raise NotFoundError."""
        return _codes(names, self.document_ids, "document(s)", np.int64)

    def edges_citing(self, document_codes: np.ndarray) -> np.ndarray:
        """Sorted edge numbers cited by any of the documents."""
        positions, _ = gather_slices(self.document_pointer, document_codes)
        return np.unique(self.document_edges[positions])

    def nbytes(self) -> int:
        """Bytes held by the numpy arrays (Python lists and dicts not counted)."""
        return sum(value.nbytes for value in vars(self).values() if isinstance(value, np.ndarray))


def shared_provenance(records: Iterable[Mapping[str, Any] | None]) -> list[Provenance | None]:
    """One :class:`Provenance` per edge, equal records sharing one object (most edges have the same)."""
    made: dict[tuple, Provenance] = {}
    shared: list[Provenance | None] = []
    for record in records:
        if not record:
            shared.append(None)
            continue
        key = tuple(sorted(record.items()))
        shared.append(made.setdefault(key, Provenance(**record)))
    return shared


def _codes(names: Iterable[str] | str | None, known: list[str], what: str, dtype) -> np.ndarray | None:
    """Sorted positions of ``names`` in ``known`` (None stays None: no filter)."""
    if names is None:
        return None
    names = [names] if isinstance(names, str) else list(names)
    unknown = [name for name in names if name not in known]
    if unknown:
        raise NotFoundError(f"unknown {what} {', '.join(map(repr, unknown))}; known: {', '.join(known)}",
                            detail={"unknown": unknown, "known": known})
    return np.array(sorted({known.index(name) for name in names}), dtype=dtype)


def check_direction(direction: str) -> str:
    if direction not in DIRECTIONS:
        raise InvalidQueryError(f"direction must be one of {', '.join(DIRECTIONS)}, not {direction!r}")
    return direction


def check_int(name: str, value: Any, low: int, high: int) -> int:
    """``value`` as an int in ``[low, high]``, or :class:`InvalidQueryError` saying so."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise InvalidQueryError(f"{name} must be an integer between {low} and {high}, not {value!r}")
    if not low <= value <= high:
        raise InvalidQueryError(f"{name} must be between {low} and {high}, not {value}")
    return int(value)
