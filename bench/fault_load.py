"""Fault-and-load run: runaway SPARQL queries and whole-graph exports in crowds against `kg serve`.

    python -m bench.fault_load [--seconds 20] [--runaways 48] [--exports 24] [--data FILE]

Starts the server as the image runs it (one uvicorn process, two SPARQL workers, glibc limited
to two malloc arenas) over the curated graph with a 3 s query limit, then for ``--seconds``
keeps ``--runaways`` clients sending queries that can never finish in time (cartesian products,
a sorted cartesian product that wants gigabytes, deep nesting) and ``--exports`` clients
downloading exports (whole graph in every format, and neighbourhood selections), while /health
is timed every 50 ms from a process of its own and the memory of every process is sampled.
Afterwards it waits for memory to settle. Reports, and ends with one JSON line:

* runaway queries stopped / sent, and the slowest stop (time from sending to the 503 or 400; a
  query may first wait for a worker, so this is up to twice the limit);
* /health p50, p99 and max under load; connections dropped; 5xx other than a timed-out 503;
* peak RSS of the server and of every SPARQL worker, each worker's address-space limit and peak;
* memory before the load and after it settles, and their ratio.

Bounded: every client stops at the deadline; only loopback traffic.
"""

import argparse
import asyncio
import json
import multiprocessing
import os
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

import httpx

from tests.live_server import PROJECT, LiveServer, address_space_limit_kib, live_server, memory_kib

CURATED = PROJECT / "kg" / "built" / "metastasis-kg.nt"
NUMBERS = " ".join(map(str, range(100)))
RUNAWAYS = [
    "SELECT (COUNT(*) AS ?n) WHERE { " + " ".join(f"VALUES ?v{i} {{ {NUMBERS} }}" for i in range(5)) + " }",
    "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f",
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
    "SELECT * { ?s ?p ?o " + "OPTIONAL { " * 3000 + "?s ?p ?x" + "}" * 3000 + " }",
]
EXPORTS = [{"format": name} for name in ("turtle", "nt", "jsonld", "xml", "graphml", "kgx", "cytoscape")] + [
    {"format": "turtle", "node": "metastasis", "depth": 2, "limit": 200},
    {"format": "jsonld", "node": "EMT", "depth": 2, "limit": 200},
]
LOAD_NICENESS = 10
STOPPED = {(503, "query_timeout"), (400, "query_too_costly")}


class Tally:
    def __init__(self) -> None:
        self.statuses: Counter = Counter()
        self.dropped = 0
        self.runaways_sent = 0
        self.runaway_stops: list[float] = []
        self.health: list[float] = []
        self.unexpected_5xx = 0


def _error_code(response: httpx.Response) -> str | None:
    try:
        return response.json()["error"]["code"]
    except (ValueError, KeyError, TypeError):
        return None


async def _runaway_client(client: httpx.AsyncClient, index: int, deadline: float, tally: Tally) -> None:
    turn = index
    while time.monotonic() < deadline:
        query = RUNAWAYS[turn % len(RUNAWAYS)]
        turn += 1
        started = time.perf_counter()
        try:
            response = await client.post("/sparql", data={"query": query}, headers={"Accept": "application/json"})
        except httpx.TransportError:
            tally.dropped += 1
            continue
        code = _error_code(response)
        tally.statuses[(response.status_code, code)] += 1
        if (response.status_code, code) in STOPPED:
            tally.runaways_sent += 1
            tally.runaway_stops.append(time.perf_counter() - started)
        elif response.status_code == 200:
            tally.runaways_sent += 1  # finished in time after all: sent, not stopped
        elif response.status_code >= 500 and code != "engine_unavailable":
            tally.unexpected_5xx += 1
        if code == "engine_unavailable":
            await asyncio.sleep(float(response.headers.get("retry-after", 1)))


async def _export_client(client: httpx.AsyncClient, index: int, deadline: float, tally: Tally) -> None:
    turn = index
    while time.monotonic() < deadline:
        params = EXPORTS[turn % len(EXPORTS)]
        turn += 1
        try:
            response = await client.get("/export", params=params)
        except httpx.TransportError:
            tally.dropped += 1
            continue
        code = _error_code(response) if response.status_code >= 400 else None
        tally.statuses[(response.status_code, code)] += 1
        if response.status_code >= 500 and code != "busy":
            tally.unexpected_5xx += 1
        if code == "busy":
            await asyncio.sleep(float(response.headers.get("retry-after", 1)))


def _health_prober(url: str, seconds: float, latencies, dropped) -> None:
    """Time /health every 50 ms, in a process of its own: the load clients' event loop must not
    delay the probe and count as the server's latency."""
    deadline = time.monotonic() + seconds
    with httpx.Client(base_url=url, timeout=10) as client:
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                client.get("/health").raise_for_status()
                latencies.append(time.perf_counter() - started)
            except httpx.HTTPError:
                dropped.value += 1
            time.sleep(0.05)


def _processes(server: LiveServer) -> list[int]:
    return [server.process.pid, *server.children()]


def _total_rss_kib(server: LiveServer) -> int:
    return sum(memory_kib(pid) for pid in _processes(server))


async def _memory_sampler(server: LiveServer, deadline: float, peaks: dict[int, dict]) -> None:
    while time.monotonic() < deadline:
        for pid in _processes(server):
            record = peaks.setdefault(pid, {"role": "server" if pid == server.process.pid else "worker",
                                            "peak_rss_mib": 0.0, "limit_mib": None, "peak_vm_mib": 0.0})
            record["peak_rss_mib"] = max(record["peak_rss_mib"], memory_kib(pid, "VmHWM") / 1024)
            record["peak_vm_mib"] = max(record["peak_vm_mib"], memory_kib(pid, "VmPeak") / 1024)
            limit = address_space_limit_kib(pid)
            if limit:
                record["limit_mib"] = limit / 1024
        await asyncio.sleep(0.2)


