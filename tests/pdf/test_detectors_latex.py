"""The camera-ready detectors on what the real papers lack, made with pdfLaTeX in the NeurIPS-like test style
(tests/data/latex/neuripslike.sty) and byte by byte: a title with a macron, footnote marks that extract as
"⇤", accents printed apart from their letters, a "Project URL" label among the authors, a body line that
begins "Appendix B. ...", a table whose column header is "Reference", a main-conference, workshop or
submission footer, and fonts set at size 1 in a scaled text matrix. Each is judged by its layout."""

from __future__ import annotations

import random
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import REPO
from enlsp_proceedings.model.schema import PagePolicy, Paper, Workshop
from enlsp_proceedings.pdf.check import UNPUBLISHABLE, first_page_problems, footer_problems, paper_problems
from enlsp_proceedings.pdf.facts import PaperPdf
from enlsp_proceedings.pdf.read import read_pdf
from hostile_pdfs import _pdf, _stream

DATA = REPO / "tests" / "data"
WORDS = "efficient model inference training memory latency throughput accuracy benchmark dataset pruning distillation".split()
MAIN_NOTICE = "36th Conference on Neural Information Processing Systems (NeurIPS 2022)."
NOTICES = {
    "main-conference": None,  # the style's own final notice
    "workshop": "The 2nd Workshop on Tiny Models (TM-II), NeurIPS 2022.",
    "submitted": f"Submitted to {MAIN_NOTICE[:-1]}. Do not distribute.",
}
TITLE = "Tiny Transformers for Māori and Pāli"
WORKSHOP = Workshop.model_construct(title="The 2nd Workshop on Tiny Models", short_name="TM-II", venue="NeurIPS 2022", year=2022,
                                    page_limit=4, page_policy=PagePolicy(over_limit="warning"))


def _paragraphs(rng: random.Random, count: int) -> str:
    return "".join(" ".join(rng.choice(WORDS) for _ in range(90)).capitalize() + ".\n\n" for _ in range(count))


def _document(notice: str | None) -> str:
    rng = random.Random(notice or "main")
    head = "\\documentclass{article}\n\\usepackage[final]{neuripslike}\n\\usepackage{url}\n"
    # a PDF whose math asterisk extracts as U+21E4, as some real camera-readies' footnote marks do ("Wu1⇤")
    head += "\\input glyphtounicode\\pdfglyphtounicode{asteriskmath}{21E4}\\pdfgentounicode=1\n"
    if notice is not None:
        head += "\\makeatletter\\renewcommand{\\@noticestring}{" + notice + "}\\makeatother\n"
    head += "\\title{Tiny Transformers for M\\={a}ori and P\\={a}li}\n"
    head += ("\\author{Ana Wu$^{1\\ast}$, Christopher R\\'e$^{2}$, Miko{\\l}aj Pi\\'orczy\\'nski$^{1}$ \\\\ "
             "$^1$Example University \\quad $^2$Wolfram Labs \\\\ \\textbf{Project URL}: \\url{https://example.org/tiny}}\n")
    body = "\\begin{document}\n\\maketitle\n\\begin{abstract}\n" + _paragraphs(rng, 1) + "\\end{abstract}\n"
    body += "\\section{Introduction}\n" + _paragraphs(rng, 2)
    body += ("\\section{Results}\nThe models agree on most inputs, and the few that differ are listed in full in the appendix; "
             "what they have in common is described in\\\\\nAppendix B. A pattern that is common among the small models is that "
             + " ".join(rng.choice(WORDS) for _ in range(60)) + ".\n\n")
    body += ("\\begin{center}\\begin{tabular}{lll}\n\\textbf{Model} & \\textbf{Reference} & \\textbf{Accuracy} \\\\\n"
             "Tiny & Wu (2021) & 71.2 \\\\\nSmall & R\\'e (2022) & 74.8 \\\\\n\\end{tabular}\\end{center}\n")
    body += _paragraphs(rng, 6)
    body += "\\begin{thebibliography}{9}\n" + "".join(f"\\bibitem{{b{i}}} A.~Author. Efficient things, part {i}. 2021.\n" for i in range(8))
    return head + body + "\\end{thebibliography}\n\\end{document}\n"


@pytest.fixture(scope="module")
def papers(tmp_path_factory) -> dict[str, Path]:
    """One camera-ready per footer, compiled once."""
    if shutil.which("pdflatex") is None:
        pytest.skip("needs pdflatex")
    root = tmp_path_factory.mktemp("detectors")
    shutil.copy(DATA / "latex" / "neuripslike.sty", root / "neuripslike.sty")
    made = {}
    for case, notice in NOTICES.items():
        (root / f"{case}.tex").write_text(_document(notice), encoding="utf-8")
        subprocess.run(["pdflatex", "-interaction=batchmode", "-halt-on-error", f"{case}.tex"], cwd=root, check=True,
                       capture_output=True, timeout=120)
        made[case] = root / f"{case}.pdf"
    return made


def _paper(**fields) -> Paper:
    data = {"id": "x", "title": TITLE, "abstract": "a", "presentation": "oral",
            "authors": [{"name": "Ana Wu"}, {"name": "Christopher Ré"}, {"name": "Mikołaj Piórczyński"}]}
    return Paper(**{**data, **fields})


@pytest.mark.latex
def test_footnote_marks_split_accents_and_a_macron_hide_no_author(papers):
    facts = read_pdf(papers["main-conference"])
    assert "⇤" in facts.first_page_text  # the real papers' broken mark, reproduced
    assert facts.review_marks == []
    block = " ".join(line[0] for line in facts.author_block)
    assert "Christopher Ré" in block and "Piórczyński" in block and "Māori" in block
    assert first_page_problems(_paper(), facts) == []
    accents_off = _paper(authors=[{"name": "Christopher Re"}, {"name": "Mikolaj Piorczynski"}, {"name": "Ana Wu"}])
    assert first_page_problems(accents_off, facts) == []  # accents do not matter either way


