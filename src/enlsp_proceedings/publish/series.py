"""Building a series archive (`build_series`): every edition a volume in its own folder, the series'
own pages at the root, one site published at once.

The stages are a single workshop's (`pipeline`), once per edition: load every edition (all
problems at once), give each the series' person slugs (`SeriesPeople`), read its PDFs and settle
its checks; then, into one staging copy of the whole site, each edition's pages, downloads and
search index into ``<edition>/`` (an edition whose inputs did not change is left as it is), the
series' pages (home, people across the years, person pages, search over every edition) at the
root, the old addresses of the edition the root once was (`root_edition`), and the series-wide
downloads; then one exchange publishes it all. A failed or killed build leaves the published
archive as it was.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import filecmp
import functools
import hashlib
import html
import json
import os
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from enlsp_proceedings import paths
from enlsp_proceedings.model.codes import Level, Reported
from enlsp_proceedings.model.people import PeopleIndex
from enlsp_proceedings.model.schema import Proceedings
from enlsp_proceedings.model.series import Edition, SeriesConf, load_series
from enlsp_proceedings.model.series_people import SeriesPeople
from enlsp_proceedings.outputs.series_site import (
    EditionLine,
    ListedPaper,
    PersonYear,
    SeriesSite,
    edition_line,
    edition_people,
    listed_papers,
    merge_people,
)
from enlsp_proceedings.outputs.volume import EditionContext, Volume, build_date
from enlsp_proceedings.pdf.check import FirstPageMemo, NameFindingsMemo
from enlsp_proceedings.pdf.check_series import people_problems_across
from enlsp_proceedings.pdf.supplementary import check_supplements
from enlsp_proceedings.publish.all_downloads import OWN_FILES, write_series_downloads
from enlsp_proceedings.publish.errors import BuildError
from enlsp_proceedings.publish.pipeline import (
    BuildOptions,
    BuildReport,
    _check_out_dir,
    attach_supplements,
    prepare_staging,
    prepare_volume,
    render_volume,
    settle_problems,
    with_user_errors,
)
from enlsp_proceedings.publish.settled import SOURCES_MEMO, SettledEdition, settle_edition, settled_key
from enlsp_proceedings.publish.site import (
    claim_cache,
    follow_published,
    forget_old_doctrees,
    has_doctrees,
    lock_cache,
    lock_out,
    mark,
    marker_id,
    marker_inputs,
    publish,
)
from enlsp_proceedings.publish.sources import (
    GUIDE_INDEX,
    Sources,
    doc_files,
    fingerprint,
    has_all_pages,
    remembered_sources,
    source_digest,
    stub,
    write_pages,
)
from enlsp_proceedings.publish.sphinx_run import SphinxRun, SphinxWorker, cores, run_sphinx, sphinx_confdir, worker_count
from enlsp_proceedings.search.index import INDEX_DIR, MANIFEST, SearchIndexJob
from enlsp_proceedings.sphinxext.pages.home import sections
from enlsp_proceedings.util.code import code_digest
from enlsp_proceedings.util.files import copy_atomically, read_json_object, remembered, write_if_changed
from enlsp_proceedings.util.heap import build_heap, garbage_kept, loading, set_aside

#: Where an edition's build remembers what it was made from (in its folder of the site).
EDITION_STAMP = ".enlsp-edition.json"
#: The root's record of the old addresses it answers for `root_edition` (what to remove when they go).
LEGACY_MANIFEST = ".enlsp-legacy.json"
#: What the series' own Sphinx build writes at the root: never replaced by an old address.
_SERIES_OWN = {paths.HOME, paths.SEARCH, paths.NOT_FOUND, "genindex.html", "sitemap.xml", "objects.inv", ".buildinfo",
               "robots.txt", LEGACY_MANIFEST}
#: Folders of an edition that are its own machinery, not addresses anyone handed out.
_NOT_ADDRESSES = {*paths.MACHINERY_FOLDERS, paths.AUTHORS.rstrip("/")}
#: In the cache's ``series/<edition>/``: what the edition gives the series' pages (`_series_part`).
SERIES_PART = "series-part.pickle"
#: In the cache's ``series/``: the series' people (`SeriesPeople.remembered`).
PEOPLE_MEMO = "people.pickle"
#: In the cache's ``series/``: each person page's digest and what it was made from (`_series_pages`).
PERSON_DIGESTS = "person-digests.json"
#: In a site copy's doctrees (``<cache>/doctrees/<copy>/``): the series' own Sphinx project's, beside each edition's.
SERIES_DOCTREES = "_series"
#: Beside the series' saved environment of a site copy (``<cache>/doctrees/<copy>/_series/``): the stub each
#: person page in that copy was written from, and the frame (`_people_to_write`).
PEOPLE_MANIFEST = "people-pages.json"


@dataclass
class _Plan:
    """One edition on its way to the site: its volume, saved data and page sources (where they live: ``folder``)."""

    edition: Edition
    settled: SettledEdition
    #: its data as JSON, when this build made it (None: remembered, made when the edition is built)
    volume_json: str | None
    folder: Path
    sources: Sources

    @property
    def volume(self) -> Volume:
        """The edition's volume (an edition read back reads it only now: `SettledEdition`)."""
        return self.settled.volume


