"""First-page thumbnails of camera-ready PDFs, rendered once per PDF content.

Rendering uses pypdfium2 (PDFium, the engine of Chromium's PDF viewer), which copes
with far more real-world PDFs than a pure-Python renderer. Like the PDF facts of
`read.py` (`cache.py`), a thumbnail is cached by the PDF's SHA-256, so a rebuild renders only
new or changed PDFs; a cold build renders it in the same pass (and the same worker
process) that reads the PDF's text, from the same open document. A PDF that PDFium
cannot render simply has no thumbnail: pages then show no image rather than a broken one.

A first page is mostly black text on white: it is stored as a 16-level grey PNG
(4 bits a pixel, ~6 KB for a page of text, against ~9 KB for the 64-colour palette used
before). A page with colour on it (a figure, a logo) keeps its colours in a 64-colour
palette.
"""

from __future__ import annotations

import io
import logging
from pathlib import Path

from enlsp_proceedings.util.files import write_atomically

THUMB_VERSION = 3  # 3: pages taller than THUMB_MAX_HEIGHT are cut to their top
THUMB_WIDTH = 300  # px; shown at about half that size, so sharp on high-density screens
#: A thumbnail is never taller than this (1.5 times its width; A4 and Letter pages are ~1.3-1.4):
#: a taller page, such as a MediaBox 5,000 times taller than wide, shows only its top, and
#: rendering it costs no more than a normal page.
THUMB_MAX_HEIGHT = 450
_COLORS = 64  # palette of a page with colour on it
_GREYS = 16  # grey levels of a black-and-white page: 4 bits a pixel, smooth enough for anti-aliased text
#: A page counts as coloured when this share of its pixels is visibly coloured (a few coloured
#: links or citations stay grey; a figure or a logo does not).
_COLOUR_SHARE = 0.005
_SATURATED = 48  # a channel differing from another by this much (of 255) is visible colour

#: Near-white and near-black snap to white and black (the faintest and darkest anti-aliasing
#: steps nobody sees at thumbnail size, which PNG compresses far better); the 14 levels in between
#: share the rest evenly.
_WHITE_FROM, _BLACK_TO = 224, 32
_GREY_LUT = [0 if v <= _BLACK_TO else _GREYS - 1 if v >= _WHITE_FROM else 1 + round((v - _BLACK_TO) * (_GREYS - 3) / (_WHITE_FROM - _BLACK_TO))
             for v in range(256)]
_GREY_PALETTE = [round(i * 255 / (_GREYS - 1)) for i in range(_GREYS) for _channel in range(3)]

log = logging.getLogger(__name__)


def _is_coloured(image) -> bool:
    from PIL import ImageChops

    red, green, blue = image.split()
    spread = ImageChops.lighter(ImageChops.difference(red, green), ImageChops.difference(green, blue))
    coloured = sum(spread.histogram()[_SATURATED:])
    return coloured > _COLOUR_SHARE * image.width * image.height


def page_png(page, width: int = THUMB_WIDTH, max_height: int = THUMB_MAX_HEIGHT) -> bytes | None:
    """PNG bytes of an open pypdfium2 page rendered exactly ``width`` pixels wide and at most
    ``max_height`` tall: a taller page is cut to its top (None if it has no size)."""
    page_width, page_height = page.get_size()
    if not (page_width > 0 and page_height > 0):
        return None
    # PDFium sizes the bitmap as ceil(page width * scale): aim a hair below the width so float
    # rounding never makes it one pixel wider (which would need a resampling pass).
    scale = (width - 1e-6) / page_width
    cut = max(0.0, page_height - (max_height - 1e-6) / scale)  # points cut off the bottom, before rendering
    bitmap = page.render(scale=scale, crop=(0, cut, 0, 0), may_draw_forms=False, rev_byteorder=True)
    image = bitmap.to_pil()
    if image.mode != "RGB":
        image = image.convert("RGB")
    if image.width != width:  # not expected; keep the promised width anyway
        image = image.resize((width, max(1, min(max_height, round(image.height * width / image.width)))))
    if image.height > max_height:
        image = image.crop((0, 0, width, max_height))
    if _is_coloured(image):
        out_image = image.quantize(_COLORS)
    else:
        out_image = image.convert("L").point(_GREY_LUT).convert("P")
        out_image.putpalette(_GREY_PALETTE)  # 16 entries: Pillow writes 4 bits a pixel
    out = io.BytesIO()
    out_image.save(out, "PNG")
    return out.getvalue()


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
        return page_png(document[0], width)
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
        """Where the thumbnail of the PDF with this content is kept."""
        return self.dir / f"{sha256}.png"

    def _failed(self, sha256: str) -> Path:
        return self.dir / f"{sha256}.none"

    def known(self, sha256: str) -> bool:
        """Rendered before (successfully or not)."""
        return self.path(sha256).is_file() or self._failed(sha256).exists()

    def get(self, sha256: str) -> Path | None:
        """The cached thumbnail of this PDF content, if one was rendered."""
        target = self.path(sha256)
        return target if target.is_file() else None

    def put(self, sha256: str, data: bytes | None) -> Path | None:
        """Store a rendered PNG (or, for None, remember that the PDF cannot be rendered). A cache
        that cannot be written (full, read-only) leaves the page without a thumbnail this time."""
        try:
            if data is None:
                self.dir.mkdir(parents=True, exist_ok=True)
                self._failed(sha256).touch()
                return None
            write_atomically(self.path(sha256), data)
        except OSError as exc:  # no half-written file stays behind
            log.warning("cannot cache a thumbnail in %s: %s", self.dir, exc.strerror or exc)
            return None
        return self.path(sha256)

    def get_or_render(self, sha256: str, pdf_path: Path) -> Path | None:
        """The thumbnail of this PDF, rendered now unless it was rendered (or failed) before."""
        if self.known(sha256):
            return self.get(sha256)
        return self.put(sha256, render_first_page(pdf_path))


def png_size(path: Path) -> tuple[int, int]:
    """(width, height) of a cached thumbnail, for the img tag's width/height (no layout shift).

    Pillow reads only the PNG's header (``Image.open`` is lazy: no pixel is decoded). A file that is
    not a readable PNG (empty, cut short, another format) gives (0, 0), as an empty file always did,
    and a warning; a missing file raises OSError, as before."""
    from PIL import Image

    with open(path, "rb") as fh:  # a file that cannot be opened raises, as before
        try:
            with Image.open(fh, formats=["PNG"]) as image:
                return image.size
        except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:  # UnidentifiedImageError is an OSError
            log.warning("thumbnail %s is not a readable PNG: %s", path, exc)
            return 0, 0
