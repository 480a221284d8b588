"""The explorer page end to end: the real service, a headless Chromium, a person's main flows.

Skipped as a whole when Debian's Chromium or the playwright package is missing (see conftest).
Every test also fails on a console error, an uncaught exception or a request to another host.
Screenshots go to a temporary directory whose path is printed (or to $E2E_SCREENSHOTS).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install playwright)")
if not shutil.which("/usr/bin/chromium"):
    pytest.skip("no Chromium at /usr/bin/chromium: `apt-get install -y chromium`", allow_module_level=True)

from playwright.sync_api import Page, expect  # noqa: E402

SIGNS = {"+", "−", "?"}


def open_explorer(page: Page, base_url: str, hash_: str = "") -> None:
    page.goto(f"{base_url}/{hash_}")
    expect(page.locator("#tab-explore")).to_be_visible()
    page.wait_for_function("() => window.explorer && window.explorer.cy")


def graph_size(page: Page) -> tuple[int, int]:
    return page.evaluate("() => [explorer.cy.nodes().length, explorer.cy.edges().length]")


def pick_from_autocomplete(page: Page, selector: str, text: str, index: int = 0) -> str:
    """Type into a combobox, wait for its list, choose option `index` with the arrow keys and Enter."""
    field = page.locator(selector)
    field.click()
    field.fill("")
    field.type(text, delay=20)
    listbox = page.locator(f"#{field.get_attribute('aria-controls')}")
    options = listbox.locator("[role=option][id]")
    expect(options.first).to_be_visible()
    expect(field).to_have_attribute("aria-expanded", "true")
    assert options.count() > index, f"fewer than {index + 1} matches for {text!r}"
    for _ in range(index + 1):
        field.press("ArrowDown")
    expect(field).to_have_attribute("aria-activedescendant", f"{listbox.get_attribute('id')}-{index}")
    label = options.nth(index).locator("span").nth(1).inner_text()
    field.press("Enter")
    return label


def wait_until_idle(page: Page) -> None:
    page.wait_for_function("() => !document.getElementById('status').classList.contains('busy')")


def show_neighborhood(page: Page, text: str) -> str:
    """Search `text` and show the neighbourhood of the first match that has an edge; return its label."""
    for index in range(10):
        label = pick_from_autocomplete(page, "#explore-node", text, index)
        wait_until_idle(page)
        expect(page.locator("#status")).not_to_have_class("status error")
        if graph_size(page)[1] > 0:
            return label
    raise AssertionError(f"no match for {text!r} has an edge")


def click_edge_with_citations(page: Page) -> dict:
    """Click (with the mouse, on the canvas) the best-cited edge on screen; return its data."""
    edge = page.evaluate(
        """() => {
            const edges = explorer.cy.edges().filter((e) => e.data('support') > 0)
                                             .sort((a, b) => b.data('support') - a.data('support'));
            if (!edges.length) return null;
            explorer.cy.fit(edges[0].connectedNodes(), 120);   // make it big and unobstructed
            const point = edges[0].renderedMidpoint();
            return {id: edges[0].id(), x: point.x, y: point.y};
        }"""
    )
    assert edge, "no edge on screen has a citation"
    box = page.locator("#cy").bounding_box()
    page.mouse.click(box["x"] + edge["x"], box["y"] + edge["y"])
    return edge


def test_search_neighborhood_edge_citation_and_downloads(page: Page, base_url: str, screenshot_dir: Path) -> None:
    open_explorer(page, base_url)
    show_neighborhood(page, "TGF")
    nodes, edges = graph_size(page)
    assert nodes > 1 and edges > 0
    seed = page.evaluate("() => explorer.view.seeds[0]")
    assert "tgf" in seed.lower()
    # The legend names the categories on screen and the edge signs.
    legend = page.locator("#legend")
    expect(legend).to_contain_text("activates (+)")
    expect(legend).to_contain_text("inhibits (−)")
    # The seed's details load from /nodes/{id}.
    expect(page.locator("#details dl")).to_contain_text(seed)
    page.screenshot(path=str(screenshot_dir / "01-neighborhood.png"))

    edge = click_edge_with_citations(page)
    expect(page.locator("#details h2")).to_have_text("Edge")
    citations = page.locator("#details .citation")
    expect(citations.first).to_be_visible()
    statement = page.evaluate("(id) => explorer.view.edges.get(id).citations[0].statement", edge["id"])
    expect(citations.first.locator("blockquote")).to_have_text(statement)
    expect(citations.first.locator(".meta a").first).to_have_attribute("href", re.compile(r"^(https://doi\.org/|documents/)"))
    page.screenshot(path=str(screenshot_dir / "02-edge-citation.png"))

    # Expanding a neighbour merges its neighbourhood into the view.
    before = graph_size(page)[0]
    other = page.evaluate("(seed) => explorer.cy.nodes().filter((n) => n.id() !== seed).map((n) => n.id())", seed)
    for node in other:
        page.evaluate("(id) => explorer.cy.getElementById(id).emit('dbltap')", node)
        wait_until_idle(page)
        if graph_size(page)[0] > before:
            break
    assert graph_size(page)[0] >= before
    assert len(page.evaluate("() => explorer.view.seeds")) >= 2
    page.click("#fit")
    page.screenshot(path=str(screenshot_dir / "02b-expanded.png"))

    for fmt, suffix, marker in (("png", ".png", b"\x89PNG"), ("turtle", ".ttl", b"@prefix"),
                                ("graphml", ".graphml", b"<graphml"), ("cyjs", ".cyjs.json", b'"elements"')):
        page.select_option("#download-format", fmt)
        with page.expect_download() as download_info:
            page.click("#download")
        download = download_info.value
        assert download.suggested_filename.endswith(suffix)
        body = Path(download.path()).read_bytes()
        assert marker in body[:4000], f"{fmt} download does not look right: {body[:200]!r}"

    # An overview for the README: EMT's neighbourhood with the citations of its best-cited edge.
    show_neighborhood(page, "EMT")
    click_edge_with_citations(page)
    expect(page.locator("#details .citation").first).to_be_visible()
    page.click("#fit")
    page.screenshot(path=str(screenshot_dir / "00-overview.png"))
    page.problems.check()


def test_background_knowledge_looks_different_and_names_its_record(page: Page, base_url: str) -> None:
    open_explorer(page, base_url)
    show_neighborhood(page, "cancer-associated fibroblast")
    edge_id = "mkg:caf|subclass_of|mkg:fibroblast"
    assert page.evaluate("(id) => explorer.cy.getElementById(id).hasClass('background')", edge_id)
    page.evaluate("(id) => explorer.cy.getElementById(id).emit('tap')", edge_id)
    note = page.locator("#details .background-note")
    expect(note).to_contain_text("Background knowledge")
    expect(note).to_contain_text("CL:0000057")
    expect(page.locator("#legend")).to_contain_text("background knowledge")
    page.problems.check()


def test_path_query(page: Page, base_url: str, screenshot_dir: Path) -> None:
    open_explorer(page, base_url, "#paths")
    expect(page.locator("#paths-form")).to_be_visible()
    pick_from_autocomplete(page, "#path-source", "EMT")
    expect(page.locator("#path-target")).to_be_focused()
    pick_from_autocomplete(page, "#path-target", "intravasation")  # Enter on the last field runs the query
    items = page.locator("#path-results li button")
    expect(items.first).to_be_visible()
    count = items.count()
    assert count >= 1
    for i in range(count):
        assert items.nth(i).locator(".sign").inner_text() in SIGNS
    ends = page.evaluate("() => explorer.cy.nodes('.endpoint').map((n) => n.id())")
    assert "mkg:emt" in ends and "mkg:intravasation" in ends
    explanation = page.locator("#path-results .explanation")
    expect(explanation.locator("li").first).to_contain_text("[1")  # a step with its citation marks
    expect(explanation).to_contain_text("References")
    items.first.click()
    expect(items.first).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#details h2")).to_contain_text("Path 1")
    page.screenshot(path=str(screenshot_dir / "03-paths.png"))
    page.problems.check()


def test_sparql_example(page: Page, base_url: str, screenshot_dir: Path) -> None:
    open_explorer(page, base_url)
    page.click("#tab-sparql")
    expect(page.locator("#view-sparql")).to_be_visible()
    assert page.locator("#sparql-example option").count() == 3
    expect(page.locator("#sparql-query")).to_have_value(re.compile(r"mkg:precedes"))
    page.click("#sparql-form button[type=submit]")
    rows = page.locator("#sparql-results tbody tr")
    expect(rows.first).to_be_visible()
    assert rows.count() >= 2
    expect(page.locator("#sparql-status")).to_contain_text("rows")
    page.screenshot(path=str(screenshot_dir / "04-sparql.png"), full_page=True)
    # The other examples run too (an empty answer is fine; an error is not).
    for index in ("1", "2"):
        page.select_option("#sparql-example", index)
        page.locator("#sparql-query").press("Control+Enter")
        expect(page.locator("#sparql-status")).to_contain_text(" in ")
        expect(page.locator("#sparql-status")).not_to_have_class("status error")
    page.problems.check()


def test_keyboard_and_phone_width(browser, base_url: str, screenshot_dir: Path) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        open_explorer(page, base_url)
        # Tab reaches the search field, and the focused control shows a focus ring.
        for _ in range(15):
            page.keyboard.press("Tab")
            if page.evaluate("() => document.activeElement.id") == "explore-node":
                break
        assert page.evaluate("() => document.activeElement.id") == "explore-node"
        assert page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle") != "none"
        # Arrow keys move between the tabs.
        page.focus("#tab-explore")
        page.keyboard.press("ArrowRight")
        expect(page.locator("#tab-paths")).to_have_attribute("aria-selected", "true")
        page.keyboard.press("ArrowLeft")
        expect(page.locator("#tab-explore")).to_have_attribute("aria-selected", "true")

        show_neighborhood(page, "TGF")
        graph = page.locator("#graph-region").bounding_box()
        details = page.locator("#details").bounding_box()
        assert details["y"] >= graph["y"] + graph["height"] - 1, "the details panel should stack below the graph"
        assert graph["width"] <= 390
        page.screenshot(path=str(screenshot_dir / "05-phone.png"), full_page=True)
        assert not errors, errors
    finally:
        context.close()
