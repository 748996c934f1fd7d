"""The workarounds on other projects' code stay where docs/workarounds.md says they are:
each is scoped to proceedings sites, and the upstream facts they rest on still hold."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sphinx.application import Sphinx
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.util.docutils import docutils_namespace

from conftest import run_build


def _plain_project(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text('extensions = ["enlsp_proceedings.sphinxext"]\n', encoding="utf-8")
    (src / "index.rst").write_text("Hello\n=====\n\nA page that is no proceedings.\n", encoding="utf-8")
    return src


@pytest.mark.slow  # runs a (small) Sphinx build
def test_a_project_without_proceedings_data_keeps_sphinx_html_builder(tmp_path):
    src = _plain_project(tmp_path)
    with docutils_namespace():  # Sphinx's registrations into docutils go with the app: a later build in this process starts clean
        app = Sphinx(str(src), str(src), str(tmp_path / "out"), str(tmp_path / "doctrees"), "html",
                     status=None, warning=None, freshenv=True, parallel=2)
        assert type(app.builder) is StandaloneHTMLBuilder
        app.build()
    assert "A page that is no proceedings." in (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert (tmp_path / "out" / "searchindex.js").is_file()  # its own search, not the proceedings' Pagefind
    assert app.parallel == 2  # the serial read for small updates is not applied either


def test_every_sphinx_design_class_the_site_writes_is_styled_by_sphinx_design(small_site):
    """widgets.py and the card template of pages.py write sphinx-design's class names by hand
    (its public `create_component` gives the structure, not the names; see docs/workarounds.md):
    if sphinx-design renames one, this fails instead of a card losing its style."""
    import sphinx_design

    css = (Path(sphinx_design.__file__).parent / "static" / "sphinx-design.min.css").read_text(encoding="utf-8")
    from sphinx_design.grids import gutter_option

    # classes sphinx-design's own directives write that its stylesheet reaches by other selectors
    # (the gutter's "xs" class; tab labels are styled as ``.sd-tab-set>label``)
    written = {"sd-tab-label", *gutter_option("3")}
    styled = set(re.findall(r"\.(sd-[\w-]+)", css)) | written
    used: set[str] = set()
    for page in (small_site / "site").rglob("*.html"):
        for classes in re.findall(r'class="([^"]*)"', page.read_text(encoding="utf-8")):
            used.update(c for c in classes.split() if c.startswith("sd-"))
    assert {"sd-card", "sd-badge", "sd-btn", "sd-row", "sd-tab-set"} <= used
    assert used - styled == set()


def test_the_pagefind_poll_delay_workaround_still_reaches_pagefind(monkeypatch):
    """pagefind_child swaps the asyncio of pagefind's service (Pagefind/pagefind#976): if pagefind
    moves that code, the swap does nothing and indexing is 20 times slower; this says so."""
    import asyncio

    import pagefind.service as service

    from enlsp_proceedings.search.pagefind_child import _without_poll_delay

    monkeypatch.setattr(service, "asyncio", asyncio)
    _without_poll_delay()
    assert service.asyncio is not asyncio and service.asyncio.sleep is not asyncio.sleep
    assert service.asyncio.create_subprocess_exec is asyncio.create_subprocess_exec  # everything else is asyncio's


def test_the_theme_still_writes_header_titles_raw():
    """sphinxext/nav.py writes the header links itself because pydata-sphinx-theme puts each page
    title into them unescaped (see docs/workarounds.md): when the theme escapes them, this fails and
    nav.py can go."""
    import inspect

    from pydata_sphinx_theme import toctree

    source = inspect.getsource(toctree.add_toctree_functions)
    assert "title += node.astext()" in source and "title=link.title," in source
    assert "escape(link.title" not in source and "escape(title" not in source


def test_the_fixed_columns_are_still_the_themes_article_width_and_sidebar():
    """static/enlsp.css lays out pages with an "On this page" column as two fixed columns, the
    article's width and the column's (docs/workarounds.md): the article's is the theme's
    ``max-width`` written again (the theme has no variable for it). When a theme release changes
    that width or centres the two in another way, this fails and the rule must follow."""
    import pydata_sphinx_theme

    theme = (Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme" / "static" / "styles" / "pydata-sphinx-theme.css").read_text(encoding="utf-8")
    ours = (Path(__file__).parents[2] / "src" / "enlsp_proceedings" / "sphinxext" / "static" / "enlsp.css").read_text(encoding="utf-8")
    [rule] = re.findall(r"\.bd-main \.bd-content\.enlsp-with-toc \{[^}]*\}", ours)
    [width] = re.findall(r"grid-template-columns: minmax\(0, ([^)]+)\) var\(--pst-sidebar-secondary\)", rule)
    [article] = re.findall(r"\.bd-main \.bd-content \.bd-article-container\{([^}]*)\}", theme)
    assert f"max-width:{width};" in article, article
    assert re.search(r"\.bd-main \.bd-content\{display:flex;[^}]*justify-content:center", theme)  # pydata-sphinx-theme#753's centring
    assert re.search(r"--pst-sidebar-secondary:\s*\d", theme)


def test_sphinx_still_ships_the_whole_environment_back_from_a_parallel_read():
    """sphinxext/parallel.py cuts one-item pages' tables of contents to their title because a
    parallel read returns the whole environment once per chunk (docs/workarounds.md): when Sphinx
    returns only the chunk's part, this fails and the cut can go."""
    import inspect

    from sphinx.builders import Builder

    source = inspect.getsource(Builder._read_parallel)  # the fact the workaround rests on
    assert "pickle.dumps(self.env" in source and "merge_info_from" in source


