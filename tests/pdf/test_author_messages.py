"""`check` for authors: the right words for a paper whose authors no source names (the site shows
"Authors unknown"), `pdf-authors-unchecked` whenever page 1 was not compared, and a word when the
page policy turns an apparent overrun into a pass."""

from __future__ import annotations

from enlsp_proceedings.model.schema import UNKNOWN_AUTHORS, Paper, Person
from enlsp_proceedings.pdf.check import first_page_problems, paper_problems
from enlsp_proceedings.pdf.facts import PaperPdf, PdfFacts

ANONYMOUS_BYLINE = PdfFacts("0", 1, pages=5, content_pages=4.0, first_page_text="Tiny Models\nAnonymous Author(s)\nAbstract\n...",
                            author_block=[["Tiny Models", 17.2, True], ["Anonymous Author(s)", 10.0, True]],
                            review_marks=["page 1 names 'Anonymous Author(s)' as its author"])


def unknown(**kw) -> Paper:
    return Paper(id="x", title="Tiny Models", authors=[], abstract="a", presentation="oral", **kw)


def test_a_paper_with_unknown_authors_and_an_anonymous_byline_is_reported_unchecked():
    """The early return for anonymous bylines skipped the warning the README promises."""
    [unchecked] = first_page_problems(unknown(), ANONYMOUS_BYLINE)
    assert (unchecked.level, unchecked.code) == ("warning", "pdf-authors-unchecked")
    assert unchecked.message == ("conf/papers.yaml lists no authors for this paper, so the site shows 'Authors unknown' and page 1 was "
                                 "not compared; page 1 names none either (authors: send the organizers your author list)")


def test_an_anonymized_camera_ready_of_a_paper_with_unknown_authors_says_what_the_site_shows():
    problems = paper_problems(unknown(), PaperPdf("x", "x.pdf", None, ANONYMOUS_BYLINE), 4)
    assert [p.code for p in problems] == ["pdf-anonymous-camera-ready", "pdf-authors-unchecked"]
    assert problems[0].message.endswith(f"the site shows {UNKNOWN_AUTHORS!r} (conf/papers.yaml names no authors either)")
    assert "the authors of conf/papers.yaml" not in problems[0].message
    known = Paper(id="x", title="Tiny Models", authors=[Person(name="Bo Park")], abstract="a", presentation="oral")
    [anonymized] = paper_problems(known, PaperPdf("x", "x.pdf", None, ANONYMOUS_BYLINE), 4)
    assert anonymized.message.endswith("the site shows the authors of conf/papers.yaml")


def test_unknown_authors_with_a_byline_lists_the_names_on_page_1():
    facts = PdfFacts("0", 1, pages=5, first_page_text="Tiny Models\nBo Park\nAbstract\n...", author_block=[["Tiny Models", 17.2, True], ["Bo Park", 10.0, True]])
    [unchecked] = first_page_problems(unknown(), facts)
    assert unchecked.message == ("conf/papers.yaml lists no authors for this paper, so the site shows 'Authors unknown' and page 1 was "
                                 "not compared; page 1 lists Bo Park (authors: send the organizers your author list)")


def test_the_author_learns_that_the_acknowledgments_made_the_difference():
    """A paper at 4.12 pages against a limit of 4 passes because its acknowledgments do not count: `check --paper` says so."""
    from enlsp_proceedings.model.schema import PagePolicy, Workshop

    facts = PdfFacts("0", 1, pages=7, content_pages=4.12, references_page=5, end_heading="References", acknowledgments=[4.0, 4.12],
                     first_page_text="Tiny Models\nBo Park\nAbstract", author_block=[["Tiny Models", 17.2, True], ["Bo Park", 10.0, True]])
    paper = Paper(id="x", title="Tiny Models", authors=[Person(name="Bo Park")], abstract="a", presentation="oral")
    workshop = Workshop.model_construct(page_limit=4, page_policy=PagePolicy(acknowledgments_count=False), tracks=[], paper_types=[])
    [note] = paper_problems(paper, PaperPdf("x", "x.pdf", None, facts), workshop)
    assert (note.level, note.code) == ("note", "pdf-within-limit-by-policy") and "0.12 page of acknowledgments is not counted" in note.message
