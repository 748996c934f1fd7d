"""Site search: a Pagefind index of every paper (with its PDF's full text), talk and person.

Pagefind (https://pagefind.app) writes a static, chunked index that the browser fetches
piece by piece, folds accents ("muller" finds "Müller") and needs no server; see
docs/guide/search.md for the measurements behind this choice over Sphinx's search.

The index is built from the data, not from the HTML pages: one custom record per
paper, keynote, panel and author page. A paper's record carries the text of its
camera-ready PDF, which never goes into the page itself (pages stay small). The
records are hashed; when the hash matches the index already in the site (or in the
other site copy) the indexer does not run.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from .extract import PaperPdf
from .pagefind_child import index_problem
from .people import ROLE_LABELS, fold
from .volume import Volume

INDEX_DIR = "pagefind"
STAMP = ".enlsp-search.json"
#: Bump when the shape of the records or the indexer settings change.
SEARCH_VERSION = 1
PRESENTATION = {"oral": "Oral", "spotlight": "Spotlight", "poster": "Poster"}


@dataclass
class Record:
    """One search result: where it links, what it shows, what text finds it."""

    url: str  # site path, relative to the site root
    title: str
    content: str
    authors: str = ""
    kind: str = ""

    def meta(self) -> dict[str, str]:
        meta = {"title": self.title, "kind": self.kind}
        if self.authors:
            meta["authors"] = self.authors
        return meta


def _join(*parts: str | None) -> str:
    return "\n".join(p for p in parts if p)


def _ascii_names(names: list[str]) -> str:
    """Names with letters like ø, ł, đ, ß spelled in ASCII, which Pagefind's accent folding keeps
    (it only drops combining marks): so "soren" finds Søren."""
    return " ".join(dict.fromkeys(fold(n) for n in names if fold(n) != n.casefold()))


def search_records(volume: Volume, pdfs: dict[str, PaperPdf] | None = None) -> list[Record]:
    """Every searchable thing of the volume. ``pdfs`` supplies full texts of published PDFs."""
    proc, people = volume.proc, volume.people
    records: list[Record] = []
    for paper in proc.papers:
        names = [proc.canonical_name(a.name) for a in paper.authors]
        spelled = [a.name for a in paper.authors if a.name not in names]
        affiliations = sorted({a.affiliation for a in paper.authors if a.affiliation})
        entry = (pdfs or {}).get(paper.id)
        status = volume.pdfs.get(paper.id)
        full_text = entry.facts.text if entry and entry.facts and status and status.published else ""
        kind = f"Paper · {PRESENTATION.get(paper.presentation, paper.presentation)}"
        records.append(Record(
            url=f"papers/{paper.id}.html",
            title=paper.title,
            authors=", ".join(names),
            kind=kind,
            content=_join(paper.title, ", ".join(names + spelled), _ascii_names(names + spelled), "; ".join(affiliations), paper.award,
                          paper.abstract, full_text),
        ))
    for keynote in proc.keynotes:
        speaker = keynote.speaker
        name = proc.canonical_name(speaker.name)
        records.append(Record(
            url=f"keynotes/{keynote.id}.html",
            title=keynote.title,
            authors=name,
            kind="Keynote",
            content=_join(keynote.title, name, speaker.name if speaker.name != name else None, _ascii_names([name, speaker.name]),
                          speaker.affiliation, keynote.abstract, keynote.bio),
        ))
    if proc.panel:
        panel = proc.panel
        members = ([panel.moderator] if panel.moderator else []) + list(panel.panelists)
        names = [proc.canonical_name(p.name) for p in panel.panelists]
        records.append(Record(
            url="panel.html",
            title=panel.title,
            authors=", ".join(names),
            kind="Panel",
            content=_join(panel.title, ", ".join(proc.canonical_name(p.name) for p in members),
                          "; ".join(p.affiliation for p in members if p.affiliation), panel.description),
        ))
    for record in people.sorted():
        roles = ", ".join(ROLE_LABELS[r] for r in record.roles)
        records.append(Record(
            url=f"authors/{record.slug}.html",
            title=record.name,
            authors="",
            kind=f"Person · {roles}",
            content=_join(record.name, "; ".join(record.variants), _ascii_names([record.name, *record.variants]), "; ".join(record.affiliations), roles),
        ))
    return records


def records_payload(records: list[Record]) -> str:
    """The records as the indexer reads them (JSON); also what the index's digest is taken of."""
    return json.dumps([{"url": r.url, "content": r.content, "meta": r.meta()} for r in records], ensure_ascii=False)


