"""One record per person across the editions of a series (a workshop held every year, one conf folder each).

`model.people.PeopleIndex` indexes one edition; `SeriesPeople` indexes every edition at once, so
that one person has one page listing, by year, everything they did. The rules:

- **Names.** The aliases of every edition's ``people.yaml`` and of the series' ``conf/people.yaml``
  apply series-wide (the series' first, then the editions', oldest first; a variant listed under
  two names keeps the first and is reported); names equal up to accents, case and spacing are one
  person, as in one edition.
- **ORCID iDs** (a person's ``orcid``, or the ``orcids`` list of a ``people.yaml``) are certain: two
  names with one iD are one person; one name with two iDs is two people. An entry of that name
  without an iD joins the one person of its name with an iD in its own edition; where there is
  not exactly one, the first of them met (oldest edition first: who had the name, and its slug,
  before the others came), and it is reported for the organizer to settle.
- **Slugs are stable.** People get their slugs in edition order, oldest first, each edition in
  `PeopleIndex`'s order and from the name as that edition alone would give it: adding a later
  edition never changes an earlier person's slug, and the oldest edition's people keep exactly
  the slugs its single-edition site gave them (its ``authors/<slug>.html`` addresses).
- **Variants across years** (`likely_variants`): two people of no common edition whose names look
  like one person spelled two ways are suggested, never merged; the series' or any edition's
  ``distinct`` groups, and different ORCID iDs, settle them.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import overload

from enlsp_proceedings.model.codes import Code, Level
from enlsp_proceedings.model.load import Problem, _line_of, _read_yaml
from enlsp_proceedings.model.people import affiliation_key, similar_name_pairs_cached, slugify
from enlsp_proceedings.model.schema import RESERVED_IDS, People, Person, Proceedings
from enlsp_proceedings.util.code import code_digest
from enlsp_proceedings.util.files import read_json_object, remembered, write_if_changed
from enlsp_proceedings.util.text import fold

#: Where the series' own people file is, as messages name it.
SERIES_PEOPLE_FILE = "the series' people.yaml"


@dataclass
class EditionPart:
    """What one person did in one edition: the names it wrote, their roles and items there."""

    edition: str
    names: list[str] = field(default_factory=list)  # as this edition writes them
    roles: list[str] = field(default_factory=list)  # `people.ROLE_LABELS` keys, in the order first met
    papers: list[str] = field(default_factory=list)  # paper ids
    keynotes: list[str] = field(default_factory=list)  # keynote ids
    panel: str | None = None  # the panel's id, when a panelist or its moderator
    affiliations: list[str] = field(default_factory=list)


@dataclass
class SeriesPersonRecord:
    """One person across the series: name, slug, ORCID iD, other spellings and, per edition (oldest
    first), roles, items and affiliations."""

    name: str
    slug: str
    editions: list[EditionPart] = field(default_factory=list)
    orcid: str | None = None
    url: str | None = None
    family: str | None = None
    #: other spellings of the name, as written anywhere in the series
    variants: list[str] = field(default_factory=list)
    #: names of this person that only their common ORCID iD made one (reported by `check`)
    merged_by_orcid: list[str] = field(default_factory=list)

    def edition(self, edition_id: str) -> EditionPart | None:
        """What this person did in one edition (None: nothing)."""
        return next((part for part in self.editions if part.edition == edition_id), None)

    @property
    def edition_ids(self) -> list[str]:
        """The editions this person appears in, oldest first."""
        return [part.edition for part in self.editions]

    @property
    def roles(self) -> list[str]:
        """Every role in any edition, in the order first met."""
        return list(dict.fromkeys(role for part in self.editions for role in part.roles))

    @property
    def affiliations_by_year(self) -> dict[str, list[str]]:
        """Edition id -> the affiliations given there (editions that give none left out)."""
        return {part.edition: part.affiliations for part in self.editions if part.affiliations}

    @property
    def names(self) -> list[str]:
        """The name and every other spelling."""
        return [self.name, *self.variants]

    @property
    def sort_key(self) -> tuple[str, str]:
        """Sort by family name, then full name, ignoring accents and case (as `PersonRecord`)."""
        last = self.family or (self.name.split()[-1] if self.name.split() else self.name)
        return (fold(last), fold(self.name))


@dataclass(frozen=True)
class CrossVariant:
    """Two people of no common edition whose names look like one person spelled two ways."""

    a: str
    a_editions: tuple[str, ...]
    b: str
    b_editions: tuple[str, ...]
    reason: str
    a_slug: str
    b_slug: str


@dataclass(frozen=True)
class PeopleIssue:
    """Something `check` reports about people across the series: level, code, message, the editions it concerns."""

    level: Level
    #: one of `codes.Code`
    code: str
    message: str
    editions: tuple[str, ...] = ()

    @classmethod
    def of(cls, code: Code, message: str, editions: tuple[str, ...] = ()) -> PeopleIssue:
        """An issue of this code, at its level."""
        return cls(code.level, code.value, message, editions)


@dataclass(frozen=True)
class _Mention:
    edition: int
    person: Person
    role: str
    item: str | None  # a paper or keynote id, the panel's id


def _mentions(index: int, proc: Proceedings) -> list[_Mention]:
    """Everyone one edition names, in `PeopleIndex`'s order (which decides who gets a slug first)."""
    found = [_Mention(index, a, "author", paper.id) for paper in proc.papers for a in paper.authors]
    found += [_Mention(index, s, "speaker", keynote.id) for keynote in proc.keynotes for s in keynote.speakers]
    found += [_Mention(index, p, "invited", None) for p in proc.invited_speakers_without_talk]
    if proc.panel:
        if proc.panel.moderator:
            found.append(_Mention(index, proc.panel.moderator, "moderator", proc.panel.id))
        found += [_Mention(index, p, "panelist", proc.panel.id) for p in proc.panel.panelists]
    for role, group in (("organizer", proc.people.organizers), ("volunteer", proc.people.volunteers),
                        ("committee", proc.people.technical_committee)):
        found += [_Mention(index, p, role, None) for p in group]
    return found


