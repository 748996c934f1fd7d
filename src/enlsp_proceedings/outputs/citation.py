"""A paper's or a keynote's citation as one record, and every citation format as a pure function of it.

`PaperCitation` holds everything any citation of a paper says: the paper, the workshop, its
key, its page's and PDF's addresses, its page count and the volume's editors. `Volume.paper_citation`
makes it (the one place that knows where those come from); a page's Cite tab, the paper's
``.bib``, ``.ris`` and ``.csl.json`` and the volume's ``proceedings.*`` are each a function of it
(`bibtex`, `ris`, `csl`, `acl`, `markdown`). Its `PaperCitation.digest` hashes all it holds, so
the downloads are rewritten exactly when what they say changes (outputs.downloads).
`KeynoteCitation` is the same for a keynote. The encoding for each format is `cite`'s.
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass
from typing import Any

from enlsp_proceedings.model.schema import Keynote, Paper, Person, Workshop
from enlsp_proceedings.outputs import cite
from enlsp_proceedings.util.digest import value_json


@dataclass(frozen=True)
class PaperCitation:
    """Everything a citation of one paper says, in any format."""

    paper: Paper
    workshop: Workshop
    #: its citation key, unique in the volume
    key: str
    #: its page's address
    url: str
    #: its PDF's address, once the PDF is published
    pdf_url: str | None
    #: the published PDF's page count
    pages: int | None
    #: the volume's editors (the organizers), named in its BibTeX as the ACL Anthology does
    editors: tuple[Person, ...] = ()
    #: the paper's authors here are the first of more (a page cuts a long list): "and others", "et al."
    et_al: bool = False

    def digest(self) -> str:
        """Hash of everything the record holds: the key the downloads' freshness comes from."""
        return hashlib.sha256(value_json(self)).hexdigest()[:20]

    def first_authors(self, count: int) -> PaperCitation:
        """The citation of the paper by its first ``count`` authors "and others" (a long list cut, as a page shows it)."""
        return dataclasses.replace(self, paper=self.paper.model_copy(update={"authors": self.paper.authors[:count]}), et_al=True)


def bibtex_entry(c: PaperCitation, crossref: str | None = None) -> str:
    """The paper's BibTeX entry, whole by itself (no @preamble); ``crossref``: the volume's @proceedings key."""
    return cite.entry_text(cite.paper_entry(c.paper, c.workshop, c.key, c.url, crossref=crossref, editors=c.editors, et_al=c.et_al))


def bibtex(c: PaperCitation) -> str:
    """The paper's BibTeX (its page's Cite tab and ``papers/<id>.bib``): its entry, whole by itself
    (with the volume's editors, no crossref), so entries copied from several pages into one file
    never repeat an entry; a @preamble first when the entry needs one."""
    return cite.join_bibtex([bibtex_entry(c)])


def ris(c: PaperCitation) -> str:
    """The paper's RIS record (``papers/<id>.ris``), with its PDF's address once published."""
    return cite.to_ris(c.paper, c.workshop, c.url, c.pdf_url)


def csl(c: PaperCitation) -> dict[str, Any]:
    """The paper's CSL-JSON item (``papers/<id>.csl.json`` holds a list of just this one)."""
    return cite.csl_paper(c.paper, c.workshop, c.key, c.url, c.pdf_url, c.pages)


def acl(c: PaperCitation) -> str:
    """The paper as the ACL Anthology's plain-text citation reads."""
    return cite.to_acl_text(c.paper, c.workshop, et_al=c.et_al)


def markdown(c: PaperCitation) -> str:
    """The paper as one line of Markdown, linking its page."""
    return cite.to_markdown(c.paper, c.workshop, c.url, et_al=c.et_al)


@dataclass(frozen=True)
class KeynoteCitation:
    """Everything a citation of one keynote says."""

    keynote: Keynote
    workshop: Workshop
    key: str
    #: its page's address
    url: str


def keynote_bibtex_entry(c: KeynoteCitation, crossref: str | None = None) -> str:
    """The keynote's BibTeX entry, whole by itself; ``crossref``: the volume's @proceedings key."""
    return cite.entry_text(cite.keynote_entry(c.keynote, c.workshop, c.key, c.url, crossref=crossref))


def keynote_bibtex(c: KeynoteCitation) -> str:
    """The keynote's BibTeX (its page's Cite tab and ``keynotes/<id>.bib``)."""
    return cite.to_bibtex([cite.keynote_entry(c.keynote, c.workshop, c.key, c.url)])


def keynote_csl(c: KeynoteCitation) -> dict[str, Any]:
    """The keynote's CSL-JSON item (``keynotes/<id>.csl.json`` holds a list of just this one)."""
    return cite.csl_keynote(c.keynote, c.workshop, c.key, c.url)
