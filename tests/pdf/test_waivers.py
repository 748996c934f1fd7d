"""Organizers' decisions are recorded: a per-paper waiver in conf/papers.yaml (which problem, and why)
turns that problem into a note; `check` shows what was waived and why, `build --strict` passes, and a
waived error that kept a PDF off the site (another paper's file, by the checks' judgment) no longer does."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest
import yaml

from conftest import REPO, run_build
from enlsp_proceedings.cli import main as cli_main
from enlsp_proceedings.model.codes import NOT_WAIVABLE, WAIVABLE, Code, Level, code_named
from enlsp_proceedings.model.schema import Paper
from enlsp_proceedings.pdf.check import waived
from enlsp_proceedings.pdf.facts import PdfProblem, WaivedProblem
from synthetic import SynthPaper, make_pdf, workshop_yaml, write_workshop

AUTHORS = [{"name": "Élodie Dubois"}, {"name": "Kwame Okafor"}]
TITLE = "Sparse Attention for Tiny Phones"
REASON = "The program chairs accepted a fifth page for the demo (e-mail of 2031-11-02)."


def workshop(root: Path, waive: dict[str, list[dict]] | None = None, **policy) -> tuple[Path, Path]:
    """good (2 and a bit content pages of 3), over (3 and a bit of 3), wrong (another paper's file), pending (no PDF)."""
    papers = [SynthPaper(ident, TITLE if ident != "wrong" else "Pruning Speech Models", AUTHORS, "An abstract.", pages=None,
                         extra={"waive": (waive or {})[ident]} if ident in (waive or {}) else {})
              for ident in ("good", "over", "wrong", "pending")]
    conf, papers_dir = write_workshop(root, papers, workshop=workshop_yaml(page_limit=3, page_policy=policy or {}), make_pdfs=False)
    return conf, papers_dir


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> Path:
    """The PDFs, typeset once for the module."""
    papers_dir = tmp_path_factory.mktemp("pdfs")
    names = [a["name"] for a in AUTHORS]
    make_pdf(papers_dir / "good.pdf", TITLE, names, pages=3, references_page=3)
    make_pdf(papers_dir / "over.pdf", TITLE, names, pages=4, references_page=4)
    make_pdf(papers_dir / "wrong.pdf", "A Completely Different Paper", ["Somebody Else"], pages=2, references_page=2)
    return papers_dir


def check(capsys, root: Path, papers: Path, *extra: str) -> tuple[int, dict]:
    code = cli_main(["check", "--conf", str(root / "conf"), "--papers", str(papers), "--cache", str(root / "cache"), "--format", "json", *extra])
    return code, json.loads(capsys.readouterr().out)


def check_text(capsys, root: Path, papers: Path) -> tuple[int, str]:
    code = cli_main(["check", "--conf", str(root / "conf"), "--papers", str(papers), "--cache", str(root / "cache")])
    return code, capsys.readouterr().out


def test_a_waived_problem_is_a_note_with_its_reason(tmp_path, pdfs, capsys):
    workshop(tmp_path, waive={"over": [{"code": "pdf-over-limit", "reason": REASON}],
                              "wrong": [{"code": "pdf-wrong-file", "reason": "The authors retitled it; page 1 is right."}],
                              "pending": [{"code": "pdf-missing", "reason": "Withdrawn after the workshop; no camera-ready."}]})
    code, report = check(capsys, tmp_path, pdfs)
    assert code == 0 and report["errors"] == 0 and report["warnings"] == 0 and report["notes"] == 3
    by_id = {p["id"]: p for p in report["papers"]}
    [over] = by_id["over"]["problems"]
    assert over["level"] == "note" and over["code"] == "pdf-over-limit" and over["waived"] == {"level": "error", "reason": REASON}
    assert over["message"].startswith(f"{by_id['over']['content_pages']:g} pages of content, the limit is 3")  # the measure is still shown
    assert by_id["wrong"]["problems"][0]["waived"]["level"] == "error"
    assert by_id["pending"]["problems"][0]["code"] == "pdf-missing" and by_id["pending"]["problems"][0]["level"] == "note"
    code, text = check_text(capsys, tmp_path, pdfs)
    assert code == 0
    assert re.search(r"^over +over\.pdf +4 +3\.\d\d +ready$", text, re.M)
    assert re.search(r"^    waived error: 3\.\d+ pages of content, the limit is 3 .*\[pdf-over-limit\]\n        reason \(conf/papers\.yaml\): "
                     + re.escape(REASON) + "$", text, re.M)
    assert text.rstrip().endswith("4 of 4 paper(s) ready; 0 error(s), 0 warning(s), 3 note(s)")


def test_without_the_waivers_the_same_papers_fail(tmp_path, pdfs, capsys):
    workshop(tmp_path)
    code, report = check(capsys, tmp_path, pdfs)
    assert code == 1 and report["errors"] == 3 and report["notes"] == 0
    assert {p["code"] for e in report["papers"] for p in e["problems"]} == {"pdf-over-limit", "pdf-wrong-file", "pdf-missing"}


def test_a_waiver_of_a_warning_is_a_note_too(tmp_path, pdfs, capsys):
    workshop(tmp_path, waive={"over": [{"code": "pdf-over-limit", "reason": REASON}]}, over_limit="warning")
    code, report = check(capsys, tmp_path, pdfs, "--paper", "over")
    [problem] = report["papers"][0]["problems"]
    assert code == 0 and problem["waived"] == {"level": "warning", "reason": REASON} and report["warnings"] == 0


def test_a_waiver_that_matches_nothing_is_a_warning(tmp_path, pdfs, capsys):
    """A stale waiver shows (the author fixed the file, or the code is the wrong one), but only where its check ran."""
    workshop(tmp_path, waive={"good": [{"code": "pdf-over-limit", "reason": "Old decision."}],
                              "pending": [{"code": "pdf-author-missing", "reason": "Not judged: there is no PDF."}]})
    code, report = check(capsys, tmp_path, pdfs)
    by_id = {p["id"]: p for p in report["papers"]}
    [stale] = by_id["good"]["problems"]
    assert (stale["level"], stale["code"]) == ("warning", "waiver-unused")
    assert stale["message"] == "conf/papers.yaml waives pdf-over-limit for this paper, but it has no such problem (any more?): remove the waiver"
    assert [p["code"] for p in by_id["pending"]["problems"]] == ["pdf-missing"]  # no PDF: the waiver is neither used nor stale


def test_unknown_and_unwaivable_codes_are_errors_naming_file_and_line(tmp_path, capsys):
    workshop(tmp_path, waive={"good": [{"code": "pdf-over-limt", "reason": "typo"}],
                              "over": [{"code": "pdf-review-copy", "reason": "x"}, {"code": "pdf-encrypted", "reason": "y"}],
                              "wrong": [{"code": "pdf-over-limit", "reason": "a"}, {"code": "pdf-over-limit", "reason": "b"}],
                              "pending": [{"code": "pdf-missing"}]})
    text = (tmp_path / "conf" / "papers.yaml").read_text()
    lines = {code: i for i, line in enumerate(text.splitlines(), 1) for code in ("pdf-over-limt", "pdf-review-copy", "pdf-encrypted")
             if line.strip().endswith(f"code: {code}")}
    code, report = check(capsys, tmp_path, tmp_path / "papers")
    messages = [p["message"] for p in report["problems"]]
    papers_yaml = tmp_path / "conf" / "papers.yaml"
    assert code == 1 and report["papers"] == []
    assert f"{papers_yaml}:{lines['pdf-over-limt']}: papers[0].waive[0].code (id 'good'): unknown problem code 'pdf-over-limt'; codes that can be waived: pdf-over-limit, " in "\n".join(messages)
    assert any(m.startswith(f"{papers_yaml}:{lines['pdf-review-copy']}: papers[1].waive[0].code (id 'over'): pdf-review-copy cannot be waived: "
                            "publish a review copy with publish_review_copy") for m in messages)
    assert any(m.startswith(f"{papers_yaml}:{lines['pdf-encrypted']}: papers[1].waive[1].code") and "remove it and waive pdf-missing" in m for m in messages)
    assert any("papers[2].waive (id 'wrong'): pdf-over-limit is waived more than once" in m for m in messages)
    assert any("papers[3].waive[0].reason (id 'pending'): is required" in m for m in messages)


def test_every_code_is_declared_once_with_its_level_meaning_and_waivability():
    """A new check adds its code to model/codes.py's `Code`, saying there whether organizers can
    waive it (its waiver is refused as unknown otherwise), and spells it nowhere else."""
    assert {"pdf-over-limit", "pdf-wrong-file", "supplementary-encrypted", "pdf-active-content", "name-variant", "conf-invalid"} <= {c.value for c in Code}
    for code in Code:
        assert code.meaning and code.level in Level, code
        assert code.scope is not None or NOT_WAIVABLE[code.value], code  # a waiver of it is refused saying why
    assert not set(WAIVABLE) & set(NOT_WAIVABLE) and set(WAIVABLE) | set(NOT_WAIVABLE) == {c.value for c in Code}
    # a supplementary PDF is read like a camera-ready: each reading problem has its supplementary- code
    reading = [c for c in Code if c.value.startswith("pdf-") and c.instead == NOT_WAIVABLE["pdf-encrypted"]]
    assert len(reading) == 8 and all(code_named("supplementary-" + c.value.removeprefix("pdf-")) for c in reading)
    # no module but codes.py spells a code: they name its member
    texts = {c.value for c in Code}
    package = REPO / "src" / "enlsp_proceedings"
    spelled = [(path.name, node.lineno, node.value) for path in package.rglob("*.py") if path.name != "codes.py"
               for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
               if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in texts]
    assert spelled == []
    # nor a level: every problem, issue and count names a `Level`
    levels = {level.value for level in Level}
    makers = {"add", "count", "of", "PdfProblem", "WaivedProblem", "PeopleIssue", "Issue", "Reported"}
    literal = [(path.name, node.lineno) for path in package.rglob("*.py") if path.name != "codes.py"
               for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
               if isinstance(node, ast.Call) and (getattr(node.func, "attr", None) or getattr(node.func, "id", None)) in makers
               and any(isinstance(arg, ast.Constant) and arg.value in levels for arg in node.args)]
    assert literal == []


def test_every_problem_is_made_from_its_code_at_the_code_s_level_unless_said_otherwise():
    problem = PdfProblem.of(Code.PDF_AUTHOR_EXTRA, "page 1 lists Leonard Lausen, who is not in the metadata")
    assert (problem.level, problem.code) == (Level.WARNING, "pdf-author-extra") and problem.level == "warning"
    assert PdfProblem.of(Code.PDF_MISSING, "no PDF", Level.ERROR).level == Level.ERROR  # `check`: a missing PDF is an error
    with pytest.raises(ValueError, match="unknown problem code 'pdf-nonsense'"):
        code_named("pdf-nonsense")


def test_waivers_apply_only_to_their_code_and_keep_the_message():
    paper = Paper.model_construct(waive=[type("W", (), {"code": "pdf-author-extra", "reason": "He left the project."})()])
    problems = [PdfProblem("warning", "pdf-author-extra", "page 1 lists Leonard Lausen, who is not in the metadata"),
                PdfProblem("error", "pdf-author-missing", "page 1 does not list Chen Wu, an author in conf/papers.yaml")]
    out = waived(paper, problems, {"file", "pdf"})
    assert out == [WaivedProblem("note", "pdf-author-extra", problems[0].message, "warning", "He left the project."), problems[1]]


def test_a_waived_error_no_longer_fails_a_strict_build_and_a_waived_wrong_file_is_published(tmp_path, pdfs, capsys):
    import shutil

    papers = tmp_path / "papers"
    shutil.copytree(pdfs, papers)
    workshop(tmp_path)  # over the limit (an error), another paper's file; the pending paper has no PDF (not an error for build)
    assert run_build(tmp_path, "--strict") == 1
    err = capsys.readouterr().err
    assert "[pdf-over-limit]" in err and "[pdf-wrong-file]" in err
    assert not (tmp_path / "site").exists()
    workshop(tmp_path, waive={"over": [{"code": "pdf-over-limit", "reason": REASON}],
                              "wrong": [{"code": "pdf-wrong-file", "reason": "The authors retitled it; page 1 is right."}]})
    assert run_build(tmp_path, "--strict") == 0
    err = capsys.readouterr().err
    assert "pdf-over-limit" not in err and "pdf-wrong-file" not in err  # a note: `check` lists it, the build goes on
    site = tmp_path / "site" / "papers"
    assert sorted(p.name for p in site.glob("*.pdf")) == ["good.pdf", "over.pdf", "wrong.pdf"]
    assert "Camera-ready not yet available" not in (site / "wrong.html").read_text(encoding="utf-8")
    data = json.loads((tmp_path / "site" / "papers.json").read_text(encoding="utf-8"))
    assert all("waive" not in p for p in data["papers"])  # the organizers' decisions are not the papers' metadata
    assert yaml.safe_load((tmp_path / "conf" / "papers.yaml").read_text())["papers"][1]["waive"][0]["reason"] == REASON


def test_a_reason_is_shown_as_text_in_the_terminal():
    """The reason is the organizers' text: a bidi override or an escape sequence reaches no terminal (JSON escapes it too)."""
    from enlsp_proceedings.pdf.check import CheckReport, PaperReport, format_text

    problem = WaivedProblem("note", "pdf-over-limit", "5 pages of content, the limit is 4", "error", "ok \u202eevil\x1b[2J")
    text = format_text(CheckReport([PaperReport("x", "x.pdf", 6, [problem], 5.0)]))
    assert "reason (conf/papers.yaml): ok \\u202eevil\\x1b[2J" in text and "\u202e" not in text and "\x1b" not in text
    assert json.loads(json.dumps(CheckReport([PaperReport("x", "x.pdf", 6, [problem], 5.0)]).as_json()))["papers"][0]["problems"][0]["waived"] == {
        "level": "error", "reason": "ok \u202eevil\x1b[2J"}


def test_the_codes_command_lists_every_code_and_the_guide_shows_its_list(capsys):
    from enlsp_proceedings.cli import main

    assert main(["codes", "--format", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [c["code"] for c in listed] == [c.value for c in Code]
    over = next(c for c in listed if c["code"] == "pdf-over-limit")
    assert over == {"code": "pdf-over-limit", "level": "error", "waivable": True, "meaning": Code.PDF_OVER_LIMIT.meaning, "instead": None}
    encrypted = next(c for c in listed if c["code"] == "pdf-encrypted")
    assert not encrypted["waivable"] and "waive pdf-missing" in encrypted["instead"]
    assert main(["codes"]) == 0
    text = capsys.readouterr().out.splitlines()
    assert len(text) == len(Code) and text[0].split()[:3] == ["pdf-outside", "error", "-"]
    # the organizers' guide holds the list as the command prints it: a new code shows there, or this fails
    assert main(["codes", "--format", "markdown"]) == 0
    table = capsys.readouterr().out
    guide = (REPO / "docs" / "guide" / "organizers.md").read_text(encoding="utf-8")
    start = guide.index("<!-- codes: the output of `enlsp-proceedings codes --format markdown` -->\n")
    assert guide[start:guide.index("<!-- /codes -->")].split("\n", 1)[1] == table
