"""Stage 2: facts read from camera-ready PDFs, cached by content hash.

A PDF is read once per distinct content (sha256), whoever asks (``check`` or
``build``), so rebuilding after a metadata edit never re-parses 1,000 PDFs. A PDF
that cannot be read yields facts with an ``error`` instead of raising: one bad file
must not take down the other papers.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .models import Paper

EXTRACTOR_VERSION = 3
MAX_TEXT_CHARS = 200_000
#: A References heading: alone on its line, optionally numbered ("7 References", "7. REFERENCES",
#: "A References") and tolerant of small caps extracted as "R EFERENCES" and of a trailing colon.
_REFERENCES = re.compile(
    r"^[ \t]*(?:(?:\d{1,2}|[IVX]{1,4}|[A-Z])\.?[ \t]+)?"
    r"(?:R[ \t]?eferences|R[ \t]?EFERENCES|B[ \t]?ibliography|B[ \t]?IBLIOGRAPHY|L[ \t]?iterature [Cc]ited|W[ \t]?orks [Cc]ited)"
    r"[ \t]*:?[ \t]*$",
    re.MULTILINE,
)
#: The same heading glued to the first entry by text extraction: "References [1] A. Author ...".
_REFERENCES_INLINE = re.compile(r"^[ \t]*(?:\d{1,2}\.?[ \t]+)?(?:References|REFERENCES|Bibliography|BIBLIOGRAPHY)[ \t]+(?=\[1\])", re.MULTILINE)
#: An appendix heading placed before the references ("Appendix", "A Appendix", "Appendix A: Proofs",
#: "Supplementary Material"); never a sentence such as "see Appendix A for details."
_APPENDIX = re.compile(
    r"^[ \t]*(?:[A-Z]\.?[ \t]+)?(?:Appendix|APPENDIX|Appendices|APPENDICES|Supplementary [Mm]aterials?|SUPPLEMENTARY MATERIALS?)"
    r"(?:[ \t]+[A-Z0-9]{1,2})?(?:[ \t]*[:.\u2014\u2013-][ \t]*[A-Z][^.\n]{0,80})?[ \t]*$",
    re.MULTILINE,
)
#: Text above a heading shorter than this (running head, page number) means the page holds no body text.
_TOP_OF_PAGE_CHARS = 200


def find_body_end(page_texts: list[str]) -> tuple[int | None, int | None]:
    """(page where the References heading is, pages of content before references/appendices).

    Content counts every page up to the first References heading (or an appendix heading
    before it), including that page unless the heading sits at its top.
    """
    references = appendix = None
    for number, text in enumerate(page_texts, start=1):
        if references is None:
            match = _REFERENCES.search(text) or _REFERENCES_INLINE.search(text)
            if match:
                references = (number, match.start())
        if appendix is None and references is None and number > 1:
            match = _APPENDIX.search(text)
            if match:
                appendix = (number, match.start())
        if references is not None:
            break
    end = appendix or references
    if end is None:
        return None, len(page_texts)
    number, offset = end
    before = re.sub(r"\s+", "", page_texts[number - 1][:offset])
    body = number - 1 if len(before) < _TOP_OF_PAGE_CHARS else number
    return (references[0] if references else None), body


@dataclass(frozen=True)
class PdfProblem:
    level: str  # "error" | "warning"
    code: str
    message: str


@dataclass
class PdfFacts:
    """What the site and the checks need to know about one PDF file."""

    sha256: str
    size: int
    pages: int | None = None
    first_page_text: str = ""
    references_page: int | None = None  # 1-based page where the References heading is
    content_pages: int | None = None  # pages before references and appendices (what page_limit counts)
    text: str = ""
    error: PdfProblem | None = None
    version: int = EXTRACTOR_VERSION

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def body_pages(self) -> int | None:
        """Pages before the references (what the page limit counts)."""
        if self.pages is None:
            return None
        return self.content_pages if self.content_pages is not None else self.pages

    @classmethod
    def from_json(cls, data: dict) -> PdfFacts:
        error = data.pop("error", None)
        return cls(**data, error=PdfProblem(**error) if error else None)


@dataclass
class PaperPdf:
    """The PDF situation of one paper: where it should be and what it is."""

    paper_id: str
    pdf_name: str
    path: Path | None
    facts: PdfFacts | None = None
    problems: list[PdfProblem] = field(default_factory=list)

    @property
    def publishable(self) -> bool:
        return self.facts is not None and self.facts.ok and not any(p.level == "error" for p in self.problems)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_pdf(path: Path, sha256: str | None = None) -> PdfFacts:
    """Parse one PDF with pypdf. Never raises for a broken file."""
    import pypdf
    from pypdf.errors import PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    size = path.stat().st_size
    sha256 = sha256 or file_sha256(path)
    facts = PdfFacts(sha256=sha256, size=size)
    if size == 0:
        facts.error = PdfProblem("error", "pdf-empty", "the file is empty (0 bytes)")
        return facts
    with open(path, "rb") as fh:
        head = fh.read(1024)
    if b"%PDF-" not in head:
        kind = "an HTML page" if re.search(rb"<(!doctype|html)", head, re.I) else "not a PDF"
        facts.error = PdfProblem("error", "pdf-not-pdf", f"the file is {kind} (no %PDF- header)")
        return facts
    try:
        reader = pypdf.PdfReader(str(path), strict=False)
        if reader.is_encrypted:
            facts.error = PdfProblem("error", "pdf-encrypted", "the PDF is encrypted; upload it without a password or restrictions")
            return facts
        pages = reader.pages
        facts.pages = len(pages)
        if facts.pages == 0:
            facts.error = PdfProblem("error", "pdf-no-pages", "the PDF has no pages")
            return facts
        texts: list[str] = []
        for page in pages:
            try:
                texts.append(page.extract_text() or "")
            except Exception:  # noqa: BLE001 - a bad content stream on one page
                texts.append("")
        facts.first_page_text = texts[0][:20_000]
        facts.references_page, facts.content_pages = find_body_end(texts)
        facts.text = "\n".join(texts)[:MAX_TEXT_CHARS]
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError, RecursionError, AssertionError, IndexError) as exc:
        facts.pages = None
        reason = str(exc).strip() or type(exc).__name__
        facts.error = PdfProblem("error", "pdf-unreadable", f"the PDF cannot be read (truncated or damaged): {reason[:200]}")
    except Exception as exc:  # noqa: BLE001 - pypdf raises many things on garbage
        facts.pages = None
        facts.error = PdfProblem("error", "pdf-unreadable", f"the PDF cannot be read: {type(exc).__name__}: {str(exc)[:200]}")
    return facts


class PdfCache:
    """On-disk cache of PdfFacts, one JSON file per content hash."""

    def __init__(self, cache_dir: Path):
        self.dir = Path(cache_dir) / "pdf-facts"

    def _path(self, sha256: str) -> Path:
        return self.dir / f"{sha256}.json"

    def get(self, sha256: str) -> PdfFacts | None:
        try:
            data = json.loads(self._path(sha256).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if data.get("version") != EXTRACTOR_VERSION:
            return None
        try:
            return PdfFacts.from_json(data)
        except TypeError:
            return None

    def put(self, facts: PdfFacts) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.dir, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(asdict(facts), fh)
        os.replace(tmp, self._path(facts.sha256))


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


def _read_for_pool(args: tuple[str, str]) -> PdfFacts:
    path, sha = args
    return read_pdf(Path(path), sha)


def extract_all(papers: list[Paper], papers_dir: Path, cache_dir: Path, *, progress=None, jobs: int | None = None) -> dict[str, PaperPdf]:
    """Facts for every paper's PDF, reading only files not already in the cache."""
    cache = PdfCache(cache_dir)
    result: dict[str, PaperPdf] = {}
    todo: dict[str, tuple[Path, list[str]]] = {}
    for paper in papers:
        path, problem = _resolve(Path(papers_dir), paper)
        entry = PaperPdf(paper.id, paper.pdf_name, path)
        result[paper.id] = entry
        if problem:
            entry.problems.append(problem)
            continue
        assert path is not None
        try:
            sha = file_sha256(path)
        except OSError as exc:
            entry.path = None
            entry.problems.append(PdfProblem("error", "pdf-unreadable", f"cannot open {paper.pdf_name!r}: {exc.strerror or type(exc).__name__}"))
            continue
        cached = cache.get(sha)
        if cached is not None:
            entry.facts = cached
        else:
            todo.setdefault(sha, (path, []))[1].append(paper.id)
    if todo:
        items = list(todo.items())
        jobs = jobs or min(len(items), os.cpu_count() or 1)
        report = progress or (lambda done, total: None)
        done = 0
        if jobs > 1 and len(items) > 4:
            try:
                with ProcessPoolExecutor(max_workers=jobs) as pool:
                    facts_iter = pool.map(_read_for_pool, [(str(p), sha) for sha, (p, _ids) in items], chunksize=8)
                    for (_sha, (_p, ids)), facts in zip(items, facts_iter, strict=False):
                        _store(cache, facts, ids, result)
                        done += 1
                        report(done, len(items))
            except BrokenProcessPool:
                pass  # a worker died (e.g. out of memory on one PDF): read the rest one by one below
        for sha, (path, ids) in items[done:]:
            _store(cache, read_pdf(path, sha), ids, result)
            done += 1
            report(done, len(items))
    for entry in result.values():
        if entry.facts is not None and entry.facts.error is not None:
            entry.problems.append(entry.facts.error)
    return result


def _store(cache: PdfCache, facts: PdfFacts, ids: list[str], result: dict[str, PaperPdf]) -> None:
    cache.put(facts)
    for ident in ids:
        result[ident].facts = facts


def print_progress(done: int, total: int) -> None:
    """Sphinx-style status line for long PDF runs."""
    if total < 10:
        return
    step = max(1, total // 20)
    if done == total or done % step == 0:
        print(f"reading PDFs... [{done * 100 // total:3d}%] {done}/{total}", file=sys.stderr, flush=True)
