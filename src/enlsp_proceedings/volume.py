"""The validated metadata plus what was learned from the PDFs: what every output shows.

A `Volume` is built once per build (load -> extract), saved as JSON for the Sphinx
extension, and answers the questions pages ask: URLs, slots, citation keys, people.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import zoneinfo
from dataclasses import asdict, dataclass, field
from functools import cached_property
from pathlib import Path

from . import cite
from .extract import PaperPdf
from .models import Keynote, Paper, Proceedings, Slot
from .people import PeopleIndex


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
    review_note: str | None = None  # the paper's publish_review_copy: the PDF is its review copy, published with this note

    @classmethod
    def from_paper_pdf(cls, entry: PaperPdf) -> PdfStatus:
        facts = entry.facts
        return cls(
            published=entry.publishable,
            pages=facts.pages if facts else None,
            body_pages=facts.body_pages if facts else None,
            sha256=facts.sha256 if facts else None,
            problems=[asdict(p) for p in entry.problems],
        )


class Volume:
    def __init__(self, proc: Proceedings, pdfs: dict[str, PdfStatus]):
        self.proc = proc
        self.pdfs = pdfs
        self.workshop = proc.workshop

    # -- persistence for the Sphinx extension ---------------------------------
    def to_json(self) -> str:
        return json.dumps(
            {"proceedings": self.proc.model_dump(mode="json"), "pdfs": {k: asdict(v) for k, v in self.pdfs.items()}},
            ensure_ascii=False,
            sort_keys=True,
        )

    @classmethod
    def from_json(cls, text: str) -> Volume:
        data = json.loads(text)
        proc = Proceedings.model_validate(data["proceedings"])
        return cls(proc, {k: PdfStatus(**v) for k, v in data["pdfs"].items()})

    # -- lookups ---------------------------------------------------------------
    @cached_property
    def people(self) -> PeopleIndex:
        return PeopleIndex(self.proc)

    @cached_property
    def keys(self) -> dict[str, str]:
        return cite.citation_keys(self.proc)

    @cached_property
    def papers_by_id(self) -> dict[str, Paper]:
        return {p.id: p for p in self.proc.papers}

    @cached_property
    def keynotes_by_id(self) -> dict[str, Keynote]:
        return {k.id: k for k in self.proc.keynotes}

    @cached_property
    def slots_by_target(self) -> dict[tuple[str, str], Slot]:
        return {s.target: s for s in self.proc.schedule if s.target}

    def slot(self, kind: str, ident: str) -> Slot | None:
        return self.slots_by_target.get((kind, ident))

    # -- URLs ------------------------------------------------------------------
    def url(self, path: str) -> str:
        """Absolute URL of a site path such as 'papers/x.html'."""
        return self.workshop.base_url + path

    def pdf_path(self, paper_id: str) -> str | None:
        return f"papers/{paper_id}.pdf" if self.pdfs.get(paper_id, PdfStatus()).published else None

    # -- time ------------------------------------------------------------------
    @cached_property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.workshop.timezone)

    def slot_datetimes(self, slot: Slot) -> tuple[dt.datetime, dt.datetime]:
        def at(hhmm: str) -> dt.datetime:
            hour, minute = map(int, hhmm.split(":"))
            return dt.datetime.combine(self.workshop.date, dt.time(hour, minute), tzinfo=self.tz)

        return at(slot.start), at(slot.end)

    def slot_label(self, slot: Slot) -> str:
        """'Fri 2 Dec 2022, 09:56–10:05 CST'."""
        start, end = self.slot_datetimes(slot)
        return f"{start:%a} {start.day} {start:%b %Y}, {start:%H:%M}–{end:%H:%M} {start.tzname()}"

    @staticmethod
    def slot_anchor(slot: Slot) -> str:
        return "slot-" + slot.start.replace(":", "")

    def slot_title(self, slot: Slot) -> str:
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
    def paper_bibtex(self, paper: Paper) -> str:
        entry = cite.paper_entry(paper, self.workshop, self.keys[f"paper:{paper.id}"], self.url(f"papers/{paper.id}.html"))
        return cite.to_bibtex([entry])

    def keynote_bibtex(self, keynote: Keynote) -> str:
        entry = cite.keynote_entry(keynote, self.workshop, self.keys[f"keynote:{keynote.id}"], self.url(f"keynotes/{keynote.id}.html"))
        return cite.to_bibtex([entry])

    def paper_ris(self, paper: Paper) -> str:
        pdf = self.pdf_path(paper.id)
        return cite.to_ris(paper, self.workshop, self.url(f"papers/{paper.id}.html"), self.url(pdf) if pdf else None)

    def volume_bibtex(self) -> str:
        entries = [
            cite.paper_entry(p, self.workshop, self.keys[f"paper:{p.id}"], self.url(f"papers/{p.id}.html"))
            for p in self.proc.papers
        ]
        return cite.to_bibtex(entries)

    def _slot_json(self, slot: Slot) -> dict:
        start, end = self.slot_datetimes(slot)
        item: dict = {"start": start.isoformat(), "end": end.isoformat()}
        target = slot.target
        if target is None:
            item.update(kind=slot.kind, title=slot.title)
        else:
            kind, ident = target
            path = {"paper": f"papers/{ident}.html", "keynote": f"keynotes/{ident}.html", "panel": "panel.html"}[kind]
            item.update(kind=kind, id=ident, title=self.slot_title(slot), url=self.url(path))
        return item

    def papers_json(self) -> dict:
        """Everything a tool needs, as plain data (the site's papers.json)."""
        papers = []
        for paper in self.proc.papers:
            slot = self.slot("paper", paper.id)
            status = self.pdfs.get(paper.id, PdfStatus())
            item = paper.model_dump(mode="json", exclude_none=True)
            item.update(
                url=self.url(f"papers/{paper.id}.html"),
                bibkey=self.keys[f"paper:{paper.id}"],
                bib_url=self.url(f"papers/{paper.id}.bib"),
                ris_url=self.url(f"papers/{paper.id}.ris"),
                pdf_url=self.url(self.pdf_path(paper.id)) if status.published else None,
                pages=status.pages if status.published else None,
                camera_ready="available" if status.published else "pending",
            )
            if slot:
                item["slot"] = self._slot_json(slot)
            item.pop("pdf", None)
            papers.append(item)
        keynotes = []
        for keynote in self.proc.keynotes:
            item = keynote.model_dump(mode="json", exclude_none=True)
            item.update(
                url=self.url(f"keynotes/{keynote.id}.html"),
                bibkey=self.keys[f"keynote:{keynote.id}"],
                bib_url=self.url(f"keynotes/{keynote.id}.bib"),
            )
            slot = self.slot("keynote", keynote.id)
            if slot:
                item["slot"] = self._slot_json(slot)
            keynotes.append(item)
        dump = self.proc.model_dump(mode="json", exclude_none=True)
        return {
            "workshop": self.workshop.model_dump(mode="json", exclude_none=True),
            "papers": papers,
            "keynotes": keynotes,
            "invited_speakers_without_talk": dump["invited_speakers_without_talk"],
            "panel": dump.get("panel"),
            "schedule": [self._slot_json(slot) for slot in self.proc.schedule],
            "people": dump["people"],
            "cfp": dump["cfp"],
        }

    # -- change detection ------------------------------------------------------
    def digest(self, *parts: object) -> str:
        """Hash of what a page shows; written into its source so Sphinx re-reads only changed pages."""
        blob = json.dumps(parts, sort_keys=True, default=self._jsonable_cached, ensure_ascii=False)
        return hashlib.sha256(blob.encode()).hexdigest()[:16]

    def _jsonable_cached(self, value: object) -> object:
        """`_jsonable`, remembered per object: a paper is dumped once, not once per page showing it."""
        cache = self.__dict__.setdefault("_dumps", {})
        hit = cache.get(id(value))
        if hit is not None and hit[0] is value:
            return hit[1]
        out = _jsonable(value)
        cache[id(value)] = (value, out)
        return out


def _jsonable(value: object) -> object:
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    if isinstance(value, PdfStatus):
        return vars(value)  # plain values only; asdict's deep copy is slow
    if isinstance(value, (dt.date, Path)):
        return str(value)
    raise TypeError(type(value))
