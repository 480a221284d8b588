"""Read any RDF graph into the networkx exchange format that the index is built from.

The result is a ``MultiDiGraph`` keyed by predicate, so two relations between the same pair never
collide. Nodes are the IRIs related by a direct triple; their attributes come from
``rdfs:label``/``skos:prefLabel``, ``skos:altLabel``, ``skos:definition``, ``rdf:type`` and the
``skos:*Match`` mappings. Citations come from association nodes (``rdf:subject``/``rdf:predicate``/
``rdf:object``) and their ``mkg:citation`` records. Nothing here is specific to the curated data,
so ``kg serve --data FILE`` works on any RDF file; for data nobody here wrote, a triple between two
IRIs is an edge and anything missing simply stays empty.

>>> from rdflib import Graph
>>> g = to_networkx(Graph().parse(data='<http://x/a> <http://x/p> <http://x/b> .', format="nt"))
>>> list(g.edges(keys=True))
[('http://x/a', 'http://x/b', 'http://x/p')]
"""

from __future__ import annotations

import networkx as nx
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from kg.curation.model import polarity
from kg.vocab import BIBO, BIOLINK, CITO, FABIO, MKG, SSSOM, compact

SKOS_MATCHES = (SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch, SKOS.relatedMatch)
# predicates that describe a resource rather than relate two entities of the graph
NOT_RELATIONS = {RDF.type, RDF.subject, RDF.predicate, RDF.object, *SKOS_MATCHES, DCTERMS.source,
                 DCTERMS.isReferencedBy, CITO.cites, CITO.citesAsEvidence, BIOLINK.publications,
                 BIOLINK.primary_knowledge_source, MKG.citation}
# resources that carry provenance, not knowledge: their triples are never edges
RECORD_TYPES = {RDF.Statement, BIOLINK.Association, MKG.Citation, SSSOM.Mapping, BIOLINK.InformationResource}


def term_id(term: URIRef) -> str:
    """The id used in the exchange graph: the CURIE where a prefix covers the IRI."""
    return compact(str(term))


def predicate_key(term: URIRef) -> str:
    """Edge key: the local name for the project's own predicates, else the CURIE or IRI."""
    text = str(term)
    return text[len(str(MKG)):] if text.startswith(str(MKG)) else compact(text)


def _records(graph: Graph) -> set:
    records = set()
    for record_type in RECORD_TYPES:
        records.update(graph.subjects(RDF.type, record_type))
    records.update(graph.subjects(RDF.type, OWL.ObjectProperty))
    records.update(graph.subjects(MKG.sourceFile, None))
    records.update(graph.subjects(MKG.referenceNumber, None))
    return records


def _node_attributes(graph: Graph, iri: URIRef) -> dict:
    label = graph.value(iri, RDFS.label) or graph.value(iri, SKOS.prefLabel)
    types = sorted(str(t) for t in graph.objects(iri, RDF.type))
    biolink = [t for t in types if t.startswith(str(BIOLINK))]
    category = compact((biolink or types or [str(BIOLINK.NamedThing)])[0])
    return {
        "iri": str(iri),
        "label": str(label) if label is not None else _local_name(str(iri)),
        "category": category,
        "synonyms": sorted(str(s) for s in graph.objects(iri, SKOS.altLabel)),
        "definition": str(graph.value(iri, SKOS.definition) or ""),
        "xrefs": sorted(compact(str(x)) for m in SKOS_MATCHES for x in graph.objects(iri, m)),
    }


def _local_name(iri: str) -> str:
    return iri.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def _integer(graph: Graph, subject, predicate):
    value = graph.value(subject, predicate)
    return int(value) if value is not None else None


def _citation(graph: Graph, citation) -> dict:
    document = graph.value(citation, DCTERMS.source)
    reference = graph.value(citation, CITO.citesAsEvidence)
    return {
        "document": str(graph.value(document, DCTERMS.identifier) or compact(str(document))),
        "locator": str(graph.value(citation, MKG.locator) or ""),
        "reference": None if reference is None else {
            "number": _integer(graph, reference, MKG.referenceNumber),
            "entry": str(graph.value(reference, DCTERMS.bibliographicCitation) or "") or None,
            "note": str(graph.value(reference, SKOS.note) or "") or None,
        },
        "certainty": str(graph.value(citation, MKG.certainty) or "stated"),
        "statement": str(graph.value(citation, MKG.paraphrase) or ""),
        "span": {"start": _integer(graph, citation, MKG.charStart), "end": _integer(graph, citation, MKG.charEnd),
                 "sha256": str(graph.value(citation, MKG.spanSha256) or "")},
        "qualifiers": _qualifiers(graph, citation),
    }


def _qualifiers(graph: Graph, citation) -> dict | None:
    """The context a citation gives its relation (mediators, subject form, location), or None."""
    via = sorted(term_id(node) for node in graph.objects(citation, MKG.via))
    form, location = graph.value(citation, MKG.subjectForm), graph.value(citation, MKG.location)
    if not (via or form or location):
        return None
    return {"via": via, "subject_form": None if form is None else str(form),
            "location": None if location is None else term_id(location)}


