"""A build's data and Python's cyclic garbage collector.

A build loads its data once and keeps nearly all of it to its end. Python's collector scans every
tracked object in each of its full passes, and makes a full pass whenever the tracked objects have
grown by a quarter since the last one. A one-paper edit of a series of 10 editions × 1,000 papers
made twelve full passes before Sphinx started: 2.3 s of a 12 s build, none of which freed
anything. `set_aside`, called when a stage of the build is done, tells the collector that what exists
now lives as long as the build (`gc.freeze`): its passes stop scanning it. `build_heap`, around a
build, hands all of it back at the end (`gc.unfreeze`), so that a process running many builds (the
tests, the preview) frees each one's data as before. Sphinx's run sets aside the environment it
loads (`publish.sphinx_run.run_sphinx`), and the series' pages, built beside an edition's, are forked
from a process whose data is set aside (`publish.sphinx_run.SphinxRun`): the copy's passes would
otherwise touch, and so copy, every page of memory it shares with its parent. After a Sphinx run,
`free_garbage` frees the application it leaves behind (one full pass), so that a first build of many
editions does not hold every edition's.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

_builds = 0  # builds running in this process (`build_heap`s entered and not left)
_last_stage = False  # this process ends after the stage it runs (`last_stage`)
_garbage_kept = False  # within `garbage_kept`


@contextlib.contextmanager
def build_heap() -> Iterator[None]:
    """One build: what `set_aside` set aside is handed back to the collector when it ends, however it ends."""
    global _builds
    _builds += 1
    try:
        yield
    finally:
        _builds -= 1
        if not _builds:
            gc.unfreeze()


def set_aside() -> None:
    """What exists now lives as long as the build: the collector's passes stop scanning it. Outside a
    `build_heap` (nothing would hand it back), nothing is done."""
    if _builds:
        gc.freeze()


@contextlib.contextmanager
def loading() -> Iterator[None]:
    """No pass of the collector within it: for reading back a pickle (Sphinx's environment, a
    memo of the build's cache) or importing modules. Unpickling makes millions of objects and no garbage; with the
    collector running meanwhile, Sphinx's environment of 1,000 papers took 0.4 s to load instead
    of 0.1 s. The collector runs again as before when it ends; within a build, what was read is
    set aside first (`set_aside`: a build keeps what it reads back to its end), so that the pass
    its new objects bring on does not scan them all (0.1–0.2 s over the memos of a 10 × 1,000-paper
    edit)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        set_aside()
        if collecting:
            gc.enable()


def free_garbage() -> None:
    """Free what a stage left behind, and set aside what remains: one full pass of the collector
    (within a build). A Sphinx application and its environment are cyclic: set aside, each edition's
    would stay in memory until the build ends (a first build of 10 × 1,000 papers grew by 130 MB).
    Not in a process that ends with its stage (`last_stage`): the pass would only delay its end."""
    if _builds and not _last_stage and not _garbage_kept:
        gc.unfreeze()
        gc.collect()
        gc.freeze()


@contextlib.contextmanager
def garbage_kept() -> Iterator[None]:
    """Within it, `free_garbage` frees nothing: for the one small Sphinx run of a one-edition update
    (a one-paper edit), after which the process only writes downloads and publishes. Its pass took
    0.17 s of a 2 × 500-paper edit and 0.2–0.6 s at 10 × 1,000; what it would free (that run's
    application, its environment of one edition) lives until the command ends. Not for a first
    build, or one of several editions: each run's garbage would add to the next one's peak."""
    global _garbage_kept
    before, _garbage_kept = _garbage_kept, True
    try:
        yield
    finally:
        _garbage_kept = before


def last_stage() -> None:
    """This process ends when the stage it runs does (the copy of `publish.sphinx_run.SphinxRun`)."""
    global _last_stage
    _last_stage = True


def kept_until_exit() -> None:
    """This process ends when its command does, without tearing down (`cli.run`): what its build sets
    aside is never handed back, which would cost one more pass over all of it (0.7 s at 10 × 1,000
    papers) just before the process leaves."""
    global _builds
    _builds += 1
