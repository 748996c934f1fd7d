"""The keynotes list (``keynotes/index``): a card per keynote, and the invited speakers without a talk."""

from __future__ import annotations

from dataclasses import dataclass

from docutils import nodes

from enlsp_proceedings import paths
from enlsp_proceedings.model.schema import Keynote
from enlsp_proceedings.outputs.volume import Volume
from enlsp_proceedings.sphinxext.pages.common import Page, PageKind, PersonRef, Shown, person_refs
from enlsp_proceedings.sphinxext.widgets import bullet_list, grid, para, section


@dataclass(frozen=True)
class KeynoteListShows(Shown):
    """What the keynotes list shows."""

    heading: str
    keynotes: list[Keynote]
    #: the invited speakers without a talk
    invited: list[PersonRef]


def shows(v: Volume, ident: str | None = None) -> KeynoteListShows:
    """The section's label, the keynotes, the invited speakers without a talk."""
    return KeynoteListShows(heading=v.workshop.labels.keynotes, keynotes=list(v.proc.keynotes), invited=person_refs(v, v.proc.invited_speakers_without_talk))


def render(page: Page, d: KeynoteListShows) -> list[nodes.Node]:
    """The keynotes list body."""
    out = section(d.heading, "keynote-talks")
    out += grid([page.keynote_card(k) for k in d.keynotes], "1 1 2 3")
    if d.invited:
        items = [page.person_link(p) for p in d.invited]
        out += section("Also invited", "also-invited", para("Confirmed speakers without a talk in the program:"), bullet_list(items))
    return [out]


def pages(v: Volume) -> list[tuple[str, str | None]]:
    """The list, if the edition has a keynote or an invited speaker."""
    return [(paths.docname(paths.KEYNOTES_INDEX), None)] if v.proc.has_keynote_list else []


KIND = PageKind("keynote-list", pages, shows, render)
