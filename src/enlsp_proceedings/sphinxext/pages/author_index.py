"""The people index (``authors/index``, only when the volume names people): everyone, A to Z,
with their roles and a contributors/committee filter."""

from __future__ import annotations

import json
from dataclasses import dataclass

from docutils import nodes

from enlsp_proceedings import paths
from enlsp_proceedings.model.people import role_label
from enlsp_proceedings.model.schema import Labels
from enlsp_proceedings.outputs.volume import Volume
from enlsp_proceedings.sphinxext.pages.common import Page, PageKind, Shown, az_jump, by_letter, letter_anchor
from enlsp_proceedings.sphinxext.widgets import bullet_list, data_container, inline, link, para, section

#: Roles that put a person among the "authors and speakers" of the authors index.
CONTRIBUTOR_ROLES = {"author", "speaker", "invited", "panelist", "moderator"}


def pages(v: Volume) -> list[tuple[str, str | None]]:
    """The index, if the volume names anyone."""
    return [(paths.docname(paths.PEOPLE_INDEX), None)] if v.people.by_slug else []


@dataclass(frozen=True)
class AuthorIndexShows(Shown):
    """What the people index shows."""

    labels: Labels
    #: (name, slug, roles, sorting name) of everyone, in sorting order
    people: list[tuple[str, str, list[str], str]]


def shows(v: Volume, ident: str | None = None) -> AuthorIndexShows:
    """Everyone's name, page, roles and sorting letter, and the labels."""
    return AuthorIndexShows(labels=v.workshop.labels, people=[(r.name, r.slug, r.roles, r.sort_key[0]) for r in v.people.sorted()])


def render(page: Page, d: AuthorIndexShows) -> list[nodes.Node]:
    """The people index body."""
    out = section(d.labels.authors, "authors")
    records = d.people
    contributors = [r for r in records if set(r[2]) & CONTRIBUTOR_ROLES]
    others = len(records) - len(contributors)
    out += para(f"{len(records)} people: {len(contributors)} authors and speakers"
                + (f", and {others} organizers, volunteers and committee members who are not" if others else "") + ".")
    if contributors and others:
        # filled in by enlsp-filters.js; without JavaScript everyone is listed, with their roles
        out += data_container(classes=["enlsp-filters", "enlsp-people-filter"], data={"options": json.dumps(
            {"group": [["contributor", f"Authors and speakers ({len(contributors)})"], ["committee", f"Organizers and committee only ({others})"]]})})
    groups = by_letter(records, lambda r: r[3])
    out += az_jump(list(groups))
    for letter, group_records in groups.items():
        items = []
        for name, slug, roles, _sort in group_records:
            shown_roles = ", ".join(role_label(r, d.labels) for r in roles)
            group = "contributor" if set(roles) & CONTRIBUTOR_ROLES else "committee"
            items.append(para(link(name, page.person_href(slug)), inline(f" — {shown_roles}", classes=["enlsp-roles"]),
                              classes=[f"enlsp-group-{group}"]))
        out += section(letter, letter_anchor(letter), bullet_list(items, classes=["enlsp-people-list"]))
    return [out]


KIND = PageKind("author-index", pages, shows, render)
