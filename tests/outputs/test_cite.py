"""Citations: real pdflatex + bibtex accept every entry, and entries round-trip when parsed back."""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata

import bibtexparser
import pybtex.database
import pytest
from bibtexparser.middlewares import SeparateCoAuthors, SplitNameParts
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from enlsp_proceedings.model.load import load_proceedings
from enlsp_proceedings.model.schema import Keynote, Paper, Person, Workshop
from enlsp_proceedings.outputs import citation, cite
from enlsp_proceedings.outputs.volume import Volume
from synthetic import UNICODE_AUTHORS, UNICODE_TITLES, unicode_workshop, workshop_yaml

WORKSHOP = Workshop.model_validate(workshop_yaml())
PAPER_FIELDS = {"title", "author", "booktitle", "year", "month", "address", "url", "note"}
KEYNOTE_FIELDS = {"title", "author", "howpublished", "year", "month", "address", "url"}
# in a volume, papers and keynotes cross-reference its @proceedings entry
VOLUME_PAPER_FIELDS = PAPER_FIELDS | {"crossref"}
VOLUME_KEYNOTE_FIELDS = KEYNOTE_FIELDS | {"crossref"}


def nfc(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


@pytest.fixture(scope="module")
def volume(tmp_path_factory) -> Volume:
    root = tmp_path_factory.mktemp("unicode")
    unicode_workshop(root, make_pdfs=False)
    return Volume(load_proceedings(root / "conf"), {})


def every_entry(volume: Volume) -> str:
    """proceedings.bib: every paper and keynote, then the @proceedings entry (once)."""
    return volume.volume_bibtex()


def shown_name(given: str, family: str, jr: str, person: Person) -> str:
    """Rebuild the display name from parsed BibTeX name parts (family-first when declared so)."""
    given, family, jr = (cite.latex_to_text(x) for x in (given, family, jr))
    if person.family and nfc(person.name).startswith(nfc(person.family) + " "):
        return f"{family} {given}"
    return " ".join(x for x in (given, family, jr) if x)


# -- real LaTeX ----------------------------------------------------------------------------

DEGRADED = Paper(
    id="degraded", title="中文 🎉 Жизнь Trương Ảnh Știință ſ ŉ ĸ ≲ x\u0301\u0302", abstract="x", presentation="poster",
    authors=[Person(name="王小明"), Person(name="Trương Ảnh"), Person(name="Ștefan Țurcanu")],
)


def run(cmd: list[str], cwd) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=120, encoding="utf-8", errors="replace")


@pytest.mark.latex
@pytest.mark.skipif(not (shutil.which("pdflatex") and shutil.which("bibtex")), reason="needs pdflatex and bibtex")
@pytest.mark.parametrize("style", ["plain", "plainnat"])
def test_pdflatex_and_bibtex_accept_every_entry(volume, tmp_path, style):
    bib = every_entry(volume) + cite.to_bibtex([cite.paper_entry(DEGRADED, WORKSHOP, "degraded-2031", "https://example.org/x")])
    (tmp_path / "refs.bib").write_text(bib, encoding="utf-8")
    natbib = r"\usepackage{natbib}" if style == "plainnat" else ""
    (tmp_path / "doc.tex").write_text("\n".join([
        r"\documentclass{article}", r"\usepackage[T1]{fontenc}", r"\usepackage[utf8]{inputenc}", r"\usepackage{lmodern}",
        natbib, r"\tracinglostchars=2", r"\begin{document}", r"\nocite{*}", rf"\bibliographystyle{{{style}}}",
        r"\bibliography{refs}", r"\end{document}", "",
    ]), encoding="utf-8")
    latex = ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "doc.tex"]
    assert run(latex, tmp_path).returncode == 0, (tmp_path / "doc.log").read_text(errors="replace")[-3000:]
    bibtex = run(["bibtex", "doc"], tmp_path)
    blg = (tmp_path / "doc.blg").read_text(errors="replace")
    assert bibtex.returncode == 0, blg
    assert not re.search(r"^Warning--|error message|^I was expecting|^I'm skipping", blg, flags=re.M), blg
    for _ in range(2):
        result = run(latex, tmp_path)
        log = (tmp_path / "doc.log").read_text(errors="replace")
        assert result.returncode == 0, log[-3000:]
    assert not re.search(r"Warning|Missing character|Undefined control sequence|^! ", log, flags=re.M), log
    bbl = (tmp_path / "doc.bbl").read_text(errors="replace")
    keys = {e.key for e in bibtexparser.parse_string(bib).entries}
    assert len(keys) == len(volume.proc.papers) + len(volume.proc.keynotes) + 1 + 1  # + the volume's @proceedings
    assert bbl.count("\\bibitem") == len(keys) and all("{" + key + "}" in bbl for key in keys)


