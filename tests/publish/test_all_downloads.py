"""``all/``: every edition's downloads joined into the series' own (`publish.all_downloads`).

Each edition's share (its BibTeX without the @preamble, its CSL-JSON's items, its RIS, its
papers.json as an item of the series' list) is kept as files in the cache while its downloads
keep their sizes and mtimes; ``all/``'s files are the shares copied one after the other, byte for
byte what joining the editions' texts in memory wrote, and a file whose pieces did not change is
not written again.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from enlsp_proceedings import paths
from enlsp_proceedings.model.series import load_series
from enlsp_proceedings.outputs import cite
from enlsp_proceedings.publish import all_downloads
from enlsp_proceedings.publish.all_downloads import (
    ALL_STAMP,
    DOWNLOADS,
    SHARE_DIR,
    Piece,
    Share,
    array_items,
    joined,
    nested_object,
    write_series_downloads,
)
from enlsp_proceedings.publish.errors import BuildError
from test_series import make_series


def dumped(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2) + "\n"


def in_memory(pieces: dict[str, bytes], declared: dict[str, str] | None = None) -> Share:
    return Share({name: Piece(Path(name), len(data), hashlib.sha256(data).hexdigest(), data) for name, data in pieces.items()}, declared or {})


def contents(parts) -> bytes:
    return b"".join(part.data if isinstance(part, Piece) else part for part in parts)


def test_the_series_wide_json_downloads_are_the_editions_joined_byte_for_byte_as_json_would_write_them():
    """all/proceedings.csl.json and all/papers.json are joined from the editions' files as text (no
    10,000-paper JSON written again per edit): the bytes are json.dumps(..., indent=2)'s, line breaks,
    U+2028, quotes, empty lists and objects and files written another way included; what is not the
    JSON expected is a ValueError (the build names the edition)."""
    cases = [[], [("2031", [], {})],
             [("2033", [{"a": "x\ny\u2028", "b": [1, {"c": []}]}], {"p": [{"q": "r\n"}], "e": {}}), ("2032", [], {"s": []}),
              ("2031", [{"t": 'é "q"'}], {})]]
    for editions in cases:
        for write in (dumped, lambda v: json.dumps(v) + "\n"):  # our own files, and valid JSON written another way
            shares = [in_memory({"bib": b"", "csl": array_items(write(csl)), "ris": b"", "papers": nested_object(write(p), {"edition": e})})
                      for e, csl, p in editions]
            files = joined(shares, {}, "WTT·II")
            assert contents(files[paths.PROCEEDINGS_CSL]) == dumped([item for _e, csl, _p in editions for item in csl]).encode()
            head = {"$schema": paths.PAPERS_SCHEMA, "version": 1, "series": "WTT·II"}
            assert contents(files[paths.PAPERS_JSON]) == dumped({**head, "editions": [{"edition": e, **p} for e, _csl, p in editions]}).encode()
    for bad in ("[1,", '{"a": 1}'):
        with pytest.raises(ValueError):
            array_items(bad)
    for bad in ("[]", '{"a": '):
        with pytest.raises(ValueError):
            nested_object(bad, {"edition": "2031"})


def test_the_series_bibtex_is_what_join_bibtex_makes_of_the_editions_texts_its_preamble_included():
    """The letters each edition's BibTeX declares are kept with its share: the series' @preamble
    declares them all, as join_bibtex of the joined texts would (the last edition to use a letter
    gives its declaration), without reading the texts again."""
    texts = ["@inproceedings{a,\n\tauthor = {Ad{\\'{e}}{\\d{o}}la}\n}", "", "@inproceedings{b,\n\ttitle = {{\\d{e}}{\\d{o}}}\n}",
             "@inproceedings{c,\n\ttitle = {Plain}\n}"]
    shares = [in_memory({"bib": t.encode(), "csl": b"", "ris": f"TY  - {n}\n".encode(), "papers": b"    {}"}, cite.utf8_wanted([t]))
              for n, t in enumerate(texts)]
    declared: dict[str, str] = {}
    for share in shares:
        declared.update(share.declared)
    files = joined(shares, declared, "WTT")
    assert contents(files[paths.PROCEEDINGS_BIB]) == cite.join_bibtex(texts).encode()
    assert contents(files[paths.PROCEEDINGS_BIB]).startswith(b"@preamble{") and "\\DeclareUnicodeCharacter{1ECD}" in cite.join_bibtex(texts)
    assert contents(files[paths.PROCEEDINGS_RIS]) == b"TY  - 0\nTY  - 1\nTY  - 2\nTY  - 3\n"


@pytest.fixture()
def series_site(tmp_path):
    """A series' conf and a site whose two editions have downloads of their own (as their builds write them)."""
    conf, _papers = make_series(tmp_path)
    series = load_series(conf)
    site, work = tmp_path / "site", tmp_path / "cache" / "series"
    for n, edition in enumerate(series.editions):
        folder = site / edition.id
        folder.mkdir(parents=True)
        title = "Ad{\\d{o}}la" if n else "Plain"  # the newer edition's BibTeX declares a letter
        entry = "@inproceedings{wtt" + edition.id + "a,\n\ttitle = {" + title + " " + edition.id + "}\n}"
        (folder / paths.PROCEEDINGS_BIB).write_text(cite.join_bibtex([entry]), encoding="utf-8")
        (folder / paths.PROCEEDINGS_CSL).write_text(dumped([{"id": f"wtt{edition.id}a", "title": f"Paper of {edition.id}"}]), encoding="utf-8")
        (folder / paths.PROCEEDINGS_RIS).write_text(f"TY  - CONF\nTI  - Paper of {edition.id}\nER  - \n", encoding="utf-8")
        (folder / paths.PAPERS_JSON).write_text(dumped({"papers": [{"id": "a", "title": f"Paper of {edition.id}"}]}), encoding="utf-8")
    return series, site, work