def _provenance(graph: Graph, association) -> dict:
    """Biolink's provenance fields of an association, and for background knowledge the record checked."""
    fields = {name: graph.value(association, BIOLINK[name])
              for name in ("primary_knowledge_source", "knowledge_level", "agent_type")}
    provenance = {name: None if value is None else compact(str(value)) for name, value in fields.items()}
    record = graph.value(association, MKG.sourceRecord)
    if record is not None:
        provenance["source_record"] = compact(str(record))
        provenance["note"] = str(graph.value(association, SKOS.note) or "")
    return provenance


def _associations_by_triple(graph: Graph) -> dict[tuple, dict]:
    """Per asserted triple: its citations (by document and position) and its provenance."""
    found: dict[tuple, dict] = {}
    for association in graph.subjects(RDF.type, RDF.Statement):
        triple = tuple(graph.value(association, p) for p in (RDF.subject, RDF.predicate, RDF.object))
        citations = [_citation(graph, c) for c in graph.objects(association, MKG.citation)]
        citations.sort(key=lambda c: (c["document"], c["span"]["start"] or 0, c["locator"]))
        entry = found.setdefault(triple, {"citations": [], "provenance": _provenance(graph, association)})
        entry["citations"].extend(citations)
    return found


def _predicates(graph: Graph) -> dict[str, dict]:
    found = {
        predicate_key(p): {
            "label": str(graph.value(p, RDFS.label) or _local_name(str(p))),
            "sign": int(graph.value(p, MKG.sign)),
            "definition": str(graph.value(p, SKOS.definition) or ""),
            "parent": predicate_key(parent) if (parent := graph.value(p, RDFS.subPropertyOf)) else None,
            "hierarchy": (p, RDF.type, MKG.HierarchyProperty) in graph,
            "passes_sign": (p, RDF.type, MKG.SignPassingProperty) in graph,
        }
        for p in graph.subjects(MKG.sign, None)
    }
    for key, info in found.items():
        info["polarity"] = polarity(found, key)
    return found


def to_networkx(graph: Graph) -> nx.MultiDiGraph:
    """The exchange graph of an RDF graph (see the module docstring)."""
    records = _records(graph)
    associations = _associations_by_triple(graph)
    predicates = _predicates(graph)
    exchange = nx.MultiDiGraph(predicates=predicates)
    for label_property in (RDFS.label, SKOS.prefLabel):
        for iri in graph.subjects(label_property, None):
            if isinstance(iri, URIRef) and iri not in records and term_id(iri) not in exchange:
                exchange.add_node(term_id(iri), **_node_attributes(graph, iri))
    for s, p, o in graph.triples((None, None, None)):
        if (p in NOT_RELATIONS or isinstance(o, Literal) or not isinstance(s, URIRef)
                or not isinstance(o, URIRef) or s in records or o in records):
            continue
        for iri in (s, o):
            if term_id(iri) not in exchange:
                exchange.add_node(term_id(iri), **_node_attributes(graph, iri))
        key = predicate_key(p)
        association = associations.get((s, p, o), {})
        exchange.add_edge(term_id(s), term_id(o), key=key, predicate=key, sign=predicates.get(key, {}).get("sign", 0),
                          citations=association.get("citations", []), provenance=association.get("provenance"))
    return exchange


def document_records(graph: Graph) -> dict[str, dict]:
    """Bibliographic records of the documents an RDF graph describes (``mkg:sourceFile`` marks them),
    with their numbered reference lists, keyed by document id."""
    records = {}
    for iri in graph.subjects(MKG.sourceFile, None):
        identifier = str(graph.value(iri, DCTERMS.identifier) or compact(str(iri)))
        references = sorted(
            ({"number": _integer(graph, ref, MKG.referenceNumber),
              "entry": str(graph.value(ref, DCTERMS.bibliographicCitation) or "") or None}
             for ref in graph.objects(iri, CITO.cites)),
            key=lambda ref: ref["number"] or 0)
        records[identifier] = {
            "id": identifier,
            "iri": str(iri),
            "title": str(graph.value(iri, DCTERMS.title) or ""),
            "type": compact(str(graph.value(iri, RDF.type) or "")),
            "authors": sorted(str(a) for a in graph.objects(iri, DCTERMS.creator)),
            "journal": _text(graph, iri, DCTERMS.isPartOf),
            "year": _text(graph, iri, FABIO.hasPublicationYear),
            "volume": _text(graph, iri, BIBO.volume),
            "issue": _text(graph, iri, BIBO.issue),
            "pages": _text(graph, iri, BIBO.pages),
            "doi": _text(graph, iri, BIBO.doi),
            "url": _text(graph, iri, FABIO.hasURL),
            "license": _text(graph, iri, DCTERMS.license),
            "references": references,
        }
    return records


def _text(graph: Graph, subject, predicate) -> str | None:
    value = graph.value(subject, predicate)
    return None if value is None else str(value)
