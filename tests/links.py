"""Every link of a built site, checked without a browser: each ``href`` and ``src`` of every HTML
page that stays on the site must name a file of the site, and each ``#fragment`` of a page an
element of that page (``id``, or ``name`` for the old anchors)."""

from __future__ import annotations

import posixpath
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


class _Page(HTMLParser):
    """The links (tag, attribute, value), the ids and the ``<base href>`` of one page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str, str]] = []
        self.ids: set[str] = set()
        self.base: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v for k, v in attrs if v is not None}
        if tag == "base":
            self.base = values.get("href")
            return
        self.ids.update(values[k] for k in ("id", "name") if k in values and tag != "meta")
        self.links += [(tag, k, values[k]) for k in ("href", "src") if k in values]


def broken_links(site: Path) -> list[tuple[str, str, str]]:
    """(page, link, why) of every link of ``site``'s pages that leads nowhere on the site: a missing
    file, a fragment no element of its page has, a path above the site's root. Links with a scheme
    (``https:``, ``mailto:``, ``data:``) or to another host are not followed."""
    pages: dict[str, _Page] = {}
    for file in sorted(site.rglob("*.html")):
        parsed = _Page()
        parsed.feed(file.read_text(encoding="utf-8", errors="replace"))
        pages[file.relative_to(site).as_posix()] = parsed
    broken = []
    for name, parsed in pages.items():
        for _tag, _attr, value in parsed.links:
            parts = urlsplit(value)
            if parts.scheme or parts.netloc:
                continue
            path = unquote(parts.path)
            base = urlsplit(parsed.base or "")
            if base.scheme or base.netloc:
                continue
            if parsed.base is not None and path and not path.startswith("/"):
                # a page that may be served at any address (the 404 page): its links follow the base,
                # the site's own path on its host, which is not part of the site's files
                target = posixpath.normpath((base.path + path).removeprefix(_site_prefix(base.path, pages)))
            elif path.startswith("/"):
                target = path.lstrip("/")
            elif not path:
                target = name
            else:
                target = posixpath.normpath(posixpath.join(posixpath.dirname(name), path))
            if target == ".." or target.startswith("../"):
                broken.append((name, value, "above the site's root"))
                continue
            if (site / target).is_dir():
                target = posixpath.join(target, "index.html")
            if not (site / target).is_file():
                broken.append((name, value, "no such file"))
            elif parts.fragment and target in pages and unquote(parts.fragment) not in pages[target].ids:
                broken.append((name, value, "no such fragment"))
    return broken


def _site_prefix(base: str, pages: dict[str, _Page]) -> str:
    """The leading part of a base's path that is the site's own address on its host: ``/synth/`` of
    ``/synth/`` (the site's root), ``/synth/`` of ``/synth/2023/`` (an edition's folder), the
    shortest one after which the rest is a folder of the site."""
    parts = [p for p in base.split("/") if p]
    folders = {posixpath.dirname(p) for p in pages}
    for n in range(len(parts) + 1):
        if "/".join(parts[n:]) in folders:
            return "/" + "".join(f"{p}/" for p in parts[:n])
    return base
