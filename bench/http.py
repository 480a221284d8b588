"""Latency of the /sparql endpoint under concurrent clients, with and without a runaway query.

    python -m bench.http [--data FILE] [--url URL] [--requests 300] [--concurrency 4]

(as a module: run as a script, this file would shadow the standard library's ``http``).

Without ``--url`` it starts ``uvicorn --factory api.app:create_app`` on a free loopback port
over ``--data`` (default: the test fixture) and stops it afterwards. The second round runs
the same load while one client keeps sending a cartesian product that only the time limit
stops: the other queries should barely slow down.
"""

import argparse
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import httpx

PROJECT = Path(__file__).resolve().parent.parent
QUERIES = [
    "PREFIX mkg: <https://w3id.org/metastasis-kg/> SELECT ?a ?b WHERE { ?a mkg:precedes ?b }",
    "PREFIX mkg: <https://w3id.org/metastasis-kg/> SELECT ?x WHERE { ?s mkg:precedes+ ?x }",
    "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p",
    "ASK { ?s ?p ?o }",
]
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o . ?p ?q ?r }"


@contextmanager
def local_server(data: Path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "KG_DATA_FILE": str(data), "KG_SPARQL_TIMEOUT_S": "2"}
    command = [sys.executable, "-m", "uvicorn", "--factory", "api.app:create_app", "--port", str(port)]
    server = subprocess.Popen([*command, "--log-level", "warning"], cwd=PROJECT, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                httpx.get(f"{url}/health", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        yield f"{url}/sparql"
    finally:
        server.terminate()
        server.wait(timeout=10)


def timed_query(client: httpx.Client, url: str, query: str) -> float:
    started = time.perf_counter()
    client.get(url, params={"query": query}).raise_for_status()
    return time.perf_counter() - started


def load_round(url: str, requests: int, concurrency: int) -> list[float]:
    with httpx.Client(timeout=30) as client, ThreadPoolExecutor(concurrency) as pool:
        jobs = [pool.submit(timed_query, client, url, QUERIES[i % len(QUERIES)]) for i in range(requests)]
        return [job.result() for job in jobs]


def report(title: str, latencies: list[float], wall_s: float) -> None:
    ms = sorted(latency * 1000 for latency in latencies)
    p95 = ms[int(len(ms) * 0.95) - 1]
    print(f"{title:28s} {len(ms) / wall_s:7.0f} req/s   p50 {statistics.median(ms):6.1f} ms   p95 {p95:6.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=PROJECT / "tests" / "data" / "mini.ttl")
    parser.add_argument("--url", help="benchmark this running endpoint instead of starting one")
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=4)
    args = parser.parse_args()
    with local_server(args.data) if args.url is None else _given(args.url) as url:
        for title, with_runaway in (("plain load", False), ("load + one runaway client", True)):
            stop = threading.Event()
            if with_runaway:
                threading.Thread(target=_keep_running_away, args=(url, stop), daemon=True).start()
            started = time.perf_counter()
            latencies = load_round(url, args.requests, args.concurrency)
            report(title, latencies, time.perf_counter() - started)
            stop.set()


@contextmanager
def _given(url: str):
    yield url


def _keep_running_away(url: str, stop: threading.Event) -> None:
    with httpx.Client(timeout=60) as client:
        while not stop.is_set():
            client.get(url, params={"query": RUNAWAY})  # answered 503 query_timeout by design


if __name__ == "__main__":
    main()
