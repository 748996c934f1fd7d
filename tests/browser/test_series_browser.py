"""The ENLSP series archive for a reader, in headless Chromium, on the real archive (ENLSP-II 2022 and
ENLSP-III 2023, built from conf/ and papers/ as `nox -s build` does):

- any paper of either year is two clicks from the series home; "All editions" in an edition's header
  leads back, and an edition's home links the other edition;
- one search over both years: results of both, links that load, an edition filter kept in the address,
  the count shown is the count listed, a person of both years found once; the search dialog of every
  page leads to a search page that works;
- every old address of the ENLSP-II site ends where its page now is (with its query and fragment), its
  PDFs answer with their bytes, its person pages are the series' person pages;
- a person of both years (two spellings merged by conf/people.yaml too) has one page, newest year
  first, and no link of the series' pages is broken;
- the series' pages pass axe and fit a phone.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

import pytest

from browsers import MARKS, InTwoPieces, chromium, header_lines, layout_shift, results, serving
from test_browser_design import axe_script

pytestmark = MARKS
PHONE = {"width": 390, "height": 844}
#: A word of papers of both years (ENLSP-II: 5 papers, ENLSP-III: 20, in their titles and abstracts).
BOTH_YEARS = "pruning"


@pytest.fixture(scope="module")
def served(real_archive):
    with serving(real_archive) as base:
        yield base


@pytest.fixture(scope="module")
def browser(served):
    """Chromium, started after the archive is built (builds do not run beside Playwright's event loop)."""
    with chromium() as instance:
        yield instance


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert errors == [], errors  # no page threw


def path_of(page) -> str:
    return urlsplit(page.url).path


def search(page, url: str) -> tuple[int, list[str]]:
    """Open ``url`` (a search page with ?q=): (the count the page states, the address of every result
    listed, "Show more" clicked until all are)."""
    page.goto(url)
    return results(page)




# -- 1. from the series home to any paper, and back ---------------------------------------------------

@pytest.mark.parametrize("edition", ["2023", "2022"])
def test_a_paper_of_either_year_is_two_clicks_from_the_series_home(page, served, edition):
    page.goto(served + "index.html")
    card = page.locator(".enlsp-edition-card", has=page.locator(f"a[href='{edition}/index.html']"))
    card.get_by_role("link", name="Papers", exact=True).click()
    page.wait_for_load_state()
    assert path_of(page) == f"/{edition}/papers/index.html"
    first = page.locator(".enlsp-paper-card .sd-card-title").first
    title = first.inner_text().strip()
    first.click(force=True)  # where a reader clicks: the card is the link (its stretched link lies over it)
    page.wait_for_load_state()
    assert re.fullmatch(rf"/{edition}/papers/[a-z0-9-]+\.html", path_of(page)) and not path_of(page).endswith("/index.html")
    assert page.locator(".bd-article h1").inner_text().startswith(title[:40])
    page.locator("#pst-header a.nav-link", has_text="All editions").click()  # the edition's header leads back
    page.wait_for_load_state()
    assert path_of(page) == "/index.html"
    assert page.locator(".bd-article h1").inner_text().startswith("Efficient Natural Language and Speech Processing")


@pytest.mark.parametrize(("edition", "other", "name"), [("2023", "2022", "ENLSP-II"), ("2022", "2023", "ENLSP-III")])
def test_an_editions_home_links_the_other_edition(page, served, edition, other, name):
    page.goto(served + f"{edition}/index.html")
    line = page.locator("p.enlsp-editions")
    assert line.inner_text().startswith("Every ENLSP edition:")
    line.get_by_role("link", name=name, exact=True).click()
    page.wait_for_load_state()
    assert path_of(page) == f"/{other}/index.html"
    page.locator("p.enlsp-editions").get_by_role("link", name="All editions").click()
    page.wait_for_load_state()
    assert path_of(page) == "/index.html"


def test_the_series_home_lists_every_edition_newest_first(page, served):
    page.goto(served + "index.html")
    cards = page.locator(".enlsp-edition-card .sd-card-title").all_inner_texts()
    assert [c.strip() for c in cards] == ["ENLSP-III · NeurIPS 2023", "ENLSP-II · NeurIPS 2022"]
    page.get_by_role("link", name="Latest: ENLSP-III").click()
    page.wait_for_load_state()
    assert path_of(page) == "/2023/index.html"


# -- 2. one search over every edition ------------------------------------------------------------------

def test_a_search_lists_results_of_both_years_and_they_load(page, served):
    count, links = search(page, served + f"search.html?q={BOTH_YEARS}")
    assert count == len(links) > 0
    assert {link.split("/")[1] for link in links} == {"2022", "2023"}
    assert all(re.fullmatch(r"/20(22|23)/(papers|keynotes)/[a-z0-9-]+\.html", link) for link in links), links
    kinds = page.locator("#enlsp-search-results .enlsp-result-kind").all_inner_texts()  # each result says its edition
    assert all(k.startswith(("ENLSP-III · Paper · ", "ENLSP-II · Paper · ", "ENLSP-III · Keynote", "ENLSP-II · Keynote"))
               for k in kinds) and len(kinds) == count
    assert all(k.startswith("ENLSP-III · ") == link.startswith("/2023/") for k, link in zip(kinds, links, strict=True))
    assert page.locator("#enlsp-search-edition").input_value() == ""
    for edition in ("2022", "2023"):
        result = page.locator(f"#enlsp-search-results a.enlsp-result-title[href*='/{edition}/papers/']").first
        title = result.inner_text()
        result.click()
        page.wait_for_load_state()
        assert path_of(page).startswith(f"/{edition}/papers/") and page.locator(".bd-article h1").inner_text().startswith(title[:40])
        page.go_back()
        page.wait_for_selector("#enlsp-search-results li")


def test_the_edition_filter_chooses_an_edition_and_keeps_it_in_the_address(page, served):
    everything, _ = search(page, served + f"search.html?q={BOTH_YEARS}")
    select = page.locator("#enlsp-search-edition")
    options = select.locator("option").all_inner_texts()
    assert options == ["All editions", "ENLSP-III (2023)", "ENLSP-II (2022)"]
    page.evaluate("document.querySelector('#enlsp-search-status').textContent = ''")
    select.select_option("2023")
    count, links = results(page)
    assert count == len(links) > 0 and all(link.startswith("/2023/") for link in links)
    assert "edition=2023" in page.url and f"q={BOTH_YEARS}" in page.url
    count_2022, links_2022 = search(page, served + f"search.html?q={BOTH_YEARS}&edition=2022")  # the address restores it
    assert page.locator("#enlsp-search-edition").input_value() == "2022"
    assert count_2022 == len(links_2022) > 0 and all(link.startswith("/2022/") for link in links_2022)
    assert count + count_2022 == everything
    page.evaluate("document.querySelector('#enlsp-search-status').textContent = ''")
    page.locator("#enlsp-search-edition").select_option("")
    assert results(page)[0] == everything and "edition=" not in page.url


def test_a_person_of_both_years_is_found_once(page, served):
    count, links = search(page, served + "search.html?q=" + quote("Danqi Chen"))
    assert count == len(links)
    assert links.count("/authors/danqi-chen.html") == 1
    assert "/2022/keynotes/danqi-chen.html" in links and any(link.startswith("/2023/papers/") for link in links)
    href = page.locator("#enlsp-search-results a.enlsp-result-title", has_text="Danqi Chen").first.get_attribute("href")
    assert href == "/authors/danqi-chen.html"  # the address itself, not /2023/../authors/…
    person = page.locator("#enlsp-search-results li", has=page.locator("a[href='/authors/danqi-chen.html']"))
    # the series' page, of no one edition: what they did in each year
    assert person.locator(".enlsp-result-kind").inner_text() == "Person · Author · ENLSP-II: Keynote speaker"
    page.locator("#enlsp-search-results a.enlsp-result-title", has_text="Danqi Chen").first.click()
    page.wait_for_load_state()
    assert path_of(page) == "/authors/danqi-chen.html" and page.locator(".bd-article h1").inner_text().startswith("Danqi Chen")


@pytest.mark.parametrize("edition", ["2022", "2023"])
def test_a_person_is_found_in_each_edition_they_are_in(page, served, edition):
    """Danqi Chen spoke at ENLSP-II and wrote for ENLSP-III: searching one edition finds her page too."""
    count, links = search(page, served + "search.html?q=" + quote("Danqi Chen") + f"&edition={edition}")
    assert count == len(links) and links.count("/authors/danqi-chen.html") == 1
    count, links = search(page, served + f"{edition}/search.html?q=" + quote("Danqi Chen"))  # the edition's own search
    assert count == len(links) and links.count("/authors/danqi-chen.html") == 1


def dialog_search(page, query: str) -> None:
    page.keyboard.press("Control+k")
    field = page.locator("dialog#pst-search-dialog input[name='q']")
    field.wait_for(state="visible")
    field.fill(query)
    field.press("Enter")
    page.wait_for_load_state()


@pytest.mark.parametrize("start", ["index.html", "authors/index.html", "authors/danqi-chen.html"])
def test_the_search_dialog_of_the_series_pages_searches_every_edition(page, served, start):
    page.goto(served + start)
    dialog_search(page, BOTH_YEARS)
    assert path_of(page) == "/search.html"
    count, links = results(page)
    assert count == len(links) and {link.split("/")[1] for link in links} == {"2022", "2023"}


@pytest.mark.parametrize("edition", ["2022", "2023"])
def test_the_search_dialog_of_an_edition_searches_that_edition(page, served, edition):
    page.goto(served + f"{edition}/papers/index.html")
    dialog_search(page, BOTH_YEARS)
    assert path_of(page) == f"/{edition}/search.html"
    assert page.locator(".enlsp-search-series").inner_text().startswith(f"This page searches {'ENLSP-II' if edition == '2022' else 'ENLSP-III'}.")
    count, links = results(page)
    assert count == len(links) > 0 and all(link.startswith(f"/{edition}/") for link in links)
    page.get_by_role("link", name="Search all editions").click()  # and from there, every edition
    page.wait_for_load_state()
    assert path_of(page) == "/search.html"
    assert page.locator("#enlsp-search-edition").input_value() == ""
    assert results(page)[0] > count


# -- 3. the old addresses of the ENLSP-II site ---------------------------------------------------------

@pytest.mark.parametrize(("old", "new"), [
    ("papers/cmt-11.html#cite", "/2022/papers/cmt-11.html#cite"),
    ("schedule.html", "/2022/schedule.html"),
    ("keynotes/index.html?from=mail", "/2022/keynotes/index.html?from=mail"),
    ("papers/index.html", "/2022/papers/index.html"),
])
def test_an_old_address_ends_on_its_page(page, served, old, new):
    page.goto(served + old)
    page.wait_for_url(lambda url: urlsplit(url).path.startswith("/2022/"))
    page.wait_for_load_state()
    parts = urlsplit(page.url)
    assert parts.path + (f"?{parts.query}" if parts.query else "") + (f"#{parts.fragment}" if parts.fragment else "") == new
    assert page.locator("#pst-header a.nav-link", has_text="All editions").count() == 1  # the edition's real page


def test_an_old_pdf_address_answers_with_the_pdf(page, served, real_archive):
    for old in ("papers/paper_11.pdf", "papers/cmt-11.pdf"):
        response = page.request.get(served + old)
        assert response.status == 200 and response.headers["content-type"] == "application/pdf"
        assert response.body() == (real_archive / "2022" / "papers" / "cmt-11.pdf").read_bytes()


def test_an_old_person_address_is_the_person_page(page, served):
    page.goto(served + "authors/mehdi-rezagholizadeh.html")
    page.wait_for_load_state()
    assert path_of(page) == "/authors/mehdi-rezagholizadeh.html"
    assert page.locator(".bd-article h1").inner_text().startswith("Mehdi Rezagholizadeh")
    assert page.locator("section#edition-2022").count() == 1


# -- 4. a person across the years, and no broken link --------------------------------------------------

@pytest.mark.parametrize(("slug", "name"), [("danqi-chen", "Danqi Chen"), ("tiago-h-falk", "Falk")])
def test_a_person_of_both_years_lists_both_newest_first(page, served, slug, name):
    page.goto(served + f"authors/{slug}.html")
    assert name in page.locator(".bd-article h1").inner_text()
    years = page.eval_on_selector_all(".bd-article section[id^='edition-']", "els => els.map(e => e.id)")
    assert years == ["edition-2023", "edition-2022"]
    headings = page.locator(".bd-article section[id^='edition-'] > h2").all_inner_texts()
    assert [h.replace("#", "").strip() for h in headings] == ["ENLSP-III · NeurIPS 2023", "ENLSP-II · NeurIPS 2022"]
    works = {year: page.eval_on_selector_all(f"section#edition-{year} .enlsp-person-works a", "els => els.map(e => e.pathname)")
             for year in ("2023", "2022")}
    assert works["2022"]  # a keynote, a paper (Tiago H Falk was on ENLSP-III's committee: no work there)
    assert all(w.startswith((f"/{year}/", "/authors/")) for year in works for w in works[year]), works


def broken_links(page, base: str, path: str) -> list[tuple[str, str, object]]:
    """Every link of the page at ``path`` that does not answer 200, or whose #fragment names no element."""
    page.goto(base + path)
    hrefs = page.eval_on_selector_all("a[href]", "els => [...new Set(els.map(e => e.href))]")
    broken = []
    for href in hrefs:
        parts = urlsplit(href)
        if not href.startswith(base):
            assert parts.scheme in ("http", "https", "mailto"), href
            continue
        target = href.split("#")[0]
        response = page.request.get(target)
        if response.status != 200:
            broken.append((path, href, response.status))
        elif parts.fragment and target == page.url.split("#")[0]:
            if not page.evaluate("id => !!document.getElementById(id)", parts.fragment):
                broken.append((path, href, "no such fragment"))
    return broken


def test_no_link_of_the_series_pages_is_broken(page, served):
    broken = []
    for path in ("index.html", "authors/index.html", "authors/danqi-chen.html", "authors/tiago-h-falk.html", "search.html"):
        broken += broken_links(page, served, path)
    assert broken == []


def test_the_people_index_links_everyone_once(page, served, real_archive):
    page.goto(served + "authors/index.html")
    links = page.eval_on_selector_all(".enlsp-people-list a", "els => els.map(e => e.pathname)")
    pages = {f"/authors/{p.name}" for p in (real_archive / "authors").glob("*.html")} - {"/authors/index.html"}
    assert len(links) == len(set(links)) == len(pages) > 500 and set(links) == pages
    assert page.locator(".enlsp-people-list li", has=page.locator("a[href='danqi-chen.html']")).inner_text().endswith("ENLSP-III, ENLSP-II")


def test_the_series_pages_have_no_my_list_of_an_edition(page, served):
    """The series' pages have no stars and no list of their own: a "My list" there led to ENLSP-II's
    list (the old address my-list.html), which holds nothing starred in ENLSP-III."""
    for path in ("index.html", "authors/index.html", "authors/danqi-chen.html", "search.html"):
        page.goto(served + path)
        page.wait_for_selector("#pst-header .search-button__button", state="attached")
        assert page.locator("#pst-header a.enlsp-list-link").count() == 0, path
    for edition in ("2022", "2023"):  # an edition's pages keep theirs, to their edition's list
        page.goto(served + f"{edition}/index.html")
        assert page.locator("#pst-header a.enlsp-list-link").get_attribute("href").endswith(f"/{edition}/my-list.html")


# -- 5. accessibility and phones -----------------------------------------------------------------------

SERIES_PAGES = ["index.html", "authors/index.html", "authors/danqi-chen.html", "authors/tiago-h-falk.html",
                f"search.html?q={BOTH_YEARS}"]


def settle(page, dark: bool) -> None:
    page.wait_for_function("document.documentElement.dataset.theme === '%s'" % ("dark" if dark else "light"))
    page.wait_for_function("document.getAnimations().every(a => a.playState !== 'running')")
    if "search.html" in page.url:
        page.wait_for_selector("#enlsp-search-results li")


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_the_series_pages_pass_axe_and_fit_a_phone(browser, served, dark):
    script = axe_script()
    problems = []
    for path in SERIES_PAGES:
        for viewport in (PHONE, {"width": 1280, "height": 900}):
            phone = viewport is PHONE
            context = browser.new_context(viewport=viewport, color_scheme="dark" if dark else "light", is_mobile=phone,
                                          has_touch=phone, device_scale_factor=1)
            try:
                page = context.new_page()
                page.goto(served + path)
                settle(page, dark)
                scroll = page.evaluate("document.documentElement.scrollWidth")
                if scroll > viewport["width"]:
                    wide = page.evaluate("""w => [...document.querySelectorAll('body *')]
                        .filter(e => e.getBoundingClientRect().right > w + 1 && getComputedStyle(e).position !== 'fixed')
                        .slice(0, 5).map(e => e.tagName + '.' + e.className)""", viewport["width"])
                    problems.append((path, viewport["width"], "scrollWidth", scroll, wide))
                page.add_script_tag(content=script)
                result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
                problems += [(path, viewport["width"], v["id"], [n["target"] for n in v["nodes"]][:3])
                             for v in result["violations"] if v["impact"] in ("serious", "critical")]
            finally:
                context.close()
    assert problems == [], "\n".join(map(str, problems))


def test_on_a_phone_the_menu_leads_from_an_edition_to_every_edition(browser, served):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=1)
    try:
        page = context.new_page()
        page.goto(served + "2023/papers/index.html")
        page.locator("#pst-header button.primary-toggle").click()
        page.locator("dialog#pst-primary-sidebar-modal a.nav-link", has_text="All editions").click()
        page.wait_for_load_state()
        assert path_of(page) == "/index.html"
        page.locator(".enlsp-edition-card", has=page.locator("a[href='2022/index.html']")).get_by_role("link", name="Papers", exact=True).click()
        page.wait_for_load_state()
        assert path_of(page) == "/2022/papers/index.html"
    finally:
        context.close()


@pytest.fixture(scope="module")
def in_two_pieces(real_archive):
    """The archive served with each page in two pieces (browsers.InTwoPieces)."""
    with serving(real_archive, InTwoPieces) as base:
        yield base


@pytest.mark.parametrize("width", [390, 1200, 1280, 1920])
def test_the_papers_lists_keep_their_place_while_they_load(browser, in_two_pieces, width):
    """ENLSP-III's list (123 KB) is painted before its "On this page" column is read; its article
    moved 136 px to the left when the column came (at 1280 px, one load in three from a local
    server; every load here, where the page comes in two pieces)."""
    for path in ("2023/papers/", "2022/papers/"):
        assert layout_shift(browser, {"width": width, "height": 900}, in_two_pieces + path, "footer.bd-footer") < 0.02, path


def test_the_header_is_one_line_at_every_desktop_width(page, served):
    for width in range(960, 1440, 40):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(served + "2023/papers/")
        page.wait_for_selector(".bd-header .search-button__button")
        assert header_lines(page) <= 4, width
