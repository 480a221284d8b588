"""A tiny hand-made graph in the exchange format, for the query tests and the API tests.

It mimics the curated domain: hypoxia drives angiogenesis and EMT, EMT drives local invasion,
the invasion-metastasis cascade is a chain of ``precedes`` edges, TP53 inhibits cancer
progression, the tumour microenvironment is a hub, and several names carry Greek letters
(``TGF-β``, ``NF-κB``). The citations are invented paraphrases with made-up locators.

>>> graph = fixture_graph()
>>> graph.number_of_nodes(), graph.number_of_edges()
(19, 33)
"""

from functools import lru_cache

import networkx as nx

from kg.query.index import GraphIndex

PREDICATES = {
    "promotes": {"label": "promotes", "sign": 1, "definition": "The subject increases the object."},
    "inhibits": {"label": "inhibits", "sign": -1, "definition": "The subject decreases the object."},
    "regulates": {"label": "regulates", "sign": 0, "definition": "The subject affects the object."},
    "part_of": {"label": "part of", "sign": 0, "definition": "The subject is a component of the object."},
    "precedes": {"label": "precedes", "sign": 0, "definition": "The subject happens before the object."},
    "secretes": {"label": "secretes", "sign": 0, "definition": "The cell releases the molecule."},
    "treats": {"label": "treats", "sign": -1, "definition": "The treatment counters the disease."},
    "targets": {"label": "targets", "sign": 0, "definition": "The treatment acts on the entity."},
    "metastasizes_to": {"label": "metastasizes to", "sign": 0, "definition": "The cancer spreads to the site."},
    "member_of": {"label": "member of", "sign": 0, "definition": "The subject belongs to the group.",
                  "hierarchy": True},
}

# id: (label, category, synonyms, xrefs)
NODES = {
    "mkg:hypoxia": ("hypoxia", "biolink:BiologicalProcess", ["low oxygen tension"], []),
    "mkg:angiogenesis": ("angiogenesis", "biolink:BiologicalProcess", ["blood vessel formation"], ["GO:0001525"]),
    "mkg:metastasis": ("metastasis", "biolink:BiologicalProcess", ["metastatic spread"], []),
    "mkg:emt": ("epithelial-mesenchymal transition", "biolink:BiologicalProcess", ["EMT"], ["GO:0001837"]),
    "mkg:local_invasion": ("local invasion", "biolink:BiologicalProcess", [], []),
    "mkg:intravasation": ("intravasation", "biolink:BiologicalProcess", [], []),
    "mkg:circulation_survival": ("survival in the circulation", "biolink:BiologicalProcess", [], []),
    "mkg:extravasation": ("extravasation", "biolink:BiologicalProcess", [], []),
    "mkg:colonization": ("metastatic colonization", "biolink:BiologicalProcess", ["colonisation"], []),
    "mkg:cancer_progression": ("cancer progression", "biolink:BiologicalProcess", [], []),
    "mkg:tp53": ("TP53", "biolink:Gene", ["p53", "tumor protein p53"], ["HGNC:11998"]),
    "mkg:tgfb1": ("TGFB1", "biolink:Gene", ["TGF-β", "TGF-β1"], ["HGNC:11766"]),
    "mkg:tgf_beta_signaling": ("TGF-β signaling", "biolink:Pathway", ["TGF-β"], []),
    "mkg:nfkb": ("NF-κB", "biolink:MolecularEntity", ["nuclear factor kappa B"], []),
    "mkg:tme": ("tumor microenvironment", "biolink:AnatomicalEntity", ["TME"], []),
    "mkg:caf": ("cancer-associated fibroblast", "biolink:Cell", ["CAF"], []),
    "mkg:breast_cancer": ("breast cancer", "biolink:Disease", [], []),
    "mkg:lung": ("lung", "biolink:AnatomicalEntity", [], []),
    "mkg:tgfb_inhibitor": ("TGF-β receptor inhibitor", "biolink:Treatment", [], []),
}

