"""What search indexes of a paper: its content up to the references (never the papers it cites),
its printed author block found but never quoted, excerpts only from the abstract and the body.

Fast tests on small PDFs typeset here; slow ones on every real camera-ready (ENLSP-II in papers/,
ENLSP-III beside the clone) and on what Pagefind itself makes of the records."""

from __future__ import annotations

import gzip
import json
import re
import shutil
from pathlib import Path

import pytest

from conftest import REPO
from enlsp_proceedings.model.load import load_proceedings
from enlsp_proceedings.pdf.extract import extract_all
from enlsp_proceedings.pdf.facts import PdfFacts
from enlsp_proceedings.pdf.read import read_pdf, set_text_spans
from enlsp_proceedings.publish.pipeline import prepare_volume
from enlsp_proceedings.search.index import (
    PDF_HEADING_WORDS,
    Record,
    _words,
    pdf_search_text,
    search_records,
    unsearchable,
    write_search_index,
)
from synthetic import SynthPaper, new_pdf, write_workshop
from test_real_checks import CASES, latex_papers  # noqa: F401 - the pdfLaTeX papers (a fixture)

ROOT = REPO
ENLSP3 = ROOT.parent / "shared" / "enlsp-iii-2023-source" / "papers"


def typeset(path: Path, title: str, byline: list[str], abstract: str, body: str, references: list[str], appendix: str) -> Path:
    """A two-page camera-ready: title, byline, Abstract, Introduction, body; References; an appendix after them."""
    pdf = new_pdf(11)
    pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.set_font_size(16)
    pdf.multi_cell(0, 8, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font_size(11)
    for line in byline:
        pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    for text in ("Abstract", abstract, "1 Introduction", body):
        pdf.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
    pdf.add_page()
    pdf.multi_cell(0, 6, "The method works on every benchmark we tried.", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.multi_cell(0, 6, "References", new_x="LMARGIN", new_y="NEXT")
    for entry in references:
        pdf.multi_cell(0, 6, entry, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.multi_cell(0, 6, "A Appendix", new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(0, 6, appendix, new_x="LMARGIN", new_y="NEXT")
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(path))
    return path


BYLINE = ["Kasia Nowak, Andy Stone", "Université Paris Cité", "kasia@example.org"]
ABSTRACT = "Extractive question answering makes small models useful on phones."
BODY = "We prune attention heads with a bodyonlyword schedule and keep the accuracy of the large model."
REFERENCES = ["[1] A. Author. Refonlyword: a cited paper. 2021.", "[2] B. Author. Another cited paper. 2022."]
APPENDIX = "Appendixonlyword tables follow."


def paper_pdf(tmp_path: Path) -> Path:
    return typeset(tmp_path / "papers" / "pruned.pdf", "Pruning Heads for Phones", BYLINE, ABSTRACT, BODY, REFERENCES, APPENDIX)


def test_a_pdfs_content_is_known_from_its_abstract_to_its_references(tmp_path):
    facts = read_pdf(paper_pdf(tmp_path))
    assert facts.text[facts.content_start:].startswith("Abstract\n" + ABSTRACT)
    assert facts.text[facts.content_end:].startswith("References\n[1]")
    assert facts.end_heading == "References"


def test_search_indexes_the_content_up_to_the_references_and_the_printed_byline(tmp_path):
    heading, body = pdf_search_text(read_pdf(paper_pdf(tmp_path)))
    assert "Kasia Nowak, Andy Stone" in heading and "Université Paris Cité" in heading and "Pruning Heads" in heading
    assert body.startswith("Abstract") and "bodyonlyword" in body and "every benchmark we tried." in body
    for cited in ("Refonlyword", "Another cited paper", "Appendixonlyword", "A Appendix"):  # after the References heading
        assert cited not in heading + body
    assert "Kasia" not in body and "Paris" not in body


def test_without_a_layout_the_text_alone_ends_the_content_and_80_words_are_the_byline():
    """pypdf's text (PDFium could not read the file): the References heading is found in the text."""
    pages = [" ".join(f"w{i}" for i in range(100)), "more body\nReferences\n[1] A. Author. Cited. 2020.\nA Appendix\nzzz"]
    facts = PdfFacts(sha256="", size=0, pages=2, text="\n".join(pages))
    set_text_spans(facts, pages, None)
    assert facts.content_start is None and facts.text[facts.content_end:].startswith("References")
    heading, body = pdf_search_text(facts)
    assert heading.split() == [f"w{i}" for i in range(PDF_HEADING_WORDS)]
    assert body.split() == [f"w{i}" for i in range(PDF_HEADING_WORDS, 100)] + ["more", "body"]
    facts.content_end = None  # no end heading: all of it is content
    assert "Appendix" in pdf_search_text(facts)[1]


def quotable(record: Record) -> list[str]:
    """The parts of a record an excerpt may quote, as text."""
    words = record.content.split()
    return [" ".join(words[a:b]) for a, b in record.excerpt]


def volume_with(root: Path, abstract: str = ABSTRACT):
    """The volume and PDFs of a workshop of one paper: the typeset PDF, its metadata names spelled otherwise."""
    paper = SynthPaper("pruned", "Pruning Heads for Phones", [
        {"name": "Katarzyna Nowak", "affiliation": "Université Paris Cité"}, {"name": "Andrew Stone", "affiliation": "Lab X"}], abstract)
    write_workshop(root, [paper], make_pdfs=False)
    paper_pdf(root)
    return prepare_volume(load_proceedings(root / "conf"), root / "papers", root / "cache", quiet=True)


@pytest.fixture()
def volume_and_pdfs(tmp_path):
    return volume_with(tmp_path)


def test_a_paper_record_is_found_by_its_printed_names_and_quotes_only_its_abstract_and_body(volume_and_pdfs):
    volume, pdfs = volume_and_pdfs
    records = {r.url: r for r in search_records(volume, pdfs)}
    paper = records["papers/pruned.html"]
    assert "Kasia Nowak" in paper.content and "Andy Stone" in paper.content  # as printed on the paper
    assert "Katarzyna Nowak" in paper.content and "Université Paris Cité" in paper.content  # as in the metadata
    assert "Refonlyword" not in paper.content and "Appendixonlyword" not in paper.content
    abstract, body = quotable(paper)
    assert abstract == ABSTRACT
    assert body.startswith("Abstract " + ABSTRACT + " 1 Introduction We prune") and "bodyonlyword" in body
    assert not any(word in " ".join(quotable(paper)) for word in ("Kasia", "Katarzyna", "Paris", "Pruning Heads", "kasia@"))
    person = records["authors/katarzyna-nowak.html"]
    assert quotable(person) == ["Université Paris Cité Author"]  # a person: affiliations and roles, not the name
    meta = paper.meta()
    assert set(meta) == {"title", "kind", "authors", "excerpt"} and not re.search(r"\w", meta["excerpt"])  # no word Pagefind searches
    decoded = "".join(str(ord(c) - 0x2800) if "\u2800" <= c <= "\u2809" else c for c in meta["excerpt"])
    assert decoded == " ".join(f"{a}-{b}" for a, b in paper.excerpt) and unsearchable(2592) == "\u2802\u2805\u2809\u2802"


#: White space of every kind (Python, Rust and JavaScript disagree on some), invisible characters,
#: a soft hyphen and Pagefind's own markers, as an abstract may hold them (control characters aside).
ODD = "one\u00a0two\u2028three\u3000four\u2003five\ufeffsix\u200bseven\u00adeight ___PAGEFIND_WEIGHT___0 nine ___PAGEFIND_ANCHOR___h1:x ten"


def test_record_words_are_counted_as_pagefind_counts_them(tmp_path):
    """Every kind of white space is one word break, a zero-width space is dropped (as Pagefind does),
    other invisible characters stay (the text is verbatim; a byte order mark, white space to
    JavaScript, too: the search page splits at spaces only) and no word can pass for Pagefind's own
    markers, so the excerpt's word ranges are Pagefind's word positions."""
    volume, pdfs = volume_with(tmp_path, ODD)
    record = next(r for r in search_records(volume, pdfs) if r.url == "papers/pruned.html")
    assert quotable(record)[0] == "one two three four five\ufeffsixseven\u00adeight PAGEFIND_WEIGHT___0 nine PAGEFIND_ANCHOR___h1:x ten"
    assert "\u200b" not in record.content and "___PAGEFIND" not in record.content
    assert _words("a\x85b\x1cc\u2029d") == ["a", "b", "c", "d"]  # (in PDF text; not allowed in conf/)


@pytest.mark.slow  # runs the Pagefind indexer
def test_pagefind_counts_the_words_of_each_record_as_the_records_do(tmp_path):
    volume, pdfs = volume_with(tmp_path, ODD)
    records = search_records(volume, pdfs)
    site = tmp_path / "site"
    site.mkdir()
    write_search_index(volume, pdfs, site)
    fragments = {}
    for path in (site / "pagefind").glob("*/fragment/*.pf_fragment"):
        raw = gzip.decompress(path.read_bytes())
        fragment = json.loads(raw[raw.index(b"{"):])
        fragments[fragment["url"].lstrip("/")] = fragment
    assert set(fragments) == {r.url for r in records}
    for record in records:
        fragment = fragments[record.url]
        assert fragment["content"].split(" ") == record.content.split(), record.url
        assert fragment["word_count"] == len(record.content.split())
        assert all(0 <= a < b <= fragment["word_count"] for a, b in record.excerpt)
        assert fragment["meta"] == record.meta()


# -- the real camera-readies -------------------------------------------------------------------

def real_papers() -> dict[str, Path]:
    """The real camera-readies by an id: ENLSP-II's in papers/ (``ii-<paper id>``) and ENLSP-III's
    beside the clone (``iii-<number>``), if there."""
    found = {f"ii-{path.stem}": path for path in sorted((ROOT / "papers" / "2022").glob("*.pdf"))}
    if ENLSP3.is_dir():
        found |= {f"iii-{path.stem.removeprefix('paper_')}": path for path in sorted(ENLSP3.glob("paper_*.pdf")) if not path.stem.endswith("_supp")}
    return found


@pytest.fixture(scope="module")
def real_facts(tmp_path_factory) -> dict[str, PdfFacts]:
    """Facts of every real camera-ready, read once for the module, in parallel as a build reads them."""
    from enlsp_proceedings.model.schema import Paper

    paths = real_papers()
    if len(paths) < 39:
        pytest.skip("the real camera-readies are not in papers/")
    folder = tmp_path_factory.mktemp("real")
    for pid, path in paths.items():
        shutil.copyfile(path, folder / f"{pid}.pdf")  # a symbolic link out of the papers directory is refused
    papers = [Paper(id=pid, title="x", authors=[], abstract="x", presentation="oral") for pid in paths]
    found = extract_all(papers, folder, tmp_path_factory.mktemp("cache"))
    return {pid: entry.facts for pid, entry in found.items() if entry.facts and entry.facts.ok}


@pytest.mark.slow  # reads every real camera-ready
def test_every_real_paper_is_indexed_from_its_abstract_to_its_end_heading(real_facts):
    """Both editions: the indexed body starts at the Abstract heading (below title, authors and
    affiliations) and stops where `check` ends the content (References, or an appendix before them),
    a margin line number of a review copy aside."""
    assert len(real_facts) >= 39
    for pid, facts in real_facts.items():
        heading, body = pdf_search_text(facts)
        assert body.startswith("Abstract"), (pid, body[:60])
        after = re.sub(r"^\d{1,4} ", "", facts.text[facts.content_end:facts.content_end + 200])
        assert after.startswith(facts.end_heading), (pid, facts.end_heading, after[:60])
        assert len(heading.split()) < 120, pid  # title, authors, affiliations, e-mail addresses


#: The papers of ENLSP-II whose text before their references names DistilBERT, read by hand with
#: `pdftotext -f N -l N` page by page: fast-distilbert (pages 1-4), cmt-39 (2-4), gradient-kd (2, 4, 5),
#: cmt-6 (3-5), cmt-11 (2, 4). cmt-5, cmt-16, cmt-28, cmt-30 and cmt-70 cite "DistilBERT, a distilled
#: version of BERT" in their references only, cmt-23 in its references and in appendix tables after them.
DISTILBERT_IN_BODY = {"fast-distilbert", "cmt-39", "gradient-kd", "cmt-6", "cmt-11"}
DISTILBERT_CITED_ONLY = {"cmt-5", "cmt-16", "cmt-23", "cmt-28", "cmt-30", "cmt-70"}


@pytest.mark.slow  # reads every real camera-ready
def test_real_papers_are_found_by_what_they_say_not_by_what_they_cite(real_facts):
    ii = {pid.removeprefix("ii-"): facts for pid, facts in real_facts.items() if pid.startswith("ii-")}
    assert {pid for pid, facts in ii.items() if "distilbert" in " ".join(pdf_search_text(facts)).lower()} == DISTILBERT_IN_BODY
    assert {pid for pid, facts in ii.items() if "distilbert" in facts.text.lower()} == DISTILBERT_IN_BODY | DISTILBERT_CITED_ONLY


def test_an_end_heading_the_text_cannot_place_ends_the_content_at_the_top_of_its_page():
    """The layout found the References heading on page 2 but its line was not placed in the text: the
    content ends where page 2 begins (some body text lost, never a reference indexed)."""
    pages = ["page one body", "page two body\nReferences\n[1] A cited paper."]
    facts = PdfFacts(sha256="", size=0, pages=2, text="\n".join(pages), references_page=2)
    set_text_spans(facts, pages, {"start": (0, 0)})
    assert facts.text[:facts.content_end] == "page one body\n" and facts.content_start == 0


@pytest.mark.latex
@pytest.mark.parametrize("case", CASES)
def test_pdflatex_papers_are_indexed_from_the_abstract_to_where_check_ends_the_content(latex_papers, case):  # noqa: F811 - the imported fixture
    """NeurIPS- and ACL-like papers made by pdfLaTeX (tests/test_real_checks.py): references behind line
    numbers, in small caps, without a heading, author-year; appendices before and after them; two columns."""
    path, _ = latex_papers[case]
    facts = read_pdf(path)
    heading, body = pdf_search_text(facts)
    assert body.startswith("Abstract"), body[:40]
    assert "Tiny Transformers on Tiny Phones" in heading and "Tiny Transformers" not in body
    assert "Efficient things, part" not in body and "More results" not in body  # the bibliography; the appendix after it
    assert "Efficient transformers for tiny phones" not in body  # the author-year entries
    assert f"Method part {7 - 1 if case.startswith('acl') else 4 - 1}" in body  # the last section before the end: both columns
    end = re.sub(r"^\d{1,4} ", "", facts.text[facts.content_end:facts.content_end + 60])
    assert end.startswith(facts.end_heading.split(" (")[0]) or end.startswith("A. Author and B. Writer"), end


def test_records_are_bundled_without_an_empty_bundle():
    """Addresses hashed into groups can leave one empty, and Pagefind's index of no record has no
    language, which failed the build (16 records in bundles of two)."""
    from enlsp_proceedings.search.index import make_bundles

    urls = ["papers/widget.html", "authors/ana-widget.html"] + [f"{kind}/{stem}{i}.html" for kind, stem in (("papers", "plain-"), ("authors", "bo-plain"))
                                                                 for i in range(7)]
    bundles = make_bundles([Record(url=url, title="t", content="c") for url in urls], 2)  # 8 groups: 0, 5 and 6 get none
    assert all(b.records for b in bundles) and sum(b.records for b in bundles) == 16 and len(bundles) == 5


def test_titles_and_abstracts_are_indexed_and_quoted_as_readers_see_them_not_as_latex(tmp_path):
    """"$7x$" is found as "7x" and "\\textit{DyREx}" as "DyREx": the pages show them so (KaTeX, italics)."""
    root = tmp_path / "w"
    paper = SynthPaper("dylora", r"Training \textit{DyLoRA} $7x$ Faster", [{"name": "Mojtaba Valipour"}],
                       r"We propose \textit{DyREx} and train at least $7x$ faster.", pages=None)
    write_workshop(root, [paper], make_pdfs=False)
    volume, pdfs = prepare_volume(load_proceedings(root / "conf"), root / "papers", root / "cache", quiet=True)
    record = {r.url: r for r in search_records(volume, pdfs)}["papers/dylora.html"]
    assert record.title == "Training DyLoRA 7x Faster" and record.meta()["title"] == record.title
    assert quotable(record) == ["We propose DyREx and train at least 7x faster."]
    assert "\\" not in record.content and "$" not in record.content


def test_a_person_a_later_edition_lists_too_is_indexed_apart(tmp_path):
    """In a series, an edition's index holds its people; those a later edition lists too are in a bundle
    of their own, which the search over every edition leaves out (one result per person there) and the
    search of this edition takes."""
    from enlsp_proceedings.outputs.volume import EditionContext, Volume
    from enlsp_proceedings.search.index import SearchIndexJob
    from synthetic import small_workshop

    conf, _ = small_workshop(tmp_path / "ws")
    volume = Volume(load_proceedings(conf), {})
    slug = volume.people.sorted()[0].slug
    volume = Volume(volume.proc, {}, EditionContext("2031", "S", "S", (("2032", "S-II", "2032-01-01"), ("2031", "S-I", "2031-01-01")),
                                                    later_people=frozenset({slug})))
    job = SearchIndexJob(volume, None, tmp_path)
    repeated = [b for b in job.bundles if b.repeated]
    assert len(repeated) == 1 and repeated[0].records == 1 and job.bundles[-1] is repeated[0]
    assert f'"../authors/{slug}.html"' in repeated[0].payload
    assert all(f"authors/{slug}.html" not in b.payload for b in job.bundles if not b.repeated)
