"""What a series rebuild does, and does not, redo (timings live in benchmarks/series.py, not here).

A series keeps two copies of the archive, as a single workshop does: after the first build the
second copy is made at once, and each build brings it up to date from the published copy, so an
edit to one edition starts Sphinx for that edition and the series' own pages only, re-reads only
the pages of the edit, and leaves every file of the other editions as it was (bytes and mtimes).
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
import yaml

from enlsp_proceedings.publish import series as series_module
from enlsp_proceedings.publish import settled as settled_module
from enlsp_proceedings.publish.pipeline import BuildOptions, VolumeSummary
from enlsp_proceedings.publish.series import build_series
from enlsp_proceedings.util.files import Deferred
from test_series import make_series


def options(root: Path) -> BuildOptions:
    return BuildOptions(conf_dir=root / "conf", papers_dir=root / "papers", out_dir=root / "site", docs_dir=root / "docs",
                        jobs=1, quiet=True)


def mtimes(root: Path) -> dict[str, int]:
    return {str(p.relative_to(root)): p.stat().st_mtime_ns for p in root.rglob("*") if p.is_file()}


def retitle(conf: Path, edition: str, title: str) -> None:
    path = conf / edition / "papers.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["papers"][0]["title"] = title
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.fixture()
def built(tmp_path) -> Path:
    """The two-edition series of test_series, with PDFs, built once."""
    make_series(tmp_path, pdfs=True)
    build_series(options(tmp_path))
    return tmp_path


@pytest.mark.slow
def test_the_first_build_of_a_series_makes_the_second_copy_with_its_doctrees(built):
    staging = built / ".site.staging"
    assert (staging / "2031" / "papers" / "alpha.html").is_file() and (staging / "index.html").is_file()
    doctrees = [d for d in (built / ".enlsp-cache" / "doctrees").iterdir()]
    assert len(doctrees) == 2  # one per copy: each holds every edition's environment and the series'
    for copy in doctrees:
        assert {p.parent.name for p in copy.glob("*/environment.pickle")} == {"2031", "2032", "_series"}
    # the editions' PDFs are hard-linked between the copies, not copied byte by byte
    for edition in ("2031", "2032"):
        assert (staging / edition / "papers" / "alpha.pdf").stat().st_ino == (built / "site" / edition / "papers" / "alpha.pdf").stat().st_ino


@pytest.mark.slow
def test_an_edit_to_one_edition_starts_sphinx_for_it_and_the_series_only(built, monkeypatch):
    ran: list[str] = []
    from enlsp_proceedings.publish import pipeline
    from enlsp_proceedings.publish import site as site_module

    copied: list[Path] = []
    real_copy = site_module._copy_file
    monkeypatch.setattr(site_module, "_copy_file", lambda src, dst, link: copied.append(Path(src)) or real_copy(src, dst, link))
    walked: list[Path] = []
    real_mirror = site_module._mirror
    monkeypatch.setattr(site_module, "_mirror", lambda src, dst, *a, **k: walked.append(Path(src)) or real_mirror(src, dst, *a, **k))
    real_pipeline, real_series = pipeline.run_sphinx, series_module.run_sphinx
    monkeypatch.setattr(pipeline, "run_sphinx", lambda volume, src, site, *a, **k: ran.append(site.name) or real_pipeline(volume, src, site, *a, **k))
    monkeypatch.setattr(series_module, "run_sphinx", lambda volume, src, site, *a, **k: ran.append("series") or real_series(volume, src, site, *a, **k))
    for n, title in enumerate(("Pruning Tiny Models Well", "Pruning Tiny Models Better")):  # the first edit and the one after
        ran.clear()
        copied.clear()
        walked.clear()
        other = mtimes(built / "site" / "2031")
        retitle(built / "conf", "2032", title)
        started = time.time_ns()
        build_series(options(built))
        assert ran == ["2032", "series"], (n, ran)
        # bringing the second copy up to date copies no search index: the edited edition's is the search step's
        assert not [p for p in copied if "pagefind" in p.parts], sorted(map(str, copied))
        # nor does it look into the other edition's folder or doctrees: both copies have it from the same inputs
        assert not [p for p in walked if "2031" in p.parts], sorted(map(str, walked))
        if n:
            assert walked, "the second edit brings the copy up to date"
        assert mtimes(built / "site" / "2031") == other  # not one file of the other edition rewritten
        assert title in (built / "site" / "2032" / "papers" / "alpha.html").read_text(encoding="utf-8")
        assert title in (built / "site" / "all" / "proceedings.bib").read_text(encoding="utf-8")
        reread = set()
        for copy in (built / ".enlsp-cache" / "doctrees").iterdir():
            reread |= {str(p.relative_to(copy)) for p in copy.rglob("*.doctree") if p.stat().st_mtime_ns >= started}
        assert "2032/papers/alpha.doctree" in reread
        assert not any(d.startswith("2031/") for d in reread), sorted(reread)
        # the series re-reads the pages that show the edited paper, not every person page
        assert {d for d in reread if d.startswith("_series/authors/") and d != "_series/authors/index.doctree"} <= {"_series/authors/priya-raman.doctree"}, sorted(reread)


@pytest.mark.slow
def test_a_change_to_the_series_pages_only_does_not_join_the_editions_downloads_again(built, monkeypatch):
    from enlsp_proceedings.outputs import cite

    joined: list[str] = []
    real = cite.join_bibtex
    monkeypatch.setattr(cite, "join_bibtex", lambda parts: joined.append("bib") or real(parts))
    before = mtimes(built / "site" / "all")
    series_yaml = built / "conf" / "series.yaml"
    data = yaml.safe_load(series_yaml.read_text(encoding="utf-8"))
    data["description"] = "A workshop held every year, and again."
    series_yaml.write_text(yaml.safe_dump(data), encoding="utf-8")
    build_series(options(built))
    assert "and again" in (built / "site" / "index.html").read_text(encoding="utf-8")
    assert joined == []
    assert {k: v for k, v in mtimes(built / "site" / "all").items() if not k.startswith(".")} == \
        {k: v for k, v in before.items() if not k.startswith(".")}


def test_the_second_copy_links_new_search_bundles_and_keeps_those_it_has(tmp_path):
    """A bundle folder is named by its content and never written in place: one the copy has is
    kept without looking inside, a new one is hard-linked whole, an old one removed."""
    from enlsp_proceedings.publish.site import _mirror

    published, copy = tmp_path / "site", tmp_path / "copy"
    for site, names in ((published, ("aaa", "bbb")), (copy, ("aaa", "old"))):
        for name in names:
            (site / "2031" / "pagefind" / name / "fragment").mkdir(parents=True)
            (site / "2031" / "pagefind" / name / "fragment" / "x.pf").write_text(name)
        (site / "2031" / "pagefind" / "bundles.json").write_text(json.dumps(names))
    kept = (copy / "2031" / "pagefind" / "aaa" / "fragment" / "x.pf").stat()
    _mirror(str(published), str(copy))
    assert sorted(p.name for p in (copy / "2031" / "pagefind").iterdir()) == ["aaa", "bbb", "bundles.json"]
    assert (copy / "2031" / "pagefind" / "aaa" / "fragment" / "x.pf").stat().st_ino == kept.st_ino
    assert (copy / "2031" / "pagefind" / "bbb" / "fragment" / "x.pf").stat().st_ino == \
        (published / "2031" / "pagefind" / "bbb" / "fragment" / "x.pf").stat().st_ino
    assert (copy / "2031" / "pagefind" / "bundles.json").read_text() == json.dumps(["aaa", "bbb"])
    # a path to skip below the top: neither copied nor deleted
    (copy / "2031" / "pagefind" / "mine").mkdir()
    _mirror(str(published), str(copy), skip=frozenset({"2031/pagefind"}))
    assert (copy / "2031" / "pagefind" / "mine").is_dir()


@pytest.mark.slow
def test_an_edition_whose_data_did_not_change_is_not_digested_again(built, monkeypatch):
    """Each edition's page sources are remembered with the hash of the data they were made from: an
    edit to one edition digests that edition's pages only, a no-change rebuild none."""
    digested: list[str] = []
    real = settled_module.source_pages
    monkeypatch.setattr(settled_module, "source_pages", lambda volume, *a: digested.append(volume.series.edition) or real(volume, *a))
    retitle(built / "conf", "2032", "Pruning Tiny Models Faster")
    build_series(options(built))
    assert digested == ["2032"]
    assert "Pruning Tiny Models Faster" in (built / "site" / "2032" / "papers" / "alpha.html").read_text(encoding="utf-8")
    digested.clear()
    assert build_series(options(built)).up_to_date and digested == []


