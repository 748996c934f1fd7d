"""What is remembered between runs about PDF files: their facts by content hash (`PdfCache`)
and their content hashes by file identity (`HashMemo`, `file_sha256`).

A PDF is read once per distinct content, whoever asks (``check`` or ``build``), so
rebuilding after a metadata edit neither re-reads nor even re-hashes 1,000 PDFs. A cache
that cannot be read or written only costs time.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from dataclasses import asdict
from pathlib import Path

from enlsp_proceedings.pdf.facts import EXTRACTOR_VERSION, PdfFacts
from enlsp_proceedings.util.files import write_atomically
from enlsp_proceedings.util.memo import load_memo, save_memo

log = logging.getLogger(__name__)


class HashMemo:
    """Content hashes remembered by file identity (size, modification and change times, inode),
    as git's index does: a rebuild then reads no PDF that did not change (1,000 camera-readies
    are hundreds of megabytes). ``ctime`` cannot be set back by tools, so a rewritten file is
    always hashed again."""

    def __init__(self, cache_dir: Path):
        self.path = Path(cache_dir) / "pdf-hashes.json"
        known = load_memo(self.path)
        self.known: dict[str, list] = known if isinstance(known, dict) else {}
        self.seen: dict[str, list] = {}

    def sha256(self, path: Path) -> str:
        """The content hash of ``path``, remembered or computed; remembered again by `save`."""
        st = os.stat(path)
        key = [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]
        name = str(path)
        entry = self.known.get(name)
        if isinstance(entry, list) and len(entry) == 5 and entry[:4] == key and isinstance(entry[4], str):
            sha = entry[4]
        else:
            sha = file_sha256(path)
        self.seen[name] = [*key, sha]
        return sha

    def save(self) -> None:
        """Remember this run's files (and earlier ones that still exist: `check --paper` sees one)."""
        merged = {name: entry for name, entry in self.known.items() if name not in self.seen and os.path.exists(name)}
        merged.update(self.seen)
        if merged != self.known:
            save_memo(self.path, merged)


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file's content (hex), read in blocks of 1 MB."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class PdfCache:
    """On-disk cache of `PdfFacts`, one JSON file per content hash (``<cache>/pdf-facts/<sha256>.json``)."""

    def __init__(self, cache_dir: Path):
        self.dir = Path(cache_dir) / "pdf-facts"

    def _path(self, sha256: str) -> Path:
        return self.dir / f"{sha256}.json"

    def get(self, sha256: str) -> PdfFacts | None:
        """The cached facts of this content, or None (not cached, unreadable, or of another `EXTRACTOR_VERSION`)."""
        try:
            data = json.loads(self._path(sha256).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if data.get("version") != EXTRACTOR_VERSION:
            return None
        try:
            return PdfFacts.from_json(data)
        except (TypeError, ValueError, KeyError):  # not facts this version wrote (an unknown key or level): read the PDF again
            return None

    def put(self, facts: PdfFacts) -> None:
        """Remember ``facts``; a cache that cannot be written (full, read-only) only costs time."""
        try:
            write_atomically(self._path(facts.sha256), json.dumps(asdict(facts)))
        except OSError as exc:  # a full disk: no half-written file stays behind
            log.warning("cannot cache PDF facts in %s: %s", self.dir, exc.strerror or exc)
