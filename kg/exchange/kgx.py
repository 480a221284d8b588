"""KGX, the Biolink Model's exchange format, as Monarch, ROBOKOP and RTX-KG2 read and merge it.

Everything comes from the RDF (the pyoxigraph store) and the exchange graph built from it, so any
relation the curation writes as RDF flows through, background knowledge included:

- a node's ``id`` is the standard CURIE of its one exact mapping (``skos:exactMatch``) where no
  other node claims the same identifier, the preferred prefix first when it has several; the local
  ``mkg:`` id is kept in ``xref`` and the edges' ``original_subject``/``original_object``;
- an edge's ``predicate`` and qualifiers are the Biolink mapping of its predicate
  (``data/predicates.yaml``), ``original_predicate`` is ours; the context its citations give (the
  subject's form, the anatomical location) becomes a Biolink qualifier where every citation gives
  the same one (a passage's mediators, ``via``, have no Biolink qualifier and stay in the RDF);
- provenance is read from the edge's association node: ``primary_knowledge_source`` (and
  ``aggregator_knowledge_source`` when that is not this graph), ``knowledge_level``,
  ``agent_type``, and ``publications``: each document's DOI (else its URL, else its id) and the
  numbered references its passages cite.

Three serialisations: KGX JSON (``kgx``), and tar.gz archives holding nodes, edges and a
graph-metadata file as KGX TSV (``kgx-tsv``) or JSON Lines (``kgx-jsonl``).

>>> preferred_id(["NCIT:C3890", "GO:0001666"])
'GO:0001666'
"""

from __future__ import annotations

import gzip
import io
import json
import tarfile
from collections.abc import Iterable

import networkx as nx
import pyoxigraph as ox
from rdflib import URIRef
from rdflib.namespace import RDF, SKOS

from kg.curation.model import SUBJECT_FORMS
from kg.curation.rdf import KNOWLEDGE_SOURCE
from kg.vocab import BIBO, BIOLINK, CITO, CURIE_MAP, FABIO, MKG, compact, expand

#: the Biolink Model release the export is written for and checked against (tests/test_kgx.py)
BIOLINK_VERSION = "4.4.3"
#: prefixes in the order Biolink's id_prefixes rank them for the classes used here (a gene's NCBIGene
#: id before its HGNC id, a disease's MONDO id before NCIT); tests/test_kgx.py checks the order
PREFERRED_PREFIXES = ("NCBIGene", "HGNC", "MONDO", "GO", "CL", "UBERON", "CHEBI", "NCIT")
QUALIFIER_SLOTS = ("qualified_predicate", "object_aspect_qualifier", "object_direction_qualifier")
#: the context a citation gives its relation, and the Biolink qualifier each part becomes
CITATION_QUALIFIERS = {MKG.subjectForm: "subject_form_or_variant_qualifier",
                       MKG.location: "anatomical_context_qualifier"}
GRAPH_NAME = "metastasis-kg"
KGX_FORMATS = ("kgx", "kgx-tsv", "kgx-jsonl")
LIST_DELIMITER = "|"  # KGX TSV's separator of the values of a multivalued field
NODE_COLUMNS = ("id", "category", "name", "description", "synonym", "xref", "provided_by")
EDGE_COLUMNS = ("id", "subject", "predicate", "object", *QUALIFIER_SLOTS, *CITATION_QUALIFIERS.values(),
                "original_subject", "original_predicate",
                "original_object", "primary_knowledge_source", "aggregator_knowledge_source", "knowledge_level",
                "agent_type", "publications")

_MATCHES = (SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch, SKOS.relatedMatch)
_BIOLINK = str(BIOLINK)


def preferred_id(curies: Iterable[str]) -> str | None:
    """The standard identifier to use among a node's exact mappings: the first by preferred prefix."""
    ranked = sorted((PREFERRED_PREFIXES.index(c.split(":")[0]), c) for c in curies
                    if c.split(":")[0] in PREFERRED_PREFIXES)
    return ranked[0][1] if ranked else None


