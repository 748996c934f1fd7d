"""Reading camera-ready PDFs: text from PDFium (pypdf as the judge and the fallback), the
first-page thumbnail from the same open document, and one bad or hostile PDF never taking
down the others. PDFs are made on the fly with fpdf2."""

from __future__ import annotations

import faulthandler
import io
import multiprocessing
import os
import signal
from pathlib import Path

import pypdf
import pypdfium2
import pytest
from PIL import Image

from enlsp_proceedings.model.load import load_proceedings
from enlsp_proceedings.model.schema import Paper
from enlsp_proceedings.pdf import cache, pool, read, thumbs
from enlsp_proceedings.pdf.cache import PdfCache
from enlsp_proceedings.pdf.check import paper_problems
from enlsp_proceedings.pdf.extract import extract_all
from enlsp_proceedings.pdf.facts import PaperPdf
from enlsp_proceedings.pdf.read import read_pdf
from enlsp_proceedings.pdf.thumbs import THUMB_WIDTH, ThumbCache
from synthetic import make_pdf, new_pdf, random_papers, write_workshop
from test_check import body, text_pdf

needs_fork = pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(),
                                reason="the test patches the reader in this process; workers must be forked from it")


def png_header(data: bytes) -> tuple[int, int, int, int]:
    """(width, height, bit depth, colour type) from a PNG's IHDR chunk."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big"), data[24], data[25]


def six_pages(path: Path) -> Path:
    pages = [body() for _ in range(6)]
    pages[0] = "Sparse Attention for Tiny Phones\nÉlodie Dubois, Kwame Okafor\n" + body(20)
    pages[4] = body(20) + "\nReferences\n[1] A. Author. A paper. 2020."
    text_pdf(path, pages)
    return path


def test_page_text_comes_from_pdfium(tmp_path, monkeypatch):
    """With pypdf's text extraction broken, the facts are still complete: PDFium supplies the text."""
    def no_pypdf_text(*args, **kwargs):
        raise AssertionError("pypdf text extraction must not be needed")

    monkeypatch.setattr(pypdf.PageObject, "extract_text", no_pypdf_text)
    facts = read_pdf(six_pages(tmp_path / "p.pdf"))
    assert facts.ok and facts.pages == 6
    assert facts.references_page == 5 and 4 < facts.body_pages < 5
    assert facts.first_page_text.startswith("Sparse Attention for Tiny Phones\nÉlodie Dubois, Kwame Okafor\n")
    assert "\r" not in facts.text and "[1] A. Author. A paper. 2020." in facts.text


