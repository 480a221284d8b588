"""k-hop neighbourhoods: direction, filters, limits, truncation and hubs."""

import networkx as nx
import pytest

from kg.errors import InvalidQueryError, NotFoundError
from kg.query.bounds import MAX_ANSWER_RECORDS
from kg.query.index import GraphIndex
from kg.query.neighborhood import neighborhood
from tests.fixture_graph import fixture_index


def ids(result, hop=None):
    return {n.node.id for n in result.nodes if hop is None or n.hop == hop}


def test_one_hop_both_directions():
    result = neighborhood(fixture_index(), "hypoxia")
    assert ids(result, 1) == {"mkg:angiogenesis", "mkg:emt", "mkg:tme"}
    assert result.nodes[0].hop == 0 and result.seeds[0].id == "mkg:hypoxia"
    assert not result.truncated


def test_two_hops_out_follow_direction():
    result = neighborhood(fixture_index(), "hypoxia", depth=2, direction="out")
    assert ids(result, 2) == {"mkg:metastasis", "mkg:local_invasion"}
    assert all(e.subject.id != "mkg:tme" for e in result.edges)
    assert {(e.subject.id, e.object.id) for e in result.edges} >= {("mkg:emt", "mkg:local_invasion")}


def test_parallel_edges_all_listed_best_supported_first():
    result = neighborhood(fixture_index(), "hypoxia", direction="out")
    pairs = [(e.predicate, e.object.id) for e in result.edges]
    assert pairs.index(("promotes", "mkg:angiogenesis")) < pairs.index(("regulates", "mkg:angiogenesis"))


def test_filters_by_predicate_category_and_document():
    index = fixture_index()
    assert ids(neighborhood(index, "EMT", direction="in", predicates=["promotes"]), 1) == {
        "mkg:hypoxia", "mkg:tgf_beta_signaling", "mkg:nfkb", "mkg:tgfb1"}
    assert ids(neighborhood(index, "tme", categories="BiologicalProcess"), 1) == {
        "mkg:hypoxia", "mkg:angiogenesis", "mkg:emt", "mkg:local_invasion", "mkg:metastasis",
        "mkg:colonization", "mkg:cancer_progression"}
    by_document = neighborhood(index, "tme", documents="glimm2025")
    assert ids(by_document, 1) == {"mkg:angiogenesis", "mkg:emt", "mkg:metastasis", "mkg:colonization"}
    assert all(any(c.document == "glimm2025" for c in e.citations) for e in by_document.edges)


def test_limit_keeps_best_supported_and_says_truncated():
    result = neighborhood(fixture_index(), "tme", direction="out", limit=3)
    assert [n.node.id for n in result.nodes] == ["mkg:tme", "mkg:metastasis", "mkg:angiogenesis"]
    assert result.truncated and result.truncated_by == "limit" and len(result.nodes) == 3
    assert neighborhood(fixture_index(), "tme", direction="out").truncated_by is None


def test_node_set_and_serialisation():
    result = neighborhood(fixture_index(), ["lung", "TP53"], direction="in")
    assert ids(result, 0) == {"mkg:lung", "mkg:tp53"}
    assert ids(result, 1) == {"mkg:breast_cancer", "mkg:tme"}
    shape = result.to_dict()
    assert set(shape) == {"seeds", "nodes", "edges", "depth", "direction", "limit", "truncated", "truncated_by"}
    assert set(shape["nodes"][0]) == {"id", "label", "category", "hop"}


def test_hub_is_bounded_by_the_limit():
    star = nx.MultiDiGraph()
    star.add_edges_from(("hub", f"leaf{i}", "links_to") for i in range(5000))
    star.add_edges_from((f"leaf{i}", f"far{i}", "links_to") for i in range(5000))
    result = neighborhood(GraphIndex.from_networkx(star), "hub", depth=3, limit=10)
    assert len(result.nodes) == 10 and result.truncated
    assert len(result.edges) <= 40


def test_edges_and_citations_carried_are_capped():
    star = nx.MultiDiGraph()
    for leaf in range(100):  # leaf i's edge has 30 + i citations: the last ones are the best supported
        citations = [{"document": "doc", "locator": f"s{n}", "statement": "says so"} for n in range(30 + leaf)]
        star.add_edge("hub", f"leaf{leaf}", key="links_to", citations=citations)
    result = neighborhood(GraphIndex.from_networkx(star), "hub", limit=101)
    assert len(result.nodes) == 101 and result.truncated and result.truncated_by == "size"
    citations = [len(edge.citations) for edge in result.edges]
    assert sum(citations) + len(citations) <= MAX_ANSWER_RECORDS and len(citations) < 100
    assert citations == list(range(129, 129 - len(citations), -1))  # the best-supported edges are kept


@pytest.mark.parametrize(
    "options",
    [{"depth": 0}, {"depth": 4}, {"limit": 0}, {"limit": 501}, {"limit": -5}, {"direction": "up"}, {"depth": 1.5}],
)
def test_out_of_range_options(options):
    with pytest.raises(InvalidQueryError):
        neighborhood(fixture_index(), "emt", **options)


@pytest.mark.parametrize(
    "options", [{"predicates": "promote"}, {"categories": "Planet"}, {"documents": "smith1999"}]
)
def test_unknown_filter_values(options):
    with pytest.raises(NotFoundError):
        neighborhood(fixture_index(), "emt", **options)


def test_unknown_seed():
    with pytest.raises(NotFoundError):
        neighborhood(fixture_index(), "mkg:unknown")
    with pytest.raises(InvalidQueryError):
        neighborhood(fixture_index(), [])