@dataclass
class SeriesReport:
    """What a series build did: each edition's report, and whether anything had to be built."""

    editions: dict[str, BuildReport] = field(default_factory=dict)
    #: the problems about people across editions `check` reports (`check_series.people_problems_across`)
    across: list[Reported] = field(default_factory=list)
    site: SeriesSite | None = None
    up_to_date: bool = False

    def warning_groups(self) -> list[tuple[str, list[Reported]]]:
        """Each edition's warnings with the words that name it (``"edition 2023"``), then those across
        editions, named by nothing (their text names the editions)."""
        return [(f"edition {eid}", edition.warnings) for eid, edition in self.editions.items()] + [("", self.across)]

    @property
    def warnings(self) -> list[Reported]:
        """Every edition's warnings, each naming its edition, then those across editions."""
        return [problem.naming(where) for where, problems in self.warning_groups() for problem in problems]


def _people_of(volume: Volume) -> PeopleIndex:
    """The edition's people index (`Volume.people`), made only when it is needed."""
    return volume.people


def _settled(people: SeriesPeople, edition_id: str, a: str, b: str) -> bool:
    """Whether two names of an edition are settled series-wide: one person already, or declared distinct."""
    return people.same_person(edition_id, a, b) or people.declared_distinct(a, b)


def build_series(opts: BuildOptions) -> SeriesReport:
    """The whole archive. Raises ConfError / BuildError for problems a user can fix."""
    return with_user_errors(_build_series, opts)


def edition_context(conf: SeriesConf, edition: Edition, people: SeriesPeople) -> EditionContext:
    """Where an edition sits in its series (its id, the other editions, the series' person slugs, which of its people are in a later one)."""
    listed = tuple((e.id, e.workshop.short_name, e.workshop.date.isoformat()) for e in conf.newest_first())
    position = conf.editions.index(edition)
    own = set(people.edition_slugs(edition.id).values())
    # only this edition's own people: a newcomer to a later edition changes nothing of this one's pages
    later_people = frozenset(slug for e in conf.editions[position + 1:] for slug in people.edition_slugs(e.id).values() if slug in own)
    short_names = {e.id: e.workshop.short_name for e in conf.editions[:position]}
    earlier_roles: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {}
    for slug in sorted(own):
        years = tuple((short_names[part.edition], tuple(part.roles)) for part in reversed(people.record(slug).editions)
                      if part.edition in short_names and part.roles)
        if years:
            earlier_roles[slug] = years
    return EditionContext(edition.id, conf.series.name, conf.series.short_name, listed, people.edition_slugs(edition.id), later_people,
                          conf.series.base_url, earlier_roles)


def in_series(conf: SeriesConf, edition: Edition) -> Proceedings:
    """The edition's data with its address in the archive (``<series base_url><id>/``) as its base URL."""
    workshop = edition.proc.workshop.model_copy(update={"base_url": conf.series.edition_url(edition.id)})
    return edition.proc.model_copy(update={"workshop": workshop})


def _settle(conf: SeriesConf, edition: Edition, people: SeriesPeople, today: dt.date, papers_dir: Path, conf_dir: Path, cache: Path,
            memo: FirstPageMemo, name_memo: NameFindingsMemo, quiet: bool) -> SettledEdition:
    """An edition's volume in the series, its PDFs read (cached) and its checks settled, as a
    single workshop's build does (`pipeline`); `publish.settled` fills in the rest."""
    proc = in_series(conf, edition)
    volume, pdfs = prepare_volume(proc, papers_dir, cache, quiet)
    volume.series = edition_context(conf, edition, people)
    volume.held = volume.held_on(today)
    report = BuildReport(volume, pdfs, supplements=check_supplements(proc.papers, papers_dir, cache))
    attach_supplements(volume, report)
    settled = functools.partial(_settled, people, edition.id)  # as `check`: pairs the series' people.yaml settles
    names = name_memo.findings(edition.digest, functools.partial(_people_of, volume))
    settle_problems(proc, volume, pdfs, report, memo, papers_dir, names, conf_dir, settled)
    return SettledEdition.of(volume, pdfs, report.warnings, report.supplements)


