"""A workshop series: conf/series.yaml plus one folder per edition, built into one archive.

Fast: loading a series (editions found and ordered, every problem of every edition at once), the
old addresses of the root edition, the series' search manifest. Slow: a synthetic two-edition
series built, rebuilt after an edit to one edition, and its pages; the real ENLSP archive is
tested in test_series_real.py.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

import enlsp_proceedings.publish.series as series_module
from conftest import run_build
from enlsp_proceedings import paths
from enlsp_proceedings.model.load import ConfError
from enlsp_proceedings.model.series import is_series, load_series
from enlsp_proceedings.publish.errors import BuildError
from enlsp_proceedings.publish.series import leave_out_shared_static, redirect_page, write_legacy_addresses, write_series_search
from synthetic import SynthPaper, workshop_yaml, write_workshop
from test_head import json_ld

SERIES = {"name": "Workshop on Testing Things", "short_name": "WTT", "base_url": "https://wtt.example.org/",
          "description": "A workshop held every year.", "root_edition": "2031"}


def make_series(root: Path, *, pdfs: bool = False, series: dict | None = None) -> tuple[Path, Path]:
    """conf/ (series.yaml, 2031/, 2032/) and papers/ (2031/, 2032/) of a small two-edition series;
    Priya Raman is in both editions."""
    conf, papers = root / "conf", root / "papers"
    first = [SynthPaper("alpha", "Quantizing Tiny Models", [{"name": "Priya Raman", "affiliation": "Lab A", "orcid": "0000-0002-1825-0097"}, {"name": "Wei Zhang"}],
                        "We quantize.", presentation="oral", pages=3 if pdfs else None, references_page=3),
             SynthPaper("beta", "Sparse Attention", [{"name": "Ola Nordmann"}], "Sparse.", presentation="poster")]
    second = [SynthPaper("alpha", "Pruning Tiny Models", [{"name": "Priya Raman", "affiliation": "Lab B"}], "We prune.",
                         presentation="poster", pages=3 if pdfs else None, references_page=3)]
    write_workshop(root / "e1", first, workshop=workshop_yaml(short_name="WTT-I", year=2031, date="2031-12-05", base_url="https://old.example.org/"),
                   make_pdfs=pdfs)
    write_workshop(root / "e2", second, workshop=workshop_yaml(short_name="WTT-II", year=2032, date="2032-12-04", venue="TestConf 2032",
                                                               base_url="https://old2.example.org/"), make_pdfs=pdfs)
    conf.mkdir(parents=True)
    papers.mkdir(parents=True)
    (conf / "series.yaml").write_text(yaml.safe_dump(series or SERIES), encoding="utf-8")
    shutil.move(root / "e1" / "conf", conf / "2031")
    shutil.move(root / "e2" / "conf", conf / "2032")
    shutil.move(root / "e1" / "papers", papers / "2031")
    shutil.move(root / "e2" / "papers", papers / "2032")
    return conf, papers


def test_a_conf_folder_with_series_yaml_is_a_series_of_editions_oldest_first(tmp_path):
    conf, _ = make_series(tmp_path)
    assert is_series(conf) and not is_series(conf / "2031")
    series = load_series(conf)
    assert [e.id for e in series.editions] == ["2031", "2032"]
    assert [e.id for e in series.newest_first()] == ["2032", "2031"]
    assert series.series.edition_url("2032") == "https://wtt.example.org/2032/"
    assert series.edition("2031").proc.workshop.short_name == "WTT-I"


def test_every_problem_of_every_edition_is_reported_at_once(tmp_path):
    conf, _ = make_series(tmp_path, series={**SERIES, "root_edition": "1999"})
    (conf / "2032" / "papers.yaml").write_text("papers:\n  - id: x\n    title: ''\n", encoding="utf-8")
    (conf / "Next").mkdir()
    (conf / "Next" / "workshop.yaml").write_text("{}", encoding="utf-8")
    (conf / "workshop.yaml").write_text("{}", encoding="utf-8")
    with pytest.raises(ConfError) as caught:
        load_series(conf)
    text = "\n".join(str(p) for p in caught.value.problems)
    assert "root_edition: names '1999', which is not an edition folder here" in text
    assert f"{conf / '2032' / 'papers.yaml'}" in text  # the edition's own problem, with its path
    assert "Next: is not a valid edition folder name" in text
    assert "workshop.yaml: a series keeps each edition's files in its own folder" in text


def test_a_misspelt_series_field_is_named_with_its_line(tmp_path):
    conf, _ = make_series(tmp_path, series={**SERIES, "colour": "blue"})
    with pytest.raises(ConfError) as caught:
        load_series(conf)
    assert [str(p) for p in caught.value.problems] == [f"{conf / 'series.yaml'}:2: colour: unknown field (check the spelling)"]


def test_a_series_without_editions_says_how_to_add_one(tmp_path):
    (tmp_path / "series.yaml").write_text(yaml.safe_dump(SERIES), encoding="utf-8")
    with pytest.raises(ConfError, match="no edition"):
        load_series(tmp_path)


def _static_files(folder: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)


def test_the_editions_copies_of_the_series_static_files_leave_the_site(tmp_path):
    """An edition's pages load the series' _static/ (test_series_real.py checks every address): its
    own copy, the series' byte for byte, is left out of the site."""
    site = tmp_path / "site"
    files = {"enlsp.css": "body{}", "scripts/theme.js": "x()", "katex/fonts/a.woff2": "font"}
    for folder in ("_static", "2031/_static", "2032/_static"):
        _static_files(site / folder, files)
    leave_out_shared_static(site, ["2031", "2032", "2033"])  # 2033: not built this time, nothing to leave out
    assert not (site / "2031" / "_static").exists() and not (site / "2032" / "_static").exists()
    assert sorted(p.relative_to(site / "_static").as_posix() for p in (site / "_static").rglob("*") if p.is_file()) == sorted(files)


