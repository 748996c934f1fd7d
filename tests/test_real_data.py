"""The real ENLSP-II conf/ agrees with the workshop website's own data (`_data/*.yml`).

Every difference is one of the corrections recorded in a `# source:` comment of conf/.
The website data is in ../shared beside the clone (as on CI); without it these tests skip.
"""

from __future__ import annotations

import re

import pytest
import yaml

from conftest import REPO

DATA = REPO.parent / "shared" / "enlsp-ii-2022-source" / "_data"

# (website name, field) -> what conf/ shows instead; each has its reason in a `# source:` comment.
CORRECTED = {
    ("You Yang", "name"): "Yang You",
    ("You Yang", "affiliation"): "National University of Singapore",
    ("Kenneth Heafield", "affiliation"): "University of Edinburgh",
}


def norm(text: str | None) -> str | None:
    return re.sub(r"\s+", " ", text).strip() if text else None


def data(name: str):
    if not DATA.is_dir():
        pytest.skip(f"no website data at {DATA}")
    return yaml.safe_load((DATA / f"{name}.yml").read_text(encoding="utf-8"))


def conf(name: str) -> dict:
    return yaml.safe_load((REPO / "conf" / "2022" / name).read_text(encoding="utf-8"))


def fixed(name: str, field: str, value: str | None) -> str | None:
    return CORRECTED.get((name, field), value)


def test_speakers_have_the_websites_honorifics_and_affiliations():
    keynotes = conf("keynotes.yaml")
    people = {k["speaker"]["name"]: k["speaker"] for k in keynotes["keynotes"]}
    people |= {p["name"]: p for p in keynotes["invited_speakers_without_talk"]}
    speakers = [s for row in data("speakers") for s in row["speakers"]]
    assert len(speakers) == len(people)
    for s in speakers:
        name = norm(s["name"])
        person = people[fixed(name, "name", name)]
        assert person.get("honorific") == norm(s["title"]), name
        assert person.get("affiliation") == fixed(name, "affiliation", norm(s["affiliation"])), name


def test_keynotes_have_the_websites_titles_bios_abstracts_and_times():
    keynotes = {k["id"]: k for k in conf("keynotes.yaml")["keynotes"]}
    slots = {s["keynote"]: s for s in conf("schedule.yaml")["schedule"] if "keynote" in s}
    talks = [t for t in data("schedule") if t["Title"].startswith("(KeyNote Talk) ")]
    assert len(talks) == len(keynotes)
    for talk in talks:
        presenter = norm(talk["Presenter"])
        (keynote,) = [k for k in keynotes.values() if k["speaker"]["name"] == fixed(presenter, "name", presenter)]
        assert keynote["title"] == norm(talk["Title"].removeprefix("(KeyNote Talk) "))
        assert norm(keynote["bio"]) == norm(talk["Bio"]) and norm(keynote["abstract"]) == norm(talk["Abstract"])
        start, end = (re.sub(r"(\d\d):(\d\d)(AM|PM)", lambda m: f"{int(m[1]) % 12 + 12 * (m[3] == 'PM'):02d}:{m[2]}", t)
                      for t in talk["Time"].split(" - "))
        assert (slots[keynote["id"]]["start"], slots[keynote["id"]]["end"]) == (start, end), keynote["id"]


def test_panel_organizers_and_committee_are_the_websites_in_its_order():
    def pairs(people):
        return [(norm(p["name"]), norm(p.get("affiliation"))) for p in people]

    assert pairs(conf("panel.yaml")["panel"]["panelists"]) == pairs(s for r in data("panelists") for s in r["speakers"])
    people = conf("people.yaml")
    assert pairs(people["organizers"]) == pairs(o for r in data("organizers") for o in r["organizers"])
    committee = [re.fullmatch(r"(.*?)(?: \((.*)\))?", norm(line)).groups() for line in data("technical_committee")]
    assert pairs(people["technical_committee"]) == [(name, affiliation) for name, affiliation in committee]
