"""Real headless Chromium: no script from the hostile data runs on any page."""

from __future__ import annotations

import contextlib
import functools
import http.server
import shutil
import threading
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium at /usr/bin/chromium"),
]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextlib.contextmanager
def serve(directory: Path):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def visit(chromium, url: str, interact=None) -> tuple[object, list[str], list[str]]:
    """Load a page, poke it, and return (window.__pwned, dialogs opened, page errors)."""
    page = chromium.new_page()
    dialogs: list[str] = []
    errors: list[str] = []

    def on_dialog(dialog):
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(url, wait_until="load")
    if interact:
        interact(page)
    # Hover and focus everything, so any injected onmouseover/onfocus handler would fire.
    page.evaluate("""() => { for (const el of document.querySelectorAll('body *')) {
        for (const type of ['mouseover', 'focus', 'click']) {
            if (type === 'click' && el.closest('a[href]')) continue;
            el.dispatchEvent(new Event(type, {bubbles: false}));
        } } }""")
    page.wait_for_timeout(200)
    pwned = page.evaluate("() => window.__pwned")
    page.close()
    return pwned, dialogs, errors


def test_the_harness_catches_a_script_that_runs(tmp_path):
    """Control: a page that does run the payload is detected (the check below can fail)."""
    (tmp_path / "bad.html").write_text("<html><body><img src=x onerror=\"window.__pwned=1\"><p onmouseover=\"alert(1)\">x</p></body></html>")
    with serve(tmp_path) as base, browser() as chromium:
        pwned, dialogs, _errors = visit(chromium, base + "bad.html")
    assert pwned == 1 and dialogs == ["1"]


def test_no_script_from_the_data_runs(hostile, tmp_path):
    _corpus, root = hostile
    site = tmp_path / "site"
    shutil.copytree(root / "site", site)
    author = sorted(p.name for p in (site / "authors").glob("f0*.html"))[0]

    def search(page):
        page.wait_for_selector("#enlsp-search-results li", timeout=20_000)  # Pagefind results (search.py)
        results = page.inner_text("#enlsp-search-results")
        assert "<script>window.__pwned=1</script>" in results  # found, and shown as text

    def cite_tabs(page):
        for label in page.query_selector_all(".sd-tab-set > label"):
            label.click()

    visits = {
        "index.html": None,
        "papers/index.html": None,
        "papers/evil.html": cite_tabs,
        "papers/long.html": None,
        "keynotes/index.html": None,
        "keynotes/evil-talk.html": None,
        "schedule.html": None,
        "people.html": None,
        "panel.html": None,
        "cfp.html": None,
        "authors/index.html": None,
        f"authors/{author}": None,
        "evil.html": None,
        "search.html?q=pwned": search,
        "search.html?q=script": search,
    }
    with serve(site) as base, browser() as chromium:
        for path, interact in visits.items():
            pwned, dialogs, errors = visit(chromium, base + path, interact)
            assert pwned is None, path
            assert dialogs == [], (path, dialogs)
            assert not [e for e in errors if "pwned" in e or "alert" in e], (path, errors)
