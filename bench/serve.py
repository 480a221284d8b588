"""Serve a Hetionet-sized graph: start-up time, memory of the whole process tree, query latency over HTTP.

    python -m bench.serve [--data FILE] [--requests N] [--workers N]

Without ``--data`` it serves the synthetic graph as N-Triples (``build/synthetic.nt``, written first
by :mod:`bench.synthetic` if missing: 47,031 nodes, 2,250,197 edges, 2.35M triples). It starts
``kg serve`` as the image does (one uvicorn process, ``--workers`` SPARQL worker processes,
``MALLOC_ARENA_MAX=2``) on a free loopback port and reports:

* ``startup_s``: from the command to the first answer of ``/health``;
* ``rss_tree_mib`` (and ``peak_rss_tree_mib`` while starting): the resident memory of the server and
  its SPARQL workers added up, sampled every 0.2 s, after ``--requests`` queries of each kind;
* ``neighborhood2_p50_ms``, ``shortest_p50_ms`` (and p95s): one client, one keep-alive connection,
  depth-2 neighbourhoods (limit 100) of seeded nodes and shortest paths between seeded pairs, names
  sampled through ``/sparql`` (which shows the workers answer too).

Targets (issue 13): start-up at most 60 s, at most 2.5 GB for the tree, neighbourhood p50 at most
10 ms, shortest path p50 at most 5 ms. The server's loading log (progress and figures) is printed;
the last line is one JSON object of the figures, ``targets`` saying which hold.
"""

import argparse
import http.client
import json
import os
import random
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from bench.synthetic import DEFAULT_NTRIPLES, synthetic_graph, write_ntriples
from tests.live_server import live_server, memory_kib

MAX_STARTUP_S = 60.0
MAX_TREE_BYTES = 2.5e9
MAX_NEIGHBORHOOD_P50_MS = 10.0
MAX_SHORTEST_P50_MS = 5.0
LABELS = "SELECT ?label WHERE { ?node <http://www.w3.org/2000/01/rdf-schema#label> ?label } LIMIT 5000"


def descendants(root: int) -> list[int]:
    """Process ids of every process below ``root`` (the server, its SPARQL workers)."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError):  # gone meanwhile
                continue
    found, frontier = [], [root]
    while frontier:
        children = [pid for pid, parent in parents.items() if parent in frontier]
        found += children
        frontier = children
    return found


def tree_rss_mib() -> float:
    """Resident memory of every process this one started, added up (shared pages counted in each)."""
    return sum(memory_kib(pid) for pid in descendants(os.getpid())) / 1024


class TreeMemory:
    """The largest resident size of the process tree, sampled on a thread until stopped."""

    def __init__(self):
        self.peak_mib, self._stop = 0.0, threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while not self._stop.wait(0.2):
            self.peak_mib = max(self.peak_mib, tree_rss_mib())

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return self.peak_mib


def timed_gets(base: str, targets: list[str]) -> tuple[list[float], dict[int, int]]:
    """Milliseconds per request (whole answer read) on one keep-alive connection, and the statuses."""
    connection = http.client.HTTPConnection(urlsplit(base).hostname, urlsplit(base).port, timeout=60)
    times, statuses = [], {}
    for target in targets:
        started = time.perf_counter()
        connection.request("GET", target)
        response = connection.getresponse()
        response.read()
        times.append((time.perf_counter() - started) * 1000)
        statuses[response.status] = statuses.get(response.status, 0) + 1
    connection.close()
    return sorted(times), statuses


def percentile(sorted_ms: list[float], share: float) -> float:
    return round(sorted_ms[min(len(sorted_ms) - 1, int(len(sorted_ms) * share))], 2)


def sample_names(base: str, count: int, seed: int) -> list[str]:
    connection = http.client.HTTPConnection(urlsplit(base).hostname, urlsplit(base).port, timeout=60)
    connection.request("GET", "/sparql?" + urlencode({"query": LABELS}), headers={"Accept": "text/csv"})
    labels = connection.getresponse().read().decode().splitlines()[1:]
    connection.close()
    return random.Random(seed).choices(labels, k=count)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=None, help=f"RDF file to serve (default {DEFAULT_NTRIPLES})")
    parser.add_argument("--requests", type=int, default=200, help="requests of each kind (default 200)")
    parser.add_argument("--workers", type=int, default=2, help="SPARQL worker processes (default 2, as the image)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    data = args.data or DEFAULT_NTRIPLES
    if args.data is None and not data.is_file():
        print(f"writing {data} ...", flush=True)
        write_ntriples(synthetic_graph(), data)
    print(f"serving {data} ({data.stat().st_size / 1e6:.0f} MB)", flush=True)
    with tempfile.NamedTemporaryFile(suffix=".log") as log_file:
        log = Path(log_file.name)
        started = time.monotonic()
        memory = TreeMemory()
        settings = {"KG_LOG_LEVEL": "info", "KG_WORKERS": str(args.workers), "MALLOC_ARENA_MAX": "2"}
        with live_server(data, log=log, **settings) as server:
            startup_s = time.monotonic() - started
            names = sample_names(server.url, 2 * args.requests, args.seed)
            neighbourhoods = ["/neighborhood?" + urlencode({"node": name, "depth": 2, "limit": 100})
                              for name in names[: args.requests]]
            pairs = zip(names[: args.requests], names[args.requests:], strict=True)
            shortest = ["/paths?" + urlencode({"source": s, "target": t, "mode": "shortest"}) for s, t in pairs]
            timed_gets(server.url, neighbourhoods[:20] + shortest[:20])  # warm-up
            neighbourhood_ms, neighbourhood_statuses = timed_gets(server.url, neighbourhoods)
            shortest_ms, shortest_statuses = timed_gets(server.url, shortest)
            rss_mib = tree_rss_mib()
            processes = len(descendants(os.getpid()))
            peak_mib = memory.stop()
        said = log.read_text(errors="replace").splitlines()
        print("\n".join(line for line in said if '"GET /' not in line))  # the loading, not the access log
    figures = {
        "triples_file_mb": round(data.stat().st_size / 1e6),
        "startup_s": round(startup_s, 1),
        "processes": processes,
        "rss_tree_mib": round(rss_mib),
        "peak_rss_tree_mib": round(max(peak_mib, rss_mib)),
        "neighborhood2_p50_ms": percentile(neighbourhood_ms, 0.5),
        "neighborhood2_p95_ms": percentile(neighbourhood_ms, 0.95),
        "shortest_p50_ms": percentile(shortest_ms, 0.5),
        "shortest_p95_ms": percentile(shortest_ms, 0.95),
        "statuses": {"neighborhood": neighbourhood_statuses, "shortest": shortest_statuses},
    }
    figures["targets"] = {
        "startup_within_60s": startup_s <= MAX_STARTUP_S,
        "tree_within_2_5GB": rss_mib * 2**20 <= MAX_TREE_BYTES,
        "neighborhood2_p50_within_10ms": figures["neighborhood2_p50_ms"] <= MAX_NEIGHBORHOOD_P50_MS,
        "shortest_p50_within_5ms": figures["shortest_p50_ms"] <= MAX_SHORTEST_P50_MS,
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
