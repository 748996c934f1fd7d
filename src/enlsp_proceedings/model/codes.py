"""The problem codes `check` and `build` report, their levels, and which of them an organizer
may waive (``waive`` in papers.yaml, `schema.Waiver`).

A waiver records an organizer's decision about one paper ("the program chairs accepted its
fifth page"): the problem is then reported as a note with the reason, no longer fails
``build --strict``, and a waived error no longer keeps the PDF off the site. Only judgments can
be waived, never a file that cannot be read or published at all: there is nothing to decide
about an encrypted or truncated file (remove it and waive ``pdf-missing`` instead).

`Code` is the one list of the codes, each with its level, its meaning and whether it can be
waived: the checks make their problems from it (`pdf.facts.PdfProblem.of`), the loader validates
``waive`` against it, ``enlsp-proceedings codes`` prints it, and a test checks that every code the
package reports is one of it. A new check adds its code here, and nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal


class Level(StrEnum):
    """How much a problem matters. An error keeps a PDF off the site and fails ``build --strict``;
    a warning is for the organizer to look at; a note explains (a waiver, a page policy). Equal to
    its text ("error"), which `check --format json` and every printed line show."""

    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"


@dataclass(frozen=True)
class Reported:
    """One problem as a build reports it and the command line prints it (``<level>: <text>``)."""

    level: Level
    #: one of `Code`
    code: str
    text: str

    def __str__(self) -> str:
        return f"{self.level}: {self.text}"

    def naming(self, where: str) -> Reported:
        """The same problem, its text starting with ``where`` ("edition 2023"); itself when ``where`` is empty."""
        return Reported(self.level, self.code, f"{where}: {self.text}") if where else self

#: When a waiver of a code can be known to match nothing (a stale waiver): ``file`` always
#: (the file is there or not), ``pdf`` once the paper's PDF was read, ``supplementary`` once the
#: paper's supplementary file was read.
Scope = Literal["file", "pdf", "supplementary"]


#: What a code that judges nothing but the file itself says instead of a waiver.
_REPLACE_PDF = "the file cannot be published as it is: replace it, or remove it and waive pdf-missing"
_REPLACE_SUPPLEMENT = "the file cannot be published as it is: replace it, or remove supplementary from the paper's entry"


class Code(StrEnum):
    """Every problem code `check` and `build` report, with its level, what it means and whether an
    organizer may waive it: the one place a new check adds its code.

    The level is the code's own; where the workshop decides (``page_policy``'s ``over_limit``) or
    the command does (a missing PDF fails ``check`` but not ``build``), the caller gives another
    (`facts.PdfProblem.of`). Equal to its text (``pdf-over-limit``), as every report prints it.
    """

    level: Level
    #: one line for the guide, ``enlsp-proceedings codes`` and the loader's messages
    meaning: str
    #: when a waiver of the code can be known to match nothing (`Scope`); None: it cannot be waived
    scope: Scope | None
    #: for a code that cannot be waived, what to do instead
    instead: str

    @property
    def waivable(self) -> bool:
        """Whether an organizer may waive it (``waive`` in papers.yaml)."""
        return self.scope is not None

    def __new__(cls, value: str, level: Level, meaning: str, scope: Scope | None = None, instead: str = "") -> Code:
        member = str.__new__(cls, value)
        member._value_ = value
        member.level, member.meaning, member.scope, member.instead = level, meaning, scope, instead
        return member

    # -- a PDF that cannot be published as it is (the file itself) ------------------------------
    PDF_OUTSIDE = ("pdf-outside", Level.ERROR, "the pdf path leads outside the papers directory", None, _REPLACE_PDF)
    PDF_UNREADABLE = ("pdf-unreadable", Level.ERROR, "the PDF cannot be opened or read (truncated, damaged, not a regular file)", None, _REPLACE_PDF)
    PDF_TOO_LARGE = ("pdf-too-large", Level.ERROR, "the file is larger than the size a PDF may have", None, _REPLACE_PDF)
    PDF_EMPTY = ("pdf-empty", Level.ERROR, "the file is empty", None, _REPLACE_PDF)
    PDF_NOT_PDF = ("pdf-not-pdf", Level.ERROR, "the file is no PDF (no %PDF- header)", None, _REPLACE_PDF)
    PDF_ENCRYPTED = ("pdf-encrypted", Level.ERROR, "the PDF is encrypted", None, _REPLACE_PDF)
    PDF_NO_PAGES = ("pdf-no-pages", Level.ERROR, "the PDF has no pages", None, _REPLACE_PDF)
    PDF_TOO_COSTLY = ("pdf-too-costly", Level.ERROR, "reading the PDF took more time or memory than any paper needs", None, _REPLACE_PDF)
    # -- judgments about a camera-ready, an organizer's to make ---------------------------------
    PDF_OVER_LIMIT = ("pdf-over-limit", Level.ERROR, "the content is longer than the page limit (prefer the paper's page_limit for a known allowance)",
                      "pdf")
    PDF_MISSING = ("pdf-missing", Level.WARNING, "no camera-ready PDF: the paper is published without one", "file")
    PDF_WRONG_FILE = ("pdf-wrong-file", Level.ERROR, "page 1 shows neither the title nor an author: the file is right after all, and is published", "pdf")
    PDF_AUTHOR_MISSING = ("pdf-author-missing", Level.ERROR, "an author of the metadata is not on page 1", "pdf")
    PDF_AUTHOR_VARIANT = ("pdf-author-variant", Level.WARNING, "page 1 spells an author another way", "pdf")
    PDF_AUTHOR_EXTRA = ("pdf-author-extra", Level.WARNING, "page 1 lists someone the metadata does not", "pdf")
    PDF_AUTHORS_UNCHECKED = ("pdf-authors-unchecked", Level.WARNING, "the metadata names no authors, so page 1 was not compared", "pdf")
    PDF_TITLE_MISMATCH = ("pdf-title-mismatch", Level.WARNING, "page 1 does not show the metadata's title", "pdf")
    PDF_ANONYMOUS_CAMERA_READY = ("pdf-anonymous-camera-ready", Level.WARNING, "the camera-ready names no authors on page 1", "pdf")
    PDF_NO_TEXT = ("pdf-no-text", Level.WARNING, "page 1 has no extractable text", "pdf")
    PDF_ACTIVE_CONTENT = ("pdf-active-content", Level.WARNING, "the PDF holds JavaScript, a Launch action or embedded files", "pdf")
    PDF_AFFILIATION_MISMATCH = ("pdf-affiliation-mismatch", Level.WARNING,
                                "page 1 names other institutions than an author's affiliation (a lab renamed, a move)", "pdf")
    PDF_SUBMISSION_NOTICE = ("pdf-submission-notice", Level.WARNING, "the camera-ready kept the submission's \"Submitted to … Do not distribute\" notice",
                             "pdf")
    PDF_LINE_NUMBERS = ("pdf-line-numbers", Level.WARNING, "the camera-ready kept the submission's margin line numbers", "pdf")
    PDF_MAIN_CONFERENCE_FOOTER = ("pdf-main-conference-footer", Level.WARNING, "page 1's footer names the main conference, not the workshop", "pdf")
    PDF_OTHER_VENUE_FOOTER = ("pdf-other-venue-footer", Level.WARNING, "page 1's footer names another venue (a paper also published elsewhere)", "pdf")
    PDF_PREPRINT_FOOTER = ("pdf-preprint-footer", Level.WARNING, "page 1's footer says preprint", "pdf")
    PDF_REVIEW_COPY = ("pdf-review-copy", Level.ERROR, "the PDF is the anonymized review copy, not the camera-ready", None,
                       "publish a review copy with publish_review_copy: its text, shown on the paper's page, tells readers what the PDF is")
    PDF_REVIEW_COPY_PUBLISHED = ("pdf-review-copy-published", Level.WARNING, "the review copy is published on purpose (publish_review_copy)", None,
                                 "it is the result of publish_review_copy already")
    # -- a paper's supplementary material -------------------------------------------------------
    SUPPLEMENTARY_MISSING = ("supplementary-missing", Level.WARNING, "the supplementary file named in papers.yaml is not there", "file")
    SUPPLEMENTARY_ACTIVE_CONTENT = ("supplementary-active-content", Level.WARNING,
                                    "the supplementary PDF holds JavaScript, a Launch action or embedded files", "supplementary")
    SUPPLEMENTARY_ZIP_ESCAPE = ("supplementary-zip-escape", Level.WARNING, "the supplementary ZIP has entries that would unpack outside its folder",
                                "supplementary")
    SUPPLEMENTARY_OUTSIDE = ("supplementary-outside", Level.ERROR, "the supplementary path leads outside the papers directory", None, _REPLACE_SUPPLEMENT)
    SUPPLEMENTARY_UNREADABLE = ("supplementary-unreadable", Level.ERROR, "the supplementary file cannot be opened or read", None, _REPLACE_SUPPLEMENT)
    SUPPLEMENTARY_TOO_LARGE = ("supplementary-too-large", Level.ERROR, "the supplementary file is larger than its size limit", None, _REPLACE_SUPPLEMENT)
    SUPPLEMENTARY_EMPTY = ("supplementary-empty", Level.ERROR, "the supplementary file is empty", None, _REPLACE_SUPPLEMENT)
    SUPPLEMENTARY_NOT_PDF = ("supplementary-not-pdf", Level.ERROR, "the supplementary .pdf is no PDF", None, _REPLACE_SUPPLEMENT)
    SUPPLEMENTARY_ENCRYPTED = ("supplementary-encrypted", Level.ERROR, "the supplementary PDF is encrypted", None, _REPLACE_SUPPLEMENT)
    SUPPLEMENTARY_NO_PAGES = ("supplementary-no-pages", Level.ERROR, "the supplementary PDF has no pages", None, _REPLACE_SUPPLEMENT)
    SUPPLEMENTARY_TOO_COSTLY = ("supplementary-too-costly", Level.ERROR, "reading the supplementary PDF took more time or memory than it may", None,
                                _REPLACE_SUPPLEMENT)
    # -- notes about one paper ----------------------------------------------------------------
    PDF_WITHIN_LIMIT_BY_POLICY = ("pdf-within-limit-by-policy", Level.NOTE,
                                  "the page policy (acknowledgments not counted, extra camera-ready pages) keeps the paper within its limit", None,
                                  "it is a note, not a problem")
    WAIVER_UNUSED = ("waiver-unused", Level.WARNING, "a waiver in papers.yaml matches no problem of the paper: remove it", None,
                     "remove the waiver")
    # -- across papers, people and the program ------------------------------------------------
    PDF_SAME_CONTENT = ("pdf-same-content", Level.WARNING, "two papers have byte-identical PDFs (a wrong upload?)")
    PDF_UNUSED = ("pdf-unused", Level.WARNING, "a file in the papers directory belongs to no paper (misnamed?)")
    PAPERS_PARTIAL_COPY = ("papers-partial-copy", Level.WARNING, "a PDF is still being copied into the papers directory")
    NAME_VARIANT = ("name-variant", Level.WARNING, "two spellings may be one person: settle them in people.yaml (aliases or distinct)")
    NAME_FAMILY_ASSUMED = ("name-family-assumed", Level.WARNING, "a name of three or more words: its family name is assumed, confirm it with family:")
    TEXT_MARKUP = ("text-markup", Level.WARNING, "a title or abstract has LaTeX the site cannot show as the author meant")
    SCHEDULE_TALKS_OVERLAP = ("schedule-talks-overlap", Level.WARNING, "two talks of the program overlap in time")
    SCHEDULE_TIME_AMBIGUOUS = ("schedule-time-ambiguous", Level.WARNING, "a time of the program could be read two ways")
    UNKNOWN_PAPER = ("unknown-paper", Level.ERROR, "check --paper names no paper of the data")
    PERSON_VARIANT_ACROSS_EDITIONS = ("person-variant-across-editions", Level.WARNING, "two editions spell what may be one person otherwise")
    PERSON_ALIAS_CONFLICT = ("person-alias-conflict", Level.WARNING, "an alias of people.yaml merges people the ORCID iDs keep apart")
    PERSON_ORCID_SPLIT = ("person-orcid-split", Level.NOTE, "one name is two people: their ORCID iDs differ")
    PERSON_ORCID_UNSURE = ("person-orcid-unsure", Level.WARNING, "an ORCID iD cannot tell which of a name's people is meant")
    PERSON_ORCID_MERGE = ("person-orcid-merge", Level.NOTE, "two spellings are one person: their ORCID iDs are one")
    # -- conf/ itself (the loader: every one keeps the build from starting) --------------------
    CONF_INVALID = ("conf-invalid", Level.ERROR, "a file of conf/ is not valid: the message names the file, line and field")
    CONF_ALIAS = ("conf-alias", Level.ERROR, "a YAML file of conf/ uses aliases (&, *), which the metadata never needs")
    SCHEDULE_UNKNOWN_ID = ("schedule-unknown-id", Level.ERROR, "the program names a paper, keynote or panel the data does not have")
    SCHEDULE_TIME_MISSING = ("schedule-time-missing", Level.ERROR, "a slot of the program has no start or end")
    PERSON_ORCID_EDITION = ("person-orcid-edition", Level.ERROR, "people.yaml's orcids name an edition the series does not have")
    DUPLICATE_ID = ("duplicate-id", Level.ERROR, "two papers, keynotes or panels have one id")
    DUPLICATE_PDF = ("duplicate-pdf", Level.ERROR, "two papers name one PDF")
    DUPLICATE_PDF_ALIAS = ("duplicate-pdf-alias", Level.ERROR, "two papers' PDFs would have one older address (pdf_aliases)")
    DUPLICATE_SUPPLEMENTARY_ALIAS = ("duplicate-supplementary-alias", Level.ERROR,
                                     "two papers' supplementary files would have one older address (supplementary_aliases)")
    DUPLICATE_SITE_PATH = ("duplicate-site-path", Level.ERROR, "two files of the site would have one address")
    DUPLICATE_TRACK = ("duplicate-track", Level.ERROR, "two tracks of workshop.yaml have one id")
    DUPLICATE_PRESENTATION = ("duplicate-presentation", Level.ERROR, "two presentation kinds of workshop.yaml have one id")
    DUPLICATE_PAPER_TYPE = ("duplicate-paper-type", Level.ERROR, "two paper types of workshop.yaml have one id")


#: Every code by its text.
_BY_TEXT: dict[str, Code] = {c.value: c for c in Code}


def code_named(text: str) -> Code:
    """The `Code` whose text is ``text`` (``Code(text)``, which mypy reads as the members'
    constructor); a ValueError for any other text."""
    try:
        return _BY_TEXT[text]
    except KeyError:
        raise ValueError(f"unknown problem code {text!r}") from None


#: Codes that can be waived, in the order the guide lists them.
WAIVABLE: dict[str, Code] = {c.value: c for c in Code if c.waivable}

#: Codes that cannot be waived, and what to do instead.
NOT_WAIVABLE: dict[str, str] = {c.value: c.instead or "it is not about one paper: there is nothing to waive in its entry" for c in Code if not c.waivable}

def waivable_code(value: str) -> str:
    """``value`` when it is a code that may be waived; else a ValueError saying why not (for the loader)."""
    if value in WAIVABLE:
        return value
    if value in NOT_WAIVABLE:
        raise ValueError(f"{value} cannot be waived: {NOT_WAIVABLE[value]}")
    raise ValueError(f"unknown problem code {value!r}; codes that can be waived: {', '.join(WAIVABLE)}")