def _key(name: str) -> str:
    return fold(re.sub(r"\s+", " ", name))


def edition_people_digest(edition_id: str, index: int, proc: Proceedings) -> str:
    """The hash of what `SeriesPeople` reads of one edition: its id, its people.yaml (aliases,
    ``distinct``, ``orcids``: its `canonical_name`) and every person it names (`_mentions`, the one
    way `SeriesPeople` reads an edition's people, each with its role and item)."""
    digest = hashlib.sha256(f"edition\0{edition_id}\0{proc.people.model_dump_json()}".encode())
    for mention in _mentions(index, proc):
        digest.update(f"\0{mention.role}\0{mention.item}\0{mention.person.model_dump_json()}".encode())
    return digest.hexdigest()


def people_key(editions: Sequence[tuple[str, Proceedings]], series_people: People | None = None,
               parts: Sequence[str | None] | None = None) -> str:
    """The hash of everything `SeriesPeople` reads: the tool's code, the series' people.yaml, and
    each edition's `edition_people_digest` (given in ``parts`` where known; None: hashed now). A
    title, an abstract, a PDF or a schedule changes none of it."""
    digest = hashlib.sha256(f"{code_digest()}\0{(series_people or People()).model_dump_json()}".encode())
    for index in range(len(editions)):
        part = parts[index] if parts is not None else None
        if part is None:  # an edition's data is read only where its share is not known (`_LazyEditions`)
            edition_id, proc = editions[index]
            part = edition_people_digest(edition_id, index, proc)
        digest.update(f"\0{part}".encode())
    return digest.hexdigest()


def _remembered_parts(editions: _LazyEditions, digests: Sequence[str | None], memo: Path) -> list[str | None]:
    """Each edition's `edition_people_digest`, remembered in ``memo`` (JSON) by its id and the hash of
    its files (`model.series.Edition.digest`): only an edition whose files changed is hashed again
    (0.2–0.28 s for the 34,951 mentions of 10 × 1,000 papers)."""
    known = read_json_object(memo)
    parts: list[str | None] = []
    kept: dict[str, str] = {}
    for index, (edition_id, files) in enumerate(zip(editions.ids, digests, strict=True)):
        name = f"{edition_id} {files}" if files else None
        part = known.get(name) if name else None
        if not isinstance(part, str):
            part = edition_people_digest(edition_id, index, editions[index][1])
        if name:
            kept[name] = part
        parts.append(part)
    with contextlib.suppress(OSError):  # a memo that cannot be saved only costs time
        write_if_changed(memo, json.dumps(kept, sort_keys=True, indent=0))
    return parts


