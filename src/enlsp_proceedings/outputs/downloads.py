"""The downloadable files of a volume: BibTeX, RIS, CSL-JSON, papers.json, iCalendar, PDFs.

`artifact_files` gives the text of each download, every citation made from its paper's or
keynote's record (outputs.citation); `write_artifacts` brings a site copy up to date with them
and with the published PDFs (and their old addresses), thumbnails and supplementary files,
rewriting only what changed (a manifest in the site remembers what each file was made from).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from enlsp_proceedings import paths
from enlsp_proceedings.outputs import citation, cite
from enlsp_proceedings.outputs.citation import PaperCitation
from enlsp_proceedings.outputs.volume import PAPERS_SCHEMA, SCHEMA_FILE, Volume
from enlsp_proceedings.util.code import code_digest
from enlsp_proceedings.util.digest import value_json
from enlsp_proceedings.util.files import copy_atomically, write_if_changed
from enlsp_proceedings.util.memo import load_memo, save_memo


@dataclass(frozen=True)
class PaperTexts:
    """A paper's citation texts, as its downloads hold them."""

    #: its BibTeX entry, whole by itself, without a @preamble (`citation.bibtex_entry`)
    entry: str
    #: its RIS record (`citation.ris`)
    ris: str
    #: its CSL-JSON item (`citation.csl`)
    csl: dict[str, Any]

    def files(self, paper_id: str) -> dict[str, str]:
        """Site path -> text of the paper's ``.bib``, ``.ris`` and ``.csl.json``."""
        return {paths.paper_file(paper_id, "bib"): cite.join_bibtex([self.entry]), paths.paper_file(paper_id, "ris"): self.ris,
                paths.paper_file(paper_id, "csl.json"): csl_json([self.csl])}


class CitationTexts:
    """Each paper's `PaperTexts`, a pure function of its citation record, remembered by the
    record's digest and the tool's code (`key`) in the build cache across builds: a one-paper
    edit formats one paper's citations, and the volume's files are still made from every record
    (`Volume.volume_bibtex`)."""

    def __init__(self, memo: Path | None = None):
        self.memo = memo
        self.code = code_digest()
        known = load_memo(memo) if memo is not None else None
        self.known: dict[str, Any] = known if isinstance(known, dict) else {}
        #: the texts of this build's records, by key: what `save` keeps
        self.used: dict[str, dict[str, Any]] = {}

    def key(self, c: PaperCitation) -> str:
        """What the paper's texts are made from: its record and the code that formats it."""
        return hashlib.sha256(f"{self.code}:{c.digest()}".encode()).hexdigest()[:24]

    def of(self, c: PaperCitation, key: str | None = None) -> PaperTexts:
        """The paper's texts, formatted unless remembered (``key``: its `key`, if the caller has it)."""
        key = key or self.key(c)
        hit = self.used.get(key) or self.known.get(key)
        if not (isinstance(hit, dict) and isinstance(hit.get("entry"), str) and isinstance(hit.get("ris"), str) and isinstance(hit.get("csl"), dict)):
            hit = {"entry": citation.bibtex_entry(c), "ris": citation.ris(c), "csl": citation.csl(c)}
        self.used[key] = hit
        return PaperTexts(hit["entry"], hit["ris"], hit["csl"])

    def save(self) -> None:
        """Remember the texts of this build's records (and only those) for the next build."""
        if self.memo is not None:
            save_memo(self.memo, self.used)  # not sorted: a CSL item keeps its keys' order, as proceedings.csl.json has them


def artifact_files(volume: Volume, texts: CitationTexts | None = None) -> dict[str, str]:
    """site path -> text of every generated download (BibTeX, RIS, JSON, iCalendar), each made from
    the papers' and keynotes' citation records (``texts``: their texts, remembered)."""
    texts = texts or CitationTexts()
    made = {paper.id: texts.of(volume.paper_citation(paper)) for paper in volume.proc.papers}
    files: dict[str, str] = {}
    for paper_id, paper_texts in made.items():
        files.update(paper_texts.files(paper_id))
    files.update(volume_files(volume, made))
    return files


