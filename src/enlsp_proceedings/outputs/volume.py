"""The validated metadata plus what was learned from the PDFs: what every output shows.

A `Volume` is built once per build (load -> extract), saved as JSON for the Sphinx
extension, and answers the questions pages ask: URLs, slots, citation keys, people.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import zoneinfo
from collections.abc import Callable, Hashable, Mapping
from dataclasses import asdict, dataclass, field, fields
from functools import cached_property
from pathlib import Path
from typing import Any, NamedTuple, TypeVar, cast

from enlsp_proceedings import paths
from enlsp_proceedings.model.people import PeopleIndex
from enlsp_proceedings.model.schema import Keynote, Paper, Person, Proceedings, Slot
from enlsp_proceedings.outputs import citation, cite
from enlsp_proceedings.outputs.citation import KeynoteCitation, PaperCitation
from enlsp_proceedings.pdf.facts import PaperPdf

T = TypeVar("T")


@dataclass
class PdfStatus:
    """Whether a paper's camera-ready is published, and why not."""

    published: bool = False
    pages: int | None = None
    body_pages: float | None = None  # decimal pages of content (extract.PdfFacts.body_pages)
    sha256: str | None = None
    problems: list[dict] = field(default_factory=list)
    thumbnail: str | None = None  # site path of the first-page PNG (thumbs.py), if rendered
    thumb_size: list[int] | None = None  # [width, height] in pixels
    supplementary: str | None = None  # file name of the published supplementary material, beside the PDF
    supplementary_size: int | None = None  # bytes
    supplementary_sha256: str | None = None
    review_note: str | None = None  # the paper's publish_review_copy: the PDF is its review copy, published with this note

    @classmethod
    def from_paper_pdf(cls, entry: PaperPdf) -> PdfStatus:
        """What the pages show of a paper's PDF, from the pdf stage's result for it."""
        facts = entry.facts
        return cls(
            published=entry.publishable,
            pages=facts.pages if facts else None,
            body_pages=facts.body_pages if facts else None,
            sha256=facts.sha256 if facts else None,
            problems=[asdict(p) for p in entry.problems],
        )


#: `PdfStatus`'s fields, as `Volume.to_json` writes them
_STATUS_FIELDS = tuple(f.name for f in fields(PdfStatus))


class PdfCounts(NamedTuple):
    """How many papers have which kind of PDF on the site: the one count every page and report gives."""

    papers: int
    published: int  # PDFs on the site
    review_copies: int  # of them, anonymized review copies the organizers chose to publish (publish_review_copy)

    @property
    def camera_ready(self) -> int:
        """Published PDFs that are camera-ready versions."""
        return self.published - self.review_copies

    @property
    def without_pdf(self) -> int:
        """Papers with no PDF on the site (missing, or not publishable)."""
        return self.papers - self.published


def build_date(timezone: str, environ: Mapping[str, str] | None = None) -> dt.date:
    """The day of the build in the workshop's time zone: ``SOURCE_DATE_EPOCH`` (seconds since
    1970, the reproducible-builds convention) when it is set, otherwise today.

    Raises ValueError naming the variable when it is not a whole number of seconds."""
    value = (os.environ if environ is None else environ).get("SOURCE_DATE_EPOCH", "").strip()
    tz = zoneinfo.ZoneInfo(timezone)
    if not value:
        return dt.datetime.now(tz).date()
    try:
        return dt.datetime.fromtimestamp(int(value), tz).date()
    except (ValueError, OverflowError, OSError):
        raise ValueError(f"SOURCE_DATE_EPOCH={value!r} is not a time in whole seconds since 1970-01-01 (e.g. 1670000000)") from None


#: Version of papers.json's format (described by the JSON Schema published beside it): bumped
#: when a field is renamed, removed or changes meaning, not when an optional field is added.
PAPERS_JSON_VERSION = 2
PAPERS_SCHEMA = paths.PAPERS_SCHEMA
SCHEMA_FILE = Path(__file__).parent / "schema" / PAPERS_SCHEMA


