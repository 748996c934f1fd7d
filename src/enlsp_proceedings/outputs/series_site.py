"""What a series' own pages show: the series, each edition in a line, and one record per person
across the years (`SeriesSite`).

Built by the publish stage from the edition volumes (each already knowing the series' person
slugs, `volume.EditionContext`), handed to the Sphinx extension in memory (no file: at 10,000
papers, saving it took 0.28 s of every one-paper edit), and read by the series' page kinds
(``sphinxext/pages/series_*.py``).
Site paths of the series' pages, and of an edition's pages seen from the series' root, are
spelled in `paths`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from enlsp_proceedings import paths
from enlsp_proceedings.model.people import AUTHORS_SHOWN as LIST_AUTHORS
from enlsp_proceedings.model.people import role_label
from enlsp_proceedings.model.schema import UNKNOWN_AUTHORS
from enlsp_proceedings.outputs.volume import Volume
from enlsp_proceedings.util.digest import value_json

#: The schema of a series' ``all/papers.json`` (published beside it as papers.schema.json).
SERIES_SCHEMA_FILE = Path(__file__).parent / "schema" / "series-papers.schema.json"


@dataclass(frozen=True)
class EditionLine:
    """One edition as the series' home lists it."""

    id: str
    short_name: str
    title: str
    venue: str
    date: str  # ISO date of the workshop
    location: str
    papers: int
    pdfs: int
    keynotes: int
    panel: bool
    archival: bool
    sections: tuple[str, ...]  # the edition's section pages, as site paths from the series' root

    @property
    def label(self) -> str:
        """How the series names the edition: "WXYZ-III · AnyConf 2031"."""
        return f"{self.short_name} · {self.venue}"


@dataclass(frozen=True)
class ListedPaper:
    """One paper on the series' list of every paper (``all/index``), with what its filters read."""

    edition: str
    title: str
    path: str  # from the series' root
    authors: str
    presentation: str
    presentation_label: str
    track: str
    track_name: str
    award: str | None = None


@dataclass(frozen=True)
class Work:
    """One thing a person did in one edition: a paper, a talk, a panel seat (title and page from the series' root)."""

    kind: str  # "paper", "keynote", "panel"
    title: str
    path: str
    detail: str = ""  # the presentation, or the panel role
    authors: tuple[tuple[str, str], ...] = ()  # (name, slug) of every author of a paper, for their links


@dataclass(frozen=True)
class Year:
    """Everything one person did in one edition."""

    edition: str
    label: str
    roles: tuple[str, ...]
    affiliations: tuple[str, ...]
    works: tuple[Work, ...]


@dataclass(frozen=True)
class SeriesPerson:
    """One person across the series: the page ``authors/<slug>.html`` of the series' root."""

    slug: str
    name: str
    sort_key: tuple[str, str]
    variants: tuple[str, ...] = ()
    orcid: str | None = None
    url: str | None = None
    years: tuple[Year, ...] = ()  # newest first

    @property
    def edition_ids(self) -> list[str]:
        """The editions this person is in, newest first."""
        return [y.edition for y in self.years]


@dataclass
class SeriesSite:
    """The series' pages' data: what series.yaml says, the editions newest first, everyone across them."""

    name: str
    short_name: str
    description: str
    base_url: str
    links: list[tuple[str, str]] = field(default_factory=list)
    editions: list[EditionLine] = field(default_factory=list)
    people: dict[str, SeriesPerson] = field(default_factory=dict)
    papers: list[ListedPaper] = field(default_factory=list)  # newest edition first, each in its own order

    def to_json(self) -> str:
        """The data as JSON, by `util.digest.value_json`: what the build digests the series' own
        fields by (the frame of every page of the series, `publish.series`). The Sphinx extension is
        handed the data itself (`sphinxext.data.remember_series`), never a file."""
        return value_json(self).decode("utf-8")


def edition_line(volume: Volume, edition: str, sections: list[str]) -> EditionLine:
    """The series home's line for one edition volume."""
    w = volume.workshop
    counts = volume.pdf_counts
    return EditionLine(edition, w.short_name, w.title, w.venue, w.date.isoformat(), w.location, counts.papers, counts.published,
                       len(volume.proc.keynotes), volume.proc.panel is not None, w.archival,
                       tuple(paths.in_edition(edition, paths.docname_page(d)) for d in sections))