@pytest.mark.parametrize("change", ["differs", "only in the edition"])
def test_an_edition_whose_static_files_are_not_the_series_stops_the_build_and_keeps_them(tmp_path, change):
    site = tmp_path / "site"
    _static_files(site / "_static", {"enlsp.css": "body{}"})
    _static_files(site / "2031" / "_static", {"enlsp.css": "body{}"})
    _static_files(site / "2032" / "_static", {"enlsp.css": "body{color:red}"} if change == "differs" else {"enlsp.css": "body{}", "extra.js": "y()"})
    name = "enlsp.css" if change == "differs" else "extra.js"
    with pytest.raises(BuildError, match=f"edition 2032: its _static/{name} is not the series' _static/{name}.*docs/conf.py"):
        leave_out_shared_static(site, ["2032"])
    assert (site / "2032" / "_static" / name).is_file()


def test_old_addresses_of_the_root_edition_answer_pages_point_on_files_stay(tmp_path):
    conf, _ = make_series(tmp_path)
    series = load_series(conf)
    site = tmp_path / "site"
    (site / "2031" / "papers").mkdir(parents=True)
    (site / "2031" / "_static").mkdir()
    (site / "2031" / "papers" / "alpha.html").write_text("<html>alpha</html>")
    (site / "2031" / "papers" / "alpha.pdf").write_bytes(b"%PDF-1.4 alpha")
    (site / "2031" / "index.html").write_text("<html>edition home</html>")
    (site / "2031" / "_static" / "x.css").write_text("body{}")
    (site / "index.html").write_text("<html>series home</html>")
    write_legacy_addresses(site, series, {"index.html", "authors/index.html"})
    page = (site / "papers" / "alpha.html").read_text()
    assert '<link rel="canonical" href="https://wtt.example.org/2031/papers/alpha.html">' in page
    assert 'url=../2031/papers/alpha.html' in page
    assert (site / "papers" / "alpha.pdf").read_bytes() == b"%PDF-1.4 alpha"
    assert (site / "index.html").read_text() == "<html>series home</html>"  # the series' own page is not replaced
    assert not (site / "_static" / "x.css").exists()  # machinery, not an address
    (site / "2031" / "papers" / "alpha.pdf").unlink()  # gone from the edition: gone from the root
    (site / "2031" / "keynotes").mkdir()
    (site / "2031" / "keynotes" / "index.html").write_text("<html>keynotes</html>")
    write_legacy_addresses(site, series, {"index.html"})
    assert not (site / "papers" / "alpha.pdf").exists() and (site / "papers" / "alpha.html").exists()
    assert (site / "keynotes" / "index.html").is_file()
    shutil.rmtree(site / "2031" / "keynotes")  # the edition's keynotes gone: their folder at the root too
    write_legacy_addresses(site, series, {"index.html"})
    assert not (site / "keynotes").exists() and (site / "papers").is_dir()


