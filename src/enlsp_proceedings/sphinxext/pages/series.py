"""The series' own pages, at the archive's root: its home (every edition, newest first), the
people index across the years (``authors/index``) and one page per person (``authors/<slug>``)
listing what they did in every edition, by year.

Like the volume's page kinds, each declares which pages it makes, what each shows (from the
saved `SeriesSite`) and how that becomes nodes; `SERIES_PAGES` is their registry.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from docutils import nodes
from markupsafe import Markup

from enlsp_proceedings import paths
from enlsp_proceedings.outputs.series_site import EditionLine, ListedPaper, SeriesPerson, SeriesSite
from enlsp_proceedings.sphinxext.pages.common import BADGE, Page, PageKind, Shown, az_jump, by_letter, count, letter_anchor, required
from enlsp_proceedings.sphinxext.richtext import flag_math, rich, rich_markup
from enlsp_proceedings.sphinxext.widgets import (
    MarkupTemplate,
    badge,
    badge_classes,
    bullet_list,
    button,
    card,
    data_container,
    element,
    fragment,
    grid,
    inline,
    link,
    para,
    paragraphs,
    section,
    strong,
    text,
)
from enlsp_proceedings.util import latex

#: What the buttons of an edition's line on the series home say, by the section's site path.
SECTION_BUTTONS = {paths.PAPERS_INDEX: "Papers", paths.SCHEDULE: "Schedule", paths.KEYNOTES_INDEX: "Keynotes"}


def _home_pages(s: SeriesSite) -> list[tuple[str, str | None]]:
    return [("index", None)]


@dataclass(frozen=True)
class SeriesHomeShows(Shown):
    """What the series' home shows."""

    name: str
    short_name: str
    description: str
    #: (label, URL) of the series' links
    links: list[tuple[str, str]]
    #: every edition, newest first
    editions: list[EditionLine]
    #: how many people and papers the series has
    people: int
    papers: int


def _home_shows(s: SeriesSite, ident: str | None = None) -> SeriesHomeShows:
    return SeriesHomeShows(name=s.name, short_name=s.short_name, description=s.description, links=s.links, editions=s.editions, people=len(s.people),
                           papers=len(s.papers))


def _home_render(page: Page, d: SeriesHomeShows) -> list[nodes.Node]:
    out = section(d.name, "home", classes=["enlsp-home"])
    hero = nodes.container(classes=["enlsp-hero"])
    hero += para(f"{d.short_name} · the archive of every edition", classes=["enlsp-kicker"])
    hero += para(f"{count(len(d.editions), 'edition')} · {count(sum(e.papers for e in d.editions), 'paper')} · {d.people} people",
                 classes=["enlsp-stats"])
    buttons = para(classes=["enlsp-hero-buttons"])
    if d.editions:
        buttons += button(f"Latest: {d.editions[0].short_name}", page.href(paths.in_edition(d.editions[0].id, paths.HOME)), outline=False)
        buttons += text(" ")
    if d.papers:
        buttons += button("All papers", page.href(paths.SERIES_PAPERS))
        buttons += text(" ")
    buttons += button("People", page.href(paths.SERIES_PEOPLE))
    buttons += text(" ")
    buttons += button("Search all editions", page.href(paths.SERIES_SEARCH))
    hero += buttons
    out += hero
    if d.description:
        out += section("About", "about", *paragraphs(d.description), classes=["enlsp-about"])
    cards = []
    for e in d.editions:
        day = dt.date.fromisoformat(e.date)
        body: list[nodes.Node] = [
            para(element("time", f"{day:%A} {day.day} {day:%B %Y}", datetime=e.date), " · ", e.location, classes=["enlsp-edition-when"]),
            para(" · ".join(x for x in (count(e.papers, "paper"), f"{e.pdfs} PDFs",
                                         count(e.keynotes, "keynote") if e.keynotes else "", "a panel" if e.panel else "") if x),
                 *([text(" "), badge("Non-archival", "secondary")] if not e.archival else []), classes=["enlsp-edition-counts"]),
        ]
        links = para(classes=["enlsp-edition-links"])
        links += button("Home", page.href(paths.in_edition(e.id, paths.HOME)), outline=False)
        links += text(" ")
        for path in e.sections:
            label = SECTION_BUTTONS.get(path.partition("/")[2])
            if label:
                links += button(label, page.href(path), outline=True)
                links += text(" ")
        body.append(links)
        cards.append(card(link(e.label, page.href(paths.in_edition(e.id, paths.HOME))), [para(e.title), *body], classes=["enlsp-edition-card"]))
    out += section("Editions", "editions", grid(cards, "1 1 2 2"))
    if d.links:
        out += section("Links", "links", bullet_list([para(link(label, url, external=True)) for label, url in d.links]))
    return [out]


