"""A person's page: names, acts, lists, sources, legal findings and, for protection
officers, the forms that reveal or erase a protected person's identity.

Reveal and erase call the same library as the API routes
(:func:`dalil.access.identities.reveal` and :func:`~dalil.access.identities.erase`): the
role is checked by the route's access dependency and again by the library, the officer
states a reason and signs in again (password, and TOTP code when they have one), and every
attempt is in the custody ledger. A revealed identity is on the response page only: never
in a URL, a cookie or a cache.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from dalil.access import accounts, identities, policy
from dalil.errors import InvalidInput, NotFound
from dalil.legal import assessments
from dalil.linkage import person_rows
from dalil.records.dossier import person_page
from dalil.web import auth
from dalil.web.deps import Access, CaseErase, CaseRead, CaseReveal, SessionDep, VaultDep
from dalil.web.record_shared import book_of, record_page

router = APIRouter(include_in_schema=False)
Short = Annotated[str, Form(max_length=2000)]


def findings(s: Session, case_id: str, subject_id: str) -> list[Any]:
    """The current legal assessments about a record: the latest for each crime and
    element (assessments are append-only)."""
    latest: dict[tuple[str, str], Any] = {}
    for a in assessments.history(s, case_id, subject_id):
        latest[(a.crime, a.element)] = a
    return [a for a in latest.values() if a.status != "not_assessed"]


def person(
    request: Request, s: Session, access: Access, person_id: str,
    error: InvalidInput | None = None, typed: dict[str, str] | None = None,
    revealed: identities.Identity | None = None, identity_error: InvalidInput | None = None,
) -> HTMLResponse:  # fmt: skip
    """The person's page (also after a refused correction or identity form)."""
    book = book_of(request, s, access)
    page = person_page(book, person_id)
    user, case = access.who.user, access.case.id
    may = {a: page.protected and policy.allowed(s, user, case, a)
           for a in ("reveal_identity", "erase_identity")}  # fmt: skip
    recorded = page.protected and person_id in identities.recorded_persons(s, case)
    lists = _lists(request, s, access, page)
    out = record_page(request, s, access, book, "person_page.html", page, error, typed,
                      can_reveal=may["reveal_identity"] and recorded,
                      can_erase=may["erase_identity"] and recorded, recorded=recorded,
                      needs_code=bool(user.totp_secret), revealed=revealed,
                      identity_error=identity_error, findings=findings(s, case, person_id),
                      lists=lists)  # fmt: skip
    if identity_error is not None:
        out.status_code = 400
    if revealed is not None:
        out.headers["Cache-Control"] = "no-store"
    return out


def _lists(request: Request, s: Session, access: Access, page: Any) -> Any:
    """The victim-list rows that match the person by name and their linked clusters
    (none for a protected person: their names are not in the case records)."""
    if page.protected:
        return None
    names = [n.value.full for n in page.view.current.get("name", [])]
    return person_rows.naming(s, access.case.id, names)


@router.get("/cases/{case_id}/persons/{person_id}", response_class=HTMLResponse)
def person_view(
    case_id: str, person_id: str, request: Request, s: SessionDep, access: CaseRead
) -> HTMLResponse:
    return person(request, s, access, person_id)


def _identity_form(
    request: Request, access: Access, csrf: str, reason: str, password: str, code: str
) -> dict[str, str]:
    auth.check_csrf(request, access.who, csrf)
    return {"reason": reason, "password": password, "code": code}


@router.post("/cases/{case_id}/persons/{person_id}/identity/reveal", response_class=HTMLResponse)
def reveal(
    case_id: str, person_id: str, request: Request, s: SessionDep, access: CaseReveal,
    vault: VaultDep, reason: Short = "", password: Short = "", code: Short = "",
    csrf: Annotated[str, Form(max_length=200)] = "",
) -> Response:  # fmt: skip
    """The identity, shown once on this response (protection officers; audited)."""
    _identity_form(request, access, csrf, reason, password, code)
    try:
        found = identities.reveal(
            request.app.state.workspace, vault.ring, access.who.user.id, case_id, person_id,
            reason=reason, password=password, code=code,
        )  # fmt: skip
    except (InvalidInput, NotFound, accounts.AuthenticationFailed) as err:
        return person(request, s, access, person_id, identity_error=_refusal(err),
                      typed={"reason": reason})  # fmt: skip
    return person(request, s, access, person_id, revealed=found)


@router.post("/cases/{case_id}/persons/{person_id}/identity/erase", response_class=HTMLResponse)
def erase(
    case_id: str, person_id: str, request: Request, s: SessionDep, access: CaseErase,
    reason: Short = "", password: Short = "", code: Short = "",
    csrf: Annotated[str, Form(max_length=200)] = "",
) -> Response:  # fmt: skip
    """Erase the identity for good (protection officers; audited); the page says so."""
    _identity_form(request, access, csrf, reason, password, code)
    try:
        identities.erase(
            request.app.state.workspace, access.who.user.id, case_id, person_id,
            reason=reason, password=password, code=code,
        )  # fmt: skip
    except (InvalidInput, NotFound, accounts.AuthenticationFailed) as err:
        return person(request, s, access, person_id, identity_error=_refusal(err),
                      typed={"reason": reason, "erase": "1"})  # fmt: skip
    s.expire_all()  # the erasure was committed in its own transaction
    return person(request, s, access, person_id, typed={"erased": "1"})


def _refusal(err: Exception) -> InvalidInput:
    """A refusal as the form shows it, beside the field it concerns."""
    if isinstance(err, InvalidInput):
        return err
    if isinstance(err, accounts.AuthenticationFailed):
        return InvalidInput("wrong password or code", path="password")
    return InvalidInput(str(getattr(err, "message", err)), path="person")
