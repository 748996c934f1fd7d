"""What an organizer runs: the nox sessions, the build's messages, the preview server, the guides."""

from __future__ import annotations

import functools
import os
import re
import runpy
import subprocess
import sys
import threading
import types
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml

from conftest import REPO
from enlsp_proceedings.cli import make_parser


def _build(root: Path, *extra: str) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "enlsp_proceedings", "build", "--conf", str(root / "conf"), "--papers", str(root / "papers"),
           "--out", str(root / "site"), "--docs", str(root / "docs"), "-j", "1", *extra]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=600)


def test_build_prints_progress_changes_problems_and_the_real_site_path(workshop_copy):
    """No Sphinx chatter and no staging path; a warning already shown is counted, not repeated."""
    papers = workshop_copy / "conf" / "papers.yaml"
    data = yaml.safe_load(papers.read_text(encoding="utf-8"))
    data["papers"][0]["title"] = "A New Title for Alpha"
    papers.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    first = _build(workshop_copy)
    assert first.returncode == 0, first.stderr
    err = first.stderr
    for chatter in ("Running Sphinx", "myst v", "The HTML pages are in", "staging", "loading translations", "pickling environment"):
        assert chatter not in err, (chatter, err)
    assert re.search(r"^pages: \d+ new, \d+ changed, \d+ removed$", err, flags=re.M) and "writing pages..." in err
    assert err.strip().splitlines()[-1] == f"site: {(workshop_copy / 'site').resolve() / 'index.html'}"
    assert len(err.splitlines()) < 25, err
    warning = "warning: paper 'gamma': no camera-ready PDF"
    data["papers"][0]["title"] = "Another Title for Alpha"
    papers.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    second = _build(workshop_copy)
    assert second.returncode == 0 and warning not in second.stderr
    assert "1 warning(s) already shown by an earlier build and still open" in second.stderr
    assert "second copy" not in second.stderr
    # One count of the pages built (Sphinx's), not a second one of the page sources written beside it
    # ("pages: 270 new" was followed by "267 page source(s) changed" on the real archive).
    for out in (first.stderr, second.stderr):
        assert len(re.findall(r"^pages: \d+ new, \d+ changed, \d+ removed$", out, flags=re.M)) == 1 and "page source" not in out


def test_check_help_lists_only_its_own_options():
    """Every option `check --help` names is one check has, each explained (--out: whose cache it shares)."""
    parser = make_parser()
    check = next(a for a in parser._subparsers._group_actions[0].choices.items() if a[0] == "check")[1]
    text = " ".join(check.format_help().split())
    options = {o for action in check._actions for o in action.option_strings}
    assert set(re.findall(r"--[a-z-]+", text)) <= options
    assert all(action.help for action in check._actions)
    assert "json for tools" in text and "--format {text,json}" in text and "same cache" in text


@functools.cache
def _load_noxfile() -> dict:
    return runpy.run_path(str(REPO / "noxfile.py"), run_name="noxfile")  # once: nox registers each session by name


def _noxfile() -> dict:
    pytest.importorskip("nox")
    return _load_noxfile()


def test_nox_sessions_run_on_the_python_that_runs_nox():
    """No pinned interpreter: on a machine with only Python 3.12 a pinned 3.11 made `nox -s build` skip and exit 0."""
    noxfile = _noxfile()
    assert noxfile["PYTHON"] is None
    for name in ("build", "check", "tests", "serve"):
        assert noxfile[name].python is None, name
    import nox

    assert nox.options.error_on_missing_interpreters is True


def test_nox_fails_loudly_on_an_unsupported_python(monkeypatch):
    noxfile = _noxfile()

    class StopError(Exception):
        pass

    def error(message):
        raise StopError(message)

    session = types.SimpleNamespace(name="build", error=error)
    install = noxfile["install"]
    monkeypatch.setitem(install.__globals__, "sys", types.SimpleNamespace(version_info=(3, 9, 18), executable="/usr/bin/python3.9"))
    monkeypatch.setitem(install.__globals__, "platform", types.SimpleNamespace(python_version=lambda: "3.9.18"))
    with pytest.raises(StopError, match=r"needs Python 3\.11 or newer; nox runs on Python 3\.9\.18"):
        install(session)