# (subject, predicate, object, [(document, certainty), ...])
EDGES = [
    ("mkg:hypoxia", "promotes", "mkg:angiogenesis", [("wolf2025", "stated"), ("glimm2025", "hedged")]),
    ("mkg:hypoxia", "regulates", "mkg:angiogenesis", [("anon_tme", "implied")]),
    ("mkg:angiogenesis", "promotes", "mkg:metastasis", [("wolf2025", "stated")]),
    ("mkg:hypoxia", "promotes", "mkg:emt", [("glimm2025", "stated")]),
    ("mkg:emt", "promotes", "mkg:local_invasion", [("wolf2025", "stated"), ("schneider2025", "stated")]),
    ("mkg:local_invasion", "precedes", "mkg:intravasation", [("wolf2025", "stated")]),
    ("mkg:intravasation", "precedes", "mkg:circulation_survival", [("wolf2025", "stated")]),
    ("mkg:circulation_survival", "precedes", "mkg:extravasation", [("wolf2025", "stated")]),
    ("mkg:extravasation", "precedes", "mkg:colonization", [("wolf2025", "stated"), ("quicktakes2024", "stated")]),
    ("mkg:colonization", "part_of", "mkg:metastasis", [("schneider2025", "implied")]),
    ("mkg:metastasis", "part_of", "mkg:cancer_progression", [("schneider2025", "hedged")]),
    ("mkg:tp53", "inhibits", "mkg:cancer_progression", [("quicktakes2024", "stated")]),
    ("mkg:tgf_beta_signaling", "promotes", "mkg:emt", [("glimm2025", "stated"), ("quicktakes2024", "stated")]),
    ("mkg:tgfb1", "part_of", "mkg:tgf_beta_signaling", [("glimm2025", "implied")]),
    ("mkg:caf", "secretes", "mkg:tgfb1", [("glimm2025", "stated"), ("anon_tme", "stated")]),
    ("mkg:caf", "part_of", "mkg:tme", [("anon_tme", "stated")]),
    ("mkg:nfkb", "promotes", "mkg:emt", [("quicktakes2024", "hedged")]),
    ("mkg:breast_cancer", "metastasizes_to", "mkg:lung", [("schneider2025", "stated")]),
    ("mkg:tgfb_inhibitor", "inhibits", "mkg:tgf_beta_signaling", [("schneider2025", "hedged")]),
    ("mkg:tgfb_inhibitor", "targets", "mkg:tgfb1", []),
    ("mkg:tgfb_inhibitor", "treats", "mkg:breast_cancer", [("schneider2025", "hedged")]),
    ("mkg:breast_cancer", "part_of", "mkg:cancer_progression", [("wolf2025", "implied")]),
    # the hub: the microenvironment regulates much of the cascade
    ("mkg:tme", "regulates", "mkg:hypoxia", [("anon_tme", "stated")]),
    ("mkg:tme", "regulates", "mkg:angiogenesis", [("anon_tme", "stated"), ("glimm2025", "stated")]),
    ("mkg:tme", "regulates", "mkg:emt", [("glimm2025", "stated")]),
    ("mkg:tme", "regulates", "mkg:local_invasion", [("anon_tme", "hedged")]),
    ("mkg:tme", "regulates", "mkg:nfkb", [("anon_tme", "implied")]),
    ("mkg:tme", "regulates", "mkg:metastasis", [("glimm2025", "stated"), ("anon_tme", "stated"),
                                                ("wolf2025", "hedged")]),
    ("mkg:tme", "regulates", "mkg:colonization", [("glimm2025", "hedged")]),
    ("mkg:tme", "promotes", "mkg:cancer_progression", [("anon_tme", "stated")]),
    ("mkg:tme", "regulates", "mkg:tp53", []),
    ("mkg:tgfb1", "promotes", "mkg:emt", [("schneider2025", "stated")]),
]

# background knowledge: (subject, predicate, object, knowledge source, the record checked there)
BACKGROUND = [
    ("mkg:tgfb1", "member_of", "mkg:tgf_beta_signaling", "infores:go", "GO:0007179"),
]
CURATED = {"primary_knowledge_source": "infores:metastasis-kg", "knowledge_level": "knowledge_assertion",
           "agent_type": "manual_agent"}


def _citation(subject: str, predicate: str, obj: str, number: int, document: str, certainty: str) -> dict:
    return {
        "document": document,
        "locator": f"s{number + 1}.p1",
        "reference": {"number": number + 1} if document != "anon_tme" else None,
        "certainty": certainty,
        "statement": f"{NODES[subject][0]} {PREDICATES[predicate]['label']} {NODES[obj][0]} (fixture)",
    }


def fixture_graph() -> nx.MultiDiGraph:
    """The fixture as a fresh ``MultiDiGraph`` in the exchange format."""
    graph = nx.MultiDiGraph(predicates={name: dict(info) for name, info in PREDICATES.items()})
    for node_id, (label, category, synonyms, xrefs) in NODES.items():
        graph.add_node(
            node_id, label=label, category=category, synonyms=list(synonyms), xrefs=list(xrefs),
            definition=f"Fixture node {label}.", iri=node_id.replace("mkg:", "https://w3id.org/mkg/"),
        )
    for subject, predicate, obj, evidence in EDGES:
        graph.add_edge(
            subject, obj, key=predicate, predicate=predicate, sign=PREDICATES[predicate]["sign"], provenance=CURATED,
            citations=[_citation(subject, predicate, obj, i, doc, cert) for i, (doc, cert) in enumerate(evidence)],
        )
    for subject, predicate, obj, source, record in BACKGROUND:
        provenance = {**CURATED, "primary_knowledge_source": source, "source_record": record,
                      "note": f"{NODES[subject][0]} belongs to {NODES[obj][0]} (fixture)"}
        graph.add_edge(subject, obj, key=predicate, predicate=predicate, sign=0, provenance=provenance, citations=[])
    return graph


@lru_cache(maxsize=1)
def fixture_index() -> GraphIndex:
    """The fixture's :class:`GraphIndex` (built once; the index is read-only)."""
    return GraphIndex.from_networkx(fixture_graph())


def layered_graph(width: int = 8, layers: int = 4) -> nx.MultiDiGraph:
    """``mkg:source`` -> ``layers`` complete layers of ``width`` nodes -> ``mkg:target``.

    It has ``width ** layers`` simple source-target paths, so enumerating them all takes long
    enough that a path query must hit its time budget. Foreign-style data: no categories, no
    citations, no predicate table.
    """
    graph = nx.MultiDiGraph()
    previous = ["mkg:source"]
    for layer in range(layers):
        current = [f"mkg:l{layer}_{i}" for i in range(width)]
        graph.add_edges_from((a, b, "links_to", {"predicate": "links_to"}) for a in previous for b in current)
        previous = current
    graph.add_edges_from((a, "mkg:target", "links_to", {"predicate": "links_to"}) for a in previous)
    return graph
