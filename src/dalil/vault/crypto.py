"""Authenticated encryption of blobs and keys (AES-256-GCM), streaming in chunks.

Blob format, version 1 (all integers big-endian)::

    magic "DALILBLB" (8) | version 0x01 (1) | chunk size (4) | nonce prefix (7)
    then chunks: AES-256-GCM(plaintext chunk) || 16-byte tag

Chunk i is sealed with nonce = prefix (7) || i (4 bytes) || last flag (1 byte, 0x01 on
the final chunk), and the 20-byte header as associated data: reordering, dropping,
truncating or extending chunks, or editing the header, all fail authentication (the
STREAM construction of Hoang, Reyhanitabar, Rogaway and Vizár, 2015). Every blob has its
own random 256-bit data key (DEK), so nonces never repeat under one key. The DEK is stored
wrapped by the workspace master key, which is why rotating the master key re-wraps DEKs
and never re-encrypts blobs. The version byte leaves room for another cipher later.
"""

from __future__ import annotations

import os
import struct
from collections.abc import Iterator
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

MAGIC = b"DALILBLB"
VERSION = 1
CHUNK = 1024 * 1024
HEADER = struct.Struct(">8sBI7s")
TAG = 16


class TamperedError(Exception):
    """Ciphertext failed authentication: it was altered, truncated or is not ours."""


def new_key() -> bytes:
    return AESGCM.generate_key(bit_length=256)


def seal(key: bytes, plaintext: bytes, context: bytes) -> bytes:
    """Encrypt a small secret (a key, a metadata record): nonce (12) || ciphertext+tag."""
    nonce = os.urandom(12)
    return nonce + AESGCM(key).encrypt(nonce, plaintext, context)


def open_sealed(key: bytes, sealed: bytes, context: bytes) -> bytes:
    try:
        return AESGCM(key).decrypt(sealed[:12], sealed[12:], context)
    except (InvalidTag, ValueError) as err:
        raise TamperedError("sealed value failed authentication") from err


def encrypt_stream(key: bytes, source: BinaryIO, chunk_size: int = CHUNK) -> Iterator[bytes]:
    """Yield the encrypted blob for ``source``: header, then sealed chunks (constant memory)."""
    header = HEADER.pack(MAGIC, VERSION, chunk_size, os.urandom(7))
    prefix = header[-7:]
    aead = AESGCM(key)
    yield header
    index = 0
    chunk = source.read(chunk_size)
    while True:
        following = source.read(chunk_size) if chunk else b""
        last = not following
        nonce = prefix + struct.pack(">IB", index, 1 if last else 0)
        yield aead.encrypt(nonce, chunk, header)
        if last:
            return
        chunk, index = following, index + 1


def decrypt_stream(key: bytes, source: BinaryIO) -> Iterator[bytes]:
    """Yield the plaintext of an encrypted blob; raise :class:`TamperedError` on any damage."""
    header = source.read(HEADER.size)
    if len(header) != HEADER.size:
        raise TamperedError("blob header truncated")
    magic, version, chunk_size, prefix = HEADER.unpack(header)
    if magic != MAGIC or version != VERSION or not 0 < chunk_size <= 64 * CHUNK:
        raise TamperedError("not a dalil blob of a known version")
    aead = AESGCM(key)
    index = 0
    sealed = source.read(chunk_size + TAG)
    while True:
        if len(sealed) < TAG:
            raise TamperedError("blob truncated")
        following = source.read(chunk_size + TAG)
        last = not following
        nonce = prefix + struct.pack(">IB", index, 1 if last else 0)
        try:
            yield aead.decrypt(nonce, sealed, header)
        except InvalidTag:
            raise TamperedError(f"blob chunk {index} failed authentication") from None
        if last:
            return
        if len(sealed) != chunk_size + TAG:
            raise TamperedError("blob has a short chunk before its end")
        sealed, index = following, index + 1
