"""Where things sit on a camera-ready's pages: text lines with their geometry (PDFium).

Used by `read.read_pdf` (in its worker process, on the open PDFium document) to find

- where the main content ends: the first References / Bibliography / appendix / supplementary
  heading, or a numbered reference list without a heading, as a *decimal* page (4.45 = the
  heading sits 45 % of the way down page 5's text block);
- the Acknowledgments section just before it (a workshop may not count it);
- page 1's author block (the lines above the abstract), so that a "Chen et al." citation in
  the introduction never counts as the author Alice Chen;
- marks of an anonymized review copy ("Anonymous Author(s)", margin line numbers,
  "Submitted to ... Do not distribute", "Confidential Review Copy").

Lines come from PDFium's text rectangles (one per run of text on a line). Line numbers (of any
width, in either margin, or stacked inside the other column, wherever a review template's lineno
puts them) are set apart before headings are looked for, so "170  References" is found as
"References".
"""

from __future__ import annotations

import re
import statistics
import unicodedata
from dataclasses import dataclass, field

#: Words of an end-of-content heading (after small caps are joined: "R EFERENCES" -> "REFERENCES").
_END_WORDS = (
    r"references?|bibliography|literature\s+cited|works\s+cited|appendix|appendices|technical\s+appendix"
    r"|supplementary(?:\s+materials?|\s+information)?|supplemental\s+materials?"
)
#: Optional numbering before a heading: "7", "7.", "4.1", "VII.", "A", "A.", "Appendix A:" is handled by the tail.
_NUMBER = r"(?:(?:\d{1,2}(?:\.\d{1,2})*|[IVX]{1,4}|[A-Z])\.?\s+)?"
_END = re.compile(
    rf"^{_NUMBER}(?P<word>{_END_WORDS})"
    r"(?:\s+(?:[A-Z]|\d{1,2})(?:\.\d{1,2})?)?"  # "Appendix A", "Appendix 1"
    r"(?:\s*[:.\u2014\u2013-]\s*[A-Z][^.]{0,80}|\s+(?:and|&)\s+[A-Z][\w\s]{0,40}|\s+[A-Z][\w-]*(?:\s+[\w-]+){0,5})?"
    r"\s*:?$",
    re.IGNORECASE,
)
#: An end-of-content heading and nothing else: the word, its number or letter, a colon.
_BARE_END = re.compile(rf"^{_NUMBER}(?:{_END_WORDS})(?:\s+(?:[A-Z]|\d{{1,2}})(?:\.\d{{1,2}})?)?\s*:?$", re.IGNORECASE)
_ACK = re.compile(r"^(?:\d{1,2}\.?\s+)?acknowledge?ments?(?:\s+and\s+disclosure\s+of\s+funding)?\s*[:.]?$", re.IGNORECASE)
#: "A Proof of Proposition 1": a lettered section heading (checked against the font: bold or larger).
_LETTERED = re.compile(r"^A\.?\s+[A-Z][\w'’-]*(?:\s+\S+){0,10}$")
#: A heading-like short line (for where the acknowledgments end).
_HEADING_LIKE = re.compile(r"^(?:(?:\d{1,2}(?:\.\d{1,2})*|[A-Z])\.?\s+)?[A-Z][\w'’-]*(?:\s+[\w'’&-]+){0,8}$")
_FIRST_ENTRY = re.compile(r"^\[1\]\s*\S")
_SECOND_ENTRY = re.compile(r"^\[2\]\s*\S")
_ABSTRACT = re.compile(r"^abstract\b", re.IGNORECASE)
_INTRODUCTION = re.compile(r"^(?:1\.?\s+)?introduction$", re.IGNORECASE)
_SMALL_CAPS = re.compile(r"\b([A-Z]) (?=[A-Z]{2,}\b)")
#: Control and format characters (C0, C1, soft hyphen, zero-width and bidirectional marks, BOM) and private-use ones.
INVISIBLE = re.compile("[\x00-\x1f\x7f-\x9f\xad\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffc\ue000-\uf8ff]")
_DIGITS = re.compile(r"^\d{1,4}$")
_ANONYMOUS = re.compile(r"\banonymous\s+(?:authors?(?:\s*\(s\))?|(?:acl|naacl|eacl|emnlp|aacl|coling|\w+)\s+submission)(?!\w)", re.IGNORECASE)
#: An author block line that is only "Anonymous" (a paper set with \author{Anonymous}).
_ANONYMOUS_LINE = re.compile(r"^anonymous(?:\s+authors?)?\s*[∗*]?$", re.IGNORECASE)
_SUBMITTED = re.compile(r"\bsubmitted\s+to\b.{0,200}?\bdo\s+not\s+distribute\b", re.IGNORECASE | re.DOTALL)
_CONFIDENTIAL = re.compile(r"\bconfidential\s+review\s+copy\b", re.IGNORECASE)


