"""The screens' forms that change a case: a new incident, an assertion about an incident
(each with its source and confidence), and an evidence upload.

Plain HTML forms posting back to the page (no JavaScript needed). A refused form comes
back with the error next to the form and the typed values kept, status 400; nothing is
written. Each form carries the session's CSRF token and needs the ``write`` permission.

An incident's place is a place record of the case, or a place of the gazetteer chosen with
the place picker (:mod:`dalil.web.place_picker`; without JavaScript its search page links
back here with ``?gazetteer=<id>``): a gazetteer place the case has no record of becomes
one (:func:`dalil.records.gazetteer_places.place_for`) in the incident's transaction.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from dalil.access import policy
from dalil.errors import InvalidInput, NotFound
from dalil.model import kind_spec
from dalil.model.entry import read_value
from dalil.places import search
from dalil.records import DEFAULT_CONFIDENCE, Records, case_cache
from dalil.records.gazetteer_places import place_for
from dalil.records.overview import cached_overview
from dalil.web import auth
from dalil.web.deps import Access, CaseRead, CaseWrite, SessionDep, render
from dalil.web.i18n import N_

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
        return (sorted(citations(s, book).items(), key=lambda kv: kv[1]),
                [(p.id, p.title) for p in book.all("place")])  # fmt: skip

    sources, places = case_cache.cached(s, access.case.id, "form options", options)
    return {
        "can_write": True,
        "source_options": sources,
        "place_options": places,
        "confidences": list(book.vocabs.get("credibility").terms.values()),
        "event_fields": [f for f in kind_spec("event").fields.values() if f.type != "place"],
    }


def citations(s: Session, book: Records) -> dict[str, str]:
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


def sources_of(source: str) -> list[str]:
    return [source] if source.strip() else []


@router.get("/cases/{case_id}/incidents", response_class=HTMLResponse)
def incidents(
    case_id: str, request: Request, s: SessionDep, access: CaseRead,
    gazetteer: Annotated[str, Query(max_length=20)] = "",
) -> HTMLResponse:  # fmt: skip
    """The incidents and the new-incident form (with ``gazetteer``: that place chosen)."""
    return _incidents(request, s, access, typed={"gazetteer": gazetteer} if gazetteer else None)


def _incidents(
    request: Request, s: Session, access: Access, error: InvalidInput | None = None,
    typed: dict[str, str] | None = None,
) -> HTMLResponse:  # fmt: skip
    o = cached_overview(s, access.case.id, latest=0)
    chosen = _chosen(s, (typed or {}).get("gazetteer", ""))
    return form_page(request, s, access, "incidents.html", error, typed, events=o.events,
                     chosen=[chosen] if chosen else [])  # fmt: skip


def _chosen(s: Session, gazetteer: str) -> search.Choice | None:
    """The gazetteer place a form names, if it names one the gazetteer has."""
    try:
        return search.choice(s, int(gazetteer))
    except (ValueError, NotFound):
        return None


def form_page(
    request: Request, s: Session, access: Access, template: str, error: InvalidInput | None,
    typed: dict[str, str] | None, **context: Any,
) -> HTMLResponse:  # fmt: skip
    """A page with the case's forms: status 400 with the error and what was typed when a
    form was refused."""
    page = render(request, template, access.who, case=access.case, error=error,
                        typed=typed or {}, **context, **form_context(s, access))  # fmt: skip
    page.status_code = 400 if error else 200
    return page


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
    gazetteer: Annotated[str, Form(max_length=20)] = "",
    csrf: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """A new incident whose first facts all cite ``source`` with ``confidence``; at a
    place of the case or at a gazetteer place (made a place of the case now)."""
    auth.check_csrf(request, access.who, csrf)
    typed = dict(zip(INCIDENT_FIELDS, (title, date, place, casualties, description), strict=True))
    typed |= {"source": source, "confidence": confidence, "gazetteer": gazetteer}
    try:
        book = Records(s, case_id, access.actor)
        given = {k: typed[k] for k in INCIDENT_FIELDS}
        if gazetteer.strip():
            given["place"] = _gazetteer_place(book, place, gazetteer)
        facts = _facts(given)
        record = book.add("event", facts=facts, sources=sources_of(source),
                          confidence=confidence)  # fmt: skip
        s.flush()
    except (InvalidInput, NotFound) as err:
        s.rollback()
        return _incidents(request, s, access, as_input(err), typed)
    return RedirectResponse(f"/cases/{case_id}/incidents/{record.id}", status_code=303)


def _gazetteer_place(book: Records, place: str, gazetteer: str) -> str:
    """The place record for the gazetteer place chosen in the form, made when the case has
    none (in the caller's transaction)."""
    if place.strip():
        raise InvalidInput(N_("choose a place of the case or a gazetteer place, not both"),
                           path="place")  # fmt: skip
    try:
        geonameid = int(gazetteer)
    except ValueError:
        raise InvalidInput(N_("not a place of the gazetteer; search again"),
                           path="gazetteer") from None  # fmt: skip
    return place_for(book, geonameid)


def as_input(err: InvalidInput | NotFound) -> InvalidInput:
    """A source or place that vanished is, for the form, a bad choice in that field."""
    return err if isinstance(err, InvalidInput) else InvalidInput(err.message, path=err.path)
