"""Search, schedule links and paper filters in real headless Chromium (Debian's /usr/bin/chromium)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from browsers import MARKS, chromium, start_server
from conftest import run_build
from synthetic import SynthPaper, write_workshop

pytestmark = MARKS


HOSTILE = 'Attack <img src=x onerror="window.pwned=1"> & Co'


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    """Author text that looks like markup, and an award (built before the browser starts)."""
    root = tmp_path_factory.mktemp("hostile")
    papers = [
        SynthPaper("won", HOSTILE, [{"name": "Zoë <b>Bold</b>"}], "An abstract with <script>window.pwned=2</script>.", pages=2, references_page=2,
                   extra={"award": "Best Paper"}),
        SynthPaper("plain", "Plain Paper", [{"name": "Ana Silva"}, {"name": "Søren Bjørn"}], "Nothing special.", pages=None),
    ]
    write_workshop(root, papers)
    assert run_build(root) == 0
    return root / "site"


@pytest.fixture(scope="module")
def bundled_site(tmp_path_factory) -> Path:
    """The small workshop with its search index split into bundles of three records."""
    from enlsp_proceedings.search import index as search
    from synthetic import small_workshop

    root = tmp_path_factory.mktemp("bundled")
    small_workshop(root)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search, "SHARD_RECORDS", 3)
        assert run_build(root) == 0
    return root / "site"


@pytest.fixture(scope="module")
def browser(small_site, hostile_site, bundled_site):
    """Chromium, started after the sites are built (builds do not run beside Playwright's event loop)."""
    with chromium() as instance:
        yield instance


@pytest.fixture(scope="module")
def site_url(small_site):
    base, server = start_server(small_site / "site")
    yield base
    server.shutdown()


@pytest.fixture()
def page(browser):
    context = browser.new_context()
    tab = context.new_page()
    yield tab
    context.close()


def result_links(page) -> list[str]:
    page.wait_for_selector("#enlsp-search-results li a.enlsp-result-title", timeout=15_000)
    return [urlsplit(h).path for h in page.eval_on_selector_all("#enlsp-search-results a.enlsp-result-title", "els => els.map(e => e.href)")]


def test_name_typed_without_accents_in_the_theme_dialog_finds_the_paper(page, site_url):
    page.goto(site_url + "index.html")
    page.keyboard.press("Control+k")
    field = page.locator("dialog#pst-search-dialog input[name='q']")
    field.wait_for(state="visible")
    field.fill("nguyen")
    field.press("Enter")
    page.wait_for_url("**/search.html?q=nguyen*")
    assert "/papers/alpha.html" in result_links(page)
    first = page.locator("#enlsp-search-results li", has=page.locator("a[href$='papers/alpha.html']"))
    assert "Jürgen Müller, Nguyễn Văn An" in first.locator(".enlsp-result-authors").inner_text()
    first.locator("a.enlsp-result-title").click()
    page.wait_for_url("**/papers/alpha.html")
    assert "Quantizing DistilHuBERT" in page.locator("h1").inner_text()


def test_navbar_search_button_submits_to_the_search_page(page, site_url):
    page.goto(site_url + "papers/beta.html")
    page.locator("button.search-button-field").first.click()
    field = page.locator("dialog#pst-search-dialog input[name='q']")
    field.wait_for(state="visible")
    field.fill("muller")
    field.press("Enter")
    page.wait_for_url("**/search.html?q=muller*")
    found = result_links(page)
    assert {"/papers/alpha.html", "/papers/beta.html", "/authors/jurgen-muller.html"} <= set(found)
    assert "/papers/gamma.html" not in found


def test_word_only_in_the_pdf_finds_its_paper(page, site_url):
    page.goto(site_url + "search.html?q=zyxquartzword")
    assert result_links(page) == ["/papers/alpha.html"]
    assert "zyxquartzword" in page.locator("#enlsp-search-results mark").first.inner_text()


def test_search_link_with_q_shows_results_and_typing_updates_them(page, site_url):
    page.goto(site_url + "search.html?q=efficiency")
    assert "/keynotes/kay-note.html" in result_links(page)  # from the speaker's bio
    field = page.locator(".enlsp-search form.bd-search input[name='q']")
    assert field.input_value() == "efficiency"
    field.fill("Parsers")
    page.wait_for_function("document.querySelector('#enlsp-search-status').textContent.includes('Parsers')")
    assert result_links(page)[0] == "/papers/gamma.html"
    assert parse_qs(urlsplit(page.url).query) == {"q": ["Parsers"]}
    field.fill("qqqnothingmatchesthis")
    page.wait_for_function("document.querySelector('#enlsp-search-status').textContent.startsWith('No results')")
    assert page.locator("#enlsp-search-results li").count() == 0


def test_schedule_links_lead_to_the_talks(page, site_url):
    page.goto(site_url + "schedule.html")
    assert "09:10–09:50" in page.locator("tr#slot-0910").inner_text()
    page.locator("tr#slot-0910 a", has_text="Efficient Everything").click()
    page.wait_for_url("**/keynotes/kay-note.html")
    assert page.locator("h1").inner_text().startswith("Efficient Everything")
    page.go_back()
    page.locator("tr#slot-0950 a", has_text="Quantizing DistilHuBERT").click()
    page.wait_for_url("**/papers/alpha.html")
    assert page.locator("a.enlsp-ics").get_attribute("href") == "alpha.ics"


def test_filters_hide_and_show_cards(page, site_url):
    page.goto(site_url + "papers/index.html")
    cards = page.locator(".enlsp-paper-card")
    presentation = page.locator(".enlsp-filters select[name='presentation']")
    track = page.locator(".enlsp-filters select[name='track']")
    assert cards.count() == 3 and all(cards.nth(i).is_visible() for i in range(3))
    assert page.locator(".enlsp-filters select[name='award']").count() == 0  # no paper has an award

    def visible_titles() -> list[str]:
        return sorted(cards.nth(i).locator(".sd-card-title").inner_text() for i in range(cards.count()) if cards.nth(i).is_visible())

    presentation.select_option("poster")
    assert visible_titles() == ["Sparse Attention on Phones"]
    assert not page.locator("section#oral").is_visible() and page.locator("section#poster").is_visible()
    assert "1 of 3 papers" in page.locator(".enlsp-filter-count").inner_text()
    assert "presentation=poster" in page.url
    presentation.select_option("")
    track.select_option("graph")
    assert visible_titles() == ["Graph Learning for Tiny Parsers"]
    track.select_option("")
    assert len(visible_titles()) == 3
    page.goto(site_url + "papers/index.html?presentation=oral")  # a shared filtered link
    assert visible_titles() == ["Quantizing DistilHuBERT for Müller's Speech"]


def test_award_filter_and_hostile_text_stays_text(browser, hostile_site):
    base, server = start_server(hostile_site)
    context = browser.new_context()
    try:
        tab = context.new_page()
        tab.goto(base + "papers/index.html")
        tab.locator(".enlsp-filters select[name='award']").select_option("yes")
        titles = tab.locator(".enlsp-paper-card:visible .sd-card-title")
        assert titles.count() == 1 and titles.first.inner_text() == HOSTILE
        tab.goto(base + "search.html?q=zoe")
        assert "/papers/won.html" in result_links(tab)
        result = tab.locator("#enlsp-search-results li", has=tab.locator("a[href$='papers/won.html']"))
        assert result.locator("a.enlsp-result-title").inner_text() == HOSTILE
        assert result.locator(".enlsp-result-authors").inner_text() == "Zoë <b>Bold</b>"
        tab.goto(base + "search.html?q=soren+bjorn")  # ø is a letter, not an accent mark: still found
        assert "/papers/plain.html" in result_links(tab)
        tab.goto(base + "search.html?q=script")
        result_links(tab)
        assert tab.locator("#enlsp-search-results img, #enlsp-search-results script, #enlsp-search-results b").count() == 0
        assert tab.evaluate("window.pwned === undefined")
    finally:
        context.close()
        server.shutdown()


def test_search_over_many_bundles_finds_what_one_bundle_finds(page, site_url, bundled_site):
    """The browser merges the bundles into one search: same results as the one-bundle site."""
    import gzip
    import json

    index = bundled_site / "pagefind"
    bundles = json.loads((index / "bundles.json").read_text())["bundles"]
    assert len(bundles) >= 5
    home = {}  # result page -> the bundle that holds it
    for name in bundles:
        for path in (index / name / "fragment").glob("*.pf_fragment"):
            raw = gzip.decompress(path.read_bytes())
            home["/" + json.loads(raw[raw.index(b"{"):])["url"].lstrip("/")] = name
    base, server = start_server(bundled_site)
    try:
        spread = set()
        for query in ("muller", "nguyen", "zyxquartzword", "efficiency", "parsers", "sparse"):
            page.goto(f"{site_url}search.html?q={query}")
            expected = sorted(result_links(page))
            page.goto(f"{base}search.html?q={query}")
            found = sorted(result_links(page))
            assert found == expected, query
            spread |= {home[link] for link in found}
        assert len(spread) >= 3  # the hits came from several bundles
    finally:
        server.shutdown()


def test_a_word_in_no_text_finds_nothing_while_prefixes_and_accents_still_match(page, site_url):
    """Pagefind answers an unknown word with its longest indexed prefix ("xyzzyplugh" finds every "x"): we say No results."""
    for query in ("xyzzyplugh", "muller xyzzyplugh", "mxyzzy"):  # ("mullerx" still finds Müller: a typo)
        page.goto(site_url + f"search.html?q={query}")
        page.wait_for_function("document.querySelector('#enlsp-search-status').textContent.startsWith('No results')")
        assert page.locator("#enlsp-search-results li").count() == 0, query
    page.goto(site_url + "search.html?q=mull")  # a prefix of Müller, without its accent
    assert {"/papers/alpha.html", "/authors/jurgen-muller.html"} <= set(result_links(page))
    page.goto(site_url + "search.html?q=quantization")  # a stem shared with "Quantizing"
    assert "/papers/alpha.html" in result_links(page)


def test_search_excerpt_does_not_repeat_the_title_and_authors_shown_above_it(page, site_url):
    page.goto(site_url + "search.html?q=muller")
    result_links(page)
    for item in page.locator("#enlsp-search-results li").all():
        title = item.locator("a.enlsp-result-title").inner_text()
        excerpt = item.locator(".enlsp-result-excerpt")
        if excerpt.count():
            text = excerpt.inner_text()
            assert not text.startswith(title) and not text.lstrip("… ").startswith(title), (title, text)
            authors = item.locator(".enlsp-result-authors")
            if authors.count():
                assert not text.startswith(authors.inner_text()), text
