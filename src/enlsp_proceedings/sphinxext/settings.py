"""Default Sphinx settings of a proceedings site.

``docs/conf.py`` does ``globals().update(settings())``: a fresh copy each time, because
themes mutate some of these dicts during a build and a second in-process build
(tests, sphinx-autobuild) must see the same configuration as the first.

Values that come from the workshop's data (project name, base URL) are passed by the
build as overrides, HTML-escaped, because the theme puts them into markup unescaped.
"""

import contextlib
import io
from pathlib import Path

_HERE = Path(__file__).parent


def _import_opengraph_quietly() -> None:
    """sphinxext-opengraph prints "matplotlib is not installed, social cards will not be
    generated" when imported; social cards are off here, so the note only confuses."""
    with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(ImportError):
        import sphinxext.opengraph  # noqa: F401


def settings() -> dict:
    """The configuration values, as new objects on every call."""
    _import_opengraph_quietly()
    return {
        "project": "Proceedings",
        "root_doc": "index",
        "extensions": [
            "myst_parser",
            "sphinx_design",
            "sphinx_copybutton",
            "sphinxext.opengraph",
            "notfound.extension",
            "enlsp_proceedings.sphinxext",
        ],
        "source_suffix": {".md": "markdown"},
        "exclude_patterns": ["_build", "**/.*"],
        "templates_path": [str(_HERE / "templates")],
        "html_static_path": [str(_HERE / "static")],
        "html_css_files": ["enlsp.css"],
        "html_logo": str(_HERE / "static" / "enlsp-logo.svg"),
        "html_favicon": str(_HERE / "static" / "favicon.svg"),
        "html_theme": "pydata_sphinx_theme",
        # pages are written through a template bridge that drops the theme's blank lines
        # and indentation (a third of every page); see sphinxext.html.compact_html
        "template_bridge": "enlsp_proceedings.sphinxext.html.CompactTemplates",
        "html_copy_source": False,
        "html_show_sourcelink": False,
        "html_show_sphinx": False,
        "html_use_index": False,
        "html_domain_indices": False,
        "html_sidebars": {"**": []},
        "html_theme_options": {
            "navbar_align": "left",
            # no theme switcher template (its markup, twice per page for the mobile menu, was 15%
            # of an author page, and its dropdown needs Bootstrap's script): enlsp.js adds a
            # light/dark button beside the search button
            "navbar_end": ["navbar-icon-links"],
            # the search button (and its dialog) only work with JavaScript: enlsp.js adds them
            "navbar_persistent": [],
            "back_to_top_button": False,  # the header, with its links and search, stays on screen
            "header_links_before_dropdown": 5,  # the rest go under "More" (a small site needs no dropdown, so no Bootstrap script)
            "secondary_sidebar_items": {"**": ["page-toc"], "index": []},
            "footer_start": ["enlsp-footer"],
            "footer_end": [],
            "primary_sidebar_end": [],  # no ad placeholder on every page
            # no breadcrumbs: the pages have no parents, so they only repeated the page title
            # beside a link home (the logo is one)
            "article_header_start": [],
            "search_bar_text": "Search the proceedings",  # the search page's field; enlsp.js's dialog says the same
            "show_prev_next": False,
            "navigation_depth": 1,
            "collapse_navigation": True,
            "show_toc_level": 2,
        },
        # Untrusted text never becomes markup: no raw HTML in Markdown (and the
        # extension turns off raw/include directives).
        "myst_enable_extensions": ["colon_fence"],
        "myst_disable_syntax": ["html_block", "html_inline"],
        "myst_heading_anchors": 2,
        "suppress_warnings": ["myst.header"],
        "smartquotes": False,  # data is shown literally: no curly-quote rewriting
        "copybutton_selector": "div.highlight pre",
        "copybutton_prompt_text": "",
        "ogp_type": "website",
        "ogp_enable_meta_description": True,
        "ogp_social_cards": {"enable": False},  # paper pages get their first page as og:image
        "notfound_urls_prefix": "/",  # set from base_url by the extension
        "enlsp_data": "",
        "enlsp_series": "",
    }
