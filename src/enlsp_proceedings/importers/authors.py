"""Author lists as review systems and organizers write them: how a file separates its authors
(`choose_separator`), one list split into names (`split_authors`), and each name and affiliation
cleaned of what is not part of it (`clean_name`, `clean_affiliation`), saying what was removed.

Three forms are read, one per file: CMT's ``Name (Affiliation)*; Name (Affiliation)`` (``semicolon``),
a list separated by ``, `` and a final `` and `` (``comma``), and BibTeX's ``Last, First and Last, First``
(``and``). The form is recognised from the whole file; where the file allows two readings (papers with
``;`` beside papers with ``,``; ``Wu, Yangchao and Dukler, Yonatan``), `choose_separator` raises
`AmbiguousAuthorsError` naming the papers, and the import's ``--author-separator`` settles it.

Footnote marks glued to a name ("Yangchao Wu1", "Yonatan Dukler*†", "Ann Lee⇤") are removed and
reported; CMT's contact-author ``*`` is CMT's, removed without a report per name. Affiliations keep
their digits ("Université Paris 8") but lose stray marks at either end, and a placeholder ("N/A") is no
affiliation; a stray accent inside a name or affiliation ("Technology¸Shenzhen") is kept and reported,
as only the organizer can say what it stood for.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from enlsp_proceedings.outputs.cite import name_parts

#: The forms of an author list, by the name ``--author-separator`` takes (its symbol works too).
SEPARATORS = {"semicolon": ";", "comma": ",", "and": "and"}
SEPARATOR_NAMES = {";": "semicolon", ",": "comma", **{name: name for name in SEPARATORS}}

#: How the forms are described to the organizer.
DESCRIBED = {"semicolon": "';' between authors (CMT's 'Name (Affiliation)*; ...')",
             "comma": "', ' between authors, and 'and' before the last (a ';' separates too)",
             "and": "' and ' between authors, each name 'First Last' or 'Last, First' (BibTeX's form)"}

_AND = re.compile(r"\s+(?:and|&)\s+")
_SUFFIX = re.compile(r"(?:Jr|Sr|II|III|IV)\.?", re.IGNORECASE)
_INITIAL = re.compile(r"[^\W\d_]\.?|(?:[^\W\d_]\.-?)+")
_PLACEHOLDER_AFFILIATION = re.compile(r"n/?a|none|null|unknown|-+|\?+|\.+", re.IGNORECASE)
_ANY_ALPHA = re.compile(r"[^\W\d_]")
_NICKNAME = re.compile(r'\([^()]*\)|"[^"]*"|“[^”]*”')


#: What reading changed or could not be sure of: ("cleaned" | "check", a sentence).
Note = tuple[str, str]


class AmbiguousAuthorsError(Exception):
    """The file's author lists can be read more than one way; the message says which papers and how to choose."""


class NotOneNameError(ValueError):
    """A part of an author list that still holds a separator (",", ";", "and"): more than one name, or a
    name the chosen form does not read; cleaning it would hide that."""


def _outside_parentheses(text: str) -> list[bool]:
    """For each character of ``text``, whether it is outside every parenthesis."""
    flags, depth = [], 0
    for char in text:
        if char == "(":
            depth += 1
        flags.append(depth == 0 and char != ")")
        if char == ")":
            depth = max(0, depth - 1)
    return flags


def _split_at(text: str, pattern: re.Pattern[str]) -> list[str]:
    outside = _outside_parentheses(text)
    parts, start = [], 0
    for match in pattern.finditer(text):
        if outside[match.start()] and match.start() >= start:
            parts.append(text[start:match.start()])
            start = match.end()
    parts.append(text[start:])
    return [" ".join(part.split()) for part in parts if part.strip()]


_SEMICOLON = re.compile(";")
_COMMA_OR_AND = re.compile(r"\s*[,;]\s*(?:(?:and|&)\s+)?|\s+(?:and|&)\s+")
_COMMA = re.compile(r",")
#: A comma that separates, not the one before a suffix ("Martin Luther King, Jr.").
_SEPARATING_COMMA = re.compile(r",(?!\s*(?:Jr|Sr|II|III|IV)\b\.?)")


