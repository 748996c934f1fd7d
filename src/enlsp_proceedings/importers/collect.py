"""Collect camera-ready PDFs from a review system's download folder into papers/.

CMT's bulk download puts each paper's files in a folder named by its Paper ID
(``CameraReady/42/final.pdf``); loose files named ``42.pdf``, ``Paper42.pdf`` or
``42_camera_ready.pdf`` work too. Paper ID 42 is the paper with ``review_id: cmt:42`` or
id ``cmt-42`` (what ``import-cmt`` writes) or, with ``--export``, the paper whose title the
CMT export gives for 42.

This is the one command that writes into papers/ (its purpose), and it never replaces a
different existing file unless ``--force`` is given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from enlsp_proceedings.importers.cmt import read_cmt
from enlsp_proceedings.model.load import ConfError, load_proceedings
from enlsp_proceedings.model.schema import Paper
from enlsp_proceedings.pdf.cache import file_sha256
from enlsp_proceedings.util.files import copy_atomically
from enlsp_proceedings.util.text import fold

_SUPPLEMENT = re.compile(r"supp|appendix|supplement|poster|slides", re.I)


@dataclass
class CollectReport:
    """What ``collect`` did: one line per file, the number copied and the problems to decide."""

    lines: list[str] = field(default_factory=list)
    copied: int = 0
    problems: int = 0  # conflicts and ambiguities: the organizer must decide

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


def collect(download: Path, conf_dir: Path, papers_dir: Path, export: Path | None = None,
            force: bool = False, dry_run: bool = False) -> CollectReport:
    """Copy each paper's camera-ready into papers/<pdf name>; raises ConfError/ValueError for bad input."""
    if not download.is_dir():
        raise ValueError(f"{download} is not a directory")
    try:
        proc = load_proceedings(conf_dir)
    except ConfError as exc:
        if exc.partial is None:
            raise
        proc = exc.partial
    by_number: dict[str, Paper] = {}
    for paper in proc.papers:
        match = re.fullmatch(r"(?:cmt-)?(\d+)", paper.id)
        if match:
            by_number.setdefault(str(int(match[1])), paper)
    for paper in proc.papers:  # review_id (set by import-cmt) wins over an id that looks like a number
        if paper.review_id and paper.review_id.startswith("cmt:") and paper.review_id[4:].isdigit():
            by_number[str(int(paper.review_id[4:]))] = paper
    if export is not None:
        by_title = {fold(" ".join(p.title.split())): p for p in proc.papers}
        for item in read_cmt(export)[0]:
            titled = by_title.get(fold(item.title))
            if titled is not None:
                by_number.setdefault(item.source_id, titled)

    found: dict[str, list[Path]] = {}
    report = CollectReport()
    for path in sorted(download.rglob("*")):
        if not path.is_file() or path.suffix.lower() != ".pdf":
            continue
        number = paper_number(path, download)
        if number is None or number not in by_number:
            report.add("unmatched", f"{path.relative_to(download)}" + (f" (Paper ID {number}: no such paper in {conf_dir})" if number else " (no Paper ID in its folder or name)"))
            continue
        found.setdefault(number, []).append(path)

    for number, paper in by_number.items():
        if number not in found:
            continue
        candidates = found[number]
        if len(candidates) > 1:
            main = [p for p in candidates if not _SUPPLEMENT.search(p.name)]
            candidates = main if main else candidates
        if len(candidates) != 1:
            names = ", ".join(str(p.relative_to(download)) for p in candidates)
            report.add("ambiguous", f"{paper.id}: several PDFs ({names}); copy the right one by hand", problem=True)
            continue
        source = candidates[0]
        target = papers_dir / paper.pdf_name
        shown = f"{source.relative_to(download)} -> {target}"
        if target.is_file():
            if file_sha256(target) == file_sha256(source):
                report.add("same", shown)
                continue
            if not force:
                report.add("kept", f"{target} differs from {source.relative_to(download)}; use --force to replace it", problem=True)
                continue
            if not dry_run:
                copy_atomically(source, target)
            report.add("replaced", shown)
            report.copied += 1
            continue
        if not dry_run:
            copy_atomically(source, target)
        report.add("copied", shown)
        report.copied += 1
    for paper in proc.papers:
        number = next((n for n, p in by_number.items() if p is paper), None)
        if number is None or number not in found:
            if not (papers_dir / paper.pdf_name).exists():
                report.add("missing", f"{paper.id}: no PDF in {download}")
    verb = "would copy" if dry_run else "copied"
    report.lines.append(f"{verb} {report.copied} PDF(s) into {papers_dir}; run `enlsp-proceedings check` next")
    return report
