"""``check`` on a series: every edition (or ``--edition``'s) against ``<papers>/<edition id>/``, every
problem line naming its edition, JSON version 3 with the edition per paper and problem, people
across editions (variants across years, ORCID merges), an unknown edition refused with the list.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from enlsp_proceedings.cli import main as cli_main
from synthetic import workshop_yaml

ORCID_A = "0000-0002-1825-0097"


def write(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def series(root: Path, people: dict | None = None) -> tuple[Path, Path]:
    """A two-edition series, 2031 and 2032, of one paper each (no PDFs: pdf-missing errors)."""
    conf = root / "conf"
    write(conf / "series.yaml", {"name": "Synthetic Workshop Series", "short_name": "SYNTH", "base_url": "https://example.org/synth/"})
    for year, paper, authors in ((2031, "p1", ["Tiago H Falk", "Wenhu Chen", "J. Smith"]), (2032, "q1", ["Tiago Falk", "Weizhu Chen", "Jane Smith"])):
        write(conf / str(year) / "workshop.yaml", workshop_yaml(year=year, date=f"{year}-12-05"))
        write(conf / str(year) / "papers.yaml", {"papers": [{"id": paper, "title": f"Paper {paper}", "abstract": "A.", "presentation": "poster",
                                                             "authors": [{"name": a, **({"orcid": ORCID_A} if "Smith" in a else {})} for a in authors]}]})
    if people is not None:
        write(conf / "people.yaml", people)
    (root / "papers").mkdir()
    return conf, root / "papers"


def check(capsys, conf: Path, papers: Path, out: Path, *more: str) -> tuple[int, str, str]:
    status = cli_main(["check", "--conf", str(conf), "--papers", str(papers), "--out", str(out), *more])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_a_series_checks_every_edition_and_each_problem_names_its_edition(tmp_path, capsys):
    conf, papers = series(tmp_path)
    status, out, _err = check(capsys, conf, papers, tmp_path / "html")
    assert status == 1  # no PDFs
    assert f"edition 2031 ({conf / '2031'}, {papers / '2031'})" in out and f"edition 2032 ({conf / '2032'}, {papers / '2032'})" in out
    assert "    [2031] error: no PDF" in out or "    [2031] error:" in out
    problem_lines = [line for line in out.splitlines() if line.startswith("    ") and ": " in line and line.rstrip().endswith("]")]
    assert problem_lines and all(line.startswith(("    [2031] ", "    [2032] ", "    [2031, 2032] ")) for line in problem_lines), problem_lines
    across = out[out.index("across editions:"):]
    assert ("[2031, 2032] warning: 'Tiago H Falk' (2031) and 'Tiago Falk' (2032) may be one person (names differ by one or two letters); "
            f"if so, list one as a variant of the other under 'aliases' in {conf / 'people.yaml'}") in across
    assert "[person-variant-across-editions]" in across and "'Wenhu Chen' (2031) and 'Weizhu Chen' (2032)" in across
    assert f"[2031, 2032] note: 'J. Smith' (2031); 'Jane Smith' (2032) are one person: they share the ORCID iD {ORCID_A} [person-orcid-merge]" in across
    assert out.rstrip().splitlines()[-1] == "series: 2 edition(s) checked; 0 of 2 paper(s) ready; 2 error(s), 2 warning(s), 1 note(s)"


def test_the_series_people_yaml_settles_variants_across_years(tmp_path, capsys):
    conf, papers = series(tmp_path, {"aliases": [{"name": "Tiago H. Falk", "variants": ["Tiago H Falk", "Tiago Falk"]}],
                                     "distinct": [["Wenhu Chen", "Weizhu Chen"]]})
    _status, out, _err = check(capsys, conf, papers, tmp_path / "html")
    assert "person-variant-across-editions" not in out


def test_check_edition_checks_only_that_edition(tmp_path, capsys):
    conf, papers = series(tmp_path)
    _status, out, _err = check(capsys, conf, papers, tmp_path / "html", "--edition", "2032")
    assert "edition 2032" in out and "edition 2031" not in out and "[2031] " not in out
    assert "person-variant-across-editions" in out  # it concerns 2032 too
    assert out.rstrip().splitlines()[-1].startswith("series: 1 edition(s) checked; 0 of 1 paper(s) ready; 1 error(s)")
    _status, both, _err = check(capsys, conf, papers, tmp_path / "html", "--edition", "2031", "--edition", "2032")
    assert "edition 2031" in both and "edition 2032" in both


def test_an_unknown_edition_is_an_error_listing_the_editions(tmp_path, capsys):
    conf, papers = series(tmp_path)
    status, out, err = check(capsys, conf, papers, tmp_path / "html", "--edition", "2030")
    assert status == 1 and out == ""
    assert err == f"error: no edition '2030' in {conf}; the series' editions are: 2031, 2032; nothing was checked\n"


def test_edition_on_a_single_workshop_is_an_error(tmp_path, capsys):
    conf, papers = series(tmp_path)
    status, _out, err = check(capsys, conf / "2031", papers / "2031", tmp_path / "html", "--edition", "2031")
    assert status == 1 and "--edition needs a series" in err and "Traceback" not in err


def test_json_carries_the_edition_of_every_paper_and_problem(tmp_path, capsys):
    conf, papers = series(tmp_path)
    _status, out, _err = check(capsys, conf, papers, tmp_path / "html", "--format", "json")
    report = json.loads(out)
    assert report["version"] == 3 and report["editions"] == ["2031", "2032"]
    assert [(p["id"], p["edition"]) for p in report["papers"]] == [("p1", "2031"), ("q1", "2032")]
    across = [p for p in report["problems"] if p["edition"] is None]
    assert {p["code"] for p in across} == {"person-variant-across-editions", "person-orcid-merge"}
    assert all(p["editions"] == ["2031", "2032"] for p in across)
    assert (report["errors"], report["warnings"], report["notes"]) == (2, 2, 1)


def test_a_single_workshop_report_is_unchanged(tmp_path, capsys):
    """Version 2, no edition anywhere: the series' fields appear only on a series."""
    conf, papers = series(tmp_path)
    _status, out, _err = check(capsys, conf / "2031", papers / "2031", tmp_path / "html", "--format", "json")
    report = json.loads(out)
    assert report["version"] == 2 and "editions" not in report and "edition" not in report["papers"][0]
    _status, text, _err = check(capsys, conf / "2031", papers / "2031", tmp_path / "html")
    assert "[2031]" not in text and "    error: " in text


