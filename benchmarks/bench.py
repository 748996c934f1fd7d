"""Speed at scale: build a synthetic N-paper workshop and compare with the bare-Sphinx floor.

    python benchmarks/bench.py --papers 1000            # measure, print a table
    python benchmarks/bench.py --papers 100 --papers 1000 --write-docs   # also update benchmarks/performance.md

Generated inputs (conf/ + PDFs of 3-9 pages) are cached under ``benchmarks/_work/`` (git-ignored).
Every build runs as a child process; its peak memory is the child's ``ru_maxrss`` from
``os.wait4`` (Sphinx's parallel workers are forked children, so they count too).

Measured, in one run:

* full build, cold cache (PDF facts extracted, fresh Sphinx environment);
* full build with the PDF facts already cached (fresh Sphinx environment);
* a rebuild with nothing changed;
* a rebuild after editing one paper's title;
* a rebuild after replacing one paper's PDF (with a different page count);
* the floor: plain ``sphinx-build -j auto`` of the same site written as hand-made MyST pages
  (literal titles, authors, badges, abstracts, sphinx-design cards and cite tabs; same theme,
  same extensions, same pages: papers, list, author pages and index).
"""

from __future__ import annotations

import argparse
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

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
WORK = HERE / "_work"
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "tests"))  # synthetic.py: the test suite's synthetic workshops

from enlsp_proceedings.model.load import load_proceedings  # noqa: E402
from enlsp_proceedings.outputs import citation, cite  # noqa: E402
from enlsp_proceedings.outputs.volume import PdfStatus, Volume  # noqa: E402
from synthetic import make_pdf, random_papers, write_workshop  # noqa: E402

# Realistic, varied names: a 1,000-paper volume has several thousand distinct authors.
FIRST = ("Aarav Abebe Adaeze Ahmed Aiko Alejandro Alina Amara Ana Andrei Anika Arjun Aylin Bao Beatriz Bilal Bo Camille "
         "Carlos Chen Chiara Chidi Dae-jung Daniela Dmitri Elif Élodie Emeka Emma Farah Fatima Felipe Gabriel Giulia "
         "Grzegorz Hana Haruto Hyun-woo Ibrahim Ines Ivan Jae Javier Jin Jiho João Jürgen Kai Kamala Kenji Kwame Laila "
         "Lars Lea Li Lucía Luis Mai Malik Marta Mateo Mehdi Mei Min Mohammed Nadia Nguyễn Niamh Nikolai Noor Olúwaseun "
         "Omar Pablo Paula Pedro Priya Qiu Rahul Ravi Rin Rosa Sakura Samir Sana Santiago Sara Sergei Shreya Siddharth "
         "Søren Sofia Sun Tariq Tomás Uma Valentina Vikram Vũ Wei Xin Yara Yi Yusuf Zainab Zhang Zoë").split()
LAST = ("Abadi Adébáyọ̀ Agarwal Ahn Alvarez Andersen Ansari Bakker Banerjee Bauer Becker Björk Bose Brown Castillo Çelik "
        "Chakraborty Chan Chatterjee Chen Cho Costa Cruz Da Silva Dang Das Dubois Eriksson Fernández Fischer Fujita "
        "García Ghosh Gómez González Gupta Haddad Han Hansen Hashemi Hoang Horvath Huang Hussain Ivanova Iyer Jain Jensen "
        "Jung Kang Kaur Khan Kim Kowalski Kumar Kuznetsov Lam Larsen Le Lee Li Lin Liu Lopez Lund Ma Mehta Mishra Moreau "
        "Müller Murphy Nakamura Nair Ng Nguyễn Novák Nowak O'Neil Okafor Olsen Park Patel Pereira Petrov Popescu Qian "
        "Rahman Rao Reddy Rezagholizadeh Rossi Sato Schmidt Shah Sharma Silva Singh Smith Sokolov Suzuki Tan Tanaka Tran "
        "Vargas Wagner Wang Watanabe Weber Wu Xu Yamamoto Yang Yilmaz Yu Zhao Zhou Zhu").split()
AFFILIATIONS = ["University of Toronto", "Tsinghua University", "Huawei Noah's Ark Lab", "MIT", "ETH Zürich", "KAIST",
                "Université de Montréal", "Google Research", "Meta AI", "University of Edinburgh", "IIT Bombay", "Inria",
                "University of Tokyo", "Carnegie Mellon University", "Microsoft Research", "Universität Wien"]


