"""The whole graph in each export format, serialised once per loaded dataset and kept in memory.

A whole-graph export is a static answer: the dataset does not change while it is served, and
serialising it costs up to a second (Turtle) for the curated graph. Each format is built on its
first request, once even when many such requests arrive together, and then served as it is with
a strong ETag (the SHA-256 of its bytes), which also lets a client revalidate for free.
"""

import hashlib
import threading
import weakref
from dataclasses import dataclass, field

from kg.exchange.dataset import LoadedDataset
from kg.exchange.export import FORMATS, RDF_FORMATS, serialize_selection


def canonical_format(fmt: str) -> str:
    """The format an export name stands for: aliases (``ttl``, ``ntriples``) give the same bytes."""
    return RDF_FORMATS.get(fmt, fmt)


@dataclass(frozen=True)
class StaticFile:
    body: bytes
    etag: str  # strong, quoted: '"<sha256 hex>"'

    @classmethod
    def of(cls, body: bytes) -> "StaticFile":
        return cls(body, f'"{hashlib.sha256(body).hexdigest()}"')


@dataclass
class _DatasetExports:
    """The files built for one dataset, and one lock per format so that each is built once."""

    files: dict[str, StaticFile] = field(default_factory=dict)
    locks: dict[str, threading.Lock] = field(
        default_factory=lambda: {name: threading.Lock() for name in {canonical_format(f) for f in FORMATS}})


class WholeGraphExports:
    """Whole-graph exports keyed by dataset; an entry goes when its dataset is collected."""

    def __init__(self) -> None:
        self._by_dataset: dict[int, _DatasetExports] = {}
        self._guard = threading.Lock()

    def cached(self, dataset: LoadedDataset, fmt: str) -> StaticFile | None:
        """The file if it is built, without waiting for a build under way."""
        exports = self._by_dataset.get(id(dataset))
        return exports.files.get(canonical_format(fmt)) if exports else None

    def build(self, dataset: LoadedDataset, fmt: str) -> StaticFile:
        """The file, built now unless it is built or being built (then this waits for that build)."""
        exports, name = self._exports_of(dataset), canonical_format(fmt)
        with exports.locks[name]:
            if name not in exports.files:
                exports.files[name] = StaticFile.of(serialize_selection(dataset.store, dataset.exchange, fmt))
            return exports.files[name]

    def _exports_of(self, dataset: LoadedDataset) -> _DatasetExports:
        with self._guard:
            exports = self._by_dataset.get(id(dataset))
            if exports is None:
                exports = self._by_dataset[id(dataset)] = _DatasetExports()
                # keyed by id, so dropped with the dataset, before another object can take its id
                weakref.finalize(dataset, self._by_dataset.pop, id(dataset), None)
            return exports


#: the exports of every dataset this process serves
WHOLE_GRAPH = WholeGraphExports()
