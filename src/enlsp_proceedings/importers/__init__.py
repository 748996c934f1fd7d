"""Review-system import: accepted papers into ``conf/papers.yaml``, PDFs into ``papers/``.

`core` runs an import (`run_import`): `tables` reads the export's rows (CSV, XLSX, XML
spreadsheet, the organizers' JSON/YAML data files), `cmt` and `openreview` turn them into
`records.Imported` papers, and `papers_yaml` merges them into ``papers.yaml`` in place,
keeping comments and hand-made fields, and writes it atomically; `collect`
copies downloaded camera-ready PDFs into ``papers/`` under each paper's id.
"""
