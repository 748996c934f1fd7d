r"""Titles and abstracts with LaTeX on built pages (the issue "LaTeX leaks into pages"): inline math
typeset by the KaTeX shipped with the site, from the text of a span, never as markup;
``\textit{}``/``\emph{}``/``\textbf{}`` as italics and bold; other commands as written; KaTeX
loaded only by pages that show math. On the real ENLSP-II site (DyLoRA's "$7x$ faster") and on
a synthetic workshop with hostile formulas.
"""

from __future__ import annotations

import contextlib
import re
from pathlib import Path

import pytest

from browsers import chromium, needs_chromium, serving
from conftest import built_workshop
from synthetic import SynthPaper, write_workshop
from test_build import visible

MATH_FILES = ("katex/katex.min.js", "katex/katex.min.css", "enlsp-math.js")
PWN = "window.__pwned=1"
#: the real paper whose abstract says "we can train DyLoRA at least $7x$ faster"
DYLORA = "papers/cmt-37.html"


def math_workshop(root: Path) -> None:
    papers = [
        SynthPaper("dyrex", r"DyREx: \textit{Dynamic} Query $O(n^2)$ Representations", [{"name": "Niama El Khbir", "family": "El Khbir"}],
                   "We propose \\textit{DyREx}, a generalization of the \\emph{vanilla} approach, $7x$ faster and \\textbf{bold}.\n\n"
                   f"Hostile: $<script>{PWN}</script>$ and $\\href{{javascript:alert(2)}}{{x}}$ and $<img src=x onerror=\"{PWN}\">$ "
                   "and $\\htmlClass{x}{y}$ \\unknown{y}, $5 and $10.",
                   presentation="oral", pages=3, references_page=3),
        SynthPaper("plain", "A Plain Title", [{"name": "Vahid Partovi Nia"}], "Nothing special, $5 and $10.", presentation="poster", pages=None),
    ]
    keynotes = [{"id": "k1", "title": r"Scaling $\alpha$ Laws", "speaker": {"name": "Kay Note"}, "abstract": r"About $\sum_i x_i$."},
                {"id": "k2", "title": "No Math Here", "speaker": {"name": "Lee Talk"}, "abstract": "Words only."}]
    schedule = [{"start": "09:00", "end": "09:30", "keynote": "k1"}, {"start": "09:30", "end": "09:45", "paper": "dyrex"},
                {"start": "10:00", "end": "11:00", "title": "Posters", "kind": "poster-session", "papers": ["dyrex", "plain"]}]
    write_workshop(root, papers, keynotes=keynotes, schedule=schedule, people={"organizers": [{"name": "Olga Organizer"}]})


@pytest.fixture(scope="module")
def math_site(tmp_path_factory) -> Path:
    return built_workshop(tmp_path_factory, "math", math_workshop) / "site"


def html(site: Path, page: str) -> str:
    return (site / page).read_text(encoding="utf-8")


def loads_math(page: str) -> bool:
    found = [name for name in MATH_FILES if re.search(rf'(?:src|href)="[^"]*_static/{re.escape(name)}\?', page)]
    assert found in ([], list(MATH_FILES)), found  # all three or none
    return bool(found)


def pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "_static" not in p.parts)


# -- the built HTML ----------------------------------------------------------------------------

def test_the_real_dylora_page_holds_its_math_for_katex(real_site):
    page = html(real_site, DYLORA)
    assert '<span class="enlsp-math">7x</span> faster' in page and "$7x$" not in page
    assert loads_math(page)


def test_only_pages_with_math_load_katex(real_site, math_site):
    for site in (real_site, math_site):
        with_math = {p.relative_to(site).as_posix() for p in pages(site) if 'class="enlsp-math"' in p.read_text(encoding="utf-8")}
        loading = {p.relative_to(site).as_posix() for p in pages(site) if loads_math(p.read_text(encoding="utf-8"))}
        assert with_math and with_math == loading
    # math_site: the pages showing DyREx's or the keynote's title or abstract
    assert {p for p in with_math if "/" not in p} == {"index.html", "schedule.html"}
    assert {"papers/dyrex.html", "papers/index.html", "keynotes/k1.html", "keynotes/index.html", "authors/niama-el-khbir.html"} <= with_math
    assert not {"papers/plain.html", "keynotes/k2.html", "authors/index.html", "people.html"} & with_math
    for name in MATH_FILES:
        assert (math_site / "_static" / name).is_file()
    fonts = list((math_site / "_static" / "katex" / "fonts").glob("*.woff2"))
    assert len(fonts) == 20 and (math_site / "_static" / "katex" / "LICENSE").is_file()


