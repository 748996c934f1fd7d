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
