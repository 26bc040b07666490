"""The investigators' screens: dashboard, victims, evidence, burial sites, map, timeline,
estimates, background jobs and (for admins) the audit log. The incident screens and the
forms that change a case are in :mod:`dalil.web.entry`.

Server-rendered and usable without JavaScript; htmx (vendored, ``static/vendor``) only
refreshes a running job's progress bar and swaps in the next review pair. Every page is
in English or Arabic (:mod:`dalil.web.i18n`) and reaches its case through
:func:`dalil.web.deps.case_access`, so it is audited like the API.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from dalil import jobs, person_search
from dalil.access import audit, policy
from dalil.errors import NotFound
from dalil.estimate import service as estimates
from dalil.linkage import service as linkage
from dalil.linkage.outputs import upset_from_counts
from dalil.overview import cached_overview, describe
from dalil.records import Records, RecordView
from dalil.vault import ledger
from dalil.vault.tables import VaultItem
from dalil.web import api_linkage, auth, i18n
from dalil.web.api_records import require_admin
from dalil.web.deps import (
    MAX_INDEX,
    CallerDep,
    CaseLink,
    CaseOverview,
    CaseRead,
    SessionDep,
    templates,
)

router = APIRouter(include_in_schema=False)
PAGE = 50
DASHBOARD_INCIDENTS = 25


def render(request: Request, name: str, who: auth.Caller, **context: Any) -> HTMLResponse:
    page = templates.TemplateResponse(request, name, {"who": who, **context})
    if (lang := request.query_params.get("lang")) in i18n.LANGS:
        page.set_cookie("dalil_lang", str(lang), max_age=365 * 86400, samesite="strict", path="/")
    return page


@router.get("/cases/{case_id}", response_class=HTMLResponse)
def dashboard(case_id: str, request: Request, s: SessionDep, access: CaseOverview) -> HTMLResponse:
    """Documented against estimated deaths, the largest incidents (all of them on the
    incidents page), burial sites, disagreements, review items and jobs."""
    o = cached_overview(s, case_id, latest=10, top=DASHBOARD_INCIDENTS)
    stored = estimates.stored(s, case_id)
    return render(
        request, "dashboard.html", access.who, o=o, case=access.case,
        documented=o.summary.victims,
        estimate=stored[-1] if stored else None,
        pending=_pending(s, case_id),
        jobs=jobs.recent(s, case_id, 5),
    )  # fmt: skip


def _pending(s: Session, case_id: str) -> int | None:
    """Open review items of the latest linkage run; None before the first run."""
    try:
        return linkage.pending_count(s, case_id)
    except NotFound:
        return None


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
    the person search index (:mod:`dalil.person_search`): every word of the query starts a
    word of a name, or the query's cross-script keys are all keys of a name (so "Mohammad
    al-Ahmad" finds "محمد الأحمد")."""
    total, more, ids = person_search.search(s, case_id, q, sex, limit=PAGE, offset=page * PAGE)
    rows = person_search.found(s, ids)
    return render(request, "victims.html", access.who, case=access.case, rows=rows,
                  total=total, more=more, q=q, sex=sex, page=page,
                  pages=max(0, total - 1) // PAGE + 1,
                  describe=describe)  # fmt: skip


@router.get("/cases/{case_id}/evidence", response_class=HTMLResponse)
def evidence(
    case_id: str,
    request: Request,
    s: SessionDep,
    access: CaseRead,
    added: Annotated[str, Query(max_length=64)] = "",
) -> HTMLResponse:
    """Items with hashes and custody history; investigators also get the upload form."""
    items = s.scalars(
        select(VaultItem).where(VaultItem.case_id == case_id).order_by(VaultItem.ingest_index)
    ).all()
    shas = frozenset(it.sha256 for it in items)
    trail: dict[str, list[dict[str, Any]]] = {sha: [] for sha in shas}
    for entry in audit.entries(s, audit.Query(case=case_id, items=shas, limit=None)):
        if len(trail[entry["item"]]) < 50:  # the newest 50 per item
            trail[entry["item"]].insert(0, entry)
    can_write = policy.allowed(s, access.who.user, case_id, "write")
    return render(request, "evidence.html", access.who, case=access.case, items=items,
                  trail=trail, added=added, can_write=can_write)  # fmt: skip


