"""Citations: BibTeX (bibtexparser + pylatexenc), RIS, ACL-style text, Markdown.

Every field is encoded for its format, so author-typed text can never close a brace
or start a command: BibTeX gets LaTeX with the specials escaped and internal capitals
brace-protected; RIS gets one line per tag; Markdown gets its punctuation escaped.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import bibtexparser
from bibtexparser.model import Entry, Field

from .models import Keynote, Paper, Person, Proceedings, Workshop

MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
PARTICLES = {"van", "von", "der", "den", "de", "del", "della", "di", "da", "du", "la", "le", "ter", "ten", "dos", "das", "al", "el", "bin", "ibn"}
_COMBINING_ACCENTS = {
    "\u0300": "`", "\u0301": "'", "\u0302": "^", "\u0303": "~", "\u0304": "=", "\u0306": "u",
    "\u0307": ".", "\u0308": '"', "\u030a": "r", "\u030b": "H", "\u030c": "v", "\u0323": "d",
    "\u0327": "c", "\u0328": "k", "\u0331": "b", "\u0309": "h",
}
# Bidi controls and zero-width characters: invisible, but they would reorder text.
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


@lru_cache(maxsize=1)
def _encoder():
    from pylatexenc.latexencode import UnicodeToLatexEncoder

    return UnicodeToLatexEncoder(
        non_ascii_only=False,
        replacement_latex_protection="braces-all",
        unknown_char_policy="fail",
        unknown_char_warning=False,
    )


_CLUSTER = re.compile(r"(?s).[\u0300-\u036f]*")


# BibTeX counts every brace, escaped or not: '\{' would unbalance the field, so braces are words.
_BRACES = {"{": "{\\textbraceleft}", "}": "{\\textbraceright}"}


def _latex_char(char: str) -> str:
    """One letter with any combining marks that follow it."""
    if char in _BRACES:
        return _BRACES[char]
    if len(char) == 1:
        try:
            return _encoder().unicode_to_latex(char)
        except ValueError:
            pass
    # No macro for this letter: build it from its base and combining accents (Vietnamese, Yoruba).
    decomposed = unicodedata.normalize("NFD", char)
    base, marks = decomposed[0], decomposed[1:]
    if marks and base.isascii() and not base.isalpha():
        return _latex_char(base)  # accents on '}' or '\\' cannot be typeset: the symbol alone, escaped
    if marks and base.isascii() and all(m in _COMBINING_ACCENTS for m in marks):
        out = "\\" + base if base in "ij" else base
        for mark in marks:
            out = f"\\{_COMBINING_ACCENTS[mark]}{{{out}}}"
        return "{" + out + "}"
    if len(char) == 1 and unicodedata.category(char).startswith("M"):
        return ""  # a stray combining mark that NFC could not attach
    folded = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()
    # Scripts pdflatex cannot set with T1 (CJK, emoji) become a visible placeholder.
    return latex_escape(folded) if folded else "{?}"


def latex_escape(text: str) -> str:
    """Unicode text -> LaTeX that pdflatex (T1, utf8) typesets as the same text."""
    text = unicodedata.normalize("NFC", _INVISIBLE.sub("", text))
    text = re.sub(r"\s+", " ", text).strip()
    out = []
    for cluster in _CLUSTER.findall(text):
        if cluster.isascii() and (cluster.isalnum() or cluster in " .,;:!?'()/-+=*@\"`[]"):
            out.append(cluster)
        else:
            out.append(_latex_char(cluster))
    return "".join(out)


def _needs_protection(word: str) -> bool:
    letters = re.sub(r"[^\w]", "", word)
    if len(letters) < 2:
        return False
    return any(c.isupper() for c in letters[1:])


def latex_title(title: str) -> str:
    """Escape a title and brace-protect words whose capitals a style must keep (BERT, W8A8)."""
    words = re.split(r"(\s+)", unicodedata.normalize("NFC", _INVISIBLE.sub("", title)).strip())
    out = []
    for word in words:
        if not word or word.isspace():
            out.append(" " if word else "")
            continue
        encoded = latex_escape(word)
        out.append("{" + encoded + "}" if _needs_protection(word) else encoded)
    return re.sub(r" +", " ", "".join(out))


def split_name(name: str) -> tuple[str, str]:
    """(first, last) for a display name; particles stay with the last name."""
    tokens = name.split()
    if len(tokens) <= 1:
        return "", name.strip()
    for i in range(1, len(tokens) - 1):
        if tokens[i].lower() in PARTICLES and tokens[i].islower():
            return " ".join(tokens[:i]), " ".join(tokens[i:])
    return " ".join(tokens[:-1]), tokens[-1]


def bibtex_name(name: str) -> str:
    """One author as BibTeX 'Last, First'; names that would confuse BibTeX are braced whole."""
    name = re.sub(r"\s+", " ", name).strip()
    first, last = split_name(name)
    if re.search(r"\band\b|,", name, flags=re.IGNORECASE) or not first:
        return "{" + latex_escape(name) + "}"
    last_tex = latex_escape(last)
    if " " in last and last.split()[0].lower() not in PARTICLES:
        last_tex = "{" + last_tex + "}"
    return f"{last_tex}, {latex_escape(first)}"


def _ascii_slug(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "", folded.lower())


_STOP = {"a", "an", "the", "on", "of", "for", "in", "to", "and", "with", "is", "are", "do", "we", "via", "by", "at"}


def base_key(authors: list[Person], year: int, title: str) -> str:
    """ACL Anthology style: shen-etal-2022-fast, chen-shu-2022-promptda."""
    lasts = [_ascii_slug(split_name(a.name)[1].split()[-1]) or "anon" for a in authors] or ["anon"]
    if len(lasts) == 1:
        who = lasts[0]
    elif len(lasts) == 2:
        who = f"{lasts[0]}-{lasts[1]}"
    else:
        who = f"{lasts[0]}-etal"
    words = [_ascii_slug(w) for w in title.split()]
    word = next((w for w in words if w and w not in _STOP), None) or next((w for w in words if w), "untitled")
    return f"{who}-{year}-{word}"


def citation_keys(proc: Proceedings) -> dict[str, str]:
    """Stable, unique keys for every paper and keynote (ids decide ties, not list order)."""
    wanted: dict[str, str] = {}
    for paper in proc.papers:
        wanted[f"paper:{paper.id}"] = base_key(paper.authors, proc.workshop.year, paper.title)
    for keynote in proc.keynotes:
        wanted[f"keynote:{keynote.id}"] = base_key([keynote.speaker], proc.workshop.year, keynote.title) + "-keynote"
    keys: dict[str, str] = {}
    by_key: dict[str, list[str]] = {}
    for ident, key in wanted.items():
        by_key.setdefault(key, []).append(ident)
    for key, idents in by_key.items():
        if len(idents) == 1:
            keys[idents[0]] = key
        else:
            for n, ident in enumerate(sorted(idents)):
                keys[ident] = key if n == 0 else f"{key}-{n + 1}"
    return keys


def _common_fields(workshop: Workshop, url: str) -> list[Field]:
    fields = [
        Field("year", str(workshop.year)),
        Field("month", MONTHS[workshop.date.month - 1]),
        Field("address", latex_escape(workshop.location)),
        Field("url", url),
    ]
    if not workshop.archival:
        fields.append(Field("note", "Non-archival workshop paper"))
    return fields


def paper_entry(paper: Paper, workshop: Workshop, key: str, url: str) -> Entry:
    fields = [
        Field("title", latex_title(paper.title)),
        Field("author", " and ".join(bibtex_name(a.name) for a in paper.authors)),
        Field("booktitle", latex_title(workshop.booktitle)),
        *_common_fields(workshop, url),
    ]
    return Entry("inproceedings", key, fields)


def keynote_entry(keynote: Keynote, workshop: Workshop, key: str, url: str) -> Entry:
    fields = [
        Field("title", latex_title(keynote.title)),
        Field("author", bibtex_name(keynote.speaker.name)),
        Field("howpublished", "Keynote talk at " + latex_title(f"{workshop.short_name}, {workshop.venue}")),
        *_common_fields(workshop, url),
    ]
    return Entry("misc", key, fields)


def to_bibtex(entries: list[Entry]) -> str:
    library = bibtexparser.Library()
    for entry in entries:
        library.add(entry)
    return bibtexparser.write_string(library).strip() + "\n"


def _plain(text: str) -> str:
    return re.sub(r"\s+", " ", _INVISIBLE.sub("", text)).strip()


def to_ris(paper: Paper, workshop: Workshop, url: str, pdf_url: str | None) -> str:
    lines = [("TY", "CPAPER"), ("TI", paper.title)]
    for author in paper.authors:
        first, last = split_name(_plain(author.name))
        lines.append(("AU", f"{last}, {first}" if first else last))
    lines += [
        ("PY", str(workshop.year)),
        ("DA", workshop.date.strftime("%Y/%m/%d")),
        ("T2", workshop.booktitle),
        ("CY", workshop.location),
        ("UR", url),
    ]
    if pdf_url:
        lines.append(("L1", pdf_url))
    lines.append(("AB", paper.abstract))
    if not workshop.archival:
        lines.append(("N1", "Non-archival workshop paper"))
    lines.append(("ER", ""))
    return "".join(f"{tag}  - {_plain(value)}\n".replace("-  \n", "- \n") for tag, value in lines)


def _join_names(names: list[str]) -> str:
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + ", and " + names[-1]


def to_acl_text(paper: Paper, workshop: Workshop) -> str:
    names = _join_names([_plain(a.name) for a in paper.authors])
    return f"{names}. {workshop.year}. {_plain(paper.title)}. In {_plain(workshop.booktitle)}, {_plain(workshop.location)}."


# CommonMark lets a backslash escape any ASCII punctuation: escape all of it (also '&', entities).
_MD_SPECIAL = re.compile(r"([!-/:-@\[-`{-~])")


def markdown_escape(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", _plain(text))


def to_markdown(paper: Paper, workshop: Workshop, url: str) -> str:
    names = markdown_escape(_join_names([_plain(a.name) for a in paper.authors]))
    return f"{names}. {workshop.year}. [{markdown_escape(paper.title)}]({url}). In *{markdown_escape(workshop.booktitle)}*."
