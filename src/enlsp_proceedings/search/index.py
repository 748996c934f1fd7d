"""Site search: a Pagefind index of every paper (with its PDF's text), talk and person.

Pagefind (https://pagefind.app) writes a static, chunked index that the browser fetches
piece by piece, folds accents ("muller" finds "Müller") and needs no server; see
benchmarks/search-comparison.md for the measurements behind this choice over Sphinx's search.

The index is built from the data, not from the HTML pages: one custom record per
paper, keynote, panel and author page. A paper's record carries the text of its
camera-ready PDF, which never goes into the page itself (pages stay small): its author block
and its content up to the references (`pdf_search_text`), so that a paper is found by what it
says and by its authors' names as printed, never by the titles of the papers it cites. Each
record also names the word ranges an excerpt may quote (abstract, body: never the byline).

Which results the search page shows is decided in the browser (``enlsp-search.js``), per
bundle: every word of the query must be in the bundle's text, since Pagefind answers a word
in no text with a shorter indexed prefix of it (Pagefind/pagefind#599).

The records are split into bundles of about `SHARD_RECORDS` (by a stable hash of
each record's address). Each bundle is a complete Pagefind index in
``pagefind/<name>/``, named by the hash of its records; ``pagefind/bundles.json``
lists them and the search page merges them in the browser (Pagefind's
``mergeIndex``; one WebAssembly module serves all). So a change to one paper
re-indexes one bundle, a bundle already in the site or in the other site copy is
kept or linked, and a browser never mixes cached files of two versions of a bundle.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from enlsp_proceedings import paths
from enlsp_proceedings.model.people import role_label
from enlsp_proceedings.outputs.volume import Volume
from enlsp_proceedings.pdf.facts import PaperPdf, PdfFacts
from enlsp_proceedings.search.written import index_problem
from enlsp_proceedings.util.files import link_or_copy, write_if_changed
from enlsp_proceedings.util.latex import plain
from enlsp_proceedings.util.text import romanize

INDEX_DIR = paths.SEARCH_INDEX
STAMP = ".enlsp-search.json"  # in the index directory: which records the site's index holds
MANIFEST = "bundles.json"  # in the index directory: the bundles the search page merges, main one first
#: Bump when the shape of the records, the layout or the indexer settings change.
SEARCH_VERSION = 4
#: Records per bundle: re-indexing one bundle takes a fraction of a second, and volumes of
#: a single workshop's size (a few hundred records) stay one bundle.
SHARD_RECORDS = 1000


@dataclass
class Record:
    """One search result: where it links, what it shows, what text finds it, and which of that text
    an excerpt may quote."""

    url: str  # site path, relative to the site root
    title: str
    content: str
    authors: str = ""
    kind: str = ""
    #: Word ranges [start, end) of ``content`` an excerpt may quote: the abstract and the body (of the
    #: PDF, a bio, a description), never the title, names and affiliations shown above the excerpt
    #: or printed in the PDF's author block.
    excerpt: list[tuple[int, int]] = field(default_factory=list)
    #: a person a later edition of the series lists too: indexed apart (`Bundle.repeated`), so that one
    #: search over every edition finds them once and a search of this edition alone still finds them
    repeated: bool = False

    def meta(self) -> dict[str, str]:
        """The record's Pagefind metadata: what its result shows (title, kind, authors) and the word
        ranges an excerpt may quote, the latter in digits Pagefind does not index (`unsearchable`)."""
        meta = {"title": self.title, "kind": self.kind, "excerpt": " ".join(f"{unsearchable(a)}-{unsearchable(b)}" for a, b in self.excerpt)}
        if self.authors:
            meta["authors"] = self.authors
        return meta


def unsearchable(number: int) -> str:
    """``number`` written with Braille patterns for digits (U+2800 + digit: 2592 -> "⠂⠅⠉⠂").

    Pagefind makes every word of a record's metadata searchable: as plain digits, the word ranges
    "39-192 251-2592" made "2592" find that paper. It indexes letters and digits only (and emoji),
    so a word of symbols is kept with the record but found by no query. (A Pagefind filter is not
    searched either, but Pagefind writes filters in a different order each time, so the same records
    would give another index.) The search page reads the digits back."""
    return "".join(chr(0x2800 + int(digit)) for digit in str(number))


_SENTINEL = re.compile(r"^_+(?=(?:END_)?PAGEFIND_)")
def _words(text: str | None) -> list[str]:
    """The words of ``text`` as Pagefind counts them, so that word ranges counted here are Pagefind's
    positions (its text of a record is these words joined by single spaces, which the search page
    splits at): split at white space (Python's split at all Rust's white space, and at a few control
    characters more), without the zero-width space (Pagefind drops it from words: a word of nothing
    else would be no word), and no word taken for one of Pagefind's own markers (``___PAGEFIND_``).
    The rest stays verbatim."""
    if not text:
        return []
    words = (text.replace("\u200b", "") if "\u200b" in text else text).split()
    if "PAGEFIND_" in text:
        words = [_SENTINEL.sub("", word) for word in words]
    return words


class _Content:
    """A record's text, built part by part, with the word ranges an excerpt may quote."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.count = 0
        self.excerpt: list[tuple[int, int]] = []

    def add(self, text: str | None, quotable: bool = False) -> None:
        """Append ``text``; ``quotable``: an excerpt may show it."""
        words = _words(text)
        if not words:
            return
        if quotable:
            if self.excerpt and self.excerpt[-1][1] == self.count:
                self.excerpt[-1] = (self.excerpt[-1][0], self.count + len(words))
            else:
                self.excerpt.append((self.count, self.count + len(words)))
        self.parts.append(" ".join(words))
        self.count += len(words)

    @property
    def text(self) -> str:
        """The record's content (its parts one per line)."""
        return "\n".join(self.parts)


