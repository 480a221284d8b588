"""The RDF model: nodes, direct triples beside association nodes, citations, documents, SHACL."""

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from kg.curation import loader as curation
from kg.curation import validate
from kg.curation.rdf import association_iri, to_rdf
from kg.errors import ValidationError
from kg.exchange.graph import to_networkx
from kg.vocab import BIOLINK, CITO, MKG, expand
from tests.test_curation import GOOD, write


@pytest.fixture
def graph(scratch_data):
    write(scratch_data, GOOD)
    curated = curation.load(scratch_data)
    return curated, to_rdf(curated)


def test_node_shape(graph):
    _, g = graph
    emt = MKG.emt
    assert g.value(emt, RDFS.label) == Literal("epithelial-mesenchymal transition")
    assert (emt, RDF.type, BIOLINK.BiologicalProcess) in g
    assert Literal("EMT") in set(g.objects(emt, SKOS.altLabel))
    assert (emt, SKOS.exactMatch, expand("GO:0001837")) in g
    assert str(g.value(MKG.tgf_beta, SKOS.prefLabel)) == "TGF-beta"
    assert Literal("TGF-β") in set(g.objects(MKG.tgf_beta, SKOS.altLabel))


def test_direct_triple_and_association_node(graph):
    curated, g = graph
    (statement,) = curated.statements
    assert (MKG.hypoxia, MKG.promotes, MKG.angiogenesis) in g
    association = association_iri(statement)
    assert (association, RDF.type, BIOLINK.Association) in g
    assert g.value(association, RDF.subject) == MKG.hypoxia
    assert g.value(association, RDF.predicate) == MKG.promotes
    assert g.value(association, RDF.object) == MKG.angiogenesis
    assert str(g.value(association, BIOLINK.agent_type)) == "manual_agent"
    assert str(g.value(association, BIOLINK.knowledge_level)) == "knowledge_assertion"
    assert g.value(association, BIOLINK.publications) == MKG["document/wolf2025"]


def test_citation_shape_and_reference_resolution(graph):
    _, g = graph
    (citation,) = g.objects(association_iri(curation_statement(graph)), MKG.citation)
    assert str(g.value(citation, MKG.locator)) == "introduction/p4/s3"
    assert int(g.value(citation, MKG.charStart)) == 2237 and int(g.value(citation, MKG.paragraph)) == 4
    assert str(g.value(citation, MKG.certainty)) == "stated"
    assert g.value(citation, CITO.citesAsEvidence) == MKG["document/wolf2025/reference/4"]
    schneider_ref = MKG["document/schneider2025/reference/4"]
    assert "Epithelial-mesenchymal transition" in str(g.value(schneider_ref, URIRef("http://purl.org/dc/terms/bibliographicCitation")))


def curation_statement(graph):
    return graph[0].statements[0]


def test_predicates_carry_sign_and_mappings(graph):
    _, g = graph
    assert int(g.value(MKG.inhibits, MKG.sign)) == -1
    assert (MKG.inhibits, SKOS.exactMatch, expand("RO:0002212")) in g
    assert (MKG.promotes, SKOS.closeMatch, BIOLINK.affects) in g
    assert g.value(MKG.promotes, BIOLINK.qualified_predicate) == BIOLINK.causes
    assert str(g.value(MKG.promotes, BIOLINK.object_direction_qualifier)) == "increased"


def test_the_graph_conforms_and_a_citationless_association_does_not(graph):
    curated, g = graph
    assert validate.violations(g) == []
    association = association_iri(curated.statements[0])
    g.remove((association, MKG.citation, None))
    g.remove((MKG.angiogenesis, RDFS.label, None))
    with pytest.raises(ValidationError) as error:
        validate.check(g)
    found = {(v["focus"], v["path"]) for v in error.value.detail}
    assert ("mkg:angiogenesis", "rdfs:label") in found
    assert ("mkg:association/hypoxia--promotes--angiogenesis", "mkg:citation") in found


def test_exchange_graph_keeps_every_node_and_keys_edges_by_predicate(graph):
    _, g = graph
    exchange = to_networkx(g)
    assert exchange.nodes["mkg:emt"]["label"] == "epithelial-mesenchymal transition"
    assert exchange.nodes["mkg:emt"]["category"] == "biolink:BiologicalProcess"
    ((_, _, key, data),) = exchange.edges(keys=True, data=True)
    assert key == "promotes" and data["sign"] == 1
    assert data["citations"][0]["reference"]["number"] == 4
    assert "mkg:document/wolf2025" not in exchange  # documents are provenance, not knowledge


