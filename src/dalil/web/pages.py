"""The investigators' screens: dashboard, estimates, background jobs and (for admins) the
audit log. The incident screens and the forms that change a case are in
:mod:`dalil.web.entry`; the map and timeline in :mod:`dalil.web.map_pages`.

Server-rendered and usable without JavaScript; htmx (vendored, ``static/vendor``) only
refreshes a running job's progress bar and swaps in the next review pair. Every page is
in English or Arabic (:mod:`dalil.web.i18n`) and reaches its case through
:func:`dalil.web.deps.case_access`, so it is audited like the API.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from dalil import jobs
from dalil.access import audit, policy
from dalil.errors import InvalidInput, NotFound
from dalil.estimate import plots
from dalil.estimate import service as estimates
from dalil.linkage import service as linkage
from dalil.linkage.outputs import overlap_table, upset_from_counts
from dalil.records.overview import cached_overview
from dalil.vault import ledger
from dalil.web import api_linkage, auth, i18n
from dalil.web.api_records import require_admin
from dalil.web.code_labels import LABELS
from dalil.web.deps import (
    MAX_INDEX,
    CallerDep,
    CaseLink,
    CaseOverview,
    CaseRead,
    SessionDep,
    render,
)

router = APIRouter(include_in_schema=False)
DASHBOARD_INCIDENTS = 25
JOBS_LISTED = 50


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


# -- estimates and jobs ------------------------------------------------------------------


@router.get("/cases/{case_id}/estimates", response_class=HTMLResponse)
def estimates_page(case_id: str, request: Request, s: SessionDep, access: CaseRead) -> HTMLResponse:
    """Every stored estimate (a table, with its interval with and without the linkage's
    doubt), the latest of each method as a forest plot, the latest estimate made over
    linkage draws with both intervals side by side, and the overlap of the victim lists
    of the latest linkage run, each chart with its text alternative, in the page's
    language."""
    lang = i18n.language(request)
    t = i18n.translator(lang)
    stored = estimates.stored(s, case_id)
    rows = plots.forest_rows(stored, lambda code: method_label(code, t))
    forest = (
        plots.forest_svg(rows, t=t, locale=lang, rtl=lang == "ar", css_class="forest mw-100 h-auto")
        if rows
        else None
    )
    overlap = None
    try:
        tables, _ = estimates.case_tables(s, case_id)
        overlap = overlap_chart(list(tables["all"].lists), Counter(tables["all"].observed()),
                                t, lang)  # fmt: skip
    except NotFound:  # no linkage run yet: the page says so
        overlap = None
    # the latest estimate that carries the linkage's doubt, shown with both its intervals
    doubted = next((e for e in reversed(stored) if e.get("linkage_doubt")), None)
    return render(request, "estimates.html", access.who, case=access.case, stored=stored,
                  forest=forest, overlap=overlap, doubted=doubted,
                  jobs=jobs.recent(s, case_id, 10))  # fmt: skip


def method_label(code: str, t: Callable[[str], str]) -> str:
    """An estimation method in words, in the page's language (as ``term`` shows it)."""
    return t(LABELS["estimation_method"].get(code) or code.replace("_", " "))


def overlap_chart(
    lists: list[str], counts: Counter[tuple[int, ...]], t: Callable[[str], str], lang: str
) -> dict[str, Any]:
    """The list-overlap chart and its numbers for the page's table (its text alternative)."""
    combos, sizes = overlap_table(lists, counts)
    svg = upset_from_counts(lists, counts, t=t, locale=lang)
    return {"svg": svg, "rows": combos, "sizes": sizes}


@router.post("/cases/{case_id}/jobs")
def start_job(
    case_id: str,
    request: Request,
    access: CaseLink,
    kind: Annotated[str, Form(max_length=20)],
    csrf: Annotated[str, Form(max_length=200)] = "",
    linkage_draws: Annotated[str, Form(max_length=10)] = "0",
) -> Response:
    auth.check_csrf(request, access.who, csrf)
    draws = linkage_draws.strip() or "0"
    try:
        body = api_linkage.JobIn.model_validate({"kind": kind, "linkage_draws": draws})
    except ValidationError as err:  # a hand-made form: a located error, not a 500
        first = err.errors()[0]
        field = str(first["loc"][0]) if first["loc"] else "kind"
        raise InvalidInput(str(first["msg"]), path=field) from None
    job = api_linkage.submit_job(case_id, body, request, access)
    return RedirectResponse(f"/cases/{case_id}/jobs/{job.id}", status_code=303)


@router.get("/cases/{case_id}/jobs", response_class=HTMLResponse)
def jobs_page(case_id: str, request: Request, s: SessionDep, access: CaseRead) -> HTMLResponse:
    """The case's latest jobs in words (what runs, how far, when, by whom), with buttons
    to start linkage or estimation for those who may."""
    can_link = policy.allowed(s, access.who.user, case_id, "link")
    return render(request, "jobs_list.html", access.who, case=access.case,
                  jobs=jobs.recent(s, case_id, JOBS_LISTED), can_link=can_link)  # fmt: skip


@router.get("/cases/{case_id}/jobs/{job_id}", response_class=HTMLResponse)
def job_page(
    case_id: str, job_id: str, request: Request, s: SessionDep, access: CaseRead
) -> HTMLResponse:
    """A job with its progress bar; htmx re-fetches the bar (``HX-Request``) every second
    until the job ends, and without JavaScript the page shows the state when loaded."""
    page = "_job_progress.html" if request.headers.get("hx-request") else "job.html"
    job = jobs.get(s, case_id, job_id)
    can_link = job.state == "failed" and policy.allowed(s, access.who.user, case_id, "link")
    return render(request, page, access.who, case=access.case, job=job, can_link=can_link)


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
