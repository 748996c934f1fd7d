"""OpenReview's export of accepted papers (a JSON list of notes, API v1 or v2) -> `Imported` papers (`read_openreview`)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from enlsp_proceedings.importers.authors import clean_name
from enlsp_proceedings.importers.records import ExportError, Imported
from enlsp_proceedings.importers.tables import decode, describe, load_json, presentation_kind


def _value(content: dict, key: str) -> Any:
    """OpenReview API v1 stores plain values, v2 wraps them as {"value": ...}."""
    item = content.get(key)
    if isinstance(item, dict) and "value" in item:
        return item["value"]
    return item


def read_openreview(path: Path) -> tuple[list[Imported], list[str]]:
    """Notes from an OpenReview JSON export (a list, or {"notes": [...]}; API v1 or v2)."""
    try:
        return _read_openreview(path)
    except RecursionError:  # json.loads, or str() of a value nested thousands deep
        raise ExportError(f"{path}: nested too deeply to be an OpenReview export (lists or objects inside each other thousands of times)") from None


def _text_value(content: dict, key: str, where: str, problems: list[str]) -> str:
    """A content field that must be text (or absent): anything else is a problem, never its repr."""
    value = _value(content, key)
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    problems.append(f"{where}: content.{key} is {describe(value)}, not text")
    return ""


def _read_openreview(path: Path) -> tuple[list[Imported], list[str]]:
    try:
        data = load_json(decode(path.read_bytes()))
    except ValueError as exc:
        raise ExportError(f"{path}: not valid JSON ({exc})") from None
    notes = data.get("notes") if isinstance(data, dict) else data
    if not isinstance(notes, list):
        raise ExportError(f"{path}: expected a list of notes or an object with 'notes'")
    papers, skipped, problems = [], [], []  # type: list[Imported], list[str], list[str]
    for index, note in enumerate(notes):
        content = note.get("content") if isinstance(note, dict) else None
        where = f"note {index}" + (f" ({note.get('forum') or note.get('id')})" if isinstance(note, dict) and isinstance(note.get("forum") or note.get("id"), str) else "")
        if not isinstance(content, dict):
            skipped.append(f"note {index}: no content.title")
            continue
        title = _text_value(content, "title", where, problems)
        if not title.strip():
            if _value(content, "title") is None or isinstance(_value(content, "title"), str):
                skipped.append(f"note {index}: no content.title")
            continue
        forum = note.get("forum") or note.get("id") or ""
        if not isinstance(forum, str) or not re.fullmatch(r"[A-Za-z0-9_-]{1,80}", forum):
            skipped.append(f"note {index}: no usable forum id ({forum!r})"[:200])
            continue
        venue = " ".join(_text_value(content, k, where, problems) for k in ("venue", "venueid"))
        if re.search(r"reject|withdrawn|desk", venue, re.I):
            skipped.append(f"note {index} ({forum}): venue {venue.strip()!r}")
            continue
        abstract = _text_value(content, "abstract", where, problems).strip()
        raw_authors = _value(content, "authors")
        if raw_authors is None:
            raw_authors = []
        if not isinstance(raw_authors, list):
            problems.append(f"{where}: content.authors is {describe(raw_authors)}, not a list of names")
            raw_authors = []
        paper = Imported(
            source_id=forum, new_id=f"openreview-{forum}", review_id=f"openreview:{forum}", title=" ".join(title.split()),
            abstract=abstract, authors=[], presentation=presentation_kind(venue), openreview=f"https://openreview.net/forum?id={forum}",
            origin=f"{path.name}, the note of forum {forum}",
        )
        for position, author in enumerate(raw_authors):
            if not isinstance(author, str):
                problems.append(f"{where}: content.authors[{position}] is {describe(author)}, not a name")
                continue
            name, said = clean_name(author)
            paper.notes += [(kind, f"authors[{position}] {sentence}") for kind, sentence in said]
            if name:
                paper.authors.append({"name": name})
            elif author.strip():
                paper.notes.append(("cleaned", f"authors[{position}] {author!r} dropped: not a name (only marks, digits or symbols)"))
        paper.anonymous = not paper.authors
        papers.append(paper)
    if problems:
        raise ExportError(f"{path}: values the import cannot take as they are (nothing was written):\n  " + "\n  ".join(problems[:50])
                          + (f"\n  ... and {len(problems) - 50} more" if len(problems) > 50 else ""))
    return papers, skipped