def _build_series(opts: BuildOptions) -> SeriesReport:
    out = opts.out_dir.resolve()
    _check_out_dir(out, opts)
    cache = opts.cache
    claim_cache(cache)
    report = SeriesReport()
    with lock_out(out), lock_cache(cache), build_heap(), contextlib.ExitStack() as cleanup:
        with loading():  # (the one pass it brought on scanned all it read, to free nothing: 55-65 ms at 10 × 1,000)
            conf = load_series(opts.conf_dir, memo=cache / "series" / "conf")
        # Sphinx imported meanwhile, on the other core, for an update's Sphinx runs (none without a published site)
        worker = None
        if marker_id(out)[1] and sum(e.paper_count for e in conf.editions) <= WORKER_PAPERS:
            worker = SphinxWorker.start()
            if worker is not None:
                cleanup.callback(worker.close)
        work = cache / "series"
        work.mkdir(parents=True, exist_ok=True)
        people = SeriesPeople.remembered([(e.id, e.proc_source()) for e in conf.editions], conf.people, work / PEOPLE_MEMO,
                                         [e.digest for e in conf.editions], cache)
        set_aside()
        plans: list[_Plan] = []
        searches: dict[str, SearchIndexJob] = {}  # the search index started early (`_early_search`), of at most one edition
        staging = out.with_name(f".{out.name}.staging")
        published = marker_id(out)[1]
        confdir = sphinx_confdir(opts.docs_dir)
        memo = FirstPageMemo(cache)  # one for every edition: each one's save would drop the others'
        name_memo = NameFindingsMemo(cache)
        for edition in conf.editions:
            try:
                today = build_date(edition.workshop.timezone)
            except ValueError as exc:
                raise BuildError(f"{edition.id}: {exc}") from None
            papers_dir, edition_conf = opts.papers_dir / edition.id, opts.conf_dir / edition.id
            # its volume, checks and pages' sources and fingerprint (an archive whose inputs are all
            # unchanged is up to date), remembered while nothing they are made from changes
            folder = work / edition.id
            settle = functools.partial(_settle, conf, edition, people, today, papers_dir, edition_conf, cache, memo, name_memo, opts.quiet)
            key = settled_key(edition, conf, people, today, papers_dir, edition_conf, confdir)
            kept, made, volume_json = settle_edition(key, folder, settle, confdir, memo, name_memo, edition.digest)
            report.editions[edition.id] = edition_report = kept.report()
            plans.append(plan := _Plan(edition, kept, volume_json, folder, made))
            if not searches and published and _stamp(out / edition.id) != made.fingerprint:
                searches[edition.id] = _early_search(plan, edition_report, staging, out, cleanup)
            set_aside()
        memo.save()
        name_memo.save()
        for problem, editions in people_problems_across(people, opts.conf_dir, set(people.edition_ids), cache):
            if problem.level != Level.NOTE:
                where = f"editions {', '.join(editions)}" if editions else "series"
                report.across.append(Reported(Level(problem.level), problem.code, f"{where}: {problem.message} [{problem.code}]"))
        if opts.strict and (errors := [str(w) for w in report.warnings if w.level is Level.ERROR]):
            raise BuildError("--strict: " + "; ".join(errors))
        site = SeriesSite(conf.series.name, conf.series.short_name, conf.series.description, conf.series.base_url,
                          [(link.label, link.url) for link in conf.series.links])
        # the site is made from the series' own fields and each edition's part (`_series_part`, remembered
        # with the edition's fingerprint): these say whether its pages changed, without saving 10,000
        # papers' data as JSON first (0.8 s at 10 × 1,000, every build), which waits until later
        own = site.to_json()  # the series' own fields: the frame of every one of its pages
        series_inputs = json.dumps([own, [[p.edition.id, p.sources.fingerprint] for p in plans]])
        parts = []
        for plan in plans:
            parts.append(_series_part(plan))
            set_aside()
        site.editions = [line for line, _papers, _people in reversed(parts)]
        site.people = merge_people([people for _line, _papers, people in parts])
        site.papers = [paper for _line, papers, _people in reversed(parts) for paper in papers]
        set_aside()
        docs_dir = opts.docs_dir if opts.docs_dir and opts.docs_dir.is_dir() else None
        fingerprints = {p.edition.id: p.sources.fingerprint for p in plans}
        pages = _SeriesPages(site, series_inputs, own, fingerprints, docs_dir, confdir, work)
        # whether anything changed: at once when an edition's inputs differ from its published build's;
        # otherwise by the series' pages' fingerprint, which a no-change build reads back from its memo
        edited = any(_stamp(out / p.edition.id) != p.sources.fingerprint for p in plans)
        if not edited and marker_inputs(out)[0] == _inputs(pages.sources().fingerprint, plans, conf) and not opts.strict and (out / paths.HOME).is_file():
            if not opts.quiet:
                print("nothing changed since the published build; site is up to date", file=sys.stderr)
            report.up_to_date = True
            report.site = site
            return report
        pdf_folders = frozenset({"papers", *(f"{e.id}/papers" for e in conf.editions)})  # the root edition's old addresses, each edition's
        rebuilt = frozenset(p.edition.id for p in plans if _stamp(out / p.edition.id) != p.sources.fingerprint)  # their search index: the search step's
        alike = frozenset(e.id for e in conf.editions if (done := _stamp(staging / e.id)) is not None and done == _stamp(out / e.id))
        site_id = prepare_staging(out, staging, cache, opts.quiet, pdf_folders, rebuilt, alike, _alike_person_pages, OWN_FILES)
        doctrees = cache / "doctrees" / site_id
        to_build = [plan for plan in plans  # an edition whose inputs did not change keeps its pages exactly as they are
                    if _stamp(staging / plan.edition.id) != plan.sources.fingerprint or not has_all_pages(staging / plan.edition.id, plan.sources.pages)]
        # the series' own pages need nothing the editions' builds write but their sitemaps (read last,
        # `sphinxext.data.editions_built`): a one-edition update builds them beside that edition's
        (work / "series.json").unlink(missing_ok=True)  # what earlier builds saved there, which nothing reads now
        alongside = _alongside(to_build, doctrees / SERIES_DOCTREES, opts)
        if worker is not None and not alongside:  # a first build, or several editions: each Sphinx run is large, and runs here
            worker.close()
            worker = None
        series_run = SphinxRun(functools.partial(_series_run, pages, staging, doctrees / SERIES_DOCTREES, work, opts), worker)
        series_run.start(alongside=alongside)
        try:
            warnings = 0
            with garbage_kept() if series_run.alongside else contextlib.nullcontext():
                for plan in to_build:
                    warnings += _build_edition(opts, plan, report.editions[plan.edition.id], staging, out, doctrees, searches.get(plan.edition.id),
                                               worker)
            for stale in staging.iterdir():  # an edition removed from the series
                if stale.is_dir() and (stale / EDITION_STAMP).is_file() and stale.name not in {e.id for e in conf.editions}:
                    shutil.rmtree(stale)
            series_run.editions_built()
            # what is made of the editions' files, once they are built (here, before the series' run when it
            # runs in this process: its peak and theirs do not add up)
            write_series_search(staging, [e.id for e in conf.editions], {e.id: e.workshop.short_name for e in conf.editions})
            write_series_downloads(staging, conf, work, {p.edition.id: p.sources.fingerprint for p in plans})
            finished = series_run.result()
        finally:
            series_run.close()
        warnings += finished.warnings
        if opts.strict and warnings:
            raise BuildError(f"--strict: Sphinx reported {warnings} warning(s); the published site is unchanged")
        inputs = _inputs(finished.fingerprint, plans, conf)
        leave_out_shared_static(staging, [e.id for e in conf.editions])
        write_legacy_addresses(staging, conf, {paths.docname_page(d) for d in finished.docnames})
        mark(staging, site_id, complete=True, inputs=inputs, warnings=warnings)
        publish(staging, out)
        if not staging.exists():
            copy_id = follow_published(out, staging, cache, opts.quiet, pdf_folders)
            if copy_id is not None:
                mark(staging, copy_id, complete=True, inputs=inputs, warnings=warnings)
        forget_old_doctrees(cache, {site_id, marker_id(staging)[0]})
        report.site = site
    return report


