"""The real ENLSP-II archive: all 40 accepted papers, their 39 real camera-ready PDFs, built as
`nox -s build` builds it.

Ground truth is the workshop's own website data (``../shared/enlsp-ii-2022-source``, copied
unchanged from its repository) and the public page text (``../shared/seed``); the tests that
compare against them skip where that copy is absent, the others need only the repository.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from conftest import REPO
from enlsp_proceedings.importers.cmt import read_cmt
from enlsp_proceedings.model.load import load_proceedings
from test_build import visible

SHARED = REPO.parent / "shared"
SEED = SHARED / "seed" / "enlsp-ii-2022-website.txt"
SOURCE = SHARED / "enlsp-ii-2022-source"
CHECKSUMS = REPO / "tests" / "data" / "real_papers.sha256"

#: The eight papers with a talk slot, in schedule order (the workshop page's program).
TALKS = [
    "Collective Knowledge Graph Completion with Mutual Knowledge Distillation",
    "Attribute Controlled Dialogue Prompting",
    "Fast DistilBERT on CPUs",
    "Efficient Few-Shot Learning Without Prompts",
    "PCFG-based Natural Language Interface Improves Generalization for Controlled Text Generation",
    "PromptDA: Label-guided Data Augmentation for Prompt-based Few-shot Learners",
    "Improving the Robustness of DistilHuBERT to Unseen Noisy Conditions via Data Augmentation, Curriculum Learning, and Multi-Task Enhancement",
    "Gradient Knowledge Distillation for Pre-trained Language Models",
]
KEYNOTE_SPEAKERS = ["Lu Hou", "Jimmy Lin", "Tara Sainath", "Song Han", "Danqi Chen", "Yang You", "Bang Liu",
                    "Graham Neubig", "Siva Reddy", "Tim Dettmers", "Anna Huang"]


def load(name: str) -> dict:
    return yaml.safe_load((REPO / "conf" / "2022" / name).read_text(encoding="utf-8"))


def need(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} is not beside this clone")
    return path


@pytest.fixture(scope="module")
def proc():
    return load_proceedings(REPO / "conf" / "2022")


@pytest.fixture(scope="module")
def accepted() -> dict[str, object]:
    """The accepted list as the organizers kept it, read by the importer: CMT paper id -> paper."""
    papers, skipped = read_cmt(need(SOURCE / "_data" / "accepted_papers.yml"))
    assert not skipped
    return {p.source_id: p for p in papers}


# -- conf/ ------------------------------------------------------------------------------------

def test_the_archive_has_all_40_accepted_papers_each_tied_to_its_cmt_entry(proc):
    assert len(proc.papers) == 40
    numbers = [p.review_id.removeprefix("cmt:") for p in proc.papers]
    assert all(p.review_id.startswith("cmt:") for p in proc.papers)
    assert len(set(numbers)) == 40
    assert [p.title for p in proc.papers[:8]] == TALKS
    assert {p.presentation for p in proc.papers[:8]} == {"oral"}
    assert {p.presentation for p in proc.papers[8:]} == {"poster"}


def _yaml_block(paper_id: str) -> str:
    """The text of one entry of conf/papers.yaml, comments included."""
    text = (REPO / "conf" / "2022" / "papers.yaml").read_text(encoding="utf-8")
    start = text.index(f"  - id: {paper_id}\n")
    end = text.find("\n  - id: ", start + 1)
    return text[start:end if end > 0 else None]


def test_titles_abstracts_and_authors_are_those_of_the_accepted_list(proc, accepted):
    """Where the archive differs from the accepted list (page 1 of the camera-ready disagrees), the
    entry says so and why in a `# source:` comment."""
    assert {p.review_id.removeprefix("cmt:") for p in proc.papers} == set(accepted)
    quotes = str.maketrans({"“": '"', "”": '"'})

    def norm(text: str) -> str:
        return " ".join(text.replace("``", '"').replace("''", '"').translate(quotes).split())

    differing = []
    for paper in proc.papers:
        source = accepted[paper.review_id.removeprefix("cmt:")]
        assert paper.title == source.title, paper.id
        assert norm(paper.abstract) == norm(source.abstract), paper.id
        if source.anonymous:
            assert "Anonymous" in _yaml_block(paper.id), paper.id
            continue
        ours = [(a.name, a.affiliation) for a in paper.authors]
        theirs = [(a["name"], a.get("affiliation")) for a in source.authors]
        if ours != theirs:
            differing.append(paper.id)
            assert "# source:" in _yaml_block(paper.id), f"{paper.id}: differs from the accepted list without a # source: comment"
    assert sorted(differing) == sorted(["few-shot-without-prompts", "robust-distilhubert", "cmt-19", "cmt-31", "cmt-42", "cmt-53"])


def test_anonymous_entries_take_the_presenters_or_say_nobody(proc, accepted):
    anonymous = sorted(int(n) for n, p in accepted.items() if p.anonymous)
    assert anonymous == [2, 8, 46, 65]
    by_number = {p.review_id.removeprefix("cmt:"): p for p in proc.papers}
    # papers 8 and 46: the presenters the workshop page lists for their talks
    assert [a.name for a in by_number["8"].authors] == ["Weihang Zhang", "Ovidiu Serban", "Jiahao Sun", "Yike Guo"]
    assert [a.name for a in by_number["46"].authors][:2] == ["Runcheng Liu", "Ahmad Rashid"]
    assert by_number["2"].authors == [] and by_number["65"].authors == []
    people = [a.name for p in proc.papers for a in p.authors]
    assert not [n for n in people if "anonymous" in n.lower()]


def test_abstracts_and_bios_of_the_talks_are_verbatim_from_the_page():
    seed = re.sub(r"\s+", " ", need(SEED).read_text(encoding="utf-8"))
    for paper in load("papers.yaml")["papers"][:8]:
        assert re.sub(r"\s+", " ", paper["abstract"]) in seed, paper["id"]
    for keynote in load("keynotes.yaml")["keynotes"]:
        assert re.sub(r"\s+", " ", keynote["bio"]) in seed, keynote["id"]


def test_keynotes_and_committee_are_there():
    keynotes = load("keynotes.yaml")["keynotes"]
    assert [k["speaker"]["name"] for k in keynotes] == KEYNOTE_SPEAKERS
    assert len(load("people.yaml")["technical_committee"]) >= 50


# -- papers/ ----------------------------------------------------------------------------------

def _checksums() -> dict[str, str]:
    lines = CHECKSUMS.read_text(encoding="utf-8").splitlines()
    return {name: digest for digest, name in (line.split("  ", 1) for line in lines if line and not line.startswith("#"))}


def test_the_39_camera_readies_are_committed_byte_for_byte():
    expected = _checksums()
    assert len(expected) == 39
    found = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in (REPO / "papers" / "2022").glob("*.pdf")}
    assert found == expected


def test_each_pdf_is_the_organizers_file_of_its_paper(proc):
    """papers/<id>.pdf is the old site's papers/paper_<CMT id>.pdf, unchanged; paper 2 has none."""
    source = need(SOURCE / "papers")
    for paper in proc.papers:
        number = paper.review_id.removeprefix("cmt:")
        ours, theirs = REPO / "papers" / "2022" / paper.pdf_name, source / f"paper_{number}.pdf"
        assert ours.exists() == theirs.exists(), paper.id
        if theirs.exists():
            assert ours.read_bytes() == theirs.read_bytes(), paper.id
    assert not (REPO / "papers" / "2022" / "cmt-2.pdf").exists()


