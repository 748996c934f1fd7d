"""Camera-ready checks: is each paper's PDF ready to publish, and does it match its entry?

Uses the same cached PDF facts as ``build`` (``paper_problems`` is also what ``build``
prints). Read-only: never touches conf/ or papers/.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from enlsp_proceedings import paths
from enlsp_proceedings.model.codes import WAIVABLE, Code, Level, code_named
from enlsp_proceedings.model.load import ConfError, load_proceedings
from enlsp_proceedings.model.people import PARTICLES, PeopleIndex, assumed_family_names
from enlsp_proceedings.model.policy import PageRules, page_rules
from enlsp_proceedings.model.schema import UNKNOWN_AUTHORS, Paper, Proceedings, Workshop
from enlsp_proceedings.model.times import local_time
from enlsp_proceedings.pdf.active import describe_pdf
from enlsp_proceedings.pdf.extract import extract_all, print_progress
from enlsp_proceedings.pdf.facts import PaperPdf, PdfFacts, PdfProblem, WaivedProblem
from enlsp_proceedings.pdf.layout import INVISIBLE
from enlsp_proceedings.pdf.supplementary import Supplement, check_supplements
from enlsp_proceedings.util import latex
from enlsp_proceedings.util.files import partial_copies
from enlsp_proceedings.util.memo import load_memo, save_memo
from enlsp_proceedings.util.text import alike, compact, fold, one_letter_apart

#: Version of ``check --format json``. 1 (no ``version`` field): ``content_pages`` was where the
#: content ends, acknowledgments included whatever the policy. 2: ``content_pages`` is the figure
#: the page limit is judged on (the message's), ``content_ends_at`` where the content ends,
#: ``page_limit`` the paper's rules; notes (level "note", ``waived``) and their count.
CHECK_JSON_VERSION = 2


def problem_json(problem: PdfProblem) -> dict:
    """One problem as ``check --format json`` prints it; a waived one says what it was and why."""
    item: dict[str, object] = {"level": problem.level, "code": problem.code, "message": problem.message}
    if isinstance(problem, WaivedProblem):
        item["waived"] = {"level": problem.waived_level, "reason": problem.reason}
    return item


@dataclass
class PaperReport:
    """The check of one paper: its PDF, page counts and problems."""

    id: str
    pdf: str
    pages: int | None
    problems: list[PdfProblem] = field(default_factory=list)
    content_pages: float | None = None  # decimal pages of content as the page policy counts them (what the limit judges)
    content_ends_at: float | None = None  # where the content ends: decimal pages before the references and appendices
    rules: PageRules | None = None  # the page limit and policy this paper is judged by

    @property
    def status(self) -> str:
        """"error", "warning" or "ready", from the worst problem (notes leave a paper ready)."""
        if any(p.level == Level.ERROR for p in self.problems):
            return Level.ERROR.value
        return Level.WARNING.value if any(p.level == Level.WARNING for p in self.problems) else "ready"

    def as_json(self) -> dict:
        """This report as ``check --format json`` prints it."""
        return {"id": self.id, "pdf": self.pdf, "pages": self.pages, "content_pages": self.content_pages,
                "content_ends_at": self.content_ends_at, "page_limit": self.rules.as_json() if self.rules else None,
                "problems": [problem_json(p) for p in self.problems]}


@dataclass
class CheckReport:
    """The check of a whole volume: every paper's report and the problems across papers."""

    papers: list[PaperReport]
    general: list[PdfProblem] = field(default_factory=list)  # metadata and across-papers problems
    #: the section pages the site does not have yet: no problem, what is still to import
    not_on_site: list[MissingSection] = field(default_factory=list)

    def count(self, level: Level) -> int:
        """The number of problems of this level ("error", "warning" or "note")."""
        return sum(p.level == level for r in self.papers for p in r.problems) + sum(p.level == level for p in self.general)

    def as_json(self) -> dict:
        """This report as ``check --format json`` prints it."""
        return {
            "version": CHECK_JSON_VERSION,
            "papers": [r.as_json() for r in self.papers],
            "problems": [problem_json(p) for p in self.general],
            "errors": self.count(Level.ERROR),
            "warnings": self.count(Level.WARNING),
            "notes": self.count(Level.NOTE),
            "not_on_site": [m._asdict() for m in self.not_on_site],
        }


def printable(text: str) -> str:
    """``text`` safe to show in a terminal and as UTF-8: bytes of a file name that are not UTF-8
    become ``\xff``, control and invisible characters (ESC, newline, bidi overrides) ``\x1b``,
    ``\n``, ``\u202e``."""
    if text.isprintable():
        return text
    text = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)


def _dehyphenate(text: str) -> str:
    return re.sub(r"(\w)-[ \t]*\n\s*(\w)", r"\1\2", text)


def _normalize(text: str) -> str:
    """Compare texts the way a reader would: ignore case, accents, hyphenation, spacing, punctuation
    (`util.text.compact`, after joining the words a PDF hyphenated at a line break)."""
    return compact(_dehyphenate(text))


def _letters(text: str) -> list[str]:
    """The folded words of ``text``, letters only (digits and punctuation split words, unlike `util.text.compact`)."""
    return re.findall(r"[^\W\d_]+", fold(text))


#: Words of affiliations and addresses, never of a person's name (for authors on page 1 missing from the metadata).
_NOT_NAME_WORDS = set("""
university universitat universite universidad universita institute institut instituto college school department dept
faculty laboratory laboratories lab labs research center centre centro group inc ltd llc corp corporation company
technology technologies science sciences engineering computer computing informatics national international academy
foundation hospital ai ml nlp google deepmind amazon microsoft meta facebook apple ibm intel nvidia huawei samsung
alibaba baidu tencent bytedance noah ark canada usa china india japan korea germany france uk united states kingdom
america new york san francisco diego jose los angeles seattle toronto montreal vancouver waterloo beijing shanghai
hong kong singapore london paris berlin tokyo seoul city state province street road avenue email abstract
preprint conference workshop proceedings neural information processing systems neurips equal contribution
correspondence corresponding author authors anonymous affiliation address and the of for on in at with via
""".split())
_AFFILIATION_WORDS = set("university universitat universite universidad universita institute institut instituto college school "
                         "department dept faculty laboratory laboratories lab labs research center centre inc ltd llc corp".split())
_NAME_WORD = re.compile(r"^(?:[A-Z][a-z]?\.|[A-Z][^\W\d_]*(?:[-'’][A-Z]?[^\W\d_]+)*|[a-z]{1,4})$")


def _printable(text: str) -> str:
    """PDF text for a message: one line, no control or format characters."""
    return " ".join(INVISIBLE.sub("", text).split())


