"""The case's places and time: the map of incidents and burial sites, and the timeline.

The map is Leaflet (``static/vendor/leaflet-1.9.4``, with leaflet.markercluster) drawing
vector layers only: country outlines, Syria's governorates, an operator's boundaries
under ``<home>/geo`` and the shipped GeoNames places, so it needs no tile server and
nothing is loaded from another host. The page carries its points in a
``<script type="application/json">`` block (the CSP allows no inline script) and lists
them in a table, which is what a browser without JavaScript shows; the boundaries come
from ``map/layers.json``, the same points from ``map.json``. Every route is read through
:data:`CaseRead`, so each is authorised and audited like any page of the case.

Both pages take ``?from=YYYY-MM-DD&to=YYYY-MM-DD`` (either may be left out) and link to
each other keeping the range; see :func:`dalil.report.charts.in_range` for which
incidents a range keeps.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from babel.dates import format_date
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse
from sqlalchemy.orm import Session

from dalil.records import Records, RecordView, case_cache
from dalil.report import charts
from dalil.web.deps import CaseRead, SessionDep, render
from dalil.web.i18n import N_, language, translator

router = APIRouter(include_in_schema=False)


def _date(text: str | None) -> tuple[date | None, bool]:
    """A ``YYYY-MM-DD`` query value: (the day or None, whether it was unreadable)."""
    if not text:
        return None, False
    try:
        return date.fromisoformat(text), False
    except ValueError:
        return None, True


def date_range(request: Request) -> dict[str, Any]:
    """The page's date range from ``?from=&to=`` (ISO days; a day that cannot be read,
    or a range that ends before it starts, is dropped and said so in ``error``), and the
    query string that carries it to the other page."""
    since, bad_since = _date(request.query_params.get("from"))
    until, bad_until = _date(request.query_params.get("to"))
    error = N_("Not a date: use the form YYYY-MM-DD.") if bad_since or bad_until else None
    if since and until and until < since:
        since, until, error = None, None, N_("The range ends before it starts.")
    query = "&".join(f"{k}={v.isoformat()}" for k, v in (("from", since), ("to", until)) if v)
    return {"since": since, "until": until, "error": error, "query": "?" + query if query else ""}


def _all(s: Session, case_id: str, actor: str, kind: str) -> list[RecordView]:
    """Every record of ``kind`` in the case, kept while the case does not change
    (:mod:`dalil.records.case_cache`): reading 500 incidents' facts takes about a second,
    and the map and the timeline are opened far more often than a case changes."""
    return case_cache.cached(s, case_id, f"all {kind} for the map and timeline",
                             lambda: Records(s, case_id, actor).all(kind))  # fmt: skip


def _points(s: Session, case_id: str, actor: str, span: dict[str, Any]) -> charts.MapPoints:
    places = {p.id: p for p in _all(s, case_id, actor, "place")}
    views = _all(s, case_id, actor, "event") + _all(s, case_id, actor, "burial_site")
    return charts.map_points(views, places.get, span["since"], span["until"])


def _link(case_id: str, p: dict[str, Any]) -> str:
    kind = "incidents" if p["kind"] == "event" else "records"
    return f"/cases/{case_id}/{kind}/{p['id']}"


def _payload(case_id: str, found: charts.MapPoints, lang: str, full: bool) -> list[dict[str, Any]]:
    """The points as the map script and ``map.json`` read them: short keys, and in the
    page (not ``full``) without the link and the ISO span, which the script does not
    need (the benchmark case carries 500 points in the page)."""
    return [
        {"k": p["kind"], "id": p["id"], "n": p["n"], "t": p["title"], "w": p["when"],
         "p": (p["place_ar"] if lang == "ar" and p["place_ar"] else p["place"]),
         "lat": p["lat"], "lon": p["lon"],
         **({"u": _link(case_id, p), "from": p["since"], "to": p["until"]} if full else {})}
        for p in found.points
    ]  # fmt: skip


#: interface strings the map script shows, passed to it translated
SCRIPT_TEXT = {
    "open": N_("Open the record"),
    "incident": N_("incident"),
    "burial": N_("burial site"),
    "incidents": N_("Incidents"),
    "places": N_("Places"),
    "fit": N_("Show the whole case"),
}


@router.get("/cases/{case_id}/map", response_class=HTMLResponse)
def map_page(case_id: str, request: Request, s: SessionDep, access: CaseRead) -> HTMLResponse:
    """The zoomable map of the case (see the module's docstring)."""
    span = date_range(request)
    found = _points(s, case_id, access.actor, span)
    lang = language(request)
    t = translator(lang)
    data = {"points": _payload(case_id, found, lang, full=False), "lang": lang,
            "records": f"/cases/{case_id}/",
            "layers": f"/cases/{case_id}/map/layers.json",
            "text": {k: t(v) for k, v in SCRIPT_TEXT.items()}}  # fmt: skip
    return render(request, "map.html", access.who, case=access.case, data=data,
                  points=found.points, unplaced=found.unplaced, outside=found.outside,
                  span=span, link=_link)  # fmt: skip


@router.get("/cases/{case_id}/map.json")
def map_json(case_id: str, request: Request, s: SessionDep, access: CaseRead) -> JSONResponse:
    """The map's points (incidents and burial sites with coordinates) in the date range,
    those without coordinates, and how many incidents the range left out."""
    span = date_range(request)
    found = _points(s, case_id, access.actor, span)
    return JSONResponse({
        "from": span["since"] and span["since"].isoformat(),
        "to": span["until"] and span["until"].isoformat(),
        "error": span["error"], "extent": found.extent(), "outside": found.outside,
        "points": _payload(case_id, found, language(request), full=True),
        "unplaced": [{"k": v.kind, "id": v.id, "t": v.title} for v in found.unplaced],
    })  # fmt: skip


@router.get("/cases/{case_id}/map/layers.json")
def map_layers(case_id: str, request: Request, access: CaseRead) -> JSONResponse:
    """The map's boundaries and places: country outlines, governorates, the operator's
    layers under ``<home>/geo`` and GeoNames places ([name, Arabic name, lat, lon,
    population], most populous first). The same for every case; kept an hour by the
    browser."""
    layers = charts.layers(request.app.state.workspace.home)
    body = {"countries": layers.sources[0], "regions": layers.sources[1],
            "extra": list(layers.sources[2:]),
            "places": [[p["name"], p["name_ar"], p["lat"], p["lon"], p["population"]]
                       for p in charts.places()]}  # fmt: skip
    return JSONResponse(body, headers={"Cache-Control": "private, max-age=3600"})


@router.get("/cases/{case_id}/timeline", response_class=HTMLResponse)
def timeline(case_id: str, request: Request, s: SessionDep, access: CaseRead) -> HTMLResponse:
    """Incidents on a day axis, in the date range if one is given."""
    span = date_range(request)
    line = charts.timeline(_all(s, case_id, access.actor, "event"), span["since"], span["until"])
    lang = language(request)
    for tick in line.ticks:
        tick["label"] = format_date(tick["day"], "d MMM y", locale=lang)
    return render(request, "timeline.html", access.who, case=access.case, line=line, span=span)