def test_nox_compiles_the_tool_where_python_may_not_cache_its_bytecode(monkeypatch, tmp_path):
    """The project is installed editable; where PYTHONDONTWRITEBYTECODE is set, every build compiled the
    tool's modules from source (0.12 s). nox compiles them as pip would, and only there."""
    compile_package = _noxfile()["compile_package"]
    runs = []
    session = types.SimpleNamespace(run=lambda *args, **kwargs: runs.append(args))
    monkeypatch.delenv("PYTHONDONTWRITEBYTECODE", raising=False)
    compile_package(session)
    assert runs == []
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    compile_package(session)
    assert runs == [("python", "-m", "compileall", "-q", str(REPO / "src" / "enlsp_proceedings"))]
    # what it runs compiles a package's modules so that Python, told not to write bytecode, reads them
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("VALUE = 1\n", encoding="utf-8")
    subprocess.run([sys.executable, *runs[0][1:4], str(package)], check=True)
    loaded = subprocess.run([sys.executable, "-c", "import pkg; print(pkg.__spec__.cached)"],
                            cwd=tmp_path, env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}, capture_output=True, text=True, check=True)
    cached = Path(loaded.stdout.split()[0])
    assert cached.is_file() and cached.parent == package / "__pycache__"


def test_preview_serves_the_built_site_with_search_downloads_and_404(small_site, tmp_path):
    from enlsp_proceedings.publish.preview import RELOAD_PATH, Preview, make_handler, snapshot

    site = small_site / "site"
    preview = Preview(site, [sys.executable, "-c", "pass"], [tmp_path])
    from http.server import ThreadingHTTPServer

    server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(preview))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        def get(path):
            try:
                with urllib.request.urlopen(base + path, timeout=10) as response:
                    return response.status, response.headers.get("Content-Type"), response.read()
            except urllib.error.HTTPError as exc:
                return exc.code, exc.headers.get("Content-Type"), exc.read()

        status, kind, body = get("/papers/alpha.bib")
        assert status == 200 and body == (site / "papers" / "alpha.bib").read_bytes()
        assert get("/papers/alpha.ris")[0] == 200 and get("/schedule.ics")[0] == 200 and get("/papers/alpha.pdf")[0] == 200
        assert get("/pagefind/bundles.json")[0] == 200  # the search index is there
        status, kind, body = get("/papers/alpha.html")
        assert status == 200 and RELOAD_PATH.encode() in body and b"Quantizing DistilHuBERT" in body
        status, kind, body = get("/no/such/page.html")
        assert status == 404 and body == (site / "404.html").read_bytes()
        assert get(RELOAD_PATH)[2] == b"0"
        assert preview.build() and get(RELOAD_PATH)[2] == b"1"  # open pages reload after a build
    finally:
        server.shutdown()
    before = snapshot([tmp_path])
    (tmp_path / "papers.yaml").write_text("x")
    assert snapshot([tmp_path]) != before


def test_organizer_guide_documents_the_import_commands_and_cmt_columns():
    guide = (REPO / "docs" / "guide" / "organizers.md").read_text(encoding="utf-8")
    for text in ("enlsp-proceedings import-cmt", "enlsp-proceedings import-openreview", "enlsp-proceedings collect",
                 "`Paper ID`", "`Paper Title`", "`Author Names`", "`Status`", "`Abstract`", "First Last (Affiliation)"):
        assert text in guide, text
    index = (REPO / "docs" / "guide" / "index.md").read_text(encoding="utf-8")
    assert "performance" not in index and "search" not in index  # developer pages live in benchmarks/
    assert (REPO / "benchmarks" / "performance.md").is_file() and (REPO / "benchmarks" / "search-comparison.md").is_file()


