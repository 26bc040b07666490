"""Verifying the whole vault: every blob re-hashed, every item held to the ledger, the
ledger recomputed from its entries and every tree head and outside checkpoint checked.

Faults are what the custody record no longer proves (an altered blob, a deleted row, a
rewritten entry); notices are what was tidied without loss (an orphan blob never
acknowledged, moved to quarantine). The checks themselves are in
:mod:`dalil.vault.custody_checks`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import select

from dalil.vault import ledger
from dalil.vault.crypto import TamperedError, open_sealed
from dalil.vault.custody_checks import (
    check_heads,
    items_against_ledger,
    read_checkpoint,
    verify_ledger,
)
from dalil.vault.export import Exporting
from dalil.vault.tables import VaultBlob, VaultItem


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


class Verifying(Exporting):
    """Verification (a part of :class:`~dalil.vault.service.Vault`)."""

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
