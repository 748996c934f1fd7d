"""<head> metadata (Google Scholar, OpenGraph), the sitemap and the cite panel on built pages."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import bibtexparser
import pytest
import yaml

from browsers import chromium, needs_chromium, serving
from conftest import built_workshop, run_build
from enlsp_proceedings.sphinxext.headmeta import truncate
from synthetic import UNICODE_TITLES, unicode_workshop

BASE = "https://example.org/synth/"


class _Head(HTMLParser):
    def __init__(self):
        super().__init__()
        self.meta: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        key = attrs.get("name") or attrs.get("property")
        if tag == "meta" and key and "content" in attrs:
            self.meta.append((key, attrs["content"]))


def head_meta(page: Path) -> list[tuple[str, str]]:
    text = page.read_text(encoding="utf-8")
    parser = _Head()
    parser.feed(text[: text.index("</head>")])
    return parser.meta


def values(meta: list[tuple[str, str]], key: str) -> list[str]:
    return [v for k, v in meta if k == key]


@pytest.fixture(scope="module")
def unicode_site(tmp_path_factory) -> Path:
    return built_workshop(tmp_path_factory, "unicode-site", unicode_workshop)


def html_pages(site: Path) -> set[str]:
    pages = {p.relative_to(site).as_posix() for p in site.rglob("*.html")}
    # search and 404 are utility pages: no OpenGraph preview, not in the sitemap
    return {p for p in pages if not p.startswith("_") and p not in {"search.html", "genindex.html", "404.html"}}


def sitemap(site: Path) -> set[str]:
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    return {loc.text for loc in ElementTree.parse(site / "sitemap.xml").getroot().findall("s:url/s:loc", ns)}


# -- Google Scholar --------------------------------------------------------------------------

def test_scholar_tags(small_site):
    site = small_site / "site"
    alpha = head_meta(site / "papers" / "alpha.html")
    assert values(alpha, "citation_title") == ["Quantizing DistilHuBERT for Müller's Speech"]
    assert values(alpha, "citation_author") == ["Jürgen Müller", "Nguyễn, Văn An"]  # family first: Scholar files it under Nguyễn
    assert values(alpha, "citation_publication_date") == ["2031/12/05"]
    assert values(alpha, "citation_conference_title") == ["Proceedings of the 1st Synthetic Workshop on Testing"]
    assert values(alpha, "citation_pdf_url") == [BASE + "papers/alpha.pdf"]
    assert (site / "papers" / "alpha.pdf").is_file()
    gamma = head_meta(site / "papers" / "gamma.html")  # no PDF: no citation_pdf_url
    assert values(gamma, "citation_author") == ["Wei Zhang"] and values(gamma, "citation_pdf_url") == []
    assert values(head_meta(site / "schedule.html"), "citation_title") == []


def test_one_citation_author_per_author_and_values_escaped(unicode_site):
    site = unicode_site / "site"
    conf = yaml.safe_load((unicode_site / "conf" / "papers.yaml").read_text(encoding="utf-8"))["papers"]
    for paper in conf:
        page = site / "papers" / f"{paper['id']}.html"
        meta = head_meta(page)
        expected = [f"{a['family']}, {a['name'][len(a['family']) + 1:]}" if a.get("family") and a["name"].startswith(a["family"] + " ")
                    else f"{a['family']}, {a['name'][: -len(a['family']) - 1]}" if a.get("family") else a["name"] for a in paper["authors"]]
        assert values(meta, "citation_author") == expected
        assert values(meta, "citation_title") == [paper["title"]] == values(meta, "og:title")
        assert len(values(meta, "citation_pdf_url")) == (1 if (site / "papers" / f"{paper['id']}.pdf").is_file() else 0)
    head = (site / "papers" / "uni-2.html").read_text(encoding="utf-8").split("</head>")[0]
    assert UNICODE_TITLES[2] not in head and "<Angle>" not in head  # only ever escaped


# -- schema.org and CSL-JSON -----------------------------------------------------------------

def json_ld(page: Path) -> list[dict]:
    head = page.read_text(encoding="utf-8").split("</head>")[0]
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', head, flags=re.S)
    return [json.loads(s) for s in scripts]


def test_paper_pages_describe_a_scholarly_article(small_site, unicode_site):
    site = small_site / "site"
    [article] = json_ld(site / "papers" / "alpha.html")
    assert article["@context"] == "https://schema.org" and article["@type"] == "ScholarlyArticle"
    assert article["headline"] == article["name"] == "Quantizing DistilHuBERT for Müller's Speech"
    assert article["url"] == BASE + "papers/alpha.html" and article["datePublished"] == "2031-12-05"
    assert [a["name"] for a in article["author"]] == ["Jürgen Müller", "Nguyễn Văn An"]
    assert article["author"][1]["familyName"] == "Nguyễn" and article["author"][1]["givenName"] == "Văn An"
    assert article["encoding"]["contentUrl"] == BASE + "papers/alpha.pdf"
    assert article["abstract"].startswith("We quantize things.")
    [gamma] = json_ld(site / "papers" / "gamma.html")
    assert "encoding" not in gamma  # no PDF
    assert json_ld(site / "schedule.html") == [] and json_ld(site / "index.html") == []
    # every title, with its <, > and &, survives inside the script and never ends it
    conf = yaml.safe_load((unicode_site / "conf" / "papers.yaml").read_text(encoding="utf-8"))["papers"]
    for paper in conf:
        page = unicode_site / "site" / "papers" / f"{paper['id']}.html"
        [article] = json_ld(page)
        assert article["name"] == paper["title"]
        head = page.read_text(encoding="utf-8").split("</head>")[0]
        script = head.split('<script type="application/ld+json">')[1].split("</script>")[0]
        assert not re.search("[<>&]", script)


def test_hostile_text_cannot_leave_the_json_ld_script():
    from enlsp_proceedings.sphinxext.headmeta import json_ld as render

    out = render({"name": "</script><script>alert(1)</script><!-- & \u2028"})
    inner = out.split(">", 1)[1].rsplit("</script>", 1)[0]
    assert "<" not in inner and ">" not in inner and "&" not in inner and "\u2028" not in inner
    assert json.loads(inner)["name"] == "</script><script>alert(1)</script><!-- & \u2028"


def test_csl_json_per_paper_and_for_the_volume(small_site, unicode_site):
    site = small_site / "site"
    [alpha] = json.loads((site / "papers" / "alpha.csl.json").read_text(encoding="utf-8"))
    assert alpha["type"] == "paper-conference" and alpha["title"] == "Quantizing DistilHuBERT for Müller's Speech"
    assert alpha["author"] == [{"family": "Müller", "given": "Jürgen"}, {"family": "Nguyễn", "given": "Văn An"}]
    assert alpha["issued"] == {"date-parts": [[2031, 12, 5]]} and alpha["URL"] == BASE + "papers/alpha.html"
    assert alpha["container-title"] == "Proceedings of the 1st Synthetic Workshop on Testing"
    bib_keys = [e.key for e in bibtexparser.parse_string((site / "proceedings.bib").read_text(encoding="utf-8")).entries]
    volume = json.loads((site / "proceedings.csl.json").read_text(encoding="utf-8"))
    assert [item["id"] for item in volume] == bib_keys and alpha in volume  # the same keys as the BibTeX
    assert all(item["type"] == "speech" for p in (site / "keynotes").glob("*.csl.json") for item in json.loads(p.read_text(encoding="utf-8")))
    uni = json.loads((unicode_site / "site" / "proceedings.csl.json").read_text(encoding="utf-8"))
    names = [n for item in uni if item["type"] != "book" for n in item["author"]]  # the volume itself (a book) has editors
    assert {"literal": "Smith and Wesson Research Group"} in names
    assert {"family": "von Neumann", "given": "Ludwig", "suffix": "Jr."} in names
    assert {"family": "García López", "given": "Ana María"} in names


@pytest.mark.skipif(not shutil.which("pandoc"), reason="needs pandoc")
def test_pandoc_reads_the_csl_json(small_site, tmp_path):
    """Pandoc's citeproc formats the volume's CSL-JSON without complaint."""
    site = small_site / "site"
    (tmp_path / "doc.md").write_text("---\nnocite: '@*'\n---\n", encoding="utf-8")
    result = subprocess.run(["pandoc", "--citeproc", "--bibliography", str(site / "proceedings.csl.json"), "-t", "plain", "doc.md"],
                            cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and not result.stderr, result.stderr
    assert "Müller" in result.stdout and "Quantizing DistilHuBERT" in result.stdout


# -- OpenGraph -------------------------------------------------------------------------------

def test_opengraph_tags_once_per_page(unicode_site, small_site):
    for site in (unicode_site / "site", small_site / "site"):
        for page in html_pages(site):
            meta = head_meta(site / page)
            keys = [k for k, _ in meta if k.startswith("og:") or k == "description"]
            assert len(keys) == len(set(keys)), (page, keys)
            for key in ("og:title", "og:url", "og:type", "og:description", "description"):
                assert len(values(meta, key)) == 1, (page, key)
            assert values(meta, "og:url") == [BASE + page]


def test_paper_description_is_the_abstract(small_site, unicode_site):
    site = small_site / "site"
    meta = head_meta(site / "papers" / "alpha.html")
    assert values(meta, "og:type") == ["article"]
    assert values(meta, "og:description") == ["We quantize things. A second paragraph of the abstract."] == values(meta, "description")
    assert values(head_meta(site / "index.html"), "og:type") == ["website"]
    conf = yaml.safe_load((unicode_site / "conf" / "papers.yaml").read_text(encoding="utf-8"))["papers"]
    long = next(p for p in conf if p["id"] == "uni-0")
    [description] = values(head_meta(unicode_site / "site" / "papers" / "uni-0.html"), "og:description")
    assert description == truncate(long["abstract"]) and description.endswith("…") and len(description) <= 200
    assert long["abstract"].startswith(description[:-1])


def test_truncate():
    assert truncate("short  text\n") == "short text"
    text = "word " * 100
    cut = truncate(text, 50)
    assert len(cut) <= 50 and cut.endswith("word…")
    assert truncate("x" * 300, 20) == "x" * 19 + "…"


# -- sitemap ---------------------------------------------------------------------------------

def test_sitemap_lists_every_page(small_site):
    site = small_site / "site"
    assert sitemap(site) == {BASE + p for p in html_pages(site)}


@pytest.mark.parametrize("jobs", ["1", "auto"])
def test_sitemap_complete_after_incremental_build(workshop_copy, jobs):
    """A rebuild that re-reads one page still lists every page (sphinx-sitemap would list one)."""
    papers = workshop_copy / "conf" / "papers.yaml"
    data = yaml.safe_load(papers.read_text(encoding="utf-8"))
    data["papers"][1]["title"] = "Sparse Attention on Watches"
    papers.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert run_build(workshop_copy, "-j", jobs) == 0
    site = workshop_copy / "site"
    assert "Sparse Attention on Watches" in (site / "papers" / "beta.html").read_text(encoding="utf-8")
    assert len(sitemap(site)) == len(html_pages(site)) > 20
    assert sitemap(site) == {BASE + p for p in html_pages(site)}


@pytest.mark.parametrize("locations", [[], ["https://x.org/a.html"],
                                       ["https://x.org/a&b.html", "https://x.org/<c>.html", "https://x.org/müller.html", "https://x.org/q?a=1&b=2"]])
def test_the_sitemap_is_what_elementtree_writes(locations):
    """The sitemap is written as text (0.012 s instead of 0.09–0.12 s for the 23,809 addresses of a
    series of 10 × 1,000 papers): byte for byte what ElementTree writes, escaped, and read back whole."""
    from xml.etree import ElementTree

    from enlsp_proceedings.sphinxext.headmeta import SITEMAP_NS, sitemap_locations, sitemap_xml

    root = ElementTree.Element("urlset", xmlns=SITEMAP_NS)
    for location in locations:
        ElementTree.SubElement(ElementTree.SubElement(root, "url"), "loc").text = location
    ElementTree.indent(root)
    assert sitemap_xml(locations) == ElementTree.tostring(root, encoding="unicode", xml_declaration=True) + "\n"
    assert sitemap_locations(sitemap_xml(locations)) == locations
    assert [loc.text for loc in ElementTree.fromstring(sitemap_xml(locations).encode()).iter(f"{{{SITEMAP_NS}}}loc")] == locations


# -- volume files ----------------------------------------------------------------------------

def test_papers_json_has_everything(small_site):
    data = json.loads((small_site / "site" / "papers.json").read_text(encoding="utf-8"))
    assert {"workshop", "papers", "keynotes", "schedule", "panel", "people"} <= set(data)
    by_id = {p["id"]: p for p in data["papers"]}
    alpha = by_id["alpha"]
    assert alpha["bibkey"] == "muller-nguyen-2031-quantizing" and alpha["authors"][1]["family"] == "Nguyễn"
    assert alpha["bib_url"] == BASE + "papers/alpha.bib" and alpha["ris_url"] == BASE + "papers/alpha.ris"
    keynote = {k["id"]: k for k in data["keynotes"]}["kay-note"]
    assert keynote["bibkey"] == "note-2031-efficient-keynote" and keynote["bib_url"] == BASE + "keynotes/kay-note.bib"
    assert [s["start"] for s in data["schedule"]][:2] == ["2031-12-05T09:00:00+00:00", "2031-12-05T09:10:00+00:00"]
    assert {"kind": "keynote", "id": "kay-note", "url": BASE + "keynotes/kay-note.html"}.items() <= data["schedule"][1].items()
    assert data["panel"]["id"] == "panel-one" and data["people"]["organizers"][0]["name"] == "Olga Organizer"


# -- cite panel ------------------------------------------------------------------------------

def test_cite_panel_has_four_copyable_blocks(small_site):
    page = (small_site / "site" / "papers" / "alpha.html").read_text(encoding="utf-8")
    cite = page[page.index('id="cite"'):]
    labels = re.findall(r'<label [^>]*class="sd-tab-label"[^>]*>\s*([^<]+?)\s*</label>', cite)
    assert labels == ["BibTeX", "ACL", "Markdown", "RIS"]
    contents = re.split(r'<div class="sd-tab-content', cite)[1:5]
    for content in contents:  # sphinx-copybutton's selector is "div.highlight pre"
        assert re.search(r'<div class="highlight"><pre>', content)
    for name in ("alpha.bib", "alpha.ris", "alpha.csl.json"):  # saved, not opened as text in the tab
        assert f'<a class="enlsp-download" download="{name}" href="{name}">' in cite, name
    assert (small_site / "site" / "papers" / "alpha.ris").read_text().startswith("TY  - CPAPER\n")


def test_keynote_cite_block_wraps_and_links_its_files(small_site):
    page = (small_site / "site" / "keynotes" / "kay-note.html").read_text(encoding="utf-8")
    cite = page[page.index('id="cite"') - 200:]
    assert re.search(r'<section class="enlsp-cite" id="cite">', cite)  # .enlsp-cite pre wraps long lines
    assert 'download="kay-note.bib" href="kay-note.bib"' in cite and 'href="kay-note.csl.json"' in cite
    assert (small_site / "site" / "keynotes" / "kay-note.bib").is_file()


@pytest.mark.browser
@needs_chromium
def test_copy_buttons_in_browser(small_site):
    site = small_site / "site"
    with serving(site) as base, chromium() as browser:
        url = base + "papers/alpha.html"
        context = browser.new_context()
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base.rstrip("/"))
        page = context.new_page()
        page.goto(url)
        panel = page.locator("#cite .sd-tab-set")
        page.wait_for_selector("#cite .sd-tab-content button.copybtn", state="attached")
        expected = (site / "papers" / "alpha.bib").read_text(encoding="utf-8").strip()
        for index, label in enumerate(["BibTeX", "ACL", "Markdown", "RIS"]):
            panel.locator("label.sd-tab-label", has_text=label).click()
            content = panel.locator(".sd-tab-content").nth(index)
            assert content.is_visible()
            button = content.locator("button.copybtn")
            assert button.count() == 1
            content.locator("pre").hover()
            button.click()
            copied = page.evaluate("navigator.clipboard.readText()")
            assert copied.strip() == content.locator("pre").inner_text().strip() != ""
            if label == "BibTeX":
                assert copied.strip() == expected


# -- papers.json ------------------------------------------------------------------------------

def test_papers_json_is_versioned_and_valid_against_its_published_schema(small_site, unicode_site):
    import jsonschema

    from enlsp_proceedings.outputs.volume import PAPERS_JSON_VERSION, SCHEMA_FILE

    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    for root in (small_site, unicode_site):
        site = root / "site"
        assert json.loads((site / "papers.schema.json").read_text(encoding="utf-8")) == schema  # published beside it
        data = json.loads((site / "papers.json").read_text(encoding="utf-8"))
        assert data["version"] == PAPERS_JSON_VERSION == 2 and data["$schema"] == "papers.schema.json"
        errors = sorted(validator.iter_errors(data), key=str)
        assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors[:5]]
        # the schema is strict enough to catch a broken file
        broken = json.loads(json.dumps(data))
        del broken["papers"][0]["title"]
        broken["papers"][1]["pdf_url"] = "papers/x.pdf"  # not an absolute URL
        assert len(list(validator.iter_errors(broken))) == 2
    pending = next(p for p in json.loads((small_site / "site" / "papers.json").read_text())["papers"] if p["id"] == "gamma")
    assert pending["pdf_url"] is None and pending["camera_ready"] == "pending"
