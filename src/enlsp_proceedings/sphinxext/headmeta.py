"""What goes into each page's ``<head>`` besides the theme's tags, and the sitemap.

* Google Scholar tags on paper pages (https://scholar.google.com/intl/en/scholar/inclusion.html#indexing).
* OpenGraph: sphinxext-opengraph writes the tags; we only fill its per-page override
  fields (``og:title``, ``og:description``, ``og:type``) so a paper's description is
  its abstract rather than the page's text, and each tag appears once. A
  ``<meta name="description">`` of our own makes the extension skip its own.
* schema.org ``ScholarlyArticle`` JSON-LD on paper pages (what Google, Zotero and other
  crawlers read), a series' home as a ``CreativeWorkSeries`` of its editions and its person
  pages as ``Person``, with ``<``, ``>`` and ``&`` written as JSON escapes so no value can end the script.
* ``sitemap.xml`` of every page. sphinx-sitemap only lists the pages written in the
  current build, so after an incremental build it lists almost nothing
  (jdillard/sphinx-sitemap#13); the environment knows every page (a series' person pages: its
  data), so we write it from that.

Every value is HTML-escaped here: the extension only escapes double quotes. Titles and abstracts
are their plain text (`util.latex.plain`: ``$7x$`` -> "7x", ``\\textit{x}`` -> "x").
"""

from __future__ import annotations

import html
import json
import re
import zlib
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

from enlsp_proceedings import paths
from enlsp_proceedings.model.people import LONG_AUTHOR_LIST
from enlsp_proceedings.outputs import cite
from enlsp_proceedings.outputs.series_site import SeriesSite
from enlsp_proceedings.outputs.volume import Volume
from enlsp_proceedings.sphinxext.pages.common import count
from enlsp_proceedings.util import latex
from enlsp_proceedings.util.files import write_if_changed

DESCRIPTION_LENGTH = 200


def truncate(text: str, limit: int = DESCRIPTION_LENGTH) -> str:
    """One line of at most ``limit`` characters, cut at a word boundary with an ellipsis."""
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2:]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:.-–—") + "…"


def page_info(volume: Volume, pagename: str) -> tuple[str | None, str | None]:
    """(og:type, description) of a generated page; (None, None) for other pages."""
    w = volume.workshop
    at = f"{w.short_name} ({w.venue})"
    parts = pagename.split("/")
    if len(parts) == 2 and parts[0] == "papers" and parts[1] in volume.papers_by_id:
        return "article", latex.plain(volume.papers_by_id[parts[1]].abstract)
    if len(parts) == 2 and parts[0] == "keynotes" and parts[1] in volume.keynotes_by_id:
        keynote = volume.keynotes_by_id[parts[1]]
        speakers = " and ".join(s.name for s in keynote.speakers)
        return "article", latex.plain(keynote.abstract or "") or f"{w.labels.keynote_talk} by {speakers} at {at}."
    if len(parts) == 2 and parts[0] == "authors" and parts[1] in volume.people.by_slug:
        return "profile", f"{volume.people.by_slug[parts[1]].name} at {at}: papers, talks and roles."
    fixed = {
        "index": w.description or f"{w.title}, {w.venue}, {w.location}.",
        paths.docname(paths.PAPERS_INDEX): f"The {count(len(volume.proc.papers), 'paper')} accepted at {at}, with PDFs and citations.",
        paths.docname(paths.KEYNOTES_INDEX): f"Keynote talks at {at}.",
        "schedule": f"Schedule of {at}, {w.date.day} {w.date:%B %Y}, {w.location}.",
        "people": f"Organizers of {at}.",
        "panel": volume.proc.panel.description if volume.proc.panel and volume.proc.panel.description else f"Panel discussion at {at}.",
        "cfp": f"Call for papers of {at}.",
        paths.docname(paths.PEOPLE_INDEX): f"Authors and speakers of {at}.",
        paths.docname(paths.MY_LIST): f"Your reading list of papers and talks at {at}, exported as BibTeX, RIS, CSL-JSON or a calendar.",
    }
    if pagename in fixed:
        return "website", fixed[pagename]
    return None, None


