"""End-to-end fixtures: the real service on a free port and a headless Chromium driven by Playwright.

The browser is Debian's ``chromium`` (``apt-get install chromium``), never one that Playwright
downloads. ``E2E_BASE_URL=http://host:port`` points the tests at a service that is already
running instead of starting ``kg serve``; ``E2E_SCREENSHOTS=DIR`` keeps the screenshots there.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.live_server import live_server

PROJECT = Path(__file__).resolve().parent.parent.parent
BUILT_GRAPH = PROJECT / "kg" / "built" / "metastasis-kg.nt"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
STARTUP_SECONDS = 60
# Actions and assertions alike: on a loaded 2-core machine a re-layout can take more than the
# assertions' default 5 s (seen once in a full run).
PAGE_TIMEOUT_MS = 15_000
# Every Content-Security-Policy violation becomes a console error, which fails the test.
REPORT_CSP_VIOLATIONS = """document.addEventListener("securitypolicyviolation", (event) =>
  console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || "inline code"}`));"""


def _wait_until_up(url: str, process: subprocess.Popen | None, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            pytest.fail(f"`kg serve` exited with {process.returncode}:\n{log.read_text(errors='replace')[-3000:]}")
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.3)
    pytest.fail(f"the service at {url} did not answer /health within {STARTUP_SECONDS} s")


@contextmanager
def serving(log: Path, data_file: Path | None = None) -> Iterator[str]:
    """`kg serve` of the built graph, or of `data_file`, on a free port; yields its base URL."""
    with live_server(data_file or BUILT_GRAPH, log=log, KG_WORKERS="1") as server:
        yield server.url


@pytest.fixture(scope="session")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The explorer's service: the one at E2E_BASE_URL, or a fresh `kg serve` of the built graph."""
    given = os.environ.get("E2E_BASE_URL")
    if given:
        _wait_until_up(given.rstrip("/"), None, Path(os.devnull))
        yield given.rstrip("/")
        return
    with serving(tmp_path_factory.mktemp("e2e-server") / "kg-serve.log") as url:
        yield url


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    chosen = os.environ.get("E2E_SCREENSHOTS")
    directory = Path(chosen) if chosen else Path(tempfile.mkdtemp(prefix="mkg-e2e-screens-"))
    directory.mkdir(parents=True, exist_ok=True)
    print(f"\n[e2e] screenshots: {directory}", file=sys.stderr)
    return directory


# Package scope, not session: Playwright's sync API keeps an event loop running in the main thread
# while it lives, and the tests after tests/e2e (the MCP client's anyio.run) need the thread free.
@pytest.fixture(scope="package")
def browser() -> Iterator[object]:
    if not CHROMIUM.is_file() or not shutil.which(str(CHROMIUM)):
        pytest.skip(f"no Chromium at {CHROMIUM}: `apt-get install -y chromium` (or `make test-e2e E2E=1`)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install playwright)")
    sync_api.expect.set_options(timeout=PAGE_TIMEOUT_MS)
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


class PageProblems:
    """Console errors, uncaught exceptions and requests to other hosts seen by one page."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self.foreign_requests: list[str] = []

    def check(self) -> None:
        assert not self.foreign_requests, f"the page tried to reach other hosts: {self.foreign_requests}"
        assert not self.errors, "console errors:\n" + "\n".join(self.errors)


@contextmanager
def open_page(browser, base_url: str) -> Iterator[object]:
    """A fresh page at laptop size; other hosts are blocked (the page must work offline), CSP violations logged."""
    context = browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(PAGE_TIMEOUT_MS)
    problems = PageProblems()
    host = urlsplit(base_url).netloc

    def route(route_request) -> None:
        url = route_request.request.url
        if urlsplit(url).scheme in ("data", "blob") or urlsplit(url).netloc == host:
            route_request.continue_()
        else:
            problems.foreign_requests.append(url)
            route_request.abort()

    page.route("**/*", route)
    page.on("console", lambda message: problems.errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.errors.append(f"uncaught: {error}"))
    page.add_init_script(REPORT_CSP_VIOLATIONS)
    page.problems = problems
    try:
        yield page
    finally:
        context.close()


@pytest.fixture
def page(browser, base_url: str):
    """A fresh page on the explorer's service (see :func:`open_page`)."""
    with open_page(browser, base_url) as page:
        yield page
