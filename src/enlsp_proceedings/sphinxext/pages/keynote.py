"""A keynote's page (``keynotes/<id>``): speakers, when, links, abstract, biography, citation, correction box."""

from __future__ import annotations

from dataclasses import dataclass

from docutils import nodes

from enlsp_proceedings import paths
from enlsp_proceedings.model.schema import Keynote, Workshop
from enlsp_proceedings.outputs import citation
from enlsp_proceedings.outputs.citation import KeynoteCitation
from enlsp_proceedings.outputs.volume import Volume
from enlsp_proceedings.sphinxext.pages.common import (
    LINK_LABELS,
    Page,
    PageKind,
    PersonRef,
    Shown,
    When,
    person_refs,
    required,
    star_button,
    star_key,
    when,
)
from enlsp_proceedings.sphinxext.richtext import rich_paragraphs, rich_title
from enlsp_proceedings.sphinxext.widgets import badge, button, code_block, para, paragraphs, section, text


def pages(v: Volume) -> list[tuple[str, str | None]]:
    """One page per keynote."""
    return [(paths.docname(paths.keynote_page(k.id)), k.id) for k in v.proc.keynotes]


@dataclass(frozen=True)
class KeynoteShows(Shown):
    """What a keynote's page shows (the keynote and the workshop are its citation record's)."""

    #: what its citation says (its downloads are made from the same record)
    citation: KeynoteCitation
    speakers: list[PersonRef]
    when: When | None

    @property
    def keynote(self) -> Keynote:
        """The keynote."""
        return self.citation.keynote

    @property
    def workshop(self) -> Workshop:
        """The workshop."""
        return self.citation.workshop


def shows(v: Volume, keynote_id: str | None) -> KeynoteShows:
    """The keynote, its speakers, its slot, the workshop, its citation."""
    keynote_id = required(keynote_id)
    keynote = v.keynotes_by_id[keynote_id]
    return KeynoteShows(citation=v.keynote_citation(keynote), speakers=person_refs(v, keynote.speakers), when=when(v, v.slot("keynote", keynote_id)))


def render(page: Page, d: KeynoteShows) -> list[nodes.Node]:
    """The keynote page body."""
    keynote, w = d.keynote, d.workshop
    out = rich_title(keynote.title, "keynote", classes=["enlsp-keynote"])
    who = para(badge(w.labels.keynote, "primary"), " ", classes=["enlsp-speaker"])
    for index, (speaker, ref) in enumerate(zip(keynote.speakers, d.speakers, strict=True)):
        if index:
            who += text(" and " if index == len(keynote.speakers) - 1 else ", ")
        if speaker.honorific:
            who += text(speaker.honorific + " ")
        who += page.person_link(ref)
    out += who
    actions = para(button("Cite", "#cite"), " ", star_button(star_key("keynote", keynote.id), "My list"), " ", classes=["enlsp-actions"])
    for kind, url in keynote.links.items():
        actions += button(LINK_LABELS[kind], url, external=True)
        actions += text(" ")
    out += actions
    if d.when:
        out += page.when_line(d.when)
    if keynote.abstract:
        out += section("Abstract", "abstract", *rich_paragraphs(keynote.abstract))
    if keynote.bio:
        about = f"About {keynote.speakers[0].name}" if len(keynote.speakers) == 1 else "About the speakers"
        out += section(about, "bio", *paragraphs(keynote.bio))
    out += section("Cite", "cite", code_block(citation.keynote_bibtex(d.citation), "bibtex"), page.cite_downloads(keynote.id, ("bib", "csl.json")),
                   classes=["enlsp-cite"])
    out += page.correction_section(w, f"Correction: {keynote.title} (keynote {keynote.id})", paths.keynote_page(keynote.id))
    return [out]


KIND = PageKind("keynote", pages, shows, render, orphan=True, one_item=True)
