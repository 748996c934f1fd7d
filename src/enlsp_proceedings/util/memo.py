"""Small JSON files in the cache that spare a rebuild repeated work.

A memo that cannot be read is empty and one that cannot be written is skipped: either only
costs time. Files are replaced atomically, so a killed build never leaves half a memo.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path
from typing import Any


def load_memo(path: Path) -> Any:
    """The saved value, or None when there is none (or it is unreadable)."""
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def save_memo(path: Path, value: Any) -> None:
    """Write a memo atomically; a memo that cannot be written is skipped."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:  # a read-only or full cache only costs time; no half-written file stays behind
        with contextlib.suppress(OSError):
            tmp.unlink()
