"""kg.exchange.rdfio and kg.sparql without HTTP: loading, refusals, result formats, limits, workers."""

import io
import json
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib.query import Result as RdflibResult

from kg.errors import (
    DataFileError,
    EngineUnavailableError,
    InvalidQueryError,
    NotAcceptableError,
    QueryRefusedError,
    QueryTimeoutError,
    QueryTooCostlyError,
)
from kg.exchange.rdfio import load_dataset
from kg.sparql import RESULT_FORMATS, QueryLimits, QueryRequest, ResultKind, SparqlEngine
from kg.sparql.engine import _Worker, write_on_disk
from kg.sparql.worker import WorkerLimits, _names_service

DATA = Path(__file__).parent / "data"
MKG = "https://w3id.org/metastasis-kg/"
FORMAT = {fmt.name: fmt for fmt in RESULT_FORMATS}
TIMEOUT_S = 1.0
NUMBERS = " ".join(map(str, range(100)))
# A cartesian product of 100^5 rows whatever the data: it runs far past any time limit.
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { " + " ".join(f"VALUES ?v{i} {{ {NUMBERS} }}" for i in range(5)) + " }"


@pytest.fixture(scope="module")
def engine():
    engine = SparqlEngine.from_file(DATA / "mini.nq", QueryLimits(TIMEOUT_S, 3, 4096), workers=1)
    yield engine
    engine.close()


def run(engine: SparqlEngine, text: str, fmt: str = "json", **request):
    """Run ``text`` with ``fmt`` for table results (and Turtle for graphs)."""
    formats = {kind: FORMAT[fmt] if kind in FORMAT[fmt].kinds else FORMAT["turtle"] for kind in ResultKind}
    return engine.run(QueryRequest(text, **request), formats)



# --- loading --------------------------------------------------------------------------------
@pytest.mark.parametrize("suffix", [".nt", ".nq", ".trig", ".jsonld", ".rdf", ".ttl"])
def test_every_syntax_loads_by_extension(tmp_path: Path, suffix: str):
    original = load_dataset(DATA / "mini.ttl")
    target = tmp_path / f"copy{suffix}"
    syntax = ox.RdfFormat.from_extension(suffix[1:]) or ox.RdfFormat.JSON_LD
    ox.serialize(original, target, format=syntax) if syntax.supports_datasets else ox.serialize(
        (quad.triple for quad in original), target, format=syntax
    )
    assert len(load_dataset(target)) == len(original) == 30


def test_explicit_format_wins_over_extension(tmp_path: Path):
    target = tmp_path / "graph.data"
    target.write_bytes((DATA / "mini.ttl").read_bytes())
    with pytest.raises(DataFileError):
        load_dataset(target)
    assert len(load_dataset(target, "turtle")) == len(load_dataset(target, "text/turtle")) == 30


def test_named_graphs_of_n_quads_stay_named():
    store = load_dataset(DATA / "mini.nq")
    assert {graph.value for graph in store.named_graphs()} == {MKG + "graph/synonyms", MKG + "graph/documents"}


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [("missing.ttl", None, "not found"), ("broken.ttl", "<a> <b> .", "cannot parse"), ("x.csv", "a,b", "syntax")],
)
def test_data_file_errors(tmp_path: Path, name: str, content: str | None, message: str):
    path = tmp_path / name
    if content is not None:
        path.write_text(content)
    with pytest.raises(DataFileError, match=message):
        load_dataset(path)




