"""Reliability of publishing: only the tool's own directories are ever replaced or deleted, one
--out is built by one build at a time, and a full disk or a read-only directory is one sentence
with the old site intact and no temporary file left behind. Faults are injected (no tiny tmpfs)."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import run_build
from enlsp_proceedings.publish import site as site_module
from enlsp_proceedings.sphinxext import frame
from test_safety_publish import _retitle, site_digest, tree_state


def _temporary_files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.name.startswith(".tmp-") or p.suffix == ".tmp"
                  or ".enlsp-cache/." in str(p) and p.is_file() and p.name.rsplit(".", 1)[-1].isdigit())


def _only_sentence(err: str) -> str:
    lines = [line for line in err.splitlines() if line.startswith("error:")]
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


def test_a_stray_buildinfo_does_not_make_a_directory_a_site(tmp_path, capsys):
    """`--out` holding a stray .buildinfo and other files was trusted: the first build moved the
    files aside, the second deleted them. Only a directory holding the tool's own marker is a site."""
    from synthetic import small_workshop

    small_workshop(tmp_path)
    out = tmp_path / "mine"
    out.mkdir()
    (out / ".buildinfo").write_text("# Sphinx build info version 1\n")
    (out / "thesis.tex").write_text("two years of work\n")
    before = tree_state(out)
    for _ in range(2):
        assert run_build(tmp_path, out=out) == 1
        assert "not a site built by enlsp-proceedings" in _only_sentence(capsys.readouterr().err)
    assert tree_state(out) == before
    assert not (tmp_path / ".mine.staging").exists()


@pytest.mark.parametrize("published", [False, True])
def test_a_staging_directory_the_tool_did_not_make_is_never_deleted(workshop_copy, capsys, published):
    site, staging = workshop_copy / "site", workshop_copy / ".site.staging"
    if not published:
        site_module.shutil.rmtree(site)
    site_module.shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    (staging / "notes.txt").write_text("not yours\n")
    before = site_digest(site) if published else None
    _retitle(workshop_copy, "A Retitled Workshop")
    assert run_build(workshop_copy) == 1
    assert f"{staging} is in the way and was not made by enlsp-proceedings" in _only_sentence(capsys.readouterr().err)
    assert (staging / "notes.txt").read_text() == "not yours\n"
    assert (site_digest(site) if published else site.exists()) == (before if published else False)


def test_a_staging_copy_the_tool_made_is_still_replaced(workshop_copy):
    staging = workshop_copy / ".site.staging"
    (staging / "papers" / "stray.html").write_text("left by a killed build")
    site_module.mark(staging, "deadbeef0000", complete=False)  # a build that did not finish
    _retitle(workshop_copy, "Retitled Again")
    assert run_build(workshop_copy) == 0
    assert "Retitled Again" in (workshop_copy / "site" / "index.html").read_text(encoding="utf-8")


