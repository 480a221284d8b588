"""The /sparql endpoint over HTTP (in-process): W3C protocol tests, negotiation, limits, safety."""

import re
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from tests.w3c_protocol import CASES, MANIFEST, UPDATE_REQUESTS, ProtocolCase

DATA = Path(__file__).parent / "data"
MKG = "PREFIX mkg: <https://w3id.org/metastasis-kg/>\n"
SD = "http://www.w3.org/ns/sparql-service-description#"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o . ?p ?q ?r }"
TIMEOUT_S = 1.0
ROW_CAP = 5

TABULAR = {
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
}
RDF_GRAPH = {"text/turtle", "application/n-triples", "application/rdf+xml"}


def _client(data_file: Path, **settings) -> TestClient:
    return TestClient(create_app(Settings(data_file=data_file, **settings)))


@pytest.fixture(scope="module")
def w3c():
    with _client(DATA / "w3c-protocol.nq", workers=1) as client:
        yield client


@pytest.fixture(scope="module")
def client():
    limits = {"sparql_timeout_s": TIMEOUT_S, "sparql_row_cap": ROW_CAP, "max_query_bytes": 2048}
    with _client(DATA / "mini.ttl", workers=2, **limits) as client:
        yield client


def media_type(response) -> str:
    return response.headers["content-type"].split(";")[0].strip()


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert (error["status"], error["code"]) == (status, code), error
    return error


# --- W3C SPARQL 1.1 Protocol tests --------------------------------------------------------------
@pytest.mark.parametrize("case", CASES, ids=lambda case: case.iri)
def test_w3c_protocol(w3c: TestClient, case: ProtocolCase):
    headers = {"Content-Type": case.content_type} if case.content_type else {}
    response = w3c.request(case.method, case.path, content=case.body, headers=headers)
    assert response.status_code // 100 in ((2, 3) if case.expected_status_class == 2 else (4,)), response.text
    if case.expected_format == "boolean":
        results_format = ox.QueryResultsFormat.from_media_type(media_type(response))
        assert results_format in (ox.QueryResultsFormat.JSON, ox.QueryResultsFormat.XML)
        answer = ox.parse_query_results(response.content, format=results_format)
        if case.expected_boolean is not None:
            assert bool(answer) is case.expected_boolean
    elif case.expected_format == "tabular":
        assert media_type(response) in TABULAR
    elif case.expected_format == "RDF":
        assert media_type(response) in RDF_GRAPH
        list(ox.parse(response.content, format=ox.RdfFormat.from_media_type(media_type(response))))


@pytest.mark.parametrize(
    ("content_type", "body"), UPDATE_REQUESTS.values(), ids=[MANIFEST + name for name in UPDATE_REQUESTS]
)
def test_w3c_update_tests_are_refused(w3c: TestClient, content_type: str, body: bytes):
    response = w3c.post("/sparql", content=body, headers={"Content-Type": content_type})
    assert assert_error(response, 400, "query_refused")["detail"]["reason"] == "update"


# --- content negotiation ----------------------------------------------------------------------
SELECT_ALL = MKG + "SELECT ?s ?label WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label } LIMIT 2"
CONSTRUCT = MKG + "CONSTRUCT { ?a mkg:precedes ?b } WHERE { ?a mkg:precedes ?b } LIMIT 2"


