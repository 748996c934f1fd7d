"""The header's section links, with their titles escaped.

pydata-sphinx-theme (0.24) writes each header link's title into the page as raw HTML: the text
of the linked page's title (``node.astext()``), never escaped. Those titles are the workshop's
``labels`` (``papers: 'Papers<img src=x onerror=…>'`` ran its script on every page) and the
titles of hand-written pages. `escape_header_nav` gives the templates (the theme's and ours)
a ``generate_header_nav_html`` that writes the same markup with every title and address escaped.
No upstream issue found; see docs/workarounds.md for the one to file and when this can go.
"""

from __future__ import annotations

import html
from typing import Any, NamedTuple
from urllib.parse import urlparse

from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.locale import _

from enlsp_proceedings import paths
from enlsp_proceedings.sphinxext.data import proceedings_site

#: The theme's markup of one header link (its `toctree._generate_header_nav_before_dropdown`).
_LINK = '<li class="{item} {active}">\n<a class="{link} nav-{where}" href="{href}"{current}>\n{title}\n</a>\n</li>'
_DROPDOWN = ('\n<li class="nav-item dropdown">\n<button class="btn dropdown-toggle nav-item" type="button"\n'
             'data-bs-toggle="dropdown" aria-expanded="false"\naria-controls="{id}">\n{text}\n</button>\n'
             '<ul id="{id}" class="dropdown-menu">\n{links}\n</ul>\n</li>\n')


#: The header link of an edition's pages to the series' home.
ALL_EDITIONS = "All editions"


class NavLink(NamedTuple):
    """One header link: its title as text (not markup), address, and whether the reader is in its section or on its page."""

    title: str
    href: str
    current: bool
    current_page: bool
    external: bool


def _top_section(app: Sphinx, pagename: str) -> str | None:
    """The root toctree's entry whose section holds ``pagename`` (itself included), as the theme finds it."""
    parent: dict[str, str] = {}
    for doc, children in app.env.toctree_includes.items():
        parent.update(dict.fromkeys(children, doc))
    chain: list[str] = []
    doc = pagename
    while doc in parent and doc not in chain:
        chain.append(doc)
        doc = parent[doc]
    return chain[-1] if chain else None


def header_links(app: Sphinx, pagename: str, context: dict) -> list[NavLink]:
    """The entries of the root page's toctrees, then the theme's ``external_links``."""
    active = _top_section(app, pagename)
    links = []
    root_toc = app.env.tocs.get(app.config.root_doc)
    for toc in root_toc.findall(addnodes.toctree) if root_toc is not None else ():
        for title, page in toc["entries"]:
            page = toc["parent"] if page == "self" else page
            if title is None:
                if page in app.env.titles:
                    title = app.env.titles[page].astext()
                else:
                    title = {"genindex": _("Index"), "modindex": _("Python Module Index"), "search": _("Search")}.get(page, page)
            external = bool(urlparse(page).netloc)
            href = page if external else context["pathto"]("py-modindex" if page == "modindex" else page)
            links.append(NavLink(str(title), href, page == active, page == pagename, external))
    for link in context.get("theme_external_links") or []:
        links.append(NavLink(str(link["name"]), link["url"], False, False, True))
    if app.config.enlsp_data:
        from enlsp_proceedings.sphinxext.data import get_volume

        series = get_volume(app).series
        if series is not None:  # an edition of a series: the way back to every edition comes first
            home = "../" * pagename.count("/") + series.root + paths.HOME
            links.insert(0, NavLink(ALL_EDITIONS, home, False, False, False))
    return links


def _markup(link: NavLink, item: str, classes: str) -> str:
    return _LINK.format(item=item, active="current active" if link.current else "", link=classes,
                        where="external" if link.external else "internal", href=html.escape(link.href, quote=True),
                        current=' aria-current="page"' if link.current_page else "", title=html.escape(link.title))


def escape_header_nav(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """Give the templates a ``generate_header_nav_html`` that escapes (runs after the theme's handler,
    on proceedings sites only; other projects keep the theme's)."""
    if not proceedings_site(app.config) or "generate_header_nav_html" not in context:
        return
    unique_id = context.get("unique_html_id") or (lambda base: base)
    found: list[list[NavLink]] = []  # the page's links, found once (the template and frame.py both ask)

    def generate_header_nav_html(n_links_before_dropdown: int = 5, dropdown_text: str = "More") -> str:
        if not found:
            found.append(header_links(app, pagename, context))
        links = found[0]
        cutoff = int(n_links_before_dropdown)
        if len(links) <= cutoff + 1:  # a dropdown of one link is no dropdown
            cutoff += 1
        out = "\n".join(_markup(link, "nav-item", "nav-link") for link in links[:cutoff])
        if links[cutoff:]:
            dropdown = "\n".join(_markup(link, "", "nav-link dropdown-item") for link in links[cutoff:])
            out += _DROPDOWN.format(id=unique_id("pst-nav-more-links"), text=html.escape(_(dropdown_text)), links=dropdown)
        return out

    context["generate_header_nav_html"] = generate_header_nav_html

