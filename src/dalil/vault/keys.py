"""Workspace keys: a random master key, wrapped by a passphrase, split into recovery shares.

``<home>/keys/keyfile.json`` holds the master key sealed (AES-256-GCM) under a key derived
from the passphrase with argon2id; the argon2id parameters and salt are stored beside it
so they can be raised later. The master key never touches disk in the clear. It wraps:
each blob's data key, each item's metadata record, and the workspace's Ed25519 signing key
(which signs ledger tree heads). Changing the passphrase rewrites only the key file;
rotating the master key re-wraps those small values and re-encrypts no blob.

The Ed25519 *public* key is not secret: it is printed in checkpoints and bundles so that
anyone can verify them.
"""

from __future__ import annotations

import base64
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from argon2.low_level import Type, hash_secret_raw
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from dalil.errors import InvalidInput, UserError, WorkspaceError
from dalil.vault.crypto import TamperedError, new_key, open_sealed, seal

KEYFILE = Path("keys") / "keyfile.json"
#: argon2id cost: 3 passes over 64 MiB, 2 lanes (RFC 9106's second recommended option
#: trades memory for passes on small machines). About 0.3 s on the project's CI machine.
DEFAULT_KDF = {"alg": "argon2id", "time_cost": 3, "memory_kib": 65536, "parallelism": 2}
MIN_PASSPHRASE = 8


class WrongPassphrase(UserError):
    code = "vault.passphrase"


class KeyFileError(WorkspaceError):
    code = "vault.keyfile"


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _unb64(text: str) -> bytes:
    return base64.b64decode(text, validate=True)


def derive(passphrase: str, salt: bytes, kdf: dict[str, Any]) -> bytes:
    if kdf.get("alg") != "argon2id":
        raise KeyFileError(f"unknown key derivation {kdf.get('alg')!r}")
    return hash_secret_raw(
        passphrase.encode("utf-8"),
        salt,
        time_cost=int(kdf["time_cost"]),
        memory_cost=int(kdf["memory_kib"]),
        parallelism=int(kdf["parallelism"]),
        hash_len=32,
        type=Type.ID,
    )


@dataclass
class KeyRing:
    """The unlocked keys of a workspace (in memory only)."""

    master: bytes
    key_id: int
    signing: Ed25519PrivateKey

    @property
    def public_key(self) -> bytes:
        return self.signing.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )

    def sealed_signing_key(self) -> bytes:
        raw = self.signing.private_bytes(
            serialization.Encoding.Raw,
            serialization.PrivateFormat.Raw,
            serialization.NoEncryption(),
        )
        return seal(self.master, raw, b"dalil-signing-key")


def write_keyfile(
    home: Path, master: bytes, key_id: int, passphrase: str, kdf: dict[str, Any] | None = None
) -> None:
    """Seal ``master`` under ``passphrase`` into the key file, durably (temp, fsync, rename)."""
    if len(passphrase) < MIN_PASSPHRASE:
        raise InvalidInput(
            f"a passphrase needs at least {MIN_PASSPHRASE} characters", path="passphrase"
        )
    kdf = dict(kdf or DEFAULT_KDF)
    salt = os.urandom(16)
    kek = derive(passphrase, salt, kdf)
    body = {
        "format": "dalil-keyfile/1",
        "key_id": key_id,
        "kdf": kdf | {"salt": _b64(salt)},
        "master": _b64(seal(kek, master, f"dalil-master-{key_id}".encode())),
    }
    path = home / KEYFILE
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(body, fh, indent=1)
        fh.flush()
        os.fsync(fh.fileno())
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)
    fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def read_master(home: Path, passphrase: str) -> tuple[bytes, int]:
    """The master key and its id, from the key file and the passphrase."""
    path = home / KEYFILE
    try:
        body = json.loads(path.read_text(encoding="utf-8"))
        kdf = dict(body["kdf"])
        salt = _unb64(kdf.pop("salt"))
        sealed = _unb64(body["master"])
        key_id = int(body["key_id"])
        if body.get("format") != "dalil-keyfile/1":
            raise KeyFileError("the key file has an unknown format")
    except FileNotFoundError:
        raise KeyFileError(f"no key file at {path}: the vault has not been created") from None
    except (ValueError, KeyError, TypeError) as err:
        raise KeyFileError(
            f"the key file {path} is damaged ({err.__class__.__name__}); "
            "restore it from backup or use `dalil keys recover`"
        ) from None
    try:
        return open_sealed(
            derive(passphrase, salt, kdf), sealed, f"dalil-master-{key_id}".encode()
        ), key_id
    except TamperedError:
        raise WrongPassphrase("wrong passphrase (or a damaged key file)") from None


def new_master() -> bytes:
    return new_key()


def new_signing_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def load_signing_key(master: bytes, sealed: bytes) -> Ed25519PrivateKey:
    try:
        raw = open_sealed(master, sealed, b"dalil-signing-key")
    except TamperedError:
        raise KeyFileError("the signing key does not open with this master key") from None
    return Ed25519PrivateKey.from_private_bytes(raw)


def passphrase_from_env() -> str | None:
    """The vault passphrase given to a non-interactive process: ``DALIL_PASSPHRASE``, or
    the first line of the file named by ``DALIL_PASSPHRASE_FILE`` (for systemd credentials
    or a secrets mount; the file should be readable by the service account only)."""
    value = os.environ.get("DALIL_PASSPHRASE")
    if value:
        return value
    path = os.environ.get("DALIL_PASSPHRASE_FILE")
    if path:
        try:
            first = Path(path).read_text(encoding="utf-8").splitlines()
        except OSError as err:
            raise KeyFileError(f"cannot read DALIL_PASSPHRASE_FILE: {err.strerror}") from None
        return first[0] if first and first[0] else None
    return None
