"""What the vault holds, read by other packages: evidence items and stored blob digests.

Legal analysis, report intake, case files and backups need to know *which* evidence a
case holds (its hash, size, media type, place in the custody ledger), never its sealed
metadata or its keys. They read it here, as frozen values, rather than through the
vault's tables, so the vault can change its rows without breaking them (issue 21).

These reads write nothing to the custody ledger: they disclose no content and no sealed
metadata (a ``view`` entry is written only when bytes or metadata leave the vault, by
:class:`dalil.vault.service.Vault`). Nor do they check an item's row against its ingest
entry; a caller that hands out bytes goes through the service, which does.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from dalil.vault.tables import EvidenceLink, VaultBlob, VaultItem

__all__ = [
    "EvidenceItem",
    "evidence_item",
    "evidence_items",
    "records_of",
    "stored_blob_digests",
    "supporting",
]


@dataclass(frozen=True)
class EvidenceItem:
    """One evidence item of a case, as far as other packages may see it.

    ``sha256`` is the hex SHA-256 of the original bytes, ``size`` their length in bytes,
    ``ingest_index`` the index of its ingest entry in the custody ledger (ingest order
    across the workspace), ``created_at`` when it was ingested (UTC, naive as stored) and
    ``created_by`` by whom. ``derived_from_id`` and ``derivation`` say which item it was
    derived from and how (``None`` for an original).
    """

    id: str
    case_id: str
    sha256: str
    size: int
    media_type: str
    ingest_index: int
    created_at: datetime
    created_by: str
    derived_from_id: str | None
    derivation: str | None


def _held(row: VaultItem) -> EvidenceItem:
    # every field is the column of the same name
    return EvidenceItem(**{f.name: getattr(row, f.name) for f in fields(EvidenceItem)})


def evidence_items(session: Session, case_id: str) -> list[EvidenceItem]:
    """The evidence items of a case in ingest order (oldest first)."""
    rows = session.scalars(
        select(VaultItem).where(VaultItem.case_id == case_id).order_by(VaultItem.ingest_index)
    )
    return [_held(r) for r in rows]


def evidence_item(
    session: Session, item_id: str, case_id: str | None = None
) -> EvidenceItem | None:
    """The evidence item with this id, or ``None`` when there is none (or, with
    ``case_id``, when it belongs to another case: a caller checking a link from one case
    must not learn that another case holds the id)."""
    row = session.get(VaultItem, item_id)
    if row is None or (case_id is not None and row.case_id != case_id):
        return None
    return _held(row)


def supporting(session: Session, case_id: str, record_id: str) -> list[EvidenceItem]:
    """The items of the case attached to this record (:meth:`Vault.attach
    <dalil.vault.links.Linking.attach>`), in ingest order; empty for a record of another
    case."""
    rows = session.scalars(
        select(VaultItem)
        .join(EvidenceLink, EvidenceLink.item_id == VaultItem.id)
        .where(EvidenceLink.record_id == record_id, EvidenceLink.case_id == case_id)
        .where(VaultItem.case_id == case_id)
        .order_by(VaultItem.ingest_index)
    )
    return [_held(r) for r in rows]


def records_of(session: Session, case_id: str, item_ids: Iterable[str]) -> dict[str, list[str]]:
    """The ids of the records each item supports (in the order they were attached), for
    every item id given; an item with no link, or of another case, maps to ``[]``."""
    wanted = list(dict.fromkeys(item_ids))
    out: dict[str, list[str]] = {i: [] for i in wanted}
    for start in range(0, len(wanted), 500):  # bounded IN lists
        batch = wanted[start : start + 500]
        rows = session.execute(
            select(EvidenceLink.item_id, EvidenceLink.record_id)
            .where(EvidenceLink.case_id == case_id, EvidenceLink.item_id.in_(batch))
            .order_by(EvidenceLink.created_at, EvidenceLink.record_id)
        )
        for item_id, record_id in rows:
            out[item_id].append(record_id)
    return out


def stored_blob_digests(session: Session) -> list[str]:
    """The hex SHA-256 digests of every blob the vault stores (each once, however many
    items share it), sorted. A restore checks that each has its file in the blob store."""
    return list(session.scalars(select(VaultBlob.sha256).order_by(VaultBlob.sha256)))
