"""One record per person across papers, talks and committees.

Like the ACL Anthology's people index: a person is found by canonical name; spelling
variants are merged only through the alias list in `conf/people.yaml` (an organizer's
decision), and `likely_variants` suggests candidates without merging them.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from enlsp_proceedings.model.schema import RESERVED_IDS, Labels, Person, Proceedings
from enlsp_proceedings.util.memo import load_memo, save_memo
from enlsp_proceedings.util.text import MAX_SLUG, QUOTES, edits_within, fold
from enlsp_proceedings.util.text import slug as text_slug

#: Bump when `likely_variants` changes what it finds (invalidates the cached answers).
VARIANTS_VERSION = 2
#: How many sets of names `likely_variants_cached` remembers (the editions of a series each have one).
VARIANTS_KEPT = 32
#: How many lists of names `similar_name_pairs_cached` remembers (a series' check and build share one).
NAME_PAIRS_KEPT = 4
#: A person page lists at most this many co-authors (a paper with 10,000 authors would otherwise
#: make 10,000 pages of 9,999 names each: 100 million entries).
MAX_COAUTHORS = 200
#: A paper with more authors than this (a collaboration: 2,000 or 3,000 names) has its list written in
#: full once, on its own page; cards, lists and the schedule show the first `AUTHORS_SHOWN` and say
#: how many more, and its authors are not listed as each other's co-authors (each person page would
#: repeat the whole list: 2,000 pages of 2,000 names).
LONG_AUTHOR_LIST = 50
#: How many names of a long author list are shown where the list is not written in full.
AUTHORS_SHOWN = 10
#: Names sharing a blocking key are all compared pairwise up to this many; a larger group (a
#: common family name and initial, numbered names) is compared only between alphabetical
#: neighbours, so the work stays proportional to the number of people.
BLOCK_ALL_PAIRS = 50
#: Longer folded names are not searched for one- or two-letter typos (their deletion variants
#: grow with the square of the length).
MAX_TYPO_NAME = 40

def role_label(role: str, labels: Labels) -> str:
    """How a role is named on the site: `ROLE_LABELS`, the keynote speaker's in the workshop's words."""
    return labels.keynote_speaker if role == "speaker" else ROLE_LABELS[role]


ROLE_LABELS = {
    "author": "Author",
    "speaker": "Keynote speaker",
    "invited": "Invited speaker",
    "panelist": "Panelist",
    "moderator": "Panel moderator",
    "organizer": "Organizer",
    "volunteer": "Volunteer",
    "committee": "Technical committee",
}


@functools.lru_cache(maxsize=1 << 16)  # asked for every mention of a person: at 10,000 papers, 0.12 s of every series build
def affiliation_key(text: str) -> str:
    """Affiliations that differ only in apostrophe style or spacing are one ("King's College", "King’s College").
    Not `fold`: an affiliation is shown as first written, and accents or case can tell two institutions apart."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text).translate(QUOTES)).strip()


def slugify(name: str) -> str:
    """A person's page name (`util.text.slug`, cut to MAX_SLUG; ``_add`` keeps them unique):
    'Jürgen Müller' -> 'jurgen-muller', '张伟' -> 'zhang-wei'; 'person' when nothing is left."""
    return text_slug(name, MAX_SLUG) or "person"


@dataclass
class PersonRecord:
    """Everything the site knows about one person: name and slug, roles, affiliations, papers, talks, co-authors, links and other spellings."""

    name: str
    slug: str
    roles: list[str] = field(default_factory=list)
    affiliations: list[str] = field(default_factory=list)
    papers: list[str] = field(default_factory=list)
    keynotes: list[str] = field(default_factory=list)
    coauthors: list[str] = field(default_factory=list)  # slugs, at most MAX_COAUTHORS
    more_coauthors: bool = False  # co-authors beyond MAX_COAUTHORS were left out
    orcid: str | None = None
    url: str | None = None
    variants: list[str] = field(default_factory=list)
    family: str | None = None  # declared family name (Person.family), if any

    @property
    def sort_key(self) -> tuple[str, str]:
        """Sort by family name, then full name, ignoring accents and case."""
        last = self.family or (self.name.split()[-1] if self.name.split() else self.name)
        return (fold(last), fold(self.name))


