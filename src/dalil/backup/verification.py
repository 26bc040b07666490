"""Checking a restored workspace against its custody ledger, without the passphrase.

The checks use only what the backup holds: every table has the row count the manifest
gives, every ledger entry re-hashes to its leaf, every stored node recomputes, the root at
every signed tree head equals the head, every head's Ed25519 signature verifies, and every
blob the database names is present. A checkpoint kept elsewhere (``dalil vault checkpoint
--out``, given to ``dalil restore --checkpoint``) is what shows the restored ledger is the
one that existed then: its signing key must be the restored ledger's and its root must be
the restored ledger's root at its size. ``dalil vault verify`` with the passphrase then
checks the blob contents too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from dalil.errors import InvalidInput
from dalil.model.registry import load_tables
from dalil.vault import ledger
from dalil.vault.blobs import BlobStore
from dalil.vault.custody_checks import check_heads, verify_ledger
from dalil.vault.holdings import stored_blob_digests
from dalil.vault.ledger import SignedHead
from dalil.workspace import Workspace


@dataclass
class RestoreReport:
    """What the checks of a restored workspace found: rows per table, the custody
    ledger's size, how many signed heads (kept in the backup and given from outside) and
    blobs were checked, and every fault (none when :attr:`ok`)."""

    rows: dict[str, int]
    tree_size: int
    heads_checked: int
    blobs_checked: int
    faults: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.faults


def verify_restored(
    ws: Workspace, expected_rows: dict[str, int], checkpoints: Sequence[SignedHead] = ()
) -> RestoreReport:
    """Checks needing no passphrase (see the module docstring); ``checkpoints`` are
    signed tree heads kept outside the backup (``dalil vault checkpoint --out``), which
    the restored ledger must extend: a backup rewritten wholesale, even with its own
    heads re-signed, fails them."""
    with ws.session() as s:
        return _verify(s, ws.home, expected_rows, checkpoints)


def verified(
    s: Session, where: str, home: Path, expected_rows: dict[str, int],
    checkpoints: Sequence[SignedHead],
) -> RestoreReport:  # fmt: skip
    """:func:`_verify` inside the restore's transaction; ledger rows the checks cannot
    even read (wrong types, a state row missing) are a damaged backup, not a crash."""
    try:
        return _verify(s, home, expected_rows, checkpoints)
    except (ValueError, TypeError, KeyError, IndexError, AttributeError, OverflowError) as err:
        raise InvalidInput(
            f"the restored custody ledger cannot be read ({err.__class__.__name__}): "
            "the backup is damaged",
            path=where,
        ) from None


def _verify(
    s: Session, home: Path, expected_rows: dict[str, int], checkpoints: Sequence[SignedHead]
) -> RestoreReport:
    """The checks of the module docstring in session ``s`` over the workspace at
    ``home``; what fails is collected as faults, not raised."""
    faults: list[str] = []
    rows = {t.name: s.scalar(select(text("count(*)")).select_from(t)) or 0
            for t in load_tables().sorted_tables}  # fmt: skip
    for name, count in expected_rows.items():
        if rows.get(name) != count:
            faults.append(f"table {name}: {rows.get(name)} rows, the backup has {count}")
    heads = list(ledger.all_heads(s))
    size = ledger.size(s) if rows.get("vault_state") else 0
    outside = list(checkpoints)
    ledger_faults, roots = verify_ledger(s, size, {h.tree_size for h in heads + outside})
    faults += ledger_faults
    if rows.get("vault_state"):
        key = ledger.state(s).public_key
        faults += check_heads(heads, outside, key, size, roots)
    elif outside:
        faults.append("the backup has no custody ledger to check the checkpoints against")
    digests = stored_blob_digests(s)
    store = BlobStore(home / "vault")
    for digest in digests:
        if not store.path(digest).exists():
            faults.append(f"blob {digest[:16]}: missing")
    return RestoreReport(rows, size, len(heads) + len(outside), len(digests), faults)