def test_old_addresses_are_written_again_only_when_their_page_changes(tmp_path, monkeypatch):
    conf, _ = make_series(tmp_path)
    series = load_series(conf)
    site = tmp_path / "site"
    (site / "2031" / "papers").mkdir(parents=True)
    for name in ("alpha", "beta"):
        (site / "2031" / "papers" / f"{name}.html").write_text(f"<html>{name}</html>")
    write_legacy_addresses(site, series, {"index.html"})
    written: list[str] = []
    real = series_module.write_if_changed
    monkeypatch.setattr(series_module, "write_if_changed", lambda path, data: written.append(path.name) or real(path, data))
    write_legacy_addresses(site, series, {"index.html"})
    assert written == [series_module.LEGACY_MANIFEST]  # the pages the manifest knows are not read again
    (site / "papers" / "beta.html").unlink()  # gone from the site copy: written again
    written.clear()
    write_legacy_addresses(site, series, {"index.html"})
    assert written == ["beta.html", series_module.LEGACY_MANIFEST]
    series.series = series.series.model_copy(update={"base_url": "https://moved.example.org/"})  # every page says its address
    written.clear()
    write_legacy_addresses(site, series, {"index.html"})
    assert sorted(written) == [series_module.LEGACY_MANIFEST, "alpha.html", "beta.html"]
    assert 'href="https://moved.example.org/2031/papers/alpha.html"' in (site / "papers" / "alpha.html").read_text()


def test_old_addresses_are_not_walked_again_while_the_root_edition_and_the_series_pages_are_the_same(tmp_path, monkeypatch):
    conf, _ = make_series(tmp_path)
    series = load_series(conf)
    site = tmp_path / "site"
    (site / "2031" / "papers").mkdir(parents=True)
    (site / "2031" / "papers" / "alpha.html").write_text("<html>alpha</html>")
    (site / "2031" / "papers" / "alpha.pdf").write_bytes(b"%PDF-1.4 alpha")
    (site / "2031" / series_module.EDITION_STAMP).write_text(json.dumps({"inputs": "fingerprint-1"}))
    write_legacy_addresses(site, series, {"index.html"})
    walked: list[str] = []
    real_walk = series_module.os.walk
    monkeypatch.setattr(series_module.os, "walk", lambda top, *a, **k: walked.append(str(top)) or real_walk(top, *a, **k))
    write_legacy_addresses(site, series, {"index.html"})
    assert walked == []
    for change in ("stamp", "series pages", "a file gone"):
        if change == "stamp":  # the root edition was built again
            (site / "2031" / series_module.EDITION_STAMP).write_text(json.dumps({"inputs": "fingerprint-2"}))
            write_legacy_addresses(site, series, {"index.html"})
        elif change == "series pages":  # a series page now takes one of the old addresses
            write_legacy_addresses(site, series, {"index.html", "papers/alpha.html"})
            assert "papers/alpha.html" not in json.loads((site / series_module.LEGACY_MANIFEST).read_text())["files"]
            write_legacy_addresses(site, series, {"index.html"})
        else:
            (site / "papers" / "alpha.pdf").unlink()
            write_legacy_addresses(site, series, {"index.html"})
            assert (site / "papers" / "alpha.pdf").read_bytes() == b"%PDF-1.4 alpha"
        assert walked, change
        walked.clear()
    assert (site / "papers" / "alpha.html").is_file()


def test_a_redirect_page_escapes_its_address():
    page = redirect_page('../2031/papers/a"b<c>.html', 'https://x.org/2031/papers/a"b<c>.html')
    assert '<c>' not in page.split("<script>")[0] and "&lt;c&gt;" in page
    assert 'location.replace("../2031/papers/a\\"b<c>.html"' in page or "location.replace(" in page


def test_the_series_search_merges_every_editions_bundles_newest_first(tmp_path):
    for edition, names in (("2031", ["aaa/", "ppp/"]), ("2032", ["bbb/", "ccc/"])):
        (tmp_path / edition / "pagefind").mkdir(parents=True)
        listed = {"bundles": names, **({"repeated": ["ppp/"]} if edition == "2031" else {})}  # 2031's people also in 2032
        (tmp_path / edition / "pagefind" / "bundles.json").write_text(json.dumps(listed))
    write_series_search(tmp_path, ["2031", "2032"], {"2031": "WTT-I", "2032": "WTT-II"})
    manifest = json.loads((tmp_path / "pagefind" / "bundles.json").read_text())
    assert manifest["bundles"] == ["../2032/pagefind/bbb/", "../2032/pagefind/ccc/", "../2031/pagefind/aaa/", "../2031/pagefind/ppp/"]
    assert manifest["bases"] == ["../2032/", "../2032/", "../2031/", "../2031/"]
    assert manifest["editions"] == ["2032", "2032", "2031", "2031"]
    assert manifest["repeated"] == ["../2031/pagefind/ppp/"]  # left out of the search over every edition
    assert list(manifest["labels"]) == ["2032", "2031"]


