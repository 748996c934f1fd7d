"""Sphinx extension: the ``enlsp-page`` directive and per-page metadata.

Generated sources contain only ``{enlsp-page} <kind> <id>`` plus a digest of the data the
page shows; the directive builds the page from the saved `Volume` as docutils nodes
(like sphinx-gallery, pages are generated before Sphinx reads them). Author text is
therefore never parsed as MyST or reST. Safe for parallel reading and writing.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import urllib.parse
from pathlib import Path
from typing import Any

from docutils import nodes
from docutils.parsers.rst import directives
from markupsafe import Markup
from sphinx.application import Sphinx
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.jinja2glue import BuiltinTemplateLoader
from sphinx.util.docutils import SphinxDirective

from . import frame, highlight
from .headmeta import add_page_metadata, write_sitemap
from .nodes import (
    ALLOWED_ELEMENTS,
    data_container,
    depart_as_reference,
    depart_data_container,
    depart_site_link,
    html_element,
    html_fragment,
    site_link,
    visit_as_reference,
    visit_data_container,
    visit_site_link,
)
from .pages import PageBuilder
from .render import write_if_changed
from .volume import Volume

__version__ = "0.1.0"

_CACHE: dict[str, tuple[float, Volume]] = {}

#: Page kinds that show one paper, talk or person; list pages keep their "On this page" column.
ONE_ITEM_PAGES = {"paper", "keynote", "author"}


def get_volume(app_or_env: Any) -> Volume:
    """The volume saved by the build step (loaded once per process)."""
    path = str(Path(app_or_env.config.enlsp_data).resolve())
    mtime = os.stat(path).st_mtime
    cached = _CACHE.get(path)
    if cached is None or cached[0] != mtime:
        cached = (mtime, Volume.from_json(Path(path).read_text(encoding="utf-8")))
        _CACHE[path] = cached
    return cached[1]


class EnlspPage(SphinxDirective):
    """``{enlsp-page} paper fast-distilbert`` -> the whole page body."""

    required_arguments = 1
    optional_arguments = 1
    option_spec = {"digest": directives.unchanged}
    has_content = False

    def run(self) -> list[nodes.Node]:
        kind = self.arguments[0]
        ident = self.arguments[1] if len(self.arguments) > 1 else None
        builder = PageBuilder(get_volume(self.env), self.env.docname)
        method = getattr(builder, kind.replace("-", "_"), None)
        if method is None or kind.startswith("_"):
            raise self.error(f"unknown enlsp page kind {kind!r}")
        try:
            result = method(ident) if ident else method()
        except KeyError as exc:
            raise self.error(f"no {kind} with id {exc}") from None
        title = next(iter(result[0].findall(nodes.title)), None) if result else None
        if title is not None:
            # sphinxext-opengraph decodes the HTML title and re-escapes only '"', so
            # '&lt;' typed by an author would show as '<': hand it the escaped text.
            self.env.metadata[self.env.docname]["og:title"] = html.escape(title.astext(), quote=True)
        if kind in ONE_ITEM_PAGES:
            # A few short sections, a screen or two: no "On this page" column (the theme's
            # per-page switch), which was a sixth of such a page's bytes.
            self.env.metadata[self.env.docname]["html_theme.sidebar_secondary.remove"] = "true"
        return result


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
    raise nodes.SkipNode


def add_footer(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    if app.config.enlsp_data:
        w = get_volume(app).workshop
        context["enlsp_footer"] = f"{w.short_name} · {w.venue} · {w.location}"


def mark_titles_escaped(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """The theme inserts ``docstitle``/``project`` raw (navbar logo), Sphinx escapes them
    (``<title>``): as Markup they are escaped once, by `configure_from_volume`, everywhere."""
    if app.config.enlsp_data:
        for key in ("docstitle", "shorttitle", "project"):
            if isinstance(context.get(key), str):
                context[key] = Markup(context[key])


def configure_from_volume(app: Sphinx, config: Any) -> None:
    """Site-wide values from the workshop data, HTML-escaped (the theme inserts them raw).

    The build writes ``volume.json`` beside the generated sources, so a plain
    ``sphinx-build -c docs <cache>/source OUT`` (and sphinx-autobuild) finds it too.
    """
    if not config.enlsp_data:
        candidate = Path(app.srcdir).parent / "volume.json"
        if not candidate.is_file():
            return
        config.enlsp_data = str(candidate)
    w = get_volume(app).workshop
    label = html.escape(f"{w.short_name} {w.year}")
    config.project = html.escape(w.short_name)
    config.html_title = label
    config.html_baseurl = w.base_url
    config.ogp_site_url = w.base_url
    config.ogp_site_name = label
    # The logo's text is the theme's raw markup: escaped here (the image carries no data).
    config.html_theme_options = {**config.html_theme_options, "logo": {"text": label}}
    # 404.html is served for any missing URL, at any depth: its links must be absolute.
    prefix = urllib.parse.urlsplit(w.base_url).path or "/"
    config.notfound_urls_prefix = prefix
    home = html.escape(prefix, quote=True)
    config.notfound_context = {
        "title": "Page not found",
        "body": (
            "<h1>Page not found</h1>\n"
            "<p>There is no page at this address. It may have moved when the proceedings were updated.</p>\n"
            f'<p><a class="sd-btn sd-btn-primary" href="{home}index.html">Go to the home page</a> '
            f'<a class="sd-btn sd-btn-outline-primary" href="{home}papers/index.html">Browse the papers</a> '
            f'<a class="sd-btn sd-btn-outline-primary" href="{home}search.html">Search</a></p>\n'
        ),
    }


def visit_tab_label(self, node: nodes.Element) -> None:
    """sphinx-design's tab label without ``aria-controls``, which HTML does not allow on a ``<label>``
    (four Nu HTML Checker errors per paper page); the label still names its radio input by ``for``."""
    attributes = {"for": node["input_id"]}
    if "sync_id" in node and "sync_group" in node:
        attributes["data-sync-id"] = node["sync_id"]
        attributes["data-sync-group"] = node["sync_group"]
    self.body.append(self.starttag(node, "label", **attributes))


def portable_404(app: Sphinx, exception: Exception | None) -> None:
    """Make 404.html styled wherever the site is served, not only under base_url's path.

    sphinx-notfound-page writes every link as an absolute path under the site's path (the
    page is served at any depth); served from another path (a local preview at ``/``, a
    custom domain) the page lost its styles and links. The links become relative to a
    ``<base>``: the site's path, or ``/`` when the page is not under it (set by a script
    before anything loads; without JavaScript the base stays the site's path).
    """
    if exception is not None or app.builder.format != "html" or not app.config.enlsp_data:
        return
    page = Path(app.outdir) / "404.html"
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


def disable_unsafe_markup(app: Sphinx) -> None:
    """No raw HTML and no file insertion in any source, generated or hand-written."""
    app.env.settings["raw_enabled"] = False
    app.env.settings["file_insertion_enabled"] = False
    if app.config.enlsp_data:
        get_volume(app)  # load once in the main process; parallel workers inherit it


def _code_version() -> int:
    """Changes whenever the code that builds page bodies changes, so Sphinx re-reads every page then.

    Page stubs carry a digest of their data only; without this, upgrading the tool would
    leave pages built by the old code in place until their data changed.
    """
    digest = hashlib.sha256()
    for name in ("pages.py", "nodes.py", "sphinxext.py", "volume.py", "cite.py", "people.py", "frame.py", "highlight.py"):
        digest.update((Path(__file__).parent / name).read_bytes())
    return int(digest.hexdigest()[:8], 16)


_KEEP_OR_SPACE = re.compile(r"(<(pre|textarea|script|style)\b.*?</\2>)|([ \t\r\f\v]*\n\s*)|<!--.*?-->", re.S | re.I)


def compact_html(markup: str) -> str:
    """Collapse every whitespace run that contains a newline into one newline; drop comments.

    The theme's templates indent deeply and leave many blank lines: about a third of each
    page. Browsers render any whitespace run between tags as one space at most, so this
    changes no rendering; ``pre``, ``textarea``, ``script`` and ``style`` are left untouched.
    """
    return _KEEP_OR_SPACE.sub(lambda m: m.group(1) or ("\n" if m.group(3) else ""), markup)


_LAYOUT_SPACE = re.compile(r"\s*(</?(?:ul|li|button)\b[^>]*>)\s*|(<a\b[^>]*>)\s+|\s+(</a>)")


def tight_html(markup: str) -> str:
    """Drop the layout whitespace of a list of links (the theme's header links): around list
    and button tags, where it shows nowhere, and just inside each link. Space inside a
    link's text, between words and inline tags, stays."""
    return _LAYOUT_SPACE.sub(lambda m: next(g for g in m.groups() if g), str(markup))


class CompactTemplates(BuiltinTemplateLoader):
    """Sphinx's template bridge, with `compact_html` applied to every rendered page
    (and the ``enlsp_tight`` filter, `tight_html`, for the templates)."""

    def init(self, builder: Any, theme: Any = None, dirs: Any = None) -> None:
        super().init(builder, theme, dirs)
        self.environment.filters["enlsp_tight"] = tight_html

    def render(self, template: str, context: dict) -> str:
        return compact_html(super().render(template, context))


def serial_read_for_small_updates(app: Sphinx, env: Any, docnames: list[str]) -> None:
    """Read a handful of changed pages in this process instead of in parallel workers.

    Sphinx's parallel read sends the whole environment to every worker and pickles it
    back (seconds for a 1,000-paper volume), which dwarfs reading the few pages a
    one-paper edit touches. Full and large rebuilds stay parallel.
    """
    known = len(env.all_docs)
    if app.parallel > 1 and known and len(docnames) < max(20, known // 20):
        env._enlsp_parallel = app.parallel  # noqa: SLF001 - restored in env-updated
        app.parallel = 1


class HTMLBuilder(StandaloneHTMLBuilder):
    """Sphinx's HTML builder, except that it writes a few pages in this process.

    Sphinx's parallel write forks a worker per chunk of pages; at 1,000 papers that copies
    a 400 MB process to write the eight pages of a one-paper edit, slower than writing
    them here. Large writes (a full build, a template change) stay parallel.
    """

    SERIAL_WRITES = 50

    def write_documents(self, docnames) -> None:
        parallel, self.parallel_ok = self.parallel_ok, self.parallel_ok and len(docnames) >= self.SERIAL_WRITES
        try:
            super().write_documents(docnames)
        finally:
            self.parallel_ok = parallel


def restore_parallel(app: Sphinx, env: Any) -> list[str]:
    """Writing many pages stays parallel (it only ships doctrees, not the environment)."""
    saved = env.__dict__.pop("_enlsp_parallel", None)
    if saved:
        app.parallel = saved
    return []


def use_pagefind_search(app: Sphinx) -> None:
    """Sphinx's own search index is not used (Pagefind is, see search.py): skip building it."""
    if hasattr(app.builder, "search"):
        app.builder.search = False


def search_page(app: Sphinx) -> list[tuple[str, dict, str]]:
    """search.html: the theme's search field and dialog submit here (``search.html?q=...``)."""
    if getattr(app.builder, "format", "") != "html":
        return []
    return [("search", {"title": "Search"}, "enlsp-search.html")]


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("enlsp_data", "", "env", types=[str])
    app.add_directive("enlsp-page", EnlspPage)
    app.add_builder(HTMLBuilder, override=True)
    app.add_node(html_element, html=(visit_html_element, None), latex=(skip_node, None), text=(skip_node, None), man=(skip_node, None), texinfo=(skip_node, None))
    app.add_node(html_fragment, html=(visit_html_fragment, None), latex=(skip_node, None), text=(skip_node, None), man=(skip_node, None), texinfo=(skip_node, None))
    app.add_node(data_container, html=(visit_data_container, depart_data_container))
    from sphinx_design.tabs import depart_tab_label, sd_tab_label

    app.add_node(sd_tab_label, override=True, html=(visit_tab_label, depart_tab_label))
    as_reference = (visit_as_reference, depart_as_reference)
    app.add_node(site_link, html=(visit_site_link, depart_site_link), latex=as_reference, text=as_reference, man=as_reference, texinfo=as_reference)
    app.add_js_file("enlsp-filters.js", loading_method="defer")
    frame.setup(app)
    highlight.setup(app)
    app.connect("config-inited", configure_from_volume)
    app.connect("builder-inited", disable_unsafe_markup)
    app.connect("builder-inited", use_pagefind_search)
    app.connect("html-collect-pages", search_page)
    app.connect("html-page-context", add_page_metadata, priority=400)  # before sphinxext-opengraph reads the fields
    app.connect("build-finished", write_sitemap)
    app.connect("build-finished", portable_404)
    app.connect("html-page-context", add_footer)
    app.connect("html-page-context", mark_titles_escaped)
    app.connect("env-before-read-docs", serial_read_for_small_updates)
    app.connect("env-updated", restore_parallel)
    return {"version": __version__, "env_version": _code_version(), "parallel_read_safe": True, "parallel_write_safe": True}
