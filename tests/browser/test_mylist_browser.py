"""The reading list on the real ENLSP-II site, in headless Chromium (the readers' issue, item 10):
stars on papers and talks kept in the browser, and a My list page that downloads the starred
entries as one BibTeX, RIS, CSL-JSON and iCalendar file, made from the site's own files."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

import pytest

from browsers import MARKS, QuietHandler, chromium, serving
from test_browser_design import axe_script

pytestmark = MARKS
PHONE = {"width": 390, "height": 844}


class _Site(QuietHandler):
    """The site, and a log of every address asked for (nothing but the site's own files may be)."""

    asked: list[str]

    def do_GET(self):  # noqa: N802 - http.server's naming
        self.asked.append(self.path)
        super().do_GET()


@pytest.fixture(scope="module")
def served(real_site):
    asked: list[str] = []
    handler = type("Handler", (_Site,), {"asked": asked})
    with serving(real_site, handler) as base:
        yield base, asked


@pytest.fixture(scope="module")
def browser(served):
    with chromium() as instance:
        yield instance


@pytest.fixture()
def phone_context() -> dict:
    return {"viewport": PHONE, "device_scale_factor": 1, "is_mobile": True, "has_touch": True}


@pytest.fixture()
def reader(browser):
    """A page in a fresh 1280 x 900 context that accepts downloads, and every request it makes."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page, requests, errors
    context.close()


def star(page, key: str):
    button = page.locator(f"button.enlsp-star[data-star='{key}']").first
    button.wait_for(state="visible")
    return button


def download(page, fmt: str, tmp_path: Path) -> tuple[str, str]:
    with page.expect_download() as info:
        page.locator(f"button.enlsp-mylist-export[data-format='{fmt}']").click()
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    return info.value.suggested_filename, target.read_text(encoding="utf-8")


def test_star_two_papers_and_a_talk_then_download_the_list_in_every_format(reader, served, real_site, tmp_path):
    import bibtexparser
    import icalendar

    page, requests, errors = reader
    site, _ = served
    # the types the downloads are made with (Blob URLs: the download itself carries no Content-Type)
    page.add_init_script("""window.__types = []; const make = URL.createObjectURL;
        URL.createObjectURL = blob => { window.__types.push(blob.type); return make(blob); };""")
    # a paper from its page, another from the papers list, a keynote from the schedule
    page.goto(site + "papers/collective-kgc.html")
    button = star(page, "paper:collective-kgc")
    assert button.get_attribute("aria-pressed") == "false" and "My list" in button.inner_text()
    button.click()
    assert button.get_attribute("aria-pressed") == "true"
    assert page.locator("a.enlsp-list-link").get_attribute("aria-label") == "My list: 1 item"
    page.goto(site + "papers/index.html")
    card_star = star(page, "paper:fast-distilbert")
    assert card_star.get_attribute("aria-label") == "My list: Fast DistilBERT on CPUs"  # an icon's name says which paper
    assert star(page, "paper:collective-kgc").get_attribute("aria-pressed") == "true"  # kept from the other page
    card_star.click()
    page.goto(site + "schedule.html")
    star(page, "keynote:lu-hou").click()

    page.locator("a.enlsp-list-link").click()
    page.wait_for_url(site + "my-list.html")
    items = page.locator("li.enlsp-mylist-item")
    items.nth(2).locator(".enlsp-mylist-when").wait_for()
    assert items.count() == 3
    listed = page.locator(".enlsp-mylist-items").inner_text()
    assert "Collective Knowledge Graph Completion" in listed and "Fast DistilBERT on CPUs" in listed and "Fine-grained Interactive Vision" in listed
    assert "Haihao Shen" in listed and "Lu Hou" in listed  # authors and speakers, from the site's CSL-JSON
    assert "08:00–08:30 (America/Chicago)" in listed  # the keynote's slot, from schedule.ics
    assert page.locator(".enlsp-mylist-summary").inner_text() == "In your list: 2 papers, 1 keynote."

    name, bib = download(page, "bib", tmp_path)
    assert name == "enlsp-ii-2022-my-list.bib"
    library = bibtexparser.parse_string(bib)
    assert not library.failed_blocks
    keys = json.loads((real_site / "papers.json").read_text(encoding="utf-8"))
    bibkeys = {p["id"]: p["bibkey"] for p in keys["papers"]} | {k["id"]: k["bibkey"] for k in keys["keynotes"]}
    assert [e.key for e in library.entries] == [bibkeys["collective-kgc"], bibkeys["fast-distilbert"], bibkeys["lu-hou"]]
    assert bib.startswith((real_site / "papers" / "collective-kgc.bib").read_text(encoding="utf-8").rstrip())  # the site's own entries

    name, ris = download(page, "ris", tmp_path)
    assert name == "enlsp-ii-2022-my-list.ris"
    assert ris.count("TY  - ") == 2 and ris.count("ER  - ") == 2  # keynotes have no RIS record
    assert "TI  - Fast DistilBERT on CPUs" in ris

    name, csl = download(page, "csl", tmp_path)
    assert name == "enlsp-ii-2022-my-list.csl.json"
    assert [item["id"] for item in json.loads(csl)] == [bibkeys["collective-kgc"], bibkeys["fast-distilbert"], bibkeys["lu-hou"]]

    name, ics = download(page, "ics", tmp_path)
    ics = (tmp_path / name).read_bytes().decode("utf-8")  # its CRLF line ends as written
    assert name == "enlsp-ii-2022-my-list.ics"
    calendar = icalendar.Calendar.from_ical(ics)
    events = {str(e["summary"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {"Collective Knowledge Graph Completion with Mutual Knowledge Distillation", "Fast DistilBERT on CPUs",
                           "Keynote: Fine-grained Interactive Vision Language Pre-training"}
    assert str(events["Fast DistilBERT on CPUs"]["url"]) == "https://neurips2022-enlsp.github.io/papers/fast-distilbert.html"
    assert events["Keynote: Fine-grained Interactive Vision Language Pre-training"].decoded("dtstart").isoformat() == "2022-12-02T08:00:00-06:00"
    assert [str(z["tzid"]) for z in calendar.walk("VTIMEZONE")] == ["America/Chicago"]
    assert all(len(line.encode()) <= 75 for line in ics.split("\r\n"))
    assert page.evaluate("window.__types") == ["application/x-bibtex;charset=utf-8", "application/x-research-info-systems;charset=utf-8",
                                               "application/vnd.citationstyles.csl+json;charset=utf-8", "text/calendar;charset=utf-8"]
    assert errors == []
    assert all(url.startswith((site, "blob:")) for url in requests), [u for u in requests if not u.startswith(site)]


def test_stars_are_kept_across_reloads_and_unstarring_removes(reader, served, tmp_path):
    page, _, _ = reader
    site, _ = served
    page.goto(site + "papers/index.html")
    for key in ("paper:cmt-10", "paper:cmt-11"):
        star(page, key).click()
    page.reload()
    assert star(page, "paper:cmt-10").get_attribute("aria-pressed") == "true"
    star(page, "paper:cmt-10").click()  # unstar
    page.reload()
    assert star(page, "paper:cmt-10").get_attribute("aria-pressed") == "false"
    page.goto(site + "my-list.html")
    page.locator("li.enlsp-mylist-item").first.wait_for()
    assert page.locator("li.enlsp-mylist-item").evaluate_all("items => items.map(i => i.dataset.key)") == ["paper:cmt-11"]
    # unstarring on My list: the row stays, struck through, until the page is left; the downloads leave it out
    page.locator("li.enlsp-mylist-item button.enlsp-star").click()
    assert "enlsp-mylist-removed" in page.locator("li.enlsp-mylist-item").get_attribute("class")
    assert page.locator(".enlsp-mylist-empty").is_visible()
    page.reload()
    assert page.locator("li.enlsp-mylist-item").count() == 0 and page.locator(".enlsp-mylist-empty").is_visible()


def test_a_corrupted_or_foreign_stored_list_is_an_empty_list_not_an_error(reader, served):
    page, _, errors = reader
    site, _ = served
    for stored in ("{not json", '"a string"', '{"items": 5}', '{"items": [null, 3, {"key": "paper:../../x"}, {"key": "paper:cmt-10", "title": 7}]}'):
        page.goto(site + "papers/index.html")
        page.evaluate("([key, value]) => localStorage.setItem(key, value)", ["enlsp-list:/", stored])
        page.goto(site + "my-list.html")
        page.locator(".enlsp-mylist-summary, .enlsp-mylist-empty").first.wait_for(state="attached")
        keys = page.locator("li.enlsp-mylist-item").evaluate_all("items => items.map(i => i.dataset.key)")
        assert keys == (["paper:cmt-10"] if "cmt-10" in stored else []), stored
        page.goto(site + "papers/index.html")
        star(page, "paper:cmt-11").click()  # starring still works, and writes a clean list
        stored_now = json.loads(page.evaluate("localStorage.getItem('enlsp-list:/')"))
        assert [i["key"] for i in stored_now["items"]][-1] == "paper:cmt-11"
        star(page, "paper:cmt-11").click()
    assert errors == []


def test_stored_titles_are_shown_as_text_never_as_markup(reader, served):
    page, _, errors = reader
    site, _ = served
    page.goto(site + "index.html")
    evil = '<img src=x onerror="window.__owned=1">Panel & <b>talk</b>'
    page.evaluate("([key, value]) => localStorage.setItem(key, value)",
                  ["enlsp-list:/", json.dumps({"version": 1, "items": [{"key": "panel:industrial-panel", "title": evil}]})])
    page.goto(site + "my-list.html")
    link = page.locator("li.enlsp-mylist-item .enlsp-list-title a")
    link.wait_for()
    assert link.inner_text() == evil and page.locator(".enlsp-mylist-items img, .enlsp-mylist-items b").count() == 0
    assert page.evaluate("window.__owned") is None and errors == []


def test_stars_work_from_the_keyboard_and_pass_axe_in_light_and_dark(browser, served):
    site, _ = served
    script = axe_script()
    for scheme in ("light", "dark"):
        context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
        page = context.new_page()
        page.goto(site + "papers/fast-distilbert.html")
        button = star(page, "paper:fast-distilbert")
        button.focus()
        page.keyboard.press("Space")
        assert button.get_attribute("aria-pressed") == "true"
        page.keyboard.press("Enter")
        assert button.get_attribute("aria-pressed") == "false"
        page.keyboard.press("Enter")
        outline = button.evaluate("b => getComputedStyle(b).outlineStyle")
        assert outline != "none"
        page.goto(site + "schedule.html")
        star(page, "keynote:lu-hou").click()
        problems = []
        for path in ("papers/fast-distilbert.html", "papers/index.html", "schedule.html", "keynotes/index.html", "my-list.html"):
            page.goto(site + path)
            page.wait_for_function(f"document.documentElement.dataset.theme === '{scheme}'")
            page.locator("button.enlsp-star[aria-pressed]").first.wait_for()
            page.wait_for_function("document.getAnimations().every(a => a.playState !== 'running')")
            page.add_script_tag(content=script)
            result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
            problems += [(path, v["id"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"] if v["impact"] in ("serious", "critical")]
        context.close()
        assert problems == [], (scheme, problems)


def test_my_list_fits_a_phone(phone, served):
    site, _ = served
    phone.goto(site + "papers/robust-distilhubert.html")
    star(phone, "paper:robust-distilhubert").click()
    phone.goto(site + "my-list.html")
    phone.locator("li.enlsp-mylist-item .enlsp-mylist-when").wait_for()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    brand = phone.locator(".navbar-brand").bounding_box()
    assert brand["x"] + brand["width"] + 4 <= phone.locator("a.enlsp-list-link").bounding_box()["x"]


def test_opened_from_a_file_the_list_shows_and_says_why_it_cannot_download(browser, real_site):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto((real_site / "papers" / "fast-distilbert.html").as_uri())
    star(page, "paper:fast-distilbert").click()
    page.goto((real_site / "my-list.html").as_uri())
    page.locator("li.enlsp-mylist-item").first.wait_for()
    assert page.locator("li.enlsp-mylist-item .enlsp-list-title a").inner_text() == "Fast DistilBERT on CPUs"
    assert "opened from a file" in page.locator(".enlsp-mylist-note").inner_text()
    page.locator("button.enlsp-mylist-export[data-format='bib']").click()
    page.wait_for_function("document.querySelector('.enlsp-mylist-note').textContent.startsWith('Could not read')")
    context.close()


def test_without_javascript_the_stars_are_hidden_and_my_list_says_why(browser, served):
    site, _ = served
    context = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=False)
    page = context.new_page()
    page.goto(site + "papers/fast-distilbert.html")
    assert not page.locator("button.enlsp-star").first.is_visible()
    page.goto(site + "my-list.html")
    assert "needs JavaScript" in page.locator(".enlsp-mylist-app").inner_text()
    context.close()


@pytest.fixture(scope="module")
def papers_only(tmp_path_factory) -> Path:
    """A workshop of its accepted papers alone (no program yet), built."""
    from conftest import run_build
    from synthetic import SynthPaper, workshop_yaml, write_workshop

    root = tmp_path_factory.mktemp("papers-only")
    write_workshop(root, [SynthPaper("alpha", "Quantizing Tiny Models", [{"name": "Priya Raman"}], "We quantize.")],
                   workshop=workshop_yaml(important_dates=[]), make_pdfs=False)
    assert run_build(root) == 0
    return root / "site"


@pytest.mark.parametrize("program", [True, False], ids=["with a program", "before the program"])
def test_an_empty_list_points_to_the_pages_with_stars_the_site_has(browser, served, papers_only, program):
    site = served[0] if program else None
    with contextlib.ExitStack() as stack:
        if site is None:
            site = stack.enter_context(serving(papers_only))
        page = browser.new_page()
        page.goto(site + "my-list.html")
        empty = page.locator(".enlsp-mylist-empty")
        empty.wait_for()
        links = empty.locator("a").evaluate_all("links => links.map(a => a.pathname)")  # each site served at its root
        if program:
            assert empty.inner_text() == ("Your list is empty: star papers and talks on their pages, in Accepted papers or on the Schedule, "
                                          "and they are collected here.")
            assert links == ["/papers/index.html", "/schedule.html"]
        else:  # no schedule page to point to
            assert empty.inner_text() == "Your list is empty: star papers and talks on their pages, in Accepted papers, and they are collected here."
            assert links == ["/papers/index.html"]
        page.close()
