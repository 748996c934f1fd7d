"""Merging imported papers into ``conf/papers.yaml`` and writing it back (`merge`, `write_yaml`).

The file is edited in place with ruamel.yaml's round-trip mode, so an organizer's comments,
layout and quoting survive; an entry is matched by its review id, then its id, then its
OpenReview link, then its title (`_Entries`). Only the fields the export carries are
updated, and only when they differ in more than white space or quote style. The entries
an import touched are validated as the loader would (`validate`) before anything is written.
"""

from __future__ import annotations

import io
import json
import os
import re
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark
from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString, SingleQuotedScalarString
from ruamel.yaml.tokens import CommentToken

from enlsp_proceedings.importers.authors import assumed_family
from enlsp_proceedings.importers.records import ExportError, Imported, ImportReport
from enlsp_proceedings.model.load import alias_problem, reads_as_string
from enlsp_proceedings.model.schema import Paper
from enlsp_proceedings.util.files import write_atomically
from enlsp_proceedings.util.text import QUOTES, compact, fold


def _yaml() -> YAML:
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096
    return yaml


def _same_text(a: Any, b: Any) -> bool:
    """Equal up to white space and quote style (an export's ``LaTeX quotes'' against the "quotes" an
    organizer typed): such an update would change nothing a reader cares about, so the organizer's text stays."""
    def norm(text: Any) -> str:
        return " ".join(str(text or "").split()).replace("``", '"').replace("''", '"').translate(QUOTES)
    return norm(a) == norm(b)


#: Long texts are written as folded blocks wrapped at this width, as a person would write them.
WRAP = 96


def _folded(text: str) -> FoldedScalarString:
    """``text`` as a ``>-`` block folded at single spaces near `WRAP` columns (it loads back unchanged)."""
    block = FoldedScalarString(text)
    positions, line_start = [], 0
    for index, char in enumerate(text):
        if index - line_start >= WRAP and char == " " and 0 < index < len(text) - 1 and text[index - 1] != " " and text[index + 1] != " ":
            positions.append(index)
            line_start = index + 1
    block.fold_pos = positions
    return block


def _text(value: str) -> Any:
    """A string as the loader will read it back: quoted when, unquoted, the loader's YAML 1.1 would
    make it something else (``Yes`` a boolean, ``null`` nothing, ``2031-12-05`` a date, ``0x10`` a number)."""
    return value if reads_as_string(value) else SingleQuotedScalarString(value)


def _person(author: dict[str, str]) -> CommentedMap:
    return CommentedMap((key, _text(value)) for key, value in author.items())


def _set_key(mapping: CommentedMap, key: str, value: Any) -> None:
    """``mapping[key] = value``; a new key goes last, and the comment lines that followed the old last key
    (which ruamel keeps on that key, though they are about what comes next) move below the new one."""
    if key in mapping or not mapping:
        mapping[key] = value
        return
    last = list(mapping.keys())[-1]
    mapping[key] = value
    following = _take_following(mapping, last)
    if following:
        _give_following(mapping, following, key)


def _take_following(mapping: Any, key: str | None = None) -> str:
    """Remove and return the full comment lines after ``mapping``'s last key (or ``key``), keeping the comment
    at the end of its line. These are the comments a reader sees above whatever comes next."""
    if not isinstance(mapping, CommentedMap) or not mapping:
        return ""
    key = key if key is not None else list(mapping.keys())[-1]
    value = mapping[key]
    if isinstance(value, CommentedSeq):  # the comment sits on the nested value's last item
        return _take_following(value[-1]) if value and isinstance(value[-1], CommentedMap) else ""
    if isinstance(value, CommentedMap):
        return _take_following(value)
    slot = mapping.ca.items.get(key)
    token = slot[2] if slot and len(slot) > 2 else None
    if token is None or "\n" not in token.value:
        return ""
    cut = token.value.index("\n") + 1
    end_of_line, following = token.value[:cut], token.value[cut:]
    if not following.strip():
        return ""
    if end_of_line.strip():
        token.value = end_of_line
    else:
        slot[2] = None
    return following


