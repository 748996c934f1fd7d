"""The real ENLSP archive as `nox -s build` makes it: ENLSP-II (2022) and ENLSP-III (2023) in one site.

Every address of the ENLSP-II site (built alone from conf/2022, as it was published) still answers
in the archive; a person of both years has one page listing both; any paper of either year is two
clicks from the series home; each edition's old PDF addresses work in its folder.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from links import broken_links

#: The site's machinery, not addresses anyone handed out.
MACHINERY = ("_static/", "_sources/", "pagefind/", ".buildinfo", ".enlsp", "objects.inv")


@pytest.fixture(scope="module")
def archive(real_archive) -> Path:
    """The real two-edition archive (conftest's, built once for this module and the browser tests')."""
    return real_archive


def test_every_address_of_the_enlsp_ii_site_still_answers(archive, real_site):
    old = sorted(p.relative_to(real_site).as_posix() for p in real_site.rglob("*") if p.is_file())
    old = [p for p in old if not p.startswith(MACHINERY)]
    assert len(old) > 400
    missing = [p for p in old if not (archive / p).is_file()]
    assert missing == []
    for path in ("papers/cmt-11.html", "schedule.html", "keynotes/index.html"):  # pages point on to their new address
        page = (archive / path).read_text(encoding="utf-8")
        assert f'<link rel="canonical" href="https://neurips2022-enlsp.github.io/2022/{path}">' in page
    for path in [p for p in old if p.endswith((".pdf", ".bib", ".ics"))]:  # files answer as themselves
        assert (archive / path).read_bytes() == (archive / "2022" / path).read_bytes(), path


def test_no_link_of_any_page_of_the_archive_leads_nowhere(archive):
    """Every href and src of the archive's 700-odd pages (menus, cards, person pages, old addresses,
    the 404 pages' links under their base) names a file of the site, every #fragment an element."""
    assert len(list(archive.rglob("*.html"))) > 700
    assert broken_links(archive) == []


def test_a_person_of_both_years_has_one_page_listing_both(archive):
    page = (archive / "authors" / "danqi-chen.html").read_text(encoding="utf-8")
    assert "ENLSP-III · NeurIPS 2023" in page and "ENLSP-II · NeurIPS 2022" in page
    assert "Building Language Models Based on Retrieval" in page and "Sheared LLaMA" in page
    assert not (archive / "2022" / "authors" / "danqi-chen.html").exists()
    assert not (archive / "2023" / "authors" / "danqi-chen.html").exists()
    for edition in ("2022", "2023"):  # each edition's pages link to that one page
        html = "".join(p.read_text(encoding="utf-8") for p in (archive / edition / "keynotes").glob("*.html"))
        html += "".join(p.read_text(encoding="utf-8") for p in (archive / edition / "papers").glob("*.html"))
        assert "../../authors/danqi-chen.html" in html


def test_any_paper_of_either_year_is_two_clicks_from_the_series_home(archive):
    home = (archive / "index.html").read_text(encoding="utf-8")
    for edition, count in (("2022", 40), ("2023", 80)):
        assert f'href="{edition}/papers/index.html"' in home
        listing = (archive / edition / "papers" / "index.html").read_text(encoding="utf-8")
        linked = set(re.findall(r'href="([a-z0-9-]+)\.html"', listing))
        papers = {p.stem for p in (archive / edition / "papers").glob("*.html")} - {"index"}
        assert len(papers) == count and papers <= linked


def test_the_editions_load_the_series_static_files_and_carry_no_copy_of_their_own(archive):
    """One _static/ for the archive (1.6 MB, where each edition carried its own copy): every stylesheet,
    script, icon and logo an edition's page loads is a file of the series' _static/."""
    loaded = re.compile(r'(?:href|src)="([^"?#]*_static/[^"?#]*)')
    for edition in ("2022", "2023"):
        assert not (archive / edition / "_static").exists()
        pages = sorted((archive / edition).rglob("*.html"))
        assert len(pages) > 60
        for page in pages:
            # 404.html is served at any address: its links are relative to its <base>, the edition's root
            base = archive / edition if page.name == "404.html" and page.parent.name == edition else page.parent
            found = loaded.findall(page.read_text(encoding="utf-8"))
            assert len(found) >= 8, page  # theme, styles, scripts, favicon, logo
            for ref in found:
                target = (base / ref).resolve()
                assert target.is_file() and target.parent.is_relative_to(archive.resolve() / "_static"), (page, ref)


def test_a_person_of_both_years_is_found_once_with_what_they_did_each_year(archive):
    """One search over every edition shows a person once, from their newest edition: the result says
    what they did in every year (it said their newest edition's roles only)."""
    from enlsp_proceedings.outputs.volume import Volume
    from enlsp_proceedings.search.index import search_records

    def person(edition: str, name: str):
        volume = Volume.from_json((archive.parent / ".enlsp-cache" / "series" / edition / "volume.json").read_text(encoding="utf-8"))
        return next(r for r in search_records(volume) if r.kind.startswith("Person") and r.title == name)

    newest, older = person("2023", "Danqi Chen"), person("2022", "Danqi Chen")
    assert newest.kind == "Person · Author · ENLSP-II: Keynote speaker" and not newest.repeated
    assert "ENLSP-II: Keynote speaker" in newest.content
    assert older.kind == "Person · Keynote speaker" and older.repeated  # indexed apart: found by ENLSP-II's own search
    assert person("2023", "Hao Sun").kind == "Person · Author"  # in ENLSP-III only


