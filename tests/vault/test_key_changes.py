"""Key changes (:mod:`dalil.vault.key_changes`): the identity key is the vault's, created
on first use and re-sealed by rotation; the vault loads without the access package."""

from __future__ import annotations

import subprocess
import sys

import pytest

from dalil.vault import key_changes, ledger
from dalil.vault.crypto import TamperedError, open_sealed
from dalil.vault.service import Vault
from dalil.workspace import Workspace
from tests_support import DEMO_PASSPHRASE


def test_the_identity_key_is_made_once_and_survives_rotation(ws: Workspace, vault: Vault) -> None:
    with ws.session() as s:
        assert ledger.state(s).identity_key is None
        key = key_changes.identity_key(s, vault.ring)
        assert key_changes.identity_key(s, vault.ring) == key
    old_master = vault.ring.master
    vault.rotate(DEMO_PASSPHRASE, "tester")
    with ws.session() as s:
        assert key_changes.identity_key(s, vault.ring) == key  # re-sealed, not replaced
        sealed = ledger.state(s).identity_key
        assert sealed is not None
        with pytest.raises(TamperedError):
            open_sealed(old_master, sealed, b"dalil-identity-key")
    reopened = Vault.unlock(ws, DEMO_PASSPHRASE)
    with ws.session() as s:
        assert key_changes.identity_key(s, reopened.ring) == key


def test_the_vault_imports_nothing_of_access() -> None:
    """The vault sits below access (docs/architecture.md): loading the whole vault, its
    service included, must not load any access module (it loaded audit and identities
    before issue 21). The workspace registers every package's tables by name
    (:mod:`dalil.model.registry`), so ``dalil.access.tables`` alone may be loaded."""
    code = (
        "import sys, dalil.vault.service, dalil.vault.bundle, dalil.vault.custody_log\n"
        "print(sorted(m for m in sys.modules if m.startswith('dalil.access.')\n"
        "             and m != 'dalil.access.tables'))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
