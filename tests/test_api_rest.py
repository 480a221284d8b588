"""The REST API over the curated graph (built afresh) and over an RDF file nobody here wrote."""

import json
from io import BytesIO

import networkx as nx
import pytest
from fastapi.testclient import TestClient
from rdflib import Graph

from api.app import create_app
from api.settings import Settings
from kg.curation.build import build
from tests.conftest import PROJECT

MINI = PROJECT / "tests" / "data" / "mini.ttl"


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    graph_file = tmp_path_factory.mktemp("graph") / "metastasis-kg.nt"
    build(output=graph_file)
    with TestClient(create_app(Settings(data_file=graph_file, workers=1))) as client:
        yield client


def ids(nodes):
    return [n["id"] for n in nodes]


def test_health_and_stats(client):
    assert client.get("/health").json()["status"] == "ok"
    stats = client.get("/stats").json()
    assert stats["nodes"] >= 140 and stats["edges_per_predicate"]["precedes"] >= 4
    assert set(stats["citations_per_document"]) == {"wolf2025", "schneider2025", "glimm2025", "anon_tme",
                                                    "quicktakes2024"}


@pytest.mark.parametrize("q", ["TGF-β", "TGF-beta", "tgf beta", "transforming growth factor-beta"])
def test_search_is_greek_hyphen_and_case_insensitive(client, q):
    hits = client.get("/nodes", params={"q": q, "limit": 5}).json()
    assert hits["items"][0]["id"] == "mkg:tgf_beta"
    assert hits["items"][0]["match"] in ("exact", "synonym")


def test_search_ranks_exact_before_prefix_and_pages(client):
    page = client.get("/nodes", params={"q": "cell", "limit": 3}).json()
    assert len(page["items"]) == 3 and page["truncated"] and page["total"] > 3
    kinds = [h["match"] for h in client.get("/nodes", params={"q": "metastasis", "limit": 10}).json()["items"]]
    assert kinds[0] == "exact" and kinds == sorted(kinds, key=["id", "exact", "synonym", "prefix", "substring"].index)


def test_node_record_accepts_curie_iri_and_name(client):
    by_curie = client.get("/nodes/mkg:emt").json()
    assert "GO:0001837" in by_curie["xrefs"] and "EMT" in by_curie["synonyms"]
    assert client.get("/nodes/https://w3id.org/metastasis-kg/emt").json()["id"] == "mkg:emt"
    assert client.get("/nodes/EMT").json()["id"] == "mkg:emt"
    assert client.get("/nodes/mkg:tp53").json()["xrefs"] == ["HGNC:11998", "NCBIGene:7157"]


def test_edges_filter_and_carry_citations(client):
    page = client.get("/edges", params={"subject": "hypoxia", "predicate": "promotes"}).json()
    assert page["edges"] and all(e["predicate"] == "promotes" for e in page["edges"])
    objects = {e["object"]["id"] for e in page["edges"]}
    assert {"mkg:angiogenesis", "mkg:emt"} <= objects
    citation = page["edges"][0]["citations"][0]
    assert set(citation) == {"document", "locator", "reference", "certainty", "statement", "qualifiers"}
    glimm = client.get("/edges", params={"document": "glimm2025", "limit": 1000}).json()
    assert glimm["edges"] and all(any(c["document"] == "glimm2025" for c in e["citations"]) for e in glimm["edges"])


def test_hub_neighborhood_is_capped_and_says_so(client):
    result = client.get("/neighborhood", params={"node": "metastasis", "depth": 2, "limit": 10}).json()
    assert len(result["nodes"]) <= 10 and result["truncated"] is True
    assert result["nodes"][0]["id"] == "mkg:metastasis"
    inhibitors = client.get("/neighborhood", params={"node": "metastasis", "direction": "in",
                                                     "predicate": "inhibits"}).json()
    assert inhibitors["edges"] and all(e["predicate"] == "inhibits" for e in inhibitors["edges"])


