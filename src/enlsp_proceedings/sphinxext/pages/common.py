"""What several page kinds share: the page-kind declaration, the render context, and the
pieces of data and widgets more than one page shows (person links, paper and keynote cards,
"When" lines, badges, author names, citation downloads, the correction box).

Every page kind declares, once, the data its page shows: a frozen dataclass deriving from
`Shown` (``PaperShows``, ``HomeShows``...), typed field by field and made by the kind's
``shows(volume, ident)``. Its `Shown.digest` (written into the page's stub by publish.sources)
hashes every value it holds, and the renderer receives exactly it, with a `Page` that knows only
the docname: a renderer has no `Volume` to reach into, so it cannot show anything the digest misses.

Author-supplied strings only ever become Text nodes or attribute values, which Sphinx's HTML
writer escapes, or values of `Markup` templates (paper cards and title lists, repeated
hundreds of times per page), which markupsafe escapes.
"""

from __future__ import annotations

import hashlib
import urllib.parse
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, NamedTuple, TypeVar

from docutils import nodes
from markupsafe import Markup, escape

from enlsp_proceedings import paths
from enlsp_proceedings.model.people import AUTHORS_SHOWN, LONG_AUTHOR_LIST
from enlsp_proceedings.model.schema import UNKNOWN_AUTHORS, Keynote, Paper, Person, Slot, Workshop
from enlsp_proceedings.outputs.volume import PdfStatus, Volume
from enlsp_proceedings.sphinxext.richtext import flag_math, rich, rich_markup
from enlsp_proceedings.sphinxext.widgets import (
    MarkupTemplate,
    badge,
    badge_classes,
    button,
    card,
    element,
    fragment,
    inline,
    link,
    para,
    rel,
    section,
    strong,
    text,
)
from enlsp_proceedings.util import latex
from enlsp_proceedings.util.digest import value_json

#: Fixed section pages of every site, in navigation order: docname -> the `model.schema.Labels` field naming it.
SECTIONS = {
    paths.docname(paths.PAPERS_INDEX): "papers",
    paths.docname(paths.KEYNOTES_INDEX): "keynotes",
    "schedule": "schedule",
    paths.docname(paths.PEOPLE_INDEX): "authors",
    "people": "people",
    "cfp": "cfp",
}

LINK_LABELS = {"code": "Code", "slides": "Slides", "poster": "Poster", "video": "Video", "arxiv": "arXiv", "openreview": "OpenReview"}


@dataclass(frozen=True)
class Shown:
    """The data one page shows: each page kind derives a frozen dataclass from this, typed field by
    field. Its renderer receives this and nothing else, and its digest covers all of it."""

    def digest(self, salt: str = "") -> str:
        """Hash of every value this page shows (the fields, serialized whole by pydantic, in
        Rust): written into the page's stub so Sphinx re-reads the page only when it changes.
        ``salt``: what else makes the page another, such as the edition of a series it is in."""
        return hashlib.sha256(salt.encode() + b"\0" + value_json(self)).hexdigest()[:16]


#: what a page kind reads its data from: a `Volume` (a workshop, or an edition) or the series' `SeriesSite`
Data = TypeVar("Data")
#: the page kind's own `Shown`
S = TypeVar("S", bound=Shown)
#: an item of a list (of people, papers, cards...)
T = TypeVar("T")


@dataclass(frozen=True)
class PageKind(Generic[Data, S]):
    """One kind of generated page: which pages it makes, what each shows, and how it renders that."""

    name: str
    #: (docname, ident) of every page of this kind (ident None for a single page)
    pages: Callable[[Data], list[tuple[str, str | None]]]
    #: the data a page shows: its digest covers this and its renderer receives only this
    shows: Callable[[Data, str | None], S]
    #: the page body, from a `Page` (links) and the data `shows` returned
    render: Callable[[Page, S], list[nodes.Node]]
    #: outside the navigation tree (reached by links only)
    orphan: bool = False
    #: a page about one item: a few short sections, no "On this page" column
    one_item: bool = False


def single(docname: str) -> Callable[[Volume], list[tuple[str, str | None]]]:
    """``pages`` of a kind with one page, always present."""
    return lambda volume: [(docname, None)]


# -- the data pages share ----------------------------------------------------------------
class PersonRef(NamedTuple):
    """A person as a page shows them: the name as the site spells it, their page, their affiliation."""

    name: str
    slug: str
    affiliation: str | None = None


class When(NamedTuple):
    """'<label>: <text, linking the slot on the schedule> (<time zone>)', and the slot's calendar file."""

    label: str
    text: str
    anchor: str
    timezone: str
    ics: str | None
    session: bool = False


