"""Path queries: modes, direction, filters, via, sets, sign composition, limits and budgets."""

import itertools

import pytest

from kg.errors import InvalidQueryError, NotFoundError, QueryTimeoutError
from kg.query import paths
from kg.query.index import GraphIndex
from kg.query.paths import find_paths, k_shortest_paths, shortest_path, simple_paths
from tests.fixture_graph import fixture_index, layered_graph


def node_ids(path):
    return [node.id for node in path.nodes]


def test_shortest_follows_edge_direction():
    result = shortest_path(fixture_index(), "hypoxia", "metastasis")
    assert [node_ids(p) for p in result.paths] == [["mkg:hypoxia", "mkg:angiogenesis", "mkg:metastasis"]]
    assert not result.truncated and not result.timed_out
    assert shortest_path(fixture_index(), "metastasis", "hypoxia").paths == ()


def test_undirected_paths_may_walk_edges_backwards():
    path = shortest_path(fixture_index(), "metastasis", "hypoxia", directed=False).paths[0]
    assert path.length == 2
    assert path.edges[0].object.id == "mkg:metastasis"  # walked against its direction, shown as stated


def test_each_hop_takes_the_best_supported_predicate():
    path = shortest_path(fixture_index(), "hypoxia", "angiogenesis").paths[0]
    assert [e.predicate for e in path.edges] == ["promotes"]
    assert path.support == 2 and len(path.edges[0].citations) == 2
    only_regulates = shortest_path(fixture_index(), "hypoxia", "angiogenesis", predicates="regulates")
    assert [e.predicate for e in only_regulates.paths[0].edges] == ["regulates"]


@pytest.mark.parametrize(
    ("source", "target", "sign"),
    [
        ("hypoxia", "metastasis", 1),  # promotes, promotes
        ("TGF-β receptor inhibitor", "local invasion", -1),  # inhibits, promotes, promotes
        ("hypoxia", "intravasation", 0),  # ... precedes is unsigned
        ("TP53", "cancer progression", -1),
    ],
)
def test_sign_is_composed_along_the_path(source, target, sign):
    assert shortest_path(fixture_index(), source, target).paths[0].sign == sign


def test_k_shortest_in_order_of_length_then_support():
    result = k_shortest_paths(fixture_index(), "hypoxia", "metastasis", k=5, directed=False)
    lengths = [p.length for p in result.paths]
    assert len(result.paths) == 5 and lengths == sorted(lengths) and result.truncated_by == "k"
    assert node_ids(result.paths[0]) == ["mkg:hypoxia", "mkg:tme", "mkg:metastasis"]  # 4 citations beat 3
    assert len({tuple(node_ids(p)) for p in result.paths}) == 5
    assert all(len(set(node_ids(p))) == len(p.nodes) for p in result.paths)
    directed = k_shortest_paths(fixture_index(), "hypoxia", "metastasis", k=5)
    assert [p.length for p in directed.paths] == [2, 7] and not directed.truncated and directed.truncated_by is None


def test_simple_paths_up_to_a_length_with_a_cap():
    index = fixture_index()
    everything = simple_paths(index, "hypoxia", "metastasis", max_length=4, directed=False, max_paths=1000)
    assert all(p.length <= 4 for p in everything.paths) and not everything.truncated
    capped = simple_paths(index, "hypoxia", "metastasis", max_length=4, directed=False, max_paths=3)
    assert capped.truncated and capped.truncated_by == "max_paths" and len(capped.paths) == 3
    assert [p.length for p in capped.paths] == [p.length for p in everything.paths[:3]]
    assert simple_paths(index, "hypoxia", "metastasis", max_length=1).paths == ()


