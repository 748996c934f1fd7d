"""OpenReview's export of accepted papers (a JSON list of notes, API v1 or v2) -> `Imported` papers (`read_openreview`)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from enlsp_proceedings.importers.records import ExportError, Imported
from enlsp_proceedings.importers.tables import decode, presentation_kind


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


def _read_openreview(path: Path) -> tuple[list[Imported], list[str]]:
    try:
        data = json.loads(decode(path.read_bytes()))
    except ValueError as exc:
        raise ExportError(f"{path}: not valid JSON ({exc})") from None
    notes = data.get("notes") if isinstance(data, dict) else data
    if not isinstance(notes, list):
        raise ExportError(f"{path}: expected a list of notes or an object with 'notes'")
    papers, skipped = [], []
    for index, note in enumerate(notes):
        content = note.get("content") if isinstance(note, dict) else None
        if not isinstance(content, dict) or not _value(content, "title"):
            skipped.append(f"note {index}: no content.title")
            continue
        forum = str(note.get("forum") or note.get("id") or "")
        if not re.fullmatch(r"[A-Za-z0-9_-]{1,80}", forum):
            skipped.append(f"note {index}: no usable forum id ({forum!r})")
            continue
        venue = " ".join(str(_value(content, k) or "") for k in ("venue", "venueid"))
        if re.search(r"reject|withdrawn|desk", venue, re.I):
            skipped.append(f"note {index} ({forum}): venue {venue.strip()!r}")
            continue
        authors = [{"name": " ".join(str(a).split())} for a in (_value(content, "authors") or []) if str(a).strip()]
        papers.append(Imported(
            source_id=forum, new_id=f"openreview-{forum}", review_id=f"openreview:{forum}", title=" ".join(str(_value(content, "title")).split()),
            abstract=str(_value(content, "abstract") or "").strip(), authors=authors,
            presentation=presentation_kind(venue), openreview=f"https://openreview.net/forum?id={forum}",
        ))
    return papers, skipped
