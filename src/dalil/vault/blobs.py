"""Encrypted, content-addressed blob files under ``<home>/vault``.

Layout: ``blobs/ab/cd/<sha256>`` (the SHA-256 of the original bytes), ``tmp/`` for writes
in progress, ``quarantine/`` for files found without a database row (a crash between the
rename and the commit). A write is durable before it is acknowledged: temp file, fsync,
rename into place, fsync of the directory. On any write or fsync error the temp file is
removed and the error propagates: an fsync failure is never retried into a success
(PostgreSQL's "fsyncgate" lesson).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from dalil.vault import failpoints
from dalil.vault.crypto import CHUNK, decrypt_stream, encrypt_stream


@dataclass(frozen=True)
class Written:
    """A blob written to a temp file, not yet in place."""

    temp: Path
    sha256: str
    size: int
    head: bytes  # the first bytes of the original, for media-type sniffing


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class BlobStore:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.blobs = root / "blobs"
        self.tmp = root / "tmp"
        self.quarantine = root / "quarantine"
        for d in (self.blobs, self.tmp, self.quarantine):
            d.mkdir(parents=True, exist_ok=True, mode=0o700)

    def path(self, sha256: str) -> Path:
        return self.blobs / sha256[:2] / sha256[2:4] / sha256

    def write_temp(self, source: BinaryIO, key: bytes, chunk_size: int = CHUNK) -> Written:
        """Encrypt ``source`` into a temp file while hashing the plaintext; fsync it."""
        temp = self.tmp / f"{uuid.uuid4().hex}.part"
        digest = hashlib.sha256()
        size = 0
        head = b""

        class Tee:
            def read(self, n: int = -1) -> bytes:
                nonlocal size, head
                data = source.read(n)
                digest.update(data)
                if len(head) < 8192:
                    head += data[: 8192 - len(head)]
                size += len(data)
                return data

        try:
            with open(temp, "wb") as out:
                for piece in encrypt_stream(key, Tee(), chunk_size):  # type: ignore[arg-type]
                    out.write(piece)
                failpoints.hit("after_temp_write")
                out.flush()
                failpoints.hit("before_fsync")
                os.fsync(out.fileno())
            failpoints.hit("after_fsync_before_rename")
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
        return Written(temp, digest.hexdigest(), size, head)

    def place(self, written: Written) -> Path:
        """Move a finished temp file to its content address, durably."""
        target = self.path(written.sha256)
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        try:
            os.replace(written.temp, target)
            failpoints.hit("after_rename_before_dirsync")
            _fsync_dir(target.parent)
        except BaseException:
            written.temp.unlink(missing_ok=True)
            raise
        return target

    def discard(self, written: Written) -> None:
        written.temp.unlink(missing_ok=True)

    def read(self, sha256: str, key: bytes) -> Iterator[bytes]:
        with open(self.path(sha256), "rb") as fh:
            yield from decrypt_stream(key, fh)

    def stored(self) -> Iterator[tuple[str, Path]]:
        for path in self.blobs.glob("*/*/*"):
            if path.is_file():
                yield path.name, path

    def move_to_quarantine(self, path: Path) -> Path:
        target = self.quarantine / f"{path.name}.{uuid.uuid4().hex[:8]}"
        shutil.move(str(path), target)
        return target

    def clean_temp(self, older_than_s: float = 3600) -> int:
        """Remove temp files abandoned by crashed writes (not ones still being written)."""
        n = 0
        for leftover in self.tmp.glob("*.part"):
            if time.time() - leftover.stat().st_mtime > older_than_s:
                leftover.unlink(missing_ok=True)
                n += 1
        return n
