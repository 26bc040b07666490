"""Bundle and case-file verification refuses malformed input with a located fault."""

from __future__ import annotations

import base64
import json
import warnings
import zipfile
import zlib
from pathlib import Path

import pytest

from dalil.errors import InvalidInput
from dalil.vault import bundle

SHA = "ab" * 32
HEAD = {
    "tree_size": 1,
    "root_hash": "00" * 32,
    "timestamp": 0,
    "signature": base64.b64encode(bytes(64)).decode(),
    "public_key": base64.b64encode(bytes(32)).decode(),
}


def _zip(path: Path, entries: list[tuple[str, bytes]]) -> Path:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns on a duplicate name: wanted here
        with zipfile.ZipFile(path, "w") as zf:
            for name, data in entries:
                zf.writestr(name, data)
    return path


def test_public_key_of_the_wrong_length_is_a_located_error() -> None:
    with pytest.raises(InvalidInput, match="decodes to 16 bytes") as info:
        bundle.parse_public_key(base64.b64encode(bytes(16)).decode(), where="--key")
    assert info.value.path == "--key"


def test_public_key_as_export_prints_it_is_accepted() -> None:
    key = bytes(range(32))
    assert bundle.parse_public_key(" " + base64.b64encode(key).decode() + "\n") == key


def test_archive_with_too_many_entries_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bundle, "MAX_ENTRIES", 2)
    path = _zip(
        tmp_path / "b.zip", [("manifest.json", b"{}")] + [(f"evidence/{c * 64}", b"") for c in "ab"]
    )
    faults, summary = bundle.verify_bundle(path)
    assert faults == ["archive has 3 entries; more than 2 is refused"]
    assert summary["items"] == 0


def test_a_name_twice_in_the_archive_is_a_fault(tmp_path: Path) -> None:
    name = f"evidence/{SHA}"
    path = _zip(tmp_path / "b.zip", [("manifest.json", b"{}"), (name, b"a"), (name, b"b")])
    faults, _ = bundle.verify_bundle(path)
    assert faults == [f"{name!r}: appears twice in the archive"]


def test_archive_without_manifest_is_refused(tmp_path: Path) -> None:
    path = _zip(tmp_path / "b.zip", [(f"evidence/{SHA}", b"evidence bytes")])
    assert bundle.verify_bundle(path)[0] == ["manifest.json is missing or too large"]


@pytest.mark.parametrize(
    "manifest",
    [
        {"format": "dalil-bundle/2", "tree_head": HEAD, "items": []},
        {"format": "dalil-bundle/1", "tree_head": HEAD, "items": {"not": "a list"}},
    ],
)
def test_manifest_of_another_format_is_refused(tmp_path: Path, manifest: object) -> None:
    path = _zip(tmp_path / "b.zip", [("manifest.json", json.dumps(manifest).encode())])
    assert bundle.verify_bundle(path)[0] == [
        "manifest.json is not a valid dalil-bundle/1 manifest (ValueError)"
    ]


def test_oversized_case_file_is_refused_before_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bundle, "MAX_CASEFILE", 100)
    path = tmp_path / "case.html"
    path.write_text("<html>" + "x" * 200 + "</html>")
    faults, summary = bundle.verify_bundle(path)
    assert faults == [f"{path}: larger than 100 bytes; refused"]
    assert summary["kind"] == "case file"


APPENDIX = b'{"format": "' + bundle.APPENDIX_FORMAT.encode() + b'"}'


def test_pdf_attachment_embedded_file_without_stream() -> None:
    assert bundle.pdf_attachment(b"%PDF-1.7\n1 0 obj << /Type /EmbeddedFile >> endobj") is None


def test_pdf_attachment_stream_without_end() -> None:
    data = b"%PDF-1.7\n1 0 obj << /Type /EmbeddedFile >> stream\n" + APPENDIX
    assert bundle.pdf_attachment(data) is None


def test_pdf_attachment_skips_other_files_and_reads_an_unfiltered_appendix() -> None:
    other = b"1 0 obj << /Type /EmbeddedFile >> stream\nsome photo bytes\nendstream endobj\n"
    ours = b"2 0 obj << /Type /EmbeddedFile >> stream\n" + APPENDIX + b"\nendstream endobj\n"
    assert bundle.pdf_attachment(b"%PDF-1.7\n" + other + ours) == APPENDIX + b"\n"


def test_pdf_attachment_flate_appendix_is_decompressed() -> None:
    packed = zlib.compress(APPENDIX)
    data = (
        b"%PDF-1.7\n1 0 obj << /Type /EmbeddedFile /Filter /FlateDecode >> stream\n"
        + packed
        + b"\nendstream endobj\n"
    )
    assert bundle.pdf_attachment(data) == APPENDIX
