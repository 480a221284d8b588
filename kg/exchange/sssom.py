"""The nodes' mappings to standard identifiers as an SSSOM mapping set (TSV with a YAML header).

Each mapping is an ``sssom:Mapping`` record in the RDF (written from the xrefs of the node
records, ``kg/curation/rdf.py``); this module reads those records back, so the served set and the
committed ``data/mappings.sssom.tsv`` (``kg export --format sssom -o data/mappings.sssom.tsv``)
come from the same place. The mapping-set metadata (id, license, CURIE map) heads the file as
commented YAML, as the SSSOM TSV format has it.

>>> print(metadata_block({"mapping_set_id": "https://example.org/set", "curie_map": {"GO": "http://x/GO_"}}))
# curie_map:
#   GO: http://x/GO_
# mapping_set_id: https://example.org/set
<BLANKLINE>
"""

from __future__ import annotations

import csv
import io

import networkx as nx
import pyoxigraph as ox
import yaml
from rdflib.namespace import RDF

from kg.curation.rdf import KNOWLEDGE_SOURCE
from kg.vocab import BASE, CURIE_MAP, SSSOM, compact

COLUMNS = ("subject_id", "subject_label", "subject_category", "predicate_id", "object_id", "mapping_justification",
           "object_source")
MAPPING_SET = {
    "mapping_set_id": f"{BASE}mappings.sssom.tsv",
    "mapping_set_title": "metastasis-kg node mappings",
    "mapping_set_description": "Each concept of the curated metastasis knowledge graph mapped by hand to the "
                               "standard identifiers it matches, with the resource each was checked against.",
    "license": "https://opensource.org/licenses/MIT",  # the project's licence (pyproject.toml)
    "subject_source": compact(str(KNOWLEDGE_SOURCE)),
    "mapping_tool": "kg export --format sssom (metastasis-kg)",
}


def _term(store: ox.Store, subject, predicate) -> ox.NamedNode | ox.Literal | None:
    found = next(iter(store.quads_for_pattern(subject, ox.NamedNode(str(predicate)), None)), None)
    return None if found is None else found.object


def _row(store: ox.Store, mapping, attrs: dict) -> dict:
    fields = {column: _term(store, mapping, SSSOM[column])
              for column in ("predicate_id", "object_id", "mapping_justification", "object_source")}
    return {"subject_id": compact(attrs["iri"]), "subject_label": attrs["label"], "subject_category": attrs["category"],
            **{column: compact(term.value) for column, term in fields.items() if term is not None}}


def mapping_rows(store: ox.Store, part: nx.MultiDiGraph) -> list[dict]:
    """One row per mapping record of the nodes of ``part``, sorted by subject and object."""
    rows = []
    for _, attrs in part.nodes(data=True):
        subject = ox.NamedNode(attrs["iri"])
        for quad in store.quads_for_pattern(None, ox.NamedNode(str(SSSOM.subject_id)), subject):
            if ox.Quad(quad.subject, ox.NamedNode(str(RDF.type)), ox.NamedNode(str(SSSOM.Mapping))) in store:
                rows.append(_row(store, quad.subject, attrs))
    return sorted(rows, key=lambda row: (row["subject_id"], row.get("object_id", "")))


def metadata_block(metadata: dict) -> str:
    """The mapping-set metadata as the commented YAML that opens an SSSOM TSV file."""
    text = yaml.safe_dump(metadata, sort_keys=True, allow_unicode=True, width=1000)
    return "".join(f"# {line}\n" for line in text.splitlines())


def serialize_sssom(store: ox.Store, part: nx.MultiDiGraph) -> bytes:
    """The mappings of the nodes of ``part`` as SSSOM TSV, headed by the mapping-set metadata and the
    CURIE map of every prefix the rows use."""
    rows = mapping_rows(store, part)
    used = {value.split(":")[0] for row in rows for column, value in row.items()
            if column != "subject_label" and ":" in value}
    metadata = {**MAPPING_SET, "curie_map": {prefix: CURIE_MAP[prefix] for prefix in sorted(used & set(CURIE_MAP))}}
    table = io.StringIO()
    writer = csv.DictWriter(table, COLUMNS, delimiter="\t", lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return (metadata_block(metadata) + table.getvalue()).encode("utf-8")