def _meta(name: str, content: str, attr: str = "name") -> str:
    return f'<meta {attr}="{html.escape(name, quote=True)}" content="{html.escape(content, quote=True)}">\n'


def page_title(volume: Volume, pagename: str) -> str | None:
    """The plain text (`util.latex.plain`) of a paper's or keynote's title when it holds the LaTeX
    subset, for the page's ``<title>``; None for every other page (Sphinx's title stands)."""
    parts = pagename.split("/")
    title = None
    if len(parts) == 2 and parts[0] == "papers" and parts[1] in volume.papers_by_id:
        title = volume.papers_by_id[parts[1]].title
    elif len(parts) == 2 and parts[0] == "keynotes" and parts[1] in volume.keynotes_by_id:
        title = volume.keynotes_by_id[parts[1]].title
    if title is None or ("$" not in title and "\\" not in title):
        return None
    return latex.plain(title)


def scholar_tags(volume: Volume, paper_id: str) -> str:
    """Google Scholar's citation_* meta tags of a paper's page."""
    paper = volume.papers_by_id[paper_id]
    w = volume.workshop
    head = _meta("citation_title", latex.plain(paper.title))
    long = len(paper.authors) > LONG_AUTHOR_LIST  # every name (Scholar credits each author), the affiliations on the page only
    for author in paper.authors:
        head += _meta("citation_author", cite.scholar_name(author, volume.proc.canonical_name(author.name)))
        if author.affiliation and not long:
            head += _meta("citation_author_institution", author.affiliation)
    head += _meta("citation_publication_date", w.date.strftime("%Y/%m/%d"))
    head += _meta("citation_conference_title", w.booktitle)
    pdf = volume.pdf_path(paper.id)
    if pdf:
        head += _meta("citation_pdf_url", volume.url(pdf))
    head += _meta("citation_abstract_html_url", volume.url(paths.paper_page(paper.id)))
    status = volume.pdfs.get(paper.id)
    if status and status.published and status.thumbnail:
        head += _meta("og:image", volume.url(status.thumbnail), attr="property")
        head += _meta("og:image:alt", "First page of the paper", attr="property")
        if status.thumb_size:
            head += _meta("og:image:width", str(status.thumb_size[0]), attr="property")
            head += _meta("og:image:height", str(status.thumb_size[1]), attr="property")
    return head


def scholarly_article(volume: Volume, paper_id: str) -> dict:
    """schema.org ScholarlyArticle of a paper (https://schema.org/ScholarlyArticle)."""
    paper = volume.papers_by_id[paper_id]
    w = volume.workshop
    authors = []
    long = len(paper.authors) > LONG_AUTHOR_LIST  # a long list: every name, the affiliations on the page only
    for person in paper.authors:
        given, family, _ = cite.name_parts(person)
        item: dict = {"@type": "Person", "name": volume.proc.canonical_name(person.name), "familyName": family}
        if given:
            item["givenName"] = given
        if person.affiliation and not long:
            item["affiliation"] = {"@type": "Organization", "name": person.affiliation}
        same = [f"https://orcid.org/{person.orcid}"] if person.orcid else []
        same += [str(person.url)] if person.url else []
        if same:
            item["sameAs"] = same
        authors.append(item)
    url = volume.url(paths.paper_page(paper.id))
    article: dict = {
        "@context": "https://schema.org",
        "@type": "ScholarlyArticle",
        "@id": url,
        "url": url,
        "headline": latex.plain(paper.title),
        "name": latex.plain(paper.title),
        "author": authors,
        "abstract": latex.plain(paper.abstract),
        "datePublished": w.date.isoformat(),
        "isAccessibleForFree": True,
        "isPartOf": {"@type": "Book", "name": w.booktitle, "url": str(w.base_url)},
        "recordedAt": {"@type": "Event", "name": f"{w.title} ({w.short_name})", "startDate": w.date.isoformat(),
                       "location": {"@type": "Place", "name": w.location}},
    }
    pdf = volume.pdf_path(paper.id)
    if pdf:
        article["encoding"] = {"@type": "MediaObject", "contentUrl": volume.url(pdf), "encodingFormat": "application/pdf"}
    status = volume.pdfs.get(paper.id)
    if status and status.published and status.thumbnail:
        article["image"] = volume.url(status.thumbnail)
    same = [str(url) for kind, url in paper.links.items() if kind in ("arxiv", "openreview")]
    if same:
        article["sameAs"] = same
    if paper.award:
        article["award"] = paper.award
    return article