def _words(text: str) -> list[str]:
    """Words as printed (initials keep their dot), without marks: "Alice Chen1,2∗" -> ["Alice", "Chen"]."""
    return re.findall(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*\.?", text)


def _key(word: str) -> str:
    """One printed name word folded, without the hyphen, apostrophe or initial's dot it may carry
    ("O’Neil" -> "oneil", "A." -> "a"): a `_words` word has no other punctuation (`util.text.compact` is for whole texts)."""
    return re.sub(r"[-'’.]", "", fold(word))


def _parts(words: list[str]) -> list[str]:
    """Hyphenated names as their parts, folded: ["Schoenauer-Sebag"] -> ["schoenauer", "sebag"]."""
    return [_key(p) for w in words for p in re.split(r"[-'’]", w.rstrip(".")) if p]


def _family_words(person) -> list[str]:
    if person.family:
        return person.family.split()
    words = person.name.split()
    family = [words[-1]]
    for word in reversed(words[:-1]):
        if word.lower() in PARTICLES:
            family.insert(0, word)
        else:
            break
    return family


def _given_agree(metadata: list[str], printed: list[str]) -> bool:
    """Given names that differ at most by middle initials ("Monica N" / "Monica", "Harjeet S" / "Harjeet Singh"),
    or by names one side leaves out (`_given_left_out`)."""
    if not metadata or not printed:
        return False
    if "".join(map(_key, metadata)) == "".join(map(_key, printed)):  # "Yi-Ke" / "Yike"
        return True
    if _key(metadata[0]) == _key(printed[0]):
        full_a = [_key(w) for w in metadata[1:] if len(w.rstrip(".")) > 1]
        full_b = [_key(w) for w in printed[1:] if len(w.rstrip(".")) > 1]
        initials_a = {_key(w)[0] for w in metadata[1:] if _key(w)}
        initials_b = {_key(w)[0] for w in printed[1:] if _key(w)}
        if all(w in full_b or w[0] in initials_b for w in full_a) and all(w in full_a or w[0] in initials_a for w in full_b):
            return True
    return _given_left_out(metadata, printed)


def _given_left_out(metadata: list[str], printed: list[str]) -> bool:
    """One side's given names are the other's with some left out, in order ("Iman" / "Seyed Iman",
    "Manas" / "Manas Ranjan", "Rao Muhammad" / "Rao"): the same person, who goes by fewer names.
    The shorter side is whole names only (an initial is "A. Rock", a variant)."""
    a, b = [_key(w) for w in metadata if _key(w)], [_key(w) for w in printed if _key(w)]
    short, long = sorted((a, b), key=len)
    if not short or len(short) == len(long) or any(len(w) < 2 for w in short):
        return False
    rest = iter(long)
    return all(w in rest for w in short)


def _close(a: str, b: str) -> bool:
    """One letter apart (a typo: "Emani" for "Emami"), for names of five letters or more."""
    return min(len(a), len(b)) >= 5 and one_letter_apart(a, b)


#: Given names that say there is none: the US convention for a person with one name ("FNU Devvrit":
#: first name unknown; "NFN": no first name). Such a person's page 1 prints the one name alone.
_NO_GIVEN_NAME = {"fnu", "nfn", "lnu"}


_SEPARATORS = re.compile(r"[,;&*∗†‡§¶⋆★♠♣♥♦\d()\[\]{}|/:@]+|\s(?:and|AND)\s|\s{2,}")


def _chunks(lines: list[str]) -> list[list[str]]:
    """Each line cut at commas, "and", footnote marks and digits: the pieces that may each be one name."""
    return [words for line in lines for piece in _SEPARATORS.split(line) if (words := _words(piece))]


def _find_author(person, lines: list[str]) -> tuple[str, str | None]:
    """("found", None), ("variant", as printed) or ("missing", None) for one metadata author in the author block.

    Found: the name's words in order (or family name first), also across a line break, middle
    initials aside. A variant: the family name with another given name or only initials
    ("A. Rock" or "Andy Rock" for "Andrew Rock"), the given name with the family name one letter
    off or shortened ("Emani", "Núñez" for "Núñez-Fernández"). An initial alone is never a match.
    """
    name_words = _words(person.name)
    family = [w for f in _family_words(person) for w in _words(f)]
    given = name_words[: len(name_words) - len(family)] if name_words[-len(family):] == family else [w for w in name_words if w not in family]
    family_parts = _parts(family)
    flat = _parts([w for line in lines for w in _words(line)])
    for seq in (_parts(name_words), family_parts + _parts(given)):
        if any(flat[i:i + len(seq)] == seq for i in range(len(flat) - len(seq) + 1)):
            return "found", None
        joined = "".join(seq)  # "Partovinia" for "Partovi Nia": the letters, from a word's start to a word's end
        for i in range(len(flat)):
            letters = ""
            for word in flat[i:]:
                letters += word
                if not joined.startswith(letters):
                    break
                if letters == joined:
                    return "found", None
    chunks = _chunks(lines)
    variant = None
    for chunk in chunks:
        keys = _parts(chunk)
        starts = [0]  # where each of the chunk's words begins in keys
        for word in chunk[:-1]:
            starts.append(starts[-1] + len(_parts([word])))
        for i in range(len(keys) - len(family_parts) + 1):
            if keys[i:i + len(family_parts)] != family_parts:
                continue
            before = [w for w, start in zip(chunk, starts, strict=True) if start < i and _parts([w])]
            swapped = [w for w in chunk if _parts([w]) and _parts([w])[0] not in family_parts] if i == 0 else []
            # names printed side by side with no comma between them: the words just before the family name
            candidates = [before[-k:] for k in range(1, min(len(before), len(given) + 1) + 1)] + [swapped]
            if given and any(c and _given_agree(given, c) for c in candidates):
                return "found", None
            if before and given and variant is None:
                variant = " ".join(before[-max(1, len(given)):] + family)
    if variant is not None:
        return "variant", variant
    return _near_miss(name_words, given, family, chunks)


def _near_miss(name_words: list[str], given: list[str], family: list[str], chunks: list[list[str]]) -> tuple[str, str | None]:
    """("variant", as printed) for a name printed with its family name a little off ("Zhou" for "Zou",
    "Lakashman" for "Lakshmanan"), only part of a double family name, its first names without the
    last ones ("Mohamed Nabih Ali" for "Mohamed Nabih Ali Mohamed Nawar"), or the family name alone
    (a mononym: "Devvrit" for "Fnu Devvrit"); else ("missing", None)."""
    family_parts = _parts(family)
    if given:  # the given name followed by a family name a little off, or only part of a double family name
        for chunk in chunks:
            for i, word in enumerate(chunk[:-1]):
                if _key(word) != _key(given[0]):
                    continue
                rest = chunk[i + 1:]
                following = [w for w in rest if len(w.rstrip(".")) > 1][:len(family)]
                if not following:
                    continue
                printed_family = _parts(following)
                # after the very given name, a family name a typo away or as alike as "Zhou" and "Zou" (`util.text.alike`)
                if (len(printed_family) == len(family_parts) and all(a == b or _close(a, b) or (len(_key(word)) > 1 and min(len(a), len(b)) >= 3 and alike(a, b))
                                                                        for a, b in zip(printed_family, family_parts, strict=True))) or (
                        printed_family and printed_family[0] == family_parts[0] and len(family_parts) > 1):
                    return "variant", " ".join(chunk[i:i + 1 + rest.index(following[-1]) + 1])
    keys = _parts(name_words)
    for chunk in chunks:
        printed = _parts(chunk)
        if len(keys) >= 3 and 2 <= len(printed) < len(keys) and keys[:len(printed)] == printed and all(len(k) > 1 for k in printed):
            return "variant", " ".join(chunk)  # the whole of a piece: the name's first words, the rest left out
        if printed == family_parts and given and all(_key(w) in _NO_GIVEN_NAME for w in given):
            return "variant", " ".join(chunk)
    return "missing", None


def _block_lines(author_block: list, title: str) -> list[tuple[str, tuple]]:
    """The author block's lines (text, style) without the title's lines."""
    title_key = _normalize(title)
    lines = []
    for item in author_block:
        try:
            text, size, bold = str(item[0]), float(item[1]), bool(item[2])
        except (TypeError, ValueError, IndexError):
            continue
        key = _normalize(text)
        if key and not (title_key and key in title_key):
            lines.append((_dehyphenate(text), (round(size), bold)))
    return lines


def _without(chunk: list[str], known_words: set[str]) -> list[list[str]]:
    """The runs of a chunk's words left between known names ("Leonard Lausen Sheng Zha" without
    Sheng Zha: ["Leonard", "Lausen"]); a chunk of up to four words stays whole."""
    if len(chunk) <= 4:
        return [chunk]
    runs: list[list[str]] = [[]]
    for word in chunk:
        if _key(word) in known_words and len(_key(word)) > 1:
            runs.append([])
        else:
            runs[-1].append(word)
    return [run for run in runs if run]


def common_words(text: str) -> set[str]:
    """The words a paper writes in lower case somewhere in its text ("project", "equal"): words of its
    language, not names (a person's name is capitalized wherever it is written)."""
    return set(re.findall(r"(?<![\w-])[a-z]{2,}(?![\w-])", text))


def _is_label(words: list[str], text: str, common: set[str]) -> bool:
    """Capitalized words that are a label, not a person: followed by a colon or an address ("Project
    URL: https://…", "Code https://…"), or all of them words the paper writes in lower case elsewhere
    or short acronyms, one at least a word ("Project URL", "Equal Contribution")."""
    pattern = r"\W+".join(map(re.escape, words))
    if re.search(pattern + r"\W{0,3}(?::|https?://|www\.|\S+\.(?:com|org|io|net|edu|ai)\b)", text):
        return True
    keys = [_key(w) for w in words]
    is_word = [k in common for k in keys]
    acronym = [w.isupper() and 2 <= len(w) <= 5 for w in words]
    return any(is_word) and all(a or b for a, b in zip(is_word, acronym, strict=True))


def _printed_names(lines: Sequence[tuple[str, tuple | None]], styles: set, known: list[str], common: set[str] | None = None) -> list[str]:
    """Person names printed in the author block, in the style of the authors' names found there,
    that are not in ``known`` (the metadata's names and affiliations) nor labels (`_is_label`, with
    ``common`` the paper's lower-case words)."""
    known_words = {_key(w) for k in known for w in _words(k)}
    found = []
    for text, style in lines:
        if style not in styles:
            continue
        for words in (run for chunk in _chunks([text]) for run in _without(chunk, known_words)):
            if not 2 <= len(words) <= 4 or not all(_NAME_WORD.match(w) for w in words):
                continue
            if not words[0][0].isupper() or not words[-1][0].isupper() or len(words[-1].rstrip(".")) < 2:
                continue
            keys = [_key(w) for w in words]
            if any(k in _NOT_NAME_WORDS for k in keys) or any(k in known_words for k in keys if len(k) > 1):
                continue
            if _is_label(words, text, common or set()):
                continue
            name = " ".join(words)
            if name not in found:
                found.append(name)
    return found


#: Bump when the page-1 checks change what they report (invalidates `FirstPageMemo`).
FIRST_PAGE_CHECKS_VERSION = 4


def first_page_problems(paper: Paper, facts: PdfFacts) -> list[PdfProblem]:
    """Does page 1 carry text, the paper's title and its authors (both ways)? Neither title nor any
    author: the file is another paper's (``pdf-wrong-file``, an error)."""
    first_page = _dehyphenate(facts.first_page_text)
    if not _normalize(first_page):
        return [PdfProblem.of(Code.PDF_NO_TEXT, "page 1 has no extractable text (scanned, or fonts converted to outlines?)")]
    problems = []
    title_found = _normalize(paper.title) in _normalize(first_page)
    anonymous = any(_anonymous_mark(mark) for mark in facts.review_marks) and not names_its_authors(paper, facts)
    styled = _block_lines(facts.author_block, paper.title) if facts.author_block else [(line, None) for line in first_page.splitlines()]
    lines = [text for text, _style in styled]
    found = variants = 0
    missing = []
    styles = set()
    if paper.authors and not anonymous:
        for person in paper.authors:
            result, printed = _find_author(person, lines)
            if result == "found":
                found += 1
                styles |= {style for text, style in styled if style is not None and _find_author(person, [text])[0] == "found"}
            elif result == "variant":
                variants += 1
                problems.append(PdfProblem.of(Code.PDF_AUTHOR_VARIANT, f"page 1 has {printed!r}, the metadata {person.name!r}"))
            else:
                missing.append(person.name)
    if not title_found and paper.authors and not found and not variants:
        return [PdfProblem.of(Code.PDF_WRONG_FILE,
                              f"page 1 shows neither the title {paper.title!r} nor any of its authors: is this another paper's PDF?"
                              + (f" (page 1 begins: {_printable(first_page)[:120]!r})" if first_page.strip() else ""),
        )]
    if not title_found:
        problems.append(PdfProblem.of(Code.PDF_TITLE_MISMATCH, f"page 1 does not show the title in conf/papers.yaml: {paper.title!r}"))
    for name in missing:
        problems.append(PdfProblem.of(Code.PDF_AUTHOR_MISSING, f"page 1 does not list {name}, an author in conf/papers.yaml"))
    if anonymous:
        if not paper.authors:  # nothing to compare either way: the site shows no authors
            problems.append(_authors_unchecked("; page 1 names none either"))
        return problems
    known = [p.name for p in paper.authors] + [p.affiliation or "" for p in paper.authors] + missing
    if not paper.authors:  # the style of names is unknown: candidates from bold lines
        styles = {style for _text, style in styled if style is not None and style[1]}
    for text, style in styled:  # a style that affiliations or addresses share is not the names' own
        if style in styles and ("@" in text or any(_key(w) in _AFFILIATION_WORDS for w in _words(text))):
            styles.discard(style)
    extra = _printed_names(styled, styles, known, common_words(facts.text)) if facts.author_block else []
    if not paper.authors:
        problems.append(_authors_unchecked(f"; page 1 lists {', '.join(extra)}" if extra else ""))
        return problems
    for name in extra:
        problems.append(PdfProblem.of(Code.PDF_AUTHOR_EXTRA, f"page 1 lists {name}, who is not in the metadata"))
    problems += affiliation_problems(paper, facts, styled, styles)
    return problems


#: Words any institution's name may have: they tell none apart ("University of Toronto" is told by "toronto").
_GENERIC_AFFILIATION = set("""
university universitat universite universidad universita universidade institute institut instituto college school department
dept faculty laboratory laboratories lab labs research center centre inc ltd llc corp corporation company co gmbh technology
technologies science sciences national international engineering group team independent researcher and the of for at in on
de da di del der des la le du et y und computer computing studies
""".split())
_JOINING = {"and", "the", "of", "for", "at", "in", "on", "de", "da", "di", "del", "der", "des", "la", "le", "du", "et", "y", "und"}


def _abbreviates(short: str, words: list[str]) -> bool:
    """Whether ``short`` abbreviates at least two consecutive ``words``: each word but a joining one
    gives some of its letters in order, its first one first ("aws": Amazon Web Services, "udem":
    Université de Montréal, "mbzuai": Mohamed bin Zayed University of Artificial Intelligence,
    "amex": American Express, "umd": University of Maryland)."""
    @functools.cache
    def takes(i: int, j: int, end: int) -> bool:  # short[i:] from words[j:end], every word used
        if j == end:
            return i == len(short)
        word = words[j]
        if word in _JOINING and takes(i, j + 1, end):
            return True
        if i == len(short) or short[i] != word[0]:
            return False
        k, taken = i + 1, 1  # the first letter, then any of the word's later letters in order
        if takes(k, j + 1, end):
            return True
        for letter in word[1:]:
            if k < len(short) and short[k] == letter:
                k += 1
                taken += 1
                if takes(k, j + 1, end):
                    return True
        return False

    return len(short) >= 2 and any(takes(0, j, end) for j in range(len(words)) for end in range(j + 2, min(len(words), j + len(short) + 3) + 1))


def _affiliation_named(affiliation: str, words: set[str], domains: list[str], phrases: list[list[str]]) -> bool:
    """Whether page 1 names the institution: one of its telling words among page 1's words or e-mail
    domains ("toronto" in "utoronto.ca"), or one side abbreviating the other ("UCL" and "University
    College London", "Amazon Web Services" and "AWS": `_abbreviates`). An affiliation of generic
    words only ("Independent Researcher") cannot be told: named."""
    folded = re.findall(r"[^\W_]+", fold(affiliation))
    telling = [w for w in folded if w not in _GENERIC_AFFILIATION and len(w) >= 3 and not w.isdigit()]
    if not telling:
        return True
    if any(w in words or any(w in d for d in domains if len(w) >= 4) for w in telling):
        return True
    shorts = {w for w in words if 2 <= len(w) <= 8} | {p for d in domains for p in d.split(".")}
    if any(_abbreviates(w, folded) for w in shorts if len(w) >= 3):
        return True
    return any(_abbreviates(w, phrase) for w in folded if 2 <= len(w) <= 8 for phrase in phrases)


def affiliation_problems(paper: Paper, facts: PdfFacts, styled: Sequence[tuple[str, tuple | None]], styles: set) -> list[PdfProblem]:
    """Each author's affiliation in the metadata against page 1 (``pdf-affiliation-mismatch``, a warning
    naming both): only when page 1 names none of it anywhere (author block, e-mail addresses, foot
    notes; abbreviations, initials and addresses count) and does name institutions, in lines set
    apart from the authors' names. A page 1 that names no institution, or whose names and
    affiliations share one style, is not compared."""
    if not paper.authors or not styles:
        return []
    texts = [text for text, _style in styled] + list(facts.first_page_notes)
    words = {w for text in texts for w in re.findall(r"[^\W_]+", fold(text))}
    domains = [d for text in texts for d in re.findall(r"@\s*([\w.-]+)", fold(text))]
    phrases = [re.findall(r"[^\W_]+", fold(piece)) for text in texts for piece in re.split(r"[,;()\d∗*†‡§¶⋆]+", text)]
    family = {_key(w) for person in paper.authors for w in _family_words(person)}
    title_size = max((item[1] for item in facts.author_block if isinstance(item, list) and len(item) > 1 and isinstance(item[1], (int, float))), default=None)
    institutions = []
    for text, style in styled:
        if style in styles or "@" in text or style is None or (title_size and style[0] == round(title_size)):
            continue  # the names' lines, addresses, the title
        if family & {_key(w) for w in _words(text)} or not any(w[:1].isupper() for w in _words(text)):
            continue  # a line of names in another style, an address broken over lines
        line = re.sub(r"^[\W\d_]+|[\W\d_]+$", "", _SEPARATORS.sub(lambda m: " " if m[0].strip() else m[0], text)).strip()
        line = " ".join(line.split())
        if line and any(c.isalpha() for c in line) and line not in institutions:
            institutions.append(line)
    if not institutions:
        return []
    problems = []
    for person in paper.authors:
        if person.affiliation and not _affiliation_named(person.affiliation, words, domains, phrases):
            shown = "; ".join(_printable(i) for i in institutions[:3]) + ("; …" if len(institutions) > 3 else "")
            problems.append(PdfProblem.of(Code.PDF_AFFILIATION_MISMATCH,
                                          f"page 1 does not name {person.affiliation!r}, {person.name}'s affiliation in the metadata; "
                                          f"its affiliations read {shown!r}"))
    return problems


def _authors_unchecked(page_one: str) -> PdfProblem:
    return PdfProblem.of(Code.PDF_AUTHORS_UNCHECKED,
                         f"conf/papers.yaml lists no authors for this paper, so the site shows {UNKNOWN_AUTHORS!r} and page 1 was not compared"
                         f"{page_one} (authors: send the organizers your author list)")


class FirstPageMemo:
    """`first_page_problems` remembered per (PDF content, title, author names) in the cache:
    comparing 1,000 first pages took 0.2 s of every rebuild."""

    def __init__(self, cache_dir: Path):
        self.path = Path(cache_dir) / "first-page-checks.json"
        known = load_memo(self.path)
        self.known: dict[str, list] = known if isinstance(known, dict) else {}
        self.used: dict[str, list] = {}
        #: the key of each check asked for, in order (`publish.settled`: those of one edition)
        self.order: list[str] = []

    def problems(self, paper: Paper, facts: PdfFacts) -> list[PdfProblem]:
        """The first-page problems of this paper's PDF, remembered or computed now."""
        blob = json.dumps([FIRST_PAGE_CHECKS_VERSION, facts.sha256, facts.version, paper.title, [[a.name, a.family, a.affiliation] for a in paper.authors]], ensure_ascii=False)
        key = hashlib.sha256(blob.encode()).hexdigest()[:32]
        saved = self.known.get(key)
        try:
            found = [PdfProblem(Level(item[0]), *item[1:]) for item in saved] if isinstance(saved, list) else None
        except (TypeError, ValueError, IndexError):
            found = None
        if found is None:
            found = first_page_problems(paper, facts)
        self.used[key] = [[p.level, p.code, p.message] for p in found]
        self.order.append(key)
        return found

    def keep(self, keys: list[str]) -> None:
        """Keep these checks remembered, though not asked for (an edition this build did not check again)."""
        for key in keys:
            if key in self.known:
                self.used[key] = self.known[key]

    def save(self) -> None:
        """Write the memo to the cache (skipped quietly when the cache cannot be written)."""
        if self.used != self.known:
            save_memo(self.path, self.used)


def _rules_of(rules: Workshop | int | PageRules, paper: Paper | None = None) -> PageRules:
    """The page rules a paper is judged by: ``rules`` itself, a workshop's for ``paper`` (`policy.page_rules`),
    or a bare page limit with the default policy."""
    if isinstance(rules, PageRules):
        return rules
    if isinstance(rules, Workshop):
        return page_rules(rules, paper)
    return PageRules(int(rules))


def _pages(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))


