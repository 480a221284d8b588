"""The curated model as RDF: direct triples, association nodes with citations, documents.

Each relation is asserted twice over: the direct triple ``mkg:hypoxia mkg:promotes
mkg:angiogenesis`` for plain queries, and beside it an association node (``rdf:subject`` /
``rdf:predicate`` / ``rdf:object``, typed ``biolink:Association`` and ``rdf:Statement``) that
carries the provenance fields of Biolink and one ``mkg:Citation`` per place a document states
it. Documents and their numbered references are nodes too, so a query can walk from an edge to
the literature behind it. No RDF-star: every store and rdflib can read it.
"""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, XSD

from kg.curation.model import (
    KNOWLEDGE_SOURCES,
    XREF_SOURCES,
    BackgroundFact,
    Citation,
    CuratedGraph,
    Document,
    Node,
    Predicate,
    Statement,
)
from kg.vocab import BIBO, BIOLINK, CITO, FABIO, INFORES, MKG, SEMAPV, SSSOM, bind_prefixes, expand

SKOS_MATCH = {"exact": SKOS.exactMatch, "close": SKOS.closeMatch, "broad": SKOS.broadMatch,
              "narrow": SKOS.narrowMatch, "related": SKOS.relatedMatch}
DOCUMENT_CLASSES = {"article": FABIO.JournalArticle, "opinion": FABIO.JournalArticle,
                    "commentary": FABIO.JournalArticle, "webpage": FABIO.WebPage}
KNOWLEDGE_SOURCE = INFORES["metastasis-kg"]
#: the Biolink qualifiers a predicate's mapping in data/predicates.yaml may give
BIOLINK_QUALIFIERS = ("qualified_predicate", "object_aspect_qualifier", "object_direction_qualifier")


def node_iri(node_id: str) -> URIRef:
    return MKG[node_id]


def document_iri(document_id: str) -> URIRef:
    return MKG[f"document/{document_id}"]


def reference_iri(document_id: str, number: int) -> URIRef:
    return MKG[f"document/{document_id}/reference/{number}"]


def association_iri(statement: Statement | BackgroundFact) -> URIRef:
    return MKG[f"association/{statement.subject}--{statement.predicate}--{statement.object}"]


def _add_node(graph: Graph, node: Node) -> None:
    iri = node_iri(node.id)
    graph.add((iri, RDF.type, BIOLINK[node.category]))
    graph.add((iri, RDFS.label, Literal(node.label)))
    graph.add((iri, SKOS.prefLabel, Literal(node.label)))
    graph.add((iri, SKOS.definition, Literal(node.definition)))
    for synonym in node.synonyms:
        graph.add((iri, SKOS.altLabel, Literal(synonym)))
    for xref in node.xrefs:
        target, relation = expand(xref.id), SKOS_MATCH[xref.match]
        graph.add((iri, relation, target))
        mapping = MKG[f"mapping/{node.id}/{xref.id.replace(':', '_')}"]
        graph.add((mapping, RDF.type, SSSOM.Mapping))
        graph.add((mapping, SSSOM.subject_id, iri))
        graph.add((mapping, SSSOM.predicate_id, relation))
        graph.add((mapping, SSSOM.object_id, target))
        graph.add((mapping, SSSOM.object_source, expand(XREF_SOURCES[xref.source])))
        graph.add((mapping, SSSOM.mapping_justification, SEMAPV.ManualMappingCuration))


def _add_predicate(graph: Graph, predicate: Predicate) -> None:
    iri = MKG[predicate.id]
    graph.add((iri, RDF.type, OWL.ObjectProperty))
    graph.add((iri, RDFS.label, Literal(predicate.label)))
    graph.add((iri, SKOS.definition, Literal(predicate.definition)))
    graph.add((iri, MKG.sign, Literal(predicate.sign, datatype=XSD.integer)))
    if predicate.hierarchy:
        graph.add((iri, RDF.type, MKG.HierarchyProperty))
    if predicate.passes_sign:
        graph.add((iri, RDF.type, MKG.SignPassingProperty))
    if predicate.parent:
        graph.add((iri, RDFS.subPropertyOf, MKG[predicate.parent]))
    for mapping in (predicate.biolink, predicate.ro):
        if not mapping:
            continue
        target = expand(mapping.get("predicate") or mapping["id"])
        graph.add((iri, SKOS_MATCH[mapping.get("match", "exact")], target))
    for qualifier in BIOLINK_QUALIFIERS:  # carried by every edge of this predicate in a Biolink export
        value = predicate.biolink.get(qualifier)
        if value:  # qualified_predicate names a predicate, the others take a value of a Biolink enum
            graph.add((iri, BIOLINK[qualifier], expand(value) if ":" in value else Literal(value)))


