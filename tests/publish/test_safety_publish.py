"""Nothing is ever lost: crashes in any build phase keep the last site; conf/ and papers/ are never written."""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import REPO, run_build
from enlsp_proceedings.outputs import downloads
from enlsp_proceedings.publish import pipeline as build_module
from enlsp_proceedings.publish import site as site_module
from enlsp_proceedings.publish.pipeline import BuildOptions, build_site
from enlsp_proceedings.util import files


def tree_state(root: Path) -> dict[str, tuple[str, int, int]]:
    """Content, mode and mtime of every file and directory: any write shows."""
    out = {}
    for p in sorted([root, *root.rglob("*")]):
        st = p.lstat()
        digest = hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() and not p.is_symlink() else os.readlink(p) if p.is_symlink() else "dir"
        out[str(p.relative_to(root))] = (digest, st.st_mode, st.st_mtime_ns)
    return out


def site_digest(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(root.rglob("*")) if p.is_file()}


def options(root: Path) -> BuildOptions:
    return BuildOptions(conf_dir=root / "conf", papers_dir=root / "papers", out_dir=root / "site", docs_dir=root / "docs", jobs=1, quiet=True)


def _retitle(root: Path, title: str) -> None:
    conf = root / "conf" / "workshop.yaml"
    data = yaml.safe_load(conf.read_text(encoding="utf-8"))
    data["title"] = title
    conf.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


class Boom(BaseException):
    """Stands in for SIGKILL/KeyboardInterrupt: nothing after it runs, no cleanup handler catches it."""


@pytest.mark.parametrize("phase", ["sphinx", "sphinx-midway", "pdf-copy", "artifacts", "stale-pages", "mark-complete"])
def test_crash_in_any_phase_keeps_last_site_and_next_build_recovers(workshop_copy, monkeypatch, phase):
    site = workshop_copy / "site"
    build_site(options(workshop_copy))  # both site copies exist: the harder case
    before = site_digest(site)
    _retitle(workshop_copy, "A Retitled Workshop")

    if phase == "sphinx":
        monkeypatch.setattr(build_module, "run_sphinx", lambda *a, **k: (_ for _ in ()).throw(Boom()))
    elif phase == "sphinx-midway":  # Sphinx has written some pages of the staging copy, then dies
        real = build_module.run_sphinx

        def half(volume, src, staging, *args, **kwargs):
            real(volume, src, staging, *args, **kwargs)
            (staging / "index.html").write_text("half-written")
            raise Boom()

        monkeypatch.setattr(build_module, "run_sphinx", half)
    elif phase == "pdf-copy":
        calls = []

        def copy_then_die(src, dst, *a, **k):
            calls.append(src)
            Path(dst).write_bytes(Path(src).read_bytes()[:100])  # a truncated copy
            raise Boom()

        # the staging copy already has its PDFs: change them so they are copied again
        for pdf in (workshop_copy / "papers").glob("*.pdf"):
            pdf.write_bytes(pdf.read_bytes() + b"\n% changed\n")
        monkeypatch.setattr(files.shutil, "copyfile", copy_then_die)
    elif phase == "artifacts":
        monkeypatch.setattr(build_module, "write_artifacts", lambda *a, **k: (_ for _ in ()).throw(Boom()))
    elif phase == "stale-pages":
        monkeypatch.setattr(build_module, "remove_stale_pages", lambda *a, **k: (_ for _ in ()).throw(Boom()))
    elif phase == "mark-complete":
        real_mark = build_module.mark

        def mark(site_dir, site_id, complete, **details):
            if complete:
                raise Boom()
            real_mark(site_dir, site_id, complete, **details)

        monkeypatch.setattr(build_module, "mark", mark)

    with pytest.raises(Boom):
        build_site(options(workshop_copy))
    assert site_digest(site) == before, phase
    monkeypatch.undo()

    build_site(options(workshop_copy))
    assert "A Retitled Workshop" in (site / "index.html").read_text(encoding="utf-8")
    for pdf in (workshop_copy / "papers").glob("*.pdf"):  # every published PDF is whole
        assert (site / "papers" / pdf.name).read_bytes() == pdf.read_bytes()
    build_site(options(workshop_copy))  # and the other copy catches up too
    assert "A Retitled Workshop" in (site / "index.html").read_text(encoding="utf-8")