# -- the built site ---------------------------------------------------------------------------

def test_every_paper_has_its_page_and_every_pdf_is_published_with_its_page_count(real_site, proc):
    """Every camera-ready is published, except the review copy of a submission (found by hand, see
    tests/data/real_content_pages.yaml) whose entry has no publish_review_copy note."""
    truth = yaml.safe_load((REPO / "tests" / "data" / "real_content_pages.yaml").read_text(encoding="utf-8"))["papers"]
    review_copies = {f"cmt:{number}" for number, facts in truth.items() if facts.get("review_copy") == "submission"}
    published = withheld = 0
    for paper in proc.papers:
        page = visible((real_site / "papers" / f"{paper.id}.html").read_text(encoding="utf-8"))
        assert paper.title in page
        for author in paper.authors:
            assert author.name in page
        pdf = REPO / "papers" / "2022" / paper.pdf_name
        if not pdf.exists():
            assert "Camera-ready not available" in page, paper.id  # the workshop took place in 2022: not "not yet"
            continue
        if paper.review_id in review_copies:
            if paper.publish_review_copy:
                assert " ".join(paper.publish_review_copy.split()) in " ".join(page.split()), paper.id
                card = visible((real_site / "papers" / "index.html").read_text(encoding="utf-8"))
                assert "PDF (review copy) · " in card, paper.id
            else:
                assert "anonymized review copy" in page and not (real_site / "papers" / f"{paper.id}.pdf").exists(), paper.id
                withheld += 1
                continue
        site_pdf = real_site / "papers" / f"{paper.id}.pdf"
        assert site_pdf.read_bytes() == pdf.read_bytes(), paper.id
        pages = len(PdfReader(pdf).pages)
        assert f"{pages} pages" in page, paper.id
        assert (real_site / "papers" / f"{paper.id}.png").is_file(), paper.id
        published += 1
    assert published + withheld == 39
    data = json.loads((real_site / "papers.json").read_text(encoding="utf-8"))
    assert len(data["papers"]) == 40
    # one count everywhere: the published review copy is no camera-ready in papers.json either
    states = {p["id"]: p["camera_ready"] for p in data["papers"]}
    assert states["collective-kgc"] == "review-copy" and list(states.values()).count("available") == 38
    assert [i for i, state in states.items() if state == "pending"] == ["cmt-2"]


