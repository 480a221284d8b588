"""The SPARQL endpoint under attack: each case of the hardening issue, and its variants.

Every case must get a clear answer (2xx, a 4xx that explains, or a timed-out 503), the server must
keep serving, /health must stay fast, and the trap must see no connection (conftest.py).
"""

import threading
import time

import httpx
import pytest

from tests.adversarial.conftest import TIMEOUT_S, Trap, assert_clear, health_seconds
from tests.live_server import LiveServer, address_space_limit_kib, memory_kib

ESCAPED_PREFIX = r"PREFIX esc: <http://example.org/\u0041/> "
NUMBERS = " ".join(map(str, range(100)))
MAX_QUERY_BYTES = 65_536


def sparql(client: httpx.Client, query: str, **params) -> httpx.Response:
    return client.post("/sparql", data={"query": query, **params}, headers={"Accept": "application/json"})


def nested(opening: str, core: str, closing: str, budget: int = MAX_QUERY_BYTES - 200) -> tuple[int, str]:
    """As many levels of ``opening ... closing`` around ``core`` as the query length allows."""
    depth = (budget - len(core)) // (len(opening) + len(closing))
    return depth, opening * depth + core + closing * depth


# --- 1. one request kills the server -------------------------------------------------------------
def test_deep_nesting_behind_an_escaped_prefix_is_answered(client: httpx.Client, server: LiveServer):
    workers = server.children()
    query = ESCAPED_PREFIX + "ASK { FILTER(" + "(" * 6000 + "1" + ")" * 6000 + ") }"
    assert 12_000 < len(query.encode()) < 13_000
    assert_clear(sparql(client, query), 200, 400)
    assert server.alive and sorted(server.children()) == sorted(workers)  # not even a worker died


DEEP = {
    "parentheses": ("ASK { FILTER(", "(", "1", ")", ") }"),
    "negations": ("ASK { FILTER(", "!", "true", "", ") }"),
    "groups": ("SELECT * { ", "{", "?s ?p ?o", "}", " }"),
    "subqueries": ("SELECT * { ", "{ SELECT * ", "{ ?s ?p ?o }", "}", " }"),
    "optionals": ("SELECT * { ?s ?p ?o ", "OPTIONAL { ", "?s ?p ?x", "}", " }"),
    "blank node lists": ("SELECT * { ?s ?p ", "[ ?p ", "?o", "]", " }"),
    "property paths": ("SELECT * { ?s ", "(", "<http://x/p>", ")", " ?o }"),
    "function calls": ("SELECT (", "STR(", "1", ")", " AS ?x) {}"),
    "exists": ("ASK { FILTER(", "EXISTS { FILTER(", "true", ") }", ") }"),
}


@pytest.mark.parametrize("kind", DEEP)
def test_every_bracket_kind_nested_as_deep_as_the_length_allows(client: httpx.Client, kind: str):
    head, opening, core, closing, tail = DEEP[kind]
    _, body = nested(opening, core, closing, MAX_QUERY_BYTES - len(head) - len(tail) - 10)
    started = time.monotonic()
    assert_clear(sparql(client, head + body + tail))
    assert time.monotonic() - started < TIMEOUT_S + 3


# --- 2. the same path stalls everything -----------------------------------------------------------
def test_huge_values_behind_an_escaped_prefix_is_time_limited_and_health_stays_fast(
    client: httpx.Client, server: LiveServer
):
    blocks = " ".join(f"VALUES ?v{i} {{ {NUMBERS} }}" for i in range(4))
    query = ESCAPED_PREFIX + f"SELECT (COUNT(*) AS ?n) WHERE {{ {blocks} FILTER(?v0 + ?v1 + ?v2 + ?v3 > 1000) }}"
    probes: list[float] = []
    done = threading.Event()

    def probe() -> None:
        while not done.is_set():
            probes.append(health_seconds(server.url))
            time.sleep(0.05)

    prober = threading.Thread(target=probe)
    prober.start()
    started = time.monotonic()
    try:
        assert_clear(sparql(client, query), 200, 503)
    finally:
        done.set()
        prober.join()
    assert time.monotonic() - started < TIMEOUT_S + 3
    assert probes and max(probes) < 1.0


# --- 3. SERVICE smuggled past a scan --------------------------------------------------------------
SMUGGLED_SERVICE = [
    "SELECT * WHERE {{ BIND(1 AS ?a) FILTER(?a<2)SERVICE#>\n<{url}> {{?s ?p ?o}} }}",
    "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ sErViCe SILENT <{url}> {{ ?s ?p ?o }} }}",
    "PREFIX t: <{base}> SELECT * WHERE {{ SERVICE t:sparql {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ VALUES ?where {{ <{url}> }} SERVICE ?where {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ {{ SELECT * WHERE {{ {{ SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }} }} }} }}",
    "SELECT * WHERE {{ ?s ?p ?o OPTIONAL {{ SERVICE SILENT <{url}> {{ ?s ?p ?x }} }} }} LIMIT 1",
    "ASK {{ FILTER EXISTS {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
    "SELECT * WHERE {{ ?s ?p ?o MINUS {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }} LIMIT 1",
    "SELECT * WHERE {{ SERVICE # a comment\n <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ SERVICE <{escaped}> {{ ?s ?p ?o }} }}",
    "BASE <{base}> SELECT * WHERE {{ SERVICE <sparql> {{ ?s ?p ?o }} }}",
    # rdflib 7.6 cannot parse a SERVICE after an IRI holding '#' on one line: unchecked, still stopped
    "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ BIND(<http://x/a#b> AS ?x) SERVICE <{url}> {{ ?s ?p ?o }} }}",
]


