"""The page policy, waivers and the active-content check on the real files of both editions: ENLSP-II's
39 camera-readies (papers/ with conf/) and ENLSP-III's 78 camera-readies and 4 supplements
(``../shared/enlsp-iii-2023-source/papers``; these tests skip without it).

ENLSP-III's call (its index.md) sets 4 pages of content, references and supplementary material
excluded, in the NeurIPS template; the tests judge its PDFs by ENLSP-II's policy (the same series
and template: acknowledgments not counted, over the limit a warning)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import REPO
from enlsp_proceedings.model.load import load_proceedings
from enlsp_proceedings.model.policy import PageRules
from enlsp_proceedings.model.schema import PagePolicy, Paper
from enlsp_proceedings.pdf.check import content_length, format_text, length_notes, length_problems, run_check
from enlsp_proceedings.pdf.extract import extract_all

ROOT = REPO
ENLSP3 = ROOT.parent / "shared" / "enlsp-iii-2023-source"
ENLSP2_POLICY = PageRules(4, PagePolicy(acknowledgments_count=False, over_limit="warning"))


def _number(message: str) -> float:
    return float(re.match(r"([\d.]+) pages of content", message)[1])


@pytest.mark.slow  # reads the 39 real camera-readies
@pytest.mark.skipif(not (ROOT / "papers" / "2022").is_dir() or len(list((ROOT / "papers" / "2022").glob("*.pdf"))) < 39, reason="the real camera-readies are not in papers/")
def test_enlsp_ii_content_pages_agree_with_the_messages(tmp_path):
    report = run_check(ROOT / "conf" / "2022", ROOT / "papers" / "2022", tmp_path / "cache", quiet=True)
    assert report.count("error") == 1  # the one paper without a PDF, as before
    notes = {r.id for r in report.papers for p in r.problems if p.code == "pdf-within-limit-by-policy"}
    for entry in report.papers:
        for problem in entry.problems:
            if problem.code == "pdf-over-limit":
                assert _number(problem.message) == pytest.approx(entry.content_pages, abs=0.005), (entry.id, problem.message)
                assert entry.content_pages > 4.005
        if entry.content_pages is not None:
            passes_by_policy = entry.content_ends_at > 4.005 and entry.content_pages <= 4.005
            assert (entry.id in notes) == passes_by_policy, entry.id
        assert not any(p.code.endswith("active-content") for p in entry.problems)
    assert len(notes) == 4
    unknown = [p.id for p in load_proceedings(ROOT / "conf" / "2022").papers if not p.authors]
    for ident in unknown:
        [entry] = [r for r in report.papers if r.id == ident]
        if entry.pages:
            assert "pdf-authors-unchecked" in {p.code for p in entry.problems}, ident


@pytest.mark.slow  # builds nothing, but checks every real camera-ready
@pytest.mark.skipif(not (ROOT / "papers" / "2022").is_dir(), reason="the real camera-readies are not in papers/")
def test_enlsp_ii_over_limit_waived_by_the_organizers(tmp_path):
    """An organizer's decision recorded in conf/: the waived warnings become notes with the reason; the rest is unchanged."""
    conf = tmp_path / "conf"
    shutil.copytree(ROOT / "conf" / "2022", conf)
    before = run_check(conf, ROOT / "papers" / "2022", tmp_path / "cache", quiet=True)
    over = [r.id for r in before.papers if any(p.code == "pdf-over-limit" for p in r.problems)]
    data = yaml.safe_load((conf / "papers.yaml").read_text(encoding="utf-8"))
    reason = "Non-archival: published as presented at the workshop."
    for entry in data["papers"]:
        if entry["id"] in over:
            entry["waive"] = [{"code": "pdf-over-limit", "reason": reason}]
    (conf / "papers.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    after = run_check(conf, ROOT / "papers" / "2022", tmp_path / "cache", quiet=True)
    assert after.count("warning") == before.count("warning") - len(over) and after.count("error") == before.count("error")
    assert after.count("note") == before.count("note") + len(over)
    text = format_text(after)
    assert text.count(f"reason (conf/papers.yaml): {reason}") == len(over) == 22


def enlsp3_facts(tmp_path: Path):
    if not (ENLSP3 / "papers").is_dir():
        pytest.skip(f"no ENLSP-III files at {ENLSP3}")
    names = sorted(p.name for p in (ENLSP3 / "papers").glob("*.pdf"))
    papers = [Paper.model_construct(id=name.removesuffix(".pdf"), pdf=name) for name in names]
    return extract_all(papers, ENLSP3 / "papers", tmp_path / "cache")


@pytest.mark.slow  # reads 82 real PDFs
def test_enlsp_iii_pdfs_under_the_policy(tmp_path):
    pdfs = enlsp3_facts(tmp_path)
    camera_readies = {k: v for k, v in pdfs.items() if not k.endswith("_supp")}
    assert len(camera_readies) == 78 and len(pdfs) == 82
    over, notes = set(), set()
    for ident, entry in pdfs.items():
        facts = entry.facts
        assert facts is not None and facts.ok, ident
        assert facts.active_content == [], (ident, facts.active_content)  # none of the real files has any
        if ident.endswith("_supp"):
            continue
        length = content_length(facts, ENLSP2_POLICY)
        acknowledgments = facts.acknowledgments[1] - facts.acknowledgments[0] if facts.acknowledgments else 0
        assert length.ends_at == facts.body_pages and length.counted == pytest.approx(facts.body_pages - acknowledgments, abs=0.01)
        for problem in length_problems(facts, ENLSP2_POLICY):
            over.add(ident)
            assert _number(problem.message) == length.counted  # the message and content_pages: one figure
        if length_notes(facts, ENLSP2_POLICY):
            notes.add(ident)
    # Measured on the 78 files: 28 over 4 pages of content, 10 more within it only because their acknowledgments do not count.
    assert len(over) == 28 and len(notes) == 10 and not over & notes
    without_policy = {i for i, e in camera_readies.items() if length_problems(e.facts, PageRules(4))}
    assert without_policy == over | notes  # acknowledgments counted: every noted paper would have been over
