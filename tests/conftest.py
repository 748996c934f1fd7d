"""Shared fixtures (real sites built from synthetic workshops generated on the fly, browser
pages) and the test layers.

Layers: `pytest -m "not slow"` is the fast layer (unit tests: no site build, browser or LaTeX);
plain `pytest` runs everything. A test is `slow` when it says so, when it is `browser` or `latex`,
or when its own code or any fixture it uses (directly or through other fixtures) builds a site
(see `_BUILDS`): marked here at collection, so nobody has to remember. A build the scan cannot see
(through a helper function) fails the test unless it is marked `slow`: a Sphinx build in the test
process, or a published site left in the test's ``tmp_path`` by a subprocess (see
`_refuse_unmarked_build`), so a full build cannot land in the fast layer unnoticed.
"""

from __future__ import annotations

import functools
import inspect
import re
import shutil
from pathlib import Path

import pytest

from enlsp_proceedings.cli import main as cli_main
from synthetic import small_workshop

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _builds_as_the_command_does(monkeypatch):
    """A series update imports Sphinx in a worker forked as it starts (`publish.sphinx_run.SphinxWorker`),
    unless its process imported Sphinx already, as the test process has once any test built a site:
    every build here takes the command's way, whichever tests ran before it."""
    from enlsp_proceedings.publish import sphinx_run

    monkeypatch.setattr(sphinx_run, "sphinx_imported", lambda: False)


def run_build(root: Path, *extra: str, conf: Path | None = None, papers: Path | None = None, out: Path | None = None,
              docs: Path | None = None) -> int:
    """Build ``root``'s workshop with the real CLI (one Sphinx process, quiet)."""
    args = [
        "build",
        "--conf", str(conf or root / "conf"),
        "--papers", str(papers or root / "papers"),
        "--out", str(out or root / "site"),
        "--docs", str(docs or root / "docs"),
        "-j", "1", "-q", *extra,
    ]
    return cli_main(args)


class PdfReads:
    """Names of the PDFs read by ``read.read_pdf`` from now on, in whichever worker process.

    PDFs are read in forked worker processes, so the names go through a file, not a list.
    """

    def __init__(self, monkeypatch, log: Path):
        from enlsp_proceedings.pdf import read

        self.log = log
        real = read.read_pdf

        def counting(path, sha256=None, thumbs=None):
            with open(log, "a", encoding="utf-8") as fh:
                fh.write(Path(path).name + "\n")
            return real(path, sha256, thumbs)

        monkeypatch.setattr(read, "read_pdf", counting)

    def __call__(self) -> list[str]:
        return self.log.read_text(encoding="utf-8").split() if self.log.exists() else []

    def clear(self) -> None:
        self.log.unlink(missing_ok=True)


def built_workshop(tmp_path_factory, name: str, make) -> Path:
    """A fresh directory with the workshop ``make(root)`` writes, built into ``root/site``."""
    root = tmp_path_factory.mktemp(name)
    make(root)
    assert run_build(root) == 0
    return root


@pytest.fixture(scope="session")
def small_site(tmp_path_factory) -> Path:
    """The small synthetic workshop, built once; tests must not modify it."""
    return built_workshop(tmp_path_factory, "small", small_workshop)


def guide_workshop(root: Path) -> None:
    """The small workshop plus a hand-written guide: seven header links, two of them under "More"."""
    small_workshop(root)
    (root / "docs" / "guide").mkdir(parents=True)
    (root / "docs" / "guide" / "index.md").write_text("# Guide for authors\n\nHow to prepare the camera-ready.\n", encoding="utf-8")


@pytest.fixture(scope="session")
def guide_site(tmp_path_factory) -> Path:
    """The guide workshop's built site (its ``site`` directory); tests must not modify it."""
    return built_workshop(tmp_path_factory, "guide", guide_workshop) / "site"


@pytest.fixture()
def workshop_copy(small_site, tmp_path) -> Path:
    """A private copy of the small workshop (conf, papers and last site) to modify."""
    root = tmp_path / "ws"
    shutil.copytree(small_site, root, symlinks=True)
    return root


@pytest.fixture(scope="session")
def real_site(tmp_path_factory) -> Path:
    """The real ENLSP-II site as `nox -s build` makes it (conf/, papers/ and the guides in
    docs/), built into a temporary directory."""
    root = tmp_path_factory.mktemp("real")
    out = root / "site"
    assert run_build(root, conf=REPO / "conf" / "2022", papers=REPO / "papers" / "2022", out=out, docs=REPO / "docs") == 0
    return out


