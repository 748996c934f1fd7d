"""Mechanisms that keep large volumes fast (timings live in benchmarks/bench.py, not here)."""

from __future__ import annotations

import json
import re
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import PdfReads
from enlsp_proceedings.publish.pipeline import BuildOptions, build_site
from enlsp_proceedings.sphinxext.html import compact_html
from synthetic import make_pdf, random_papers, write_workshop


def options(root: Path) -> BuildOptions:
    return BuildOptions(conf_dir=root / "conf", papers_dir=root / "papers", out_dir=root / "site", docs_dir=root / "docs", jobs=1, quiet=True)


def mtimes(root: Path, pattern: str) -> dict[str, int]:
    return {str(p.relative_to(root)): p.stat().st_mtime_ns for p in root.rglob(pattern)}


@pytest.fixture()
def fresh(tmp_path) -> Path:
    """A 12-paper workshop built exactly once (only the published copy exists)."""
    write_workshop(tmp_path, random_papers(12, seed=3))
    build_site(options(tmp_path))
    return tmp_path


def test_no_change_rebuild_does_not_run_sphinx_or_touch_the_site(fresh):
    before = mtimes(fresh / "site", "*")
    report = build_site(options(fresh))
    assert report.up_to_date
    assert report.rewritten == []
    assert mtimes(fresh / "site", "*") == before
    # the second copy was made once, at the end of the first build, and not touched since
    assert mtimes(fresh / ".site.staging", "*.html") == {k: v for k, v in before.items() if k.endswith(".html")}


def test_one_paper_edit_after_first_build_rereads_only_its_pages(fresh):
    """The second copy starts as a copy of the first (with its doctrees), not from scratch."""
    conf = fresh / "conf" / "papers.yaml"
    data = yaml.safe_load(conf.read_text())
    edited = data["papers"][4]
    edited["title"] = "An Edited Title"
    conf.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    started = time.time_ns()
    report = build_site(options(fresh))
    assert not report.up_to_date
    doctrees = [d for d in (fresh / ".enlsp-cache" / "doctrees").iterdir()]
    assert len(doctrees) == 2
    reread = {}
    for d in doctrees:
        reread.update({k: v for k, v in mtimes(d, "*.doctree").items() if v >= started})
    reread = {k.removesuffix(".doctree") for k in reread}
    assert f"papers/{edited['id']}" in reread
    assert "papers/index" in reread
    assert not any(doc.startswith("papers/paper-") and doc != f"papers/{edited['id']}" for doc in reread), reread
    authors = {a["name"] for a in edited["authors"]}
    assert len([d for d in reread if d.startswith("authors/") and d != "authors/index"]) <= len(authors)
    assert "An Edited Title" in (fresh / "site" / "papers" / f"{edited['id']}.html").read_text()
    # the two copies now differ only by this edit; both are complete sites
    assert (fresh / "site" / "papers" / "paper-0000.html").read_bytes() == (fresh / ".site.staging" / "papers" / "paper-0000.html").read_bytes()


def retitle_paper(root: Path, index: int, title: str) -> str:
    conf = root / "conf" / "papers.yaml"
    data = yaml.safe_load(conf.read_text())
    data["papers"][index]["title"] = title
    conf.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    return data["papers"][index]["id"]


