"""Small docutils node builders: data goes in as Text nodes, never through a parser.

The class names are sphinx-design's (cards, grids, badges, buttons, tabs), so the
pages look like hand-written sphinx-design pages while no author text is parsed.
The structure comes from sphinx-design's public `create_component`; the class lists are
written here because its other helpers give different ones (``create_bdg_classes`` adds
``sd-sphinx-override`` to each badge, ``row_columns_option``/``gutter_option`` add the
``xs``..``lg`` classes) and ``CardDirective.create_card`` needs a directive and parses
the title as markup. tests/sphinxext/test_workarounds.py checks that sphinx-design still styles
every ``sd-`` class the site writes.
"""

from __future__ import annotations

import posixpath
import re
import string
from collections.abc import Sequence
from typing import Any

from docutils import nodes
from markupsafe import Markup, escape


# sphinx-design's public builders, imported when a page is built: `sphinx_design.shared` imports
# Sphinx's application and builders (90 ms), which the publish stage, writing page stubs before
# Sphinx runs, should not pay on every rebuild.
def create_component(name: str, classes: Sequence[str] = (), **attributes: Any) -> nodes.container:
    """sphinx-design's ``create_component``: a container node for a design component."""
    from sphinx_design.shared import create_component as sd_create_component

    return sd_create_component(name, classes, **attributes)


def passthrough_text_element() -> nodes.TextElement:
    """sphinx-design's ``PassthroughTextElement``: a text element that renders nothing but its children."""
    from sphinx_design.shared import PassthroughTextElement

    return PassthroughTextElement()


def rel(from_doc: str, site_path: str) -> str:
    """Relative link from a page (docname) to a site path like 'papers/x.html#a'."""
    path, _, anchor = site_path.partition("#")
    here = from_doc.rpartition("/")[0]
    plain = path
    while plain.startswith("../"):  # above the root: an edition's link to the series' person pages
        plain = plain[3:]
    if "/" not in here and plain and not plain.startswith((".", "/")) and "/." not in plain and "//" not in plain and not plain.endswith("/"):
        # the common case, without posixpath.relpath (thousands of links on a list page, each of
        # which asked the system for the working directory twice): a page at the top or one folder
        # down, a plain path
        if not here:
            out = path
        elif plain == path and path.startswith(here + "/"):
            out = path[len(here) + 1:]
        else:
            out = "../" + path
    else:
        # below a made-up root deep enough that no ".." of the link climbs out of it: relpath of
        # two absolute paths never asks for the working directory, which a link must not depend on
        # (from the system's root, "../authors/x.html" from papers/ came out one level short)
        root = "/" + "/".join(["_"] * (path.count("..") + 1))
        out = posixpath.relpath(posixpath.join(root, path), posixpath.join(root, here))
    return out + (f"#{anchor}" if anchor else "")


def text(value: str) -> nodes.Text:
    """A text node: the value is shown as it is, never parsed."""
    return nodes.Text(value)


def para(*children: nodes.Node | str, classes: list[str] | None = None) -> nodes.paragraph:
    """A paragraph of text (strings become text nodes) and nodes."""
    node = nodes.paragraph(classes=classes or [])
    node.extend(text(c) if isinstance(c, str) else c for c in children)
    return node


def inline(*children: nodes.Node | str, classes: list[str] | None = None) -> nodes.inline:
    """An inline span of text and nodes, with classes."""
    node = nodes.inline(classes=classes or [])
    node.extend(text(c) if isinstance(c, str) else c for c in children)
    return node


def strong(value: str) -> nodes.strong:
    """Bold text."""
    return nodes.strong(text=value)


class site_link(nodes.reference):  # noqa: N801 - docutils node naming
    """A link to another page of the site, written as ``<a href>`` plus its own classes only.

    Sphinx's writer gives every reference ``class="reference internal"``, which no
    stylesheet of the site uses: a tenth of an author page's markup.
    """


def visit_site_link(self, node: site_link) -> None:
    """HTML writer: open a site link's ``<a>`` (its address and download name escaped)."""
    attrs = {"download": node["download"]} if node.get("download") else {}
    self.body.append(self.starttag(node, "a", "", href=node["refuri"], **attrs))  # starttag escapes the value


