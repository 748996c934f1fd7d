"""Import accepted papers from a review system (Microsoft CMT, OpenReview) into papers.yaml.

The export is the source of truth only for what it carries: title, abstract and the
author list (names, affiliations). Everything organizers add by hand (presentation,
track, links, pdf, award, errata, an author's ORCID or URL, comments) is kept: the file
is edited in place with ruamel.yaml's round-trip mode, so comments and layout survive.

Ids of new papers are ``cmt-<Paper ID>`` / ``openreview-<forum id>``: stable across
re-imports, unlike a slug of the title (titles change at camera-ready time). New entries
also get ``review_id: cmt:<Paper ID>``; an existing entry is matched by that, then by id,
then by its OpenReview link, then by its title, so an organizer may rename ``cmt-42`` to
``fast-distilbert`` and still re-import.

Only the ``--out`` file is written (atomically); nothing else in conf/ or papers/.

The steps, one module each: `tables` reads the export's rows, `cmt` and `openreview` turn
them into `records.Imported` papers, this module maps their tracks onto the declared ones
(`map_tracks`), and `papers_yaml` merges them into the file and writes it (`run_import`).
"""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from enlsp_proceedings.importers.cmt import read_cmt_export
from enlsp_proceedings.importers.openreview import read_openreview
from enlsp_proceedings.importers.papers_yaml import merge, validate, write_yaml
from enlsp_proceedings.importers.records import ExportError, Imported, ImportReport
from enlsp_proceedings.importers.tables import MAX_EXPORT_BYTES, human_size
from enlsp_proceedings.model.load import Problem, read_conf_yaml
from enlsp_proceedings.model.schema import DEFAULT_TRACKS, Track
from enlsp_proceedings.util.text import compact


def declared_tracks(conf_dir: Path) -> list[Track]:
    """The tracks conf/workshop.yaml declares (beside the papers.yaml written), else the default one."""
    path = conf_dir / "workshop.yaml"
    problems: list[Problem] = []
    data = read_conf_yaml(path, problems) if path.is_file() else None  # as the loader reads it (YAML 1.1, aliases bounded)
    raw = data.get("tracks") if isinstance(data, dict) else None
    try:
        tracks = [Track.model_validate(item) for item in raw] if isinstance(raw, list) and not problems else []
    except ValidationError as exc:
        problems.append(Problem(str(path), None, "tracks", str(exc.errors()[0]["msg"])))
    if problems:  # a broken workshop.yaml: `check` lists every problem
        raise ExportError(f"{problems[0]}; cannot read its tracks, run `enlsp-proceedings check`")
    return tracks or list(DEFAULT_TRACKS)


def map_tracks(imported: list[Imported], tracks: list[Track], workshop_file: Path) -> None:
    """Replace each export track name by the id of the declared track of that name (case, accents and
    punctuation ignored; the id itself works too). A name no track has is an error, never a guess."""
    by_key: dict[str, str] = {}
    for track in tracks:
        by_key.setdefault(compact(track.name), track.id)
        by_key.setdefault(compact(track.id), track.id)
    unknown: dict[str, list[str]] = {}
    for paper in imported:
        if paper.track:
            mapped = by_key.get(compact(paper.track))
            if mapped is None:
                unknown.setdefault(paper.track, []).append(paper.source_id)
            paper.track = mapped
    if unknown:
        names = "; ".join(f"{name!r} (paper{'s' if len(ids) > 1 else ''} {', '.join(ids[:5])}{', ...' if len(ids) > 5 else ''})"
                          for name, ids in unknown.items())
        declared = ", ".join(f"{t.id} ({t.name!r})" for t in tracks)
        raise ExportError(f"the export names track(s) that {workshop_file} does not declare: {names}. Declared: {declared}. "
                          "Add each as {id, name} under tracks: (its name as in the export), then import again; nothing was written")


def run_import(kind: str, export: Path, out: Path, dry_run: bool = False, author_separator: str | None = None) -> tuple[ImportReport, bool]:
    """Read an export, merge into ``out``; returns (report, written). Raises ExportError. ``author_separator``
    (CMT exports and data files: ``;``, ``,`` or ``and``) says how the author lists are written when the
    file alone does not."""
    if not export.is_file():
        raise ExportError(f"{export}: no such file")
    size = export.stat().st_size
    if size > MAX_EXPORT_BYTES:
        raise ExportError(f"{export}: the file is {human_size(size)}, more than the {human_size(MAX_EXPORT_BYTES)} an export may have; "
                          "export only the accepted papers")
    notes: list[str] = []
    if kind == "cmt":
        reading = read_cmt_export(export, author_separator)
        imported, skipped, notes = reading.papers, reading.skipped, reading.notes
    else:
        imported, skipped = read_openreview(export)
    if not imported:
        raise ExportError(f"{export}: no accepted papers found" + (f" ({len(skipped)} row(s) skipped)" if skipped else ""))
    tracks = declared_tracks(out.parent)
    map_tracks(imported, tracks, out.parent / "workshop.yaml")
    doc, report = merge(out, imported, skipped, tracks[0].id)
    report.notes[:0] = notes
    touched = report.added + list(report.updated)
    problems = validate(doc, touched)
    if problems:
        raise ExportError(f"not writing {out}; the imported entries would be invalid:\n  " + "\n  ".join(problems))
    written = bool(touched) and not dry_run
    if written:
        write_yaml(out, doc)
    return report, written
