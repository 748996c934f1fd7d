"""Camera-ready checks: is each paper's PDF ready to publish, and does it match its entry?

Uses the same cached PDF facts as ``build`` (``paper_problems`` is also what ``build``
prints). Read-only: never touches conf/ or papers/.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from enlsp_proceedings.model.load import ConfError, load_proceedings
from enlsp_proceedings.model.people import PeopleIndex, assumed_family_names
from enlsp_proceedings.model.schema import PagePolicy, Paper, Proceedings, Workshop
from enlsp_proceedings.pdf.extract import extract_all, print_progress
from enlsp_proceedings.pdf.facts import PaperPdf, PdfFacts, PdfProblem
from enlsp_proceedings.pdf.layout import INVISIBLE
from enlsp_proceedings.pdf.supplementary import check_supplements
from enlsp_proceedings.util import latex
from enlsp_proceedings.util.memo import load_memo, save_memo
from enlsp_proceedings.util.text import compact, fold, one_letter_apart


@dataclass
class PaperReport:
    """The check of one paper: its PDF, page counts and problems."""

    id: str
    pdf: str
    pages: int | None
    problems: list[PdfProblem] = field(default_factory=list)
    content_pages: float | None = None  # decimal pages before the references and appendices

    @property
    def status(self) -> str:
        """"error", "warning" or "ready", from the worst problem."""
        if any(p.level == "error" for p in self.problems):
            return "error"
        return "warning" if self.problems else "ready"

    def as_json(self) -> dict:
        """This report as ``check --format json`` prints it."""
        return {"id": self.id, "pdf": self.pdf, "pages": self.pages, "content_pages": self.content_pages,
                "problems": [asdict(p) for p in self.problems]}


@dataclass
class CheckReport:
    """The check of a whole volume: every paper's report and the problems across papers."""

    papers: list[PaperReport]
    general: list[PdfProblem] = field(default_factory=list)  # metadata and across-papers problems

    def count(self, level: str) -> int:
        """The number of problems of this level ("error" or "warning")."""
        return sum(p.level == level for r in self.papers for p in r.problems) + sum(p.level == level for p in self.general)

    def as_json(self) -> dict:
        """This report as ``check --format json`` prints it."""
        return {
            "papers": [r.as_json() for r in self.papers],
            "problems": [asdict(p) for p in self.general],
            "errors": self.count("error"),
            "warnings": self.count("warning"),
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
_PARTICLES = {"van", "von", "der", "den", "de", "del", "della", "di", "da", "dos", "du", "la", "le", "bin", "al", "el", "ter", "ten"}
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
        if word.lower() in _PARTICLES:
            family.insert(0, word)
        else:
            break
    return family


def _given_agree(metadata: list[str], printed: list[str]) -> bool:
    """Given names that differ at most by middle initials ("Monica N" / "Monica", "Harjeet S" / "Harjeet Singh")."""
    if not metadata or not printed or _key(metadata[0]) != _key(printed[0]):
        return bool(metadata and printed) and "".join(map(_key, metadata)) == "".join(map(_key, printed))  # "Yi-Ke" / "Yike"
    full_a = [_key(w) for w in metadata[1:] if len(w.rstrip(".")) > 1]
    full_b = [_key(w) for w in printed[1:] if len(w.rstrip(".")) > 1]
    initials_a = {_key(w)[0] for w in metadata[1:] if _key(w)}
    initials_b = {_key(w)[0] for w in printed[1:] if _key(w)}
    return all(w in full_b or w[0] in initials_b for w in full_a) and all(w in full_a or w[0] in initials_a for w in full_b)


def _close(a: str, b: str) -> bool:
    """One letter apart (a typo: "Emani" for "Emami"), for names of five letters or more."""
    return min(len(a), len(b)) >= 5 and one_letter_apart(a, b)


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
    for chunk in chunks:
        keys = _parts(chunk)
        for i in range(len(keys) - len(family_parts) + 1):
            if keys[i:i + len(family_parts)] != family_parts:
                continue
            printed_given = [w for w in chunk if _parts([w]) and keys.index(_parts([w])[0]) < i][-max(1, len(given)) - 1:] if i else []
            swapped = [w for w in chunk if _parts([w])[0] not in family_parts] if i == 0 else []
            for candidate in (printed_given, swapped):
                if candidate and given and _given_agree(given, candidate):
                    return "found", None
            if printed_given and given:
                return "variant", " ".join(printed_given + family)
    if given:  # the given name followed by a family name a letter off, or only part of a double family name
        for chunk in chunks:
            for i, word in enumerate(chunk[:-1]):
                if _key(word) != _key(given[0]):
                    continue
                rest = chunk[i + 1:]
                following = [w for w in rest if len(w.rstrip(".")) > 1][:len(family)]
                if not following:
                    continue
                printed_family = _parts(following)
                if (len(printed_family) == len(family_parts) and all(a == b or _close(a, b) for a, b in zip(printed_family, family_parts, strict=True))) or (
                        printed_family and printed_family[0] == family_parts[0] and len(family_parts) > 1):
                    return "variant", " ".join(chunk[i:i + 1 + rest.index(following[-1]) + 1])
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


def _printed_names(lines: Sequence[tuple[str, tuple | None]], styles: set, known: list[str]) -> list[str]:
    """Person names printed in the author block, in the style of the authors' names found there,
    that are not in ``known`` (the metadata's names and affiliations)."""
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
            name = " ".join(words)
            if name not in found:
                found.append(name)
    return found


#: Bump when the page-1 checks change what they report (invalidates `FirstPageMemo`).
FIRST_PAGE_CHECKS_VERSION = 2


def first_page_problems(paper: Paper, facts: PdfFacts) -> list[PdfProblem]:
    """Does page 1 carry text, the paper's title and its authors (both ways)? Neither title nor any
    author: the file is another paper's (``pdf-wrong-file``, an error)."""
    first_page = _dehyphenate(facts.first_page_text)
    if not _normalize(first_page):
        return [PdfProblem("warning", "pdf-no-text", "page 1 has no extractable text (scanned, or fonts converted to outlines?)")]
    problems = []
    title_found = _normalize(paper.title) in _normalize(first_page)
    anonymous = any(mark.startswith("page 1 names") for mark in facts.review_marks)
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
                problems.append(PdfProblem("warning", "pdf-author-variant", f"page 1 has {printed!r}, the metadata {person.name!r}"))
            else:
                missing.append(person.name)
    if not title_found and paper.authors and not found and not variants:
        return [PdfProblem(
            "error", "pdf-wrong-file",
            f"page 1 shows neither the title {paper.title!r} nor any of its authors: is this another paper's PDF?"
            + (f" (page 1 begins: {_printable(first_page)[:120]!r})" if first_page.strip() else ""),
        )]
    if not title_found:
        problems.append(PdfProblem("warning", "pdf-title-mismatch", f"page 1 does not show the title in conf/papers.yaml: {paper.title!r}"))
    for name in missing:
        problems.append(PdfProblem("error", "pdf-author-missing", f"page 1 does not list {name}, an author in conf/papers.yaml"))
    if anonymous:
        return problems
    known = [p.name for p in paper.authors] + [p.affiliation or "" for p in paper.authors] + missing
    if not paper.authors:  # the style of names is unknown: candidates from bold lines
        styles = {style for _text, style in styled if style is not None and style[1]}
    for text, style in styled:  # a style that affiliations or addresses share is not the names' own
        if style in styles and ("@" in text or any(_key(w) in _AFFILIATION_WORDS for w in _words(text))):
            styles.discard(style)
    extra = _printed_names(styled, styles, known) if facts.author_block else []
    if not paper.authors:
        listed = f" (page 1 lists {', '.join(extra)})" if extra else ""
        problems.append(PdfProblem("warning", "pdf-authors-unchecked", f"conf/papers.yaml lists no authors for this paper; page 1 was not compared{listed}"))
        return problems
    for name in extra:
        problems.append(PdfProblem("warning", "pdf-author-extra", f"page 1 lists {name}, who is not in the metadata"))
    return problems


class FirstPageMemo:
    """`first_page_problems` remembered per (PDF content, title, author names) in the cache:
    comparing 1,000 first pages took 0.2 s of every rebuild."""

    def __init__(self, cache_dir: Path):
        self.path = Path(cache_dir) / "first-page-checks.json"
        known = load_memo(self.path)
        self.known: dict[str, list] = known if isinstance(known, dict) else {}
        self.used: dict[str, list] = {}

    def problems(self, paper: Paper, facts: PdfFacts) -> list[PdfProblem]:
        """The first-page problems of this paper's PDF, remembered or computed now."""
        blob = json.dumps([FIRST_PAGE_CHECKS_VERSION, facts.sha256, facts.version, paper.title, [[a.name, a.family, a.affiliation] for a in paper.authors]], ensure_ascii=False)
        key = hashlib.sha256(blob.encode()).hexdigest()[:32]
        saved = self.known.get(key)
        try:
            found = [PdfProblem(*item) for item in saved] if isinstance(saved, list) else None
        except TypeError:
            found = None
        if found is None:
            found = first_page_problems(paper, facts)
        self.used[key] = [[p.level, p.code, p.message] for p in found]
        return found

    def save(self) -> None:
        """Write the memo to the cache (skipped quietly when the cache cannot be written)."""
        if self.used != self.known:
            save_memo(self.path, self.used)


def _limit_of(rules: Workshop | int) -> tuple[int, PagePolicy]:
    if isinstance(rules, Workshop):
        return rules.page_limit, rules.page_policy
    return int(rules), PagePolicy()


def _pages(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))


