"""Dates and times every output can represent, the same on every machine.

Before: ``date: 9999-12-31`` or ``0001-01-01`` in workshop.yaml gave a ValueError traceback in the
calendar (``year`` was range-checked, ``date`` was not); a slot at a local time the clocks skip
(a daylight-saving gap) was accepted without a word; ``timezone: localtime`` made the schedule
depend on the machine that builds the site.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from enlsp_proceedings.cli import main as cli_main
from enlsp_proceedings.model.load import ConfError, load_proceedings
from enlsp_proceedings.model.times import local_time
from enlsp_proceedings.pdf.check import run_check
from synthetic import small_workshop


def _edit(conf: Path, name: str, change) -> None:
    data = yaml.safe_load((conf / name).read_text(encoding="utf-8"))
    change(data)
    (conf / name).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _problems(conf: Path) -> list[str]:
    with pytest.raises(ConfError) as caught:
        load_proceedings(conf)
    return [str(p) for p in caught.value.problems]


@pytest.mark.parametrize("value", ["9999-12-31", "0001-01-01", "1899-12-31", "3000-01-01"])
@pytest.mark.parametrize("where", ["date", "important_dates", "slot", "errata"])
def test_dates_outside_1900_to_2999_are_errors_with_file_and_line(tmp_path, value, where):
    conf, _papers = small_workshop(tmp_path)
    if where == "date":
        _edit(conf, "workshop.yaml", lambda w: w.update(date=value))
        expected = ("workshop.yaml:", " date: ")
    elif where == "important_dates":
        _edit(conf, "workshop.yaml", lambda w: w["important_dates"][0].update(date=value))
        expected = ("workshop.yaml:", " important_dates[0].date: ")
    elif where == "slot":
        _edit(conf, "schedule.yaml", lambda s: s["schedule"][0].update(date=value))
        expected = ("schedule.yaml:", " schedule[0].date")
    else:
        _edit(conf, "papers.yaml", lambda p: p["papers"][0].update(errata=[{"date": value, "note": "Fixed."}]))
        expected = ("papers.yaml:", " papers[0].errata[0].date")
    problems = _problems(conf)
    assert len(problems) == 1, problems
    assert all(part in problems[0] for part in expected), problems
    assert f"{value} is not a date of a workshop: the year must be between 1900 and 2999" in problems[0]


@pytest.mark.parametrize("zone", ["localtime", "posixrules", "Factory", "posix/Europe/Lisbon", "right/UTC", "Mars/Olympus_Mons"])
def test_time_zones_must_name_a_place_of_the_iana_database(tmp_path, zone):
    conf, _papers = small_workshop(tmp_path)
    _edit(conf, "workshop.yaml", lambda w: w.update(timezone=zone))
    [problem] = _problems(conf)
    assert "workshop.yaml:" in problem and " timezone: " in problem
    if zone.startswith(("posix/", "right/")):
        assert f"write {zone.split('/', 1)[1]!r}" in problem
    elif zone.startswith("Mars"):
        assert "unknown IANA time zone" in problem
    else:
        assert "is this machine's own time zone setting, not a place" in problem and "e.g. 'Europe/Lisbon'" in problem


@pytest.mark.parametrize("zone", ["UTC", "Etc/GMT+5", "America/Argentina/Buenos_Aires", "Asia/Kolkata", "US/Eastern"])
def test_iana_zones_still_load(tmp_path, zone):
    conf, _papers = small_workshop(tmp_path)
    _edit(conf, "workshop.yaml", lambda w: w.update(timezone=zone))
    assert load_proceedings(conf).workshop.timezone == zone


def test_local_time_tells_skipped_and_repeated_times():
    assert local_time(dt.date(2031, 3, 30), "01:30", "Europe/Lisbon")[0] == "missing"
    assert local_time(dt.date(2031, 3, 30), "02:00", "Europe/Lisbon")[0] == "ok"
    assert local_time(dt.date(2031, 10, 26), "01:30", "Europe/Lisbon")[0] == "ambiguous"
    assert local_time(dt.date(2031, 10, 26), "02:00", "Europe/Lisbon")[0] == "ok"
    assert local_time(dt.date(2022, 3, 13), "02:15", "America/Chicago") == (
        "missing", "02:15 on 2022-03-13 does not exist in America/Chicago: the clocks go forward by 1 hour that night; "
                   "give a time before or after the change")
    assert local_time(dt.date(2022, 4, 3), "01:40", "Australia/Lord_Howe")[0] == "ambiguous"  # a 30-minute change
    assert local_time(dt.date(2022, 10, 2), "02:10", "Australia/Lord_Howe")[1].startswith("02:10 on 2022-10-02 does not exist in "
                                                                                           "Australia/Lord_Howe: the clocks go forward by 30 minutes")


def _night_slots(conf: Path) -> None:
    """A slot starting in the hour Lisbon skips (30 March 2031), one ending in the hour it repeats (26 October)."""
    def add(s):
        s["schedule"] += [{"start": "01:30", "end": "02:30", "title": "Hackathon", "kind": "other", "date": "2031-03-30"},
                          {"start": "00:30", "end": "01:30", "title": "Night owls", "kind": "other", "date": "2031-10-26"}]
    _edit(conf, "schedule.yaml", add)


def test_a_slot_in_the_skipped_hour_is_an_error_and_a_repeated_hour_a_warning(tmp_path):
    conf, papers = small_workshop(tmp_path)
    _night_slots(conf)
    [problem] = _problems(conf)
    assert "schedule.yaml:" in problem and "schedule[7].start: 01:30 on 2031-03-30 does not exist in Europe/Lisbon" in problem
    report = run_check(conf, papers, tmp_path / "cache", quiet=True)
    messages = [(p.level, p.code, p.message) for p in report.general]
    assert ("error", "schedule-time-missing", problem) in messages
    assert ("warning", "schedule-time-ambiguous",
            "schedule.yaml: schedule[8].end: 01:30 on 2031-10-26 happens twice in Europe/Lisbon (the clocks go back that night); "
            "the site and the calendars mean the first time, WEST (UTC+01:00)") in messages
    assert {r.id for r in report.papers} == {"alpha", "beta", "gamma"}  # the papers are still checked


@pytest.mark.parametrize("value", ["{date: 9999-12-31}", "{date: 0001-01-01}", "{timezone: localtime}"])
def test_build_stops_with_a_sentence_not_a_traceback(tmp_path, capsys, value):
    conf, papers = small_workshop(tmp_path)
    _edit(conf, "workshop.yaml", lambda w: w.update(yaml.safe_load(value)))
    code = cli_main(["build", "--conf", str(conf), "--papers", str(papers), "--out", str(tmp_path / "site"), "--docs", str(tmp_path / "docs"), "-q"])
    err = capsys.readouterr().err
    assert code == 1 and "Traceback" not in err and "nothing was built" in err, err
    assert not (tmp_path / "site").exists()
