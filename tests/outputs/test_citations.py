"""Citations owned by one record per paper: every format a pure function of it, the downloads
rewritten exactly when what they say changes, the volume's files made one way."""

from __future__ import annotations

import json

import pytest

from enlsp_proceedings import paths
from enlsp_proceedings.model.load import load_proceedings
from enlsp_proceedings.outputs import citation, cite, downloads
from enlsp_proceedings.outputs.downloads import MANIFEST, CitationTexts, artifact_files, write_artifacts
from enlsp_proceedings.outputs.volume import PdfStatus, Volume
from synthetic import small_workshop


@pytest.fixture
def volume(tmp_path):
    small_workshop(tmp_path)
    return Volume(load_proceedings(tmp_path / "conf"), {"alpha": PdfStatus(published=True, pages=5), "beta": PdfStatus(published=True, pages=3)})


def edited(volume: Volume, **changes) -> Volume:
    """The volume with its proceedings changed (``papers=``, ``schedule=``...), the same PDFs."""
    return Volume(volume.proc.model_copy(update=changes), volume.pdfs)


def test_every_format_is_made_from_the_paper_s_record_alone(volume):
    paper = volume.papers_by_id["alpha"]
    record = volume.paper_citation(paper)
    assert (record.key, record.url, record.pdf_url, record.pages) == (volume.keys["paper:alpha"], volume.url("papers/alpha.html"),
                                                                       volume.url("papers/alpha.pdf"), 5)
    assert record.editors == tuple(volume.proc.people.organizers)
    assert citation.bibtex(record).count("@inproceedings{") == 1 and "editor = {" in citation.bibtex(record)
    assert "UR  - " + record.url in citation.ris(record) and "L1  - " + record.pdf_url in citation.ris(record)
    assert citation.csl(record)["id"] == record.key
    # a pending PDF is in no format
    pending = volume.paper_citation(volume.papers_by_id["gamma"])
    assert pending.pdf_url is None and pending.pages is None and "L1  - " not in citation.ris(pending)


def test_a_long_list_is_cited_by_its_first_authors_and_others(volume):
    record = volume.paper_citation(volume.papers_by_id["alpha"])
    first = record.first_authors(1)
    assert first.et_al and [a.name for a in first.paper.authors] == ["Jürgen Müller"]
    assert "and others" in citation.bibtex(first) and "and others" not in citation.bibtex(record)
    assert first.digest() != record.digest()


def test_the_record_s_digest_changes_with_anything_a_citation_says(volume):
    record = volume.paper_citation(volume.papers_by_id["alpha"])
    paper = volume.papers_by_id["alpha"]
    retitled = edited(volume, papers=[p.model_copy(update={"title": "Another Title"}) if p.id == "alpha" else p for p in volume.proc.papers])
    assert retitled.paper_citation(retitled.papers_by_id["alpha"]).digest() != record.digest()
    recounted = Volume(volume.proc, {**volume.pdfs, "alpha": PdfStatus(published=True, pages=6)})
    assert recounted.paper_citation(paper).digest() != record.digest()
    renamed = edited(volume, workshop=volume.workshop.model_copy(update={"booktitle": "Another Booktitle"}))
    assert renamed.paper_citation(paper).digest() != record.digest()
    # and not with what no citation says: where the paper is on the program
    moved = edited(volume, schedule=[s.model_copy(update={"start": "09:51"}) if s.paper == "alpha" else s for s in volume.proc.schedule])
    assert moved.paper_citation(paper).digest() == record.digest()


