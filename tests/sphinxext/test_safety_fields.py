"""The hostile corpus covers every text field of the contract, derived from the models.

`hostile.text_fields` lists every string field of every model in ``model/schema.py``;
`hostile.fill_every_text_field` gives each one the hand-written workshop leaves out a hostile
value. So a field added to the schema is hostile in the safety tests at once (and its page is
checked in Chromium by `test_safety_browser`), and a plain ``str`` field with neither the text
rules nor a validator cannot be added without a decision.
"""

from __future__ import annotations

from enlsp_proceedings.model import schema
from enlsp_proceedings.model.load import load_proceedings
from hostile import PWN, hostile_workshop, text_fields


def test_every_string_field_is_free_text_or_checked_by_a_validator():
    kinds = text_fields()
    assert [field for field, kind in kinds.items() if kind == "unchecked"] == []
    # the ones readers see are free text, held to the text rules only
    for field in ("Labels.papers", "Labels.sponsors", "Workshop.short_name", "Paper.title", "Person.name", "Person.family",
                  "Track.name", "Presentation.label", "Slot.title", "Alias.variants", "People.distinct", "Topic.items"):
        assert kinds[field] in ("text", "texts"), field
    assert kinds["Paper.id"].startswith("checked") and kinds["Person.url"] == "checked: _http_url"
    assert {f"Labels.{name}" for name in schema.Labels.model_fields} <= set(kinds)


def test_the_hostile_workshop_has_a_payload_in_every_text_field(tmp_path):
    corpus, conf, _papers = hostile_workshop(tmp_path)
    kinds = text_fields()
    free = {field for field, kind in kinds.items() if kind in ("text", "texts")}
    assert {field for field in free if not corpus.models.get(field)} == set()
    assert corpus.models["Paper.pdf"] and corpus.models["Paper.supplementary"]  # file names, which reach messages
    values = corpus.every_value()
    for field in free:
        assert any(PWN in values[tag] for tag in corpus.models[field]), field
    # ... and it is valid metadata: every payload reaches the site
    proc = load_proceedings(conf)
    assert proc.workshop.labels.papers in values.values() and proc.workshop.labels.sponsors in values.values()
    assert all(track.name in values.values() for track in proc.workshop.track_list)
