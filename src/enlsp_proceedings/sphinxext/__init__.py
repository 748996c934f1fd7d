"""The Sphinx extension: pages built from the data as docutils nodes.

`setup` only registers. What it registers lives in one module each: `directive` (the
``enlsp-page`` directive), `pages` (one builder per page kind, in an explicit registry),
`widgets` (shared node builders: cards, badges, tabs, tables), `richtext` (titles and
abstracts with their LaTeX subset: italics, bold, inline math), `html` (their HTML writers,
compact templates, search and 404 pages), `nav` (the header's links, escaped), `headmeta` (Scholar,
OpenGraph, JSON-LD, sitemap), `toc` (the "On this page" column),
`frame` (which scripts and stylesheets each page loads),
`parallel` (parallel reading and writing for large builds), `data` (the saved volume) and
`settings` (the default Sphinx configuration of a proceedings site; ``static/`` and
``templates/`` are its assets). Safe for parallel reading and writing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from enlsp_proceedings.util.code import code_digest

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def _code_version() -> int:
    """Changes whenever the tool's code changes (`code_digest`), so Sphinx re-reads every page then.

    Page stubs carry a digest of their data only; without this, upgrading the tool would
    leave pages built by the old code in place until their data changed.
    """
    return int(code_digest()[:8], 16)


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the directive, nodes, builder, assets and event handlers."""
    # Imported here, not at the top: the publish stage imports `sphinxext.pages` to write the page
    # stubs before Sphinx runs, and importing this package must not load Sphinx's application and
    # builders then (90 ms of every rebuild, also of one that stops before Sphinx).
    from enlsp_proceedings import __version__
    from enlsp_proceedings.sphinxext import frame
    from enlsp_proceedings.sphinxext.data import (
        add_footer,
        add_series_context,
        configure_from_volume,
        disable_unsafe_markup,
        mark_titles_escaped,
    )
    from enlsp_proceedings.sphinxext.directive import EnlspPage
    from enlsp_proceedings.sphinxext.headmeta import add_page_metadata, leave_people_out_of_inventory, write_sitemap
    from enlsp_proceedings.sphinxext.html import (
        portable_404,
        search_page,
        skip_node,
        use_pagefind_search,
        visit_html_element,
        visit_html_fragment,
        visit_tab_label,
    )
    from enlsp_proceedings.sphinxext.nav import escape_header_nav
    from enlsp_proceedings.sphinxext.parallel import (
        restore_parallel,
        serial_read_for_small_updates,
        slim_one_item_tocs,
        use_proceedings_builder,
    )
    from enlsp_proceedings.sphinxext.richtext import depart_as_plain, math_text, visit_as_plain, visit_math_text
    from enlsp_proceedings.sphinxext.toc import add_page_toc
    from enlsp_proceedings.sphinxext.widgets import (
        data_container,
        depart_as_reference,
        depart_data_container,
        depart_site_link,
        html_element,
        html_fragment,
        site_link,
        visit_as_reference,
        visit_data_container,
        visit_site_link,
    )

    app.add_config_value("enlsp_data", "", "env", types=[str])
    app.add_config_value("enlsp_series", "", "env", types=[str])  # a series' own pages: the folder their data is handed under (`data.remember_series`)
    app.add_config_value("enlsp_template_cache", "", "", types=[str])  # compiled templates (`html.template_cache`)
    app.add_directive("enlsp-page", EnlspPage)
    app.add_node(html_element, html=(visit_html_element, None), latex=(skip_node, None), text=(skip_node, None), man=(skip_node, None), texinfo=(skip_node, None))
    app.add_node(html_fragment, html=(visit_html_fragment, None), latex=(skip_node, None), text=(skip_node, None), man=(skip_node, None), texinfo=(skip_node, None))
    as_plain = (visit_as_plain, depart_as_plain)
    app.add_node(math_text, html=(visit_math_text, None), latex=as_plain, text=as_plain, man=as_plain, texinfo=as_plain)
    app.add_node(data_container, html=(visit_data_container, depart_data_container))
    from sphinx_design.tabs import depart_tab_label, sd_tab_label

    app.add_node(sd_tab_label, override=True, html=(visit_tab_label, depart_tab_label))
    as_reference = (visit_as_reference, depart_as_reference)
    app.add_node(site_link, html=(visit_site_link, depart_site_link), latex=as_reference, text=as_reference, man=as_reference, texinfo=as_reference)
    app.add_js_file("enlsp-filters.js", loading_method="defer")
    frame.setup(app)
    app.connect("config-inited", configure_from_volume)
    app.connect("config-inited", use_proceedings_builder)
    app.connect("builder-inited", disable_unsafe_markup)
    app.connect("builder-inited", use_pagefind_search)
    app.connect("html-collect-pages", search_page)
    app.connect("html-page-context", add_page_toc, priority=400)  # before the theme renders page-toc.html to see if it is empty
    app.connect("html-page-context", add_page_metadata, priority=400)  # before sphinxext-opengraph reads the fields
    app.connect("build-finished", write_sitemap)
    app.connect("build-finished", leave_people_out_of_inventory)
    app.connect("build-finished", portable_404)
    app.connect("html-page-context", add_footer)
    app.connect("html-page-context", add_series_context)
    app.connect("html-page-context", mark_titles_escaped)
    app.connect("html-page-context", escape_header_nav, priority=600)  # after the theme's functions, before frame's trim
    app.connect("env-before-read-docs", serial_read_for_small_updates)
    app.connect("env-updated", restore_parallel)
    app.connect("doctree-read", slim_one_item_tocs, priority=900)  # after Sphinx's table-of-contents collector
    return {"version": __version__, "env_version": _code_version(), "parallel_read_safe": True, "parallel_write_safe": True}