#: Up to this many papers in all, a build with a published site starts a `SphinxWorker`. The series' data
#: is pickled to it, which grows with the papers: at 1,000 it costs 0.1 s of the 0.3-0.45 s the worker's
#: import of Sphinx saves, at 10,000 more than it saves (0.2-0.4 s to pickle and send it, as much to read it).
WORKER_PAPERS = 5000

#: A build that writes more person pages than this (a first build, a new configuration or version of the
#: tool) also takes them out of the series' Sphinx project before it ends (`_series_run`).
FORGET_AT_ONCE = 1000


def _inputs(series_fingerprint: str, plans: list[_Plan], conf: SeriesConf) -> str:
    """What the whole archive is built from (the published site's marker holds it): the series' pages'
    fingerprint, each edition's, and the edition the root once was."""
    return hashlib.sha256(" ".join([series_fingerprint, *(p.sources.fingerprint for p in plans), conf.series.root_edition or ""]).encode()).hexdigest()


@dataclass
class _SeriesPages:
    """The series' own pages of one build: the site's data, what they are made from, and their sources
    (`sources`, made once: in the build's process when it asks whether anything changed, or else in
    the series' run, `_series_run`, which on a one-paper edit runs beside the edition's build)."""

    site: SeriesSite
    #: the series' own fields and each edition's fingerprint: what the pages' memo is keyed by
    inputs: str
    #: the series' own fields (`SeriesSite.to_json` of the site without editions): the frame of every page
    own: str
    #: edition id -> `Sources.fingerprint`
    fingerprints: dict[str, str]
    docs_dir: Path | None
    confdir: Path
    work: Path
    _made: Sources | None = None

    def sources(self) -> Sources:
        """docname -> MyST stub of every series page, and their fingerprint (remembered in the cache)."""
        if self._made is None:
            self._made = remembered_sources(self.inputs, lambda: _series_pages(self.site, self.docs_dir, self.fingerprints, self.work / PERSON_DIGESTS),
                                            self.docs_dir, self.confdir, self.work / SOURCES_MEMO)
        return self._made


@dataclass(frozen=True)
class _SeriesDone:
    """What the series' run (`_series_run`) gives back to the build."""

    warnings: int
    #: the series' pages' fingerprint (`Sources.fingerprint`): part of the archive's inputs (`_inputs`)
    fingerprint: str
    #: the docname of every series page, to tell the root edition's old addresses from them
    docnames: frozenset[str]


