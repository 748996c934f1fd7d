"""``all/``: every edition's BibTeX, CSL-JSON, RIS and papers.json in one file each, newest
edition first, and ``editions.json`` (`write_series_downloads`).

Each edition's share of them (`Share`) is made from its own downloads in the site: its BibTeX
without the @preamble, its CSL-JSON's items, its RIS, and its papers.json as an item of the series'
list. The four pieces are kept as files in the edition's folder of the cache, with their digests
and the letters its BibTeX declares, for as long as those downloads keep their sizes and mtimes.
A file of ``all/`` is its pieces copied one after the other (`util.files.write_joined`), and is
left as it is when it would be made of the same pieces as last time (`ALL_STAMP`).

Before, the pieces were read back into memory, joined and compared with the files already there:
at 10 × 1,000 papers, 65 MB on every one-paper edit (85,000 page faults, 0.34 s of the build's
longer path).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from enlsp_proceedings import paths
from enlsp_proceedings.model.series import SeriesConf
from enlsp_proceedings.outputs import cite
from enlsp_proceedings.outputs.series_site import SERIES_SCHEMA_FILE
from enlsp_proceedings.publish.errors import BuildError
from enlsp_proceedings.util.code import code_digest
from enlsp_proceedings.util.files import read_json_object, write_atomically, write_if_changed, write_joined

#: The downloads of a whole volume, each edition's and (in ``all/``) the series'.
DOWNLOADS = (paths.PROCEEDINGS_BIB, paths.PROCEEDINGS_CSL, paths.PROCEEDINGS_RIS, paths.PAPERS_JSON)
#: In the cache's ``series/<edition>/``: the edition's share of ``all/`` (`Share`), one file per piece and `SHARE_RECORD`.
SHARE_DIR = "all-share"
#: In `SHARE_DIR`: what the pieces were made from, their sizes and digests, the letters the BibTeX declares.
SHARE_RECORD = "share.json"
#: What earlier versions kept in the edition's folder of the cache instead of `SHARE_DIR`.
_OLD_SHARE = "all-part.pickle"
#: The four pieces of a share, in the order of `DOWNLOADS`.
PIECES = ("bib", "csl", "ris", "papers")
#: In ``all/``: what its files were made from (`write_series_downloads`).
ALL_STAMP = ".enlsp-all.json"
#: The files of a site copy that `write_series_downloads` keeps up to date from that copy's own
#: record (`ALL_STAMP`): a copy of the published site into the other copy leaves them as they are
#: (`publish.site.follow_published`); the build writes them again when they differ.
OWN_FILES = frozenset(f"{paths.SERIES_ALL}{name}" for name in (*DOWNLOADS, ALL_STAMP))


@dataclass(frozen=True)
class Piece:
    """One piece of an edition's share: its file in the cache, its size and digest, and its bytes
    when they are in memory (just made)."""

    path: Path
    size: int
    digest: str
    data: bytes | None = None

    def source(self) -> bytes | Path:
        """What `write_joined` copies: the bytes in memory, else the file."""
        return self.data if self.data is not None else self.path


@dataclass(frozen=True)
class Share:
    """What one edition's downloads give ``all/``: its four pieces (`PIECES`) and the letters its
    BibTeX declares (`cite.utf8_wanted`: letter -> declaration)."""

    pieces: dict[str, Piece]
    declared: dict[str, str]


def write_series_downloads(site: Path, conf: SeriesConf, work: Path, fingerprints: dict[str, str]) -> None:
    """``all/``: every edition's BibTeX, CSL-JSON, RIS and papers.json in one file each, newest
    edition first, and ``editions.json``: the editions and where their downloads are. Nothing is
    read or written when neither the editions' downloads (their sizes and mtimes) nor their inputs
    (``fingerprints``: edition id -> what its pages in ``site`` were built from) changed. Each
    edition's share is kept in its folder of the cache (``work``)."""
    folder = site / paths.SERIES_ALL
    outputs = [folder / name for name in DOWNLOADS] + [site / paths.SERIES_JSON]
    key = _downloads_key(site, conf, fingerprints)
    stamp = read_json_object(folder / ALL_STAMP)
    if key is not None and stamp.get("key") == key and all(p.is_file() for p in outputs):
        return
    shares = []
    editions = []
    for e in reversed(conf.editions):  # the editions' own data, not their volumes: an edition read back leaves its volume unread
        shares.append(edition_share(site / e.id, e.id, work / e.id))
        w = e.workshop
        editions.append({"id": e.id, "short_name": w.short_name, "title": w.title, "venue": w.venue, "date": w.date.isoformat(),
                         "location": w.location, "url": conf.series.edition_url(e.id), "papers": e.paper_count,
                         "downloads": {name: f"{e.id}/{name}" for name in DOWNLOADS}})
    declared: dict[str, str] = {}
    for share in shares:  # as `cite.utf8_wanted` of the joined text: the last edition to declare a letter gives it
        declared.update(share.declared)
    written = stamp.get("files")
    if not isinstance(written, dict):
        written = {}
    files = {}
    for name, parts in joined(shares, declared, conf.series.short_name).items():
        files[name] = _write_parts(folder / name, parts, written.get(name))
    write_if_changed(folder / paths.PAPERS_SCHEMA, SERIES_SCHEMA_FILE.read_text(encoding="utf-8"))
    write_if_changed(site / paths.SERIES_JSON, json.dumps({"version": 1, "series": {"name": conf.series.name, "short_name": conf.series.short_name,
                                                                                     "url": conf.series.base_url},
                                                           "editions": editions, "all": {n: f"{paths.SERIES_ALL}{n}" for n in DOWNLOADS}},
                                                          ensure_ascii=False, indent=2) + "\n")
    write_if_changed(folder / ALL_STAMP, json.dumps({"key": key, "files": files} if key is not None else {"files": files}))


