"""Running Sphinx: one incremental HTML build of the generated sources into a site copy (`run_sphinx`).

Sphinx's status stream is reduced to what an organizer needs (`SphinxProgress`); its warning
stream is passed on, counted, and watched for pages it could not write (`_WarningStream`),
which fail the build. The Sphinx configuration directory is the project's ``docs/`` when it
has a ``conf.py``, else the extension's default one (`sphinx_confdir`). `SphinxRun` runs one
such build in a forked copy of the process, beside the build's own work (a series' pages
beside the edited edition's), and `import_sphinx` imports what a run imports, once, before
processes are forked (the copy, the preview's builds).
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import io
import logging
import multiprocessing
import os
import pickle
import re
import signal
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Generic, TypeVar, cast

from enlsp_proceedings.outputs.volume import Volume
from enlsp_proceedings.publish.errors import USER_OS_ERRORS, BuildError
from enlsp_proceedings.util.heap import free_garbage, last_stage, loading, set_aside

if TYPE_CHECKING:
    from enlsp_proceedings.publish.pipeline import BuildOptions

#: what a `SphinxRun`'s build returns (its number of warnings, or more)
R = TypeVar("R")


def sphinx_confdir(docs_dir: Path | None) -> Path:
    """The Sphinx configuration directory: ``docs_dir`` when it has a conf.py, else the extension's default."""
    if docs_dir is not None and (docs_dir / "conf.py").is_file():
        return docs_dir
    return Path(__file__).resolve().parent.parent / "sphinxext" / "default_conf"


def worker_count(jobs: int | str) -> int:
    """The processes ``--jobs`` allows Sphinx ("auto": one per core)."""
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


#: In the build's cache: the templates Jinja compiled (`sphinxext.html.template_cache`).
TEMPLATE_CACHE = "templates"


def run_sphinx(volume: Volume | None, src: Path, site: Path, doctrees: Path, data_path: Path, opts: BuildOptions, config_key: str = "enlsp_data",
               progress: IO[str] | None = None) -> int:
    """Incremental Sphinx HTML build of ``src`` into ``site``; returns the number of warnings it showed. A page
    Sphinx could not write (it only warns) is a BuildError: the site is not published. ``data_path`` is
    the saved volume (``config_key`` "enlsp_data") or the folder a series' data was handed under
    ("enlsp_series", `sphinxext.data.remember_series`). The progress
    goes to ``progress`` (standard error by default), warnings to standard error."""
    from sphinx.application import Sphinx
    from sphinx.util.docutils import docutils_namespace, patch_docutils

    overrides = {config_key: str(data_path), "enlsp_template_cache": str(opts.cache / TEMPLATE_CACHE)}
    confdir = sphinx_confdir(opts.docs_dir)
    status = None if opts.quiet else SphinxProgress(progress)
    warnings = _WarningStream(sys.stderr)
    with patch_docutils(confdir), docutils_namespace(), no_debug_records():
        # Loading the saved environment unpickles millions of objects (`util.heap.loading`); what
        # was loaded is then set aside, so later collections don't scan it again and again.
        with loading():
            app = Sphinx(
                src, confdir, site, doctrees, "html",
                confoverrides=overrides, status=cast("IO[str] | None", status), warning=cast("IO[str]", warnings),  # Sphinx only writes to them
                freshenv=False, warningiserror=False, parallel=worker_count(opts.jobs), keep_going=True,
            )
        set_aside()
        app.build(force_all=False)
        del app  # cyclic, like its environment: freed below
    free_garbage()
    if warnings.unwritten:
        raise BuildError(_unwritten_problem(warnings.unwritten[0]))
    return warnings.count


@contextlib.contextmanager
def no_debug_records() -> Iterator[None]:
    """No logging record of level DEBUG is made meanwhile (`logging.disable`). Sphinx sets its logger
    to DEBUG and leaves the choice to its handlers, which show DEBUG only at verbosity 2 or more; a
    build runs at 0. Every ``logger.debug`` still made a record for them to drop: each configuration
    value, directive, role and event added, each event emitted. At 10 × 1,000 papers that was
    0.07 s of an edit's two Sphinx runs. A level disabled before stays disabled."""
    before = logging.root.manager.disable  # what `logging.disable` set, as pytest's caplog reads it
    logging.disable(max(before, logging.DEBUG))
    try:
        yield
    finally:
        logging.disable(before)


#: the start method that copies this process, with the data it holds (None where there is none: Windows)
_FORK = multiprocessing.get_context("fork") if "fork" in multiprocessing.get_all_start_methods() else None


