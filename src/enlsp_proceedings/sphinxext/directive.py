"""The ``enlsp-page`` directive: a generated source's one line becomes the whole page body.

Generated sources contain only ``{enlsp-page} <kind> <id>`` plus a digest of the data the
page shows; the directive looks the kind up in the registry (`pages.PAGES`), asks it for
that data from the saved `Volume` and renders it as docutils nodes
(like sphinx-gallery, pages are generated before Sphinx reads them). Author text is
therefore never parsed as MyST or reST.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective

from enlsp_proceedings.sphinxext.data import get_series, get_volume
from enlsp_proceedings.sphinxext.pages import PAGES, Page, PageKind
from enlsp_proceedings.sphinxext.pages.common import Data
from enlsp_proceedings.sphinxext.pages.series import SERIES_PAGES


class EnlspPage(SphinxDirective):
    """``{enlsp-page} paper fast-distilbert`` -> the whole page body."""

    required_arguments = 1
    optional_arguments = 1
    option_spec = {"digest": directives.unchanged}
    has_content = False

    def run(self) -> list[nodes.Node]:
        """Build the page of this kind (and id) from the saved volume."""
        kind = self.arguments[0]
        ident = self.arguments[1] if len(self.arguments) > 1 else None
        if self.config.enlsp_series:
            one_item, result = self._body(SERIES_PAGES, kind, ident, get_series(self.env), "")
        else:
            volume = get_volume(self.env)
            one_item, result = self._body(PAGES, kind, ident, volume, volume.people_root)
        title = next(iter(result[0].findall(nodes.title)), None) if result else None
        if title is not None:
            # sphinxext-opengraph decodes the HTML title and re-escapes only '"', so
            # '&lt;' typed by an author would show as '<': hand it the escaped text.
            self.env.metadata[self.env.docname]["og:title"] = html.escape(title.astext(), quote=True)
        if one_item:
            # A few short sections, a screen or two: no "On this page" column (the theme's
            # per-page switch), which was a sixth of such a page's bytes.
            self.env.metadata[self.env.docname]["html_theme.sidebar_secondary.remove"] = "true"
        return result

    def _body(self, kinds: Mapping[str, PageKind[Data, Any]], kind: str, ident: str | None, data: Data, people_root: str) -> tuple[bool, list[nodes.Node]]:
        """(whether the page is about one item, its body): what the kind's page of ``ident`` shows, rendered."""
        page_kind = kinds.get(kind)
        if page_kind is None:
            raise self.error(f"unknown enlsp page kind {kind!r}")
        try:
            shown = page_kind.shows(data, ident)
        except KeyError as exc:
            raise self.error(f"no {kind} with id {exc}") from None
        return page_kind.one_item, page_kind.render(Page(self.env.docname, people_root), shown)
