"""HTTP load on loopback, side by side: ``/health``, depth-2 neighbourhoods, k shortest paths and
SPARQL at 1 and 32 concurrent clients, then SPARQL beside a runaway query; checked against the
targets of issue 13.

    python -m bench.http [--quick] [--seconds S] [--http-workers N] [--data FILE | --url BASE]

(as a module: run as a script, this file would shadow the standard library's ``http``).

Without ``--url`` it starts the server the way the image does (``kg serve``: one uvicorn process
unless ``--http-workers``, the SPARQL worker processes of the settings) on a free 127.0.0.1 port
over ``--data`` (default: the built curated graph) and stops it afterwards. Each round runs for
``--seconds`` after a warm-up, every client a thread with one keep-alive connection sending its
next request as soon as the last is answered (closed loop); only loopback traffic. Clients use
``http.client`` and read whole answers, the leanest blocking client of the standard library, and
share the machine's cores with the server, so the figures are a floor for the server alone. The
server's CPU time per request (its whole process tree) is reported too.

Targets: at 32 clients the neighbourhood and the paths each reach half the throughput of
``/health``; p99 at most 10x p50; one client's neighbourhood p50 at most 2 ms. Ends with one JSON
line of the figures, ``targets`` saying which hold.
"""

import argparse
import http.client
import json
import os
import random
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode, urlsplit

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
WORKLOADS = ("health", "neighborhood", "paths", "sparql")
CONCURRENCY = (1, 32)
REQUESTS_PER_WORKLOAD = 200  # distinct seeded requests; clients cycle through them
MAX_P99_OVER_P50 = 10
MIN_SHARE_OF_HEALTH = 0.5
MAX_SINGLE_CLIENT_NEIGHBORHOOD_P50_MS = 2.0


def requests_for(workload: str, count: int = REQUESTS_PER_WORKLOAD, seed: int = 7) -> list[str]:
    """A fixed, seeded list of request targets (path and query string) for one workload.

    >>> requests_for("neighborhood", 50) == requests_for("neighborhood", 50)  # seeded: every run the same
    True
    >>> requests_for("paths", 1)[0].split("&")[2:]
    ['mode=k_shortest', 'k=5', 'directed=false']
    """
    rng = random.Random(seed)
    if workload == "health":
        return ["/health"] * count
    if workload == "neighborhood":
        return ["/neighborhood?" + urlencode({"node": rng.choice(NODES), "depth": 2, "limit": 100})
                for _ in range(count)]
    if workload == "paths":
        return ["/paths?" + urlencode({"source": source, "target": target, "mode": "k_shortest", "k": 5,
                                       "directed": "false"})
                for source, target in (rng.sample(NODES, 2) for _ in range(count))]
    return ["/sparql?" + urlencode({"query": SPARQL[i % len(SPARQL)]}) for i in range(count)]


