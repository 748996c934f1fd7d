"""Reading review-system exports as rows: CSV/TSV, XLSX, Excel's XML spreadsheet, and JSON/YAML
data files (`read_table` -> `Table`, `read_records`).

Exports are untrusted: an export larger than `MAX_EXPORT_BYTES` (for .xlsx, once
uncompressed) is refused before it is parsed, a sheet of more than `MAX_CELLS` cells (empty ones
included: a cell at column 200,000,000 or at XFD1048576 would need billions) is refused while it
is read, and text is decoded whatever its encoding (UTF-8, UTF-16, or cp1252 as Excel writes it).
Every refusal is one sentence naming the file (and row, line or field), never a traceback.

A data file is read as what its name says: a ``.json`` as JSON (with the trailing commas and raw control
characters hand-edited files have), a ``.yml`` as YAML, as Jekyll reads it (a ``.yml`` that starts with
``[`` is not necessarily JSON: a Python-style ``True``, YAML's escapes), and as JSON only if YAML cannot.
LaTeX commands that format's escapes turned into control characters are put back
(`escapes.repair_escapes`) and each repair is a note of the `Table`. A key given twice, NaN or 1e999 in
JSON, and a title, abstract or author list that is not text, stop the import.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from enlsp_proceedings.importers.escapes import JSON_ESCAPES, YAML_ESCAPES, repair_escapes
from enlsp_proceedings.importers.records import ExportError
from enlsp_proceedings.model.load import alias_problem

#: Exports larger than this (for .xlsx: once uncompressed) are refused before they are parsed;
#: 100,000 accepted papers with their abstracts fit in it.
MAX_EXPORT_BYTES = 100 * 1024 * 1024

#: Cells a sheet may have, empty ones included (100,000 papers of 10 columns use a tenth of it).
MAX_CELLS = 10_000_000

#: Columns a sheet may have: Excel's own limit (XFD).
MAX_COLUMNS = 16_384


#: The row a sheet's missing rows share (a cell at row 1,048,576 makes a million of them).
_NO_CELLS: list[Any] = []


class AuthorList(list):
    """A data file's authors given as a list (of names, or of {name, affiliation} mappings) rather than as text."""


@dataclass
class Table:
    """An export's rows (the first rows may be titles above the header) and what reading changed in
    cells: (row index, column index) -> sentences (an escape repaired)."""

    rows: list[list[Any]]
    notes: dict[tuple[int, int], list[str]] = field(default_factory=dict)


class _Budget:
    """Counts a sheet's cells while it is read and stops at `MAX_CELLS`."""

    def __init__(self, path: Path):
        self.path, self.cells = path, 0

    def take(self, count: int, where: str) -> None:
        self.cells += count
        if self.cells > MAX_CELLS:
            raise ExportError(f"{self.path}: the sheet has more than {MAX_CELLS:,} cells ({where}), empty ones included; "
                              "export only the accepted papers, without empty rows and columns")