#: Words at the start of a PDF's text taken as its title, authors and affiliations when the layout
#: did not find its author block (text read by pypdf).
PDF_HEADING_WORDS = 80


def pdf_search_text(facts: PdfFacts) -> tuple[str, str]:
    """(author block, body) of a PDF's text as search indexes it: the content only, up to where the
    layout found its end (the first References, Bibliography, appendix or supplementary heading, as
    `check` counts the content), so a paper is never found by the titles of the papers it cites.
    The author block (title, authors, affiliations as printed: a name printed otherwise than in the
    metadata still finds the paper) is indexed but never quoted."""
    end = facts.content_end if facts.content_end is not None else len(facts.text)
    if facts.content_start is not None:
        start = min(facts.content_start, end)
        return facts.text[:start], facts.text[start:end]
    words = facts.text[:end].split(maxsplit=PDF_HEADING_WORDS)
    return " ".join(words[:PDF_HEADING_WORDS]), (words[PDF_HEADING_WORDS] if len(words) > PDF_HEADING_WORDS else "")


def _ascii_names(names: list[str]) -> str:
    """Names spelled in ASCII (`util.text.romanize`) where that differs from the name: letters like
    ø, ł, đ, ß, which Pagefind's accent folding keeps (it only drops combining marks), so "soren"
    finds Søren, and names in other scripts transliterated, so "petrov" finds Иван Петров."""
    return " ".join(dict.fromkeys(a for n in names if (a := romanize(n)) != n.casefold()))


def _record(url: str, title: str, content: _Content, authors: str = "", kind: str = "") -> Record:
    return Record(url=url, title=title, content=content.text, authors=authors, kind=kind, excerpt=content.excerpt)


