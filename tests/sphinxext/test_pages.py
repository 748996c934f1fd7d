"""The page-kind registry: what the ``enlsp-page`` directive can build, and nothing else."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
import typing

import pytest

from conftest import run_build
from enlsp_proceedings.model.load import load_proceedings
from enlsp_proceedings.outputs.volume import PdfStatus, Volume
from enlsp_proceedings.publish.sources import page_salt, source_pages
from enlsp_proceedings.sphinxext.pages import PAGES, SECTIONS, Page, Shown, home
from enlsp_proceedings.sphinxext.pages.series import SERIES_PAGES
from synthetic import small_workshop


def test_the_registry_names_the_twelve_page_kinds():
    assert set(PAGES) == {"home", "paper-list", "paper", "keynote-list", "keynote", "schedule", "people", "panel", "cfp", "author-index", "author",
                          "my-list"}
    assert all(kind.name == name for name, kind in PAGES.items())
    assert list(SECTIONS) == ["papers/index", "keynotes/index", "schedule", "authors/index", "people", "cfp"]


def test_every_stub_names_a_registered_kind_and_its_digest_is_what_the_page_shows(tmp_path):
    small_workshop(tmp_path)
    volume = Volume(load_proceedings(tmp_path / "conf"), {"alpha": PdfStatus(published=True, pages=5)})
    pages = source_pages(volume)
    salt = page_salt(volume, home.sections(volume))  # the menu's sections: every page shows them
    for name, kind in PAGES.items():
        for docname, ident in kind.pages(volume):
            shown = kind.shows(volume, ident)
            assert f"{{enlsp-page}} {name}{' ' + ident if ident else ''}\n:digest: {shown.digest(salt)}\n" in pages[docname]
            assert kind.render(Page(docname), shown)  # renders from the declared data alone
    assert len(pages) == sum(len(kind.pages(volume)) for kind in PAGES.values())


def _types_in(hint: object) -> typing.Iterator[object]:
    yield hint
    for arg in typing.get_args(hint):
        yield from _types_in(arg)


@pytest.mark.parametrize("kind", [*PAGES.values(), *SERIES_PAGES.values()], ids=lambda k: k.name)
def test_every_page_kind_declares_what_it_shows_as_a_frozen_typed_dataclass(kind):
    shown = typing.get_type_hints(kind.shows)["return"]
    assert issubclass(shown, Shown) and shown is not Shown
    assert dataclasses.is_dataclass(shown) and shown.__dataclass_params__.frozen
    # the renderer takes exactly that type, and mypy checks its body against it
    assert typing.get_type_hints(kind.render)["d"] is shown
    fields = typing.get_type_hints(shown)
    assert fields and all(typing.Any not in _types_in(hint) for hint in fields.values()), fields


def test_a_page_s_digest_covers_every_value_it_shows_cards_included(tmp_path):
    small_workshop(tmp_path)
    proc = load_proceedings(tmp_path / "conf")
    before = Volume(proc, {"alpha": PdfStatus(published=True, pages=5)})
    retitled = proc.model_copy(update={"papers": [p.model_copy(update={"title": p.title + " (revised)"}) if p.id == "alpha" else p for p in proc.papers]})
    after = Volume(retitled, {"alpha": PdfStatus(published=True, pages=5)})
    author = PAGES["author"]
    for docname, slug in author.pages(before):
        changed = author.shows(before, slug).digest() != author.shows(after, slug).digest()
        # a person's page shows their papers' cards: only the pages of alpha's authors change
        assert changed == ("alpha" in before.people.by_slug[slug].papers), docname
    # a PDF's page count is shown on the paper's page and its card
    recounted = Volume(proc, {"alpha": PdfStatus(published=True, pages=6)})
    for name in ("paper", "paper-list"):
        kind = PAGES[name]
        ident = "alpha" if name == "paper" else None
        assert kind.shows(before, ident).digest() != kind.shows(recounted, ident).digest()
    # an edition of a series salts every digest: a page moved into a series is a new page
    shown = PAGES["home"].shows(before, None)
    assert shown.digest() != shown.digest("2023") != shown.digest("2024")


def test_a_value_the_digest_cannot_serialize_is_an_error_not_a_partial_digest():
    @dataclasses.dataclass(frozen=True)
    class Odd(Shown):
        thing: object

    assert Odd(("a", 1)).digest() != Odd(("a", 2)).digest()
    with pytest.raises(Exception, match="serialize"):
        Odd(object()).digest()


def test_digests_are_the_same_in_every_process_whatever_its_hash_seed(tmp_path):
    # a set in what a page shows would change its digest with the seed, and every page would be re-read on every build
    small_workshop(tmp_path)
    script = ("import json, sys; from enlsp_proceedings.model.load import load_proceedings; from enlsp_proceedings.outputs.volume import Volume\n"
              "from enlsp_proceedings.publish.sources import source_pages\n"
              "print(json.dumps(source_pages(Volume(load_proceedings(sys.argv[1]), {}))))")
    outputs = {subprocess.run([sys.executable, "-c", script, str(tmp_path / "conf")], capture_output=True, text=True, check=True,
                              env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2", "3")}
    assert len(outputs) == 1 and "digest" in next(iter(outputs))


@pytest.mark.slow
def test_a_helper_is_not_a_page_kind(workshop_copy, capsys):
    docs = workshop_copy / "docs"
    docs.mkdir(exist_ok=True)
    (docs / "extra.md").write_text("---\norphan: true\n---\n\n# Extra\n\n```{enlsp-page} shows\n```\n\n```{enlsp-page} paper_card alpha\n```\n\n"
                                   "```{enlsp-page} render\n```\n", encoding="utf-8")
    run_build(workshop_copy)
    err = capsys.readouterr().err
    for name in ("shows", "paper_card", "render"):
        assert f"unknown enlsp page kind {name!r}" in err
    html = (workshop_copy / "site" / "extra.html").read_text(encoding="utf-8")
    assert "sd-card" not in html


def test_the_series_people_index_orders_people_by_name_whatever_the_datas_order():
    """The series' data keeps its people by slug (first name first); the index lists them by family
    name, then given name."""
    from enlsp_proceedings.outputs.series_site import SeriesPerson, SeriesSite
    from enlsp_proceedings.sphinxext.pages.series import SERIES_PAGES

    people = [SeriesPerson("abdul-azeemi", "Abdul Azeemi", ("azeemi", "abdul")), SeriesPerson("ankur-agarwal", "Ankur Agarwal", ("agarwal", "ankur")),
              SeriesPerson("zoe-agarwal", "Zoë Agarwal", ("agarwal", "zoe"))]
    for order in (people, people[::-1]):
        site = SeriesSite("S", "S", "", "", people={p.slug: p for p in order})
        shown = SERIES_PAGES["series-people"].shows(site, None)
        assert [slug for _name, slug, _key, _editions in shown.people] == ["ankur-agarwal", "zoe-agarwal", "abdul-azeemi"]