@pytest.mark.latex
def test_a_label_among_the_authors_is_not_a_person(papers):
    facts = read_pdf(papers["main-conference"])
    two = _paper(authors=[{"name": "Ana Wu"}, {"name": "Christopher Ré"}])
    problems = [(p.code, p.message) for p in first_page_problems(two, facts)]
    assert problems == [("pdf-author-extra", "page 1 lists Mikołaj Piórczyński, who is not in the metadata")]


@pytest.mark.latex
def test_a_body_line_or_a_table_header_that_begins_with_the_word_is_no_heading(papers):
    """'Appendix B. A pattern that is common among' (a line of a paragraph) and the column header 'Reference'
    come before the real References heading; the content ends at the heading, set in its own line and font."""
    facts = read_pdf(papers["main-conference"])
    assert facts.end_heading == "References"
    assert "Appendix B. A pattern that is common among" in facts.text and "Reference Accuracy" in facts.text.replace("\n", " ")
    pages = facts.text.split("\f") if "\f" in facts.text else None
    body = facts.text[:facts.text.index("\nReferences\n")]
    assert "Appendix B. A pattern" in body and "Reference" in body  # both come before the heading that ends the content
    assert facts.references_page == 3 and 2 < facts.content_pages < 3 and pages is None


@pytest.mark.latex
@pytest.mark.parametrize("case, codes", [
    ("main-conference", {"pdf-main-conference-footer"}),
    ("workshop", set()),
    ("submitted", {"pdf-submission-notice"}),
])
def test_the_footer_is_judged_against_the_workshop(papers, case, codes):
    facts = read_pdf(papers[case])
    problems = paper_problems(_paper(), PaperPdf("x", "x.pdf", None, facts), WORKSHOP)
    assert {p.code for p in problems} == codes, [p.message for p in problems]
    assert all(p.level == "warning" for p in problems) and not {p.code for p in problems} & UNPUBLISHABLE
    if case == "main-conference":
        assert problems[0].message.startswith(f"page 1's footer names the main conference ({MAIN_NOTICE!r}), not the workshop")


@pytest.mark.latex
def test_the_same_footer_names_the_workshop_of_another_year_only_by_its_own_names(papers):
    """Nothing of one year is in the code: a workshop called after the main conference's topic is named by its footer."""
    facts = read_pdf(papers["main-conference"])
    neural = Workshop.model_construct(title="Workshop on Neural Information Processing Systems", short_name="NIPS-W", venue="NeurIPS 2022", year=2022)
    assert footer_problems(facts, neural) == []
    later = Workshop.model_construct(title="The 3rd Workshop on Tiny Models", short_name="TM-III", venue="NeurIPS 2023", year=2023)
    [problem] = footer_problems(facts, later)
    assert problem.code == "pdf-main-conference-footer" and ", of 2022" in problem.message


def _scaled_font_pdf() -> bytes:
    """A page 1 whose every font is set at size 1 and scaled by the text matrix (as PDF rewriters write them)."""
    def text(size: float, y: float, line: str, font: str = "F1") -> bytes:
        return b"BT /%s 1 Tf %g 0 0 %g 72 %g Tm (%s) Tj ET\n" % (font.encode(), size, size, y, line.encode("latin-1"))

    rng = random.Random(3)
    content = text(17, 700, "Tiny Models on Tiny Phones", "F2") + text(10, 660, "Ana Wu, Bo Park", "F2")
    content += text(10, 646, "Example University") + text(12, 610, "Abstract", "F2")
    for i in range(30):
        content += text(10, 590 - 12 * i, " ".join(rng.choice(WORDS) for _ in range(11)))
    return _pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R /F2 6 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        _stream(content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold >>",
    ])


def test_fonts_set_at_size_1_in_a_scaled_matrix_are_read_at_their_printed_size(tmp_path):
    path = tmp_path / "scaled.pdf"
    path.write_bytes(_scaled_font_pdf())
    facts = read_pdf(path)
    sizes = {line[0]: line[1] for line in facts.author_block}
    assert sizes["Tiny Models on Tiny Phones"] == 17 and sizes["Ana Wu, Bo Park"] == 10
    assert facts.review_marks == []  # the names are smaller than the title: page 1 names its authors
    paper = Paper(id="x", title="Tiny Models on Tiny Phones", abstract="a", presentation="oral", authors=[{"name": "Ana Wu"}, {"name": "Bo Park"}])
    assert first_page_problems(paper, facts) == []


@pytest.mark.latex
def test_a_camera_ready_with_a_leftover_submission_footer_is_published_and_never_called_a_review_copy(papers, tmp_path):
    """Its page links the PDF and says nothing of a review copy (the card neither); build lists the warning."""
    from conftest import run_build
    from synthetic import SynthPaper, workshop_yaml, write_workshop

    authors = [{"name": "Ana Wu"}, {"name": "Christopher Ré"}, {"name": "Mikołaj Piórczyński"}]
    _conf, papers_dir = write_workshop(tmp_path, [SynthPaper("tiny", TITLE, authors, "An abstract.", pages=None)], workshop=workshop_yaml())
    shutil.copy(papers["submitted"], papers_dir / "tiny.pdf")
    assert run_build(tmp_path) == 0
    site = tmp_path / "site"
    page = (site / "papers" / "tiny.html").read_text(encoding="utf-8")
    listing = (site / "papers" / "index.html").read_text(encoding="utf-8")
    assert (site / "papers" / "tiny.pdf").is_file() and "not yet available" not in page
    assert "review copy" not in page.lower() and "review copy" not in listing.lower()
