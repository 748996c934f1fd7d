"""The content of every generated page, as docutils nodes built from a `Volume`.

Each function returns the page body for one docname. Author-supplied strings only
ever become Text nodes or attribute values, which Sphinx's HTML writer escapes, or
values of `Markup` templates (paper cards and title lists, repeated hundreds of times
per page), which markupsafe escapes.
"""

from __future__ import annotations

import json
import urllib.parse

from docutils import nodes
from markupsafe import Markup, escape

from enlsp_proceedings.model.people import fold, role_label
from enlsp_proceedings.model.schema import UNKNOWN_AUTHORS, UNKNOWN_AUTHORS_NOTE, Keynote, Paper, Person
from enlsp_proceedings.outputs import cite
from enlsp_proceedings.outputs.ics import slot_ics_path, slot_page
from enlsp_proceedings.outputs.volume import Volume
from enlsp_proceedings.sphinxext.widgets import (
    admonition,
    badge,
    badge_classes,
    bullet_list,
    button,
    card,
    code_block,
    data_container,
    element,
    fragment,
    grid,
    inline,
    link,
    para,
    paragraphs,
    rel,
    section,
    strong,
    tab_set,
    table,
    text,
    thumbnail_img,
)

#: Roles that put a person among the "authors and speakers" of the authors index.
CONTRIBUTOR_ROLES = {"author", "speaker", "invited", "panelist", "moderator"}
LINK_LABELS = {"code": "Code", "slides": "Slides", "poster": "Poster", "video": "Video", "arxiv": "arXiv", "openreview": "OpenReview"}

#: One line under each section card on the home page.
SECTION_BLURBS = {
    "papers/index": "Every accepted paper with its abstract, PDF and citation.",
    "keynotes/index": "Abstracts and speaker biographies.",
    "schedule": "The program, in the workshop's time zone.",
    "authors/index": "Authors, speakers and organizers, with their papers.",
    "people": "Organizers, volunteers and the technical committee.",
    "cfp": "Topics and submission instructions.",
}


def correction_url(repository: str, title: str, body: str) -> str:
    """A new-issue link with title and body prefilled (GitHub and GitLab), else the repository itself."""
    base = repository.rstrip("/")
    host = urllib.parse.urlsplit(base).hostname or ""
    if host == "github.com" or host.endswith(".github.com"):
        return f"{base}/issues/new?" + urllib.parse.urlencode({"title": title, "body": body}, quote_via=urllib.parse.quote)
    if "gitlab" in host:
        return f"{base}/-/issues/new?" + urllib.parse.urlencode({"issue[title]": title, "issue[description]": body}, quote_via=urllib.parse.quote)
    return base


def _day(day) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def _parallel_groups(slots: list) -> list[list]:
    """Slots of one day (sorted by start) in groups of events that overlap in time."""
    groups: list[list] = []
    end = ""
    for slot in slots:
        if groups and slot.start < end:
            groups[-1].append(slot)
            end = max(end, slot.end)
        else:
            groups.append([slot])
            end = slot.end
    return groups


def calendar_icon() -> nodes.Node:
    """The theme's Font Awesome calendar (an emoji is an empty box where no emoji font is installed)."""
    return element("span", class_="fa-regular fa-calendar-plus enlsp-icon", aria_hidden="true")


def trophy_icon() -> nodes.Node:
    return element("span", class_="fa-solid fa-trophy enlsp-icon", aria_hidden="true")


def initials(name: str) -> str:
    """'Jimmy Lin' -> 'JL' (first and last word), for the decorative speaker avatar."""
    words = [w for w in name.replace("-", " ").split() if w[:1].isalpha()]
    if not words:
        return "?"
    return (words[0][0] + (words[-1][0] if len(words) > 1 else "")).upper()


