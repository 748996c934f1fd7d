"""How the extension's pages are written as HTML: its nodes' HTML writers, compact
templates, the search page and a 404 page that works at any address."""

from __future__ import annotations

import hashlib
import html
import json
import re
import sys
from pathlib import Path
from typing import Any

import jinja2
import sphinx
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.jinja2glue import BuiltinTemplateLoader

from enlsp_proceedings import paths
from enlsp_proceedings.sphinxext.data import proceedings_site
from enlsp_proceedings.sphinxext.widgets import ALLOWED_ELEMENTS, html_element, html_fragment
from enlsp_proceedings.util.files import write_if_changed


def visit_html_fragment(self: Any, node: html_fragment) -> None:
    """Markup that `nodes.fragment` accepted (built from escaping templates) goes out as is."""
    self.body.append(node["html"])
    raise nodes.SkipNode


def visit_html_element(self: Any, node: html_element) -> None:
    """Write the element with every attribute value and the text escaped."""
    tag = node["tag"]
    if tag not in ALLOWED_ELEMENTS:
        raise nodes.SkipNode
    attrs = "".join(f' {html.escape(k)}="{html.escape(v, quote=True)}"' for k, v in node["attrs"].items())
    if tag == "img":
        self.body.append(f"<img{attrs}>")
    else:
        self.body.append(f"<{tag}{attrs}>{html.escape(node['content'])}</{tag}>")
    raise nodes.SkipNode


def skip_node(self: Any, node: nodes.Node) -> None:
    """Writers without a visitor for a node skip it (the node carries HTML only)."""
    raise nodes.SkipNode


def visit_tab_label(self, node: nodes.Element) -> None:
    """sphinx-design's tab label without ``aria-controls``, which HTML does not allow on a ``<label>``
    (four Nu HTML Checker errors per paper page); the label still names its radio input by ``for``."""
    attributes = {"for": node["input_id"]}
    if "sync_id" in node and "sync_group" in node:
        attributes["data-sync-id"] = node["sync_id"]
        attributes["data-sync-group"] = node["sync_group"]
    self.body.append(self.starttag(node, "label", **attributes))


#: What `compact_html` leaves as it is (``pre``, ``textarea``, ``script``, ``style``) or drops (comments):
#: each starts with ``<``, which the regular expression engine finds by a fast search.
_KEPT_OR_COMMENT = re.compile(r"<(?:(pre|textarea|script|style)\b.*?</\1>|!--.*?-->)", re.S | re.I)
#: Spaces and tabs before a line break; a line break and every whitespace after it.
_BEFORE_BREAK = re.compile(r"[ \t\r\f\v]+\n")
_BREAK_AND_AFTER = re.compile(r"\n\s*")


def compact_html(markup: str) -> str:
    """Collapse every whitespace run that contains a newline into one newline; drop comments.

    The theme's templates indent deeply and leave many blank lines: about a third of each
    page. Browsers render any whitespace run between tags as one space at most, so this
    changes no rendering; ``pre``, ``textarea``, ``script`` and ``style`` are left untouched.

    The text between those is compacted in two passes, each starting at a literal character: one
    pattern for the whole run (``[ \t\r\f\v]*\n\\s*``) could start at every space of the text, and
    took 0.13 s of the series' list of 10,000 papers (3.9 MB) on every one-paper edit; this takes
    0.06 s, with the same result (tested against that pattern).

    minify-html (0.18.1) was measured instead on the real site's 272 pages: 5% fewer bytes
    (3.5% gzipped), slightly faster (50 ms against 67 ms), but it unquotes and reorders attributes and rewrites
    the markup inside ``pre`` (every page's bytes change, and the site's tests read that
    markup). Not adopted; see docs/workarounds.md.
    """
    out: list[str] = []
    start = 0
    for match in _KEPT_OR_COMMENT.finditer(markup):
        out.append(_compact_text(markup[start:match.start()]))
        if match.group(1):  # a comment is dropped
            out.append(match.group(0))
        start = match.end()
    out.append(_compact_text(markup[start:]))
    return "".join(out)


def _compact_text(text: str) -> str:
    return _BREAK_AND_AFTER.sub("\n", _BEFORE_BREAK.sub("\n", text)) if "\n" in text else text