def search_records(volume: Volume, pdfs: dict[str, PaperPdf] | None = None) -> list[Record]:
    """Every searchable thing of the volume. ``pdfs`` supplies the text of published PDFs (`pdf_search_text`)."""
    proc, people = volume.proc, volume.people
    records: list[Record] = []
    for paper in proc.papers:
        names = [proc.canonical_name(a.name) for a in paper.authors]
        spelled = [a.name for a in paper.authors if a.name not in names]
        entry = (pdfs or {}).get(paper.id)
        status = volume.pdfs.get(paper.id)
        content = _Content()
        # titles and abstracts as readers see them: "$7x$" is found and quoted as "7x", "\textit{DyREx}" as "DyREx"
        for part in (plain(paper.title), ", ".join(names + spelled), _ascii_names(names + spelled),
                     "; ".join(sorted({a.affiliation for a in paper.authors if a.affiliation})), paper.award):
            content.add(part)
        content.add(plain(paper.abstract), quotable=True)
        if entry and entry.facts and status and status.published:
            heading, body = pdf_search_text(entry.facts)
            content.add(heading)
            content.add(body, quotable=True)
        kind = f"Paper · {proc.workshop.presentation(paper.presentation).label}"
        records.append(_record(paths.paper_page(paper.id), plain(paper.title), content, ", ".join(names), kind))
    for keynote in proc.keynotes:
        names = [proc.canonical_name(s.name) for s in keynote.speakers]
        spelled = [s.name for s in keynote.speakers if s.name not in names]
        content = _Content()
        for part in (plain(keynote.title), ", ".join(names + spelled), _ascii_names(names + spelled),
                     "; ".join(sorted({s.affiliation for s in keynote.speakers if s.affiliation}))):
            content.add(part)
        content.add(plain(keynote.abstract), quotable=True)
        content.add(keynote.bio, quotable=True)
        records.append(_record(paths.keynote_page(keynote.id), plain(keynote.title), content, ", ".join(names), proc.workshop.labels.keynote))
    if proc.panel:
        panel = proc.panel
        members = ([panel.moderator] if panel.moderator else []) + list(panel.panelists)
        content = _Content()
        content.add(panel.title)
        content.add(", ".join(proc.canonical_name(p.name) for p in members))
        content.add("; ".join(p.affiliation for p in members if p.affiliation))
        content.add(panel.description, quotable=True)
        records.append(_record(paths.PANEL, panel.title, content, ", ".join(proc.canonical_name(p.name) for p in panel.panelists), "Panel"))
    later = volume.series.later_people if volume.series else frozenset()
    earlier = volume.series.earlier_roles if volume.series else {}
    labels = proc.workshop.labels
    for record in people.sorted():
        roles = ", ".join(role_label(r, labels) for r in record.roles)
        years = [f"{short}: " + ", ".join(role_label(r, labels) for r in year_roles) for short, year_roles in earlier.get(record.slug, ())]
        content = _Content()
        content.add(record.name)
        content.add("; ".join(record.variants))
        content.add(_ascii_names([record.name, *record.variants]))
        content.add("; ".join(record.affiliations), quotable=True)
        content.add(roles, quotable=True)
        content.add("; ".join(years), quotable=True)
        person = _record(volume.people_root + paths.author_page(record.slug), record.name, content, kind=" · ".join(["Person", roles, *years]))
        person.repeated = record.slug in later
        records.append(person)
    return records


def records_payload(records: list[Record]) -> str:
    """The records as the indexer reads them (JSON); also what the index's digest is taken of."""
    return json.dumps([{"url": r.url, "content": r.content, "meta": r.meta()} for r in records], ensure_ascii=False)


