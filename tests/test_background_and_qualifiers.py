"""Background knowledge (data/hierarchy.yaml) and statement qualifiers: how they load, what the loader
refuses with file:line, and how they reach the RDF graph and the index."""

import pytest
from rdflib import Literal
from rdflib.namespace import RDF, SKOS

from kg.curation import loader as curation
from kg.curation.rdf import association_iri, to_rdf
from kg.errors import CurationError
from kg.exchange.graph import to_networkx
from kg.query.index import GraphIndex
from kg.vocab import BIOLINK, MKG, expand
from tests.conftest import write_statements
from tests.test_curation import GOOD, PASSAGES

BACKGROUND = """\
- subject: caf
  predicate: subclass_of
  object: fibroblast
  knowledge_source: infores:cl
  record: CL:0000057
  note: A tumour's fibroblast is still a fibroblast.
"""
QUALIFIED = GOOD.replace("    citations:\n", "    qualifiers:\n      via: [hif]\n      location: primary_tumor\n"
                                            "    citations:\n", 1)


def test_background_fact_loads_and_becomes_an_uncited_association(scratch_data):
    write_statements(scratch_data, GOOD, PASSAGES)
    (scratch_data / "hierarchy.yaml").write_text(BACKGROUND)
    curated = curation.load(scratch_data)
    (fact,) = curated.background
    assert (fact.key, fact.knowledge_source, fact.record) == (("caf", "subclass_of", "fibroblast"), "infores:cl",
                                                              "CL:0000057")
    graph = to_rdf(curated)
    association = association_iri(fact)
    assert (association, RDF.type, MKG.BackgroundKnowledge) in graph
    assert graph.value(association, BIOLINK.primary_knowledge_source) == expand("infores:cl")
    assert graph.value(association, MKG.sourceRecord) == expand("CL:0000057")
    assert graph.value(association, SKOS.note) == Literal(fact.note)
    assert graph.value(association, MKG.citation) is None
    index = GraphIndex.from_networkx(to_networkx(graph))
    (edge,) = [e for e in index.edges(range(index.edge_count)) if e.predicate == "subclass_of"]
    assert edge.background and not edge.citations
    assert edge.to_dict()["provenance"]["source_record"] == "CL:0000057"
    (claim,) = [e for e in index.edges(range(index.edge_count)) if e.predicate == "promotes"]
    assert not claim.background and claim.provenance.primary_knowledge_source == "infores:metastasis-kg"


@pytest.mark.parametrize("change, message", [
    (("predicate: subclass_of", "predicate: promotes"), "hierarchy.yaml:1: background knowledge is a hierarchy "
                                                        "relation; use one of member_of, subclass_of"),
    (("knowledge_source: infores:cl", "knowledge_source: infores:wikipedia"), "knowledge_source must be one of"),
    (("record: CL:0000057", "record: fibroblast"), "record 'fibroblast' is not a CURIE with a declared prefix"),
    (("object: fibroblast", "object: fibroblasts"), "hierarchy.yaml:1: unknown object node 'fibroblasts'"),
    (("  note: A tumour's fibroblast is still a fibroblast.\n", ""), "background fact lacks note"),
])
def test_bad_background_facts_fail_with_file_line_and_reason(scratch_data, change, message):
    write_statements(scratch_data, GOOD, PASSAGES)
    (scratch_data / "hierarchy.yaml").write_text(BACKGROUND.replace(*change))
    with pytest.raises(CurationError, match=message):
        curation.load(scratch_data)


def test_a_background_fact_a_document_states_is_refused(scratch_data):
    write_statements(scratch_data, GOOD.replace("predicate: promotes", "predicate: member_of"), PASSAGES)
    (scratch_data / "hierarchy.yaml").write_text(
        BACKGROUND.replace("caf", "hypoxia").replace("subclass_of", "member_of").replace("fibroblast", "angiogenesis"))
    with pytest.raises(CurationError, match="is stated by a document"):
        curation.load(scratch_data)


def test_qualifiers_reach_every_citation_of_the_record_and_the_rdf(scratch_data):
    write_statements(scratch_data, QUALIFIED, PASSAGES)
    curated = curation.load(scratch_data)
    (citation,) = curated.statements[0].citations
    assert (citation.qualifiers.via, citation.qualifiers.location) == (("hif",), "primary_tumor")
    graph = to_rdf(curated)
    node = next(graph.subjects(RDF.type, MKG.Citation))
    assert graph.value(node, MKG.via) == MKG.hif and graph.value(node, MKG.location) == MKG.primary_tumor
    index = GraphIndex.from_networkx(to_networkx(graph))
    (edge,) = index.edges(range(index.edge_count))
    assert edge.citations[0].to_dict()["qualifiers"] == {"via": ["mkg:hif"], "subject_form": None,
                                                          "location": "mkg:primary_tumor"}


@pytest.mark.parametrize("change, message", [
    (("via: [hif]", "via: [hiff]"), "unknown node 'hiff' in qualifiers"),
    (("via: [hif]", "via: [hypoxia]"), "a qualifier names the statement's own subject or object"),
    (("location: primary_tumor", "subject_form: broken"), "subject_form must be one of mutant"),
    (("location: primary_tumor", "place: lung"), "qualifiers has unknown field"),
])
def test_bad_qualifiers_fail_with_file_line_and_reason(scratch_data, change, message):
    write_statements(scratch_data, QUALIFIED.replace(*change), PASSAGES)
    with pytest.raises(CurationError, match=message):
        curation.load(scratch_data)


def test_the_curated_hierarchy_links_each_concept_to_its_group():
    curated = curation.load()
    facts = {fact.key: fact for fact in curated.background}
    assert facts["tgf_beta", "member_of", "tgf_beta_signaling"].record == "GO:0007179"
    assert facts["caf", "subclass_of", "fibroblast"].knowledge_source == "infores:cl"
    stated = {statement.key for statement in curated.statements}
    assert not stated & set(facts)
