"""The accepted list in every form organizers keep it, imported without silent damage.

From the customer's "Next year's edition from the organizers' own files": a JSON-looking .yml with a
Python-style True; authors separated by ", " (80 of 83 papers had become one author "A, B, C");
footnote marks glued to names; LaTeX commands eaten by JSON and YAML escapes; a re-import that must keep
the organizer's own spellings and order. Synthetic files for each form and case; the real ENLSP-II and
ENLSP-III lists in test_import_real_lists.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from enlsp_proceedings.cli import make_parser
from enlsp_proceedings.importers.authors import AmbiguousAuthorsError, choose_separator, clean_affiliation, clean_name, split_authors
from enlsp_proceedings.importers.escapes import JSON_ESCAPES, YAML_ESCAPES, repair_escapes
from enlsp_proceedings.model.load import load_proceedings
from test_import import HEADER, conf_dir, run, write_export


def names(conf: Path) -> dict[str, list[str]]:
    return {p.id: [a.name for a in p.authors] for p in load_proceedings(conf).papers}


def jekyll_list(papers: list[dict]) -> str:
    """An accepted list as the organizers leave it: JSON written into a .yml, one key a line, trailing commas,
    and the first true written as Python's True."""
    entries = ["{\n" + "".join(f"{json.dumps(k)}: {json.dumps(v, ensure_ascii=False)},\n" for k, v in p.items()) + "}" for p in papers]
    return ("[" + ",\n".join(entries) + ",\n]\n").replace(": true,", ": True,", 1)


LATER_EDITION = [
    {"id": "1", "title": "Sparse Speech", "abstract": "We sparsify.", "authors": "Yangchao Wu1, Yonatan Dukler2, Ann Lee*† and Bo Park⇤",
     "has_supp": True},
    {"id": "2", "title": "Tiny Parsers", "abstract": "Small.", "authors": "Chen Wu¹,², Priya Raman³, and Jürgen Müller", "has_supp": False},
    {"id": "3", "title": "One Author", "abstract": "Alone.", "authors": "Ana Silva", "has_supp": False},
    {"id": "4", "title": "Nobody Knows", "abstract": "Who?", "authors": "", "has_supp": False},
]


# -- forms of the list ----------------------------------------------------------------------

def test_a_json_looking_yml_with_a_python_true_and_comma_separated_authors(tmp_path, capsys):
    """Refused ("not a readable JSON list of papers") and, once read, 80 of 83 papers had one author "A, B, C"."""
    conf = conf_dir(tmp_path)
    data = tmp_path / "accepted_papers.yml"
    data.write_text(jekyll_list(LATER_EDITION), encoding="utf-8")
    assert "True," in data.read_text() and data.read_text().startswith("[")
    assert run("import-cmt", data, "--out", conf / "papers.yaml") == 0
    printed = capsys.readouterr().out
    assert names(conf) == {"cmt-1": ["Yangchao Wu", "Yonatan Dukler", "Ann Lee", "Bo Park"],
                           "cmt-2": ["Chen Wu", "Priya Raman", "Jürgen Müller"], "cmt-3": ["Ana Silva"], "cmt-4": []}
    assert "note: authors separated by ', ' and 'and' in 2 of the 3 papers that name them (the other 1 name one author)" in printed
    # every mark removed is reported, with the paper and the author
    for line in ("cleaned   cmt-1: authors[0] 'Yangchao Wu1' -> 'Yangchao Wu' (removed '1'",
                 "cleaned   cmt-1: authors[2] 'Ann Lee*†' -> 'Ann Lee' (removed '*†'",
                 "cleaned   cmt-1: authors[3] 'Bo Park⇤' -> 'Bo Park' (removed '⇤'",
                 "cleaned   cmt-2: authors[0] 'Chen Wu¹,²' -> 'Chen Wu' (removed '¹,²'"):
        assert line in printed, line
    # an empty field: the authors are unknown, said in the report and the file
    assert "cmt-4: the export gives no author names (an empty author field); the entry lists none" in printed
    assert "authors: []  # the export gives no names (an empty author field); add them when known" in (conf / "papers.yaml").read_text()


