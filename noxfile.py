"""Developer and organizer commands: nox -s build | check | tests | fast | serve | lint.

`nox -s fast` is the fast layer (unit tests, no site builds, browser or LaTeX), one pytest
worker per core; `nox -s tests` runs everything, as CI does after `nox -s lint` (see CONTRIBUTING.md)."""

from __future__ import annotations

import hashlib
import os
import platform
import re
import sys
from pathlib import Path

import nox

nox.options.sessions = ["tests"]
nox.options.reuse_venv = "yes"
nox.options.default_venv_backend = "venv"
nox.options.error_on_missing_interpreters = True  # a missing Python fails, never "skipped"

ROOT = Path(__file__).parent
# Sessions run on the Python that runs nox (any supported version), not a pinned one that
# may not be installed: a pinned "3.11" on a 3.12-only machine made `nox -s build` print
# "skipped" and exit 0 without building anything.
PYTHON = None


def _requires_python() -> tuple[int, int]:
    """The minimum version in pyproject.toml's requires-python (">=3.11")."""
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    found = re.search(r'^requires-python\s*=\s*">=\s*(\d+)\.(\d+)', text, flags=re.M)
    return (int(found.group(1)), int(found.group(2))) if found else (3, 11)


def install(session: nox.Session, extras: str = "") -> None:
    """Install the project once per change of pyproject.toml, so reruns start at once.

    Fails loudly, naming both versions, on a Python older than requires-python.
    """
    need = _requires_python()
    if sys.version_info[:2] < need:
        session.error(f"enlsp-proceedings needs Python {need[0]}.{need[1]} or newer; nox runs on Python {platform.python_version()} "
                      f"({sys.executable}). Install a newer Python and run nox with it, e.g. `python3.12 -m pip install nox && python3.12 -m nox -s {session.name}`.")
    spec = f".[{extras}]" if extras else "."
    stamp = Path(session.virtualenv.location) / f".installed-{extras or 'base'}"
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if not (stamp.exists() and stamp.read_text() == digest):
        session.install("-e", spec)
        stamp.write_text(digest)
    compile_package(session)


def compile_package(session: nox.Session) -> None:
    """The tool's own modules compiled to bytecode, as pip does for a package it installs (the project
    is installed editable: its modules are read from src/). Python caches a module's bytecode itself
    when it first imports it, unless told not to (PYTHONDONTWRITEBYTECODE, set in many container
    images and on the machines this project is developed and tested on): then every command
    compiled the tool's 70 modules from source again, 0.12 s of each build. Only the modules whose
    source changed are compiled; a module edited afterwards is still read from its source."""
    if os.environ.get("PYTHONDONTWRITEBYTECODE"):
        session.run("python", "-m", "compileall", "-q", str(ROOT / "src" / "enlsp_proceedings"), silent=True)


@nox.session(python=PYTHON)
def build(session: nox.Session) -> None:
    """Build the ENLSP archive (every edition in conf/) into docs/_build/html (extra args go to the build command)."""
    install(session)
    session.run("enlsp-proceedings", "build", *session.posargs)


@nox.session(python=PYTHON)
def check(session: nox.Session) -> None:
    """Check the camera-ready PDFs in papers/ against conf/."""
    install(session)
    session.run("enlsp-proceedings", "check", *session.posargs)


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    """Run the test suite: every layer (builds real sites; browser tests need /usr/bin/chromium).
    `nox -s fast` runs the fast layer only (see CONTRIBUTING.md)."""
    install(session, "test")
    session.run("pytest", *session.posargs)


@nox.session(python=PYTHON)
def fast(session: nox.Session) -> None:
    """The fast layer (`pytest -m "not slow"`: no site build, browser or LaTeX), its tests spread
    over one worker per core by pytest-xdist: 38 s on 2 cores, where one worker takes 70 s. Extra
    args go to pytest."""
    install(session, "test")
    session.run("pytest", "-m", "not slow", "-n", "auto", *session.posargs)


@nox.session(python=PYTHON)
def serve(session: nox.Session) -> None:
    """Preview the built site at http://127.0.0.1:8000 (search, PDFs and downloads included);
    rebuilds and reloads the page when conf/, papers/ or docs/ change. Extra args go to build."""
    install(session)
    session.run("python", "-m", "enlsp_proceedings.serve", "--", *session.posargs)


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    """Ruff (lint and import order) over the package, tests, benchmarks and this file, then mypy
    over the package (config in pyproject.toml's [tool.mypy]). The package is installed so mypy
    sees the libraries it uses (Sphinx, docutils, pydantic) as they are. .pre-commit-config.yaml
    runs the same two checks."""
    install(session, "lint")
    session.run("ruff", "check", "src", "tests", "benchmarks", "noxfile.py")
    session.run("mypy")
