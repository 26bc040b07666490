"""The record pages: an incident with everything around it and the form that adds a
fact, the page of any other record, the victims, burial sites, organisations, places and
sources lists, and the correction form every record page carries.

Every page reaches its case through :func:`dalil.web.deps.case_access` and is audited like
the API. A refused form comes back with the error beside it and what was typed, status 400.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup
from sqlalchemy.orm import Session

from dalil.errors import Conflict, InvalidInput, NotFound, ProtectedData
from dalil.model import kind_spec
from dalil.model.entry import read_value
from dalil.model.vocabulary import packaged
from dalil.records import (
    DEFAULT_CONFIDENCE,
    Records,
    RecordView,
    case_cache,
    dossier,
    neighbours,
    person_search,
)
from dalil.records.dossier import words
from dalil.records.dossier_map import MapPoint
from dalil.records.overview import describe
from dalil.vault import holdings
from dalil.web import auth, i18n
from dalil.web.deps import (
    MAX_INDEX,
    Access,
    CaseRead,
    CaseWrite,
    SessionDep,
    VaultDep,
    render,
)
from dalil.web.entry import Text, as_input, sources_of
from dalil.web.i18n import N_
from dalil.web.person_pages import findings, person
from dalil.web.record_shared import PAGES, book_of, href, record_page, say_html

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
    """The victims of the case (persons who are the victim of an act; never protected
    ones), searchable in either script through the person search index
    (:mod:`dalil.records.person_search`), best match first, each result with the rule that
    found it: the exact name, the same name (in either script), a spelling variant of the
    name, a word beginning, a similar spelling."""
    found = person_search.ranked(s, case_id, q, sex, limit=PAGE, offset=page * PAGE,
                                 victims_only=True)  # fmt: skip
    rows = person_search.found(s, found.ids)
    variant = {r.id: person_search.variant_of(q, r.names) for r in rows
               if found.rules.get(r.id) == "variant"}  # fmt: skip
    lang = i18n.language(request)
    return render(request, "victims.html", access.who, case=access.case, rows=rows,
                  total=found.total, more=found.more, q=q, sex=sex, page=page,
                  rules=found.rules, variant=variant,
                  pages=max(0, found.total - 1) // PAGE + 1, describe=describe,
                  sex_label=lambda code: packaged()["sex"].label(code, lang))  # fmt: skip


@router.get("/cases/{case_id}/burial-sites", response_class=HTMLResponse)
def burial_sites(case_id: str, request: Request, s: SessionDep, access: CaseRead) -> HTMLResponse:
    book = book_of(request, s, access)
    return render(request, "burial_sites.html", access.who, case=access.case,
                  sites=book.all("burial_site"), describe=describe,
                  shown=shown_values(book, i18n.language(request)), vocabs=book.vocabs,
                  href=lambda i: href(case_id, "burial_site", i))  # fmt: skip


def shown_values(book: Records, lang: str) -> Callable[[RecordView, str], Markup]:
    """A list's cell: a record's current values of one field, said in ``lang``."""

    comma = Markup("، " if lang == "ar" else ", ")  # the Arabic comma on an Arabic page

    def shown(v: RecordView, name: str) -> Markup:
        return comma.join(say_html(words({}, v.kind, name, x), lang, book.vocabs)
                          for x in v.values(name))  # fmt: skip

    return shown


def _event(book: Records, record_id: str) -> RecordView:
    """The incident ``record_id``; any other kind of record is not found here."""
    view = book.get(record_id)
    if view.kind != "event":
        raise NotFound(f"no incident {record_id} in this case")
    return view


@router.get("/cases/{case_id}/incidents/{record_id}", response_class=HTMLResponse)
def incident(
    case_id: str, record_id: str, request: Request, s: SessionDep, access: CaseRead,
    first: Annotated[int, Query(ge=0, le=MAX_INDEX)] = 0,
) -> HTMLResponse:  # fmt: skip
    return _incident(request, s, access, record_id, first=first)


def _incident(
    request: Request, s: Session, access: Access, record_id: str,
    error: InvalidInput | None = None, typed: dict[str, str] | None = None, first: int = 0,
) -> HTMLResponse:  # fmt: skip
    """The incident's page: its acts and victims, groups, places, sources, evidence,
    related incidents, map and timeline (:func:`dalil.records.dossier.incident_page`)."""
    book = book_of(request, s, access)
    # kept until the case changes: an incident's page is read far more often than written
    page = case_cache.cached(s, access.case.id, f"incident page {record_id} {first}",
                             lambda: dossier.incident_page(book, record_id, first))  # fmt: skip
    evidence, named = attached_evidence(request, s, access, record_id)
    found = findings(s, access.case.id, record_id)
    lang = i18n.language(request)

    def part(name: str, caller: Callable[[], str]) -> Markup:
        """A part of the page that is the same for every reader in this language (its
        acts, facts, map, timeline, relations, places and sources), rendered once per case
        revision: drawing the 50 act rows and 20 facts was most of a gathered page's cost."""
        key = f"incident html {record_id} {first} {lang} {name}"
        return case_cache.cached(s, access.case.id, key, lambda: Markup(caller()))

    return record_page(request, s, access, book, "incident.html", page, error, typed,
                       evidence=evidence, named=named, attachable=attachable(s, access, evidence),
                       findings=found,
                       shown_acts=dossier.SHOWN_ACTS,
                       map_others=lambda pts: _map_others(s, access.case.id, pts),
                       part=part)  # fmt: skip


