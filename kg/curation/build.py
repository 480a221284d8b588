"""data/ -> checked model -> RDF graph -> SHACL-validated N-Triples file: what ``kg build`` does."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from kg.curation import loader as curation
from kg.curation import validate
from kg.curation.rdf import to_rdf
from kg.exchange.export import write_rdf

BUILT_GRAPH = Path(__file__).resolve().parents[1] / "built" / "metastasis-kg.nt"


def build(data: Path | None = None, output: Path | None = BUILT_GRAPH) -> Graph:
    """Load and check the curated files, build the RDF graph, validate it, and write it out.

    Raises :class:`kg.errors.CurationError` (with ``file:line``) for a bad curated record and
    :class:`kg.errors.ValidationError` when the graph breaks a SHACL shape; nothing is written then.
    """
    graph = to_rdf(curation.load(data))
    validate.check(graph)
    if output is not None:
        output.parent.mkdir(parents=True, exist_ok=True)
        write_rdf(graph, "nt", output)
    return graph


def ensure_built(path: Path = BUILT_GRAPH) -> Path:
    """The file of the last build; built now from data/ if there is none yet."""
    if not path.is_file():
        build(output=path)
    return path


def load_built(path: Path = BUILT_GRAPH) -> Graph:
    """The graph written by the last build; built now from data/ if there is none yet."""
    return Graph().parse(ensure_built(path), format="nt")
