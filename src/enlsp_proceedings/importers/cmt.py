"""Microsoft CMT's export of accepted papers -> `Imported` papers (`read_cmt_export`, `read_cmt`).

Finds the header row among CMT's title rows, reads its columns by name (`CMT_COLUMNS`), and
splits the author lists in the form the whole file uses (`authors.choose_separator`: CMT's
"Name (Affiliation)*; ...", the contact author starred, or a list separated by ", " and "and", or
BibTeX's "Last, First and ..."), taking "Anonymous" (or n/a, -, nothing) for authors the export
withholds. What reading changed (an escape repaired, a footnote mark removed) or could not be sure
of (a stray accent) becomes a note of the paper, for the import's report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from enlsp_proceedings.importers.authors import (
    AmbiguousAuthorsError,
    Note,
    NotOneNameError,
    choose_separator,
    clean_affiliation,
    clean_name,
    parse_author,
    separators_in,
    split_affiliation,
    split_authors,
)
from enlsp_proceedings.importers.records import ExportError, Imported
from enlsp_proceedings.importers.tables import CMT_COLUMNS, AuthorList, header_key, presentation_kind, read_table
from enlsp_proceedings.model.schema import ANONYMOUS_NAME


def parse_cmt_author(text: str) -> tuple[dict[str, str], bool]:
    """'Jürgen Müller (Universität Wien)*' -> ({name, affiliation}, is_contact), as CMT writes one author."""
    contact = "*" in text
    name, affiliation = split_affiliation(text.replace("*", ""))
    return ({"name": name, "affiliation": affiliation} if affiliation else {"name": name}), contact


#: What a review system (or an organizer's copy of its list) writes where it withholds the authors:
#: the placeholders the loader refuses as names, and "n/a", dashes or nothing.
ANONYMOUS = re.compile(rf"{ANONYMOUS_NAME}|n/?a|-+|", re.IGNORECASE)


def split_cmt_authors(text: str) -> list[str]:
    """CMT's author list split at the semicolons between authors, not those inside an affiliation
    ('Pheobe Sun (University College Dublin; JP Morgan Chase & Co)*; Ruibo Shi (...)')."""
    return split_authors(text, "semicolon")


@dataclass
class Reading:
    """What reading an export found: the accepted papers, the rows skipped (with why), and what the reader
    decided for the whole file (how it separated authors), for the import's report."""

    papers: list[Imported]
    skipped: list[str]
    notes: list[str] = field(default_factory=list)


def read_cmt(path: Path) -> tuple[list[Imported], list[str]]:
    """Accepted papers from a CMT export; returns (papers, skipped rows with the reason)."""
    reading = read_cmt_export(path)
    return reading.papers, reading.skipped


@dataclass
class _Row:
    number: int  # the row's line in the export, as a spreadsheet numbers it
    index: int  # in the table
    source_id: str
    status: str
    authors: Any  # the cell: text, or an `AuthorList` from a data file


