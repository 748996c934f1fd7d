"""Stage 4: load -> extract -> render -> Sphinx -> publish, atomically and incrementally.

Publishing uses two complete site directories: the published one (``out``) and a
staging copy beside it that holds the previous build. Each has its own Sphinx
environment (doctree cache), so building into staging is an ordinary incremental
Sphinx build; on success the two directories are exchanged in one atomic rename.
A failed or killed build never touches ``out``; its half-built staging is discarded
on the next run.
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import json
import os
import shutil
import sys
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from .extract import PaperPdf, extract_all, print_progress
from .load import load_proceedings
from .models import Proceedings
from .render import remove_stale_pages, write_artifacts, write_if_changed, write_sources
from .search import write_search_index
from .volume import PdfStatus, Volume

PACKAGE_DIR = Path(__file__).parent
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
        return self.cache_dir or self.out_dir.parent / ".enlsp-cache"


@dataclass
class BuildReport:
    volume: Volume
    pdfs: dict[str, PaperPdf]
    warnings: list[str] = field(default_factory=list)
    rewritten: list[str] = field(default_factory=list)
    search_index: str = ""  # "indexed", "copied" or "unchanged"


def prepare_volume(proc: Proceedings, papers_dir: Path, cache_dir: Path, quiet: bool = False) -> tuple[Volume, dict[str, PaperPdf]]:
    """Extract PDF facts (cached) and combine them with the metadata."""
    pdfs = extract_all(proc.papers, papers_dir, cache_dir, progress=None if quiet else print_progress)
    statuses = {pid: PdfStatus.from_paper_pdf(entry) for pid, entry in pdfs.items()}
    return Volume(proc, statuses), pdfs


def _site_id(site: Path) -> tuple[str | None, bool]:
    try:
        data = json.loads((site / MARKER).read_text())
        return str(data["id"]), bool(data["complete"])
    except (OSError, ValueError, KeyError, TypeError):
        return None, False


def _mark(site: Path, site_id: str, complete: bool) -> None:
    path = site / MARKER
    path.write_text(json.dumps({"id": site_id, "complete": complete}))
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


@contextlib.contextmanager
def _lock(cache: Path):
    cache.mkdir(parents=True, exist_ok=True)
    with open(cache / "build.lock", "w") as fh:
        try:
            fcntl.lockf(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)  # POSIX lock: not inherited by forked helpers
        except BlockingIOError:
            raise BuildError(f"another build is running (lock {cache / 'build.lock'})") from None
        yield


def _confdir(docs_dir: Path | None) -> Path:
    if docs_dir is not None and (docs_dir / "conf.py").is_file():
        return docs_dir
    return PACKAGE_DIR / "site"


def _jobs(jobs: int | str) -> int:
    if jobs == "auto":
        return os.cpu_count() or 1
    return max(1, int(jobs))


def run_sphinx(volume: Volume, src: Path, site: Path, doctrees: Path, data_path: Path, opts: BuildOptions) -> int:
    """Incremental Sphinx HTML build of ``src`` into ``site``; returns the warning count."""
    from sphinx.application import Sphinx
    from sphinx.util.docutils import docutils_namespace, patch_docutils

    overrides = {"enlsp_data": str(data_path)}
    confdir = _confdir(opts.docs_dir)
    status = None if opts.quiet else sys.stderr
    with patch_docutils(confdir), docutils_namespace():
        app = Sphinx(
            src, confdir, site, doctrees, "html",
            confoverrides=overrides, status=status, warning=sys.stderr,
            freshenv=False, warningiserror=False, parallel=_jobs(opts.jobs), keep_going=True,
        )
        app.build(force_all=False)
        return app._warncount  # noqa: SLF001 - Sphinx has no public counter


def build_site(opts: BuildOptions) -> BuildReport:
    """The whole pipeline. Raises ConfError / BuildError for problems a user can fix."""
    proc = load_proceedings(opts.conf_dir)
    cache = opts.cache
    with _lock(cache):
        volume, pdfs = prepare_volume(proc, opts.papers_dir, cache, opts.quiet)
        report = BuildReport(volume, pdfs)
        for paper_id, entry in pdfs.items():
            for problem in entry.problems:
                report.warnings.append(f"{problem.level}: paper {paper_id!r}: {problem.message}")
        errors = [w for w in report.warnings if w.startswith("error")]
        if opts.strict and errors:
            raise BuildError("--strict: " + "; ".join(errors))

        data_path = cache / "volume.json"
        write_if_changed(data_path, volume.to_json())
        src = cache / "source"
        src.mkdir(parents=True, exist_ok=True)
        docnames, report.rewritten = write_sources(volume, src, opts.docs_dir if opts.docs_dir and opts.docs_dir.is_dir() else None)

        out = opts.out_dir.resolve()
        staging = out.with_name(f".{out.name}.staging")
        site_id, complete = _site_id(staging)
        if staging.exists() and not complete:
            shutil.rmtree(staging)  # a failed or killed build: start that copy afresh
            site_id = None
        if site_id is None:
            site_id = uuid.uuid4().hex[:12]
            staging.mkdir(parents=True, exist_ok=True)
        doctrees = cache / "doctrees" / site_id
        if not complete:
            shutil.rmtree(doctrees, ignore_errors=True)
        _mark(staging, site_id, complete=False)

        warnings = run_sphinx(volume, src, staging, doctrees, data_path, opts)
        if opts.strict and warnings:
            raise BuildError(f"--strict: Sphinx reported {warnings} warning(s); the published site is unchanged")
        missing = [d for d in docnames if not (staging / f"{d}.html").is_file()]
        if missing:
            raise BuildError(f"Sphinx did not write {len(missing)} page(s), e.g. {missing[0]}.html; see the messages above")
        remove_stale_pages(staging, volume)
        pdf_sources = {pid: e.path for pid, e in pdfs.items() if e.publishable and e.path is not None}
        write_artifacts(volume, staging, pdf_sources)
        report.search_index = write_search_index(volume, pdfs, staging, out if out.is_dir() else None)
        _mark(staging, site_id, complete=True)
        _publish(staging, out)
        _forget_old_doctrees(cache, {site_id, _site_id(staging)[0]})
    return report


def _forget_old_doctrees(cache: Path, keep: set[str | None]) -> None:
    root = cache / "doctrees"
    if root.is_dir():
        for child in root.iterdir():
            if child.name not in keep:
                shutil.rmtree(child, ignore_errors=True)
