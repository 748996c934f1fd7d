"""Sphinx extension: the ``enlsp-page`` directive and per-page metadata.

Generated sources contain only ``{enlsp-page} <kind> <id>`` plus a digest of the data the
page shows; the directive builds the page from the saved `Volume` as docutils nodes
(like sphinx-gallery, pages are generated before Sphinx reads them). Author text is
therefore never parsed as MyST or reST. Safe for parallel reading and writing.
"""

from __future__ import annotations

import html
import os
import re
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as xml_escape

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.jinja2glue import BuiltinTemplateLoader
from sphinx.util.docutils import SphinxDirective

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


_KEEP_OR_SPACE = re.compile(r"(<(pre|textarea|script|style)\b.*?</\2>)|([ \t\r\f\v]*\n\s*)|<!--.*?-->", re.S | re.I)


def compact_html(markup: str) -> str:
    """Collapse every whitespace run that contains a newline into one newline; drop comments.

    The theme's templates indent deeply and leave many blank lines: about a third of each
    page. Browsers render any whitespace run between tags as one space at most, so this
    changes no rendering; ``pre``, ``textarea``, ``script`` and ``style`` are left untouched.
    """
    return _KEEP_OR_SPACE.sub(lambda m: m.group(1) or ("\n" if m.group(3) else ""), markup)


class CompactTemplates(BuiltinTemplateLoader):
    """Sphinx's template bridge, with `compact_html` applied to every rendered page."""

    def render(self, template: str, context: dict) -> str:
        return compact_html(super().render(template, context))


def write_sitemap(app: Sphinx, exception: Exception | None) -> None:
    """sitemap.xml listing every page of the site, also after an incremental build.

    (sphinx-sitemap lists only the pages written by the current run, so after a
    one-paper edit it would publish a sitemap of a handful of pages.)
    """
    base = app.config.html_baseurl
    if exception is not None or app.builder.format != "html" or not base:
        return
    from .render import write_if_changed

    base = base.rstrip("/") + "/"
    suffix = app.builder.out_suffix
    urls = "".join(f"<url><loc>{xml_escape(base + doc + suffix)}</loc></url>\n" for doc in sorted(app.env.found_docs))
    xml = f'<?xml version="1.0" encoding="utf-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{urls}</urlset>\n'
    write_if_changed(Path(app.outdir) / "sitemap.xml", xml)


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


def restore_parallel(app: Sphinx, env: Any) -> list[str]:
    """Writing stays parallel (it only ships doctrees, not the environment)."""
    saved = env.__dict__.pop("_enlsp_parallel", None)
    if saved:
        app.parallel = saved
    return []


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("enlsp_data", "", "env", types=[str])
    app.add_directive("enlsp-page", EnlspPage)
    app.connect("config-inited", configure_from_volume)
    app.connect("builder-inited", disable_unsafe_markup)
    app.connect("html-page-context", add_page_metadata)
    app.connect("html-page-context", add_footer)
    app.connect("build-finished", write_sitemap)
    app.connect("env-before-read-docs", serial_read_for_small_updates)
    app.connect("env-updated", restore_parallel)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
