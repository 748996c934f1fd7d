"""A paper with thousands of authors (a collaboration) is written in full once, on its own page;
everything else names its first authors and says how many more.

Before: one paper with 2,000 authors built in 117 s on a quiet machine and wrote 306 MB of author
pages: each of its 2,000 authors' pages (158 KB) repeated the whole list on the paper's card and
200 co-authors, and the paper page was 732 KB. Measured here, 10 other papers beside it: 334 MB
site, author pages of 166 KB; after: 29 MB, 5.7 KB (see the commit for times).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from enlsp_proceedings.model.people import AUTHORS_SHOWN, LONG_AUTHOR_LIST, PeopleIndex
from enlsp_proceedings.model.schema import Paper, Proceedings, Workshop
from enlsp_proceedings.outputs import cite
from enlsp_proceedings.outputs.volume import Volume
from enlsp_proceedings.sphinxext.pages.common import author_names, paper_card, shown_authors
from synthetic import SynthPaper, random_papers, workshop_yaml, write_workshop


def _collab(n: int) -> dict:
    return {"id": "collab", "title": "A Big Collaboration", "abstract": "We are many.", "presentation": "poster",
            "authors": [{"name": f"Member{i:05d} Collab", "affiliation": f"Lab {i % 7}"} for i in range(n)]}


def _normal(ident: str, names: list[str]) -> dict:
    return {"id": ident, "title": f"Paper {ident}", "abstract": "A.", "presentation": "oral", "authors": [{"name": n} for n in names]}


def _volume(*papers: dict) -> Volume:
    return Volume(Proceedings.model_validate({"workshop": workshop_yaml(), "papers": list(papers)}), {})


def test_a_long_lists_authors_are_not_each_others_co_authors():
    volume = _volume(_collab(2_000), _normal("small", ["Member00001 Collab", "Ann Lee", "Bo Chen"]))
    people = volume.people
    member = people.by_slug[people.slug("Member00001 Collab")]
    assert member.papers == ["collab", "small"]
    assert sorted(member.coauthors) == ["ann-lee", "bo-chen"]  # from the ordinary paper only
    assert people.by_slug[people.slug("Member01999 Collab")].coauthors == []
    # an ordinary list, one name under the limit, keeps its co-authors
    names = [f"Person{i:03d} Ordinary" for i in range(LONG_AUTHOR_LIST)]
    index = PeopleIndex(Proceedings.model_validate({"workshop": workshop_yaml(), "papers": [_normal("p", names)]}))
    assert len(index.by_slug[index.slug(names[0])].coauthors) == LONG_AUTHOR_LIST - 1


def test_cards_lists_and_the_schedule_name_the_first_authors_and_count_the_rest():
    volume = _volume(_collab(2_000), _normal("small", ["Ann Lee", "Bo Chen"]))
    card = paper_card(volume, "collab")
    assert [a.name for a in card.authors] == [f"Member{i:05d} Collab" for i in range(AUTHORS_SHOWN)] and card.more == 2_000 - AUTHORS_SHOWN
    assert author_names(volume, volume.papers_by_id["collab"]).endswith("Member00009 Collab, and 1,990 more")
    assert author_names(volume, volume.papers_by_id["small"]) == "Ann Lee, Bo Chen"
    assert paper_card(volume, "small").more == 0
    assert shown_authors(list(range(LONG_AUTHOR_LIST))) == (list(range(LONG_AUTHOR_LIST)), 0)
    assert shown_authors(list(range(LONG_AUTHOR_LIST + 1))) == (list(range(AUTHORS_SHOWN)), LONG_AUTHOR_LIST + 1 - AUTHORS_SHOWN)


def test_citations_of_the_first_authors_say_and_others():
    paper = Paper.model_validate(_collab(3))
    workshop = Workshop.model_validate(workshop_yaml())
    entry = cite.to_bibtex([cite.paper_entry(paper, workshop, "k", "https://example.org/p", et_al=True)])
    assert re.search(r"author = \{Collab, Member00000 and Collab, Member00001 and Collab, Member00002 and others\}", entry)
    assert cite.to_acl_text(paper, workshop, et_al=True).startswith("Member00000 Collab, Member00001 Collab, Member00002 Collab, et al. 2031.")
    assert cite.to_markdown(paper, workshop, "https://x", et_al=True).startswith("Member00000 Collab, Member00001 Collab, Member00002 Collab, et al. 2031.")
    assert cite.to_acl_text(paper, workshop).startswith("Member00000 Collab, Member00001 Collab, and Member00002 Collab. 2031.")  # unchanged


@pytest.fixture(scope="module")
def collab_site(tmp_path_factory) -> Path:
    """Three ordinary papers and one of 300 authors (over the limit), built."""
    from conftest import run_build

    root = tmp_path_factory.mktemp("collab")
    papers = random_papers(3, seed=5)
    authors = [{"name": f"Member{i:05d} Collab", "affiliation": f"Lab {i % 7}"} for i in range(300)]
    papers.append(SynthPaper("collab", "A Big Collaboration", authors, "We are many.", presentation="poster", pages=3))
    write_workshop(root, papers, schedule=[{"start": "09:00", "end": "09:30", "paper": "collab"}])
    assert run_build(root) == 0
    return root / "site"


def _body(page: Path) -> str:
    text = page.read_text(encoding="utf-8")
    return text[text.index("<body"):]


def test_the_paper_page_writes_the_list_once_and_links_to_it(collab_site):
    body = _body(collab_site / "papers" / "collab.html")
    for i in range(AUTHORS_SHOWN):  # the first ones at the top, and in the list
        assert body.count(f">Member{i:05d} Collab</a>") == 2, i
    for i in range(AUTHORS_SHOWN, 300):  # every other author once (the head's metadata for Scholar aside)
        assert body.count(f">Member{i:05d} Collab</a>") == 1, i
    assert 'href="#all-authors">and 290 more</a>' in body and 'id="all-authors"' in body and "All 300 authors" in body
    assert "and others}" in body and "et al. 2031." in body and "The RIS file lists all 300 authors" in body
    assert (collab_site / "papers" / "collab.bib").read_text(encoding="utf-8").count(" and ") == 299  # the files list them all
    assert (collab_site / "papers" / "collab.ris").read_text(encoding="utf-8").count("AU  - ") == 300


def test_author_pages_lists_and_the_schedule_do_not_repeat_the_list(collab_site):
    for page in ("authors/member00299-collab.html", "authors/member00000-collab.html", "papers/index.html", "index.html", "schedule.html"):
        body = _body(collab_site / page)
        assert "Member00150 Collab" not in body, page  # never the whole list
        assert "and 290 more" in body, page
    assert 'href="papers/collab.html#all-authors">and 290 more</a>' in _body(collab_site / "schedule.html")
    member = _body(collab_site / "authors" / "member00299-collab.html")
    assert "Co-authors" not in member and len(member) < 15_000
