"""Merging imported papers into ``conf/papers.yaml`` and writing it back (`merge`, `write_yaml`).

The file is edited in place with ruamel.yaml's round-trip mode, so an organizer's comments,
layout and quoting survive; an entry is matched by its review id, then its id, then its
OpenReview link, then its title (`_Entries`). Only the fields the export carries are
updated, and only when they differ in more than white space or quote style. The entries
an import touched are validated as the loader would (`validate`) before anything is written.
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString, SingleQuotedScalarString

from enlsp_proceedings.importers.records import ExportError, Imported, ImportReport
from enlsp_proceedings.model.load import alias_problem, reads_as_string
from enlsp_proceedings.model.schema import Paper
from enlsp_proceedings.util.files import write_atomically
from enlsp_proceedings.util.text import QUOTES, compact, fold


def _yaml() -> YAML:
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096
    return yaml


def _same_text(a: Any, b: Any) -> bool:
    """Equal up to white space and quote style (an export's ``LaTeX quotes'' against the "quotes" an
    organizer typed): such an update would change nothing a reader cares about, so the organizer's text stays."""
    def norm(text: Any) -> str:
        return " ".join(str(text or "").split()).replace("``", '"').replace("''", '"').translate(QUOTES)
    return norm(a) == norm(b)


#: Long texts are written as folded blocks wrapped at this width, as a person would write them.
WRAP = 96


def _folded(text: str) -> FoldedScalarString:
    """``text`` as a ``>-`` block folded at single spaces near `WRAP` columns (it loads back unchanged)."""
    block = FoldedScalarString(text)
    positions, line_start = [], 0
    for index, char in enumerate(text):
        if index - line_start >= WRAP and char == " " and 0 < index < len(text) - 1 and text[index - 1] != " " and text[index + 1] != " ":
            positions.append(index)
            line_start = index + 1
    block.fold_pos = positions
    return block


def _text(value: str) -> Any:
    """A string as the loader will read it back: quoted when, unquoted, the loader's YAML 1.1 would
    make it something else (``Yes`` a boolean, ``null`` nothing, ``2031-12-05`` a date, ``0x10`` a number)."""
    return value if reads_as_string(value) else SingleQuotedScalarString(value)


def _person(author: dict[str, str]) -> CommentedMap:
    return CommentedMap((key, _text(value)) for key, value in author.items())


def _styled(old: Any, new: str) -> Any:
    """Keep the block style an organizer chose for a long text."""
    if "\n" in new:
        return LiteralScalarString(new)
    if old is None or isinstance(old, FoldedScalarString | LiteralScalarString) or len(new) > WRAP:
        return _folded(new)
    return _text(new)


def _merge_authors(entry: CommentedMap, authors: list[dict[str, str]]) -> list[str]:
    """Update names/affiliations from the export; keep ORCIDs, URLs and spellings equal up to accents."""
    old = entry.get("authors") or CommentedSeq()
    by_name = {fold(" ".join(str(a.get("name", "")).split())): a for a in old if isinstance(a, dict)}
    merged, changes = CommentedSeq(), []
    for index, author in enumerate(authors):
        existing = by_name.get(fold(author["name"]))
        if existing is None:
            item: Any = _person(author)
            changes.append(f"authors[{index}] {author['name']!r} added")
        else:
            item = existing
            if author.get("affiliation") and not _same_text(existing.get("affiliation"), author["affiliation"]):
                changes.append(f"authors[{index}].affiliation")
                existing["affiliation"] = _text(author["affiliation"])
        merged.append(item)
    kept = {fold(str(a["name"])) for a in authors}
    for author in old:
        if isinstance(author, dict) and fold(" ".join(str(author.get("name", "")).split())) not in kept:
            changes.append(f"author {author.get('name')!r} removed")
    old_order = [fold(str(a.get("name", ""))) for a in old if isinstance(a, dict)]
    if not changes and old_order != [fold(a["name"]) for a in authors]:
        changes.append("authors order")
    if changes:
        entry["authors"] = merged
    return changes


