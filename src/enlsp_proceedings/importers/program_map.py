"""Mapping the program and the people onto conf/ (`build_program`): the rules of the program import.

Inputs: a Jekyll site's ``_data`` folder (schedule, speakers, panelists, organizers, technical
committee, as a workshop website's Jekyll template keeps them), the same files one by one, or a plain
spreadsheet (one row per slot, `program_read.SHEET_COLUMNS`). Outputs: ``keynotes.yaml``,
``schedule.yaml``, ``panel.yaml`` and the ``organizers`` and ``technical_committee`` of
``people.yaml``, every entry with a ``# source: file:line`` comment.

What the program says is mapped onto conf/ by documented rules, never by a guess:

* a slot is a **paper** when the file says so (``Is_paper``, the spreadsheet's kind or paper
  column); its paper is found in ``papers.yaml`` by id, review id, the review system's number, or
  title (`compact`: case, accents, spaces and punctuation ignored). No match or several: an error;
* a **keynote** is labelled so ("(KeyNote Talk)", "Invited talk", kind ``keynote``); its speakers
  get honorific, affiliation and URL from ``speakers.yml`` (same name up to case and accents);
* the **panel** is the talk with "panel" in its title, its panelists' affiliations from ``panelists.yml``;
* a **poster session** ("poster session" in its title) lists the accepted papers of its
  "Paper IDs 1–45" (review-system numbers, ``review_id: cmt:<n>``);
* any other slot is an **event** whose kind comes from its title's words (`event_kind`).

Everything that cannot be mapped is an `Issue` with file and line: an error stops the import
(nothing is written), a warning or note is printed with the result. `program_write` writes the
files; `program.run_program_import` runs the whole import.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from enlsp_proceedings.importers.program_read import (
    SourcePerson,
    SourceSlot,
    read_committee,
    read_jekyll_schedule,
    read_navigation,
    read_people,
    read_sheet,
)
from enlsp_proceedings.importers.program_text import Issues, Where, is_placeholder
from enlsp_proceedings.importers.records import ExportError
from enlsp_proceedings.model.codes import Level
from enlsp_proceedings.model.load import Problem, read_conf_yaml
from enlsp_proceedings.model.schema import ID_PATTERN, Person, Workshop
from enlsp_proceedings.util.text import compact, edits_within, fold, slug

# -- inputs ---------------------------------------------------------------------------------------

#: What each input holds, by file name (stem, lower case): a Jekyll site's ``_data`` names.
ROLES = {
    "schedule": ("schedule", "program", "programme"),
    "speakers": ("speakers", "keynote_speakers", "invited_speakers"),
    "panelists": ("panelists", "panellists", "panel"),
    "organizers": ("organizers", "organisers", "organizing_committee"),
    "committee": ("technical_committee", "program_committee", "programme_committee", "committee", "reviewers"),
    "navigation": ("navigation",),
}
DATA_SUFFIXES = (".yml", ".yaml", ".json")
SHEET_SUFFIXES = (".csv", ".tsv", ".xlsx", ".xlsm", ".xls")


@dataclass
class Inputs:
    """The files of one import, by role (``schedule`` is a Jekyll schedule, ``sheet`` a spreadsheet)."""

    files: dict[str, Path] = field(default_factory=dict)
    unused: list[Path] = field(default_factory=list)

    def add(self, role: str, path: Path) -> None:
        """Use ``path`` for ``role``; two files for one role are an error."""
        if role in self.files and self.files[role] != path:
            raise ExportError(f"two files for the {role}: {self.files[role]} and {path}; give one")
        self.files[role] = path


def role_of(path: Path) -> str | None:
    """The role of an input file from its name ("schedule.yml" -> schedule, "program.xlsx" -> sheet)."""
    suffix = path.suffix.lower()
    if suffix in SHEET_SUFFIXES:
        return "sheet"
    if suffix not in DATA_SUFFIXES:
        return None
    stem = path.stem.lower().replace("-", "_")
    for role, names in ROLES.items():
        if stem in names:
            return role
    return None


def find_inputs(paths: list[Path], explicit: dict[str, Path | None]) -> Inputs:
    """The inputs from the command line: folders (a Jekyll ``_data`` folder, or a site with one) and
    files recognised by name, then the files given for a role explicitly (``--schedule`` ...)."""
    inputs = Inputs()
    for path in paths:
        if path.is_dir():
            folder = path / "_data" if (path / "_data").is_dir() else path
            for child in sorted(folder.iterdir()):
                role = role_of(child) if child.is_file() else None
                if role and role != "sheet":
                    inputs.add(role, child)
                elif child.is_file() and child.suffix.lower() in DATA_SUFFIXES:
                    inputs.unused.append(child)
        elif path.is_file():
            role = role_of(path)
            if role is None:
                raise ExportError(f"{path}: cannot tell what it holds from its name; name it schedule.yml, speakers.yml, panelists.yml, "
                                  "organizers.yml or technical_committee.yml, or give it with --schedule, --speakers, --panelists, "
                                  "--organizers or --committee (a program spreadsheet is a .csv, .tsv or .xlsx file)")
            inputs.add(role, path)
        else:
            raise ExportError(f"{path}: no such file or folder")
    for role, given in explicit.items():
        if given is not None:
            if not given.is_file():
                raise ExportError(f"{given}: no such file")
            inputs.add("sheet" if role == "schedule" and given.suffix.lower() in SHEET_SUFFIXES else role, given)
    if "sheet" in inputs.files and "schedule" in inputs.files:
        raise ExportError(f"two programs: {inputs.files['schedule']} and {inputs.files['sheet']}; give one")
    if not set(inputs.files) - {"navigation"}:
        raise ExportError("no program or people files found: give a Jekyll _data folder, schedule.yml and the other files, or a spreadsheet")
    has_program = "schedule" in inputs.files or "sheet" in inputs.files
    for role in ("speakers", "panelists"):
        if role in inputs.files and not has_program:
            raise ExportError(f"{inputs.files[role]}: {role} are matched to the talks of a schedule; give the schedule too")
    return inputs


# -- the workshop's conf/ -----------------------------------------------------------------------------


@dataclass
class PaperRef:
    """What the import needs of an accepted paper of ``papers.yaml``."""

    id: str
    title: str
    review_id: str | None
    presentation: str
    authors: list[str]


@dataclass
class Conf:
    """The workshop's date and presentation kinds (``workshop.yaml``) and its papers (``papers.yaml``)."""

    path: Path
    date: dt.date
    presentations: list[tuple[str, str]]
    papers: list[PaperRef]
    papers_file: bool


