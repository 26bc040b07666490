"""Reading the vault: finding items, their metadata and bytes, each read in the ledger.

:class:`Reading` is also the root of :class:`~dalil.vault.service.Vault`: it holds the
workspace, the unlocked key ring and the blob store that the other parts (ingest, export,
verification, key changes) build on. Nothing of an item leaves the vault before its row is
held to its ingest entry in the custody ledger (:meth:`Reading.held_to_ledger`).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dalil.errors import InvalidInput, NotFound, StorageError
from dalil.vault import custody_log, keys, ledger, merkle
from dalil.vault.blobs import BlobStore
from dalil.vault.crypto import open_sealed, seal
from dalil.vault.custody_checks import ledger_disagreements
from dalil.vault.tables import LedgerEntry, VaultBlob, VaultItem
from dalil.workspace import Workspace


class Reading:
    """The vault's parts and its reads (see the module docstring)."""

    def __init__(self, ws: Workspace, ring: keys.KeyRing) -> None:
        self.ws = ws
        self.ring = ring
        self.store = BlobStore(ws.home / "vault")

    @staticmethod
    def item(session: Session, case_id: str, sha_or_id: str) -> VaultItem:
        found = session.get(VaultItem, sha_or_id)
        if found is None or found.case_id != case_id:
            found = (
                session.scalars(
                    select(VaultItem).where(
                        VaultItem.case_id == case_id,
                        VaultItem.sha256.startswith(sha_or_id, autoescape=True),
                    )
                ).first()
                if len(sha_or_id) >= 8
                else None
            )
        if found is None:
            raise NotFound(f"no evidence item {sha_or_id} in this case", path="item")
        return found

    def held_to_ledger(self, session: Session, it: VaultItem) -> None:
        """Refuse an item whose row disagrees with its ingest entry in the custody ledger.

        Called before any byte or metadata of an item leaves the vault (read, download,
        show, export): an item row edited in the database (pointed at another blob, moved
        to another case, relabelled) must not hand out the other file under this item's id
        or to another case's members. The entry itself is checked against the newest
        signed tree head when that head covers it (an inclusion proof: O(log n) lookups),
        so editing row and entry together is caught too."""
        where = f"item {it.id} (case {it.case_id})"
        row = session.get(LedgerEntry, it.ingest_index)
        if row is None:
            raise ledger.LedgerTampered(
                f"{where}: its ingest entry {it.ingest_index} is not in the custody ledger; "
                "refused (run `dalil vault verify`)",
            )  # fmt: skip
        try:
            entry = json.loads(row.entry)
        except ValueError:
            entry = None
        wrong = (
            ledger_disagreements(it, entry)
            if isinstance(entry, dict)
            else ["the entry is not JSON"]
        )
        head = ledger.latest_head(session)
        if (
            not wrong
            and head is not None
            and it.ingest_index < head.tree_size
            and head.public_key == self.ring.public_key
        ):
            leaf = merkle.leaf_hash(row.entry.encode("utf-8"))
            try:
                proof = ledger.inclusion_proof(session, it.ingest_index, head.tree_size)
            except ledger.LedgerTampered:
                proof = []
            if not head.signature_valid() or not merkle.verify_inclusion(
                it.ingest_index, head.tree_size, leaf, proof, head.root_hash
            ):
                wrong.append("the entry is not the one under the signed tree head")
        if wrong:
            raise ledger.LedgerTampered(
                f"{where} disagrees with its ingest entry {it.ingest_index} in the custody "
                f"ledger: {'; '.join(wrong)}. Refused; run `dalil vault verify`"
            )

    def items(self, case_id: str) -> list[VaultItem]:
        with self.ws.session() as s:
            return list(
                s.scalars(
                    select(VaultItem)
                    .where(VaultItem.case_id == case_id)
                    .order_by(VaultItem.ingest_index)
                )
            )

    def describe(self, case_id: str, sha_or_id: str, actor: str) -> dict[str, Any]:
        """An item's sealed metadata; recorded in the ledger as a view."""
        with self.ws.session() as s:
            ledger.lock(s)
            it = self.item(s, case_id, sha_or_id)
            self.held_to_ledger(s, it)
            meta = json.loads(open_sealed(self.ring.master, it.metadata_sealed, it.id.encode()))
            ledger.append(s, [ledger.make_entry("view", actor, case=case_id, item=it.sha256)])
            return {
                "id": it.id,
                "sha256": it.sha256,
                "size": it.size,
                "media_type": it.media_type,
                "ledger_index": it.ingest_index,
                "derived_from": it.derived_from_id,
                "derivation": it.derivation,
                "metadata": meta,
            }

    def _dek(self, session: Session, sha256: str) -> bytes:
        blob = session.get(VaultBlob, sha256)
        if blob is None:
            raise NotFound(f"no blob {sha256}")
        return open_sealed(self.ring.master, blob.wrapped_key, sha256.encode())

    def seal_with(self, session: Session, sha256: str, payload: bytes, context: bytes) -> bytes:
        """``payload`` sealed under the evidence key of blob ``sha256``: data derived from
        an item (facts proposed from a statement) is as protected as the item, and stays
        readable through key rotation, which re-wraps evidence keys without changing them."""
        return seal(self._dek(session, sha256), payload, context)

    def open_with(self, session: Session, sha256: str, sealed: bytes, context: bytes) -> bytes:
        """What :meth:`seal_with` sealed."""
        return open_sealed(self._dek(session, sha256), sealed, context)

    def read(self, session: Session, case_id: str, sha_or_id: str, actor: str, purpose: str,
             limit: int = 64 * 1024 * 1024) -> bytes:  # fmt: skip
        """An item's bytes (checked against its hash, at most ``limit``), recorded in the
        custody ledger as a ``view`` with its purpose, in the caller's transaction."""
        ledger.lock(session)
        it = self.item(session, case_id, sha_or_id)
        self.held_to_ledger(session, it)
        if it.size > limit:
            raise InvalidInput(f"item {it.sha256} is {it.size:,} bytes, more than "
                               f"{limit:,} can be read into memory")  # fmt: skip
        data = b"".join(self.store.read(it.sha256, self._dek(session, it.sha256)))
        if hashlib.sha256(data).hexdigest() != it.sha256:
            raise StorageError(
                f"item {it.sha256} does not match its hash; run `dalil vault verify`"
            )
        ledger.append(session, [ledger.make_entry("view", actor, case=case_id, item=it.sha256,
                                                  detail={"purpose": purpose[:200]})])  # fmt: skip
        return data

    def download(
        self, case_id: str, sha_or_id: str, out: Path, actor: str, purpose: str = "download"
    ) -> str:
        """Decrypt an item to ``out`` (checked against its hash); recorded as a download."""
        with self.ws.session() as s:
            ledger.lock(s)
            it = self.item(s, case_id, sha_or_id)
            self.held_to_ledger(s, it)
            dek = self._dek(s, it.sha256)
            digest = hashlib.sha256()
            tmp = out.with_name(out.name + ".part")
            with open(tmp, "wb") as fh:
                for chunk in self.store.read(it.sha256, dek):
                    digest.update(chunk)
                    fh.write(chunk)
            if digest.hexdigest() != it.sha256:
                tmp.unlink(missing_ok=True)
                raise StorageError(
                    f"item {it.sha256} does not match its hash; run `dalil vault verify`"
                )
            tmp.replace(out)
            ledger.append(
                s,
                [
                    ledger.make_entry(
                        "download",
                        actor,
                        case=case_id,
                        item=it.sha256,
                        detail={"purpose": purpose[:200]},
                    )
                ],
            )
            return it.sha256

    def log(self, case_id: str) -> list[dict[str, Any]]:
        """Every ledger entry of the case, oldest first."""
        with self.ws.session() as s:
            return custody_log.entries(s, custody_log.Query(case=case_id, limit=None))[::-1]