def _series_run(pages: _SeriesPages, staging: Path, doctrees: Path, work: Path, opts: BuildOptions,
                progress: IO[str] | None = None) -> _SeriesDone:
    """The series' pages, from their sources (`_SeriesPages.sources`) to `run_sphinx` into ``staging``,
    and what follows it; in the forked copy when it runs beside the editions' builds (`SphinxRun`),
    which then also makes the sources: 0.3 s at 10 × 1,000 papers that the build's own process no
    longer spends before the fork.

    A person's page is a Sphinx document only in the build that writes it (`_people_to_write`). The
    person pages it wrote (``people_written``) stay documents of the project until the next build,
    which finds their stubs gone. When there are many (a first build wrote 13,727 at 10 × 1,000
    papers), the project forgets them now, in a second run over the series' own pages, which writes
    nothing: the next two builds (one into each site copy) each spent 2 s forgetting them and deleting
    their stubs and saved doctrees. The series' data (`SeriesSite`) is the one the build handed the
    extension under ``work`` (`sphinxext.data.remember_series`), here."""
    from enlsp_proceedings.sphinxext.data import remember_series  # here: it loads Sphinx, which a no-change build never needs

    site, docs_dir, src = pages.site, pages.docs_dir, pages.work / "source"
    remember_series(work, site)  # the series' Sphinx run is handed the site itself, under its folder of the cache (``enlsp_series``)
    made = pages.sources()
    people_pages = {d: made.pages[d] for d in _person_docnames(site) if d in made.pages}
    people_digests = {d: source_digest(text.encode("utf-8")) for d, text in people_pages.items()}
    people_frame = fingerprint(json.dumps(["person pages", pages.own]), docs_dir, pages.confdir, headed=[GUIDE_INDEX])
    people_written = _people_to_write(staging, doctrees, people_digests, people_frame)
    core_pages = {d: text for d, text in made.pages.items() if d not in people_pages}
    write_pages({**core_pages, **{d: people_pages[d] for d in people_written}}, src, docs_dir)
    warnings = run_sphinx(None, src, staging, doctrees, work, opts, "enlsp_series", progress)
    if len(people_written) > FORGET_AT_ONCE:
        write_pages(core_pages, src, docs_dir)
        # Sphinx saves its environment only when it reads a page: the home, read again, is written as it was
        os.utime(next(path for _docname, path in doc_files(src, [paths.docname(paths.HOME)], ".md")))
        warnings += run_sphinx(None, src, staging, doctrees, work, opts, "enlsp_series", progress)
        people_written = set()
    _forget_people_doctrees(doctrees, people_written)
    _remove_stale_people(staging, made.pages)
    _remember_people(doctrees, people_digests, people_frame)
    return _SeriesDone(warnings, made.fingerprint, frozenset(made.pages))


def _early_search(plan: _Plan, report: BuildReport, staging: Path, out: Path, stack: contextlib.ExitStack) -> SearchIndexJob:
    """The search index of the first edition found changed, started as soon as its data is settled,
    while the build goes on loading the others: its indexer runs on the core that stays idle until
    the Sphinx builds start, instead of beside them (a 2 × 500-paper edit waited 0.3 s for it after
    its pages were written, the real archive's 0.34 s). Only when a site is published: a first build
    starts each edition's with its build, as it does every other edition's (ten indexers at once
    would add up their memory). Whatever the staging copy turns out to lack, `SearchIndexJob.finish`
    indexes."""
    job = SearchIndexJob(plan.volume, report.pdfs, plan.folder)
    stack.callback(job.cancel)  # a build that fails before the edition's stops its indexer
    job.start(staging / plan.edition.id, out / plan.edition.id)
    return job


def _alongside(to_build: list[_Plan], doctrees: Path, opts: BuildOptions) -> bool:
    """Whether the series' pages are built beside the editions' (`SphinxRun`): for an update of one
    edition (a one-paper edit), whose two small Sphinx builds each keep one core busy, on two cores
    or more. A first build, or one that rebuilds several editions, keeps the two one after the other:
    each is large, runs in parallel on its own, and would add its memory to the other's."""
    return len(to_build) == 1 and min(cores(), worker_count(opts.jobs)) > 1 and has_doctrees(doctrees)


