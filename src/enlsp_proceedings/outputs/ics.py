"""Calendar files: ``schedule.ics`` for the whole day and one ``.ics`` per talk.

Times are in the workshop's time zone (a VTIMEZONE is included, so calendars show
each slot at the right local time anywhere). The files depend only on the data:
DTSTAMP is derived from the workshop date, so an unchanged schedule gives
byte-identical files and the build does not rewrite them.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

from icalendar import Calendar, Event, vText

from enlsp_proceedings.model.schema import Slot
from enlsp_proceedings.outputs.volume import Volume
from enlsp_proceedings.util import latex

PRODID = "-//enlsp-proceedings//schedule//EN"


def _title(volume: Volume, slot: Slot) -> str:
    """The slot's title; a paper's or keynote's as plain text (`util.latex.plain`: ``$7x$`` -> "7x")."""
    title = volume.slot_title(slot)
    return latex.plain(title) if slot.target and slot.target[0] in ("paper", "keynote") else title


def _summary(volume: Volume, slot: Slot) -> str:
    title = _title(volume, slot)
    if slot.target and slot.target[0] in ("keynote", "panel"):
        return f"{volume.slot_kind_label(slot)}: {title}"
    return title


def _who(volume: Volume, slot: Slot) -> str:
    target = slot.target
    if target is None:
        return ""
    kind, ident = target
    canonical = volume.proc.canonical_name
    if kind == "paper":
        return ", ".join(canonical(a.name) for a in volume.papers_by_id[ident].authors)
    if kind == "keynote":
        return ", ".join(canonical(s.name) for s in volume.keynotes_by_id[ident].speakers)
    panel = volume.proc.panel
    return ", ".join(canonical(p.name) for p in panel.panelists) if panel else ""


def _event(volume: Volume, slot: Slot, stamp: dt.datetime) -> Event:
    w = volume.workshop
    start, end = volume.slot_datetimes(slot)
    url = volume.url(volume.slot_page(slot))
    host = urlsplit(w.base_url).hostname or "localhost"
    event = Event()
    rank = volume.slot_rank(slot)
    what = "-".join(slot.target or ("slot",)) + (f"-{rank}" if rank > 1 else "")
    event.add("uid", f"{w.short_name}-{w.year}-{volume.slot_date(slot):%Y%m%d}-{slot.start.replace(':', '')}-{what}@{host}")
    event.add("dtstamp", stamp)
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("summary", _summary(volume, slot))
    who = _who(volume, slot)
    event.add("description", "\n".join(x for x in (who, f"{w.short_name} · {w.venue}", url) if x))
    event.add("location", ", ".join(x for x in (w.room, w.location) if x))
    event.add("url", url)
    return event


def _calendar(volume: Volume, slots: list[Slot], name: str) -> str:
    w = volume.workshop
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", vText(name))  # X- properties are not TEXT by default: escape newlines
    cal.add("x-wr-timezone", w.timezone)
    stamp = dt.datetime.combine(w.date, dt.time(0, 0), tzinfo=dt.UTC)
    for slot in slots:
        cal.add_component(_event(volume, slot, stamp))
    # VTIMEZONE rules for the workshop's year only (the default spans 1970-2038)
    cal.add_missing_timezones(first_date=dt.date(w.date.year - 1, 1, 1), last_date=dt.date(w.date.year + 1, 12, 31))
    return cal.to_ical().decode("utf-8")


def schedule_ics(volume: Volume) -> str:
    """The whole day: one event per slot."""
    w = volume.workshop
    return _calendar(volume, list(volume.proc.schedule), f"{w.short_name} {w.year}")


def talk_ics_files(volume: Volume) -> dict[str, str]:
    """Site path -> calendar text for every talk that has a slot."""
    files = {}
    for slot in volume.proc.schedule:
        path = volume.slot_ics_path(slot)
        if path:
            files[path] = _calendar(volume, [slot], f"{volume.workshop.short_name}: {_title(volume, slot)}")
    return files
