"""Next year's edition in one sitting: the organizer guide's "Next year's edition from your website's
files" section, run as written (its workshop.yaml, its commands in order, its decisions) on
ENLSP-III's real website data and camera-readies (``../shared/enlsp-iii-2023-source``), from an
empty folder to a checked, strictly built site.

The section is read from ``docs/guide/organizers.md`` itself, so the guide cannot drift from what
works. Skips, saying why, where the workshop's source files are absent.
"""

from __future__ import annotations

import json
import re
import shlex

import pytest
import yaml

from conftest import REPO
from enlsp_proceedings.cli import main as cli_main
from enlsp_proceedings.importers.papers_yaml import read_doc, write_yaml
from test_build import visible

SOURCE = REPO.parent / "shared" / "enlsp-iii-2023-source"
GUIDE = REPO / "docs" / "guide" / "organizers.md"
HEADING = "## Next year's edition from your website's files, in one sitting"

pytestmark = [
    pytest.mark.slow,  # imports, collects, checks and builds 80 real papers
    pytest.mark.skipif(not (SOURCE / "_data" / "accepted_papers.yml").is_file(),
                       reason=f"ENLSP-III's website data is not beside the repository ({SOURCE}); CI lays it out there"),
]


def guide_section() -> str:
    text = GUIDE.read_text(encoding="utf-8")
    start = text.index(HEADING)
    end = text.find("\n## ", start + len(HEADING))
    return text[start:end if end != -1 else len(text)]


def blocks(section: str, language: str) -> list[str]:
    """The fenced blocks of one language, indentation removed (they sit inside a numbered list)."""
    found = []
    for match in re.finditer(rf"^( *)```{language}\n(.*?)^\1```", section, flags=re.S | re.M):
        indent = len(match.group(1))
        found.append("\n".join(line[indent:] for line in match.group(2).splitlines()))
    return found


def commands(block: str) -> list[list[str]]:
    return [shlex.split(line[2:], comments=True) for line in block.splitlines() if line.startswith("$ enlsp-proceedings ")]


def run(capsys, argv: list[str]) -> tuple[int, str]:
    assert argv[0] == "enlsp-proceedings"
    status = cli_main(argv[1:])
    captured = capsys.readouterr()
    return status, captured.out + captured.err


def test_the_guides_next_edition_path_builds_enlsp_iii_from_its_website_files(tmp_path, monkeypatch, capsys):
    section = guide_section()
    yamls, consoles = blocks(section, "yaml"), blocks(section, "console")
    workshop = next(b for b in yamls if b.startswith("# conf/workshop.yaml"))
    decisions = next(b for b in yamls if b.lstrip().startswith("- id:"))
    assert len(consoles) == 3, "the section's three steps with commands: import and collect, check, build"
    imports, check, build = (commands(b) for b in consoles)

    folder = tmp_path / "enlsp-iii"
    (folder / "conf").mkdir(parents=True)
    (tmp_path / "enlsp-iii" / "old-site").symlink_to(SOURCE)  # the website's repository, cloned beside
    monkeypatch.chdir(folder)
    (folder / "conf" / "workshop.yaml").write_text(workshop, encoding="utf-8")

    # 2. the accepted list, the program (stopping first on the broken times), the PDFs
    assert [c[1] for c in imports] == ["import-cmt", "import-program", "import-program", "collect"]
    status, out = run(capsys, imports[0])
    assert status == 0, out
    assert "80 added" in out and out.count("\nrepaired ") + out.startswith("repaired ") >= 6
    assert "family " in out  # names whose family name was assumed are listed for the organizer
    status, out = run(capsys, imports[1])
    assert status == 1 and "nothing written: 3 error(s)" in out, out
    for where in ("schedule.yml:2:", "schedule.yml:100:", "schedule.yml:107:"):
        assert where in out
    assert not (folder / "conf" / "schedule.yaml").exists()
    status, out = run(capsys, imports[2])
    assert status == 0, out
    assert "6 keynotes (7 speakers)" in out and "25 slots" in out and "55 technical committee members" in out
    papers = yaml.safe_load((folder / "conf" / "papers.yaml").read_text(encoding="utf-8"))["papers"]
    assert sum(p["presentation"] == "spotlight" for p in papers) == 10
    status, out = run(capsys, imports[3])
    assert status == 0, out
    assert "copied 82 file(s)" in out and "missing   cmt-80" in out and "missing   cmt-85" in out
    assert len(list((folder / "papers").glob("*-supplementary.pdf"))) == 4

    # 3. check names the three real errors, and the warnings of each kind the guide mentions
    assert check == [["enlsp-proceedings", "check"]]
    status, out = run(capsys, check[0])
    assert status == 1, out
    status, out = run(capsys, [*check[0], "--format", "json"])
    report = json.loads(out)
    errors = sorted((p["id"], q["code"]) for p in report["papers"] for q in p["problems"] if q["level"] == "error")
    assert errors == [("cmt-66", "pdf-review-copy"), ("cmt-80", "pdf-missing"), ("cmt-85", "pdf-missing")]
    codes = [q["code"] for p in report["papers"] for q in p["problems"]]
    for code in ("pdf-over-limit", "pdf-main-conference-footer", "pdf-author-variant", "pdf-affiliation-mismatch"):
        assert code in codes, code

    # the organizer's decisions, as the guide writes them, into the entries of papers.yaml
    doc = read_doc(folder / "conf" / "papers.yaml")
    entries = {str(e["id"]): e for e in doc["papers"]}
    for decision in yaml.safe_load(decisions):
        entry = entries[decision.pop("id")]
        for key, value in decision.items():
            entry[key] = value
    write_yaml(folder / "conf" / "papers.yaml", doc)
    status, out = run(capsys, [*check[0], "--format", "json"])
    assert status == 0, out
    report = json.loads(out)
    assert report["errors"] == 0
    waived = {p["id"] for p in report["papers"] for q in p["problems"] if q.get("waived")}
    assert waived == {"cmt-80", "cmt-85"}

    # 4. the strict build publishes every paper; the old site's addresses keep working
    assert build == [["enlsp-proceedings", "build", "--strict"]]
    status, out = run(capsys, build[0])
    assert status == 0, out
    site = folder / "docs" / "_build" / "html"
    assert len(list((site / "papers").glob("cmt-*.html"))) == 80
    assert (site / "papers" / "paper_2.pdf").read_bytes() == (SOURCE / "papers" / "paper_2.pdf").read_bytes()
    assert (site / "papers" / "paper_2_supp.pdf").read_bytes() == (SOURCE / "papers" / "paper_2_supp.pdf").read_bytes()
    keynote = visible((site / "keynotes" / "samy-bengio-tatiana-likhomanenko.html").read_text(encoding="utf-8"))
    assert "Samy Bengio" in keynote and "Tatiana Likhomanenko" in keynote
    assert "review" in visible((site / "papers" / "cmt-66.html").read_text(encoding="utf-8")).lower()
    assert not (site / "papers" / "cmt-80.pdf").exists()
    schedule = visible((site / "schedule.html").read_text(encoding="utf-8"))
    assert "Poster Session I" in schedule and "Interactive Panel Discussion" in schedule