@pytest.fixture(scope="session")
def real_archive(tmp_path_factory) -> Path:
    """The real series archive (ENLSP-II 2022 and ENLSP-III 2023: conf/, papers/, docs/) as `nox -s
    build` makes it, built once for every test module that reads it; tests must not modify it."""
    root = tmp_path_factory.mktemp("archive")
    assert run_build(root, conf=REPO / "conf", papers=REPO / "papers", out=root / "site", docs=REPO / "docs") == 0
    return root / "site"


@pytest.fixture(scope="session")
def hostile(tmp_path_factory):
    """(corpus, root): a site whose every text field is hostile (see hostile.py)."""
    from hostile import build_hostile_site

    return build_hostile_site(tmp_path_factory.mktemp("hostile"), run_build)


@pytest.fixture()
def phone(browser, phone_context):
    """A page in a fresh phone context of the module's ``browser`` (Playwright); the module's
    ``phone_context`` fixture gives the context's options (which phone it emulates)."""
    context = browser.new_context(**phone_context)
    yield context.new_page()
    context.close()


@pytest.fixture()
def desktop(browser):
    """A page in a fresh 1280 x 900 context of the module's ``browser`` (Playwright)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


# --- Test layers ------------------------------------------------------------------------------

#: What in a test's or a fixture's source builds a whole site: the build helpers, or the
#: command's name as a string (the CLI, `python -m enlsp_proceedings build`, `nox -s build`).
_BUILDS = re.compile(r"\b(?:run_build|build_site|built_workshop|build_hostile_site)\(|[\"']build[\"']")
_SLOW_MARKERS = ("slow", "browser", "latex")


@functools.cache
def _source_builds(func) -> bool:
    try:
        return bool(_BUILDS.search(inspect.getsource(func)))
    except (OSError, TypeError):
        return False


def _is_slow(item: pytest.Item) -> bool:
    if any(item.get_closest_marker(name) for name in _SLOW_MARKERS):
        return True
    funcs = [getattr(item, "function", None)]
    info = getattr(item, "_fixtureinfo", None)  # every fixture the test uses, through other fixtures too
    for name in getattr(item, "fixturenames", ()):
        funcs += [definition.func for definition in (info.name2fixturedefs.get(name, ()) if info else ())]
    return any(_source_builds(func) for func in funcs if func is not None)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark ``slow`` every browser or LaTeX test and every test that builds a site."""
    for item in items:
        if not item.get_closest_marker("slow") and _is_slow(item):
            item.add_marker(pytest.mark.slow)


_RUNNING: list[pytest.Item] = []  # the test whose setup, call or teardown runs now


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None):
    _RUNNING.append(item)
    try:
        return (yield)
    finally:
        _RUNNING.pop()


def _refuse_unmarked_build(what: str) -> None:
    """Fail the running test if it is in the fast layer (not ``slow``) but starts ``what``."""
    if _RUNNING and not _RUNNING[-1].get_closest_marker("slow"):
        pytest.fail(f"{_RUNNING[-1].nodeid} runs {what} but is not marked slow: add @pytest.mark.slow "
                    "(the fast layer, -m 'not slow', builds no site)", pytrace=False)


def pytest_configure(config: pytest.Config) -> None:
    """Guard the fast layer: a Sphinx build in this process fails a test not marked slow."""
    from sphinx.application import Sphinx

    sphinx_init = Sphinx.__init__

    @functools.wraps(sphinx_init)
    def guarded(self, *args, **kwargs):
        _refuse_unmarked_build("a Sphinx build")
        sphinx_init(self, *args, **kwargs)

    Sphinx.__init__ = guarded


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item):
    """Guard the fast layer against builds in a subprocess too: a test not marked slow that leaves
    a published site (its marker file) in its ``tmp_path`` fails."""
    result = yield
    tmp_path = getattr(item, "funcargs", {}).get("tmp_path")
    if tmp_path is not None and not item.get_closest_marker("slow"):
        from enlsp_proceedings.publish import pipeline

        if next(Path(tmp_path).rglob(pipeline.MARKER), None) is not None:
            _refuse_unmarked_build("a site build (it left a published site in tmp_path)")
    return result