#: Modules a Sphinx run of the site imports on first use, besides Sphinx's built-in extensions and the site's own (`import_sphinx`)
SPHINX_MODULES = ("sphinx.application", "sphinx.builders.html", "enlsp_proceedings.sphinxext", "enlsp_proceedings.sphinxext.pages",
                  "pydata_sphinx_theme", "pydata_sphinx_theme.toctree", "pydata_sphinx_theme.translator", "myst_parser.sphinx_ext.main",
                  "myst_parser.parsers.sphinx_", "sphinx.ext.mathjax", "sphinx.builders.latex.transforms")


def import_sphinx() -> None:
    """Import what a Sphinx run of the site imports: `SPHINX_MODULES`, Sphinx's built-in extensions and
    the site's extensions and theme (`sphinxext.settings`). A process forked afterwards finds them
    imported. A module that fails to import is left to the run, which reports it."""
    from sphinx.application import builtin_extensions

    from enlsp_proceedings.sphinxext.settings import settings

    with loading():  # modules live as long as the process: a pass of the collector meanwhile frees nothing (28 ms of a 1,000-paper edit)
        for name in (*SPHINX_MODULES, *builtin_extensions, *settings()["extensions"]):
            import_quietly(name)


def import_quietly(name: str) -> None:
    """Import a module ahead of its use, saying nothing: one that fails is left to the code that needs it."""
    with contextlib.suppress(Exception), contextlib.redirect_stdout(io.StringIO()):  # sphinxext-opengraph prints a note
        importlib.import_module(name)


def cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - macOS, Windows
        return os.cpu_count() or 1


def sphinx_imported() -> bool:
    """Whether this process imported Sphinx already (the preview's builds are forked from one that did)."""
    return "sphinx.application" in sys.modules


class SphinxWorker:
    """A copy of the build forked once the series is loaded, which imports Sphinx while the build
    settles its editions, then runs the Sphinx runs of a one-edition update handed to it.

    A one-paper edit's two Sphinx runs (its edition's, the series' beside it: `SphinxRun`) waited
    for the build to import Sphinx first, on one core (0.3-0.5 s of a 1,000-paper edit, `import_sphinx`),
    while the other core had nothing to do. This copy imports it on that core meanwhile; the build then hands it the series' run, which it runs in a copy of itself forked
    at once (`beside`: its answer comes back as `SphinxRun`'s does), and the edition's run (`run`),
    which it runs itself. What a run needs is pickled to it: an edition's volume, whose people
    index, keys and cards are already computed (`sphinxext.data.remember_volume`), and the series'
    data (`sphinxext.data.remember_series`); the build's own process then never imports Sphinx. At
    1,000 papers the series' data took 0.04-0.05 s to pickle and send, where the import took
    0.3-0.5 s; at 10,000, 0.2-0.4 s, and as long again to read: more than the import, so a large
    series has no worker (`publish.series.WORKER_PAPERS`). Only where the build can fork and has two
    cores, and not in a process that imported Sphinx already (the preview's builds, forked from one
    that did). `close` ends it (and its copy) at once; it also dies with the build.
    """

    def __init__(self) -> None:
        assert _FORK is not None
        jobs_received, self._jobs = _FORK.Pipe(duplex=False)
        self._answers, answers = _FORK.Pipe(duplex=False)  # what `run` waits on
        #: what `SphinxRun.result` waits on, for the run handed over by `beside`
        self.beside_answers, beside_answers = _FORK.Pipe(duplex=False)
        #: the pipe's end the copy of `beside` waits on (`SphinxRun.editions_built` writes it)
        ready_read, ready = os.pipe()
        self.ready: int | None = ready
        self._process: Any = _FORK.Process(target=_worker_main, args=(jobs_received, answers, beside_answers, ready_read, ready, os.getpid()))
        self._process.start()
        for end in (jobs_received, answers, beside_answers):
            end.close()
        os.close(ready_read)

    @classmethod
    def start(cls) -> SphinxWorker | None:
        """The worker, forked now; None where it would not help (no ``fork``, one core, Sphinx imported already)."""
        if _FORK is None or cores() < 2 or sphinx_imported():
            return None
        return cls()

    def beside(self, run: Callable[[IO[str] | None], object]) -> None:
        """Hand over ``run`` (`SphinxRun`'s), to run in a copy of the worker at once."""
        self._send(("beside", run))

    def run(self, job: Callable[[], R], what: str) -> R:
        """``job()``, run in the worker (its progress shown as it comes); its error is raised here.
        ``what``: the run, as a sentence names it when the worker stops without an answer."""
        self._send(("run", job))
        try:
            kind, value = self._answers.recv()
        except EOFError:  # killed, or out of memory
            kind, value = "stopped", None
        if kind == "stopped":
            raise BuildError(f"the build of {what} stopped without finishing; the published site is unchanged")
        if kind == "raised":
            raise cast("BaseException", value)
        return cast("R", value)

    def _send(self, message: object) -> None:
        try:
            self._jobs.send(message)
        except OSError:  # it stopped: the answer waited for says so
            pass

    def close(self) -> None:
        """End the worker, and its copy with it, at once: what they were handed is done (the build
        took their answers), or void (the build failed, or needed no Sphinx run)."""
        process, self._process = self._process, None
        if process is None:
            return
        self._jobs.close()
        _end_now(process)
        if self.ready is not None:
            os.close(self.ready)
            self.ready = None
        self._answers.close()
        self.beside_answers.close()


