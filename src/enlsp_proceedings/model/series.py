"""A workshop series: ``conf/series.yaml`` and one folder per edition (``conf/2031/``, ``conf/2032/``).

A series is what the ACL Anthology calls a venue and PMLR a series of volumes: one archive
holding every edition of a workshop, each edition a volume with its own addresses
(``<base_url><edition id>/``) and everything a single workshop has today (date, venue,
tracks, page policy, program, people). Each edition folder is an ordinary conf folder that
`load_proceedings` reads on its own, so next year's edition is a new folder and the import
commands: no code change and no edit to the other editions.

A ``conf/`` holding ``workshop.yaml`` at its top is a single-edition workshop, exactly as
before; a ``conf/`` holding ``series.yaml`` is a series. Nothing here writes files but the memo a build
keeps of each edition's validated data in its cache (`load_edition`).
"""

from __future__ import annotations

import hashlib
import pickle
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pydantic
from pydantic import Field, ValidationError

from enlsp_proceedings.model.load import CONF_FILES, ConfError, Problem, _format_loc, _line_of, _read_yaml, load_proceedings
from enlsp_proceedings.model.schema import HttpUrl, Model, OptionalText, People, Proceedings, Text, Workshop
from enlsp_proceedings.util.code import code_digest
from enlsp_proceedings.util.files import Deferred, remembered
from enlsp_proceedings.util.heap import set_aside

SERIES_FILE = "series.yaml"
#: An edition's folder name, which is also its site prefix (``/2023/``) and part of its citation
#: keys: a year, or a year and a suffix (``2023``, ``2024-spring``). Starting with a digit keeps it
#: apart from every address the series' own pages use (``authors/``, ``search.html``, ``_static/``…).
EDITION_ID = re.compile(r"[0-9][0-9a-z-]{0,39}")


class SeriesLink(Model):
    """One outside link of the series (its website, a mailing list, the review system)."""

    label: Text
    url: HttpUrl


class Series(Model):
    """series.yaml: what the workshop series is, where its archive lives, which edition the root once was."""

    name: Text
    short_name: Text
    description: OptionalText = ""
    #: Where the archive is published; each edition lives at ``<base_url><edition id>/``.
    base_url: HttpUrl
    repository: HttpUrl | None = None
    links: list[SeriesLink] = []
    #: The edition whose site this archive replaces at ``base_url`` itself: every address that
    #: site handed out (``papers/<id>.html``, ``schedule.html``, ``papers/paper_<n>.pdf``…) keeps
    #: answering, with a page that points on to the edition's new address.
    root_edition: str | None = Field(default=None, pattern=EDITION_ID.pattern)

    def edition_url(self, edition_id: str) -> str:
        """Absolute URL of an edition's home folder."""
        base = self.base_url if self.base_url.endswith("/") else self.base_url + "/"
        return f"{base}{edition_id}/"


class Edition:
    """One edition of the series: its id (folder name and site prefix), its conf folder and its data
    (``proc``), with its workshop and its number of papers at hand.

    An edition read back from the build's memo (`load_edition`) unpickles its data only when
    ``proc`` is first asked for: an edit to one edition of ten leaves the nine others' papers unread
    unless something needs them (0.11 s at 10 × 1,000 papers); their workshop is all the series'
    pages and downloads take from them."""

    __slots__ = ("_proc", "conf_dir", "digest", "id", "paper_count", "workshop")

    def __init__(self, id: str, conf_dir: Path, proc: Proceedings | RememberedEdition, digest: str | None = None):  # noqa: A002 - the edition's id
        self.id = id
        self.conf_dir = conf_dir
        #: the hash of its files' bytes and of the tool's code, when loaded with a memo (`load_edition`):
        #: what the build remembers about the edition's data is keyed by it
        self.digest = digest
        self._proc: Proceedings | Deferred[Proceedings]
        if isinstance(proc, RememberedEdition):
            self._proc, self.workshop, self.paper_count = proc.proc, proc.workshop, proc.paper_count
        else:
            self._proc, self.workshop, self.paper_count = proc, proc.workshop, len(proc.papers)

    @property
    def proc(self) -> Proceedings:
        """The edition's data (read back from its memo now, the first time it is asked for)."""
        return self._proc if isinstance(self._proc, Proceedings) else self._proc.get()

    def proc_source(self) -> Proceedings | Callable[[], Proceedings]:
        """The edition's data, or (when it has not been read back yet) what reads it: for what may not need it."""
        if isinstance(self._proc, Proceedings):
            return self._proc
        return self._proc.get() if self._proc.loaded else self._proc.get

    def __repr__(self) -> str:
        return f"Edition({self.id!r}, {str(self.conf_dir)!r})"


@dataclass(frozen=True)
class RememberedEdition:
    """What the build's memo keeps of an edition (`load_edition`): its workshop and number of papers,
    and its data pickled apart (`Deferred`), read back only when it is asked for."""

    workshop: Workshop
    paper_count: int
    proc: Deferred[Proceedings]

    @classmethod
    def of(cls, proc: Proceedings) -> RememberedEdition:
        """What the memo keeps of an edition's data, just loaded (its `Deferred` holds it, not pickled yet)."""
        return cls(proc.workshop, len(proc.papers), Deferred(proc))


@dataclass
class SeriesConf:
    """The whole series: what series.yaml says, every edition (oldest first), the series-wide people.yaml."""

    series: Series
    editions: list[Edition]
    people: People | None = None
    conf_dir: Path = field(default=Path("conf"))

    def edition(self, edition_id: str) -> Edition:
        """The edition with this id (KeyError naming the editions there are)."""
        for edition in self.editions:
            if edition.id == edition_id:
                return edition
        raise KeyError(f"no edition {edition_id!r}; the series has {', '.join(e.id for e in self.editions)}")

    def newest_first(self) -> list[Edition]:
        """The editions, newest first (the series home's order)."""
        return list(reversed(self.editions))


