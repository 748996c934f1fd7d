"""The page-kind registry: what the ``enlsp-page`` directive can build, and nothing else."""

from __future__ import annotations

import pytest

from conftest import run_build
from enlsp_proceedings.model.load import load_proceedings
from enlsp_proceedings.outputs.volume import PdfStatus, Volume
from enlsp_proceedings.publish.sources import source_pages
from enlsp_proceedings.sphinxext.pages import PAGES, SECTIONS, Page
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
    for name, kind in PAGES.items():
        for docname, ident in kind.pages(volume):
            shown = kind.shows(volume, ident)
            assert f"{{enlsp-page}} {name}{' ' + ident if ident else ''}\n:digest: {volume.digest(shown)}\n" in pages[docname]
            assert kind.render(Page(docname), shown)  # renders from the declared data alone
    assert len(pages) == sum(len(kind.pages(volume)) for kind in PAGES.values())


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
