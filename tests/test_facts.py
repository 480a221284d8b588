"""Facts a reader of the five documents would check, each with the document that must support it.

Written from our own reading; a fact names the acceptable predicates (curators may say
`promotes` or `enables` for the same positive claim) and the documents that must cite it.
"""

import networkx as nx
import pytest

from kg.curation import loader as curation
from kg.curation.build import build
from kg.exchange.graph import to_networkx

POSITIVE = {"promotes", "enables", "causes", "contributes_to"}
NEGATIVE = {"inhibits", "degrades"}

CASCADE = ["local_invasion", "intravasation", "circulation", "extravasation", "colonization"]

FACTS = [
    # (subject, predicates, object, documents that must cite it)
    ("hypoxia", POSITIVE, "angiogenesis", {"wolf2025"}),
    ("emt", POSITIVE, "metastasis", {"wolf2025", "schneider2025"}),
    ("tgf_beta_signaling", POSITIVE, "emt", {"wolf2025"}),
    ("wnt_beta_catenin_signaling", POSITIVE, "emt", {"wolf2025"}),
    ("notch_signaling", POSITIVE, "emt", {"wolf2025"}),
    ("tam", {"secretes"}, "growth_factor", {"wolf2025"}),
    ("tam", {"secretes"}, "cytokine", {"wolf2025"}),
    # the passages name pro-angiogenic factors (vegf_family) as the actors and VEGF as their example
    ("cancer_cell", {"secretes"}, "vegf_family", {"wolf2025", "anon_tme"}),
    ("vegf_family", POSITIVE, "angiogenesis", {"wolf2025", "glimm2025", "anon_tme"}),
    ("vegf", {"member_of"}, "vegf_family", {"wolf2025", "glimm2025", "anon_tme"}),
    ("vegf_inhibitor", {"subclass_of"}, "anti_angiogenic_therapy", {"wolf2025"}),
    ("anti_angiogenic_therapy", {"inhibits", "targets"}, "angiogenesis", {"wolf2025"}),
    ("pd_l1", POSITIVE, "immune_evasion", {"wolf2025"}),
    ("breast_cancer", {"metastasizes_to"}, "bone", {"wolf2025"}),
    ("breast_cancer", {"metastasizes_to"}, "lung", {"wolf2025"}),
    ("breast_cancer", {"metastasizes_to"}, "liver", {"wolf2025"}),
    ("prostate_cancer", {"metastasizes_to"}, "bone", {"wolf2025"}),
    ("tp53", {"inhibits"}, "tumor_progression", {"wolf2025"}),
    ("tp53", {"mutated_in"}, "metastatic_cancer", {"wolf2025"}),
    ("myc", {"member_of"}, "oncogene", {"wolf2025"}),
    ("ctc", {"biomarker_for"}, "metastasis", {"schneider2025"}),
    ("exosome", POSITIVE, "angiogenesis", {"schneider2025"}),
    ("exosome", POSITIVE, "premetastatic_niche_formation", {"schneider2025", "glimm2025"}),
    ("tumor_dormancy", {"precedes"}, "reactivation", {"schneider2025"}),
    ("caf", {"secretes"}, "growth_factor", {"glimm2025", "anon_tme"}),
    ("caf", POSITIVE, "angiogenesis", {"glimm2025"}),
    ("hypoxia", POSITIVE, "hif", {"glimm2025"}),
    ("hif", POSITIVE, "angiogenesis", {"glimm2025"}),
    ("hif", POSITIVE, "emt", {"glimm2025"}),
    ("hif", POSITIVE, "metabolic_reprogramming", {"glimm2025"}),
    ("mmp", {"degrades"}, "ecm", {"glimm2025", "quicktakes2024"}),
    ("treg", {"inhibits"}, "antitumor_immunity", {"glimm2025"}),
    ("caf", POSITIVE, "immunosuppression", {"anon_tme"}),
    ("hypoxia", POSITIVE, "emt", {"anon_tme"}),
    ("kras", {"member_of"}, "ras", {"quicktakes2024"}),
    ("ras", POSITIVE, "emt", {"quicktakes2024"}),
    ("fgfr1", POSITIVE, "cell_motility", {"quicktakes2024"}),
    ("genomic_instability", POSITIVE, "metastatic_potential", {"quicktakes2024"}),
    # therapies the documents say are aimed at spread (aim, focus on): targets, not a claimed effect
    ("anti_angiogenic_therapy", {"targets"}, "metastasis", {"glimm2025", "wolf2025"}),
    ("immune_checkpoint_inhibitor", {"targets"}, "metastasis", {"glimm2025", "wolf2025"}),
    # Glimm's pro-metastatic niche is built by the tumour's own surroundings, not in a distant organ
    ("caf", POSITIVE, "prometastatic_niche", {"glimm2025"}),
    ("cytotoxic_t_cell", {"inhibits"}, "cell_survival", {"glimm2025", "anon_tme"}),
    ("immune_cell", {"inhibits"}, "cell_survival", {"wolf2025"}),
]

