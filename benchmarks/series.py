"""A series at scale: E editions × N papers built as one archive, against the bare-Sphinx floor.

    python benchmarks/series.py --editions 2 --papers 500                  # quick
    python benchmarks/series.py --editions 10 --papers 100 --editions 10 --papers 1000   # pairs, in order
    python benchmarks/series.py --from-results --editions 10 --papers 100  # the table again

The series is synthetic (``tests/synthetic.py``'s papers, ``bench.realistic_authors``' names):
every edition has N papers of metadata and ``--pdfs`` (default 3) real PDFs of 3–9 pages, the
rest are pending (as ``scale.py``: no PDF is read for them); about a fifth of the author slots of
each edition after the first are people of an earlier edition (same name and affiliation), so
people recur across the years as in the real ENLSP archive; ``root_edition`` is the first
edition, so its old addresses are written too. Generated once under ``benchmarks/_work/``.

Measured one after the other, each as a child process with a time limit (``--timeout``, killed
with every process it started; a killed run says so and stops), with the peak resident size of
one process and the peak total of the whole process tree (``bench.run``):

* ``series-cold``: ``build`` of the series into an empty site with an empty cache;
* ``noop``: the same build again, nothing changed;
* ``edit``: one paper's title edited in the middle edition (three rounds, a different paper each;
  the median), and which editions' files changed (an untouched edition keeps every file's mtime);
* ``pdf``: one of that edition's PDFs replaced by one with another page count (three rounds);
* ``floor``: plain ``sphinx-build -j auto`` (same theme and extensions) of the same pages written
  by hand as MyST in ONE Sphinx project: for each edition ``bench.write_floor``'s pages (every
  paper page with its cite tabs, the list of papers with a card per paper, home, keynotes,
  schedule, people, call for papers) in ``<edition>/``, without the edition's own person pages;
  at the root the series' pages: a home listing the editions, the people index, and one page per
  person across the years (the cards of their papers, edition by edition, newest first);
* ``floor-edit``: the floor's own one-paper edit (three rounds): one more title edited, the
  hand-made pages written again and only those whose bytes changed copied into the floor's
  sources (the paper, its edition's list, its authors' person pages), then ``sphinx-build``
  again into the same site: what Sphinx itself costs for the edit our ``edit`` makes;
* ``single``: the same E × N papers (and PDFs) as ONE single workshop, built cold: the per-paper
  cost of a series build against a one-edition build;
* ``warm-edit``: one title edited (three rounds, other papers), built the way the preview
  (``nox -s serve``) builds after each save: forked from a process that imported the tool, Sphinx
  and the extensions once (`serve.warm_runner`), instead of a new ``build`` process each time. Wall
  time only (the build is the preview's forkserver's child, not ours).

Sizes: every file of the site but PDFs, divided by E × N.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import yaml
from bench import WORK, _esc, env_with_src, make_pdf, realistic_authors, run, write_floor

from enlsp_proceedings.model.series import load_series
from enlsp_proceedings.model.series_people import SeriesPeople
from enlsp_proceedings.outputs.series_site import series_people
from enlsp_proceedings.outputs.volume import PdfStatus, Volume
from enlsp_proceedings.pdf.extract import extract_all
from enlsp_proceedings.publish.series import edition_context, in_series
from synthetic import random_papers, workshop_yaml, write_workshop

SERIES = {"name": "Synthetic Workshop Series", "short_name": "SYN", "base_url": "https://syn.example.org/",
          "description": "A synthetic workshop held every year.", "root_edition": "2031"}
#: Share of author slots of an edition after the first that go to someone of an earlier edition.
RECURRING = 0.2


def edition_ids(editions: int) -> list[str]:
    """The editions' folder names: one a year from 2031."""
    return [str(2031 + e) for e in range(editions)]


