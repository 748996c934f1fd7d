"""The cache directory (``--cache``) belongs to the tool: a directory holding anyone else's files is
refused, with one sentence, and nothing in it is touched.

The build deletes page sources and doctrees it no longer needs from its cache; before the cache had
an owner's marker, ``build --cache DIR`` on an existing folder deleted ``DIR/source/**`` and
``DIR/doctrees/*``, and ``--cache .`` in a split-layout Sphinx docs folder lost ``source/``.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from enlsp_proceedings.cli import main as cli_main
from enlsp_proceedings.publish.errors import BuildError
from enlsp_proceedings.publish.site import CACHE_MARKER, claim_cache


def tree(root: Path) -> dict[str, str]:
    """Every file under ``root`` with a digest of its content (symlinks as their target)."""
    out = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if path.is_symlink():
            out[rel] = "-> " + str(path.readlink())
        elif path.is_file():
            out[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
        else:
            out[rel] = "dir"
    return out


def split_layout_docs(folder: Path) -> Path:
    """A Sphinx project as `sphinx-quickstart --sep` lays it out: source/, build/, Makefile."""
    (folder / "source" / "_static").mkdir(parents=True)
    (folder / "source" / "conf.py").write_text("project = 'Mine'\n")
    (folder / "source" / "index.rst").write_text("Mine\n====\n\n.. toctree::\n\n   usage\n")
    (folder / "source" / "usage.rst").write_text("Usage\n=====\n")
    (folder / "build" / "doctrees").mkdir(parents=True)
    (folder / "build" / "doctrees" / "index.doctree").write_bytes(b"\x80\x04doctree")
    (folder / "Makefile").write_text("html:\n\tsphinx-build source build\n")
    return folder


def foreign_cache(folder: Path) -> Path:
    """A folder whose names look like a cache's (source/, doctrees/) but hold someone's files."""
    (folder / "source").mkdir(parents=True)
    (folder / "source" / "thesis.md").write_text("# My thesis\n")
    (folder / "doctrees" / "mine").mkdir(parents=True)
    (folder / "doctrees" / "mine" / "notes.txt").write_text("keep me\n")
    (folder / "notes.txt").write_text("keep me too\n")
    return folder


# -- the rule, without building ------------------------------------------------------------------

@pytest.mark.parametrize("make", [split_layout_docs, foreign_cache])
def test_a_directory_of_someone_elses_files_is_refused_untouched(tmp_path, make):
    folder = make(tmp_path / "mine")
    before = tree(folder)
    with pytest.raises(BuildError, match=rf"--cache {folder} holds files that enlsp-proceedings did not write \(it has no {CACHE_MARKER}\)"):
        claim_cache(folder)
    assert tree(folder) == before


def test_a_new_or_empty_directory_becomes_the_cache(tmp_path):
    for folder in (tmp_path / "new" / "cache", tmp_path / "empty"):
        if folder.name == "empty":
            folder.mkdir()
        claim_cache(folder)
        assert (folder / CACHE_MARKER).is_file()
        claim_cache(folder)  # and stays it


def test_an_earlier_versions_cache_is_adopted(tmp_path):
    """A cache made before the marker existed (its usual entries, a killed write's temporary file)."""
    cache = tmp_path / ".enlsp-cache"
    for name in ("source/papers", "doctrees/0123456789ab", "pdf-facts", "thumbs/v3-300", "pagefind.123.tmp"):
        (cache / name).mkdir(parents=True)
    for name in ("build.lock", "volume.json", "pdf-hashes.json", "name-variants.json", "reported-warnings.json",
                 "first-page-checks.json", ".tmp-abc.json", "source/index.md"):
        (cache / name).write_text("{}")
    claim_cache(cache)
    assert (cache / CACHE_MARKER).is_file()


def test_a_file_is_not_a_cache(tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(BuildError, match="is not a directory"):
        claim_cache(tmp_path / "file")


# -- the commands --------------------------------------------------------------------------------

@pytest.fixture()
def workshop(tmp_path) -> Path:
    from synthetic import small_workshop

    small_workshop(tmp_path / "ws")
    return tmp_path / "ws"


def _build(root: Path, cache: Path, out: Path) -> int:
    return cli_main(["build", "--conf", str(root / "conf"), "--papers", str(root / "papers"), "--out", str(out),
                     "--docs", str(root / "docs"), "--cache", str(cache), "-j", "1", "-q"])


def _check(root: Path, cache: Path) -> int:
    return cli_main(["check", "--conf", str(root / "conf"), "--papers", str(root / "papers"), "--out", str(root / "site"),
                     "--cache", str(cache), "--format", "json"])


def test_build_and_check_refuse_a_foreign_cache_and_touch_nothing(workshop, tmp_path, capsys):
    folder = foreign_cache(tmp_path / "mine")
    before = tree(folder)
    assert _build(workshop, folder, workshop / "site") == 1
    err = capsys.readouterr().err
    assert f"error: --cache {folder} holds files that enlsp-proceedings did not write" in err and "Traceback" not in err
    assert _check(workshop, folder) == 1
    err = capsys.readouterr().err
    assert "nothing was checked" in err and "Traceback" not in err
    assert tree(folder) == before
    assert not (workshop / "site").exists()


def test_cache_dot_in_a_split_layout_docs_folder_keeps_source(workshop, tmp_path, monkeypatch, capsys):
    """`--cache .` run from a Sphinx project's folder: its source/ and build/ stay as they are."""
    docs = split_layout_docs(tmp_path / "project")
    before = tree(docs)
    monkeypatch.chdir(docs)
    assert _build(workshop, Path("."), workshop / "site") == 1
    assert "holds files that enlsp-proceedings did not write" in capsys.readouterr().err
    assert tree(docs) == before


def test_a_cache_inside_the_site_is_refused(workshop, capsys):
    assert _build(workshop, workshop / "site" / "cache", workshop / "site") == 1
    assert "is inside the site directory" in capsys.readouterr().err
    assert not (workshop / "site").exists()


@pytest.mark.slow  # two real builds
def test_a_fresh_cache_directory_works_and_keeps_working(workshop, tmp_path):
    cache = tmp_path / "my-cache"
    assert _build(workshop, cache, workshop / "site") == 0
    assert (cache / CACHE_MARKER).is_file() and (cache / "source" / "index.md").is_file()
    assert _check(workshop, cache) == 1  # paper gamma has no PDF: an error for check, not for the cache
    assert _build(workshop, cache, workshop / "site") == 0


def test_cached_facts_with_a_level_this_version_does_not_know_are_read_again(tmp_path):
    """A problem level in the PDF-facts cache is a `Level`; anything else (a hand edit, another
    version) makes the entry a miss, never a crash."""
    import json

    from enlsp_proceedings.model.codes import Code, Level
    from enlsp_proceedings.pdf.cache import PdfCache
    from enlsp_proceedings.pdf.facts import PdfFacts, PdfProblem

    cache = PdfCache(tmp_path / "cache")
    facts = PdfFacts("ab" * 32, 10, error=PdfProblem.of(Code.PDF_EMPTY, "the file is empty (0 bytes)"))
    cache.put(facts)
    got = cache.get(facts.sha256)
    assert got is not None and got.error == facts.error and got.error.level is Level.ERROR
    path = next((tmp_path / "cache").rglob(f"{facts.sha256}.json"))
    data = json.loads(path.read_text())
    data["error"]["level"] = "fatal"
    path.write_text(json.dumps(data))
    assert cache.get(facts.sha256) is None