# Markup templates of repeated blocks (see nodes.fragment): Markup.format escapes every value.
# Same markup as the docutils nodes of sphinx-design's card (with `nodes.site_link`s) would give.
_PERSON_LINK = Markup('<a href="{href}">{name}</a>')
_BADGE = Markup('<span class="{classes}">{label}</span>')
_CARD_THUMB = Markup('<img src="{src}" alt="" class="enlsp-thumb enlsp-thumb-card" loading="lazy" decoding="async"{size}>')
_PAPER_CARD = Markup(
    '<div class="sd-card sd-sphinx-override sd-mb-3 sd-shadow-sm sd-card-hover {classes} docutils">\n'
    '<div class="sd-card-body docutils">\n{aside}<div class="sd-card-title sd-font-weight-bold docutils">\n<p>{title}</p>\n</div>\n'
    '<p class="enlsp-authors sd-card-text">{authors}</p>\n<p class="enlsp-badges sd-card-text">{badges}</p>\n</div>\n'
    '<div class="sd-card-footer docutils">\n<p class="enlsp-card-pdf">{pdf}</p>\n</div>\n'
    '<a class="sd-stretched-link sd-hide-link-text" href="{href}"><span>{title}</span></a></div>\n'
)
#: The home page lists at most this many papers of a kind before "Show N more".
HOME_LIST_SHOWN = 10
_HOME_LIST_LONG = Markup(
    '<ul class="enlsp-paper-list">\n{shown}</ul>\n'
    '<details class="enlsp-more"><summary>{summary}</summary>\n<ul class="enlsp-paper-list">\n{rest}</ul>\n</details>\n'
)
_SESSION_PAPERS = Markup(
    '<details class="enlsp-more enlsp-session-papers"><summary>{summary}</summary>\n<ul class="enlsp-paper-list">\n{items}</ul>\n</details>\n'
)
# the PDF itself, straight from the list (ACL Anthology and PMLR volumes have this link too)
_CARD_PDF = Markup('<a href="{href}" aria-label="PDF of {title}">PDF</a>{what} · {pages} pages')
_TROPHY = Markup('<span class="fa-solid fa-trophy enlsp-icon" aria-hidden="true"></span>')
_LIST_ITEM = Markup(
    '<li><p class="enlsp-list-title"><a href="{href}">{title}</a>{award}</p>\n'
    '<p class="enlsp-list-authors">{authors}</p>\n</li>\n'
)


#: Fixed section pages of every site, in navigation order: docname -> the `models.Labels` field naming it.
SECTIONS = {
    "papers/index": "papers",
    "keynotes/index": "keynotes",
    "schedule": "schedule",
    "authors/index": "authors",
    "people": "people",
    "cfp": "cfp",
}


