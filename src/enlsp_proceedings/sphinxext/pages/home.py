"""The home page (``index``): the workshop's hero, keynote speakers, the accepted papers as
compact title lists by presentation, important dates, sponsors, and the section cards."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from docutils import nodes
from markupsafe import Markup

from enlsp_proceedings import paths
from enlsp_proceedings.model.schema import Keynote, Sponsor, Workshop
from enlsp_proceedings.outputs.volume import PdfCounts, Volume
from enlsp_proceedings.sphinxext.pages import author_index, cfp, keynote_list, paper_list, people, schedule
from enlsp_proceedings.sphinxext.pages.common import (
    BADGE,
    LIST_ITEM,
    SECTIONS,
    TROPHY,
    Page,
    PageKind,
    Shown,
    author_names,
    count,
    paper_groups,
    single,
)
from enlsp_proceedings.sphinxext.richtext import flag_math, rich_markup
from enlsp_proceedings.sphinxext.widgets import (
    badge,
    badge_classes,
    bullet_list,
    button,
    card,
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

#: One line under each section card on the home page.
SECTION_BLURBS = {
    paths.docname(paths.PAPERS_INDEX): "Every accepted paper with its abstract, PDF and citation.",
    paths.docname(paths.KEYNOTES_INDEX): "Abstracts and speaker biographies.",
    "schedule": "The program, in the workshop's time zone.",
    paths.docname(paths.PEOPLE_INDEX): "Authors, speakers and organizers, with their papers.",
    "people": "Organizers, volunteers and the technical committee.",
    "cfp": "Topics and submission instructions.",
}

#: The home page lists at most this many papers of a kind before "Show N more".
HOME_LIST_SHOWN = 10
_HOME_LIST_LONG = Markup(
    '<ul class="enlsp-paper-list">\n{shown}</ul>\n'
    '<details class="enlsp-more"><summary>{summary}</summary>\n<ul class="enlsp-paper-list">\n{rest}</ul>\n</details>\n'
)


class ListedPaper(NamedTuple):
    """A paper in the home page's title lists."""

    id: str
    title: str
    award: str | None
    presentation: str
    authors: str
    published: bool


def sections(volume: Volume) -> list[str]:
    """The section pages this volume has, in navigation order: those their kinds make of it. An
    edition whose program, keynotes, people or call are not in ``conf/`` yet has no page for them,
    rather than an empty one (and no link to it: menu, home, series home)."""
    made = {doc for kind in (paper_list.KIND, keynote_list.KIND, schedule.KIND, author_index.KIND, people.KIND, cfp.KIND)
            for doc, _ident in kind.pages(volume)}
    return [d for d in SECTIONS if d in made]


@dataclass(frozen=True)
class HomeShows(Shown):
    """What the home page shows."""

    workshop: Workshop
    keynotes: list[Keynote]
    #: the workshop has a panel
    panel: bool
    #: the section pages, in navigation order (`sections`)
    sections: list[str]
    papers: list[ListedPaper]
    #: papers, published PDFs, review copies (`Volume.pdf_counts`)
    counts: tuple[int, int, int]
    #: in a series: its short name, every edition (id, short name, date) newest first, this edition, the series' root
    series: tuple[str, tuple[tuple[str, str, str], ...], str, str] | None


def shows(v: Volume, ident: str | None = None) -> HomeShows:
    """The workshop, its keynotes, a line per paper, whether there is a panel, the sections."""
    proc = v.proc
    return HomeShows(
        workshop=v.workshop, keynotes=list(proc.keynotes), panel=bool(proc.panel), sections=sections(v),
        papers=[ListedPaper(p.id, p.title, p.award, p.presentation, author_names(v, p), bool((s := v.pdfs.get(p.id)) and s.published)) for p in proc.papers],
        counts=(v.pdf_counts.papers, v.pdf_counts.published, v.pdf_counts.review_copies),
        series=(v.series.series_short_name, v.series.editions, v.series.edition, v.series.root) if v.series else None,
    )


