"""The real ENLSP-II conf/ builds and has every seed paper and keynote."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from test_build import visible

REPO = Path(__file__).resolve().parents[1]
SEED = REPO.parent / "shared" / "seed" / "enlsp-ii-2022-website.txt"

PAPER_TITLES = [
    "Collective Knowledge Graph Completion with Mutual Knowledge Distillation",
    "Attribute Controlled Dialogue Prompting",
    "Fast DistilBERT on CPUs",
    "Efficient Few-Shot Learning Without Prompts",
    "PCFG-based Natural Language Interface Improves Generalization for Controlled Text Generation",
    "PromptDA: Label-guided Data Augmentation for Prompt-based Few Shot Learners",
    "Improving the Robustness of DistilHuBERT to Unseen Noisy Conditions via Data Augmentation, Curriculum Learning, and Multi-Task Enhancement",
    "Gradient Knowledge Distillation for Pre-trained Language Models",
]
KEYNOTE_SPEAKERS = ["Lu Hou", "Jimmy Lin", "Tara Sainath", "Song Han", "Danqi Chen", "Yang You", "Bang Liu",
                    "Graham Neubig", "Siva Reddy", "Tim Dettmers", "Anna Huang"]


def load(name: str) -> dict:
    return yaml.safe_load((REPO / "conf" / name).read_text(encoding="utf-8"))


def test_conf_has_all_seed_papers_and_keynotes():
    papers = load("papers.yaml")["papers"]
    assert [p["title"] for p in papers] == PAPER_TITLES
    keynotes = load("keynotes.yaml")["keynotes"]
    assert [k["speaker"]["name"] for k in keynotes] == KEYNOTE_SPEAKERS
    assert len(load("people.yaml")["technical_committee"]) >= 50


def test_abstracts_are_verbatim_from_the_seed():
    if not SEED.exists():
        return
    seed = re.sub(r"\s+", " ", SEED.read_text(encoding="utf-8"))
    for paper in load("papers.yaml")["papers"]:
        assert re.sub(r"\s+", " ", paper["abstract"]) in seed, paper["id"]
    for keynote in load("keynotes.yaml")["keynotes"]:
        assert re.sub(r"\s+", " ", keynote["bio"]) in seed, keynote["id"]


def test_no_pdfs_are_invented_for_real_papers():
    assert not list((REPO / "papers").glob("*.pdf"))


def test_real_site_has_every_paper_and_keynote(real_site):
    papers = load("papers.yaml")["papers"]
    for paper in papers:
        page = visible((real_site / "papers" / f"{paper['id']}.html").read_text(encoding="utf-8"))
        assert paper["title"] in page
        assert "Camera-ready not yet available" in page
        for author in paper["authors"]:
            assert author["name"] in page
    for keynote in load("keynotes.yaml")["keynotes"]:
        page = visible((real_site / "keynotes" / f"{keynote['id']}.html").read_text(encoding="utf-8"))
        assert keynote["title"] in page and keynote["speaker"]["name"] in page
    schedule = visible((real_site / "schedule.html").read_text(encoding="utf-8"))
    assert "Interactive Industrial Panel" in schedule and "CST" in schedule and "America/Chicago" in schedule
    home = visible((real_site / "index.html").read_text(encoding="utf-8"))
    assert "New Orleans" in home and "NeurIPS 2022" in home and "Non-archival" in home
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
