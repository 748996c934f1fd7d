"""What a reader sees in the built pages: counts, links, icons, valid markup, people (HTML-level checks)."""

from __future__ import annotations

import re
from pathlib import Path

from enlsp_proceedings.model.people import PeopleIndex
from enlsp_proceedings.model.schema import Paper, Person, Proceedings, Workshop
from synthetic import workshop_yaml


def page(site: Path, name: str) -> str:
    return (site / name).read_text(encoding="utf-8")


def test_home_and_papers_list_count_the_same_groups(small_site):
    site = small_site / "site"
    home, papers = page(site, "index.html"), page(site, "papers/index.html")
    home_groups = re.findall(r'<p class="enlsp-group-title"><strong>([^<]+ \(\d+\))</strong>', home)
    list_groups = re.findall(r"<h2>([^<]+ \(\d+\))<a", papers)
    assert home_groups == list_groups == ["Oral presentations (1)", "Spotlight presentations (1)", "Posters (1)"]  # every track, by kind
    assert "All papers with abstracts" not in home and "All papers, with PDFs and filters" in home


def test_each_paper_card_links_its_pdf_directly(small_site):
    papers = page(small_site / "site", "papers/index.html")
    assert '<a href="alpha.pdf" aria-label="PDF of Quantizing DistilHuBERT for Müller&#39;s Speech">PDF</a> · 5 pages' in papers
    assert '<a href="beta.pdf"' in papers and '<a href="gamma.pdf"' not in papers  # gamma is pending
    assert "Camera-ready pending" in papers


def test_calendar_links_use_the_theme_icon_not_an_emoji(small_site):
    site = small_site / "site"
    for name in ("schedule.html", "papers/alpha.html", "keynotes/kay-note.html"):
        text = page(site, name)
        assert "📅" not in text, name
        assert re.search(r'<a class="enlsp-ics" href="[^"]+\.ics"><span><span class="fa-regular fa-calendar-plus enlsp-icon" aria-hidden="true"></span>', text), name


def test_awards_use_the_theme_trophy_icon_not_an_emoji(tmp_path):
    from conftest import run_build
    from synthetic import SynthPaper, write_workshop

    write_workshop(tmp_path, [SynthPaper("won", "A <Prize> Paper", [{"name": "Ana Silva"}], "x", pages=None, extra={"award": "Best <b>Paper</b>"})],
                   make_pdfs=False)
    assert run_build(tmp_path) == 0
    site = tmp_path / "site"
    for name in ("index.html", "papers/index.html", "papers/won.html"):
        text = page(site, name)
        assert "🏆" not in text and "<b>Paper</b>" not in text, name
        assert re.search(r'<span class="fa-solid fa-trophy enlsp-icon" aria-hidden="true"></span>Best &lt;b&gt;Paper&lt;/b&gt;', text), name


def test_cite_tabs_have_no_aria_controls_on_labels(small_site):
    text = page(small_site / "site", "papers/alpha.html")
    labels = re.findall(r"<label [^>]*>", text)
    assert labels and not [label for label in labels if "aria-controls" in label]
    assert all(f'for="sd-tab-item-{i}"' in text for i in range(4))


def test_404_page_links_relative_to_a_base_it_can_move(small_site):
    text = page(small_site / "site", "404.html")
    head = text.split("</head>")[0]
    assert head.index("<base href=\"/synth/\">") < head.index("<link")
    assert 'location.pathname.indexOf(p)!==0' in head
    assert not re.search(r'\s(?:href|src)="/synth/', text.split("</script>", 1)[1])  # every link but the base follows the base
    assert 'href="_static/enlsp.css' in text and 'href="papers/index.html"' in text


def test_affiliations_differing_only_in_apostrophe_style_are_one():
    workshop = Workshop.model_validate(workshop_yaml())
    papers = [
        Paper(id="a", title="A", abstract="x", presentation="oral", authors=[Person(name="Lu Hou", affiliation="Huawei Noah's Ark Lab")]),
        Paper(id="b", title="B", abstract="x", presentation="oral", authors=[Person(name="Lu Hou", affiliation="Huawei Noah’s Ark Lab")]),
        Paper(id="c", title="C", abstract="x", presentation="oral", authors=[Person(name="Lu Hou", affiliation="Huawei  Noah's Ark Lab ")]),
        Paper(id="d", title="D", abstract="x", presentation="oral", authors=[Person(name="Lu Hou", affiliation="McGill University")]),
    ]
    record = PeopleIndex(Proceedings(workshop=workshop, papers=papers)).by_slug["lu-hou"]
    assert record.affiliations == ["Huawei Noah's Ark Lab", "McGill University"]


def test_authors_index_tells_committee_members_from_authors(small_site):
    text = page(small_site / "site", "authors/index.html")
    assert "authors and speakers, and" in text and "organizers, volunteers and committee members who are not" in text
    assert 'class="enlsp-filters enlsp-people-filter"' in text and "enlsp-filters.js" in text
    tara = re.search(r'<p class="enlsp-group-(\w+)"><a href="tara-reviewer.html">', text)
    muller = re.search(r'<p class="enlsp-group-(\w+)"><a href="jurgen-muller.html">', text)
    assert tara and tara.group(1) == "committee" and muller and muller.group(1) == "contributor"  # an author who also reviews


def test_canonical_names_follow_the_aliases_of_a_model_copy():
    """The variant -> name table is per instance and per alias list: `model_copy(update=...)` runs no
    validator and shares private attributes, yet the copy must use its own aliases (and the original keep its)."""
    from enlsp_proceedings.model.schema import Alias, People

    workshop = Workshop.model_validate(workshop_yaml())
    papers = [Paper(id="a", title="A", abstract="x", presentation="oral", authors=[Person(name="L. Hou")])]
    proc = Proceedings(workshop=workshop, papers=papers, people=People(aliases=[Alias(name="Lu Hou", variants=["L. Hou"])]))
    assert proc.canonical_name("L. Hou") == "Lu Hou"
    copy = proc.model_copy(update={"people": People(aliases=[Alias(name="Lin Hou", variants=["L. Hou"])])})
    assert copy.canonical_name("L. Hou") == "Lin Hou"
    assert proc.canonical_name("L. Hou") == "Lu Hou"
    assert proc.model_copy(update={"people": People()}).canonical_name("L. Hou") == "L. Hou"
    assert copy.canonical_name("L. Hou") == "Lin Hou" and proc.canonical_name("Lu Hou") == "Lu Hou"
    # the remembered table is not part of the value: a used and an unused volume are still equal
    assert proc == Proceedings.model_validate(proc.model_dump())
