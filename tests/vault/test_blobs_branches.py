"""Blob store housekeeping: what it lists as stored and which leftovers it removes."""

from __future__ import annotations

import io
import os
import time
from pathlib import Path

from dalil.vault import crypto
from dalil.vault.blobs import BlobStore


def test_stored_lists_blob_files_only(tmp_path: Path) -> None:
    store = BlobStore(tmp_path / "vault")
    key = crypto.new_key()
    written = store.write_temp(io.BytesIO(b"witness statement"), key)
    target = store.place(written)
    stray = store.blobs / "ab" / "cd" / "not-a-blob-dir"
    stray.mkdir(parents=True)
    names = [name for name, _ in store.stored()]
    assert "not-a-blob-dir" not in names
    assert names == [written.sha256]
    assert b"".join(store.read(target.name, key)) == b"witness statement"


def test_clean_temp_removes_only_abandoned_writes(tmp_path: Path) -> None:
    store = BlobStore(tmp_path / "vault")
    old = store.tmp / "old.part"
    fresh = store.tmp / "fresh.part"
    other = store.tmp / "note.txt"
    for p in (old, fresh, other):
        p.write_bytes(b"x")
    hours_ago = time.time() - 7200
    os.utime(old, (hours_ago, hours_ago))
    os.utime(other, (hours_ago, hours_ago))
    assert store.clean_temp(older_than_s=3600) == 1
    assert not old.exists()
    assert fresh.exists() and other.exists()