# --- what the worker refuses, from a real parse ------------------------------------------------
@pytest.mark.parametrize(
    ("query", "names_service"),
    [
        ("SELECT * { SERVICE <http://x/> { ?s ?p ?o } }", True),
        ("SELECT * { sErViCe SILENT ?endpoint { ?s ?p ?o } }", True),
        # the token scan of the first version read "<2)SERVICE#>" as an IRI and let this through
        ("SELECT * WHERE { BIND(1 AS ?a) FILTER(?a<2)SERVICE#>\n<http://127.0.0.1:1/x> {?s ?p ?o} }", True),
        (r"PREFIX p: <http://\u0041/> SELECT * { { SELECT * { SERVICE p:x { ?s ?p ?o } } } }", True),
        ('SELECT * { ?s ?p "SERVICE <http://x/>" }', False),
        ("SELECT * { ?s ?p '''a SERVICE\n b''' }", False),
        ("SELECT * { ?s <http://x/SERVICE> ?service } # SERVICE <http://x/> { }", False),
        ('PREFIX service: <http://x/> SELECT * { ?s service:SERVICE "x"@service }', False),
    ],
)
def test_service_is_found_in_the_parse_tree(query: str, names_service: bool):
    assert _names_service(query) is names_service


@pytest.mark.parametrize(
    "update", ["INSERT DATA { <a> <b> <c> }", "PREFIX x: <y:> DELETE WHERE {}", "LOAD <f>", "CLEAR ALL"]
)
def test_updates_are_refused(engine: SparqlEngine, update: str):
    with pytest.raises(QueryRefusedError) as refused:
        run(engine, update)
    assert refused.value.detail == {"reason": "update"}


def test_service_is_refused(engine: SparqlEngine):
    with pytest.raises(QueryRefusedError) as refused:
        run(engine, "SELECT * { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }")
    assert refused.value.detail == {"reason": "service"}


# --- results --------------------------------------------------------------------------------
SELECT_TERMS = """
PREFIX mkg: <https://w3id.org/metastasis-kg/>
SELECT ?s ?o ?missing WHERE {
  { GRAPH ?g { ?s ?p ?o } } UNION { BIND(mkg:x AS ?s) BIND("tab\\there"@en AS ?o) }
  UNION { BIND(BNODE() AS ?s) BIND(42 AS ?o) }
}
"""


@pytest.mark.parametrize(
    ("fmt", "results_format"),
    [("json", ox.QueryResultsFormat.JSON), ("xml", ox.QueryResultsFormat.XML), ("tsv", ox.QueryResultsFormat.TSV)],
)
def test_solutions_match_pyoxigraph(fmt: str, results_format: ox.QueryResultsFormat):
    engine = SparqlEngine(load_dataset(DATA / "mini.nq"), QueryLimits(TIMEOUT_S, 100, 4096), workers=1)
    try:
        result = run(engine, SELECT_TERMS, fmt)
    finally:
        engine.close()
    expected = load_dataset(DATA / "mini.nq").query(SELECT_TERMS)
    parsed = ox.parse_query_results(result.body, format=results_format)
    assert [v.value for v in parsed.variables] == [v.value for v in expected.variables]

    def comparable(solutions):  # blank node labels are not preserved by design
        return sorted(
            tuple("_:" if isinstance(term, ox.BlankNode) else str(term) for term in solution) for solution in solutions
        )

    assert comparable(parsed) == comparable(expected)
    assert not result.truncated


def test_csv_is_plain_values(engine: SparqlEngine):
    query = f"SELECT ?label ?none WHERE {{ <{MKG}emt> <http://www.w3.org/2000/01/rdf-schema#label> ?label }}"
    assert run(engine, query, "csv").body == b"label,none\r\nepithelial-mesenchymal transition,\r\n"


def test_row_cap_truncates(engine: SparqlEngine):
    result = run(engine, "SELECT * { GRAPH ?g { ?s ?p ?o } }")
    assert (result.truncated, result.row_count) == (True, 3)
    exact = run(engine, "SELECT * { ?s ?p ?o }")
    assert (exact.truncated, exact.row_count) == (False, 2)


def test_truncated_json_still_parses_in_result_readers(engine: SparqlEngine):
    body = run(engine, "SELECT * { GRAPH ?g { ?s ?p ?o } }").body
    assert json.loads(body)["truncated"] is True
    assert len(list(ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON))) == 3
    assert len(list(RdflibResult.parse(io.BytesIO(body), format="json"))) == 3


