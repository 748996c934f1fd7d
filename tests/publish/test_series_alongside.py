"""An edit of one edition builds the series' pages beside the edition's, on the second core.

`publish.sphinx_run.SphinxRun` runs the series' Sphinx project in a forked copy of the build
while the build goes on with the edition's; the copy reads the editions' output (their sitemaps)
only once they are built, its error is the build's error, a failed build ends it, and it never
outlives the build. The site is the one a clean build makes. `util.heap` sets a build's data aside
from the garbage collector while it runs and hands it back at its end.
"""

from __future__ import annotations

import functools
import gc
import os
import signal
import subprocess
import sys
import textwrap
import time
import weakref
from pathlib import Path

import pytest

from enlsp_proceedings.publish import sphinx_run
from enlsp_proceedings.publish.errors import BuildError
from enlsp_proceedings.publish.series import build_series
from enlsp_proceedings.publish.sphinx_run import SphinxRun
from enlsp_proceedings.util.files import remembered
from enlsp_proceedings.util.heap import build_heap, loading, set_aside

needs_fork = pytest.mark.skipif(sphinx_run._FORK is None, reason="no fork on this platform: the series' pages are built after the editions'")


def test_without_alongside_the_run_happens_here_when_its_result_is_asked_for():
    calls: list[tuple[int, object]] = []
    run = SphinxRun(lambda progress: calls.append((os.getpid(), progress)) or 3)
    run.start(alongside=False)
    assert not run.alongside and calls == []
    assert run.result() == 3
    assert calls == [(os.getpid(), None)]  # here, its progress on standard error as it comes


@needs_fork
def test_alongside_the_run_happens_in_a_forked_copy_and_its_result_and_progress_come_back(tmp_path, capsys):
    def build(progress):
        (tmp_path / "pid").write_text(str(os.getpid()), encoding="utf-8")
        progress.write("writing pages... 100%\n")
        return 7

    run = SphinxRun(build)
    run.start(alongside=True)
    assert run.alongside
    print("edition 2032: building", file=sys.stderr)
    assert run.result() == 7
    assert int((tmp_path / "pid").read_text(encoding="utf-8")) != os.getpid()
    # the copy's progress is held and shown with its result: the two builds' lines do not interleave
    assert capsys.readouterr().err == "edition 2032: building\nwriting pages... 100%\n"


@needs_fork
def test_the_copy_reads_what_the_editions_wrote_only_once_they_are_built(tmp_path):
    from enlsp_proceedings.sphinxext.data import editions_built

    sitemap = tmp_path / "sitemap.xml"

    def build(progress):
        editions_built()  # what the series' sitemap does before it reads each edition's
        editions_built()  # a second Sphinx run in the copy (`_series_run`): they are built, nothing to wait for
        return len(sitemap.read_text(encoding="utf-8"))

    run = SphinxRun(build)
    run.start(alongside=True)
    time.sleep(0.5)  # a copy that did not wait would have read (and missed) the file by now
    sitemap.write_text("<urlset/>", encoding="utf-8")
    run.editions_built()
    assert run.result() == len("<urlset/>")
    editions_built()  # in this process, nothing to wait for


@needs_fork
def test_an_error_in_the_copy_is_raised_by_result_as_it_would_be_here():
    def build(progress):
        raise BuildError("no space left on the device while writing site/all/index.html")

    run = SphinxRun(build)
    run.start(alongside=True)
    with pytest.raises(BuildError, match="no space left on the device while writing site/all/index.html"):
        run.result()


@needs_fork
def test_a_copy_that_dies_is_a_build_error_not_a_hang():
    for dead_first in (False, True):
        run = SphinxRun(lambda progress: os.kill(os.getpid(), signal.SIGKILL))
        run.start(alongside=True)
        if dead_first:  # gone before the editions were built: telling it so must not fail on the closed pipe
            run._process.join(30)
        with pytest.raises(BuildError, match=r"stopped without finishing \(exit status -9\)"):
            run.result()