def length_problems(facts: PdfFacts, rules: Workshop | int) -> list[PdfProblem]:
    """The content (decimal pages before the first References / appendix heading) against the page limit and policy."""
    page_limit, policy = _limit_of(rules)
    content = facts.body_pages
    if content is None:
        return []
    limit = page_limit + policy.extra_camera_ready_pages
    counted = content
    notes = []
    if not policy.acknowledgments_count and facts.acknowledgments:
        start, end = facts.acknowledgments
        counted = round(content - (end - start), 2)
        notes.append(f"{_pages(end - start)} of acknowledgments not counted")
    if counted <= limit + 0.005:
        return []
    if facts.end_heading:
        where = f"{facts.end_heading!r} begins on page {facts.references_page}"
    else:
        where = "no References, appendix or reference list found"
    allowed = f"{page_limit} + {_pages(policy.extra_camera_ready_pages)} for the camera-ready" if policy.extra_camera_ready_pages else str(page_limit)
    return [PdfProblem(
        policy.over_limit, "pdf-over-limit",
        f"{_pages(counted)} pages of content, the limit is {allowed} ({where}; " + "; ".join([*notes, f"{facts.pages} pages in all"]) + ")",
    )]


def review_copy_problems(paper: Paper, facts: PdfFacts) -> list[PdfProblem]:
    """The anonymized submission uploaded as the camera-ready: an error (not published), or, when
    the organizers set ``publish_review_copy``, a warning (published with their note)."""
    if not facts.review_marks:
        return []
    evidence = "; ".join(facts.review_marks)
    if all(mark.startswith("page 1 names") for mark in facts.review_marks):
        # an anonymous byline alone, set in the final style (no line numbers, no "Submitted to ... Do
        # not distribute"): the authors' camera-ready, anonymized; published, the authors come from conf/
        return [PdfProblem("warning", "pdf-anonymous-camera-ready",
                           f"{evidence}, but it has none of a review copy's marks (line numbers, a submission notice): "
                           "an anonymized camera-ready, published; the site shows the authors of conf/papers.yaml")]
    if paper.publish_review_copy:
        return [PdfProblem("warning", "pdf-review-copy-published", f"this is the anonymized review copy ({evidence}); published anyway with the note in publish_review_copy")]
    return [PdfProblem("error", "pdf-review-copy", f"this is the anonymized review copy, not the camera-ready ({evidence})")]


