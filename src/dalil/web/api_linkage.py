"""API v1 for a case's victim lists, linked persons, review queue and estimates.

Case-scoped routes carry the case id in the path; every route asks
:func:`dalil.access.policy.require` first, so a case the caller is not a member of
answers 404. Input and output schemas are separate pydantic models (no mass assignment).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from dalil.access import policy
from dalil.estimate import service as estimates
from dalil.linkage import service as linkage
from dalil.linkage.features import record_key, split_key
from dalil.web import auth
from dalil.web.deps import SessionDep

router = APIRouter(prefix="/api/v1/cases/{case_id}", tags=["victim lists and linkage"])


class ListOut(BaseModel):
    source: str
    file_name: str
    rows: int
    encoding: str
    sha256: str
    imported_at: str


class RecordRef(BaseModel):
    source: str
    record_id: str


class PersonOut(BaseModel):
    person: str
    records: list[RecordRef]


class ReviewItemOut(BaseModel):
    rank: int
    kind: str
    probability: float
    reason: str
    left: RecordRef
    right: RecordRef
    left_record: dict[str, str]
    right_record: dict[str, str]


class DecisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    left: RecordRef
    right: RecordRef
    decision: Literal["match", "no_match", "unsure"]
    note: str | None = Field(default=None, max_length=2000)


class DecisionOut(BaseModel):
    id: int
    decision: str
    reviewer: str
    decided_at: str


def _ref(key: str) -> RecordRef:
    source, rid = split_key(key)
    return RecordRef(source=source, record_id=rid)


@router.get("/lists")
def list_lists(case_id: str, request: Request, s: SessionDep) -> list[ListOut]:
    who = auth.require_caller(request, s)
    policy.require(s, who.user, case_id, "read")
    return [ListOut(source=v.source, file_name=v.file_name, rows=v.row_count,
                    encoding=v.encoding, sha256=v.sha256,
                    imported_at=v.imported_at.isoformat())
            for v in linkage.lists(s, case_id)]  # fmt: skip


@router.get("/persons")
def list_persons(case_id: str, request: Request, s: SessionDep) -> list[PersonOut]:
    who = auth.require_caller(request, s)
    policy.require(s, who.user, case_id, "read")
    run = linkage.latest_run(s, case_id)
    return [PersonOut(person=p, records=[RecordRef(source=a, record_id=b) for a, b in recs])
            for p, recs in linkage.persons(s, run.id).items()]  # fmt: skip


@router.get("/review")
def review_queue(
    case_id: str, request: Request, s: SessionDep, limit: Annotated[int, Query(ge=1, le=100)] = 10
) -> list[ReviewItemOut]:
    who = auth.require_caller(request, s)
    policy.require(s, who.user, case_id, "read")
    return [
        ReviewItemOut(rank=i.rank, kind=i.kind, probability=i.probability, reason=i.reason,
                      left=_ref(i.left_key), right=_ref(i.right_key), left_record=i.left,
                      right_record=i.right)
        for i in linkage.next_reviews(s, case_id, limit)
    ]  # fmt: skip


@router.post("/review/decisions", status_code=201)
def decide(case_id: str, body: DecisionIn, request: Request, s: SessionDep) -> DecisionOut:
    who = auth.require_caller(request, s)
    auth.check_csrf(request, who, None)
    policy.require(s, who.user, case_id, "decide")
    row = linkage.decide(
        s, case_id,
        record_key(body.left.source, body.left.record_id),
        record_key(body.right.source, body.right.record_id),
        body.decision, who.user.name, body.note,
    )  # fmt: skip
    return DecisionOut(id=row.id, decision=row.decision, reviewer=row.reviewer,
                       decided_at=row.decided_at.isoformat())  # fmt: skip


@router.get("/estimates")
def list_estimates(case_id: str, request: Request, s: SessionDep) -> list[dict[str, Any]]:
    who = auth.require_caller(request, s)
    policy.require(s, who.user, case_id, "read")
    return estimates.stored(s, case_id)
