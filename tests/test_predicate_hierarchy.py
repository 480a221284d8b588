"""The predicate polarity hierarchy: checked when loaded, walked by filters, used to pool evidence."""

from pathlib import Path

import pytest
import yaml

from kg.cli import load_curated_index
from kg.curation.loader import load, load_predicates
from kg.curation.model import CAUSAL_ROOTS, polarity
from kg.errors import CurationError, InvalidQueryError
from kg.query import edges as edges_module
from kg.query.edges import find_edges
from kg.query.neighborhood import neighborhood
from kg.query.paths import find_paths
from tests.conftest import DATA


@pytest.fixture(scope="module")
def index():
    return load_curated_index()


def _predicates_with(tmp_path: Path, change) -> Path:
    records = yaml.safe_load((DATA / "predicates.yaml").read_text())
    change({record["id"]: record for record in records})
    (tmp_path / "predicates.yaml").write_text(yaml.safe_dump(records, sort_keys=False))
    return tmp_path


def test_every_predicate_sits_under_one_root_with_a_sign_that_fits_its_branch():
    predicates = {p.id: p for p in load_predicates()}
    assert [p.id for p in predicates.values() if p.parent is None] == ["related_to"]
    for predicate in predicates.values():
        branch = polarity(predicates, predicate.id)
        expected = {"positive": 1, "negative": -1, "unsigned": 0}.get(branch)
        assert expected is None or predicate.sign == expected, predicate.id
    assert {polarity(predicates, p) for p in ("promotes", "enables", "causes")} == {"positive"}
    assert polarity(predicates, "inhibits") == "negative"
    assert polarity(predicates, "regulates") == "unsigned"
    assert polarity(predicates, "part_of") == "non_causal"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda p: p["promotes"].update(parent="negatively_affects"), "sign 1 but sits under the negative"),
        (lambda p: p["affects"].update(parent="positively_affects"), "cycle"),
        (lambda p: p["promotes"].update(parent="boosts"), "unknown parent 'boosts'"),
        (lambda p: p["affects"].pop("parent"), "exactly one root"),
    ],
    ids=["sign against branch", "cycle", "unknown parent", "two roots"],
)
def test_a_broken_hierarchy_is_refused(tmp_path: Path, change, message: str):
    with pytest.raises(CurationError, match=message):
        load_predicates(_predicates_with(tmp_path, change))


def test_statements_cannot_use_an_abstract_root(scratch_data: Path):
    (scratch_data / "statements" / "glimm2025.yaml").write_text(
        "document: glimm2025\nstatements:\n  - subject: hypoxia\n    predicate: positively_affects\n"
        "    object: angiogenesis\n    citations:\n      - locator: introduction/p5/s1\n        certainty: stated\n"
        "        statement: Our words.\n")
    with pytest.raises(CurationError, match=r"glimm2025.yaml:3: unknown predicate 'positively_affects'"):
        load(scratch_data)


def test_a_predicate_filter_takes_in_the_predicates_below_it(index):
    below = {index.predicate_names[code] for code in index.predicate_codes("positively_affects")}
    assert {"promotes", "enables", "causes", "positively_affects"} <= below and "inhibits" not in below
    assert set(CAUSAL_ROOTS) <= {index.predicate_names[code] for code in index.predicate_codes("affects")}
    found = find_edges(index, subject="hypoxia", predicate="positively_affects", limit=1000).edges
    assert found and all(index.predicates[edge.predicate]["polarity"] == "positive" for edge in found)


def test_pooled_evidence_for_emt_and_local_invasion_cites_all_five_documents(index):
    asserted = find_edges(index, subject="EMT", object="local invasion").edges
    assert len({edge.predicate for edge in asserted}) >= 2
    (pooled,) = find_edges(index, subject="EMT", object="local invasion", evidence="pooled").edges
    assert (pooled.predicate, pooled.sign) == ("positively_affects", 1)
    assert set(pooled.pooled) == {edge.predicate for edge in asserted}
    assert {c.document for c in pooled.citations} == {
        "anon_tme", "glimm2025", "quicktakes2024", "schneider2025", "wolf2025"}
    assert len(pooled.citations) == len({(c.document, c.locator, c.statement)
                                         for edge in asserted for c in edge.citations})


def test_pooling_keeps_non_causal_edges_and_pages_over_the_pooled_ones(index):
    pooled = find_edges(index, subject="EMT", evidence="pooled", limit=1000)
    asserted = find_edges(index, subject="EMT", limit=1000)
    assert pooled.total <= asserted.total
    non_causal = {(e.predicate, e.object.id) for e in asserted.edges
                  if index.predicates[e.predicate]["polarity"] == "non_causal"}
    assert non_causal <= {(e.predicate, e.object.id) for e in pooled.edges}
    page = find_edges(index, subject="EMT", evidence="pooled", limit=2, offset=1)
    assert [e.object.id for e in page.edges] == [e.object.id for e in pooled.edges[1:3]]


def test_pooled_paths_carry_every_citation_of_each_hop(index):
    asserted = find_paths(index, "TGF-beta signaling pathway", "metastasis", mode="k_shortest", k=3)
    pooled = find_paths(index, "TGF-beta signaling pathway", "metastasis", mode="k_shortest", k=3,
                        evidence="pooled")
    best = pooled.paths[0]
    assert [node.id for node in best.nodes] == ["mkg:tgf_beta_signaling", "mkg:emt", "mkg:metastasis"]
    assert best.sign == 1 and {edge.predicate for edge in best.edges} == {"positively_affects"}
    emt_to_metastasis = find_edges(index, subject="EMT", object="metastasis", predicate="positively_affects").edges
    assert {c.document for c in best.edges[1].citations} == {c.document for e in emt_to_metastasis
                                                              for c in e.citations}
    assert best.support >= asserted.paths[0].support
    assert [path.sign for path in pooled.paths] == [path.sign for path in asserted.paths]


def test_a_pooled_neighborhood_merges_parallel_edges_of_one_polarity(index):
    asserted = neighborhood(index, "EMT", limit=50)
    pooled = neighborhood(index, "EMT", limit=50, evidence="pooled")
    assert len(pooled.edges) < len(asserted.edges)
    assert sum(len(e.citations) for e in pooled.edges) <= sum(len(e.citations) for e in asserted.edges)
    assert all(edge.pooled for edge in pooled.edges if edge.predicate in CAUSAL_ROOTS)


def test_pooling_refuses_more_candidates_than_it_may_read(index, monkeypatch):
    monkeypatch.setattr(edges_module, "MAX_POOLED_CANDIDATES", 10)
    with pytest.raises(InvalidQueryError, match="narrow it"):
        find_edges(index, evidence="pooled")
    assert find_edges(index, subject="EMT", object="local invasion", evidence="pooled").total == 1