def test_the_old_sites_pdf_links_keep_working(real_site, proc):
    """The old site served papers/paper_<CMT id>.pdf; with the same base_url those links still work."""
    assert load("workshop.yaml")["base_url"] == "https://neurips2022-enlsp.github.io/"
    for paper in proc.papers:
        number = paper.review_id.removeprefix("cmt:")
        old = real_site / "papers" / f"paper_{number}.pdf"
        if (real_site / "papers" / f"{paper.id}.pdf").exists():  # published (see the test above for which are)
            assert old.read_bytes() == (REPO / "papers" / "2022" / paper.pdf_name).read_bytes(), paper.id
        else:
            assert not old.exists()


def test_anonymous_is_never_a_person_on_the_site(real_site, proc):
    assert not list((real_site / "authors").glob("anonymous*"))
    for path in real_site.rglob("*"):
        if path.suffix in (".html", ".bib", ".ris", ".json", ".ics"):
            text = path.read_text(encoding="utf-8")
            assert not re.search(r'name="citation_author" content="Anonymous', text), path
            assert not re.search(r"author\s*=\s*\{[^}]*Anonymous", text), path
            assert not re.search(r"^AU  - Anonymous", text, re.M), path
    data = json.loads((real_site / "papers.json").read_text(encoding="utf-8"))
    assert not [a for p in data["papers"] for a in p["authors"] if "anonymous" in json.dumps(a).lower()]


def test_papers_without_known_authors_say_so_and_can_still_be_cited(real_site, proc):
    for paper in (p for p in proc.papers if not p.authors):
        page = visible((real_site / "papers" / f"{paper.id}.html").read_text(encoding="utf-8"))
        assert "Authors unknown" in page and "do not name the authors" in page
        bib = (real_site / "papers" / f"{paper.id}.bib").read_text(encoding="utf-8")
        assert "author =" not in bib and "key =" in bib
        # a @misc, not an @inproceedings, which every standard style requires an author of (bibtex and biber warn)
        assert re.match(r"@misc\{[a-z]+-[a-z]+-2022,", bib), bib
        ris = (real_site / "papers" / f"{paper.id}.ris").read_text(encoding="utf-8")
        assert "\nAU  -" not in ris and f"TI  - {paper.title}" in ris


def test_the_home_page_counts_fit_the_archive(real_site):
    home = visible((real_site / "index.html").read_text(encoding="utf-8"))
    assert "40 papers were accepted" in home
    assert "Oral presentations (8)" in home and "Posters (32)" in home and "Show 22 more posters" in home
    assert "39 of them have their PDF published: 38 camera-ready versions and 1 anonymized review copy" in home
    assert "New Orleans" in home and "NeurIPS 2022" in home and "Non-archival" in home