def _give_following(mapping: CommentedMap, following: str, key: str | None = None) -> None:
    """Put comment lines (from `_take_following`) after ``mapping``'s last key (or ``key``)."""
    key = key if key is not None else list(mapping.keys())[-1]
    value = mapping[key]
    if isinstance(value, CommentedSeq) and value and isinstance(value[-1], CommentedMap):
        _give_following(value[-1], following)
        return
    slot = mapping.ca.items.setdefault(key, [None, None, None, None])
    token = slot[2]
    if token is None:
        slot[2] = CommentToken("\n" + following, CommentMark(0), None)
    else:
        token.value = (token.value if token.value.endswith("\n") else token.value + "\n") + following


def _put_first(entry: CommentedMap, seq: CommentedSeq, following: str) -> None:
    """Comment lines above the first item of ``entry``'s author list."""
    tokens = [CommentToken(line.strip() + "\n", CommentMark(6), None) for line in following.splitlines() if line.strip()]
    slot = entry.ca.items.setdefault("authors", [None, None, None, None])
    if slot[3] is None:
        slot[3] = []
    slot[3].extend(tokens)
    seq.ca.comment = [None, slot[3]]


def _name_key(author: Any) -> str:
    return fold(" ".join(str(author.get("name", "")).split())) if isinstance(author, dict) else ""


def _word_key(author: Any, which: int) -> str:
    words = _name_key(author).split()
    return words[which] if words else ""


def _pair_locked(old: list, authors: list[dict[str, str]], used: dict[int, Any], locked: set[int]) -> None:
    """Pair each locked author the export spells differently with the export's author: the one with the same
    family (last) or first word, else the one in the same position. ``used``: export index -> old author."""
    taken = {id(a) for a in used.values()}
    for position in sorted(locked):
        item = old[position] if position < len(old) else None
        if not isinstance(item, dict) or id(item) in taken:
            continue
        free = [i for i in range(len(authors)) if i not in used]
        same = [i for i in free if _word_key(authors[i], -1) == _word_key(item, -1)] or \
               [i for i in free if _word_key(authors[i], 0) == _word_key(item, 0)]
        choice = same[0] if len(same) == 1 else (position if position in free and not same else None)
        if choice is not None:
            used[choice] = item
            taken.add(id(item))


def _merge_authors(entry: CommentedMap, authors: list[dict[str, str]], locked: set[int] | None = None) -> tuple[list[str], list[str]]:
    """Update names/affiliations from the export; keep ORCIDs, URLs, spellings equal up to accents, and the
    authors at the positions ``locked`` (a ``# source:`` comment) as written. Returns (changes, what was kept)."""
    locked = locked or set()
    old = entry.get("authors") or CommentedSeq()
    by_name: dict[str, Any] = {}
    for author in old:
        by_name.setdefault(_name_key(author), author)
    used: dict[int, Any] = {}
    matched: set[int] = set()
    for index, author in enumerate(authors):
        existing = by_name.get(fold(author["name"]))
        if existing is not None and id(existing) not in matched:
            used[index] = existing
            matched.add(id(existing))
    _pair_locked(list(old), authors, used, locked)
    locked_ids = {id(old[i]) for i in locked if i < len(old)}
    merged, changes, kept = CommentedSeq(), [], []
    for index, author in enumerate(authors):
        existing = used.get(index)
        if existing is None:
            item: Any = _person(author)
            changes.append(f"authors[{index}] {author['name']!r} added")
        else:
            item = existing
            if id(existing) in locked_ids:
                if _name_key(existing) != fold(author["name"]) or (author.get("affiliation") and not _same_text(existing.get("affiliation"), author["affiliation"])):
                    theirs = author["name"] + (f" ({author['affiliation']})" if author.get("affiliation") else "")
                    kept.append(f"authors[{index}] {existing.get('name')!r} kept as written (a # source: comment); the export has {theirs!r}")
            elif author.get("affiliation") and not _same_text(existing.get("affiliation"), author["affiliation"]):
                changes.append(f"authors[{index}].affiliation")
                _set_key(existing, "affiliation", _text(author["affiliation"]))
        merged.append(item)
    placed = {id(a) for a in merged}
    for position, author in enumerate(old):
        if id(author) in placed:
            continue
        if id(author) in locked_ids:  # a locked author the export does not list stays where it was
            merged.insert(min(position, len(merged)), author)
            kept.append(f"author {author.get('name')!r} kept (a # source: comment), though the export does not list them")
        else:
            changes.append(f"author {author.get('name') if isinstance(author, dict) else author!r} removed")
    if not changes and [id(a) for a in old] != [id(a) for a in merged]:
        changes.append("authors order")
    if changes:
        _replace_authors(entry, old, merged)
    return changes, kept