@dataclass(frozen=True)
class PersonYear:
    """One person in one edition, as that edition names them (`edition_people`); `merge_people` makes
    one `SeriesPerson` of each person's years."""

    slug: str
    name: str
    sort_key: tuple[str, str]
    variants: tuple[str, ...]
    orcid: str | None
    url: str | None
    year: Year


def edition_people(edition: str, volume: Volume) -> list[PersonYear]:
    """Everyone an edition volume names (its people carry the series' slugs), with what they did in it."""
    w = volume.workshop
    label = f"{w.short_name} · {w.venue}"
    out = []
    papers: dict[str, Work] = {}  # a paper's line is the same on each of its authors' pages: made once

    def paper_work(pid: str) -> Work:
        paper = volume.papers_by_id[pid]
        authors = tuple((volume.proc.canonical_name(a.name), volume.people.slug(a.name)) for a in paper.authors)
        return Work("paper", paper.title, paths.in_edition(edition, paths.paper_page(pid)), w.presentation(paper.presentation).label, authors)

    for record in volume.people.sorted():
        works: list[Work] = []
        for pid in record.papers:
            if pid not in papers:
                papers[pid] = paper_work(pid)
            works.append(papers[pid])
        for kid in record.keynotes:
            works.append(Work("keynote", volume.keynotes_by_id[kid].title, paths.in_edition(edition, paths.keynote_page(kid)), w.labels.keynote))
        panel = volume.proc.panel
        if panel is not None and {"panelist", "moderator"} & set(record.roles):
            works.append(Work("panel", panel.title, paths.in_edition(edition, paths.PANEL), "Moderator" if "moderator" in record.roles else "Panelist"))
        year = Year(edition, label, tuple(role_label(r, w.labels) for r in record.roles), tuple(record.affiliations), tuple(works))
        out.append(PersonYear(record.slug, record.name, record.sort_key, tuple(record.variants), record.orcid, record.url, year))
    return out


def merge_people(editions: list[list[PersonYear]]) -> dict[str, SeriesPerson]:
    """One record per person across the editions (each edition's `edition_people`, oldest first): the
    newest edition's spelling leads, every other spelling is a variant, the newest ORCID iD and web
    page stand, the years newest first; sorted by name."""
    found: dict[str, dict] = {}
    for people in editions:
        for entry in people:
            person = found.setdefault(entry.slug, {"variants": [], "orcid": None, "url": None, "years": []})
            person["name"], person["sort_key"] = entry.name, entry.sort_key
            for variant in [*entry.variants, entry.name]:
                if variant not in person["variants"]:
                    person["variants"].append(variant)
            person["orcid"] = entry.orcid or person["orcid"]
            person["url"] = entry.url or person["url"]
            person["years"].append(entry.year)
    out = {}
    for slug, p in found.items():
        variants = tuple(v for v in p["variants"] if v != p["name"])
        out[slug] = SeriesPerson(slug, p["name"], tuple(p["sort_key"]), variants, p["orcid"], p["url"], tuple(reversed(p["years"])))
    return dict(sorted(out.items(), key=lambda item: item[1].sort_key))


def series_people(volumes: list[tuple[str, Volume]]) -> dict[str, SeriesPerson]:
    """One record per person across the editions (``volumes`` oldest first; each volume's people
    carry the series' slugs): their names, links and what they did, by year, newest first."""
    return merge_people([edition_people(edition, volume) for edition, volume in volumes])


def listed_papers(edition: str, volume: Volume) -> list[ListedPaper]:
    """An edition's papers as the series' list of every paper shows them."""
    w = volume.workshop
    out = []
    for paper in volume.proc.papers:
        names = [volume.proc.canonical_name(a.name) for a in paper.authors]
        shown = ", ".join(names[:LIST_AUTHORS]) + (f" and {len(names) - LIST_AUTHORS} more" if len(names) > LIST_AUTHORS else "")
        out.append(ListedPaper(edition, paper.title, paths.in_edition(edition, paths.paper_page(paper.id)), shown or UNKNOWN_AUTHORS,
                               paper.presentation, w.presentation(paper.presentation).label, paper.track, w.track(paper.track).name, paper.award))
    return out