def prepare_series(editions: int, n: int, pdfs: int) -> Path:
    """conf/ (series.yaml, one folder per edition) and papers/<edition>/ of the series, plus the same
    papers as one single workshop (``single/conf``, ``single/papers``); generated once."""
    root = WORK / f"series-input-{editions}x{n}-{pdfs}"
    if (root / ".complete").is_file():
        return root
    shutil.rmtree(root, ignore_errors=True)
    t0 = time.perf_counter()
    print(f"generating a series of {editions} × {n} papers in {root} ...", file=sys.stderr, flush=True)
    rng = random.Random(editions * 100_003 + n)
    earlier: list[dict] = []  # everyone of the editions so far
    single = []
    (root / "conf").mkdir(parents=True)
    for e, eid in enumerate(edition_ids(editions)):
        papers = random_papers(n, seed=n * 1000 + e)
        realistic_authors(papers, seed=n * 1000 + e)
        for index, paper in enumerate(papers):
            if index >= pdfs:
                paper.pages = paper.references_page = None  # pending: no PDF, as scale.py
            if earlier:
                names = {a["name"] for a in paper.authors}
                for slot, _author in enumerate(paper.authors):
                    if rng.random() < RECURRING:
                        person = rng.choice(earlier)
                        if person["name"] not in names:
                            names.add(person["name"])
                            paper.authors[slot] = dict(person)
        earlier.extend(a for p in papers for a in p.authors)
        year = 2031 + e
        write_workshop(root / "tmp" / eid, papers, workshop=workshop_yaml(
            short_name=f"SYN-{e + 1}", title=f"The {e + 1}th Synthetic Workshop on Testing", year=year, date=f"{year}-12-05",
            venue=f"TestConf {year}", booktitle=f"Proceedings of the {e + 1}th Synthetic Workshop on Testing",
            base_url=f"https://syn{e + 1}.example.org/"))
        shutil.move(root / "tmp" / eid / "conf", root / "conf" / eid)
        (root / "papers").mkdir(exist_ok=True)
        shutil.move(root / "tmp" / eid / "papers", root / "papers" / eid)
        for paper in papers:
            if paper.pages:
                shutil.copy2(root / "papers" / eid / f"{paper.id}.pdf", root / "tmp" / f"{eid}-{paper.id}.pdf")
            paper.id = f"{eid}-{paper.id}"
        single.extend(papers)
    (root / "conf" / "series.yaml").write_text(yaml.safe_dump(SERIES), encoding="utf-8")
    write_workshop(root / "single", single, make_pdfs=False)
    for pdf in (root / "tmp").glob("*.pdf"):
        shutil.move(pdf, root / "single" / "papers" / pdf.name)
    shutil.rmtree(root / "tmp")
    (root / ".complete").write_text("ok")
    print(f"  generated in {time.perf_counter() - t0:.0f} s", file=sys.stderr, flush=True)
    return root


def ours(conf: Path, papers: Path, site: Path, cache: Path, docs: Path, jobs: str) -> list:
    """The ``build`` command line."""
    return [sys.executable, "-m", "enlsp_proceedings", "build", "--conf", conf, "--papers", papers, "--out", site,
            "--docs", docs, "--cache", cache, "-j", jobs]


#: A process that runs the preview's builds (`serve.warm_runner`) of the arguments it is given, one
#: for each line it reads, and answers each with its wall time and exit status.
_WARM_BUILDS = """
import sys, time
from enlsp_proceedings.serve import warm_runner
build = warm_runner(sys.argv[1:])
for _ in sys.stdin:
    start = time.perf_counter()
    status = build()
    print(f"{time.perf_counter() - start:.4f} {status}", flush=True)
"""