def _retitle_paper(root: Path, paper_id: str, title: str) -> None:
    conf = root / "conf" / "papers.yaml"
    data = yaml.safe_load(conf.read_text(encoding="utf-8"))
    next(p for p in data["papers"] if p["id"] == paper_id)["title"] = title
    conf.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_interrupted_catch_up_of_the_staging_copy_is_not_trusted(workshop_copy, monkeypatch):
    """The staging copy, a build behind, catches up with the published copy before Sphinx runs.
    Stopped halfway (at a bad moment: the downloads' manifest copied, the edited paper's BibTeX
    still the old one), it must not pass for a copy of the published site: the next build discards it."""
    site, staging = workshop_copy / "site", workshop_copy / ".site.staging"
    _retitle_paper(workshop_copy, "beta", "Beta Corrected Once")
    build_site(options(workshop_copy))  # the staging copy is now the site before this edit
    _retitle_paper(workshop_copy, "alpha", "Alpha Corrected Too")
    before = site_digest(site)
    real_copy = site_module._copy_file

    def copy_manifest_then_stop(src, dst, link):
        if Path(src).is_relative_to(site):  # the first file of the site itself: copy the manifest, then stop
            (staging / downloads.MANIFEST).unlink(missing_ok=True)
            real_copy(str(site / downloads.MANIFEST), str(staging / downloads.MANIFEST), False)
            raise Boom()
        real_copy(src, dst, link)

    monkeypatch.setattr(site_module, "_copy_file", copy_manifest_then_stop)
    with pytest.raises(Boom):
        build_site(options(workshop_copy))
    assert site_digest(site) == before
    assert site_module.marker_id(staging)[1] is False  # marked incomplete while copying
    monkeypatch.undo()

    for title in ("A Workshop Retitled After Recovery", None):  # the recovered copy, then the other one
        build_site(options(workshop_copy))
        assert "Beta Corrected Once" in (site / "papers" / "beta.bib").read_text(encoding="utf-8")
        assert "Beta Corrected Once" in (site / "papers" / "beta.html").read_text(encoding="utf-8")
        assert "Alpha Corrected Too" in (site / "papers" / "alpha.html").read_text(encoding="utf-8")
        for listing in (site / "papers" / "index.html", site / "proceedings.bib"):
            assert {"Beta Corrected Once", "Alpha Corrected Too"} <= set(re.findall(r"(?:Beta|Alpha) Corrected \w+", listing.read_text(encoding="utf-8")))
        if title:
            _retitle(workshop_copy, title)


def test_sphinx_error_from_a_hand_written_page_keeps_last_site(workshop_copy):
    """A real Sphinx failure (a hand-written page's extension raises): the published site stays intact."""
    site = workshop_copy / "site"
    before = site_digest(site)
    docs = workshop_copy / "docs"
    docs.mkdir(exist_ok=True)
    (docs / "boom_ext.py").write_text(
        "from docutils.parsers.rst import Directive\n"
        "class Boom(Directive):\n"
        "    def run(self):\n"
        "        raise RuntimeError('custom extension exploded')\n"
        "def setup(app):\n"
        "    app.add_directive('boom', Boom)\n"
        "    return {'parallel_read_safe': True}\n"
    )
    (docs / "conf.py").write_text(
        "import sys, pathlib\nsys.path.insert(0, str(pathlib.Path(__file__).parent))\n"
        "from enlsp_proceedings.sphinxext.settings import settings\nglobals().update(settings())\nextensions.append('boom_ext')\n"
    )
    (docs / "boom.md").write_text("---\norphan: true\n---\n# Boom\n\n```{boom}\n```\n")
    with pytest.raises(Exception, match="exploded"):
        build_site(options(workshop_copy))
    assert site_digest(site) == before
    (docs / "boom.md").unlink()
    build_site(options(workshop_copy))
    assert (site / "index.html").is_file() and not (site / "boom.html").exists()


def test_conf_and_papers_are_never_written(tmp_path):
    """Checksums, modes and mtimes of conf/ and papers/ are identical after build, rebuild and check."""
    from synthetic import small_workshop

    small_workshop(tmp_path)
    (tmp_path / "papers" / "link.pdf").symlink_to("alpha.pdf")
    conf_before, papers_before = tree_state(tmp_path / "conf"), tree_state(tmp_path / "papers")
    assert run_build(tmp_path) == 0
    assert run_build(tmp_path) == 0
    from enlsp_proceedings.cli import main

    main(["check", "--conf", str(tmp_path / "conf"), "--papers", str(tmp_path / "papers"), "--out", str(tmp_path / "site"), "--format", "json"])
    shutil.rmtree(tmp_path / ".enlsp-cache")  # a cold build reads every PDF again
    assert run_build(tmp_path) == 0
    assert tree_state(tmp_path / "conf") == conf_before
    assert tree_state(tmp_path / "papers") == papers_before