def test_downloads_are_rewritten_when_what_they_say_changes_and_only_then(volume, tmp_path, monkeypatch):
    site, memo = tmp_path / "site", tmp_path / "cache" / "citations.json"
    site.mkdir()
    formatted: list[str] = []
    real = citation.bibtex_entry
    monkeypatch.setattr(citation, "bibtex_entry", lambda c, crossref=None: formatted.append(c.paper.id) or real(c, crossref))
    write_artifacts(volume, site, {}, memo=memo)
    assert sorted(formatted) == ["alpha", "beta", "gamma"]
    assert (site / "papers" / "alpha.bib").read_text() == citation.bibtex(volume.paper_citation(volume.papers_by_id["alpha"]))
    keys = json.loads((site / MANIFEST).read_text())
    assert keys["papers/alpha.bib"] == keys["papers/alpha.ris"] == keys["papers/alpha.csl.json"] != keys["papers/beta.bib"]

    # a talk moved on the program: its page changes, its citations do not, and nothing is formatted again
    formatted.clear()
    moved = edited(volume, schedule=[s.model_copy(update={"start": "09:51"}) if s.paper == "alpha" else s for s in volume.proc.schedule])
    before = {p: (site / p).stat().st_mtime_ns for p in ("papers/alpha.bib", "papers/alpha.ris", "papers/alpha.csl.json")}
    write_artifacts(moved, site, {}, memo=memo)
    assert formatted == []
    assert before == {p: (site / p).stat().st_mtime_ns for p in before}

    # a title edited: that paper's citations only, and the volume's files carry it
    retitled = edited(volume, papers=[p.model_copy(update={"title": "Edited Title"}) if p.id == "beta" else p for p in volume.proc.papers])
    write_artifacts(retitled, site, {}, memo=memo)
    assert formatted == ["beta"]
    assert "Edited Title" in (site / "papers" / "beta.bib").read_text()
    for whole in (paths.PROCEEDINGS_BIB, paths.PROCEEDINGS_RIS, paths.PROCEEDINGS_CSL):
        assert "Edited Title" in (site / whole).read_text(), whole
    # what the build wrote is what the records give, file for file
    assert {p: (site / p).read_bytes().decode() for p in artifact_files(retitled)} == artifact_files(retitled)

    # a file removed from the site is written again, though its record did not change
    (site / "papers" / "alpha.ris").unlink()
    write_artifacts(retitled, site, {}, memo=memo)
    assert (site / "papers" / "alpha.ris").is_file()


def test_the_memo_is_a_pure_function_s_memo(volume, tmp_path, monkeypatch):
    memo = tmp_path / "citations.json"
    record = volume.paper_citation(volume.papers_by_id["alpha"])
    texts = CitationTexts(memo)
    made = texts.of(record)
    assert (made.entry, made.ris, made.csl) == (citation.bibtex_entry(record), citation.ris(record), citation.csl(record))
    texts.save()
    assert list(json.loads(memo.read_text())) == [texts.key(record)]
    # another build remembers it; new code is another key (it may format differently)
    assert CitationTexts(memo).of(record) == made
    monkeypatch.setattr(downloads, "code_digest", lambda: "another version")
    assert CitationTexts(memo).key(record) != texts.key(record)
    # a memo that is not what the build wrote is ignored, never trusted
    for garbage in ("{", "[]", json.dumps({texts.key(record): {"entry": 1}})):
        memo.write_text(garbage)
        assert CitationTexts(memo).of(record) == made


def test_proceedings_bib_is_made_one_way_from_the_records(volume):
    files = artifact_files(volume)
    whole = files[paths.PROCEEDINGS_BIB]
    assert whole == volume.volume_bibtex()
    key = volume.proceedings_key
    for paper in volume.proc.papers:
        own = cite.without_preamble(files[paths.paper_file(paper.id, "bib")].strip())
        assert (cite.with_crossref(own, key) if paper.authors else own) in whole
    assert files[paths.PROCEEDINGS_RIS] == "".join(files[paths.paper_file(p.id, "ris")] for p in volume.proc.papers)


@pytest.mark.parametrize("edition", ["2022", "2023"])
def test_the_json_downloads_are_laid_out_as_json_dumps_lays_them_out(edition):
    """proceedings.csl.json and papers.json are written by pydantic's serializer (a fifth of the
    time), byte for byte what ``json.dumps(..., ensure_ascii=False, indent=2)`` writes: the real
    editions' files, and text holding quotes, backslashes, control characters, U+2028 and emoji."""
    from conftest import REPO
    from enlsp_proceedings.util.digest import value_json

    volume = Volume(load_proceedings(REPO / "conf" / edition), {})
    files = artifact_files(volume)
    for name in (paths.PROCEEDINGS_CSL, paths.PAPERS_JSON):
        assert files[name] == json.dumps(json.loads(files[name]), ensure_ascii=False, indent=2) + "\n"
    odd = [{"title": 'a "q" \\ / \x00\x1f\x7f \u2028 é 😀', "n": [0, -1, 2**70], "e": {}, "l": [], "t": True, "f": None}, {}]
    assert value_json(odd, indent=2).decode("utf-8") == json.dumps(odd, ensure_ascii=False, indent=2)
