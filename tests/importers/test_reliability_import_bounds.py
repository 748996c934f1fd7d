"""Exports that inflate or hold values no paper has: one sentence naming the file and field, in bounded
memory and time ("Reliability and security, round 3", items 5 and 11).

Each hostile export is imported by the real command in a child process whose address space is capped
(`MEMORY_CAP`): before, a 438-byte XML spreadsheet took 3.1 GB, a 4.9 KB .xlsx 3.85 GB, and others ended
in MemoryError, ValueError or _csv.Error tracebacks; OpenReview's 1e999, NaN and objects became "inf",
"nan" and "{'a': 1}", and a key given twice won silently.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from enlsp_proceedings.importers.tables import MAX_CELLS, MAX_COLUMNS
from test_import import HEADER, ROWS, TITLE_ROWS, conf_dir, write_export

#: The address space the import may use (the interpreter with openpyxl and pydantic needs about a third of it).
MEMORY_CAP = 1024 * 1024 * 1024

_CHILD = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, ({cap}, {cap}))
from enlsp_proceedings.cli import main
sys.exit(main(sys.argv[1:]))
"""


def import_capped(*args: object) -> subprocess.CompletedProcess:
    """``enlsp-proceedings <args>`` in a child process limited to `MEMORY_CAP` of memory (and 120 s)."""
    pytest.importorskip("resource", reason="memory caps need POSIX resource limits")
    return subprocess.run([sys.executable, "-c", _CHILD.format(cap=MEMORY_CAP), *map(str, args)],
                          capture_output=True, text=True, timeout=120, check=False)


def refused(result: subprocess.CompletedProcess, *words: str) -> str:
    assert result.returncode == 1, (result.returncode, result.stderr[-2000:])
    err = result.stderr
    assert "Traceback" not in err and "MemoryError" not in err, err[-2000:]
    for word in words:
        assert word in err, (word, err)
    return err


def xml_spreadsheet(path: Path, last_cell: str) -> Path:
    """CMT's XML Spreadsheet 2003 ("Export to Excel" .xls) whose last row holds ``last_cell``'s XML."""
    cells = "".join(f'<Cell><Data ss:Type="String">{c}</Data></Cell>' for c in HEADER)
    path.write_text('<?xml version="1.0"?>\n<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
                    'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet ss:Name="P"><Table>'
                    f"<Row>{cells}</Row><Row>{last_cell}</Row></Table></Worksheet></Workbook>", encoding="utf-8")
    return path


@pytest.mark.parametrize("index, said", [
    ("200000000", "has a cell at column '200000000', not a column number from 1 to 16,384"),  # took 3.1 GB
    ("3000000000", "has a cell at column '3000000000'"),  # MemoryError traceback
    ("\u00b2", "has a cell at column '\u00b2'"),  # isdigit() is true: ValueError traceback
    ("-5", "has a cell at column '-5'"),
])
def test_an_xml_spreadsheet_cell_far_out_is_one_sentence(tmp_path, index, said):
    export = xml_spreadsheet(tmp_path / "export.xls", f'<Cell ss:Index="{index}"><Data ss:Type="String">x</Data></Cell>')
    assert export.stat().st_size < 2000
    err = refused(import_capped("import-cmt", export, "--out", conf_dir(tmp_path) / "papers.yaml"), str(export), said)
    assert "row 2" in err
    assert not (tmp_path / "conf" / "papers.yaml").exists()


