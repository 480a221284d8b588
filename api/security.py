"""What every response of a public, read-only service owes a browser: safe headers, relative redirects, CORS.

:func:`install` wraps the whole app, Starlette's 500 handler included, in three pure ASGI
layers (``BaseHTTPMiddleware`` would buffer streamed SPARQL results), outermost first:

- :class:`SecurityHeadersMiddleware`: ``nosniff``, no referrer, a ``sandbox`` policy on anything
  that is not an HTML page (a page sends its own, :data:`CONTENT_SECURITY_POLICY`), and redirect
  ``Location``\\ s made relative, so a forged ``Host`` header is never echoed into one;
- CORS (optional): any site may read the answers, never with credentials, as public SPARQL
  endpoints allow; a refused preflight answers in the service's one error shape;
- :class:`AllowedMethodsMiddleware`: ``OPTIONS`` answers 204 with the methods the path allows,
  and a 405 names all of them (Starlette's names only those of the first route of that path).
"""

from collections.abc import Callable, Iterable, Sequence
from urllib.parse import urlsplit, urlunsplit

from fastapi import FastAPI
from starlette.datastructures import Headers, MutableHeaders
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import Response
from starlette.routing import BaseRoute, Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import error_response

# Everything a page of this service needs comes from its own origin; the policy makes the browser
# enforce that and blocks injected script: no inline script or style, no javascript: URLs.
# Cytoscape styles its canvases through the CSSOM, which style-src does not restrict; the
# explorer's PNG export builds data: and blob: URLs.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'"
)
#: headers of the service's own HTML pages
PAGE_HEADERS = {"Content-Security-Policy": CONTENT_SECURITY_POLICY}
# Data (JSON, SPARQL results, RDF, exports) opened in a tab runs nothing and cannot be framed.
DATA_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'; sandbox"
DEFAULT_HEADERS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}

# What SPARQL clients (Comunica, YASGUI, fetch-based libraries) send besides the CORS-safelisted headers.
CORS_REQUEST_HEADERS = (
    "Accept", "Accept-Language", "Cache-Control", "Content-Type", "If-Modified-Since", "If-None-Match",
    "Pragma", "X-Requested-With",
)
CORS_EXPOSED_HEADERS = ("Content-Disposition", "ETag", "Retry-After")
BODY_HEADERS = ("content-length", "content-type")
ROUTABLE_METHODS = ("DELETE", "GET", "HEAD", "PATCH", "POST", "PUT")


def install(app: FastAPI, cors_origins: Sequence[str], exposed_headers: Sequence[str] = ()) -> None:
    """Wrap ``app`` in the layers above; CORS only when ``cors_origins`` names any (``"*"``: every origin).

    ``exposed_headers`` are response headers of the routes that cross-origin scripts may read
    besides :data:`CORS_EXPOSED_HEADERS`.
    """
    build_stack = app.build_middleware_stack

    # Outside Starlette's ServerErrorMiddleware, which add_middleware cannot reach: a 500 gets the headers too.
    def build_wrapped_stack() -> ASGIApp:
        inner = AllowedMethodsMiddleware(build_stack(), app.router.routes)
        if cors_origins:
            inner = PublicCORSMiddleware(
                inner,
                allow_origins=cors_origins,
                allow_methods=["GET", "POST"],
                allow_headers=CORS_REQUEST_HEADERS,
                expose_headers=[*exposed_headers, *CORS_EXPOSED_HEADERS],
            )
        return SecurityHeadersMiddleware(inner)

    app.build_middleware_stack = build_wrapped_stack  # type: ignore[method-assign]


def relative_location(location: str) -> str:
    """``location`` without scheme and host; leading slashes collapse so it cannot turn into ``//other.host``."""
    parts = urlsplit(location)
    if not (parts.scheme or parts.netloc or parts.path.startswith(("/", "\\"))):
        return location  # relative to the current path: names no host
    return urlunsplit(("", "", "/" + parts.path.lstrip("/\\"), parts.query, parts.fragment))


def harden(headers: MutableHeaders) -> None:
    """Add the default headers a response lacks and make its redirect relative."""
    for name, value in DEFAULT_HEADERS.items():
        headers.setdefault(name, value)
    if not headers.get("content-type", "").startswith("text/html"):
        headers.setdefault("Content-Security-Policy", DATA_CONTENT_SECURITY_POLICY)
    if "location" in headers:
        headers["Location"] = relative_location(headers["location"])


def _on_response_start(send: Send, edit: Callable[[MutableHeaders], None]) -> Send:
    """``send`` that lets ``edit`` change the response headers before they go out."""

    async def send_edited(message: Message) -> None:
        if message["type"] == "http.response.start":
            message.setdefault("headers", [])
            edit(MutableHeaders(scope=message))
        await send(message)

    return send_edited


class SecurityHeadersMiddleware:
    """Every HTTP response gets :func:`harden`\\ ed headers."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            send = _on_response_start(send, harden)
        await self.app(scope, receive, send)


def allowed_methods(routes: Iterable[BaseRoute], scope: Scope) -> list[str]:
    """The methods the routes answer on the path of ``scope`` (empty when no route has that path).

    Each method is tried through the routes' public ``matches``: FastAPI nests included routers.
    """
    methods = [
        method
        for method in ROUTABLE_METHODS
        if any(route.matches({**scope, "method": method})[0] is Match.FULL for route in routes)
    ]
    return [*methods, "OPTIONS"] if methods else []


class AllowedMethodsMiddleware:
    """``OPTIONS`` on a known path answers 204 and ``Allow``; a 405 names every method of its path."""

    def __init__(self, app: ASGIApp, routes: Iterable[BaseRoute]) -> None:
        self.app, self.routes = app, routes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["method"] == "OPTIONS" and (methods := allowed_methods(self.routes, scope)):
            await Response(status_code=204, headers={"Allow": ", ".join(methods)})(scope, receive, send)
            return
        request_scope = dict(scope)  # as it came: routing adds the matched route's keys to ``scope``

        def name_all_methods(headers: MutableHeaders) -> None:
            if "allow" in headers:
                headers["Allow"] = ", ".join(allowed_methods(self.routes, request_scope))

        await self.app(scope, receive, _on_response_start(send, name_all_methods))


class PublicCORSMiddleware(CORSMiddleware):
    """Starlette's CORS, whose refused preflights answer in the service's one error shape."""

    def preflight_response(self, request_headers: Headers) -> Response:
        response = super().preflight_response(request_headers)
        if response.status_code == 200:
            return response
        # Keep its CORS and Vary headers; the body and its length and type are the error shape's.
        cors = {name: value for name, value in response.headers.items() if name not in BODY_HEADERS}
        return error_response(response.status_code, "cors_refused", bytes(response.body).decode(), headers=cors)
