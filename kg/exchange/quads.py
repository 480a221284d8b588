"""Read a graph's nodes, relations and evidence straight from a pyoxigraph store.

This module is the one definition of what the service reads from RDF; the array index
(:func:`build_index`), the networkx exchange graph (:mod:`kg.exchange.graph`) and the documents'
records (:func:`document_records`) are all made from what it reads. Nodes are the IRIs related by
a direct triple or given a label; their attributes come from ``rdfs:label``/``skos:prefLabel``,
``skos:altLabel``, ``skos:definition``, ``rdf:type`` and the ``skos:*Match`` mappings. Citations
come from association nodes (``rdf:subject``/``rdf:predicate``/``rdf:object``) and their
``mkg:citation`` records. Nothing here is specific to the curated data, so ``kg serve --data FILE``
works on any RDF file; for data nobody here wrote, a triple between two IRIs is an edge and
anything missing simply stays empty. Every graph of the dataset counts (their union).

Why a store and not rdflib: a Hetionet-sized file (2.35M triples) took minutes through an rdflib
graph and a networkx one; here the relations are read one predicate at a time, their ends
numbered as they come, so the work per triple is a few dictionary look-ups (``bench/serve.py``).

>>> store = ox.Store()
>>> store.load(b'<http://x/a> <http://x/p> <http://x/b> ; <http://www.w3.org/2000/01/rdf-schema#label> "A" .',
...            format=ox.RdfFormat.TURTLE)
>>> graph = read_graph(store)
>>> graph.node_ids, [node["label"] for node in graph.nodes], graph.predicate_names
(['http://x/a', 'http://x/b'], ['A', 'b'], ['http://x/p'])
>>> build_index(store).edge(0).to_dict()["object"]
{'id': 'http://x/b', 'label': 'b', 'category': 'biolink:NamedThing'}
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pyoxigraph as ox
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from kg.curation.model import polarity
from kg.query.index import Citation, GraphIndex, shared_provenance
from kg.vocab import BIBO, BIOLINK, CITO, FABIO, MKG, SSSOM, compact

SKOS_MATCHES = (SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch, SKOS.relatedMatch)
# predicates that describe a resource rather than relate two entities of the graph
NOT_RELATIONS = {RDF.type, RDF.subject, RDF.predicate, RDF.object, *SKOS_MATCHES, DCTERMS.source,
                 DCTERMS.isReferencedBy, CITO.cites, CITO.citesAsEvidence, BIOLINK.publications,
                 BIOLINK.primary_knowledge_source, MKG.citation}
# resources that carry provenance, not knowledge: their triples are never edges
RECORD_TYPES = (RDF.Statement, BIOLINK.Association, MKG.Citation, SSSOM.Mapping, BIOLINK.InformationResource,
                OWL.ObjectProperty)
DEFAULT_CATEGORY = str(BIOLINK.NamedThing)


def term_id(iri: str) -> str:
    """The id of a node: the CURIE where a prefix covers the IRI."""
    return compact(str(iri))


def predicate_key(iri: str) -> str:
    """Edge key: the local name for the project's own predicates, else the CURIE or IRI."""
    text = str(iri)
    return text[len(str(MKG)):] if text.startswith(str(MKG)) else compact(text)


@dataclass
class GraphRecords:
    """What a graph says, as columns: node ``i`` is ``node_ids[i]`` (sorted) with the attributes
    ``nodes[i]``; edge ``j`` is ``src[j] -predicate_names[predicate_codes[j]]-> dst[j]`` with the
    citations and provenance ``evidence[j]`` where it has an association node. ``predicates`` holds
    the declared predicates (those with an ``mkg:sign``), with or without edges."""

    node_ids: list[str]
    nodes: list[dict]
    src: np.ndarray
    dst: np.ndarray
    predicate_codes: np.ndarray
    predicate_names: list[str]
    evidence: dict[int, dict]
    predicates: dict[str, dict]

    @property
    def edge_count(self) -> int:
        return int(self.src.size)


def _node(iri) -> ox.NamedNode:
    return ox.NamedNode(str(iri))


def _objects(store: ox.Store, subject, predicate) -> Iterator:
    return (quad.object for quad in store.quads_for_pattern(subject, _node(predicate), None))


def _subjects(store: ox.Store, predicate, obj=None) -> Iterator:
    return (quad.subject for quad in store.quads_for_pattern(None, _node(predicate), obj))


