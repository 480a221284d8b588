"""kg.rdfio and kg.sparql without HTTP: loading, query checks, result formats, limits, workers."""

import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.errors import DataFileError, InvalidQueryError, QueryRefusedError, QueryTimeoutError
from kg.rdfio import load_dataset
from kg.sparql import (
    RESULT_FORMATS,
    QueryForm,
    QueryLimits,
    SparqlEngine,
    _Worker,
    analyse_query,
)

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


# --- lexical analysis -----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("query", "form"),
    [
        ("SELECT * {}", QueryForm.SELECT),
        ("# comment ASK\nPREFIX ask: <http://x/>\nBASE <http://b/> construct WHERE {}", QueryForm.CONSTRUCT),
        ("prefix : <http://x/> describe :a", QueryForm.DESCRIBE),
        ("ASK{}", QueryForm.ASK),
        ("FOO {}", None),
    ],
)
def test_query_form(query: str, form: QueryForm | None):
    assert analyse_query(query).form is form


@pytest.mark.parametrize(
    ("query", "uses_service"),
    [
        ("SELECT * { SERVICE <http://x/> { ?s ?p ?o } }", True),
        ("SELECT * { sErViCe SILENT ?endpoint { ?s ?p ?o } }", True),
        ('SELECT * { ?s ?p "SERVICE <http://x/>" }', False),
        ("SELECT * { ?s ?p '''a SERVICE\n b''' }", False),
        ("SELECT * { ?s <http://x/SERVICE> ?service } # SERVICE", False),
        ('PREFIX service: <http://x/> SELECT * { ?s service:SERVICE "x"@service }', False),
    ],
)
def test_service_detection(query: str, uses_service: bool):
    assert analyse_query(query).uses_service is uses_service


def test_dataset_clause_iris_are_resolved():
    shape = analyse_query(
        "PREFIX g: <http://example.org/graph/> SELECT * FROM g:one FROM <two> FROM NAMED g:three WHERE {}",
        base_iri="http://example.org/graph/",
    )
    assert shape.from_graphs == ("http://example.org/graph/one", "http://example.org/graph/two")
    assert shape.from_named_graphs == ("http://example.org/graph/three",)


@pytest.mark.parametrize("update", ["INSERT DATA { <a> <b> <c> }", "PREFIX x: <y:> DELETE WHERE {}", "LOAD <f>"])
def test_updates_are_refused(engine: SparqlEngine, update: str):
    with pytest.raises(QueryRefusedError):
        engine.prepare(update)


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
        result = engine.run(engine.prepare(SELECT_TERMS), FORMAT[fmt])
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
    body = engine.run(engine.prepare(query), FORMAT["csv"]).body
    assert body == b"label,none\r\nepithelial-mesenchymal transition,\r\n"


def test_row_cap_truncates(engine: SparqlEngine):
    result = engine.run(engine.prepare("SELECT * { GRAPH ?g { ?s ?p ?o } }"), FORMAT["json"])
    assert (result.truncated, result.row_count) == (True, 3)
    exact = engine.run(engine.prepare("SELECT * { ?s ?p ?o }"), FORMAT["json"])
    assert (exact.truncated, exact.row_count) == (False, 2)


def test_protocol_dataset_replaces_the_query_dataset(engine: SparqlEngine):
    query = f"ASK FROM <{MKG}graph/documents> {{ ?s a <http://xmlns.com/foaf/0.1/Document> }}"
    assert b"true" in engine.run(engine.prepare(query), FORMAT["json"]).body
    overridden = engine.prepare(query, named_graph_uris=[MKG + "graph/documents"])
    assert b"false" in engine.run(overridden, FORMAT["json"]).body  # empty default graph


def test_syntax_error_carries_the_parser_position(engine: SparqlEngine):
    with pytest.raises(InvalidQueryError, match=r"^error at 1:"):
        engine.run(engine.prepare("SELECT * WHERE { ?s ?p }"), FORMAT["json"])
    with pytest.raises(InvalidQueryError, match=r"^error at 1:"):  # no query form: caught before any worker
        engine.prepare("FIND ?s")


# --- workers --------------------------------------------------------------------------------
def test_worker_start_up_is_cheap():
    snapshot = load_dataset(DATA / "mini.ttl").dump(format=ox.RdfFormat.N_QUADS)
    started = time.monotonic()
    worker = _Worker(snapshot, start_timeout_s=30)
    elapsed = time.monotonic() - started
    worker.kill()
    assert elapsed < 3.0  # measured ~0.2 s; the bound only catches a regression (e.g. rdflib imports)


def test_runaway_query_is_killed_and_the_worker_replaced(engine: SparqlEngine):
    started = time.monotonic()
    with pytest.raises(QueryTimeoutError):
        engine.run(engine.prepare(RUNAWAY), FORMAT["json"])
    assert time.monotonic() - started < TIMEOUT_S + 1.0
    answer = engine.run(engine.prepare("ASK {}"), FORMAT["json"])  # waits for the replacement worker
    assert answer.body == b'{"head": {}, "boolean": true}'