@pytest.mark.parametrize(
    ("query", "accept", "expected"),
    [
        (SELECT_ALL, None, "application/sparql-results+json"),
        (SELECT_ALL, "*/*", "application/sparql-results+json"),
        (SELECT_ALL, "application/json", "application/json"),
        (SELECT_ALL, "application/sparql-results+xml", "application/sparql-results+xml"),
        (SELECT_ALL, "text/csv", "text/csv"),
        (SELECT_ALL, "text/tab-separated-values", "text/tab-separated-values"),
        (SELECT_ALL, "text/csv;q=0.5, application/sparql-results+xml;q=0.9", "application/sparql-results+xml"),
        (SELECT_ALL, "text/*;q=0.3, text/tab-separated-values;q=0.8, */*;q=0.1", "text/tab-separated-values"),
        (
            SELECT_ALL,
            "application/sparql-results+json;q=0.1, application/sparql-results+xml",
            "application/sparql-results+xml",
        ),
        (CONSTRUCT, None, "text/turtle"),
        (CONSTRUCT, "application/n-triples", "application/n-triples"),
        (CONSTRUCT, "application/rdf+xml", "application/rdf+xml"),
        (CONSTRUCT, "application/ld+json", "application/ld+json"),
        (CONSTRUCT, "text/plain;q=0.2, application/rdf+xml;q=0.4", "application/rdf+xml"),
        ("ASK {}", "application/sparql-results+xml", "application/sparql-results+xml"),
    ],
)
def test_result_format_follows_accept(client: TestClient, query: str, accept: str | None, expected: str):
    headers = {"Accept": accept} if accept else {}
    response = client.get("/sparql", params={"query": query}, headers=headers)
    assert response.status_code == 200, response.text
    assert media_type(response) == expected
    assert "Accept" in response.headers["vary"]


@pytest.mark.parametrize(
    ("query", "accept"),
    [(SELECT_ALL, "text/turtle"), (CONSTRUCT, "text/csv"), ("ASK {}", "text/csv"), (SELECT_ALL, "image/png")],
)
def test_unservable_format_is_406(client: TestClient, query: str, accept: str):
    response = client.get("/sparql", params={"query": query}, headers={"Accept": accept})
    assert accept in assert_error(response, 406, "not_acceptable")["detail"]["accept"]


@pytest.mark.parametrize("accept", ["application/sparql-results+json", "application/sparql-results+xml"])
def test_results_parse_as_standard_formats(client: TestClient, accept: str):
    response = client.post("/sparql", data={"query": SELECT_ALL}, headers={"Accept": accept})
    results = ox.parse_query_results(response.content, format=ox.QueryResultsFormat.from_media_type(accept))
    assert [variable.value for variable in results.variables] == ["s", "label"]
    assert len(list(results)) == 2


# --- service description and query page -----------------------------------------------------
def test_service_description_is_turtle_by_default(client: TestClient):
    response = client.get("/sparql")
    assert media_type(response) == "text/turtle"
    triples = list(ox.parse(response.content, format=ox.RdfFormat.TURTLE))
    endpoints = {t.object.value for t in triples if t.predicate.value == SD + "endpoint"}
    assert endpoints == {"http://testserver/sparql"}
    assert any(t.object.value == SD + "SPARQL11Query" for t in triples)


def test_service_description_negotiates_json_ld(client: TestClient):
    response = client.get("/sparql", headers={"Accept": "application/ld+json"})
    assert media_type(response) == "application/ld+json"
    assert list(ox.parse(response.content, format=ox.RdfFormat.JSON_LD))


def test_browser_gets_the_offline_query_page(client: TestClient):
    accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = client.get("/sparql", headers={"Accept": accept})
    assert media_type(response) == "text/html"
    page = response.text
    assert "<textarea" in page
    loaded = re.findall(r'(?:src|href)="([^"]*)"', page)
    assert loaded and all(url.startswith(("explorer/", "data:")) for url in loaded)  # nothing from elsewhere
    script = client.get("/explorer/sparql-page.js")
    assert script.status_code == 200 and "mkg:precedes" in script.text  # the examples


# --- the answers and their limits -------------------------------------------------------------
def test_query_answers_over_fixture(client: TestClient):
    query = MKG + "SELECT ?o WHERE { mkg:emt mkg:precedes+ ?o } ORDER BY ?o"
    response = client.get("/sparql", params={"query": query}, headers={"Accept": "text/csv"})
    assert response.text.split("\r\n")[:2] == ["o", "https://w3id.org/metastasis-kg/colonization"]
    assert "x-sparql-truncated" not in response.headers


