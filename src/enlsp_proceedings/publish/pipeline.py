"""The build of one workshop: load -> PDF facts -> outputs -> Sphinx -> publish, atomically and incrementally (`build_site`).

The stages in order: load the data (`model`), read the PDFs (`pdf`), check them, write the
Sphinx sources (`sources`), stop here if the published site was built from these exact
inputs (`sources.fingerprint`), else bring the staging copy up to date (`site`), run Sphinx into
it (`sphinx_run`), add the downloads (`outputs.downloads`) and the search index (`search`),
and exchange it with the published site (`site`). A failed or killed build (or copy) never
touches ``out``; its half-built staging is discarded on the next run.
"""

from __future__ import annotations

import functools
import sys
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from enlsp_proceedings import paths
from enlsp_proceedings.model.codes import Code, Level, Reported
from enlsp_proceedings.model.load import load_proceedings
from enlsp_proceedings.model.schema import Proceedings
from enlsp_proceedings.outputs.downloads import CITATIONS_MEMO, write_artifacts
from enlsp_proceedings.outputs.volume import PdfCounts, PdfStatus, Volume, build_date
from enlsp_proceedings.pdf.check import UNPUBLISHABLE, FirstPageMemo, NameFindings, across_papers, judge_papers, name_findings
from enlsp_proceedings.pdf.extract import extract_all, print_progress
from enlsp_proceedings.pdf.facts import PaperPdf
from enlsp_proceedings.pdf.supplementary import Supplement, check_supplements
from enlsp_proceedings.pdf.thumbs import ThumbCache, png_size
from enlsp_proceedings.publish.errors import BuildError, os_problem
from enlsp_proceedings.publish.site import (
    MARKER,
    claim_cache,
    discard,
    follow_published,
    forget_old_doctrees,
    lock_cache,
    lock_out,
    mark,
    marker_id,
    marker_inputs,
    publish,
)
from enlsp_proceedings.publish.sources import fingerprint, has_all_pages, missing_pages, remove_stale_pages, write_sources
from enlsp_proceedings.publish.sphinx_run import SphinxWorker, run_sphinx, sphinx_confdir
from enlsp_proceedings.search.index import SearchIndexError, SearchIndexJob
from enlsp_proceedings.util.files import Deferred, write_if_changed
from enlsp_proceedings.util.heap import build_heap, set_aside

T = TypeVar("T")


@dataclass
class BuildOptions:
    """What to build from and where (the ``build`` command's options)."""

    conf_dir: Path = Path("conf")
    papers_dir: Path = Path("papers")
    out_dir: Path = Path("docs/_build/html")
    docs_dir: Path | None = Path("docs")
    cache_dir: Path | None = None
    strict: bool = False
    jobs: int | str = "auto"
    quiet: bool = False

    @property
    def cache(self) -> Path:
        """Absolute: paths inside it reach Sphinx's configuration and the build fingerprint,
        so `--cache cache` and `--cache /abs/cache` must not look like different builds."""
        return (self.cache_dir or self.out_dir.parent / ".enlsp-cache").resolve()


@dataclass
class BuildReport:
    """What a build did: the volume and PDFs it published, the checks' warnings, the pages it rewrote.

    The volume may be `Deferred` (an edition of a series read back, `publish.settled`): it is read
    only when asked for, and the line the command prints of it (`summary`) is given with it."""

    #: the volume published, or its `Deferred` pickle (read through `volume`)
    data: Volume | Deferred[Volume]
    pdfs: dict[str, PaperPdf]
    warnings: list[Reported] = field(default_factory=list)
    rewritten: list[str] = field(default_factory=list)
    supplements: dict[str, Supplement] = field(default_factory=dict)
    up_to_date: bool = False  # the published site was already built from these exact inputs: Sphinx did not run
    search_index: str = ""  # "indexed", "copied" or "unchanged"
    #: the summary of a `Deferred` volume, made when it was settled (None: made from the volume when asked for)
    known_summary: VolumeSummary | None = None

    @property
    def volume(self) -> Volume:
        """The volume published."""
        return self.data.get() if isinstance(self.data, Deferred) else self.data

    @property
    def summary(self) -> VolumeSummary:
        """What the command says of the volume."""
        return self.known_summary if self.known_summary is not None else VolumeSummary.of(self.volume)


