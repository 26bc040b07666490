"""Server-rendered screens beyond the overview. First: the linkage review screen.

The screen works without JavaScript (a plain form posts the decision, then the next pair
is shown); ``static/review.js`` adds one-key decisions (m = same person, n = different
people, u = unsure). Field names are shown in the interface language; values keep their
own direction (``dir="auto"``), so Arabic names render right-to-left beside Latin ones.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from dalil.access import policy
from dalil.errors import NotFound
from dalil.intake.victim_lists import FIELDS
from dalil.linkage import service as linkage
from dalil.linkage.features import record_key
from dalil.records.overview import cached_overview
from dalil.web import auth
from dalil.web.deps import CallerDep, CaseDecide, CaseRead, SessionDep, render
from dalil.web.i18n import N_

router = APIRouter(include_in_schema=False)

#: what each kind of review item is, and why the linkage left it to a person (the reasons
#: of :class:`dalil.linkage.clusters.ReviewItem`), in English: the page shows them through ``t``
REVIEW_KINDS = {
    "pair": N_("Uncertain pair"),
    "conflict": N_("Merge refused"),
    "large": N_("Merge refused"),
}
REVIEW_REASONS = (
    N_("uncertain match"),
    N_("inside one person"),
    N_("merge refused: cluster too large"),
    N_("merge refused: a member pair scored as different people"),
    N_("merge refused: two records of one list not shown to be one person"),
)


@router.get("/", response_class=HTMLResponse)
def index(request: Request, s: SessionDep, who: CallerDep) -> HTMLResponse:
    overviews = [cached_overview(s, c.id, latest=5) for c in policy.visible_cases(s, who.user)]
    return render(request, "index.html", who, overviews=overviews)


@router.get("/cases/{case_id}/review", response_class=HTMLResponse)
def review_page(case_id: str, request: Request, s: SessionDep, access: CaseRead) -> HTMLResponse:
    who, case = access.who, access.case
    try:
        items, pending = linkage.next_reviews(s, case_id, 1), linkage.pending_count(s, case_id)
        linked = True
    except NotFound:  # not linked yet: the page says how to start
        items, pending, linked = [], 0, False
    rows = []
    if items:
        item = items[0]
        for f in FIELDS:
            if f == "record_id":
                continue
            a, b = item.left.get(f, ""), item.right.get(f, "")
            if a or b:
                rows.append({"field": f, "left": a, "right": b,
                             "differs": a.strip() != b.strip()})  # fmt: skip
    can_decide = policy.allowed(s, who.user, case_id, "decide")
    return render(request, "review.html", who, case=case, item=items[0] if items else None,
                  rows=rows, pending=pending, can_decide=can_decide, linked=linked,
                  kinds=REVIEW_KINDS)  # fmt: skip


@router.post("/cases/{case_id}/review")
def review_decide(
    case_id: str,
    request: Request,
    s: SessionDep,
    left: Annotated[str, Form()],
    right: Annotated[str, Form()],
    decision: Annotated[str, Form()],
    access: CaseDecide,
    csrf: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
) -> Response:
    auth.check_csrf(request, access.who, csrf)
    keys = [record_key(*ref.split(":", 1)) if ":" in ref else "" for ref in (left, right)]
    linkage.decide(s, case_id, keys[0], keys[1], decision, access.actor, note or None)
    return RedirectResponse(f"/cases/{case_id}/review", status_code=303)
