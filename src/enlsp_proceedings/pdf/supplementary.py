"""Supplementary material beside a camera-ready (``papers[].supplementary``): found, checked, published.

A supplementary PDF is read like a camera-ready (the same bounded worker processes and
content-hash cache, see `extract.extract_all`), so a damaged, encrypted or hostile file is
reported and not published; only the page-limit and page-1 checks, which concern the paper
itself, do not apply. A ZIP is checked by its central directory (readable, not encrypted, not
empty, at most `archive.ZIP_MAX_ENTRIES` entries), in the same bounded workers and once per
content (`archive`), and never unpacked; its entries that would unpack outside its folder, and a
PDF's active content (`active`), are warnings. Either is published as ``papers/<id>-supplementary.<ext>`` beside the paper's
page (`model.schema.Paper.supplementary_site_name`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from enlsp_proceedings.model.codes import Code, Level, code_named
from enlsp_proceedings.model.schema import Paper
from enlsp_proceedings.pdf.active import describe_pdf, describe_zip
from enlsp_proceedings.pdf.archive import ZipMemo
from enlsp_proceedings.pdf.cache import HashMemo
from enlsp_proceedings.pdf.extract import extract_all, locate, located_problem
from enlsp_proceedings.pdf.facts import PdfFacts, PdfProblem
from enlsp_proceedings.pdf.pool import Task, run_pool

#: A supplementary file larger than this is not published (calls for papers allow about 100 MB).
SUPPLEMENTARY_MAX_BYTES = 200 * 1024 * 1024


@dataclass
class Supplement:
    """A paper's supplementary file: where it is, its digest and size, and its problems."""

    paper_id: str
    name: str  # as given in papers.yaml, relative to the papers directory
    site_name: str
    path: Path | None = None
    sha256: str | None = None
    size: int = 0
    problems: list[PdfProblem] = field(default_factory=list)

    @property
    def publishable(self) -> bool:
        """Whether the file exists and has no error."""
        return self.path is not None and not any(p.level == Level.ERROR for p in self.problems)


def _problem(code: Code, message: str, level: Level | None = None) -> PdfProblem:
    return PdfProblem.of(code, f"supplementary material {message}", level)


def _read_zips(zips: dict[str, tuple[Path, list[str]]], cache_dir: Path) -> dict[str, PdfFacts]:
    """Each ZIP's answer (`archive.read_zip`), by content hash: remembered, or read in bounded workers."""
    memo = ZipMemo(cache_dir)
    answers: dict[str, PdfFacts] = {}
    tasks = []
    for sha, (path, _ids) in zips.items():
        known = memo.get(sha)
        if known is not None:
            answers[sha] = known
        else:
            tasks.append(Task(str(path), sha, True, None, kind="zip"))

    def deliver(task: Task, facts: PdfFacts | None, cacheable: bool) -> None:
        if facts is not None:
            answers[task.sha256] = facts
            if cacheable:
                memo.put(facts)

    if tasks:
        run_pool(tasks, max(1, min(os.cpu_count() or 1, len(tasks))), deliver)
    memo.save()
    return answers


def check_supplements(papers: list[Paper], papers_dir: Path, cache_dir: Path, missing_level: Level = Level.WARNING) -> dict[str, Supplement]:
    """Each paper that names supplementary material: where it is, and what is wrong with it."""
    found: dict[str, Supplement] = {}
    pdfs: list[Paper] = []
    zips: dict[str, tuple[Path, list[str]]] = {}  # content hash -> (file, papers naming it)
    hashes = HashMemo(cache_dir)
    for paper in papers:
        if not paper.supplementary or paper.supplementary_site_name is None:
            continue
        item = Supplement(paper.id, paper.supplementary, paper.supplementary_site_name)
        found[paper.id] = item
        candidate, wrong = locate(Path(papers_dir), paper.supplementary)
        if wrong in ("outside", "outside-link"):
            item.problems.append(_problem(Code.SUPPLEMENTARY_OUTSIDE, f"{paper.supplementary!r} is not inside the papers directory"))
            continue
        if wrong in ("missing", "not-a-file"):
            item.problems.append(_problem(Code.SUPPLEMENTARY_MISSING,
                                          f"{paper.supplementary!r} is not in the papers directory", missing_level))
            continue
        if wrong is not None or candidate is None:
            item.problems.append(PdfProblem.of(Code.SUPPLEMENTARY_UNREADABLE,
                                               located_problem("supplementary", paper.supplementary, wrong or "missing")))
            continue
        try:
            item.size = os.stat(candidate).st_size
        except OSError as exc:
            item.problems.append(PdfProblem.of(Code.SUPPLEMENTARY_UNREADABLE,
                                               located_problem("supplementary", paper.supplementary, f"unreadable: {exc.strerror or exc}")))
            continue
        if item.size > SUPPLEMENTARY_MAX_BYTES:
            item.problems.append(_problem(Code.SUPPLEMENTARY_TOO_LARGE,
                                          f"{paper.supplementary!r} is {item.size / 2**20:.0f} MB; at most {SUPPLEMENTARY_MAX_BYTES // 2**20} MB is published"))
            continue
        item.path = candidate
        if candidate.suffix.lower() == ".zip":
            try:
                item.sha256 = hashes.sha256(candidate)
            except OSError as exc:
                item.path = None
                item.problems.append(PdfProblem.of(Code.SUPPLEMENTARY_UNREADABLE,
                                                   located_problem("supplementary", paper.supplementary, f"unreadable: {exc.strerror or exc}")))
                continue
            zips.setdefault(item.sha256, (candidate, []))[1].append(paper.id)
        else:
            pdfs.append(paper.model_copy(update={"pdf": paper.supplementary}))
    hashes.save()
    for sha, facts in _read_zips(zips, cache_dir).items():
        for ident in zips[sha][1]:
            item = found[ident]
            if facts.error is not None:
                what = facts.error.message.replace("the PDF", "the ZIP file")  # a worker over its budget says "the PDF"
                code = code_named(facts.error.code.replace("pdf-", "supplementary-", 1))
                item.problems.append(_problem(code, f"{item.name!r}{' ' if what.startswith('is ') else ': '}{what}", Level.ERROR))
            elif facts.active_content:  # entries that would unpack outside its folder (`active.zip_escapes`)
                item.problems.append(_problem(Code.SUPPLEMENTARY_ZIP_ESCAPE, f"{item.name!r} {describe_zip(facts.active_content)}"))
    if pdfs:
        for ident, entry in extract_all(pdfs, papers_dir, cache_dir).items():
            item = found[ident]
            item.sha256 = entry.facts.sha256 if entry.facts else None
            for pdf_problem in entry.problems:
                code = code_named(pdf_problem.code.replace("pdf-", "supplementary-", 1))
                item.problems.append(_problem(code, f"{item.name!r}: {pdf_problem.message}", pdf_problem.level))
            if entry.facts is not None and entry.facts.ok and entry.facts.active_content:
                item.problems.append(_problem(Code.SUPPLEMENTARY_ACTIVE_CONTENT,
                                              f"{item.name!r}: {describe_pdf(entry.facts.active_content)}"))
    return found
