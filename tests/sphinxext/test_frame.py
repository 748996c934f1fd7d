"""The page frame stays small: what every page loads, what the published site carries.

A 1,000-paper volume has some 3,600 pages, most of them author pages, so the theme's frame
(head tags, header, menus, footer) is paid thousands of times; see templates/layout.html,
frame.py and static/enlsp.js. Behaviour in a browser: test_frame_browser.py.
"""

from __future__ import annotations

import html as html_lib
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

from enlsp_proceedings.sphinxext.frame import UNUSED_STATIC
from enlsp_proceedings.sphinxext.html import tight_html
from test_build import html

#: Bytes of an item page's frame: everything but the article and the page's own metadata
#: (title, description, OpenGraph and Google Scholar tags, schema.org JSON-LD). Independent of the number of
#: papers; before this budget an author page's frame was 9.4 KB (two copies of the
#: navigation and of the search button, a search dialog, Sphinx's search scripts, ...).
AUTHOR_FRAME_BUDGET = 3_300
PAPER_FRAME_BUDGET = 3_700  # plus the copy-button, tab and highlighting files of the cite tabs
DROPDOWN = 600  # a seventh header link: the "More" dropdown, and Bootstrap's script for it

_PAGE_DATA = re.compile(r'<meta (?:name|property)="(?:description|og:[^"]+|citation_[^"]+)"[^>]*>|<title>.*?</title>'
                        r'|<script type="application/ld\+json">.*?</script>', re.S)


def frame_bytes(page: str) -> int:
    article = re.search(r"<article\b.*?</article>", page, re.S).group(0)
    head = page[: page.index("</head>")]
    data = sum(len(m.group(0).encode()) for m in _PAGE_DATA.finditer(head))
    return len(page.encode()) - len(article.encode()) - data


class _Assets(HTMLParser):
    """Every file a page makes the browser load: scripts, stylesheets, icons, images."""

    def __init__(self):
        super().__init__()
        self.scripts: list[str] = []
        self.styles: list[str] = []
        self.other: list[str] = []
        self.inline_scripts = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script":
            if a.get("src"):
                self.scripts.append(a["src"])
            else:
                self.inline_scripts += 1
        elif tag == "link" and a.get("rel") == "stylesheet":
            self.styles.append(a["href"])
        elif tag == "link" and a.get("rel") in ("icon", "preload"):
            self.other.append(a["href"])
        elif tag == "img" and a.get("src"):
            self.other.append(a["src"])


def assets(page: str) -> _Assets:
    parser = _Assets()
    parser.feed(page)
    return parser


def names(urls: list[str]) -> set[str]:
    return {urlsplit(u).path.rsplit("/", 1)[-1] for u in urls}


def pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "_static" not in p.parts)


AUTHOR = "authors/jurgen-muller.html"


def test_author_page_loads_only_the_frame(small_site):
    page = html(small_site / "site", AUTHOR)
    found = assets(page)
    assert names(found.scripts) == {"documentation_options.js", "enlsp.js", "pydata-sphinx-theme.js"}
    assert names(found.styles) == {"theme.css", "pydata-sphinx-theme.css", "sphinx-design.min.css", "enlsp.css"}
    # the colour mode, before the first paint; the theme's two (DOCUMENTATION_OPTIONS.pagename and
    # .search_as_you_type: 139 B a page, no longer filtered, docs/workarounds.md "Removed")
    assert found.inline_scripts == 3 and page.count("<script>DOCUMENTATION_OPTIONS.") == 2
    head = page[: page.index("</head>")]
    assert head.count('name="viewport"') == 1 and "docsearch" not in head
    for gone in ("searchindex.js", "searchtools.js", "language_data.js", "doctools.js", "sphinx_highlight.js", "fontawesome.js",
                 "bootstrap.js", "copybutton", "clipboard", "design-tabs", "pygments.css", "enlsp-filters", 'rel="preload"'):
        assert gone not in page, gone
    # built by enlsp.js, not written into the page: search button and dialog, the mobile menu's copy of the links
    assert "search-button" not in page and "pst-search-dialog" not in page and 'id="pst-primary-sidebar' not in page
    assert page.count("bd-navbar-elements") == 1 and page.count('href="../schedule.html"') == 1
    assert "pst-secondary-sidebar" not in page and "On this page" not in page  # a page about one person
    assert "pst-back-to-top" not in page and "bd-breadcrumbs" not in page


def test_pages_load_the_extras_their_body_uses(small_site):
    site = small_site / "site"
    paper = assets(html(site, "papers/alpha.html"))
    assert {"clipboard.min.js", "copybutton.js", "design-tabs.js"} <= names(paper.scripts)  # cite tabs with copy buttons
    assert {"pygments.css", "copybutton.css"} <= names(paper.styles)
    assert "enlsp-filters.js" not in names(paper.scripts)
    listing = assets(html(site, "papers/index.html"))
    assert "enlsp-filters.js" in names(listing.scripts) and "copybutton.js" not in names(listing.scripts)
    assert "pst-secondary-sidebar" in html(site, "papers/index.html")  # lists keep their "On this page" column
    assert "pst-secondary-sidebar" not in html(site, "papers/alpha.html")


