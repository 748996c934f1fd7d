"""The downloadable files of a volume: BibTeX, RIS, CSL-JSON, papers.json, iCalendar, PDFs.

`artifact_files` gives the text of each download; `write_artifacts` brings a site copy up
to date with them and with the published PDFs (and their old addresses), thumbnails and
supplementary files, rewriting only what changed (a manifest in the site remembers what
each file was made from).
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Set as AbstractSet
from pathlib import Path

from enlsp_proceedings import paths
from enlsp_proceedings.outputs import cite, ics
from enlsp_proceedings.outputs.volume import PAPERS_SCHEMA, SCHEMA_FILE, Volume
from enlsp_proceedings.util.files import copy_atomically, write_if_changed


def artifact_files(volume: Volume, skip: AbstractSet[str] = frozenset(), site: Path | None = None) -> dict[str, str]:
    """site path -> text of every generated download (BibTeX, RIS, JSON, iCalendar), except paths in ``skip``.

    A skipped paper's ``.bib`` in ``site`` is up to date, so the volume's BibTeX reuses its entry.
    """
    entries: dict[str, str] = {}
    for paper in volume.proc.papers:
        path = paths.paper_file(paper.id, "bib")
        if path in skip and site is not None:
            with contextlib.suppress(OSError, UnicodeDecodeError):
                entries[paper.id] = cite.without_preamble((site / path).read_text(encoding="utf-8").strip())
        if paper.id not in entries:
            entries[paper.id] = cite.without_preamble(volume.paper_bibtex(paper).strip())
    files = {
        paths.PROCEEDINGS_BIB: volume.volume_bibtex(entries),
        paths.PAPERS_JSON: json.dumps(volume.papers_json(), ensure_ascii=False, indent=2) + "\n",
        PAPERS_SCHEMA: SCHEMA_FILE.read_text(encoding="utf-8"),
    }
    for paper in volume.proc.papers:
        if paths.paper_file(paper.id, "bib") not in skip:
            files[paths.paper_file(paper.id, "bib")] = cite.join_bibtex([entries[paper.id]])
        if paths.paper_file(paper.id, "ris") not in skip:
            files[paths.paper_file(paper.id, "ris")] = volume.paper_ris(paper)
        if paths.paper_file(paper.id, "csl.json") not in skip:
            files[paths.paper_file(paper.id, "csl.json")] = csl_json([volume.paper_csl(paper)])
    files[paths.PROCEEDINGS_CSL] = csl_json(volume.volume_csl())
    # every paper's RIS record in one file (Zotero, EndNote, Mendeley import a file of many records)
    files[paths.PROCEEDINGS_RIS] = "".join(files.get(paths.paper_file(p.id, "ris")) or _read_back(site, paths.paper_file(p.id, "ris"))
                                           or volume.paper_ris(p) for p in volume.proc.papers)
    for keynote in volume.proc.keynotes:
        files[paths.keynote_file(keynote.id, "bib")] = volume.keynote_bibtex(keynote)
        files[paths.keynote_file(keynote.id, "csl.json")] = csl_json([volume.keynote_csl(keynote)])
    if volume.proc.schedule:
        files[paths.SCHEDULE_ICS] = ics.schedule_ics(volume)
        files.update(ics.talk_ics_files(volume))
    return files


def _read_back(site: Path | None, path: str) -> str | None:
    """A download this site copy already holds (and which is up to date), or None."""
    if site is None:
        return None
    try:
        return (site / path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def csl_json(items: list[dict]) -> str:
    """A CSL-JSON file: a list of items (Zotero, Pandoc ``--bibliography``, citeproc)."""
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"


MANIFEST = ".enlsp-artifacts.json"


def write_artifacts(volume: Volume, out_dir: Path, pdf_sources: dict[str, Path], thumb_sources: dict[str, Path] | None = None,
                    page_keys: dict[str, str] | None = None, supplement_sources: dict[str, Path] | None = None) -> None:
    """Write downloads, published PDFs, supplementary files (each also at its older addresses) and
    thumbnails into the site; remove ones no longer wanted.

    ``page_keys`` maps a paper id to a key of everything its page shows (a superset of
    what its .bib and .ris contain); a paper whose key is unchanged since this site
    copy was last built keeps its files without regenerating them.
    """
    manifest_path = out_dir / MANIFEST
    try:
        previous = json.loads(manifest_path.read_text())
    except (OSError, ValueError):
        previous = {}
    current: dict[str, str] = {}
    keys = {paths.paper_file(pid, ext): f"text:{key}" for pid, key in (page_keys or {}).items() for ext in ("bib", "ris", "csl.json")}
    unchanged = {path for path, key in keys.items() if previous.get(path) == key and (out_dir / path).is_file()}
    for site_path, content in artifact_files(volume, unchanged, out_dir).items():
        write_if_changed(out_dir / site_path, content)
        current[site_path] = keys.get(site_path, "text")
    for site_path in unchanged:
        current[site_path] = keys[site_path]

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


