"""Both real accepted lists imported with the tool's own import-cmt, as the organizers left them.

ENLSP-III's ``_data/accepted_papers.yml`` (80 papers) is YAML whose double-quoted strings use YAML escapes:
it was refused ("accepted_papers.yml:247:50: not a readable JSON list of papers (Invalid \\escape)"), and read
as YAML, ``\\emph`` and ``\\ref`` became ESC + "mph" and CR + "ef". ENLSP-II's (40 papers, what conf/ holds)
had ``\\textit`` eaten by JSON's ``\\t``. Skipped where ``../shared`` is not beside the clone.
"""

from __future__ import annotations

import contextlib
import io
import re
import shutil
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from conftest import REPO
from enlsp_proceedings.importers.authors import split_affiliation, split_authors
from enlsp_proceedings.model.load import load_proceedings
from test_import import conf_dir, run

SHARED = REPO.parent / "shared"
ENLSP_II = SHARED / "enlsp-ii-2022-source" / "_data" / "accepted_papers.yml"
ENLSP_III = SHARED / "enlsp-iii-2023-source" / "_data" / "accepted_papers.yml"
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\x85\u2028\u2029]")


def need(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} is not beside this clone")
    return path


@pytest.fixture(scope="module")
def enlsp_iii(tmp_path_factory) -> tuple[dict, str, list[dict]]:
    """ENLSP-III imported into an empty workshop: (papers by CMT id, what import-cmt printed, the raw list)."""
    source = need(ENLSP_III)
    conf = conf_dir(tmp_path_factory.mktemp("enlsp3"))
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        assert run("import-cmt", source, "--out", conf / "papers.yaml") == 0
    papers = {p.review_id.removeprefix("cmt:"): p for p in load_proceedings(conf).papers}
    raw = YAML(typ="safe", pure=True).load(source.read_text(encoding="utf-8"))
    return papers, printed.getvalue(), raw


def test_enlsp_iii_all_80_papers_are_imported_with_every_author(enlsp_iii):
    papers, printed, raw = enlsp_iii
    assert len(papers) == len(raw) == 80 and "80 added, 0 updated, 0 unchanged" in printed
    assert "authors separated by ';' (CMT's form) in 77 of the 80 papers that name them (the other 3 name one author)" in printed
    assert "contact-author marks (*) removed from 80 paper(s)" in printed
    for item in raw:
        paper = papers[str(item["id"])]
        assert paper.title == " ".join(item["title"].split())
        parts = split_authors(item["authors"], "semicolon")
        assert len(paper.authors) == len(parts) == item["authors"].count(";") - sum(
            a.count(";") for a in re.findall(r"\([^()]*\)", item["authors"])) + 1, item["id"]
        for author, part in zip(paper.authors, parts, strict=True):
            name, affiliation = split_affiliation(part.replace("*", ""))
            assert author.name == name, item["id"]  # no footnote marks in this list: names exactly as written
            assert "*" not in author.name and not CONTROL.search(author.name)
            if affiliation not in ("", "N/A") and not affiliation.endswith("`"):
                assert author.affiliation == affiliation, (item["id"], affiliation)
        assert not CONTROL.search(paper.abstract), item["id"]


def test_enlsp_iii_escape_repairs_and_affiliation_artefacts_are_reported(enlsp_iii):
    papers, printed, _raw = enlsp_iii
    assert "\\emph{sparse fine-tuning}" in papers["47"].abstract and "Section~\\ref{sec:reproducibility}" in papers["47"].abstract
    assert "\\textit{denoise}" in papers["70"].abstract
    assert "\\textbf{ReFusion}" in papers["79"].abstract and "\\textbf{Re}trieval" in papers["79"].abstract
    repaired = [line for line in printed.splitlines() if line.startswith("repaired")]
    assert [line.split(":")[0] for line in repaired] == ["repaired  cmt-47"] * 2 + ["repaired  cmt-70"] + ["repaired  cmt-79"] * 3
    assert "repaired  cmt-47: abstract: '\\emph{sparse' restored (the file's \\e escape had made it an escape character (ESC)" in printed
    # paper 79: a stray backtick ends an affiliation (removed, said); a cedilla stands where a comma belongs (kept, said)
    assert [(a.name, a.affiliation) for a in papers["79"].authors[:2]] == [
        ("Shangyu Wu", "City University of Hong Kong"), ("Ying Xiong", "Harbin Institute of Technology¸Shenzhen")]
    assert "cleaned   cmt-79: authors[0] affiliation 'City University of Hong Kong`' -> 'City University of Hong Kong'" in printed
    assert "check     cmt-79: authors[1] affiliation 'Harbin Institute of Technology¸Shenzhen' has a stray '¸' (U+00B8 CEDILLA: a comma?)" in printed
    assert "cleaned   cmt-45: authors[3] affiliation 'N/A' dropped" in printed and papers["45"].authors[3].affiliation is None
    # names whose family name is a guess are listed for the organizer
    assert "family    cmt-62: 'Carlo C Del Mundo': family name 'Mundo' assumed" in printed
    assert "family    cmt-34: 'Satya Sai Srinath Namburi GNVV'" in printed
    assert "Tanya G Roosta" not in printed and "Mihaela van der Schaar" not in printed


def test_enlsp_ii_reimport_changes_nothing_and_keeps_every_hand_chosen_value(tmp_path, capsys):
    """conf/papers.yaml is the import of the real list plus the organizers' corrections (# source: comments):
    a re-import keeps them all and writes nothing."""
    source = need(ENLSP_II)
    conf = tmp_path / "conf"
    shutil.copytree(REPO / "conf" / "2022", conf)
    before = (conf / "papers.yaml").read_bytes()
    assert run("import-cmt", source, "--out", conf / "papers.yaml") == 0
    printed = capsys.readouterr().out
    assert "no changes to" in printed and "0 added, 0 updated, 40 unchanged" in printed
    assert (conf / "papers.yaml").read_bytes() == before
    locked = sorted(line.split(":")[0].split()[1] for line in printed.splitlines() if line.startswith("locked"))
    assert locked == sorted(["few-shot-without-prompts", "cmt-19", "cmt-42", "robust-distilhubert", "cmt-53"])
    assert "repaired  cmt-31: abstract: '\\textit{DyREx},' restored (the file's \\t escape had made it a tab + 'extit{DyREx},')" in printed
    paper = next(p for p in load_proceedings(conf).papers if p.id == "cmt-31")
    assert "we propose \\textit{DyREx}, a generalization of the \\textit{vanilla} approach" in paper.abstract
