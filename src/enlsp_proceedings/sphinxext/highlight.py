"""Highlighted code blocks without the ``<span>`` elements that draw nothing.

Pygments wraps every token in ``<span class="...">``, including tokens that the site's
Pygments styles draw exactly like plain text: whitespace (``w``) and, in the theme's
high-contrast styles, punctuation (``p``). On a paper page's cite tabs those spans were a
kilobyte. Here such tokens become plain text (Pygments writes no span for ``Text``), in
both colour modes or not at all: a token type is plain only if every style the site's
stylesheet uses (the theme's light and dark Pygments styles) gives it the style of
``Text``, which is what ``.highlight`` itself is drawn with.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from pygments.formatters import HtmlFormatter
from pygments.styles import get_style_by_name
from pygments.token import Text, _TokenType
from pygments.util import ClassNotFound
from sphinx.application import Sphinx


@cache
def plain_types(style_names: tuple[str, ...]) -> Plain:
    return Plain(style_names)


class Plain:
    """Which token types all of ``style_names`` draw like ``Text`` (none if a style is unknown)."""

    def __init__(self, style_names: tuple[str, ...]):
        try:
            self.styles = [get_style_by_name(name) for name in style_names]
        except ClassNotFound:
            self.styles = []
        self._known: dict[_TokenType, bool] = {}

    def __call__(self, ttype: _TokenType) -> bool:
        if ttype not in self._known:
            self._known[ttype] = bool(self.styles) and ttype is not Text and all(
                _style_for(style, ttype) == style.style_for_token(Text) for style in self.styles)
        return self._known[ttype]


def _style_for(style, ttype: _TokenType) -> dict:
    """The style of ``ttype``. A style knows the token types that existed when its class was
    made; a lexer imported later can make new ones (Pygments 2.21's YAML lexer makes
    ``Punctuation.Indicator``), which the HTML formatter styles as their nearest known
    ancestor (``class="p-Indicator"`` falls back to ``p``)."""
    while True:
        try:
            return style.style_for_token(ttype)
        except KeyError:
            if ttype.parent is None:
                raise
            ttype = ttype.parent


class PlainSpanHtmlFormatter(HtmlFormatter):
    """Sphinx's HTML formatter, writing tokens drawn like plain text as plain text."""

    plain: Plain = Plain(())

    def format_unencoded(self, tokensource: Iterable, outfile) -> None:
        plain = self.plain
        return super().format_unencoded(((Text if plain(t) else t, v) for t, v in tokensource), outfile)


def _page_styles(app: Sphinx) -> tuple[str, ...]:
    """The Pygments styles of the theme's pygments.css (light and dark), as the theme picks them."""
    theme = getattr(app.builder, "theme", None)
    options = dict(theme.get_options()) if theme else {}
    options.update(app.config.html_theme_options or {})
    return tuple(options.get(f"pygments_{mode}_style") or "" for mode in ("light", "dark"))


def use_plain_spans(app: Sphinx) -> None:
    highlighter = getattr(app.builder, "highlighter", None)
    if getattr(app.builder, "format", "") != "html" or highlighter is None:
        return
    styles = _page_styles(app)
    if not all(styles):
        return
    highlighter.formatter = type("PlainSpans", (PlainSpanHtmlFormatter,), {"plain": plain_types(styles)})


def setup(app: Sphinx) -> None:
    """Called by the extension's setup()."""
    app.connect("builder-inited", use_plain_spans)

