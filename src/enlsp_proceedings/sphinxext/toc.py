"""The "On this page" column: the page's table of contents, with the theme's classes, without parsing HTML.

pydata-sphinx-theme makes it in `generate_toc_html` (its ``page-toc.html`` component): it parses
Sphinx's table of contents (``toc`` in the page's context) with Beautiful Soup, adds its classes and
picks the part to show with two CSS selectors. The first selector a process runs makes soupsieve
compile its CSS tokenizer, 0.05 s (0.07–0.1 s on a slower machine) in every build process that
writes a page with this column: on a one-paper edit, the edition's build and the series' copy each
paid it. Our ``templates/page-toc.html`` is the theme's component calling `page_toc` instead, which
walks the tags of the same HTML (Sphinx writes it; its text is escaped, so a ``<`` is always a tag)
and gives the same elements the same classes. Upstream, the theme parses every page's table of
contents with Beautiful Soup (pydata/pydata-sphinx-theme#381 and #876 are about its cost on the
navigation); soupsieve compiles its grammar on first use (facelessuser/soupsieve#295). The test
``test_page_toc_is_the_themes`` compares the two on every kind of page: when the theme changes
what it adds, that test says so, and this module and the template follow it or go.
"""

from __future__ import annotations

import re
from typing import Any

from markupsafe import Markup
from sphinx.application import Sphinx

#: the tags whose classes the theme changes: lists, their items and the items' links
_TAG = re.compile(r"<(/?)(ul|li|a)(\s[^>]*)?>")
_CLASS = re.compile(r'(\sclass=")([^"]*)(")')


def _with_classes(attrs: str, added: list[str]) -> str:
    """A tag's attributes with ``added`` after its classes (a new ``class`` goes last, as Beautiful Soup puts it)."""
    found = _CLASS.search(attrs)
    if found is None:
        return f'{attrs} class="{" ".join(added)}"'
    classes = " ".join([*found[2].split(), *added])
    return attrs[:found.start()] + f'{found[1]}{classes}{found[3]}' + attrs[found.end():]


def page_toc(toc: str, show_level: int) -> str:
    """The column's list from Sphinx's table of contents of a page, as `generate_toc_html` makes it:
    each list (``pst-show_toc_level`` down to level ``show_level + 1``), item (``toc-hN``) and item's
    own link (``nav-link``) with the theme's classes; a page whose only top entry is its title shows
    that entry's list of sections, or nothing when it has none."""
    parts: list[str] = []
    size = pos = 0  # characters written so far; where the next text starts in ``toc``
    items: list[bool] = []  # the open items, innermost last: whether each has had its link yet
    lists = 0  # the open lists
    tops: list[list[Any]] = []  # each top item: [has a second-level item, where its list starts, where it ends]
    for found in _TAG.finditer(toc):
        parts.append(toc[pos:found.start()])
        size += found.start() - pos
        pos = found.end()
        closing, tag, attrs = found[1], found[2], found[3] or ""
        written = found[0]
        if closing and tag == "ul":
            lists -= 1
            if lists == 1 and len(items) == 1 and tops and tops[-1][2] is None:  # a top item's first list ends
                tops[-1][2] = size + len(written)
        elif closing:
            if tag == "li" and items:
                items.pop()
        elif tag == "ul":
            lists += 1
            shown = ["pst-show_toc_level"] if lists <= show_level + 1 else []
            written = f"<ul{_with_classes(attrs, [*shown, 'nav', 'section-nav', 'flex-column'])}>"
            if lists == 2 and len(items) == 1 and tops and tops[-1][1] is None:
                tops[-1][1] = size
        elif tag == "li":
            written = f"<li{_with_classes(attrs, [f'toc-h{lists}', 'nav-item', 'toc-entry'])}>"
            if lists == 1:
                tops.append([False, None, None])
            elif lists == 2 and tops:
                tops[-1][0] = True
            items.append(False)
        elif items and not items[-1]:  # an item's first link: its own
            items[-1] = True
            written = f"<a{_with_classes(attrs, ['nav-link'])}>"
        parts.append(written)
        size += len(written)
    parts.append(toc[pos:])
    made = "".join(parts)
    if len(tops) == 1:
        has_sections, start, end = tops[0]
        return made[start:end] if has_sections and start is not None and end is not None else ""
    return made


def add_page_toc(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """``enlsp_page_toc`` in every page's context, for ``templates/page-toc.html`` (before the theme
    renders its secondary sidebar to see whether it is empty)."""
    toc, level = context.get("toc"), context.get("theme_show_toc_level", 1)

    def enlsp_page_toc() -> Markup:
        return Markup(page_toc(str(toc), int(level))) if toc else Markup("")

    context["enlsp_page_toc"] = enlsp_page_toc
