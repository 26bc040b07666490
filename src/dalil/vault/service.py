"""The vault as one object: create or unlock, ingest, read, export, verify, manage keys.

    vault = Vault.unlock(ws, passphrase)
    result = vault.add(case_id, Path("video.mp4"), actor="investigator-2", source="WhatsApp")
    vault.export_bundle(case_id, Path("case.zip"), actor="investigator-2")

:class:`Vault` is put together from its parts, one module each: reading
(:mod:`~dalil.vault.reading`, which also holds the workspace, key ring and blob store),
ingest (:mod:`~dalil.vault.ingest`), tree heads and bundles (:mod:`~dalil.vault.export`),
verification (:mod:`~dalil.vault.verify`, with the checks in
:mod:`~dalil.vault.custody_checks`), key changes (:mod:`~dalil.vault.key_changes`) and
links to the records an item supports (:mod:`~dalil.vault.links`) and previews
(:mod:`~dalil.vault.thumbnails`).
This module opens a vault (create, unlock, recover) and re-exports the names callers
import from here.
"""

from __future__ import annotations

from dalil.errors import Conflict
from dalil.model.tables import utcnow
from dalil.vault import keys, ledger, shamir
from dalil.vault.custody_checks import read_checkpoint as read_checkpoint
from dalil.vault.custody_checks import verify_ledger as verify_ledger
from dalil.vault.ingest import Ingested as Ingested
from dalil.vault.ingest import Ingesting
from dalil.vault.key_changes import KeyChanges
from dalil.vault.links import Linking
from dalil.vault.tables import VaultState
from dalil.vault.thumbnails import Thumbnailing
from dalil.vault.verify import Verifying
from dalil.workspace import Workspace


class Vault(Ingesting, Verifying, KeyChanges, Linking, Thumbnailing):
    """An unlocked vault: every part's methods on one object."""

    @staticmethod
    def exists(ws: Workspace) -> bool:
        return (ws.home / keys.KEYFILE).exists()

    @classmethod
    def create(cls, ws: Workspace, passphrase: str, actor: str) -> Vault:
        if cls.exists(ws):
            raise Conflict("this workspace already has a vault key file")
        with ws.session() as s:
            if s.get(VaultState, 1) is not None:
                raise keys.KeyFileError(
                    "the vault exists but its key file is missing: restore it from backup "
                    "or use `dalil keys recover` with recovery shares"
                )
        master, signing = keys.new_master(), keys.new_signing_key()
        ring = keys.KeyRing(master, 1, signing)
        keys.write_keyfile(ws.home, master, 1, passphrase)
        try:
            with ws.session() as s:
                s.add(
                    VaultState(
                        id=1,
                        key_id=1,
                        signing_key=ring.sealed_signing_key(),
                        public_key=ring.public_key,
                        ledger_size=0,
                        created_at=utcnow(),
                    )
                )
                s.flush()
                ledger.append(
                    s,
                    [
                        ledger.make_entry(
                            "key_created",
                            actor,
                            detail={
                                "key_id": 1,
                                "public_key_fingerprint": ledger.fingerprint(ring.public_key),
                            },
                        )
                    ],
                )
                vault = cls(ws, ring)
                vault._sign(s)
        except BaseException:
            (ws.home / keys.KEYFILE).unlink(missing_ok=True)
            raise
        return vault

    @classmethod
    def unlock(cls, ws: Workspace, passphrase: str) -> Vault:
        master, key_id = keys.read_master(ws.home, passphrase)
        with ws.session() as s:
            st = ledger.state(s)
            if st.key_id != key_id:
                raise keys.KeyFileError(
                    f"the key file holds master key {key_id} but the vault uses key {st.key_id}"
                )
            signing = keys.load_signing_key(master, st.signing_key)
            ring = keys.KeyRing(master, key_id, signing)
            if ring.public_key != st.public_key:
                raise keys.KeyFileError("the signing key does not match the vault's public key")
        vault = cls(ws, ring)
        vault.store.clean_temp()
        return vault


def recover(ws: Workspace, shares: list[str], new_passphrase: str, actor: str) -> Vault:
    """Rebuild the key file from recovery shares (the passphrase or key file was lost)."""
    master = shamir.combine(shares)
    with ws.session() as s:
        st = ledger.state(s)
        signing = keys.load_signing_key(master, st.signing_key)
        key_id = st.key_id
    keys.write_keyfile(ws.home, master, key_id, new_passphrase)
    vault = Vault(ws, keys.KeyRing(master, key_id, signing))
    with ws.session() as s:
        ledger.lock(s)
        ledger.append(s, [ledger.make_entry("key_recovered", actor, detail={"key_id": key_id})])
    return vault
