"""The index read straight from a store (kg.exchange.quads) says what the rdflib and networkx route said.

Compared edge for edge, in the index's canonical order: nodes with every attribute, edges with
citations, provenance and conflicts, predicates, documents; on the curated graph and on
tests/data/mini.ttl.
"""

import importlib.util
import shutil
import subprocess
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset

from kg.curation.build import ensure_built
from kg.exchange.graph import exchange_graph, to_networkx
from kg.exchange.quads import build_index, document_records, read_graph
from kg.exchange.rdfio import load_dataset
from kg.query.index import GraphIndex

PROJECT = Path(__file__).resolve().parent.parent
MINI = PROJECT / "tests" / "data" / "mini.ttl"
# The last commit whose kg/exchange/graph.py read RDF with rdflib, and the documents with it.
RDFLIB_READER_COMMIT = "a0d5a9ea2ece5ea19f7477abb77da488058eb7d0"


def everything(index: GraphIndex) -> dict:
    """All that queries can see of an index: its nodes by id (their numbers are its own business),
    its edges in its canonical order."""
    return {
        "nodes": sorted((index.describe(node).to_dict() for node in range(index.node_count)), key=lambda n: n["id"]),
        "edges": [edge.to_dict() for edge in index.edges(range(index.edge_count))],
        "support": index.edge_support.tolist(),
        "documents": index.document_ids,
        "predicates": index.predicates,
        "categories": index.category_names,
    }


@pytest.fixture(scope="module", params=["curated", "mini"])
def data_file(request) -> Path:
    return ensure_built() if request.param == "curated" else MINI


def test_the_store_index_is_the_exchange_graph_index(data_file: Path):
    store = load_dataset(data_file)
    direct = everything(build_index(store))
    assert direct["edges"] and direct["nodes"]
    if data_file != MINI:  # the curated graph: the comparison covers citations and provenance
        assert all(edge["citations"] or edge["background"] for edge in direct["edges"])
        assert all(edge["provenance"] for edge in direct["edges"])
    assert direct == everything(GraphIndex.from_networkx(exchange_graph(read_graph(store))))


def test_an_rdflib_graph_reads_as_its_store(data_file: Path):
    from rdflib import Graph

    graph = Graph().parse(data_file)
    assert everything(GraphIndex.from_networkx(to_networkx(graph))) == everything(build_index(load_dataset(data_file)))


def _rdflib_reader():
    """kg/exchange/graph.py as it was when rdflib read the graph, as a module; None without git history."""
    if shutil.which("git") is None:
        return None
    shown = subprocess.run(["git", "show", f"{RDFLIB_READER_COMMIT}:kg/exchange/graph.py"], cwd=PROJECT,
                           capture_output=True, text=True)
    if shown.returncode:
        return None
    module = importlib.util.module_from_spec(importlib.util.spec_from_loader("rdflib_reader", loader=None))
    exec(shown.stdout, module.__dict__)  # noqa: S102 - the project's own file, from its history
    return module


def test_answers_are_those_of_the_rdflib_reader(data_file: Path):
    reader = _rdflib_reader()
    if reader is None:
        pytest.skip("no git history of the rdflib reader here")
    store = load_dataset(data_file)
    union = Dataset(default_union=True)
    union.parse(data=store.dump(format=ox.RdfFormat.N_QUADS), format="nquads")
    before = everything(GraphIndex.from_networkx(reader.to_networkx(union)))
    assert everything(build_index(store)) == before
    assert document_records(store) == reader.document_records(union)
