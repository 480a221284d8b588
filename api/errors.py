"""One error shape for every failure: ``{"error": {"status", "code", "message", "detail"}}``.

The kg library raises :class:`kg.errors.KGError` subclasses; protocol violations found by the
web layer itself raise :class:`ApiError`; FastAPI's own 404/405/422 are reshaped; anything else
is logged and answered with a bare 500 (never a stack trace).

SPARQL protocol errors use the same JSON shape: the protocol leaves failure bodies to the
implementation, SPARQL clients only act on the status code (SPARQLWrapper shows the body text
in its exception, which JSON serves as well as plain text) and one shape keeps clients simple.
"""

import logging
from collections.abc import Iterable

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.models import ErrorBody, ErrorResponse
from kg.errors import (
    AmbiguousNameError,
    CurationError,
    DataFileError,
    EngineUnavailableError,
    InvalidQueryError,
    KGError,
    NotAcceptableError,
    NotFoundError,
    QueryRefusedError,
    QueryTimeoutError,
    QueryTooCostlyError,
    QueryTooLargeError,
    SandboxError,
    ValidationError,
)

log = logging.getLogger(__name__)

# Timeouts are 503, not 504: no gateway is involved, and the SPARQL protocol lets a service
# answer a query it cannot complete with a 5xx of its choice.
STATUS_BY_ERROR: dict[type[KGError], int] = {
    NotFoundError: 404,
    AmbiguousNameError: 409,
    InvalidQueryError: 400,
    QueryRefusedError: 400,
    QueryTooCostlyError: 400,
    NotAcceptableError: 406,
    QueryTooLargeError: 413,
    QueryTimeoutError: 503,
    EngineUnavailableError: 503,
    CurationError: 500,
    ValidationError: 500,
    DataFileError: 500,
    SandboxError: 500,
}

CODE_BY_STATUS = {
    400: "bad_request",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "request_too_large",
    415: "unsupported_media_type",
    422: "invalid_request",
}


class ApiError(Exception):
    """A failure found by the web layer (a protocol violation), rendered in the error shape."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        detail: object = None,
        headers: dict[str, str] | None = None,
    ):
        super().__init__(message)
        self.status, self.code, self.message, self.detail, self.headers = status, code, message, detail, headers


def error_body(status: int, code: str, message: str, detail: object = None) -> dict:
    """The one error shape as JSON-ready data (also what an MCP tool error carries, :mod:`api.mcp_server`)."""
    body = ErrorResponse(error=ErrorBody(status=status, code=code, message=message, detail=jsonable_encoder(detail)))
    return body.model_dump()


def invalid_request_body(problems: Iterable[dict]) -> dict:
    """The 422 of arguments that do not validate (pydantic's ``errors()``: a request's or an MCP tool call's)."""
    detail = [{"loc": list(problem.get("loc", ())), "msg": problem.get("msg"), "type": problem.get("type")}
              for problem in problems]
    return error_body(422, CODE_BY_STATUS[422], "the request does not validate", detail)


def error_response(
    status: int, code: str, message: str, detail: object = None, headers: dict[str, str] | None = None
) -> JSONResponse:
    return JSONResponse(error_body(status, code, message, detail), status_code=status, headers=headers)


def status_of(error: KGError) -> int:
    for cls in type(error).__mro__:
        if cls in STATUS_BY_ERROR:
            return STATUS_BY_ERROR[cls]
    return 400  # a KGError is caller-provoked unless listed otherwise


async def _kg_error(request: Request, exc: KGError) -> JSONResponse:
    status = status_of(exc)
    if status >= 500 and not isinstance(exc, QueryTimeoutError | EngineUnavailableError):
        log.error("%s on %s %s: %s", exc.code, request.method, request.url.path, exc.message)
    headers = None
    if isinstance(exc, EngineUnavailableError) and isinstance(exc.detail, dict):
        headers = {"Retry-After": str(exc.detail.get("retry_after_s", 1))}
    return error_response(status, exc.code, exc.message, exc.detail, headers)


async def _api_error(request: Request, exc: ApiError) -> JSONResponse:
    return error_response(exc.status, exc.code, exc.message, exc.detail, exc.headers)


async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    code = CODE_BY_STATUS.get(exc.status_code, "http_error")
    message = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
    if exc.status_code == 404:
        message = f"no route {request.url.path}"
    elif exc.status_code == 405:
        message = f"{request.method} is not allowed on {request.url.path}"
    return error_response(exc.status_code, code, message, None, getattr(exc, "headers", None))


async def _validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    return JSONResponse(invalid_request_body(exc.errors()), status_code=422)


async def _unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    return error_response(500, "internal_error", "internal server error")


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(KGError, _kg_error)
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(Exception, _unexpected_error)


def documented_errors(descriptions: dict[int, str]) -> dict[int | str, dict]:
    """OpenAPI ``responses`` entries, in the one error shape, for the given statuses."""
    return {status: {"model": ErrorResponse, "description": text} for status, text in descriptions.items()}


#: the error responses every REST route documents (the SPARQL routes document their own)
REST_ERROR_RESPONSES = documented_errors({
    400: "A parameter is out of range or malformed",
    404: "No node, document, predicate or category has that name",
    409: "The name fits several nodes; `detail.candidates` lists them",
    422: "A parameter is missing or of the wrong type",
    503: "The query could not produce any answer within its time budget",
})
