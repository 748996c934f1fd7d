"""What a series rebuild does, and does not, redo (timings live in benchmarks/series.py, not here).

A series keeps two copies of the archive, as a single workshop does: after the first build the
second copy is made at once, and each build brings it up to date from the published copy, so an
edit to one edition starts Sphinx for that edition and the series' own pages only, re-reads only
the pages of the edit, and leaves every file of the other editions as it was (bytes and mtimes).
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import yaml

from enlsp_proceedings.publish import series as series_module
from enlsp_proceedings.publish.pipeline import BuildOptions
from enlsp_proceedings.publish.series import build_series
from test_series import make_series

pytestmark = pytest.mark.slow


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


def test_an_edit_to_one_edition_starts_sphinx_for_it_and_the_series_only(built, monkeypatch):
    ran: list[str] = []
    from enlsp_proceedings.publish import pipeline

    real_pipeline, real_series = pipeline.run_sphinx, series_module.run_sphinx
    monkeypatch.setattr(pipeline, "run_sphinx", lambda volume, src, site, *a, **k: ran.append(site.name) or real_pipeline(volume, src, site, *a, **k))
    monkeypatch.setattr(series_module, "run_sphinx", lambda volume, src, site, *a, **k: ran.append("series") or real_series(volume, src, site, *a, **k))
    for n, title in enumerate(("Pruning Tiny Models Well", "Pruning Tiny Models Better")):  # the first edit and the one after
        ran.clear()
        other = mtimes(built / "site" / "2031")
        retitle(built / "conf", "2032", title)
        started = time.time_ns()
        build_series(options(built))
        assert ran == ["2032", "series"], (n, ran)
        assert mtimes(built / "site" / "2031") == other  # not one file of the other edition rewritten
        assert title in (built / "site" / "2032" / "papers" / "alpha.html").read_text(encoding="utf-8")
        reread = set()
        for copy in (built / ".enlsp-cache" / "doctrees").iterdir():
            reread |= {str(p.relative_to(copy)) for p in copy.rglob("*.doctree") if p.stat().st_mtime_ns >= started}
        assert "2032/papers/alpha.doctree" in reread
        assert not any(d.startswith("2031/") for d in reread), sorted(reread)
        # the series re-reads the pages that show the edited paper, not every person page
        assert {d for d in reread if d.startswith("_series/authors/") and d != "_series/authors/index.doctree"} <= {"_series/authors/priya-raman.doctree"}, sorted(reread)
