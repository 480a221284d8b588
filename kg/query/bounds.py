"""How much one path or neighbourhood answer may carry, whatever its own caps let it find.

``max_paths``, ``k`` and ``limit`` bound what a query finds; an answer also carries every
citation of every edge it holds, and paths repeat the edges they share, so those caps alone
let one answer grow to megabytes (1000 five-hop paths over the curated graph: 4.8 MB of JSON).
The answer's edges and citations, counted as records, are therefore capped once here for every
query: results keep their best items up to the cap and say ``truncated_by: "size"``.
"""

from __future__ import annotations

import numpy as np

from kg.query.index import GraphIndex

#: The most edge and citation records one answer carries: each edge counts one, plus one per
#: citation it carries. A record is 300-400 bytes of JSON, so an answer stays near 1 MB.
MAX_ANSWER_RECORDS = 2500


def record_costs(index: GraphIndex, edges: np.ndarray) -> np.ndarray:
    """The records each of ``edges`` adds to an answer: itself and the citations it carries."""
    edges = np.asarray(edges, dtype=np.int64)
    if index.citations is None:  # an index built from bare arrays carries no citation records
        return np.ones(edges.size, dtype=np.int64)
    return 1 + index.edge_support[edges].astype(np.int64)


def leading_within(costs: np.ndarray, cap: int) -> int:
    """How many leading items of ``costs`` fit in ``cap`` together; at least one, so that an
    answer that found something never comes back empty because of its size.

    >>> leading_within(np.array([3, 4, 5]), 7), leading_within(np.array([9]), 7)
    (2, 1)
    """
    if not len(costs):
        return 0
    return max(1, int(np.searchsorted(np.cumsum(costs), cap, side="right")))