def _build_edition(opts: BuildOptions, plan: _Plan, edition_report: BuildReport, staging: Path, out: Path, doctrees: Path,
                   search: SearchIndexJob | None = None, worker: SphinxWorker | None = None) -> int:
    """One edition's pages, downloads and search index into its folder of the staging copy; Sphinx's warnings.
    ``search``: its search index, if it started already (`_early_search`); ``worker``: where its Sphinx run runs
    (None: here)."""
    edition, volume, pages, stamp = plan.edition, plan.volume, plan.sources.pages, plan.sources.fingerprint
    target, published = staging / edition.id, out / edition.id
    if not opts.quiet:
        print(f"edition {edition.id}: building", file=sys.stderr, flush=True)
    data_path, src = plan.folder / "volume.json", plan.folder / "source"
    write_if_changed(data_path, plan.volume_json if plan.volume_json is not None else volume.to_json())
    edition_report.rewritten = write_pages(pages, src, None)
    search = search or SearchIndexJob(volume, edition_report.pdfs, plan.folder)
    search.start(target, published)  # nothing more if it runs already
    try:
        target.mkdir(parents=True, exist_ok=True)
        (target / EDITION_STAMP).unlink(missing_ok=True)  # until this edition is whole again
        warnings = render_volume(opts, volume, edition_report.pdfs, edition_report, search, pages, src,
                                 data_path, target, published, doctrees / edition.id, worker)
    finally:
        search.cancel()
    write_if_changed(target / EDITION_STAMP, json.dumps({"inputs": stamp}))
    return warnings


def _series_part(plan: _Plan) -> tuple[EditionLine, list[ListedPaper], list[PersonYear]]:
    """What an edition gives the series' pages (its line on the home, its papers on the list of every
    paper, its people), remembered in its cache folder with its pages' fingerprint: the person
    records of an unchanged edition are read back (a pickle, trusted as Sphinx's environment
    beside it is) instead of being made again from its volume, 0.15 s per 1,000 papers."""
    eid = plan.edition.id

    def make() -> tuple[EditionLine, list[ListedPaper], list[PersonYear]]:
        volume = plan.volume  # read only when the part is made (`SettledEdition`)
        return edition_line(volume, eid, sections(volume)), listed_papers(eid, volume), edition_people(eid, volume)

    return remembered(plan.folder / SERIES_PART, plan.sources.fingerprint, make,
                      lambda part: isinstance(part, tuple) and len(part) == 3 and isinstance(part[0], EditionLine))


def _stamp(folder: Path) -> str | None:
    try:
        return json.loads((folder / EDITION_STAMP).read_text(encoding="utf-8")).get("inputs")
    except (OSError, ValueError, AttributeError):
        return None


def _series_pages(site: SeriesSite, docs_dir: Path | None, fingerprints: dict[str, str], memo: Path) -> dict[str, str]:
    """docname -> MyST stub of every series page (the home's toctree names the hand-written guide of ``docs_dir``).

    A person's page shows what the editions they are in say of them, nothing else, so its digest
    is remembered in ``memo`` with those editions' fingerprints (``fingerprints``: edition id ->
    `Sources.fingerprint`, which covers the tool's code): a one-paper edit digests the pages of the
    people of its edition only (at 10 × 1,000 papers, 0.8 s for every person page)."""
    from enlsp_proceedings.sphinxext.pages.series import SERIES_PAGES

    toctree = [paths.docname(paths.SERIES_PAPERS)] if site.papers else []
    toctree += [paths.docname(paths.SERIES_PEOPLE)] if site.people else []
    if docs_dir is not None and (docs_dir / f"{GUIDE_INDEX}.md").is_file():
        toctree.append(GUIDE_INDEX)
    known = read_json_object(memo)
    digests: dict[str, list[str]] = {}
    pages: dict[str, str] = {}
    for name, kind in SERIES_PAGES.items():
        for docname, ident in kind.pages(site):
            person = site.people.get(ident) if kind.one_item and ident else None
            if person is not None:
                key = hashlib.sha256(" ".join(f"{y.edition}={fingerprints[y.edition]}" for y in person.years).encode()).hexdigest()[:32]
                hit = known.get(person.slug)
                digests[person.slug] = hit if isinstance(hit, list) and len(hit) == 2 and hit[0] == key else [key, kind.shows(site, ident).digest()]
                digest = digests[person.slug][1]
            else:
                digest = kind.shows(site, ident).digest()
            stub_toc = toctree if docname == "index" else None
            pages[docname] = stub(name, ident, digest, orphan=kind.orphan, toctree=stub_toc)
    try:
        write_if_changed(memo, json.dumps(digests, sort_keys=True, separators=(",", ":")))  # not indented: that is Python's slow encoder
    except OSError:  # a cache that cannot be written only costs time
        pass
    return pages


def _person_docnames(site: SeriesSite) -> list[str]:
    """The docname of every person's page of the series (`sphinxext.pages.series`, ``series-person``)."""
    return [paths.docname(paths.author_page(slug)) for slug in site.people]


