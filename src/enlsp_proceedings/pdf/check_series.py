"""``check`` on a series (``conf/series.yaml`` and one folder per edition): every edition, or the
ones ``--edition`` names, checked as a single workshop is (`check.run_check`, its PDFs in
``<papers>/<edition id>/``), and the people across editions (`model.series_people`): likely
variants of one name across years, ORCID merges and splits, conflicting aliases.

Every problem names its edition (text: ``[2023] warning: ...``; JSON: ``edition``); problems across
editions name theirs (``[2031, 2032]``; JSON: ``editions``). Read-only, like `check`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from enlsp_proceedings.errors import UserError
from enlsp_proceedings.model.codes import Code, Level, code_named
from enlsp_proceedings.model.load import ConfError, load_proceedings
from enlsp_proceedings.model.schema import Proceedings
from enlsp_proceedings.model.series import EDITION_ID, edition_dirs, load_series
from enlsp_proceedings.model.series_people import SeriesPeople, read_series_people
from enlsp_proceedings.pdf.check import CheckReport, _problem_lines, format_text, problem_json, run_check
from enlsp_proceedings.pdf.facts import PdfProblem

#: Version of ``check --format json`` on a series: version 2's fields, and ``editions`` (the ids
#: checked), ``edition`` on every paper and problem of one edition, ``editions`` (a list) on every
#: problem across editions (whose ``edition`` is null). A single workshop's report stays version 2.
CHECK_SERIES_JSON_VERSION = 3


class UnknownEditionError(UserError, ValueError):
    """``--edition`` names no edition of the series (the message lists them)."""


@dataclass
class SeriesCheckReport:
    """The check of a series: each edition's report (oldest first) and the problems across editions."""

    editions: list[tuple[str, CheckReport]]
    general: list[tuple[PdfProblem, tuple[str, ...]]] = field(default_factory=list)

    def count(self, level: Level) -> int:
        """The number of problems of this level ("error", "warning" or "note"), every edition's and across them."""
        return sum(report.count(level) for _eid, report in self.editions) + sum(p.level == level for p, _eds in self.general)

    def as_json(self) -> dict:
        """This report as ``check --format json`` prints it (`CHECK_SERIES_JSON_VERSION`)."""
        papers = [{**paper.as_json(), "edition": eid} for eid, report in self.editions for paper in report.papers]
        problems = [{**problem_json(p), "edition": eid} for eid, report in self.editions for p in report.general]
        problems += [{**problem_json(p), "edition": None, "editions": list(eds)} for p, eds in self.general]
        return {"version": CHECK_SERIES_JSON_VERSION, "editions": [eid for eid, _ in self.editions], "papers": papers,
                "problems": problems, "errors": self.count(Level.ERROR), "warnings": self.count(Level.WARNING),
                "notes": self.count(Level.NOTE),
                "not_on_site": [{**m._asdict(), "edition": eid} for eid, report in self.editions for m in report.not_on_site]}


def _editions(conf_dir: Path) -> tuple[list[tuple[str, Path, Proceedings | None]], list[PdfProblem]]:
    """Every edition folder (id, folder, its volume or None when it cannot be read), oldest first as
    `load_series` orders them, and the problems of the series' own files (not an edition's: its
    own check reports those)."""
    problems: list[PdfProblem] = []
    dirs = edition_dirs(conf_dir)
    try:
        load_series(conf_dir)
    except ConfError as exc:
        inside = [d.resolve() for d in dirs if EDITION_ID.fullmatch(d.name)]
        for problem in exc.problems:
            path = Path(problem.file).resolve()
            if not any(path == d or d in path.parents for d in inside):
                problems.append(PdfProblem.of(code_named(problem.code), str(problem), Level.ERROR))
    found: list[tuple[str, Path, Proceedings | None]] = []
    for folder in dirs:
        if not EDITION_ID.fullmatch(folder.name):
            continue  # reported above
        try:
            proc: Proceedings | None = load_proceedings(folder)
        except ConfError as exc:
            proc = exc.partial
        found.append((folder.name, folder, proc))
    found.sort(key=lambda e: (e[2].workshop.date.isoformat() if e[2] is not None else "", e[0]))
    return found, problems