def cpu_seconds(pids: list[int]) -> float:
    """User and system CPU time of the processes, from /proc (a process gone meanwhile counts 0)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def run_round(base: str, targets: list[str], clients: int, seconds: float, pids: list[int]) -> dict:
    """``clients`` closed-loop clients sending ``targets`` (each from its own offset) for ``seconds``."""
    address = urlsplit(base)
    deadline = time.perf_counter() + seconds
    latencies: list[float] = []
    failures = 0
    lock = threading.Lock()

    def client(offset: int) -> None:
        nonlocal failures
        connection = http.client.HTTPConnection(address.hostname, address.port, timeout=60)
        mine, failed, sent = [], 0, offset
        while time.perf_counter() < deadline:
            target = targets[sent % len(targets)]
            sent += 1
            started = time.perf_counter()
            try:
                connection.request("GET", target, headers={"Accept": "application/json"})
                response = connection.getresponse()
                response.read()
                failed += response.status >= 400
            except (OSError, http.client.HTTPException):  # e.g. a keep-alive connection closed by the server
                failed += 1
                connection.close()
                continue
            mine.append(time.perf_counter() - started)
        connection.close()
        with lock:
            latencies.extend(mine)
            failures += failed

    cpu_before, started = cpu_seconds(pids), time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        for done in [pool.submit(client, i * len(targets) // clients) for i in range(clients)]:
            done.result()
    wall, cpu = time.perf_counter() - started, cpu_seconds(pids) - cpu_before
    ms = sorted(latency * 1000 for latency in latencies)
    return {"requests": len(ms), "failed": failures, "rps": round(len(ms) / wall, 1),
            "p50_ms": round(ms[len(ms) // 2], 2), "p99_ms": round(ms[min(len(ms) - 1, int(len(ms) * 0.99))], 2),
            "server_cpu_ms": round(cpu * 1000 / max(1, len(ms)), 2) if pids else None}


def check_targets(figures: dict[str, float]) -> dict[str, bool]:
    """Which targets of issue 13 the figures meet.

    >>> figures = {f"{w}_c{c}_{k}": v for w in ("health", "neighborhood", "paths") for c in (1, 32)
    ...            for k, v in (("rps", 100), ("p50_ms", 1.5), ("p99_ms", 9))}
    >>> all(check_targets(figures).values())
    True
    """
    met = {}
    for workload in ("neighborhood", "paths"):
        share = figures[f"{workload}_c32_rps"] / figures["health_c32_rps"]
        met[f"{workload}_c32_at_least_half_of_health"] = share >= MIN_SHARE_OF_HEALTH
    met["p99_within_10x_p50"] = all(
        figures[f"{w}_c{c}_p99_ms"] <= MAX_P99_OVER_P50 * figures[f"{w}_c{c}_p50_ms"]
        for w in ("health", "neighborhood", "paths") for c in CONCURRENCY)
    met["neighborhood_c1_p50_within_2ms"] = figures["neighborhood_c1_p50_ms"] <= MAX_SINGLE_CLIENT_NEIGHBORHOOD_P50_MS
    return met


@contextmanager
def local_server(data: Path, http_workers: int) -> Iterator[tuple[str, list[int]]]:
    """A fresh ``kg serve``: its base URL and its process tree (the server and its children)."""
    with live_server(data, KG_SPARQL_TIMEOUT_S="2", KG_HTTP_WORKERS=str(http_workers)) as server:
        yield server.url, [server.process.pid, *server.children()]


@contextmanager
def given(base: str) -> Iterator[tuple[str, list[int]]]:
    yield base.rstrip("/"), []


def keep_running_away(base: str, stop: threading.Event) -> None:
    address = urlsplit(base)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=60)
    while not stop.is_set():  # answered 503 query_timeout by design
        connection.request("GET", "/sparql?" + urlencode({"query": RUNAWAY}))
        connection.getresponse().read()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=CURATED, help="RDF file to serve (default: the curated graph)")
    parser.add_argument("--url", help="benchmark this running service (base URL) instead of starting one")
    parser.add_argument("--http-workers", type=int, default=1, help="uvicorn processes of the server started here")
    parser.add_argument("--seconds", type=float, default=5.0, help="length of each measured round")
    parser.add_argument("--quick", action="store_true", help="rounds of 1.5 s")
    args = parser.parse_args()
    seconds = 1.5 if args.quick else args.seconds
    figures: dict = {}
    with local_server(args.data, args.http_workers) if args.url is None else given(args.url) as (base, pids):
        for workload in WORKLOADS:
            targets = requests_for(workload)
            run_round(base, targets, 4, min(1.0, seconds), pids)  # warm-up: record caches, connections
            for clients in CONCURRENCY:
                result = run_round(base, targets, clients, seconds, pids)
                cpu = f"   server CPU {result['server_cpu_ms']} ms/request" if pids else ""
                print(f"{workload:12s} c={clients:<3d} {result['rps']:8.1f} req/s   p50 {result['p50_ms']:7.2f} ms"
                      f"   p99 {result['p99_ms']:7.2f} ms   ({result['requests']} requests, {result['failed']} "
                      f"failed){cpu}", flush=True)
                for key in ("rps", "p50_ms", "p99_ms", "failed", "server_cpu_ms"):
                    figures[f"{workload}_c{clients}_{key}"] = result[key]
        stop = threading.Event()
        threading.Thread(target=keep_running_away, args=(base, stop), daemon=True).start()
        result = run_round(base, requests_for("sparql"), 4, seconds, [])
        stop.set()
        print(f"sparql c=4 beside a runaway query: {result['rps']:.1f} req/s, p50 {result['p50_ms']} ms, "
              f"p99 {result['p99_ms']} ms ({result['failed']} failed)")
        figures.update({"sparql_with_runaway_p50_ms": result["p50_ms"], "sparql_with_runaway_p99_ms": result["p99_ms"]})
    for workload in ("neighborhood", "paths"):
        share = figures[f"{workload}_c32_rps"] / figures["health_c32_rps"]
        figures[f"{workload}_c32_share_of_health"] = round(share, 2)
    figures["http_workers"] = args.http_workers if args.url is None else None
    figures["targets"] = check_targets(figures)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
