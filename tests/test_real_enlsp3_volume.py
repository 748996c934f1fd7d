"""The real ENLSP-III volume (NeurIPS 2023) in ``conf/2023`` and ``papers/2023``: all 80 accepted papers,
the 78 camera-readies and 4 supplements byte for byte, the keynotes (one with two speakers), spotlights,
poster sessions, panel, committee and organizers, as the tool's own import and collect commands brought
them in from the workshop website's files, with the organizers' decisions recorded in YAML.

Ground truth is the website's data (``../shared/enlsp-iii-2023-source``, copied unchanged from its
repository); the tests that compare against it skip where that copy is absent, the others need only the
repository (the files' checksums are in ``tests/data/enlsp3_papers.sha256``).
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
import yaml

from conftest import REPO
from enlsp_proceedings.cli import main as cli_main
from enlsp_proceedings.importers.cmt import split_cmt_authors
from enlsp_proceedings.model.load import load_proceedings
from enlsp_proceedings.model.schema import Proceedings

CONF = REPO / "conf" / "2023"
PAPERS = REPO / "papers" / "2023"
SOURCE = REPO.parent / "shared" / "enlsp-iii-2023-source"
CHECKSUMS = REPO / "tests" / "data" / "enlsp3_papers.sha256"

#: The papers the old site has no camera-ready for (README.md: "The files of papers 80 and 85 are missing").
NO_CAMERA_READY = {"cmt-80", "cmt-85"}
#: The paper whose only file is the anonymized review copy.
REVIEW_COPY = "cmt-66"
#: The papers with a supplementary file (paper_<id>_supp.pdf).
SUPPLEMENTED = {"cmt-2", "cmt-4", "cmt-16", "cmt-40"}


def need(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"ENLSP-III's website data is not beside the repository ({path} is absent); CI lays it out there")
    return path


def source_data(name: str):
    return yaml.safe_load(need(SOURCE / "_data" / f"{name}.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def proc() -> Proceedings:
    return load_proceedings(CONF)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def entry_blocks() -> dict[str, str]:
    """papers.yaml's text, one block per paper entry (from its ``- id:`` line to the next one's)."""
    text = (CONF / "papers.yaml").read_text(encoding="utf-8")
    starts = [m for m in re.finditer(r"^  - id: (\S+)", text, flags=re.M)]
    return {m.group(1): text[m.start():(starts[i + 1].start() if i + 1 < len(starts) else len(text))] for i, m in enumerate(starts)}


# --- the accepted papers ---------------------------------------------------------------------------

def test_the_volume_holds_all_80_accepted_papers(proc):
    assert proc.workshop.short_name == "ENLSP-III"
    assert len(proc.papers) == 80
    assert all(p.id == "cmt-" + p.review_id.removeprefix("cmt:") for p in proc.papers)
    assert len({p.id for p in proc.papers}) == 80


def test_every_accepted_paper_of_the_website_is_in_the_volume_with_its_title_and_author_count(proc):
    accepted = source_data("accepted_papers")
    assert len(accepted) == 80
    papers = {p.review_id: p for p in proc.papers}
    assert set(papers) == {f"cmt:{row['id']}" for row in accepted}
    for row in accepted:
        paper = papers[f"cmt:{row['id']}"]
        assert paper.title == " ".join(row["title"].split()), paper.id
        assert len(paper.authors) == len(split_cmt_authors(row["authors"])), paper.id


def test_every_paper_entry_carries_a_source_comment_naming_its_record():
    blocks = entry_blocks()
    assert len(blocks) == 80
    for ident, block in blocks.items():
        number = ident.removeprefix("cmt-")
        assert f'# source: _data/accepted_papers.yml, the entry "id": "{number}"' in block, ident


def test_a_re_import_of_the_accepted_list_changes_nothing(capsys):
    """The entries are import-cmt's output: the recorded decisions and comments aside, nothing was edited."""
    status = cli_main(["import-cmt", str(need(SOURCE / "_data" / "accepted_papers.yml")), "--out", str(CONF / "papers.yaml"), "--dry-run"])
    captured = capsys.readouterr()
    out = captured.out + captured.err
    assert status == 0, out
    assert "0 added, 0 updated, 80 unchanged" in out


