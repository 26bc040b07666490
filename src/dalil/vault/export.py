"""Signed tree heads and evidence bundles: what the vault signs and hands out.

A new head is signed only over a ledger that still extends the last head signed, both the
one in the database and the copy kept beside the blobs (``last_head.json``), so deleting
the heads from the database does not make a rewritten history signable. A bundle is the
DESIGN.md evidence bundle of a case: its originals (decrypted), each with its ingest entry
and an inclusion proof under a head signed for the export.
"""

from __future__ import annotations

import json
import os
import zipfile
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from dalil.errors import InvalidInput, NotFound
from dalil.model.tables import Case
from dalil.vault import bundle, ledger
from dalil.vault.custody_checks import read_checkpoint
from dalil.vault.reading import Reading
from dalil.vault.tables import VaultItem

BUNDLE_FORMAT = "dalil-bundle/1"


class Exporting(Reading):
    """Tree heads and bundles (a part of :class:`~dalil.vault.service.Vault`)."""

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
            names = bundle.manifest_names(s, self.ring.master, case_id, items)
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
                            **names[it.id],
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
