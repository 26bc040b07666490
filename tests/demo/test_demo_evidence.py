"""The demo's evidence (issue 22, item 6): at least 25 fictional files of every kind an
investigation holds, made by the demo itself, each named, sourced, dated and attached to
the records it supports, the same bytes every build, and no witness identity in any."""

from __future__ import annotations

import io
import json
import struct
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import select

from dalil.access.identities import identity_key
from dalil.access.tables import WitnessIdentity
from dalil.demo import build_demo
from dalil.model.tables import Case, Record
from dalil.vault import holdings
from dalil.vault.crypto import open_sealed
from dalil.vault.service import Vault
from dalil.workspace import Workspace
from tests_support import DEMO_PASSPHRASE, make_settings


def _case_id(ws: Workspace) -> str:
    with ws.session() as s:
        return s.scalars(select(Case.id)).one()


def _described(ws: Workspace) -> list[dict[str, object]]:
    vault = Vault.unlock(ws, DEMO_PASSPHRASE)
    case_id = _case_id(ws)
    return [vault.describe(case_id, it.id, "tester") for it in vault.items(case_id)]


@pytest.fixture(scope="module")
def again(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    """A second demo with its vault, built apart from the shared one."""
    settings, _ = make_settings(tmp_path_factory.mktemp("again") / "ws", "sqlite")
    ws = Workspace.create(settings)
    result = build_demo(ws, vault=Vault.create(ws, DEMO_PASSPHRASE, "tester"))
    assert result.evidence == result.counts["evidence_items"] >= 25
    yield ws
    ws.close()


def test_demo_holds_25_named_sourced_items_of_every_kind(demo_ws: Workspace) -> None:
    items = _described(demo_ws)
    assert len(items) >= 25
    kinds = Counter(str(i["media_type"]) for i in items)
    assert kinds["image/jpeg"] >= 10 and kinds["application/pdf"] >= 4
    assert kinds["text/plain"] >= 10 and kinds["video/x-msvideo"] == 1
    assert kinds["image/gif"] == 1  # the video's preview
    names = set()
    for item in items:
        meta = item["metadata"]
        assert isinstance(meta, dict)
        for key in ("original_name", "source", "notes", "acquired_at", "acquired_by", "method"):
            assert meta[key], (meta["original_name"], key)
        assert "FICTIONAL" in str(meta["notes"]) or "fictional" in str(meta["source"])
        names.add(meta["original_name"])
    assert len(names) == len(items)  # each file has its own name
    derived = {str(i["derivation"]) for i in items if i["derived_from"]}
    assert derived == {"conversion", "translation"}


def test_photos_carry_capture_date_and_gps_of_the_fictional_towns(demo_ws: Workspace) -> None:
    photos = [i["metadata"] for i in _described(demo_ws) if i["media_type"] == "image/jpeg"]
    for meta in photos:
        assert isinstance(meta, dict)
        exif = meta["embedded"]["exif"]
        assert exif["DateTimeOriginal"].startswith("2025:03:")
        assert 35.0 < exif["gps_lat"] < 35.6 and 35.8 < exif["gps_lon"] < 36.0


def test_every_item_supports_a_record_of_its_case(demo_ws: Workspace) -> None:
    case_id = _case_id(demo_ws)
    with demo_ws.session() as s:
        items = holdings.evidence_items(s, case_id)
        links = holdings.records_of(s, case_id, [i.id for i in items])
        kinds: Counter[str] = Counter()
        for item in items:
            assert links[item.id], f"item {item.id} ({item.media_type}) supports no record"
            for record_id in links[item.id]:
                record = s.get(Record, record_id)
                assert record is not None and record.case_id == case_id
                kinds[record.kind] += 1
    assert {"event", "person", "burial_site", "source"} <= set(kinds)


def test_the_files_are_the_same_bytes_every_build(demo_ws: Workspace, again: Workspace) -> None:
    def digests(ws: Workspace) -> dict[str, str]:
        return {
            str(i["metadata"]["original_name"]): str(i["sha256"])  # type: ignore[index]
            for i in _described(ws)
        }

    first = digests(demo_ws)
    assert len(first) >= 25 and digests(again) == first


def test_video_is_a_motion_jpeg_avi_whose_frames_decode(demo_ws: Workspace) -> None:
    path = next((demo_ws.home / "demo" / "evidence").glob("VID_*.avi"))
    data = path.read_bytes()
    assert data[:4] == b"RIFF" and data[8:12] == b"AVI "
    assert struct.unpack("<I", data[4:8])[0] == len(data) - 8
    frames = []
    at = data.index(b"movi") + 4
    while data[at : at + 4] == b"00dc":
        size = struct.unpack("<I", data[at + 4 : at + 8])[0]
        frames.append(data[at + 8 : at + 8 + size])
        at += 8 + size + size % 2
    assert data[at : at + 4] == b"idx1" and len(frames) >= 16
    total = struct.unpack("<I", data[data.index(b"avih") + 24 : data.index(b"avih") + 28])[0]
    assert total == len(frames)
    for frame in frames:
        with Image.open(io.BytesIO(frame)) as img:
            assert img.format == "JPEG" and img.size == (480, 270)


def test_reports_are_readable_pdfs(demo_ws: Workspace) -> None:
    pdfs = sorted((demo_ws.home / "demo" / "evidence").glob("*.pdf"))
    assert len(pdfs) >= 4
    for path in pdfs:
        reader = PdfReader(path)
        text = " ".join(page.extract_text() for page in reader.pages)
        assert "FICTIONAL" in text and reader.metadata and reader.metadata.title


def test_no_witness_identity_in_any_evidence_file(demo_ws: Workspace) -> None:
    vault = Vault.unlock(demo_ws, DEMO_PASSPHRASE)
    with demo_ws.session() as s:
        key = identity_key(s, vault.ring)
        names: list[str] = []
        for row in s.scalars(select(WitnessIdentity)):
            names += json.loads(open_sealed(key, row.sealed, row.person_id.encode()))["names"]
    assert len(names) >= 10
    folder: Path = demo_ws.home / "demo" / "evidence"
    texts = [p.read_text("utf-8") for p in folder.glob("*.txt")]
    transcripts = [t for t in texts if "W-0" in t]
    assert len(transcripts) >= 10 and any("شاهد" in t for t in transcripts)
    for text in texts:
        for name in names:
            assert name not in text
