"""The schedule (``schedule``): the program day by day, parallel events side by side, each talk
linking its page and its calendar file."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import NamedTuple

from docutils import nodes
from markupsafe import Markup

from enlsp_proceedings import paths
from enlsp_proceedings.model.schema import Presentation, Slot, Workshop
from enlsp_proceedings.outputs.volume import Volume
from enlsp_proceedings.sphinxext.pages.common import (
    LIST_ITEM,
    Page,
    PageKind,
    PersonRef,
    Shown,
    author_names,
    calendar_icon,
    person_refs,
    shown_authors,
    star_button,
    star_key,
)
from enlsp_proceedings.sphinxext.richtext import flag_math, rich, rich_markup
from enlsp_proceedings.sphinxext.widgets import badge, fragment, inline, link, para, section, table
from enlsp_proceedings.util import latex

_SESSION_PAPERS = Markup(
    '<details class="enlsp-more enlsp-session-papers"><summary>{summary}</summary>\n<ul class="enlsp-paper-list">\n{items}</ul>\n</details>\n'
)


class Row(NamedTuple):
    """One slot as the schedule shows it."""

    anchor: str
    start: str  # 'HH:MM' on the slot's day, for grouping parallel events
    end: str
    times: str  # '09:00–09:10 WET'
    hours: tuple[str, str, str]  # ('09:00', '09:10', 'WET')
    kind: str  # the slot's kind (breaks, sessions...) or its target's
    title: str
    label: str | None  # the talk's kind as the site names it ('Oral', 'Keynote'...); None for slots without a page
    page: str | None
    ics: str | None
    who: list[PersonRef] | None  # the talk's people (None: no speakers cell)
    papers: list[tuple[str, str, str]]  # a poster session's papers: (id, title, authors)
    star: str = ""  # the talk's name in the reading list (common.star_key)
    more: int = 0  # people a long author list leaves out of ``who`` (`common.shown_authors`)


def _parallel_groups(slots: list[Row]) -> list[list[Row]]:
    """Slots of one day (sorted by start) in groups of events that overlap in time."""
    groups: list[list[Row]] = []
    end = ""
    for slot in slots:
        if groups and slot.start < end:
            groups[-1].append(slot)
            end = max(end, slot.end)
        else:
            groups.append([slot])
            end = slot.end
    return groups


def _row(v: Volume, slot: Slot) -> Row:
    start, end = v.slot_datetimes(slot)
    hours = (f"{start:%H:%M}", f"{end:%H:%M}", start.tzname() or "")
    times = f"{hours[0]}–{hours[1]} {hours[2]}"
    target = slot.target
    if target is None:
        papers = [(i, v.papers_by_id[i].title, author_names(v, v.papers_by_id[i])) for i in slot.papers]
        return Row(v.slot_anchor(slot), slot.start, slot.end, times, hours, slot.kind or "", slot.title or "", None, None, None, None, papers)
    kind, ident = target
    who: list[PersonRef] | None
    more = 0
    if kind == "paper":
        authors, more = shown_authors(v.papers_by_id[ident].authors)
        who = person_refs(v, authors)
    elif kind == "keynote":
        who = person_refs(v, v.keynotes_by_id[ident].speakers)
    else:
        who = person_refs(v, v.proc.panel.panelists) if v.proc.panel else None
    return Row(v.slot_anchor(slot), slot.start, slot.end, times, hours, kind, v.slot_title(slot), v.slot_kind_label(slot), v.slot_page(slot), v.slot_ics_path(slot), who, [],
               star_key(kind, ident), more)


@dataclass(frozen=True)
class ScheduleShows(Shown):
    """What the schedule shows."""

    workshop: Workshop
    #: the time zone's name on the first day ('CST')
    tzname: str
    #: each day and its slots, by start
    days: list[tuple[dt.date, list[Row]]]
    #: the poster presentation kind, when a slot lists papers (a poster session)
    poster: Presentation | None


def shows(v: Volume, ident: str | None = None) -> ScheduleShows:
    """The workshop, the time zone's name, and each day's slots."""
    first = v.proc.schedule[0] if v.proc.schedule else None
    days: list[tuple[dt.date, list[Row]]] = []
    for day in v.days:
        slots = sorted((s for s in v.proc.schedule if v.slot_date(s) == day), key=lambda s: (s.start, s.end))
        days.append((day, [_row(v, s) for s in slots]))
    return ScheduleShows(workshop=v.workshop, tzname=(v.slot_datetimes(first)[0].tzname() or "") if first else "", days=days,
                         poster=v.workshop.presentation("poster") if any(s.papers for s in v.proc.schedule) else None)


def _day(day: dt.date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def render(page: Page, d: ScheduleShows) -> list[nodes.Node]:
    """The schedule body."""
    w = d.workshop
    out = section(w.labels.schedule, "schedule")
    days = [day for day, _rows in d.days]
    when = _day(days[0]) if len(days) == 1 else f"{_day(days[0])} to {_day(days[-1])}"
    out += para(f"{when}, {w.location}. All times are {w.location.split(',')[0]} time ({d.tzname}, {w.timezone}).")
    whole = "Whole day" if len(days) == 1 else "The whole program"
    out += para(link(inline(calendar_icon(), f"{whole} in your calendar (schedule.ics)"), page.href(paths.SCHEDULE_ICS), classes=["enlsp-ics"]),
                classes=["enlsp-schedule-ics"])
    for day, day_rows in d.days:
        rows: list[list[nodes.Node | list[nodes.Node]]] = []
        ids: list[str | None] = []
        for group in _parallel_groups(day_rows):
            if len(group) == 1:
                slot = group[0]
                event, who = _event(page, d, slot)
                rows.append([_time(slot.times), event, who])
                ids.append(slot.anchor)
                continue
            # parallel events (breakfast during the opening, posters during lunch): side by side in one row
            blocks = []
            for slot in group:
                event, who = _event(page, d, slot)
                block = nodes.container("", _time(slot.times), *event, *who, classes=["enlsp-parallel-event"])
                block["ids"] = [slot.anchor]
                blocks.append(block)
            first = min(group, key=lambda s: s.start)
            last = max(group, key=lambda s: s.end)
            span = f"{first.hours[0]}–{last.hours[1]} {first.hours[2]}"
            rows.append([_time(span), [nodes.container("", *blocks, classes=["enlsp-parallel"])], [para("")]])
            ids.append(None)
        tbl = table(["Time", "Event", "Speakers"], rows, classes=["enlsp-schedule"], row_ids=ids, widths=[12, 55, 33])
        if len(days) > 1:
            out += section(_day(day), f"day-{day:%Y%m%d}", tbl)
        else:
            out += tbl
    return [out]


def _time(times: str) -> nodes.paragraph:
    return para(times, classes=["enlsp-time"])


def _event(page: Page, d: ScheduleShows, slot: Row) -> tuple[list[nodes.Node], list[nodes.Node]]:
    """The Event and Speakers cells of one slot."""
    if slot.page is None:
        event: list[nodes.Node] = [para(slot.title, classes=["enlsp-event", f"enlsp-kind-{slot.kind}"])]
        if slot.papers and d.poster is not None:  # (`shows` names the poster kind whenever a slot lists papers)
            items = [LIST_ITEM.format(href=page.href(paths.paper_page(ident)), title=rich_markup(title), award=Markup(""), authors=authors) for ident, title, authors in slot.papers]
            summary = f"{len(items)} {d.poster.group.lower() if len(items) != 1 else d.poster.label.lower()}"
            event.append(flag_math(fragment(_SESSION_PAPERS.format(summary=summary, items=Markup("").join(items)), "\n".join(latex.plain(title) for _i, title, _a in slot.papers)),
                                   *(title for _i, title, _a in slot.papers)))
        return event, [para("")]
    event = [para(badge(slot.label or "", "primary" if slot.kind == "keynote" else "info"), " ",
                  link(inline(*rich(slot.title)) if slot.kind in ("paper", "keynote") else slot.title, page.href(slot.page)), " ",
                  inline(link(inline(calendar_icon(), ".ics"), page.href(slot.ics or ""), classes=["enlsp-ics"]), " ", star_button(slot.star),
                         classes=["enlsp-event-tools"]),
                  classes=["enlsp-event"])]
    who: list[nodes.Node] = ([page.people_line(slot.who, with_affiliation=False, more=slot.more,
                                               more_href=f"{page.href(slot.page)}#{paths.ALL_AUTHORS}" if slot.more and slot.page else None)]
                             if slot.who is not None else [para("")])
    return event, who


def pages(v: Volume) -> list[tuple[str, str | None]]:
    """The schedule, once the edition has a program (one imported later adds it)."""
    return [("schedule", None)] if v.proc.has_program else []


KIND = PageKind("schedule", pages, shows, render)
