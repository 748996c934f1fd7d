"""Collect camera-ready PDFs and supplementary material from a download folder into papers/.

CMT's bulk download puts each paper's files in a folder named by its Paper ID
(``CameraReady/42/final.pdf``); loose files named ``42.pdf``, ``Paper42.pdf``,
``paper_42.pdf`` or ``42_camera_ready.pdf`` work too. Paper ID 42 is the paper with
``review_id: cmt:42`` or id ``cmt-42`` (what ``import-cmt`` writes) or, with ``--export``, the
paper whose title the CMT export gives for 42.

Each file is sorted by its name and folders (`kind_of`): supplementary material
(``paper_42_supp.pdf``, ``Supplementary/42/x.zip``, ``42-appendix.pdf``; any ZIP) is never
taken for the paper: it is copied to the paper's ``supplementary`` file (``<id>-supplementary.<ext>``
when papers.yaml names none yet, which is then written into papers.yaml); posters and slides
are listed and left alone. Only regular files inside the download folder are read: a symbolic
link that leads out of it (to ``/etc/shadow``, say) is refused, never copied.

This is the one command that writes into papers/ (its purpose), and it never replaces a
different existing file unless ``--force`` is given. Copies are atomic; one killed midway
leaves a hidden ``.tmp-*`` file, which the next ``collect`` removes (two collects into one
papers/ folder never run at once: a lock keeps them apart) and ``check`` reports.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import stat
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Literal

from enlsp_proceedings.importers.cmt import read_cmt_export
from enlsp_proceedings.importers.papers_yaml import set_fields
from enlsp_proceedings.model.load import ConfError, load_proceedings
from enlsp_proceedings.model.schema import SUPPLEMENTARY_TYPES, Paper
from enlsp_proceedings.pdf.cache import file_sha256
from enlsp_proceedings.util.files import copy_atomically, partial_copies, try_lock
from enlsp_proceedings.util.text import fold

#: Words of a file or folder name that make it supplementary material, never the paper.
SUPPLEMENT_WORDS = {"supp", "suppl", "supplement", "supplements", "supplementary", "supplemental", "appendix", "appendices"}
#: Words that make it other material of the talk, neither the paper nor supplementary material.
OTHER_WORDS = {"poster", "posters", "slide", "slides"}

Kind = Literal["paper", "supplementary", "other"]


def _words(name: str) -> set[str]:
    """The lower-cased words of a file or folder name, split at punctuation, digits and camel case
    (``paper_56_supp`` -> paper, supp; ``SuppMaterial`` -> supp, material)."""
    return {w.lower() for w in re.findall(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])", name)}


def kind_of(relative: Path) -> Kind:
    """What a downloaded file is, from its name and the folders it is in (relative to the
    download folder): the camera-ready, supplementary material or other material."""
    words = _words(relative.stem).union(*(_words(part) for part in relative.parts[:-1]))
    if words & SUPPLEMENT_WORDS or relative.suffix.lower() == ".zip":
        return "supplementary"
    if words & OTHER_WORDS:
        return "other"
    return "paper"


@dataclass
class CollectReport:
    """What ``collect`` did: one line per file, the number copied and the problems to decide."""

    lines: list[str] = field(default_factory=list)
    copied: int = 0
    problems: int = 0  # conflicts, ambiguities and refused files: the organizer must decide

    def add(self, what: str, text: str, problem: bool = False) -> None:
        """Add one line to the report (the file name made printable)."""
        from enlsp_proceedings.pdf.check import printable  # downloaded file names may hold anything

        self.lines.append(f"{what:<10}{printable(text)}")
        self.problems += problem


def paper_number(path: Path, root: Path) -> str | None:
    """The review-system Paper ID a downloaded file belongs to, from its folder or name."""
    for part in reversed(path.relative_to(root).parts[:-1]):
        match = re.fullmatch(r"(?:paper[ _-]?)?(\d+)", part, flags=re.I)
        if match:
            return str(int(match[1]))
    match = re.match(r"^(?:paper[ _-]?)?(\d+)(?:[ _.-]|$)", path.stem, flags=re.I)
    return str(int(match[1])) if match else None


@dataclass(frozen=True)
class Download:
    """One regular file of the download folder that may be collected."""

    path: Path  # as found (inside the download folder)
    real: Path  # where it really is (the same, unless ``path`` is a link inside the folder)
    relative: Path
    kind: Kind


def _downloads(download: Path, report: CollectReport) -> Iterator[Download]:
    """Every PDF and ZIP of the download folder, without following links out of it: a link to a
    file outside is refused (reported), a linked folder is not entered, and only regular files
    (not devices or pipes) are read."""
    root = Path(os.path.realpath(download))
    for folder, dirs, files in os.walk(download, followlinks=False):
        dirs.sort()
        for name in dirs:
            if os.path.islink(os.path.join(folder, name)):
                report.add("skipped", f"{Path(folder, name).relative_to(download)}/ (a linked folder: not entered)")
        for name in sorted(files):
            path = Path(folder, name)
            relative = path.relative_to(download)
            if path.suffix.lower() not in SUPPLEMENTARY_TYPES:
                continue
            real = Path(os.path.realpath(path))
            if real != root and root not in real.parents:
                report.add("refused", f"{relative}: a link to a file outside {download}; copy the file itself if it is right", problem=True)
                continue
            try:
                mode = os.stat(real).st_mode
            except OSError as exc:
                report.add("refused", f"{relative}: cannot be read ({exc.strerror or exc})", problem=True)
                continue
            if not stat.S_ISREG(mode):
                report.add("refused", f"{relative}: not a regular file", problem=True)
                continue
            yield Download(path, real, relative, kind_of(relative))


@contextlib.contextmanager
def _open_regular(item: Download) -> Iterator[BinaryIO]:
    """The file opened for reading without following a link at its last step, checked to be the
    regular file that was listed (a link swapped in after the listing is refused)."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(item.real, flags)
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(f"{item.relative} is not a regular file")
        yield fh