def _new_entry(paper: Imported, default_track: str = "main") -> CommentedMap:
    entry = CommentedMap()
    entry["id"] = paper.new_id
    entry["review_id"] = paper.review_id
    entry["title"] = _text(paper.title)
    entry["authors"] = CommentedSeq(_person(a) for a in paper.authors)
    if paper.anonymous:
        entry.yaml_add_eol_comment("the export gives no names ('Anonymous'); add them when known", "authors")
    entry["abstract"] = _styled(None, paper.abstract) if paper.abstract else "(abstract not in the export)"
    entry["presentation"] = paper.presentation or "poster"
    entry["track"] = paper.track or default_track
    if paper.openreview:
        entry["links"] = CommentedMap(openreview=paper.openreview)
    return entry


def _insert_after_id(entry: CommentedMap, key: str, value: str) -> None:
    keys = list(entry.keys())
    entry.insert(keys.index("id") + 1 if "id" in keys else 0, key, value)


def _title_key(title: str) -> str:
    """A title as a reader compares it: "Few Shot" and "Few-shot", a dropped colon, are one title."""
    return compact(title)


class _Entries:
    """The entries of papers.yaml indexed by what an imported paper is matched on, in order: its
    review id, its new id (for an entry without a review id), its OpenReview link, its title. A
    lookup is a dictionary access, so merging 100,000 rows costs 100,000 lookups, not 10**10
    comparisons. An entry whose matched fields change is indexed again (`changing`)."""

    def __init__(self, papers: list):
        self.by: dict[str, dict[str, list]] = {"review_id": {}, "id": {}, "openreview": {}, "title": {}, "title_key": {}}
        for entry in papers:
            if isinstance(entry, dict):
                self.add(entry)

    @staticmethod
    def _keys(entry: dict):
        if isinstance(entry.get("review_id"), str):
            yield "review_id", entry["review_id"]
        if isinstance(entry.get("id"), str) and not entry.get("review_id"):
            yield "id", entry["id"]
        links = entry.get("links")
        if isinstance(links, dict) and isinstance(links.get("openreview"), str):
            yield "openreview", links["openreview"]
        yield "title", fold(" ".join(str(entry.get("title", "")).split()))
        key = _title_key(str(entry.get("title", "")))
        if key and not entry.get("review_id"):  # only an entry no import has claimed: two papers of one export never
            yield "title_key", key              # match each other this loosely; a title of punctuation alone, nothing

    def add(self, entry: dict) -> None:
        for kind, key in self._keys(entry):
            self.by[kind].setdefault(key, []).append(entry)

    def remove(self, entry: dict) -> None:
        for kind, key in self._keys(entry):
            same = self.by[kind][key]
            del same[next(i for i, e in enumerate(same) if e is entry)]

    def find(self, paper: Imported) -> CommentedMap | None:
        for kind, key in (("review_id", paper.review_id), ("id", paper.new_id), ("openreview", paper.openreview), ("title", fold(paper.title)), ("title_key", _title_key(paper.title) or None)):
            found = self.by[kind].get(key, []) if key is not None else []
            if len(found) == 1:
                return found[0]
        return None


def read_doc(target: Path) -> Any:
    """``target`` (papers.yaml) as a round-trip document with a ``papers`` list (empty when the
    file does not exist yet); ExportError when it is not such a file."""
    if not target.exists():
        return CommentedMap(papers=CommentedSeq())
    text = target.read_text(encoding="utf-8")
    bomb = alias_problem(text)
    if bomb is not None:  # ruamel.yaml would share the aliased values too; comparing them would expand them
        raise ExportError(f"{target}:{bomb[0]}: {bomb[1]}" if bomb[0] else f"{target}: {bomb[1]}")
    try:
        doc = _yaml().load(text)
    except Exception as exc:  # noqa: BLE001 - ruamel's parser errors carry the position
        raise ExportError(f"{target}: is not valid YAML: {exc}") from None
    if doc is None:
        doc = CommentedMap()
    if not isinstance(doc, dict):
        raise ExportError(f"{target}: must be a mapping with a 'papers' list")
    if doc.get("papers") is None:
        doc["papers"] = CommentedSeq()
    if not isinstance(doc["papers"], list):
        raise ExportError(f"{target}: 'papers' must be a list")
    return doc


