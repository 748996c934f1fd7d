"""The workarounds on other projects' code stay where docs/workarounds.md says they are:
each is scoped to proceedings sites, and the upstream facts they rest on still hold."""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx
from sphinx.builders.html import StandaloneHTMLBuilder


def _plain_project(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text('extensions = ["enlsp_proceedings.sphinxext"]\n', encoding="utf-8")
    (src / "index.rst").write_text("Hello\n=====\n\nA page that is no proceedings.\n", encoding="utf-8")
    return src


def test_a_project_without_proceedings_data_keeps_sphinx_html_builder(tmp_path):
    src = _plain_project(tmp_path)
    app = Sphinx(str(src), str(src), str(tmp_path / "out"), str(tmp_path / "doctrees"), "html",
                 status=None, warning=None, freshenv=True, parallel=2)
    assert type(app.builder) is StandaloneHTMLBuilder
    app.build()
    assert "A page that is no proceedings." in (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert (tmp_path / "out" / "searchindex.js").is_file()  # its own search, not the proceedings' Pagefind
    assert app.parallel == 2  # the serial read for small updates is not applied either
