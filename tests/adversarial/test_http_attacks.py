"""The HTTP side under attack: heavy requests in crowds, slow clients, forged headers, answer bounds."""

import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx

from tests.adversarial.conftest import READ_TIMEOUT_S, assert_clear, health_seconds
from tests.live_server import LiveServer

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def _crowd(server: LiveServer, count: int, request) -> tuple[list[httpx.Response], list[float]]:
    """``count`` clients send ``request(client)`` at once while /health and /nodes are timed beside them."""
    probes: list[float] = []
    done = threading.Event()

    def probe() -> None:
        with httpx.Client(base_url=server.url, timeout=10) as own:
            while not done.is_set():
                probes.append(health_seconds(server.url))
                started = time.perf_counter()
                own.get("/nodes", params={"q": "EMT"}).raise_for_status()
                probes.append(time.perf_counter() - started)

    def one(_: int) -> httpx.Response:
        with httpx.Client(base_url=server.url, timeout=60) as own:
            return request(own)

    prober = threading.Thread(target=probe)
    prober.start()
    try:
        with ThreadPoolExecutor(count) as pool:
            responses = list(pool.map(one, range(count)))
    finally:
        done.set()
        prober.join()
    return responses, probes


# --- 4. heavy requests starve the rest ------------------------------------------------------------
def test_a_crowd_of_exports_leaves_health_and_lookups_fast(server: LiveServer):
    formats = ["turtle", "jsonld", "nt", "xml", "graphml", "kgx"]
    responses, probes = _crowd(server, 24, lambda c: c.get("/export", params={"format": formats[id(c) % 6]}))
    for response in responses:
        assert_clear(response, 200, 503)
    assert probes and max(probes) < 1.0


def test_a_crowd_of_runaway_queries_leaves_health_and_lookups_fast(server: LiveServer):
    def runaway(client: httpx.Client) -> httpx.Response:
        return client.get("/sparql", params={"query": RUNAWAY}, headers={"Accept": "application/json"})

    responses, probes = _crowd(server, 48, runaway)
    for response in responses:
        assert_clear(response, 503)
    assert probes and max(probes) < 1.0


# --- 5. browser-facing headers --------------------------------------------------------------------
def test_every_answer_is_nosniff_and_redirects_never_echo_the_host(server: LiveServer):
    with httpx.Client(base_url=server.url, timeout=10) as client:
        for path in ("/health", "/nodes?q=EMT", "/nope", "/sparql?query=ASK%7B%7D", "/"):
            assert client.get(path).headers["x-content-type-options"] == "nosniff"
        moved = client.get("/nodes/", headers={"Host": "evil.example"}, follow_redirects=False)
        if moved.is_redirect:
            assert "evil.example" not in moved.headers["location"]
            assert moved.headers["location"].startswith("/")
        page = client.get("/sparql", headers={"Accept": "text/html"})
        assert "script-src 'self'" in page.headers["content-security-policy"]
        assert "unsafe-inline" not in page.headers["content-security-policy"]


# --- 7. limits that do not limit ------------------------------------------------------------------
def test_a_path_search_answer_is_bounded_as_a_whole(server: LiveServer):
    params = {"source": "hypoxia", "target": "metastasis", "mode": "simple", "max_length": 5, "max_paths": 1000,
              "timeout_ms": 50, "directed": "false"}
    started = time.monotonic()
    response = httpx.get(server.url + "/paths", params=params, timeout=30)
    elapsed = time.monotonic() - started
    assert_clear(response, 200, 503)
    if response.status_code == 200:
        assert response.json()["truncated"] is True
        assert len(response.content) < 2_000_000
    assert elapsed < 1.0


def test_slow_and_silent_clients_are_disconnected(server: LiveServer):
    silent = socket.create_connection(("127.0.0.1", server.port))
    slow = socket.create_connection(("127.0.0.1", server.port))
    slow.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n")
    started = time.monotonic()
    try:
        while time.monotonic() - started < READ_TIMEOUT_S + 4:
            slow.sendall(b"X-Slow: 1\r\n")  # one header line at a time, never the end of the head
            time.sleep(0.2)
    except OSError:  # reset by the server: what should happen
        pass
    assert _closed_by_server(slow) and _closed_by_server(silent)
    assert time.monotonic() - started < READ_TIMEOUT_S + 5
    silent.close()
    slow.close()


def _closed_by_server(connection: socket.socket) -> bool:
    connection.settimeout(5)
    try:
        return connection.recv(100) == b""
    except ConnectionResetError:
        return True
