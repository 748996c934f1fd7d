"""Camera-ready checks: is each paper's PDF ready to publish, and does it match its entry?

Uses the same cached PDF facts as ``build`` (``paper_problems`` is also what ``build``
prints). Read-only: never touches conf/ or papers/.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .extract import PaperPdf, PdfFacts, PdfProblem, extract_all, print_progress
from .load import ConfError, load_proceedings
from .memo import load_memo, save_memo
from .models import Paper, Proceedings
from .people import PeopleIndex, fold


@dataclass
class PaperReport:
    id: str
    pdf: str
    pages: int | None
    problems: list[PdfProblem] = field(default_factory=list)

    @property
    def status(self) -> str:
        if any(p.level == "error" for p in self.problems):
            return "error"
        return "warning" if self.problems else "ready"

    def as_json(self) -> dict:
        return {"id": self.id, "pdf": self.pdf, "pages": self.pages, "problems": [asdict(p) for p in self.problems]}


@dataclass
class CheckReport:
    papers: list[PaperReport]
    general: list[PdfProblem] = field(default_factory=list)  # metadata and across-papers problems

    def count(self, level: str) -> int:
        return sum(p.level == level for r in self.papers for p in r.problems) + sum(p.level == level for p in self.general)

    def as_json(self) -> dict:
        return {
            "papers": [r.as_json() for r in self.papers],
            "problems": [asdict(p) for p in self.general],
            "errors": self.count("error"),
            "warnings": self.count("warning"),
        }


def printable(text: str) -> str:
    """``text`` safe to show in a terminal and as UTF-8: bytes of a file name that are not UTF-8
    become ``\xff``, control and invisible characters (ESC, newline, bidi overrides) ``\x1b``,
    ``\n``, ``\u202e``."""
    if text.isprintable():
        return text
    text = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)


def _dehyphenate(text: str) -> str:
    return re.sub(r"(\w)-[ \t]*\n\s*(\w)", r"\1\2", text)


def _normalize(text: str) -> str:
    """Compare texts the way a reader would: ignore case, accents, hyphenation, spacing, punctuation."""
    return re.sub(r"[\W_]+", "", fold(_dehyphenate(text)))


def _letters(text: str) -> list[str]:
    return re.findall(r"[^\W\d_]+", fold(text))


def name_on_page(name: str, page_words: set[str], page_letters: str) -> bool:
    """Is this author on page 1? Tolerates accents, case, line breaks, swapped order, initials, markers."""
    tokens = _letters(name)
    if not tokens or "".join(tokens) in page_letters:
        return True
    if all(t in page_words for t in tokens if len(t) > 1):
        return True
    return tokens[-1] in page_words and tokens[0][0] in page_words  # "J. Müller" for "Jürgen Müller"


#: Bump when the page-1 checks change what they report (invalidates `FirstPageMemo`).
FIRST_PAGE_CHECKS_VERSION = 1


def first_page_problems(paper: Paper, facts: PdfFacts) -> list[PdfProblem]:
    """Does page 1 carry text, the paper's title and its authors?"""
    first_page = _dehyphenate(facts.first_page_text)
    if not _normalize(first_page):
        return [PdfProblem("warning", "pdf-no-text", "page 1 has no extractable text (scanned, or fonts converted to outlines?)")]
    problems = []
    if _normalize(paper.title) not in _normalize(first_page):
        problems.append(PdfProblem("warning", "pdf-title-mismatch", f"page 1 does not show the title in conf/papers.yaml: {paper.title!r}"))
    words = _letters(first_page)
    page_words, page_letters = set(words), "".join(words)
    missing = [a.name for a in paper.authors if not name_on_page(a.name, page_words, page_letters)]
    if missing:
        problems.append(PdfProblem("warning", "pdf-author-mismatch", "author(s) in conf/papers.yaml not found on page 1: " + ", ".join(missing)))
    return problems


class FirstPageMemo:
    """`first_page_problems` remembered per (PDF content, title, author names) in the cache:
    comparing 1,000 first pages took 0.2 s of every rebuild."""

    def __init__(self, cache_dir: Path):
        self.path = Path(cache_dir) / "first-page-checks.json"
        known = load_memo(self.path)
        self.known: dict[str, list] = known if isinstance(known, dict) else {}
        self.used: dict[str, list] = {}

    def problems(self, paper: Paper, facts: PdfFacts) -> list[PdfProblem]:
        blob = json.dumps([FIRST_PAGE_CHECKS_VERSION, facts.sha256, facts.version, paper.title, [a.name for a in paper.authors]], ensure_ascii=False)
        key = hashlib.sha256(blob.encode()).hexdigest()[:32]
        saved = self.known.get(key)
        try:
            found = [PdfProblem(*item) for item in saved] if isinstance(saved, list) else None
        except TypeError:
            found = None
        if found is None:
            found = first_page_problems(paper, facts)
        self.used[key] = [[p.level, p.code, p.message] for p in found]
        return found

    def save(self) -> None:
        if self.used != self.known:
            save_memo(self.path, self.used)


