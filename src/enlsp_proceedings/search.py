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

import asyncio
import hashlib
import json
import os
import shutil
import subprocess
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .extract import PaperPdf
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
    extra: dict[str, str] = field(default_factory=dict)

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


def records_digest(records: list[Record]) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        indexer = version("pagefind_bin")
    except PackageNotFoundError:
        indexer = version("pagefind")
    blob = json.dumps([SEARCH_VERSION, indexer, [asdict(r) for r in records]], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(blob.encode()).hexdigest()


def _stamp(site: Path) -> str | None:
    try:
        return json.loads((site / INDEX_DIR / STAMP).read_text())["digest"]
    except (OSError, ValueError, KeyError, TypeError):
        return None


async def _index(records: list[Record], out: Path) -> None:
    from pagefind.index import PagefindIndex

    config = {"output_path": str(out), "force_language": "en", "write_playground": False}
    async with PagefindIndex(config=config) as index:
        # The service polls for answers every 0.1 s: one request at a time would cost 0.1 s
        # per record (36 s for 100 papers and their people), so send them all at once.
        await asyncio.gather(*(
            index.add_custom_record(url=record.url, content=record.content, language="en", meta=record.meta())
            for record in records
        ))


def _start_indexer(records: list[Record], out: Path) -> tuple[subprocess.Popen, Path]:
    """Start Pagefind in a child Python process; returns it and its input file.

    The pagefind package drives its binary through asyncio; a child process keeps that
    away from callers that run their own event loop (Jupyter, Playwright's sync API),
    where a nested loop's subprocess handling can hang the caller's loop. Being a child,
    it also runs on another core while Sphinx writes the pages.
    """
    out.mkdir(parents=True, exist_ok=True)
    spec = out / ".records.json"
    spec.write_text(json.dumps([{"url": r.url, "content": r.content, "meta": r.meta()} for r in records], ensure_ascii=False), encoding="utf-8")
    with open(out / ".indexer.log", "w") as log:  # a file, not a pipe: nobody reads until Sphinx is done
        child = subprocess.Popen([sys.executable, "-m", "enlsp_proceedings.search", str(spec), str(out)],
                                 stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
    return child, spec


def _without_poll_delay() -> None:
    """pagefind's service sleeps 0.1 s before reading each answer of its binary, so indexing
    cost 0.1 s per record (36 s for 100 papers with their people). This child process only
    indexes: give that module an asyncio whose sleep does not wait (reads still block on data)."""
    import types

    import pagefind.service as service

    real_sleep = asyncio.sleep

    async def sleep(delay: float, *args, **kwargs):
        return await real_sleep(0, *args, **kwargs)

    service.asyncio = types.SimpleNamespace(**{**vars(asyncio), "sleep": sleep})


def _main(spec: str, out: str) -> None:
    _without_poll_delay()
    items = json.loads(Path(spec).read_text(encoding="utf-8"))
    records = [Record(url=i["url"], title=i["meta"].get("title", ""), content=i["content"], authors=i["meta"].get("authors", ""),
                      kind=i["meta"].get("kind", "")) for i in items]
    asyncio.run(_index(records, Path(out)))


class SearchIndexJob:
    """Brings ``site/pagefind/`` up to date, in the background where indexing is needed.

    The records come from the data, not from the HTML, so the index can be built while
    Sphinx writes the pages: `start` launches the indexer, `finish` waits for it and
    swaps the new index in, `cancel` stops it when the build fails.
    """

    def __init__(self, volume: Volume, pdfs: dict[str, PaperPdf] | None, site: Path, other_site: Path | None = None):
        self.site = site
        self.tmp = site / f".{INDEX_DIR}.tmp"
        self.child: subprocess.Popen | None = None
        self.spec: Path | None = None
        records = search_records(volume, pdfs)
        self.digest = records_digest(records)
        self.count = len(records)
        if _stamp(site) == self.digest:
            self.outcome = "unchanged"
            return
        shutil.rmtree(self.tmp, ignore_errors=True)
        if other_site is not None and _stamp(other_site) == self.digest:
            shutil.copytree(other_site / INDEX_DIR, self.tmp)
            self.outcome = "copied"
        else:
            self.child, self.spec = _start_indexer(records, self.tmp)
            self.outcome = "indexed"

    def finish(self) -> str:
        """Wait for the indexer and put its index in place; returns "unchanged", "copied" or "indexed"."""
        if self.outcome == "unchanged":
            return self.outcome
        if self.child is not None:
            self.child.wait()
            self._forget_spec()
            log = self.tmp / ".indexer.log"
            output = log.read_text(errors="replace") if log.is_file() else ""
            log.unlink(missing_ok=True)
            if self.child.returncode != 0:
                shutil.rmtree(self.tmp, ignore_errors=True)
                raise RuntimeError(f"the Pagefind indexer failed: {output.strip()[-2000:]}")
            (self.tmp / STAMP).write_text(json.dumps({"digest": self.digest, "records": self.count}))
        target = self.site / INDEX_DIR
        old = self.site / f".{INDEX_DIR}.old"
        shutil.rmtree(old, ignore_errors=True)
        if target.exists():
            os.rename(target, old)
        os.rename(self.tmp, target)
        shutil.rmtree(old, ignore_errors=True)
        return self.outcome

    def cancel(self) -> None:
        """Stop the indexer (the build failed); leaves the site's current index alone."""
        if self.child is not None and self.child.poll() is None:
            self.child.kill()
            self.child.wait()
        self._forget_spec()
        if self.outcome != "unchanged":
            shutil.rmtree(self.tmp, ignore_errors=True)

    def _forget_spec(self) -> None:
        if self.spec is not None:
            self.spec.unlink(missing_ok=True)
            self.spec = None


def write_search_index(volume: Volume, pdfs: dict[str, PaperPdf] | None, site: Path, other_site: Path | None = None) -> str:
    """Bring ``site/pagefind/`` up to date now; returns "unchanged", "copied" or "indexed"."""
    job = SearchIndexJob(volume, pdfs, site, other_site)
    try:
        return job.finish()
    except BaseException:
        job.cancel()
        raise


if __name__ == "__main__":
    _main(*sys.argv[1:3])
