"""The place picker: a search over the gazetteer (Arabic and Latin) for the case's forms.

``GET /cases/{c}/places/pick?q=`` answers, to htmx (``HX-Request``), a fragment of choices
(radio buttons named ``gazetteer``) that the new-incident form swaps in as a person types;
to a plain request, a search page whose results link back to the new-incident form with
the place chosen, so it works without JavaScript. Each choice says whether the case
already has a place record for it (:func:`dalil.records.gazetteer_places.existing`); a
choice the case does not have becomes a place record when the incident is added
(:mod:`dalil.web.entry`). The search itself is :func:`dalil.places.search.search`.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from dalil.places import search
from dalil.records import Records
from dalil.records.gazetteer_places import existing
from dalil.web.deps import CaseRead, SessionDep, render

router = APIRouter(include_in_schema=False)


def known_places(
    s: Session, case_id: str, actor: str, found: list[search.Choice]
) -> dict[int, str]:
    """Gazetteer id -> the case's place record id, for the choices the case already has."""
    if not found:
        return {}
    book = Records(s, case_id, actor)
    return {c.geonameid: pid for c in found if (pid := existing(book, c.ref))}


@router.get("/cases/{case_id}/places/pick", response_class=HTMLResponse)
def pick(
    case_id: str, request: Request, s: SessionDep, access: CaseRead,
    q: Annotated[str, Query(max_length=200)] = "",
    links: Annotated[str, Query(max_length=1)] = "",
) -> HTMLResponse:  # fmt: skip
    """Choices for ``q``: radio buttons for a form, or (``links=1``, and on the plain
    page) links that open the new-incident form with the place chosen."""
    found = search.search(s, q)
    fragment = bool(request.headers.get("hx-request"))
    return render(
        request, "place_choices.html" if fragment else "place_pick.html", access.who,
        case=access.case, q=q, choices=found, chosen="", too_short=len(q.strip()) < 2,
        known=known_places(s, case_id, access.actor, found), pick_links=links == "1",
    )  # fmt: skip
