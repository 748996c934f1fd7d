"""Reading the files organizers keep their program in, with the line of every fact: a Jekyll
site's ``_data`` files (`read_jekyll_schedule`, `read_people`, `read_committee`, `read_navigation`)
and a plain spreadsheet (`read_sheet`). Each gives source-neutral records (`SourceSlot`,
`SourcePerson`); `importers.program` maps them onto ``conf/``.

The readers decide nothing about papers or keynote ids; they read text (HTML fragments made plain,
`program_text.html_text`), times (`program_text.parse_times`) and names, and record in `Issues`
what they could not read or what a value loses on the way.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from enlsp_proceedings.importers.cmt import split_cmt_authors
from enlsp_proceedings.importers.program_text import Issues, TimeError, Times, Where, html_text, parse_times, person_entry, split_honorific
from enlsp_proceedings.importers.records import ExportError
from enlsp_proceedings.importers.tables import MAX_EXPORT_BYTES, header_key, human_size, read_table
from enlsp_proceedings.model.codes import Level
from enlsp_proceedings.model.load import alias_problem


@dataclass
class SourcePerson:
    """A person as an input file names them (speaker, panelist, organizer, committee member)."""

    name: str
    where: Where
    affiliation: str | None = None
    honorific: str | None = None
    url: str | None = None


@dataclass
class SourceSlot:
    """One entry of the program as written: its title (HTML made plain, a leading "(Label)" split
    off into ``label``), its times, and whatever the file says about it."""

    where: Where
    title: str
    label: str | None = None
    time_text: str = ""
    time_where: Where | None = None  # the line of the time (of the Time field, in a Jekyll schedule)
    times: Times | None = None  # None when the time could not be read (an error is recorded)
    date: dt.date | None = None
    kind: str | None = None  # the spreadsheet's kind column, as written
    is_paper: bool = False
    presenters: list[SourcePerson] = field(default_factory=list)
    moderator: SourcePerson | None = None
    bio: str = ""
    bio_where: Where | None = None
    abstract: str = ""
    abstract_where: Where | None = None
    authors: list[str] = field(default_factory=list)
    paper: str | None = None  # the spreadsheet's paper reference (id, review id, number or title)
    papers: str | None = None  # the spreadsheet's poster-session papers (ids, review ids, numbers, ranges)
    ident: str | None = None  # the spreadsheet's id column


# -- reading YAML data files with their lines ------------------------------------------------------


def load_data_file(path: Path) -> Any:
    """A YAML (or JSON) data file with the line of every mapping and list item (ruamel.yaml's
    round-trip nodes carry them); refused when too large or when its aliases expand too far."""
    try:
        size = path.stat().st_size
        if size > MAX_EXPORT_BYTES:
            raise ExportError(f"{path}: the file is {human_size(size)}, more than the {human_size(MAX_EXPORT_BYTES)} an input may have")
        from enlsp_proceedings.importers.tables import decode

        text = decode(path.read_bytes())
    except OSError as exc:
        raise ExportError(f"{path}: cannot read it ({exc.strerror or exc})") from None
    bomb = alias_problem(text)
    if bomb is not None:
        raise ExportError(f"{path}:{bomb[0] or 1}: {bomb[1]}")
    from ruamel.yaml import YAML

    try:
        return YAML(typ="rt", pure=True).load(text)
    except RecursionError:
        raise ExportError(f"{path}: nested too deeply to be program data") from None
    except Exception as exc:  # noqa: BLE001 - ruamel's parser errors carry the position
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
        problem = getattr(exc, "problem", None) or exc
        raise ExportError(f"{where}: not readable YAML ({problem})") from None


def _line(node: Any, key: Any = None) -> int | None:
    """1-based line of a mapping's key (or of the node itself) in a round-trip-loaded document."""
    lc = getattr(node, "lc", None)
    if lc is None:
        return None
    try:
        if key is not None:
            return int(lc.key(key)[0]) + 1
        return int(lc.line) + 1
    except (KeyError, TypeError, AttributeError):
        return None


def _item_line(seq: Any, index: int) -> int | None:
    try:
        return int(seq.lc.item(index)[0]) + 1
    except (AttributeError, KeyError, TypeError):
        return None


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _truthy(value: Any) -> bool:
    return value is True or _text(value).strip().lower() in ("true", "yes", "1", "y")