def _objects(store: ox.Store, subject, predicate: URIRef) -> list:
    return [quad.object for quad in store.quads_for_pattern(subject, ox.NamedNode(str(predicate)), None)]


def _value(store: ox.Store, subject, predicate: URIRef) -> str | None:
    found = _objects(store, subject, predicate)
    return found[0].value if found else None


def _has(store: ox.Store, subject, predicate: URIRef, obj) -> bool:
    return next(iter(store.quads_for_pattern(subject, ox.NamedNode(str(predicate)), obj)), None) is not None


def standard_ids(store: ox.Store, exchange: nx.MultiDiGraph) -> dict[str, str]:
    """Local node id -> the standard CURIE it is exported under (nodes without one are left out).

    An identifier that two nodes map to exactly is given to neither: KGX merges nodes by id."""
    claims: dict[str, list[str]] = {}
    for node, attrs in exchange.nodes(data=True):
        exact = [compact(target.value) for target in _objects(store, ox.NamedNode(attrs["iri"]), SKOS.exactMatch)]
        if (chosen := preferred_id(exact)) is not None:
            claims.setdefault(chosen, []).append(node)
    return {nodes[0]: curie for curie, nodes in claims.items() if len(nodes) == 1}


def _node_record(store: ox.Store, node: str, attrs: dict, ids: dict[str, str]) -> dict:
    iri = ox.NamedNode(attrs["iri"])
    exact = {compact(target.value) for target in _objects(store, iri, SKOS.exactMatch)}
    xrefs = sorted((exact | {node}) - {ids.get(node, node)})
    return {"id": ids.get(node, node), "category": [attrs["category"]], "name": attrs["label"],
            "description": attrs.get("definition") or None, "synonym": attrs.get("synonyms", []), "xref": xrefs,
            "provided_by": [compact(str(KNOWLEDGE_SOURCE))]}


def predicate_mapping(store: ox.Store, predicate: ox.NamedNode) -> dict:
    """The Biolink predicate and qualifiers of one of our predicates; ``biolink:related_to`` for a
    predicate with no Biolink mapping (data someone else wrote)."""
    mapped = [t.value for match in _MATCHES for t in _objects(store, predicate, match) if t.value.startswith(_BIOLINK)]
    mapping = {"predicate": compact(mapped[0]) if mapped else "biolink:related_to"}
    for slot in QUALIFIER_SLOTS:
        value = _value(store, predicate, BIOLINK[slot])
        if value is not None:
            mapping[slot] = compact(value)
    return mapping


def _association(store: ox.Store, subject, predicate, obj):
    """The association node that reifies a triple, or None."""
    for quad in store.quads_for_pattern(None, ox.NamedNode(str(RDF.subject)), subject):
        if _has(store, quad.subject, RDF.predicate, predicate) and _has(store, quad.subject, RDF.object, obj):
            return quad.subject
    return None


def publication_id(store: ox.Store, document: ox.NamedNode) -> str:
    """How KGX names a document in ``publications``: ``doi:…``, else its web address, else its CURIE."""
    doi, url = _value(store, document, BIBO.doi), _value(store, document, FABIO.hasURL)
    if doi:
        return f"doi:{doi}"
    if url and url.startswith(("http://", "https://")):
        return url
    return compact(document.value)


def _publications(store: ox.Store, association) -> list[str]:
    documents = [publication_id(store, d) for d in _objects(store, association, BIOLINK.publications)]
    references = [compact(reference.value) for citation in _objects(store, association, MKG.citation)
                  for reference in _objects(store, citation, CITO.citesAsEvidence)]
    return sorted(set(documents)) + sorted(set(references))


