"""API v1 for legal analysis: element matrices, findings, and protocol checklists
(:mod:`dalil.legal`). Reading needs ``read``; findings and checklist decisions need
``assess`` (legal and investigator roles)."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from dalil.errors import InvalidInput
from dalil.legal import assessments, checklists
from dalil.legal.casebook import find_record
from dalil.legal.tables import Assessment
from dalil.web import auth
from dalil.web.deps import CaseAssess, CaseRead, SessionDep

router = APIRouter(prefix="/api/v1/cases/{case_id}", tags=["legal analysis"])
Status = Literal["not_assessed", "supported", "contested", "insufficient"]
ItemState = Literal["complete", "partial", "not_started", "not_applicable", "impossible"]


class LinkIO(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: Literal["assertion", "record", "evidence"]
    id: str = Field(min_length=1, max_length=64)


class SuggestionOut(BaseModel):
    rule: str
    status: str
    reason: str
    assertions: list[str]


class ElementOut(BaseModel):
    element: str
    text: str
    contextual: bool
    status: str
    standard: str | None
    assessed_by: str | None
    assessed_at: str | None
    note: str | None
    links: list[LinkIO]
    suggestion: SuggestionOut | None
    evidence_needed: list[str]
    evidence_missing: list[str]


class CrimeOut(BaseModel):
    crime: str
    title: str
    article: str
    elements: list[ElementOut]
    gaps: list[str]


class AssessIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    crime: str = Field(min_length=1, max_length=60)
    element: str = Field(min_length=1, max_length=60)
    standard: str = Field(min_length=1, max_length=40)
    #: omitted with ``confirm``: the records' suggestion becomes the finding
    status: Status | None = None
    confirm: bool = False
    note: str | None = Field(default=None, max_length=4000)
    links: list[LinkIO] = Field(default_factory=list, max_length=500)


class AssessedOut(BaseModel):
    id: str
    status: str
    standard: str
    links: int


class AssessmentOut(BaseModel):
    id: str
    crime: str
    element: str
    status: str
    standard: str
    note: str | None
    links: list[LinkIO]
    assessed_by: str
    assessed_at: str
    catalogue: str
    suggestion: str | None


class CheckOut(BaseModel):
    status: str
    reason: str
    prevented_by: str | None
    subject: str | None
    label: str | None
    decided_by: str | None


class ItemOut(BaseModel):
    item: str
    scope: str
    text: str
    computed: bool
    status: str
    tally: dict[str, int]
    checks: list[CheckOut]


class DecideIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    item: str = Field(min_length=1, max_length=60)
    status: ItemState
    subject: str | None = Field(default=None, max_length=64)
    reason: str | None = Field(default=None, max_length=2000)
    prevented_by: str | None = Field(default=None, max_length=400)


def _element(r: assessments.Row) -> ElementOut:
    sug = r.suggestion
    return ElementOut(
        element=r.element.code,
        text=r.element.text,
        contextual=r.element.contextual,
        status=r.status,
        standard=r.standard,
        assessed_by=r.assessed_by,
        assessed_at=r.assessed_at,
        note=r.note,
        links=[LinkIO(kind=x.kind, id=x.id) for x in r.links],
        suggestion=None
        if sug is None
        else SuggestionOut(
            rule=sug.rule, status=sug.status, reason=sug.reason, assertions=list(sug.assertions)
        ),
        evidence_needed=list(r.element.evidence),
        evidence_missing=r.evidence_missing,
    )


@router.get("/legal/{subject}")
def element_matrix(case_id: str, subject: str, s: SessionDep, access: CaseRead) -> list[CrimeOut]:
    """The element matrix of an incident, person or group (id or label such as EV-00)."""
    found = assessments.matrix(s, case_id, find_record(s, case_id, subject))
    return [
        CrimeOut(
            crime=m.crime.code,
            title=m.crime.title,
            article=m.crime.article,
            elements=[_element(r) for r in m.rows],
            gaps=[r.element.code for r in m.gaps],
        )
        for m in found
    ]


def record_finding(
    s: Session, case_id: str, subject_id: str, crime: str, element: str, *, confirm: bool,
    status: str, standard: str, actor: str, note: str | None,
    links: list[assessments.Link] | None = None,
) -> Assessment:  # fmt: skip
    """One finding on one element, as the API and the element-matrix page record it: with
    ``confirm`` the records' suggestion becomes the finding (``status`` and ``links`` are
    then not used), otherwise the caller's ``status`` resting on ``links``."""
    if confirm:
        return assessments.confirm(s, case_id, subject_id, crime, element, standard=standard,
                                   actor=actor, note=note)  # fmt: skip
    return assessments.assess(s, case_id, subject_id, crime, element, status=status,
                              standard=standard, actor=actor, note=note, links=links)  # fmt: skip