def _keys(mapping: Any) -> dict[str, Any]:
    """A mapping's keys compared loosely ("Is_paper", "is paper" and "isPaper" are one key)."""
    return {header_key(re.sub(r"(?<=[a-z])(?=[A-Z])", " ", str(k))): k for k in mapping}


# -- a Jekyll schedule -------------------------------------------------------------------------------

#: Keys of a Jekyll schedule entry the import reads, and those it knowingly leaves (layout only).
_SCHEDULE_KEYS = {"title", "time", "start", "end", "date", "day", "presenter", "presenters", "speaker", "speakers",
                  "is paper", "bio", "abstract", "authors", "moderator"}
_LAYOUT_KEYS = {"whole line"}
_LABEL = re.compile(r"^\(([^()]*)\)\s*(.*)$", re.DOTALL)


def split_label(title: str) -> tuple[str | None, str]:
    """'(KeyNote Talk) Deploying ...' -> ('KeyNote Talk', 'Deploying ...'); (None, title) without a label."""
    match = _LABEL.match(title)
    if match and match.group(2).strip():
        return " ".join(match.group(1).split()) or None, match.group(2).strip()
    return None, title


def _split_names(text: str) -> list[str]:
    """A list of names in one string: split at ';', '·', ',', '&' and ' and ' outside parentheses."""
    parts, depth, start = [], 0, 0
    for index, char in enumerate(text):
        depth = max(0, depth + {"(": 1, ")": -1}.get(char, 0))
        if depth == 0 and char in ";·,&":
            parts.append(text[start:index])
            start = index + 1
    parts.append(text[start:])
    names = []
    for part in parts:
        names += [p for p in re.split(r"\s+and\s+(?![^()]*\))", part) if p.strip()]
    return [" ".join(n.split()) for n in names if n.strip()]


def read_presenters(value: str, where: Where, issues: Issues) -> tuple[list[SourcePerson], SourcePerson | None]:
    """The people of a Presenter value ("Samy Bengio <br> Tatiana Likhomanenko", "<ul><li>…</li></ul>",
    "A, B"), each "Name (Affiliation)" read; an item "Moderator: X" is the moderator."""
    fragment = html_text(value)
    for lost in fragment.lost:
        issues.add(Level.NOTE, where, f"presenter: {lost} (not imported)")
    people, moderator = [], None
    for item in fragment.items:
        is_moderator = False
        found = re.match(r"^(moderator|moderated by|chair)\s*:?\s*", item, re.IGNORECASE)
        if found:
            item, is_moderator = item[found.end():], True
        for name in _split_names(item):
            person = _source_person(name, where, issues, "presenter", "")
            if person is None:
                continue
            if is_moderator:
                moderator = person
            else:
                people.append(person)
    return people, moderator


def _read_time(text: str, end_text: str | None, where: Where, issues: Issues) -> Times | None:
    try:
        return parse_times(text, end_text)
    except TimeError as exc:
        issues.add(Level.ERROR, where, f"time {exc}; correct it in the file")
        return None


def _entry_list(path: Path, what: str) -> list:
    """The list of entries a data file holds: the file itself, or the first list inside a mapping
    (a file keyed by a heading); ExportError naming ``what`` was expected otherwise."""
    data = load_data_file(path)
    if isinstance(data, dict):
        data = next((v for v in data.values() if isinstance(v, list)), None)
    if not isinstance(data, list):
        raise ExportError(f"{path}: expected a list of {what}")
    return data


