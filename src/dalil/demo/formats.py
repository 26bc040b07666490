"""File formats the demo writes by hand, byte for byte, so they are the same every build:
a PDF report (text in the PDF base-14 fonts, a coloured letterhead, optionally one JPEG
photo), a Motion-JPEG AVI video and an animated GIF preview of it.

Why by hand: WeasyPrint takes seconds per document and stamps the time it ran; ffmpeg is
not installed. A PDF of text pages is a few objects and a cross-reference table
(ISO 32000-1, section 7.5); an MJPEG AVI is a RIFF file of JPEG frames with an index
(Microsoft's AVI RIFF reference), which players (VLC, mpv, ffmpeg) read. The PDF's text
is Latin-1 only (the base-14 fonts' WinAnsi encoding): Arabic documents of the demo are
text files, which keep any script.
"""

from __future__ import annotations

import io
import struct
import textwrap
from dataclasses import dataclass
from datetime import datetime

from PIL import Image

A4 = (595, 842)  # points
MARGIN = 56
FOOTER = "FICTIONAL DEMO DOCUMENT - every name, place and organisation in it is invented."


@dataclass(frozen=True)
class Photo:
    """A JPEG to place on a page: its bytes, its pixel size and its caption."""

    jpeg: bytes
    width: int
    height: int
    caption: str


def _escape(text: str) -> str:
    latin = text.encode("latin-1", "replace").decode("latin-1")
    return latin.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def _stamp(moment: datetime) -> str:
    """A PDF date (``D:YYYYMMDDHHmmSS+HH'mm'``) of an aware datetime."""
    offset = moment.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    sign = "+" if minutes >= 0 else "-"
    hh, mm = divmod(abs(minutes), 60)
    return f"D:{moment:%Y%m%d%H%M%S}{sign}{hh:02d}'{mm:02d}'"


def _lines(paragraphs: list[str], width: int = 92) -> list[str]:
    out: list[str] = []
    for para in paragraphs:
        if para.startswith("## "):
            out += ["", para]
            continue
        out += textwrap.wrap(para, width) or [""]
        out.append("")
    return out


def pdf(
    title: str,
    publisher: str,
    paragraphs: list[str],
    created: datetime,
    *,
    colour: tuple[float, float, float] = (0.13, 0.33, 0.47),
    photo: Photo | None = None,
) -> bytes:
    """A report as a PDF: a letterhead band with the publisher, the title, the paragraphs
    (a paragraph starting ``## `` is a heading) wrapped onto A4 pages with page numbers,
    ``photo`` (if any) on the first page, and an info dictionary (title, author,
    creation date) that ingest's metadata extraction reads."""
    lines = _lines(paragraphs)
    first_room = 40 if photo is None else 16
    pages = [lines[:first_room]] + [
        lines[i : i + 48] for i in range(first_room, len(lines), 48)
    ]  # fmt: skip
    objects: list[bytes] = []  # object n + 1 is objects[n]

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    catalog = add(b"")  # filled in once the page tree is known
    tree = add(b"")
    regular = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
                  b"/Encoding /WinAnsiEncoding >>")  # fmt: skip
    bold = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold "
               b"/Encoding /WinAnsiEncoding >>")  # fmt: skip
    image = None
    if photo is not None:
        head = (f"<< /Type /XObject /Subtype /Image /Width {photo.width} /Height {photo.height} "
                f"/ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode "
                f"/Length {len(photo.jpeg)} >>\nstream\n").encode()  # fmt: skip
        image = add(head + photo.jpeg + b"\nendstream")
    kids = []
    for n, page_lines in enumerate(pages):
        ops = _page_ops(title, publisher, page_lines, n, len(pages), colour)
        if n == 0 and photo is not None:
            w = A4[0] - 2 * MARGIN
            h = w * photo.height / photo.width
            y = 80
            caption = _escape(photo.caption)
            ops += [f"q {w:.1f} 0 0 {h:.1f} {MARGIN} {y} cm /Im1 Do Q",
                    f"BT /F1 9 Tf {MARGIN} {y - 14} Td ({caption}) Tj ET"]  # fmt: skip
        stream = "\n".join(ops).encode("latin-1")
        content = add(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        xobject = f" /XObject << /Im1 {image} 0 R >>" if n == 0 and image else ""
        kids.append(add(
            f"<< /Type /Page /Parent {tree} 0 R /MediaBox [0 0 {A4[0]} {A4[1]}] "
            f"/Resources << /Font << /F1 {regular} 0 R /F2 {bold} 0 R >>{xobject} >> "
            f"/Contents {content} 0 R >>".encode()
        ))  # fmt: skip
    objects[catalog - 1] = f"<< /Type /Catalog /Pages {tree} 0 R >>".encode()
    objects[tree - 1] = (
        f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] /Count {len(kids)} >>"
    ).encode()
    info = add(
        f"<< /Title ({_escape(title)}) /Author ({_escape(publisher)}) "
        f"/Producer (dalil demo, FICTIONAL) /CreationDate ({_stamp(created)}) "
        f"/ModDate ({_stamp(created)}) >>".encode("latin-1")
    )
    return _assemble(objects, catalog, info)