def payload_digest(payload: str) -> str:
    """A digest of the records and of the indexer's version: equal digests give the same index."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        indexer = version("pagefind_bin")
    except PackageNotFoundError:
        indexer = version("pagefind")
    return hashlib.sha256(f"{SEARCH_VERSION}\0{indexer}\0".encode() + payload.encode()).hexdigest()


@dataclass(frozen=True)
class Bundle:
    """Some of the records, indexed by Pagefind into ``pagefind/<name>/``."""

    name: str  # the start of `digest`: the files under a bundle's name never change
    digest: str
    payload: str  # the records as the indexer reads them
    records: int
    #: holds only people a later edition of the series lists too (`Record.repeated`): the search over
    #: every edition leaves it out, the search of one edition takes it
    repeated: bool = False


def make_bundles(records: list[Record], per_bundle: int | None = None) -> list[Bundle]:
    """Split the records by a stable hash of their address, so that a change to one record
    changes one bundle, however many records come before it. No bundle is empty."""
    count = max(1, -(-len(records) // (per_bundle or SHARD_RECORDS)))
    groups: list[list[Record]] = [[] for _ in range(count)]
    for record in records:
        groups[zlib.crc32(record.url.encode()) % count].append(record)
    bundles = []
    for group in filter(None, groups):  # a hash may leave a group empty: an index of no record is no index (Pagefind writes no language)
        payload = records_payload(group)
        digest = payload_digest(payload)
        bundles.append(Bundle(name=digest[:16], digest=digest, payload=payload, records=len(group)))
    return bundles


def _stamp(site: Path) -> str | None:
    try:
        return json.loads((site / INDEX_DIR / STAMP).read_text())["digest"]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _has(site: Path | None, bundle: Bundle) -> bool:
    return site is not None and (site / INDEX_DIR / bundle.name).is_dir()


def _link_tree(source: Path, target: Path) -> None:
    """Copy a bundle as hard links (bundles are never written in place), under a temporary
    name first: a half-made copy must never carry the bundle's name."""
    partial = target.with_name(f".{target.name}.tmp")
    shutil.rmtree(partial, ignore_errors=True)
    shutil.copytree(source, partial, copy_function=link_or_copy)
    os.rename(partial, target)


