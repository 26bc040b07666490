"""API v1 for cases, their records and assertions, witness identities, and the audit log.

Every record kind of the catalogue is served by the same routes (``kind`` is a path or
query value checked against the catalogue). Facts go out as their stored JSON with their
provenance (sources, confidence, who assessed them, what they supersede); single-valued
fields with more than one current value are listed under ``disagreements``. Protected
persons appear by pseudonym only; their identities come from the identity routes, which
need the protection-officer role, a reason and the password again.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import func, select

from dalil.access import audit, identities, policy
from dalil.model import kind_spec
from dalil.model.tables import Record
from dalil.records import DEFAULT_CONFIDENCE, Fact, Records, RecordView, sharing
from dalil.records.overview import cached_overview, cached_summary
from dalil.web import auth
from dalil.web.deps import (
    MAX_INDEX,
    CallerDep,
    CaseErase,
    CaseIdentity,
    CaseRead,
    CaseReveal,
    CaseShare,
    CaseWrite,
    SessionDep,
    VaultDep,
    trail,
)

router = APIRouter(prefix="/api/v1", tags=["cases and records"])

Id = Annotated[str, Field(min_length=1, max_length=64)]


class FactOut(BaseModel):
    id: str
    field: str
    value: Any
    confidence: str
    assessed_by: str
    assessed_at: str
    method: str | None
    note: str | None
    supersedes: str | None
    sources: list[str]


class RecordOut(BaseModel):
    id: str
    kind: str
    label: str | None
    title: str
    created_at: str
    created_by: str
    refs: dict[str, str | None]
    protection_level: str | None
    identity_recorded: bool | None = None
    facts: dict[str, list[FactOut]]
    disagreements: list[str]


class RecordDetailOut(RecordOut):
    history: list[FactOut]


class RecordIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: Annotated[str, Field(max_length=40)]
    label: Annotated[str, Field(min_length=1, max_length=80)] | None = None
    refs: dict[Annotated[str, Field(max_length=40)], Id | None] = {}
    facts: dict[Annotated[str, Field(max_length=64)], Any] = {}
    sources: list[Id] = []
    confidence: Annotated[str, Field(max_length=40)] = DEFAULT_CONFIDENCE
    protection_level: Annotated[str, Field(max_length=20)] | None = None


class AssertionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    field: Annotated[str, Field(max_length=64)]
    value: Any
    sources: list[Id] = []
    confidence: Annotated[str, Field(max_length=40)] = DEFAULT_CONFIDENCE
    method: Annotated[str, Field(max_length=10_000)] | None = None
    note: Annotated[str, Field(max_length=10_000)] | None = None
    supersedes: Id | None = None


class IdentityIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    names: list[Annotated[str, Field(max_length=300)]] = []
    contact: Annotated[str, Field(max_length=2000)] = ""
    address: Annotated[str, Field(max_length=2000)] = ""
    id_numbers: list[Annotated[str, Field(max_length=100)]] = []
    notes: Annotated[str, Field(max_length=10_000)] = ""


class RevealIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: Annotated[str, Field(max_length=2000)]
    password: Annotated[str, Field(max_length=1000)]
    code: Annotated[str, Field(max_length=20)] = ""


def fact_out(f: Fact) -> FactOut:
    return FactOut(
        id=f.id, field=f.field, value=f.raw, confidence=f.confidence, assessed_by=f.assessed_by,
        assessed_at=f.assessed_at.isoformat(), method=f.method, note=f.note,
        supersedes=f.supersedes, sources=list(f.sources),
    )  # fmt: skip


def record_out(v: RecordView, detail: bool = False, recorded: set[str] | None = None) -> RecordOut:
    base = {
        "id": v.id, "kind": v.kind, "label": v.label, "title": v.title,
        "created_at": v.created_at.isoformat(), "created_by": v.created_by, "refs": v.refs,
        "protection_level": v.protection_level,
        "identity_recorded": (v.id in recorded) if recorded is not None and
        v.protection_level not in (None, "public") else None,
        "facts": {k: [fact_out(f) for f in fs] for k, fs in v.current.items()},
        "disagreements": sorted(v.disagreements()),
    }  # fmt: skip
    if detail:
        return RecordDetailOut(**base, history=[fact_out(f) for f in v.history])
    return RecordOut(**base)


# -- cases ---------------------------------------------------------------------------


@router.get("/cases")
def list_cases(s: SessionDep, who: CallerDep) -> list[dict[str, object]]:
    return [cached_summary(s, c).to_dict() for c in policy.visible_cases(s, who.user)]


@router.get("/cases/{case_id}")
def case_summary(case_id: str, s: SessionDep, access: CaseRead) -> dict[str, Any]:
    return cached_overview(s, case_id).to_dict()


# -- records and assertions ---------------------------------------------------------


@router.get("/cases/{case_id}/records")
def list_records(
    case_id: str,
    s: SessionDep,
    access: CaseRead,
    kind: Annotated[str, Query(max_length=40)],
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=MAX_INDEX)] = 0,
) -> list[RecordOut]:
    """Records of one kind, by label; ``X-Total-Count`` is not sent (use ``/count``)."""
    kind_spec(kind)
    ids = s.scalars(
        select(Record.id)
        .where(Record.case_id == case_id, Record.kind == kind)
        .order_by(Record.label, Record.created_at, Record.id)
        .limit(limit)
        .offset(offset)
    ).all()
    book = Records(s, case_id, access.actor)
    recorded = identities.recorded_persons(s, case_id) if kind == "person" else None
    return [record_out(v, recorded=recorded) for v in book.views(list(ids))]


@router.get("/cases/{case_id}/records/count")
def count_records(
    case_id: str, s: SessionDep, access: CaseRead, kind: Annotated[str, Query(max_length=40)]
) -> dict[str, int]:
    kind_spec(kind)
    n = s.scalar(
        select(func.count())
        .select_from(Record)
        .where(Record.case_id == case_id, Record.kind == kind)
    )
    return {"count": int(n or 0)}


@router.get("/cases/{case_id}/records/{record_id}")
def get_record(case_id: str, record_id: str, s: SessionDep, access: CaseRead) -> RecordDetailOut:
    view = Records(s, case_id, access.actor).get(record_id)
    recorded = identities.recorded_persons(s, case_id) if view.kind == "person" else None
    out = record_out(view, detail=True, recorded=recorded)
    assert isinstance(out, RecordDetailOut)
    return out


@router.post("/cases/{case_id}/records", status_code=201)
def create_record(
    case_id: str, body: RecordIn, request: Request, s: SessionDep, access: CaseWrite
) -> RecordDetailOut:
    auth.check_csrf(request, access.who, None)
    book = Records(s, case_id, access.actor)
    record = book.add(
        body.kind, label=body.label, refs=body.refs, facts=body.facts, sources=body.sources,
        confidence=body.confidence, protection_level=body.protection_level,
    )  # fmt: skip
    s.flush()
    out = record_out(book.get(record.id), detail=True)
    assert isinstance(out, RecordDetailOut)
    return out


@router.post("/cases/{case_id}/records/{record_id}/assertions", status_code=201)
def add_assertion(
    case_id: str, record_id: str, body: AssertionIn, request: Request, s: SessionDep,
    access: CaseWrite,
) -> FactOut:  # fmt: skip
    """Assert a fact about a record, citing its sources (information records or sources)."""
    auth.check_csrf(request, access.who, None)
    book = Records(s, case_id, access.actor)
    if body.value is None and body.supersedes is None:
        raise HTTPException(422, "a fact needs a value")
    made = book.assert_fact(
        record_id, body.field, body.value, sources=body.sources, confidence=body.confidence,
        method=body.method, note=body.note, supersedes=body.supersedes,
    )  # fmt: skip
    s.flush()
    found = next(f for f in book.get(record_id).history if f.id == made.id)
    return fact_out(found)


# -- witness identities -------------------------------------------------------------


@router.put("/cases/{case_id}/persons/{person_id}/identity", status_code=204)
def record_identity(
    case_id: str, person_id: str, body: IdentityIn, request: Request, s: SessionDep,
    access: CaseIdentity, vault: VaultDep,
) -> None:  # fmt: skip
    """Store a protected person's identity in the identity vault (sealed; never returned
    by this route)."""
    auth.check_csrf(request, access.who, None)
    identities.record(
        s, vault.ring, case_id, person_id, identities.Identity(**body.model_dump()), access.actor
    )


@router.post("/cases/{case_id}/persons/{person_id}/identity/reveal")
def reveal_identity(
    case_id: str, person_id: str, body: RevealIn, request: Request, access: CaseReveal,
    vault: VaultDep,
) -> dict[str, Any]:  # fmt: skip
    """A protected person's identity, for a protection officer who states a reason and
    gives their password (and TOTP code) again. Every attempt is in the custody ledger
    (the library checks the role again, in the transaction that reads the identity)."""
    auth.check_csrf(request, access.who, None)
    found = identities.reveal(
        request.app.state.workspace, vault.ring, access.who.user.id, case_id, person_id,
        reason=body.reason, password=body.password, code=body.code,
    )  # fmt: skip
    return found.__dict__


@router.post("/cases/{case_id}/persons/{person_id}/identity/erase", status_code=204)
def erase_identity(
    case_id: str, person_id: str, body: RevealIn, request: Request, access: CaseErase,
) -> None:  # fmt: skip
    """Erase a protected person's identity for good when it is no longer needed (a
    protection officer, with a reason and the password again); the case records stay,
    under the pseudonym. In the custody ledger as ``identity_erased``."""
    auth.check_csrf(request, access.who, None)
    identities.erase(
        request.app.state.workspace, access.who.user.id, case_id, person_id,
        reason=body.reason, password=body.password, code=body.code,
    )  # fmt: skip


# -- sharing -----------------------------------------------------------------------------


@router.get("/cases/{case_id}/export")
def export_scoped(
    case_id: str,
    request: Request,
    s: SessionDep,
    access: CaseShare,
    scope: Annotated[str, Query(max_length=80)],
    recipient: Annotated[str | None, Query(max_length=200)] = None,
) -> dict[str, Any]:
    """The case document as it may be shared under a consent scope (``consent_scope``
    vocabulary): material of witnesses whose consent does not cover the scope, or who
    withdrew it, is withheld, and the ``sharing`` section says what was. Recorded in the
    custody ledger with the recipient."""
    doc = sharing.scoped_document(s, case_id, scope)
    sharing.note_export(trail(request), access.actor, doc, recipient)
    return doc


# -- audit log ------------------------------------------------------------------------


@router.get("/audit")
def audit_log(
    request: Request,
    s: SessionDep,
    who: CallerDep,
    actor: Annotated[str | None, Query(max_length=200)] = None,
    action: Annotated[str | None, Query(max_length=40)] = None,
    case: Annotated[str | None, Query(max_length=64)] = None,
    since: datetime | None = None,
    until: datetime | None = None,
    before: Annotated[int | None, Query(ge=0, le=MAX_INDEX)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[dict[str, Any]]:
    """The custody ledger's entries, newest first, for workspace admins."""
    require_admin(request, who)
    query = audit.Query(actor, action, case, None, since, until, before, limit)
    return audit.entries(s, query)


def require_admin(request: Request, who: auth.Caller) -> None:
    if not who.user.is_admin:
        trail(request).note("access_denied", who.user.name, route=request.url.path,
                            permission="admin", why="access.forbidden")  # fmt: skip
        raise policy.Forbidden("only workspace admins may read the audit log")
    trail(request).note("authorised", who.user.name, route=request.url.path, permission="admin")


audit_log.policy = "admin"  # type: ignore[attr-defined]