def volume_files(volume: Volume, made: Mapping[str, PaperTexts]) -> dict[str, str]:
    """site path -> text of the downloads other than each paper's own (``made``: each paper's texts,
    by id): the volume's BibTeX, RIS and CSL-JSON, papers.json and its schema, each keynote's
    citations, the calendars."""
    files = {
        paths.PROCEEDINGS_BIB: volume.volume_bibtex(lambda c: made[c.paper.id].entry),
        paths.PAPERS_JSON: value_json(volume.papers_json(), indent=2).decode("utf-8") + "\n",
        PAPERS_SCHEMA: SCHEMA_FILE.read_text(encoding="utf-8"),
        paths.PROCEEDINGS_CSL: csl_json(volume.volume_csl(lambda c: made[c.paper.id].csl)),
        # every paper's RIS record in one file (Zotero, EndNote, Mendeley import a file of many records)
        paths.PROCEEDINGS_RIS: "".join(made[p.id].ris for p in volume.proc.papers),
    }
    for keynote in volume.proc.keynotes:
        record = volume.keynote_citation(keynote)
        files[paths.keynote_file(keynote.id, "bib")] = citation.keynote_bibtex(record)
        files[paths.keynote_file(keynote.id, "csl.json")] = csl_json([citation.keynote_csl(record)])
    if volume.proc.has_program:  # the Schedule page links them: one rule for both
        from enlsp_proceedings.outputs import ics  # icalendar only for a program: 34 ms of every build's start otherwise

        files[paths.SCHEDULE_ICS] = ics.schedule_ics(volume)
        files.update(ics.talk_ics_files(volume))
    return files


def csl_json(items: list[dict[str, Any]]) -> str:
    """A CSL-JSON file: a list of items (Zotero, Pandoc ``--bibliography``, citeproc), laid out as
    ``json.dumps(..., indent=2)`` lays it out (`util.digest.value_json`)."""
    return value_json(items, indent=2).decode("utf-8") + "\n"


MANIFEST = ".enlsp-artifacts.json"
#: In the build cache: each paper's citation texts by what they are made from (`CitationTexts`).
CITATIONS_MEMO = "citations.json"


def write_artifacts(volume: Volume, out_dir: Path, pdf_sources: dict[str, Path], thumb_sources: dict[str, Path] | None = None,
                    supplement_sources: dict[str, Path] | None = None, memo: Path | None = None) -> None:
    """Write downloads, published PDFs, supplementary files (each also at its older addresses) and
    thumbnails into the site; remove ones no longer wanted.

    A paper's ``.bib``, ``.ris`` and ``.csl.json`` are made from its citation record
    (`Volume.paper_citation`) and keyed in the site's manifest by what they are made from
    (`CitationTexts.key`): a paper whose record is unchanged keeps its files untouched. ``memo``:
    the cache file remembering each record's texts (`CitationTexts`).
    """
    manifest_path = out_dir / MANIFEST
    try:
        previous = json.loads(manifest_path.read_text())
    except (OSError, ValueError):
        previous = {}
    current: dict[str, str] = {}
    texts = CitationTexts(memo)
    made: dict[str, PaperTexts] = {}
    for paper in volume.proc.papers:
        record = volume.paper_citation(paper)
        key = texts.key(record)
        made[paper.id] = texts.of(record, key)
        own = [paths.paper_file(paper.id, ext) for ext in ("bib", "ris", "csl.json")]
        if not all(previous.get(path) == f"cite:{key}" and (out_dir / path).is_file() for path in own):
            for site_path, content in made[paper.id].files(paper.id).items():
                write_if_changed(out_dir / site_path, content)
        current.update(dict.fromkeys(own, f"cite:{key}"))
    for site_path, content in volume_files(volume, made).items():
        write_if_changed(out_dir / site_path, content)
        current[site_path] = "text"
    texts.save()

    def publish(source: Path, site_path: str, sha256: str | None) -> None:
        """Copy a file into the site unless this copy already has that content there."""
        if previous.get(site_path) != sha256 or not (out_dir / site_path).exists():
            copy_atomically(source, out_dir / site_path)
        current[site_path] = sha256 or ""

    templates = volume.proc.workshop.pdf_aliases
    for paper_id, source in pdf_sources.items():
        status = volume.pdfs[paper_id]
        for site_path in [paths.paper_file(paper_id, "pdf"), *volume.papers_by_id[paper_id].pdf_alias_paths(templates)]:
            publish(source, site_path, status.sha256)
    for paper_id, source in (supplement_sources or {}).items():
        status = volume.pdfs[paper_id]
        if status.supplementary:  # its site name: set for every publishable supplement
            older = volume.papers_by_id[paper_id].supplementary_alias_paths(volume.proc.workshop.supplementary_aliases)
            for site_path in [paths.beside_papers(status.supplementary), *older]:
                publish(source, site_path, status.supplementary_sha256)
    for paper_id, source in (thumb_sources or {}).items():
        site_path = volume.pdfs[paper_id].thumbnail or paths.paper_file(paper_id, "png")
        stamp = f"{source.parent.name}:{volume.pdfs[paper_id].sha256}"
        if previous.get(site_path) != stamp or not (out_dir / site_path).exists():
            write_if_changed(out_dir / site_path, source.read_bytes())
        current[site_path] = stamp
    for site_path in set(previous) - set(current):
        (out_dir / site_path).unlink(missing_ok=True)
    write_if_changed(manifest_path, json.dumps(current, sort_keys=True, indent=0))


