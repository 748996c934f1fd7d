"""Shared fixtures: real sites built from synthetic workshops generated on the fly."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from enlsp_proceedings.cli import main as cli_main
from enlsp_proceedings.testing import small_workshop

REPO = Path(__file__).resolve().parents[1]


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
    assert run_build(root, conf=REPO / "conf", papers=REPO / "papers", out=out, docs=REPO / "docs") == 0
    return out


@pytest.fixture(scope="session")
def hostile(tmp_path_factory):
    """(corpus, root): a site whose every text field is hostile (see hostile.py)."""
    from hostile import build_hostile_site

    return build_hostile_site(tmp_path_factory.mktemp("hostile"), run_build)