def read_conf(conf_dir: Path) -> Conf:
    """The workshop's date, presentation kinds and accepted papers, read as the loader reads them."""
    problems: list[Problem] = []
    workshop_path = conf_dir / "workshop.yaml"
    if not workshop_path.is_file():
        raise ExportError(f"{workshop_path}: missing; the program's date and the papers' presentation kinds come from it")
    data = read_conf_yaml(workshop_path, problems)
    if problems:
        raise ExportError(f"{problems[0]}; run `enlsp-proceedings check`")
    try:
        workshop = Workshop.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        raise ExportError(f"{workshop_path}: {'.'.join(str(p) for p in error['loc'])}: {error['msg']}; run `enlsp-proceedings check`") from None
    papers_path = conf_dir / "papers.yaml"
    papers: list[PaperRef] = []
    if papers_path.is_file():
        raw = read_conf_yaml(papers_path, problems)
        if problems:
            raise ExportError(f"{problems[0]}; run `enlsp-proceedings check`")
        for entry in (raw or {}).get("papers") or [] if isinstance(raw, dict) else []:
            if isinstance(entry, dict) and entry.get("id") is not None:
                authors = [str(a.get("name")) for a in entry.get("authors") or [] if isinstance(a, dict) and a.get("name")]
                papers.append(PaperRef(str(entry["id"]), str(entry.get("title") or ""), entry.get("review_id") and str(entry["review_id"]),
                                       str(entry.get("presentation") or ""), authors))
    presentations = [(p.id, p.label) for p in workshop.presentation_list]
    return Conf(conf_dir, workshop.date, presentations, papers, papers_path.is_file())


# -- what the import writes -----------------------------------------------------------------------------


@dataclass
class Entry:
    """One written entry (a keynote, a slot, a person) and where its facts came from."""

    data: dict[str, Any]
    source: str  # the ``# source:`` comment


@dataclass
class Program:
    """What one import writes, by conf key (None: the inputs say nothing about it, it is not written)."""

    schedule: list[Entry] | None = None
    keynotes: list[Entry] | None = None
    invited: list[Entry] = field(default_factory=list)
    panel: Entry | None = None
    organizers: list[Entry] | None = None
    technical_committee: list[Entry] | None = None
    mapped: list[str] = field(default_factory=list)  # one line per slot: where it came from, what it became
    #: paper id -> (the presentation kind its talk slot names, where): papers.yaml says another
    presentations: dict[str, tuple[str, str]] = field(default_factory=dict)
    sources: dict[str, list[str]] = field(default_factory=dict)  # conf file -> the input files it was written from


# -- rules ----------------------------------------------------------------------------------------------

_KEYNOTE_LABEL = re.compile(r"key\s*-?\s*note|invited|plenary", re.IGNORECASE)

#: An event's kind from the words of its title, the first rule that matches (so "Award & Closing" is a closing).
EVENT_RULES: tuple[tuple[str, str], ...] = (
    ("closing", r"\bclosing\b|\bconcluding\b|\bwrap[- ]?up\b"),
    ("opening", r"\bopening\b|\bwelcome\b|\bintroduction\b"),
    ("poster-session", r"\bposter\s+sessions?\b|\bposters?\s+(?:and|&)\s+|\bposter\s+presentations?\b"),
    ("award", r"\bawards?\b|\bprizes?\b"),
    ("meal", r"\blunch\b|\bbreakfast\b|\bdinner\b|\bmeal\b|\bbrunch\b|\breception\b"),
    ("break", r"\bbreak\b|\bcoffee\b|\btea\b|\brecess\b"),
)