CASED = Paper(
    id="cased", title="BART: Denoising pretraining with T5 for Kraków and Yorùbá speech", abstract="x", presentation="poster",
    authors=[Person(name="Nguyễn Văn An", family="Nguyễn"), Person(name="Jiří García")],
)


def pdf_text(tmp_path) -> str:
    return unicodedata.normalize("NFC", run(["pdftotext", "-enc", "UTF-8", "doc.pdf", "-"], tmp_path).stdout)


#: spacing accents pdftotext writes before a letter where T1 set the accent over it as a glyph of
#: its own (no composite glyph: ọ̀ is "`o."), and the combining mark each stands for
_SPACING_ACCENTS = {"`": "\u0300", "\u00b4": "\u0301", "\u02c6": "\u0302", "\u02dc": "\u0303", "\u00a8": "\u0308", "\u02d8": "\u0306",
                    "\u02c7": "\u030c", "\u00af": "\u0304", "\u02d9": "\u0307", "\u02da": "\u030a", "\u02dd": "\u030b"}


def letters(text: str) -> str:
    """Text with its accents as pdftotext can tell them apart: a spacing accent before a letter is
    put on the letter; dots below (which pdftotext reads as "." after the letter) are left out."""
    text = re.sub("([" + "".join(_SPACING_ACCENTS) + r"])(\w[\u0300-\u036f]*)", lambda m: m.group(2) + _SPACING_ACCENTS[m.group(1)], unicodedata.normalize("NFD", text))
    return unicodedata.normalize("NFC", re.sub("[\u0323.]", "", unicodedata.normalize("NFD", text)))


@pytest.mark.latex
@pytest.mark.skipif(not (shutil.which("pdflatex") and shutil.which("bibtex") and shutil.which("pdftotext")), reason="needs pdflatex, bibtex, pdftotext")
def test_bibtex_styles_keep_acronyms_and_proper_nouns_and_print_the_month(tmp_path):
    """plain lowercases titles: T5, BART, Kraków and Yorùbá keep their capitals, the colon stays, "December" is spelled out."""
    (tmp_path / "refs.bib").write_text(cite.to_bibtex([cite.paper_entry(CASED, WORKSHOP, "cased-2031", "https://example.org/c")]), encoding="utf-8")
    (tmp_path / "doc.tex").write_text("\n".join([
        r"\documentclass{article}", r"\usepackage[T1]{fontenc}", r"\usepackage[utf8]{inputenc}", r"\usepackage{lmodern}",
        r"\begin{document}", r"\nocite{*}", r"\bibliographystyle{plain}", r"\bibliography{refs}", r"\end{document}", "",
    ]), encoding="utf-8")
    latex = ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "doc.tex"]
    assert run(latex, tmp_path).returncode == 0
    assert run(["bibtex", "doc"], tmp_path).returncode == 0
    assert run(latex, tmp_path).returncode == 0
    text = " ".join(pdf_text(tmp_path).split())
    assert "BART: Denoising pretraining with T5 for Kraków and Yorùbá speech" in text, text
    assert "December 2031" in text and "dec 2031" not in text.lower().replace("december 2031", ""), text
    # ễ is a tilde set over T1's ê glyph, which pdftotext may read as "˜ê" (see `letters`)
    assert letters("Nguyễn") in letters(text) and "García" in text, text


