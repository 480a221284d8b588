"""What a public, read-only service owes browsers: nosniff everywhere, strict page policies, no inline
code, relative redirects whatever the Host header says, and CORS for any site without credentials.
"""

from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.security import relative_location
from api.settings import Settings

MINI = Path(__file__).parent / "data" / "mini.ttl"
SELECT = "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1"
HTML = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
ORIGIN = "https://client.example"
FORGED_HOST = {"Host": "attacker.example"}

# (method, path, params, headers, expected status): a sample of every kind of route and answer
SAMPLE = [
    ("GET", "/health", None, None, 200),
    ("GET", "/nodes", {"q": "emt"}, None, 200),
    ("GET", "/nodes/mkg:nobody", None, None, 404),
    ("GET", "/edges", None, None, 200),
    ("GET", "/neighborhood", {"node": "hypoxia"}, None, 200),
    ("GET", "/paths", {"source": "hypoxia", "target": "local invasion", "directed": False}, None, 200),
    ("GET", "/paths", {"source": "hypoxia"}, None, 422),
    ("GET", "/documents", None, None, 200),
    ("GET", "/stats", None, None, 200),
    ("GET", "/export", {"format": "turtle"}, None, 200),
    ("GET", "/sparql", {"query": SELECT}, {"Accept": "application/sparql-results+json"}, 200),
    ("GET", "/sparql", {"query": SELECT}, {"Accept": "text/csv"}, 200),
    ("GET", "/sparql", {"query": "SELECT nonsense"}, None, 400),
    ("GET", "/sparql", None, {"Accept": "text/turtle"}, 200),
    ("GET", "/sparql", None, HTML, 200),
    ("PUT", "/sparql", None, None, 405),
    ("GET", "/", None, HTML, 200),
    ("GET", "/explorer/app.js", None, None, 200),
    ("GET", "/explorer/no-such-file.js", None, None, 404),
    ("GET", "/openapi.json", None, None, 200),
    ("GET", "/docs", None, HTML, 200),
    ("GET", "/docs/", None, None, 307),
    ("GET", "/no-such-route", None, None, 404),
    ("OPTIONS", "/sparql", None, None, 204),
]


def boom() -> None:
    raise RuntimeError("an unexpected failure")


@pytest.fixture(scope="module")
def client():
    app = create_app(Settings(data_file=MINI, workers=1))
    app.add_api_route("/boom", boom)  # an unhandled error, answered by Starlette's outermost handler
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def unstarted_client(**settings) -> TestClient:
    """A client whose app never starts (no graph loaded): enough for the headers of / and preflights."""
    return TestClient(create_app(Settings(data_file=MINI, **settings)))


@pytest.mark.parametrize(("method", "path", "params", "headers", "status"), SAMPLE, ids=lambda v: str(v))
def test_every_answer_forbids_sniffing_and_referrers(client, method, path, params, headers, status):
    response = client.request(method, path, params=params, headers=headers, follow_redirects=False)
    assert response.status_code == status, response.text
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert "content-security-policy" in response.headers or response.headers["content-type"].startswith("text/html")


def test_even_an_unhandled_error_gets_the_headers(client):
    response = client.get("/boom", headers={"Origin": ORIGIN})
    assert response.status_code == 500 and response.json()["error"]["code"] == "internal_error"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["access-control-allow-origin"] == "*"


def test_data_cannot_run_as_a_page(client):
    for response in (client.get("/health"), client.get("/sparql", params={"query": SELECT})):
        policy = response.headers["content-security-policy"]
        assert "default-src 'none'" in policy and "sandbox" in policy