def read_cmt_export(path: Path, separator: str | None = None) -> Reading:
    """Accepted papers from a CMT export (or a data file of CMT's columns), their authors read in the form the
    file uses or ``separator`` (see `authors.SEPARATOR_NAMES`). Raises ExportError where the file is ambiguous
    (naming the papers and ``--author-separator``) or a name would still hold a separator."""
    table = read_table(path)
    rows = table.rows
    data_file = path.suffix.lower() in (".json", ".yml", ".yaml")  # a list of entries: no rows a reader could count
    header_at = next((i for i, row in enumerate(rows) if {"paper id"} <= {header_key(str(c)) for c in row}
                      and {header_key(str(c)) for c in row} & {"paper title", "title"}), None)
    if header_at is None:
        raise ExportError(f"{path}: no header row with 'Paper ID' and 'Paper Title' columns (is this a CMT papers export?)")
    header = [header_key(str(c)) for c in rows[header_at]]
    columns: dict[str, int] = {}
    for name, aliases in CMT_COLUMNS.items():
        for alias in aliases:
            if alias in header:
                columns[name] = header.index(alias)
                break

    def get(row: list[Any], name: str) -> Any:
        index = columns.get(name)
        return row[index] if index is not None and index < len(row) else ""

    accepted: list[_Row] = []
    skipped = []
    for index in range(header_at + 1, len(rows)):
        row, number = rows[index], index + 1
        if not any(row):
            continue
        source_id = str(get(row, "id"))
        if not re.fullmatch(r"\d+", source_id):
            skipped.append(f"row {number}: Paper ID {source_id!r} is not a number")
            continue
        status = str(get(row, "status"))
        if status and "accept" not in status.lower():
            skipped.append(f"row {number}: paper {source_id} has status {status!r}")
            continue
        accepted.append(_Row(number, index, source_id, status, get(row, "authors")))

    texts = {r.source_id: " ".join(r.authors.split()) for r in accepted if isinstance(r.authors, str)}
    texts = {paper: text for paper, text in texts.items() if not ANONYMOUS.fullmatch(text)}
    try:
        choice = choose_separator(texts, separator)
    except AmbiguousAuthorsError as exc:
        raise ExportError(f"{path}: {exc}; nothing was written") from None
    notes = [choice.reason] if texts else []
    if "authors" not in columns:
        notes.append("the export has no author column: every paper's authors are unknown (existing entries keep theirs)")

    repaired: dict[int, list[tuple[int, list[str]]]] = {}
    for (at, column), sentences in table.notes.items():
        repaired.setdefault(at, []).append((column, sentences))
    papers, wrong, contacts = [], [], 0
    for r in accepted:
        row = rows[r.index]
        paper = Imported(
            source_id=r.source_id, new_id=f"cmt-{r.source_id}", review_id=f"cmt:{r.source_id}", title=" ".join(str(get(row, "title")).split()),
            abstract=str(get(row, "abstract")), authors=[], track=str(get(row, "track")) or None, presentation=presentation_kind(r.status),
            origin=f"{path.name}, the entry with Paper ID {r.source_id}" if data_file else f"{path.name}, row {r.number}",
        )
        for column, sentences in repaired.get(r.index, []):
            field_name = next((name for name, index in columns.items() if index == column), header[column])
            paper.notes += [("repaired", f"{field_name}: {s}") for s in sentences]
        entries: list[tuple[Any, str]]
        if isinstance(r.authors, AuthorList):
            entries = [(item, "list") for item in r.authors]
        else:
            text = " ".join(r.authors.split())
            paper.anonymous = bool(ANONYMOUS.fullmatch(text))
            paper.withheld = text if paper.anonymous else ""
            entries = [] if paper.anonymous else [(part, choice.separator) for part in split_authors(text, choice.separator)]
        for position, (item, style) in enumerate(entries):
            try:
                author, is_contact, said = _listed_author(item) if isinstance(item, dict) else parse_author(item, style)
            except NotOneNameError as exc:
                wrong.append(f"paper {r.source_id}: {exc.args[0]!r}")
                continue
            paper.notes += [(kind, f"authors[{position}] {sentence}") for kind, sentence in said]
            if author is None:
                continue
            paper.authors.append(author)
            if is_contact and paper.contact is None:
                paper.contact = author["name"]
                contacts += 1
        if not paper.authors:
            paper.anonymous = True  # nothing names an author: unknown, as for "Anonymous"
        papers.append(paper)
    if wrong:
        raise ExportError(f"{path}: these names still hold a ',', ';' or 'and' ({choice.reason}): {'; '.join(wrong[:10])}"
                          f"{' ...' if len(wrong) > 10 else ''}. Correct them in the file, or read the authors another way with "
                          "--author-separator ';', ',' or 'and'; nothing was written")
    if contacts:
        notes.append(f"contact-author marks (*) removed from {contacts} paper(s)")
    return Reading(papers, skipped, notes)


def _listed_author(item: dict[str, str]) -> tuple[dict[str, str] | None, bool, list[Note]]:
    """An author a data file gives as {name, affiliation}: cleaned like any other (marks, placeholders)."""
    if separators_in(item["name"]):
        raise NotOneNameError(item["name"])
    name, said = clean_name(item["name"])
    if not name:
        return None, False, [("cleaned", f"{item['name']!r} dropped: not a name (only marks, digits or symbols)")]
    author = {"name": name}
    affiliation, more = clean_affiliation(item.get("affiliation") or "")
    if affiliation:
        author["affiliation"] = affiliation
    return author, False, said + more
