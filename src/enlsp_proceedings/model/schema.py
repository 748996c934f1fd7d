"""Typed models of a workshop's metadata (what `conf/` holds once validated).

Modelled on the ACL Anthology library: a volume (``Proceedings``) holds papers and
talks; people are ``Person`` records referenced by name and merged through aliases.
Every text field is untrusted author input: it is kept verbatim here and only ever
rendered as text later.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationInfo,
    field_validator,
    model_validator,
)

from enlsp_proceedings import paths
from enlsp_proceedings.model.codes import waivable_code
from enlsp_proceedings.model.times import check_date, check_timezone

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_-]*$"
#: Page names every section already uses: an id or slug equal to one would overwrite it.
RESERVED_IDS = {"index"}
ORCID_PATTERN = re.compile(r"[0-9]{4}-[0-9]{4}-[0-9]{4}-[0-9]{3}[0-9X]")
# C0 and C1 controls (tab and newlines excepted): invisible, and terminals obey some of them.
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Characters RFC 3986 never allows unencoded; '"<>' and '\\' would also confuse every consumer.
_URL_FORBIDDEN = re.compile(r"[\s\x00-\x1f\x7f-\x9f\"<>\\^`{|}]")


def _http_url(value: str) -> str:
    """Links end up in href attributes: only absolute http(s) URLs with a host are allowed."""
    try:
        parts = urlsplit(value)
    except ValueError:
        parts = None
    if (
        parts is None
        or parts.scheme.lower() not in ("http", "https")
        or not value.lower().startswith(("http://", "https://"))
        or not parts.hostname
        or _URL_FORBIDDEN.search(value)
    ):
        raise ValueError("must be an absolute http:// or https:// URL")
    return value


def _orcid_checksum_ok(bare: str) -> bool:
    """ISO 7064 MOD 11-2, the check digit of every ORCID iD."""
    total = 0
    for digit in bare.replace("-", "")[:-1]:
        total = (total + int(digit)) * 2
    check = (12 - total % 11) % 11
    return bare[-1] == ("X" if check == 10 else str(check))


def _orcid(value: str) -> str:
    """Accept a bare ORCID iD or its https://orcid.org/ URL; store the bare iD."""
    bare = re.sub(r"^https?://(www\.)?orcid\.org/", "", value.strip(), flags=re.IGNORECASE)
    if not ORCID_PATTERN.fullmatch(bare):
        raise ValueError("must be an ORCID iD like 0000-0002-1825-0097")
    if not _orcid_checksum_ok(bare):
        raise ValueError(f"{bare} is not a valid ORCID iD (wrong check digit)")
    return bare


def _identifier(value: str) -> str:
    if value.lower() in RESERVED_IDS:
        raise ValueError(f"{value!r} is reserved (it names a page of the site)")
    return value


def _text(value: str) -> str:
    """Reject control characters that no output format can show."""
    found = _CONTROL_CHARS.search(value)
    if found:
        raise ValueError(f"contains control characters (U+{ord(found.group()):04X} at character {found.start() + 1})")
    return value


HttpUrl = Annotated[str, AfterValidator(_http_url)]
Orcid = Annotated[str, AfterValidator(_orcid)]
Text = Annotated[str, Field(min_length=1), AfterValidator(_text)]
OptionalText = Annotated[str, AfterValidator(_text)]
Identifier = Annotated[str, Field(pattern=ID_PATTERN, max_length=100), AfterValidator(_identifier)]
#: A date every output can represent (`times.check_date`: the years 1900-2999).
SiteDate = Annotated[dt.date, AfterValidator(check_date)]