@pytest.mark.slow
def test_an_edit_to_one_edition_reads_back_no_other_editions_data(built, monkeypatch):
    """The editions an edit leaves alone give their workshop and number of papers from the memo of
    their data (`model.series.RememberedEdition`), whose papers stay pickled: nothing of the build
    (people, settling, the series' pages and downloads, the root edition's old addresses) reads them."""
    from enlsp_proceedings.model.schema import Proceedings
    from enlsp_proceedings.model.series import load_series
    from enlsp_proceedings.util.files import Deferred

    read_back: list[str] = []
    real_get = Deferred.get

    def get(self):
        pickled = not self.loaded
        value = real_get(self)
        if pickled and isinstance(value, Proceedings):
            read_back.append(value.workshop.short_name)
        return value

    monkeypatch.setattr(Deferred, "get", get)
    retitle(built / "conf", "2032", "Retitled Alone")
    report = build_series(options(built))
    assert read_back == []
    assert "Retitled Alone" in (built / "site" / "all" / "index.html").read_text(encoding="utf-8")
    assert set(report.editions) == {"2031", "2032"}
    # asked for, an edition's data is read back whole, as it was loaded
    series = load_series(built / "conf", memo=built / ".enlsp-cache" / "series" / "conf")
    first = series.edition("2031")
    assert (first.workshop, first.paper_count) == (first.proc.workshop, len(first.proc.papers)) and read_back == [first.workshop.short_name]


