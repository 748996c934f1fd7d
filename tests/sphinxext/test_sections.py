"""An edition in progress: the section pages a volume has are those ``conf/`` has data for.

An organizer imports next year's accepted papers first and the program, keynotes and people later;
the site built in between has no empty Schedule, Keynote talks, Organizers or Call for papers page,
and nothing links one (menu, home buttons and cards, the series home). Fast: which pages each piece
of data brings, and that a page whose data is gone leaves the site. The built sites, links checked,
are in publish/test_edition_in_progress.py."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from docutils import nodes

from enlsp_proceedings.cli import main
from enlsp_proceedings.model.load import load_proceedings
from enlsp_proceedings.outputs.volume import Volume
from enlsp_proceedings.pdf.check import missing_sections
from enlsp_proceedings.publish.sources import remove_stale_pages, source_pages
from enlsp_proceedings.sphinxext.pages import home, paper_list
from enlsp_proceedings.sphinxext.pages.common import SECTIONS, Page
from links import broken_links
from synthetic import SynthPaper, workshop_yaml, write_workshop

PAPERS = [SynthPaper("alpha", "Quantizing Tiny Models", [{"name": "Priya Raman"}], "We quantize.", presentation="oral")]
KEYNOTE = {"id": "kay", "title": "Efficient Everything", "speaker": {"name": "Kay Note"}}
SLOT = {"start": "09:00", "end": "09:10", "title": "Opening", "kind": "opening"}


def _volume(root: Path, files: dict[str, dict] | None = None, dates: bool = False) -> Volume:
    """A volume of one paper, plus these conf/ files (name -> YAML data) and the important dates."""
    conf, _papers = write_workshop(root, PAPERS, workshop=workshop_yaml() if dates else workshop_yaml(important_dates=[]), make_pdfs=False)
    for name, data in (files or {}).items():
        (conf / name).write_text(yaml.safe_dump(data), encoding="utf-8")
    return Volume(load_proceedings(conf), {})


def _buttons(volume: Volume) -> list[str]:
    """The targets of the home page's hero buttons."""
    [body] = home.render(Page("index"), home.shows(volume))
    [hero] = [n for n in body.findall(nodes.Element) if "enlsp-hero-buttons" in n["classes"]]
    return [n["refuri"] for n in hero.findall(nodes.Element) if "refuri" in n]


def test_an_edition_with_its_papers_only_has_their_list_and_its_authors(tmp_path):
    volume = _volume(tmp_path)
    assert home.sections(volume) == ["papers/index", "authors/index"]
    pages = source_pages(volume)
    assert not {"schedule", "keynotes/index", "people", "cfp", "panel"} & pages.keys()
    assert "```{toctree}\n:hidden:\n\npapers/index\nauthors/index\n```" in pages["index"]  # the menu
    assert _buttons(volume) == ["papers/index.html"]


