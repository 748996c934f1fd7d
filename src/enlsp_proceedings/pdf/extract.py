"""Stage 2: facts read from camera-ready PDFs, cached by content hash.

A PDF is read once per distinct content (sha256), whoever asks (``check`` or
``build``), so rebuilding after a metadata edit never re-parses 1,000 PDFs. A PDF
that cannot be read yields facts with an ``error`` instead of raising: one bad file
must not take down the other papers.

Each new PDF is read in one pass (`read_pdf`): pypdf judges the file, PDFium gives the
text of every page and, for ``build``, renders the first-page thumbnail from the same
open document. PDFs are read in worker processes (one per core), each PDF within a budget
of file size, CPU time, wall-clock time and memory (`PDF_MAX_BYTES`, `PDF_CPU_SECONDS`,
`PDF_WALL_SECONDS`, `PDF_MEMORY_MB`); a PDF that crashes its reader or exceeds a budget
becomes that paper's error, and every other paper is read as usual.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import logging
import math
import multiprocessing
import os
import re
import signal
import sys
import tempfile
from collections import deque
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass, field
from pathlib import Path

try:  # POSIX only: elsewhere PDFs are read without the kernel's CPU and memory limits
    import resource
except ImportError:  # pragma: no cover - Windows
    resource = None  # type: ignore[assignment]

from enlsp_proceedings.model.schema import Paper
from enlsp_proceedings.pdf.layout import Analyzer, page_lines
from enlsp_proceedings.pdf.thumbs import ThumbCache, page_png
from enlsp_proceedings.util.memo import load_memo, save_memo

log = logging.getLogger(__name__)
#: 4: page text from PDFium (lines joined at hyphenated line ends, ligatures as letters).
#: 5: decimal content pages from the heading's place on its page, acknowledgments, page 1's author
#: block and review-copy marks (`layout.py`).
#: 6: read within time and memory budgets (facts cached before could call a hostile PDF ready).
EXTRACTOR_VERSION = 6
MAX_TEXT_CHARS = 200_000
#: CPU seconds a worker process may spend on one PDF (its text and first-page thumbnail). A PDF
#: that needs more, hostile or absurd, is reported as unreadable instead of holding up the build.
PDF_CPU_SECONDS = 60
#: Wall-clock seconds a worker may spend on one PDF, whatever it waits for.
PDF_WALL_SECONDS = 60
#: Memory (address space, in MB) a worker may add while reading one PDF. PDFium aborts when it
#: cannot get more; a decompression bomb or an absurd page size then fails alone.
PDF_MEMORY_MB = 1024
#: Larger files are refused before they are read or hashed (camera-readies are a few MB).
PDF_MAX_BYTES = 100 * 1024 * 1024
_LIGATURES = str.maketrans({"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl", "\ufb05": "st", "\ufb06": "st"})
_LINE_END_HYPHEN = re.compile("\x02(.)", re.DOTALL)
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


def set_layout_facts(facts: PdfFacts, texts: list[str], analyzer: Analyzer | None) -> None:
    """Where the content ends, the author block and review marks: from the layout when PDFium gave
    one, else (pypdf's text) from the text alone, in whole pages."""
    if analyzer is not None and analyzer.pages:
        layout = analyzer.result(len(texts))
        facts.references_page = layout.end_page
        facts.content_pages = layout.content_pages
        facts.end_heading = layout.end_heading
        facts.acknowledgments = list(layout.acknowledgments) if layout.acknowledgments else None
        facts.author_block = layout.author_block
        facts.review_marks = layout.review_marks
        return
    facts.references_page, content = find_body_end(texts)
    facts.content_pages = None if content is None else float(content)
    facts.end_heading = "References" if facts.references_page else ""


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
    references_page: int | None = None  # 1-based page where the end-of-content heading is (References, appendix, ...)
    content_pages: float | None = None  # decimal pages before references and appendices (what page_limit counts)
    end_heading: str = ""  # that heading as printed; "" when none was found
    acknowledgments: list[float] | None = None  # [start, end] of an Acknowledgments section just before it, decimal pages
    author_block: list[list] = field(default_factory=list)  # page 1 above the abstract: [text, font size, bold] per line
    review_marks: list[str] = field(default_factory=list)  # evidence that this is an anonymized review copy
    text: str = ""
    error: PdfProblem | None = None
    version: int = EXTRACTOR_VERSION

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def body_pages(self) -> float | None:
        """Decimal pages before the references and appendices (what the page limit counts)."""
        if self.pages is None:
            return None
        return self.content_pages if self.content_pages is not None else float(self.pages)

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
    thumbnail: Path | None = None  # cached first-page PNG (``extract_all(..., thumbnails=True)``)

    @property
    def publishable(self) -> bool:
        return self.facts is not None and self.facts.ok and not any(p.level == "error" for p in self.problems)


class HashMemo:
    """Content hashes remembered by file identity (size, modification and change times, inode),
    as git's index does: a rebuild then reads no PDF that did not change (1,000 camera-readies
    are hundreds of megabytes). ``ctime`` cannot be set back by tools, so a rewritten file is
    always hashed again."""

    def __init__(self, cache_dir: Path):
        self.path = Path(cache_dir) / "pdf-hashes.json"
        known = load_memo(self.path)
        self.known: dict[str, list] = known if isinstance(known, dict) else {}
        self.seen: dict[str, list] = {}

    def sha256(self, path: Path) -> str:
        st = os.stat(path)
        key = [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]
        name = str(path)
        entry = self.known.get(name)
        if isinstance(entry, list) and len(entry) == 5 and entry[:4] == key and isinstance(entry[4], str):
            sha = entry[4]
        else:
            sha = file_sha256(path)
        self.seen[name] = [*key, sha]
        return sha

    def save(self) -> None:
        """Remember this run's files (and earlier ones that still exist: `check --paper` sees one)."""
        merged = {name: entry for name, entry in self.known.items() if name not in self.seen and os.path.exists(name)}
        merged.update(self.seen)
        if merged != self.known:
            save_memo(self.path, merged)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _tidy(text: str) -> str:
    """Typographic ligatures (U+FB00-FB06) as letters, so "ﬁne-tuning" is found as "fine-tuning"."""
    return text.translate(_LIGATURES)


def _pdfium_text(text: str) -> str:
    """PDFium's page text in pypdf's conventions.

    PDFium ends lines with CR LF, and writes a hyphen that breaks a word at the end of a line as
    STX (U+0002), joining the two lines: "char\x02acterization". The word is kept whole, except
    before a capital, where the hyphen was most likely real ("Jean-Pierre", "Fine-Tuning").
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufffe", "")
    if "\x02" in text:
        text = _LINE_END_HYPHEN.sub(lambda m: ("-" if m[1].isupper() else "") + m[1], text).replace("\x02", "")
    return _tidy(text)


def _pypdf_texts(reader) -> list[str]:
    texts = []
    for page in reader.pages:
        try:
            texts.append(_tidy(page.extract_text() or ""))
        except Exception:  # noqa: BLE001 - a bad content stream on one page
            texts.append("")
    return texts


def _pdfium_pass(data: bytes, pages: int, thumbnail: bool) -> tuple[list[str] | None, bytes | None, Analyzer | None]:
    """(text of every page, first-page PNG, layout analysis) from one PDFium document; None for
    what PDFium cannot give.

    The text is only taken if PDFium sees the same number of pages as pypdf. The layout (lines
    with their geometry, `layout.py`) is read from page 1 up to the end of the main content.
    """
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data)
    except Exception:  # noqa: BLE001 - PdfiumError, or anything else on a file pypdf accepted
        return None, None, None
    png = None
    analyzer: Analyzer | None = Analyzer()
    texts: list[str] | None = []
    try:
        count = len(document)
        if count != pages:
            texts = None
        for index in range(count if texts is not None else min(count, 1)):
            try:
                page = document[index]
            except Exception:  # noqa: BLE001
                if texts is not None:
                    texts.append("")
                continue
            try:
                if index == 0 and thumbnail:
                    try:
                        png = page_png(page)
                    except Exception:  # noqa: BLE001 - no thumbnail, the text may still come
                        png = None
                if texts is not None:
                    try:
                        textpage = page.get_textpage()
                        try:
                            texts.append(_pdfium_text(textpage.get_text_bounded()))
                            if analyzer is not None and not analyzer.done:
                                try:
                                    analyzer.add(page_lines(textpage))
                                except Exception:  # noqa: BLE001 - no layout: the text alone is judged
                                    analyzer = None
                        finally:
                            textpage.close()
                    except Exception:  # noqa: BLE001 - one page's text
                        texts.append("")
            finally:
                page.close()
    finally:
        document.close()
    return texts, png, analyzer if texts is not None else None


def read_pdf(path: Path, sha256: str | None = None, thumbs: ThumbCache | None = None) -> PdfFacts:
    """Facts of one PDF; never raises for a broken file. With ``thumbs``, a readable PDF's
    first page is also rendered into that cache, in the same pass.

    The file is read from disk once. pypdf judges it as it always has (a PDF? encrypted? how
    many pages? ``pdf-unreadable`` if its structure is damaged), which costs it well under a
    millisecond. The text of every page and the thumbnail then come from one PDFium document
    (several times faster than pypdf's text extraction); pypdf extracts the text instead if
    PDFium cannot open the file, counts other pages, or finds no text at all in it.
    """
    import pypdf
    from pypdf.errors import PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    size = path.stat().st_size
    if size > PDF_MAX_BYTES:  # before hashing or reading anything: a 40 GB file must cost nothing
        return PdfFacts(sha256=sha256 or "", size=size, error=too_large(size))
    sha256 = sha256 or file_sha256(path)
    facts = PdfFacts(sha256=sha256, size=size)
    if size == 0:
        facts.error = PdfProblem("error", "pdf-empty", "the file is empty (0 bytes)")
        return facts
    with open(path, "rb") as fh:
        data = fh.read()
    head = data[:1024]
    if b"%PDF-" not in head:
        kind = "an HTML page" if re.search(rb"<(!doctype|html)", head, re.I) else "not a PDF"
        facts.error = PdfProblem("error", "pdf-not-pdf", f"the file is {kind} (no %PDF- header)")
        return facts
    png = None
    try:
        reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            facts.error = PdfProblem("error", "pdf-encrypted", "the PDF is encrypted; upload it without a password or restrictions")
            return facts
        facts.pages = len(reader.pages)
        if facts.pages == 0:
            facts.error = PdfProblem("error", "pdf-no-pages", "the PDF has no pages")
            return facts
        texts, png, analyzer = _pdfium_pass(data, facts.pages, thumbs is not None)
        if texts is None or not any(t.strip() for t in texts):
            fallback = _pypdf_texts(reader)
            if texts is None or any(t.strip() for t in fallback):
                texts, analyzer = fallback, None
        facts.first_page_text = texts[0][:20_000]
        set_layout_facts(facts, texts, analyzer)
        facts.text = "\n".join(texts)[:MAX_TEXT_CHARS]
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError, RecursionError, AssertionError, IndexError) as exc:
        facts.pages = None
        reason = str(exc).strip() or type(exc).__name__
        facts.error = PdfProblem("error", "pdf-unreadable", f"the PDF cannot be read (truncated or damaged): {reason[:200]}")
    except MemoryError:
        facts.pages = None
        facts.error = over_budget("memory")
    except Exception as exc:  # noqa: BLE001 - pypdf raises many things on garbage
        facts.pages = None
        facts.error = PdfProblem("error", "pdf-unreadable", f"the PDF cannot be read: {type(exc).__name__}: {str(exc)[:200]}")
    if thumbs is not None and facts.ok:
        thumbs.put(sha256, png)
    return facts


def _megabytes(size: int) -> str:
    """Binary units, as `ls -lh` and `truncate -s 40G` count."""
    return f"{size / 1024**3:.1f} GB" if size >= 1024**3 else f"{size / 1024**2:.1f} MB"


def too_large(size: int) -> PdfProblem:
    return PdfProblem("error", "pdf-too-large", f"the file is {_megabytes(size)}; PDFs larger than {PDF_MAX_BYTES // (1024 * 1024)} MB "
                                                "are not read (compress its images, or check it is the right file)")


def over_budget(kind: str, detail: str = "") -> PdfProblem:
    """The error of a PDF that its reader could not finish within a budget (``kind``: time, cpu, memory)."""
    what = {
        "time": f"took more than {PDF_WALL_SECONDS} s to read",
        "cpu": f"took more than {PDF_CPU_SECONDS} s of CPU time to read",
        "memory": f"needed more than {PDF_MEMORY_MB} MB of memory to read",
    }[kind]
    return PdfProblem("error", "pdf-too-costly", f"the PDF {what} (damaged, or made to be hostile?{detail}); it is not published")


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
        """Remember ``facts``; a cache that cannot be written (full, read-only) only costs time."""
        try:
            self.dir.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.dir, suffix=".tmp")
        except OSError as exc:
            log.warning("cannot cache PDF facts in %s: %s", self.dir, exc.strerror or exc)
            return
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(asdict(facts), fh)
            os.replace(tmp, self._path(facts.sha256))
        except BaseException as exc:  # a full disk: no half-written file stays behind
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            if not isinstance(exc, OSError):
                raise
            log.warning("cannot cache PDF facts in %s: %s", self.dir, exc.strerror or exc)


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


@dataclass(frozen=True)
class _Task:
    """Work on one distinct PDF: read its facts (and render its thumbnail), or only render its thumbnail."""

    path: str
    sha256: str
    facts: bool
    thumbs_cache: str | None  # cache dir when the thumbnail is wanted and not cached


def _run(task: _Task) -> PdfFacts | None:
    thumbs = ThumbCache(Path(task.thumbs_cache)) if task.thumbs_cache else None
    if task.facts:
        return read_pdf(Path(task.path), task.sha256, thumbs)
    if thumbs is not None:
        thumbs.get_or_render(task.sha256, Path(task.path))
    return None


#: Workers are forked: they start at once, with pypdf and PDFium already imported.
_FORK = multiprocessing.get_context("fork") if "fork" in multiprocessing.get_all_start_methods() else None


def _init_worker() -> None:
    if resource is not None:
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # a reader that crashes leaves no core file behind
    for name in ("SIGXCPU", "SIGALRM"):  # over its CPU or wall-clock budget, the worker ends (see `_run_bounded`)
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_DFL)


def _address_space() -> int | None:
    """Bytes of address space this process uses now (Linux), or None where that is not known."""
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError, AttributeError):
        return None


def _set_soft_limit(kind: int, value: int) -> int:
    """Set a soft resource limit (kept within the hard one); returns the soft limit it replaced."""
    soft, hard = resource.getrlimit(kind)
    if hard != resource.RLIM_INFINITY:
        value = hard if value == resource.RLIM_INFINITY else min(value, hard)
    resource.setrlimit(kind, (value, hard))
    return soft


def _run_bounded(task: _Task) -> PdfFacts | None:
    """`_run` in a worker process within this task's budgets: the kernel ends the worker after
    PDF_CPU_SECONDS of CPU (SIGXCPU) or PDF_WALL_SECONDS of wall-clock time (SIGALRM), and no
    allocation beyond PDF_MEMORY_MB more address space succeeds (PDFium then aborts, pypdf
    raises MemoryError). The memory limit is lifted again for the worker's next task."""
    if resource is None:
        return _run(task)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    _set_soft_limit(resource.RLIMIT_CPU, math.ceil(usage.ru_utime + usage.ru_stime) + PDF_CPU_SECONDS)
    used = _address_space()
    before = _set_soft_limit(resource.RLIMIT_AS, used + PDF_MEMORY_MB * 1024 * 1024) if used is not None else None
    alarm = getattr(signal, "alarm", None)
    if alarm is not None:
        alarm(PDF_WALL_SECONDS)
    try:
        return _run(task)
    finally:
        if alarm is not None:
            alarm(0)
        if before is not None:
            _set_soft_limit(resource.RLIMIT_AS, before)


def _alone_child(task: _Task, conn) -> None:
    _init_worker()
    try:
        answer = ("ok", _run_bounded(task))
    except Exception as exc:  # noqa: BLE001 - sent back as this PDF's error (MemoryError included)
        answer = ("raised", exc if isinstance(exc, MemoryError) else f"{type(exc).__name__}: {str(exc)[:200]}")
    conn.send(answer)
    conn.close()


def _run_alone(task: _Task) -> tuple[PdfFacts | None, bool]:
    """`_run` in a process of its own: (result, cacheable); a crash becomes this PDF's error, not cached."""
    ctx = _FORK or multiprocessing.get_context()
    receive, send = ctx.Pipe(duplex=False)
    process = ctx.Process(target=_alone_child, args=(task, send), daemon=True)
    process.start()
    send.close()
    try:
        kind, value = receive.recv()
        return (value, True) if kind == "ok" else _unanswered(task, value)
    except EOFError:  # the process ended without an answer
        pass
    finally:
        receive.close()
        process.join()
    problem = _failure(process.exitcode or 0)
    if not task.facts:  # only the thumbnail failed: the page shows none this time
        log.warning("no thumbnail for %s: %s", Path(task.path).name, problem.message)
        return None, False
    try:
        size = os.stat(task.path).st_size
    except OSError:
        size = 0
    return PdfFacts(task.sha256, size, error=problem), False


def _failure(code: int) -> PdfProblem:
    """The error of a PDF whose reader process ended with ``code`` (negative: the signal that ended it)."""
    signals = {getattr(signal, name, None): name for name in ("SIGXCPU", "SIGALRM", "SIGABRT", "SIGKILL")}
    name = signals.get(-code) if code < 0 else None
    if name == "SIGXCPU":
        return over_budget("cpu")
    if name == "SIGALRM":
        return over_budget("time")
    if name == "SIGABRT":  # PDFium aborts when an allocation fails: here, at the memory limit
        return over_budget("memory", " Its reader stopped with SIGABRT.")
    if name == "SIGKILL":  # the kernel's out-of-memory killer, most likely
        return over_budget("memory", " Its reader was killed, most likely out of memory.")
    if code < 0:
        try:
            reason = f"the PDF reader crashed on it ({signal.Signals(-code).name})"
        except ValueError:
            reason = f"the PDF reader crashed on it (signal {-code})"
    else:
        reason = f"the PDF reader stopped on it (exit status {code})"
    return PdfProblem("error", "pdf-unreadable", f"the PDF cannot be read: {reason}")


def _unanswered(task: _Task, exc: BaseException | str) -> tuple[PdfFacts | None, bool]:
    """(result, cacheable) of a task whose worker raised (``exc``, or its description) instead of answering."""
    reason = exc if isinstance(exc, str) else f"{type(exc).__name__}: {str(exc)[:200]}"
    problem = over_budget("memory") if isinstance(exc, MemoryError) else PdfProblem("error", "pdf-unreadable", f"the PDF cannot be read: {reason}")
    if not task.facts:
        log.warning("no thumbnail for %s: %s", Path(task.path).name, problem.message)
        return None, False
    return PdfFacts(task.sha256, 0, error=problem), False


def _run_pool(tasks: list[_Task], jobs: int, deliver) -> None:
    """Run tasks in ``jobs`` worker processes, calling ``deliver(task, result, cacheable)`` as each ends.

    At most two tasks per worker are handed out at a time. A worker that dies (a reader
    crash, out of memory, over its CPU budget) breaks the pool and takes only those tasks
    with it: they are re-run one by one, each in a process of its own, so the PDF that kills
    its reader is reported and the others are read; the rest continue in a new pool.
    """
    queue = deque(tasks)
    while queue:
        suspects: list[_Task] = []
        with ProcessPoolExecutor(max_workers=jobs, mp_context=_FORK, initializer=_init_worker) as pool:
            running: dict = {}
            broken = False
            while (queue or running) and not suspects:
                while queue and len(running) < 2 * jobs and not broken:
                    task = queue.popleft()
                    try:
                        running[pool.submit(_run_bounded, task)] = task
                    except BrokenProcessPool:  # a worker died since the last answer: its task fails below
                        queue.appendleft(task)
                        broken = True
                if not running:
                    break  # (broken with nothing in flight) the rest goes to a new pool
                done, _pending = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    task = running.pop(future)
                    try:
                        result = future.result()
                    except BrokenProcessPool:
                        suspects.append(task)
                        continue
                    except Exception as exc:  # noqa: BLE001 - e.g. MemoryError sending the answer back: this PDF only
                        deliver(task, *_unanswered(task, exc))
                        continue
                    deliver(task, result, True)
                if suspects:
                    suspects.extend(running.values())
        for task in suspects:
            deliver(task, *_run_alone(task))


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
            tasks.append(_Task(str(path), sha, need_facts, str(cache_dir) if need_thumb else None))
    report = progress or (lambda done, total: None)
    done = 0

    def deliver(task: _Task, facts: PdfFacts | None, cacheable: bool) -> None:
        nonlocal done
        if facts is not None:
            if cacheable:
                cache.put(facts)
            for ident in todo[task.sha256][1]:
                result[ident].facts = facts
        done += 1
        report(done, len(tasks))

    if tasks:  # always in worker processes, even for one PDF: a reader crash or a hostile PDF must not end the build
        _run_pool(tasks, max(1, min(jobs or os.cpu_count() or 1, len(tasks))), deliver)
    for entry in result.values():
        if entry.facts is not None and entry.facts.error is not None:
            entry.problems.append(entry.facts.error)
        if thumbs is not None and entry.publishable:
            entry.thumbnail = thumbs.get(entry.facts.sha256)
    return result


def print_progress(done: int, total: int) -> None:
    """Sphinx-style status line for long PDF runs."""
    if total < 10:
        return
    step = max(1, total // 4)  # a line per quarter: the organizer sees it move, not scroll
    if done == total or done % step == 0:
        print(f"reading PDFs... [{done * 100 // total:3d}%] {done}/{total}", file=sys.stderr, flush=True)