QUALIFIED = [
    # (subject, predicate, object, document, qualifiers the citation carries)
    ("tme", "promotes", "emt", "glimm2025", {"via": ["mkg:fgf", "mkg:growth_factor", "mkg:tgf_beta"]}),
    ("ras", "promotes", "emt", "quicktakes2024", {"subject_form": "mutant"}),
    ("kras", "promotes", "cell_migration", "quicktakes2024", {"subject_form": "mutant"}),
    ("hypoxia", "promotes", "angiogenesis", "glimm2025", {"via": ["mkg:hif"]}),
    ("immune_cell", "inhibits", "cell_survival", "wolf2025", {"location": "mkg:bloodstream"}),
]


@pytest.fixture(scope="module")
def exchange():
    return to_networkx(build(output=None))


def _cited_documents(graph, subject, predicates, obj):
    edges = graph.get_edge_data(f"mkg:{subject}", f"mkg:{obj}") or {}
    return {c["document"] for key, data in edges.items() if key in predicates for c in data["citations"]}


@pytest.mark.parametrize("subject, predicates, obj, documents", FACTS, ids=lambda v: v if isinstance(v, str) else "")
def test_fact_is_in_the_graph_with_its_citations(exchange, subject, predicates, obj, documents):
    cited = _cited_documents(exchange, subject, predicates, obj)
    assert documents <= cited, f"{subject} -{sorted(predicates)}-> {obj}: cited by {sorted(cited)}"


@pytest.mark.parametrize("subject, predicate, obj, document, qualifiers", QUALIFIED,
                         ids=lambda v: v if isinstance(v, str) else "")
def test_context_the_passage_gives_is_a_qualifier(exchange, subject, predicate, obj, document, qualifiers):
    citations = exchange.get_edge_data(f"mkg:{subject}", f"mkg:{obj}")[predicate]["citations"]
    given = [c["qualifiers"] for c in citations if c["document"] == document]
    assert given and all(q and {k: q[k] for k in qualifiers} == qualifiers for q in given), given


def test_no_generic_immune_cell_edge_from_a_sentence_that_contrasts_two_groups(exchange):
    assert not exchange.has_edge("mkg:immune_cell", "mkg:cancer_cell", key="inhibits")


def test_the_cascade_order_is_explicit_and_each_step_is_part_of_metastasis(exchange):
    for earlier, later in zip(CASCADE, CASCADE[1:], strict=False):
        assert exchange.has_edge(f"mkg:{earlier}", f"mkg:{later}", key="precedes"), (earlier, later)
    for step in CASCADE:
        assert exchange.has_edge(f"mkg:{step}", "mkg:metastasis", key="part_of"), step
    precedes = nx.DiGraph([(s, o) for s, o, k in exchange.edges(keys=True) if k == "precedes"])
    assert nx.is_directed_acyclic_graph(precedes)


def test_every_document_contributes_and_every_edge_is_cited_or_background(exchange):
    documents = {c["document"] for _, _, data in exchange.edges(data=True) for c in data["citations"]}
    assert documents == {"wolf2025", "schneider2025", "glimm2025", "anon_tme", "quicktakes2024"}
    for subject, object_, key, data in exchange.edges(keys=True, data=True):
        background = "source_record" in (data["provenance"] or {})
        # a document claim has citations; background knowledge has a checked record and none
        assert bool(data["citations"]) != background, (subject, key, object_)
        if background:
            assert key in ("member_of", "subclass_of") and data["provenance"]["primary_knowledge_source"] != \
                "infores:metastasis-kg"


def test_the_graph_has_the_breadth_of_a_careful_reading():
    curated = curation.load()
    assert len(curated.nodes) >= 140
    assert len(curated.statements) >= 300
