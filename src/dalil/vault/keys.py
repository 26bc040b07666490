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
#: Accepted range of each argon2id parameter in a key file (inclusive). The key file is
#: input: it travels inside backups, and a restored backup's key file is read at the next
#: unlock. Without bounds, a memory cost of 65,536,000,000 KiB overflowed argon2's 32-bit
#: field (a traceback), and a plausible 20 GiB made every unlock hang or run out of memory.
#: The upper bounds leave room to raise the defaults: RFC 9106's first recommended option
#: is 2 GiB with one pass; 4 GiB is twice that. ``memory_kib`` is KiB; argon2 itself also
#: needs at least 8 KiB per lane, checked apart.
KDF_BOUNDS: dict[str, tuple[int, int]] = {
    "time_cost": (1, 64),
    "memory_kib": (8, 4 * 1024 * 1024),
    "parallelism": (1, 64),
}
#: Salt length bounds in bytes (argon2 needs at least 8; dalil writes 16).
SALT_BYTES = (8, 64)
#: A genuine key file is about 300 bytes; anything much larger is not one.
MAX_KEYFILE_BYTES = 64 * 1024


class WrongPassphrase(UserError):
    code = "vault.passphrase"


class KeyFileError(WorkspaceError):
    code = "vault.keyfile"


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _unb64(text: str) -> bytes:
    return base64.b64decode(text, validate=True)


def check_kdf(kdf: dict[str, Any]) -> dict[str, Any]:
    """The argon2id settings of ``kdf`` if each is an integer within :data:`KDF_BOUNDS`;
    otherwise :class:`KeyFileError` naming the field (``vault.keyfile``), before any work
    is spent on them: a hostile key file must not hang or crash the unlock."""
    if kdf.get("alg") != "argon2id":
        raise KeyFileError(
            f"the key file is damaged: unknown key derivation {str(kdf.get('alg'))[:40]!r}"
        )
    checked: dict[str, Any] = {"alg": "argon2id"}
    for name, (low, high) in KDF_BOUNDS.items():
        value = kdf.get(name)
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            shown = value if isinstance(value, int) else type(value).__name__
            raise KeyFileError(
                f"the key file is damaged: kdf.{name} is {shown}, outside {low}..{high}; "
                "restore it from backup or use `dalil keys recover`"
            )
        checked[name] = value
    if checked["memory_kib"] < 8 * checked["parallelism"]:
        raise KeyFileError(
            "the key file is damaged: kdf.memory_kib is below 8 KiB per lane (parallelism)"
        )
    return checked


def derive(passphrase: str, salt: bytes, kdf: dict[str, Any]) -> bytes:
    """The 32-byte key-encryption key: argon2id over the passphrase with ``kdf``'s settings
    (checked against :data:`KDF_BOUNDS` first)."""
    cost = check_kdf(kdf)
    if not SALT_BYTES[0] <= len(salt) <= SALT_BYTES[1]:
        raise KeyFileError(
            f"the key file is damaged: the salt has {len(salt)} bytes, "
            f"outside {SALT_BYTES[0]}..{SALT_BYTES[1]}"
        )
    return hash_secret_raw(
        passphrase.encode("utf-8"),
        salt,
        time_cost=cost["time_cost"],
        memory_cost=cost["memory_kib"],
        parallelism=cost["parallelism"],
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
    kdf = check_kdf(dict(kdf or DEFAULT_KDF))
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


@dataclass(frozen=True)
class KeyFile:
    """A parsed key file whose fields all have the right types and sane ranges."""

    key_id: int
    kdf: dict[str, Any]
    salt: bytes
    sealed: bytes


def parse_keyfile(raw: bytes, where: str = str(KEYFILE)) -> KeyFile:
    """Parse and check a key file's bytes (size, JSON, format, types, KDF bounds, salt).

    Used at unlock and by restore, which refuses a backup carrying a hostile key file
    before writing anything. Errors are :class:`KeyFileError` naming ``where``.
    """
    if len(raw) > MAX_KEYFILE_BYTES:
        raise KeyFileError(
            f"the key file {where} is damaged: {len(raw)} bytes, a key file has under "
            f"{MAX_KEYFILE_BYTES}"
        )
    try:
        body = json.loads(raw.decode("utf-8"))
        if not isinstance(body, dict) or body.get("format") != "dalil-keyfile/1":
            raise KeyFileError(f"the key file {where} has an unknown format")
        kdf = dict(body["kdf"])
        salt = _unb64(kdf.pop("salt"))
        sealed = _unb64(body["master"])
        key_id = body["key_id"]
        if not isinstance(key_id, int) or isinstance(key_id, bool) or not 0 < key_id < 2**31:
            raise ValueError("key_id")
    except (ValueError, KeyError, TypeError, RecursionError) as err:
        raise KeyFileError(
            f"the key file {where} is damaged ({err.__class__.__name__}); "
            "restore it from backup or use `dalil keys recover`"
        ) from None
    cost = check_kdf(kdf)
    if not SALT_BYTES[0] <= len(salt) <= SALT_BYTES[1]:
        raise KeyFileError(
            f"the key file {where} is damaged: the salt has {len(salt)} bytes, "
            f"outside {SALT_BYTES[0]}..{SALT_BYTES[1]}"
        )
    return KeyFile(key_id, cost, salt, sealed)


def read_master(home: Path, passphrase: str) -> tuple[bytes, int]:
    """The master key and its id, from the key file and the passphrase."""
    path = home / KEYFILE
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise KeyFileError(f"no key file at {path}: the vault has not been created") from None
    parsed = parse_keyfile(raw, str(path))
    salt, sealed, key_id, kdf = parsed.salt, parsed.sealed, parsed.key_id, parsed.kdf
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