def _replace_authors(entry: CommentedMap, old: Any, merged: CommentedSeq) -> None:
    """Make ``merged`` the entry's author list, each comment line staying above the author it was above
    (and those after the list, after it): ruamel keeps them on the key before, so reordering would move them."""
    if not isinstance(old, CommentedSeq) or not old:
        entry["authors"] = merged
        return
    old_items = list(old)
    above = {id(old_items[i]): _take_following(old_items[i - 1]) for i in range(1, len(old_items))}
    after = _take_following(old_items[-1])
    kept = {id(a) for a in merged}
    gone = [above.pop(id(a)) for a in old_items if id(a) in above and id(a) not in kept]
    old.copy_attributes(merged)
    for position, item in enumerate(merged):
        comment = above.get(id(item), "")
        if not comment:
            continue
        if position == 0:
            _put_first(entry, merged, comment)
        elif isinstance(merged[position - 1], CommentedMap):
            _give_following(merged[position - 1], comment)
    tail = "".join(c for c in gone if c) + after
    if tail and isinstance(merged[-1] if merged else None, CommentedMap):
        _give_following(merged[-1], tail)
    entry["authors"] = merged


def _styled(old: Any, new: str) -> Any:
    """Keep the block style an organizer chose for a long text."""
    if "\n" in new:
        return LiteralScalarString(new)
    if old is None or isinstance(old, FoldedScalarString | LiteralScalarString) or len(new) > WRAP:
        return _folded(new)
    return _text(new)


def _new_entry(paper: Imported, default_track: str = "main") -> CommentedMap:
    entry = CommentedMap()
    entry["id"] = paper.new_id
    entry["review_id"] = paper.review_id
    if paper.origin:  # where every fact of the new entry comes from (at the end of review_id's line: it locks nothing)
        entry.yaml_add_eol_comment(f"# source: {paper.origin} (title, abstract, authors)", "review_id")
    entry["title"] = _text(paper.title)
    entry["authors"] = CommentedSeq(_person(a) for a in paper.authors)
    if paper.anonymous:
        entry.yaml_add_eol_comment(f"the export gives no names ({_withheld(paper)}); add them when known", "authors")
    entry["abstract"] = _styled(None, paper.abstract) if paper.abstract else "(abstract not in the export)"
    entry["presentation"] = paper.presentation or "poster"
    entry["track"] = paper.track or default_track
    if paper.openreview:
        entry["links"] = CommentedMap(openreview=paper.openreview)
    return entry


def _insert_after_id(entry: CommentedMap, key: str, value: str) -> None:
    keys = list(entry.keys())
    entry.insert(keys.index("id") + 1 if "id" in keys else 0, key, value)


def _title_key(title: str) -> str:
    """A title as a reader compares it: "Few Shot" and "Few-shot", a dropped colon, are one title."""
    return compact(title)


