"""Reliability of the importers: near-linear merges, bounded exports, one YAML dialect for writing
and reading, no traceback on a deeply nested export, and papers.yaml links kept."""

from __future__ import annotations

import errno
import json
import os
import zipfile
from pathlib import Path

import pytest

from enlsp_proceedings.importers import papers_yaml
from enlsp_proceedings.importers.core import run_import
from enlsp_proceedings.importers.papers_yaml import merge
from enlsp_proceedings.importers.records import ExportError, Imported
from enlsp_proceedings.importers.tables import MAX_EXPORT_BYTES
from enlsp_proceedings.model.load import load_proceedings
from test_import import HEADER, conf_dir, run, write_export

#: Strings YAML 1.1 (what the loader reads) takes for something else when they are not quoted.
#: (Distinct up to case, as titles must be to stay apart; the upper-case forms are tested as affiliations.)
TRICKY = ["Yes", "No", "On", "Off", "True", "false", "null", "~", "1e3", "1.5e3",
          "0x10", "0o17", "010", "0b101", "1_000", "12", "-3", "+7", "3.14", ".inf", "-.Inf", ".NaN", "1:20.5", "1:20",
          "2022-12-02", "2022-12-02 10:00:00", "2022-12-02T10:00:00Z", "<<", "=", "y", "n", "@at", "`tick", "%percent",
          "- dash", "? question", ": colon", "# hash", "'single'", '"double"', "{brace}", "[bracket]", "a: b", "a #b", "|pipe", ">fold",
          "&anchor", "!tag", "07:30"]  # ("*x" is not here: a CMT name ending with * marks the contact author)


def _paper(number: int, title: str, authors: list[dict] | None = None) -> Imported:
    return Imported(source_id=str(number), new_id=f"cmt-{number}", review_id=f"cmt:{number}", title=title, abstract=f"Abstract {number}.",
                    authors=authors or [{"name": f"Ann Lee {number}"}])


#: The strings of TRICKY that stay a name as written. The others are not names: footnote marks, digits and
#: symbols glued to a name are removed ("12" is no name, "@at" is "at"; tests/test_import_lists.py).
TRICKY_NAMES = ["Yes", "No", "On", "Off", "True", "false", "null", ".inf", "-.Inf", ".NaN", "y", "n", "- dash", "'single'", '"double"']
#: ... and of affiliations: a placeholder is none ("null"), a backtick at either end is a typing slip.
NOT_AFFILIATIONS = {"null", "`tick"}


def test_titles_names_and_affiliations_that_yaml_1_1_misreads_round_trip(tmp_path):
    """`Yes` was written unquoted by the importer (YAML 1.2) and read back as a boolean by the loader (YAML 1.1).
    (Names and affiliations that are not names, such as "12", were once kept as names: now they are cleaned,
    and only what stays a name or an affiliation is compared.)"""
    conf = conf_dir(tmp_path)
    rows = [[str(n), "", title, title, f"{title} ({title}); Bo Park ({title.upper()})", "", "Main Track", "", "Accept", ""]
            for n, title in enumerate(TRICKY, start=1)]
    assert run("import-cmt", write_export(tmp_path / "export.csv", rows=rows), "--out", conf / "papers.yaml") == 0
    papers = load_proceedings(conf).papers
    assert [p.title for p in papers] == TRICKY
    assert [p.abstract for p in papers] == TRICKY
    names = {t: p.authors[0] for t, p in zip(TRICKY, papers, strict=True)}
    assert [(names[t].name, names[t].affiliation) for t in TRICKY_NAMES] == [(t, None if t in NOT_AFFILIATIONS else t) for t in TRICKY_NAMES]
    assert [p.authors[-1].affiliation for p, t in zip(papers, TRICKY, strict=True) if t not in NOT_AFFILIATIONS] == \
        [t.upper() for t in TRICKY if t not in NOT_AFFILIATIONS]
    assert {p.authors[-1].name for p in papers} == {"Bo Park"}


def test_openreview_titles_and_names_round_trip_too(tmp_path):
    conf = conf_dir(tmp_path)
    notes = [{"id": f"f{n}", "forum": f"f{n}", "content": {"title": t, "abstract": "A.", "authors": [t]}} for n, t in enumerate(TRICKY)]
    (tmp_path / "notes.json").write_text(json.dumps(notes))
    assert run("import-openreview", tmp_path / "notes.json", "--out", conf / "papers.yaml") == 0
    papers = load_proceedings(conf).papers
    assert [p.title for p in papers] == TRICKY
    assert [p.authors[0].name for p, t in zip(papers, TRICKY, strict=True) if t in TRICKY_NAMES] == TRICKY_NAMES


@pytest.mark.slow  # imports thousands of papers
def test_merging_looks_each_paper_up_instead_of_scanning_the_file(tmp_path, monkeypatch):
    """import-cmt of 10,000 rows took 53 s and of 100,000 over 10 minutes: every row scanned every entry.
    Counted in calls of `fold` (once per title compared): a constant per row now, not one per entry."""
    calls = 0
    real = papers_yaml.fold

    def counting(text: str) -> str:
        nonlocal calls
        calls += 1
        return real(text)

    monkeypatch.setattr(papers_yaml, "fold", counting)
    rows = 3000
    imported = [_paper(n, f"Paper number {n}") for n in range(rows)]
    doc, report = merge(tmp_path / "papers.yaml", imported, [])
    assert len(report.added) == rows
    assert calls <= 10 * rows, calls
    papers_yaml.write_yaml(tmp_path / "papers.yaml", doc)
    calls = 0
    renamed = [_paper(n, f"Paper number {n}, retitled") for n in range(rows)]  # matched by review id, re-indexed by title
    _doc, again = merge(tmp_path / "papers.yaml", renamed + [_paper(rows, "A new paper")], [])
    assert len(again.updated) == rows and again.added == [f"cmt-{rows}"]
    assert calls <= 20 * rows, calls