def depart_site_link(self, node: site_link) -> None:
    """HTML writer: close a site link's ``<a>``."""
    self.body.append("</a>")


def visit_as_reference(self, node: nodes.reference) -> None:
    """Other writers (text, LaTeX, ...) write a site link as any reference."""
    self.visit_reference(node)


def depart_as_reference(self, node: nodes.reference) -> None:
    """Other writers: close a site link as an ordinary reference."""
    self.depart_reference(node)


def link(label: str | nodes.Node, uri: str, classes: list[str] | None = None, external: bool = False, download: str | None = None) -> nodes.reference:
    """A link; ``download`` (a file name) makes the browser save the file instead of showing it."""
    node = (nodes.reference if external else site_link)(refuri=uri, classes=classes or [], internal=not external)
    if download and not external:
        node["download"] = download
    node += text(label) if isinstance(label, str) else label
    if external:
        node["classes"].append("external")
    return node


def section(title: str, ident: str, *children: nodes.Node, classes: list[str] | None = None) -> nodes.section:
    """A section whose id is ours and whose title is plain text."""
    node = nodes.section(ids=[ident], classes=classes or [])
    node += nodes.title(text=title)
    node.extend(children)
    return node


def paragraphs(value: str, classes: list[str] | None = None) -> list[nodes.paragraph]:
    """Blank-line separated text as paragraphs (line breaks inside are spaces)."""
    parts = [p.strip() for p in re.split(r"\n\s*\n", value) if p.strip()]
    return [para(re.sub(r"\s*\n\s*", " ", p), classes=classes) for p in parts]


def badge_classes(color: str = "primary", outline: bool = False) -> list[str]:
    """sphinx-design's classes of a badge of this colour (filled or outlined)."""
    return ["sd-badge", *([f"sd-outline-{color}", f"sd-text-{color}"] if outline else [f"sd-bg-{color}", f"sd-bg-text-{color}"])]


def badge(label: str, color: str = "primary", outline: bool = False) -> nodes.inline:
    """A sphinx-design badge with this text."""
    return inline(label, classes=badge_classes(color, outline))


def button(label: str, uri: str, *, color: str = "primary", outline: bool = True, download: bool = False, external: bool = False) -> nodes.reference:
    """A sphinx-design button link (outlined by default); a download button gets the download attribute."""
    classes = ["sd-sphinx-override", "sd-btn", "sd-text-wrap", f"sd-btn-{'outline-' if outline else ''}{color}", "enlsp-btn"]
    if download:
        classes.append("enlsp-download")
    return link(label, uri, classes=classes, external=external)


def bullet_list(items: Sequence[nodes.Node | list[nodes.Node]], classes: list[str] | None = None) -> nodes.bullet_list:
    """A bullet list; each item is a node or a list of nodes."""
    node = nodes.bullet_list(classes=classes or [])
    for item in items:
        li = nodes.list_item()
        if isinstance(item, list):
            li.extend(item)
        elif isinstance(item, nodes.paragraph):
            li += item
        else:
            li += para(item)
        node += li
    return node


def card(title: str | nodes.Node, body: list[nodes.Node], uri: str | None = None, classes: list[str] | None = None, footer: list[nodes.Node] | None = None,
         aside: nodes.Node | None = None) -> nodes.container:
    """A sphinx-design card; with ``uri`` the whole card is a link; ``aside`` (e.g. a thumbnail) comes before the title."""
    card_node = create_component("card", ["sd-card", "sd-sphinx-override", "sd-mb-3", "sd-shadow-sm", *(["sd-card-hover"] if uri else []), *(classes or [])])
    body_node = create_component("card-body", ["sd-card-body"])
    if aside is not None:
        body_node += aside
    title_node = create_component("card-title", ["sd-card-title", "sd-font-weight-bold"])
    title_node += para(title) if isinstance(title, str) else title
    body_node += title_node
    for child in body:
        if isinstance(child, nodes.paragraph):
            child["classes"].append("sd-card-text")
        body_node += child
    card_node += body_node
    if footer:
        foot = create_component("card-footer", ["sd-card-footer"])
        foot.extend(footer)
        card_node += foot
    if uri:
        label = title if isinstance(title, str) else title.astext()
        holder = passthrough_text_element()  # a reference must sit in a text element
        holder += link(inline(label), uri, classes=["sd-stretched-link", "sd-hide-link-text"])
        card_node += holder
    return card_node