def _smuggled(template: str, trap: Trap) -> str:
    base = trap.url.rsplit("/", 1)[0] + "/"
    escaped = trap.url.replace("127", r"\u0031\u00327")  # \u escapes inside the IRI
    return template.format(url=trap.url, base=base, escaped=escaped)


@pytest.mark.parametrize("template", SMUGGLED_SERVICE)
def test_service_is_refused_whatever_its_disguise(client: httpx.Client, trap: Trap, template: str):
    error = assert_clear(sparql(client, _smuggled(template, trap)), 400)
    assert error["code"] == "query_refused" and error["detail"]["reason"] == "service"


def test_service_the_checker_cannot_parse_is_stopped_by_the_operating_system(client: httpx.Client, trap: Trap):
    """SPARQL 1.2 syntax that rdflib's parser does not know: only the worker's seccomp filter stands
    between the query and the trap, and the answer still says why."""
    query = f'VERSION "1.2" SELECT * WHERE {{ SERVICE <{trap.url}> {{ ?s ?p ?o }} }}'
    error = assert_clear(sparql(client, query), 400)
    assert error["detail"]["reason"] == "service"


@pytest.mark.parametrize("endpoint", ["http://127.0.0.1:9/sparql", "http://trap.invalid/sparql"])
def test_an_unchecked_service_the_http_client_itself_refuses_still_says_why(client: httpx.Client, endpoint: str):
    """Port 9 is refused by pyoxigraph's HTTP client before any socket, and an unknown host fails
    its lookup: neither error is the filter's PermissionError, and the answer still names SERVICE."""
    query = f"SELECT * WHERE {{ BIND(<http://x/a#b> AS ?x) SERVICE <{endpoint}> {{ ?s ?p ?o }} }}"
    error = assert_clear(sparql(client, query), 400)
    assert error["code"] == "query_refused" and error["detail"]["reason"] == "service"


def test_a_query_the_checker_cannot_parse_that_names_no_service_call_is_answered(client: httpx.Client):
    query = 'SELECT ?s WHERE { ?s <http://x/a#b> ?o . FILTER(?o != "service") } LIMIT 1'
    assert sparql(client, query).status_code == 200


@pytest.mark.parametrize(
    "request_for",
    [
        lambda url: {"query": f"SELECT * FROM <{url}> WHERE {{ ?s ?p ?o }}"},
        lambda url: {"query": f"SELECT * FROM NAMED <{url}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"},
        lambda url: {"query": "SELECT * WHERE { ?s ?p ?o }", "default-graph-uri": url},
        lambda url: {"query": "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }", "named-graph-uri": url},
    ],
    ids=["from", "from named", "default-graph-uri", "named-graph-uri"],
)
def test_graphs_named_elsewhere_are_empty_and_never_fetched(client: httpx.Client, trap: Trap, request_for):
    response = client.post("/sparql", data=request_for(trap.url), headers={"Accept": "application/json"})
    assert_clear(response, 200)
    assert response.json()["results"]["bindings"] == []


@pytest.mark.parametrize("update", ["LOAD <{url}>", "LOAD SILENT <{url}> INTO GRAPH <urn:g>", "CLEAR ALL"])
def test_updates_and_load_are_refused(client: httpx.Client, trap: Trap, update: str):
    error = assert_clear(sparql(client, update.format(url=trap.url)), 400)
    assert error["detail"]["reason"] == "update"


# --- 6. no memory bound ---------------------------------------------------------------------------
def test_a_cartesian_product_sorted_stays_within_the_worker_limits(client: httpx.Client, server: LiveServer):
    limits = {pid: address_space_limit_kib(pid) for pid in server.children()}
    assert limits and all(limits.values())
    response = sparql(client, "SELECT * WHERE {?a ?b ?c . ?d ?e ?f} ORDER BY ?c ?f")
    assert_clear(response, 400, 503)
    for pid, limit in limits.items():
        peak = memory_kib(pid, "VmPeak")
        assert peak == 0 or peak <= limit  # 0: the worker was stopped and replaced


# --- 7. limits that do not limit ------------------------------------------------------------------
def test_a_worker_that_died_idle_is_replaced_before_the_next_query(client: httpx.Client, server: LiveServer):
    import os
    import signal

    for pid in server.children():
        os.kill(pid, signal.SIGKILL)
    response = sparql(client, "ASK { ?s ?p ?o }")
    assert_clear(response, 200)
    assert response.json()["boolean"] is True


def test_runaways_are_killed_and_admission_is_bounded(client: httpx.Client, server: LiveServer):
    runaway = "SELECT (COUNT(*) AS ?n) WHERE { " + " ".join(f"VALUES ?v{i} {{ {NUMBERS} }}" for i in range(5)) + " }"
    statuses: list[int] = []

    def send() -> None:
        with httpx.Client(base_url=server.url, timeout=30) as own:
            statuses.append(sparql(own, runaway).status_code)

    senders = [threading.Thread(target=send) for _ in range(16)]
    for sender in senders:
        sender.start()
    for sender in senders:
        sender.join()
    assert set(statuses) == {503} and len(statuses) == 16
    assert_clear(sparql(client, "ASK {}"), 200)