class WarmBuilds:
    """The preview's builds of the series, each forked from a process that imported everything once."""

    def __init__(self, cmd: list, env: dict, timeout: float):
        self.timeout = timeout
        self.process = subprocess.Popen([sys.executable, "-c", _WARM_BUILDS, *[str(c) for c in cmd[3:]]], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, text=True, start_new_session=True)

    def build(self, label: str) -> dict:
        """One build: its wall time (``seconds``); a failed build raises SystemExit, as `bench.run` does."""
        assert self.process.stdin is not None and self.process.stdout is not None
        print(f"[series] {label}", file=sys.stderr, flush=True)
        self.process.stdin.write("build\n")
        self.process.stdin.flush()
        answer: list[str] = []
        reader = threading.Thread(target=lambda: answer.append(self.process.stdout.readline()), daemon=True)  # type: ignore[union-attr]
        reader.start()
        reader.join(self.timeout)
        if not answer or not answer[0].strip():
            self.close()
            raise SystemExit(f"no answer after {self.timeout:.0f} s")
        seconds, status = answer[0].split()
        if status != "0":
            raise SystemExit(f"exit status {status}")
        return {"seconds": float(seconds)}

    def close(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()


# -- the floor: the same archive as hand-made MyST pages, one Sphinx project ----------------

def series_volumes(conf_dir: Path, papers_dir: Path, cache: Path) -> list[tuple[str, Volume]]:
    """Every edition's volume as the series build sees it (series slugs), PDF facts from ``cache``."""
    conf = load_series(conf_dir)
    people = SeriesPeople([(e.id, e.proc) for e in conf.editions], conf.people)
    volumes = []
    for edition in conf.editions:
        proc = in_series(conf, edition)
        facts = extract_all(proc.papers, papers_dir / edition.id, cache)  # cached: the timed build read them
        volume = Volume(proc, {k: PdfStatus.from_paper_pdf(v) for k, v in facts.items()})
        volume.series = edition_context(conf, edition, people)
        volumes.append((edition.id, volume))
    return volumes


def write_series_floor(volumes: list[tuple[str, Volume]], src: Path) -> int:
    """One Sphinx project: each edition's `write_floor` pages in ``<edition>/`` (person links to the
    series' pages, no person pages of its own), the series' home, people index and person pages
    at the root. Returns the number of person pages."""
    shutil.rmtree(src, ignore_errors=True)
    src.mkdir(parents=True)
    for eid, volume in volumes:
        write_floor(volume, src / eid)
        shutil.rmtree(src / eid / "authors")
        (src / eid / "conf.py").replace(src / "conf.py")  # one project (the editions' differ in titles only)
        index = src / eid / "index.md"
        index.write_text(index.read_text().replace("authors/index\n", ""))
        for page in (src / eid / "papers").glob("*.md"):  # people are the series' pages, one level up
            page.write_text(page.read_text().replace("](../authors/", "](../../authors/"))
    (src / "authors").mkdir()
    site = series_people(volumes)
    labels = {"oral": "Oral", "spotlight": "Spotlight", "poster": "Poster"}
    by_id = {eid: volume for eid, volume in volumes}
    for slug, person in site.items():
        parts = [f"---\norphan: true\n---\n# {_esc(person.name)}\n\n{{bdg-secondary-line}}`Author`\n\n"]
        for year in person.years:
            volume = by_id[year.edition]
            parts.append(f"## {_esc(year.label)}\n\n**Affiliation:** {_esc('; '.join(year.affiliations))}\n\n::::{{grid}} 1 1 2 2\n")
            for work in year.works:
                pid = work.path.rsplit("/", 1)[1].removesuffix(".html")
                paper = volume.papers_by_id[pid]
                st = volume.pdfs[pid]
                names = ", ".join(f"[{_esc(name)}]({s}.md)" for name, s in work.authors)
                parts.append(f":::{{grid-item-card}} {_esc(work.title)}\n:link: ../{year.edition}/papers/{pid}\n:link-type: doc\n\n"
                             f"{names}\n\n{{bdg-primary}}`{labels[paper.presentation]}` {{bdg-secondary-line}}`Non-archival`\n\n"
                             + (f"PDF · {st.pages} pages" if st.pages else "Camera-ready pending") + "\n:::\n")
            parts.append("::::\n\n")
        (src / f"authors/{slug}.md").write_text("".join(parts))
    letters: dict[str, list] = {}
    for person in site.values():
        letters.setdefault(person.sort_key[0][:1].upper() or "#", []).append(person)
    body = "".join(f"## {letter}\n\n" + "".join(f"- [{_esc(p.name)}]({p.slug}.md) — {len(p.years)} edition(s)\n" for p in people) + "\n"
                   for letter, people in sorted(letters.items()))
    (src / "authors/index.md").write_text(f"# People\n\n{len(site)} people.\n\n{body}")
    editions = "".join(f"- [{_esc(v.workshop.short_name)} · {_esc(v.workshop.venue)}]({eid}/index.md): {len(v.proc.papers)} papers\n"
                       for eid, v in reversed(volumes))
    (src / "index.md").write_text(f"# {SERIES['name']}\n\n{SERIES['description']}\n\n{editions}\n"
                                  "```{toctree}\n:hidden:\n\n" + "\n".join(f"{eid}/index" for eid, _v in reversed(volumes)) + "\nauthors/index\n```\n")
    return len(site)


# -- one measurement ---------------------------------------------------------------------

def edit_title(papers_yaml: Path, paper_id: str, n: int) -> None:
    """Append " (revised n)" to one paper's title."""
    data = yaml.safe_load(papers_yaml.read_text(encoding="utf-8"))
    for paper in data["papers"]:
        if paper["id"] == paper_id:
            paper["title"] += f" (revised {n})"
    papers_yaml.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def sync_changed(fresh: Path, src: Path) -> int:
    """Copy the files of ``fresh`` whose bytes differ from ``src``'s into ``src`` (what a person editing
    the hand-made pages would touch); returns how many were copied."""
    copied = 0
    for path in fresh.rglob("*"):
        if path.is_file():
            target = src / path.relative_to(fresh)
            if not target.is_file() or target.read_bytes() != path.read_bytes():
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, target)
                copied += 1
    return copied