def test_include_and_exclude_filters():
    index = fixture_index()
    avoiding = shortest_path(index, "hypoxia", "metastasis", exclude_nodes=["angiogenesis"])
    assert node_ids(avoiding.paths[0])[1] == "mkg:emt" and avoiding.paths[0].length == 7
    no_promotes = shortest_path(index, "hypoxia", "metastasis", directed=False, exclude_predicates="promotes")
    assert all(e.predicate != "promotes" for e in no_promotes.paths[0].edges)
    genes_only = simple_paths(index, "tme", "cancer progression", max_length=3, categories="Gene")
    assert [node_ids(p) for p in genes_only.paths] == [
        ["mkg:tme", "mkg:cancer_progression"], ["mkg:tme", "mkg:tp53", "mkg:cancer_progression"]]
    no_process = simple_paths(index, "tme", "cancer progression", exclude_categories="BiologicalProcess")
    assert all(n.category != "biolink:BiologicalProcess" for p in no_process.paths for n in p.nodes[1:-1])


def test_required_via_node():
    index = fixture_index()
    via = shortest_path(index, "hypoxia", "metastasis", via="EMT").paths[0]
    assert "mkg:emt" in node_ids(via) and via.length == 7
    via_k = k_shortest_paths(index, "hypoxia", "metastasis", k=3, directed=False, via="TME")
    assert via_k.paths and all("mkg:tme" in node_ids(p) for p in via_k.paths)
    via_simple = simple_paths(index, "hypoxia", "metastasis", directed=False, via="NF-κB", max_length=4)
    assert via_simple.paths and all("mkg:nfkb" in node_ids(p) for p in via_simple.paths)


def test_sets_of_sources_and_targets():
    result = simple_paths(fixture_index(), ["hypoxia", "tme"], ["metastasis", "cancer progression"], max_length=2)
    for path in result.paths:
        assert path.nodes[0].id in {"mkg:hypoxia", "mkg:tme"}
        assert path.nodes[-1].id in {"mkg:metastasis", "mkg:cancer_progression"}
        inner = {n.id for n in path.nodes[1:-1]}
        assert not inner & {"mkg:hypoxia", "mkg:tme", "mkg:metastasis", "mkg:cancer_progression"}
    assert ["mkg:tme", "mkg:metastasis"] in [node_ids(p) for p in result.paths]
    shortest = shortest_path(fixture_index(), ["hypoxia", "tme"], ["metastasis", "lung"])
    assert shortest.paths[0].length == 1


def test_serialisation_shape():
    shape = shortest_path(fixture_index(), "hypoxia", "metastasis").to_dict()
    assert set(shape) == {"mode", "sources", "targets", "paths", "truncated", "truncated_by", "timed_out"}
    path = shape["paths"][0]
    assert set(path) == {"nodes", "edges", "length", "sign", "support"}
    assert set(path["edges"][0]) == {"subject", "predicate", "object", "sign", "background", "provenance",
                                     "citations", "conflicts"}  # hypoxia -> angiogenesis is disputed


def test_find_paths_dispatches_on_mode():
    index = fixture_index()
    assert find_paths(index, "hypoxia", "metastasis", mode="k_shortest", k=2).mode == "k_shortest"
    assert find_paths(index, "hypoxia", "metastasis", mode="simple", max_length=2).paths
    with pytest.raises(InvalidQueryError, match="mode"):
        find_paths(index, "hypoxia", "metastasis", mode="longest")


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda i: k_shortest_paths(i, "emt", "lung", k=0), InvalidQueryError),
        (lambda i: k_shortest_paths(i, "emt", "lung", k=51), InvalidQueryError),
        (lambda i: simple_paths(i, "emt", "lung", max_length=6), InvalidQueryError),
        (lambda i: simple_paths(i, "emt", "lung", max_paths=0), InvalidQueryError),
        (lambda i: shortest_path(i, "emt", "lung", timeout_ms=0), InvalidQueryError),
        (lambda i: shortest_path(i, "emt", "emt"), InvalidQueryError),
        (lambda i: shortest_path(i, "emt", "atlantis"), NotFoundError),
        (lambda i: shortest_path(i, "emt", "lung", predicates="cures"), NotFoundError),
        (lambda i: shortest_path(i, "emt", "lung", categories="Planet"), NotFoundError),
        (lambda i: shortest_path(i, "emt", "lung", via="atlantis"), NotFoundError),
        (lambda i: shortest_path(i, "emt", "lung", via="emt"), InvalidQueryError),
    ],
)
def test_bad_input(call, error):
    with pytest.raises(error):
        call(fixture_index())


