"""The problem codes `check` and `build` report about one paper, and which of them an organizer
may waive (``waive`` in papers.yaml, `schema.Waiver`).

A waiver records an organizer's decision about one paper ("the program chairs accepted its
fifth page"): the problem is then reported as a note with the reason, no longer fails
``build --strict``, and a waived error no longer keeps the PDF off the site. Only judgments can
be waived, never a file that cannot be read or published at all: there is nothing to decide
about an encrypted or truncated file (remove it and waive ``pdf-missing`` instead).

This is the one list of the codes: the loader validates ``waive`` against it, and a test checks
that every code the checks can report is in it, so a new check must say here whether it can be
waived.
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
    """One problem as a build reports it and the command line prints it (``<level>: <text>``): its
    code is one of this module's, or ``name-variant`` for two spellings that may be one person."""

    level: Level
    code: str
    text: str

    def __str__(self) -> str:
        return f"{self.level}: {self.text}"

    def naming(self, where: str) -> Reported:
        """The same problem, its text starting with ``where`` ("edition 2023")."""
        return Reported(self.level, self.code, f"{where}: {self.text}")

#: When a waiver of a code can be known to match nothing (a stale waiver): ``file`` always
#: (the file is there or not), ``pdf`` once the paper's PDF was read, ``supplementary`` once the
#: paper's supplementary file was read.
Scope = Literal["file", "pdf", "supplementary"]


@dataclass(frozen=True)
class WaivableCode:
    """A problem code an organizer may waive, and what a waiver of it means."""

    code: str
    scope: Scope
    meaning: str  # one line for the guide and the error message listing the codes


#: Codes that can be waived, in the order the guide lists them.
WAIVABLE: dict[str, WaivableCode] = {c.code: c for c in (
    WaivableCode("pdf-over-limit", "pdf", "the content is longer than the page limit (prefer the paper's page_limit for a known allowance)"),
    WaivableCode("pdf-missing", "file", "no camera-ready PDF: the paper is published without one"),
    WaivableCode("pdf-wrong-file", "pdf", "page 1 shows neither the title nor an author: the file is right after all, and is published"),
    WaivableCode("pdf-author-missing", "pdf", "an author of the metadata is not on page 1"),
    WaivableCode("pdf-author-variant", "pdf", "page 1 spells an author another way"),
    WaivableCode("pdf-author-extra", "pdf", "page 1 lists someone the metadata does not"),
    WaivableCode("pdf-authors-unchecked", "pdf", "the metadata names no authors, so page 1 was not compared"),
    WaivableCode("pdf-title-mismatch", "pdf", "page 1 does not show the metadata's title"),
    WaivableCode("pdf-anonymous-camera-ready", "pdf", "the camera-ready names no authors on page 1"),
    WaivableCode("pdf-no-text", "pdf", "page 1 has no extractable text"),
    WaivableCode("pdf-active-content", "pdf", "the PDF holds JavaScript, a Launch action or embedded files"),
    WaivableCode("pdf-affiliation-mismatch", "pdf", "page 1 names other institutions than an author's affiliation (a lab renamed, a move)"),
    WaivableCode("pdf-submission-notice", "pdf", "the camera-ready kept the submission's \"Submitted to … Do not distribute\" notice"),
    WaivableCode("pdf-line-numbers", "pdf", "the camera-ready kept the submission's margin line numbers"),
    WaivableCode("pdf-main-conference-footer", "pdf", "page 1's footer names the main conference, not the workshop"),
    WaivableCode("pdf-other-venue-footer", "pdf", "page 1's footer names another venue (a paper also published elsewhere)"),
    WaivableCode("pdf-preprint-footer", "pdf", "page 1's footer says preprint"),
    WaivableCode("supplementary-missing", "file", "the supplementary file named in papers.yaml is not there"),
    WaivableCode("supplementary-active-content", "supplementary", "the supplementary PDF holds JavaScript, a Launch action or embedded files"),
    WaivableCode("supplementary-zip-escape", "supplementary", "the supplementary ZIP has entries that would unpack outside its folder"),
)}

#: Codes about one paper that cannot be waived, and what to do instead.
NOT_WAIVABLE: dict[str, str] = {
    "pdf-review-copy": "publish a review copy with publish_review_copy: its text, shown on the paper's page, tells readers what the PDF is",
    "pdf-review-copy-published": "it is the result of publish_review_copy already",
    **{code: "the file cannot be published as it is: replace it, or remove it and waive pdf-missing"
       for code in ("pdf-outside", "pdf-unreadable", "pdf-too-large", "pdf-empty", "pdf-not-pdf", "pdf-encrypted",
                    "pdf-no-pages", "pdf-too-costly")},
    **{code: "the file cannot be published as it is: replace it, or remove supplementary from the paper's entry"
       for code in ("supplementary-outside", "supplementary-unreadable", "supplementary-too-large", "supplementary-empty",
                    "supplementary-not-pdf", "supplementary-encrypted", "supplementary-no-pages", "supplementary-too-costly")},
}

#: A build's warning about people, not about one paper: two spellings that may be one person (the
#: organizer settles them in people.yaml's ``aliases`` or ``distinct``).
NAME_VARIANT = "name-variant"

#: Notes `check` adds for one paper: what they explain, never a problem to waive.
NOTES = {
    "pdf-within-limit-by-policy": "the page policy (acknowledgments not counted, extra camera-ready pages) keeps the paper within its limit",
    "waiver-unused": "a waiver in papers.yaml matches no problem of the paper (a warning: remove it)",
}


def waivable_code(value: str) -> str:
    """``value`` when it is a code that may be waived; else a ValueError saying why not (for the loader)."""
    if value in WAIVABLE:
        return value
    if value in NOT_WAIVABLE:
        raise ValueError(f"{value} cannot be waived: {NOT_WAIVABLE[value]}")
    raise ValueError(f"unknown problem code {value!r}; codes that can be waived: {', '.join(WAIVABLE)}")