@router.get("/cases/{case_id}/burial-sites", response_class=HTMLResponse)
def burial_sites(case_id: str, request: Request, s: SessionDep, access: CaseRead) -> HTMLResponse:
    views = Records(s, case_id, access.actor).all("burial_site")
    return render(request, "burial_sites.html", access.who, case=access.case, sites=views,
                  describe=describe)  # fmt: skip


# -- map and timeline ------------------------------------------------------------------


@cache
def _base_layers() -> tuple[dict[str, Any], ...]:
    path = resources.files("dalil") / "data" / "geo" / "ne_110m_levant.geojson"
    return (json.loads(path.read_text(encoding="utf-8")),)


def _extra_layers(home: Path) -> list[dict[str, Any]]:
    """Finer boundaries an operator has placed in ``<home>/geo/*.geojson``."""
    return [
        json.loads(p.read_text(encoding="utf-8")) for p in sorted((home / "geo").glob("*.geojson"))
    ]


BBOX = (35.4, 32.2, 42.5, 37.4)  # lon/lat of Syria, with a margin
W, H = 760.0, 560.0


def _xy(lon: float, lat: float) -> tuple[float, float]:
    x0, y0, x1, y1 = BBOX
    return round((lon - x0) / (x1 - x0) * W, 1), round((y1 - lat) / (y1 - y0) * H, 1)


def _paths(layer: dict[str, Any]) -> list[str]:
    out = []
    for feature in layer.get("features", []):
        geom = feature.get("geometry") or {}
        polys = geom.get("coordinates", [])
        polys = [polys] if geom.get("type") == "Polygon" else polys
        for poly in polys:
            for ring in poly:
                pts = " ".join("{},{}".format(*_xy(lon, lat)) for lon, lat in ring)
                out.append(f"M{pts}Z")
    return out


def _located(book: Records, view: RecordView) -> tuple[float, float] | None:
    for ref in view.values("place"):
        target = ref.id if hasattr(ref, "id") else ref.get("id")
        place = book.get(target)
        loc = place.value("location")
        if loc is not None and loc.lat is not None and loc.lon is not None:
            return float(loc.lon), float(loc.lat)
    return None


@router.get("/cases/{case_id}/map", response_class=HTMLResponse)
def map_page(case_id: str, request: Request, s: SessionDep, access: CaseRead) -> HTMLResponse:
    """Incidents and burial sites over country (and operator-supplied) boundaries; an SVG
    drawn here, so it needs no tile server and works offline."""
    book = Records(s, case_id, access.actor)
    points, unplaced = [], []
    for kind in ("event", "burial_site"):
        for v in book.all(kind):
            at = _located(book, v)
            if at is None:
                unplaced.append(v)
                continue
            x, y = _xy(*at)
            points.append({"kind": kind, "x": x, "y": y, "title": v.title, "id": v.id,
                           "label": v.label or ""})  # fmt: skip
    extra = _extra_layers(request.app.state.workspace.home)
    layers = [_paths(layer) for layer in (*_base_layers(), *extra)]
    return render(request, "map.html", access.who, case=access.case, layers=layers, points=points,
                  unplaced=unplaced, width=W, height=H)  # fmt: skip


