"""Edge records shared between the parts of an answer, or between answers.

An answer's ``to_dict`` makes one record (``Edge.to_dict()``) per edge it carries. The paths of
one answer share many edges, and on a served graph every answer's record of an edge is the same,
so ``to_dict`` takes ``edge_records``: a mapping from what names an edge record (its edge number,
or the edge numbers a pooled hop merges) to the record, read before one is made and given each
one made. A dict shares them within one answer; the web layer passes one that keeps them
encoded across answers (:class:`api.encoding.EncodedEdges`).

>>> from tests.fixture_graph import fixture_index
>>> index, shared = fixture_index(), {}
>>> first = edge_record(shared, 0, index.edge, 0)
>>> edge_record(shared, 0, index.edge, 0) is first
True
"""

from collections.abc import Callable, Hashable, MutableMapping
from typing import Any

from kg.query.index import Edge

EdgeRecords = MutableMapping[Hashable, Any]


def edge_record(records: EdgeRecords, key: Hashable, make: Callable[..., Edge], *arguments: Any) -> Any:
    """The record ``records`` holds under ``key``, or ``make(*arguments).to_dict()``, given to them."""
    record = records.get(key)
    if record is None:
        record = make(*arguments).to_dict()
        records[key] = record
    return record
