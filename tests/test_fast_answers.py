"""Fast answers: answers assembled from kept, encoded edge records (api/encoding.py) are the
answers ``to_dict`` makes afresh and still fit the response models; the loaded graph is out of the
garbage collector's walk (api/app.py)."""

import gc
import json

import orjson

from api.encoding import EncodedEdges, JSONAnswer
from api.models import NeighborhoodOut, PathsOut
from kg.query.neighborhood import neighborhood
from kg.query.paths import find_paths
from tests import test_api_rest
from tests.fixture_graph import fixture_index

client = test_api_rest.client  # the fixture: the app over the curated graph, built afresh


def afresh(answer) -> object:
    """``answer.to_dict()`` as a client decodes it (tuples become lists)."""
    return json.loads(json.dumps(answer.to_dict()))


def test_a_repeated_neighbourhood_is_the_one_built_afresh(client):
    index = client.app.state.dataset.index
    for _ in range(2):  # the second answer is spliced from the records the first one kept
        response = client.get("/neighborhood", params={"node": "EMT", "depth": 2, "limit": 100})
        assert response.headers["content-type"] == "application/json"
        assert response.json() == afresh(neighborhood(index, "EMT", depth=2, limit=100))
    assert NeighborhoodOut.model_validate(response.json()).edges


def test_repeated_pooled_paths_are_the_ones_built_afresh(client):
    index = client.app.state.dataset.index
    query = {"source": "TGF-beta", "target": "metastasis", "mode": "k_shortest", "k": 5, "directed": False}
    # a pooled hop's record names the stand-ins its reach through the hierarchy found: kept per expand
    for expand in ("hierarchy", "none", "hierarchy", "none"):
        answer = client.get("/paths", params={**query, "evidence": "pooled", "expand": expand}).json()
        assert answer == afresh(find_paths(index, ["TGF-beta"], ["metastasis"], mode="k_shortest", k=5,
                                           directed=False, evidence="pooled", expand=expand))
    assert any(edge.get("pooled_predicates") for path in answer["paths"] for edge in path["edges"])
    assert PathsOut.model_validate(answer).paths


def test_a_full_cache_starts_a_new_generation_and_answers_stay_the_same():
    index = fixture_index()
    records = EncodedEdges(max_bytes=3_000)  # a handful of records per generation
    seen = set()
    for node in ("EMT", "hypoxia", "metastasis", "tumor microenvironment", "EMT", "hypoxia"):
        result = neighborhood(index, node, depth=2)
        assert orjson.loads(JSONAnswer(result.to_dict(records)).body) == afresh(result)
        seen.update(result.edge_numbers.tolist())
    assert 0 < len(records) < len(seen)  # bounded: older records were let go


def test_the_loaded_graph_is_frozen_out_of_the_collectors_walk(client):
    # full collections walked its 170,000-260,000 objects, 110-350 ms each, every few dozen large answers
    citations = client.app.state.dataset.index.citations
    assert gc.is_tracked(citations) and all(thing is not citations for thing in gc.get_objects())