@contextlib.contextmanager
def _papers_lock(papers_dir: Path) -> Iterator[None]:
    """Keep two collects into one papers folder apart (the lock lives in the temporary folder,
    not in papers/): under it, a temporary copy in papers/ is a leftover of a killed collect."""
    key = hashlib.sha256(os.path.realpath(papers_dir).encode("utf-8", "surrogateescape")).hexdigest()[:16]
    with open(Path(tempfile.gettempdir()) / f"enlsp-collect-{key}.lock", "w") as fh:
        if not try_lock(fh):
            raise ValueError(f"another collect is writing into {papers_dir}; wait for it to finish")
        yield


def _remove_leftovers(papers_dir: Path, report: CollectReport, dry_run: bool) -> None:
    """Remove the partial copies a killed collect left in papers/ (only called under the lock)."""
    if not papers_dir.is_dir():
        return
    for leftover in partial_copies(papers_dir):
        size = leftover.stat().st_size
        if not dry_run:
            leftover.unlink(missing_ok=True)
        report.add("removed" if not dry_run else "leftover",
                   f"{leftover} ({size / 2**20:.1f} MB): a partial copy left by an interrupted collect")


def _numbers(proc_papers: list[Paper], export: Path | None, separator: str | None = None) -> dict[str, Paper]:
    """Paper ID -> paper: ``review_id: cmt:<n>`` first, then ids ``cmt-<n>``/``<n>``, then the export's titles
    (the export read as ``import-cmt`` reads it, authors separated by ``separator`` where it says so)."""
    by_number: dict[str, Paper] = {}
    for paper in proc_papers:
        match = re.fullmatch(r"(?:cmt-)?(\d+)", paper.id)
        if match:
            by_number.setdefault(str(int(match[1])), paper)
    for paper in proc_papers:  # review_id (set by import-cmt) wins over an id that looks like a number
        if paper.review_id and paper.review_id.startswith("cmt:") and paper.review_id[4:].isdigit():
            by_number[str(int(paper.review_id[4:]))] = paper
    if export is not None:
        by_title = {fold(" ".join(p.title.split())): p for p in proc_papers}
        for item in read_cmt_export(export, separator).papers:
            titled = by_title.get(fold(item.title))
            if titled is not None:
                by_number.setdefault(item.source_id, titled)
    return by_number