class PageCode(HTMLParser):
    """The scripts, styles, event-handler attributes and javascript: URLs of an HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.script_sources: list[str | None] = []
        self.inline: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        if tag == "script":
            self.script_sources.append(named.get("src"))
            self._in_script = True
        if tag == "style":
            self.inline.append("<style>")
        for name, value in attrs:
            if name.startswith("on") or name == "style" or (value or "").strip().lower().startswith("javascript:"):
                self.inline.append(f"<{tag} {name}={value!r}>")

    def handle_endtag(self, tag: str) -> None:
        self._in_script = self._in_script and tag != "script"

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.inline.append(f"<script>{data.strip()[:40]}")


@pytest.mark.parametrize("path", ["/", "/sparql"])
def test_pages_have_a_strict_policy_and_no_inline_code(client, path):
    response = client.get(path, headers=HTML)
    assert response.headers["content-type"].startswith("text/html")
    policy = response.headers["content-security-policy"]
    directives = dict(directive.strip().split(" ", 1) for directive in policy.split(";"))
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    code = PageCode()
    code.feed(response.text)
    assert not code.inline, code.inline
    assert code.script_sources and all(code.script_sources), "every script comes from a file"
    for source in code.script_sources:  # relative to the page, served by this service
        script = client.get("/" + source)
        assert script.status_code == 200 and script.headers["content-type"].startswith("text/javascript")


@pytest.mark.parametrize(
    ("path", "location"),
    [("/docs/", "/docs"), ("/stats/", "/stats"), ("/health/?verbose=1", "/health?verbose=1")],
)
def test_redirects_are_relative_whatever_the_host_header(client, path, location):
    response = client.get(path, headers=FORGED_HOST, follow_redirects=False)
    assert response.status_code in (307, 308)
    assert response.headers["location"] == location


@pytest.mark.parametrize(
    ("location", "relative"),
    [
        ("http://attacker.example/docs", "/docs"),
        ("https://attacker.example:8443/a/b?c=1#d", "/a/b?c=1#d"),
        ("http://attacker.example", "/"),
        ("http://host//attacker.example/x", "/attacker.example/x"),  # never protocol-relative
        ("//attacker.example/x", "/x"),
        ("/\\attacker.example", "/attacker.example"),
        ("/stats?x=1", "/stats?x=1"),
        ("documents/x", "documents/x"),
    ],
)
def test_relative_location(location, relative):
    assert relative_location(location) == relative


def test_cors_simple_request_is_open_without_credentials(client):
    response = client.get("/sparql", params={"query": SELECT}, headers={"Origin": ORIGIN})
    assert response.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in response.headers
    exposed = {name.strip().lower() for name in response.headers["access-control-expose-headers"].split(",")}
    assert {"x-sparql-truncated", "etag", "retry-after"} <= exposed


@pytest.mark.parametrize("content_type", ["application/sparql-query", "application/x-www-form-urlencoded"])
def test_cors_preflight_for_a_sparql_post(client, content_type):
    requested = "content-type, accept, accept-language, cache-control, x-requested-with, if-none-match"
    response = client.options("/sparql", headers={
        "Origin": ORIGIN, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": requested,
    })
    assert response.status_code == 200, response.text
    assert response.headers["access-control-allow-origin"] == "*"
    assert "POST" in response.headers["access-control-allow-methods"]
    allowed = {name.strip().lower() for name in response.headers["access-control-allow-headers"].split(",")}
    assert {name.strip() for name in requested.split(",")} <= allowed
    assert response.headers["x-content-type-options"] == "nosniff"
    # ... and the POST itself
    body = {"content": SELECT} if content_type == "application/sparql-query" else {"data": {"query": SELECT}}
    answer = client.post("/sparql", headers={"Origin": ORIGIN, "Content-Type": content_type,
                                             "Accept": "application/sparql-results+json"}, **body)
    assert answer.status_code == 200 and answer.headers["access-control-allow-origin"] == "*"


def test_a_refused_preflight_answers_in_the_error_shape(client):
    response = client.options("/sparql", headers={"Origin": ORIGIN, "Access-Control-Request-Method": "DELETE"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "cors_refused"


def test_options_and_405_name_every_method_of_the_path(client):
    options = client.options("/sparql")
    assert options.status_code == 204 and options.headers["allow"] == "GET, POST, OPTIONS"
    refused = client.put("/sparql")
    assert refused.json()["error"]["code"] == "method_not_allowed"
    assert refused.headers["allow"] == "GET, POST, OPTIONS"
    assert client.options("/no-such-route").status_code == 404


def test_cors_is_configurable_and_can_be_off(monkeypatch):
    assert Settings().cors_origins == ["*"]
    monkeypatch.setenv("KG_CORS_ORIGINS", "")
    assert Settings().cors_origins == []
    preflight = {"Origin": ORIGIN, "Access-Control-Request-Method": "POST"}
    off = unstarted_client(cors_origins=[])
    assert "access-control-allow-origin" not in off.get("/", headers={"Origin": ORIGIN}).headers
    assert "access-control-allow-origin" not in off.options("/sparql", headers=preflight).headers
    listed = unstarted_client(cors_origins=[ORIGIN])
    assert listed.get("/", headers={"Origin": ORIGIN}).headers["access-control-allow-origin"] == ORIGIN
    assert "access-control-allow-origin" not in listed.get("/", headers={"Origin": "https://other.example"}).headers
