"""Answers as JSON bytes, fast: orjson, and each edge's record encoded once.

An edge's record (``Edge.to_dict()``) depends only on the served graph, so a neighbourhood or a
path answer need not rebuild and re-encode the few hundred edges it carries each time:
:class:`EncodedEdges` keeps each record as pre-encoded JSON (``orjson.Fragment``) under the key
the answer gives it (its edge number, or the edge numbers a pooled hop merges), and the next
answer splices those bytes in. ``to_dict`` stays the one definition of an answer's shape; the
pydantic models of :mod:`api.models` describe it in the OpenAPI schema and the tests check
answers against them, but responses are not validated again at run time (for a depth-2
neighbourhood that cost more than finding, building and encoding it together).

>>> cache = EncodedEdges(max_bytes=1 << 20)
>>> cache.get(7) is None
True
>>> cache[7] = {"predicate": "promotes", "sign": 1}
>>> JSONAnswer({"edges": [cache.get(7)]}).body
b'{"edges":[{"predicate":"promotes","sign":1}]}'
"""

from collections.abc import Hashable
from typing import Any

import orjson
from starlette.responses import Response


class JSONAnswer(Response):
    """A JSON response encoded by orjson (UTF-8, compact, as ``JSONResponse`` writes it, only faster)."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content)


class EncodedEdges:
    """Edge records by key, kept encoded, within about ``max_bytes`` of JSON.

    Behaves as the ``edge_records`` mapping of the answers' ``to_dict`` (read with ``get`` before
    a record is built, given each record built); a record given is stored encoded, so ``get``
    returns an ``orjson.Fragment`` that encodes to the same bytes. When the records kept reach half
    of ``max_bytes`` they become the older generation and a new one starts; a record read from
    the older generation moves to the new one, so what answers keep using stays, and the rest
    goes when the next generation fills. Threads may share one: a race costs an extra encoding.
    """

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self._current: dict[Hashable, bytes] = {}
        self._older: dict[Hashable, bytes] = {}
        self._current_bytes = 0

    def __len__(self) -> int:
        """Records kept (in both generations)."""
        return len(self._current) + len(self._older)

    def get(self, key: Hashable) -> orjson.Fragment | None:
        encoded = self._current.get(key)
        if encoded is None:
            encoded = self._older.pop(key, None)
            if encoded is None:
                return None
            self._keep(key, encoded)
        return orjson.Fragment(encoded)

    def __setitem__(self, key: Hashable, record: dict[str, Any]) -> None:
        self._keep(key, orjson.dumps(record))

    def _keep(self, key: Hashable, encoded: bytes) -> None:
        self._current[key] = encoded
        self._current_bytes += len(encoded)
        if self._current_bytes > self.max_bytes // 2:
            self._older, self._current, self._current_bytes = self._current, {}, 0