@needs_fork
def test_a_failed_build_ends_its_copy_at_once(tmp_path):
    from enlsp_proceedings.sphinxext.data import editions_built

    def waiting(progress):
        editions_built()
        (tmp_path / "went-on").write_text("the editions were never built", encoding="utf-8")
        return 0

    for build in (waiting, lambda progress: time.sleep(60)):
        run = SphinxRun(build)
        run.start(alongside=True)
        pid = run._process.pid
        time.sleep(0.2)
        started = time.monotonic()
        run.close()  # what the build does when the edition's pages failed
        assert time.monotonic() - started < 5
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
    assert not (tmp_path / "went-on").exists()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux's prctl ends the copy with its build")
def test_the_copy_does_not_outlive_a_build_killed_outright(tmp_path):
    """A build killed with SIGKILL cannot end its copy; the copy ends with it instead of writing
    into the next build's site copy."""
    script = textwrap.dedent("""
        import os, signal, sys, time
        from enlsp_proceedings.publish.sphinx_run import SphinxRun
        run = SphinxRun(lambda progress: time.sleep(60))
        run.start(alongside=True)
        print(run._process.pid, flush=True)
        time.sleep(0.5)
        os.kill(os.getpid(), signal.SIGKILL)
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    pid = int(done.stdout.split()[0])
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (FileNotFoundError, ProcessLookupError):
            break
        if state in ("Z", "X"):
            break
        time.sleep(0.1)
    else:
        os.kill(pid, signal.SIGKILL)
        pytest.fail("the copy outlived the build that forked it")


def test_a_build_sets_its_data_aside_from_the_collector_and_hands_it_back_at_its_end():
    assert gc.get_freeze_count() == 0
    set_aside()
    assert gc.get_freeze_count() == 0  # outside a build nothing would hand it back: nothing is set aside
    with build_heap():
        data = [[n] for n in range(1000)]
        set_aside()
        assert gc.get_freeze_count() >= len(data)
        with build_heap():  # a build inside another (the preview's, the tests')
            set_aside()
        assert gc.get_freeze_count() >= len(data)
    assert gc.get_freeze_count() == 0
    with pytest.raises(BuildError), build_heap():
        set_aside()
        raise BuildError("a failed build")
    assert gc.get_freeze_count() == 0


def test_a_memo_is_read_back_without_the_collector_and_leaves_it_as_it_was(tmp_path, monkeypatch):
    states = []
    monkeypatch.setattr("enlsp_proceedings.util.files.pickle.load", lambda fh: states.append(gc.isenabled()) or [1])
    memo = tmp_path / "memo.pickle"
    assert remembered(memo, "k", lambda: [1], lambda v: True) == [1] and states == []  # made and saved
    assert remembered(memo, "k", lambda: [2], lambda v: True) == [1] and states == [False]  # read back, the collector off
    assert gc.isenabled()
    gc.disable()
    try:
        with loading():
            assert not gc.isenabled()
        assert not gc.isenabled()  # off before, off after: a caller's choice is kept
    finally:
        gc.enable()


def test_what_a_build_reads_back_is_set_aside_before_the_collector_runs_again():
    """Within a build, what a memo gave back lives to the build's end: the pass its new objects
    bring on does not scan it. Outside a build nothing is set aside (nothing would hand it back)."""
    with loading():
        read_outside = [object() for _ in range(10)]
    assert gc.get_freeze_count() == 0
    with build_heap():
        with loading():
            read_back = [[n] for n in range(1000)]
        assert gc.get_freeze_count() >= len(read_back) and gc.isenabled()
    assert gc.get_freeze_count() == 0 and read_outside  # handed back when the build ends


def test_a_series_build_reads_its_configuration_with_the_collector_paused(tmp_path, monkeypatch):
    """What the series' configuration is read into lives to the build's end, as a memo's does: no
    pass of the collector scans it while it is read (one took 55-65 ms of a 10 × 1,000 edit)."""
    from enlsp_proceedings.model.load import ConfError, Problem
    from enlsp_proceedings.publish import series
    from enlsp_proceedings.publish.pipeline import BuildOptions

    states = []

    def load(*args, **kwargs):
        states.append(gc.isenabled())
        raise ConfError([Problem("series.yaml", 1, "", "stop here")])

    monkeypatch.setattr(series, "load_series", load)
    (tmp_path / "conf").mkdir()
    with pytest.raises(ConfError):
        build_series(BuildOptions(conf_dir=tmp_path / "conf", papers_dir=tmp_path / "papers", out_dir=tmp_path / "site", cache_dir=tmp_path / "cache"))
    assert states == [False] and gc.isenabled() and gc.get_freeze_count() == 0


def test_what_a_sphinx_run_leaves_behind_is_freed_before_the_next_stage(monkeypatch):
    """A Sphinx application and its environment are cyclic: set aside with the build's data, each
    edition's would stay in memory until the build ends."""
    from enlsp_proceedings.util import heap

    class Application:
        pass

    def garbage() -> weakref.ref:
        """What a Sphinx run leaves: an application in a cycle with its environment, set aside."""
        app = Application()
        app.env = {"app": app}  # a cycle: only the collector frees it
        set_aside()
        return weakref.ref(app)

    monkeypatch.setattr(heap, "_last_stage", False)
    with build_heap():
        left = garbage()
        gc.collect()
        assert left() is not None  # set aside: the collector's passes do not see it
        heap.free_garbage()
        assert left() is None
        assert gc.get_freeze_count() > 0  # what remains is set aside again
        with heap.garbage_kept():  # the one small run of a one-edition update: its garbage lives until the command ends
            left = garbage()
            heap.free_garbage()
            assert left() is not None
        heap.free_garbage()  # kept only within it
        assert left() is None
        heap.last_stage()  # a process that ends with its stage skips the pass
        left = garbage()
        heap.free_garbage()
        assert left() is not None
    assert left() is not None and gc.get_freeze_count() == 0
    gc.collect()
    assert left() is None


@pytest.mark.slow
@pytest.mark.skipif(sphinx_run._FORK is None or sphinx_run.cores() < 2, reason="needs fork and two cores")
@pytest.mark.parametrize("handed_over", [5000, 0], ids=["in-a-worker", "in-a-copy-of-the-build"])
def test_an_edit_builds_the_series_pages_beside_its_edition_into_the_site_a_clean_build_makes(tmp_path, monkeypatch, handed_over):
    import yaml

    from enlsp_proceedings.publish import series as series_module

    monkeypatch.setattr(series_module, "WORKER_PAPERS", handed_over)  # 0: a large series, which has no worker

    from test_incremental import clean_copy, site_files
    from test_series import make_series
    from test_series_speed import options

    root = tmp_path / "archive"
    make_series(root, pdfs=True)
    build_series(options(root))
    path = root / "conf" / "2032" / "papers.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["papers"][0]["title"] = "Pruning Tiny Models Beside Each Other"
    data["papers"][0]["authors"] += [{"name": "Noor Alongside"}]  # a new person page, and the people index
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")

    started: list[bool] = []
    real_start = SphinxRun.start
    monkeypatch.setattr(SphinxRun, "start", lambda self, alongside, **kw: (started.append(alongside), real_start(self, alongside, **kw))[1])
    indexers, staged, _prepared = _count_indexers_and_staging(monkeypatch)
    passes = _count_garbage_passes(monkeypatch)
    opts = options(root)
    opts.jobs = 2
    report = build_series(opts)
    assert started == [True]
    assert not (opts.cache / "series" / "series.json").exists()  # the forked copy was handed the data: no file of it
    # the edition's search index started before the staging copy and the Sphinx builds, on the idle core
    assert staged == [1] and len(indexers) == 1
    assert passes == []  # the edition's small Sphinx run left its garbage to the command's end
    assert gc.get_freeze_count() == 0
    assert not [w for w in report.warnings if "Sphinx" in str(w)]
    site = root / "site"
    assert "Pruning Tiny Models Beside Each Other" in (site / "all" / "index.html").read_text(encoding="utf-8")
    assert (site / "authors" / "noor-alongside.html").is_file()
    assert "/2032/papers/alpha.html</loc>" in (site / "sitemap.xml").read_text(encoding="utf-8")  # the series' sitemap lists the editions' pages

    clean = clean_copy(root, tmp_path / "clean")
    build_series(options(clean))
    manifests = {".enlsp-legacy.json", "all/.enlsp-all.json"}  # the build's own records of its files' sizes and times
    got, want = ({k: v for k, v in site_files(s).items() if k not in manifests} for s in (site, clean / "site"))
    assert sorted(got) == sorted(want)
    assert [name for name in want if got[name] != want[name]] == []


@pytest.mark.slow
@pytest.mark.skipif(sphinx_run._FORK is None or sphinx_run.cores() < 2, reason="needs fork and two cores")
def test_an_edit_that_writes_many_person_pages_beside_its_edition_forgets_them_and_publishes(tmp_path, monkeypatch):
    """The copy's second run, which takes many written person pages out of the series' project
    (`publish.series.FORGET_AT_ONCE`), finds the editions built: it used to wait for them again on
    the pipe the build had closed, and every later edit of that archive failed the same way."""
    from enlsp_proceedings.publish import series as series_module
    from test_series import _series_documents, make_series
    from test_series_speed import options, retitle

    make_series(tmp_path, pdfs=True)
    opts = options(tmp_path)
    opts.jobs = 2
    build_series(opts)
    started: list[bool] = []
    real_start = SphinxRun.start
    monkeypatch.setattr(SphinxRun, "start", lambda self, alongside, **kw: (started.append(alongside), real_start(self, alongside, **kw))[1])
    monkeypatch.setattr(series_module, "FORGET_AT_ONCE", 0)  # every person page written is "many"
    for title in ("Pruning, Forgotten Beside", "Pruning, Forgotten Again"):
        retitle(tmp_path / "conf", "2032", title)
        build_series(opts)
        assert title in (tmp_path / "site" / "all" / "index.html").read_text(encoding="utf-8")
    assert started == [True, True]
    assert _series_documents(tmp_path / "site") == set()


@pytest.mark.slow
def test_a_first_build_or_one_that_rebuilds_every_edition_keeps_them_one_after_the_other(tmp_path, monkeypatch):
    """Both projects are large then, each runs in parallel on its own, and their memory would add up."""
    from test_series import make_series
    from test_series_speed import options, retitle

    started: list[bool] = []
    real_start = SphinxRun.start
    monkeypatch.setattr(SphinxRun, "start", lambda self, alongside, **kw: (started.append(alongside), real_start(self, alongside, **kw))[1])
    make_series(tmp_path, pdfs=False)
    opts = options(tmp_path)
    opts.jobs = 2
    indexers, staged, prepared = _count_indexers_and_staging(monkeypatch)
    passes = _count_garbage_passes(monkeypatch)
    build_series(opts)  # nothing built yet
    assert staged == [0] and len(indexers) == 2  # each edition's indexer starts with its own build, not all at once before them
    assert len(passes) == 3  # each run's garbage is freed: the two editions' and the series'
    retitle(tmp_path / "conf", "2031", "A Retitled Paper of 2031")
    retitle(tmp_path / "conf", "2032", "A Retitled Paper of 2032")
    build_series(opts)
    assert started == [False, False]
    # with a site published, the first changed edition's indexer starts before the next edition is
    # even loaded; the other's with its build
    assert prepared[2:] == [2, 3] and staged == [0, 3] and len(indexers) == 4 and len(passes) == 6
    opts.jobs = 1  # one process asked for: never a second
    retitle(tmp_path / "conf", "2032", "Retitled Once More")
    build_series(opts)
    assert started == [False, False, False]


def _count_indexers_and_staging(monkeypatch) -> tuple[list[object], list[int], list[int]]:
    """The search indexers a build launches, how many of them ran when it made its staging copy, and
    when it prepared each edition's volume (its PDFs' facts)."""
    from enlsp_proceedings.publish import series
    from enlsp_proceedings.search import index as search

    indexers: list[object] = []
    staged: list[int] = []
    prepared: list[int] = []
    real_indexer, real_staging, real_prepare = search._start_indexer, series.prepare_staging, series.prepare_volume
    monkeypatch.setattr(search, "_start_indexer", lambda records, out: indexers.append(out) or real_indexer(records, out))
    monkeypatch.setattr(series, "prepare_staging", lambda *args, **kw: staged.append(len(indexers)) or real_staging(*args, **kw))
    monkeypatch.setattr(series, "prepare_volume", lambda *args, **kw: prepared.append(len(indexers)) or real_prepare(*args, **kw))
    return indexers, staged, prepared


def _count_garbage_passes(monkeypatch) -> list[int]:
    """The collector's full passes `util.heap.free_garbage` makes in this process."""
    from enlsp_proceedings.util import heap

    passes: list[int] = []
    collect = gc.collect

    class Collector:
        def __getattr__(self, name):
            return getattr(gc, name)

        @staticmethod
        def collect(*args):
            passes.append(os.getpid())
            return collect(*args)

    monkeypatch.setattr(heap, "gc", Collector())
    return passes


# -- the worker forked as the build starts (`SphinxWorker`) --------------------------------

def _where_and_whether_sphinx_is_imported() -> tuple[int, bool]:
    return os.getpid(), "sphinx.application" in sys.modules


def _failing_run() -> None:
    raise BuildError("no space left on the device while writing site/2032/index.html")


def _dying_run() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def _beside_build(progress):
    from enlsp_proceedings.sphinxext.data import editions_built

    editions_built()  # waits for the build's word, as the series' sitemap does
    progress.write("writing pages... 100%\n")
    return os.getpid(), os.getppid()


def _dying_beside_build(progress):
    os.kill(os.getpid(), signal.SIGKILL)


@needs_fork
def test_a_worker_imports_sphinx_as_the_build_starts_and_runs_what_it_is_handed_there():
    worker = sphinx_run.SphinxWorker()
    try:
        pid, imported = worker.run(_where_and_whether_sphinx_is_imported, "a test")
        assert pid != os.getpid() and imported
        assert worker.run(functools.partial(max, 3, 7), "a test") == 7  # what a job returns comes back
        with pytest.raises(BuildError, match="no space left on the device"):  # its error is raised here, as if it had run here
            worker.run(_failing_run, "a test")
        assert worker.run(functools.partial(min, 3, 7), "a test") == 3  # and the worker goes on
    finally:
        worker.close()


@needs_fork
def test_a_worker_that_dies_in_a_run_is_a_build_error_not_a_hang():
    worker = sphinx_run.SphinxWorker()
    try:
        with pytest.raises(BuildError, match="the build of edition 2032's pages stopped without finishing"):
            worker.run(_dying_run, "edition 2032's pages")
    finally:
        worker.close()


@needs_fork
def test_the_series_run_handed_to_a_worker_runs_in_a_copy_of_it_beside_the_edition(tmp_path, capsys):
    worker = sphinx_run.SphinxWorker()
    try:
        run = SphinxRun(_beside_build, worker)
        run.start(alongside=True)
        assert run.alongside
        edition_pid, _ = worker.run(_where_and_whether_sphinx_is_imported, "a test")  # the edition's run, meanwhile
        print("edition 2032: building", file=sys.stderr)
        copy_pid, its_parent = run.result()
        assert copy_pid not in (os.getpid(), edition_pid) and its_parent == edition_pid
        assert capsys.readouterr().err == "edition 2032: building\nwriting pages... 100%\n"  # its progress held, shown with its result
    finally:
        worker.close()


@needs_fork
def test_a_copy_of_a_worker_that_dies_is_a_build_error_not_a_hang():
    worker = sphinx_run.SphinxWorker()
    try:
        run = SphinxRun(_dying_beside_build, worker)
        run.start(alongside=True)
        with pytest.raises(BuildError, match="the build of the series' pages stopped without finishing;"):
            run.result()
    finally:
        worker.close()


@needs_fork
def test_a_failed_build_ends_its_worker_and_the_worker_s_copy_at_once():
    worker = sphinx_run.SphinxWorker()
    run = SphinxRun(_beside_build, worker)  # waits for the editions, which never come
    run.start(alongside=True)
    pids = [worker._process.pid, *_children(worker._process.pid)]
    started = time.monotonic()
    run.close()
    worker.close()  # what the build does when the edition's pages failed
    assert time.monotonic() - started < 5
    assert len(pids) == 2 or not sys.platform.startswith("linux")  # the worker and its copy
    while pids and time.monotonic() - started < 5:  # the copy dies with the worker (`_end_with`), a moment later
        pids = [pid for pid in pids if _alive(pid)]
        time.sleep(0.05)
    assert pids == []


@needs_fork
def test_ctrl_c_ends_a_worker_without_a_traceback():
    """Ctrl-C reaches every process of the build: the build says it was interrupted, the worker
    leaves without a word. In a process of its own, where Ctrl-C interrupts as in a terminal (a
    pytest-xdist worker ignores it, and so would every process it forks)."""
    script = textwrap.dedent("""
        import os, signal, time
        signal.signal(signal.SIGINT, signal.default_int_handler)
        from enlsp_proceedings.publish.sphinx_run import SphinxWorker
        worker = SphinxWorker()
        time.sleep(0.5)
        os.kill(worker._process.pid, signal.SIGINT)
        worker._process.join(30)
        print(worker._process.exitcode, flush=True)
        worker.close()
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.stdout.split() == ["0"], done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux's prctl ends the worker with its build")
def test_a_worker_and_its_copy_do_not_outlive_a_build_killed_outright():
    script = textwrap.dedent("""
        import os, signal, time
        from enlsp_proceedings.publish.sphinx_run import SphinxRun, SphinxWorker
        from test_series_alongside import _beside_build, _children
        worker = SphinxWorker()
        SphinxRun(_beside_build, worker).start(alongside=True)
        print(worker._process.pid, *_children(worker._process.pid), flush=True)
        os.kill(os.getpid(), signal.SIGKILL)
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, cwd=Path(__file__).parent,
                          env={**os.environ, "PYTHONPATH": os.pathsep.join([str(Path(__file__).parent), os.environ.get("PYTHONPATH", "")])})
    pids = [int(p) for p in done.stdout.split()]
    assert len(pids) == 2, done.stderr  # the worker and its copy
    deadline = time.monotonic() + 10
    while pids and time.monotonic() < deadline:
        pids = [pid for pid in pids if _alive(pid)]
        time.sleep(0.1)
    for pid in pids:
        os.kill(pid, signal.SIGKILL)
    assert pids == [], "the worker or its copy outlived the build that forked it"


def _children(pid: int) -> list[int]:
    """The processes ``pid`` forked, once it has forked one (Linux; none elsewhere)."""
    if not sys.platform.startswith("linux"):
        return []
    deadline = time.monotonic() + 30  # the worker imports Sphinx before it takes the copy's run
    while time.monotonic() < deadline:
        if children := [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]:
            return children
        time.sleep(0.05)
    return []


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state not in ("Z", "X")


@pytest.mark.slow
@pytest.mark.skipif(sphinx_run._FORK is None or sphinx_run.cores() < 2, reason="needs fork and two cores")
@pytest.mark.parametrize("handed_over", [5000, 0])
def test_an_update_never_imports_sphinx_in_the_build_s_own_process(tmp_path, handed_over):
    """The command's own process loads and settles the editions while its worker imports Sphinx;
    the edition's Sphinx run runs in the worker, the series' in a copy of it. A first build, or a
    series too large to hand its data over (`WORKER_PAPERS`), imports Sphinx here."""
    from test_series import make_series
    from test_series_speed import retitle

    make_series(tmp_path, pdfs=True)
    script = textwrap.dedent(f"""
        import sys
        from enlsp_proceedings.cli import main
        from enlsp_proceedings.publish import series
        series.WORKER_PAPERS = {handed_over}
        code = main(["build", "--conf", {str(tmp_path / "conf")!r}, "--papers", {str(tmp_path / "papers")!r},
                     "--out", {str(tmp_path / "site")!r}, "--cache", {str(tmp_path / "cache")!r}, "-j", "2", "-q"])
        print(code, "sphinx.application" in sys.modules)
    """)

    def build() -> str:
        done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=600, cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    assert build() == "0 True"  # a first build: both Sphinx projects are large, and run here
    retitle(tmp_path / "conf", "2032", "Pruning Without Sphinx Here")
    assert build() == ("0 False" if handed_over else "0 True")
    assert "Pruning Without Sphinx Here" in (tmp_path / "site" / "2032" / "papers" / "index.html").read_text(encoding="utf-8")
    assert "Pruning Without Sphinx Here" in (tmp_path / "site" / "all" / "index.html").read_text(encoding="utf-8")
