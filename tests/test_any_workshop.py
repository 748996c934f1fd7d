"""Any workshop, any edition: a workshop unlike ENLSP-II in every dimension the contract has, built
with every feature working; and nothing of ENLSP-II in the code."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest
import yaml

from conftest import REPO, PdfReads, run_build
from enlsp_proceedings.cli import main as cli_main
from enlsp_proceedings.model.load import load_proceedings
from enlsp_proceedings.pdf.check import run_check
from synthetic import SynthPaper, make_pdf, workshop_yaml, write_workshop
from test_build import html, visible

SRC = REPO / "src" / "enlsp_proceedings"

TRACKS = [
    {"id": "core", "name": "Core track", "description": "Everything efficient."},
    {"id": "speech", "name": "Speech track"},
    {"id": "industry", "name": "Industry track"},
]
PRESENTATIONS = [
    {"id": "talk", "label": "Talk", "group": "Talks"},
    {"id": "lightning", "label": "Lightning talk", "group": "Lightning talks"},
    {"id": "poster", "label": "Poster", "group": "Poster presentations"},
]
LABELS = {"keynote": "Invited talk", "keynote_talk": "Invited talk", "keynotes": "Invited talks", "keynote_speakers": "Invited speakers",
          "keynote_speaker": "Speaker of an invited talk", "award": "Prize",
          "papers": "Papers of the workshop", "poster_session": "Shown at", "supplementary": "Appendix"}


def other_workshop(root: Path) -> None:
    """Three tracks, its own presentation kinds and labels, a two-speaker talk, two days, two poster
    sessions with papers, parallel slots, supplementary PDF and ZIP files."""
    papers = [
        SynthPaper("sparse-asr", "Sparse Speech Recognisers", [{"name": "Amara Okafor"}, {"name": "Bo Lindqvist"}], "Sparse ASR.",
                   presentation="talk", track="speech", pages=5, references_page=4, extra={"supplementary": "sparse-asr-appendix.pdf"}),
        SynthPaper("tiny-rag", "Tiny Retrieval", [{"name": "Chen Wei"}], "Retrieval, small.", presentation="lightning", track="core",
                   pages=4, references_page=4, extra={"supplementary": "tiny-rag-code.zip"}),
        SynthPaper("edge-mt", "Translation at the Edge", [{"name": "Dana Ruiz"}], "MT on phones.", presentation="poster", track="industry",
                   pages=3, references_page=3),
        SynthPaper("kd-audit", "Auditing Distillation", [{"name": "Eli Stone"}], "Distillation audited.", presentation="poster", track="core",
                   pages=3, references_page=3, extra={"award": "Best Poster"}),
    ]
    keynotes = [
        {"id": "duo", "title": "Two Views of Efficiency", "speakers": [{"name": "Fatima Zahra", "affiliation": "Lab F"},
                                                                     {"name": "Gus Novak", "honorific": "Dr.", "affiliation": "Lab G"}],
         "bio": "Fatima and Gus work together.", "abstract": "Two views."},
        {"id": "solo", "title": "One View", "speaker": {"name": "Hana Sato"}, "abstract": "One view."},
    ]
    schedule = [
        {"date": "2031-05-05", "start": "08:30", "end": "09:30", "title": "Breakfast", "kind": "meal"},
        {"date": "2031-05-05", "start": "09:00", "end": "09:10", "title": "Opening", "kind": "opening"},
        {"date": "2031-05-05", "start": "09:10", "end": "09:50", "keynote": "duo"},
        {"date": "2031-05-05", "start": "09:50", "end": "10:05", "paper": "sparse-asr"},
        {"date": "2031-05-05", "start": "10:05", "end": "10:45", "title": "Posters A", "kind": "poster-session", "papers": ["edge-mt", "kd-audit"]},
        {"date": "2031-05-06", "start": "09:00", "end": "09:40", "keynote": "solo"},
        {"date": "2031-05-06", "start": "09:40", "end": "09:45", "paper": "tiny-rag"},
        {"date": "2031-05-06", "start": "12:00", "end": "13:00", "title": "Lunch", "kind": "meal"},
        {"date": "2031-05-06", "start": "12:00", "end": "13:00", "title": "Posters B", "kind": "poster-session", "papers": ["edge-mt"]},
    ]
    workshop = workshop_yaml(date="2031-05-05", tracks=TRACKS, presentations=PRESENTATIONS, labels=LABELS,
                             supplementary_aliases=["old/{id}_supp.{ext}", "old/{id}_appendix.pdf"])
    conf, papers_dir = write_workshop(root, papers, keynotes=keynotes, schedule=schedule, workshop=workshop)
    make_pdf(papers_dir / "sparse-asr-appendix.pdf", "Appendix of Sparse Speech Recognisers", ["Amara Okafor"], pages=2)
    with zipfile.ZipFile(papers_dir / "tiny-rag-code.zip", "w") as archive:
        archive.writestr("README.txt", "code")


@pytest.fixture(scope="module")
def other_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("other")
    other_workshop(root)
    assert run_build(root) == 0
    return root


def test_tracks_and_presentation_kinds_are_the_workshops_own(other_site):
    site = other_site / "site"
    papers = visible(html(site, "papers/index.html"))
    assert "Papers of the workshop" in papers
    for group in ("Talks (1)", "Lightning talks (1)", "Poster presentations (2)"):
        assert group in papers
    assert "Speech track" in papers and "Industry track" in papers  # badges of the tracks after the first
    filters = json.loads(re.search(r'data-options="([^"]+)"', html(site, "papers/index.html")).group(1).replace("&quot;", '"'))
    assert filters["track"] == [["core", "Core track"], ["speech", "Speech track"], ["industry", "Industry track"]]
    assert filters["award"] == [["yes", "With a prize"]] and filters["titles"]["award"] == "Prize"
    page = visible(html(site, "papers/sparse-asr.html"))
    assert "Presentation: Talk" in page and "Track: Speech track" in page
    home = visible(html(site, "index.html"))
    assert "Invited speakers" in home and "Talks (1)" in home and "2 invited talks" in home and "keynote" not in home.lower()
    assert "Speaker of an invited talk" in visible(html(site, "authors/hana-sato.html"))


def test_a_talk_with_two_speakers_credits_both(other_site):
    site = other_site / "site"
    page = visible(html(site, "keynotes/duo.html"))
    assert "Fatima Zahra (Lab F) and Dr. Gus Novak (Lab G)" in page and "About the speakers" in page and "Invited talk" in page
    for slug, talk in (("fatima-zahra", "Two Views of Efficiency"), ("gus-novak", "Two Views of Efficiency"), ("hana-sato", "One View")):
        assert talk in visible(html(site, f"authors/{slug}.html")), slug
    bib = (site / "keynotes" / "duo.bib").read_text(encoding="utf-8")
    assert "author = {Zahra, Fatima and Novak, Gus}" in bib and "Invited talk at" in bib
    assert "Fatima Zahra, Gus Novak" in (site / "keynotes" / "duo.ics").read_text(encoding="utf-8").replace("\n ", "").replace("\\,", ",")
    assert "Fatima Zahra & Dr. Gus Novak" in visible(html(site, "keynotes/index.html"))


def test_two_days_parallel_events_and_poster_sessions(other_site):
    site = other_site / "site"
    schedule = html(site, "schedule.html")
    text = visible(schedule)
    assert "Monday 5 May 2031" in text and "Tuesday 6 May 2031" in text
    assert 'id="day-20310505"' in schedule and 'id="day-20310506"' in schedule
    # breakfast during the opening, posters during lunch: one row each, side by side
    assert schedule.count('class="enlsp-parallel docutils container"') == 2
    for anchor in ("slot-20310505-0830", "slot-20310505-0900", "slot-20310506-1200", "slot-20310506-1200-2"):
        assert f'id="{anchor}"' in schedule
    session = schedule[schedule.index('id="slot-20310505-1005"'):]
    assert "Translation at the Edge" in session.split("</tr>")[0] and "Auditing Distillation" in session.split("</tr>")[0]
    edge = visible(html(site, "papers/edge-mt.html"))
    assert "Shown at: Posters A, Mon 5 May 2031, 10:05–10:45" in edge and "Shown at: Posters B, Tue 6 May 2031, 12:00–13:00" in edge
    assert 'href="../schedule.html#slot-20310506-1200-2"' in html(site, "papers/edge-mt.html")
    talk = visible(html(site, "papers/tiny-rag.html"))
    assert "Tue 6 May 2031, 09:40–09:45" in talk
    calendar = (site / "schedule.ics").read_text(encoding="utf-8")
    assert "DTSTART;TZID=Europe/Lisbon:20310506T120000" in calendar
    uids = re.findall(r"^UID:(.+)$", calendar.replace("\r\n ", ""), re.M)
    assert len(uids) == 9 == len(set(uids))
    data = json.loads((site / "papers.json").read_text(encoding="utf-8"))
    edge_json = next(p for p in data["papers"] if p["id"] == "edge-mt")
    assert [s["title"] for s in edge_json["poster_sessions"]] == ["Posters A", "Posters B"]


def test_papers_json_of_any_workshop_is_valid_against_its_schema(other_site):
    import jsonschema

    site = other_site / "site"
    schema = json.loads((site / "papers.schema.json").read_text(encoding="utf-8"))
    data = json.loads((site / "papers.json").read_text(encoding="utf-8"))
    errors = list(jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).iter_errors(data))
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors[:5]]
    assert [len(k["speakers"]) for k in data["keynotes"]] == [2, 1]
    assert [t["id"] for t in data["workshop"]["tracks"]] == ["core", "speech", "industry"]


def test_supplementary_material_is_published_beside_the_pdf(other_site):
    site = other_site / "site"
    root = other_site
    assert (site / "papers" / "sparse-asr-supplementary.pdf").read_bytes() == (root / "papers" / "sparse-asr-appendix.pdf").read_bytes()
    assert (site / "papers" / "tiny-rag-supplementary.zip").read_bytes() == (root / "papers" / "tiny-rag-code.zip").read_bytes()
    # and at the older addresses of supplementary_aliases: {ext} is the file's own type, ".pdf" only PDFs
    assert (site / "old" / "sparse-asr_supp.pdf").read_bytes() == (root / "papers" / "sparse-asr-appendix.pdf").read_bytes()
    assert (site / "old" / "sparse-asr_appendix.pdf").read_bytes() == (root / "papers" / "sparse-asr-appendix.pdf").read_bytes()
    assert (site / "old" / "tiny-rag_supp.zip").read_bytes() == (root / "papers" / "tiny-rag-code.zip").read_bytes()
    assert not (site / "old" / "tiny-rag_appendix.pdf").exists()
    page = html(site, "papers/sparse-asr.html")
    assert 'href="sparse-asr-supplementary.pdf"' in page and "Appendix (PDF" in visible(page)
    assert 'href="tiny-rag-supplementary.zip"' in html(site, "papers/tiny-rag.html")
    data = json.loads((site / "papers.json").read_text(encoding="utf-8"))
    assert next(p for p in data["papers"] if p["id"] == "tiny-rag")["supplementary_url"].endswith("papers/tiny-rag-supplementary.zip")


def test_bad_supplementary_files_are_checked_and_not_published(tmp_path):
    root = tmp_path / "ws"
    other_workshop(root)
    (root / "papers" / "sparse-asr-appendix.pdf").write_bytes(b"%PDF-1.4\nnot really")
    (root / "papers" / "tiny-rag-code.zip").write_bytes(b"PK\x03\x04 broken")
    report = run_check(root / "conf", root / "papers", tmp_path / "cache")
    problems = {r.id: [p.code for p in r.problems] for r in report.papers}
    assert "supplementary-unreadable" in problems["sparse-asr"] and "supplementary-unreadable" in problems["tiny-rag"]
    assert run_build(root) == 0
    assert not list((root / "site" / "papers").glob("*-supplementary.*"))
    (root / "papers" / "tiny-rag-code.zip").unlink()
    report = run_check(root / "conf", root / "papers", tmp_path / "cache")
    missing = next(p for r in report.papers if r.id == "tiny-rag" for p in r.problems if p.code == "supplementary-missing")
    assert missing.level == "error"


def test_check_warns_only_when_two_talks_overlap(tmp_path):
    root = tmp_path / "ws"
    other_workshop(root)
    report = run_check(root / "conf", root / "papers", tmp_path / "cache")
    assert not [p for p in report.general if p.code == "schedule-talks-overlap"]  # breakfast/opening, lunch/posters are fine
    data = yaml.safe_load((root / "conf" / "schedule.yaml").read_text())
    data["schedule"].append({"date": "2031-05-06", "start": "09:30", "end": "09:40", "paper": "edge-mt"})
    (root / "conf" / "schedule.yaml").write_text(yaml.safe_dump(data))
    report = run_check(root / "conf", root / "papers", tmp_path / "cache")
    overlaps = [p.message for p in report.general if p.code == "schedule-talks-overlap"]
    assert len(overlaps) == 1 and "'solo'" in overlaps[0] and "'edge-mt'" in overlaps[0]
    assert load_proceedings(root / "conf")  # overlapping slots are not a metadata error


def test_check_shares_the_cache_of_build_in_any_workshop_folder(other_site, tmp_path, monkeypatch):
    """`build --out X` then `check --out X`, from another directory: no PDF is read twice."""
    monkeypatch.chdir(tmp_path)
    reads = PdfReads(monkeypatch, tmp_path / "reads.log")
    args = ["--conf", str(other_site / "conf"), "--papers", str(other_site / "papers")]
    assert cli_main(["check", *args, "--out", str(other_site / "site"), "--format", "json"]) in (0, 1)
    assert reads() == []
    assert cli_main(["check", *args, "--format", "json"]) in (0, 1)  # another cache (docs/_build here): read again
    assert len(reads()) >= 4


def test_defaults_are_one_main_track_and_oral_spotlight_poster(tmp_path):
    root = tmp_path / "ws"
    workshop = workshop_yaml()
    del workshop["tracks"]
    write_workshop(root, [SynthPaper("p", "P", [{"name": "Ann Lee"}], "A.", presentation="spotlight", pages=None)], workshop=workshop)
    proc = load_proceedings(root / "conf")
    assert [t.id for t in proc.workshop.track_list] == ["main"] and proc.papers[0].track == "main"
    assert [p.id for p in proc.workshop.presentation_list] == ["oral", "spotlight", "poster"]
    data = yaml.safe_load((root / "conf" / "papers.yaml").read_text())
    data["papers"][0]["track"] = "graph"
    data["papers"][0]["presentation"] = "talk"
    (root / "conf" / "papers.yaml").write_text(yaml.safe_dump(data))
    with pytest.raises(Exception) as info:
        load_proceedings(root / "conf")
    text = str(info.value)
    assert "unknown track 'graph'" in text and "unknown presentation 'talk'" in text and "papers.yaml:" in text


#: Facts of ENLSP-II (the first customer) that must live in conf/, never in the code. (Paper styles such as
#: NeurIPS's and ACL's are general knowledge the checks use; the venue "NeurIPS 2022" is caught by its year.)
ENLSP_FACTS = ["ENLSP", "New Orleans", "America/Chicago", "Graph Learning", "Efficient Natural Language", "2022",
               "Rezagholizadeh", "Noah", "Huawei", "Ballroom", "DistilBERT", "2 Dec", "Dec. 2", "2 December", "December 2"]


def test_nothing_of_enlsp_ii_is_in_the_code():
    """The package's name (enlsp_proceedings, enlsp-* CSS classes) is the product's, not the workshop's."""
    found = []
    for path in SRC.rglob("*"):
        if path.is_file() and path.suffix in (".py", ".js", ".css", ".html", ".svg"):
            text = path.read_text(encoding="utf-8")
            found += [f"{path.relative_to(SRC)}: {fact}" for fact in ENLSP_FACTS if fact in text]
    assert found == []


def test_a_workshop_made_from_the_organizer_guide_alone_builds_first_time(tmp_path, monkeypatch, capsys):
    """Every YAML block of docs/guide/organizers.md that starts with `# conf/<file>` is written as is;
    then the guide's two commands are run from the folder."""
    guide = (REPO / "docs" / "guide" / "organizers.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(# (conf/[a-z]+\.yaml)\n.*?)```", guide, re.S)
    assert {name for _, name in blocks} >= {"conf/workshop.yaml", "conf/papers.yaml", "conf/keynotes.yaml", "conf/schedule.yaml"}
    for text, name in blocks:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "papers").mkdir()
    monkeypatch.chdir(tmp_path)
    assert cli_main(["check", "--format", "json"]) == 1  # the PDFs are not there yet
    report = json.loads(capsys.readouterr().out)
    assert report["problems"] == []  # no metadata problem
    assert {p["code"] for r in report["papers"] for p in r["problems"]} == {"pdf-missing"}
    assert cli_main(["build", "-q", "-j", "1"]) == 0
    site = tmp_path / "docs" / "_build" / "html"
    assert "Invited speakers" in visible(html(site, "index.html"))
    assert "Lunch and posters" in visible(html(site, "papers/edge-mt.html"))