def required(ident: str | None) -> str:
    """The id a one-item page needs: a missing one is reported by the directive like an unknown id."""
    if ident is None:
        raise KeyError("(none given)")
    return ident


def person_ref(volume: Volume, person: Person | str) -> PersonRef:
    """A `Person` (shown with their affiliation) or a bare name (shown without)."""
    name = person if isinstance(person, str) else person.name
    return PersonRef(volume.proc.canonical_name(name), volume.people.slug(name), None if isinstance(person, str) else person.affiliation)


def person_refs(volume: Volume, persons: Sequence[Person | str]) -> list[PersonRef]:
    """`person_ref` of each."""
    return [person_ref(volume, p) for p in persons]


def when(volume: Volume, slot: Slot | None) -> When | None:
    """The 'When' line of a talk's slot (None without a slot)."""
    if slot is None:
        return None
    return When("When", volume.slot_label(slot), volume.slot_anchor(slot), volume.workshop.timezone, volume.slot_ics_path(slot))


def session_when(volume: Volume, slot: Slot) -> When:
    """'Poster session: <title>, <when>' on the page of a paper the session shows."""
    return When(volume.workshop.labels.poster_session, f"{slot.title}, {volume.slot_label(slot)}", volume.slot_anchor(slot),
                volume.workshop.timezone, volume.slot_ics_path(slot), session=True)


def shown_authors(people: list[T]) -> tuple[list[T], int]:
    """(the people to show, how many more there are): a list longer than `LONG_AUTHOR_LIST` is
    cut to its first `AUTHORS_SHOWN` (the paper's page lists them all, once)."""
    if len(people) > LONG_AUTHOR_LIST:
        return people[:AUTHORS_SHOWN], len(people) - AUTHORS_SHOWN
    return people, 0


def count(n: int, word: str) -> str:
    """'1 paper', '2 papers', '0 papers'."""
    return f"{n} {word}{'' if n == 1 else 's'}"


def more_authors(more: int) -> str:
    """What stands for the authors left out of a long list: 'and 1,990 more'."""
    return f"and {more:,} more"


def author_names(volume: Volume, paper: Paper) -> str:
    """The paper's authors as one line of text (as the site spells them; a long list cut,
    `shown_authors`), or that they are unknown."""
    authors, more = shown_authors(paper.authors)
    names = ", ".join(volume.proc.canonical_name(a.name) for a in authors) or UNKNOWN_AUTHORS
    return f"{names}, {more_authors(more)}" if more else names


def badge_specs(workshop: Workshop, paper: Paper) -> list[tuple[str, str, bool]]:
    """(label, colour, outline) of a paper card's badges: its presentation first, its track (after
    the first), its award. Not "Non-archival": it is true of every paper, so the pages say it once
    (the home page, each paper's page), not on every card."""
    specs = [(workshop.presentation(paper.presentation).label, "primary", False)]
    if len(workshop.track_list) > 1 and paper.track != workshop.track_list[0].id:
        specs.append((workshop.track(paper.track).name, "info", False))
    if paper.award:
        specs.append((paper.award, "warning", False))  # shown with the theme's trophy icon
    return specs


def unavailable(held: bool) -> str:
    """What a paper without a published PDF says of it: pending while the workshop is to come,
    simply not available once it has taken place (`Volume.held`)."""
    return "Camera-ready not available" if held else "Camera-ready pending"


def star_key(kind: str, ident: str) -> str:
    """The reading list's name of a paper, keynote or panel (``paper:<id>``): what a star button
    stores, and what the My list page (enlsp-mylist.js) turns into the item's files."""
    return f"{kind}:{ident}"


def star_button(key: str, label: str = "") -> nodes.Node:
    """A star that keeps the item in the reader's list (enlsp.js wires it up: aria-pressed, and
    for a star without a label the name of its item; unwired, without JavaScript, it is invisible).
    With a label, it looks like the buttons beside it."""
    if not label:
        return fragment(STAR.format(key=key), "")
    return fragment(STAR_LABELLED.format(key=key, label=label), label)


@dataclass(frozen=True)
class Card:
    """What a paper's card shows (paper lists, author pages): one per paper per volume (`paper_card`),
    hashed whole in the digest of every page that shows it."""

    paper: Paper
    status: PdfStatus | None
    authors: list[PersonRef]
    badges: list[tuple[str, str, bool]]
    held: bool = False
    #: authors a long list leaves out (`shown_authors`)
    more: int = 0


