"""Importing from CMT (CSV/TSV/XLSX) and OpenReview (JSON v1/v2), and collecting PDFs; exports made on the fly."""

from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path

import pytest
import yaml

from enlsp_proceedings.cli import main as cli_main
from enlsp_proceedings.importers.cmt import parse_cmt_author
from enlsp_proceedings.importers.collect import paper_number
from enlsp_proceedings.model.load import load_proceedings
from synthetic import make_pdf, workshop_yaml

HEADER = ["Paper ID", "Created", "Paper Title", "Abstract", "Author Names", "Author Emails", "Track Name",
          "Primary Subject Area", "Status", "Files"]
ROWS = [
    ["1", "8/1/2031", "Quantizing Speech Models", "We quantize.\nSecond paragraph.",
     "Jürgen Müller (Universität Wien)*; Nguyễn Văn An (VNU Hanoi (Hanoi))", "jm@example.org*; an@example.org",
     "Main Track", "Efficiency", "Accept", "final.pdf (300 KB)"],
    ["2", "8/2/2031", "Graph Parsers on a Budget", "Graphs, cheaply.", "Wei Zhang (Lab X); Ana Silva", "wz@example.org*; as@example.org",
     "Special Track: Efficient Graph Learning", "Graphs", "Accept (Oral)", ""],
    ["3", "8/3/2031", "A Rejected Paper", "No.", "Bo Park (Lab Y)", "bp@example.org", "Main Track", "", "Reject", ""],
]
TITLE_ROWS = [["Accepted Papers - SYNTH 2031"], ["Exported 9/1/2031"], []]


def write_export(path: Path, rows=ROWS, header=HEADER) -> Path:
    table = [*TITLE_ROWS, header, *rows]
    if path.suffix == ".xls":  # XML Spreadsheet 2003, as CMT's "Export to Excel" writes it
        from xml.sax.saxutils import escape

        xml_rows = "".join("<Row>" + "".join(f'<Cell><Data ss:Type="String">{escape(c)}</Data></Cell>' for c in row) + "</Row>"
                           for row in table)
        path.write_text('<?xml version="1.0"?>\n<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
                        'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet ss:Name="Papers"><Table>'
                        + xml_rows + "</Table></Worksheet></Workbook>", encoding="utf-8")
    elif path.suffix == ".xlsx":
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        for row in table:
            sheet.append([int(c) if c.isdigit() else c for c in row] if row else [None])
        book.save(path)
    else:
        with open(path, "w", newline="", encoding="utf-8-sig") as fh:
            csv.writer(fh, delimiter="\t" if path.suffix == ".tsv" else ",").writerows(table)
    return path


def conf_dir(root: Path) -> Path:
    conf = root / "conf"
    conf.mkdir(parents=True, exist_ok=True)
    tracks = [{"id": "main", "name": "Main Track"}, {"id": "graph", "name": "Special Track: Efficient Graph Learning"}]
    (conf / "workshop.yaml").write_text(yaml.safe_dump(workshop_yaml(tracks=tracks), sort_keys=False))
    return conf


def run(*args: str) -> int:
    return cli_main([*map(str, args)])


