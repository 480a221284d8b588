"""Edge listings, induced subgraphs, documents and statistics."""

import pytest

from kg.errors import InvalidQueryError, NotFoundError
from kg.query.edges import documents, find_edges, stats, subgraph
from tests.fixture_graph import fixture_graph, fixture_index


def triples(page):
    return [(e.subject.id, e.predicate, e.object.id) for e in page.edges]


def test_filter_by_subject_predicate_object():
    index = fixture_index()
    assert triples(find_edges(index, subject="hypoxia", object="angiogenesis")) == [
        ("mkg:hypoxia", "promotes", "mkg:angiogenesis"), ("mkg:hypoxia", "regulates", "mkg:angiogenesis")]
    assert triples(find_edges(index, object="EMT", predicate="promotes"))[0] == (
        "mkg:tgf_beta_signaling", "promotes", "mkg:emt")
    assert find_edges(index, predicate=["precedes", "part_of"]).total == 9


def test_filter_by_document_and_certainty():
    index = fixture_index()
    page = find_edges(index, document="schneider2025")
    assert page.total == 7
    assert all(any(c.document == "schneider2025" for c in e.citations) for e in page.edges)
    implied = find_edges(index, certainty="implied")
    assert all(any(c.certainty == "implied" for c in e.citations) for e in implied.edges)


def test_paging_is_stable_and_says_truncated():
    index = fixture_index()
    everything = triples(find_edges(index, limit=1000))
    assert len(everything) == fixture_graph().number_of_edges()
    first, second = find_edges(index, limit=10), find_edges(index, limit=10, offset=10)
    assert first.truncated and triples(first) + triples(second) == everything[:20]
    assert not find_edges(index, limit=10, offset=30).truncated


@pytest.mark.parametrize(
    ("options", "error"),
    [
        ({"limit": 0}, InvalidQueryError),
        ({"offset": -1}, InvalidQueryError),
        ({"certainty": "sure"}, InvalidQueryError),
        ({"predicate": "cures"}, NotFoundError),
        ({"document": "x2000"}, NotFoundError),
        ({"subject": "atlantis"}, NotFoundError),
    ],
)
def test_bad_filters(options, error):
    with pytest.raises(error):
        find_edges(fixture_index(), **options)


def test_subgraph_is_induced():
    result = subgraph(fixture_index(), ["tme", "hypoxia", "angiogenesis"])
    assert {(e.subject.id, e.object.id) for e in result.edges} == {
        ("mkg:tme", "mkg:hypoxia"), ("mkg:tme", "mkg:angiogenesis"), ("mkg:hypoxia", "mkg:angiogenesis")}
    only = subgraph(fixture_index(), ["tme", "hypoxia", "angiogenesis"], predicates="promotes")
    assert triples(only) == [("mkg:hypoxia", "promotes", "mkg:angiogenesis")]
    assert set(result.to_dict()) == {"nodes", "edges", "truncated"}


def test_documents_list_the_edges_they_support():
    listing = documents(fixture_index(), edge_limit=2)
    assert [d.document for d in listing] == sorted(d.document for d in listing)
    wolf = next(d for d in listing if d.document == "wolf2025")
    assert wolf.edge_count == 9 and len(wolf.edges) == 2 and wolf.truncated
    only = documents(fixture_index(), "quicktakes2024")
    assert len(only) == 1 and only[0].citations == 4 and not only[0].truncated
    with pytest.raises(NotFoundError):
        documents(fixture_index(), "x2000")


def test_stats_counts():
    summary = stats(fixture_index()).to_dict()
    assert summary["nodes"] == 19 and summary["edges"] == 33
    assert summary["nodes_per_category"]["biolink:Gene"] == 2
    assert summary["edges_per_predicate"]["regulates"] == 9
    assert summary["citations"] == sum(summary["citations_per_document"].values())
