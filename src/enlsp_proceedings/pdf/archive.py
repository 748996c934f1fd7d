"""Reading a supplementary ZIP's directory within bounds (`read_zip`), never unpacking it.

A ZIP is judged by its central directory: readable, not encrypted, not empty. Python's
``zipfile`` builds one object per entry, so a 141 MB archive of 3 million empty directory
entries took 1.15 GB and 20–29 s to open, in the main process, on every build and check. Here
the end-of-central-directory record (the last bytes of the file, APPNOTE 4.3.16 and 4.3.14 for
ZIP64) is read first: an archive with more than `ZIP_MAX_ENTRIES` entries, or a larger directory
than `ZIP_MAX_DIRECTORY_BYTES`, is refused from those few bytes. Only then does ``zipfile`` read
the directory, in a bounded worker process (`pool`), and the answer is cached by the file's
content hash (`ZipMemo`), so a build reads each archive once.
"""

from __future__ import annotations

import os
import struct
import zipfile
from pathlib import Path

from enlsp_proceedings.model.codes import Code
from enlsp_proceedings.pdf.active import zip_escapes
from enlsp_proceedings.pdf.facts import PdfFacts, PdfProblem
from enlsp_proceedings.util.memo import load_memo, save_memo

#: A supplement with more entries than this is not published (code and data archives hold thousands).
ZIP_MAX_ENTRIES = 100_000
#: ... nor one whose central directory is larger (100,000 entries with 300-byte names and extras).
ZIP_MAX_DIRECTORY_BYTES = 40 * 1024 * 1024
#: Bump when `read_zip` judges differently (cached answers of another version are read again).
ZIP_CHECK_VERSION = 2

_END = struct.Struct("<4s4H2LH")  # end of central directory record
_END64_LOCATOR = struct.Struct("<4sLQL")
_END64 = struct.Struct("<4sQ2H2L4Q")


def directory_size(path: Path) -> tuple[int, int] | None:
    """(entries, bytes) of a ZIP's central directory, as its end record says; None when the file
    has no end record (not a ZIP, or truncated). Reads at most the last 64 KB of the file."""
    with open(path, "rb") as fh:
        fh.seek(0, os.SEEK_END)
        size = fh.tell()
        tail_start = max(0, size - (_END.size + 0xFFFF + _END64_LOCATOR.size))
        fh.seek(tail_start)
        tail = fh.read()
        at = tail.rfind(b"PK\x05\x06")
        if at < 0 or len(tail) - at < _END.size:
            return None
        _sig, _disk, _disk_cd, _here, entries, length, _offset, _comment = _END.unpack_from(tail, at)
        if entries == 0xFFFF or length == 0xFFFFFFFF:  # ZIP64: the locator just before the record names the real one
            if at < _END64_LOCATOR.size:
                return None
            sig, _disk64, where, _disks = _END64_LOCATOR.unpack_from(tail, at - _END64_LOCATOR.size)
            if sig != b"PK\x06\x07" or where > size - _END64.size:
                return None
            fh.seek(where)
            record = fh.read(_END64.size)
            if len(record) < _END64.size or record[:4] != b"PK\x06\x06":
                return None
            fields = _END64.unpack(record)
            entries, length = fields[7], fields[8]
    return entries, length


def _judge(path: Path) -> tuple[int | None, str | None, list[str]]:
    """(entries, what is wrong or None, its entries that would unpack outside its folder) of the ZIP at ``path``."""
    try:
        counted = directory_size(path)
    except OSError as exc:
        return None, f"is not a readable ZIP file ({exc.strerror or exc})", []
    if counted is not None:
        entries, length = counted
        if entries > ZIP_MAX_ENTRIES:
            return entries, (f"is a ZIP file of {entries:,} entries; at most {ZIP_MAX_ENTRIES:,} are published "
                             "(pack the many small files into fewer, or give a link to a repository instead)"), []
        if length > ZIP_MAX_DIRECTORY_BYTES:
            return entries, (f"is a ZIP file whose list of contents takes {length / 2**20:.0f} MB; at most "
                             f"{ZIP_MAX_DIRECTORY_BYTES // 2**20} MB is read (too many or too long file names)"), []
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
        return None, f"is not a readable ZIP file ({exc})", []
    if len(members) > ZIP_MAX_ENTRIES:  # an end record that understates the directory
        return len(members), f"is a ZIP file of {len(members):,} entries; at most {ZIP_MAX_ENTRIES:,} are published", []
    if any(m.flag_bits & 0x1 for m in members):
        return len(members), "is an encrypted ZIP file (readers could not open it)", []
    if not members:
        return 0, "is an empty ZIP file", []
    return len(members), None, zip_escapes(members)


def read_zip(path: Path, sha256: str) -> PdfFacts:
    """What a supplementary ZIP is, as `PdfFacts` (the worker pool's answer type): ``pages`` holds
    its number of entries, ``error`` what is wrong (``supplementary-unreadable``), ``active_content``
    its entries that would unpack outside its folder (`active.zip_escapes`). Never raises."""
    try:
        size = path.stat().st_size
    except OSError:
        size = 0
    entries, problem, escapes = _judge(path)
    return PdfFacts(sha256, size, pages=entries, error=PdfProblem.of(Code.PDF_UNREADABLE, problem) if problem else None,
                    active_content=escapes)


class ZipMemo:
    """`read_zip`'s answers by content hash (``<cache>/zip-checks.json``): each archive is read once."""

    def __init__(self, cache_dir: Path):
        self.path = Path(cache_dir) / "zip-checks.json"
        saved = load_memo(self.path)
        self.known: dict = saved if isinstance(saved, dict) and saved.get("version") == ZIP_CHECK_VERSION else {"version": ZIP_CHECK_VERSION}
        self.changed = False

    def get(self, sha256: str) -> PdfFacts | None:
        """The remembered answer for this content, if any."""
        entry = self.known.get(sha256)
        if not isinstance(entry, dict):
            return None
        try:
            return PdfFacts.from_json(dict(entry))
        except (TypeError, ValueError, KeyError):  # not an answer this version wrote: read the archive again
            return None

    def put(self, facts: PdfFacts) -> None:
        """Remember an answer (saved by `save`)."""
        self.known[facts.sha256] = {"sha256": facts.sha256, "size": facts.size, "pages": facts.pages, "active_content": facts.active_content,
                                    "error": None if facts.error is None else {"level": facts.error.level, "code": facts.error.code,
                                                                               "message": facts.error.message}}
        self.changed = True

    def save(self) -> None:
        """Write the memo if it changed; a cache that cannot be written only costs time."""
        if self.changed:
            save_memo(self.path, self.known)