def collect(download: Path, conf_dir: Path, papers_dir: Path, export: Path | None = None,
            force: bool = False, dry_run: bool = False, separator: str | None = None) -> CollectReport:
    """Copy each paper's camera-ready into papers/<pdf name> and its supplementary material into
    papers/<supplementary name>; raises ConfError/ValueError for bad input, ExportError for an
    export that cannot be read (one that can be read two ways names ``--author-separator``)."""
    if not download.is_dir():
        raise ValueError(f"{download} is not a directory")
    try:
        proc = load_proceedings(conf_dir)
    except ConfError as exc:
        if exc.partial is None:
            raise
        proc = exc.partial
    by_number = _numbers(proc.papers, export, separator)
    report = CollectReport()
    found: dict[str, list[Download]] = {}
    for item in _downloads(download, report):
        number = paper_number(item.path, download)
        if number is None or number not in by_number:
            report.add("unmatched", f"{item.relative}" + (f" (Paper ID {number}: no such paper in {conf_dir})" if number else " (no Paper ID in its folder or name)"))
            continue
        found.setdefault(number, []).append(item)

    with contextlib.nullcontext() if dry_run else _papers_lock(papers_dir):
        _remove_leftovers(papers_dir, report, dry_run)
        new_supplements: dict[str, tuple[str, Path]] = {}  # paper id -> (its new supplementary name, from)
        collected: set[str] = set()
        for number, paper in by_number.items():
            items = found.get(number, [])
            if items:
                collected.add(paper.id)
                _collect_paper(paper, items, download, papers_dir, report, force, dry_run, new_supplements)
        for paper in proc.papers:
            if paper.id not in collected and not (papers_dir / paper.pdf_name).exists():
                report.add("missing", f"{paper.id}: no PDF in {download}")
        if new_supplements:
            target = conf_dir / "papers.yaml"
            if not dry_run:
                set_fields(target, {ident: {"supplementary": name} for ident, (name, _) in new_supplements.items()},
                           {ident: f"source: collected from {source.as_posix()}" for ident, (_, source) in new_supplements.items()})
            report.add("would set" if dry_run else "set", f"supplementary: in {target} for {len(new_supplements)} paper(s): {', '.join(new_supplements)}")
    verb = "would copy" if dry_run else "copied"
    report.lines.append(f"{verb} {report.copied} file(s) into {papers_dir}; run `enlsp-proceedings check` next")
    return report


def _collect_paper(paper: Paper, items: list[Download], download: Path, papers_dir: Path, report: CollectReport,
                   force: bool, dry_run: bool, new_supplements: dict[str, tuple[str, Path]]) -> None:
    """Copy one paper's camera-ready and supplementary file (noting in ``new_supplements`` a
    supplementary name papers.yaml must be given); posters and slides are listed only."""
    for item in items:
        if item.kind == "other":
            report.add("skipped", f"{item.relative}: poster or slides of {paper.id}, not collected")
    mains = [i for i in items if i.kind == "paper"]
    supplements = [i for i in items if i.kind == "supplementary"]
    if len(mains) > 1:
        names = ", ".join(str(i.relative) for i in mains)
        report.add("ambiguous", f"{paper.id}: several PDFs ({names}); copy the right one by hand", problem=True)
    elif mains:
        _copy(mains[0], papers_dir / paper.pdf_name, report, force, dry_run)
    elif not (papers_dir / paper.pdf_name).exists():
        also = f" (only supplementary material: {', '.join(str(i.relative) for i in supplements)})" if supplements else ""
        report.add("missing", f"{paper.id}: no camera-ready in {download}{also}")
    if len(supplements) > 1:
        names = ", ".join(str(i.relative) for i in supplements)
        report.add("ambiguous", f"{paper.id}: several supplementary files ({names}); copy the right one by hand", problem=True)
    elif supplements:
        item = supplements[0]
        ext = item.path.suffix.lower()
        name = paper.supplementary or f"{paper.id}-supplementary{ext}"
        if not name.lower().endswith(ext):
            report.add("kept", f"{paper.id}: papers.yaml names supplementary {name!r}, the download has {item.relative}; "
                               "change `supplementary:` or copy it by hand", problem=True)
        elif _copy(item, papers_dir / name, report, force, dry_run) and not paper.supplementary:
            new_supplements[paper.id] = (name, item.relative)


def _copy(item: Download, target: Path, report: CollectReport, force: bool, dry_run: bool) -> bool:
    """Copy one file to ``target`` unless an existing different file is there (without ``force``);
    True when ``target`` has (or, with ``dry_run``, would have) the file's content."""
    shown = f"{item.relative} -> {target}"
    if target.is_file():
        if file_sha256(target) == file_sha256(item.real):
            report.add("same", shown)
            return True
        if not force:
            report.add("kept", f"{target} differs from {item.relative}; use --force to replace it", problem=True)
            return False
        verb = "replaced"
    else:
        verb = "copied"
    if not dry_run:
        try:
            with _open_regular(item) as source:
                copy_atomically(source, target)
        except OSError as exc:
            report.add("refused", f"{item.relative}: {exc.strerror or exc}", problem=True)
            return False
    report.add(verb, shown)
    report.copied += 1
    return True
