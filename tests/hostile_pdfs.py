"""Hostile PDFs, a few hundred bytes each, built byte by byte (shared by the reliability tests).

Each one is a valid PDF that costs its reader far more than its size: a content stream that
inflates to gigabytes, Form XObjects that draw each other exponentially often, a page five
thousand times taller than wide. Sizes are parameters so a test can keep them cheap.
"""

from __future__ import annotations

import zlib
from pathlib import Path


def _pdf(objects: list[bytes]) -> bytes:
    """A PDF whose object ``n`` (1-based) is ``objects[n-1]``; object 1 is the catalog."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _stream(data: bytes, extra: bytes = b"", compress: bool = False) -> bytes:
    if compress:
        data, extra = zlib.compress(data, 9), extra + b" /Filter /FlateDecode"
    return b"<< /Length %d%s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def _page(content: bytes, media_box: bytes = b"[0 0 612 792]", resources: bytes = b"<< /Font << /F1 4 0 R >> >>") -> list[bytes]:
    return [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox " + media_box + b" /Resources " + resources + b" /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        content,
    ]


def text_pdf(title: str = "A Small Honest Paper") -> bytes:
    """One page with a line of text: what a harmless PDF looks like in this format."""
    return _pdf(_page(_stream(b"BT /F1 12 Tf 72 700 Td (" + title.encode("latin-1") + b") Tj ET")))


def flate_bomb(inflated_mb: int = 4096) -> bytes:
    """A page whose content stream is ``inflated_mb`` MB of spaces after FlateDecode (a few KB before).

    zlib's best ratio is about 1:1000, so the stream is built in 1 MB compressed pieces of spaces
    that all inflate to the same thing, and compressed twice (``[/FlateDecode /FlateDecode]``).
    """
    chunk = b" " * (1 << 20)
    compressor = zlib.compressobj(9)
    body = bytearray(compressor.compress(b"BT /F1 12 Tf 72 700 Td (bomb) Tj ET\n"))
    piece = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    for _ in range(inflated_mb):
        body += piece  # after a full flush each piece is self-contained: the same bytes again
    body += compressor.flush()
    outer = zlib.compress(bytes(body), 9)  # the repetitive inner stream compresses again: a few KB in all
    stream = b"<< /Length %d /Filter [/FlateDecode /FlateDecode] >>\nstream\n" % len(outer) + outer + b"\nendstream"
    return _pdf(_page(stream))


def xobject_bomb(levels: int = 8, fanout: int = 10) -> bytes:
    """Form XObjects ``levels`` deep, each drawing the next ``fanout`` times: fanout**levels glyphs."""
    objects = _page(_stream(b"/X0 Do"), resources=b"<< /XObject << /X0 6 0 R >> >>")
    for level in range(levels):
        number = 6 + level
        if level + 1 < levels:
            content = b"/X%d Do " % (level + 1) * fanout
            res = b"<< /XObject << /X%d %d 0 R >> >>" % (level + 1, number + 1)
        else:
            content = b"BT /F1 12 Tf 72 700 Td (" + b"x" * fanout + b") Tj ET"
            res = b"<< /Font << /F1 4 0 R >> >>"
        objects.append(_stream(content, b" /Type /XObject /Subtype /Form /BBox [0 0 612 792] /Resources " + res))
    return _pdf(objects)


def tall_page(width: int = 1, height: int = 5000) -> bytes:
    """A page ``height`` points tall and ``width`` wide (a 300 px wide thumbnail would be 1.5 million px tall)."""
    return _pdf(_page(_stream(b"BT /F1 1 Tf 0 10 Td (tall) Tj ET"), media_box=b"[0 0 %d %d]" % (width, height)))


def sparse_file(path: Path, size: int) -> Path:
    """A file of ``size`` bytes that starts like a PDF and costs no disk (a hole after the header)."""
    with open(path, "wb") as fh:
        fh.write(b"%PDF-1.7\n")
        fh.truncate(size)
    return path
