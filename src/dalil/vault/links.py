"""Which records an evidence item supports: attach and detach, each a custody event.

A link joins an item and a record of the *same* case; a record or item of another case is
refused as not found (a caller must not learn that another case holds the id). The link
itself is a plain row (:class:`~dalil.vault.tables.EvidenceLink`); the ledger entry
(``attached`` / ``detached``, naming the item by its SHA-256 and the record by its id,
never by a name) makes the change part of the item's signed custody history.
Reading links is :func:`dalil.vault.holdings.supporting` and
:func:`dalil.vault.holdings.records_of`, which write nothing.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from dalil.errors import NotFound
from dalil.model.tables import Record, utcnow
from dalil.vault import ledger
from dalil.vault.reading import Reading
from dalil.vault.tables import EvidenceLink, VaultItem


def _both(session: Session, case_id: str, item_id: str, record_id: str) -> VaultItem:
    item = session.get(VaultItem, item_id)
    if item is None or item.case_id != case_id:
        raise NotFound(f"no evidence item {item_id} in this case", path="item_id")
    record = session.get(Record, record_id)
    if record is None or record.case_id != case_id:
        raise NotFound(f"no record {record_id} in this case", path="record_id")
    return item


class Linking(Reading):
    """Attach and detach (a part of :class:`~dalil.vault.service.Vault`)."""

    def attach(self, case_id: str, item_id: str, record_id: str, actor: str) -> None:
        """Record that the item supports the record. Attaching a pair already attached
        changes nothing and writes no event."""
        with self.ws.session() as s:
            ledger.lock(s)
            item = _both(s, case_id, item_id, record_id)
            if s.get(EvidenceLink, (item_id, record_id)) is not None:
                return
            s.add(
                EvidenceLink(
                    item_id=item_id,
                    record_id=record_id,
                    case_id=case_id,
                    created_at=utcnow(),
                    created_by=actor,
                )
            )
            detail = {"item_id": item_id, "record_id": record_id}
            entry = ledger.make_entry(
                "attached", actor, case=case_id, item=item.sha256, detail=detail
            )
            ledger.append(s, [entry])

    def detach(self, case_id: str, item_id: str, record_id: str, actor: str) -> None:
        """Remove the link; refused (NotFound) when the item does not support the record."""
        with self.ws.session() as s:
            ledger.lock(s)
            item = _both(s, case_id, item_id, record_id)
            link = s.get(EvidenceLink, (item_id, record_id))
            if link is None:
                raise NotFound(
                    f"item {item_id} is not attached to record {record_id}", path="record_id"
                )
            s.delete(link)
            detail = {"item_id": item_id, "record_id": record_id}
            entry = ledger.make_entry(
                "detached", actor, case=case_id, item=item.sha256, detail=detail
            )
            ledger.append(s, [entry])
