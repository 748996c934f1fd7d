"""Reading one PDF, within its budgets: `read_pdf` gives a file's `PdfFacts` and never raises.

pypdf judges the file (a PDF? encrypted? how many pages?), PDFium gives the text of every
page, the layout analysis (`layout`) and, for ``build``, the first-page thumbnail from the
same open document; pypdf's text is the fallback. Text is tidied here (PDFium's line ends
and hyphens, ligatures), and the end of the content is found from the layout or, failing
that, from the text alone (`find_body_end`). The budgets a PDF is read within are declared
here with the errors for exceeding them (`too_large`, `over_budget`); `pool` enforces the
time and memory ones in its worker processes.
"""

from __future__ import annotations

import io
import logging
import re
from pathlib import Path

from enlsp_proceedings.model.codes import Code
from enlsp_proceedings.pdf.active import pdf_active_content
from enlsp_proceedings.pdf.cache import file_sha256
from enlsp_proceedings.pdf.facts import PdfFacts, PdfProblem
from enlsp_proceedings.pdf.layout import INVISIBLE, Analyzer, Line, page_lines
from enlsp_proceedings.pdf.thumbs import ThumbCache, page_png

MAX_TEXT_CHARS = 200_000
#: The budgets of one PDF (`pool` enforces the time and memory ones in its worker processes).
#: CPU seconds a worker process may spend on one PDF (its text and first-page thumbnail). A PDF
#: that needs more, hostile or absurd, is reported as unreadable instead of holding up the build.
PDF_CPU_SECONDS = 60
#: Wall-clock seconds a worker may spend on one PDF, whatever it waits for.
PDF_WALL_SECONDS = 60
#: Memory (address space, in MB) a worker may add while reading one PDF. PDFium aborts when it
#: cannot get more; a decompression bomb or an absurd page size then fails alone.
PDF_MEMORY_MB = 1024
#: Larger files are refused before they are read or hashed (camera-readies are a few MB).
PDF_MAX_BYTES = 100 * 1024 * 1024
_LIGATURES = str.maketrans({"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl", "\ufb05": "st", "\ufb06": "st"})
_LINE_END_HYPHEN = re.compile("\x02(.)", re.DOTALL)
#: A References heading: alone on its line, optionally numbered ("7 References", "7. REFERENCES",
#: "A References") and tolerant of small caps extracted as "R EFERENCES" and of a trailing colon.
_REFERENCES = re.compile(
    r"^[ \t]*(?:(?:\d{1,2}|[IVX]{1,4}|[A-Z])\.?[ \t]+)?"
    r"(?:R[ \t]?eferences|R[ \t]?EFERENCES|B[ \t]?ibliography|B[ \t]?IBLIOGRAPHY|L[ \t]?iterature [Cc]ited|W[ \t]?orks [Cc]ited)"
    r"[ \t]*:?[ \t]*$",
    re.MULTILINE,
)
#: The same heading glued to the first entry by text extraction: "References [1] A. Author ...".
_REFERENCES_INLINE = re.compile(r"^[ \t]*(?:\d{1,2}\.?[ \t]+)?(?:References|REFERENCES|Bibliography|BIBLIOGRAPHY)[ \t]+(?=\[1\])", re.MULTILINE)
#: An appendix heading placed before the references ("Appendix", "A Appendix", "Appendix A: Proofs",
#: "Supplementary Material"); never a sentence such as "see Appendix A for details."
_APPENDIX = re.compile(
    r"^[ \t]*(?:[A-Z]\.?[ \t]+)?(?:Appendix|APPENDIX|Appendices|APPENDICES|Supplementary [Mm]aterials?|SUPPLEMENTARY MATERIALS?)"
    r"(?:[ \t]+[A-Z0-9]{1,2})?(?:[ \t]*[:.\u2014\u2013-][ \t]*[A-Z][^.\n]{0,80})?[ \t]*$",
    re.MULTILINE,
)
#: Text above a heading shorter than this (running head, page number) means the page holds no body text.
_TOP_OF_PAGE_CHARS = 200


def _text_end(page_texts: list[str]) -> tuple[tuple[int, int] | None, tuple[int, int] | None]:
    """((page, offset) of the References heading, (page, offset) where the content ends) in the
    text alone: the first References heading, or an appendix heading before it; None for none."""
    references = appendix = None
    for number, text in enumerate(page_texts, start=1):
        if references is None:
            match = _REFERENCES.search(text) or _REFERENCES_INLINE.search(text)
            if match:
                references = (number, match.start())
        if appendix is None and references is None and number > 1:
            match = _APPENDIX.search(text)
            if match:
                appendix = (number, match.start())
        if references is not None:
            break
    return references, appendix or references


