"""A person's page (``authors/<slug>``): roles, affiliations, ORCID, web page, other spellings,
their papers as cards, their talks, their co-authors."""

from __future__ import annotations

from dataclasses import dataclass

from docutils import nodes

from enlsp_proceedings import paths
from enlsp_proceedings.model.people import PersonRecord, role_label
from enlsp_proceedings.model.schema import Keynote, Labels
from enlsp_proceedings.outputs.volume import Volume
from enlsp_proceedings.sphinxext.pages.common import Card, Page, PageKind, Shown, paper_card, required
from enlsp_proceedings.sphinxext.widgets import badge, bullet_list, grid, link, para, section, strong, text


def pages(v: Volume) -> list[tuple[str, str | None]]:
    """One page per person (none for an edition of a series: the series has one page per person across the years)."""
    if v.series is not None:
        return []
    return [(paths.docname(paths.author_page(slug)), slug) for slug in v.people.by_slug]


@dataclass(frozen=True)
class AuthorShows(Shown):
    """What a person's page shows."""

    record: PersonRecord
    labels: Labels
    #: their papers' cards
    cards: list[Card]
    keynotes: list[Keynote]
    #: (the panel's title, "Moderator" or "Panelist") when they are on the panel
    panel: tuple[str, str] | None
    #: (name, slug) of each co-author
    coauthors: list[tuple[str, str]]


def shows(v: Volume, slug: str | None) -> AuthorShows:
    """The person's record, their papers' cards, their keynotes, their panel role, their co-authors' names, the labels."""
    record = v.people.by_slug[required(slug)]
    panel = v.proc.panel
    role = ("Moderator" if "moderator" in record.roles else "Panelist") if panel and {"panelist", "moderator"} & set(record.roles) else None
    return AuthorShows(
        record=record, labels=v.workshop.labels,
        cards=[paper_card(v, i) for i in record.papers],
        keynotes=[v.keynotes_by_id[i] for i in record.keynotes],
        panel=(panel.title, role) if panel and role else None,
        coauthors=[(v.people.by_slug[s].name, s) for s in record.coauthors],
    )


def render(page: Page, d: AuthorShows) -> list[nodes.Node]:
    """The person page body."""
    record = d.record
    out = section(record.name, "person")
    out += para(*[x for r in record.roles for x in (badge(role_label(r, d.labels), "secondary", outline=True), text(" "))])
    if record.affiliations:
        out += para(strong("Affiliation: " if len(record.affiliations) == 1 else "Affiliations: "), "; ".join(record.affiliations))
    if record.orcid:
        out += para(strong("ORCID: "), link(record.orcid, f"https://orcid.org/{record.orcid}", external=True))
    if record.url:
        out += para(strong("Web: "), link(record.url, record.url, external=True))
    if record.variants:
        out += para(strong("Also written: "), "; ".join(record.variants))
    if d.cards:
        out += section("Papers", "papers", grid([page.paper_card(c) for c in d.cards], "1 1 2 2"))
    talks: list[nodes.Node] = []
    if d.keynotes:
        talks.append(grid([page.keynote_card(k) for k in d.keynotes], "1 1 2 2"))
    if d.panel:
        title, role = d.panel
        talks.append(para(badge("Panel", "info"), " ", link(title, page.href(paths.PANEL)), f" ({role})"))
    if talks:
        out += section("Talks", "talks", *talks)
    if d.coauthors:
        items = [link(name, page.person_href(slug)) for name, slug in d.coauthors]
        more = [para(f"… and more co-authors than the {len(items)} listed here: see the papers above.")] if record.more_coauthors else []
        out += section("Co-authors", "coauthors", bullet_list(items, classes=["enlsp-people-list"]), *more)
    return [out]


KIND = PageKind("author", pages, shows, render, orphan=True, one_item=True)
