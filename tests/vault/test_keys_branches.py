"""Passphrases and keys: refusals an operator meets when unlocking or creating a vault."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dalil.errors import InvalidInput
from dalil.vault import keys
from dalil.vault.crypto import new_key, seal

CHEAP_KDF = {"alg": "argon2id", "time_cost": 1, "memory_kib": 8, "parallelism": 1}


def test_short_passphrase_is_refused_and_no_key_file_written(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="at least 8 characters") as info:
        keys.write_keyfile(tmp_path, new_key(), 1, "short", CHEAP_KDF)
    assert info.value.path == "passphrase"
    assert not (tmp_path / keys.KEYFILE).exists()


@pytest.mark.parametrize("salt", [b"", bytes(7), bytes(65)])
def test_derive_refuses_a_salt_of_the_wrong_size(salt: bytes) -> None:
    with pytest.raises(keys.KeyFileError, match=f"the salt has {len(salt)} bytes"):
        keys.derive("a long enough passphrase", salt, CHEAP_KDF)


def test_signing_key_sealed_under_another_master_is_refused() -> None:
    raw = keys.new_signing_key().private_bytes_raw()
    sealed = seal(new_key(), raw, b"dalil-signing-key")
    with pytest.raises(keys.KeyFileError, match="does not open with this master key"):
        keys.load_signing_key(new_key(), sealed)


def test_signing_key_opens_with_its_master() -> None:
    master = new_key()
    signing = keys.new_signing_key()
    sealed = seal(master, signing.private_bytes_raw(), b"dalil-signing-key")
    loaded = keys.load_signing_key(master, sealed)
    assert loaded.public_key().public_bytes_raw() == signing.public_key().public_bytes_raw()


@pytest.fixture
def no_env_passphrase(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    monkeypatch.delenv("DALIL_PASSPHRASE", raising=False)
    monkeypatch.delenv("DALIL_PASSPHRASE_FILE", raising=False)
    return monkeypatch


def test_passphrase_from_env_variable_wins(
    no_env_passphrase: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    file = tmp_path / "pass"
    file.write_text("from the file\n")
    no_env_passphrase.setenv("DALIL_PASSPHRASE", "from the variable")
    no_env_passphrase.setenv("DALIL_PASSPHRASE_FILE", str(file))
    assert keys.passphrase_from_env() == "from the variable"


def test_passphrase_from_env_file_first_line(
    no_env_passphrase: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    file = tmp_path / "pass"
    file.write_text("the passphrase line\nsecond line ignored\n")
    no_env_passphrase.setenv("DALIL_PASSPHRASE_FILE", str(file))
    assert keys.passphrase_from_env() == "the passphrase line"


@pytest.mark.parametrize("content", ["", "\nafter an empty first line\n"])
def test_passphrase_from_env_empty_file_gives_none(
    no_env_passphrase: pytest.MonkeyPatch, tmp_path: Path, content: str
) -> None:
    file = tmp_path / "pass"
    file.write_text(content)
    no_env_passphrase.setenv("DALIL_PASSPHRASE_FILE", str(file))
    assert keys.passphrase_from_env() is None


def test_passphrase_from_env_unreadable_file_is_reported(
    no_env_passphrase: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    no_env_passphrase.setenv("DALIL_PASSPHRASE_FILE", str(tmp_path / "missing"))
    with pytest.raises(keys.KeyFileError, match="cannot read DALIL_PASSPHRASE_FILE"):
        keys.passphrase_from_env()


def test_passphrase_from_env_nothing_set(no_env_passphrase: pytest.MonkeyPatch) -> None:
    assert keys.passphrase_from_env() is None


@pytest.mark.parametrize("key_id", [0, -1, True, 2**31, "1", None])
def test_key_file_with_an_impossible_key_id_is_damaged(tmp_path: Path, key_id: object) -> None:
    keys.write_keyfile(tmp_path, new_key(), 1, "a long enough passphrase", CHEAP_KDF)
    path = tmp_path / keys.KEYFILE
    body = json.loads(path.read_text("utf-8"))
    assert keys.parse_keyfile(path.read_bytes()).key_id == 1
    body["key_id"] = key_id
    with pytest.raises(keys.KeyFileError, match=r"the key file here is damaged \(ValueError\)"):
        keys.parse_keyfile(json.dumps(body).encode(), "here")
