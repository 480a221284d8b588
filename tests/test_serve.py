"""`kg serve` as a real process, with several uvicorn workers and a data file nobody here wrote."""

import socket
import subprocess
import sys
import time

import httpx

from tests.conftest import PROJECT


def test_serve_with_two_http_workers_answers_rest_and_sparql():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "kg", "serve", "--data", str(PROJECT / "tests" / "data" / "mini.ttl"),
               "--host", "127.0.0.1", "--port", str(port), "--http-workers", "2"]
    server = subprocess.Popen(command, cwd=PROJECT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                health = httpx.get(f"{base}/health", timeout=2)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline and server.poll() is None, "kg serve did not come up"
                time.sleep(0.2)
        assert health.json()["triples"] > 0
        assert httpx.get(f"{base}/nodes", params={"q": "TGF-beta"}).json()["items"]
        ask = httpx.get(f"{base}/sparql", params={"query": "ASK { ?s ?p ?o }"},
                        headers={"Accept": "application/sparql-results+json"})
        assert ask.json()["boolean"] is True
    finally:
        server.terminate()
        server.wait(timeout=20)