def read_jekyll_schedule(path: Path, issues: Issues) -> list[SourceSlot]:
    """The program of a Jekyll site's ``_data/schedule.yml`` (a workshop template's: a list of entries
    with Title, Time, Presenter, Is_paper, Bio, Abstract, Authors; ``Whole_line`` is layout)."""
    data = _entry_list(path, "schedule entries (Title, Time, ...)")
    slots = []
    ignored: dict[str, list[int]] = {}
    for index, item in enumerate(data):
        where = Where(path, _item_line(data, index))
        if not isinstance(item, dict):
            issues.add(Level.ERROR, where, "a schedule entry must be a mapping with Title and Time; not imported")
            continue
        keys = _keys(item)

        def get(*names: str, keys: dict[str, Any] = keys, item: Any = item) -> tuple[str, Where]:
            for name in names:
                if name in keys:
                    return _text(item[keys[name]]), Where(path, _line(item, keys[name]))
            return "", where  # noqa: B023 - each entry's own place, used at once

        for loose, key in keys.items():
            if loose not in _SCHEDULE_KEYS and loose not in _LAYOUT_KEYS:
                ignored.setdefault(str(key), []).append(_line(item, key) or 0)
        raw_title, title_where = get("title")
        fragment = html_text(raw_title)
        for lost in fragment.lost:
            issues.add(Level.NOTE, title_where, f"title: {lost} (not imported)")
        label, title = split_label(fragment.text.replace("\n\n", " "))
        slot = SourceSlot(where=where, title=title, label=label)
        if not title:
            issues.add(Level.ERROR, where, "a schedule entry without a title; not imported")
            continue
        time_text, time_where = get("time")
        start_text, _ = get("start")
        end_text, _ = get("end")
        slot.time_where = time_where
        if time_text.strip():
            slot.time_text = time_text.strip()
            slot.times = _read_time(time_text, None, time_where, issues)
        elif start_text.strip() and end_text.strip():
            slot.time_text = f"{start_text.strip()} - {end_text.strip()}"
            slot.times = _read_time(start_text, end_text, time_where, issues)
        else:
            issues.add(Level.ERROR, where, f"{title!r} has no Time; not imported")
            continue
        date_text, date_where = get("date", "day")
        if date_text.strip():
            slot.date = read_date(date_text, date_where, issues)
        slot.is_paper = _truthy(get("is paper")[0])
        presenter, presenter_where = get("presenter", "presenters", "speaker", "speakers")
        if presenter.strip():
            slot.presenters, slot.moderator = read_presenters(presenter, presenter_where, issues)
        moderator, moderator_where = get("moderator")
        if moderator.strip():
            people, _ = read_presenters(moderator, moderator_where, issues)
            slot.moderator = people[0] if people else None
        for name in ("bio", "abstract"):
            value, value_where = get(name)
            fragment = html_text(value)
            for lost in fragment.lost:
                issues.add(Level.NOTE, value_where, f"{name}: {lost} (not imported)")
            setattr(slot, name, fragment.text)
            setattr(slot, f"{name}_where", value_where)
        authors, _ = get("authors")
        slot.authors = _split_names(html_text(authors).text)
        slots.append(slot)
    for key, lines in ignored.items():
        shown = ", ".join(str(n) for n in lines[:8]) + (", ..." if len(lines) > 8 else "")
        issues.add(Level.NOTE, Where(path), f"field {key!r} not imported (lines {shown}): the program has no such field")
    return slots


def read_date(text: str, where: Where, issues: Issues) -> dt.date | None:
    """An ISO date ("2023-12-16"), also as a spreadsheet gives a date cell ("2023-12-16 00:00:00")."""
    match = re.fullmatch(r"\s*(\d{4}-\d{2}-\d{2})(?:[ T]00:00(?::00)?)?\s*", text)
    try:
        if match:
            return dt.date.fromisoformat(match.group(1))
    except ValueError:
        pass
    issues.add(Level.ERROR, where, f"date {text.strip()!r} is not an ISO date like 2023-12-16")
    return None


# -- people files ---------------------------------------------------------------------------------

#: A person's keys in a Jekyll data file -> the field they fill; the first URL key present is the person's url.
_PERSON_KEYS = {"name": "name", "title": "honorific", "honorific": "honorific", "affiliation": "affiliation",
                "institution": "affiliation", "organization": "affiliation", "organisation": "affiliation"}
_URL_KEYS = ("url", "homepage", "website", "web", "link", "scholar link", "scholar", "google scholar", "linkedin link", "linkedin")


