"""Disagreement is visible: pairs stated with opposite signs, claims stated with different certainty."""

import doctest

import pytest
from fastapi.testclient import TestClient

import kg.query.conflicts
from api.app import create_app
from api.settings import Settings
from kg.cli import load_curated_index, main
from kg.curation.build import BUILT_GRAPH
from kg.errors import AmbiguousNameError, InvalidQueryError, NotFoundError
from kg.query.conflicts import _pair_conflicts, all_conflicts, find_conflicts
from kg.query.edges import find_edges
from kg.query.index import CERTAINTIES, GraphIndex
from tests.fixture_graph import fixture_graph, fixture_index


@pytest.fixture(scope="module")
def index():
    return load_curated_index()


@pytest.fixture(scope="module")
def disputed():
    """The fixture plus one document that says TGF-β signaling holds EMT back."""
    graph = fixture_graph()
    graph.add_edge("mkg:tgf_beta_signaling", "mkg:emt", key="inhibits", predicate="inhibits", sign=-1, citations=[
        {"document": "anon_tme", "locator": "s9.p1", "reference": None, "certainty": "hedged",
         "statement": "TGF-β signaling inhibits EMT (test)"}])
    return GraphIndex.from_networkx(graph)


def key(citation):
    return citation.document, citation.locator, citation.statement


def assert_well_formed(index, conflict):
    """Both sides non-empty with the right polarities, documents that match the citations, and every
    citation one of the pair's edges gives."""
    asserted = find_edges(index, subject=conflict.subject.id, object=conflict.object.id, limit=1000).edges
    polarity = {predicate: index.predicates[predicate]["polarity"] for predicate in index.predicate_names}
    if conflict.kind == "opposite_signs":
        sides = {"positive": conflict.positive, "negative": conflict.negative}
        assert not (conflict.polarity or conflict.predicates or conflict.certainties)
        for sign, side in sides.items():
            assert side.predicates and side.citations
            assert {polarity[p] for p in side.predicates} == {sign}
            assert set(side.documents) == {c.document for c in side.citations}
            cited = {key(c) for e in asserted if e.predicate in side.predicates for c in e.citations}
            assert {key(c) for c in side.citations} == cited
        assert conflict.support == len(conflict.positive.citations) + len(conflict.negative.citations)
    else:
        assert conflict.kind == "certainty" and conflict.positive is None and conflict.negative is None
        assert {polarity[p] for p in conflict.predicates} == {conflict.polarity}
        if conflict.polarity == "non_causal":
            assert len(conflict.predicates) == 1
        documents = [entry.document for entry in conflict.certainties]
        assert len(documents) == len(set(documents)) >= 2
        assert len({entry.certainty for entry in conflict.certainties}) >= 2
        ranks = [CERTAINTIES.index(entry.certainty) for entry in conflict.certainties]
        assert ranks == sorted(ranks)
        for entry in conflict.certainties:
            assert entry.citations and {c.document for c in entry.citations} == {entry.document}
            assert entry.certainty == min((c.certainty for c in entry.citations), key=CERTAINTIES.index)
        cited = {key(c) for e in asserted if e.predicate in conflict.predicates for c in e.citations}
        assert {key(c) for entry in conflict.certainties for c in entry.citations} == cited
        assert conflict.support == len(cited)


def brute_force(index):
    """Every pair's conflicts, without the array search for candidate pairs."""
    pairs = {}
    for edge in index.edges(range(index.edge_count)):
        pairs.setdefault((edge.subject.id, edge.object.id), []).append(edge)
    return sorted((c for edges in pairs.values() for c in _pair_conflicts(index, edges)), key=lambda c: c.sort_key())


def test_the_module_examples_hold():
    assert doctest.testmod(kg.query.conflicts).failed == 0


def test_curated_conflicts_are_well_formed_and_complete(index):
    conflicts = all_conflicts(index)
    assert conflicts == tuple(brute_force(index))
    assert any(c.kind == "certainty" for c in conflicts)
    for conflict in conflicts:
        assert_well_formed(index, conflict)
    keys = [c.sort_key() for c in conflicts]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)
    (hypoxia,) = [c for c in conflicts if (c.subject.id, c.object.id, c.polarity)
                  == ("mkg:hypoxia", "mkg:angiogenesis", "positive")]
    assert hypoxia.certainties[0].certainty == "stated" and hypoxia.certainties[-1].certainty != "stated"


def test_curated_filters_and_pages(index):
    everything = find_conflicts(index, limit=1000)
    by_kind = [find_conflicts(index, kind=kind, limit=1000) for kind in ("opposite_signs", "certainty")]
    assert sum(page.total for page in by_kind) == everything.total == len(all_conflicts(index))
    emt = find_conflicts(index, node="EMT", limit=1000).conflicts
    assert emt and all("mkg:emt" in (c.subject.id, c.object.id) for c in emt)
    assert len(emt) == sum("mkg:emt" in (c.subject.id, c.object.id) for c in everything.conflicts)
    page = find_conflicts(index, limit=2, offset=1)
    assert page.conflicts == everything.conflicts[1:3] and page.truncated