def _provenance(store: ox.Store, association) -> dict:
    """KGX's provenance fields of an association node (this graph's defaults where it has none)."""
    if association is None:
        return {"primary_knowledge_source": compact(str(KNOWLEDGE_SOURCE)), "knowledge_level": "not_provided",
                "agent_type": "not_provided", "publications": []}
    primary = _value(store, association, BIOLINK.primary_knowledge_source) or str(KNOWLEDGE_SOURCE)
    aggregators = {compact(t.value) for t in _objects(store, association, BIOLINK.aggregator_knowledge_source)}
    if primary != str(KNOWLEDGE_SOURCE):  # someone else's knowledge, passed on by this graph
        aggregators.add(compact(str(KNOWLEDGE_SOURCE)))
    return {"primary_knowledge_source": compact(primary), "aggregator_knowledge_source": sorted(aggregators) or None,
            "knowledge_level": _value(store, association, BIOLINK.knowledge_level) or "not_provided",
            "agent_type": _value(store, association, BIOLINK.agent_type) or "not_provided",
            "publications": _publications(store, association)}


def _qualifier_value(term, ids: dict[str, str]) -> str:
    """A citation's qualifier as Biolink has it: a node by its exported id, a form by Biolink's name."""
    if isinstance(term, ox.Literal):
        return SUBJECT_FORMS.get(term.value, term.value)
    return ids.get(compact(term.value), compact(term.value))


def _citation_qualifiers(store: ox.Store, association, ids: dict[str, str]) -> dict:
    """The Biolink qualifiers that every citation of an association gives alike: context that one
    passage gives and another does not belongs to that passage, not to the edge."""
    citations = [] if association is None else _objects(store, association, MKG.citation)
    found = {}
    for prop, slot in CITATION_QUALIFIERS.items():
        given = {tuple(sorted(_qualifier_value(t, ids) for t in _objects(store, c, prop))) for c in citations}
        if len(given) == 1 and len(value := given.pop()) == 1:
            found[slot] = value[0]
    return found


def _predicate_iri(key: str) -> ox.NamedNode:
    return ox.NamedNode(str(expand(key) if ":" in key else MKG[key]))


def _edge_record(store: ox.Store, edge: tuple[str, str, str], part: nx.MultiDiGraph, ids: dict[str, str],
                 mappings: dict[str, dict]) -> dict:
    subject, obj, key = edge
    predicate = _predicate_iri(key)
    if key not in mappings:
        mappings[key] = predicate_mapping(store, predicate)
    association = _association(store, ox.NamedNode(part.nodes[subject]["iri"]), predicate,
                               ox.NamedNode(part.nodes[obj]["iri"]))
    record = {"id": compact(association.value) if association is not None else f"{subject}--{key}--{obj}",
              "subject": ids.get(subject, subject), **mappings[key], "object": ids.get(obj, obj),
              "original_subject": subject if subject in ids else None, "original_predicate": compact(predicate.value),
              "original_object": obj if obj in ids else None, **_provenance(store, association),
              **_citation_qualifiers(store, association, ids)}
    return {name: record.get(name) for name in EDGE_COLUMNS}


def kgx_records(store: ox.Store, part: nx.MultiDiGraph, ids: dict[str, str]) -> tuple[list[dict], list[dict]]:
    """The KGX node and edge records of ``part`` (the whole exchange graph or a selection of it);
    ``ids`` are the standard ids of the whole graph (:func:`standard_ids`), so that a selection
    names its nodes as the whole graph does."""
    nodes = [_node_record(store, node, attrs, ids) for node, attrs in sorted(part.nodes(data=True))]
    mappings: dict[str, dict] = {}
    edges = [_edge_record(store, edge, part, ids, mappings) for edge in sorted(part.edges(keys=True))]
    return nodes, edges


