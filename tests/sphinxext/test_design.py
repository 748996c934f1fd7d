"""Issue 8: thumbnails, og:image, corrections, errata, 404 page, logo, home page sections.

Built from a synthetic workshop with PDFs made on the fly, a GitHub repository for
corrections, errata, sponsors and hostile text in the short name.
"""

from __future__ import annotations

import os
import re
import shutil
import urllib.parse
from pathlib import Path

import pytest
from PIL import Image

from conftest import built_workshop, run_build
from synthetic import SynthPaper, make_pdf, workshop_yaml, write_workshop
from test_build import html, links, visible

TRICKY = "Ampersand & <b>bold</b> # 50% \"quoted\""


def design_workshop(root: Path) -> None:
    papers = [
        SynthPaper("alpha", f"Thumbnails for {TRICKY}", [{"name": "Ana Silva"}, {"name": "Bo Park"}], "Alpha abstract.",
                   presentation="oral", pages=3, references_page=3,
                   extra={"errata": [{"date": "2031-12-10", "note": "Fixed the affiliation of Bo Park."},
                                     {"date": "2032-01-05", "note": "Replaced the camera-ready (typo in Table 2)."}],
                          "award": "Best paper"}),
        SynthPaper("beta", "A Poster Paper", [{"name": "Chen Wei"}], "Beta abstract.", presentation="poster", pages=2, references_page=2),
        SynthPaper("gamma", "A Pending Paper", [{"name": "Dmitri Ivanova"}], "Gamma abstract.", presentation="spotlight", pages=None),
    ]
    keynotes = [{"id": "kay", "title": "Keynote Talk", "speaker": {"name": "Kay Note", "honorific": "Prof.", "affiliation": "Somewhere"},
                 "bio": "Bio.", "abstract": "Abstract."}]
    workshop = workshop_yaml(short_name="SYN<b>&", repository="https://github.com/example-org/synth-proceedings",
                             sponsors=[{"name": "Gold Corp", "level": "Gold", "url": "https://example.com/gold"}])
    write_workshop(root, papers, keynotes=keynotes, schedule=[{"start": "09:00", "end": "09:30", "paper": "alpha"}], workshop=workshop)


@pytest.fixture(scope="module")
def design_site(tmp_path_factory) -> Path:
    return built_workshop(tmp_path_factory, "design", design_workshop)


def test_thumbnail_written_beside_the_pdf(design_site):
    site = design_site / "site"
    for paper_id in ("alpha", "beta"):
        png = site / "papers" / f"{paper_id}.png"
        with Image.open(png) as image:
            assert image.format == "PNG"
            width, height = image.size
        assert width == 300 and 400 <= height <= 450  # A4 portrait at 300 px wide
        assert png.stat().st_size < 60_000
    assert not (site / "papers" / "gamma.png").exists()


def test_thumbnail_shows_the_first_page(design_site, tmp_path):
    """Page 1 carries ink (the title), and a different first page gives a different picture."""
    site = design_site / "site"
    with Image.open(site / "papers" / "alpha.png") as image:
        grey = image.convert("L")
        assert grey.getextrema()[0] < 100  # some dark text pixels
        assert sum(1 for v in grey.tobytes() if v < 128) > 200  # mode "L": one byte per pixel
    other = tmp_path / "other.pdf"
    make_pdf(other, "A Completely Different Title With Many Words In It", ["Someone Else"], 2, 2, seed=9)
    from enlsp_proceedings.pdf.thumbs import render_first_page
    assert render_first_page(other) != (site / "papers" / "alpha.png").read_bytes()


def test_thumbnails_on_cards_and_paper_page(design_site):
    site = design_site / "site"
    page = html(site, "papers/alpha.html")
    assert re.search(r'<img[^>]*src="alpha\.png"[^>]*>', page)
    assert re.search(r'<img[^>]*alt="First page of the PDF"[^>]*width="300"[^>]*height="\d+"', page)
    listing = html(site, "papers/index.html")
    assert 'src="alpha.png"' in listing and 'src="beta.png"' in listing
    author = html(site, "authors/ana-silva.html")
    assert 'src="../papers/alpha.png"' in author


def test_og_image_is_absolute_and_absent_without_pdf(design_site):
    site = design_site / "site"
    page = html(site, "papers/alpha.html")
    assert '<meta property="og:image" content="https://example.org/synth/papers/alpha.png">' in page
    assert page.count('property="og:image"') == 1
    pending = html(site, "papers/gamma.html")
    assert "og:image" not in pending
    assert "<img" not in pending.split('<article', 1)[1].split("</article>", 1)[0]  # no broken image
    assert "Camera-ready pending" in visible(html(site, "papers/index.html"))