def _add_document(graph: Graph, document: Document) -> None:
    iri = document_iri(document.id)
    bib = document.bibliographic
    graph.add((iri, RDF.type, DOCUMENT_CLASSES.get(document.type, FABIO.Work)))
    graph.add((iri, DCTERMS.identifier, Literal(document.id)))
    graph.add((iri, DCTERMS.title, Literal(document.title)))
    graph.add((iri, MKG.sourceFile, Literal(document.file)))
    graph.add((iri, MKG.sourceSha256, Literal(document.sha256)))
    for author in document.authors:
        graph.add((iri, DCTERMS.creator, Literal(author)))
    for key, prop in (("journal", DCTERMS.isPartOf), ("volume", BIBO.volume), ("issue", BIBO.issue),
                      ("pages", BIBO.pages), ("doi", BIBO.doi), ("license", DCTERMS.license),
                      ("publisher", DCTERMS.publisher), ("affiliation", MKG.affiliation)):
        if bib.get(key):
            graph.add((iri, prop, Literal(str(bib[key]))))
    if bib.get("year"):
        graph.add((iri, FABIO.hasPublicationYear, Literal(str(bib["year"]), datatype=XSD.gYear)))
    if bib.get("date"):
        graph.add((iri, DCTERMS.date, Literal(str(bib["date"]), datatype=XSD.date)))
    if bib.get("url"):
        graph.add((iri, FABIO.hasURL, Literal(bib["url"])))
    for number in range(1, document.reference_count + 1):
        reference = reference_iri(document.id, number)
        graph.add((iri, CITO.cites, reference))
        graph.add((reference, RDF.type, BIBO.Document))
        graph.add((reference, MKG.referenceNumber, Literal(number, datatype=XSD.integer)))
        graph.add((reference, DCTERMS.isReferencedBy, iri))
        entry = document.reference_entry(number)
        if entry:
            graph.add((reference, DCTERMS.bibliographicCitation, Literal(entry)))
        else:  # say so, rather than leave a reader with a silent gap
            graph.add((reference, SKOS.note, Literal(unlisted_reference_note(document, number))))


def unlisted_reference_note(document: Document, number: int) -> str:
    """What a reader is told of a numbered reference whose entry the document does not print.

    >>> unlisted_reference_note(Document("wolf2025", "", "", "", "", {}), 4)
    'reference 4 of wolf2025 (the document prints no reference list)'
    """
    why = "the document prints no reference list" if not document.references else "not in the document's list"
    return f"reference {number} of {document.id} ({why})"


def citation_iri(statement: Statement, citation: Citation) -> URIRef:
    return URIRef(f"{association_iri(statement)}/{citation.document}/{citation.locator}")


