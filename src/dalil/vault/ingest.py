"""Ingest: a file becomes an evidence item of a case, encrypted, with its ledger entry.

An ingest is acknowledged (returned) only after the encrypted blob is durably in place and
its item row and ledger entry are committed in one transaction (security note B.2). The
same bytes are stored once (content-addressed by SHA-256); ingesting them again into a
case records a ``reingest``. A derived item (a redacted copy, a transcript ...) names its
original and how it was derived.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from dalil.errors import InvalidInput, NotFound, StorageError
from dalil.model.keys import new_id
from dalil.model.tables import Case, utcnow
from dalil.vault import failpoints, ledger, metadata
from dalil.vault.blobs import Written
from dalil.vault.crypto import new_key, seal
from dalil.vault.reading import Reading
from dalil.vault.tables import VaultBlob, VaultItem

DERIVATIONS = ("redacted_copy", "transcript", "translation", "excerpt", "conversion")


@dataclass(frozen=True)
class Ingested:
    item_id: str
    sha256: str
    size: int
    media_type: str
    ledger_index: int
    duplicate: bool


def _meta_bytes(meta: dict[str, Any]) -> bytes:
    return json.dumps(meta, ensure_ascii=False, sort_keys=True, default=str).encode("utf-8")


def _stamp(moment: datetime | None) -> str | None:
    return None if moment is None else ledger.utc_stamp(moment)


class Ingesting(Reading):
    """Ingest (a part of :class:`~dalil.vault.service.Vault`)."""

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
                    item_id = new_id()
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
