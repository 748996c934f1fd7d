"""Import the program and the people from the files organizers already keep (`run_program_import`):
``enlsp-proceedings import-program``.

The steps, one module each: `program_read` reads the inputs (a Jekyll ``_data`` folder or its files,
or a spreadsheet) with the line of every fact, `program_text` holds the text rules (HTML fragments,
12-hour times, "Name (Affiliation)"), `program_map` maps the program onto conf/ (papers by title or
number, keynotes, the panel, poster sessions, event kinds) and `program_write` writes
``keynotes.yaml``, ``schedule.yaml``, ``panel.yaml`` and ``people.yaml``'s organizers and technical
committee, never over an organizer's edits without ``--force``.

An error (a paper no title matches, a time no rule settles, a file edited since the last import)
stops the import: nothing is written, and every problem is listed at once with its file and line.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from enlsp_proceedings.importers.papers_yaml import set_fields
from enlsp_proceedings.importers.program_map import Program, build_program, find_inputs, read_conf
from enlsp_proceedings.importers.program_text import Issues, Where
from enlsp_proceedings.importers.program_write import Planned, documents, plan, write_all
from enlsp_proceedings.model.codes import Level


@dataclass
class ProgramReport:
    """What one import mapped, found and did; `format` is what the command prints."""

    program: Program
    issues: Issues
    planned: list[Planned]
    written: list[Path]
    dry_run: bool

    @property
    def failed(self) -> bool:
        """Whether the import stopped on an error (nothing was written)."""
        return self.issues.count(Level.ERROR) > 0

    def format(self) -> str:
        """The report: the slots as mapped, the notes, warnings and errors with file and line, and each file's fate."""
        lines = []
        if self.program.mapped:
            lines.append("program:")
            lines += [f"  {line}" for line in self.program.mapped]
        for level in (Level.NOTE, Level.WARNING, Level.ERROR):
            lines += [str(issue) for issue in self.issues.items if issue.level == level]
        verbs = {"new": "new      ", "updated": "updated  ", "unchanged": "unchanged", "refused": "refused  ", "forced": "replaced "}
        for item in self.planned:
            lines.append(f"{verbs[item.status]} {item.path}: {item.target.summary}")
            lines += [f"    - {change}" for change in item.changes[:200]]
            if len(item.changes) > 200:
                lines.append(f"    - ... and {len(item.changes) - 200} more")
        counts = (f"{self.issues.count(Level.ERROR)} error(s), {self.issues.count(Level.WARNING)} warning(s), "
                  f"{self.issues.count(Level.NOTE)} note(s)")
        if self.failed:
            lines.append(f"nothing written: {counts}")
        elif self.dry_run:
            todo = [p for p in self.planned if p.status in ("new", "updated", "forced")]
            lines.append(f"dry run: would write {len(todo)} file(s); {counts}")
        else:
            lines.append(f"wrote {len(self.written)} file(s); {counts}")
        return "\n".join(lines)


def run_program_import(paths: list[Path], conf_dir: Path, explicit: dict[str, Path | None] | None = None, *,
                       fix_times: bool = False, force: bool = False, dry_run: bool = False,
                       set_presentations: bool = False) -> ProgramReport:
    """Read the inputs, map them, and write conf/'s program files unless an error was found or it is a dry run;
    with ``set_presentations``, also the ``presentation`` of each paper whose talk slot names another kind
    than papers.yaml (a "Spotlight 3" slot: ``spotlight``), with a ``# source:`` comment naming the slot.
    Raises `records.ExportError` for inputs it cannot read at all (a missing file, unreadable YAML)."""
    inputs = find_inputs(paths, explicit or {})
    conf = read_conf(conf_dir)
    issues = Issues()
    program = build_program(inputs, conf, issues, fix_times, set_presentations)
    if program.schedule is not None and program.panel is None and (conf_dir / "panel.yaml").is_file():
        issues.add(Level.NOTE, Where(conf_dir / "panel.yaml"), "the schedule has no panel; this file is left as it is (delete it if the "
                   "workshop has no panel)")
    planned = plan(documents(program, conf), conf, force, issues)
    written: list[Path] = []
    if not issues.count(Level.ERROR) and not dry_run:
        written = write_all(planned)
        if set_presentations and program.presentations:
            papers_file = conf_dir / "papers.yaml"
            set_fields(papers_file, {ident: {"presentation": kind} for ident, (kind, _) in program.presentations.items()},
                       {ident: f"source: {where}" for ident, (_, where) in program.presentations.items()})
            written.append(papers_file)
    return ProgramReport(program, issues, planned, written, dry_run)