def _page_ops(
    title: str,
    publisher: str,
    lines: list[str],
    n: int,
    total: int,
    colour: tuple[float, float, float],
) -> list[str]:
    top = A4[1] - MARGIN
    r, g, b = colour
    ops = [f"{r} {g} {b} rg 0 {A4[1] - 40} {A4[0]} 40 re f",
           f"BT /F2 11 Tf 1 1 1 rg {MARGIN} {A4[1] - 26} Td ({_escape(publisher)}) Tj ET",
           f"BT /F1 8 Tf 0.4 0.4 0.4 rg {MARGIN} 30 Td ({FOOTER}   Page {n + 1} of {total}) "
           "Tj ET"]  # fmt: skip
    y = top - 20
    if n == 0:
        for part in textwrap.wrap(title, 58):
            ops.append(f"BT /F2 16 Tf 0 0 0 rg {MARGIN} {y} Td ({_escape(part)}) Tj ET")
            y -= 22
        y -= 8
    for line in lines:
        font = "/F2 11" if line.startswith("## ") else "/F1 10"
        text = line.removeprefix("## ")
        ops.append(f"BT {font} Tf 0.1 0.1 0.1 rg {MARGIN} {y} Td ({_escape(text)}) Tj ET")
        y -= 14
    return ops


def _assemble(objects: list[bytes], catalog: int, info: int) -> bytes:
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n"
        % (len(objects) + 1, catalog, info, xref)
    )
    return out.getvalue()


def _chunk(fourcc: bytes, data: bytes) -> bytes:
    return fourcc + struct.pack("<I", len(data)) + data + (b"\0" if len(data) % 2 else b"")


def _list(kind: bytes, data: bytes) -> bytes:
    return _chunk(b"LIST", kind + data)


def mjpeg_avi(frames: list[bytes], width: int, height: int, fps: int, created: datetime) -> bytes:
    """A Motion-JPEG AVI of ``frames`` (JPEG bytes, each ``width`` x ``height`` pixels)
    at ``fps`` frames a second, with an INFO list giving its creation date."""
    biggest = max(len(f) for f in frames)
    avih = struct.pack(
        "<10I4I", 1_000_000 // fps, biggest * fps, 0, 0x10, len(frames), 0, 1, biggest,
        width, height, 0, 0, 0, 0,
    )  # fmt: skip
    strh = b"vids" + b"MJPG" + struct.pack(
        "<IHHIIIIIIII4h", 0, 0, 0, 0, 1, fps, 0, len(frames), biggest, 0xFFFFFFFF, 0,
        0, 0, width, height,
    )  # fmt: skip
    strf = struct.pack("<IiiHH4sIiiII", 40, width, height, 1, 24, b"MJPG", width * height * 3,
                       0, 0, 0, 0)  # fmt: skip
    hdrl = _list(b"hdrl", _chunk(b"avih", avih) + _list(
        b"strl", _chunk(b"strh", strh) + _chunk(b"strf", strf)))  # fmt: skip
    info = _list(b"INFO", _chunk(b"ICRD", created.strftime("%Y-%m-%d").encode() + b"\0")
                 + _chunk(b"ISFT", b"dalil demo (FICTIONAL)\0"))  # fmt: skip
    movi, index, offset = b"", b"", 4  # offsets count from the 'movi' fourcc
    for frame in frames:
        chunk = _chunk(b"00dc", frame)
        index += b"00dc" + struct.pack("<III", 0x10, offset, len(frame))
        movi += chunk
        offset += len(chunk)
    body = b"AVI " + hdrl + info + _list(b"movi", movi) + _chunk(b"idx1", index)
    return b"RIFF" + struct.pack("<I", len(body)) + body


def gif(frames: list[Image.Image], frame_ms: int) -> bytes:
    """An animated GIF that loops, each frame shown ``frame_ms`` milliseconds."""
    out = io.BytesIO()
    palette = [f.convert("P", palette=Image.Palette.ADAPTIVE, colors=128) for f in frames]
    palette[0].save(out, "GIF", save_all=True, append_images=palette[1:], duration=frame_ms,
                    loop=0, optimize=False)  # fmt: skip
    return out.getvalue()
