"""The vault as one object: create or unlock, ingest, read, export, verify, manage keys.

    vault = Vault.unlock(ws, passphrase)
    result = vault.add(case_id, Path("video.mp4"), actor="investigator-2", source="WhatsApp")
    vault.export_bundle(case_id, Path("case.zip"), actor="investigator-2")

An ingest is acknowledged (returned) only after the encrypted blob is durably in place and
its item row and ledger entry are committed in one transaction (security note B.2).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import uuid
import zipfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from dalil.access import audit, identities
from dalil.errors import Conflict, InvalidInput, NotFound, StorageError
from dalil.model.tables import Case, utcnow
from dalil.vault import failpoints, keys, ledger, merkle, metadata, shamir
from dalil.vault.blobs import BlobStore, Written
from dalil.vault.crypto import TamperedError, new_key, open_sealed, seal
from dalil.vault.tables import LedgerEntry, LedgerNode, VaultBlob, VaultItem, VaultState
from dalil.workspace import Workspace

BUNDLE_FORMAT = "dalil-bundle/1"
DERIVATIONS = ("redacted_copy", "transcript", "translation", "excerpt", "conversion")
#: the ledger actions that bring an evidence item into being (one entry per item)
INGEST_ACTIONS = ("ingest", "derive")


@dataclass(frozen=True)
class Ingested:
    item_id: str
    sha256: str
    size: int
    media_type: str
    ledger_index: int
    duplicate: bool


@dataclass
class VerifyReport:
    faults: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    blobs: int = 0
    entries: int = 0
    heads: int = 0

    @property
    def ok(self) -> bool:
        return not self.faults


def _meta_bytes(meta: dict[str, Any]) -> bytes:
    return json.dumps(meta, ensure_ascii=False, sort_keys=True, default=str).encode("utf-8")


def _stamp(moment: datetime | None) -> str | None:
    return None if moment is None else ledger.utc_stamp(moment)


def ledger_disagreements(it: VaultItem, entry: Mapping[str, Any]) -> list[str]:
    """What an item's row says that its ingest entry does not record, as short phrases.

    The ``vault_item`` row is plain data anyone with write access to the database can
    edit (point it at another blob, move it to another case, relabel it); its ingest entry
    is under the signed Merkle tree. So the entry is the reference and the row must agree
    with it field by field. Entries written before ingest entries carried ``item_id`` are
    checked on every other field."""
    detail = entry.get("detail")
    if not isinstance(detail, dict):
        detail = {}
    action = entry.get("action")
    if action not in INGEST_ACTIONS:
        return [f"the entry is a {action!r}, not an ingest"]
    out = []
    if "item_id" in detail and detail["item_id"] != it.id:
        out.append(f"the entry is the ingest of item {detail['item_id']}")
    if entry.get("item") != it.sha256:
        out.append(f"sha256 (the ledger records {entry.get('item')})")
    if entry.get("case") != it.case_id:
        out.append(f"case (the ledger records {entry.get('case')})")
    if detail.get("size") != it.size:
        out.append(f"size (the ledger records {detail.get('size')})")
    if detail.get("media_type") != it.media_type:
        out.append(f"media type (the ledger records {detail.get('media_type')})")
    if entry.get("actor") != it.created_by:
        out.append(f"creator (the ledger records {entry.get('actor')})")
    if detail.get("derived_from") != it.derived_from_id or (
        detail.get("derivation") != it.derivation
    ):
        out.append("derivation")
    if (action == "derive") != (it.derived_from_id is not None):
        out.append(f"kind (the ledger records a {action!r})")
    return out


class Vault:
    def __init__(self, ws: Workspace, ring: keys.KeyRing) -> None:
        self.ws = ws
        self.ring = ring
        self.store = BlobStore(ws.home / "vault")

    # -- opening --------------------------------------------------------------------

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

    # -- ingest ---------------------------------------------------------------------

    def add(
        self,
        case_id: str,
        path: Path,
        actor: str,
        *,
        acquired_at: datetime | None = None,
        acquired_by: str | None = None,
        method: str | None = None,
        source: str | None = None,
        notes: str | None = None,
        derived_from: str | None = None,
        derivation: str | None = None,
    ) -> Ingested:
        """Ingest one file into a case. Returns only once the item is durable."""
        where = str(path)
        if derivation is not None and derivation not in DERIVATIONS:
            raise InvalidInput(
                f"derivation must be one of {', '.join(DERIVATIONS)}", path="derivation"
            )
        if (derived_from is None) != (derivation is None):
            raise InvalidInput(
                "a derived item names both its original and how it was derived", path="derived_from"
            )
        try:
            st = path.stat()
        except FileNotFoundError:
            raise InvalidInput("no such file", path=where) from None
        except OSError as err:
            raise InvalidInput(f"cannot read file: {err.strerror}", path=where) from None
        if path.is_dir():
            raise InvalidInput("is a directory; give the files inside it", path=where)
        if st.st_size == 0:
            raise InvalidInput("file is empty (0 bytes); nothing to preserve", path=where)
        free = shutil.disk_usage(self.store.root).free
        if st.st_size + 64 * 1024 * 1024 > free:
            raise InvalidInput(
                f"not enough free disk: the file needs {st.st_size} bytes, {free} are free",
                path=where,
            )
        with self.ws.session() as s:
            if s.get(Case, case_id) is None:
                raise NotFound(f"no case {case_id}", path="case")
        dek = new_key()
        try:
            with open(path, "rb") as fh:
                written = self.store.write_temp(fh, dek)
        except FileNotFoundError:
            raise InvalidInput("file vanished while it was being read", path=where) from None
        except PermissionError:
            raise InvalidInput("permission denied", path=where) from None
        except OSError as err:
            raise StorageError(
                f"writing the encrypted copy failed: {err.strerror}; nothing was stored"
            ) from err
        if written.size != st.st_size:
            self.store.discard(written)
            raise InvalidInput(
                "file changed while it was being read; nothing was stored", path=where
            )
        media_type = metadata.sniff(written.head)
        meta = {
            "original_name": path.name,
            "acquired_at": _stamp(acquired_at),
            "acquired_by": acquired_by,
            "method": method,
            "source": source,
            "notes": notes,
            "embedded": metadata.embedded(path, media_type),
        }
        return self._commit(
            case_id, written, dek, media_type, meta, actor, derived_from, derivation
        )

    def _commit(
        self,
        case_id: str,
        written: Written,
        dek: bytes,
        media_type: str,
        meta: dict[str, Any],
        actor: str,
        derived_from: str | None,
        derivation: str | None,
    ) -> Ingested:
        placed_new = False
        try:
            with self.ws.session() as s:
                ledger.lock(s)
                blob = s.get(VaultBlob, written.sha256)
                if blob is None:
                    self.store.place(written)
                    placed_new = True
                    s.add(
                        VaultBlob(
                            sha256=written.sha256,
                            size=written.size,
                            key_id=self.ring.key_id,
                            wrapped_key=seal(self.ring.master, dek, written.sha256.encode()),
                            stored_at=utcnow(),
                        )
                    )
                else:
                    self.store.discard(written)
                existing = s.scalars(
                    select(VaultItem).where(
                        VaultItem.case_id == case_id, VaultItem.sha256 == written.sha256
                    )
                ).first()
                if derived_from is not None:
                    original = s.get(VaultItem, derived_from)
                    if original is None or original.case_id != case_id:
                        raise NotFound(f"no item {derived_from} in this case", path="derived_from")
                if existing is not None:
                    [index] = ledger.append(
                        s,
                        [
                            ledger.make_entry(
                                "reingest",
                                actor,
                                case=case_id,
                                item=written.sha256,
                                detail={"size": written.size},
                            )
                        ],
                    )
                    failpoints.hit("before_commit")
                    result = Ingested(
                        existing.id, written.sha256, written.size, existing.media_type, index, True
                    )
                else:
                    item_id = str(uuid.uuid4())
                    action = "derive" if derived_from else "ingest"
                    detail: dict[str, Any] = {
                        "size": written.size,
                        "media_type": media_type,
                        "item_id": item_id,  # so a deleted item row can still be named
                    }
                    if derived_from:
                        detail |= {"derived_from": derived_from, "derivation": derivation}
                    [index] = ledger.append(
                        s,
                        [
                            ledger.make_entry(
                                action, actor, case=case_id, item=written.sha256, detail=detail
                            )
                        ],
                    )
                    s.add(
                        VaultItem(
                            id=item_id,
                            case_id=case_id,
                            sha256=written.sha256,
                            size=written.size,
                            media_type=media_type,
                            metadata_sealed=seal(
                                self.ring.master, _meta_bytes(meta), item_id.encode()
                            ),
                            key_id=self.ring.key_id,
                            derived_from_id=derived_from,
                            derivation=derivation,
                            ingest_index=index,
                            created_at=utcnow(),
                            created_by=actor,
                        )
                    )
                    failpoints.hit("before_commit")
                    result = Ingested(
                        item_id, written.sha256, written.size, media_type, index, False
                    )
        except BaseException as err:
            self.store.discard(written)
            if placed_new:  # the row never committed: the placed blob must not linger
                self.store.path(written.sha256).unlink(missing_ok=True)
            if isinstance(err, OSError):
                raise StorageError(
                    f"storing the item failed: {err.strerror}; nothing was stored"
                ) from err
            raise
        try:
            failpoints.hit("after_commit_before_ack")
        except OSError as err:
            raise StorageError(
                f"the item was committed but not confirmed ({err.strerror}); "
                "`dalil vault list` shows whether it is there"
            ) from err
        return result

    # -- reading --------------------------------------------------------------------

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
            return audit.entries(s, audit.Query(case=case_id, limit=None))[::-1]

    # -- tree heads, bundles ---------------------------------------------------------

    @property
    def _head_copy(self) -> Path:
        """The last signed head, kept outside the database too: deleting the tree heads
        from the database does not make a rewritten history signable."""
        return self.store.root / "last_head.json"

    def _sign(self, session: Session) -> ledger.SignedHead:
        previous = read_checkpoint(self._head_copy) if self._head_copy.exists() else None
        head = ledger.sign_head(session, self.ring.signing, self.ring.public_key, previous)
        tmp = self._head_copy.with_suffix(".tmp")
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump(head.to_dict(), fh)
            fh.flush()
            os.fsync(fh.fileno())
        tmp.replace(self._head_copy)
        return head

    def checkpoint(self) -> ledger.SignedHead:
        with self.ws.session() as s:
            ledger.lock(s)
            return self._sign(s)

    def export_bundle(
        self,
        case_id: str,
        out: Path,
        actor: str,
        progress: Callable[[int, int], None] | None = None,
    ) -> ledger.SignedHead:
        """Write the evidence bundle of DESIGN.md for a case (originals decrypted)."""
        with self.ws.session() as s:
            ledger.lock(s)
            case = s.get(Case, case_id)
            if case is None:
                raise NotFound(f"no case {case_id}", path="case")
            items = list(
                s.scalars(
                    select(VaultItem)
                    .where(VaultItem.case_id == case_id)
                    .order_by(VaultItem.ingest_index)
                )
            )
            if not items:
                raise InvalidInput("this case has no evidence items to export", path="case")
            for it in items:  # never sign a bundle over an edited item
                self.held_to_ledger(s, it)
            ledger.append(
                s,
                [ledger.make_entry("export", actor, case=case_id, item=it.sha256) for it in items],
            )
            head = self._sign(s)
            manifest_items = []
            tmp = out.with_name(out.name + ".part")
            with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as zf:
                seen: set[str] = set()
                for n, it in enumerate(items, start=1):
                    proof = ledger.inclusion_proof(s, it.ingest_index, head.tree_size)
                    manifest_items.append(
                        {
                            "path": f"evidence/{it.sha256}",
                            "sha256": it.sha256,
                            "size": it.size,
                            "media_type": it.media_type,
                            "ledger_index": it.ingest_index,
                            "entry": ledger.entry(s, it.ingest_index),
                            "inclusion_proof": [p.hex() for p in proof],
                        }
                    )
                    if it.sha256 not in seen:
                        seen.add(it.sha256)
                        dek = self._dek(s, it.sha256)
                        with zf.open(f"evidence/{it.sha256}", "w", force_zip64=True) as dst:
                            for chunk in self.store.read(it.sha256, dek):
                                dst.write(chunk)
                    if progress:
                        progress(n, len(items))
                manifest = {
                    "format": BUNDLE_FORMAT,
                    "case": {"id": case.id, "title": case.title},
                    "tree_head": head.to_dict(),
                    "items": manifest_items,
                }
                zf.writestr(
                    "manifest.json",
                    json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True),
                )
            with open(tmp, "rb") as fh:
                os.fsync(fh.fileno())
            tmp.replace(out)
            return head

    # -- verification ---------------------------------------------------------------

    def verify(
        self,
        checkpoints: list[ledger.SignedHead] | None = None,
        progress: Callable[[str], None] | None = None,
    ) -> VerifyReport:
        """Re-hash every blob and re-check the whole ledger and every tree head."""
        report = VerifyReport()
        say = progress or (lambda _m: None)
        with self.ws.session() as s:
            st = ledger.state(s)
            say("blobs")
            known: dict[str, str | None] = {}  # sha256 -> its fault, if any
            for blob in s.scalars(select(VaultBlob).order_by(VaultBlob.sha256)):
                report.blobs += 1
                fault = self._check_blob(blob)
                known[blob.sha256] = fault
                if fault:
                    report.faults.append(fault)
            for sha, path in self.store.stored():
                if sha not in known:
                    moved = self.store.move_to_quarantine(path)
                    report.notices.append(
                        f"orphan blob {sha} (never acknowledged) moved to {moved}"
                    )
            for it in s.scalars(select(VaultItem)):
                try:
                    open_sealed(self.ring.master, it.metadata_sealed, it.id.encode())
                except TamperedError:
                    report.faults.append(f"item {it.id} ({it.sha256}): metadata record altered")
            say("items against the ledger")
            report.faults += items_against_ledger(s, st.ledger_size, known)
            say("ledger")
            report.entries = st.ledger_size
            heads = list(ledger.all_heads(s))
            external = list(checkpoints or [])
            if self._head_copy.exists():
                external.append(read_checkpoint(self._head_copy))
            faults, roots = verify_ledger(
                s, st.ledger_size, {h.tree_size for h in heads + external}
            )
            report.faults.extend(faults)
            say("tree heads")
            report.faults += check_heads(heads, external, st.public_key, st.ledger_size, roots)
            report.heads += len(heads) + len(external)
        return report

    def _check_blob(self, blob: VaultBlob) -> str | None:
        path = self.store.path(blob.sha256)
        if not path.exists():
            return f"blob {blob.sha256}: file missing"
        try:
            dek = open_sealed(self.ring.master, blob.wrapped_key, blob.sha256.encode())
        except TamperedError:
            return f"blob {blob.sha256}: wrapped data key altered"
        digest, size = hashlib.sha256(), 0
        try:
            for chunk in self.store.read(blob.sha256, dek):
                digest.update(chunk)
                size += len(chunk)
        except TamperedError as err:
            return f"blob {blob.sha256}: {err}"
        if digest.hexdigest() != blob.sha256 or size != blob.size:
            return f"blob {blob.sha256}: content does not match its hash or size"
        return None

    # -- keys -----------------------------------------------------------------------

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
            identities.reseal_key(s, self.ring.master, new_master)
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


def items_against_ledger(
    session: Session, size: int, blobs: Mapping[str, str | None], batch: int = 2_000
) -> list[str]:
    """Faults of the evidence items held to the custody ledger (review finding H2).

    Each ``vault_item`` row must agree with its ingest entry at ``ingest_index`` (see
    :func:`ledger_disagreements`), that index must be inside the ledger's ``size`` entries
    and claimed by no other item, and the item's blob row and file must be there
    (``blobs``: every blob row's sha256 and its fault, from the blob pass). Every ingest
    entry must still have its item: a deleted row is named by the item id its entry
    records (entries from before ``item_id`` was recorded: by case and sha256). One pass
    over the items, their entries by primary key, and one scan of the ledger for entries
    that begin with an ingest action (no JSON parsing of the rest); memory O(items)."""
    faults: list[str] = []
    claimed: dict[int, str] = {}
    items = list(session.scalars(select(VaultItem).order_by(VaultItem.ingest_index)))
    entries: dict[int, str] = {}
    wanted = sorted({it.ingest_index for it in items if 0 <= it.ingest_index < size})
    for start in range(0, len(wanted), batch):
        chunk = wanted[start : start + batch]
        for idx, text in session.execute(
            select(LedgerEntry.idx, LedgerEntry.entry).where(LedgerEntry.idx.in_(chunk))
        ).tuples():
            entries[idx] = text
    for it in items:
        where = f"item {it.id} (case {it.case_id})"
        idx = it.ingest_index
        if not 0 <= idx < size:
            faults.append(f"{where}: its ingest index {idx} is beyond the ledger's {size} entries")
        elif idx in claimed:
            faults.append(f"{where}: claims ingest entry {idx}, which is item {claimed[idx]}'s")
        elif idx not in entries:
            faults.append(f"{where}: its ingest entry {idx} is missing from the ledger")
        else:
            claimed[idx] = it.id
            try:
                entry = json.loads(entries[idx])
            except ValueError:
                entry = None
            wrong = ledger_disagreements(it, entry) if isinstance(entry, dict) else ["not JSON"]
            if wrong:
                faults.append(f"{where}: disagrees with its ingest entry {idx}: {'; '.join(wrong)}")
        if it.sha256 not in blobs:
            faults.append(f"{where}: its blob {it.sha256} has no row in vault_blob")
        elif blobs[it.sha256] is not None:
            faults.append(f"{where}: its blob {it.sha256} is missing or damaged")
    ingests = session.execute(
        select(LedgerEntry.idx, LedgerEntry.entry)
        .where(or_(*(LedgerEntry.entry.startswith(f'{{"action":"{a}",') for a in INGEST_ACTIONS)))
        .order_by(LedgerEntry.idx)
    ).tuples()
    indexes = {it.ingest_index for it in items}
    for idx, text in ingests:  # canonical JSON: "action" is the first key
        if idx in indexes:
            continue  # claimed by an item; one that disagrees with it is reported above
        try:
            entry = json.loads(text)
            detail = entry.get("detail") or {}
            case, sha, item_id = entry.get("case"), entry.get("item"), detail.get("item_id")
        except (ValueError, AttributeError):
            continue  # the ledger pass reports an entry that is not JSON
        name = f"item {item_id}" if item_id else f"the item with sha256 {sha}"
        faults.append(
            f"ledger entry {idx}: {name} (case {case}) was ingested but is no longer in the "
            "vault (its row was deleted)"
        )
    return faults


class _Recomputed:
    """A :class:`~dalil.vault.merkle.HashSource` over hashes recomputed from entry text."""

    def __init__(self, levels: dict[int, dict[int, bytes]]) -> None:
        self.levels = levels

    def leaf(self, index: int) -> bytes:
        return self.levels[0][index]

    def perfect(self, level: int, index: int) -> bytes | None:
        return self.levels.get(level, {}).get(index)


def verify_ledger(
    session: Session, size: int, heads: Iterable[int] = (), batch: int = 20_000
) -> tuple[list[str], dict[int, bytes]]:
    """Every entry canonical and hashing to its leaf; every stored node recomputed.

    Also returns the roots at the tree sizes in ``heads``, computed in the same pass from
    the entry text (never from stored hashes); empty if any entry is missing.
    """
    faults: list[str] = []
    missing = False
    levels: dict[int, dict[int, bytes]] = {0: {}}
    expected = 0
    for start in range(0, max(size, 1), batch):
        rows = session.execute(
            select(LedgerEntry.idx, LedgerEntry.entry, LedgerEntry.leaf_hash)
            .where(LedgerEntry.idx >= start, LedgerEntry.idx < start + batch)
            .order_by(LedgerEntry.idx)
        ).all()
        for idx, text, leaf in rows:
            while expected < idx:
                faults.append(f"ledger entry {expected}: missing")
                expected += 1
                missing = True
            expected = idx + 1
            data = text.encode("utf-8")
            try:  # RFC 8785 for entries with ASCII keys and no floats, at C speed
                parsed = json.loads(text)
                if dumps_sorted(parsed) != text or _has_float(parsed):
                    faults.append(f"ledger entry {idx}: not in canonical form")
            except ValueError:
                faults.append(f"ledger entry {idx}: not valid JSON")
            actual = merkle.leaf_hash(data)
            if actual != leaf:
                faults.append(f"ledger entry {idx}: does not match its leaf hash")
            levels[0][idx] = actual
    while expected < size:
        faults.append(f"ledger entry {expected}: missing")
        expected += 1
        missing = True
    extra = session.scalar(select(LedgerEntry.idx).where(LedgerEntry.idx >= size).limit(1))
    if extra is not None:
        faults.append(f"ledger entry {extra}: beyond the recorded ledger size {size}")
    stored = {
        (lv, i): h
        for lv, i, h in session.execute(select(LedgerNode.level, LedgerNode.idx, LedgerNode.hash))
    }
    level = 0
    while len(levels[level]) > 1 or (level == 0 and levels[0]):
        nxt: dict[int, bytes] = {}
        current = levels[level]
        for i in range((max(current) + 1 if current else 0) // 2):
            left, right = current.get(2 * i), current.get(2 * i + 1)
            if left is None or right is None:
                continue
            h = merkle.node_hash(left, right)
            nxt[i] = h
            if stored.pop((level + 1, i), None) != h:
                faults.append(f"ledger node ({level + 1}, {i}): missing or altered")
        level += 1
        levels[level] = nxt
        if not nxt:
            break
    for level_idx in sorted(stored):
        faults.append(f"ledger node {level_idx}: not part of the ledger")
    src = _Recomputed(levels)
    roots = {} if missing else {n: merkle.root(src, n) for n in heads if n <= size}
    return faults, roots


def dumps_sorted(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _has_float(value: Any) -> bool:
    if isinstance(value, float):
        return True
    if isinstance(value, dict):
        return any(_has_float(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_float(v) for v in value)
    return False


def check_heads(
    heads: list[ledger.SignedHead], checkpoints: list[ledger.SignedHead], public_key: bytes,
    size: int, roots: dict[int, bytes],
) -> list[str]:  # fmt: skip
    """Faults of the workspace's own signed tree heads and of checkpoints kept outside it,
    against the ledger of ``size`` entries whose roots at each head's size are ``roots``
    (from :func:`verify_ledger`): another signing key, a bad signature, a head beyond the
    ledger (entries removed), a root the ledger no longer gives (entries changed), and own
    heads that shrink."""
    faults: list[str] = []
    previous = 0
    for head, outside in [(h, False) for h in heads] + [(h, True) for h in checkpoints]:
        label = f"{'checkpoint' if outside else 'tree head'} at size {head.tree_size}"
        if head.public_key != public_key:
            faults.append(f"{label}: signed by another key ({ledger.fingerprint(head.public_key)})")
        elif not head.signature_valid():
            faults.append(f"{label}: signature invalid")
        if head.tree_size > size:
            faults.append(f"{label}: beyond the ledger's {size} entries: entries were removed")
        elif roots and roots.get(head.tree_size) != head.root_hash:
            faults.append(
                f"{label}: the ledger's first {head.tree_size} entries no longer hash to it"
            )
        if not outside:
            if head.tree_size < previous:
                faults.append(f"{label}: smaller than an earlier head")
            previous = max(previous, head.tree_size)
    return faults


def read_checkpoint(path: Path) -> ledger.SignedHead:
    try:
        return ledger.SignedHead.from_dict(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise InvalidInput(
            f"not a dalil checkpoint ({err.__class__.__name__})", path=str(path)
        ) from None
