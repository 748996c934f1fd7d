"""What the pages say, said once and consistently (the readers' issue, item 7): one count of the
PDFs from the `Volume` everywhere (a review copy is never counted as a camera-ready), wording
that fits a workshop that has taken place (the build's day, `SOURCE_DATE_EPOCH`), and no badge
repeating what the page already says."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from conftest import REPO, run_build
from enlsp_proceedings.model.load import load_proceedings
from enlsp_proceedings.outputs.volume import PdfCounts, PdfStatus, Volume, build_date
from enlsp_proceedings.publish.sources import source_pages
from enlsp_proceedings.sphinxext.pages import PAGES
from enlsp_proceedings.sphinxext.pages.home import pdf_count_sentence
from synthetic import small_workshop
from test_build import visible

#: 2031-12-06 12:00 UTC, the day after the synthetic workshop (5 December 2031, Europe/Lisbon)
AFTER = str(int(dt.datetime(2031, 12, 6, 12, tzinfo=dt.UTC).timestamp()))
#: 2031-12-05 12:00 UTC, the synthetic workshop's own day
ON_THE_DAY = str(int(dt.datetime(2031, 12, 5, 12, tzinfo=dt.UTC).timestamp()))


def small_volume(tmp_path, review_copy: bool = False) -> Volume:
    small_workshop(tmp_path)
    return Volume(load_proceedings(tmp_path / "conf"), {
        "alpha": PdfStatus(published=True, pages=5, review_note="The review copy." if review_copy else None),
        "beta": PdfStatus(published=True, pages=3),
        "gamma": PdfStatus(),
    })


# -- one count --------------------------------------------------------------------------------

def test_the_volume_counts_a_review_copy_as_a_published_pdf_but_never_as_a_camera_ready(tmp_path):
    counts = small_volume(tmp_path, review_copy=True).pdf_counts
    assert counts == PdfCounts(papers=3, published=2, review_copies=1)
    assert (counts.camera_ready, counts.without_pdf) == (1, 1)


@pytest.mark.parametrize(("counts", "expected"), [
    (PdfCounts(40, 39, 1), "40 papers were accepted. Each has a page with its abstract and a citation; 39 of them have their PDF published: "
                           "38 camera-ready versions and 1 anonymized review copy."),
    (PdfCounts(40, 39, 0), "40 papers were accepted. Each has a page with its abstract and a citation; 39 of them have their camera-ready PDF published."),
    (PdfCounts(3, 3, 0), "3 papers were accepted. Each has a page with its abstract, the camera-ready PDF and a citation."),
    (PdfCounts(3, 3, 2), "3 papers were accepted. Each has a page with its abstract and a citation; all of them have their PDF published: "
                         "1 camera-ready version and 2 anonymized review copies."),
    (PdfCounts(3, 1, 1), "3 papers were accepted. Each has a page with its abstract and a citation; 1 of them has their PDF published: "
                         "1 anonymized review copy."),
    (PdfCounts(3, 1, 0), "3 papers were accepted. Each has a page with its abstract and a citation; 1 of them has their camera-ready PDF published."),
    (PdfCounts(3, 0, 0), "3 papers were accepted. Each has a page with its abstract and a citation; none of them has its PDF published."),
    (PdfCounts(1, 1, 0), "1 paper was accepted. It has a page with its abstract, the camera-ready PDF and a citation."),
    (PdfCounts(1, 0, 0), "1 paper was accepted. It has a page with its abstract and a citation; its PDF is not published."),
])
def test_the_home_page_sentence_says_how_many_pdfs_are_camera_ready(counts, expected):
    assert pdf_count_sentence(counts) == expected


# -- the build's day ----------------------------------------------------------------------------

def test_the_builds_day_is_source_date_epoch_in_the_workshops_time_zone():
    # 2022-12-03 03:00 UTC is still 2 December in New Orleans
    epoch = str(int(dt.datetime(2022, 12, 3, 3, tzinfo=dt.UTC).timestamp()))
    assert build_date("America/Chicago", {"SOURCE_DATE_EPOCH": epoch}) == dt.date(2022, 12, 2)
    assert build_date("Asia/Tokyo", {"SOURCE_DATE_EPOCH": epoch}) == dt.date(2022, 12, 3)
    assert build_date("UTC", {}) == dt.datetime.now(dt.UTC).date()


@pytest.mark.parametrize("value", ["yesterday", "1.5e9", "99999999999999999999"])
def test_a_source_date_epoch_that_is_no_time_is_a_clear_error(value):
    with pytest.raises(ValueError, match="SOURCE_DATE_EPOCH"):
        build_date("UTC", {"SOURCE_DATE_EPOCH": value})


def test_the_workshop_is_held_only_after_its_last_day(tmp_path):
    volume = small_volume(tmp_path)
    assert not volume.held_on(dt.date(2031, 12, 5)) and volume.held_on(dt.date(2031, 12, 6))


def test_only_the_pages_whose_wording_changes_change_when_the_workshop_is_held(tmp_path):
    """The flag, not the date, is in what a page shows: its digest changes once, the day after."""
    volume = small_volume(tmp_path)
    before = source_pages(volume)
    volume.held = True
    after = source_pages(volume)
    changed = {doc for doc in before if before[doc] != after[doc]}
    assert {"papers/gamma", "papers/index", "authors/wei-zhang"} <= changed  # gamma has no PDF: its page, its cards
    assert "papers/alpha" in changed  # every paper page declares the flag
    assert "cfp" in changed  # the call is closed
    assert not changed & {"index", "schedule", "keynotes/kay-note", "people"}
    assert Volume.from_json(volume.to_json()).held is True


def test_the_my_list_page_knows_where_the_sites_files_are_from_the_paths_module(tmp_path):
    import json

    from enlsp_proceedings import paths
    from enlsp_proceedings.sphinxext.pages import my_list

    volume = small_volume(tmp_path)
    config = my_list.config(my_list.shows(volume, None))
    for kind, ident in (("paper", "alpha"), ("keynote", "kay-note"), ("panel", "panel-one")):
        for ext in ("bib", "ics", "html"):
            assert config["files"][kind].replace("{id}", ident).replace("{ext}", ext) == paths.target_file(kind, ident, ext)
    assert config["schedule_ics"] == paths.SCHEDULE_ICS and config["download"] == "synth-i-2031-my-list"
    assert json.loads(json.dumps(config)) == config
    static = REPO / "src" / "enlsp_proceedings" / "sphinxext" / "static"
    assert f'const MY_LIST = "{paths.MY_LIST}";' in (static / "enlsp.js").read_text(encoding="utf-8")
    assert "my-list" in PAGES and PAGES["my-list"].pages(volume) == [(paths.docname(paths.MY_LIST), None)]


# -- built sites ------------------------------------------------------------------------------

def test_the_real_archive_counts_its_review_copy_as_one_and_says_so_everywhere(real_site):
    """collective-kgc's PDF is its anonymized review copy (publish_review_copy): the home page, its
    card and its page say so; it is not among the camera-readies."""
    home = visible((real_site / "index.html").read_text(encoding="utf-8"))
    assert "39 of them have their PDF published: 38 camera-ready versions and 1 anonymized review copy." in home
    assert "camera-ready PDF published" not in home
    page = " ".join(visible((real_site / "papers" / "collective-kgc.html").read_text(encoding="utf-8")).split())
    assert "anonymized version submitted for review" in page and "hold no camera-ready" in page
    papers = visible((real_site / "papers" / "index.html").read_text(encoding="utf-8"))
    assert papers.count("PDF (review copy) · ") == 1


def test_a_past_workshops_missing_pdf_is_not_available_not_pending(real_site):
    """ENLSP-II took place on 2 December 2022: cmt-2's camera-ready is not coming."""
    page = visible((real_site / "papers" / "cmt-2.html").read_text(encoding="utf-8"))
    assert "Camera-ready not available" in page and "The camera-ready PDF of this paper is not available." in page
    assert "not yet" not in page
    cards = visible((real_site / "papers" / "index.html").read_text(encoding="utf-8"))
    assert "Camera-ready not available" in cards and "pending" not in cards


