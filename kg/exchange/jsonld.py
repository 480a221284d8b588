"""Compact JSON-LD: the graph as JSON that reads like the Turtle, with its ``@context`` inline.

The same context is published on its own (``GET /context.jsonld``, and ``context.jsonld`` in a
release) for documents that want to refer to it; an export keeps it inline, so that reading one
never needs a fetch.

pyoxigraph writes JSON-LD in expanded form (every IRI in full, every value in an array of
objects: 2.3 MB for the curated graph). Compaction here is by prefixes only: a property or an
``@id`` becomes a CURIE of the project's CURIE map, a plain string literal becomes a string and a
single value loses its array. Every JSON-LD processor expands the result to the same triples,
because the context defines exactly those prefixes and nothing else.

>>> expanded = [{"@id": "https://w3id.org/metastasis-kg/emt",
...              "http://www.w3.org/2000/01/rdf-schema#label": [{"@value": "EMT"}]}]
>>> compact_jsonld(expanded, {"mkg": "https://w3id.org/metastasis-kg/",
...                           "rdfs": "http://www.w3.org/2000/01/rdf-schema#"})["@graph"]
[{'@id': 'mkg:emt', 'rdfs:label': 'EMT'}]
"""

from __future__ import annotations

import json

from kg.vocab import CURIE_MAP, compact

GEN_DELIMS = ":/?#[]@"  # an IRI ending in one of these is a prefix in JSON-LD 1.1 without saying so


def _curie(iri: str, prefixes: dict[str, str]) -> str:
    curie = compact(iri)
    return curie if curie.split(":")[0] in prefixes else iri


def _value(value: dict, prefixes: dict[str, str]):
    if "@id" in value:
        return {"@id": _curie(value["@id"], prefixes)}
    if set(value) == {"@value"} and isinstance(value["@value"], str):
        return value["@value"]
    return {k: _curie(v, prefixes) if k == "@type" else v for k, v in value.items()}


def _node(node: dict, prefixes: dict[str, str]) -> dict:
    compacted = {}
    for key, values in node.items():
        if key == "@id":
            compacted[key] = _curie(values, prefixes)
        elif key == "@type":
            types = [_curie(t, prefixes) for t in values]
            compacted[key] = types[0] if len(types) == 1 else types
        else:
            items = [_value(v, prefixes) for v in values]
            compacted[_curie(key, prefixes)] = items[0] if len(items) == 1 else items
    return compacted


def context(prefixes: dict[str, str]) -> dict:
    """The ``@context`` declaring ``prefixes``. A namespace that does not end in ``/`` or ``#``
    (OBO's ``…/GO_``) is a prefix in JSON-LD 1.1 only if it says so (``@prefix``)."""
    terms: dict = {"@version": 1.1}
    for prefix, namespace in prefixes.items():
        terms[prefix] = namespace if namespace[-1] in GEN_DELIMS else {"@id": namespace, "@prefix": True}
    return terms


def compact_jsonld(expanded: list[dict], prefixes: dict[str, str]) -> dict:
    """An expanded JSON-LD document (a list of node objects) compacted against ``prefixes``."""
    return {"@context": context(prefixes), "@graph": [_node(node, prefixes) for node in expanded]}


def published_context() -> bytes:
    """The project's context as a JSON-LD document, as ``GET /context.jsonld`` serves it.

    >>> json.loads(published_context())["@context"]["mkg"]
    'https://w3id.org/metastasis-kg/'
    """
    return json.dumps({"@context": context(CURIE_MAP)}, ensure_ascii=False, indent=1).encode("utf-8")