def test_any_yaml_list_is_read_even_when_it_starts_with_a_bracket(tmp_path):
    conf = conf_dir(tmp_path)
    data = tmp_path / "accepted.yaml"
    data.write_text("[{id: 7, title: Seven, abstract: 'S.', authors: 'Ana Silva and Bo Park', accepted: yes},\n"
                    " {id: 8, title: Eight, abstract: 'E.', authors: [Chen Wu2, {name: Dana Lee, affiliation: 'MIT*'}]}]\n")
    assert run("import-cmt", data, "--out", conf / "papers.yaml") == 0
    papers = {p.id: p for p in load_proceedings(conf).papers}
    assert [a.name for a in papers["cmt-7"].authors] == ["Ana Silva", "Bo Park"]
    assert [(a.name, a.affiliation) for a in papers["cmt-8"].authors] == [("Chen Wu", None), ("Dana Lee", "MIT")]


@pytest.mark.parametrize("suffix", [".csv", ".tsv", ".xlsx", ".xls", ".json"])
def test_comma_separated_authors_in_every_export_form(tmp_path, capsys, suffix):
    conf = conf_dir(tmp_path)
    rows = [["1", "", "Sparse Speech", "We sparsify.", "Yangchao Wu1, Yonatan Dukler2 and Ann Lee†", "", "", "", "Accept", ""],
            ["2", "", "Tiny Parsers", "Small.", "Priya Raman (IIT Delhi, India), Jürgen Müller (Uni Wien)", "", "", "", "Accept (Poster)", ""]]
    if suffix == ".json":
        export = tmp_path / "accepted.json"
        export.write_text(json.dumps([dict(zip(HEADER, row, strict=True)) for row in rows]), encoding="utf-8")
    else:
        export = write_export(tmp_path / f"export{suffix}", rows)
    assert run("import-cmt", export, "--out", conf / "papers.yaml") == 0
    assert "cleaned   cmt-1: authors[2] 'Ann Lee†' -> 'Ann Lee'" in capsys.readouterr().out
    papers = {p.id: p for p in load_proceedings(conf).papers}
    assert [a.name for a in papers["cmt-1"].authors] == ["Yangchao Wu", "Yonatan Dukler", "Ann Lee"]
    assert [(a.name, a.affiliation) for a in papers["cmt-2"].authors] == [("Priya Raman", "IIT Delhi, India"), ("Jürgen Müller", "Uni Wien")]


def test_bibtex_style_last_first_and_lists(tmp_path, capsys):
    """"Wu, Yangchao and Dukler, Yonatan" is two authors or four: the import stops and names the option."""
    conf = conf_dir(tmp_path)
    rows = [["1", "", "One", "A.", "Wu, Yangchao and Dukler, Yonatan and King, Jr., Martin", "", "", "", "Accept", ""],
            ["2", "", "Two", "B.", "Silva, Ana", "", "", "", "Accept", ""]]
    export = write_export(tmp_path / "export.csv", rows)
    assert run("import-cmt", export, "--out", conf / "papers.yaml") == 1
    err = capsys.readouterr().err
    assert "papers 1, 2 look like 'Last, First' names" in err and "--author-separator and" in err and "Traceback" not in err
    assert not (conf / "papers.yaml").exists()
    assert run("import-cmt", export, "--out", conf / "papers.yaml", "--author-separator", "and") == 0
    printed = capsys.readouterr().out
    assert names(conf) == {"cmt-1": ["Yangchao Wu", "Yonatan Dukler", "Martin King Jr."], "cmt-2": ["Ana Silva"]}
    assert "cleaned   cmt-1: authors[0] 'Wu, Yangchao' read as 'Last, First': 'Yangchao Wu'" in printed


