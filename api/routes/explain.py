"""Cited explanations: how one node leads to another, or what drives a node and what it drives,
in words, with a reference list."""

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, PlainTextResponse

from api.admission import BUSY_RESPONSES, QuerySlot
from api.deps import IndexDep
from api.encoding import JSONAnswer
from api.errors import REST_ERROR_RESPONSES
from api.models import ExplanationOut
from api.params import ExplanationFormatParam, OptionalNodeName, PathK, TimeoutMs
from api.security import DATA_CONTENT_SECURITY_POLICY
from kg.errors import InvalidQueryError
from kg.query.explain import Explanation, explain, explain_node
from kg.query.index import GraphIndex

router = APIRouter(tags=["graph"], responses=REST_ERROR_RESPONSES)


@router.get("/explain", operation_id="explain_paths", response_model=ExplanationOut,
            summary="How the source leads to the target (the best paths), or a node's strongest drivers and effects, "
            "in words, each step cited",
            responses={**BUSY_RESPONSES, 200: {"content": {"application/json": {}, "text/markdown": {},
                                                           "text/html": {}},
                                               "description": "The explanation, in the format asked for."}})
def get_explanation(_slot: QuerySlot, index: IndexDep, source: OptionalNodeName = None,
                    target: OptionalNodeName = None, node: OptionalNodeName = None, k: PathK = 3,
                    format: ExplanationFormatParam = "json",  # noqa: A002
                    timeout_ms: TimeoutMs = 2000):
    explanation = explain_either(index, source, target, node, k=k, timeout_ms=timeout_ms)
    if format == "markdown":
        return PlainTextResponse(explanation.to_markdown(), media_type="text/markdown; charset=utf-8")
    if format == "html":  # every text is escaped; the fragment needs nothing, so it may load nothing
        return HTMLResponse(explanation.to_html(), headers={"Content-Security-Policy": DATA_CONTENT_SECURITY_POLICY})
    return JSONAnswer(explanation.to_dict())


def explain_either(index: GraphIndex, source: str | None, target: str | None, node: str | None, *, k: int,
                   timeout_ms: int) -> Explanation:
    """How ``source`` leads to ``target``, or ``node``'s drivers and effects: whichever was asked (also the MCP
    tool's, :mod:`api.mcp_server`); an :class:`InvalidQueryError` for any other mix."""
    if node is not None and source is None and target is None:
        return explain_node(index, node, k=k)
    if node is None and source is not None and target is not None:
        return explain(index, source, target, k=k, timeout_ms=timeout_ms)
    raise InvalidQueryError("give source and target (how one leads to the other), or node alone (its drivers "
                            "and effects)")
