"""Reading many PDFs (and supplementary ZIPs' directories) in bounded worker processes, so that
no file can take the others down.

Workers are forked (one per core, pypdf and PDFium already imported); each task runs
within the budgets `read` declares: the kernel ends a worker over its CPU time (SIGXCPU)
or wall-clock time (SIGALRM), and no allocation beyond its memory budget succeeds. A worker
that dies breaks the pool; only its tasks are re-run, one process each, so the PDF that
kills its reader becomes that paper's error (`_failure`) and every other PDF is read.
Where ``resource`` or ``fork`` do not exist (Windows), PDFs are still read in worker
processes, without the kernel's CPU and memory limits.
"""

from __future__ import annotations

import logging
import math
import multiprocessing
import os
import signal
from collections import deque
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

try:  # POSIX only: elsewhere PDFs are read without the kernel's CPU and memory limits
    import resource
except ImportError:  # pragma: no cover - Windows
    resource = None  # type: ignore[assignment]

from enlsp_proceedings.model.codes import Code
from enlsp_proceedings.pdf import archive, read
from enlsp_proceedings.pdf.facts import PdfFacts, PdfProblem
from enlsp_proceedings.pdf.thumbs import ThumbCache

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Task:
    """Work on one distinct PDF: read its facts (and render its thumbnail), or only render its thumbnail."""

    path: str
    sha256: str
    facts: bool
    thumbs_cache: str | None  # cache dir when the thumbnail is wanted and not cached
    kind: str = "pdf"  # or "zip": a supplementary archive's directory (`archive.read_zip`)


def _run(task: Task) -> PdfFacts | None:
    """One task, in this process (`read.read_pdf` is looked up here, so tests may replace it)."""
    if task.kind == "zip":
        return archive.read_zip(Path(task.path), task.sha256)
    thumbs = ThumbCache(Path(task.thumbs_cache)) if task.thumbs_cache else None
    if task.facts:
        return read.read_pdf(Path(task.path), task.sha256, thumbs)
    if thumbs is not None:
        thumbs.get_or_render(task.sha256, Path(task.path))
    return None


#: Workers are forked: they start at once, with pypdf and PDFium already imported.
_FORK = multiprocessing.get_context("fork") if "fork" in multiprocessing.get_all_start_methods() else None


def _init_worker() -> None:
    if resource is not None:
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # a reader that crashes leaves no core file behind
    for name in ("SIGXCPU", "SIGALRM"):  # over its CPU or wall-clock budget, the worker ends (see `_run_bounded`)
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_DFL)


def _address_space() -> int | None:
    """Bytes of address space this process uses now (Linux), or None where that is not known."""
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError, AttributeError):
        return None


def _set_soft_limit(kind: int, value: int) -> int:
    """Set a soft resource limit (kept within the hard one); returns the soft limit it replaced."""
    soft, hard = resource.getrlimit(kind)
    if hard != resource.RLIM_INFINITY:
        value = hard if value == resource.RLIM_INFINITY else min(value, hard)
    resource.setrlimit(kind, (value, hard))
    return soft


def _run_bounded(task: Task) -> PdfFacts | None:
    """`_run` in a worker process within this task's budgets: the kernel ends the worker after
    PDF_CPU_SECONDS of CPU (SIGXCPU) or PDF_WALL_SECONDS of wall-clock time (SIGALRM), and no
    allocation beyond PDF_MEMORY_MB more address space succeeds (PDFium then aborts, pypdf
    raises MemoryError). The memory limit is lifted again for the worker's next task."""
    if resource is None:
        return _run(task)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    _set_soft_limit(resource.RLIMIT_CPU, math.ceil(usage.ru_utime + usage.ru_stime) + read.PDF_CPU_SECONDS)
    used = _address_space()
    before = _set_soft_limit(resource.RLIMIT_AS, used + read.PDF_MEMORY_MB * 1024 * 1024) if used is not None else None
    alarm = getattr(signal, "alarm", None)
    if alarm is not None:
        alarm(read.PDF_WALL_SECONDS)
    try:
        return _run(task)
    finally:
        if alarm is not None:
            alarm(0)
        if before is not None:
            _set_soft_limit(resource.RLIMIT_AS, before)


def _alone_child(task: Task, conn) -> None:
    _init_worker()
    try:
        answer: tuple[str, object] = ("ok", _run_bounded(task))
    except Exception as exc:  # noqa: BLE001 - sent back as this PDF's error (MemoryError included)
        answer = ("raised", exc if isinstance(exc, MemoryError) else f"{type(exc).__name__}: {str(exc)[:200]}")
    conn.send(answer)
    conn.close()


