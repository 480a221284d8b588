"""The concept hierarchy: which nodes stand in for a query node when a query walks it.

Member-of and kind-of edges (predicates marked ``hierarchy`` in ``data/predicates.yaml``, mostly
background knowledge) link a gene to its family, a family to its pathway's gene set, a cell subtype
to its type. ``expand`` says how far a query on a node reaches through them:

* ``none``: the node alone;
* ``members``: also everything below it (members and kinds, transitively): a query on a pathway
  or family walks from its members too;
* ``hierarchy``: as ``members``, and for the subject of a claim also the groups above it, since
  what a family or pathway is said to do concerns its members (TGF-beta inherits what TGF-beta
  signalling drives).

Sideways moves never happen: KRAS's groups bring RAS's claims, never HRAS's.

>>> from tests.fixture_graph import fixture_index
>>> index = fixture_index()
>>> {index.node_ids[n]: how for n, how in stand_ins(index, "mkg:tgf_beta_signaling", "members").items()}
{'mkg:tgf_beta_signaling': None, 'mkg:tgfb1': 'member'}
>>> {index.node_ids[n]: how for n, how in stand_ins(index, "mkg:tgfb1", "hierarchy").items()}
{'mkg:tgfb1': None, 'mkg:tgf_beta_signaling': 'group'}
"""

from __future__ import annotations

import numpy as np

from kg.errors import InvalidQueryError
from kg.query.index import GraphIndex
from kg.query.memo import kept

EXPANSIONS = ("none", "members", "hierarchy")
#: at most this many nodes stand in for one query node (a hub class must not fan a query out)
MAX_STAND_INS = 200


def check_expand(expand: str) -> str:
    if expand not in EXPANSIONS:
        raise InvalidQueryError(f"expand must be one of {', '.join(EXPANSIONS)}, not {expand!r}")
    return expand


def stand_ins(index: GraphIndex, node: str | int, expand: str, *, groups: bool = True) -> dict[int, str | None]:
    """The nodes a query on ``node`` reaches under ``expand``, each with how it relates to it
    (None for the node itself, ``member`` below it, ``group`` above it). ``groups=False`` leaves
    the groups out where a node is not the subject of a claim (an object, a path's end). Nearest
    first, at most :data:`MAX_STAND_INS`. The mapping is shared between calls: read it, never change it."""
    check_expand(expand)
    start = index.position(node) if isinstance(node, str) else int(node)
    if expand == "none" or not index.has_hierarchy:
        return {start: None}
    # kept: a path answer asks for them at every hop of every candidate path
    return kept(index, ("stand-ins", start, expand, groups), lambda: _stand_ins(index, start, expand, groups))


def _stand_ins(index: GraphIndex, start: int, expand: str, groups: bool) -> dict[int, str | None]:
    found: dict[int, str | None] = {start: None}
    _walk(index, start, "in", "member", found)
    if expand == "hierarchy" and groups:
        _walk(index, start, "out", "group", found)
    return found


def _walk(index: GraphIndex, start: int, way: str, relation: str, found: dict[int, str | None]) -> None:
    """Breadth-first along hierarchy edges, ``in`` (towards members) or ``out`` (towards groups)."""
    frontier = np.array([start], dtype=np.int32)
    while frontier.size and len(found) < MAX_STAND_INS:
        _, neighbours, edges, _ = index.adjacent(frontier, way)
        reached = neighbours[index.edge_hierarchy[edges]].tolist()
        fresh = [n for n in dict.fromkeys(reached) if n not in found][: MAX_STAND_INS - len(found)]
        found.update((n, relation) for n in fresh)
        frontier = np.array(fresh, dtype=np.int32)
