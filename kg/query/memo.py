"""Answers kept per index: an index is read-only, so what a query works out from it alone (a node's
stand-ins, a pooled hop, the graph's conflicts) holds for every later query on it.

>>> from tests.fixture_graph import fixture_index
>>> calls = []
>>> kept(fixture_index(), ("doctest", 1), lambda: calls.append(1) or "worked out")
'worked out'
>>> kept(fixture_index(), ("doctest", 1), lambda: calls.append(1) or "again"), len(calls)
('worked out', 1)
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Hashable
from typing import TypeVar

from kg.query.index import GraphIndex

#: answers kept per index, at most (then they are worked out each time)
MAX_KEPT = 100_000
_KEPT: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()
T = TypeVar("T")


def kept(index: GraphIndex, key: Hashable, work: Callable[[], T]) -> T:
    """``work()``, kept for ``index`` under ``key`` (shared between callers: read it, never change it)."""
    with _LOCK:
        answers = _KEPT.setdefault(index, {})
    found = answers.get(key)
    if found is None:
        found = work()
        if len(answers) < MAX_KEPT:
            answers[key] = found
    return found