def set_fields(target: Path, values: dict[str, dict[str, str]], comments: dict[str, str] | None = None) -> None:
    """Set fields of existing entries of ``target`` by paper id (``{id: {field: value}}``), each
    with an end-of-line comment from ``comments`` (by id), keeping everything else as written;
    the entries are validated as the loader would before the file is replaced."""
    doc = read_doc(target)
    for entry in doc["papers"]:
        if isinstance(entry, CommentedMap) and str(entry.get("id")) in values:
            ident = str(entry.get("id"))
            for key, value in values[ident].items():
                entry[key] = _text(value)
                if comments and ident in comments:
                    entry.yaml_add_eol_comment(comments[ident], key)
    problems = validate(doc, list(values))
    if problems:
        raise ExportError(f"{target}: " + "; ".join(problems))
    write_yaml(target, doc)


def merge(target: Path, imported: list[Imported], skipped: list[str], default_track: str = "main") -> tuple[Any, ImportReport]:
    """The merged YAML document and what changed (nothing is written here)."""
    report = ImportReport(skipped=list(skipped))
    doc = read_doc(target)
    papers = doc["papers"]
    seen_ids = set()
    as_poster: list[str] = []
    index = _Entries(papers)
    for paper in imported:
        if paper.new_id in seen_ids:
            report.skipped.append(f"{paper.new_id}: appears twice in the export")
            continue
        seen_ids.add(paper.new_id)
        entry = index.find(paper)
        if entry is None:
            papers.append(_new_entry(paper, default_track))
            index.add(papers[-1])
            report.added.append(paper.new_id)
            if paper.anonymous:
                report.notes.append(f"{paper.new_id}: the export gives no author names ('Anonymous'); the entry lists none")
            if not paper.presentation:
                as_poster.append(paper.new_id)
            continue
        changes = []
        index.remove(entry)  # its review id and title may change below
        if not entry.get("review_id"):
            _insert_after_id(entry, "review_id", paper.review_id)
            changes.append("review_id")
        if paper.title and not _same_text(entry.get("title"), paper.title):
            entry["title"] = _text(paper.title)
            changes.append("title")
        if paper.abstract and not _same_text(entry.get("abstract"), paper.abstract):
            entry["abstract"] = _styled(entry.get("abstract"), paper.abstract)
            changes.append("abstract")
        if paper.authors:
            changes += _merge_authors(entry, paper.authors)
        index.add(entry)
        seen_ids.add(str(entry.get("id")))
        if changes:
            report.updated[str(entry.get("id"))] = changes
        else:
            report.unchanged.append(str(entry.get("id")))
    if as_poster:
        report.notes.append(f"presentation set to 'poster' for {len(as_poster)} new paper(s), as the export does not say: "
                            f"{', '.join(as_poster)}; edit those that are talks")
    matched = set(report.added) | set(report.updated) | set(report.unchanged)
    report.not_in_export = [str(e.get("id")) for e in papers if isinstance(e, dict) and str(e.get("id")) not in matched]
    return doc, report


def validate(doc: Any, ids: list[str]) -> list[str]:
    """Problems the loader would report in the entries this import touched."""
    problems = []
    touched = set(ids)
    for index, entry in enumerate(doc["papers"]):
        if isinstance(entry, dict) and str(entry.get("id")) in touched:
            try:
                Paper.model_validate(json.loads(json.dumps(entry, default=str)))
            except ValidationError as exc:
                for err in exc.errors():
                    loc = ".".join(str(x) for x in err["loc"])
                    problems.append(f"papers[{index}].{loc} (id {entry.get('id')!r}): {err['msg']}")
    return problems


def write_yaml(target: Path, doc: Any) -> None:
    """Replace ``target`` atomically; a symbolic link is written through (the file it points to is
    replaced, the link stays) and the file keeps its permissions. On failure (disk full, read-only)
    ``target`` is untouched, no temporary file remains and the error says which file could not be written."""
    buffer = io.StringIO()
    _yaml().dump(doc, buffer)
    try:
        write_atomically(target, buffer.getvalue(), mode=None, follow_symlinks=True)
    except OSError as exc:
        unchanged = "; it is unchanged" if target.exists() else ""
        shown = Path(os.path.realpath(target)) if target.is_symlink() else target
        raise ExportError(f"cannot write {shown}: {exc.strerror or exc}{unchanged}") from None
