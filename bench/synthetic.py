"""A seeded synthetic graph with Hetionet's shape, as arrays (no networkx object needed), or as an
N-Triples file for serving it (``python -m bench.synthetic [-o FILE]``, default ``build/synthetic.nt``).

Hetionet v1.0 has 47,031 nodes of 11 kinds and 2,250,197 edges of 24 kinds ("metaedges"). This
generator keeps those counts, draws each metaedge's endpoints with Chung-Lu style weights from
a heavy-tailed (Pareto) distribution so that a few hubs carry thousands of edges, and gives each
edge a small, geometrically distributed citation count as its support.

>>> graph = synthetic_graph(scale=0.001, seed=1)
>>> len(graph.node_ids) > 0 and graph.src.shape == graph.dst.shape
True
"""

import argparse
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

# (category, Hetionet node count)
CATEGORIES = (
    ("Anatomy", 402),
    ("BiologicalProcess", 11381),
    ("CellularComponent", 1391),
    ("Compound", 1552),
    ("Disease", 137),
    ("Gene", 20945),
    ("MolecularFunction", 2884),
    ("Pathway", 1822),
    ("PharmacologicClass", 345),
    ("SideEffect", 5734),
    ("Symptom", 438),
)

# (subject category, verb, object category, Hetionet edge count, sign)
METAEDGES = (
    ("Anatomy", "downregulates", "Gene", 102240, -1),
    ("Anatomy", "expresses", "Gene", 526407, 0),
    ("Anatomy", "upregulates", "Gene", 97848, 1),
    ("Compound", "binds", "Gene", 11571, 0),
    ("Compound", "causes", "SideEffect", 138944, 1),
    ("Compound", "downregulates", "Gene", 21102, -1),
    ("Compound", "palliates", "Disease", 390, -1),
    ("Compound", "resembles", "Compound", 6486, 0),
    ("Compound", "treats", "Disease", 755, -1),
    ("Compound", "upregulates", "Gene", 18756, 1),
    ("Disease", "associates", "Gene", 12623, 0),
    ("Disease", "downregulates", "Gene", 7623, -1),
    ("Disease", "localizes", "Anatomy", 3602, 0),
    ("Disease", "presents", "Symptom", 3357, 1),
    ("Disease", "resembles", "Disease", 543, 0),
    ("Disease", "upregulates", "Gene", 7731, 1),
    ("Gene", "covaries", "Gene", 61690, 0),
    ("Gene", "interacts", "Gene", 147164, 0),
    ("Gene", "participates", "BiologicalProcess", 559504, 0),
    ("Gene", "participates", "CellularComponent", 73566, 0),
    ("Gene", "participates", "MolecularFunction", 97222, 0),
    ("Gene", "participates", "Pathway", 84372, 0),
    ("Gene", "regulates", "Gene", 265672, 0),
    ("PharmacologicClass", "includes", "Compound", 1029, 0),
)

_GREEK = ("α", "β", "γ", "κ")
# where `python -m bench.synthetic` writes the graph as N-Triples (build/ is not versioned)
DEFAULT_NTRIPLES = Path(__file__).resolve().parent.parent / "build" / "synthetic.nt"


@dataclass(frozen=True)
class SyntheticGraph:
    """The arrays that :meth:`kg.query.index.GraphIndex.from_arrays` takes."""

    node_ids: list[str]
    labels: list[str]
    synonyms: list[tuple[str, ...]]
    categories: list[str]
    src: np.ndarray
    dst: np.ndarray
    predicate_codes: np.ndarray
    predicate_names: list[str]
    predicate_signs: list[int]
    support: np.ndarray


def _weights(rng: np.random.Generator, size: int) -> np.ndarray:
    # Pareto with shape 1.2: heavy tail, a handful of nodes get a large share of a metaedge.
    weights = rng.pareto(1.2, size) + 1.0
    return weights / weights.sum()