class PeopleIndex:
    """Every person mentioned anywhere in the proceedings, keyed by slug."""

    #: pairs of names `likely_variants` compared (its work, which a test checks grows linearly)
    comparisons = 0
    #: slugs tried while giving people their slugs (`_add`; a test checks it grows linearly)
    slug_probes = 0
    #: people.yaml's ``distinct`` groups: names that look alike but are different people
    distinct: list[set[str]] = []

    def __init__(self, proc: Proceedings, given_slugs: Mapping[str, str] | None = None):
        self.proc = proc
        #: name as written -> slug, given by a series (`SeriesPeople.edition_slugs`): one person keeps
        #: one page across the editions, whatever slug this edition alone would give them
        self.given_slugs = given_slugs
        #: people.yaml's ``orcids``: canonical name -> iD (a single workshop's; a series' apply per edition in `SeriesPeople`)
        self._orcid_of = {proc.canonical_name(entry.name): entry.orcid for entry in proc.people.orcids}
        self.distinct = [set(group) for group in proc.people.distinct]
        self.by_slug: dict[str, PersonRecord] = {}
        self._slug_of_name: dict[str, str] = {}
        #: base slug -> the next number to try after it (numbers below it are all taken)
        self._next_number: dict[str, int] = {}
        papers_of: dict[str, set[str]] = {}
        coauthors_of: dict[str, set[str]] = {}
        for paper in proc.papers:
            slugs = list(dict.fromkeys(self._add(a, "author").slug for a in paper.authors))
            for slug in slugs:
                record = self.by_slug[slug]
                if paper.id not in papers_of.setdefault(slug, set()):
                    papers_of[slug].add(paper.id)
                    record.papers.append(paper.id)
                if record.more_coauthors or len(slugs) > LONG_AUTHOR_LIST:  # its paper's page lists them all, once
                    continue
                known = coauthors_of.setdefault(slug, set())
                for other in slugs:  # stops at MAX_COAUTHORS: linear in the authors of a paper
                    if other != slug and other not in known:
                        if len(record.coauthors) >= MAX_COAUTHORS:
                            record.more_coauthors = True
                            break
                        known.add(other)
                        record.coauthors.append(other)
        for keynote in proc.keynotes:
            for speaker in keynote.speakers:
                self._add(speaker, "speaker").keynotes.append(keynote.id)
        for person in proc.invited_speakers_without_talk:
            self._add(person, "invited")
        if proc.panel:
            if proc.panel.moderator:
                self._add(proc.panel.moderator, "moderator")
            for person in proc.panel.panelists:
                self._add(person, "panelist")
        for role, group in (
            ("organizer", proc.people.organizers),
            ("volunteer", proc.people.volunteers),
            ("committee", proc.people.technical_committee),
        ):
            for person in group:
                self._add(person, role)

    def _add(self, person: Person, role: str) -> PersonRecord:
        canonical = self.proc.canonical_name(person.name)
        key = fold(re.sub(r"\s+", " ", canonical))
        slug = self._slug_of_name.get(key)
        if slug is None and self.given_slugs is not None:
            slug = self.given_slugs.get(canonical) or self.given_slugs.get(person.name)
            if slug is not None:
                self._slug_of_name[key] = slug
                if slug not in self.by_slug:  # else the series knows two of this edition's names as one person
                    self.by_slug[slug] = PersonRecord(name=canonical, slug=slug)
        if slug is None:
            slug = self._free_slug(slugify(canonical))
            self._slug_of_name[key] = slug
            self.by_slug[slug] = PersonRecord(name=canonical, slug=slug)
        record = self.by_slug[slug]
        if role not in record.roles:
            record.roles.append(role)
        if person.affiliation and affiliation_key(person.affiliation) not in {affiliation_key(a) for a in record.affiliations}:
            record.affiliations.append(person.affiliation)
        if person.name != canonical and person.name not in record.variants:
            record.variants.append(person.name)
        record.orcid = record.orcid or person.orcid or self._orcid_of.get(canonical)
        record.url = record.url or person.url
        if person.name == canonical:
            record.family = record.family or person.family
        return record

    def _free_slug(self, base: str) -> str:
        """``base``, or the first of ``base-2``, ``base-3``, ... that no one has yet.

        Slugs are never given back, so the numbers already found taken stay taken: the search
        resumes where the last one for this base stopped (20,000 people whose names all slug
        to "person" made 200 million tries when each search started again at 2)."""
        slug, n = base, self._next_number.get(base, 2)
        if base in self.by_slug or base in RESERVED_IDS:  # a person called "Index" must not replace the index
            slug = f"{base}-{n}"
            self.slug_probes += 1
            while slug in self.by_slug or slug in RESERVED_IDS:
                n += 1
                slug = f"{base}-{n}"
                self.slug_probes += 1
            self._next_number[base] = n + 1
        return slug

    def slug(self, name: str) -> str:
        """The slug of the person a name (or one of its alias variants) refers to."""
        return self._slug_of_name[fold(re.sub(r"\s+", " ", self.proc.canonical_name(name)))]

    def sorted(self) -> list[PersonRecord]:
        """Everyone, A to Z by family name."""
        return sorted(self.by_slug.values(), key=lambda r: r.sort_key)

    def likely_variants_cached(self, cache_dir: Path) -> list[tuple[str, str, str]]:
        """`likely_variants`, remembered for this exact set of names (a second on 2,600 people,
        which every rebuild would otherwise pay again)."""
        names = sorted(r.name for r in self.by_slug.values())
        # a few sets of names at once: a series' editions (and check's and build's) share the cache
        pairs = _keyed_memo(Path(cache_dir) / "name-variants.json", [VARIANTS_VERSION, names], VARIANTS_KEPT,
                            lambda saved: isinstance(saved, list), self.likely_variants)
        return self._not_declared_distinct([tuple(pair) for pair in pairs])

    def _not_declared_distinct(self, pairs: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
        """Without the pairs people.yaml's ``distinct`` says are different people."""
        return [p for p in pairs if not any(p[0] in group and p[1] in group for group in self.distinct)]

    def likely_variants(self) -> list[tuple[str, str, str]]:
        """Pairs of distinct people whose names look like one person spelled two ways.

        Only pairs that share a blocking key are compared (same folded name, same sorted
        name parts, same family name and first initial, or a common two-deletion variant
        of the folded name, which every pair within edit distance 2 has), so 5,000
        people take well under a second instead of 12.5 million comparisons. A group of
        more than BLOCK_ALL_PAIRS names sharing one key is compared only between
        alphabetical neighbours: 50,000 people, or 10,000 authors of one paper, cost
        comparisons in proportion to their number, never its square.
        """
        records = list(self.by_slug.values())
        found, compared = similar_name_pairs([record.name for record in records])
        self.comparisons += compared
        return [(records[a].name, records[b].name, reason) for a, b, reason in found]


def similar_name_pairs_cached(names: list[str], cache_dir: Path | None) -> list[tuple[int, int, str]]:
    """`similar_name_pairs`' pairs, remembered in ``cache_dir`` for this exact list of names: a
    series' build and check compare every spelling of every edition (4.5 s for the 25,000 of
    10 editions of 1,000 papers), which each rebuild would otherwise pay again. No cache: computed."""
    if cache_dir is None:
        return similar_name_pairs(names)[0]
    pairs = _keyed_memo(Path(cache_dir) / "name-pairs.json", [VARIANTS_VERSION, names], NAME_PAIRS_KEPT,
                        lambda saved: isinstance(saved, list) and all(isinstance(p, list) and len(p) == 3 for p in saved),
                        lambda: similar_name_pairs(names)[0])
    return [(int(a), int(b), str(reason)) for a, b, reason in pairs]


def _keyed_memo(path: Path, key_data: object, kept: int, valid: Callable[[object], bool], compute: Callable[[], Any]) -> Any:
    """The value remembered in the memo file ``path`` for ``key_data`` (hashed) when ``valid`` accepts
    it, else ``compute()``, saved there with the last ``kept`` - 1 others."""
    key = hashlib.sha256(json.dumps(key_data, ensure_ascii=False).encode()).hexdigest()
    saved = load_memo(path)
    entries = saved.get("entries") if isinstance(saved, dict) else None
    entries = entries if isinstance(entries, dict) else {}
    if valid(entries.get(key)):
        return entries[key]
    value = compute()
    save_memo(path, {"entries": {**dict(list(entries.items())[-(kept - 1):]), key: value}})
    return value


def similar_name_pairs(names: list[str]) -> tuple[list[tuple[int, int, str]], int]:
    """(indexes a < b of the names that look like one person spelled two ways, with the reason;
    how many pairs were compared): `PeopleIndex.likely_variants`' search, on any list of names
    (`series_people.SeriesPeople` runs it across the editions of a series)."""
    blocks: dict[object, list[int]] = {}
    for index, name in enumerate(names):
        for key in _blocking_keys(name):
            blocks.setdefault(key, []).append(index)
    pairs: set[tuple[int, int]] = set()
    for members in blocks.values():
        if len(members) > BLOCK_ALL_PAIRS:
            ordered = sorted(members, key=lambda i: (_features(names[i])[0], i))
            pairs.update((min(a, b), max(a, b)) for a, b in zip(ordered, ordered[1:], strict=False))
        elif len(members) > 1:
            pairs.update((a, b) for i, a in enumerate(members) for b in members[i + 1:] if a != b)
    found = []
    for a, b in sorted(pairs):
        reason = _variant_reason(names[a], names[b])
        if reason:
            found.append((a, b, reason))
    return found, len(pairs)


#: where each role's people are written in conf/
ROLE_FILES = {"author": "papers.yaml", "speaker": "keynotes.yaml", "invited": "keynotes.yaml", "panelist": "panel.yaml",
              "moderator": "panel.yaml", "organizer": "people.yaml", "volunteer": "people.yaml", "committee": "people.yaml"}
_INITIAL = re.compile(r"^\w\.?$")
#: The words that, written in lowercase inside a name, start its family name ("Mihaela van der
#: Schaar", "Ali bin Omar"): the one list for citations (`outputs.cite.split_name`) and for
#: finding the family name printed on a camera-ready's first page (`pdf.check`, which also takes
#: them capitalised: "Lorenzo De Santis").
PARTICLES = frozenset({"van", "von", "der", "den", "de", "del", "della", "di", "da", "du", "la", "le", "ter", "ten", "dos", "das",
                       "al", "el", "bin", "ibn"})


def assumed_family_names(index: PeopleIndex, only: set[str] | None = None) -> list[tuple[str, str, list[str]]]:
    """(name, assumed family name, conf files) of each person whose name has three or more words
    (initials not counted: "Anderson R. Avila" has two), no declared ``family`` and no lowercase
    particle starting the family name ("van der"): the site files
    and cites them under the last word, which for "Vahid Partovi Nia" or "Niama El Khbir" is
    wrong, so `check` lists them for the organizer to confirm. Once per person; ``only``: these
    names (one paper's authors)."""
    found = []
    for record in index.by_slug.values():
        words = record.name.split()
        if record.family or len([w for w in words if not _INITIAL.match(w)]) < 3:
            continue
        if any(w.isalpha() and w.islower() for w in words[1:-1]):
            continue  # a lowercase particle starts the family name ("Mihaela van der Schaar"), as citations take it
        if only is not None and record.name not in only and not set(record.variants) & only:
            continue
        files = list(dict.fromkeys(ROLE_FILES[role] for role in record.roles))
        found.append((record.name, words[-1], files))
    return found


def _deletions(word: str, depth: int) -> set[str]:
    out, frontier = {word}, {word}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1:] for w in frontier for i in range(len(w))}
        out |= frontier
    return out