def test_a_re_import_of_the_program_lists_exactly_the_recorded_corrections(capsys):
    """keynotes.yaml, schedule.yaml and people.yaml are import-program's output but for the corrections
    their `# source:` comments explain (Zettlemoyer, the colons of three titles, a family name)."""
    status = cli_main(["import-program", str(need(SOURCE / "_data")), "--conf", str(CONF), "--set-presentations", "--fix-times", "--dry-run"])
    captured = capsys.readouterr()
    out = captured.out + captured.err
    assert status == 1, out
    changes = sorted(line.strip() for line in out.splitlines() if line.startswith("    - "))
    assert changes == sorted([
        "- keynotes[luke-zettlemoyer -> luke-zettelmoyer].id: 'luke-zettlemoyer' -> 'luke-zettelmoyer'",
        "- keynotes[luke-zettlemoyer -> luke-zettelmoyer].title: 'Branch-Train-Merge: Embarrassingly Parallel Training of Expert Languag…' -> 'Branch-Train-Merge:Embarrassingly Parallel Training of Expert Language…'",
        "- keynotes[luke-zettlemoyer -> luke-zettelmoyer].speakers[Luke Zettlemoyer -> Luke Zettelmoyer].name: 'Luke Zettlemoyer' -> 'Luke Zettelmoyer'",
        "- keynotes[ali-madani].title: 'LLMs for Protein Design: A Research Journey' -> 'LLMs for Protein Design:A Research Journey'",
        "- keynotes[tara-sainath].title: 'End-to-End Speech Recognition: The Journey from Research to Production' -> 'End-to-End Speech Recognition:The Journey from Research to Production'",
        "- schedule[luke-zettlemoyer -> luke-zettelmoyer].keynote: 'luke-zettlemoyer' -> 'luke-zettelmoyer'",
        "- technical_committee[Vahid Partovi Nia].family: 'Partovi Nia' removed",
    ])
    assert re.search(r"^unchanged +\S*panel\.yaml", out, flags=re.M)  # the panel is the import's, untouched


# --- the files ---------------------------------------------------------------------------------------

def _checksums() -> dict[str, str]:
    lines = CHECKSUMS.read_text(encoding="utf-8").splitlines()
    return {name: digest for digest, name in (line.split("  ", 1) for line in lines if line and not line.startswith("#"))}


def test_the_78_camera_readies_and_4_supplements_are_committed_byte_for_byte():
    expected = _checksums()
    assert len([n for n in expected if not n.endswith("-supplementary.pdf")]) == 78
    assert len([n for n in expected if n.endswith("-supplementary.pdf")]) == 4
    found = {p.name: sha256(p) for p in PAPERS.iterdir()}
    assert found == expected


def test_each_file_is_the_websites_file_of_its_paper(proc):
    """papers/2023/<id>.pdf is the old site's papers/paper_<CMT id>.pdf and <id>-supplementary.pdf its
    paper_<CMT id>_supp.pdf, unchanged; papers 80 and 85 have neither."""
    source = need(SOURCE / "papers")
    pdfs = supplements = 0
    for paper in proc.papers:
        number = paper.review_id.removeprefix("cmt:")
        ours, theirs = PAPERS / paper.pdf_name, source / f"paper_{number}.pdf"
        assert ours.exists() == theirs.exists(), paper.id
        if theirs.exists():
            assert sha256(ours) == sha256(theirs), paper.id
            pdfs += 1
        supp = source / f"paper_{number}_supp.pdf"
        assert (paper.supplementary is not None) == supp.exists(), paper.id
        if supp.exists():
            assert sha256(PAPERS / paper.supplementary) == sha256(supp), paper.id
            supplements += 1
    assert (pdfs, supplements) == (78, 4)
    assert len(list(source.glob("*.pdf"))) == 82  # nothing of the website's left out


def test_the_four_supplements_belong_to_their_papers_and_keep_the_old_address(proc):
    assert {p.id for p in proc.papers if p.supplementary} == SUPPLEMENTED
    assert proc.workshop.supplementary_aliases == ["papers/paper_{review}_supp.{ext}"]
    assert proc.paper("cmt-2").supplementary_alias_paths(proc.workshop.supplementary_aliases) == ["papers/paper_2_supp.pdf"]
    assert proc.workshop.pdf_aliases == ["papers/paper_{review}.pdf"]


# --- the decisions -----------------------------------------------------------------------------------

def test_papers_without_a_camera_ready_say_so(proc):
    missing = {p.id for p in proc.papers if not (PAPERS / p.pdf_name).exists()}
    assert missing == NO_CAMERA_READY
    blocks = entry_blocks()
    for ident in sorted(NO_CAMERA_READY):
        waivers = {w.code: w.reason for w in proc.paper(ident).waive}
        assert set(waivers) == {"pdf-missing"}, ident
        assert "no camera-ready" in waivers["pdf-missing"] and "without a PDF" in waivers["pdf-missing"], ident
        assert f"no paper_{ident.removeprefix('cmt-')}.pdf" in blocks[ident], ident


def test_the_review_copy_is_published_with_a_note_as_enlsp_ii_decided(proc):
    paper = proc.paper(REVIEW_COPY)
    assert paper.publish_review_copy and "anonymized version submitted for review" in paper.publish_review_copy
    assert (PAPERS / paper.pdf_name).exists()
    assert "collective-kgc" in entry_blocks()[REVIEW_COPY]  # the ENLSP-II decision it follows, named
    assert [p.id for p in proc.papers if p.publish_review_copy or p.waive] == ["cmt-66", "cmt-80", "cmt-85"]


