"""The W3C SPARQL 1.1 Protocol tests that apply to a read-only query endpoint, as data.

Source: w3c/rdf-tests, ``sparql/sparql11/protocol/manifest.ttl`` (each case keeps its manifest
IRI). Requests are copied from the manifest with its ``/sparql/`` path prefix replaced by this
service's ``/sparql``; the graphs the tests load (``ut:graphData``: data1-3) are in
``tests/data/w3c-protocol.nq`` and nothing else is: ``data0.rdf``, named by a test without data,
is not in the dataset and must act as an empty graph.

Run (27): every ``query_*`` and ``bad_query_*`` test, and the ``bad_update_*`` tests, which
expect a 4xx: a read-only endpoint must reject each of those requests too (here as an update,
or for its media type).

Not applicable (7): ``update_dataset_default_graph``, ``update_dataset_default_graphs``,
``update_dataset_named_graphs``, ``update_dataset_full``, ``update_post_form``,
``update_post_direct`` and ``update_base_uri`` expect a successful SPARQL Update; this service
never writes, and refuses each of them with 400 ``query_refused`` (checked in
``test_sparql_protocol.py``).
"""

from dataclasses import dataclass

MANIFEST = "http://www.w3.org/2009/sparql/docs/tests/data-sparql11/protocol/manifest#"
DATA = "http%3A%2F%2Fkasei.us%2F2009%2F09%2Fsparql%2Fdata%2F"  # percent-encoded, as in the paths


@dataclass(frozen=True)
class ProtocolCase:
    name: str
    method: str
    path: str
    expected_status_class: int  # 2: 2xx (3xx also allowed by the manifest), 4: 4xx
    body: bytes | None = None
    content_type: str | None = None
    expected_format: str | None = None  # "boolean", "tabular" or "RDF"
    expected_boolean: bool | None = None

    @property
    def iri(self) -> str:
        return MANIFEST + self.name


def _dataset(*pairs: tuple[str, int]) -> str:
    return "&".join(f"{parameter}={DATA}data{number}.rdf" for parameter, number in pairs)


ASK_DATA1_DATA2 = (
    "ASK { <http://kasei.us/2009/09/sparql/data/data1.rdf> a ?type . "
    "<http://kasei.us/2009/09/sparql/data/data2.rdf> a ?type . }"
)
ASK_GRAPHS_DATA1_DATA2 = (
    "ASK { GRAPH ?g1 { <http://kasei.us/2009/09/sparql/data/data1.rdf> a ?type } "
    "GRAPH ?g2 { <http://kasei.us/2009/09/sparql/data/data2.rdf> a ?type } }"
)
DEFAULT_0 = _dataset(("default-graph-uri", 0))
NAMED_1_2 = _dataset(("named-graph-uri", 1), ("named-graph-uri", 2))
FORM, DIRECT, UPDATE = "application/x-www-form-urlencoded", "application/sparql-query", "application/sparql-update"


def _true(name: str, method: str, path: str, **request) -> ProtocolCase:
    return ProtocolCase(name, method, path, 2, expected_format="boolean", expected_boolean=True, **request)


def _rejected(name: str, method: str, path: str, **request) -> ProtocolCase:
    return ProtocolCase(name, method, path, 4, **request)


