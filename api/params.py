"""Parameters of the REST routes and the MCP tools (:mod:`api.mcp_server`), declared once with their help
text and limits: FastAPI reads them as query parameters, the MCP SDK as tool arguments, and both
check them the same way before any query runs. Enumerated values are the named enums of
:mod:`api.models`.
"""

from typing import Annotated

from fastapi import Query

from api.models import Certainty, ConflictKind, Direction, EvidenceMode, ExpandMode, ExplanationFormat, PathMode
from kg.query.edges import MAX_LIMIT as EDGES_MAX_LIMIT
from kg.query.lookup import MAX_SEARCH_LIMIT
from kg.query.neighborhood import MAX_DEPTH
from kg.query.neighborhood import MAX_LIMIT as NEIGHBORHOOD_MAX_LIMIT
from kg.query.paths import MAX_K, MAX_LENGTH, MAX_PATHS, MAX_TIMEOUT_MS

NAME_HELP = "IRI, CURIE, label or synonym that names exactly one node."
MAX_NAME_LENGTH = 500
MAX_NODE_SET = 50

NodeName = Annotated[str, Query(min_length=1, max_length=MAX_NAME_LENGTH, description=NAME_HELP, examples=["EMT"])]
OptionalNodeName = Annotated[str | None, Query(min_length=1, max_length=MAX_NAME_LENGTH, description=NAME_HELP)]
NodeSet = Annotated[list[str], Query(min_length=1, max_length=MAX_NODE_SET, examples=[["EMT"]],
                                     description="Node name(s) (IRI, CURIE, label or synonym); several = a node set.")]
SearchText = Annotated[str, Query(min_length=1, max_length=200, description="Name or the start of one.",
                                  examples=["TGF-β"])]
Subject = Annotated[str | None, Query(description="Node name of the subject.")]
Object = Annotated[str | None, Query(description="Node name of the object.")]
Predicate = Annotated[str | None, Query(description="Predicate name (takes in the predicates below it).",
                                        examples=["inhibits"])]
Document = Annotated[str | None, Query(description="Only edges this document cites.")]
CertaintyFilter = Annotated[Certainty | None, Query(description="Only edges with a citation of this certainty.")]
ConflictKindFilter = Annotated[ConflictKind | None, Query(
    description="Only this kind: opposite_signs (a positive and a negative predicate for one pair) or certainty "
    "(one claim stated by a document, only hedged or implied by another).")]
ConflictNode = Annotated[str | None, Query(description="Only pairs with this node as subject or object.",
                                           examples=["EMT"])]
Predicates = Annotated[list[str] | None, Query(description="Only these predicates (repeatable).",
                                               examples=[["promotes"]])]
ExcludePredicates = Annotated[list[str] | None, Query(description="Never use these predicates.")]
Categories = Annotated[list[str] | None, Query(description="Only nodes of these Biolink categories (repeatable).",
                                               examples=[["biolink:Gene"]])]
ExcludeCategories = Annotated[list[str] | None, Query(description="Avoid nodes of these categories.")]
ExcludeNodes = Annotated[list[str] | None, Query(description="Avoid these nodes.")]
Via = Annotated[str | None, Query(description="A node every path must pass through.")]
Directed = Annotated[bool, Query(description="Follow edges subject -> object only.")]
Documents = Annotated[list[str] | None, Query(description="Only edges cited by these documents (repeatable).")]
DirectionParam = Annotated[Direction, Query(description="Follow edges out of, into, or both ways.")]
Depth = Annotated[int, Query(ge=1, le=MAX_DEPTH, description=f"Hops from the node (1-{MAX_DEPTH}).")]
NeighborhoodLimit = Annotated[int, Query(ge=1, le=NEIGHBORHOOD_MAX_LIMIT,
                                         description="Most nodes; the best-supported edges are kept first.")]
PathModeParam = Annotated[PathMode, Query(
    description="shortest; k_shortest (Yen); simple = all simple paths up to max_length.")]
PathK = Annotated[int, Query(ge=1, le=MAX_K, description="How many paths for k_shortest (or to explain).")]
MaxLength = Annotated[int, Query(ge=1, le=MAX_LENGTH, description="Most hops for simple paths.")]
MaxPaths = Annotated[int, Query(ge=1, le=MAX_PATHS, description="Result cap for simple paths.")]
TimeoutMs = Annotated[int, Query(ge=1, le=MAX_TIMEOUT_MS, description="Time budget of the path search, in ms.")]
Limit = Annotated[int, Query(ge=1, le=EDGES_MAX_LIMIT, description="Page size.")]
SearchLimit = Annotated[int, Query(ge=1, le=MAX_SEARCH_LIMIT, description="Page size.")]
Offset = Annotated[int, Query(ge=0, le=1_000_000, description="Items to skip.")]
Expand = Annotated[ExpandMode, Query(
    description="How far a node reaches through the concept hierarchy (member-of, kind-of): none; members (a "
    "pathway or family also answers through its members, transitively); hierarchy (also, for the subject of a claim, "
    "through the groups it belongs to). Answers say through which member or group (`through`).")]
Evidence = Annotated[EvidenceMode, Query(
    description="asserted: one edge per stated predicate; pooled: a pair's edges whose predicates share a causal "
    "polarity merged into one edge (named by its root, e.g. positively_affects) with every citation.")]
ExplanationFormatParam = Annotated[ExplanationFormat, Query(
    description="json (with the edges), markdown or an HTML fragment.")]