def _blocking_keys(name: str) -> set[object]:
    folded = fold(name)
    tokens = re.findall(r"[a-z]+", folded)
    keys: set[object] = {("fold", folded)}
    if not tokens:
        return keys
    keys.add(("sorted", tuple(sorted(re.findall(r"\w+", folded)))))
    keys.add(("family", tokens[-1], tokens[0][0]))
    if 6 <= len(folded) <= MAX_TYPO_NAME:  # "differ by one or two letters" needs one name of 8+, so the other has 6+
        prefix = "near:" + tokens[0][0] + ":"
        keys.update(prefix + variant for variant in _deletions(folded, 2))
    return keys


_LETTERS = re.compile(r"[a-z]+")
_WORDS = re.compile(r"\w+")
_NOT_DIGITS = re.compile(r"\D")


@functools.lru_cache(maxsize=1 << 16)
def _features(name: str) -> tuple[str, list[str], list[str], str]:
    """(folded name, its letter runs, its words sorted, its digits): what `_variant_reason` compares."""
    folded = fold(name)
    return folded, _LETTERS.findall(folded), sorted(_WORDS.findall(folded)), _NOT_DIGITS.sub("", folded)


def _variant_reason(a: str, b: str) -> str | None:
    (fa, ta, wa, da), (fb, tb, wb, db) = _features(a), _features(b)
    if fa == fb:
        return "same name up to accents or case"
    if not ta or not tb:
        return None
    if ta[-1] == tb[-1] and ta[0] != tb[0]:
        # same family name; first names are initials of each other or one is a short form
        if ta[0][0] == tb[0][0] and (len(ta[0]) == 1 or len(tb[0]) == 1 or ta[0].startswith(tb[0]) or tb[0].startswith(ta[0])):
            return "same family name, first name is an initial or short form"
    if wa == wb:  # all words, digits too: "Author 1" is not "Author 2"
        return "same names in another order"
    if da != db:  # numbered names are different people
        return None
    if ta[0][0] == tb[0][0] and len(fa) >= 8 and abs(len(fa) - len(fb)) <= 2 and edits_within(fa, fb, 2):  # cheap tests first
        return "names differ by one or two letters"
    return None