def test_fixture_answers_exactly():
    page = find_conflicts(fixture_index())
    assert [(c.kind, c.subject.id, c.object.id, c.polarity, c.predicates, c.support,
             [(d.document, d.certainty) for d in c.certainties]) for c in page.conflicts] == [
        ("certainty", "mkg:tme", "mkg:metastasis", "non_causal", ("regulates",), 3,
         [("anon_tme", "stated"), ("glimm2025", "stated"), ("wolf2025", "hedged")]),
        ("certainty", "mkg:hypoxia", "mkg:angiogenesis", "positive", ("promotes",), 2,
         [("wolf2025", "stated"), ("glimm2025", "hedged")]),
    ]
    assert (page.total, page.truncated) == (2, False)
    assert find_conflicts(fixture_index(), kind="opposite_signs").total == 0
    assert [c.subject.id for c in find_conflicts(fixture_index(), node="metastasis").conflicts] == ["mkg:tme"]
    assert find_conflicts(fixture_index(), node="TP53").total == 0
    assert find_conflicts(fixture_index(), offset=2).conflicts == ()


def test_opposite_signs_list_both_sides(disputed):
    (conflict,) = find_conflicts(disputed, kind="opposite_signs").conflicts
    assert (conflict.subject.id, conflict.object.id, conflict.support) == ("mkg:tgf_beta_signaling", "mkg:emt", 3)
    assert (conflict.positive.predicates, conflict.positive.documents) == (("promotes",), ("glimm2025",
                                                                                          "quicktakes2024"))
    assert (conflict.negative.predicates, conflict.negative.documents) == (("inhibits",), ("anon_tme",))
    for found in all_conflicts(disputed):
        assert_well_formed(disputed, found)
    answer = conflict.to_dict()
    assert answer["kind"] == "opposite_signs" and answer["certainties"] is None and answer["polarity"] is None
    assert [c["document"] for c in answer["negative"]["citations"]] == ["anon_tme"]
    assert all_conflicts(disputed) == tuple(brute_force(disputed))


@pytest.mark.parametrize(("arguments", "error"), [
    ({"kind": "opposite"}, InvalidQueryError),
    ({"limit": 0}, InvalidQueryError),
    ({"offset": -1}, InvalidQueryError),
    ({"limit": "10"}, InvalidQueryError),
    ({"node": "no such node"}, NotFoundError),
    ({"node": "TGF-β"}, AmbiguousNameError),
])
def test_bad_arguments_are_refused(arguments, error):
    with pytest.raises(error):
        find_conflicts(fixture_index(), **arguments)


def test_the_cli_prints_one_line_per_conflict(index, capsys):
    assert main(["conflicts", "--node", "hypoxia"]) == 0
    lines = capsys.readouterr().out.splitlines()
    expected = find_conflicts(index, node="hypoxia").conflicts
    assert lines[0] == f"{len(expected)} conflict(s)" and len(lines) == len(expected) + 1
    assert any(line.split()[0] == "certainty" and "hypoxia -> angiogenesis" in line and "stated [" in line
               for line in lines[1:])
    assert main(["conflicts", "--node", "no such node"]) == 1


@pytest.fixture(scope="module")
def client(index):  # the index fixture has built the curated graph if it was missing
    with TestClient(create_app(Settings(data_file=BUILT_GRAPH, workers=1))) as client:
        yield client


def test_the_route_answers_what_the_library_does(client, index):
    response = client.get("/conflicts", params={"limit": 1000})
    assert response.status_code == 200
    assert response.json() == find_conflicts(index, limit=1000).to_dict()
    page = client.get("/conflicts", params={"kind": "certainty", "node": "hypoxia", "limit": 1, "offset": 0}).json()
    assert page == find_conflicts(index, kind="certainty", node="hypoxia", limit=1).to_dict()
    conflict = page["conflicts"][0]
    assert conflict["kind"] == "certainty" and conflict["positive"] is None
    assert {entry["certainty"] for entry in conflict["certainties"]} >= {"stated"}


@pytest.mark.parametrize(("params", "status"), [
    ({"kind": "sure"}, 422), ({"node": "no such node"}, 404), ({"limit": 0}, 422),
])
def test_the_route_refuses_bad_requests(client, params, status):
    response = client.get("/conflicts", params=params)
    assert response.status_code == status and set(response.json()["error"]) == {"status", "code", "message",
                                                                                  "detail"}


def test_every_edge_of_a_disputed_pair_says_so_in_plain_answers():
    index = fixture_index()
    disputed = {(c.subject.id, c.object.id): c.kind for c in all_conflicts(index)}
    assert disputed
    for edge in find_edges(index, limit=1000).edges:
        expected = disputed.get((edge.subject.id, edge.object.id))
        assert edge.conflicts == ((expected,) if expected else ())
        assert ("conflicts" in edge.to_dict()) == bool(expected)
    pooled = find_edges(index, subject="hypoxia", object="angiogenesis", evidence="pooled").edges
    assert all(edge.conflicts == ("certainty",) for edge in pooled)