def read_people(path: Path, issues: Issues, role: str) -> list[SourcePerson]:
    """The people of a Jekyll data file (speakers.yml, panelists.yml, organizers.yml): mappings with
    ``name`` found anywhere in the file (rows of ``{num_row, speakers: [...]}`` included),
    in file order. ``title`` is the honorific; the first of url, homepage, website, scholar_link,
    linkedin_link is the person's url; photos and other fields are listed as not imported."""
    data = load_data_file(path)
    people: list[SourcePerson] = []
    ignored: dict[str, int] = {}

    def visit(node: Any, line: int | None) -> None:
        if isinstance(node, dict):
            keys = _keys(node)
            if "name" in keys:
                people.append(_person(node, keys, Where(path, line or _line(node)), issues, ignored, role))
                return
            for key, value in node.items():
                visit(value, _line(node, key))
        elif isinstance(node, list):
            for index, value in enumerate(node):
                if isinstance(value, str) and value.strip():
                    entry = person_entry(html_text(value).text)
                    where = Where(path, _item_line(node, index))
                    if entry.problem:
                        issues.add(Level.ERROR, where, f"{role} {value!r}: {entry.problem}; not imported")
                    else:
                        people.append(SourcePerson(entry.name, where, entry.affiliation, entry.honorific))
                else:
                    visit(value, _item_line(node, index))

    visit(data, None)
    for key, count in ignored.items():
        issues.add(Level.NOTE, Where(path), f"field {key!r} of {count} {role}(s) not imported: people have no such field")
    if not people:
        issues.add(Level.WARNING, Where(path), f"no {role}s found (entries with a 'name')")
    return people


def _person(node: Any, keys: dict[str, Any], where: Where, issues: Issues, ignored: dict[str, int], role: str) -> SourcePerson:
    name = html_text(_text(node[keys["name"]])).text
    honorific, name = split_honorific(name)
    person = SourcePerson(name, where, honorific=honorific)
    url_keys = [k for k in _URL_KEYS if k in keys and _text(node[keys[k]]).strip()]
    for loose, key in keys.items():
        value = html_text(_text(node[key])).text
        target = _PERSON_KEYS.get(loose)
        if target and target != "name":
            if value and not (target == "honorific" and person.honorific):
                setattr(person, target, value)
        elif loose in url_keys[:1]:
            person.url = value
        elif loose != "name" and value and loose not in ("num row",):
            ignored[str(key)] = ignored.get(str(key), 0) + 1
    if not name:
        issues.add(Level.ERROR, where, f"a {role} without a name; not imported")
    return person


def read_committee(path: Path, issues: Issues) -> list[SourcePerson]:
    """A technical committee kept as "Name (Affiliation)" strings (or mappings with name and affiliation)."""
    data = _entry_list(path, "'Name (Affiliation)' entries")
    members = []
    for index, item in enumerate(data):
        where = Where(path, _item_line(data, index))
        if isinstance(item, dict):
            members += read_people_mapping(item, where, issues)
            continue
        text = html_text(_text(item)).text
        if not text:
            continue
        person = _source_person(text, where, issues, "committee entry", "; correct it in the file")
        if person is not None:
            members.append(person)
    return members


def read_people_mapping(item: Any, where: Where, issues: Issues) -> list[SourcePerson]:
    """One person given as a mapping (name, affiliation, ...) inside a list of strings."""
    keys = _keys(item)
    if "name" not in keys:
        issues.add(Level.ERROR, where, "an entry without a name; not imported")
        return []
    ignored: dict[str, int] = {}
    person = _person(item, keys, where, issues, ignored, "person")
    for key in ignored:
        issues.add(Level.NOTE, where, f"field {key!r} not imported")
    return [person] if person.name else []


def read_navigation(path: Path, issues: Issues) -> None:
    """A Jekyll site's navigation: nothing in it is program data. Links that leave the old site are
    listed as not imported (the new site makes its own navigation); the rest are counted."""
    data = load_data_file(path)
    internal = 0
    for index, item in enumerate(data if isinstance(data, list) else []):
        if not isinstance(item, dict):
            continue
        keys = _keys(item)
        url = _text(item.get(keys.get("url", "url"))).strip()
        title = _text(item.get(keys.get("title", "title"))).strip()
        if re.match(r"https?://", url):
            issues.add(Level.NOTE, Where(path, _item_line(data, index)), f"link {title!r} -> {url} not imported: no conf file has a field for it")
        else:
            internal += 1
    if internal:
        issues.add(Level.NOTE, Where(path), f"{internal} links to the old site's own pages not imported (the new site makes its own navigation)")


# -- a spreadsheet ----------------------------------------------------------------------------------