def test_month_is_the_unbraced_macro_and_only_letters_are_protected():
    bib = cite.to_bibtex([cite.paper_entry(CASED, WORKSHOP, "cased-2031", "https://example.org/c")])
    assert "month = dec," in bib
    title = cite.latex_title(CASED.title)
    assert title.startswith("{BART}: Denoising pretraining with {T5} for {Krak{\\'{o}}w} and {Yor")
    # title case: only the non-English proper nouns and acronyms are protected
    assert cite.latex_title("Efficient Speech Recognition for Yorùbá with GPT-3") == "Efficient Speech Recognition for {Yor{\\`{u}}b{\\'{a}}} with {GPT}-3"
    assert cite.latex_title("Fast pruning of large language models: Lisbon, part I") == "Fast pruning of large language models: {Lisbon}, part {I}"  # sentence case: capitalised words are names


@pytest.mark.latex
@pytest.mark.skipif(not (shutil.which("pdflatex") and shutil.which("biber") and shutil.which("pdftotext")), reason="needs pdflatex, biber, pdftotext")
def test_biber_and_biblatex_accept_every_entry_with_the_right_letters(volume, tmp_path):
    """The same .bib works in biber: no biber error or warning, no LaTeX error, and the letters come out right.

    biber decodes accent macros to Unicode for pdflatex's utf8 input encoding, which knows
    only Latin-1 and Latin Extended-A: other letters (ễ, ọ, ặ) must reach LaTeX as macros.
    """
    bib = every_entry(volume) + cite.to_bibtex([cite.paper_entry(p, WORKSHOP, p.id, "https://example.org/x") for p in (DEGRADED, CASED)])
    (tmp_path / "refs.bib").write_text(bib, encoding="utf-8")
    (tmp_path / "doc.tex").write_text("\n".join([
        r"\documentclass{article}", r"\usepackage[T1]{fontenc}", r"\usepackage[utf8]{inputenc}", r"\usepackage{lmodern}",
        r"\usepackage[backend=biber,style=authoryear]{biblatex}", r"\addbibresource{refs.bib}", r"\tracinglostchars=2",
        r"\begin{document}", r"\nocite{*}", r"\printbibliography", r"\end{document}", "",
    ]), encoding="utf-8")
    latex = ["pdflatex", "-interaction=nonstopmode", "doc.tex"]
    run(latex, tmp_path)
    biber = run(["biber", "doc"], tmp_path)
    blg = (tmp_path / "doc.blg").read_text(errors="replace")
    assert biber.returncode == 0 and not re.search(r"ERROR|WARN", blg), blg
    bbl = (tmp_path / "doc.bbl").read_text(encoding="utf-8")
    # a combining mark biber writes (x́, and the breve it puts before ạ) is declared by the .bib's @preamble,
    # so pdflatex leaves it out instead of choking on it (the readers, pylatexenc and bibtexparser, get it)
    for mark in set(re.findall("[\u0300-\u036f]", bbl)):
        assert f"\\DeclareUnicodeCharacter{{{ord(mark):04X}}}{{}}" in bib, hex(ord(mark))
    assert bbl.count("\\entry{") == len(volume.proc.papers) + len(volume.proc.keynotes) + 2 + 1  # + the volume
    for _ in range(2):
        run(latex, tmp_path)
    log = (tmp_path / "doc.log").read_text(errors="replace")
    assert not re.search(r"^! |Missing character|Undefined control sequence|not set up for use", log, flags=re.M), log[-3000:]
    text = " ".join(pdf_text(tmp_path).split())
    # the choice (README): a letter accent outside a letter pdflatex's utf8 does not know (the breve of ặ)
    # reaches pdflatex through biber as a combining mark, left out: "Đặng" typesets as "Đạng" with biber
    # (bibtex typesets it whole); readers decode the .bib's macros to "Đặng"
    for word in ["Nguyễn", "García", "Adébáyọ̀", "Thị", "Ngọc", "Kraków", "Yorùbá", "Jiří", "Łukasz", "Groß-Müller", "Işık", "Tiếng"]:
        # pdftotext reads an accent T1 builds from two glyphs apart (ọ is "o" and ".", ọ̀ is "`o."): see `letters`
        assert letters(word) in letters(text), word
    assert "BART: Denoising pretraining with T5" in text