class _LazyEditions(Sequence[tuple[str, Proceedings]]):
    """(edition id, its data) pairs, each edition's data read only when its pair is asked for
    (`SeriesPeople.remembered`): at 10 × 1,000 papers, reading back the nine editions an edit
    leaves alone took 0.11 s that nothing needed."""

    def __init__(self, editions: Sequence[tuple[str, Proceedings | Callable[[], Proceedings]]]):
        self.ids = [eid for eid, _ in editions]
        self.procs = _LazyProcs([source for _, source in editions])

    def __len__(self) -> int:
        return len(self.ids)

    @overload
    def __getitem__(self, index: int) -> tuple[str, Proceedings]: ...
    @overload
    def __getitem__(self, index: slice) -> list[tuple[str, Proceedings]]: ...

    def __getitem__(self, index: int | slice) -> tuple[str, Proceedings] | list[tuple[str, Proceedings]]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        return self.ids[index], self.procs[index]


class _LazyProcs(Sequence[Proceedings]):
    """Each edition's data, read (its source called) the first time it is asked for."""

    def __init__(self, sources: list[Proceedings | Callable[[], Proceedings]]):
        self._sources = sources

    def __len__(self) -> int:
        return len(self._sources)

    @overload
    def __getitem__(self, index: int) -> Proceedings: ...
    @overload
    def __getitem__(self, index: slice) -> list[Proceedings]: ...

    def __getitem__(self, index: int | slice) -> Proceedings | list[Proceedings]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        source = self._sources[index]
        if not isinstance(source, Proceedings):
            source = self._sources[index] = source()
        return source


