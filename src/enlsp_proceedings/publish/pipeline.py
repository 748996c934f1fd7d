"""Stage 4: load -> extract -> render -> Sphinx -> publish, atomically and incrementally.

Publishing uses two complete site directories: the published one (``out``) and a
staging copy beside it. Each has its own Sphinx environment (doctree cache), so
building into staging is an ordinary incremental Sphinx build; on success the two
directories are exchanged in one atomic rename. After an exchange, staging holds the
site of the build before; the next build first brings it up to date from ``out`` by
copying only the files that differ (see `_follow_published`), so Sphinx re-reads only
the pages of the current change. A failed or killed build (or copy) never touches
``out``; its half-built staging is discarded on the next run.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import gc
import hashlib
import json
import os
import re
import shutil
import sys
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from enlsp_proceedings.model.load import load_proceedings
from enlsp_proceedings.model.schema import Proceedings
from enlsp_proceedings.outputs.downloads import write_artifacts
from enlsp_proceedings.outputs.volume import PdfStatus, Volume
from enlsp_proceedings.pdf.check import UNPUBLISHABLE, FirstPageMemo, paper_problems
from enlsp_proceedings.pdf.extract import PaperPdf, extract_all, print_progress
from enlsp_proceedings.pdf.supplementary import Supplement, check_supplements
from enlsp_proceedings.pdf.thumbs import ThumbCache, png_size
from enlsp_proceedings.publish.sources import remove_stale_pages, write_sources
from enlsp_proceedings.search.index import INDEX_DIR, SearchIndexError, SearchIndexJob
from enlsp_proceedings.util.code import code_digest
from enlsp_proceedings.util.files import link_or_copy, write_if_changed

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: msvcrt's byte-range locks instead
    fcntl = None  # type: ignore[assignment]

#: Written into every site directory this tool makes (the published one and its staging copy):
#: only a directory holding it is ever replaced or deleted.
MARKER = ".enlsp-site.json"


class BuildError(Exception):
    """A build that cannot produce a site; the message is for the organizer."""


@dataclass
class BuildOptions:
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
    volume: Volume
    pdfs: dict[str, PaperPdf]
    warnings: list[str] = field(default_factory=list)
    rewritten: list[str] = field(default_factory=list)
    supplements: dict[str, Supplement] = field(default_factory=dict)
    up_to_date: bool = False  # the published site was already built from these exact inputs: Sphinx did not run
    search_index: str = ""  # "indexed", "copied" or "unchanged"


def prepare_volume(proc: Proceedings, papers_dir: Path, cache_dir: Path, quiet: bool = False) -> tuple[Volume, dict[str, PaperPdf]]:
    """Extract PDF facts and first-page thumbnails (cached; new PDFs are read in one pass each, in parallel)
    and combine them with the metadata."""
    pdfs = extract_all(proc.papers, papers_dir, cache_dir, progress=None if quiet else print_progress, thumbnails=True)
    statuses = {pid: PdfStatus.from_paper_pdf(entry) for pid, entry in pdfs.items()}
    for pid, entry in pdfs.items():
        if entry.publishable and entry.thumbnail is not None:
            statuses[pid].thumbnail = f"papers/{pid}.png"
            statuses[pid].thumb_size = list(png_size(entry.thumbnail))
    return Volume(proc, statuses), pdfs


def _site_id(site: Path) -> tuple[str | None, bool]:
    try:
        data = json.loads((site / MARKER).read_text())
        return str(data["id"]), bool(data["complete"])
    except (OSError, ValueError, KeyError, TypeError):
        return None, False


def _site_inputs(site: Path) -> tuple[str | None, int]:
    """Fingerprint of the inputs a complete site was built from (see `_fingerprint`), and its Sphinx warning count."""
    try:
        data = json.loads((site / MARKER).read_text())
        return (str(data["inputs"]) if data.get("complete") else None), int(data.get("warnings") or 0)
    except (OSError, ValueError, KeyError, TypeError):
        return None, 0


def _mark(site: Path, site_id: str, complete: bool, inputs: str | None = None, warnings: int = 0) -> None:
    path = site / MARKER
    path.write_text(json.dumps({"id": site_id, "complete": complete, "inputs": inputs, "warnings": warnings}))
    if complete:
        with open(path) as fh:
            os.fsync(fh.fileno())


def _exchange(a: Path, b: Path) -> None:
    """Atomically swap two directories (Linux renameat2), else the closest two-rename swap."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
        renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
        at_fdcwd, rename_exchange = -100, 2
        if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
            return
    except (AttributeError, OSError):
        pass
    aside = a.with_name(a.name + ".old-" + uuid.uuid4().hex[:8])
    os.rename(a, aside)
    os.rename(b, a)
    os.rename(aside, b)


