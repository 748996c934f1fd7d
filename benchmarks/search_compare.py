"""Sphinx's built-in search vs Pagefind on a synthetic volume (default 1,000 papers).

    PYTHONPATH=src python benchmarks/search_compare.py [--papers 1000] [--workdir /tmp/search-compare]

Builds the same synthetic workshop twice: as shipped (Pagefind, Sphinx's indexer off) and
with Sphinx's own search left on. Then, in headless Chromium (/usr/bin/chromium), types
family names without accents ("muller" for Müller) into each site's search page and
counts how many of the papers by such authors come back (recall), and sums the bytes the
browser fetched for the search (search scripts and index files, cold cache).
Prints a Markdown table (the numbers in benchmarks/search-comparison.md come from this script).
"""

from __future__ import annotations

import argparse
import functools
import http.server
import shutil
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))  # synthetic.py: the test suite's synthetic workshops

from enlsp_proceedings import sphinxext
from enlsp_proceedings.publish.pipeline import BuildOptions, build_site
from enlsp_proceedings.util.text import fold
from synthetic import random_papers, write_workshop

QUERIES = ["muller", "nguyen", "garcia", "celik", "bjork", "novak", "adebayo", "lucia", "soren", "elodie"]
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def build(root: Path, out: Path, sphinx_search: bool) -> float:
    original = sphinxext.use_pagefind_search
    if sphinx_search:
        sphinxext.use_pagefind_search = lambda app: None  # keep Sphinx's indexer and its search page
    try:
        start = time.perf_counter()
        build_site(BuildOptions(conf_dir=root / "conf", papers_dir=root / "papers", out_dir=out, docs_dir=root / "docs",
                                cache_dir=root / ".cache", jobs=2, quiet=True))
        return time.perf_counter() - start
    finally:
        sphinxext.use_pagefind_search = original


def expected(papers, query: str) -> set[str]:
    return {p.id for p in papers if any(query in fold(a["name"]).split() for a in p.authors)}


def measure(site: Path, engine: str, papers) -> dict:
    from playwright.sync_api import sync_playwright

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}/"
    found_total = wanted_total = 0
    search_bytes: list[int] = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            for query in QUERIES:
                context = browser.new_context()  # cold cache per query
                page = context.new_page()
                fetched: list[tuple[str, int]] = []
                page.on("requestfinished", lambda req, fetched=fetched: fetched.append((req.url, req.sizes()["responseBodySize"])))
                if engine == "sphinx":
                    page.goto(base + f"search.html?q={query}")
                    page.wait_for_function("document.querySelector('#search-results .search-summary') !== null", timeout=60_000)
                    hrefs = page.eval_on_selector_all("#search-results ul.search li a", "els => els.map(e => e.getAttribute('href'))")
                else:
                    page.goto(base + "search.html")
                    hrefs = page.evaluate(
                        """async (q) => { const pf = await import('./pagefind/pagefind.js'); await pf.options({baseUrl: '/'});
                           const s = await pf.search(q); const d = await Promise.all(s.results.map(r => r.data()));
                           return d.map(x => x.url); }""", query)
                found = {h.split("papers/")[1].split(".html")[0] for h in hrefs if "papers/paper-" in h}
                want = expected(papers, query)
                found_total += len(found & want)
                wanted_total += len(want)
                marker = ("searchindex.js", "searchtools.js", "language_data.js") if engine == "sphinx" else ("/pagefind/",)
                search_bytes.append(sum(size for url, size in fetched if any(m in url for m in marker)))
                context.close()
            browser.close()
    finally:
        server.shutdown()
    return {"recall": found_total / max(1, wanted_total), "found": found_total, "wanted": wanted_total,
            "bytes_first": search_bytes[0], "bytes_mean": sum(search_bytes) / len(search_bytes)}


def du(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--papers", type=int, default=1000)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/search-compare"))
    args = parser.parse_args()
    root = args.workdir
    shutil.rmtree(root, ignore_errors=True)
    papers = random_papers(args.papers, seed=11)
    t = time.perf_counter()
    write_workshop(root, papers)
    print(f"wrote {len(papers)} papers with PDFs in {time.perf_counter() - t:.0f}s", flush=True)
    build(root, root / "warm", sphinx_search=False)  # fills the PDF cache so both timings below are site builds only
    pagefind_time = build(root, root / "pagefind-site", sphinx_search=False)
    sphinx_time = build(root, root / "sphinx-site", sphinx_search=True)
    from enlsp_proceedings.model.load import load_proceedings
    from enlsp_proceedings.publish.pipeline import prepare_volume
    from enlsp_proceedings.search.index import search_records, write_search_index

    volume, pdfs = prepare_volume(load_proceedings(root / "conf"), root / "papers", root / ".cache", quiet=True)
    shutil.rmtree(root / "index-only", ignore_errors=True)
    (root / "index-only").mkdir()
    t = time.perf_counter()
    write_search_index(volume, pdfs, root / "index-only")
    index_time = time.perf_counter() - t
    results = {
        "Sphinx built-in": measure(root / "sphinx-site", "sphinx", papers),
        "Pagefind": measure(root / "pagefind-site", "pagefind", papers),
    }
    sizes = {"Sphinx built-in": (root / "sphinx-site" / "searchindex.js").stat().st_size, "Pagefind": du(root / "pagefind-site" / "pagefind")}
    print(f"\n{args.papers} papers, {len(search_records(volume, pdfs))} Pagefind records; queries: {', '.join(QUERIES)}\n")
    print("| | names without accents: papers found | bytes fetched, first query | bytes fetched, mean per query | index on disk | full site build |")
    print("|---|---|---|---|---|---|")
    for name, r in results.items():
        build_time = sphinx_time if name.startswith("Sphinx") else pagefind_time
        print(f"| {name} | {r['found']}/{r['wanted']} ({r['recall']:.0%}) | {r['bytes_first'] / 1024:.0f} KiB | {r['bytes_mean'] / 1024:.0f} KiB "
              f"| {sizes[name] / 1024:.0f} KiB | {build_time:.0f} s |")
    print(f"\nPagefind indexer alone (records incl. PDF full text): {index_time:.1f} s")


if __name__ == "__main__":
    main()
