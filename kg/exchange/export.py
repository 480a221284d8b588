"""Serialise the graph (or any part of it) in the formats people exchange knowledge graphs in.

Every RDF export, ``kg export``'s and the service's, is written by pyoxigraph
(:func:`serialize_selection`: Rust, a hundred times faster than rdflib, and it does not hold the
GIL for a second the way rdflib's Turtle writer did). N-Triples and N-Quads are sorted so that two
releases can be diffed line by line; JSON-LD is compacted (``kg.exchange.jsonld``). GraphML and the
two Cytoscape formats are written from the networkx exchange graph (``kg.exchange.graph``), KGX
from the exchange graph and the RDF behind it (``kg.exchange.kgx``), SSSOM from the mappings
(``kg.exchange.sssom``).
"""

from __future__ import annotations

import json
from io import BytesIO
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
from rdflib import Graph
from rdflib.namespace import RDF

from kg.errors import InvalidQueryError
from kg.exchange.jsonld import compact_jsonld
from kg.exchange.kgx import KGX_FORMATS, serialize_kgx, standard_ids
from kg.exchange.quads import SKOS_MATCHES
from kg.exchange.sssom import serialize_sssom
from kg.vocab import CURIE_MAP, MKG, expand

RDF_FORMATS = {"turtle": "turtle", "ttl": "turtle", "nt": "nt", "ntriples": "nt", "nq": "nquads",
               "jsonld": "json-ld", "xml": "xml"}
GRAPH_FORMATS = ("graphml", "cytoscape", "cyjs")
OX_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "nquads": ox.RdfFormat.N_QUADS,
              "json-ld": ox.RdfFormat.JSON_LD, "xml": ox.RdfFormat.RDF_XML}
_RDF_SUBJECT, _RDF_PREDICATE, _RDF_OBJECT = (ox.NamedNode(str(t)) for t in (RDF.subject, RDF.predicate, RDF.object))
_MKG_CITATION = ox.NamedNode(str(MKG.citation))
FORMATS = tuple(RDF_FORMATS) + GRAPH_FORMATS + KGX_FORMATS + ("sssom",)
# node triples kept in a selection besides literals: its category and its mappings
DESCRIPTIVE = {RDF.type, *SKOS_MATCHES}
MEDIA_TYPES = {"turtle": "text/turtle", "ttl": "text/turtle", "nt": "application/n-triples",
               "ntriples": "application/n-triples", "nq": "application/n-quads", "jsonld": "application/ld+json",
               "xml": "application/rdf+xml", "graphml": "application/graphml+xml", "cytoscape": "application/json",
               "cyjs": "application/json", "kgx": "application/json", "kgx-tsv": "application/gzip",
               "kgx-jsonl": "application/gzip", "sssom": "text/tab-separated-values"}


def rdf_triples(graph: Graph) -> list[ox.Triple]:
    """The triples of an rdflib graph as pyoxigraph triples (handed over as N-Triples)."""
    return [quad.triple for quad in ox.parse(graph.serialize(format="nt", encoding="utf-8"),
                                             format=ox.RdfFormat.N_TRIPLES)]


def write_rdf(graph: Graph, fmt: str, path: Path) -> None:
    Path(path).write_bytes(serialize_triples(rdf_triples(graph), fmt))


def _scalar(value):
    """GraphML and Cytoscape Desktop hold scalars only: lists and dicts travel as JSON text."""
    return value if isinstance(value, str | int | float | bool) else json.dumps(value, sort_keys=True)


def _edge_id(subject: str, key: str, obj: str) -> str:
    return f"{subject}--{key}--{obj}"


