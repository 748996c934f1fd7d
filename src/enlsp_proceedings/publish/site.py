"""The site copies on disk: the published site (``out``), its staging copy, and how one becomes the other.

Publishing uses two complete site directories: the published one (``out``) and a staging
copy beside it. Each has its own Sphinx environment (doctree cache), so building into
staging is an ordinary incremental Sphinx build; on success the two directories are
exchanged in one atomic rename (`publish`). After an exchange, staging holds the site of
the build before; the next build first brings it up to date from ``out`` by copying only
the files that differ (`follow_published`, `_mirror`). Every copy carries `MARKER` (its id,
whether it is complete, the fingerprint of its inputs): only a directory holding it is ever
replaced or deleted (`discard`). Locks (`lock_cache`, `lock_out`) keep two builds apart; they use
``fcntl`` where it exists and ``msvcrt`` elsewhere (Windows).
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import shutil
import sys
import uuid
from collections.abc import Callable
from pathlib import Path

from enlsp_proceedings.publish.errors import BuildError
from enlsp_proceedings.search.index import INDEX_DIR
from enlsp_proceedings.util.files import link_or_copy, write_atomically
from enlsp_proceedings.util.files import try_lock as _try_lock

#: Written into every site directory this tool makes (the published one and its staging copy):
#: only a directory holding it is ever replaced or deleted.
MARKER = ".enlsp-site.json"


def marker_id(site: Path) -> tuple[str | None, bool]:
    """(the site copy's id, whether it is complete) from its `MARKER`; (None, False) without one."""
    try:
        data = json.loads((site / MARKER).read_text())
        return str(data["id"]), bool(data["complete"])
    except (OSError, ValueError, KeyError, TypeError):
        return None, False


def marker_inputs(site: Path) -> tuple[str | None, int]:
    """Fingerprint of the inputs a complete site was built from (see `sources.fingerprint`), and its Sphinx warning count."""
    try:
        data = json.loads((site / MARKER).read_text())
        return (str(data["inputs"]) if data.get("complete") else None), int(data.get("warnings") or 0)
    except (OSError, ValueError, KeyError, TypeError):
        return None, 0


def mark(site: Path, site_id: str, complete: bool, inputs: str | None = None, warnings: int = 0) -> None:
    """Write the site copy's `MARKER`; a complete one is flushed to disk before the copy is published."""
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
    except (AttributeError, OSError, TypeError):  # no renameat2; TypeError: no C library to load by None (Windows)
        pass
    aside = a.with_name(a.name + ".old-" + uuid.uuid4().hex[:8])
    os.rename(a, aside)
    os.rename(b, a)
    os.rename(aside, b)


def publish(staging: Path, out: Path) -> None:
    """Make the staging copy the published site: exchanged with ``out`` in one rename, or renamed to it."""
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.exists():
        _exchange(staging, out)
    else:
        os.rename(staging, out)


#: Written into the cache directory (``--cache``) when the tool first uses it: the tool deletes what
#: it no longer needs there (old page sources, doctrees), so it only ever works in a directory it made.
CACHE_MARKER = ".enlsp-cache.json"
#: What the cache of a version before `CACHE_MARKER` holds at its top level (`_earlier_cache`).
_CACHE_ENTRIES = frozenset({"build.lock", "doctrees", "source", "volume.json", "pdf-facts", "pdf-hashes.json", "thumbs",
                            "first-page-checks.json", "name-variants.json", "reported-warnings.json"})


def _earlier_cache(entries: list[Path]) -> bool:
    """Whether a directory without `CACHE_MARKER` is the cache of an earlier version of the tool: it
    holds nothing but what such a cache holds (temporary files and the search index's work
    directories included), and something only a build or check writes (a lock or PDF hashes).
    A Sphinx project's ``source/`` beside anything else (a ``Makefile``, ``build/``) is not one."""
    names = {entry.name for entry in entries}
    ours = all(name in _CACHE_ENTRIES or name.startswith(".tmp-") or (name.startswith(f"{INDEX_DIR}.") and name.endswith(".tmp"))
               for name in names)
    return ours and bool(names & {"build.lock", "pdf-hashes.json", "pdf-facts"})


def claim_cache(cache: Path, flag: str = "--cache") -> None:
    """Make sure ``cache`` is this tool's cache before anything is written or deleted in it.

    A new or empty directory, or one holding `CACHE_MARKER` (or an earlier version's cache,
    `_earlier_cache`), is the tool's: it gets the marker. Any other directory holds someone's
    files, which the build would delete (it keeps only the page sources and doctrees it needs
    there): a BuildError says so, and nothing is touched.
    """
    if (cache / CACHE_MARKER).is_file():
        return
    if os.path.lexists(cache) and not cache.is_dir():
        raise BuildError(f"{flag} {cache} is not a directory")
    try:
        entries = list(cache.iterdir()) if cache.is_dir() else []
    except OSError as exc:
        raise BuildError(f"{flag} {cache} cannot be read ({exc.strerror or exc})") from None
    if entries and not _earlier_cache(entries):
        raise BuildError(f"{flag} {cache} holds files that enlsp-proceedings did not write (it has no {CACHE_MARKER}); "
                         "the cache keeps only what the tool needs and deletes the rest, so it must be a directory of its "
                         "own: choose a new or empty one (nothing was changed there)")
    cache.mkdir(parents=True, exist_ok=True)
    try:
        write_atomically(cache / CACHE_MARKER, json.dumps({"made_by": "enlsp-proceedings", "what": "cache of page sources, "
                                                           "doctrees and PDF facts; safe to delete"}) + "\n")
    except OSError:
        # A full disk, say: the cache is an optimization. `check` goes on without it; a build
        # stops at its first write there, with one sentence. The directory was empty or an
        # earlier cache, so the next run claims it again.
        pass


@contextlib.contextmanager
def lock_cache(cache: Path):
    """Hold the cache's lock for the build; another build with this cache stops with a BuildError."""
    cache.mkdir(parents=True, exist_ok=True)
    with open(cache / "build.lock", "w") as fh:
        if not _try_lock(fh):
            raise BuildError(f"another build is running (lock {cache / 'build.lock'})")
        yield


def out_lock_path(out: Path) -> Path:
    """The lock beside ``--out`` that a build holds from start to publish, whatever its cache."""
    return out.with_name(f".{out.name}.lock")


@contextlib.contextmanager
def lock_out(out: Path):
    """Two builds of one ``--out`` (with different caches) must not both publish: the second stops."""
    path = out_lock_path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as fh:
        if not _try_lock(fh):
            raise BuildError(f"another build is publishing to {out} (lock {path}); wait for it to finish")
        yield


def discard(path: Path, *, required: bool = True) -> None:
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


def _copy_file(src: str, dst: str, link: bool) -> None:
    (link_or_copy if link else shutil.copy2)(src, dst)  # copy2 keeps the mtime: Sphinx decides what is outdated by mtimes


def _remove(entry: os.DirEntry) -> None:
    if entry.is_dir(follow_symlinks=False):
        shutil.rmtree(entry.path)
    else:
        os.unlink(entry.path)


def _below(paths: frozenset[str]) -> dict[str, frozenset[str]]:
    """The paths of ``paths`` below each folder, relative to it (``2023/papers`` -> ``{"2023": {"papers"}}``):
    split once per folder, as a series' person pages (13,727 of them at 10 × 1,000 papers) may be among them."""
    found: dict[str, set[str]] = {}
    for path in paths:
        head, slash, rest = path.partition("/")
        if slash:
            found.setdefault(head, set()).add(rest)
    return {head: frozenset(rest) for head, rest in found.items()}


def _link_bundle(src: str, dst: str) -> None:
    """A search bundle (a folder named by its content, never written in place) as hard links,
    under a temporary name first: a half-made copy never carries the bundle's name."""
    partial = os.path.join(os.path.dirname(dst), f".{os.path.basename(dst)}.tmp")
    shutil.rmtree(partial, ignore_errors=True)
    shutil.copytree(src, partial, copy_function=link_or_copy)
    os.rename(partial, dst)


def _mirror(src: str, dst: str, skip: frozenset[str] = frozenset(), link_pdfs_in: frozenset[str] = frozenset(), link: bool = False,
            bundles: bool = False) -> int:
    """Make ``dst`` a copy of ``src``, copying only files whose (size, mtime) differ; returns the number copied.

    Paths in ``skip`` (from ``src``: ``pagefind``, ``2023/pagefind``) are neither copied nor
    deleted. PDFs under the directories ``link_pdfs_in`` (``papers``, ``2023/papers``) are
    hard-linked: those are only ever replaced by rename (`util.files.copy_atomically`), whereas
    Sphinx rewrites pages, doctrees and static files in place, so those must be copies. So are
    the search index's bundles (the folders of a `INDEX_DIR`, named by their content): one
    already in ``dst`` is kept as it is, a new one is linked whole. A differing target is
    unlinked before the copy, never written through (it may be a link shared with ``src``).
    """
    try:
        existing = {e.name: e for e in os.scandir(dst)}
    except FileNotFoundError:
        os.mkdir(dst)
        existing = {}
    copied = 0
    skip_below: dict[str, frozenset[str]] | None = None  # made at the first folder
    link_below: dict[str, frozenset[str]] = {}
    for entry in os.scandir(src):
        name = entry.name
        if name in skip:
            continue
        old = existing.pop(name, None)
        target = os.path.join(dst, name)
        if entry.is_dir():
            if old is not None and not old.is_dir(follow_symlinks=False):
                os.unlink(old.path)
                old = None
            if bundles and not name.startswith("."):
                if old is None:
                    _link_bundle(entry.path, target)
                    copied += 1
                continue
            if skip_below is None:
                skip_below, link_below = _below(skip), _below(link_pdfs_in)
            copied += _mirror(entry.path, target, skip_below.get(name, frozenset()), link_below.get(name, frozenset()),
                              link or name in link_pdfs_in, bundles=name == INDEX_DIR)
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


def has_doctrees(doctrees: Path) -> bool:
    """Whether a site copy's doctree folder holds Sphinx's saved environment: at its top (a single
    workshop's) or in each project's sub-folder (a series': one per edition and the series' own)."""
    if (doctrees / "environment.pickle").is_file():
        return True
    try:
        projects = [child for child in doctrees.iterdir() if child.is_dir()]
    except OSError:
        return False
    return bool(projects) and all((child / "environment.pickle").is_file() for child in projects)


def follow_published(out: Path, staging: Path, cache: Path, quiet: bool = True, link_pdfs_in: frozenset[str] = frozenset({"papers"}),
                     rebuilt: frozenset[str] = frozenset(), alike: frozenset[str] = frozenset(),
                     alike_files: Callable[[Path, Path], frozenset[str]] | None = None, own: frozenset[str] = frozenset()) -> str | None:
    """Make staging (and its doctrees) a copy of the published site, copying only what differs; returns its site id.

    After an exchange staging holds the build before the published one; built into as
    is, Sphinx would re-read the pages of the previous change too. Staging is left
    marked incomplete (the caller marks it), so a copy stopped halfway is discarded by
    the next build, never trusted. None, staging untouched, when ``out`` is no complete
    site with its doctrees. PDFs under ``link_pdfs_in`` (folders of the site) are hard-linked.
    ``rebuilt`` names folders of a series' editions that this build rebuilds: like a single
    workshop's, their search index is left to the search step. ``alike`` names folders (a series'
    editions) that the caller found built from the same inputs in both copies: a complete copy's are
    left as they are, pages and doctrees (at 10,000 papers, walking them was seconds of every edit).
    ``alike_files``, given the doctrees of the published copy and of a complete staging copy, names
    files (paths in the site) that the caller can tell are the same in both copies from what those
    doctrees record (a series' person pages, `publish.series._alike_person_pages`): those are left
    as they are too. So are the files of ``own`` (paths in the site) in a complete staging copy: the
    build brings them up to date itself, from that copy's own record of what they hold (a series'
    ``all/``, `publish.all_downloads.OWN_FILES`: 65 MB at 10 × 1,000 papers that were copied on every
    edit, then written again).
    """
    out_id, out_complete = marker_id(out)
    if not out_complete or out_id is None or not has_doctrees(cache / "doctrees" / out_id):
        return None
    site_id, complete = marker_id(staging)
    trusted = complete and site_id is not None and site_id != out_id
    if trusted and marker_inputs(staging)[0] == marker_inputs(out)[0]:
        return site_id  # already a build of the published inputs
    if trusted and site_id is not None:
        # A lagging copy keeps its search index: the search job has already chosen, by
        # digest, which copy's index this build reuses.
        skip = frozenset({MARKER, INDEX_DIR, *alike, *(f"{folder}/{INDEX_DIR}" for folder in rebuilt), *own})
        if alike_files is not None:  # before the doctrees are copied: they say what the staging copy holds
            skip |= alike_files(cache / "doctrees" / out_id, cache / "doctrees" / site_id)
        same = alike
    else:  # missing, or a build or copy that did not finish
        discard(staging)
        discard(staging.with_name(staging.name + ".tmp"), required=False)  # where earlier versions made the copy
        if site_id is not None and site_id != out_id:
            shutil.rmtree(cache / "doctrees" / site_id, ignore_errors=True)
        site_id, skip, same = uuid.uuid4().hex[:12], frozenset({MARKER}), frozenset()
        staging.mkdir(parents=True)
    mark(staging, site_id, complete=False)
    copied = _mirror(str(cache / "doctrees" / out_id), str(cache / "doctrees" / site_id), same)
    copied += _mirror(str(out), str(staging), skip, link_pdfs_in=link_pdfs_in)
    if not quiet and not trusted:  # the first copy takes a while; later ones are a few files
        print(f"kept a second copy of the site for fast rebuilds ({copied} files copied)", file=sys.stderr, flush=True)
    return site_id


def forget_old_doctrees(cache: Path, keep: set[str | None]) -> None:
    """Delete the doctrees of site copies that no longer exist (those of ``keep`` stay)."""
    root = cache / "doctrees"
    if root.is_dir():
        for child in root.iterdir():
            if child.name not in keep:
                shutil.rmtree(child, ignore_errors=True)
