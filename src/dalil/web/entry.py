"""The screens' forms that change a case: a new incident, an assertion about an incident
(each with its source and confidence), and an evidence upload.

Plain HTML forms posting back to the page (no JavaScript needed). A refused form comes
back with the error next to the form and the typed values kept, status 400; nothing is
written. Each form carries the session's CSRF token and needs the ``write`` permission.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from dalil.access import policy
from dalil.errors import InvalidInput, NotFound
from dalil.model import kind_spec
from dalil.model.entry import read_value
from dalil.records import DEFAULT_CONFIDENCE, Records, RecordView, case_cache
from dalil.records.overview import cached_overview, describe
from dalil.web import api_evidence, auth, pages
from dalil.web.deps import Access, CaseRead, CaseWrite, SessionDep, VaultDep

router = APIRouter(include_in_schema=False)

Text = Annotated[str, Form(max_length=10_000)]
#: The incident fields a person types into the new-incident form, in order.
INCIDENT_FIELDS = ("title", "date", "place", "casualties", "description")


def form_context(s: Session, access: Access) -> dict[str, Any]:
    """What the case's forms offer: its information records as sources, its places, the
    confidence levels, and whether this caller may write at all (the lists only for
    those who may, and kept until the case changes)."""
    if not policy.allowed(s, access.who.user, access.case.id, "write"):
        return {"can_write": False}
    book = Records(s, access.case.id, access.actor)

    def options() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
        return (sorted(_citations(s, book).items(), key=lambda kv: kv[1]),
                [(p.id, p.title) for p in book.all("place")])  # fmt: skip

    sources, places = case_cache.cached(s, access.case.id, "form options", options)
    return {
        "can_write": True,
        "source_options": sources,
        "place_options": places,
        "confidences": list(book.vocabs.get("credibility").terms.values()),
        "event_fields": [f for f in kind_spec("event").fields.values() if f.type != "place"],
    }


def _citations(s: Session, book: Records) -> dict[str, str]:
    """How each information record of the case is cited on screen, by id (kept until the
    case changes: incident pages and forms read it far more often than it changes)."""
    return case_cache.cached(s, book.case_id, "citations",
                             lambda: book.citations(book.all("information_record")))  # fmt: skip


def _facts(typed: dict[str, str]) -> dict[str, Any]:
    spec = kind_spec("event")
    return {
        name: read_value(spec.field(name), text, path=name)
        for name, text in typed.items()
        if text.strip()
    }


def _sources(source: str) -> list[str]:
    return [source] if source.strip() else []


@router.get("/cases/{case_id}/incidents", response_class=HTMLResponse)
def incidents(case_id: str, request: Request, s: SessionDep, access: CaseRead) -> HTMLResponse:
    return _incidents(request, s, access)


def _incidents(
    request: Request, s: Session, access: Access, error: InvalidInput | None = None,
    typed: dict[str, str] | None = None,
) -> HTMLResponse:  # fmt: skip
    o = cached_overview(s, access.case.id, latest=0)
    return _form_page(request, s, access, "incidents.html", error, typed, events=o.events)


def _form_page(
    request: Request, s: Session, access: Access, template: str, error: InvalidInput | None,
    typed: dict[str, str] | None, **context: Any,
) -> HTMLResponse:  # fmt: skip
    """A page with the case's forms: status 400 with the error and what was typed when a
    form was refused."""
    page = pages.render(request, template, access.who, case=access.case, error=error,
                        typed=typed or {}, **context, **form_context(s, access))  # fmt: skip
    page.status_code = 400 if error else 200
    return page


def _event(book: Records, record_id: str) -> RecordView:
    """The incident ``record_id``; any other kind of record is not found here."""
    view = book.get(record_id)
    if view.kind != "event":
        raise NotFound(f"no incident {record_id} in this case")
    return view


@router.post("/cases/{case_id}/incidents")
def add_incident(
    case_id: str,
    request: Request,
    s: SessionDep,
    access: CaseWrite,
    title: Annotated[str, Form(max_length=1000)],
    date: Text = "",
    place: Text = "",
    casualties: Text = "",
    description: Text = "",
    source: Text = "",
    confidence: Text = DEFAULT_CONFIDENCE,
    csrf: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """A new incident whose first facts all cite ``source`` with ``confidence``."""
    auth.check_csrf(request, access.who, csrf)
    typed = dict(zip(INCIDENT_FIELDS, (title, date, place, casualties, description), strict=True))
    typed |= {"source": source, "confidence": confidence}
    try:
        book = Records(s, case_id, access.actor)
        facts = _facts({k: typed[k] for k in INCIDENT_FIELDS})
        record = book.add("event", facts=facts, sources=_sources(source),
                          confidence=confidence)  # fmt: skip
        s.flush()
    except (InvalidInput, NotFound) as err:
        s.rollback()
        return _incidents(request, s, access, _as_input(err), typed)
    return RedirectResponse(f"/cases/{case_id}/incidents/{record.id}", status_code=303)


def _as_input(err: InvalidInput | NotFound) -> InvalidInput:
    """A source or place that vanished is, for the form, a bad choice in that field."""
    return err if isinstance(err, InvalidInput) else InvalidInput(err.message, path=err.path)


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
    every = _citations(s, book)
    cited = sorted({sid for f in view.history for sid in f.sources})
    return _form_page(request, s, access, "incident.html", error, typed, v=view,
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
        book.assert_fact(record_id, field, read_value(spec, value), sources=_sources(source),
                         confidence=confidence, note=note.strip() or None)  # fmt: skip
        s.flush()
    except (InvalidInput, NotFound) as err:
        s.rollback()
        return _incident(request, s, access, record_id, _as_input(err), typed)
    return RedirectResponse(f"/cases/{case_id}/incidents/{record_id}", status_code=303)


@router.post("/cases/{case_id}/evidence")
def upload_evidence(
    case_id: str,
    request: Request,
    access: CaseWrite,
    vault: VaultDep,
    form: api_evidence.UploadForm,
) -> Response:
    """The evidence page's upload form: the same form and ingest as the API, then back to
    the list with the new item marked."""
    item = api_evidence.ingest(request, access, vault, form)
    return RedirectResponse(f"/cases/{case_id}/evidence?added={item.id}#item-{item.id}", 303)
