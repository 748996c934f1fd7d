"""Hypothesis: arbitrary Unicode titles and names survive every output format as text."""

from __future__ import annotations

import json
import re
import unicodedata
from html.parser import HTMLParser

import bibtexparser
from bibtexparser.middlewares.names import split_multiple_persons_names
from docutils import nodes
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from pydantic import ValidationError

from enlsp_proceedings.model.schema import Paper, Proceedings
from enlsp_proceedings.outputs import citation, cite
from enlsp_proceedings.outputs.volume import PdfStatus, Volume
from enlsp_proceedings.sphinxext.headmeta import _meta
from enlsp_proceedings.sphinxext.pages import PAGES, Page
from enlsp_proceedings.util import latex
from synthetic import workshop_yaml

# Everything but surrogates and the C0 controls validation rejects (tested in test_validation).
TEXT = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="".join(map(chr, [*range(0, 9), 11, 12, *range(14, 32), *range(127, 160)]))),
    min_size=1, max_size=60,
)
SPECIALS = st.sampled_from(["<script>", "}", "{", "\\", "%", "&amp;", "\u202e", "\u200b", "$", "#", "_", "^", "~", "@misc{", ", author = {",
                            "\n", "]", "[", "(", ")", "*", "`", "|", "TY  - ", "\r", "\u2028", "\u2029", "and", " and "])
MIXED = st.lists(st.one_of(TEXT, SPECIALS), min_size=1, max_size=6).map("".join)


def _volume(title: str, names: list[str]) -> Volume:
    try:
        paper = Paper.model_validate({"id": "p", "title": title, "authors": [{"name": n, "affiliation": n} for n in names],
                                      "abstract": title, "presentation": "oral"})
        proc = Proceedings.model_validate({"workshop": workshop_yaml(), "papers": [paper.model_dump()]})
    except ValidationError:
        assume(False)  # empty after stripping whitespace
    assume(len({n.strip() for n in names}) == len(names))
    return Volume(proc, {"p": PdfStatus(published=True, pages=3, sha256="0" * 64)})


def _plain(text: str) -> str:
    return " ".join(cite._INVISIBLE.sub("", text).split())


settings.register_profile("safety", max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@settings(settings.get_profile("safety"))
@given(title=MIXED, names=st.lists(MIXED, min_size=1, max_size=3))
def test_page_nodes_hold_the_text_as_text(title, names):
    volume = _volume(title, names)
    paper = volume.proc.papers[0]
    [page] = PAGES["paper"].render(Page("papers/p"), PAGES["paper"].shows(volume, "p"))
    assert not list(page.findall(nodes.raw))
    # the section title's text is the title's (its LaTeX subset read: ``$x$`` is math, ``\\textit{x}`` italics; util.latex)
    assert page[0].astext() == latex.plain(paper.title)
    people = [n.astext() for n in page.findall(nodes.reference) if n.get("refuri", "").startswith("../authors/")]
    assert people == [a.name for a in paper.authors]
    abstract = next(s for s in page.findall(nodes.section) if "abstract" in s["ids"])
    paragraphs = [re.sub(r"\s*\n\s*", " ", p.strip()) for p in re.split(r"\n\s*\n", paper.abstract) if p.strip()]
    assert " ".join(" ".join(p.astext() for p in abstract.findall(nodes.paragraph)).split()) == " ".join(" ".join(map(latex.plain, paragraphs)).split())


class _Meta(HTMLParser):
    def handle_starttag(self, tag, attrs):
        self.found = (tag, dict(attrs))


@settings(settings.get_profile("safety"))
@given(value=MIXED)
def test_meta_tags_round_trip(value):
    parser = _Meta(convert_charrefs=True)
    parser.feed(_meta("citation_title", value))
    assert parser.found == ("meta", {"name": "citation_title", "content": value})


@settings(settings.get_profile("safety"))
@given(title=MIXED, names=st.lists(MIXED, min_size=1, max_size=3))
def test_bibtex_parses_back_to_one_entry(title, names):
    volume = _volume(title, names)
    paper = volume.proc.papers[0]
    text = citation.bibtex(volume.paper_citation(paper))
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks, text
    [entry] = library.entries
    assert set(entry.fields_dict) == {"title", "author", "booktitle", "year", "month", "address", "url", "note"}, text
    assert entry.fields_dict["url"].value == "https://example.org/synth/papers/p.html"
    for field in entry.fields:
        depth = 0
        for char in field.value:  # BibTeX counts every brace, escaped or not
            depth += {"{": 1, "}": -1}.get(char, 0)
            assert depth >= 0, (field.key, field.value)
        assert depth == 0, (field.key, field.value)
    author = entry.fields_dict["author"].value
    assert len(split_multiple_persons_names(author)) == len(paper.authors), author


@settings(settings.get_profile("safety"))
@given(title=MIXED, names=st.lists(MIXED, min_size=1, max_size=3))
def test_ris_has_one_line_per_tag(title, names):
    volume = _volume(title, names)
    paper = volume.proc.papers[0]
    lines = citation.ris(volume.paper_citation(paper)).splitlines()
    assert [line[:2] for line in lines] == ["TY", "TI", *["AU"] * len(paper.authors), "PY", "DA", "T2", "CY", "UR", "L1", "AB", "N1", "ER"]
    assert all(re.fullmatch(r"[A-Z][A-Z0-9]  - .*", line) for line in lines), lines
    assert lines[1][6:] == _plain(latex.plain(paper.title))  # RIS carries plain text (util.latex)


@settings(settings.get_profile("safety"))
@given(title=MIXED, names=st.lists(MIXED, min_size=1, max_size=3))
def test_json_round_trips(title, names):
    volume = _volume(title, names)
    data = json.loads(json.dumps(volume.papers_json(), ensure_ascii=False))
    [paper] = data["papers"]
    assert paper["title"] == volume.proc.papers[0].title
    assert [a["name"] for a in paper["authors"]] == [a.name for a in volume.proc.papers[0].authors]
    again = Volume.from_json(volume.to_json())
    assert again.proc == volume.proc


@settings(settings.get_profile("safety"))
@given(title=MIXED, names=st.lists(MIXED, min_size=1, max_size=3))
def test_markdown_citation_is_one_link_with_the_title(title, names):
    volume = _volume(title, names)
    paper = volume.proc.papers[0]
    url = volume.url("papers/p.html")
    tokens = MarkdownIt("commonmark").parseInline(cite.to_markdown(paper, volume.workshop, url))[0].children
    links = [t for t in tokens if t.type == "link_open"]
    assert [t.attrs["href"] for t in links] == [url]
    start = tokens.index(links[0])
    end = next(i for i, t in enumerate(tokens) if t.type == "link_close")
    shown = "".join(t.content for t in tokens[start + 1:end] if t.type in ("text", "code_inline"))
    # the citation formats carry the title's plain text (util.latex.plain: ``$x$`` -> "x", ``\\{`` -> "{")
    assert unicodedata.normalize("NFC", shown) == unicodedata.normalize("NFC", _plain(latex.plain(paper.title)))
    assert not [t for t in tokens if t.type in ("html_inline", "image")]
