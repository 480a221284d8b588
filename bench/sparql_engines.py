"""Compare rdflib's SPARQL evaluator with pyoxigraph on the same synthetic graph.

Usage: python sparql_engines.py ENGINE N_ENTITIES   (ENGINE: rdflib | pyoxigraph)
Runs each engine in its own process so peak RSS is per engine.
"""
import random
import resource
import statistics
import sys
import time
from pathlib import Path

MKG = "https://w3id.org/metastasis-kg/"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
TYPES = ["Process", "Gene", "CellType", "Organ", "Drug"]
PREDICATES = ["precedes", "promotes", "inhibits", "expressedIn"]

QUERIES = {
    "label lookup": f'SELECT ?s WHERE {{ ?s <{RDFS_LABEL}> "entity 4242" }}',
    "two-hop join": f"SELECT ?b ?c WHERE {{ <{MKG}e1> <{MKG}precedes> ?b . ?b <{MKG}precedes> ?c }}",
    "group count": f"SELECT ?t (COUNT(?s) AS ?n) WHERE {{ ?s <{RDF_TYPE}> ?t }} GROUP BY ?t",
    "path closure": f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ <{MKG}e1> <{MKG}precedes>+ ?x }}",
    "substring filter": f'SELECT ?s WHERE {{ ?s <{RDFS_LABEL}> ?l FILTER(CONTAINS(?l, "999")) }}',
}


def write_graph(path: Path, n_entities: int) -> int:
    rng = random.Random(7)
    lines = []
    for i in range(n_entities):
        s = f"<{MKG}e{i}>"
        lines.append(f"{s} <{RDF_TYPE}> <{MKG}{TYPES[i % len(TYPES)]}> .")
        lines.append(f'{s} <{RDFS_LABEL}> "entity {i}" .')
        for _ in range(3):
            p = PREDICATES[rng.randrange(len(PREDICATES))]
            lines.append(f"{s} <{MKG}{p}> <{MKG}e{rng.randrange(n_entities)}> .")
    path.write_text("\n".join(lines) + "\n")
    return len(lines)


def main() -> None:
    engine, n = sys.argv[1], int(sys.argv[2])
    path = Path(f"/tmp/kgbench/graph-{n}.nt")
    if not path.exists():
        write_graph(path, n)
    t0 = time.perf_counter()
    if engine == "rdflib":
        import rdflib

        graph = rdflib.Graph()
        graph.parse(path, format="nt")

        def run(q):
            return len(list(graph.query(q)))
    else:
        import pyoxigraph as ox

        graph = ox.Store()
        graph.bulk_load(path=str(path), format=ox.RdfFormat.N_TRIPLES)

        def run(q):
            return len(list(graph.query(q)))
    load_s = time.perf_counter() - t0
    print(f"{engine} n={n} triples={len(graph)} load={load_s:.2f}s")
    for name, q in QUERIES.items():
        times = []
        for _ in range(5):
            t = time.perf_counter()
            rows = run(q)
            times.append(time.perf_counter() - t)
        print(f"  {name:17s} rows={rows:6d} median={statistics.median(times) * 1000:9.1f} ms")
    print(f"  peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