class Model(BaseModel):
    """Strict base: unknown keys are errors (they are usually typos)."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Person(Model):
    """A person as the data names them: author, speaker, organizer or committee member."""

    name: Text
    #: Family name, when it is not simply the last word of ``name`` (e.g. Vietnamese
    #: "Nguyễn Văn An" has family "Nguyễn"); used in citation keys, BibTeX and RIS.
    family: OptionalText | None = None
    affiliation: OptionalText | None = None
    orcid: Orcid | None = None
    url: HttpUrl | None = None
    honorific: OptionalText | None = None

    @model_validator(mode="after")
    def _family_is_part_of_name(self) -> Person:
        if self.family is not None:
            words, family = self.name.split(), self.family.split()
            if not family or not (words[: len(family)] == family or words[-len(family):] == family):
                raise ValueError(f"family {self.family!r} must be the first or the last word(s) of name {self.name!r}")
        return self


class Links(Model):
    """A paper's or talk's outside links (code, slides, poster, video, arXiv, OpenReview); each is optional."""

    code: HttpUrl | None = None
    slides: HttpUrl | None = None
    poster: HttpUrl | None = None
    video: HttpUrl | None = None
    arxiv: HttpUrl | None = None
    openreview: HttpUrl | None = None

    def items(self) -> list[tuple[str, str]]:
        """The links that are set, as (kind, URL) pairs in field order."""
        return [(k, v) for k, v in self.model_dump().items() if v]


class Erratum(Model):
    """A dated correction note shown on a paper's page."""

    date: SiteDate
    note: Text


#: Placeholders a review system writes where it withholds the authors: never a person.
ANONYMOUS_NAME = r"anonymous(\s+authors?(\s*\(s\))?)?"
_NOT_A_NAME = re.compile(ANONYMOUS_NAME, re.IGNORECASE)


#: What the site says for a paper whose authors no source names (see `Paper.authors`).
UNKNOWN_AUTHORS = "Authors unknown"
UNKNOWN_AUTHORS_NOTE = "The workshop's records do not name the authors of this paper."


class Waiver(Model):
    """An organizer's decision to accept one problem of one paper (``waive`` in papers.yaml): `check`
    reports it as a note with the reason, and it no longer fails ``build --strict`` (a waived
    ``pdf-wrong-file`` is published). ``code`` is one of `codes.WAIVABLE`."""

    code: Annotated[str, AfterValidator(waivable_code)]
    reason: Text


