"""Sphinx's parallel reading and writing, kept for large builds and skipped for small ones."""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx
from sphinx.builders.html import StandaloneHTMLBuilder


def serial_read_for_small_updates(app: Sphinx, env: Any, docnames: list[str]) -> None:
    """Read a handful of changed pages in this process instead of in parallel workers.

    Sphinx's parallel read sends the whole environment to every worker and pickles it
    back (seconds for a 1,000-paper volume), which dwarfs reading the few pages a
    one-paper edit touches. Full and large rebuilds stay parallel.
    """
    known = len(env.all_docs)
    if app.parallel > 1 and known and len(docnames) < max(20, known // 20):
        env._enlsp_parallel = app.parallel  # noqa: SLF001 - restored in env-updated
        app.parallel = 1


class HTMLBuilder(StandaloneHTMLBuilder):
    """Sphinx's HTML builder, except that it writes a few pages in this process.

    Sphinx's parallel write forks a worker per chunk of pages; at 1,000 papers that copies
    a 400 MB process to write the eight pages of a one-paper edit, slower than writing
    them here. Large writes (a full build, a template change) stay parallel.
    """

    SERIAL_WRITES = 50

    def write_documents(self, docnames) -> None:
        parallel, self.parallel_ok = self.parallel_ok, self.parallel_ok and len(docnames) >= self.SERIAL_WRITES
        try:
            super().write_documents(docnames)
        finally:
            self.parallel_ok = parallel


def restore_parallel(app: Sphinx, env: Any) -> list[str]:
    """Writing many pages stays parallel (it only ships doctrees, not the environment)."""
    saved = env.__dict__.pop("_enlsp_parallel", None)
    if saved:
        app.parallel = saved
    return []
