"""The reader's list (``my-list``): the papers and talks starred on any page, kept in the browser,
exported together as one BibTeX, RIS, CSL-JSON or iCalendar file.

The page itself is the same for every reader: a heading, what the list is, and a holder that
``enlsp-mylist.js`` fills from the browser's storage (the stars, see ``enlsp.js``). The script
assembles the exports from the files the site already publishes: each item's ``.bib``,
``.ris`` and ``.csl.json``, and the talks' events of ``schedule.ics`` (the same events as each
talk's own ``.ics``), fetched by relative address: it needs the site served (any static host,
``nox -s serve``), and no other network. What it needs to know of the site comes
from here, made by `paths`: where each kind of item keeps its files, which citation
formats each kind has, and the names of the downloads.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from docutils import nodes

from enlsp_proceedings import paths
from enlsp_proceedings.model.schema import Labels
from enlsp_proceedings.outputs.volume import Volume
from enlsp_proceedings.sphinxext.pages.common import Page, PageKind, Shown, single
from enlsp_proceedings.sphinxext.widgets import data_container, inline, para, section
from enlsp_proceedings.util.text import slug

TITLE = "My list"

#: The citation files each kind of item has on the site (outputs.downloads writes them); every
#: talk with a slot has its calendar too (``.ics``).
CITATIONS = {"paper": ["bib", "ris", "csl.json"], "keynote": ["bib", "csl.json"], "panel": []}


@dataclass(frozen=True)
class MyListShows(Shown):
    """What the reader's list page shows (and tells its script)."""

    short_name: str
    year: int
    labels: Labels
    base_url: str
    #: the workshop has a program (its talks have calendar files)
    program: bool
    #: kind -> the address of an item's files, ``{id}`` and ``{ext}`` to fill in
    files: dict[str, str]


def shows(v: Volume, ident: str | None = None) -> MyListShows:
    """The workshop's names (for the downloads and the item kinds), and where the items' files live."""
    w = v.workshop
    return MyListShows(short_name=w.short_name, year=w.year, labels=w.labels, base_url=w.base_url, program=v.proc.has_program,
                 files={kind: paths.target_file(kind, "{id}", "{ext}") for kind in CITATIONS})


def config(d: MyListShows) -> dict[str, Any]:
    """What enlsp-mylist.js needs to know of the site: file addresses by kind (``{id}`` and
    ``{ext}`` filled in by the script), citation formats by kind, labels, download names."""
    return {
        "files": d.files,
        "citations": CITATIONS,
        "kinds": {"paper": "Paper", "keynote": d.labels.keynote, "panel": d.labels.panel},
        "download": slug(f"{d.short_name} {d.year} my list"),
        "calendar": f"{d.short_name} {d.year}: {TITLE}",
        "papers": paths.PAPERS_INDEX, "papers_label": d.labels.papers,
        "schedule": paths.SCHEDULE if d.program else None, "schedule_label": d.labels.schedule,
        # the talks' calendar events, by the address of their page (base_url + its path)
        "schedule_ics": paths.SCHEDULE_ICS if d.program else None, "base_url": d.base_url,
    }


def render(page: Page, d: MyListShows) -> list[nodes.Node]:
    """The page: what the list is, and the holder the script fills."""
    out = section(TITLE, "my-list", classes=["enlsp-mylist"])
    out += para("Star papers and talks anywhere on this site (the ", inline("My list", classes=["enlsp-star-sample"]),
                " buttons) to collect them here, then download them all at once: the citations as one BibTeX, RIS or CSL-JSON file, "
                "the talks as one calendar. The list is kept in this browser only; nothing is sent anywhere.")
    app = data_container(classes=["enlsp-mylist-app"], data={"config": json.dumps(config(d), ensure_ascii=False, sort_keys=True)})
    app += para("The list needs JavaScript, which is turned off or not supported in this browser. Each paper's and talk's page has its own "
                "citation and calendar files.", classes=["enlsp-needs-js"])
    out += app
    return [out]


KIND = PageKind("my-list", single(paths.docname(paths.MY_LIST)), shows, render, orphan=True, one_item=True)