def find_body_end(page_texts: list[str]) -> tuple[int | None, int | None]:
    """(page where the References heading is, pages of content before references/appendices).

    Content counts every page up to the first References heading (or an appendix heading
    before it), including that page unless the heading sits at its top.
    """
    references, end = _text_end(page_texts)
    if end is None:
        return None, len(page_texts)
    number, offset = end
    before = re.sub(r"\s+", "", page_texts[number - 1][:offset])
    body = number - 1 if len(before) < _TOP_OF_PAGE_CHARS else number
    return (references[0] if references else None), body


def set_layout_facts(facts: PdfFacts, texts: list[str], analyzer: Analyzer | None) -> None:
    """Where the content ends, the author block and review marks: from the layout when PDFium gave
    one, else (pypdf's text) from the text alone, in whole pages."""
    if analyzer is not None and analyzer.pages:
        layout = analyzer.result(len(texts))
        facts.references_page = layout.end_page
        facts.content_pages = layout.content_pages
        facts.end_heading = layout.end_heading
        facts.acknowledgments = list(layout.acknowledgments) if layout.acknowledgments else None
        facts.author_block = layout.author_block
        facts.review_marks = layout.review_marks
        facts.first_page_notes = layout.first_page_notes
        return
    facts.references_page, content = find_body_end(texts)
    facts.content_pages = None if content is None else float(content)
    facts.end_heading = "References" if facts.references_page else ""


#: Where the content begins and ends on the pages read by PDFium: (page index, offset in that
#: page's text) under "start" (page 1 below its author block) and "end" (the end-of-content heading).
Spans = dict[str, tuple[int, int]]
_MARGIN_NUMBER = re.compile(r"^\d{1,4}\s+(?=\S)")


def set_text_spans(facts: PdfFacts, texts: list[str], spans: Spans | None) -> None:
    """Where the content begins and ends in ``facts.text`` (offsets): from the layout's ``spans``, or
    (pypdf's text, no layout) its end from the text alone (`_text_end`). Unknown stays None: no
    known author block, or no end heading (then all the text is content). Called after
    `set_layout_facts`: an end heading the layout found but ``spans`` could not place ends the
    content at the top of its page (never a reference taken for content)."""
    if spans is None:
        _, end = _text_end(texts)
        spans = {"end": (end[0] - 1, end[1])} if end else {}
    elif "end" not in spans and facts.references_page is not None:
        spans = {**spans, "end": (facts.references_page - 1, 0)}
    page_starts = [0]
    for text in texts:
        page_starts.append(page_starts[-1] + len(text) + 1)
    found = {name: min(page_starts[page] + offset, len(facts.text)) for name, (page, offset) in spans.items()}
    facts.content_end = found.get("end")
    facts.content_start = found.get("start")
    if facts.content_start is not None and facts.content_end is not None:
        facts.content_start = min(facts.content_start, facts.content_end)


def _note_spans(spans: Spans, analyzer: Analyzer, textpage, text: str, index: int) -> None:
    """After the layout read page ``index`` (0-based; its PDFium ``textpage`` and tidied ``text``): note
    in ``spans`` where the content starts (page 1: the line below its author block, the Abstract or
    Introduction heading; all of page 1 when no such heading was found) and where it ends (the page
    where the layout found the end-of-content heading: that line; the top of the page when the line
    cannot be placed in the text, so that no reference is ever taken for content)."""
    if index == 0:
        below = _below_author_block(analyzer)
        offset = len(text) if below is None else _line_offset(textpage, text, below)
        if offset is not None:
            spans["start"] = (0, offset)
    if analyzer.end is not None and "end" not in spans and analyzer.end[0] == index + 1:
        offset = _line_offset(textpage, text, analyzer.end[1])
        spans["end"] = (index, offset or 0)


def _below_author_block(analyzer: Analyzer) -> Line | None:
    """Page 1's first line after the author block the layout found (its Abstract or Introduction
    heading), or None when the block is all of page 1."""
    lines, block = analyzer.pages[0].lines, analyzer.layout.author_block
    for line, entry in zip(lines, block, strict=False):
        if line.text[:300] != entry[0]:
            return line
    return lines[len(block)] if len(block) < len(lines) else None


def _normal_line(text: str) -> str:
    return " ".join(INVISIBLE.sub("", text).split())


def _non_space_at(text: str, count: int) -> int:
    """The position in ``text`` of its non-space character number ``count`` (0-based; the end if fewer)."""
    seen = 0
    for position, char in enumerate(text):
        if not char.isspace():
            if seen == count:
                return position
            seen += 1
    return len(text)


