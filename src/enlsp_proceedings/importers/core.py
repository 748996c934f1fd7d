"""Import accepted papers from a review system (Microsoft CMT, OpenReview) into papers.yaml.

The export is the source of truth only for what it carries: title, abstract and the
author list (names, affiliations). Everything organizers add by hand (presentation,
track, links, pdf, award, errata, an author's ORCID or URL, comments) is kept: the file
is edited in place with ruamel.yaml's round-trip mode, so comments and layout survive.

Ids of new papers are ``cmt-<Paper ID>`` / ``openreview-<forum id>``: stable across
re-imports, unlike a slug of the title (titles change at camera-ready time). New entries
also get ``review_id: cmt:<Paper ID>``; an existing entry is matched by that, then by id,
then by its OpenReview link, then by its title, so an organizer may rename ``cmt-42`` to
``fast-distilbert`` and still re-import.

Only the ``--out`` file is written (atomically); nothing else in conf/ or papers/.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString, SingleQuotedScalarString

from enlsp_proceedings.model.load import Problem, alias_problem, read_conf_yaml, reads_as_string
from enlsp_proceedings.model.schema import ANONYMOUS_NAME, DEFAULT_TRACKS, Paper, Track
from enlsp_proceedings.util.text import QUOTES, compact, fold

#: Exports larger than this (for .xlsx: once uncompressed) are refused before they are parsed;
#: 100,000 accepted papers with their abstracts fit in it.
MAX_EXPORT_BYTES = 100 * 1024 * 1024


class ExportError(Exception):
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
    anonymous: bool = False  # the export withholds the authors ("Anonymous"): it says nothing about them


@dataclass
class ImportReport:
    added: list[str] = field(default_factory=list)
    updated: dict[str, list[str]] = field(default_factory=dict)  # id -> changed fields
    unchanged: list[str] = field(default_factory=list)
    not_in_export: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # rows that are not accepted papers, with why
    notes: list[str] = field(default_factory=list)

    def format(self, out: Path, written: bool) -> str:
        lines = []
        for ident in self.added:
            lines.append(f"added     {ident}")
        for ident, fields in self.updated.items():
            lines.append(f"updated   {ident}: {', '.join(fields)}")
        for ident in self.unchanged:
            lines.append(f"unchanged {ident}")
        for ident in self.not_in_export:
            lines.append(f"kept      {ident} (not in the export: withdrawn, or added by hand?)")
        lines += [f"skipped   {s}" for s in self.skipped] + [f"note: {n}" for n in self.notes]
        verb = "wrote" if written else ("would write" if self.added or self.updated else "no changes to")
        lines.append(f"{verb} {out}: {len(self.added)} added, {len(self.updated)} updated, {len(self.unchanged)} unchanged")
        return "\n".join(lines)


# -- reading exports ---------------------------------------------------------------

def _clean(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def read_table(path: Path) -> list[list[str]]:
    """Rows of a CSV, TSV or XLSX file as strings (title rows included), or of a data file
    (.json/.yml/.yaml: a list of records, see `read_records`) with a header row made from its keys."""
    suffix = path.suffix.lower()
    if suffix in DATA_SUFFIXES:
        return read_records(path)
    if suffix in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        _check_unzipped_size(path)
        try:
            book = load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds on a bad file
            raise ExportError(f"{path}: not a readable .xlsx workbook ({exc})") from None
        sheet = book.worksheets[0]
        rows = [[_clean(c) for c in row] for row in sheet.iter_rows(values_only=True)]
        book.close()
        return rows
    data = path.read_bytes()
    if suffix == ".xls" or data.startswith(b"\xd0\xcf\x11\xe0"):
        # CMT's "Excel" downloads are often XML Spreadsheet 2003 or tab-separated text named .xls
        if data.startswith(b"\xd0\xcf\x11\xe0"):
            raise ExportError(f"{path}: binary .xls workbooks are not supported; save it as .xlsx, .csv or .tsv")
        text = _decode(data)
        if "urn:schemas-microsoft-com:office:spreadsheet" in text[:2000]:
            return _xml_spreadsheet(path, text)
    text = _decode(data)
    sample = "\n".join(text.splitlines()[:20])
    delimiter = "\t" if suffix == ".tsv" or sample.count("\t") > sample.count(",") else ","
    return [[_clean(c) for c in row] for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


DATA_SUFFIXES = (".json", ".yml", ".yaml")


def _strip_trailing_commas(text: str) -> str:
    """JSON with the trailing commas hand-edited files have (``{..., }``, ``[..., ]``): drop each comma
    that only white space separates from a closing bracket. Commas inside strings are kept."""
    out: list[str] = []
    in_string = escaped = False
    pending: int | None = None  # index in ``out`` of a comma that may be trailing
    for char in text:
        if in_string:
            in_string = escaped or char != '"'
            escaped = not escaped and char == "\\"
        elif char == '"':
            in_string, pending = True, None
        elif char in "]}" and pending is not None:
            out[pending] = ""
            pending = None
        elif char == ",":
            pending = len(out)
        elif not char.isspace():
            pending = None
        out.append(char)
    return "".join(out)


def read_records(path: Path) -> list[list[str]]:
    """A list of accepted papers kept as data (e.g. a Jekyll site's ``_data/accepted_papers.yml``): JSON
    (trailing commas and raw control characters tolerated, as hand-edited files have them) or YAML, a list of
    mappings whose keys are CMT's column names (``id``/``Paper ID``, ``title``, ``abstract``, ``authors`` in
    CMT's ``Name (Affiliation)*; ...`` form, optional ``track``, ``status``). Returned as table rows, the first
    one the header, so the CMT reader treats it like any export."""
    text = _decode(path.read_bytes())
    if text.lstrip()[:1] in ("[", "{"):
        try:
            data = json.loads(_strip_trailing_commas(text), strict=False)
        except ValueError as exc:
            where = f":{exc.lineno}:{exc.colno}" if isinstance(exc, json.JSONDecodeError) else ""
            raise ExportError(f"{path}{where}: not a readable JSON list of papers ({getattr(exc, 'msg', exc)})") from None
        except RecursionError:
            raise ExportError(f"{path}: nested too deeply to be a list of papers") from None
    else:
        bomb = alias_problem(text)
        if bomb is not None:
            raise ExportError(f"{path}:{bomb[0] or 1}: {bomb[1]}")
        try:
            data = YAML(typ="safe", pure=True).load(text)
        except Exception as exc:  # noqa: BLE001 - ruamel's parser errors carry the position
            raise ExportError(f"{path}: not a readable YAML list of papers: {exc}") from None
    if isinstance(data, dict) and isinstance(data.get("papers"), list):
        data = data["papers"]
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise ExportError(f"{path}: expected a list of papers, each a mapping with id, title and authors")
    canonical = {alias: aliases[0] for aliases in CMT_COLUMNS.values() for alias in aliases}
    keys: list[str] = []
    for item in data:
        keys += [str(k) for k in item if str(k) not in keys]
    header = [canonical.get(_key(k), k) for k in keys]
    return [header] + [[_clean(item.get(k)) for k in keys] for item in data]


def _check_unzipped_size(path: Path) -> None:
    """Refuse a workbook whose parts inflate beyond MAX_EXPORT_BYTES (a 2 MB .xlsx can hold a 2 GB
    sheet), from the sizes in the zip's central directory, before anything is decompressed.
    Python's zipfile never inflates a member past the size recorded there."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            inflated = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ExportError(f"{path}: not a readable .xlsx workbook ({exc})") from None
    if inflated > MAX_EXPORT_BYTES:
        raise ExportError(f"{path}: the workbook inflates to {_size(inflated)}, more than the {_size(MAX_EXPORT_BYTES)} an export may have; "
                          "export only the accepted papers, or as .csv")


def _size(count: int) -> str:
    return f"{count / 1024**3:.1f} GB" if count >= 1024**3 else f"{count / 1024**2:.0f} MB"


def _xml_spreadsheet(path: Path, text: str) -> list[list[str]]:
    """Rows of the first sheet of an XML Spreadsheet 2003 file (what CMT calls .xls)."""
    import xml.etree.ElementTree as ET

    ns = "{urn:schemas-microsoft-com:office:spreadsheet}"
    try:
        root = ET.fromstring(text.encode("utf-8"))
    except ET.ParseError as exc:
        raise ExportError(f"{path}: not a readable spreadsheet ({exc})") from None
    table = root.find(f"{ns}Worksheet/{ns}Table")
    rows = []
    for row in table.iter(f"{ns}Row") if table is not None else []:
        cells: list[str] = []
        for cell in row.findall(f"{ns}Cell"):
            index = cell.get(f"{ns}Index")
            if index and index.isdigit():
                cells.extend([""] * (int(index) - 1 - len(cells)))
            data = cell.find(f"{ns}Data")
            cells.append(_clean("".join(data.itertext())) if data is not None else "")
        rows.append(cells)
    return rows


def _key(header: str) -> str:
    return re.sub(r"[^a-z]+", " ", header.lower()).strip()


CMT_COLUMNS = {
    "id": ("paper id", "id"),
    "title": ("paper title", "title"),
    "abstract": ("abstract",),
    "authors": ("author names", "authors"),
    "emails": ("author emails",),
    "track": ("track name", "track"),
    "subject": ("primary subject area",),
    "status": ("status", "decision"),
    "files": ("files",),
}


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


def _presentation(text: str) -> str | None:
    for kind in ("oral", "spotlight", "poster"):
        if kind in text.lower():
            return kind
    return None


def read_cmt(path: Path) -> tuple[list[Imported], list[str]]:
    """Accepted papers from a CMT export; returns (papers, skipped rows with the reason)."""
    rows = read_table(path)
    header_at = next((i for i, row in enumerate(rows) if {"paper id"} <= {_key(c) for c in row}
                      and {_key(c) for c in row} & {"paper title", "title"}), None)
    if header_at is None:
        raise ExportError(f"{path}: no header row with 'Paper ID' and 'Paper Title' columns (is this a CMT papers export?)")
    header = [_key(c) for c in rows[header_at]]
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
            presentation=_presentation(status), contact=contact, anonymous=anonymous,
        ))
    return papers, skipped


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
        data = json.loads(_decode(path.read_bytes()))
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
            presentation=_presentation(venue), openreview=f"https://openreview.net/forum?id={forum}",
        ))
    return papers, skipped


