"""Open an RDF file once and derive everything the service needs from it.

The file is parsed by pyoxigraph (fast, and it never fetches anything while parsing); the SPARQL
engine serves that store, and the same quads, read into rdflib as one union graph, give the
networkx exchange graph, the array index that the REST queries run on, and the documents'
bibliographic records.
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
from rdflib import Dataset, Graph

from kg.errors import KGError, NotFoundError
from kg.exchange.graph import document_records, to_networkx
from kg.exchange.rdfio import load_dataset
from kg.query.edges import documents as documents_supported
from kg.query.index import GraphIndex
from kg.query.paths import shortest_path


@dataclass
class LoadedDataset:
    path: Path
    store: ox.Store
    rdf: Graph
    exchange: nx.MultiDiGraph
    index: GraphIndex
    documents: dict[str, dict]

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


def union_graph(store: ox.Store) -> Graph:
    """Every quad of ``store`` (default and named graphs) as one read-only rdflib graph."""
    dataset = Dataset(default_union=True)
    dataset.parse(data=store.dump(format=ox.RdfFormat.N_QUADS), format="nquads")
    return dataset


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
    store = load_dataset(path, format_name, base_iri=base_iri, allow_empty=allow_empty)
    rdf = union_graph(store)
    exchange = to_networkx(rdf)
    index = GraphIndex.from_networkx(exchange)
    _compile_kernels(index)
    return LoadedDataset(Path(path), store, rdf, exchange, index, document_records(rdf))
