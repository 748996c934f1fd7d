"""Which page limit and page policy one paper is judged by (`page_rules`), as the call for papers states them.

A call often sets limits per kind of paper ("short papers 4 pages, long papers 8") or per track
("extended abstracts 2 pages"). The limit of a paper is, from the most specific: its own
``page_limit`` (an organizer's allowance), its type's (``paper_types`` in workshop.yaml), its
track's, the workshop's ``page_limit``. The policy (acknowledgments, extra camera-ready pages,
error or warning) is the workshop's ``page_policy``, with the fields its track's and then its
type's ``page_policy`` give replacing the workshop's. A workshop without types or track
limits judges every paper by ``page_limit`` and ``page_policy``, as before.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from enlsp_proceedings.model.schema import PagePolicy, Paper, Workshop


@dataclass(frozen=True)
class PageRules:
    """The limit one paper is judged against, its policy, and which setting gave the limit."""

    page_limit: int
    policy: PagePolicy = PagePolicy()
    #: Where the limit comes from: "workshop", "track", "type" or "paper".
    set_by: str = "workshop"
    #: The track's or type's id ("" for the workshop and the paper itself).
    set_by_id: str = ""
    #: How messages name it: "Long paper" (a type's name), "Special track" (a track's name).
    set_by_name: str = ""

    @property
    def allowed(self) -> float:
        """Pages of content allowed: the limit plus the policy's extra camera-ready pages."""
        return self.page_limit + self.policy.extra_camera_ready_pages

    @property
    def whose(self) -> str:
        """The limit's owner for a message: "" (the workshop's), " for the paper type 'Long paper'"..."""
        if self.set_by == "paper":
            return " for this paper (its page_limit)"
        if self.set_by == "type":
            return f" for the paper type {self.set_by_name!r}"
        if self.set_by == "track":
            return f" for the track {self.set_by_name!r}"
        return ""

    def as_json(self) -> dict[str, Any]:
        """This paper's rules as ``check --format json`` prints them."""
        origin = self.set_by if not self.set_by_id else f"{self.set_by} {self.set_by_id}"
        return {"pages": self.page_limit, **self.policy.model_dump(mode="json"), "from": origin}


def _merged(base: PagePolicy, override: PagePolicy | None) -> PagePolicy:
    """``base`` with the fields ``override`` sets in its YAML (not its defaults)."""
    if override is None or not override.model_fields_set:
        return base
    return base.model_copy(update={name: getattr(override, name) for name in override.model_fields_set})


def page_rules(workshop: Workshop, paper: Paper | None = None) -> PageRules:
    """The page limit and policy ``paper`` is judged by (the workshop's when ``paper`` is None)."""
    rules = PageRules(workshop.page_limit, workshop.page_policy)
    if paper is None:
        return rules
    policy = workshop.page_policy
    track = next((t for t in workshop.tracks if t.id == paper.track), None)
    if track is not None:
        policy = _merged(policy, track.page_policy)
        if track.page_limit is not None:
            rules = PageRules(track.page_limit, policy, "track", track.id, track.name)
    kind = workshop.paper_type(paper.type) if paper.type else None
    if kind is not None:
        policy = _merged(policy, kind.page_policy)
        rules = PageRules(kind.page_limit, policy, "type", kind.id, kind.label)
    if paper.page_limit is not None:
        rules = PageRules(paper.page_limit, policy, "paper")
    return PageRules(rules.page_limit, policy, rules.set_by, rules.set_by_id, rules.set_by_name)