class data_container(nodes.container):  # noqa: N801 - docutils node naming
    """A <div> with ``data-*`` attributes (values escaped by the HTML writer), for scripts."""


def visit_data_container(self, node: data_container) -> None:
    """HTML writer: a ``<div>`` with the container's data as escaped ``data-*`` attributes."""
    data: dict[str, str] = node.get("data", {})
    attrs = {f"data-{key}": value for key, value in data.items()}
    self.body.append(self.starttag(node, "div", "", **attrs))


def depart_data_container(self, node: data_container) -> None:
    """HTML writer: close the data container's ``<div>``."""
    self.body.append("</div>\n")


def grid(items: Sequence[nodes.Node], columns: str = "1 1 2 3", gutter: int = 3, classes: list[str] | None = None,
         item_data: list[dict[str, str]] | None = None) -> nodes.container:
    """A sphinx-design grid of the items, with these column counts per screen size."""
    cols = columns.split()
    row_classes = [f"sd-row-cols-{c}" for c in cols[:1]]
    for size, count in zip(("sm", "md", "lg"), cols[1:], strict=False):
        row_classes.append(f"sd-row-cols-{size}-{count}")
    container = create_component("grid-container", ["sd-container-fluid", "sd-sphinx-override", "sd-mb-4", *(classes or [])])
    row = create_component("grid-row", ["sd-row", *row_classes, f"sd-g-{gutter}", f"sd-g-xs-{gutter}"])
    for index, item in enumerate(items):
        col: nodes.container
        if item_data is not None:
            col = data_container(classes=["sd-col", "sd-d-flex-row"], data=item_data[index])
        else:
            col = create_component("grid-item", ["sd-col", "sd-d-flex-row"])
        col += item
        row += col
    container += row
    return container


def tab_set(tabs: list[tuple[str, list[nodes.Node]]], classes: list[str] | None = None) -> nodes.container:
    """sphinx-design tab-set; its post-transform turns this into radio tabs."""
    node = create_component("tab-set", ["sd-tab-set", *(classes or [])])
    for label, content in tabs:
        item = create_component("tab-item", ["sd-tab-item"], selected=False)
        item += nodes.rubric(label, "", text(label), classes=["sd-tab-label"])
        body = create_component("tab-content", ["sd-tab-content"])
        body.extend(content)
        item += body
        node += item
    return node


def code_block(value: str, kind: str | None = None) -> nodes.literal_block:
    """Literal text, as it is copied (copy button added by sphinx-copybutton); ``kind`` (``bibtex``)
    names its format in a class, ``enlsp-code-bibtex``.

    Not coloured by Pygments: a citation is there to be copied, as the ACL Anthology shows its
    BibTeX, and the colouring's markup was 1.5 KB of every paper page (a third of its cite panel)."""
    node = nodes.literal_block(value, value, language="text", classes=[f"enlsp-code-{kind}"] if kind else [])
    node["highlight_args"] = {}
    return node


def admonition(kind: str, title: str, body: Sequence[nodes.Node]) -> nodes.admonition:
    """An admonition box of this kind (note, warning...) with a title."""
    node = nodes.admonition(classes=[kind])
    node += nodes.title(text=title)
    node.extend(body)
    return node


def table(header: list[str], rows: Sequence[Sequence[nodes.Node | str | list[nodes.Node]]], classes: list[str] | None = None, row_ids: Sequence[str | None] | None = None, widths: list[int] | None = None) -> nodes.table:
    """A table with a header row; a cell is text, a node or a list of nodes."""
    tbl = nodes.table(classes=classes or [])
    group = nodes.tgroup(cols=len(header))
    for width in widths or [1] * len(header):
        group += nodes.colspec(colwidth=width)
    thead = nodes.thead()
    hrow = nodes.row()
    for label in header:
        entry = nodes.entry()
        entry += para(label)
        hrow += entry
    thead += hrow
    group += thead
    tbody = nodes.tbody()
    for index, cells in enumerate(rows):
        row = nodes.row()
        if row_ids and row_ids[index]:
            row["ids"] = [row_ids[index]]
        for cell in cells:
            entry = nodes.entry()
            if isinstance(cell, str):
                entry += para(cell)
            elif isinstance(cell, list):
                entry.extend(cell)
            elif isinstance(cell, (nodes.paragraph, nodes.bullet_list, nodes.container)):
                entry += cell
            else:
                entry += para(cell)
            row += entry
        tbody += row
    group += tbody
    tbl += group
    return tbl


