"""Open an RDF file once and derive everything the service needs from it.

The file is parsed by pyoxigraph (fast, and it never fetches anything while parsing); the SPARQL
engine serves that store, and the same quads, read into rdflib as one union graph, give the
networkx exchange graph and the array index that the REST queries run on.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
from rdflib import Dataset, Graph

from kg.graph import to_networkx
from kg.index import GraphIndex
from kg.rdfio import load_dataset


@dataclass
class LoadedDataset:
    path: Path
    store: ox.Store
    rdf: Graph
    exchange: nx.MultiDiGraph
    index: GraphIndex


def union_graph(store: ox.Store) -> Graph:
    """Every quad of ``store`` (default and named graphs) as one read-only rdflib graph."""
    dataset = Dataset(default_union=True)
    dataset.parse(data=store.dump(format=ox.RdfFormat.N_QUADS), format="nquads")
    return dataset


def open_dataset(path: Path, format_name: str | None = None) -> LoadedDataset:
    store = load_dataset(path, format_name)
    rdf = union_graph(store)
    exchange = to_networkx(rdf)
    return LoadedDataset(Path(path), store, rdf, exchange, GraphIndex.from_networkx(exchange))
