"""Reliability of the metadata: hostile YAML is refused with file and line, never expanded or waited for."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import REPO
from enlsp_proceedings.model.load import ConfError, load_proceedings
from synthetic import random_papers, write_workshop

SRC = REPO / "src"

#: "Billion laughs": ten lines whose last alias expands to 10**9 strings.
ALIAS_BOMB = "\n".join(
    ["lol: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    + [f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]" for i in range(1, 10)]
)


def _cli(*args: str, guard: float = 60) -> subprocess.CompletedProcess:
    """The real command line in a child process; ``guard`` only stops a hang (old versions never returned)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")])}
    return subprocess.run([sys.executable, "-m", "enlsp_proceedings", *args], env=env, capture_output=True, text=True, timeout=guard)


@pytest.mark.parametrize("where", ["papers", "workshop"])
def test_an_alias_bomb_is_refused_with_its_line(tmp_path, where):
    conf, _papers = write_workshop(tmp_path, random_papers(2), make_pdfs=False)
    target = conf / f"{where}.yaml"
    target.write_text(target.read_text(encoding="utf-8") + ALIAS_BOMB + "\n", encoding="utf-8")
    first_alias = target.read_text(encoding="utf-8").splitlines().index(ALIAS_BOMB.splitlines()[1]) + 1
    with pytest.raises(ConfError) as caught:
        load_proceedings(conf)
    [problem] = [p for p in caught.value.problems if p.file == str(target)]
    assert problem.line == first_alias and problem.code == "conf-alias"
    assert "first alias: *a0" in problem.message and "more than 100,000 values" in problem.message


def test_check_and_build_refuse_an_alias_bomb_at_once(tmp_path):
    """`check` and `build` hung on it (PyYAML shares the aliased lists; validating walked 10**9 strings)."""
    conf, papers = write_workshop(tmp_path, random_papers(2), make_pdfs=False)
    (conf / "papers.yaml").write_text((conf / "papers.yaml").read_text(encoding="utf-8") + ALIAS_BOMB + "\n", encoding="utf-8")
    check = _cli("check", "--conf", str(conf), "--papers", str(papers), "--out", str(tmp_path / "site"))
    assert check.returncode == 1 and "Traceback" not in check.stderr
    assert f"{conf / 'papers.yaml'}:" in check.stdout and "alias: *a0" in check.stdout
    build = _cli("build", "--conf", str(conf), "--papers", str(papers), "--out", str(tmp_path / "site"), "--docs", str(tmp_path / "docs"), "-q")
    assert build.returncode == 1 and "Traceback" not in build.stderr and "alias: *a0" in build.stderr
    assert not (tmp_path / "site").exists()


PAPERS_WITH_AN_ALIAS = """\
papers:
- id: first
  title: Q&A with *stars* & anchors
  authors:
  - &ann {name: Ann Lee, affiliation: Lab X}
  abstract: A.
  presentation: poster
- id: second
  title: Another
  authors: [*ann]
  abstract: B.
  presentation: poster
"""


def test_a_few_aliases_and_stars_in_text_are_fine(tmp_path):
    """An author reused through an alias is fine, and '*' and '&' in ordinary text are text."""
    conf, _ = write_workshop(tmp_path, [], make_pdfs=False)
    (conf / "papers.yaml").write_text(PAPERS_WITH_AN_ALIAS, encoding="utf-8")
    proc = load_proceedings(conf)
    assert proc.papers[0].title == "Q&A with *stars* & anchors"
    assert [p.authors[0].affiliation for p in proc.papers] == ["Lab X", "Lab X"]


def test_an_alias_that_contains_itself_is_refused(tmp_path):
    conf, _ = write_workshop(tmp_path, random_papers(1), make_pdfs=False)
    (conf / "cfp.yaml").write_text("intro: &loop [*loop]\n", encoding="utf-8")
    with pytest.raises(ConfError) as caught:
        load_proceedings(conf)
    [problem] = caught.value.problems
    assert problem.line == 1 and "contains it" in problem.message
