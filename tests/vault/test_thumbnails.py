"""Previews of evidence items (dalil.vault.thumbnails, dalil.vault.previews): made from
the original, kept encrypted in the derived-data store, read back as custody events."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from PIL import Image

from dalil.errors import NotFound
from dalil.records.cases import create_case
from dalil.vault import ledger, previews
from dalil.vault.service import Vault
from dalil.vault.thumbnails import preview_states
from dalil.workspace import Workspace

PASS = "correct horse battery"


def _cases(ws: Workspace) -> tuple[str, str]:
    with ws.session() as s:
        return create_case(s, "A", actor="t").id, create_case(s, "B", actor="t").id


def _photo(path: Path, size: tuple[int, int] = (1200, 800), fmt: str = "PNG") -> Path:
    Image.new("RGB", size, (200, 30, 30)).save(path, fmt)
    return path


def _entries(ws: Workspace) -> list[dict[str, object]]:
    with ws.session() as s:
        return [ledger.entry(s, i) for i in range(ledger.state(s).ledger_size)]


def test_an_image_gets_an_encrypted_thumbnail_and_each_view_is_recorded(
    ws: Workspace, tmp_path: Path
) -> None:
    vault = Vault.create(ws, PASS, "t")
    a, b = _cases(ws)
    item = vault.add(a, _photo(tmp_path / "street.png"), "amal")
    with ws.session() as s:
        assert preview_states(s, [item.sha256])[item.sha256].status == "pending"
    assert vault.missing_thumbnails(a) == [item.item_id]
    assert vault.make_thumbnail(a, item.item_id, "amal") == "ready"
    assert vault.missing_thumbnails(a) == []
    assert vault.make_thumbnail(a, item.item_id, "amal") == "ready"  # made once
    data = vault.thumbnail(a, item.item_id, "karim")
    assert data is not None and data[:3] == b"\xff\xd8\xff"
    with Image.open(io.BytesIO(data)) as im:
        assert max(im.size) == previews.EDGE and im.size == (320, 213)
    stored = vault.derived.path(item.sha256).read_bytes()
    assert data not in stored and b"JFIF" not in stored  # encrypted at rest
    made = [e for e in _entries(ws) if e["action"] == "thumbnail"]
    assert len(made) == 1 and made[0]["actor"] == "amal"
    views = [e for e in _entries(ws) if e["action"] == "view"]
    assert [(e["actor"], e["detail"]) for e in views] == [("karim", {"purpose": "thumbnail"})]
    with pytest.raises(NotFound):
        vault.thumbnail(b, item.item_id, "karim")  # another case's item
    vault.rotate(PASS, "t")  # re-wraps the original's key: the thumbnail stays readable
    assert Vault.unlock(ws, PASS).thumbnail(a, item.item_id, "karim") == data


def test_a_text_item_gets_an_excerpt_read_with_its_sealed_metadata(
    ws: Workspace, tmp_path: Path
) -> None:
    vault = Vault.create(ws, PASS, "t")
    a, _ = _cases(ws)
    f = tmp_path / "testimony.txt"
    f.write_text("شهادة الشاهد الأولى\n" + "x" * 2000, encoding="utf-8")
    item = vault.add(a, f, "amal", source="field interview", notes="first statement")
    assert vault.make_thumbnail(a, item.item_id, "amal") == "excerpt"
    assert vault.thumbnail(a, item.item_id, "amal") is None
    shown = vault.describe_many(a, [item.item_id, "no-such-item"], "karim")
    meta = shown[item.item_id]
    assert meta["original_name"] == "testimony.txt" and meta["source"] == "field interview"
    assert meta["excerpt"].startswith("شهادة الشاهد الأولى")
    assert len(meta["excerpt"]) == previews.EXCERPT_CHARS
    views = [e for e in _entries(ws) if e["action"] == "view"]
    assert [(e["actor"], e["detail"]) for e in views] == [("karim", {"purpose": "metadata"})]


def test_pdf_first_page_and_video_without_a_decoder(
    ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    vault = Vault.create(ws, PASS, "t")
    a, _ = _cases(ws)
    pdf = _photo(tmp_path / "report.pdf", (600, 850), "PDF")
    video = tmp_path / "clip.mp4"
    video.write_bytes(b"\x00\x00\x00\x18ftypmp42" + bytes(200))
    real_which = shutil.which
    monkeypatch.setattr(
        "dalil.vault.previews.shutil.which",
        lambda name: None if name == "ffmpeg" else real_which(name),
    )
    p = vault.add(a, pdf, "amal")
    v = vault.add(a, video, "amal")
    expected = "ready" if real_which("pdftoppm") else "none"
    assert vault.make_missing_thumbnails(a, "amal") == 2
    assert vault.make_thumbnail(a, p.item_id, "amal") == expected
    with ws.session() as s:
        state = preview_states(s, [v.sha256])[v.sha256]
    assert state.status == "none" and "ffmpeg" in (state.reason or "")


def test_a_lost_derived_file_is_made_again(ws: Workspace, tmp_path: Path) -> None:
    vault = Vault.create(ws, PASS, "t")
    a, _ = _cases(ws)
    item = vault.add(a, _photo(tmp_path / "p.png"), "amal")
    vault.make_thumbnail(a, item.item_id, "amal")
    vault.derived.path(item.sha256).unlink()  # as after restoring a backup
    assert vault.thumbnail(a, item.item_id, "amal") is None
    assert vault.missing_thumbnails(a) == [item.item_id]
    assert vault.make_thumbnail(a, item.item_id, "amal") == "ready"
    assert vault.thumbnail(a, item.item_id, "amal") is not None


def test_an_undecodable_image_has_no_preview_and_says_why(tmp_path: Path) -> None:
    bad = tmp_path / "bad.png"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + b"garbage" * 10)
    made = previews.render(bad, "image/png", tmp_path)
    assert made.status == "none" and made.reason == "the image could not be decoded"
    assert previews.render(bad, "audio/mpeg", tmp_path).reason == "a sound recording has no picture"