@pytest.mark.parametrize("target", ["papers", "conf", ".", "papers/site", "docs", "notes"])
def test_out_dir_that_is_an_input_or_foreign_is_refused(workshop_copy, target):
    """Publishing exchanges --out and later deletes the old copy: an input (or any foreign
    directory) given by mistake as --out must be refused, untouched."""
    (workshop_copy / "docs").mkdir(exist_ok=True)
    (workshop_copy / "docs" / "guide.md").write_text("# Guide\n")
    (workshop_copy / "notes").mkdir()
    (workshop_copy / "notes" / "todo.txt").write_text("my notes\n")
    before = {d: tree_state(workshop_copy / d) for d in ("conf", "papers", "docs", "notes")}
    out = workshop_copy / target
    code = run_build(workshop_copy, out=out)
    assert code == 1
    assert {d: tree_state(workshop_copy / d) for d in before} == before
    assert not (out.resolve().parent / f".{out.resolve().name}.staging").exists()


@pytest.mark.parametrize("cache", ["conf", "papers/cache", "."])
def test_cache_dir_inside_an_input_is_refused(workshop_copy, cache):
    before = {d: tree_state(workshop_copy / d) for d in ("conf", "papers")}
    assert run_build(workshop_copy, "--cache", str(workshop_copy / cache), out=workshop_copy / "elsewhere") == 1
    assert {d: tree_state(workshop_copy / d) for d in before} == before
    assert not (workshop_copy / "elsewhere").exists()


def test_out_dir_inside_docs_and_previous_sites_are_fine(workshop_copy):
    assert run_build(workshop_copy) == 0  # replaces its own earlier site
    (workshop_copy / "docs").mkdir(exist_ok=True)
    assert run_build(workshop_copy, out=workshop_copy / "docs" / "_build" / "html") == 0


KILL_DURING_COPY = """
import os, signal, sys
from pathlib import Path
from enlsp_proceedings.util import files
from enlsp_proceedings.publish.pipeline import BuildOptions, build_site

def copy_and_die(src, dst, *args, **kwargs):
    Path(dst).write_bytes(Path(src).read_bytes()[:100])  # half a PDF, then the power goes
    os.kill(os.getpid(), signal.SIGKILL)

files.shutil.copyfile = copy_and_die
root = Path(sys.argv[1])
build_site(BuildOptions(conf_dir=root / "conf", papers_dir=root / "papers", out_dir=root / "site", docs_dir=root / "docs", jobs=1, quiet=True))
"""


def test_sigkill_while_copying_pdfs_keeps_last_site(workshop_copy):
    """A real SIGKILL in the artifact phase (after Sphinx finished): old site intact, next build whole."""
    site = workshop_copy / "site"
    build_site(options(workshop_copy))
    before = site_digest(site)
    _retitle(workshop_copy, "Retitled Before The Kill")
    for pdf in (workshop_copy / "papers").glob("*.pdf"):
        pdf.write_bytes(pdf.read_bytes() + b"\n% new camera-ready\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO / "src"), os.environ.get("PYTHONPATH", "")])}
    log = workshop_copy / "kill.log"
    with open(log, "w") as fh:
        proc = subprocess.Popen([sys.executable, "-c", KILL_DURING_COPY, str(workshop_copy)], env=env, stdout=fh, stderr=fh, start_new_session=True)
        try:
            code = proc.wait(timeout=300)
        finally:  # sphinx-sitemap's multiprocessing Manager outlives a SIGKILLed parent: end the group
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
    assert code == -signal.SIGKILL, log.read_text()[-2000:]
    assert site_digest(site) == before
    build_site(options(workshop_copy))
    assert "Retitled Before The Kill" in (site / "index.html").read_text(encoding="utf-8")
    for pdf in (workshop_copy / "papers").glob("*.pdf"):
        assert (site / "papers" / pdf.name).read_bytes() == pdf.read_bytes()


def test_a_copy_left_half_made_by_an_earlier_version_is_removed(workshop_copy):
    """Earlier versions made the staging copy in ``.<out>.staging.tmp``; a killed copy left it behind."""
    staging = workshop_copy / ".site.staging"
    leftover = workshop_copy / ".site.staging.tmp"
    shutil.rmtree(staging, ignore_errors=True)
    (leftover / "papers").mkdir(parents=True)
    (leftover / "papers" / "alpha.html").write_text("half-copied")
    (leftover / site_module.MARKER).write_text('{"id": "0123456789ab", "complete": false}')  # it was a copy of a site
    _retitle_paper(workshop_copy, "alpha", "Alpha After The Upgrade")
    build_site(options(workshop_copy))
    assert not leftover.exists()
    assert "Alpha After The Upgrade" in (workshop_copy / "site" / "papers" / "alpha.html").read_text(encoding="utf-8")
