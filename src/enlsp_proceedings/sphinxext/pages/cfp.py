"""The call for papers (``cfp``): topics, submission instructions, important dates."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from docutils import nodes

from enlsp_proceedings.model.schema import CallForPapers, ImportantDate, Labels
from enlsp_proceedings.outputs.volume import Volume
from enlsp_proceedings.sphinxext.pages.common import Page, PageKind, Shown
from enlsp_proceedings.sphinxext.widgets import admonition, badge, bullet_list, para, paragraphs, section, table


@dataclass(frozen=True)
class CfpShows(Shown):
    """What the call for papers shows."""

    cfp: CallForPapers
    dates: list[ImportantDate]
    labels: Labels
    #: once the workshop is over, its name and last day
    held: tuple[str, dt.date] | None


def shows(v: Volume, ident: str | None = None) -> CfpShows:
    """The call, the important dates, the labels; once the workshop is over, its name and last day."""
    return CfpShows(cfp=v.proc.cfp, dates=v.workshop.important_dates, labels=v.workshop.labels,
                    held=(v.workshop.short_name, v.days[-1]) if v.held else None)


def render(page: Page, d: CfpShows) -> list[nodes.Node]:
    """The call for papers body."""
    cfp = d.cfp
    out = section(d.labels.cfp, "call-for-papers")
    if d.held:  # an archive: the call is history, not an invitation
        name, last_day = d.held
        out += admonition("note", "This call is closed", [para(f"{name} took place on {last_day:%A} {last_day.day} {last_day:%B %Y}. "
                                                               "The call for papers is kept here as it was published.")])
    if cfp.intro:
        out.extend(paragraphs(cfp.intro))
    for index, topic in enumerate(cfp.topics):
        body: list[nodes.Node] = []
        if topic.special_track:
            body.append(para(badge("Special track", "info")))
        if topic.description:
            body.extend(paragraphs(topic.description))
        if topic.items:
            body.append(bullet_list([para(item) for item in topic.items]))
        out += section(topic.name, f"topic-{index + 1}", *body)
    if cfp.submission:
        out += section("Submission instructions", "submission", *[p for s in cfp.submission for p in paragraphs(s)])
    if d.dates:
        rows = [[x.name, f"{x.date:%A} {x.date.day} {x.date:%B %Y}" + (f" ({x.note})" if x.note else "")] for x in d.dates]
        out += section(d.labels.important_dates, "important-dates", table(["What", "When"], rows, classes=["enlsp-dates"]))
    return [out]


def pages(v: Volume) -> list[tuple[str, str | None]]:
    """The call, if the edition has its text, topics, instructions or dates."""
    return [("cfp", None)] if v.proc.has_call else []


KIND = PageKind("cfp", pages, shows, render)