#: Problems that keep a PDF off the site (``build`` publishes the paper as pending).
UNPUBLISHABLE = frozenset({"pdf-review-copy", "pdf-wrong-file"})


def paper_problems(paper: Paper, entry: PaperPdf, rules: Workshop | int, missing_level: str = "error", memo: FirstPageMemo | None = None) -> list[PdfProblem]:
    """Everything wrong with one paper's camera-ready (shared by ``check`` and ``build``).

    ``rules`` is the workshop (its ``page_limit`` and ``page_policy``), or a bare page limit.
    """
    problems = []
    for problem in entry.problems:
        if problem.code == "pdf-missing":
            problems.append(PdfProblem(missing_level, problem.code, problem.message))
        else:
            problems.append(problem)
    facts = entry.facts
    if facts is None or not facts.ok:
        return problems
    problems += review_copy_problems(paper, facts)
    problems += length_problems(facts, rules)
    problems += memo.problems(paper, facts) if memo is not None else first_page_problems(paper, facts)
    return problems


def overlapping_talks(proc: Proceedings) -> list[PdfProblem]:
    """Two talks (paper, keynote or panel slots) at once on one day: parallel events are fine, two
    speakers on one stage are a mistake; breaks, meals and poster sessions may overlap anything."""
    talks = sorted(((s.date or proc.workshop.date, s.start, s.end, s.target) for s in proc.schedule if s.target), key=lambda t: t[:3])
    problems = []
    for i, (day, start, end, target) in enumerate(talks):
        for other_day, other_start, _other_end, other in talks[i + 1:]:
            if other_day != day or other_start >= end:
                break
            problems.append(PdfProblem("warning", "schedule-talks-overlap",
                                       f"{target[0]} {target[1]!r} ({start}-{end}) and {other[0]} {other[1]!r} (from {other_start}) "
                                       f"are both scheduled on {day:%Y-%m-%d} at the same time"))
    return problems


