"""What the import's steps pass to one another: one accepted paper as the export describes it
(`Imported`), what the merge did (`ImportReport`), and the organizer-facing error (`ExportError`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from enlsp_proceedings.errors import UserError


class ExportError(UserError):
    """A problem with the export or the target file; the message is for the organizer."""


@dataclass
class Imported:
    """One accepted paper as the review system describes it."""

    source_id: str  # CMT Paper ID or OpenReview forum id
    new_id: str
    review_id: str  # what papers.yaml stores to find the entry again
    title: str
    abstract: str
    authors: list[dict[str, str]]
    track: str | None = None  # the export's track name until `map_tracks`, then a declared track id
    presentation: str | None = None
    openreview: str | None = None
    contact: str | None = None  # the contact author (CMT marks them with *)
    anonymous: bool = False  # the export withholds the authors ("Anonymous", an empty field): it says nothing about them
    withheld: str = ""  # what the export wrote instead of the authors ("Anonymous"; "" for an empty field)
    #: What reading changed or could not be sure of, for the report: (kind, sentence), kind one of
    #: "repaired" (an escape), "cleaned" (a mark or placeholder removed), "check" (kept, but looks wrong).
    notes: list[tuple[str, str]] = field(default_factory=list)
    #: where in the export the paper is ("accepted.xlsx, row 12"): a new entry's ``# source:`` comment
    origin: str = ""


@dataclass
class ImportReport:
    """What an import did to papers.yaml, entry by entry; `format` gives the lines the command prints."""

    added: list[str] = field(default_factory=list)
    updated: dict[str, list[str]] = field(default_factory=dict)  # id -> changed fields
    unchanged: list[str] = field(default_factory=list)
    not_in_export: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # rows that are not accepted papers, with why
    notes: list[str] = field(default_factory=list)
    #: Per paper, by its id in papers.yaml: "<kind> <id> <sentence>" lines (repaired, cleaned, check, locked, family).
    details: list[str] = field(default_factory=list)

    def detail(self, kind: str, ident: str, sentence: str) -> None:
        """Add a per-paper line: what reading or merging did to paper ``ident`` or could not be sure of."""
        self.details.append(f"{kind:<9} {ident}: {sentence}")

    def format(self, out: Path, written: bool) -> str:
        """The report as the import command prints it: what was added, updated, kept and skipped, and where it was (or would be) written."""
        lines = []
        for ident in self.added:
            lines.append(f"added     {ident}")
        for ident, fields in self.updated.items():
            lines.append(f"updated   {ident}: {', '.join(fields)}")
        for ident in self.unchanged:
            lines.append(f"unchanged {ident}")
        for ident in self.not_in_export:
            lines.append(f"kept      {ident} (not in the export: withdrawn, or added by hand?)")
        lines += self.details
        lines += [f"skipped   {s}" for s in self.skipped] + [f"note: {n}" for n in self.notes]
        verb = "wrote" if written else ("would write" if self.added or self.updated else "no changes to")
        lines.append(f"{verb} {out}: {len(self.added)} added, {len(self.updated)} updated, {len(self.unchanged)} unchanged")
        return "\n".join(lines)
