"""What a version of the graph asserts, in a form two versions can be compared in: its entities
(label, category, identifiers) and its claims (subject, predicate, object, sign, and each
citation by document and locator with its certainty, paraphrase, reference and passage hash).

A snapshot is read from any version of the graph: a release folder, a graph file (N-Triples,
gzipped or not, Turtle, JSON-LD…) or a git revision of ``data/``, built with the current code.

>>> tiny = nx.MultiDiGraph()
>>> tiny.add_node("mkg:a", label="A", category="biolink:Gene", xrefs=["HGNC:1"])
>>> tiny.add_node("mkg:b", label="B", category="biolink:BiologicalProcess")
>>> _ = tiny.add_edge("mkg:a", "mkg:b", key="promotes", sign=1, citations=[{"document": "doc",
...     "locator": "body/p1/s1", "certainty": "stated", "statement": "A raises B.", "span": {"sha256": "ab"}}])
>>> snapshot = from_exchange(tiny)
>>> snapshot.entities["mkg:a"].label, sorted(snapshot.claims)
('A', [('mkg:a', 'promotes', 'mkg:b')])
>>> snapshot.claims["mkg:a", "promotes", "mkg:b"].citations["doc", "body/p1/s1"].certainty
'stated'
"""

from __future__ import annotations

import gzip
import subprocess
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx
from rdflib import Graph

from kg.errors import DataFileError, NotFoundError

RDF_SUFFIXES = {".nt": "nt", ".ttl": "turtle", ".jsonld": "json-ld", ".json": "json-ld", ".rdf": "xml",
                ".owl": "xml", ".nq": "nquads", ".trig": "trig"}
RELEASE_GRAPH = "metastasis-kg.nt.gz"  # the file of a release folder a snapshot is read from


@dataclass(frozen=True)
class Entity:
    label: str
    category: str
    xrefs: tuple[str, ...]


@dataclass(frozen=True)
class CitationRecord:
    certainty: str
    statement: str
    reference: int | None
    sha256: str


@dataclass
class Claim:
    sign: int
    background: bool  # background knowledge from a standard resource, not a document claim
    citations: dict[tuple[str, str], CitationRecord] = field(default_factory=dict)  # (document, locator)


@dataclass
class Snapshot:
    entities: dict[str, Entity]
    claims: dict[tuple[str, str, str], Claim]

    def counts(self) -> dict:
        """Entities per category, claims per predicate, citations per document, and totals."""
        citations = Counter(document for claim in self.claims.values() for document, _ in claim.citations)
        return {"entities": len(self.entities), "claims": len(self.claims),
                "citations": sum(citations.values()),
                "entities_per_category": dict(sorted(Counter(e.category for e in self.entities.values()).items())),
                "claims_per_predicate": dict(sorted(Counter(p for _, p, _ in self.claims).items())),
                "citations_per_document": dict(sorted(citations.items()))}


def from_exchange(exchange: nx.MultiDiGraph) -> Snapshot:
    """The snapshot of an exchange graph (``kg.exchange.graph.to_networkx``)."""
    entities = {node: Entity(str(attrs.get("label", node)), str(attrs.get("category") or ""),
                             tuple(sorted(attrs.get("xrefs", ()))))
                for node, attrs in exchange.nodes(data=True)}
    claims = {}
    for subject, obj, predicate, attrs in exchange.edges(keys=True, data=True):
        provenance = attrs.get("provenance") or {}
        claim = Claim(int(attrs.get("sign", 0)), bool(provenance.get("source_record")))
        for c in attrs.get("citations", []):
            reference = (c.get("reference") or {}).get("number")
            claim.citations[c["document"], c["locator"]] = CitationRecord(
                c.get("certainty", ""), c.get("statement", ""), reference, (c.get("span") or {}).get("sha256", ""))
        claims[subject, predicate, obj] = claim
    return Snapshot(entities, claims)


def read_graph(path: Path) -> Graph:
    """An RDF graph file, gzipped or not, its syntax from the suffix before ``.gz``."""
    path = Path(path)
    suffixes = [s for s in path.suffixes if s != ".gz"]
    syntax = RDF_SUFFIXES.get(suffixes[-1] if suffixes else "")
    if syntax is None:
        raise DataFileError(f"{path}: cannot tell its RDF syntax; use one of {', '.join(RDF_SUFFIXES)} (maybe .gz)")
    try:
        data = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
        return Graph().parse(data=data, format=syntax)
    except (OSError, gzip.BadGzipFile) as error:
        raise DataFileError(f"{path}: cannot read it: {error}") from error
    except Exception as error:  # rdflib raises parser-specific exceptions with no common base
        raise DataFileError(f"{path}: cannot parse it as {syntax}: {error}") from error


def _graph_at_revision(revision: str, repository: Path) -> Graph:
    """The graph that ``data/`` at a git revision builds to, with the current code (no SHACL)."""
    from kg.curation import loader
    from kg.curation.rdf import to_rdf

    with tempfile.TemporaryDirectory() as scratch:
        archive = subprocess.run(["git", "-C", str(repository), "archive", revision, "data"],
                                 capture_output=True, check=False)
        if archive.returncode:
            raise NotFoundError(f"{revision!r} is no release folder, graph file or git revision of "
                                f"{repository}: {archive.stderr.decode(errors='replace').strip()}")
        subprocess.run(["tar", "-x", "-C", scratch], input=archive.stdout, check=True)
        return to_rdf(loader.load(Path(scratch) / "data"))


def load_snapshot(version: str | Path, repository: Path | None = None) -> Snapshot:
    """The snapshot of a release folder, a graph file, or a git revision of ``repository``."""
    from kg.exchange.graph import to_networkx

    path = Path(version)
    if path.is_dir():
        graph = read_graph(path / RELEASE_GRAPH)
    elif path.is_file():
        graph = read_graph(path)
    else:
        graph = _graph_at_revision(str(version), repository or Path(__file__).resolve().parents[2])
    return from_exchange(to_networkx(graph))

