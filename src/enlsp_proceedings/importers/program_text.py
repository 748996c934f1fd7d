"""The text rules of the program import: HTML fragments to plain text (`html_text`), 12-hour and
24-hour time ranges (`parse_times`), "Name (Affiliation)" entries (`person_entry`), placeholders
such as "TBD" (`is_placeholder`), and where a fact came from (`Where`, `Issue`).

Organizers' website data holds HTML fragments (``<b>``, ``<br>``, ``<ul><li>``) in its values. Only
the tags a website uses for formatting are read as markup, and they become text: a line break, a
list item, a paragraph; everything else that merely looks like a tag (``a<b`` in an abstract) stays
text. Nothing is ever kept as markup. What the text loses (a link's address, an image) is reported.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path

from enlsp_proceedings.model.codes import Level

# -- where a fact came from ------------------------------------------------------------------


@dataclass(frozen=True)
class Where:
    """A place in an input file: the file and its line (for a spreadsheet: the row a spreadsheet program shows)."""

    file: Path
    line: int | None = None

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" if self.line else str(self.file)

    @property
    def short(self) -> str:
        """``schedule.yml:9``: the file's name and line, as the written files' ``# source:`` comments say it."""
        return f"{self.file.name}:{self.line}" if self.line else self.file.name


@dataclass(frozen=True)
class Issue:
    """Something the import could not map, settled by a rule, or wants the organizer to know.

    ``error``: nothing is written until it is fixed (or settled by the option the message names);
    ``warning``: written, but check it; ``note``: what was not imported, or how something was read."""

    level: Level
    where: Where | None
    message: str

    def __str__(self) -> str:
        return f"{self.level}: {self.where}: {self.message}" if self.where else f"{self.level}: {self.message}"


@dataclass
class Issues:
    """Every issue of one import, in the order found."""

    items: list[Issue] = field(default_factory=list)

    def add(self, level: Level, where: Where | None, message: str) -> None:
        """Record one issue."""
        self.items.append(Issue(level, where, message))

    def count(self, level: Level) -> int:
        """How many issues of this level."""
        return sum(1 for issue in self.items if issue.level == level)


# -- HTML fragments ------------------------------------------------------------------------------