def _run_alone(task: Task) -> tuple[PdfFacts | None, bool]:
    """`_run` in a process of its own: (result, cacheable); a crash becomes this PDF's error, not cached."""
    ctx = _FORK or multiprocessing.get_context()
    receive, send = ctx.Pipe(duplex=False)
    process = ctx.Process(target=_alone_child, args=(task, send), daemon=True)
    process.start()
    send.close()
    try:
        kind, value = receive.recv()
        return (value, True) if kind == "ok" else _unanswered(task, value)
    except EOFError:  # the process ended without an answer
        pass
    finally:
        receive.close()
        process.join()
    problem = _failure(process.exitcode or 0)
    if not task.facts:  # only the thumbnail failed: the page shows none this time
        log.warning("no thumbnail for %s: %s", Path(task.path).name, problem.message)
        return None, False
    try:
        size = os.stat(task.path).st_size
    except OSError:
        size = 0
    return PdfFacts(task.sha256, size, error=problem), False


def _failure(code: int) -> PdfProblem:
    """The error of a PDF whose reader process ended with ``code`` (negative: the signal that ended it)."""
    signals = {getattr(signal, name, None): name for name in ("SIGXCPU", "SIGALRM", "SIGABRT", "SIGKILL")}
    name = signals.get(-code) if code < 0 else None
    if name == "SIGXCPU":
        return read.over_budget("cpu")
    if name == "SIGALRM":
        return read.over_budget("time")
    if name == "SIGABRT":  # PDFium aborts when an allocation fails: here, at the memory limit
        return read.over_budget("memory", " Its reader stopped with SIGABRT.")
    if name == "SIGKILL":  # the kernel's out-of-memory killer, most likely
        return read.over_budget("memory", " Its reader was killed, most likely out of memory.")
    if code < 0:
        try:
            reason = f"the PDF reader crashed on it ({signal.Signals(-code).name})"
        except ValueError:
            reason = f"the PDF reader crashed on it (signal {-code})"
    else:
        reason = f"the PDF reader stopped on it (exit status {code})"
    return PdfProblem.of(Code.PDF_UNREADABLE, f"the PDF cannot be read: {reason}")


def _unanswered(task: Task, exc: BaseException | str) -> tuple[PdfFacts | None, bool]:
    """(result, cacheable) of a task whose worker raised (``exc``, or its description) instead of answering."""
    reason = exc if isinstance(exc, str) else f"{type(exc).__name__}: {str(exc)[:200]}"
    if isinstance(exc, MemoryError):
        problem = read.over_budget("memory")
    else:
        problem = PdfProblem.of(Code.PDF_UNREADABLE, f"the PDF cannot be read: {reason}")
    if not task.facts:
        log.warning("no thumbnail for %s: %s", Path(task.path).name, problem.message)
        return None, False
    return PdfFacts(task.sha256, 0, error=problem), False


def run_pool(tasks: list[Task], jobs: int, deliver) -> None:
    """Run tasks in ``jobs`` worker processes, calling ``deliver(task, result, cacheable)`` as each ends.

    At most two tasks per worker are handed out at a time. A worker that dies (a reader
    crash, out of memory, over its CPU budget) breaks the pool and takes only those tasks
    with it: they are re-run one by one, each in a process of its own, so the PDF that kills
    its reader is reported and the others are read; the rest continue in a new pool.
    """
    queue = deque(tasks)
    while queue:
        suspects: list[Task] = []
        with ProcessPoolExecutor(max_workers=jobs, mp_context=_FORK, initializer=_init_worker) as pool:
            running: dict = {}
            broken = False
            while (queue or running) and not suspects:
                while queue and len(running) < 2 * jobs and not broken:
                    task = queue.popleft()
                    try:
                        running[pool.submit(_run_bounded, task)] = task
                    except BrokenProcessPool:  # a worker died since the last answer: its task fails below
                        queue.appendleft(task)
                        broken = True
                if not running:
                    break  # (broken with nothing in flight) the rest goes to a new pool
                done, _pending = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    task = running.pop(future)
                    try:
                        result = future.result()
                    except BrokenProcessPool:
                        suspects.append(task)
                        continue
                    except Exception as exc:  # noqa: BLE001 - e.g. MemoryError sending the answer back: this PDF only
                        deliver(task, *_unanswered(task, exc))
                        continue
                    deliver(task, result, True)
                if suspects:
                    suspects.extend(running.values())
        for task in suspects:
            deliver(task, *_run_alone(task))