def test_series_problems_name_file_and_line_and_the_editions_are_still_checked(tmp_path, capsys):
    conf, papers = series(tmp_path)
    (conf / "people.yaml").write_text(f"orcids:\n  - {{name: J. Smith, orcid: {ORCID_A}, editions: ['2030']}}\n", encoding="utf-8")
    (conf / "2032" / "papers.yaml").write_text("papers:\n  - {id: q1, title: T}\n", encoding="utf-8")
    status, out, err = check(capsys, conf, papers, tmp_path / "html")
    assert status == 1 and "Traceback" not in err
    assert (f"[series] error: {conf / 'people.yaml'}:2: orcids[0].editions[0]: unknown edition '2030'; the series' editions are: 2031, 2032 "
            "[person-orcid-edition]") in out
    assert f"[2032] error: {conf / '2032' / 'papers.yaml'}:2: papers[0].authors (id 'q1'): is required" in out
    assert "edition 2031" in out and "[2031] error:" in out


@pytest.mark.slow
def test_a_series_build_warns_of_what_check_finds_across_editions(tmp_path, capsys):
    """One pipeline: `build` prints the problems about people across editions that `check` lists
    (here two variants across years), with the same text; the ORCID merge, a note, it leaves to `check`."""
    conf, papers = series(tmp_path)
    _status, out, _err = check(capsys, conf, papers, tmp_path / "html")
    by_check = re.findall(r"^    \[2031, 2032\] warning: (.*\[person-variant-across-editions\])$", out, flags=re.M)
    assert len(by_check) == 2
    assert cli_main(["build", "--conf", str(conf), "--papers", str(papers), "--out", str(tmp_path / "html"), "-j", "1", "--quiet"]) == 0
    err = capsys.readouterr().err
    by_build = re.findall(r"^warning: editions 2031, 2032: (.*\[person-variant-across-editions\])$", err, flags=re.M)
    assert by_build == by_check
    assert "person-orcid-merge" not in err


