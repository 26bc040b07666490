"""Changes to the vault's keys: a new passphrase, recovery shares, rotation of the master
key; and the identity key, which the master key seals.

Every change is a custody-ledger entry. Rotation re-wraps every small value the master key
seals (data keys, metadata records, the signing key and the identity key) in one
transaction and re-encrypts no blob. The identity key (:func:`identity_key`) seals the
identity vault's entries (:mod:`dalil.access.identities`); it is the vault's because the
master key and the state row that hold it are.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from dalil.vault import keys, ledger, shamir
from dalil.vault.crypto import new_key, open_sealed, seal
from dalil.vault.reading import Reading
from dalil.vault.tables import VaultBlob, VaultItem

_IDENTITY_KEY_CONTEXT = b"dalil-identity-key"


def identity_key(session: Session, ring: keys.KeyRing) -> bytes:
    """The identity key, created (and sealed under the master key) on first use."""
    st = ledger.state(session)
    if st.identity_key is None:
        st.identity_key = seal(ring.master, new_key(), _IDENTITY_KEY_CONTEXT)
        session.flush()
    return open_sealed(ring.master, st.identity_key, _IDENTITY_KEY_CONTEXT)


def reseal_identity_key(session: Session, old_master: bytes, new_master: bytes) -> None:
    """Re-seal the identity key under a rotated master key (called by key rotation)."""
    st = ledger.state(session)
    if st.identity_key is not None:
        raw = open_sealed(old_master, st.identity_key, _IDENTITY_KEY_CONTEXT)
        st.identity_key = seal(new_master, raw, _IDENTITY_KEY_CONTEXT)


class KeyChanges(Reading):
    """Key changes (a part of :class:`~dalil.vault.service.Vault`)."""

    def change_passphrase(self, new_passphrase: str, actor: str) -> None:
        keys.write_keyfile(self.ws.home, self.ring.master, self.ring.key_id, new_passphrase)
        with self.ws.session() as s:
            ledger.lock(s)
            ledger.append(
                s,
                [
                    ledger.make_entry(
                        "passphrase_changed", actor, detail={"key_id": self.ring.key_id}
                    )
                ],
            )

    def shares(self, k: int, n: int, actor: str) -> list[str]:
        out = shamir.split(self.ring.master, k, n)
        with self.ws.session() as s:
            ledger.lock(s)
            ledger.append(
                s,
                [
                    ledger.make_entry(
                        "shares_issued",
                        actor,
                        detail={"key_id": self.ring.key_id, "recovery_shares": f"{k}-of-{n}"},
                    )
                ],
            )
        return list(out)

    def rotate(self, passphrase: str, actor: str) -> int:
        """New master key: re-wrap every data key, metadata record, the identity key and the
        signing key."""
        new_master = keys.new_master()
        new_id = self.ring.key_id + 1
        with self.ws.session() as s:
            ledger.lock(s)
            for blob in s.scalars(select(VaultBlob)):
                dek = open_sealed(self.ring.master, blob.wrapped_key, blob.sha256.encode())
                blob.wrapped_key, blob.key_id = seal(new_master, dek, blob.sha256.encode()), new_id
            for it in s.scalars(select(VaultItem)):
                meta = open_sealed(self.ring.master, it.metadata_sealed, it.id.encode())
                it.metadata_sealed, it.key_id = seal(new_master, meta, it.id.encode()), new_id
            reseal_identity_key(s, self.ring.master, new_master)
            ring = keys.KeyRing(new_master, new_id, self.ring.signing)
            st = ledger.state(s)
            st.signing_key, st.key_id = ring.sealed_signing_key(), new_id
            ledger.append(
                s,
                [
                    ledger.make_entry(
                        "key_rotated",
                        actor,
                        detail={"from_key_id": self.ring.key_id, "key_id": new_id},
                    )
                ],
            )
            s.flush()
            keys.write_keyfile(
                self.ws.home, new_master, new_id, passphrase
            )  # inside the transaction
        self.ring = ring
        return new_id
