"""Reliability: every PDF is read within bounded time and memory, and one hostile PDF never takes
the other papers down.

The hostile PDFs (tests/hostile_pdfs.py) are a few hundred bytes to a few KB each and would cost
their reader gigabytes or minutes: a FlateDecode bomb, nested Form XObjects, a page 5,000 times
taller than wide, a 40 GB file. Each run happens in a child process with low limits (5 s, 512 MB
per PDF) and a generous guard, and reports the peak memory of the PDF readers it started.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import subprocess
import sys
from pathlib import Path

import pytest

import hostile_pdfs
from conftest import REPO
from enlsp_proceedings.pdf import cache, extract, pool, read
from synthetic import random_papers, write_workshop

needs_fork = pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="bounded readers need fork()")
SRC = REPO / "src"

#: Runs `check --format json` with low budgets, then prints the peak memory of the PDF readers.
CHECK_WITH_LOW_BUDGETS = """
import json, resource, sys
from enlsp_proceedings import cli
from enlsp_proceedings.pdf import read
if "--defaults" in sys.argv: sys.argv.remove("--defaults")
else: read.PDF_WALL_SECONDS, read.PDF_CPU_SECONDS, read.PDF_MEMORY_MB = 5, 20, 512
code = cli.main(sys.argv[1:])
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
print(json.dumps({"code": code, "reader_peak_mb": peak}), file=sys.stderr)
"""


def _workshop(root: Path, hostile: bytes | None, n: int = 4) -> tuple[Path, Path]:
    conf, papers = write_workshop(root, random_papers(n, seed=5))
    if hostile is not None:
        (papers / "paper-0000.pdf").write_bytes(hostile)
    return conf, papers


def _check(root: Path, conf: Path, papers: Path, guard: float = 120) -> tuple[dict, dict]:
    """(the JSON report, {code, reader_peak_mb}) of `check` run with 5 s / 512 MB budgets per PDF."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")])}
    args = ["check", "--conf", str(conf), "--papers", str(papers), "--cache", str(root / "cache"), "--format", "json"]
    proc = subprocess.run([sys.executable, "-c", CHECK_WITH_LOW_BUDGETS, *args], env=env, capture_output=True, timeout=guard)
    assert b"Traceback" not in proc.stderr, proc.stderr.decode(errors="replace")[-3000:]
    stats = json.loads(proc.stderr.decode().strip().splitlines()[-1])
    return json.loads(proc.stdout), stats


def _by_id(report: dict) -> dict[str, dict]:
    return {paper["id"]: paper for paper in report["papers"]}


def _only_the_victim_fails(report: dict) -> dict:
    papers = _by_id(report)
    for ident, paper in papers.items():
        if ident != "paper-0000":
            assert paper["pages"] and not any(p["level"] == "error" and p["code"].startswith("pdf-") and p["code"] != "pdf-over-limit"
                                              for p in paper["problems"]), paper
    [problem] = [p for p in papers["paper-0000"]["problems"] if p["level"] == "error"]
    return problem


@needs_fork
@pytest.mark.slow
def test_a_flate_bomb_is_stopped_at_the_memory_budget(tmp_path):
    """An 12 KB content stream inflating to 4 GB (5.2 GB peak and "ready" before): that paper's error only."""
    conf, papers = _workshop(tmp_path, hostile_pdfs.flate_bomb(4096))
    report, stats = _check(tmp_path, conf, papers)
    problem = _only_the_victim_fails(report)
    assert problem["code"] == "pdf-too-costly" and "more than 512 MB of memory" in problem["message"], problem
    assert stats["reader_peak_mb"] < 1200, stats  # a reader never got far past its 512 MB


@needs_fork
@pytest.mark.slow
def test_a_form_xobject_bomb_is_stopped_at_its_time_or_memory_budget(tmp_path):
    """8 levels of Form XObjects each drawing the next 10 times (145 s and 18 GB before)."""
    conf, papers = _workshop(tmp_path, hostile_pdfs.xobject_bomb(8, 10))
    report, stats = _check(tmp_path, conf, papers)
    problem = _only_the_victim_fails(report)
    assert problem["code"] == "pdf-too-costly", problem
    assert "took more than 5 s to read" in problem["message"] or "more than 512 MB of memory" in problem["message"], problem
    assert stats["reader_peak_mb"] < 1200, stats


