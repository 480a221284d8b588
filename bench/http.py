"""HTTP load on loopback: requests/s, p50 and p99 for neighbourhood, path and SPARQL queries at
1 and 32 concurrent clients, then SPARQL latency while one client keeps sending a runaway query.

    python -m bench.http [--quick] [--data FILE] [--url BASE] [--requests N] [--max-seconds S]

(as a module: run as a script, this file would shadow the standard library's ``http``).

Without ``--url`` it starts the server the way the image does (``kg serve``: one uvicorn process,
the SPARQL worker processes of the settings) on a free 127.0.0.1 port over ``--data`` (default:
the built curated graph) and stops it afterwards. Every round is bounded by a request count and
by ``--max-seconds``; only loopback traffic. The clients are threads in this process and share
the machine's cores with the server, so the figures are a floor for the server alone.
Ends with one JSON line of the figures.
"""

import argparse
import json
import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import httpx

from tests.live_server import live_server

PROJECT = Path(__file__).resolve().parent.parent
CURATED = PROJECT / "kg" / "built" / "metastasis-kg.nt"
# Names a reader would ask about; resolved by the server like any client's input.
NODES = ["metastasis", "EMT", "hypoxia", "angiogenesis", "TGF-beta", "CAF", "TAM", "VEGF", "exosome", "TP53",
         "MMP", "tumor microenvironment", "intravasation", "colonization", "tumor dormancy", "CTC", "PD-L1",
         "immune evasion", "metabolic reprogramming", "cancer cell"]
SPARQL = [
    "PREFIX mkg: <https://w3id.org/metastasis-kg/> SELECT ?a ?b WHERE { ?a mkg:precedes ?b }",
    "PREFIX mkg: <https://w3id.org/metastasis-kg/> SELECT ?x WHERE { mkg:local_invasion mkg:precedes+ ?x }",
    "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p",
    "PREFIX mkg: <https://w3id.org/metastasis-kg/> SELECT ?o (COUNT(?c) AS ?n) WHERE "
    "{ ?a <http://www.w3.org/1999/02/22-rdf-syntax-ns#subject> mkg:emt ; "
    "<http://www.w3.org/1999/02/22-rdf-syntax-ns#object> ?o ; mkg:citation ?c } GROUP BY ?o",
]
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o . ?p ?q ?r }"


def requests_for(workload: str, count: int, seed: int = 7) -> list[tuple[str, dict]]:
    """A fixed, seeded list of (path, params) for one workload."""
    rng = random.Random(seed)
    if workload == "neighborhood":
        return [("/neighborhood", {"node": rng.choice(NODES), "depth": 2, "limit": 100}) for _ in range(count)]
    if workload == "paths":
        made = []
        for i in range(count):
            source, target = rng.sample(NODES, 2)
            mode = {"mode": "k_shortest", "k": 5} if i % 2 else {"mode": "simple", "max_length": 3}
            made.append(("/paths", {"source": source, "target": target, "directed": "false", **mode}))
        return made
    return [("/sparql", {"query": SPARQL[i % len(SPARQL)]}) for i in range(count)]


def run_round(base: str, work: list[tuple[str, dict]], concurrency: int, max_seconds: float) -> dict:
    deadline = time.monotonic() + max_seconds
    latencies, failures = [], 0
    lock = threading.Lock()

    def one(client: httpx.Client, path: str, params: dict) -> None:
        nonlocal failures
        if time.monotonic() > deadline:
            return
        started = time.perf_counter()
        status = client.get(base + path, params=params, headers={"Accept": "application/json"}).status_code
        elapsed = time.perf_counter() - started
        with lock:
            latencies.append(elapsed)
            failures += status >= 400

    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    started = time.perf_counter()
    with httpx.Client(timeout=60, limits=limits) as client, ThreadPoolExecutor(concurrency) as pool:
        for job in [pool.submit(one, client, path, params) for path, params in work]:
            job.result()
    wall = time.perf_counter() - started
    ms = sorted(latency * 1000 for latency in latencies)
    return {"requests": len(ms), "failed": failures, "rps": round(len(ms) / wall, 1),
            "p50_ms": round(ms[len(ms) // 2], 2), "p99_ms": round(ms[min(len(ms) - 1, int(len(ms) * 0.99))], 2)}


@contextmanager
def local_server(data: Path):
    with live_server(data, KG_SPARQL_TIMEOUT_S="2") as server:
        yield server.url


@contextmanager
def given(base: str):
    yield base.rstrip("/")


def keep_running_away(base: str, stop: threading.Event) -> None:
    with httpx.Client(timeout=60) as client:
        while not stop.is_set():
            client.get(base + "/sparql", params={"query": RUNAWAY})  # answered 503 query_timeout by design


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=CURATED, help="RDF file to serve (default: the curated graph)")
    parser.add_argument("--url", help="benchmark this running service (base URL) instead of starting one")
    parser.add_argument("--requests", type=int, default=400, help="requests per workload and concurrency")
    parser.add_argument("--max-seconds", type=float, default=60, help="hard time limit of each round")
    parser.add_argument("--quick", action="store_true", help="100 requests per round, 15 s at most")
    args = parser.parse_args()
    count, max_seconds = (100, 15.0) if args.quick else (args.requests, args.max_seconds)
    figures: dict[str, float] = {}
    with local_server(args.data) if args.url is None else given(args.url) as base:
        for workload in ("neighborhood", "paths", "sparql"):
            work = requests_for(workload, count)
            run_round(base, work[:20], 4, max_seconds)  # warm-up: compiled kernels, connections
            for concurrency in (1, 32):
                result = run_round(base, work, concurrency, max_seconds)
                print(f"{workload:12s} c={concurrency:<3d} {result['rps']:8.1f} req/s   p50 {result['p50_ms']:7.2f} ms"
                      f"   p99 {result['p99_ms']:7.2f} ms   ({result['requests']} requests, {result['failed']} failed)")
                for key in ("rps", "p50_ms", "p99_ms"):
                    figures[f"{workload}_c{concurrency}_{key}"] = result[key]
        stop = threading.Event()
        threading.Thread(target=keep_running_away, args=(base, stop), daemon=True).start()
        result = run_round(base, requests_for("sparql", count), 4, max_seconds)
        stop.set()
        print(f"sparql c=4 beside a runaway query: {result['rps']:.1f} req/s, p50 {result['p50_ms']} ms, "
              f"p99 {result['p99_ms']} ms ({result['failed']} failed)")
        figures.update({"sparql_with_runaway_p50_ms": result["p50_ms"], "sparql_with_runaway_p99_ms": result["p99_ms"]})
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