class Paper(Model):
    """An accepted paper, as papers.yaml lists it; the PDF's facts come later, from the pdf stage."""

    id: Identifier
    title: Text
    #: Empty when the sources do not name the authors (a review system's "Anonymous"): the
    #: site then says the authors are not known, and citations carry no author.
    authors: list[Person]
    abstract: Text
    #: One of the workshop's `Workshop.presentations` (default: oral, spotlight, poster).
    presentation: Identifier
    #: One of the workshop's `Workshop.tracks` (default: the one track ``main``).
    track: Identifier = "main"
    pdf: str | None = None
    #: Supplementary material beside the camera-ready: a .pdf or .zip file in the papers directory.
    supplementary: str | None = None
    award: OptionalText | None = None
    links: Links = Links()
    errata: list[Erratum] = []
    #: "cmt:<Paper ID>" / "openreview:<forum id>": set by the importers, matches re-imports after an id rename
    review_id: Annotated[str, Field(pattern=r"^[a-z]+:[A-Za-z0-9_-]+$")] | None = None
    #: Publish the PDF although it is the anonymized review copy; this note is shown on the paper's page.
    publish_review_copy: Text | None = None
    #: Fields a re-import keeps as written (the organizer corrected them): any of title, abstract, authors.
    lock: list[Literal["title", "abstract", "authors"]] = []
    #: One of the workshop's `Workshop.paper_types` (short, long, ...): its page limit applies.
    type: Identifier | None = None
    #: This paper's own page limit (an organizer's allowance), instead of its type's, track's or the workshop's.
    page_limit: int | None = Field(default=None, ge=1)
    #: Problems the organizers decided to accept for this paper, each with the reason (`Waiver`).
    waive: list[Waiver] = []

    @field_validator("authors")
    @classmethod
    def _no_placeholder_authors(cls, value: list[Person]) -> list[Person]:
        for person in value:
            if _NOT_A_NAME.fullmatch(person.name):
                raise ValueError(f"{person.name!r} is not a person: leave the authors out (authors: []) when they are not known")
        return value

    @field_validator("track", "presentation")
    @classmethod
    def _declared(cls, value: str, info: ValidationInfo) -> str:
        """Only when loading conf/ (`load.declared_ids` gives what workshop.yaml declares)."""
        key = "tracks" if info.field_name == "track" else "presentations"
        allowed = (info.context or {}).get(key)
        if allowed is not None and value not in allowed:
            raise ValueError(f"unknown {info.field_name} {value!r}; workshop.yaml's {key} are: {', '.join(allowed)}")
        return value

    @field_validator("type")
    @classmethod
    def _declared_type(cls, value: str | None, info: ValidationInfo) -> str | None:
        """Only when loading conf/ (`load.declared_ids` gives the paper types workshop.yaml declares)."""
        allowed = (info.context or {}).get("paper_types")
        if value is not None and allowed is not None and value not in allowed:
            declared = f"workshop.yaml's paper_types are: {', '.join(allowed)}" if allowed else "workshop.yaml declares no paper_types"
            raise ValueError(f"unknown type {value!r}; {declared}")
        return value

    @field_validator("waive")
    @classmethod
    def _one_waiver_per_code(cls, value: list[Waiver]) -> list[Waiver]:
        codes = [w.code for w in value]
        twice = sorted({c for c in codes if codes.count(c) > 1})
        if twice:
            raise ValueError(f"{', '.join(twice)} is waived more than once; give one waiver per code")
        return value

    @field_validator("pdf")
    @classmethod
    def _pdf_inside_papers_dir(cls, value: str | None) -> str | None:
        return _papers_file(value, (".pdf",), "must name a .pdf file")

    @field_validator("supplementary")
    @classmethod
    def _supplementary_inside_papers_dir(cls, value: str | None) -> str | None:
        return _papers_file(value, SUPPLEMENTARY_TYPES, "must name a .pdf or .zip file")

    @property
    def supplementary_site_name(self) -> str | None:
        """File name of the published supplementary material, beside the paper's page."""
        if not self.supplementary:
            return None
        return f"{self.id}-supplementary{self.supplementary[self.supplementary.rfind('.'):].lower()}"

    @property
    def pdf_name(self) -> str:
        """The camera-ready's file name in the papers directory (``pdf``, or ``<id>.pdf``)."""
        return self.pdf or f"{self.id}.pdf"

    def pdf_alias_paths(self, templates: list[str]) -> list[str]:
        """This paper's PDF addresses from the workshop's `Workshop.pdf_aliases` (a template naming
        ``{review}`` applies only to papers with a ``review_id``)."""
        review = self.review_id.split(":", 1)[1] if self.review_id else None
        return [t.format(id=self.id, review=review) for t in templates if review is not None or "{review}" not in t]

    def supplementary_alias_paths(self, templates: list[str]) -> list[str]:
        """This paper's supplementary addresses from the workshop's `Workshop.supplementary_aliases`:
        none without ``supplementary``; a template ending in ``.pdf`` or ``.zip`` applies only to a
        file of that type, ``{review}`` only to papers with a ``review_id``."""
        if not self.supplementary:
            return []
        ext = self.supplementary[self.supplementary.rfind(".") + 1:].lower()
        review = self.review_id.split(":", 1)[1] if self.review_id else None
        found = []
        for template in templates:
            if review is None and "{review}" in template:
                continue
            path = template.format(id=self.id, review=review, ext=ext)
            if path.lower().endswith("." + ext):
                found.append(path)
        return found

    def site_addresses(self, pdf_aliases: list[str], supplementary_aliases: list[str]) -> list[tuple[str, str]]:
        """Every file address this paper may publish beside its page that another paper could also
        claim, with what it is: its PDF, its supplementary file and their older addresses."""
        own = [(paths.paper_pdf(self.id), "PDF address")]
        if self.supplementary_site_name:
            own.append((paths.beside_papers(self.supplementary_site_name), "supplementary material address"))
        return [*own, *((path, "pdf_aliases address") for path in self.pdf_alias_paths(pdf_aliases)),
                *((path, "supplementary_aliases address") for path in self.supplementary_alias_paths(supplementary_aliases))]


#: Which file each of `Paper.site_addresses`' kinds publishes (two addresses of one file may coincide).
SITE_ADDRESS_FILE = {"PDF address": "pdf", "pdf_aliases address": "pdf",
                     "supplementary material address": "supplementary", "supplementary_aliases address": "supplementary"}


