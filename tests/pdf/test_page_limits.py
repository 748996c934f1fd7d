"""Page limits as calls for papers state them: per paper type (short 4, long 8), per track, per paper;
the policy (acknowledgments, extra camera-ready pages) merged from the workshop down; ``content_pages``
in every output the figure the message judges; a note when the policy, not the content, makes a pass."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from conftest import REPO
from enlsp_proceedings.cli import main as cli_main
from enlsp_proceedings.model.load import load_proceedings
from enlsp_proceedings.model.policy import PageRules, page_rules
from enlsp_proceedings.model.schema import PagePolicy, Paper, Workshop
from enlsp_proceedings.pdf.check import content_length, format_text, length_notes, length_problems, run_check
from enlsp_proceedings.pdf.facts import PdfFacts
from synthetic import SynthPaper, workshop_yaml, write_workshop

ROOT = REPO
AUTHORS = [{"name": "Élodie Dubois"}, {"name": "Kwame Okafor"}]


def synth(ident: str, references_page: int, pages: int, **extra) -> SynthPaper:
    """A paper whose content ends a little way down ``references_page`` (page ``references_page - 1`` and a bit)."""
    return SynthPaper(ident, f"Efficient Things Part {ident}", AUTHORS, "An abstract.", pages=pages, references_page=references_page,
                      track=extra.pop("track", "main"), extra=extra)


def typed_workshop(root: Path, make_pdfs: bool = True, **workshop) -> tuple[Path, Path]:
    """The call of the customer's issue, halved to typeset fewer pages: short papers 2 pages, long papers 4
    (the issue's 4 and 8), papers without a type the workshop's 2, and a 1-page track of extended abstracts."""
    data = workshop_yaml(
        page_limit=2,
        paper_types=[{"id": "short", "name": "Short paper", "page_limit": 2}, {"id": "long", "name": "Long paper", "page_limit": 4}],
        tracks=[{"id": "main", "name": "Main track"}, {"id": "abstracts", "name": "Extended abstracts", "page_limit": 1}],
        **workshop,
    )
    papers = [
        synth("short-ok", 2, 2, type="short"),      # ~1.1 pages: within 2
        synth("long-ok", 4, 4, type="long"),        # ~3.1 pages: within 4, over the workshop's 2
        synth("long-over", 6, 6, type="long"),      # ~5.1 pages: over 4
        synth("untyped", 4, 4),                     # ~3.1 pages: over the workshop's page_limit 2
        synth("own-limit", 6, 6, type="long", page_limit=6),  # the organizers allowed this one 6
        synth("abstract", 3, 3, track="abstracts"),  # ~2.1 pages: over the track's 1
    ]
    return write_workshop(root, papers, workshop=data, make_pdfs=make_pdfs)


@pytest.fixture(scope="module")
def typed(tmp_path_factory) -> Path:
    """The typed workshop, its PDFs typeset once for the module (fpdf2 takes seconds)."""
    root = tmp_path_factory.mktemp("typed")
    typed_workshop(root)
    return root


def check_json(capsys, root: Path, *extra: str, papers: Path | None = None) -> tuple[int, dict]:
    code = cli_main(["check", "--conf", str(root / "conf"), "--papers", str(papers or root / "papers"), "--cache", str(root / "cache"),
                     "--format", "json", *extra])
    return code, json.loads(capsys.readouterr().out)


def test_limits_per_paper_type_track_and_paper(typed, capsys):
    code, report = check_json(capsys, typed)
    by_id = {p["id"]: p for p in report["papers"]}
    over = {ident: [p for p in entry["problems"] if p["code"] == "pdf-over-limit"] for ident, entry in by_id.items()}
    assert {ident for ident, found in over.items() if found} == {"long-over", "untyped", "abstract"}
    assert code == 1 and report["errors"] == 3
    assert by_id["short-ok"]["page_limit"]["pages"] == 2 and by_id["short-ok"]["page_limit"]["from"] == "type short"
    assert by_id["long-ok"]["page_limit"]["pages"] == 4 and 3 < by_id["long-ok"]["content_pages"] < 4
    assert by_id["untyped"]["page_limit"]["from"] == "workshop" and by_id["untyped"]["page_limit"]["pages"] == 2
    assert by_id["own-limit"]["page_limit"] == {"pages": 6, "extra_camera_ready_pages": 0, "acknowledgments_count": True,
                                                "over_limit": "error", "from": "paper"}
    assert by_id["abstract"]["page_limit"]["from"] == "track abstracts"
    [long_over] = over["long-over"]
    assert long_over["message"].startswith(f"{by_id['long-over']['content_pages']:g} pages of content, the limit is 4 for the paper type 'Long paper' (")
    assert "the limit is 1 for the track 'Extended abstracts' (" in over["abstract"][0]["message"]
    assert "the limit is 2 ('References' begins on page 4" in over["untyped"][0]["message"]  # the workshop's, worded as before


def test_the_text_report_shows_each_papers_limit_when_they_differ(typed, capsys):
    cli_main(["check", "--conf", str(typed / "conf"), "--papers", str(typed / "papers"), "--cache", str(typed / "cache")])
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["paper", "pdf", "pages", "content", "limit", "status"]
    rows = {line.split()[0]: line.split() for line in lines[2:] if line and not line.startswith(" ")}
    assert rows["long-ok"][4] == "4" and rows["short-ok"][4] == "2" and rows["own-limit"][4] == "6" and rows["abstract"][4] == "1"


def test_a_workshop_with_one_limit_has_no_limit_column(tmp_path):
    write_workshop(tmp_path, [synth("one", 2, 2)])
    report = run_check(tmp_path / "conf", tmp_path / "papers", tmp_path / "cache", quiet=True)
    assert format_text(report).splitlines()[0].split() == ["paper", "pdf", "pages", "content", "status"]


def test_the_rules_of_a_paper_from_the_most_specific_setting():
    workshop = Workshop.model_validate(workshop_yaml(
        page_policy={"acknowledgments_count": False, "over_limit": "warning"},
        tracks=[{"id": "main", "name": "Main track"},
                {"id": "demo", "name": "Demo track", "page_limit": 6, "page_policy": {"extra_camera_ready_pages": 0.5}}],
        paper_types=[{"id": "long", "page_limit": 8, "page_policy": {"extra_camera_ready_pages": 1, "over_limit": "error"}}],
    ))

    def rules(**paper) -> PageRules:
        return page_rules(workshop, Paper.model_construct(**{"track": "main", "type": None, "page_limit": None, **paper}))

    assert rules() == PageRules(4, PagePolicy(acknowledgments_count=False, over_limit="warning"))
    assert rules(track="demo") == PageRules(6, PagePolicy(acknowledgments_count=False, over_limit="warning", extra_camera_ready_pages=0.5),
                                            "track", "demo", "Demo track")
    long_demo = rules(track="demo", type="long")  # the type is more specific than the track; its policy fields on top of the track's
    assert (long_demo.page_limit, long_demo.set_by, long_demo.set_by_name) == (8, "type", "long")
    assert long_demo.policy == PagePolicy(acknowledgments_count=False, over_limit="error", extra_camera_ready_pages=1)
    assert long_demo.allowed == 9
    own = rules(type="long", page_limit=12)  # the paper's own limit; the policy stays its type's
    assert (own.page_limit, own.set_by, own.allowed) == (12, "paper", 13)


def test_the_real_enlsp_ii_papers_are_judged_by_the_workshops_limit_as_before():
    proc = load_proceedings(ROOT / "conf" / "2022")
    for paper in proc.papers:
        assert page_rules(proc.workshop, paper) == PageRules(4, proc.workshop.page_policy)


FACTS = PdfFacts("0", 1, pages=9, content_pages=4.12, references_page=5, end_heading="References", acknowledgments=[4.0, 4.12])


def workshop(**policy) -> Workshop:
    return Workshop.model_construct(page_limit=4, page_policy=PagePolicy(**policy), tracks=[], paper_types=[])


def test_content_pages_is_the_figure_the_message_judges():
    """The customer's report: the JSON said 8.14 while the message said 8 pages. Both now give the counted figure."""
    length = content_length(FACTS, workshop(acknowledgments_count=False))
    assert (length.ends_at, length.counted, round(length.acknowledgments, 2)) == (4.12, 4.0, 0.12)
    over = replace_facts(content_pages=4.5, acknowledgments=[4.0, 4.12])
    [problem] = length_problems(over, workshop(acknowledgments_count=False))
    counted = content_length(over, workshop(acknowledgments_count=False)).counted
    assert problem.message.startswith(f"{counted:g} pages of content") and counted == 4.38
    assert content_length(FACTS, workshop()).counted == 4.12  # acknowledgments count by default


def replace_facts(**changes) -> PdfFacts:
    from dataclasses import replace

    return replace(FACTS, **changes)


def test_a_note_says_when_the_acknowledgments_make_the_difference():
    """A paper at 4.12 pages against a limit of 4: the author learns why it passes."""
    assert length_problems(FACTS, workshop(acknowledgments_count=False)) == []
    [note] = length_notes(FACTS, workshop(acknowledgments_count=False))
    assert (note.level, note.code) == ("note", "pdf-within-limit-by-policy")
    assert note.message == ("within the limit: the content ends at 4.12 pages ('References' begins on page 5); 0.12 page of acknowledgments "
                            "is not counted, so it counts 4 pages against the limit of 4")
    assert length_notes(FACTS, workshop()) == []  # over the limit instead: the warning says so
    assert length_notes(replace_facts(content_pages=3.9, acknowledgments=[3.8, 3.9]), workshop(acknowledgments_count=False)) == []  # no overrun to explain


def test_a_note_says_when_the_extra_camera_ready_pages_make_the_difference():
    [note] = length_notes(replace_facts(content_pages=4.6, acknowledgments=None), workshop(extra_camera_ready_pages=1))
    assert note.message.endswith("; the camera-ready may have 1 extra page, so it counts 4.6 pages against the limit of 4 + 1 for the camera-ready")
    [both] = length_notes(replace_facts(content_pages=5.3, acknowledgments=[5.1, 5.3]), workshop(extra_camera_ready_pages=1.5, acknowledgments_count=False))
    assert "0.2 page of acknowledgments is not counted and the camera-ready may have 1.5 extra pages, so it counts 5.1 pages" in both.message


def test_check_json_content_pages_follows_the_policy(tmp_path, capsys):
    """A real check run: a paper whose content ends past its limit only because of its acknowledgments."""
    write_workshop(tmp_path, [synth("long-ok", 4, 4, type="long")], workshop=workshop_yaml(
        paper_types=[{"id": "long", "page_limit": 2, "page_policy": {"extra_camera_ready_pages": 1.5}}]))
    code, report = check_json(capsys, tmp_path)
    [entry] = report["papers"]
    assert code == 0 and report["notes"] == 1 and report["warnings"] == 0
    assert entry["content_pages"] == entry["content_ends_at"] and 2 < entry["content_pages"] < 3.5
    [note] = entry["problems"]
    assert note["code"] == "pdf-within-limit-by-policy" and "the limit of 2 + 1.5 for the camera-ready for the paper type 'long'" in note["message"]


def test_unknown_or_undeclared_paper_types_are_errors_with_their_line(tmp_path, capsys):
    typed_workshop(tmp_path, make_pdfs=False)
    data = yaml.safe_load((tmp_path / "conf" / "papers.yaml").read_text())
    data["papers"][1]["type"] = "huge"
    (tmp_path / "conf" / "papers.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    line = next(i for i, text in enumerate((tmp_path / "conf" / "papers.yaml").read_text().splitlines(), 1) if "type: huge" in text)
    code, report = check_json(capsys, tmp_path)
    [problem] = report["problems"]
    assert code == 1 and problem["code"] == "conf-invalid"
    assert problem["message"] == (f"{tmp_path / 'conf' / 'papers.yaml'}:{line}: papers[1].type (id 'long-ok'): unknown type 'huge'; "
                                  "workshop.yaml's paper_types are: short, long")
    write_workshop(tmp_path / "plain", [synth("x", 4, 5, type="short")], make_pdfs=False)
    code, report = check_json(capsys, tmp_path / "plain")
    assert "unknown type 'short'; workshop.yaml declares no paper_types" in report["problems"][0]["message"]


def test_paper_types_are_validated(tmp_path, capsys):
    typed_workshop(tmp_path, make_pdfs=False)
    data = yaml.safe_load((tmp_path / "conf" / "workshop.yaml").read_text())
    data["paper_types"] = [{"id": "short", "page_limit": 4}, {"id": "short", "page_limit": 5}, {"id": "long", "page_limit": 0}]
    (tmp_path / "conf" / "workshop.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    code, report = check_json(capsys, tmp_path)
    messages = [p["message"] for p in report["problems"]]
    assert code == 1 and any("paper_types[2].page_limit (id 'long'): Input should be greater than or equal to 1" in m for m in messages), messages
    data["paper_types"][2]["page_limit"] = 8
    (tmp_path / "conf" / "workshop.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    code, report = check_json(capsys, tmp_path)
    assert [(p["code"], "duplicate id 'short'" in p["message"]) for p in report["problems"]] == [("duplicate-paper-type", True)]


@pytest.mark.parametrize("field, value", [("page_limit", 0), ("page_limit", "four")])
def test_a_papers_own_limit_is_a_positive_whole_number(tmp_path, capsys, field, value):
    write_workshop(tmp_path, [synth("x", 4, 5, **{field: value})], make_pdfs=False)
    code, report = check_json(capsys, tmp_path)
    assert code == 1 and "papers[0].page_limit (id 'x')" in report["problems"][0]["message"]


def test_the_limit_column_shows_when_only_the_policy_differs():
    """A track that grants an extra camera-ready page but keeps the workshop's limit still judges its papers differently."""
    from enlsp_proceedings.pdf.check import CheckReport, PaperReport

    reports = [PaperReport("a", "a.pdf", 5, [], 4.5, 4.5, PageRules(4)),
               PaperReport("b", "b.pdf", 5, [], 4.5, 4.5, PageRules(4, PagePolicy(extra_camera_ready_pages=1)))]
    lines = format_text(CheckReport(reports)).splitlines()
    assert lines[0].split() == ["paper", "pdf", "pages", "content", "limit", "status"]
    assert lines[2].split()[4] == "4" and lines[3].split()[4] == "5"
    assert format_text(CheckReport(reports[:1])).splitlines()[0].split()[4] == "status"