@dataclass(frozen=True)
class VolumeSummary:
    """What the build command says of a volume it built (its short name, papers and PDFs, keynotes),
    known without the volume for an edition of a series read back (`publish.settled`)."""

    short_name: str
    counts: PdfCounts
    keynotes: int

    @classmethod
    def of(cls, volume: Volume) -> VolumeSummary:
        """The volume's summary, from its settled PDF statuses."""
        return cls(volume.workshop.short_name, volume.pdf_counts, len(volume.proc.keynotes))


def prepare_volume(proc: Proceedings, papers_dir: Path, cache_dir: Path, quiet: bool = False) -> tuple[Volume, dict[str, PaperPdf]]:
    """Extract PDF facts and first-page thumbnails (cached; new PDFs are read in one pass each, in parallel)
    and combine them with the metadata."""
    pdfs = extract_all(proc.papers, papers_dir, cache_dir, progress=None if quiet else print_progress, thumbnails=True)
    statuses = {pid: PdfStatus.from_paper_pdf(entry) for pid, entry in pdfs.items()}
    for pid, entry in pdfs.items():
        if entry.publishable and entry.thumbnail is not None:
            statuses[pid].thumbnail = paths.paper_file(pid, "png")
            statuses[pid].thumb_size = list(png_size(entry.thumbnail))
    return Volume(proc, statuses), pdfs


def _check_out_dir(out: Path, opts: BuildOptions) -> None:
    """Publishing swaps ``out`` away and later deletes the old copy: never let it be the input."""
    inputs = [("--conf", opts.conf_dir, True), ("--papers", opts.papers_dir, True), ("--docs", opts.docs_dir, False)]
    for name, written in (("--out", out), ("--cache", opts.cache)):
        for flag, directory, no_site_inside in inputs:
            if directory is None:
                continue
            directory = Path(directory).resolve()
            if written == directory or written in directory.parents or (no_site_inside and directory in written.parents):
                raise BuildError(f"{name} {written} overlaps {flag} {directory}; choose a directory outside the inputs")
    cache = opts.cache
    for site in (out, out.with_name(f".{out.name}.staging")):  # the published copy is swapped away, staging deleted
        if cache == site or site in cache.parents:
            raise BuildError(f"--cache {cache} is inside the site directory {site}, which each build replaces; "
                             "choose a directory outside it (the default is .enlsp-cache beside --out)")
    if out.exists() and not out.is_dir():
        raise BuildError(f"--out {out} is not a directory")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():  # a stray .buildinfo proves nothing
        raise BuildError(f"--out {out} holds files that are not a site built by enlsp-proceedings (no {MARKER}); "
                         "refusing to replace them (empty it or choose another directory)")


def settle_problems(proc: Proceedings, volume: Volume, pdfs: dict[str, PaperPdf], report: BuildReport, memo: FirstPageMemo,
                    papers_dir: Path, names: NameFindings, conf_dir: Path, settled: Callable[[str, str], bool] | None = None) -> None:
    """The problems `check` reports, settled for the build: warnings into ``report``, an unpublishable
    PDF (a review copy, another paper's file) withheld, a review copy the organizers publish noted.
    ``memo`` remembers page-1 checks (the caller saves it, once for all the volumes it settles);
    ``papers_dir``, ``names``, ``conf_dir`` and ``settled`` are `across_papers`' (the problems across papers)."""
    # the reports and the problems across papers `check` prints (one pipeline: `judge_papers`,
    # `across_papers`); a missing PDF is only pending here
    judged = judge_papers(proc.workshop, proc.papers, pdfs, report.supplements, missing_level=Level.WARNING, memo=memo)
    general = across_papers(proc, proc.papers, pdfs, judged, papers_dir, names, settled=settled, conf_dir=conf_dir)
    for paper_report in judged:
        paper = volume.papers_by_id[paper_report.id]
        for problem in paper_report.problems:
            if problem.level == Level.NOTE:  # explained or waived by the organizers: `check` shows them, the build goes on
                continue
            report.warnings.append(Reported(Level(problem.level), problem.code, f"paper {paper.id!r}: {problem.message} [{problem.code}]"))
            if problem.level == Level.ERROR and problem.code in UNPUBLISHABLE:  # a review copy, another paper's file
                pdfs[paper.id].problems.append(problem)
                volume.pdfs[paper.id] = PdfStatus.from_paper_pdf(pdfs[paper.id])
            elif problem.code == Code.PDF_REVIEW_COPY_PUBLISHED:
                volume.pdfs[paper.id].review_note = paper.publish_review_copy
    report.warnings += [Reported(Level(problem.level), problem.code, f"{problem.message} [{problem.code}]")
                        for problem in general if problem.level != Level.NOTE]


