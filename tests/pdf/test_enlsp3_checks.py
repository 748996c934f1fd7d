"""`check` on the next edition's real files: ENLSP-III's 78 camera-readies (../shared/enlsp-iii-2023-source),
with the metadata of its accepted-papers list, against tests/data/enlsp3_checks.yaml (content pages measured
by hand, and every problem code, each verified by eye on page 1).

The files came after the checks were written (ENLSP-II's were the only real ones then); they are what made
the detectors work by mechanism: fonts set at size 1 in a scaled matrix, accents printed apart from their
letters, names side by side without commas, a leftover submission footer or line numbers on a camera-ready
that prints its authors, and main-conference footers on workshop papers."""

from __future__ import annotations

import re

import pytest
import yaml

from conftest import REPO
from enlsp_proceedings.model.schema import PagePolicy, Paper, Person, Workshop
from enlsp_proceedings.pdf.check import UNPUBLISHABLE, paper_problems
from enlsp_proceedings.pdf.extract import extract_all
from enlsp_proceedings.pdf.facts import PaperPdf

SOURCE = REPO.parent / "shared" / "enlsp-iii-2023-source"
TRUTH = yaml.safe_load((REPO / "tests" / "data" / "enlsp3_checks.yaml").read_text(encoding="utf-8"))
needs_source = pytest.mark.skipif(not (SOURCE / "papers").is_dir() or not (SOURCE / "_data" / "accepted_papers.yml").is_file(),
                                  reason="the real ENLSP-III data is not in ../shared/enlsp-iii-2023-source")
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def _author(text: str) -> Person:
    """One author of the list: "Name (Affiliation)*", the affiliation in the last balanced parentheses
    ("Bharat Runwal (Indian Institute of Technology(IIT), Delhi)"); "*" marks the contact author."""
    text = text.strip().rstrip("*").strip()
    if text.endswith(")"):
        depth = 0
        for i in range(len(text) - 1, -1, -1):
            depth += {")": 1, "(": -1}.get(text[i], 0)
            if depth == 0:
                return Person(name=text[:i].strip(), affiliation=text[i + 1:-1].strip() or None)
    return Person(name=text)


def load_papers() -> list[Paper]:
    """The accepted papers of _data/accepted_papers.yml (a JSON list that YAML reads) as this project's
    papers: id cmt-<CMT id>, the PDF paper_<CMT id>.pdf, authors split at ";", control characters blanked."""
    entries = yaml.safe_load((SOURCE / "_data" / "accepted_papers.yml").read_text(encoding="utf-8"))
    papers = []
    for entry in entries:
        clean = {k: _CONTROL.sub(" ", str(v)) for k, v in entry.items()}
        papers.append(Paper(id=f"cmt-{clean['id']}", title=" ".join(clean["title"].split()), abstract=clean["abstract"] or "-",
                            presentation="poster", pdf=f"paper_{clean['id']}.pdf", review_id=f"cmt:{clean['id']}",
                            authors=[_author(a) for a in clean["authors"].split(";") if a.strip()]))
    return papers


def workshop() -> Workshop:
    """The workshop's names and page policy, as tests/data/enlsp3_checks.yaml records them from index.md."""
    data = dict(TRUTH["workshop"])
    data["page_policy"] = PagePolicy(**data["page_policy"])
    return Workshop.model_construct(**data)


@pytest.fixture(scope="module")
def checked(tmp_path_factory) -> dict[int, tuple[Paper, PaperPdf, list]]:
    """CMT id -> (paper, its PDF's entry, the problems `check` reports), every real PDF read once (in parallel)."""
    papers = [p for p in load_papers() if (SOURCE / "papers" / p.pdf_name).is_file()]
    pdfs = extract_all(papers, SOURCE / "papers", tmp_path_factory.mktemp("cache"))
    rules = workshop()
    return {int(p.id[4:]): (p, pdfs[p.id], paper_problems(p, pdfs[p.id], rules)) for p in papers}


@needs_source
def test_ground_truth_covers_every_real_camera_ready():
    present = {int(m[1]) for path in (SOURCE / "papers").glob("paper_*.pdf") if (m := re.fullmatch(r"paper_(\d+)\.pdf", path.name))}
    assert len(present) == 78 and sorted(TRUTH["papers"]) == sorted(present)
    assert all(entry.get("note") for entry in TRUTH["papers"].values())


@needs_source
def test_the_authors_list_is_read_like_the_import():
    papers = {p.id: p for p in load_papers()}
    assert len(papers) == 80
    assert [(a.name, a.affiliation) for a in papers["cmt-10"].authors][0] == ("Bharat Runwal", "Indian Institute of Technology(IIT), Delhi")


