"""Creating and unlocking a vault refuses a second vault, a lost key file, and a key file
or vault state that do not belong together."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from dalil.errors import Conflict
from dalil.vault import crypto, keys
from dalil.vault.service import Vault
from dalil.workspace import Workspace
from tests_support import DEMO_PASSPHRASE

CHEAP_KDF = {"alg": "argon2id", "time_cost": 1, "memory_kib": 8, "parallelism": 1}


def test_a_second_vault_is_refused(ws: Workspace, vault: Vault) -> None:
    with pytest.raises(Conflict, match="already has a vault key file"):
        Vault.create(ws, DEMO_PASSPHRASE, "tester")


def test_creating_over_a_vault_whose_key_file_was_lost_is_refused(
    ws: Workspace, vault: Vault
) -> None:
    (ws.home / keys.KEYFILE).unlink()
    with pytest.raises(keys.KeyFileError, match="its key file is missing"):
        Vault.create(ws, "a new passphrase here", "tester")


def test_unlock_refuses_a_key_file_of_another_key_id(ws: Workspace, vault: Vault) -> None:
    keys.write_keyfile(ws.home, crypto.new_key(), 2, DEMO_PASSPHRASE, CHEAP_KDF)
    with pytest.raises(keys.KeyFileError, match="holds master key 2 but the vault uses key 1"):
        Vault.unlock(ws, DEMO_PASSPHRASE)


def test_unlock_refuses_a_replaced_public_key(ws: Workspace, vault: Vault) -> None:
    assert Vault.unlock(ws, DEMO_PASSPHRASE).ring.public_key == vault.ring.public_key
    other = keys.new_signing_key().public_key().public_bytes_raw()
    with ws.engine.begin() as conn:
        conn.execute(text("UPDATE vault_state SET public_key = :k"), {"k": other})
    with pytest.raises(keys.KeyFileError, match="does not match the vault's public key"):
        Vault.unlock(ws, DEMO_PASSPHRASE)
