"""Large volumes without PDFs: a cold build of N papers of metadata only, against the bare-Sphinx floor.

    python benchmarks/scale.py --papers 1000 --papers 5000 --papers 10000
    python benchmarks/scale.py --from-results --papers 1000 --papers 5000 --papers 10000   # the table again

A workshop before its camera-ready deadline (or an import of a review system's export) has
every paper's metadata and no PDF: every paper page, person page and list is written, no PDF is
read. For each N this measures, one after the other so that all three see the same load on a
shared machine:

* ``check`` of the metadata (the same command an organizer runs first);
* one cold ``build -j auto`` (fresh cache, fresh Sphinx environment, empty site);
* the floor: plain ``sphinx-build -j auto`` of the same pages written by hand as MyST
  (``bench.write_floor``: papers, the list, person pages, the index; same theme and extensions).

Each runs as a child process with a time limit (``--timeout``, killed with every process it
started). Memory is given twice: the largest resident size of one process (``ru_maxrss``, as
``bench.py``) and the largest total of the whole process tree at once (proportional set sizes of
the build and its forked workers, sampled every half second). The workshop is
``tests/synthetic.py``'s, with ``bench.realistic_authors``' thousands of names; it is generated
once under ``benchmarks/_work/`` (git-ignored) with its load average and results beside it.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from pathlib import Path

from bench import WORK, env_with_src, ours, realistic_authors, run, site_sizes, write_floor

from enlsp_proceedings.model.load import load_proceedings
from enlsp_proceedings.outputs.volume import PdfStatus, Volume
from synthetic import random_papers, write_workshop


def prepare_metadata(n: int) -> Path:
    """conf/ and an empty papers/ for N papers of metadata, generated once and kept in _work/."""
    root = WORK / f"input-nopdf-{n}"
    if (root / ".complete").is_file():
        return root
    shutil.rmtree(root, ignore_errors=True)
    papers = random_papers(n, seed=n)
    realistic_authors(papers, seed=n)
    write_workshop(root, papers, make_pdfs=False)
    (root / ".complete").write_text("ok")
    return root


def metadata_volume(run_dir: Path) -> Volume:
    """The volume the floor's pages are written from: every paper without a PDF (none is read)."""
    proc = load_proceedings(run_dir / "conf")
    return Volume(proc, {paper.id: PdfStatus() for paper in proc.papers})


def load() -> str:
    """The machine's 1-, 5- and 15-minute load averages."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def measure(n: int, jobs: str, timeout: float) -> dict:
    """check, a cold build and the floor for N papers without PDFs, back to back."""
    inputs = prepare_metadata(n)
    run_dir = WORK / f"nopdf-run-{n}"
    shutil.rmtree(run_dir, ignore_errors=True)
    run_dir.mkdir(parents=True)
    for part in ("conf", "papers"):
        shutil.copytree(inputs / part, run_dir / part)
    (run_dir / "docs").mkdir()
    floor_src = run_dir / "floor-src"
    write_floor(metadata_volume(run_dir), floor_src)  # before any timing: the floor's pages are its input
    env = env_with_src()
    res: dict = {"papers": n, "jobs": jobs, "cpus": os.cpu_count(), "load_before": load()}
    check_cmd = [sys.executable, "-m", "enlsp_proceedings", "check", "--conf", run_dir / "conf", "--papers", run_dir / "papers",
                 "--cache", run_dir / "check-cache", "--out", run_dir / "check-site"]
    res["check"] = run(check_cmd, f"check, {n} papers without PDFs", env, timeout, ok=(0, 1))  # 1: every PDF is missing
    res["ours"] = run(ours(run_dir, jobs), f"build, {n} papers without PDFs, cold", env, timeout)
    res["load_between"] = load()
    res["floor"] = run([sys.executable, "-m", "sphinx", "-j", jobs, "-q", "-b", "html", floor_src, run_dir / "floor-site"],
                       f"floor: sphinx-build of {n} hand-made paper pages", env, timeout)
    res["load_after"] = load()
    res["sizes"] = site_sizes(run_dir / "site", n)
    res["floor_sizes"] = site_sizes(run_dir / "floor-site", n)
    res["when"] = time.strftime("%Y-%m-%d %H:%M")
    (WORK / f"scale-results-{n}.json").write_text(json.dumps(res, indent=2))
    for site in ("site", ".site.staging", "floor-site", "cache", "check-site", "check-cache"):
        shutil.rmtree(run_dir / site, ignore_errors=True)  # 10,000 papers are several GB of pages
    return res


def table(results: list[dict]) -> str:
    """One row per N: ours, the floor, their ratio, check, pages and load."""
    head = ("| papers | build: wall (CPU) | build: peak one process / all processes | floor: wall (CPU) "
            "| floor: peak one / all | build ÷ floor, wall (CPU) | check: wall, peak | HTML pages, ours / floor "
            "| load (1 min) before check, before floor, after |")
    lines = [head, "|" + " --- |" * 9]
    for r in results:
        o, f, c = r["ours"], r["floor"], r["check"]
        lines.append(
            f"| {r['papers']:,} | {o['seconds']:.0f} s ({o['cpu']:.0f} s) | {o['peak_mb']:,.0f} / {o.get('group_pss_mb', 0):,.0f} MB "
            f"| {f['seconds']:.0f} s ({f['cpu']:.0f} s) | {f['peak_mb']:,.0f} / {f.get('group_pss_mb', 0):,.0f} MB "
            f"| {o['seconds'] / f['seconds']:.2f}× ({o['cpu'] / f['cpu']:.2f}×) | {c['seconds']:.1f} s, {c['peak_mb']:,.0f} MB "
            f"| {r['sizes']['html_pages']:,} / {r['floor_sizes']['html_pages']:,} "
            f"| {r['load_before'].split()[0]}, {r['load_between'].split()[0]}, {r['load_after'].split()[0]} |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--papers", type=int, action="append", help="number of papers (repeatable; default 1000)")
    parser.add_argument("-j", "--jobs", default="auto", help="Sphinx processes for both builds (default: auto)")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds each command may take (default 1800)")
    parser.add_argument("--from-results", action="store_true", help="do not build: reuse _work/scale-results-N.json")
    args = parser.parse_args()
    results = []
    for n in args.papers or [1000]:
        if args.from_results:
            results.append(json.loads((WORK / f"scale-results-{n}.json").read_text()))
        else:
            results.append(measure(n, args.jobs, args.timeout))
    print(table(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
