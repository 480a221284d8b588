"""IRIs from a served data file are data: only http(s) ones become links, in the SPARQL page and the explorer.

`kg serve --data` serves a file holding a ``javascript:`` IRI next to an ordinary one; a SELECT
shows both, and only the http one may be a link. Every page also fails on a console error, which
includes any Content-Security-Policy violation (see conftest).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install playwright)")
if not shutil.which("/usr/bin/chromium"):
    pytest.skip("no Chromium at /usr/bin/chromium: `apt-get install -y chromium`", allow_module_level=True)

from playwright.sync_api import Locator, Page, expect  # noqa: E402

from tests.e2e.conftest import open_page, serving  # noqa: E402

SCRIPT_IRI = "javascript:alert(document.domain)"
HTTP_IRI = "https://example.org/ordinary"
DATA = f"""@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<{SCRIPT_IRI}> rdfs:label "script IRI" .
<{HTTP_IRI}> rdfs:label "http IRI" .
<https://w3id.org/metastasis-kg/emt> rdfs:label "epithelial-mesenchymal transition" .
"""
QUERY = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?thing ?label WHERE { ?thing rdfs:label ?label FILTER(?label IN ("script IRI", "http IRI")) }
ORDER BY ?label"""


@pytest.fixture(scope="module")
def hostile_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A fresh `kg serve --data` of a file with a javascript: IRI."""
    directory = tmp_path_factory.mktemp("hostile-data")
    data_file = directory / "hostile.ttl"
    data_file.write_text(DATA, encoding="utf-8")
    with serving(directory / "kg-serve.log", data_file) as url:
        yield url


@pytest.fixture
def hostile_page(browser, hostile_url: str) -> Iterator[Page]:
    with open_page(browser, hostile_url) as page:
        page.on("dialog", lambda dialog: page.problems.errors.append(f"a dialog opened: {dialog.message}"))
        yield page


def assert_only_http_is_a_link(results: Locator) -> None:
    script_cell = results.locator("td", has_text=SCRIPT_IRI)
    expect(script_cell).to_have_count(1)
    expect(script_cell.locator("a")).to_have_count(0)
    http_link = results.locator("td a", has_text=HTTP_IRI)
    expect(http_link).to_have_attribute("href", HTTP_IRI)
    assert not results.locator("a[href^='javascript:' i]").count()


def test_sparql_page_links_only_http_iris(hostile_page: Page, hostile_url: str, screenshot_dir: Path) -> None:
    hostile_page.goto(f"{hostile_url}/sparql")
    hostile_page.fill("#query", QUERY)
    hostile_page.click("#run")
    expect(hostile_page.locator("#status")).to_contain_text("2 rows")
    assert_only_http_is_a_link(hostile_page.locator("#results"))
    hostile_page.locator("#results td", has_text=SCRIPT_IRI).click()  # plain text: nothing happens
    hostile_page.screenshot(path=str(screenshot_dir / "06-sparql-page-iris.png"), full_page=True)
    # The helper both pages use, on the tricky cases.
    verdicts = hostile_page.evaluate(
        """() => ["https://example.org/a?b#c", "HTTP://example.org/", " javascript:alert(1)", "JavaScript:alert(1)",
                  "data:text/html,<b>x</b>", "vbscript:x", "mkg:emt", "//example.org/", "relative/path", ""]
                 .map((iri) => window.mkgLinks.httpUrl(iri))"""
    )
    assert verdicts == ["https://example.org/a?b#c", "http://example.org/", *[None] * 8]
    hostile_page.problems.check()


def test_explorer_sparql_tab_links_only_http_iris(hostile_page: Page, hostile_url: str) -> None:
    hostile_page.goto(f"{hostile_url}/#sparql")
    hostile_page.wait_for_function("() => window.explorer && window.explorer.cy")
    hostile_page.fill("#sparql-query", QUERY)
    hostile_page.click("#sparql-form button[type=submit]")
    expect(hostile_page.locator("#sparql-status")).to_contain_text("2 rows")
    assert_only_http_is_a_link(hostile_page.locator("#sparql-results"))
    hostile_page.problems.check()