def _people_pages(s: SeriesSite) -> list[tuple[str, str | None]]:
    return [(paths.docname(paths.SERIES_PEOPLE), None)] if s.people else []


@dataclass(frozen=True)
class SeriesPeopleShows(Shown):
    """What the series' people index shows."""

    #: (name, slug, sorting name, editions newest first) of everyone
    people: list[tuple[str, str, str, tuple[str, ...]]]
    #: edition id -> its short name
    editions: dict[str, str]


def _people_shows(s: SeriesSite, ident: str | None = None) -> SeriesPeopleShows:
    # by family name, then given name (`SeriesPerson.sort_key`), whatever the order of the data: the
    # build keeps its people by slug, and the index once listed each letter by first name
    ordered = sorted(s.people.values(), key=lambda p: (p.sort_key, p.slug))
    return SeriesPeopleShows(people=[(p.name, p.slug, p.sort_key[0], tuple(p.edition_ids)) for p in ordered],
                 editions={e.id: e.short_name for e in s.editions})


def _people_render(page: Page, d: SeriesPeopleShows) -> list[nodes.Node]:
    out = section("People", "authors")
    several = sum(1 for p in d.people if len(p[3]) > 1)
    out += para(f"{len(d.people)} people across {count(len(d.editions), 'edition')}: authors, speakers, organizers and committee members"
                + (f"; {several} of them in more than one edition." if several else "."))
    groups = by_letter(d.people, lambda p: p[2])
    out += az_jump(list(groups))
    for letter, people in groups.items():
        items = [para(link(name, page.href(paths.author_page(slug))),
                      inline(" — " + ", ".join(d.editions.get(e, e) for e in editions), classes=["enlsp-roles"]))
                 for name, slug, _key, editions in people]
        out += section(letter, letter_anchor(letter), bullet_list(items, classes=["enlsp-people-list"]))
    return [out]


#: One paper of the series' list: its filters read the data attributes (enlsp-filters.js).
_LISTED = MarkupTemplate(
    '<li data-edition="{edition}" data-presentation="{presentation}" data-track="{track}" data-award="{award}">'
    '<p class="enlsp-list-title"><a href="{href}">{title}</a> {badges}</p>\n'
    '<p class="enlsp-list-authors">{authors}</p>\n</li>\n'
)


def _papers_pages(s: SeriesSite) -> list[tuple[str, str | None]]:
    return [(paths.docname(paths.SERIES_PAPERS), None)] if s.papers else []


@dataclass(frozen=True)
class SeriesPapersShows(Shown):
    """What the series' list of every paper shows."""

    papers: list[ListedPaper]
    #: (id, label) of every edition, newest first
    editions: list[tuple[str, str]]


def _papers_shows(s: SeriesSite, ident: str | None = None) -> SeriesPapersShows:
    return SeriesPapersShows(papers=s.papers, editions=[(e.id, e.label) for e in s.editions])