def test_a_past_workshops_call_for_papers_says_it_is_closed(real_site):
    cfp = " ".join(visible((real_site / "cfp.html").read_text(encoding="utf-8")).split())
    assert "This call is closed ENLSP-II took place on Friday 2 December 2022." in cfp


def badges(html: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", b).strip() for b in re.findall(r'<span class="sd-badge[^"]*">(.*?)</span>', html)]


def article(html: str) -> str:
    return html.split("<article", 1)[1].split("</article>", 1)[0]


def test_no_badge_repeats_what_the_page_says(real_site, proc_real):
    """'Non-archival' once (the home page's hero, each paper's page), not on the 40 cards; a card under
    the 'Posters' heading has no 'Poster' badge; a paper page's presentation and track are in its
    'Presentation: … · Track: …' line, not in badges too."""
    papers = (real_site / "papers" / "index.html").read_text(encoding="utf-8")
    assert "Non-archival" not in badges(papers)
    w = proc_real.workshop
    for kind in w.presentation_list:
        group = re.search(rf'<section id="{kind.id}"[^>]*>(.*?)</section>', papers, re.S)
        if group:
            assert kind.label not in badges(group.group(1)), kind.id
    assert badges((real_site / "index.html").read_text(encoding="utf-8")).count("Non-archival") == 1
    for paper in proc_real.papers:
        page = article((real_site / "papers" / f"{paper.id}.html").read_text(encoding="utf-8"))
        shown = badges(page)
        assert shown.count("Non-archival") == 1, paper.id
        assert w.presentation(paper.presentation).label not in shown and w.track(paper.track).name not in shown, paper.id
        text = visible(page)
        assert f"Presentation: {w.presentation(paper.presentation).label}" in text and f"Track: {w.track(paper.track).name}" in text
    # an author page's cards are not grouped: there the presentation is said by the badge
    author = (real_site / "authors" / "mehdi-rezagholizadeh.html").read_text(encoding="utf-8")
    assert {"Oral", "Poster"} & set(badges(author)) and "Non-archival" not in badges(author)


@pytest.fixture(scope="module")
def proc_real():
    return load_proceedings(REPO / "conf" / "2022")


@pytest.mark.slow
def test_a_workshop_to_come_says_pending_and_the_day_after_says_not_available(workshop_copy, monkeypatch, tmp_path):
    """The same data built on the workshop's day and the day after: the pending paper's page and
    card change their wording, the incremental build equals a clean one, and a rebuild on another
    day after the workshop changes nothing."""
    from test_incremental import assert_same_site, clean_copy

    site = workshop_copy / "site"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", ON_THE_DAY)
    assert run_build(workshop_copy) == 0
    assert "Camera-ready not yet available" in visible((site / "papers" / "gamma.html").read_text(encoding="utf-8"))
    assert "Camera-ready pending" in visible((site / "papers" / "index.html").read_text(encoding="utf-8"))
    assert "closed" not in visible((site / "cfp.html").read_text(encoding="utf-8"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", AFTER)
    assert run_build(workshop_copy) == 0
    gamma = visible((site / "papers" / "gamma.html").read_text(encoding="utf-8"))
    assert "Camera-ready not available" in gamma and "not yet" not in gamma
    assert "Camera-ready not available" in visible((site / "papers" / "index.html").read_text(encoding="utf-8"))
    assert "Camera-ready not available" in visible((site / "authors" / "wei-zhang.html").read_text(encoding="utf-8"))
    assert "This call is closed" in visible((site / "cfp.html").read_text(encoding="utf-8"))
    clean = clean_copy(workshop_copy, tmp_path / "clean")
    assert run_build(clean) == 0
    assert_same_site(site, clean / "site")
    stamp = (site / "papers" / "gamma.html").stat().st_mtime_ns
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(AFTER) + 86400 * 400))
    assert run_build(workshop_copy) == 0
    assert (site / "papers" / "gamma.html").stat().st_mtime_ns == stamp


@pytest.mark.slow
def test_a_source_date_epoch_that_is_no_time_stops_the_build_and_keeps_the_site(workshop_copy, monkeypatch, capsys):
    before = (workshop_copy / "site" / "index.html").read_bytes()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "last tuesday")
    assert run_build(workshop_copy) == 1
    err = capsys.readouterr().err
    assert "SOURCE_DATE_EPOCH='last tuesday' is not a time" in err and "Traceback" not in err
    assert (workshop_copy / "site" / "index.html").read_bytes() == before
