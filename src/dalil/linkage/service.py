"""Victim lists and their linkage inside a workspace: import, link, review, persons.

The library API behind ``dalil lists``, ``dalil link`` and ``dalil review``. A linkage run
is stored whole (members, review queue, model JSON, list versions) so it can be audited
later; review decisions are stored per case and honoured by every later run.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from dalil.errors import Conflict, InvalidInput, NotFound
from dalil.intake.victim_lists import ListFile
from dalil.linkage.engine import (
    Decision,
    LinkageConfig,
    LinkResult,
    link,
    record_key,
    split_key,
)
from dalil.linkage.tables import (
    LinkageMember,
    LinkageRun,
    ListRecord,
    ReviewDecision,
    ReviewItemRow,
    VictimList,
)
from dalil.places.index import PlaceIndex
from dalil.records import new_id
from dalil.vault import failpoints

DECISIONS: tuple[Decision, ...] = ("match", "no_match", "unsure")


def _now() -> datetime:
    return datetime.now(UTC)


def import_list(
    session: Session, case_id: str, source: str, parsed: ListFile, actor: str
) -> VictimList:
    """Store a validated list under ``source``; refuses a source name already used."""
    source = source.strip()
    if not source or "\x1f" in source:
        raise InvalidInput("a source name is required", path="--source")
    exists = session.scalar(
        select(VictimList.id).where(VictimList.case_id == case_id, VictimList.source == source)
    )
    if exists:
        raise Conflict(
            f"the case already has a list from source {source!r}; lists are immutable, "
            "import a new version under a new source name",
            path="--source",
        )
    vl = VictimList(
        id=new_id(),
        case_id=case_id,
        source=source,
        file_name=parsed.file_name,
        sha256=parsed.sha256,
        encoding=parsed.encoding,
        mapping=json.dumps(parsed.mapping),
        row_count=len(parsed.rows),
        imported_by=actor,
        imported_at=_now(),
    )
    session.add(vl)
    session.flush()
    session.bulk_insert_mappings(
        ListRecord,
        [
            {
                "list_id": vl.id,
                "row_number": r.row_number,
                "record_id": r.values["record_id"],
                "raw": json.dumps(r.raw, ensure_ascii=False),
                "values": json.dumps(r.values, ensure_ascii=False),
            }
            for r in parsed.rows
        ],
    )
    failpoints.hit("list_rows_inserted")
    return vl


def lists(session: Session, case_id: str) -> list[VictimList]:
    return list(
        session.scalars(
            select(VictimList).where(VictimList.case_id == case_id).order_by(VictimList.source)
        )
    )


def case_rows(session: Session, case_id: str) -> list[dict[str, str]]:
    """Every list row of the case: its file columns as read, overlaid with the mapped
    victim-list fields, plus ``source`` (extra columns stay available to ``--compare``)."""
    rows = session.execute(
        select(VictimList.source, ListRecord.raw, ListRecord.values)
        .join(ListRecord, ListRecord.list_id == VictimList.id)
        .where(VictimList.case_id == case_id)
        .order_by(VictimList.source, ListRecord.row_number)
    )
    return [
        {**json.loads(raw), **json.loads(values), "source": source} for source, raw, values in rows
    ]


def decisions(session: Session, case_id: str) -> list[tuple[str, str, Decision]]:
    """The latest decision on each pair (earlier decisions on a pair are history)."""
    rows = session.execute(
        select(ReviewDecision.left_key, ReviewDecision.right_key, ReviewDecision.decision)
        .where(ReviewDecision.case_id == case_id)
        .order_by(ReviewDecision.id)
    )
    latest: dict[tuple[str, str], Decision] = {}
    for left, right, decision in rows:
        latest[(left, right)] = decision
    return [(a, b, d) for (a, b), d in latest.items()]


@dataclass(frozen=True)
class RunSummary:
    run_id: str
    records: int
    persons: int
    candidate_pairs: int
    review_items: int
    sources: list[str]
    #: The merge threshold and the model's expected pairwise precision and recall there
    #: (:mod:`dalil.linkage.threshold`).
    threshold: float = 0.0
    expected_precision: float = 0.0
    expected_recall: float = 0.0
    threshold_chosen: bool = True

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def run_linkage(
    session: Session,
    case_id: str,
    actor: str,
    config: LinkageConfig | None = None,
    *,
    say: Callable[[str], None] = lambda _m: None,
) -> tuple[RunSummary, LinkResult]:
    """Link every list of the case and store the run."""
    config = config or LinkageConfig()
    rows = case_rows(session, case_id)
    if not rows:
        raise NotFound("the case has no victim lists; import one with `dalil lists import`")
    result = link(
        rows,
        config,
        decisions=decisions(session, case_id),
        places=PlaceIndex.from_session(session),
        say=say,
    )
    sources = sorted({r["source"] for r in rows})
    inputs = {vl.source: vl.sha256 for vl in lists(session, case_id)}
    stats = {
        "records": len(rows),
        "persons": len(set(result.clusters.cluster_of.values())),
        "candidate_pairs": result.scored.candidate_pairs,
        "review_items": len(result.clusters.review),
    }
    run = LinkageRun(
        id=new_id(),
        case_id=case_id,
        created_at=_now(),
        created_by=actor,
        config=json.dumps(asdict(result.config)),
        inputs=json.dumps(inputs),
        model=json.dumps(result.scored.model),
        stats=json.dumps(stats),
    )
    session.add(run)
    session.flush()
    session.bulk_insert_mappings(
        LinkageMember,
        [
            dict(zip(("source", "record_id"), split_key(k), strict=True), run_id=run.id, person=p)
            for k, p in result.clusters.cluster_of.items()
        ],
    )
    session.bulk_insert_mappings(
        ReviewItemRow,
        [
            {
                "run_id": run.id,
                "rank": i,
                "kind": it.kind,
                "left_key": it.left,
                "right_key": it.right,
                "probability": it.probability,
                "priority": it.priority,
                "reason": it.reason,
            }
            for i, it in enumerate(result.clusters.review)
        ],
    )
    summary = RunSummary(
        run.id,
        stats["records"],
        stats["persons"],
        stats["candidate_pairs"],
        stats["review_items"],
        sources,
        result.choice.threshold,
        result.choice.expected_precision,
        result.choice.expected_recall,
        result.choice.chosen,
    )
    return summary, result


def latest_run(session: Session, case_id: str) -> LinkageRun:
    run = session.scalars(
        select(LinkageRun)
        .where(LinkageRun.case_id == case_id)
        .order_by(LinkageRun.created_at.desc(), LinkageRun.id)
        .limit(1)
    ).first()
    if run is None:
        raise NotFound("the case has not been linked yet; run `dalil link CASE`")
    return run


def persons(session: Session, run_id: str) -> dict[str, list[tuple[str, str]]]:
    """person id -> member (source, record_id) pairs for a stored run."""
    out: dict[str, list[tuple[str, str]]] = {}
    rows = session.execute(
        select(LinkageMember.person, LinkageMember.source, LinkageMember.record_id)
        .where(LinkageMember.run_id == run_id)
        .order_by(LinkageMember.person, LinkageMember.source, LinkageMember.record_id)
    )
    for person, source, rid in rows:
        out.setdefault(person, []).append((source, rid))
    return out


def capture_histories(
    members: dict[str, list[tuple[str, str]]], sources: list[str]
) -> dict[str, tuple[int, ...]]:
    """person -> 0/1 per source (in ``sources`` order), ready for estimation."""
    return {
        person: tuple(int(any(s == src for s, _ in recs)) for src in sources)
        for person, recs in members.items()
    }


@dataclass(frozen=True)
class PendingReview:
    rank: int
    kind: str
    left: dict[str, str]
    right: dict[str, str]
    left_key: str
    right_key: str
    probability: float
    reason: str


def _record(session: Session, case_id: str, key: str) -> dict[str, str]:
    source, rid = split_key(key)
    values = session.scalar(
        select(ListRecord.values)
        .join(VictimList, VictimList.id == ListRecord.list_id)
        .where(
            VictimList.case_id == case_id, VictimList.source == source, ListRecord.record_id == rid
        )
    )
    if values is None:
        raise NotFound(f"no record {rid!r} in source {source!r}", path=f"{source}:{rid}")
    return dict(json.loads(values), source=source)


def next_reviews(session: Session, case_id: str, limit: int = 1) -> list[PendingReview]:
    """Highest-priority undecided review items of the latest run."""
    run = latest_run(session, case_id)
    decided = {(a, b) for a, b, _ in decisions(session, case_id)}
    out: list[PendingReview] = []
    for item in session.scalars(
        select(ReviewItemRow).where(ReviewItemRow.run_id == run.id).order_by(ReviewItemRow.rank)
    ):
        if (item.left_key, item.right_key) in decided:
            continue
        out.append(
            PendingReview(
                item.rank,
                item.kind,
                _record(session, case_id, item.left_key),
                _record(session, case_id, item.right_key),
                item.left_key,
                item.right_key,
                item.probability,
                item.reason,
            )
        )
        if len(out) >= limit:
            break
    return out


def pending_count(session: Session, case_id: str) -> int:
    """Review items of the latest run not yet decided."""
    run = latest_run(session, case_id)
    decided = {(a, b) for a, b, _ in decisions(session, case_id)}
    keys = session.execute(
        select(ReviewItemRow.left_key, ReviewItemRow.right_key).where(
            ReviewItemRow.run_id == run.id
        )
    )
    return sum(1 for a, b in keys if (a, b) not in decided)


def parse_record_ref(ref: str) -> str:
    """``SOURCE:RECORD_ID`` (as the CLI shows it) -> record key."""
    source, sep, rid = ref.partition(":")
    if not sep or not source or not rid:
        raise InvalidInput("expected SOURCE:RECORD_ID", path=ref)
    return record_key(source, rid)


def decide(
    session: Session,
    case_id: str,
    left: str,
    right: str,
    decision: str,
    reviewer: str,
    note: str | None = None,
) -> ReviewDecision:
    """Record a decision on a pair of records (keys as :func:`record_key`)."""
    if decision not in DECISIONS:
        raise InvalidInput(f"decision must be one of {', '.join(DECISIONS)}", path="decision")
    if left == right:
        raise InvalidInput("a record cannot be compared with itself", path="decision")
    for key in (left, right):
        _record(session, case_id, key)
    left, right = sorted((left, right))
    row = ReviewDecision(
        case_id=case_id,
        left_key=left,
        right_key=right,
        decision=decision,
        reviewer=reviewer,
        decided_at=_now(),
        note=note,
    )
    session.add(row)
    session.flush()
    return row


def delete_runs(session: Session, case_id: str) -> None:
    """Remove stored runs of a case (used by tests and to reclaim space; decisions stay)."""
    ids = list(session.scalars(select(LinkageRun.id).where(LinkageRun.case_id == case_id)))
    for table in (LinkageMember, ReviewItemRow):
        session.execute(delete(table).where(table.run_id.in_(ids)))
    session.execute(delete(LinkageRun).where(LinkageRun.id.in_(ids)))


def display_key(key: str) -> str:
    source, rid = split_key(key)
    return f"{source}:{rid}"
