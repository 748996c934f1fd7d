"""`collect`: camera-readies and supplementary material from a download folder into papers/, never a
supplement taken for the paper, never a file from outside the folder, no half-copy left behind;
and no two files published at one address."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import pytest
import yaml

from enlsp_proceedings.cli import main as cli_main
from enlsp_proceedings.importers.collect import _papers_lock, kind_of
from enlsp_proceedings.model.load import ConfError, load_proceedings
from enlsp_proceedings.model.schema import Workshop
from enlsp_proceedings.pdf.check import run_check
from enlsp_proceedings.util.files import TEMP_PREFIX
from synthetic import SynthPaper, make_pdf, workshop_yaml, write_workshop


def run(*argv) -> int:
    return cli_main([str(a) for a in argv])


def workshop(root: Path, **overrides) -> tuple[Path, Path]:
    """Three accepted papers with review ids cmt:56, cmt:57, cmt:58 and no PDFs yet."""
    papers = [SynthPaper(f"cmt-{n}", f"Paper {n}", [{"name": f"Author {n}"}], "Abstract.", extra={"review_id": f"cmt:{n}"})
              for n in (56, 57, 58)]
    return write_workshop(root, papers, workshop=workshop_yaml(**overrides), make_pdfs=False)


@pytest.mark.parametrize(("name", "kind"), [
    ("paper_56.pdf", "paper"), ("56/final.pdf", "paper"), ("CameraReady/56/ENLSP_camera_ready.pdf", "paper"),
    ("paper_56_supp.pdf", "supplementary"), ("56-supplementary.pdf", "supplementary"), ("56_Appendix.pdf", "supplementary"),
    ("56/SuppMaterial.pdf", "supplementary"), ("Supplementary/56/anything.pdf", "supplementary"), ("56/code.zip", "supplementary"),
    ("56/poster.pdf", "other"), ("56_slides.pdf", "other"),
    ("56/Supplementing_LLMs.pdf", "paper"),  # a word that merely begins like one is not the word
])
def test_a_downloaded_file_is_the_paper_supplementary_material_or_other(name, kind):
    assert kind_of(Path(name)) == kind


def test_a_supplement_is_never_taken_for_a_missing_paper_and_is_collected_as_supplementary(tmp_path, capsys):
    conf, papers_dir = workshop(tmp_path)
    download = tmp_path / "site-papers"  # as the old website served them: paper_<id>.pdf, paper_<id>_supp.pdf
    make_pdf(download / "paper_56_supp.pdf", "Supplementary material of paper 56", ["Author 56"], pages=2, seed=1)
    make_pdf(download / "paper_57.pdf", "Paper 57", ["Author 57"], pages=2, seed=2)
    make_pdf(download / "paper_57_supp.pdf", "Supplementary material of paper 57", ["Author 57"], pages=1, seed=3)
    assert run("collect", download, "--conf", conf, "--papers", papers_dir) == 0
    printed = capsys.readouterr().out
    assert not (papers_dir / "cmt-56.pdf").exists()
    assert "cmt-56: no camera-ready in" in printed and "only supplementary material: paper_56_supp.pdf" in printed
    assert (papers_dir / "cmt-56-supplementary.pdf").read_bytes() == (download / "paper_56_supp.pdf").read_bytes()
    assert (papers_dir / "cmt-57.pdf").read_bytes() == (download / "paper_57.pdf").read_bytes()
    assert (papers_dir / "cmt-57-supplementary.pdf").read_bytes() == (download / "paper_57_supp.pdf").read_bytes()
    assert "set       supplementary: in" in printed and "cmt-56, cmt-57" in printed
    text = (conf / "papers.yaml").read_text(encoding="utf-8")
    assert "supplementary: cmt-56-supplementary.pdf  # source: collected from paper_56_supp.pdf" in text
    proc = load_proceedings(conf)
    assert {p.id: p.supplementary for p in proc.papers} == {"cmt-56": "cmt-56-supplementary.pdf", "cmt-57": "cmt-57-supplementary.pdf", "cmt-58": None}
    # a second run changes nothing, and the supplements are now the papers' own (check: not "unused")
    before = text
    assert run("collect", download, "--conf", conf, "--papers", papers_dir) == 0
    assert "copied 0 file(s)" in capsys.readouterr().out and (conf / "papers.yaml").read_text(encoding="utf-8") == before
    codes = {p.code for r in run_check(conf, papers_dir, tmp_path / "cache", quiet=True).papers for p in r.problems}
    assert "supplementary-missing" not in codes


def test_dry_run_copies_and_writes_nothing(tmp_path, capsys):
    conf, papers_dir = workshop(tmp_path)
    before = (conf / "papers.yaml").read_bytes()
    make_pdf(tmp_path / "dl" / "paper_57.pdf", "Paper 57", ["Author 57"], pages=1)
    make_pdf(tmp_path / "dl" / "paper_57_supp.pdf", "Supp 57", ["Author 57"], pages=1, seed=2)
    assert run("collect", tmp_path / "dl", "--conf", conf, "--papers", papers_dir, "--dry-run") == 0
    printed = capsys.readouterr().out
    assert "would copy 2 file(s)" in printed and "would set supplementary:" in printed
    assert list(papers_dir.iterdir()) == [] and (conf / "papers.yaml").read_bytes() == before


def test_two_supplements_or_two_papers_are_for_the_organizer_to_choose(tmp_path, capsys):
    conf, papers_dir = workshop(tmp_path)
    make_pdf(tmp_path / "dl" / "57" / "a.pdf", "Paper 57", ["Author 57"], pages=1)
    make_pdf(tmp_path / "dl" / "57" / "b.pdf", "Paper 57 again", ["Author 57"], pages=1, seed=2)
    make_pdf(tmp_path / "dl" / "58" / "final.pdf", "Paper 58", ["Author 58"], pages=1, seed=3)
    make_pdf(tmp_path / "dl" / "58" / "supp-a.pdf", "Supp", ["Author 58"], pages=1, seed=4)
    (tmp_path / "dl" / "58" / "supp-b.zip").write_bytes(b"PK\x05\x06" + b"\0" * 18)
    make_pdf(tmp_path / "dl" / "58" / "poster.pdf", "Poster", ["Author 58"], pages=1, seed=5)
    assert run("collect", tmp_path / "dl", "--conf", conf, "--papers", papers_dir) == 1
    printed = capsys.readouterr().out
    assert "cmt-57: several PDFs (57/a.pdf, 57/b.pdf)" in printed
    assert "cmt-58: several supplementary files (58/supp-a.pdf, 58/supp-b.zip)" in printed
    assert "58/poster.pdf: poster or slides of cmt-58, not collected" in printed
    assert sorted(p.name for p in papers_dir.iterdir()) == ["cmt-58.pdf"]


def test_links_out_of_the_download_folder_are_refused(tmp_path, capsys):
    conf, papers_dir = workshop(tmp_path)
    secret = tmp_path / "outside" / "secret.pdf"
    secret.parent.mkdir()
    secret.write_bytes(b"%PDF-1.4 not for the site")
    secret.chmod(0o600)
    download = tmp_path / "dl"
    (download / "CameraReady" / "57").mkdir(parents=True)
    (download / "CameraReady" / "57" / "final.pdf").symlink_to(secret)
    make_pdf(download / "CameraReady" / "58" / "final.pdf", "Paper 58", ["Author 58"], pages=1)
    (download / "CameraReady" / "56").symlink_to(secret.parent, target_is_directory=True)  # a linked folder
    for dry in ([], ["--dry-run"]):
        assert run("collect", download, "--conf", conf, "--papers", papers_dir, *dry) == 1
        printed = capsys.readouterr().out
        assert "refused   CameraReady/57/final.pdf: a link to a file outside" in printed
        assert "CameraReady/56/ (a linked folder: not entered)" in printed
        assert "CameraReady/57/final.pdf ->" not in printed
    assert sorted(p.name for p in papers_dir.iterdir()) == ["cmt-58.pdf"]


def test_a_link_inside_the_download_folder_and_a_pipe(tmp_path, capsys):
    conf, papers_dir = workshop(tmp_path)
    download = tmp_path / "dl"
    make_pdf(download / "files" / "real.pdf", "Paper 57", ["Author 57"], pages=1)
    (download / "57").mkdir()
    (download / "57" / "final.pdf").symlink_to(download / "files" / "real.pdf")
    os.mkfifo(download / "58.pdf")  # reading it would block forever
    assert run("collect", download, "--conf", conf, "--papers", papers_dir) == 1
    printed = capsys.readouterr().out
    assert (papers_dir / "cmt-57.pdf").read_bytes() == (download / "files" / "real.pdf").read_bytes()
    assert "refused   58.pdf: not a regular file" in printed


def test_a_killed_collect_leaves_nothing_behind_for_long(tmp_path, capsys):
    conf, papers_dir = workshop(tmp_path)
    make_pdf(tmp_path / "dl" / "paper_57.pdf", "Paper 57", ["Author 57"], pages=1)
    papers_dir.mkdir(exist_ok=True)
    # what a collect killed during its copy leaves: the atomic copy's temporary file, never renamed
    fd, leftover = tempfile.mkstemp(dir=papers_dir, prefix=TEMP_PREFIX, suffix=".pdf")
    os.write(fd, b"%PDF-1.7 half" * 1000)
    os.close(fd)
    problems = run_check(conf, papers_dir, tmp_path / "cache", quiet=True).general
    found = [p for p in problems if p.code == "papers-partial-copy"]
    assert len(found) == 1 and Path(leftover).name in found[0].message and "interrupted `collect`" in found[0].message
    assert run("collect", tmp_path / "dl", "--conf", conf, "--papers", papers_dir, "--dry-run") == 0
    assert "leftover" in capsys.readouterr().out and Path(leftover).exists()
    assert run("collect", tmp_path / "dl", "--conf", conf, "--papers", papers_dir) == 0
    printed = capsys.readouterr().out
    assert f"removed   {leftover}" in printed and "a partial copy left by an interrupted collect" in printed
    assert sorted(p.name for p in papers_dir.iterdir()) == ["cmt-57.pdf"]
    assert not [p for p in run_check(conf, papers_dir, tmp_path / "cache", quiet=True).general if p.code == "papers-partial-copy"]


def test_two_collects_into_one_papers_folder_do_not_run_at_once(tmp_path, capsys):
    conf, papers_dir = workshop(tmp_path)
    make_pdf(tmp_path / "dl" / "paper_57.pdf", "Paper 57", ["Author 57"], pages=1)
    holder = textwrap.dedent(f"""
        import sys, time
        from pathlib import Path
        from enlsp_proceedings.importers.collect import _papers_lock
        with _papers_lock(Path({str(papers_dir)!r})):
            print("locked", flush=True)
            sys.stdin.readline()
    """)
    proc = subprocess.Popen([sys.executable, "-c", holder], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
        assert run("collect", tmp_path / "dl", "--conf", conf, "--papers", papers_dir) == 1
        assert "another collect is writing into" in capsys.readouterr().err
        assert not (papers_dir / "cmt-57.pdf").exists()
    finally:
        proc.communicate("\n", timeout=30)
    with _papers_lock(papers_dir):  # released when its holder ends
        pass
    assert run("collect", tmp_path / "dl", "--conf", conf, "--papers", papers_dir) == 0


# -- no two files at one address (supplementary material and older addresses included) ------------

def _conf_with(tmp_path: Path, papers: list[dict], **workshop_fields) -> Path:
    conf = tmp_path / "conf"
    conf.mkdir(parents=True)
    (conf / "workshop.yaml").write_text(yaml.safe_dump(workshop_yaml(**workshop_fields), sort_keys=False))
    (conf / "papers.yaml").write_text(yaml.safe_dump({"papers": papers}, sort_keys=False))
    return conf


def _paper(ident: str, **extra) -> dict:
    return {"id": ident, "title": f"Title {ident}", "authors": [{"name": "A Person"}], "abstract": "A.", "presentation": "poster", **extra}


def test_a_paper_named_like_another_papers_supplement_is_an_error_naming_both(tmp_path):
    conf = _conf_with(tmp_path, [_paper("x", supplementary="x-appendix.pdf"), _paper("x-supplementary")])
    with pytest.raises(ConfError) as info:
        load_proceedings(conf)
    text = str(info.value)
    assert "papers.yaml:" in text and "duplicate-site-path" in repr(info.value.problems)
    assert "its PDF address 'papers/x-supplementary.pdf' is also paper 'x''s supplementary material address" in text


def test_an_alias_onto_a_supplement_is_an_error(tmp_path):
    conf = _conf_with(tmp_path, [_paper("x", supplementary="x-appendix.pdf")], pdf_aliases=["papers/{id}-supplementary.pdf"])
    with pytest.raises(ConfError) as info:
        load_proceedings(conf)
    assert "its pdf_aliases address 'papers/x-supplementary.pdf' is also its own supplementary material address" in str(info.value)
    conf2 = _conf_with(tmp_path / "two", [_paper("x", supplementary="x.zip", review_id="cmt:7"), _paper("y", review_id="cmt:8")],
                       pdf_aliases=["papers/paper_{review}.pdf"], supplementary_aliases=["papers/paper_{review}.{ext}"])
    load_proceedings(conf2)  # paper_7.zip and paper_7.pdf are two addresses
    conf3 = _conf_with(tmp_path / "three", [_paper("x", supplementary="x.pdf", review_id="cmt:7")],
                       pdf_aliases=["papers/paper_{review}.pdf"], supplementary_aliases=["papers/paper_{review}.{ext}"])
    with pytest.raises(ConfError) as info:
        load_proceedings(conf3)
    assert "duplicate-supplementary-alias" in repr(info.value.problems)
    # one file at two of its own addresses is fine: an alias equal to the supplement's own address
    conf4 = _conf_with(tmp_path / "four", [_paper("x", supplementary="x.pdf")], supplementary_aliases=["papers/{id}-supplementary.{ext}"])
    load_proceedings(conf4)


@pytest.mark.parametrize(("template", "ok"), [
    ("papers/paper_{review}_supp.{ext}", True), ("old/{id}.zip", True), ("old/{id}_appendix.pdf", True),
    ("papers/paper_{review}_supp.txt", False), ("papers/{ext}.pdf", False), ("../{id}.{ext}", False), ("_static/{id}.{ext}", False),
    ("papers/{name}.pdf", False),
])
def test_supplementary_aliases_are_safe_site_paths(template, ok):
    data = {**workshop_yaml(), "supplementary_aliases": [template]}
    if ok:
        assert Workshop.model_validate(data).supplementary_aliases == [template]
    else:
        with pytest.raises(ValueError):
            Workshop.model_validate(data)


def test_collect_reads_an_ambiguous_export_with_the_author_separator_import_cmt_takes(tmp_path, capsys):
    """``--export`` matches a renamed paper by its title; an export whose author lists can be read two
    ways stops collect as it stops import-cmt, and the same ``--author-separator`` settles it."""
    from test_import import write_export

    papers = [SynthPaper("renamed", "Paper Ninety-Nine", [{"name": "Ann Lee"}], "Abstract.")]
    conf, papers_dir = write_workshop(tmp_path, papers, workshop=workshop_yaml(), make_pdfs=False)
    rows = [["99", "", "Paper Ninety-Nine", "A.", "Ann Lee (MIT); Bo Park (CMU, USA)", "", "", "", "Accept", ""],
            ["7", "", "Another", "B.", "Chen Wu, Dana Lee, Eve Kim", "", "", "", "Accept", ""]]
    export = write_export(tmp_path / "export.csv", rows)
    download = tmp_path / "CameraReady"
    make_pdf(download / "99" / "final.pdf", "Paper Ninety-Nine", ["Ann Lee"], pages=2, seed=4)
    assert run("collect", download, "--conf", conf, "--papers", papers_dir, "--export", export) == 1
    err = capsys.readouterr().err
    assert "--author-separator" in err and "Traceback" not in err and not (papers_dir / "renamed.pdf").exists()
    assert run("collect", download, "--conf", conf, "--papers", papers_dir, "--export", export, "--author-separator", ",") == 0
    assert (papers_dir / "renamed.pdf").read_bytes() == (download / "99" / "final.pdf").read_bytes()
