"""Writing what the program import mapped: the YAML of ``keynotes.yaml``, ``schedule.yaml``,
``panel.yaml`` and the ``organizers`` and ``technical_committee`` of ``people.yaml`` (`documents`),
what a re-import does to files that exist (`plan`), and the write itself (`write_all`).

**A re-import never silently undoes a hand edit.** Each written file (for ``people.yaml``: each
part the import owns) carries a header line with a digest of the text the import wrote::

    # import-program: file 3f2a9c0d1e7b4a65
    # import-program: organizers 0c1d..., technical_committee 9e8f...

When the file is still exactly what the import wrote, a re-import replaces it and lists what
changed. When it was edited since (or written by hand, with no header) and the import would
change its data, the import stops, lists the changes field by field, and writes only with
``--force``. A file whose data would not change is never rewritten. ``people.yaml``'s other keys
(volunteers, aliases, distinct) and everything outside the imported parts stay as they are.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import io
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml as pyyaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, FoldedScalarString, SingleQuotedScalarString

from enlsp_proceedings.importers.program_map import Conf, Entry, Program
from enlsp_proceedings.importers.program_text import Issues, Where
from enlsp_proceedings.importers.records import ExportError
from enlsp_proceedings.model.codes import Level
from enlsp_proceedings.model.load import ConfError, Problem, load_proceedings, read_conf_yaml, reads_as_string
from enlsp_proceedings.util.files import write_atomically
from enlsp_proceedings.util.text import fold

#: Long texts are folded blocks wrapped near this column; a slot or person longer than it is written in block style.
WRAP = 96
HEADER = "# import-program:"
_HEADER_LINE = re.compile(r"^# import-program: (.*)$")
_WRITTEN_BY = "# Written by `enlsp-proceedings import-program`"


# -- YAML values ------------------------------------------------------------------------------------


def _yaml() -> YAML:
    yaml = YAML()
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096
    return yaml


def _scalar(value: Any) -> Any:
    """A value as the loader reads it back: text that YAML 1.1 would read as something else is quoted,
    long text is a folded block."""
    if isinstance(value, dt.date):
        return value
    text = str(value)
    if "\n" in text or len(text) > WRAP:
        return _folded(text)
    return text if text and reads_as_string(text) else SingleQuotedScalarString(text)


def _folded(text: str) -> FoldedScalarString:
    """``text`` as a ``>-`` block folded at single spaces near `WRAP` columns; paragraphs (blank
    lines) survive, and it loads back unchanged."""
    block = FoldedScalarString(text)
    positions, line_start = [], 0
    for index, char in enumerate(text):
        if char == "\n":
            line_start = index + 1
        elif (index - line_start >= WRAP and char == " " and 0 < index < len(text) - 1
              and text[index - 1] not in " \n" and text[index + 1] not in " \n"):
            positions.append(index)
            line_start = index + 1
    block.fold_pos = positions
    return block


def _flow(data: dict[str, Any]) -> CommentedMap:
    """A short mapping on one line (``{name: ..., affiliation: ...}``), a long one in block style."""
    node = CommentedMap((k, _node(v)) for k, v in data.items())
    if len(str(data)) <= WRAP and not any(isinstance(v, list | dict) for v in data.values()) and not any("\n" in str(v) for v in data.values()):
        node.fa.set_flow_style()
    return node


def _node(value: Any) -> Any:
    if isinstance(value, dict):
        return _flow(value)
    if isinstance(value, list):
        seq = CommentedSeq(_node(v) for v in value)
        if all(isinstance(v, str) for v in value):
            seq.fa.set_flow_style()
        return seq
    return _scalar(value)


def _slot(data: dict[str, Any]) -> CommentedMap:
    node = CommentedMap()
    for key, value in data.items():
        node[key] = DoubleQuotedScalarString(value) if key in ("start", "end") else _node(value)
    if "papers" not in data and len(str(data)) <= WRAP + 20:
        node.fa.set_flow_style()
    return node


def _keynote(entry: Entry) -> CommentedMap:
    node = CommentedMap()
    for key, value in entry.data.items():
        node[key] = CommentedSeq(_flow(p) for p in value) if key == "speakers" else _node(value)
    return node


def _source_comments(seq: CommentedSeq, comments: list[str]) -> None:
    """Each item's source: at the end of its line when every item is a one-line (flow) mapping, else
    on a line of its own above each item. (ruamel.yaml loses the line break after a block mapping
    that is followed by an item with an end-of-line comment, so the two styles are never mixed.)"""
    flow = all(isinstance(item, CommentedMap) and item.fa.flow_style() for item in seq)
    for index, comment in enumerate(comments):
        if flow:
            seq.yaml_add_eol_comment(comment, index)
        else:
            seq.yaml_set_comment_before_after_key(index, before=comment, indent=2)


def _dump(key: str, value: Any) -> str:
    buffer = io.StringIO()
    _yaml().dump(CommentedMap([(key, value)]), buffer)
    return buffer.getvalue()


def _people_block(key: str, entries: list[Entry], intro: str) -> str:
    seq = CommentedSeq()
    for entry in entries:
        seq.append(_flow(entry.data))
    _source_comments(seq, [entry.source for entry in entries])
    if entries:
        seq.yaml_set_start_comment(intro, indent=2)
    return _dump(key, seq)


# -- the documents -------------------------------------------------------------------------------------


@dataclass
class Target:
    """One file the import writes: its parts (top-level key -> its YAML block) and the comments above them."""

    name: str
    parts: dict[str, str]
    whole: bool  # the import owns the whole file (else only ``parts``, inside a file that is the organizer's)
    sources: list[str]
    intro: list[str] = field(default_factory=list)
    summary: str = ""


def documents(program: Program, conf: Conf) -> list[Target]:
    """The files (or parts of ``people.yaml``) this import writes, as YAML text with source comments."""
    targets = []
    if program.keynotes is not None:
        seq = CommentedSeq()
        for entry in program.keynotes:
            seq.append(_keynote(entry))
        _source_comments(seq, [f"source: {entry.source}" for entry in program.keynotes])
        parts = {"keynotes": _dump("keynotes", seq)}
        if program.invited:
            parts["invited_speakers_without_talk"] = _people_block("invited_speakers_without_talk", program.invited,
                                                                   "speakers of the speakers file whom no talk of the schedule names")
        speakers = sum(len(e.data["speakers"]) for e in program.keynotes)
        targets.append(Target("keynotes.yaml", parts, True, program.sources.get("keynotes.yaml", []),
                              summary=f"{len(program.keynotes)} keynotes ({speakers} speakers)"
                              + (f", {len(program.invited)} invited speakers without a talk" if program.invited else "")))
    if program.schedule is not None:
        seq = CommentedSeq()
        for entry in program.schedule:
            seq.append(_slot(entry.data))
        _source_comments(seq, [f"source: {entry.source}" for entry in program.schedule])
        intro = [f"Times in the workshop's time zone (workshop.yaml), 24-hour clock, on {conf.date.isoformat()} unless a slot gives its date."]
        counts: dict[str, int] = {}
        for entry in program.schedule:
            kind = next((k for k in ("keynote", "paper", "panel") if k in entry.data), None) or str(entry.data.get("kind"))
            counts[kind] = counts.get(kind, 0) + 1
        targets.append(Target("schedule.yaml", {"schedule": _dump("schedule", seq)}, True, program.sources.get("schedule.yaml", []), intro,
                              summary=f"{len(program.schedule)} slots (" + ", ".join(f"{n} {k}" for k, n in counts.items()) + ")"))
    if program.panel is not None:
        node = CommentedMap()
        for key, value in program.panel.data.items():
            node[key] = CommentedSeq(_flow(p) for p in value) if key == "panelists" else _node(value)
        targets.append(Target("panel.yaml", {"panel": _dump("panel", node)}, True, program.sources.get("panel.yaml", []),
                              [f"source: {program.panel.source}"],
                              summary=f"{program.panel.data['id']}, {len(program.panel.data['panelists'])} panelists"))
    parts = {}
    counted = []
    if program.organizers is not None:
        parts["organizers"] = _people_block("organizers", program.organizers, "source: each entry's file and line")
        counted.append(f"{len(program.organizers)} organizers")
    if program.technical_committee is not None:
        parts["technical_committee"] = _people_block("technical_committee", program.technical_committee, "source: each entry's file and line")
        counted.append(f"{len(program.technical_committee)} technical committee members")
    if parts:
        targets.append(Target("people.yaml", parts, False, program.sources.get("people.yaml", []), summary=", ".join(counted)))
    return targets


# -- digests and the parts of a file ------------------------------------------------------------------------


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _split_header(text: str) -> tuple[dict[str, str], str]:
    """(the digests recorded in the header, the text without the header's lines)."""
    lines = text.splitlines(keepends=True)
    recorded: dict[str, str] = {}
    if lines and (match := _HEADER_LINE.match(lines[0].rstrip("\n"))):
        for item in match.group(1).split(","):
            words = item.split()
            if len(words) == 2:
                recorded[words[0]] = words[1]
        lines = lines[1:]
        while lines and lines[0].startswith(_WRITTEN_BY):
            lines = lines[1:]
    return recorded, "".join(lines)


def regions(text: str) -> dict[str, tuple[int, int]]:
    """Top-level key -> (first line, last line + 1) of its block: from the key's line to the last
    line of its value that is not a comment at column 0 or blank (those belong to the next key)."""
    try:
        node = pyyaml.compose(text, Loader=pyyaml.SafeLoader)
    except pyyaml.YAMLError:
        return {}
    if not isinstance(node, pyyaml.MappingNode):
        return {}
    lines = text.splitlines()
    found = {}
    for key, value in node.value:
        start = key.start_mark.line
        end = value.end_mark.line if value.end_mark.column else value.end_mark.line - 1
        while end > start and (not lines[end].strip() or lines[end].startswith("#")):
            end -= 1
        found[str(key.value)] = (start, end + 1)
    return found


def _part_text(text: str, key: str) -> str | None:
    span = regions(text).get(key)
    if span is None:
        return None
    return "".join(text.splitlines(keepends=True)[span[0]:span[1]])


def _header(target: Target, digests: dict[str, str]) -> str:
    parts = ", ".join(f"{k} {v}" for k, v in digests.items())
    what = "" if target.whole else f" ({', '.join(target.parts)} only; the rest of this file is yours and is never changed)"
    return (f"{HEADER} {parts}\n{_WRITTEN_BY} from {', '.join(target.sources) or 'the program'}{what}; edit freely: "
            "a later import lists what it would change, and writes over your edits only with --force.\n")


def render(target: Target, existing: str | None) -> str:
    """The file's new text: the whole file, or ``existing`` with the imported parts replaced (added at the end when new)."""
    if target.whole:
        body = "".join(f"# {line}\n" for line in target.intro) + "".join(target.parts.values())
        return _header(target, {"file": _digest(body)}) + body
    recorded, rest = _split_header(existing or "")
    lines = rest.splitlines(keepends=True)
    spans = regions(rest)
    for key, block in sorted(target.parts.items(), key=lambda kv: -spans.get(kv[0], (len(lines) + 1, 0))[0]):
        if key in spans:
            start, end = spans[key]
            lines[start:end] = block.splitlines(keepends=True)
        else:
            if lines and not lines[-1].endswith("\n"):
                lines[-1] += "\n"
            lines += block.splitlines(keepends=True)
    body = "".join(lines)
    digests = {key: value for key, value in recorded.items() if key not in target.parts and key in spans}
    for key in target.parts:
        digests[key] = _digest(_part_text(body, key) or "")
    return _header(target, digests) + body


def edited(target: Target, existing: str) -> bool:
    """Whether the organizer changed the imported file (or parts) since the import wrote it, or wrote it by hand."""
    recorded, rest = _split_header(existing)
    if target.whole:
        return recorded.get("file") != _digest(rest)
    for key in target.parts:
        part = _part_text(rest, key)
        if part is None:  # gone: deleted since the import wrote it (an edit), or never there (nothing to protect)
            if key in recorded:
                return True
        elif recorded.get(key) != _digest(part):
            return True
    return False


# -- what would change ----------------------------------------------------------------------------------------


def _paragraphs(text: str) -> str:
    return "\n\n".join(" ".join(p.split()) for p in re.split(r"\n\s*\n", text) if p.strip())


def normalized(key: str, value: Any, default_date: dt.date | None = None) -> Any:
    """A conf value as the site sees it, for comparing two files: ``speaker`` is ``speakers``, empty
    fields are absent, text is compared up to white space, a slot's date defaults to the workshop's."""
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if k == "speaker" and key == "keynote":
                k, v = "speakers", [v]
            v = normalized(str(k) if k in ("keynotes", "schedule") else key, v, default_date)
            if v not in (None, "", [], {}):
                out[str(k)] = v
        if key == "slot" and default_date is not None:
            out.setdefault("date", default_date.isoformat())
        return out
    if isinstance(value, list):
        inner = {"keynotes": "keynote", "schedule": "slot"}.get(key, key)
        return [normalized(inner, v, default_date) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return _paragraphs(value)
    return value


def _short(value: Any) -> str:
    text = value if isinstance(value, str) else repr(value)
    text = " ".join(str(text).split())
    return repr(text[:70] + "…") if len(text) > 70 else repr(text)


def _label(item: Any) -> str:
    if isinstance(item, dict):
        for key in ("id", "keynote", "paper", "panel", "name", "title"):
            if key in item:
                return str(item[key])
    return _short(item)


def changes(old: Any, new: Any, path: str = "") -> list[str]:
    """What changes from ``old`` to ``new``, one line per field ("schedule[Breakfast].kind: 'break' -> 'meal'")."""
    if isinstance(old, dict) and isinstance(new, dict):
        out = []
        for key in list(old) + [k for k in new if k not in old]:
            where = f"{path}.{key}" if path else key
            if key not in new:
                out.append(f"{where}: {_short(old[key])} removed")
            elif key not in old:
                out.append(f"{where}: {_short(new[key])} added")
            else:
                out += changes(old[key], new[key], where)
        return out
    if isinstance(old, list) and isinstance(new, list) and (old + new) and all(isinstance(x, dict) for x in old + new):
        keyed = [fold(_label(x)) for x in old], [fold(_label(x)) for x in new]
        out = []
        matcher = difflib.SequenceMatcher(None, keyed[0], keyed[1], autojunk=False)
        for op, a0, a1, b0, b1 in matcher.get_opcodes():
            if op == "equal":
                for i, j in zip(range(a0, a1), range(b0, b1), strict=True):
                    out += changes(old[i], new[j], f"{path}[{_label(old[i])}]")
            elif op == "replace" and a1 - a0 == b1 - b0:
                for i, j in zip(range(a0, a1), range(b0, b1), strict=True):
                    out += changes(old[i], new[j], f"{path}[{_label(old[i])} -> {_label(new[j])}]")
            else:
                out += [f"{path}[{_label(old[i])}]: removed" for i in range(a0, a1)]
                out += [f"{path}[{_label(new[j])}]: added" for j in range(b0, b1)]
        moved = set(keyed[0]) == set(keyed[1]) and keyed[0] != keyed[1] and len(set(keyed[0])) == len(keyed[0])
        if moved:
            out = [line for line in out if not line.endswith((": removed", ": added"))] + [f"{path}: the same entries in another order"]
        return out
    if isinstance(old, list) and isinstance(new, list) and all(isinstance(x, str) for x in old + new):
        gone, came = [x for x in old if x not in new], [x for x in new if x not in old]
        if gone or came:
            return [f"{path}: " + "; ".join(([f"without {', '.join(gone)}"] if gone else []) + ([f"with {', '.join(came)}"] if came else []))]
        return [f"{path}: another order"] if old != new else []
    if old != new:
        return [f"{path}: {_short(old)} -> {_short(new)}"]
    return []


# -- planning and writing -------------------------------------------------------------------------------------


@dataclass
class Planned:
    """What the import does to one file: ``status`` new, updated, unchanged, refused (hand edits,
    no --force) or forced; ``changes`` field by field."""

    target: Target
    path: Path
    text: str
    status: str = "new"
    changes: list[str] = field(default_factory=list)


def _data(path: Path, keys: list[str], date: dt.date, issues: Issues | None = None) -> Any:
    problems: list[Problem] = []
    data = read_conf_yaml(path, problems) if path.is_file() else None
    if problems and issues is not None:
        for problem in problems:
            issues.add(Level.ERROR, Where(path, problem.line), f"{problem.message} (the import cannot compare it; fix it, or use --force to replace it)")
        return None
    data = data if isinstance(data, dict) else {}
    return {key: normalized(key, data.get(key), date) for key in keys if data.get(key) is not None}


def plan(targets: list[Target], conf: Conf, force: bool, issues: Issues) -> list[Planned]:
    """Render every target against the file it replaces, check the result loads as the tool's
    loader reads conf/, and decide what happens to each file (see the module's docstring)."""
    planned = []
    for target in targets:
        path = conf.path / target.name
        existing = path.read_text(encoding="utf-8") if path.is_file() else None
        if existing is not None and not target.whole:
            recorded = _split_header(existing)[1]
            if regions(recorded) == {} and recorded.strip() and not recorded.lstrip().startswith("#"):
                issues.add(Level.ERROR, Where(path), "is not a YAML mapping the import can add to; fix it first (run `enlsp-proceedings check`)")
                continue
        planned.append(Planned(target, path, render(target, existing)))
    with tempfile.TemporaryDirectory(prefix="enlsp-import-program-") as tmp:
        staged = Path(tmp)
        for name in ("workshop.yaml", "papers.yaml", "keynotes.yaml", "schedule.yaml", "panel.yaml", "people.yaml", "cfp.yaml"):
            if (conf.path / name).is_file():
                (staged / name).write_bytes((conf.path / name).read_bytes())
        for item in planned:
            (staged / item.target.name).write_text(item.text, encoding="utf-8")
        _validate(staged, conf.path, [p.target.name for p in planned], issues)
        for item in planned:
            keys = list(item.target.parts) if not item.target.whole else ["keynotes", "invited_speakers_without_talk", "schedule", "panel"]
            new = _data(staged / item.target.name, keys, conf.date)
            if not item.path.is_file():
                continue
            old = _data(item.path, keys, conf.date, issues)
            if old is None:
                item.status = "refused" if not force else "forced"
                continue
            item.changes = changes(old, new)
            existing = item.path.read_text(encoding="utf-8")
            if not item.changes:
                item.status = "unchanged"
            elif not edited(item.target, existing):
                item.status = "updated"
            elif force:
                item.status = "forced"
                issues.add(Level.WARNING, Where(item.path), "had edits of its own since the last import (or was written by hand); --force replaces "
                           f"{'it' if item.target.whole else ', '.join(item.target.parts)}")
            else:
                item.status = "refused"
                issues.add(Level.ERROR, Where(item.path), "has edits of its own since the last import (or was written by hand), and the import "
                           f"would change {len(item.changes)} thing(s) in {'it' if item.target.whole else ', '.join(item.target.parts)} "
                           "(listed below); nothing is written. Apply them by hand, or run again with --force to replace "
                           f"{'the file' if item.target.whole else 'those parts'} (your edits there are then lost)")
    return planned


def _validate(staged: Path, conf_dir: Path, written: list[str], issues: Issues) -> None:
    """Load the staged conf/ as `build` and `check` will; problems in the files written are errors."""
    try:
        load_proceedings(staged)
    except ConfError as exc:
        for problem in exc.problems:
            name = Path(problem.file).name
            shown = str(conf_dir / name) + (f":{problem.line}" if problem.line else "")
            if name in written:
                issues.add(Level.ERROR, None, f"the imported {shown} would not load: {problem.field + ': ' if problem.field else ''}{problem.message}")
            else:
                issues.add(Level.NOTE, None, f"{shown} has a problem of its own (`enlsp-proceedings check` lists it): {problem.message}")


def write_all(planned: list[Planned]) -> list[Path]:
    """Write the new and updated files: each is first written beside its target, then all are renamed
    into place, so a full disk leaves conf/ as it was. A symbolic link is written through. Returns the files written."""
    todo = [p for p in planned if p.status in ("new", "updated", "forced")]
    staged: list[tuple[Path, Path]] = []
    try:
        for item in todo:
            target = Path(os.path.realpath(item.path)) if item.path.is_symlink() else item.path
            mode = target.stat().st_mode & 0o777 if target.exists() else None
            tmp = target.with_name(f".{target.name}.import-program.tmp")
            write_atomically(tmp, item.text, mode=mode if mode is not None else 0o644)
            staged.append((tmp, target))
    except OSError as exc:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        raise ExportError(f"cannot write {exc.filename or 'the files'}: {exc.strerror or exc}; nothing in conf/ was changed") from None
    for tmp, target in staged:
        os.replace(tmp, target)
    return [target for _, target in staged]
