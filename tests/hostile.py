"""A workshop whose every text field holds hostile strings (shared by the safety tests).

Each field gets a unique tag (``F017``) followed by the payloads, so a test can find a
field's value in any output and tell which field leaked. Script payloads set
``window.__pwned`` or call ``alert()``: a browser test checks neither happens.

The fields are not listed by hand: `fill_every_text_field` walks the models of
``model/schema.py`` along with the hand-written workshop and gives every text field the
workshop leaves out a tagged hostile value, ``labels`` and any field added
later included; `text_fields` derives from the models which fields those are, so a test can
check that every one of them carries a payload.
"""

from __future__ import annotations

import re
import typing
from pathlib import Path

from pydantic import BaseModel

from enlsp_proceedings.model import schema
from synthetic import SynthPaper, workshop_yaml, write_workshop

PWN = "window.__pwned=1"

#: One line each: shown inside titles, names and other one-line fields.
INLINE = [
    f"<script>{PWN}</script>",
    f'<img src=x onerror="{PWN}">',
    f"\"><svg onload={PWN}>'",
    f"' onmouseover='{PWN}' x='",
    f"javascript:{PWN}",
    "</title><script>alert(1)</script><title>",
    f'</textarea></style></noscript><iframe src="javascript:{PWN}"></iframe>',
    "<b>bold</b> &amp; &lt;i&gt; &#x3C;u&#x3E;",
    "{raw}`<b>raw role</b>` {include}`/etc/passwd` :raw:`x` {math}`x^2`",
    "$$x^2$$ \\(a+b\\) $y$ \\[z\\]",
    "{{ 7*7 }} {% if true %}jinja{% endif %} {{ config.__class__ }} {# c #}",
    "}, author = {Evil Mallory}, note = {",
    "@misc{evil, title={pwn}} \\input{/etc/passwd} %comment {unbalanced \\\\",
    "bidi \u202eevil\u202c zero\u200bwidth\u200d\ufeff \u2066iso\u2069",
    "[link](javascript:alert(1)) <https://evil.example> **strong** _em_ `code`",
    "| a | b |",
    "line\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:injected\nTY  - JOUR\n@misc{x,\n.. raw:: html\n",
]

#: Multi-line payloads: block syntax of MyST, reStructuredText and Markdown.
BLOCKS = [
    f"```{{raw}} html\n<script>{PWN}</script>\n```",
    "```{include} /etc/passwd\n```",
    "```{include} ../../../../../../../../etc/passwd\n```",
    f".. raw:: html\n\n   <script>{PWN}</script>",
    ".. include:: /etc/passwd",
    "$$\n\\int_0^1 x\\,dx\n$$",
    "| a | b |\n|---|---|\n| 1 | 2 |",
    "# Heading\n\n---\n\n* item\n\n> quote",
]

LONG = "Long" + "x" * 3000


class Corpus:
    """Hands out tagged hostile values and remembers which field got which.

    ``values`` holds the hand-written fields (each checked on the pages `test_safety` names);
    ``filled`` those `fill_every_text_field` added (checked wherever they appear, in Chromium).
    ``models`` maps every tag to the model field(s) holding it (``Labels.papers``)."""

    def __init__(self):
        self.values: dict[str, str] = {}  # tag -> value
        self.fields: dict[str, str] = {}  # tag -> field path
        self.filled: dict[str, str] = {}  # tag -> value, added by fill_every_text_field
        self.models: dict[str, set[str]] = {}  # "Model.field" -> tags of the values it holds

    def _tag(self, field: str) -> str:
        tag = f"F{len(self.fields):03d}"
        self.fields[tag] = field
        return tag

    def line(self, field: str, short: bool = False) -> str:
        """A one-line value; ``short`` keeps it to a couple of payloads (names, ids of pages)."""
        tag = self._tag(field)
        payloads = INLINE[:3] + INLINE[7:9] + INLINE[11:12] + INLINE[13:14] if short else INLINE
        value = (f"{tag} " + " ".join(payloads)).strip()  # as validation stores it
        self.values[tag] = value
        return value

    def block(self, field: str) -> str:
        tag = self._tag(field)
        value = (f"{tag} " + " ".join(INLINE) + "\n\n" + "\n\n".join(BLOCKS)).strip()
        self.values[tag] = value
        return value

    def fill(self, field: str, word: bool = False) -> str:
        """A value for a field the hand-written workshop leaves out (``word``: one word, no space)."""
        tag = self._tag(field)
        value = f"{tag}<svg/onload={PWN}>" if word else f"{tag} " + " ".join(INLINE[:3] + INLINE[5:9] + INLINE[13:14])
        self.filled[tag] = value
        return value

    def file_name(self, field: str, model_field: str, suffix: str) -> str:
        """A file name (``pdf``, ``supplementary``): markup without a '/', which would make it a folder."""
        tag = self._tag(field)
        value = f"{tag} <img src=x onerror=\"{PWN}\"> \"><svg onload={PWN}>'{suffix}"
        self.filled[tag] = value
        self.models.setdefault(model_field, set()).add(tag)
        return value

    def every_value(self) -> dict[str, str]:
        """tag -> value, hand-written and filled."""
        return {**self.values, **self.filled}


