"""Paths between nodes or node sets, with the composed sign of each path."""

from typing import Annotated

from fastapi import APIRouter, Query

from api.admission import BUSY_RESPONSES, QuerySlot
from api.deps import EdgeRecordsDep, IndexDep
from api.encoding import JSONAnswer
from api.errors import REST_ERROR_RESPONSES
from api.models import PathsOut
from api.params import Categories, Evidence, Expand, MaxLength, MaxPaths, PathK, PathMode, Predicates, TimeoutMs
from kg.query.paths import find_paths

router = APIRouter(tags=["graph"], responses=REST_ERROR_RESPONSES)

Ends = Annotated[list[str], Query(min_length=1, max_length=50, description="Node name(s); several = a node set.")]


@router.get("/paths", operation_id="find_paths", response_model=PathsOut, responses=BUSY_RESPONSES,
            summary="Shortest, k shortest or all simple paths, ranked by length then citation support")
def get_paths(_slot: QuerySlot, index: IndexDep, edge_records: EdgeRecordsDep, source: Ends, target: Ends,
              mode: PathMode = "shortest", k: PathK = 5, max_length: MaxLength = 3, max_paths: MaxPaths = 100,
              directed: Annotated[bool, Query(description="Follow edges subject -> object only.")] = True,
              predicate: Predicates = None,
              exclude_predicate: Annotated[list[str] | None, Query(description="Never use these predicates.")] = None,
              category: Categories = None,
              exclude_category: Annotated[list[str] | None, Query(description="Avoid nodes of these categories.")]
              = None,
              exclude_node: Annotated[list[str] | None, Query(description="Avoid these nodes.")] = None,
              via: Annotated[str | None, Query(description="A node every path must pass through.")] = None,
              timeout_ms: TimeoutMs = 2000, evidence: Evidence = "pooled",
              expand: Expand = "hierarchy") -> JSONAnswer:
    result = find_paths(index, source, target, mode=mode, k=k, max_length=max_length, max_paths=max_paths,
                        directed=directed, predicates=predicate, exclude_predicates=exclude_predicate,
                        categories=category, exclude_categories=exclude_category, exclude_nodes=exclude_node,
                        via=via, timeout_ms=timeout_ms, evidence=evidence, expand=expand)
    # Sent as built, not validated again against PathsOut: that would cost more than the search
    # itself on a large answer, outside its time budget (tests/test_api_schemathesis.py checks the shape).
    return JSONAnswer(result.to_dict(edge_records))