class _Entries:
    """The entries of papers.yaml indexed by what an imported paper is matched on, in order: its
    review id, its new id (for an entry without a review id), its OpenReview link, its title. A
    lookup is a dictionary access, so merging 100,000 rows costs 100,000 lookups, not 10**10
    comparisons. An entry whose matched fields change is indexed again (`changing`)."""

    def __init__(self, papers: list):
        self.by: dict[str, dict[str, list]] = {"review_id": {}, "id": {}, "openreview": {}, "title": {}, "title_key": {}}
        for entry in papers:
            if isinstance(entry, dict):
                self.add(entry)

    @staticmethod
    def _keys(entry: dict):
        if isinstance(entry.get("review_id"), str):
            yield "review_id", entry["review_id"]
        if isinstance(entry.get("id"), str) and not entry.get("review_id"):
            yield "id", entry["id"]
        links = entry.get("links")
        if isinstance(links, dict) and isinstance(links.get("openreview"), str):
            yield "openreview", links["openreview"]
        yield "title", fold(" ".join(str(entry.get("title", "")).split()))
        key = _title_key(str(entry.get("title", "")))
        if key and not entry.get("review_id"):  # only an entry no import has claimed: two papers of one export never
            yield "title_key", key              # match each other this loosely; a title of punctuation alone, nothing

    def add(self, entry: dict) -> None:
        for kind, key in self._keys(entry):
            self.by[kind].setdefault(key, []).append(entry)

    def remove(self, entry: dict) -> None:
        for kind, key in self._keys(entry):
            same = self.by[kind][key]
            del same[next(i for i, e in enumerate(same) if e is entry)]

    def find(self, paper: Imported) -> CommentedMap | None:
        for kind, key in (("review_id", paper.review_id), ("id", paper.new_id), ("openreview", paper.openreview), ("title", fold(paper.title)), ("title_key", _title_key(paper.title) or None)):
            found = self.by[kind].get(key, []) if key is not None else []
            if len(found) == 1:
                return found[0]
        return None


#: A comment that records where an organizer's value comes from; the import keeps what it is about.
SOURCE_COMMENT = re.compile(r"#\s*source\s*:", re.IGNORECASE)
#: The fields an import writes, and so the ones ``lock`` (or a ``# source:`` comment above them) can keep.
LOCKABLE = ("title", "abstract", "authors")


def _block_start(lines: list[str], end: int) -> int:
    """The first line of the run of comment lines that ends just above line ``end`` (``end`` if none)."""
    while end > 0 and lines[end - 1].lstrip().startswith("#"):
        end -= 1
    return end


def _says_source(lines: list[str]) -> bool:
    return any(SOURCE_COMMENT.search(line) for line in lines)


def _comment_locks(papers: Any, lines: list[str]) -> dict[int, tuple[set[str], set[int]]]:
    """For each entry loaded from the file: the fields with a ``# source:`` comment just above their key (or at
    the end of its line), and the positions of the authors with one just above them or among their lines."""
    found: dict[int, tuple[set[str], set[int]]] = {}
    if not lines or not isinstance(papers, CommentedSeq):
        return found
    starts = [papers.lc.item(i)[0] if papers.lc.data and i in papers.lc.data else None for i in range(len(papers))]
    ends, next_start = [len(lines)] * len(papers), len(lines)  # where each entry's lines end: the next entry's start
    for number in range(len(papers) - 1, -1, -1):
        ends[number] = next_start
        start = starts[number]
        if start is not None:
            next_start = start
    for number, entry in enumerate(papers):
        if not isinstance(entry, CommentedMap) or starts[number] is None:
            continue
        end = ends[number]
        keys = [k for k in entry if entry.lc.data and k in entry.lc.data]
        key_lines = [entry.lc.key(k)[0] for k in keys]
        fields = {k for k, line in zip(keys, key_lines, strict=True) if k in LOCKABLE
                  and (_says_source(lines[_block_start(lines, line):line]) or SOURCE_COMMENT.search(lines[line]))}
        authors = entry.get("authors")
        positions: set[int] = set()
        if isinstance(authors, CommentedSeq) and "authors" in keys and authors.lc.data:
            after = [line for line in key_lines if line > entry.lc.key("authors")[0]]
            stop = min(after) if after else end
            items = [authors.lc.item(i)[0] if i in authors.lc.data else None for i in range(len(authors))]
            below = stop  # the line after an author's own: the next author's, or the entry's next key
            for i in range(len(items) - 1, -1, -1):
                line = items[i]
                if line is None:
                    continue
                if _says_source(lines[_block_start(lines, line):_block_start(lines, below)]):
                    positions.add(i)
                below = line
        found[id(entry)] = (fields, positions)
    return found


