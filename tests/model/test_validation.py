"""Links, ids and PDF paths are restricted; bad input gets a clear message, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from conftest import REPO
from enlsp_proceedings.model.load import ConfError, load_proceedings
from enlsp_proceedings.model.schema import Links, Paper, Person
from enlsp_proceedings.pdf.extract import extract_all
from synthetic import make_pdf, random_papers, workshop_yaml, write_workshop

BAD_URLS = [
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    "JAVASCRIPT:alert(1)",
    " javascript:alert(1)",
    "\tjavascript:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "javascript://example.org/%0aalert(1)",
    "vbscript:msgbox(1)",
    "data:text/html,<script>alert(1)</script>",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "file:///etc/passwd",
    "ftp://example.org/x",
    "//evil.example/x",
    "/relative/path",
    "example.org",
    "https://",
    "http:///nohost",
    "https:evil.example",
    "https:\\\\evil.example",
    'https://example.org/"onmouseover="alert(1)',
    "https://example.org/<script>",
    "https://exa mple.org/",
    "https://example.org/\u0000",
    "https://example.org/\u0085x",
    "ｊavascript:alert(1)",
    "",
]
GOOD_URLS = [
    "https://example.org/",
    "http://example.org",
    "HTTPS://EXAMPLE.ORG/Path?q=1&r=2#frag",
    "https://arxiv.org/abs/2211.07715",
    "https://de.wikipedia.org/wiki/Müller",
    "https://example.org/a%20b",
]


@pytest.mark.parametrize("url", BAD_URLS)
def test_links_accept_only_http_urls(url):
    for make in (lambda: Links(code=url), lambda: Person(name="A", url=url)):
        with pytest.raises(ValidationError, match="http:// or https:// URL"):
            make()


@pytest.mark.parametrize("url", GOOD_URLS)
def test_ordinary_http_urls_pass(url):
    assert Links(code=url).code == url


@pytest.mark.parametrize("orcid, ok", [
    ("0000-0002-1825-0097", True),
    ("https://orcid.org/0000-0002-1825-0097", True),
    ("http://www.orcid.org/0000-0001-5109-3700", True),
    ("0000-0002-1694-233X", True),
    ("0000-0002-1825-0098", False),  # wrong check digit
    ("٠٠٠٠-٠٠٠٢-١٨٢٥-٠٠٩٧", False),  # Arabic-Indic digits are not ORCID digits
    ("javascript:alert(1)", False),
    ("https://evil.example/0000-0002-1825-0097", False),
    ("0000-0002-1825-0097\n<script>", False),
    ("0000000218250097", False),
])
def test_orcid_ids(orcid, ok):
    if ok:
        assert Person(name="A", orcid=orcid).orcid == orcid.rsplit("/", 1)[-1]
    else:
        with pytest.raises(ValidationError, match="ORCID"):
            Person(name="A", orcid=orcid)


def _paper(**overrides) -> dict:
    return {"id": "ok", "title": "T", "authors": [{"name": "A"}], "abstract": "X", "presentation": "oral", **overrides}


@pytest.mark.parametrize("ident", ["index", "INDEX", "../x", "a/b", "a.b", "-rf", "_hidden", "a b", "é", "a\tb", "x" * 101, ""])
def test_ids_are_restricted(ident):
    with pytest.raises(ValidationError):
        Paper.model_validate(_paper(id=ident))


@pytest.mark.parametrize("pdf", ["/etc/passwd.pdf", "../x.pdf", "a/../../x.pdf", "..\\x.pdf", "C:/x.pdf", "\\\\host\\x.pdf", "x.pdf\u0000", "x.txt"])
def test_pdf_path_stays_inside_papers_dir(pdf):
    with pytest.raises(ValidationError):
        Paper.model_validate(_paper(pdf=pdf))


def test_pdf_symlink_leaving_papers_dir_is_refused(tmp_path):
    """Validation cannot see symlinks: extraction resolves them and refuses the way out."""
    outside = tmp_path / "secret"
    make_pdf(outside / "secret.pdf", "Secret", ["Nobody"], 1)
    papers = random_papers(2)
    conf, papers_dir = write_workshop(tmp_path / "ws", papers, make_pdfs=False)
    os.symlink(outside / "secret.pdf", papers_dir / f"{papers[0].id}.pdf")
    os.symlink(outside, papers_dir / "sub")
    data = yaml.safe_load((conf / "papers.yaml").read_text())
    data["papers"][1]["pdf"] = "sub/secret.pdf"
    (conf / "papers.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    proc = load_proceedings(conf)
    result = extract_all(proc.papers, papers_dir, tmp_path / "cache")
    for paper in papers:
        entry = result[paper.id]
        assert not entry.publishable and entry.path is None
        assert [p.code for p in entry.problems] == ["pdf-outside"]
    # ... and a symlink that stays inside is fine.
    make_pdf(papers_dir / "real.pdf", "Real", ["A"], 2)
    os.unlink(papers_dir / f"{papers[0].id}.pdf")
    os.symlink("real.pdf", papers_dir / f"{papers[0].id}.pdf")
    assert extract_all(proc.papers[:1], papers_dir, tmp_path / "cache")[papers[0].id].publishable


def test_bad_links_name_file_line_paper_and_field(tmp_path):
    papers = random_papers(3)
    papers[0].extra = {"links": {"code": "JavaScript:alert(1)"}}
    papers[1].authors[0]["url"] = "//evil.example"
    papers[2].authors[0]["orcid"] = "data:text/html,x"
    conf, _ = write_workshop(tmp_path, papers, make_pdfs=False)
    with pytest.raises(ConfError) as info:
        load_proceedings(conf)
    text = "\n".join(str(p) for p in info.value.problems)
    lines = (conf / "papers.yaml").read_text().splitlines()
    for field, bad in [("papers[0].links.code (id 'paper-0000')", "JavaScript:"), ("papers[1].authors[0].url (id 'paper-0001')", "//evil"),
                       ("papers[2].authors[0].orcid (id 'paper-0002')", "data:")]:
        problem = next(p for p in info.value.problems if p.field == field)
        assert problem.file.endswith("papers.yaml") and bad in lines[problem.line - 1], (problem, text)


def test_ids_differing_only_in_case_collide(tmp_path):
    papers = random_papers(2)
    papers[0].id, papers[1].id = "Fast", "fast"
    conf, _ = write_workshop(tmp_path, papers, make_pdfs=False)
    with pytest.raises(ConfError, match="duplicate id 'fast' \\(same as 'Fast' up to case\\)"):
        load_proceedings(conf)


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "enlsp_proceedings", *args], capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PYTHONPATH": str(REPO / "src")})


def _build(root: Path) -> subprocess.CompletedProcess:
    return cli("build", "--conf", str(root / "conf"), "--papers", str(root / "papers"), "--out", str(root / "site"), "--docs", str(root / "docs"), "-q", "-j", "1")


BROKEN = {
    "empty workshop.yaml": ("workshop.yaml", "", ["workshop.yaml: is empty"]),
    "empty papers.yaml": ("papers.yaml", "# nothing yet\n", ["papers.yaml: is empty"]),
    "deep nesting": ("papers.yaml", "papers: " + "[" * 3000 + "]" * 3000 + "\n", ["papers.yaml: is nested too deeply"]),
    "tab indentation": ("papers.yaml", "papers:\n\t- id: x\n", ["papers.yaml:2: is not valid YAML"]),
    "unclosed quote": ("workshop.yaml", 'short_name: "X\ntitle: Y\n', ["workshop.yaml:", "is not valid YAML"]),
    "not UTF-8": ("papers.yaml", b"papers:\n  - id: caf\xe9\n", ["papers.yaml: is not UTF-8 text"]),
    "a list, not a mapping": ("papers.yaml", "- id: x\n", ["papers.yaml:1: must be a mapping"]),
    "duplicate key": ("workshop.yaml", None, ["workshop.yaml:3: title: duplicate key"]),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_broken_files_say_where_without_traceback(tmp_path, case):
    name, content, expected = BROKEN[case]
    conf, _ = write_workshop(tmp_path, random_papers(1), make_pdfs=False)
    if content is None:
        content = "title: Again\n" + (conf / name).read_text()
    if isinstance(content, bytes):
        (conf / name).write_bytes(content)
    else:
        (conf / name).write_text(content, encoding="utf-8")
    result = _build(tmp_path)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    for text in expected:
        assert text in result.stderr, (text, result.stderr)
    assert "nothing was built" in result.stderr
    assert not (tmp_path / "site").exists()


def test_every_problem_at_once_with_control_characters(tmp_path):
    """C0 control characters are rejected (no output can show them), each with its field; all at once."""
    papers = random_papers(3)
    papers[0].title = "Bad\x00title"
    papers[1].authors[0]["name"] = "Bell\x07Name"
    papers[2].abstract = "Escape \x1b[31m red \x9b31m"
    papers[2].extra = {"links": {"video": "data:video/mp4,x"}}
    conf, _ = write_workshop(tmp_path, papers, make_pdfs=False,
                             workshop={**workshop_yaml(), "venue": "V\x0bV", "timezone": "Mars/Olympus"})
    result = _build(tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    err = result.stderr
    assert "papers[0].title (id 'paper-0000'): contains control characters (U+0000 at character 4)" in err
    assert "papers[1].authors[0].name (id 'paper-0001'): contains control characters" in err
    assert "papers[2].abstract (id 'paper-0002'): contains control characters" in err
    assert "papers[2].links.video (id 'paper-0002'): must be an absolute http:// or https:// URL" in err
    assert "workshop.yaml:" in err and "venue: contains control characters" in err
    assert "timezone: unknown IANA time zone 'Mars/Olympus'" in err
    assert "6 problem(s) in the metadata" in err
    for line in err.splitlines()[:-1]:  # every problem names its file and line
        assert line.startswith("error: ") and ".yaml:" in line and line.split(".yaml:")[1].split(":")[0].isdigit(), line


def test_check_command_reports_bad_metadata_without_traceback(tmp_path):
    conf, papers = write_workshop(tmp_path, random_papers(1), make_pdfs=False)
    (conf / "papers.yaml").write_text("papers: [unclosed\n")
    result = cli("check", "--conf", str(conf), "--papers", str(papers), "--cache", str(tmp_path / "cache"))
    assert result.returncode != 0 and "Traceback" not in result.stderr + result.stdout
    assert "papers.yaml:" in result.stderr + result.stdout


def test_person_named_index_does_not_replace_the_author_index():
    from enlsp_proceedings.model.people import PeopleIndex
    from enlsp_proceedings.model.schema import Proceedings

    proc = Proceedings.model_validate({"workshop": workshop_yaml(), "papers": [_paper(authors=[{"name": "Index"}, {"name": "Long " + "x" * 400}])]})
    people = PeopleIndex(proc)
    assert "index" not in people.by_slug and people.slug("Index") == "index-2"
    assert all(len(slug) <= 80 for slug in people.by_slug)  # slugs are file names


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\x9b"])
def test_control_characters_are_rejected_with_their_code(char):
    with pytest.raises(ValidationError, match=f"U\\+{ord(char):04X} at character 3"):
        Person(name="ab" + char + "c")
    assert Person(name="a\tb\nc").name == "a\tb\nc"  # tab and newlines are text


@pytest.mark.parametrize("name", ["Anonymous", "anonymous author(s)", "Anonymous Authors"])
def test_anonymous_is_not_a_person(name):
    base = {"id": "p", "title": "T", "abstract": "A", "presentation": "poster"}
    with pytest.raises(ValidationError, match="not a person"):
        Paper.model_validate({**base, "authors": [{"name": name}]})
    assert Paper.model_validate({**base, "authors": []}).authors == []
    with pytest.raises(ValidationError, match="Field required"):
        Paper.model_validate(base)  # an empty list is a decision; a missing key is a typo


@pytest.mark.parametrize(("template", "ok"), [
    ("papers/paper_{review}.pdf", True), ("old/{id}.pdf", True), ("{review}.pdf", True),
    ("papers/paper.pdf", False), ("../{id}.pdf", False), ("/papers/{id}.pdf", False), ("papers/{id}.html", False),
    ("papers/{id}.pdf", False), ("_static/{id}.pdf", False), ("papers/{name}.pdf", False), ("papers/{id.pdf", False),
    ("papers/.{id}.pdf", False), ("papers/{id} x.pdf", False),
])
def test_pdf_aliases_are_safe_site_paths(template, ok):
    from enlsp_proceedings.model.schema import Workshop

    data = {**workshop_yaml(), "pdf_aliases": [template]}
    if ok:
        assert Workshop.model_validate(data).pdf_aliases == [template]
    else:
        with pytest.raises(ValidationError):
            Workshop.model_validate(data)


def test_pdf_aliases_that_collide_are_errors_with_file_and_line(tmp_path):
    root = tmp_path / "ws"
    write_workshop(root, random_papers(3, seed=5))
    papers = yaml.safe_load((root / "conf" / "papers.yaml").read_text())
    for i, paper in enumerate(papers["papers"]):
        paper["review_id"] = "cmt:7" if i < 2 else "cmt:8"
    (root / "conf" / "papers.yaml").write_text(yaml.safe_dump(papers, sort_keys=False))
    workshop = yaml.safe_load((root / "conf" / "workshop.yaml").read_text())
    workshop["pdf_aliases"] = ["papers/paper_{review}.pdf"]
    (root / "conf" / "workshop.yaml").write_text(yaml.safe_dump(workshop, sort_keys=False))
    with pytest.raises(ConfError) as info:
        load_proceedings(root / "conf")
    text = str(info.value)
    assert "papers.yaml" in text and "'papers/paper_7.pdf'" in text and "duplicate-pdf-alias" in repr(info.value.problems)