def test_xml_spreadsheet_cells_skipped_within_the_columns_count_against_the_cell_cap(tmp_path):
    """16,384 columns is allowed, but rows that each skip to the last column add up."""
    row = f'<Cell ss:Index="{MAX_COLUMNS}"><Data ss:Type="String">x</Data></Cell>'
    export = xml_spreadsheet(tmp_path / "export.xls", "</Row><Row>".join([row] * (MAX_CELLS // MAX_COLUMNS + 2)))
    refused(import_capped("import-cmt", export, "--out", conf_dir(tmp_path) / "papers.yaml"), str(export),
            f"the sheet has more than {MAX_CELLS:,} cells")


def test_an_xlsx_with_one_cell_at_the_last_row_and_column_is_read_in_bounded_memory(tmp_path):
    """A 4.9 KB workbook whose one extra cell is XFD1048576 took 3.85 GB (openpyxl pads every row to the
    declared dimension); now each row is as long as its cells, and the import reads the two papers."""
    export = write_export(tmp_path / "export.xlsx")
    from openpyxl import load_workbook

    book = load_workbook(export)
    book.active["XFD1048576"] = "x"
    book.save(export)
    assert export.stat().st_size < 10_000
    result = import_capped("import-cmt", export, "--out", conf_dir(tmp_path) / "papers.yaml")
    assert result.returncode == 0, result.stderr[-2000:]
    assert "added     cmt-1" in result.stdout and "added     cmt-2" in result.stdout


def test_an_xlsx_with_more_cells_than_the_cap_is_one_sentence(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in [*TITLE_ROWS, HEADER, *ROWS]:
        sheet.append(row or [None])
    for number in range(10, 10 + MAX_CELLS // MAX_COLUMNS + 2):
        sheet.cell(row=number, column=MAX_COLUMNS, value="x")
    export = tmp_path / "export.xlsx"
    book.save(export)
    refused(import_capped("import-cmt", export, "--out", conf_dir(tmp_path) / "papers.yaml"), str(export),
            f"the sheet has more than {MAX_CELLS:,} cells")


def test_a_csv_with_a_quote_that_never_closes_is_one_sentence(tmp_path):
    """With a 200 KB field it was a _csv.Error traceback; with a short one, worse: the rest of the file became
    that paper's title, and the papers after it were gone without a word."""
    export = tmp_path / "export.csv"
    export.write_text(",".join(HEADER) + '\n1,,"Unclosed title,Abstract,Ann Lee\n' + "x" * 200_000 + "\n", encoding="utf-8")
    refused(import_capped("import-cmt", export, "--out", conf_dir(tmp_path) / "papers.yaml"),
            f"{export}:2: not a readable CSV file: a quoted field opens on line 2 and never closes (a missing quote?)")
    short = tmp_path / "short.csv"
    short.write_text(",".join(HEADER) + '\n1,,"Unclosed,A.,Ann Lee,,,,Accept,\n2,,Second,B.,Bo Park,,,,Accept,\n', encoding="utf-8")
    refused(import_capped("import-cmt", short, "--out", conf_dir(tmp_path) / "papers.yaml"), f"{short}:2:", "opens on line 2 and never closes")
    stray = tmp_path / "stray.csv"
    stray.write_text(",".join(HEADER) + '\n1,,"Quoted" then text,A.,Ann Lee,,,,Accept,\n', encoding="utf-8")
    refused(import_capped("import-cmt", stray, "--out", conf_dir(tmp_path) / "papers.yaml"), f"{stray}:2: not a readable CSV file")


def test_a_csv_field_longer_than_csvs_own_limit_is_read(tmp_path):
    """csv refuses fields over 128 KB; an author list of 10,000 names is longer, and is an export's right."""
    authors = "; ".join(f"Author{i} Family{i} (Lab {i})" for i in range(10_000))
    export = write_export(tmp_path / "export.csv", [["1", "", "Big", "A.", authors, "", "", "", "Accept", ""]])
    assert len(authors) > 128 * 1024
    result = import_capped("import-cmt", export, "--out", conf_dir(tmp_path) / "papers.yaml")
    assert result.returncode == 0, result.stderr[-2000:]
    assert "added     cmt-1" in result.stdout


def test_a_csv_of_commas_alone_is_one_sentence(tmp_path):
    export = tmp_path / "export.csv"
    export.write_text(",".join(HEADER) + "\n" + "," * (MAX_CELLS + 10) + "\n", encoding="utf-8")
    refused(import_capped("import-cmt", export, "--out", conf_dir(tmp_path) / "papers.yaml"), f"the sheet has more than {MAX_CELLS:,} cells")


# -- values no paper has --------------------------------------------------------------------------------

def openreview(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "notes.json"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("text, said", [
    ('[{"id": "a", "forum": "a", "content": {"title": 1e999, "authors": ["Ann Lee"]}}]', "the number 1e999 is too large to be read"),
    ('[{"id": "a", "forum": "a", "content": {"title": "T", "abstract": NaN, "authors": ["Ann Lee"]}}]', "NaN is not a JSON value"),
    ('[{"id": "a", "forum": "a", "content": {"title": "T", "abstract": -Infinity}}]', "-Infinity is not a JSON value"),
    ('[{"id": "a", "forum": "a", "content": {"title": "T", "authors": ["Ann Lee", {"a": 1}]}}]',
     "note 0 (a): content.authors[1] is a mapping, not a name"),
    ('[{"id": "a", "forum": "a", "content": {"title": {"value": {"a": 1}}, "authors": ["Ann Lee"]}}]', "note 0 (a): content.title is a mapping, not text"),
    ('[{"id": "a", "forum": "a", "content": {"title": "T", "abstract": 12.5}}]', "note 0 (a): content.abstract is a number (12.5), not text"),
    ('[{"id": "a", "forum": "a", "content": {"title": "T", "authors": "Ann Lee, Bo Park"}}]',
     "note 0 (a): content.authors is a str ('Ann Lee, Bo Park'), not a list of names"),
    ('[{"id": "a", "forum": "a", "content": {"title": "First", "title": "Second", "authors": ["Ann Lee"]}}]',
     "the key 'title' appears twice in one object (first 'First', then 'Second')"),
])
def test_openreview_values_that_are_not_text_stop_the_import(tmp_path, capsys, text, said):
    from test_import import run

    conf = conf_dir(tmp_path)
    assert run("import-openreview", openreview(tmp_path, text), "--out", conf / "papers.yaml") == 1
    err = capsys.readouterr().err
    assert said in err and "notes.json" in err and "Traceback" not in err, err
    assert not (conf / "papers.yaml").exists()


@pytest.mark.parametrize("name, text, said", [
    ("accepted.yml", "- {id: 1, title: 1e999, authors: Ann Lee}\n", "papers[0] (id 1).title is a number (inf), not text"),
    ("accepted.yml", "- {id: 1, title: T, abstract: {a: 1}, authors: Ann Lee}\n", "papers[0] (id 1).abstract is a mapping, not text"),
    ("accepted.yml", "- {id: 1, title: T, title: U, authors: Ann Lee}\n", 'found duplicate key "title"'),
    ("accepted.json", '[{"id": "1", "title": "T", "title": "U", "authors": "Ann Lee"}]', "the key 'title' appears twice in one object"),
    ("accepted.json", '[{"id": "1", "title": NaN, "authors": "Ann Lee"}]', "NaN is not a JSON value"),
    ("accepted.yml", "- {id: 1, title: T, authors: [Ann Lee, [x]]}\n", "papers[0] (id 1).authors[1] is a list, not a name or {name, affiliation}"),
])
def test_data_file_values_that_are_not_text_stop_the_import(tmp_path, capsys, name, text, said):
    from test_import import run

    conf = conf_dir(tmp_path)
    (tmp_path / name).write_text(text, encoding="utf-8")
    assert run("import-cmt", tmp_path / name, "--out", conf / "papers.yaml") == 1
    err = capsys.readouterr().err
    assert said in err and name in err and "Traceback" not in err, err
    assert not (conf / "papers.yaml").exists()


def test_a_data_file_neither_yaml_nor_json_names_both_readings(tmp_path, capsys):
    from test_import import run

    path = tmp_path / "accepted.yml"
    path.write_text('[{"id": "1",\n "title": "x"\n "abstract": "y\\q"}]', encoding="utf-8")
    assert run("import-cmt", path, "--out", conf_dir(tmp_path) / "papers.yaml") == 1
    err = capsys.readouterr().err
    assert f"{path}:3:2: not a readable YAML list of papers" in err and "; nor as JSON (line 3, column 2: Expecting ',' delimiter)" in err, err
    assert json.dumps("x")  # (json imported for the OpenReview texts above)
