"""Every failure, on every route, has the one error shape; nothing leaks a stack trace."""

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from kg.errors import EngineUnavailableError, NotFoundError

DATA = Path(__file__).parent / "data"
ERROR_FIELDS = {"status", "code", "message", "detail"}

# Bad input for each route of the app; a new route must add its own (see the completeness test).
BAD_REQUESTS: dict[str, list[tuple[str, dict]]] = {
    "health": [],
    "get_stats": [],
    "search_nodes": [
        ("GET", {}),
        ("GET", {"params": {"q": ""}}),
        ("GET", {"params": {"q": "x", "limit": 0}}),
        ("GET", {"params": {"q": "x", "offset": -1}}),
    ],
    "get_node": [("GET", {})],  # the literal path /nodes/{node} names no node
    "list_edges": [
        ("GET", {"params": {"predicate": "heals"}}),
        ("GET", {"params": {"subject": "no such node"}}),
        ("GET", {"params": {"certainty": "sure"}}),
        ("GET", {"params": {"limit": 100000}}),
        ("GET", {"params": {"subject": "EMT", "expand": "all"}}),
        ("GET", {"params": {"expand": "members"}}),  # nothing to expand
    ],
    "list_conflicts": [
        ("GET", {"params": {"kind": "opposite"}}),
        ("GET", {"params": {"node": "no such node"}}),
        ("GET", {"params": {"offset": -1}}),
    ],
    "get_neighborhood": [
        ("GET", {}),
        ("GET", {"params": {"node": "no such node"}}),
        ("GET", {"params": {"node": "hypoxia", "depth": 4}}),
        ("GET", {"params": {"node": "hypoxia", "direction": "up"}}),
        ("GET", {"params": {"node": "hypoxia", "limit": 0}}),
        ("GET", {"params": {"node": "hypoxia", "predicate": "heals"}}),
    ],
    "explain_paths": [
        ("GET", {"params": {"source": "hypoxia"}}),
        ("GET", {"params": {"node": "hypoxia", "target": "metastasis"}}),
        ("GET", {"params": {"node": "nowhere"}}),
        ("GET", {"params": {"source": "hypoxia", "target": "nowhere"}}),
        ("GET", {"params": {"source": "hypoxia", "target": "metastasis", "format": "pdf"}}),
        ("GET", {"params": {"source": "hypoxia", "target": "metastasis", "k": 0}}),
    ],
    "find_paths": [
        ("GET", {"params": {"source": "hypoxia"}}),
        ("GET", {"params": {"source": "hypoxia", "target": "nowhere"}}),
        ("GET", {"params": {"source": "hypoxia", "target": "metastasis", "mode": "all"}}),
        ("GET", {"params": {"source": "hypoxia", "target": "metastasis", "k": 51}}),
        ("GET", {"params": {"source": "hypoxia", "target": "metastasis", "max_length": 6}}),
        ("GET", {"params": {"source": "hypoxia", "target": "metastasis", "timeout_ms": 0}}),
        ("GET", {"params": {"source": "hypoxia", "target": "metastasis", "via": "nowhere"}}),
    ],
    "list_documents": [],
    "jsonld_context": [],
    "get_document": [("GET", {}), ("GET", {"params": {"edge_limit": -1}})],
    "export_graph": [
        ("GET", {"params": {"format": "pdf"}}),
        ("GET", {"params": {"source": "hypoxia"}}),
        ("GET", {"params": {"node": "hypoxia", "source": "hypoxia", "target": "metastasis"}}),
        ("GET", {"params": {"node": "no such node"}}),
    ],
    "sparql_query_get": [
        ("GET", {"params": {"query": "SELECT ?s WHERE {"}}),
        ("GET", {"params": [("query", "ASK {}"), ("query", "ASK {}")]}),
        ("GET", {"params": {"query": "ASK {}"}, "headers": {"Accept": "image/png"}}),
        ("GET", {"params": {"query": "SELECT * { SERVICE <http://elsewhere.example/> { ?s ?p ?o } }"}}),
    ],
    "sparql_query_post": [
        ("POST", {"content": b"ASK {}", "headers": {"Content-Type": "text/plain"}}),
        ("POST", {"content": b"ASK {}"}),
        ("POST", {"data": {"update": "CLEAR ALL"}}),
        ("POST", {"data": {}}),
        ("POST", {"content": b"x" * 300_000, "headers": {"Content-Type": "application/sparql-query"}}),
    ],
}


