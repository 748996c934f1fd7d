"""The volume the build saved, as the Sphinx extension sees it, and the site-wide values taken from it.

The build writes ``volume.json`` (the `Volume`) beside the generated sources; every page,
head tag and footer of the extension reads it through `get_volume` (loaded once per
process; parallel workers inherit it).
"""

from __future__ import annotations

import html
import os
import urllib.parse
from pathlib import Path
from typing import Any

from markupsafe import Markup
from sphinx.application import Sphinx

from enlsp_proceedings.outputs.volume import Volume

_CACHE: dict[str, tuple[float, Volume]] = {}


def get_volume(app_or_env: Any) -> Volume:
    """The volume saved by the build step (loaded once per process)."""
    path = str(Path(app_or_env.config.enlsp_data).resolve())
    mtime = os.stat(path).st_mtime
    cached = _CACHE.get(path)
    if cached is None or cached[0] != mtime:
        cached = (mtime, Volume.from_json(Path(path).read_text(encoding="utf-8")))
        _CACHE[path] = cached
    return cached[1]


def configure_from_volume(app: Sphinx, config: Any) -> None:
    """Site-wide values from the workshop data, HTML-escaped (the theme inserts them raw).

    The build writes ``volume.json`` beside the generated sources, so a plain
    ``sphinx-build -c docs <cache>/source OUT`` (and sphinx-autobuild) finds it too.
    """
    if not config.enlsp_data:
        candidate = Path(app.srcdir).parent / "volume.json"
        if not candidate.is_file():
            return
        config.enlsp_data = str(candidate)
    w = get_volume(app).workshop
    label = html.escape(f"{w.short_name} {w.year}")
    config.project = html.escape(w.short_name)
    config.html_title = label
    config.html_baseurl = w.base_url
    config.ogp_site_url = w.base_url
    config.ogp_site_name = label
    # The logo's text is the theme's raw markup: escaped here (the image carries no data).
    config.html_theme_options = {**config.html_theme_options, "logo": {"text": label}}
    # 404.html is served for any missing URL, at any depth: its links must be absolute.
    prefix = urllib.parse.urlsplit(w.base_url).path or "/"
    config.notfound_urls_prefix = prefix
    home = html.escape(prefix, quote=True)
    config.notfound_context = {
        "title": "Page not found",
        "body": (
            "<h1>Page not found</h1>\n"
            "<p>There is no page at this address. It may have moved when the proceedings were updated.</p>\n"
            f'<p><a class="sd-btn sd-btn-primary" href="{home}index.html">Go to the home page</a> '
            f'<a class="sd-btn sd-btn-outline-primary" href="{home}papers/index.html">Browse the papers</a> '
            f'<a class="sd-btn sd-btn-outline-primary" href="{home}search.html">Search</a></p>\n'
        ),
    }


def disable_unsafe_markup(app: Sphinx) -> None:
    """No raw HTML and no file insertion in any source, generated or hand-written."""
    app.env.settings["raw_enabled"] = False
    app.env.settings["file_insertion_enabled"] = False
    if app.config.enlsp_data:
        get_volume(app)  # load once in the main process; parallel workers inherit it


def add_footer(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """The footer's line (short name, venue, place) for every page."""
    if app.config.enlsp_data:
        w = get_volume(app).workshop
        context["enlsp_footer"] = f"{w.short_name} · {w.venue} · {w.location}"


def mark_titles_escaped(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """The theme inserts ``docstitle``/``project`` raw (navbar logo), Sphinx escapes them
    (``<title>``): as Markup they are escaped once, by `configure_from_volume`, everywhere."""
    if app.config.enlsp_data:
        for key in ("docstitle", "shorttitle", "project"):
            if isinstance(context.get(key), str):
                context[key] = Markup(context[key])
