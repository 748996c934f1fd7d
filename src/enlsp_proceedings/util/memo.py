"""Small JSON files in the cache that spare a rebuild repeated work.

A memo that cannot be read is empty and one that cannot be written is skipped: either only
costs time. Files are replaced atomically, so a killed build never leaves half a memo.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any

from enlsp_proceedings.util.files import write_atomically


def load_memo(path: Path) -> Any:
    """The saved value, or None when there is none (or it is unreadable)."""
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def save_memo(path: Path, value: Any) -> None:
    """Save ``value`` as JSON, atomically; a read-only or full cache only costs time (nothing is saved)."""
    with contextlib.suppress(OSError):
        write_atomically(Path(path), json.dumps(value, ensure_ascii=False))
