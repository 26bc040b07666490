"""What an item is (media type from its bytes, never its name) and what it says about itself.

Berkeley Protocol practice: record the technical metadata an item carries (EXIF camera and
GPS tags of photos, a PDF's info dictionary, audio/video container tags) at ingest, from
the original bytes. Extraction never fails an ingest: a parser error is recorded as such.
Results are stored sealed with the item, because GPS tags and author names identify people.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

# (offset, signature, media type); the first match wins, longer signatures first.
SIGNATURES: tuple[tuple[int, bytes, str], ...] = (
    (0, b"\xff\xd8\xff", "image/jpeg"),
    (0, b"\x89PNG\r\n\x1a\n", "image/png"),
    (0, b"GIF87a", "image/gif"),
    (0, b"GIF89a", "image/gif"),
    (0, b"II*\x00", "image/tiff"),
    (0, b"MM\x00*", "image/tiff"),
    (0, b"%PDF-", "application/pdf"),
    (0, b"\x1aE\xdf\xa3", "video/x-matroska"),
    (0, b"ID3", "audio/mpeg"),
    (0, b"\xff\xfb", "audio/mpeg"),
    (0, b"OggS", "audio/ogg"),
    (0, b"fLaC", "audio/flac"),
    (0, b"7z\xbc\xaf\x27\x1c", "application/x-7z-compressed"),
    (0, b"\x1f\x8b", "application/gzip"),
    (0, b"{\\rtf", "application/rtf"),
)


def sniff(head: bytes) -> str:
    """Media type from the first bytes of a file."""
    for offset, signature, media_type in SIGNATURES:
        if head[offset : offset + len(signature)] == signature:
            return media_type
    if head[:4] == b"RIFF" and len(head) >= 12:
        return {b"WAVE": "audio/wav", b"WEBP": "image/webp", b"AVI ": "video/x-msvideo"}.get(
            head[8:12], "application/octet-stream"
        )
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in (b"heic", b"heix", b"mif1"):
            return "image/heic"
        if brand.startswith(b"M4A"):
            return "audio/mp4"
        if brand == b"qt  ":
            return "video/quicktime"
        return "video/mp4"
    if head[:4] == b"PK\x03\x04":
        if b"word/" in head:
            return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        if b"xl/" in head:
            return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        return "application/zip"
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as err:
        if err.start < len(head) - 4:  # not just a character cut at the sniffing boundary
            return "application/octet-stream"
        text = head[: err.start].decode("utf-8")
    if text and all(c.isprintable() or c in "\r\n\t\f" for c in text):
        lowered = text.lstrip().lower()
        return "text/html" if lowered.startswith(("<!doctype html", "<html")) else "text/plain"
    return "application/octet-stream"


def _gps(value: Any, ref: Any) -> float | None:
    try:
        d, m, s = (float(x) for x in value)
    except (TypeError, ValueError):
        return None
    sign = -1 if str(ref).upper() in ("S", "W") else 1
    return round(sign * (d + m / 60 + s / 3600), 7)


def _image(path: Path) -> dict[str, Any]:
    from PIL import ExifTags, Image

    with Image.open(path) as img:  # reads the header only; pixels are not decoded
        info: dict[str, Any] = {"width": img.width, "height": img.height, "format": img.format}
        exif = img.getexif()
        tags = {ExifTags.TAGS.get(k, str(k)): v for k, v in exif.items()}
        tags.update({ExifTags.TAGS.get(k, str(k)): v for k, v in exif.get_ifd(0x8769).items()})
        picked: dict[str, Any] = {
            k: str(tags[k])
            for k in ("Make", "Model", "DateTime", "DateTimeOriginal", "Software", "Artist")
            if k in tags
        }
        gps = {ExifTags.GPSTAGS.get(k, str(k)): v for k, v in exif.get_ifd(0x8825).items()}
        if "GPSLatitude" in gps and "GPSLongitude" in gps:
            picked["gps_lat"] = _gps(gps["GPSLatitude"], gps.get("GPSLatitudeRef"))
            picked["gps_lon"] = _gps(gps["GPSLongitude"], gps.get("GPSLongitudeRef"))
        if picked:
            info["exif"] = picked
        return info


def _pdf(path: Path) -> dict[str, Any]:
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    meta: dict[str, Any] = dict(reader.metadata or {})
    return {
        "pages": len(reader.pages),
        "info": {str(k).lstrip("/"): str(v) for k, v in meta.items()},
    }


def _av(path: Path) -> dict[str, Any] | None:
    ffprobe = shutil.which("ffprobe")
    if ffprobe is None:
        return None
    done = subprocess.run(
        [
            ffprobe,
            "-v",
            "quiet",
            "-print_format",
            "json",
            "-show_format",
            "-show_streams",
            str(path),
        ],
        capture_output=True,
        timeout=60,
        check=False,
    )
    if done.returncode != 0:
        return {"error": "ffprobe could not read the file"}
    data = json.loads(done.stdout or b"{}")
    fmt = data.get("format", {})
    return {
        "container": fmt.get("format_name"),
        "duration_s": fmt.get("duration"),
        "tags": fmt.get("tags", {}),
        "streams": [
            {k: s.get(k) for k in ("codec_type", "codec_name", "width", "height")}
            for s in data.get("streams", [])
        ],
    }


def embedded(path: Path, media_type: str) -> dict[str, Any]:
    """Embedded metadata of the file at ``path``; ``{"error": ...}`` if it cannot be read."""
    try:
        if media_type.startswith("image/"):
            return _image(path)
        if media_type == "application/pdf":
            return _pdf(path)
        if media_type.startswith(("audio/", "video/")):
            return _av(path) or {"note": "ffprobe not installed; container metadata not read"}
    except Exception as err:  # any parser failure is recorded, never fatal
        return {"error": f"{err.__class__.__name__} while reading embedded metadata"}
    return {}


def sniff_file(path: Path) -> str:
    with open(path, "rb") as fh:
        return sniff(fh.read(8192))
