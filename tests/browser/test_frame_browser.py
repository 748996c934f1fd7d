"""The small frame still works in real headless Chromium: the narrow-screen menu, the
search button and dialog at every width, the "More" dropdown, no script errors.

The search button, its dialog and the menu's copy of the header links are built by
static/enlsp.js (see templates/layout.html); these tests drive them as a reader would.
"""

from __future__ import annotations

import contextlib
from urllib.parse import urlsplit

import pytest

from browsers import MARKS, chromium, header_lines, serving

pytestmark = MARKS

AUTHOR = "authors/jurgen-muller.html"


@pytest.fixture(scope="module")
def urls(small_site, guide_site):
    """Both sites on local servers (started after both are built)."""
    with contextlib.ExitStack() as stack:
        yield {name: stack.enter_context(serving(directory)) for name, directory in (("small", small_site / "site"), ("guide", guide_site))}


@pytest.fixture(scope="module")
def browser(urls):
    with chromium() as instance:
        yield instance


@pytest.fixture()
def phone_context() -> dict:
    """conftest's ``phone``: a touch screen with mobile emulation (the menu's phone behaviour)."""
    return {"viewport": {"width": 390, "height": 800}, "is_mobile": True, "has_touch": True}


def header_links(page) -> list[tuple[str, str]]:
    found = page.eval_on_selector_all(".bd-header .navbar-header-items a.nav-link",
                                      "els => els.map(a => [a.textContent.trim(), a.getAttribute('href')])")
    return [tuple(pair) for pair in found]


def test_hamburger_opens_the_site_navigation(phone, urls):
    phone.goto(urls["small"] + AUTHOR)
    assert not phone.locator(".bd-header .navbar-header-items").is_visible()  # the header's links are hidden on a phone
    toggle = phone.locator("button.primary-toggle")
    assert toggle.is_visible() and toggle.get_attribute("aria-expanded") == "false"
    toggle.click()
    drawer = phone.locator("dialog#pst-primary-sidebar-modal")
    drawer.wait_for(state="visible")
    assert toggle.get_attribute("aria-expanded") == "true"
    shown = drawer.locator("a.nav-link")
    expected = header_links(phone)
    assert len(expected) == 6
    assert [(shown.nth(i).inner_text().strip(), shown.nth(i).get_attribute("href")) for i in range(shown.count())] == expected
    assert all(shown.nth(i).is_visible() for i in range(shown.count()))
    phone.keyboard.press("Escape")
    drawer.wait_for(state="hidden")
    assert toggle.get_attribute("aria-expanded") == "false"
    toggle.click()
    drawer.locator("a.nav-link", has_text="Schedule").click()
    phone.wait_for_url("**/schedule.html")
    assert phone.locator("h1").first.inner_text().startswith("Schedule")


def test_menu_marks_the_current_section(phone, urls):
    phone.goto(urls["small"] + "papers/index.html")
    phone.locator("button.primary-toggle").click()
    current = phone.locator("dialog#pst-primary-sidebar-modal li.active a.nav-link")
    assert current.count() == 1 and current.inner_text().strip() == "Accepted papers"


def test_menu_lists_the_links_under_more_and_the_dropdown_works(phone, desktop, urls):
    phone.goto(urls["guide"] + AUTHOR)
    phone.locator("button.primary-toggle").click()
    drawer = phone.locator("dialog#pst-primary-sidebar-modal")
    drawer.wait_for(state="visible")
    texts = [t.strip() for t in drawer.locator("a.nav-link").all_inner_texts()]
    assert len(texts) == 7 and texts[-1] == "Guide for authors" and "Call for papers" in texts
    assert drawer.locator("button, .dropdown-menu").count() == 0  # one flat list, as the theme's own copy was
    desktop.goto(urls["guide"] + AUTHOR)
    more = desktop.locator(".bd-header button.dropdown-toggle")
    assert more.is_visible() and not desktop.locator(".bd-header .dropdown-menu a", has_text="Guide for authors").is_visible()
    more.click()  # Bootstrap's dropdown (its script is loaded on this site only)
    desktop.locator(".bd-header .dropdown-menu a", has_text="Guide for authors").click()
    desktop.wait_for_url("**/guide/index.html")


@pytest.mark.parametrize("site", ["small", "guide"])
def test_the_header_is_one_line_at_every_desktop_width(browser, urls, site):
    """Six links (a workshop of one edition: "More" holds no single link) or five and "More", the
    reading list, the colour switch and search stay on one line from 960 px, and the default labels
    are not cut from 970 px."""
    page = browser.new_page()
    try:
        for width in [*range(960, 1440, 20), 1199, 1279]:
            page.set_viewport_size({"width": width, "height": 800})
            page.goto(urls[site] + "papers/index.html")
            page.wait_for_selector(".bd-header .search-button__button")
            inline = page.locator(".bd-header .navbar-header-items a.nav-link:not(.dropdown-item)").count()
            assert (inline, page.locator(".bd-header .dropdown-toggle").count()) == ((6, 0) if site == "small" else (5, 1))
            assert header_lines(page) <= 4, width
            cut = page.eval_on_selector_all(".bd-header .navbar-header-items a.nav-link:not(.dropdown-item)",
                                            "links => links.filter(a => a.scrollWidth > a.clientWidth + 1).map(a => a.textContent.trim())")
            assert cut == [] or width < 970, (width, cut)
    finally:
        page.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_search_button_opens_the_dialog_at_every_width(browser, urls, width):
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    try:
        page.goto(urls["small"] + "papers/alpha.html")
        button = page.locator("button.search-button-field")
        assert button.count() == 1 and button.is_visible()
        button.click()
        field = page.locator("dialog#pst-search-dialog input[name='q']")
        field.wait_for(state="visible")
        assert field.get_attribute("placeholder") == "Search the proceedings"
        field.fill("raman")
        field.press("Enter")
        page.wait_for_url("**/search.html?q=raman")
        assert urlsplit(page.url).path == "/search.html"
        page.wait_for_selector("#enlsp-search-results li a.enlsp-result-title", timeout=15_000)
    finally:
        context.close()


def test_no_script_errors_on_the_frame(browser, urls):
    errors: list[tuple[str, str]] = []
    for site, path in (("small", "index.html"), ("small", AUTHOR), ("small", "papers/alpha.html"), ("small", "papers/index.html"),
                       ("small", "keynotes/kay-note.html"), ("small", "search.html?q=muller"), ("guide", AUTHOR)):
        for width in (390, 1280):
            context = browser.new_context(viewport={"width": width, "height": 800})
            page = context.new_page()
            page.on("pageerror", lambda exc, path=path: errors.append((path, str(exc))))
            page.goto(urls[site] + path, wait_until="load")
            page.keyboard.press("Control+k")
            page.wait_for_timeout(100)
            context.close()
    assert errors == []