def test_the_program_is_there(real_site):
    schedule = visible((real_site / "schedule.html").read_text(encoding="utf-8"))
    assert "Interactive Industrial Panel" in schedule and "CST" in schedule and "America/Chicago" in schedule
    assert "Kenneth Heafield" in visible((real_site / "keynotes" / "index.html").read_text(encoding="utf-8"))


def test_real_site_has_the_guides_with_their_highlighted_examples(real_site):
    """As `nox -s build` makes it: the hand-written guides of docs/ are pages of the site,
    their YAML examples highlighted (Pygments' YAML lexer makes token types of its own)."""
    for guide in ("index", "authors", "organizers"):
        assert (real_site / "guide" / f"{guide}.html").is_file(), guide
    for developer_page in ("performance", "search"):  # benchmarks are developer documentation (benchmarks/), not for readers
        assert not (real_site / "guide" / f"{developer_page}.html").exists()
    organizers = (real_site / "guide" / "organizers.html").read_text(encoding="utf-8")
    assert '<div class="highlight-yaml notranslate">' in organizers


def _latex(tmp_path, bib: str, preamble: list[str], back: list[str]) -> str:
    """Compile a document citing every entry of ``bib``; the PDF's text, or the failing log."""
    import shutil
    import subprocess

    if not (shutil.which("pdflatex") and shutil.which("pdftotext")):
        pytest.skip("needs pdflatex and pdftotext")
    (tmp_path / "refs.bib").write_text(bib, encoding="utf-8")
    (tmp_path / "doc.tex").write_text("\n".join([
        r"\documentclass{article}", r"\usepackage[T1]{fontenc}", r"\usepackage[utf8]{inputenc}", r"\usepackage{lmodern}", *preamble,
        r"\begin{document}", r"\nocite{*}", *back, r"\end{document}", ""]), encoding="utf-8")

    def run(*cmd: str) -> subprocess.CompletedProcess:
        return subprocess.run(cmd, cwd=tmp_path, capture_output=True, text=True, errors="replace", timeout=120)

    latex = ("pdflatex", "-interaction=nonstopmode", "doc.tex")
    run(*latex)
    tool = run("biber", "doc") if any("biber" in line for line in preamble) else run("bibtex", "doc")
    assert tool.returncode == 0, tool.stdout[-3000:]
    for _ in range(2):
        run(*latex)
    log = (tmp_path / "doc.log").read_text(errors="replace")
    assert not re.search(r"^! |Missing character|Undefined control sequence", log, flags=re.M), log[-3000:]
    return " ".join(run("pdftotext", "-enc", "UTF-8", "doc.pdf", "-").stdout.split())


@pytest.mark.latex
def test_the_real_volume_cites_in_bibtex_and_biber_papers_without_authors_by_title(real_site, proc, tmp_path):
    """proceedings.bib of the real archive in natbib (bibtex) and biblatex (biber): every entry, and the
    papers whose authors no source names are listed by their title, with no "Anonymous"."""
    import shutil

    bib = (real_site / "proceedings.bib").read_text(encoding="utf-8")
    unknown = [p for p in proc.papers if not p.authors]
    assert len(unknown) == 2
    (tmp_path / "natbib").mkdir()
    # bibtex only warns "empty author" for them (plainnat then sorts and labels them by `key`, the title)
    natbib = _latex(tmp_path / "natbib", bib, [r"\usepackage{natbib}"], [r"\bibliographystyle{plainnat}", r"\bibliography{refs}"])
    for paper in unknown:
        assert " ".join(paper.title.split()[:4]) in natbib
    assert "Anonymous" not in natbib and "Shen" in natbib
    if not shutil.which("biber"):
        pytest.skip("needs biber")
    (tmp_path / "biber").mkdir()
    text = _latex(tmp_path / "biber", bib, [r"\usepackage[backend=biber,style=authoryear]{biblatex}", r"\addbibresource{refs.bib}"],
                  [r"\printbibliography"])
    blg = (tmp_path / "biber" / "doc.blg").read_text(errors="replace")
    assert "ERROR" not in blg, blg
    for paper in unknown:
        assert " ".join(paper.title.split()[:4]) in text
    assert "Anonymous" not in text