def test_cascade_order_as_a_path(client):
    # schneider2025 also states shorter orderings (escape, circulation, colonization): the full
    # five-step chain is the longest `precedes` path, not the shortest
    result = client.get("/paths", params={"source": "local invasion", "target": "colonization", "mode": "simple",
                                          "max_length": 4, "predicate": "precedes"}).json()
    chains = [ids(path["nodes"]) for path in result["paths"]]
    assert ["mkg:local_invasion", "mkg:intravasation", "mkg:circulation", "mkg:extravasation",
            "mkg:colonization"] in chains


def test_hypoxia_reaches_metastasis_through_angiogenesis_and_through_emt(client):
    result = client.get("/paths", params={"source": "hypoxia", "target": "metastasis", "mode": "simple",
                                          "max_length": 2}).json()
    middles = {path["nodes"][1]["id"] for path in result["paths"] if path["length"] == 2}
    assert {"mkg:angiogenesis", "mkg:emt"} <= middles
    assert all(path["sign"] == 1 for path in result["paths"]
               if all(e["predicate"] == "promotes" for e in path["edges"]))


def test_no_directed_path_from_tp53_to_metastasis(client):
    directed = client.get("/paths", params={"source": "TP53", "target": "metastasis"}).json()
    assert directed["paths"] == [] and not directed["timed_out"]
    undirected = client.get("/paths", params={"source": "TP53", "target": "metastasis", "directed": False}).json()
    assert undirected["paths"]


def test_documents_and_their_references(client):
    listing = client.get("/documents").json()
    assert {d["id"] for d in listing["items"]} == {"wolf2025", "schneider2025", "glimm2025", "anon_tme",
                                                   "quicktakes2024"}
    schneider = client.get("/documents/schneider2025", params={"edge_limit": 5}).json()
    assert schneider["doi"] == "10.37421/1948-5956.2025.17.705"
    assert len(schneider["references"]) == 10 and schneider["references"][3]["entry"].startswith("Mengyu Wang")
    assert len(schneider["edges"]) == 5 and schneider["edges_truncated"]
    assert client.get("/documents/nobody2024").status_code == 404


@pytest.mark.parametrize("fmt", ["turtle", "nt", "jsonld", "graphml", "cytoscape", "cyjs", "kgx"])
def test_export_of_a_neighborhood_in_every_format(client, fmt):
    response = client.get("/export", params={"format": fmt, "node": "hypoxia"})
    assert response.status_code == 200
    body = response.content
    if fmt in ("turtle", "nt", "jsonld"):
        graph = Graph().parse(data=body, format={"turtle": "turtle", "nt": "nt", "jsonld": "json-ld"}[fmt])
        assert len(graph) > 20
    elif fmt == "graphml":
        assert "mkg:hypoxia" in nx.read_graphml(BytesIO(body))
    elif fmt == "cytoscape":
        assert any(e["data"]["id"] == "mkg:hypoxia" for e in json.loads(body)["elements"])
    elif fmt == "cyjs":
        assert "mkg:hypoxia" in nx.cytoscape_graph(json.loads(body))
    else:  # KGX names hypoxia by its NCIt id, as the whole-graph export does
        assert {e["subject"] for e in json.loads(body)["edges"]} >= {"NCIT:C3890"}


def test_export_of_paths(client):
    response = client.get("/export", params={"format": "turtle", "source": "hypoxia", "target": "metastasis"})
    graph = Graph().parse(data=response.content, format="turtle")
    assert len(graph) > 10 and "attachment" in response.headers["content-disposition"]


def test_sparql_over_the_curated_graph(client):
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s <https://w3id.org/metastasis-kg/precedes> ?o }"
    response = client.get("/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"})
    assert int(response.json()["results"]["bindings"][0]["n"]["value"]) >= 4


def test_every_route_works_on_a_data_file_nobody_here_wrote():
    with TestClient(create_app(Settings(data_file=MINI, workers=1))) as client:
        assert client.get("/health").json()["triples"] > 0
        hit = client.get("/nodes", params={"q": "TGF-β"}).json()["items"][0]
        assert hit["label"] in ("TGF-β", "TGF-beta")
        node = hit["id"]
        assert client.get(f"/nodes/{node}").status_code == 200
        assert client.get("/neighborhood", params={"node": node}).status_code == 200
        assert client.get("/edges").json()["total"] > 0
        assert client.get("/stats").status_code == 200
        assert client.get("/documents").status_code == 200
        assert client.get("/export", params={"format": "turtle"}).status_code == 200


