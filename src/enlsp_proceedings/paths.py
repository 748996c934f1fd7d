"""Where everything lives on the site: the one spelling of every page's and file's site path.

Pages, calendars, citations, papers.json, the search index and the page stubs all ask this
module, so a path is written once. Paths are relative to the site root (``papers/x.html``);
`site_url` makes them absolute. A slot's "target" (``("paper", id)``, ``("keynote", id)``,
``("panel", id)``) maps to its page and files here too.
"""

from __future__ import annotations

#: A site's (an edition's, a series') home, its search page, and the page a host serves for a missing address.
HOME = "index.html"
SEARCH = "search.html"
NOT_FOUND = "404.html"
SCHEDULE = "schedule.html"
SCHEDULE_ICS = "schedule.ics"
PANEL = "panel.html"
PAPERS_INDEX = "papers/index.html"
#: the people's folder: one page per person (`author_page`), and the people index (everyone named
#: by the volume; a series': everyone across the years)
AUTHORS = "authors/"
PEOPLE_INDEX = f"{AUTHORS}index.html"
#: a volume's downloads: every paper's BibTeX (and the volume's ``@proceedings``), CSL-JSON, and the list as JSON
PROCEEDINGS_BIB = "proceedings.bib"
PROCEEDINGS_CSL = "proceedings.csl.json"
PAPERS_JSON = "papers.json"
#: every paper's RIS record in one file (a volume's, or in a series' ``all/`` every edition's)
PROCEEDINGS_RIS = "proceedings.ris"
#: the JSON Schema of papers.json, beside it
PAPERS_SCHEMA = "papers.schema.json"
KEYNOTES_INDEX = "keynotes/index.html"
#: Sphinx's folder of a site's static files (theme, scripts, styles); an edition of a series loads the series' one
STATIC = "_static/"
#: the reader's list of starred papers and talks (sphinxext/pages/my_list.py); enlsp.js's header link names it too
MY_LIST = "my-list.html"


#: A series' own pages, at the archive's root (`sphinxext/pages/series.py`); person pages are `author_page`.
SERIES_HOME = HOME
SERIES_PEOPLE = PEOPLE_INDEX
SERIES_SEARCH = SEARCH
#: The series-wide downloads' folder and its list of every paper of every edition.
SERIES_ALL = "all/"
SERIES_PAPERS = "all/index.html"
#: The series' JSON list of its editions and their downloads (`publish.series`).
SERIES_JSON = "editions.json"
#: Where the search index lives (Pagefind's bundle, ``search/``).
SEARCH_INDEX = "pagefind"
#: A site's folders of machinery (Sphinx's, the search index's): no address anyone hands out.
MACHINERY_FOLDERS = (STATIC.rstrip("/"), "_sources", "_images", SEARCH_INDEX)
#: A site's folders where no file of an author's may go (the model's `pdf_aliases` check): the
#: machinery, the people's pages and the keynotes'.
RESERVED_FOLDERS = (*MACHINERY_FOLDERS, AUTHORS.rstrip("/"), "keynotes")


def in_edition(edition: str, path: str) -> str:
    """A site path of an edition's volume, seen from the series' root: ``2023/papers/x.html``."""
    return f"{edition}/{path}"


def docname_page(docname: str) -> str:
    """The site path of a page's docname: ``papers/index`` -> ``papers/index.html``."""
    return f"{docname}.html"


def site_url(base_url: str, path: str) -> str:
    """Absolute URL of a site path (``base_url`` ends with a slash)."""
    return base_url + path


def docname(path: str) -> str:
    """The Sphinx docname of a page's site path: ``papers/x.html`` -> ``papers/x``."""
    return path.removesuffix(".html")


def paper_file(paper_id: str, ext: str) -> str:
    """``papers/<id>.<ext>``: the paper's page (html), PDF, thumbnail, citations (bib, ris, csl.json), calendar (ics)."""
    return f"papers/{paper_id}.{ext}"


def beside_papers(name: str) -> str:
    """A file published in the papers' folder under its own name (supplementary material)."""
    return f"papers/{name}"


def paper_pdf(paper_id: str) -> str:
    """Site path of a paper's published PDF."""
    return paper_file(paper_id, "pdf")


def paper_page(paper_id: str) -> str:
    """Site path of a paper's page."""
    return paper_file(paper_id, "html")


def keynote_file(keynote_id: str, ext: str) -> str:
    """``keynotes/<id>.<ext>``: the keynote's page (html), citations (bib, csl.json), calendar (ics)."""
    return f"keynotes/{keynote_id}.{ext}"


def keynote_page(keynote_id: str) -> str:
    """Site path of a keynote's page."""
    return keynote_file(keynote_id, "html")


def author_page(slug: str) -> str:
    """Site path of a person's page."""
    return f"{AUTHORS}{slug}.html"


#: The anchor of a paper page's full author list: a long list (`model.people.LONG_AUTHOR_LIST`) is
#: written in full only there, and everything else that names the paper's authors links to it.
ALL_AUTHORS = "all-authors"


def all_authors(paper_id: str) -> str:
    """Site path of a paper's full author list (a section of its page)."""
    return f"{paper_page(paper_id)}#{ALL_AUTHORS}"


def schedule_anchor(anchor: str) -> str:
    """Site path of one slot on the schedule."""
    return f"{SCHEDULE}#{anchor}"


def target_file(kind: str, ident: str, ext: str) -> str:
    """The page (``html``) or calendar (``ics``) of a slot's target: a paper, a keynote or the panel."""
    if kind == "paper":
        return paper_file(ident, ext)
    if kind == "keynote":
        return keynote_file(ident, ext)
    if kind == "panel":
        return f"panel.{ext}"
    raise KeyError(kind)
