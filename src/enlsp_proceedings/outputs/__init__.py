"""Everything the site offers that is not a page: citations, calendars and data files.

`volume` joins the loaded data with the PDF facts into the one view every output reads
(URLs, slots and the page each slot links to, citation keys, people); `paths` spells every
site path (``papers/<id>.html``, ``authors/<slug>.html``...) once; `cite` writes BibTeX, RIS, CSL-JSON, ACL text and
Markdown; `ics` the calendars; `downloads` writes them, with the published PDFs, into a site
copy. ``schema/papers.schema.json`` is the published JSON Schema of ``papers.json``.
"""
