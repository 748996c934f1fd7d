"""Issue 8 in a real browser: phones, dark mode, keyboard, axe-core, the 404 page.

Headless Debian Chromium driven by Playwright; pages are served by http.server on
127.0.0.1. axe-core is the copy bundled in the ``axe-playwright-python`` wheel (PyPI,
installed with the ``test`` extra), so no network is needed at test time.
"""

from __future__ import annotations

import contextlib
import http.server
from pathlib import Path

import pytest

from browsers import MARKS, chromium, serving
from conftest import REPO, run_build
from test_design import design_workshop

pytestmark = MARKS

#: The pages the issue names: home, papers list, a paper, a keynote, an author page, the schedule.
PAGES = ["index.html", "papers/index.html", "papers/alpha.html", "papers/gamma.html", "keynotes/kay.html", "authors/ana-silva.html", "schedule.html"]


def axe_script() -> str:
    import axe_playwright_python

    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves ``/synth/`` from the site, and the site's 404.html for missing files (like GitHub Pages)."""

    def log_message(self, *args):
        pass

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "synth" / "404.html"
        if code == 404 and page.is_file():
            body = page.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().send_error(code, message, explain)


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The design workshop's site at http://127.0.0.1:<port>/synth/ (its base_url path)."""
    root = tmp_path_factory.mktemp("browser")
    design_workshop(root)
    assert run_build(root) == 0
    www = root / "www"
    www.mkdir()
    (www / "synth").symlink_to(root / "site")
    with serving(www, _Handler) as base:
        yield base + "synth/"


@pytest.fixture(scope="module")
def browser(served, real_site):
    """Launched only after every site of this module is built.

    Each Sphinx build forks a helper process (sphinx-sitemap's multiprocessing Manager) that
    would inherit Playwright's pipes to its driver if forked while the driver runs, and then
    stopping Playwright waits forever.
    """
    with chromium() as instance:
        yield instance


def open_page(browser, url: str, *, width: int = 1280, dark: bool = False):
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme="dark" if dark else "light",
                                  is_mobile=width < 600, has_touch=width < 600, device_scale_factor=1)
    page = context.new_page()
    response = page.goto(url, wait_until="load")
    # The theme script switches to dark after the first paint and colours then fade (CSS
    # transitions): measure contrast only once the page has settled.
    page.wait_for_function("document.documentElement.dataset.theme === '%s'" % ("dark" if dark else "light"))
    page.wait_for_function("document.getAnimations().every(a => a.playState !== 'running')")
    return context, page, response


def theme(page) -> str:
    return page.evaluate("document.documentElement.dataset.theme")


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_no_sideways_scrolling_on_a_phone(served, browser, dark):
    for path in PAGES:
        context, page, _ = open_page(browser, served + path, width=390, dark=dark)
        try:
            assert theme(page) == ("dark" if dark else "light")
            width = page.evaluate("document.documentElement.scrollWidth")
            wide = page.evaluate("""() => [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > 391 && getComputedStyle(e).position !== 'fixed')
                .slice(0, 5).map(e => e.tagName + '.' + e.className)""")
            assert width <= 390, (path, width, wide)
        finally:
            context.close()


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_axe_finds_no_serious_or_critical_violation(served, browser, dark):
    script = axe_script()
    problems = []
    for path in PAGES:
        context, page, _ = open_page(browser, served + path, dark=dark)
        try:
            page.add_script_tag(content=script)
            result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
            for v in result["violations"]:
                if v["impact"] in ("serious", "critical"):
                    problems.append((path, v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]))
            assert page.evaluate("typeof axe.version") == "string"
        finally:
            context.close()
    assert problems == [], "\n".join(map(str, problems))


def test_axe_detects_a_planted_violation(served, browser):
    """The axe run above is live: an image without alt text on a real page is reported."""
    context, page, _ = open_page(browser, served + "index.html")
    try:
        page.evaluate("document.querySelector('article').appendChild(Object.assign(document.createElement('img'), {src: 'x.png'}))")
        page.add_script_tag(content=axe_script())
        result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        assert "image-alt" in {v["id"] for v in result["violations"]}
    finally:
        context.close()


def test_keyboard_reaches_cite_tabs_with_a_visible_focus(served, browser):
    context, page, _ = open_page(browser, served + "papers/alpha.html")
    try:
        reached = None
        for _ in range(80):
            page.keyboard.press("Tab")
            info = page.evaluate("""() => { const e = document.activeElement;
                return {inTabs: !!e.closest('.enlsp-cite'), type: e.type || '', id: e.id || ''}; }""")
            if info["inTabs"]:
                reached = info
                break
        assert reached and reached["type"] == "radio", "Tab never reached the citation tabs"
        # the focused tab shows a focus ring on its label
        outline = page.evaluate("""() => { const l = document.querySelector(`label[for="${document.activeElement.id}"]`);
            const s = getComputedStyle(l); return [s.outlineStyle, s.outlineWidth]; }""")
        assert outline[0] != "none" and outline[1] != "0px", outline
        page.keyboard.press("ArrowRight")
        shown = page.evaluate("""() => [...document.querySelectorAll('.enlsp-cite .sd-tab-content')]
            .filter(c => getComputedStyle(c).display !== 'none').map(c => c.textContent)""")
        assert len(shown) == 1 and "@inproceedings" not in shown[0] and "In Proceedings of" in shown[0]  # the ACL tab
    finally:
        context.close()


