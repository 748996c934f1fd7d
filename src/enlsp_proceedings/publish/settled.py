"""One edition of a series as the build settles it, remembered while nothing it is made from changes.

Before any page is built, a series build loads every edition's volume: its PDFs' facts, its
supplementary files, its place in the series, the checks' warnings (`pipeline.settle_problems`),
its data as JSON and the fingerprint of its pages. A one-paper edit of one edition of ten did all
of it again for the nine others: about 1.7 s at 10 × 1,000 papers, before the series' pages could
start. `settle_edition` remembers the result (`SettledEdition`) in the edition's folder of the
build's cache, under the hash of everything it is made from (`settled_key`):

- the edition's own files and the tool's code (`Edition.digest`), its id;
- every file of its papers folder, by the identity `pdf.cache.HashMemo` trusts (size, modification
  and change times, inode; a link by its target), and the folder's path;
- the series: series.yaml's fields, each edition's id, short name and date (the other editions
  of its navigation), and the series' people (`SeriesPeople.key`: who is who, across the years);
- the day of the build in the edition's time zone (whether it was held yet);
- its conf folder's path, which warnings name, and the Sphinx configuration its pages' fingerprint
  covers.

Anything else, and an edition whose files cannot all be listed, is settled again every build. The
memo is a pickle in the build's cache, trusted as Sphinx's environment beside it is.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from enlsp_proceedings.model.codes import Reported
from enlsp_proceedings.model.series import Edition, SeriesConf
from enlsp_proceedings.model.series_people import SeriesPeople
from enlsp_proceedings.outputs.volume import Volume
from enlsp_proceedings.pdf.check import FirstPageMemo, NameFindingsMemo
from enlsp_proceedings.pdf.extract import PaperPdf
from enlsp_proceedings.pdf.supplementary import Supplement
from enlsp_proceedings.publish.pipeline import BuildReport, VolumeSummary
from enlsp_proceedings.publish.sources import Sources, configuration_files, files_digest, remembered_sources, source_pages, sources_of
from enlsp_proceedings.util.files import Deferred, remembered

#: In the cache's ``series/<edition>/``: the edition as the last build settled it.
SETTLED_MEMO = "settled.pickle"
#: In the cache's ``series/<edition>/``: the pages last generated and their fingerprint (`remembered_sources`).
SOURCES_MEMO = "sources.json"
#: Changed when what the key covers changes meaning.
_KEY_VERSION = "1"


@dataclass
class SettledEdition:
    """What a series build needs of an edition before its pages: the volume (with its place in the
    series and its PDFs' statuses), the PDFs' facts, the warnings of its checks, its supplementary
    files, its pages' fingerprint (`publish.sources.fingerprint`), and the first-page checks it
    used (`FirstPageMemo`), which stay remembered while it is.

    The volume is kept `Deferred`, with what the command says of it (`summary`): an edition read
    back and not built again is never read for its volume (nine editions' volumes were 0.27 s of a
    one-paper edit at 10 × 1,000 papers, which needed none of them)."""

    deferred: Deferred[Volume]
    summary: VolumeSummary
    pdfs: dict[str, PaperPdf]
    warnings: list[Reported]
    supplements: dict[str, Supplement]
    fingerprint: str
    first_pages: list[str]

    @classmethod
    def of(cls, volume: Volume, pdfs: dict[str, PaperPdf], warnings: list[Reported], supplements: dict[str, Supplement]) -> SettledEdition:
        """The edition settled now (its fingerprint and first-page checks are filled in by `settle_edition`)."""
        return cls(Deferred(volume), VolumeSummary.of(volume), pdfs, warnings, supplements, fingerprint="", first_pages=[])

    @property
    def volume(self) -> Volume:
        """The volume (read from the memo now, when it was read back and not asked for yet)."""
        return self.deferred.get()

    def report(self) -> BuildReport:
        """The edition's part of the build's report (a copy: the build adds what it rewrites)."""
        return BuildReport(self.deferred, self.pdfs, warnings=list(self.warnings), supplements=self.supplements, known_summary=self.summary)


def _listing(folder: Path) -> list[list[object]] | None:
    """Every entry under ``folder`` with its identity (`pdf.cache.HashMemo`'s: size, modification and
    change times, inode; a link also by its target, a broken one as such); ``[]`` when the folder is
    not there. None when it cannot be listed whole: a folder inside it that is a link (its files
    could change unseen), or an error."""
    entries: list[list[object]] = []
    if not os.path.lexists(folder):
        return entries
    try:
        if not folder.is_dir():
            st = os.stat(folder)
            return [[".", "not-a-folder", st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]]
        stack = [""]
        while stack:
            rel = stack.pop()
            with os.scandir(folder / rel if rel else folder) as it:
                found = sorted(it, key=lambda e: e.name)
            for entry in found:
                name = f"{rel}/{entry.name}" if rel else entry.name
                if entry.is_symlink():
                    target = os.readlink(entry.path)
                    try:
                        st = os.stat(entry.path)
                    except OSError:
                        entries.append([name, "broken-link", target])
                        continue
                    if stat.S_ISDIR(st.st_mode):
                        return None
                    entries.append([name, "link", target, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino])
                elif entry.is_dir(follow_symlinks=False):
                    entries.append([name, "folder"])
                    stack.append(name)
                else:
                    st = entry.stat(follow_symlinks=False)
                    entries.append([name, stat.S_IFMT(st.st_mode), st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino])
    except OSError:
        return None
    return entries


def settled_key(edition: Edition, conf: SeriesConf, people: SeriesPeople, today: dt.date, papers_dir: Path, conf_dir: Path,
                confdir: Path) -> str | None:
    """The hash of everything an edition's `SettledEdition` is made from (the module's docstring);
    None when it cannot be known (the edition was loaded without a memo, the series' people were not
    remembered, a file cannot be listed or read): the edition is then settled afresh."""
    if edition.digest is None or people.key is None:
        return None
    listing = _listing(papers_dir)
    if listing is None:
        return None
    editions = [[e.id, e.workshop.short_name, e.workshop.date.isoformat()] for e in conf.editions]
    digest = hashlib.sha256(json.dumps([_KEY_VERSION, edition.id, edition.digest, people.key, today.isoformat(), str(papers_dir),
                                        str(conf_dir), conf.series.model_dump(mode="json"), editions, listing]).encode())
    try:
        digest.update(files_digest(configuration_files(confdir)).encode())
    except OSError:
        return None
    return digest.hexdigest()


def settle_edition(key: str | None, folder: Path, settle: Callable[[], SettledEdition], confdir: Path, memo: FirstPageMemo,
                   names: NameFindingsMemo, names_key: str | None) -> tuple[SettledEdition, Sources, str | None]:
    """The edition as `settle` makes it (its fingerprint and first-page checks filled in here), or as
    the last build remembered it under ``key`` (None: made afresh, not remembered); with its pages'
    sources (`publish.sources.remembered_sources`) and, when made now, its data as JSON. What a
    remembered edition used of the build's shared memos (its first-page checks, its name findings
    under ``names_key``) stays remembered there."""
    made: list[tuple[Sources, str]] = []

    def fresh() -> SettledEdition:
        start = len(memo.order)
        edition = settle()
        edition.first_pages = memo.order[start:]
        volume_json = edition.volume.to_json()
        sources = remembered_sources(volume_json, functools.partial(source_pages, edition.volume), None, confdir, folder / SOURCES_MEMO)
        edition.fingerprint = sources.fingerprint
        made.append((sources, volume_json))
        return edition

    edition = fresh() if key is None else remembered(folder / SETTLED_MEMO, key, fresh, lambda value: isinstance(value, SettledEdition))
    if made:
        return edition, made[0][0], made[0][1]
    memo.keep(edition.first_pages)
    if names_key is not None:
        names.keep(names_key)
    return edition, sources_of(edition.fingerprint, lambda: source_pages(edition.volume), folder / SOURCES_MEMO), None