class Keynote(Model):
    """An invited talk, with one or more speakers."""

    id: Identifier
    title: Text
    #: One or more speakers; ``speaker:`` (one person) is accepted too.
    speakers: list[Person] = Field(min_length=1)
    bio: OptionalText = ""
    abstract: OptionalText = ""
    links: Links = Links()

    @model_validator(mode="before")
    @classmethod
    def _one_speaker(cls, data: object) -> object:
        if isinstance(data, dict) and "speaker" in data:
            if "speakers" in data:
                raise ValueError("give either speaker (one person) or speakers (a list), not both")
            data = {("speakers" if k == "speaker" else k): ([v] if k == "speaker" else v) for k, v in data.items()}
        return data


class Panel(Model):
    """The workshop's panel discussion: a moderator and panelists."""

    id: Identifier
    title: Text
    description: OptionalText = ""
    moderator: Person | None = None
    panelists: list[Person] = []


SlotKind = Literal["break", "meal", "opening", "closing", "poster-session", "award", "other"]
HHMM = Annotated[str, Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")]


class Slot(Model):
    """One entry of the program: a talk, a paper's presentation, the panel, or a titled event (break, poster session...)."""

    start: HHMM
    end: HHMM
    #: The day, for a workshop of more than one day (default: the workshop's `Workshop.date`).
    date: SiteDate | None = None
    keynote: Identifier | None = None
    paper: Identifier | None = None
    panel: Identifier | None = None
    title: OptionalText | None = None
    kind: SlotKind | None = None
    #: The posters a ``poster-session`` slot shows (their pages say when).
    papers: list[Identifier] = []

    @model_validator(mode="after")
    def _one_target(self) -> Slot:
        targets = [x for x in (self.keynote, self.paper, self.panel, self.title) if x]
        if len(targets) != 1:
            raise ValueError("a slot needs exactly one of keynote, paper, panel or title")
        if self.title and not self.kind:
            raise ValueError("a slot with a title needs a kind")
        if self.papers and self.kind != "poster-session":
            raise ValueError("only a slot of kind poster-session lists papers")
        if self.end <= self.start:
            raise ValueError("end must be after start")
        return self

    @property
    def target(self) -> tuple[str, str] | None:
        """What the slot presents, as (kind, id), for a keynote, paper or panel slot; None for a titled event."""
        for kind in ("keynote", "paper", "panel"):
            if getattr(self, kind):
                return kind, getattr(self, kind)
        return None


class ImportantDate(Model):
    """A deadline or date of the call for papers (submission, notification, camera-ready...)."""

    name: Text
    date: SiteDate
    note: OptionalText | None = None


class Sponsor(Model):
    """A sponsor shown on the home page."""

    name: Text
    level: OptionalText | None = None
    url: HttpUrl | None = None


#: What ``supplementary`` may be.
SUPPLEMENTARY_TYPES = (".pdf", ".zip")


def _papers_file(value: str | None, suffixes: tuple[str, ...], wrong_type: str) -> str | None:
    """A file name inside the papers directory (no absolute path, drive or ``..``)."""
    if value is None:
        return value
    _text(value)
    parts = re.split(r"[\\/]", value)
    if value.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", value) or ".." in parts:
        raise ValueError("must be a path inside the papers directory")
    if not value.lower().endswith(suffixes):
        raise ValueError(wrong_type)
    return value


#: Placeholders of a `Workshop.pdf_aliases` template.
ALIAS_FIELDS = ("id", "review")
#: Placeholders of a `Workshop.supplementary_aliases` template: also the file's own extension.
SUPPLEMENTARY_ALIAS_FIELDS = (*ALIAS_FIELDS, "ext")


def _site_alias(value: str, fields_allowed: tuple[str, ...], suffixes: tuple[str, ...]) -> str:
    """A site path template like ``papers/paper_{review}.pdf`` (an address an older site of the
    workshop handed out), with placeholders among ``fields_allowed`` and ending in one of ``suffixes``."""
    import string

    _text(value)
    try:
        fields = {name for _, name, _, _ in string.Formatter().parse(value) if name is not None}
    except ValueError as exc:
        raise ValueError(f"is not a valid template ({exc})") from None
    if not fields & {"id", "review"} or not fields <= set(fields_allowed):
        allowed = ", ".join("{" + f + "}" for f in fields_allowed)
        raise ValueError(f"must contain {{id}} or {{review}} (the review system's paper id), and no placeholder other than {allowed}")
    sample = value.format(id="x", review="1", ext="pdf")
    parts = sample.split("/")
    if sample.startswith("/") or "\\" in sample or any(part in ("", ".", "..") or part.startswith(".") for part in parts):
        raise ValueError("must be a relative path inside the site, like papers/paper_{review}.pdf")
    ends = " or ".join(suffixes)
    if not re.fullmatch(r"[A-Za-z0-9._/{}-]+", value) or not value.lower().endswith(suffixes):
        raise ValueError(f"must be a path of letters, digits, '.', '_', '-' and '/' ending in {ends}")
    if parts[0] in paths.RESERVED_FOLDERS or value == paths.paper_pdf("{id}"):
        raise ValueError("would overwrite a file the site itself publishes")
    return value


def _pdf_alias(value: str) -> str:
    """A `Workshop.pdf_aliases` template: a ``.pdf`` path naming ``{id}`` or ``{review}``."""
    return _site_alias(value, ALIAS_FIELDS, (".pdf",))


def _supplementary_alias(value: str) -> str:
    """A `Workshop.supplementary_aliases` template: a path naming ``{id}`` or ``{review}``, ending
    in ``.{ext}`` (the supplementary file's own type) or in ``.pdf`` or ``.zip`` (only files of that type)."""
    return _site_alias(value, SUPPLEMENTARY_ALIAS_FIELDS, (".{ext}", ".pdf", ".zip"))


PdfAlias = Annotated[str, AfterValidator(_pdf_alias)]
SupplementaryAlias = Annotated[str, AfterValidator(_supplementary_alias)]


class PagePolicy(Model):
    """How `check` judges the content length against ``page_limit`` (content = everything before
    the first References / appendix / supplementary heading, in decimal pages)."""

    #: Pages allowed on top of ``page_limit`` for the camera-ready (e.g. 1 to address reviews).
    extra_camera_ready_pages: float = Field(default=0, ge=0)
    #: Whether an Acknowledgments section just before the references counts as content.
    acknowledgments_count: bool = True
    #: How a camera-ready over the limit is reported.
    over_limit: Literal["error", "warning"] = "error"


class Track(Model):
    """A track of the workshop (``tracks`` in workshop.yaml); papers name theirs by id."""

    id: Identifier
    name: Text
    description: OptionalText = ""
    #: The page limit of the track's papers, when it is not the workshop's ``page_limit``.
    page_limit: int | None = Field(default=None, ge=1)
    #: What the track's papers judge differently from the workshop's ``page_policy`` (only the fields given).
    page_policy: PagePolicy | None = None


class PaperType(Model):
    """A kind of paper the call for papers sets its own page limit for (``paper_types`` in
    workshop.yaml: short 4, long 8, ...); papers name theirs with ``type``."""

    id: Identifier
    #: As the call names it ("Short paper"); default: the id.
    name: OptionalText = ""
    page_limit: int = Field(ge=1)
    #: What papers of this type judge differently from the workshop's (or track's) ``page_policy`` (only the fields given).
    page_policy: PagePolicy | None = None

    @property
    def label(self) -> str:
        """The name, or the id when the type has none."""
        return self.name or self.id


class Presentation(Model):
    """A kind of presentation: ``label`` on badges ("Oral"), ``group`` heads lists ("Oral presentations")."""

    id: Identifier
    label: Text
    group: Text


DEFAULT_TRACKS = [Track(id="main", name="Main track")]
DEFAULT_PRESENTATIONS = [
    Presentation(id="oral", label="Oral", group="Oral presentations"),
    Presentation(id="spotlight", label="Spotlight", group="Spotlight presentations"),
    Presentation(id="poster", label="Poster", group="Posters"),
]


class Labels(Model):
    """Headings and words a workshop may want to say differently (defaults: the wording of the site)."""

    papers: Text = "Accepted papers"
    keynotes: Text = "Keynote talks"
    keynote: Text = "Keynote"
    keynote_talk: Text = "Keynote talk"
    keynote_speakers: Text = "Keynote speakers"
    keynote_speaker: Text = "Keynote speaker"
    schedule: Text = "Schedule"
    authors: Text = "Authors"
    people: Text = "Organizers and committee"
    cfp: Text = "Call for papers"
    panel: Text = "Panel"
    poster_session: Text = "Poster session"
    supplementary: Text = "Supplementary material"
    award: Text = "Award"
    about: Text = "About the workshop"
    important_dates: Text = "Important dates"
    overview: Text = "Overview"
    sponsors: Text = "Sponsors"


class Workshop(Model):
    """The workshop itself (workshop.yaml): names, date, place, URLs, tracks, presentations, labels and rules."""

    short_name: Text
    title: Text
    booktitle: Text
    venue: Text
    year: int = Field(ge=1900, le=2999)
    date: SiteDate
    location: Text
    timezone: str
    archival: bool
    page_limit: int = Field(ge=1)
    page_policy: PagePolicy = PagePolicy()
    base_url: HttpUrl
    room: OptionalText | None = None
    format: OptionalText | None = None
    repository: HttpUrl | None = None
    description: OptionalText = ""
    overview: list[OptionalText] = []
    important_dates: list[ImportantDate] = []
    sponsors: list[Sponsor] = []
    #: More addresses of each published PDF, as templates relative to ``base_url``: the links an
    #: older site of the workshop handed out (``papers/paper_{review}.pdf``) keep working.
    pdf_aliases: list[PdfAlias] = []
    #: The same for each published supplementary file (``papers/paper_{review}_supp.{ext}``).
    supplementary_aliases: list[SupplementaryAlias] = []
    #: The workshop's tracks; a paper's ``track`` names one (default: one track, ``main``).
    tracks: list[Track] = []
    #: Kinds of presentation and their wording (default: oral, spotlight, poster).
    presentations: list[Presentation] = []
    #: Kinds of paper with their own page limits (short, long, ...); a paper's ``type`` names one.
    paper_types: list[PaperType] = []
    labels: Labels = Labels()

    @property
    def track_list(self) -> list[Track]:
        """The declared tracks, or the one default track when workshop.yaml declares none."""
        return self.tracks or DEFAULT_TRACKS

    @property
    def presentation_list(self) -> list[Presentation]:
        """The declared presentation kinds, or the defaults (oral, spotlight, poster)."""
        return self.presentations or DEFAULT_PRESENTATIONS

    def track(self, ident: str) -> Track:
        """The track with this id (a plain one named by the id when it is not declared)."""
        return next((t for t in self.track_list if t.id == ident), Track(id=ident, name=ident))

    def paper_type(self, ident: str) -> PaperType | None:
        """The declared paper type with this id, or None."""
        return next((t for t in self.paper_types if t.id == ident), None)

    def presentation(self, ident: str) -> Presentation:
        """The presentation kind with this id (a plain one labelled by the id when it is not declared)."""
        return next((p for p in self.presentation_list if p.id == ident), Presentation(id=ident, label=ident, group=ident))

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        return check_timezone(value)

    @field_validator("base_url")
    @classmethod
    def _trailing_slash(cls, value: str) -> str:
        return value if value.endswith("/") else value + "/"


class Topic(Model):
    """A topic of the call for papers, with its items."""

    name: Text
    description: OptionalText = ""
    special_track: bool = False
    items: list[Text] = []


class CallForPapers(Model):
    """The call for papers (cfp.yaml): introduction, topics and submission instructions."""

    intro: OptionalText = ""
    topics: list[Topic] = []
    submission: list[OptionalText] = []


class Alias(Model):
    """Spellings of one person's name (``variants``) shown and indexed as ``name``."""

    name: Text
    variants: list[Text] = Field(min_length=1)


class NameOrcid(Model):
    """An entry of people.yaml's ``orcids``: the ORCID iD of the person ``name`` (as written, or an
    alias's name) refers to, in the editions of a series listed in ``editions`` (default: all). In a
    series, two names with one ORCID iD are one person, one name with two iDs two people."""

    name: Text
    orcid: Orcid
    #: Edition ids (the series' folder names, "2023"); empty: every edition
    #: (`series_people.orcid_edition_problems` checks they name editions of the series).
    editions: list[Identifier] = []


class People(Model):
    """people.yaml: organizers, volunteers, the technical committee, name aliases and ``distinct`` groups (same-looking names of different people)."""

    organizers: list[Person] = []
    volunteers: list[Person] = []
    technical_committee: list[Person] = []
    aliases: list[Alias] = []
    #: Groups of names that look alike but are different people: `check` and `build` stop asking
    #: whether they are one person (e.g. [Yang Liu, Yang You]).
    distinct: list[Annotated[list[Text], Field(min_length=2)]] = []
    #: ORCID iDs of people by name (`NameOrcid`): what merges one person's spellings across a series for certain.
    orcids: list[NameOrcid] = []

    @field_validator("orcids")
    @classmethod
    def _one_orcid_per_name(cls, value: list[NameOrcid]) -> list[NameOrcid]:
        """One name may have two iDs (two people) only in editions that do not overlap."""
        by_name: dict[str, list[int]] = {}
        for i, entry in enumerate(value):
            for j in by_name.get(entry.name, []):
                other = value[j]
                if other.orcid != entry.orcid and (not other.editions or not entry.editions or set(other.editions) & set(entry.editions)):
                    raise ValueError(f"orcids[{i}] gives {entry.name!r} the ORCID iD {entry.orcid}, orcids[{j}] {other.orcid}, in the same "
                                     "edition(s): one of them is wrong, or they are two people: give each its editions")
            by_name.setdefault(entry.name, []).append(i)
        return value


class _Derived:
    """A value computed from a model's fields and remembered per instance (``source``: what it was
    computed from, ``value``). It is not part of the model's value: any two compare equal, so
    models holding one still compare (and hash) by their fields alone."""

    __slots__ = ("source", "value")

    def __init__(self) -> None:
        self.source: object = None
        self.value: dict[str, str] = {}

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Derived)

    def __hash__(self) -> int:
        return 0