#: Pages of content within a limit: 4.004 is 4 (the measure is a hundredth of a page at best).
_SLACK = 0.005


@dataclass(frozen=True)
class ContentLength:
    """One PDF's content measured under one paper's page rules: what the page-limit messages and
    ``content_pages`` both give, so the number and the message never disagree."""

    ends_at: float  # where the content ends, in decimal pages (`PdfFacts.body_pages`)
    counted: float  # pages of content as the policy counts them (acknowledgments left out when they do not count)
    acknowledgments: float = 0.0  # pages of acknowledgments not counted


def content_length(facts: PdfFacts, rules: Workshop | int | PageRules) -> ContentLength | None:
    """How long the content of ``facts`` is under ``rules`` (None without a readable PDF)."""
    content = facts.body_pages
    if content is None:
        return None
    policy = _rules_of(rules).policy
    if not policy.acknowledgments_count and facts.acknowledgments:
        start, end = facts.acknowledgments
        return ContentLength(content, round(content - (end - start), 2), end - start)
    return ContentLength(content, content)


def _where(facts: PdfFacts) -> str:
    if facts.end_heading:
        return f"{facts.end_heading!r} begins on page {facts.references_page}"
    return "no References, appendix or reference list found"


def _allowed(rules: PageRules) -> str:
    extra = rules.policy.extra_camera_ready_pages
    return f"{rules.page_limit} + {_pages(extra)} for the camera-ready" if extra else str(rules.page_limit)


