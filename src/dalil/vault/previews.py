"""What a preview of an evidence item is made from: pictures and excerpts, no storage.

:func:`render` turns an item's decrypted original (a private temp file) into a
:class:`Rendered`: a JPEG thumbnail at most :data:`EDGE` pixels on its longer side for an
image (Pillow, EXIF orientation applied, no metadata carried over: GPS tags stay in the
original), the first page of a PDF (poppler's ``pdftoppm``), a frame one second into a
video when ``ffmpeg`` is installed, the first :data:`EXCERPT_CHARS` characters of a text
file; or no picture and a sentence saying why (no decoder installed, a kind with no
picture, a file that could not be decoded). It never raises for a bad file: a preview is a
convenience, the original is the evidence.

External decoders run with a time limit (:data:`TIMEOUT_S`) on a file in a private
directory. Storage, keys and the custody ledger are :mod:`dalil.vault.thumbnails`'.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

EDGE = 320  # pixels, the longer side of a thumbnail
EXCERPT_CHARS = 600
TIMEOUT_S = 60
#: images with more pixels than this are not decoded (a decompression bomb)
MAX_PIXELS = 120_000_000
IMAGE_TYPES = ("image/jpeg", "image/png", "image/gif", "image/tiff", "image/webp")
TEXT_TYPES = ("text/plain", "text/html")


@dataclass(frozen=True)
class Rendered:
    """A preview: ``picture`` (JPEG bytes), or ``excerpt`` (text), or neither and ``reason``."""

    picture: bytes | None = None
    excerpt: str | None = None
    reason: str | None = None

    @property
    def status(self) -> str:
        return "ready" if self.picture else "excerpt" if self.excerpt is not None else "none"


def _jpeg(source: Path | io.BytesIO) -> bytes:
    from PIL import Image, ImageOps

    with Image.open(source) as im:
        if im.width * im.height > MAX_PIXELS:
            raise ValueError("too many pixels")
        im.draft("RGB", (EDGE * 2, EDGE * 2))  # JPEG: decode at a reduced scale
        picture = ImageOps.exif_transpose(im).convert("RGB")
        picture.thumbnail((EDGE, EDGE))
        out = io.BytesIO()
        picture.save(out, "JPEG", quality=80)  # no exif= given: no metadata carried
        return out.getvalue()


def _image(path: Path) -> Rendered:
    try:
        return Rendered(picture=_jpeg(path))
    except ValueError:
        return Rendered(reason="the image is too large to preview")
    except Exception:  # any decoder failure means "no preview", never an error
        return Rendered(reason="the image could not be decoded")


def _run(argv: list[str], work: Path) -> bool:
    try:
        done = subprocess.run(argv, cwd=work, capture_output=True, timeout=TIMEOUT_S, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


def _pdf(path: Path, work: Path) -> Rendered:
    tool = shutil.which("pdftoppm")
    if tool is None:
        return Rendered(reason="no PDF renderer (poppler's pdftoppm) is installed on the server")
    out = work / "page"
    argv = [tool, "-f", "1", "-l", "1", "-singlefile", "-png", "-scale-to", str(EDGE * 2)]
    if not _run([*argv, str(path), str(out)], work) or not (work / "page.png").is_file():
        return Rendered(reason="the first page could not be rendered")
    return _image(work / "page.png")


def _video(path: Path, work: Path) -> Rendered:
    tool = shutil.which("ffmpeg")
    if tool is None:
        return Rendered(reason="no video decoder (ffmpeg) is installed on the server")
    frame = work / "frame.png"
    for at in ("1", "0"):  # a clip shorter than a second has only its first frame
        argv = [tool, "-nostdin", "-loglevel", "error", "-ss", at, "-i", str(path),
                "-frames:v", "1", "-y", str(frame)]  # fmt: skip
        if _run(argv, work) and frame.is_file():
            return _image(frame)
    return Rendered(reason="no frame could be decoded from the video")


def _text(path: Path) -> Rendered:
    with open(path, "rb") as fh:
        head = fh.read(EXCERPT_CHARS * 4)
    text = head.decode("utf-8", errors="replace")[:EXCERPT_CHARS]
    return Rendered(excerpt=text.replace("\r\n", "\n"))


def render(path: Path, media_type: str, work: Path) -> Rendered:
    """A preview of the file at ``path`` (sniffed as ``media_type``); ``work`` is a private
    scratch directory for decoders' output."""
    if media_type in IMAGE_TYPES:
        return _image(path)
    if media_type == "image/heic":
        return Rendered(reason="no HEIC decoder is installed on the server")
    if media_type == "application/pdf":
        return _pdf(path, work)
    if media_type.startswith("video/"):
        return _video(path, work)
    if media_type in TEXT_TYPES:
        return _text(path)
    if media_type.startswith("audio/"):
        return Rendered(reason="a sound recording has no picture")
    return Rendered(reason="no preview for this kind of file")
