"""Paths between nodes or node sets, with the composed sign of each path."""

from fastapi import APIRouter

from api.admission import BUSY_RESPONSES, QuerySlot
from api.deps import EdgeRecordsDep, IndexDep
from api.encoding import JSONAnswer
from api.errors import REST_ERROR_RESPONSES
from api.models import PathsOut
from api.params import (
    Categories,
    Directed,
    Evidence,
    ExcludeCategories,
    ExcludeNodes,
    ExcludePredicates,
    Expand,
    MaxLength,
    MaxPaths,
    NodeSet,
    PathK,
    PathModeParam,
    Predicates,
    TimeoutMs,
    Via,
)
from kg.query.paths import find_paths

router = APIRouter(tags=["graph"], responses=REST_ERROR_RESPONSES)

@router.get("/paths", operation_id="find_paths", response_model=PathsOut, responses=BUSY_RESPONSES,
            summary="Shortest, k shortest or all simple paths, ranked by length then citation support")
def get_paths(_slot: QuerySlot, index: IndexDep, edge_records: EdgeRecordsDep, source: NodeSet,
              target: NodeSet, mode: PathModeParam = "shortest", k: PathK = 5, max_length: MaxLength = 3,
              max_paths: MaxPaths = 100,
              directed: Directed = True, predicate: Predicates = None, exclude_predicate: ExcludePredicates = None,
              category: Categories = None, exclude_category: ExcludeCategories = None,
              exclude_node: ExcludeNodes = None, via: Via = None,
              timeout_ms: TimeoutMs = 2000, evidence: Evidence = "pooled",
              expand: Expand = "hierarchy") -> JSONAnswer:
    result = find_paths(index, source, target, mode=mode, k=k, max_length=max_length, max_paths=max_paths,
                        directed=directed, predicates=predicate, exclude_predicates=exclude_predicate,
                        categories=category, exclude_categories=exclude_category, exclude_nodes=exclude_node,
                        via=via, timeout_ms=timeout_ms, evidence=evidence, expand=expand)
    # Sent as built, not validated again against PathsOut: that would cost more than the search
    # itself on a large answer, outside its time budget (tests/test_api_schemathesis.py checks the shape).
    return JSONAnswer(result.to_dict(edge_records))
