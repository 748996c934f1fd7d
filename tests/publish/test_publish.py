"""Incremental rebuilds touch only what changed; publishing is atomic."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import yaml

from conftest import run_build
from enlsp_proceedings.publish.pipeline import BuildOptions, build_site
from synthetic import random_papers, write_workshop


def tree_digest(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(root.rglob("*")) if p.is_file()}


def options(root: Path) -> BuildOptions:
    return BuildOptions(conf_dir=root / "conf", papers_dir=root / "papers", out_dir=root / "site", docs_dir=root / "docs", jobs=1, quiet=True)


def test_unchanged_rebuild_rewrites_nothing(workshop_copy):
    """Each of the two site copies is rebuilt incrementally: nothing changed, nothing written."""
    site = workshop_copy / "site"
    build_site(options(workshop_copy))  # fills the second copy; it is now the published one
    before = {p: p.stat().st_mtime_ns for p in site.rglob("*.html")}
    sources = workshop_copy / ".enlsp-cache" / "source"
    source_mtimes = {p: p.stat().st_mtime_ns for p in sources.rglob("*.md")}
    build_site(options(workshop_copy))  # the first copy again
    report = build_site(options(workshop_copy))  # the second copy again, nothing changed since
    assert report.rewritten == []
    assert {p: p.stat().st_mtime_ns for p in sources.rglob("*.md")} == source_mtimes
    after = {p: p.stat().st_mtime_ns for p in site.rglob("*.html")}
    rewritten = sorted(str(p.relative_to(site)) for p in before if after.get(p) != before[p])
    assert rewritten == [] or all(not r.startswith(("papers/", "keynotes/", "authors/")) for r in rewritten), rewritten


def test_editing_one_paper_rewrites_only_its_pages(workshop_copy):
    conf = workshop_copy / "conf" / "papers.yaml"
    data = yaml.safe_load(conf.read_text())
    data["papers"][1]["title"] = "Sparse Attention on Watches"
    conf.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    report = build_site(options(workshop_copy))
    assert "papers/beta" in report.rewritten
    assert "papers/alpha" not in report.rewritten and "keynotes/kay-note" not in report.rewritten
    assert "Sparse Attention on Watches" in (workshop_copy / "site" / "papers" / "beta.html").read_text()
    assert "Sparse Attention on Watches" in (workshop_copy / "site" / "papers" / "index.html").read_text()


def test_removed_paper_disappears_from_the_site(workshop_copy):
    conf = workshop_copy / "conf" / "papers.yaml"
    data = yaml.safe_load(conf.read_text())
    data["papers"] = [p for p in data["papers"] if p["id"] != "beta"]
    conf.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    for _ in range(2):  # both buffers
        build_site(options(workshop_copy))
        site = workshop_copy / "site"
        assert not (site / "papers" / "beta.html").exists()
        assert not (site / "papers" / "beta.pdf").exists()
        assert not (site / "papers" / "beta.bib").exists()


def test_failed_build_keeps_last_site_byte_for_byte(workshop_copy):
    site = workshop_copy / "site"
    before = tree_digest(site)
    (workshop_copy / "conf" / "workshop.yaml").write_text("short_name: [broken\n")
    assert run_build(workshop_copy) == 1
    assert tree_digest(site) == before


def test_killed_build_keeps_last_site_and_next_build_recovers(tmp_path):
    write_workshop(tmp_path, random_papers(60, pdf_ratio=0.3))
    assert run_build(tmp_path) == 0
    site = tmp_path / "site"
    before = tree_digest(site)
    conf = tmp_path / "conf" / "workshop.yaml"
    data = yaml.safe_load(conf.read_text())
    data["title"] = "A Retitled Workshop"  # changes every page: a long rebuild to kill
    conf.write_text(yaml.safe_dump(data, sort_keys=False))
    cmd = [sys.executable, "-m", "enlsp_proceedings", "build", "--conf", str(tmp_path / "conf"), "--papers", str(tmp_path / "papers"),
           "--out", str(site), "--docs", str(tmp_path / "docs"), "-j", "1"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True)
    deadline = time.monotonic() + 60
    for line in proc.stderr:  # kill it in the middle of Sphinx's work
        if "writing pages" in line or "reading pages" in line or time.monotonic() > deadline:
            break
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert tree_digest(site) == before
    assert run_build(tmp_path) == 0
    assert "A Retitled Workshop" in (site / "index.html").read_text()
