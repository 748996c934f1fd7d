"""import-program: the program and the people from the files organizers already keep.

Synthetic inputs for every case the real files have (and a few they lack): a Jekyll ``_data``
folder in ENLSP's shape, the same program as a spreadsheet (CSV and XLSX), broken times,
spotlights named by title, poster sessions by "Paper IDs", HTML fragments, "Name (Affiliation)"
committees, and re-imports over files the organizer edited. The real ENLSP-II and ENLSP-III
files are in test_import_program_real.py.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from enlsp_proceedings.cli import main
from enlsp_proceedings.importers.program_map import bio_spellings, event_kind, paper_numbers
from enlsp_proceedings.importers.program_text import TimeError, html_text, is_placeholder, parse_times, person_entry
from enlsp_proceedings.model.load import load_proceedings
from synthetic import workshop_yaml


def run(*args) -> int:
    return main([str(a) for a in args])


PAPERS = [
    {"id": "cmt-3", "review_id": "cmt:3", "title": "MatFormer: Nested Transformer for Elastic Inference",
     "authors": [{"name": "Fnu Devvrit"}, {"name": "Sneha Kudugunta"}], "abstract": "A.", "presentation": "poster"},
    {"id": "tiny-asr", "review_id": "cmt:7", "title": "Tiny Speech Recognisers",
     "authors": [{"name": "Amara Okafor"}], "abstract": "B.", "presentation": "spotlight"},
    {"id": "cmt-12", "review_id": "cmt:12", "title": "Edge Translation", "authors": [{"name": "Dana Ruiz"}], "abstract": "C.",
     "presentation": "poster"},
    {"id": "cmt-40", "review_id": "cmt:40", "title": "Late Paper", "authors": [{"name": "Eve Stone"}], "abstract": "D.",
     "presentation": "poster"},
]

SCHEDULE = """\
- Title: Breakfast
  Time: 8:15M - 8:20AM
  Whole_line: true

- Title: Opening Speech
  Time: 8:15AM - 8:20AM
  Whole_line: true

- Title: (<b>KeyNote Talk</b>) Two Views of Efficiency
  Time: 8:20AM - 9:00AM
  Presenter: Fatima Zahra <br> Gus Novak
  Is_paper: false
  Whole_line: false
  Bio: <b>Fatima Zahra</b> leads Lab F. <br> <br> <b>Gus</b> is a scientist at Lab G &amp; friends.
  Abstract: Two views, one <i>talk</i>.

- Title: (<b>Spotlight 1</b>) MatFormer:Nested Transformer for Elastic Inference
  Time: 9:00AM - 9:06AM
  Presenter: Fnu Devvrit
  Is_paper: true
  Whole_line: false
  Authors: Fnu Devvrit · Sneha Kudugunta
  Abstract: TBD

- Title: (<b>Spotlight 2</b>) TINY speech-recognisers
  Time: 11:42AM - 11:48PM
  Presenter: Amara Okafor
  Is_paper: true
  Whole_line: false

- Title: (<b>KeyNote Talk</b>) Scaling Down
  Time: 11:48AM - 12:30PM
  Presenter: Luke Zettelmoyer
  Is_paper: false
  Whole_line: false
  Bio: Luke Zettlemoyer is a professor.
  Abstract: TBD

