"""The record pages: an incident with its facts and the form that adds one, the victims
list and the burial sites.

Every page reaches its case through :func:`dalil.web.deps.case_access` and is audited like
the API. A refused form comes back with the error beside it and what was typed, status 400.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from dalil.errors import InvalidInput, NotFound
from dalil.model import kind_spec
from dalil.model.entry import read_value
from dalil.records import DEFAULT_CONFIDENCE, Records, RecordView, person_search
from dalil.records.overview import describe
from dalil.web import auth
from dalil.web.deps import MAX_INDEX, Access, CaseRead, CaseWrite, SessionDep, render
from dalil.web.entry import Text, as_input, citations, form_page, sources_of

router = APIRouter(include_in_schema=False)
PAGE = 50


@router.get("/cases/{case_id}/victims", response_class=HTMLResponse)
def victims(
    case_id: str,
    request: Request,
    s: SessionDep,
    access: CaseRead,
    q: Annotated[str, Query(max_length=200)] = "",
    sex: Annotated[str, Query(max_length=10)] = "",
    page: Annotated[int, Query(ge=0, le=MAX_INDEX)] = 0,
) -> HTMLResponse:
    """Documented persons (never protected ones), searchable in either script through
    the person search index (:mod:`dalil.records.person_search`): every word of the query starts a
    word of a name, or the query's cross-script keys are all keys of a name (so "Mohammad
    al-Ahmad" finds "محمد الأحمد")."""
    total, more, ids = person_search.search(s, case_id, q, sex, limit=PAGE, offset=page * PAGE)
    rows = person_search.found(s, ids)
    return render(request, "victims.html", access.who, case=access.case, rows=rows,
                  total=total, more=more, q=q, sex=sex, page=page,
                  pages=max(0, total - 1) // PAGE + 1,
                  describe=describe)  # fmt: skip


@router.get("/cases/{case_id}/burial-sites", response_class=HTMLResponse)
def burial_sites(case_id: str, request: Request, s: SessionDep, access: CaseRead) -> HTMLResponse:
    views = Records(s, case_id, access.actor).all("burial_site")
    return render(request, "burial_sites.html", access.who, case=access.case, sites=views,
                  describe=describe)  # fmt: skip


def _event(book: Records, record_id: str) -> RecordView:
    """The incident ``record_id``; any other kind of record is not found here."""
    view = book.get(record_id)
    if view.kind != "event":
        raise NotFound(f"no incident {record_id} in this case")
    return view


@router.get("/cases/{case_id}/incidents/{record_id}", response_class=HTMLResponse)
def incident(
    case_id: str, record_id: str, request: Request, s: SessionDep, access: CaseRead
) -> HTMLResponse:
    return _incident(request, s, access, record_id)


def _incident(
    request: Request, s: Session, access: Access, record_id: str,
    error: InvalidInput | None = None, typed: dict[str, str] | None = None,
) -> HTMLResponse:  # fmt: skip
    book = Records(s, access.case.id, access.actor)
    view = _event(book, record_id)
    every = citations(s, book)
    cited = sorted({sid for f in view.history for sid in f.sources})
    return form_page(request, s, access, "incident.html", error, typed, v=view,
                      sources={i: every[i] for i in cited if i in every}, describe=describe,
                      disputed=view.disagreements())  # fmt: skip


@router.post("/cases/{case_id}/incidents/{record_id}/assertions")
def add_assertion(
    case_id: str,
    record_id: str,
    request: Request,
    s: SessionDep,
    access: CaseWrite,
    field: Annotated[str, Form(max_length=64)],
    value: Text,
    source: Text = "",
    confidence: Text = DEFAULT_CONFIDENCE,
    note: Text = "",
    csrf: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """One more fact about an incident; a second value of a single-valued field stands
    beside the first as a disagreement (correcting goes through the API's ``supersedes``)."""
    auth.check_csrf(request, access.who, csrf)
    typed = {"field": field, "value": value, "source": source, "confidence": confidence,
             "note": note}  # fmt: skip
    book = Records(s, case_id, access.actor)
    _event(book, record_id)
    try:
        spec = kind_spec("event").field(field, "field")
        book.assert_fact(record_id, field, read_value(spec, value), sources=sources_of(source),
                         confidence=confidence, note=note.strip() or None)  # fmt: skip
        s.flush()
    except (InvalidInput, NotFound) as err:
        s.rollback()
        return _incident(request, s, access, record_id, as_input(err), typed)
    return RedirectResponse(f"/cases/{case_id}/incidents/{record_id}", status_code=303)