_LAYOUT_SPACE = re.compile(r"\s*(</?(?:ul|li|button)\b[^>]*>)\s*|(<a\b[^>]*>)\s+|\s+(</a>)")


def tight_html(markup: str) -> str:
    """Drop the layout whitespace of a list of links (the theme's header links): around list
    and button tags, where it shows nowhere, and just inside each link. Space inside a
    link's text, between words and inline tags, stays."""
    return _LAYOUT_SPACE.sub(lambda m: next(g for g in m.groups() if g), str(markup))


def template_cache(folder: str) -> jinja2.BytecodeCache | None:
    """Jinja's cache of compiled templates in ``folder`` (the build's cache, config value
    ``enlsp_template_cache``), in a subfolder per Python, Jinja and Sphinx version: Jinja keys
    each entry by the template's name and source only, while the code it compiles to depends
    on those three too. None when there is no folder or it cannot be made (the cache only
    saves time).

    Every Sphinx run compiled the theme's and the extension's templates again on the first
    page it wrote (0.1–0.2 s, a fifth of writing the three pages a one-paper edit rewrites in
    an edition of 500 papers), once per process: the edition's run, the series' run beside it,
    the preview's every rebuild."""
    if not folder:
        return None
    versions = f"{sys.version_info[:3]} {jinja2.__version__} {sphinx.__display_version__}"
    where = Path(folder) / hashlib.sha256(versions.encode()).hexdigest()[:16]
    try:
        where.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return jinja2.FileSystemBytecodeCache(str(where))


class CompactTemplates(BuiltinTemplateLoader):
    """Sphinx's template bridge, with `compact_html` applied to every rendered page
    (and the ``enlsp_tight`` filter, `tight_html`, for the templates), and the compiled
    templates kept in the build's cache (`template_cache`)."""

    def init(self, builder: Any, theme: Any = None, dirs: Any = None) -> None:
        """Sphinx's template loader, with the ``enlsp_tight`` filter added and the cache of compiled templates."""
        super().init(builder, theme, dirs)
        self.environment.filters["enlsp_tight"] = tight_html
        self.environment.bytecode_cache = template_cache(getattr(builder.config, "enlsp_template_cache", ""))

    def render(self, template: str, context: dict) -> str:  # type: ignore[override]  # as Sphinx's own loader: the base says None
        """The rendered page, compacted (`compact_html`)."""
        return compact_html(super().render(template, context))


def portable_404(app: Sphinx, exception: Exception | None) -> None:
    """Make 404.html styled wherever the site is served, not only under base_url's path.

    sphinx-notfound-page writes every link as an absolute path under the site's path (the
    page is served at any depth); served from another path (a local preview at ``/``, a
    custom domain) the page lost its styles and links. The links become relative to a
    ``<base>``: the site's path, or ``/`` when the page is not under it (set by a script
    before anything loads; without JavaScript the base stays the site's path).
    """
    if exception is not None or app.builder.format != "html" or not proceedings_site(app.config):
        return
    page = Path(app.outdir) / paths.NOT_FOUND
    try:
        text = page.read_text(encoding="utf-8")
    except OSError:
        return
    prefix = app.config.notfound_urls_prefix or "/"
    if "<base " in text or "<head>" not in text:
        return
    text = re.sub(r'(\s(?:href|src)=")' + re.escape(prefix), r"\1", text)
    quoted = html.escape(prefix, quote=True)
    script = (f'<base href="{quoted}"><script>(function(){{var p={json.dumps(prefix)};'
              'if(location.pathname.indexOf(p)!==0)document.querySelector("base").setAttribute("href","/");})();</script>')
    write_if_changed(page, text.replace("<head>", "<head>\n" + script, 1))


def use_pagefind_search(app: Sphinx) -> None:
    """Sphinx's own search index is not used on a proceedings site (Pagefind is, see
    ``search/``): skip building it there."""
    if hasattr(app.builder, "search") and proceedings_site(app.config):
        app.builder.search = False


def search_page(app: Sphinx) -> list[tuple[str, dict, str]]:
    """search.html: the theme's search field and dialog submit here (``search.html?q=...``).
    Only on a proceedings site: its template comes with the site's settings (`settings`)."""
    if getattr(app.builder, "format", "") != "html" or not proceedings_site(app.config):
        return []
    return [("search", {"title": "Search"}, "enlsp-search.html")]