def test_frame_budget(small_site, guide_site):
    """Author and paper pages' frames stay within a fixed budget: nothing in it grows with the
    volume (the 1,000-paper benchmark's author pages have the same 3.0 KB frame)."""
    for site, extra in ((small_site / "site", 0), (guide_site, DROPDOWN)):
        for kind, budget in (("authors", AUTHOR_FRAME_BUDGET), ("papers", PAPER_FRAME_BUDGET)):
            for path in sorted((site / kind).glob("*.html")):
                if path.name != "index.html":
                    assert frame_bytes(path.read_text(encoding="utf-8")) <= budget + extra, path


def test_every_file_a_page_loads_exists(small_site, guide_site):
    for site in (small_site / "site", guide_site):
        for path in pages(site):
            found = assets(path.read_text(encoding="utf-8"))
            for url in found.scripts + found.styles + found.other:
                parts = urlsplit(url)
                if parts.scheme:
                    continue
                if parts.path.startswith("/"):  # 404.html: absolute, under the base URL's path
                    target = site / parts.path.removeprefix("/synth/")
                else:
                    target = (path.parent / parts.path).resolve()
                assert target.is_file(), (path.relative_to(site), url)


def test_no_source_maps_or_unused_files_in_the_site(small_site):
    site = small_site / "site"
    assert not list(site.rglob("*.map"))
    for path in (site / "_static").rglob("*"):
        if path.suffix in (".js", ".css"):
            assert b"sourceMappingURL" not in path.read_bytes(), path
    for name in UNUSED_STATIC:
        assert not (site / "_static" / name).exists(), name
    assert (site / "_static" / "scripts" / "pydata-sphinx-theme.js").is_file()


def test_bootstrap_only_with_a_more_dropdown(small_site, guide_site):
    assert "dropdown-toggle" not in html(small_site / "site", "index.html")
    page = html(guide_site, AUTHOR)
    assert "dropdown-toggle" in page and "bootstrap.js" in names(assets(page).scripts)


def test_site_links_are_plain_anchors(small_site):
    page = html(small_site / "site", AUTHOR)
    assert "reference internal" not in page
    assert '<a href="../papers/alpha.html">' in page or 'href="../papers/alpha.html"' in page
    assert re.search(r'<p class="enlsp-authors sd-card-text"><a href="jurgen-muller\.html">Jürgen Müller</a>, <a href="nguyen-van-an\.html">', page)
    # a person and an affiliation stay together
    paper = html(small_site / "site", "papers/alpha.html")
    assert '<span class="enlsp-person"><a href="../authors/jurgen-muller.html">Jürgen Müller</a> <span class="enlsp-affiliation">(Universität Wien)</span></span>' in paper


def test_cite_tab_text_is_intact(small_site):
    site = small_site / "site"
    page = html(site, "papers/alpha.html")
    bibtex = re.search(r'<div class="enlsp-code-bibtex highlight-text notranslate"><div class="highlight"><pre>(.*?)</pre>', page, re.S).group(1)
    # the text as it is copied, not coloured: no markup but Pygments' empty first span
    assert re.sub(r"^<span></span>", "", bibtex).count("<") == 0
    assert html_lib.unescape(re.sub(r"<[^>]+>", "", bibtex)).strip() == (site / "papers" / "alpha.bib").read_text(encoding="utf-8").strip()
    markdown = re.search(r'<div class="enlsp-code-markdown highlight-text notranslate"><div class="highlight"><pre>(.*?)</pre>', page, re.S).group(1)
    assert re.sub(r"^<span></span>", "", markdown).count("<") == 0 and "](" in markdown


def test_header_links_lose_only_their_layout_whitespace():
    theme = ('\n<li class="nav-item ">\n  <a class="nav-link" href="a.html">\n    Guide for <em>new</em> <strong>authors</strong>\n  </a>\n</li>\n'
             '<li class="nav-item dropdown">\n<button class="btn" type="button">\n More\n</button>\n<ul class="dropdown-menu">\n'
             '<li class=" ">\n<a class="nav-link" href="b.html">\nB\n</a>\n</li>\n</ul>\n</li>\n')
    assert tight_html(theme) == ('<li class="nav-item "><a class="nav-link" href="a.html">Guide for <em>new</em> <strong>authors</strong></a></li>'
                                 '<li class="nav-item dropdown"><button class="btn" type="button">More</button><ul class="dropdown-menu">'
                                 '<li class=" "><a class="nav-link" href="b.html">B</a></li></ul></li>')