class SeriesPeople:
    """Every person of every edition, one record each, keyed by a slug that never changes when an
    edition is added. ``editions``: (edition id, its `Proceedings`) pairs, oldest first;
    ``series_people``: the series' own ``conf/people.yaml`` (aliases, ``distinct``, ``orcids``), if any."""

    @classmethod
    def remembered(cls, editions: Sequence[tuple[str, Proceedings | Callable[[], Proceedings]]], series_people: People | None, memo: Path,
                   digests: Sequence[str | None] | None = None, cache_dir: Path | None = None) -> SeriesPeople:
        """The series' people, remembered in ``memo`` (a pickle in the build's cache) for as long as
        what they are made from (`people_key`) is the same, with their `likely_variants` (pairs
        remembered in ``cache_dir``). A one-paper edit that changes no one's name made them all
        again: 0.67–1.10 s at 10 × 1,000 papers; reading them back takes 0.13 s. ``digests``: each
        edition's `Edition.digest`, by which its share of the key is remembered beside ``memo``.
        An edition's data may be given as what reads it (`model.series.Edition.proc_source`): it is
        read only if it is needed (its share of the key unknown, the people made again, or a lookup
        in it)."""
        lazy = _LazyEditions(editions)
        parts = _remembered_parts(lazy, digests, memo.with_name(memo.stem + ".parts.json")) if digests is not None else None
        key = people_key(lazy, series_people, parts)

        def make() -> SeriesPeople:
            people = cls(list(lazy), series_people)
            people.likely_variants(cache_dir)  # kept with them: 0.3 s at 10 × 1,000 papers
            return people

        people = remembered(memo, key, make, lambda value: isinstance(value, cls) and value.edition_ids == lazy.ids)
        people._procs = lazy.procs  # noqa: SLF001 - this class's own: what was read back has none (`__getstate__`)
        people.key = key
        return people

    def __getstate__(self) -> dict[str, object]:
        """Pickled without the editions' data: `remembered` gives it back as loaded by the build."""
        return {name: value for name, value in vars(self).items() if name != "_procs"}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self._procs: Sequence[Proceedings] = []
        self.__dict__.setdefault("_variants", None)

    def __init__(self, editions: list[tuple[str, Proceedings]], series_people: People | None = None):
        self.edition_ids = [eid for eid, _ in editions]
        self.series_people = series_people or People()
        #: `people_key` of what they were made from, when `remembered` gave them (None otherwise)
        self.key: str | None = None
        self._variants: list[CrossVariant] | None = None  # `likely_variants`, once found
        self._procs = [proc for _, proc in editions]
        self.issues: list[PeopleIssue] = []
        self._aliases = self._alias_table()
        self._orcids = self._orcid_table()
        mentions = [m for i, proc in enumerate(self._procs) for m in _mentions(i, proc)]
        orcid_of = [self._orcid(m) for m in mentions]
        keys = [_key(self.canonical_name(m.person.name)) for m in mentions]
        roots = self._group(mentions, keys, orcid_of)
        self.by_slug: dict[str, SeriesPersonRecord] = {}
        self._slug_of_root: dict[object, str] = {}
        self._next_number: dict[str, int] = {}
        self._taken: set[str] = set()
        #: per edition: name as written (and its edition-local canonical name) -> slug, the first person met
        self._names: list[dict[str, str]] = [{} for _ in self._procs]
        self._exact: dict[tuple[int, str, str | None], str] = {}
        members: dict[str, list[int]] = {}
        for i, mention in enumerate(mentions):
            slug = self._slug_of_root.get(roots[i])
            if slug is None:
                local = self._procs[mention.edition].canonical_name(mention.person.name)
                slug = self._free_slug(slugify(local))
                self._slug_of_root[roots[i]] = slug
            members.setdefault(slug, []).append(i)
            names = self._names[mention.edition]
            names.setdefault(mention.person.name, slug)
            names.setdefault(self._procs[mention.edition].canonical_name(mention.person.name), slug)
            self._exact.setdefault((mention.edition, mention.person.name, orcid_of[i]), slug)
        for slug, indexes in members.items():
            self.by_slug[slug] = self._record(slug, [mentions[i] for i in indexes], [orcid_of[i] for i in indexes],
                                              [keys[i] for i in indexes])
        self.distinct = [set(group) for people in (self.series_people, *(p.people for p in self._procs)) for group in people.distinct]

    # --- names and ORCID iDs -------------------------------------------------------------------

    def _alias_table(self) -> dict[str, str]:
        """variant -> name, from the series' aliases, then each edition's (oldest first); a variant
        listed under two names keeps the first, and the second is reported."""
        table: dict[str, tuple[str, str]] = {}
        sources = [(SERIES_PEOPLE_FILE, self.series_people),
                   *((f"{eid}'s people.yaml", proc.people) for eid, proc in zip(self.edition_ids, self._procs, strict=True))]
        for source, people in sources:
            for alias in people.aliases:
                for variant in alias.variants:
                    first = table.setdefault(variant, (alias.name, source))
                    if first[0] != alias.name:
                        self.issues.append(PeopleIssue.of(Code.PERSON_ALIAS_CONFLICT,
                                                          f"{variant!r} is a variant of {first[0]!r} in {first[1]} and of {alias.name!r} in {source}: the series uses "
                                                          f"the first; if they are one person, make one alias of both names in {SERIES_PEOPLE_FILE}"))
        return {variant: name for variant, (name, _source) in table.items()}

    def canonical_name(self, name: str) -> str:
        """The series' name for ``name``: aliases followed to the end (a chain across files: an
        edition's variant of a name that the series' file makes a variant in turn)."""
        seen = {name}
        while name in self._aliases and self._aliases[name] not in seen:
            name = self._aliases[name]
            seen.add(name)
        return name

    def _orcid_table(self) -> dict[tuple[str, int | None], str]:
        """(name, edition index or None for every edition) -> ORCID iD, from the ``orcids`` lists: an
        edition's own list applies to that edition, the series' to the editions it names (or all)."""
        table: dict[tuple[str, int | None], str] = {}
        index = {eid: i for i, eid in enumerate(self.edition_ids)}
        for entry in self.series_people.orcids:
            for edition in [index[e] for e in entry.editions if e in index] if entry.editions else [None]:
                table.setdefault((entry.name, edition), entry.orcid)
        for i, proc in enumerate(self._procs):
            for entry in proc.people.orcids:
                table.setdefault((entry.name, i), entry.orcid)
        return table

    def _orcid(self, mention: _Mention) -> str | None:
        if mention.person.orcid:
            return mention.person.orcid
        for name in dict.fromkeys((mention.person.name, self._procs[mention.edition].canonical_name(mention.person.name),
                                   self.canonical_name(mention.person.name))):
            for edition in (mention.edition, None):
                if (name, edition) in self._orcids:
                    return self._orcids[(name, edition)]
        return None

    def _group(self, mentions: list[_Mention], keys: list[str], orcid_of: list[str | None]) -> list[object]:
        """Each mention's person (a root node): one per name, except that one ORCID iD joins names
        and two iDs split one."""
        parent: dict[object, object] = {}

        def find(node: object) -> object:
            parent.setdefault(node, node)
            while parent[node] != node:
                parent[node] = parent[parent[node]]
                node = parent[node]
            return node

        def union(a: object, b: object) -> None:
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[rb] = ra

        ids_of: dict[str, dict[str, list[int]]] = {}  # name key -> ORCID iD -> editions giving it
        first_met: dict[str, int] = {}  # ORCID iD -> the first mention with it
        for i, (mention, key, orcid) in enumerate(zip(mentions, keys, orcid_of, strict=True)):
            if orcid:
                ids_of.setdefault(key, {}).setdefault(orcid, []).append(mention.edition)
                first_met.setdefault(orcid, i)
        nodes: list[object] = []
        unsure: dict[tuple[str, str], list[int]] = {}
        for mention, key, orcid in zip(mentions, keys, orcid_of, strict=True):
            ids = ids_of.get(key, {})
            if len(ids) <= 1:
                node: object = ("name", key)
                if ids:
                    union(node, ("orcid", next(iter(ids))))
            elif orcid:
                node = ("orcid", orcid)
            else:
                here = [o for o, editions in ids.items() if mention.edition in editions]
                if len(here) == 1:
                    node = ("orcid", here[0])
                else:  # the first of the name met (its earliest edition), who had it before the others came
                    node = ("orcid", min(here or ids, key=lambda o: first_met[o]))
                    unsure.setdefault((mention.person.name, node[1]), []).append(mention.edition)
            find(node)
            nodes.append(node)
        for key, ids in ids_of.items():
            if len(ids) > 1:
                name = next(m.person.name for m, k in zip(mentions, keys, strict=True) if k == key)
                told = "; ".join(f"{o} ({', '.join(dict.fromkeys(self.edition_ids[e] for e in eds))})" for o, eds in ids.items())
                editions = tuple(dict.fromkeys(self.edition_ids[e] for eds in ids.values() for e in eds))
                self.issues.append(PeopleIssue.of(Code.PERSON_ORCID_SPLIT,
                                                  f"{name!r} is {len(ids)} people, told apart by their ORCID iDs: {told}", editions))
        for (name, chosen), editions_of in unsure.items():
            where = tuple(dict.fromkeys(self.edition_ids[e] for e in editions_of))
            self.issues.append(PeopleIssue.of(Code.PERSON_ORCID_UNSURE,
                                              f"{name!r} in {', '.join(where)} has no ORCID iD, and {len(ids_of[_key(self.canonical_name(name))])} people of that name "
                                              f"have one: it is taken to be the first of them met ({chosen}); if it is another, give the entry its orcid, "
                                              f"or add {{name: {name}, orcid: ..., editions: [...]}} to orcids in {SERIES_PEOPLE_FILE}", where))
        return [find(node) for node in nodes]

    # --- records and slugs ---------------------------------------------------------------------

    def _free_slug(self, base: str) -> str:
        """``base``, or the first of ``base-2``, ``base-3``, ... no one has yet: `PeopleIndex._free_slug`'s
        rule exactly, so the oldest edition's people get the slugs its own index gives them."""
        slug, n = base, self._next_number.get(base, 2)
        if base in self._taken or base in RESERVED_IDS:
            slug = f"{base}-{n}"
            while slug in self._taken or slug in RESERVED_IDS:
                n += 1
                slug = f"{base}-{n}"
            self._next_number[base] = n + 1
        self._taken.add(slug)
        return slug

    def _record(self, slug: str, mentions: list[_Mention], orcids: list[str | None], keys: list[str]) -> SeriesPersonRecord:
        name = self.canonical_name(mentions[0].person.name)  # as first met: a page's name does not change with a new edition
        record = SeriesPersonRecord(name=name, slug=slug, orcid=next((o for o in orcids if o), None))
        parts: dict[int, EditionPart] = {}
        for mention in mentions:
            part = parts.get(mention.edition)
            if part is None:
                part = parts[mention.edition] = EditionPart(self.edition_ids[mention.edition])
            person = mention.person
            if person.name not in part.names:
                part.names.append(person.name)
            if mention.role not in part.roles:
                part.roles.append(mention.role)
            if mention.role == "author" and mention.item not in part.papers:
                part.papers.append(str(mention.item))
            elif mention.role == "speaker" and mention.item not in part.keynotes:
                part.keynotes.append(str(mention.item))
            elif mention.role in ("moderator", "panelist"):
                part.panel = mention.item
            if person.affiliation and affiliation_key(person.affiliation) not in {affiliation_key(a) for a in part.affiliations}:
                part.affiliations.append(person.affiliation)
            local = self._procs[mention.edition].canonical_name(person.name)
            for spelling in (person.name, local):
                if spelling != name and spelling not in record.variants:
                    record.variants.append(spelling)
            record.url = record.url or person.url
            if person.name == name:
                record.family = record.family or person.family
        record.editions = [parts[i] for i in sorted(parts)]
        if len(set(keys)) > 1:  # names only their ORCID iD joins (aliases give one key)
            first: dict[str, str] = {}
            for mention, key in zip(mentions, keys, strict=True):
                first.setdefault(key, mention.person.name)
            record.merged_by_orcid = list(first.values())
            spelled = "; ".join(f"{n!r} ({', '.join(p.edition for p in record.editions if n in p.names)})" for n in record.merged_by_orcid)
            self.issues.append(PeopleIssue.of(Code.PERSON_ORCID_MERGE,
                                              f"{spelled} are one person: they share the ORCID iD {record.orcid}", tuple(record.edition_ids)))
        return record

    @property
    def records(self) -> list[SeriesPersonRecord]:
        """Everyone, A to Z by family name."""
        return sorted(self.by_slug.values(), key=lambda r: r.sort_key)

    def record(self, slug: str) -> SeriesPersonRecord:
        """The person with this slug (KeyError when there is none)."""
        return self.by_slug[slug]

    def _edition_index(self, edition_id: str) -> int:
        try:
            return self.edition_ids.index(edition_id)
        except ValueError:
            raise KeyError(f"no edition {edition_id!r}; the series' editions are: {', '.join(self.edition_ids)}") from None

    def slug(self, edition_id: str, name: str) -> str:
        """The slug of the person ``name`` (as that edition writes it, or an alias's name) is in that
        edition (KeyError when the edition names no such person). A name two people with different
        ORCID iDs share in one edition gives the first: `person_slug` tells them apart."""
        names = self._names[self._edition_index(edition_id)]
        if name in names:
            return names[name]
        key = _key(self.canonical_name(name))
        for written, slug in names.items():
            if _key(self.canonical_name(written)) == key:
                return slug
        raise KeyError(f"{name!r} is no one of edition {edition_id}")

    def person_slug(self, edition_id: str, person: Person) -> str:
        """The slug of one entry of that edition (its ORCID iD counted: exact where one name is two people)."""
        index = self._edition_index(edition_id)
        mention = _Mention(index, person, "", None)
        return self._exact.get((index, person.name, self._orcid(mention))) or self.slug(edition_id, person.name)

    def edition_slugs(self, edition_id: str) -> dict[str, str]:
        """Every name as that edition writes it (and each alias's name it uses) -> its person's series slug."""
        return dict(self._names[self._edition_index(edition_id)])

    def same_person(self, edition_id: str, a: str, b: str) -> bool:
        """Whether two names of one edition are one person of the series (an alias elsewhere, an ORCID iD)."""
        try:
            return self.slug(edition_id, a) == self.slug(edition_id, b)
        except KeyError:
            return False

    def declared_distinct(self, a: str, b: str) -> bool:
        """Whether a ``distinct`` group of the series' or any edition's people.yaml holds both names."""
        return any(a in group and b in group for group in self.distinct)

    # --- variants across editions --------------------------------------------------------------

    def likely_variants(self, cache_dir: Path | None = None) -> list[CrossVariant]:
        """Pairs of people of no common edition whose names look like one person spelled two ways
        (`people.similar_name_pairs` on every spelling, remembered in ``cache_dir``), less those a
        ``distinct`` group or two different ORCID iDs settle. Pairs within one edition are that
        edition's own (`PeopleIndex.likely_variants`). Found once (they are made of the people alone)."""
        if self._variants is None:
            self._variants = self._find_variants(cache_dir)
        return list(self._variants)

    def _find_variants(self, cache_dir: Path | None) -> list[CrossVariant]:
        order = {eid: i for i, eid in enumerate(self.edition_ids)}
        records = list(self.by_slug.values())
        spellings = [(r, n) for r in records for n in dict.fromkeys(r.names)]
        pairs = similar_name_pairs_cached([n for _r, n in spellings], cache_dir)
        found: dict[tuple[str, str], CrossVariant] = {}
        for i, j, reason in pairs:
            (ra, na), (rb, nb) = spellings[i], spellings[j]
            if ra is rb or set(ra.edition_ids) & set(rb.edition_ids):
                continue
            if ra.orcid and rb.orcid or self.declared_distinct(na, nb):
                continue  # two iDs: two people for certain
            if (order[ra.edition_ids[0]], ra.slug) > (order[rb.edition_ids[0]], rb.slug):
                (ra, na), (rb, nb) = (rb, nb), (ra, na)
            pair = (ra.slug, rb.slug)
            if pair not in found:
                found[pair] = CrossVariant(na, tuple(ra.edition_ids), nb, tuple(rb.edition_ids), reason, ra.slug, rb.slug)
        return sorted(found.values(), key=lambda v: (order[v.a_editions[0]], order[v.b_editions[0]], fold(v.a), fold(v.b)))

    def in_editions(self, *edition_ids: str) -> list[SeriesPersonRecord]:
        """The people who appear in every one of these editions, A to Z."""
        return [r for r in self.records if set(edition_ids) <= set(r.edition_ids)]


