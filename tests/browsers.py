"""What every browser test shares: Debian's Chromium driven by Playwright, and a local web server.

No browser download works on the build machines, so the tests drive ``/usr/bin/chromium`` (apt's
package) and skip, saying so, where it is absent. Start Chromium after the sites a module needs are
built: a build does not run beside Playwright's event loop.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

CHROMIUM = Path("/usr/bin/chromium")
#: Headless in a container: no sandbox (the tests may run as root), no GPU, nothing fetched at start.
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]
needs_chromium = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian chromium at /usr/bin/chromium")
#: A browser test module's ``pytestmark`` (a test alone: ``@pytest.mark.browser`` and ``@needs_chromium``).
MARKS = [pytest.mark.browser, needs_chromium]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves a directory without a log line per request."""

    def log_message(self, *args):
        pass


class InTwoPieces(QuietHandler):
    """Serves each HTML page in two pieces, the second 0.4 s after the first, as a long page (a
    volume's papers list) reaches a reader: the browser paints what it has read so far. The second
    piece starts at the "On this page" column, or on a page without one at the end of ``<main>``;
    the footer, near the very end, marks a page read (``footer.bd-footer``)."""

    def copyfile(self, source, outputfile):
        if not self.path.split("?")[0].endswith((".html", "/")):
            return super().copyfile(source, outputfile)
        body = source.read()
        cut = body.find(b'<dialog id="pst-secondary-sidebar-modal"')
        cut = cut if cut >= 0 else body.rfind(b"</main>")  # -1 (a page that points on): the last byte later
        outputfile.write(body[:cut])
        outputfile.flush()
        time.sleep(0.4)
        outputfile.write(body[cut:])


def layout_shift(browser, viewport: dict, url: str, ready: str) -> float:
    """The cumulative layout shift of loading ``url`` in a fresh context of ``browser`` (Lighthouse's
    CLS; 'good' is below 0.1), measured 0.5 s after the element ``ready`` is in the page."""
    context = browser.new_context(viewport=viewport)
    try:
        page = context.new_page()
        page.add_init_script("""window.__cls = 0; new PerformanceObserver((list) => {
            for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.__cls += entry.value;
        }).observe({type: "layout-shift", buffered: true});""")
        page.goto(url)
        page.wait_for_selector(ready, state="attached")
        page.wait_for_timeout(500)
        return page.evaluate("window.__cls")
    finally:
        context.close()


def header_lines(page) -> float:
    """How far apart, in px, the middles of the header's visible items are (the logo, the links,
    "More", the buttons): 0 for a header on one line."""
    return page.evaluate("""() => {
        const items = [...document.querySelectorAll('.bd-header .navbar-brand, .bd-header .navbar-header-items a.nav-link:not(.dropdown-item), .bd-header .dropdown-toggle, .bd-header .navbar-header-items__end button')]
            .filter(e => e.offsetParent).map(e => e.getBoundingClientRect()).map(r => r.top + r.height / 2);
        return Math.max(...items) - Math.min(...items);
    }""")


def start_server(directory: Path, handler: type[http.server.SimpleHTTPRequestHandler] = QuietHandler) -> tuple[str, http.server.ThreadingHTTPServer]:
    """``directory`` served on a free port of 127.0.0.1: (its base URL ``http://127.0.0.1:PORT/``,
    the server, to ``shutdown()``). `serving` does both."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}/", server


@contextlib.contextmanager
def serving(directory: Path, handler: type[http.server.SimpleHTTPRequestHandler] = QuietHandler) -> Iterator[str]:
    """``directory`` served on a free port of 127.0.0.1 while the block runs; yields its base URL."""
    base, server = start_server(directory, handler)
    try:
        yield base
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def chromium() -> Iterator[Any]:
    """Headless Chromium (a Playwright ``Browser``) while the block runs."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


def results(page) -> tuple[int, list[str]]:
    """On a search page that runs a query: (the count the page states, the path of every result listed,
    "Show more" clicked until all are)."""
    page.wait_for_function("() => /^(No results|\\d+ results?) for/.test(document.querySelector('#enlsp-search-status').textContent)",
                           timeout=20_000)
    status = page.locator("#enlsp-search-status").inner_text()
    count = 0 if status.startswith("No results") else int(status.split()[0])
    items = page.locator("#enlsp-search-results li")
    if count:
        items.first.wait_for()
    while page.locator("#enlsp-search-more").count():
        before = items.count()
        page.locator("#enlsp-search-more").click()
        page.wait_for_function(f"document.querySelectorAll('#enlsp-search-results li').length > {before}")
    links = page.eval_on_selector_all("#enlsp-search-results a.enlsp-result-title", "els => els.map(e => e.href)")
    return count, [urlsplit(h).path for h in links]