def test_missing_page_gets_a_styled_404_that_links_home(served, browser):
    context, page, response = open_page(browser, served + "papers/deep/no-such-page.html")
    try:
        assert response.status == 404
        assert "Page not found" in page.inner_text("main")
        sheets = page.evaluate("[...document.styleSheets].filter(s => s.href && s.cssRules.length > 0).map(s => s.href)")
        assert any("pydata-sphinx-theme" in s for s in sheets) and any("/enlsp.css" in s for s in sheets), sheets
        page.click("text=Go to the home page")
        page.wait_for_load_state()
        assert page.url == served + "index.html" and "Keynote speakers" in page.inner_text("main")
    finally:
        context.close()


def test_search_dialog_of_a_404_page_at_any_depth_goes_to_the_search_page(served, browser):
    """enlsp.js builds the dialog from the page's site root, which on 404.html is absolute."""
    context, page, response = open_page(browser, served + "papers/deep/no-such-page.html")
    try:
        assert response.status == 404
        page.keyboard.press("Control+k")
        field = page.locator("dialog#pst-search-dialog input[name='q']")
        field.wait_for(state="visible")
        field.fill("poster")
        field.press("Enter")
        page.wait_for_url(served + "search.html?q=poster")
        page.wait_for_selector("#enlsp-search-results li a.enlsp-result-title", timeout=15_000)
    finally:
        context.close()


def test_thumbnails_load_and_pending_paper_has_no_broken_image(served, browser):
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    context, page, _ = open_page(browser, served + "papers/index.html")
    try:
        # lazy images load after layout: on a busy machine, some time after the page's load event
        with contextlib.suppress(PlaywrightTimeout):
            page.wait_for_function("[...document.querySelectorAll('img.enlsp-thumb')].every(i => i.complete && i.naturalWidth)", timeout=10_000)
        images = page.evaluate("[...document.querySelectorAll('img.enlsp-thumb')].map(i => [i.getAttribute('src'), i.complete && i.naturalWidth])")
        assert sorted(images) == [["alpha.png", 300], ["beta.png", 300]]
        broken = page.evaluate("""async () => { const p = await fetch('gamma.html').then(r => r.text());
            return new DOMParser().parseFromString(p, 'text/html').querySelectorAll('article img').length; }""")
        assert broken == 0
    finally:
        context.close()


@pytest.fixture(scope="module")
def served_real(real_site):
    """The real ENLSP-II site (conf/ of this repository, no PDFs) on a local server."""
    with serving(real_site, _Handler) as base:
        yield base


REAL_PAGES = ["index.html", "papers/index.html", "papers/fast-distilbert.html", "keynotes/index.html", "schedule.html",
              "authors/index.html", "authors/mehdi-rezagholizadeh.html", "people.html", "cfp.html"]


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_real_site_fits_a_phone_and_passes_axe(served_real, browser, real_site, dark):
    keynote = sorted((real_site / "keynotes").glob("*.html"))[0].relative_to(real_site).as_posix()
    script = axe_script()
    problems = []
    for path in [*REAL_PAGES, keynote]:
        assert (real_site / path).is_file(), path
        for width in (390, 1280):
            context, page, _ = open_page(browser, served_real + path, width=width, dark=dark)
            try:
                scroll = page.evaluate("document.documentElement.scrollWidth")
                if scroll > width:
                    problems.append((path, width, "scrollWidth", scroll))
                page.add_script_tag(content=script)
                result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
                problems += [(path, width, v["id"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"] if v["impact"] in ("serious", "critical")]
            finally:
                context.close()
    assert problems == [], "\n".join(map(str, problems))


def test_a_word_only_inside_a_real_camera_ready_finds_its_paper(served_real, browser, real_site):
    """'jurisdictions' is in the text of one real PDF (BudgetLongformer, CMT paper 23: "legal text in
    English from various jurisdictions", page 3) and in no title, abstract or name: the text of the
    camera-readies is searchable. 'acetaminophen' was the word here: it is only in a sample document
    printed in that paper's appendix, after its references, which search no longer indexes (a paper
    is found by what it says, not by what follows its reference list)."""
    conf_text = " ".join(p.read_text(encoding="utf-8") for p in (REPO / "conf" / "2022").glob("*.yaml"))
    assert "jurisdictions" not in conf_text.lower() and "acetaminophen" not in conf_text.lower()
    context, page, _ = open_page(browser, served_real + "search.html?q=jurisdictions")
    try:
        page.wait_for_selector("#enlsp-search-results li a.enlsp-result-title", timeout=15_000)
        found = page.eval_on_selector_all("#enlsp-search-results a.enlsp-result-title", "els => els.map(e => e.getAttribute('href'))")
        assert [h.rsplit("/", 1)[-1] for h in found] == ["cmt-23.html"]
        assert "BudgetLongformer" in page.locator("#enlsp-search-results li").first.inner_text()
        page.goto(served_real + "search.html?q=acetaminophen")
        page.wait_for_function("document.querySelector('#enlsp-search-status').textContent.startsWith('No results')")
    finally:
        context.close()
