"""Text folding, transliteration, slugs and name comparison: the one place where the tool makes text
comparable or ASCII.

It owns the operations that used to be written out in several modules: `fold` (accent- and
case-insensitive form, for comparing), `romanize` (`fold`, with letters of other scripts
transliterated), `slug` (author page names), `ascii_words` (the words of citation keys), `compact`
(titles and track names compared as a reader would: no spaces or punctuation), `QUOTES` (quote
styles made plain) and the edit-distance tests on names (`edits_within`, `one_letter_apart`).
Display text is not its business: escaping for LaTeX, RIS or HTML stays with each output, and the
few folds that differ on purpose say why where they are (a PDF's hyphenation and name punctuation
in `pdf.check`, LaTeX's fallback letters in `outputs.cite`).

Transliteration uses text-unidecode, python-slugify's default transliterator. Compared with
anyascii on names in many scripts (CJK, Korean, Cyrillic, Greek, Icelandic, Vietnamese, Arabic,
Hebrew, Devanagari, Thai, emoji), both read well for Cyrillic, Icelandic and Vietnamese, but
text-unidecode keeps Chinese syllables apart ("张伟" -> "Zhang Wei", slug ``zhang-wei``; anyascii
writes "ZhangWei", slug ``zhangwei``), spells Greek ου as "ou" ("Papadopoulos"; anyascii
"Papadopoylos"), and drops an emoji (anyascii writes ":slight_smile:", which would become words of
a slug). Its tables are frozen (1.3, 2019), so an upgrade cannot move an author's URL or a citation
key; anyascii's change between releases. python-slugify itself is not used: to keep today's slugs
its HTML-entity decoding ("&amp;" -> "&") and its removal of a comma between digits ("1,2" -> "12")
would have to be turned off and its ``backend="auto"`` (which switches to the GPL Unidecode whenever
that happens to be installed) pinned, and what would be left is the one regular expression in `slug`.

Stability: every function folds first, exactly as the tool always did (NFKD, combining marks
dropped, casefold, ß ø đ ł spelled out), and transliterates only what is still not ASCII after that.
A name or title that folded to ASCII before gets the same slug and key as before; only text whose
letters used to be dropped (张伟 and Иван Петров both became "person", Æsir Þórsson "sir-orsson")
reads differently now.
"""

from __future__ import annotations

import functools
import re
import unicodedata

#: Slugs become file names (limit 255 bytes) and URLs: long names are cut (callers keep them unique).
MAX_SLUG = 80


@functools.lru_cache(maxsize=1 << 14)  # called per pair of names by likely_variants
def fold(text: str) -> str:
    """Accent- and case-insensitive form: 'Guimarães' -> 'guimaraes'. Letters of other scripts stay
    as they are (for comparing text; `romanize` when the result must be readable in ASCII)."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.casefold().replace("ß", "ss").replace("ø", "o").replace("đ", "d").replace("ł", "l")


@functools.lru_cache(maxsize=1 << 12)
def romanize(text: str) -> str:
    """`fold`, with every letter, digit or mark still outside ASCII replaced by its lower-case ASCII
    reading (text-unidecode): 'Æsir Þórsson' -> 'aesir thorsson', '张伟' -> 'zhang wei', 'Иван' ->
    'ivan'; a letter with no reading is dropped. Punctuation and symbols are left as `fold` leaves
    them ('O’Brien' -> 'o’brien'), so a curly apostrophe still joins a word where the tool always
    dropped it. Text whose letters `fold` makes ASCII is returned exactly as `fold` gives it; a
    transliterated one has its spaces collapsed (text-unidecode ends each Chinese syllable with one)."""
    folded = fold(text)
    if folded.isascii() or not any(not c.isascii() and unicodedata.category(c)[0] in "LNM" for c in folded):
        return folded
    from text_unidecode import unidecode  # here: its table takes ~30 ms to load, and most volumes never need it

    spelled = "".join(unidecode(c).lower() if not c.isascii() and unicodedata.category(c)[0] in "LNM" else c for c in folded)
    return " ".join(spelled.split())


def _ascii(text: str) -> str:
    """`romanize`, without whatever is still not ASCII (punctuation such as ’ or –, emoji)."""
    return romanize(text).encode("ascii", "ignore").decode()


def slug(text: str, max_length: int = MAX_SLUG) -> str:
    """A readable ASCII name for a URL or file: 'Jürgen Müller' -> 'jurgen-muller', '张伟' ->
    'zhang-wei', 'Иван Петров' -> 'ivan-petrov': the ASCII letters and digits of `romanize` joined by
    single hyphens, cut to ``max_length``. Empty when nothing in ``text`` has an ASCII reading
    (callers choose a fallback)."""
    return _NOT_SLUG.sub("-", _ascii(text)).strip("-")[:max_length].strip("-")


_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def ascii_words(text: str) -> list[str]:
    """The runs of ASCII letters and digits of `romanize` (``text``): the words of a citation key.
    'İsmail Işık' -> ['ismail', 'isik'], 'Þórsson' -> ['thorsson'], '高效' -> ['gao', 'xiao']."""
    return _WORD.findall(_ascii(text))


_WORD = re.compile(r"[a-z0-9]+")
_NOT_WORD = re.compile(r"[\W_]+")


def compact(text: str) -> str:
    """`fold` without spaces or punctuation: how a reader compares titles and names ("Few Shot" and
    "Few-shot", a dropped colon, another case or accent are one). Keeps non-Latin letters."""
    return _NOT_WORD.sub("", fold(text))


#: Typographic quotes and apostrophes as the plain ones (`str.translate` table): text that differs only
#: in quote style reads the same ("King’s College" and "King's College", an export's “quotes”).
QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u2032": "'", "`": "'", "\u00b4": "'",
                        "\u201c": '"', "\u201d": '"', "\u201e": '"'})


def edits_within(a: str, b: str, limit: int) -> bool:
    """Whether ``a`` becomes ``b`` with at most ``limit`` single-letter insertions, deletions or
    substitutions (Levenshtein distance, rapidfuzz; it stops counting past ``limit``)."""
    return _levenshtein()(a, b, score_cutoff=limit) <= limit


def one_letter_apart(a: str, b: str) -> bool:
    """Exactly one letter inserted, deleted or replaced ("emani" / "emami"): a typo, not another word."""
    return _levenshtein()(a, b, score_cutoff=1) == 1


@functools.cache
def _levenshtein():
    """rapidfuzz's Levenshtein distance, imported on first use (not at every command's start)."""
    from rapidfuzz.distance import Levenshtein

    return Levenshtein.distance


def alike(a: str, b: str, least: float = 0.8) -> bool:
    """Whether two words share most of their letters in order: rapidfuzz's normalized InDel similarity
    (``2 * common letters / (len(a) + len(b))``) at least ``least`` ("zou" / "zhou": 0.86)."""
    from rapidfuzz.distance import Indel

    return Indel.normalized_similarity(a, b) >= least