def paper_card(volume: Volume, paper_id: str) -> Card:
    """The card of a paper, built once per volume (a long author list cut, `shown_authors`)."""
    def make() -> Card:
        paper = volume.papers_by_id[paper_id]
        authors, more = shown_authors(paper.authors)
        return Card(paper, volume.pdfs.get(paper_id), [PersonRef(volume.proc.canonical_name(a.name), volume.people.slug(a.name)) for a in authors],
                    badge_specs(volume.workshop, paper), volume.held, more)
    return volume.memo(("card", paper_id, volume.held), make)


def paper_groups(workshop: Workshop, items: list[T], presentation: Callable[[T], str]) -> list[tuple[str, str, list[T]]]:
    """(anchor, heading, items): papers by kind of presentation, every track included (tracks are
    badges and a filter). The home page and the papers list show these groups, so their counts agree."""
    groups = [(kind.id, kind.group, [p for p in items if presentation(p) == kind.id]) for kind in workshop.presentation_list]
    return [(ident, title, group) for ident, title, group in groups if group]


def correction_url(repository: str, title: str, body: str) -> str:
    """A new-issue link with title and body prefilled (GitHub and GitLab), else the repository itself."""
    base = repository.rstrip("/")
    host = urllib.parse.urlsplit(base).hostname or ""
    if host == "github.com" or host.endswith(".github.com"):
        return f"{base}/issues/new?" + urllib.parse.urlencode({"title": title, "body": body}, quote_via=urllib.parse.quote)
    if "gitlab" in host:
        return f"{base}/-/issues/new?" + urllib.parse.urlencode({"issue[title]": title, "issue[description]": body}, quote_via=urllib.parse.quote)
    return base


def calendar_icon() -> nodes.Node:
    """The theme's Font Awesome calendar (an emoji is an empty box where no emoji font is installed)."""
    return element("span", class_="fa-regular fa-calendar-plus enlsp-icon", aria_hidden="true")


def trophy_icon() -> nodes.Node:
    """The theme's Font Awesome trophy, before an award's name."""
    return element("span", class_="fa-solid fa-trophy enlsp-icon", aria_hidden="true")


def initials(name: str) -> str:
    """'Jimmy Lin' -> 'JL' (first and last word), for the decorative speaker avatar."""
    words = [w for w in name.replace("-", " ").split() if w[:1].isalpha()]
    if not words:
        return "?"
    return (words[0][0] + (words[-1][0] if len(words) > 1 else "")).upper()


# Markup templates of repeated blocks (see widgets.fragment): their format escapes every value
# (`widgets.MarkupTemplate`). Same markup as the docutils nodes of sphinx-design's card (with
# `nodes.site_link`s) would give.
PERSON_LINK = MarkupTemplate('<a href="{href}">{name}</a>')
BADGE = MarkupTemplate('<span class="{classes}">{label}</span>')
_CARD_THUMB = MarkupTemplate('<img src="{src}" alt="" class="enlsp-thumb enlsp-thumb-card" loading="lazy" decoding="async"{size}>')
PAPER_CARD = MarkupTemplate(
    '<div class="sd-card sd-sphinx-override sd-mb-3 sd-shadow-sm sd-card-hover {classes} docutils">\n'
    '<div class="sd-card-body docutils">\n{aside}<div class="sd-card-title sd-font-weight-bold docutils">\n<p>{title}</p>\n</div>\n'
    '<p class="enlsp-authors sd-card-text">{authors}</p>\n<p class="enlsp-badges sd-card-text">{badges}</p>\n</div>\n'
    '<div class="sd-card-footer docutils">\n<p class="enlsp-card-pdf">{pdf}</p>\n</div>\n'
    '<a class="sd-stretched-link sd-hide-link-text" href="{href}"><span>{plain}</span></a></div>\n'
)
# the PDF itself, straight from the list (ACL Anthology and PMLR volumes have this link too)
_CARD_PDF = MarkupTemplate('<a href="{href}" aria-label="PDF of {title}">PDF</a>{what} · {pages} pages')
TROPHY = Markup('<span class="fa-solid fa-trophy enlsp-icon" aria-hidden="true"></span>')
#: the reading list's stars (see `star_button`): the icon is the theme's; enlsp.js fills it when pressed
_STAR_ICON = Markup('<span class="fa-regular fa-star" aria-hidden="true"></span>')
STAR = Markup('<button type="button" class="enlsp-star enlsp-star-icon" data-star="{key}">') + _STAR_ICON + Markup("</button>")
STAR_LABELLED = (Markup('<button type="button" class="sd-btn sd-btn-outline-primary enlsp-btn enlsp-star" data-star="{key}">') + _STAR_ICON
                 + Markup(" {label}</button>"))
