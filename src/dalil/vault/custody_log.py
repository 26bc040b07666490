"""The custody ledger read back: entries newest first, filtered by actor, action, case,
items and time.

The one way to read entries for people (the vault's case log, the audit log screen, the
command line): callers outside the vault never read the ledger's rows themselves.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from dalil.vault import ledger
from dalil.vault.tables import LedgerEntry


@dataclass(frozen=True)
class Query:
    """Filters for the audit log screen; ``None`` means any."""

    actor: str | None = None
    action: str | None = None
    case: str | None = None
    items: frozenset[str] | None = None  # evidence items' SHA-256
    since: datetime | None = None
    until: datetime | None = None
    before: int | None = None  # ledger index to page back from
    limit: int | None = 100  # None: every match


def entries(session: Session, query: Query, batch: int = 2000) -> list[dict[str, Any]]:
    """Newest-first ledger entries matching ``query`` (each with its ``index``).

    Scans back from the newest entry in batches, so a first page is quick even in a long
    ledger; the filters are applied to the canonical JSON the ledger holds.
    """
    since = ledger.utc_stamp(query.since) if query.since else None
    until = ledger.utc_stamp(query.until) if query.until else None
    size = ledger.size(session)
    # an index past the end pages back from the end: scanning empty batches from a far
    # index (the API allows up to 2**31 - 1) would take a million queries
    top = size if query.before is None else min(query.before, size)
    found: list[dict[str, Any]] = []
    while top > 0:
        rows = session.execute(
            select(LedgerEntry.idx, LedgerEntry.entry)
            .where(LedgerEntry.idx < top, LedgerEntry.idx >= max(0, top - batch))
            .order_by(LedgerEntry.idx.desc())
        ).all()
        for idx, text in rows:
            entry = json.loads(text)
            if _matches(entry, query, since, until):
                found.append({"index": idx, **entry})
                if len(found) == query.limit:
                    return found
        top -= batch
    return found


def _matches(entry: dict[str, Any], q: Query, since: str | None, until: str | None) -> bool:
    return (
        (q.actor is None or entry.get("actor") == q.actor)
        and (q.action is None or entry.get("action") == q.action)
        and (q.case is None or entry.get("case") == q.case)
        and (q.items is None or entry.get("item") in q.items)
        and (since is None or entry.get("time", "") >= since)
        and (until is None or entry.get("time", "") <= until)
    )


def item_histories(
    session: Session, case_id: str, shas: Iterable[str], per_item: int | None = None,
    since: int = 0,
) -> dict[str, list[dict[str, Any]]]:  # fmt: skip
    """Every custody event of each evidence item (by SHA-256) in one case (the same bytes
    held by another case have their own history there), oldest first, the newest
    ``per_item`` of each when given. The database picks the entries by the item's hash in
    their canonical JSON (``"item":"<sha256>"``, a key no detail uses), so a gallery page
    does not parse the access audit trail that shares the ledger. ``since`` is a ledger
    index no item's history starts before (the smallest ingest index of the items): the
    scan starts there."""
    wanted = list(dict.fromkeys(shas))
    found: dict[str, list[dict[str, Any]]] = {sha: [] for sha in wanted}
    for start in range(0, len(wanted), 50):
        needles = [f'"item":"{sha}"' for sha in wanted[start : start + 50]]
        rows = session.execute(
            select(LedgerEntry.idx, LedgerEntry.entry)
            .where(LedgerEntry.idx >= since)
            .where(or_(*(LedgerEntry.entry.contains(n, autoescape=True) for n in needles)))
            .order_by(LedgerEntry.idx)
        )
        for idx, text in rows:
            entry = json.loads(text)
            if entry.get("item") in found and entry.get("case") == case_id:
                found[entry["item"]].append({"index": idx, **entry})
    if per_item is not None:
        found = {sha: history[-per_item:] for sha, history in found.items()}
    return found