def digest(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("suffix", [".csv", ".tsv", ".xlsx", ".xls"])
def test_cmt_export_creates_valid_papers_yaml(tmp_path, capsys, suffix):
    conf = conf_dir(tmp_path)
    export = write_export(tmp_path / f"export{suffix}")
    out = conf / "papers.yaml"
    assert run("import-cmt", export, "--out", out) == 0
    printed = capsys.readouterr().out
    assert "added     cmt-1" in printed and "added     cmt-2" in printed and "paper 3 has status 'Reject'" in printed
    papers = {p.id: p for p in load_proceedings(conf).papers}
    assert list(papers) == ["cmt-1", "cmt-2"]
    one, two = papers["cmt-1"], papers["cmt-2"]
    assert one.title == "Quantizing Speech Models" and one.abstract == "We quantize.\nSecond paragraph."
    assert [(a.name, a.affiliation) for a in one.authors] == [("Jürgen Müller", "Universität Wien"), ("Nguyễn Văn An", "VNU Hanoi (Hanoi)")]
    assert one.presentation == "poster" and one.track == "main"
    assert two.presentation == "oral" and two.track == "graph"
    assert [(a.name, a.affiliation) for a in two.authors] == [("Wei Zhang", "Lab X"), ("Ana Silva", None)]
    assert "email" not in out.read_text()  # no e-mail addresses land in a public repository

    before = out.read_bytes()
    assert run("import-cmt", export, "--out", out) == 0  # re-import: nothing to do, nothing written
    printed = capsys.readouterr().out
    assert "unchanged cmt-1" in printed and "0 added, 0 updated, 2 unchanged" in printed
    assert out.read_bytes() == before


HAND_EDITED = """\
# Accepted papers: imported from CMT, then edited by hand.
papers:
  - id: cmt-1
    title: Quantizing Speech Models
    authors:
      - name: Jurgen Muller   # spelled without accents on purpose
        orcid: 0000-0002-1825-0097
        affiliation: Universität Wien
      - name: Nguyễn Văn An
        affiliation: VNU Hanoi (Hanoi)
    abstract: >-
      We quantize.
    presentation: oral   # decided at the PC meeting
    track: main
    award: Best Paper
    links: {code: "https://github.com/example/q"}
  - id: graph-parsers        # renamed from cmt-2 by hand
    review_id: cmt:2
    title: Graph Parsers on a Budget
    authors:
      - name: Wei Zhang
        affiliation: Lab X
      - name: Ana Silva
    abstract: Graphs, cheaply.
    presentation: spotlight
    track: graph
    pdf: graph.pdf
  - id: invited-extra
    title: Added By Hand
    authors: [{name: Some One}]
    abstract: Not from CMT.
    presentation: poster
"""


def test_merge_keeps_hand_edits_and_reports_field_changes(tmp_path, capsys):
    conf = conf_dir(tmp_path)
    out = conf / "papers.yaml"
    out.write_text(HAND_EDITED, encoding="utf-8")
    papers_dir = tmp_path / "papers"
    make_pdf(papers_dir / "graph.pdf", "Graph Parsers on a Budget", ["Wei Zhang"], pages=2)
    others = digest(papers_dir), (conf / "workshop.yaml").read_bytes()
    rows = [list(r) for r in ROWS]
    rows[0][3] = "We quantize, better."
    rows[1][2] = "Graph Parsers on a Tight Budget"  # title changed at camera-ready time
    rows[1][4] = "Wei Zhang (Lab Z); Ana Silva (Univ. of Somewhere); Chen Wu (Institut Y)"
    rows.append(["4", "", "A New Paper", "Fresh.", "Bo Park (Lab Y)*", "", "Main Track", "", "Accept (Poster)", ""])
    export = write_export(tmp_path / "export.csv", rows)
    assert run("import-cmt", export, "--out", out, "--dry-run") == 0
    assert out.read_text(encoding="utf-8") == HAND_EDITED and "would write" in capsys.readouterr().out
    assert run("import-cmt", export, "--out", out) == 0
    printed = capsys.readouterr().out
    assert "updated   cmt-1: review_id, abstract" in printed  # accents-only spelling difference is not a change
    assert "authors[0]" not in printed.split("updated   cmt-1")[1].split("\n")[0]
    line = next(x for x in printed.splitlines() if x.startswith("updated   graph-parsers"))
    assert "review_id" not in line and "title" in line and "authors[0].affiliation" in line and "authors[1].affiliation" in line and "'Chen Wu' added" in line
    assert "added     cmt-4" in printed and "kept      invited-extra" in printed
    text = out.read_text(encoding="utf-8")
    for comment in ("# Accepted papers: imported from CMT", "# spelled without accents on purpose", "# decided at the PC meeting",
                    "# renamed from cmt-2 by hand"):
        assert comment in text
    papers = {p.id: p for p in load_proceedings(conf).papers}
    assert list(papers) == ["cmt-1", "graph-parsers", "invited-extra", "cmt-4"]
    one = papers["cmt-1"]
    assert one.abstract == "We quantize, better." and one.presentation == "oral" and one.award == "Best Paper"
    assert one.authors[0].name == "Jurgen Muller" and one.authors[0].orcid == "0000-0002-1825-0097"
    assert one.links.code == "https://github.com/example/q"
    graph = papers["graph-parsers"]
    assert graph.title == "Graph Parsers on a Tight Budget" and graph.presentation == "spotlight" and graph.pdf == "graph.pdf"
    assert [(a.name, a.affiliation) for a in graph.authors] == [("Wei Zhang", "Lab Z"), ("Ana Silva", "Univ. of Somewhere"), ("Chen Wu", "Institut Y")]
    assert papers["cmt-4"].presentation == "poster"
    assert (digest(papers_dir), (conf / "workshop.yaml").read_bytes()) == others  # only --out is written
    assert sorted(p.name for p in conf.iterdir()) == ["papers.yaml", "workshop.yaml"]


def openreview_notes(v2: bool) -> list[dict]:
    def val(x):
        return {"value": x} if v2 else x

    return [
        {"id": "aB3_xY-9", "forum": "aB3_xY-9", "number": 7, "content": {
            "title": val("Sparse Attention on Phones"), "authors": val(["Priya Raman", "Jürgen Müller"]),
            "abstract": val("Sparse attention saves energy."), "venue": val("SYNTH 2031 Spotlight")}},
        {"id": "zz9", "forum": "zz9", "content": {"title": val("Tiny Parsers"), "authors": val(["Wei Zhang"]),
                                                  "abstract": val("Small."), "venueid": val("SYNTH/2031/Workshop")}},
        {"id": "rej1", "forum": "rej1", "content": {"title": val("Rejected"), "authors": val(["X Y"]), "abstract": val("No."),
                                                   "venue": val("Submitted to SYNTH 2031, Rejected")}},
    ]


@pytest.mark.parametrize("v2, wrap", [(False, False), (True, False), (True, True)])
def test_openreview_v1_and_v2(tmp_path, capsys, v2, wrap):
    conf = conf_dir(tmp_path)
    notes = openreview_notes(v2)
    export = tmp_path / "notes.json"
    export.write_text(json.dumps({"notes": notes} if wrap else notes), encoding="utf-8")
    assert run("import-openreview", export, "--out", conf / "papers.yaml") == 0
    printed = capsys.readouterr().out
    assert "skipped   note 2 (rej1)" in printed
    papers = {p.id: p for p in load_proceedings(conf).papers}
    assert list(papers) == ["openreview-aB3_xY-9", "openreview-zz9"]
    first = papers["openreview-aB3_xY-9"]
    assert first.title == "Sparse Attention on Phones" and [a.name for a in first.authors] == ["Priya Raman", "Jürgen Müller"]
    assert first.presentation == "spotlight" and first.links.openreview == "https://openreview.net/forum?id=aB3_xY-9"
    # a renamed entry is still found through its OpenReview link
    text = (conf / "papers.yaml").read_text().replace("id: openreview-aB3_xY-9", "id: sparse-phones")
    (conf / "papers.yaml").write_text(text)
    notes[0]["content"]["abstract"] = {"value": "Changed."} if v2 else "Changed."
    export.write_text(json.dumps(notes), encoding="utf-8")
    assert run("import-openreview", export, "--out", conf / "papers.yaml") == 0
    assert "updated   sparse-phones: abstract" in capsys.readouterr().out
    assert [p.id for p in load_proceedings(conf).papers] == ["sparse-phones", "openreview-zz9"]


def test_bad_exports_give_clear_errors(tmp_path, capsys):
    out = tmp_path / "papers.yaml"
    (tmp_path / "x.csv").write_text("just,some\ncolumns,here\n")
    assert run("import-cmt", tmp_path / "x.csv", "--out", out) == 1
    assert "no header row with 'Paper ID'" in capsys.readouterr().err
    (tmp_path / "x.xlsx").write_bytes(b"not a zip")
    assert run("import-cmt", tmp_path / "x.xlsx", "--out", out) == 1
    assert "not a readable .xlsx" in capsys.readouterr().err
    (tmp_path / "n.json").write_text("{broken")
    assert run("import-openreview", tmp_path / "n.json", "--out", out) == 1
    assert "not valid JSON" in capsys.readouterr().err
    rows = [["5", "", "Bad \x07 Title", "A.", "Ann Lee", "", "", "", "Accept", ""]]
    assert run("import-cmt", write_export(tmp_path / "bad.csv", rows), "--out", out) == 1
    err = capsys.readouterr().err
    assert "not writing" in err and "papers[0].title (id 'cmt-5')" in err and "Traceback" not in err
    assert not out.exists()


def test_utf16_tab_separated_text_named_xls(tmp_path):
    conf = conf_dir(tmp_path)
    text = "\n".join("\t".join(row) for row in [*TITLE_ROWS, HEADER, *[[c.replace("\n", " ") for c in r] for r in ROWS]])
    (tmp_path / "export.xls").write_bytes(text.encode("utf-16"))
    assert run("import-cmt", tmp_path / "export.xls", "--out", conf / "papers.yaml") == 0
    papers = load_proceedings(conf).papers
    assert [p.title for p in papers] == ["Quantizing Speech Models", "Graph Parsers on a Budget"]
    assert papers[0].authors[0].name == "Jürgen Müller"


def test_author_parsing():
    assert parse_cmt_author("Jürgen Müller (Universität Wien)*") == ({"name": "Jürgen Müller", "affiliation": "Universität Wien"}, True)
    assert parse_cmt_author(" Ana  Silva ") == ({"name": "Ana Silva"}, False)
    assert parse_cmt_author("Li (Lily) Wang (MIT)") == ({"name": "Li (Lily) Wang", "affiliation": "MIT"}, False)
    assert parse_cmt_author("*Bo Park ()") == ({"name": "Bo Park"}, True)
    assert parse_cmt_author("Li Wei (Huawei Noah's Ark Lab (Montreal))") == ({"name": "Li Wei", "affiliation": "Huawei Noah's Ark Lab (Montreal)"}, False)


def test_paper_number_from_cmt_layout(tmp_path):
    root = tmp_path
    assert paper_number(root / "CameraReady" / "42" / "final.pdf", root) == "42"
    assert paper_number(root / "Paper 7" / "x.pdf", root) == "7"
    assert paper_number(root / "Paper12.pdf", root) == "12"
    assert paper_number(root / "013_camera_ready.pdf", root) == "13"
    assert paper_number(root / "camera.pdf", root) is None


def test_collect_copies_by_paper_id_and_never_clobbers(tmp_path, capsys):
    conf = conf_dir(tmp_path)
    rows = [list(r) for r in ROWS[:2]] + [["9", "", "Renamed Later", "R.", "Bo Park", "", "", "", "Accept", ""]]
    export = write_export(tmp_path / "export.csv", rows)
    assert run("import-cmt", export, "--out", conf / "papers.yaml") == 0
    text = (conf / "papers.yaml").read_text().replace("id: cmt-9", "id: renamed")
    (conf / "papers.yaml").write_text(text)
    download = tmp_path / "download" / "CameraReady"
    make_pdf(download / "1" / "final.pdf", "Quantizing Speech Models", ["Jürgen Müller"], pages=2)
    make_pdf(download / "2" / "camera.pdf", "Graph Parsers on a Budget", ["Wei Zhang"], pages=2, seed=2)
    make_pdf(download / "2" / "camera_supplementary.pdf", "Supplement", ["Wei Zhang"], pages=1)
    make_pdf(download / "9" / "r.pdf", "Renamed Later", ["Bo Park"], pages=1, seed=9)
    make_pdf(download / "55" / "rejected.pdf", "Rejected", ["X"], pages=1)
    papers_dir = tmp_path / "papers"
    capsys.readouterr()
    assert run("collect", tmp_path / "download", "--conf", conf, "--papers", papers_dir, "--export", export) == 0
    printed = capsys.readouterr().out
    # the supplementary file is collected as the paper's supplementary material, never as the paper
    assert sorted(p.name for p in papers_dir.iterdir()) == ["cmt-1.pdf", "cmt-2-supplementary.pdf", "cmt-2.pdf", "renamed.pdf"]
    assert (papers_dir / "cmt-2.pdf").read_bytes() == (download / "2" / "camera.pdf").read_bytes()
    assert "unmatched CameraReady/55/rejected.pdf (Paper ID 55" in printed and "copied 4 file(s)" in printed
    before = digest(papers_dir)
    assert run("collect", tmp_path / "download", "--conf", conf, "--papers", papers_dir, "--export", export) == 0
    assert "copied 0 file(s)" in capsys.readouterr().out and digest(papers_dir) == before
    make_pdf(download / "1" / "final.pdf", "Quantizing Speech Models v2", ["Jürgen Müller"], pages=3)
    assert run("collect", tmp_path / "download", "--conf", conf, "--papers", papers_dir) == 1
    assert "use --force" in capsys.readouterr().out and digest(papers_dir) == before
    assert run("collect", tmp_path / "download", "--conf", conf, "--papers", papers_dir, "--force") == 0
    assert "replaced" in capsys.readouterr().out
    assert (papers_dir / "cmt-1.pdf").read_bytes() == (download / "1" / "final.pdf").read_bytes()


# -- an accepted list kept as data (a Jekyll site's _data/accepted_papers.yml) -----------------

#: As the ENLSP-II organizers left theirs: a JSON list in a .yml file, trailing commas, a raw tab
#: inside a string, CMT's author format with a semicolon and nested parentheses in affiliations.
JEKYLL_DATA = (
    '[{\n"id": "2",\n"title": "Prompt Tuning for DST",\n"abstract": "We tune, {cheaply}, ]sometimes[.",\n'
    '"authors": "Anonymous",\n},\n'
    '{\n"id": "16",\n"title": "Robust Speech Distillation",\n"abstract": "Say \\"robust\\", twice,",\n'
    '"authors": "Pheobe Sun (University College Dublin; JP Morgan Chase & Co)*; Ruibo Shi (JP Morgan Chase & Co); '
    'Dhuri Shrivastava (\tUniversity of Massachusetts Amherst); Abderrahim Fathan (Computer Research Institute of Montreal (CRIM), Montreal)"\n},\n]\n'
)


def test_import_reads_an_accepted_list_kept_as_data(tmp_path, capsys):
    conf = conf_dir(tmp_path)
    data = tmp_path / "accepted_papers.yml"
    data.write_text(JEKYLL_DATA, encoding="utf-8")
    assert run("import-cmt", data, "--out", conf / "papers.yaml") == 0
    printed = capsys.readouterr().out
    assert "added     cmt-2" in printed and "added     cmt-16" in printed
    assert "cmt-2: the export gives no author names ('Anonymous')" in printed
    papers = {p.id: p for p in load_proceedings(conf).papers}
    assert papers["cmt-2"].authors == [] and papers["cmt-2"].review_id == "cmt:2"
    assert papers["cmt-2"].abstract == "We tune, {cheaply}, ]sometimes[."  # commas inside strings are text
    assert papers["cmt-16"].abstract == 'Say "robust", twice,'
    assert [(a.name, a.affiliation) for a in papers["cmt-16"].authors] == [
        ("Pheobe Sun", "University College Dublin; JP Morgan Chase & Co"),
        ("Ruibo Shi", "JP Morgan Chase & Co"),
        ("Dhuri Shrivastava", "University of Massachusetts Amherst"),
        ("Abderrahim Fathan", "Computer Research Institute of Montreal (CRIM), Montreal"),
    ]
    assert "# the export gives no names ('Anonymous')" in (conf / "papers.yaml").read_text(encoding="utf-8")


def test_import_reads_a_yaml_list_and_reports_json_errors_with_their_line(tmp_path, capsys):
    conf = conf_dir(tmp_path)
    data = tmp_path / "accepted.yaml"
    data.write_text(yaml.safe_dump([{"Paper ID": 7, "Paper Title": "Seven", "Abstract": "S.", "Author Names": "Ana Silva (Lab)"}]))
    assert run("import-cmt", data, "--out", conf / "papers.yaml") == 0
    assert load_proceedings(conf).papers[0].authors[0].affiliation == "Lab"
    broken = tmp_path / "broken.json"
    broken.write_text('[{"id": "1",\n "title": "x"\n "abstract": "y"}]')
    capsys.readouterr()
    assert run("import-cmt", broken, "--out", conf / "papers.yaml") != 0
    err = capsys.readouterr().err
    assert f"{broken}:3:" in err and "Traceback" not in err


def test_an_anonymous_export_never_replaces_known_authors(tmp_path, capsys):
    """The accepted list says 'Anonymous' where the organizers know the presenters: keep them."""
    conf = conf_dir(tmp_path)
    out = conf / "papers.yaml"
    out.write_text(
        "papers:\n  - id: kgc\n    title: Prompt Tuning for DST\n    authors:\n      # from the program\n"
        "      - {name: Weihang Zhang}\n    abstract: We tune, {cheaply}, ]sometimes[.\n    presentation: oral\n", encoding="utf-8")
    data = tmp_path / "accepted_papers.yml"
    data.write_text(JEKYLL_DATA, encoding="utf-8")
    assert run("import-cmt", data, "--out", out) == 0
    assert "updated   kgc: review_id\n" in capsys.readouterr().out
    paper = next(p for p in load_proceedings(conf).papers if p.id == "kgc")
    assert [a.name for a in paper.authors] == ["Weihang Zhang"] and paper.review_id == "cmt:2"
    assert "# from the program" in out.read_text(encoding="utf-8")


def test_reimport_matches_titles_up_to_punctuation_and_keeps_quote_style(tmp_path, capsys):
    conf = conf_dir(tmp_path)
    out = conf / "papers.yaml"
    out.write_text(
        'papers:\n  - id: promptda\n    title: "PromptDA: Few Shot Learners"\n    authors: [{name: Canyu Chen}]\n'
        '    abstract: For "in the wild" use.\n    presentation: oral\n', encoding="utf-8")
    rows = [["71", "", "PromptDA: Few-shot Learners", "For ``in the wild'' use.", "Canyu Chen (IIT)", "", "", "", "Accept", ""]]
    assert run("import-cmt", write_export(tmp_path / "e.csv", rows), "--out", out) == 0
    printed = capsys.readouterr().out
    assert "updated   promptda: review_id, title, authors[0].affiliation" in printed and "added" not in printed.split("wrote")[0]
    paper = load_proceedings(conf).papers[0]
    assert paper.abstract == 'For "in the wild" use.' and paper.title == "PromptDA: Few-shot Learners"


def test_long_abstracts_are_written_as_folded_blocks_that_load_back_unchanged(tmp_path):
    conf = conf_dir(tmp_path)
    abstract = " ".join(f"word{i}" for i in range(120)) + "  two  spaces stay,   and  so do three."
    rows = [["5", "", "Long", abstract, "Ana Silva", "", "", "", "Accept", ""]]
    assert run("import-cmt", write_export(tmp_path / "e.csv", rows), "--out", conf / "papers.yaml") == 0
    text = (conf / "papers.yaml").read_text(encoding="utf-8")
    assert "abstract: >-\n" in text and max(len(line) for line in text.splitlines()) < 140
    assert load_proceedings(conf).papers[0].abstract == abstract


def test_cmt_track_names_map_to_declared_tracks_or_stop_the_import(tmp_path, capsys):
    conf = conf_dir(tmp_path)
    out = conf / "papers.yaml"
    rows = [list(r) for r in ROWS[:2]]
    rows[1][6] = "special track - efficient GRAPH learning"  # case and punctuation do not matter
    assert run("import-cmt", write_export(tmp_path / "e.csv", rows), "--out", out) == 0
    assert {p.id: p.track for p in load_proceedings(conf).papers} == {"cmt-1": "main", "cmt-2": "graph"}
    rows[1][6] = "Special Track: Speech"
    rows.append(["9", "", "Nine", "N.", "Ana Silva", "", "Special Track: Speech", "", "Accept", ""])
    before = out.read_bytes()
    capsys.readouterr()
    assert run("import-cmt", write_export(tmp_path / "f.csv", rows), "--out", out) != 0
    err = capsys.readouterr().err
    assert "'Special Track: Speech' (papers 2, 9)" in err and "workshop.yaml does not declare" in err and "Traceback" not in err
    assert out.read_bytes() == before  # nothing guessed, nothing written


def test_hostile_data_files_are_one_sentence(tmp_path, capsys):
    conf = conf_dir(tmp_path)
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    bomb = tmp_path / "bomb.yml"
    bomb.write_text("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
                    + "".join(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]\n" for i in range(1, 10)) + "papers: *a9\n")
    for path in (deep, bomb):
        capsys.readouterr()
        assert run("import-cmt", path, "--out", conf / "papers.yaml") != 0
        err = capsys.readouterr().err
        assert str(path) in err and "Traceback" not in err
    assert not (conf / "papers.yaml").exists()
