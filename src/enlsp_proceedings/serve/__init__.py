"""``nox -s serve`` (``python -m enlsp_proceedings.serve``): the local preview (`publish.preview`),
each rebuild started warm.

A build's process spends nearly half of a small edit importing: Sphinx, its extensions, the theme
and the tool took 0.9 s of a 2.0 s one-title edit of the real archive (two editions, 120 papers).
The preview runs many builds, so it forks each one from a process that has imported all of that
once (the standard library's forkserver, `WarmBuilds`, preloading `preload`): a rebuild starts
where a build's imports end (one title edited: 1.9 s against 2.7 s, a no-change rebuild 0.12 s
against 0.51 s, alternating on the real archive), and still runs in a process of its own: a
failed or killed build never takes the preview down, and its memory is returned when it ends.
Where there is no forkserver (Windows), each build is a new process, as
``python -m enlsp_proceedings build`` is. The builds run the tool's code as it was when the preview
started (and stamp their outputs with that code's digest): restart it after upgrading the tool.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from typing import TYPE_CHECKING

from enlsp_proceedings.publish import preview

if TYPE_CHECKING:  # not on Windows, which has no forkserver
    from multiprocessing.context import ForkServerContext

#: Imported by the process the builds are forked from (`preload`: everything a build imports).
PRELOAD = ("enlsp_proceedings.serve.preload",)


def forkserver() -> ForkServerContext | None:
    """The forkserver context, preloading `PRELOAD`; None where the platform has none."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return None
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(list(PRELOAD))
    return context


class WarmBuilds:
    """Runs ``enlsp-proceedings <cli_args>`` in a process forked from the forkserver: its exit status."""

    def __init__(self, context: ForkServerContext, cli_args: list[str]):
        self.context = context
        self.cli_args = cli_args

    def __call__(self) -> int:
        process = self.context.Process(target=_build, args=(self.cli_args,), name="enlsp-proceedings build")
        process.start()
        process.join()
        return process.exitcode if process.exitcode is not None else 1


def _build(cli_args: list[str]) -> None:
    """One build, as the command line runs it (`cli.run`: flush, then leave without tearing down)."""
    from enlsp_proceedings.cli import run

    run(cli_args)


def warm_runner(cli_args: list[str]) -> Callable[[], int] | None:
    """`WarmBuilds` of these arguments; None (a new process per build) where there is no forkserver."""
    context = forkserver()
    return WarmBuilds(context, cli_args) if context is not None else None


def main(argv: list[str] | None = None) -> int:
    """``nox -s serve``: `publish.preview.main`, its builds warm."""
    return preview.main(argv, make_runner=warm_runner, prog="python -m enlsp_proceedings.serve")