def _worker_main(jobs: Any, answers: Any, beside_answers: Any, ready: int, ready_written: int, parent: int) -> None:
    """The process of `SphinxWorker`: imports Sphinx, then runs what the build hands it, until the build closes its end."""
    os.close(ready_written)
    _end_with(parent)
    last_stage()  # it ends with the runs it is handed: no pass of the collector to free what they leave
    copy = None
    try:
        import_sphinx()
        while True:
            try:
                with loading():  # what a run is handed lives as long as it: set aside, as the build's own data is
                    message = jobs.recv()
            except (EOFError, OSError):  # the build is done with it
                return
            kind, job = message
            if kind == "beside":
                assert _FORK is not None
                copy = _FORK.Process(target=_run_alongside, args=(job, ready, None, beside_answers, os.getpid()))
                copy.start()
                beside_answers.close()  # the copy's alone: should it die, the build's wait for its answer ends
                os.close(ready)
            else:
                answer: tuple[str, object]
                try:
                    answer = ("ok", job())
                except BaseException as exc:  # noqa: BLE001 - sent back, and raised by `SphinxWorker.run` as if the run had been there
                    answer = ("raised", exc)
                _send_answer(answers, answer)
    except KeyboardInterrupt:  # Ctrl-C reaches the build's every process: the build says so, and this one leaves quietly
        return
    finally:
        if copy is not None:
            copy.join()  # the copy dies with this process: it leaves once the copy has


def _send_answer(send: Any, answer: tuple) -> None:
    """Send ``answer`` (its first two items: "ok" and a value, or "raised" and an error) back to the
    build: an error that cannot be pickled as its text; nothing if the build stopped listening."""
    try:
        try:
            send.send(answer)
        except (TypeError, AttributeError, pickle.PicklingError):
            error = answer[1]
            send.send(("raised", BuildError(f"the build failed: {type(error).__name__}: {error}"), *answer[2:]))
    except OSError:  # the build has stopped listening: it failed
        pass


