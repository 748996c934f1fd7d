"""The content of every generated page, as docutils nodes built from a `Volume`.

Each function returns the page body for one docname. Author-supplied strings only
ever become Text nodes or attribute values, which Sphinx's HTML writer escapes.
"""

from __future__ import annotations

import json

from docutils import nodes

from . import cite
from .ics import slot_ics_path
from .models import Keynote, Paper, Person
from .nodes import (
    admonition,
    badge,
    bullet_list,
    button,
    card,
    code_block,
    data_container,
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
)
from .people import ROLE_LABELS, fold
from .volume import Volume

PRESENTATION_LABELS = {"oral": "Oral", "spotlight": "Spotlight", "poster": "Poster"}
PRESENTATION_GROUPS = {"oral": "Oral presentations", "spotlight": "Spotlight presentations", "poster": "Posters"}
TRACK_LABELS = {"main": "Main track", "graph": "Special track: Efficient Graph Learning for NLP"}
LINK_LABELS = {"code": "Code", "slides": "Slides", "poster": "Poster", "video": "Video", "arxiv": "arXiv", "openreview": "OpenReview"}

#: Fixed section pages of every site, in navigation order: docname -> title.
SECTIONS = {
    "papers/index": "Papers",
    "keynotes/index": "Keynotes",
    "schedule": "Schedule",
    "authors/index": "Authors",
    "people": "Organizers",
    "cfp": "Call for papers",
}