def attach_supplements(volume: Volume, report: BuildReport) -> None:
    """Each publishable supplementary file's site name, size and digest on its paper's status."""
    for pid, item in report.supplements.items():
        if item.publishable:
            status = volume.pdfs[pid]
            status.supplementary, status.supplementary_size, status.supplementary_sha256 = item.site_name, item.size, item.sha256


def build_site(opts: BuildOptions) -> BuildReport:
    """The whole pipeline. Raises ConfError / BuildError for problems a user can fix (a full disk
    and a read-only directory included)."""
    return with_user_errors(_build_site, opts)


def with_user_errors(build: Callable[[BuildOptions], T], opts: BuildOptions) -> T:
    """``build(opts)``, with the operating system's errors a user can fix (a full disk, a read-only
    directory) raised as a BuildError of one sentence."""
    try:
        return build(opts)
    except (BuildError, KeyboardInterrupt):
        raise
    except Exception as exc:
        problem = os_problem(exc)
        if problem is None:
            raise
        raise BuildError(problem) from exc


def _build_site(opts: BuildOptions) -> BuildReport:
    _check_out_dir(opts.out_dir.resolve(), opts)
    proc = load_proceedings(opts.conf_dir)
    try:  # the one input of the pages' past/future wording (Volume.held), read before any work
        today = build_date(proc.workshop.timezone)
    except ValueError as exc:
        raise BuildError(str(exc)) from None
    cache = opts.cache
    claim_cache(cache)
    with lock_out(opts.out_dir.resolve()), lock_cache(cache), build_heap():
        volume, pdfs = prepare_volume(proc, opts.papers_dir, cache, opts.quiet)
        set_aside()
        volume.held = volume.held_on(today)
        report = BuildReport(volume, pdfs, supplements=check_supplements(proc.papers, opts.papers_dir, cache))
        attach_supplements(volume, report)
        memo = FirstPageMemo(cache)
        settle_problems(proc, volume, pdfs, report, memo, opts.papers_dir, name_findings(volume.people, cache), opts.conf_dir)
        memo.save()
        errors = [str(w) for w in report.warnings if w.level is Level.ERROR]
        if opts.strict and errors:
            raise BuildError("--strict: " + "; ".join(errors))

        # The search index is made from the data, not the pages: unless a site copy already has
        # it, Pagefind starts now and runs on another core while the pages are built.
        out = opts.out_dir.resolve()
        staging = out.with_name(f".{out.name}.staging")
        search = SearchIndexJob(volume, pdfs, cache)
        search.start(staging, out)
        try:
            return _build_and_publish(opts, volume, pdfs, report, search, out, staging)
        finally:
            search.cancel()


def prepare_staging(out: Path, staging: Path, cache: Path, quiet: bool, link_pdfs_in: frozenset[str] = frozenset({"papers"}),
                    rebuilt: frozenset[str] = frozenset(), alike: frozenset[str] = frozenset(),
                    alike_files: Callable[[Path, Path], frozenset[str]] | None = None, own: frozenset[str] = frozenset()) -> str:
    """Make the staging copy ready to build into (a copy of the published site, or a fresh
    folder after a failed build), marked incomplete; returns its site id. PDFs under
    ``link_pdfs_in`` (folders of the site) are hard-linked from the published copy; the search
    index of the ``rebuilt`` folders (a series' editions this build rebuilds) is left to the search step,
    and the ``alike`` ones (built from the same inputs in both copies), ``alike_files`` and ``own``
    (`follow_published`) are left as they are."""
    site_id = follow_published(out, staging, cache, quiet, link_pdfs_in, rebuilt, alike, alike_files, own)
    if site_id is None:  # no published site to start from
        site_id, complete = marker_id(staging)
        if not complete or site_id is None:
            discard(staging)  # a failed or killed build: start that copy afresh
            site_id = uuid.uuid4().hex[:12]
            staging.mkdir(parents=True)
    mark(staging, site_id, complete=False)
    return site_id