#: Kinds a spreadsheet's ``kind`` column may name (case and punctuation ignored) -> the slot they make.
SHEET_KINDS = {
    "keynote": "keynote", "keynote talk": "keynote", "invited talk": "keynote", "invited": "keynote",
    "panel": "panel", "panel discussion": "panel",
    "paper": "paper", "contributed talk": "paper",
    "poster session": "poster-session", "poster": "poster-session", "posters": "poster-session",
    "break": "break", "coffee break": "break", "meal": "meal", "lunch": "meal", "breakfast": "meal",
    "opening": "opening", "closing": "closing", "award": "award", "awards": "award", "other": "other",
}


def event_kind(title: str) -> str:
    """The kind of a titled event (`EVENT_RULES`): 'Best Paper and Poster Awards' -> award, 'Lunch Break' -> meal;
    'other' when no rule matches."""
    for kind, pattern in EVENT_RULES:
        if re.search(pattern, title, re.IGNORECASE):
            return kind
    return "other"


_PAPER_IDS = re.compile(r"\(?\s*paper\s*(?:ids?|numbers?|#)\s*[:#]*\s*(?P<list>#?\s*\d+(?:\s*(?:[-–—,;]|to|and)\s*#?\s*\d+)*)\s*\)?",
                        re.IGNORECASE)
_RANGE = re.compile(r"#?\s*(\d+)\s*(?:(?:[-–—]|to)\s*#?\s*(\d+))?", re.IGNORECASE)


def paper_numbers(text: str) -> tuple[list[int], str] | None:
    """The review-system numbers of a poster session's title ("Poster Session I (Paper IDs:# 1-45)"
    -> 1..45) and the title without them ("Poster Session I"); None when the title gives none."""
    match = _PAPER_IDS.search(text)
    if not match:
        return None
    numbers: list[int] = []
    for first, last in _RANGE.findall(match.group("list")):
        low, high = int(first), int(last or first)
        if high < low or high - low > 100_000:
            return None
        numbers += range(low, high + 1)
    title = (text[:match.start()] + text[match.end():]).strip(" -–—:,")
    return numbers, " ".join(title.split())


def name_key(name: str) -> str:
    """A name compared loosely: case, accents, hyphens and middle initials ignored ("Dong-Ki Kim" is
    "Dong Ki Kim", "Ari S Morcos" is "Ari Morcos"); another given name ("Dan"/"Daniel") is another name."""
    words = [w for w in re.split(r"[\s.]+", name) if w]
    kept = [w for i, w in enumerate(words) if not (0 < i < len(words) - 1 and len(compact(w)) == 1)]
    return compact(" ".join(kept))


def _near(a: str, b: str) -> bool:
    """Two spellings of one name, not the same: another order ("You Yang"/"Yang You"), up to two letters
    apart ("Zettelmoyer"/"Zettlemoyer"), or differing only in spaces and punctuation."""
    fa, fb = fold(" ".join(a.split())), fold(" ".join(b.split()))
    if fa == fb:
        return False
    return sorted(fa.split()) == sorted(fb.split()) or compact(a) == compact(b) or (min(len(fa), len(fb)) > 6 and edits_within(fa, fb, 2))


def bio_spellings(name: str, bio: str) -> list[str]:
    """How a bio spells a speaker differently from ``name``: the given name followed by a family name
    a letter or two off ("Luke Zettlemoyer" for "Luke Zettelmoyer"), or the name in the other order
    ("Yang You" for "You Yang"). Empty when the bio writes the name as given, or only one part of it."""
    words = name.split()
    if len(words) < 2 or not bio:
        return []
    tokens = re.findall(r"[^\W\d_][\w'’.-]*", bio)
    folded = [fold(t.strip(".")) for t in tokens]
    given, family = fold(words[0]), fold(words[-1])
    if any(folded[i] == given and folded[i + 1] == family for i in range(len(folded) - 1)):
        return []
    found = []
    for i in range(len(folded) - 1):
        pair = f"{tokens[i]} {tokens[i + 1].strip('.')}"
        if folded[i] == given and folded[i + 1] != family and len(family) > 3 and edits_within(folded[i + 1], family, 2):
            found.append(pair)
        elif folded[i] == family and folded[i + 1] == given:
            found.append(pair)
    return list(dict.fromkeys(found))


def _person(p: SourcePerson, issues: Issues) -> dict[str, Any]:
    data: dict[str, Any] = {"name": p.name}
    if p.honorific:
        data["honorific"] = p.honorific
    if p.affiliation:
        data["affiliation"] = p.affiliation
    if p.url:
        try:
            Person.model_validate({"name": p.name, "url": p.url})
            data["url"] = p.url
        except ValidationError:
            issues.add(Level.NOTE, p.where, f"{p.name}: url {p.url!r} not imported (not an absolute http(s) URL)")
    return data


def _unique(base: str, taken: set[str], fallback: str) -> str:
    ident = slug(base, 60) or fallback
    if not re.match(ID_PATTERN, ident) or ident == "index":
        ident = fallback
    candidate, number = ident, 2
    while candidate.lower() in taken:
        candidate, number = f"{ident}-{number}", number + 1
    taken.add(candidate.lower())
    return candidate