- Title: <b>Poster Session I </b> (Paper IDs:# 1-20)
  Time: 1:00PM - 2:00PM
  Whole_line: true

- Title: <b>Interactive Panel Discussion</b>
  Time: 2:00PM-2:50PM
  Presenter: <ul><li>Nazneen Rajani</li><li>Minjia Zhang</li></ul>
  Is_paper: false
  Whole_line: false

- Title: Best Paper and Poster Awards
  Time: 2:50PM - 3:00PM
  Whole_line: true
"""

SPEAKERS = """\
- num_row: 1
  speakers:
    - name: Fatima Zahra
      title: Prof.
      affiliation: Lab F
      photo: f.jpg
    - name: Gus Novak
      title: Dr.
      affiliation: Lab G
    - name: Luke Zettelmoyer
      title: Prof.
      affiliation: University of Washington
    - name: Kim Lee
      title: Dr.
      affiliation: Lab K
"""

PANELISTS = """\
- num_row: 1
  speakers:
    - title: Dr.
      name: Minjia Zhang
      affiliation: Microsoft / Deepspeed
    - title: Dr.
      name: Nazneen Rajani
      affiliation: Huggingface
"""

ORGANIZERS = """\
- num_row: 0
  organizers:
    - name: Mehdi Rezagholizadeh
      affiliation: Huawei Noah's Ark Lab
      scholar_link: https://scholar.google.com/citations?user=X
      linkedin_link: https://www.linkedin.com/in/x/
    - name: Yes
      affiliation: 'null'
"""

COMMITTEE = """\
- Dan Alistarh (Institute of Science and Technology Austria)
- Bang Liu (University of Montreal (UdM))
- Tiago Falk(INRS University)
- Boxing Chen
- Yue Dong (University of California, Riverside)"""

NAVIGATION = """\
- title: Home
  url: /index.html
- title: ENLSP2022
  url: https://neurips2022-enlsp.github.io/
"""


def make_data(root: Path, **replace: str) -> Path:
    """A Jekyll _data folder in ENLSP's shape (``replace`` swaps a file's text)."""
    data = root / "site" / "_data"
    data.mkdir(parents=True, exist_ok=True)
    files = {"schedule": SCHEDULE, "speakers": SPEAKERS, "panelists": PANELISTS, "organizers": ORGANIZERS,
             "technical_committee": COMMITTEE, "navigation": NAVIGATION} | replace
    for name, text in files.items():
        (data / f"{name}.yml").write_text(text, encoding="utf-8")
    return data


def make_conf(root: Path, papers: list[dict] | None = None, **workshop) -> Path:
    conf = root / "conf"
    conf.mkdir(parents=True, exist_ok=True)
    (conf / "workshop.yaml").write_text(yaml.safe_dump(workshop_yaml(**workshop), sort_keys=False), encoding="utf-8")
    (conf / "papers.yaml").write_text(yaml.safe_dump({"papers": PAPERS if papers is None else papers}, sort_keys=False), encoding="utf-8")
    return conf


def conf_data(conf: Path, name: str):
    return yaml.safe_load((conf / name).read_text(encoding="utf-8"))


# -- the text rules ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "start", "end"), [
    ("8:15AM - 8:20AM", "08:15", "08:20"),
    ("2:30PM-3:00PM", "14:30", "15:00"),
    ("03:00PM - 03:20PM", "15:00", "15:20"),
    ("11:54AM - 12:00PM", "11:54", "12:00"),
    ("12:00PM - 1:00PM", "12:00", "13:00"),
    ("9 a.m. to 10:15 a.m.", "09:00", "10:15"),
    ("08:30 – 09:15", "08:30", "09:15"),
])
def test_times_12_and_24_hour(text, start, end):
    times = parse_times(text)
    assert (times.start, times.end, times.defect) == (start, end, None)


def test_broken_times_are_settled_only_by_the_documented_rules_and_say_so():
    missing = parse_times("8:15M - 8:20AM")
    assert (missing.start, missing.end) == ("08:15", "08:20")
    assert "'8:15M' has a malformed AM/PM" in missing.defect and "the other end's" in missing.rule
    slip = parse_times("11:42AM - 11:48PM")
    assert (slip.start, slip.end) == ("11:42", "11:48")
    assert "12 hours" in slip.defect and "the end '11:48PM' read as AM" in slip.rule
    backwards = parse_times("10:00PM - 10:30AM")
    assert (backwards.start, backwards.end) == ("22:00", "22:30") and "ends before it starts" in backwards.defect
    assert parse_times("11:30 - 12:30PM").rule == "'11:30' read as AM"
    for hopeless in ("11:30PM - 12:00AM", "noon - 1PM", "25:00 - 26:00", "13:00PM - 2:00PM", "9:00AM", "10:00 - 10:00"):
        with pytest.raises(TimeError):
            parse_times(hopeless)


def test_html_fragments_become_text_and_what_they_lose_is_said():
    bio = html_text('<b>Samy</b> is &amp; was. <br> <br> <B>Tatiana</B> is <a href="https://x.org/t">here</a>.<img src="t.png">')
    assert bio.text == "Samy is & was.\n\nTatiana is here."
    assert bio.lost == ["the link to https://x.org/t", "an image (t.png)"]
    assert html_text("<ul><li>Nazneen Rajani</li><li>Minjia Zhang</li></ul>").items == ["Nazneen Rajani", "Minjia Zhang"]
    assert html_text("Samy Bengio <br/> Tatiana Likhomanenko").items == ["Samy Bengio", "Tatiana Likhomanenko"]
    kept = html_text("if a<b and c>d then p<0.05 <script>x</script>")
    assert kept.text == "if a<b and c>d then p<0.05 <script>x</script>"  # not formatting: text, never markup, and reported
    assert any("<script>" in lost for lost in kept.lost)
    controls = html_text("a\x00b\x0bc\x85d\te")
    assert (controls.text, controls.lost) == ("a b c d e", ["3 control character(s)"])  # no output can show them: blanked, and said


def test_name_affiliation_entries():
    assert (person_entry("Bang Liu (University of Montreal (UdM))").name, person_entry("Bang Liu (University of Montreal (UdM))").affiliation) \
        == ("Bang Liu", "University of Montreal (UdM)")
    falk = person_entry("Tiago Falk(INRS University)")
    assert (falk.name, falk.affiliation, falk.oddity) == ("Tiago Falk", "INRS University", "no space before '('")
    dong = person_entry("Yue Dong (University of California, Riverside)")
    assert dong.affiliation == "University of California, Riverside"
    dr = person_entry("Dr. Lu Hou (Huawei)")
    assert (dr.honorific, dr.name) == ("Dr.", "Lu Hou")
    assert person_entry("Boxing Chen").affiliation is None
    assert person_entry("X (Lab").problem and person_entry("(Lab)").problem and person_entry("A (B) C").problem


def test_placeholders_kinds_paper_ids_and_bio_spellings():
    assert is_placeholder("TBD ") and is_placeholder("To be announced.") and not is_placeholder("TBDCode datasets")
    assert [event_kind(t) for t in ("Breakfast", "Opening Speech", "Morning Break and Poster Setup", "Lunch Break",
                                     "Best Paper and Poster Awards", "Best Paper and Poster Award & Closing", "Poster Session II",
                                     "Lunch Break and Virtual Poster Session", "Group photo")] \
        == ["meal", "opening", "break", "meal", "award", "closing", "poster-session", "poster-session", "other"]
    assert paper_numbers("Poster Session I (Paper IDs:# 1-45)") == (list(range(1, 46)), "Poster Session I")
    assert paper_numbers("Posters, paper ids 3, 5 to 7") == ([3, 5, 6, 7], "Posters")
    assert paper_numbers("Poster Session") is None
    assert bio_spellings("Luke Zettelmoyer", "Luke Zettlemoyer is a professor.") == ["Luke Zettlemoyer"]
    assert bio_spellings("You Yang", "Yang You is a professor. Yang You's work") == ["Yang You"]
    assert bio_spellings("Lu Hou", "Dr. Lu HOU is a researcher.") == []
    assert bio_spellings("Tatiana Likhomanenko", "Tatiana is a scientist.") == []


# -- a Jekyll _data folder ----------------------------------------------------------------------------------


def test_jekyll_data_folder_is_imported_with_sources(tmp_path, capsys):
    data, conf = make_data(tmp_path), make_conf(tmp_path)
    assert run("import-program", data, "--conf", conf, "--fix-times") == 0
    out = capsys.readouterr().out
    proc = load_proceedings(conf)  # what build and check read

    duo = proc.keynote("fatima-zahra-gus-novak")
    assert [(p.name, p.honorific, p.affiliation) for p in duo.speakers] == [("Fatima Zahra", "Prof.", "Lab F"), ("Gus Novak", "Dr.", "Lab G")]
    assert duo.bio == "Fatima Zahra leads Lab F.\n\nGus is a scientist at Lab G & friends."  # one paragraph per speaker
    assert duo.abstract == "Two views, one talk."
    luke = proc.keynote("luke-zettelmoyer")
    assert luke.abstract == "" and luke.speakers[0].affiliation == "University of Washington"

    slots = [(s.start, s.end, s.target or (s.kind, s.title)) for s in proc.schedule]
    assert slots == [
        ("08:15", "08:20", ("meal", "Breakfast")),
        ("08:15", "08:20", ("opening", "Opening Speech")),
        ("08:20", "09:00", ("keynote", "fatima-zahra-gus-novak")),
        ("09:00", "09:06", ("paper", "cmt-3")),  # "MatFormer:Nested" matched "MatFormer: Nested"
        ("11:42", "11:48", ("paper", "tiny-asr")),
        ("11:48", "12:30", ("keynote", "luke-zettelmoyer")),
        ("13:00", "14:00", ("poster-session", "Poster Session I")),
        ("14:00", "14:50", ("panel", "interactive-panel-discussion")),
        ("14:50", "15:00", ("award", "Best Paper and Poster Awards")),
    ]
    assert proc.schedule[6].papers == ["cmt-3", "tiny-asr", "cmt-12"]  # numbers 1-20 that are accepted papers
    assert [(p.name, p.affiliation) for p in proc.panel.panelists] == [("Minjia Zhang", "Microsoft / Deepspeed"), ("Nazneen Rajani", "Huggingface")]
    assert [p.name for p in proc.invited_speakers_without_talk] == ["Kim Lee"]
    assert [(p.name, p.affiliation) for p in proc.people.technical_committee] == [
        ("Dan Alistarh", "Institute of Science and Technology Austria"), ("Bang Liu", "University of Montreal (UdM)"),
        ("Tiago Falk", "INRS University"), ("Boxing Chen", None), ("Yue Dong", "University of California, Riverside")]
    assert [(p.name, p.affiliation, p.url) for p in proc.people.organizers] == [
        ("Mehdi Rezagholizadeh", "Huawei Noah's Ark Lab", "https://scholar.google.com/citations?user=X"), ("Yes", "null", None)]

    # every written fact says where it came from; no markup survives
    keynotes = (conf / "keynotes.yaml").read_text(encoding="utf-8")
    assert "# source: schedule.yml:9 (title, speakers, bio, abstract); speakers.yml:3, speakers.yml:7 (honorific, affiliation)" in keynotes
    schedule = (conf / "schedule.yaml").read_text(encoding="utf-8")
    assert "source: schedule.yml:1; time '8:15M - 8:20AM'" in schedule and "source: schedule.yml:31" in schedule
    assert "# technical_committee.yml:3" in (conf / "people.yaml").read_text(encoding="utf-8")
    for name in ("keynotes.yaml", "schedule.yaml", "panel.yaml", "people.yaml"):
        assert "<b>" not in (conf / name).read_text(encoding="utf-8") and "&amp;" not in (conf / name).read_text(encoding="utf-8")

    # the report: every reading, settlement and loss with its file and line
    sched = data / "schedule.yml"
    for line in (
        f"warning: {sched}:2: time '8:15M - 8:20AM': '8:15M' has a malformed AM/PM; read as 08:15–08:20",
        f"warning: {sched}:26: time '11:42AM - 11:48PM': 11:42–23:48 lasts 12 hours or more; read as 11:42–11:48",
        f"warning: {sched}:33: speaker 'Luke Zettelmoyer', but the bio (schedule.yml:36) writes 'Luke Zettlemoyer'",
        f"note: {sched}:37: keynote luke-zettelmoyer: abstract 'TBD' is a placeholder; left empty",
        f"note: {data / 'technical_committee.yml'}:3: committee entry 'Tiago Falk(INRS University)' (no space before '(')",
        f"note: {data / 'navigation.yml'}:3: link 'ENLSP2022' -> https://neurips2022-enlsp.github.io/ not imported",
        f"note: {data / 'speakers.yml'}: field 'photo' of 1 speaker(s) not imported",
        f"note: {data / 'organizers.yml'}: field 'linkedin_link' of 1 organizer(s) not imported",
        f"note: {data / 'speakers.yml'}:13: speaker 'Kim Lee' gives no talk in the schedule",
        "13:00–14:00  poster-session 'Poster Session I': 3 papers (Paper IDs 1–20; no accepted paper has 17 of the numbers: 1–2, 4–6, 8–11, 13–20)",
        "cmt-3 (schedule.yml:17: Spotlight 1; papers.yaml: poster)",
        "the abstracts of paper talks are not imported: papers.yaml holds each paper's abstract (schedule.yml:23)",
        "1 of the 4 accepted papers are in no slot (no talk, no poster session), so their pages give no time: cmt-40",
        "wrote 4 file(s); 0 error(s)",
    ):
        assert line in out, line
    assert "tiny-asr (schedule" not in out  # already a spotlight in papers.yaml: nothing to say


def test_broken_times_stop_the_import_unless_fix_times(tmp_path, capsys):
    data, conf = make_data(tmp_path), make_conf(tmp_path)
    assert run("import-program", data, "--conf", conf) == 1
    captured = capsys.readouterr()
    errors = [line for line in captured.out.splitlines() if line.startswith("error:")]
    assert errors == [
        f"error: {data / 'schedule.yml'}:2: time '8:15M - 8:20AM': '8:15M' has a malformed AM/PM; read as 08:15–08:20 "
        "('8:15M' read as AM (the other end's)) with --fix-times; or correct it in the file",
        f"error: {data / 'schedule.yml'}:26: time '11:42AM - 11:48PM': 11:42–23:48 lasts 12 hours or more; read as 11:42–11:48 "
        "(a 12-hour slip: the end '11:48PM' read as AM) with --fix-times; or correct it in the file",
    ]
    assert "nothing was written" in captured.err
    assert sorted(p.name for p in conf.iterdir()) == ["papers.yaml", "workshop.yaml"]


def test_a_settled_time_that_does_not_fit_its_neighbours_stays_an_error(tmp_path, capsys):
    schedule = SCHEDULE.replace("Time: 11:42AM - 11:48PM", "Time: 11:42PM - 11:48AM")  # read as 23:42-23:48, after the 11:48 slot
    data, conf = make_data(tmp_path, schedule=schedule), make_conf(tmp_path)
    assert run("import-program", data, "--conf", conf, "--fix-times") == 1
    assert f"error: {data / 'schedule.yml'}:26: time '11:42PM - 11:48AM': read as 23:42–23:48, it does not fit" in capsys.readouterr().out


def test_papers_named_by_a_title_no_paper_has_or_several_have_stop_the_import(tmp_path, capsys):
    schedule = SCHEDULE.replace("(<b>Spotlight 1</b>) MatFormer:Nested Transformer for Elastic Inference",
                                "'(<b>Spotlight 1</b>) MatFormer: Nested Transformers for Inference'")
    twins = [*PAPERS, {**PAPERS[1], "id": "tiny-asr-2", "review_id": "cmt:8"}]
    data, conf = make_data(tmp_path, schedule=schedule), make_conf(tmp_path, twins)
    assert run("import-program", data, "--conf", conf, "--fix-times") == 1
    out = capsys.readouterr().out
    assert (f"error: {data / 'schedule.yml'}:17: paper 'MatFormer: Nested Transformers for Inference': no paper of papers.yaml has this "
            "title (case, accents, spaces and punctuation ignored); the closest is cmt-3 'MatFormer: Nested Transformer for Elastic Inference'") in out
    assert f"error: {data / 'schedule.yml'}:25: paper 'TINY speech-recognisers': 2 papers of papers.yaml have this title (tiny-asr, tiny-asr-2)" in out
    assert not (conf / "schedule.yaml").exists()


def test_poster_sessions_need_review_ids(tmp_path, capsys):
    bare = [{k: v for k, v in p.items() if k != "review_id"} for p in PAPERS]
    data, conf = make_data(tmp_path), make_conf(tmp_path, bare)
    assert run("import-program", data, "--conf", conf, "--fix-times") == 1
    assert "'Poster Session I (Paper IDs:# 1-20)': no paper of papers.yaml has a review_id (cmt:<number>)" in capsys.readouterr().out


def test_names_spelled_differently_between_files_are_reported_not_merged(tmp_path, capsys):
    speakers = SPEAKERS.replace("name: Gus Novak", "name: Gus Nowak")
    data, conf = make_data(tmp_path, speakers=speakers), make_conf(tmp_path)
    assert run("import-program", data, "--conf", conf, "--fix-times") == 0
    out = capsys.readouterr().out
    assert f"warning: {data / 'schedule.yml'}:11: speaker 'Gus Novak' is spelled 'Gus Nowak' in speakers.yml:7; not merged" in out
    gus = load_proceedings(conf).keynote("fatima-zahra-gus-novak").speakers[1]
    assert (gus.name, gus.honorific, gus.affiliation) == ("Gus Novak", None, None)
    assert "Gus Nowak' gives no talk" not in out


def test_unreadable_inputs_are_clear_errors(tmp_path, capsys):
    conf = make_conf(tmp_path)
    assert run("import-program", tmp_path / "nowhere", "--conf", conf) == 1
    assert "no such file or folder" in capsys.readouterr().err
    odd = tmp_path / "agenda.yml"
    odd.write_text("- Title: x\n", encoding="utf-8")
    assert run("import-program", odd, "--conf", conf) == 1
    assert "cannot tell what it holds from its name" in capsys.readouterr().err
    assert run("import-program", "--schedule", odd, "--conf", conf) == 1  # read as a schedule: no Time
    assert f"error: {odd}:1: 'x' has no Time; not imported" in capsys.readouterr().out
    bad = tmp_path / "bad" / "schedule.yml"
    bad.parent.mkdir()
    bad.write_text("- Title: a: b: c\n  Time: 9AM-10AM\n", encoding="utf-8")
    assert run("import-program", bad, "--conf", conf) == 1
    assert f"{bad}:1: not readable YAML" in capsys.readouterr().err
    speakers = tmp_path / "speakers.yml"
    speakers.write_text(SPEAKERS, encoding="utf-8")
    assert run("import-program", speakers, "--conf", conf) == 1
    assert "are matched to the talks of a schedule; give the schedule too" in capsys.readouterr().err
    committee = tmp_path / "technical_committee.yml"
    committee.write_text("- Ann Lee (Lab A\n- Bo Chan (Lab B)\n", encoding="utf-8")
    assert run("import-program", committee, "--conf", conf) == 1
    assert f"error: {committee}:1: committee entry 'Ann Lee (Lab A': its parentheses do not pair up" in capsys.readouterr().out
    assert not (conf / "people.yaml").exists()


def test_hostile_text_reads_back_as_written(tmp_path):
    schedule = ('- Title: "(Invited talk) Yes: {a}, [b] # not a comment"\n  Time: 9:00AM - 9:30AM\n'
                '  Presenter: "null (2022-12-02)"\n  Bio: "~"\n  Abstract: "0x10 \\u201cquoted\\u201d"\n'
                "- Title: 'Off'\n  Time: 9:30AM - 9:40AM\n")
    conf = make_conf(tmp_path)
    source = tmp_path / "schedule.yml"
    source.write_text(schedule, encoding="utf-8")
    assert run("import-program", source, "--conf", conf) == 0
    proc = load_proceedings(conf)
    talk = proc.keynotes[0]
    assert (talk.title, talk.speakers[0].name, talk.speakers[0].affiliation, talk.bio, talk.abstract) == \
        ("Yes: {a}, [b] # not a comment", "null", "2022-12-02", "~", "0x10 “quoted”")
    assert (proc.schedule[1].title, proc.schedule[1].kind) == ("Off", "other")


# -- re-importing ---------------------------------------------------------------------------------------------


def test_reimport_rewrites_nothing_when_nothing_changed(tmp_path, capsys):
    data, conf = make_data(tmp_path), make_conf(tmp_path)
    assert run("import-program", data, "--conf", conf, "--fix-times") == 0
    stamps = {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in conf.iterdir()}
    os.utime(conf / "schedule.yaml", ns=(1, 1))  # an unchanged file must not even be replaced
    stamps["schedule.yaml"] = (1, stamps["schedule.yaml"][1])
    assert run("import-program", data, "--conf", conf, "--fix-times") == 0
    out = capsys.readouterr().out
    assert {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in conf.iterdir()} == stamps
    assert out.count("unchanged ") == 4 and "wrote 0 file(s)" in out


def test_reimport_updates_files_nobody_edited_and_lists_the_changes(tmp_path, capsys):
    data, conf = make_data(tmp_path), make_conf(tmp_path)
    assert run("import-program", data, "--conf", conf, "--fix-times") == 0
    make_data(tmp_path, schedule=SCHEDULE.replace("Two Views of Efficiency", "Three Views of Efficiency"))
    assert run("import-program", data, "--conf", conf, "--fix-times") == 0
    out = capsys.readouterr().out
    assert "updated   " + str(conf / "keynotes.yaml") in out
    assert "    - keynotes[fatima-zahra-gus-novak].title: 'Two Views of Efficiency' -> 'Three Views of Efficiency'" in out
    assert load_proceedings(conf).keynotes[0].title == "Three Views of Efficiency"


def test_reimport_never_overwrites_hand_edits_without_force(tmp_path, capsys):
    data, conf = make_data(tmp_path), make_conf(tmp_path)
    assert run("import-program", data, "--conf", conf, "--fix-times") == 0
    schedule = conf / "schedule.yaml"
    edited = schedule.read_text(encoding="utf-8").replace("title: Breakfast, kind: meal", "title: Breakfast, kind: break")
    schedule.write_text(edited, encoding="utf-8")
    people = conf / "people.yaml"
    people.write_text(people.read_text(encoding="utf-8").replace("Tiago Falk", "Tiago H. Falk")
                      + "# my volunteers\nvolunteers: [{name: Khalil Bibi}]\naliases:\n  - {name: Tiago H. Falk, variants: [Tiago Falk]}\n",
                      encoding="utf-8")
    people_text = people.read_text(encoding="utf-8")
    capsys.readouterr()
    assert run("import-program", data, "--conf", conf, "--fix-times") == 1
    out = capsys.readouterr().out
    assert f"error: {schedule}: has edits of its own since the last import" in out
    assert "    - schedule[Breakfast].kind: 'break' -> 'meal'" in out
    assert "    - technical_committee[Tiago H. Falk -> Tiago Falk].name: 'Tiago H. Falk' -> 'Tiago Falk'" in out
    assert schedule.read_text(encoding="utf-8") == edited and people.read_text(encoding="utf-8") == people_text

    # a re-import after a source change, without --force: still nothing written
    assert run("import-program", data, "--conf", conf, "--fix-times", "--dry-run") == 1
    assert schedule.read_text(encoding="utf-8") == edited

    assert run("import-program", data, "--conf", conf, "--fix-times", "--force") == 0
    out = capsys.readouterr().out
    assert f"replaced  {schedule}" in out
    proc = load_proceedings(conf)
    assert proc.schedule[0].kind == "meal"
    assert [p.name for p in proc.people.volunteers] == ["Khalil Bibi"]  # the organizer's part of people.yaml stays
    assert proc.people.aliases[0].name == "Tiago H. Falk"
    assert "# my volunteers" in people.read_text(encoding="utf-8")


def test_editing_only_the_organizers_own_part_of_people_yaml_is_no_hand_edit(tmp_path, capsys):
    data, conf = make_data(tmp_path), make_conf(tmp_path)
    assert run("import-program", data, "--conf", conf, "--fix-times") == 0
    people = conf / "people.yaml"
    people.write_text(people.read_text(encoding="utf-8") + "distinct:\n  - [Bang Liu, Yang Liu]\n", encoding="utf-8")
    make_data(tmp_path, technical_committee=COMMITTEE + "\n- Ann Lee (Lab A)\n")
    assert run("import-program", data, "--conf", conf, "--fix-times") == 0
    out = capsys.readouterr().out
    assert f"updated   {people}" in out and "    - technical_committee[Ann Lee]: added" in out
    proc = load_proceedings(conf)
    assert proc.people.technical_committee[-1].name == "Ann Lee" and proc.people.distinct == [["Bang Liu", "Yang Liu"]]


def test_deleting_an_imported_part_of_people_yaml_is_a_hand_edit(tmp_path, capsys):
    data, conf = make_data(tmp_path), make_conf(tmp_path)
    assert run("import-program", data, "--conf", conf, "--fix-times") == 0
    people = conf / "people.yaml"
    text = people.read_text(encoding="utf-8")
    without = text[:text.index("technical_committee:")]
    people.write_text(without, encoding="utf-8")
    assert run("import-program", data, "--conf", conf, "--fix-times") == 1
    assert f"error: {people}: has edits of its own" in capsys.readouterr().out
    assert people.read_text(encoding="utf-8") == without


def test_a_hand_written_file_with_the_same_data_is_kept_as_written(tmp_path, capsys):
    data, conf = make_data(tmp_path), make_conf(tmp_path)
    panel = ("# written by hand\npanel:\n  id: interactive-panel-discussion\n  title: Interactive Panel Discussion\n"
             "  panelists:\n    - name: Minjia Zhang\n      honorific: Dr.\n      affiliation: Microsoft / Deepspeed\n"
             "    - {name: Nazneen Rajani, honorific: Dr., affiliation: Huggingface}\n")
    (conf / "panel.yaml").write_text(panel, encoding="utf-8")
    assert run("import-program", data, "--conf", conf, "--fix-times") == 0
    assert f"unchanged {conf / 'panel.yaml'}" in capsys.readouterr().out
    assert (conf / "panel.yaml").read_text(encoding="utf-8") == panel


def test_a_panel_the_schedule_no_longer_has_is_left_and_said(tmp_path, capsys):
    data, conf = make_data(tmp_path), make_conf(tmp_path)
    assert run("import-program", data, "--conf", conf, "--fix-times") == 0
    panel = (conf / "panel.yaml").read_bytes()
    make_data(tmp_path, schedule=SCHEDULE.replace("<b>Interactive Panel Discussion</b>", "(Invited talk) A Talk Instead"))
    assert run("import-program", data, "--conf", conf, "--fix-times") == 0
    out = capsys.readouterr().out
    assert f"note: {conf / 'panel.yaml'}: the schedule has no panel; this file is left as it is" in out
    assert f"warning: {data / 'panelists.yml'}: 2 panelist(s) but the schedule has no panel" in out
    assert (conf / "panel.yaml").read_bytes() == panel


def test_dry_run_writes_nothing(tmp_path, capsys):
    data, conf = make_data(tmp_path), make_conf(tmp_path)
    assert run("import-program", data, "--conf", conf, "--fix-times", "--dry-run") == 0
    assert "dry run: would write 4 file(s)" in capsys.readouterr().out
    assert sorted(p.name for p in conf.iterdir()) == ["papers.yaml", "workshop.yaml"]


def test_a_symlinked_conf_file_is_written_through(tmp_path):
    data, conf = make_data(tmp_path), make_conf(tmp_path)
    real = tmp_path / "elsewhere.yaml"
    real.write_text("panel: {id: p, title: Old}\n", encoding="utf-8")
    (conf / "panel.yaml").symlink_to(real)
    assert run("import-program", data, "--conf", conf, "--fix-times", "--force") == 0
    assert (conf / "panel.yaml").is_symlink() and "interactive-panel-discussion" in real.read_text(encoding="utf-8")


# -- a spreadsheet -----------------------------------------------------------------------------------------------

SHEET = [
    ["ENLSP 2031 program (exported)"],
    ["Date", "Start", "End", "Kind", "Title", "Paper", "Speakers", "Abstract", "Bio", "Room"],
    ["2031-12-05", "8:30 AM", "9:00 AM", "breakfast", "Breakfast", "", "", "", "", "Hall"],
    ["2031-12-05", "9:00 AM", "9:45 AM", "Keynote", "Two Views of Efficiency",
     "", "Prof. Fatima Zahra (Lab F); Dr. Gus Novak (Lab G, Lab H)", "Two views.", "Fatima leads Lab F.", ""],
    ["2031-12-05", "9:45 AM", "9:51 AM", "spotlight", "", "cmt:3", "Fnu Devvrit", "", "", ""],
    ["2031-12-05", "9:51 AM", "9:57 AM", "paper", "", "tiny-asr", "", "", "", ""],
    ["2031-12-05", "9:57 AM", "10:03 AM", "oral", "Edge translation", "", "", "", "", ""],
    ["2031-12-06", "1:00 PM", "2:00 PM", "poster session", "Posters", "1-12, cmt:40", "", "", "", ""],
    ["2031-12-06", "2:00 PM", "2:45 PM", "panel", "Small Models Panel", "", "Nazneen Rajani (Huggingface); Minjia Zhang", "", "", ""],
    ["2031-12-06", "2:45 PM", "3:00 PM", "", "Closing remarks", "", "", "", "", ""],
]


def write_sheet(path: Path, rows: list[list[str]]) -> Path:
    if path.suffix == ".xlsx":
        from openpyxl import Workbook

        book = Workbook()
        for row in rows:
            book.active.append(row)
        book.save(path)
    else:
        import csv

        with path.open("w", newline="", encoding="utf-8") as fh:
            csv.writer(fh).writerows(rows)
    return path


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_spreadsheet_program(tmp_path, capsys, suffix):
    conf = make_conf(tmp_path)
    sheet = write_sheet(tmp_path / f"program{suffix}", SHEET)
    assert run("import-program", sheet, "--conf", conf) == 0
    out = capsys.readouterr().out
    proc = load_proceedings(conf)
    assert [(str(s.date), s.start, s.end, s.target or (s.kind, s.title)) for s in proc.schedule] == [
        ("2031-12-05", "08:30", "09:00", ("meal", "Breakfast")),
        ("2031-12-05", "09:00", "09:45", ("keynote", "fatima-zahra-gus-novak")),
        ("2031-12-05", "09:45", "09:51", ("paper", "cmt-3")),
        ("2031-12-05", "09:51", "09:57", ("paper", "tiny-asr")),
        ("2031-12-05", "09:57", "10:03", ("paper", "cmt-12")),
        ("2031-12-06", "13:00", "14:00", ("poster-session", "Posters")),
        ("2031-12-06", "14:00", "14:45", ("panel", "small-models-panel")),
        ("2031-12-06", "14:45", "15:00", ("closing", "Closing remarks")),
    ]
    assert proc.schedule[5].papers == ["cmt-3", "tiny-asr", "cmt-12", "cmt-40"]
    talk = proc.keynotes[0]
    assert [(p.name, p.honorific, p.affiliation) for p in talk.speakers] == [("Fatima Zahra", "Prof.", "Lab F"), ("Gus Novak", "Dr.", "Lab G, Lab H")]
    assert (talk.abstract, talk.bio) == ("Two views.", "Fatima leads Lab F.")
    assert [(p.name, p.affiliation) for p in proc.panel.panelists] == [("Nazneen Rajani", "Huggingface"), ("Minjia Zhang", None)]
    assert f"note: {sheet}:2: column(s) not imported: 'Room'" in out
    assert "cmt-12 (program" in out and "oral; papers.yaml: poster" in out  # the sheet's kind against papers.yaml's presentation
    assert "# source: program" + suffix + ":4 (title, speakers, bio, abstract)" in (conf / "keynotes.yaml").read_text(encoding="utf-8")


def test_spreadsheet_mistakes_are_listed_with_their_rows(tmp_path, capsys):
    conf = make_conf(tmp_path)
    rows = [SHEET[1],
            ["2031-12-05", "9:00", "8:00", "keynote", "Backwards", "", "A B", "", "", ""],
            ["5 Dec", "9:00", "9:30", "talk-ish", "Unknown kind", "", "", "", "", ""],
            ["2031-12-05", "10:00", "10:30", "paper", "", "cmt:99", "", "", "", ""],
            ["2031-12-05", "10:30", "11:00", "poster session", "Posters", "1-5, nope", "", "", "", ""]]
    sheet = write_sheet(tmp_path / "program.csv", rows)
    assert run("import-program", sheet, "--conf", conf) == 1
    out = capsys.readouterr().out
    for line in (f"error: {sheet}:2: time '9:00' ends before it starts",
                 f"error: {sheet}:3: date '5 Dec' is not an ISO date like 2023-12-16",
                 f"error: {sheet}:3: kind 'talk-ish' is not one of:",
                 f"error: {sheet}:4: paper 'cmt:99': no paper of papers.yaml has this title",
                 f"error: {sheet}:5: poster session 'Posters': 'nope' is neither a paper id, a review id nor a number"):
        assert line in out, line
    assert not (conf / "schedule.yaml").exists()


def test_award_is_a_slot_kind(tmp_path):
    from enlsp_proceedings.model.schema import Slot

    assert Slot(start="16:10", end="16:15", title="Best Paper and Poster Awards", kind="award").kind == "award"
