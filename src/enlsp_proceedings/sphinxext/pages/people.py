"""The people page (``people``): organizers, volunteers, the technical committee, the panel."""

from __future__ import annotations

from dataclasses import dataclass

from docutils import nodes

from enlsp_proceedings import paths
from enlsp_proceedings.outputs.volume import Volume
from enlsp_proceedings.sphinxext.pages.common import Page, PageKind, PersonRef, Shown, person_refs
from enlsp_proceedings.sphinxext.widgets import bullet_list, link, para, section


@dataclass(frozen=True)
class PeopleShows(Shown):
    """What the people page shows."""

    heading: str
    #: (anchor, heading, members) of each group
    groups: list[tuple[str, str, list[PersonRef]]]
    #: the panel's title and panelists, if there is a panel
    panel: tuple[str, list[PersonRef]] | None


def shows(v: Volume, ident: str | None = None) -> PeopleShows:
    """The section's label, each group's members, the panel's title and panelists."""
    groups = v.proc.people
    panel = v.proc.panel
    return PeopleShows(
        heading=v.workshop.labels.people,
        groups=[(ident, title, person_refs(v, members)) for ident, title, members in (
            ("organizers", "Organizers", groups.organizers),
            ("volunteers", "Volunteers", groups.volunteers),
            ("technical-committee", "Technical committee", groups.technical_committee),
        )],
        panel=(panel.title, person_refs(v, panel.panelists)) if panel else None,
    )


def render(page: Page, d: PeopleShows) -> list[nodes.Node]:
    """The people page body."""
    out = section(d.heading, "people")
    for ident, title, members in d.groups:
        if members:
            out += section(title, ident, bullet_list([page.person_link(p) for p in members], classes=["enlsp-people-list"]))
    if d.panel:
        title, panelists = d.panel
        out += section(title, "panel", para(link("About the panel", page.href(paths.PANEL))), bullet_list([page.person_link(p) for p in panelists]))
    return [out]


def pages(v: Volume) -> list[tuple[str, str | None]]:
    """The page, if the edition names an organizer, a volunteer, a committee member or a panel."""
    return [("people", None)] if v.proc.has_people_page else []


KIND = PageKind("people", pages, shows, render)