@pytest.mark.slow
def test_a_series_builds_into_one_archive_with_one_page_per_person(tmp_path):
    conf, papers = make_series(tmp_path, pdfs=True)
    out = tmp_path / "site"
    assert run_build(tmp_path, conf=conf, papers=papers, out=out) == 0
    for edition in ("2031", "2032"):
        assert (out / edition / "index.html").is_file() and (out / edition / "papers" / "alpha.html").is_file()
        assert (out / edition / "papers" / "alpha.pdf").is_file()
        assert not (out / edition / "authors" / "priya-raman.html").exists()  # the series has the person page
    person = (out / "authors" / "priya-raman.html").read_text(encoding="utf-8")
    assert "Quantizing Tiny Models" in person and "Pruning Tiny Models" in person
    assert person.index("WTT-II") < person.index("WTT-I ·")  # by year, newest first
    assert 'href="https://orcid.org/0000-0002-1825-0097"' in person  # given in one edition, shown once for the person
    assert 'href="../2032/papers/alpha.html"' in person and 'href="../2031/papers/alpha.html"' in person
    edition_paper = (out / "2032" / "papers" / "alpha.html").read_text(encoding="utf-8")
    assert 'href="../../authors/priya-raman.html"' in edition_paper  # the edition links to the series' page
    assert "https://wtt.example.org/2032/papers/alpha.html" in edition_paper  # the edition's address in the archive
    home = (out / "index.html").read_text(encoding="utf-8")
    assert home.index("WTT-II") < home.index("WTT-I ")  # newest first
    assert 'href="2031/papers/index.html"' in home and 'href="2032/papers/index.html"' in home  # two clicks to any paper
    assert "canonical" in (out / "papers" / "alpha.html").read_text()  # the root edition's old address points on
    assert (out / "papers" / "alpha.pdf").read_bytes() == (out / "2031" / "papers" / "alpha.pdf").read_bytes()
    bib = (out / "all" / "proceedings.bib").read_text(encoding="utf-8")
    assert bib.count("@proceedings{") == 2 and "Pruning Tiny Models" in bib and "Quantizing Tiny Models" in bib
    listed = json.loads((out / "editions.json").read_text(encoding="utf-8"))
    assert [e["id"] for e in listed["editions"]] == ["2032", "2031"]
    # schema.org for crawlers: the home is a series of the editions, a person page a Person with their ORCID iD
    [series] = json_ld(out / "index.html")
    assert series["@type"] == "CreativeWorkSeries" and series["url"] == "https://wtt.example.org/"
    assert [(e["url"], e["datePublished"]) for e in series["hasPart"]] == [("https://wtt.example.org/2032/", "2032-12-04"),
                                                                           ("https://wtt.example.org/2031/", "2031-12-05")]
    [who] = json_ld(out / "authors" / "priya-raman.html")
    assert who == {"@context": "https://schema.org", "@type": "Person", "name": "Priya Raman", "url": "https://wtt.example.org/authors/priya-raman.html",
                   "sameAs": ["https://orcid.org/0000-0002-1825-0097"], "affiliation": [{"@type": "Organization", "name": "Lab B"}]}
    assert '<meta name="description" content="Priya Raman at WTT: WTT-II · TestConf 2032; WTT-I ·' in person

    # an edit to one edition leaves the other's pages untouched
    before = {p.relative_to(out): p.read_bytes() for p in (out / "2031").rglob("*") if p.is_file()}
    data = yaml.safe_load((conf / "2032" / "papers.yaml").read_text(encoding="utf-8"))
    data["papers"][0]["title"] = "Pruning Tiny Models Well"
    (conf / "2032" / "papers.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    assert run_build(tmp_path, conf=conf, papers=papers, out=out) == 0
    assert "Pruning Tiny Models Well" in (out / "2032" / "papers" / "alpha.html").read_text(encoding="utf-8")
    assert "Pruning Tiny Models Well" in (out / "authors" / "priya-raman.html").read_text(encoding="utf-8")
    assert {p.relative_to(out): p.read_bytes() for p in (out / "2031").rglob("*") if p.is_file()} == before


def _series_doctrees(out: Path) -> Path:
    """Where the published copy's series project keeps its environment and doctrees."""
    from enlsp_proceedings.publish.site import marker_id

    return out.parent / ".enlsp-cache" / "doctrees" / str(marker_id(out)[0]) / "_series"


def _series_documents(out: Path) -> set[str]:
    """The person pages the published copy's series project holds as Sphinx documents (their saved
    doctrees, and the environment's documents)."""
    import pickle

    saved = {p.stem for p in (_series_doctrees(out) / "authors").glob("*.doctree")} - {"index"}
    with (_series_doctrees(out) / "environment.pickle").open("rb") as fh:
        documents = {d.removeprefix("authors/") for d in pickle.load(fh).all_docs if d.startswith("authors/")} - {"index"}
    assert documents == saved
    return documents


def _site_copy(root: Path, site_id: str, inputs: str, frame: str, pages: dict[str, str], files: dict[str, str]) -> Path:
    """A complete site copy ``root/<site_id>`` holding ``files`` (path -> text), with its series project's
    doctrees in ``root/cache/doctrees/<site_id>`` and the record of what its person pages were written from."""
    from enlsp_proceedings.publish.site import mark

    site, doctrees = root / site_id, root / "cache" / "doctrees" / site_id / series_module.SERIES_DOCTREES
    for path, text in files.items():
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_text(text, encoding="utf-8")
    doctrees.mkdir(parents=True)
    (doctrees / "environment.pickle").write_bytes(b"")
    (doctrees / series_module.PEOPLE_MANIFEST).write_text(json.dumps({"frame": frame, "pages": pages}), encoding="utf-8")
    mark(site, site_id, complete=True, inputs=inputs)
    return site


@pytest.mark.parametrize("frame", ["same", "other"])
def test_the_copy_of_the_published_site_leaves_the_person_pages_both_copies_wrote_from_one_stub(tmp_path_factory, frame):
    """A one-paper edit's copy of the published site into the other copy (`follow_published`) does not
    compare every person's page in both (13,727 at 10 × 1,000 papers: 0.1 s of every edit): the pages
    each copy's record says were written from the same stub, under the same frame, are left as they are.
    The others are copied or deleted as every other file is; with another frame, all of them are."""
    from enlsp_proceedings.publish.site import follow_published

    tmp_path = tmp_path_factory.mktemp("copies")  # made by hand, not built (the fast layer's guard looks for a site in tmp_path)

    published = _site_copy(tmp_path, "aaa", "new", "f", {"authors/ana": "1", "authors/bo": "2", "authors/cy": "3"},
                           {"authors/ana.html": "ana, published", "authors/bo.html": "bo, new", "authors/cy.html": "cy",
                            "authors/index.html": "everyone, new", "index.html": "home, new"})
    staging = _site_copy(tmp_path, "bbb", "old", "f" if frame == "same" else "g", {"authors/ana": "1", "authors/bo": "0", "authors/dee": "4"},
                         {"authors/ana.html": "ana, kept", "authors/bo.html": "bo, old", "authors/dee.html": "dee",
                          "authors/index.html": "everyone, old", "index.html": "home, old"})
    assert series_module._alike_person_pages(tmp_path / "cache" / "doctrees" / "aaa", tmp_path / "cache" / "doctrees" / "bbb") == (
        frozenset({"authors/ana.html"}) if frame == "same" else frozenset())

    assert follow_published(published, staging, tmp_path / "cache", alike_files=series_module._alike_person_pages) == "bbb"
    assert {p.relative_to(staging).as_posix(): p.read_text(encoding="utf-8") for p in staging.rglob("*.html")} == {
        "authors/ana.html": "ana, kept" if frame == "same" else "ana, published", "authors/bo.html": "bo, new",
        "authors/cy.html": "cy", "authors/index.html": "everyone, new", "index.html": "home, new"}
    kept = json.loads((tmp_path / "cache" / "doctrees" / "bbb" / series_module.SERIES_DOCTREES / series_module.PEOPLE_MANIFEST).read_text())
    assert kept["pages"] == {"authors/ana": "1", "authors/bo": "2", "authors/cy": "3"}  # the record now the published copy's


@pytest.mark.parametrize("record", ["missing", "not json", '{"frame": "f", "pages": ["authors/ana"]}', '{"pages": {"authors/ana": "1"}}'])
def test_without_both_records_of_the_person_pages_the_copy_compares_every_page(tmp_path_factory, record):
    tmp_path = tmp_path_factory.mktemp("copies")
    published = _site_copy(tmp_path, "aaa", "new", "f", {"authors/ana": "1"}, {"authors/ana.html": "ana, published"})
    staging = _site_copy(tmp_path, "bbb", "old", "f", {"authors/ana": "1"}, {"authors/ana.html": "ana, kept"})
    manifest = tmp_path / "cache" / "doctrees" / "bbb" / series_module.SERIES_DOCTREES / series_module.PEOPLE_MANIFEST
    if record == "missing":
        manifest.unlink()
    else:
        manifest.write_text(record, encoding="utf-8")
    assert series_module._alike_person_pages(tmp_path / "cache" / "doctrees" / "aaa", tmp_path / "cache" / "doctrees" / "bbb") == frozenset()
    from enlsp_proceedings.publish.site import follow_published

    follow_published(published, staging, tmp_path / "cache", alike_files=series_module._alike_person_pages)
    assert (staging / "authors" / "ana.html").read_text(encoding="utf-8") == "ana, published"


def test_a_copy_that_did_not_finish_is_made_again_whatever_the_records_say(tmp_path_factory):
    from enlsp_proceedings.publish.site import follow_published, mark

    tmp_path = tmp_path_factory.mktemp("copies")

    published = _site_copy(tmp_path, "aaa", "new", "f", {"authors/ana": "1"}, {"authors/ana.html": "ana, published"})
    staging = _site_copy(tmp_path, "bbb", "old", "f", {"authors/ana": "1"}, {"authors/ana.html": "ana, half written"})
    mark(staging, "bbb", complete=False)
    copy_id = follow_published(published, staging, tmp_path / "cache", alike_files=series_module._alike_person_pages)
    assert copy_id not in {None, "aaa", "bbb"}
    assert (staging / "authors" / "ana.html").read_text(encoding="utf-8") == "ana, published"


def _retitle(conf: Path, edition: str, number: int, title: str) -> None:
    data = yaml.safe_load((conf / edition / "papers.yaml").read_text(encoding="utf-8"))
    data["papers"][number]["title"] = title
    (conf / edition / "papers.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")


@pytest.mark.slow
def test_a_person_page_is_a_sphinx_document_only_in_the_build_that_writes_it(tmp_path, monkeypatch):
    """A one-paper edit writes the pages of that paper's people only, and only those are documents of
    the series' Sphinx project (its work for every document, changed or not, was three quarters of a
    one-paper edit at 10 × 1,000 papers); every other person's page stays as it was, in the site and
    in its sitemap. A page missing from the site, a changed frame (the series' name) or a lost record
    of what each page was written from writes them again. The pages are those of a full build."""
    conf, papers = make_series(tmp_path)
    guide = tmp_path / "docs" / "guide"
    guide.mkdir(parents=True)
    (guide / "index.md").write_text("# Guides\n\n```{toctree}\nhow\n```\n", encoding="utf-8")
    (guide / "how.md").write_text("# How to cite\n\nLike this.\n", encoding="utf-8")
    out = tmp_path / "site"
    assert run_build(tmp_path, conf=conf, papers=papers, out=out) == 0
    people = {"priya-raman", "wei-zhang", "ola-nordmann"}
    assert _series_documents(out) == people  # a first build writes every page, and they stay documents until the next
    before = {name: (out / "authors" / f"{name}.html").read_bytes() for name in people}

    _retitle(conf, "2032", 0, "Pruning Tiny Models Well")
    assert run_build(tmp_path, conf=conf, papers=papers, out=out) == 0
    assert _series_documents(out) == {"priya-raman"}
    assert "Pruning Tiny Models Well" in (out / "authors" / "priya-raman.html").read_text(encoding="utf-8")
    assert {name: (out / "authors" / f"{name}.html").read_bytes() for name in people - {"priya-raman"}} == \
        {name: before[name] for name in people - {"priya-raman"}}
    listed = (out / "sitemap.xml").read_text(encoding="utf-8")
    assert all(f"https://wtt.example.org/authors/{name}.html" in listed for name in people)
    fresh = tmp_path / "fresh"
    assert run_build(tmp_path, conf=conf, papers=papers, out=fresh / "site") == 0  # its own cache, beside it
    for name in people:
        assert (out / "authors" / f"{name}.html").read_bytes() == (fresh / "site" / "authors" / f"{name}.html").read_bytes(), name
    assert (out / "sitemap.xml").read_bytes() == (fresh / "site" / "sitemap.xml").read_bytes()
    assert (out / "objects.inv").read_bytes() == (fresh / "site" / "objects.inv").read_bytes()  # no person page, after any build
    from sphinx.util.inventory import InventoryFile

    inventory = InventoryFile.loads((out / "objects.inv").read_bytes(), uri="https://wtt.example.org/")
    documents = set(inventory.data["std:doc"])
    assert {"index", "all/index", "authors/index"} <= documents and not any(f"authors/{name}" in documents for name in people)

    # a page gone from the published site: the other copy holds it, written from the same stub, and publishes it;
    # the copy it went from, built into next, has it written again
    (out / "authors" / "ola-nordmann.html").unlink()
    _retitle(conf, "2031", 0, "Quantizing Tiny Models Well")
    assert run_build(tmp_path, conf=conf, papers=papers, out=out) == 0
    assert _series_documents(out) == {"priya-raman", "wei-zhang"}
    assert (out / "authors" / "ola-nordmann.html").read_bytes() == before["ola-nordmann"]
    _retitle(conf, "2032", 0, "Pruning Tiny Models Better")
    assert run_build(tmp_path, conf=conf, papers=papers, out=out) == 0
    assert _series_documents(out) == {"priya-raman", "ola-nordmann"}
    assert (out / "authors" / "ola-nordmann.html").read_bytes() == before["ola-nordmann"]

    (guide / "how.md").write_text("# How to cite\n\nLike that.\n", encoding="utf-8")  # a guide's text: no person page shows it
    assert run_build(tmp_path, conf=conf, papers=papers, out=out) == 0
    assert "Like that." in (out / "guide" / "how.html").read_text(encoding="utf-8") and _series_documents(out) == set()
    (guide / "index.md").write_text("# Guides for everyone\n\n```{toctree}\nhow\n```\n", encoding="utf-8")  # in every header
    assert run_build(tmp_path, conf=conf, papers=papers, out=out) == 0
    assert _series_documents(out) == people
    assert all("Guides for everyone" in (out / "authors" / f"{name}.html").read_text(encoding="utf-8") for name in people)

    (_series_doctrees(out) / series_module.PEOPLE_MANIFEST).write_text("{not json", encoding="utf-8")
    _retitle(conf, "2031", 1, "Sparse Attention Again")
    assert run_build(tmp_path, conf=conf, papers=papers, out=out) == 0
    assert _series_documents(out) == people

    # a build that writes many pages forgets them before it ends (`FORGET_AT_ONCE`): the next edit does not pay for it
    monkeypatch.setattr(series_module, "FORGET_AT_ONCE", 2)
    (conf / "series.yaml").write_text(yaml.safe_dump({**SERIES, "short_name": "WTTS"}), encoding="utf-8")
    assert run_build(tmp_path, conf=conf, papers=papers, out=out) == 0
    assert _series_documents(out) == set()
    assert all("WTTS" in (out / "authors" / f"{name}.html").read_text(encoding="utf-8") for name in people)
    assert sorted((tmp_path / ".enlsp-cache" / "series" / "source" / "authors").iterdir()) == [
        tmp_path / ".enlsp-cache" / "series" / "source" / "authors" / "index.md"]


def test_the_editions_share_the_caches_without_undoing_each_other(tmp_path, monkeypatch):
    """Name variants and page-1 checks are remembered for every edition: one edition's answers do not
    replace another's (a series rebuild used to compare every name and first page again)."""
    from enlsp_proceedings.model.people import PeopleIndex

    conf, _ = make_series(tmp_path)
    series = load_series(conf)
    cache = tmp_path / "cache"
    for edition in series.editions:
        PeopleIndex(edition.proc).likely_variants_cached(cache)

    def recomputed(self):
        raise AssertionError("compared the names again")

    monkeypatch.setattr(PeopleIndex, "likely_variants", recomputed)
    for edition in series.editions:
        assert PeopleIndex(edition.proc).likely_variants_cached(cache) == []


def test_the_orcids_list_gives_a_single_workshop_person_their_id(tmp_path):
    from enlsp_proceedings.model.load import load_proceedings
    from enlsp_proceedings.model.people import PeopleIndex

    conf, _ = make_series(tmp_path)
    (conf / "2031" / "people.yaml").write_text("orcids:\n  - {name: Priya Raman, orcid: 0000-0002-1825-0097}\n", encoding="utf-8")
    index = PeopleIndex(load_proceedings(conf / "2031"))
    assert index.by_slug[index.slug("Priya Raman")].orcid == "0000-0002-1825-0097"
    assert index.by_slug[index.slug("Wei Zhang")].orcid is None


def test_commands_that_write_one_workshop_ask_which_edition_on_a_series(tmp_path, capsys):
    from conftest import cli_main

    conf, papers = make_series(tmp_path)
    before = {p: p.read_bytes() for p in conf.rglob("*") if p.is_file()}
    export = tmp_path / "accepted.json"
    export.write_text('[{"id": "1", "title": "T", "abstract": "A.", "authors": "Ana Silva", "status": "Accept"}]', encoding="utf-8")
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    for args in (["import-cmt", str(export), "--out", str(conf / "papers.yaml")],
                 ["import-program", str(tmp_path), "--conf", str(conf)],
                 ["collect", str(downloads), "--conf", str(conf), "--papers", str(papers)]):
        assert cli_main(args) == 1
        err = capsys.readouterr().err
        assert f"{conf} is a series (it has series.yaml): name the edition" in err and "its editions: 2031, 2032" in err, err
    assert {p: p.read_bytes() for p in conf.rglob("*") if p.is_file()} == before


@pytest.mark.slow
def test_the_series_own_text_is_text_on_every_page(tmp_path):
    """series.yaml is the organizers' text: shown as text (escaped), never as markup, on the series' pages."""
    evil = '<img src=x onerror=alert(1)>"&'
    series = {**SERIES, "name": "Testing " + evil, "short_name": "WTT" + evil, "description": "About " + evil,
              "links": [{"label": "Site " + evil, "url": "https://wtt.example.org/?a=1&b=2"}]}
    conf, papers = make_series(tmp_path, series=series)
    out = tmp_path / "site"
    assert run_build(tmp_path, conf=conf, papers=papers, out=out) == 0
    pages = [p for p in out.glob("*.html")] + list((out / "authors").glob("*.html")) + list((out / "all").glob("*.html"))
    assert len(pages) >= 5
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert "<img src=x" not in text, page
    home = (out / "index.html").read_text(encoding="utf-8")
    assert "Testing &lt;img src=x onerror=alert(1)&gt;" in home and "About &lt;img" in home and "Site &lt;img" in home
    assert json.loads((out / "editions.json").read_text(encoding="utf-8"))["series"]["short_name"] == "WTT" + evil


def test_an_editions_data_is_remembered_for_the_very_bytes_of_its_files_and_problems_are_reported_every_time(tmp_path, monkeypatch):
    from enlsp_proceedings.model import series as series_model

    conf, _ = make_series(tmp_path)
    memo = tmp_path / "cache" / "conf"
    loaded: list[str] = []
    real = series_model.load_proceedings
    monkeypatch.setattr(series_model, "load_proceedings", lambda folder: loaded.append(Path(folder).name) or real(folder))
    first = load_series(conf, memo)
    assert sorted(loaded) == ["2031", "2032"]
    loaded.clear()
    again = load_series(conf, memo)
    assert loaded == [] and [e.proc for e in again.editions] == [e.proc for e in first.editions]
    assert [e.proc.model_dump_json() for e in again.editions] == [e.proc.model_dump_json() for e in first.editions]
    papers = conf / "2032" / "papers.yaml"
    papers.write_text(papers.read_text(encoding="utf-8").replace("Pruning Tiny Models", "Pruning Tiny Models Again"), encoding="utf-8")
    (memo / "2031.pickle").write_bytes(b"not a memo")
    edited = load_series(conf, memo)
    assert sorted(loaded) == ["2031", "2032"]  # the edited edition, and the one whose memo is broken
    assert edited.edition("2032").proc.papers[0].title == "Pruning Tiny Models Again"
    papers.write_text("papers:\n  - id: x\n    title: ''\n", encoding="utf-8")
    for _ in range(2):  # a problem is never remembered: it is reported by every build
        with pytest.raises(ConfError) as caught:
            load_series(conf, memo)
        assert any("2032" in p.file for p in caught.value.problems)


def test_the_page_of_a_person_no_longer_in_any_edition_is_removed(tmp_path):
    _remove_stale_people = series_module._remove_stale_people
    _remove_stale_people(tmp_path, {})  # no person pages yet: nothing to do
    authors = tmp_path / paths.AUTHORS
    authors.mkdir()
    for name in ("wei-zhang.html", "priya-raman.html", "notes.txt"):
        (authors / name).write_text("page", encoding="utf-8")
    (authors / "folder.html").mkdir()
    _remove_stale_people(tmp_path, {paths.docname(paths.author_page("wei-zhang")): "stub"})
    assert sorted(p.name for p in authors.iterdir()) == ["folder.html", "notes.txt", "wei-zhang.html"]


def test_the_pages_a_build_misses_are_named_in_order_and_a_folder_is_no_page(tmp_path):
    from enlsp_proceedings.publish.sources import has_all_pages, missing_pages

    (tmp_path / "papers").mkdir()
    (tmp_path / "index.html").write_text("home", encoding="utf-8")
    (tmp_path / "papers" / "alpha.html").write_text("alpha", encoding="utf-8")
    (tmp_path / "papers" / "beta.html").mkdir()  # not a page
    docnames = ["index", "papers/beta", "papers/alpha", "papers/gamma"]
    assert list(missing_pages(tmp_path, docnames)) == ["papers/beta", "papers/gamma"]
    assert not has_all_pages(tmp_path, docnames) and has_all_pages(tmp_path, ["index", "papers/alpha"]) and has_all_pages(tmp_path, [])
    assert not has_all_pages(tmp_path / "gone", ["index"])
