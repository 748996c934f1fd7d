"""Running Sphinx: one incremental HTML build of the generated sources into a site copy (`run_sphinx`).

Sphinx's status stream is reduced to what an organizer needs (`SphinxProgress`); its warning
stream is passed on, counted, and watched for pages it could not write (`_WarningStream`),
which fail the build. The Sphinx configuration directory is the project's ``docs/`` when it
has a ``conf.py``, else the extension's default one (`sphinx_confdir`).
"""

from __future__ import annotations

import gc
import os
import re
import sys
from pathlib import Path
from typing import IO, TYPE_CHECKING, cast

from enlsp_proceedings.outputs.volume import Volume
from enlsp_proceedings.publish.errors import USER_OS_ERRORS, BuildError

if TYPE_CHECKING:
    from enlsp_proceedings.publish.pipeline import BuildOptions


def sphinx_confdir(docs_dir: Path | None) -> Path:
    """The Sphinx configuration directory: ``docs_dir`` when it has a conf.py, else the extension's default."""
    if docs_dir is not None and (docs_dir / "conf.py").is_file():
        return docs_dir
    return Path(__file__).resolve().parent.parent / "sphinxext" / "default_conf"


def _jobs(jobs: int | str) -> int:
    if jobs == "auto":
        return os.cpu_count() or 1
    return max(1, int(jobs))


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
        #: the batch of pages being written (pages before it, its pages, all pages), when Sphinx writes in batches
        self.batch: tuple[int, int, int] | None = None

    def write(self, text: str) -> int:
        """Take Sphinx's status text; complete lines are shown (reduced), the rest waits for its line end."""
        self.buffer += text
        *lines, self.buffer = re.split(r"[\r\n]", self.buffer)
        for line in lines:
            self._line(self._ANSI.sub("", line))
        return len(text)

    def flush(self) -> None:
        """Flush the stream the progress goes to."""
        self.stream.flush()

    def isatty(self) -> bool:
        """Not a terminal to Sphinx: no colours, no carriage-return progress bars."""
        return False  # no colours, no carriage-return progress bars

    def _line(self, line: str) -> None:
        changed = re.search(r"updating environment: (?:\[[^]]*\] )?(\d+) added, (\d+) changed, (\d+) removed", line)
        if changed:
            added, modified, removed = (int(x) for x in changed.groups())
            print(f"pages: {added} new, {modified} changed, {removed} removed", file=self.stream, flush=True)
            return
        batch = re.fullmatch(r"writing pages (\d+)-(\d+) of (\d+)", line)  # `parallel.BATCH_MESSAGE`
        if batch:
            first, last, total = (int(x) for x in batch.groups())
            self.batch = (first - 1, last - first + 1, total)
            return
        step = re.match(r"(reading sources|writing output)\.\.\. \[\s*(\d+)%\]", line)
        if step:
            phase = "reading" if step.group(1) == "reading sources" else "writing"
            shown = int(step.group(2))
            if phase == "writing" and self.batch is not None:  # a batch's own percentage, of every page written
                done, size, total = self.batch
                shown = (done + size * shown // 100) * 100 // total
            percent = shown // 25 * 25  # at most five lines per phase
            if (phase, percent) not in self.shown:
                self.shown.add((phase, percent))
                print(f"{phase} pages... {shown}%", file=self.stream, flush=True)


class _WarningStream:
    """Sphinx's warning stream, passed on to stderr, and where the build counts its warnings.

    Sphinx's logging writes each warning it shows with one ``write`` (a `logging.StreamHandler`
    writes a record and its line end at once), so `count` is the number of warnings shown;
    ``--strict`` fails on any. Sphinx only warns when it cannot write a page (a full disk
    leaves it half-written), so such warnings are remembered: the build then fails.
    """

    def __init__(self, target):
        self.target = target
        self.count = 0
        self.unwritten: list[str] = []

    def write(self, text: str) -> int:
        if text.strip():
            self.count += 1
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
    if found and int(found[2]) in USER_OS_ERRORS:
        return f"{USER_OS_ERRORS[int(found[2])]} while writing {found[1]}"
    return "Sphinx could not write a page: " + warning[warning.find("error writing file"):]


def run_sphinx(volume: Volume | None, src: Path, site: Path, doctrees: Path, data_path: Path, opts: BuildOptions, config_key: str = "enlsp_data") -> int:
    """Incremental Sphinx HTML build of ``src`` into ``site``; returns the number of warnings it showed. A page
    Sphinx could not write (it only warns) is a BuildError: the site is not published. ``data_path`` is
    the saved volume (``config_key`` "enlsp_data") or a series' data ("enlsp_series")."""
    from sphinx.application import Sphinx
    from sphinx.util.docutils import docutils_namespace, patch_docutils

    overrides = {config_key: str(data_path)}
    confdir = sphinx_confdir(opts.docs_dir)
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
                confoverrides=overrides, status=cast("IO[str] | None", status), warning=cast("IO[str]", warnings),  # Sphinx only writes to them
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
        return warnings.count