def _map_others(s: Session, case_id: str, points: list[MapPoint]) -> Markup:
    """The small map's points other than the incident's own, as SVG. Every incident page
    draws the same few hundred places of the case: their markup is made once per case
    revision (the points depend only on the case's places), not by the template on every
    page, where it was a third of the page's rendering time."""

    def compute() -> dict[str, Markup]:
        return {pt.id: Markup(
            '<a href="{}"><circle cx="{:.1f}" cy="{:.1f}" r="1.8" fill="#6c757d" stroke="#fff" '
            'stroke-width=".6"><title>{}</title></circle></a>\n'
        ).format(href(case_id, "place", pt.id), pt.x, pt.y, pt.title) for pt in points}  # fmt: skip

    drawn = case_cache.cached(s, case_id, "incident map points", compute)
    return Markup("").join(drawn.get(pt.id) or compute()[pt.id] for pt in points if not pt.here)


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
    beside the first as a disagreement (a correction supersedes: :func:`correct`)."""
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


@router.get("/cases/{case_id}/records/{record_id}", response_class=HTMLResponse)
def record(
    case_id: str, record_id: str, request: Request, s: SessionDep, access: CaseRead
) -> Response:
    """Any other record's page; a person's or an incident's is their own page."""
    kind = Records(s, case_id, access.actor).get(record_id).kind
    if kind in PAGES:
        return RedirectResponse(href(case_id, kind, record_id), status_code=303)
    return _record(request, s, access, record_id)


def _record(
    request: Request, s: Session, access: Access, record_id: str,
    error: InvalidInput | None = None, typed: dict[str, str] | None = None,
) -> HTMLResponse:  # fmt: skip
    book = book_of(request, s, access)
    page = neighbours.record_page(book, record_id)
    evidence, named = attached_evidence(request, s, access, record_id)
    return record_page(request, s, access, book, "record_page.html", page, error, typed,
                       kind=kind_spec(page.view.kind), evidence=evidence, named=named,
                       attachable=attachable(s, access, evidence),
                       findings=findings(s, access.case.id, record_id))  # fmt: skip


@router.post("/cases/{case_id}/records/{record_id}/evidence")
def attach_evidence(
    case_id: str,
    record_id: str,
    request: Request,
    s: SessionDep,
    access: CaseWrite,
    vault: VaultDep,
    item_id: Annotated[str, Form(max_length=64)] = "",
    csrf: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Attach an evidence item of the case to this record, from the record's side (the
    item page attaches from the other side; both are the vault's ``attached`` custody
    event), then back to the record's page."""
    auth.check_csrf(request, access.who, csrf)
    kind = Records(s, case_id, access.actor).get(record_id).kind
    if not item_id.strip():
        raise InvalidInput(N_("choose the evidence item to attach"), path="item_id")
    try:
        vault.attach(case_id, item_id.strip(), record_id, access.actor)
    except NotFound as err:
        raise InvalidInput(err.message, path="item_id") from None
    return RedirectResponse(href(case_id, kind, record_id) + "#evidence-h", status_code=303)