def _add_citation(graph: Graph, statement: Statement, citation: Citation) -> URIRef:
    iri = citation_iri(statement, citation)
    section, paragraph, sentences = citation.locator.split("/")
    first, _, last = sentences[1:].partition("-")
    graph.add((iri, RDF.type, MKG.Citation))
    graph.add((iri, DCTERMS.source, document_iri(citation.document)))
    graph.add((iri, MKG.locator, Literal(citation.locator)))
    graph.add((iri, MKG.section, Literal(section)))
    graph.add((iri, MKG.paragraph, Literal(int(paragraph[1:]), datatype=XSD.integer)))
    graph.add((iri, MKG.firstSentence, Literal(int(first), datatype=XSD.integer)))
    graph.add((iri, MKG.lastSentence, Literal(int(last or first), datatype=XSD.integer)))
    graph.add((iri, MKG.charStart, Literal(citation.start, datatype=XSD.integer)))
    graph.add((iri, MKG.charEnd, Literal(citation.end, datatype=XSD.integer)))
    graph.add((iri, MKG.spanSha256, Literal(citation.sha256)))
    graph.add((iri, MKG.certainty, Literal(citation.certainty)))
    graph.add((iri, MKG.paraphrase, Literal(citation.statement)))
    if citation.reference is not None:
        graph.add((iri, CITO.citesAsEvidence, reference_iri(citation.document, citation.reference)))
    for mediator in citation.qualifiers.via:
        graph.add((iri, MKG.via, node_iri(mediator)))
    if citation.qualifiers.subject_form:
        graph.add((iri, MKG.subjectForm, Literal(citation.qualifiers.subject_form)))
    if citation.qualifiers.location:
        graph.add((iri, MKG.location, node_iri(citation.qualifiers.location)))
    return iri


def _add_association(graph: Graph, relation: Statement | BackgroundFact, source: URIRef) -> URIRef:
    """The direct triple and, beside it, the association node with its provenance fields."""
    subject, predicate, obj = node_iri(relation.subject), MKG[relation.predicate], node_iri(relation.object)
    graph.add((subject, predicate, obj))
    association = association_iri(relation)
    graph.add((association, RDF.type, BIOLINK.Association))
    graph.add((association, RDF.type, RDF.Statement))
    graph.add((association, RDF.subject, subject))
    graph.add((association, RDF.predicate, predicate))
    graph.add((association, RDF.object, obj))
    graph.add((association, BIOLINK.primary_knowledge_source, source))
    graph.add((association, BIOLINK.knowledge_level, Literal("knowledge_assertion")))
    graph.add((association, BIOLINK.agent_type, Literal("manual_agent")))
    return association


def _add_background(graph: Graph, fact: BackgroundFact) -> None:
    """A hierarchy relation from a standard resource: typed mkg:BackgroundKnowledge, it names the
    resource as primary source (this graph aggregates it) and the record checked there."""
    association = _add_association(graph, fact, expand(fact.knowledge_source))
    graph.add((association, RDF.type, MKG.BackgroundKnowledge))
    graph.add((association, BIOLINK.aggregator_knowledge_source, KNOWLEDGE_SOURCE))
    graph.add((association, MKG.sourceRecord, expand(fact.record)))
    graph.add((association, SKOS.note, Literal(fact.note)))


def _add_statement(graph: Graph, statement: Statement) -> None:
    association = _add_association(graph, statement, KNOWLEDGE_SOURCE)
    graph.add((association, RDF.type, MKG.DocumentClaim))
    if statement.unsigned_because:  # the curator's reason why a causal relation carries no sign
        graph.add((association, MKG.unsignedBecause, Literal(statement.unsigned_because)))
    for document in sorted({c.document for c in statement.citations}):
        graph.add((association, BIOLINK.publications, document_iri(document)))
    for citation in statement.citations:
        graph.add((association, MKG.citation, _add_citation(graph, statement, citation)))


def to_rdf(curated: CuratedGraph) -> Graph:
    """The whole curated graph as one rdflib Graph with the project's prefixes bound."""
    graph = Graph()
    bind_prefixes(graph)
    graph.add((KNOWLEDGE_SOURCE, RDF.type, BIOLINK.InformationResource))
    graph.add((KNOWLEDGE_SOURCE, RDFS.label, Literal("metastasis-kg, manually curated")))
    for source in {fact.knowledge_source for fact in curated.background}:
        graph.add((expand(source), RDF.type, BIOLINK.InformationResource))
        graph.add((expand(source), RDFS.label, Literal(KNOWLEDGE_SOURCES[source])))
    for node in curated.nodes.values():
        _add_node(graph, node)
    for predicate in curated.predicates.values():
        _add_predicate(graph, predicate)
    for document in curated.documents.values():
        _add_document(graph, document)
    for statement in curated.statements:
        _add_statement(graph, statement)
    for fact in curated.background:
        _add_background(graph, fact)
    return graph