def render(page: Page, d: HomeShows) -> list[nodes.Node]:
    """The home page body."""
    w = d.workshop
    hero = nodes.container(classes=["enlsp-hero"])
    hero += para(f"{w.short_name} · {w.venue} workshop", classes=["enlsp-kicker"])
    facts = para(classes=["enlsp-facts"])
    facts += inline(element("span", class_="fa-solid fa-calendar-days", aria_hidden="true"), " ",
                    element("time", f"{w.date:%A} {w.date.day} {w.date:%B %Y}", datetime=w.date.isoformat()), classes=["enlsp-fact"])
    facts += inline(element("span", class_="fa-solid fa-location-dot", aria_hidden="true"), " ", ", ".join(x for x in (w.location, w.room) if x), classes=["enlsp-fact"])
    if w.format:
        facts += inline(element("span", class_="fa-solid fa-video", aria_hidden="true"), " ", w.format, classes=["enlsp-fact"])
    hero += facts
    stats = []
    if d.papers:
        stats.append(f"{len(d.papers)} accepted paper{'s' if len(d.papers) != 1 else ''}")
    if d.keynotes:
        stats.append(f"{len(d.keynotes)} {w.labels.keynote.lower()}{'s' if len(d.keynotes) != 1 else ''}")
    if d.panel:
        stats.append("a panel discussion")
    if stats:
        hero += para(" · ".join(stats), classes=["enlsp-stats"])
    if not w.archival:
        hero += para(badge("Non-archival", "secondary"), " Accepted papers are hosted here but are not formal publications; authors may publish them elsewhere.", classes=["enlsp-archival"])
    buttons = para(classes=["enlsp-hero-buttons"])
    for path, label in ((paths.PAPERS_INDEX, w.labels.papers), (paths.SCHEDULE, w.labels.schedule), (paths.KEYNOTES_INDEX, w.labels.keynotes)):
        if paths.docname(path) not in d.sections:
            continue
        buttons += button(label, page.href(path), outline=path != paths.PAPERS_INDEX)
        buttons += text(" ")
    hero += buttons
    if d.series:
        hero += _editions_line(page, *d.series)
    out = section(w.title, "home", hero, classes=["enlsp-home"])
    if w.description:
        out += section(w.labels.about, "about", *paragraphs(w.description), classes=["enlsp-about"])
    if d.keynotes:
        out += section(w.labels.keynote_speakers, "keynote-speakers", grid([page.keynote_card(k) for k in d.keynotes], "1 2 3 4"))
    if d.papers:
        out += _papers(page, w, d.papers, d.counts)
    if w.important_dates:
        out += section(w.labels.important_dates, "important-dates", _dates_list(w))
    if w.sponsors:
        out += _sponsors(w)
    if w.overview:
        out += section(w.labels.overview, "overview", *[p for text_ in w.overview for p in paragraphs(text_)], classes=["enlsp-about"])
    cards = [card(getattr(w.labels, SECTIONS[doc]), [para(SECTION_BLURBS[doc])], page.href(doc + ".html"), classes=["enlsp-section-card"]) for doc in d.sections]
    out += section("Explore the proceedings", "explore", grid(cards, "1 2 3 3"))
    return [out]


def _editions_line(page: Page, series: str, editions: tuple[tuple[str, str, str], ...], current: str, root: str) -> nodes.paragraph:
    """"Every WXYZ edition: WXYZ-III · WXYZ-II · All editions", this one in bold."""
    line = para(f"Every {series} edition: ", classes=["enlsp-editions"])
    for n, (ident, label, _date) in enumerate(editions):
        if n:
            line += text(" · ")
        line += strong(label) if ident == current else link(label, page.href(root + paths.in_edition(ident, paths.HOME)))
    line += text(" · ")
    line += link("All editions", page.href(root + paths.HOME))
    return line