def test_an_ambiguous_file_stops_naming_the_papers_and_the_option(tmp_path, capsys):
    conf = conf_dir(tmp_path)
    rows = [[str(n), "", f"Paper {n}", "A.", f"Ann Lee{n} (MIT); Bo Park (CMU, USA)", "", "", "", "Accept", ""] for n in range(1, 5)]
    rows += [["7", "", "Pasted", "B.", "Chen Wu, Dana Lee, Eve Kim", "", "", "", "Accept", ""],
             ["9", "", "Pasted too", "C.", "Fay Ong and Gil Roy", "", "", "", "Accept", ""]]
    export = write_export(tmp_path / "export.csv", rows)
    assert run("import-cmt", export, "--out", conf / "papers.yaml") == 1
    err = capsys.readouterr().err
    assert "4 of 6 papers separate authors with ';' (e.g. papers 1, 2, 3), but papers 7, 9 have ',' or 'and' between names" in err
    assert "--author-separator ';'" in err and "--author-separator ','" in err and "nothing was written" in err
    assert not (conf / "papers.yaml").exists()
    # ';' would leave commas inside names: stopped too, never written
    assert run("import-cmt", export, "--out", conf / "papers.yaml", "--author-separator", ";") == 1
    assert "these names still hold a ',', ';' or 'and'" in capsys.readouterr().err and not (conf / "papers.yaml").exists()
    assert run("import-cmt", export, "--out", conf / "papers.yaml", "--author-separator", ",") == 0
    got = names(conf)
    assert got["cmt-1"] == ["Ann Lee", "Bo Park"] and got["cmt-7"] == ["Chen Wu", "Dana Lee", "Eve Kim"] and got["cmt-9"] == ["Fay Ong", "Gil Roy"]
    assert [a.affiliation for a in load_proceedings(conf).papers[0].authors] == ["MIT", "CMU, USA"]


def test_help_lists_every_format_and_the_author_forms():
    parser = make_parser()
    actions = {a.dest: a for a in parser._subparsers._group_actions}  # argparse has no public accessor
    cmt = actions["command"].choices["import-cmt"].format_help()
    for text in (".xlsx", ".xls", ".csv", ".tsv", ".json", ".yml", ".yaml", "XML Spreadsheet", "Jekyll", "--author-separator",
                 "'Name (Affiliation)*; ...'", "'A, B and C'", "'Last, First and", "lock: [authors]", "# source:", "Anonymous"):
        assert text in cmt, text
    openreview = actions["command"].choices["import-openreview"].format_help()
    for text in ("API v1", "v2", '{"notes": [...]}', "NaN"):
        assert text in openreview, text


# -- names, affiliations and the separators, one by one -------------------------------------

def test_footnote_marks_digits_and_symbols_glued_to_names_are_removed_and_said():
    for written, name in (("Yangchao Wu1", "Yangchao Wu"), ("Yonatan Dukler2,3", "Yonatan Dukler"), ("*Bo Park", "Bo Park"),
                          ("Ann Lee†‡", "Ann Lee"), ("Eve Kim⇤", "Eve Kim"), ("Li (Lily) Wang§", "Li (Lily) Wang"),
                          ("Jean-Pierre O’Neil Jr.", "Jean-Pierre O’Neil Jr."), ("J. R. R. Tolkien", "J. R. R. Tolkien")):
        cleaned, said = clean_name(written)
        assert cleaned == name, written
        assert bool(said) == (written != name), written
    assert clean_name("Ann Lee¸Smith")[1][0][0] == "check"  # a stray accent inside: kept and reported


def test_affiliations_keep_digits_and_lose_stray_marks_and_placeholders():
    assert clean_affiliation("Université Paris 8") == ("Université Paris 8", [])
    assert clean_affiliation("Facebook AI Research (FAIR)") == ("Facebook AI Research (FAIR)", [])
    assert clean_affiliation("City University of Hong Kong`")[0] == "City University of Hong Kong"
    assert clean_affiliation("Stanford University¹*")[0] == "Stanford University"
    for placeholder in ("N/A", "n/a", "-", "none", ""):
        assert clean_affiliation(placeholder)[0] is None
    kept, said = clean_affiliation("Harbin Institute of Technology¸Shenzhen")
    assert kept == "Harbin Institute of Technology¸Shenzhen" and said[0][0] == "check" and "a comma?" in said[0][1]