def _people_to_write(site: Path, doctrees: Path, pages: dict[str, str], frame: str) -> set[str]:
    """The person pages (docnames of ``pages``: docname -> digest of its stub) the series' Sphinx run writes
    into the site copy ``site``: those whose page there was written from another stub (`PEOPLE_MANIFEST`,
    beside the copy's saved environment, in ``doctrees``) or is missing; every one when the frame of
    the pages changed (``frame``, `sources.fingerprint` of it: the series' own fields, the tool's
    code, the Sphinx configuration, the templates and static files, the guide whose title the header shows).

    Only these are Sphinx documents in this build: Sphinx's work for every document of a project,
    changed or not (finding its file, checking its source and its page, loading and saving the
    environment, the object inventory), was three quarters of the series' run on a one-paper edit at
    10 × 1,000 papers (13,727 person pages). The other pages stay in the site as they are; Sphinx
    drops them from its environment and never deletes a page."""
    saved_frame, saved = _people_record(doctrees)
    written = saved if saved_frame == frame else {}
    return {docname for docname, path in doc_files(site, pages, ".html")
            if written.get(docname) != pages[docname] or not os.path.isfile(path)}


def _alike_person_pages(published: Path, kept: Path) -> frozenset[str]:
    """The person pages (paths in the site) that two complete site copies, whose doctrees are
    ``published`` and ``kept``, both hold as written from the same stub under the same frame (their
    `PEOPLE_MANIFEST`, `_people_to_write`): the copy of the published site into the other one
    (`follow_published`) leaves these as they are, instead of comparing the size and mtime of every
    person's page in both (13,727 of them at 10 × 1,000 papers: 0.1 s of every edit). None of them
    when either record is missing or unreadable, or the frames differ."""
    frame, pages = _people_record(published / SERIES_DOCTREES)
    kept_frame, kept_pages = _people_record(kept / SERIES_DOCTREES)
    if frame is None or frame != kept_frame:
        return frozenset()
    return frozenset(paths.docname_page(docname) for docname, digest in pages.items() if kept_pages.get(docname) == digest)


def _people_record(doctrees: Path) -> tuple[str | None, dict[str, str]]:
    """A site copy's record of its person pages (`PEOPLE_MANIFEST` in its series' ``doctrees``): the
    frame they were written under (None without one) and docname -> digest of each page's stub
    (empty when the record is missing, unreadable or holds no such mapping)."""
    saved = read_json_object(doctrees / PEOPLE_MANIFEST)
    frame, pages = saved.get("frame"), saved.get("pages")
    return (frame if isinstance(frame, str) and frame else None,
            {d: v for d, v in pages.items() if isinstance(d, str) and isinstance(v, str)} if isinstance(pages, dict) else {})


def _remember_people(doctrees: Path, pages: dict[str, str], frame: str) -> None:
    """Record beside a site copy's saved environment what each person's page there was written from
    (``pages``: docname -> digest of its stub; `_people_to_write`)."""
    if pages:
        write_if_changed(doctrees / PEOPLE_MANIFEST, json.dumps({"frame": frame, "pages": pages}, sort_keys=True, separators=(",", ":")))


def _forget_people_doctrees(doctrees: Path, kept: set[str]) -> None:
    """The saved doctrees of the person pages the series' environment no longer holds (all but ``kept``,
    those this build wrote): Sphinx leaves them behind, and each build's copy of the site would copy them."""
    try:
        found = list(os.scandir(doctrees / paths.AUTHORS))
    except FileNotFoundError:
        return
    people_index = paths.docname(paths.SERIES_PEOPLE)
    for entry in found:
        docname = paths.AUTHORS + entry.name.removesuffix(".doctree")
        if entry.name.endswith(".doctree") and docname != people_index and docname not in kept:
            os.unlink(entry.path)


def _remove_stale_people(site: Path, docnames: dict[str, str]) -> None:
    """Person pages of people no longer in any edition (Sphinx never deletes a removed page)."""
    try:
        found = list(os.scandir(site / paths.AUTHORS))  # not a path object per page: 13,700 of them took 0.08 s of every build
    except FileNotFoundError:
        return
    for entry in found:
        if entry.name.endswith(".html") and entry.is_file() and paths.docname(paths.author_page(entry.name[:-5])) not in docnames:
            os.unlink(entry.path)


def leave_out_shared_static(site: Path, editions: list[str]) -> None:
    """The editions' pages load the series' ``_static/`` (`sphinxext.frame.share_static`): each
    edition's own copy, which Sphinx writes again on every build of it, leaves the site once it is
    found to be the series' byte for byte. A file that differs stops the build, all of them named
    and nothing removed (the edition's pages would load the series' file instead of their own)."""
    shared = site / paths.STATIC
    copies, problems = [], []
    for eid in editions:
        own = site / paths.in_edition(eid, paths.STATIC)
        if not own.is_dir():
            continue
        copies.append(own)
        for path in sorted(own.rglob("*")):
            rel = path.relative_to(own).as_posix()
            theirs = shared / rel
            if not path.is_dir() and (not theirs.is_file() or not filecmp.cmp(path, theirs, shallow=False)):
                problems.append(f"edition {eid}: its {paths.STATIC}{rel} is not the series' {paths.STATIC}{rel}")
    if problems:
        raise BuildError("; ".join(problems) + ". The editions of a series share one _static/ (the same theme, Sphinx settings "
                         "and static files): build them with the same docs/conf.py")
    for own in copies:
        shutil.rmtree(own)