def json_ld(data: dict) -> str:
    """A JSON-LD script element; ``<``, ``>`` and ``&`` are JSON escapes, so no value ends the script or opens a comment."""
    text = json.dumps(data, ensure_ascii=False, indent=None, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return f'<script type="application/ld+json">{text}</script>\n'


def series_page_info(site: SeriesSite, pagename: str) -> tuple[dict | None, str | None, str | None]:
    """(JSON-LD, og:type, description) of a series' own page: the home is a ``CreativeWorkSeries`` of
    its editions, a person's page a ``Person`` (their ORCID iD and web page as ``sameAs``)."""
    base = site.base_url if site.base_url.endswith("/") else site.base_url + "/"
    if pagename == "index":
        series: dict[str, Any] = {"@context": "https://schema.org", "@type": "CreativeWorkSeries", "name": site.name,
                                  "alternateName": site.short_name, "url": base,
                                  "hasPart": [{"@type": "CreativeWork", "name": e.label, "url": f"{base}{e.id}/", "datePublished": e.date}
                                              for e in site.editions]}
        if site.description:
            series["description"] = site.description
        return series, "website", site.description or None
    parts = pagename.split("/")
    person = site.people.get(parts[1]) if len(parts) == 2 and parts[0] == "authors" else None
    if person is None:
        return None, None, None
    data: dict[str, Any] = {"@context": "https://schema.org", "@type": "Person", "name": person.name, "url": base + paths.author_page(person.slug)}
    if person.variants:
        data["alternateName"] = list(person.variants)
    same = ([f"https://orcid.org/{person.orcid}"] if person.orcid else []) + ([person.url] if person.url else [])
    if same:
        data["sameAs"] = same
    newest = person.years[0] if person.years else None
    if newest is not None and newest.affiliations:
        data["affiliation"] = [{"@type": "Organization", "name": a} for a in newest.affiliations]
    editions = [y.label for y in person.years]
    papers = sum(1 for y in person.years for w in y.works if w.kind == "paper")
    talks = sum(1 for y in person.years for w in y.works if w.kind != "paper")
    works = ", ".join(count(n, word) for n, word in ((papers, "paper"), (talks, "talk")) if n)
    description = f"{person.name} at {site.short_name}: {'; '.join(editions)}" + (f" ({works})" if works else "") + "."
    return data, "profile", description


def add_page_metadata(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """Scholar tags, description, and OpenGraph overrides (runs before sphinxext-opengraph)."""
    from enlsp_proceedings.sphinxext.data import get_series, get_volume, proceedings_site

    if doctree is None or not proceedings_site(app.config):
        return
    head = ""
    plain_title: str | None = None
    if app.config.enlsp_series:
        data, og_type, description = series_page_info(get_series(app), pagename)
        if data is not None:
            head += json_ld(data)
    else:
        volume = get_volume(app)
        parts = pagename.split("/")
        if len(parts) == 2 and parts[0] == "papers" and parts[1] in volume.papers_by_id:
            head += scholar_tags(volume, parts[1])
            head += json_ld(scholarly_article(volume, parts[1]))
        og_type, description = page_info(volume, pagename)
        plain_title = page_title(volume, pagename)
    if plain_title is not None:  # the page's heading may hold inline math: <title> and og:title get its plain text
        context["title"] = html.escape(plain_title)
    fields = dict(context.get("meta") or {})  # a copy: the original belongs to the environment
    title = html.unescape(re.sub(r"<[^>]*>", "", context.get("title") or ""))
    if title:
        fields["og:title"] = html.escape(title, quote=True)
    if description:
        fields["og:description"] = html.escape(truncate(description), quote=True)
        head += _meta("description", truncate(description))
    if og_type:
        fields["og:type"] = og_type
    context["meta"] = fields
    context["metatags"] = context.get("metatags", "") + head


#: The sitemap's namespace.
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
#: An address in a sitemap, as `sitemap_xml` writes it.
_SITEMAP_LOC = re.compile(r"<loc>([^<]*)</loc>")


def sitemap_xml(locations: list[str]) -> str:
    """A sitemap of these addresses, as ElementTree writes it indented (the text it replaced: at
    10 × 1,000 papers the series' 23,809 addresses took 0.09–0.12 s that way, 0.012 s this way)."""
    if not locations:
        return f"<?xml version='1.0' encoding='utf-8'?>\n<urlset xmlns=\"{SITEMAP_NS}\" />\n"
    urls = "".join(f"  <url>\n    <loc>{_xml_text(loc)}</loc>\n  </url>\n" for loc in locations)
    return f"<?xml version='1.0' encoding='utf-8'?>\n<urlset xmlns=\"{SITEMAP_NS}\">\n{urls}</urlset>\n"


def _xml_text(text: str) -> str:
    """Text escaped as ElementTree escapes an element's text."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def sitemap_locations(text: str) -> list[str]:
    """The addresses of a sitemap `sitemap_xml` wrote (an edition's, read by the series' root)."""
    return [html.unescape(loc) for loc in _SITEMAP_LOC.findall(text)]


def write_sitemap(app: Sphinx, exception: Exception | None) -> None:
    """sitemap.xml listing every page of the site, not just the pages this build rewrote.

    sphinx-sitemap lists only the pages written by the current build, so an incremental
    build would publish a partial sitemap (jdillard/sphinx-sitemap#13, open since 2018;
    #100 closed as its duplicate). Use sphinx-sitemap when it lists ``env.found_docs``.
    """
    if exception is not None or app.builder.format != "html":
        return
    base = app.config.html_baseurl
    if not base:
        return
    base = base if base.endswith("/") else base + "/"
    docnames = set(app.env.found_docs)
    if app.config.enlsp_series:  # a person's page is a document only in the build that writes it (`publish.series`)
        from enlsp_proceedings.sphinxext.data import editions_built, get_series

        docnames.update(paths.docname(paths.author_page(slug)) for slug in get_series(app).people)
    locations = [base + app.builder.get_target_uri(docname) for docname in sorted(docnames)]
    if app.config.enlsp_series:  # a series' root: its pages, then every edition's (built before it, in their folders)
        editions_built()  # the series' pages may be built beside the editions' (`publish.sphinx_run.SphinxRun`)
        for edition in get_series(app).editions:
            try:
                locations += sitemap_locations((Path(app.outdir) / edition.id / "sitemap.xml").read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError):
                continue
    write_if_changed(Path(app.outdir) / "sitemap.xml", sitemap_xml(locations))


#: An entry of an ``objects.inv`` (version 2): name, domain:role, priority, address, shown name.
_INVENTORY_ENTRY = re.compile(r"(.+?)\s+(\S+)\s+(-?\d+)\s+?(\S*)\s+(.*)")


def leave_people_out_of_inventory(app: Sphinx, exception: Exception | None) -> None:
    """A series' ``objects.inv`` without its person pages, whichever the build wrote.

    A person's page is a document of the series' project only in the build that writes it
    (`publish.series._people_to_write`): Sphinx's inventory would list the few pages of the last
    edit after an edit, and all of them after a full build. Without them, it is the same after
    any build, and it lists what another project may cite: the series' own pages (its home, every
    paper, people, the guides); a person's page is found from the people's index."""
    if exception is not None or not app.config.enlsp_series or app.builder.format != "html":
        return
    from enlsp_proceedings.sphinxext.data import get_series

    path = Path(app.outdir) / "objects.inv"
    try:
        data = path.read_bytes()
        parts = data.split(b"\n", 4)
        lines = zlib.decompress(parts[4]).decode("utf-8").splitlines(keepends=True)
    except (OSError, IndexError, zlib.error, UnicodeDecodeError):  # not the inventory Sphinx writes: left as it is
        return
    people = {paths.author_page(slug) for slug in get_series(app).people}
    kept = [line for line in lines if not ((found := _INVENTORY_ENTRY.match(line.rstrip("\n"))) and found[4].split("#")[0] in people)]
    write_if_changed(path, b"\n".join(parts[:4]) + b"\n" + zlib.compress("".join(kept).encode("utf-8"), 9))