WIDE = [c for start, end in [(0x20, 0x7F), (0xA0, 0x250), (0x300, 0x370), (0x370, 0x400), (0x400, 0x500),
                              (0x1E00, 0x1F00), (0x2000, 0x2070), (0x20A0, 0x20C0), (0x2190, 0x2300), (0x4E00, 0x4E40),
                              (0xAC00, 0xAC20), (0x1F600, 0x1F620)]
        for c in map(chr, range(start, end)) if unicodedata.category(c) not in ("Cc", "Cs", "Cn")]


@pytest.mark.latex
@pytest.mark.skipif(not (shutil.which("pdflatex") and shutil.which("bibtex")), reason="needs pdflatex and bibtex")
@pytest.mark.parametrize("style, seed", [("plain", 20221202), ("plainnat", 5)])
def test_pdflatex_accepts_random_text_from_many_scripts(tmp_path, style, seed):
    """Whatever the characters (Greek, Cyrillic, CJK, emoji, math, stray marks, brackets), the .bib typesets."""
    import random

    rng = random.Random(seed)

    def text(n: int) -> str:
        return "".join(rng.choice(WIDE) for _ in range(n)) or "x"

    entries = []
    for i in range(300):
        try:
            paper = Paper(id=f"r{i}", title=text(rng.randint(1, 40)), abstract="a", presentation="oral",
                          authors=[Person(name=text(rng.randint(1, 15))) for _ in range(rng.randint(1, 3))])
        except ValidationError:
            continue
        entries.append(cite.paper_entry(paper, WORKSHOP, f"r-{i}", "https://example.org/r"))
    (tmp_path / "refs.bib").write_text(cite.to_bibtex(entries), encoding="utf-8")
    (tmp_path / "doc.tex").write_text("\n".join([
        r"\documentclass{article}", r"\usepackage[T1]{fontenc}", r"\usepackage[utf8]{inputenc}", r"\usepackage{lmodern}",
        r"\usepackage{natbib}" if style == "plainnat" else "", r"\tracinglostchars=2", r"\begin{document}", r"\nocite{*}",
        rf"\bibliographystyle{{{style}}}", r"\bibliography{refs}", r"\end{document}", "",
    ]), encoding="utf-8")
    latex = ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "doc.tex"]
    assert run(latex, tmp_path).returncode == 0
    bibtex = run(["bibtex", "doc"], tmp_path)
    blg = (tmp_path / "doc.blg").read_text(errors="replace")
    assert bibtex.returncode == 0 and not re.search(r"^Warning--|error message", blg, flags=re.M), blg
    result = run(latex, tmp_path)
    log = (tmp_path / "doc.log").read_text(errors="replace")
    assert result.returncode == 0, log[-3000:]
    assert not re.search(r"Missing character|Undefined control sequence|^! ", log, flags=re.M), log[-3000:]
    assert (tmp_path / "doc.bbl").read_text(errors="replace").count("\\bibitem") == len(entries) > 250


def test_t1_degradations_are_documented():
    """Letters T1 cannot typeset lose only the mark it lacks; other scripts become a placeholder."""
    assert cite.latex_to_text(cite.latex_escape("Trương Ảnh")) == "Truong Anh"
    assert cite.latex_to_text(cite.latex_escape("Știință")) == "Ştiinţă"
    assert cite.latex_to_text(cite.latex_escape("中文 🎉")) == "?? ?"


# -- round trips -----------------------------------------------------------------------------