@dataclass(frozen=True)
class EditionContext:
    """Where a volume sits when it is one edition of a series (`model.series`): its id (its folder
    on the site), the series' names, every edition (newest first) and the series' person slugs.

    The edition's pages link people to the series' person pages (``../authors/<slug>.html``,
    one page per person across the years) and the header to the series' home."""

    edition: str
    series_name: str
    series_short_name: str
    #: (edition id, short name such as "WXYZ-III", date) of every edition, newest first
    editions: tuple[tuple[str, str, str], ...]
    #: every name as this edition writes it -> the person's slug in the series
    slugs: Mapping[str, str] = field(default_factory=dict)
    #: people (slugs) of this edition also in a later one: its search index lists them, so one search over every
    #: edition finds each person once
    later_people: frozenset[str] = frozenset()
    #: the series' address (its home page is ``<series_url>index.html``)
    series_url: str = ""
    #: people (slugs) of this edition who were in earlier ones -> (that edition's short name, the
    #: person's roles there), newest first: one search over every edition shows a person once, from
    #: their newest edition, with what they did in every year
    earlier_roles: Mapping[str, tuple[tuple[str, tuple[str, ...]], ...]] = field(default_factory=dict)

    #: where the series' own pages (its home, person pages, search) are, from the edition's root
    root = "../"

    def to_json(self) -> dict:
        """The context as JSON values (`Volume.to_json`)."""
        return {"edition": self.edition, "series_name": self.series_name, "series_short_name": self.series_short_name,
                "editions": [list(e) for e in self.editions], "slugs": dict(self.slugs), "later_people": sorted(self.later_people),
                "series_url": self.series_url,
                "earlier_roles": {slug: [[short, list(roles)] for short, roles in years] for slug, years in sorted(self.earlier_roles.items())}}

    @classmethod
    def from_json(cls, data: dict) -> EditionContext:
        """The context saved by `to_json`."""
        return cls(data["edition"], data["series_name"], data["series_short_name"],
                   tuple(tuple(e) for e in data["editions"]), data["slugs"], frozenset(data.get("later_people", ())),
                   data.get("series_url", ""),
                   {slug: tuple((short, tuple(roles)) for short, roles in years) for slug, years in data.get("earlier_roles", {}).items()})