def test_pooled_edges_over_http(client):
    response = client.get("/edges", params={"subject": "EMT", "object": "local invasion",
                                                         "evidence": "pooled"})
    assert response.status_code == 200
    (edge,) = response.json()["edges"]
    assert edge["predicate"] == "positively_affects" and len(edge["pooled_predicates"]) >= 2
    assert len({c["document"] for c in edge["citations"]}) == 5
    refused = client.get("/edges", params={"subject": "EMT", "evidence": "some"})
    assert refused.status_code == 422


def test_paths_pool_their_evidence_unless_asked_not_to(client):
    params = {"source": "TGF-beta signaling pathway", "target": "metastasis", "mode": "k_shortest", "k": 2}
    pooled = client.get("/paths", params=params).json()["paths"][0]["edges"]
    assert {edge["predicate"] for edge in pooled} == {"positively_affects"} and pooled[0]["pooled_predicates"]
    asserted = client.get("/paths", params={**params, "evidence": "asserted"}).json()["paths"][0]["edges"]
    assert all(not edge.get("pooled_predicates") for edge in asserted)


def test_a_reference_without_a_printed_entry_says_why(client):
    edges = client.get("/edges", params={"document": "wolf2025", "limit": 5}).json()["edges"]
    references = [c["reference"] for e in edges for c in e["citations"]
                  if c["document"] == "wolf2025" and c["reference"]]
    assert references and all(r["entry"] is None for r in references)
    assert all(r["note"] == f"reference {r['number']} of wolf2025 (the document prints no reference list)"
               for r in references)


def test_explain_reads_as_a_cited_paragraph(client):
    params = {"source": "TGF-beta signaling pathway", "target": "metastasis", "k": 2}
    answer = client.get("/explain", params=params).json()
    best = answer["sections"][0]
    assert [node["id"] for node in best["nodes"]] == ["mkg:tgf_beta_signaling", "mkg:emt", "mkg:metastasis"]
    assert best["sign"] == 1 and best["summary"].endswith("raises metastasis.")
    marks = {mark for step in best["steps"] for mark in step["citation_marks"]}
    assert marks <= {reference["mark"] for reference in answer["references"]}
    for step in best["steps"]:
        assert step["text"].endswith("]") and step["edge"]["citations"]
    documents = {c["document"] for c in best["steps"][1]["edge"]["citations"]}
    assert {answer["references"][mark - 1]["document"] for mark in best["steps"][1]["citation_marks"]} == documents
    markdown = client.get("/explain", params={**params, "format": "markdown"})
    assert markdown.headers["content-type"].startswith("text/markdown") and "### References" in markdown.text
    page = client.get("/explain", params={**params, "format": "html"})
    assert page.text.startswith("<article>") and "<script" not in page.text
    assert "default-src 'none'" in page.headers["content-security-policy"]


def test_explain_a_node_lists_its_drivers_and_effects(client):
    answer = client.get("/explain", params={"node": "EMT", "k": 3}).json()
    assert [section["heading"] for section in answer["sections"]] == ["Drivers", "Effects"]
    for section in answer["sections"]:
        assert 1 <= len(section["steps"]) <= 3 and section["summary"] is None
        assert all(step["edge"]["predicate"] in ("positively_affects", "negatively_affects", "affects")
                   for step in section["steps"])
    drivers = answer["sections"][0]["steps"]
    assert all(step["edge"]["object"]["id"] == "mkg:emt" for step in drivers)
    assert client.get("/explain", params={"node": "EMT", "source": "hypoxia"}).status_code == 400


def test_explanations_prefer_paths_with_a_direction_and_say_where_documents_differ(client):
    answer = client.get("/explain", params={"source": "hypoxia", "target": "metastasis", "k": 3}).json()
    assert all(section["sign"] != 0 for section in answer["sections"])  # signed paths exist, so they come first
    conflicts = {(c["subject"]["id"], c["object"]["id"]): c["kind"]
                 for c in client.get("/conflicts", params={"limit": 1000}).json()["conflicts"]}
    steps = [step for section in answer["sections"] for step in section["steps"]]
    for step in steps:
        pair = (step["edge"]["subject"]["id"], step["edge"]["object"]["id"])
        assert step["conflict"] == conflicts.get(pair)
    assert any(step["conflict"] == "certainty" and "different certainty" in step["text"] for step in steps)