def mtimes(folder: Path) -> dict[str, int]:
    """Every file under ``folder`` and its mtime (ns)."""
    return {str(p.relative_to(folder)): p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}


def changed_editions(before: dict[str, dict[str, int]], site: Path) -> dict[str, int]:
    """How many files of each edition's folder were added, removed or rewritten since ``before``."""
    out = {}
    for eid, files in before.items():
        now = mtimes(site / eid)
        out[eid] = sum(1 for k in files.keys() | now.keys() if files.get(k) != now.get(k))
    return out


def sizes(site: Path, editions: list[str], total_papers: int) -> dict:
    """Site bytes without PDFs per paper, the largest paper page, the number of pages."""
    files = [p for p in site.rglob("*") if p.is_file()]
    total = sum(p.stat().st_size for p in files if p.suffix != ".pdf")
    paper_pages = [p for e in editions for p in (site / e / "papers").glob("*.html") if p.name != "index.html"]
    return {"site_kb_per_paper": total / 1024 / total_papers, "html_pages": sum(1 for p in files if p.suffix == ".html"),
            "largest_paper_page_kb": max((p.stat().st_size for p in paper_pages), default=0) / 1024,
            "site_mb": total / 1024 / 1024}


def load() -> str:
    """The machine's 1-, 5- and 15-minute load averages."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def measure(editions: int, n: int, pdfs: int, jobs: str, timeout: float, repeat: int, skip: set[str]) -> dict:
    """Every figure for one series size, back to back (see the module's docstring)."""
    from bench import median_run

    inputs = prepare_series(editions, n, pdfs)
    ids = edition_ids(editions)
    run_dir = WORK / f"series-run-{editions}x{n}"
    shutil.rmtree(run_dir, ignore_errors=True)
    run_dir.mkdir(parents=True)
    for part in ("conf", "papers"):
        shutil.copytree(inputs / part, run_dir / part)
    (run_dir / "docs").mkdir()
    conf, papers, site, cache = run_dir / "conf", run_dir / "papers", run_dir / "site", run_dir / "cache"
    build = ours(conf, papers, site, cache, run_dir / "docs", jobs)
    env = env_with_src()
    total = editions * n
    res: dict = {"editions": editions, "papers": n, "total": total, "pdfs_per_edition": pdfs, "jobs": jobs,
                 "cpus": os.cpu_count(), "load_before": load(), "when": time.strftime("%Y-%m-%d %H:%M")}
    path = WORK / f"series-results-{editions}x{n}.json"

    def save() -> None:
        path.write_text(json.dumps(res, indent=2))

    def timed(key: str, cmd: list, label: str) -> dict | None:
        try:
            out = run(cmd, label, env, timeout)
        except SystemExit as exc:  # killed after the timeout, or failed: say so, keep what was measured
            res[key] = {"failed": str(exc) or f"killed after {timeout:.0f} s"}
            res.setdefault("failed", []).append(key)
            save()
            print(f"[series] {label}: FAILED ({exc}); the figures so far are in {path}", file=sys.stderr, flush=True)
            return None
        res[key] = out
        save()
        return out

    if timed("cold", build, f"series {editions} × {n}: cold build") is None:
        return res
    res["sizes"] = sizes(site, ids, total)
    timed("noop", build, f"series {editions} × {n}: no-change rebuild")
    middle = ids[len(ids) // 2]
    edits, replacements, touched = [], [], []
    pdf_ids = [f"paper-{i:04d}" for i in range(pdfs)]
    for i in range(repeat):
        before = {e: mtimes(site / e) for e in ids if e != middle}
        edit_title(conf / middle / "papers.yaml", f"paper-{(n // 2 + 7 * i) % n:04d}", i + 1)
        out = timed(f"edit-{i}", build, f"series {editions} × {n}: one title edited in {middle} ({i + 1}/{repeat})")
        if out is None:
            break
        edits.append(out)
        touched.append(changed_editions(before, site))
        if pdf_ids:
            victim = pdf_ids[i % len(pdf_ids)]
            make_pdf(papers / middle / f"{victim}.pdf", f"Replaced {i}", ["Somebody Else"], 2 + i % 2 * 2 + (i == 2), 1, seed=99 + i)
            out = timed(f"pdf-{i}", build, f"series {editions} × {n}: one PDF replaced in {middle} ({i + 1}/{repeat})")
            if out is None:
                break
            replacements.append(out)
    if edits:
        res["edit"] = median_run(edits)
        res["untouched_editions_changed_files"] = touched
    if replacements:
        res["pdf"] = median_run(replacements)
    if "warm" not in skip and edits:
        warm = WarmBuilds(build, env, timeout)
        try:
            warm.build(f"series {editions} × {n}: the preview's first build (its imports, nothing changed)")
            warm_edits = []
            for i in range(repeat):
                edited = f"paper-{(n // 2 + 7 * i + 5) % n:04d}"
                page = site / middle / "papers" / f"{edited}.html"
                before_page = page.read_bytes()
                edit_title(conf / middle / "papers.yaml", edited, i + 1)
                warm_edits.append(warm.build(f"series {editions} × {n}: one title edited, the preview's build ({i + 1}/{repeat})"))
                if page.read_bytes() == before_page:
                    raise SystemExit(f"the preview's build left {page} as it was")
            res["warm_edit"] = {"seconds": sorted(r["seconds"] for r in warm_edits)[len(warm_edits) // 2],
                                "runs": [r["seconds"] for r in warm_edits]}
        except SystemExit as exc:
            res["warm_edit"] = {"failed": str(exc)}
            res.setdefault("failed", []).append("warm_edit")
        finally:
            warm.close()
        save()
    res["load_between"] = load()
    # the floor's pages are written from the same data (the edited one); not timed
    floor_src = run_dir / "floor-src"
    if "floor" not in skip:
        res["floor_person_pages"] = write_series_floor(series_volumes(conf, papers, cache), floor_src)
    floor = None if "floor" in skip else timed("floor", [sys.executable, "-m", "sphinx", "-j", jobs, "-q", "-b", "html", floor_src, run_dir / "floor-site"],
                  f"floor: sphinx-build of the series' {total} hand-made paper pages and person pages")
    if floor is not None:
        res["floor_sizes"] = sizes(run_dir / "floor-site", ids, total)
        floor_edits = []
        for i in range(repeat):  # the floor's own one-title edit: the pages that show the title rewritten, Sphinx again
            edit_title(conf / middle / "papers.yaml", f"paper-{(n // 2 + 7 * i + 3) % n:04d}", i + 1)
            fresh = run_dir / "floor-src-new"
            write_series_floor(series_volumes(conf, papers, cache), fresh)
            res.setdefault("floor_edit_pages", []).append(sync_changed(fresh, floor_src))
            shutil.rmtree(fresh)
            out = timed(f"floor-edit-{i}", [sys.executable, "-m", "sphinx", "-j", jobs, "-q", "-b", "html", floor_src, run_dir / "floor-site"],
                        f"floor: sphinx-build again after one title edited ({i + 1}/{repeat})")
            if out is None:
                break
            floor_edits.append(out)
        if floor_edits:
            res["floor_edit"] = median_run(floor_edits)
    shutil.rmtree(run_dir / "floor-site", ignore_errors=True)
    if "single" not in skip:
        single = WORK / f"series-single-{editions}x{n}"
        shutil.rmtree(single, ignore_errors=True)
        single.mkdir(parents=True)
        (single / "docs").mkdir()
        timed("single", ours(inputs / "single" / "conf", inputs / "single" / "papers", single / "site", single / "cache", single / "docs", jobs),
              f"the same {total} papers as one single workshop: cold build")
        if (single / "site").is_dir():
            res["single_sizes"] = {"site_kb_per_paper": sum(p.stat().st_size for p in (single / "site").rglob("*")
                                                           if p.is_file() and p.suffix != ".pdf") / 1024 / total}
        shutil.rmtree(single, ignore_errors=True)
    res["load_after"] = load()
    save()
    for part in ("site", ".site.staging", "cache", "floor-src"):
        shutil.rmtree(run_dir / part, ignore_errors=True)  # 10,000 papers are several GB of pages
    return res


# -- the table ---------------------------------------------------------------------------

def _t(r: dict, key: str, digits: int = 1) -> str:
    m = r.get(key)
    if not m:
        return "not measured"
    if "failed" in m:
        return f"**{m['failed']}**"
    cell = f"{m['seconds']:.{digits}f} s" + (f" (CPU {m['cpu']:.{digits}f} s)" if "cpu" in m else "")  # the preview's: wall only
    if len(m.get("runs", ())) > 1:
        cell += f"; {len(m['runs'])} runs: " + ", ".join(f"{t:.2f}" for t in sorted(m["runs"])) + " s"
    return cell


def _ratio(r: dict, key: str) -> str:
    return _ratio_of(r, key, "floor")


def _ratio_of(r: dict, key: str, floor: str) -> str:
    a, f = r.get(key), r.get(floor)
    if not a or not f or "failed" in a or "failed" in f:
        return "–"
    return f"{a['seconds'] / f['seconds']:.2f}× (CPU {a['cpu'] / f['cpu']:.2f}×)"


def _mem(r: dict, keys: tuple[str, ...]) -> str:
    runs = [r[k] for k in keys if r.get(k) and "failed" not in r[k]]
    if not runs:
        return "–"
    return f"{max(m['peak_mb'] for m in runs):,.0f} / {max(m.get('group_pss_mb', 0) for m in runs):,.0f} MB"


def table(results: list[dict]) -> str:
    """One column per series size."""
    head = "| measurement (wall, CPU of all processes) | aim | " + " | ".join(f"{r['editions']} × {r['papers']:,} = {r['total']:,} papers" for r in results) + " |"
    rows = [head, "|" + " --- |" * (2 + len(results))]

    def row(label: str, aim: str, cell) -> None:
        rows.append(f"| {label} | {aim} | " + " | ".join(cell(r) for r in results) + " |")

    def per_paper(r: dict, key: str) -> str:
        m = r.get(key)
        if not m or "failed" in m:
            return "–"
        return f"{m['seconds'] * 1000 / r['total']:.1f} ms (CPU {m['cpu'] * 1000 / r['total']:.1f} ms)"

    row("series, cold build", "", lambda r: _t(r, "cold"))
    row("floor: one `sphinx-build -j auto` of the same pages", "", lambda r: _t(r, "floor"))
    row("series cold ÷ floor", "≤ 1.00×", lambda r: _ratio(r, "cold"))
    row("floor: one title edited, `sphinx-build` again (median run)", "", lambda r: _t(r, "floor_edit", 2) + (
        f"; {max(r['floor_edit_pages'])} pages rewritten" if r.get("floor_edit_pages") else ""))
    row("one title edited ÷ the floor's", "", lambda r: _ratio_of(r, "edit", "floor_edit"))
    row("peak memory, cold: one process / process tree", "≤ 2 GB", lambda r: _mem(r, ("cold",)))
    row("floor's peak memory: one process / tree", "", lambda r: _mem(r, ("floor",)))
    row("same papers as ONE workshop, cold", "", lambda r: _t(r, "single"))
    row("per paper, cold: series / one workshop", "series ≤ one workshop",
        lambda r: f"{per_paper(r, 'cold')} / {per_paper(r, 'single')}")
    row("one workshop ÷ floor", "", lambda r: _ratio(r, "single"))
    row("no-change rebuild", "", lambda r: _t(r, "noop", 2))
    row("one paper's title edited (median run)", "< 2 s at 1,000; < 3 s at 10,000", lambda r: _t(r, "edit", 2))
    row("files changed in the other editions by an edit", "0",
        lambda r: str(max((sum(t.values()) for t in r.get("untouched_editions_changed_files", [])), default="–")))
    row("one PDF replaced (median run)", "< 2 s at 1,000; < 3 s at 10,000", lambda r: _t(r, "pdf", 2))
    row("one title edited, in the preview (`nox -s serve`; median run, wall)", "", lambda r: _t(r, "warm_edit", 2))
    row("peak memory of the rebuilds: one / tree", "", lambda r: _mem(r, ("noop", "edit", "pdf")))
    def kb(sizes: dict | None) -> str:
        return f"{sizes['site_kb_per_paper']:.1f}" if sizes else "–"

    row("site without PDFs, per paper (ours / floor / one workshop)", "≤ 50 KB", lambda r: (
        f"{kb(r.get('sizes'))} / {kb(r.get('floor_sizes'))} / {kb(r.get('single_sizes'))} KB"))
    row("HTML pages (ours / floor)", "", lambda r: f"{r['sizes']['html_pages']:,} / " + (
        f"{r['floor_sizes']['html_pages']:,}" if r.get("floor_sizes") else "–") if r.get("sizes") else "–")
    row("load average (1 min) before, between, after", "", lambda r: ", ".join(
        r.get(k, "? ").split()[0] for k in ("load_before", "load_between", "load_after")))
    return "\n".join(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--editions", type=int, action="append", help="editions (repeatable, paired with --papers; default 2)")
    parser.add_argument("--papers", type=int, action="append", help="papers per edition (repeatable; default 500)")
    parser.add_argument("--pdfs", type=int, default=3, help="real PDFs per edition, the rest pending (default 3)")
    parser.add_argument("-j", "--jobs", default="auto", help="Sphinx processes for every build (default: auto)")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds each command may take (default 3600)")
    parser.add_argument("--repeat", type=int, default=3, help="edit / PDF rounds (default 3)")
    parser.add_argument("--skip-single", action="store_true", help="do not build the same papers as one workshop")
    parser.add_argument("--skip-floor", action="store_true", help="do not build the floor (its figures can be merged in from an earlier run)")
    parser.add_argument("--skip-warm", action="store_true", help="do not measure the preview's edits")
    parser.add_argument("--from-results", action="store_true", help="do not build: reuse _work/series-results-ExN.json")
    args = parser.parse_args()
    editions, papers = args.editions or [2], args.papers or [500]
    if len(editions) != len(papers):
        parser.error("give --editions and --papers in pairs")
    results = []
    for e, n in zip(editions, papers, strict=True):
        if args.from_results:
            results.append(json.loads((WORK / f"series-results-{e}x{n}.json").read_text()))
        else:
            results.append(measure(e, n, args.pdfs, args.jobs, args.timeout, args.repeat, {name for name, skipped in (("single", args.skip_single), ("floor", args.skip_floor),
                                                                                                             ("warm", args.skip_warm)) if skipped}))
    print(table(results))
    failed = [f"{r['editions']} × {r['papers']}: {', '.join(r['failed'])}" for r in results if r.get("failed")]
    if failed:
        print("NOT COMPLETE (killed or failed): " + "; ".join(failed), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
