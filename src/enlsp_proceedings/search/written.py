"""Whether a Pagefind index was written whole (`index_problem`): what the indexer's child process
(`search.pagefind_child`) waits for and the build (`search.index.SearchIndexJob`) checks again.

Apart from the child's module, which imports asyncio (0.02 s, and a build's own process needs
none of it), and from search/index.py, whose imports the child's start would wait for.
"""

from __future__ import annotations

import json
from pathlib import Path


def _entry_problem(directory: Path) -> tuple[str | None, dict]:
    """(what is wrong with the index's entry file, its languages): valid JSON naming at least
    one language whose metadata file exists and is not empty."""
    try:
        languages = json.loads((directory / "pagefind-entry.json").read_text(encoding="utf-8"))["languages"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return f"pagefind-entry.json unreadable: {type(exc).__name__}", {}
    if not isinstance(languages, dict) or not languages:
        return "pagefind-entry.json names no language", {}
    for language, info in languages.items():
        meta = directory / f"pagefind.{info.get('hash', '')}.pf_meta" if isinstance(info, dict) else None
        if meta is None or not meta.is_file() or meta.stat().st_size == 0:
            return f"no metadata file for language {language!r}", {}
    return None, languages


def index_problem(directory: Path, records: int | None = None) -> str | None:
    """What is wrong with a written Pagefind index, or None: a complete entry file (see
    `_entry_problem`), (if given) as many pages as records, and no empty file."""
    problem, languages = _entry_problem(directory)
    if problem is not None:
        return problem
    pages = sum(info.get("page_count", 0) for info in languages.values())
    if records is not None and pages != records:
        return f"{pages} pages indexed for {records} records"
    for path in directory.rglob("*"):
        if path.is_file() and path.stat().st_size == 0 and not path.name.startswith("."):
            return f"{path.relative_to(directory)} is empty"
    return None