def test_every_entry_round_trips_through_bibtexparser(volume):
    library = bibtexparser.parse_string(every_entry(volume), append_middleware=[SeparateCoAuthors(), SplitNameParts()])
    assert not library.failed_blocks
    by_key = {e.key: e for e in library.entries}
    assert len(by_key) == len(volume.proc.papers) + len(volume.proc.keynotes) + 1  # keys are unique; + the volume
    for paper in volume.proc.papers:
        entry = by_key[volume.keys[f"paper:{paper.id}"]]
        assert entry.entry_type == "inproceedings" and set(entry.fields_dict) == VOLUME_PAPER_FIELDS
        assert cite.latex_to_text(entry.fields_dict["title"].value) == nfc(paper.title)
        names = entry.fields_dict["author"].value
        assert len(names) == len(paper.authors)
        for parts, person in zip(names, paper.authors, strict=True):
            family = " ".join(parts.von + parts.last)
            assert shown_name(" ".join(parts.first), family, " ".join(parts.jr), person) == nfc(person.name)
            if person.family:
                assert cite.latex_to_text(family) == person.family
    for keynote in volume.proc.keynotes:
        entry = by_key[volume.keys[f"keynote:{keynote.id}"]]
        assert entry.entry_type == "misc" and set(entry.fields_dict) == VOLUME_KEYNOTE_FIELDS
        assert cite.latex_to_text(entry.fields_dict["title"].value) == nfc(keynote.title)
        assert "(SYNTH-I)" in cite.latex_to_text(entry.fields_dict["howpublished"].value)


def test_every_entry_round_trips_through_pybtex(volume):
    data = pybtex.database.parse_string(every_entry(volume), "bibtex")
    for paper in volume.proc.papers:
        entry = data.entries[volume.keys[f"paper:{paper.id}"]]
        assert cite.latex_to_text(entry.fields["title"]) == nfc(paper.title)
        persons = entry.persons["author"]
        assert len(persons) == len(paper.authors)
        for parsed, person in zip(persons, paper.authors, strict=True):
            shown = shown_name(" ".join(parsed.first_names + parsed.middle_names),
                               " ".join(parsed.prelast_names + parsed.last_names), " ".join(parsed.lineage_names), person)
            assert shown == nfc(person.name)


def test_names_and_keys(volume):
    keys = volume.keys
    assert keys["paper:uni-0"] == "nguyen-etal-2031-quantizing"  # declared family name, not the last word
    assert keys["paper:uni-solo"] == "nguyen-2031-everything" and keys["paper:uni-solo-2"] == "nguyen-2031-everything-2"
    assert keys["keynote:k-viet"] == "pham-2031-efficient-keynote"
    assert keys["paper:uni-3"].startswith("von-neumann-etal-2031-")
    assert cite.bibtex_name(Person(name="Anna van der Berg")) == "van der Berg, Anna"
    assert cite.bibtex_name(Person(name="Smith and Wesson Research Group")) == "{Smith and Wesson Research Group}"
    # the standard accent macros every reader decodes (the ACL Anthology's form, not the e{} that hid ễ
    # from biber); an outer accent braces its letter once more, for biber (see cite._accented)
    assert cite.bibtex_name(Person(name="Nguyễn Văn An", family="Nguyễn")) == r"Nguy{\~{{\^{e}}}}n, V{\u{a}}n An"
    assert cite.ris_name(Person(name="Nguyễn Văn An", family="Nguyễn")) == "Nguyễn, Văn An"
    assert cite.ris_name(Person(name="Ludwig von Neumann Jr.")) == "von Neumann, Ludwig, Jr."
    assert cite.base_key([Person(name="İsmail Işık")], 2022, "Đổi mới") == "isik-2022-doi"


def test_family_must_be_part_of_the_name():
    with pytest.raises(ValidationError, match="family"):
        Person(name="Nguyễn Văn An", family="Văn")


