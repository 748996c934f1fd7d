"""Camera-ready checks on bad PDFs made on the fly: the JSON report, the text table, and the built site."""

from __future__ import annotations

import hashlib
import json
import math
import random
import re
import shutil
import subprocess
from pathlib import Path

import pypdf
import pytest
import yaml

from conftest import PdfReads, run_build
from enlsp_proceedings.cli import main as cli_main
from enlsp_proceedings.pdf import read
from enlsp_proceedings.pdf.check import paper_problems, run_check
from enlsp_proceedings.pdf.extract import extract_all, print_progress
from enlsp_proceedings.pdf.read import find_body_end
from synthetic import SynthPaper, make_pdf, new_pdf, write_workshop
from test_build import links, visible


def text_pdf(path: Path, pages: list[str]) -> None:
    """A PDF whose page N shows exactly pages[N-1] (lines kept)."""
    pdf = new_pdf(10)
    pdf.set_auto_page_break(False)
    for text in pages:
        pdf.add_page()
        for line in text.split("\n"):
            pdf.cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(path))


def body(n: int = 30) -> str:
    rng = random.Random(n)
    words = "efficient model inference training memory latency throughput accuracy".split()
    return "\n".join(" ".join(rng.choice(words) for _ in range(12)) for _ in range(n))


def author(name: str) -> dict:
    return {"name": name}


GOOD_AUTHORS = [author("Élodie Dubois"), author("Kwame Okafor")]


def paper(ident: str, title: str = "Sparse Attention for Tiny Phones", pages: int | None = None, **kw) -> SynthPaper:
    return SynthPaper(ident, title, kw.pop("authors", GOOD_AUTHORS), "An abstract.", pages=pages, references_page=None, **kw)


def sha_tree(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(root.rglob("*")) if p.is_file()}


