"""Namespaces and the CURIE map, declared once and used everywhere (RDF, exports, queries)."""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, XSD

BASE = "https://w3id.org/metastasis-kg/"
MKG = Namespace(BASE)
BIOLINK = Namespace("https://w3id.org/biolink/vocab/")
FABIO = Namespace("http://purl.org/spar/fabio/")
BIBO = Namespace("http://purl.org/ontology/bibo/")
CITO = Namespace("http://purl.org/spar/cito/")
SSSOM = Namespace("https://w3id.org/sssom/")
SEMAPV = Namespace("https://w3id.org/semapv/vocab/")
INFORES = Namespace("https://w3id.org/information-resource-registry/")

#: prefix -> namespace IRI; the one CURIE map of the project
CURIE_MAP: dict[str, str] = {
    "mkg": BASE,
    "biolink": str(BIOLINK),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "skos": str(SKOS),
    "xsd": str(XSD),
    "dcterms": str(DCTERMS),
    "fabio": str(FABIO),
    "bibo": str(BIBO),
    "cito": str(CITO),
    "sssom": str(SSSOM),
    "semapv": str(SEMAPV),
    "infores": str(INFORES),
    "GO": "http://purl.obolibrary.org/obo/GO_",
    "CL": "http://purl.obolibrary.org/obo/CL_",
    "UBERON": "http://purl.obolibrary.org/obo/UBERON_",
    "MONDO": "http://purl.obolibrary.org/obo/MONDO_",
    "NCIT": "http://purl.obolibrary.org/obo/NCIT_",
    "CHEBI": "http://purl.obolibrary.org/obo/CHEBI_",
    "RO": "http://purl.obolibrary.org/obo/RO_",
    "BFO": "http://purl.obolibrary.org/obo/BFO_",
    "HGNC": "http://identifiers.org/hgnc/",
    "hgnc.genegroup": "http://identifiers.org/hgnc.genegroup/",
    "NCBIGene": "http://identifiers.org/ncbigene/",
}
#: the prefixes above as a SPARQL prologue, one a line (rdflib, which the SPARQL workers parse queries with to
#: find SERVICE, reads a "#" ending an IRI as the start of a comment running to the end of the line)
SPARQL_PROLOGUE = "".join(f"PREFIX {prefix}: <{namespace}>\n" for prefix, namespace in CURIE_MAP.items())
# Longest namespace first, so that e.g. an OBO class is shortened by its own prefix.
_BY_LENGTH = sorted(CURIE_MAP.items(), key=lambda item: -len(item[1]))


def expand(curie: str) -> URIRef:
    """``'GO:0001837'`` -> its IRI; a full IRI is returned as it is.

    >>> str(expand("GO:0001837"))
    'http://purl.obolibrary.org/obo/GO_0001837'
    """
    prefix, sep, local = curie.partition(":")
    if sep and prefix in CURIE_MAP:
        return URIRef(CURIE_MAP[prefix] + local)
    return URIRef(curie)


def compact(iri: str) -> str:
    """An IRI -> its CURIE where a prefix covers it, else the IRI unchanged.

    >>> compact("https://w3id.org/metastasis-kg/emt")
    'mkg:emt'
    """
    for prefix, namespace in _BY_LENGTH:
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return str(iri)


def bind_prefixes(graph) -> None:
    """Declare every prefix of the CURIE map on an rdflib graph (for readable serialisations)."""
    for prefix, namespace in CURIE_MAP.items():
        graph.bind(prefix, Namespace(namespace), override=True, replace=True)
