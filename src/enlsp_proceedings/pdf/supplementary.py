"""Supplementary material beside a camera-ready (``papers[].supplementary``): found, checked, published.

A supplementary PDF is read like a camera-ready (the same bounded worker processes and
content-hash cache, see `extract.extract_all`), so a damaged, encrypted or hostile file is
reported and not published; only the page-limit and page-1 checks, which concern the paper
itself, do not apply. A ZIP is checked by its central directory (readable, not encrypted) and
never unpacked; its entries that would unpack outside its folder, and a PDF's active content
(`active`), are warnings. Either is published as ``papers/<id>-supplementary.<ext>`` beside the paper's
page (`models.Paper.supplementary_site_name`).
"""

from __future__ import annotations

import os
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from enlsp_proceedings.model.schema import Paper
from enlsp_proceedings.pdf.active import describe_pdf, describe_zip, zip_escapes
from enlsp_proceedings.pdf.cache import file_sha256
from enlsp_proceedings.pdf.extract import extract_all
from enlsp_proceedings.pdf.facts import PdfProblem

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
        return self.path is not None and not any(p.level == "error" for p in self.problems)


def _problem(level: str, code: str, message: str) -> PdfProblem:
    return PdfProblem(level, code, f"supplementary material {message}")


def _zip_problem(path: Path) -> tuple[str | None, list[str]]:
    """(what makes the ZIP unusable, or None; its entries that would unpack outside its folder)."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        return f"is not a readable ZIP file ({exc})", []
    if any(m.flag_bits & 0x1 for m in members):
        return "is an encrypted ZIP file (readers could not open it)", []
    if not members:
        return "is an empty ZIP file", []
    return None, zip_escapes(members)


def check_supplements(papers: list[Paper], papers_dir: Path, cache_dir: Path, missing_level: str = "warning") -> dict[str, Supplement]:
    """Each paper that names supplementary material: where it is, and what is wrong with it."""
    found: dict[str, Supplement] = {}
    pdfs: list[Paper] = []
    root = Path(papers_dir).resolve()
    for paper in papers:
        if not paper.supplementary or paper.supplementary_site_name is None:
            continue
        item = Supplement(paper.id, paper.supplementary, paper.supplementary_site_name)
        found[paper.id] = item
        given = Path(papers_dir) / paper.supplementary
        candidate = given.resolve()
        if root not in candidate.parents:
            item.problems.append(_problem("error", "supplementary-outside", f"{paper.supplementary!r} is not inside the papers directory"))
            continue
        if not candidate.is_file():
            item.problems.append(_problem(missing_level, "supplementary-missing", f"{paper.supplementary!r} is not in the papers directory"))
            continue
        item.size = os.stat(candidate).st_size
        if item.size > SUPPLEMENTARY_MAX_BYTES:
            item.problems.append(_problem("error", "supplementary-too-large",
                                          f"{paper.supplementary!r} is {item.size / 2**20:.0f} MB; at most {SUPPLEMENTARY_MAX_BYTES // 2**20} MB is published"))
            continue
        item.path = candidate
        if candidate.suffix.lower() == ".zip":
            problem, escapes = _zip_problem(candidate)
            if problem:
                item.problems.append(_problem("error", "supplementary-unreadable", f"{paper.supplementary!r} {problem}"))
            elif escapes:
                item.problems.append(_problem("warning", "supplementary-zip-escape", f"{paper.supplementary!r} {describe_zip(escapes)}"))
            item.sha256 = file_sha256(candidate)
        else:
            pdfs.append(paper.model_copy(update={"pdf": paper.supplementary}))
    if pdfs:
        for ident, entry in extract_all(pdfs, papers_dir, cache_dir).items():
            item = found[ident]
            item.sha256 = entry.facts.sha256 if entry.facts else None
            for pdf_problem in entry.problems:
                code = pdf_problem.code.replace("pdf-", "supplementary-", 1)
                item.problems.append(_problem(pdf_problem.level, code, f"{item.name!r}: {pdf_problem.message}"))
            if entry.facts is not None and entry.facts.ok and entry.facts.active_content:
                item.problems.append(_problem("warning", "supplementary-active-content", f"{item.name!r}: {describe_pdf(entry.facts.active_content)}"))
    return found
