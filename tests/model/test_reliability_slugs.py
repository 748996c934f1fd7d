"""Person slugs stay unique in near-linear work, however many names slug alike.

20,000 names that all slug to "person" (names of punctuation or symbols only) took 40 s in
`check`, 40,000 took 180 s: each new name tried ``person-2``, ``person-3``, ... from the start.
Work is counted in slugs tried (`PeopleIndex.slug_probes`), never timed.
"""

from __future__ import annotations

import pytest

from enlsp_proceedings.model.people import PeopleIndex
from enlsp_proceedings.model.schema import Proceedings
from synthetic import workshop_yaml


def _volume(names: list[str], per_paper: int = 50) -> Proceedings:
    papers = [{"id": f"p{i}", "title": f"Paper {i}", "abstract": "A.", "presentation": "poster",
               "authors": [{"name": n} for n in names[i * per_paper:(i + 1) * per_paper]]}
              for i in range((len(names) + per_paper - 1) // per_paper)]
    return Proceedings.model_validate({"workshop": workshop_yaml(), "papers": papers})


def _symbol_names(n: int) -> list[str]:
    """n distinct names with no letter or digit a slug keeps: each slugs to "person"."""
    marks = "!#$%&*+=?@^~"
    out = []
    for i in range(n):
        digits, word = i, ""
        while True:
            word += marks[digits % len(marks)]
            digits //= len(marks)
            if not digits:
                break
        out.append(word)
    return out


@pytest.mark.parametrize("n", [5_000, pytest.param(40_000, marks=pytest.mark.slow)])  # 40,000: several seconds of loading
def test_names_that_slug_alike_get_numbered_slugs_in_linear_work(n):
    index = PeopleIndex(_volume(_symbol_names(n)))
    slugs = {record.slug for record in index.by_slug.values()}
    assert len(index.by_slug) == n and len(slugs) == n
    assert "person" in slugs and f"person-{n}" in slugs and f"person-{n + 1}" not in slugs
    assert index.slug_probes <= 2 * n, (n, index.slug_probes)  # was n * (n - 1) / 2: 800 million at 40,000


def test_numbered_slugs_are_the_same_as_before():
    """The first free number, as before: a name that is itself a numbered slug keeps it, the next
    "person" skips it, and "Index" never takes the index page."""
    index = PeopleIndex(_volume(["!", "Person 3", "#", "$", "%", "Index", "index!"], per_paper=2))
    by_name = {record.name: record.slug for record in index.by_slug.values()}
    assert by_name == {"!": "person", "Person 3": "person-3", "#": "person-2", "$": "person-4", "%": "person-5",
                       "Index": "index-2", "index!": "index-3"}