def pdf_count_sentence(counts: PdfCounts) -> str:
    """'40 papers were accepted. ...; 39 of them have their PDF published: 38 camera-ready versions
    and 1 anonymized review copy.' A review copy is never counted as a camera-ready."""
    total, published, review = counts.papers, counts.published, counts.review_copies
    accepted = f"{count(total, 'paper')} {'was' if total == 1 else 'were'} accepted. {'It' if total == 1 else 'Each'} has a page with its abstract"
    if published == total and not review:
        return f"{accepted}, the camera-ready PDF and a citation."
    lead = f"{accepted} and a citation; "
    if not published:
        return lead + ("its PDF is not published." if total == 1 else "none of them has its PDF published.")
    if not review:
        return lead + f"{published} of them {'has' if published == 1 else 'have'} their camera-ready PDF published."
    camera = counts.camera_ready
    kinds = (f"{camera} camera-ready version{'s' if camera != 1 else ''} and " if camera else "") + \
        f"{review} anonymized review cop{'ies' if review != 1 else 'y'}"
    who = "all of them have" if published == total else f"{published} of them {'has' if published == 1 else 'have'}"
    return lead + f"{who} their PDF published: {kinds}."


def _papers(page: Page, w: Workshop, papers: list[ListedPaper], counts: tuple[int, int, int]) -> nodes.section:
    """Orals, spotlights and posters as compact title lists (the cards are on the papers page)."""
    out = section(w.labels.papers, "accepted-papers")
    out += para(pdf_count_sentence(PdfCounts(*counts)))
    columns = []
    award_classes = " ".join(badge_classes("warning"))
    for _ident, heading, group in paper_groups(w, papers, lambda p: p.presentation):
        items, plain = [], []
        for paper in group:
            award = Markup(" ") + BADGE.format(classes=award_classes, label=TROPHY + paper.award) if paper.award else Markup("")
            items.append(LIST_ITEM.format(href=page.href(paths.paper_page(paper.id)), title=rich_markup(paper.title), award=award, authors=paper.authors))
            plain.append(f"{latex.plain(paper.title)}\n{paper.authors}")
        if len(items) > HOME_LIST_SHOWN + 2:  # a long list: the rest behind one click, not a page-long column
            rest = len(items) - HOME_LIST_SHOWN
            markup = _HOME_LIST_LONG.format(shown=Markup("").join(items[:HOME_LIST_SHOWN]), rest=Markup("").join(items[HOME_LIST_SHOWN:]),
                                            summary=f"Show {rest} more {heading.lower()}")
        else:
            markup = Markup('<ul class="enlsp-paper-list">\n{}</ul>\n').format(Markup("").join(items))
        listing = flag_math(fragment(markup, "\n".join(plain)), *(p.title for p in group))
        body: list[nodes.Node] = [para(strong(f"{heading} ({len(group)})"), classes=["enlsp-group-title"]), listing]
        columns.append(nodes.container("", *body, classes=["enlsp-paper-group"]))
    out += grid(columns, "1 1 2 2" if len(columns) > 1 else "1", classes=["enlsp-paper-groups"])
    out += para(button("All papers, with PDFs and filters", page.href(paths.PAPERS_INDEX), outline=True))
    return out


def _dates_list(w: Workshop) -> nodes.bullet_list:
    items = []
    for d in w.important_dates:
        line = para(element("time", f"{d.date:%a} {d.date.day} {d.date:%b %Y}", datetime=d.date.isoformat(), class_="enlsp-date"), " ",
                    inline(d.name, classes=["enlsp-date-name"]), classes=["enlsp-date-line"])
        if d.note:
            line += text(" ")
            line += inline(d.note, classes=["enlsp-date-note"])
        items.append(line)
    return bullet_list(items, classes=["enlsp-dates-list"])


def _sponsors(w: Workshop) -> nodes.section:
    out = section(w.labels.sponsors, "sponsors")
    levels: dict[str, list[Sponsor]] = {}
    for s in w.sponsors:
        levels.setdefault(s.level or "", []).append(s)
    for level, members in levels.items():
        items = [para(link(s.name, s.url, external=True) if s.url else s.name) for s in members]
        if level:
            out += para(strong(level), classes=["enlsp-group-title"])
        out += bullet_list(items, classes=["enlsp-sponsors"])
    return out


KIND = PageKind("home", single("index"), shows, render)
