"""An edition in progress, built: its papers first, its program and keynotes later, then the program
taken out again. At each step the site has a page for what ``conf/`` has and no other, every link
of every page leads somewhere (tests/links.py), and the other edition is left as it was. The real
archive's links are checked in test_series_real.py."""

from __future__ import annotations

import re

import pytest
import yaml

from conftest import run_build
from links import broken_links
from test_series import make_series

pytestmark = pytest.mark.slow

SECTION_PAGES = ("schedule.html", "keynotes/index.html", "people.html", "cfp.html")


def _buttons(html: str, css_class: str) -> list[str]:
    """The link targets of the first paragraph of this class."""
    block = re.search(rf'<p class="{css_class}[^"]*">(.*?)</p>', html, re.S)
    assert block, css_class
    return re.findall(r'href="([^"]+)"', block.group(1))


def _edition_card(home: str, edition: str) -> list[str]:
    """The buttons of one edition's card on the series home."""
    cards = re.findall(r'<p class="enlsp-edition-links[^"]*">(.*?)</p>', home, re.S)
    [card] = [c for c in cards if f'href="{edition}/index.html"' in c]
    return re.findall(r'href="([^"]+)"', card)


def test_an_edition_gets_its_schedule_and_keynote_pages_when_its_program_comes_and_loses_them_when_it_goes(tmp_path, capsys):
    conf, papers = make_series(tmp_path)
    (conf / "2032" / "workshop.yaml").write_text(
        yaml.safe_dump({**yaml.safe_load((conf / "2032" / "workshop.yaml").read_text(encoding="utf-8")), "important_dates": []}), encoding="utf-8")
    out = tmp_path / "site"
    assert run_build(tmp_path, conf=conf, papers=papers, out=out) == 0
    assert "built 2032 (WTT-II): 1 paper (0 with PDF, 1 without), 0 keynotes\n" in capsys.readouterr().err

    # the accepted papers alone: their list and authors, and nothing empty
    edition = out / "2032"
    assert not [page for page in SECTION_PAGES if (edition / page).exists()]
    assert (edition / "papers" / "index.html").is_file() and (edition / "authors" / "index.html").is_file()
    home = (edition / "index.html").read_text(encoding="utf-8")
    assert _buttons(home, "enlsp-hero-buttons") == ["papers/index.html"]
    nav = re.search(r'<nav>(.*?)</nav>', home, re.S).group(1)
    assert not any(page in nav for page in SECTION_PAGES)
    assert _edition_card((out / "index.html").read_text(encoding="utf-8"), "2032") == ["2032/index.html", "2032/papers/index.html"]
    assert '"schedule": null' in (edition / "my-list.html").read_text(encoding="utf-8").replace("&quot;", '"')
    assert (out / "2031" / "cfp.html").is_file()  # the other edition has its important dates
    assert broken_links(out) == []

    # the program and a keynote come: their pages, in the menu, on the home and on the series home
    other = {p.relative_to(out): p.read_bytes() for p in (out / "2031").rglob("*") if p.is_file()}
    keynotes = {"keynotes": [{"id": "kay", "title": "Efficient Everything", "speaker": {"name": "Kay Note"}, "abstract": "All of it."}]}
    program = {"schedule": [{"start": "09:00", "end": "09:10", "title": "Opening", "kind": "opening"},
                            {"start": "09:10", "end": "09:50", "keynote": "kay"}, {"start": "09:50", "end": "10:05", "paper": "alpha"}]}
    (conf / "2032" / "keynotes.yaml").write_text(yaml.safe_dump(keynotes), encoding="utf-8")
    (conf / "2032" / "schedule.yaml").write_text(yaml.safe_dump(program), encoding="utf-8")
    assert run_build(tmp_path, conf=conf, papers=papers, out=out) == 0
    assert "built 2032 (WTT-II): 1 paper (0 with PDF, 1 without), 1 keynote\n" in capsys.readouterr().err
    assert (edition / "schedule.html").is_file() and (edition / "schedule.ics").is_file() and (edition / "keynotes" / "index.html").is_file()
    home = (edition / "index.html").read_text(encoding="utf-8")
    assert _buttons(home, "enlsp-hero-buttons") == ["papers/index.html", "schedule.html", "keynotes/index.html"]
    assert _edition_card((out / "index.html").read_text(encoding="utf-8"), "2032") == [
        "2032/index.html", "2032/papers/index.html", "2032/keynotes/index.html", "2032/schedule.html"]
    assert '"schedule": "schedule.html"' in (edition / "my-list.html").read_text(encoding="utf-8").replace("&quot;", '"')
    assert 'href="../schedule.html"' in (edition / "papers" / "alpha.html").read_text(encoding="utf-8")  # every page's menu
    assert "<loc>https://wtt.example.org/2032/schedule.html</loc>" in (edition / "sitemap.xml").read_text(encoding="utf-8")
    assert broken_links(out) == []
    assert {p.relative_to(out): p.read_bytes() for p in (out / "2031").rglob("*") if p.is_file()} == other
    assert '<meta name="description" content="Kay Note at WTT: WTT-II · TestConf 2032 (1 talk).">' in (out / "authors" / "kay-note.html").read_text(
        encoding="utf-8")
    assert "WTT-I · TestConf 2031 (2 papers).\"" in (out / "authors" / "priya-raman.html").read_text(encoding="utf-8")

    # the program taken out again (the keynote stays): its page and every link to it go
    (conf / "2032" / "schedule.yaml").unlink()
    assert run_build(tmp_path, conf=conf, papers=papers, out=out) == 0
    assert not (edition / "schedule.html").exists() and not (edition / "schedule.ics").exists()
    assert (edition / "keynotes" / "index.html").is_file()
    assert _buttons((edition / "index.html").read_text(encoding="utf-8"), "enlsp-hero-buttons") == ["papers/index.html", "keynotes/index.html"]
    assert "schedule.html" not in (edition / "papers" / "alpha.html").read_text(encoding="utf-8")
    assert "schedule.html" not in (edition / "sitemap.xml").read_text(encoding="utf-8")
    assert broken_links(out) == []
