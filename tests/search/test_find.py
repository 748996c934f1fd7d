"""Finding things: search index, calendars, filters' data, author pages, name-variant warnings."""

from __future__ import annotations

import datetime as dt
import json
import random
import shutil
from itertools import combinations
from pathlib import Path

import icalendar
import pytest
import yaml

from conftest import run_build
from enlsp_proceedings.model.people import PeopleIndex, PersonRecord, _variant_reason
from enlsp_proceedings.publish.pipeline import BuildOptions, build_site
from enlsp_proceedings.search.index import MANIFEST, STAMP
from test_build import html, links, visible


def options(root: Path) -> BuildOptions:
    return BuildOptions(conf_dir=root / "conf", papers_dir=root / "papers", out_dir=root / "site", docs_dir=root / "docs", jobs=1, quiet=True)


def events(path: Path) -> list:
    return list(icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT"))


# -- calendars -----------------------------------------------------------------------

def test_schedule_ics_has_one_tz_aware_event_per_slot_with_page_urls(small_site):
    site = small_site / "site"
    schedule = yaml.safe_load((small_site / "conf" / "schedule.yaml").read_text())["schedule"]
    found = events(site / "schedule.ics")
    assert len(found) == len(schedule) == 7
    for event, slot in zip(found, schedule, strict=True):
        start, end = event["dtstart"].dt, event["dtend"].dt
        assert start.tzinfo is not None and str(start.tzinfo) == "Europe/Lisbon"
        assert start.strftime("%H:%M") == slot["start"] and end.strftime("%H:%M") == slot["end"]
        assert start.date() == dt.date(2031, 12, 5)
    urls = [str(e["url"]) for e in found]
    assert urls[1] == "https://example.org/synth/keynotes/kay-note.html"
    assert urls[2] == "https://example.org/synth/papers/alpha.html"
    assert urls[6] == "https://example.org/synth/panel.html"
    assert urls[0] == "https://example.org/synth/schedule.html#slot-0900"
    assert len({str(e["uid"]) for e in found}) == 7
    assert "Jürgen Müller" in str(found[2]["description"])
    cal = icalendar.Calendar.from_ical((site / "schedule.ics").read_bytes())
    assert [str(tz["tzid"]) for tz in cal.walk("VTIMEZONE")] == ["Europe/Lisbon"]


def test_each_talk_has_its_own_ics_linked_from_its_page_and_the_schedule(small_site):
    site = small_site / "site"
    for path, page, url in (("papers/alpha.ics", "papers/alpha.html", "papers/alpha.html"),
                            ("keynotes/kay-note.ics", "keynotes/kay-note.html", "keynotes/kay-note.html"),
                            ("panel.ics", "panel.html", "panel.html")):
        (event,) = events(site / path)
        assert str(event["url"]) == f"https://example.org/synth/{url}"
        assert event["dtstart"].dt.utcoffset() is not None
        assert Path(path).name in links(html(site, page)), page
    schedule_links = links(html(site, "schedule.html"))
    assert {"schedule.ics", "papers/alpha.ics", "keynotes/kay-note.ics", "papers/gamma.ics", "panel.ics"} <= set(schedule_links)
    assert not (site / "papers" / "beta.ics").exists()  # no slot, no calendar file
    assert "09:50–10:05 WET" in visible(html(site, "schedule.html"))


def test_calendars_do_not_change_between_builds(workshop_copy):
    site = workshop_copy / "site"
    before = (site / "schedule.ics").read_bytes()
    build_site(options(workshop_copy))
    build_site(options(workshop_copy))
    assert (site / "schedule.ics").read_bytes() == before
    mtime = (site / "schedule.ics").stat().st_mtime_ns
    build_site(options(workshop_copy))
    build_site(options(workshop_copy))
    assert (site / "schedule.ics").stat().st_mtime_ns == mtime


# -- search ----------------------------------------------------------------------------

def test_site_uses_pagefind_not_sphinx_search(small_site):
    site = small_site / "site"
    bundles = json.loads((site / "pagefind" / MANIFEST).read_text())["bundles"]
    assert len(bundles) == 1 and (site / "pagefind" / bundles[0] / "pagefind.js").is_file()  # a small volume: one bundle
    assert not (site / "pagefind" / bundles[0] / "pagefind-ui.js").exists()  # Pagefind's own UI is not used
    assert json.loads((site / "pagefind" / STAMP).read_text())["records"] >= 3 + 2 + 1
    assert not (site / "searchindex.js").exists()
    page = html(site, "search.html")
    assert "enlsp-search.js" in page and "searchtools.js" not in page and 'id="enlsp-search-results"' in page
    # the search dialog is built by enlsp.js with <site root>/search.html as its action
    # (test_find_browser submits it), from the root each page names
    for path, root in (("index.html", "./"), ("papers/alpha.html", "../")):
        assert f'data-content_root="{root}"' in html(site, path) and "_static/enlsp.js" in html(site, path)


def test_pdf_text_is_searchable_but_not_in_the_page(small_site):
    site = small_site / "site"
    assert "zyxquartzword" not in html(site, "papers/alpha.html")
    assert len((site / "papers" / "alpha.html").read_bytes()) <= 25_000  # the full text lives in the index only


def test_search_records_hold_full_text_authors_and_bios(small_site):
    from enlsp_proceedings.model.load import load_proceedings
    from enlsp_proceedings.publish.pipeline import prepare_volume
    from enlsp_proceedings.search.index import search_records

    proc = load_proceedings(small_site / "conf")
    volume, pdfs = prepare_volume(proc, small_site / "papers", small_site / ".enlsp-cache", quiet=True)
    records = {r.url: r for r in search_records(volume, pdfs)}
    alpha = records["papers/alpha.html"]
    assert "zyxquartzword" in alpha.content and "Universität Wien" in alpha.content and "We quantize things." in alpha.content
    assert alpha.authors == "Jürgen Müller, Nguyễn Văn An" and alpha.title.startswith("Quantizing")
    assert "Kay Note studies efficiency." in records["keynotes/kay-note.html"].content
    assert "Jurgen Muller" in records["authors/jurgen-muller.html"].content  # the merged variant
    assert "panel.html" in records and records["papers/gamma.html"].content.count("\n") >= 2


def test_unchanged_rebuild_does_not_rerun_the_indexer(workshop_copy):
    # The second site copy starts from the published one (index included); then nothing
    # changes, so the indexer must not run again ("" = the build stopped before Sphinx).
    first = build_site(options(workshop_copy))
    assert first.search_index in {"copied", "unchanged", ""}
    assert build_site(options(workshop_copy)).search_index in {"unchanged", ""}
    assert build_site(options(workshop_copy)).search_index in {"unchanged", ""}
    conf = workshop_copy / "conf" / "papers.yaml"
    data = yaml.safe_load(conf.read_text())
    data["papers"][1]["abstract"] = "Sparse attention saves plenty of energy."
    conf.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    assert build_site(options(workshop_copy)).search_index == "indexed"
    assert build_site(options(workshop_copy)).search_index in {"copied", "unchanged", ""}  # "": already published



def test_only_the_incomplete_bundle_is_indexed_again(workshop_copy, monkeypatch):
    from enlsp_proceedings.search import index as search
    from enlsp_proceedings.search.pagefind_child import index_problem

    monkeypatch.setattr(search, "SHARD_RECORDS", 4)
    specs, failed = [], []
    real_start = search._start_indexer
    monkeypatch.setattr(search, "_start_indexer", lambda spec, out: specs.append(json.loads(spec)) or real_start(spec, out))

    def first_bundle_broken_once(directory, records=None):
        if not failed:
            failed.append(directory.name)
            return "pagefind-entry.json is empty (simulated)"
        return index_problem(directory, records)

    monkeypatch.setattr(search, "index_problem", first_bundle_broken_once)
    conf = workshop_copy / "conf" / "papers.yaml"
    conf.write_text(conf.read_text().replace("Quantizing", "Quantising"))
    assert build_site(options(workshop_copy)).search_index == "indexed"
    assert len(specs) == 2 and len(specs[0]) >= 3
    again = [bundle["dir"] for bundle in specs[1]]
    assert failed[0] in again and len(again) < len(specs[0])  # the others were kept, not indexed again
    index = workshop_copy / "site" / "pagefind"
    names = [b.rstrip("/") for b in json.loads((index / MANIFEST).read_text())["bundles"]]
    assert sorted(names) == sorted(b["dir"] for b in specs[0])
    assert all(index_problem(index / name) is None for name in names)

# -- papers list filters -----------------------------------------------------------------

def test_paper_cards_carry_filter_data(small_site):
    page = html(small_site / "site", "papers/index.html")
    assert page.count('data-presentation="') == 3
    assert 'data-award="no" data-presentation="spotlight" data-track="graph"' in page
    assert 'class="enlsp-filters enlsp-filters-2" data-options=' in page and "enlsp-filters.js" in page  # two controls: presentation, track


# -- people -----------------------------------------------------------------------------------

def test_author_page_lists_papers_talks_roles_affiliations_coauthors(small_site):
    site = small_site / "site"
    page = visible(html(site, "authors/jurgen-muller.html"))
    assert "Author" in page and "Technical committee" in page and "Universität Wien" in page
    assert "Quantizing DistilHuBERT" in page and "Sparse Attention on Phones" in page
    assert "Nguyễn Văn An" in page and "Priya Raman" in page  # co-authors
    assert "Jurgen Muller" in page  # the variant merged through conf/people.yaml aliases
    assert not (site / "authors" / "jurgen-muller-2.html").exists()
    lee = html(site, "authors/lee-talk.html")
    assert "../keynotes/lee-talk.html" in links(lee) and "../panel.html" in links(lee)
    index = visible(html(site, "authors/index.html"))
    assert index.index("Müller") < index.index("Zhang") and "Keynote speaker" in index


def test_build_warns_about_likely_name_variants(workshop_copy, capsys):
    people = workshop_copy / "conf" / "people.yaml"
    data = yaml.safe_load(people.read_text())
    data["technical_committee"] += [{"name": "P. Raman"}, {"name": "Wei Zhnag"}]
    people.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    capsys.readouterr()
    assert run_build(workshop_copy) == 0
    err = capsys.readouterr().err
    assert "'Priya Raman' and 'P. Raman' may be one person" in err or "'P. Raman' and 'Priya Raman' may be one person" in err
    assert "Zhnag" in err and "aliases" in err and "people.yaml" in err
    assert "Jurgen Muller" not in err  # already merged by an alias


def _names(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    syllables = "ka lo mi ne ru sa ti vo ze pa dri an el ou ba".split()
    names: set[str] = set()
    while len(names) < n:
        names.add(" ".join("".join(rng.choice(syllables) for _ in range(rng.randint(1, 3))).capitalize() for _ in range(2)))
    return sorted(names)


class _Index(PeopleIndex):
    def __init__(self, names: list[str]):  # only what likely_variants needs
        self.by_slug = {str(i): PersonRecord(name=n, slug=str(i)) for i, n in enumerate(names)}


def test_likely_variants_blocking_finds_what_all_pairs_find():
    names = _names(600, seed=5) + ["Jürgen Müller", "Jurgen Muller", "J. Müller", "Müller Jürgen", "Nguyễn Văn An", "Nguyen Van Ann"]
    brute = {frozenset((a, b)) for a, b in combinations(names, 2) if _variant_reason(a, b)}
    fast = {frozenset((a, b)) for a, b, _ in _Index(names).likely_variants()}
    assert fast == brute and len(brute) > 6


def test_likely_variants_handles_5000_people():
    names = _names(5000, seed=7)
    found = _Index(names).likely_variants()
    assert found and all(_variant_reason(a, b) for a, b, _ in found[:200])


def test_likely_variants_are_remembered_per_set_of_names(tmp_path, monkeypatch):
    names = _names(300, seed=3) + ["Jürgen Müller", "Jurgen Muller"]
    expected = _Index(names).likely_variants()
    assert _Index(names).likely_variants_cached(tmp_path) == expected  # computed and stored

    def recompute(self):
        raise AssertionError("recomputed although the names did not change")

    monkeypatch.setattr(_Index, "likely_variants", recompute)
    assert _Index(list(reversed(names))).likely_variants_cached(tmp_path) == expected  # same set, any order
    monkeypatch.undo()
    changed = names + ["Jurgen Mueller"]
    assert _Index(changed).likely_variants_cached(tmp_path) == _Index(changed).likely_variants()
    assert ("Jurgen Mueller" in {n for pair in _Index(changed).likely_variants_cached(tmp_path) for n in pair[:2]})


def test_search_index_check_finds_truncated_output(small_site, tmp_path):
    from enlsp_proceedings.search.index import index_problem

    index = tmp_path / "pagefind"
    bundle = json.loads((small_site / "site" / "pagefind" / MANIFEST).read_text())["bundles"][0]
    shutil.copytree(small_site / "site" / "pagefind" / bundle, index)
    pages = json.loads((index / "pagefind-entry.json").read_text())["languages"]["en"]["page_count"]
    assert index_problem(index, pages) is None
    assert "pages indexed" in index_problem(index, pages + 1)
    next(index.glob("fragment/*")).write_bytes(b"")
    assert "is empty" in index_problem(index)
    (index / "pagefind-entry.json").write_text("")
    assert "unreadable" in index_problem(index)


def test_incomplete_search_index_is_rebuilt_once_then_fails_the_build(workshop_copy, monkeypatch):
    from enlsp_proceedings.publish import pipeline as build
    from enlsp_proceedings.search import index as search

    starts = []
    real_start = search._start_indexer
    monkeypatch.setattr(search, "_start_indexer", lambda records, out: starts.append(1) or real_start(records, out))
    verdicts = iter(["pagefind-entry.json is empty (simulated)", None])
    monkeypatch.setattr(search, "index_problem", lambda directory, records=None: next(verdicts))
    conf = workshop_copy / "conf" / "papers.yaml"
    conf.write_text(conf.read_text().replace("Quantizing", "Quantising"))
    assert build_site(options(workshop_copy)).search_index == "indexed"
    assert len(starts) == 2
    published = (workshop_copy / "site" / "index.html").read_bytes()
    monkeypatch.setattr(search, "index_problem", lambda directory, records=None: "always broken (simulated)")
    conf.write_text(conf.read_text().replace("Quantising", "Quantifying"))
    with pytest.raises(build.BuildError, match="usable search index"):
        build_site(options(workshop_copy))
    assert (workshop_copy / "site" / "index.html").read_bytes() == published
