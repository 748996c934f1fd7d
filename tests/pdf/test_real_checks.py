"""Camera-ready checks on real papers: the 39 real ENLSP-II camera-readies in papers/, and small real
pdfLaTeX papers compiled here in the NeurIPS and ACL layouts (tests/data/latex/*.sty), one per case:
References behind line numbers, lettered and numbered appendix headings, small caps, a reference list
without a heading, two columns, review copies."""

from __future__ import annotations

import math
import random
import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from conftest import REPO, run_build
from enlsp_proceedings.model.load import load_proceedings
from enlsp_proceedings.model.schema import PagePolicy, Paper, Person, Workshop
from enlsp_proceedings.pdf.check import first_page_problems, length_problems, paper_problems, run_check
from enlsp_proceedings.pdf.extract import extract_all
from enlsp_proceedings.pdf.facts import PaperPdf, PdfFacts
from enlsp_proceedings.pdf.read import read_pdf

ROOT = REPO
DATA = REPO / "tests" / "data"
TRUTH = yaml.safe_load((DATA / "real_content_pages.yaml").read_text(encoding="utf-8"))["papers"]


def real_pdfs() -> dict[int, tuple[Paper, Path]]:
    """CMT paper number -> (its entry in conf/papers.yaml, its PDF in papers/), for the PDFs present."""
    found = {}
    data = yaml.safe_load((ROOT / "conf" / "2022" / "papers.yaml").read_text(encoding="utf-8"))
    for entry in data.get("papers") or []:
        review = str(entry.get("review_id") or "")
        if review.startswith("cmt:"):
            path = ROOT / "papers" / "2022" / (entry.get("pdf") or f"{entry['id']}.pdf")
            if path.is_file():
                found[int(review[4:])] = (entry["id"], path)
    return found


REAL = real_pdfs()
needs_real = pytest.mark.skipif(len(REAL) < len(TRUTH), reason="the real camera-readies are not in papers/")


@pytest.fixture(scope="module")
def real_facts(tmp_path_factory) -> dict[int, PdfFacts]:
    """Facts of every real camera-ready, read once for the module (in parallel, as check does)."""
    proc = load_proceedings(ROOT / "conf" / "2022")
    ids = {pid: number for number, (pid, _path) in REAL.items()}
    pdfs = extract_all([p for p in proc.papers if p.id in ids], ROOT / "papers" / "2022", tmp_path_factory.mktemp("cache"))
    return {ids[pid]: entry.facts for pid, entry in pdfs.items()}


@needs_real
def test_ground_truth_covers_every_real_camera_ready():
    assert sorted(TRUTH) == sorted(REAL)


@pytest.mark.slow  # reads every real camera-ready (real_facts)
@needs_real
@pytest.mark.parametrize("number", sorted(TRUTH))
def test_content_pages_of_real_papers_are_within_a_tenth_of_a_page(real_facts, number):
    facts, truth = real_facts[number], TRUTH[number]
    assert facts.ok
    assert abs(facts.content_pages - truth["content_pages"]) <= 0.1, (facts.content_pages, truth)
    assert facts.references_page == truth["page"] and facts.end_heading == truth["heading"]
    if "acknowledgments" in truth:
        assert facts.acknowledgments is not None
        assert all(abs(a - b) <= 0.1 for a, b in zip(facts.acknowledgments, truth["acknowledgments"], strict=True))
    else:
        assert facts.acknowledgments is None
    assert bool(facts.review_marks) == ("review_copy" in truth), facts.review_marks