class SphinxRun(Generic[R]):
    """One `run_sphinx` (of a series' own pages), run beside the editions' builds where it can be.

    A one-paper edit rebuilds two Sphinx projects: its edition's and the series' pages. Each reads
    and writes its handful of pages in one process (`sphinxext.parallel`), one after the other, so
    the second core stayed idle: user plus system time was the wall time of the edit. `start` with
    ``alongside`` forks this process, which holds the series' data (`sphinxext.data.remember_series`),
    and the copy builds the series' pages while this process goes on with the edition's; `result`
    waits for it. The copy reads what the editions' builds wrote (their sitemaps) only after
    `editions_built` (`sphinxext.data.editions_built`). Its progress lines are held and shown with
    its result, so the two builds' lines do not interleave; its warnings are shown as they come. An
    error in the copy is raised by `result`, as it would have been here. Without ``alongside`` (or
    without ``fork``), `result` runs the build here, when it is asked for.
    """

    def __init__(self, run: Callable[[IO[str] | None], R], worker: SphinxWorker | None = None):
        self._run = run  # takes the stream for its progress (None: standard error)
        self._worker = worker  # that runs it beside, in a copy of itself (instead of a copy of this process)
        self._process: Any = None
        self._receive: Any = None
        self._ready: int | None = None  # the pipe's end the copy waits on (`editions_built` writes it)

    @property
    def alongside(self) -> bool:
        """Whether the build runs in a forked copy of this process."""
        return self._process is not None

    def start(self, alongside: bool) -> None:
        """Fork the copy that runs the build (when ``alongside`` and the platform can fork): a copy of
        the `SphinxWorker` given, else of this process."""
        if not alongside or _FORK is None:
            return
        if self._worker is not None:
            self._worker.beside(self._run)
            self._process, self._receive = self._worker, self._worker.beside_answers
            self._ready, self._worker.ready = self._worker.ready, None
            return
        import_sphinx()  # once, before the fork: the copy and this process would each import it
        ready_read, self._ready = os.pipe()
        self._receive, send = _FORK.Pipe(duplex=False)
        self._process = _FORK.Process(target=_run_alongside, args=(self._run, ready_read, self._ready, send, os.getpid()))
        set_aside()  # the copy's collections leave what it inherits alone: they would copy every page of it
        self._process.start()
        os.close(ready_read)
        send.close()

    def editions_built(self) -> None:
        """Tell the copy that the editions' builds are done: it may read what they wrote."""
        if self._ready is not None:
            ready, self._ready = self._ready, None
            try:
                os.write(ready, b"1")
            except BrokenPipeError:  # the copy stopped already: `result` says so
                pass
            finally:
                os.close(ready)

    def result(self) -> R:
        """The build's answer (run here now, or waited for: its number of warnings, or what it returns); its error is raised here."""
        if self._process is None:
            return self._run(None)
        self.editions_built()
        try:
            kind, value, progress = self._receive.recv()
        except EOFError:  # the copy ended without an answer: killed, or out of memory
            kind, value, progress = "stopped", None, ""
        exitcode = None
        if self._worker is None:
            self._process.join(30)  # it ends once it has answered
            exitcode = self._process.exitcode
        self.close()
        sys.stderr.write(progress)
        if kind == "stopped":
            status = f" (exit status {exitcode})" if exitcode is not None else ""
            raise BuildError(f"the build of the series' pages stopped without finishing{status}; the published site is unchanged")
        if kind == "raised":
            raise cast("BaseException", value)
        return cast("R", value)

    def close(self) -> None:
        """End the copy: at once if it still runs (this build failed before it took the result)."""
        process, self._process = self._process, None
        if process is not None and self._worker is None:  # (a worker's copy ends with it: `SphinxWorker.close`)
            _end_now(process)
        if self._ready is not None:
            os.close(self._ready)
            self._ready = None
        if self._receive is not None:
            self._receive.close()
            self._receive = None


def _end_now(process: Any) -> None:
    """End a forked ``process`` at once if it still runs (SIGTERM, then SIGKILL after 10 s), and reap it."""
    if process.is_alive():
        process.terminate()
    process.join(10)
    if process.is_alive():  # pragma: no cover - a process that ignores SIGTERM
        process.kill()
        process.join()


def _run_alongside(run: Callable[[IO[str] | None], object], ready: int, ready_written: int | None, send: Any, parent: int) -> None:
    """The forked copy of `SphinxRun` (of this process, or of a `SphinxWorker`: its end of the pipe
    ``ready`` is closed already): runs the build, sends back its answer and its held progress."""
    if ready_written is not None:
        os.close(ready_written)
    _end_with(parent)
    last_stage()
    from enlsp_proceedings.sphinxext.data import wait_for_editions

    wait_for_editions(functools.partial(_wait_for, ready))
    progress = io.StringIO()
    answer: tuple[str, object, str]
    try:
        answer = ("ok", run(progress), progress.getvalue())
    except BaseException as exc:  # noqa: BLE001 - sent back, and raised by `SphinxRun.result` as if the build had run there
        answer = ("raised", exc, progress.getvalue())
    try:
        try:
            send.send(answer)
        except (TypeError, AttributeError, pickle.PicklingError):  # an error that cannot be pickled is sent as its text
            send.send(("raised", BuildError(f"the build of the series' pages failed: {type(answer[1]).__name__}: {answer[1]}"), answer[2]))
    except OSError:  # the build that forked this copy has stopped listening: it failed
        pass
    send.close()


def _wait_for(ready: int) -> None:
    if not os.read(ready, 1):  # the build stopped before its editions were built: this copy's work is void
        raise BuildError("the editions' pages were not built")


def _end_with(parent: int) -> None:
    """Where Linux allows it, the copy is killed when the build that forked it dies (killed with a
    signal it cannot handle, that build could not end the copy itself)."""
    if sys.platform.startswith("linux"):
        import ctypes

        try:
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG, prctl(2)
        except (OSError, AttributeError):  # pragma: no cover - a libc without prctl
            pass
    if os.getppid() != parent:  # it died before prctl took effect
        os._exit(1)
