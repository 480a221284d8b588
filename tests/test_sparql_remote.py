"""The external SPARQL backend (KG_SPARQL_ENDPOINT): a real Oxigraph server loaded from the `kg export`
dump answers /sparql exactly as the confined workers do (status, media type, body, truncation)."""

import doctest
import http.server
import json
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

import kg.sparql.remote
from api.app import create_app
from api.settings import Settings
from kg.errors import EngineUnavailableError, QueryTooCostlyError
from kg.sparql import ResultKind
from kg.sparql.remote import RemoteEndpoint
from kg.sparql.worker import Checked, Job

BIN = Path(sys.executable).parent
OXIGRAPH = shutil.which("oxigraph", path=str(BIN))
PREFIXES = "PREFIX mkg: <https://w3id.org/metastasis-kg/>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
ROW_CAP = 5
UNKNOWN = "http://example.org/no-such-graph"
LABELS = "SELECT ?s ?label WHERE { ?s rdfs:label ?label } ORDER BY ?s ?label"
TABLES = ("application/sparql-results+json", "application/sparql-results+xml", "text/csv",
          "text/tab-separated-values")
GRAPHS = ("text/turtle", "application/n-triples", "application/rdf+xml", "application/ld+json")
CASES = [
    *((f"{LABELS} LIMIT 4", accept, {}) for accept in TABLES),
    *((f"{LABELS} LIMIT 40", accept, {}) for accept in TABLES),  # over the row cap
    *(("ASK { mkg:emt rdfs:label ?label }", accept, {}) for accept in TABLES[:2]),
    *(("CONSTRUCT { ?s rdfs:label ?label } WHERE { ?s rdfs:label ?label } ORDER BY ?s LIMIT 3", accept, {})
      for accept in GRAPHS),
    ("CONSTRUCT WHERE { ?s rdfs:label ?label }", "application/n-triples", {}),  # over the row cap
    ("SELECT (COUNT(*) AS ?n) (SAMPLE(<relative>) AS ?base) WHERE { ?s ?p ?o }", TABLES[0], {}),
    (f"SELECT * FROM <{UNKNOWN}> WHERE {{ ?s ?p ?o }}", TABLES[0], {}),
    (f"SELECT * FROM NAMED <{UNKNOWN}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}", TABLES[0], {}),
    ("SELECT * WHERE { ?s ?p ?o } LIMIT 2", TABLES[0], {"default-graph-uri": UNKNOWN}),
    (f"SELECT * FROM NAMED <{UNKNOWN}> WHERE {{ ?s ?p ?o }} LIMIT 2", TABLES[0], {}),  # an empty default graph
    ("SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }", TABLES[0], {"named-graph-uri": UNKNOWN}),
    ("SELECT * WHERE { ?s ?p ?o } LIMIT 2", TABLES[0], {"named-graph-uri": UNKNOWN}),
    ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", TABLES[0], {}),
    ("CLEAR ALL", TABLES[0], {}),
    ("SELECT * WHERE { ?s ?p }", TABLES[0], {}),
    ("ASK {}", "text/csv", {}),  # no acceptable format
]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_up(url: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert server.poll() is None, "the Oxigraph server exited"
        try:
            with urllib.request.urlopen(f"{url}?query=ASK%7B%7D", timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"the Oxigraph server at {url} did not answer within 30 s")


@pytest.fixture(scope="module")
def dump(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("dump") / "metastasis-kg.nq"
    subprocess.run([str(BIN / "kg"), "export", "--format", "nq", "-o", str(path)], check=True)
    return path


@pytest.fixture(scope="module")
def endpoint(dump: Path, tmp_path_factory):
    if OXIGRAPH is None:
        pytest.skip("the oxigraph command is not installed (pip install -e '.[test]')")
    location = tmp_path_factory.mktemp("oxigraph")
    subprocess.run([OXIGRAPH, "load", "--location", str(location), "--file", str(dump)], check=True,
                   capture_output=True)
    port = _free_port()
    server = subprocess.Popen([OXIGRAPH, "serve-read-only", "--location", str(location),
                               "--bind", f"127.0.0.1:{port}", "--timeout-s", "10"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/query"
    try:
        _wait_until_up(url, server)
        yield url
    finally:
        server.kill()
        server.wait()


def _client(dump: Path, **settings) -> TestClient:
    return TestClient(create_app(Settings(data_file=dump, workers=1, sparql_row_cap=ROW_CAP, sparql_timeout_s=2.0,
                                          **settings)))


@pytest.fixture(scope="module")
def clients(dump: Path, endpoint: str):
    with _client(dump) as local, _client(dump, sparql_endpoint=endpoint) as remote:
        yield local, remote


def _answer(response) -> tuple:
    return (response.status_code, response.headers.get("content-type"), response.headers.get("x-sparql-truncated"),
            response.content)


@pytest.mark.parametrize(("query", "accept", "dataset"), CASES)
def test_both_backends_answer_alike(clients, query: str, accept: str, dataset: dict):
    local, remote = clients
    form = {"query": PREFIXES + query, **dataset}
    expected = _answer(local.post("/sparql", data=form, headers={"Accept": accept}))
    assert _answer(remote.post("/sparql", data=form, headers={"Accept": accept})) == expected
    assert expected[0] in (200, 400, 406)


def test_truncation_is_signalled(clients):
    _, remote = clients
    response = remote.get("/sparql", params={"query": PREFIXES + LABELS})
    assert response.headers["x-sparql-truncated"] == "true"
    assert response.json()["truncated"] is True
    assert len(response.json()["results"]["bindings"]) == ROW_CAP


def test_refusals_never_reach_the_server(dump: Path):
    """The workers check before anything is sent: refusals and errors are answered with the server down."""
    with _client(dump, sparql_endpoint=f"http://127.0.0.1:{_free_port()}/query") as client:
        refused = client.get("/sparql", params={"query": "SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"})
        assert (refused.status_code, refused.json()["error"]["code"]) == (400, "query_refused")
        down = client.get("/sparql", params={"query": "ASK {}"})
        assert (down.status_code, down.json()["error"]["code"]) == (503, "engine_unavailable")


def test_the_time_limit_holds_for_forwarded_queries(clients):
    _, remote = clients
    runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    started = time.monotonic()
    response = remote.get("/sparql", params={"query": runaway})
    assert (response.status_code, response.json()["error"]["code"]) == (503, "query_timeout")
    assert time.monotonic() - started < 5


def test_examples():
    assert doctest.testmod(kg.sparql.remote).failed == 0


class _Canned(http.server.BaseHTTPRequestHandler):
    """Answers every POST with ``status``, ``headers`` and ``body`` of the server it belongs to."""

    def do_POST(self):  # noqa: N802 (http.server's name)
        self.rfile.read(int(self.headers["content-length"]))
        self.send_response(self.server.status)
        for name, value in self.server.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(self.server.body)

    def log_message(self, *args):
        pass


def _forward(status: int, body: bytes = b"", max_bytes: int = 1 << 20, **headers):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Canned)
    server.status, server.body, server.headers = status, body, {"Content-Length": str(len(body)), **headers}
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        endpoint = RemoteEndpoint(f"http://127.0.0.1:{server.server_port}/query", max_bytes)
        job = Job("ASK {}", None, None, None, {}, ROW_CAP, 2.0, forward=True)
        return endpoint.answer(Checked(ResultKind.SOLUTIONS, "json", "SELECT * {}"), job, time.monotonic() + 2.0)
    finally:
        server.shutdown()
        server.server_close()


def test_redirects_are_not_followed():
    with socket.socket() as trap:
        trap.bind(("127.0.0.1", 0))
        trap.listen()
        trap.setblocking(False)
        with pytest.raises(EngineUnavailableError, match="HTTP 302"):
            _forward(302, Location=f"http://127.0.0.1:{trap.getsockname()[1]}/query")
        with pytest.raises(BlockingIOError):
            trap.accept()  # nobody came


def test_answers_beyond_the_size_limit_are_refused():
    row = {"x": {"type": "literal", "value": "a" * 1000}}
    body = json.dumps({"head": {"vars": ["x"]}, "results": {"bindings": [row] * 3}}).encode()
    assert _forward(200, body).count == 3
    with pytest.raises(QueryTooCostlyError):
        _forward(200, body, max_bytes=1500)