def test_variants_across_editions_are_compared_once_for_the_same_names(tmp_path, monkeypatch):
    """The comparison of every spelling of every edition (seconds at 10 editions of 1,000 papers) is
    remembered in the cache for the same names: a rebuild does not pay it again; new names do."""
    from enlsp_proceedings.model import people as people_module
    from enlsp_proceedings.model.series import load_series
    from enlsp_proceedings.model.series_people import SeriesPeople

    conf, _papers = series(tmp_path)
    calls = []
    real = people_module.similar_name_pairs
    monkeypatch.setattr(people_module, "similar_name_pairs", lambda names: calls.append(len(names)) or real(names))

    def variants():
        loaded = load_series(conf)
        return [(v.a, v.b) for v in SeriesPeople([(e.id, e.proc) for e in loaded.editions], loaded.people).likely_variants(tmp_path / "cache")]

    first, second = variants(), variants()
    assert first == second == [("Tiago H Falk", "Tiago Falk"), ("Wenhu Chen", "Weizhu Chen")] and len(calls) == 1
    (tmp_path / "cache" / "name-pairs.json").write_text("{not json", encoding="utf-8")  # a broken memo is only a miss
    assert variants() == first and len(calls) == 2
    papers_file = conf / "2032" / "papers.yaml"
    papers_file.write_text(papers_file.read_text(encoding="utf-8").replace("Weizhu Chen", "Weizhu Chan"), encoding="utf-8")
    assert variants() == [("Tiago H Falk", "Tiago Falk")] and len(calls) == 3  # other names: compared again


def test_a_series_check_names_the_edition_whose_section_pages_are_not_on_the_site_yet(tmp_path, capsys):
    """Next year's edition, its papers imported, beside a complete one: only the new one is listed,
    each line naming it, its JSON entries too; nothing counted as a problem."""
    conf, papers = series(tmp_path)
    for name, data in (("schedule.yaml", {"schedule": [{"start": "09:00", "end": "09:10", "title": "Opening", "kind": "opening"}]}),
                       ("keynotes.yaml", {"keynotes": [{"id": "kay", "title": "Efficient Everything", "speaker": {"name": "Kay Note"}}]}),
                       ("people.yaml", {"organizers": [{"name": "Olga Organizer"}]})):
        write(conf / "2031" / name, data)
    write(conf / "2032" / "workshop.yaml", workshop_yaml(year=2032, date="2032-12-05", important_dates=[]))
    _status, out, _err = check(capsys, conf, papers, tmp_path / "html")
    block = out[out.index("not on the site yet"):].split("\n\n")[0].splitlines()[1:]
    assert block == ["    [2032] Keynote talks: no keynote or invited speaker (keynotes.yaml)",
                     "    [2032] Schedule: no program (schedule.yaml)",
                     "    [2032] Organizers and committee: no organizer, volunteer or committee member (people.yaml), no panel (panel.yaml)",
                     "    [2032] Call for papers: no call for papers (cfp.yaml), no important dates (workshop.yaml)"]
    assert out.count("not on the site yet") == 1
    assert out.rstrip().splitlines()[-1].endswith("2 error(s), 2 warning(s), 1 note(s)")  # as without the new lines
    _status, out, _err = check(capsys, conf, papers, tmp_path / "html", "--format", "json")
    report = json.loads(out)
    assert [(m["edition"], m["page"]) for m in report["not_on_site"]] == [("2032", "keynotes/index"), ("2032", "schedule"), ("2032", "people"),
                                                                         ("2032", "cfp")]
