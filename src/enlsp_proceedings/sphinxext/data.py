"""The volume the build saved, as the Sphinx extension sees it, and the site-wide values taken from it.

The build writes ``volume.json`` (the `Volume`) beside the generated sources; every page,
head tag and footer of the extension reads it through `get_volume` (loaded once per
process; parallel workers inherit it). A series' own pages take their data (`SeriesSite`)
from the build in memory only (`remember_series`, `get_series`).
"""

from __future__ import annotations

import html
import os
import urllib.parse
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from markupsafe import Markup
from sphinx.application import Sphinx
from sphinx.errors import ConfigError

from enlsp_proceedings import paths
from enlsp_proceedings.outputs.series_site import SeriesSite
from enlsp_proceedings.outputs.volume import Volume

T = TypeVar("T")
_CACHE: dict[str, tuple[float, Volume]] = {}
_SERIES: dict[str, SeriesSite] = {}
#: what the series' project calls before it reads what the editions' builds wrote (`editions_built`)
_EDITIONS_BUILT: list[Callable[[], None]] = []


def proceedings_site(config: Any) -> bool:
    """Whether Sphinx builds a proceedings site: an edition's volume (``enlsp_data``) or a series' own pages (``enlsp_series``)."""
    return bool(config.enlsp_data or config.enlsp_series)


def get_series(app_or_env: Any) -> SeriesSite:
    """The series' data the build handed this process (`remember_series`), under the folder that
    ``enlsp_series`` names. Sphinx's workers and the build's copy (`publish.sphinx_run.SphinxRun`)
    are forks of the process it was handed to. A Sphinx run of the series' pages on its own has no
    such data, and says so."""
    folder = str(Path(app_or_env.config.enlsp_series).resolve())
    try:
        return _SERIES[folder]
    except KeyError:
        raise ConfigError(f"enlsp_series = {folder}: the series' pages are built by `enlsp-proceedings build`, "
                          "which hands Sphinx their data; there is none in this process") from None


def get_volume(app_or_env: Any) -> Volume:
    """The volume saved by the build step (loaded once per process)."""
    return _saved(app_or_env.config.enlsp_data, _CACHE, Volume.from_json)


def _saved(path_value: str, cache: dict[str, tuple[float, T]], parse: Callable[[str], T]) -> T:
    """The data saved at ``path_value``, parsed once per process (again when the file changes)."""
    path = str(Path(path_value).resolve())
    mtime = os.stat(path).st_mtime
    cached = cache.get(path)
    if cached is None or cached[0] != mtime:
        cached = (mtime, parse(Path(path).read_text(encoding="utf-8")))
        cache[path] = cached
    return cached[1]


def remember_volume(path: Path, volume: Volume) -> None:
    """Hand the extension the volume the build has just saved at ``path`` (the same data, its people
    index, citation keys and cards already computed for the page stubs), instead of a copy read
    back from the file: one copy in memory, and nothing computed twice."""
    resolved = str(Path(path).resolve())
    _CACHE[resolved] = (os.stat(resolved).st_mtime, volume)


def remember_series(folder: Path, site: SeriesSite) -> None:
    """Hand the extension the series' data for the project whose ``enlsp_series`` is ``folder``.
    It is not saved as a file: at 10 × 1,000 papers, writing it as JSON took 0.28 s of every
    one-paper edit, and reading it back 0.3 s, for a copy no build read."""
    _SERIES[str(Path(folder).resolve())] = site


def wait_for_editions(wait: Callable[[], None] | None) -> None:
    """Make `editions_built` call ``wait`` (None: return at once). The build sets it in the process
    that builds the series' pages while the editions' pages are still being built beside it
    (`publish.sphinx_run.SphinxRun`)."""
    _EDITIONS_BUILT[:] = [wait] if wait is not None else []


def editions_built() -> None:
    """Return once the editions' own builds are done: the series' project reads their output (each
    edition's ``sitemap.xml``) only after this. The wait is done once: a second Sphinx run in the
    same process (`publish.series._series_run` forgetting many person pages) finds them built,
    where it used to wait again on a pipe its build had closed, and fail."""
    while _EDITIONS_BUILT:
        _EDITIONS_BUILT.pop()()