def graph_metadata(nodes: list[dict], edges: list[dict], target_format: str) -> dict:
    """The graph's description, with the fields of the KGX ingest metadata schema, and the CURIE
    map of every prefix its node ids use (``mkg`` for the concepts with no standard identifier)."""
    prefixes = sorted({node["id"].split(":")[0] for node in nodes} | {"biolink", "infores"})
    linked = {edge[end] for edge in edges for end in ("subject", "object")}
    return {
        "file_name": "graph-metadata.json", "file_created_by": ["kg export (metastasis-kg)"],
        "source_infores_id": compact(str(KNOWLEDGE_SOURCE)), "target_name": GRAPH_NAME,
        "target_format": target_format, "target_model": "https://w3id.org/biolink/biolink-model",
        "target_data_model_version": BIOLINK_VERSION,
        "total_node_count": len(nodes), "total_edge_count": len(edges),
        "orphan_node_count": sum(node["id"] not in linked for node in nodes),
        "node_categories": sorted({c for node in nodes for c in node["category"]}),
        "edge_predicates": sorted({edge["predicate"] for edge in edges}),
        "knowledge_sources": sorted({edge["primary_knowledge_source"] for edge in edges}),
        "curie_map": {prefix: CURIE_MAP[prefix] for prefix in prefixes if prefix in CURIE_MAP},
    }


def _present(record: dict) -> dict:
    """A record without its empty fields (KGX leaves a field out rather than writing null)."""
    return {k: v for k, v in record.items() if v not in (None, [], "")}


def _tsv_value(value) -> str:
    if value is None:
        return ""
    text = LIST_DELIMITER.join(value) if isinstance(value, list) else str(value)
    return " ".join(text.split())  # a tab or a line break inside a field would break the row


def _tsv(records: list[dict], columns: tuple[str, ...]) -> bytes:
    used = [c for c in columns if any(r.get(c) not in (None, [], "") for r in records)]
    lines = ["\t".join(used)] + ["\t".join(_tsv_value(r.get(c)) for c in used) for r in records]
    return ("\n".join(lines) + "\n").encode("utf-8")


def _jsonl(records: list[dict]) -> bytes:
    return b"".join(json.dumps(_present(r), ensure_ascii=False).encode("utf-8") + b"\n" for r in records)


def _archive(files: dict[str, bytes]) -> bytes:
    """A tar.gz of ``files`` that is the same bytes for the same content (no dates, fixed order)."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name, content in files.items():
            info = tarfile.TarInfo(name)
            info.size, info.mtime, info.mode = len(content), 0, 0o644
            tar.addfile(info, io.BytesIO(content))
    return gzip.compress(buffer.getvalue(), mtime=0)  # a dated gzip header would differ on every export


def serialize_kgx(store: ox.Store, part: nx.MultiDiGraph, fmt: str, ids: dict[str, str]) -> bytes:
    """``part`` as KGX JSON (``kgx``) or as a tar.gz of KGX TSV or JSON Lines files (``kgx-tsv``,
    ``kgx-jsonl``): ``metastasis-kg_nodes.*``, ``metastasis-kg_edges.*`` and ``graph-metadata.json``."""
    nodes, edges = kgx_records(store, part, ids)
    if fmt == "kgx":
        return json.dumps({"nodes": [_present(n) for n in nodes], "edges": [_present(e) for e in edges]},
                          indent=1, ensure_ascii=False).encode("utf-8")
    suffix = fmt.removeprefix("kgx-")
    if suffix == "tsv":
        node_file, edge_file = _tsv(nodes, NODE_COLUMNS), _tsv(edges, EDGE_COLUMNS)
    else:
        node_file, edge_file = _jsonl(nodes), _jsonl(edges)
    metadata = json.dumps(graph_metadata(nodes, edges, f"KGX {suffix.upper()}"), indent=1).encode("utf-8")
    return _archive({f"{GRAPH_NAME}_nodes.{suffix}": node_file, f"{GRAPH_NAME}_edges.{suffix}": edge_file,
                     "graph-metadata.json": metadata})