def run_series_check(conf_dir: Path, papers_dir: Path, cache_dir: Path, editions: list[str] | None = None,
                     only: str | None = None, quiet: bool = False) -> SeriesCheckReport:
    """Check the editions (all, or those named: `UnknownEditionError` otherwise), each against its PDFs in
    ``papers_dir/<edition id>``, and the people across all editions. ``only``: one paper id, checked
    in every chosen edition that has it."""
    conf_dir, papers_dir = Path(conf_dir), Path(papers_dir)
    found, general = _editions(conf_dir)
    ids = [eid for eid, _folder, _proc in found]
    unknown = [e for e in editions or [] if e not in ids]
    if unknown:
        raise UnknownEditionError(f"no edition {', '.join(map(repr, unknown))} in {conf_dir}; the series' editions are: "
                             f"{', '.join(ids) if ids else 'none'}")
    chosen = [e for e in ids if editions is None or e in editions]
    series_people, people_problems = read_series_people(conf_dir)
    people = SeriesPeople([(eid, proc) for eid, _folder, proc in found if proc is not None], series_people)
    reports: list[tuple[str, CheckReport]] = []
    for eid, folder, proc in found:
        if eid not in chosen:
            continue
        if only is not None and proc is not None and only not in {p.id for p in proc.papers}:
            continue  # the paper is another edition's
        settled = (lambda a, b, eid=eid: people.same_person(eid, a, b) or people.declared_distinct(a, b)) if proc is not None else None
        reports.append((eid, run_check(folder, papers_dir / eid, cache_dir, only, quiet, settled)))
    if only is not None and not reports:
        general.append(PdfProblem.of(Code.UNKNOWN_PAPER, f"no paper with id {only!r} in edition(s) {', '.join(chosen)} of {conf_dir}"))
    across: list[tuple[PdfProblem, tuple[str, ...]]] = [(p, ()) for p in general]
    across += [(PdfProblem.of(code_named(p.code), str(p), Level.ERROR), ()) for p in people_problems]
    if only is None:
        across += people_problems_across(people, conf_dir, set(chosen), cache_dir)
    return SeriesCheckReport(reports, across)


def people_problems_across(people: SeriesPeople, conf_dir: Path, chosen: set[str], cache_dir: Path | None = None) -> list[tuple[PdfProblem, tuple[str, ...]]]:
    """What `SeriesPeople` finds across editions that concerns the chosen editions: likely variants
    of one person across years (``person-variant-across-editions``), and its issues (ORCID merges and
    splits, entries an ORCID iD cannot place, aliases in conflict)."""
    people_file = Path(conf_dir) / "people.yaml"
    found = []
    for v in people.likely_variants(cache_dir):
        editions = tuple(dict.fromkeys(v.a_editions + v.b_editions))
        if not set(editions) & chosen:
            continue
        message = (f"{v.a!r} ({', '.join(v.a_editions)}) and {v.b!r} ({', '.join(v.b_editions)}) may be one person ({v.reason}); "
                   f"if so, list one as a variant of the other under 'aliases' in {people_file} (or give both their orcid); "
                   f"if not, list both in a 'distinct' group there")
        found.append((PdfProblem.of(Code.PERSON_VARIANT_ACROSS_EDITIONS, message), editions))
    for issue in people.issues:
        if not issue.editions or set(issue.editions) & chosen:
            found.append((PdfProblem(issue.level, issue.code, issue.message.replace("the series' people.yaml", str(people_file))),
                          issue.editions))
    return found


def format_series_text(report: SeriesCheckReport, conf_dir: Path, papers_dir: Path) -> str:
    """Each edition's table (`check.format_text`, every problem line naming the edition), then the
    problems across editions, then one summary line."""
    blocks = []
    for eid, edition_report in report.editions:
        blocks.append(f"edition {eid} ({Path(conf_dir) / eid}, {Path(papers_dir) / eid})\n" + format_text(edition_report, eid))
    if report.general:
        lines = ["across editions:"]
        for problem, editions in report.general:
            lines += _problem_lines(problem, ", ".join(editions) if editions else "series")
        blocks.append("\n".join(lines))
    ready = sum(r.status != Level.ERROR for _eid, e in report.editions for r in e.papers)
    total = sum(len(e.papers) for _eid, e in report.editions)
    notes = report.count(Level.NOTE)
    blocks.append(f"series: {len(report.editions)} edition(s) checked; {ready} of {total} paper(s) ready; "
                  f"{report.count(Level.ERROR)} error(s), {report.count(Level.WARNING)} warning(s)" + (f", {notes} note(s)" if notes else ""))
    return "\n\n".join(blocks)