@pytest.mark.slow  # checks every real camera-ready
@needs_real
def test_check_on_the_real_archive(tmp_path):
    """The ENLSP-II policy (conf/workshop.yaml): over the limit is a warning, acknowledgments do not count.
    The review copy is reported (an error, or a warning with its note), the two anonymized camera-readies are warnings; no real camera-ready is taken for another paper's."""
    report = run_check(ROOT / "conf" / "2022", ROOT / "papers" / "2022", tmp_path / "cache", quiet=True)
    by_number = {number: next(r for r in report.papers if r.id == pid) for number, (pid, _path) in REAL.items()}
    codes = {number: {p.code for p in r.problems} for number, r in by_number.items()}
    proc = load_proceedings(ROOT / "conf" / "2022")
    submissions = {n for n, t in TRUTH.items() if t.get("review_copy") == "submission"}
    assert submissions == {8}
    for number in submissions:  # the review copy: an error, unless the organizers publish it with a note
        noted = bool(proc.paper(REAL[number][0]).publish_review_copy)
        assert ("pdf-review-copy-published" if noted else "pdf-review-copy") in codes[number]
    anonymized = {n for n, t in TRUTH.items() if t.get("review_copy") == "anonymized"}
    assert anonymized == {n for n, c in codes.items() if "pdf-anonymous-camera-ready" in c} == {46, 65}
    assert not any({"pdf-wrong-file", "pdf-author-missing"} & c for c in codes.values())
    over = {n for n, t in TRUTH.items() if t["content_pages"] - (lambda a: a[1] - a[0] if a else 0)(t.get("acknowledgments")) > 4.005}
    assert {n for n, c in codes.items() if "pdf-over-limit" in c} == over
    for number, entry in by_number.items():  # content_pages is what the limit judges: the acknowledgments left out (check JSON version 2)
        truth = TRUTH[number]
        acknowledgments = truth["acknowledgments"][1] - truth["acknowledgments"][0] if "acknowledgments" in truth else 0
        assert abs(entry.content_ends_at - truth["content_pages"]) <= 0.1
        assert abs(entry.content_pages - (truth["content_pages"] - acknowledgments)) <= 0.1
        for problem in entry.problems:
            if problem.code == "pdf-over-limit":
                assert problem.level == "warning" and "the limit is 4 ('References' begins on page" in problem.message
    [variant] = [p for p in by_number[52].problems if p.code == "pdf-author-variant"]
    assert variant.level == "warning" and variant.message == "page 1 has 'Andy Rock', the metadata 'Andrew Rock'"
    [review] = [p for p in by_number[8].problems if p.code.startswith("pdf-review-copy")]
    assert "'Anonymous Author(s)'" in review.message and "line numbers (1–36)" in review.message
    assert "Do not distribute" in review.message


@pytest.mark.slow  # reads every real camera-ready (real_facts)
@needs_real
def test_an_author_missing_from_the_metadata_is_named(real_facts):
    """CMT paper 16's page 1 lists Leonard Lausen; without him in the metadata, check says so."""
    proc = load_proceedings(ROOT / "conf" / "2022")
    number = next(n for n in REAL if any(a.name == "Leonard Lausen" for a in proc.paper(REAL[n][0]).authors))
    paper = proc.paper(REAL[number][0])
    assert first_page_problems(paper, real_facts[number]) == []
    without = paper.model_copy(update={"authors": [a for a in paper.authors if a.name != "Leonard Lausen"]})
    [extra] = first_page_problems(without, real_facts[number])
    assert (extra.level, extra.code, extra.message) == ("warning", "pdf-author-extra", "page 1 lists Leonard Lausen, who is not in the metadata")


@needs_real
def test_another_papers_camera_ready_is_an_error_not_published_and_fails_strict(tmp_path, capsys):
    """Paper 52's entry with paper 5's PDF: neither its title nor any of its authors on page 1."""
    data = yaml.safe_load((ROOT / "conf" / "2022" / "papers.yaml").read_text(encoding="utf-8"))
    entries = {e["id"]: e for e in data["papers"]}
    conf, papers = tmp_path / "conf", tmp_path / "papers"
    shutil.copytree(ROOT / "conf" / "2022", conf)
    papers.mkdir()
    right, wrong = entries[REAL[52][0]], entries[REAL[5][0]]
    (conf / "papers.yaml").write_text(yaml.safe_dump({"papers": [right, wrong]}, allow_unicode=True, sort_keys=False), encoding="utf-8")
    (conf / "schedule.yaml").write_text("schedule: []\n")
    shutil.copy(REAL[52][1], papers / f"{right['id']}.pdf")
    shutil.copy(REAL[52][1], papers / f"{wrong['id']}.pdf")  # paper 52's file under paper 5's name
    report = run_check(conf, papers, tmp_path / "cache", quiet=True)
    [entry] = [r for r in report.papers if r.id == wrong["id"]]
    [problem] = [p for p in entry.problems if p.code == "pdf-wrong-file"]
    assert problem.level == "error" and "neither the title" in problem.message
    assert run_build(tmp_path, "-q") == 0
    site = tmp_path / "site"
    assert (site / "papers" / f"{right['id']}.pdf").is_file() and not (site / "papers" / f"{wrong['id']}.pdf").exists()
    # ENLSP-II took place in 2022: the page says "not available", not "not yet available"
    assert "Camera-ready not available" in (site / "papers" / f"{wrong['id']}.html").read_text(encoding="utf-8")
    capsys.readouterr()
    assert run_build(tmp_path, "--strict", "-q") == 1
    assert "pdf-wrong-file" in capsys.readouterr().err