def joined(shares: list[Share], declared: dict[str, str], series: str) -> dict[str, list[bytes | Piece]]:
    """Each file of ``all/`` as the bytes and pieces it is made of, one after the other: the BibTeX
    as `cite.join_bibtex` joins the editions' texts, the JSON as ``json.dumps(..., indent=2)``
    writes the whole (in the layout `array_items` and `nested_object` keep), the RIS as the
    editions' files end to end."""
    bib: list[bytes | Piece] = [cite.bib_preamble(declared).encode("utf-8")]
    for n, share in enumerate(shares):
        bib += [b"\n\n\n"] if n else []
        bib.append(share.pieces["bib"])
    bib.append(b"\n")
    items = [share.pieces["csl"] for share in shares if share.pieces["csl"].size]
    csl: list[bytes | Piece] = [b"[\n", *_between(items, b",\n"), b"\n]\n"] if items else [b"[]\n"]
    head = {"$schema": paths.PAPERS_SCHEMA, "version": 1, "series": series}
    start = json.dumps(head, ensure_ascii=False, indent=2)[:-2] + ",\n" + f"  {json.dumps('editions')}: "
    objects = [share.pieces["papers"] for share in shares]
    listed: list[bytes | Piece] = [b"[\n", *_between(objects, b",\n"), b"\n  ]"] if objects else [b"[]"]
    return {paths.PROCEEDINGS_BIB: bib, paths.PROCEEDINGS_CSL: csl, paths.PROCEEDINGS_RIS: [share.pieces["ris"] for share in shares],
            paths.PAPERS_JSON: [start.encode("utf-8"), *listed, b"\n}\n"]}


def _between(parts: list[Piece], separator: bytes) -> list[bytes | Piece]:
    out: list[bytes | Piece] = []
    for n, part in enumerate(parts):
        out += [separator, part] if n else [part]
    return out


def _write_parts(target: Path, parts: list[bytes | Piece], before: object) -> str:
    """Write ``parts`` one after the other to ``target`` (atomically), unless it holds them already:
    what it was last written from (``before``, from `ALL_STAMP`) is this key, and its size theirs.
    Returns the key: a digest of each piece's digest and each literal's bytes. (A build stopped
    between a file and the record leaves its site copy marked incomplete: the next build copies
    the published site into it afresh, files and record together.)"""
    digest = hashlib.sha256()
    size = 0
    for part in parts:
        if isinstance(part, Piece):
            digest.update(b"P" + part.digest.encode())
            size += part.size
        else:
            digest.update(b"L%d:" % len(part) + part)
            size += len(part)
    key = digest.hexdigest()
    try:
        if before == key and target.stat().st_size == size:
            return key
    except OSError:
        pass
    write_joined(target, [part.source() if isinstance(part, Piece) else part for part in parts])
    return key


