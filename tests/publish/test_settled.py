"""An edition a series build settled (volume, PDFs, warnings, pages' fingerprint) is remembered while
nothing it is made from changes, and settled again as soon as anything does (`publish.settled`)."""

from __future__ import annotations

import datetime as dt
import functools
import os
import shutil
from pathlib import Path

import pytest
import yaml

from enlsp_proceedings.model.series import load_series
from enlsp_proceedings.model.series_people import SeriesPeople
from enlsp_proceedings.pdf.check import FirstPageMemo, NameFindingsMemo
from enlsp_proceedings.publish import series as series_module
from enlsp_proceedings.publish.pipeline import VolumeSummary
from enlsp_proceedings.publish.settled import SETTLED_MEMO, settle_edition, settled_key
from enlsp_proceedings.publish.sphinx_run import sphinx_confdir
from test_series import make_series

TODAY = dt.date(2033, 1, 10)


class Archive:
    """The two-edition series of test_series, with PDFs, loaded as a build loads it."""

    def __init__(self, root: Path):
        self.root = root
        self.conf_dir, self.papers_dir = root / "conf", root / "papers"
        self.cache = root / "cache"
        self.confdir = sphinx_confdir(None)
        self.load()

    def load(self) -> None:
        self.conf = load_series(self.conf_dir, memo=self.cache / "series" / "conf")
        self.people = SeriesPeople.remembered([(e.id, e.proc) for e in self.conf.editions], self.conf.people,
                                              self.cache / "series" / "people.pickle")

    def key(self, edition: str = "2031", today: dt.date = TODAY) -> str | None:
        e = self.conf.edition(edition)
        return settled_key(e, self.conf, self.people, today, self.papers_dir / edition, self.conf_dir / edition, self.confdir)

    def settle(self, edition: str = "2031", settled: list[str] | None = None):
        """`settle_edition` as the build calls it; ``settled`` lists the editions settled afresh."""
        e = self.conf.edition(edition)
        memo, names = FirstPageMemo(self.cache), NameFindingsMemo(self.cache)
        make = functools.partial(series_module._settle, self.conf, e, self.people, TODAY, self.papers_dir / edition,
                                 self.conf_dir / edition, self.cache, memo, names, True)

        def counted():
            if settled is not None:
                settled.append(edition)
            return make()

        result = settle_edition(self.key(edition), self.cache / "series" / edition, counted, self.confdir, memo, names, e.digest)
        memo.save()
        names.save()
        return result