@pytest.mark.slow  # reads every real camera-ready
@needs_source
@pytest.mark.parametrize("number", sorted(TRUTH["papers"]))
def test_content_pages_of_enlsp3_are_within_a_tenth_of_a_page(checked, number):
    truth = TRUTH["papers"][number]
    facts = checked[number][1].facts
    assert facts is not None and facts.ok
    assert abs(facts.content_pages - truth["content_pages"]) <= 0.1, (facts.content_pages, truth)
    assert facts.references_page == truth["page"] and facts.end_heading == truth["heading"]
    if "acknowledgments" in truth:
        assert facts.acknowledgments is not None and all(abs(a - b) <= 0.1 for a, b in zip(facts.acknowledgments, truth["acknowledgments"], strict=True))
    else:
        assert facts.acknowledgments is None


@pytest.mark.slow  # checks every real camera-ready
@needs_source
@pytest.mark.parametrize("number", sorted(TRUTH["papers"]))
def test_check_names_every_real_problem_of_enlsp3_and_no_false_one(checked, number):
    """The problem codes of each paper, as verified by eye (the note in the YAML says what was seen)."""
    truth = TRUTH["papers"][number]
    problems = [p for p in checked[number][2] if p.level != "note"]  # notes explain a pass (the page policy); they are no problem
    assert sorted(p.code for p in problems) == sorted(truth["codes"]), (truth["note"], [p.message for p in problems])


@pytest.mark.slow
@needs_source
def test_the_false_calls_of_the_issue_are_gone(checked):
    """The calls the customer reported as false, each by its mechanism, and the real ones still found."""
    def codes(number: int) -> set[str]:
        return {p.code for p in checked[number][2]}

    def messages(number: int, code: str) -> list[str]:
        return [p.message for p in checked[number][2] if p.code == code]

    # a leftover "Submitted to ... Do not distribute" on a camera-ready printing its authors: a warning, published
    assert codes(64) == {"pdf-submission-notice"} and all(p.level == "warning" for p in checked[64][2])
    assert "Do not distribute" in messages(64, "pdf-submission-notice")[0]
    # line numbers on a camera-ready printing its authors: a warning too; the name printed short is a variant
    assert "pdf-line-numbers" in codes(49) and not codes(49) & UNPUBLISHABLE
    assert messages(49, "pdf-author-variant") == ["page 1 has 'Mohamed Nabih Ali', the metadata 'Mohamed Nabih Ali Mohamed Nawar'"]
    # the real review copy is still an error
    [review] = messages(66, "pdf-review-copy")
    assert "'Anonymous Author(s)'" in review and "line numbers (1–36)" in review
    # fonts at size 1 in a scaled matrix do not make page 1 look anonymous
    assert checked[4][1].facts.review_marks == [] and "pdf-anonymous-camera-ready" not in codes(4)
    assert "pdf-anonymous-camera-ready" in codes(82)  # nothing at all between title and abstract
    # accents printed apart from their letters do not hide an author
    for number in (22, 37, 40):
        assert not codes(number) & {"pdf-author-missing", "pdf-author-variant"}, checked[number][2]
    # a main-conference footer on a workshop paper, of this year or another
    assert "'37th Conference on Neural Information Processing Systems (NeurIPS 2023).'" in messages(2, "pdf-main-conference-footer")[0]
    assert "of 2022" in messages(95, "pdf-main-conference-footer")[0]
    assert sum("pdf-main-conference-footer" in codes(n) for n in checked) == 42
    assert "R0-FoMo" in messages(86, "pdf-other-venue-footer")[0]
    # the real spelling differences stay
    assert set(messages(9, "pdf-author-variant")) == {"page 1 has 'Wenfei Zhou', the metadata 'Wenfei Zou'",
                                                      "page 1 has 'Karthik Lakashman', the metadata 'Karthik Lakshmanan'"}
    assert messages(72, "pdf-author-variant") == ["page 1 has 'Fatemehsadat Mireshghallah', the metadata 'Niloofar Mireshghallah'"]
    # an affiliation named only differently is no mismatch; a different institution is, naming both
    assert "pdf-affiliation-mismatch" not in codes(23) | codes(28) | codes(50) | codes(96)
    [moved] = messages(7, "pdf-affiliation-mismatch")
    assert "'Facebook AI Research', Awni Hannun's affiliation in the metadata" in moved and "Apple" in moved


@pytest.mark.slow
@needs_source
def test_a_published_camera_ready_is_never_called_a_review_copy(checked):
    """Only the paper whose page 1 is anonymous and carries a review copy's marks is withheld."""
    withheld = {n for n, (_p, _e, problems) in checked.items() if any(p.level == "error" and p.code in UNPUBLISHABLE for p in problems)}
    assert withheld == {66}
    assert not any("anonymized review copy" in p.message for n, (_p, _e, problems) in checked.items() if n != 66 for p in problems)