def _line_offset(textpage, text: str, line: Line) -> int | None:
    """Where the layout's ``line`` begins in its page's tidied text ``text``, or None if unknown.

    PDFium's character under the line's first letter is counted in non-space characters of the text
    before it (PDFium's character list and the page text differ in white space and line-end hyphens
    only), which lands within a character or two of the line. The text line that holds just the
    line's text (a margin line number before it aside) and is nearest to that is the answer; failing
    that, the start of the text line there.
    """
    estimate = None
    index = textpage.get_index(line.left + 1, (line.top + line.bottom) / 2, 2, 2)
    if index is not None and index >= 0:
        before = "".join(_pdfium_text(textpage.get_text_range(0, index)).split())
        estimate = _non_space_at(text, len(before))
    target = _normal_line(line.text)
    exact, prefixed, position = [], [], 0
    for raw in text.split("\n"):
        normal = _normal_line(raw)
        if target and (normal == target or _MARGIN_NUMBER.sub("", normal) == target):
            exact.append(position)
        elif len(target) >= 6 and normal.startswith(target):
            prefixed.append(position)
        position += len(raw) + 1
    for candidates in (exact, prefixed):
        if candidates:
            return min(candidates, key=lambda start: abs(start - estimate)) if estimate is not None else candidates[0]
    return None if estimate is None else text.rfind("\n", 0, estimate) + 1


def _tidy(text: str) -> str:
    """Typographic ligatures (U+FB00-FB06) as letters, so "ﬁne-tuning" is found as "fine-tuning"."""
    return text.translate(_LIGATURES)


