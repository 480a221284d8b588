"""A real `kg serve` on loopback, attacked the way a stranger would, beside a trap listener.

The trap is a TCP listener on a loopback port that every smuggled SERVICE, FROM or LOAD in these
tests names; it records every connection, and no test may end with one recorded. The server
serves the curated graph with short limits so that runaway cases end quickly.
"""

import socket
import threading
import time
from collections.abc import Iterator

import httpx
import pytest

from tests.live_server import PROJECT, LiveServer, live_server

CURATED = PROJECT / "kg" / "built" / "metastasis-kg.nt"
TIMEOUT_S = 2.0
READ_TIMEOUT_S = 1.5
# The statuses a clear answer may have: success, a 4xx that explains, a timed-out 503.
CLEAR_STATUSES = {200, 400, 406, 413, 503}


class Trap:
    """Accepts and records every TCP connection on a loopback port."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/sparql"
        self.connections: list[tuple] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                connection, peer = self.listener.accept()
            except OSError:
                return
            self.connections.append(peer)
            connection.close()


@pytest.fixture(scope="session")
def trap() -> Iterator[Trap]:
    trap = Trap()
    yield trap
    trap.listener.close()


@pytest.fixture(scope="session")
def server(trap: Trap) -> Iterator[LiveServer]:
    if not CURATED.is_file():
        pytest.skip("the curated graph is not built (make graph)")
    settings = {
        "KG_SPARQL_TIMEOUT_S": str(TIMEOUT_S),
        "KG_WORKERS": "2",
        "KG_SPARQL_QUEUE": "8",
        "KG_SPARQL_MEMORY_MB": "512",
        "KG_CLIENT_READ_TIMEOUT_S": str(READ_TIMEOUT_S),
    }
    with live_server(CURATED, **settings) as running:
        yield running
        assert running.alive, "the server died"
    assert not trap.connections, f"the service reached out: {trap.connections}"


@pytest.fixture
def client(server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=30) as client:
        yield client


@pytest.fixture(autouse=True)
def nothing_reached_out(request: pytest.FixtureRequest) -> Iterator[None]:
    """After every test: the trap saw no connection and the server still answers /health at once."""
    yield
    if "server" in request.fixturenames:
        server = request.getfixturevalue("server")
        assert not request.getfixturevalue("trap").connections
        assert server.alive
        assert health_seconds(server.url) < 1.0


def health_seconds(url: str) -> float:
    started = time.perf_counter()
    httpx.get(url + "/health", timeout=5).raise_for_status()
    return time.perf_counter() - started


def assert_clear(response: httpx.Response, *statuses: int) -> dict | None:
    """The answer has one of ``statuses`` (default: any clear one); errors come in the one error shape,
    and a 503 is a timed-out query or a full service that says when to retry."""
    allowed = set(statuses) or CLEAR_STATUSES
    assert response.status_code in allowed, (response.status_code, response.text[:500])
    if response.status_code < 400:
        return None
    error = response.json()["error"]
    assert error["status"] == response.status_code and error["message"]
    if response.status_code == 503 and error["code"] != "query_timeout":
        assert error["code"] in ("busy", "engine_unavailable") and int(response.headers["retry-after"]) >= 1, error
    return error