async def _load(server: LiveServer, seconds: float, runaways: int, exports: int) -> tuple[Tally, dict]:
    tally, peaks = Tally(), {}
    deadline = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=runaways + exports + 8, max_keepalive_connections=runaways + exports + 8)
    async with httpx.AsyncClient(base_url=server.url, timeout=60, limits=limits) as client:
        await asyncio.gather(
            *(_runaway_client(client, i, deadline, tally) for i in range(runaways)),
            *(_export_client(client, i, deadline, tally) for i in range(exports)),
            _memory_sampler(server, deadline, peaks),
        )
    return tally, peaks


def _load_with_probe(server: LiveServer, seconds: float, runaways: int, exports: int) -> tuple[Tally, dict]:
    with multiprocessing.Manager() as manager:
        latencies, dropped = manager.list(), manager.Value("i", 0)
        prober = multiprocessing.Process(target=_health_prober, args=(server.url, seconds, latencies, dropped))
        prober.start()
        # The load stands for clients elsewhere: on this shared machine it yields the CPU to the
        # server and the prober, so the probe measures the server, not a starved client.
        os.nice(LOAD_NICENESS)
        tally, peaks = asyncio.run(_load(server, seconds, runaways, exports))
        prober.join()
        tally.health, tally.dropped = list(latencies), tally.dropped + dropped.value
    return tally, peaks


def _warm_up(server: LiveServer) -> None:
    """Build every cached answer first: the memory they keep is the service's resting size."""
    with httpx.Client(base_url=server.url, timeout=60) as client:
        for params in EXPORTS:
            client.get("/export", params=params).raise_for_status()


def _settled_rss_kib(server: LiveServer, baseline: int, wait_s: float = 30.0) -> int:
    """Total RSS once it stops falling (or ``wait_s`` passed)."""
    end = time.monotonic() + wait_s
    current = _total_rss_kib(server)
    while time.monotonic() < end and current > baseline * 1.1:
        time.sleep(1.0)
        current = _total_rss_kib(server)
    return current


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))] if ordered else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=CURATED, help="RDF file to serve (default: the curated graph)")
    parser.add_argument("--seconds", type=float, default=20.0, help="how long the load lasts")
    parser.add_argument("--runaways", type=int, default=48, help="clients sending runaway queries")
    parser.add_argument("--exports", type=int, default=24, help="clients downloading exports")
    args = parser.parse_args()
    # as the image runs it (Dockerfile), with a shorter query limit so that runaways turn over
    settings = {"KG_SPARQL_TIMEOUT_S": "3", "KG_SPARQL_MEMORY_MB": "1024", "MALLOC_ARENA_MAX": "2"}
    with live_server(args.data, **settings) as server:
        _warm_up(server)
        before = _total_rss_kib(server)
        tally, peaks = _load_with_probe(server, args.seconds, args.runaways, args.exports)
        after = _settled_rss_kib(server, before)
        alive = server.alive
    # a worker seen only before it confined itself (loading, not yet answering) has no limit yet
    workers = [record for record in peaks.values() if record["role"] == "worker" and record["limit_mib"]]
    within = all(w["peak_vm_mib"] <= w["limit_mib"] for w in workers)
    figures = {
        "seconds": args.seconds, "runaway_clients": args.runaways, "export_clients": args.exports,
        "runaways_sent": tally.runaways_sent, "runaways_stopped": len(tally.runaway_stops),
        "slowest_stop_s": round(max(tally.runaway_stops, default=0.0), 2),
        "health_requests": len(tally.health),
        "health_p50_ms": round(statistics.median(tally.health) * 1000, 1) if tally.health else None,
        "health_p99_ms": round(_percentile(tally.health, 0.99) * 1000, 1),
        "health_max_ms": round(max(tally.health, default=0.0) * 1000, 1),
        "dropped_connections": tally.dropped, "unexpected_5xx": tally.unexpected_5xx,
        "statuses": {f"{status} {code or ''}".strip(): count for (status, code), count in tally.statuses.items()},
        "server_peak_rss_mib": round(max((r["peak_rss_mib"] for r in peaks.values() if r["role"] == "server"),
                                         default=0.0), 1),
        "workers_confined_seen": len(workers),
        "worker_peak_rss_mib": round(max((w["peak_rss_mib"] for w in workers), default=0.0), 1),
        "worker_peak_vm_mib": round(max((w["peak_vm_mib"] for w in workers), default=0.0), 1),
        "worker_limit_mib": round(max((w["limit_mib"] or 0 for w in workers), default=0.0), 1),
        "workers_within_limit": within,
        "processes": [{"pid": pid, "role": r["role"], "peak_rss_mib": round(r["peak_rss_mib"], 1),
                       "limit_mib": r["limit_mib"] and round(r["limit_mib"], 1)} for pid, r in sorted(peaks.items())],
        "rss_before_mib": round(before / 1024, 1), "rss_after_mib": round(after / 1024, 1),
        "rss_after_over_before": round(after / before, 2) if before else None,
        "server_alive": alive,
    }
    for key, value in figures.items():
        if key not in ("statuses", "processes"):
            print(f"{key:24s} {value}")
    for process in figures["processes"]:
        print(f"  {process['role']:6s} pid {process['pid']:<7d} peak RSS {process['peak_rss_mib']:7.1f} MiB"
              f"   address-space limit {process['limit_mib']} MiB")
    print("statuses", figures["statuses"])
    print(json.dumps(figures))
    sys.exit(0 if alive else 1)


if __name__ == "__main__":
    main()