TAG = re.compile(r"\bF\d{3}")


# -- the text fields of the contract, from the models -------------------------------------------

def _parts(annotation) -> tuple[type | None, list, int]:
    """(innermost type, every Annotated metadata on the way, list depth) of a field's annotation."""
    metadata: list = []
    depth = 0
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation, *meta = typing.get_args(annotation)
            for item in meta:  # Field(...) inside Annotated carries its own constraints (pattern, min_length)
                metadata += [item, *getattr(item, "metadata", [])]
        elif origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(args) != 1:
                return None, metadata, depth
            annotation = args[0]
        elif origin is list:
            annotation, depth = typing.get_args(annotation)[0], depth + 1
        else:
            return annotation, metadata, depth


def _validators(model: type[BaseModel], name: str, metadata: list) -> set[str]:
    found = {getattr(getattr(m, "func", None), "__name__", "") for m in metadata} - {""}
    found |= {"pattern" for m in metadata if getattr(m, "pattern", None)}
    found |= {f"{d.func.__name__}" for d in model.__pydantic_decorators__.field_validators.values() if name in d.info.fields}
    return found


def text_fields(root: type[BaseModel] = schema.Proceedings) -> dict[str, str]:
    """Every string field of every model reachable from ``root``: "Model.field" -> its kind.

    ``text`` (free text: `schema.Text` / `OptionalText`, checked for control characters only),
    ``texts`` (a list of such, at any depth), or ``checked: <validators>`` (ids, URLs, ORCID iDs,
    times, file names: a pattern or a validator limits what they may hold), or ``unchecked`` (a
    plain ``str`` with neither: a new field nobody decided about)."""
    out: dict[str, str] = {}
    seen: set[type] = set()
    todo = [root]
    while todo:
        model = todo.pop()
        if model in seen:
            continue
        seen.add(model)
        for name, info in model.model_fields.items():
            inner, metadata, depth = _parts(info.annotation)
            metadata += list(info.metadata)
            if isinstance(inner, type) and issubclass(inner, BaseModel):
                todo.append(inner)
            elif inner is str:
                validators = _validators(model, name, metadata)
                if "_text" in validators and validators <= {"_text", "_family_is_part_of_name"}:
                    out[f"{model.__name__}.{name}"] = "texts" if depth else "text"
                elif validators:
                    out[f"{model.__name__}.{name}"] = "checked: " + ", ".join(sorted(validators))
                else:
                    out[f"{model.__name__}.{name}"] = "unchecked"
    return out


def _model_of(annotation) -> type[BaseModel] | None:
    inner, _meta, _depth = _parts(annotation)
    return inner if isinstance(inner, type) and issubclass(inner, BaseModel) else None


def _valid(model: type[BaseModel], data: dict) -> bool:
    try:
        model.model_validate(data)
    except Exception:  # noqa: BLE001 - any validation error: the value does not fit here
        return False
    return True