def _papers_render(page: Page, d: SeriesPapersShows) -> list[nodes.Node]:
    out = section("All papers", "all-papers")
    out += para(f"{count(len(d.papers), 'paper')} of {count(len(d.editions), 'edition')}. Every edition's at once: ",
                link("BibTeX", page.href(paths.SERIES_ALL + paths.PROCEEDINGS_BIB), download=paths.PROCEEDINGS_BIB), " · ",
                link("CSL-JSON", page.href(paths.SERIES_ALL + paths.PROCEEDINGS_CSL), download=paths.PROCEEDINGS_CSL), " · ",
                link("RIS", page.href(paths.SERIES_ALL + paths.PROCEEDINGS_RIS), download=paths.PROCEEDINGS_RIS), " · ",
                link("JSON", page.href(paths.SERIES_ALL + paths.PAPERS_JSON)), ".")
    options: dict[str, Any] = {"edition": [[ident, label] for ident, label in d.editions],
                               "presentation": _choices((p.presentation, p.presentation_label) for p in d.papers),
                               "track": _choices((p.track, p.track_name) for p in d.papers),
                               "award": [["yes", "With an award"]] if any(p.award for p in d.papers) else [],
                               "titles": {"edition": "Edition", "presentation": "Presentation", "track": "Track", "award": "Award"}}
    controls = sum(1 for key in ("edition", "presentation", "track", "award") if len(options[key]) >= (1 if key == "award" else 2))
    out += data_container(classes=["enlsp-filters", f"enlsp-filters-{controls}"], data={"options": json.dumps(options)})
    badge_classes_ = " ".join(badge_classes("secondary", outline=True))
    for ident, label in d.editions:
        group = [p for p in d.papers if p.edition == ident]
        if not group:
            continue
        items = [_LISTED.format(edition=p.edition, presentation=p.presentation, track=p.track, award="yes" if p.award else "no",
                                href=page.href(p.path), title=rich_markup(p.title), authors=p.authors,
                                badges=BADGE.format(classes=badge_classes_, label=p.presentation_label)) for p in group]
        listing = flag_math(fragment(Markup('<ul class="enlsp-paper-list">\n{}</ul>\n').format(Markup("").join(items)),
                                     "\n".join(f"{latex.plain(p.title)}\n{p.authors}" for p in group)), *(p.title for p in group))
        out += section(f"{label} ({len(group)})", f"edition-{ident}", listing, classes=["enlsp-paper-group"])
    return [out]


def _choices(pairs: Iterable[tuple[str, str]]) -> list[list[str]]:
    """Each filter value once, with the first label given for it."""
    seen: dict[str, str] = {}
    for value, label in pairs:
        seen.setdefault(value, label)
    return [[value, label] for value, label in seen.items()]


def _person_pages(s: SeriesSite) -> list[tuple[str, str | None]]:
    return [(paths.docname(paths.author_page(slug)), slug) for slug in s.people]


@dataclass(frozen=True)
class SeriesPersonShows(Shown):
    """What a person's page of the series shows: the person, across the years."""

    person: SeriesPerson


def _person_shows(s: SeriesSite, slug: str | None) -> SeriesPersonShows:
    return SeriesPersonShows(person=s.people[required(slug)])


def _person_render(page: Page, d: SeriesPersonShows) -> list[nodes.Node]:
    p = d.person
    out = section(p.name, "person")
    if p.orcid:
        out += para(strong("ORCID: "), link(p.orcid, f"https://orcid.org/{p.orcid}", external=True))
    if p.url:
        out += para(strong("Web: "), link(p.url, p.url, external=True))
    if p.variants:
        out += para(strong("Also written: "), "; ".join(p.variants))
    for year in p.years:
        body: list[nodes.Node] = [para(*[x for r in year.roles for x in (badge(r, "secondary", outline=True), text(" "))])]
        if year.affiliations:
            body.append(para(strong("Affiliation: " if len(year.affiliations) == 1 else "Affiliations: "), "; ".join(year.affiliations)))
        items = []
        for work in year.works:
            item = para(badge(work.detail or work.kind.title(), "info", outline=True), text(" "), link(inline(*rich(work.title)), page.href(work.path)))
            if work.authors:
                authors = inline(classes=["enlsp-list-authors"])
                for n, (name, slug) in enumerate(work.authors):
                    if n:
                        authors += text(", ")
                    authors += text(name) if slug == p.slug else link(name, page.href(paths.author_page(slug)))
                item += text(" — ")
                item += authors
            items.append(item)
        if items:
            body.append(bullet_list(items, classes=["enlsp-person-works"]))
        out += section(year.label, f"edition-{year.edition}", *body)
    return [out]


#: kind name -> the series' page kind (a kind's own `Shown` is checked where it is declared)
SERIES_PAGES: dict[str, PageKind[SeriesSite, Any]] = {k.name: k for k in (
    PageKind("series-home", _home_pages, _home_shows, _home_render),
    PageKind("series-people", _people_pages, _people_shows, _people_render),
    PageKind("series-papers", _papers_pages, _papers_shows, _papers_render),
    PageKind("series-person", _person_pages, _person_shows, _person_render, orphan=True, one_item=True),
)}