class PageBuilder:
    """Builds the nodes of one page; ``docname`` anchors every relative link."""

    def __init__(self, volume: Volume, docname: str):
        self.v = volume
        self.doc = docname

    def href(self, site_path: str) -> str:
        return rel(self.doc, site_path)

    # -- shared pieces -----------------------------------------------------------
    def person_link(self, person: Person | str, with_affiliation: bool = True) -> nodes.inline:
        name = person if isinstance(person, str) else person.name
        shown = self.v.proc.canonical_name(name)
        out = inline(classes=["enlsp-person"])
        out += link(shown, self.href(f"authors/{self.v.people.slug(name)}.html"))
        if with_affiliation and not isinstance(person, str) and person.affiliation:
            out += text(" ")
            out += inline(f"({person.affiliation})", classes=["enlsp-affiliation"])
        return out

    def people_line(self, people: list[Person], with_affiliation: bool = True, classes: list[str] | None = None) -> nodes.paragraph:
        p = para(classes=classes or ["enlsp-authors"])
        for i, person in enumerate(people):
            if i:
                p += text(", ")
            p += self.person_link(person, with_affiliation)
        return p

    def slot_line(self, kind: str, ident: str) -> nodes.paragraph | None:
        slot = self.v.slot(kind, ident)
        if slot is None:
            return None
        line = para(
            strong("When: "),
            link(self.v.slot_label(slot), self.href(f"schedule.html#{self.v.slot_anchor(slot)}")),
            f" ({self.v.workshop.timezone})",
            classes=["enlsp-slot"],
        )
        calendar = slot_ics_path(self.v, slot)
        if calendar:
            line += text(" ")
            line += link("📅 Add to calendar", self.href(calendar), classes=["enlsp-ics"])
        return line

    def paper_badges(self, paper: Paper) -> nodes.paragraph:
        p = para(classes=["enlsp-badges"])
        p += badge(PRESENTATION_LABELS[paper.presentation], "primary")
        p += text(" ")
        if paper.track != "main":
            p += badge(TRACK_LABELS[paper.track], "info")
            p += text(" ")
        if paper.award:
            p += badge("🏆 " + paper.award, "warning")
            p += text(" ")
        if not self.v.workshop.archival:
            p += badge("Non-archival", "secondary", outline=True)
        return p

    def paper_card(self, paper: Paper) -> nodes.container:
        body = [self.people_line(paper.authors, with_affiliation=False), self.paper_badges(paper)]
        status = self.v.pdfs.get(paper.id)
        footer = para(f"PDF · {status.pages} pages" if status and status.published else "Camera-ready pending", classes=["enlsp-card-pdf"])
        return card(paper.title, body, self.href(f"papers/{paper.id}.html"), classes=["enlsp-paper-card"], footer=[footer])

    def keynote_card(self, keynote: Keynote) -> nodes.container:
        speaker = keynote.speaker
        who = " ".join(x for x in (speaker.honorific, speaker.name) if x)
        body = [para(strong(who), classes=["enlsp-speaker"])]
        if speaker.affiliation:
            body.append(para(speaker.affiliation, classes=["enlsp-affiliation"]))
        body.append(para(keynote.title, classes=["enlsp-talk-title"]))
        return card(who, body[1:], self.href(f"keynotes/{keynote.id}.html"), classes=["enlsp-keynote-card"])

    # -- home ------------------------------------------------------------------------
    def home(self) -> list[nodes.Node]:
        w = self.v.workshop
        hero = nodes.container(classes=["enlsp-hero"])
        hero += para(f"{w.short_name} · {w.venue}", classes=["enlsp-kicker"])
        when = f"{w.date:%A} {w.date.day} {w.date:%B %Y}"
        where = ", ".join(x for x in (w.location, w.room) if x)
        hero += para(strong(when), " · ", where, classes=["enlsp-when"])
        if w.format:
            hero += para(w.format, classes=["enlsp-format"])
        if not w.archival:
            hero += para(badge("Non-archival", "secondary"), " Accepted papers are hosted here but are not formal publications; authors may publish them elsewhere.", classes=["enlsp-archival"])
        buttons = para(classes=["enlsp-hero-buttons"])
        for path, label in (("papers/index.html", "Accepted papers"), ("schedule.html", "Schedule"), ("keynotes/index.html", "Keynotes")):
            buttons += button(label, self.href(path), outline=label != "Accepted papers")
            buttons += text(" ")
        hero += buttons
        page = section(w.title, "home", hero, classes=["enlsp-home"])
        if w.description:
            page += section("About the workshop", "about", *paragraphs(w.description), *[p for text_ in w.overview for p in paragraphs(text_)])
        if self.v.proc.keynotes:
            cards = [self.keynote_card(k) for k in self.v.proc.keynotes]
            page += section("Keynote speakers", "keynote-speakers", grid(cards, "1 2 3 4"))
        if self.v.proc.papers:
            groups = bullet_list([[para(link(f"{PRESENTATION_GROUPS[kind]} ({n})", self.href(f"papers/index.html#{kind}")))] for kind, n in self._presentation_counts()])
            page += section("Accepted papers", "accepted-papers", para(f"{len(self.v.proc.papers)} accepted papers."), groups)
        if w.important_dates:
            page += section("Important dates", "important-dates", self.dates_table())
        if w.sponsors:
            items = [para(link(s.name, s.url, external=True) if s.url else s.name, f" ({s.level})" if s.level else "") for s in w.sponsors]
            page += section("Sponsors", "sponsors", bullet_list(items))
        sections = [card(title, [], self.href(doc.replace("/index", "/index") + ".html")) for doc, title in SECTIONS.items()]
        page += section("Explore", "explore", grid(sections, "1 2 3 3"))
        return [page]

    def _presentation_counts(self) -> list[tuple[str, int]]:
        counts: dict[str, int] = {}
        for paper in self.v.proc.papers:
            counts[paper.presentation] = counts.get(paper.presentation, 0) + 1
        return [(k, counts[k]) for k in PRESENTATION_GROUPS if k in counts]

    def dates_table(self) -> nodes.table:
        rows = []
        for d in self.v.workshop.important_dates:
            rows.append([d.name, f"{d.date:%A} {d.date.day} {d.date:%B %Y}" + (f" ({d.note})" if d.note else "")])
        return table(["What", "When"], rows, classes=["enlsp-dates"])

    # -- papers ------------------------------------------------------------------------
    def paper_list(self) -> list[nodes.Node]:
        page = section("Accepted papers", "accepted-papers")
        page += para(f"{len(self.v.proc.papers)} papers accepted at {self.v.workshop.short_name}. ", "The whole volume: ", link("BibTeX", self.href("proceedings.bib")), " · ", link("JSON", self.href("papers.json")), ".")
        page += self.paper_filters()
        main = [p for p in self.v.proc.papers if p.track == "main"]
        for kind, title in PRESENTATION_GROUPS.items():
            group = [p for p in main if p.presentation == kind]
            if group:
                page += section(f"{title} ({len(group)})", kind, self.paper_grid(group), classes=["enlsp-paper-group"])
        for track, title in TRACK_LABELS.items():
            group = [p for p in self.v.proc.papers if p.track == track]
            if track != "main" and group:
                page += section(f"{title} ({len(group)})", f"track-{track}", self.paper_grid(group), classes=["enlsp-paper-group"])
        return [page]

    def paper_grid(self, papers: list[Paper]) -> nodes.container:
        """Cards whose columns carry presentation/track/award as data attributes (enlsp-filters.js)."""
        data = [{"presentation": p.presentation, "track": p.track, "award": "yes" if p.award else "no"} for p in papers]
        return grid([self.paper_card(p) for p in papers], "1 1 2 2", item_data=data)

    def paper_filters(self) -> nodes.Node:
        """Placeholder the filter script fills with its controls (without JavaScript every card shows)."""
        papers = self.v.proc.papers
        options = {
            "presentation": [[k, PRESENTATION_LABELS[k]] for k in PRESENTATION_LABELS if any(p.presentation == k for p in papers)],
            "track": [[k, TRACK_LABELS[k]] for k in TRACK_LABELS if any(p.track == k for p in papers)],
            "award": [["yes", "With an award"]] if any(p.award for p in papers) else [],
        }
        return data_container(classes=["enlsp-filters"], data={"options": json.dumps(options)})

    def paper(self, paper_id: str) -> list[nodes.Node]:
        paper = self.v.papers_by_id[paper_id]
        status = self.v.pdfs.get(paper_id)
        page = section(paper.title, "paper", classes=["enlsp-paper"])
        page += self.people_line(paper.authors)
        page += self.paper_badges(paper)
        slot_line = self.slot_line("paper", paper_id)
        details = [
            para(strong("Presentation: "), PRESENTATION_LABELS[paper.presentation], " · ", strong("Track: "), TRACK_LABELS[paper.track]),
        ]
        if slot_line:
            details.append(slot_line)
        page.extend(details)
        actions = para(classes=["enlsp-actions"])
        if status and status.published:
            actions += button(f"PDF ({status.pages} page{'s' if status.pages != 1 else ''})", f"{paper_id}.pdf", outline=False, download=True)
            actions += text(" ")
        for kind, url in paper.links.items():
            actions += button(LINK_LABELS[kind], url, external=True)
            actions += text(" ")
        if len(actions):
            page += actions
        if not (status and status.published):
            body = [para("The camera-ready PDF of this paper is not yet available.")]
            problems = [p for p in (status.problems if status else []) if p["code"] != "pdf-missing"]
            if problems:
                body.append(para("The submitted file could not be published: ", "; ".join(p["message"] for p in problems), "."))
            page += admonition("note", "Camera-ready not yet available", body)
        page += section("Abstract", "abstract", *paragraphs(paper.abstract))
        page += self.cite_section(paper)
        if paper.errata:
            items = [para(strong(f"{e.date:%d %B %Y}: "), e.note) for e in paper.errata]
            page += section("Errata and revisions", "errata", bullet_list(items))
        return [page]

    def cite_section(self, paper: Paper) -> nodes.section:
        url = self.v.url(f"papers/{paper.id}.html")
        tabs = tab_set([
            ("BibTeX", [code_block(self.v.paper_bibtex(paper), "bibtex")]),
            ("ACL", [code_block(cite.to_acl_text(paper, self.v.workshop))]),
            ("Markdown", [code_block(cite.to_markdown(paper, self.v.workshop, url), "markdown")]),
            ("RIS", [code_block(self.v.paper_ris(paper))]),
        ], classes=["enlsp-cite"])
        downloads = para("Download: ", link(".bib", f"{paper.id}.bib", classes=["enlsp-download"]), " · ", link(".ris", f"{paper.id}.ris", classes=["enlsp-download"]))
        return section("Cite", "cite", tabs, downloads)

    # -- keynotes -------------------------------------------------------------------------
    def keynote_list(self) -> list[nodes.Node]:
        page = section("Keynote talks", "keynote-talks")
        page += grid([self.keynote_card(k) for k in self.v.proc.keynotes], "1 1 2 3")
        if self.v.proc.invited_speakers_without_talk:
            items = [self.person_link(p) for p in self.v.proc.invited_speakers_without_talk]
            page += section("Also invited", "also-invited", para("Confirmed speakers without a talk in the program:"), bullet_list(items))
        return [page]

    def keynote(self, keynote_id: str) -> list[nodes.Node]:
        keynote = self.v.keynotes_by_id[keynote_id]
        page = section(keynote.title, "keynote", classes=["enlsp-keynote"])
        speaker = keynote.speaker
        who = para(badge("Keynote", "primary"), " ", classes=["enlsp-speaker"])
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
            page += section(f"About {speaker.name}", "bio", *paragraphs(keynote.bio))
        page += section("Cite", "cite", code_block(self.v.keynote_bibtex(keynote), "bibtex"))
        return [page]

    # -- schedule ---------------------------------------------------------------------
    def schedule(self) -> list[nodes.Node]:
        w = self.v.workshop
        page = section("Schedule", "schedule")
        first = self.v.proc.schedule[0] if self.v.proc.schedule else None
        tzname = self.v.slot_datetimes(first)[0].tzname() if first else ""
        page += para(f"{w.date:%A} {w.date.day} {w.date:%B %Y}, {w.location}. All times are {w.location.split(',')[0]} time ({tzname}, {w.timezone}).")
        page += para(link("📅 Whole day in your calendar (schedule.ics)", self.href("schedule.ics"), classes=["enlsp-ics"]), classes=["enlsp-schedule-ics"])
        rows, ids = [], []
        for slot in self.v.proc.schedule:
            start, end = self.v.slot_datetimes(slot)
            time_cell = para(f"{start:%H:%M}–{end:%H:%M} {start.tzname()}", classes=["enlsp-time"])
            target = slot.target
            if target is None:
                event = [para(slot.title or "", classes=["enlsp-event", f"enlsp-kind-{slot.kind}"])]
                who: list[nodes.Node] = [para("")]
            else:
                kind, ident = target
                label = {"paper": PRESENTATION_LABELS[self.v.papers_by_id[ident].presentation] if kind == "paper" else "", "keynote": "Keynote", "panel": "Panel"}[kind]
                path = {"paper": f"papers/{ident}.html", "keynote": f"keynotes/{ident}.html", "panel": "panel.html"}[kind]
                event = [para(badge(label, "primary" if kind == "keynote" else "info"), " ", link(self.v.slot_title(slot), self.href(path)), " ",
                              link("📅 .ics", self.href(slot_ics_path(self.v, slot) or ""), classes=["enlsp-ics"]), classes=["enlsp-event"])]
                if kind == "paper":
                    who = [self.people_line(self.v.papers_by_id[ident].authors, with_affiliation=False)]
                elif kind == "keynote":
                    who = [self.people_line([self.v.keynotes_by_id[ident].speaker], with_affiliation=False)]
                else:
                    panel = self.v.proc.panel
                    who = [self.people_line(panel.panelists, with_affiliation=False)] if panel else [para("")]
            rows.append([time_cell, event, who])
            ids.append(self.v.slot_anchor(slot))
        page += table(["Time", "Event", "Speakers"], rows, classes=["enlsp-schedule"], row_ids=ids, widths=[12, 55, 33])
        return [page]

    # -- people -----------------------------------------------------------------------
    def people(self) -> list[nodes.Node]:
        page = section("Organizers and committee", "people")
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
        page = section("Call for papers", "call-for-papers")
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
            page += section("Important dates", "important-dates", self.dates_table())
        return [page]

    # -- authors ----------------------------------------------------------------------
    def author_index(self) -> list[nodes.Node]:
        page = section("Authors", "authors")
        records = self.v.people.sorted()
        page += para(f"{len(records)} people: authors, speakers, panelists, organizers and committee members.")
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
                roles = ", ".join(ROLE_LABELS[r] for r in record.roles)
                items.append(para(link(record.name, self.href(f"authors/{record.slug}.html")), inline(f" — {roles}", classes=["enlsp-roles"])))
            page += section(letter, f"letter-{letter.lower() if letter != '#' else 'other'}", bullet_list(items, classes=["enlsp-people-list"]))
        return [page]

    def author(self, slug: str) -> list[nodes.Node]:
        record = self.v.people.by_slug[slug]
        page = section(record.name, "person")
        page += para(*[x for r in record.roles for x in (badge(ROLE_LABELS[r], "secondary", outline=True), text(" "))])
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
            page += section("Co-authors", "coauthors", bullet_list(items, classes=["enlsp-people-list"]))
        return [page]
