"""Citations: BibTeX (bibtexparser + pylatexenc), RIS, ACL-style text, Markdown.

Titles and abstracts may hold a small LaTeX subset (`util.latex`): BibTeX keeps it as LaTeX;
RIS, CSL-JSON, the ACL and Markdown text carry its plain text (``$7x$`` -> "7x").

Every field is encoded for its format, so author-typed text can never close a brace
or start a command: BibTeX gets LaTeX that pdflatex with T1 fonts typesets (specials
escaped, braces written as macros so BibTeX's brace counting stays balanced, internal
capitals brace-protected, ligatures such as ``--`` broken); RIS gets one line per tag;
Markdown gets its punctuation escaped.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

import bibtexparser
from bibtexparser.model import Entry, Field

from enlsp_proceedings.model.people import PARTICLES
from enlsp_proceedings.model.schema import Keynote, Paper, Person, Proceedings, Workshop
from enlsp_proceedings.util import latex
from enlsp_proceedings.util.text import ascii_words

MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
SUFFIXES = {"Jr.", "Jr", "Sr.", "Sr", "II", "III", "IV"}
NON_ARCHIVAL_NOTE = "Non-archival workshop paper"

# Combining accents that LaTeX's T1 encoding can put on a letter.
_ABOVE = {"\u0300": "`", "\u0301": "'", "\u0302": "^", "\u0303": "~", "\u0304": "=", "\u0306": "u",
          "\u0307": ".", "\u0308": '"', "\u030a": "r", "\u030b": "H", "\u030c": "v"}
_BELOW = {"\u0323": "d", "\u0327": "c", "\u0328": "k", "\u0331": "b"}
# Marks T1 has no accent for: the Vietnamese horn and hook above are dropped (ư -> u,
# ả -> a); the Romanian comma below becomes the cedilla it is commonly typeset as.
_T1_SUBSTITUTE = {"\u031b": "", "\u0309": "", "\u0326": "\u0327"}
# ASCII characters that are special to LaTeX or BibTeX, or form T1 ligatures (<< is «).
# Braces become macros: BibTeX counts every brace, escaped or not.
_ASCII_SPECIAL = {
    "%": r"{\%}", "&": r"{\&}", "_": r"{\_}", "#": r"{\#}", "$": r"{\$}",
    "{": r"{\textbraceleft}", "}": r"{\textbraceright}", "~": r"{\textasciitilde}",
    "\\": r"{\textbackslash}", "^": r"{\textasciicircum}", "<": r"{\ensuremath{<}}",
    ">": r"{\ensuremath{>}}", '"': r"{\textquotedbl}",
}
_LIGATURES = {"--", "``", "''", ",,", "?`", "!`"}
# Macros pylatexenc may produce that a plain pdflatex document (T1, kernel textcomp)
# defines; anything else (Cyrillic, amssymb symbols, ...) is degraded instead. Math
# macros count only inside \ensuremath.
_TEXT_MACROS = set(
    "i j l L o O ss SS ae AE oe OE aa AA DJ dj NG ng TH th DH dh ij IJ textsc "
    "guillemotleft guillemotright guilsinglleft guilsinglright quotedblbase quotesinglbase "
    "textemdash textendash textquoteleft textquoteright textquotedblleft textquotedblright "
    "textdagger textdaggerdbl textbullet textellipsis textperthousand texteuro textsterling textyen "
    "textcent textcurrency textsection textparagraph textcopyright textregistered texttrademark "
    "textdegree textexclamdown textquestiondown textordfeminine textordmasculine textonehalf "
    "textonequarter textthreequarters textmu texttimes textdiv textperiodcentered textflorin "
    "textrightarrow textleftarrow textuparrow textdownarrow textasciimacron textasciiacute "
    "textasciidieresis textbrokenbar textlnot textonesuperior texttwosuperior textthreesuperior".split()
)
_MATH_MACROS = set(
    "pm mp leq geq neq infty approx sim cdot times div rightarrow leftarrow leftrightarrow "
    "Rightarrow Leftarrow in notin subset subseteq cup cap forall exists partial nabla sum prod "
    "alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi "
    "pi varpi rho varrho sigma varsigma tau upsilon phi varphi chi psi omega Gamma Delta Theta "
    "Lambda Xi Pi Sigma Upsilon Phi Psi Omega".split()
)
_MATH = re.compile(r"^\{?\\ensuremath\{(?:\\([A-Za-z]+)|[^\\{}])\}\}?$")
# Bidi controls and zero-width characters: invisible, but they would reorder text.
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_CLUSTER = re.compile(r"(?s).[\u0300-\u036f]*")


@lru_cache(maxsize=1)
def _encoder():
    from pylatexenc.latexencode import UnicodeToLatexEncoder

    return UnicodeToLatexEncoder(
        non_ascii_only=True,
        replacement_latex_protection="braces-all",
        unknown_char_policy="fail",
        unknown_char_warning=False,
    )


# Letters LaTeX's utf8 input encoding sets up for T1 (t1enc.dfu): biber decodes an accent
# macro to the Unicode letter and writes it into the .bbl, so only these may be decoded.
_T1_LETTERS = frozenset(
    [c for c in range(0xC0, 0x180) if c not in (0xD7, 0xF7, 0x126, 0x127, 0x138, 0x13F, 0x140, 0x149, 0x166, 0x167, 0x17F)]
    + [*range(0x1CD, 0x1D5), 0x1E2, 0x1E3, *range(0x1E6, 0x1EC), 0x1F0, 0x1F4, 0x1F5]
)


def _accented(base: str, marks: str) -> str | None:
    r"""LaTeX for an ASCII letter with combining marks, or None if T1 cannot show it.

    Accents below go innermost, accents above outermost (biber decodes the innermost
    macro first and leaves the outer ones as macros: ``{\\'{\\d{o}}}`` reaches LaTeX as
    ``\\'ọ``; the other order gives a combining mark LaTeX cannot set), each as the standard macro that every reader decodes (``{\'{e}}``,
    ``{\d{o}}``, ``{\'{\d{o}}}``, ``{\~{\^{e}}}``: the ACL Anthology's form). ``{\'{i}}``,
    not ``{\'{\i}}``, which biber turns into "ı" plus a stray accent. biber decodes these
    macros to Unicode letters, some of which pdflatex's utf8 input does not set up (ọ, ẹ):
    `utf8_wanted` finds those and `bib_preamble` declares them for biber's documents (the .bib's ``@preamble``).
    """
    marks = "".join(_T1_SUBSTITUTE.get(m, m) for m in marks)
    above = [_ABOVE[m] for m in marks if m in _ABOVE]
    below = [_BELOW[m] for m in marks if m in _BELOW]
    if len(above) + len(below) != len(marks):
        return None
    if not marks:
        return base
    out, done = base, ""
    for accent, mark in [(_BELOW[m], m) for m in marks if m in _BELOW] + [(_ABOVE[m], m) for m in marks if m in _ABOVE]:
        inner = unicodedata.normalize("NFC", base + done)
        # an outer symbol accent on a letter pdflatex's utf8 does not know braces it once more:
        # biber then writes ``\`{ọ}``, which LaTeX reads, not ``\`ọ``, whose accent takes one byte of ọ
        # (a known letter stays unbraced, so T1's composite glyph, ``\~ê``, is used)
        # (only around the first accent: LaTeX's accent commands do not take a braced group holding braced accents)
        # biber writes even a letter LaTeX knows unbraced (\~ê), which pdflatex cannot read either
        braced = len(done) == 1 and not accent.isalpha() and bool(inner)
        out = f"\\{accent}{{{{{out}}}}}" if braced else f"\\{accent}{{{out}}}"
        done += mark
    return "{" + out + "}"


def _pylatexenc(char: str) -> str | None:
    try:
        latex = _encoder().unicode_to_latex(char)
    except ValueError:
        return None
    math = _MATH.match(latex)
    if math:
        return latex if math.group(1) is None or math.group(1) in _MATH_MACROS else None
    macros = re.findall(r"\\([A-Za-z]+)", latex)
    if "ensuremath" not in macros and all(macro in _TEXT_MACROS for macro in macros):
        return latex
    return None


def _latex_cluster(cluster: str) -> str:
    """One non-ASCII letter with any combining marks that follow it."""
    decomposed = unicodedata.normalize("NFD", cluster)
    base, marks = decomposed[0], decomposed[1:]
    if base.isascii() and base.isalpha():
        latex = _accented(base, marks)
        if latex is not None:
            return latex
    composed = unicodedata.normalize("NFC", cluster)
    if len(composed) == 1 and (latex := _pylatexenc(composed)):
        return latex
    if unicodedata.category(base).startswith("M"):
        return ""  # a stray combining mark with nothing to sit on
    if marks:  # drop marks T1 cannot show, keep the character
        return latex_escape(base)
    # Not `util.text.fold`: this is the text a reader sees, so case stays, and a letter is not
    # replaced by a reading of it (a compatibility form such as "ﬁ" or "²" is spelled out).
    folded = unicodedata.normalize("NFKD", base)
    folded = "".join(c for c in folded if c.isascii() and not unicodedata.combining(c))
    # Scripts pdflatex cannot set with T1 (CJK, Cyrillic, emoji) become a visible placeholder.
    return latex_escape(folded) if folded else "{?}"


def _normalize(text: str) -> str:
    """Text as a citation shows it (composed letters, no invisible characters, single spaces). Not a
    comparison key like `util.text.fold`: case and accents are the author's."""
    text = unicodedata.normalize("NFC", _INVISIBLE.sub("", text))
    return re.sub(r"\s+", " ", text).strip()


def latex_escape(text: str) -> str:
    """Unicode text -> LaTeX that pdflatex (T1, utf8) typesets as the same text."""
    out: list[str] = []
    previous = ""
    for cluster in _CLUSTER.findall(_normalize(text)):
        if len(cluster) == 1 and cluster.isascii():
            if previous + cluster in _LIGATURES:
                out.append("{}")
            out.append(_ASCII_SPECIAL.get(cluster, cluster))
            previous = cluster
        else:
            out.append(_latex_cluster(cluster))
            previous = ""
    return "".join(out)


_RUN = re.compile(r"(?:[^\W_][\u0300-\u036f]*)+")  # letters and digits (with their accents)


def _needs_protection(run: str, sentence_case: bool) -> bool:
    """Whether a style must not change the case of this run of letters and digits.

    Acronyms and words with inner capitals (BERT, DistilHuBERT, W8A8, T5) always; a
    capitalised word (a proper noun such as Kraków or Yorùbá) when the title is in
    sentence case, or, in a title-case title, when it has a letter outside ASCII
    (names and places; English title words have none); a lone capital (SYNTH-II,
    Part I, Model X) except the article "A".
    """
    if _inner_capital(run) or (len(run) == 1 and run.isupper() and run != "A"):
        return True
    return len(run) >= 2 and run[0].isupper() and (sentence_case or not run.isascii())


def _inner_capital(run: str) -> bool:
    return len(run) >= 2 and any(c.isupper() for c in run) and (any(c.isupper() for c in run[1:]) or any(c.isdigit() for c in run))


def _is_sentence_case(runs: list[str]) -> bool:
    """More lowercase than capitalised words of four letters or more, after the first word."""
    words = [r for r in runs[1:] if len(r) >= 4 and r.isalpha()]
    return sum(w[0].islower() for w in words) > sum(w[0].isupper() for w in words)


def _latex_plain_title(title: str, first_word: bool = True, sentence_case: bool | None = None) -> str:
    """Escape a title and brace-protect the words whose capitals a style must keep.

    Only the letters are braced (``{BART}:``, not ``{BART:}``), so the punctuation after a
    word keeps its meaning to BibTeX styles (a colon starts a new sentence). The first
    word needs no braces: styles keep its capital.
    """
    text = re.sub(r"\s+", " ", _INVISIBLE.sub("", unicodedata.normalize("NFC", title)))
    if sentence_case is None:
        sentence_case = _is_sentence_case(_RUN.findall(text))
    out = []
    for index, word in enumerate(text.split(" ")):
        pieces, at = [], 0
        for run in _RUN.finditer(word):
            pieces.append(latex_escape(word[at:run.start()]))
            encoded = latex_escape(run.group())
            first = first_word and index == 0 and run.start() == 0
            protect = _inner_capital(run.group()) if first else _needs_protection(run.group(), sentence_case)
            pieces.append("{" + encoded + "}" if encoded and protect else encoded)
            at = run.end()
        pieces.append(latex_escape(word[at:]))
        out.append("".join(pieces))
    return " ".join(out)


#: macros inline math may use in BibTeX: math whose macros are all here is kept as LaTeX (``$O(n^2)$``),
#: any other is written as text (``{\\$}\\textbackslash input...``), so no author text runs a command
SAFE_MATH_MACROS = _MATH_MACROS | set(
    "frac tfrac dfrac sqrt log ln exp max min arg argmax argmin sin cos tan mathcal mathbf mathrm mathit mathbb mathsf "
    "text textrm textit textbf operatorname left right mid ell hat tilde bar vec dot ddot prime ldots cdots dots "
    "le ge ne lt gt ll gg equiv propto mapsto to top star circ oplus otimes odot langle rangle lfloor rfloor lceil rceil".split()
)


def _math_is_safe(source: str) -> bool:
    depth = 0
    for char in source:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0 and "%" not in source and "#" not in source and all(
        m in SAFE_MATH_MACROS for m in re.findall(r"\\([A-Za-z]+)", source)) and not re.search(r"\\[^A-Za-z,;:! {}|_^]", source)


def _latex_spans(spans, first_word: bool, sentence_case: bool) -> str:
    out = []
    for span in spans:
        if span.kind == "text":
            out.append(_latex_plain_title(span.text, first_word, sentence_case))
        elif span.kind == "math":
            out.append("$" + span.text + "$" if _math_is_safe(span.text) else _latex_plain_title("$" + span.text + "$", first_word, sentence_case))
        else:
            command = {"em": "\\emph", "strong": "\\textbf", "sc": "\\textsc", "tt": "\\texttt"}.get(span.kind, "")
            inner = _latex_spans(span.children, first_word, sentence_case)
            out.append(f"{command}{{{inner}}}" if command else inner)
        first_word = False
    return "".join(out)


@lru_cache(maxsize=1024)
def literal_title(text: str) -> str:
    """A title-like field that is not an author's title or abstract (the workshop's booktitle, its
    name): every character escaped, as written, and the words whose capitals a style must keep
    brace-protected (`_latex_plain_title`)."""
    return re.sub(" +", " ", _latex_plain_title(text)).strip() or "{?}"  # BibTeX styles warn on an empty title


@lru_cache(maxsize=4096)
def latex_title(title: str) -> str:
    """A title for BibTeX: the author's LaTeX subset (`util.latex`: inline math, italics, bold) kept
    as LaTeX, every other character escaped, and the words whose capitals a style must keep
    brace-protected (`_latex_plain_title`)."""
    text = _normalize(title)
    sentence_case = _is_sentence_case(_RUN.findall(latex.plain(text)))
    out = re.sub(" +", " ", _latex_spans(latex.parse(text), True, sentence_case)).strip()
    return out or "{?}"  # BibTeX styles warn on an empty title


# -- names ----------------------------------------------------------------------------------

def split_name(name: str) -> tuple[str, str]:
    """(given, family) for a display name; particles stay with the family name."""
    tokens = _normalize(name).split()
    if len(tokens) <= 1:
        return "", " ".join(tokens)
    for i in range(1, len(tokens) - 1):
        if tokens[i].lower() in PARTICLES and tokens[i].islower():
            return " ".join(tokens[:i]), " ".join(tokens[i:])
    return " ".join(tokens[:-1]), tokens[-1]


def name_parts(person: Person | str) -> tuple[str, str, str]:
    """(given, family, suffix): ``family`` from the metadata when given, else guessed."""
    return _name_parts(person if isinstance(person, str) else person.name, None if isinstance(person, str) else person.family)


@lru_cache(maxsize=16384)
def _name_parts(name: str, family: str | None) -> tuple[str, str, str]:
    name = _normalize(name)
    family = None if family is None else _normalize(family)
    if family:
        if name == family:
            return "", family, ""
        if name.startswith(family + " "):
            return name[len(family) + 1:], family, ""
        if name.endswith(" " + family):
            return name[: -len(family) - 1], family, ""
    tokens = name.split()
    suffix = ""
    if len(tokens) > 2 and tokens[-1] in SUFFIXES:
        suffix, name = tokens[-1], " ".join(tokens[:-1])
    given, last = split_name(name)
    return given, last, suffix


def _name_part(text: str) -> str:
    # Brackets and parentheses hidden in braces: natbib styles put names into
    # \bibitem[Name(2031)] labels unbraced, and natbib splits those at "(".
    return re.sub(r"([()\[\]])", r"{\1}", latex_escape(text))


def bibtex_name(person: Person | str) -> str:
    """One author as BibTeX 'Family, Given'; names that would confuse BibTeX are braced whole."""
    if isinstance(person, str):
        return _bibtex_name(person, None)
    return _bibtex_name(person.name, person.family)


@lru_cache(maxsize=16384)
def _bibtex_name(name: str, family: str | None) -> str:
    """`bibtex_name` of a name and its declared family name, once per process (a name is on many
    papers, and every paper's entry names the volume's editors)."""
    given, family_name, suffix = _name_parts(name, family)
    name = _normalize(name)
    parts = [_name_part(family_name)] + ([_name_part(suffix)] if suffix else []) + [_name_part(given)]
    whole = _name_part(name) or "{?}"
    # " and " or a comma (also ones that only appear once encoded, e.g. from a full-width
    # comma) would split the name; an empty part would leave a dangling comma.
    if not all(parts) or re.search(r"\sand\s|,|^and\s|\sand$", whole, flags=re.IGNORECASE):
        return "{" + whole + "}"
    return ", ".join(parts)


def ris_name(person: Person | str) -> str:
    """RIS 'Family, Given, Suffix'; a name with ' and ' or a comma stays as written."""
    name = _normalize(person if isinstance(person, str) else person.name)
    if re.search(r"\sand\s|,", name, flags=re.IGNORECASE):
        return name
    given, family, suffix = name_parts(person)
    return ", ".join(x for x in (family, given, suffix) if x)


# -- keys -------------------------------------------------------------------------------------

_STOP = {"a", "an", "the", "on", "of", "for", "in", "to", "and", "with", "is", "are", "do", "we", "via", "by", "at"}


def base_key(authors: list[Person], year: int, title: str) -> str:
    """ACL Anthology style: silva-etal-2031-fast, raman-muller-2031-sparse, van-der-berg-2031-x;
    with no known authors, the title's first two words stand first: parameter-efficient-2031. Words are
    `util.text.ascii_words`: accents dropped, other scripts transliterated (张伟 -> zhang-2031-…,
    Иван Петров -> petrov-2031-…, Þórsson -> thorsson-2031-…)."""
    # only the names and words the key uses are transliterated (every build makes every key)
    if not authors:
        words = ascii_words(title)
        significant = [w for w in words if w not in _STOP] or words or ["untitled"]
        return "-".join(significant[:2]) + f"-{year}"
    families = ["-".join(ascii_words(name_parts(a)[1])) or "anon" for a in authors[:2 if len(authors) == 2 else 1]] or ["anon"]
    who = "-".join(families) if len(authors) <= 2 else f"{families[0]}-etal"
    first = None
    for w in ("".join(ascii_words(word)) for word in title.split()):
        if w:
            first = first or w
            if w not in _STOP:
                return f"{who}-{year}-{w}"
    return f"{who}-{year}-{first or 'untitled'}"


def citation_keys(proc: Proceedings) -> dict[str, str]:
    """Stable, unique keys for every paper and keynote.

    A key depends only on the entry's own authors, year and title; ties are broken by id
    (``-2``, ``-3`` in id order), never by list order, so reordering papers keeps keys.
    """
    wanted: dict[str, str] = {}
    for paper in proc.papers:
        wanted[f"paper:{paper.id}"] = base_key(paper.authors, proc.workshop.year, paper.title)
    for keynote in proc.keynotes:
        wanted[f"keynote:{keynote.id}"] = base_key(list(keynote.speakers), proc.workshop.year, keynote.title) + "-keynote"
    keys: dict[str, str] = {}
    taken = {key for key in wanted.values()}
    by_key: dict[str, list[str]] = {}
    for ident, key in wanted.items():
        by_key.setdefault(key, []).append(ident)
    for key in sorted(by_key):
        first, *others = sorted(by_key[key])
        keys[first] = key
        n = 2
        for ident in others:
            while f"{key}-{n}" in taken:
                n += 1
            keys[ident] = f"{key}-{n}"
            taken.add(keys[ident])
    return keys


# -- BibTeX ------------------------------------------------------------------------------------

def _bib_url(url: str) -> str:
    """URLs go in verbatim, except characters that would unbalance BibTeX or start a command."""
    return url.replace("\\", "%5C").replace("{", "%7B").replace("}", "%7D").replace(" ", "%20")


def _common_fields(workshop: Workshop, url: str) -> list[Field]:
    return [
        Field("year", str(workshop.year)),
        # unbraced: the month macro (BibTeX styles print "December"; biber reads 12)
        Field("month", MONTHS[workshop.date.month - 1], enclosing="no-enclosing"),
        Field("address", latex_escape(workshop.location)),
        Field("url", _bib_url(url)),
    ]


def paper_entry(
    paper: Paper, workshop: Workshop, key: str, url: str, crossref: str | None = None, editors: Sequence[Person] = (), et_al: bool = False
) -> Entry:
    """The BibTeX entry of a paper: @inproceedings, with the volume's ``editors`` (the organizers,
    as the ACL Anthology names a volume's editors in each entry), cross-referencing the volume's
    @proceedings (`proceedings_entry`) when ``crossref`` names it. ``et_al``: its authors are the
    first of more, written ``and others``, which BibTeX styles print as "et al.".

    A paper whose authors no source names has no author field (never "Anonymous"): styles label
    and sort it by ``key``, the title standing where the authors would, as APA and Chicago cite a
    work without author. Such a paper is a @misc with the volume as ``howpublished``: every
    standard BibTeX style requires an author of @inproceedings and warns ("empty author"),
    while @misc takes a work without one, in bibtex and in biber.
    """
    fields = [Field("title", latex_title(paper.title))]
    if paper.authors:
        fields.append(Field("author", " and ".join([bibtex_name(a) for a in paper.authors] + (["others"] if et_al else []))))
        fields.append(Field("booktitle", literal_title(workshop.booktitle)))
        if editors:
            fields.append(Field("editor", " and ".join(bibtex_name(e) for e in editors)))
    else:
        fields.append(Field("key", latex_title(paper.title)))
        fields.append(Field("howpublished", literal_title(workshop.booktitle)))
    fields += _common_fields(workshop, url)
    if not workshop.archival:
        fields.append(Field("note", NON_ARCHIVAL_NOTE))
    if crossref:
        fields.append(Field("crossref", crossref))
    return Entry("inproceedings" if paper.authors else "misc", key, fields)


def proceedings_key(workshop: Workshop, taken: set[str] | frozenset[str] = frozenset()) -> str:
    """The volume's citation key: its short name and year (``synth-i-2031``), unlike every key in ``taken``."""
    key = "-".join(ascii_words(workshop.short_name) or ["proceedings"]) + f"-{workshop.year}"
    return key if key not in taken else key + "-proceedings"


def proceedings_entry(workshop: Workshop, editors: list[Person], key: str) -> Entry:
    """The volume as a citable work: @proceedings with the organizers as editors, which papers
    and keynotes ``crossref``. It carries ``booktitle`` too, the field an @inproceedings inherits
    in bibtex (biber maps ``title`` itself). No publisher: the metadata names none."""
    fields = [Field("title", literal_title(workshop.booktitle)), Field("booktitle", literal_title(workshop.booktitle))]
    if editors:
        fields.append(Field("editor", " and ".join(bibtex_name(e) for e in editors)))
    else:
        fields.append(Field("key", literal_title(workshop.booktitle)))
    fields += [Field("eventtitle", literal_title(f"{workshop.title} ({workshop.short_name})")), Field("venue", latex_escape(workshop.venue))]
    fields += _common_fields(workshop, str(workshop.base_url))
    return Entry("proceedings", key, fields)


def keynote_entry(keynote: Keynote, workshop: Workshop, key: str, url: str, crossref: str | None = None) -> Entry:
    """The BibTeX @misc entry of a keynote talk (cross-referencing the volume when ``crossref`` names it)."""
    fields = [
        Field("title", latex_title(keynote.title)),
        Field("author", " and ".join(bibtex_name(s) for s in keynote.speakers)),
        Field("howpublished", literal_title(workshop.labels.keynote_talk) + " at " + literal_title(f"{workshop.title} ({workshop.short_name}), {workshop.venue}")),
        *_common_fields(workshop, url),
    ]
    if crossref:
        fields.append(Field("crossref", crossref))
    return Entry("misc", key, fields)


#: where an accent macro written by `_accented` starts: ``{\'{``, ``{\d{``
_ACCENT_START = re.compile(r"\{\\(?:[`'^~=.\"]|[uvHrdckb])\{")


def _accent_groups(text: str):
    r"""Each braced accent group of BibTeX text (``{\~{{\^{e}}}}``), nested ones too."""
    for match in _ACCENT_START.finditer(text):
        depth = 0
        for at in range(match.start(), len(text)):
            depth += {"{": 1, "}": -1}.get(text[at], 0)
            if depth == 0:
                yield text[match.start():at + 1]
                break


@lru_cache(maxsize=4096)
def _group_declarations(group: str) -> tuple[tuple[str, str], ...]:
    """(character, LaTeX) pairs `utf8_wanted` finds in one accent group."""
    wanted: dict[str, str] = {}
    for cluster in _CLUSTER.findall(unicodedata.normalize("NFD", latex_to_text(group))):
        base, marks = cluster[0], cluster[1:]
        if not (marks and base.isascii() and base.isalpha()):
            continue
        ordered = [m for m in marks if m in _BELOW] + [m for m in marks if m in _ABOVE]
        for n in range(1, len(ordered) + 1):  # biber decodes from the innermost macro out
            letter = unicodedata.normalize("NFC", base + "".join(ordered[:n]))
            if len(letter) == 1 and ord(letter) not in _T1_LETTERS and (latex := _accented(base, "".join(ordered[:n]))):
                wanted[letter] = latex
            if len(letter) > 1 or (n > 1 and (_BELOW.get(ordered[n - 1]) or _ABOVE.get(ordered[n - 1], "")).isalpha()):
                # a letter Unicode has no single character for (x́), or a letter accent (\\u) outside
                # another: biber writes a combining mark, which pdflatex cannot place; it is left out
                # of what pdflatex typesets (ặ shows as ạ), and readers still get the whole letter
                wanted[ordered[n - 1]] = ""
    return tuple(wanted.items())


def utf8_wanted(entries: list[Entry] | list[str]) -> dict[str, str]:
    r"""The letters of the entries (or entry texts) that biber decodes to Unicode and pdflatex's utf8
    input does not set up (ọ, ẹ, ạ: T1 typesets them from accent macros, which the .bib holds), each
    with the LaTeX to declare it as (from the last group met that decodes to it); `bib_preamble`
    declares them. bibtex passes the macros through and needs none of this. Only the accent groups
    are decoded, each once per process (a 1,000-paper volume has a few dozen). A series keeps each
    edition's, to declare the letters of all of them (``dict.update`` of each edition's in order)
    without reading their texts again."""
    wanted: dict[str, str] = {}
    for item in entries:
        values = [item] if isinstance(item, str) else [f.value for f in item.fields if isinstance(f.value, str)]
        for value in values:
            if "\\" in value:
                for group in _accent_groups(value):
                    wanted.update(_group_declarations(group))
    return wanted


def entry_text(entry: Entry) -> str:
    """The BibTeX text of one entry (as `to_bibtex` writes it, without the @preamble)."""
    library = bibtexparser.Library()
    library.add(entry)
    return bibtexparser.write_string(library).strip()


def with_crossref(text: str, key: str) -> str:
    """One entry's text (`entry_text`) with a ``crossref`` field naming ``key`` added last, and
    without its ``editor`` field, which it inherits from the entry it cross-references."""
    if not text.endswith("\n}"):
        raise ValueError("not an entry written by entry_text")
    text = re.sub(r"\n\teditor = \{[^\n]*\},(?=\n)", "", text, count=1)
    return text[:-2] + f",\n\tcrossref = {{{key}}}\n}}"


def without_preamble(text: str) -> str:
    """BibTeX text written by `join_bibtex` without its @preamble (its first line), if it has one."""
    return text.split("\n", 1)[1].lstrip("\n") if text.startswith("@preamble{") and "\n" in text else text


def join_bibtex(texts: list[str]) -> str:
    r"""A .bib file of entries already written (`entry_text`): when biber would decode letters
    pdflatex's utf8 input does not know, an ``@preamble`` first declares them (`utf8_wanted`, `bib_preamble`),
    only where LaTeX takes declarations (in the preamble, where biblatex reads it; bibtex's .bbl
    is read in the document, and needs none) and only in a LaTeX that has them (``\ifdefined``)."""
    return bib_preamble(utf8_wanted(texts)) + "\n\n\n".join(texts) + "\n"


def bib_preamble(wanted: dict[str, str]) -> str:
    r"""The ``@preamble`` that `join_bibtex` starts a .bib with: ``\DeclareUnicodeCharacter`` of each
    letter of ``wanted`` (`utf8_wanted`), in code point order, in one line, then one blank line (a
    page's Cite tab shows it); none without any."""
    if not wanted:
        return ""
    declarations = "".join(f"\\DeclareUnicodeCharacter{{{ord(c):04X}}}{{{wanted[c]}}}" for c in sorted(wanted))
    return ('@preamble{"\\ifdefined\\DeclareUnicodeCharacter\\expandafter\\ifx\\csname @notprerr\\endcsname\\DeclareUnicodeCharacter\\else'
            + declarations + '\\fi\\fi"}\n\n')


def to_bibtex(entries: list[Entry]) -> str:
    """BibTeX text of the entries, each field already encoded for LaTeX (`join_bibtex`)."""
    return join_bibtex([entry_text(e) for e in entries])


@lru_cache(maxsize=1)
def _decoder():
    from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

    context = get_default_latex_context_db()
    context.add_context_category("enlsp", prepend=True, macros=[
        MacroTextSpec("textbraceleft", "{"), MacroTextSpec("textbraceright", "}"),
        MacroTextSpec("textquotedbl", '"'), MacroTextSpec("textless", "<"), MacroTextSpec("textgreater", ">"),
        MacroTextSpec("textasciicircum", "^"), MacroTextSpec("textperiodcentered", "·"),
    ])
    return LatexNodes2Text(latex_context=context, math_mode="text", strict_latex_spaces=True)


def latex_to_text(latex: str) -> str:
    """Decode BibTeX/LaTeX field text back to Unicode (NFC): the inverse of `latex_escape`."""
    latex = re.sub(r"\\\^\^([0-9a-f]{2})", lambda m: "\\" + chr(int(m.group(1), 16)), latex)  # TeX's ^^64 is "d"
    return unicodedata.normalize("NFC", _decoder().latex_to_text(latex))


# -- RIS, ACL, Markdown -----------------------------------------------------------------------

def _plain(text: str) -> str:
    return re.sub(r"\s+", " ", _INVISIBLE.sub("", text)).strip()


def to_ris(paper: Paper, workshop: Workshop, url: str, pdf_url: str | None) -> str:
    """The RIS record of a paper (one tag per line; line breaks in values folded)."""
    lines = [("TY", "CPAPER"), ("TI", latex.plain(paper.title))]
    lines += [("AU", ris_name(author)) for author in paper.authors]
    lines += [
        ("PY", str(workshop.year)),
        ("DA", workshop.date.strftime("%Y/%m/%d")),
        ("T2", workshop.booktitle),
        ("CY", workshop.location),
        ("UR", url),
    ]
    if pdf_url:
        lines.append(("L1", pdf_url))
    lines.append(("AB", latex.plain(paper.abstract)))
    if not workshop.archival:
        lines.append(("N1", NON_ARCHIVAL_NOTE))
    lines.append(("ER", ""))
    return "".join(f"{tag}  - {_plain(value)}\n" for tag, value in lines)


def _join_names(names: list[str], et_al: bool = False) -> str:
    if et_al:  # the first authors of a longer list
        return ", ".join(names) + ", et al"  # the citation adds the period
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + ", and " + names[-1]


def to_acl_text(paper: Paper, workshop: Workshop, et_al: bool = False) -> str:
    """A plain-text citation in the ACL Anthology's style (``et_al``: the authors are the first of more)."""
    names = _join_names([_plain(a.name) for a in paper.authors], et_al)
    if not names:  # the title takes the authors' place
        return f"{_plain(latex.plain(paper.title))}. {workshop.year}. In {_plain(workshop.booktitle)}, {_plain(workshop.location)}."
    return f"{names}. {workshop.year}. {_plain(latex.plain(paper.title))}. In {_plain(workshop.booktitle)}, {_plain(workshop.location)}."


# Characters that can start inline markup (emphasis, code, links, autolinks and HTML, entities,
# GFM strikethrough and tables, Pandoc math) are backslash-escaped; other punctuation (the
# apostrophe, colon, hyphen, parentheses of ordinary titles) is left alone.
_MD_INLINE = re.compile(r"([\\`*_\[\]<>&~$|])")
# Block markers at the start of the line (heading, quote, list item, setext underline).
_MD_BLOCK_START = re.compile(r"^(?:([#>+=-])|(\d{1,9})([.)]))")


def markdown_escape(text: str, line_start: bool = False) -> str:
    """Text with Markdown's punctuation escaped (and, at a line start, what would begin a heading, list or quote)."""
    out = _MD_INLINE.sub(r"\\\1", _plain(text))
    if line_start:
        out = _MD_BLOCK_START.sub(lambda m: "\\" + m.group(1) if m.group(1) else m.group(2) + "\\" + m.group(3), out)
    return out


def to_markdown(paper: Paper, workshop: Workshop, url: str, et_al: bool = False) -> str:
    """A Markdown citation of a paper, with a link to its page (``et_al``: the authors are the first of more)."""
    names = markdown_escape(_join_names([_plain(a.name) for a in paper.authors], et_al), line_start=True)
    if not names:  # the title takes the authors' place
        return f"[{markdown_escape(latex.plain(paper.title))}]({url}). {workshop.year}. In *{markdown_escape(workshop.booktitle)}*."
    return f"{names}. {workshop.year}. [{markdown_escape(latex.plain(paper.title))}]({url}). In *{markdown_escape(workshop.booktitle)}*."


# -- CSL-JSON (Zotero, Pandoc, citeproc) and names for Google Scholar ---------------------------

def csl_name(person: Person | str) -> dict[str, str]:
    """A CSL name: family and given (particles stay in the family), or a literal for an organisation."""
    name = _plain(person if isinstance(person, str) else person.name)
    if re.search(r"\sand\s|,", name, flags=re.IGNORECASE):
        return {"literal": name}
    given, family, suffix = name_parts(person)
    out = {"family": family}
    if given:
        out["given"] = given
    if suffix:
        out["suffix"] = suffix
    return out


def scholar_name(person: Person, shown: str) -> str:
    """Google Scholar's citation_author: "Family, Given" when the metadata names the family
    (so "Nguyễn Văn An" is filed under Nguyễn), else the name as shown."""
    if person.family:
        given, family, _ = name_parts(person)
        if given:
            return f"{family}, {given}"
    return shown


def _issued(workshop: Workshop) -> dict:
    return {"date-parts": [[workshop.date.year, workshop.date.month, workshop.date.day]]}


def csl_paper(paper: Paper, workshop: Workshop, key: str, url: str, pdf_url: str | None, pages: int | None) -> dict:
    """One CSL-JSON item (https://citeproc-js.readthedocs.io/en/latest/csl-json/markup.html)."""
    item: dict = {
        "id": key,
        "type": "paper-conference",
        "title": _plain(latex.plain(paper.title)),
        "author": [csl_name(a) for a in paper.authors],
        "container-title": _plain(workshop.booktitle),
        "event-title": _plain(f"{workshop.title} ({workshop.short_name})"),
        "event-place": _plain(workshop.location),
        "publisher-place": _plain(workshop.location),
        "issued": _issued(workshop),
        "abstract": _plain(latex.plain(paper.abstract)),
        "URL": url,
    }
    if pages:
        item["number-of-pages"] = str(pages)
    if pdf_url:
        item["link"] = [{"url": pdf_url, "content-type": "application/pdf"}]  # Zotero's attachment hint; ignored by citeproc
    if not workshop.archival:
        item["note"] = NON_ARCHIVAL_NOTE
    return item


def csl_keynote(keynote: Keynote, workshop: Workshop, key: str, url: str) -> dict:
    """The CSL-JSON item of a keynote talk (type speech)."""
    item: dict = {
        "id": key,
        "type": "speech",
        "title": _plain(latex.plain(keynote.title)),
        "author": [csl_name(s) for s in keynote.speakers],
        "genre": workshop.labels.keynote_talk,
        "event-title": _plain(f"{workshop.title} ({workshop.short_name}), {workshop.venue}"),
        "event-place": _plain(workshop.location),
        "issued": _issued(workshop),
        "URL": url,
    }
    if keynote.abstract:
        item["abstract"] = _plain(latex.plain(keynote.abstract))
    return item


def csl_proceedings(workshop: Workshop, editors: Sequence[Person], key: str) -> dict:
    """The volume as a CSL-JSON item (type book, the organizers its editors), as BibTeX's
    @proceedings (`proceedings_entry`), under the same key."""
    item: dict = {"id": key, "type": "book", "title": _plain(workshop.booktitle)}
    if editors:
        item["editor"] = [csl_name(e) for e in editors]
    item.update({
        "event-title": _plain(f"{workshop.title} ({workshop.short_name})"),
        "event-place": _plain(workshop.location),
        "publisher-place": _plain(workshop.location),
        "issued": _issued(workshop),
        "URL": str(workshop.base_url),
    })
    if not workshop.archival:
        item["note"] = NON_ARCHIVAL_NOTE
    return item