@router.get("/cases/{case_id}/timeline", response_class=HTMLResponse)
def timeline(case_id: str, request: Request, s: SessionDep, access: CaseRead) -> HTMLResponse:
    """Incidents on a day axis: each is a bar from its earliest to its latest possible
    date, so an uncertain date shows as a long bar rather than a false point."""
    book = Records(s, case_id, access.actor)
    spans = []
    for v in book.all("event"):
        for d in v.values("date")[:1]:
            if d.earliest and d.latest:
                spans.append((d.earliest, d.latest, v))
    spans.sort(key=lambda t: (t[0], t[1]))
    bars, ticks = [], []
    if spans:
        start = min(t[0] for t in spans)
        days = max((t[1] - start).days for t in spans) + 1
        scale = 640 / days
        for i, (lo, hi, v) in enumerate(spans):
            bars.append({"x": 150 + (lo - start).days * scale, "y": 30 + i * 22,
                         "w": max(4.0, ((hi - lo).days + 1) * scale), "v": v,
                         "text": describe(v.values("date")[0])})  # fmt: skip
        step = max(1, days // 10)
        ticks = [
            {"x": 150 + k * scale, "label": (start.toordinal() + k)} for k in range(0, days, step)
        ]
        for tick in ticks:
            tick["label"] = datetime.fromordinal(int(tick["label"])).strftime("%d %b %Y")
    return render(request, "timeline.html", access.who, case=access.case, bars=bars, ticks=ticks,
                  height=60 + 22 * len(bars))  # fmt: skip


# -- estimates and jobs ------------------------------------------------------------------


@router.get("/cases/{case_id}/estimates", response_class=HTMLResponse)
def estimates_page(case_id: str, request: Request, s: SessionDep, access: CaseRead) -> HTMLResponse:
    stored = estimates.stored(s, case_id)
    overlap = None
    try:
        tables, _ = estimates.case_tables(s, case_id)
        table = tables["all"]
        overlap = upset_from_counts(list(table.lists), Counter(table.observed()))
    except NotFound:  # no linkage run yet: the page says so
        overlap = None
    top = max([max(e["interval"][1], e["estimate"]) for e in stored] or [1.0])
    return render(request, "estimates.html", access.who, case=access.case, stored=stored,
                  overlap=overlap, top=top, jobs=jobs.recent(s, case_id, 10))  # fmt: skip


@router.post("/cases/{case_id}/jobs")
def start_job(
    case_id: str,
    request: Request,
    access: CaseLink,
    kind: Annotated[str, Form(max_length=20)],
    csrf: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    auth.check_csrf(request, access.who, csrf)
    body = api_linkage.JobIn.model_validate({"kind": kind})
    job = api_linkage.submit_job(case_id, body, request, access)
    return RedirectResponse(f"/cases/{case_id}/jobs/{job.id}", status_code=303)


@router.get("/cases/{case_id}/jobs/{job_id}", response_class=HTMLResponse)
def job_page(
    case_id: str, job_id: str, request: Request, s: SessionDep, access: CaseRead
) -> HTMLResponse:
    """A job with its progress bar; htmx re-fetches the bar (``HX-Request``) every second
    until the job ends, and without JavaScript the page shows the state when loaded."""
    page = "_job_progress.html" if request.headers.get("hx-request") else "job.html"
    return render(request, page, access.who, case=access.case, job=jobs.get(s, case_id, job_id))


# -- audit log (admins) --------------------------------------------------------------------


@router.get("/admin/audit", response_class=HTMLResponse)
def audit_page(
    request: Request,
    s: SessionDep,
    who: CallerDep,
    actor: Annotated[str, Query(max_length=200)] = "",
    action: Annotated[str, Query(max_length=40)] = "",
    case: Annotated[str, Query(max_length=64)] = "",
    before: Annotated[int | None, Query(ge=0, le=MAX_INDEX)] = None,
) -> HTMLResponse:
    require_admin(request, who)
    query = audit.Query(actor or None, action or None, case or None, before=before, limit=100)
    rows = audit.entries(s, query)
    older = rows[-1]["index"] if rows else None
    return render(request, "audit.html", who, rows=rows, actor=actor, action=action, case=case,
                  actions=ledger.ACTIONS, older=older)  # fmt: skip


audit_page.policy = "admin"  # type: ignore[attr-defined]
