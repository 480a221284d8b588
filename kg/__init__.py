"""metastasis-kg as a Python library: load the curated graph (or any RDF file) and ask it what the
service answers, with the citations behind every edge.

>>> import kg
>>> graph = kg.load()                                     # the curated graph, shipped with the package
>>> [hit.node.label for hit in graph.search("TGF-β", limit=2).items]
['TGF-beta', 'TGF-beta signaling pathway']
>>> path = graph.paths("hypoxia", "metastasis").paths[0]    # a shortest path, with its citations
>>> path.nodes[0].label, path.nodes[-1].label, len(path.nodes), bool(path.edges[0].citations)
('hypoxia', 'metastasis', 3, True)
>>> graph.sparql("ASK { ?s ?p ?o }")
True
>>> graph.export("kgx")[:1]
b'{'

The answers are the objects the REST routes serialise (``to_dict()`` gives their JSON). Everything
runs in this process: :meth:`KnowledgeGraph.sparql` queries the in-memory store directly, without
the time limits and confinement the service puts around SPARQL from strangers.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["KnowledgeGraph", "load"]


@dataclass
class KnowledgeGraph:
    """A loaded graph: its RDF store, exchange graph and index (:class:`kg.exchange.dataset.LoadedDataset`)."""

    dataset: Any

    def search(self, q: str, **options):
        """Nodes whose label, synonym or identifier matches ``q`` (:func:`kg.query.lookup.search`)."""
        from kg.query.lookup import search

        return search(self.dataset.index, q, **options)

    def node(self, name: str):
        """The one node that ``name`` (id, CURIE, label or synonym) names, or a NotFoundError."""
        from kg.query.lookup import resolve

        return resolve(self.dataset.index, name)

    def neighborhood(self, node: str, **options):
        """What surrounds ``node`` (:func:`kg.query.neighborhood.neighborhood`: depth, direction, ...)."""
        from kg.query.neighborhood import neighborhood

        return neighborhood(self.dataset.index, node, **options)

    def paths(self, source: str, target: str, **options):
        """Paths from ``source`` to ``target`` (:func:`kg.query.paths.find_paths`: mode, k, ...)."""
        from kg.query.paths import find_paths

        return find_paths(self.dataset.index, source, target, **options)

    def explain(self, source: str, target: str | None = None, **options):
        """The best paths from ``source`` to ``target`` in cited sentences, or with no target the
        strongest drivers and effects of ``source``; ``.to_markdown()`` renders it."""
        from kg.query.explain import explain, explain_node

        if target is None:
            return explain_node(self.dataset.index, source, **options)
        return explain(self.dataset.index, source, target, **options)

    def sparql(self, query: str):
        """A SPARQL 1.1 query over the graph, with the project's prefixes (``mkg:``, ``rdfs:``,
        ``biolink:``, ...) declared: a bool for ASK, rows of {variable: value} for SELECT, triples
        for CONSTRUCT and DESCRIBE (values as pyoxigraph terms)."""
        import pyoxigraph as ox

        from kg.vocab import SPARQL_PROLOGUE

        result = self.dataset.store.query(SPARQL_PROLOGUE + query, use_default_graph_as_union=True)
        if isinstance(result, ox.QueryBoolean):
            return bool(result)
        if isinstance(result, ox.QuerySolutions):
            names = [variable.value for variable in result.variables]
            return [{name: solution[name] for name in names} for solution in result]
        return list(result)

    def export(self, fmt: str = "turtle") -> bytes:
        """The whole graph in an export format (``kg.exchange.export.FORMATS``)."""
        from kg.exchange.export import serialize_selection

        return serialize_selection(self.dataset.store, self.dataset.exchange, fmt)


def load(path: str | Path | None = None, **options) -> KnowledgeGraph:
    """The curated graph (built from ``data/`` first if this checkout has not built it), or the RDF
    file ``path`` of any syntax; ``options`` are those of :func:`kg.exchange.dataset.open_dataset`."""
    from kg.curation.build import ensure_built
    from kg.exchange.dataset import open_dataset

    return KnowledgeGraph(open_dataset(Path(path) if path else ensure_built(), **options))
