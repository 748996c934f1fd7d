"""Loading: read `conf/*.yaml` and validate it into a `Proceedings`.

Every problem is collected (file, line, field, paper id) and reported at once in a
`ConfError`; the caller prints it without a traceback. Nothing here writes files.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from pydantic import ValidationError

from enlsp_proceedings.errors import UserError
from enlsp_proceedings.model.codes import Code
from enlsp_proceedings.model.schema import (
    DEFAULT_PRESENTATIONS,
    DEFAULT_TRACKS,
    SITE_ADDRESS_FILE,
    Keynote,
    Paper,
    Presentation,
    Proceedings,
    Track,
)
from enlsp_proceedings.model.times import local_time

#: conf file -> top-level key in Proceedings it fills, and whether it must exist.
CONF_FILES: dict[str, tuple[str | None, bool]] = {
    "workshop.yaml": (None, True),
    "papers.yaml": ("papers", True),
    "keynotes.yaml": ("keynotes", False),
    "panel.yaml": ("panel", False),
    "schedule.yaml": ("schedule", False),
    "people.yaml": (None, False),
    "cfp.yaml": (None, False),
}


@dataclass(frozen=True)
class Problem:
    """One problem in conf/: where (file, line, field), what, and a machine-readable code."""

    file: str
    line: int | None
    field: str
    message: str
    code: str = Code.CONF_INVALID.value  # machine-readable kind (a `Code`), for `check --format json`

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        field = f" {self.field}:" if self.field else ""
        return f"{where}:{field} {self.message}"


class ConfError(UserError):
    """All problems found in the metadata, to be shown together."""

    def __init__(self, problems: list[Problem], partial: Proceedings | None = None):
        self.problems = problems
        #: the validated volume when only cross-entry checks failed (``check`` still checks the PDFs)
        self.partial = partial
        super().__init__("\n".join(str(p) for p in problems))

    def lines(self) -> list[str]:
        """Each problem, naming its file and line."""
        return [str(p) for p in self.problems]


if TYPE_CHECKING:  # the type checker sees one base; at run time libyaml's loader when it is built
    _SafeLoader = yaml.SafeLoader
else:
    _SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_SafeLoader):
    """SafeLoader (libyaml's when available: 20x faster on a 1,000-paper papers.yaml)
    without YAML 1.1 sexagesimal ints, so `07:30` stays a string."""


_Loader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:int"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:int",
    re.compile(r"^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+)$"),
    list("-+0123456789"),
)


def reads_as_string(text: str) -> bool:
    """Whether the loader reads ``text``, written as a plain (unquoted) YAML scalar, back as that string.

    It reads YAML 1.1 (``Yes``, ``off``, ``~``, ``0x10``, ``2031-12-05`` are not strings), while
    ruamel.yaml, which the importers write with, quotes only what YAML 1.2 would misread: the
    importers quote anything this says no to, so one dialect decides for both.
    """
    resolvers = _Loader.yaml_implicit_resolvers.get(text[0] if text else "", []) + _Loader.yaml_implicit_resolvers.get(None, [])
    return not any(regexp.match(text) for _tag, regexp in resolvers)


def read_conf_yaml(path: Path, problems: list[Problem]) -> Any:
    """The data of one conf file as `load_proceedings` reads it (YAML 1.1, aliases bounded, duplicate
    keys refused); what is wrong goes into ``problems``, with the line."""
    return _read_yaml(path, str(path), problems)[0]


def _read_yaml(path: Path, label: str, problems: list[Problem]) -> tuple[Any, yaml.Node | None]:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        problems.append(Problem(label, None, "", f"is not UTF-8 text ({exc.reason} at byte {exc.start})"))
        return None, None
    except OSError as exc:
        problems.append(Problem(label, None, "", f"cannot be read: {exc.strerror}"))
        return None, None
    try:
        loader = _Loader(text)
        try:  # parse once: the node tree gives line numbers, the data is constructed from it
            node = loader.get_single_node()
            # constructing shares an aliased value, it does not copy it: cheap even for an alias bomb
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        if "nesting depth" in str(exc.problem or ""):  # libyaml's limit; pure Python hits RecursionError
            problems.append(Problem(label, None, "", "is nested too deeply to be metadata"))
            return None, None
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problems.append(Problem(label, line, "", f"is not valid YAML: {exc.problem or exc.context}"))
        return None, None
    except yaml.YAMLError as exc:
        problems.append(Problem(label, None, "", f"is not valid YAML: {exc}"))
        return None, None
    except RecursionError:
        problems.append(Problem(label, None, "", "is nested too deeply to be metadata"))
        return None, None
    if node is not None:
        alias = _alias_problem(node, text) if "*" in text else None  # no alias without a star
        if alias is not None:  # before anything walks the data: ten lines of aliases expand to a billion values
            problems.append(Problem(label, alias[0], "", alias[1], Code.CONF_ALIAS.value))
            return None, None
        try:
            _check_duplicate_keys(node, label, problems)
        except RecursionError:
            problems.append(Problem(label, None, "", "is nested too deeply to be metadata"))
            return None, None
    return data, node


#: Values that YAML aliases (``*name``) may add to a file beyond what its text spells out:
#: reusing an author or an affiliation is fine, a few lines that expand to billions are not.
MAX_ALIAS_EXPANSION = 100_000


def _alias_problem(root: yaml.Node, text: str) -> tuple[int | None, str] | None:
    """(line of the first alias, what is wrong) when aliases make the document expand too much
    (more than MAX_ALIAS_EXPANSION values beyond its own nodes) or refer to themselves; else None.

    The composed node tree holds an aliased node once, reached from several parents. Sizes are
    counted once per node (memoized), so this costs the size of the text however far the
    aliases expand; only when it finds a problem is the text scanned for the alias's line.
    """
    size: dict[int, int] = {}
    distinct = 0
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    why = None
    while stack and why is None:
        node, children_done = stack.pop()
        key = id(node)
        if isinstance(node, yaml.ScalarNode):
            if key not in size:
                size[key], distinct = 1, distinct + 1
            continue
        children = [c for pair in node.value for c in pair] if isinstance(node, yaml.MappingNode) else list(node.value)
        if children_done:
            size[key] = 1 + sum(size[id(c)] for c in children)
            distinct += 1
            if size[key] > distinct + MAX_ALIAS_EXPANSION:  # more values below it than nodes in the whole text, and then some
                why = f"aliases would expand it by more than {MAX_ALIAS_EXPANSION:,} values"
            continue
        if key in size:
            if size[key] == -1:
                why = "an alias refers to a value that contains it"
            continue
        size[key] = -1  # in progress: met again below itself, it is a cycle
        stack.append((node, True))
        stack.extend((c, False) for c in children)
    if why is None:
        return None
    line, name = None, "?"
    try:
        for token in yaml.scan(text, Loader=_Loader):
            if isinstance(token, yaml.AliasToken):
                line, name = token.start_mark.line + 1, str(token.value)
                break
    except yaml.YAMLError:  # pragma: no cover - the text was parsed already
        pass
    return line, f"{why} (first alias: *{name}); write the values out instead of using anchors (&name) and aliases"


def alias_problem(text: str) -> tuple[int | None, str] | None:
    """(line, message) when the YAML ``text`` uses aliases that expand too far (see `_alias_problem`)."""
    if "*" not in text:
        return None
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except (yaml.YAMLError, RecursionError):  # the caller's own parser reports it
        return None
    finally:
        loader.dispose()
    return _alias_problem(node, text) if node is not None else None


def _check_duplicate_keys(node: yaml.Node, label: str, problems: list[Problem]) -> None:
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            if key.value in seen:
                problems.append(Problem(label, key.start_mark.line + 1, str(key.value), "duplicate key"))
            seen.add(key.value)
            _check_duplicate_keys(value, label, problems)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _check_duplicate_keys(item, label, problems)


def _line_of(node: yaml.Node | None, loc: tuple[Any, ...]) -> int | None:
    """Follow a pydantic error location through the YAML node tree to a line."""
    line = node.start_mark.line + 1 if node is not None else None
    skip_index = False
    for part in loc:
        if skip_index and isinstance(part, int):
            skip_index = False
            continue
        if isinstance(node, yaml.MappingNode):
            match = next(((k, v) for k, v in node.value if k.value == part), None)
            if match is None and part == "speakers":  # a keynote's `speaker:` is its one speaker
                match = next(((k, v) for k, v in node.value if k.value == "speaker"), None)
                skip_index = match is not None
            if match is None:
                break
            node = match[1]
            line = match[0].start_mark.line + 1
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            break
    return line


def _format_loc(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _describe(data: Any, loc: tuple[Any, ...]) -> str:
    """Name the paper/keynote an error belongs to, so organizers find it fast."""
    if len(loc) >= 2 and isinstance(loc[1], int) and isinstance(data, dict):
        items = data.get(loc[0])
        if isinstance(items, list) and loc[1] < len(items) and isinstance(items[loc[1]], dict):
            ident = items[loc[1]].get("id")
            if ident is not None:
                return f" (id {ident!r})"
    return ""


def declared_ids(workshop: Any) -> dict[str, list[str]]:
    """The track and presentation ids workshop.yaml declares (read before it is validated, so that
    a paper naming an undeclared one is reported with every other problem of the same run)."""
    found: dict[str, list[str]] = {}
    for key, defaults in (("tracks", DEFAULT_TRACKS), ("presentations", DEFAULT_PRESENTATIONS)):
        raw = workshop.get(key) if isinstance(workshop, dict) else None
        if isinstance(raw, list) and raw:
            found[key] = [str(item["id"]) for item in raw if isinstance(item, dict) and "id" in item]
        else:
            found[key] = [item.id for item in defaults]
    if isinstance(workshop, dict):  # else workshop.yaml's own problem is reported, not every paper's type
        types = workshop.get("paper_types")
        found["paper_types"] = [str(item["id"]) for item in types if isinstance(item, dict) and "id" in item] if isinstance(types, list) else []
    return found


def load_proceedings(conf_dir: Path) -> Proceedings:
    """Read and validate every conf file; raise ConfError listing all problems."""
    conf_dir = Path(conf_dir)
    problems: list[Problem] = []
    if not conf_dir.is_dir():
        raise ConfError([Problem(str(conf_dir), None, "", "is not a directory")])
    merged: dict[str, Any] = {}
    origin: dict[str, tuple[str, dict[str, Any], yaml.Node | None]] = {}
    unreadable: set[str] = set()  # keys whose file could not be read: already reported
    for filename, (key, required) in CONF_FILES.items():
        path = conf_dir / filename
        label = str(path)
        if not path.exists():
            if required:
                problems.append(Problem(label, None, "", "is missing"))
            continue
        before = len(problems)
        data, node = _read_yaml(path, label, problems)
        if data is None and len(problems) == before:  # an empty file (or only comments)
            if not required:
                continue
            problems.append(Problem(label, None, "", "is empty"))
        if data is None:
            unreadable.update({"workshop.yaml": ["workshop"], "people.yaml": ["people"], "cfp.yaml": ["cfp"]}.get(filename, [key] if key else []))
            if filename == "keynotes.yaml":
                unreadable.add("invited_speakers_without_talk")
            continue
        if not isinstance(data, dict):
            problems.append(Problem(label, 1, "", "must be a mapping of keys to values"))
            continue
        if key is None:
            target = "workshop" if filename == "workshop.yaml" else filename.removesuffix(".yaml")
            if target == "people":
                merged["people"] = data
                origin["people"] = (label, data, node)
            elif target == "cfp":
                merged["cfp"] = data
                origin["cfp"] = (label, data, node)
            else:
                merged["workshop"] = data
                origin["workshop"] = (label, data, node)
            continue
        for top, value in data.items():
            if top in ("keynotes", "papers", "schedule", "panel", "invited_speakers_without_talk"):
                merged[top] = value
                origin[top] = (label, data, node)
            else:
                problems.append(Problem(label, _line_of(node, (top,)), str(top), "unknown key"))
        if key not in data:
            problems.append(Problem(label, 1, key, f"missing top-level key {key!r}"))
    if "papers" not in merged and not any(p.file.endswith("papers.yaml") for p in problems):
        merged["papers"] = []

    proceedings = None
    try:
        proceedings = Proceedings.model_validate(merged, context=declared_ids(merged.get("workshop")))
    except ValidationError as exc:
        for err in exc.errors():
            loc = tuple(err["loc"])
            top = loc[0] if loc else ""
            if top in unreadable:
                continue
            label, data, node = origin.get(str(top), (str(conf_dir), {}, None))
            inner = loc if top not in ("workshop", "people", "cfp") else loc[1:]
            line = _line_of(node, inner)
            message = err["msg"].removeprefix("Value error, ")
            if err["type"] == "extra_forbidden":
                message = "unknown field (check the spelling)"
            elif err["type"] == "missing":
                message = "is required"
            problems.append(Problem(label, line, _format_loc(inner) + _describe(data, inner), message))
    if proceedings is not None:
        problems.extend(_cross_checks(proceedings, origin))
    if problems:
        raise ConfError(problems, proceedings)
    if proceedings is None:  # cannot happen: every unreadable file was reported above
        raise ConfError([Problem(str(conf_dir), None, "", "the metadata could not be read")])
    return proceedings


def _address_clashes(proc: Proceedings, where: Callable[[str, int], tuple[str, int | None]]) -> list[Problem]:
    """Two files published at one address (a paper's PDF, its supplementary material, their older
    addresses from ``pdf_aliases``/``supplementary_aliases``): the later one would replace the
    earlier one on the site, e.g. paper ``x-supplementary``'s PDF and paper ``x``'s supplementary
    file. Own addresses are claimed before aliases, so an alias never takes a paper's own address."""
    problems: list[Problem] = []
    workshop = proc.workshop
    claims: dict[str, tuple[str, str]] = {}  # address (case folded: file systems fold it) -> (paper id, what)
    entries = [(i, paper, path, what) for i, paper in enumerate(proc.papers)
               for path, what in paper.site_addresses(workshop.pdf_aliases, workshop.supplementary_aliases)]
    entries.sort(key=lambda entry: "aliases" in entry[3])  # stable: own addresses first, in file order
    for i, paper, path, what in entries:
        other = claims.setdefault(path.lower(), (paper.id, what))
        if other[0].lower() == paper.id.lower() and SITE_ADDRESS_FILE[other[1]] == SITE_ADDRESS_FILE[what]:
            continue  # the same file at the same address (a duplicate id is reported as such)
        whose = "its own" if other[0] == paper.id else f"paper {other[0]!r}'s"
        code = {"pdf_aliases address": Code.DUPLICATE_PDF_ALIAS, "supplementary_aliases address": Code.DUPLICATE_SUPPLEMENTARY_ALIAS}.get(what, Code.DUPLICATE_SITE_PATH)
        problems.append(Problem(*where("papers", i), f"papers[{i}] (id {paper.id!r})",
                                f"its {what} {path!r} is also {whose} {other[1]}: one file would replace the other on the site", code.value))
    return problems


def _cross_checks(proc: Proceedings, origin: dict[str, tuple[str, dict[str, Any], Any]]) -> list[Problem]:
    """Checks that span entries or files: unique ids, schedule references."""
    problems: list[Problem] = []

    def where(top: str, index: int, field: str = "id") -> tuple[str, int | None]:
        label, _data, node = origin.get(top, ("", {}, None))
        return label, _line_of(node, (top, index, field))

    groups: tuple[tuple[str, Sequence[Paper | Keynote]], ...] = (("papers", proc.papers), ("keynotes", proc.keynotes))
    for top, items in groups:
        seen: dict[str, int] = {}
        for i, item in enumerate(items):
            key = item.id.lower()  # ids name files: 'A' and 'a' collide on macOS and Windows
            if key in seen:
                label, line = where(top, i)
                first = items[seen[key]].id
                same = "" if first == item.id else f" (same as {first!r} up to case)"
                problems.append(Problem(label, line, f"{top}[{i}].id", f"duplicate id {item.id!r}{same} (first used by {top}[{seen[key]}])", Code.DUPLICATE_ID.value))
            else:
                seen[key] = i
        if top == "papers":
            pdfs: dict[str, str] = {}
            for i, paper in enumerate(proc.papers):
                name = paper.pdf_name.lower()
                if name in pdfs and pdfs[name] != paper.id:
                    label, line = where(top, i, "pdf")
                    problems.append(Problem(label, line, f"papers[{i}].pdf (id {paper.id!r})", f"PDF {paper.pdf_name!r} is also used by paper {pdfs[name]!r}", Code.DUPLICATE_PDF.value))
                pdfs.setdefault(name, paper.id)
            problems += _address_clashes(proc, where)

    workshop = proc.workshop
    kinds: tuple[tuple[str, Sequence[Track | Presentation] | Sequence[Any], Code], ...] = (
        ("tracks", workshop.tracks, Code.DUPLICATE_TRACK), ("presentations", workshop.presentations, Code.DUPLICATE_PRESENTATION),
        ("paper_types", workshop.paper_types, Code.DUPLICATE_PAPER_TYPE))
    for field_name, declared, duplicate in kinds:
        seen_ids: set[str] = set()
        for i, kind in enumerate(declared):
            if kind.id in seen_ids:
                label, _data, node = origin.get("workshop", ("", {}, None))
                line = _line_of(node, (field_name, i, "id"))
                problems.append(Problem(label, line, f"{field_name}[{i}].id", f"duplicate id {kind.id!r}", duplicate.value))
            seen_ids.add(kind.id)

    known = {
        "paper": {p.id for p in proc.papers},
        "keynote": {k.id for k in proc.keynotes},
        "panel": {proc.panel.id} if proc.panel else set(),
    }
    # overlapping slots are fine (parallel events); `check` warns when two talks overlap
    for i, slot in enumerate(proc.schedule):
        target = slot.target
        if target and target[1] not in known[target[0]]:
            label, line = where("schedule", i, target[0])
            problems.append(Problem(label, line, f"schedule[{i}].{target[0]}", f"unknown {target[0]} id {target[1]!r}", Code.SCHEDULE_UNKNOWN_ID.value))
        for j, ident in enumerate(slot.papers):
            if ident not in known["paper"]:
                label, _data, node = origin.get("schedule", ("", {}, None))
                line = _line_of(node, ("schedule", i, "papers", j))
                problems.append(Problem(label, line, f"schedule[{i}].papers[{j}]", f"unknown paper id {ident!r}", Code.SCHEDULE_UNKNOWN_ID.value))
        for field_name in ("start", "end"):  # a time the clocks skip that day (one that happens twice: `check` warns)
            state, why = local_time(slot.date or workshop.date, getattr(slot, field_name), workshop.timezone)
            if state == "missing":
                label, line = where("schedule", i, field_name)
                problems.append(Problem(label, line, f"schedule[{i}].{field_name}", why, Code.SCHEDULE_TIME_MISSING.value))
    return problems