LIST_ITEM = MarkupTemplate(
    '<li><p class="enlsp-list-title"><a href="{href}">{title}</a>{award}</p>\n'
    '<p class="enlsp-list-authors">{authors}</p>\n</li>\n'
)


class Page:
    """The render context of one page: its docname, which anchors every relative link, and the
    widgets several page kinds draw. It holds no `Volume`: what a page shows comes from its `Shown`."""

    def __init__(self, docname: str, people_root: str = ""):
        self.doc = docname
        #: where person pages are from the volume's root: "" or, in a series, the series' root ("../")
        self.people_root = people_root

    def href(self, site_path: str) -> str:
        """A link from this page to a site path."""
        return rel(self.doc, site_path)

    def person_href(self, slug: str) -> str:
        """A link from this page to a person's page (the series' one, in a series)."""
        return rel(self.doc, self.people_root + paths.author_page(slug))

    def person_link(self, person: PersonRef, with_affiliation: bool = True) -> nodes.Element:
        """The person's page link, with the affiliation after it in one ``enlsp-person`` span
        (without an affiliation, just the link: thousands of card author lists)."""
        page_link = link(person.name, self.person_href(person.slug))
        if not (with_affiliation and person.affiliation):
            return page_link
        out = inline(classes=["enlsp-person"])
        out += page_link
        out += text(" ")
        out += inline(f"({person.affiliation})", classes=["enlsp-affiliation"])
        return out

    def people_line(self, people: list[PersonRef], with_affiliation: bool = True, classes: list[str] | None = None,
                    more: int = 0, more_href: str | None = None) -> nodes.paragraph:
        """Linked names, comma-separated (or that no source names the authors), and "and N more"
        (linking ``more_href``) for the ``more`` people a long list leaves out (`shown_authors`)."""
        p = para(classes=classes or ["enlsp-authors"])
        if not people:  # a paper whose authors no source names
            p += inline(UNKNOWN_AUTHORS, classes=["enlsp-authors-unknown"])
        for i, person in enumerate(people):
            if i:
                p += text(", ")
            p += self.person_link(person, with_affiliation)
        if more:
            p += text(", ")
            p += link(more_authors(more), more_href) if more_href else text(more_authors(more))
        return p

    def when_line(self, slot: When) -> nodes.paragraph:
        """A `When` line, with the slot's calendar file if it has one."""
        line = para(strong(f"{slot.label}: "), link(slot.text, self.href(paths.schedule_anchor(slot.anchor))), f" ({slot.timezone})",
                    classes=["enlsp-slot", "enlsp-session"] if slot.session else ["enlsp-slot"])
        if slot.ics:
            line += text(" ")
            line += link(inline(calendar_icon(), "Add to calendar"), self.href(slot.ics), classes=["enlsp-ics"])
        return line

    def paper_badges(self, paper: Paper, specs: list[tuple[str, str, bool]]) -> nodes.paragraph:
        """A paper's badges (`badge_specs`) as a paragraph."""
        p = para(classes=["enlsp-badges"])
        for index, (label, color, outline) in enumerate(specs):
            if index:
                p += text(" ")
            p += inline(trophy_icon(), label, classes=badge_classes(color, outline)) if label == paper.award and color == "warning" else badge(label, color, outline)
        return p

    def paper_card(self, c: Card, grouped: bool = False) -> nodes.Node:
        """A sphinx-design card linking to the paper page, as one `fragment` (lists hold hundreds);
        ``grouped``: under a heading naming its presentation, which its badge would repeat."""
        paper, status = c.paper, c.status
        plain = latex.plain(paper.title)  # where the title is an attribute or hidden link text
        classes, aside = ["enlsp-paper-card"], Markup("")
        if status and status.thumbnail:
            # decorative: the card's title already names the paper
            size = Markup(' width="{}" height="{}"').format(*status.thumb_size) if status.thumb_size else Markup("")
            aside = _CARD_THUMB.format(src=self.href(status.thumbnail), size=size)
            classes.append("enlsp-has-thumb")
        authors = Markup(", ").join(PERSON_LINK.format(href=self.person_href(a.slug), name=a.name) for a in c.authors) or escape(UNKNOWN_AUTHORS)
        if c.more:
            authors += Markup(", ") + more_authors(c.more)
        badges = Markup(" ").join(BADGE.format(classes=" ".join(badge_classes(color, outline)), label=TROPHY + label if color == "warning" and label == paper.award else label)
                                  for label, color, outline in (c.badges[1:] if grouped else c.badges))
        if status and status.published:
            what = " (review copy)" if status.review_note else ""  # published by the organizers' choice, with its note
            pdf = f"PDF{what} · {status.pages} pages"
            pdf_markup = _CARD_PDF.format(href=self.href(paths.paper_file(paper.id, "pdf")), pages=status.pages, title=plain, what=what)
        else:
            pdf = unavailable(c.held)
            pdf_markup = Markup(pdf)  # a constant: nothing to escape
        pdf_markup += STAR.format(key=star_key("paper", paper.id))
        markup = PAPER_CARD.format(classes=" ".join(classes), aside=aside, title=rich_markup(paper.title), plain=plain, authors=authors, badges=badges, pdf=pdf_markup,
                                   href=self.href(paths.paper_page(paper.id)))
        names = ", ".join([a.name for a in c.authors] + ([more_authors(c.more)] if c.more else []))
        return flag_math(fragment(markup, f"{plain}\n{names}\n{pdf}"), paper.title)

    def keynote_card(self, keynote: Keynote) -> nodes.container:
        """A card linking to a keynote's page: speakers, avatars, affiliations, title."""
        speakers = keynote.speakers
        who = " & ".join(" ".join(x for x in (s.honorific, s.name) if x) for s in speakers)
        avatars = para(classes=["enlsp-avatar-line"])
        for speaker in speakers:
            avatars += element("span", initials(speaker.name), class_="enlsp-avatar", aria_hidden="true")
        avatars += star_button(star_key("keynote", keynote.id))
        body: list[nodes.Node] = [avatars]
        affiliations = list(dict.fromkeys(s.affiliation for s in speakers if s.affiliation))
        if affiliations:
            body.append(para("; ".join(affiliations), classes=["enlsp-affiliation"]))
        body.append(para(*rich(keynote.title), classes=["enlsp-talk-title"]))
        return card(who, body, self.href(paths.keynote_page(keynote.id)), classes=["enlsp-keynote-card"])

    @staticmethod
    def cite_downloads(ident: str, kinds: tuple[str, ...]) -> nodes.paragraph:
        """Links that save the citation files (``download``: a .bib would otherwise open as text)."""
        labels = {"bib": "BibTeX (.bib)", "ris": "RIS (.ris)", "csl.json": "CSL-JSON"}
        line = para("Download: ", classes=["enlsp-cite-downloads"])
        for index, kind in enumerate(kinds):
            if index:
                line += text(" · ")
            line += link(labels[kind], f"{ident}.{kind}", classes=["enlsp-download"], download=f"{ident}.{kind}")
        return line

    @staticmethod
    def correction_section(workshop: Workshop, title: str, site_path: str) -> nodes.section:
        """'Report a correction': a prefilled issue on the site's repository (or where to write)."""
        body = [para("Is a title, an author name, an affiliation or a link wrong on this page? Tell the organizers.")]
        if workshop.repository:
            issue_body = (f"Page: {paths.site_url(workshop.base_url, site_path)}\n\n"
                          "What is wrong:\n\n\nWhat it should say:\n\n\n"
                          "(If you are an author of this work, please say so.)\n")
            body.append(para(button("Report a correction", correction_url(workshop.repository, title, issue_body), external=True, outline=True),
                             classes=["enlsp-actions"]))
        else:
            body.append(para("Please contact the organizers of ", workshop.short_name, "."))
        return section("Report a correction", "report-a-correction", *body, classes=["enlsp-correction"])


def by_letter(items: Sequence[T], sort_name: Callable[[T], str]) -> dict[str, list[T]]:
    """People grouped by the first letter of their sorting name (others under "#"), A to Z."""
    from enlsp_proceedings.util.text import fold

    groups: dict[str, list[T]] = {}
    for item in items:
        letter = (fold(sort_name(item))[:1] or "#").upper()
        groups.setdefault(letter if letter.isalpha() else "#", []).append(item)
    return dict(sorted(groups.items()))


def letter_anchor(letter: str) -> str:
    """The anchor of one letter's section of a people index."""
    return f"letter-{letter.lower() if letter != '#' else 'other'}"


def az_jump(letters: list[str]) -> nodes.paragraph:
    """The row of letters at the top of a people index, each a link to its section."""
    jump = para(classes=["enlsp-az"])
    for letter in letters:
        jump += link(letter, f"#{letter_anchor(letter)}")
        jump += text(" ")
    return jump
