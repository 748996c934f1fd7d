"""Does each piece of the build's machinery earn its place? (issue 25, item 5)

    python benchmarks/machinery.py              # the real archive and 1,000 papers, 3 rounds
    python benchmarks/machinery.py --repeat 5

Two sites, each copied under ``benchmarks/_work/machinery-*`` (``conf/`` and ``papers/`` are
never touched): the real ENLSP archive (``conf/``, ``papers/``, ``docs/``), and 1,000 papers as
one workshop (``series.py``'s 2 × 500 inputs, their ``single/`` workshop: run ``series.py
--editions 2 --papers 500`` once first). Each is built once, then, for the tool as it is and
with one piece of machinery turned off at a time, each build a child process:

* a rebuild with nothing changed, and
* a rebuild after one paper's title is edited (a different paper each round),

median of ``--repeat`` rounds, wall time. The pieces:

* ``os._exit``: `cli.run` leaves without tearing the interpreter down (off: ``sys.exit(main())``);
* ``gc``: `publish.sphinx_run.run_sphinx` collects nothing while Sphinx loads its saved
  environment, then freezes it (off: the collector as Python runs it);
* ``small updates``: `sphinxext.parallel` reads and writes a handful of changed pages in the
  build's process (off: Sphinx's parallel read and write, as ``-j auto`` asks).

The theme's two inline scripts that `sphinxext.frame` leaves out are counted in bytes, on the
real site as built.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
WORK = HERE / "_work"
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO / "src"))

import yaml  # noqa: E402
from series import edit_title  # noqa: E402

#: Run in the child: turn one piece off (``ENLSP_OFF``), then run the command line.
CHILD = r"""
import os, sys, types
off = os.environ.get("ENLSP_OFF", "")
if off == "gc":
    import enlsp_proceedings.publish.sphinx_run as run
    run.gc = types.SimpleNamespace(disable=lambda: None, enable=lambda: None, freeze=lambda: None, unfreeze=lambda: None)
if off == "small updates":
    import enlsp_proceedings.sphinxext.parallel as parallel
    parallel.serial_read_for_small_updates = lambda app, env, docnames: None
    parallel.HTMLBuilder.SERIAL_WRITES = 0
from enlsp_proceedings import cli
if off == "os._exit":
    sys.exit(cli.main(sys.argv[1:]))
cli.run()
"""

PIECES = ("as is", "os._exit", "gc", "small updates")


def build(site: Path, off: str) -> float:
    """One ``build`` of a site's copy, as a child process; its wall time."""
    cmd = [sys.executable, "-c", CHILD, "build", "--conf", str(site / "conf"), "--papers", str(site / "papers"),
           "--out", str(site / "site"), "--cache", str(site / "cache"), "--docs", str(site / "docs"), "-q"]
    env = {**os.environ, "ENLSP_OFF": "" if off == "as is" else off, "PYTHONPATH": str(REPO / "src")}
    start = time.perf_counter()
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    took = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"build of {site} failed ({off}):\n{done.stderr[-2000:]}")
    return took


def prepare(name: str, conf: Path, papers: Path, docs: Path | None) -> Path:
    """A copy of a site's inputs to build and edit."""
    site = WORK / f"machinery-{name}"
    shutil.rmtree(site, ignore_errors=True)
    shutil.copytree(conf, site / "conf")
    shutil.copytree(papers, site / "papers")
    if docs is not None:
        shutil.copytree(docs, site / "docs", ignore=shutil.ignore_patterns("_build"))
    else:
        (site / "docs").mkdir()
    return site


def measure(site: Path, papers_yaml: Path, repeat: int) -> dict[str, dict[str, float]]:
    """Per piece: the no-change rebuild and the one-title edit (papers from the middle of the list), medians."""
    listed = yaml.safe_load(papers_yaml.read_text(encoding="utf-8"))["papers"]
    paper_ids = [p["id"] for p in listed[len(listed) // 4::7]][:12]
    build(site, "as is")  # cold, once
    results: dict[str, dict[str, float]] = {}
    n = 0
    for off in PIECES:
        build(site, off)  # any first build of a variant may differ (nothing changed since the last)
        noop = [build(site, off) for _ in range(repeat)]
        edits = []
        for _ in range(repeat):
            n += 1
            edit_title(papers_yaml, paper_ids[n % len(paper_ids)], n)
            edits.append(build(site, off))
        results[off] = {"no change": statistics.median(noop), "edit": statistics.median(edits)}
        print(f"[machinery] {site.name}: {off}: no change {results[off]['no change']:.2f} s, edit {results[off]['edit']:.2f} s "
              f"(runs {', '.join(f'{t:.2f}' for t in edits)})", file=sys.stderr, flush=True)
    return results


def inline_script_bytes(site: Path) -> tuple[int, int, int]:
    """(pages, bytes the two inline scripts the frame leaves out would add to them, the pages' bytes),
    the scripts as pydata-sphinx-theme 0.24 writes them (``add_js_file(None, body=...)``)."""
    pages = sorted(site.rglob("*.html"))
    added = 0
    for page in pages:
        name = page.relative_to(site).with_suffix("").as_posix()
        added += len(f"<script>DOCUMENTATION_OPTIONS.pagename = '{name}';</script>"
                     "<script>DOCUMENTATION_OPTIONS.search_as_you_type = false;</script>".encode())
    return len(pages), added, sum(p.stat().st_size for p in pages)


def main() -> None:
    """Measure, print a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    single = WORK / "series-input-2x500-3" / "single"
    if not (single / "conf" / "papers.yaml").is_file():
        raise SystemExit(f"{single} is missing: run `python benchmarks/series.py --editions 2 --papers 500` once first")
    real = prepare("real", REPO / "conf", REPO / "papers", REPO / "docs")
    thousand = prepare("1000", single / "conf", single / "papers", None)
    rows = {
        "the real archive (120 papers, two editions)": measure(real, real / "conf" / "2023" / "papers.yaml", args.repeat),
        "1,000 papers, one workshop": measure(thousand, thousand / "conf" / "papers.yaml", args.repeat),
    }
    print("\n| site | measurement | " + " | ".join(PIECES) + " |")
    print("| --- | --- |" + " --- |" * len(PIECES))
    for name, results in rows.items():
        for what in ("no change", "edit"):
            base = results["as is"][what]
            cells = [f"{results[off][what]:.2f} s" + ("" if off == "as is" else f" ({results[off][what] - base:+.2f})") for off in PIECES]
            print(f"| {name} | {what} | " + " | ".join(cells) + " |")
    for name, site in (("the real archive", real), ("1,000 papers", thousand)):
        pages, added, total = inline_script_bytes(site / "site")
        print(f"the two inline scripts, {name}: {added / 1024:.0f} KB on {pages} pages ({added / pages:.0f} B a page), "
              f"{added / total:.1%} of {total / 1024 / 1024:.1f} MB of HTML")


if __name__ == "__main__":
    main()
