"""A synthetic workshop builds into the site the foundation issue describes."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import bibtexparser
import pypdf

from links import broken_links


def html(site: Path, page: str) -> str:
    return (site / page).read_text(encoding="utf-8")


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def visible(page: str) -> str:
    """The page's text as a reader sees it (tags stripped, entities decoded)."""
    import html as html_lib

    return html_lib.unescape(re.sub(r"<[^>]+>", "", page))


def links(text: str) -> list[str]:
    parser = _Links()
    parser.feed(text)
    return parser.hrefs


def test_every_page_exists(small_site):
    site = small_site / "site"
    for page in ["index.html", "papers/index.html", "papers/alpha.html", "papers/beta.html", "papers/gamma.html",
                 "keynotes/index.html", "keynotes/kay-note.html", "keynotes/lee-talk.html", "schedule.html",
                 "people.html", "panel.html", "cfp.html", "authors/index.html", "search.html", "sitemap.xml",
                 "proceedings.bib", "papers.json"]:
        assert (site / page).is_file(), page


def test_no_link_of_any_page_leads_nowhere(small_site):
    assert len(list((small_site / "site").rglob("*.html"))) > 15
    assert broken_links(small_site / "site") == []


def test_paper_page_shows_metadata_and_pdf_with_page_count(small_site):
    page = html(small_site / "site", "papers/alpha.html")
    assert "Quantizing DistilHuBERT for Müller's Speech" in visible(page)
    assert "Jürgen Müller" in page and "Universität Wien" in page and "Nguyễn Văn An" in page
    assert "We quantize things." in page and "A second paragraph of the abstract." in page
    assert 'href="alpha.pdf"' in page and "PDF (5 pages)" in page
    assert "Oral" in page and "09:50–10:05" in page
    pdf = small_site / "site" / "papers" / "alpha.pdf"
    assert len(pypdf.PdfReader(pdf).pages) == 5
    assert (small_site / "site" / "papers" / "beta.pdf").is_file()


def test_missing_pdf_is_shown_as_pending(small_site):
    page = html(small_site / "site", "papers/gamma.html")
    assert "Camera-ready not yet available" in page
    assert "gamma.pdf" not in " ".join(links(page))
    assert not (small_site / "site" / "papers" / "gamma.pdf").exists()


def test_bibtex_on_page_and_files_parse_back(small_site):
    site = small_site / "site"
    bib = bibtexparser.parse_string((site / "papers" / "alpha.bib").read_text())
    [entry] = bib.entries
    assert entry.entry_type == "inproceedings"
    assert entry.key == "muller-nguyen-2031-quantizing"
    assert "{DistilHuBERT}" in entry.fields_dict["title"].value
    volume = bibtexparser.parse_string((site / "proceedings.bib").read_text())
    # the papers, then the keynotes and the volume itself (the "cite the volume as a volume")
    assert {e.key for e in volume.entries} == {"muller-nguyen-2031-quantizing", "raman-muller-2031-sparse", "zhang-2031-graph",
                                               "note-2031-efficient-keynote", "talk-2031-small-keynote", "synth-i-2031"}
    assert "@inproceedings{muller-nguyen-2031-quantizing," in visible(html(site, "papers/alpha.html"))
    assert "copybutton" in html(site, "papers/alpha.html")


def test_papers_list_is_grouped_as_on_the_home_page(small_site):
    """By kind of presentation, every track included (the counts match the home page's); a paper of
    another track than the first carries its track's badge."""
    page = html(small_site / "site", "papers/index.html")
    order = [page.index(x) for x in ('id="oral"', 'id="spotlight"', 'id="poster"')]
    assert order == sorted(order)
    spotlight = page[page.index('id="spotlight"'):page.index('id="poster"')]
    assert "Graph Learning for Tiny Parsers" in spotlight and "Special track: Graph Learning for Testing" in spotlight
    home = visible(html(small_site / "site", "index.html"))
    for group in ("Oral presentations (1)", "Spotlight presentations (1)", "Posters (1)"):
        assert group in home and group in visible(page)


def test_keynote_page_and_schedule_links(small_site):
    site = small_site / "site"
    page = html(site, "keynotes/kay-note.html")
    assert "Efficient Everything" in page and "Kay Note" in page and "Keynote University" in page
    assert "Kay Note studies efficiency." in page and "Everything can be efficient." in page
    schedule = html(site, "schedule.html")
    hrefs = links(schedule)
    for target in ["keynotes/kay-note.html", "papers/alpha.html", "papers/gamma.html", "panel.html"]:
        assert target in hrefs
    assert "WET" in schedule or "WEST" in schedule  # Europe/Lisbon in December
    assert "Europe/Lisbon" in schedule


def test_paper_pages_are_not_in_the_navigation(small_site):
    """Data stays out of the root toctree: the header holds only the fixed section pages."""
    home = html(small_site / "site", "index.html")
    header = home[home.index("<header"):home.index("</header>")]
    assert "alpha.html" not in header and "Quantizing" not in header
    assert "Papers" in header or "Accepted papers" in header


def test_people_and_alias_merge(small_site):
    site = small_site / "site"
    authors = sorted(p.name for p in (site / "authors").glob("*.html"))
    assert "jurgen-muller.html" in authors
    assert not any(a.startswith("jurgen-muller-") for a in authors)  # alias merged, not duplicated
    page = html(site, "authors/jurgen-muller.html")
    assert "Quantizing DistilHuBERT" in page and "Sparse Attention on Phones" in page
    assert "Technical committee" in page and "Jurgen Muller" in page  # variant shown as 'also written'
    people = html(site, "people.html")
    assert "Olga Organizer" in people and "Val Volunteer" in people and "Pat Panelist" in people


def test_papers_json(small_site):
    data = json.loads((small_site / "site" / "papers.json").read_text())
    by_id = {p["id"]: p for p in data["papers"]}
    assert by_id["alpha"]["pages"] == 5 and by_id["alpha"]["pdf_url"] == "https://example.org/synth/papers/alpha.pdf"
    assert by_id["gamma"]["camera_ready"] == "pending" and by_id["gamma"]["pdf_url"] is None
    assert by_id["alpha"]["slot"]["start"] == "2031-12-05T09:50:00+00:00"


def test_home_page(small_site):
    page = html(small_site / "site", "index.html")
    for text in ["The 1st Synthetic Workshop on Testing", "TestConf 2031", "Lisbon, Portugal", "Non-archival",
                 "Kay Note", "Efficient Everything", "Submission deadline"]:
        assert text in page, text
    assert re.search(r"Friday\s+5\s+December\s+2031", page)


def test_sources_are_only_ids(small_site):
    """Generated MyST holds ids and digests, never the data itself."""
    source = (small_site / ".enlsp-cache" / "source" / "papers" / "alpha.md").read_text()
    assert "Quantizing" not in source and "Müller" not in source
    assert "{enlsp-page} paper alpha" in source
