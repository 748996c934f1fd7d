"""PDF facts: what the camera-ready PDFs say, read once per content hash.

`extract` reads each PDF (pypdf + PDFium) in bounded worker processes and caches the facts
by SHA-256; `layout` finds headings, the author block and the body's end from PDFium's text
geometry; `thumbs` renders first-page thumbnails; `supplementary` checks supplementary
files; `check` applies the camera-ready rules (page limits, review copies, authors on page 1
against the metadata, wrong files) to the facts. The data flows in from `model` only.
"""
