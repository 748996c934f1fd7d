"""File names in ``pdf:`` and ``supplementary:`` that no file system can hold, or that are symbolic-link
loops: a problem for that paper, naming the field and the file; every other paper is checked and built.

Before: a 300-byte ``pdf:`` or ``supplementary:`` gave an ``OSError: [Errno 36]`` traceback in
``build`` and made ``check`` stop with "nothing was checked"; a loop gave a ``RuntimeError:
Symlink loop`` traceback in both.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import yaml

from enlsp_proceedings.cli import main as cli_main
from enlsp_proceedings.pdf.extract import NAME_MAX_BYTES, locate
from synthetic import small_workshop

LONG = "a" * 300 + ".pdf"
ACCENTED = "é" * 128 + ".pdf"  # 132 characters, 260 bytes in UTF-8


def _workshop(root: Path, field: str, name: str) -> tuple[Path, Path]:
    """The small workshop, with paper beta's ``field`` set to ``name``."""
    conf, papers = small_workshop(root)
    data = yaml.safe_load((conf / "papers.yaml").read_text(encoding="utf-8"))
    data["papers"][1][field] = name
    (conf / "papers.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return conf, papers


def _loop(papers: Path) -> str:
    os.symlink("loop2.pdf", papers / "loop1.pdf")
    os.symlink("loop1.pdf", papers / "loop2.pdf")
    return "loop1.pdf"


def test_locate_names_what_is_wrong_without_raising(tmp_path):
    (tmp_path / "real.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "sub").mkdir()
    os.symlink("self.pdf", tmp_path / "self.pdf")
    assert locate(tmp_path, "real.pdf") == ((tmp_path / "real.pdf").resolve(), None)
    assert locate(tmp_path, LONG) == (None, "too-long")
    assert locate(tmp_path, ACCENTED) == (None, "too-long")
    assert locate(tmp_path, "sub/" + LONG) == (None, "too-long")
    assert locate(tmp_path, "é" * 125 + ".pdf") == (None, "missing")  # 254 bytes: a possible name
    assert locate(tmp_path, "self.pdf") == (None, "loop")
    assert locate(tmp_path, "sub") == (None, "not-a-file")
    assert len(os.fsencode(ACCENTED)) == NAME_MAX_BYTES + 5


def _check_json(conf: Path, papers: Path, tmp_path: Path, capsys) -> dict:
    code = cli_main(["check", "--conf", str(conf), "--papers", str(papers), "--out", str(tmp_path / "site"), "--format", "json"])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err and "nothing was checked" not in captured.err, captured.err
    assert code == 1
    return json.loads(captured.out)


@pytest.mark.parametrize("field", ["pdf", "supplementary"])
@pytest.mark.parametrize("kind", ["long", "accented", "loop"])
def test_check_reports_the_paper_and_checks_the_others(tmp_path, capsys, field, kind):
    conf, papers = _workshop(tmp_path / "ws", field, "placeholder.pdf")
    name = {"long": LONG, "accented": ACCENTED, "loop": None}[kind] or _loop(papers)
    _workshop(tmp_path / "ws", field, name)  # rewritten with the name
    report = _check_json(conf, papers, tmp_path, capsys)
    by_id = {p["id"]: p for p in report["papers"]}
    assert set(by_id) == {"alpha", "beta", "gamma"}
    assert by_id["alpha"]["pages"] == 5 and by_id["alpha"]["problems"] == []  # the others are checked
    problems = by_id["beta"]["problems"]
    ours = [p for p in problems if p["code"] == ("pdf-unreadable" if field == "pdf" else "supplementary-unreadable")]
    assert len(ours) == 1 and ours[0]["level"] == "error", problems
    message = ours[0]["message"]
    assert message.startswith(f"{field} '")
    if kind == "loop":
        assert "'loop1.pdf' is a symbolic link that leads back to itself" in message
    else:
        assert "cannot be a file name" in message and f"at most {NAME_MAX_BYTES}" in message and f"{field}: in papers.yaml" in message
        assert len(message) < 300  # the name is cut in the middle, not repeated whole
    if field == "supplementary":
        assert by_id["beta"]["pages"] == 3  # its camera-ready is still checked


@pytest.mark.parametrize("field", ["pdf", "supplementary"])
@pytest.mark.parametrize("kind", ["long", "loop"])
def test_build_publishes_every_paper_and_says_why(tmp_path, capsys, field, kind):
    root = tmp_path / "ws"
    conf, papers = _workshop(root, field, "placeholder.pdf")
    name = LONG if kind == "long" else _loop(papers)
    _workshop(root, field, name)
    code = cli_main(["build", "--conf", str(conf), "--papers", str(papers), "--out", str(root / "site"), "--docs", str(root / "docs"), "-j", "1", "-q"])
    err = capsys.readouterr().err
    assert code == 0 and "Traceback" not in err, err
    assert f"error: paper 'beta': {field} '" in err
    site = root / "site"
    assert (site / "papers" / "alpha.pdf").is_file()  # the others are published
    beta = (site / "papers" / "beta.html").read_text(encoding="utf-8")
    if field == "pdf":
        assert "Camera-ready not yet available" in beta and ("cannot be a file name" in beta or "leads back to itself" in beta)
    else:
        assert (site / "papers" / "beta.pdf").is_file() and not list((site / "papers").glob("beta-supplementary*"))
    # --strict fails on it, leaving the site as it was
    assert cli_main(["build", "--conf", str(conf), "--papers", str(papers), "--out", str(site), "--docs", str(root / "docs"), "-j", "1", "-q", "--strict"]) == 1
