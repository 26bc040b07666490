"""The report intake screens: the case's reports with an upload form, and one report's
review page (the text on one side with every proposal's span highlighted, the proposals on
the other, each accepted into a record or rejected with one form).

Reading a report's text is a custody-ledger ``view`` of its original (purpose
"review"). Forms carry the session's CSRF token and need ``write``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from dalil.access import policy
from dalil.model.values import UncertainDate
from dalil.records import DEFAULT_CONFIDENCE, Records, suggestions
from dalil.records.views import RecordView
from dalil.web import api_reports, auth
from dalil.web.deps import CaseRead, CaseWrite, SessionDep, VaultDep, render
from dalil.web.i18n import N_
from dalil.web.proposal_text import Part, origin_parts, rule_label, value_parts

router = APIRouter(include_in_schema=False)
#: the kinds of record a proposal can be accepted into from the review page, with the
#: heading of their group in the record menu
TARGETS = {
    "event": N_("Incidents"),
    "act": N_("Acts"),
    "burial_site": N_("Burial sites"),
    "organisation": N_("Organisations"),
    "person": N_("Persons"),
}


@dataclass(frozen=True)
class Piece:
    """A run of a paragraph's text, highlighted when it is a proposal's span."""

    text: str
    suggestion: suggestions.Shown | None = None


@dataclass(frozen=True)
class Target:
    """A record a proposal can be accepted into, as the record menu names it: by its title
    (data), or an untitled act by its type (a vocabulary code), date and short id."""

    id: str
    title: str | None
    act_type: str | None = None
    when: str | None = None


def target(v: RecordView) -> Target:
    own = v.title if v.current.get("title") or v.current.get("name") or v.label else None
    if own is not None or v.kind != "act":
        return Target(v.id, own or v.id[:8])
    return Target(v.id, None, v.value("act_type"), _when(v.value("date")))


def _when(found: Any) -> str | None:
    """An act's date as ISO days (``2025-03-06`` or ``2025-03-06 – 2025-03-08``)."""
    if not isinstance(found, UncertainDate) or found.earliest is None:
        return None
    first, last = found.earliest.isoformat(), (found.latest or found.earliest).isoformat()
    return first if first == last else f"{first} – {last}"


@dataclass(frozen=True)
class Readable:
    """A proposal's value, origin and rule as labelled parts (:mod:`dalil.web.proposal_text`)."""

    value: list[Part]
    origin: list[Part]
    rule: str | None  # the rule in English words, or None: the page shows the rule's code


def readable(g: suggestions.Shown) -> Readable:
    value: dict[str, Any] = g.value
    return Readable(value_parts(g.kind, value), origin_parts(g.origin), rule_label(g.rule))


def paragraphs(text: str, starts_ends: list[tuple[int, int, str]],
               found: list[suggestions.Shown]) -> list[tuple[str, list[Piece]]]:  # fmt: skip
    """Each paragraph (with its language) cut into pieces at the proposals' spans; a span
    that overlaps an earlier one is listed but not highlighted twice."""
    out = []
    ordered = sorted(found, key=lambda g: (g.start, -g.end))
    for start, end, language in starts_ends:
        pieces, at = [], start
        for g in ordered:
            if g.start < at or g.end > end or g.start < start:
                continue
            if g.start > at:
                pieces.append(Piece(text[at : g.start]))
            pieces.append(Piece(text[g.start : g.end], g))
            at = g.end
        if at < end:
            pieces.append(Piece(text[at:end]))
        out.append((language, pieces))
    return out


@router.get("/cases/{case_id}/reports", response_class=HTMLResponse)
def reports(case_id: str, request: Request, s: SessionDep, access: CaseRead) -> HTMLResponse:
    rows = [(r, suggestions.count(s, r.id, "open")) for r in suggestions.reports(s, case_id)]
    return render(request, "reports.html", access.who, case=access.case, rows=rows,
                        can_write=policy.allowed(s, access.who.user, case_id, "write"))  # fmt: skip


@router.post("/cases/{case_id}/reports")
def add_report(
    case_id: str, request: Request, access: CaseWrite, vault: VaultDep,
    file: Annotated[UploadFile, File()],
    published: Annotated[str | None, Form(max_length=10)] = None,
    csrf: Annotated[str, Form(max_length=200)] = "",
) -> Response:  # fmt: skip
    auth.check_csrf(request, access.who, csrf)
    added = api_reports.add(request, access, vault, file, published or None)
    return RedirectResponse(f"/cases/{case_id}/reports/{added.report_id}", status_code=303)


@router.get("/cases/{case_id}/reports/{report_id}", response_class=HTMLResponse)
def report(case_id: str, report_id: str, request: Request, s: SessionDep, access: CaseRead,
           vault: VaultDep) -> HTMLResponse:  # fmt: skip
    r = suggestions.report(s, case_id, report_id)
    doc = suggestions.text_of(vault, s, r, access.actor, "review")
    found = suggestions.shown(s, vault, case_id, report_id)
    can_write = policy.allowed(s, access.who.user, case_id, "write")
    targets = []
    if can_write:
        book = Records(s, case_id, access.actor)
        targets = [(heading, [target(v) for v in book.all(kind)
                               if kind != "person" or v.protection_level == "public"])
                   for kind, heading in TARGETS.items()]  # fmt: skip
    spans = [(p.start, p.end, p.language) for p in doc.paragraphs]
    return render(request, "report.html", access.who, case=access.case, r=r, doc=doc,
                        paragraphs=paragraphs(doc.text, spans, found), found=found,
                        readable={g.id: readable(g) for g in found},
                        targets=targets, can_write=can_write,
                        confidence=DEFAULT_CONFIDENCE)  # fmt: skip


@router.post("/cases/{case_id}/reports/{report_id}/suggestions/{suggestion_id}")
def decide(
    case_id: str, report_id: str, suggestion_id: str, request: Request, s: SessionDep,
    access: CaseWrite, vault: VaultDep,
    decision: Annotated[str, Form(pattern="^(accept|reject)$")],
    record: Annotated[str, Form(max_length=64)] = "",
    note: Annotated[str, Form(max_length=2000)] = "",
    csrf: Annotated[str, Form(max_length=200)] = "",
) -> Response:  # fmt: skip
    """Accept a proposal into the chosen record, or reject it; back to the same place."""
    auth.check_csrf(request, access.who, csrf)
    suggestions.report(s, case_id, report_id)
    if decision == "accept":
        suggestions.accept(s, vault, case_id, suggestion_id, access.actor,
                           record_id=record or None, note=note.strip() or None)  # fmt: skip
    else:
        suggestions.reject(s, case_id, suggestion_id, access.actor, note)
    return RedirectResponse(f"/cases/{case_id}/reports/{report_id}#s-{suggestion_id}", 303)
