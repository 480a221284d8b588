"""Download the graph, a neighbourhood or a path result in an exchange format."""

from typing import Annotated

from fastapi import APIRouter, Query, Response

from api.deps import DatasetDep
from api.errors import REST_ERROR_RESPONSES
from api.params import Depth, Direction, MaxLength, NeighborhoodLimit, PathK, PathMode, Predicates
from kg.errors import InvalidQueryError
from kg.export import FORMATS, MEDIA_TYPES, selection_of, serialize_selection
from kg.neighborhood import neighborhood
from kg.paths import find_paths

router = APIRouter(tags=["export"], responses=REST_ERROR_RESPONSES)

SUFFIXES = {"turtle": "ttl", "ntriples": "nt", "jsonld": "jsonld", "graphml": "graphml", "kgx": "kgx.json",
            "cytoscape": "cyjs"}


@router.get("/export", operation_id="export_graph", summary="The whole graph, a neighbourhood or paths as a file",
            responses={200: {"content": {t: {} for t in sorted(set(MEDIA_TYPES.values()))},
                             "description": "The serialised graph."}})
def export_graph(dataset: DatasetDep,
                 format: Annotated[str, Query(description=f"One of: {', '.join(FORMATS)}.",  # noqa: A002
                                              examples=["turtle"])] = "turtle",
                 node: Annotated[list[str] | None, Query(description="Export this node's neighbourhood.")] = None,
                 depth: Depth = 1, direction: Direction = "both", predicate: Predicates = None,
                 limit: NeighborhoodLimit = 100,
                 source: Annotated[list[str] | None, Query(description="Export paths from here...")] = None,
                 target: Annotated[list[str] | None, Query(description="...to here.")] = None,
                 mode: PathMode = "shortest", k: PathK = 5, max_length: MaxLength = 3) -> Response:
    if format not in FORMATS:
        raise InvalidQueryError(f"unknown export format {format!r}; use one of {', '.join(FORMATS)}")
    if bool(source) != bool(target):
        raise InvalidQueryError("a path export needs both source and target")
    if node and source:
        raise InvalidQueryError("export either a neighbourhood (node) or paths (source, target), not both")
    selection = (None, None)
    if node:
        selection = selection_of(neighborhood(dataset.index, node, depth=depth, direction=direction,
                                              predicates=predicate, limit=limit))
    elif source:
        selection = selection_of(find_paths(dataset.index, source, target, mode=mode, k=k, max_length=max_length,
                                            predicates=predicate))
    body = serialize_selection(dataset.rdf, dataset.exchange, format, *selection)
    filename = f"metastasis-kg.{SUFFIXES.get(format, format)}"
    return Response(body, media_type=MEDIA_TYPES[format],
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