class PageBuilder:
    """Builds the nodes of one page; ``docname`` anchors every relative link."""

    def __init__(self, volume: Volume, docname: str):
        self.v = volume
        self.doc = docname

    def href(self, site_path: str) -> str:
        return rel(self.doc, site_path)

    # -- shared pieces -----------------------------------------------------------
    def person_link(self, person: Person | str, with_affiliation: bool = True) -> nodes.Element:
        """The person's page link, with the affiliation after it in one ``enlsp-person`` span
        (without an affiliation, just the link: thousands of card author lists)."""
        name = person if isinstance(person, str) else person.name
        shown = self.v.proc.canonical_name(name)
        page_link = link(shown, self.href(f"authors/{self.v.people.slug(name)}.html"))
        if not (with_affiliation and not isinstance(person, str) and person.affiliation):
            return page_link
        out = inline(classes=["enlsp-person"])
        out += page_link
        out += text(" ")
        out += inline(f"({person.affiliation})", classes=["enlsp-affiliation"])
        return out

    def people_line(self, people: list[Person], with_affiliation: bool = True, classes: list[str] | None = None) -> nodes.paragraph:
        p = para(classes=classes or ["enlsp-authors"])
        if not people:  # a paper whose authors no source names
            p += inline(UNKNOWN_AUTHORS, classes=["enlsp-authors-unknown"])
        for i, person in enumerate(people):
            if i:
                p += text(", ")
            p += self.person_link(person, with_affiliation)
        return p

    def _when_line(self, slot, label: str, shown: str, classes: list[str]) -> nodes.paragraph:
        """'<label>: <shown, linking the slot on the schedule> (<time zone>)', and the slot's calendar file if it has one."""
        line = para(strong(f"{label}: "), link(shown, self.href(f"schedule.html#{self.v.slot_anchor(slot)}")), f" ({self.v.workshop.timezone})",
                    classes=classes)
        calendar = slot_ics_path(self.v, slot)
        if calendar:
            line += text(" ")
            line += link(inline(calendar_icon(), "Add to calendar"), self.href(calendar), classes=["enlsp-ics"])
        return line

    def slot_line(self, kind: str, ident: str) -> nodes.paragraph | None:
        slot = self.v.slot(kind, ident)
        return self._when_line(slot, "When", self.v.slot_label(slot), ["enlsp-slot"]) if slot else None

    def session_line(self, slot) -> nodes.paragraph:
        """'Poster session: <title>, <when>' on the page of a paper the session shows."""
        return self._when_line(slot, self.v.workshop.labels.poster_session, f"{slot.title}, {self.v.slot_label(slot)}", ["enlsp-slot", "enlsp-session"])

    def author_names(self, paper: Paper) -> str:
        """The paper's authors as one line of text (as the site spells them), or that they are unknown."""
        return ", ".join(self.v.proc.canonical_name(a.name) for a in paper.authors) or UNKNOWN_AUTHORS

    def _badge_specs(self, paper: Paper) -> list[tuple[str, str, bool]]:
        """(label, colour, outline) of a paper's badges."""
        w = self.v.workshop
        specs = [(w.presentation(paper.presentation).label, "primary", False)]
        if len(w.track_list) > 1 and paper.track != w.track_list[0].id:
            specs.append((w.track(paper.track).name, "info", False))
        if paper.award:
            specs.append((paper.award, "warning", False))  # shown with the theme's trophy icon (award_badge)
        if not self.v.workshop.archival:
            specs.append(("Non-archival", "secondary", True))
        return specs

    def paper_badges(self, paper: Paper) -> nodes.paragraph:
        p = para(classes=["enlsp-badges"])
        for index, (label, color, outline) in enumerate(self._badge_specs(paper)):
            if index:
                p += text(" ")
            p += inline(trophy_icon(), label, classes=badge_classes(color, outline)) if label == paper.award and color == "warning" else badge(label, color, outline)
        return p

    def paper_card(self, paper: Paper) -> nodes.Node:
        """A sphinx-design card linking to the paper page, as one `fragment` (lists hold hundreds)."""
        status = self.v.pdfs.get(paper.id)
        classes, aside = ["enlsp-paper-card"], Markup("")
        if status and status.thumbnail:
            # decorative: the card's title already names the paper
            size = Markup(' width="{}" height="{}"').format(*status.thumb_size) if status.thumb_size else Markup("")
            aside = _CARD_THUMB.format(src=self.href(status.thumbnail), size=size)
            classes.append("enlsp-has-thumb")
        names = [self.v.proc.canonical_name(a.name) for a in paper.authors]
        authors = Markup(", ").join(
            _PERSON_LINK.format(href=self.href(f"authors/{self.v.people.slug(a.name)}.html"), name=name) for a, name in zip(paper.authors, names, strict=True)
        ) or escape(UNKNOWN_AUTHORS)
        badges = Markup(" ").join(_BADGE.format(classes=" ".join(badge_classes(color, outline)), label=_TROPHY + label if color == "warning" and label == paper.award else label)
                                  for label, color, outline in self._badge_specs(paper))
        if status and status.published:
            what = " (review copy)" if status.review_note else ""  # published by the organizers' choice, with its note
            pdf = f"PDF{what} · {status.pages} pages"
            pdf_markup = _CARD_PDF.format(href=self.href(f"papers/{paper.id}.pdf"), pages=status.pages, title=paper.title, what=what)
        else:
            pdf = pdf_markup = "Camera-ready pending"
        markup = _PAPER_CARD.format(classes=" ".join(classes), aside=aside, title=paper.title, authors=authors, badges=badges, pdf=pdf_markup,
                                    href=self.href(f"papers/{paper.id}.html"))
        return fragment(markup, f"{paper.title}\n{', '.join(names)}\n{pdf}")

    def keynote_card(self, keynote: Keynote) -> nodes.container:
        speakers = keynote.speakers
        who = " & ".join(" ".join(x for x in (s.honorific, s.name) if x) for s in speakers)
        avatars = para(classes=["enlsp-avatar-line"])
        for speaker in speakers:
            avatars += element("span", initials(speaker.name), class_="enlsp-avatar", aria_hidden="true")
        body: list[nodes.Node] = [avatars]
        affiliations = list(dict.fromkeys(s.affiliation for s in speakers if s.affiliation))
        if affiliations:
            body.append(para("; ".join(affiliations), classes=["enlsp-affiliation"]))
        body.append(para(keynote.title, classes=["enlsp-talk-title"]))
        return card(who, body, self.href(f"keynotes/{keynote.id}.html"), classes=["enlsp-keynote-card"])

    # -- home ------------------------------------------------------------------------
    def home(self) -> list[nodes.Node]:
        w = self.v.workshop
        proc = self.v.proc
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
        if proc.papers:
            stats.append(f"{len(proc.papers)} accepted paper{'s' if len(proc.papers) != 1 else ''}")
        if proc.keynotes:
            stats.append(f"{len(proc.keynotes)} {w.labels.keynote.lower()}{'s' if len(proc.keynotes) != 1 else ''}")
        if proc.panel:
            stats.append("a panel discussion")
        if stats:
            hero += para(" · ".join(stats), classes=["enlsp-stats"])
        if not w.archival:
            hero += para(badge("Non-archival", "secondary"), " Accepted papers are hosted here but are not formal publications; authors may publish them elsewhere.", classes=["enlsp-archival"])
        buttons = para(classes=["enlsp-hero-buttons"])
        for path, label in (("papers/index.html", w.labels.papers), ("schedule.html", w.labels.schedule), ("keynotes/index.html", w.labels.keynotes)):
            buttons += button(label, self.href(path), outline=path != "papers/index.html")
            buttons += text(" ")
        hero += buttons
        page = section(w.title, "home", hero, classes=["enlsp-home"])
        if w.description:
            page += section(w.labels.about, "about", *paragraphs(w.description), classes=["enlsp-about"])
        if proc.keynotes:
            cards = [self.keynote_card(k) for k in proc.keynotes]
            page += section(w.labels.keynote_speakers, "keynote-speakers", grid(cards, "1 2 3 4"))
        if proc.papers:
            page += self.home_papers()
        if w.important_dates:
            page += section(w.labels.important_dates, "important-dates", self.dates_list())
        if w.sponsors:
            page += self.sponsors()
        if w.overview:
            page += section(w.labels.overview, "overview", *[p for text_ in w.overview for p in paragraphs(text_)], classes=["enlsp-about"])
        sections = [card(getattr(w.labels, label), [para(SECTION_BLURBS[doc])], self.href(doc + ".html"), classes=["enlsp-section-card"])
                    for doc, label in SECTIONS.items() if doc != "authors/index" or self.v.people.by_slug]
        page += section("Explore the proceedings", "explore", grid(sections, "1 2 3 3"))
        return [page]

    def paper_groups(self) -> list[tuple[str, str, list[Paper]]]:
        """(anchor, heading, papers): the papers by kind of presentation, every track included (tracks
        are badges and a filter). The home page and the papers list show these groups, so their counts agree."""
        w = self.v.workshop
        groups = [(kind.id, kind.group, [p for p in self.v.proc.papers if p.presentation == kind.id]) for kind in w.presentation_list]
        return [(ident, title, papers) for ident, title, papers in groups if papers]

    def home_papers(self) -> nodes.section:
        """Orals, spotlights and posters as compact title lists (the cards are on the papers page)."""
        out = section(self.v.workshop.labels.papers, "accepted-papers")
        total = len(self.v.proc.papers)
        published = sum(1 for p in self.v.proc.papers if (s := self.v.pdfs.get(p.id)) and s.published)
        if published == total:
            out += para(f"{total} papers were accepted. Each has a page with its abstract, the camera-ready PDF and a citation.")
        else:
            out += para(f"{total} papers were accepted. Each has a page with its abstract and a citation; "
                        f"{published} of them have their camera-ready PDF published.")
        columns = []
        award_classes = " ".join(badge_classes("warning"))
        for _ident, heading, group in self.paper_groups():
            items, plain = [], []
            for paper in group:
                who = self.author_names(paper)
                award = Markup(" ") + _BADGE.format(classes=award_classes, label=_TROPHY + paper.award) if paper.award else Markup("")
                items.append(_LIST_ITEM.format(href=self.href(f"papers/{paper.id}.html"), title=paper.title, award=award, authors=who))
                plain.append(f"{paper.title}\n{who}")
            if len(items) > HOME_LIST_SHOWN + 2:  # a long list: the rest behind one click, not a page-long column
                rest = len(items) - HOME_LIST_SHOWN
                markup = _HOME_LIST_LONG.format(shown=Markup("").join(items[:HOME_LIST_SHOWN]), rest=Markup("").join(items[HOME_LIST_SHOWN:]),
                                                summary=f"Show {rest} more {heading.lower()}")
            else:
                markup = Markup('<ul class="enlsp-paper-list">\n{}</ul>\n').format(Markup("").join(items))
            listing = fragment(markup, "\n".join(plain))
            body = [para(strong(f"{heading} ({len(group)})"), classes=["enlsp-group-title"]), listing]
            columns.append(nodes.container("", *body, classes=["enlsp-paper-group"]))
        out += grid(columns, "1 1 2 2" if len(columns) > 1 else "1", classes=["enlsp-paper-groups"])
        out += para(button("All papers, with PDFs and filters", self.href("papers/index.html"), outline=True))
        return out

    def dates_list(self) -> nodes.bullet_list:
        items = []
        for d in self.v.workshop.important_dates:
            line = para(element("time", f"{d.date:%a} {d.date.day} {d.date:%b %Y}", datetime=d.date.isoformat(), class_="enlsp-date"), " ",
                        inline(d.name, classes=["enlsp-date-name"]), classes=["enlsp-date-line"])
            if d.note:
                line += text(" ")
                line += inline(d.note, classes=["enlsp-date-note"])
            items.append(line)
        return bullet_list(items, classes=["enlsp-dates-list"])

    def sponsors(self) -> nodes.section:
        out = section(self.v.workshop.labels.sponsors, "sponsors")
        levels: dict[str, list] = {}
        for s in self.v.workshop.sponsors:
            levels.setdefault(s.level or "", []).append(s)
        for level, members in levels.items():
            items = [para(link(s.name, s.url, external=True) if s.url else s.name) for s in members]
            if level:
                out += para(strong(level), classes=["enlsp-group-title"])
            out += bullet_list(items, classes=["enlsp-sponsors"])
        return out

    def dates_table(self) -> nodes.table:
        rows = []
        for d in self.v.workshop.important_dates:
            rows.append([d.name, f"{d.date:%A} {d.date.day} {d.date:%B %Y}" + (f" ({d.note})" if d.note else "")])
        return table(["What", "When"], rows, classes=["enlsp-dates"])

    # -- papers ------------------------------------------------------------------------
    def paper_list(self) -> list[nodes.Node]:
        w = self.v.workshop
        page = section(w.labels.papers, "accepted-papers")
        page += para(f"{len(self.v.proc.papers)} papers accepted at {w.short_name}. ", "The whole volume: ", link("BibTeX", self.href("proceedings.bib"), download="proceedings.bib"), " · ",
                     link("CSL-JSON", self.href("proceedings.csl.json"), download="proceedings.csl.json"), " · ", link("JSON", self.href("papers.json")), " (", link("schema", self.href("papers.schema.json")), ").")
        page += self.paper_filters()
        for ident, heading, group in self.paper_groups():
            page += section(f"{heading} ({len(group)})", ident, self.paper_grid(group), classes=["enlsp-paper-group"])
        return [page]

    def paper_grid(self, papers: list[Paper]) -> nodes.container:
        """Cards whose columns carry presentation/track/award as data attributes (enlsp-filters.js)."""
        data = [{"presentation": p.presentation, "track": p.track, "award": "yes" if p.award else "no"} for p in papers]
        return grid([self.paper_card(p) for p in papers], "1 1 2 2", item_data=data)

    def paper_filters(self) -> nodes.Node:
        """Placeholder the filter script fills with its controls (without JavaScript every card shows)."""
        papers = self.v.proc.papers
        award = self.v.workshop.labels.award
        options = {
            "presentation": [[k.id, k.label] for k in self.v.workshop.presentation_list if any(p.presentation == k.id for p in papers)],
            "track": [[t.id, t.name] for t in self.v.workshop.track_list if any(p.track == t.id for p in papers)],
            "award": [["yes", f"With {'an' if award[:1].lower() in 'aeiou' else 'a'} {award.lower()}"]] if any(p.award for p in papers) else [],
        }
        # how many controls the script will show (as it decides), so the page keeps their room from the start
        controls = sum(1 for key, choices in options.items() if len(choices) >= (1 if key == "award" else 2))
        options["titles"] = {"presentation": "Presentation", "track": "Track", "award": award}
        return data_container(classes=["enlsp-filters", f"enlsp-filters-{controls}"], data={"options": json.dumps(options)})

    def paper(self, paper_id: str) -> list[nodes.Node]:
        paper = self.v.papers_by_id[paper_id]
        status = self.v.pdfs.get(paper_id)
        page = section(paper.title, "paper", classes=["enlsp-paper"])
        if status and status.published and status.thumbnail:
            # the first page, linking to the PDF (the alt text names the link's target)
            page += para(link(thumbnail_img(status.thumbnail.rsplit("/", 1)[-1], status.thumb_size, alt="First page of the PDF", classes="enlsp-thumb enlsp-thumb-paper"),
                              f"{paper_id}.pdf", classes=["enlsp-thumb-link"]), classes=["enlsp-thumb-holder"])
        page += self.people_line(paper.authors)
        if not paper.authors:
            page += para(UNKNOWN_AUTHORS_NOTE, classes=["enlsp-authors-note"])
        page += self.paper_badges(paper)
        if paper.errata:
            latest = max(e.date for e in paper.errata)
            page += para(inline("Revised", classes=["enlsp-revised-label"]), " This page was corrected on ",
                         element("time", f"{latest.day} {latest:%B %Y}", datetime=latest.isoformat()), ". ",
                         link("See the revision history", "#errata"), ".", classes=["enlsp-revised"])
        slot_line = self.slot_line("paper", paper_id)
        w = self.v.workshop
        details = [
            para(strong("Presentation: "), w.presentation(paper.presentation).label, " · ", strong("Track: "), w.track(paper.track).name),
        ]
        if slot_line:
            details.append(slot_line)
        for session in self.v.poster_sessions(paper_id):
            details.append(self.session_line(session))
        page.extend(details)
        actions = para(classes=["enlsp-actions"])
        if status and status.published:
            actions += button(f"PDF ({status.pages} page{'s' if status.pages != 1 else ''})", f"{paper_id}.pdf", outline=False, download=True)
            actions += text(" ")
        if status and status.supplementary:
            size = f", {status.supplementary_size / 2**20:.1f} MB" if status.supplementary_size else ""
            kind = status.supplementary.rsplit(".", 1)[-1].upper()
            actions += button(f"{w.labels.supplementary} ({kind}{size})", status.supplementary, download=True)
            actions += text(" ")
        for kind, url in paper.links.items():
            actions += button(LINK_LABELS[kind], url, external=True)
            actions += text(" ")
        if len(actions):
            page += actions
        if status and status.published and status.review_note:  # the organizers chose to publish the review copy
            page += admonition("note", "About this PDF", [para(status.review_note)])
        if not (status and status.published):
            body = [para("The camera-ready PDF of this paper is not yet available.")]
            problems = [p for p in (status.problems if status else []) if p["code"] != "pdf-missing"]
            if problems:
                body.append(para("The submitted file could not be published: ", "; ".join(p["message"] for p in problems), "."))
            page += admonition("note", "Camera-ready not yet available", body)
        page += section("Abstract", "abstract", *paragraphs(paper.abstract))
        page += self.cite_section(paper)
        if paper.errata:
            items = [[para(element("time", f"{e.date.day} {e.date:%B %Y}", datetime=e.date.isoformat(), class_="enlsp-date"), classes=["enlsp-erratum-date"]),
                      para(e.note, classes=["enlsp-erratum-note"])]
                     for e in sorted(paper.errata, key=lambda e: e.date, reverse=True)]
            page += section("Errata and revisions", "errata", para("Changes made since the paper was first published here, newest first."),
                            bullet_list(items, classes=["enlsp-errata"]))
        page += self.correction_section(f"Correction: {paper.title} ({paper.id})", f"papers/{paper.id}.html")
        return [page]

    def correction_section(self, title: str, site_path: str) -> nodes.section:
        """'Report a correction': a prefilled issue on the site's repository (or where to write)."""
        w = self.v.workshop
        body = [para("Is a title, an author name, an affiliation or a link wrong on this page? Tell the organizers.")]
        if w.repository:
            issue_body = (f"Page: {self.v.url(site_path)}\n\n"
                          "What is wrong:\n\n\nWhat it should say:\n\n\n"
                          "(If you are an author of this work, please say so.)\n")
            body.append(para(button("Report a correction", correction_url(w.repository, title, issue_body), external=True, outline=True),
                             classes=["enlsp-actions"]))
        else:
            body.append(para("Please contact the organizers of ", w.short_name, "."))
        return section("Report a correction", "report-a-correction", *body, classes=["enlsp-correction"])

    def cite_section(self, paper: Paper) -> nodes.section:
        url = self.v.url(f"papers/{paper.id}.html")
        tabs = tab_set([
            ("BibTeX", [code_block(self.v.paper_bibtex(paper), "bibtex")]),
            ("ACL", [code_block(cite.to_acl_text(paper, self.v.workshop))]),
            ("Markdown", [code_block(cite.to_markdown(paper, self.v.workshop, url), "markdown")]),
            ("RIS", [code_block(self.v.paper_ris(paper))]),
        ], classes=["enlsp-cite"])
        return section("Cite", "cite", tabs, self.cite_downloads(paper.id, ("bib", "ris", "csl.json")))

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

    # -- keynotes -------------------------------------------------------------------------
    def keynote_list(self) -> list[nodes.Node]:
        page = section(self.v.workshop.labels.keynotes, "keynote-talks")
        page += grid([self.keynote_card(k) for k in self.v.proc.keynotes], "1 1 2 3")
        if self.v.proc.invited_speakers_without_talk:
            items = [self.person_link(p) for p in self.v.proc.invited_speakers_without_talk]
            page += section("Also invited", "also-invited", para("Confirmed speakers without a talk in the program:"), bullet_list(items))
        return [page]

    def keynote(self, keynote_id: str) -> list[nodes.Node]:
        keynote = self.v.keynotes_by_id[keynote_id]
        page = section(keynote.title, "keynote", classes=["enlsp-keynote"])
        who = para(badge(self.v.workshop.labels.keynote, "primary"), " ", classes=["enlsp-speaker"])
        for index, speaker in enumerate(keynote.speakers):
            if index:
                who += text(" and " if index == len(keynote.speakers) - 1 else ", ")
            if speaker.honorific:
                who += text(speaker.honorific + " ")
            who += self.person_link(speaker)
        page += who
        slot_line = self.slot_line("keynote", keynote_id)
        if slot_line:
            page += slot_line
        if keynote.links.items():
            actions = para(classes=["enlsp-actions"])
            for kind, url in keynote.links.items():
                actions += button(LINK_LABELS[kind], url, external=True)
                actions += text(" ")
            page += actions
        if keynote.abstract:
            page += section("Abstract", "abstract", *paragraphs(keynote.abstract))
        if keynote.bio:
            about = f"About {keynote.speakers[0].name}" if len(keynote.speakers) == 1 else "About the speakers"
            page += section(about, "bio", *paragraphs(keynote.bio))
        page += section("Cite", "cite", code_block(self.v.keynote_bibtex(keynote), "bibtex"), self.cite_downloads(keynote.id, ("bib", "csl.json")),
                        classes=["enlsp-cite"])
        page += self.correction_section(f"Correction: {keynote.title} (keynote {keynote.id})", f"keynotes/{keynote.id}.html")
        return [page]

    # -- schedule ---------------------------------------------------------------------
    def schedule(self) -> list[nodes.Node]:
        w = self.v.workshop
        page = section(w.labels.schedule, "schedule")
        first = self.v.proc.schedule[0] if self.v.proc.schedule else None
        tzname = self.v.slot_datetimes(first)[0].tzname() if first else ""
        days = self.v.days
        when = _day(days[0]) if len(days) == 1 else f"{_day(days[0])} to {_day(days[-1])}"
        page += para(f"{when}, {w.location}. All times are {w.location.split(',')[0]} time ({tzname}, {w.timezone}).")
        whole = "Whole day" if len(days) == 1 else "The whole program"
        page += para(link(inline(calendar_icon(), f"{whole} in your calendar (schedule.ics)"), self.href("schedule.ics"), classes=["enlsp-ics"]),
                     classes=["enlsp-schedule-ics"])
        for day in days:
            slots = sorted((s for s in self.v.proc.schedule if self.v.slot_date(s) == day), key=lambda s: (s.start, s.end))
            rows, ids = [], []
            for group in _parallel_groups(slots):
                if len(group) == 1:
                    slot = group[0]
                    event, who = self._schedule_event(slot)
                    rows.append([self._slot_time(slot), event, who])
                    ids.append(self.v.slot_anchor(slot))
                    continue
                # parallel events (breakfast during the opening, posters during lunch): side by side in one row
                blocks = []
                for slot in group:
                    event, who = self._schedule_event(slot)
                    block = nodes.container("", self._slot_time(slot), *event, *who, classes=["enlsp-parallel-event"])
                    block["ids"] = [self.v.slot_anchor(slot)]
                    blocks.append(block)
                start, end = min(s.start for s in group), max(s.end for s in group)
                span = self.v.slot_datetimes(group[0].model_copy(update={"start": start, "end": end}))
                rows.append([para(f"{span[0]:%H:%M}–{span[1]:%H:%M} {span[0].tzname()}", classes=["enlsp-time"]),
                             [nodes.container("", *blocks, classes=["enlsp-parallel"])], [para("")]])
                ids.append(None)
            tbl = table(["Time", "Event", "Speakers"], rows, classes=["enlsp-schedule"], row_ids=ids, widths=[12, 55, 33])
            if self.v.multi_day:
                page += section(_day(day), f"day-{day:%Y%m%d}", tbl)
            else:
                page += tbl
        return [page]

    def _slot_time(self, slot) -> nodes.paragraph:
        start, end = self.v.slot_datetimes(slot)
        return para(f"{start:%H:%M}–{end:%H:%M} {start.tzname()}", classes=["enlsp-time"])

    def _schedule_event(self, slot) -> tuple[list[nodes.Node], list[nodes.Node]]:
        """The Event and Speakers cells of one slot."""
        w = self.v.workshop
        target = slot.target
        if target is None:
            event: list[nodes.Node] = [para(slot.title or "", classes=["enlsp-event", f"enlsp-kind-{slot.kind}"])]
            if slot.papers:
                items = [_LIST_ITEM.format(href=self.href(f"papers/{ident}.html"), title=self.v.papers_by_id[ident].title, award=Markup(""),
                                           authors=self.author_names(self.v.papers_by_id[ident]))
                         for ident in slot.papers]
                summary = f"{len(items)} {w.presentation('poster').group.lower() if len(items) != 1 else w.presentation('poster').label.lower()}"
                event.append(fragment(_SESSION_PAPERS.format(summary=summary, items=Markup("").join(items)),
                                      "\n".join(self.v.papers_by_id[i].title for i in slot.papers)))
            return event, [para("")]
        kind, ident = target
        label = {"paper": w.presentation(self.v.papers_by_id[ident].presentation).label if kind == "paper" else "",
                 "keynote": w.labels.keynote, "panel": w.labels.panel}[kind]
        event = [para(badge(label, "primary" if kind == "keynote" else "info"), " ", link(self.v.slot_title(slot), self.href(slot_page(self.v, slot))), " ",
                      link(inline(calendar_icon(), ".ics"), self.href(slot_ics_path(self.v, slot) or ""), classes=["enlsp-ics"]),
                      classes=["enlsp-event"])]
        if kind == "paper":
            who = [self.people_line(self.v.papers_by_id[ident].authors, with_affiliation=False)]
        elif kind == "keynote":
            who = [self.people_line(list(self.v.keynotes_by_id[ident].speakers), with_affiliation=False)]
        else:
            panel = self.v.proc.panel
            who = [self.people_line(panel.panelists, with_affiliation=False)] if panel else [para("")]
        return event, who

    # -- people -----------------------------------------------------------------------
    def people(self) -> list[nodes.Node]:
        page = section(self.v.workshop.labels.people, "people")
        groups = self.v.proc.people
        for ident, title, members in (
            ("organizers", "Organizers", groups.organizers),
            ("volunteers", "Volunteers", groups.volunteers),
            ("technical-committee", "Technical committee", groups.technical_committee),
        ):
            if members:
                page += section(title, ident, bullet_list([self.person_link(p) for p in members], classes=["enlsp-people-list"]))
        panel = self.v.proc.panel
        if panel:
            page += section(panel.title, "panel", para(link("About the panel", self.href("panel.html"))), bullet_list([self.person_link(p) for p in panel.panelists]))
        return [page]

    def panel(self) -> list[nodes.Node]:
        panel = self.v.proc.panel
        assert panel is not None
        page = section(panel.title, "panel")
        slot_line = self.slot_line("panel", panel.id)
        if slot_line:
            page += slot_line
        if panel.description:
            page.extend(paragraphs(panel.description))
        if panel.moderator:
            page += para(strong("Moderator: "), self.person_link(panel.moderator))
        page += section("Panelists", "panelists", bullet_list([self.person_link(p) for p in panel.panelists]))
        return [page]

    def cfp(self) -> list[nodes.Node]:
        cfp = self.v.proc.cfp
        page = section(self.v.workshop.labels.cfp, "call-for-papers")
        if cfp.intro:
            page.extend(paragraphs(cfp.intro))
        for index, topic in enumerate(cfp.topics):
            body: list[nodes.Node] = []
            if topic.special_track:
                body.append(para(badge("Special track", "info")))
            if topic.description:
                body.extend(paragraphs(topic.description))
            if topic.items:
                body.append(bullet_list([para(item) for item in topic.items]))
            page += section(topic.name, f"topic-{index + 1}", *body)
        if cfp.submission:
            page += section("Submission instructions", "submission", *[p for s in cfp.submission for p in paragraphs(s)])
        if self.v.workshop.important_dates:
            page += section(self.v.workshop.labels.important_dates, "important-dates", self.dates_table())
        return [page]

    # -- authors ----------------------------------------------------------------------
    def author_index(self) -> list[nodes.Node]:
        page = section(self.v.workshop.labels.authors, "authors")
        records = self.v.people.sorted()
        contributors = [r for r in records if set(r.roles) & CONTRIBUTOR_ROLES]
        others = len(records) - len(contributors)
        page += para(f"{len(records)} people: {len(contributors)} authors and speakers"
                     + (f", and {others} organizers, volunteers and committee members who are not" if others else "") + ".")
        if contributors and others:
            # filled in by enlsp-filters.js; without JavaScript everyone is listed, with their roles
            page += data_container(classes=["enlsp-filters", "enlsp-people-filter"], data={"options": json.dumps(
                {"group": [["contributor", f"Authors and speakers ({len(contributors)})"], ["committee", f"Organizers and committee only ({others})"]]})})
        by_letter: dict[str, list] = {}
        for record in records:
            letter = (fold(record.sort_key[0])[:1] or "#").upper()
            by_letter.setdefault(letter if letter.isalpha() else "#", []).append(record)
        jump = para(classes=["enlsp-az"])
        for letter in sorted(by_letter):
            jump += link(letter, f"#letter-{letter.lower() if letter != '#' else 'other'}")
            jump += text(" ")
        page += jump
        for letter in sorted(by_letter):
            items = []
            for record in by_letter[letter]:
                roles = ", ".join(role_label(r, self.v.workshop.labels) for r in record.roles)
                group = "contributor" if set(record.roles) & CONTRIBUTOR_ROLES else "committee"
                items.append(para(link(record.name, self.href(f"authors/{record.slug}.html")), inline(f" — {roles}", classes=["enlsp-roles"]),
                                  classes=[f"enlsp-group-{group}"]))
            page += section(letter, f"letter-{letter.lower() if letter != '#' else 'other'}", bullet_list(items, classes=["enlsp-people-list"]))
        return [page]

    def author(self, slug: str) -> list[nodes.Node]:
        record = self.v.people.by_slug[slug]
        page = section(record.name, "person")
        page += para(*[x for r in record.roles for x in (badge(role_label(r, self.v.workshop.labels), "secondary", outline=True), text(" "))])
        if record.affiliations:
            page += para(strong("Affiliation: " if len(record.affiliations) == 1 else "Affiliations: "), "; ".join(record.affiliations))
        if record.orcid:
            page += para(strong("ORCID: "), link(record.orcid, f"https://orcid.org/{record.orcid}", external=True))
        if record.url:
            page += para(strong("Web: "), link(record.url, record.url, external=True))
        if record.variants:
            page += para(strong("Also written: "), "; ".join(record.variants))
        if record.papers:
            cards = [self.paper_card(self.v.papers_by_id[i]) for i in record.papers]
            page += section("Papers", "papers", grid(cards, "1 1 2 2"))
        talks: list[nodes.Node] = []
        if record.keynotes:
            talks.append(grid([self.keynote_card(self.v.keynotes_by_id[i]) for i in record.keynotes], "1 1 2 2"))
        panel = self.v.proc.panel
        if panel and {"panelist", "moderator"} & set(record.roles):
            role = "Moderator" if "moderator" in record.roles else "Panelist"
            talks.append(para(badge("Panel", "info"), " ", link(panel.title, self.href("panel.html")), f" ({role})"))
        if talks:
            page += section("Talks", "talks", *talks)
        if record.coauthors:
            items = [link(self.v.people.by_slug[s].name, self.href(f"authors/{s}.html")) for s in record.coauthors]
            more = [para(f"… and more co-authors than the {len(items)} listed here: see the papers above.")] if record.more_coauthors else []
            page += section("Co-authors", "coauthors", bullet_list(items, classes=["enlsp-people-list"]), *more)
        return [page]