def separators_in(text: str) -> set[str]:
    """Which of ``;``, ``,`` and `` and `` separate parts of ``text`` outside parentheses (not the comma of
    "King, Jr." nor one between footnote marks, "Wu1,2")."""
    found = set()
    outside = _outside_parentheses(text)
    for symbol, pattern in ((";", _SEMICOLON), (",", _SEPARATING_COMMA), ("and", _AND)):
        for match in pattern.finditer(text):
            after = text[match.end():match.end() + 1]
            if outside[match.start()] and not (symbol == "," and after and not after.isspace() and _name_mark(after)):
                found.add(symbol)
                break
    return found


def split_authors(text: str, separator: str) -> list[str]:
    """The authors of one list, as written, in the form ``separator`` (a key of `SEPARATORS`)."""
    if separator == "semicolon":
        return _split_at(text, _SEMICOLON)
    if separator == "and":
        return _split_at(text, _AND)
    parts: list[str] = []
    for part in _split_at(text, _COMMA_OR_AND):
        if parts and _SUFFIX.fullmatch(part):  # "Martin Luther King, Jr."
            parts[-1] += f" {part}"
        elif parts and all(_name_mark(c) or c.isspace() for c in part):  # "Chen Wu1,2": marks, not an author
            parts[-1] += f",{part}"
        else:
            parts.append(part)
    return parts


def _is_last_first(text: str) -> bool:
    """``Wu, Yangchao and Dukler, Yonatan``: two or more parts between ' and ', each with exactly one comma."""
    parts = _split_at(text, _AND)
    return len(parts) >= 2 and all(len(_split_at(part, _SEPARATING_COMMA)) == 2 for part in parts)


def _papers(ids: list[str]) -> str:
    shown = ", ".join(ids[:8]) + (f" and {len(ids) - 8} more" if len(ids) > 8 else "")
    return f"paper{'s' if len(ids) > 1 else ''} {shown}"


_OPTION = "--author-separator"


@dataclass
class Choice:
    """The form chosen for a file's author lists, and why (for the import's report)."""

    separator: str
    reason: str


def choose_separator(fields: dict[str, str], given: str | None = None) -> Choice:
    """The form of the author lists ``fields`` (paper id -> list) share; ``given`` (a name or symbol of
    `SEPARATOR_NAMES`) when the organizer said. Raises `AmbiguousAuthorsError` where the file allows two readings."""
    if given is not None:
        name = SEPARATOR_NAMES[given]
        return Choice(name, f"authors read with {DESCRIBED[name]}, as {_OPTION} says")
    found = {paper: separators_in(text) for paper, text in fields.items()}
    semi = [p for p, seps in found.items() if ";" in seps]
    other = [p for p, seps in found.items() if ";" not in seps and seps & {",", "and"}]
    with_commas = [p for p in semi if "," in found[p]]
    if semi and (other or with_commas):
        odd = other or with_commas
        verb = "have" if len(odd) > 1 else "has"
        what = (f"{verb} ',' or 'and' between names and no ';'" if other else f"{verb} a comma outside the parentheses of an "
                "affiliation ('Doe, Jane; ...' or 'Jane Doe, MIT; ...')")
        raise AmbiguousAuthorsError(
            f"the author lists can be read two ways: {len(semi)} of {len(fields)} papers separate authors with ';' (e.g. {_papers(semi[:3])}), but "
            f"{_papers(odd)} {what}. Say how to read them: {_OPTION} ';' (each part between semicolons is one author), "
            f"{_OPTION} ',' (commas, semicolons and 'and' all separate authors), or correct those papers in the file")
    if semi:
        rest = f" (the other {len(fields) - len(semi)} name one author)" if len(semi) < len(fields) else ""
        return Choice("semicolon", f"authors separated by ';' (CMT's form) in {len(semi)} of the {len(fields)} papers that name them{rest}")
    if not other:
        return Choice("semicolon", f"every one of the {len(fields)} author lists names one author" if fields else "no author lists")
    odd = [p for p in other if _is_last_first(fields[p]) or (len(parts := split_authors(fields[p], "comma")) >= 2
                                                             and all(len(x.split()) == 1 for x in parts))]
    if odd:
        raise AmbiguousAuthorsError(
            f"the author lists can be read two ways: {_papers(odd)} {'look' if len(odd) > 1 else 'looks'} like 'Last, First' names "
            f"({fields[odd[0]]!r}). Say how to read "
            f"them: {_OPTION} and (authors separated by ' and ', a comma inside a name means 'Last, First'), or "
            f"{_OPTION} ',' (every comma separates authors)")
    rest = f" (the other {len(fields) - len(other)} name one author)" if len(other) < len(fields) else ""
    return Choice("comma", f"authors separated by ', ' and 'and' in {len(other)} of the {len(fields)} papers that name them{rest}")