def test_the_special_track_holds_the_one_paper_on_protein_language_models(proc):
    tracks = {t.id: t.name for t in proc.workshop.tracks}
    assert tracks == {"main": "Main track", "protein": "Special track: Protein Language Models"}
    assert [p.id for p in proc.papers if p.track == "protein"] == ["cmt-16"]
    about_proteins = [p.id for p in proc.papers if "protein" in (p.title + p.abstract).lower()]
    assert about_proteins == ["cmt-16"]
    assert "no file says which paper" in entry_blocks()["cmt-16"]  # and how it was decided


# --- the program and the people ------------------------------------------------------------------------

def test_the_keynotes_one_of_them_by_two_speakers(proc):
    assert len(proc.keynotes) == 6
    assert sum(len(k.speakers) for k in proc.keynotes) == 7
    duo = [k for k in proc.keynotes if len(k.speakers) > 1]
    assert [[s.name for s in k.speakers] for k in duo] == [["Samy Bengio", "Tatiana Likhomanenko"]]
    assert duo[0].id == "samy-bengio-tatiana-likhomanenko"
    assert all(proc.slot_for("keynote", k.id) for k in proc.keynotes)
    assert "Luke Zettlemoyer" in [s.name for k in proc.keynotes for s in k.speakers]
    speakers = [s for row in source_data("speakers") for s in row["speakers"]]
    assert len(speakers) == 7


def test_ten_spotlights_and_two_poster_sessions_showing_every_paper_once(proc):
    spotlights = [p.id for p in proc.papers if p.presentation == "spotlight"]
    assert len(spotlights) == 10
    assert all(proc.slot_for("paper", ident) for ident in spotlights)
    assert {p.presentation for p in proc.papers} == {"spotlight", "poster"}
    sessions = [s for s in proc.schedule if s.kind == "poster-session"]
    assert [s.title for s in sessions] == ["Poster Session I", "Poster Session II"]
    shown = [ident for s in sessions for ident in s.papers]
    assert sorted(shown) == sorted(p.id for p in proc.papers)
    assert all(int(i.removeprefix("cmt-")) <= 45 for i in sessions[0].papers)
    assert all(int(i.removeprefix("cmt-")) >= 46 for i in sessions[1].papers)
    schedule = source_data("schedule")
    assert len([t for t in schedule if "Spotlight" in t["Title"]]) == 10
    assert len(proc.schedule) == len(schedule) == 25


def test_panel_committee_organizers_and_volunteers_as_the_website_lists_them(proc):
    assert proc.panel is not None and [p.name for p in proc.panel.panelists] == ["Nazneen Rajani", "Minjia Zhang", "Tim Dettmers"]
    assert len(proc.people.organizers) == 8
    assert len(proc.people.technical_committee) == 55
    assert [p.name for p in proc.people.volunteers] == ["Khalil Bibi"]
    panelists = [p for row in source_data("panelists") for p in row["speakers"]]
    organizers = [p for row in source_data("organizers") for p in row["organizers"]]
    committee = source_data("technical_committee")
    assert (len(panelists), len(organizers), len(committee)) == (3, 8, 55)
    assert [p.name for p in proc.people.organizers] == [p["name"] for p in organizers]


def test_the_workshop_as_its_call_for_papers_states_it(proc):
    w = proc.workshop
    assert (w.venue, w.year, str(w.date), w.timezone) == ("NeurIPS 2023", 2023, "2023-12-16", "America/Chicago")
    assert (w.page_limit, w.archival, w.page_policy.over_limit, w.page_policy.acknowledgments_count) == (4, False, "warning", False)
    assert w.base_url == "https://neurips2023-enlsp.github.io/"
    assert w.repository == "https://github.com/neurips2023-enlsp/neurips2023-enlsp.github.io"
    assert [t.name for t in proc.cfp.topics if t.special_track] == ["Protein Language Models"]
    text = (CONF / "workshop.yaml").read_text(encoding="utf-8")
    for quoted in ("Workshop Date: December 16, 2023", "should not be longer than 4 pages", "our workshop is not archival",
                   "Special track: Protein Language Models"):
        assert quoted in text, quoted  # each value's source, quoted next to it


# --- check, with the recorded decisions ----------------------------------------------------------------

@pytest.mark.slow  # reads the 78 real camera-readies
def test_check_passes_with_the_recorded_decisions(tmp_path):
    from enlsp_proceedings.pdf.check import run_check
    from enlsp_proceedings.pdf.facts import WaivedProblem

    report = run_check(CONF, PAPERS, tmp_path / "cache", quiet=True)
    assert (report.count("error"), report.count("warning"), report.count("note")) == (0, 146, 12)
    problems = [(r.id, p) for r in report.papers for p in r.problems]
    waived = sorted((ident, p.code) for ident, p in problems if isinstance(p, WaivedProblem))
    assert waived == [("cmt-80", "pdf-missing"), ("cmt-85", "pdf-missing")]
    assert [ident for ident, p in problems if p.code == "pdf-review-copy-published"] == [REVIEW_COPY]
    assert not [p for _, p in problems if p.code in ("pdf-review-copy", "pdf-wrong-file", "pdf-author-missing")]
