"""Large volumes: the environment Sphinx saves (and, in a parallel read, ships back from every
worker once per chunk of pages) stays small.

At 5,000 papers a build was still "reading pages" after 300 s: Sphinx's parallel read pickles the
whole environment in every worker and unpickles it in the main process, once per chunk, and half
of it was the tables of contents of one-item pages (papers, talks, people) that no page shows.
"""

from __future__ import annotations

import pickle

from docutils import nodes


def _environment(site_root):
    [path] = sorted((site_root / ".enlsp-cache" / "doctrees").glob("*/environment.pickle"))[:1]
    return pickle.loads(path.read_bytes())


def test_one_item_pages_keep_only_their_title_in_the_saved_environment(small_site):
    env = _environment(small_site)
    for docname in ("papers/alpha", "keynotes/kay-note", "authors/jurgen-muller"):
        toc = env.tocs[docname]
        assert len(list(toc.findall(nodes.bullet_list))) == 1, docname  # the title, no sections under it
        assert env.toc_num_entries[docname] == 1
    # pages with an "On this page" column keep theirs
    assert len(list(env.tocs["index"].findall(nodes.list_item))) > 2
    assert env.toc_num_entries["schedule"] >= 1
    html = (small_site / "site" / "papers" / "alpha.html").read_text(encoding="utf-8")
    assert 'id="abstract"' in html and 'id="cite"' in html  # the sections themselves are all there


def test_sphinx_workers_never_compute_the_people_index_again(tmp_path, monkeypatch):
    """Sphinx forks a worker per chunk of pages; what pages share (the people index, citation keys,
    cards) is computed once, in the build's own process, and inherited. It was computed again in
    every chunk: a second each at 5,000 papers, for some 90 chunks."""
    import os

    from conftest import run_build
    from enlsp_proceedings.model import people
    from synthetic import random_papers, write_workshop

    log = tmp_path / "people.log"
    real_init = people.PeopleIndex.__init__

    def logged(self, proc, given_slugs=None):
        with open(log, "a") as fh:
            fh.write(f"{os.getpid()}\n")
        real_init(self, proc, given_slugs)

    monkeypatch.setattr(people.PeopleIndex, "__init__", logged)
    write_workshop(tmp_path / "ws", random_papers(12, seed=3), make_pdfs=False)
    assert run_build(tmp_path / "ws", "-j", "2") == 0  # a first build reads its ~40 pages in parallel chunks
    pids = [int(x) for x in log.read_text().split()]
    assert pids and set(pids) == {os.getpid()}, pids