def paper_problems(paper: Paper, entry: PaperPdf, page_limit: int, missing_level: str = "error", memo: FirstPageMemo | None = None) -> list[PdfProblem]:
    """Everything wrong with one paper's camera-ready (shared by ``check`` and ``build``)."""
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
        problems.append(PdfProblem(
            "error", "pdf-over-limit",
            f"{body} pages of content before the references and appendices, the limit is {page_limit} ({where}; {facts.pages} pages in all)",
        ))
    problems += memo.problems(paper, facts) if memo is not None else first_page_problems(paper, facts)
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
    by_content: dict[str, list[str]] = {}
    for paper in papers:
        facts = pdfs[paper.id].facts
        if facts is not None and facts.size:
            ids = by_content.setdefault(facts.sha256, [])
            if paper.id not in ids:  # a duplicate id is reported already
                ids.append(paper.id)
    for ids in by_content.values():
        if len(ids) > 1:
            general.append(PdfProblem("warning", "pdf-same-content", f"papers {', '.join(map(repr, ids))} have byte-identical PDFs (a wrong upload?)"))
    if only is None and Path(papers_dir).is_dir():
        used = {p.pdf_name for p in proc.papers}
        for path in sorted(Path(papers_dir).rglob("*")):
            name = path.relative_to(papers_dir).as_posix()
            if path.suffix.lower() == ".pdf" and name not in used and not any(part.startswith(".") for part in path.parts):
                general.append(PdfProblem("warning", "pdf-unused", f"{printable(name)} in the papers directory belongs to no paper (misnamed?)"))
    mine = {a.name for p in papers for a in p.authors}
    for a, b, reason in PeopleIndex(proc).likely_variants_cached(cache_dir):
        if only is None or {a, b} & mine:
            general.append(PdfProblem("warning", "name-variant", f"{a!r} and {b!r} may be one person ({reason}); if so, add an alias in conf/people.yaml"))
    return CheckReport(reports, general)


def run_check(conf_dir: Path, papers_dir: Path, cache_dir: Path, only: str | None = None, quiet: bool = False) -> CheckReport:
    """Metadata problems become report entries too, so one run shows everything.

    Problems across entries (duplicate ids, schedule slots naming unknown ids) still let the
    PDFs be checked; invalid entries do not (there is no validated paper to check against).
    """
    general: list[PdfProblem] = []
    try:
        proc = load_proceedings(conf_dir)
    except ConfError as exc:
        for problem in exc.problems:
            if only is None or exc.partial is None or repr(only) in str(problem):
                general.append(PdfProblem("error", problem.code, str(problem)))
        if exc.partial is None:
            return CheckReport([], general)
        proc = exc.partial
    if only is not None and only not in {p.id for p in proc.papers}:
        return CheckReport([], general + [PdfProblem("error", "unknown-paper", f"no paper with id {only!r} in {conf_dir / 'papers.yaml'}")])
    report = check_papers(proc, papers_dir, cache_dir, only, quiet)
    report.general[:0] = general
    return report


def format_text(report: CheckReport) -> str:
    """A table for people: one line per paper, its problems indented below it."""
    lines = []
    if report.papers:
        id_width = max(5, *(len(r.id) for r in report.papers))
        pdf_width = max(3, *(len(r.pdf) for r in report.papers))
        lines.append(f"{'paper':<{id_width}}  {'pdf':<{pdf_width}}  {'pages':>5}  status")
        lines.append(f"{'-' * id_width}  {'-' * pdf_width}  {'-' * 5}  {'-' * 7}")
        for r in report.papers:
            pages = "-" if r.pages is None else str(r.pages)
            lines.append(f"{r.id:<{id_width}}  {r.pdf:<{pdf_width}}  {pages:>5}  {r.status}")
            for p in r.problems:
                lines.append(f"    {p.level}: {p.message} [{p.code}]")
    if report.general:
        lines.append("")
        lines.append("metadata and across papers:")
        for p in report.general:
            lines.append(f"    {p.level}: {p.message} [{p.code}]")
    ready = sum(r.status != "error" for r in report.papers)
    lines.append("")
    lines.append(f"{ready} of {len(report.papers)} paper(s) ready; {report.count('error')} error(s), {report.count('warning')} warning(s)")
    return "\n".join(lines)
