"""The networkx exchange format: a ``MultiDiGraph`` keyed by predicate, so two relations between
the same pair never collide. The GraphML, Cytoscape and KGX exports are written from it.

What it holds is read by :mod:`kg.exchange.quads` (nodes with ``iri``, ``label``, ``category``,
``synonyms``, ``definition`` and ``xrefs``; edges with ``predicate``, ``sign``, ``citations`` and
``provenance``; the declared ``predicates`` on the graph), so it always says what the index says.

>>> from rdflib import Graph
>>> g = to_networkx(Graph().parse(data='<http://x/a> <http://x/p> <http://x/b> .', format="nt"))
>>> list(g.edges(keys=True))
[('http://x/a', 'http://x/b', 'http://x/p')]
"""

from __future__ import annotations

import networkx as nx
import pyoxigraph as ox
from rdflib import Graph

from kg.exchange.quads import GraphRecords, read_graph


def exchange_graph(graph: GraphRecords) -> nx.MultiDiGraph:
    """The exchange graph of a graph read from a store (:func:`kg.exchange.quads.read_graph`)."""
    exchange = nx.MultiDiGraph(predicates=graph.predicates)
    exchange.add_nodes_from(zip(graph.node_ids, graph.nodes, strict=True))
    signs = {name: graph.predicates.get(name, {}).get("sign", 0) for name in graph.predicate_names}
    columns = zip(graph.src.tolist(), graph.predicate_codes.tolist(), graph.dst.tolist(), strict=True)
    for edge, (s, p, o) in enumerate(columns):
        key = graph.predicate_names[p]
        evidence = graph.evidence.get(edge, {})
        exchange.add_edge(graph.node_ids[s], graph.node_ids[o], key=key, predicate=key, sign=signs[key],
                          citations=evidence.get("citations", []), provenance=evidence.get("provenance"))
    return exchange


def to_networkx(graph: Graph) -> nx.MultiDiGraph:
    """The exchange graph of an rdflib graph."""
    store = ox.Store()
    store.load(graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    return exchange_graph(read_graph(store))
