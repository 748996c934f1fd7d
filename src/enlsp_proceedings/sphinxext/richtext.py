r"""Titles and abstracts on the pages: the LaTeX subset authors write (`util.latex`) shown as
meant, without ever becoming markup.

`util.latex.parse` reads the text into spans; this module turns them into docutils nodes
(`rich`, `rich_paragraphs`, `rich_title`) or, for the repeated blocks built from `Markup`
templates (paper cards, title lists), into escaped markup (`rich_markup`):

* ``\textit{…}``, ``\emph{…}`` → ``<em>``, ``\textbf{…}`` → ``<strong>``, ``\textsc{…}`` →
  small capitals, ``\texttt{…}`` → ``<code>``; every other command is shown as written;
* inline math (``$7x$``, ``\(…\)``) → a `math_text` node, written as
  ``<span class="enlsp-math">`` holding the TeX source as escaped text. On the pages that
  have one (`frame` loads the files only there), ``enlsp-math.js`` reads that text
  (``textContent``) and has KaTeX, shipped with the site, typeset it (``trust: false``, so no
  ``\href`` or ``\htmlClass``; errors shown, not thrown). Without JavaScript the source shows.

The plain text of a `math_text` node (``astext()``: the page's description, other builders)
is `util.latex.math_text` (``$\alpha$`` → "α").
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from markupsafe import Markup, escape

from enlsp_proceedings.sphinxext.widgets import para, paragraphs, section
from enlsp_proceedings.util import latex

#: the class of an element holding inline math for enlsp-math.js, and of a page node (a
#: `widgets.html_fragment`) holding such elements, by which `frame` knows the page needs KaTeX
MATH_CLASS = "enlsp-math"
#: styles of `util.latex` spans -> (docutils node class, HTML element, extra classes)
_STYLES: dict[str, tuple[type[nodes.TextElement], str, str]] = {
    "em": (nodes.emphasis, "em", ""),
    "strong": (nodes.strong, "strong", ""),
    "sc": (nodes.inline, "span", "enlsp-sc"),
    "tt": (nodes.literal, "code", ""),
}


class math_text(nodes.Inline, nodes.TextElement):  # noqa: N801 - docutils node naming
    """Inline math: ``tex`` is its LaTeX source (written escaped into a ``span.enlsp-math``),
    its text child the plain text other builders and ``astext()`` use."""


def visit_math_text(self: Any, node: math_text) -> None:
    """HTML writer: the TeX source as the escaped text of a ``<span class="enlsp-math">``."""
    self.body.append(self.starttag(node, "span", "") + self.encode(node["tex"]) + "</span>")  # node["classes"]: MATH_CLASS
    raise nodes.SkipNode


def visit_as_plain(self: Any, node: math_text) -> None:
    """Other writers: the node's plain text child is written as any text."""


def depart_as_plain(self: Any, node: math_text) -> None:
    """Other writers: nothing to close."""


def _nodes(spans: tuple[latex.Span, ...]) -> list[nodes.Node]:
    out: list[nodes.Node] = []
    for span in spans:
        if span.kind == "text":
            out.append(nodes.Text(span.text))
        elif span.kind == "math":
            out.append(math_text("", latex.math_text(span.text), tex=span.text, classes=[MATH_CLASS]))
        elif span.kind in _STYLES:
            node_class, _tag, extra = _STYLES[span.kind]
            node = node_class("", "", *_nodes(span.children), classes=[extra] if extra else [])
            out.append(node)
        else:  # a style shown as plain text (\textrm...)
            out += _nodes(span.children)
    return out


def rich(value: str) -> list[nodes.Node]:
    """A title (or one paragraph) as inline nodes: its text, italics, bold, inline math."""
    if "$" not in value and "\\" not in value:
        return [nodes.Text(value)]
    return _nodes(latex.parse(value))


def rich_paragraphs(value: str, classes: list[str] | None = None) -> list[nodes.paragraph]:
    """An abstract's blank-line separated paragraphs (as `widgets.paragraphs`), each read by `rich`."""
    out = paragraphs(value, classes=classes)
    for index, plain in enumerate(out):
        text = plain.astext()
        if "$" in text or "\\" in text:
            out[index] = para(*rich(text), classes=plain["classes"])
    return out


def rich_title(value: str, ident: str, *children: nodes.Node, classes: list[str] | None = None) -> nodes.section:
    """A section whose title is read by `rich` (a paper's or a keynote's title)."""
    out = section(value, ident, *children, classes=classes)
    title = out[0]
    if isinstance(title, nodes.title) and ("$" in value or "\\" in value):
        title.children = []
        title.extend(rich(value))
    return out


def _markup(spans: tuple[latex.Span, ...]) -> Markup:
    out = []
    for span in spans:
        if span.kind == "text":
            out.append(escape(span.text))
        elif span.kind == "math":
            out.append(Markup('<span class="{}">{}</span>').format(MATH_CLASS, span.text))
        elif span.kind in _STYLES:
            _node, tag, extra = _STYLES[span.kind]
            inner = _markup(span.children)
            # the tag and class are this module's constants; the text inside is escaped
            out.append(Markup(f'<{tag} class="{extra}">' if extra else f"<{tag}>") + inner + Markup(f"</{tag}>"))
        else:
            out.append(_markup(span.children))
    return Markup("").join(out)


def rich_markup(value: str) -> Markup:
    """A title as escaped markup for `Markup` templates (cards, title lists): as `rich`."""
    if "$" not in value and "\\" not in value:
        return escape(value)
    return _markup(latex.parse(value))


def flag_math(node: nodes.Element, *values: str) -> nodes.Element:
    """Mark a node (a `widgets.html_fragment`) whose markup shows inline math from ``values``, so
    its page loads the math renderer (`frame.page_features`); the fragment's writer ignores classes."""
    if any(latex.has_math(v) for v in values):
        node["classes"].append(MATH_CLASS)
    return node