def _clean(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def decode(data: bytes) -> str:
    """Text of an export whatever its encoding: UTF-16 (with a BOM), UTF-8, else cp1252 as Excel writes it."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def read_table(path: Path) -> Table:
    """Rows of a CSV, TSV, XLSX or XML-spreadsheet file as strings (title rows included), or of a data file
    (.json/.yml/.yaml: a list of records, see `read_records`) with a header row made from its keys."""
    suffix = path.suffix.lower()
    if suffix in DATA_SUFFIXES:
        return read_records(path)
    if suffix in (".xlsx", ".xlsm"):
        return Table(_xlsx_rows(path))
    data = path.read_bytes()
    if suffix == ".xls" or data.startswith(b"\xd0\xcf\x11\xe0"):
        # CMT's "Excel" downloads are often XML Spreadsheet 2003 or tab-separated text named .xls
        if data.startswith(b"\xd0\xcf\x11\xe0"):
            raise ExportError(f"{path}: binary .xls workbooks are not supported; save it as .xlsx, .csv or .tsv")
        text = decode(data)
        if "urn:schemas-microsoft-com:office:spreadsheet" in text[:2000]:
            return Table(_xml_spreadsheet(path, text))
    text = decode(data)
    sample = "\n".join(text.splitlines()[:20])
    delimiter = "\t" if suffix == ".tsv" or sample.count("\t") > sample.count(",") else ","
    return Table(_csv_rows(path, text, delimiter))


def _xlsx_rows(path: Path) -> list[list[Any]]:
    """The first sheet's rows, each as long as its last cell: the dimension the file declares is not
    trusted (one cell at XFD1048576 declares 17 billion), and missing rows cost nothing."""
    from openpyxl import load_workbook

    _check_unzipped_size(path)
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds on a bad file
        raise ExportError(f"{path}: not a readable .xlsx workbook ({exc})") from None
    budget = _Budget(path)
    rows: list[list[Any]] = []
    try:
        sheet = book.worksheets[0]
        sheet.reset_dimensions()  # read each row as long as its cells, not as wide as the declared sheet
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            budget.take(max(1, len(row)), f"at row {number}")
            if len(row) > MAX_COLUMNS:
                raise ExportError(f"{path}: row {number} has a cell in column {len(row):,}, beyond the {MAX_COLUMNS:,} columns a sheet may have")
            rows.append([_clean(c) for c in row] if row else _NO_CELLS)
    except ExportError:
        raise
    except Exception as exc:  # noqa: BLE001 - a damaged sheet inside a valid zip
        raise ExportError(f"{path}: not a readable .xlsx workbook ({exc})") from None
    finally:
        book.close()
    return rows


def _csv_rows(path: Path, text: str, delimiter: str) -> list[list[str]]:
    """Rows of CSV/TSV text, read strictly: a quote that never closes would otherwise swallow the rest of the
    file into one field, silently (the papers after it gone); it is one sentence naming the line it opens on,
    as is a NUL or a stray quote. A field may be as long as the file (csv's own limit is 128 KB)."""
    kind = "tab-separated" if delimiter == "\t" else "CSV"
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, strict=True)
    budget = _Budget(path)
    rows: list[list[str]] = []
    limit = csv.field_size_limit()
    csv.field_size_limit(max(limit, MAX_EXPORT_BYTES))
    started = 1  # the line the record being read starts on
    try:
        for row in reader:
            budget.take(max(1, len(row)), f"at line {started}")
            rows.append([_clean(c) for c in row])
            started = reader.line_num + 1
    except csv.Error as exc:
        if "unexpected end of data" in str(exc):
            raise ExportError(f"{path}:{started}: not a readable {kind} file: a quoted field opens on line {started} and never "
                              "closes (a missing quote?)") from None
        raise ExportError(f"{path}:{reader.line_num}: not a readable {kind} file: {exc}") from None
    finally:
        csv.field_size_limit(limit)
    return rows


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


class _UnreadableError(Exception):
    """One format's reason a data file is not readable, with where."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None):
        super().__init__(message)
        self.line, self.column = line, column

    def where(self) -> str:
        return f"line {self.line}, column {self.column}" if self.line else ""


def _json_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for key, value in pairs:
        if key in data:
            raise ValueError(f"the key {key!r} appears twice in one object (first {_shown(data[key])}, then {_shown(value)})")
        data[key] = value
    return data


def _json_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"the number {text} is too large to be read")
    return value


def _json_constant(name: str) -> float:
    raise ValueError(f"{name} is not a JSON value")


def load_json(text: str) -> Any:
    """JSON as hand-edited files and exports have it (trailing commas, raw control characters in strings),
    refusing what would otherwise pass silently: a key twice in one object, NaN, Infinity, 1e999."""
    return json.loads(_strip_trailing_commas(text), strict=False, object_pairs_hook=_json_pairs,
                      parse_float=_json_float, parse_constant=_json_constant)


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _load_as(kind: str, text: str) -> Any:
    if kind == "json":
        try:
            return load_json(text)
        except json.JSONDecodeError as exc:
            raise _UnreadableError(exc.msg, exc.lineno, exc.colno) from None
        except ValueError as exc:  # from a hook: a duplicate key, NaN, 1e999
            raise _UnreadableError(str(exc)) from None
        except RecursionError:
            raise _UnreadableError("nested too deeply to be a list of papers") from None
    bomb = alias_problem(text)
    if bomb is not None:
        raise _UnreadableError(bomb[1], bomb[0], 1)
    try:
        return YAML(typ="safe", pure=True).load(text)
    except RecursionError:
        raise _UnreadableError("nested too deeply to be a list of papers") from None
    except Exception as exc:  # noqa: BLE001 - ruamel's errors carry the position
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise _UnreadableError(str(problem), mark.line + 1 if mark else None, mark.column + 1 if mark else None) from None


def _load_data(path: Path, text: str) -> tuple[Any, dict[str, str]]:
    """The file's data and the escapes of the format that read it: a .json as JSON; a .yml or .yaml as YAML (what
    Jekyll reads), else, if it looks like JSON, as JSON (raw control characters, which YAML refuses)."""
    kinds: tuple[str, ...] = ("json",) if path.suffix.lower() == ".json" else ("yaml", "json")
    if text.lstrip()[:1] not in ("[", "{"):
        kinds = ("yaml",)  # JSON's lists of papers start with a bracket
    failures: dict[str, _UnreadableError] = {}
    for kind in kinds:
        try:
            return _load_as(kind, text), (JSON_ESCAPES if kind == "json" else YAML_ESCAPES)
        except _UnreadableError as exc:
            failures[kind] = exc
    first, *others = failures
    error = failures[first]
    where = f":{error.line}:{error.column}" if error.line else ""
    also = "".join(f"; nor as {kind.upper()} ({': '.join(filter(None, [failures[kind].where(), str(failures[kind])]))})" for kind in others)
    raise ExportError(f"{path}{where}: not a readable {first.upper()} list of papers ({error}){also}")


#: The columns the importers read, by their canonical header: their values must be text (or a whole number).
_TEXT_COLUMNS = ("paper id", "paper title", "abstract", "author names", "track name", "status")


def describe(value: Any) -> str:
    """What a value that should be text is, for a message: "a number (1e+999)", "a mapping"."""
    if isinstance(value, bool):
        return f"a boolean ({value})"
    if isinstance(value, int | float):
        return f"a number ({value})"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return f"a {type(value).__name__} ({_shown(value)})"


def _author_list(items: list, where: str, problems: list[str]) -> AuthorList:
    """A data file's list of authors: names, or mappings with ``name`` and optional ``affiliation``."""
    authors = AuthorList()
    for index, item in enumerate(items):
        if isinstance(item, str):
            authors.append({"name": item})
        elif isinstance(item, dict) and isinstance(item.get("name"), str) and set(item) <= {"name", "affiliation"} \
                and isinstance(item.get("affiliation", ""), str | None):
            authors.append({k: v for k, v in item.items() if isinstance(v, str)})
        else:
            problems.append(f"{where}[{index}] is {describe(item)}, not a name or {{name, affiliation}}")
    return authors