def check_papers(proc: Proceedings, papers_dir: Path, cache_dir: Path, only: str | None = None, quiet: bool = False) -> CheckReport:
    """Read every paper's PDF (or only ``only``) and apply the camera-ready rules."""
    papers = [p for p in proc.papers if only is None or p.id == only]
    pdfs = extract_all(papers, papers_dir, cache_dir, progress=None if quiet else print_progress)
    reports = []
    for paper in papers:
        entry = pdfs[paper.id]
        ready = entry.facts if entry.facts is not None and entry.facts.ok else None
        pages = ready.pages if ready is not None else None
        content = ready.body_pages if ready is not None else None
        reports.append(PaperReport(paper.id, paper.pdf_name, pages, paper_problems(paper, entry, proc.workshop), content))
    supplements = check_supplements(papers, papers_dir, cache_dir, missing_level="error")
    for report in reports:
        if report.id in supplements:
            report.problems += supplements[report.id].problems
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
            general.append(PdfProblem("warning", "pdf-same-content", f"papers {', '.join(map(repr, ids))} have byte-identical PDFs (a wrong upload?)"))
    if only is None and Path(papers_dir).is_dir():
        used = {p.pdf_name for p in proc.papers} | {p.supplementary for p in proc.papers if p.supplementary}
        for path in sorted(Path(papers_dir).rglob("*")):
            name = path.relative_to(papers_dir).as_posix()
            if path.suffix.lower() == ".pdf" and name not in used and not any(part.startswith(".") for part in path.parts):
                general.append(PdfProblem("warning", "pdf-unused", f"{printable(name)} in the papers directory belongs to no paper (misnamed?)"))
    if only is None:
        general += overlapping_talks(proc)
    mine = {a.name for p in papers for a in p.authors}
    text_problems(proc, papers, reports, general, None if only is None else mine)
    for a, b, reason in PeopleIndex(proc).likely_variants_cached(cache_dir):
        if only is None or {a, b} & mine:
            general.append(PdfProblem("warning", "name-variant", f"{a!r} and {b!r} may be one person ({reason}); if so, add an alias in conf/people.yaml"))
    return CheckReport(reports, general)