#: The tags a website's data uses for formatting, read as markup; nothing else is. Tags that never
#: carry attributes (``<b>``, ``<br/>``) must have none, so ``a<b and c>d`` in an abstract stays text.
_ATTRIBUTES = r"""(?:\s+[A-Za-z_:][-A-Za-z0-9_:.]*(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'<>=`]+))?)*\s*/?"""
_TAG = re.compile(
    r"<(/?)(?:(b|strong|i|em|u|s|small|big|sup|sub|br|hr|mark|code|tt|center)\s*/?"
    rf"|(span|font|p|div|ul|ol|li|a|img|h[1-6])({_ATTRIBUTES}))>",
    re.IGNORECASE,
)
_HREF = re.compile(r"""\b(?:href|src)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)
#: Something that looks like a tag but is none of the above (``<script>``, ``<table>``): kept as text, and reported.
_OTHER_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")

LINE, ITEM, PARAGRAPH = "\x00L", "\x00I", "\x00P"
#: C0 and C1 control characters but tab and newlines (NUL, which marks breaks here, is counted and blanked first).
_CONTROL = re.compile(r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


@dataclass
class Fragment:
    """An HTML fragment read as text: ``text`` (paragraphs separated by a blank line), ``items``
    (the pieces between line breaks and list items, for lists of names) and what was lost."""

    text: str
    items: list[str]
    lost: list[str]


def html_text(value: str) -> Fragment:
    """Plain text of an HTML fragment: tags removed, entities decoded, white space collapsed as a
    browser would; ``<br>`` is a line break, two of them (or ``<p>``) a paragraph break, ``<li>`` a list item."""
    lost: list[str] = []
    pieces: list[str] = []
    position = 0
    nuls = value.count("\x00")
    value = value.replace("\x00", " ")  # NUL marks the breaks below
    for match in _TAG.finditer(value):
        pieces.append(value[position:match.start()])
        position = match.end()
        closing, tag, attributes = match.group(1), (match.group(2) or match.group(3)).lower(), match.group(4) or ""
        if tag == "br":
            pieces.append(LINE)
        elif tag in ("p", "div", "hr") or (tag.startswith("h") and tag[1:].isdigit()):
            pieces.append(PARAGRAPH)
        elif tag in ("ul", "ol", "li"):
            pieces.append(ITEM)
        elif tag in ("a", "img") and not closing:
            found = _HREF.search(attributes)
            address = next((g for g in found.groups() if g), "") if found else ""
            if tag == "img":
                lost.append(f"an image{f' ({address})' if address else ''}")
            elif address:
                lost.append(f"the link to {address}")
    pieces.append(value[position:])
    joined = html.unescape("".join(pieces)).replace("\r\n", "\n").replace("\r", "\n")
    controls = len(_CONTROL.findall(joined)) + nuls
    if controls:  # invisible, and no output format can show them (the loader refuses them): blanked
        joined = _CONTROL.sub(" ", joined)
        lost.append(f"{controls} control character(s)")
    # two line breaks with only white space between them end a paragraph, as on the page
    joined = re.sub(rf"{LINE}\s*{LINE}", PARAGRAPH, joined)
    items = [" ".join(part.split()) for part in re.split(rf"{LINE}|{ITEM}|{PARAGRAPH}|\n", joined)]
    paragraphs = []
    for block in re.split(rf"{PARAGRAPH}|\n\s*\n", joined):
        words = " ".join(block.replace(LINE, " ").replace(ITEM, " ").split())
        if words:
            paragraphs.append(words)
    for other in _OTHER_TAG.findall("\n\n".join(paragraphs)):
        lost.append(f"{other!r} looks like HTML but is kept as text")
    return Fragment("\n\n".join(paragraphs), [item for item in items if item], lost)


# -- placeholders ------------------------------------------------------------------------------------

_PLACEHOLDER = re.compile(r"(tbd|tba|t\.b\.[ad]\.?|to be (announced|determined|confirmed)|coming soon|n/?a|none|-+|\?+)[.!]?", re.IGNORECASE)


def is_placeholder(text: str) -> bool:
    """Whether ``text`` only says that the real text is not known yet ("TBD", "To be announced", "N/A")."""
    return bool(_PLACEHOLDER.fullmatch(" ".join(text.split())))


# -- times -------------------------------------------------------------------------------------------

_CLOCK = re.compile(
    r"\s*(?P<h>\d{1,2})(?:\s*[:.h]\s*(?P<m>\d{2}))?(?::\d{2})?\s*(?P<mer>[AaPp]\.?\s*[Mm]\.?|[AaPp]\b\.?|[Mm]\b\.?)?\s*",
)
_SEPARATOR = re.compile(r"\s*(?:-|–|—|\bto\b)\s*", re.IGNORECASE)


@dataclass(frozen=True)
class Clock:
    """One end of a time range as written: hour, minute and its AM/PM ("am", "pm", None when absent, "broken" when malformed)."""

    hour: int
    minute: int
    meridiem: str | None
    text: str


@dataclass(frozen=True)
class Times:
    """A time range read: ``start`` and ``end`` as "HH:MM"; ``defect`` says what was wrong with it as
    written and ``rule`` how it was settled (both None for a well-formed range)."""

    start: str
    end: str
    defect: str | None = None
    rule: str | None = None


class TimeError(ValueError):
    """A time range that cannot be read, or whose defect no documented rule settles."""


def _clock(text: str) -> Clock:
    match = _CLOCK.fullmatch(text)
    if not match:
        raise TimeError(f"{text.strip()!r} is not a time")
    hour, minute = int(match["h"]), int(match["m"] or 0)
    raw = (match["mer"] or "").lower().replace(".", "").replace(" ", "")
    meridiem = {"am": "am", "pm": "pm", "a": "am", "p": "pm", "": None}.get(raw, "broken")
    if minute > 59 or hour > 23 or (meridiem in ("am", "pm") and not 1 <= hour <= 12):
        raise TimeError(f"{text.strip()!r} is not a time of day")
    return Clock(hour, minute, meridiem, text.strip())


def _minutes(clock: Clock, meridiem: str | None) -> int:
    if meridiem is None:
        return clock.hour * 60 + clock.minute
    return (clock.hour % 12 + (12 if meridiem == "pm" else 0)) * 60 + clock.minute


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _plausible(start: int, end: int) -> bool:
    """A slot of one workshop day: it ends after it starts, less than 12 hours later, the same day."""
    return 0 < end - start < 12 * 60 and end < 24 * 60


def split_range(text: str) -> tuple[str, str]:
    """'8:15AM - 8:20AM' -> ('8:15AM', '8:20AM'); a range's ends are separated by -, – , — or 'to'."""
    parts = _SEPARATOR.split(text.strip())
    if len(parts) != 2 or not all(p.strip() for p in parts):
        raise TimeError(f"{text.strip()!r} is not a time range like '8:15AM - 8:20AM' or '08:15 - 08:20'")
    return parts[0], parts[1]


def parse_times(text: str, end_text: str | None = None) -> Times:
    """A slot's start and end from ``text`` ("8:15AM - 8:20AM"), or from ``text`` and ``end_text`` (two cells).

    Well-formed: both ends 12-hour (with AM/PM) or both 24-hour. Two defects are settled by a rule,
    and the result says which (`Times.defect`, `Times.rule`); the caller decides whether to accept it:

    * **AM/PM missing or malformed at one end** ("8:15M - 8:20AM"): that end takes the other end's
      AM/PM, or the opposite one, whichever makes a slot of under 12 hours; when both or neither do,
      it is an error.
    * **A 12-hour slip** ("11:42AM - 11:48PM", a slot of 12 hours or more, or one that ends before it
      starts): the end is read on the other half of the day when that makes a slot of under 12 hours,
      else the start; when neither does, it is an error. (The caller checks the result against the
      neighbouring slots.)

    Raises `TimeError` for what cannot be read or settled."""
    first, second = (text, end_text) if end_text is not None else split_range(text)
    start, end = _clock(first), _clock(second)
    defect = rule = None
    marks = (start.meridiem, end.meridiem)
    if marks == (None, None):
        s, e = _minutes(start, None), _minutes(end, None)
    elif all(m in ("am", "pm") for m in marks):
        s, e = _minutes(start, start.meridiem), _minutes(end, end.meridiem)
    else:
        bad, good = (start, end) if start.meridiem not in ("am", "pm") else (end, start)
        if bad.meridiem is None and bad.hour > 12:  # "13:00 - 2:00PM": a 24-hour time beside a 12-hour one
            raise TimeError(f"{text.strip()!r} mixes a 24-hour time with a 12-hour one")
        what = "has no AM/PM" if bad.meridiem is None else "has a malformed AM/PM"
        defect = f"{bad.text!r} {what}"
        assert good.meridiem is not None
        options = [good.meridiem, "pm" if good.meridiem == "am" else "am"]
        fits = []
        for option in options:
            s = _minutes(start, option if bad is start else start.meridiem)
            e = _minutes(end, option if bad is end else end.meridiem)
            if _plausible(s, e):
                fits.append((option, s, e))
        if not fits or (len(fits) == 2 and fits[0][1:] != fits[1][1:]):
            raise TimeError(f"{text.strip()!r}: {defect}, and no reading of it makes a slot of under 12 hours" if not fits
                            else f"{text.strip()!r}: {defect}, and it could be AM or PM")
        option, s, e = fits[0]
        rule = f"{bad.text!r} read as {option.upper()}" + (" (the other end's)" if option == good.meridiem else "")
        return Times(_hhmm(s), _hhmm(e), defect, rule)
    if _plausible(s, e):
        return Times(_hhmm(s), _hhmm(e))
    if marks == (None, None) or any(m not in ("am", "pm") for m in marks):
        raise TimeError(f"{text.strip()!r} ends before it starts" if e <= s else f"{text.strip()!r} is 12 hours or longer")
    defect = f"{_hhmm(s)}–{_hhmm(e)} {'ends before it starts' if e <= s else 'lasts 12 hours or more'}"
    flip = {"am": "pm", "pm": "am"}
    for which, clock in (("end", end), ("start", start)):  # a slip is likelier at the end, typed after the start
        s2 = _minutes(start, flip[str(start.meridiem)] if which == "start" else start.meridiem)
        e2 = _minutes(end, flip[str(end.meridiem)] if which == "end" else end.meridiem)
        if _plausible(s2, e2):
            rule = f"a 12-hour slip: the {which} {clock.text!r} read as {flip[str(clock.meridiem)].upper()}"
            return Times(_hhmm(s2), _hhmm(e2), defect, rule)
    raise TimeError(f"{text.strip()!r}: {defect}, and no AM/PM correction of one end makes a slot of under 12 hours")


# -- people ------------------------------------------------------------------------------------------

_HONORIFIC = re.compile(r"^(dr|prof|professor|mr|mrs|ms|mx|sir|dame)\.?\s+(?=\S)", re.IGNORECASE)


def split_honorific(name: str) -> tuple[str | None, str]:
    """("Dr.", "Lu Hou") from "Dr. Lu Hou"; (None, name) when it has no honorific."""
    match = _HONORIFIC.match(name)
    if not match:
        return None, name
    word = match.group(1)
    honorific = word[0].upper() + word[1:].lower() + ("." if word.lower() in ("dr", "prof", "mr", "mrs", "ms", "mx") else "")
    return honorific, name[match.end():].strip()


@dataclass
class Entry:
    """A "Name (Affiliation)" entry read: the name, the affiliation, the honorific, and what was odd about it."""

    name: str
    affiliation: str | None = None
    honorific: str | None = None
    oddity: str | None = None  # read, but worth a note ("no space before '('")
    problem: str | None = None  # cannot be read with confidence: an error


def person_entry(text: str) -> Entry:
    """"Bang Liu (University of Montreal (UdM))" -> Bang Liu, University of Montreal (UdM): the
    affiliation is the last balanced parenthesised group, as in CMT's author lists
    (`cmt.parse_cmt_author`); "Tiago Falk(INRS University)" reads the same, with a note. Unbalanced
    parentheses, or an affiliation with no name, are problems (the entry is not guessed)."""
    text = " ".join(text.split())
    if text.count("(") != text.count(")"):
        return Entry(text, problem="its parentheses do not pair up, so the name and the affiliation cannot be told apart")
    name, affiliation, oddity = text, None, None
    if text.endswith(")"):
        depth = 0
        for index in range(len(text) - 1, -1, -1):
            depth += {")": 1, "(": -1}.get(text[index], 0)
            if depth == 0:
                name, affiliation = text[:index].strip(), text[index + 1:-1].strip() or None
                if index and text[index - 1] != " ":
                    oddity = "no space before '('"
                elif affiliation is None:
                    oddity = "an empty affiliation '()'"
                break
    if "(" in name or ")" in name:
        return Entry(text, problem="its parentheses are not one trailing '(Affiliation)'")
    honorific, name = split_honorific(name)
    if not name:
        return Entry(text, problem="it has an affiliation but no name")
    return Entry(name, affiliation, honorific, oddity)