def test_progress_reads_sphinx_single_line_status_too():
    """Sphinx rewrites one line per progress item ("erase line", item, carriage return) when not verbose:
    each item still counts (a full rebuild once printed no progress at all)."""
    import io

    from enlsp_proceedings.publish.sphinx_run import SphinxProgress

    out = io.StringIO()
    progress = SphinxProgress(out)
    progress.write("\x1b[2K\x1b[01mreading sources... \x1b[39;49;00m[  4%] \x1b[35ma\x1b[39;49;00m\r"
                   "\x1b[2K\x1b[01mreading sources... \x1b[39;49;00m[100%] \x1b[35mz\x1b[39;49;00m\r\n")
    progress.write("\x1b[2Kwriting output... [ 50%] a\r\x1b[2Kwriting output... [100%] b\r\n")
    assert out.getvalue().splitlines() == ["reading pages... 4%", "reading pages... 100%", "writing pages... 50%", "writing pages... 100%"]


def test_progress_of_a_write_in_batches_counts_every_page():
    """A large write goes to Sphinx in batches (`HTMLBuilder.BATCH`), each with its own 0-100%:
    the organizer sees one count of all the pages, rising, not the first batch's alone."""
    import io

    from enlsp_proceedings.publish.sphinx_run import SphinxProgress
    from enlsp_proceedings.sphinxext.parallel import BATCH_MESSAGE

    out = io.StringIO()
    progress = SphinxProgress(out)
    progress.write("reading sources... [100%] z\n")
    for first, last in ((1, 500), (501, 1000)):
        progress.write(BATCH_MESSAGE.format(first=first, last=last, total=1000) + "\n")
        progress.write("writing output... [ 50%] a\nwriting output... [100%] b\n")
    assert out.getvalue().splitlines() == ["reading pages... 100%", "writing pages... 25%", "writing pages... 50%", "writing pages... 75%",
                                           "writing pages... 100%"]


@pytest.mark.slow
def test_the_preview_rebuilds_in_a_process_forked_from_one_that_has_imported_the_build(workshop_copy):
    """`nox -s serve` forks each build from a process that has already imported Sphinx, the theme,
    the extensions and the tool (0.9 s of a 2 s edit of the real archive); each build still runs in
    a process of its own: it rebuilds what changed, and a failed one leaves the site as it was."""
    from enlsp_proceedings import serve
    from enlsp_proceedings.publish.preview import Preview

    context = serve.forkserver()
    if context is None:
        pytest.skip("no forkserver on this platform: the preview starts each build as a new process")
    imported = "all(m in __import__('sys').modules for m in ('sphinx.application', 'sphinx_design.grids', "\
               "'pydata_sphinx_theme.toctree', 'myst_parser.sphinx_ext.main', 'enlsp_proceedings.cli', 'enlsp_proceedings.sphinxext.pages'))"
    with context.Pool(1) as pool:  # a process forked from the same server, as a build is
        assert pool.apply(eval, (imported,)) is True
    root = workshop_copy
    site = root / "site"
    args = ["build", "--conf", str(root / "conf"), "--papers", str(root / "papers"), "--out", str(site), "--docs", str(root / "docs"), "-q"]
    preview = Preview(site, ["false"], [root / "conf"], runner=serve.warm_runner(args))
    assert isinstance(preview.runner, serve.WarmBuilds)
    papers_yaml = root / "conf" / "papers.yaml"
    data = yaml.safe_load(papers_yaml.read_text(encoding="utf-8"))
    data["papers"][0]["title"] = "Quantizing DistilHuBERT, Warm"
    papers_yaml.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert preview.build() and preview.generation == 1
    assert "Quantizing DistilHuBERT, Warm" in (site / "papers" / "alpha.html").read_text(encoding="utf-8")
    before = {p: p.read_bytes() for p in site.rglob("*.html")}
    papers_yaml.write_text("papers: [\n", encoding="utf-8")
    assert not preview.build() and preview.generation == 1
    assert {p: p.read_bytes() for p in site.rglob("*.html")} == before


