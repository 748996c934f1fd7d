"""The one atomic write (`util.files`) that pages, caches, memos and papers.yaml share."""

from __future__ import annotations

import errno
import os
import pickle
import stat

import pytest

from enlsp_proceedings.util import files
from enlsp_proceedings.util.files import Deferred, remembered, write_atomically, write_if_changed
from enlsp_proceedings.util.memo import load_memo, save_memo


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_write_atomically_sets_or_keeps_the_mode_and_follows_links_only_when_asked(tmp_path):
    target = tmp_path / "data" / "papers.yaml"
    assert write_atomically(target, "a: 1\n") == target  # the directory is made
    assert _mode(target) == 0o644
    os.chmod(target, 0o600)
    write_atomically(target, "a: 2\n", mode=None)  # an organizer's private file stays private
    assert target.read_text() == "a: 2\n" and _mode(target) == 0o600
    link = tmp_path / "papers.yaml"
    link.symlink_to(target)
    assert write_atomically(link, "a: 3\n", mode=None, follow_symlinks=True) == target
    assert link.is_symlink() and target.read_text() == "a: 3\n" and _mode(target) == 0o600
    write_atomically(link, "a: 4\n")  # without follow_symlinks the link itself is replaced
    assert not link.is_symlink() and link.read_text() == "a: 4\n" and target.read_text() == "a: 3\n"
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["data", "papers.yaml", "papers.yaml"]


def test_a_failed_write_leaves_the_file_and_no_temporary_one(tmp_path, monkeypatch):
    target = tmp_path / "memo.json"
    write_if_changed(target, "old")
    before = target.stat().st_mtime_ns
    assert write_if_changed(target, "old") is False and target.stat().st_mtime_ns == before

    def full(src, dst):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(files.os, "replace", full)
    with pytest.raises(OSError):
        write_atomically(target, "new")
    save_memo(target, {"new": True})  # a memo that cannot be saved only costs time
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["memo.json"]
    monkeypatch.undo()
    save_memo(target, {"new": "é"})
    assert load_memo(target) == {"new": "é"} and _mode(target) == 0o644


class _Counted:
    """Counts how often it is unpickled."""

    loads = 0

    def __init__(self, value: str) -> None:
        self.value = value

    def __setstate__(self, state: dict) -> None:
        _Counted.loads += 1
        self.__dict__.update(state)


def test_a_deferred_value_is_read_back_only_when_asked_for(tmp_path):
    holder = {"small": 1, "large": Deferred(_Counted("the volume"))}
    assert holder["large"].loaded and holder["large"].get().value == "the volume"
    remembered(tmp_path / "memo.pickle", "k", lambda: holder, lambda v: isinstance(v, dict))
    _Counted.loads = 0
    back = remembered(tmp_path / "memo.pickle", "k", lambda: pytest.fail("made again"), lambda v: isinstance(v, dict))
    assert back["small"] == 1 and _Counted.loads == 0 and not back["large"].loaded  # read back, the large part left unread
    assert back["large"].get().value == "the volume" and _Counted.loads == 1
    assert back["large"].get() is back["large"].get() and _Counted.loads == 1  # once
    again = pickle.loads(pickle.dumps(back))  # pickled again, read or not, it is the same value
    assert again["large"].get().value == "the volume"
    unread = pickle.loads(pickle.dumps(pickle.loads(pickle.dumps(holder))))
    assert unread["large"].get().value == "the volume"