def test_titles_and_abstracts_show_italics_bold_and_math_sources(math_site):
    page = html(math_site, "papers/dyrex.html")
    assert re.search(r'<h1>DyREx: <em>Dynamic</em> Query <span class="enlsp-math">O\(n\^2\)</span> Representations', page)
    assert "We propose <em>DyREx</em>, a generalization of the <em>vanilla</em> approach, <span class=\"enlsp-math\">7x</span> faster and <strong>bold</strong>." in page
    # the hostile formulas are escaped text inside their span; other commands and money as written
    assert '<span class="enlsp-math">&lt;script&gt;window.__pwned=1&lt;/script&gt;</span>' in page and "<script>window" not in page
    assert '<span class="enlsp-math">&lt;img src=x onerror=&quot;window.__pwned=1&quot;&gt;</span>' in page
    assert "\\unknown{y}, $5 and $10." in visible(page)
    # <title>, og:title, the description, Scholar's title: plain text
    assert "<title>DyREx: Dynamic Query O(n^2) Representations" in page
    assert '<meta name="citation_title" content="DyREx: Dynamic Query O(n^2) Representations">' in page
    assert "textit" not in re.search(r"<head>.*</head>", page, re.S).group().replace("\\textit{Dynamic}", "")
    # the cards, the home page's list, the schedule and the keynote pages
    card = html(math_site, "papers/index.html")
    assert '<p>DyREx: <em>Dynamic</em> Query <span class="enlsp-math">O(n^2)</span> Representations</p>' in card
    assert '<span>DyREx: Dynamic Query O(n^2) Representations</span></a>' in card  # the card's link text: plain
    assert '<a href="papers/dyrex.html">DyREx: <em>Dynamic</em> Query <span class="enlsp-math">O(n^2)</span> Representations</a>' in html(math_site, "index.html")
    schedule = html(math_site, "schedule.html")
    assert 'Scaling <span class="enlsp-math">\\alpha</span> Laws' in schedule and "DyREx: <em>Dynamic</em>" in schedule
    assert '<h1>Scaling <span class="enlsp-math">\\alpha</span> Laws' in html(math_site, "keynotes/k1.html")
    assert "<title>Scaling α Laws" in html(math_site, "keynotes/k1.html")


# -- in a browser ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def served(real_site, math_site):
    with contextlib.ExitStack() as stack:
        yield {name: stack.enter_context(serving(directory)) for name, directory in (("real", real_site), ("math", math_site))}


@pytest.fixture(scope="module")
def browser(served):
    with chromium() as instance:
        yield instance


def open_page(browser, url: str):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    events: list[str] = []
    page.on("dialog", lambda d: (events.append(f"dialog {d.message}"), d.dismiss()))
    page.on("pageerror", lambda e: events.append(f"error {e}"))
    page.on("requestfailed", lambda r: events.append(f"failed {r.url}"))
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return context, page, events


#: each formula: typeset by KaTeX, or shown as its source in KaTeX's error colour (an error: the
#: source as text); its source; how many elements in it could run or load anything
MATH_STATE = """() => Array.from(document.querySelectorAll('span.enlsp-math')).map(e => ({
  typeset: e.querySelector('.katex') !== null,
  error: e.querySelector('.katex-error') !== null,
  source: e.querySelector('annotation') ? e.querySelector('annotation').textContent : e.textContent,
  active: e.querySelectorAll('script, img, iframe, a, object, embed, [onerror], [onload], [href]').length,
}))"""


@pytest.mark.browser
@needs_chromium
def test_katex_typesets_the_real_dylora_abstract(browser, served):
    context, page, events = open_page(browser, served["real"] + DYLORA)
    try:
        [math] = page.evaluate(MATH_STATE)
        assert math == {"typeset": True, "error": False, "source": "7x", "active": 0}
        assert page.locator("span.enlsp-math .katex-mathml math").count() == 1  # readable by screen readers
        assert not events, events
    finally:
        context.close()


@pytest.mark.browser
@needs_chromium
def test_hostile_formulas_stay_inert_text(browser, served):
    context, page, events = open_page(browser, served["math"] + "papers/dyrex.html")
    try:
        state = page.evaluate(MATH_STATE)
        assert [m["source"] for m in state] == ["O(n^2)", "7x", f"<script>{PWN}</script>", "\\href{javascript:alert(2)}{x}",
                                                f'<img src=x onerror="{PWN}">', "\\htmlClass{x}{y}"]
        assert [m["error"] for m in state] == [False, False, True, False, True, False]  # "_" outside a group: not TeX
        assert all((m["typeset"] or m["error"]) and m["active"] == 0 for m in state), state
        assert page.evaluate("() => window.__pwned") is None and not events, events
        # trust: false: \href and \htmlClass are shown as errors, not made into a link or a class
        assert page.locator("span.enlsp-math a, span.enlsp-math .x").count() == 0
        assert page.locator("h1 em").inner_text() == "Dynamic" and page.locator("#abstract em").first.inner_text() == "DyREx"
        assert page.locator("#abstract strong").inner_text() == "bold"
    finally:
        context.close()


@pytest.mark.browser
@needs_chromium
def test_pages_without_math_load_no_katex(browser, served):
    context, page, events = open_page(browser, served["math"] + "papers/plain.html")
    try:
        assert page.evaluate("() => typeof window.katex") == "undefined"
        assert not events, events
    finally:
        context.close()