def payload_digest(payload: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        indexer = version("pagefind_bin")
    except PackageNotFoundError:
        indexer = version("pagefind")
    return hashlib.sha256(f"{SEARCH_VERSION}\0{indexer}\0".encode() + payload.encode()).hexdigest()


def _stamp(site: Path) -> str | None:
    try:
        return json.loads((site / INDEX_DIR / STAMP).read_text())["digest"]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _start_indexer(payload: str, out: Path) -> tuple[subprocess.Popen, Path]:
    """Start Pagefind in a child Python process; returns it and its input file.

    The pagefind package drives its binary through asyncio; a child process keeps that
    away from callers that run their own event loop (Jupyter, Playwright's sync API),
    where a nested loop's subprocess handling can hang the caller's loop. Being a child,
    it also runs on another core while Sphinx writes the pages.
    """
    out.mkdir(parents=True, exist_ok=True)
    spec = out / ".records.json"
    spec.write_text(payload, encoding="utf-8")
    with open(out / ".indexer.log", "w") as log:  # a file, not a pipe: nobody reads until Sphinx is done
        child = subprocess.Popen([sys.executable, "-m", "enlsp_proceedings.pagefind_child", str(spec), str(out)],
                                 stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
    return child, spec


class SearchIndexError(RuntimeError):
    """Pagefind did not produce a usable index."""


class SearchIndexJob:
    """Brings a site's ``pagefind/`` up to date, indexing in the background when needed.

    The records come from the data, not from the HTML, so the index can be built while
    the pages are: `start` launches the indexer (into ``work_dir``) unless a site already
    holds an index of these exact records, `finish` puts the right index into the site
    (reusing, copying or waiting for the new one), `cancel` stops it when the build fails.
    """

    def __init__(self, volume: Volume, pdfs: dict[str, PaperPdf] | None, work_dir: Path):
        self.records = search_records(volume, pdfs)
        self.payload = records_payload(self.records)
        self.digest = payload_digest(self.payload)
        for stale in Path(work_dir).glob(f"{INDEX_DIR}.*.tmp"):  # left by a killed build
            shutil.rmtree(stale, ignore_errors=True)
        self.tmp = work_dir / f"{INDEX_DIR}.{os.getpid()}.tmp"
        self.child: subprocess.Popen | None = None
        self.spec: Path | None = None

    def start(self, *sites: Path | None) -> None:
        """Start indexing now, unless one of ``sites`` already has this index."""
        if self.child is None and not any(site is not None and _stamp(site) == self.digest for site in sites):
            self._launch()

    def _launch(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)
        self.child, self.spec = _start_indexer(self.payload, self.tmp)

    def finish(self, site: Path, other_site: Path | None = None) -> str:
        """Give ``site`` the index of these records; returns "unchanged", "copied" or "indexed"."""
        if _stamp(site) == self.digest:
            self.cancel()
            return "unchanged"
        staged = site / f".{INDEX_DIR}.tmp"
        shutil.rmtree(staged, ignore_errors=True)
        if self.child is None and other_site is not None and _stamp(other_site) == self.digest:
            shutil.copytree(other_site / INDEX_DIR, staged)
            outcome = "copied"
        else:
            self.start()
            self._wait()
            shutil.move(self.tmp, staged)  # a rename when the cache is on the site's file system
            outcome = "indexed"
        target = site / INDEX_DIR
        old = site / f".{INDEX_DIR}.old"
        shutil.rmtree(old, ignore_errors=True)
        if target.exists():
            os.rename(target, old)
        os.rename(staged, target)
        shutil.rmtree(old, ignore_errors=True)
        return outcome

    def _wait(self) -> None:
        """Wait for the indexer; one more run if what it wrote is incomplete (seen once: an empty
        ``pagefind-entry.json``, which breaks search for the whole site), an error after that."""
        for attempt in (1, 2):
            assert self.child is not None
            self.child.wait()
            self._forget_spec()
            log = self.tmp / ".indexer.log"
            output = log.read_text(errors="replace") if log.is_file() else ""
            log.unlink(missing_ok=True)
            problem = f"it failed: {output.strip()[-2000:]}" if self.child.returncode != 0 else index_problem(self.tmp, len(self.records))
            if problem is None:
                break
            if attempt == 2:
                shutil.rmtree(self.tmp, ignore_errors=True)
                raise SearchIndexError(f"the Pagefind indexer did not produce a usable search index ({problem})")
            self._launch()
        (self.tmp / STAMP).write_text(json.dumps({"digest": self.digest, "records": len(self.records)}))

    def cancel(self) -> None:
        """Stop the indexer if it runs and drop its output; no site is touched."""
        if self.child is not None and self.child.poll() is None:
            self.child.kill()
            self.child.wait()
        self._forget_spec()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def _forget_spec(self) -> None:
        if self.spec is not None:
            self.spec.unlink(missing_ok=True)
            self.spec = None


def write_search_index(volume: Volume, pdfs: dict[str, PaperPdf] | None, site: Path, other_site: Path | None = None) -> str:
    """Bring ``site/pagefind/`` up to date now; returns "unchanged", "copied" or "indexed"."""
    job = SearchIndexJob(volume, pdfs, site.parent)
    try:
        return job.finish(site, other_site)
    finally:
        job.cancel()