def _pdfium_text(text: str) -> str:
    """PDFium's page text in pypdf's conventions.

    PDFium ends lines with CR LF, and writes a hyphen that breaks a word at the end of a line as
    STX (U+0002), joining the two lines: "char\x02acterization". The word is kept whole, except
    before a capital, where the hyphen was most likely real ("Jean-Pierre", "Fine-Tuning").
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufffe", "")
    if "\x02" in text:
        text = _LINE_END_HYPHEN.sub(lambda m: ("-" if m[1].isupper() else "") + m[1], text).replace("\x02", "")
    return _tidy(text)


def _pypdf_texts(reader) -> list[str]:
    texts = []
    for page in reader.pages:
        try:
            texts.append(_tidy(page.extract_text() or ""))
        except Exception:  # noqa: BLE001 - a bad content stream on one page
            texts.append("")
    return texts


def _pdfium_pass(data: bytes, pages: int, thumbnail: bool) -> tuple[list[str] | None, bytes | None, Analyzer | None, Spans]:
    """(text of every page, first-page PNG, layout analysis, where the content begins and ends in
    the text) from one PDFium document; None for what PDFium cannot give.

    The text is only taken if PDFium sees the same number of pages as pypdf. The layout (lines
    with their geometry, `layout.py`) is read from page 1 up to the end of the main content.
    """
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data)
    except Exception:  # noqa: BLE001 - PdfiumError, or anything else on a file pypdf accepted
        return None, None, None, {}
    png = None
    spans: Spans = {}
    analyzer: Analyzer | None = Analyzer()
    texts: list[str] | None = []
    try:
        count = len(document)
        if count != pages:
            texts = None
        for index in range(count if texts is not None else min(count, 1)):
            try:
                page = document[index]
            except Exception:  # noqa: BLE001
                if texts is not None:
                    texts.append("")
                continue
            try:
                if index == 0 and thumbnail:
                    try:
                        png = page_png(page)
                    except Exception:  # noqa: BLE001 - no thumbnail, the text may still come
                        png = None
                if texts is not None:
                    try:
                        textpage = page.get_textpage()
                        try:
                            texts.append(_pdfium_text(textpage.get_text_bounded()))
                            if analyzer is not None and not analyzer.done:
                                try:
                                    analyzer.add(page_lines(textpage))
                                except Exception:  # noqa: BLE001 - no layout: the text alone is judged
                                    analyzer = None
                                else:
                                    try:
                                        _note_spans(spans, analyzer, textpage, texts[-1], index)
                                    except Exception:  # noqa: BLE001 - set_text_spans then cuts at the top of the end page
                                        pass
                        finally:
                            textpage.close()
                    except Exception:  # noqa: BLE001 - one page's text
                        texts.append("")
            finally:
                page.close()
    finally:
        document.close()
    return texts, png, analyzer if texts is not None else None, spans


def _active_content(reader) -> list[str]:
    """`active.pdf_active_content`; a walk that fails says so rather than calling the file clean."""
    try:
        return pdf_active_content(reader)
    except MemoryError:
        raise
    except Exception:  # noqa: BLE001 - pypdf raises many things on garbage; the text may still be read
        return ["objects that could not all be looked at for active content"]


def read_pdf(path: Path, sha256: str | None = None, thumbs: ThumbCache | None = None) -> PdfFacts:
    """Facts of one PDF; never raises for a broken file. With ``thumbs``, a readable PDF's
    first page is also rendered into that cache, in the same pass.

    The file is read from disk once. pypdf judges it as it always has (a PDF? encrypted? how
    many pages? ``pdf-unreadable`` if its structure is damaged), which costs it well under a
    millisecond. The text of every page and the thumbnail then come from one PDFium document
    (several times faster than pypdf's text extraction); pypdf extracts the text instead if
    PDFium cannot open the file, counts other pages, or finds no text at all in it.
    """
    import pypdf
    from pypdf.errors import PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    size = path.stat().st_size
    if size > PDF_MAX_BYTES:  # before hashing or reading anything: a 40 GB file must cost nothing
        return PdfFacts(sha256=sha256 or "", size=size, error=too_large(size))
    sha256 = sha256 or file_sha256(path)
    facts = PdfFacts(sha256=sha256, size=size)
    if size == 0:
        facts.error = PdfProblem.of(Code.PDF_EMPTY, "the file is empty (0 bytes)")
        return facts
    with open(path, "rb") as fh:
        data = fh.read()
    head = data[:1024]
    if b"%PDF-" not in head:
        kind = "an HTML page" if re.search(rb"<(!doctype|html)", head, re.I) else "not a PDF"
        facts.error = PdfProblem.of(Code.PDF_NOT_PDF, f"the file is {kind} (no %PDF- header)")
        return facts
    png = None
    try:
        reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            facts.error = PdfProblem.of(Code.PDF_ENCRYPTED, "the PDF is encrypted; upload it without a password or restrictions")
            return facts
        facts.pages = len(reader.pages)
        if facts.pages == 0:
            facts.error = PdfProblem.of(Code.PDF_NO_PAGES, "the PDF has no pages")
            return facts
        facts.active_content = _active_content(reader)
        texts, png, analyzer, spans = _pdfium_pass(data, facts.pages, thumbs is not None)
        if texts is None or not any(t.strip() for t in texts):
            fallback = _pypdf_texts(reader)
            if texts is None or any(t.strip() for t in fallback):
                texts, analyzer = fallback, None
        facts.first_page_text = texts[0][:20_000]
        set_layout_facts(facts, texts, analyzer)
        facts.text = "\n".join(texts)[:MAX_TEXT_CHARS]
        set_text_spans(facts, texts, spans if analyzer is not None else None)
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError, RecursionError, AssertionError, IndexError) as exc:
        facts.pages = None
        reason = str(exc).strip() or type(exc).__name__
        facts.error = PdfProblem.of(Code.PDF_UNREADABLE, f"the PDF cannot be read (truncated or damaged): {reason[:200]}")
    except MemoryError:
        facts.pages = None
        facts.error = over_budget("memory")
    except Exception as exc:  # noqa: BLE001 - pypdf raises many things on garbage
        facts.pages = None
        facts.error = PdfProblem.of(Code.PDF_UNREADABLE, f"the PDF cannot be read: {type(exc).__name__}: {str(exc)[:200]}")
    if thumbs is not None and facts.ok:
        thumbs.put(sha256, png)
    return facts


def _megabytes(size: int) -> str:
    """Binary units, as `ls -lh` and `truncate -s 40G` count."""
    return f"{size / 1024**3:.1f} GB" if size >= 1024**3 else f"{size / 1024**2:.1f} MB"


def too_large(size: int) -> PdfProblem:
    """The error of a file over `PDF_MAX_BYTES`, refused from its size alone (never hashed nor read)."""
    return PdfProblem.of(Code.PDF_TOO_LARGE, f"the file is {_megabytes(size)}; PDFs larger than {PDF_MAX_BYTES // (1024 * 1024)} MB "
                                                "are not read (compress its images, or check it is the right file)")


def over_budget(kind: str, detail: str = "") -> PdfProblem:
    """The error of a PDF that its reader could not finish within a budget (``kind``: time, cpu, memory)."""
    what = {
        "time": f"took more than {PDF_WALL_SECONDS} s to read",
        "cpu": f"took more than {PDF_CPU_SECONDS} s of CPU time to read",
        "memory": f"needed more than {PDF_MEMORY_MB} MB of memory to read",
    }[kind]
    return PdfProblem.of(Code.PDF_TOO_COSTLY, f"the PDF {what} (damaged, or made to be hostile?{detail}); it is not published")