def sphinx_here(volume: Volume, src: Path, site: Path, doctrees: Path, data_path: Path, opts: BuildOptions) -> int:
    """`run_sphinx` of one volume's pages, in this process; its warnings."""
    from enlsp_proceedings.sphinxext.data import remember_volume  # here: it loads Sphinx, which a no-change build never needs

    remember_volume(data_path, volume)  # Sphinx runs in this process: the extension takes this very volume, caches computed
    return run_sphinx(volume, src, site, doctrees, data_path, opts)


def render_volume(opts: BuildOptions, volume: Volume, pdfs: dict[str, PaperPdf], report: BuildReport, search: SearchIndexJob,
                  sources: dict[str, str], src: Path, data_path: Path, site: Path, published: Path, doctrees: Path,
                  worker: SphinxWorker | None = None) -> int:
    """Sphinx, the downloads and the search index of one volume into ``site`` (the staging copy, or an
    edition's folder of it; ``published`` is the same place in the published site); returns Sphinx's
    warnings. Sphinx runs in ``worker`` when there is one (`sphinx_here` pickled to it), else here."""
    cache = opts.cache
    if worker is not None:
        warnings = worker.run(functools.partial(sphinx_here, volume, src, site, doctrees, data_path, opts), f"edition {site.name}'s pages")
    else:
        warnings = sphinx_here(volume, src, site, doctrees, data_path, opts)
    if opts.strict and warnings:
        raise BuildError(f"--strict: Sphinx reported {warnings} warning(s); the published site is unchanged")
    missing = list(missing_pages(site, sources))
    if missing:
        raise BuildError(f"Sphinx did not write {len(missing)} page(s), e.g. {missing[0]}.html; see the messages above")
    remove_stale_pages(site, sources, src)
    pdf_sources = {pid: e.path for pid, e in pdfs.items() if e.publishable and e.path is not None}
    thumb_sources = {pid: ThumbCache(cache).path(sha) for pid in pdf_sources if volume.pdfs[pid].thumbnail and (sha := volume.pdfs[pid].sha256)}
    supplement_sources = {pid: s.path for pid, s in report.supplements.items() if s.publishable and s.path is not None}
    # the citations' memo beside the volume's data: an edition of a series has its own (cache/series/<edition>/)
    write_artifacts(volume, site, pdf_sources, thumb_sources, supplement_sources, memo=data_path.parent / CITATIONS_MEMO)
    try:
        report.search_index = search.finish(site, published if published.is_dir() else None)
    except SearchIndexError as exc:
        raise BuildError(str(exc)) from None
    return warnings


def _build_and_publish(opts: BuildOptions, volume: Volume, pdfs: dict[str, PaperPdf], report: BuildReport, search: SearchIndexJob,
                       out: Path, staging: Path) -> BuildReport:
    """Sources -> (unless nothing changed) Sphinx into the staging copy -> artifacts -> search -> swap."""
    cache = opts.cache
    data_path = cache / "volume.json"  # absolute (see BuildOptions.cache): it is a Sphinx configuration value
    volume_json = volume.to_json()
    write_if_changed(data_path, volume_json)
    src = cache / "source"
    src.mkdir(parents=True, exist_ok=True)
    sources, report.rewritten = write_sources(volume, src, opts.docs_dir if opts.docs_dir and opts.docs_dir.is_dir() else None)

    inputs = fingerprint(volume_json, opts.docs_dir, sphinx_confdir(opts.docs_dir))  # the sources are made from exactly these
    published_inputs, published_warnings = marker_inputs(out)
    if published_inputs == inputs and not (opts.strict and published_warnings) and has_all_pages(out, sources):
        if not opts.quiet:
            print("nothing changed since the published build; site is up to date", file=sys.stderr)
        report.up_to_date = True
        return report
    site_id = prepare_staging(out, staging, cache, opts.quiet)
    warnings = render_volume(opts, volume, pdfs, report, search, sources, src, data_path, staging, out, cache / "doctrees" / site_id)
    mark(staging, site_id, complete=True, inputs=inputs, warnings=warnings)
    publish(staging, out)
    if not staging.exists():
        # A first build: make the second copy now (a copy of this site and its doctrees), so the
        # organizer's first correction is an incremental build rather than a copy plus a build.
        copy_id = follow_published(out, staging, cache, opts.quiet)
        if copy_id is not None:
            mark(staging, copy_id, complete=True, inputs=inputs, warnings=warnings)
    forget_old_doctrees(cache, {site_id, marker_id(staging)[0]})
    return report
