"""Which victim-list rows name a documented person, and the linked cluster they fall in.

Why: a case's person records and its victim lists are kept apart (a list is immutable
evidence, linkage clusters list rows among themselves), so nothing stored says "row B-0042
of the second list is the person P-0007". A person's page still wants to show the lists
that name them. A row *names* a person when the cross-script keys
(:func:`dalil.places.names.cross_key`) of its full name hold the first and the last key of
one of the person's names and all but at most one of the keys in between (lists drop the
grandfather's name, write "FAMILY, Given Father", spell in either script). That is
evidence, not identity: the page calls them rows that match by name.

The key index of a case's rows is built once per (case, lists, latest run) and kept in
this process, so a page reads only the matching rows' cluster, not every list.
"""

from __future__ import annotations

import json
import threading
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dalil.linkage.tables import LinkageMember, LinkageRun, ListRecord, VictimList
from dalil.places.names import cross_key

_INDEX: dict[str, tuple[tuple[int, str | None], _Index]] = {}
_LOCK = threading.Lock()


@dataclass(frozen=True)
class Row:
    """One list row: the list's source name, the row's record id and full name."""

    source: str
    record_id: str
    full_name: str


@dataclass
class Naming:
    """The rows that match the person by name and the cluster each falls in (linked rows of
    the latest linkage run: person key -> its rows); ``run`` is None before any linkage."""

    rows: list[Row]
    clusters: dict[str, list[Row]]
    run: str | None


@dataclass
class _Index:
    rows: list[Row]
    keys: list[set[str]]
    by_key: dict[str, list[int]]
    at: dict[tuple[str, str], int]


def _stamp(session: Session, case_id: str) -> tuple[int, str | None]:
    """How many lists the case has and its latest linkage run, in one query: the index
    is rebuilt when either changes."""
    lists = select(func.count()).select_from(VictimList).where(VictimList.case_id == case_id)
    run = (
        select(LinkageRun.id)
        .where(LinkageRun.case_id == case_id)
        .order_by(LinkageRun.created_at.desc(), LinkageRun.id)
        .limit(1)
    )
    row = session.execute(select(lists.scalar_subquery(), run.scalar_subquery())).one()
    return int(row[0] or 0), row[1]


def _index(session: Session, case_id: str, stamp: tuple[int, str | None]) -> _Index:
    with _LOCK:
        hit = _INDEX.get(case_id)
    if hit is not None and hit[0] == stamp:
        return hit[1]
    rows: list[Row] = []
    keys: list[set[str]] = []
    by_key: dict[str, list[int]] = defaultdict(list)
    for source, rid, values in session.execute(
        select(VictimList.source, ListRecord.record_id, ListRecord.values)
        .join(ListRecord, ListRecord.list_id == VictimList.id)
        .where(VictimList.case_id == case_id)
        .order_by(VictimList.source, ListRecord.row_number)
    ):
        full = str(json.loads(values).get("full_name") or "")
        tokens = set(cross_key(full).split())
        for k in tokens:
            by_key[k].append(len(rows))
        rows.append(Row(source, rid, full))
        keys.append(tokens)
    built = _Index(
        rows, keys, dict(by_key), {(r.source, r.record_id): i for i, r in enumerate(rows)}
    )
    with _LOCK:
        _INDEX[case_id] = (stamp, built)
    return built


def _matches(name: list[str], row: set[str]) -> bool:
    if len(name) < 2 or name[0] not in row or name[-1] not in row:
        return False
    return sum(k not in row for k in name[1:-1]) <= 1


def naming(session: Session, case_id: str, names: Sequence[str], limit: int = 50) -> Naming:
    """The list rows (the first ``limit``) that match one of ``names`` and their clusters
    in the case's latest linkage run."""
    stamp = _stamp(session, case_id)
    index = _index(session, case_id, stamp)
    found: dict[int, Row] = {}
    for name in names:
        keys = cross_key(name).split()
        if len(keys) < 2:
            continue
        for i in index.by_key.get(keys[-1], []):
            if i not in found and _matches(keys, index.keys[i]):
                found[i] = index.rows[i]
    rows = list(found.values())[:limit]
    run = stamp[1]
    clusters: dict[str, list[Row]] = {}
    if run is not None and rows:
        wanted = {(r.source, r.record_id) for r in rows}
        keys_of: set[str] = set()
        for person, source, rid in session.execute(
            select(LinkageMember.person, LinkageMember.source, LinkageMember.record_id).where(
                LinkageMember.run_id == run,
                LinkageMember.record_id.in_(sorted({r.record_id for r in rows})),
            )
        ):
            if (source, rid) in wanted:
                keys_of.add(person)
        for person, source, rid in session.execute(
            select(LinkageMember.person, LinkageMember.source, LinkageMember.record_id)
            .where(LinkageMember.run_id == run, LinkageMember.person.in_(sorted(keys_of)))
            .order_by(LinkageMember.person, LinkageMember.source, LinkageMember.record_id)
        ):
            clusters.setdefault(person, []).append(
                index.rows[index.at[(source, rid)]]
                if (source, rid) in index.at
                else Row(source, rid, "")
            )
    return Naming(rows, clusters, run)
