"""API v1 for report intake: reports added to a case, the facts proposed from them, and
the decisions on those proposals (:mod:`dalil.records.suggestions`).

Reading proposals needs ``read`` and an unlocked vault (they are sealed under the report's
evidence key); adding reports and deciding on proposals need ``write``.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from pydantic import BaseModel, ConfigDict, Field

from dalil.errors import InvalidInput
from dalil.extract.reports import StoredReport
from dalil.records import suggestions
from dalil.web import auth
from dalil.web.api_evidence import received
from dalil.web.deps import Access, CaseRead, CaseWrite, SessionDep, VaultDep

router = APIRouter(prefix="/api/v1/cases/{case_id}", tags=["report intake"])


class ReportOut(BaseModel):
    id: str
    format: str
    published: str | None
    characters: int
    languages: str
    source_record: str
    open_suggestions: int


@dataclass(frozen=True)
class SuggestionOut(suggestions.Proposal):
    # the fields of a proposal as the library gives them, and the assertion made of it
    # (named ``assertion`` in the API since it began)
    assertion: str | None

    @classmethod
    def of(cls, shown: suggestions.Shown) -> SuggestionOut:
        proposal = {f.name: getattr(shown, f.name) for f in fields(suggestions.Proposal)}
        return cls(**proposal, assertion=shown.assertion_id)


class AcceptIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    record: str | None = Field(default=None, max_length=64)
    field: str | None = Field(default=None, max_length=64)
    value: Any = None
    confidence: str = Field(default="single_source", max_length=40)
    note: str | None = Field(default=None, max_length=2000)


class RejectIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    note: str = Field(default="", max_length=2000)


class DecidedOut(BaseModel):
    id: str
    status: Literal["accepted", "rejected"]
    assertion: str | None = None


def _out(s: Any, r: StoredReport) -> ReportOut:
    return ReportOut(id=r.id, format=r.format, published=r.published and r.published.isoformat(),
                     characters=r.characters, languages=r.languages, source_record=r.source_id,
                     open_suggestions=suggestions.count(s, r.id, "open"))  # fmt: skip


@router.get("/reports")
def list_reports(case_id: str, s: SessionDep, access: CaseRead) -> list[ReportOut]:
    return [_out(s, r) for r in suggestions.reports(s, case_id)]


def add(request: Request, access: Access, vault: Any, file: UploadFile,
        published: str | None) -> suggestions.Added:  # fmt: skip
    """Receive an upload and add it as a report (shared with the intake screen)."""
    when = None
    if published:
        try:
            when = date.fromisoformat(published)
        except ValueError as err:
            raise InvalidInput("not a date (YYYY-MM-DD)", path="published") from err
    with received(request, vault, file) as path:
        return suggestions.add_report(request.app.state.workspace, vault, access.case.id, path,
                                      access.actor, when)  # fmt: skip


@router.post("/reports", status_code=201)
def upload_report(
    case_id: str,
    request: Request,
    access: CaseWrite,
    vault: VaultDep,
    file: Annotated[UploadFile, File()],
    published: Annotated[str | None, Form(max_length=10)] = None,
    csrf: Annotated[str, Form(max_length=200)] = "",
) -> dict[str, Any]:
    """Add a report (multipart field ``file``): kept in the vault, its facts proposed."""
    auth.check_csrf(request, access.who, csrf)
    added = add(request, access, vault, file, published)
    return {"report": added.report_id, "sha256": added.sha256, "suggestions": added.suggestions,
            "duplicate": added.duplicate,
            "published": added.published and added.published.isoformat()}  # fmt: skip


@router.get("/reports/{report_id}/suggestions")
def list_suggestions(
    case_id: str, report_id: str, s: SessionDep, access: CaseRead, vault: VaultDep,
    status: Annotated[Literal["open", "accepted", "rejected"] | None, Query()] = None,
) -> list[SuggestionOut]:  # fmt: skip
    return [SuggestionOut.of(g) for g in suggestions.shown(s, vault, case_id, report_id, status)]


@router.post("/suggestions/{suggestion_id}/accept")
def accept(
    case_id: str, suggestion_id: str, body: AcceptIn, request: Request, s: SessionDep,
    access: CaseWrite, vault: VaultDep,
) -> DecidedOut:  # fmt: skip
    """Accept a proposal as an assertion about ``record`` (a corrected ``value`` replaces
    the proposed one), cited to the report at the span."""
    auth.check_csrf(request, access.who, None)
    made = suggestions.accept(s, vault, case_id, suggestion_id, access.actor,
                              record_id=body.record, field=body.field, value=body.value,
                              confidence=body.confidence, note=body.note)  # fmt: skip
    return DecidedOut(id=suggestion_id, status="accepted", assertion=made.id)


@router.post("/suggestions/{suggestion_id}/reject")
def reject(
    case_id: str, suggestion_id: str, body: RejectIn, request: Request, s: SessionDep,
    access: CaseWrite,
) -> DecidedOut:  # fmt: skip
    auth.check_csrf(request, access.who, None)
    suggestions.reject(s, case_id, suggestion_id, access.actor, body.note)
    return DecidedOut(id=suggestion_id, status="rejected")