#: Characters a name is made of besides letters and combining marks ("Li (Lily) Wang", "J.-P. O’Neil").
_NAME_PUNCTUATION = set(" .-'’‐‑()\"“”")


def _name_mark(char: str) -> bool:
    """A footnote mark, digit or symbol: not a letter, a combining mark or name punctuation."""
    return unicodedata.category(char)[0] not in "LM" and char not in _NAME_PUNCTUATION


#: Footnote symbols as templates set them (pdftotext gives "⇤" for the asterisk of some fonts).
_FOOTNOTE_SYMBOLS = set("*†‡§¶‖⇤∗⋆★☆")


def _affiliation_mark(char: str) -> bool:
    """What an affiliation does not begin or end with: a footnote symbol, a superscript digit, a spacing accent
    or backtick standing alone; digits, brackets and other punctuation can ("Université Paris 8", "(FAIR)")."""
    return unicodedata.category(char) in ("Sk", "No") or char in _FOOTNOTE_SYMBOLS


def _strip_ends(text: str, is_mark) -> tuple[str, str]:
    """``text`` without the marks at its ends, and the marks removed (as written)."""
    start, end = 0, len(text)
    while start < end and is_mark(text[start]):
        start += 1
    while end > start and is_mark(text[end - 1]):
        end -= 1
    return text[start:end], text[:start] + text[end:]


def clean_name(name: str) -> tuple[str, list[Note]]:
    """A name without the marks glued to its words ("Yangchao Wu1" -> "Yangchao Wu", "Ann Lee*†" -> "Ann Lee"),
    and sentences saying what was removed or looks wrong."""
    words, removed = [], []
    for word in name.split():
        core, marks = _strip_ends(word, _name_mark)
        if marks:
            removed.append(marks)
        if core:
            words.append(core)
    cleaned = " ".join(words)
    said: list[Note] = []
    if removed and cleaned:
        said.append(("cleaned", f"{' '.join(name.split())!r} -> {cleaned!r} (removed {' '.join(removed)!r}: footnote marks, digits or symbols)"))
    return cleaned, said + _stray(cleaned, "name")


def clean_affiliation(text: str) -> tuple[str | None, list[Note]]:
    """An affiliation without stray marks at its ends ("City University of Hong Kong`"), None for a placeholder
    ("N/A", "-", empty); digits are kept ("Université Paris 8"). Sentences say what was removed or looks wrong."""
    text = " ".join(text.split())
    if not text:
        return None, []
    if _PLACEHOLDER_AFFILIATION.fullmatch(text):
        return None, [("cleaned", f"affiliation {text!r} dropped (a placeholder, not an affiliation)")]
    core, marks = _strip_ends(text, _affiliation_mark)
    core = core.strip()
    if not core:
        return None, [("cleaned", f"affiliation {text!r} dropped (no letters)")]
    said: list[Note] = [("cleaned", f"affiliation {text!r} -> {core!r} (removed the stray {marks.strip()!r})")] if marks.strip() else []
    return core, said + _stray(core, "affiliation")