class html_element(nodes.General, nodes.Inline, nodes.Element):  # noqa: N801 - docutils node naming
    """One HTML element (img, span, time) whose attributes and text are escaped by our visitor.

    For markup docutils has no node for (decorative ``aria-hidden`` spans, ``<time>``,
    images that Sphinx must not try to copy); data only ever becomes escaped text.
    """


ALLOWED_ELEMENTS = {"img", "span", "time"}


def element(tag: str, content: str = "", **attrs: str | int) -> html_element:
    """One of the few plain HTML elements the pages use (`ALLOWED_ELEMENTS`), its content and attributes escaped when written."""
    assert tag in ALLOWED_ELEMENTS, tag
    return html_element(tag=tag, content=content, attrs={k.rstrip("_").replace("_", "-"): str(v) for k, v in attrs.items()})


def thumbnail_img(src: str, size: list[int] | None, alt: str = "", classes: str = "enlsp-thumb") -> html_element:
    """A first-page thumbnail; ``alt=""`` when a neighbouring title already says what it is."""
    attrs: dict[str, str | int] = {"src": src, "alt": alt, "class_": classes, "loading": "lazy", "decoding": "async"}
    if size:
        attrs["width"], attrs["height"] = size
    return element("img", "", **attrs)


class html_fragment(nodes.General, nodes.Element):  # noqa: N801 - docutils node naming
    """Finished HTML of one repeated block (a paper card, a list of titles), made from
    `Markup` templates, which escape every value put into them.

    One leaf instead of dozens of nodes per card: Sphinx's transforms walk every node of
    a page on every read, and the list of 1,000 paper cards (45,000 nodes) was most of
    the time a one-paper edit took to rebuild. The Text child holds the plain text
    (``astext()``, builders other than HTML).
    """


class MarkupTemplate:
    """A `Markup` template of a block repeated hundreds of times on a page (a paper card, a line of
    a list), filled by `format` with every value escaped, as ``Markup.format`` escapes it, and
    about three times faster: the template is split into its text and its fields once, where
    ``Markup.format`` parses it again for each card through Python's ``string.Formatter``. The
    list of every paper of a 10 × 1,000 series took 0.4 s to fill, 0.12 s this way.

    Only plain named fields (``{name}``): a format spec, a conversion or a positional field is a
    ValueError when the template is made."""

    __slots__ = ("_parts", "_tail")

    def __init__(self, template: str):
        parts: list[tuple[str, str]] = []
        pending = ""  # text before the next field (``{{`` and ``}}`` end a piece of text early)
        for text, name, spec, conversion in string.Formatter().parse(template):
            pending += text
            if name is None:
                continue
            if spec or conversion or not name.isidentifier():
                raise ValueError(f"a MarkupTemplate field is a plain name, not {{{name}{'!' + conversion if conversion else ''}{':' + spec if spec else ''}}}")
            parts.append((pending, name))
            pending = ""
        self._parts = tuple(parts)
        self._tail = pending

    def format(self, **values: Any) -> Markup:
        """The template with each field's value escaped (`markupsafe.escape`; `Markup` passes as is),
        each value first made text as ``Markup.format`` makes it (``__html_format__``, ``__html__``,
        else ``format(value, "")``)."""
        out: list[str] = []
        for text, name in self._parts:
            value = values[name]
            if type(value) is not str:
                if hasattr(value, "__html_format__"):
                    value = value.__html_format__("")
                elif hasattr(value, "__html__"):
                    value = value.__html__()
                else:
                    value = format(value, "")
            out.append(text)
            out.append(escape(value))
        out.append(self._tail)
        return Markup("".join(out))


def fragment(markup: Markup, plain: str) -> html_fragment:
    """Wrap markup built by `Markup` templates; a plain ``str`` is refused (it could be unescaped data)."""
    if not isinstance(markup, Markup):
        raise TypeError("html_fragment takes Markup built from escaped templates, not a str")
    node = html_fragment(html=str(markup))
    node += nodes.Text(plain)
    return node