def text_problems(proc: Proceedings, papers: list[Paper], reports: list[PaperReport], general: list[PdfProblem], only: set[str] | None) -> None:
    """Warnings about text the site cannot show as meant: markup in titles and abstracts that
    `util.latex` cannot render (``text-markup``, on the paper), and names of three or more words
    whose family name was assumed (``name-family-assumed``, once per person, listed for the
    organizer to confirm or to set ``family:``)."""
    by_id = {r.id: r for r in reports}
    for paper in papers:
        for label, value in (("title", paper.title), ("abstract", paper.abstract)):
            for problem in latex.problems(value):
                by_id[paper.id].problems.append(PdfProblem("warning", "text-markup", f"the {label} has {problem}"))
    if only is None:
        for keynote in proc.keynotes:
            for label, value in (("title", keynote.title), ("abstract", keynote.abstract or "")):
                for problem in latex.problems(value):
                    general.append(PdfProblem("warning", "text-markup", f"keynote {keynote.id!r}: the {label} has {problem}"))
    for name, last, files in assumed_family_names(PeopleIndex(proc), only):
        general.append(PdfProblem("warning", "name-family-assumed",
                                  f"{name!r} is filed and cited under the family name {last!r} (its last word); if that is wrong, "
                                  f"set family: on this person in conf/{' and conf/'.join(files)}"))


def run_check(conf_dir: Path, papers_dir: Path, cache_dir: Path, only: str | None = None, quiet: bool = False) -> CheckReport:
    """Metadata problems become report entries too, so one run shows everything.

    Problems across entries (duplicate ids, schedule slots naming unknown ids) still let the
    PDFs be checked; invalid entries do not (there is no validated paper to check against).
    """
    general: list[PdfProblem] = []
    try:
        proc = load_proceedings(conf_dir)
    except ConfError as exc:
        for problem in exc.problems:
            if only is None or exc.partial is None or repr(only) in str(problem):
                general.append(PdfProblem("error", problem.code, str(problem)))
        if exc.partial is None:
            return CheckReport([], general)
        proc = exc.partial
    if only is not None and only not in {p.id for p in proc.papers}:
        return CheckReport([], general + [PdfProblem("error", "unknown-paper", f"no paper with id {only!r} in {conf_dir / 'papers.yaml'}")])
    report = check_papers(proc, papers_dir, cache_dir, only, quiet)
    report.general[:0] = general
    return report


def format_text(report: CheckReport) -> str:
    """A table for people: one line per paper, its problems indented below it."""
    lines = []
    if report.papers:
        id_width = max(5, *(len(r.id) for r in report.papers))
        pdf_width = max(3, *(len(r.pdf) for r in report.papers))
        lines.append(f"{'paper':<{id_width}}  {'pdf':<{pdf_width}}  {'pages':>5}  {'content':>7}  status")
        lines.append(f"{'-' * id_width}  {'-' * pdf_width}  {'-' * 5}  {'-' * 7}  {'-' * 7}")
        for r in report.papers:
            pages = "-" if r.pages is None else str(r.pages)
            content = "-" if r.content_pages is None else f"{r.content_pages:.2f}"
            lines.append(f"{r.id:<{id_width}}  {r.pdf:<{pdf_width}}  {pages:>5}  {content:>7}  {r.status}")
            for p in r.problems:
                lines.append(f"    {p.level}: {p.message} [{p.code}]")
    if report.general:
        lines.append("")
        lines.append("metadata and across papers:")
        for p in report.general:
            lines.append(f"    {p.level}: {p.message} [{p.code}]")
    ready = sum(r.status != "error" for r in report.papers)
    lines.append("")
    lines.append(f"{ready} of {len(report.papers)} paper(s) ready; {report.count('error')} error(s), {report.count('warning')} warning(s)")
    return "\n".join(lines)