#: Spacing accents and other characters that stand for something else when they stand alone in a name.
_STRAY_HINT = {"\u00b8": "a comma?", "`": "an apostrophe?", "\u00b4": "an apostrophe or an accent?", "\u00a8": "an umlaut?"}


def _stray(text: str, what: str) -> list[Note]:
    """Sentences about characters inside ``text`` that are not text: spacing accents standing alone."""
    said = []
    for char in dict.fromkeys(c for c in text if unicodedata.category(c) == "Sk"):
        hint = _STRAY_HINT.get(char, "a typing slip?")
        said.append(("check", f"{what} {text!r} has a stray {char!r} (U+{ord(char):04X} {unicodedata.name(char, '?')}: {hint}); imported "
                    "as written: if it is wrong, correct it in papers.yaml with a # source: comment above the author"))
    return said


def assumed_family(name: str, family: str | None = None) -> str | None:
    """The family name the citations assume for ``name`` when it has three or more words besides initials
    and particles ("Satya Sai Srinath Namburi") and no ``family`` says; else None."""
    if family:
        return None
    bare = _NICKNAME.sub(" ", name)  # "Zhiming (Charles) Chen"
    words = [w for w in bare.split() if not _INITIAL.fullmatch(w) and not w.islower() and _ANY_ALPHA.search(w)]
    if len(words) < 3:
        return None
    return name_parts(name)[1]


def flip_last_first(name: str) -> tuple[str, list[Note]]:
    """BibTeX's ``Last, First`` as ``First Last`` ("Wu, Yangchao" -> "Yangchao Wu"; "King, Jr., Martin" ->
    "Martin King Jr."), saying so; "Martin King, Jr." and names without a comma as they are."""
    parts = _split_at(name, _COMMA)
    if len(parts) == 2 and _SUFFIX.fullmatch(parts[1]):
        return f"{parts[0]} {parts[1]}", []
    if len(parts) == 3 and _SUFFIX.fullmatch(parts[1]):
        flipped = f"{parts[2]} {parts[0]} {parts[1]}"
    elif len(parts) == 2:
        flipped = f"{parts[1]} {parts[0]}"
    else:
        return name, []
    return flipped, [("cleaned", f"{name!r} read as 'Last, First': {flipped!r}")]


def split_affiliation(text: str) -> tuple[str, str]:
    """'Li (Lily) Wang (MIT)' -> ('Li (Lily) Wang', 'MIT'): the affiliation is the last balanced (...) group
    at the end; ('Ana Silva', '') without one."""
    text = text.strip()
    if text.endswith(")"):
        depth = 0
        for index in range(len(text) - 1, -1, -1):
            depth += {")": 1, "(": -1}.get(text[index], 0)
            if depth == 0:
                name = " ".join(text[:index].split())
                if name:
                    return name, " ".join(text[index + 1:-1].split())
                break
    return " ".join(text.split()), ""


def parse_author(part: str, separator: str) -> tuple[dict[str, str] | None, bool, list[Note]]:
    """One author of a list in the form ``separator``: ({name, affiliation}, is the contact author, sentences
    about what was cleaned). CMT's lists (``semicolon``) star the contact author; elsewhere a star is a
    footnote mark. None when nothing of a name is left (a part that is only marks); `NotOneNameError` when the
    name still holds a separator."""
    contact = separator == "semicolon" and "*" in part
    if contact:
        part = part.replace("*", "")
    name, affiliation = split_affiliation(part)
    name = re.sub(r",\s*((?:Jr|Sr|II|III|IV)\b\.?)$", r" \1", name)  # "Martin Luther King, Jr."
    said: list[Note] = []
    if separator == "and":
        name, said = flip_last_first(name)
    if separators_in(name):
        raise NotOneNameError(name)
    name, more = clean_name(name)
    said += more
    if not name:
        return None, contact, [("cleaned", f"{' '.join(part.split())!r} dropped: not a name (only marks, digits or symbols)")]
    author = {"name": name}
    kept, more = clean_affiliation(affiliation)
    said += more
    if kept:
        author["affiliation"] = kept
    return author, contact, said
