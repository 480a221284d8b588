"""Find nodes by IRI, CURIE, label or synonym.

Names compare by :func:`kg.text.name_key`, so case, hyphens, spaces, Greek letters and LaTeX
do not matter; identifiers (node ids, IRIs, xref CURIEs) compare case-insensitively.

>>> from tests.fixture_graph import fixture_index
>>> index = fixture_index()
>>> resolve(index, "Epithelial mesenchymal transition").id
'mkg:emt'
>>> resolve(index, "nf kappa b").id
'mkg:nfkb'
>>> [hit.node.id for hit in search(index, "tgf").items]
['mkg:tgfb1', 'mkg:tgf_beta_signaling', 'mkg:tgfb_inhibitor']
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kg.errors import AmbiguousNameError, InvalidQueryError, NotFoundError
from kg.query.index import GraphIndex, Node, check_int
from kg.text import name_key

# Match kinds, best first; search ranks by this order.
MATCH_KINDS = ("id", "exact", "synonym", "prefix", "substring")
MAX_SEARCH_LIMIT = 100


@dataclass(frozen=True)
class SearchHit:
    """A node that matched a search, how it matched and which of its names matched."""

    node: Node
    match: str
    matched: str

    def to_dict(self) -> dict[str, Any]:
        return {**self.node.to_dict(), "match": self.match, "matched": self.matched}


@dataclass(frozen=True)
class SearchResult:
    """One page of search hits; ``total`` counts all hits, ``truncated`` says more follow."""

    query: str
    items: tuple[SearchHit, ...]
    total: int
    limit: int
    offset: int
    truncated: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "items": [hit.to_dict() for hit in self.items],
            "total": self.total,
            "limit": self.limit,
            "offset": self.offset,
            "truncated": self.truncated,
        }


def _check_text(name: Any, what: str) -> str:
    if not isinstance(name, str) or not name.strip():
        raise InvalidQueryError(f"{what} must be a non-empty string, not {name!r}")
    return name.strip()


def _candidates(index: GraphIndex, nodes: list[tuple[int, str]]) -> list[dict[str, Any]]:
    return [{**index.node(node).to_dict(), "match": kind} for node, kind in nodes]


def resolve(index: GraphIndex, name: str) -> Node:
    """The one node that ``name`` denotes, or an error: never a guess.

    Tried in order, the first tier with a hit decides: exact node id; id, IRI or xref
    (any case); label; synonym. Several nodes in the deciding tier raise
    :class:`AmbiguousNameError` whose ``detail["candidates"]`` lists them; no hit raises
    :class:`NotFoundError` with search suggestions in ``detail["suggestions"]``.

    >>> from tests.fixture_graph import fixture_index
    >>> resolve(fixture_index(), "HGNC:11998").label
    'TP53'
    >>> resolve(fixture_index(), "TGF-beta")
    Traceback (most recent call last):
    ...
    kg.errors.AmbiguousNameError: 'TGF-beta' names 2 nodes: mkg:tgf_beta_signaling, mkg:tgfb1; use an id
    """
    name = _check_text(name, "a node name")
    if name in index:
        return index.node(name)
    by_identifier = index.identifier_table.get(name.casefold(), [])
    by_name = index.name_table.get(name_key(name), [])
    tiers = (
        by_identifier,
        [hit for hit in by_name if hit[1] == "label"],
        [hit for hit in by_name if hit[1] == "synonym"],
    )
    for tier in tiers:
        nodes = sorted({node for node, _ in tier}, key=index.node_ids.__getitem__)
        if len(nodes) == 1:
            return index.node(nodes[0])
        if nodes:
            ids = [index.node_ids[node] for node in nodes]
            raise AmbiguousNameError(
                f"{name!r} names {len(nodes)} nodes: {', '.join(ids)}; use an id",
                detail={"name": name, "candidates": _candidates(index, sorted(tier))},
            )
    suggestions = search(index, name, limit=5).items if name_key(name) else ()
    raise NotFoundError(
        f"no node is named {name!r}; try search for spellings"
        + (f" (did you mean {', '.join(hit.node.label for hit in suggestions)}?)" if suggestions else ""),
        detail={"name": name, "suggestions": [hit.to_dict() for hit in suggestions]},
    )


def resolve_all(index: GraphIndex, names: str | Any, *, what: str = "nodes", limit: int = 500) -> list[int]:
    """Node integers for one name or a collection of names (order kept, duplicates dropped)."""
    if isinstance(names, str):
        names = [names]
    try:
        names = list(names)
    except TypeError:
        raise InvalidQueryError(f"{what} must be a name or a list of names, not {names!r}") from None
    if not names or len(names) > limit:
        raise InvalidQueryError(f"{what} must list between 1 and {limit} nodes, not {len(names)}")
    # node ids, what programs pass, skip the name tiers of resolve()
    return list(dict.fromkeys(index.position(name if name in index else resolve(index, name).id) for name in names))


_MATCHES = {
    "exact": str.__eq__,
    "synonym": str.__eq__,
    "prefix": str.startswith,
    "substring": str.__contains__,
}


def _matched_text(index: GraphIndex, node: int, q: str, kind: str) -> str:
    """The identifier, label or synonym of ``node`` behind a match of kind ``kind`` on ``q``."""
    if kind == "id":
        identifiers = (index.node_ids[node], index.iris[node], *index.xrefs[node])
        return next(i for i in identifiers if i and i.casefold() == q.casefold())
    names, key = (index.labels[node], *index.synonyms[node]), name_key(q)
    return next((text for text in names if _MATCHES[kind](name_key(text), key)), index.labels[node])


def search(
    index: GraphIndex, q: str, *, category: str | list[str] | None = None, limit: int = 20, offset: int = 0
) -> SearchResult:
    """Autocomplete: nodes whose id, label or synonym matches ``q``, best matches first.

    Ranking: ``id`` (id, IRI or xref equal to ``q``) > ``exact`` (label) > ``synonym`` >
    ``prefix`` > ``substring``; then shorter labels first, then alphabetical.

    >>> from tests.fixture_graph import fixture_index
    >>> result = search(fixture_index(), "metast", limit=1)
    >>> [(hit.node.id, hit.match) for hit in result.items], result.total, result.truncated
    ([('mkg:metastasis', 'prefix')], 2, True)
    """
    q = _check_text(q, "the search text")
    limit = check_int("limit", limit, 1, MAX_SEARCH_LIMIT)
    offset = check_int("offset", offset, 0, 10_000)
    allowed = index.category_codes(category)
    key = name_key(q)
    best: dict[int, int] = {}  # node -> rank of its best match

    def note(node: int, kind: str) -> None:
        rank = MATCH_KINDS.index(kind)
        if rank < best.get(node, len(MATCH_KINDS)):
            best[node] = rank

    for node, _ in index.identifier_table.get(q.casefold(), []):
        note(node, "id")
    if key:
        for node, kind in index.name_table.get(key, []):
            note(node, "exact" if kind == "label" else "synonym")
        for found in index.prefix_range(key):
            for node, _ in index.name_table[found]:
                note(node, "prefix")
        for found in index.sorted_name_keys:
            if key in found and not found.startswith(key):
                for node, _ in index.name_table[found]:
                    note(node, "substring")
    if allowed is not None:
        best = {node: rank for node, rank in best.items() if index.node_category[node] in allowed}
    ranked = sorted(best, key=lambda n: (best[n], len(index.labels[n]), index.labels[n].casefold(), index.node_ids[n]))
    page = ranked[offset : offset + limit]
    items = tuple(
        SearchHit(index.node(n), MATCH_KINDS[best[n]], _matched_text(index, n, q, MATCH_KINDS[best[n]])) for n in page
    )
    return SearchResult(q, items, len(ranked), limit, offset, offset + len(page) < len(ranked))
