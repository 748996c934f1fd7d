"""What a reader sees in real headless Chromium: phone layout, layout shift, copy buttons, colour scheme, 404, people filter."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest

from browsers import MARKS, InTwoPieces, QuietHandler, chromium, layout_shift, serving

pytestmark = MARKS
PHONE = {"width": 390, "height": 844}


class _Site(QuietHandler):
    """A static server that answers a missing file with the site's 404.html (as GitHub Pages does)."""

    site: Path

    def send_error(self, code, message=None, explain=None):
        if code != 404:
            return super().send_error(code, message, explain)
        body = (self.site / "404.html").read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def serve(root: Path, site: Path) -> contextlib.AbstractContextManager[str]:
    """``root`` served, answering a missing file with ``site``'s 404.html; yields the base URL."""
    return serving(root, type("Handler", (_Site,), {"site": site}))


@pytest.fixture(scope="module")
def mounted(small_site, tmp_path_factory):
    """The site served at its base URL's path (/synth/) and, separately, at the server's root."""
    root = tmp_path_factory.mktemp("mount")
    (root / "synth").symlink_to(small_site / "site", target_is_directory=True)
    with serve(root, small_site / "site") as under, serve(small_site / "site", small_site / "site") as at_root:
        yield under + "synth/", at_root


@pytest.fixture(scope="module")
def browser(mounted):
    with chromium() as instance:
        yield instance


@pytest.fixture()
def phone_context() -> dict:
    """conftest's ``phone``: an iPhone-sized viewport at scale 1."""
    return {"viewport": PHONE, "device_scale_factor": 1}


def box(page, selector):
    return page.locator(selector).first.bounding_box()


def test_papers_list_filters_fit_a_phone(phone, mounted):
    phone.goto(mounted[1] + "papers/index.html")
    phone.wait_for_selector(".enlsp-filter-form select")
    label, select = box(phone, ".enlsp-filter-form label > span"), box(phone, ".enlsp-filter-form select")
    line = phone.evaluate("parseFloat(getComputedStyle(document.querySelector('.enlsp-filter-form label > span')).lineHeight)")
    assert label["height"] <= line * 1.2  # one line: "Track", not a letter per line
    assert select["x"] >= 0 and select["x"] + select["width"] <= PHONE["width"] + 0.5
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_brand_keeps_clear_of_the_header_buttons_on_a_phone(phone, mounted):
    phone.goto(mounted[1] + "papers/index.html")
    phone.wait_for_selector(".search-button__button")
    brand = box(phone, ".navbar-brand")
    first_button = min(box(phone, ".enlsp-mode-button")["x"], box(phone, ".search-button__button")["x"])
    assert brand["x"] + brand["width"] + 4 <= first_button


@pytest.fixture(scope="module")
def in_two_pieces(small_site):
    """The site served with each page in two pieces (browsers.InTwoPieces)."""
    with serving(small_site / "site", InTwoPieces) as base:
        yield base


def test_filters_appearing_do_not_shift_the_papers(browser, mounted):
    for viewport in (PHONE, {"width": 1280, "height": 900}):
        assert layout_shift(browser, viewport, mounted[1] + "papers/index.html", ".enlsp-filter-form") < 0.02, viewport


@pytest.mark.parametrize("path", ["papers/index.html", "papers/alpha.html"])
@pytest.mark.parametrize("width", [390, 1000, 1200, 1280, 1920])
def test_a_page_read_in_pieces_does_not_move(browser, in_two_pieces, path, width):
    """The browser paints the page before it has read the "On this page" column at its end. The
    article stays where it is when the column comes (the theme centred it alone, then moved it
    left: 0.08 at 1280 px), and so does the page below the header when enlsp.js adds the search
    button (the header of six links wrapped to two lines: 0.54 at 1200 px)."""
    assert layout_shift(browser, {"width": width, "height": 900}, in_two_pieces + path, "footer.bd-footer") < 0.02


def test_copy_buttons_are_visible_without_hovering(phone, mounted):
    phone.goto(mounted[1] + "papers/alpha.html")
    button = phone.locator("#cite .sd-tab-content button.copybtn").first
    button.wait_for(state="attached")
    assert float(button.evaluate("b => getComputedStyle(b).opacity")) >= 0.7


def test_keynote_citation_wraps_on_a_phone_and_links_its_bib(phone, mounted):
    phone.goto(mounted[1] + "keynotes/kay-note.html")
    pre = phone.locator("#cite pre").first
    assert pre.evaluate("p => p.scrollWidth <= p.clientWidth + 1")
    assert phone.locator("#cite a[download='kay-note.bib']").count() == 1


def test_light_dark_button_switches_and_is_remembered(desktop, mounted):
    desktop.emulate_media(color_scheme="light")
    desktop.goto(mounted[1] + "index.html")
    button = desktop.locator(".enlsp-mode-button")
    assert desktop.evaluate("document.documentElement.dataset.theme") == "light"
    assert "automatic" in button.get_attribute("aria-label")
    button.click()  # auto -> light
    button.click()  # light -> dark
    assert desktop.evaluate("document.documentElement.dataset.theme") == "dark" and "dark" in button.get_attribute("aria-label")
    background = desktop.evaluate("getComputedStyle(document.body).backgroundColor")
    desktop.goto(mounted[1] + "schedule.html")
    assert desktop.evaluate("document.documentElement.dataset.theme") == "dark"
    assert desktop.evaluate("getComputedStyle(document.body).backgroundColor") == background != "rgb(255, 255, 255)"


@pytest.mark.parametrize("where", [0, 1], ids=["under-the-site-path", "at-another-path"])
def test_404_page_is_styled_wherever_the_site_is_served(desktop, mounted, where):
    response = desktop.goto(mounted[where] + "papers/no/such/page.html")
    assert response.status == 404
    assert desktop.locator("h1").inner_text() == "Page not found"
    button = desktop.locator("a.sd-btn-primary")
    assert button.evaluate("b => getComputedStyle(b).backgroundColor") not in ("rgba(0, 0, 0, 0)", "transparent")
    assert desktop.locator(".bd-header").is_visible()
    button.click()
    desktop.wait_for_load_state()
    assert desktop.url == mounted[where] + "index.html"


def test_authors_index_filters_committee_members(desktop, mounted):
    desktop.goto(mounted[1] + "authors/index.html")
    select = desktop.locator(".enlsp-people-filter select")
    select.wait_for()
    tara = desktop.locator("li", has=desktop.locator("a[href='tara-reviewer.html']"))
    muller = desktop.locator("li", has=desktop.locator("a[href='jurgen-muller.html']"))
    assert tara.is_visible() and muller.is_visible()
    select.select_option("contributor")
    assert not tara.is_visible() and muller.is_visible()
    select.select_option("committee")
    assert tara.is_visible() and not muller.is_visible()
    assert "group=committee" in desktop.url