@pytest.mark.slow
def test_an_edit_to_one_edition_settles_that_edition_alone_and_still_reports_the_others(built, monkeypatch):
    """The other edition's volume, checks and pages' fingerprint are read back as the last build
    settled them (`publish.settled`); its warnings are reported as before. A no-change rebuild
    settles none, a PDF replaced settles its edition again."""
    (built / "papers" / "2031" / "beta.pdf").unlink()
    before = build_series(options(built))
    assert "no camera-ready PDF" in " ".join(str(w) for w in before.editions["2031"].warnings)
    settled: list[str] = []
    real = series_module._settle
    monkeypatch.setattr(series_module, "_settle", lambda conf, edition, *a: settled.append(edition.id) or real(conf, edition, *a))
    retitle(built / "conf", "2032", "Pruning Tiny Models, Settled")
    report = build_series(options(built))
    assert settled == ["2032"]
    assert [str(w) for w in report.editions["2031"].warnings] == [str(w) for w in before.editions["2031"].warnings]
    assert {str(w) for w in before.warnings if "edition 2031" in str(w)} <= {str(w) for w in report.warnings}
    read_back = report.editions["2031"]
    assert isinstance(read_back.data, Deferred) and not read_back.data.loaded  # the edition read back was never read for its volume: not built, not needed
    assert read_back.summary == VolumeSummary.of(before.editions["2031"].volume)  # what the command says of it, without it
    assert read_back.volume.to_json() == before.editions["2031"].volume.to_json()  # read when asked for
    settled.clear()
    assert build_series(options(built)).up_to_date and settled == []
    pdf = built / "papers" / "2031" / "alpha.pdf"
    pdf.write_bytes((built / "papers" / "2032" / "alpha.pdf").read_bytes())  # another paper's file: a warning of its own
    report = build_series(options(built))
    assert settled == ["2031"]
    assert len(report.editions["2031"].warnings) > len(before.editions["2031"].warnings)


@pytest.mark.slow
def test_a_site_deleted_is_built_again_from_the_editions_read_back_as_a_clean_build_makes_it(built, tmp_path, monkeypatch):
    """Every edition's pages, thumbnails, downloads and search index come from what the cache
    remembers of it (nothing is settled again), and equal a build with no cache at all."""
    import shutil

    from test_incremental import clean_copy, site_files

    shutil.rmtree(built / "site")
    settled: list[str] = []
    real = series_module._settle
    monkeypatch.setattr(series_module, "_settle", lambda conf, edition, *a: settled.append(edition.id) or real(conf, edition, *a))
    build_series(options(built))
    assert settled == []
    assert (built / "site" / "2031" / "papers" / "alpha.png").is_file()
    monkeypatch.undo()
    clean = clean_copy(built, tmp_path / "clean")
    build_series(options(clean))
    manifests = {".enlsp-legacy.json", "all/.enlsp-all.json"}  # the build's own records of its files' sizes and times
    got, want = ({k: v for k, v in site_files(s).items() if k not in manifests} for s in (built / "site", clean / "site"))
    assert sorted(got) == sorted(want)
    assert [name for name in want if got[name] != want[name]] == []


