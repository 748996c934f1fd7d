"""The papers list (``papers/index``): every paper's card, grouped by presentation, with the
filter controls and the whole volume's downloads."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from docutils import nodes

from enlsp_proceedings import paths
from enlsp_proceedings.model.schema import Workshop
from enlsp_proceedings.outputs.volume import PAPERS_SCHEMA, Volume
from enlsp_proceedings.sphinxext.pages.common import Card, Page, PageKind, Shown, count, paper_card, paper_groups, single
from enlsp_proceedings.sphinxext.widgets import data_container, grid, link, para, section


@dataclass(frozen=True)
class PaperListShows(Shown):
    """What the papers list shows."""

    workshop: Workshop
    #: every paper's card, in the volume's order
    cards: list[Card]


def shows(v: Volume, ident: str | None = None) -> PaperListShows:
    """The workshop and every paper's card."""
    return PaperListShows(workshop=v.workshop, cards=[paper_card(v, p.id) for p in v.proc.papers])


def render(page: Page, d: PaperListShows) -> list[nodes.Node]:
    """The papers list body."""
    w = d.workshop
    out = section(w.labels.papers, "accepted-papers")
    if not d.cards:  # an edition whose accepted papers are not imported yet
        out += para(f"The accepted papers of {w.short_name} are not listed here yet.")
        return [out]
    out += para(f"{count(len(d.cards), 'paper')} accepted at {w.short_name}. ", "The whole volume: ", link("BibTeX", page.href(paths.PROCEEDINGS_BIB), download=paths.PROCEEDINGS_BIB), " · ",
                link("CSL-JSON", page.href(paths.PROCEEDINGS_CSL), download=paths.PROCEEDINGS_CSL), " · ",
                link("RIS", page.href(paths.PROCEEDINGS_RIS), download=paths.PROCEEDINGS_RIS), " · ", link("JSON", page.href(paths.PAPERS_JSON)),
                " (", link("schema", page.href(PAPERS_SCHEMA)), ").")
    out += _filters(w, d.cards)
    for ident, heading, group in paper_groups(w, d.cards, lambda c: c.paper.presentation):
        out += section(f"{heading} ({len(group)})", ident, _grid(page, group), classes=["enlsp-paper-group"])
    return [out]


def _grid(page: Page, cards: list[Card]) -> nodes.container:
    """Cards whose columns carry presentation/track/award as data attributes (enlsp-filters.js)."""
    data = [{"presentation": c.paper.presentation, "track": c.paper.track, "award": "yes" if c.paper.award else "no"} for c in cards]
    return grid([page.paper_card(c, grouped=True) for c in cards], "1 1 2 2", item_data=data)


def _filters(w: Workshop, cards: list[Card]) -> nodes.Node:
    """Placeholder the filter script fills with its controls (without JavaScript every card shows)."""
    papers = [c.paper for c in cards]
    award = w.labels.award
    options: dict[str, Any] = {
        "presentation": [[k.id, k.label] for k in w.presentation_list if any(p.presentation == k.id for p in papers)],
        "track": [[t.id, t.name] for t in w.track_list if any(p.track == t.id for p in papers)],
        "award": [["yes", f"With {'an' if award[:1].lower() in 'aeiou' else 'a'} {award.lower()}"]] if any(p.award for p in papers) else [],
    }
    # how many controls the script will show (as it decides), so the page keeps their room from the start
    controls = sum(1 for key, choices in options.items() if len(choices) >= (1 if key == "award" else 2))
    options["titles"] = {"presentation": "Presentation", "track": "Track", "award": award}
    return data_container(classes=["enlsp-filters", f"enlsp-filters-{controls}"], data={"options": json.dumps(options)})


KIND = PageKind("paper-list", single(paths.docname(paths.PAPERS_INDEX)), shows, render)