def _plain(exchange: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """The exchange graph with scalar attributes only, and an ``id`` on every edge."""
    plain = nx.MultiDiGraph()
    for node, attrs in sorted(exchange.nodes(data=True)):
        plain.add_node(node, **{k: _scalar(v) for k, v in attrs.items()})
    for s, o, key, attrs in sorted(exchange.edges(keys=True, data=True), key=lambda e: e[:3]):
        plain.add_edge(s, o, key=key, id=_edge_id(s, key, o), **{k: _scalar(v) for k, v in attrs.items()})
    return plain


def to_graphml(exchange: nx.MultiDiGraph) -> bytes:
    buffer = BytesIO()
    nx.write_graphml(_plain(exchange), buffer)
    return buffer.getvalue()


def to_cytoscape(exchange: nx.MultiDiGraph) -> bytes:
    """Cytoscape.js elements JSON, ready for ``cy.add()``."""
    elements = [{"data": {"id": n, **a}} for n, a in sorted(exchange.nodes(data=True))]
    elements += [{"data": {"id": _edge_id(s, k, o), "source": s, "target": o, **a}}
                 for s, o, k, a in sorted(exchange.edges(keys=True, data=True), key=lambda e: e[:3])]
    return json.dumps({"elements": elements}, ensure_ascii=False).encode("utf-8")


def to_cyjs(exchange: nx.MultiDiGraph) -> bytes:
    """Cytoscape Desktop's ``.cyjs`` (File > Import > Network from File), which
    ``networkx.cytoscape_graph`` reads back: nodes and edges apart, scalar attributes."""
    data = nx.cytoscape_data(_plain(exchange), name="label")
    data["data"] = {"name": "metastasis-kg", "shared_name": "metastasis-kg"}
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


def serialize_exchange(exchange: nx.MultiDiGraph, fmt: str) -> bytes:
    writers = {"graphml": to_graphml, "cytoscape": to_cytoscape, "cyjs": to_cyjs}
    if fmt not in writers:
        raise InvalidQueryError(f"unknown graph format {fmt!r}; use one of {', '.join(writers)}")
    return writers[fmt](exchange)


def exchange_subgraph(exchange: nx.MultiDiGraph, nodes, edges) -> nx.MultiDiGraph:
    """The part of the exchange graph made of ``nodes`` and ``edges`` ((subject, predicate, object) ids)."""
    part = nx.MultiDiGraph(**exchange.graph)
    for node in nodes:
        part.add_node(node, **exchange.nodes[node])
    for subject, predicate, obj in edges:
        part.add_edge(subject, obj, key=predicate, **exchange.edges[subject, obj, predicate])
    return part


def store_subgraph(store: ox.Store, part: nx.MultiDiGraph) -> list[ox.Triple]:
    """The RDF behind an exchange subgraph: node descriptions, direct triples, and each edge's
    association node with its citations, looked up in the pyoxigraph store (in Rust: a
    neighbourhood of 13k triples takes milliseconds, where rdflib took 0.4 s of the GIL)."""
    out: dict[ox.Triple, None] = {}
    descriptive = {str(predicate) for predicate in DESCRIPTIVE}
    for _, attrs in part.nodes(data=True):
        for quad in store.quads_for_pattern(ox.NamedNode(attrs["iri"]), None, None):
            if isinstance(quad.object, ox.Literal) or quad.predicate.value in descriptive:
                out[quad.triple] = None
    for subject, obj, key in part.edges(keys=True):
        s, o = ox.NamedNode(part.nodes[subject]["iri"]), ox.NamedNode(part.nodes[obj]["iri"])
        p = ox.NamedNode(str(expand(key) if ":" in key else MKG[key]))
        out[ox.Triple(s, p, o)] = None
        for association in (quad.subject for quad in store.quads_for_pattern(None, _RDF_SUBJECT, s)):
            if _has(store, association, _RDF_PREDICATE, p) and _has(store, association, _RDF_OBJECT, o):
                _copy_resource(store, out, association)
                for citation in store.quads_for_pattern(association, _MKG_CITATION, None):
                    _copy_resource(store, out, citation.object)
    return list(out)


def _has(store: ox.Store, subject, predicate, obj) -> bool:
    return next(iter(store.quads_for_pattern(subject, predicate, obj)), None) is not None


def _copy_resource(store: ox.Store, out: dict, subject) -> None:
    for quad in store.quads_for_pattern(subject, None, None):
        out[quad.triple] = None


def serialize_triples(triples: list[ox.Triple], fmt: str) -> bytes:
    """``triples`` in an RDF format, written by pyoxigraph; N-Triples and N-Quads lines are sorted."""
    if fmt not in RDF_FORMATS:
        raise InvalidQueryError(f"unknown RDF format {fmt!r}; use one of {', '.join(RDF_FORMATS)}")
    syntax = OX_FORMATS[RDF_FORMATS[fmt]]
    if syntax is ox.RdfFormat.N_QUADS:
        data = ox.serialize((ox.Quad(t.subject, t.predicate, t.object) for t in triples), format=syntax)
    elif syntax is ox.RdfFormat.JSON_LD:
        expanded = json.loads(ox.serialize(triples, format=syntax))
        data = json.dumps(compact_jsonld(expanded, CURIE_MAP), ensure_ascii=False).encode("utf-8")
    elif syntax is ox.RdfFormat.N_TRIPLES:
        data = ox.serialize(triples, format=syntax)
    else:
        data = ox.serialize(triples, format=syntax, prefixes=CURIE_MAP)
    if syntax in (ox.RdfFormat.N_TRIPLES, ox.RdfFormat.N_QUADS):
        data = b"".join(sorted(line + b"\n" for line in data.splitlines() if line.strip()))
    return data


def selection_of(result) -> tuple[list[str], list[tuple[str, str, str]]]:
    """Node ids and (subject, predicate, object) ids of a neighbourhood or a path result."""
    if hasattr(result, "paths"):
        nodes = [node.id for path in result.paths for node in path.nodes]
        edges = [edge for path in result.paths for edge in path.edges]
    else:
        nodes, edges = [hop.node.id for hop in result.nodes], result.edges
    triples = [(edge.subject.id, edge.predicate, edge.object.id) for edge in edges]
    return list(dict.fromkeys(nodes)), list(dict.fromkeys(triples))


def serialize_selection(store: ox.Store, exchange: nx.MultiDiGraph, fmt: str, nodes=None, edges=None) -> bytes:
    """The whole graph (``nodes is None``) or a selection of it, in any export format: RDF formats
    from the pyoxigraph store, the others from the exchange graph."""
    if fmt not in FORMATS:
        raise InvalidQueryError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    if fmt == "sssom":  # the mappings of the nodes, whole or selected
        return serialize_sssom(store, exchange if nodes is None else exchange.subgraph(nodes))
    part = exchange if nodes is None else exchange_subgraph(exchange, nodes, edges or ())
    if fmt in GRAPH_FORMATS:
        return serialize_exchange(part, fmt)
    if fmt in KGX_FORMATS:
        return serialize_kgx(store, part, fmt, standard_ids(store, exchange))
    triples = [quad.triple for quad in store] if nodes is None else store_subgraph(store, part)
    return serialize_triples(triples, fmt)