def edition_share(folder: Path, edition: str, work: Path) -> Share:
    """What one edition's downloads (in its ``folder`` of the site) give ``all/`` (`Share`), kept in
    ``work`` (`SHARE_DIR`) while the downloads keep their sizes and mtimes: an edit to one edition
    of ten reads and parses that edition's files only. A share whose record or piece is missing,
    unreadable or of another size is made again; one that cannot be kept only costs time."""
    try:
        stats = [(name, (folder / name).stat()) for name in DOWNLOADS]
    except OSError as exc:
        raise BuildError(f"edition {edition}: its downloads could not be read back ({exc})") from None
    key = json.dumps([code_digest(), edition, [[name, st.st_size, st.st_mtime_ns] for name, st in stats]])
    kept = work / SHARE_DIR
    record = read_json_object(kept / SHARE_RECORD)
    share = _kept_share(kept, record) if record.get("key") == key else None
    if share is not None:
        return share
    try:
        ris = (folder / paths.PROCEEDINGS_RIS).read_bytes()
        ris.decode("utf-8")  # what is joined is UTF-8, as every download is
        bib = cite.without_preamble((folder / paths.PROCEEDINGS_BIB).read_text(encoding="utf-8").strip())
        data = {"bib": bib.encode("utf-8"), "csl": array_items((folder / paths.PROCEEDINGS_CSL).read_text(encoding="utf-8")), "ris": ris,
                "papers": nested_object((folder / paths.PAPERS_JSON).read_text(encoding="utf-8"), {"edition": edition})}
    except (OSError, ValueError) as exc:
        raise BuildError(f"edition {edition}: its downloads could not be read back ({exc})") from None
    pieces = {name: Piece(kept / name, len(data[name]), hashlib.sha256(data[name]).hexdigest(), data[name]) for name in PIECES}
    declared = cite.utf8_wanted([bib])
    try:
        (kept / SHARE_RECORD).unlink(missing_ok=True)  # the pieces change first: a build stopped meanwhile finds no record
        for name, piece in pieces.items():
            write_atomically(piece.path, data[name])
        write_atomically(kept / SHARE_RECORD, json.dumps({"key": key, "declared": declared,
                                                          "pieces": {name: [p.size, p.digest] for name, p in pieces.items()}}, ensure_ascii=False))
        (work / _OLD_SHARE).unlink(missing_ok=True)
    except OSError:
        pass
    return Share(pieces, declared)


def _kept_share(kept: Path, record: dict) -> Share | None:
    """The share `edition_share` kept in ``kept``, as its ``record`` says; None when a piece is
    missing or of another size, or the record is not one it wrote."""
    listed, declared = record.get("pieces"), record.get("declared")
    if not isinstance(listed, dict) or not isinstance(declared, dict) or set(listed) != set(PIECES):
        return None
    pieces = {}
    for name in PIECES:
        entry = listed[name]
        if not (isinstance(entry, list) and len(entry) == 2 and isinstance(entry[0], int) and isinstance(entry[1], str)):
            return None
        try:
            if (kept / name).stat().st_size != entry[0]:
                return None
        except OSError:
            return None
        pieces[name] = Piece(kept / name, entry[0], entry[1])
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in declared.items()):
        return None
    return Share(pieces, declared)


def array_items(text: str) -> bytes:
    """The items of a JSON array written with ``indent=2`` (as every download of an edition is), as
    the UTF-8 text between its brackets: the series-wide file is these joined, byte for byte what
    ``json.dumps`` of all the items would write, without writing 10,000 papers again for each
    one-paper edit (Python's JSON encoder has no fast path with ``indent``). Parsed all the same:
    a file that is not a JSON array is a ValueError."""
    data = json.loads(text)
    if not isinstance(data, list):
        raise ValueError("not a JSON array")
    body = text.rstrip("\n")
    if not data:
        return b""
    if not (body.startswith("[\n  ") and body.endswith("\n]")):  # valid, but written another way
        body = json.dumps(data, ensure_ascii=False, indent=2)
    return body[2:-2].encode("utf-8")


def nested_object(text: str, first: dict[str, str]) -> bytes:
    """A JSON object written with ``indent=2``, as an item of a list two levels down (the
    ``editions`` of the series' papers.json) with the keys of ``first`` before its own: each of its
    lines indented four more spaces (a JSON string never holds a line break of its own). Parsed
    all the same: a file that is not a JSON object is a ValueError."""
    data = json.loads(text)
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    body = text.rstrip("\n")
    if data and not (body.startswith("{\n  ") and body.endswith("\n}")):  # valid, but written another way
        body = json.dumps(data, ensure_ascii=False, indent=2)
    keys = [f"      {json.dumps(k, ensure_ascii=False)}: {json.dumps(v, ensure_ascii=False)}" for k, v in first.items()]
    own = ["\n".join("    " + line for line in body[2:-2].split("\n"))] if data else []
    return ("    {\n" + ",\n".join(keys + own) + "\n    }").encode("utf-8")


def _downloads_key(site: Path, conf: SeriesConf, fingerprints: dict[str, str]) -> str | None:
    """What ``all/`` and ``editions.json`` are made from: the series, each edition's inputs
    (``fingerprints``) and its downloads' sizes and mtimes; None when an edition's folder lacks one."""
    parts: list[object] = [conf.series.name, conf.series.short_name, conf.series.base_url, code_digest()]
    for edition in (e.id for e in conf.editions):
        folder = site / edition
        try:
            parts.append([edition, fingerprints[edition]])
            for name in DOWNLOADS:
                st = (folder / name).stat()
                parts.append([name, st.st_size, st.st_mtime_ns])
        except (OSError, KeyError):
            return None
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()
