"""The page frame's assets: each page loads the scripts and stylesheets it uses, and the
published site carries no source maps.

A 1,000-paper volume has some 3,600 pages (most of them author pages), so every tag of
the frame is paid thousands of times. The markup side is in ``templates/`` (see
``layout.html``); this module decides, per page, which of the registered files a page
links:

* never Sphinx's own search helpers: ``doctools.js`` (its "/" shortcut focuses the
  first search field, which is in the closed search dialog) and ``sphinx_highlight.js``
  (highlights the terms of Sphinx search results; the site searches with Pagefind);
* the copy-button and syntax-highlighting files only on pages with a code block (the
  cite tabs), the tab script only on pages with tabs, the papers filter only on the
  papers list, the reading list's exports only on the My list page, Bootstrap's script only when the header has a "More" dropdown (the only
  Bootstrap widget on the site: no tooltips, no back-to-top button);
* KaTeX (``katex/``: 273 KB of script, 23 KB of style, fonts as used) and ``enlsp-math.js``
  only on pages showing inline math in a title or abstract (`richtext`);
* never the theme's ``fontawesome.js`` (89 KB): it only draws custom ``fa-custom`` icons,
  which the site has none of; the standard icons are the theme's CSS and web fonts.

The theme's own script is registered here as a deferred script in ``<head>``, after
``enlsp.js``, instead of the theme's preload links plus scripts at the end of ``<body>``:
the same order of execution, in fewer tags.

The editions of a series share one ``_static/``, the series' own at the archive's root
(`share_static`): the same theme, settings and files, so a reader going from one year to
the next has them cached, and an archive of ten editions carries one copy instead of
eleven (1.6 MB each). The build checks that each edition's copy is the series' byte for
byte before it leaves it out (``publish/series.py``).
"""

from __future__ import annotations

import html
import os
import posixpath
import re
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx

from enlsp_proceedings import paths
from enlsp_proceedings.sphinxext.data import get_volume
from enlsp_proceedings.util.files import write_if_changed

#: Scripts of the frame, in this order (all deferred); Bootstrap's only where ``ONLY_FOR`` says.
FRAME_SCRIPTS = ("enlsp.js", "scripts/bootstrap.js", "scripts/pydata-sphinx-theme.js")

#: Registered by Sphinx, but not used by this site.
UNUSED = {"doctools.js", "sphinx_highlight.js"}

#: file -> what a page's body must contain for the page to load it
ONLY_FOR = {
    "clipboard.min.js": "code",
    "copybutton.js": "code",
    "copybutton.css": "code",
    "pygments.css": "code",
    "design-tabs.js": "tabs",
    "enlsp-filters.js": "filters",
    "enlsp-mylist.js": "mylist",
    "bootstrap.js": "dropdown",
    "katex.min.js": "math",
    "katex.min.css": "math",
    "enlsp-math.js": "math",
}

_CLASS_FEATURES = {"sd-tab-set": "tabs", "enlsp-filters": "filters", "enlsp-mylist": "mylist", "enlsp-math": "math"}
#: The math renderer (`richtext`): KaTeX, then the script that has it typeset each formula.
MATH_SCRIPTS = ("katex/katex.min.js", "enlsp-math.js")
MATH_STYLES = ("katex/katex.min.css",)

#: A line that only names a source map: ``//# sourceMappingURL=x.js.map``, ``/*# sourceMappingURL=x.css.map */``
_MAP_LINE = re.compile(rb"^[ \t]*(?://[#@] sourceMappingURL=\S*|/\*[#@] sourceMappingURL=\S*[ \t]*\*/)[ \t]*\r?$")


def page_features(doctree: nodes.document | None) -> set[str]:
    """What of ``ONLY_FOR``'s features a page body uses (pages without a doctree: none)."""
    found: set[str] = set()
    if doctree is None:
        return found
    for node in doctree.findall(nodes.Element):
        if isinstance(node, nodes.literal_block):
            found.add("code")
        for cls in node["classes"]:
            if cls in _CLASS_FEATURES:
                found.add(_CLASS_FEATURES[cls])
    return found


def _name(asset: Any) -> str:
    return posixpath.basename(os.fspath(getattr(asset, "filename", None) or ""))


def _keep(asset: Any, features: set[str]) -> bool:
    name = _name(asset)
    if not name:  # an inline script (the theme's two; see docs/workarounds.md, "Removed")
        return True
    if name in UNUSED:
        return False
    return ONLY_FOR.get(name, "always") in features | {"always"}


#: docutils' HTML5 writer adds this to every page's meta tags; Sphinx's layout has its own.
_DOCUTILS_VIEWPORT = '<meta name="viewport" content="width=device-width, initial-scale=1" />\n'


def header_has_dropdown(context: dict) -> bool:
    """Whether the theme's header navigation puts links under a "More" dropdown (Bootstrap's)."""
    generate = context.get("generate_header_nav_html")
    if generate is None:
        return False
    links = generate(n_links_before_dropdown=context.get("theme_header_links_before_dropdown", 5),
                     dropdown_text=context.get("theme_header_dropdown_text", "More"))
    return "dropdown-toggle" in links