@dataclass
class Line:
    """One line of text (one column's part of it), PDF coordinates (y grows upwards)."""

    top: float
    bottom: float
    left: float
    right: float
    text: str
    size: float = 0.0  # font size of its first character (points); 0 when unknown
    bold: bool = False


@dataclass
class PageLines:
    """The text lines of one page, with the margin line numbers and column split found on it."""

    lines: list[Line]
    margin_numbers: list[list[int]] = field(default_factory=list)  # numbers in the margins (or stacked as lineno's), per place, top to bottom
    two_columns: float | None = None  # where the right column begins, on a two-column page


def _clean(text: str) -> str:
    """One line of text: whitespace collapsed, no control or format characters (the text reaches terminals and pages)."""
    text = text.replace("\x02", "-").replace("\r", " ").replace("\n", " ")
    return unicodedata.normalize("NFC", " ".join(INVISIBLE.sub("", text).split()))


def char_size(textpage, index: int) -> float:
    """The size a character is printed at, in points: its font size times the vertical scale of its
    matrix. A PDF may set every font at size 1 and scale the text matrix instead (Ghostscript and
    other rewriters do), where PDFium's font size alone is 1 for the title and the body alike."""
    import math

    import pypdfium2.raw as pdfium_c

    size = float(pdfium_c.FPDFText_GetFontSize(textpage, index))
    get_matrix = getattr(pdfium_c, "FPDFText_GetMatrix", None)
    if get_matrix is not None:
        matrix = pdfium_c.FS_MATRIX()
        if get_matrix(textpage, index, matrix):
            scale = math.hypot(matrix.c, matrix.d)
            if scale > 0:
                size *= scale
    return size


def _font(textpage, x: float, y: float) -> tuple[float, bool]:
    import pypdfium2.raw as pdfium_c

    try:
        index = textpage.get_index(x, y, 2, 2)
        if index is None or index < 0:
            return 0.0, False
        size = char_size(textpage, index)
        weight = int(pdfium_c.FPDFText_GetFontWeight(textpage, index))
        return size, weight >= 600
    except Exception:  # noqa: BLE001 - font facts are a hint only
        return 0.0, False


#: Spacing accents (as a font without composed letters prints them: "´" drawn over an "e") and the
#: combining marks they stand for; cedilla and ogonek hang below their letter.
ACCENTS = {"\u00b4": "\u0301", "`": "\u0300", "\u00a8": "\u0308", "\u02c6": "\u0302", "\u02dc": "\u0303", "\u00af": "\u0304",
           "\u02c9": "\u0304", "\u02d8": "\u0306", "\u02d9": "\u0307", "\u02da": "\u030a", "\u02c7": "\u030c", "\u02dd": "\u030b",
           "\u00b8": "\u0327", "\u02db": "\u0328"}
_BELOW = {"\u00b8", "\u02db"}


def _inside(x: float, y: float, boxes: list[list]) -> bool:
    return any(b[2] - 1 <= x <= b[3] + 1 and b[1] - 1 <= y <= b[0] + 1 for b in boxes)


