"""Media type from bytes, and embedded metadata: every kind of item an investigator adds."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from dalil.vault import metadata

OCTET = "application/octet-stream"


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b"RIFF\x00\x00\x00\x00WAVEfmt ", "audio/wav"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "image/webp"),
        (b"RIFF\x00\x00\x00\x00AVI LIST", "video/x-msvideo"),
        (b"RIFF\x00\x00\x00\x00XXXX", OCTET),
        (b"\x00\x00\x00\x18ftypheic", "image/heic"),
        (b"\x00\x00\x00\x18ftypmif1", "image/heic"),
        (b"\x00\x00\x00\x18ftypM4A ", "audio/mp4"),
        (b"\x00\x00\x00\x14ftypqt  ", "video/quicktime"),
        (b"\x00\x00\x00\x18ftypisom", "video/mp4"),
        (
            b"PK\x03\x04....[Content_Types].xmlword/document.xml",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            b"PK\x03\x04....[Content_Types].xmlxl/workbook.xml",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        (b"PK\x03\x04....mimetypeapplication/epub+zip", "application/zip"),
    ],
)
def test_sniff_containers(head: bytes, expected: str) -> None:
    assert metadata.sniff(head) == expected


def test_sniff_text_cut_inside_a_character_at_the_boundary_is_still_text() -> None:
    # The 8 KiB sniffing window can end in the middle of a multi-byte character.
    head = "شهادة".encode()
    assert metadata.sniff(head[:-1]) == "text/plain"
    assert metadata.sniff(b"  <!DOCTYPE html><p>" + "é".encode()[:1]) == "text/html"


def test_sniff_invalid_utf8_early_in_the_window_is_binary() -> None:
    assert metadata.sniff(b"ab\xc3(xyzxyzxyz") == OCTET


def test_sniff_file_reads_the_head_of_the_file(tmp_path: Path) -> None:
    path = tmp_path / "statement.bin"  # the name says nothing: bytes decide
    path.write_bytes(b"%PDF-1.7\n...")
    assert metadata.sniff_file(path) == "application/pdf"


def test_image_without_exif_gives_size_and_format_only(tmp_path: Path) -> None:
    path = tmp_path / "plain.png"
    Image.new("RGB", (7, 5)).save(path)
    assert metadata.embedded(path, "image/png") == {"width": 7, "height": 5, "format": "PNG"}


def test_image_with_camera_tags_but_no_gps(tmp_path: Path) -> None:
    path = tmp_path / "camera.jpg"
    exif = Image.Exif()
    exif[0x010F] = "Canon"  # Make
    exif[0x0110] = "EOS 5D"  # Model
    Image.new("RGB", (4, 3)).save(path, exif=exif)
    info = metadata.embedded(path, "image/jpeg")
    assert info["exif"] == {"Make": "Canon", "Model": "EOS 5D"}
    assert "gps_lat" not in info["exif"]


def test_audio_without_ffprobe_is_noted_not_failed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("dalil.vault.metadata.shutil.which", lambda name: None)
    path = tmp_path / "call.ogg"
    path.write_bytes(b"OggS" + bytes(60))
    assert metadata.embedded(path, "audio/ogg") == {
        "note": "ffprobe not installed; container metadata not read"
    }


def _fake_ffprobe(
    monkeypatch: pytest.MonkeyPatch, returncode: int, stdout: bytes
) -> list[list[str]]:
    calls: list[list[str]] = []

    def run(args: list[str], **kwargs: Any) -> subprocess.CompletedProcess[bytes]:
        calls.append(args)
        return subprocess.CompletedProcess(args, returncode, stdout, b"")

    monkeypatch.setattr("dalil.vault.metadata.shutil.which", lambda name: "/usr/bin/ffprobe")
    monkeypatch.setattr("dalil.vault.metadata.subprocess.run", run)
    return calls


def test_video_ffprobe_failure_is_recorded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _fake_ffprobe(monkeypatch, 1, b"")
    path = tmp_path / "clip.mkv"
    path.write_bytes(b"\x1aE\xdf\xa3" + bytes(60))
    assert metadata.embedded(path, "video/x-matroska") == {
        "error": "ffprobe could not read the file"
    }
    assert calls[0][0] == "/usr/bin/ffprobe" and calls[0][-1] == str(path)


def test_video_container_tags_and_streams_are_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = (
        b'{"format": {"format_name": "matroska,webm", "duration": "12.5",'
        b' "tags": {"title": "checkpoint"}},'
        b' "streams": [{"codec_type": "video", "codec_name": "h264", "width": 640,'
        b' "height": 480, "bit_rate": "1"}]}'
    )
    _fake_ffprobe(monkeypatch, 0, out)
    path = tmp_path / "clip.mkv"
    path.write_bytes(b"\x1aE\xdf\xa3" + bytes(60))
    assert metadata.embedded(path, "video/x-matroska") == {
        "container": "matroska,webm",
        "duration_s": "12.5",
        "tags": {"title": "checkpoint"},
        "streams": [{"codec_type": "video", "codec_name": "h264", "width": 640, "height": 480}],
    }


def test_other_media_types_carry_no_embedded_metadata(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("witness notes")
    assert metadata.embedded(path, "text/plain") == {}