# -- merging into papers.yaml ---------------------------------------------------------

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
            item = _person(author)
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


def merge(target: Path, imported: list[Imported], skipped: list[str], default_track: str = "main") -> tuple[Any, ImportReport]:
    """The merged YAML document and what changed (nothing is written here)."""
    yaml = _yaml()
    report = ImportReport(skipped=list(skipped))
    if target.exists():
        text = target.read_text(encoding="utf-8")
        bomb = alias_problem(text)
        if bomb is not None:  # ruamel.yaml would share the aliased values too; comparing them would expand them
            raise ExportError(f"{target}:{bomb[0]}: {bomb[1]}" if bomb[0] else f"{target}: {bomb[1]}")
        try:
            doc = yaml.load(text)
        except Exception as exc:  # noqa: BLE001 - ruamel's parser errors carry the position
            raise ExportError(f"{target}: is not valid YAML: {exc}") from None
        if doc is None:
            doc = CommentedMap()
        if not isinstance(doc, dict):
            raise ExportError(f"{target}: must be a mapping with a 'papers' list")
    else:
        doc = CommentedMap()
    if doc.get("papers") is None:
        doc["papers"] = CommentedSeq()
    papers = doc["papers"]
    if not isinstance(papers, list):
        raise ExportError(f"{target}: 'papers' must be a list")
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
    ids = set(ids)
    for index, entry in enumerate(doc["papers"]):
        if isinstance(entry, dict) and str(entry.get("id")) in ids:
            try:
                Paper.model_validate(json.loads(json.dumps(entry, default=str)))
            except ValidationError as exc:
                for err in exc.errors():
                    loc = ".".join(str(x) for x in err["loc"])
                    problems.append(f"papers[{index}].{loc} (id {entry.get('id')!r}): {err['msg']}")
    return problems


