"""Writing files safely: atomically, and only when the content changes.

Every file the tool writes goes through here. A reader (a web server, a second build,
Sphinx) sees the old file or the new one, never half of one; an unchanged file keeps its
modification time, because Sphinx re-reads every source whose mtime changed.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path


def write_if_changed(path: Path, content: str | bytes) -> bool:
    """Write atomically, and only if the content differs (keeps mtimes of unchanged files)."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return False
    except OSError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:  # a full disk: no half-written temporary file stays behind
        _unlink_quietly(tmp)
        raise
    return True


def _unlink_quietly(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def copy_atomically(source: Path, target: Path) -> None:
    """Copy a file so that readers of ``target`` see the old or the new file, never half of one."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=target.suffix)
    os.close(fd)
    try:
        shutil.copyfile(source, tmp)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        _unlink_quietly(tmp)
        raise


def link_or_copy(source: str | Path, target: str | Path) -> None:
    """Hard-link a file that is never written in place (both site copies can share it);
    copy it, with its modification time, where a link is impossible (another file system)."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)
