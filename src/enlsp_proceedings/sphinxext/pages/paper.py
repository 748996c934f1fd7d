"""A paper's page (``papers/<id>``): authors, badges, when it is presented, the PDF and links,
the abstract, citations in four formats, errata, and the correction box."""

from __future__ import annotations

from dataclasses import dataclass

from docutils import nodes

from enlsp_proceedings import paths
from enlsp_proceedings.model.codes import Code
from enlsp_proceedings.model.schema import UNKNOWN_AUTHORS_NOTE, Paper, Workshop
from enlsp_proceedings.outputs import citation
from enlsp_proceedings.outputs.citation import PaperCitation
from enlsp_proceedings.outputs.volume import PdfStatus, Volume
from enlsp_proceedings.sphinxext.pages.common import (
    LINK_LABELS,
    Page,
    PageKind,
    PersonRef,
    Shown,
    When,
    person_refs,
    required,
    session_when,
    shown_authors,
    star_button,
    star_key,
    unavailable,
    when,
)
from enlsp_proceedings.sphinxext.richtext import rich_paragraphs, rich_title
from enlsp_proceedings.sphinxext.widgets import (
    admonition,
    bullet_list,
    button,
    code_block,
    element,
    inline,
    link,
    para,
    section,
    strong,
    tab_set,
    text,
    thumbnail_img,
)


def pages(v: Volume) -> list[tuple[str, str | None]]:
    """One page per paper."""
    return [(paths.docname(paths.paper_page(p.id)), p.id) for p in v.proc.papers]


@dataclass(frozen=True)
class PaperShows(Shown):
    """What a paper's page shows (the paper and the workshop are its citation record's)."""

    #: what its citations say, in every format (the downloads are made from the same record)
    citation: PaperCitation
    #: its PDF's status (None: no PDF was ever submitted)
    status: PdfStatus | None
    authors: list[PersonRef]
    badges: list[tuple[str, str, bool]]
    #: its talk's slot, if it has one
    when: When | None
    #: the poster sessions that list it
    sessions: list[When]
    #: the workshop has taken place (`Volume.held`)
    held: bool

    @property
    def paper(self) -> Paper:
        """The paper."""
        return self.citation.paper

    @property
    def workshop(self) -> Workshop:
        """The workshop."""
        return self.citation.workshop


def shows(v: Volume, paper_id: str | None) -> PaperShows:
    """The paper, its PDF's status, its authors, badges, slot and poster sessions, the workshop, its citation."""
    paper_id = required(paper_id)
    paper = v.papers_by_id[paper_id]
    return PaperShows(citation=v.paper_citation(paper), status=v.pdfs.get(paper_id), authors=person_refs(v, paper.authors),
                      badges=page_badges(v.workshop, paper), when=when(v, v.slot("paper", paper_id)),
                      sessions=[session_when(v, s) for s in v.poster_sessions(paper_id)], held=v.held)


def page_badges(workshop: Workshop, paper: Paper) -> list[tuple[str, str, bool]]:
    """The badges of a paper's page: its award, and "Non-archival" once. Not its presentation and
    track, which the "Presentation: … · Track: …" line below them names."""
    specs = [(paper.award, "warning", False)] if paper.award else []  # shown with the theme's trophy icon
    if not workshop.archival:
        specs.append(("Non-archival", "secondary", True))
    return specs


