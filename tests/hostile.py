"""A workshop whose every text field holds hostile strings (shared by the safety tests).

Each field gets a unique tag (``F017``) followed by the payloads, so a test can find a
field's value in any output and tell which field leaked. Script payloads set
``window.__pwned`` or call ``alert()``: a browser test checks neither happens.
"""

from __future__ import annotations

from pathlib import Path

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
    """Hands out tagged hostile values and remembers which field got which."""

    def __init__(self):
        self.values: dict[str, str] = {}  # tag -> value
        self.fields: dict[str, str] = {}  # tag -> field path

    def _tag(self, field: str) -> str:
        tag = f"F{len(self.values):03d}"
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
            extra={"award": c.line("papers[0].award"),
                   "links": {"code": "https://example.org/code?a=1&b=%3Cscript%3E'onmouseover='x", "video": "https://example.org/v"},
                   "errata": [{"date": "2031-12-10", "note": c.line("papers[0].errata[0].note")}]},
        ),
        SynthPaper("long", LONG + " " + c.line("papers[1].title"), [{"name": "Long " + "y" * 400}],
                   LONG + "\n\n" + c.block("papers[1].abstract"), presentation="poster", pages=None),
    ]
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
    ]
    people = {
        "organizers": [person("people.organizers[0]")],
        "volunteers": [person("people.volunteers[0]")],
        "technical_committee": [person("people.technical_committee[0]")],
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
    )
    conf, papers_dir = write_workshop(root, papers, keynotes=keynotes, schedule=schedule, people=people, panel=panel, workshop=workshop)
    invited = {"invited_speakers_without_talk": [person("invited_speakers_without_talk[0]")]}
    import yaml

    data = yaml.safe_load((conf / "keynotes.yaml").read_text(encoding="utf-8"))
    data.update(invited)
    (conf / "keynotes.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    cfp = {
        "intro": c.block("cfp.intro"),
        "topics": [{"name": c.line("cfp.topics[0].name"), "description": c.block("cfp.topics[0].description"),
                    "special_track": True, "items": [c.line("cfp.topics[0].items[0]")]}],
        "submission": [c.block("cfp.submission[0]")],
    }
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
    corpus, _conf, _papers = hostile_workshop(root)
    # Hostile data alone is no reason for any Sphinx warning: it is never parsed.
    assert run_build(root, "--strict") == 0
    (root / "docs").mkdir()
    (root / "docs" / "evil.md").write_text(EVIL_DOC, encoding="utf-8")
    assert run_build(root) == 0
    return corpus, root