def test_second_edit_rereads_only_its_pages_not_those_of_the_edit_before(fresh, monkeypatch):
    """After a publish the staging copy is one build behind; it catches up with the published copy
    by copying what differs, so Sphinx re-reads only the pages of the current edit."""
    from enlsp_proceedings.publish import site as site_module

    first = retitle_paper(fresh, 1, "The First Correction")
    build_site(options(fresh))
    copied = []
    real_copy = site_module._copy_file
    monkeypatch.setattr(site_module, "_copy_file", lambda src, dst, link: copied.append(Path(src)) or real_copy(src, dst, link))
    second = retitle_paper(fresh, 6, "The Second Correction")
    started = time.time_ns()
    build_site(options(fresh))
    reread = set()
    for d in (fresh / ".enlsp-cache" / "doctrees").iterdir():
        reread |= {k.removesuffix(".doctree") for k, v in mtimes(d, "*.doctree").items() if v >= started}
    assert f"papers/{second}" in reread
    assert f"papers/{first}" not in reread, sorted(reread)
    # what was copied is what the first correction changed, not the whole site
    names = {p.name for p in copied}
    assert {f"{first}.html", f"{first}.doctree", f"{first}.bib", "environment.pickle"} <= names, sorted(names)
    assert not {n for n in names if n.startswith("paper-") and not n.startswith(first)}, sorted(names)
    assert not any("pagefind" in p.parts for p in copied)
    total = sum(1 for p in (fresh / "site").rglob("*") if p.is_file())
    assert len(copied) < total / 4, (len(copied), total)
    site, other = fresh / "site", fresh / ".site.staging"
    assert "The First Correction" in (site / "papers" / f"{first}.html").read_text()
    assert "The Second Correction" in (site / "papers" / f"{second}.html").read_text()
    # the other copy is the site of the first correction, complete and unaffected by this build
    assert (other / "papers" / f"{first}.html").read_bytes() == (site / "papers" / f"{first}.html").read_bytes()
    assert "The Second Correction" not in (other / "papers" / f"{second}.html").read_text()
    assert len(list((fresh / ".enlsp-cache" / "doctrees").iterdir())) == 2


def test_replaced_pdf_is_read_once_and_only_it(fresh, monkeypatch, tmp_path):
    calls = PdfReads(monkeypatch, tmp_path / "reads.log")
    paper = random_papers(12, seed=3)[2]
    make_pdf(fresh / "papers" / f"{paper.id}.pdf", paper.title, ["Someone Else"], 2, 1, seed=42)
    build_site(options(fresh))
    assert calls() == [f"{paper.id}.pdf"]
    assert "PDF (2 pages)" in (fresh / "site" / "papers" / f"{paper.id}.html").read_text()
    calls.clear()
    report = build_site(options(fresh))
    assert calls() == [] and report.up_to_date