def test_pypdf_reads_the_text_when_pdfium_cannot_open_the_file(tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise pypdfium2.PdfiumError("simulated PDFium failure")

    monkeypatch.setattr(pypdfium2, "PdfDocument", refuse)
    cache = ThumbCache(tmp_path / "cache")
    facts = read_pdf(six_pages(tmp_path / "p.pdf"), "1" * 64, cache)
    assert facts.ok and facts.pages == 6 and facts.references_page == 5
    assert "Élodie Dubois" in facts.first_page_text
    assert cache.known("1" * 64) and cache.get("1" * 64) is None  # no thumbnail, remembered as such


def test_line_end_hyphens_and_ligatures(tmp_path):
    """PDFium joins a word hyphenated at a line end (keeping a real hyphen before a capital);
    title and authors are still matched on page 1 and the search text holds whole words."""
    text_pdf(tmp_path / "h.pdf", ["Quantizing Distil-\nHuBERT for Speech Recog-\nnition with ﬁne Flows",
                                   "Jean-\nPierre Dubois, Mehdi Rezagholi-\nzadeh", "References\n[1] A. B. 2020."])
    facts = read_pdf(tmp_path / "h.pdf")
    assert "Speech Recognition with fine Flows" in facts.text
    assert "Distil-HuBERT" in facts.text and "Jean-Pierre Dubois, Mehdi Rezagholizadeh" in facts.text
    assert facts.references_page == 3 and facts.body_pages == 2.0  # at the top of page 3
    paper = Paper(id="h", title="Quantizing DistilHuBERT for Speech Recognition with Fine Flows", abstract="a", presentation="oral",
                  authors=[{"name": "Jean-Pierre Dubois"}, {"name": "Mehdi Rezagholizadeh"}])
    facts.first_page_text = facts.text  # names are on page 2 here: check them against the whole text
    facts.author_block = []
    assert paper_problems(paper, PaperPdf("h", "h.pdf", None, facts), 4) == []


@needs_fork
def test_each_pdf_is_opened_once_for_text_and_thumbnail(tmp_path, monkeypatch):
    papers = random_papers(3, seed=5)
    conf, papers_dir = write_workshop(tmp_path / "ws", papers)
    proc = load_proceedings(conf)
    log = tmp_path / "opened.log"  # written by the worker processes
    real_document = pypdfium2.PdfDocument

    def counting(source, *args, **kwargs):
        with open(log, "a") as fh:
            fh.write("open\n")
        return real_document(source, *args, **kwargs)

    def opened() -> int:
        return len(log.read_text().split()) if log.exists() else 0

    def no_second_pass(*args, **kwargs):
        raise AssertionError("the thumbnail must come from the pass that reads the text")

    monkeypatch.setattr(pypdfium2, "PdfDocument", counting)
    monkeypatch.setattr(thumbs, "render_first_page", no_second_pass)
    result = extract_all(proc.papers, papers_dir, tmp_path / "cache", jobs=1, thumbnails=True)
    assert opened() == 3
    for paper in papers:
        entry = result[paper.id]
        assert entry.publishable and entry.facts.pages == paper.pages
        assert png_header(entry.thumbnail.read_bytes())[0] == THUMB_WIDTH
    log.unlink()
    again = extract_all(proc.papers, papers_dir, tmp_path / "cache", jobs=1, thumbnails=True)
    assert opened() == 0 and {e.thumbnail for e in again.values()} == {e.thumbnail for e in result.values()}
    monkeypatch.undo()

    # facts cached, thumbnails lost: only the thumbnails are rendered, the facts are not read again
    for png in (tmp_path / "cache").glob("thumbs/*/*.png"):
        png.unlink()
    monkeypatch.setattr(read, "read_pdf", no_second_pass)
    again = extract_all(proc.papers, papers_dir, tmp_path / "cache", jobs=1, thumbnails=True)
    assert all(e.thumbnail is not None and e.thumbnail.is_file() for e in again.values())


def test_text_page_thumbnail_is_a_small_4_bit_grey_png(tmp_path):
    make_pdf(tmp_path / "a4.pdf", "A Title on the First Page", ["Ana Silva"], 2, 2)
    data = thumbs.render_first_page(tmp_path / "a4.pdf")
    width, height, depth, colour_type = png_header(data)
    assert (width, depth, colour_type) == (THUMB_WIDTH, 4, 3) and 420 <= height <= 430  # A4 portrait; 16-entry palette
    assert len(data) < 12_000
    with Image.open(io.BytesIO(data)) as image:
        palette = image.getpalette()
        grey = image.convert("L")
    triples = [palette[i:i + 3] for i in range(0, len(palette), 3)]
    assert len(triples) == 16 and all(r == g == b for r, g, b in triples)  # 16 greys
    assert grey.getextrema()[0] < 100 and grey.getextrema()[1] == 255  # dark text on white
    assert sum(1 for v in grey.tobytes() if v < 128) > 200


@pytest.mark.parametrize("size", [(612, 792), (595.28, 841.89), (500.3, 700), (842, 595)])
def test_thumbnail_is_exactly_the_promised_width(tmp_path, size):
    from fpdf import FPDF

    pdf = FPDF(unit="pt", format=size)
    pdf.add_page()
    pdf.set_font("Helvetica", size=20)
    pdf.cell(0, 30, "Some title")
    pdf.output(str(tmp_path / "p.pdf"))
    width, height, _depth, _type = png_header(thumbs.render_first_page(tmp_path / "p.pdf"))
    assert width == THUMB_WIDTH and abs(height - THUMB_WIDTH * size[1] / size[0]) <= 1


def test_coloured_first_page_keeps_its_colours(tmp_path):
    pdf = new_pdf(16)
    pdf.add_page()
    pdf.cell(0, 10, "A Paper With a Teaser Figure")
    pdf.set_fill_color(220, 30, 30)
    pdf.rect(30, 40, 150, 60, style="F")
    pdf.output(str(tmp_path / "colour.pdf"))
    data = thumbs.render_first_page(tmp_path / "colour.pdf")
    assert png_header(data)[0] == THUMB_WIDTH
    with Image.open(io.BytesIO(data)) as image:
        rgb = image.convert("RGB")
    r, g, b = rgb.getpixel((THUMB_WIDTH // 2, round(70 * THUMB_WIDTH / 210)))
    assert r > 180 and g < 90 and b < 90


def _synthetic(root: Path, n: int, seed: int):
    """A written n-paper workshop: (its papers, its papers directory, the loaded proceedings)."""
    papers = random_papers(n, seed=seed)
    conf, papers_dir = write_workshop(root, papers)
    return papers, papers_dir, load_proceedings(conf)


@needs_fork
@pytest.mark.parametrize("jobs", [2, 1])
def test_a_reader_crash_is_that_papers_error_only(tmp_path, monkeypatch, jobs):
    """A PDF that kills its reader process (as a PDFium crash would) is reported; the others are read
    (also with one worker: no PDF is ever read in the building process itself)."""
    papers, papers_dir, proc = _synthetic(tmp_path, 8, seed=11)
    victim = papers[3]
    real = read.read_pdf

    def crash_on_victim(path, sha=None, thumbs=None):
        if Path(path).name == f"{victim.id}.pdf":
            faulthandler.disable()  # no traceback dump from the dying worker
            os.kill(os.getpid(), signal.SIGSEGV)
        return real(path, sha, thumbs)

    monkeypatch.setattr(read, "read_pdf", crash_on_victim)
    result = extract_all(proc.papers, papers_dir, tmp_path / "cache", jobs=jobs, thumbnails=True)
    [problem] = result[victim.id].problems
    assert problem.code == "pdf-unreadable" and "crashed" in problem.message and "SIGSEGV" in problem.message
    assert result[victim.id].thumbnail is None
    for paper in papers:
        if paper is not victim:
            entry = result[paper.id]
            assert entry.publishable and entry.facts.pages == paper.pages and entry.thumbnail is not None
    assert PdfCache(tmp_path / "cache").get(result[victim.id].facts.sha256) is None  # a crash is not cached: tried again next time
    monkeypatch.undo()
    assert extract_all(proc.papers, papers_dir, tmp_path / "cache", jobs=2, thumbnails=True)[victim.id].publishable


@pytest.mark.slow  # runs a reader to its CPU budget
@needs_fork
def test_a_pdf_over_its_cpu_budget_is_reported_not_waited_for(tmp_path, monkeypatch):
    papers, papers_dir, proc = _synthetic(tmp_path, 6, seed=12)
    victim = papers[0]
    real = read.read_pdf

    def endless_on_victim(path, sha=None, thumbs=None):
        while Path(path).name == f"{victim.id}.pdf":
            pass
        return real(path, sha, thumbs)

    monkeypatch.setattr(read, "PDF_CPU_SECONDS", 1)
    monkeypatch.setattr(read, "read_pdf", endless_on_victim)
    result = extract_all(proc.papers, papers_dir, tmp_path / "cache", jobs=2)
    [problem] = result[victim.id].problems
    assert problem.code == "pdf-too-costly" and "took more than 1 s of CPU time" in problem.message
    assert all(result[p.id].publishable for p in papers if p is not victim)


def test_unchanged_pdfs_are_not_hashed_again_but_rewritten_ones_are(tmp_path, monkeypatch):
    """Content hashes are remembered by file identity; any rewrite (even to the same size and mtime) is re-hashed."""
    papers = tmp_path / "papers"
    papers.mkdir()
    for name in ("a", "b"):
        make_pdf(papers / f"{name}.pdf", f"Title {name}", ["Ann Author"], 3, 1, seed=len(name))
    hashed = []
    real = cache.file_sha256
    monkeypatch.setattr(cache, "file_sha256", lambda path: hashed.append(Path(path).name) or real(path))
    first = cache.HashMemo(tmp_path / "cache")
    shas = {n: first.sha256(papers / f"{n}.pdf") for n in ("a", "b")}
    first.save()
    assert sorted(hashed) == ["a.pdf", "b.pdf"]
    hashed.clear()
    again = cache.HashMemo(tmp_path / "cache")
    assert {n: again.sha256(papers / f"{n}.pdf") for n in ("a", "b")} == shas
    assert hashed == []
    # same size and modification time, other bytes: the change time still gives it away
    target = papers / "a.pdf"
    st = target.stat()
    data = bytearray(target.read_bytes())
    data[-10] ^= 1
    target.write_bytes(bytes(data))
    os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns))
    third = cache.HashMemo(tmp_path / "cache")
    assert third.sha256(target) == real(target) != shas["a"]
    assert hashed == ["a.pdf"]


def test_a_pool_that_breaks_between_answers_loses_no_pdf(tmp_path, monkeypatch):
    """A worker can die after the last answer and before the next task is handed out: submitting
    then raises BrokenProcessPool. That task (and the rest) must still be read, in a new pool."""
    from concurrent.futures import Future
    from concurrent.futures.process import BrokenProcessPool

    papers, papers_dir, proc = _synthetic(tmp_path, 5, seed=13)
    calls = []

    class FlakyPool:
        def __init__(self, *args, **kwargs):
            pass

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def submit(self, fn, task):
            calls.append(task.path)
            if len(calls) == 3:
                raise BrokenProcessPool("a worker died (simulated)")
            future = Future()
            if len(calls) == 2:
                future.set_exception(BrokenProcessPool("a worker died (simulated)"))
            else:
                future.set_result(pool._run_alone(task)[0])
            return future

    monkeypatch.setattr(pool, "ProcessPoolExecutor", FlakyPool)
    result = extract_all(proc.papers, papers_dir, tmp_path / "cache", jobs=1)
    assert len(calls) >= 3
    assert all(result[p.id].publishable and result[p.id].facts.pages == p.pages for p in papers)


def test_the_papers_folder_listed_once_answers_as_each_name_looked_up(tmp_path):
    """`extract_all` lists the papers directory once (`listing`) instead of resolving it and each
    name (0.6 s at 10,000 papers): for every kind of name, `locate` answers the same either way."""
    from enlsp_proceedings.pdf.extract import listing, locate

    papers = tmp_path / "papers"
    (papers / "sub").mkdir(parents=True)
    for name in ("a.pdf", "Ünï code.pdf", "sub/b.pdf"):
        (papers / name).write_bytes(b"%PDF-1.4\n")
    (tmp_path / "secret.pdf").write_bytes(b"%PDF-1.4\n")
    (papers / "inside-link.pdf").symlink_to(papers / "a.pdf")
    (papers / "outside-link.pdf").symlink_to(tmp_path / "secret.pdf")
    (papers / "dangling.pdf").symlink_to(papers / "gone.pdf")
    (papers / "loop.pdf").symlink_to(papers / "loop.pdf")
    (papers / "folder.pdf").mkdir()
    names = ["a.pdf", "A.PDF", "Ünï code.pdf", "missing.pdf", "sub/b.pdf", "sub\\b.pdf", "sub", "../secret.pdf",
             "inside-link.pdf", "outside-link.pdf", "dangling.pdf", "loop.pdf", "folder.pdf", ".", "..", "x" * 300 + ".pdf"]
    listed = listing(papers)
    assert listed is not None and listed.files == {"a.pdf", "Ünï code.pdf"}
    for name in names:
        assert locate(papers, name, listed) == locate(papers, name), name
    assert locate(papers, "a.pdf", listed) == (papers.resolve() / "a.pdf", None)
    assert locate(papers, "missing.pdf", listed) == (None, "missing")
    assert listing(tmp_path / "no-such-folder") is None  # each name is then looked up on its own
    assert locate(tmp_path / "no-such-folder", "a.pdf", None) == (None, "missing")
