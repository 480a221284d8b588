"""Check an RDF graph against the model's SHACL shapes (``kg/curation/shapes.ttl``)."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph
from rdflib.namespace import RDF, SH

from kg.errors import ValidationError
from kg.vocab import compact

SHAPES = Path(__file__).with_name("shapes.ttl")


def violations(graph: Graph) -> list[dict]:
    """Every SHACL violation as ``{"focus", "path", "message"}`` (empty when the graph conforms)."""
    try:
        from pyshacl import validate as shacl_validate
    except ImportError as error:  # the runtime image serves a graph validated when it was built
        raise ValidationError("SHACL validation needs the `build` extra: pip install 'metastasis-kg[build]'") from error
    shapes = Graph().parse(SHAPES)
    conforms, report, _ = shacl_validate(graph, shacl_graph=shapes, inference="none", advanced=False)
    if conforms:
        return []
    found = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        path = report.value(result, SH.resultPath)
        found.append({
            "focus": compact(str(report.value(result, SH.focusNode))),
            "path": compact(str(path)) if path is not None else "",
            "message": str(report.value(result, SH.resultMessage)),
        })
    return sorted(found, key=lambda v: (v["focus"], v["path"]))


def check(graph: Graph) -> None:
    """Raise :class:`ValidationError` listing the violations, if there are any."""
    found = violations(graph)
    if found:
        lines = "\n".join(f"  {v['focus']} {v['path']}: {v['message']}" for v in found[:50])
        more = f"\n  ... and {len(found) - 50} more" if len(found) > 50 else ""
        raise ValidationError(f"the graph violates {len(found)} SHACL constraint(s):\n{lines}{more}", detail=found)