def read_records(path: Path) -> Table:
    """A list of accepted papers kept as data (e.g. a Jekyll site's ``_data/accepted_papers.yml``): YAML or JSON
    (see `_load_data`), a list of mappings whose keys are CMT's column names (``id``/``Paper ID``, ``title``,
    ``abstract``, ``authors`` as text in any form `authors.choose_separator` reads, or as a list; optional
    ``track``, ``status``). Returned as a `Table` whose first row is the header, so the CMT reader treats it
    like any export; a title, abstract or author list that is not text (a number, a mapping) is refused."""
    text = decode(path.read_bytes())
    data, escapes = _load_data(path, text)
    if isinstance(data, dict) and isinstance(data.get("papers"), list):
        data = data["papers"]
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise ExportError(f"{path}: expected a list of papers, each a mapping with id, title and authors")
    canonical = {alias: aliases[0] for aliases in CMT_COLUMNS.values() for alias in aliases}
    keys: list[str] = []
    seen: set[str] = set()
    for item in data:
        for key in item:
            if str(key) not in seen:
                seen.add(str(key))
                keys.append(str(key))
    header = [canonical.get(header_key(k), k) for k in keys]
    table = Table([header])
    problems: list[str] = []
    for index, item in enumerate(data):
        values = {str(k): v for k, v in item.items()}
        label = f"papers[{index}]" + (f" (id {values.get(keys[header.index('paper id')])})" if "paper id" in header else "")
        row: list[Any] = []
        for column, (key, name) in enumerate(zip(keys, header, strict=True)):
            value = values.get(key)
            if name not in _TEXT_COLUMNS:
                row.append("")  # not read: whatever it holds
            elif value is None:
                row.append("")
            elif isinstance(value, list) and name == "author names":
                row.append(_author_list(value, f"{label}.{key}", problems))
            elif isinstance(value, int) and not isinstance(value, bool):
                row.append(str(value))
            elif isinstance(value, str):
                repaired, notes = repair_escapes(value, escapes)
                if notes:
                    table.notes[(index + 1, column)] = notes
                row.append(_clean(repaired))
            else:
                problems.append(f"{label}.{key} is {describe(value)}, not text")
                row.append("")
        table.rows.append(row)
    if problems:
        raise ExportError(f"{path}: not a list of papers as the import reads it:\n  " + "\n  ".join(problems[:50])
                          + (f"\n  ... and {len(problems) - 50} more" if len(problems) > 50 else ""))
    return table


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
        raise ExportError(f"{path}: the workbook inflates to {human_size(inflated)}, more than the {human_size(MAX_EXPORT_BYTES)} an export may have; "
                          "export only the accepted papers, or as .csv")


