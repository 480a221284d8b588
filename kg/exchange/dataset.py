"""Open an RDF file once and derive everything the service needs from it.

The file is parsed once, by pyoxigraph (fast, and it never fetches anything while parsing). The
array index that the REST queries run on and the documents' bibliographic records are read
straight from that store (:mod:`kg.exchange.quads`); meanwhile a thread loads the same file into
an on-disk store for the SPARQL workers (:meth:`kg.sparql.engine.OnDiskCopy.of_file`); the networkx
exchange graph, which only some exports need, is made on first use.

Loading logs its progress and figures (``kg.exchange.progress``); on the Hetionet-sized synthetic
graph (2.35M triples) parsing takes ~9 s and the index ~11 s (``python -m bench.serve``).
"""

from __future__ import annotations

import logging
from contextlib import suppress
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import networkx as nx
import pyoxigraph as ox

from kg.errors import KGError, NotFoundError
from kg.exchange.graph import exchange_graph
from kg.exchange.progress import phase
from kg.exchange.quads import document_records, index_of, read_graph
from kg.exchange.rdfio import load_dataset, rdf_format
from kg.query.edges import documents as documents_supported
from kg.query.index import GraphIndex
from kg.query.paths import shortest_path
from kg.sparql.engine import OnDiskCopy

log = logging.getLogger(__name__)


@dataclass
class LoadedDataset:
    path: Path
    store: ox.Store
    index: GraphIndex
    documents: dict[str, dict]
    sparql_store: OnDiskCopy | None = None  # the copy the SPARQL workers open, written while the index is built

    @cached_property
    def exchange(self) -> nx.MultiDiGraph:
        """The networkx exchange graph (:mod:`kg.exchange.graph`), made on first use: the GraphML,
        Cytoscape, KGX and SSSOM exports need it, the queries do not."""
        return exchange_graph(read_graph(self.store))

    def document_summaries(self) -> list[dict]:
        """Every document the graph describes or cites, with its citation and edge counts."""
        cited = {d.document: d for d in documents_supported(self.index, edge_limit=1)}
        summaries = []
        for document_id in sorted(set(self.documents) | set(cited)):
            record = {k: v for k, v in self.documents.get(document_id, {"id": document_id}).items()
                      if k != "references"}
            support = cited.get(document_id)
            summaries.append({**record, "citations": support.citations if support else 0,
                              "edge_count": support.edge_count if support else 0})
        return summaries

    def document(self, document_id: str, *, edge_limit: int = 100) -> dict:
        """A document's bibliographic record, references and (a page of) the edges it supports."""
        record = self.documents.get(document_id)
        cited = {d.document: d for d in documents_supported(self.index, edge_limit=edge_limit)}
        if record is None and document_id not in cited:
            known = sorted(set(self.documents) | set(cited))
            raise NotFoundError(f"no document {document_id!r}; known documents: {', '.join(known)}",
                                detail={"known": known})
        support = cited.get(document_id)
        return {
            **(record or {"id": document_id, "references": []}),
            "citations": support.citations if support else 0,
            "edge_count": support.edge_count if support else 0,
            "edges": [e.to_dict() for e in support.edges] if support else [],
            "edges_truncated": support.truncated if support else False,
        }


def _compile_kernels(index: GraphIndex) -> None:
    """Run one path search so that the compiled search kernels are ready before the first request."""
    if index.node_count >= 2:
        with suppress(KGError):  # no path between the two is fine: the kernels ran
            shortest_path(index, [index.node_ids[0]], [index.node_ids[1]])


def open_dataset(path: Path, format_name: str | None = None, *, base_iri: str | None = None,
                 allow_empty: bool = False) -> LoadedDataset:
    """Everything the service needs from the RDF file ``path``; a bad file raises ``DataFileError``.

    The arguments are those of :func:`kg.exchange.rdfio.load_dataset`.
    """
    path = Path(path)
    # The workers' on-disk store loads from the file beside the in-memory parse (OnDiskCopy.of_file);
    # a file the parse refuses takes the copy with it.
    sparql_store = OnDiskCopy.of_file(path, rdf_format(path, format_name), base_iri) if path.is_file() else None
    try:
        with phase(log, f"parsing {path}", reading=path) as figures:
            store = load_dataset(path, format_name, base_iri=base_iri, allow_empty=allow_empty)
            figures["quads"] = len(store)
    except BaseException:
        if sparql_store is not None:
            sparql_store.cleanup()
        raise
    with phase(log, "building the index") as figures:
        index = index_of(read_graph(store))
        _compile_kernels(index)
        figures.update(nodes=index.node_count, edges=index.edge_count)
    return LoadedDataset(path, store, index, document_records(store), sparql_store)
