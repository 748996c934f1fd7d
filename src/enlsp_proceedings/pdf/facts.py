"""The PDF data types: what a camera-ready file says (`PdfFacts`), what went wrong with it
(`PdfProblem`) and where one paper stands (`PaperPdf`).

Three types for three different things, all made by this package and never by the pages:
`PdfFacts` describes one file *content* (keyed by SHA-256, cached, shared by every paper
that uploads the same bytes); `PaperPdf` describes one *paper* (its PDF name and path, the
facts of the file found there and every problem the checks attach to it); `PdfProblem` is
one error or warning about either. The site does not use these directly: the build turns a
`PaperPdf` into an `outputs.volume.PdfStatus`, the few JSON-serializable facts its pages show.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from enlsp_proceedings.model.codes import Code, Level

#: Version of the facts `read.read_pdf` gives; cached facts of another version are read again.
#: 4: page text from PDFium (lines joined at hyphenated line ends, ligatures as letters).
#: 5: decimal content pages from the heading's place on its page, acknowledgments, page 1's author
#: block and review-copy marks (`layout.py`).
#: 6: read within time and memory budgets (facts cached before could call a hostile PDF ready).
#: 7: active content (JavaScript, Launch actions, embedded files: `active.py`).
#: 8: font sizes as printed (a font set at size 1 in a scaled matrix), accents put on their letters,
#: headings by their layout, page 1's foot notes (`first_page_notes`).
#: 9: where the content begins and ends in the text (``content_start``, ``content_end``: what search indexes).
EXTRACTOR_VERSION = 9


@dataclass(frozen=True)
class PdfProblem:
    """One error or warning about a PDF (unreadable, too large, over a page limit, a review copy...).

    Reading a file gives at most one (`PdfFacts.error`, cached with the facts); the checks add
    more per paper (`PaperPdf.problems`). ``code`` is stable (``pdf-too-large``); ``message``
    is one sentence for the organizer, and may reach the public site: no server paths in it.
    """

    #: a note explains, or was waived (`WaivedProblem`), and never fails anything
    level: Level
    #: one of `model.codes.Code`
    code: str
    message: str

    @classmethod
    def of(cls, code: Code, message: str, level: Level | None = None) -> PdfProblem:
        """A problem of this code, at the code's own level unless ``level`` says otherwise (the
        workshop's page policy, or the command: a missing PDF fails ``check``, not ``build``)."""
        return cls(level or code.level, code.value, message)


@dataclass(frozen=True)
class WaivedProblem(PdfProblem):
    """A problem the organizers accepted for one paper (``waive`` in papers.yaml): ``level`` is
    "note"; ``waived_level`` is what it would have been, ``reason`` theirs."""

    waived_level: Level = Level.ERROR
    reason: str = ""


@dataclass
class PdfFacts:
    """What the site and the checks need to know about one PDF *file*, whoever uploaded it.

    Keyed and cached by the content's SHA-256 (`cache.PdfCache`), so two papers that upload
    the same bytes share one. ``error`` is set, instead of raising, when the file cannot be
    read; the rest is then mostly empty. Knows nothing of papers: see `PaperPdf`.
    """

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
    active_content: list[str] = field(default_factory=list)  # what a viewer may run or open: JavaScript, Launch actions, embedded files
    first_page_notes: list[str] = field(default_factory=list)  # page 1's foot in a smaller font (venue notice, \thanks notes)
    text: str = ""
    content_start: int | None = None  # offset in ``text`` below page 1's author block (its Abstract or Introduction heading); None: unknown
    content_end: int | None = None  # offset in ``text`` of the end-of-content heading (references, appendix); None: all of it is content
    error: PdfProblem | None = None
    version: int = EXTRACTOR_VERSION

    @property
    def ok(self) -> bool:
        """The file could be read (no ``error``)."""
        return self.error is None

    @property
    def body_pages(self) -> float | None:
        """Decimal pages before the references and appendices (what the page limit counts)."""
        if self.pages is None:
            return None
        return self.content_pages if self.content_pages is not None else float(self.pages)

    @classmethod
    def from_json(cls, data: dict) -> PdfFacts:
        """Facts saved by `cache.PdfCache` (``dataclasses.asdict``); raises TypeError on unknown keys,
        ValueError on an unknown level."""
        error = data.pop("error", None)
        return cls(**data, error=PdfProblem(**{**error, "level": Level(error["level"])}) if error else None)


@dataclass
class PaperPdf:
    """The PDF situation of one *paper*: where its PDF should be, the facts of the file found
    there (None when there is none, or it was refused unread) and every problem about it.

    Made by `extract.extract_all` per paper id, completed by the checks (`check`), and turned
    by the build into the `outputs.volume.PdfStatus` its pages show.
    """

    paper_id: str
    pdf_name: str
    path: Path | None
    facts: PdfFacts | None = None
    problems: list[PdfProblem] = field(default_factory=list)
    thumbnail: Path | None = None  # cached first-page PNG (``extract_all(..., thumbnails=True)``)

    @property
    def publishable(self) -> bool:
        """A readable PDF with no error from the checks: the site links it."""
        return self.facts is not None and self.facts.ok and not any(p.level == Level.ERROR for p in self.problems)
