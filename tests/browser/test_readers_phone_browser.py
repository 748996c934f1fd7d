"""The real ENLSP-II pages on a phone, in headless Chromium (the readers' issue, item 6): titles scale
with the screen and never break inside a word, the PDF and Cite buttons of every paper are on the
first screen at 390 x 844, and what a finger taps is at least 24 x 24 px (WCAG 2.2, 2.5.8)."""

from __future__ import annotations

import pytest

from browsers import MARKS, chromium, serving
from conftest import REPO
from enlsp_proceedings.model.load import load_proceedings

pytestmark = MARKS
PHONE = {"width": 390, "height": 844}

#: Places in the title text where a line breaks between two letters or digits (none may).
BROKEN_WORDS = """() => {
  const title = document.querySelector('.bd-article h1');
  const walker = document.createTreeWalker(title, NodeFilter.SHOW_TEXT);
  const broken = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.parentElement.closest('.headerlink')) continue;
    const text = node.textContent;
    let previous = null;
    for (let i = 0; i < text.length; i++) {
      const range = document.createRange();
      range.setStart(node, i);
      range.setEnd(node, i + 1);
      const rect = range.getClientRects()[0];
      if (rect && previous && /[\\p{L}\\p{N}]/u.test(text[i - 1]) && /[\\p{L}\\p{N}]/u.test(text[i]) && rect.top > previous.top + 2) {
        broken.push(text.slice(Math.max(0, i - 12), i) + ' / ' + text.slice(i, i + 4));
      }
      previous = rect || null;
    }
  }
  return broken;
}"""


@pytest.fixture(scope="module")
def served(real_site):
    with serving(real_site) as base:
        yield base


@pytest.fixture(scope="module")
def browser(served):
    with chromium() as instance:
        yield instance


@pytest.fixture()
def phone_context() -> dict:
    return {"viewport": PHONE, "device_scale_factor": 1, "is_mobile": True, "has_touch": True}


def papers() -> list[str]:
    return [p.id for p in load_proceedings(REPO / "conf" / "2022").papers]


def bottom(page, selector: str) -> float | None:
    locator = page.locator(selector)
    if not locator.count():
        return None
    box = locator.first.bounding_box()
    return box["y"] + box["height"]


def test_every_real_paper_page_has_its_pdf_and_cite_on_a_phones_first_screen(phone, served):
    ids = papers()
    assert len(ids) == 40
    late, broken, sizes = [], [], set()
    for ident in ids:
        phone.goto(served + f"papers/{ident}.html")
        phone.wait_for_selector(".enlsp-actions button.enlsp-star[aria-pressed]")
        pdf = bottom(phone, ".enlsp-actions a[href$='.pdf']")
        cite = bottom(phone, ".enlsp-actions a[href='#cite']")
        star = bottom(phone, ".enlsp-actions button.enlsp-star")
        if ident != "cmt-2":  # the one paper without a PDF
            assert pdf is not None, ident
        for what, at in (("PDF", pdf), ("Cite", cite), ("My list", star)):
            if at is not None and at > PHONE["height"]:
                late.append((ident, what, round(at)))
        broken += [(ident, b) for b in phone.evaluate(BROKEN_WORDS)]
        sizes.add(phone.evaluate("parseFloat(getComputedStyle(document.querySelector('.bd-article h1')).fontSize)"))
        assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], ident
    assert late == [] and broken == []
    assert max(sizes) <= 26  # the theme's 42 px filled the screen


def test_the_title_scales_with_the_screen(browser, served):
    sizes = []
    for width in (390, 768, 1280):
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        page.goto(served + "papers/robust-distilhubert.html")
        sizes.append(page.evaluate("parseFloat(getComputedStyle(document.querySelector('.bd-article h1')).fontSize)"))
        assert page.evaluate(BROKEN_WORDS) == [], width
        context.close()
    assert sizes[0] < sizes[1] < sizes[2] == 42  # the theme's size where there is room for it


def test_a_long_word_in_a_title_wraps_rather_than_widening_the_page(phone, served):
    phone.goto(served + "papers/fast-distilbert.html")
    phone.evaluate("document.querySelector('.bd-article h1').firstChild.textContent = 'Supercalifragilisticexpialidociousnessesque' + 'x'.repeat(20)")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_the_first_screen_on_a_desktop_has_the_pdf_and_cite_too(desktop, served):
    for ident in ("robust-distilhubert", "collective-kgc", "cmt-2"):
        desktop.goto(served + f"papers/{ident}.html")
        assert bottom(desktop, ".enlsp-actions a[href='#cite']") <= 900, ident
    desktop.locator(".enlsp-actions a[href='#cite']").click()
    assert desktop.evaluate("location.hash") == "#cite"


def small_targets(page, selector: str) -> list:
    return page.evaluate("""(selector) => [...document.querySelectorAll(selector)]
        .filter(e => e.getClientRects().length)
        .map(e => { const r = e.getBoundingClientRect(); return [e.className, e.getAttribute('href') || e.dataset.star || '', Math.round(r.width), Math.round(r.height)]; })
        .filter(([, , w, h]) => w < 24 || h < 24)""", selector)


def test_calendar_links_and_stars_are_big_enough_to_tap(phone, served):
    phone.goto(served + "schedule.html")
    phone.wait_for_selector("button.enlsp-star[aria-pressed]")
    assert phone.locator("a.enlsp-ics").count() > 20
    assert small_targets(phone, "a.enlsp-ics, button.enlsp-star, .sd-btn") == []
    for path in ("papers/index.html", "papers/collective-kgc.html", "keynotes/index.html", "keynotes/lu-hou.html", "panel.html"):
        phone.goto(served + path)
        phone.wait_for_selector("button.enlsp-star[aria-pressed]")
        assert small_targets(phone, "a.enlsp-ics, button.enlsp-star, .sd-btn, .enlsp-list-link") == [], path
