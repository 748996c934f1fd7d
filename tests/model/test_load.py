"""Bad metadata gets a clear error naming file, line and field; all problems at once."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from enlsp_proceedings.model.load import ConfError, load_proceedings
from synthetic import random_papers, write_workshop


def problems_of(conf: Path) -> list[str]:
    with pytest.raises(ConfError) as info:
        load_proceedings(conf)
    return [str(p) for p in info.value.problems]


def test_all_problems_reported_with_file_line_and_id(tmp_path):
    conf, _ = write_workshop(tmp_path, random_papers(3), make_pdfs=False)
    data = yaml.safe_load((conf / "papers.yaml").read_text())
    data["papers"][0]["presentation"] = "talk"
    data["papers"][1]["links"] = {"code": "javascript:alert(1)"}
    data["papers"][2]["id"] = data["papers"][0]["id"]
    del data["papers"][2]["title"]
    (conf / "papers.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    problems = problems_of(conf)
    text = "\n".join(problems)
    assert len(problems) >= 3, text
    assert "papers.yaml:" in text
    assert "papers[0].presentation (id 'paper-0000')" in text
    assert "papers[1].links.code (id 'paper-0001')" in text and "http" in text
    assert "papers[2].title" in text and "is required" in text
    line_of_presentation = next(p for p in problems if "presentation" in p).split(":")[1]
    lines = (conf / "papers.yaml").read_text().splitlines()
    assert "presentation: talk" in lines[int(line_of_presentation) - 1]


def test_broken_yaml_says_where(tmp_path):
    conf, _ = write_workshop(tmp_path, random_papers(1), make_pdfs=False)
    (conf / "workshop.yaml").write_text("short_name: X\ntitle: [unclosed\nyear: 2031\n")
    [problem] = problems_of(conf)
    assert "workshop.yaml:" in problem and "not valid YAML" in problem


def test_duplicate_ids_and_unknown_schedule_targets(tmp_path):
    papers = random_papers(2)
    papers[1].id = papers[0].id
    conf, _ = write_workshop(tmp_path, papers, schedule=[{"start": "09:00", "end": "09:10", "paper": "nope"}], make_pdfs=False)
    text = "\n".join(problems_of(conf))
    assert "duplicate id 'paper-0000'" in text
    assert "unknown paper id 'nope'" in text and "schedule.yaml:" in text


def test_pdf_path_cannot_leave_papers_dir(tmp_path):
    papers = random_papers(1)
    papers[0].pdf = "../../etc/passwd.pdf"
    conf, _ = write_workshop(tmp_path, papers, make_pdfs=False)
    assert any("inside the papers directory" in p for p in problems_of(conf))


def test_cli_prints_no_traceback_and_changes_nothing(tmp_path):
    conf, papers = write_workshop(tmp_path, random_papers(1), make_pdfs=False)
    (conf / "papers.yaml").write_text("papers:\n  - id: bad id\n")
    before = {p: p.read_bytes() for p in conf.iterdir()}
    result = subprocess.run(
        [sys.executable, "-m", "enlsp_proceedings", "build", "--conf", str(conf), "--papers", str(papers), "--out", str(tmp_path / "site")],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "papers.yaml:2: papers[0].id" in result.stderr
    assert "nothing was built" in result.stderr
    assert not (tmp_path / "site").exists()
    assert {p: p.read_bytes() for p in conf.iterdir()} == before
