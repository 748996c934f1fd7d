"""Active content in published files: what a reader's software may run or unpack somewhere else.

A PDF can carry JavaScript (run by many viewers when the document or a page opens, or a link
is clicked), a Launch action (asks the viewer to start a program or open a file) and embedded
files (an executable included). A ZIP can hold entries that its unpacker writes outside the
folder it unpacks into ("zip slip": ``../../.bashrc``, ``/etc/cron.d/x``, ``C:\\x``) or
symbolic links that later entries write through. The site publishes the files as they are,
so `check` warns the organizer (`pdf-active-content`, `supplementary-active-content`,
`supplementary-zip-escape`), who may ask the authors for another file or waive the warning.

`pdf_active_content` runs in the PDF reader's worker process (`read.read_pdf`, within its time and
memory budgets) and its findings are cached with the facts; it walks the objects reachable from
the trailer once each, looking only at dictionaries (no stream is decoded), and stops after
`MAX_OBJECTS`. `zip_escapes` reads a ZIP's central directory only (it never unpacks).
"""

from __future__ import annotations

import re
import stat
import zipfile

#: Objects a PDF's walk looks at before it stops (a real camera-ready needs a few hundred).
MAX_OBJECTS = 200_000
#: Keys whose values hold nothing a viewer runs (fonts, images, page contents, the page tree's back links,
#: named destinations): not walked. An action reachable from elsewhere too is still found. The 121 real
#: camera-readies of both editions then need 167 objects looked at on average (580 at most, mostly link
#: annotations; 270 with destinations and resources walked), about 20 ms of CPU each.
_INERT = frozenset({"/Resources", "/Contents", "/Parent", "/Font", "/XObject", "/ColorSpace", "/Thumb", "/Metadata", "/Dests"})
#: Names quoted in a message, at most.
_SHOWN = 3


def _name(value) -> str:
    """A file name from a file specification (a string, or a dictionary with /UF or /F)."""
    from pypdf.generic import DictionaryObject

    try:
        value = value.get_object() if hasattr(value, "get_object") else value
        if isinstance(value, DictionaryObject):
            value = value.get("/UF") or value.get("/F") or ""
            value = value.get_object() if hasattr(value, "get_object") else value
        return str(value) if isinstance(value, str) else ""
    except Exception:  # noqa: BLE001 - a damaged file specification has no name
        return ""


def _direct(value):
    """``value``, or the object it refers to (None when that cannot be read)."""
    try:
        return value.get_object() if hasattr(value, "get_object") else value
    except Exception:  # noqa: BLE001 - a damaged reference
        return None


def pdf_active_content(reader) -> list[str]:
    """What in the PDF open in ``reader`` (a pypdf `PdfReader`) a viewer may run or open, one finding per
    kind: "JavaScript (3 places)", "a Launch action ('calc.exe')", "2 embedded files ('a.exe', 'b.txt')".

    Looks at every dictionary reachable from the trailer (document and page actions, annotations,
    outlines, forms, name trees, action chains): an action of type JavaScript or a /JS entry, a
    ``javascript:`` URI, an XFA form, a Launch action, a file specification with an embedded file.
    """
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    javascript = launch = 0
    launched: list[str] = []
    embedded: list[str] = []
    xfa = False
    seen: set[tuple[int, int]] = set()
    stack: list = [reader.trailer]
    visited = 0
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            visited += 1
            if visited > MAX_OBJECTS:
                return _findings(javascript, launch, launched, embedded, xfa) + [
                    f"more than {MAX_OBJECTS:,} objects, not all of them looked at for active content"]
            try:
                item = item.get_object()
            except Exception:  # noqa: BLE001 - a damaged object: nothing to run in it
                continue
        if isinstance(item, DictionaryObject):  # a stream's dictionary too; its data is never decoded
            kind = _direct(item.get("/S"))
            if kind == "/JavaScript" or "/JS" in item:
                javascript += 1
            elif kind == "/Launch":
                launch += 1
                windows = _direct(item.get("/Win"))
                target = _name(item.get("/F")) or (_name(windows.get("/F")) if isinstance(windows, DictionaryObject) else "")
                if target:
                    launched.append(target)
            elif kind == "/URI" and re.match(r"\s*javascript:", str(_direct(item.get("/URI", ""))), re.IGNORECASE):
                javascript += 1
            if "/XFA" in item:
                xfa = True
            if "/EF" in item:  # a file specification with the file embedded
                embedded.append(_name(item) or "unnamed")
            stack.extend(value for key, value in item.items() if key not in _INERT)
        elif isinstance(item, ArrayObject):
            stack.extend(item)
    return _findings(javascript, launch, launched, embedded, xfa)


def _quoted(names: list[str]) -> str:
    names = sorted(names)  # the walk's order is the file's structure, not the reader's
    shown = ", ".join(repr(_clean(n)) for n in names[:_SHOWN])
    return shown + (f" and {len(names) - _SHOWN} more" if len(names) > _SHOWN else "")


def _clean(text: str) -> str:
    """A name from the file for a message: one line, printable, at most 80 characters."""
    text = "".join(c if c.isprintable() else "?" for c in text)
    return text if len(text) <= 80 else text[:79] + "…"


def _findings(javascript: int, launch: int, launched: list[str], embedded: list[str], xfa: bool) -> list[str]:
    found = []
    if javascript:
        found.append("JavaScript" + (f" ({javascript} places)" if javascript > 1 else ""))
    if xfa:
        found.append("an XFA form (it can carry scripts)")
    if launch:
        what = "a Launch action" if launch == 1 else f"{launch} Launch actions"
        found.append(what + (f" ({_quoted(launched)})" if launched else ""))
    if embedded:
        what = "an embedded file" if len(embedded) == 1 else f"{len(embedded)} embedded files"
        found.append(f"{what} ({_quoted(embedded)})")
    return found


def describe_pdf(findings: list[str]) -> str:
    """The warning's text for a PDF's findings."""
    return (f"the PDF contains {'; '.join(findings)}: it is published as it is, and some PDF readers run or open such "
            "content; ask the authors for a file without it, or waive this code in conf/papers.yaml once you have looked")


_S_IFLNK = stat.S_IFLNK


def zip_escapes(members: list[zipfile.ZipInfo]) -> list[str]:
    """Entries of a ZIP that an unpacker may write outside the folder it unpacks into: names that
    are absolute (``/x``, ``C:\\x``, ``\\\\server\\x``) or climb out (``..``), and symbolic links."""
    found = []
    for member in members:
        name = member.filename
        parts = name.replace("\\", "/").split("/")
        if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name) or ".." in parts:
            found.append(name)
        elif stat.S_IFMT(member.external_attr >> 16) == _S_IFLNK:
            found.append(f"{name} (a symbolic link)")
    return found


def describe_zip(escapes: list[str]) -> str:
    """The warning's text for a ZIP's escaping entries."""
    what = "an entry" if len(escapes) == 1 else f"{len(escapes)} entries"
    return (f"has {what} that an unpacker may write outside the folder it unpacks into ({_quoted(escapes)}): "
            "it is published as it is; ask the authors for an archive without them")