def _locked(entry: CommentedMap, comments: tuple[set[str], set[int]] | None) -> tuple[dict[str, str], set[int]]:
    """The entry's locked fields (field -> why, for the report), from its ``lock`` and its ``# source:`` comments;
    and the positions of the authors a comment locks."""
    fields: dict[str, str] = {}
    lock = entry.get("lock")
    for name in [lock] if isinstance(lock, str) else lock if isinstance(lock, list) else []:
        if name in LOCKABLE:
            fields[str(name)] = f"lock: [{name}]"
    commented, positions = comments or (set(), set())
    for name in commented:
        fields.setdefault(name, f"a # source: comment above {name}:")
    return fields, positions


def _differ(old: Any, authors: list[dict[str, str]]) -> bool:
    """Whether the export's authors differ from the entry's in a name (up to accents), the order or an affiliation."""
    old = [a for a in old or [] if isinstance(a, dict)]
    return [_name_key(a) for a in old] != [fold(a["name"]) for a in authors] or any(
        b.get("affiliation") and not _same_text(a.get("affiliation"), b["affiliation"]) for a, b in zip(old, authors, strict=False))


def _short(text: str, width: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 3] + "..."


def _withheld(paper: Imported) -> str:
    return f"{paper.withheld!r}" if paper.withheld else "an empty author field"


def _report_reading(report: ImportReport, ident: str, paper: Imported, entry: Any) -> None:
    """The paper's lines of the report: what reading changed or doubted, then the names of three or more words
    whose family name is assumed (the entry's authors, as written after the merge, without ``family``)."""
    for kind, sentence in paper.notes:
        report.detail(kind, ident, sentence)
    for author in entry.get("authors") or []:
        if isinstance(author, dict) and isinstance(author.get("name"), str):
            family = assumed_family(author["name"], author.get("family"))
            if family:
                report.detail("family", ident, f"{author['name']!r}: family name {family!r} assumed (a name of three or more "
                                               f"words); confirm it with family: {family}, or set the right one")


def read_doc(target: Path) -> Any:
    """``target`` (papers.yaml) as a round-trip document with a ``papers`` list (empty when the
    file does not exist yet); ExportError when it is not such a file."""
    return _load(target)[0]


def _load(target: Path) -> tuple[Any, str]:
    """`read_doc`'s document, and the text it was read from ("" when there is no file)."""
    if not target.exists():
        return CommentedMap(papers=CommentedSeq()), ""
    text = target.read_text(encoding="utf-8")
    bomb = alias_problem(text)
    if bomb is not None:  # ruamel.yaml would share the aliased values too; comparing them would expand them
        raise ExportError(f"{target}:{bomb[0]}: {bomb[1]}" if bomb[0] else f"{target}: {bomb[1]}")
    try:
        doc = _yaml().load(text)
    except Exception as exc:  # noqa: BLE001 - ruamel's parser errors carry the position
        raise ExportError(f"{target}: is not valid YAML: {exc}") from None
    if doc is None:
        doc = CommentedMap()
    if not isinstance(doc, dict):
        raise ExportError(f"{target}: must be a mapping with a 'papers' list")
    if doc.get("papers") is None:
        doc["papers"] = CommentedSeq()
    if not isinstance(doc["papers"], list):
        raise ExportError(f"{target}: 'papers' must be a list")
    return doc, text


def set_fields(target: Path, values: dict[str, dict[str, str]], comments: dict[str, str] | None = None) -> None:
    """Set fields of existing entries of ``target`` by paper id (``{id: {field: value}}``), each
    with an end-of-line comment from ``comments`` (by id), keeping everything else as written;
    the entries are validated as the loader would before the file is replaced."""
    doc = read_doc(target)
    for entry in doc["papers"]:
        if isinstance(entry, CommentedMap) and str(entry.get("id")) in values:
            ident = str(entry.get("id"))
            for key, value in values[ident].items():
                entry[key] = _text(value)
                if comments and ident in comments:
                    entry.yaml_add_eol_comment(comments[ident], key)
    problems = validate(doc, list(values))
    if problems:
        raise ExportError(f"{target}: " + "; ".join(problems))
    write_yaml(target, doc)