def test_check_says_which_section_pages_the_site_does_not_have_yet_and_what_brings_them(tmp_path, capsys):
    """An organizer who imported the accepted papers only sees, in `check`, what is still to import
    (not a problem: no count, no failure); one who has everything sees nothing of it."""
    conf, papers = write_workshop(tmp_path, PAPERS, workshop=workshop_yaml(important_dates=[]))
    args = ["check", "--conf", str(conf), "--papers", str(papers), "--cache", str(tmp_path / "cache")]
    assert main(args) == 0
    out = capsys.readouterr().out
    block = out[out.index("not on the site yet"):].split("\n\n")[0].splitlines()
    assert block == ["not on the site yet, for want of data (import-program writes the program, keynotes, panel and people from the organizers' files):",
                     "    Keynote talks: no keynote or invited speaker (keynotes.yaml)",
                     "    Schedule: no program (schedule.yaml)",
                     "    Organizers and committee: no organizer, volunteer or committee member (people.yaml), no panel (panel.yaml)",
                     "    Call for papers: no call for papers (cfp.yaml), no important dates (workshop.yaml)"]
    assert out.rstrip().endswith("1 of 1 paper(s) ready; 0 error(s), 0 warning(s)")  # no note counted
    (conf / "schedule.yaml").write_text(yaml.safe_dump({"schedule": [SLOT]}), encoding="utf-8")
    (conf / "cfp.yaml").write_text(yaml.safe_dump({"intro": "Send us papers."}), encoding="utf-8")
    assert main([*args, "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert [(m["page"], m["label"]) for m in report["not_on_site"]] == [("keynotes/index", "Keynote talks"), ("people", "Organizers and committee")]
    (conf / "keynotes.yaml").write_text("keynotes: [{id: kay, title: Efficient Everything, speaker: {name: Kay Note}}", encoding="utf-8")
    assert main(args) == 1
    out = capsys.readouterr().out  # a file that cannot be read is an error, and nothing says its page is missing for want of data
    assert "keynotes.yaml" in out and "not on the site yet" not in out
    (conf / "keynotes.yaml").write_text(yaml.safe_dump({"keynotes": [KEYNOTE]}), encoding="utf-8")
    (conf / "people.yaml").write_text(yaml.safe_dump({"organizers": [{"name": "Olga Organizer"}]}), encoding="utf-8")
    assert main(args) == 0
    assert "not on the site yet" not in capsys.readouterr().out


def test_an_edition_before_its_accepted_papers_says_they_are_not_listed_yet(tmp_path):
    conf, _papers = write_workshop(tmp_path, [], workshop=workshop_yaml(important_dates=[]), make_pdfs=False)
    volume = Volume(load_proceedings(conf), {})
    assert home.sections(volume) == ["papers/index"]
    [body] = paper_list.render(Page("papers/index"), paper_list.shows(volume))
    assert body.astext() == "Accepted papers\n\nThe accepted papers of SYNTH-I are not listed here yet."  # no count, downloads or filters


@pytest.mark.parametrize(("files", "dates", "brings"), [
    ({"schedule.yaml": {"schedule": [SLOT]}}, False, ["schedule"]),
    ({"keynotes.yaml": {"keynotes": [KEYNOTE]}}, False, ["keynotes/index"]),
    ({"keynotes.yaml": {"keynotes": [KEYNOTE]}, "schedule.yaml": {"schedule": [SLOT, {"start": "09:10", "end": "09:50", "keynote": "kay"}]}}, False,
     ["keynotes/index", "schedule"]),
    ({"keynotes.yaml": {"keynotes": [], "invited_speakers_without_talk": [{"name": "Ada Invited"}]}}, False, ["keynotes/index"]),
    ({"people.yaml": {"organizers": [{"name": "Olga Organizer"}]}}, False, ["people"]),
    ({"people.yaml": {"technical_committee": [{"name": "Tara Reviewer"}]}}, False, ["people"]),
    ({"panel.yaml": {"panel": {"id": "p", "title": "Panel", "panelists": [{"name": "Pat Panelist"}]}}}, False, ["people"]),
    ({}, True, ["cfp"]),
    ({"cfp.yaml": {"intro": "Send us papers."}}, False, ["cfp"]),
], ids=["program", "keynote", "keynote in the program", "invited speaker", "organizer", "committee", "panel", "dates", "call"])
def test_each_piece_of_data_brings_its_section_page_and_its_links(tmp_path, files, dates, brings):
    volume = _volume(tmp_path, files, dates)
    assert [d for d in home.sections(volume) if d not in ("papers/index", "authors/index")] == brings
    assert set(brings) <= source_pages(volume).keys()
    assert _buttons(volume) == ["papers/index.html"] + [f"{d}.html" for d in ("schedule", "keynotes/index") if d in brings]
    # `check` lists the others as not on the site yet: the one rule of the pages
    assert [m.page for m in missing_sections(volume.proc)] == [d for d in SECTIONS if d not in home.sections(volume)]


def test_a_section_page_whose_data_is_gone_leaves_the_site_but_a_hand_written_page_stays(tmp_path):
    site, src = tmp_path / "site", tmp_path / "src"
    for page in ("index.html", "papers/index.html", "schedule.html", "people.html", "cfp.html", "panel.html", "keynotes/index.html",
                 "keynotes/kay.html", "search.html", "guide/index.html"):
        (site / page).parent.mkdir(parents=True, exist_ok=True)
        (site / page).write_text("<p>old</p>", encoding="utf-8")
    src.mkdir()
    (src / "cfp.md").write_text("# Our call, written by hand\n", encoding="utf-8")  # docs/cfp.md, now that none is generated
    remove_stale_pages(site, {"index", "papers/index"}, src)
    left = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    assert left == ["cfp.html", "guide/index.html", "index.html", "papers/index.html", "search.html"]
    assert not (site / "keynotes").exists()  # no keynote left: no empty folder either


def test_the_link_check_finds_missing_files_fragments_and_paths_above_the_root(tmp_path):
    """The check the built sites are held to (tests/links.py) fails where a reader's click would."""
    pages = {
        "index.html": '<a href="papers/index.html#alpha">a</a> <a href="https://x.org/nowhere">x</a> <img src="_static/logo.svg"> '
                      '<a href="#top" id="top">t</a> <a href="mailto:a@b.c">m</a>',
        "papers/index.html": '<p id="alpha"></p><a href="../index.html">home</a> <a href="../schedule.ics">ics</a> <a href="#beta">b</a>'
                             ' <a href="../../outside.html">o</a>',
        "2023/404.html": '<head><base href="/site/2023/"></head><a href="index.html">edition</a> <a href="papers/index.html">papers</a>',
        "2023/index.html": "",
    }
    for name, text in pages.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "_static").mkdir()
    (tmp_path / "_static" / "logo.svg").write_text("<svg/>", encoding="utf-8")
    assert sorted(broken_links(tmp_path)) == [
        ("2023/404.html", "papers/index.html", "no such file"),  # 2023/papers/index.html: the base is followed
        ("papers/index.html", "#beta", "no such fragment"),
        ("papers/index.html", "../../outside.html", "above the site's root"),
        ("papers/index.html", "../schedule.ics", "no such file"),
    ]
