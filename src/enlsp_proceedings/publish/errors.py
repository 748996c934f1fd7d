"""The errors a build reports to the organizer: `BuildError`, and one sentence (no traceback)
for a full disk or a permission problem wherever it was raised (`os_problem`).
"""

from __future__ import annotations

import errno

from enlsp_proceedings.errors import UserError


class BuildError(UserError):
    """A build that cannot produce a site; the message is for the organizer."""


#: Errors of the file system a user can fix (space, permissions): one sentence, no traceback.
USER_OS_ERRORS = {errno.ENOSPC: "no space left on device", errno.EDQUOT: "disk quota exceeded", errno.EROFS: "read-only file system",
                   errno.EACCES: "permission denied", errno.EPERM: "operation not permitted"}


def os_problem(exc: BaseException | None) -> str | None:
    """The sentence for a disk-full or permission error, wherever it was raised (Sphinx wraps
    errors of its event handlers in an ExtensionError); None for anything else."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, OSError) and exc.errno in USER_OS_ERRORS:
            writing = exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EROFS)
            where = (f" while writing {exc.filename}" if writing else f": {exc.filename}") if exc.filename else ""
            return f"{USER_OS_ERRORS[exc.errno]}{where}"
        exc = getattr(exc, "orig_exc", None) or exc.__cause__ or exc.__context__
    return None
