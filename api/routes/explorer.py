"""The graph explorer: a single page at ``/`` and its static files under ``/explorer/``.

The page is plain HTML, CSS and JavaScript that calls the REST API and ``/sparql`` of the same
service; Cytoscape.js is vendored into ``api/static/explorer/vendor/`` (``explorer/build.mjs``
copies the version pinned by ``explorer/package-lock.json``), so nothing is loaded from another
host and the page works offline. None of these routes is part of the API schema.
"""

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

from api.errors import ApiError

router = APIRouter(tags=["explorer"], include_in_schema=False)

STATIC_DIR = Path(__file__).resolve().parent.parent / "static" / "explorer"
MEDIA_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".txt": "text/plain; charset=utf-8",
    ".LICENSE": "text/plain; charset=utf-8",
}
# Everything the page needs comes from this origin; the policy makes the browser enforce it
# (and blocks injected scripts). Cytoscape styles its canvases through the CSSOM, which
# style-src does not restrict; PNG export builds data: and blob: URLs.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'"
)
# Revalidate every time: the files are small and a stale app.js against a newer API is worse.
HEADERS = {
    "Cache-Control": "no-cache",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
}


@router.get("/", summary="The graph explorer page")
def explorer_page() -> FileResponse:
    return FileResponse(STATIC_DIR / "index.html", media_type=MEDIA_TYPES[".html"], headers=HEADERS)


@router.get("/explorer/{path:path}", summary="A static file of the graph explorer")
def explorer_file(path: str) -> FileResponse:
    file = (STATIC_DIR / path).resolve()
    if not file.is_relative_to(STATIC_DIR) or not file.is_file() or file.suffix not in MEDIA_TYPES:
        raise ApiError(404, "not_found", f"no explorer file {path!r}")
    return FileResponse(file, media_type=MEDIA_TYPES[file.suffix], headers=HEADERS)
