"""SSSOM, Cytoscape Desktop and JSON-LD exports, each read back by a tool of its own community."""

import json
import subprocess
import sys

import networkx as nx
import pyoxigraph as ox
import pytest
from rdflib import Graph

from kg.curation.build import ensure_built
from kg.curation.loader import load_nodes
from kg.exchange.dataset import open_dataset
from kg.exchange.export import serialize_selection
from kg.exchange.jsonld import published_context
from tests.conftest import DATA, PROJECT

COMMITTED_SSSOM = DATA / "mappings.sssom.tsv"


@pytest.fixture(scope="module")
def dataset():
    return open_dataset(ensure_built())


def export(dataset, fmt: str) -> bytes:
    return serialize_selection(dataset.store, dataset.exchange, fmt)


def sssom_validate(path) -> str:
    """What ``sssom validate`` reports on ``path`` (offline); it exits 0 even when it drops a row."""
    done = subprocess.run([sys.executable, "-m", "tests.biolink_offline", "sssom", "validate", str(path)],
                          cwd=PROJECT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout + done.stderr


def test_committed_sssom_file_is_the_served_one(dataset):
    assert COMMITTED_SSSOM.read_bytes() == export(dataset, "sssom"), (
        "data/mappings.sssom.tsv is stale: kg build && kg export --format sssom -o data/mappings.sssom.tsv")


def test_sssom_has_a_row_per_xref_and_validates(dataset, tmp_path):
    text = COMMITTED_SSSOM.read_text(encoding="utf-8")
    header = [line for line in text.splitlines() if line.startswith("# ")]
    rows = [line.split("\t") for line in text.splitlines() if not line.startswith("#")]
    assert len(rows) - 1 == sum(len(node.xrefs) for node in load_nodes())
    assert {"# license: https://opensource.org/licenses/MIT", "#   mkg: https://w3id.org/metastasis-kg/"} <= set(header)
    assert all(row[rows[0].index("object_source")].startswith("infores:") for row in rows[1:])
    assert sssom_validate(COMMITTED_SSSOM) == ""
    free_text = tmp_path / "free-text.sssom.tsv"  # the old object_source, which the checker must refuse
    free_text.write_text(text.replace("\tinfores:ncbi-gene\n", "\tNCBI Gene\n"), encoding="utf-8")
    assert "not well-formed" in sssom_validate(free_text)


def test_cyjs_is_read_by_networkx_as_cytoscape_desktop_writes_it(dataset):
    data = json.loads(export(dataset, "cyjs"))
    assert set(data["elements"]) == {"nodes", "edges"} and data["data"]["name"] == "metastasis-kg"
    graph = nx.cytoscape_graph(data)
    assert graph.number_of_nodes() == dataset.exchange.number_of_nodes()
    assert graph.number_of_edges() == dataset.exchange.number_of_edges()
    assert graph.nodes["mkg:hypoxia"]["label"] == "hypoxia"
    values = [v for element in data["elements"]["edges"] for v in element["data"].values()]
    assert all(isinstance(v, str | int | float | bool) for v in values)  # Cytoscape columns hold scalars


def test_jsonld_is_compact_and_says_the_same_as_ntriples(dataset):
    body = export(dataset, "jsonld")
    document = json.loads(body)
    assert document["@context"]["mkg"] == "https://w3id.org/metastasis-kg/"
    assert any(node.get("@id") == "mkg:hypoxia" and node.get("rdfs:label") == "hypoxia" for node in document["@graph"])
    triples = set(Graph().parse(data=export(dataset, "nt"), format="nt"))
    assert set(Graph().parse(data=body, format="json-ld")) == triples
    assert len(list(ox.parse(body, format=ox.RdfFormat.JSON_LD))) == len(triples)
    # the published context is the one an export carries inline
    assert json.loads(published_context())["@context"] == document["@context"]