class Proceedings(Model):
    """The whole validated volume: what every later stage reads."""

    workshop: Workshop
    papers: list[Paper]
    keynotes: list[Keynote] = []
    invited_speakers_without_talk: list[Person] = []
    panel: Panel | None = None
    schedule: list[Slot] = []
    people: People = People()
    cfp: CallForPapers = CallForPapers()
    #: variant -> alias name, for `canonical_name`
    _alias_table: _Derived = PrivateAttr(default_factory=_Derived)

    # -- the optional section pages: each has a page only while the data has what it shows (one
    # rule for the pages, `sphinxext.pages`, and for `check`'s note about an edition in progress) --
    @property
    def has_program(self) -> bool:
        """The Schedule page's data: a program (schedule.yaml)."""
        return bool(self.schedule)

    @property
    def has_keynote_list(self) -> bool:
        """The Keynote talks page's data: a keynote or an invited speaker (keynotes.yaml)."""
        return bool(self.keynotes or self.invited_speakers_without_talk)

    @property
    def has_people_page(self) -> bool:
        """The Organizers and committee page's data: an organizer, a volunteer, a committee member (people.yaml) or a panel (panel.yaml)."""
        return bool(self.people.organizers or self.people.volunteers or self.people.technical_committee or self.panel)

    @property
    def has_call(self) -> bool:
        """The Call for papers page's data: the call's text, topics or instructions (cfp.yaml), or important dates (workshop.yaml)."""
        return bool(self.cfp.intro or self.cfp.topics or self.cfp.submission or self.workshop.important_dates)

    def paper(self, paper_id: str) -> Paper:
        """The paper with this id (StopIteration when there is none)."""
        return next(p for p in self.papers if p.id == paper_id)

    def keynote(self, keynote_id: str) -> Keynote:
        """The keynote with this id (StopIteration when there is none)."""
        return next(k for k in self.keynotes if k.id == keynote_id)

    def slot_for(self, kind: str, ident: str) -> Slot | None:
        """The program slot presenting this keynote, paper or panel, if any."""
        return next((s for s in self.schedule if s.target == (kind, ident)), None)

    def canonical_name(self, name: str) -> str:
        """The alias's name when ``name`` is listed as one of its variants (the first such alias).

        Called for every name shown anywhere, so it is a lookup in a table built once per alias
        list (scanning the aliases each time made 50,000 people times 1,000 aliases). The table
        belongs to this instance and records the list it was built from: a copy made with
        ``model_copy(update={"people": ...})`` (which runs no validator and shares private
        attributes) sees another list and builds its own.
        """
        aliases = self.people.aliases
        if not aliases:
            return name
        memo = self._alias_table
        if memo.source is not aliases:
            table: dict[str, str] = {}
            for alias in aliases:
                for variant in alias.variants:
                    table.setdefault(variant, alias.name)
            memo.source, memo.value = aliases, table
        return memo.value.get(name, name)