@needs_real
def test_a_review_copy_is_published_only_with_the_organizers_note(tmp_path, capsys):
    data = yaml.safe_load((ROOT / "conf" / "2022" / "papers.yaml").read_text(encoding="utf-8"))
    [entry] = [e for e in data["papers"] if e.get("review_id") == "cmt:8"]
    conf, papers = tmp_path / "conf", tmp_path / "papers"
    shutil.copytree(ROOT / "conf" / "2022", conf)
    papers.mkdir()
    shutil.copy(REAL[8][1], papers / f"{entry['id']}.pdf")
    (conf / "schedule.yaml").write_text("schedule: []\n")
    entry.pop("publish_review_copy", None)
    (conf / "papers.yaml").write_text(yaml.safe_dump({"papers": [entry]}, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert run_build(tmp_path, "-q") == 0
    page = tmp_path / "site" / "papers" / f"{entry['id']}.html"
    assert not (tmp_path / "site" / "papers" / f"{entry['id']}.pdf").exists()
    assert "anonymized review copy" in page.read_text(encoding="utf-8")
    note = "Only the anonymized submission <b>reached</b> us; it is published as submitted."
    entry["publish_review_copy"] = note
    (conf / "papers.yaml").write_text(yaml.safe_dump({"papers": [entry]}, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert run_build(tmp_path, "-q") == 0
    assert (tmp_path / "site" / "papers" / f"{entry['id']}.pdf").is_file()
    html = page.read_text(encoding="utf-8")
    assert "Only the anonymized submission &lt;b&gt;reached&lt;/b&gt; us" in html and "<b>reached</b>" not in html
    report = run_check(conf, papers, tmp_path / "cache", quiet=True)
    assert {(p.level, p.code) for p in report.papers[0].problems} >= {("warning", "pdf-review-copy-published")}
    capsys.readouterr()


# -- the page-limit policy ---------------------------------------------------------------------------


def test_page_policy_extra_pages_acknowledgments_and_level():
    facts = PdfFacts("0", 1, pages=9, content_pages=4.37, references_page=5, end_heading="References", acknowledgments=[4.2, 4.37])

    def problems(**policy):
        return length_problems(facts, Workshop.model_construct(page_limit=4, page_policy=PagePolicy(**policy)))

    [over] = problems()
    assert (over.level, over.code) == ("error", "pdf-over-limit")
    assert over.message == "4.37 pages of content, the limit is 4 ('References' begins on page 5; 9 pages in all)"
    [over] = problems(acknowledgments_count=False, over_limit="warning")
    assert over.level == "warning" and over.message.startswith("4.2 pages of content") and "0.17 of acknowledgments not counted" in over.message
    assert problems(extra_camera_ready_pages=1) == []
    assert problems(acknowledgments_count=False, extra_camera_ready_pages=0.2) == []
    assert length_problems(replace(facts, content_pages=4.0, acknowledgments=None), 4) == []  # the heading tops page 5


def test_a_citation_does_not_make_an_author_present():
    """"Chen et al." in the introduction is not the author Alice Chen: only the author block counts."""
    facts = PdfFacts("0", 1, pages=5, first_page_text="Tiny Models\nBo Park\nUniversity of Somewhere\nAbstract\nAs Chen et al. [1] show, A. Chen ...",
                     author_block=[["Tiny Models", 17.2, True], ["Bo Park", 10.0, True], ["University of Somewhere", 10.0, False]])
    paper = Paper.model_construct(id="x", title="Tiny Models", authors=[Person(name="Bo Park"), Person(name="Alice Chen")])
    [missing] = first_page_problems(paper, facts)
    assert (missing.level, missing.code, missing.message) == ("error", "pdf-author-missing", "page 1 does not list Alice Chen, an author in conf/papers.yaml")


def test_a_paper_without_authors_in_the_metadata_is_not_compared():
    facts = PdfFacts("0", 1, pages=5, first_page_text="Tiny Models\nBo Park\nAbstract\n...", author_block=[["Tiny Models", 17.2, True], ["Bo Park", 10.0, True]])
    paper = Paper.model_construct(id="x", title="Tiny Models", authors=[])
    [note] = first_page_problems(paper, facts)
    assert (note.level, note.code) == ("warning", "pdf-authors-unchecked") and "Bo Park" in note.message


# -- small real pdfLaTeX papers ------------------------------------------------------------------------

WORDS = "efficient model inference training memory latency throughput accuracy benchmark dataset pruning distillation".split()
#: Letter paper (NeurIPS): the text block's top 1 in below the page top, its bottom 1 in above the page bottom;
#: the page number's baseline 30 pt below it. A4 (ACL): 2.5 cm margins, the article class's footskip (30 pt).
GEOMETRY = {"neurips": (792 - 72, 72 - 30 - 2), "acl": (842 - 71.1, 71.1 - 30 - 2)}
MARK = r"\pdfsavepos\write\@auxout{\string\endmark{\thepage}{\the\pdflastxpos}{\the\pdflastypos}}"


def _paragraphs(rng: random.Random, count: int) -> str:
    return "".join(" ".join(rng.choice(WORDS) for _ in range(90)).capitalize() + ".\n\n" for _ in range(count))


def _bibliography(entries: int = 12) -> str:
    return "".join(f"\\bibitem{{b{i}}} A.~Author and B.~Writer. Efficient things, part {i}. In \\emph{{Proceedings}}, 2021.\n" for i in range(entries))


def _document(case: str) -> tuple[str, str]:
    """(LaTeX source, layout) of one case; the end of the content is marked where its heading begins."""
    rng = random.Random(case)
    acl = case.startswith("acl")
    natbib = "\\usepackage[round]{natbib}\n" if case == "author-year" else ""
    style = {"neurips-final": "[final]{neuripslike}", "neurips-review": "{neuripslike}", "acl-final": "[final]{acllike}",
             "acl-review": "[review]{acllike}"}.get(case, "[final]{neuripslike}")
    head = ("\\documentclass[11pt,twocolumn]{article}\n" if acl else "\\documentclass{article}\n") + f"\\usepackage{style}\n" + natbib
    head += "\\makeatletter\\newcommand\\markend{" + MARK + "}\\makeatother\\def\\endmark#1#2#3{}\n"
    head += "\\title{Tiny Transformers on Tiny Phones}\n"
    head += ("\\author{Andy Rock \\\\ Wolfram Labs \\\\ \\texttt{andy@example.org} \\And Leonard Lausen \\\\ Example University \\\\ \\texttt{leo@example.org}}\n"
             if not acl else "\\author{Andy Rock \\and Leonard Lausen \\\\ Example University}\n")
    body = "\\begin{document}\n\\maketitle\n\\begin{abstract}\n" + _paragraphs(rng, 1) + "\\end{abstract}\n"
    body += "\\section{Introduction}\nAs Chen et al. [1] show, small models are enough.\n" + _paragraphs(rng, 3)
    sections = 7 if acl else 4
    for number in range(2, sections):
        body += f"\\section{{Method part {number}}}\n" + _paragraphs(rng, 4)
    references = "\\renewcommand\\refname{\\markend References}\n\\begin{thebibliography}{99}\n" + _bibliography() + "\\end{thebibliography}\n"
    appendix = "\\appendix\n\\section{More results}\n" + _paragraphs(rng, 3)
    if case == "neurips-final":
        body += _paragraphs(rng, 2) + "\\acksection\nWe thank the reviewers.\n\n" + references + appendix
    elif case in ("neurips-review", "acl-final", "acl-review"):
        body += _paragraphs(rng, 2) + references + appendix
    elif case == "lettered-appendix":  # the appendix before the references, its first section "A Proof of Proposition 1"
        body += _paragraphs(rng, 2) + "\\appendix\n\\section{\\markend Proof of Proposition 1}\n" + _paragraphs(rng, 3) + references
    elif case == "numbered-appendix":  # "4.1 Appendix" as a subsection
        body += "\\section{Discussion}\n" + _paragraphs(rng, 1) + "\\subsection{\\markend Appendix}\n" + _paragraphs(rng, 3) + references
    elif case == "small-caps":
        body += _paragraphs(rng, 2) + "\\section*{\\markend\\textsc{References}}\n" + "".join(
            f"[{i}] A. Author. Efficient things, part {i}. 2021.\n\n" for i in range(1, 12))
    elif case == "false-friends":  # lines that look like an end of content but are body text
        body += ("\\noindent [1] showed that pruning works.\n\n" + _paragraphs(rng, 2) + "\\noindent [2] agrees with them.\n\n"
                 + "More is in the\n\n\\noindent Appendix.\n\n\\noindent References to prior work are in Section 2.\n\n"
                 + "\\noindent Supplementary material is available on request.\n\n"
                 + "".join(f"\\begin{{{kind}}}\n" + "".join(f"\\item Prior work of 20{10 + i} pruned the attention heads of large models and kept "
                                                                f"their accuracy on most benchmarks, as Author and Writer (20{10 + i}) report.\n" for i in range(6))
                           + f"\\end{{{kind}}}\n" for kind in ("itemize", "enumerate"))
                 + _paragraphs(rng, 2) + references)
    elif case == "author-year":  # natbib's author-year list (hanging indent, no labels), its heading left out
        entries = "".join(f"\\bibitem[Author and Writer(20{10 + i})]{{c{i}}} {'' if i else chr(92) + 'markend '}A.~Author and B.~Writer. "
                          f"Efficient transformers for tiny phones and other small devices, part {i}. In \\emph{{Proceedings of "
                          f"the Workshop on Small Models}}, pages 1--{10 + i}, 20{10 + i}.\n" for i in range(8))
        body += _paragraphs(rng, 2) + "\\renewcommand\\refname{}\n\\begin{thebibliography}{99}\n" + entries + "\\end{thebibliography}\n"
    elif case == "no-heading":  # a numbered reference list with no heading at all
        body += _paragraphs(rng, 2) + "\\renewcommand\\refname{}\n\\begin{thebibliography}{99}\n\\bibitem{b0} \\markend A.~Author. First. 2021.\n" + _bibliography() + "\\end{thebibliography}\n"
    return head + body + "\\end{document}\n", "acl" if acl else "neurips"


CASES = ["neurips-final", "neurips-review", "lettered-appendix", "numbered-appendix", "small-caps", "no-heading", "author-year", "false-friends",
         "acl-final", "acl-review"]


@pytest.fixture(scope="session")
def latex_papers(tmp_path_factory) -> dict[str, tuple[Path, float]]:
    """Each case compiled once: (PDF, where its content ends as a decimal page, from pdfTeX's own record of
    the heading's position: \\pdfsavepos at the heading's baseline, written to the .aux)."""
    if shutil.which("pdflatex") is None:
        pytest.skip("needs pdflatex")
    root = tmp_path_factory.mktemp("latex")
    for sty in (DATA / "latex").glob("*.sty"):
        shutil.copy(sty, root / sty.name)
    made = {}
    for case in CASES:
        source, layout = _document(case)
        (root / f"{case}.tex").write_text(source, encoding="utf-8")
        subprocess.run(["pdflatex", "-interaction=batchmode", "-halt-on-error", f"{case}.tex"], cwd=root, check=True,
                       capture_output=True, timeout=120)
        found = re.search(r"\\endmark\{(\d+)\}\{(-?\d+)\}\{(-?\d+)\}", (root / f"{case}.aux").read_text())
        page, x, y = (int(v) for v in found.groups())
        top, bottom = GEOMETRY[layout]
        baseline = y / 65536
        fraction = min(1.0, max(0.0, (top - (baseline + 8)) / (top - bottom)))  # the heading's top: its baseline + ~8 pt
        if layout == "acl":
            fraction = (0.5 if x / 65536 > 595 / 2 else 0.0) + fraction / 2  # in the right column of an A4 page
        made[case] = (root / f"{case}.pdf", page - 1 + fraction)
    return made


@pytest.mark.latex
@pytest.mark.parametrize("case, heading", [
    ("neurips-final", "References"),
    ("neurips-review", "References"),  # behind margin line numbers
    ("lettered-appendix", "A Proof of Proposition 1"),
    ("numbered-appendix", "4.1 Appendix"),
    ("small-caps", "REFERENCES"),
    ("no-heading", "[1] (a reference list without a heading)"),
    ("author-year", "(an author-year reference list without a heading)"),
    ("false-friends", "References"),
    ("acl-final", "References"),
    ("acl-review", "References"),
])
def test_content_ends_where_pdftex_put_the_heading(latex_papers, case, heading):
    path, expected = latex_papers[case]
    facts = read_pdf(path)
    assert facts.end_heading == heading
    assert abs(facts.content_pages - expected) <= 0.1, (facts.content_pages, expected)
    assert facts.references_page == math.floor(expected) + 1


@pytest.mark.latex
@pytest.mark.parametrize("case, marks", [
    ("neurips-final", []),
    ("acl-final", []),
    ("neurips-review", ["'Anonymous Author(s)'", "Submitted to 36th Conference on Neural Information Processing Systems (NeurIPS 2022). Do not distribute", "line numbers (1–"]),
    ("acl-review", ["'Anonymous ACL submission'", "line numbers"]),
])
def test_review_copies_are_recognized(latex_papers, case, marks):
    facts = read_pdf(latex_papers[case][0])
    text = "; ".join(facts.review_marks)
    assert all(mark in text for mark in marks) and bool(facts.review_marks) == bool(marks), facts.review_marks
    paper = Paper(id="x", title="Tiny Transformers on Tiny Phones", abstract="a", presentation="oral",
                  authors=[{"name": "Andrew Rock"}, {"name": "Leonard Lausen"}])
    codes = {p.code: p for p in paper_problems(paper, PaperPdf("x", "x.pdf", None, facts), 10)}
    if marks:
        assert codes["pdf-review-copy"].level == "error" and "pdf-author-missing" not in codes
    else:
        assert set(codes) == {"pdf-author-variant"}
        assert codes["pdf-author-variant"].message == "page 1 has 'Andy Rock', the metadata 'Andrew Rock'"


@pytest.mark.latex
def test_acknowledgments_before_the_references_are_measured(latex_papers):
    facts = read_pdf(latex_papers["neurips-final"][0])
    start, end = facts.acknowledgments
    assert end == facts.content_pages and 0 < end - start < 0.1  # a heading and one line


@pytest.mark.latex
def test_first_page_authors_both_ways_on_a_latex_paper(latex_papers):
    facts = read_pdf(latex_papers["neurips-final"][0])
    paper = Paper(id="x", title="Tiny Transformers on Tiny Phones", abstract="a", presentation="oral",
                  authors=[{"name": "Andy Rock"}, {"name": "Alice Chen"}])
    problems = [(p.level, p.code, p.message) for p in first_page_problems(paper, facts)]
    assert problems == [
        ("error", "pdf-author-missing", "page 1 does not list Alice Chen, an author in conf/papers.yaml"),  # "Chen et al." is a citation
        ("warning", "pdf-author-extra", "page 1 lists Leonard Lausen, who is not in the metadata"),
    ]
    stranger = Paper(id="y", title="Pruning Speech Models", abstract="a", presentation="oral", authors=[{"name": "Alice Chen"}])
    [wrong] = first_page_problems(stranger, facts)
    assert (wrong.level, wrong.code) == ("error", "pdf-wrong-file")


def test_page_text_in_messages_has_no_control_characters():
    facts = PdfFacts("0", 1, pages=5, first_page_text="\x1b[2J\x1b]0;pwned\x07Another Paper\u202e\nZed Zulu")
    paper = Paper.model_construct(id="x", title="Tiny Models", authors=[Person(name="Bo Park")])
    [wrong] = first_page_problems(paper, facts)
    assert wrong.code == "pdf-wrong-file" and "Another Paper" in wrong.message
    assert not any(ord(c) < 32 or 0x7F <= ord(c) < 0xA0 or c == "\u202e" for c in wrong.message)
