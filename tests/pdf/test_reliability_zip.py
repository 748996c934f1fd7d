"""Supplementary ZIPs are judged by their directory within bounds: an entry limit read from the
archive's last bytes, the directory itself read in a bounded worker process, once per content.

Before: a 141 MB ZIP of 3 million directory entries (under the 200 MB cap) cost 1.15 GB and 20-29 s
on every build and every check, read by ``zipfile`` in the main process with no cache and no limit;
it was then published as a valid supplement.
"""

from __future__ import annotations

import os
import struct
import zipfile
from pathlib import Path

import pytest
import yaml

from enlsp_proceedings.model.load import load_proceedings
from enlsp_proceedings.pdf import archive
from enlsp_proceedings.pdf.archive import ZIP_MAX_ENTRIES, directory_size
from enlsp_proceedings.pdf.supplementary import check_supplements
from synthetic import small_workshop


def many_entries_zip(path: Path, n: int, *, says: int | None = None) -> None:
    """A ZIP of ``n`` empty folders, written record by record (``zipfile`` takes minutes for millions),
    with ZIP64 end records whose entry count is ``says`` (default: the truth)."""
    central = bytearray()
    for i in range(n):
        name = f"{i:x}/".encode()
        central += struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 0, 0, 0, 0, 0, 0, len(name), 0, 0, 0, 0, 0x10, 0) + name
    first = b"0/"
    local = struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 0, 0, 0, 0, 0, 0, len(first), 0) + first
    count = n if says is None else says
    end64 = struct.pack("<4sQ2H2L4Q", b"PK\x06\x06", 44, 45, 45, 0, 0, count, count, len(central), len(local))
    locator = struct.pack("<4sLQL", b"PK\x06\x07", 0, len(local) + len(central), 1)
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0)
    path.write_bytes(bytes(local + central + end64 + locator + end))


def test_the_end_record_gives_the_size_of_the_directory(tmp_path):
    small = tmp_path / "small.zip"
    with zipfile.ZipFile(small, "w") as z:
        z.writestr("a.txt", "a")
        z.writestr("b/c.txt", "c")
        z.comment = b"x" * 1000
    assert directory_size(small)[0] == 2
    many_entries_zip(tmp_path / "many.zip", 70_000)  # more than 65,535: ZIP64 records
    assert directory_size(tmp_path / "many.zip")[0] == 70_000
    (tmp_path / "not.zip").write_bytes(b"PK\x03\x04 broken")
    assert directory_size(tmp_path / "not.zip") is None


def _workshop(root: Path, make) -> tuple:
    conf, papers = small_workshop(root)
    data = yaml.safe_load((conf / "papers.yaml").read_text(encoding="utf-8"))
    data["papers"][1]["supplementary"] = "beta-appendix.zip"
    (conf / "papers.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    make(papers / "beta-appendix.zip")
    return load_proceedings(conf), papers


class ZipReads:
    """The processes `archive.read_zip` ran in (workers are forked: a file, not a list)."""

    def __init__(self, monkeypatch, log: Path):
        real = archive.read_zip

        def logging(path, sha256):
            with open(log, "a") as fh:
                fh.write(f"{os.getpid()}\n")
            return real(path, sha256)

        monkeypatch.setattr(archive, "read_zip", logging)
        self.log = log

    def __call__(self) -> list[int]:
        return [int(x) for x in self.log.read_text().split()] if self.log.exists() else []


@pytest.mark.parametrize("says", [None, 5])  # the truth, and an end record that understates it
def test_a_zip_of_too_many_entries_is_that_papers_error_read_once_in_a_worker(tmp_path, monkeypatch, says):
    proc, papers = _workshop(tmp_path / "ws", lambda path: many_entries_zip(path, ZIP_MAX_ENTRIES + 1, says=says))
    reads = ZipReads(monkeypatch, tmp_path / "reads.log")
    found = check_supplements(proc.papers, papers, tmp_path / "cache")
    item = found["beta"]
    assert not item.publishable
    [problem] = item.problems
    assert (problem.level, problem.code) == ("error", "supplementary-unreadable")
    assert problem.message.startswith(f"supplementary material 'beta-appendix.zip' is a ZIP file of {ZIP_MAX_ENTRIES + 1:,} entries; "
                                      f"at most {ZIP_MAX_ENTRIES:,} are published")
    assert reads() and os.getpid() not in reads()  # read in a worker process
    again = check_supplements(proc.papers, papers, tmp_path / "cache")
    assert again["beta"].problems == item.problems and len(reads()) == 1  # remembered by content: not read again


def test_millions_of_entries_are_refused_from_the_end_record_alone(tmp_path, monkeypatch):
    """The directory of 3 million entries is never handed to zipfile (1.15 GB and 20-29 s before)."""
    proc, papers = _workshop(tmp_path / "ws", lambda path: many_entries_zip(path, 3_000, says=3_000_000))
    monkeypatch.setattr(zipfile, "ZipFile", lambda *a, **k: pytest.fail("zipfile read the directory"))  # forked workers inherit it
    [problem] = check_supplements(proc.papers, papers, tmp_path / "cache")["beta"].problems
    assert "is a ZIP file of 3,000,000 entries" in problem.message


@pytest.mark.parametrize(("content", "expected"), [
    ("empty", "is an empty ZIP file"),
    ("encrypted", "is an encrypted ZIP file"),
    ("broken", "is not a readable ZIP file"),
])
def test_empty_encrypted_and_broken_zips_are_still_errors(tmp_path, content, expected):
    def make(path: Path) -> None:
        if content == "broken":
            path.write_bytes(b"PK\x03\x04 broken")
            return
        with zipfile.ZipFile(path, "w") as z:
            if content == "encrypted":
                z.writestr("secret.txt", "x")
        if content == "encrypted":  # set the 'encrypted' flag bit of its entry, as a password tool would
            data = bytearray(path.read_bytes())
            for sig in (b"PK\x03\x04", b"PK\x01\x02"):
                at = data.find(sig)
                flag_at = at + (6 if sig == b"PK\x03\x04" else 8)
                data[flag_at] |= 1
            path.write_bytes(bytes(data))

    proc, papers = _workshop(tmp_path / "ws", make)
    [problem] = check_supplements(proc.papers, papers, tmp_path / "cache")["beta"].problems
    assert expected in problem.message and problem.level == "error"


def test_a_good_zip_is_published_and_the_other_papers_are_untouched(tmp_path):
    def make(path: Path) -> None:
        with zipfile.ZipFile(path, "w") as z:
            for i in range(500):
                z.writestr(f"code/file{i}.py", "print(1)\n")

    proc, papers = _workshop(tmp_path / "ws", make)
    found = check_supplements(proc.papers, papers, tmp_path / "cache")
    assert set(found) == {"beta"} and found["beta"].publishable and found["beta"].problems == []
    assert found["beta"].sha256 and found["beta"].size == (papers / "beta-appendix.zip").stat().st_size