def merge(target: Path, imported: list[Imported], skipped: list[str], default_track: str = "main") -> tuple[Any, ImportReport]:
    """The merged YAML document and what changed (nothing is written here)."""
    report = ImportReport(skipped=list(skipped))
    doc, text = _load(target)
    papers = doc["papers"]
    seen_ids = set()
    as_poster: list[str] = []
    index = _Entries(papers)
    locks = _comment_locks(papers, text.splitlines())
    for paper in imported:
        if paper.new_id in seen_ids:
            report.skipped.append(f"{paper.new_id}: appears twice in the export")
            continue
        seen_ids.add(paper.new_id)
        entry = index.find(paper)
        if entry is None:
            papers.append(_new_entry(paper, default_track))
            index.add(papers[-1])
            report.added.append(paper.new_id)
            if paper.anonymous:
                report.notes.append(f"{paper.new_id}: the export gives no author names ({_withheld(paper)}); the entry lists none")
            if not paper.presentation:
                as_poster.append(paper.new_id)
            _report_reading(report, paper.new_id, paper, papers[-1])
            continue
        ident = str(entry.get("id"))
        changes = []
        index.remove(entry)  # its review id and title may change below
        fields, locked_authors = _locked(entry, locks.get(id(entry)))
        if not entry.get("review_id"):
            _insert_after_id(entry, "review_id", paper.review_id)
            changes.append("review_id")
        for name, new in (("title", paper.title), ("abstract", paper.abstract)):
            if not new or _same_text(entry.get(name), new):
                continue
            if name in fields:
                report.detail("locked", ident, f"{name} kept as written ({fields[name]}); the export has {_short(new)!r}")
            elif name == "title":
                entry["title"] = _text(new)
                changes.append("title")
            else:
                entry["abstract"] = _styled(entry.get("abstract"), new)
                changes.append("abstract")
        if paper.authors and "authors" in fields:
            if _differ(entry.get("authors"), paper.authors):
                listed = "; ".join(a["name"] + (f" ({a['affiliation']})" if a.get("affiliation") else "") for a in paper.authors)
                report.detail("locked", ident, f"authors kept as written ({fields['authors']}); the export has {_short(listed)!r}")
        elif paper.authors:
            more, kept = _merge_authors(entry, paper.authors, locked_authors)
            changes += more
            for sentence in kept:
                report.detail("locked", ident, sentence)
        index.add(entry)
        seen_ids.add(ident)
        if changes:
            report.updated[ident] = changes
        else:
            report.unchanged.append(ident)
        _report_reading(report, ident, paper, entry)
    if as_poster:
        report.notes.append(f"presentation set to 'poster' for {len(as_poster)} new paper(s), as the export does not say: "
                            f"{', '.join(as_poster)}; edit those that are talks")
    matched = set(report.added) | set(report.updated) | set(report.unchanged)
    report.not_in_export = [str(e.get("id")) for e in papers if isinstance(e, dict) and str(e.get("id")) not in matched]
    return doc, report


def validate(doc: Any, ids: list[str]) -> list[str]:
    """Problems the loader would report in the entries this import touched."""
    problems = []
    touched = set(ids)
    for index, entry in enumerate(doc["papers"]):
        if isinstance(entry, dict) and str(entry.get("id")) in touched:
            try:
                Paper.model_validate(json.loads(json.dumps(entry, default=str)))
            except ValidationError as exc:
                for err in exc.errors():
                    loc = ".".join(str(x) for x in err["loc"])
                    problems.append(f"papers[{index}].{loc} (id {entry.get('id')!r}): {err['msg']}")
    return problems


def write_yaml(target: Path, doc: Any) -> None:
    """Replace ``target`` atomically; a symbolic link is written through (the file it points to is
    replaced, the link stays) and the file keeps its permissions. On failure (disk full, read-only)
    ``target`` is untouched, no temporary file remains and the error says which file could not be written."""
    buffer = io.StringIO()
    _yaml().dump(doc, buffer)
    try:
        write_atomically(target, buffer.getvalue(), mode=None, follow_symlinks=True)
    except OSError as exc:
        unchanged = "; it is unchanged" if target.exists() else ""
        shown = Path(os.path.realpath(target)) if target.is_symlink() else target
        raise ExportError(f"cannot write {shown}: {exc.strerror or exc}{unchanged}") from None
