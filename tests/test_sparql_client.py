"""A real SPARQL client (SPARQLWrapper) against a real uvicorn server on a loopback port."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from SPARQLWrapper import CSV, JSON, POST, POSTDIRECTLY, RDFXML, TURTLE, URLENCODED, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

PROJECT = Path(__file__).resolve().parent.parent
PREFIXES = "PREFIX mkg: <https://w3id.org/metastasis-kg/>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
CASCADE = PREFIXES + "SELECT ?before ?after WHERE { ?before mkg:precedes ?after } ORDER BY ?before"
ROW_CAP = 5


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def endpoint():
    port = _free_port()
    env = {**os.environ, "KG_DATA_FILE": str(PROJECT / "tests" / "data" / "mini.ttl"), "KG_WORKERS": "1",
           "KG_SPARQL_ROW_CAP": str(ROW_CAP)}
    command = [sys.executable, "-m", "uvicorn", "--factory", "api.app:create_app", "--host", "127.0.0.1"]
    server = subprocess.Popen([*command, "--port", str(port), "--log-level", "warning"], cwd=PROJECT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"uvicorn did not start (exit code {server.poll()})")
            time.sleep(0.1)
        yield f"{base}/sparql"
    finally:
        server.terminate()
        server.wait(timeout=10)


def client(endpoint: str, query: str, return_format: str, method: str | None = None) -> SPARQLWrapper:
    sparql = SPARQLWrapper(endpoint, returnFormat=return_format)
    sparql.setQuery(query)
    if method:
        sparql.setMethod(POST)
        sparql.setRequestMethod(method)
    return sparql


def test_select_json_via_get(endpoint: str):
    results = client(endpoint, CASCADE, JSON).queryAndConvert()
    pairs = [(row["before"]["value"], row["after"]["value"]) for row in results["results"]["bindings"]]
    assert len(pairs) == 4
    assert pairs[0] == ("https://w3id.org/metastasis-kg/emt", "https://w3id.org/metastasis-kg/local_invasion")


@pytest.mark.parametrize("request_method", [URLENCODED, POSTDIRECTLY])
def test_select_xml_via_post(endpoint: str, request_method: str):
    document = client(endpoint, CASCADE, XML, request_method).queryAndConvert()
    assert len(document.getElementsByTagName("result")) == 4


def test_ask(endpoint: str):
    assert client(endpoint, PREFIXES + "ASK { mkg:tgfb mkg:promotes mkg:emt }", JSON).queryAndConvert()["boolean"]


def test_construct_as_rdf_xml_and_turtle(endpoint: str):
    query = PREFIXES + "CONSTRUCT { ?a mkg:precedes ?b } WHERE { ?a mkg:precedes ?b }"
    assert len(client(endpoint, query, RDFXML).queryAndConvert()) == 4
    assert b"precedes" in client(endpoint, query, TURTLE).queryAndConvert()


def test_csv(endpoint: str):
    query = PREFIXES + 'SELECT ?label WHERE { ?s rdfs:label ?label FILTER(STRSTARTS(?label, "TGF")) }'
    assert client(endpoint, query, CSV).queryAndConvert().decode() == "label\r\nTGF-β\r\n"


def test_malformed_query_is_reported_as_such(endpoint: str):
    with pytest.raises(QueryBadFormed, match="error at"):
        client(endpoint, "SELECT * WHERE { ?s ?p }", JSON).queryAndConvert()


@pytest.mark.parametrize("return_format", [JSON, XML])
def test_a_result_cut_by_the_row_cap_still_parses(endpoint: str, return_format: str):
    results = client(endpoint, "SELECT * WHERE { ?s ?p ?o }", return_format).queryAndConvert()
    if return_format == JSON:
        assert results["truncated"] is True and len(results["results"]["bindings"]) == ROW_CAP
    else:
        assert len(results.getElementsByTagName("result")) == ROW_CAP
