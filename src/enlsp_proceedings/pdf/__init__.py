"""PDF facts: what the camera-ready PDFs say, read once per content hash.

`extract` gives the facts of every paper's PDF (`extract_all`): `cache` remembers facts by
SHA-256 and hashes by file identity, `pool` reads new PDFs in bounded worker processes,
`read` reads one PDF (pypdf + PDFium) within its budgets, and `facts` holds the data types
(`PdfFacts` per file content, `PaperPdf` per paper, `PdfProblem`); `layout` finds headings,
the author block and the body's end from PDFium's text geometry; `thumbs` renders
first-page thumbnails; `supplementary` checks supplementary files; `active` finds active
content (PDF JavaScript, Launch actions, embedded files; ZIP entries that escape their folder);
`check` applies the camera-ready rules (page limits and policy per paper, review copies, authors
on page 1 against the metadata, wrong files, the organizers' waivers) to the facts. The data flows in from `model` only.
"""
