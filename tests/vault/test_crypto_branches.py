"""Blob decryption refuses foreign or damaged files instead of yielding wrong bytes."""

from __future__ import annotations

import io
import struct
from typing import BinaryIO, cast

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from dalil.vault import crypto
from dalil.vault.crypto import HEADER, MAGIC, TAG, TamperedError


def _blob(key: bytes, data: bytes, chunk_size: int) -> bytes:
    return b"".join(crypto.encrypt_stream(key, io.BytesIO(data), chunk_size=chunk_size))


def _decrypt(key: bytes, blob: bytes) -> bytes:
    return b"".join(crypto.decrypt_stream(key, io.BytesIO(blob)))


def test_round_trip_over_several_chunks() -> None:
    key = crypto.new_key()
    data = bytes(range(256)) * 5
    assert _decrypt(key, _blob(key, data, 100)) == data


@pytest.mark.parametrize(
    "header",
    [
        HEADER.pack(b"NOTDALIL", 1, 100, bytes(7)),  # another program's file
        HEADER.pack(MAGIC, 2, 100, bytes(7)),  # a version this code does not know
        HEADER.pack(MAGIC, 1, 0, bytes(7)),  # zero chunk size
        HEADER.pack(MAGIC, 1, 64 * crypto.CHUNK + 1, bytes(7)),  # absurd chunk size
    ],
)
def test_unknown_header_is_refused(header: bytes) -> None:
    with pytest.raises(TamperedError, match="not a dalil blob of a known version"):
        _decrypt(crypto.new_key(), header + bytes(40))


class _Segments(io.RawIOBase):
    """A stream that returns one given segment per read (like a pipe), never joining them."""

    def __init__(self, segments: list[bytes]) -> None:
        self.segments = segments

    def read(self, size: int = -1) -> bytes:
        return self.segments.pop(0) if self.segments else b""


def test_short_chunk_before_the_end_is_refused() -> None:
    # A chunk sealed as "not last" but shorter than the chunk size: it authenticates (same
    # key, nonce and header), yet a writer never produces it, so the blob was spliced.
    key = crypto.new_key()
    blob = _blob(key, bytes(300), 100)
    header, body = blob[: HEADER.size], blob[HEADER.size :]
    nonce = header[-7:] + struct.pack(">IB", 0, 0)
    short = AESGCM(key).encrypt(nonce, bytes(50), header)
    stream = _Segments([header, short, body[100 + TAG :]])
    chunks = crypto.decrypt_stream(key, cast(BinaryIO, stream))
    assert next(chunks) == bytes(50)
    with pytest.raises(TamperedError, match="short chunk before its end"):
        next(chunks)