def test_author_lists_split_outside_parentheses_in_each_form():
    assert split_authors("Pheobe Sun (UCD; JP Morgan)*; Ruibo Shi (JP Morgan)", "semicolon") == ["Pheobe Sun (UCD; JP Morgan)*", "Ruibo Shi (JP Morgan)"]
    assert split_authors("A B (X, Y), C D, and E F", "comma") == ["A B (X, Y)", "C D", "E F"]
    assert split_authors("Martin Luther King, Jr., Ann Lee & Bo Park", "comma") == ["Martin Luther King Jr.", "Ann Lee", "Bo Park"]
    assert split_authors("Wu, Yangchao and Dukler, Yonatan", "and") == ["Wu, Yangchao", "Dukler, Yonatan"]
    assert choose_separator({"1": "Ann Lee", "2": "Bo Park (MIT)"}).separator == "semicolon"  # one author each: any form
    assert choose_separator({"1": "A B, C D", "2": "E F and G H"}).separator == "comma"
    assert choose_separator({"1": "Martin Luther King, Jr. (MIT); Ann Lee (X)"}).separator == "semicolon"
    with pytest.raises(AmbiguousAuthorsError, match="paper 1 has a comma outside the parentheses"):
        choose_separator({"1": "Jane Doe, MIT; Bo Park, CMU"})


# -- escapes ------------------------------------------------------------------------------------

def test_latex_commands_eaten_by_json_escapes_are_restored_and_reported(tmp_path, capsys):
    """An ENLSP-II abstract read "we propose <TAB>extit{DyREx}": JSON's \\t had eaten \\textit."""
    conf = conf_dir(tmp_path)
    data = tmp_path / "accepted.json"
    data.write_text('[{"id": "5", "title": "Escapes \\\\LaTeX", "abstract": "We propose \\textit{DyREx} and \\bf{bold}, with $\\nabla f$ and '
                    '$\\frac{a}{b}$.\\nA second paragraph.\\neq is a word here.", "authors": "Ann Lee"}]', encoding="utf-8")
    assert run("import-cmt", data, "--out", conf / "papers.yaml") == 0
    printed = capsys.readouterr().out
    paper = load_proceedings(conf).papers[0]
    assert paper.abstract == ("We propose \\textit{DyREx} and \\bf{bold}, with $\\nabla f$ and $\\frac{a}{b}$.\n"
                              "A second paragraph.\neq is a word here.")
    assert paper.title == "Escapes \\LaTeX"  # a real backslash stays as it was
    for command in ("\\textit{DyREx}", "\\bf{bold},", "\\nabla", "\\frac{a}{b}$."):
        assert f"repaired  cmt-5: abstract: '{command}" in printed, command


def test_latex_commands_eaten_by_yaml_escapes_are_restored_and_reported(tmp_path, capsys):
    """ENLSP-III's list: YAML's \\e made \\emph ESC + "mph", \\r made \\ref CR + "ef"; JSON refused the file."""
    conf = conf_dir(tmp_path)
    data = tmp_path / "accepted_papers.yml"
    data.write_text('[{\n"id": "47",\n"title": "Sparse Fine-Tuning",\n"abstract": "accurate \\emph{sparse fine-tuning}, see Section~\\ref{sec:a}; '
                    '\\alpha-entmax and \\vec{v} and \\Large{x}.",\n"authors": "Eldar Kurtic (IST Austria)*",\n"has_supp": false,\n},\n]\n',
                    encoding="utf-8")
    assert run("import-cmt", data, "--out", conf / "papers.yaml") == 0
    printed = capsys.readouterr().out
    assert load_proceedings(conf).papers[0].abstract == (
        "accurate \\emph{sparse fine-tuning}, see Section~\\ref{sec:a}; \\alpha-entmax and \\vec{v} and \\Large{x}.")
    assert "repaired  cmt-47: abstract: '\\emph{sparse' restored (the file's \\e escape had made it an escape character (ESC) + 'mph{sparse')" in printed
    assert printed.count("repaired  cmt-47") == 5


def test_escape_repair_only_where_the_result_is_a_latex_command():
    text = "Line one.\nequally, line two.\tTabbed text\x08 and\x1bnothing"
    assert repair_escapes(text, YAML_ESCAPES) == (text, [])
    assert repair_escapes("\x1bmph{x}", JSON_ESCAPES) == ("\x1bmph{x}", [])  # JSON has no \e: not its damage
    assert repair_escapes("a \x08ogus{x}", YAML_ESCAPES)[0] == "a \\bogus{x}"  # never text, and a command with an argument
    assert repair_escapes("a \togus{x}", YAML_ESCAPES)[0] == "a \togus{x}"  # a tab is text: only known commands