def test_specials_are_escaped_and_internal_capitals_protected():
    title = cite.latex_title(UNICODE_TITLES[0])
    for special in ["{\\%}", "{\\&}", "{\\_}", "{\\#}", "{\\$}", "{\\textbraceleft}", "{\\textbraceright}",
                    "{\\textasciitilde}", "{\\textbackslash}"]:
        assert special in title
    for word in ["{DistilHuBERT}", "{W8A8}", "{SmoothQuant}:"]:
        assert word in title
    assert "-{}-" in cite.latex_title("a -- b") and "`{}`" in cite.latex_title("``q''")
    assert {a["name"] for a in UNICODE_AUTHORS} >= {"Nguyễn Văn An", "Anna van der Berg"}


def test_ris_and_text_formats(volume):
    paper = volume.papers_by_id["uni-0"]
    ris = citation.ris(volume.paper_citation(paper))
    lines = ris.splitlines()
    assert lines[0] == "TY  - CPAPER" and lines[-1] == "ER  - "
    assert "AU  - Nguyễn, Văn An" in lines and "AU  - Đặng, Thị Ngọc Ánh" in lines
    assert all(re.match(r"^[A-Z][A-Z0-9]  - ", line) for line in lines)
    assert f"TI  - {paper.title}" in lines
    md = cite.to_markdown(paper, volume.workshop, "https://example.org/p.html")
    assert r"\_Really\_" in md and "(https://example.org/p.html)" in md


# -- properties ------------------------------------------------------------------------------

# Letters T1 can typeset and pylatexenc can decode: ASCII, Latin-1, Latin Extended-A
# (minus ŉ ſ ĸ ¸ and Ħ Ŧ Ŀ, which T1 lacks), plus Vietnamese and Yoruba letters built from marks.
LATIN = "".join(chr(c) for c in range(0x20, 0x7F)) + "".join(
    chr(c) for c in list(range(0xC0, 0x180)) if chr(c) not in "×÷¸ŉſĸĦħŦŧĿŀ"
) + "ẠạẸẹỌọỄễỆệỘộṢṣẶặẬậ"
ANY_TEXT = st.text(st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=60)
LATIN_TEXT = st.text(st.sampled_from(LATIN), min_size=1, max_size=60)
LATIN_WORD = st.text(st.sampled_from([c for c in LATIN if c.isalpha()] + list("-'.")), min_size=1, max_size=12)
LATIN_NAME = st.lists(LATIN_WORD, min_size=1, max_size=4).map(" ".join)


def braces_balance(value: str) -> bool:
    depth = 0
    for char in value:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


def make_paper(title: str, names: list[str]) -> Paper:
    try:
        return Paper(id="p", title=title, abstract="a", presentation="oral", authors=[Person(name=n) for n in names])
    except ValidationError:
        assume(False)
        raise


def check_structure(paper: Paper) -> tuple[bibtexparser.Library, pybtex.database.BibliographyData]:
    text = cite.to_bibtex([cite.paper_entry(paper, WORKSHOP, "the-key", "https://example.org/p.html")])
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks and len(library.entries) == 1
    [entry] = library.entries
    assert entry.key == "the-key" and set(entry.fields_dict) == PAPER_FIELDS
    for field in entry.fields:
        assert braces_balance(field.value), field
    data = pybtex.database.parse_string(text, "bibtex")
    assert list(data.entries) == ["the-key"]
    assert len(data.entries["the-key"].persons["author"]) == len(paper.authors)
    return library, data


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(title=ANY_TEXT, names=st.lists(ANY_TEXT, min_size=1, max_size=4))
def test_any_text_gives_one_well_formed_entry(title, names):
    check_structure(make_paper(title, names))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(title=LATIN_TEXT, names=st.lists(LATIN_NAME, min_size=1, max_size=4))
def test_latin_text_round_trips(title, names):
    paper = make_paper(title, names)
    library, data = check_structure(paper)
    assert cite.latex_to_text(library.entries[0].fields_dict["title"].value) == nfc(paper.title)
    for parsed, person in zip(data.entries["the-key"].persons["author"], paper.authors, strict=True):
        shown = shown_name(" ".join(parsed.first_names + parsed.middle_names),
                           " ".join(parsed.prelast_names + parsed.last_names), " ".join(parsed.lineage_names), person)
        assert shown == nfc(person.name)