def _char_segments(textpage, boxes: list[list]) -> list[list]:
    """The characters inside ``boxes`` ([top, bottom, left, right]) as runs, in content order, cut at
    line ends and wide gaps: [top, bottom, left, right, text]. A spacing accent printed over (or,
    cedilla and ogonek, under) a letter is put on that letter ("e" under "´" is "é")."""
    import ctypes

    import pypdfium2.raw as pdfium_c

    chars: list[list | None] = []  # [top, bottom, left, right, char, size], None for a line end
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    for index in range(textpage.count_chars()):
        code = pdfium_c.FPDFText_GetUnicode(textpage, index)
        if code in (0, 2, 10, 13) or pdfium_c.FPDFText_IsGenerated(textpage, index) == 1 and code != 32:
            chars.append(None)
            continue
        if not pdfium_c.FPDFText_GetCharBox(textpage, index, left, right, bottom, top):
            continue
        if not _inside((left.value + right.value) / 2, (top.value + bottom.value) / 2, boxes):
            chars.append(None)
            continue
        char = chr(code) if code < 0x110000 else ""
        chars.append([top.value, bottom.value, left.value, right.value, char, char_size(textpage, index)])
    letters = [c for c in chars if c is not None and c[4].isalpha()]
    for accent in chars:
        if accent is None or accent[4] not in ACCENTS:
            continue
        middle = (accent[2] + accent[3]) / 2
        below = accent[4] in _BELOW
        bases = [c for c in letters if c[2] - 0.5 <= middle <= c[3] + 0.5 and c[0] - c[1] > 0
                 and (accent[0] <= c[1] + 0.5 * (c[0] - c[1]) if below else accent[1] >= c[1] + 0.4 * (c[0] - c[1]))
                 and (c[1] - accent[0] if below else accent[1] - c[0]) < 0.6 * (c[0] - c[1])]
        if bases:
            base = min(bases, key=lambda c: abs((c[2] + c[3]) / 2 - middle))
            base[4] += ACCENTS[accent[4]]
            accent[4] = ""
    runs: list[list] = []
    current: list | None = None
    space = False
    for item in chars:
        if item is None:
            current = None
            continue
        box, char, size = item[:4], item[4], item[5]
        if not char:  # an accent put on its letter
            continue
        if char.isspace():
            space = current is not None
            continue
        height = max(1.0, box[0] - box[1])
        if (current is not None and abs(box[1] - current[1]) < 0.5 * height and -1 <= box[2] - current[3] <= max(3.0, 1.5 * height)
                and abs(size - current[5]) <= 0.15 * max(size, current[5])):
            current[0], current[1] = max(current[0], box[0]), min(current[1], box[1])
            # a space where the letters touch is no word break (one a reader puts where an accent was drawn)
            current[4] += (" " if space and box[2] - current[3] >= 0.1 * height else "") + char
            current[3] = max(current[3], box[3])
        else:
            current = [*box, char, size]
            runs.append(current)
        space = False
    return [[*run[:4], _clean(run[4])] for run in runs if run[4].strip()]


def _overlapping(segments: list[list]) -> list[list]:
    """Rectangles of one row that overlap (a line number printed into the next column): their text is
    ambiguous, as PDFium's bounded text takes the other's characters too."""
    hits = []
    ordered = sorted(segments, key=lambda s: s[1])  # by bottom: a row's rectangles are neighbours
    for i, a in enumerate(ordered):
        for b in ordered[i + 1:]:
            if b[1] > a[0]:  # above a: no later rectangle shares its row
                break
            rows_overlap = min(a[0], b[0]) - max(a[1], b[1]) > 0.5 * min(a[0] - a[1], b[0] - b[1])
            if rows_overlap and min(a[3], b[3]) - max(a[2], b[2]) > 1:
                hits += [a, b]
    return hits


def _accented(segments: list[list]) -> list[list]:
    """Rectangles holding a spacing accent, and those of the letters under (or over) it: "Christopher R",
    "e" and "´" for "Ré", whose text only reads right character by character."""
    hits = [s for s in segments if any(c in ACCENTS for c in s[4])]
    for accent in [s for s in hits if not s[4].replace(" ", "").strip("".join(ACCENTS))]:  # an accent alone in its rectangle
        reach = 3 + (accent[0] - accent[1])  # its letter is just under (or over) it
        hits += [s for s in segments if s is not accent and min(s[3], accent[3]) - max(s[2], accent[2]) > 0
                 and min(s[0], accent[0] + reach) - max(s[1], accent[1] - reach) > 0]
    return hits