# -- re-import: locks and # source: comments ------------------------------------------------------

LOCKED = """\
papers:
  - id: sparse
    review_id: cmt:1
    lock: [title]
    title: Sparse Speech, Corrected
    # source: page 1 of the camera-ready lists Dukler first
    authors:
      - name: Yonatan Dukler
      - name: Yangchao Wu
    abstract: We sparsify.
    presentation: oral
  - id: tiny
    review_id: cmt:2
    title: Tiny Parsers
    authors:
      - name: Chen Wu
        affiliation: Lab X
      # source: page 1 spells "Priya Ramanathan"
      - name: Priya Ramanathan
        affiliation: IIT
      - name: Jurgen Muller
    abstract: Small.
    presentation: poster
  - id: third
    review_id: cmt:3
    lock: [authors]
    title: One Author
    authors: [{name: Ana Silva, affiliation: Home}]
    abstract: Alone.
    presentation: poster
"""


def test_a_reimport_keeps_locked_fields_and_authors_with_a_source_comment(tmp_path, capsys):
    conf = conf_dir(tmp_path)
    out = conf / "papers.yaml"
    out.write_text(LOCKED, encoding="utf-8")
    rows = [["1", "", "Sparse Speech", "We sparsify.", "Yangchao Wu (A); Yonatan Dukler (B); New Person (C)", "", "", "", "Accept", ""],
            ["2", "", "Tiny Parsers", "Small.", "Chen Wu (Lab Y); Priya Raman (IIT Delhi); Jürgen Müller (Wien)", "", "", "", "Accept", ""],
            ["3", "", "One Author", "Alone.", "Ana Silva (Work)", "", "", "", "Accept", ""]]
    export = write_export(tmp_path / "export.csv", rows)
    assert run("import-cmt", export, "--out", out) == 0
    printed = capsys.readouterr().out
    papers = {p.id: p for p in load_proceedings(conf).papers}
    # lock: [title] and a # source: comment above authors: (names, order, affiliations) kept, and said
    assert papers["sparse"].title == "Sparse Speech, Corrected"
    assert [(a.name, a.affiliation) for a in papers["sparse"].authors] == [("Yonatan Dukler", None), ("Yangchao Wu", None)]
    assert "locked    sparse: title kept as written (lock: [title]); the export has 'Sparse Speech'" in printed
    assert ("locked    sparse: authors kept as written (a # source: comment above authors:); the export has "
            "'Yangchao Wu (A); Yonatan Dukler (B); New Person (C)'") in printed
    assert "unchanged sparse" in printed
    # a # source: comment above one author keeps that author; the others follow the export
    assert [(a.name, a.affiliation) for a in papers["tiny"].authors] == [("Chen Wu", "Lab Y"), ("Priya Ramanathan", "IIT"), ("Jurgen Muller", "Wien")]
    assert "locked    tiny: authors[1] 'Priya Ramanathan' kept as written (a # source: comment); the export has 'Priya Raman (IIT Delhi)'" in printed
    assert "updated   tiny: authors[0].affiliation, authors[2].affiliation" in printed
    assert [(a.name, a.affiliation) for a in papers["third"].authors] == [("Ana Silva", "Home")]
    text = out.read_text(encoding="utf-8")
    assert '      # source: page 1 spells "Priya Ramanathan"\n      - name: Priya Ramanathan\n' in text  # still above her
    assert "    # source: page 1 of the camera-ready lists Dukler first\n    authors:\n" in text
    before = out.read_bytes()
    assert run("import-cmt", export, "--out", out) == 0  # again: nothing to change, the locks said again
    assert out.read_bytes() == before and "locked    sparse: title" in capsys.readouterr().out