class Volume:
    """The loaded metadata (`proc`) and each paper's PDF status (`pdfs`): the one input of every output and page."""

    def __init__(self, proc: Proceedings, pdfs: dict[str, PdfStatus], series: EditionContext | None = None):
        self.proc = proc
        self.pdfs = pdfs
        self.workshop = proc.workshop
        #: set when the volume is one edition of a series (`EditionContext`); None for a single workshop
        self.series = series
        #: the workshop has taken place (the build's day, `build_date`, is after its last day):
        #: the pages speak of it in the past. Only this flag, not the date, reaches the pages, so
        #: their digests change once, the day after the workshop. Set by the build (`held_on`).
        self.held = False
        #: `memo`'s values, by key
        self._memos: dict[Hashable, object] = {}

    def held_on(self, day: dt.date) -> bool:
        """Whether the workshop is over on this day (it is after the program's last day)."""
        return day > self.days[-1]

    @property
    def pdf_counts(self) -> PdfCounts:
        """Papers, published PDFs, and how many of those are review copies (`PdfCounts`; not
        remembered: the build settles each paper's status after making the volume)."""
        statuses = [self.pdfs.get(p.id, PdfStatus()) for p in self.proc.papers]
        return PdfCounts(len(statuses), sum(s.published for s in statuses), sum(bool(s.published and s.review_note) for s in statuses))

    # -- persistence for the Sphinx extension ---------------------------------
    def to_json(self) -> str:
        """The volume as the JSON the build saves for the Sphinx extension (``volume.json``)."""
        # the metadata as pydantic writes it (in Rust: a fifth of the time of json.dumps over model_dump,
        # which was 0.07 s per 1,000 papers of every edition of a series, every build), the rest by json
        # each status's fields as they are (`asdict` copies each nested list and dict first: 17 ms per 1,000 papers)
        data: dict[str, object] = {"held": self.held, "pdfs": {k: {name: getattr(v, name) for name in _STATUS_FIELDS} for k, v in self.pdfs.items()}}
        if self.series is not None:
            data["series"] = self.series.to_json()
        rest = json.dumps(data, ensure_ascii=False, sort_keys=True)
        return '{"proceedings": ' + self.proc.model_dump_json() + ", " + rest[1:]

    @classmethod
    def from_json(cls, text: str) -> Volume:
        """The volume saved by `to_json`."""
        data = json.loads(text)
        proc = Proceedings.model_validate(data["proceedings"])
        series = EditionContext.from_json(data["series"]) if data.get("series") else None
        volume = cls(proc, {k: PdfStatus(**v) for k, v in data["pdfs"].items()}, series)
        volume.held = bool(data.get("held", False))
        return volume

    # -- lookups ---------------------------------------------------------------
    @cached_property
    def people(self) -> PeopleIndex:
        """The index of everyone the volume names."""
        return PeopleIndex(self.proc, self.series.slugs if self.series else None)

    @cached_property
    def keys(self) -> dict[str, str]:
        """Citation key of every paper (``paper:<id>``) and keynote (``keynote:<id>``), unique in the volume."""
        return cite.citation_keys(self.proc)

    @cached_property
    def papers_by_id(self) -> dict[str, Paper]:
        """Papers by id."""
        return {p.id: p for p in self.proc.papers}

    @cached_property
    def keynotes_by_id(self) -> dict[str, Keynote]:
        """Keynotes by id."""
        return {k.id: k for k in self.proc.keynotes}

    @cached_property
    def slots_by_target(self) -> dict[tuple[str, str], Slot]:
        """Program slots by what they present: (kind, id) -> slot."""
        return {s.target: s for s in self.proc.schedule if s.target}

    def slot(self, kind: str, ident: str) -> Slot | None:
        """The slot presenting this keynote, paper or panel, if any."""
        return self.slots_by_target.get((kind, ident))

    @cached_property
    def _poster_sessions(self) -> dict[str, list[Slot]]:
        sessions: dict[str, list[Slot]] = {}
        for slot in self.proc.schedule:
            for ident in slot.papers:
                sessions.setdefault(ident, []).append(slot)
        return sessions

    def poster_sessions(self, paper_id: str) -> list[Slot]:
        """The poster-session slots that list this paper, in schedule order."""
        return self._poster_sessions.get(paper_id, [])

    def slot_date(self, slot: Slot) -> dt.date:
        """The day of a slot (the workshop's date unless the slot names its own)."""
        return slot.date or self.workshop.date

    @cached_property
    def days(self) -> list[dt.date]:
        """The days of the program, in order (the workshop's date when there is no schedule)."""
        return sorted({self.slot_date(s) for s in self.proc.schedule}) or [self.workshop.date]

    @cached_property
    def multi_day(self) -> bool:
        """Whether the program spans more than one day."""
        return len(self.days) > 1

    @cached_property
    def _slot_places(self) -> dict[str, tuple[str, int]]:
        """Per slot (by its value, `_slot_key`), its anchor and rank: ``slot-0910``
        (``slot-20310505-0910`` over several days); parallel slots starting together get ``-2``,
        ``-3``... (rank 2, 3...) in schedule order. Two slots alike in every field are one place."""
        places: dict[str, tuple[str, int]] = {}
        used: set[str] = set()
        for slot in self.proc.schedule:
            base = "slot-" + (f"{self.slot_date(slot):%Y%m%d}-" if self.multi_day else "") + slot.start.replace(":", "")
            anchor, n = base, 1
            while anchor in used:
                n += 1
                anchor = f"{base}-{n}"
            used.add(anchor)
            places.setdefault(_slot_key(slot), (anchor, n))
        return places

    def slot_rank(self, slot: Slot) -> int:
        """1 for the first slot starting at its time and day, 2 for a parallel one starting with it..."""
        return self._slot_places[_slot_key(slot)][1]

    # -- URLs ------------------------------------------------------------------
    @property
    def people_root(self) -> str:
        """Where person pages are, from this volume's root: "" (its own ``authors/``) or the series' ``../``."""
        return self.series.root if self.series else ""

    def url(self, path: str) -> str:
        """Absolute URL of a site path such as 'papers/x.html'."""
        return paths.site_url(self.workshop.base_url, path)

    def pdf_path(self, paper_id: str) -> str | None:
        """Site path of a paper's published PDF; None while it is not published."""
        return paths.paper_file(paper_id, "pdf") if self.pdfs.get(paper_id, PdfStatus()).published else None

    def slot_page(self, slot: Slot) -> str:
        """Site path of the page a slot links to (its place on the schedule when it has no page)."""
        if slot.target is None:
            return paths.schedule_anchor(self.slot_anchor(slot))
        return paths.target_file(*slot.target, "html")

    @staticmethod
    def slot_ics_path(slot: Slot) -> str | None:
        """Site path of the 'add to calendar' file of a talk slot (None for breaks etc.)."""
        return paths.target_file(*slot.target, "ics") if slot.target else None

    def slot_kind_label(self, slot: Slot) -> str:
        """What a talk slot is, as the site names it: the paper's presentation ('Oral'), or the keynote or panel label."""
        kind, ident = slot.target or ("", "")
        labels = self.workshop.labels
        if kind == "paper":
            return self.workshop.presentation(self.papers_by_id[ident].presentation).label
        return {"keynote": labels.keynote, "panel": labels.panel}.get(kind, "")

    # -- time ------------------------------------------------------------------
    @cached_property
    def tz(self) -> zoneinfo.ZoneInfo:
        """The workshop's time zone."""
        return zoneinfo.ZoneInfo(self.workshop.timezone)

    def slot_datetimes(self, slot: Slot) -> tuple[dt.datetime, dt.datetime]:
        """Start and end of a slot as aware datetimes in the workshop's time zone."""
        day = self.slot_date(slot)

        def at(hhmm: str) -> dt.datetime:
            hour, minute = map(int, hhmm.split(":"))
            return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=self.tz)

        return at(slot.start), at(slot.end)

    def slot_label(self, slot: Slot) -> str:
        """'Fri 5 Dec 2031, 09:56–10:05 WET'."""
        start, end = self.slot_datetimes(slot)
        return f"{start:%a} {start.day} {start:%b %Y}, {start:%H:%M}–{end:%H:%M} {start.tzname()}"

    def slot_anchor(self, slot: Slot) -> str:
        """The slot's anchor on the schedule page (unique, also for parallel slots)."""
        return self._slot_places[_slot_key(slot)][0]

    def slot_title(self, slot: Slot) -> str:
        """What the schedule calls a slot: its talk's or paper's title, the panel's title, or its own title."""
        target = slot.target
        if target is None:
            return slot.title or ""
        kind, ident = target
        if kind == "paper":
            return self.papers_by_id[ident].title
        if kind == "keynote":
            return self.keynotes_by_id[ident].title
        return self.proc.panel.title if self.proc.panel else ident

    # -- citations -----------------------------------------------------------
    @cached_property
    def proceedings_key(self) -> str:
        """The citation key of the volume's @proceedings entry, unlike every paper's and keynote's."""
        return cite.proceedings_key(self.workshop, set(self.keys.values()))

    @property
    def volume_citation(self) -> tuple[str, list[Person]]:
        """(key, editors) of the volume as a citable work: the organizers edit it."""
        return self.proceedings_key, list(self.proc.people.organizers)

    def paper_citation(self, paper: Paper) -> PaperCitation:
        """Everything a citation of the paper says (`citation.PaperCitation`): every format, on its page and in the downloads, is made from this."""
        status = self.pdfs.get(paper.id, PdfStatus())
        pdf = self.pdf_path(paper.id)
        return PaperCitation(paper, self.workshop, self.keys[f"paper:{paper.id}"], self.url(paths.paper_page(paper.id)),
                             self.url(pdf) if pdf else None, status.pages if status.published else None, tuple(self.proc.people.organizers))

    def keynote_citation(self, keynote: Keynote) -> KeynoteCitation:
        """Everything a citation of the keynote says (`citation.KeynoteCitation`)."""
        return KeynoteCitation(keynote, self.workshop, self.keys[f"keynote:{keynote.id}"], self.url(paths.keynote_page(keynote.id)))

    def volume_csl(self, csl_of: Callable[[PaperCitation], dict[str, Any]] = citation.csl) -> list[dict[str, Any]]:
        """proceedings.csl.json: every paper, every keynote, then the volume itself (the keys of
        proceedings.bib). ``csl_of``: `citation.csl`, or a memo of it (outputs.downloads)."""
        key, editors = self.volume_citation
        return ([csl_of(self.paper_citation(p)) for p in self.proc.papers] + [citation.keynote_csl(self.keynote_citation(k)) for k in self.proc.keynotes]
                + [cite.csl_proceedings(self.workshop, editors, key)])

    def volume_bibtex(self, entry_of: Callable[[PaperCitation], str] = citation.bibtex_entry) -> str:
        """proceedings.bib: every paper's entry as its own .bib has it (``entry_of``:
        `citation.bibtex_entry`, or a memo of it), with a ``crossref`` to the volume's @proceedings
        (the organizers its editors) instead of the editors; every keynote, cross-referencing it too;
        then the @proceedings entry (bibtex resolves a crossref only to an entry further down).

        A paper whose authors no source names is a @misc naming the volume itself, without
        crossref (it would inherit the editors, which biblatex then shows, and sorts, in the
        authors' place).
        """
        key, editors = self.volume_citation
        texts = []
        for paper in self.proc.papers:
            text = entry_of(self.paper_citation(paper))
            texts.append(cite.with_crossref(text, key) if paper.authors else text)
        texts += [citation.keynote_bibtex_entry(self.keynote_citation(k), crossref=key) for k in self.proc.keynotes]
        texts.append(cite.entry_text(cite.proceedings_entry(self.workshop, editors, key)))
        return cite.join_bibtex(texts)

    def _slot_json(self, slot: Slot) -> dict:
        start, end = self.slot_datetimes(slot)
        item: dict = {"start": start.isoformat(), "end": end.isoformat()}
        target = slot.target
        item["schedule_url"] = self.url(paths.schedule_anchor(self.slot_anchor(slot)))
        if target is None:
            item.update(kind=slot.kind, title=slot.title)
            if slot.papers:
                item["papers"] = list(slot.papers)
        else:
            kind, ident = target
            item.update(kind=kind, id=ident, title=self.slot_title(slot), url=self.url(self.slot_page(slot)))
        return item

    def papers_json(self) -> dict:
        """Everything a tool needs, as plain data (the site's papers.json)."""
        papers = []
        for paper in self.proc.papers:
            slot = self.slot("paper", paper.id)
            status = self.pdfs.get(paper.id, PdfStatus())
            item = paper.model_dump(mode="json", exclude_none=True)
            item.update(
                url=self.url(paths.paper_page(paper.id)),
                bibkey=self.keys[f"paper:{paper.id}"],
                bib_url=self.url(paths.paper_file(paper.id, "bib")),
                ris_url=self.url(paths.paper_file(paper.id, "ris")),
                csl_url=self.url(paths.paper_file(paper.id, "csl.json")),
                pdf_url=self.url(pdf) if (pdf := self.pdf_path(paper.id)) else None,
                pages=status.pages if status.published else None,
                # a published review copy is no camera-ready (version 1 said "available")
                camera_ready=("review-copy" if status.review_note else "available") if status.published else "pending",
            )
            if slot:
                item["slot"] = self._slot_json(slot)
            sessions = self.poster_sessions(paper.id)
            if sessions:
                item["poster_sessions"] = [self._slot_json(s) for s in sessions]
            if status.supplementary:
                item["supplementary_url"] = self.url(paths.beside_papers(status.supplementary))
            item.pop("pdf", None)
            item.pop("supplementary", None)
            item.pop("lock", None)  # an instruction to the importer, not metadata
            item.pop("waive", None)  # the organizers' decisions about camera-ready checks, not the paper's metadata
            papers.append(item)
        keynotes = []
        for keynote in self.proc.keynotes:
            item = keynote.model_dump(mode="json", exclude_none=True)
            item.update(
                url=self.url(paths.keynote_page(keynote.id)),
                bibkey=self.keys[f"keynote:{keynote.id}"],
                bib_url=self.url(paths.keynote_file(keynote.id, "bib")),
                csl_url=self.url(paths.keynote_file(keynote.id, "csl.json")),
            )
            slot = self.slot("keynote", keynote.id)
            if slot:
                item["slot"] = self._slot_json(slot)
            keynotes.append(item)
        dump = self.proc.model_dump(mode="json", exclude_none=True)
        series = {}
        if self.series is not None:  # one edition of a series: which one, and where the others are
            series = {"series": {"name": self.series.series_name, "short_name": self.series.series_short_name,
                                 "edition": self.series.edition, "url": self.series.series_url,
                                 "editions": [{"id": ident, "short_name": name, "date": date} for ident, name, date in self.series.editions]}}
        return {
            "$schema": PAPERS_SCHEMA,
            "version": PAPERS_JSON_VERSION,
            **series,
            "workshop": self.workshop.model_dump(mode="json", exclude_none=True),
            "papers": papers,
            "keynotes": keynotes,
            "invited_speakers_without_talk": dump["invited_speakers_without_talk"],
            "panel": dump.get("panel"),
            "schedule": [self._slot_json(slot) for slot in self.proc.schedule],
            "people": dump["people"],
            "cfp": dump["cfp"],
        }

    # -- objects the pages share ------------------------------------------------
    def memo(self, key: Hashable, make: Callable[[], T]) -> T:
        """``make()``, computed once per volume for ``key`` (objects the pages share, such as paper cards)."""
        if key not in self._memos:
            self._memos[key] = make()
        return cast(T, self._memos[key])


def _slot_key(slot: Slot) -> str:
    """A slot by its value (a model with list fields has no hash): what `Volume` finds its place by."""
    return slot.model_dump_json()