def _stacks(segments: list[list]) -> list[list[list]]:
    """Segments grouped by their right edge (right-aligned numbers of one column), within 3 pt."""
    groups: list[list[list]] = []
    for s in sorted(segments, key=lambda s: s[3]):
        if groups and s[3] - groups[-1][-1][3] <= 3:
            groups[-1].append(s)
        else:
            groups.append([s])
    return groups


def page_lines(textpage) -> PageLines:
    """The page's text lines, top to bottom, with margin line numbers set apart."""
    segments = []
    for index in range(textpage.count_rects()):
        left, bottom, right, top = textpage.get_rect(index)
        text = _clean(textpage.get_text_bounded(left, bottom, right, top))
        if text and right - left >= 0.5 * (top - bottom) or text and len(text) == 1:  # no vertical text (arXiv stamps)
            segments.append([top, bottom, left, right, text])
    reread = _overlapping(segments) + _accented(segments)
    if reread:  # read those places character by character
        boxes = [s[:4] for s in reread]
        segments = [s for s in segments if all(s is not c for c in reread)]
        segments += _char_segments(textpage, boxes)
    if not segments:
        return PageLines([])
    long = [s for s in segments if len(s[4]) >= 20]
    if long:
        lefts = sorted(s[2] for s in long)
        rights = sorted(s[3] for s in long)
        text_left = lefts[len(lefts) // 10]
        text_right = rights[(len(rights) * 9) // 10]
    else:
        text_left, text_right = min(s[2] for s in segments), max(s[3] for s in segments)
    # Numbers stacked at one place, however many: line numbers, wherever lineno puts them (ACL's left
    # column's numbers fall into the right column).
    stacks = _stacks([s for s in segments if _DIGITS.match(s[4])])
    stacked = {id(s) for group in stacks if len(group) >= 8 for s in group}
    kept, margin = [], []
    for s in segments:
        if _DIGITS.match(s[4]) and (s[3] <= text_left + 1 or s[2] >= text_right - 1 or id(s) in stacked):
            margin.append(s)
        else:
            kept.append(s)
    kept.sort(key=lambda s: (-s[0], s[2]))
    rows: list[list[list]] = []
    for s in kept:
        height = s[0] - s[1]
        for row in rows[-3:]:
            # the row's tallest rectangle is its text; a footnote mark or an accent is only part of its height
            top, bottom = max(((r[0], r[1]) for r in row), key=lambda tb: tb[0] - tb[1])
            overlap = min(top, s[0]) - max(bottom, s[1])
            if overlap > 0.5 * min(height, top - bottom):
                row.append(s)
                break
        else:
            rows.append([s])
    lines = []
    for row in rows:
        row.sort(key=lambda s: s[2])
        parts = [[row[0]]]
        for s in row[1:]:
            prev = parts[-1][-1]
            gap_limit = max(12.0, 1.5 * (prev[0] - prev[1]))
            if s[2] - prev[3] > gap_limit:
                parts.append([s])
            else:
                parts[-1].append(s)
        for part in parts:
            first = part[0]
            text = _joined(part)
            size, bold = _font(textpage, first[2] + 1, (first[0] + first[1]) / 2)
            lines.append(Line(max(s[0] for s in part), min(s[1] for s in part), first[2], max(s[3] for s in part), text, size, bold))
    numbers = [[int(n[4]) for n in sorted(stack, key=lambda n: -n[0])] for stack in _stacks(margin)]
    return PageLines(lines, numbers, _column_split(lines, text_left, text_right))


def _joined(part: list[list]) -> str:
    """The texts of a row's rectangles, left to right: with a space between two words, none where one
    rectangle ends a word that the next continues ("Piórczy" + "ński", "F" + "LASH" in small caps)."""
    text = part[0][4]
    for prev, s in zip(part, part[1:], strict=False):
        touching = s[2] - prev[3] < 0.1 * max(prev[0] - prev[1], s[0] - s[1])
        text += s[4] if touching and text[-1:].isalpha() and s[4][:1].isalpha() else " " + s[4]
    return text


def _column_split(lines: list[Line], text_left: float, text_right: float) -> float | None:
    """Where the right column begins, if the page is set in two columns (ACL): many lines end before
    the middle of the text and many begin after it."""
    middle = (text_left + text_right) / 2
    left = [line for line in lines if line.right < middle and len(line.text) >= 20]
    right = [line for line in lines if line.left > middle - 5 and len(line.text) >= 20]
    if len(left) >= 8 and len(right) >= 8:
        return min(line.left for line in right) - 1
    return None


def _column_of(page: PageLines, line: Line) -> int:
    return 0 if page.two_columns is None or line.left < page.two_columns else 1


def _alone(page: PageLines, line: Line) -> bool:
    """Nothing else printed on the line's row in its column: a heading has its own line (a table's
    column header shares its row with the other headers)."""
    column = _column_of(page, line)
    for other in page.lines:
        if other is line or _column_of(page, other) != column:
            continue
        overlap = min(line.top, other.top) - max(line.bottom, other.bottom)
        if overlap > 0.5 * min(line.top - line.bottom, other.top - other.bottom):
            return False
    return True


def _space_above(page: PageLines, line: Line) -> float | None:
    """The white space between the line and the text just above it in its column (None at the top)."""
    column = _column_of(page, line)
    above = [other.bottom for other in page.lines if other is not line and _column_of(page, other) == column
             and other.bottom >= line.top - 0.5 and min(other.right, line.right) - max(other.left, line.left) > 0]
    return min(above) - line.top if above else None


def _line_gap(page: PageLines) -> float:
    """The usual white space between two lines of a paragraph on this page (the median over long lines)."""
    gaps = []
    for column in (0, 1):
        lines = [line for line in page.lines if len(line.text) >= 40 and _column_of(page, line) == column]
        gaps += [a.bottom - b.top for a, b in zip(lines, lines[1:], strict=False) if 0 <= a.bottom - b.top < 2 * (b.top - b.bottom)]
    return statistics.median(gaps) if gaps else 0.0


def _heading_text(text: str) -> str:
    text = _SMALL_CAPS.sub(r"\1", text)
    return re.sub(r"^\d{2,4}\s+(?=\D)", "", text) if re.match(r"^\d{3,4}\s", text) else text  # a line number merged in


@dataclass
class Layout:
    """What `analyze` found; positions are decimal pages (see `decimal`)."""

    end_page: int | None = None  # 1-based page of the end-of-content heading
    end_heading: str = ""  # as printed ("References", "A Proof of Proposition 1", "[1] (reference list without a heading)")
    content_pages: float | None = None  # decimal pages of content before it
    acknowledgments: tuple[float, float] | None = None  # (start, end) in decimal pages, just before the end
    author_block: list[list] = field(default_factory=list)  # page 1 above the abstract: [text, font size, bold] per line
    review_marks: list[str] = field(default_factory=list)
    first_page_notes: list[str] = field(default_factory=list)  # page 1's foot, in a smaller font: the venue notice, \thanks notes


class Analyzer:
    """Fed each page's lines in order (`add`), until `done`; then `result`."""

    def __init__(self) -> None:
        self.pages: list[PageLines] = []
        self.layout = Layout()
        self.end: tuple[int, Line] | None = None
        self.ack: tuple[int, Line] | None = None
        self.ack_end: tuple[int, Line] | None = None
        self.pending_entry: tuple[int, Line] | None = None  # a "[1]" line waiting for its "[2]"
        self.entry_index = 0
        self.sizes: list[float] = []

    @property
    def done(self) -> bool:
        """Whether the end of the body (references or appendix) was found."""
        return self.end is not None

    def body_size(self) -> float:
        """The body text's font size: the median size of the long lines seen so far."""
        return statistics.median(self.sizes) if self.sizes else 0.0

    def _is_heading_font(self, line: Line) -> bool:
        body = self.body_size()
        return line.bold or (body > 0 and line.size >= 1.08 * body)

    def _looks_like_heading(self, page: PageLines, line: Line, text: str) -> bool:
        """A heading by its layout, not its words: its own line, and set in a heading's font (bold,
        larger than the body, or capitals), or a short line that is the word alone ("References") or
        has more space above it than between the lines of a paragraph (or tops its page)."""
        if not _alone(page, line):
            return False
        letters = [c for c in text if c.isalpha()]
        if self._is_heading_font(line) or (len(letters) >= 5 and all(c.isupper() for c in letters)):
            return True
        column = [other for other in page.lines if _column_of(page, other) == _column_of(page, line) and len(other.text) >= 40]
        if column:
            right = statistics.median(other.right for other in column)
            if line.right >= right - 0.25 * (right - line.left):  # it runs to the column's edge: a line of a paragraph
                return False
        if _BARE_END.match(text):  # nothing but the word ("References", "7 Appendix A"), on a short line of its own
            return True
        above = _space_above(page, line)  # None: it tops its page or column
        return above is None or above > _line_gap(page) + 0.5 * (line.top - line.bottom)

    def add(self, page: PageLines) -> None:
        """Read the next page (pages come in order)."""
        self.pages.append(page)
        number = len(self.pages)
        self.sizes += [line.size for line in page.lines if len(line.text) >= 40 and line.size > 0][:60]
        if number == 1:
            self._first_page(page)
        listed = _hanging_entries(page) if number > 1 else None
        for index, line in enumerate(page.lines):
            text = _heading_text(line.text)
            if line is listed:
                self._set_end(number, line, "(an author-year reference list without a heading)")
                break
            if number > 1 or index > 3:
                if self.ack is not None and self.ack_end is None and line is not self.ack[1] and _HEADING_LIKE.match(text) and self._is_heading_font(line) and len(text) < 60:
                    self.ack_end = (number, line)
                match = _END.match(text)
                # never "see Appendix.", nor a line of body text or a table's header cell that begins with the word
                if match and match["word"][0].isupper() and not text.endswith(".") and self._looks_like_heading(page, line, text):
                    self._set_end(number, line, text)
                    break
                if number > 1 and _LETTERED.match(text) and line.bold and line.size >= 1.04 * self.body_size() > 0:
                    self._set_end(number, line, text)
                    break
                if _ACK.match(text) and self.ack is None:
                    self.ack = (number, line)
                if _FIRST_ENTRY.match(text):
                    self.pending_entry = (number, line)
                    self.entry_index = index
                elif self.pending_entry is not None and _SECOND_ENTRY.match(text):
                    first_page, first = self.pending_entry
                    # "[2]" starts a line of the same list: a few lines below "[1]", aligned with it
                    if first_page == number and index - self.entry_index <= 8 and abs(line.left - first.left) < 2:
                        self._set_end(first_page, first, "[1] (a reference list without a heading)")
                        break

    def _set_end(self, number: int, line: Line, text: str) -> None:
        self.end = (number, line)
        self.layout.end_page = number
        self.layout.end_heading = text[:120]

    def _first_page(self, page: PageLines) -> None:
        lines = page.lines
        stop = None
        for line in lines:
            if _ABSTRACT.match(line.text) or _INTRODUCTION.match(_heading_text(line.text)):
                stop = line.top
                break
        # Without an Abstract or Introduction heading, where the author block ends is unknown: all of page 1.
        head = [line for line in lines if stop is None or line.top > stop + 0.5]
        self.layout.author_block = [[line.text[:300], round(line.size, 1), line.bold] for line in head[:80]]
        full = "\n".join(line.text for line in lines)
        marks = self.layout.review_marks
        found = (_ANONYMOUS.search("\n".join(line.text for line in head)) or _ANONYMOUS.search(full[:3000])
                 or next((m for line in head if (m := _ANONYMOUS_LINE.match(line.text))), None))
        anonymous = found
        if found:
            marks.append(f"page 1 names {found[0]!r} as its author")
        found = _SUBMITTED.search(full)
        if found:
            marks.append(f"page 1 says {' '.join(found[0].split())[:160]!r}")
        found = _CONFIDENTIAL.search(full)
        if found:
            marks.append(f"page 1 says {found[0]!r}")
        if stop is not None and head and not anonymous:  # a final-style page 1 with the authors left out
            largest = max(line.size for line in head)
            if all(line.size >= largest - 0.5 for line in head):
                marks.append("page 1 names no author (nothing between the title and the abstract)")
        self.layout.first_page_notes = _foot_notes(lines)
        numbered = max((_numbered_run(side) for side in page.margin_numbers), key=lambda r: r[1] - r[0] if r else -1, default=None)
        if numbered:
            marks.append(f"the margin of page 1 has line numbers ({numbered[0]}–{numbered[1]})")

    def decimal(self, number: int, line: Line) -> float:
        """(page - 1) + how far down that page's text block the line's top is (0 = top, 1 = bottom).

        The text block is the paper's typical one: the median over the pages read of the top of
        the highest and the bottom of the lowest line (page numbers and running heads included).
        """
        tops = [max(x.top for x in p.lines) for p in self.pages if p.lines]
        bottoms = [min(x.bottom for x in p.lines) for p in self.pages if p.lines]
        top, bottom = statistics.median(tops), statistics.median(bottoms)
        if top - bottom <= 0:
            return float(number - 1)
        fraction = min(1.0, max(0.0, (top - line.top) / (top - bottom)))
        page = self.pages[number - 1]
        if page.two_columns is not None:  # a column is half a page: the left one full, then the right one down to the line
            fraction = (0.5 if line.left >= page.two_columns else 0.0) + fraction / 2
        return round(number - 1 + fraction, 2)

    def result(self, pages: int) -> Layout:
        """The layout found, for a PDF of this many pages."""
        layout = self.layout
        if self.end is None:
            layout.content_pages = float(pages)
            return layout
        layout.content_pages = self.decimal(*self.end)
        if self.ack is not None:
            start = self.decimal(*self.ack)
            end = self.decimal(*self.ack_end) if self.ack_end is not None else layout.content_pages
            if start < end <= layout.content_pages:
                layout.acknowledgments = (start, end)
        return layout


def _foot_notes(lines: list[Line], most: int = 12) -> list[str]:
    """The lines at the foot of a page set smaller than its body text (the footnote area: a venue
    notice, the authors' \\thanks notes), top to bottom, without the page number."""
    sizes = [line.size for line in lines if len(line.text) >= 40 and line.size > 0]
    if not sizes:
        return []
    body = statistics.median(sizes)
    notes: list[str] = []
    for line in reversed(lines):
        if _DIGITS.match(line.text):
            continue
        if line.size <= 0 or line.size >= 0.95 * body or len(notes) >= most:
            break
        notes.append(line.text[:300])
    return notes[::-1]


_YEAR = re.compile(r"\b(?:19|20)\d\d[a-z]?\b")
_LIST_LABEL = re.compile(r"^(?:[•◦▪–-]|\(?\d{1,2}[.)]|\(?[a-z][.)]|\[\d)")


def _hanging_entries(page: PageLines, least: int = 4) -> Line | None:
    """The first line of a run of at least ``least`` bibliography entries set with a hanging indent
    (each entry's first line at the column's edge, its other lines indented by 5-25 pt), every one
    with a year in it, and not a list (no bullets or numbers before them): a reference list whose
    heading is missing."""
    columns = [page.lines] if page.two_columns is None else [
        [line for line in page.lines if line.left < page.two_columns], [line for line in page.lines if line.left >= page.two_columns]]
    for lines in columns:
        for i, first in enumerate(lines):
            x0, j, entries, hanging = first.left, i, 0, 0
            while j < len(lines) and abs(lines[j].left - x0) <= 1.5 and not _LIST_LABEL.match(lines[j].text):
                text, k = lines[j].text, j + 1
                while k < len(lines) and 5 <= lines[k].left - x0 <= 25 and lines[k - 1].bottom - lines[k].top < 2 * (lines[k].top - lines[k].bottom):
                    text += " " + lines[k].text
                    k += 1
                if not _YEAR.search(text) or not text[:1].isupper():
                    break
                entries += 1
                hanging += k > j + 1
                j = k
            if entries >= least and hanging >= least // 2:
                return first
    return None


def _numbered_run(numbers: list[int]) -> tuple[int, int] | None:
    """(first, last) of a run of at least 10 increasing margin numbers, like lineno's."""
    best: tuple[int, int] | None = None
    run: list[int] = []
    for n in numbers:
        if run and n > run[-1] and n - run[-1] <= 3:
            run.append(n)
        else:
            run = [n]
        if len(run) >= 10 and (best is None or run[-1] - run[0] > best[1] - best[0]):
            best = (run[0], run[-1])
    return best