@pytest.fixture
def ticking_clock(monkeypatch):
    """Every reading of the budget clock advances it by one millisecond."""
    ticks = itertools.count()
    monkeypatch.setattr(paths, "_now", lambda: next(ticks) / 1000)


def test_budget_returns_what_was_found_with_flags(ticking_clock):
    layered = GraphIndex.from_networkx(layered_graph(width=8, layers=4))  # 4096 paths of 5 hops
    result = simple_paths(layered, "mkg:source", "mkg:target", max_length=5, max_paths=1000, timeout_ms=50)
    assert result.timed_out and 0 < len(result.paths) < 1000
    assert (result.truncated, result.truncated_by) == (True, "timeout")
    assert all(p.length == 5 and p.sign == 0 for p in result.paths)
    k = k_shortest_paths(layered, "mkg:source", "mkg:target", k=50, timeout_ms=30)
    assert k.timed_out and 0 < len(k.paths) < 50 and k.truncated_by == "timeout"


def test_budget_with_nothing_found_raises(ticking_clock):
    layered = GraphIndex.from_networkx(layered_graph(width=8, layers=4))
    with pytest.raises(QueryTimeoutError) as raised:
        simple_paths(layered, "mkg:source", "mkg:target", max_length=5, timeout_ms=2)
    assert raised.value.detail == {"timeout_ms": 2}


def test_budget_covers_building_the_answer(monkeypatch):
    """A search that ends in time but leaves no time to build the answer keeps only its best path."""
    clock = [0.0]
    monkeypatch.setattr(paths, "_now", lambda: clock[0])
    rank = paths._rank

    def rank_then_run_out_of_time(found, asked):
        ranked = rank(found, asked)
        clock[0] = 10.0  # past the whole budget, just before the answer's records are built
        return ranked

    monkeypatch.setattr(paths, "_rank", rank_then_run_out_of_time)
    result = simple_paths(fixture_index(), "hypoxia", "metastasis", max_length=4, directed=False, max_paths=1000)
    assert len(result.paths) == 1 and result.timed_out and result.truncated_by == "timeout"


def test_answer_size_is_capped_keeping_the_best_ranked_paths(monkeypatch):
    index = fixture_index()
    everything = simple_paths(index, "hypoxia", "metastasis", max_length=4, directed=False, max_paths=1000)
    records = [p.length + p.support for p in everything.paths]  # each edge, and each of its citations
    monkeypatch.setattr(paths, "MAX_ANSWER_RECORDS", sum(records[:3]))
    capped = simple_paths(index, "hypoxia", "metastasis", max_length=4, directed=False, max_paths=1000)
    assert capped.paths == everything.paths[:3]
    assert (capped.truncated, capped.truncated_by, capped.timed_out) == (True, "size", False)
    assert capped.to_dict()["truncated_by"] == "size"
    monkeypatch.setattr(paths, "MAX_ANSWER_RECORDS", 1)
    assert len(simple_paths(index, "hypoxia", "metastasis", max_length=4).paths) == 1  # the best path stays


def test_paths_of_one_answer_share_their_edge_records():
    shape = simple_paths(fixture_index(), "hypoxia", "metastasis", max_length=4, directed=False).to_dict()
    first_hops = [path["edges"][0] for path in shape["paths"] if path["nodes"][1]["id"] == "mkg:tme"]
    assert len(first_hops) > 1 and all(hop is first_hops[0] for hop in first_hops)