def fill_every_text_field(c: Corpus, data: dict, model: type[BaseModel], path: str) -> None:
    """Give every text field that ``data`` (a ``model``, and the models inside it) leaves out a
    hostile value, unless that makes ``data`` invalid (a title on a keynote's slot, a family
    name that is not part of the name): those are written by hand. Records which model field holds
    which tag (`Corpus.models`)."""
    kinds = text_fields(model)
    if "speaker" in data and "speakers" in model.model_fields:  # Keynote's one-speaker form
        fill_every_text_field(c, data["speaker"], _model_of(model.model_fields["speakers"].annotation), f"{path}.speaker")
    for name, info in model.model_fields.items():
        where, key = f"{path}.{name}" if path else name, f"{model.__name__}.{name}"
        sub = _model_of(info.annotation)
        value = data.get(name)
        if sub is not None:
            if isinstance(value, dict):
                fill_every_text_field(c, value, sub, where)
            elif isinstance(value, list):
                for i, item in enumerate(value):
                    if isinstance(item, dict):
                        fill_every_text_field(c, item, sub, f"{where}[{i}]")
            elif value is None and name not in data and _valid(sub, {}):  # an optional part left out (labels, links)
                data[name] = {}
                fill_every_text_field(c, data[name], sub, where)
                if data[name] == {}:
                    del data[name]
            continue
        kind = kinds.get(key)
        if kind not in ("text", "texts"):
            continue
        strings = value if kind == "texts" else [value]
        flat = [x for item in (strings or []) for x in (item if isinstance(item, list) else [item]) if x not in (None, "")]
        if not flat:
            before, was_valid = data.get(name, _MISSING), _valid(model, data)
            data[name] = [c.fill(f"{where}[0]")] if kind == "texts" else c.fill(where)
            if not was_valid or _valid(model, data):  # (a part still missing a required field: filled next)
                flat = data[name] if kind == "texts" else [data[name]]
            else:  # this field cannot hold just anything here (see the hand-written values)
                c.filled.pop(next(reversed(c.filled)))
                if before is _MISSING:
                    del data[name]
                else:
                    data[name] = before
        for x in flat:
            for tag in TAG.findall(x) if isinstance(x, str) else ():
                c.models.setdefault(key, set()).add(tag)


_MISSING = object()


