"""What a build imports, imported once by the process the preview forks its builds from
(`serve.forkserver`, which imports this module): the tool, Sphinx with its built-in extensions,
the extensions and theme of `sphinxext.settings`, the Pygments styles the theme looks up, and the
libraries the tool loads on first use. A child process forked afterwards finds them imported.

Nothing here is needed for a build to work: an import that fails is left to the build, which
reports it, and a module missing from the list is imported by the build that needs it.
"""

from __future__ import annotations

import contextlib
import importlib
import pkgutil

#: Imported by a build on first use (inside functions), not by importing the tool, besides what a
#: Sphinx run imports (`publish.sphinx_run.import_sphinx`): found by listing the modules a forked
#: build imported itself (pylatexenc's tables of macros are its own modules, loaded on first use;
#: were they renamed, the build would load them as before).
ON_FIRST_USE = ("enlsp_proceedings.cli", "enlsp_proceedings.publish.series", "enlsp_proceedings.sphinxext.data", "rapidfuzz",
                "rapidfuzz.distance", "PIL.Image", "PIL.PngImagePlugin", "PIL.JpegImagePlugin", "xml.dom.minidom",
                "pylatexenc.latex2text._defaultspecs", "pylatexenc.latexwalker._defaultspecs", "pylatexenc.latexencode._uni2latexmap")
#: Packages whose every module a build may load (the tool's stages a build runs, and the site's
#: components that Sphinx's setup imports one by one).
EVERY_MODULE = ("enlsp_proceedings.model", "enlsp_proceedings.pdf", "enlsp_proceedings.outputs", "enlsp_proceedings.sphinxext",
                "enlsp_proceedings.search", "enlsp_proceedings.publish", "sphinx_design", "myst_parser.sphinx_ext")
def preload() -> None:
    """Import everything a build imports (what a Sphinx run imports, `ON_FIRST_USE`, `EVERY_MODULE`'s
    modules, Pygments' styles)."""
    from enlsp_proceedings.publish.sphinx_run import import_quietly, import_sphinx

    names: list[str] = list(ON_FIRST_USE)
    with contextlib.suppress(Exception):
        import_sphinx()
    for package in EVERY_MODULE:
        with contextlib.suppress(Exception):
            found = importlib.import_module(package)
            names += [info.name for info in pkgutil.walk_packages(found.__path__, package + ".") if not info.name.endswith("__main__")]
    for name in names:
        import_quietly(name)
    with contextlib.suppress(Exception):
        from enlsp_proceedings.util.code import code_digest

        code_digest()  # of the code loaded here, which every build forked from here runs (a build computing it
        # would read the files on disk: after an upgrade, outputs of the old code would carry the new code's digest)
    with contextlib.suppress(Exception):
        from pygments.styles import get_all_styles, get_style_by_name

        for style in get_all_styles():
            with contextlib.suppress(Exception):
                get_style_by_name(style)


preload()
