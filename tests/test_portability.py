"""`check` where the POSIX-only modules ``fcntl`` and ``resource`` do not exist (Windows)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import REPO
from synthetic import random_papers, write_workshop

SRC = REPO / "src"

#: Blocks the modules (an import of either raises ImportError, as on Windows), imports the
#: command line and the checks, then runs `check` and says whether the blocked modules stayed out.
CHECK_WITHOUT_POSIX_MODULES = """
import json, sys
if sys.argv.pop(1) == "--block":
    sys.modules["fcntl"] = None
    sys.modules["resource"] = None
from enlsp_proceedings import cli
import enlsp_proceedings.pdf.check
code = cli.main(sys.argv[1:])
blocked = {name: sys.modules.get(name) is None for name in ("fcntl", "resource")}
print(json.dumps({"code": code, "blocked": blocked}), file=sys.stderr)
"""


def _check(root: Path, conf: Path, papers_dir: Path, block: bool) -> tuple[dict, dict]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")])}
    cache = root / ("cache-blocked" if block else "cache")  # each run reads every PDF itself
    args = ["--block" if block else "--no-block", "check", "--conf", str(conf), "--papers", str(papers_dir), "--cache", str(cache), "--format", "json"]
    proc = subprocess.run([sys.executable, "-c", CHECK_WITHOUT_POSIX_MODULES, *args], env=env, capture_output=True, timeout=300)
    err = proc.stderr.decode(errors="replace")
    assert "Traceback" not in err, err[-3000:]
    return json.loads(proc.stdout), json.loads(err.strip().splitlines()[-1])


def test_check_runs_where_fcntl_and_resource_do_not_exist(tmp_path):
    """Windows has neither module: `check` must import and give the same report (PDFs are then
    read in worker processes without the kernel's CPU and memory limits)."""
    papers = random_papers(3, seed=7)
    conf, papers_dir = write_workshop(tmp_path, papers)
    report, outcome = _check(tmp_path, conf, papers_dir, block=True)
    assert outcome["blocked"] == {"fcntl": True, "resource": True}
    pages = {paper["id"]: paper["pages"] for paper in report["papers"]}
    assert pages == {p.id: p.pages for p in papers}
    usual, usual_outcome = _check(tmp_path, conf, papers_dir, block=False)
    assert usual_outcome["blocked"] == {"fcntl": False, "resource": False}
    assert (report, outcome["code"]) == (usual, usual_outcome["code"])