def _publish(staging: Path, out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.exists():
        _exchange(staging, out)
    else:
        os.rename(staging, out)


def _try_lock(fh) -> bool:
    """Lock an open file without waiting; False when another process holds it."""
    if fcntl is None:  # pragma: no cover - Windows
        import msvcrt

        try:
            msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    try:
        fcntl.lockf(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)  # POSIX lock: not inherited by forked helpers
    except (BlockingIOError, PermissionError):
        return False
    return True


@contextlib.contextmanager
def _lock(cache: Path):
    cache.mkdir(parents=True, exist_ok=True)
    with open(cache / "build.lock", "w") as fh:
        if not _try_lock(fh):
            raise BuildError(f"another build is running (lock {cache / 'build.lock'})")
        yield


def out_lock_path(out: Path) -> Path:
    """The lock beside ``--out`` that a build holds from start to publish, whatever its cache."""
    return out.with_name(f".{out.name}.lock")


@contextlib.contextmanager
def _lock_out(out: Path):
    """Two builds of one ``--out`` (with different caches) must not both publish: the second stops."""
    path = out_lock_path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as fh:
        if not _try_lock(fh):
            raise BuildError(f"another build is publishing to {out} (lock {path}); wait for it to finish")
        yield


def _discard(path: Path, *, required: bool = True) -> None:
    """Delete a site copy this tool made (it holds MARKER, or nothing at all, as one killed right
    after its mkdir). Anything else is never deleted: with ``required``, the build stops and says
    so; otherwise it is left where it is."""
    if not os.path.lexists(path):
        return
    if path.is_dir() and not path.is_symlink() and ((path / MARKER).is_file() or not any(path.iterdir())):
        shutil.rmtree(path)
    elif required:
        raise BuildError(f"{path} is in the way and was not made by enlsp-proceedings (it has no {MARKER}); the next version of the "
                         "site is built there: move it away or delete it yourself")


def _confdir(docs_dir: Path | None) -> Path:
    if docs_dir is not None and (docs_dir / "conf.py").is_file():
        return docs_dir
    return Path(__file__).resolve().parent.parent / "sphinxext" / "default_conf"


def _jobs(jobs: int | str) -> int:
    if jobs == "auto":
        return os.cpu_count() or 1
    return max(1, int(jobs))


def _fingerprint(volume_json: str, src: Path, confdir: Path) -> str:
    """Hash of everything a site is made from: data, sources, configuration, the tool's code and versions.

    A published site carrying the same fingerprint is already exactly what this build
    would produce, so a no-change rebuild can stop before starting Sphinx.
    """
    h = hashlib.sha256(volume_json.encode())
    h.update(code_digest().encode())
    files = [p for p in src.rglob("*") if p.is_file()]
    files += [p for p in confdir.iterdir() if p.is_file() and p.suffix == ".py"]
    for path in sorted(files):
        h.update(b"\0" + os.fsencode(path) + b"\0" + path.read_bytes())
    return h.hexdigest()


def _copy_file(src: str, dst: str, link: bool) -> None:
    (link_or_copy if link else shutil.copy2)(src, dst)  # copy2 keeps the mtime: Sphinx decides what is outdated by mtimes


def _remove(entry: os.DirEntry) -> None:
    if entry.is_dir(follow_symlinks=False):
        shutil.rmtree(entry.path)
    else:
        os.unlink(entry.path)


def _mirror(src: str, dst: str, skip: frozenset[str] = frozenset(), link_pdfs_in: frozenset[str] = frozenset(), link: bool = False) -> int:
    """Make ``dst`` a copy of ``src``, copying only files whose (size, mtime) differ; returns the number copied.

    Names in ``skip`` (top level only) are neither copied nor deleted. PDFs under the
    top-level directories ``link_pdfs_in`` are hard-linked: those are only ever replaced
    by rename (`render.copy_atomically`), whereas Sphinx rewrites pages, doctrees and
    static files in place, so those must be copies. A differing target is unlinked
    before the copy, never written through (it may be a link shared with ``src``).
    """
    try:
        existing = {e.name: e for e in os.scandir(dst)}
    except FileNotFoundError:
        os.mkdir(dst)
        existing = {}
    copied = 0
    for entry in os.scandir(src):
        name = entry.name
        if name in skip:
            continue
        old = existing.pop(name, None)
        target = os.path.join(dst, name)
        if entry.is_dir():
            if old is not None and not old.is_dir(follow_symlinks=False):
                os.unlink(old.path)
            copied += _mirror(entry.path, target, link=link or name in link_pdfs_in)
            continue
        if old is not None:
            if not old.is_dir(follow_symlinks=False):
                have, want = old.stat(follow_symlinks=False), entry.stat()
                if have.st_size == want.st_size and have.st_mtime_ns == want.st_mtime_ns:
                    continue
            _remove(old)
        _copy_file(entry.path, target, link and name.endswith(".pdf"))
        copied += 1
    for name, old in existing.items():
        if name not in skip:
            _remove(old)
    return copied


def _follow_published(out: Path, staging: Path, cache: Path, quiet: bool = True) -> str | None:
    """Make staging (and its doctrees) a copy of the published site, copying only what differs; returns its site id.

    After an exchange staging holds the build before the published one; built into as
    is, Sphinx would re-read the pages of the previous change too. Staging is left
    marked incomplete (the caller marks it), so a copy stopped halfway is discarded by
    the next build, never trusted. None, staging untouched, when ``out`` is no complete
    site with its doctrees.
    """
    out_id, out_complete = _site_id(out)
    if not out_complete or out_id is None or not (cache / "doctrees" / out_id / "environment.pickle").is_file():
        return None
    site_id, complete = _site_id(staging)
    trusted = complete and site_id is not None and site_id != out_id
    if trusted and _site_inputs(staging)[0] == _site_inputs(out)[0]:
        return site_id  # already a build of the published inputs
    if trusted:
        # A lagging copy keeps its search index: the search job has already chosen, by
        # digest, which copy's index this build reuses.
        skip = frozenset({MARKER, INDEX_DIR})
    else:  # missing, or a build or copy that did not finish
        _discard(staging)
        _discard(staging.with_name(staging.name + ".tmp"), required=False)  # where earlier versions made the copy
        if site_id is not None and site_id != out_id:
            shutil.rmtree(cache / "doctrees" / site_id, ignore_errors=True)
        site_id, skip = uuid.uuid4().hex[:12], frozenset({MARKER})
        staging.mkdir(parents=True)
    _mark(staging, site_id, complete=False)
    copied = _mirror(str(cache / "doctrees" / out_id), str(cache / "doctrees" / site_id))
    copied += _mirror(str(out), str(staging), skip, link_pdfs_in=frozenset({"papers"}))
    if not quiet and not trusted:  # the first copy takes a while; later ones are a few files
        print(f"kept a second copy of the site for fast rebuilds ({copied} files copied)", file=sys.stderr, flush=True)
    return site_id


class SphinxProgress:
    """Sphinx's status stream, reduced to what an organizer needs: which pages changed, and progress.

    Sphinx prints some 75 lines per build (versions, configuration, every phase, and "The
    HTML pages are in" the staging copy, which is not where the site is published). This
    keeps its count of added/changed/removed pages and its reading/writing percentages.
    """

    # every terminal control sequence: colours, and the "erase line" Sphinx writes before each
    # progress item when it rewrites one line (items then end in "\r", not "\n")
    _ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")

    def __init__(self, stream=None):
        self.stream = stream or sys.stderr
        self.buffer = ""
        self.shown: set[tuple[str, int]] = set()

    def write(self, text: str) -> int:
        self.buffer += text
        *lines, self.buffer = re.split(r"[\r\n]", self.buffer)
        for line in lines:
            self._line(self._ANSI.sub("", line))
        return len(text)

    def flush(self) -> None:
        self.stream.flush()

    def isatty(self) -> bool:
        return False  # no colours, no carriage-return progress bars

    def _line(self, line: str) -> None:
        changed = re.search(r"updating environment: (?:\[[^]]*\] )?(\d+) added, (\d+) changed, (\d+) removed", line)
        if changed:
            added, modified, removed = (int(x) for x in changed.groups())
            print(f"pages: {added} new, {modified} changed, {removed} removed", file=self.stream, flush=True)
            return
        step = re.match(r"(reading sources|writing output)\.\.\. \[\s*(\d+)%\]", line)
        if step:
            phase = "reading" if step.group(1) == "reading sources" else "writing"
            percent = int(step.group(2)) // 25 * 25  # at most five lines per phase
            if (phase, percent) not in self.shown:
                self.shown.add((phase, percent))
                print(f"{phase} pages... {int(step.group(2))}%", file=self.stream, flush=True)


class _WarningStream:
    """Sphinx's warning stream, passed on to stderr. Sphinx only warns when it cannot write a page
    (a full disk leaves it half-written), so such warnings are remembered: the build then fails."""

    def __init__(self, target):
        self.target = target
        self.unwritten: list[str] = []

    def write(self, text: str) -> int:
        if "error writing file" in text:
            self.unwritten.append(text.strip())
        return self.target.write(text)

    def flush(self) -> None:
        self.target.flush()

    def isatty(self) -> bool:
        return bool(getattr(self.target, "isatty", lambda: False)())


def _unwritten_problem(warning: str) -> str:
    """One sentence for Sphinx's "error writing file PATH: [Errno N] REASON" warning."""
    found = re.search(r"error writing file (.+?): \[Errno (\d+)\] (.*)", warning)
    if found and int(found[2]) in _USER_OS_ERRORS:
        return f"{_USER_OS_ERRORS[int(found[2])]} while writing {found[1]}"
    return "Sphinx could not write a page: " + warning[warning.find("error writing file"):]


def run_sphinx(volume: Volume, src: Path, site: Path, doctrees: Path, data_path: Path, opts: BuildOptions) -> int:
    """Incremental Sphinx HTML build of ``src`` into ``site``; returns the warning count. A page
    Sphinx could not write (it only warns) is a BuildError: the site is not published."""
    from sphinx.application import Sphinx
    from sphinx.util.docutils import docutils_namespace, patch_docutils

    overrides = {"enlsp_data": str(data_path)}
    confdir = _confdir(opts.docs_dir)
    status = None if opts.quiet else SphinxProgress()
    warnings = _WarningStream(sys.stderr)
    with patch_docutils(confdir), docutils_namespace():
        # Loading the saved environment unpickles millions of objects; with the cyclic garbage
        # collector running meanwhile it took four times as long (0.4 s instead of 0.1 s at
        # 1,000 papers). Loading makes no garbage, so collect nothing until it is done, then
        # freeze what was loaded so later collections don't scan it again and again.
        gc.disable()
        try:
            app = Sphinx(
                src, confdir, site, doctrees, "html",
                confoverrides=overrides, status=status, warning=warnings,
                freshenv=False, warningiserror=False, parallel=_jobs(opts.jobs), keep_going=True,
            )
        finally:
            gc.enable()
        gc.freeze()
        try:
            app.build(force_all=False)
        finally:
            gc.unfreeze()
        if warnings.unwritten:
            raise BuildError(_unwritten_problem(warnings.unwritten[0]))
        return app._warncount  # noqa: SLF001 - Sphinx has no public counter


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
    if out.exists() and not out.is_dir():
        raise BuildError(f"--out {out} is not a directory")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():  # a stray .buildinfo proves nothing
        raise BuildError(f"--out {out} holds files that are not a site built by enlsp-proceedings (no {MARKER}); "
                         "refusing to replace them (empty it or choose another directory)")


#: Errors of the file system a user can fix (space, permissions): one sentence, no traceback.
_USER_OS_ERRORS = {errno.ENOSPC: "no space left on device", errno.EDQUOT: "disk quota exceeded", errno.EROFS: "read-only file system",
                   errno.EACCES: "permission denied", errno.EPERM: "operation not permitted"}


def _os_problem(exc: BaseException) -> str | None:
    """The sentence for a disk-full or permission error, wherever it was raised (Sphinx wraps
    errors of its event handlers in an ExtensionError); None for anything else."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, OSError) and exc.errno in _USER_OS_ERRORS:
            writing = exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EROFS)
            where = (f" while writing {exc.filename}" if writing else f": {exc.filename}") if exc.filename else ""
            return f"{_USER_OS_ERRORS[exc.errno]}{where}"
        exc = getattr(exc, "orig_exc", None) or exc.__cause__ or exc.__context__
    return None


def build_site(opts: BuildOptions) -> BuildReport:
    """The whole pipeline. Raises ConfError / BuildError for problems a user can fix (a full disk
    and a read-only directory included)."""
    try:
        return _build_site(opts)
    except (BuildError, KeyboardInterrupt):
        raise
    except Exception as exc:
        problem = _os_problem(exc)
        if problem is None:
            raise
        raise BuildError(problem) from exc


def _build_site(opts: BuildOptions) -> BuildReport:
    _check_out_dir(opts.out_dir.resolve(), opts)
    proc = load_proceedings(opts.conf_dir)
    cache = opts.cache
    with _lock_out(opts.out_dir.resolve()), _lock(cache):
        volume, pdfs = prepare_volume(proc, opts.papers_dir, cache, opts.quiet)
        report = BuildReport(volume, pdfs, supplements=check_supplements(proc.papers, opts.papers_dir, cache))
        for pid, item in report.supplements.items():
            if item.publishable:
                status = volume.pdfs[pid]
                status.supplementary, status.supplementary_size, status.supplementary_sha256 = item.site_name, item.size, item.sha256
        memo = FirstPageMemo(cache)
        for paper in proc.papers:  # the same problems `check` reports; a missing PDF is only pending here
            problems = paper_problems(paper, pdfs[paper.id], proc.workshop, missing_level="warning", memo=memo)
            if paper.id in report.supplements:
                problems += report.supplements[paper.id].problems
            for problem in problems:
                report.warnings.append(f"{problem.level}: paper {paper.id!r}: {problem.message} [{problem.code}]")
                if problem.level == "error" and problem.code in UNPUBLISHABLE:  # a review copy, another paper's file
                    pdfs[paper.id].problems.append(problem)
                    volume.pdfs[paper.id] = PdfStatus.from_paper_pdf(pdfs[paper.id])
                elif problem.code == "pdf-review-copy-published":
                    volume.pdfs[paper.id].review_note = paper.publish_review_copy
        memo.save()
        errors = [w for w in report.warnings if w.startswith("error")]
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


def _build_and_publish(opts: BuildOptions, volume: Volume, pdfs: dict[str, PaperPdf], report: BuildReport, search: SearchIndexJob,
                       out: Path, staging: Path) -> BuildReport:
    """Sources -> (unless nothing changed) Sphinx into the staging copy -> artifacts -> search -> swap."""
    cache = opts.cache
    data_path = cache / "volume.json"  # absolute (see BuildOptions.cache): it is a Sphinx configuration value
    volume_json = volume.to_json()
    write_if_changed(data_path, volume_json)
    src = cache / "source"
    src.mkdir(parents=True, exist_ok=True)
    docnames, report.rewritten = write_sources(volume, src, opts.docs_dir if opts.docs_dir and opts.docs_dir.is_dir() else None)

    inputs = _fingerprint(volume_json, src, _confdir(opts.docs_dir))
    published_inputs, published_warnings = _site_inputs(out)
    if published_inputs == inputs and not (opts.strict and published_warnings) and all((out / f"{d}.html").is_file() for d in docnames):
        if not opts.quiet:
            print("nothing changed since the published build; site is up to date", file=sys.stderr)
        report.up_to_date = True
        return report
    site_id = _follow_published(out, staging, cache, opts.quiet)
    if site_id is None:  # no published site to start from
        site_id, complete = _site_id(staging)
        if not complete or site_id is None:
            _discard(staging)  # a failed or killed build: start that copy afresh
            site_id = uuid.uuid4().hex[:12]
            staging.mkdir(parents=True)
    doctrees = cache / "doctrees" / site_id
    _mark(staging, site_id, complete=False)

    warnings = run_sphinx(volume, src, staging, doctrees, data_path, opts)
    if opts.strict and warnings:
        raise BuildError(f"--strict: Sphinx reported {warnings} warning(s); the published site is unchanged")
    missing = [d for d in docnames if not (staging / f"{d}.html").is_file()]
    if missing:
        raise BuildError(f"Sphinx did not write {len(missing)} page(s), e.g. {missing[0]}.html; see the messages above")
    remove_stale_pages(staging, volume)
    pdf_sources = {pid: e.path for pid, e in pdfs.items() if e.publishable and e.path is not None}
    thumb_sources = {pid: ThumbCache(cache).path(volume.pdfs[pid].sha256) for pid in pdf_sources if volume.pdfs[pid].thumbnail}
    page_keys = {p.id: hashlib.sha256((src / "papers" / f"{p.id}.md").read_bytes()).hexdigest()[:20] for p in volume.proc.papers}
    supplement_sources = {pid: s.path for pid, s in report.supplements.items() if s.publishable and s.path is not None}
    write_artifacts(volume, staging, pdf_sources, thumb_sources, page_keys, supplement_sources)
    try:
        report.search_index = search.finish(staging, out if out.is_dir() else None)
    except SearchIndexError as exc:
        raise BuildError(str(exc)) from None
    _mark(staging, site_id, complete=True, inputs=inputs, warnings=warnings)
    _publish(staging, out)
    if not staging.exists():
        # A first build: make the second copy now (a copy of this site and its doctrees), so the
        # organizer's first correction is an incremental build rather than a copy plus a build.
        copy_id = _follow_published(out, staging, cache, opts.quiet)
        if copy_id is not None:
            _mark(staging, copy_id, complete=True, inputs=inputs, warnings=warnings)
    _forget_old_doctrees(cache, {site_id, _site_id(staging)[0]})
    return report


def _forget_old_doctrees(cache: Path, keep: set[str | None]) -> None:
    root = cache / "doctrees"
    if root.is_dir():
        for child in root.iterdir():
            if child.name not in keep:
                shutil.rmtree(child, ignore_errors=True)
