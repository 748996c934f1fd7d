"""File names in papers/ that are not UTF-8, or hold ESC or a newline, are shown escaped: `check`
prints valid UTF-8 (JSON or text) under a strict UTF-8 locale, and a terminal escape is never sent."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO
from enlsp_proceedings.pdf.check import printable
from synthetic import small_workshop

SRC = REPO / "src"
HOSTILE_NAMES = [b"bad\xff\xfe.pdf", b"esc\x1b[2J\x1b[31mred.pdf", b"new\nline.pdf", b"bidi\xe2\x80\xaefdp.exe.pdf"]
SHOWN = ["bad\\xff\\xfe.pdf", "esc\\x1b[2J\\x1b[31mred.pdf", "new\\nline.pdf", "bidi\\u202efdp.exe.pdf"]


@pytest.fixture()
def hostile_papers(tmp_path) -> Path:
    if sys.platform == "darwin":
        pytest.skip("macOS file systems refuse names that are not UTF-8")
    small_workshop(tmp_path)
    for name in HOSTILE_NAMES:
        with open(os.path.join(os.fsencode(tmp_path / "papers"), name), "wb") as fh:
            fh.write(b"%PDF-1.7\n")
    return tmp_path


def _check(root: Path, *extra: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "LC_ALL": "C.UTF-8", "PYTHONIOENCODING": "utf-8:strict", "PYTHONUTF8": "0",
           "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")])}
    return subprocess.run([sys.executable, "-m", "enlsp_proceedings", "check", "--conf", str(root / "conf"), "--papers", str(root / "papers"),
                           "--cache", str(root / "cache"), *extra], env=env, capture_output=True, timeout=120)


def test_check_json_is_valid_utf8_with_names_shown_escaped(hostile_papers):
    proc = _check(hostile_papers, "--format", "json")
    assert b"Traceback" not in proc.stderr, proc.stderr.decode(errors="replace")
    report = json.loads(proc.stdout.decode("utf-8"))  # strict: raises on invalid UTF-8
    unused = sorted(p["message"] for p in report["problems"] if p["code"] == "pdf-unused")
    assert unused == sorted(f"{name} in the papers directory belongs to no paper (misnamed?)" for name in SHOWN)
    assert b"\x1b" not in proc.stdout and b"\xff" not in proc.stdout


def test_check_text_never_sends_a_terminal_escape(hostile_papers):
    proc = _check(hostile_papers)
    text = proc.stdout.decode("utf-8")
    assert "Traceback" not in proc.stderr.decode(errors="replace")
    assert all(f"warning: {name} in the papers directory" in text for name in SHOWN)
    assert "\x1b" not in text and "new\nline" not in text


def test_printable_keeps_ordinary_unicode():
    assert printable("Nguyễn Văn An — 論文.pdf") == "Nguyễn Văn An — 論文.pdf"
    assert printable(os.fsdecode(b"a\xffb")) == "a\\xffb"