# -- papers ----------------------------------------------------------------------------------------------


class Papers:
    """The accepted papers, looked up by id, review id, review-system number or title."""

    def __init__(self, conf: Conf):
        self.conf = conf
        self.by_id = {p.id: p for p in conf.papers}
        self.by_review = {p.review_id: p for p in conf.papers if p.review_id}
        self.by_title: dict[str, list[PaperRef]] = {}
        for paper in conf.papers:
            key = compact(paper.title)
            if key:
                self.by_title.setdefault(key, []).append(paper)
        systems = {r.split(":", 1)[0] for r in self.by_review}
        self.system = next(iter(systems)) if len(systems) == 1 else None
        self.systems = sorted(systems)
        self.by_number = {int(r.split(":", 1)[1]): p for r, p in self.by_review.items()
                          if self.system and r.split(":", 1)[1].isdigit()}

    def number_problem(self) -> str | None:
        """Why review-system numbers cannot be mapped to papers, or None when they can."""
        if not self.conf.papers_file:
            return f"{self.conf.path / 'papers.yaml'} does not exist; import the accepted papers first (import-cmt)"
        if not self.by_review:
            return "no paper of papers.yaml has a review_id (cmt:<number>), so review-system numbers cannot be mapped"
        if self.system is None:
            return f"papers.yaml's review ids come from several systems ({', '.join(self.systems)}); list the papers by id instead"
        return None

    def by_title_or_ref(self, ref: str) -> tuple[PaperRef | None, str]:
        """(the paper, how it was found) or (None, why not): by id, review id ("cmt:12"), number ("12", "#12"), then title."""
        ref = " ".join(ref.split())
        if ref in self.by_id:
            return self.by_id[ref], "id"
        if ref in self.by_review:
            return self.by_review[ref], "review id"
        number = re.fullmatch(r"#?(\d+)", ref)
        if number:
            why = self.number_problem()
            if why:
                return None, why
            paper = self.by_number.get(int(number.group(1)))
            return (paper, f"{self.system}:{number.group(1)}") if paper else (None, f"no accepted paper has review_id {self.system}:{number.group(1)}")
        if not self.conf.papers_file:
            return None, f"{self.conf.path / 'papers.yaml'} does not exist; import the accepted papers first (import-cmt)"
        found = self.by_title.get(compact(ref), [])
        if len(found) == 1:
            return found[0], "title"
        if found:
            return None, f"{len(found)} papers of papers.yaml have this title ({', '.join(p.id for p in found)}); give the paper's id"
        return None, "no paper of papers.yaml has this title (case, accents, spaces and punctuation ignored)" + self._closest(ref)

    def _closest(self, ref: str) -> str:
        from rapidfuzz import fuzz, process

        choices = {p.id: p.title for p in self.conf.papers}
        best = process.extractOne(ref, choices, scorer=fuzz.token_sort_ratio, score_cutoff=70)
        if not best:
            return ""
        return f"; the closest is {best[2]} {best[0]!r}: if it is that paper, correct the title in the file (or give its id)"

    def refs(self, text: str) -> tuple[list[PaperRef], list[str], list[str]]:
        """A list of papers (ids, review ids, numbers and ranges such as '1-45', separated by commas,
        semicolons or spaces) -> (papers, numbers without an accepted paper, tokens not understood)."""
        text = re.sub(r"\s*(?:[-–—]|\bto\b)\s*", "-", text.strip())
        papers, absent, unknown = [], [], []
        for token in [t for t in re.split(r"[,;\s]+", text) if t]:
            if token in self.by_id:
                papers.append(self.by_id[token])
                continue
            if token in self.by_review:
                papers.append(self.by_review[token])
                continue
            match = re.fullmatch(r"(?:([a-z]+):)?#?(\d+)(?:-#?(\d+))?", token)
            if not match or (match.group(1) and match.group(1) != self.system):
                unknown.append(token)
                continue
            low, high = int(match.group(2)), int(match.group(3) or match.group(2))
            if high < low or high - low > 100_000:
                unknown.append(token)
                continue
            for number in range(low, high + 1):
                paper = self.by_number.get(number)
                if paper:
                    papers.append(paper)
                else:
                    absent.append(str(number))
        return papers, absent, unknown


# -- the schedule ------------------------------------------------------------------------------------------


def _slot_kind(slot: SourceSlot, conf: Conf, issues: Issues) -> str | None:
    """What a slot is: paper, keynote, panel, poster-session or an event kind; None when it cannot be told."""
    if slot.kind:
        key = " ".join(re.sub(r"[^a-z]+", " ", slot.kind.lower()).split())
        kind = SHEET_KINDS.get(key) or ("paper" if _presentation(slot.kind, conf) else None)
        if kind is None:
            issues.add(Level.ERROR, slot.where, f"kind {slot.kind!r} is not one of: {', '.join(sorted(set(SHEET_KINDS)))} "
                       "(or a presentation kind of workshop.yaml, e.g. spotlight)")
        return kind
    if slot.is_paper or slot.paper:
        return "paper"
    if slot.label and _KEYNOTE_LABEL.search(slot.label):
        return "keynote"
    if slot.presenters and re.search(r"\bpanel", slot.title, re.IGNORECASE):
        return "panel"
    if slot.presenters and (slot.bio or slot.abstract):
        issues.add(Level.WARNING, slot.where, f"{slot.title!r} has presenters and a bio or abstract but no keynote label; imported as a keynote")
        return "keynote"
    return event_kind(slot.title)