def length_problems(facts: PdfFacts, rules: Workshop | int | PageRules) -> list[PdfProblem]:
    """The content (decimal pages before the first References / appendix heading) against the page limit and policy."""
    rules = _rules_of(rules)
    length = content_length(facts, rules)
    if length is None or length.counted <= rules.allowed + _SLACK:
        return []
    notes = [f"{_pages(length.acknowledgments)} of acknowledgments not counted"] if length.acknowledgments else []
    return [PdfProblem.of(
        Code.PDF_OVER_LIMIT,
        f"{_pages(length.counted)} pages of content, the limit is {_allowed(rules)}{rules.whose} ({_where(facts)}; "
        + "; ".join([*notes, f"{facts.pages} pages in all"]) + ")",
        Level(rules.policy.over_limit),  # the workshop's page policy says how much it matters
    )]


def length_notes(facts: PdfFacts, rules: Workshop | int | PageRules) -> list[PdfProblem]:
    """A note when the page policy, not the content, keeps a paper within its limit: its content ends past
    ``page_limit`` but the acknowledgments do not count, or the camera-ready may have extra pages."""
    rules = _rules_of(rules)
    length = content_length(facts, rules)
    if length is None or length.ends_at <= rules.page_limit + _SLACK or length.counted > rules.allowed + _SLACK:
        return []
    reasons = []
    if length.acknowledgments:
        one = length.acknowledgments <= 1
        reasons.append(f"{_pages(length.acknowledgments)} page{'' if one else 's'} of acknowledgments {'is' if one else 'are'} not counted")
    if length.counted > rules.page_limit + _SLACK:
        extra = rules.policy.extra_camera_ready_pages
        reasons.append(f"the camera-ready may have {_pages(extra)} extra page{'s' if extra != 1 else ''}")
    return [PdfProblem.of(Code.PDF_WITHIN_LIMIT_BY_POLICY,
                          f"within the limit: the content ends at {_pages(length.ends_at)} pages ({_where(facts)}); " + " and ".join(reasons)
                          + f", so it counts {_pages(length.counted)} pages against the limit of {_allowed(rules)}{rules.whose}",
    )]


