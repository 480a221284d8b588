"""Download the graph, a neighbourhood or a path result in an exchange format.

The whole graph is a static answer: each format is serialised once (:mod:`api.export_cache`)
and served with a strong ``ETag`` and ``Cache-Control``, and ``If-None-Match`` gets 304. A
neighbourhood or path export is built per request, holding an export slot (:mod:`api.admission`),
as does the first build of each whole-graph format.
"""

from typing import Annotated

from fastapi import APIRouter, FastAPI, Header, Query, Request, Response

from api.admission import BUSY_RESPONSES, holding
from api.deps import DatasetDep
from api.errors import REST_ERROR_RESPONSES
from api.export_cache import WHOLE_GRAPH
from api.models import ExportFormat
from api.openapi import content
from api.params import Depth, DirectionParam, MaxLength, NeighborhoodLimit, PathK, PathModeParam, Predicates
from kg.errors import InvalidQueryError
from kg.exchange.dataset import LoadedDataset
from kg.exchange.export import FORMATS, MEDIA_TYPES, selection_of, serialize_selection
from kg.exchange.jsonld import published_context
from kg.query.neighborhood import neighborhood
from kg.query.paths import find_paths

router = APIRouter(tags=["export"], responses=REST_ERROR_RESPONSES)

SUFFIXES = {"turtle": "ttl", "ntriples": "nt", "jsonld": "jsonld", "graphml": "graphml", "kgx": "kgx.json",
            "kgx-tsv": "kgx-tsv.tar.gz", "kgx-jsonl": "kgx-jsonl.tar.gz", "cytoscape": "cytoscape.json",
            "cyjs": "cyjs", "sssom": "sssom.tsv"}
# How long a client or shared cache may reuse a whole-graph export without asking again; after
# that, revalidating with its ETag costs a 304. An hour: the served graph changes only on redeploy.
WHOLE_GRAPH_MAX_AGE_S = 3600


@router.get("/export", operation_id="export_graph", summary="The whole graph, a neighbourhood or paths as a file",
            response_class=Response,
            responses={200: {"content": content(MEDIA_TYPES[f] for f in FORMATS),  # turtle, the default, first
                             "description": "The serialised graph, in the media type of the format asked for."},
                       304: {"description": "The whole graph is unchanged since the ETag given in If-None-Match."},
                       **BUSY_RESPONSES})
def export_graph(request: Request, dataset: DatasetDep,
                 format: Annotated[ExportFormat, Query(description="Serialisation (kgx-tsv, kgx-jsonl: tar.gz).",  # noqa: A002
                                                       examples=["turtle"])] = "turtle",
                 node: Annotated[list[str] | None, Query(description="Export this node's neighbourhood.")] = None,
                 depth: Depth = 1, direction: DirectionParam = "both", predicate: Predicates = None,
                 limit: NeighborhoodLimit = 100,
                 source: Annotated[list[str] | None, Query(description="Export paths from here...")] = None,
                 target: Annotated[list[str] | None, Query(description="...to here.")] = None,
                 mode: PathModeParam = "shortest", k: PathK = 5, max_length: MaxLength = 3,
                 if_none_match: Annotated[str | None, Header(
                     description="ETag(s) of a whole-graph export the client holds; 304 if it is current.")] = None,
                 ) -> Response:
    if bool(source) != bool(target):
        raise InvalidQueryError("a path export needs both source and target")
    if node and source:
        raise InvalidQueryError("export either a neighbourhood (node) or paths (source, target), not both")
    filename = f"metastasis-kg.{SUFFIXES.get(format, format)}"
    download = {"Content-Disposition": f'attachment; filename="{filename}"'}
    if not node and not source:
        return _whole_graph(request.app, dataset, format, if_none_match, download)
    with holding(request.app, "export"):
        if node:
            selection = selection_of(neighborhood(dataset.index, node, depth=depth, direction=direction,
                                                  predicates=predicate, limit=limit))
        else:
            selection = selection_of(find_paths(dataset.index, source, target, mode=mode, k=k,
                                                max_length=max_length, predicates=predicate))
        body = serialize_selection(dataset.store, dataset.exchange, format, *selection)
    return Response(body, media_type=MEDIA_TYPES[format], headers=download)


@router.get("/context.jsonld", operation_id="jsonld_context", response_class=Response,
            summary="The JSON-LD @context of the graph's JSON-LD exports, published at a stable address",
            responses={200: {"content": content(["application/ld+json"]),
                             "description": "The context: the project's prefixes, nothing else."}})
def jsonld_context() -> Response:
    return Response(published_context(), media_type="application/ld+json",
                    headers={"Cache-Control": f"public, max-age={WHOLE_GRAPH_MAX_AGE_S}"})


def _whole_graph(app: FastAPI, dataset: LoadedDataset, fmt: str, if_none_match: str | None,
                 download: dict[str, str]) -> Response:
    """The whole graph from the cache (built now, holding an export slot, if it is not yet), or 304."""
    file = WHOLE_GRAPH.cached(dataset, fmt)
    if file is None:
        with holding(app, "export"):
            file = WHOLE_GRAPH.build(dataset, fmt)
    validators = {"ETag": file.etag, "Cache-Control": f"public, max-age={WHOLE_GRAPH_MAX_AGE_S}"}
    if _matches(if_none_match, file.etag):
        return Response(status_code=304, headers=validators)
    return Response(file.body, media_type=MEDIA_TYPES[fmt], headers={**validators, **download})


def _matches(if_none_match: str | None, etag: str) -> bool:
    """Whether ``If-None-Match`` names ``etag`` or is ``*`` (weak comparison, as RFC 9110 has it for GET)."""
    if not if_none_match:
        return False
    tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    return "*" in tags or etag in tags