def realistic_authors(papers, seed: int = 7) -> None:
    """Replace the small name pool of `random_papers` by thousands of names, some prolific."""
    rng = random.Random(seed)
    pool: list[dict] = []
    for paper in papers:
        authors, seen = [], set()
        for _ in range(rng.choice([1, 2, 3, 3, 4, 4, 5, 6])):
            if pool and rng.random() < 0.18:
                person = rng.choice(pool)
            else:
                name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
                if rng.random() < 0.15:
                    name = f"{name.split()[0]} {rng.choice('ABCDEFGHJKLMNPRSTW')}. {' '.join(name.split()[1:])}"
                person = {"name": name, "affiliation": rng.choice(AFFILIATIONS)}
                pool.append(person)
            if person["name"] not in seen:
                seen.add(person["name"])
                authors.append(dict(person))
        paper.authors = authors


def prepare_inputs(n: int) -> Path:
    """conf/ + papers/ of the N-paper workshop, generated once and kept in _work/."""
    root = WORK / f"input-{n}"
    stamp = root / ".complete"
    if stamp.is_file():
        return root
    shutil.rmtree(root, ignore_errors=True)
    papers = random_papers(n, seed=n)
    realistic_authors(papers, seed=n)
    t0 = time.perf_counter()
    print(f"generating {n} papers with PDFs in {root} ...", file=sys.stderr, flush=True)
    write_workshop(root, papers)
    stamp.write_text("ok")
    print(f"  generated in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    return root


# -- running and measuring -------------------------------------------------------------

def _group_pss_mb(pgid: int) -> float:
    """Proportional set size of every process in a process group, in MB (forked workers share pages)."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[2]) != pgid:
                continue
            for line in (stat.parent / "smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
        except (OSError, ValueError, IndexError):
            continue  # the process ended meanwhile
    return total / 1024


def run(cmd: list[str], label: str, env: dict | None = None, timeout: float | None = None, ok: tuple[int, ...] = (0,)) -> dict:
    """Run one child to completion; wall time and its peak RSS (including forked workers).

    With ``timeout``, the child and every process it started are killed after that many seconds
    and the run fails; so does an exit status not in ``ok``. ``group_pss_mb`` is the largest memory of the whole process tree at once
    (the sum of its processes' proportional set sizes, sampled every half second; Linux only).
    """
    print(f"[bench] {label}: {' '.join(str(c) for c in cmd[:6])} ...", file=sys.stderr, flush=True)
    t0 = time.perf_counter()
    proc = subprocess.Popen([str(c) for c in cmd], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env,
                            start_new_session=True)
    group_peak = [0.0]
    done = threading.Event()

    def watch() -> None:
        deadline = None if timeout is None else t0 + timeout
        while not done.wait(0.5):
            group_peak[0] = max(group_peak[0], _group_pss_mb(proc.pid))
            if deadline is not None and time.perf_counter() > deadline:
                print(f"[bench] {label}: killed after {timeout:.0f} s", file=sys.stderr, flush=True)
                os.killpg(proc.pid, signal.SIGKILL)
                return

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    # read stderr while waiting (never lets the pipe fill up), then reap with wait4 for rusage
    assert proc.stderr is not None
    err = proc.stderr.read().decode(errors="replace")
    _pid, status, usage = os.wait4(proc.pid, 0)
    done.set()
    watcher.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - t0
    if proc.returncode not in ok:
        sys.stderr.write(err[-4000:])
        raise SystemExit(f"{label} failed with status {proc.returncode} after {seconds:.0f} s")
    warnings = sum(1 for line in err.splitlines() if "WARNING" in line)
    cpu = usage.ru_utime + usage.ru_stime
    print(f"[bench] {label}: {seconds:.2f} s wall, {cpu:.1f} s CPU, peak {usage.ru_maxrss / 1024:.0f} MB "
          f"(all processes {group_peak[0]:.0f} MB), {warnings} warnings", file=sys.stderr, flush=True)
    return {"seconds": seconds, "cpu": cpu, "peak_mb": usage.ru_maxrss / 1024, "group_pss_mb": group_peak[0], "warnings": warnings}


def median_run(runs: list[dict]) -> dict:
    """The run with the median wall time (of an even number, the slower of the two middle runs), with
    every run's time and the highest peak memory."""
    middle = sorted(runs, key=lambda r: r["seconds"])[len(runs) // 2]
    return {**middle, "runs": [r["seconds"] for r in runs], "peak_mb": max(r["peak_mb"] for r in runs)}


def env_with_src() -> dict:
    """The environment of a measured build: the tool imported from this checkout's src/, compiled to
    bytecode first, as `nox -s build` has it (noxfile's ``compile_package``: where PYTHONDONTWRITEBYTECODE
    is set, Python would otherwise compile its modules from source in every build, 0.12 s each)."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(REPO / "src" / "enlsp_proceedings")], check=True)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO / "src"), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    return env


def ours(run_dir: Path, jobs: str) -> list[str]:
    return [sys.executable, "-m", "enlsp_proceedings", "build", "--conf", run_dir / "conf", "--papers", run_dir / "papers",
            "--out", run_dir / "site", "--docs", run_dir / "docs", "--cache", run_dir / "cache", "-j", jobs]


def site_sizes(site: Path, n: int) -> dict:
    paper_pages = sorted((site / "papers").glob("*.html"))
    largest = max((p.stat().st_size for p in paper_pages if p.name != "index.html"), default=0)
    total = sum(p.stat().st_size for p in site.rglob("*") if p.is_file() and p.suffix != ".pdf")
    pages = sum(1 for _ in site.rglob("*.html"))
    return {"largest_paper_page_kb": largest / 1024, "site_kb_per_paper": total / 1024 / n, "html_pages": pages}


# -- the floor: the same site as hand-made MyST pages -------------------------------------

def _esc(value: str) -> str:
    """Literal text in MyST: escape the few characters Markdown would interpret."""
    out = []
    for ch in value:
        if ch in "\\`*_[]<>#{}|$~":
            out.append("\\" + ch)
        else:
            out.append(ch)
    return "".join(out)


def _fence(body: str, lang: str = "text") -> str:
    return f"````{lang}\n{body.rstrip()}\n````"


def write_floor(volume: Volume, src: Path) -> None:
    """What a person would write by hand for the same site (sphinx-design, one file per page)."""
    from enlsp_proceedings.sphinxext.settings import settings

    shutil.rmtree(src, ignore_errors=True)
    (src / "papers").mkdir(parents=True)
    (src / "authors").mkdir()
    (src / "keynotes").mkdir()
    w, proc, people = volume.workshop, volume.proc, volume.people
    conf = settings()
    conf["extensions"] = [e for e in conf["extensions"] if e != "enlsp_proceedings.sphinxext"]
    conf.pop("enlsp_data")
    conf.pop("template_bridge")  # plain Sphinx output
    conf.pop("templates_path")  # the theme's own templates (ours need the extension's filters)
    conf["html_theme_options"].pop("footer_start")  # (an override of ours)
    conf.update(project=w.short_name, html_title=f"{w.short_name} {w.year}", html_baseurl=w.base_url,
                ogp_site_url=w.base_url, ogp_site_name=f"{w.short_name} {w.year}")
    (src / "conf.py").write_text(f"globals().update({conf!r})\n")

    def authors_line(persons, depth: str, with_aff: bool = True) -> str:
        parts = []
        for p in persons:
            link = f"[{_esc(p.name)}]({depth}authors/{people.slug(p.name)}.md)"
            parts.append(link + (f" ({_esc(p.affiliation)})" if with_aff and p.affiliation else ""))
        return ", ".join(parts)

    labels = {"oral": "Oral", "spotlight": "Spotlight", "poster": "Poster"}

    def card(paper, depth: str) -> str:
        st = volume.pdfs[paper.id]
        return (f":::{{grid-item-card}} {_esc(paper.title)}\n:link: {depth}papers/{paper.id}\n:link-type: doc\n\n"
                f"{authors_line(paper.authors, depth, False)}\n\n{{bdg-primary}}`{labels[paper.presentation]}` {{bdg-secondary-line}}`Non-archival`\n\n"
                + (f"PDF · {st.pages} pages" if st.pages else "Camera-ready pending") + "\n:::\n")

    def pdf_block(paper, st) -> str:
        if st.pages:
            return f"```{{button-link}} {volume.url(f'papers/{paper.id}.pdf')}\nPDF ({st.pages} pages)\n```\n"
        return ":::{note} Camera-ready not yet available\nThe camera-ready PDF of this paper is not yet available.\n:::\n"

    sections = ["papers/index", "keynotes/index", "schedule", "authors/index", "people", "cfp"]
    (src / "index.md").write_text(
        f"# {_esc(w.title)}\n\n**{w.date:%A %d %B %Y}** · {_esc(w.location)}\n\n{len(proc.papers)} accepted papers.\n\n"
        "```{toctree}\n:hidden:\n\n" + "\n".join(sections) + "\n```\n")
    for doc, title in (("keynotes/index", "Keynote talks"), ("schedule", "Schedule"), ("people", "Organizers and committee"), ("cfp", "Call for papers")):
        (src / f"{doc}.md").write_text(f"# {title}\n\nNothing yet.\n")
    cards = "".join(card(p, "../") for p in proc.papers)
    (src / "papers/index.md").write_text(f"# Accepted papers\n\n{len(proc.papers)} papers.\n\n## All papers\n\n::::{{grid}} 1 1 2 2\n{cards}::::\n")
    for paper in proc.papers:
        st = volume.pdfs[paper.id]
        url = volume.url(f"papers/{paper.id}.html")
        abstract = "\n\n".join(_esc(x) for x in paper.abstract.split("\n\n"))
        (src / f"papers/{paper.id}.md").write_text(f"""---
orphan: true
---
# {_esc(paper.title)}

{authors_line(paper.authors, "../")}

{{bdg-primary}}`{labels[paper.presentation]}` {{bdg-secondary-line}}`Non-archival`

**Presentation:** {labels[paper.presentation]} · **Track:** {paper.track}

{pdf_block(paper, st)}

## Abstract

{abstract}

## Cite

::::{{tab-set}}
:::{{tab-item}} BibTeX
{_fence(citation.bibtex(volume.paper_citation(paper)), "bibtex")}
:::
:::{{tab-item}} ACL
{_fence(cite.to_acl_text(paper, w))}
:::
:::{{tab-item}} Markdown
{_fence(cite.to_markdown(paper, w, url), "markdown")}
:::
:::{{tab-item}} RIS
{_fence(citation.ris(volume.paper_citation(paper)))}
:::
::::

Download: [.bib]({volume.url(f"papers/{paper.id}.bib")}) · [.ris]({volume.url(f"papers/{paper.id}.ris")})
""")
    letters: dict[str, list] = {}
    for record in people.sorted():
        letters.setdefault(record.sort_key[0][:1].upper() or "#", []).append(record)
    body = "".join(f"## {letter}\n\n" + "".join(f"- [{_esc(r.name)}]({r.slug}.md) — Author\n" for r in recs) + "\n" for letter, recs in sorted(letters.items()))
    (src / "authors/index.md").write_text(f"# Authors\n\n{len(people.by_slug)} people.\n\n{body}")
    for slug, record in people.by_slug.items():
        cards = "".join(card(volume.papers_by_id[i], "../") for i in record.papers)
        co = "".join(f"- [{_esc(people.by_slug[s].name)}]({s}.md)\n" for s in record.coauthors)
        (src / f"authors/{slug}.md").write_text(
            f"---\norphan: true\n---\n# {_esc(record.name)}\n\n{{bdg-secondary-line}}`Author`\n\n**Affiliation:** {_esc('; '.join(record.affiliations))}\n\n"
            f"## Papers\n\n::::{{grid}} 1 1 2 2\n{cards}::::\n\n" + (f"## Co-authors\n\n{co}" if co else ""))


def floor_volume(run_dir: Path) -> Volume:
    from enlsp_proceedings.pdf.extract import extract_all

    proc = load_proceedings(run_dir / "conf")
    pdfs = extract_all(proc.papers, run_dir / "papers", run_dir / "cache")  # cached: the timed build already read them
    return Volume(proc, {k: PdfStatus.from_paper_pdf(v) for k, v in pdfs.items()})


# -- one benchmark -----------------------------------------------------------------------

def edit_one_title(conf: Path, paper_id: str, n: int) -> None:
    import yaml

    path = conf / "papers.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for paper in data["papers"]:
        if paper["id"] == paper_id:
            paper["title"] += f" (revised {n})"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def bench(n: int, jobs: str, repeat: int = 3) -> dict:
    inputs = prepare_inputs(n)
    run_dir = WORK / f"run-{n}"
    shutil.rmtree(run_dir, ignore_errors=True)
    run_dir.mkdir(parents=True)
    shutil.copytree(inputs / "conf", run_dir / "conf")
    shutil.copytree(inputs / "papers", run_dir / "papers")
    (run_dir / "docs").mkdir()
    env = env_with_src()
    res: dict = {"papers": n, "jobs": jobs, "cpus": os.cpu_count()}

    res["cold"] = run(ours(run_dir, jobs), "full build, cold cache", env)
    res["sizes"] = site_sizes(run_dir / "site", n)
    res["noop"] = run(ours(run_dir, jobs), "no-change rebuild", env)
    # An organizer's corrections, one after another: each build is measured on its own.
    papers = random_papers(n, seed=n)
    edits, replacements = [], []
    for i in range(repeat):
        edit_one_title(run_dir / "conf", f"paper-{(n // 2 + 7 * i) % n:04d}", i + 1)
        edits.append(run(ours(run_dir, jobs), f"one paper's metadata edited ({i + 1}/{repeat})", env))
        victim = papers[(n // 3 + 7 * i) % n]
        make_pdf(run_dir / "papers" / f"{victim.id}.pdf", victim.title, ["Somebody Else"], 2 if victim.pages != 2 else 4, 1, seed=99 + i)
        replacements.append(run(ours(run_dir, jobs), f"one PDF replaced ({i + 1}/{repeat})", env))
    res["edit"], res["pdf"] = median_run(edits), median_run(replacements)
    # a full Sphinx build again, PDF facts cached: what the floor is compared with without PDF reading
    shutil.rmtree(run_dir / "site")
    shutil.rmtree(run_dir / ".site.staging", ignore_errors=True)
    shutil.rmtree(run_dir / "cache" / "doctrees")
    res["warm_pdfs"] = run(ours(run_dir, jobs), "full build, PDF facts cached", env)

    floor_src = run_dir / "floor-src"
    write_floor(floor_volume(run_dir), floor_src)
    res["floor"] = run([sys.executable, "-m", "sphinx", "-j", jobs, "-q", "-b", "html", floor_src, run_dir / "floor-site"], "floor: sphinx-build of hand-made MyST", env)
    res["floor_sizes"] = site_sizes(run_dir / "floor-site", n)
    res["floor"]["html_pages"] = res["floor_sizes"]["html_pages"]
    (WORK / f"results-{n}.json").write_text(json.dumps(res, indent=2))
    return res


#: Issue 7's targets at N = 1,000: key -> (what is compared, limit).
TARGETS = {
    "cold": ("ratio", 1.15), "warm_pdfs": ("ratio", 1.15), "noop": ("seconds", 2.0), "edit": ("seconds", 4.0), "pdf": ("seconds", 4.0),
    "largest_page": ("kb", 25.0), "site_per_paper": ("kb", 50.0), "peak": ("mb", 1024.0),
}


def _peak(r: dict) -> float:
    return max(r[k]["peak_mb"] for k in ("cold", "noop", "edit", "pdf", "warm_pdfs"))


def measured(r: dict, key: str) -> float:
    """The number a target is about, from one run's results."""
    if key in ("cold", "warm_pdfs"):
        return r[key]["seconds"] / r["floor"]["seconds"]
    if key in ("noop", "edit", "pdf"):
        return r[key]["seconds"]
    if key == "largest_page":
        return r["sizes"]["largest_paper_page_kb"]
    if key == "site_per_paper":
        return r["sizes"]["site_kb_per_paper"]
    return _peak(r)


def missed(r: dict) -> list[str]:
    """Targets this run does not meet (only meaningful for N = 1,000)."""
    return [key for key, (_unit, limit) in TARGETS.items() if measured(r, key) > limit]


def table(results: list[dict]) -> str:
    rows = [
        ("full build, cold cache (reads every PDF)", "cold", "≤ 1.15× floor"),
        ("full build, PDF facts cached", "warm_pdfs", "≤ 1.15× floor"),
        ("no-change rebuild", "noop", "≤ 2 s"),
        ("one paper's metadata edited", "edit", "≤ 4 s"),
        ("one PDF replaced", "pdf", "≤ 4 s"),
        ("floor: `sphinx-build -j auto`, hand-made MyST", "floor", ""),
    ]
    big = next((r for r in results if r["papers"] == 1000), None)

    def verdict(key: str) -> str:
        if big is None or key not in TARGETS:
            return ""
        return " met" if key not in missed(big) else " **missed**"

    head = "| measurement: wall time (CPU time of all processes) | target (N = 1,000) | " + " | ".join(f"N = {r['papers']:,}" for r in results) + " |"
    lines = [head, "|" + " --- |" * (2 + len(results))]
    for label, key, target in rows:
        cells = []
        for r in results:
            cell = f"{r[key]['seconds']:.2f} s" if key in ("noop", "edit", "pdf") else f"{r[key]['seconds']:.1f} s"
            if key in ("cold", "warm_pdfs"):
                cell += f" = {r[key]['seconds'] / r['floor']['seconds']:.2f}× floor"
            cell += f" (CPU {r[key]['cpu']:.{1 if key in ('noop', 'edit', 'pdf') else 0}f} s" + (f" = {r[key]['cpu'] / r['floor']['cpu']:.2f}×)" if key in ("cold", "warm_pdfs") else ")")
            if len(r[key].get("runs", ())) > 1:  # successive corrections: the median, and every run
                cell += f"; median of {', '.join(f'{t:.2f}' for t in sorted(r[key]['runs']))} s"
            cells.append(cell)
        lines.append(f"| {label} | {target}{verdict(key)} | " + " | ".join(cells) + " |")
    lines.append(f"| largest paper page (HTML) | ≤ 25 KB{verdict('largest_page')} | " + " | ".join(f"{r['sizes']['largest_paper_page_kb']:.1f} KB" for r in results) + " |")
    lines.append(f"| whole site without PDFs, per paper | ≤ 50 KB{verdict('site_per_paper')} | " + " | ".join(f"{r['sizes']['site_kb_per_paper']:.1f} KB" for r in results) + " |")
    lines.append("| HTML pages (papers, authors, lists) | | " + " | ".join(f"{r['sizes']['html_pages']:,}" for r in results) + " |")
    lines.append(f"| peak memory of one process | ≤ 1 GB{verdict('peak')} | " + " | ".join(f"{_peak(r):.0f} MB" for r in results) + " |")
    lines.append("| floor: largest paper page / site per paper | | " + " | ".join(
        f"{r['floor_sizes']['largest_paper_page_kb']:.1f} KB / {r['floor_sizes']['site_kb_per_paper']:.1f} KB" for r in results) + " |")
    return "\n".join(lines)


DOC_HEAD = """# Performance

How fast the build is for a large volume, measured with `benchmarks/bench.py` on a synthetic
workshop (PDFs of 3–9 pages, 1–6 authors per paper drawn from thousands of names, so about
{authors} author pages for 1,000 papers) on a 2-core machine shared with other jobs:

```console
$ python benchmarks/bench.py --papers 100 --papers 1000 --write-docs
```

The **floor** is plain `sphinx-build -j auto` of the same site written as hand-made MyST pages
(same theme, with its stock templates, and the same extensions; same pages: one per paper and per
author, the lists and the index). The build comes in below the floor mainly because its pages
carry a smaller frame (about 3 KB of theme markup instead of 9 KB, see "What keeps the site
small"), so Sphinx writes less; before that change, with the same frame as the floor, a full
build with cached PDF facts measured 1.03× the floor.
Peak memory is the largest resident size of any one build process (`ru_maxrss`). The edit and
PDF rows are an organizer's successive corrections: a different paper's title edited, then
another paper's PDF replaced, three rounds, each a separate build; the table shows the median
and every run.

"""

DOC_TAIL = """

What makes rebuilds fast:

- a generated page is rewritten only when the data it shows changes (its source holds a digest
  of that data), so Sphinx, which re-reads by modification time, re-reads only those pages;
- each PDF is read once per content hash (`<cache>/pdf-facts/`, `<cache>/thumbs/`), in one pass:
  pypdf checks the file and counts its pages (well under a millisecond), PDFium extracts the text
  of every page and renders the thumbnail from the same open document (about 6 ms of CPU per
  3–9-page PDF, against 25 ms for pypdf's text extraction plus a separate rendering), in a worker
  process per core;
- the Sphinx extension is parallel-safe, so `-j auto` reads and writes pages on every core;
- no configuration value changes from one run to the next (that would make Sphinx re-read everything);
- `nox -s build` reuses its environment and reinstalls only when `pyproject.toml` changes;
- when nothing changed at all (same data, sources, configuration, code and tool versions as the
  published site, recorded as a fingerprint in the site), the build stops before starting Sphinx;
- the site exists twice (the published copy and a staging copy, swapped atomically on success);
  after a swap the staging copy holds the build before, so each build first brings it (and its
  doctree cache) up to date from the published copy, copying only files whose size or
  modification time differ (the pages and doctrees of the previous change, Sphinx's saved
  environment, the changed downloads; PDFs are hard-linked). Sphinx, which decides what to
  re-read by modification times, then re-reads only the pages of the current change, not those of
  the previous one too. The staging copy is marked incomplete while it is being brought up to
  date, so a copy stopped halfway is discarded by the next build. Its search index is left to the
  search step, which reuses whichever copy's index matches. After a first build the same copy,
  into an empty directory, makes the second copy, so the first correction is an incremental build;
- a small update is read and written in the main process: Sphinx's parallel read ships the whole
  environment to each worker and back, seconds for a 1,000-paper volume, and its parallel write
  forks the 400 MB build process to write a handful of pages;
- per-paper `.bib`/`.ris` files are regenerated only for papers whose page changed, and
  `proceedings.bib` is assembled from them;
- paper cards and title lists (hundreds per page on the papers list, the home page and author
  pages) are each one node holding escaped HTML made by `markupsafe` templates, not ~45 docutils
  nodes: Sphinx's transforms walk every node of a page, and the 1,000-card list was most of a
  one-paper edit;
- the Pagefind index is made from the data, not the pages, so it is built in a child process on
  the other core while Sphinx works; it comes in bundles of about 1,000 records (chosen by a hash
  of each record's address, merged in the browser), so a one-paper change re-indexes one bundle
  (0.7 s of CPU instead of 2.6 s at N = 1,000) and the others are kept or hard-linked;
- each page's source holds a digest of what the page shows; a paper card is hashed once and the
  author pages and the papers list use that hash (hashing the cards again for each of 2,600
  author pages was 10 MB of JSON per build at N = 1,000);
- Sphinx's saved environment is unpickled with the garbage collector paused (four times faster)
  and then frozen, and the process exits without tearing down its objects (over a second at
  N = 1,000);
- name-variant warnings are computed once per set of names (`<cache>/name-variants.json`);
- pages are written without the theme's blank lines and indentation, and without the colour-mode
  switcher (the mode follows the reader's system setting);
- `sitemap.xml` is written from the list of all pages (sphinx-sitemap only listed the pages written
  by the current run, so an incremental build published an almost empty sitemap).

Reading the table: the machine is shared, so wall times vary with other jobs; CPU time (all
processes of a build, from `wait4`) is the steadier comparison. In a full build most of the time
is Sphinx itself in both columns: reading and writing pages in parallel, then, in the main
process alone, merging what the workers read and resolving every page; with the same page frame
a full build cannot get much below the floor. A one-paper edit costs, at N = 1,000, roughly
(main process, idle machine): 0.3 s start-up, 0.25 s loading the data and checking the PDFs'
facts, 0.15 s making the search records, 0.3 s writing the page sources (digests of 3,600
pages), 0.1 s bringing the staging copy up to date, 0.4 s loading Sphinx's environment, 0.4 s
re-reading the changed pages (the paper, its authors, the home page, the schedule and the list of
all papers, which alone takes 0.17 s for its 1,000 cards), 0.3 s writing them, 0.1 s downloads;
Pagefind re-indexes one bundle meanwhile on the other core and is done before Sphinx.

What keeps the site small (at N = 1,000, 2,647 of the 3,655 pages are author pages, so the
page frame counts more than anything else):

- one page frame of about 3 KB instead of 9.4 KB: `templates/` overrides the theme's layout,
  header, logo and navigation with the same ids and classes; what only scripts use (the search
  button and its dialog, the narrow-screen menu's copy of the header links) is built by
  `static/enlsp.js` when the page loads; no breadcrumbs (no page has parents), back-to-top
  button, banner placeholders or empty containers;
- each page loads only the files it uses (`frame.py`): none of Sphinx's search scripts (the site
  searches with Pagefind), the copy-button and highlighting files only with code blocks, the tab
  script only with tabs, Bootstrap only with a "More" dropdown, never the theme's
  `fontawesome.js` (it only draws custom icons);
- pages about one paper, talk or person have no "On this page" column;
- highlighted code has no `<span>` around tokens that both colour modes draw like plain text
  (`highlight.py`), and links between the site's pages carry no `reference internal` classes;
- the published `_static` has no source maps (2 MB) and none of the files no page loads.

{shortfalls}
"""


#: Where the time or the bytes go when a target is missed (from profiles of the last runs).
WHY_MISSED = {
    "cold": "reading 1,000 PDFs (text for the checks and the search, first-page thumbnails) comes on top of the floor's work",
    "edit": "Sphinx loads its environment and re-reads and re-writes the paper, its authors, the home page and the list of all papers",
    "pdf": "as for an edit, plus reading the new PDF (a forked worker) and re-indexing the search bundle that holds the paper",
    "site_per_paper": "every author page carries the theme's page frame",
}
TARGET_LABELS = {
    "cold": ("full build, cold cache", "× the floor", "1.15×"), "warm_pdfs": ("full build, PDF facts cached", "× the floor", "1.15×"),
    "noop": ("no-change rebuild", " s", "2 s"), "edit": ("one-paper edit", " s", "4 s"), "pdf": ("one PDF replaced", " s", "4 s"),
    "largest_page": ("largest paper page", " KB", "25 KB"), "site_per_paper": ("site without PDFs", " KB per paper", "50 KB"),
    "peak": ("peak memory", " MB", "1 GB"),
}


def shortfalls(big: dict | None) -> str:
    """The docs' closing paragraph: which N = 1,000 targets the measured run misses, and why."""
    if big is None:
        return "N = 1,000 was not measured in this run."
    keys = missed(big)
    close = [key for key, (_unit, limit) in TARGETS.items() if key not in keys and measured(big, key) > 0.95 * limit]
    edge = ""
    if close:
        edge = " Within 5% of the limit, so a busier machine or another run can miss it: " + "; ".join(
            f"{TARGET_LABELS[key][0]} ({measured(big, key):.2f}{TARGET_LABELS[key][1]} against {TARGET_LABELS[key][2]}"
            + ")" + (f", {WHY_MISSED[key]}" if key in WHY_MISSED else "") for key in close) + "."
    if not keys:
        return "Every target is met at N = 1,000 in the measured run." + edge
    lines = ["Not met at N = 1,000 in the measured run:", ""]
    for key in keys:
        label, unit, target = TARGET_LABELS[key]
        value = measured(big, key)
        why = WHY_MISSED.get(key)
        lines.append(f"- {label}: {value:.2f}{unit} against {target}" + (f"; {why}." if why else "."))
    return "\n".join(lines) + ("\n\n" + edge.strip() if edge else "")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--papers", type=int, action="append", help="number of papers (repeatable; default 1000)")
    parser.add_argument("-j", "--jobs", default="auto", help="Sphinx processes for both builds (default: auto)")
    parser.add_argument("--write-docs", action="store_true", help="write the table into benchmarks/performance.md")
    parser.add_argument("--from-results", action="store_true", help="do not build: reuse _work/results-N.json")
    parser.add_argument("--repeat", type=int, default=3, help="edit/PDF-replacement rounds; the table shows the median (default 3)")
    args = parser.parse_args()
    results = []
    for n in args.papers or [1000]:
        if args.from_results:
            results.append(json.loads((WORK / f"results-{n}.json").read_text()))
        else:
            results.append(bench(n, args.jobs, args.repeat))
    text = table(results)
    print(text)
    if args.write_docs:
        path = REPO / "benchmarks" / "performance.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        last = results[-1]
        authors = (last["sizes"]["html_pages"] - last["papers"] - 9) * 1000 // last["papers"]  # 9 fixed pages (index, lists, search...)
        big = next((r for r in results if r["papers"] == 1000), None)
        path.write_text(DOC_HEAD.format(authors=f"{authors:,}") + text + "\n" + DOC_TAIL.format(shortfalls=shortfalls(big)), encoding="utf-8")
        print(f"wrote {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