def _presentation(label: str | None, conf: Conf) -> tuple[str, str] | None:
    """The presentation kind a slot's label names ("Spotlight 3" -> spotlight), by id or label."""
    if not label:
        return None
    key = compact(re.sub(r"\d+", "", label))
    for ident, name in conf.presentations:
        if key and key in (compact(ident), compact(name)):
            return ident, name
    return None


class _People:
    """A people file (speakers.yml, panelists.yml) looked up by name, remembering who was used."""

    def __init__(self, people: list[SourcePerson] | None, path: Path | None):
        self.people = people or []
        self.path = path
        self.by_name: dict[str, SourcePerson] = {}
        for person in self.people:
            self.by_name.setdefault(fold(" ".join(person.name.split())), person)
        self.used: set[int] = set()

    def enrich(self, person: SourcePerson, issues: Issues, role: str) -> tuple[SourcePerson, Where | None]:
        """The person with honorific, affiliation and URL from the file (same name up to case and
        accents); a name spelled a little differently there is reported, never merged."""
        if self.path is None:
            return person, None
        found = self.by_name.get(fold(" ".join(person.name.split())))
        if found is None:
            near = [p for p in self.people if _near(p.name, person.name)]
            if near:
                issues.add(Level.WARNING, person.where, f"{role} {person.name!r} is spelled {near[0].name!r} in {near[0].where.short}; "
                           f"not merged (no honorific or affiliation taken): correct one spelling, or add an alias in people.yaml")
                self.used.add(id(near[0]))
            else:
                issues.add(Level.WARNING, person.where, f"{role} {person.name!r} is not in {self.path.name}: no honorific or affiliation")
            return person, None
        self.used.add(id(found))
        merged = SourcePerson(person.name, person.where, person.affiliation or found.affiliation,
                              person.honorific or found.honorific, person.url or found.url)
        if person.affiliation and found.affiliation and fold(person.affiliation) != fold(found.affiliation):
            issues.add(Level.WARNING, person.where, f"{person.name}: affiliation {person.affiliation!r} here, {found.affiliation!r} in {found.where.short}; "
                       "the schedule's is written")
        return merged, found.where

    def unused(self) -> list[SourcePerson]:
        """The people of the file no talk named."""
        return [p for p in self.people if id(p) not in self.used]


def build_program(inputs: Inputs, conf: Conf, issues: Issues, fix_times: bool, set_presentations: bool = False) -> Program:
    """Read the inputs and map them onto conf/'s files (nothing is written here)."""
    program = Program()
    files = inputs.files
    for path in inputs.unused:
        issues.add(Level.NOTE, Where(path), "not read: not program or people data" + (" (the accepted papers are imported with import-cmt)"
                                                                                    if "accepted" in path.name else ""))
    if "navigation" in files:
        read_navigation(files["navigation"], issues)
    slots: list[SourceSlot] | None = None
    if "schedule" in files:
        slots = read_jekyll_schedule(files["schedule"], issues)
    elif "sheet" in files:
        slots = read_sheet(files["sheet"], issues)
    if slots is not None:
        speakers = _People(read_people(files["speakers"], issues, "speaker") if "speakers" in files else None, files.get("speakers"))
        panelists = _People(read_people(files["panelists"], issues, "panelist") if "panelists" in files else None, files.get("panelists"))
        _schedule(program, slots, conf, speakers, panelists, issues, fix_times, set_presentations)
        program_file = files.get("schedule") or files["sheet"]
        program.sources["schedule.yaml"] = [program_file.name]
        program.sources["keynotes.yaml"] = [program_file.name] + ([files["speakers"].name] if "speakers" in files else [])
        program.sources["panel.yaml"] = [program_file.name] + ([files["panelists"].name] if "panelists" in files else [])
    if "organizers" in files:
        people = read_people(files["organizers"], issues, "organizer")
        program.organizers = _people_entries(people, issues, "organizer")
        program.sources.setdefault("people.yaml", []).append(files["organizers"].name)
    if "committee" in files:
        people = read_committee(files["committee"], issues)
        program.technical_committee = _people_entries(people, issues, "committee member")
        program.sources.setdefault("people.yaml", []).append(files["committee"].name)
    return program


def _people_entries(people: list[SourcePerson], issues: Issues, role: str) -> list[Entry]:
    seen: dict[str, SourcePerson] = {}
    entries = []
    for person in people:
        if not person.name:
            continue
        key = fold(" ".join(person.name.split()))
        if key in seen:
            issues.add(Level.WARNING, person.where, f"{role} {person.name!r} is listed twice (also {seen[key].where.short}); both kept")
        seen.setdefault(key, person)
        entries.append(Entry(_person(person, issues), person.where.short))
    return entries


