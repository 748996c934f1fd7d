"""Command line: ``enlsp-proceedings build|check|import-cmt|import-openreview|import-program|collect``.

User mistakes (bad YAML, bad PDFs, a second concurrent build) print a message and exit
non-zero without a traceback; only bugs show tracebacks.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from pathlib import Path
from typing import NoReturn

from enlsp_proceedings import __version__, paths
from enlsp_proceedings.errors import UserError
from enlsp_proceedings.model.codes import NOT_WAIVABLE, Code, Level, Reported
from enlsp_proceedings.model.load import ConfError
from enlsp_proceedings.model.series import is_series
from enlsp_proceedings.publish.errors import BuildError
from enlsp_proceedings.publish.pipeline import BuildOptions, build_site
from enlsp_proceedings.publish.series import SeriesReport, build_series
from enlsp_proceedings.sphinxext.pages.common import count
from enlsp_proceedings.util.heap import kept_until_exit


def _common(parser: argparse.ArgumentParser, cache_default: str = ".enlsp-cache beside --out") -> None:
    parser.add_argument("--conf", type=Path, default=Path("conf"), help="workshop metadata directory (default: conf/)")
    parser.add_argument("--papers", type=Path, default=Path("papers"), help="camera-ready PDFs directory (default: papers/)")
    parser.add_argument("--cache", type=Path, default=None, help=f"cache directory (default: {cache_default})")


def make_parser() -> argparse.ArgumentParser:
    """The command line: build, check, codes, import-cmt, import-openreview, import-program, collect."""
    parser = argparse.ArgumentParser(prog="enlsp-proceedings", description="Build a workshop proceedings website from metadata and camera-ready PDFs.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    build = sub.add_parser("build", help="build the static site")
    _common(build)
    build.add_argument("--out", type=Path, default=Path("docs/_build/html"), help="site directory (default: docs/_build/html/)")
    build.add_argument("--docs", type=Path, default=Path("docs"), help="Sphinx project with conf.py and hand-written pages (default: docs/)")
    build.add_argument("--strict", action="store_true", help="fail on any PDF error or Sphinx warning (the published site is kept)")
    build.add_argument("-j", "--jobs", default="auto", help="parallel Sphinx processes (default: auto)")
    build.add_argument("-q", "--quiet", action="store_true", help="only print problems")

    check = sub.add_parser("check", help="check camera-ready PDFs against the metadata")
    _common(check, ".enlsp-cache beside --out, the same as build with that --out")
    check.add_argument("--paper", default=None, help="check only this paper id")
    check.add_argument("--edition", action="append", default=None, metavar="ID",
                       help="with a series (--conf holding series.yaml): check only this edition (repeatable; default: every edition)")
    check.add_argument("--format", choices=["text", "json"], default="text",
                       help="text for people (default), or json for tools: {version, papers: [{id, pdf, pages, content_pages, content_ends_at, "
                            "page_limit, problems}], problems, errors, warnings, notes}")
    check.add_argument("--out", type=Path, default=Path("docs/_build/html"),
                       help="the site `build --out` writes (default: docs/_build/html/): check reads and fills the same cache beside it")

    codes = sub.add_parser("codes", help="list every problem code check and build report: its level, whether it can be waived, what it means")
    codes.add_argument("--format", choices=["text", "json", "markdown"], default="text",
                       help="text for people (default), json for tools ([{code, level, waivable, meaning, instead}]), or a Markdown table")

    for name, what, formats in (("import-cmt", "a Microsoft CMT accepted-papers export (or the accepted list kept as data)", CMT_FORMATS),
                                ("import-openreview", "an OpenReview notes export (.json, API v1 or v2)", OPENREVIEW_FORMATS)):
        imp = sub.add_parser(name, help=f"merge {what} into papers.yaml", description=f"Merge {what} into papers.yaml. {formats}",
                             formatter_class=argparse.RawDescriptionHelpFormatter)
        imp.add_argument("export", type=Path, help=what)
        imp.add_argument("--out", type=Path, default=Path("conf/papers.yaml"), help="papers file to create or update (default: conf/papers.yaml)")
        imp.add_argument("--dry-run", action="store_true", help="show what would change, write nothing")
        if name == "import-cmt":
            _author_separator_argument(imp)

    _program_parser(sub)

    col = sub.add_parser("collect", help="copy camera-ready PDFs from a review-system download folder into papers/")
    col.add_argument("download", type=Path, help="folder with the downloaded files (e.g. CMT's CameraReady/<Paper ID>/...)")
    col.add_argument("--conf", type=Path, default=Path("conf"), help="workshop metadata directory (default: conf/)")
    col.add_argument("--papers", type=Path, default=Path("papers"), help="camera-ready PDFs directory (default: papers/)")
    col.add_argument("--export", type=Path, default=None, help="CMT export, to match Paper IDs to renamed papers by title")
    _author_separator_argument(col)
    col.add_argument("--force", action="store_true", help="replace existing PDFs that differ")
    col.add_argument("--dry-run", action="store_true", help="show what would be copied, copy nothing")
    return parser


def _author_separator_argument(parser: argparse.ArgumentParser) -> None:
    """``--author-separator``, which settles how a CMT export that can be read two ways separates authors."""
    parser.add_argument("--author-separator", choices=[";", ",", "and", "semicolon", "comma"], default=None, metavar="{';',',',and}",
                        help="how the author lists separate authors, when the export can be read two ways: "
                             "';' (CMT: 'Name (Affiliation)*; ...'), ',' (', ' and a final 'and'), or 'and' (BibTeX: "
                             "'Last, First and Last, First'); default: recognised from the whole file")


def _program_parser(sub) -> None:
    """``import-program``: the program and people from a Jekyll ``_data`` folder, its files, or a spreadsheet."""
    prog = sub.add_parser("import-program", help="write keynotes.yaml, schedule.yaml, panel.yaml and people.yaml from the organizers' files")
    prog.add_argument("sources", type=Path, nargs="*",
                      help="a Jekyll _data folder (or the site holding it), files named schedule.yml, speakers.yml, panelists.yml, "
                           "organizers.yml, technical_committee.yml, or a program spreadsheet (.csv, .tsv, .xlsx)")
    prog.add_argument("--conf", type=Path, default=Path("conf"), help="workshop metadata directory, read (workshop.yaml, papers.yaml) and written (default: conf/)")
    for role, what in (("schedule", "the schedule (Jekyll .yml, or a spreadsheet)"), ("speakers", "the keynote speakers"),
                       ("panelists", "the panelists"), ("organizers", "the organizers"), ("committee", "the technical committee")):
        prog.add_argument(f"--{role}", type=Path, default=None, help=f"{what}, whatever the file's name")
    prog.add_argument("--set-presentations", action="store_true",
                      help="set the presentation kind in papers.yaml of each paper the schedule presents otherwise (a 'Spotlight 3' slot: spotlight)")
    prog.add_argument("--fix-times", action="store_true",
                      help="read broken times by the documented rules (a missing AM/PM, a 12-hour slip) instead of stopping; each is reported")
    prog.add_argument("--force", action="store_true", help="replace files (or parts of people.yaml) edited since the last import")
    prog.add_argument("--dry-run", action="store_true", help="show what would be written, write nothing")


CMT_FORMATS = """
Formats (recognised by the file's name and content):
  .xlsx              CMT's "Export to Excel" workbook (the first sheet)
  .xls               CMT's XML Spreadsheet 2003, or tab-separated text named .xls
  .csv, .tsv         comma- or tab-separated text (UTF-8, UTF-16 or Windows-1252)
  .json, .yml, .yaml the accepted list kept as data (e.g. a Jekyll site's _data/accepted_papers.yml):
                     a list of mappings keyed by CMT's column names (id, title, abstract, authors, ...),
                     as JSON (trailing commas fine) or any YAML; LaTeX commands the escapes of either
                     format mangled (a tab for \\t in \\textit) are restored, and each repair is listed
Columns: Paper ID, Paper Title, Abstract, Author Names, Status (only accepts), Track Name.
Authors: 'Name (Affiliation)*; ...' (CMT, * = contact author), 'A, B and C', or 'Last, First and
Last, First', one form per file; footnote marks glued to names (Wu1, Lee*, Park†) are removed and
listed; an empty field or 'Anonymous' means the authors are unknown.
Entries with lock: [authors] (or title, abstract), or a '# source:' comment above a field or an
author, are kept as written."""

OPENREVIEW_FORMATS = """
Format: JSON, a list of notes or {"notes": [...]}, API v1 (plain values) or v2 ({"value": ...}); title,
abstract and authors (a list of names) are read; notes whose venue says rejected or withdrawn are skipped.
A value that is not text (a number, an object), NaN, 1e999 or a key given twice stops the import."""


def _error(message: str) -> None:
    print(f"error: {message}", file=sys.stderr)


def cmd_build(args: argparse.Namespace) -> int:
    """``enlsp-proceedings build``: build and publish the site; prints what changed and the problems."""
    opts = BuildOptions(
        conf_dir=args.conf, papers_dir=args.papers, out_dir=args.out, docs_dir=args.docs,
        cache_dir=args.cache, strict=args.strict, jobs=args.jobs, quiet=args.quiet,
    )
    try:
        if is_series(args.conf):
            args.cache_dir_resolved = opts.cache
            return _report_series(build_series(opts), args)
        report = build_site(opts)
    except ConfError as exc:
        for problem in exc.problems:
            _error(str(problem))
        _error(f"{len(exc.problems)} problem(s) in the metadata; nothing was built and {args.out} is unchanged")
        return 1
    except BuildError as exc:
        _error(f"{exc}; {args.out} is unchanged")
        return 1
    _print_warnings([("", report.warnings)], opts.cache)
    summary = report.summary  # the count the home page gives
    counts = summary.counts
    review = f", {counts.review_copies} of them the review copy" if counts.review_copies else ""
    # (the pages Sphinx read again are counted once, in the progress: "pages: N new, N changed, N removed")
    print(f"built {count(counts.papers, 'paper')} ({counts.published} with PDF{review}, {counts.without_pdf} without), {count(summary.keynotes, 'keynote')}",
          file=sys.stderr)
    print(f"site: {args.out.resolve() / paths.HOME}", file=sys.stderr)
    return 0


def _print_warnings(groups: list[tuple[str, list[Reported]]], cache: Path) -> None:
    """A build's problems, in groups that each name where they are (`_once`): those the last build
    did not show, a count of those it did, the summary by kind."""
    new, known = _once(groups, cache / "reported-warnings.json")
    for problem in new:
        print(problem, file=sys.stderr)
    if known:
        print(f"{known} warning(s) already shown by an earlier build and still open (`nox -s check` lists them all)", file=sys.stderr)
    for line in warning_summary([problem for _where, problems in groups for problem in problems]):
        print(line, file=sys.stderr)


def _report_series(report: SeriesReport, args: argparse.Namespace) -> int:
    """What a series build prints: its warnings (each naming its edition), then a line per edition."""
    _print_warnings(report.warning_groups(), args.cache_dir_resolved)
    for eid, edition in report.editions.items():
        summary = edition.summary  # an edition read back is not read for it (`publish.settled`)
        counts = summary.counts
        review = f", {counts.review_copies} of them the review copy" if counts.review_copies else ""
        print(f"built {eid} ({summary.short_name}): {count(counts.papers, 'paper')} ({counts.published} with PDF{review}, "
              f"{counts.without_pdf} without), {count(summary.keynotes, 'keynote')}", file=sys.stderr)
    if report.site is not None:
        print(f"series: {len(report.editions)} editions, {len(report.site.people)} people", file=sys.stderr)
    print(f"site: {args.out.resolve() / paths.HOME}", file=sys.stderr)
    return 0


#: Warnings the workshop's own configuration asks for: an over-limit paper is a warning only when
#: page_policy's over_limit says so, a published review copy only with the paper's publish_review_copy.
ACCEPTED_WARNINGS = {Code.PDF_OVER_LIMIT.value: "page_policy over_limit", Code.PDF_REVIEW_COPY_PUBLISHED.value: "publish_review_copy"}


def warning_summary(problems: list[Reported]) -> list[str]:
    """Two lines for the end of a build's output: how many warnings there are and which kinds (their
    codes); which of them conf/ accepts on purpose and which are to look at; that none stops the
    build, and how to see them all."""
    from collections import Counter

    codes = Counter(p.code for p in problems if p.level is Level.WARNING)
    if not codes:
        return []
    accepted = [f"{n} {code} ({ACCEPTED_WARNINGS[code]})" for code, n in codes.most_common() if code in ACCEPTED_WARNINGS]
    others = [f"{n} {code}" for code, n in codes.most_common() if code not in ACCEPTED_WARNINGS]
    kinds = "; ".join(part for part in (f"accepted in conf/: {', '.join(accepted)}" if accepted else "",
                                        f"to look at: {', '.join(others)}" if others else "") if part)
    total = sum(codes.values())
    return [f"{total} warning{'s' if total != 1 else ''}, none of which stops the build (`nox -s check` lists them all; "
            "the README's 'Warnings' says what each kind means and asks of you):", f"  {kinds}"]


def _once(groups: list[tuple[str, list[Reported]]], memory: Path) -> tuple[list[Reported], int]:
    """(problems to print, how many warnings are not repeated): a warning shown by the previous build
    is counted, not repeated. ``groups`` are the problems of each edition of a series with the words
    that name it (``"edition 2023"``, printed ahead of each: `SeriesReport.warning_groups`), or one
    group named by nothing.

    Errors are always printed. The file remembers the warnings of the last build only, each by a
    digest of its line as printed (15,000 warnings of 10 editions of 1,000 papers took 5.7 MB as
    text), so a warning that went away and came back is shown again. It keeps them by group, under
    a digest of the group's problems: a group the last build reported exactly so (every edition but
    the one edited) is counted without a line of it made or hashed (24,000 warnings of a 10 × 1,000
    edit: 0.1 s of its end).
    """
    import hashlib

    from enlsp_proceedings.util.files import write_if_changed

    try:
        saved = json.loads(memory.read_text(encoding="utf-8"))
    except (OSError, ValueError, TypeError):
        saved = None
    before: dict[str, list[str]] = {}
    if isinstance(saved, dict) and isinstance(saved.get("groups"), dict):
        before = {key: lines for key, lines in saved["groups"].items() if isinstance(lines, list)}
    elif isinstance(saved, list):  # an earlier version's file: the digests of its lines
        before = {"": saved}
    lines_before = {line for lines in before.values() for line in lines if isinstance(line, str)}
    new: list[Reported] = []
    known = 0
    kept: dict[str, list[str]] = {}
    for where, problems in groups:
        # each text led by its length: no text, whatever it holds, reads as two others or as their end
        key = hashlib.sha256("".join([f"{len(where)}:{where}", *(f"{p.level}:{len(p.text)}:{p.text}" for p in problems)])
                             .encode("utf-8", "surrogatepass")).hexdigest()[:32]
        if key in before:  # the very problems the last build reported here: its warnings were all shown
            kept[key] = before[key]
            for problem in problems:
                if problem.level is Level.WARNING:
                    known += 1
                else:
                    new.append(problem.naming(where))
            continue
        digests = kept[key] = []
        for problem in problems:  # (not a dict by problem: hashing 10,000 problems' fields twice took 0.2 s)
            named = problem.naming(where)
            if named.level is not Level.WARNING:
                new.append(named)
                continue
            digest = hashlib.sha256(str(named).encode("utf-8", "surrogatepass")).hexdigest()[:24]
            digests.append(digest)
            if digest in lines_before:
                known += 1
            else:
                new.append(named)
    if kept != before:
        with contextlib.suppress(OSError):
            write_if_changed(memory, json.dumps({"groups": kept}, indent=0))
    return new, known


def cmd_check(args: argparse.Namespace) -> int:
    """``enlsp-proceedings check``: check the metadata and the camera-ready PDFs, as text or JSON."""
    from enlsp_proceedings.pdf.check import format_text, run_check
    from enlsp_proceedings.publish.site import claim_cache

    cache = BuildOptions(out_dir=args.out, cache_dir=args.cache).cache  # the very cache `build` with the same --out uses
    try:
        claim_cache(cache)
    except BuildError as exc:
        _error(f"{exc}; nothing was checked")
        return 1
    if is_series(args.conf) or args.edition:
        return _check_series(args, cache)
    try:
        report = run_check(args.conf, args.papers, cache, only=args.paper, quiet=args.format == "json")
    except OSError as exc:  # e.g. a cache on a full or read-only disk
        where = f" ({exc.filename})" if exc.filename else ""
        _error(f"{exc.strerror or exc}{where}; nothing was checked")
        return 1
    if args.format == "json":  # always UTF-8, whatever the locale; a stray lone surrogate becomes a JSON escape
        _write(json.dumps(report.as_json(), indent=2, ensure_ascii=False) + "\n", "utf-8")
    else:
        _write(format_text(report) + "\n", sys.stdout.encoding or "utf-8")
    return 1 if report.count(Level.ERROR) else 0


def _check_series(args: argparse.Namespace, cache: Path) -> int:
    """``check`` on a series: every edition (or ``--edition``'s), each against ``<papers>/<edition id>/``, and the people across them."""
    from enlsp_proceedings.pdf.check_series import UnknownEditionError, format_series_text, run_series_check

    if not is_series(args.conf):
        _error(f"--edition needs a series: {args.conf} holds no series.yaml (it is one workshop; leave --edition out)")
        return 1
    try:
        report = run_series_check(args.conf, args.papers, cache, args.edition, only=args.paper, quiet=args.format == "json")
    except UnknownEditionError as exc:
        _error(f"{exc}; nothing was checked")
        return 1
    except OSError as exc:
        where = f" ({exc.filename})" if exc.filename else ""
        _error(f"{exc.strerror or exc}{where}; nothing was checked")
        return 1
    if args.format == "json":
        _write(json.dumps(report.as_json(), indent=2, ensure_ascii=False) + "\n", "utf-8")
    else:
        _write(format_series_text(report, args.conf, args.papers) + "\n", sys.stdout.encoding or "utf-8")
    return 1 if report.count(Level.ERROR) else 0


def _write(text: str, encoding: str) -> None:
    """Print ``text`` without ever failing on a character the output cannot encode (it becomes ``\\x..``)."""
    sys.stdout.flush()
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:  # a replaced sys.stdout (tests capture output this way)
        sys.stdout.write(text)
        return
    buffer.write(text.encode(encoding, "backslashreplace"))
    buffer.flush()


def _edition_needed(conf: Path, option: str, example: str) -> bool:
    """Whether ``conf`` is a series' root, where a command that writes one workshop's files cannot
    know which edition is meant: says so, naming the editions and the option that settles it."""
    if not is_series(conf):
        return False
    from enlsp_proceedings.model.series import edition_dirs

    names = ", ".join(d.name for d in edition_dirs(conf)) or "none yet"
    _error(f"{conf} is a series (it has series.yaml): name the edition, e.g. {option} {example} "
           f"(its editions: {names}; a new one is a new folder, see the organizers' guide); nothing was written")
    return True


def cmd_import(args: argparse.Namespace) -> int:
    """``import-cmt`` / ``import-openreview``: merge a review system's export into papers.yaml."""
    from enlsp_proceedings.importers.core import run_import
    from enlsp_proceedings.importers.records import ExportError

    if _edition_needed(args.out.parent, "--out", f"{args.out.parent / '<edition>' / args.out.name}"):
        return 1

    try:
        report, written = run_import("cmt" if args.command == "import-cmt" else "openreview", args.export, args.out, args.dry_run,
                                     getattr(args, "author_separator", None))
    except ExportError as exc:
        _error(str(exc))
        return 1
    print(report.format(args.out, written))
    return 0


def cmd_import_program(args: argparse.Namespace) -> int:
    """``enlsp-proceedings import-program``: the program and people into conf/; exit 1 on any error (nothing written)."""
    from enlsp_proceedings.importers.program import run_program_import
    from enlsp_proceedings.importers.records import ExportError

    if _edition_needed(args.conf, "--conf", f"{args.conf / '<edition>'}"):
        return 1
    explicit = {role: getattr(args, role) for role in ("schedule", "speakers", "panelists", "organizers", "committee")}
    try:
        report = run_program_import(args.sources, args.conf, explicit, fix_times=args.fix_times, force=args.force, dry_run=args.dry_run,
                                    set_presentations=args.set_presentations)
    except ExportError as exc:
        _error(str(exc))
        return 1
    _write(report.format() + "\n", sys.stdout.encoding or "utf-8")
    if report.failed:
        _error(f"{report.issues.count(Level.ERROR)} problem(s) listed above; nothing was written")
        return 1
    return 0


def cmd_collect(args: argparse.Namespace) -> int:
    """``enlsp-proceedings collect``: copy downloaded camera-ready PDFs into papers/ under each paper's id."""
    from enlsp_proceedings.importers.collect import collect
    from enlsp_proceedings.importers.records import ExportError

    if _edition_needed(args.conf, "--conf", f"{args.conf / '<edition>'} --papers {args.papers / '<edition>'}"):
        return 1
    try:
        report = collect(args.download, args.conf, args.papers, args.export, args.force, args.dry_run, args.author_separator)
    except ConfError as exc:
        for problem in exc.problems:
            _error(str(problem))
        return 1
    except (ValueError, ExportError) as exc:
        _error(str(exc))
        return 1
    print("\n".join(report.lines))
    return 1 if report.problems else 0


def cmd_codes(args: argparse.Namespace) -> int:
    """Print every problem code (`model.codes.Code`): the one list, with its level and meaning."""
    if args.format == "json":
        print(json.dumps([{"code": c.value, "level": c.level.value, "waivable": c.waivable, "meaning": c.meaning,
                           "instead": None if c.waivable else NOT_WAIVABLE[c.value]} for c in Code], ensure_ascii=False, indent=2))
    elif args.format == "markdown":
        print("| code | level | waivable | means |\n| --- | --- | --- | --- |")
        for c in Code:
            print(f"| `{c.value}` | {c.level.value} | {'yes' if c.waivable else 'no'} | {c.meaning.replace('|', '/')} |")
    else:
        width = max(len(c.value) for c in Code)
        for c in Code:
            print(f"{c.value:<{width}}  {c.level.value:<7}  {'waivable' if c.waivable else '-':<8}  {c.meaning}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run one command; its exit code."""
    args = make_parser().parse_args(argv)
    commands = {"build": cmd_build, "check": cmd_check, "import-cmt": cmd_import, "import-openreview": cmd_import, "import-program": cmd_import_program,
                "collect": cmd_collect, "codes": cmd_codes}
    try:
        return commands[args.command](args)
    except UserError as exc:  # one a command did not expect: still a message, not a traceback
        for line in exc.lines():
            _error(line)
        return 1
    except KeyboardInterrupt:
        _error("interrupted; the published site is unchanged")
        return 130
    except BrokenPipeError:  # the output piped into a reader that stopped (``| head``): not an error of ours
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # the exit's flush has nowhere left to fail
        return 141


def run(argv: list[str] | None = None) -> NoReturn:
    """Console entry point: `main`, then exit without tearing down the interpreter.

    After a build the process holds Sphinx's whole environment (millions of objects for
    a 1,000-paper volume); freeing them one by one at exit took over a second of every
    rebuild. Nothing is left to clean up (worker pools and the indexer have finished),
    so flush the output and leave. For the same reason what the build set aside from the
    garbage collector stays aside (`util.heap.kept_until_exit`).
    """
    import logging

    kept_until_exit()
    code = main(argv)
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    run()