def _value(store: ox.Store, subject, predicate):
    """One object of ``subject predicate ?``, or None (as rdflib's ``Graph.value``)."""
    return next(_objects(store, subject, predicate), None) if subject is not None else None


def _text(store: ox.Store, subject, predicate) -> str | None:
    value = _value(store, subject, predicate)
    return None if value is None else value.value


def _integer(store: ox.Store, subject, predicate) -> int | None:
    value = _value(store, subject, predicate)
    return None if value is None else int(value.value)


def _local_name(iri: str) -> str:
    return iri.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def _record_iris(store: ox.Store) -> set[str]:
    """IRIs of the resources that carry provenance or describe the vocabulary: never nodes."""
    records = {s.value for t in RECORD_TYPES for s in _subjects(store, RDF.type, _node(t))}
    for marker in (MKG.sourceFile, MKG.referenceNumber):
        records.update(s.value for s in _subjects(store, marker))
    return records


def _values_by_subject(store: ox.Store, predicate) -> dict[str, list[str]]:
    """``predicate``'s objects (their lexical values) per subject IRI, sorted."""
    found: dict[str, list[str]] = {}
    for quad in store.quads_for_pattern(None, _node(predicate), None):
        if isinstance(quad.subject, ox.NamedNode):
            found.setdefault(quad.subject.value, []).append(quad.object.value)
    for values in found.values():
        values.sort()
    return found


class _NodeAttributes:
    """Every node's attributes, read with one pass per describing predicate."""

    def __init__(self, store: ox.Store):
        self.labels = _values_by_subject(store, RDFS.label)
        self.preferred = _values_by_subject(store, SKOS.prefLabel)
        self.types = _values_by_subject(store, RDF.type)
        self.synonyms = _values_by_subject(store, SKOS.altLabel)
        self.definitions = _values_by_subject(store, SKOS.definition)
        self.matches = [_values_by_subject(store, match) for match in SKOS_MATCHES]

    def labelled(self) -> set[str]:
        return set(self.labels) | set(self.preferred)

    def of(self, iri: str) -> dict:
        # an empty label counts as none, as it did when rdflib read the graph (an empty literal is false)
        label = next((v for v in self.labels.get(iri, ()) if v), None) or next(
            (v for v in self.preferred.get(iri, ()) if v), None)
        types = self.types.get(iri, [])
        biolink = [t for t in types if t.startswith(str(BIOLINK))]
        return {
            "iri": iri,
            "label": label if label is not None else _local_name(iri),
            "category": compact((biolink or types or [DEFAULT_CATEGORY])[0]),
            "synonyms": list(self.synonyms.get(iri, ())),
            "definition": next(iter(self.definitions.get(iri, ())), ""),
            "xrefs": sorted(compact(x) for match in self.matches for x in match.get(iri, ())),
        }


def _relation_predicates(store: ox.Store) -> list[str]:
    """The distinct predicates of the dataset that may relate two nodes, sorted."""
    used = store.query("SELECT DISTINCT ?p WHERE { ?s ?p ?o }", use_default_graph_as_union=True)
    skipped = {str(p) for p in NOT_RELATIONS}
    return sorted(p for p in (row["p"].value for row in used) if p not in skipped)


def _relations(store: ox.Store, records: set[str]) -> tuple[dict[str, int], array, array, array, list[str]]:
    """Every triple between two node IRIs: the IRIs numbered in order of appearance, and per
    triple (subject number, object number, predicate key number), each triple once."""
    numbers: dict[str, int] = {}
    src, dst, keys = array("i"), array("i"), array("i")
    key_names: list[str] = []
    for predicate in _relation_predicates(store):
        before = len(src)
        for quad in store.quads_for_pattern(None, ox.NamedNode(predicate), None):
            subject, obj = quad.subject, quad.object
            if type(subject) is ox.NamedNode and type(obj) is ox.NamedNode:
                s, o = subject.value, obj.value
                if s not in records and o not in records:
                    src.append(numbers.setdefault(s, len(numbers)))
                    dst.append(numbers.setdefault(o, len(numbers)))
        if len(src) > before:  # a predicate that relates no two nodes (a label, a literal) is no edge key
            key = predicate_key(predicate)
            if key not in key_names:
                key_names.append(key)
            keys.extend([key_names.index(key)] * (len(src) - before))
    return numbers, src, dst, keys, key_names