def test_protocol_dataset_replaces_the_query_dataset(engine: SparqlEngine):
    query = f"ASK FROM <{MKG}graph/documents> {{ ?s a <http://xmlns.com/foaf/0.1/Document> }}"
    assert b"true" in run(engine, query).body
    assert b"false" in run(engine, query, named_graph_uris=[MKG + "graph/documents"]).body  # empty default graph


def test_syntax_error_carries_the_parser_position(engine: SparqlEngine):
    with pytest.raises(InvalidQueryError, match=r"^error at 1:"):
        run(engine, "SELECT * WHERE { ?s ?p }")
    with pytest.raises(InvalidQueryError, match=r"^error at 1:"):
        run(engine, "FIND ?s")


def test_unacceptable_kind_is_found_before_evaluation(engine: SparqlEngine):
    formats = {ResultKind.SOLUTIONS: FORMAT["csv"], ResultKind.BOOLEAN: None, ResultKind.GRAPH: None}
    with pytest.raises(NotAcceptableError) as refused:  # the runaway would time out if it were evaluated
        engine.run(QueryRequest(RUNAWAY.replace("SELECT (COUNT(*) AS ?n) WHERE", "ASK")), formats)
    assert refused.value.detail == {"kind": "boolean"}


# --- workers --------------------------------------------------------------------------------
def test_worker_start_up_is_cheap(tmp_path: Path):
    write_on_disk(load_dataset(DATA / "mini.ttl"), tmp_path)
    started = time.monotonic()
    worker = _Worker(str(tmp_path), WorkerLimits(256 << 20), start_timeout_s=30)
    elapsed = time.monotonic() - started
    worker.kill()
    assert elapsed < 5.0  # measured ~0.3 s; the bound only catches a regression (e.g. heavy imports)


def test_runaway_query_is_killed_and_the_worker_replaced(engine: SparqlEngine):
    started = time.monotonic()
    with pytest.raises(QueryTimeoutError):
        run(engine, RUNAWAY)
    assert time.monotonic() - started < TIMEOUT_S + 1.0
    assert run(engine, "ASK {}").body == b'{"head": {}, "boolean": true}'  # waits for the replacement


# 10^6 groups, each keyed by a 4 KB string: gigabytes, whatever the data.
MEMORY_HOG = (
    "SELECT (COUNT(*) AS ?n) WHERE { "
    + " ".join(f"VALUES ?v{i} {{ {NUMBERS} }}" for i in range(3))
    + ' BIND(CONCAT(STR(?v0), STR(?v1), STR(?v2), "' + "x" * 4000 + '") AS ?big) } GROUP BY ?big'
)


def test_memory_hungry_query_is_stopped_and_the_worker_replaced():
    engine = SparqlEngine(load_dataset(DATA / "mini.nq"), QueryLimits(30.0, 3, 8192, memory_mb=128), workers=1)
    try:
        with pytest.raises(QueryTooCostlyError):
            run(engine, MEMORY_HOG)
        assert run(engine, "ASK {}").body == b'{"head": {}, "boolean": true}'
    finally:
        engine.close()


def test_a_worker_that_died_idle_is_replaced_before_it_gets_a_query():
    # its own engine with a time limit a replacement's start fits in on a loaded machine (the
    # module's engine gives a query 1 s, and the query waits for the replacement)
    engine = SparqlEngine.from_file(DATA / "mini.nq", QueryLimits(30.0, 3, 4096), workers=1)
    try:
        for worker in list(engine._pool._live):
            worker.process.kill()
            worker.process.wait()
        assert run(engine, "ASK {}").body == b'{"head": {}, "boolean": true}'
    finally:
        engine.close()


def test_admission_is_bounded(engine: SparqlEngine):
    places = [engine.admission() for _ in range(engine.capacity)]
    for place in places:
        place.__enter__()
    try:
        with pytest.raises(EngineUnavailableError) as refused, engine.admission():
            pass
        assert refused.value.detail["retry_after_s"] >= 1
    finally:
        for place in places:
            place.__exit__(None, None, None)
    with engine.admission():
        pass