def _start_indexer(spec_json: str, out: Path) -> tuple[subprocess.Popen, Path]:
    """Start Pagefind in a child Python process; returns it and its input file.

    ``spec_json`` lists the bundles to write into ``out`` (see `pagefind_child`). The
    pagefind package drives its binary through asyncio; a child process keeps that away
    from callers that run their own event loop (Jupyter, Playwright's sync API), where a
    nested loop's subprocess handling can hang the caller's loop. Being a child, it also
    runs on another core while Sphinx writes the pages.
    """
    out.mkdir(parents=True, exist_ok=True)
    spec = out / ".records.json"
    spec.write_text(spec_json, encoding="utf-8")
    with open(out / ".indexer.log", "w") as log:  # a file, not a pipe: nobody reads until Sphinx is done
        child = subprocess.Popen([sys.executable, "-m", "enlsp_proceedings.search.pagefind_child", str(spec), str(out)],
                                 stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
    return child, spec


class SearchIndexError(RuntimeError):
    """Pagefind did not produce a usable index."""


class SearchIndexJob:
    """Brings a site's ``pagefind/`` up to date, indexing in the background what is new.

    The records come from the data, not from the HTML, so the index can be built while
    the pages are: `start` launches the indexer (into ``work_dir``) for the bundles that
    no site copy holds yet, `finish` gives the site every bundle (keeping, linking or
    waiting for them) and its manifest, `cancel` stops the indexer when the build fails.
    """

    def __init__(self, volume: Volume, pdfs: dict[str, PaperPdf] | None, work_dir: Path):
        self.records = search_records(volume, pdfs)
        self.bundles = make_bundles([r for r in self.records if not r.repeated])
        repeated = [r for r in self.records if r.repeated]
        if repeated:  # one small bundle of them (people only), after the others
            self.bundles += [dataclasses.replace(b, repeated=True) for b in make_bundles(repeated, per_bundle=len(repeated))]
        self.digest = hashlib.sha256(" ".join(b.digest for b in self.bundles).encode()).hexdigest()
        for stale in Path(work_dir).glob(f"{INDEX_DIR}.*.tmp"):  # left by a killed build
            shutil.rmtree(stale, ignore_errors=True)
        self.tmp = work_dir / f"{INDEX_DIR}.{os.getpid()}.tmp"
        self.child: subprocess.Popen | None = None
        self.spec: Path | None = None
        self.indexing: list[Bundle] = []  # what the running (or finished) child writes into `tmp`

    def start(self, *sites: Path | None) -> None:
        """Start indexing the bundles that none of ``sites`` holds (if any)."""
        if self.child is None:
            missing = [b for b in self.bundles if not any(_has(site, b) for site in sites)]
            if missing:
                self._launch(missing)

    def _launch(self, bundles: list[Bundle], keep_others: bool = False) -> None:
        """Index ``bundles`` into `tmp`; what else `tmp` holds is dropped unless ``keep_others``."""
        if keep_others:
            for bundle in bundles:
                shutil.rmtree(self.tmp / bundle.name, ignore_errors=True)
        else:
            shutil.rmtree(self.tmp, ignore_errors=True)
        spec = "[" + ",".join(f'{{"dir":{json.dumps(b.name)},"records":{b.payload}}}' for b in bundles) + "]"
        self.indexing = list(bundles)
        self.child, self.spec = _start_indexer(spec, self.tmp)

    def finish(self, site: Path, other_site: Path | None = None) -> str:
        """Give ``site`` the index of these records; returns "unchanged", "copied" or "indexed"."""
        index = site / INDEX_DIR
        if _stamp(site) == self.digest and all(_has(site, b) for b in self.bundles):
            self.cancel()
            return "unchanged"
        missing = [b for b in self.bundles if not _has(site, b)]
        linked = [b for b in missing if b not in self.indexing and _has(other_site, b)]
        fresh = [b for b in missing if b not in linked]
        if fresh:
            if any(b not in self.indexing for b in fresh):  # a site copy lost a bundle since `start`
                self.cancel()
                self._launch(fresh)
            self._wait()
        index.mkdir(parents=True, exist_ok=True)
        for bundle in fresh:
            shutil.move(self.tmp / bundle.name, index / bundle.name)  # a rename when the cache is on the site's file system
        for bundle in linked:
            assert other_site is not None
            _link_tree(other_site / INDEX_DIR / bundle.name, index / bundle.name)
        manifest: dict[str, list[str]] = {"bundles": [f"{b.name}/" for b in self.bundles]}
        if any(b.repeated for b in self.bundles):
            manifest["repeated"] = [f"{b.name}/" for b in self.bundles if b.repeated]
        write_if_changed(index / MANIFEST, json.dumps(manifest))
        write_if_changed(index / STAMP, json.dumps({"digest": self.digest, "records": len(self.records),
                                                     "bundles": [b.name for b in self.bundles]}))
        keep = {b.name for b in self.bundles} | {MANIFEST, STAMP}
        for path in index.iterdir():  # old bundles, half-made links, an index of the one-bundle layout
            if path.name not in keep:
                shutil.rmtree(path) if path.is_dir() else path.unlink()
        self.cancel()
        return "indexed" if fresh else "copied" if linked else "unchanged"

    def _wait(self) -> None:
        """Wait for the indexer and check every bundle it wrote; one more run for bundles that are
        incomplete (seen once: an empty ``pagefind-entry.json``, which breaks search for the whole
        site), an error after that."""
        for attempt in (1, 2):
            assert self.child is not None
            self.child.wait()
            self._forget_spec()
            log = self.tmp / ".indexer.log"
            output = log.read_text(errors="replace") if log.is_file() else ""
            log.unlink(missing_ok=True)
            if self.child.returncode != 0:
                problems = {b.name: f"it failed: {output.strip()[-2000:]}" for b in self.indexing}
            else:
                problems = {b.name: p for b in self.indexing if (p := index_problem(self.tmp / b.name, b.records)) is not None}
            if not problems:
                return
            if attempt == 2:
                shutil.rmtree(self.tmp, ignore_errors=True)
                raise SearchIndexError(f"the Pagefind indexer did not produce a usable search index ({next(iter(problems.values()))})")
            done = [b for b in self.indexing if b.name not in problems]
            self._launch([b for b in self.indexing if b.name in problems], keep_others=True)
            self.indexing += done

    def cancel(self) -> None:
        """Stop the indexer if it runs and drop its output; no site is touched."""
        if self.child is not None and self.child.poll() is None:
            self.child.kill()
            self.child.wait()
        self._forget_spec()
        shutil.rmtree(self.tmp, ignore_errors=True)
        self.child, self.indexing = None, []

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