def _citation(store: ox.Store, citation) -> dict:
    document = _value(store, citation, DCTERMS.source)
    reference = _value(store, citation, CITO.citesAsEvidence)
    return {
        "document": "" if document is None else (_text(store, document, DCTERMS.identifier)
                                                 or compact(document.value)),
        "locator": _text(store, citation, MKG.locator) or "",
        "reference": None if reference is None else {
            "number": _integer(store, reference, MKG.referenceNumber),
            "entry": _text(store, reference, DCTERMS.bibliographicCitation) or None,
            "note": _text(store, reference, SKOS.note) or None,
        },
        "certainty": _text(store, citation, MKG.certainty) or "stated",
        "statement": _text(store, citation, MKG.paraphrase) or "",
        "span": {"start": _integer(store, citation, MKG.charStart), "end": _integer(store, citation, MKG.charEnd),
                 "sha256": _text(store, citation, MKG.spanSha256) or ""},
        "qualifiers": _qualifiers(store, citation),
    }


def _qualifiers(store: ox.Store, citation) -> dict | None:
    """The context a citation gives its relation (mediators, subject form, location), or None."""
    via = sorted(term_id(node.value) for node in _objects(store, citation, MKG.via))
    form, location = _value(store, citation, MKG.subjectForm), _value(store, citation, MKG.location)
    if not (via or form or location):
        return None
    return {"via": via, "subject_form": None if form is None else form.value,
            "location": None if location is None else term_id(location.value)}


def _provenance(store: ox.Store, association) -> dict:
    """Biolink's provenance fields of an association, and for background knowledge the record checked."""
    provenance = {name: None if (value := _value(store, association, BIOLINK[name])) is None
                  else compact(value.value)
                  for name in ("primary_knowledge_source", "knowledge_level", "agent_type")}
    record = _value(store, association, MKG.sourceRecord)
    if record is not None:
        provenance["source_record"] = compact(record.value)
        provenance["note"] = _text(store, association, SKOS.note) or ""
    return provenance


def _evidence_by_triple(store: ox.Store) -> dict[tuple[str, str, str], dict]:
    """Per asserted (subject IRI, predicate key, object IRI): its citations (by document and position)
    and its provenance; associations in IRI order, so that a triple with several is read the same way
    every time."""
    found: dict[tuple, dict] = {}
    associations = {s for s in _subjects(store, RDF.type, _node(RDF.Statement))}
    for association in sorted(associations, key=str):
        ends = [_value(store, association, p) for p in (RDF.subject, RDF.predicate, RDF.object)]
        subject, predicate, obj = (None if end is None else end.value for end in ends)
        triple = (subject, None if predicate is None else predicate_key(predicate), obj)
        citations = [_citation(store, c) for c in _objects(store, association, MKG.citation)]
        citations.sort(key=lambda c: (c["document"], c["span"]["start"] or 0, c["locator"]))
        entry = found.setdefault(triple, {"citations": [], "provenance": _provenance(store, association)})
        entry["citations"].extend(citations)
    return found


def _predicates(store: ox.Store) -> dict[str, dict]:
    """The declared predicates (those with an ``mkg:sign``): label, sign, definition, place in the hierarchy."""
    found = {}
    for predicate in {s for s in _subjects(store, MKG.sign)}:
        parent = _value(store, predicate, RDFS.subPropertyOf)
        types = {t.value for t in _objects(store, predicate, RDF.type)}
        found[predicate_key(predicate.value)] = {
            "label": _text(store, predicate, RDFS.label) or _local_name(predicate.value),
            "sign": _integer(store, predicate, MKG.sign),
            "definition": _text(store, predicate, SKOS.definition) or "",
            "parent": predicate_key(parent.value) if parent is not None else None,
            "hierarchy": str(MKG.HierarchyProperty) in types,
            "passes_sign": str(MKG.SignPassingProperty) in types,
        }
    for key, info in found.items():
        info["polarity"] = polarity(found, key)
    return found


