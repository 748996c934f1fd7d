"""Every entry an import adds says where its facts come from: a `# source:` comment naming the export
and the paper's row (a spreadsheet) or entry (a data file), which a later import leaves alone and
which locks nothing (a corrected title in the export still updates the entry)."""

from __future__ import annotations

import json

from test_import import conf_dir, run, write_export


def test_each_new_entry_names_its_row_in_a_spreadsheet(tmp_path):
    conf = conf_dir(tmp_path)
    export = write_export(tmp_path / "accepted.csv")
    assert run("import-cmt", export, "--out", conf / "papers.yaml") == 0
    text = (conf / "papers.yaml").read_text(encoding="utf-8")
    header_row = next(n for n, line in enumerate(export.read_text(encoding="utf-8").splitlines(), 1) if line.startswith("Paper ID"))
    assert f"review_id: cmt:1  # source: accepted.csv, row {header_row + 1} (title, abstract, authors)" in text
    assert f"review_id: cmt:2  # source: accepted.csv, row {header_row + 2} (title, abstract, authors)" in text


def test_each_new_entry_names_its_entry_in_a_data_file_and_locks_nothing(tmp_path, capsys):
    conf = conf_dir(tmp_path)
    data = [{"id": "7", "title": "Tiny Models", "abstract": "Small.", "authors": "Ana Silva (Lab X)", "status": "Accept"}]
    export = tmp_path / "accepted_papers.json"
    export.write_text(json.dumps(data), encoding="utf-8")
    assert run("import-cmt", export, "--out", conf / "papers.yaml") == 0
    assert "review_id: cmt:7  # source: accepted_papers.json, the entry with Paper ID 7 (title, abstract, authors)" in \
        (conf / "papers.yaml").read_text(encoding="utf-8")
    data[0]["title"] = "Tiny Models, Corrected"
    export.write_text(json.dumps(data), encoding="utf-8")
    capsys.readouterr()
    assert run("import-cmt", export, "--out", conf / "papers.yaml") == 0
    text = (conf / "papers.yaml").read_text(encoding="utf-8")
    assert "title: Tiny Models, Corrected" in text  # the comment did not lock the title
    assert text.count("# source: accepted_papers.json") == 1  # nor was it written twice
