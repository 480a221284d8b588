"""Benchmark the query library on the synthetic Hetionet-shaped graph against plain networkx.

    python bench/bench_queries.py            # full workload (several minutes)
    python bench/bench_queries.py --quick    # smaller workload, under a minute
    python bench/bench_queries.py --graph-loader mypackage.load:graph   # also time that graph

Every timing is one complete library call (name resolution, search, result objects), measured
with ``time.perf_counter`` over a fixed seeded workload. The last line printed is one JSON
object with the headline numbers (see ``bench/README.md``).
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import importlib
import itertools
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

import networkx as nx
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import synthetic_graph  # noqa: E402

from kg.errors import KGError  # noqa: E402
from kg.query.index import GraphIndex  # noqa: E402
from kg.query.lookup import resolve  # noqa: E402
from kg.query.neighborhood import neighborhood  # noqa: E402
from kg.query.paths import k_shortest_paths, shortest_path, simple_paths  # noqa: E402

# queries per kind: ours, then the networkx baseline (which is far slower)
WORKLOADS = {
    "quick": {"lookup": 300, "neighborhood": 100, "shortest": 300, "k_shortest": 40, "simple": 150,
              "baseline_paths": 40, "baseline_k": 8, "baseline_ego": 8},
    "full": {"lookup": 3000, "neighborhood": 1000, "shortest": 2000, "k_shortest": 300, "simple": 1000,
             "baseline_paths": 300, "baseline_k": 30, "baseline_ego": 40},
}


def rss_mb() -> float:
    """Resident set size of this process (Linux)."""
    return int(Path("/proc/self/statm").read_text().split()[1]) * 4096 / 2**20


def timed(calls: list[Callable[[], object]]) -> np.ndarray:
    """Milliseconds per call; an error answer (say, an ambiguous name) counts as an answer."""
    times = np.empty(len(calls))
    for i, call in enumerate(calls):
        start = time.perf_counter()
        with contextlib.suppress(KGError):
            call()
        times[i] = (time.perf_counter() - start) * 1000
    return times


def p50(times: np.ndarray) -> float:
    return round(float(np.percentile(times, 50)), 4)


def p95(times: np.ndarray) -> float:
    return round(float(np.percentile(times, 95)), 4)


def build_index(graph) -> tuple[GraphIndex, float, float]:
    """The index from the synthetic arrays, its build time (s) and RSS growth (MB)."""
    gc.collect()
    before, start = rss_mb(), time.perf_counter()
    index = GraphIndex.from_arrays(
        graph.node_ids, graph.src, graph.dst, graph.predicate_codes, graph.predicate_names,
        labels=graph.labels, synonyms=graph.synonyms, categories=graph.categories,
        predicate_info={name: {"sign": sign} for name, sign in zip(graph.predicate_names, graph.predicate_signs,
                                                                   strict=True)},
        support=graph.support,
    )
    seconds = time.perf_counter() - start
    gc.collect()
    return index, seconds, rss_mb() - before


def workload(index: GraphIndex, sizes: dict[str, int], seed: int) -> dict[str, list]:
    """Seeded random queries: names to look up, seeds, and (source, target) id pairs with a
    source that has out-edges and a target that has in-edges."""
    rng = np.random.default_rng(seed)
    with_out = np.flatnonzero(np.diff(index.out_pointer) > 0)
    with_in = np.flatnonzero(np.diff(index.in_pointer) > 0)
    count = max(sizes["shortest"], sizes["k_shortest"], sizes["simple"])
    pairs = [(index.node_ids[a], index.node_ids[b]) for a, b in
             zip(rng.choice(with_out, count), rng.choice(with_in, count), strict=True) if a != b]
    names = []
    for node in rng.choice(index.node_count, sizes["lookup"]).tolist():
        synonyms = index.synonyms[node]
        names.append(synonyms[0].upper() if synonyms and node % 2 else index.labels[node].lower())
    seeds = [index.node_ids[n] for n in rng.choice(index.node_count, sizes["neighborhood"]).tolist()]
    return {"names": names, "seeds": seeds, "pairs": pairs}


def run_ours(index: GraphIndex, work: dict[str, list], sizes: dict[str, int]) -> dict[str, np.ndarray]:
    pairs = work["pairs"]
    # warm up: loads the compiled kernels from numba's cache
    timed([lambda p=p: k_shortest_paths(index, *p, k=2) for p in pairs[:3]])
    timed([lambda p=p: neighborhood(index, p[0], depth=2) for p in pairs[:3]])
    return {
        "lookup": timed([lambda n=n: resolve(index, n) for n in work["names"]]),
        "neighborhood": timed([lambda s=s: neighborhood(index, s, depth=2, limit=500) for s in work["seeds"]]),
        "neighborhood_dict": timed([
            lambda s=s: neighborhood(index, s, depth=2, limit=500).to_dict() for s in work["seeds"]]),
        "neighborhood_out": timed([
            lambda s=s: neighborhood(index, s, depth=2, direction="out", limit=500) for s in work["seeds"]]),
        "shortest": timed([lambda p=p: shortest_path(index, *p) for p in pairs[: sizes["shortest"]]]),
        "k_shortest": timed([lambda p=p: k_shortest_paths(index, *p, k=5) for p in pairs[: sizes["k_shortest"]]]),
        "simple": timed([
            lambda p=p: simple_paths(index, *p, max_length=3, max_paths=100) for p in pairs[: sizes["simple"]]]),
    }


def run_networkx(graph: nx.DiGraph, work: dict[str, list], sizes: dict[str, int]) -> dict[str, np.ndarray]:
    """The same queries with plain networkx on a DiGraph (its path generators refuse multigraphs)."""

    def shortest(source, target):
        try:
            return nx.shortest_path(graph, source, target)
        except nx.NetworkXNoPath:
            return None

    def k_shortest(source, target):
        try:
            return list(itertools.islice(nx.shortest_simple_paths(graph, source, target), 5))
        except nx.NetworkXNoPath:
            return []

    pairs = work["pairs"]
    return {
        "shortest": timed([lambda p=p: shortest(*p) for p in pairs[: sizes["baseline_paths"]]]),
        "simple": timed([
            lambda p=p: list(itertools.islice(nx.all_simple_paths(graph, *p, cutoff=3), 100))
            for p in pairs[: sizes["baseline_paths"]]]),
        "k_shortest": timed([lambda p=p: k_shortest(*p) for p in pairs[: sizes["baseline_k"]]]),
        "neighborhood_out": timed([
            lambda s=s: nx.ego_graph(graph, s, radius=2) for s in work["seeds"][: sizes["baseline_ego"]]]),
    }


def networkx_graphs(graph, full: bool) -> tuple[nx.DiGraph, dict[str, float]]:
    """The baseline DiGraph; in full mode also the exchange-format MultiDiGraph's build cost."""
    ids = graph.node_ids
    costs = {}
    if full:
        gc.collect()
        before, start = rss_mb(), time.perf_counter()
        multi = nx.MultiDiGraph()
        multi.add_nodes_from((node, {"label": label, "category": category})
                             for node, label, category in zip(ids, graph.labels, graph.categories, strict=True))
        multi.add_edges_from(
            (ids[s], ids[o], graph.predicate_names[p], {"predicate": graph.predicate_names[p]})
            for s, o, p in zip(graph.src.tolist(), graph.dst.tolist(), graph.predicate_codes.tolist(), strict=True)
        )
        costs = {"multidigraph_build_s": time.perf_counter() - start, "multidigraph_mb": rss_mb() - before}
        del multi
        gc.collect()
    simple = nx.DiGraph()
    simple.add_nodes_from(ids)
    simple.add_edges_from(zip([ids[s] for s in graph.src.tolist()], [ids[o] for o in graph.dst.tolist()],
                              strict=True))
    return simple, costs