def edit_yaml(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """The series made once, its PDFs' facts in the cache (nothing of it settled or remembered)."""
    root = tmp_path_factory.mktemp("settled-template")
    make_series(root, pdfs=True)
    Archive(root).settle()
    shutil.rmtree(root / "cache" / "series")
    return root


@pytest.fixture()
def archive(template, tmp_path) -> Archive:
    for name in ("conf", "papers", "cache"):
        shutil.copytree(template / name, tmp_path / name, symlinks=True, copy_function=shutil.copy)  # new files: their own identity
    return Archive(tmp_path)


def test_an_unchanged_edition_is_read_back_as_it_was_settled(archive):
    settled: list[str] = []
    first, sources, volume_json = archive.settle(settled=settled)
    assert settled == ["2031"] and volume_json == first.volume.to_json() and not sources.remembered
    assert (archive.cache / "series" / "2031" / SETTLED_MEMO).is_file()
    again, sources_again, json_again = archive.settle(settled=settled)
    assert settled == ["2031"]  # not settled afresh
    assert json_again is None and sources_again.remembered
    assert again.volume.to_json() == volume_json  # the very data its pages' fingerprint was made from
    assert again.fingerprint == first.fingerprint == sources.fingerprint == sources_again.fingerprint
    assert sources_again.pages == sources.pages
    assert [str(w) for w in again.warnings] == [str(w) for w in first.warnings]
    assert again.pdfs.keys() == first.pdfs.keys() and again.volume.pdfs["alpha"].pages == first.volume.pdfs["alpha"].pages
    report = again.report()
    report.warnings.append(report.warnings[0] if report.warnings else None)  # the report is the build's own copy
    assert len(again.warnings) == len(first.warnings)


def test_an_edition_read_back_is_not_read_for_its_volume_until_it_is_asked_for(archive):
    first, _sources, _json = archive.settle()
    again, _sources, _json = archive.settle()
    assert not again.deferred.loaded  # neither its pages' sources (remembered) nor its report needed it
    report = again.report()
    assert report.summary == VolumeSummary.of(first.volume) and not again.deferred.loaded  # the command's line, without it
    assert report.volume.to_json() == first.volume.to_json() and again.deferred.loaded


def test_the_checks_an_unchanged_edition_used_stay_remembered(archive):
    archive.settle()
    checks = FirstPageMemo(archive.cache).known
    findings = NameFindingsMemo(archive.cache).known
    assert checks and findings
    archive.settle()  # read back: nothing asked the memos, yet they keep what the edition used
    assert FirstPageMemo(archive.cache).known == checks
    assert NameFindingsMemo(archive.cache).known == findings


CHANGES = {
    "its own data": lambda a: edit_yaml(a.conf_dir / "2031" / "papers.yaml", lambda d: d["papers"][1].update(title="Sparse Attention, Revised")),
    "a PDF replaced": lambda a: shutil.copyfile(a.papers_dir / "2032" / "alpha.pdf", a.papers_dir / "2031" / "alpha.pdf"),
    "a PDF touched": lambda a: os.utime(a.papers_dir / "2031" / "alpha.pdf", ns=(1, 1)),
    "a file added to its papers": lambda a: (a.papers_dir / "2031" / "beta-supplement.zip").write_bytes(b"PK"),
    "a PDF removed": lambda a: (a.papers_dir / "2031" / "alpha.pdf").unlink(),
    "a person of another edition": lambda a: edit_yaml(a.conf_dir / "2032" / "papers.yaml",
                                                      lambda d: d["papers"][0]["authors"].append({"name": "Wei Zhang"})),
    "the series' people": lambda a: (a.conf_dir / "people.yaml").write_text("distinct:\n  - [Priya Raman, Wei Zhang]\n", encoding="utf-8"),
    "series.yaml": lambda a: edit_yaml(a.conf_dir / "series.yaml", lambda d: d.update(description="All the years.")),
    "another edition's short name": lambda a: edit_yaml(a.conf_dir / "2032" / "workshop.yaml", lambda d: d.update(short_name="WTT-2")),
}


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_an_edition_is_settled_again_when_anything_it_is_made_from_changes(archive, change):
    before = archive.key()
    assert before is not None and archive.key() == before
    CHANGES[change](archive)
    archive.load()
    assert archive.key() != before
    settled: list[str] = []
    archive.settle(settled=settled)
    assert settled == ["2031"]


def test_the_day_it_is_built_on_is_part_of_what_an_edition_is_made_from(archive):
    assert archive.key(today=TODAY) != archive.key(today=TODAY + dt.timedelta(days=1))  # held yet or not


def test_what_another_edition_says_of_its_papers_changes_nothing_of_this_one(archive):
    before = archive.key("2031")
    edit_yaml(archive.conf_dir / "2032" / "papers.yaml", lambda d: d["papers"][0].update(title="Pruning Tiny Models, Again", abstract="New."))
    (archive.papers_dir / "2032" / "alpha.pdf").unlink()
    archive.load()
    assert archive.key("2031") == before


def test_an_edition_whose_files_cannot_all_be_listed_is_settled_every_time(archive, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (archive.papers_dir / "2031" / "more").symlink_to(elsewhere, target_is_directory=True)  # its files could change unseen
    assert archive.key() is None
    settled: list[str] = []
    archive.settle(settled=settled)
    archive.settle(settled=settled)
    assert settled == ["2031", "2031"] and not (archive.cache / "series" / "2031" / SETTLED_MEMO).exists()


def test_a_linked_pdf_is_known_by_its_target(archive, tmp_path):
    target = tmp_path / "camera-ready.pdf"
    shutil.copyfile(archive.papers_dir / "2031" / "alpha.pdf", target)
    (archive.papers_dir / "2031" / "alpha.pdf").unlink()
    (archive.papers_dir / "2031" / "alpha.pdf").symlink_to(target)
    before = archive.key()
    assert before is not None
    shutil.copyfile(archive.papers_dir / "2032" / "alpha.pdf", target)  # the file the link names is replaced
    assert archive.key() != before
