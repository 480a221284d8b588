"""Name lookups: resolve (exactly one node or an error) and search (ranked autocomplete)."""

import pytest

from kg.errors import AmbiguousNameError, InvalidQueryError, NotFoundError
from kg.query.lookup import resolve, search
from kg.text import name_key
from tests.fixture_graph import fixture_index


@pytest.mark.parametrize(
    "spelling",
    ["TGF-β signaling", "TGF-beta signaling", "tgf beta signaling", r"TGF-$\beta$ signaling", "TGFβ Signaling"],
)
def test_greek_case_and_separator_insensitive(spelling):
    assert resolve(fixture_index(), spelling).id == "mkg:tgf_beta_signaling"


@pytest.mark.parametrize(
    ("a", "b"), [("α", "alpha"), ("κ", "kappa"), ("γ", "gamma"), ("β", "beta"), (r"$\kappa$", "kappa")]
)
def test_name_key_spells_greek(a, b):
    assert name_key(f"X-{a}1") == name_key(f"x {b} 1")


@pytest.mark.parametrize(
    ("name", "node"),
    [
        ("mkg:emt", "mkg:emt"),
        ("https://w3id.org/mkg/emt", "mkg:emt"),
        ("GO:0001837", "mkg:emt"),
        ("hgnc:11998", "mkg:tp53"),
        ("Epithelial-Mesenchymal Transition", "mkg:emt"),
        ("EMT", "mkg:emt"),
        ("NF-kappaB", "mkg:nfkb"),
        ("tumor protein p53", "mkg:tp53"),
        ("TGF-β1", "mkg:tgfb1"),
    ],
)
def test_resolve_by_identifier_label_or_synonym(name, node):
    assert resolve(fixture_index(), name).id == node


def test_ambiguous_name_lists_candidates_and_never_guesses():
    with pytest.raises(AmbiguousNameError) as raised:
        resolve(fixture_index(), "tgf beta")
    candidates = raised.value.detail["candidates"]
    assert {c["id"] for c in candidates} == {"mkg:tgfb1", "mkg:tgf_beta_signaling"}
    assert all(c["match"] == "synonym" for c in candidates)


def test_unknown_name_suggests_spellings():
    with pytest.raises(NotFoundError) as raised:
        resolve(fixture_index(), "angio")
    assert raised.value.detail["suggestions"][0]["id"] == "mkg:angiogenesis"


@pytest.mark.parametrize("bad", ["", "   ", None, 3])
def test_resolve_rejects_non_names(bad):
    with pytest.raises(InvalidQueryError):
        resolve(fixture_index(), bad)


def test_search_ranks_exact_then_synonym_then_prefix_then_substring():
    result = search(fixture_index(), "metastasis")
    assert [(hit.node.id, hit.match) for hit in result.items] == [("mkg:metastasis", "exact")]
    kinds = [hit.match for hit in search(fixture_index(), "cancer").items]
    assert kinds == sorted(kinds, key=["id", "exact", "synonym", "prefix", "substring"].index)
    assert "substring" in kinds and "prefix" in kinds
    hit = search(fixture_index(), "CAF").items[0]
    assert (hit.node.id, hit.match, hit.matched) == ("mkg:caf", "synonym", "CAF")
    go = search(fixture_index(), "go:0001525").items[0]
    assert (go.node.id, go.match, go.matched) == ("mkg:angiogenesis", "id", "GO:0001525")


def test_search_filters_by_category_and_pages():
    index = fixture_index()
    genes = search(index, "t", category="Gene")
    assert {hit.node.category for hit in genes.items} == {"biolink:Gene"}
    first, second = search(index, "tion", limit=2), search(index, "tion", limit=2, offset=2)
    assert first.truncated and first.total == second.total
    assert not {h.node.id for h in first.items} & {h.node.id for h in second.items}
    last = search(index, "tion", limit=2, offset=first.total - 1)
    assert len(last.items) == 1 and not last.truncated
    assert search(index, "zzz").to_dict() == {
        "query": "zzz", "items": [], "total": 0, "limit": 20, "offset": 0, "truncated": False,
    }


@pytest.mark.parametrize("options", [{"limit": 0}, {"limit": 101}, {"offset": -1}, {"category": "Planet"}])
def test_search_rejects_bad_options(options):
    with pytest.raises((InvalidQueryError, NotFoundError)):
        search(fixture_index(), "emt", **options)