def _schedule(program: Program, slots: list[SourceSlot], conf: Conf, speakers: _People, panelists: _People, issues: Issues,
              fix_times: bool, set_presentations: bool = False) -> None:
    papers = Papers(conf)
    program.schedule, program.keynotes = [], []
    keynote_ids: set[str] = set()
    placed: dict[str, list[str]] = {}  # paper id -> where it is shown
    talks: dict[str, list[str]] = {}  # paper id -> its talk slots
    sessions: dict[str, list[str]] = {}  # paper id -> its poster sessions
    talk_presenters: list[str] = []
    talk_texts: list[str] = []  # paper talks with an abstract or bio of their own
    presentation_notes: list[str] = []
    timed: list[tuple[SourceSlot, dict[str, Any]]] = []
    for slot in slots:
        if slot.times is None:
            continue
        kind = _slot_kind(slot, conf, issues)
        if kind is None:
            continue
        data: dict[str, Any] = {"start": slot.times.start, "end": slot.times.end}
        if slot.date:
            data["date"] = slot.date
        comment = [slot.where.short]
        if slot.times.defect:
            settled = f"time {slot.time_text!r}: {slot.times.defect}; read as {slot.times.start}–{slot.times.end} ({slot.times.rule})"
            if fix_times:
                issues.add(Level.WARNING, slot.time_where or slot.where, f"{settled}, as --fix-times asks")
                comment.append(settled)
            else:
                issues.add(Level.ERROR, slot.time_where or slot.where, f"{settled} with --fix-times; or correct it in the file")
        what = ""
        if kind == "paper":
            presentation = _presentation(slot.kind, conf) if slot.kind else _presentation(slot.label, conf)
            ref = slot.paper or slot.title
            paper, how = papers.by_title_or_ref(ref)
            if paper is None:
                issues.add(Level.ERROR, slot.where, f"paper {ref!r}: {how}")
                continue
            data["paper"] = paper.id
            placed.setdefault(paper.id, []).append(slot.where.short)
            talks.setdefault(paper.id, []).append(slot.where.short)
            what = f"paper {paper.id} ({how} matched" + (f"; {slot.label}" if slot.label else "") + ")"
            if presentation and presentation[0] != paper.presentation:
                presentation_notes.append(f"{paper.id} ({slot.where.short}: {slot.label or slot.kind}; papers.yaml: {paper.presentation or 'none'})")
                program.presentations[paper.id] = (presentation[0], f"{slot.where.short} ({slot.label or slot.kind})")
            _paper_people(slot, paper, issues, talk_presenters)
            if slot.abstract or slot.bio:
                talk_texts.append((slot.abstract_where or slot.where).short)
        elif kind == "keynote":
            entry = _keynote(slot, speakers, keynote_ids, issues)
            if entry is None:
                continue
            program.keynotes.append(entry)
            data["keynote"] = entry.data["id"]
            what = f"keynote {entry.data['id']}: {entry.data['title']}"
        elif kind == "panel":
            if program.panel is not None:
                issues.add(Level.ERROR, slot.where, f"a second panel ({slot.title!r}); panel.yaml holds one panel (the first is at "
                           f"{program.panel.source.split(' ')[0]}): make this one a keynote or an event in the file")
                continue
            program.panel = _panel(slot, panelists, issues)
            data["panel"] = program.panel.data["id"]
            what = f"panel {program.panel.data['id']}: {program.panel.data['title']}"
        else:
            title = slot.title
            data["title"], data["kind"] = title, kind
            if kind == "poster-session":
                listed = _poster_papers(slot, papers, issues)
                if listed is not None:
                    data["title"], ids, summary = listed
                    if ids:
                        data["papers"] = ids
                    for ident in ids:
                        placed.setdefault(ident, []).append(slot.where.short)
                        sessions.setdefault(ident, []).append(slot.where.short)
                    what = f"poster-session {data['title']!r}: {summary}"
            if not what:
                what = f"{kind} {data['title']!r}"
            if slot.presenters:
                issues.add(Level.WARNING, slot.where, f"presenters of {title!r} not imported ({', '.join(p.name for p in slot.presenters)}): "
                           f"an event ({kind}) names no people; if it is a talk, label it a keynote")
            if slot.bio or slot.abstract:
                issues.add(Level.WARNING, slot.where, f"the bio/abstract of {title!r} not imported: an event ({kind}) has none")
        program.schedule.append(Entry(data, "; ".join(comment)))
        timed.append((slot, data))
        program.mapped.append(f"{slot.where.short:<22} {data['start']}–{data['end']}  {what}")
    _check_order(timed, issues)
    _unused_people(program, speakers, panelists, issues)
    if talk_presenters:
        issues.add(Level.NOTE, None, "presenters of paper talks are not written (a slot has no presenter field; the schedule shows the "
                   f"paper's authors): {'; '.join(talk_presenters)}")
    if talk_texts:
        issues.add(Level.NOTE, None, "the abstracts of paper talks are not imported: papers.yaml holds each paper's abstract "
                   f"({', '.join(talk_texts)})")
    if presentation_notes:
        what = ("presentation set in papers.yaml, as --set-presentations asks" if set_presentations else
                "papers.yaml is not edited; set presentation there, or run again with --set-presentations, if the schedule is right")
        issues.add(Level.NOTE if set_presentations else Level.WARNING, None, f"the schedule presents these papers otherwise than papers.yaml's presentation says ({what}): "
                   f"{'; '.join(presentation_notes)}")
    for what, found in (("talk slots", talks), ("poster sessions", sessions)):
        for ident, where in found.items():
            if len(where) > 1:
                issues.add(Level.WARNING, None, f"paper {ident} is in {len(where)} {what}: {', '.join(where)}")
    nowhere = [p.id for p in conf.papers if p.id not in placed]
    if nowhere and conf.papers:
        issues.add(Level.NOTE, None, f"{len(nowhere)} of the {len(conf.papers)} accepted papers are in no slot (no talk, no poster session), "
                   f"so their pages give no time: {', '.join(nowhere[:12])}{', ...' if len(nowhere) > 12 else ''}")


