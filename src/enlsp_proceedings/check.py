"""Camera-ready checks: is each paper's PDF ready to publish, and does it match its entry?

Uses the same cached PDF facts as ``build``. Read-only: never touches conf/ or papers/.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .extract import PaperPdf, PdfProblem, extract_all, print_progress
from .load import ConfError, load_proceedings
from .models import Paper, Proceedings
from .people import PeopleIndex, fold


@dataclass
class PaperReport:
    id: str
    pdf: str
    pages: int | None
    problems: list[PdfProblem] = field(default_factory=list)

    def as_json(self) -> dict:
        return {"id": self.id, "pdf": self.pdf, "pages": self.pages, "problems": [asdict(p) for p in self.problems]}


@dataclass
class CheckReport:
    papers: list[PaperReport]
    general: list[PdfProblem] = field(default_factory=list)

    def count(self, level: str) -> int:
        return sum(p.level == level for r in self.papers for p in r.problems) + sum(p.level == level for p in self.general)

    def as_json(self) -> dict:
        return {
            "papers": [r.as_json() for r in self.papers],
            "problems": [asdict(p) for p in self.general],
            "errors": self.count("error"),
            "warnings": self.count("warning"),
        }


def _normalize(text: str) -> str:
    """Compare texts the way a reader would: ignore case, accents, hyphenation, spacing."""
    text = re.sub(r"-\s*\n\s*", "", text)  # words hyphenated across lines
    text = fold(text)
    for a, b in (("ﬁ", "fi"), ("ﬂ", "fl"), ("ﬀ", "ff"), ("ﬃ", "ffi"), ("ﬄ", "ffl")):
        text = text.replace(a, b)
    return re.sub(r"[^a-z0-9]+", "", text)


def paper_problems(paper: Paper, entry: PaperPdf, page_limit: int, missing_level: str = "error") -> list[PdfProblem]:
    problems = []
    for problem in entry.problems:
        if problem.code == "pdf-missing":
            problems.append(PdfProblem(missing_level, problem.code, problem.message))
        else:
            problems.append(problem)
    facts = entry.facts
    if facts is None or not facts.ok:
        return problems
    body = facts.body_pages or 0
    if body > page_limit:
        where = f"References start on page {facts.references_page}" if facts.references_page else "no References heading found"
        problems.append(PdfProblem("error", "pdf-over-limit", f"{body} pages of content before the references, limit is {page_limit} ({where})"))
    first = _normalize(facts.first_page_text)
    if not first:
        problems.append(PdfProblem("warning", "pdf-no-text", "page 1 has no extractable text (scanned or outlined fonts?)"))
        return problems
    if _normalize(paper.title) not in first:
        problems.append(PdfProblem("warning", "pdf-title-mismatch", f"the title on page 1 does not match the metadata title {paper.title!r}"))
    missing = [a.name for a in paper.authors if _normalize(a.name.split()[-1]) not in first]
    if missing:
        problems.append(PdfProblem("warning", "pdf-author-mismatch", "not found on page 1: " + ", ".join(missing)))
    return problems


def check_papers(proc: Proceedings, papers_dir: Path, cache_dir: Path, only: str | None = None, quiet: bool = False) -> CheckReport:
    papers = [p for p in proc.papers if only is None or p.id == only]
    pdfs = extract_all(papers, papers_dir, cache_dir, progress=None if quiet else print_progress)
    reports = []
    for paper in papers:
        entry = pdfs[paper.id]
        pages = entry.facts.pages if entry.facts and entry.facts.ok else None
        reports.append(PaperReport(paper.id, paper.pdf_name, pages, paper_problems(paper, entry, proc.workshop.page_limit)))
    general = []
    if only is None:
        for a, b, reason in PeopleIndex(proc).likely_variants():
            general.append(PdfProblem("warning", "name-variant", f"{a!r} and {b!r} may be one person ({reason}); if so, add an alias in conf/people.yaml"))
    return CheckReport(reports, general)


def run_check(conf_dir: Path, papers_dir: Path, cache_dir: Path, only: str | None = None, quiet: bool = False) -> CheckReport:
    """Metadata problems become report entries too, so one run shows everything."""
    try:
        proc = load_proceedings(conf_dir)
    except ConfError as exc:
        return CheckReport([], [PdfProblem("error", "conf-invalid", str(p)) for p in exc.problems])
    if only is not None and only not in {p.id for p in proc.papers}:
        return CheckReport([], [PdfProblem("error", "unknown-paper", f"no paper with id {only!r} in {conf_dir / 'papers.yaml'}")])
    return check_papers(proc, papers_dir, cache_dir, only, quiet)


def format_text(report: CheckReport) -> str:
    """A table for people: one line per paper, problems indented below it."""
    lines = []
    if report.papers:
        width = max(len(r.id) for r in report.papers)
        lines.append(f"{'paper':<{width}}  {'pages':>5}  status")
        for r in report.papers:
            status = "error" if any(p.level == "error" for p in r.problems) else "warning" if r.problems else "ready"
            pages = "-" if r.pages is None else str(r.pages)
            lines.append(f"{r.id:<{width}}  {pages:>5}  {status}")
            for p in r.problems:
                lines.append(f"{'':<{width}}         {p.level}: {p.message} [{p.code}]")
    for p in report.general:
        lines.append(f"{p.level}: {p.message} [{p.code}]")
    ready = sum(not any(p.level == "error" for p in r.problems) for r in report.papers)
    lines.append(f"{ready} of {len(report.papers)} papers ready; {report.count('error')} error(s), {report.count('warning')} warning(s)")
    return "\n".join(lines)