def _sample_pairs(rng, count, first_a, size_a, first_b, size_b, same_kind):
    """``count`` distinct (subject, object) pairs drawn with heavy-tailed endpoint weights."""
    wanted = min(count, size_a * size_b - (size_a if same_kind else 0))
    chosen = np.empty(0, dtype=np.int64)
    p_a, p_b = _weights(rng, size_a), _weights(rng, size_b)
    while chosen.size < wanted:
        draw = int((wanted - chosen.size) * 1.3) + 16
        a = rng.choice(size_a, size=draw, p=p_a)
        b = rng.choice(size_b, size=draw, p=p_b)
        keep = a != b if same_kind else np.ones(draw, dtype=bool)
        keys = np.concatenate([chosen, a[keep] * size_b + b[keep]])
        _, first = np.unique(keys, return_index=True)
        chosen = keys[np.sort(first)]
        if draw > 50 * wanted:  # saturated weights: fall back to uniform to finish
            p_a = p_b = None
    chosen = chosen[:wanted]
    return (chosen // size_b + first_a).astype(np.int32), (chosen % size_b + first_b).astype(np.int32)


def synthetic_graph(*, scale: float = 1.0, seed: int = 42) -> SyntheticGraph:
    """Generate the graph; ``scale`` multiplies every node and edge count (1.0 = Hetionet size)."""
    rng = np.random.default_rng(seed)
    first, sizes, node_ids, labels, synonyms, categories = {}, {}, [], [], [], []
    for category, count in CATEGORIES:
        size = max(2, round(count * scale))
        first[category], sizes[category] = len(node_ids), size
        for i in range(size):
            node_ids.append(f"syn:{category}{i}")
            labels.append(f"{category} {i}")
            # A few names carry Greek letters, as real gene and protein names do.
            synonyms.append((f"{category[:3]}-{_GREEK[i % 4]}{i}",) if i % 10 == 0 else ())
            categories.append(f"biolink:{category}")
    src_parts, dst_parts, code_parts, names, signs = [], [], [], [], []
    for code, (subject, verb, obj, count, sign) in enumerate(METAEDGES):
        src, dst = _sample_pairs(
            rng, max(1, round(count * scale)), first[subject], sizes[subject], first[obj], sizes[obj],
            subject == obj,
        )
        src_parts.append(src)
        dst_parts.append(dst)
        code_parts.append(np.full(src.size, code, dtype=np.int16))
        names.append(f"{subject}_{verb}_{obj}".lower())
        signs.append(sign)
    src, dst = np.concatenate(src_parts), np.concatenate(dst_parts)
    return SyntheticGraph(
        node_ids=node_ids,
        labels=labels,
        synonyms=synonyms,
        categories=categories,
        src=src,
        dst=dst,
        predicate_codes=np.concatenate(code_parts),
        predicate_names=names,
        predicate_signs=signs,
        support=rng.geometric(0.5, src.size).astype(np.int32),
    )


NAMESPACE = "https://example.org/synthetic/"
_RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
_LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
_ALT_LABEL = "<http://www.w3.org/2004/02/skos/core#altLabel>"
_SIGN = "<https://w3id.org/metastasis-kg/sign>"
_OBJECT_PROPERTY = "<http://www.w3.org/2002/07/owl#ObjectProperty>"
_INTEGER = "<http://www.w3.org/2001/XMLSchema#integer>"
_BIOLINK = "https://w3id.org/biolink/vocab/"


def ntriples_lines(graph: SyntheticGraph) -> Iterator[str]:
    """The graph as N-Triples lines: each node's label, category (``rdf:type`` of its Biolink class)
    and synonyms, each predicate declared with its sign (as the curated graph declares its own), one
    triple per edge. No citations: the file has Hetionet's triple count (about 2.35 million).

    >>> lines = list(ntriples_lines(synthetic_graph(scale=0.0001, seed=1)))
    >>> lines[0]
    '<https://example.org/synthetic/Anatomy0> <http://www.w3.org/2000/01/rdf-schema#label> "Anatomy 0" .\\n'
    """
    nodes = [f"<{NAMESPACE}{node_id.removeprefix('syn:')}>" for node_id in graph.node_ids]
    for node, label, synonyms, category in zip(nodes, graph.labels, graph.synonyms, graph.categories, strict=True):
        yield f'{node} {_LABEL} "{label}" .\n'
        yield f"{node} {_RDF_TYPE} <{_BIOLINK}{category.removeprefix('biolink:')}> .\n"
        yield from (f'{node} {_ALT_LABEL} "{synonym}" .\n' for synonym in synonyms)
    predicates = [f"<{NAMESPACE}{name}>" for name in graph.predicate_names]
    for predicate, name, sign in zip(predicates, graph.predicate_names, graph.predicate_signs, strict=True):
        yield f"{predicate} {_RDF_TYPE} {_OBJECT_PROPERTY} .\n"
        yield f'{predicate} {_LABEL} "{name.replace("_", " ")}" .\n'
        yield f'{predicate} {_SIGN} "{sign}"^^{_INTEGER} .\n'
    for s, p, o in zip(graph.src.tolist(), graph.predicate_codes.tolist(), graph.dst.tolist(), strict=True):
        yield f"{nodes[s]} {predicates[p]} {nodes[o]} .\n"


def write_ntriples(graph: SyntheticGraph, path: Path) -> int:
    """Write :func:`ntriples_lines` to ``path``; the number of triples written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = 0
    with path.open("w", encoding="utf-8") as out:
        for line in ntriples_lines(graph):
            out.write(line)
            lines += 1
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Write the synthetic Hetionet-shaped graph as N-Triples.")
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_NTRIPLES, help=f"(default: {DEFAULT_NTRIPLES})")
    parser.add_argument("--scale", type=float, default=1.0, help="multiplies every count (default: 1.0)")
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    triples = write_ntriples(synthetic_graph(scale=args.scale, seed=args.seed), args.output)
    print(f"{args.output}: {triples} triples, {args.output.stat().st_size / 1e6:.0f} MB "
          f"in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