def test_comments_stay_above_their_author_when_the_export_reorders_and_adds(tmp_path):
    conf = conf_dir(tmp_path)
    out = conf / "papers.yaml"
    out.write_text("papers:\n  - id: p\n    review_id: cmt:1\n    title: T\n    authors:\n      # from the program\n      - name: Ann Lee\n"
                   "      # spelled as she does\n      - name: Bo Park\n      # the last one\n      - name: Chen Wu\n    # about the abstract\n"
                   "    abstract: A.\n    presentation: poster\n", encoding="utf-8")
    rows = [["1", "", "T", "A.", "Chen Wu (Z); Bo Park (Y); Ann Lee (X)", "", "", "", "Accept", ""]]
    assert run("import-cmt", write_export(tmp_path / "e.csv", rows), "--out", out) == 0
    text = out.read_text(encoding="utf-8")
    assert [a.name for a in load_proceedings(conf).papers[0].authors] == ["Chen Wu", "Bo Park", "Ann Lee"]
    for comment, name in (("# the last one", "Chen Wu"), ("# spelled as she does", "Bo Park")):
        assert f"      {comment}\n      - name: {name}\n" in text, text
    assert "# from the program" in text and "        affiliation: X\n    # about the abstract\n    abstract: A.\n" in text, text


def test_names_of_three_or_more_words_list_the_family_name_assumed(tmp_path, capsys):
    conf = conf_dir(tmp_path)
    out = conf / "papers.yaml"
    rows = [["1", "", "T", "A.", "Satya Sai Srinath Namburi (UW); Tanya G Roosta (Amazon); Mihaela van der Schaar (UCLA); "
             "Carlo C Del Mundo (Apple); Zhiming (Charles) Chen (Cerebras)", "", "", "", "Accept", ""]]
    export = write_export(tmp_path / "e.csv", rows)
    assert run("import-cmt", export, "--out", out) == 0
    families = [line for line in capsys.readouterr().out.splitlines() if line.startswith("family")]
    assert families == [
        "family    cmt-1: 'Satya Sai Srinath Namburi': family name 'Namburi' assumed (a name of three or more words); "
        "confirm it with family: Namburi, or set the right one",
        "family    cmt-1: 'Carlo C Del Mundo': family name 'Mundo' assumed (a name of three or more words); "
        "confirm it with family: Mundo, or set the right one"]
    out.write_text(out.read_text(encoding="utf-8").replace("      - name: Carlo C Del Mundo\n", "      - name: Carlo C Del Mundo\n        family: Del Mundo\n"))
    assert run("import-cmt", export, "--out", out) == 0
    printed = capsys.readouterr().out
    assert "Carlo C Del Mundo" not in printed and "'Satya Sai Srinath Namburi': family name 'Namburi' assumed" in printed
    assert load_proceedings(conf).papers[0].authors[3].family == "Del Mundo"  # the organizer's family stays


def test_lock_is_part_of_the_papers_yaml_contract(tmp_path):
    conf = conf_dir(tmp_path)
    (conf / "papers.yaml").write_text("papers:\n  - {id: a, title: T, authors: [], abstract: A., presentation: poster, lock: [authors, title]}\n")
    assert load_proceedings(conf).papers[0].lock == ["authors", "title"]
    (conf / "papers.yaml").write_text("papers:\n  - {id: a, title: T, authors: [], abstract: A., presentation: poster, lock: [pdf]}\n")
    with pytest.raises(Exception, match="lock"):
        load_proceedings(conf)


# -- OpenReview ------------------------------------------------------------------------------------

def test_openreview_names_are_cleaned_and_an_empty_list_is_authors_unknown(tmp_path, capsys):
    conf = conf_dir(tmp_path)
    notes = [{"id": "a1", "forum": "a1", "content": {"title": {"value": "Marks"}, "authors": {"value": ["Ann Lee1", "Bo Park*"]},
                                                      "abstract": {"value": "A."}}},
             {"id": "b2", "forum": "b2", "content": {"title": "Nobody", "authors": [], "abstract": "B."}}]
    (tmp_path / "notes.json").write_text(json.dumps(notes))
    assert run("import-openreview", tmp_path / "notes.json", "--out", conf / "papers.yaml") == 0
    printed = capsys.readouterr().out
    assert names(conf) == {"openreview-a1": ["Ann Lee", "Bo Park"], "openreview-b2": []}
    assert "cleaned   openreview-a1: authors[0] 'Ann Lee1' -> 'Ann Lee'" in printed
    assert "openreview-b2: the export gives no author names (an empty author field)" in printed
