"""The access audit trail, kept as leaves of the custody ledger.

Sign-ins (and failed ones), sign-outs, every authorization decision and every read of
protected data are ledger entries, so the audit log is as tamper-evident as the custody
log: deleting or editing one entry breaks the signed tree heads (ASVS 16.3.1, 16.3.2 at
level 3, 16.4.2). Entries name the account and the route, never a witness identity or a
request body.

The web app collects a request's decisions in an :class:`AuditTrail` and has them
appended before the response leaves (so a read is never served unrecorded: if the append
fails, the request fails). Concurrent requests' trails are appended together by one
:class:`Writer` (group commit: one transaction, one disk sync for all the requests
waiting), so the ledger is not the point where busy requests queue. Reads of witness identities are
appended by :mod:`dalil.access.identities` in the same transaction as the read itself.
"""

from __future__ import annotations

import json
import threading
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dalil.vault import ledger
from dalil.vault.tables import LedgerEntry, VaultState
from dalil.workspace import Workspace


@dataclass
class AuditTrail:
    """The audit entries of one request, appended together by :func:`flush`."""

    entries: list[dict[str, Any]] = field(default_factory=list)

    def note(
        self,
        action: str,
        actor: str,
        *,
        case: str | None = None,
        item: str | None = None,
        **detail: Any,
    ) -> None:
        self.entries.append(ledger.make_entry(action, actor, case=case, item=item, detail=detail))


def ready(session: Session) -> bool:
    """Whether the workspace can audit (the ledger exists once the vault is created)."""
    return session.get(VaultState, 1) is not None


def flush(ws: Workspace, trail: AuditTrail) -> None:
    """Append the trail's entries in their own committed transaction."""
    if not trail.entries:
        return
    with ws.session() as s:  # the append's first statement takes the write lock
        ledger.append(s, trail.entries)
    trail.entries.clear()


class Writer:
    """Appends trails in batches from one thread; the future :meth:`submit` returns is done
    once the trail is committed, or holds what the batch's append raised (every request of
    a failed batch fails: the trail fails closed)."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self._waiting: list[tuple[list[dict[str, Any]], Future[None]]] = []
        self._wake = threading.Condition()
        self._closed = False
        self._thread = threading.Thread(target=self._run, name="dalil-audit", daemon=True)
        self._thread.start()

    def submit(self, trail: AuditTrail) -> Future[None]:
        """Queue the trail's entries (taking them from the trail); the future is done once
        they are committed. The web app awaits it on its event loop, so no request thread
        sits idle while the batch's disk sync runs."""
        done: Future[None] = Future()
        if not trail.entries:
            done.set_result(None)
            return done
        with self._wake:
            if self._closed:
                raise RuntimeError("the audit writer is closed")
            self._waiting.append((list(trail.entries), done))
            self._wake.notify()
        trail.entries.clear()
        return done

    def close(self) -> None:
        with self._wake:
            self._closed = True
            self._wake.notify()
        self._thread.join(30)

    def _run(self) -> None:
        while True:
            with self._wake:
                while not self._waiting and not self._closed:
                    self._wake.wait()
                batch, self._waiting = self._waiting, []
                if not batch and self._closed:
                    return
            try:
                flush(self.ws, AuditTrail([e for entries, _ in batch for e in entries]))
            except BaseException as err:  # every waiter learns of it; the thread goes on
                for _, done in batch:
                    done.set_exception(err)
            else:
                for _, done in batch:
                    done.set_result(None)


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
    top = query.before if query.before is not None else ledger.size(session)
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