@pytest.mark.parametrize("query", ["SELECT * WHERE { ?s ?p ?o }", "CONSTRUCT WHERE { ?s ?p ?o }"])
def test_row_cap_cuts_and_says_so(client: TestClient, query: str):
    response = client.get("/sparql", params={"query": query})
    assert response.headers["x-sparql-truncated"] == "true"
    if query.startswith("SELECT"):
        document = response.json()
        assert document["truncated"] is True
        assert len(document["results"]["bindings"]) == ROW_CAP
    else:
        assert len(list(ox.parse(response.content, format=ox.RdfFormat.TURTLE))) == ROW_CAP


def test_malformed_query_gets_the_parser_message(client: TestClient):
    error = assert_error(client.get("/sparql", params={"query": "SELECT ?s WHERE { ?s ?p }"}), 400, "invalid_query")
    assert error["message"].startswith("error at 1:")


@pytest.mark.parametrize(
    ("params", "reason"),
    [
        ({"query": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"}, "service"),
        ({"query": "SELECT * WHERE { ?s ?p ?o OPTIONAL { SERVICE SILENT ?where { ?s ?p ?x } } }"}, "service"),
        ({"query": "INSERT DATA { <s> <p> <o> }"}, "update"),
        ({"query": "LOAD <http://example.org/data.ttl>"}, "update"),
        ({"update": "CLEAR ALL"}, "update"),
    ],
)
def test_refused_operations(client: TestClient, params: dict, reason: str):
    assert assert_error(client.get("/sparql", params=params), 400, "query_refused")["detail"]["reason"] == reason


@pytest.mark.parametrize(
    "params",
    [
        {"query": "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }"},
        {"query": "SELECT * FROM NAMED <http://example.org/elsewhere> WHERE { GRAPH ?g { ?s ?p ?o } }"},
        {"query": "SELECT * WHERE { ?s ?p ?o }", "default-graph-uri": "http://example.org/elsewhere"},
        {"query": "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }", "named-graph-uri": "file:///etc/hosts"},
    ],
)
def test_graphs_not_served_are_empty(client: TestClient, params: dict):
    """As SPARQL datasets define it: an IRI that names no graph of the dataset is an empty graph,
    never fetched."""
    response = client.get("/sparql", params=params)
    assert response.status_code == 200, response.text
    assert response.json()["results"]["bindings"] == []


def test_query_length_limit(client: TestClient):
    long_query = "ASK {}" + " " * 3000
    assert_error(client.get("/sparql", params={"query": long_query}), 413, "query_too_large")


def test_body_size_limit(client: TestClient):
    body = b"ASK {}" + b" " * 20_000
    response = client.post("/sparql", content=body, headers={"Content-Type": "application/sparql-query"})
    assert_error(response, 413, "query_too_large")


def test_form_value_that_is_not_utf8(client: TestClient):
    response = client.post(
        "/sparql", content=b"query=ASK%20%7B%7D%FF", headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert_error(response, 400, "bad_request")


def test_direct_post_with_query_in_url_too(client: TestClient):
    response = client.post(
        "/sparql?query=ASK%20%7B%7D", content=b"ASK {}", headers={"Content-Type": "application/sparql-query"}
    )
    assert_error(response, 400, "bad_request")


def test_runaway_query_times_out_and_server_keeps_answering(client: TestClient):
    started = time.monotonic()
    response = client.get("/sparql", params={"query": RUNAWAY})
    elapsed = time.monotonic() - started
    error = assert_error(response, 503, "query_timeout")
    assert error["detail"]["timeout_s"] == TIMEOUT_S
    assert elapsed < TIMEOUT_S + 1.0
    assert client.get("/sparql", params={"query": "ASK {}"}).json() == {"head": {}, "boolean": True}
    assert client.get("/health").status_code == 200
