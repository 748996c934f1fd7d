"""Real headless Chromium: no script from the hostile data runs on any page."""

from __future__ import annotations

import shutil

from browsers import MARKS
from browsers import chromium as browser
from browsers import serving as serve
from enlsp_proceedings.outputs import cite

pytestmark = MARKS


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


#: What a page holds as text, in the browser: its title, every text node (not scripts' code), every
#: attribute value, and every string of its JSON-LD data (parsed).
COLLECT = """() => {
    const out = [document.title];
    const strings = (value) => {
        if (typeof value === 'string') out.push(value);
        else if (value && typeof value === 'object') Object.values(value).forEach(strings);
    };
    for (const el of document.querySelectorAll('*')) {
        for (const attr of el.attributes) out.push(attr.value);
        if (el.tagName === 'SCRIPT') {
            if (el.type === 'application/ld+json') strings(JSON.parse(el.textContent));
            continue;
        }
        if (el.tagName === 'STYLE') continue;
        for (const node of el.childNodes) if (node.nodeType === Node.TEXT_NODE) out.push(node.data);
    }
    return out;
}"""

#: Elements and attributes only a payload would make: none may exist on any page.
INJECTED = "img[src='x'], iframe, svg[onload], [onerror], [onload], [onmouseover], [onclick], [onfocus]"

#: Fields of the contract whose hostile values no page shows, and why (every other field is checked
#: wherever it appears). A field that leaves the pages, or a new field no page shows, fails here.
NOT_ON_ANY_PAGE = {
    "Alias.name": "the alias merges no author (its variant names nobody)",
    "Alias.variants": "a variant is shown only as the alias's name",
    "People.distinct": "only silences check's name-variant question",
    "Paper.publish_review_copy": "shown only on a review copy's page; the hostile PDF is a camera-ready",
    "Paper.supplementary": "a missing supplement is only a build warning",
    "Track.description": "in papers.json only: no page describes a track",
    "PaperType.name": "names a paper's page limit in check's messages; no page shows paper types",
    "Waiver.reason": "an organizer's decision: in check's notes, never on the site",
    "NameOrcid.name": "names the person an ORCID iD belongs to: the iD is shown on their page, under the name the papers spell (here the name matches nobody)",
}


def _norm(text: str) -> str:
    return " ".join(text.split())


def test_every_field_of_the_contract_shows_as_text_and_nothing_runs(hostile, tmp_path):
    """Every HTML page of the hostile site (404 and search included), in Chromium: no payload runs or
    makes an element, and every field's value, wherever its page holds it, reads as the text it is."""
    from hostile import TAG, text_fields

    corpus, root = hostile
    site = tmp_path / "site"
    shutil.copytree(root / "site", site)
    values = corpus.every_value()
    owners: dict[str, set[str]] = {}
    for field, tags in corpus.models.items():
        for tag in tags:
            owners.setdefault(tag, set()).add(field)
    shown: dict[str, set[str]] = {}
    problems = []
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html") if "_static" not in p.parts)
    assert {"404.html", "search.html", "index.html", "papers/long.html"} <= set(pages)
    with serve(site) as base, browser() as chromium:
        for path in pages:
            source = (site / path).read_text(encoding="utf-8")
            page = chromium.new_page()
            dialogs: list[str] = []
            page.on("dialog", lambda dialog, seen=dialogs: (seen.append(dialog.message), dialog.dismiss()))
            page.goto(base + path, wait_until="load")
            page.evaluate("() => { for (const el of document.querySelectorAll('body *')) for (const t of ['mouseover', 'focus']) "
                          "el.dispatchEvent(new Event(t)); }")
            page.wait_for_timeout(100)
            pwned, injected, strings = page.evaluate("() => window.__pwned"), page.eval_on_selector_all(INJECTED, "els => els.length"), page.evaluate(COLLECT)
            bibtex = page.eval_on_selector_all(".enlsp-code-bibtex pre", "els => els.map(e => e.textContent)")
            page.close()
            assert pwned is None and dialogs == [] and injected == 0, (path, pwned, dialogs, injected)
            # BibTeX shows the text as LaTeX (escaped for it): read back with the package's own decoder
            text = _norm(" ".join(strings + [cite.latex_to_text(block) for block in bibtex]))
            for tag in set(TAG.findall(source)):
                value = values.get(tag)
                if value is None:
                    continue
                literal = _norm(value[: len(tag) + 31])  # the tag and the start of its first payload, as typed
                if literal in text:
                    for field in owners.get(tag, {corpus.fields[tag]}):
                        shown.setdefault(field, set()).add(path)
                else:
                    problems.append((path, tag, corpus.fields[tag], literal))
    assert not problems, problems[:10]
    fields = {f for f, kind in text_fields().items() if kind in ("text", "texts")} | {"Paper.pdf", "Paper.supplementary"}
    assert {f: NOT_ON_ANY_PAGE.get(f) for f in fields - set(shown)} == {f: NOT_ON_ANY_PAGE[f] for f in NOT_ON_ANY_PAGE}
    # the labels, every one, on the pages they name
    assert {f for f in shown if f.startswith("Labels.")} == {f for f in fields if f.startswith("Labels.")}
    assert {"404.html", "search.html"} <= shown["Labels.papers"]
