"""Heavy path and neighbourhood requests over the curated graph answer within their bounds and say so.

No wall-time assertions: the budget clock (``kg.query.paths._now``) is replaced where the outcome
would otherwise depend on the machine's speed.
"""

import json

from api.models import NeighborhoodOut, PathsOut
from kg.query import paths
from kg.query.bounds import MAX_ANSWER_RECORDS
from tests import test_api_rest

client = test_api_rest.client  # the fixture: the app over the curated graph, built afresh

# Undirected, hypoxia reaches metastasis by more than 1000 simple paths of up to 5 hops, which
# carried 11,304 citations (4.8 MB of JSON) before answers were capped.
HEAVY = {"source": "hypoxia", "target": "metastasis", "mode": "simple", "max_length": 5, "max_paths": 1000,
         "timeout_ms": 50, "directed": False}


def records(edges: list[dict]) -> int:
    """The edge and citation records a list of edges carries (see kg.query.bounds)."""
    return sum(1 + len(edge["citations"]) for edge in edges)


def test_heavy_path_request_is_capped_by_size(client, monkeypatch):
    monkeypatch.setattr(paths, "_now", lambda: 0.0)  # the budget never runs out: only the size cap cuts
    response = client.get("/paths", params=HEAVY)
    answer = response.json()
    assert response.status_code == 200 and PathsOut.model_validate(answer)  # sent as built: still the model
    assert (answer["truncated"], answer["truncated_by"], answer["timed_out"]) == (True, "size", False)
    assert 0 < len(answer["paths"]) < 1000
    assert records([edge for path in answer["paths"] for edge in path["edges"]]) <= MAX_ANSWER_RECORDS
    assert len(response.content) < 1_500_000  # ~400 bytes per record; 4.8 MB uncapped
    lengths = [path["length"] for path in answer["paths"]]
    assert lengths == sorted(lengths)  # the best-ranked paths are the ones kept


def test_heavy_path_request_out_of_time_says_so(client, monkeypatch):
    ticks = iter(range(10**6))
    monkeypatch.setattr(paths, "_now", lambda: next(ticks) / 1000)  # each reading: one more millisecond
    answer = client.get("/paths", params=HEAVY).json()
    assert answer["paths"] and answer["timed_out"]
    assert (answer["truncated"], answer["truncated_by"]) == (True, "timeout")
    assert records([edge for path in answer["paths"] for edge in path["edges"]]) <= MAX_ANSWER_RECORDS


def test_neighbourhood_says_what_cut_it(client):
    hub = client.get("/neighborhood", params={"node": "metastasis", "depth": 2, "limit": 10}).json()
    assert (hub["truncated"], hub["truncated_by"]) == (True, "limit")
    whole = client.get("/neighborhood", params={"node": "metastasis", "depth": 3, "limit": 500}).json()
    assert (whole["truncated"], whole["truncated_by"]) == (False, None) and NeighborhoodOut.model_validate(whole)
    assert records(whole["edges"]) <= MAX_ANSWER_RECORDS and len(json.dumps(whole)) < 1_500_000