def human_size(count: int) -> str:
    """A byte count for a message ("120 MB", "1.5 GB")."""
    return f"{count / 1024**3:.1f} GB" if count >= 1024**3 else f"{count / 1024**2:.0f} MB"


def _xml_spreadsheet(path: Path, text: str) -> list[list[str]]:
    """Rows of the first sheet of an XML Spreadsheet 2003 file (what CMT calls .xls), read row by row; a
    cell's ``ss:Index`` (its column) must be a number within `MAX_COLUMNS`, and the cells it skips count
    against `MAX_CELLS`."""
    import xml.etree.ElementTree as ET

    ns = "{urn:schemas-microsoft-com:office:spreadsheet}"
    budget = _Budget(path)
    rows: list[list[str]] = []
    depth = 0
    tables = 0
    try:
        for event, element in ET.iterparse(io.BytesIO(text.encode("utf-8")), events=("start", "end")):
            if element.tag == f"{ns}Table":
                if event == "start":
                    tables += 1
                depth += 1 if event == "start" else -1
                if event == "end" and tables == 1:
                    break  # the first sheet only
            if event != "end" or element.tag != f"{ns}Row" or tables != 1 or depth != 1:
                continue
            cells: list[str] = []
            for cell in element.findall(f"{ns}Cell"):
                index = cell.get(f"{ns}Index")
                if index is not None:
                    if not re.fullmatch(r"[0-9]{1,9}", index) or not 0 < int(index) <= MAX_COLUMNS:
                        raise ExportError(f"{path}: row {len(rows) + 1} has a cell at column {index[:20]!r}, not a column number from 1 "
                                          f"to {MAX_COLUMNS:,}")
                    skipped = int(index) - 1 - len(cells)
                    if skipped > 0:
                        budget.take(skipped, f"at row {len(rows) + 1}")
                        cells.extend([""] * skipped)
                data = cell.find(f"{ns}Data")
                budget.take(1, f"at row {len(rows) + 1}")
                cells.append(_clean("".join(data.itertext())) if data is not None else "")
            budget.take(1 if not cells else 0, f"at row {len(rows) + 1}")
            rows.append(cells)
            element.clear()
    except ET.ParseError as exc:
        raise ExportError(f"{path}: not a readable spreadsheet ({exc})") from None
    return rows


def header_key(header: str) -> str:
    """A column header compared loosely: lower case, runs of other characters as one space ("Paper ID" and "paper_id" match)."""
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


def presentation_kind(text: str) -> str | None:
    """oral, spotlight or poster when the export's text names one, else None."""
    for kind in ("oral", "spotlight", "poster"):
        if kind in text.lower():
            return kind
    return None
