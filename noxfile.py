"""Developer and organizer commands: nox -s build | check | tests | serve | lint."""

from __future__ import annotations

import hashlib
from pathlib import Path

import nox

nox.options.sessions = ["tests"]
nox.options.reuse_venv = "yes"
nox.options.default_venv_backend = "venv"

ROOT = Path(__file__).parent
PYTHON = "3.11"


def install(session: nox.Session, extras: str = "") -> None:
    """Install the project once per change of pyproject.toml, so reruns start at once."""
    spec = f".[{extras}]" if extras else "."
    stamp = Path(session.virtualenv.location) / f".installed-{extras or 'base'}"
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == digest:
        return
    session.install("-e", spec)
    stamp.write_text(digest)


@nox.session(python=PYTHON)
def build(session: nox.Session) -> None:
    """Build the ENLSP-II site into docs/_build/html (extra args go to the build command)."""
    install(session)
    session.run("enlsp-proceedings", "build", *session.posargs)


@nox.session(python=PYTHON)
def check(session: nox.Session) -> None:
    """Check the camera-ready PDFs in papers/ against conf/."""
    install(session)
    session.run("enlsp-proceedings", "check", *session.posargs)


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    """Run the test suite (builds real sites; browser tests need /usr/bin/chromium)."""
    install(session, "test")
    session.run("pytest", *session.posargs)


@nox.session(python=PYTHON)
def serve(session: nox.Session) -> None:
    """Preview with live reload: rebuilds when conf/, papers/ or docs/ change."""
    install(session, "serve")
    session.run("enlsp-proceedings", "build", "-q")
    cache = ROOT / "docs" / "_build" / ".enlsp-cache"
    session.run(
        "sphinx-autobuild", "-c", "docs", str(cache / "source"), "docs/_build/preview",
        "--pre-build", "enlsp-proceedings build -q",
        "--watch", "conf", "--watch", "papers", "--watch", "docs",
        "--ignore", "docs/_build", "--ignore", str(cache), "--port", "8000", *session.posargs,
    )


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    """Ruff over the package, tests, benchmarks and this file."""
    session.install("ruff")
    session.run("ruff", "check", "src", "tests", "benchmarks", "noxfile.py")