@router.post("/legal/{subject}", status_code=201)
def assess(
    case_id: str, subject: str, body: AssessIn, request: Request, s: SessionDep,
    access: CaseAssess,
) -> AssessedOut:  # fmt: skip
    """Record a finding on one element, or (``confirm``) take the records' suggestion.
    A browser session must send its CSRF token (``X-CSRF-Token``), as on every unsafe route."""
    auth.check_csrf(request, access.who, None)
    sid = find_record(s, case_id, subject)
    if not body.confirm and body.status is None:
        raise InvalidInput("give a status, or confirm the suggestion", path="status")
    row = record_finding(
        s, case_id, sid, body.crime, body.element, confirm=body.confirm,
        status=body.status or "", standard=body.standard, actor=access.actor, note=body.note,
        links=[assessments.Link(x.kind, x.id) for x in body.links],
    )  # fmt: skip
    return AssessedOut(id=row.id, status=row.status, standard=row.standard, links=len(row.links))


@router.get("/legal/{subject}/history")
def assessment_history(
    case_id: str, subject: str, s: SessionDep, access: CaseRead
) -> list[AssessmentOut]:
    """Every finding ever recorded for the subject, oldest first (superseded ones too)."""
    rows = assessments.history(s, case_id, find_record(s, case_id, subject))
    return [
        AssessmentOut(
            id=a.id, crime=a.crime, element=a.element, status=a.status, standard=a.standard,
            note=a.note, links=[LinkIO(**x) for x in a.links], assessed_by=a.assessed_by,
            assessed_at=a.assessed_at.isoformat(), catalogue=a.catalogue,
            suggestion=a.suggestion,
        )
        for a in rows
    ]  # fmt: skip


@router.get("/checklists/{protocol}")
def checklist(case_id: str, protocol: str, s: SessionDep, access: CaseRead) -> list[ItemOut]:
    return [
        ItemOut(
            item=i.item.code,
            scope=i.item.scope,
            text=i.item.text,
            computed=i.item.rule is not None,
            status=i.status,
            tally=i.tally,
            checks=[CheckOut(**vars(c)) for c in i.checks],
        )
        for i in checklists.evaluate(s, case_id, protocol)
    ]


@router.post("/checklists/{protocol}", status_code=201)
def decide(
    case_id: str, protocol: str, body: DecideIn, request: Request, s: SessionDep,
    access: CaseAssess,
) -> CheckOut:  # fmt: skip
    """A person's status for an item; it overrides what the records would compute (a
    browser session sends its CSRF token)."""
    auth.check_csrf(request, access.who, None)
    sid = find_record(s, case_id, body.subject) if body.subject else None
    row = checklists.decide(
        s,
        case_id,
        protocol,
        body.item,
        status=body.status,
        actor=access.actor,
        subject_id=sid,
        reason=body.reason,
        prevented_by=body.prevented_by,
    )
    return CheckOut(
        status=row.status,
        reason=row.reason or "",
        prevented_by=row.prevented_by,
        subject=row.subject_id,
        label=body.subject,
        decided_by=row.decided_by,
    )