def _paper_people(slot: SourceSlot, paper: PaperRef, issues: Issues, talk_presenters: list[str]) -> None:
    """Compare a paper talk's presenters and Authors line with the paper's authors in papers.yaml (reported, not written)."""
    authors = {name_key(a) for a in paper.authors}
    strangers = [p.name for p in slot.presenters if name_key(p.name) not in authors]
    if slot.presenters:
        talk_presenters.append(f"{slot.where.short} {', '.join(p.name for p in slot.presenters)}")
    if strangers and paper.authors:
        issues.add(Level.WARNING, slot.where, f"presenter(s) {', '.join(strangers)} of {paper.id} are not among its authors in papers.yaml "
                   f"({', '.join(paper.authors)}): another spelling? (add an alias in people.yaml)")
    listed = [a for a in slot.authors if not re.fullmatch(r"anonymous( authors?)?", a, re.IGNORECASE)]
    if listed and paper.authors:
        theirs = {name_key(a) for a in listed}
        missing = [a for a in paper.authors if name_key(a) not in theirs]
        extra = [a for a in listed if name_key(a) not in authors]
        if missing or extra:
            issues.add(Level.NOTE, slot.where, f"its Authors line differs from {paper.id}'s authors in papers.yaml (the site shows papers.yaml's):"
                       + (f" not in it: {', '.join(missing)};" if missing else "") + (f" only in it: {', '.join(extra)}" if extra else ""))


def _speaker_people(slot: SourceSlot, people: _People, issues: Issues, role: str) -> tuple[list[dict[str, Any]], list[str]]:
    written, sources = [], []
    for presenter in slot.presenters:
        person, where = people.enrich(presenter, issues, role)
        written.append(_person(person, issues))
        if where is not None:
            sources.append(where.short)
    return written, sources


def _keynote(slot: SourceSlot, speakers: _People, taken: set[str], issues: Issues) -> Entry | None:
    if not slot.presenters:
        issues.add(Level.ERROR, slot.where, f"keynote {slot.title!r} names no speaker (Presenter); a keynote needs one")
        return None
    people, sources = _speaker_people(slot, speakers, issues, "speaker")
    if slot.ident and re.match(ID_PATTERN, slot.ident) and slot.ident.lower() not in taken:
        ident = slot.ident
        taken.add(ident.lower())
    else:
        if slot.ident:
            issues.add(Level.WARNING, slot.where, f"id {slot.ident!r} is not a usable id (letters, digits, - and _; unique); made from the speakers' names")
        ident = _unique(" ".join(p.name for p in slot.presenters), taken, "keynote")
    data: dict[str, Any] = {"id": ident, "title": slot.title, "speakers": people}
    facts = ["title", "speakers"]
    if slot.bio:
        data["bio"] = slot.bio
        facts.append("bio")
        for person in slot.presenters:
            for spelling in bio_spellings(person.name, slot.bio):
                issues.add(Level.WARNING, person.where, f"speaker {person.name!r}, but the bio ({slot.bio_where.short if slot.bio_where else '?'}) "
                           f"writes {spelling!r}: written as the schedule spells it; correct one of them (or add an alias in people.yaml)")
    if slot.abstract:
        if is_placeholder(slot.abstract):
            issues.add(Level.NOTE, slot.abstract_where or slot.where, f"keynote {ident}: abstract {slot.abstract!r} is a placeholder; left empty")
        else:
            data["abstract"] = slot.abstract
            facts.append("abstract")
    source = f"{slot.where.short} ({', '.join(facts)})"
    if sources:
        source += f"; {', '.join(sources)} (honorific, affiliation)"
    return Entry(data, source)