def bad_workshop(root: Path, schedule: list[dict] | None = None) -> tuple[Path, Path]:
    """One paper per kind of camera-ready problem (page_limit 4)."""
    papers = [paper(i) for i in ("good", "missing", "empty", "html", "truncated", "garbage", "random", "encrypted",
                                 "over-limit", "wrong-title", "outside")]
    conf, papers_dir = write_workshop(root, papers, schedule=schedule, make_pdfs=False)
    title, names = papers[0].title, [a["name"] for a in GOOD_AUTHORS]
    make_pdf(papers_dir / "good.pdf", title, names, pages=5, references_page=4)  # 4 content pages (references begin on page 4)
    good = (papers_dir / "good.pdf").read_bytes()
    (papers_dir / "empty.pdf").write_bytes(b"")
    (papers_dir / "html.pdf").write_text("<!DOCTYPE html><html><body>Please log in to CMT</body></html>")
    (papers_dir / "truncated.pdf").write_bytes(good[: len(good) // 2])
    (papers_dir / "garbage.pdf").write_bytes(b"%PDF-1.7\n" + random.Random(7).randbytes(4000))
    (papers_dir / "random.pdf").write_bytes(random.Random(8).randbytes(4000))
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(papers_dir / "good.pdf"))
    writer.encrypt("secret")
    writer.write(papers_dir / "encrypted.pdf")
    make_pdf(papers_dir / "over-limit.pdf", title, names, pages=8, references_page=7)  # 6 and a bit content pages
    make_pdf(papers_dir / "wrong-title.pdf", "A Completely Different Paper", ["Somebody Else"], pages=3, references_page=3)
    outside = root / "elsewhere" / "secret.pdf"
    make_pdf(outside, title, names, pages=2)
    (papers_dir / "outside.pdf").symlink_to(outside)
    return conf, papers_dir


def check_json(capsys, root: Path, *extra: str) -> tuple[int, dict]:
    code = cli_main(["check", "--conf", str(root / "conf"), "--papers", str(root / "papers"), "--cache", str(root / "cache"),
                     "--format", "json", *extra])
    return code, json.loads(capsys.readouterr().out)


EXPECTED = {
    "good": set(),
    "missing": {"pdf-missing"},
    "empty": {"pdf-empty"},
    "html": {"pdf-not-pdf"},
    "truncated": {"pdf-unreadable"},
    "garbage": {"pdf-unreadable"},
    "random": {"pdf-not-pdf"},
    "encrypted": {"pdf-encrypted"},
    "over-limit": {"pdf-over-limit"},
    "wrong-title": {"pdf-wrong-file"},  # neither its title nor any of its authors on page 1
    "outside": {"pdf-outside"},
}


def test_json_report_on_bad_pdfs(tmp_path, capsys):
    conf, papers_dir = bad_workshop(tmp_path)
    before = sha_tree(conf), sha_tree(papers_dir)
    code, report = check_json(capsys, tmp_path)
    assert code == 1
    assert (sha_tree(conf), sha_tree(papers_dir)) == before  # check is read-only
    assert report["problems"] == []
    assert set(report) >= {"papers", "errors", "warnings"}
    assert report["version"] == 2 and report["notes"] == 0
    by_id = {p["id"]: p for p in report["papers"]}
    assert list(by_id) == list(EXPECTED)
    for ident, codes in EXPECTED.items():
        entry = by_id[ident]
        assert set(entry) == {"id", "pdf", "pages", "content_pages", "content_ends_at", "page_limit", "problems"}  # version 2
        assert entry["page_limit"] == {"pages": 4, "extra_camera_ready_pages": 0, "acknowledgments_count": True, "over_limit": "error", "from": "workshop"}
        assert entry["pdf"] == f"{ident}.pdf"
        assert {p["code"] for p in entry["problems"]} == codes, (ident, entry["problems"])
        for problem in entry["problems"]:
            assert set(problem) == {"level", "code", "message"} and problem["level"] in ("error", "warning") and problem["message"]
    assert by_id["good"]["pages"] == 5 and by_id["over-limit"]["pages"] == 8 and by_id["wrong-title"]["pages"] == 3
    assert 3 < by_id["good"]["content_pages"] < 4 and 6 < by_id["over-limit"]["content_pages"] < 7
    for ident in ("missing", "empty", "html", "truncated", "garbage", "random", "encrypted", "outside"):
        assert by_id[ident]["pages"] is None and by_id[ident]["content_pages"] is None
        assert [p["level"] for p in by_id[ident]["problems"]] == ["error"]
    assert [p["level"] for p in by_id["wrong-title"]["problems"]] == ["error"]
    over = by_id["over-limit"]["problems"][0]
    assert over["level"] == "error" and re.search(r"^6\.\d+ pages of content, the limit is 4 \('References' begins on page 7; 8 pages in all\)$", over["message"])
    assert "HTML" in by_id["html"]["problems"][0]["message"]
    assert "0 bytes" in by_id["empty"]["problems"][0]["message"]
    assert "symbolic link" in by_id["outside"]["problems"][0]["message"]
    all_problems = [p for e in report["papers"] for p in e["problems"]] + report.get("problems", [])
    assert report["errors"] == sum(p["level"] == "error" for p in all_problems) == 10
    assert report["warnings"] == sum(p["level"] == "warning" for p in all_problems) == 0


def test_one_paper_and_text_table(tmp_path, capsys):
    bad_workshop(tmp_path)
    code, report = check_json(capsys, tmp_path, "--paper", "good")
    assert code == 0 and [p["id"] for p in report["papers"]] == ["good"] and report["errors"] == 0
    code, report = check_json(capsys, tmp_path, "--paper", "encrypted")
    assert code == 1 and report["errors"] == 1 and [p["id"] for p in report["papers"]] == ["encrypted"]
    code, report = check_json(capsys, tmp_path, "--paper", "nope")
    assert code == 1 and report["papers"] == [] and "'nope'" in report["problems"][0]["message"]

    code = cli_main(["check", "--conf", str(tmp_path / "conf"), "--papers", str(tmp_path / "papers"), "--cache", str(tmp_path / "cache")])
    out = capsys.readouterr().out
    assert code == 1
    lines = out.splitlines()
    assert lines[0].split() == ["paper", "pdf", "pages", "content", "status"]
    assert any(re.fullmatch(r"good good\.pdf 5 3\.\d\d ready", " ".join(line.split())) for line in lines)
    assert any(line.split()[:5] == ["empty", "empty.pdf", "-", "-", "error"] for line in lines)
    assert "the file is empty (0 bytes) [pdf-empty]" in out
    assert "1 of 11 paper(s) ready; 10 error(s), 0 warning(s)" in out


def test_cross_paper_problems_are_reported_and_papers_still_checked(tmp_path, capsys):
    bad_workshop(tmp_path, schedule=[{"start": "09:00", "end": "09:10", "paper": "no-such-paper"}])
    data = yaml.safe_load((tmp_path / "conf" / "papers.yaml").read_text())
    twin = dict(data["papers"][0], title="Another Entry")
    data["papers"].append(twin)  # duplicate id "good"
    data["papers"].append(dict(data["papers"][0], id="variant", authors=[author("E. Dubois")]))
    (tmp_path / "conf" / "papers.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    code, report = check_json(capsys, tmp_path)
    assert code == 1
    general = {p["code"]: p for p in report["problems"]}
    assert "duplicate-id" in general and "'good'" in general["duplicate-id"]["message"] and "papers.yaml:" in general["duplicate-id"]["message"]
    assert "schedule-unknown-id" in general and "'no-such-paper'" in general["schedule-unknown-id"]["message"]
    assert general["name-variant"]["level"] == "warning" and "Élodie Dubois" in general["name-variant"]["message"]
    assert len(report["papers"]) == 13  # the PDFs are still checked
    code, report = check_json(capsys, tmp_path, "--paper", "good")
    assert code == 1 and len(report["papers"]) == 2  # both entries with that id
    assert [p["code"] for p in report["problems"]] == ["duplicate-id", "name-variant"]  # only what concerns this paper


def test_invalid_metadata_and_pdf_path_leaving_papers_dir(tmp_path, capsys):
    bad_workshop(tmp_path)
    data = yaml.safe_load((tmp_path / "conf" / "papers.yaml").read_text())
    data["papers"][0]["pdf"] = "../elsewhere/secret.pdf"
    (tmp_path / "conf" / "papers.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    code, report = check_json(capsys, tmp_path)
    assert code == 1 and report["papers"] == [] and report["errors"] == 1
    [problem] = report["problems"]
    assert problem["code"] == "conf-invalid" and "papers[0].pdf (id 'good')" in problem["message"] and "inside the papers directory" in problem["message"]


def test_build_survives_bad_pdfs_and_changes_nothing(tmp_path, capsys):
    conf, papers_dir = bad_workshop(tmp_path)
    before = sha_tree(conf), sha_tree(papers_dir)
    assert run_build(tmp_path) == 0
    err = capsys.readouterr().err
    site = tmp_path / "site"
    for ident, codes in EXPECTED.items():
        for code in codes:
            assert f"paper {ident!r}" in err and f"[{code}]" in err, (ident, code)
    published = sorted(p.name for p in (site / "papers").glob("*.pdf"))
    assert published == ["good.pdf", "over-limit.pdf"]  # over the limit is published; another paper's file is not
    for ident in ("missing", "empty", "html", "truncated", "garbage", "random", "encrypted", "outside", "wrong-title"):
        page = visible((site / "papers" / f"{ident}.html").read_text(encoding="utf-8"))
        assert "Camera-ready not yet available" in page, ident
        assert f"{ident}.pdf" not in " ".join(links((site / "papers" / f"{ident}.html").read_text())), ident
    assert "encrypted" in visible((site / "papers" / "encrypted.html").read_text()).split("could not be published")[1]
    assert "0 bytes" in visible((site / "papers" / "empty.html").read_text())
    assert "neither the title" in visible((site / "papers" / "wrong-title.html").read_text()).split("could not be published")[1]
    assert "PDF (5 pages)" in (site / "papers" / "good.html").read_text()
    index = visible((site / "papers" / "index.html").read_text())
    assert index.count("Camera-ready pending") == 9
    assert (sha_tree(conf), sha_tree(papers_dir)) == before

    site_before = sha_tree(site)
    assert run_build(tmp_path, "--strict") == 1
    assert "--strict" in capsys.readouterr().err
    assert sha_tree(site) == site_before
    assert (sha_tree(conf), sha_tree(papers_dir)) == before


def test_strict_build_passes_when_every_pdf_is_good(tmp_path):
    papers = [paper("one", pages=3)]
    papers[0].references_page = 3
    write_workshop(tmp_path, papers)
    assert run_build(tmp_path, "--strict") == 0


def test_unused_and_identical_pdfs_are_warned_about(tmp_path, capsys):
    conf, papers_dir = bad_workshop(tmp_path)
    (papers_dir / "good-final.pdf").write_bytes((papers_dir / "good.pdf").read_bytes())
    (papers_dir / "wrong-title.pdf").write_bytes((papers_dir / "good.pdf").read_bytes())
    code, report = check_json(capsys, tmp_path)
    general = {p["code"]: p["message"] for p in report["problems"]}
    assert general["pdf-unused"] == "good-final.pdf in the papers directory belongs to no paper (misnamed?)"
    assert "'good', 'wrong-title'" in general["pdf-same-content"]


def test_pdf_facts_are_read_once_per_content(tmp_path, monkeypatch, capsys):
    conf, papers_dir = bad_workshop(tmp_path)
    (papers_dir / "copy.pdf").write_bytes((papers_dir / "good.pdf").read_bytes())
    data = yaml.safe_load((conf / "papers.yaml").read_text())
    data["papers"].append(dict(data["papers"][0], id="copy"))
    (conf / "papers.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    calls = PdfReads(monkeypatch, tmp_path / "reads.log")
    cache = tmp_path / "shared-cache"
    run_check(conf, papers_dir, cache, quiet=True)
    assert len(calls()) == 9 and calls().count("good.pdf") + calls().count("copy.pdf") == 1  # same bytes, read once
    calls.clear()
    report = run_check(conf, papers_dir, cache, quiet=True)
    assert calls() == [] and report.count("error") == 10  # second run: everything from the cache, same answers
    assert run_build(tmp_path, "--cache", str(cache)) == 0  # build shares check's cache
    assert calls() == []
    make_pdf(papers_dir / "wrong-title.pdf", "Sparse Attention for Tiny Phones", ["Élodie Dubois", "Kwame Okafor"], pages=2)
    report = run_check(conf, papers_dir, cache, "wrong-title", quiet=True)
    assert calls() == ["wrong-title.pdf"] and report.papers[0].problems == []


def test_progress_is_shown_for_long_runs(tmp_path, capsys):
    papers = [paper(f"p{i:02d}", pages=1) for i in range(12)]
    conf, papers_dir = write_workshop(tmp_path, papers)
    seen: list[tuple[int, int]] = []
    from enlsp_proceedings.model.load import load_proceedings

    proc = load_proceedings(conf)
    extract_all(proc.papers, papers_dir, tmp_path / "cache", progress=lambda d, t: seen.append((d, t)), jobs=2)
    assert seen == [(i, 12) for i in range(1, 13)]
    for done, total in seen:
        print_progress(done, total)
    err = capsys.readouterr().err
    assert "reading PDFs... [100%] 12/12" in err
    seen.clear()
    extract_all(proc.papers, papers_dir, tmp_path / "cache", progress=lambda d, t: seen.append((d, t)), jobs=2)
    assert seen == []  # nothing left to read


@pytest.mark.parametrize("heading", ["References", "7 References", "7. References", "REFERENCES", "VI. REFERENCES",
                                     "Bibliography", "R EFERENCES", "References:"])
def test_references_heading_variants(tmp_path, heading):
    pages = [body() for _ in range(6)]
    pages[4] = body(20) + f"\n{heading}\n[1] A. Author. A paper. 2020."
    pages[5] = "A Appendix\n" + body(30)  # after the references: not counted
    text_pdf(tmp_path / "p.pdf", pages)
    facts = read.read_pdf(tmp_path / "p.pdf")
    assert facts.references_page == 5 and 4.2 < facts.body_pages < 5  # 21 lines down page 5


def test_references_at_top_of_page_and_appendix_before_references(tmp_path):
    pages = [body() for _ in range(7)]
    pages[4] = "References\n[1] A. Author. A paper. 2020.\n[2] B. Author. Another. 2021."
    text_pdf(tmp_path / "top.pdf", pages)
    assert read.read_pdf(tmp_path / "top.pdf").body_pages == 4.0
    pages[4] = "Appendix A: Proofs\n" + body(20)
    pages[5] = body(5) + "\nReferences\n[1] A. Author. A paper. 2020."
    text_pdf(tmp_path / "app.pdf", pages)
    facts = read.read_pdf(tmp_path / "app.pdf")
    assert facts.references_page == 5 and facts.end_heading == "Appendix A: Proofs" and facts.body_pages == 4.0


def test_no_false_headings():
    texts = [body() + "\nThe references in Section 2 are cited.\nsee Appendix A for details.\n", body()]
    assert find_body_end(texts) == (None, 2)
    assert find_body_end(["x\nWe list references below and more text follows here"]) == (None, 1)
    assert find_body_end([body(), body(), "References [1] A. Author. A paper. 2020."]) == (3, 2)
    assert find_body_end([body(), body(5) + "\nAPPENDIX A\n" + body(), body(), "References\n[1] A. B. 2020."]) == (4, 2)


@pytest.mark.parametrize("name, page", [
    ("Jürgen Müller", "JURGEN MULLER"),
    ("Jurgen Muller", "Jürgen Müller1,2"),
    ("Mehdi Rezagholizadeh", "Mehdi Rezagholi-\nzadeh"),
    ("Nguyễn Văn An", "Nguyễn\nVăn An∗"),
    ("Wei Zhang", "Zhang Wei"),
    ("Jean-Pierre Dubois", "Jean-\nPierre Dubois"),
    ("Alice E Schoenauer-Sebag", "Alice Schoenauer Sebag"),
    ("Monica N Agrawal", "Monica Agrawal∗"),
    ("Harjeet S Kajal", "Harjeet Singh Kajal"),
    ("Vahid Partovi Nia", "Vahid Partovinia"),
    ("Yike Guo", "Yi-Ke Guo"),
    ("Swaroop Ranjan Mishra", "Swaroop Mishra"),  # a middle name left out, like a middle initial: the same person
])
def test_author_names_are_matched_tolerantly(name, page):
    from enlsp_proceedings.model.schema import Person
    from enlsp_proceedings.pdf.check import _dehyphenate, _find_author

    assert _find_author(Person(name=name), _dehyphenate(page).splitlines()) == ("found", None)


@pytest.mark.parametrize("name, page, printed", [
    ("Andrew Rock", "Andy Rock, Omar Khalil", "Andy Rock"),
    ("Jürgen Müller", "J. Müller and B. Smith", "J. Müller"),  # initials alone are not a match
    ("Ahmad Emami", "Ahmad Emani\nSean Moran", "Ahmad Emani"),
    ("Dennis Núñez-Fernández", "Niama El Khbir 2 , Dennis Núñez 2 , Pierre Holat", "Dennis Núñez"),
])
def test_author_name_variants_are_told_apart(name, page, printed):
    from enlsp_proceedings.model.schema import Person
    from enlsp_proceedings.pdf.check import _find_author

    assert _find_author(Person(name=name), page.splitlines()) == ("variant", printed)


@pytest.mark.parametrize("name, page", [
    ("Alice Chen", "Bob Smith\nUniversity of Somewhere"),
    ("Alice Chen", "Chen\nBob Smith"),  # a surname alone
    ("Li Na", "Carolina Smith"),
])
def test_author_names_that_are_not_there(name, page):
    from enlsp_proceedings.model.schema import Person
    from enlsp_proceedings.pdf.check import _find_author

    assert _find_author(Person(name=name), page.splitlines()) == ("missing", None)


def test_title_mismatch_is_a_warning_and_a_missing_author_an_error(tmp_path):
    from enlsp_proceedings.model.schema import Paper
    from enlsp_proceedings.pdf.facts import PaperPdf, PdfFacts

    entry = PaperPdf("x", "x.pdf", tmp_path / "x.pdf", PdfFacts("0", 1, pages=1, content_pages=1,
                     first_page_text="Quantizing Distil-\nHuBERT for SPEECH\nAna Silva, Bo Park"))
    good = Paper(id="x", title="Quantizing DistilHuBERT for Speech", authors=[{"name": "Ana Silva"}, {"name": "Bo Park"}], abstract="a", presentation="oral")
    assert paper_problems(good, entry, 4) == []
    bad = Paper(id="x", title="Pruning BERT", authors=[{"name": "Ana Silva"}, {"name": "Chen Wu"}], abstract="a", presentation="oral")
    problems = paper_problems(bad, entry, 4)
    assert [(p.level, p.code) for p in problems] == [("warning", "pdf-title-mismatch"), ("error", "pdf-author-missing")]
    assert problems[1].message == "page 1 does not list Chen Wu, an author in conf/papers.yaml"


def latex_pdf(tmp_path: Path, clearpage: bool) -> Path:
    """A real LaTeX paper: body, bibliography (References heading), then an appendix."""
    rng = random.Random(3)
    words = "efficient model inference training memory latency throughput accuracy benchmark dataset".split()

    def paragraph() -> str:
        return " ".join(rng.choice(words) for _ in range(120)) + ".\n\n"

    body_text = "".join(f"\\section{{Part {i}}}\n" + paragraph() * 4 for i in range(6))
    source = (
        "\\documentclass{article}\n\\usepackage[T1]{fontenc}\n\\usepackage{lmodern}\n"
        "\\title{Quantizing Distil\\-HuBERT for M\\\"uller's Speech}\n"
        "\\author{J\\\"urgen M\\\"uller \\and Nguy\\~{e}n V\\u{a}n An}\n\\begin{document}\n\\maketitle\n"
        + body_text + ("\\clearpage\n" if clearpage else "")
        + "\\begin{thebibliography}{9}\n\\bibitem{a} A. Author. A paper. 2020.\n\\end{thebibliography}\n"
        + "\\appendix\n\\section{Proofs}\n" + paragraph() * 14 + "\\end{document}\n"
    )
    (tmp_path / "paper.tex").write_text(source)
    subprocess.run(["pdflatex", "-interaction=batchmode", "-halt-on-error", "paper.tex"], cwd=tmp_path, check=True,
                   capture_output=True, timeout=120)
    return tmp_path / "paper.pdf"


@pytest.mark.latex
@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="needs pdflatex")
@pytest.mark.parametrize("clearpage", [False, True])
def test_real_latex_paper(tmp_path, clearpage):
    from enlsp_proceedings.model.schema import Paper
    from enlsp_proceedings.pdf.facts import PaperPdf

    facts = read.read_pdf(latex_pdf(tmp_path, clearpage))
    assert facts.references_page is not None and facts.pages > facts.references_page + 1  # the appendix follows
    if clearpage:
        assert facts.body_pages == facts.references_page - 1
    else:
        assert facts.references_page - 1 < facts.body_pages < facts.references_page
    paper_ = Paper(id="x", title="Quantizing DistilHuBERT for Müller's Speech", abstract="a", presentation="oral",
                   authors=[{"name": "Jürgen Müller"}, {"name": "Nguyễn Văn An"}])
    entry = PaperPdf("x", "x.pdf", None, facts)
    assert paper_problems(paper_, entry, math.ceil(facts.body_pages)) == []
    [over] = paper_problems(paper_, entry, math.ceil(facts.body_pages) - 1)
    assert over.code == "pdf-over-limit"


def test_first_page_checks_are_remembered_per_pdf_title_and_authors(tmp_path, monkeypatch):
    from enlsp_proceedings.model.load import load_proceedings
    from enlsp_proceedings.pdf import check

    papers = [SynthPaper(f"p{i}", f"Efficient Paper Number {i}", [{"name": "Ada Lovelace"}, {"name": "Alan Turing"}], "An abstract.", pages=3, references_page=3)
              for i in range(3)]
    write_workshop(tmp_path, papers)
    proc = load_proceedings(tmp_path / "conf")
    pdfs = extract_all(proc.papers, tmp_path / "papers", tmp_path / "cache")
    direct = {p.id: paper_problems(p, pdfs[p.id], 4) for p in proc.papers}
    memo = check.FirstPageMemo(tmp_path / "cache")
    assert {p.id: paper_problems(p, pdfs[p.id], 4, memo=memo) for p in proc.papers} == direct
    memo.save()
    calls = []
    real = check.first_page_problems
    monkeypatch.setattr(check, "first_page_problems", lambda paper, facts: calls.append(paper.id) or real(paper, facts))
    again = check.FirstPageMemo(tmp_path / "cache")
    assert {p.id: paper_problems(p, pdfs[p.id], 4, memo=again) for p in proc.papers} == direct
    assert calls == []
    retitled = proc.papers[1].model_copy(update={"title": "A Title Not On The Page"})
    found = paper_problems(retitled, pdfs[retitled.id], 4, memo=again)
    assert calls == [retitled.id] and "pdf-title-mismatch" in {p.code for p in found}


def test_names_declared_distinct_are_no_longer_asked_about(tmp_path):
    """'Yang Liu' and 'Yang You' look like one name spelled two ways; people.yaml can say they are two people."""
    papers = [SynthPaper("a", "Alpha", [{"name": "Yang Liu"}], "A.", pages=None), SynthPaper("b", "Beta", [{"name": "Yang You"}], "B.", pages=None)]
    conf, papers_dir = write_workshop(tmp_path, papers)
    report = run_check(conf, papers_dir, tmp_path / "cache")
    assert [p.code for p in report.general] == ["name-variant"]
    (conf / "people.yaml").write_text("distinct:\n  - [Yang Liu, Yang You]\n")
    report = run_check(conf, papers_dir, tmp_path / "cache")  # the same cache: the remembered pairs are filtered too
    assert [p.code for p in report.general] == []


def test_check_and_build_judge_the_papers_through_one_pipeline(tmp_path, monkeypatch):
    """`check` prints and `build` settles the same problems, through one pipeline: each paper's
    (`judge_papers`) and those across papers (`across_papers`: here a file no paper names, markup
    a title cannot show, a likely name variant, a family name assumed, two talks at once); only a
    missing PDF's level differs (an error for `check`, pending for `build`)."""
    import shutil

    import yaml

    from enlsp_proceedings.model.codes import Level
    from enlsp_proceedings.model.load import load_proceedings
    from enlsp_proceedings.pdf import check as check_module
    from enlsp_proceedings.pdf.check import FirstPageMemo, check_papers
    from enlsp_proceedings.pdf.extract import extract_all
    from enlsp_proceedings.publish import pipeline
    from synthetic import small_workshop

    conf, papers_dir = small_workshop(tmp_path)
    shutil.copy(papers_dir / "alpha.pdf", papers_dir / "alpha-v2.pdf")  # misnamed: belongs to no paper
    data = yaml.safe_load((conf / "papers.yaml").read_text(encoding="utf-8"))
    data["papers"][1]["title"] = r"Sparse Attention on \emph{Phones"  # an opening brace never closed
    data["papers"][2]["authors"] = [{"name": "Wei Zhang"}, {"name": "Priya Ramann"}, {"name": "Ana Maria Lopez Garcia"}]
    (conf / "papers.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    schedule = yaml.safe_load((conf / "schedule.yaml").read_text(encoding="utf-8"))
    schedule["schedule"].append({"start": "09:55", "end": "10:00", "paper": "beta"})  # during alpha's talk
    (conf / "schedule.yaml").write_text(yaml.safe_dump(schedule, allow_unicode=True), encoding="utf-8")
    proc = load_proceedings(conf)
    calls: list[tuple[str, object]] = []
    judge, across = check_module.judge_papers, check_module.across_papers
    monkeypatch.setattr(check_module, "judge_papers", lambda *a, **k: calls.append(("judge", k["missing_level"])) or judge(*a, **k))
    monkeypatch.setattr(check_module, "across_papers", lambda *a, **k: calls.append(("across", None)) or across(*a, **k))
    monkeypatch.setattr(pipeline, "judge_papers", check_module.judge_papers)
    monkeypatch.setattr(pipeline, "across_papers", check_module.across_papers)
    checked = check_papers(proc, papers_dir, tmp_path / "cache", quiet=True, conf_dir=conf)
    pdfs = extract_all(proc.papers, papers_dir, tmp_path / "cache")
    volume = pipeline.Volume(proc, {pid: pipeline.PdfStatus.from_paper_pdf(e) for pid, e in pdfs.items()})
    report = pipeline.BuildReport(volume, pdfs)
    names = check_module.name_findings(volume.people, tmp_path / "cache")
    pipeline.settle_problems(proc, volume, pdfs, report, FirstPageMemo(tmp_path / "cache"), papers_dir, names, conf)
    assert calls == [("judge", Level.ERROR), ("across", None), ("judge", Level.WARNING), ("across", None)]
    # what the build warns of is what check reports, the pending paper's missing PDF a warning there
    by_check = [(p.code, p.message) for r in checked.papers for p in r.problems if p.level != Level.NOTE]
    by_check += [(p.code, p.message) for p in checked.general if p.level != Level.NOTE]
    assert [w.code for w in report.warnings] == [code for code, _message in by_check]
    assert all(message in w.text for w, (_code, message) in zip(report.warnings, by_check, strict=True))
    assert {"pdf-unused", "text-markup", "name-variant", "name-family-assumed", "schedule-talks-overlap"} <= {w.code for w in report.warnings}
    variant = next(w for w in report.warnings if w.code == "name-variant")
    assert "'Priya Raman'" in variant.text and "'Priya Ramann'" in variant.text and str(conf / "people.yaml") in variant.text
    assert [(p.code, p.level) for r in checked.papers for p in r.problems if p.code == "pdf-missing"] == [("pdf-missing", Level.ERROR)]
    assert [(w.code, w.level) for w in report.warnings if w.code == "pdf-missing"] == [("pdf-missing", Level.WARNING)]


def test_an_editions_name_findings_are_remembered_by_the_hash_of_its_files(tmp_path):
    """A series build does not make an unchanged edition's people index again for the rules
    across papers: what it found is remembered in the cache under the edition's digest, read
    once and saved once for all the editions."""
    from enlsp_proceedings.model.load import load_proceedings
    from enlsp_proceedings.model.people import PeopleIndex
    from enlsp_proceedings.pdf.check import NameFindingsMemo, name_findings
    from synthetic import small_workshop

    conf, _papers = small_workshop(tmp_path)
    papers_file = conf / "papers.yaml"  # a name of three words and a likely variant, to remember
    papers_file.write_text(papers_file.read_text(encoding="utf-8").replace("Wei Zhang", "Ana Maria Lopez"), encoding="utf-8")
    people_file = conf / "people.yaml"
    people_file.write_text(people_file.read_text(encoding="utf-8").replace("Tara Reviewer", "Priya Ramann"), encoding="utf-8")
    proc = load_proceedings(conf)
    made = []

    def people() -> PeopleIndex:
        made.append(1)
        return PeopleIndex(proc)

    cache = tmp_path / "cache"
    memo = NameFindingsMemo(cache)
    first = memo.findings("digest-a", people)
    assert first == name_findings(PeopleIndex(proc), cache) and len(made) == 1
    assert [name for name, _family, _files in first.assumed] == ["Ana Maria Lopez"] and len(first.variants) == 1
    memo.save()
    again = NameFindingsMemo(cache)
    assert again.findings("digest-a", people) == first and len(made) == 1  # remembered
    assert again.findings("digest-b", people) == first and len(made) == 2  # other files: made again
    assert again.findings(None, people) == first and len(made) == 3  # no digest: never remembered
    again.save()
    assert set(NameFindingsMemo(cache).known) == {"digest-a", "digest-b"}  # the editions of the last build
    (cache / "name-findings.json").write_text('{"digest-a": {"assumed": 7}}', encoding="utf-8")
    assert NameFindingsMemo(cache).findings("digest-a", people) == first and len(made) == 4  # unreadable: made again