def write_yaml(target: Path, doc: Any) -> None:
    """Replace ``target`` atomically; a symbolic link is written through (the file it points to is
    replaced, the link stays). On failure (disk full, read-only) the temporary file is removed,
    ``target`` is untouched and the error says which file could not be written."""
    buffer = io.StringIO()
    _yaml().dump(doc, buffer)
    target = Path(os.path.realpath(target)) if target.is_symlink() else target
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise ExportError(f"cannot write {target}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(buffer.getvalue())
        os.chmod(tmp, target.stat().st_mode & 0o777 if target.exists() else 0o644)
        os.replace(tmp, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise ExportError(f"cannot write {target}: {exc.strerror or exc}; it is unchanged") from None


def declared_tracks(conf_dir: Path) -> list[Track]:
    """The tracks conf/workshop.yaml declares (beside the papers.yaml written), else the default one."""
    path = conf_dir / "workshop.yaml"
    problems: list[Problem] = []
    data = read_conf_yaml(path, problems) if path.is_file() else None  # as the loader reads it (YAML 1.1, aliases bounded)
    raw = data.get("tracks") if isinstance(data, dict) else None
    try:
        tracks = [Track.model_validate(item) for item in raw] if isinstance(raw, list) and not problems else []
    except ValidationError as exc:
        problems.append(Problem(str(path), None, "tracks", str(exc.errors()[0]["msg"])))
    if problems:  # a broken workshop.yaml: `check` lists every problem
        raise ExportError(f"{problems[0]}; cannot read its tracks, run `enlsp-proceedings check`")
    return tracks or list(DEFAULT_TRACKS)


def map_tracks(imported: list[Imported], tracks: list[Track], workshop_file: Path) -> None:
    """Replace each export track name by the id of the declared track of that name (case, accents and
    punctuation ignored; the id itself works too). A name no track has is an error, never a guess."""
    by_key: dict[str, str] = {}
    for track in tracks:
        by_key.setdefault(compact(track.name), track.id)
        by_key.setdefault(compact(track.id), track.id)
    unknown: dict[str, list[str]] = {}
    for paper in imported:
        if paper.track:
            mapped = by_key.get(compact(paper.track))
            if mapped is None:
                unknown.setdefault(paper.track, []).append(paper.source_id)
            paper.track = mapped
    if unknown:
        names = "; ".join(f"{name!r} (paper{'s' if len(ids) > 1 else ''} {', '.join(ids[:5])}{', ...' if len(ids) > 5 else ''})"
                          for name, ids in unknown.items())
        declared = ", ".join(f"{t.id} ({t.name!r})" for t in tracks)
        raise ExportError(f"the export names track(s) that {workshop_file} does not declare: {names}. Declared: {declared}. "
                          "Add each as {id, name} under tracks: (its name as in the export), then import again; nothing was written")


def run_import(kind: str, export: Path, out: Path, dry_run: bool = False) -> tuple[ImportReport, bool]:
    """Read an export, merge into ``out``; returns (report, written). Raises ExportError."""
    if not export.is_file():
        raise ExportError(f"{export}: no such file")
    size = export.stat().st_size
    if size > MAX_EXPORT_BYTES:
        raise ExportError(f"{export}: the file is {_size(size)}, more than the {_size(MAX_EXPORT_BYTES)} an export may have; "
                          "export only the accepted papers")
    imported, skipped = (read_cmt if kind == "cmt" else read_openreview)(export)
    if not imported:
        raise ExportError(f"{export}: no accepted papers found" + (f" ({len(skipped)} row(s) skipped)" if skipped else ""))
    tracks = declared_tracks(out.parent)
    map_tracks(imported, tracks, out.parent / "workshop.yaml")
    doc, report = merge(out, imported, skipped, tracks[0].id)
    touched = report.added + list(report.updated)
    problems = validate(doc, touched)
    if problems:
        raise ExportError(f"not writing {out}; the imported entries would be invalid:\n  " + "\n  ".join(problems))
    written = bool(touched) and not dry_run
    if written:
        write_yaml(out, doc)
    return report, written
