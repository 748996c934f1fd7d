"""First-page thumbnails of camera-ready PDFs, rendered once per PDF content.

Rendering uses pypdfium2 (PDFium, the engine of Chromium's PDF viewer), which copes
with far more real-world PDFs than a pure-Python renderer. Like the PDF facts of
`extract.py`, a thumbnail is cached by the PDF's SHA-256, so a rebuild renders only
new or changed PDFs. A PDF that PDFium cannot render simply has no thumbnail: pages
then show no image rather than a broken one.
"""

from __future__ import annotations

import io
import logging
import os
import tempfile
from pathlib import Path

THUMB_VERSION = 1
THUMB_WIDTH = 300  # px; shown at about half that size, so sharp on high-density screens
_COLORS = 64  # palette PNG: a text page needs few colours, and stays ~10 KB

log = logging.getLogger(__name__)


def render_first_page(pdf_path: Path, width: int = THUMB_WIDTH) -> bytes | None:
    """PNG bytes of page 1 scaled to ``width`` pixels, or None if PDFium cannot render it."""
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(str(pdf_path))
    except (pdfium.PdfiumError, OSError, ValueError) as exc:
        log.debug("cannot open %s: %s", pdf_path, exc)
        return None
    try:
        if len(document) == 0:
            return None
        page = document[0]
        page_width, _height = page.get_size()
        if page_width <= 0:
            return None
        bitmap = page.render(scale=width / page_width, may_draw_forms=False)
        image = bitmap.to_pil().convert("RGB")
        if image.width != width:  # rounding in PDFium: make the width exact
            image = image.resize((width, max(1, round(image.height * width / image.width))))
        out = io.BytesIO()
        image.quantize(_COLORS).save(out, "PNG", optimize=True)
        return out.getvalue()
    except (pdfium.PdfiumError, OSError, ValueError) as exc:
        log.debug("cannot render %s: %s", pdf_path, exc)
        return None
    finally:
        document.close()


class ThumbCache:
    """``<cache>/thumbs/<sha256>.png``; a ``.none`` marker remembers PDFs that cannot be rendered."""

    def __init__(self, cache_dir: Path):
        self.dir = Path(cache_dir) / "thumbs" / f"v{THUMB_VERSION}-{THUMB_WIDTH}"

    def path(self, sha256: str) -> Path:
        return self.dir / f"{sha256}.png"

    def get_or_render(self, sha256: str, pdf_path: Path) -> Path | None:
        target = self.path(sha256)
        failed = self.dir / f"{sha256}.none"
        if target.is_file():
            return target
        if failed.exists():
            return None
        self.dir.mkdir(parents=True, exist_ok=True)
        data = render_first_page(pdf_path)
        if data is None:
            failed.touch()
            return None
        fd, tmp = tempfile.mkstemp(dir=self.dir, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, target)
        return target


def thumbnails(pdfs: dict[str, tuple[str, Path]], cache_dir: Path) -> dict[str, Path]:
    """paper id -> cached PNG, for ``{paper id: (sha256, pdf path)}`` of the published PDFs."""
    cache = ThumbCache(cache_dir)
    out: dict[str, Path] = {}
    for paper_id, (sha256, path) in pdfs.items():
        png = cache.get_or_render(sha256, path)
        if png is not None:
            out[paper_id] = png
    return out


def png_size(path: Path) -> tuple[int, int]:
    """(width, height) from the PNG header, for the img tag's width/height (no layout shift)."""
    with open(path, "rb") as fh:
        head = fh.read(24)
    return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")
