"""Stage 2: the facts of every paper's camera-ready PDF (`extract_all`), cached by content hash.

For each paper: find its PDF safely inside the papers directory, hash it (`cache.HashMemo`),
take its facts from the cache (`cache.PdfCache`) or read it in the worker pool (`pool`,
`read.read_pdf`), and, for ``build``, its first-page thumbnail in the same pass. A PDF that
cannot be read yields facts with an ``error`` instead of raising: one bad file must not
take down the other papers.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from enlsp_proceedings.model.schema import Paper
from enlsp_proceedings.pdf.cache import HashMemo, PdfCache
from enlsp_proceedings.pdf.facts import PaperPdf, PdfFacts, PdfProblem
from enlsp_proceedings.pdf.pool import Task, run_pool
from enlsp_proceedings.pdf.read import PDF_MAX_BYTES, too_large
from enlsp_proceedings.pdf.thumbs import ThumbCache


def _resolve(papers_dir: Path, paper: Paper) -> tuple[Path | None, PdfProblem | None]:
    """Where the paper's PDF is; refuses paths that leave the papers directory."""
    root = papers_dir.resolve()
    given = papers_dir / paper.pdf_name
    candidate = given.resolve()
    if root not in candidate.parents:  # messages reach the public site: no server paths in them
        linked = candidate != Path(os.path.abspath(given))
        how = "points through a symbolic link to a file outside" if linked else "leaves"
        return None, PdfProblem("error", "pdf-outside", f"pdf path {paper.pdf_name!r} {how} the papers directory")
    if not candidate.exists():
        return None, PdfProblem("warning", "pdf-missing", f"no camera-ready PDF {paper.pdf_name!r} in the papers directory")
    if not candidate.is_file():
        return None, PdfProblem("error", "pdf-unreadable", f"{paper.pdf_name!r} is not a regular file")
    return candidate, None


def extract_all(papers: list[Paper], papers_dir: Path, cache_dir: Path, *, progress=None, jobs: int | None = None,
                thumbnails: bool = False) -> dict[str, PaperPdf]:
    """Facts for every paper's PDF, reading only files not already in the cache.

    With ``thumbnails``, every readable PDF also gets its cached first-page PNG
    (``PaperPdf.thumbnail``), rendered in the same pass as its text when both are new.
    """
    cache = PdfCache(cache_dir)
    thumbs = ThumbCache(cache_dir) if thumbnails else None
    result: dict[str, PaperPdf] = {}
    todo: dict[str, tuple[Path, list[str]]] = {}
    known: dict[str, PdfFacts] = {}
    hashes = HashMemo(cache_dir)
    for paper in papers:
        path, problem = _resolve(Path(papers_dir), paper)
        entry = PaperPdf(paper.id, paper.pdf_name, path)
        result[paper.id] = entry
        if problem:
            entry.problems.append(problem)
            continue
        assert path is not None
        try:
            size = path.stat().st_size
            if size > PDF_MAX_BYTES:  # refused before it is hashed (reading 40 GB takes minutes) or read
                entry.problems.append(too_large(size))
                continue
            sha = hashes.sha256(path)
        except OSError as exc:
            entry.path = None
            entry.problems.append(PdfProblem("error", "pdf-unreadable", f"cannot open {paper.pdf_name!r}: {exc.strerror or type(exc).__name__}"))
            continue
        if sha not in known and sha not in todo:
            cached = cache.get(sha)
            if cached is not None:
                known[sha] = cached
        if sha in known:
            entry.facts = known[sha]
        todo.setdefault(sha, (path, []))[1].append(paper.id)
    hashes.save()
    tasks = []
    for sha, (path, _ids) in todo.items():
        need_facts = sha not in known
        need_thumb = thumbs is not None and (need_facts or known[sha].ok) and not thumbs.known(sha)
        if need_facts or need_thumb:
            tasks.append(Task(str(path), sha, need_facts, str(cache_dir) if need_thumb else None))
    report = progress or (lambda done, total: None)
    done = 0

    def deliver(task: Task, facts: PdfFacts | None, cacheable: bool) -> None:
        nonlocal done
        if facts is not None:
            if cacheable:
                cache.put(facts)
            for ident in todo[task.sha256][1]:
                result[ident].facts = facts
        done += 1
        report(done, len(tasks))

    if tasks:  # always in worker processes, even for one PDF: a reader crash or a hostile PDF must not end the build
        run_pool(tasks, max(1, min(jobs or os.cpu_count() or 1, len(tasks))), deliver)
    for entry in result.values():
        if entry.facts is not None and entry.facts.error is not None:
            entry.problems.append(entry.facts.error)
        if thumbs is not None and entry.publishable and entry.facts is not None:
            entry.thumbnail = thumbs.get(entry.facts.sha256)
    return result


def print_progress(done: int, total: int) -> None:
    """Sphinx-style status line for long PDF runs."""
    if total < 10:
        return
    step = max(1, total // 4)  # a line per quarter: the organizer sees it move, not scroll
    if done == total or done % step == 0:
        print(f"reading PDFs... [{done * 100 // total:3d}%] {done}/{total}", file=sys.stderr, flush=True)
