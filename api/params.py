"""Query parameters shared by several routes, declared once with their help text and limits."""

from typing import Annotated, Literal

from fastapi import Query

from kg.query.edges import MAX_LIMIT as EDGES_MAX_LIMIT
from kg.query.lookup import MAX_SEARCH_LIMIT
from kg.query.neighborhood import MAX_LIMIT as NEIGHBORHOOD_MAX_LIMIT
from kg.query.paths import MAX_LENGTH, MAX_TIMEOUT_MS

NodeName = Annotated[str, Query(min_length=1, max_length=500,
                                description="IRI, CURIE, label or synonym that names exactly one node.",
                                examples=["EMT"])]
Predicates = Annotated[list[str] | None, Query(description="Only these predicates (repeatable).",
                                               examples=[["promotes"]])]
Categories = Annotated[list[str] | None, Query(description="Only nodes of these Biolink categories (repeatable).",
                                               examples=[["biolink:Gene"]])]
Documents = Annotated[list[str] | None, Query(description="Only edges cited by these documents (repeatable).")]
Direction = Annotated[Literal["out", "in", "both"], Query(description="Follow edges out of, into, or both ways.")]
Depth = Annotated[int, Query(ge=1, le=3, description="Hops from the node (1-3).")]
NeighborhoodLimit = Annotated[int, Query(ge=1, le=NEIGHBORHOOD_MAX_LIMIT,
                                         description="Most nodes; the best-supported edges are kept first.")]
PathMode = Annotated[Literal["shortest", "k_shortest", "simple"], Query(
    description="shortest; k_shortest (Yen); simple = all simple paths up to max_length.")]
PathK = Annotated[int, Query(ge=1, le=50, description="How many paths for k_shortest.")]
MaxLength = Annotated[int, Query(ge=1, le=MAX_LENGTH, description="Most hops for simple paths.")]
MaxPaths = Annotated[int, Query(ge=1, le=1000, description="Result cap for simple paths.")]
TimeoutMs = Annotated[int, Query(ge=1, le=MAX_TIMEOUT_MS, description="Time budget of the path search, in ms.")]
Limit = Annotated[int, Query(ge=1, le=EDGES_MAX_LIMIT, description="Page size.")]
SearchLimit = Annotated[int, Query(ge=1, le=MAX_SEARCH_LIMIT, description="Page size.")]
Offset = Annotated[int, Query(ge=0, le=1_000_000, description="Items to skip.")]
Expand = Annotated[Literal["none", "members", "hierarchy"], Query(
    description="How far a node reaches through the concept hierarchy (member-of, kind-of): none; members (a "
    "pathway or family also answers through its members, transitively); hierarchy (also, for the subject of a claim, "
    "through the groups it belongs to). Answers say through which member or group (`through`).")]
Evidence = Annotated[Literal["asserted", "pooled"], Query(
    description="asserted: one edge per stated predicate; pooled: a pair's edges whose predicates share a causal "
    "polarity merged into one edge (named by its root, e.g. positively_affects) with every citation.")]