def _panel(slot: SourceSlot, panelists: _People, issues: Issues) -> Entry:
    people, sources = _speaker_people(slot, panelists, issues, "panelist")
    listed = [p for p in panelists.people if id(p) in panelists.used]
    order = ""
    if panelists.path is not None and len(listed) == len(people) == len(panelists.people) and [fold(p.name) for p in listed] != [fold(p["name"]) for p in people]:
        rank = {fold(p.name): i for i, p in enumerate(panelists.people)}
        if all(fold(p["name"]) in rank for p in people):
            people.sort(key=lambda p: rank[fold(p["name"])])
            order = f", in {panelists.path.name}'s order"
    ident = slot.ident if slot.ident and re.match(ID_PATTERN, slot.ident) and slot.ident.lower() != "index" else slug(slot.title, 60) or "panel"
    data: dict[str, Any] = {"id": ident, "title": slot.title}
    if slot.abstract and not is_placeholder(slot.abstract):
        data["description"] = slot.abstract
    if slot.moderator:
        moderator, _ = panelists.enrich(slot.moderator, issues, "moderator")
        data["moderator"] = _person(moderator, issues)
    data["panelists"] = people
    source = f"{slot.where.short} (title, panelists{order})"
    if sources:
        source += f"; {', '.join(sources)} (honorific, affiliation)"
    return Entry(data, source)


def _poster_papers(slot: SourceSlot, papers: Papers, issues: Issues) -> tuple[str, list[str], str] | None:
    """(title, paper ids, what was mapped) of a poster session, from its title's "Paper IDs" or the spreadsheet's papers column."""
    if slot.papers:
        found, absent, unknown = papers.refs(slot.papers)
        title, given = slot.title, slot.papers
    else:
        numbers = paper_numbers(slot.title)
        if numbers is None:
            issues.add(Level.NOTE, slot.where, f"poster session {slot.title!r} names no papers (e.g. 'Paper IDs 1-45'); it lists none")
            return None
        why = papers.number_problem()
        if why:
            issues.add(Level.ERROR, slot.where, f"poster session {slot.title!r}: {why}")
            return None
        found, absent, unknown = papers.refs(",".join(str(n) for n in numbers[0]))
        title, given = numbers[1] or slot.title, f"Paper IDs {_ranges(numbers[0])}"
    for token in unknown:
        issues.add(Level.ERROR, slot.where, f"poster session {slot.title!r}: {token!r} is neither a paper id, a review id nor a number")
    ids = list(dict.fromkeys(p.id for p in found))
    summary = f"{len(ids)} paper{'' if len(ids) == 1 else 's'} ({given}"
    if absent:
        summary += f"; no accepted paper has {len(absent)} of the numbers: {_ranges([int(a) for a in absent])}"
    summary += ")"
    return title, ids, summary


def _ranges(numbers: list[int]) -> str:
    """[1, 2, 3, 7] -> '1–3, 7'."""
    out: list[str] = []
    for number in sorted(set(numbers)):
        if out and out[-1].split("–")[-1] == str(number - 1):
            out[-1] = f"{out[-1].split('–')[0]}–{number}"
        else:
            out.append(str(number))
    return ", ".join(out)


def _minutes(hhmm: str) -> int:
    return int(hhmm[:2]) * 60 + int(hhmm[3:])


def _check_order(timed: list[tuple[SourceSlot, dict[str, Any]]], issues: Issues) -> None:
    """A time settled by a rule must fit between its neighbours in the file; a talk that overlaps
    the slot after it is reported (the schedule shows overlapping slots side by side)."""
    def same_day(other: dict[str, Any] | None, data: dict[str, Any]) -> bool:
        return other is not None and other.get("date") == data.get("date")

    for index, (slot, data) in enumerate(timed):
        previous = timed[index - 1][1] if index else None
        following = timed[index + 1][1] if index + 1 < len(timed) else None
        if slot.times and slot.times.defect:
            start = _minutes(data["start"])
            if ((previous is not None and same_day(previous, data) and start < _minutes(previous["start"]))
                    or (following is not None and same_day(following, data) and start > _minutes(following["start"]))):
                issues.add(Level.ERROR, slot.time_where or slot.where, f"time {slot.time_text!r}: read as {data['start']}–{data['end']}, it does not fit between the "
                           "slots before and after it in the file; correct it in the file")
        if following is not None and same_day(following, data) and any(k in data for k in ("paper", "keynote", "panel")) and _minutes(following["start"]) < _minutes(data["end"]):
            issues.add(Level.WARNING, slot.where, f"this talk ({data['start']}–{data['end']}) overlaps the next slot, which starts at "
                       f"{following['start']} ({timed[index + 1][0].where.short}); written as the file says")


def _unused_people(program: Program, speakers: _People, panelists: _People, issues: Issues) -> None:
    for person in speakers.unused():
        program.invited.append(Entry(_person(person, issues), person.where.short))
        issues.add(Level.NOTE, person.where, f"speaker {person.name!r} gives no talk in the schedule: listed under invited_speakers_without_talk")
    if panelists.path is not None:
        unused = panelists.unused()
        if program.panel is None and panelists.people:
            issues.add(Level.WARNING, Where(panelists.path), f"{len(panelists.people)} panelist(s) but the schedule has no panel "
                       "(a talk with 'panel' in its title); they are not imported")
        else:
            for person in unused:
                issues.add(Level.WARNING, person.where, f"panelist {person.name!r} is not on the panel in the schedule; not imported")