def attachable(
    s: Session, access: Access, attached: list[holdings.EvidenceItem]
) -> list[holdings.EvidenceItem]:
    """The case's items not yet attached to the record, newest first, for the record
    page's attach form (named by number, type and date: their names are sealed, and
    reading every name on every page view would be a custody view of each)."""
    taken = {e.id for e in attached}
    return [e for e in reversed(holdings.evidence_items(s, access.case.id)) if e.id not in taken]


def attached_evidence(
    request: Request, s: Session, access: Access, record_id: str
) -> tuple[list[holdings.EvidenceItem], dict[str, dict[str, Any]]]:
    """The evidence items attached to a record and, when the server holds the vault, their
    sealed names and descriptions (each one read is a custody ``view`` entry naming the
    signed-in user, as in the gallery); without the vault the page names items by type
    and hash."""
    items = holdings.supporting(s, access.case.id, record_id)
    vault = request.app.state.vault
    if not items or vault is None:
        return items, {}
    return items, vault.describe_many(access.case.id, [e.id for e in items], access.actor,
                                      "record page")  # fmt: skip


#: the list pages of the kinds the case navigation names, with their headings
LISTS = {"organisations": ("organisation", N_("Organisations")), "places": ("place", N_("Places")),
         "sources": ("source", N_("Sources"))}  # fmt: skip


def _list(request: Request, s: Session, access: Access, which: str) -> HTMLResponse:
    """The case's organisations and armed groups, places or sources (a case has tens of
    them, not thousands: all are listed)."""
    kind, heading = LISTS[which]
    book = book_of(request, s, access)
    views = book.all(kind)
    return render(request, "record_list.html", access.who, case=access.case, views=views,
                  kind=kind, heading=heading, shown=shown_values(book, i18n.language(request)),
                  vocabs=book.vocabs,
                  href=lambda i: href(access.case.id, kind, i))  # fmt: skip


@router.get("/cases/{case_id}/organisations", response_class=HTMLResponse)
def organisations(case_id: str, request: Request, s: SessionDep, access: CaseRead) -> HTMLResponse:
    return _list(request, s, access, "organisations")


@router.get("/cases/{case_id}/places", response_class=HTMLResponse)
def places(case_id: str, request: Request, s: SessionDep, access: CaseRead) -> HTMLResponse:
    return _list(request, s, access, "places")


@router.get("/cases/{case_id}/sources", response_class=HTMLResponse)
def sources(case_id: str, request: Request, s: SessionDep, access: CaseRead) -> HTMLResponse:
    return _list(request, s, access, "sources")


@router.post("/cases/{case_id}/records/{record_id}/corrections")
def correct(
    case_id: str,
    record_id: str,
    request: Request,
    s: SessionDep,
    access: CaseWrite,
    supersedes: Annotated[str, Form(max_length=64)] = "",
    value: Text = "",
    source: Text = "",
    confidence: Text = DEFAULT_CONFIDENCE,
    note: Text = "",
    csrf: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """A correction: a new assertion that supersedes the chosen current one, with its
    source and confidence (:meth:`Records.correct`). The old one stays in the history."""
    auth.check_csrf(request, access.who, csrf)
    typed = {"supersedes": supersedes, "value": value, "source": source,
             "confidence": confidence, "note": note, "correct": "1"}  # fmt: skip
    book = Records(s, case_id, access.actor)
    view = book.get(record_id)
    try:
        old = next((f for f in view.history if f.id == supersedes), None)
        if old is None:
            raise InvalidInput(N_("choose the fact to correct"), path="supersedes")
        spec = kind_spec(view.kind).field(old.field, "supersedes")
        book.correct(supersedes, read_value(spec, value), sources=sources_of(source),
                     confidence=confidence, note=note.strip() or None)  # fmt: skip
        s.flush()
    except (InvalidInput, NotFound, Conflict, ProtectedData) as err:
        s.rollback()
        wrong = err if isinstance(err, InvalidInput) else InvalidInput(err.message, path=err.path)
        if view.kind == "event":
            return _incident(request, s, access, record_id, wrong, typed)
        if view.kind == "person":
            return person(request, s, access, record_id, wrong, typed)
        return _record(request, s, access, record_id, wrong, typed)
    return RedirectResponse(href(case_id, view.kind, record_id), status_code=303)