def is_series(conf_dir: Path) -> bool:
    """Whether ``conf_dir`` holds a series (``series.yaml``) rather than one workshop."""
    return (Path(conf_dir) / SERIES_FILE).is_file()


def edition_dirs(conf_dir: Path) -> list[Path]:
    """The edition folders of a series: every sub-folder holding a ``workshop.yaml``."""
    return sorted(p.parent for p in Path(conf_dir).glob("*/workshop.yaml"))


def load_series(conf_dir: Path, memo: Path | None = None) -> SeriesConf:
    """Read series.yaml, the series-wide people.yaml and every edition; raise ConfError listing every
    problem of every file at once (each named by its path, line and field). With ``memo`` (a folder of
    the build's cache), each edition's validated data is remembered there with the hash of its files
    (`load_edition`)."""
    conf_dir = Path(conf_dir)
    problems: list[Problem] = []
    series = _read_model(conf_dir / SERIES_FILE, Series, problems, required=True)
    people = _read_model(conf_dir / "people.yaml", People, problems, required=False)
    editions: list[Edition] = []
    dirs = edition_dirs(conf_dir)
    if not dirs:
        problems.append(Problem(str(conf_dir), None, "", "holds series.yaml but no edition: add a folder per edition "
                                "(e.g. conf/2023/) with its workshop.yaml, papers.yaml, …"))
    for folder in dirs:
        if not EDITION_ID.fullmatch(folder.name):
            problems.append(Problem(str(folder), None, "", "is not a valid edition folder name: name it by its year "
                                    "(2023) or year and suffix (2023-spring): lower-case letters, digits and '-', starting with a digit"))
            continue
        try:
            proc, digest = load_edition(folder, memo)
            editions.append(Edition(folder.name, folder, proc, digest))
            set_aside()  # kept as long as a build runs (`util.heap`)
        except ConfError as exc:
            problems.extend(exc.problems)
    stray = sorted(p.name for p in conf_dir.glob("*.yaml") if p.name not in (SERIES_FILE, "people.yaml"))
    for name in stray:  # a single workshop's file left at the top: which edition is it?
        problems.append(Problem(str(conf_dir / name), None, "", "a series keeps each edition's files in its own folder "
                                f"(conf/<edition>/{name}); move it there"))
    editions.sort(key=lambda e: (e.workshop.date, e.id))
    if series is not None and series.root_edition and series.root_edition not in {e.id for e in editions} | {p.name for p in dirs}:
        problems.append(Problem(str(conf_dir / SERIES_FILE), None, "root_edition",
                                f"names {series.root_edition!r}, which is not an edition folder here"))
    if problems or series is None:
        raise ConfError(problems or [Problem(str(conf_dir / SERIES_FILE), None, "", "could not be read")])
    return SeriesConf(series, editions, people, conf_dir)


def load_edition(folder: Path, memo: Path | None) -> tuple[Proceedings | RememberedEdition, str | None]:
    """One edition's data: `load_proceedings`, or, when ``memo`` holds it for the very bytes of the
    folder's files (and these versions of the tool and of pydantic), the data validated last time
    (`RememberedEdition`: read back when it is asked for); with the hash of those bytes (None
    without a memo, or when a file cannot be read).

    Reading and validating the YAML of a 1,000-paper edition takes 0.2–0.3 s, reading it back from
    JSON 0.03–0.07 s, unpickling it 0.01 s: a one-paper edit to one edition of ten no longer loads
    the nine others. The memo is a pickle in the build's cache, trusted as Sphinx's pickled
    environment beside it is. Only data that loaded without a problem is remembered, so every
    problem is still reported, every time.
    """
    if memo is None:
        return load_proceedings(folder), None
    digest = hashlib.sha256(f"{code_digest()}\0pydantic {pydantic.VERSION}\0pickle {pickle.HIGHEST_PROTOCOL}".encode())
    for name in CONF_FILES:
        try:
            data = (folder / name).read_bytes()
        except FileNotFoundError:
            digest.update(f"\0{name}\0missing".encode())
            continue
        except OSError:  # unreadable: load_proceedings says so
            return load_proceedings(folder), None
        digest.update(f"\0{name}\0{len(data)}\0".encode() + data)
    key = digest.hexdigest()
    return remembered(memo / f"{folder.name}.pickle", key, lambda: RememberedEdition.of(load_proceedings(folder)),
                      lambda value: isinstance(value, RememberedEdition) and isinstance(value.workshop, Workshop)), key


def _read_model(path: Path, model: type[Model], problems: list[Problem], *, required: bool) -> Any:
    """One YAML mapping validated into ``model``; problems (with lines) go into ``problems``."""
    if not path.exists():
        if required:
            problems.append(Problem(str(path), None, "", "is missing"))
        return None
    before = len(problems)
    data, node = _read_yaml(path, str(path), problems)
    if data is None:
        if len(problems) == before and required:
            problems.append(Problem(str(path), None, "", "is empty"))
        return None
    if not isinstance(data, dict):
        problems.append(Problem(str(path), 1, "", "must be a mapping of keys to values"))
        return None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors():
            loc = tuple(err["loc"])
            message = err["msg"].removeprefix("Value error, ")
            if err["type"] == "extra_forbidden":
                message = "unknown field (check the spelling)"
            elif err["type"] == "missing":
                message = "is required"
            elif err["type"] == "string_pattern_mismatch":
                message = "must name an edition folder (e.g. 2031)"
            problems.append(Problem(str(path), _line_of(node, loc), _format_loc(loc), message))
        return None