@settings(max_examples=60, deadline=None)
@given(title=ANY_TEXT, name=ANY_TEXT)
def test_keynote_entries_are_well_formed(title, name):
    try:
        keynote = Keynote(id="k", title=title, speaker=Person(name=name))
    except ValidationError:
        assume(False)
        return
    text = cite.to_bibtex([cite.keynote_entry(keynote, WORKSHOP, "k-key", "https://example.org/k.html")])
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks and [e.key for e in library.entries] == ["k-key"]
    assert set(library.entries[0].fields_dict) == KEYNOTE_FIELDS
    assert all(braces_balance(f.value) for f in library.entries[0].fields)


def test_keys_do_not_depend_on_paper_order(volume):
    reordered = volume.proc.model_copy(update={"papers": list(reversed(volume.proc.papers))})
    assert cite.citation_keys(reordered) == volume.keys
    assert len(set(volume.keys.values())) == len(volume.keys)
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", key) for key in volume.keys.values())


def test_bad_family_is_reported_with_file_and_line(tmp_path, capsys):
    from enlsp_proceedings.cli import main
    from synthetic import SynthPaper, write_workshop

    write_workshop(tmp_path, [SynthPaper("p1", "T", [{"name": "Nguyễn Văn An", "family": "Văn"}], "abs", pages=None)], make_pdfs=False)
    assert main(["build", "--conf", str(tmp_path / "conf"), "--papers", str(tmp_path / "papers"), "--out", str(tmp_path / "site"), "-q"]) == 1
    err = capsys.readouterr().err
    assert "papers.yaml:5" in err and "family 'Văn' must be the first or the last word(s)" in err and "Traceback" not in err


def test_people_sort_by_declared_family_name(volume):
    names = [r.name for r in volume.people.sorted()]
    assert names.index("Nguyễn Văn An") > names.index("Jürgen Groß-Müller")  # N, not A for "An"
    assert names.index("Đặng Thị Ngọc Ánh") < names.index("Jiří Dvořák")  # D for Đặng, not A for Ánh


def test_volume_bibtex_is_the_papers_entries_one_after_another(volume):
    """proceedings.bib is each paper's entry as its own .bib holds it, with a crossref to the volume
    added (none for a paper without authors), in order, then the keynotes and the @proceedings
    entry, once, last: made from the same records as the papers' files, one way."""
    whole = volume.volume_bibtex()
    own = {p.id: cite.without_preamble(citation.bibtex(volume.paper_citation(p)).strip()) for p in volume.proc.papers}
    key = volume.proceedings_key
    papers = [cite.with_crossref(own[p.id], key) if p.authors else own[p.id] for p in volume.proc.papers]
    assert cite.without_preamble(whole).startswith("\n\n\n".join(papers) + "\n\n\n@misc{")
    assert whole.count("@proceedings{") == 1 and whole.rstrip().endswith(cite.entry_text(cite.proceedings_entry(volume.workshop, volume.proc.people.organizers, key)))
    # the build's memo of each record's texts (outputs.downloads) gives the same file
    assert volume.volume_bibtex(lambda c: own[c.paper.id]) == whole


def test_markdown_citation_escapes_only_what_markdown_would_read_as_markup():
    paper = Paper(id="m", title="Müller's Speech: a (fast), test-case!", abstract="x", presentation="oral",
                  authors=[Person(name="Jürgen Müller"), Person(name="Ana O'Neil-Smith")])
    md = cite.to_markdown(paper, WORKSHOP, "https://example.org/m.html")
    assert "\\" not in md and "[Müller's Speech: a (fast), test-case!](https://example.org/m.html)" in md
    assert cite.markdown_escape("*a* _b_ [c] <d> & `e` ~f~ $g$") == r"\*a\* \_b\_ \[c\] \<d\> \& \`e\` \~f\~ \$g\$"
    assert cite.markdown_escape("1. One", line_start=True) == r"1\. One" and cite.markdown_escape("# H", line_start=True) == r"\# H"