@pytest.mark.slow
def test_an_edit_digests_the_person_pages_of_its_editions_people_only(built, monkeypatch):
    """A person's page shows what the editions they are in say of them: its digest is remembered with
    those editions' fingerprints, so an edit to 2032 digests the pages of 2032's people alone."""
    from enlsp_proceedings.sphinxext.pages.series import SeriesPersonShows

    people: list[str] = []
    real = SeriesPersonShows.digest
    monkeypatch.setattr(SeriesPersonShows, "digest", lambda self, salt="": people.append(self.person.slug) or real(self, salt))
    retitle(built / "conf", "2032", "Pruning Tiny Models Anew")
    build_series(options(built))
    assert "priya-raman" in people and "ola-nordmann" not in people and "wei-zhang" not in people, people
    assert "Pruning Tiny Models Anew" in (built / "site" / "authors" / "priya-raman.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_a_small_update_of_the_series_pages_is_read_and_written_in_this_process(built, monkeypatch):
    """The series' own Sphinx project, like an edition's, reads and writes a handful of changed pages
    in the build's process: a parallel read ships the whole environment (every person page) to
    workers and back, which cost more than the pages themselves (sphinxext/parallel.py)."""
    from sphinx.builders import Builder

    reads: list[str] = []
    writes: list[str] = []
    real_read, real_write = Builder._read_parallel, Builder._write_parallel
    monkeypatch.setattr(Builder, "_read_parallel", lambda self, docnames, nproc: reads.append(str(self.srcdir)) or real_read(self, docnames, nproc))
    monkeypatch.setattr(Builder, "_write_parallel", lambda self, docnames, nproc: writes.append(str(self.srcdir)) or real_write(self, docnames, nproc))
    path = built / "conf" / "2032" / "papers.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["papers"][0]["authors"] += [{"name": f"Coauthor Number{n}"} for n in range(8)]  # eight new person pages, the index, the list
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    opts = options(built)
    opts.jobs = 2
    monkeypatch.setattr(series_module, "_alongside", lambda *args: False)  # both projects in this process, where this test watches them
    build_series(opts)
    assert (built / "site" / "authors" / "coauthor-number7.html").is_file()
    assert reads == [] and writes == []


def test_remembered_page_sources_are_made_again_when_the_data_the_configuration_or_the_guide_changes(tmp_path):
    from enlsp_proceedings.publish.sources import remembered_sources

    confdir, docs, memo = tmp_path / "confdir", tmp_path / "docs", tmp_path / "cache" / "sources.json"
    confdir.mkdir()
    (confdir / "conf.py").write_text("html_title = 'A'\n", encoding="utf-8")
    (docs / "guide").mkdir(parents=True)
    (docs / "guide" / "index.md").write_text("# Guide\n", encoding="utf-8")
    made: list[str] = []

    def pages() -> dict[str, str]:
        made.append("x")
        return {"index": f"stub {len(made)}"}

    first = remembered_sources('{"papers": 1}', pages, docs, confdir, memo)
    again = remembered_sources('{"papers": 1}', pages, docs, confdir, memo)
    assert not first.remembered and again.remembered and len(made) == 1
    assert again.pages == first.pages and again.fingerprint == first.fingerprint
    fingerprints = {first.fingerprint}
    for change in (lambda: None, lambda: (confdir / "conf.py").write_text("html_title = 'B'\n", encoding="utf-8"),
                   lambda: (docs / "guide" / "index.md").write_text("# Guide, revised\n", encoding="utf-8"),
                   lambda: memo.write_text("{not json", encoding="utf-8")):
        change()
        before = len(made)
        result = remembered_sources('{"papers": 2}', pages, docs, confdir, memo)  # new data first, then each other input
        assert len(made) == before + 1 and not result.remembered, change
        fingerprints.add(result.fingerprint)
    assert len(fingerprints) == 4  # the data, the configuration, the guide: each a new fingerprint; a broken memo the same one


@pytest.mark.slow
def test_the_series_pages_are_handed_the_builds_own_data_and_no_file_of_it_is_saved(built, monkeypatch):
    """The series' Sphinx project takes the data the build holds (`remember_series`), once, under
    the series' folder of the cache; no series.json is written (0.28 s of every edit at 10 × 1,000
    papers), and one an earlier build left there is removed. A Sphinx run of the series' pages
    that was handed nothing says so, instead of building pages of stale data."""
    from sphinx.errors import ConfigError

    from enlsp_proceedings.sphinxext import data

    opts = options(built)
    stale = opts.cache / "series" / "series.json"
    stale.write_text("{}", encoding="utf-8")
    handed = []
    real = data.remember_series
    monkeypatch.setattr(data, "remember_series", lambda path, site: (handed.append((path, site)), real(path, site)))
    retitle(built / "conf", "2032", "A retitled paper")
    report = build_series(opts)
    [(path, site)] = handed
    assert site is report.site and site.papers and site.people and site.editions
    assert "A retitled paper" in {paper.title for paper in site.papers}
    assert path == opts.cache / "series" and not stale.exists()

    def app(folder):
        return type("App", (), {"config": type("Config", (), {"enlsp_series": str(folder)})})()

    assert data.get_series(app(path)) is site
    with pytest.raises(ConfigError, match="hands Sphinx their data"):
        data.get_series(app(built / "elsewhere"))


@pytest.mark.slow
def test_all_is_the_editions_downloads_joined_edit_after_edit_in_both_site_copies(built, monkeypatch):
    """The copy of the published site into the other copy leaves all/'s joined files and their
    record as they are (65 MB at 10 × 1,000 papers, copied on every edit, then written again): the
    build writes them from that copy's own record. Edit after edit, in each copy, all/ is that
    copy's editions' downloads joined, byte for byte."""
    from enlsp_proceedings.model.series import load_series
    from enlsp_proceedings.publish import site as site_module
    from enlsp_proceedings.publish.all_downloads import OWN_FILES
    from test_all_downloads import all_files, reference

    copied: list[str] = []
    real = site_module._copy_file
    monkeypatch.setattr(site_module, "_copy_file", lambda source, target, link: copied.append(target) or real(source, target, link))
    series = load_series(built / "conf")
    for n, edition in enumerate(["2032", "2031", "2032", "2032"]):
        retitle(built / "conf", edition, f"Pruning Tiny Models, take {n}")
        build_series(options(built))
        for copy in (built / "site", built / ".site.staging"):
            assert all_files(copy) == reference(copy, series), (n, copy)
        assert f"take {n}" in (built / "site" / "all" / "proceedings.bib").read_text(encoding="utf-8")
    staged = [Path(t).relative_to(built / ".site.staging").as_posix() for t in copied if Path(t).is_relative_to(built / ".site.staging")]
    assert "all/index.html" in staged and not OWN_FILES & set(staged)  # the list of every paper is Sphinx's: copied


@pytest.mark.slow
def test_a_change_to_series_yaml_alone_rebuilds_the_series_pages(built):
    """Whether the series' pages changed is known from series.yaml's fields and each edition's
    fingerprint, without saving every paper's data as JSON first: a new description alone is one."""
    path = built / "conf" / "series.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["description"] = "A workshop held every year, now with a longer description."
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    assert not build_series(options(built)).up_to_date
    assert "now with a longer description" in (built / "site" / "index.html").read_text(encoding="utf-8")
    assert build_series(options(built)).up_to_date


def test_page_stubs_are_not_read_back_when_their_file_is_as_last_written(tmp_path, monkeypatch):
    """`write_pages` remembers each stub's size, mtime and digest (`source.written.json`): a stub as
    last written is not read back (13,700 person pages at 10 × 1,000); one changed, removed or
    unknown behind its back is rewritten or removed all the same."""
    from enlsp_proceedings.publish.sources import WRITTEN_SUFFIX, write_pages

    src = tmp_path / "source"
    pages = {"index": "stub of the home\n", "papers/x": "stub of x\n"}
    assert sorted(write_pages(pages, src, None)) == ["index", "papers/x"]
    assert (tmp_path / f"source{WRITTEN_SUFFIX}").is_file()
    reads: list[str] = []
    real = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: reads.append(self.name) or real(self))
    before = {p: p.stat().st_mtime_ns for p in src.rglob("*.md")}
    assert write_pages(pages, src, None) == [] and [name for name in reads if name.endswith(".md")] == []
    assert {p: p.stat().st_mtime_ns for p in src.rglob("*.md")} == before
    (src / "papers" / "x.md").write_text("edited by hand, and longer\n", encoding="utf-8")
    (src / "index.md").unlink()
    (src / "stale.md").write_text("a page no longer generated\n", encoding="utf-8")
    assert sorted(write_pages(pages, src, None)) == ["index", "papers/x"]
    assert (src / "papers" / "x.md").read_text(encoding="utf-8") == "stub of x\n" and not (src / "stale.md").exists()
    assert write_pages({**pages, "index": "stub of the home, changed\n"}, src, None) == ["index"]
