"""The one base of the errors a user can fix (`UserError`): the command line prints their
message, never a traceback, and exits with 1.

Each stage raises its own subclass, defined where it is raised:

- `model.load.ConfError`: every problem of ``conf/`` at once (its ``problems``);
- `publish.errors.BuildError`: a build that cannot produce a site;
- `importers.records.ExportError`: an export or a target file the importers cannot use;
- `pdf.check_series.UnknownEditionError`: ``--edition`` names no edition of the series.

A command says what did not happen (``nothing was built and … is unchanged``); `cli.main`
catches any that a command leaves, so none ever ends in a traceback.
"""

from __future__ import annotations


class UserError(Exception):
    """A problem the user can fix; its message is for them."""

    def lines(self) -> list[str]:
        """The message, one line per problem."""
        return str(self).splitlines() or [type(self).__name__]
