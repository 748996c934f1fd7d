"""Set-up that works on Debian and Ubuntu as they come: the README's two commands (pipx, not a
`pip install` into the system's Python, which PEP 668 refuses), and a build whose output says
which warnings are expected and how to see them all, with one count of the pages it builds."""

from __future__ import annotations

import re
import subprocess
import sys

from conftest import REPO
from enlsp_proceedings.cli import ACCEPTED_WARNINGS, warning_summary
from enlsp_proceedings.model.codes import Level, Reported


def readme() -> str:
    return (REPO / "README.md").read_text(encoding="utf-8")


def section(text: str, heading: str) -> str:
    """A README section, from its heading to the next heading of the same or a higher level."""
    level = heading.split(" ")[0]
    start = text.index(heading + "\n")
    following = re.search(rf"^#{{1,{len(level)}}} ", text[start + len(heading):], flags=re.M)
    return text[start:start + len(heading) + following.start()] if following else text[start:]


def test_the_two_commands_are_two_and_need_no_pip_install_into_the_system_python():
    two = section(readme(), "## The two commands")
    block = re.search(r"```console\n(.*?)```", two, flags=re.S).group(1)
    commands = [line[2:].split("#")[0].strip() for line in block.splitlines() if line.startswith("$ ")]
    assert commands == ["pipx run nox -s build", "pipx run nox -s tests"]
    assert "python3 -m pip install nox" not in readme()  # refused by Debian's and Ubuntu's own Python (PEP 668)
    assert "sudo apt install pipx" in two and "python3 -m venv" in two and "sudo apt install python3-venv" in two


def test_contributing_sets_up_without_pip_installing_into_the_system_python():
    text = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert "python3 -m pip install nox" not in text and "pipx run nox -s fast" in text


def test_ci_installs_nox_where_pip_may_and_in_a_virtual_environment_where_it_may_not():
    script = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "python3 -m pip install --quiet --upgrade pip nox" in script  # CI's image, as before
    assert "python3 -m venv" in script and "python3-venv" in script  # a Debian or Ubuntu machine as it comes


def test_the_warnings_are_counted_by_kind_with_those_conf_asks_for_apart():
    warning, error = Level.WARNING, Level.ERROR
    problems = ([Reported(warning, "pdf-over-limit", "paper 'a': 4.4 pages of content, the limit is 4 [pdf-over-limit]")] * 3
                + [Reported(warning, "pdf-author-variant", "paper 'b': page 1 has 'Andy Rock', the metadata 'Andrew Rock' [pdf-author-variant]"),
                   Reported(warning, "pdf-review-copy-published", "paper 'c': the anonymized review copy; published anyway [pdf-review-copy-published]"),
                   Reported(warning, "name-variant", "people: 'P. Raman' and 'Priya Raman' may be the same person (initials); if so, ..."),
                   Reported(error, "pdf-empty", "paper 'd': the file is empty (0 bytes) [pdf-empty]")])
    first, kinds = warning_summary(problems)
    assert first.startswith("6 warnings, none of which stops the build (`nox -s check` lists them all; ")
    assert kinds == ("  accepted in conf/: 3 pdf-over-limit (page_policy over_limit), 1 pdf-review-copy-published (publish_review_copy); "
                     "to look at: 1 pdf-author-variant, 1 name-variant")
    assert warning_summary(problems[-1:]) == []
    assert warning_summary(problems[3:4])[0].startswith("1 warning, ")
    assert str(problems[-1]) == "error: paper 'd': the file is empty (0 bytes) [pdf-empty]"  # as printed
    assert str(problems[-1].naming("edition 2023")) == "error: edition 2023: paper 'd': the file is empty (0 bytes) [pdf-empty]"


def test_every_kind_of_warning_is_explained_in_the_readme():
    table = section(readme(), "### Warnings")
    codes = set(re.findall(r"PdfProblem\(\"warning\", \"([a-z0-9-]+)\"", "".join(
        p.read_text(encoding="utf-8") for p in (REPO / "src" / "enlsp_proceedings").rglob("*.py"))))
    codes |= {"pdf-over-limit", "pdf-missing"}  # warnings by policy (page_policy, a build's pending PDF)
    assert codes and all(f"`{code}`" in table for code in codes | set(ACCEPTED_WARNINGS)), codes


def test_the_real_archive_builds_with_the_warnings_and_the_one_page_count_the_readme_shows(tmp_path):
    """The README's example is what `nox -s build` prints on the real ENLSP archive (a change of the
    camera-ready checks that changes it must change the README too), and Sphinx warns of nothing."""
    build = subprocess.run([sys.executable, "-m", "enlsp_proceedings", "build", "--conf", str(REPO / "conf"), "--papers", str(REPO / "papers"),
                            "--docs", str(REPO / "docs"), "--out", str(tmp_path / "site"), "-j", "1"],
                           capture_output=True, text=True, timeout=1200)
    assert build.returncode == 0, build.stderr[-3000:]
    err = build.stderr
    example = re.search(r"ends with its warnings counted by kind.*?\n```\n(.*?)```", readme(), flags=re.S).group(1).splitlines()
    summary = [line for line in err.splitlines() if line.startswith((example[0].split(",")[0], "  accepted in conf/", "built ", "series: "))]
    assert summary == example, err[-3000:]
    shown = re.findall(r"^warning: .*\[([a-z0-9-]+)\]$", err, flags=re.M)
    assert len(shown) == int(example[0].split()[0])
    table = section(readme(), "### Warnings")
    assert all(f"`{code}`" in table for code in shown)
    assert "WARNING" not in err  # Sphinx: not one broken reference in any edition's pages or the series'
    # one line of changed pages per Sphinx project (each edition, then the series' own pages)
    assert len(re.findall(r"^pages: \d+ new, 0 changed, 0 removed$", err, flags=re.M)) == 3 and "page source" not in err