LOCK_HOLDER = """
import fcntl, sys, time
with open(sys.argv[1], "w") as fh:
    fcntl.lockf(fh, fcntl.LOCK_EX)
    print("locked", flush=True)
    time.sleep(120)
"""


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX locks")
def test_two_builds_of_one_out_with_different_caches_do_not_both_publish(workshop_copy, capsys):
    """Both succeeded before, publishing a site with the HTML of one and the downloads of the other."""
    site = workshop_copy / "site"
    before = site_digest(site)
    holder = subprocess.Popen([sys.executable, "-c", LOCK_HOLDER, str(site_module.out_lock_path(site))], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        _retitle(workshop_copy, "Built Twice At Once")
        assert run_build(workshop_copy, "--cache", str(workshop_copy / "other-cache")) == 1
        assert f"another build is publishing to {site}" in _only_sentence(capsys.readouterr().err)
        assert site_digest(site) == before
    finally:
        holder.kill()
        holder.wait()
    assert run_build(workshop_copy, "--cache", str(workshop_copy / "other-cache")) == 0  # once the other build is done


def _fail_on(monkeypatch, code: int, match) -> list[str]:
    """Make every os.replace onto a path for which ``match(path)`` holds fail with ``code``."""
    failed: list[str] = []
    real = os.replace

    def replace(src, dst, *args, **kwargs):
        if match(str(dst)):
            failed.append(str(dst))
            raise OSError(code, os.strerror(code), str(dst))
        return real(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", replace)
    return failed


@pytest.mark.parametrize("where", ["cache", "downloads", "sphinx-page", "sphinx-prune-static"])
def test_a_full_disk_is_one_sentence_and_leaves_the_site_and_no_temporary_file(workshop_copy, monkeypatch, capsys, where):
    site = workshop_copy / "site"
    before = site_digest(site)
    _retitle(workshop_copy, "Retitled On A Full Disk")
    if where == "cache":  # the first file a build writes
        failed = _fail_on(monkeypatch, errno.ENOSPC, lambda p: p.endswith("volume.json"))
    elif where == "downloads":  # the citation files, written after Sphinx
        failed = _fail_on(monkeypatch, errno.ENOSPC, lambda p: p.endswith(".bib"))
    elif where == "sphinx-page":  # Sphinx only warns when it cannot write a page, and leaves half of it
        failed = []
        real_write = Path.write_text

        def half_then_full(self, data, *args, **kwargs):
            if self.suffix == ".html" and ".site.staging" in str(self):
                failed.append(str(self))
                real_write(self, data[: len(data) // 2], *args, **kwargs)
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            return real_write(self, data, *args, **kwargs)

        monkeypatch.setattr(Path, "write_text", half_then_full)
    else:  # inside a Sphinx event handler, which Sphinx wraps in an ExtensionError
        failed = []

        def full(path, content):
            failed.append(str(path))
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

        monkeypatch.setattr(frame, "write_if_changed", full)
        (workshop_copy / ".site.staging" / "_static" / "probe.js").write_text("x\n//# sourceMappingURL=probe.js.map\n")
    assert run_build(workshop_copy) == 1
    sentence = _only_sentence(capsys.readouterr().err)
    assert failed and f"no space left on device while writing {failed[0]}" in sentence and f"{site} is unchanged" in sentence
    assert site_digest(site) == before
    assert _temporary_files(workshop_copy) == []
    monkeypatch.undo()
    assert run_build(workshop_copy) == 0 and "Retitled On A Full Disk" in (site / "index.html").read_text(encoding="utf-8")


def test_a_read_only_parent_of_out_is_one_sentence(workshop_copy, monkeypatch, capsys):
    """Permissions do not stop root (the tests may run as root): the file system's refusal is injected."""
    site = workshop_copy / "site"
    before = site_digest(site)
    real_open = open

    def read_only(file, mode="r", *args, **kwargs):
        if Path(str(file)).parent == workshop_copy and any(c in mode for c in "wax+"):  # a new file beside --out
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(file))
        return real_open(file, mode, *args, **kwargs)

    monkeypatch.setattr("builtins.open", read_only)
    assert run_build(workshop_copy) == 1
    assert f"read-only file system while writing {site_module.out_lock_path(site)}" in _only_sentence(capsys.readouterr().err)
    monkeypatch.undo()
    assert site_digest(site) == before


def test_check_on_a_full_cache_disk_still_checks(workshop_copy, monkeypatch, capsys):
    """The PDF facts cache is an optimization: when it cannot be written the papers are still checked."""
    from enlsp_proceedings.cli import main

    _fail_on(monkeypatch, errno.ENOSPC, lambda p: ".enlsp-cache" in p or "fresh-cache" in p)
    code = main(["check", "--conf", str(workshop_copy / "conf"), "--papers", str(workshop_copy / "papers"),
                 "--cache", str(workshop_copy / "fresh-cache")])
    out = capsys.readouterr()
    assert "Traceback" not in out.err and "paper(s) ready" in out.out, out
    assert code in (0, 1)
    assert _temporary_files(workshop_copy) == []


def test_a_directory_named_like_an_old_staging_copy_but_not_made_by_the_tool_is_left_alone(workshop_copy):
    """Earlier versions copied the site into .<out>.staging.tmp; only such a copy (it holds the marker) is cleaned up."""
    leftover = workshop_copy / ".site.staging.tmp"
    leftover.mkdir()
    (leftover / "mine.txt").write_text("not yours\n")
    site_module.shutil.rmtree(workshop_copy / ".site.staging")  # the next build makes the staging copy afresh
    _retitle(workshop_copy, "Retitled Once More")
    assert run_build(workshop_copy) == 0
    assert (leftover / "mine.txt").read_text() == "not yours\n"
