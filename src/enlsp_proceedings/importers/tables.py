"""Reading review-system exports as rows of strings: CSV/TSV, XLSX, Excel's XML spreadsheet,
and JSON/YAML data files (`read_table`, `read_records`).

Exports are untrusted: an export larger than `MAX_EXPORT_BYTES` (for .xlsx, once
uncompressed) is refused before it is parsed, and text is decoded whatever its encoding
(UTF-8, UTF-16, or cp1252 as Excel writes it).
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from enlsp_proceedings.importers.records import ExportError
from enlsp_proceedings.model.load import alias_problem

#: Exports larger than this (for .xlsx: once uncompressed) are refused before they are parsed;
#: 100,000 accepted papers with their abstracts fit in it.
MAX_EXPORT_BYTES = 100 * 1024 * 1024


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
        text = decode(data)
        if "urn:schemas-microsoft-com:office:spreadsheet" in text[:2000]:
            return _xml_spreadsheet(path, text)
    text = decode(data)
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
    text = decode(path.read_bytes())
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
    header = [canonical.get(header_key(k), k) for k in keys]
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
        raise ExportError(f"{path}: the workbook inflates to {human_size(inflated)}, more than the {human_size(MAX_EXPORT_BYTES)} an export may have; "
                          "export only the accepted papers, or as .csv")


def human_size(count: int) -> str:
    """A byte count for a message ("120 MB", "1.5 GB")."""
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
