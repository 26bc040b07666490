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
The audit log is read back through the vault's :mod:`dalil.vault.custody_log`
(:class:`Query`, :func:`entries`, re-exported here).

Only decisions about a known account become leaves one by one. Refusals of callers without
credentials (``anonymous``) and failed sign-ins naming no account (``unknown account``)
could otherwise be sent by anyone at hundreds a second, each a permanent, fsynced leaf
that every verification, backup and restore must walk: the writer counts them in memory
instead (:class:`Tally`) and appends one summary leaf per kind and :data:`WINDOW` seconds
(the count, the window, and the most frequent routes and reasons, bounded), so noise
costs at most a few leaves a minute per server process. The summary of the last window is
appended at shutdown; a process killed outright loses at most that window's counts.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from dalil.vault import ledger
from dalil.vault.custody_log import Query as Query
from dalil.vault.custody_log import entries as entries
from dalil.workspace import Workspace

log = logging.getLogger("dalil.audit")

#: actors whose entries are tallied, not appended one by one (no account stands behind them)
ANONYMOUS = frozenset({"anonymous", "unknown account"})
#: seconds of anonymous noise summed into one summary leaf per kind
WINDOW = 60
#: distinct routes (and reasons) a summary names; the rest are counted as ``other``
SAMPLE = 20
#: characters of a route kept in a summary
ROUTE_CHARS = 120


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
    return ledger.exists(session)


def flush(ws: Workspace, trail: AuditTrail) -> None:
    """Append the trail's entries in their own committed transaction."""
    if not trail.entries:
        return
    with ws.session() as s:  # the append's first statement takes the write lock
        ledger.append(s, trail.entries)
    trail.entries.clear()


class Tally:
    """Anonymous entries of one window, counted per (action, actor): how many, when the
    first and last came, and the most frequent routes and reasons (at most :data:`SAMPLE`
    of each are named; the rest are counted under ``other``)."""

    def __init__(self) -> None:
        self.started = 0.0  # time.monotonic() of the first entry
        self._kinds: dict[tuple[str, str], dict[str, Any]] = {}

    def __bool__(self) -> bool:
        return bool(self._kinds)

    def add(self, entry: dict[str, Any]) -> None:
        if not self._kinds:
            self.started = time.monotonic()
        kind = self._kinds.setdefault((entry["action"], entry["actor"]), {
            "count": 0, "first": entry["time"], "routes": Counter(), "why": Counter(),
        })  # fmt: skip
        kind["count"] += 1
        kind["last"] = entry["time"]
        detail = entry.get("detail") or {}
        for key, value in (("routes", detail.get("route")), ("why", detail.get("why"))):
            if value is None:
                continue
            named: Counter[str] = kind[key]
            value = str(value)[:ROUTE_CHARS]
            named[value if value in named or len(named) < SAMPLE else "other"] += 1

    def age(self) -> float:
        """Seconds since the window's first entry (0 while it has none)."""
        return time.monotonic() - self.started if self._kinds else 0.0

    def entries(self) -> list[dict[str, Any]]:
        """One summary entry per kind (same action and actor as what it counts)."""
        out = []
        for (action, actor), k in self._kinds.items():
            detail = {"aggregated": True, "count": k["count"], "first": k["first"],
                      "last": k["last"], "window_seconds": WINDOW,
                      "routes": dict(k["routes"].most_common()),
                      "why": dict(k["why"].most_common())}  # fmt: skip
            out.append(ledger.make_entry(action, actor, detail=detail))
        return out


class Writer:
    """Appends trails in batches from one thread; the future :meth:`submit` returns is done
    once the trail is committed, or holds what the batch's append raised (every request of
    a failed batch fails: the trail fails closed). Entries of :data:`ANONYMOUS` actors are
    tallied instead and appended as one summary per kind and window."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self._waiting: list[tuple[list[dict[str, Any]], Future[None]]] = []
        self._tally = Tally()
        self._roll = False  # the tally is appended at the next turn, whatever its age
        self._wake = threading.Condition()
        self._closed = False
        self._thread = threading.Thread(target=self._run, name="dalil-audit", daemon=True)
        self._thread.start()

    def submit(self, trail: AuditTrail) -> Future[None]:
        """Queue the trail's entries (taking them from the trail); the future is done once
        they are committed. The web app awaits it on its event loop, so no request thread
        sits idle while the batch's disk sync runs. Anonymous entries only go into the
        tally: a request with nothing else to record does not wait for the disk."""
        done: Future[None] = Future()
        named = [e for e in trail.entries if e["actor"] not in ANONYMOUS]
        with self._wake:
            if self._closed and named:
                raise RuntimeError("the audit writer is closed")
            for entry in trail.entries:
                if entry["actor"] in ANONYMOUS:
                    self._tally.add(entry)
            if named:
                self._waiting.append((named, done))
            self._wake.notify()
        trail.entries.clear()
        if not named:
            done.set_result(None)
        return done

    def roll(self) -> None:
        """Append the current window's tally now (and wait for it): for shutdown and tests."""
        with self._wake:
            self._roll = True
            self._wake.notify()
            while self._roll and self._thread.is_alive():
                self._wake.wait(1)

    def close(self) -> None:
        with self._wake:
            self._closed = True
            self._wake.notify()
        self._thread.join(30)

    def _run(self) -> None:
        while True:
            with self._wake:
                while not self._waiting and not self._closed and not self._due():
                    # asleep until work comes, or until the tally's window is over
                    self._wake.wait(max(WINDOW - self._tally.age(), 0.01) if self._tally else None)
                batch, self._waiting = self._waiting, []
                summary: list[dict[str, Any]] = []
                if self._due() or self._closed:
                    summary, self._tally, rolled = self._tally.entries(), Tally(), self._roll
                else:
                    rolled = False
                if not batch and not summary and self._closed:
                    return
            if summary:
                self._append_summary(summary)
            if rolled:
                with self._wake:
                    self._roll = False
                    self._wake.notify_all()
            if not batch:
                continue
            try:
                flush(self.ws, AuditTrail([e for entries, _ in batch for e in entries]))
            except BaseException as err:  # every waiter learns of it; the thread goes on
                for _, done in batch:
                    done.set_exception(err)
            else:
                for _, done in batch:
                    done.set_result(None)

    def _due(self) -> bool:
        return self._roll or (bool(self._tally) and self._tally.age() >= WINDOW)

    def _append_summary(self, summary: list[dict[str, Any]]) -> None:
        """Best effort: no response waits for a summary, so a failure is logged, not raised."""
        try:
            flush(self.ws, AuditTrail(summary))
        except Exception:
            counts = {f"{e['action']} {e['actor']}": e["detail"]["count"] for e in summary}
            log.exception("the anonymous access summary could not be appended: %s", counts)
