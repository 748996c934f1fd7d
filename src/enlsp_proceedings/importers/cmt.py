"""Microsoft CMT's export of accepted papers -> `Imported` papers (`read_cmt`).

Finds the header row among CMT's title rows, reads its columns by name (`CMT_COLUMNS`), and
splits CMT's author cells ("Name (Affiliation)*; ...", the contact author starred), taking
"Anonymous" (or n/a, -) for authors the export withholds.
"""

from __future__ import annotations

import re
from pathlib import Path

from enlsp_proceedings.importers.records import ExportError, Imported
from enlsp_proceedings.importers.tables import CMT_COLUMNS, header_key, presentation_kind, read_table
from enlsp_proceedings.model.schema import ANONYMOUS_NAME


def parse_cmt_author(text: str) -> tuple[dict[str, str], bool]:
    """'Jürgen Müller (Universität Wien)*' -> ({name, affiliation}, is_contact)."""
    contact = "*" in text
    text = text.replace("*", "").strip()
    if text.endswith(")"):  # the affiliation is the last balanced (...) group
        depth = 0
        for index in range(len(text) - 1, -1, -1):
            depth += {")": 1, "(": -1}.get(text[index], 0)
            if depth == 0:
                name, affiliation = " ".join(text[:index].split()), " ".join(text[index + 1:-1].split())
                if name:
                    return ({"name": name, "affiliation": affiliation} if affiliation else {"name": name}), contact
                break
    return {"name": " ".join(text.split())}, contact


#: What a review system (or an organizer's copy of its list) writes where it withholds the authors:
#: the placeholders the loader refuses as names, and "n/a", dashes or nothing.
ANONYMOUS = re.compile(rf"{ANONYMOUS_NAME}|n/?a|-+|", re.IGNORECASE)


def split_cmt_authors(text: str) -> list[str]:
    """CMT's author list split at the semicolons between authors, not those inside an affiliation
    ('Pheobe Sun (University College Dublin; JP Morgan Chase & Co)*; Ruibo Shi (...)')."""
    parts, depth, start = [], 0, 0
    for index, char in enumerate(text):
        depth = max(0, depth + {"(": 1, ")": -1}.get(char, 0))
        if char == ";" and depth == 0:
            parts.append(text[start:index])
            start = index + 1
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip()]


def read_cmt(path: Path) -> tuple[list[Imported], list[str]]:
    """Accepted papers from a CMT export; returns (papers, skipped rows with the reason)."""
    rows = read_table(path)
    header_at = next((i for i, row in enumerate(rows) if {"paper id"} <= {header_key(c) for c in row}
                      and {header_key(c) for c in row} & {"paper title", "title"}), None)
    if header_at is None:
        raise ExportError(f"{path}: no header row with 'Paper ID' and 'Paper Title' columns (is this a CMT papers export?)")
    header = [header_key(c) for c in rows[header_at]]
    columns: dict[str, int] = {}
    for name, aliases in CMT_COLUMNS.items():
        for alias in aliases:
            if alias in header:
                columns[name] = header.index(alias)
                break
    papers, skipped = [], []
    for number, row in enumerate(rows[header_at + 1:], start=header_at + 2):
        def get(name: str, row=row) -> str:
            index = columns.get(name)
            return row[index] if index is not None and index < len(row) else ""

        if not any(row):
            continue
        source_id = get("id")
        if not re.fullmatch(r"\d+", source_id):
            skipped.append(f"row {number}: Paper ID {source_id!r} is not a number")
            continue
        status = get("status")
        if status and "accept" not in status.lower():
            skipped.append(f"row {number}: paper {source_id} has status {status!r}")
            continue
        authors, contact = [], None
        anonymous = bool(ANONYMOUS.fullmatch(" ".join(get("authors").split())))
        for part in [] if anonymous else split_cmt_authors(get("authors")):
            author, is_contact = parse_cmt_author(part)
            authors.append(author)
            contact = contact or (author["name"] if is_contact else None)
        papers.append(Imported(
            source_id=source_id, new_id=f"cmt-{source_id}", review_id=f"cmt:{source_id}", title=" ".join(get("title").split()),
            abstract=get("abstract"), authors=authors, track=get("track") or None,
            presentation=presentation_kind(status), contact=contact, anonymous=anonymous,
        ))
    return papers, skipped