def active_content_problems(facts: PdfFacts) -> list[PdfProblem]:
    """A warning when the PDF holds JavaScript, a Launch action or embedded files (`active.pdf_active_content`)."""
    if not facts.active_content:
        return []
    return [PdfProblem.of(Code.PDF_ACTIVE_CONTENT, describe_pdf(facts.active_content))]


def names_its_authors(paper: Paper, facts: PdfFacts) -> bool:
    """Whether page 1's author block prints at least one of the paper's authors (as written, or as a
    variant): a page 1 that names its authors is no anonymized copy, whatever else it kept."""
    if not paper.authors or not facts.author_block:
        return False
    lines = [text for text, _style in _block_lines(facts.author_block, paper.title)]
    return any(_find_author(person, lines)[0] != "missing" for person in paper.authors)


def _anonymous_mark(mark: str) -> bool:
    return mark.startswith("page 1 names")


def leftover_problems(marks: list[str]) -> list[PdfProblem]:
    """A review copy's marks left on a camera-ready whose page 1 names its authors: warnings, and the
    PDF is published (it is no review copy). The submission's notice ("Submitted to … Do not
    distribute", "Confidential Review Copy"): ``pdf-submission-notice``; margin line numbers:
    ``pdf-line-numbers``."""
    problems = []
    for mark in marks:
        if mark.startswith("page 1 says"):
            problems.append(PdfProblem.of(Code.PDF_SUBMISSION_NOTICE,
                                          f"page 1 names its authors but kept the submission's notice ({mark[len('page 1 says '):]}): "
                                          "a camera-ready made from the submission's file; published, but the notice should go"))
        elif "line numbers" in mark:
            problems.append(PdfProblem.of(Code.PDF_LINE_NUMBERS,
                                          f"page 1 names its authors but {mark}: a camera-ready set in the submission's format; "
                                          "published, but the line numbers should go"))
    return problems


def review_copy_problems(paper: Paper, facts: PdfFacts) -> list[PdfProblem]:
    """The anonymized submission uploaded as the camera-ready: an error (not published), or, when
    the organizers set ``publish_review_copy``, a warning (published with their note). A page 1 that
    prints the paper's authors is not anonymized: what it kept of a review copy is only a warning
    (`leftover_problems`)."""
    if not facts.review_marks:
        return []
    if names_its_authors(paper, facts):
        return leftover_problems([m for m in facts.review_marks if not _anonymous_mark(m)])
    evidence = "; ".join(facts.review_marks)
    if all(mark.startswith("page 1 names") for mark in facts.review_marks):
        # an anonymous byline alone, set in the final style (no line numbers, no "Submitted to ... Do
        # not distribute"): the authors' camera-ready, anonymized; published, the authors come from conf/
        shown = "the authors of conf/papers.yaml" if paper.authors else f"{UNKNOWN_AUTHORS!r} (conf/papers.yaml names no authors either)"
        return [PdfProblem.of(Code.PDF_ANONYMOUS_CAMERA_READY,
                              f"{evidence}, but it has none of a review copy's marks (line numbers, a submission notice): "
                              f"an anonymized camera-ready, published; the site shows {shown}")]
    if paper.publish_review_copy:
        return [PdfProblem.of(Code.PDF_REVIEW_COPY_PUBLISHED,
                              f"this is the anonymized review copy ({evidence}); published anyway with the note in publish_review_copy")]
    return [PdfProblem.of(Code.PDF_REVIEW_COPY, f"this is the anonymized review copy, not the camera-ready ({evidence})")]


#: A footnote's mark at a line's start: a symbol, or a number standing alone ("1 https://...", not "37th").
_NOTE_MARK = re.compile(r"^(?:[∗*†‡§¶⋆★♠♣♥♦+]|\d{1,2}(?=\s))")
#: Words of a venue notice ("37th Conference on ...", "Workshop on ...", "Preprint. Under review.", "Appears in ...").
_EVENT = re.compile(r"\b(?:conference|workshop|symposium|proceedings|findings|preprint|under\s+review|submitted\s+to|appears?\s+in"
                    r"|accepted\s+(?:at|to|by)|published\s+(?:at|in|by)|to\s+appear)\b", re.IGNORECASE)
_ORDINAL = re.compile(r"^(?:\d+(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|[ivxl]+|\d+)$")
_TOPIC_STOP = {"the", "a", "an", "of", "on", "in", "for", "and", "at", "to", "with", "workshop", "workshops", "international", "annual"}


def venue_notices(notes: list[str]) -> list[str]:
    """The venue notices among page 1's foot notes (`PdfFacts.first_page_notes`): the unmarked notes that
    name an event ("37th Conference on Neural Information Processing Systems (NeurIPS 2023).", "Preprint.
    Under review."), a notice's continuation lines joined to it; the authors' marked notes are left out."""
    notices: list[str] = []
    current: str | None = None
    for line in notes:
        if current is not None and not _NOTE_MARK.match(line) and not re.search(r"[.!?]$", current):
            current = current[:-1] + line if current.endswith("-") and line[:1].islower() else f"{current} {line}"
            notices[-1] = current
        elif not _NOTE_MARK.match(line) and _EVENT.search(line):
            current = line
            notices.append(current)
        else:
            current = None
    return notices


def _workshop_names(workshop: Workshop) -> tuple[list[str], set[str]]:
    """(the words of the workshop's topic, its acronyms), from workshop.yaml: the title without its
    ordinal and "Workshop on" ("The 2nd Workshop on Tiny Models" -> "tiny models"), and the letters of
    the short name without its edition ("TM" of "TM-II") and the topic's initials, as folded words."""
    topic = [w for w in _letters_and_ordinals(workshop.title) if w not in _TOPIC_STOP and not _ORDINAL.match(w)]
    acronyms = {w for w in _letters_and_ordinals(workshop.short_name) if len(w) >= 3 and not _ORDINAL.match(w)}
    initials = "".join(w[0] for w in topic if w not in {"and", "or"})
    if len(initials) >= 3:
        acronyms.add(initials)
    return topic, acronyms