def reference(site: Path, series) -> dict[str, bytes]:
    """all/'s files as the editions' downloads joined in memory, newest edition first."""
    newest = [e.id for e in reversed(series.editions)]
    bib = [cite.without_preamble((site / e / paths.PROCEEDINGS_BIB).read_text(encoding="utf-8").strip()) for e in newest]
    csl = [item for e in newest for item in json.loads((site / e / paths.PROCEEDINGS_CSL).read_text(encoding="utf-8"))]
    papers = [{"edition": e, **json.loads((site / e / paths.PAPERS_JSON).read_text(encoding="utf-8"))} for e in newest]
    return {paths.PROCEEDINGS_BIB: cite.join_bibtex(bib).encode(), paths.PROCEEDINGS_CSL: dumped(csl).encode(),
            paths.PROCEEDINGS_RIS: b"".join((site / e / paths.PROCEEDINGS_RIS).read_bytes() for e in newest),
            paths.PAPERS_JSON: dumped({"$schema": paths.PAPERS_SCHEMA, "version": 1, "series": series.series.short_name,
                                       "editions": papers}).encode()}


def all_files(site: Path) -> dict[str, bytes]:
    return {name: (site / paths.SERIES_ALL / name).read_bytes() for name in DOWNLOADS}


def all_mtimes(site: Path) -> dict[str, int]:
    return {name: (site / paths.SERIES_ALL / name).stat().st_mtime_ns for name in DOWNLOADS}


def test_all_is_the_editions_downloads_joined_and_an_edit_reads_back_and_writes_what_it_changed_only(series_site, monkeypatch):
    series, site, work = series_site
    made: list[str] = []
    real = all_downloads.nested_object
    monkeypatch.setattr(all_downloads, "nested_object", lambda text, first: made.append(first["edition"]) or real(text, first))
    fingerprints = {e.id: f"inputs of {e.id}" for e in series.editions}
    write_series_downloads(site, series, work, fingerprints)
    assert all_files(site) == reference(site, series) and sorted(made) == ["2031", "2032"]
    assert all((work / e.id / SHARE_DIR / "share.json").is_file() for e in series.editions)

    # an edition rebuilt with the same downloads, touched: its share is made again, all/ is left as it is
    made.clear()
    before = all_mtimes(site)
    for name in DOWNLOADS:
        os.utime(site / "2032" / name, ns=(1, 1))
    write_series_downloads(site, series, work, {**fingerprints, "2032": "new inputs"})
    assert made == ["2032"] and all_mtimes(site) == before

    # one edition's RIS changed: only the series' RIS is written again
    made.clear()
    (site / "2031" / paths.PROCEEDINGS_RIS).write_text("TY  - CONF\nTI  - Retitled\nER  - \n", encoding="utf-8")
    write_series_downloads(site, series, work, fingerprints)
    after = all_mtimes(site)
    assert made == ["2031"] and all_files(site) == reference(site, series)
    assert [name for name in DOWNLOADS if after[name] != before[name]] == [paths.PROCEEDINGS_RIS]
    assert b"Retitled" in all_files(site)[paths.PROCEEDINGS_RIS]

    # nothing changed: nothing read, nothing written
    made.clear()
    write_series_downloads(site, series, work, fingerprints)
    assert made == [] and all_mtimes(site) == after


def test_a_share_the_cache_lost_or_broke_is_made_again(series_site, monkeypatch):
    """A piece of another size, a missing or unreadable record: the edition's downloads are read
    again. A cache that cannot be written costs time, not the series' files."""
    series, site, work = series_site
    fingerprints = {e.id: e.id for e in series.editions}
    write_series_downloads(site, series, work, fingerprints)
    want = reference(site, series)
    kept = work / "2031" / SHARE_DIR
    for damage in (lambda: (kept / "ris").write_bytes(b"TY  - short\n"), lambda: (kept / "share.json").unlink(),
                   lambda: (kept / "share.json").write_text("{not json", encoding="utf-8"),
                   lambda: (kept / "share.json").write_text('{"key": 1, "pieces": []}', encoding="utf-8")):
        damage()
        (site / paths.SERIES_ALL / ALL_STAMP).unlink()
        for name in DOWNLOADS:
            (site / paths.SERIES_ALL / name).unlink()
        write_series_downloads(site, series, work, fingerprints)
        assert all_files(site) == want
    monkeypatch.setattr(all_downloads, "write_atomically", lambda *a, **k: (_ for _ in ()).throw(OSError(28, "No space left on device")))
    for name in DOWNLOADS:
        os.utime(site / "2032" / name, ns=(2, 2))
    write_series_downloads(site, series, work, {**fingerprints, "2032": "again"})
    assert all_files(site) == want


def test_an_editions_download_that_is_not_what_its_build_writes_names_the_edition(series_site):
    series, site, work = series_site
    (site / "2031" / paths.PROCEEDINGS_CSL).write_text('{"not": "a list"}', encoding="utf-8")
    with pytest.raises(BuildError, match="edition 2031: its downloads could not be read back"):
        write_series_downloads(site, series, work, {e.id: e.id for e in series.editions})
