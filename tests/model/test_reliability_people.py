"""Reliability of the people index: near-linear work for 10,000 authors on one paper and for
20,000 papers by 50,000 people (the co-author index was cubic: `check` ran for over 5 minutes
on one 10,000-author paper).

Work is measured by operation counts (pairs of names compared), never by time; the one
end-to-end run has only a generous guard against a hang.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys

import pytest
import yaml

from conftest import REPO
from enlsp_proceedings.model.people import MAX_COAUTHORS, PeopleIndex
from enlsp_proceedings.model.schema import Proceedings
from synthetic import workshop_yaml

SRC = REPO / "src"
SYLLABLES = ["ka", "to", "mi", "ra", "lo", "ne", "su", "vi", "da", "re", "an", "el", "or", "in", "bu", "zo", "ha", "ji", "pe", "qu"]


def _names(n: int, seed: int = 1) -> list[str]:
    """n distinct made-up names (many share a family name and initial, as real volumes do)."""
    rng = random.Random(seed)
    names: dict[str, str] = {}
    while len(names) < n:
        first = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 3))).capitalize()
        last = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()
        names.setdefault(f"{first} {last}".lower(), f"{first} {last}")
    return list(names.values())


def _paper(ident: str, names: list[str]) -> dict:
    return {"id": ident, "title": f"Paper {ident}", "authors": [{"name": n} for n in names], "abstract": "A.", "presentation": "poster", "track": "main"}


def _volume(papers: list[dict]) -> Proceedings:
    return Proceedings.model_validate({"workshop": workshop_yaml(), "papers": papers})


def _many(people: int, papers: int, seed: int = 2) -> Proceedings:
    names, rng = _names(people, seed), random.Random(seed)
    return _volume([_paper(f"p{i}", rng.sample(names, rng.randint(1, 5))) for i in range(papers)])


def _hostile(kind: str, n: int) -> list[str]:
    if kind == "numbered":  # every pair was "same names in another order"
        return [f"Author {i}" for i in range(n)]
    if kind == "one family":  # one family name and initial: a single group of n names to compare
        return [f"K{name.split()[0].lower()} Smith" for name in _names(n, seed=6)]
    return _names(n)


@pytest.mark.slow  # thousands of authors, measured at several sizes
@pytest.mark.parametrize("kind", ["made-up", "numbered", "one family"])
def test_comparisons_grow_linearly_with_the_authors_of_one_paper(kind):
    def comparisons(n: int) -> int:
        index = PeopleIndex(_volume([_paper("big", list(dict.fromkeys(_hostile(kind, n))))]))
        index.likely_variants()
        return index.comparisons

    small, large = comparisons(1000), comparisons(4000)
    assert large <= 200 * 4000, (small, large)  # all pairs would be 8 million
    if kind != "made-up":  # (made-up names from a small alphabet really do get more alike as they grow in number)
        assert large <= 6 * small, (small, large)  # all pairs would be 16 times as many


@pytest.mark.slow
def test_comparisons_stay_linear_for_50000_people_on_20000_papers():
    index = PeopleIndex(_many(50000, 20000))
    found = index.likely_variants()
    assert index.comparisons <= 10 * 50000 and len(found) <= index.comparisons


def test_co_authors_of_a_10000_author_paper_are_capped_not_quadratic():
    names = _names(10000, seed=3)
    index = PeopleIndex(_volume([_paper("big", names), _paper("small", names[:3])]))
    first = index.by_slug[index.slug(names[0])]
    # a list that long is written once, on its paper's page: its authors are not listed as each other's
    # co-authors (round 3: 2,000 person pages repeated the whole list), only those of ordinary papers
    assert first.coauthors == [index.slug(names[1]), index.slug(names[2])] and not first.more_coauthors
    assert first.papers == ["big", "small"]
    assert sum(len(r.coauthors) for r in index.by_slug.values()) <= MAX_COAUTHORS * len(names)
    # the cap still holds for a prolific author of many ordinary papers
    prolific = PeopleIndex(_volume([_paper(f"p{i}", [names[0], *names[1 + 4 * i:5 + 4 * i]]) for i in range(60)]))
    record = prolific.by_slug[prolific.slug(names[0])]
    assert len(record.coauthors) == MAX_COAUTHORS and record.more_coauthors
    lone = PeopleIndex(_volume([_paper("two", names[:2])]))
    assert [r.coauthors for r in lone.by_slug.values()] == [[lone.slug(names[1])], [lone.slug(names[0])]]
    assert not any(r.more_coauthors for r in lone.by_slug.values())


def test_numbered_names_are_not_variants_of_each_other():
    index = PeopleIndex(_volume([_paper("big", [f"Author {i}" for i in range(300)] + ["Ann Lee", "Lee Ann"])]))
    assert index.likely_variants() == [("Ann Lee", "Lee Ann", "same names in another order")]


@pytest.mark.slow
def test_check_of_one_paper_by_10000_authors_finishes(tmp_path):
    """End to end through `check` (over 5 minutes before); the guard only stops a hang."""
    conf = tmp_path / "conf"
    conf.mkdir()
    (conf / "workshop.yaml").write_text(yaml.safe_dump(workshop_yaml()), encoding="utf-8")
    (conf / "papers.yaml").write_text(yaml.safe_dump({"papers": [_paper("big", _names(10000, seed=4))]}, allow_unicode=True), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.run([sys.executable, "-m", "enlsp_proceedings", "check", "--conf", str(conf), "--papers", str(tmp_path / "papers"),
                           "--cache", str(tmp_path / "cache")], env=env, capture_output=True, text=True, timeout=240)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr  # the PDF is missing
    assert "big" in proc.stdout and "0 of 1 paper(s) ready" in proc.stdout