def test_sitemap_lists_every_page_after_an_incremental_build(fresh):
    conf = fresh / "conf" / "papers.yaml"
    data = yaml.safe_load(conf.read_text())
    data["papers"][0]["title"] = "Retitled"
    conf.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    build_site(options(fresh))
    site = fresh / "site"
    locs = {el.text for el in ET.parse(site / "sitemap.xml").getroot().iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    pages = {p.relative_to(site).as_posix() for p in site.rglob("*.html") if p.name not in {"search.html", "404.html"} and not p.relative_to(site).as_posix().startswith("_")}
    assert locs == {"https://example.org/synth/" + p for p in pages}


def test_pages_are_compact_and_code_blocks_keep_their_whitespace(small_site):
    page = (small_site / "site" / "papers" / "alpha.html").read_text()
    outside = re.sub(r"<(pre|script|style|textarea)\b.*?</\1>", "", page, flags=re.S)
    assert not re.search(r"\n[ \t]", outside) and "<!--" not in outside and "\n\n\n" not in page
    # the BibTeX in the cite tab is still indented with tabs (Pygments' spans may wrap the tab,
    # the field name and the "=")
    assert re.search(r"\n\tauthor = ", re.sub(r"</?span[^>]*>", "", page))
    assert len(page.encode()) <= 25_000


@given(st.lists(st.sampled_from(["<div>", "</div>", "<p>", "</P>", "<pre>", "</pre>", "<PRE class='x'>", "<script>", "</script>",
                                  "<style>", "</style>", "<textarea>", "</textarea>", "<!--", "-->", "<preview>", "a", "b c", " ", "  ",
                                  "\t", "\n", "\r\n", "\f", "\v", "\xa0", "\u2028", "\u3000", "<", ">", "é"]), max_size=40).map("".join))
@settings(max_examples=500, deadline=None)
def test_compact_html_is_the_one_pattern_it_replaced(markup):
    """`compact_html` runs two passes that start at a literal character instead of one pattern that could start at every space."""
    one_pattern = re.compile(r"(<(pre|textarea|script|style)\b.*?</\2>)|([ \t\r\f\v]*\n\s*)|<!--.*?-->", re.S | re.I)
    assert compact_html(markup) == one_pattern.sub(lambda m: m.group(1) or ("\n" if m.group(3) else ""), markup)


_SEGMENT = st.sampled_from(["papers", "authors", "x.html", "paper-1.html", "index.html", "2023", "all", "..", ".", "", "a b", "é.pdf"])


@given(st.lists(_SEGMENT, min_size=1, max_size=3).map("/".join),
       st.tuples(st.lists(st.sampled_from(["papers", "authors", "2023", "all"]), max_size=2), st.sampled_from(["index", "paper-1", "x"]))
       .map(lambda folders_name: "/".join([*folders_name[0], folders_name[1]])),
       st.sampled_from(["", "#cite", "#a#b"]))
@settings(max_examples=1000, deadline=None)
def test_relative_links_lead_where_posixpath_relpath_leads(target, page, anchor):
    """`widgets.rel` makes the links of list pages (thousands of people and papers) without
    `posixpath.relpath`, which asks the system for the working directory twice per link: from every
    page, each link leads to its path, those above the site's root (an edition's link to the series'
    person pages, ``../authors/x.html``) included, and is relpath's own for a file below a page's
    folder or one folder up (below a working directory deep enough that ``..`` never stops at ``/``);
    the same wherever the build runs (relpath's link from ``/`` came out one level short)."""
    import posixpath
    from unittest import mock

    from enlsp_proceedings.sphinxext.widgets import rel

    if not target or target.startswith("/"):
        return  # a link is to a path of the site
    here = page.rpartition("/")[0]
    with mock.patch("os.getcwd", lambda: "/a/b/c/d/e/f/g/h"):
        link = rel(page, target + anchor)
        expected = posixpath.relpath(target, here or ".")
    path, _, rest = link.partition("#")
    assert rest == anchor.removeprefix("#")
    assert posixpath.normpath(posixpath.join(here, path)) == posixpath.normpath(posixpath.join(here, expected)), (page, target, link)
    for cwd in ("/", "/a"):  # wherever the build runs
        with mock.patch("os.getcwd", lambda: cwd):  # noqa: B023 - called at once
            assert rel(page, target + anchor) == link, cwd
    folders = target.split("/")[:-1]
    while folders[:1] == [".."]:
        folders = folders[1:]
    if target.endswith(".html") and all(f not in {"", ".", ".."} for f in folders):
        assert path == expected, (page, target)


def test_compact_html_keeps_preformatted_text():
    markup = "<div>\n    <p>a\n\n   b</p>\n<!-- note -->\n<pre>x\n   y\n\n z</pre>\n<textarea>p\n  q</textarea><script>if (a)\n  b()</script></div>"
    out = compact_html(markup)
    assert "<pre>x\n   y\n\n z</pre>" in out and "<textarea>p\n  q</textarea>" in out and "<script>if (a)\n  b()</script>" in out
    assert "<p>a\nb</p>" in out and "note" not in out


def test_small_update_is_read_in_process_and_downloads_of_other_papers_are_not_regenerated(fresh, monkeypatch):
    """A one-paper edit neither ships the Sphinx environment to workers, nor forks writers, nor rebuilds every .bib/.ris."""
    from sphinx.builders import Builder

    from enlsp_proceedings.outputs import citation
    from enlsp_proceedings.sphinxext.parallel import HTMLBuilder

    parallel_reads, parallel_writes, bibtex_for = [], [], []
    real_parallel, real_write, real_bibtex = Builder._read_parallel, Builder._write_parallel, citation.bibtex_entry
    monkeypatch.setattr(Builder, "_read_parallel", lambda self, docnames, nproc: parallel_reads.append(docnames) or real_parallel(self, docnames, nproc))
    monkeypatch.setattr(Builder, "_write_parallel", lambda self, docnames, nproc: parallel_writes.append(docnames) or real_write(self, docnames, nproc))
    monkeypatch.setattr(citation, "bibtex_entry", lambda c, crossref=None: bibtex_for.append(c.paper.id) or real_bibtex(c, crossref))
    conf = fresh / "conf" / "papers.yaml"
    data = yaml.safe_load(conf.read_text())
    data["papers"][7]["title"] = "Edited Again"
    conf.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    opts = options(fresh)
    opts.jobs = 2
    build_site(opts)
    assert parallel_reads == [] and parallel_writes == []
    assert set(bibtex_for) == {data["papers"][7]["id"]}, bibtex_for
    assert "Edited Again" in (fresh / "site" / "papers" / f"{data['papers'][7]['id']}.bib").read_text()
    # the volume's BibTeX, made from every paper's record (the others' texts remembered), carries the edit
    site = fresh / "site"
    volume_bib = (site / "proceedings.bib").read_text()
    assert "Edited Again" in volume_bib
    # (each paper's entry as its file has it, with a crossref to the volume; then the keynotes and the volume: the item 5)
    from enlsp_proceedings.outputs import cite

    key = re.search(r"^@proceedings\{([^,]+),", volume_bib, flags=re.M).group(1)
    own = [(p, cite.without_preamble((site / "papers" / f"{p['id']}.bib").read_text().strip())) for p in data["papers"]]
    assert cite.without_preamble(volume_bib).startswith("\n\n\n".join(cite.with_crossref(text, key) if p["authors"] else text for p, text in own))
    # more pages than HTMLBuilder.SERIAL_WRITES are still written in parallel
    monkeypatch.setattr(HTMLBuilder, "SERIAL_WRITES", 2)
    data["papers"][7]["title"] = "Edited Once More"
    conf.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    build_site(opts)
    assert len(parallel_writes) == 1 and parallel_writes[0]


def test_a_large_write_goes_to_sphinx_in_batches_and_makes_the_same_site(tmp_path, monkeypatch, capsys):
    """Sphinx's parallel write resolves every page before it writes any: `HTMLBuilder` hands it at most
    `BATCH` pages at a time (even batches, in Sphinx's order), and the site is the same, byte for byte."""
    from sphinx.builders import Builder

    from enlsp_proceedings.sphinxext.parallel import HTMLBuilder

    written: list[list[str]] = []
    real_write = Builder._write_parallel
    monkeypatch.setattr(Builder, "_write_parallel", lambda self, docnames, nproc: written.append(list(docnames)) or real_write(self, docnames, nproc))
    sites = {}
    for name, batch in (("whole", 100_000), ("batched", 7)):
        root = tmp_path / name
        write_workshop(root, random_papers(12, seed=5))
        monkeypatch.setattr(HTMLBuilder, "BATCH", batch)
        written.clear()
        capsys.readouterr()
        opts = options(root)
        opts.jobs, opts.quiet = 2, False
        build_site(opts)
        sites[name] = {str(p.relative_to(root / "site")): p.read_bytes() for p in (root / "site").rglob("*.html")}
        pages = [d for part in written for d in part]
        assert pages == sorted(pages) and len(set(pages)) == len(pages) and len(pages) > 30
        if name == "batched":
            sizes = [len(part) for part in written]
            assert len(sizes) > 3 and max(sizes) <= 7 and max(sizes) - min(sizes) <= 1, sizes
            shown = [int(line.split()[-1].rstrip("%")) for line in capsys.readouterr().err.splitlines() if line.startswith("writing pages")]
            assert shown == sorted(shown) and shown[-1] == 100 and len(shown) > 2, shown
        else:
            assert len(written) == 1
    assert sites["batched"] == sites["whole"]


def test_search_index_is_built_while_sphinx_runs_and_a_failed_build_stops_it(fresh, monkeypatch):
    """Pagefind starts before Sphinx (records come from the data); a failure kills it and leaves no debris."""
    from enlsp_proceedings.publish import pipeline as build
    from enlsp_proceedings.search import index as search

    children, seen = [], {}
    real_start = search._start_indexer
    monkeypatch.setattr(search, "_start_indexer", lambda records, out: children.append(real_start(records, out)) or children[-1])

    def failing_sphinx(volume, src, site, doctrees, data_path, opts):
        seen["started"] = len(children)
        raise build.BuildError("Sphinx failed (simulated)")

    monkeypatch.setattr(build, "run_sphinx", failing_sphinx)
    conf = fresh / "conf" / "papers.yaml"
    data = yaml.safe_load(conf.read_text())
    data["papers"][3]["title"] = "Searchable New Title"
    conf.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    before = mtimes(fresh / "site", "*")
    with pytest.raises(build.BuildError):
        build_site(options(fresh))
    assert seen["started"] == 1  # indexing was under way before Sphinx ran
    assert children[0][0].poll() is not None  # and was stopped (or had finished) with the build
    assert not list((fresh / ".enlsp-cache").glob("pagefind.*.tmp"))
    assert mtimes(fresh / "site", "*") == before
    monkeypatch.undo()
    assert build_site(options(fresh)).search_index == "indexed"
    meta = (fresh / "site" / "pagefind" / search.STAMP).read_text()
    assert json.loads(meta)["records"] > 12


def test_a_build_s_own_process_does_not_import_what_only_the_indexer_needs():
    """asyncio (0.02 s of every command's start) is the Pagefind child's: the build checks the
    bundles it wrote with `search.written`, and neither the command nor Sphinx's modules pull it in."""
    import subprocess
    import sys

    script = ("import sys\n"
              "import enlsp_proceedings.cli, enlsp_proceedings.publish.series, enlsp_proceedings.search.index\n"
              "from enlsp_proceedings.publish.sphinx_run import import_sphinx\n"
              "import_sphinx()\n"
              "print('asyncio' in sys.modules)\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True)
    assert done.stdout.strip() == "False"


def test_a_sphinx_run_makes_no_debug_record_and_leaves_logging_as_it_was(fresh):
    """Sphinx sets its logger to DEBUG and shows DEBUG only at verbosity 2 or more; a build runs at 0.
    Each of its debug calls made a record for its handlers to drop (0.07 s of a one-paper edit at
    10 × 1,000 papers): a build makes none now, and a level disabled before it stays disabled."""
    import logging

    made: list[int] = []
    factory = logging.getLogRecordFactory()

    def counting(*args, **kwargs):
        record = factory(*args, **kwargs)
        made.append(record.levelno)
        return record

    conf = fresh / "conf" / "papers.yaml"
    for title, disabled in (("A Title Built Without Debug Records", logging.NOTSET), ("Built With Info Disabled", logging.INFO)):
        data = yaml.safe_load(conf.read_text())
        data["papers"][2]["title"] = title
        conf.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
        logging.disable(disabled)
        logging.setLogRecordFactory(counting)
        try:
            assert not build_site(options(fresh)).up_to_date
            assert logging.root.manager.disable == disabled
        finally:
            logging.setLogRecordFactory(factory)
            logging.disable(logging.NOTSET)
        assert logging.DEBUG not in made
        assert title in (fresh / "site" / "papers" / "index.html").read_text(encoding="utf-8")
    assert logging.getLogger("sphinx").isEnabledFor(logging.DEBUG)  # Sphinx's own setting, as it was


def test_an_edit_reindexes_only_the_search_bundle_that_holds_its_record(tmp_path, monkeypatch):
    """The index is split into bundles by record; one changed paper re-indexes one bundle, the
    others are kept (or linked from the other site copy), and the bundles hold every record once."""
    from enlsp_proceedings.search import index as search
    from enlsp_proceedings.search.pagefind_child import index_problem

    monkeypatch.setattr(search, "SHARD_RECORDS", 8)
    write_workshop(tmp_path, random_papers(12, seed=3))
    build_site(options(tmp_path))
    index = tmp_path / "site" / "pagefind"
    before = json.loads((index / search.MANIFEST).read_text())["bundles"]
    assert len(before) >= 4
    specs = []
    real_start = search._start_indexer
    monkeypatch.setattr(search, "_start_indexer", lambda spec, out: specs.append(json.loads(spec)) or real_start(spec, out))
    conf = tmp_path / "conf" / "papers.yaml"
    data = yaml.safe_load(conf.read_text())
    data["papers"][5]["title"] = "A Title Found in One Bundle"
    conf.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    assert build_site(options(tmp_path)).search_index == "indexed"
    [[bundle]] = specs  # one indexer run, for one bundle
    assert f"papers/{data['papers'][5]['id']}.html" in [r["url"] for r in bundle["records"]]
    after = json.loads((index / search.MANIFEST).read_text())["bundles"]
    assert len(after) == len(before) and set(after) - set(before) == {bundle["dir"] + "/"}
    assert sorted(p.name for p in index.iterdir()) == sorted([b.rstrip("/") for b in after] + [search.MANIFEST, search.STAMP])
    pages = 0
    for name in after:
        assert index_problem(index / name) is None
        pages += json.loads((index / name / "pagefind-entry.json").read_text())["languages"]["en"]["page_count"]
    assert pages == json.loads((index / search.STAMP).read_text())["records"]
    # the old title again: the other site copy still holds that bundle, so nothing is indexed
    specs.clear()
    data["papers"][5]["title"] = random_papers(12, seed=3)[5].title
    conf.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    assert build_site(options(tmp_path)).search_index in {"copied", "unchanged"}
    assert specs == [] and json.loads((index / search.MANIFEST).read_text())["bundles"] == before


def test_paths_spelled_differently_are_the_same_build(fresh, monkeypatch):
    """Relative or absolute, from any working directory: no-change stays a no-change, an edit stays small."""
    monkeypatch.chdir(fresh)
    relative = BuildOptions(conf_dir=Path("conf"), papers_dir=Path("papers"), out_dir=Path("site"), docs_dir=Path("docs"), jobs=1, quiet=True)
    assert build_site(relative).up_to_date
    conf = fresh / "conf" / "papers.yaml"
    data = yaml.safe_load(conf.read_text())
    data["papers"][5]["title"] = "Edited From Elsewhere"
    conf.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    started = time.time_ns()
    build_site(relative)
    monkeypatch.chdir(fresh.parent)
    data["papers"][5]["title"] = "Edited Again From Elsewhere"
    conf.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    build_site(options(fresh))  # absolute paths, other working directory
    reread = set()
    for d in (fresh / ".enlsp-cache" / "doctrees").iterdir():
        reread |= {k for k, v in mtimes(d, "*.doctree").items() if v >= started}
    assert 0 < len(reread) < 20, sorted(reread)  # never all pages (config unchanged)


def test_a_rebuild_compiles_no_template_again(fresh, monkeypatch):
    """The theme's and the extension's templates are compiled once, into the build's cache
    (`sphinxext.html.template_cache`): an edit's Sphinx run loads them compiled."""
    import jinja2

    compiled: list[str] = []
    compile_ = jinja2.Environment.compile

    def spy(self, source, name=None, filename=None, *args, **kwargs):
        if name is not None:  # a template file; Sphinx also renders a few static files from strings
            compiled.append(name)
        return compile_(self, source, name, filename, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", spy)
    retitle_paper(fresh, 2, "A Title Edited Once")
    build_site(options(fresh))
    assert compiled == []
    assert list((fresh / ".enlsp-cache" / "templates").glob("*/__jinja2_*.cache"))


def test_the_compiled_templates_are_kept_apart_per_python_jinja_and_sphinx(tmp_path, monkeypatch):
    import jinja2

    from enlsp_proceedings.sphinxext import html

    assert html.template_cache("") is None  # a Sphinx run without the build's cache (a guide built by hand)
    first = html.template_cache(str(tmp_path))
    assert isinstance(first, jinja2.FileSystemBytecodeCache)
    monkeypatch.setattr(jinja2, "__version__", "0.0-other")
    other = html.template_cache(str(tmp_path))
    assert isinstance(other, jinja2.FileSystemBytecodeCache) and other.directory != first.directory
    (tmp_path / "file").write_text("not a folder")
    assert html.template_cache(str(tmp_path / "file")) is None  # the cache only saves time: none, no error