@needs_fork
def test_a_huge_mediabox_makes_a_thumbnail_of_bounded_size(tmp_path):
    """/MediaBox [0 0 1 5000]: a 300 x 1,500,000 px thumbnail and 5.9 GB before; now the top of the page, 300 x 450 px."""
    from enlsp_proceedings.pdf.thumbs import THUMB_MAX_HEIGHT, THUMB_WIDTH, ThumbCache, png_size

    pdf = tmp_path / "tall.pdf"
    pdf.write_bytes(hostile_pdfs.tall_page(1, 5000))
    thumbs = ThumbCache(tmp_path / "cache")
    facts = read.read_pdf(pdf, thumbs=thumbs)
    assert facts.ok and facts.pages == 1
    assert png_size(thumbs.get(facts.sha256)) == (THUMB_WIDTH, THUMB_MAX_HEIGHT)
    pdf.write_bytes(hostile_pdfs.tall_page(5000, 1))  # and the other way round: one pixel tall, not zero
    facts = read.read_pdf(pdf, thumbs=thumbs)
    assert png_size(thumbs.get(facts.sha256)) == (THUMB_WIDTH, 1)


@needs_fork
def test_a_40_gb_file_is_refused_unread_and_the_others_are_checked(tmp_path, monkeypatch):
    """`truncate -s 40G papers/x.pdf` (a MemoryError traceback before, and no paper checked): refused
    from its size alone, never hashed nor read; every other paper is checked."""
    conf, papers = _workshop(tmp_path, None)
    hostile_pdfs.sparse_file(papers / "paper-0000.pdf", 40 * 1024**3)
    hashed = []
    real = cache.file_sha256
    monkeypatch.setattr(cache, "file_sha256", lambda path: hashed.append(Path(path).name) or real(path))
    from enlsp_proceedings.pdf.check import run_check

    report = run_check(conf, papers, tmp_path / "cache", quiet=True).as_json()
    problem = _only_the_victim_fails(report)
    assert problem["code"] == "pdf-too-large" and "the file is 40.0 GB" in problem["message"] and "100 MB" in problem["message"], problem
    assert "paper-0000.pdf" not in hashed
    direct = read.read_pdf(papers / "paper-0000.pdf")  # read_pdf alone refuses it as well
    assert direct.error.code == "pdf-too-large"


@needs_fork
def test_a_huge_file_is_also_refused_by_the_build(tmp_path):
    from conftest import run_build

    _workshop(tmp_path, None)
    hostile_pdfs.sparse_file(tmp_path / "papers" / "paper-0000.pdf", 40 * 1024**3)
    assert run_build(tmp_path) == 0
    site = tmp_path / "site"
    assert not (site / "papers" / "paper-0000.pdf").exists()
    assert all((site / "papers" / f"paper-000{i}.pdf").is_file() for i in range(1, 4))


def test_the_budget_errors_name_the_limit(monkeypatch):
    import signal

    monkeypatch.setattr(read, "PDF_WALL_SECONDS", 7)
    monkeypatch.setattr(read, "PDF_MEMORY_MB", 300)
    assert "took more than 7 s to read" in pool._failure(-signal.SIGALRM).message
    assert "more than 300 MB of memory" in pool._failure(-signal.SIGABRT).message
    assert pool._failure(-signal.SIGSEGV).code == "pdf-unreadable"


def _extract_with_a_faulty_victim(tmp_path, monkeypatch, fault):
    """(result of extract_all with two workers, the papers), where reading paper-0000.pdf first calls ``fault()``."""
    from enlsp_proceedings.model.load import load_proceedings

    conf, papers = _workshop(tmp_path, None)
    real = read.read_pdf

    def faulty_on_victim(path, sha=None, thumbs=None):
        if Path(path).name == "paper-0000.pdf":
            fault()
        return real(path, sha, thumbs)

    monkeypatch.setattr(read, "read_pdf", faulty_on_victim)
    proc = load_proceedings(conf)
    return extract.extract_all(proc.papers, papers, tmp_path / "cache", jobs=2), proc


@pytest.mark.slow  # runs a reader to its wall-clock budget
@needs_fork
def test_a_pdf_over_its_wall_clock_budget_is_reported_not_waited_for(tmp_path, monkeypatch):
    """A reader that sleeps (waits on nothing, so no CPU limit catches it) is ended after PDF_WALL_SECONDS."""
    import time

    monkeypatch.setattr(read, "PDF_WALL_SECONDS", 2)
    result, proc = _extract_with_a_faulty_victim(tmp_path, monkeypatch, lambda: time.sleep(600))
    [problem] = result["paper-0000"].problems
    assert problem.code == "pdf-too-costly" and "took more than 2 s to read" in problem.message
    assert all(result[p.id].publishable for p in proc.papers if p.id != "paper-0000")


@needs_fork
def test_a_memory_error_in_a_worker_is_that_papers_error_only(tmp_path, monkeypatch):
    """An exception the reader did not catch (here MemoryError) ends neither the run nor the other papers."""

    def out_of_memory():
        raise MemoryError

    result, proc = _extract_with_a_faulty_victim(tmp_path, monkeypatch, out_of_memory)
    [problem] = result["paper-0000"].problems
    assert problem.code == "pdf-too-costly" and "MB of memory" in problem.message
    assert all(result[p.id].publishable for p in proc.papers if p.id != "paper-0000")
