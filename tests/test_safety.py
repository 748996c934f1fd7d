"""Hostile metadata in every text field stays text in every output of a real site."""

from __future__ import annotations

import gzip
import html as html_lib
import json
import re
import shutil
import subprocess
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

import bibtexparser
import pypdf
import pytest
from pylatexenc.latex2text import MacroTextSpec, get_default_latex_context_db

from enlsp_proceedings.outputs import cite
from enlsp_proceedings.outputs.cite import _INVISIBLE
from enlsp_proceedings.util import latex
from hostile import PWN
from links import broken_links
from test_build import links, visible


def norm(text: str) -> str:
    return " ".join(text.split())


def pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "_static" not in p.parts)


class Scan(HTMLParser):
    """Every element, attribute, inline script and meta tag of a page, entities decoded."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str, str]] = []
        self.inline_scripts: list[str] = []
        self.data_blocks: list[str] = []  # <script type="application/ld+json">: data, never run
        self.meta: list[tuple[str, str]] = []
        self._script = False
        self._target: list[str] = self.inline_scripts

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        for name, value in attrs:
            self.attrs.append((tag, name, value or ""))
        if tag == "meta":
            a = dict(attrs)
            key = a.get("name") or a.get("property")
            if key:
                self.meta.append((key, a.get("content") or ""))
        if tag == "script":
            self._script = True
            self._target = self.data_blocks if dict(attrs).get("type") == "application/ld+json" else self.inline_scripts
            self._target.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = False

    def handle_data(self, data):
        if self._script:
            self._target[-1] += data


def scan(path: Path) -> Scan:
    s = Scan()
    s.feed(path.read_text(encoding="utf-8"))
    s.close()
    return s


def test_no_injected_element_attribute_or_script(hostile, small_site):
    """Parse every page: no element, event handler, script or javascript: URL from the data."""
    _corpus, root = hostile
    benign_tags = {t for p in pages(small_site / "site") for t in scan(p).tags}
    benign_tags |= {"details", "summary"}  # a poster session's list of posters (the small site has no poster session)
    checked = 0
    for path in pages(root / "site"):
        s = scan(path)
        assert set(s.tags) <= benign_tags, (path, set(s.tags) - benign_tags)
        assert s.tags.count("title") == 1 and s.tags.count("body") == 1, path
        for tag, name, value in s.attrs:
            assert not name.startswith("on"), (path, tag, name, value)
            squeezed = re.sub(r"[\s\x00-\x1f]+", "", value).lower()
            assert not squeezed.startswith(("javascript:", "data:", "vbscript:")), (path, tag, name, value)
        for code in s.inline_scripts:
            assert "__pwned" not in code and "alert(" not in code, (path, code[:200])
        for block in s.data_blocks:  # JSON-LD holds the titles, as JSON with <, > and & escaped: it cannot end its script
            assert not re.search("[<>&]", block) and isinstance(json.loads(block), dict), (path, block[:200])
        checked += 1
    assert checked >= 20


def _region(page: str, start: str, end: str) -> str:
    i = page.index(start)
    return page[i:page.index(end, i)]


#: Where each field must be readable (site paths); field prefixes from hostile.py.
SHOWN_ON = {
    "papers[0].title": ["papers/evil.html", "papers/index.html", "index.html", "schedule.html"],
    "papers[0].authors": ["papers/evil.html"],
    "papers[0].abstract": ["papers/evil.html"],
    "papers[0].award": ["papers/evil.html", "papers/index.html", "index.html"],
    "papers[0].errata": ["papers/evil.html"],
    "papers[1]": ["papers/long.html"],
    "keynotes[0].title": ["keynotes/evil-talk.html", "keynotes/index.html", "index.html", "schedule.html"],
    "keynotes[0]": ["keynotes/evil-talk.html"],
    "schedule[0].title": ["schedule.html"],
    "people.": ["people.html"],
    "panel.": ["panel.html"],
    "workshop.title": ["index.html"],
    "workshop.venue": ["index.html"],
    "workshop.location": ["index.html", "schedule.html"],
    "workshop.room": ["index.html"],
    "workshop.format": ["index.html"],
    "workshop.description": ["index.html"],
    "workshop.overview": ["index.html"],
    "workshop.important_dates": ["index.html", "cfp.html"],
    "workshop.sponsors": ["index.html"],
    "cfp.": ["cfp.html"],
    "invited_speakers_without_talk": ["keynotes/index.html"],
}


def _expected(field: str) -> list[str]:
    for prefix, where in SHOWN_ON.items():
        if field.startswith(prefix):
            return where
    return []


#: fields the pages read as text with the LaTeX subset of `util.latex` (the issue "LaTeX leaks into pages")
RICH_FIELDS = re.compile(r"(papers|keynotes)\[\d+\]\.(title|abstract)")


def _source(spans) -> str:
    return "".join(s.text if s.kind in ("text", "math") else _source(s.children) for s in spans)


def as_shown(field: str, value: str) -> str:
    """The text a page shows of a field: titles and abstracts with their LaTeX subset read (math as its
    TeX source, which KaTeX typesets in the browser; ``\\textit{x}`` as x), abstracts paragraph by
    paragraph; every other field literally."""
    if not RICH_FIELDS.fullmatch(field):
        return value
    if field.endswith(".title"):
        return _source(latex.parse(value))
    return " ".join(_source(latex.parse(re.sub(r"\s*\n\s*", " ", p.strip()))) for p in re.split(r"\n\s*\n", value) if p.strip())


def test_hostile_text_breaks_no_link(hostile):
    """Ids and addresses are made from hostile titles, names and ids: every link still leads somewhere."""
    _corpus, root = hostile
    assert len(list((root / "site").rglob("*.html"))) > 15
    assert broken_links(root / "site") == []


def test_every_field_is_shown_literally(hostile):
    """Each field's exact text (tags, entities, directives, braces, bidi) reads the same on its pages
    (titles and abstracts: as `as_shown`, their inline math and italics read)."""
    corpus, root = hostile
    site = root / "site"
    texts = {}
    missing = []
    for tag, value in corpus.values.items():
        field = corpus.fields[tag]
        where = _expected(field)
        if field in ("workshop.short_name", "workshop.booktitle"):
            continue  # checked in the header and citation tests
        assert where, f"{field} has no page to check"
        for page in where:
            if page not in texts:
                texts[page] = norm(visible(_region((site / page).read_text(encoding="utf-8"), "<article", "</article>")))
            if norm(as_shown(field, value)) not in texts[page]:
                missing.append((field, page))
    assert not missing, missing
    # Literal means literal: entities typed by an author are shown as typed, not decoded.
    assert "&amp; &lt;i&gt;" in texts["papers/evil.html"]


def test_author_pages_show_names_and_affiliations(hostile):
    corpus, root = hostile
    text = " ".join(norm(visible((p).read_text(encoding="utf-8"))) for p in (root / "site" / "authors").glob("*.html"))
    for tag, value in corpus.values.items():
        if re.search(r"\.(name|affiliation)$", corpus.fields[tag]) and not corpus.fields[tag].startswith(("workshop", "cfp")):
            assert norm(value) in text, corpus.fields[tag]


def test_site_name_in_title_navbar_footer_and_meta_is_escaped_once(hostile):
    """The theme inserts project/html_title raw: they are escaped exactly once everywhere."""
    corpus, root = hostile
    short = next(v for t, v in corpus.values.items() if corpus.fields[t] == "workshop.short_name")
    label = f"{short} 2031"
    for path in pages(root / "site"):
        page = path.read_text(encoding="utf-8")
        title = html_lib.unescape(_region(page, "<title>", "</title>").removeprefix("<title>"))
        assert norm(title).endswith(norm(label)), (path, title[-300:])
        logo = visible(_region(page, 'class="title logo__title"', "</p>").split(">", 1)[1])
        assert norm(logo) == norm(label), path
        footer = visible(_region(page, 'class="enlsp-footer"', "</p>").split(">", 1)[1])
        assert norm(footer).startswith(norm(short)), path
        meta = dict(scan(path).meta)
        if path.name not in {"search.html", "404.html"}:  # no document, hence no Open Graph tags
            assert meta["og:site_name"] == label, path


def test_meta_tags_carry_the_exact_text(hostile):
    corpus, root = hostile
    values = {corpus.fields[t]: v for t, v in corpus.values.items()}
    meta = scan(root / "site" / "papers" / "evil.html").meta
    meta = [(k, norm(v)) for k, v in meta]  # HTML turns CR LF in attributes into LF: compare words
    get = dict(meta)
    # titles and abstracts: their plain text (util.latex.plain: inline math as text, no markup)
    assert get["og:title"] == norm(latex.plain(values["papers[0].title"]))
    assert get["citation_title"] == norm(latex.plain(values["papers[0].title"]))
    assert get["citation_conference_title"] == norm(values["workshop.booktitle"])
    assert [v for k, v in meta if k == "citation_author"] == [norm(values["papers[0].authors[0].name"]), norm(values["papers[0].authors[1].name"])]
    assert [v for k, v in meta if k == "citation_author_institution"] == [norm(values["papers[0].authors[0].affiliation"]), norm(values["papers[0].authors[1].affiliation"])]
    assert norm(latex.plain(values["papers[0].abstract"])).startswith(norm(get["og:description"]).removesuffix("…"))  # the abstract, cut at a word
    keynote = dict(scan(root / "site" / "keynotes" / "evil-talk.html").meta)
    assert norm(keynote["og:title"]) == norm(latex.plain(values["keynotes[0].title"]))
    home = dict(scan(root / "site" / "index.html").meta)
    assert norm(home["og:title"]) == norm(values["workshop.title"])


def test_search_index_holds_the_text_verbatim(hostile):
    """Pagefind's fragments (what the search page shows) hold each field as plain text: titles and
    abstracts as readers see them (util.latex.plain, as the citation formats), the rest verbatim."""
    corpus, root = hostile
    values = {corpus.fields[t]: v for t, v in corpus.values.items()}
    fragments = []
    for path in (root / "site" / "pagefind").glob("*/fragment/*.pf_fragment"):
        raw = gzip.decompress(path.read_bytes())
        fragments.append(json.loads(raw[raw.index(b"{"):]))
    titles = {norm(f["meta"].get("title", "")) for f in fragments}
    def bare(text: str) -> str:  # Pagefind drops the invisible zero-width space: compare what readers see
        return norm(text).replace("\u200b", "")

    contents = " ".join(bare(f["content"]) for f in fragments)
    for field in ("papers[0].title", "keynotes[0].title"):  # authors' LaTeX: as the page shows it
        assert norm(latex.plain(values[field])) in titles, field
    assert norm(values["panel.title"]) in titles  # the organizers' own words: verbatim
    assert bare(latex.plain(values["papers[0].abstract"])) in contents
    for field in ("papers[0].authors[0].name", "keynotes[0].bio"):
        assert bare(values[field]) in contents, field
    search = (root / "site" / "search.html").read_text(encoding="utf-8")
    assert norm(visible(_region(search, "<title>", "</title>"))).endswith(norm(values["workshop.short_name"] + " 2031"))


def _plain(text: str) -> str:
    return norm(unicodedata.normalize("NFC", _INVISIBLE.sub("", text)))


def test_bibtex_parses_back_to_the_same_text(hostile):
    corpus, root = hostile
    values = {corpus.fields[t]: v for t, v in corpus.values.items()}
    site = root / "site"
    library = bibtexparser.parse_string((site / "proceedings.bib").read_text(encoding="utf-8"))
    assert not library.failed_blocks
    assert len(library.entries) == 2 + 1 + 1  # the papers, the keynote, the volume's @proceedings
    entry = next(e for e in library.entries if "F000" in e.fields_dict["title"].value)
    # + the crossref to the volume's @proceedings (whose editors, the organizers, it inherits)
    assert set(entry.fields_dict) == {"title", "author", "booktitle", "year", "month", "address", "url", "note", "crossref"}
    context = get_default_latex_context_db().filter_context()
    context.add_context_category("braces", macros=[MacroTextSpec("textbraceleft", "{"), MacroTextSpec("textbraceright", "}")], prepend=True)

    def decode(latex: str) -> str:  # the package's own decoder: the inverse of its encoder
        return cite.latex_to_text(latex)
    # the title's LaTeX subset is kept as LaTeX (its inline math here only uses safe commands): it decodes to the plain text
    assert norm(decode(entry.fields_dict["title"].value)) == _plain(latex.plain(values["papers[0].title"]))
    assert norm(decode(entry.fields_dict["booktitle"].value)) == _plain(values["workshop.booktitle"])
    assert norm(decode(entry.fields_dict["address"].value)) == _plain(values["workshop.location"])
    authors = entry.fields_dict["author"].value
    assert authors.count(" and ") == 1
    for key in ("papers[0].authors[0].name", "papers[0].authors[1].name"):
        assert _plain(values[key]) in norm(decode(authors))
    for path in [*site.glob("papers/*.bib"), *site.glob("keynotes/*.bib")]:
        lib = bibtexparser.parse_string(path.read_text(encoding="utf-8"))
        assert len(lib.entries) == 1 and not lib.failed_blocks, path


def test_ris_has_one_line_per_tag(hostile):
    corpus, root = hostile
    values = {corpus.fields[t]: v for t, v in corpus.values.items()}
    ris = (root / "site" / "papers" / "evil.ris").read_text(encoding="utf-8")
    lines = ris.splitlines()
    assert all(re.fullmatch(r"[A-Z][A-Z0-9]  - .*", line) for line in lines), lines
    tags = [line[:2] for line in lines]
    assert tags == ["TY", "TI", "AU", "AU", "PY", "DA", "T2", "CY", "UR", "L1", "AB", "N1", "ER"]
    assert lines[1][6:] == _plain(latex.plain(values["papers[0].title"]))  # RIS carries plain text (util.latex)
    assert lines[10][6:] == _plain(latex.plain(values["papers[0].abstract"]))


def test_json_round_trips(hostile):
    corpus, root = hostile
    values = {corpus.fields[t]: v for t, v in corpus.values.items()}
    data = json.loads((root / "site" / "papers.json").read_text(encoding="utf-8"))
    paper = data["papers"][0]
    assert paper["title"] == values["papers[0].title"]
    assert paper["abstract"] == values["papers[0].abstract"]
    assert [a["name"] for a in paper["authors"]] == [values["papers[0].authors[0].name"], values["papers[0].authors[1].name"]]
    assert data["keynotes"][0]["bio"] == values["keynotes[0].bio"]
    assert data["workshop"]["short_name"] == values["workshop.short_name"]


def test_calendar_files_carry_the_text(hostile):
    """ICS downloads, if the site has them: summaries are the titles, parsed back by icalendar."""
    corpus, root = hostile
    files = sorted((root / "site").rglob("*.ics"))
    if not files:
        pytest.skip("this site has no calendar files")
    import icalendar

    values = {corpus.fields[t]: v for t, v in corpus.values.items()}
    summaries = []
    for path in files:
        raw = path.read_bytes().decode("utf-8")
        cal = icalendar.Calendar.from_ical(raw)
        events = cal.walk("VEVENT")
        summaries += [str(e.get("SUMMARY")) for e in events]
        lines = re.split(r"\r?\n", raw)
        # CR/LF in the data forged no event or property: every line is a real one
        assert sum(line == "BEGIN:VEVENT" for line in lines) == len(events), path
        assert not any(line.startswith(("SUMMARY:injected", "TY  - ")) for line in lines), path
    text = "\n".join(summaries)
    for field in ("papers[0].title", "keynotes[0].title"):
        assert _plain(values[field])[:60] in _plain(text) or values[field][:60] in text, field


def test_hand_written_pages_cannot_insert_raw_html_or_files(hostile):
    """The defensive docutils settings hold even for trusted, hand-written pages."""
    _corpus, root = hostile
    page = (root / "site" / "evil.html").read_text(encoding="utf-8")
    s = scan(root / "site" / "evil.html")
    assert all("__pwned" not in code for code in s.inline_scripts)
    assert PWN not in page.replace(html_lib.escape(PWN), "") or "<script>" + PWN not in page
    assert "<script>" + PWN not in page
    assert "root:x:0:0" not in page and "root:" not in visible(page)
    assert "base_url" not in page  # the repo file was not included either
    for path in pages(root / "site"):
        assert "root:x:0:0" not in path.read_text(encoding="utf-8"), path


def test_link_urls_survive_attribute_escaping(hostile):
    """A valid URL with '&' and quotes is one href, exactly as written, with no event attribute."""
    _corpus, root = hostile
    page = (root / "site" / "papers" / "evil.html").read_text(encoding="utf-8")
    assert "https://example.org/code?a=1&b=%3Cscript%3E'onmouseover='x" in links(page)


@pytest.mark.latex
@pytest.mark.skipif(not shutil.which("pdflatex") or not shutil.which("bibtex"), reason="needs pdflatex and bibtex")
def test_hostile_bibtex_typesets_with_real_bibtex_and_pdflatex(hostile, tmp_path):
    """The volume's .bib goes through BibTeX and pdflatex without errors, and nothing in it runs."""
    _corpus, root = hostile
    shutil.copy(root / "site" / "proceedings.bib", tmp_path / "refs.bib")
    (tmp_path / "doc.tex").write_text(
        "\\documentclass{article}\\usepackage[T1]{fontenc}\\usepackage[utf8]{inputenc}\\usepackage{textcomp}\n"
        "\\begin{document}\\nocite{*}\\bibliographystyle{plain}\\bibliography{refs}\\end{document}\n"
    )
    latex = ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape", "doc.tex"]
    first = subprocess.run(latex, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert first.returncode == 0, first.stdout[-2000:]
    bib = subprocess.run(["bibtex", "doc"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert bib.returncode == 0 and "error message" not in bib.stdout, bib.stdout
    second = subprocess.run(latex, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert second.returncode == 0, second.stdout[-2000:]
    log = (tmp_path / "doc.log").read_text(errors="replace")
    assert "(/etc/passwd" not in log and "root:x:" not in log  # \input{/etc/passwd} stayed text, no file was read
    bbl = (tmp_path / "doc.bbl").read_text()
    assert bbl.count("\\bibitem") == 2 + 1 + 1  # '}, author = {' and '@misc{' made no extra entry (2 papers, a keynote, the volume)
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(tmp_path / "doc.pdf").pages)
    assert "F000" in text and "Evil Mallory" in text and "root:x:" not in text


def test_fragments_take_only_escaped_markup():
    """Cards are written as Markup fragments: a plain str (possibly data) is refused, values are escaped."""
    from markupsafe import Markup

    from enlsp_proceedings.sphinxext.pages.common import PAPER_CARD
    from enlsp_proceedings.sphinxext.widgets import fragment

    with pytest.raises(TypeError):
        fragment('<img src=x onerror="alert(1)">', "x")  # type: ignore[arg-type]
    evil = '</p><script>alert("x")</script><a href="javascript:1">'
    # ``plain``: the title's plain text, in the card's hidden link (``title`` may hold <em> and math)
    markup = PAPER_CARD.format(classes="c", aside=Markup(""), title=evil, plain=evil, authors=evil, badges=evil, pdf=evil, href='x.html" onclick="1')
    node = fragment(markup, evil)
    assert "<script>" not in node["html"] and 'href="javascript' not in node["html"] and '" onclick' not in node["html"]
    assert node["html"].count("&lt;script&gt;") == 5


def test_a_markup_template_escapes_every_value_as_markup_format_does():
    """`widgets.MarkupTemplate` fills the repeated blocks (cards, list lines) faster than
    ``Markup.format``, and must give its very bytes: every value escaped, Markup kept as it is."""
    import enum

    from hypothesis import given
    from hypothesis import strategies as st
    from markupsafe import Markup

    from enlsp_proceedings.sphinxext.widgets import MarkupTemplate

    class Html:
        def __html__(self) -> str:
            return "<b>kept</b>"

    class Kind(str, enum.Enum):  # noqa: UP042 - a str whose format() is not its text, which Markup.format uses
        POSTER = "<poster>"

    source = '<a href="{href}" data-x=\'{x}\'>{title}</a>{{literal}} · {n} {html}{kind}&amp;{title}'
    template, reference = MarkupTemplate(source), Markup(source)

    @given(st.text(), st.text(), st.text(), st.integers())
    def same(href: str, x: str, title: str, n: int) -> None:
        for value in (title, Markup(title)):
            values = {"href": href, "x": x, "title": value, "n": n, "html": Html(), "kind": Kind.POSTER}
            assert template.format(**values) == reference.format(**values)
            assert isinstance(template.format(**values), Markup)

    same()
    evil = '"><script>alert(1)</script>'
    filled = template.format(href=evil, x="' onclick='1", title=evil, n=1, html=Markup(""), kind="")
    assert "<script>" not in filled and "' onclick" not in filled and '"><' not in filled
    assert filled.startswith('<a href="&#34;&gt;&lt;script&gt;')
    for bad in ("{}", "{0}", "{n:>3}", "{n!r}", "{a.b}", "{a[0]}"):
        with pytest.raises(ValueError):
            MarkupTemplate(f"<p>{bad}</p>")
    with pytest.raises(KeyError):
        template.format(href="x")
