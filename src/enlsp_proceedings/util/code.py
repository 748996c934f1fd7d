"""The digest of the tool's own code and of the libraries that shape its output.

One digest, used wherever a cached result depends on the code that made it: the build's
fingerprint (a no-change rebuild is skipped only if the code is the same too) and the Sphinx
environment's version (Sphinx re-reads every page when it changes), so upgrading or
editing the tool rebuilds what it changes.
"""

from __future__ import annotations

import functools
import hashlib
from importlib import metadata
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent
#: Distributions whose version changes the pages.
TOOLS = ("sphinx", "myst-parser", "pydata-sphinx-theme", "sphinx-design", "sphinx-copybutton", "sphinxext-opengraph", "docutils",
         "sphinx-notfound-page", "pagefind", "Pygments", "bibtexparser", "pylatexenc", "icalendar", "text-unidecode")
_CODE_SUFFIXES = (".py", ".html", ".css", ".js", ".svg", ".json")


@functools.cache
def code_digest() -> str:
    """SHA-256 of every code and asset file of the package (by relative path) and of the tools' versions."""
    digest = hashlib.sha256()
    for path in sorted(p for p in PACKAGE_DIR.rglob("*") if p.is_file() and p.suffix in _CODE_SUFFIXES and "__pycache__" not in p.parts):
        digest.update(b"\0" + path.relative_to(PACKAGE_DIR).as_posix().encode() + b"\0" + path.read_bytes())
    for dist in TOOLS:
        try:
            digest.update(f"{dist}={metadata.version(dist)};".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{dist}=none;".encode())
    return digest.hexdigest()
