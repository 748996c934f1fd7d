"""Writing files safely: atomically, and only when the content changes.

Every file the tool writes goes through here (`write_atomically`, or `copy_atomically` for
a copy): pages, downloads, cached PDF facts, memos and the imported papers.yaml. A reader
(a web server, a second build, Sphinx) sees the old file or the new one, never half of one,
and a write that fails (a full disk) leaves no temporary file behind. `write_if_changed`
keeps an unchanged file's modification time, because Sphinx re-reads every source whose
mtime changed.
"""

from __future__ import annotations

import json
import os
import pickle
import shutil
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import BinaryIO, Generic, TypeVar, cast

from enlsp_proceedings.util.heap import loading

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: msvcrt's byte-range locks instead
    fcntl = None  # type: ignore[assignment]

T = TypeVar("T")

#: Permissions of the files the tool writes (the site is served as is).
FILE_MODE = 0o644
#: How the temporary file of an atomic write begins: a write killed before its rename (SIGKILL,
#: power loss) leaves one behind, which `partial_copies` finds.
TEMP_PREFIX = ".tmp-"
#: The buffer `write_joined` copies a file's content through.
COPY_BUFFER = 1 << 20


def _temporary(target: Path, fill: Callable[[int, str], None], mode: int | None) -> str:
    """A temporary file beside ``target``, filled by ``fill(fd, name)`` (which owns ``fd``), with
    ``mode`` (None: the mode of the file it will replace, or `FILE_MODE`); its name."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=TEMP_PREFIX, suffix=target.suffix)
    try:
        fill(fd, tmp)
        if mode is None:
            try:
                mode = target.stat().st_mode & 0o777
            except OSError:
                mode = FILE_MODE
        os.chmod(tmp, mode)
    except BaseException:  # a full disk: no half-written temporary file stays behind
        _unlink_quietly(tmp)
        raise
    return tmp


def _replace(target: Path, fill: Callable[[int, str], None], mode: int | None) -> None:
    """`_temporary`, renamed onto ``target``."""
    _rename_onto(_temporary(target, fill, mode), target)


def _rename_onto(tmp: str, target: Path) -> None:
    """The temporary file ``tmp`` renamed onto ``target`` (one rename); removed when that fails."""
    try:
        os.replace(tmp, target)
    except BaseException:
        _unlink_quietly(tmp)
        raise


def write_atomically(path: Path, content: str | bytes, *, mode: int | None = FILE_MODE, follow_symlinks: bool = False) -> Path:
    """Replace ``path`` with ``content`` (text is written as UTF-8) in one rename; returns the file written.

    ``mode`` is the new file's permissions; None keeps those of the file it replaces. With
    ``follow_symlinks``, a symbolic link at ``path`` is written through: the file it points to
    is replaced and the link stays (otherwise the link itself is replaced by a file). Raises
    OSError when it cannot write; ``path`` is then unchanged and no temporary file remains.
    """
    data = content.encode("utf-8") if isinstance(content, str) else content
    target = Path(path)
    if follow_symlinks and target.is_symlink():
        target = Path(os.path.realpath(target))

    _replace(target, lambda fd, _tmp: _fill(fd, data), mode)
    return target


def _fill(fd: int, data: bytes) -> None:
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)


def write_joined(path: Path, parts: Sequence[bytes | Path]) -> None:
    """Replace ``path`` (in one rename, as `write_atomically`) with ``parts`` one after the other:
    bytes as they are, each file's content copied through one buffer, never read into memory
    whole. Raises OSError when it cannot read or write; ``path`` is then unchanged."""
    def fill(fd: int, _tmp: str) -> None:
        with os.fdopen(fd, "wb") as out:
            for part in parts:
                if isinstance(part, bytes):
                    out.write(part)
                else:
                    with open(part, "rb") as source:
                        shutil.copyfileobj(source, out, COPY_BUFFER)

    _replace(Path(path), fill, FILE_MODE)


def remembered(path: Path, key: str, make: Callable[[], T], valid: Callable[[object], bool]) -> T:
    """``make()``'s value, remembered in ``path``: a first line holding ``key`` (no line break), then
    the value pickled. Read back (without the collector's passes: `util.heap.loading`) while the key
    is the same and ``valid`` accepts what was read; made and saved again otherwise. The pickle is
    the build's own cache, trusted as Sphinx's saved environment beside it is; one that cannot be
    read or written only costs time."""
    try:
        with open(path, "rb") as fh:
            if fh.readline().rstrip(b"\n") == key.encode():
                with loading():
                    value = pickle.load(fh)
                if valid(value):
                    return value
    except Exception:  # noqa: BLE001 - missing, unreadable, or pickled by another version: made again
        pass
    value = make()
    try:
        write_atomically(path, key.encode() + b"\n" + pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
    except OSError:
        pass
    return value


class Deferred(Generic[T]):
    """A value pickled apart from what holds it, and read back only when it is asked for (`get`):
    a memo that a build reads back every time can leave unread the part that build does not need.
    Pickled, it is the value's own pickle (as bytes); read back, those bytes until `get` unpickles
    them, once (with the collector paused: `util.heap.loading`)."""

    __slots__ = ("_pickled", "_value")

    def __init__(self, value: T) -> None:
        self._value: T | None = value
        self._pickled: bytes | None = None

    def get(self) -> T:
        """The value (unpickled now, when it was read back and not asked for yet)."""
        if self._pickled is not None:
            with loading():
                self._value = pickle.loads(self._pickled)
            self._pickled = None
        return cast(T, self._value)

    @property
    def loaded(self) -> bool:
        """Whether the value is in memory (made here, or read back and asked for)."""
        return self._pickled is None

    def __getstate__(self) -> bytes:
        return self._pickled if self._pickled is not None else pickle.dumps(self._value, protocol=pickle.HIGHEST_PROTOCOL)

    def __setstate__(self, state: bytes) -> None:
        self._value, self._pickled = None, state


def read_json_object(path: Path) -> dict:
    """The JSON object a file holds (a memo, a manifest); empty when the file is missing, unreadable
    or holds anything else: whoever asks then starts afresh."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def write_if_changed(path: Path, content: str | bytes) -> bool:
    """Write atomically, and only if the content differs (keeps mtimes of unchanged files)."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return False
    except OSError:
        pass
    write_atomically(path, data)
    return True


def _unlink_quietly(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def copy_atomically(source: Path | BinaryIO, target: Path) -> None:
    """Copy a file (a path, or a file opened for reading in binary mode) so that readers of
    ``target`` see the old or the new file, never half of one."""
    def fill(fd: int, tmp: str) -> None:
        if isinstance(source, (str, os.PathLike)):
            os.close(fd)
            shutil.copyfile(source, tmp)
        else:
            with os.fdopen(fd, "wb") as fh:
                shutil.copyfileobj(source, fh)

    _replace(Path(target), fill, FILE_MODE)


def partial_copies(directory: Path) -> Iterator[Path]:
    """Temporary files of atomic writes under ``directory`` that were never renamed into place:
    what a killed write leaves (a write in progress has one too, for a moment)."""
    for root, dirs, files in os.walk(directory):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in sorted(files):
            if name.startswith(TEMP_PREFIX):
                yield Path(root) / name


def link_or_copy(source: str | Path, target: str | Path) -> None:
    """Hard-link a file that is never written in place (both site copies can share it);
    copy it, with its modification time, where a link is impossible (another file system)."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)



def try_lock(fh) -> bool:
    """Lock an open file without waiting; False when another process holds it.

    ``fcntl`` where it exists (a POSIX lock: not inherited by forked helpers), ``msvcrt``'s
    byte-range lock elsewhere (Windows). The lock ends when the file is closed."""
    if fcntl is None:  # pragma: no cover - Windows
        import msvcrt

        try:
            msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    try:
        fcntl.lockf(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except (BlockingIOError, PermissionError):
        return False
    return True