def test_a_build_shows_each_warning_once_and_every_error_every_time(tmp_path):
    """The second build counts the warnings the first showed, in their order; errors are always shown."""
    from enlsp_proceedings.cli import _once
    from enlsp_proceedings.model.codes import Level, Reported

    memory = tmp_path / "reported-warnings.json"
    w1, w2, w3 = (Reported(Level.WARNING, "pdf-missing", f"paper {i}: no camera-ready PDF") for i in "abc")
    error = Reported(Level.ERROR, "pdf-unreadable", "paper d: cannot be read")
    assert _once([("", [w1, error, w2])], memory) == ([w1, error, w2], 0)
    assert _once([("", [w3, w2, error, w1])], memory) == ([w3, error], 2)
    assert _once([("", [w1, w1])], memory) == ([], 2)  # one line twice (two editions' one text): both counted
    assert _once([("", [w2])], memory) == ([w2], 0)  # the last build's alone are remembered: w2 went away and came back
    assert _once([("", [w2, error])], memory) == ([error], 1)  # the same group again: its error is shown again


def test_a_series_build_names_each_edition_and_counts_an_unchanged_one_whole(tmp_path):
    """A series prints each edition's problems after its name. An edition whose problems are those
    the last build reported is counted whole; an edited one is matched line by line, so its
    warnings shown before are still counted and only its new one is printed."""
    from enlsp_proceedings.cli import _once
    from enlsp_proceedings.model.codes import Level, Reported

    memory = tmp_path / "reported-warnings.json"
    old = [Reported(Level.WARNING, "pdf-missing", f"paper {i}: no camera-ready PDF") for i in range(3)]
    across = [Reported(Level.WARNING, "person-variant-across-editions", "editions 2022, 2023: 'A. Li' and 'Ann Li'")]
    new, known = _once([("edition 2022", old), ("edition 2023", old[:1]), ("", across)], memory)
    assert [str(p) for p in new] == [f"warning: edition 2022: paper {i}: no camera-ready PDF" for i in range(3)] + [
        "warning: edition 2023: paper 0: no camera-ready PDF", "warning: editions 2022, 2023: 'A. Li' and 'Ann Li'"]
    assert known == 0
    added = Reported(Level.WARNING, "name-variant", "paper 1: 'Bo Wu' and 'B. Wu'")
    new, known = _once([("edition 2022", old), ("edition 2023", [*old[:1], added]), ("", across)], memory)
    assert [str(p) for p in new] == ["warning: edition 2023: paper 1: 'Bo Wu' and 'B. Wu'"] and known == 5
    # the same text in another edition is another line: shown
    new, known = _once([("edition 2024", old[:1])], memory)
    assert [str(p) for p in new] == ["warning: edition 2024: paper 0: no camera-ready PDF"] and known == 0
    # a text that holds what would separate two others (a title is anyone's text) is not those two
    for text in ("a\x1dwarning\x1eb", "a:warning:1:b"):
        _once([("edition 2024", [Reported(Level.WARNING, "name-variant", text)])], memory)
        new, known = _once([("edition 2024", [Reported(Level.WARNING, "name-variant", t) for t in ("a", "b")])], memory)
        assert [str(p) for p in new] == ["warning: edition 2024: a", "warning: edition 2024: b"] and known == 0


def test_warnings_remembered_by_an_earlier_version_are_still_counted(tmp_path):
    """The file an earlier version wrote (the digests of its lines) still spares their repeat."""
    import hashlib
    import json

    from enlsp_proceedings.cli import _once
    from enlsp_proceedings.model.codes import Level, Reported

    memory = tmp_path / "reported-warnings.json"
    w = Reported(Level.WARNING, "pdf-missing", "paper a: no camera-ready PDF")
    memory.write_text(json.dumps([hashlib.sha256(b"warning: edition 2023: paper a: no camera-ready PDF").hexdigest()[:24]]))
    assert _once([("edition 2023", [w])], memory) == ([], 1)
    assert "groups" in json.loads(memory.read_text())
