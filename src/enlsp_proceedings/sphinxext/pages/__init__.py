"""The generated pages, one module per page kind, and the registry that names them.

Each module (home, paper_list, paper, keynote_list, keynote, schedule, people, panel, cfp,
author_index, author, my_list) declares one `PageKind`: which pages of that kind a volume has, the
data each page shows (``shows``: a frozen dataclass of its own, deriving from `Shown`), and how
that data becomes docutils nodes (``render``). The
``enlsp-page`` directive looks kinds up in `PAGES` only, so nothing else is a page kind;
publish.sources writes one stub per page with the digest of what ``shows`` returns, the only
data ``render`` receives. `common` holds what several kinds share.
"""

from __future__ import annotations

from typing import Any

from enlsp_proceedings.outputs.volume import Volume
from enlsp_proceedings.sphinxext.pages import (
    author,
    author_index,
    cfp,
    home,
    keynote,
    keynote_list,
    my_list,
    panel,
    paper,
    paper_list,
    people,
    schedule,
)
from enlsp_proceedings.sphinxext.pages.common import SECTIONS, Page, PageKind, Shown

#: kind name (as written in a stub: ``{enlsp-page} paper <id>``) -> its page kind, in the stubs' order
#: (each kind's own `Shown` is checked where the kind is declared)
PAGES: dict[str, PageKind[Volume, Any]] = {m.KIND.name: m.KIND for m in (
    home, paper_list, paper, keynote_list, keynote, schedule, people, panel, cfp, author_index, author, my_list,
)}

__all__ = ["PAGES", "SECTIONS", "Page", "PageKind", "Shown"]