def test_thumbnail_cache_by_pdf_content(design_site, tmp_path):
    root = tmp_path / "ws"
    shutil.copytree(design_site, root, symlinks=True)
    cached = sorted((root / "site").parent.glob(".enlsp-cache/thumbs/*/*.png"))
    assert len(cached) == 2
    mtimes = {p: p.stat().st_mtime_ns for p in cached}
    assert run_build(root) == 0
    assert {p: p.stat().st_mtime_ns for p in cached} == mtimes  # reused, not re-rendered
    before = (root / "site" / "papers" / "alpha.png").read_bytes()
    make_pdf(root / "papers" / "alpha.pdf", "New Camera Ready Title", ["Ana Silva"], 4, 4, seed=3)
    assert run_build(root) == 0
    assert (root / "site" / "papers" / "alpha.png").read_bytes() != before
    assert len(list(root.glob(".enlsp-cache/thumbs/*/*.png"))) == 3
    os.unlink(root / "papers" / "alpha.pdf")
    assert run_build(root) == 0
    assert not (root / "site" / "papers" / "alpha.png").exists()
    assert "og:image" not in html(root / "site", "papers/alpha.html")


def test_unrenderable_pdf_has_no_thumbnail(tmp_path):
    from enlsp_proceedings.pdf.thumbs import ThumbCache, render_first_page
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.4\n garbage that is not a pdf\n")
    assert render_first_page(bad) is None
    cache = ThumbCache(tmp_path / "cache")
    assert cache.get_or_render("0" * 64, bad) is None
    assert cache.get_or_render("0" * 64, bad) is None  # remembered: not retried


def test_report_a_correction_is_a_prefilled_github_issue(design_site):
    page = html(design_site / "site", "papers/alpha.html")
    assert "Report a correction" in visible(page)
    [url] = [u for u in links(page) if "/issues/new" in u]
    parts = urllib.parse.urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "github.com", "/example-org/synth-proceedings/issues/new")
    query = urllib.parse.parse_qs(parts.query)
    assert query["title"] == [f"Correction: Thumbnails for {TRICKY} (alpha)"]
    assert "https://example.org/synth/papers/alpha.html" in query["body"][0]
    keynote = [u for u in links(html(design_site / "site", "keynotes/kay.html")) if "/issues/new" in u]
    assert keynote and "keynotes%2Fkay.html" in keynote[0]
    # every paper page has one
    for paper_id in ("beta", "gamma"):
        assert any("/issues/new" in u for u in links(html(design_site / "site", f"papers/{paper_id}.html")))


def test_errata_newest_first_with_revised_notice(design_site):
    text = visible(html(design_site / "site", "papers/alpha.html"))
    assert "This page was corrected on 5 January 2032" in text
    first, second = text.index("Replaced the camera-ready"), text.index("Fixed the affiliation of Bo Park.")
    assert first < second
    assert re.search(r'<time[^>]*datetime="2032-01-05"[^>]*>5 January 2032</time>', html(design_site / "site", "papers/alpha.html"))
    assert "Revised" not in visible(html(design_site / "site", "papers/beta.html"))


def test_404_page_links_resolve_against_the_site_base(design_site):
    """404.html is served at any depth: its links are relative to a <base> at the site's path
    (a script moves it to / when the page is served elsewhere; see test_readers_browser)."""
    page = html(design_site / "site", "404.html")
    assert "Page not found" in visible(page)
    assert page.split("<head>", 1)[1].lstrip().startswith('<base href="/synth/">')
    assets = re.findall(r'(?:href|src)="([^"#]+\.(?:css|js|svg))', page)
    assert assets and all(a.startswith("_static/") for a in assets), assets
    assert 'href="index.html"' in page and 'href="papers/index.html"' in page
    assert "404" not in (design_site / "site" / "sitemap.xml").read_text()


def test_logo_favicon_and_escaped_logo_text(design_site):
    site = design_site / "site"
    page = html(site, "index.html")
    assert (site / "_static" / "enlsp-logo.svg").is_file() and (site / "_static" / "favicon.svg").is_file()
    assert re.search(r'<link rel="icon" href="_static/favicon\.svg"', page)
    assert 'class="logo__image' in page
    assert "SYN&lt;b&gt;&amp;" in page and "SYN<b>" not in page


def test_home_page_sections(design_site, small_site):
    page = html(design_site / "site", "index.html")
    text = visible(page)
    for expected in ("Keynote speakers", "Prof. Kay Note", "Oral presentations (1)", "Posters (1)", "Spotlight presentations (1)",
                     "Important dates", "Submission deadline", "Sponsors", "Gold Corp", "Non-archival"):
        assert expected in text, expected
    assert 'datetime="2031-12-05"' in page
    assert "https://example.com/gold" in links(page)
    # no sponsors: no empty heading
    assert "Sponsors" not in visible(html(small_site / "site", "index.html"))


def test_real_site_links_corrections_to_its_repository(real_site):
    page = html(real_site, "papers/fast-distilbert.html")
    assert any(u.startswith("https://github.com/neurips2022-enlsp/neurips2022-enlsp.github.io/issues/new?") for u in links(page))
    assert (real_site / "404.html").is_file()
