"""Cited explanations: how one node leads to another, in words, with a reference list."""

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse

from api.admission import BUSY_RESPONSES, QuerySlot
from api.deps import IndexDep
from api.errors import REST_ERROR_RESPONSES
from api.models import ExplanationOut
from api.params import NodeName, PathK, TimeoutMs
from api.security import DATA_CONTENT_SECURITY_POLICY
from kg.explain import explain

router = APIRouter(tags=["graph"], responses=REST_ERROR_RESPONSES)


@router.get("/explain", operation_id="explain_paths", response_model=ExplanationOut,
            summary="How the source leads to the target: the best paths in words, each step cited",
            responses={**BUSY_RESPONSES, 200: {"content": {"application/json": {}, "text/markdown": {},
                                                           "text/html": {}},
                                               "description": "The explanation, in the format asked for."}})
def get_explanation(_slot: QuerySlot, index: IndexDep, source: NodeName, target: NodeName, k: PathK = 3,
                    format: Annotated[Literal["json", "markdown", "html"], Query(  # noqa: A002
                        description="json (with the edges), markdown or an HTML fragment.")] = "json",
                    timeout_ms: TimeoutMs = 2000):
    explanation = explain(index, source, target, k=k, timeout_ms=timeout_ms)
    if format == "markdown":
        return PlainTextResponse(explanation.to_markdown(), media_type="text/markdown; charset=utf-8")
    if format == "html":  # every text is escaped; the fragment needs nothing, so it may load nothing
        return HTMLResponse(explanation.to_html(), headers={"Content-Security-Policy": DATA_CONTENT_SECURITY_POLICY})
    return JSONResponse(explanation.to_dict())
