"""The result formats of the SPARQL endpoint and the writers for them (the writers run in a worker).

A query's *kind* is what it returns: solutions (SELECT), a boolean (ASK) or a graph (CONSTRUCT,
DESCRIBE). Content negotiation happens per kind before the query is sent to a worker, because
only the worker's parser learns the kind.
"""

import csv
import html
import io
import json
from dataclasses import dataclass
from enum import StrEnum

import pyoxigraph as ox

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


class ResultKind(StrEnum):
    SOLUTIONS = "solutions"  # SELECT
    BOOLEAN = "boolean"  # ASK
    GRAPH = "graph"  # CONSTRUCT, DESCRIBE


@dataclass(frozen=True)
class ResultFormat:
    """A serialisation the engine can write, with the media types that select it."""

    name: str
    media_type: str
    aliases: tuple[str, ...]
    kinds: frozenset[ResultKind]
    iri: str  # the W3C format IRI (http://www.w3.org/ns/formats/...) for the service description

    @property
    def media_types(self) -> tuple[str, ...]:
        return (self.media_type, *self.aliases)


def _bare(media_type: str) -> str:
    return media_type.split(";")[0].strip()  # pyoxigraph adds "; charset=utf-8" to text types


def _results_format(name: str, results: ox.QueryResultsFormat, aliases: tuple[str, ...], kinds) -> ResultFormat:
    return ResultFormat(name, _bare(results.media_type), aliases, frozenset(kinds), results.iri)


def _graph_format(name: str, rdf: ox.RdfFormat, aliases: tuple[str, ...], iri: str = "") -> ResultFormat:
    return ResultFormat(name, _bare(rdf.media_type), aliases, frozenset({ResultKind.GRAPH}), iri or rdf.iri)


_TABLES = {ResultKind.SOLUTIONS, ResultKind.BOOLEAN}
# Server preference order: the first format of a kind is its default.
RESULT_FORMATS: tuple[ResultFormat, ...] = (
    _results_format("json", ox.QueryResultsFormat.JSON, ("application/json",), _TABLES),
    _results_format("xml", ox.QueryResultsFormat.XML, ("application/xml", "text/xml"), _TABLES),
    _results_format("csv", ox.QueryResultsFormat.CSV, (), {ResultKind.SOLUTIONS}),
    _results_format("tsv", ox.QueryResultsFormat.TSV, (), {ResultKind.SOLUTIONS}),
    _graph_format("turtle", ox.RdfFormat.TURTLE, ("application/x-turtle",)),
    _graph_format("n-triples", ox.RdfFormat.N_TRIPLES, ()),
    _graph_format("rdf-xml", ox.RdfFormat.RDF_XML, ("application/xml", "text/xml")),
    # pyoxigraph names JSON-LD by a non-standard IRI; the W3C formats list has this one.
    _graph_format("json-ld", ox.RdfFormat.JSON_LD, ("application/json",), "http://www.w3.org/ns/formats/JSON-LD"),
)
RDF_FORMAT_BY_NAME = {
    "turtle": ox.RdfFormat.TURTLE,
    "n-triples": ox.RdfFormat.N_TRIPLES,
    "rdf-xml": ox.RdfFormat.RDF_XML,
    "json-ld": ox.RdfFormat.JSON_LD,
}


def formats_for(kind: ResultKind) -> list[ResultFormat]:
    """The formats a result of ``kind`` can be written in, in server preference order.

    >>> [fmt.name for fmt in formats_for(ResultKind.BOOLEAN)]
    ['json', 'xml']
    """
    return [fmt for fmt in RESULT_FORMATS if kind in fmt.kinds]


# --- writers ----------------------------------------------------------------------------------
def _json_term(term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Triple):
        parts = {"subject": term.subject, "predicate": term.predicate, "object": term.object}
        return {"type": "triple", "value": {key: _json_term(part) for key, part in parts.items()}}
    encoded = {"type": "literal", "value": term.value}
    if term.language:
        encoded["xml:lang"] = term.language
        if term.direction is not None:
            encoded["its:dir"] = str(term.direction).lower()
    elif term.datatype.value != XSD_STRING:
        encoded["datatype"] = term.datatype.value
    return encoded


def _xml_escape(text: str) -> str:
    # html.escape writes valid XML too; xml.sax.saxutils would add 40 ms to worker start-up.
    return html.escape(text, quote=True)


def _xml_attr(text: str) -> str:
    return f'"{_xml_escape(text)}"'


def _xml_term(term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{_xml_escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{_xml_escape(term.value)}</bnode>"
    if isinstance(term, ox.Triple):
        return (
            f"<triple><subject>{_xml_term(term.subject)}</subject>"
            f"<predicate>{_xml_term(term.predicate)}</predicate>"
            f"<object>{_xml_term(term.object)}</object></triple>"
        )
    if term.language:
        return f"<literal xml:lang={_xml_attr(term.language)}>{_xml_escape(term.value)}</literal>"
    if term.datatype.value != XSD_STRING:
        return f"<literal datatype={_xml_attr(term.datatype.value)}>{_xml_escape(term.value)}</literal>"
    return f"<literal>{_xml_escape(term.value)}</literal>"


def _csv_value(term) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Triple):
        return str(term)
    return term.value


_XML_HEAD = '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'


def write_solutions(fmt: str, variables: list[str], rows: list, truncated: bool) -> bytes:
    """SELECT results in ``fmt`` (json, xml, csv or tsv).

    A cut JSON result says ``"truncated": true`` as its first key: result readers skip keys they
    do not know, and pyoxigraph's streaming reader accepts them only before ``results``.
    """
    if fmt == "json":
        bindings = [
            {name: _json_term(term) for name, term in zip(variables, row, strict=True) if term is not None}
            for row in rows
        ]
        document: dict = {"truncated": True} if truncated else {}
        document |= {"head": {"vars": variables}, "results": {"bindings": bindings}}
        return json.dumps(document, ensure_ascii=False).encode()
    if fmt == "xml":
        parts = [_XML_HEAD, "<head>", *(f"<variable name={_xml_attr(v)}/>" for v in variables)]
        parts.append("</head><results>")
        for row in rows:
            bound = zip(variables, row, strict=True)
            cells = (f"<binding name={_xml_attr(v)}>{_xml_term(t)}</binding>" for v, t in bound if t is not None)
            parts.append(f"<result>{''.join(cells)}</result>")
        parts.append("</results></sparql>\n")
        return "\n".join(parts).encode()
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(variables)
        writer.writerows([_csv_value(term) for term in row] for row in rows)
        return out.getvalue().encode()
    # TSV: terms in their N-Triples form, which str() of a pyoxigraph term already is.
    lines = ["\t".join(f"?{v}" for v in variables)]
    lines += ["\t".join("" if term is None else str(term) for term in row) for row in rows]
    return ("\n".join(lines) + "\n").encode()


def write_boolean(fmt: str, value: bool) -> bytes:
    """An ASK result in ``fmt`` (json or xml)."""
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": value}).encode()
    return f"{_XML_HEAD}\n<head/>\n<boolean>{str(value).lower()}</boolean>\n</sparql>\n".encode()


def write_graph(fmt: str, triples: list) -> bytes:
    """CONSTRUCT/DESCRIBE results in an RDF syntax."""
    return ox.serialize(triples, format=RDF_FORMAT_BY_NAME[fmt])