def trim_page_assets(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """Drop the scripts and stylesheets this page does not use (runs after the theme's
    handlers), and the second viewport tag."""
    features = page_features(doctree)
    if header_has_dropdown(context):
        features.add("dropdown")
    for key in ("script_files", "css_files"):
        if isinstance(context.get(key), list):
            context[key][:] = [a for a in context[key] if _keep(a, features)]
    if isinstance(context.get("metatags"), str):
        context["metatags"] = context["metatags"].replace(_DOCUTILS_VIEWPORT, "", 1)
    if pagename == getattr(app.config, "notfound_pagename", None):
        # 404.html is served at any depth: its links are absolute (sphinx-notfound-page),
        # and so is the root enlsp.js finds the search page from.
        context["content_root"] = html.escape(app.config.notfound_urls_prefix or "/", quote=True)


def shared_static_root(app: Sphinx) -> str:
    """Where the static files an edition's pages load are, from the edition's root: the series'
    root for an edition of a series (``"../"``), else its own root (``""``)."""
    if not app.config.enlsp_data:
        return ""
    series = get_volume(app).series
    return series.root if series is not None else ""


def share_static(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """An edition of a series links the series' ``_static/`` instead of its own.

    Templates call ``pathto('_static/…', 1)``; Sphinx's ``css_tag`` and ``js_tag`` call the
    ``pathto`` they were made with, so their tags get the new address in place of the old. The
    checksum (``?v=``) stays the one Sphinx took from the edition's own copy: the build makes
    sure that copy is the series', byte for byte, and only then leaves it out. Runs after
    sphinx-notfound-page's handler (priority 400: its 404 page's absolute ``pathto`` and tags are
    wrapped the same way) and before Sphinx's and the theme's (500), which make the favicon's and
    the logo's addresses with ``pathto``.
    """
    root = shared_static_root(app)
    if not root or not callable(context.get("pathto")):
        return
    own = context["pathto"]

    def pathto(otheruri: str, resource: bool = False, *args: Any, **kwargs: Any) -> str:
        if resource and otheruri.startswith(paths.STATIC):
            return own(root + otheruri, True, *args, **kwargs)
        return own(otheruri, resource, *args, **kwargs)

    context["pathto"] = pathto
    for key, attribute in (("css_tag", "href"), ("js_tag", "src")):
        if callable(context.get(key)):
            context[key] = _retarget(context[key], attribute, own, pathto)


def _retarget(tag: Any, attribute: str, own: Any, shared: Any) -> Any:
    """Sphinx's ``css_tag``/``js_tag``, with a ``_static/`` file's address made by ``shared``."""
    def made(asset: Any) -> str:
        text = tag(asset)
        name = asset if isinstance(asset, str) else os.fspath(getattr(asset, "filename", None) or "")
        if name.startswith(paths.STATIC):
            text = text.replace(f'{attribute}="{own(name, True)}', f'{attribute}="{shared(name, True)}', 1)
        return str(text)
    return made


#: Static files Sphinx and the theme copy that no page of this site loads (see above): the
#: published site leaves them out, like the source maps.
UNUSED_STATIC = {
    "doctools.js", "sphinx_highlight.js", "searchtools.js", "language_data.js",  # Sphinx's search
    "scripts/fontawesome.js", "scripts/fontawesome.js.LICENSE.txt",  # custom icons only
    "copybutton_funcs.js",  # sphinx-copybutton's module source; copybutton.js has its own copy
    "webpack-macros.html",  # a template of the theme's, not a web asset
}


def prune_static(app: Sphinx, exception: Exception | None) -> None:
    """No source maps and no unused files in ``_static``.

    The maps (``*.map``, 2 MB) are for the theme's own developers; a reader's browser never
    loads them, and the lines naming them go too. Sphinx copies the theme's static files
    again on every build, so this runs on every build. Files are replaced or deleted, never
    rewritten in place (the output may share files with the published copy through hard links).
    """
    if exception is not None or getattr(app.builder, "format", "") != "html":
        return
    static = Path(app.outdir) / "_static"
    if not static.is_dir():
        return
    for name in UNUSED_STATIC:
        (static / name).unlink(missing_ok=True)
    for path in sorted(static.rglob("*")):
        if not path.is_file():
            continue
        if path.suffix == ".map":
            path.unlink()
        elif path.suffix in {".js", ".css"}:
            text = path.read_bytes()
            if b"sourceMappingURL=" not in text:
                continue
            lines = text.split(b"\n")
            kept = b"\n".join(line for line in lines if not _MAP_LINE.match(line))
            write_if_changed(path, kept)  # replaces the file, never writes into it


def setup(app: Sphinx) -> None:
    """Called by the extension's setup()."""
    for priority, name in enumerate(FRAME_SCRIPTS, start=600):
        app.add_js_file(name, loading_method="defer", priority=priority)
    # after enlsp.js, whose reading list (the stars) it reads
    app.add_js_file("enlsp-mylist.js", loading_method="defer", priority=600 + len(FRAME_SCRIPTS))
    for priority, name in enumerate(MATH_SCRIPTS, start=700):
        app.add_js_file(name, loading_method="defer", priority=priority)
    for name in MATH_STYLES:
        app.add_css_file(name)
    app.connect("html-page-context", trim_page_assets, priority=900)
    app.connect("html-page-context", share_static, priority=450)
    app.connect("build-finished", prune_static)
