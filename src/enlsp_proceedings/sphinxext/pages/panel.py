"""The panel's page (``panel``, only when the workshop has a panel): when, description, moderator, panelists."""

from __future__ import annotations

from dataclasses import dataclass

from docutils import nodes

from enlsp_proceedings import paths
from enlsp_proceedings.outputs.volume import Volume
from enlsp_proceedings.sphinxext.pages.common import (
    Page,
    PageKind,
    PersonRef,
    Shown,
    When,
    person_ref,
    person_refs,
    star_button,
    star_key,
    when,
)
from enlsp_proceedings.sphinxext.widgets import bullet_list, para, paragraphs, section, strong


def pages(v: Volume) -> list[tuple[str, str | None]]:
    """The panel page, if there is a panel."""
    return [(paths.docname(paths.PANEL), None)] if v.proc.panel else []


@dataclass(frozen=True)
class PanelShows(Shown):
    """What the panel's page shows."""

    id: str
    title: str
    description: str
    when: When | None
    moderator: PersonRef | None
    panelists: list[PersonRef]


def shows(v: Volume, ident: str | None = None) -> PanelShows:
    """The panel, its slot, its moderator and panelists."""
    panel = v.proc.panel
    if panel is None:
        raise KeyError("panel")
    return PanelShows(id=panel.id, title=panel.title, description=panel.description, when=when(v, v.slot("panel", panel.id)),
                      moderator=person_ref(v, panel.moderator) if panel.moderator else None, panelists=person_refs(v, panel.panelists))


def render(page: Page, d: PanelShows) -> list[nodes.Node]:
    """The panel page body."""
    out = section(d.title, "panel")
    out += para(star_button(star_key("panel", d.id), "My list"), classes=["enlsp-actions"])
    if d.when:
        out += page.when_line(d.when)
    if d.description:
        out.extend(paragraphs(d.description))
    if d.moderator:
        out += para(strong("Moderator: "), page.person_link(d.moderator))
    out += section("Panelists", "panelists", bullet_list([page.person_link(p) for p in d.panelists]))
    return [out]


KIND = PageKind("panel", pages, shows, render, orphan=True)
