"""Sphinx extension: the ``enlsp-page`` directive and per-page metadata.

Generated sources contain only ``{enlsp-page} <kind> <id>`` plus a digest of the data the
page shows; the directive builds the page from the saved `Volume` as docutils nodes
(like sphinx-gallery, pages are generated before Sphinx reads them). Author text is
therefore never parsed as MyST or reST. Safe for parallel reading and writing.
"""

from __future__ import annotations

import html
import os
from pathlib import Path
from typing import Any

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from .nodes import data_container, depart_data_container, visit_data_container
from .pages import PageBuilder
from .volume import Volume

__version__ = "0.1.0"

_CACHE: dict[str, tuple[float, Volume]] = {}


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
            return method(ident) if ident else method()
        except KeyError as exc:
            raise self.error(f"no {kind} with id {exc}") from None


def _meta(name: str, content: str, attr: str = "name") -> str:
    return f'<meta {attr}="{html.escape(name, quote=True)}" content="{html.escape(content, quote=True)}">\n'


def add_page_metadata(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """Google Scholar tags on paper pages, a description everywhere (all escaped)."""
    if doctree is None or not app.config.enlsp_data:
        return
    volume = get_volume(app)
    head = ""
    parts = pagename.split("/")
    if len(parts) == 2 and parts[0] == "papers" and parts[1] in volume.papers_by_id:
        paper = volume.papers_by_id[parts[1]]
        w = volume.workshop
        head += _meta("citation_title", paper.title)
        for author in paper.authors:
            head += _meta("citation_author", volume.proc.canonical_name(author.name))
            if author.affiliation:
                head += _meta("citation_author_institution", author.affiliation)
        head += _meta("citation_publication_date", w.date.strftime("%Y/%m/%d"))
        head += _meta("citation_conference_title", w.booktitle)
        pdf = volume.pdf_path(paper.id)
        if pdf:
            head += _meta("citation_pdf_url", volume.url(pdf))
        head += _meta("citation_abstract_html_url", volume.url(f"papers/{paper.id}.html"))
    context["metatags"] = context.get("metatags", "") + head


def add_footer(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    if app.config.enlsp_data:
        w = get_volume(app).workshop
        context["enlsp_footer"] = f"{w.short_name} · {w.venue} · {w.location}"


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


def disable_unsafe_markup(app: Sphinx) -> None:
    """No raw HTML and no file insertion in any source, generated or hand-written."""
    app.env.settings["raw_enabled"] = False
    app.env.settings["file_insertion_enabled"] = False
    if app.config.enlsp_data:
        get_volume(app)  # load once in the main process; parallel workers inherit it


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
    app.add_node(data_container, html=(visit_data_container, depart_data_container))
    app.add_js_file("enlsp-filters.js", loading_method="defer")
    app.connect("config-inited", configure_from_volume)
    app.connect("builder-inited", disable_unsafe_markup)
    app.connect("builder-inited", use_pagefind_search)
    app.connect("html-collect-pages", search_page)
    app.connect("html-page-context", add_page_metadata)
    app.connect("html-page-context", add_footer)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