def hostile_workshop(root: Path) -> tuple[Corpus, Path, Path]:
    """Write a workshop with hostile text in every text field (and one PDF)."""
    c = Corpus()

    def person(field: str, **extra) -> dict:
        return {"name": c.line(f"{field}.name", short=True), "affiliation": c.line(f"{field}.affiliation"), **extra}

    papers = [
        SynthPaper(
            "evil", c.line("papers[0].title"),
            [person("papers[0].authors[0]", orcid="0000-0002-1825-0097", url="https://example.org/~mallory"),
             person("papers[0].authors[1]")],
            c.block("papers[0].abstract"), presentation="oral", pages=3, references_page=3,
            extra={"award": c.line("papers[0].award"), "supplementary": "evil-appendix.zip",
                   "links": {"code": "https://example.org/code?a=1&b=%3Cscript%3E'onmouseover='x", "video": "https://example.org/v"},
                   "errata": [{"date": "2031-12-10", "note": c.line("papers[0].errata[0].note")}],
                   # a paper type (its name a badge) and an organizer's decision (its reason in check's notes): filled below
                   "type": "short", "waive": [{"code": "pdf-author-variant"}]},
        ),
        SynthPaper("long", LONG + " " + c.line("papers[1].title"), [{"name": "Long " + "y" * 400}],
                   LONG + "\n\n" + c.block("papers[1].abstract"), presentation="poster", pages=None),
    ]
    # A family name is the first or last word(s) of the name: one hostile word, written by hand.
    family = c.fill("papers[1].authors[1].family", word=True)
    papers[1].authors.append({"name": c.fill("papers[1].authors[1].name") + " " + family, "family": family})
    papers[1].track = "graph"  # a track other than the first: its name is a badge
    papers[1].extra = {"pdf": c.file_name("papers[1].pdf", "Paper.pdf", ".pdf"),  # made a folder by build_hostile_site: "not a regular file"
                       "supplementary": c.file_name("papers[1].supplementary", "Paper.supplementary", ".zip")}
    keynotes = [{
        "id": "evil-talk", "title": c.line("keynotes[0].title"),
        "speaker": {**person("keynotes[0].speaker"), "honorific": c.line("keynotes[0].speaker.honorific", short=True)},
        "bio": c.block("keynotes[0].bio"), "abstract": c.block("keynotes[0].abstract"),
        "links": {"slides": "https://example.org/slides"},
    }]
    schedule = [
        {"start": "09:00", "end": "09:10", "title": c.line("schedule[0].title"), "kind": "opening"},
        {"start": "09:10", "end": "09:50", "keynote": "evil-talk"},
        {"start": "09:50", "end": "10:05", "paper": "evil"},
        {"start": "10:05", "end": "10:30", "panel": "evil-panel"},
        {"start": "10:30", "end": "11:00", "title": c.fill("schedule[4].title"), "kind": "poster-session", "papers": ["evil", "long"]},
    ]
    people = {
        "organizers": [person("people.organizers[0]")],
        "volunteers": [person("people.volunteers[0]")],
        "technical_committee": [person("people.technical_committee[0]")],
        # merges nobody (its variant names no one): shown nowhere, but loaded like any text
        "aliases": [{"name": c.fill("people.aliases[0].name"), "variants": [c.fill("people.aliases[0].variants[0]")]}],
        "distinct": [[c.fill("people.distinct[0][0]"), c.fill("people.distinct[0][1]")]],
        "orcids": [{"name": c.fill("people.orcids[0].name"), "orcid": "0000-0002-1825-0097"}],
    }
    panel = {"id": "evil-panel", "title": c.line("panel.title"), "description": c.block("panel.description"),
             "moderator": person("panel.moderator"), "panelists": [person("panel.panelists[0]")]}
    workshop = workshop_yaml(
        short_name=c.line("workshop.short_name", short=True),
        title=c.line("workshop.title"),
        booktitle=c.line("workshop.booktitle"),
        venue=c.line("workshop.venue"),
        location=c.line("workshop.location"),
        room=c.line("workshop.room"),
        format=c.line("workshop.format"),
        description=c.block("workshop.description"),
        overview=[c.block("workshop.overview[0]")],
        important_dates=[{"name": c.line("workshop.important_dates[0].name"), "date": "2031-09-01",
                          "note": c.line("workshop.important_dates[0].note")}],
        sponsors=[{"name": c.line("workshop.sponsors[0].name"), "level": c.line("workshop.sponsors[0].level"),
                   "url": "https://example.org/sponsor"}],
        presentations=[{"id": "oral"}, {"id": "spotlight"}, {"id": "poster"}],  # label and group: filled below
        tracks=[{"id": "main"}, {"id": "graph"}],
        paper_types=[{"id": "short", "page_limit": 8}],
    )
    invited = [person("invited_speakers_without_talk[0]")]
    cfp = {
        "intro": c.block("cfp.intro"),
        "topics": [{"name": c.line("cfp.topics[0].name"), "description": c.block("cfp.topics[0].description"),
                    "special_track": True, "items": [c.line("cfp.topics[0].items[0]")]}],
        "submission": [c.block("cfp.submission[0]")],
    }
    # Every text field the workshop above leaves out, from the models (labels, tracks, honorifics, ...).
    whole = {"workshop": workshop, "papers": [p.as_yaml() for p in papers], "keynotes": keynotes, "invited_speakers_without_talk": invited,
             "panel": panel, "schedule": schedule, "people": people, "cfp": cfp}
    fill_every_text_field(c, whole, schema.Proceedings, "")
    for paper, filled in zip(papers, whole["papers"], strict=True):
        paper.title, paper.authors, paper.abstract = filled["title"], filled["authors"], filled["abstract"]
        paper.extra = {k: v for k, v in filled.items() if k not in ("id", "title", "authors", "abstract", "presentation", "track")}
    conf, papers_dir = write_workshop(root, papers, keynotes=keynotes, schedule=schedule, people=people, panel=panel, workshop=workshop)
    import zipfile

    with zipfile.ZipFile(papers_dir / "evil-appendix.zip", "w") as archive:  # published: its button names labels.supplementary
        archive.writestr("appendix.txt", "Proofs.\n")
    import yaml

    data = yaml.safe_load((conf / "keynotes.yaml").read_text(encoding="utf-8"))
    data["invited_speakers_without_talk"] = invited
    (conf / "keynotes.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    (conf / "cfp.yaml").write_text(yaml.safe_dump(cfp, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return c, conf, papers_dir


#: A hand-written docs page that tries raw HTML and file inclusion (MyST and reST).
EVIL_DOC = f"""---
orphan: true
---
# Hand-written page

```{{raw}} html
<script>{PWN}</script>
```

```{{include}} /etc/passwd
```

```{{include}} ../../conf/workshop.yaml
```

```{{literalinclude}} /etc/passwd
```

```{{eval-rst}}
.. raw:: html

   <script>{PWN}</script>

.. include:: /etc/passwd
```

<script>{PWN}</script>
"""


def build_hostile_site(root: Path, run_build) -> tuple[Corpus, Path]:
    """The hostile workshop built with ``--strict`` (data never warns), then with EVIL_DOC added."""
    corpus, conf, papers = hostile_workshop(root)
    # Hostile data alone is no reason for any Sphinx warning: it is never parsed.
    assert run_build(root, "--strict") == 0
    # A folder where a file is expected: an error ("... is not a regular file") naming the file, shown on its page.
    long = next(p for p in __import__("yaml").safe_load((conf / "papers.yaml").read_text(encoding="utf-8"))["papers"] if p["id"] == "long")
    (papers / long["pdf"]).mkdir()
    (root / "docs").mkdir()
    (root / "docs" / "evil.md").write_text(EVIL_DOC, encoding="utf-8")
    assert run_build(root) == 0
    return corpus, root