def orcid_edition_problems(people_file: Path, edition_ids: Sequence[str]) -> list[Problem]:
    """The ``orcids`` entries of a series' people.yaml whose ``editions`` name no edition of the
    series, each with its file and line (the schema cannot know the editions)."""
    path = Path(people_file)
    if not path.is_file():
        return []
    problems: list[Problem] = []
    data, node = _read_yaml(path, str(path), problems)
    if problems or not isinstance(data, dict) or not isinstance(data.get("orcids"), list):
        return []  # the loader reports what is wrong with the file itself
    found = []
    for i, entry in enumerate(data["orcids"]):
        editions = entry.get("editions") if isinstance(entry, dict) else None
        for j, edition in enumerate(editions if isinstance(editions, list) else []):
            if str(edition) not in edition_ids:
                found.append(Problem(str(path), _line_of(node, ("orcids", i, "editions", j)), f"orcids[{i}].editions[{j}]",
                                     f"unknown edition {str(edition)!r}; the series' editions are: {', '.join(edition_ids)}",
                                     Code.PERSON_ORCID_EDITION.value))
    return found


def read_series_people(conf_dir: Path) -> tuple[People | None, list[Problem]]:
    """The series' own ``conf/people.yaml`` (None when absent or not valid) and its problems with
    their lines, ``orcids`` naming unknown editions included: what ``check`` needs even when
    another file of the series keeps `series.load_series` from loading."""
    from enlsp_proceedings.model.series import _read_model, edition_dirs

    problems: list[Problem] = []
    people = _read_model(Path(conf_dir) / "people.yaml", People, problems, required=False)
    problems += orcid_edition_problems(Path(conf_dir) / "people.yaml", [p.name for p in edition_dirs(conf_dir)])
    return (people if not problems else None), problems