#: Tables of contents as Sphinx writes them for a page (``toc`` in its context): the guide's (three
#: levels), the people index's letters, a page with its title only, a page of two top sections, and
#: titles that need escaping or hold math.
_TOCS = {
    "three levels": '<ul>\n<li><a class="reference internal" href="#">Guide for organizers</a><ul>\n'
                    '<li><a class="reference internal" href="#start">Start a new workshop</a></li>\n'
                    '<li><a class="reference internal" href="#import">Import the accepted papers</a><ul>\n'
                    '<li><a class="reference internal" href="#cmt">From CMT</a></li>\n'
                    '<li><a class="reference internal" href="#openreview">From OpenReview</a></li>\n</ul>\n</li>\n'
                    '<li><a class="reference internal" href="#publish">Publish</a></li>\n</ul>\n</li>\n</ul>\n',
    "letters": '<ul>\n<li><a class="reference internal" href="#">People</a><ul>\n'
               + "".join(f'<li><a class="reference internal" href="#letter-{c}">{c.upper()}</a></li>\n' for c in "abcz")
               + "</ul>\n</li>\n</ul>\n",
    "title only": '<ul>\n<li><a class="reference internal" href="#">Jürgen Müller</a></li>\n</ul>\n',
    "two top sections": '<ul>\n<li><a class="reference internal" href="#one">One</a><ul>\n'
                        '<li><a class="reference internal" href="#a">A</a></li>\n</ul>\n</li>\n'
                        '<li><a class="reference internal" href="#two">Two</a></li>\n</ul>\n',
    "escaped titles": '<ul>\n<li><a class="reference internal" href="#">Q&amp;A &lt;b&gt; &quot;x&quot; &#64;home</a><ul>\n'
                      '<li><a class="reference internal" href="#m">Sparse <span class="math notranslate nohighlight">\\(O(n)\\)</span> '
                      'attention</a></li>\n</ul>\n</li>\n</ul>\n',
    "empty": "",
}


@pytest.mark.parametrize("level", [1, 2, 3])
@pytest.mark.parametrize("name", sorted(_TOCS))
def test_page_toc_is_the_themes(name, level):
    """``templates/page-toc.html`` lists what the theme's `generate_toc_html` lists, with its classes,
    but without Beautiful Soup and soupsieve (see sphinxext/toc.py and docs/workarounds.md): the
    same HTML once both are read by an HTML parser. When the theme changes what it adds, this fails."""
    from bs4 import BeautifulSoup
    from pydata_sphinx_theme.toctree import add_toctree_functions

    from enlsp_proceedings.sphinxext.toc import page_toc

    context = {"toc": _TOCS[name], "theme_show_toc_level": level}
    add_toctree_functions(None, "page", "page.html", context, None)  # type: ignore[arg-type]  # the function reads the context only
    theirs = str(context["generate_toc_html"]())
    assert str(BeautifulSoup(page_toc(_TOCS[name], level), "html.parser")) == theirs
    assert ("toc-h2" in theirs) == (name not in {"title only", "empty"})  # the samples reach both outcomes


def test_the_theme_still_renders_page_toc_from_its_component():
    """Our ``page-toc.html`` replaces the theme's component of that name: if the theme stops using it
    for the "On this page" column, the column would go back to the theme's own (slower) list."""
    import pydata_sphinx_theme

    theme = Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme"
    component = (theme / "components" / "page-toc.html").read_text(encoding="utf-8")
    assert "generate_toc_html()" in component
    ours = (Path(__file__).parents[2] / "src" / "enlsp_proceedings" / "sphinxext" / "templates" / "page-toc.html").read_text(encoding="utf-8")
    assert ours.splitlines()[1:] == [line.replace("generate_toc_html()", "enlsp_page_toc()") for line in component.splitlines()[1:]]


def test_a_rebuild_selects_nothing_with_css(workshop_copy, monkeypatch):
    """No page of a build runs a CSS selector: the first one in a process made soupsieve compile its
    tokenizer (0.05–0.1 s of every build process, on a one-paper edit too; see sphinxext/toc.py)."""
    import soupsieve.css_parser

    compiled: list[str] = []
    real = soupsieve.css_parser._cached_css_compile
    monkeypatch.setattr(soupsieve.css_parser, "_cached_css_compile", lambda pattern, *a, **k: compiled.append(pattern) or real(pattern, *a, **k))
    papers = workshop_copy / "conf" / "papers.yaml"
    papers.write_text(papers.read_text(encoding="utf-8").replace("Sparse Attention", "Sparser Attention", 1), encoding="utf-8")
    assert run_build(workshop_copy) == 0
    assert "Sparser Attention" in (workshop_copy / "site" / "papers" / "index.html").read_text(encoding="utf-8")
    assert 'class="toc-h2 nav-item toc-entry"' in (workshop_copy / "site" / "papers" / "index.html").read_text(encoding="utf-8")
    assert compiled == []