def test_a_retitled_entry_is_still_found_by_its_title(tmp_path):
    """Matching order is kept: review id, then id, then OpenReview link, then title (the index follows edits)."""
    target = tmp_path / "papers.yaml"
    target.write_text("papers:\n- id: hand-made\n  title: Old Title\n  authors: [{name: Ann Lee}]\n  abstract: A.\n  presentation: poster\n")
    _doc, report = merge(target, [_paper(5, "old title")], [])
    assert report.updated["hand-made"][:2] == ["review_id", "title"] and report.added == []


def test_an_export_over_the_size_limit_is_refused_unread(tmp_path):
    conf = conf_dir(tmp_path)
    export = tmp_path / "huge.csv"
    with open(export, "wb") as fh:  # sparse: costs no disk
        fh.write(",".join(HEADER).encode() + b"\n")
        fh.truncate(MAX_EXPORT_BYTES + 1)
    with pytest.raises(ExportError, match=r"huge.csv: the file is 100 MB, more than the 100 MB an export may have"):
        run_import("cmt", export, conf / "papers.yaml")
    assert not (conf / "papers.yaml").exists()


def test_an_xlsx_that_inflates_to_a_huge_sheet_is_refused_before_it_is_opened(tmp_path, monkeypatch):
    """A 2 MB .xlsx inflating to a 2 GB sheet took 4.3 GB; the zip's directory tells the size first."""
    export = write_export(tmp_path / "export.xlsx")
    with zipfile.ZipFile(export, "a", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as book:
        with book.open("xl/worksheets/padding.xml", "w", force_zip64=True) as member:
            block = b" " * (1 << 20)
            for _ in range(MAX_EXPORT_BYTES // len(block) + 1):
                member.write(block)
    assert export.stat().st_size < 2 * 1024 * 1024
    opened = []
    monkeypatch.setattr("openpyxl.load_workbook", lambda *a, **k: opened.append(a))
    with pytest.raises(ExportError, match=r"export.xlsx: the workbook inflates to 101 MB, more than the 100 MB"):
        run_import("cmt", export, tmp_path / "papers.yaml")
    assert opened == []


def test_deeply_nested_openreview_json_is_a_sentence_not_a_recursion_error(tmp_path, capsys):
    conf = conf_dir(tmp_path)
    for name, text in (("deep.json", "[" * 100_000 + "]" * 100_000),
                       ("deep-notes.json", '{"notes": ' + "[" * 100_000 + "]" * 100_000 + "}")):
        (tmp_path / name).write_text(text)
        assert run("import-openreview", tmp_path / name, "--out", conf / "papers.yaml") == 1
        err = capsys.readouterr().err
        assert "nested too deeply to be an OpenReview export" in err, err
        assert "Traceback" not in err and "RecursionError" not in err


def test_import_into_a_symlinked_papers_yaml_writes_through_the_link(tmp_path):
    conf = conf_dir(tmp_path)
    data = tmp_path / "data"
    data.mkdir()
    (data / "papers.yaml").write_text("papers: []\n")
    (conf / "papers.yaml").symlink_to(Path("..") / "data" / "papers.yaml")
    assert run("import-cmt", write_export(tmp_path / "export.csv"), "--out", conf / "papers.yaml") == 0
    assert (conf / "papers.yaml").is_symlink() and os.readlink(conf / "papers.yaml") == str(Path("..") / "data" / "papers.yaml")
    assert "cmt-1" in (data / "papers.yaml").read_text(encoding="utf-8")
    assert [p.id for p in load_proceedings(conf).papers] == ["cmt-1", "cmt-2"]
    assert sorted(p.name for p in data.iterdir()) == ["papers.yaml"]


def test_a_full_disk_while_writing_papers_yaml_leaves_it_and_no_temporary_file(tmp_path, monkeypatch, capsys):
    conf = conf_dir(tmp_path)
    (conf / "papers.yaml").write_text("papers: []\n")
    real = os.replace

    def full(src, dst, *args, **kwargs):
        if str(dst).endswith("papers.yaml"):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", full)
    assert run("import-cmt", write_export(tmp_path / "export.csv"), "--out", conf / "papers.yaml") == 1
    err = capsys.readouterr().err
    assert f"cannot write {conf / 'papers.yaml'}: No space left on device; it is unchanged" in err and "Traceback" not in err
    assert (conf / "papers.yaml").read_text() == "papers: []\n"
    assert sorted(p.name for p in conf.iterdir()) == ["papers.yaml", "workshop.yaml"]


def test_importing_into_a_papers_yaml_with_an_alias_bomb_is_refused_with_its_line(tmp_path, capsys):
    """Matching by title compared str() of a title that expands to a billion strings."""
    from test_reliability_conf import ALIAS_BOMB

    conf = conf_dir(tmp_path)
    (conf / "papers.yaml").write_text(ALIAS_BOMB + "\npapers:\n- {id: hand-made, title: *a9, abstract: A., presentation: poster}\n")
    before = (conf / "papers.yaml").read_text()
    assert run("import-cmt", write_export(tmp_path / "export.csv"), "--out", conf / "papers.yaml") == 1
    err = capsys.readouterr().err
    assert f"{conf / 'papers.yaml'}:2: aliases would expand it by more than 100,000 values (first alias: *a0)" in err, err
    assert (conf / "papers.yaml").read_text() == before
