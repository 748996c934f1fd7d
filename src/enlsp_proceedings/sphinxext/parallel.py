"""Sphinx's parallel reading and writing, kept for large builds and skipped for small ones.

Only for proceedings sites (an edition's ``enlsp_data`` or a series' ``enlsp_series`` set,
`data.proceedings_site`): another project that loads the extension keeps Sphinx's own ``html`` builder and
parallelism. Sphinx has no public setting for either threshold (sphinx-doc/sphinx#10967
asks for a chunk-size setting, #10779 for a cheaper parallel write; both open): when it
has one, or when its parallel read and write stop costing seconds for a handful of pages,
this module can go (measured in docs/workarounds.md). `slim_one_item_tocs` keeps the saved
environment, which a parallel read ships once per chunk of pages, small. `HTMLBuilder` writes a
large update in batches, which bounds the memory of its parallel write (sphinx-doc/sphinx#11448).
"""

from __future__ import annotations

import math
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.util import logging

from enlsp_proceedings.sphinxext.data import proceedings_site

logger = logging.getLogger(__name__)

#: What `HTMLBuilder` says before each batch of a write in batches (`publish.sphinx_run.SphinxProgress` reads it).
BATCH_MESSAGE = "writing pages {first}-{last} of {total}"


def serial_read_for_small_updates(app: Sphinx, env: Any, docnames: list[str]) -> None:
    """Read a handful of changed pages in this process instead of in parallel workers.

    Sphinx's parallel read sends the whole environment to every worker and pickles it
    back (seconds for a 1,000-paper volume), which dwarfs reading the few pages a
    one-paper edit touches. Full and large rebuilds stay parallel.
    """
    known = len(env.all_docs)
    if not proceedings_site(app.config):
        return
    if app.parallel > 1 and known and len(docnames) < max(20, known // 20):
        env._enlsp_parallel = app.parallel  # noqa: SLF001 - restored in env-updated
        app.parallel = 1


class HTMLBuilder(StandaloneHTMLBuilder):
    """Sphinx's HTML builder, except that it writes a few pages in this process, and many in batches.

    Sphinx's parallel write forks a worker per chunk of pages; at 1,000 papers that copies
    a 400 MB process to write the eight pages of a one-paper edit, slower than writing
    them here. Large writes (a full build, a template change) stay parallel.

    Sphinx's parallel write resolves every page before its workers have written the first
    chunk (``ParallelTasks.add_task`` does not wait), so the main process holds the doctree of
    every page it writes at once: some 500 MB for the 13,700 person pages of a series of ten
    editions of 1,000 papers. Handing Sphinx at most `BATCH` pages at a time (each batch
    written whole before the next is resolved) holds one batch's.
    """

    SERIAL_WRITES = 50
    BATCH = 1000

    def write_documents(self, docnames) -> None:
        """Write the pages: in this process when there are fewer than `SERIAL_WRITES`, else in
        parallel, in even batches of at most `BATCH` pages, in Sphinx's (sorted) order."""
        parallel, self.parallel_ok = self.parallel_ok, self.parallel_ok and len(docnames) >= self.SERIAL_WRITES
        try:
            batches = math.ceil(len(docnames) / self.BATCH) if self.parallel_ok else 1
            if batches <= 1:
                super().write_documents(docnames)
                return
            ordered, start = sorted(docnames), 0
            size, longer = divmod(len(ordered), batches)  # the first ``longer`` batches take one page more
            for number in range(batches):
                part = ordered[start:start + size + (number < longer)]
                logger.info(BATCH_MESSAGE.format(first=start + 1, last=start + len(part), total=len(ordered)))
                super().write_documents(set(part))
                start += len(part)
        finally:
            self.parallel_ok = parallel


def use_proceedings_builder(app: Sphinx, config: Any) -> None:
    """On a proceedings site (an edition's or a series' own pages), build ``html`` with `HTMLBuilder`.

    Runs at ``config-inited``, after the data path is known and before Sphinx creates its
    builder; other projects that load the extension keep Sphinx's builder."""
    if proceedings_site(config):
        app.add_builder(HTMLBuilder, override=True)


def restore_parallel(app: Sphinx, env: Any) -> list[str]:
    """Writing many pages stays parallel (it only ships doctrees, not the environment)."""
    saved = env.__dict__.pop("_enlsp_parallel", None)
    if saved:
        app.parallel = saved
    return []


def slim_one_item_tocs(app: Sphinx, doctree: nodes.document) -> None:
    """Keep only the title in the table of contents Sphinx saves for a one-item page (a paper, a
    talk, a person: no "On this page" column, see `directive`).

    Sphinx keeps every page's table of contents in its environment (``env.tocs``), which it
    pickles at every build and, in a parallel read, sends back whole from every worker to the
    main process, once per chunk of pages. The one-item pages are four pages in five and nothing
    shows their sections' list, but it was half of the environment (3.3 of 5.9 MB at 1,000
    papers), and the parallel read's cost grows with the environment's size times the number of
    chunks: at 5,000 papers, reading took most of a build. Runs after Sphinx's own collector
    (``doctree-read``, priority 900); only on proceedings sites.
    """
    env = app.env
    if not proceedings_site(app.config) or env.metadata.get(env.docname, {}).get("html_theme.sidebar_secondary.remove") != "true":
        return
    toc = env.tocs.get(env.docname)
    if toc is None:
        return
    for nested in list(toc.findall(nodes.bullet_list))[1:]:  # the sections under the page's title
        if nested.parent is not None:
            nested.parent.remove(nested)
    env.toc_num_entries[env.docname] = min(env.toc_num_entries.get(env.docname, 1), 1)