def _documents_linking(client, subjects, object_):
    """The documents that cite any asserted edge from one of ``subjects`` into ``object_``."""
    return {c["document"] for subject in subjects
            for edge in client.get("/edges", params={"subject": subject, "object": object_}).json()["edges"]
            for c in edge["citations"]}


def test_tgf_beta_paths_pool_the_family_and_the_pathway_into_one_positive_step(client):
    linking = _documents_linking(client, ["mkg:tgf_beta", "mkg:tgf_beta_signaling"], "mkg:emt")
    assert {"glimm2025", "wolf2025"} <= linking  # the family (Glimm) and the pathway (Wolf)
    answer = client.get("/paths", params={"source": "TGF-β", "target": "metastasis", "mode": "k_shortest"}).json()
    best = answer["paths"][0]
    assert ids(best["nodes"])[:2] == ["mkg:tgf_beta", "mkg:emt"] and best["sign"] == 1
    into_emt = best["edges"][0]
    assert {c["document"] for c in into_emt["citations"]} >= linking
    assert {"as": "group", "subject": "mkg:tgf_beta_signaling"} in [
        {"as": t["as"], "subject": t["subject"]["id"]} for t in into_emt["through"]]
    assert sum(p["sign"] == 1 and "mkg:emt" in ids(p["nodes"]) for p in answer["paths"]) >= 2
    none = client.get("/paths", params={"source": "TGF-β", "target": "metastasis", "mode": "k_shortest",
                                        "expand": "none"}).json()["paths"][0]["edges"][0]
    assert "through" not in none and {c["document"] for c in none["citations"]} == {"glimm2025"}


def test_expand_members_answers_for_a_pathway_through_its_members(client):
    plain = client.get("/edges", params={"subject": "TGF-beta signaling pathway", "object": "EMT",
                                         "evidence": "pooled"}).json()["edges"]
    expanded = client.get("/edges", params={"subject": "TGF-beta signaling pathway", "object": "EMT",
                                            "evidence": "pooled", "expand": "members"}).json()["edges"]
    (edge,) = expanded
    assert edge["subject"]["id"] == "mkg:tgf_beta_signaling"
    assert [t["subject"]["id"] for t in edge["through"]] == ["mkg:tgf_beta"]
    assert len(edge["citations"]) > len(plain[0]["citations"])
    asserted = client.get("/edges", params={"subject": "TGF-beta signaling pathway", "object": "EMT",
                                            "expand": "members"}).json()["edges"]
    assert {e["subject"]["id"] for e in asserted} == {"mkg:tgf_beta_signaling", "mkg:tgf_beta"}
    around = client.get("/neighborhood", params={"node": "Wnt/beta-catenin signaling pathway", "expand": "members",
                                                 "direction": "in"}).json()
    assert {"mkg:wnt", "mkg:beta_catenin"} <= {n["id"] for n in around["nodes"] if n["hop"] == 0}
    assert client.get("/edges", params={"expand": "members"}).status_code == 400
    assert client.get("/edges", params={"subject": "EMT", "expand": "all"}).status_code == 422


def test_background_knowledge_is_marked_and_cites_its_record_not_a_document(client):
    edges = client.get("/edges", params={"subject": "CAF", "predicate": "subclass_of"}).json()["edges"]
    (edge,) = [e for e in edges if e["object"]["id"] == "mkg:fibroblast"]
    assert edge["background"] and edge["citations"] == []
    assert edge["provenance"]["primary_knowledge_source"] == "infores:cl"
    assert edge["provenance"]["source_record"] == "CL:0000057" and edge["provenance"]["note"]
    claim = client.get("/edges", params={"subject": "EMT", "object": "local invasion"}).json()["edges"][0]
    assert not claim["background"] and claim["provenance"]["primary_knowledge_source"] == "infores:metastasis-kg"
