"""The facts of every paper's camera-ready PDF (`extract_all`), cached by content hash.

For each paper: find its PDF safely inside the papers directory, hash it (`cache.HashMemo`),
take its facts from the cache (`cache.PdfCache`) or read it in the worker pool (`pool`,
`read.read_pdf`), and, for ``build``, its first-page thumbnail in the same pass. A PDF that
cannot be read yields facts with an ``error`` instead of raising: one bad file must not
take down the other papers.
"""

from __future__ import annotations

import errno
import os
import re
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from enlsp_proceedings.model.codes import Code
from enlsp_proceedings.model.schema import Paper
from enlsp_proceedings.pdf.cache import HashMemo, PdfCache
from enlsp_proceedings.pdf.facts import PaperPdf, PdfFacts, PdfProblem
from enlsp_proceedings.pdf.pool import Task, run_pool
from enlsp_proceedings.pdf.read import PDF_MAX_BYTES, too_large
from enlsp_proceedings.pdf.thumbs import ThumbCache

#: The longest name one directory entry may have on the usual file systems (ext4, APFS, NTFS: 255 bytes or UTF-16 units).
NAME_MAX_BYTES = 255
#: What separates folders in a name of papers.yaml (either slash, on every system).
_FOLDER_SEPARATOR = re.compile(r"[\\/]")


def shown_name(name: str, keep: int = 60) -> str:
    """A file name for a message: quoted, and cut in the middle when it is long (a 300-byte name
    would otherwise fill the terminal and the paper's page)."""
    if len(name) <= keep:
        return repr(name)
    return repr(name[: keep - 15] + "…" + name[-12:]) + f" ({len(os.fsencode(name))} bytes)"


def _folded(name: str) -> str:
    """A file name as a file system that ignores case and Unicode normalization may take it."""
    return unicodedata.normalize("NFC", name).casefold()


@dataclass(frozen=True)
class PapersListing:
    """The papers directory listed once (`listing`), for `locate` to answer for a plain file name
    without resolving it: at 10,000 papers, resolving the directory and each name took 0.6 s of
    every build."""

    #: the directory, resolved
    root: Path
    #: names of the regular files directly in it (symbolic links excluded)
    files: frozenset[str]
    #: every entry's name as `_folded`: a name not among them is in no form in the directory
    folded: frozenset[str]


def listing(papers_dir: Path) -> PapersListing | None:
    """The papers directory's `PapersListing`; None when it cannot be listed (`locate` then
    looks up each name on its own, and says what is wrong with it)."""
    try:
        root = papers_dir.resolve()
        with os.scandir(root) as entries:
            names = {entry.name: entry.is_file(follow_symlinks=False) for entry in entries}
    except (OSError, RuntimeError):
        return None
    return PapersListing(root, frozenset(n for n, regular in names.items() if regular), frozenset(map(_folded, names)))


def locate(papers_dir: Path, name: str, listed: PapersListing | None = None) -> tuple[Path | None, str | None]:
    """Where the file ``name`` (a ``pdf`` or ``supplementary`` of papers.yaml) is in the papers
    directory: (its resolved path, None), or (None, what is wrong), one of ``outside`` (it leaves
    the directory, symbolic links included; "outside-link": through a link), ``missing``,
    ``not-a-file``, ``too-long`` (a name no file system allows), ``loop`` (symbolic links that lead
    back to themselves) or ``unreadable: <reason>``. Never raises for what the name or the
    directory holds. With the directory's ``listed`` (`listing`), a plain name (no folder) that
    is a regular file there, or in no form an entry there, is answered from it: the same answer,
    without a system call."""
    for part in _FOLDER_SEPARATOR.split(name):
        if len(os.fsencode(part)) > NAME_MAX_BYTES:
            return None, "too-long"
    if listed is not None and name not in ("", ".", "..") and not _FOLDER_SEPARATOR.search(name):
        if name in listed.files:
            return listed.root / name, None
        if os.name == "posix" and _folded(name) not in listed.folded:  # not even under another case or normalization
            return None, "missing"  # (Windows also finds a file by its short 8.3 name, or with a dot added)
    given = papers_dir / name
    try:
        root = listed.root if listed is not None else papers_dir.resolve()
        candidate = given.resolve()
        if root not in candidate.parents:  # messages reach the public site: no server paths in them
            return None, "outside-link" if candidate != Path(os.path.abspath(given)) else "outside"
        if not candidate.exists():
            return None, "missing"
        if not candidate.is_file():
            return None, "not-a-file"
    except RuntimeError:  # Python before 3.13: "Symlink loop from ..."
        return None, "loop"
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return None, "loop"
        if exc.errno == errno.ENAMETOOLONG:
            return None, "too-long"
        return None, f"unreadable: {exc.strerror or type(exc).__name__}"
    return candidate, None