def read_graph(store: ox.Store) -> GraphRecords:
    """Everything the service knows about a graph, read from ``store`` (see the module docstring)."""
    records = _record_iris(store)
    attributes = _NodeAttributes(store)
    numbers, src, dst, keys, key_names = _relations(store, records)
    for iri in attributes.labelled() - records:
        numbers.setdefault(iri, len(numbers))
    iris = list(numbers)
    node_ids = [term_id(iri) for iri in iris]
    order = sorted(range(len(iris)), key=node_ids.__getitem__)
    position = np.empty(len(iris), dtype=np.int32)
    position[order] = np.arange(len(iris), dtype=np.int32)
    src, dst = position[np.frombuffer(src, dtype=np.int32)], position[np.frombuffer(dst, dtype=np.int32)]
    predicate_codes = np.frombuffer(keys, dtype=np.int32).astype(np.int16)
    # a triple asserted in several graphs, or under two IRIs with one key, is one edge
    triples = np.stack([src, predicate_codes.astype(np.int32), dst])
    _, first = np.unique(triples, axis=1, return_index=True)
    first.sort()
    src, dst, predicate_codes = src[first], dst[first], predicate_codes[first]
    evidence = _evidence_by_triple(store)
    edge_evidence = {}
    if evidence:
        for edge, (s, p, o) in enumerate(zip(src.tolist(), predicate_codes.tolist(), dst.tolist(), strict=True)):
            found = evidence.get((iris[order[s]], key_names[p], iris[order[o]]))
            if found is not None:
                edge_evidence[edge] = found
    return GraphRecords(
        node_ids=[node_ids[i] for i in order],
        nodes=[attributes.of(iris[i]) for i in order],
        src=src, dst=dst, predicate_codes=predicate_codes, predicate_names=key_names,
        evidence=edge_evidence, predicates=_predicates(store),
    )


def index_of(graph: GraphRecords) -> GraphIndex:
    """The array index of a read graph, with the documents' disagreements flagged on its edges."""
    # conflicts are worked out by the query layer above the index
    from kg.query.conflicts import flag_conflicts

    # Predicates of the model without edges stay known: filtering by them finds nothing.
    names = sorted(set(graph.predicate_names) | set(graph.predicates))
    remap = np.array([names.index(name) for name in graph.predicate_names] or [0], dtype=np.int16)
    citations = provenance = None
    if graph.evidence:  # else every edge has none: the index then skips its per-edge records
        citations, provenance = [()] * graph.edge_count, [None] * graph.edge_count
        for edge, found in graph.evidence.items():
            citations[edge] = tuple(Citation.from_record(c) for c in found["citations"])
            provenance[edge] = found["provenance"]
        provenance = shared_provenance(provenance)
    index = GraphIndex(
        graph.node_ids, graph.src, graph.dst, remap[graph.predicate_codes], names,
        labels=[node["label"] for node in graph.nodes],
        categories=[node["category"] for node in graph.nodes],
        synonyms=[node["synonyms"] for node in graph.nodes],
        xrefs=[node["xrefs"] for node in graph.nodes],
        definitions=[node["definition"] for node in graph.nodes],
        iris=[node["iri"] for node in graph.nodes],
        predicate_info=graph.predicates,
        citations=citations,
        provenance=provenance,
    )
    flag_conflicts(index)
    return index


def build_index(store: ox.Store) -> GraphIndex:
    """The array index that the REST queries run on, straight from ``store``."""
    return index_of(read_graph(store))


def document_records(store: ox.Store) -> dict[str, dict]:
    """Bibliographic records of the documents a graph describes (``mkg:sourceFile`` marks them),
    with their numbered reference lists, keyed by document id."""
    records = {}
    for document in {s for s in _subjects(store, MKG.sourceFile)}:
        identifier = _text(store, document, DCTERMS.identifier) or compact(document.value)
        references = sorted(
            ({"number": _integer(store, reference, MKG.referenceNumber),
              "entry": _text(store, reference, DCTERMS.bibliographicCitation) or None}
             for reference in _objects(store, document, CITO.cites)),
            key=lambda reference: reference["number"] or 0)
        document_type = _value(store, document, RDF.type)
        records[identifier] = {
            "id": identifier,
            "iri": document.value,
            "title": _text(store, document, DCTERMS.title) or "",
            "type": compact(document_type.value if document_type is not None else ""),
            "authors": sorted(author.value for author in _objects(store, document, DCTERMS.creator)),
            "journal": _text(store, document, DCTERMS.isPartOf),
            "year": _text(store, document, FABIO.hasPublicationYear),
            "volume": _text(store, document, BIBO.volume),
            "issue": _text(store, document, BIBO.issue),
            "pages": _text(store, document, BIBO.pages),
            "doi": _text(store, document, BIBO.doi),
            "url": _text(store, document, FABIO.hasURL),
            "license": _text(store, document, DCTERMS.license),
            "references": references,
        }
    return records
