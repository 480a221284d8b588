"""The graph explorer: a single page at ``/`` and its static files under ``/explorer/``.

The page is plain HTML, CSS and JavaScript that calls the REST API and ``/sparql`` of the same
service; Cytoscape.js is vendored into ``api/static/explorer/vendor/`` (``explorer/build.mjs``
copies the version pinned by ``explorer/package-lock.json``), so nothing is loaded from another
host and the page works offline. The SPARQL query page (``/sparql`` in a browser) takes its script
and style from here too. Both pages send the strict ``PAGE_HEADERS`` policy: no inline script or
style. None of these routes is part of the API schema.
"""

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

from api.errors import ApiError
from api.security import PAGE_HEADERS

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
# Revalidate every time: the files are small and a stale app.js against a newer API is worse.
HEADERS = {"Cache-Control": "no-cache", **PAGE_HEADERS}


@router.get("/", summary="The graph explorer page")
def explorer_page() -> FileResponse:
    return FileResponse(STATIC_DIR / "index.html", media_type=MEDIA_TYPES[".html"], headers=HEADERS)


@router.get("/explorer/{path:path}", summary="A static file of the graph explorer")
def explorer_file(path: str) -> FileResponse:
    file = (STATIC_DIR / path).resolve()
    if not file.is_relative_to(STATIC_DIR) or not file.is_file() or file.suffix not in MEDIA_TYPES:
        raise ApiError(404, "not_found", f"no explorer file {path!r}")
    return FileResponse(file, media_type=MEDIA_TYPES[file.suffix], headers=HEADERS)