def located_problem(field: str, name: str, where: str) -> str:
    """The sentence for what `locate` found wrong (``where``) with ``field`` (``pdf``, ``supplementary``) ``name``."""
    shown = shown_name(name)
    if where == "too-long":
        longest = max(len(os.fsencode(part)) for part in _FOLDER_SEPARATOR.split(name))
        return (f"{field} {shown} cannot be a file name: it is {longest} bytes long and file systems allow at most "
                f"{NAME_MAX_BYTES} (rename the file, and its {field}: in papers.yaml)")
    if where == "loop":
        return f"{field} {shown} is a symbolic link that leads back to itself (a loop): there is no file to read"
    if where == "not-a-file":
        return f"{field} {shown} is not a regular file"
    return f"{field} {shown} cannot be opened: {where.removeprefix('unreadable: ')}"


def _resolve(papers_dir: Path, paper: Paper, listed: PapersListing | None) -> tuple[Path | None, PdfProblem | None]:
    """Where the paper's PDF is; refuses paths that leave the papers directory."""
    candidate, wrong = locate(papers_dir, paper.pdf_name, listed)
    if wrong in ("outside", "outside-link"):
        how = "points through a symbolic link to a file outside" if wrong == "outside-link" else "leaves"
        return None, PdfProblem.of(Code.PDF_OUTSIDE, f"pdf path {paper.pdf_name!r} {how} the papers directory")
    if wrong == "missing":
        return None, PdfProblem.of(Code.PDF_MISSING, f"no camera-ready PDF {paper.pdf_name!r} in the papers directory")
    if wrong == "not-a-file":
        return None, PdfProblem.of(Code.PDF_UNREADABLE, f"{paper.pdf_name!r} is not a regular file")
    if wrong is not None:
        return None, PdfProblem.of(Code.PDF_UNREADABLE, located_problem("pdf", paper.pdf_name, wrong))
    return candidate, None


def extract_all(papers: list[Paper], papers_dir: Path, cache_dir: Path, *, progress=None, jobs: int | None = None,
                thumbnails: bool = False) -> dict[str, PaperPdf]:
    """Facts for every paper's PDF, reading only files not already in the cache.

    With ``thumbnails``, every readable PDF also gets its cached first-page PNG
    (``PaperPdf.thumbnail``), rendered in the same pass as its text when both are new.
    """
    cache = PdfCache(cache_dir)
    thumbs = ThumbCache(cache_dir) if thumbnails else None
    result: dict[str, PaperPdf] = {}
    todo: dict[str, tuple[Path, list[str]]] = {}
    known: dict[str, PdfFacts] = {}
    hashes = HashMemo(cache_dir)
    listed = listing(Path(papers_dir))
    for paper in papers:
        path, problem = _resolve(Path(papers_dir), paper, listed)
        entry = PaperPdf(paper.id, paper.pdf_name, path)
        result[paper.id] = entry
        if problem:
            entry.problems.append(problem)
            continue
        assert path is not None
        try:
            size = path.stat().st_size
            if size > PDF_MAX_BYTES:  # refused before it is hashed (reading 40 GB takes minutes) or read
                entry.problems.append(too_large(size))
                continue
            sha = hashes.sha256(path)
        except OSError as exc:
            entry.path = None
            entry.problems.append(PdfProblem.of(Code.PDF_UNREADABLE,
                                                f"cannot open {paper.pdf_name!r}: {exc.strerror or type(exc).__name__}"))
            continue
        if sha not in known and sha not in todo:
            cached = cache.get(sha)
            if cached is not None:
                known[sha] = cached
        if sha in known:
            entry.facts = known[sha]
        todo.setdefault(sha, (path, []))[1].append(paper.id)
    hashes.save()
    tasks = []
    for sha, (path, _ids) in todo.items():
        need_facts = sha not in known
        need_thumb = thumbs is not None and (need_facts or known[sha].ok) and not thumbs.known(sha)
        if need_facts or need_thumb:
            tasks.append(Task(str(path), sha, need_facts, str(cache_dir) if need_thumb else None))
    report = progress or (lambda done, total: None)
    done = 0

    def deliver(task: Task, facts: PdfFacts | None, cacheable: bool) -> None:
        nonlocal done
        if facts is not None:
            if cacheable:
                cache.put(facts)
            for ident in todo[task.sha256][1]:
                result[ident].facts = facts
        done += 1
        report(done, len(tasks))

    if tasks:  # always in worker processes, even for one PDF: a reader crash or a hostile PDF must not end the build
        run_pool(tasks, max(1, min(jobs or os.cpu_count() or 1, len(tasks))), deliver)
    for entry in result.values():
        if entry.facts is not None and entry.facts.error is not None:
            entry.problems.append(entry.facts.error)
        if thumbs is not None and entry.publishable and entry.facts is not None:
            entry.thumbnail = thumbs.get(entry.facts.sha256)
    return result


def print_progress(done: int, total: int) -> None:
    """Sphinx-style status line for long PDF runs."""
    if total < 10:
        return
    step = max(1, total // 4)  # a line per quarter: the organizer sees it move, not scroll
    if done == total or done % step == 0:
        print(f"reading PDFs... [{done * 100 // total:3d}%] {done}/{total}", file=sys.stderr, flush=True)
