"""The SPARQL 1.1 Protocol query operation at ``/sparql`` (read-only: no update operation).

GET ``?query=``, POST form-encoded and POST ``application/sparql-query`` all end in
:func:`_answer`, which negotiates the result format from the ``Accept`` header (q-values
honoured, 406 when nothing fits) and hands the query to ``kg.sparql``, whose worker processes
parse, check and run it: this process never parses query text. A GET without ``query``
returns the Service Description, or the query page to a browser.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar
from urllib.parse import parse_qsl

import anyio
from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse

from api.deps import SettingsDep, SparqlEngineDep
from api.errors import ApiError, documented_errors
from api.openapi import content
from api.security import PAGE_HEADERS
from kg.errors import NotAcceptableError, QueryTooLargeError
from kg.sparql import (
    RESULT_FORMATS,
    QueryRequest,
    ResultFormat,
    ResultKind,
    SparqlEngine,
    formats_for,
    update_refused,
)

router = APIRouter(tags=["sparql"])

QUERY_PAGE = (Path(__file__).resolve().parent.parent / "static" / "sparql.html").read_text(encoding="utf-8")
FORM_ENCODED = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"
TRUNCATED_HEADER = "X-SPARQL-Truncated"

ERROR_RESPONSES = documented_errors({
    400: "Malformed query, refused operation (update, SERVICE), a query that needed more memory than one "
    "query may use, or a protocol violation",
    406: "No acceptable result format for this query form",
    413: "Query or request body too large",
    415: "POST body of an unsupported media type or charset",
    503: "Query timed out, or every query worker is busy (with Retry-After)",
})
SUCCESS_RESPONSE = {
    200: {
        "description": "Query results (SELECT/ASK) or an RDF graph (CONSTRUCT/DESCRIBE), by content negotiation",
        # SPARQL JSON results first: what a client gets unless it asks for another format
        "content": content(sorted((fmt.media_type for fmt in RESULT_FORMATS),
                                  key=lambda media_type: media_type != "application/sparql-results+json")),
    }
}
#: the query parameters of GET /sparql (SPARQL 1.1 Protocol), read from the query string by hand since
#: the protocol allows each graph parameter many times and the query to be absent (service description)
GET_PARAMETERS = {"parameters": [
    {"name": "query", "in": "query", "required": False, "schema": {"type": "string"},
     "description": "The SPARQL query; without it, the service description (or the query page in a browser)."},
    *({"name": name, "in": "query", "required": False, "schema": {"type": "array", "items": {"type": "string"}},
       "description": f"A {what} graph of the query's dataset (repeatable)."}
      for name, what in (("default-graph-uri", "default"), ("named-graph-uri", "named"))),
]}
POST_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            FORM_ENCODED: {
                "schema": {
                    "type": "object",
                    "required": ["query"],
                    "properties": {
                        "query": {"type": "string"},
                        "default-graph-uri": {"type": "array", "items": {"type": "string"}},
                        "named-graph-uri": {"type": "array", "items": {"type": "string"}},
                    },
                }
            },
            SPARQL_QUERY: {"schema": {"type": "string"}},
        },
    }
}

Offer = TypeVar("Offer")


@dataclass
class ProtocolParameters:
    """The SPARQL protocol parameters of one request, repeated ones kept in order."""

    queries: list[str] = field(default_factory=list)
    default_graph_uris: list[str] = field(default_factory=list)
    named_graph_uris: list[str] = field(default_factory=list)
    asks_update: bool = False

    def add(self, pairs: Sequence[tuple[str, str]]) -> "ProtocolParameters":
        for name, value in pairs:
            if name == "query":
                self.queries.append(value)
            elif name == "default-graph-uri":
                self.default_graph_uris.append(value)
            elif name == "named-graph-uri":
                self.named_graph_uris.append(value)
            elif name in ("update", "using-graph-uri", "using-named-graph-uri"):
                self.asks_update = True
        return self


# --- content negotiation ----------------------------------------------------------------------
def _media_ranges(accept: str) -> list[tuple[str, float]]:
    ranges = []
    for item in accept.split(","):
        media_range, *params = (part.strip() for part in item.split(";"))
        if not media_range:
            continue
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    quality = 0.0
        ranges.append((media_range.lower(), quality))
    return ranges


def _quality(media_type: str, ranges: list[tuple[str, float]]) -> float:
    """q of ``media_type``: from the most specific matching range (exact, then type/*, then */*)."""
    kind = media_type.split("/")[0]
    for candidate in (media_type, f"{kind}/*", "*/*"):
        qualities = [quality for media_range, quality in ranges if media_range == candidate]
        if qualities:
            return max(qualities)
    return 0.0


def negotiate(accept: str | None, offers: Sequence[tuple[str, Offer]]) -> tuple[str, Offer] | None:
    """The offer the client rates highest (ties: the first offer); None if it accepts none."""
    if not accept or not accept.strip():
        return offers[0]
    ranges = _media_ranges(accept)
    best, best_quality = None, 0.0
    for offer in offers:
        quality = _quality(offer[0], ranges)
        if quality > best_quality:
            best, best_quality = offer, quality
    return best


def _not_acceptable(accept: str | None, offers: Sequence[tuple[str, object]], what: str) -> ApiError:
    return ApiError(
        406,
        "not_acceptable",
        f"none of the formats of {what} is acceptable",
        detail={"accept": accept, "available": [media_type for media_type, _ in offers]},
    )


# --- request parsing --------------------------------------------------------------------------
async def _read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise QueryTooLargeError(
            f"the request body has {declared} bytes; the limit is {limit}", detail={"limit": limit}
        )
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise QueryTooLargeError(f"the request body exceeds {limit} bytes", detail={"limit": limit})
    return bytes(body)


def _utf8(data: bytes, what: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ApiError(400, "bad_request", f"{what} is not valid UTF-8: {exc.reason}") from exc


async def _post_parameters(request: Request, max_body_bytes: int) -> ProtocolParameters:
    content_type = request.headers.get("content-type", "")
    media_type, *params = (part.strip() for part in content_type.split(";"))
    media_type = media_type.lower()
    url_pairs = request.query_params.multi_items()
    if media_type == SPARQL_UPDATE:
        raise update_refused()
    if media_type not in (FORM_ENCODED, SPARQL_QUERY):
        raise ApiError(
            415,
            "unsupported_media_type",
            f"a SPARQL query POST needs Content-Type {FORM_ENCODED} or {SPARQL_QUERY}",
            detail={"content_type": content_type or None},
        )
    charsets = [p.partition("=")[2].strip("\"' ").lower() for p in params if p.lower().startswith("charset")]
    if any(charset not in ("utf-8", "utf8") for charset in charsets):
        raise ApiError(
            415,
            "unsupported_media_type",
            "a SPARQL query must be sent as UTF-8",
            detail={"content_type": content_type},
        )
    body = await _read_body(request, max_body_bytes)
    if media_type == SPARQL_QUERY:
        parameters = ProtocolParameters().add(url_pairs)
        if parameters.queries:
            raise ApiError(400, "bad_request", "a direct POST carries its query in the body, not in the URL")
        parameters.queries.append(_utf8(body, "the query"))
        return parameters
    try:
        body_pairs = parse_qsl(_utf8(body, "the form body"), keep_blank_values=True, errors="strict")
    except UnicodeDecodeError as exc:  # a percent-encoded value that is not UTF-8
        raise ApiError(400, "bad_request", f"a form value is not valid UTF-8: {exc.reason}") from exc
    return ProtocolParameters().add([*url_pairs, *body_pairs])


# --- answering --------------------------------------------------------------------------------
def _endpoint_url(request: Request) -> str:
    return str(request.url.replace(query="", fragment=""))


def _offers(kind: ResultKind) -> list[tuple[str, ResultFormat]]:
    return [(media_type, fmt) for fmt in formats_for(kind) for media_type in fmt.media_types]


async def _answer(request: Request, engine: SparqlEngine, parameters: ProtocolParameters) -> Response:
    if parameters.asks_update:
        raise update_refused()
    if len(parameters.queries) != 1:
        raise ApiError(
            400,
            "bad_request",
            f"the request needs exactly one 'query' parameter, not {len(parameters.queries)}",
        )
    query = QueryRequest(
        parameters.queries[0],
        base_iri=_endpoint_url(request),
        default_graph_uris=parameters.default_graph_uris,
        named_graph_uris=parameters.named_graph_uris,
    )
    # Only the worker's parser learns the query's kind, so the format is negotiated for each kind.
    accept = request.headers.get("accept")
    chosen = {kind: negotiate(accept, _offers(kind)) for kind in ResultKind}
    formats = {kind: choice[1] if choice else None for kind, choice in chosen.items()}
    with engine.admission():
        try:
            result = await anyio.to_thread.run_sync(
                engine.run, query, formats, limiter=request.app.state.sparql_threads
            )
        except NotAcceptableError as exc:
            kind = ResultKind(exc.detail["kind"])
            raise _not_acceptable(accept, _offers(kind), f"a {kind.value} result") from None
    headers = {"Vary": "Accept"}
    if result.truncated:
        headers[TRUNCATED_HEADER] = "true"
    return Response(result.body, media_type=chosen[result.kind][0], headers=headers)


def _describe_service(request: Request, engine: SparqlEngine) -> Response:
    offers: list[tuple[str, ResultFormat | None]] = [*_offers(ResultKind.GRAPH)]
    offers.append(("text/html", None))  # last: only a client that prefers HTML gets the page
    accept = request.headers.get("accept")
    chosen = negotiate(accept, offers)
    if chosen is None:
        raise _not_acceptable(accept, offers, "the service description")
    media_type, graph_format = chosen
    if graph_format is None:
        return HTMLResponse(QUERY_PAGE, headers={"Vary": "Accept", **PAGE_HEADERS})
    body = engine.service_description(_endpoint_url(request), graph_format)
    return Response(body, media_type=media_type, headers={"Vary": "Accept"})


@router.get(
    "/sparql",
    operation_id="sparql_query_get",
    summary="SPARQL query via GET; without 'query', the Service Description or the query page",
    response_class=Response,
    responses={**SUCCESS_RESPONSE, **ERROR_RESPONSES},
    openapi_extra=GET_PARAMETERS,
)
async def sparql_query_get(request: Request, engine: SparqlEngineDep) -> Response:
    parameters = ProtocolParameters().add(request.query_params.multi_items())
    if not parameters.queries and not parameters.asks_update:
        return _describe_service(request, engine)
    return await _answer(request, engine, parameters)


@router.post(
    "/sparql",
    operation_id="sparql_query_post",
    summary="SPARQL query via POST (form-encoded, or the query as an application/sparql-query body)",
    response_class=Response,
    responses={**SUCCESS_RESPONSE, **ERROR_RESPONSES},
    openapi_extra=POST_BODY,
)
async def sparql_query_post(request: Request, engine: SparqlEngineDep, settings: SettingsDep) -> Response:
    parameters = await _post_parameters(request, settings.max_body_bytes)
    return await _answer(request, engine, parameters)
