"""An incremental build equals a clean build of the same inputs, byte for byte.

After data edits (a retitled paper, a renamed author, a talk moved to another slot, a person's
spelling changed in people.yaml, a label and the archival flag changed in workshop.yaml) and after a change to the rendering code (a
copy of the package with one page module's heading edited, built in a subprocess), the
rebuilt site must be the site a clean build makes: a page whose digest misses something it
shows would stay stale and differ here. Build metadata (Sphinx's doctrees and .buildinfo,
the build's marker file) is not compared.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import REPO, run_build

pytestmark = pytest.mark.slow

#: Build metadata, not site content: Sphinx's caches (and the .buildinfo.bak it keeps when the
#: configuration changed) and the build's own marker.
IGNORED = {".doctrees", ".buildinfo", ".buildinfo.bak", ".enlsp-site.json"}


def site_files(site: Path) -> dict[str, bytes]:
    """Relative path -> bytes of every file of a built site, build metadata left out."""
    files = {}
    for path in sorted(site.rglob("*")):
        rel = path.relative_to(site)
        if path.is_file() and not IGNORED & set(rel.parts):
            files[rel.as_posix()] = path.read_bytes()
    return files


def assert_same_site(incremental: Path, clean: Path) -> None:
    got, want = site_files(incremental), site_files(clean)
    assert sorted(got) == sorted(want), f"only incremental: {sorted(set(got) - set(want))}; only clean: {sorted(set(want) - set(got))}"
    differ = [name for name in want if got[name] != want[name]]
    assert not differ, f"stale after the incremental build: {differ}"


def clean_copy(root: Path, dest: Path) -> Path:
    """The same inputs (conf, papers, docs) in a fresh directory: no site, no cache."""
    for name in ("conf", "papers", "docs"):
        if (root / name).exists():
            shutil.copytree(root / name, dest / name, symlinks=True)
    return dest


def edit_yaml(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _paper(data: dict, ident: str) -> dict:
    return next(p for p in data["papers"] if p["id"] == ident)


def retitle(conf: Path) -> str:
    edit_yaml(conf / "papers.yaml", lambda d: _paper(d, "alpha").update(title="Quantizing Everything, Retitled"))
    return "Quantizing Everything, Retitled"


def rename_author(conf: Path) -> str:
    def change(d):
        _paper(d, "beta")["authors"][0]["name"] = "Priya Ramanathan"
    edit_yaml(conf / "papers.yaml", change)
    return "Priya Ramanathan"


def move_talk(conf: Path) -> str:
    def change(d):
        slot = next(s for s in d["schedule"] if s.get("paper") == "alpha")
        slot.update(start="12:05", end="12:20")
    edit_yaml(conf / "schedule.yaml", change)
    return "12:05"


def relabel(conf: Path) -> str:
    edit_yaml(conf / "workshop.yaml", lambda d: d.setdefault("labels", {}).update(keynote="Invited talk", papers="Papers of the day"))
    return "Invited talk"


def respell_person(conf: Path) -> str:
    # people.yaml's alias now spells Jürgen Müller without the umlauts: every page showing him changes
    edit_yaml(conf / "people.yaml", lambda d: d.update(aliases=[{"name": "Jurgen Muller", "variants": ["Jürgen Müller"]}]))
    return "Jurgen Muller"


def make_archival(conf: Path) -> str:
    # the cards of every author page lose their "Non-archival" badge
    edit_yaml(conf / "workshop.yaml", lambda d: d.update(archival=True))
    return "Quantizing"


@pytest.mark.parametrize("edit", [retitle, rename_author, move_talk, respell_person, relabel, make_archival])
def test_incremental_build_after_a_data_edit_equals_a_clean_build(workshop_copy, tmp_path, edit):
    shown = edit(workshop_copy / "conf")
    assert run_build(workshop_copy) == 0
    clean = clean_copy(workshop_copy, tmp_path / "clean")
    assert run_build(clean) == 0
    assert shown in (clean / "site" / "index.html").read_text(encoding="utf-8") + (clean / "site" / "schedule.html").read_text(encoding="utf-8")
    assert_same_site(workshop_copy / "site", clean / "site")


def build_with(code: Path, root: Path) -> None:
    """Build ``root``'s workshop in a subprocess that imports the package from ``code``."""
    env = {**os.environ, "PYTHONPATH": str(code)}
    args = [sys.executable, "-m", "enlsp_proceedings", "build", "--conf", str(root / "conf"), "--papers", str(root / "papers"),
            "--out", str(root / "site"), "--docs", str(root / "docs"), "-j", "1", "-q"]
    done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr


def test_incremental_build_after_a_rendering_code_change_equals_a_clean_build(workshop_copy, tmp_path):
    code = tmp_path / "code"
    shutil.copytree(REPO / "src" / "enlsp_proceedings", code / "enlsp_proceedings", ignore=shutil.ignore_patterns("__pycache__"))
    module = code / "enlsp_proceedings" / "sphinxext" / "pages" / "paper.py"
    source = module.read_text(encoding="utf-8")
    assert source.count('section("Abstract", "abstract"') == 1
    module.write_text(source.replace('section("Abstract", "abstract"', 'section("Summary of the paper", "abstract"'), encoding="utf-8")
    build_with(code, workshop_copy)  # the site was built by the unedited code (the small_site fixture)
    assert "Summary of the paper" in (workshop_copy / "site" / "papers" / "alpha.html").read_text(encoding="utf-8")
    clean = clean_copy(workshop_copy, tmp_path / "clean")
    build_with(code, clean)
    assert_same_site(workshop_copy / "site", clean / "site")