def report(title: str, times: dict[str, np.ndarray]) -> None:
    print(f"\n{title}")
    for kind, values in times.items():
        print(f"  {kind:18} n={values.size:5}  p50 {p50(values):9.4f} ms  p95 {p95(values):9.4f} ms  "
              f"max {values.max():9.3f} ms")


def curated(loader: str) -> None:
    """Time a smaller workload on the graph that ``module:function`` returns."""
    module, _, function = loader.partition(":")
    start = time.perf_counter()
    index = GraphIndex.from_networkx(getattr(importlib.import_module(module), function)())
    print(f"\n{loader}: {index.node_count} nodes, {index.edge_count} edges, "
          f"index built in {time.perf_counter() - start:.3f} s")
    sizes = {"lookup": 200, "neighborhood": 200, "shortest": 300, "k_shortest": 100, "simple": 200}
    report("curated graph (ours)", run_ours(index, workload(index, sizes, seed=7), sizes))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="smaller workload (under a minute)")
    parser.add_argument("--graph-loader", help="module:function returning a networkx MultiDiGraph to time too")
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args(argv)
    sizes = WORKLOADS["quick" if args.quick else "full"]

    start = time.perf_counter()
    graph = synthetic_graph(seed=args.seed)
    print(f"synthetic graph: {len(graph.node_ids)} nodes, {graph.src.size} edges, "
          f"{len(graph.predicate_names)} predicates, generated in {time.perf_counter() - start:.1f} s")
    index, build_s, index_mb = build_index(graph)
    print(f"index: built in {build_s:.2f} s, RSS +{index_mb:.0f} MB (numpy arrays {index.nbytes() / 2**20:.0f} MB)")

    work = workload(index, sizes, args.seed)
    ours = run_ours(index, work, sizes)
    report("ours", ours)
    reachable = np.mean([bool(shortest_path(index, *p).paths) for p in work["pairs"][:200]])
    print(f"  ({reachable:.0%} of the sampled pairs are connected by a directed path)")

    baseline_graph, costs = networkx_graphs(graph, full=not args.quick)
    for name, value in costs.items():
        print(f"networkx {name}: {value:.1f}")
    theirs = run_networkx(baseline_graph, work, sizes)
    report("networkx baseline (DiGraph)", theirs)
    print("\nspeedup (networkx p50 / ours p50 on the same queries):")
    speedups = {}
    for kind, values in theirs.items():
        speedups[kind] = p50(values) / max(p50(ours[kind][: values.size]), 1e-6)
        print(f"  {kind:18} x{speedups[kind]:.1f}")
    del baseline_graph

    if args.graph_loader:
        curated(args.graph_loader)

    print(json.dumps({
        "nodes": index.node_count,
        "edges": index.edge_count,
        "build_s": round(build_s, 3),
        "index_mb": round(index_mb, 1),
        "lookup_p50_ms": p50(ours["lookup"]),
        "neighborhood2_p50_ms": p50(ours["neighborhood"]),
        "neighborhood2_p95_ms": p95(ours["neighborhood"]),
        "shortest_p50_ms": p50(ours["shortest"]),
        "shortest_p95_ms": p95(ours["shortest"]),
        "kshortest5_p50_ms": p50(ours["k_shortest"]),
        "kshortest5_p95_ms": p95(ours["k_shortest"]),
        "simple3_p50_ms": p50(ours["simple"]),
        "simple3_p95_ms": p95(ours["simple"]),
        "speedup_vs_networkx_shortest": round(speedups["shortest"], 1),
        "speedup_vs_networkx_simple3": round(speedups["simple"], 1),
    }))


if __name__ == "__main__":
    main()
