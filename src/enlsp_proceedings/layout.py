"""Where things sit on a camera-ready's pages: text lines with their geometry (PDFium).

Used by `extract.read_pdf` (in its worker process, on the open PDFium document) to find

- where the main content ends: the first References / Bibliography / appendix / supplementary
  heading, or a numbered reference list without a heading, as a *decimal* page (4.45 = the
  heading sits 45 % of the way down page 5's text block);
- the Acknowledgments section just before it (a workshop may not count it);
- page 1's author block (the lines above the abstract), so that a "Chen et al." citation in
  the introduction never counts as the author Alice Chen;
- marks of an anonymized review copy ("Anonymous Author(s)", margin line numbers,
  "Submitted to ... Do not distribute", "Confidential Review Copy").

Lines come from PDFium's text rectangles (one per run of text on a line). Line numbers in the
margin (of any width, on either side, as NeurIPS and ACL review copies print them) are set
apart before headings are looked for, so "170  References" is found as "References".
"""

from __future__ import annotations

import re
import statistics
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
_DIGITS = re.compile(r"^\d{1,4}$")
_ANONYMOUS = re.compile(r"\banonymous\s+(?:authors?(?:\s*\(s\))?|(?:acl|naacl|eacl|emnlp|aacl|coling|\w+)\s+submission)(?!\w)", re.IGNORECASE)
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
    lines: list[Line]
    margin_numbers: list[list[int]] = field(default_factory=list)  # line numbers in the left and right margins, top to bottom


def _clean(text: str) -> str:
    text = text.replace("\x02", "-").replace("\ufffe", "").replace("\r", " ").replace("\n", " ")
    return " ".join(text.split())


def _font(textpage, x: float, y: float) -> tuple[float, bool]:
    import pypdfium2.raw as pdfium_c

    try:
        index = textpage.get_index(x, y, 2, 2)
        if index is None or index < 0:
            return 0.0, False
        size = float(pdfium_c.FPDFText_GetFontSize(textpage, index))
        weight = int(pdfium_c.FPDFText_GetFontWeight(textpage, index))
        return size, weight >= 600
    except Exception:  # noqa: BLE001 - font facts are a hint only
        return 0.0, False


def page_lines(textpage) -> PageLines:
    """The page's text lines, top to bottom, with margin line numbers set apart."""
    segments = []
    for index in range(textpage.count_rects()):
        left, bottom, right, top = textpage.get_rect(index)
        text = _clean(textpage.get_text_bounded(left, bottom, right, top))
        if text and right - left >= 0.5 * (top - bottom) or text and len(text) == 1:  # no vertical text (arXiv stamps)
            segments.append([top, bottom, left, right, text])
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
    left_numbers: list[tuple[float, int]] = []
    right_numbers: list[tuple[float, int]] = []
    kept = []
    for s in segments:
        if _DIGITS.match(s[4]) and s[3] <= text_left + 1:
            left_numbers.append((s[0], int(s[4])))
        elif _DIGITS.match(s[4]) and s[2] >= text_right - 1:
            right_numbers.append((s[0], int(s[4])))
        else:
            kept.append(s)
    kept.sort(key=lambda s: (-s[0], s[2]))
    rows: list[list[list]] = []
    for s in kept:
        height = s[0] - s[1]
        for row in rows[-3:]:
            top, bottom = row[0][0], row[0][1]
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
            text = " ".join(s[4] for s in part)
            size, bold = _font(textpage, first[2] + 1, (first[0] + first[1]) / 2)
            lines.append(Line(max(s[0] for s in part), min(s[1] for s in part), first[2], max(s[3] for s in part), text, size, bold))
    return PageLines(lines, [[n for _, n in sorted(side, key=lambda n: -n[0])] for side in (left_numbers, right_numbers)])


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


class Analyzer:
    """Fed each page's lines in order (`add`), until `done`; then `result`."""

    def __init__(self) -> None:
        self.pages: list[PageLines] = []
        self.layout = Layout()
        self.end: tuple[int, Line] | None = None
        self.ack: tuple[int, Line] | None = None
        self.ack_end: tuple[int, Line] | None = None
        self.pending_entry: tuple[int, Line] | None = None  # a "[1]" line waiting for its "[2]"
        self.sizes: list[float] = []

    @property
    def done(self) -> bool:
        return self.end is not None

    def body_size(self) -> float:
        return statistics.median(self.sizes) if self.sizes else 0.0

    def _is_heading_font(self, line: Line) -> bool:
        body = self.body_size()
        return line.bold or (body > 0 and line.size >= 1.08 * body)

    def add(self, page: PageLines) -> None:
        self.pages.append(page)
        number = len(self.pages)
        self.sizes += [line.size for line in page.lines if len(line.text) >= 40 and line.size > 0][:60]
        if number == 1:
            self._first_page(page)
        for index, line in enumerate(page.lines):
            if self.end is not None:
                break
            text = _heading_text(line.text)
            if number > 1 or index > 3:
                if self.ack is not None and self.ack_end is None and line is not self.ack[1] and _HEADING_LIKE.match(text) and self._is_heading_font(line) and len(text) < 60:
                    self.ack_end = (number, line)
                match = _END.match(text)
                if match and match["word"][0].isupper() and not text.endswith("."):
                    if True:
                        self._set_end(number, line, text)
                        break
                if number > 1 and _LETTERED.match(text) and line.bold and line.size >= 1.04 * self.body_size() > 0:
                    self._set_end(number, line, text)
                    break
                if _ACK.match(text) and self.ack is None:
                    self.ack = (number, line)
                if _FIRST_ENTRY.match(text):
                    self.pending_entry = (number, line)
                elif self.pending_entry is not None and _SECOND_ENTRY.match(text):
                    self._set_end(*self.pending_entry, "[1] (a reference list without a heading)")
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
        if stop is None and lines:
            top = max(line.top for line in lines)
            bottom = min(line.bottom for line in lines)
            stop = top - 0.35 * (top - bottom)
        head = [line for line in lines if line.top > stop + 0.5]
        self.layout.author_block = [[line.text[:300], round(line.size, 1), line.bold] for line in head[:60]]
        full = "\n".join(line.text for line in lines)
        marks = self.layout.review_marks
        found = _ANONYMOUS.search("\n".join(line.text for line in head)) or _ANONYMOUS.search(full[:3000])
        if found:
            marks.append(f"page 1 names {found[0]!r} as its author")
        found = _SUBMITTED.search(full)
        if found:
            marks.append(f"page 1 says {' '.join(found[0].split())[:160]!r}")
        found = _CONFIDENTIAL.search(full)
        if found:
            marks.append(f"page 1 says {found[0]!r}")
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
        return round(number - 1 + fraction, 2)

    def result(self, pages: int) -> Layout:
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
