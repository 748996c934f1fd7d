"""Synthetic workshops for tests and benchmarks: YAML metadata plus real PDFs made on the fly.

Nothing here is about the real ENLSP-II papers: titles, names and abstracts are
generated, and PDFs are typeset with fpdf2 (a test dependency). It lives beside the tests, outside
the installed package, so the runtime never needs fpdf2: tests import it as ``synthetic`` (pytest
puts tests/ on the path) and the benchmarks add tests/ to ``sys.path`` themselves.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path

import yaml

FONT_DIRS = [Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu")]

FIRST = ["Ana", "Bo", "Chen", "Dmitri", "Élodie", "Fatima", "Grzegorz", "Hana", "Ivan", "Jürgen", "Kwame", "Lucía",
         "Mehdi", "Nguyễn", "Olúwaseun", "Priya", "Qiu", "Ravi", "Søren", "Tomás", "Uma", "Vũ", "Wei", "Xin", "Yusuf", "Zoë"]
LAST = ["Müller", "Nguyễn", "García", "Okafor", "Kowalski", "Tanaka", "Rezagholizadeh", "Björk", "Çelik", "Dubois",
        "van der Berg", "O'Neil", "Adébáyọ̀", "Silva", "Ivanova", "Park", "Khan", "Rossi", "Novák", "Haddad", "Smith", "Lee"]
TOPICS = ["Quantization", "Pruning", "Distillation", "Sparse Attention", "Adapters", "Prompt Tuning", "Speech Recognition",
          "Retrieval", "Low-Rank Adaptation", "Early Exit", "Token Merging", "Mixture of Experts", "Graph Neural Networks"]
MODELS = ["BERT", "DistilHuBERT", "T5", "GPT-2", "wav2vec 2.0", "RoBERTa", "LLaMA", "Whisper", "BART", "OPT-175B"]
WORDS = ("efficient model inference training memory latency throughput accuracy benchmark dataset language speech "
         "compression transformer layer attention parameter budget hardware kernel sparse dense token sequence").split()


@dataclass
class SynthPaper:
    id: str
    title: str
    authors: list[dict]
    abstract: str
    presentation: str = "oral"
    track: str = "main"
    pages: int | None = 5          # None: no PDF
    references_page: int | None = 4
    body_words: list[str] = field(default_factory=list)  # words printed only inside the PDF
    pdf: str | None = None
    extra: dict = field(default_factory=dict)

    def as_yaml(self) -> dict:
        out = {"id": self.id, "title": self.title, "authors": self.authors, "abstract": self.abstract,
               "presentation": self.presentation, "track": self.track}
        if self.pdf:
            out["pdf"] = self.pdf
        out.update(self.extra)
        return out


def _font_path() -> Path | None:
    for folder in FONT_DIRS:
        if (folder / "DejaVuSans.ttf").exists():
            return folder / "DejaVuSans.ttf"
    return None


def new_pdf(size: int = 11):
    """An empty fpdf2 document writing DejaVu Sans (any Unicode) at ``size`` points, if installed."""
    from fpdf import FPDF

    pdf = FPDF()
    font = _font_path()
    if font:
        pdf.add_font("DejaVu", "", str(font))
        pdf.set_font("DejaVu", size=size)
    else:  # pragma: no cover - only without DejaVu fonts; Latin-1 text only
        pdf.set_font("Helvetica", size=size)
    return pdf


def make_pdf(path: Path, title: str, authors: list[str], pages: int, references_page: int | None = None,
             body_words: list[str] = (), seed: int = 0) -> None:
    """A camera-ready-like PDF: title and authors on page 1, body text, a References heading."""
    rng = random.Random(seed)
    pdf = new_pdf(11)
    pdf.set_auto_page_break(False)
    for number in range(1, pages + 1):
        pdf.add_page()
        if number == 1:
            pdf.set_font_size(16)
            pdf.multi_cell(0, 8, title, new_x="LMARGIN", new_y="NEXT")
            pdf.set_font_size(11)
            pdf.multi_cell(0, 6, ", ".join(authors), new_x="LMARGIN", new_y="NEXT")
            pdf.ln(4)
        if references_page is not None and number == references_page:
            pdf.multi_cell(0, 6, " ".join(rng.choice(WORDS) for _ in range(40)), new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
            pdf.multi_cell(0, 6, "References", new_x="LMARGIN", new_y="NEXT")
            pdf.multi_cell(0, 6, "[1] A. Author. A cited paper. 2021.", new_x="LMARGIN", new_y="NEXT")
            continue
        words = [rng.choice(WORDS) for _ in range(120)]
        if number == min(2, pages) and body_words:
            words[10:10] = list(body_words)
        pdf.multi_cell(0, 6, " ".join(words), new_x="LMARGIN", new_y="NEXT")
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(path))


def random_papers(n: int, seed: int = 1, pdf_ratio: float = 1.0) -> list[SynthPaper]:
    rng = random.Random(seed)
    papers = []
    for i in range(n):
        authors = []
        for _ in range(rng.randint(1, 6)):
            authors.append({"name": f"{rng.choice(FIRST)} {rng.choice(LAST)}", "affiliation": rng.choice(["Univ. of Somewhere", "Lab X", "Institut Y"])})
        # unique names per paper
        seen, unique = set(), []
        for a in authors:
            if a["name"] not in seen:
                seen.add(a["name"])
                unique.append(a)
        title = f"{rng.choice(TOPICS)} for {rng.choice(MODELS)}: {' '.join(rng.choice(WORDS) for _ in range(4)).capitalize()} {i}"
        abstract = " ".join(rng.choice(WORDS) for _ in range(rng.randint(120, 220))).capitalize() + "."
        pages = rng.randint(3, 9) if rng.random() < pdf_ratio else None
        papers.append(SynthPaper(
            id=f"paper-{i:04d}", title=title, authors=unique, abstract=abstract,
            presentation=rng.choice(["oral", "spotlight", "poster", "poster"]),
            track="graph" if rng.random() < 0.1 else "main",
            pages=pages, references_page=max(1, pages - 1) if pages else None,
        ))
    return papers


def workshop_yaml(**overrides) -> dict:
    data = {
        "short_name": "SYNTH-I",
        "title": "The 1st Synthetic Workshop on Testing",
        "booktitle": "Proceedings of the 1st Synthetic Workshop on Testing",
        "venue": "TestConf 2031",
        "year": 2031,
        "date": "2031-12-05",
        "location": "Lisbon, Portugal",
        "timezone": "Europe/Lisbon",
        "archival": False,
        "page_limit": 4,
        "base_url": "https://example.org/synth/",
        "important_dates": [{"name": "Submission deadline", "date": "2031-09-01", "note": "AOE"}],
        "tracks": [{"id": "main", "name": "Main track"}, {"id": "graph", "name": "Special track: Graph Learning for Testing"}],
    }
    data.update(overrides)
    return data


def write_workshop(root: Path, papers: list[SynthPaper], *, keynotes: list[dict] | None = None,
                   schedule: list[dict] | None = None, people: dict | None = None, panel: dict | None = None,
                   workshop: dict | None = None, make_pdfs: bool = True) -> tuple[Path, Path]:
    """Write conf/ and papers/ under ``root``; returns (conf_dir, papers_dir)."""
    conf = root / "conf"
    papers_dir = root / "papers"
    conf.mkdir(parents=True, exist_ok=True)
    papers_dir.mkdir(parents=True, exist_ok=True)

    def dump(name: str, data: dict) -> None:
        (conf / name).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")

    dump("workshop.yaml", workshop or workshop_yaml())
    dump("papers.yaml", {"papers": [p.as_yaml() for p in papers]})
    if keynotes is not None:
        dump("keynotes.yaml", {"keynotes": keynotes})
    if schedule is not None:
        dump("schedule.yaml", {"schedule": schedule})
    if people is not None:
        dump("people.yaml", people)
    if panel is not None:
        dump("panel.yaml", {"panel": panel})
    if make_pdfs:
        for index, paper in enumerate(papers):
            if paper.pages:
                make_pdf(papers_dir / (paper.pdf or f"{paper.id}.pdf"), paper.title, [a["name"] for a in paper.authors],
                         paper.pages, paper.references_page, paper.body_words, seed=index)
    return conf, papers_dir


def small_workshop(root: Path) -> tuple[Path, Path]:
    """Three papers (two with PDFs, one pending), two keynotes, a schedule, people and a panel."""
    papers = [
        SynthPaper("alpha", "Quantizing DistilHuBERT for Müller's Speech", [
            {"name": "Jürgen Müller", "affiliation": "Universität Wien"},
            {"name": "Nguyễn Văn An", "family": "Nguyễn", "affiliation": "VNU Hanoi"},
        ], "We quantize things.\n\nA second paragraph of the abstract.", presentation="oral", pages=5, references_page=4,
            body_words=["zyxquartzword"]),
        SynthPaper("beta", "Sparse Attention on Phones", [{"name": "Priya Raman"}, {"name": "Jürgen Müller"}],
                   "Sparse attention saves energy.", presentation="poster", pages=3, references_page=3),
        SynthPaper("gamma", "Graph Learning for Tiny Parsers", [{"name": "Wei Zhang"}], "Graphs help parsers.",
                   presentation="spotlight", track="graph", pages=None),
    ]
    keynotes = [
        {"id": "kay-note", "title": "Efficient Everything", "speaker": {"name": "Kay Note", "honorific": "Prof.", "affiliation": "Keynote University"},
         "bio": "Kay Note studies efficiency.", "abstract": "Everything can be efficient."},
        {"id": "lee-talk", "title": "Small Models, Big Wins", "speaker": {"name": "Lee Talk", "affiliation": "Industry Lab"},
         "bio": "Lee builds small models.", "abstract": "Small models win."},
    ]
    schedule = [
        {"start": "09:00", "end": "09:10", "title": "Opening", "kind": "opening"},
        {"start": "09:10", "end": "09:50", "keynote": "kay-note"},
        {"start": "09:50", "end": "10:05", "paper": "alpha"},
        {"start": "10:05", "end": "10:30", "title": "Coffee break", "kind": "break"},
        {"start": "10:30", "end": "11:10", "keynote": "lee-talk"},
        {"start": "11:10", "end": "11:20", "paper": "gamma"},
        {"start": "11:20", "end": "12:00", "panel": "panel-one"},
    ]
    people = {
        "organizers": [{"name": "Olga Organizer", "affiliation": "Org Univ"}],
        "volunteers": [{"name": "Val Volunteer"}],
        "technical_committee": [{"name": "Jurgen Muller", "affiliation": "Universität Wien"}, {"name": "Tara Reviewer"}],
        "aliases": [{"name": "Jürgen Müller", "variants": ["Jurgen Muller"]}],
    }
    panel = {"id": "panel-one", "title": "Panel on Efficiency", "panelists": [{"name": "Pat Panelist", "affiliation": "Company"}, {"name": "Lee Talk"}]}
    return write_workshop(root, papers, keynotes=keynotes, schedule=schedule, people=people, panel=panel)


#: Names from many languages, in the forms citations get wrong (family-first order,
#: particles, " and " inside a name, suffixes, letters built from combining marks).
UNICODE_AUTHORS = [
    {"name": "Nguyễn Văn An", "family": "Nguyễn", "affiliation": "VNU Hà Nội"},
    {"name": "Đặng Thị Ngọc Ánh", "family": "Đặng"},
    {"name": "Adébáyọ̀ Ọlágúnjú", "affiliation": "Ọbáfẹ́mi Awólọ́wọ̀ University"},
    {"name": "Jürgen Groß-Müller", "affiliation": "Universität Düsseldorf"},
    {"name": "Łukasz Żółtowski-Wróbel", "affiliation": "Politechnika Łódzka"},
    {"name": "Jiří Dvořák", "affiliation": "Univerzita Karlova"},
    {"name": "İsmail Çağrı Şükrü Işık", "affiliation": "Boğaziçi Üniversitesi"},
    {"name": "François-Xavier Lefèvre", "affiliation": "Université de Montréal"},
    {"name": "Anna van der Berg", "affiliation": "Universiteit van Amsterdam"},
    {"name": "Ludwig von Neumann Jr."},
    {"name": "Smith and Wesson Research Group"},
    {"name": "Chloë Ødegård-Ærø"},
    {"name": "Ana María García López", "family": "García López"},
    {"name": "Øystein Brødsjø"},
]
UNICODE_TITLES = [
    "Quantizing DistilHuBERT to W8A8 with SmoothQuant: 100% Faster & _Really_ #1 for $5 {Braces} ~Tilde \\Backslash",
    "Nguyễn's Rule -- and ``Quotes'' -- for Yorùbá Tone Marks (ẹ, ọ, ṣ)",
    "Über Größe: Zürich, Kraków, Brno, İzmir and Besançon <Angle> ^Caret^ |Pipe| \"Double\"",
    "Łódź Żółć Dvořák Çağrı Œuvre Æsir Ångström ĳssel",
    "A Short One",
]


def unicode_workshop(root: Path, make_pdfs: bool = True) -> tuple[Path, Path]:
    """A volume whose every title and name is hard to typeset and to cite."""
    authors = UNICODE_AUTHORS
    papers = []
    for i, title in enumerate(UNICODE_TITLES):
        chosen = [authors[(i * 3 + k) % len(authors)] for k in range(3 if i % 2 else 4)]
        papers.append(SynthPaper(f"uni-{i}", title, chosen, f"Abstract {i} of {title}. " + " ".join(WORDS[: 20 + i]),
                                 presentation=["oral", "poster", "spotlight"][i % 3], pages=3 if i % 2 == 0 else None,
                                 references_page=3))
    papers.append(SynthPaper("uni-solo", "On Everything", [authors[0]], "A single-author paper.", pages=None))
    papers.append(SynthPaper("uni-solo-2", "On Everything", [authors[0]], "The same key twice.", pages=None))
    keynotes = [
        {"id": "k-yoruba", "title": "Tone & Prosody in Yorùbá ASR -- 50% Fewer Errors",
         "speaker": {"name": "Olúwaseun Adébáyọ̀", "honorific": "Prof."}, "abstract": "Tones matter."},
        {"id": "k-viet", "title": "Efficient NLP for Tiếng Việt", "speaker": {"name": "Phạm Thị Lê", "family": "Phạm"}},
    ]
    schedule = [
        {"start": "09:00", "end": "09:30", "keynote": "k-yoruba"},
        {"start": "09:30", "end": "09:45", "paper": "uni-0"},
    ]
    return write_workshop(root, papers, keynotes=keynotes, schedule=schedule, make_pdfs=make_pdfs)