def test_each_editions_old_pdf_addresses_work_in_its_folder(archive):
    assert (archive / "2023" / "papers" / "paper_11.pdf").is_file() or any((archive / "2023" / "papers").glob("paper_*.pdf"))
    for alias in (archive / "2023" / "papers").glob("paper_*.pdf"):
        number = alias.stem.removeprefix("paper_").removesuffix("_supp")
        if not alias.stem.endswith("_supp"):
            assert alias.read_bytes() == (archive / "2023" / "papers" / f"cmt-{number}.pdf").read_bytes()
    assert (archive / "papers" / "paper_11.pdf").read_bytes() == (archive / "2022" / "papers" / "cmt-11.pdf").read_bytes()


def test_spellings_the_organizers_settled_across_years_are_one_page(archive):
    page = (archive / "authors" / "tiago-h-falk.html").read_text(encoding="utf-8")  # conf/people.yaml's alias
    assert "ENLSP-III · NeurIPS 2023" in page and "ENLSP-II · NeurIPS 2022" in page and "Tiago Falk" in page
    assert not (archive / "authors" / "tiago-falk.html").exists()
    assert (archive / "authors" / "wenhu-chen.html").is_file() and (archive / "authors" / "weizhu-chen.html").is_file()  # distinct


def test_each_edition_is_cited_as_its_own_volume(archive):
    page = (archive / "2023" / "papers" / "cmt-11.html").read_text(encoding="utf-8")
    booktitle = "Proceedings of the 3rd Workshop on Efficient Natural Language and Speech Processing (ENLSP-III)"
    assert f'<meta name="citation_conference_title" content="{booktitle}"' in page or f'content="{booktitle}"' in page
    assert '"isPartOf":{"@type":"Book","name":"' + booktitle + '","url":"https://neurips2022-enlsp.github.io/2023/"}' in page
    assert '<meta name="citation_pdf_url" content="https://neurips2022-enlsp.github.io/2023/papers/cmt-11.pdf"' in page
    bib = (archive / "2023" / "papers" / "cmt-11.bib").read_text(encoding="utf-8")
    assert "({ENLSP}-{III})}" in bib and "https://neurips2022-enlsp.github.io/2023/papers/cmt-11.html" in bib
    assert "DTSTART;TZID=America/Chicago:20231216" in (archive / "2023" / "schedule.ics").read_text(encoding="utf-8")
    assert "20221202" in (archive / "2022" / "schedule.ics").read_text(encoding="utf-8")
    listed = json.loads((archive / "2023" / "papers.json").read_text(encoding="utf-8"))
    assert listed["series"]["edition"] == "2023" and [e["id"] for e in listed["series"]["editions"]] == ["2023", "2022"]


def test_one_list_of_every_paper_filters_by_edition_track_and_presentation(archive):
    page = (archive / "all" / "index.html").read_text(encoding="utf-8")
    assert page.count('data-edition="2023"') == 80 and page.count('data-edition="2022"') == 40
    options = json.loads(html.unescape(re.search(r'data-options="([^"]*)"', page).group(1)))
    assert [e[0] for e in options["edition"]] == ["2023", "2022"]
    assert {"main", "graph", "protein"} <= {t[0] for t in options["track"]}
    assert {"oral", "spotlight", "poster"} <= {p[0] for p in options["presentation"]}
    everything = json.loads((archive / "all" / "papers.json").read_text(encoding="utf-8"))
    assert [(e["edition"], len(e["papers"])) for e in everything["editions"]] == [("2023", 80), ("2022", 40)]
    sitemap = (archive / "sitemap.xml").read_text(encoding="utf-8")
    assert "https://neurips2022-enlsp.github.io/2023/papers/cmt-11.html" in sitemap
    assert "https://neurips2022-enlsp.github.io/authors/danqi-chen.html" in sitemap


def test_every_download_of_the_whole_archive_holds_every_edition(archive):
    import jsonschema

    ris = (archive / "all" / "proceedings.ris").read_text(encoding="utf-8")
    assert ris.count("TY  - ") == 120 and ris.count("ER  - ") == 120
    assert (archive / "2023" / "proceedings.ris").read_text(encoding="utf-8").count("TY  - ") == 80
    everything = json.loads((archive / "all" / "papers.json").read_text(encoding="utf-8"))
    jsonschema.validate(everything, json.loads((archive / "all" / "papers.schema.json").read_text(encoding="utf-8")))
    for edition in ("2022", "2023"):
        jsonschema.validate(json.loads((archive / edition / "papers.json").read_text(encoding="utf-8")),
                            json.loads((archive / edition / "papers.schema.json").read_text(encoding="utf-8")))
    listed = json.loads((archive / "editions.json").read_text(encoding="utf-8"))
    for edition in listed["editions"]:
        assert all((archive / path).is_file() for path in edition["downloads"].values())
    assert all((archive / path).is_file() for path in listed["all"].values())


def test_a_missing_address_offers_every_edition_s_papers(archive):
    page = (archive / "404.html").read_text(encoding="utf-8")
    assert 'all/index.html">Browse the papers</a>' in page
    assert 'papers/index.html">Browse the papers</a>' in (archive / "2023" / "404.html").read_text(encoding="utf-8")


def test_the_series_people_index_lists_each_letter_by_family_name(archive):
    """Within a letter, people come by family name, then given name, as an edition's index lists
    them; the list once followed the data's order of slugs (by first name): Azeemi before Agarwal."""
    page = (archive / "authors" / "index.html").read_text(encoding="utf-8")
    section = page[page.index('id="letter-a"'):page.index('id="letter-b"')]
    names = [html.unescape(n) for n in re.findall(r'<a [^>]*href="[a-z0-9-]+\.html"[^>]*>([^<]+)</a>', section)]
    assert len(names) > 10 and names.index("Ankur Agarwal") < names.index("Abdul Hameed Azeemi")
    from enlsp_proceedings.util.text import fold

    families = [fold(name.split()[-1]) for name in names]  # (each of these names ends with its family name)
    assert families == sorted(families), names
