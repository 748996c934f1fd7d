"""Compound family names of the real ENLSP-II archive ("Niama El Khbir", "Vahid Partovi Nia"),
declared with ``family:`` in conf/, are filed and cited under the whole family name: BibTeX, RIS,
CSL-JSON, Google Scholar's tags, papers.json and the authors index."""

from __future__ import annotations

import json
import re

import bibtexparser
import pytest
from bibtexparser.middlewares import SeparateCoAuthors, SplitNameParts

from conftest import REPO
from enlsp_proceedings.model.load import load_proceedings
from enlsp_proceedings.outputs import citation, cite
from enlsp_proceedings.outputs.volume import Volume
from enlsp_proceedings.sphinxext.headmeta import scholar_tags
from enlsp_proceedings.sphinxext.pages import PAGES, Page

#: name -> (family, given): the issue's two and the two page 1's e-mail addresses give
COMPOUND = {
    "Niama El Khbir": ("El Khbir", "Niama"),
    "Vahid Partovi Nia": ("Partovi Nia", "Vahid"),
    "Khaleelulla Khan Nazeer": ("Khan Nazeer", "Khaleelulla"),
    "Samira Ebrahimi Kahou": ("Ebrahimi Kahou", "Samira"),
}


@pytest.fixture(scope="module")
def volume() -> Volume:
    return Volume(load_proceedings(REPO / "conf" / "2022"), {})


def papers_of(volume: Volume, name: str):
    found = [p for p in volume.proc.papers if any(a.name == name for a in p.authors)]
    assert found, name
    return found


def test_bibtex_ris_csl_and_scholar_use_the_whole_family_name(volume):
    for name, (family, given) in COMPOUND.items():
        for paper in papers_of(volume, name):
            [author] = [a for a in paper.authors if a.name == name]
            assert cite.bibtex_name(author) == f"{family}, {given}"
            assert cite.ris_name(author) == f"{family}, {given}"
            assert f"AU  - {family}, {given}\n" in citation.ris(volume.paper_citation(paper))
            assert {"family": family, "given": given} in citation.csl(volume.paper_citation(paper))["author"]
            assert f'<meta name="citation_author" content="{family}, {given}">' in scholar_tags(volume, paper.id)
            # the .bib, read back by bibtexparser's name splitting
            library = bibtexparser.parse_string(citation.bibtex(volume.paper_citation(paper)), append_middleware=[SeparateCoAuthors(), SplitNameParts()])
            [entry] = library.entries
            parts = [n for n in entry.fields_dict["author"].value if n.first == [given]]
            assert [" ".join(p.last) for p in parts] == [family], name


def test_the_authors_index_files_them_under_their_family_name(volume):
    shown = PAGES["author-index"].shows(volume, None)
    letters = {name: letter for name, _slug, _roles, letter in shown.people}
    assert letters["Niama El Khbir"].upper().startswith("E") and letters["Vahid Partovi Nia"].upper().startswith("P")
    assert letters["Khaleelulla Khan Nazeer"].upper().startswith("K") and letters["Samira Ebrahimi Kahou"].upper().startswith("E")
    [section] = PAGES["author-index"].render(Page("authors/index"), shown)
    by_letter = {s["ids"][0]: s.astext() for s in section.findall(lambda n: n.tagname == "section" and n["ids"][0].startswith("letter-"))}
    assert "Niama El Khbir" in by_letter["letter-e"] and "Niama El Khbir" not in by_letter["letter-k"]
    assert "Vahid Partovi Nia" in by_letter["letter-p"] and "Vahid Partovi Nia" not in by_letter.get("letter-n", "")
    # in order: "El Khbir" sorts between "Ebrahimi Kahou" and "Fan" ...
    names = [name for name, *_ in shown.people]
    assert names.index("Samira Ebrahimi Kahou") < names.index("Niama El Khbir")


def test_every_family_declared_in_conf_says_where_it_comes_from():
    """A declared family name is a fact about a real person: conf/ says its source next to it."""
    for name in ("papers.yaml", "people.yaml"):
        lines = (REPO / "conf" / "2022" / name).read_text(encoding="utf-8").splitlines()
        for index, line in enumerate(lines):
            if re.search(r"\bfamily: ", line):
                context = "\n".join(lines[max(0, index - 3):index + 1])
                assert "# source:" in context, (name, line)


def test_papers_json_carries_the_declared_family_names(volume):
    data = json.loads(json.dumps(volume.papers_json(), ensure_ascii=False))
    families = {a["name"]: a.get("family") for p in data["papers"] for a in p["authors"]}
    for name, (family, _given) in COMPOUND.items():
        assert families[name] == family


@pytest.mark.parametrize(("name", "family"), [("Mihaela van der Schaar", "van der Schaar"), ("Ali ibn Omar", "ibn Omar"),
                                               ("Joana das Neves", "das Neves"), ("Hao Sun", "Sun")])
def test_citations_and_the_first_page_check_take_the_family_name_by_one_list_of_particles(name, family):
    """One list of particles (`model.people.PARTICLES`): the citation's family name is the one the
    camera-ready check looks for on page 1 (the two lists differed: "ibn", "das")."""
    from enlsp_proceedings.model.schema import Person
    from enlsp_proceedings.pdf.check import _family_words

    assert cite.split_name(name)[1] == family
    assert " ".join(_family_words(Person(name=name))) == family