def warm(volume: Volume) -> None:
    """Compute, in the main process, what the pages of a volume share and compute on first use.

    Sphinx forks a new worker for every chunk of pages it reads or writes in parallel; what a
    worker computes dies with it. Left lazy, the people index, the citation keys and the paper
    cards were computed again in every chunk: about a second each at 5,000 papers, for some 90
    chunks (the work grew with the papers times the chunks)."""
    from enlsp_proceedings.sphinxext.pages.common import paper_card

    for name in ("people", "keys", "papers_by_id", "keynotes_by_id", "slots_by_target", "_poster_sessions", "days", "_slot_places"):
        getattr(volume, name)
    for paper in volume.proc.papers:
        paper_card(volume, paper.id)


def configure_from_volume(app: Sphinx, config: Any) -> None:
    """Site-wide values from the workshop data, HTML-escaped (the theme inserts them raw).

    The build writes ``volume.json`` beside the generated sources, so a plain
    ``sphinx-build -c docs <cache>/source OUT`` (and sphinx-autobuild) finds it too.
    """
    if config.enlsp_series:
        _configure_series(config, get_series(app))
        return
    if not config.enlsp_data:
        candidate = Path(app.srcdir).parent / "volume.json"
        if not candidate.is_file():
            return
        config.enlsp_data = str(candidate)
    w = get_volume(app).workshop
    _configure_site(config, w.short_name, f"{w.short_name} {w.year}", w.base_url, paths.PAPERS_INDEX)


def _configure_series(config: Any, series: SeriesSite) -> None:
    """The series' pages: named by the series, at the archive's root."""
    _configure_site(config, series.short_name, series.short_name, series.base_url, paths.SERIES_PAPERS)
    config.html_theme_options = {**config.html_theme_options, "secondary_sidebar_items": {"**": ["page-toc"], "index": []}}


def _configure_site(config: Any, short_name: str, title: str, base_url: str, papers: str) -> None:
    """Names, addresses and the 404 page of a site (an edition's or a series')."""
    label = html.escape(title)
    config.project = html.escape(short_name)
    config.html_title = label
    config.html_baseurl = base_url
    config.ogp_site_url = base_url
    config.ogp_site_name = label
    # The logo's text is the theme's raw markup: escaped here (the image carries no data).
    config.html_theme_options = {**config.html_theme_options, "logo": {"text": label}}
    # 404.html is served for any missing URL, at any depth: its links must be absolute.
    prefix = urllib.parse.urlsplit(base_url).path or "/"
    config.notfound_urls_prefix = prefix
    home = html.escape(prefix, quote=True)
    config.notfound_context = {
        "title": "Page not found",
        "body": (
            "<h1>Page not found</h1>\n"
            "<p>There is no page at this address. It may have moved when the proceedings were updated.</p>\n"
            f'<p><a class="sd-btn sd-btn-primary" href="{home}index.html">Go to the home page</a> '
            f'<a class="sd-btn sd-btn-outline-primary" href="{home}{papers}">Browse the papers</a> '
            f'<a class="sd-btn sd-btn-outline-primary" href="{home}search.html">Search</a></p>\n'
        ),
    }


def disable_unsafe_markup(app: Sphinx) -> None:
    """No raw HTML and no file insertion in any source, generated or hand-written."""
    app.env.settings["raw_enabled"] = False
    app.env.settings["file_insertion_enabled"] = False
    if app.config.enlsp_data:
        warm(get_volume(app))  # load (and compute what pages share) once in the main process; parallel workers inherit it


def add_footer(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """The footer's line (short name, venue, place) for every page."""
    if app.config.enlsp_data:
        w = get_volume(app).workshop
        context["enlsp_footer"] = f"{w.short_name} · {w.venue} · {w.location}"
    elif app.config.enlsp_series:
        series = get_series(app)
        context["enlsp_footer"] = f"{series.short_name} · {series.name}"


def add_series_context(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """Where a page of a series archive sends its reader: an edition's search page links the
    series' search of every edition (``enlsp_series_search``); the series' own pages have no
    reader's list (``enlsp_no_list``: no page of theirs has a star, and the root's my-list.html
    is the root edition's old address)."""
    if app.config.enlsp_series:
        context["enlsp_no_list"] = True
    elif app.config.enlsp_data:
        series = get_volume(app).series
        if series is not None:
            context["enlsp_series_search"] = "../" * pagename.count("/") + series.root + paths.SEARCH


def mark_titles_escaped(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """The theme inserts ``docstitle``/``project`` raw (navbar logo), Sphinx escapes them
    (``<title>``): as Markup they are escaped once, by `configure_from_volume`, everywhere."""
    if proceedings_site(app.config):
        for key in ("docstitle", "shorttitle", "project"):
            if isinstance(context.get(key), str):
                context[key] = Markup(context[key])
