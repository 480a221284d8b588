"""The array index: construction from networkx and from arrays, records, validation."""

import networkx as nx
import numpy as np
import pytest

from kg.errors import InvalidQueryError, NotFoundError
from kg.query.index import DEFAULT_CATEGORY, GraphIndex, check_direction, check_int, gather_slices
from tests.fixture_graph import NODES, fixture_graph, fixture_index


def test_counts_and_nodes():
    index = fixture_index()
    assert index.node_count == len(NODES)
    assert index.edge_count == fixture_graph().number_of_edges()
    assert index.node("mkg:tgfb1").to_dict() == {"id": "mkg:tgfb1", "label": "TGFB1", "category": "biolink:Gene"}
    assert "mkg:emt" in index and "mkg:nothing" not in index


def test_edges_are_in_canonical_support_order():
    index = fixture_index()
    keys = [(-int(s), -int(d)) for s, d in zip(index.edge_support, index.edge_documents, strict=True)]
    assert keys == sorted(keys)
    assert index.edge(0).subject.id == "mkg:tme" and index.edge(0).predicate == "regulates"


def test_adjacency_slices_list_best_supported_first():
    index = fixture_index()
    hypoxia = index.position("mkg:hypoxia")
    _, neighbours, edges, _ = index.adjacent(np.array([hypoxia]), "out")
    assert [index.node_ids[n] for n in neighbours] == ["mkg:angiogenesis", "mkg:emt", "mkg:angiogenesis"]
    assert [index.predicate_names[index.edge_predicate[e]] for e in edges] == ["promotes", "promotes", "regulates"]
    owners, neighbours, _, _ = index.adjacent(np.array([hypoxia]), "both")
    assert index.node_ids[neighbours[-1]] == "mkg:tme" and set(owners) == {hypoxia}


def test_edge_serialisation_shape():
    edge = fixture_index().edges([0])[0].to_dict()
    # edge 0, hypoxia -> angiogenesis, is stated with different certainty: it says so
    assert set(edge) == {"subject", "predicate", "object", "sign", "background", "provenance", "citations",
                         "conflicts"}
    assert set(edge["subject"]) == {"id", "label", "category"}
    assert set(edge["citations"][0]) == {"document", "locator", "reference", "certainty", "statement", "qualifiers"}


def test_describe_has_every_attribute():
    detail = fixture_index().describe("mkg:tp53").to_dict()
    assert detail["xrefs"] == ["HGNC:11998"] and "p53" in detail["synonyms"]
    assert detail["iri"] == "https://w3id.org/mkg/tp53" and detail["in_degree"] == 1


def test_foreign_graph_defaults():
    graph = nx.MultiDiGraph()
    graph.add_edge("http://x.org/a", "http://x.org/b", key="relates")
    index = GraphIndex.from_networkx(graph)
    assert index.node("http://x.org/a").category == DEFAULT_CATEGORY
    assert index.node("http://x.org/a").label == "http://x.org/a"
    edge = index.edge(0)
    assert edge.sign == 0 and edge.citations == ()
    assert index.document_ids == []


def test_from_arrays_matches_from_networkx():
    index = fixture_index()
    rebuilt = GraphIndex.from_arrays(
        index.node_ids, index.edge_src, index.edge_dst, index.edge_predicate, index.predicate_names,
        labels=index.labels, categories=[index.category(i) for i in range(index.node_count)],
        signs=index.edge_sign, support=index.edge_support,
    )
    assert np.array_equal(rebuilt.out_neighbor, index.out_neighbor)
    assert [e.predicate for e in rebuilt.edges(range(5))] == [e.predicate for e in index.edges(range(5))]


def test_gather_slices_caps_each_node():
    pointer = np.array([0, 3, 3, 7])
    positions, owners = gather_slices(pointer, np.array([2, 0]), cap=2)
    assert positions.tolist() == [3, 4, 0, 1] and owners.tolist() == [2, 2, 0, 0]


def test_bad_input_raises_the_family():
    index = fixture_index()
    with pytest.raises(NotFoundError, match="mkg:nope"):
        index.position("mkg:nope")
    with pytest.raises(NotFoundError, match="known: "):
        index.predicate_codes(["promote"])
    with pytest.raises(NotFoundError):
        index.category_codes("Gen")
    assert index.category_codes("Gene").tolist() == index.category_codes("biolink:Gene").tolist()
    with pytest.raises(NotFoundError):
        index.document_codes("nobody2020")
    with pytest.raises(InvalidQueryError):
        GraphIndex.from_networkx(nx.Graph())
    with pytest.raises(InvalidQueryError):
        check_direction("sideways")
    with pytest.raises(InvalidQueryError):
        check_int("k", -1, 1, 5)
    with pytest.raises(InvalidQueryError):
        check_int("k", "3", 1, 5)
    with pytest.raises(InvalidQueryError):
        GraphIndex.from_arrays(["a"], np.array([0]), np.array([0, 0]), np.array([0]), ["p"])


def test_predicates_of_the_model_without_edges_stay_known():
    graph = fixture_graph()
    graph.graph["predicates"]["causes"] = {"label": "causes", "sign": 1, "definition": ""}
    index = GraphIndex.from_networkx(graph)
    assert index.predicates["causes"]["sign"] == 1
    assert index.predicate_codes("causes").size == 1
