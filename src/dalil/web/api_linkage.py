"""API v1 for a case's victim lists, linked persons, review queue, estimates and the
background jobs that run linkage and estimation.

Case-scoped routes carry the case id in the path and declare their permission with
:func:`dalil.web.deps.case_access`, so a case the caller is not a member of answers 404.
Input and output schemas are separate pydantic models (no mass assignment).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlalchemy.orm import Session

from dalil import jobs
from dalil.estimate import service as estimates
from dalil.estimate.estimates import Method
from dalil.linkage import service as linkage
from dalil.linkage.features import record_key, split_key
from dalil.web import auth
from dalil.web.deps import Access, CaseDecide, CaseLink, CaseRead, SessionDep

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
def list_lists(case_id: str, s: SessionDep, access: CaseRead) -> list[ListOut]:
    return [ListOut(source=v.source, file_name=v.file_name, rows=v.row_count,
                    encoding=v.encoding, sha256=v.sha256,
                    imported_at=v.imported_at.isoformat())
            for v in linkage.lists(s, case_id)]  # fmt: skip


@router.get("/persons")
def list_persons(case_id: str, s: SessionDep, access: CaseRead) -> list[PersonOut]:
    run = linkage.latest_run(s, case_id)
    return [PersonOut(person=p, records=[RecordRef(source=a, record_id=b) for a, b in recs])
            for p, recs in linkage.persons(s, run.id).items()]  # fmt: skip


@router.get("/review")
def review_queue(
    case_id: str, s: SessionDep, access: CaseRead, limit: Annotated[int, Query(ge=1, le=100)] = 10
) -> list[ReviewItemOut]:
    return [
        ReviewItemOut(rank=i.rank, kind=i.kind, probability=i.probability, reason=i.reason,
                      left=_ref(i.left_key), right=_ref(i.right_key), left_record=i.left,
                      right_record=i.right)
        for i in linkage.next_reviews(s, case_id, limit)
    ]  # fmt: skip


@router.post("/review/decisions", status_code=201)
def decide(
    case_id: str, body: DecisionIn, request: Request, s: SessionDep, access: CaseDecide
) -> DecisionOut:
    auth.check_csrf(request, access.who, None)
    row = linkage.decide(
        s, case_id,
        record_key(body.left.source, body.left.record_id),
        record_key(body.right.source, body.right.record_id),
        body.decision, access.actor, body.note,
    )  # fmt: skip
    return DecisionOut(id=row.id, decision=row.decision, reviewer=row.reviewer,
                       decided_at=row.decided_at.isoformat())  # fmt: skip


@router.get("/estimates")
def list_estimates(case_id: str, s: SessionDep, access: CaseRead) -> list[dict[str, Any]]:
    return estimates.stored(s, case_id)


class JobIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: Literal["linkage", "estimate"]
    method: Literal["lcmcr", "loglinear", "dga"] = "lcmcr"
    #: plausible linkages to estimate over (0: the latest run's linkage only; one is none)
    linkage_draws: int = Field(0, ge=0, le=200)

    @field_validator("linkage_draws")
    @classmethod
    def _not_one(cls, value: int) -> int:
        if value == 1:
            raise ValueError("one drawn linkage says nothing about the doubt: 0, or 2 to 200")
        return value


class JobOut(BaseModel):
    id: str
    kind: str
    state: str
    done: int
    total: int
    message: str
    result: dict[str, Any] | None
    created_by: str
    created_at: str
    finished_at: str | None


def _job_out(job: jobs.Job) -> JobOut:
    return JobOut(**jobs.as_dict(job))


def _linkage(case_id: str, actor: str) -> jobs.Work:
    def work(s: Session, progress: jobs.Progress) -> dict[str, Any]:
        summary, _ = linkage.run_linkage(s, case_id, actor, say=progress)
        return summary.to_dict()

    return work


def _estimate(case_id: str, actor: str, method: Method, draws: int = 0) -> jobs.Work:
    def work(s: Session, progress: jobs.Progress) -> dict[str, Any]:
        progress(f"estimating with {method}")

        def stage(name: str, done: int, total: int) -> None:
            progress(f"estimating with {method}: {name} {done} of {total}")

        extra: dict[str, Any] = {"linkage_draws": draws} if draws else {}
        result = estimates.estimate_case(
            s, case_id, actor, method, progress=stage, **extra
        ).to_dict()
        found = {key: result[key] for key in ("method", "observed", "estimate", "interval")}
        found["interval_covers"] = result["diagnostics"].get("interval_covers")
        doubt = result.get("linkage_doubt")
        if doubt:  # the headline is then the combined figure: say so, and give the other
            found["linkage_doubt"] = {
                key: doubt[key]
                for key in ("draws", "linkage_blind_estimate", "linkage_blind_interval")
            }
        return found

    return work


@router.post("/jobs", status_code=202)
def start_job(case_id: str, body: JobIn, request: Request, access: CaseLink) -> JobOut:
    """Run linkage or estimation in the background; poll ``GET .../jobs/{job_id}``."""
    auth.check_csrf(request, access.who, None)
    return submit_job(case_id, body, request, access)


def submit_job(case_id: str, body: JobIn, request: Request, access: Access) -> JobOut:
    """Queue the job on the app's runner (the caller has checked CSRF)."""
    work = (
        _linkage(case_id, access.actor)
        if body.kind == "linkage"
        else _estimate(case_id, access.actor, body.method, body.linkage_draws)
    )
    runner: jobs.Runner = request.app.state.jobs
    job_id = runner.submit(case_id, body.kind, access.actor, work)
    with request.app.state.workspace.session() as s:
        return _job_out(jobs.get(s, case_id, job_id))


@router.get("/jobs")
def list_jobs(case_id: str, s: SessionDep, access: CaseRead) -> list[JobOut]:
    return [_job_out(j) for j in jobs.recent(s, case_id)]


@router.get("/jobs/{job_id}")
def job_status(case_id: str, job_id: str, s: SessionDep, access: CaseRead) -> JobOut:
    return _job_out(jobs.get(s, case_id, job_id))
