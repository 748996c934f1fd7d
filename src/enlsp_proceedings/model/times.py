"""Dates and local times every output can represent.

A date of the metadata reaches Python's datetime arithmetic (with the time zone's offset, a day
either side), iCalendar, JSON-LD and the pages: `check_date` keeps it to the years 1900–2999,
as ``year`` is (9999-12-31 plus an offset is no datetime at all). A time zone must name a place
of the IANA database (`check_timezone`): ``localtime`` or ``posixrules`` name the building
machine's own setting, so the same metadata would give another schedule on another machine.
A slot's local time may not exist in its zone (the hour skipped when clocks go forward) or
may happen twice (when they go back): `local_time` tells which, for the loader's errors and
`check`'s warnings.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from functools import cache

#: The years a date of the metadata may have (the same range as ``year``).
FIRST_YEAR, LAST_YEAR = 1900, 2999
#: Zone names that stand for the building machine's settings, not for a place.
MACHINE_ZONES = frozenset({"localtime", "posixrules", "factory", "posix", "right"})


def check_date(value: dt.date) -> dt.date:
    """A date within `FIRST_YEAR`–`LAST_YEAR` (pydantic validator: raises ValueError with the sentence)."""
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValueError(f"{value.isoformat()} is not a date of a workshop: the year must be between {FIRST_YEAR} and {LAST_YEAR}")
    return value


@cache
def iana_zones() -> frozenset[str] | None:
    """The zone names of the IANA database, as the ``tzdata`` package lists them (None without it)."""
    try:
        from importlib import resources

        return frozenset(resources.files("tzdata").joinpath("zones").read_text(encoding="utf-8").split())
    except (ImportError, OSError, ValueError):
        return None


def check_timezone(value: str) -> str:
    """An IANA time zone naming a place (``Europe/Lisbon``, ``UTC``), the same on every machine."""
    first, _, rest = value.partition("/")
    if first.lower() in ("posix", "right") and rest:
        raise ValueError(f"{value!r} is a variant of the time zone files that only some machines have; write {rest!r}")
    if value.lower() in MACHINE_ZONES:
        raise ValueError(f"{value!r} is this machine's own time zone setting, not a place: the schedule would depend on the "
                         "computer that builds the site; give the IANA name of the workshop's place, e.g. 'Europe/Lisbon'")
    zones = iana_zones()
    if zones is not None and value not in zones:
        raise ValueError(f"unknown IANA time zone {value!r} (e.g. 'Asia/Kolkata', 'Europe/Lisbon', 'UTC')")
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown IANA time zone {value!r}") from None
    return value


def local_time(day: dt.date, hhmm: str, zone: str) -> tuple[str, str]:
    """Whether ``hhmm`` on ``day`` is a time of ``zone``: ("ok", ""), ("missing", why) when the clocks
    skip it, or ("ambiguous", why) when it happens twice (the site then means the first, as
    iCalendar does)."""
    tz = zoneinfo.ZoneInfo(zone)
    hour, minute = map(int, hhmm.split(":"))
    first = dt.datetime.combine(day, dt.time(hour, minute), tzinfo=tz)
    second = first.replace(fold=1)
    back = first.astimezone(dt.UTC).astimezone(tz)
    if back.replace(tzinfo=None) != first.replace(tzinfo=None):
        before, after = first.utcoffset(), second.utcoffset()
        jump = abs((before or dt.timedelta()) - (after or dt.timedelta()))
        return "missing", (f"{hhmm} on {day.isoformat()} does not exist in {zone}: the clocks go forward by "
                           f"{_duration(jump)} that night; give a time before or after the change")
    if first.utcoffset() != second.utcoffset():
        return "ambiguous", (f"{hhmm} on {day.isoformat()} happens twice in {zone} (the clocks go back that night); the site "
                             f"and the calendars mean the first time, {first.tzname()} (UTC{_offset(first)})")
    return "ok", ""


def _duration(delta: dt.timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    return f"{minutes // 60} hour{'s' if minutes // 60 != 1 else ''}" if minutes % 60 == 0 else f"{minutes} minutes"


def _offset(moment: dt.datetime) -> str:
    seconds = int((moment.utcoffset() or dt.timedelta()).total_seconds())
    sign = "+" if seconds >= 0 else "-"
    return f"{sign}{abs(seconds) // 3600:02d}:{abs(seconds) % 3600 // 60:02d}"