@pytest.fixture(scope="module")
def app():
    app = create_app(Settings(data_file=DATA / "mini.nq", workers=1))

    # Probe routes: the shape must hold for validation errors, kg errors and bugs too.
    @app.get("/probe/validation")
    def probe_validation(n: int) -> int:
        return n

    @app.get("/probe/not-found")
    def probe_not_found() -> None:
        raise NotFoundError("no such node 'x'", detail={"id": "x"})

    @app.get("/probe/busy")
    def probe_busy() -> None:
        raise EngineUnavailableError("all busy", detail={"retry_after_s": 3})

    @app.get("/probe/bug")
    def probe_bug() -> None:
        raise RuntimeError("secret internals")

    return app


@pytest.fixture(scope="module")
def client(app):
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def assert_shape(response, status: int | None = None) -> dict:
    assert response.headers["content-type"].startswith("application/json")
    document = response.json()
    assert set(document) == {"error"}
    error = document["error"]
    assert set(error) == ERROR_FIELDS
    assert error["status"] == response.status_code
    assert isinstance(error["code"], str) and error["code"]
    assert isinstance(error["message"], str) and error["message"]
    if status is not None:
        assert response.status_code == status
    return error


def operations(client) -> dict[str, tuple[str, str]]:
    """operationId -> (path, method) of every documented route but the probes."""
    paths = client.get("/openapi.json").json()["paths"]
    return {
        operation["operationId"]: (path, method.upper())
        for path, methods in paths.items()
        if not path.startswith("/probe")
        for method, operation in methods.items()
    }


def test_every_route_has_bad_inputs_listed(client):
    assert set(operations(client)) == set(BAD_REQUESTS)


def test_operation_ids_are_stable(client):
    assert {"health", "sparql_query_get", "sparql_query_post"} <= set(operations(client))


@pytest.mark.parametrize(
    ("operation_id", "method", "request_args"),
    [(operation, method, args) for operation, requests in BAD_REQUESTS.items() for method, args in requests],
)
def test_bad_input_has_error_shape(client, operation_id, method, request_args):
    path, _ = operations(client)[operation_id]
    response = client.request(method, path, **request_args)
    assert 400 <= response.status_code < 500
    assert_shape(response)


def test_wrong_method_on_every_route(client):
    for path, _ in operations(client).values():
        error = assert_shape(client.request("DELETE", path), 405)
        assert error["code"] == "method_not_allowed"


def test_unknown_route(client):
    assert assert_shape(client.get("/no/such/route"), 404)["code"] == "not_found"


def test_validation_error(client):
    error = assert_shape(client.get("/probe/validation", params={"n": "many"}), 422)
    assert error["code"] == "invalid_request"
    assert error["detail"][0]["loc"] == ["query", "n"]


def test_kg_error_maps_to_status(client):
    error = assert_shape(client.get("/probe/not-found"), 404)
    assert (error["code"], error["detail"]) == ("not_found", {"id": "x"})


def test_unavailable_engine_says_when_to_retry(client):
    response = client.get("/probe/busy")
    assert assert_shape(response, 503)["code"] == "engine_unavailable"
    assert response.headers["retry-after"] == "3"


def test_unexpected_error_is_a_bare_500(client):
    response = client.get("/probe/bug")
    error = assert_shape(response, 500)
    assert error["code"] == "internal_error"
    assert "secret" not in response.text and "Traceback" not in response.text


def test_health(client):
    assert client.get("/health").json() == {
        "status": "ok",
        "triples": 8,
        "named_graphs": 2,
        "data_file": "mini.nq",
    }