#: The spreadsheet's columns (header names compared as `tables.header_key` does) -> what they hold.
SHEET_COLUMNS: dict[str, tuple[str, ...]] = {
    "date": ("date", "day"),
    "time": ("time",),
    "start": ("start", "start time", "from", "begins"),
    "end": ("end", "end time", "to", "ends"),
    "kind": ("kind", "type"),
    "title": ("title", "talk title", "event"),
    "paper": ("paper", "paper id", "papers"),
    "speakers": ("speakers", "speaker", "presenter", "presenters", "panelists"),
    "moderator": ("moderator",),
    "abstract": ("abstract", "description"),
    "bio": ("bio", "bios", "biography"),
    "id": ("id",),
}


def read_sheet(path: Path, issues: Issues) -> list[SourceSlot]:
    """The program kept in a spreadsheet (.csv, .tsv, .xlsx; one row per slot, columns in
    `SHEET_COLUMNS`, title rows above the header skipped). Row numbers are those a spreadsheet program shows."""
    size = path.stat().st_size
    if size > MAX_EXPORT_BYTES:
        raise ExportError(f"{path}: the file is {human_size(size)}, more than the {human_size(MAX_EXPORT_BYTES)} an input may have")
    rows = read_table(path).rows
    header_at = None
    for index, row in enumerate(rows[:50]):
        names = {header_key(c) for c in row}
        if "title" in names and (names & {"time", "start"}):
            header_at = index
            break
    if header_at is None:
        raise ExportError(f"{path}: no header row with a 'title' column and a 'time' (or 'start' and 'end') column")
    header = [header_key(c) for c in rows[header_at]]
    columns: dict[str, int] = {}
    for name, aliases in SHEET_COLUMNS.items():
        for alias in aliases:
            if alias in header:
                columns[name] = header.index(alias)
                break
    unknown = [rows[header_at][i] for i, h in enumerate(header) if h and i not in columns.values()]
    if unknown:
        issues.add(Level.NOTE, Where(path, header_at + 1), f"column(s) not imported: {', '.join(repr(u) for u in unknown)}")
    slots = []
    for number, row in enumerate(rows[header_at + 1:], start=header_at + 2):
        if not any(cell.strip() for cell in row):
            continue
        where = Where(path, number)

        def get(name: str, row: list[str] = row) -> str:
            index = columns.get(name)
            return row[index].strip() if index is not None and index < len(row) else ""

        fragment = html_text(get("title"))
        label, title = split_label(fragment.text.replace("\n\n", " "))
        slot = SourceSlot(where=where, title=title, label=label, kind=get("kind").lower() or None, ident=get("id") or None)
        if get("time"):
            slot.time_text = get("time")
            slot.times = _read_time(get("time"), None, where, issues)
        elif get("start") and get("end"):
            slot.time_text = f"{get('start')} - {get('end')}"
            slot.times = _read_time(get("start"), get("end"), where, issues)
        else:
            issues.add(Level.ERROR, where, "no time (a 'time' range, or 'start' and 'end'); not imported")
            continue
        if get("date"):
            slot.date = read_date(get("date"), where, issues)
        slot.paper = get("paper") or None
        slot.papers = slot.paper
        people = [p for line in get("speakers").splitlines() for p in split_cmt_authors(line)]
        slot.presenters, slot.moderator = read_presenters("<br>".join(people), where, issues) if people else ([], None)
        if get("moderator"):
            found, _ = read_presenters(get("moderator"), where, issues)
            slot.moderator = found[0] if found else slot.moderator
        for name in ("abstract", "bio"):
            text = html_text(get(name))
            for lost in text.lost:
                issues.add(Level.NOTE, where, f"{name}: {lost} (not imported)")
            setattr(slot, name, text.text)
            setattr(slot, f"{name}_where", where)
        if not title and not slot.paper:
            issues.add(Level.ERROR, where, "a row with neither a title nor a paper; not imported")
            continue
        slots.append(slot)
    return slots


def _source_person(text: str, where: Where, issues: Issues, what: str, advice: str) -> SourcePerson | None:
    """One "Name (Affiliation)" of the inputs as a person, or None after an error naming ``what`` it was
    (a presenter, a committee entry); an odd reading (no space before the parenthesis) is a note."""
    entry = person_entry(text)
    if entry.problem:
        issues.add(Level.ERROR, where, f"{what} {text!r}: {entry.problem}{advice}")
        return None
    if entry.oddity:
        issues.add(Level.NOTE, where, f"{what} {text!r} ({entry.oddity}) read as name {entry.name!r}, affiliation {entry.affiliation!r}")
    return SourcePerson(entry.name, where, entry.affiliation, entry.honorific)