CASES: list[ProtocolCase] = [
    _true("query_post_form", "POST", f"/sparql?{DEFAULT_0}", body=b"query=ASK%20%7B%7D", content_type=FORM),
    _true(
        "query_dataset_default_graphs_get",
        "GET",
        "/sparql?query=ASK%20%7B%20%3Chttp%3A%2F%2Fkasei.us%2F2009%2F09%2Fsparql%2Fdata%2Fdata1.rdf%3E"
        "%20a%20%3Ftype%20.%20%3Chttp%3A%2F%2Fkasei.us%2F2009%2F09%2Fsparql%2Fdata%2Fdata2.rdf%3E"
        "%20a%20%3Ftype%20.%20%7D&" + _dataset(("default-graph-uri", 1), ("default-graph-uri", 2)),
    ),
    _true(
        "query_dataset_default_graphs_post",
        "POST",
        "/sparql?" + _dataset(("default-graph-uri", 1), ("default-graph-uri", 2)),
        body=ASK_DATA1_DATA2.encode(),
        content_type=DIRECT,
    ),
    _true(
        "query_dataset_named_graphs_post",
        "POST",
        f"/sparql?{NAMED_1_2}",
        body=ASK_GRAPHS_DATA1_DATA2.encode(),
        content_type=DIRECT,
    ),
    _true(
        "query_dataset_named_graphs_get",
        "GET",
        "/sparql?query=ASK%20%7B%20GRAPH%20%3Fg1%20%7B%20%3Chttp%3A%2F%2Fkasei.us%2F2009%2F09%2Fsparql"
        "%2Fdata%2Fdata1.rdf%3E%20a%20%3Ftype%20%7D%20GRAPH%20%3Fg2%20%7B%20%3Chttp%3A%2F%2Fkasei.us"
        "%2F2009%2F09%2Fsparql%2Fdata%2Fdata2.rdf%3E%20a%20%3Ftype%20%7D%20%7D&" + NAMED_1_2,
    ),
    _true(
        "query_dataset_full",
        "POST",
        "/sparql?" + _dataset(("default-graph-uri", 3), ("named-graph-uri", 1), ("named-graph-uri", 2)),
        body=b"""ASK {
  <http://kasei.us/2009/09/sparql/data/data3.rdf> a ?type
  GRAPH ?g1 { <http://kasei.us/2009/09/sparql/data/data1.rdf> a ?type }
  GRAPH ?g2 { <http://kasei.us/2009/09/sparql/data/data2.rdf> a ?type }
}""",
        content_type=DIRECT,
    ),
    _true(
        "query_multiple_dataset",
        "POST",
        f"/sparql?{NAMED_1_2}",
        body=b"ASK FROM <http://kasei.us/2009/09/sparql/data/data3.rdf> { GRAPH ?g1 { "
        b"<http://kasei.us/2009/09/sparql/data/data1.rdf> a ?type } GRAPH ?g2 { "
        b"<http://kasei.us/2009/09/sparql/data/data2.rdf> a ?type } }",
        content_type=DIRECT,
    ),
    _true("query_get", "GET", f"/sparql?query=ASK%20%7B%7D&{DEFAULT_0}"),
    ProtocolCase(
        "query_content_type_select",
        "POST",
        f"/sparql?{DEFAULT_0}",
        2,
        body=b"SELECT (1 AS ?value) {}",
        content_type=DIRECT,
        expected_format="tabular",
    ),
    ProtocolCase(
        "query_content_type_ask",
        "POST",
        f"/sparql?{DEFAULT_0}",
        2,
        body=b"ASK {}",
        content_type=DIRECT,
        expected_format="boolean",
    ),
    ProtocolCase(
        "query_content_type_describe",
        "POST",
        f"/sparql?{DEFAULT_0}",
        2,
        body=b"DESCRIBE <http://example.org/>",
        content_type=DIRECT,
        expected_format="RDF",
    ),
    ProtocolCase(
        "query_content_type_construct",
        "POST",
        f"/sparql?{DEFAULT_0}",
        2,
        body=b"CONSTRUCT { <s> <p> 1 } WHERE {}",
        content_type=DIRECT,
        expected_format="RDF",
    ),
    _true("query_post_direct", "POST", "/sparql", body=b"ASK {}", content_type=DIRECT),
    _rejected("bad_query_method", "PUT", f"/sparql?query=ASK%20%7B%7D&{DEFAULT_0}", content_type=FORM),
    _rejected("bad_multiple_queries", "GET", "/sparql?query=ASK%20%7B%7D&query=SELECT%20%2A%20%7B%7D"),
    _rejected("bad_query_wrong_media_type", "POST", "/sparql", body=b"ASK {}", content_type="text/plain"),
    _rejected("bad_query_missing_form_type", "POST", "/sparql", body=b"query=ASK%20%7B%7D"),
    _rejected("bad_query_missing_direct_type", "POST", "/sparql", body=b"ASK {}"),
    _rejected(
        "bad_query_non_utf8",
        "POST",
        "/sparql",
        body="ASK {}".encode("utf-16"),
        content_type="application/sparql-query; charset=UTF-16",
    ),
    _rejected("bad_query_syntax", "GET", "/sparql?query=ASK%20%7B"),
    _rejected("bad_update_get", "GET", "/sparql?update=CLEAR%20ALL"),
    _rejected(
        "bad_multiple_updates",
        "POST",
        "/sparql",
        body=b"update=CLEAR%20NAMED&update=CLEAR%20DEFAULT",
        content_type=FORM,
    ),
    _rejected("bad_update_wrong_media_type", "POST", "/sparql", body=b"CLEAR NAMED", content_type="text/plain"),
    _rejected("bad_update_missing_form_type", "POST", "/sparql", body=b"update=CLEAR%20NAMED"),
    _rejected(
        "bad_update_non_utf8",
        "POST",
        "/sparql",
        body="CLEAR NAMED".encode("utf-16"),
        content_type="application/sparql-update; charset=UTF-16",
    ),
    _rejected("bad_update_syntax", "POST", "/sparql", body=b"update=CLEAR%20XYZ", content_type=FORM),
    _rejected(
        "bad_update_dataset_conflict",
        "POST",
        "/sparql?using-named-graph-uri=http%3A%2F%2Fexample%2Fpeople",
        body=b"PREFIX foaf:  <http://xmlns.com/foaf/0.1/>\nWITH <http://example/addresses>\n"
        b"DELETE { ?person foaf:givenName 'Bill' }\nINSERT { ?person foaf:givenName 'William' }\n"
        b"WHERE {\n    ?person foaf:givenName 'Bill'\n}",
        content_type=UPDATE,
    ),
]

# The update tests this read-only service must refuse (the manifest expects them to succeed).
UPDATE_REQUESTS: dict[str, tuple[str, bytes]] = {
    "update_post_form": (FORM, b"update=CLEAR%20ALL"),
    "update_post_direct": (UPDATE, b"CLEAR ALL"),
    "update_dataset_default_graph": (UPDATE, b"CLEAR ALL ; INSERT DATA { <s> <p> <o> }"),
    "update_dataset_default_graphs": (UPDATE, b"DROP ALL"),
    "update_dataset_named_graphs": (UPDATE, b"DROP ALL"),
    "update_dataset_full": (UPDATE, b"DROP ALL"),
    "update_base_uri": (UPDATE, b"CLEAR GRAPH <http://example.org/protocol-base-test/>"),
}