def redirect_page(target: str, absolute: str) -> str:
    """A page that points on to ``target`` (relative; ``absolute`` for search engines): a static host has
    no HTTP redirect, so the old address answers with this page, ``rel=canonical`` and a refresh."""
    href = html.escape(target, quote=True)
    return ('<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<meta name="robots" content="noindex">\n'
            f'<title>Moved</title>\n<link rel="canonical" href="{html.escape(absolute, quote=True)}">\n'
            f'<meta http-equiv="refresh" content="0; url={href}">\n'
            f'<script>location.replace({json.dumps(target)} + location.search + location.hash);</script>\n'
            f'</head>\n<body>\n<p>This page has moved to <a href="{href}">{html.escape(absolute)}</a>.</p>\n</body>\n</html>\n')


def write_legacy_addresses(site: Path, conf: SeriesConf, series_pages: set[str]) -> None:
    """Every address the root once served for `root_edition` keeps answering: a page with a pointer
    (``rel=canonical``) to its new address, any other file (a PDF, a .bib, papers.json) as itself."""
    root_edition = conf.series.root_edition
    saved = read_json_object(site / LEGACY_MANIFEST)
    previous = saved["files"] if isinstance(saved.get("files"), dict) else saved  # a manifest of earlier builds: files alone
    # what the old addresses are made of: the root edition's folder, whose every file its stamp (the
    # fingerprint of its inputs) decides, its address, the series' own pages and this code. While
    # it is the same and every file is there, nothing is walked or read (0.1–0.2 s after the series' run)
    stamp = _stamp(site / root_edition) if root_edition is not None else None
    state = hashlib.sha256(json.dumps([code_digest(), root_edition, stamp, conf.series.base_url, sorted(series_pages)]).encode()).hexdigest()
    if stamp is not None and saved.get("state") == state and all((site / path).is_file() for path in previous):
        return
    wanted: dict[str, str] = {}
    if root_edition is not None and (site / root_edition).is_dir():
        edition = site / root_edition
        for folder, dirs, files in os.walk(edition):
            here = Path(folder)
            rel_dir = here.relative_to(edition)
            if rel_dir == Path("."):
                dirs[:] = [d for d in dirs if d not in _NOT_ADDRESSES and not d.startswith(".")]
            for name in files:
                if name.startswith("."):
                    continue
                path = (rel_dir / name).as_posix()
                if path in _SERIES_OWN or path in series_pages:
                    continue
                source = here / name
                target = site / path
                if name.endswith(".html"):
                    depth = path.count("/")
                    page = redirect_page("../" * depth + f"{root_edition}/{path}", conf.series.edition_url(root_edition) + path)
                    # the staging copy holds the last build's pages: one the manifest says is this very
                    # page is not read again (1,000 papers' redirects: 0.2–0.5 s after the series' run)
                    key = "redirect " + hashlib.sha256(page.encode()).hexdigest()[:32]
                    if previous.get(path) != key or not target.is_file():
                        write_if_changed(target, page)
                    wanted[path] = key
                else:
                    stat = source.stat()
                    key = f"{stat.st_size}:{stat.st_mtime_ns}"
                    if previous.get(path) != key or not target.is_file():
                        target.parent.mkdir(parents=True, exist_ok=True)
                        copy_atomically(source, target)
                    wanted[path] = key
    for path in previous:
        if path not in wanted and path not in series_pages:
            (site / path).unlink(missing_ok=True)
            folder = (site / path).parent  # once empty, its folder too (keynotes/ when the root edition has none left)
            if folder != site and folder.is_dir() and next(folder.iterdir(), None) is None:
                folder.rmdir()
    write_if_changed(site / LEGACY_MANIFEST, json.dumps({"state": state, "files": wanted}, sort_keys=True, indent=0))


def write_series_search(site: Path, editions: list[str], labels: dict[str, str]) -> None:
    """The root's search index: every edition's bundles, merged by the search page, each with its
    edition's address as the base of its results and its edition for the filter. An edition's bundle
    of people a later edition lists too is marked ``repeated``: the search over every edition leaves
    it out (it finds them in the later edition), a search of that edition takes it."""
    bundles, bases, owners, repeated = [], [], [], []
    for edition in reversed(editions):  # newest first
        try:
            listed = json.loads((site / edition / INDEX_DIR / MANIFEST).read_text(encoding="utf-8"))
            names, again = listed["bundles"], set(listed.get("repeated", []))
        except (OSError, ValueError, KeyError, TypeError):
            continue
        for name in names:
            bundles.append(f"../{edition}/{INDEX_DIR}/{name}")
            bases.append(f"../{edition}/")
            owners.append(edition)
            if name in again:
                repeated.append(f"../{edition}/{INDEX_DIR}/{name}")
    manifest = {"bundles": bundles, "bases": bases, "editions": owners, "repeated": repeated,
                "labels": {e: labels[e] for e in reversed(editions)}}
    write_if_changed(site / INDEX_DIR / MANIFEST, json.dumps(manifest, ensure_ascii=False))