def _letters_and_ordinals(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", fold(text))


def _names_workshop(notice: str, workshop: Workshop) -> bool:
    """Whether a notice names this workshop: its acronym as a word, or most of its topic's words."""
    words = set(_letters_and_ordinals(notice))
    topic, acronyms = _workshop_names(workshop)
    if acronyms & words:
        return True
    return bool(topic) and sum(w in words for w in set(topic)) >= max(len(set(topic)) - 1, 0.75 * len(set(topic)), 1)


def footer_problems(facts: PdfFacts, workshop: Workshop) -> list[PdfProblem]:
    """Page 1's venue notice (the footer NeurIPS-style templates print) against the workshop: a notice that
    names the main conference and not the workshop (``pdf-main-conference-footer``), another workshop or
    venue (``pdf-other-venue-footer``), or a preprint (``pdf-preprint-footer``): warnings. Whether it
    names this workshop comes from workshop.yaml (`_names_workshop`), the main conference from the
    notice's own structure ("Conference on …") and the workshop's ``venue``. No notice: nothing to say.
    A submission's notice ("Submitted to … Do not distribute") is the review-copy checks' to judge."""
    notices = [n for n in venue_notices(facts.first_page_notes) if not re.search(r"\bsubmitted\s+to\b", n, re.IGNORECASE)]
    if not notices or any(_names_workshop(n, workshop) for n in notices):
        return []
    notice = notices[-1]
    shown = _printable(notice)[:200]
    words = set(_letters_and_ordinals(notice))
    venue = {w for w in _letters_and_ordinals(workshop.venue) if not w.isdigit()}
    if re.search(r"\bpreprint\b|\bunder\s+review\b", notice, re.IGNORECASE):
        return [PdfProblem.of(Code.PDF_PREPRINT_FOOTER, f"page 1's footer is a preprint's ({shown!r}), not the workshop's")]
    if "workshop" not in words and ("conference" in words or venue & words):
        years = sorted(set(re.findall(r"\b(?:19|20)\d\d\b", notice)) - {str(workshop.year)})
        other_year = f", of {years[0]}" if years and str(workshop.year) not in notice else ""
        return [PdfProblem.of(Code.PDF_MAIN_CONFERENCE_FOOTER,
                              f"page 1's footer names the main conference{other_year} ({shown!r}), not the workshop: "
                              f"the authors kept the conference's camera-ready notice")]
    return [PdfProblem.of(Code.PDF_OTHER_VENUE_FOOTER, f"page 1's footer names another venue ({shown!r}), not the workshop")]


#: Problems that keep a PDF off the site (``build`` publishes the paper as pending).
UNPUBLISHABLE = frozenset({Code.PDF_REVIEW_COPY.value, Code.PDF_WRONG_FILE.value})


def paper_problems(paper: Paper, entry: PaperPdf, rules: Workshop | int | PageRules, missing_level: Level = Level.ERROR,
                   memo: FirstPageMemo | None = None) -> list[PdfProblem]:
    """Everything wrong with one paper's camera-ready (shared by ``check`` and ``build``), and notes
    that explain a pass (level "note").

    ``rules`` is the workshop (the paper's limit and policy are found in it: `policy.page_rules`),
    the paper's `PageRules`, or a bare page limit.
    """
    problems = []
    for problem in entry.problems:
        if problem.code == Code.PDF_MISSING:
            problems.append(PdfProblem(missing_level, problem.code, problem.message))
        else:
            problems.append(problem)
    facts = entry.facts
    if facts is None or not facts.ok:
        return problems
    workshop = rules if isinstance(rules, Workshop) else None  # the footer is judged against the workshop's names
    rules = _rules_of(rules, paper)
    problems += review_copy_problems(paper, facts)
    if workshop is not None:
        problems += footer_problems(facts, workshop)
    problems += length_problems(facts, rules)
    problems += length_notes(facts, rules)
    problems += memo.problems(paper, facts) if memo is not None else first_page_problems(paper, facts)
    problems += active_content_problems(facts)
    return problems


def waived(paper: Paper, problems: list[PdfProblem], judged: set[str]) -> list[PdfProblem]:
    """``problems`` with the organizers' waivers applied (``waive`` in papers.yaml): a waived problem
    becomes a note that keeps its message and says what it was and why (`WaivedProblem`).

    A waiver that matches no problem is a warning (``waiver-unused``), so stale waivers show, but
    only where its check ran: ``judged`` holds the `codes.Scope` values that were (``file``
    always, ``pdf`` once the PDF was read, ``supplementary`` once the supplementary file was).
    """
    if not paper.waive:
        return problems
    reasons = {w.code: w.reason for w in paper.waive}
    out: list[PdfProblem] = []
    used = set()
    for problem in problems:
        if problem.code in reasons and problem.level != Level.NOTE:
            out.append(WaivedProblem(Level.NOTE, problem.code, problem.message, problem.level, reasons[problem.code]))
            used.add(problem.code)
        else:
            out.append(problem)
    for waiver in paper.waive:
        if waiver.code not in used and WAIVABLE[waiver.code].scope in judged:
            out.append(PdfProblem.of(Code.WAIVER_UNUSED, f"conf/papers.yaml waives {waiver.code} for this paper, but it has no such "
                                                              "problem (any more?): remove the waiver"))
    return out


def decided_problems(paper: Paper, entry: PaperPdf, rules: Workshop | int | PageRules, supplement: Supplement | None = None,
                     missing_level: Level = Level.ERROR, memo: FirstPageMemo | None = None) -> list[PdfProblem]:
    """What ``check`` and ``build`` report about one paper: its PDF's problems (`paper_problems`) and its
    supplementary file's, with the organizers' waivers applied (`waived`)."""
    problems = paper_problems(paper, entry, rules, missing_level, memo)
    if supplement is not None:
        problems += supplement.problems
    judged = {"file"}
    if entry.facts is not None and entry.facts.ok:
        judged.add("pdf")
    if supplement is None or supplement.publishable:
        judged.add("supplementary")
    return waived(paper, problems, judged)


def judge_papers(workshop: Workshop, papers: Sequence[Paper], pdfs: Mapping[str, PaperPdf], supplements: Mapping[str, Supplement],
                 missing_level: Level, memo: FirstPageMemo | None = None) -> list[PaperReport]:
    """Each paper judged by the camera-ready rules: its `PaperReport` (page counts, the problems
    `decided_problems` finds, waivers applied). The one pipeline of both commands: `check` prints
    these reports (a missing PDF an error), `build` settles them (publish.pipeline.settle_problems:
    a missing PDF only pending, ``missing_level`` a warning)."""
    reports = []
    for paper in papers:
        entry = pdfs[paper.id]
        rules = page_rules(workshop, paper)
        ready = entry.facts if entry.facts is not None and entry.facts.ok else None
        length = content_length(ready, rules) if ready is not None else None
        problems = decided_problems(paper, entry, workshop, supplements.get(paper.id), missing_level, memo)  # the workshop: its footer is judged too
        reports.append(PaperReport(paper.id, paper.pdf_name, ready.pages if ready is not None else None, problems,
                                   length.counted if length else None, length.ends_at if length else None, rules))
    return reports


def overlapping_talks(proc: Proceedings) -> list[PdfProblem]:
    """Two talks (paper, keynote or panel slots) at once on one day: parallel events are fine, two
    speakers on one stage are a mistake; breaks, meals and poster sessions may overlap anything."""
    talks = sorted(((s.date or proc.workshop.date, s.start, s.end, s.target) for s in proc.schedule if s.target), key=lambda t: t[:3])
    problems = []
    for i, (day, start, end, target) in enumerate(talks):
        for other_day, other_start, _other_end, other in talks[i + 1:]:
            if other_day != day or other_start >= end:
                break
            problems.append(PdfProblem.of(Code.SCHEDULE_TALKS_OVERLAP,
                                          f"{target[0]} {target[1]!r} ({start}-{end}) and {other[0]} {other[1]!r} (from {other_start}) "
                                          f"are both scheduled on {day:%Y-%m-%d} at the same time"))
    return problems


def ambiguous_times(proc: Proceedings) -> list[PdfProblem]:
    """Slot times that happen twice (the night the clocks go back): the site means the first; a
    time the clocks skip is a metadata error (`load`)."""
    problems = []
    for i, slot in enumerate(proc.schedule):
        for field_name in ("start", "end"):
            state, why = local_time(slot.date or proc.workshop.date, getattr(slot, field_name), proc.workshop.timezone)
            if state == "ambiguous":
                problems.append(PdfProblem.of(Code.SCHEDULE_TIME_AMBIGUOUS, f"schedule.yaml: schedule[{i}].{field_name}: {why}"))
    return problems


def check_papers(proc: Proceedings, papers_dir: Path, cache_dir: Path, only: str | None = None, quiet: bool = False,
                 settled: Callable[[str, str], bool] | None = None, conf_dir: Path = Path("conf")) -> CheckReport:
    """Read every paper's PDF (or only ``only``) and apply the camera-ready rules (`judge_papers`),
    then the rules across papers (`across_papers`). ``settled`` and ``conf_dir``: as `across_papers`'."""
    papers = [p for p in proc.papers if only is None or p.id == only]
    pdfs = extract_all(papers, papers_dir, cache_dir, progress=None if quiet else print_progress)
    supplements = check_supplements(papers, papers_dir, cache_dir, missing_level=Level.ERROR)
    reports = judge_papers(proc.workshop, papers, pdfs, supplements, missing_level=Level.ERROR)
    mine = None if only is None else {a.name for p in papers for a in p.authors}
    names = name_findings(PeopleIndex(proc), cache_dir, mine)
    general = across_papers(proc, papers, pdfs, reports, papers_dir, names, only, settled, conf_dir)
    return CheckReport(reports, general, missing_sections(proc) if only is None else [])


@dataclass(frozen=True)
class NameFindings:
    """What `across_papers` reports of a volume's people: each name whose family name was assumed
    (name, assumed family name, conf files: `people.assumed_family_names`), and the pairs of names
    that may be one person (a, b, why: `PeopleIndex.likely_variants`)."""

    assumed: list[tuple[str, str, list[str]]]
    variants: list[tuple[str, str, str]]


def name_findings(people: PeopleIndex, cache_dir: Path, only: set[str] | None = None) -> NameFindings:
    """The `NameFindings` of ``people`` (``only``: these names', one paper's authors)."""
    return NameFindings(assumed_family_names(people, only), people.likely_variants_cached(cache_dir))


class NameFindingsMemo:
    """The `NameFindings` of a series' editions, remembered in the cache by the hash of each
    edition's files (`series.load_edition`): an edition whose data did not change does not build
    its people index again (0.03–0.07 s per 500 papers, every rebuild). Read once for all the
    editions, saved once (`save`); it keeps the editions of the last build."""

    def __init__(self, cache_dir: Path):
        self.path = Path(cache_dir) / "name-findings.json"
        self.cache_dir = Path(cache_dir)
        known = load_memo(self.path)
        self.known: dict[str, object] = known if isinstance(known, dict) else {}
        self.used: dict[str, object] = {}

    def findings(self, key: str | None, people: Callable[[], PeopleIndex]) -> NameFindings:
        """The edition's `NameFindings`, remembered under ``key``, or made now from ``people()``
        (always without a key)."""
        found = self.known.get(key) if key is not None else None
        if isinstance(found, dict):
            try:
                names = NameFindings([(str(n), str(f), [str(x) for x in files]) for n, f, files in found["assumed"]],
                                     [(str(a), str(b), str(why)) for a, b, why in found["variants"]])
            except (TypeError, KeyError, ValueError):  # written otherwise: made again
                pass
            else:
                self.used[str(key)] = found
                return names
        names = name_findings(people(), self.cache_dir)
        if key is not None:
            self.used[key] = {"assumed": names.assumed, "variants": names.variants}
        return names

    def keep(self, key: str) -> None:
        """Keep an edition's findings remembered, though not asked for (this build did not check it again)."""
        if key in self.known:
            self.used[key] = self.known[key]

    def save(self) -> None:
        """Write the memo to the cache when it changed (skipped quietly when the cache cannot be written)."""
        if self.used != self.known:
            save_memo(self.path, self.used)


def across_papers(proc: Proceedings, papers: Sequence[Paper], pdfs: Mapping[str, PaperPdf], reports: Sequence[PaperReport], papers_dir: Path,
                  names: NameFindings, only: str | None = None, settled: Callable[[str, str], bool] | None = None,
                  conf_dir: Path = Path("conf")) -> list[PdfProblem]:
    """The rules across papers, the second half of the one pipeline of `check` and `build` (the
    first is `judge_papers`): byte-identical PDFs, files of the papers directory no paper names,
    partial copies, talks that overlap, ambiguous times, and what ``names`` found (names whose family
    name is assumed, likely variants of one name; ``settled``: pairs not to report, in a series one
    person already or declared distinct elsewhere). ``conf_dir``: the data's folder, which the
    messages name. Markup a title or abstract cannot show is added to its paper's report
    (``text-markup``). ``only``: one paper's (``check --paper``): what concerns its names, no rule
    about the whole program."""
    general = []
    by_content: dict[str, list[str]] = {}
    for paper in papers:
        facts = pdfs[paper.id].facts
        if facts is not None and facts.size:
            ids = by_content.setdefault(facts.sha256, [])
            if paper.id not in ids:  # a duplicate id is reported already
                ids.append(paper.id)
    for ids in by_content.values():
        if len(ids) > 1:
            general.append(PdfProblem.of(Code.PDF_SAME_CONTENT,
                                         f"papers {', '.join(map(repr, ids))} have byte-identical PDFs (a wrong upload?)"))
    if only is None and Path(papers_dir).is_dir():
        used = {p.pdf_name for p in proc.papers} | {p.supplementary for p in proc.papers if p.supplementary}
        for path in sorted(Path(papers_dir).rglob("*")):
            name = path.relative_to(papers_dir).as_posix()
            if path.suffix.lower() == ".pdf" and name not in used and not any(part.startswith(".") for part in path.parts):
                general.append(PdfProblem.of(Code.PDF_UNUSED, f"{printable(name)} in the papers directory belongs to no paper (misnamed?)"))
        for leftover in partial_copies(Path(papers_dir)):
            size = leftover.stat().st_size / 2**20
            general.append(PdfProblem.of(Code.PAPERS_PARTIAL_COPY,
                                         f"{printable(leftover.relative_to(papers_dir).as_posix())} ({size:.1f} MB) in the papers directory is a partial copy "
                                         "left by an interrupted `collect` (or one still running): run collect again, which removes it, or delete it"))
    if only is None:
        general += overlapping_talks(proc)
        general += ambiguous_times(proc)
    mine = {a.name for p in papers for a in p.authors} if only is not None else set()
    text_problems(proc, papers, list(reports), general, names.assumed, only is None, conf_dir)
    for a, b, reason in names.variants:
        if (only is None or {a, b} & mine) and not (settled is not None and settled(a, b)):
            general.append(PdfProblem.of(Code.NAME_VARIANT,
                                         f"{a!r} and {b!r} may be one person ({reason}); if so, list one as a variant of the other "
                                         f"under 'aliases' in {Path(conf_dir) / 'people.yaml'}; if not, list both in a 'distinct' group there"))
    return general


class MissingSection(NamedTuple):
    """A section page the site leaves out because the data has nothing for it yet (`missing_sections`)."""

    #: the page's docname ("schedule")
    page: str
    #: its title as the site shows it ("Schedule", the workshop's ``labels``)
    label: str
    #: what the data lacks, and where it goes
    needs: str


def missing_sections(proc: Proceedings) -> list[MissingSection]:
    """The section pages the site leaves out because the data has nothing for them yet
    (``Proceedings.has_program`` and the others, the rule the pages follow). Not a problem: an
    edition brought in step by step, its accepted papers first, lacks them for a while, and
    `check` shows what is still to import."""
    labels = proc.workshop.labels
    missing = [  # in the menu's order
        (proc.has_keynote_list, paths.docname(paths.KEYNOTES_INDEX), labels.keynotes, "no keynote or invited speaker (keynotes.yaml)"),
        (proc.has_program, "schedule", labels.schedule, "no program (schedule.yaml)"),
        (proc.has_people_page, "people", labels.people, "no organizer, volunteer or committee member (people.yaml), no panel (panel.yaml)"),
        (proc.has_call, "cfp", labels.cfp, "no call for papers (cfp.yaml), no important dates (workshop.yaml)"),
    ]
    return [MissingSection(page, label, needs) for present, page, label, needs in missing if not present]


def text_problems(proc: Proceedings, papers: Sequence[Paper], reports: list[PaperReport], general: list[PdfProblem],
                  assumed: Sequence[tuple[str, str, list[str]]], keynotes: bool, conf_dir: Path = Path("conf")) -> None:
    """Warnings about text the site cannot show as meant: markup in titles and abstracts that
    `util.latex` cannot render (``text-markup``, on the paper; the keynotes' too with ``keynotes``),
    and the names of ``assumed``, three or more words whose family name was assumed
    (``name-family-assumed``, once per person, listed for the organizer to confirm or to set ``family:``)."""
    by_id = {r.id: r for r in reports}
    for paper in papers:
        for label, value in (("title", paper.title), ("abstract", paper.abstract)):
            for problem in latex.problems(value):
                by_id[paper.id].problems.append(PdfProblem.of(Code.TEXT_MARKUP, f"the {label} has {problem}"))
    if keynotes:
        for keynote in proc.keynotes:
            for label, value in (("title", keynote.title), ("abstract", keynote.abstract or "")):
                for problem in latex.problems(value):
                    general.append(PdfProblem.of(Code.TEXT_MARKUP, f"keynote {keynote.id!r}: the {label} has {problem}"))
    for name, last, files in assumed:
        general.append(PdfProblem.of(Code.NAME_FAMILY_ASSUMED,
                                     f"{name!r} is filed and cited under the family name {last!r} (its last word); if that is wrong, "
                                     f"set family: on this person in {' and '.join(str(Path(conf_dir) / file) for file in files)}"))


def run_check(conf_dir: Path, papers_dir: Path, cache_dir: Path, only: str | None = None, quiet: bool = False,
              settled: Callable[[str, str], bool] | None = None) -> CheckReport:
    """Metadata problems become report entries too, so one run shows everything (``settled``: as `check_papers`).

    Problems across entries (duplicate ids, schedule slots naming unknown ids) still let the
    PDFs be checked; invalid entries do not (there is no validated paper to check against).
    """
    general: list[PdfProblem] = []
    try:
        proc = load_proceedings(conf_dir)
    except ConfError as exc:
        for problem in exc.problems:
            if only is None or exc.partial is None or repr(only) in str(problem):
                general.append(PdfProblem.of(code_named(problem.code), str(problem), Level.ERROR))
        if exc.partial is None:
            return CheckReport([], general)
        proc = exc.partial
    if only is not None and only not in {p.id for p in proc.papers}:
        return CheckReport([], general + [PdfProblem.of(Code.UNKNOWN_PAPER, f"no paper with id {only!r} in {conf_dir / 'papers.yaml'}")])
    report = check_papers(proc, papers_dir, cache_dir, only, quiet, settled, Path(conf_dir))
    report.general[:0] = general
    if general:  # what a file that cannot be read would hold is unknown: its errors say what to fix first
        report.not_on_site = []
    return report


def _problem_lines(p: PdfProblem, edition: str | None = None) -> list[str]:
    """A problem for people; a waived one says what it was, and the organizers' reason below it.
    ``edition``: in a series, the edition it belongs to, in brackets before it."""
    where = f"[{edition}] " if edition is not None else ""
    if isinstance(p, WaivedProblem):
        papers_file = f"conf/{edition}/papers.yaml" if edition is not None else "conf/papers.yaml"
        return [f"    {where}waived {p.waived_level}: {p.message} [{p.code}]", f"        reason ({papers_file}): {printable(p.reason)}"]
    return [f"    {where}{p.level}: {p.message} [{p.code}]"]


def format_text(report: CheckReport, edition: str | None = None) -> str:
    """A table for people: one line per paper, its problems indented below it. A column ``limit``
    (pages allowed) shows when papers have limits other than the workshop's (types, tracks, their own).
    ``edition``: in a series, the edition checked, which every problem line names."""
    lines = []
    if report.papers:
        id_width = max(5, *(len(r.id) for r in report.papers))
        # a name longer than a file system allows (its problem says so; --format json has it whole) must not widen every row
        names = {r.id: r.pdf if len(r.pdf) <= 60 else r.pdf[:45] + "…" + r.pdf[-14:] for r in report.papers}
        pdf_width = max(3, *(len(name) for name in names.values()))
        rules = [r.rules for r in report.papers if r.rules is not None]
        limits = any(r.set_by != "workshop" for r in rules) or len({r.allowed for r in rules}) > 1
        limit_head, limit_rule = ("  limit", f"  {'-' * 5}") if limits else ("", "")
        lines.append(f"{'paper':<{id_width}}  {'pdf':<{pdf_width}}  {'pages':>5}  {'content':>7}{limit_head}  status")
        lines.append(f"{'-' * id_width}  {'-' * pdf_width}  {'-' * 5}  {'-' * 7}{limit_rule}  {'-' * 7}")
        for r in report.papers:
            pages = "-" if r.pages is None else str(r.pages)
            content = "-" if r.content_pages is None else f"{r.content_pages:.2f}"
            limit = f"  {_pages(r.rules.allowed) if r.rules else '-':>5}" if limits else ""
            lines.append(f"{r.id:<{id_width}}  {names[r.id]:<{pdf_width}}  {pages:>5}  {content:>7}{limit}  {r.status}")
            for p in r.problems:
                lines += _problem_lines(p, edition)
    if report.general:
        lines.append("")
        lines.append("metadata and across papers:")
        for p in report.general:
            lines += _problem_lines(p, edition)
    if report.not_on_site:
        lines.append("")
        lines.append("not on the site yet, for want of data (import-program writes the program, keynotes, panel and people from the organizers' files):")
        where = f"[{edition}] " if edition is not None else ""
        lines += [f"    {where}{printable(m.label)}: {m.needs}" for m in report.not_on_site]
    ready = sum(r.status != Level.ERROR for r in report.papers)
    notes = report.count(Level.NOTE)
    lines.append("")
    lines.append(f"{ready} of {len(report.papers)} paper(s) ready; {report.count(Level.ERROR)} error(s), {report.count(Level.WARNING)} warning(s)"
                 + (f", {notes} note(s)" if notes else ""))
    return "\n".join(lines)
