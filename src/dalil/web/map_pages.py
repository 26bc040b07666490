"""The case's places and time: the map of incidents and burial sites, and the timeline.

Both work offline: nothing is loaded from another host.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from dalil.records import Records
from dalil.report import charts
from dalil.web.deps import CaseRead, SessionDep, render

router = APIRouter(include_in_schema=False)


@router.get("/cases/{case_id}/map", response_class=HTMLResponse)
def map_page(case_id: str, request: Request, s: SessionDep, access: CaseRead) -> HTMLResponse:
    """Incidents and burial sites over country (and operator-supplied) boundaries; an SVG
    drawn here, so it needs no tile server and works offline."""
    book = Records(s, case_id, access.actor)
    places = {p.id: p for p in book.all("place")}  # one read, not one per incident
    found = charts.map_points(book.all("event") + book.all("burial_site"), places.get)
    return render(request, "map.html", access.who, case=access.case,
                  layers=charts.layers(request.app.state.workspace.home), points=found.points,
                  unplaced=found.unplaced, width=charts.W, height=charts.H)  # fmt: skip


@router.get("/cases/{case_id}/timeline", response_class=HTMLResponse)
def timeline(case_id: str, request: Request, s: SessionDep, access: CaseRead) -> HTMLResponse:
    line = charts.timeline(Records(s, case_id, access.actor).all("event"))
    return render(request, "timeline.html", access.who, case=access.case, bars=line.bars,
                  ticks=line.ticks, height=line.height)  # fmt: skip