def render(page: Page, d: PaperShows) -> list[nodes.Node]:
    """The paper page body."""
    paper, status, w = d.paper, d.status, d.workshop
    paper_id = paper.id
    out = rich_title(paper.title, "paper", classes=["enlsp-paper"])
    shown, more = shown_authors(d.authors)
    out += page.people_line(shown, more=more, more_href=f"#{paths.ALL_AUTHORS}")
    if not paper.authors:
        out += para(UNKNOWN_AUTHORS_NOTE, classes=["enlsp-authors-note"])
    # what a reader came for, right under the title and authors, on a phone's first screen too:
    # the PDF, the citation, the star of the reading list, then the other files and links
    actions = para(classes=["enlsp-actions"])
    if status is not None and status.published:
        actions += button(f"PDF ({status.pages} page{'s' if status.pages != 1 else ''})", f"{paper_id}.pdf", outline=False, download=True)
        actions += text(" ")
    actions += button("Cite", "#cite")
    actions += text(" ")
    actions += star_button(star_key("paper", paper_id), "My list")
    actions += text(" ")
    if status and status.supplementary:
        size = f", {status.supplementary_size / 2**20:.1f} MB" if status.supplementary_size else ""
        kind = status.supplementary.rsplit(".", 1)[-1].upper()
        actions += button(f"{w.labels.supplementary} ({kind}{size})", status.supplementary, download=True)
        actions += text(" ")
    for kind, url in paper.links.items():
        actions += button(LINK_LABELS[kind], url, external=True)
        actions += text(" ")
    out += actions
    if status is not None and status.published and status.thumbnail:
        # the first page, linking to the PDF (the alt text names the link's target)
        out += para(link(thumbnail_img(status.thumbnail.rsplit("/", 1)[-1], status.thumb_size, alt="First page of the PDF", classes="enlsp-thumb enlsp-thumb-paper"),
                         f"{paper_id}.pdf", classes=["enlsp-thumb-link"]), classes=["enlsp-thumb-holder"])
    if d.badges:
        out += page.paper_badges(paper, d.badges)
    if paper.errata:
        latest = max(e.date for e in paper.errata)
        out += para(inline("Revised", classes=["enlsp-revised-label"]), " This page was corrected on ",
                    element("time", f"{latest.day} {latest:%B %Y}", datetime=latest.isoformat()), ". ",
                    link("See the revision history", "#errata"), ".", classes=["enlsp-revised"])
    out += para(strong("Presentation: "), w.presentation(paper.presentation).label, " · ", strong("Track: "), w.track(paper.track).name)
    if d.when:
        out += page.when_line(d.when)
    for session in d.sessions:
        out += page.when_line(session)
    if status and status.published and status.review_note:  # the organizers chose to publish the review copy
        out += admonition("note", "About this PDF", [para(status.review_note)])
    if not (status and status.published):
        # once the workshop has taken place, no camera-ready is coming: not "not yet"
        body = [para("The camera-ready PDF of this paper is not available." if d.held else "The camera-ready PDF of this paper is not yet available.")]
        problems = [p for p in (status.problems if status else []) if p["code"] != Code.PDF_MISSING]
        if problems:
            body.append(para("The submitted file could not be published: ", "; ".join(p["message"] for p in problems), "."))
        out += admonition("note", unavailable(True) if d.held else "Camera-ready not yet available", body)
    out += section("Abstract", "abstract", *rich_paragraphs(paper.abstract))
    # a long list is cited by its first authors "and others" here; the files list every one
    cited = d.citation.first_authors(len(shown)) if more else d.citation
    ris = (code_block(citation.ris(d.citation)) if not more
           else para(f"The RIS file lists all {len(d.authors):,} authors: download it below."))
    tabs = tab_set([
        ("BibTeX", [code_block(citation.bibtex(cited), "bibtex")]),
        ("ACL", [code_block(citation.acl(cited))]),
        ("Markdown", [code_block(citation.markdown(cited), "markdown")]),
        ("RIS", [ris]),
    ], classes=["enlsp-cite"])
    note = [para(f"These citations name the first {len(shown)} of the {len(d.authors):,} authors; the files list them all.",
                 classes=["enlsp-cite-note"])] if more else []
    out += section("Cite", "cite", tabs, *note, page.cite_downloads(paper_id, ("bib", "ris", "csl.json")))
    if more:  # a long list, written in full once: here (cards, lists and person pages show its start)
        out += section(f"All {len(d.authors):,} authors", paths.ALL_AUTHORS,
                       bullet_list([page.person_link(person) for person in d.authors], classes=["enlsp-people-list", "enlsp-all-authors"]))
    if paper.errata:
        items: list[nodes.Node | list[nodes.Node]] = [[para(element("time", f"{e.date.day} {e.date:%B %Y}", datetime=e.date.isoformat(), class_="enlsp-date"), classes=["enlsp-erratum-date"]),
                  para(e.note, classes=["enlsp-erratum-note"])]
                 for e in sorted(paper.errata, key=lambda e: e.date, reverse=True)]
        out += section("Errata and revisions", "errata", para("Changes made since the paper was first published here, newest first."),
                       bullet_list(items, classes=["enlsp-errata"]))
    out += page.correction_section(w, f"Correction: {paper.title} ({paper.id})", paths.paper_page(paper.id))
    return [out]


KIND = PageKind("paper", pages, shows, render, orphan=True, one_item=True)
