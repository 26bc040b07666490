"""The legal screens: element matrices per incident and per perpetrator group, protocol
checklists, and case files generated in the background with a progress bar.

Thin over :mod:`dalil.legal` and :mod:`dalil.report`. Findings and checklist decisions
need the ``assess`` permission (legal and investigator roles); a case file for the team
needs ``read``, one for the committee or the public (it leaves the team) ``share``.

The legal texts are shown in the page's language: the catalogues carry their Arabic beside
the English (``text_in(lang)`` in the templates), and the reasons computed from the records
are said again from the Arabic catalogue by :func:`said`, their numbers and names isolated.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup
from sqlalchemy.orm import Session

from dalil import jobs
from dalil.access import policy
from dalil.errors import InvalidInput, NotFound
from dalil.legal import assessments, checklists
from dalil.legal.casebook import CaseBook, find_record
from dalil.legal.elements import STATUSES, catalogue
from dalil.legal.wording import as_html
from dalil.report import casefile
from dalil.report.evidence_index import Unseal
from dalil.web import api_legal, auth, i18n
from dalil.web.deps import CaseAssess, CaseRead, SessionDep, render

router = APIRouter(include_in_schema=False)
FORMATS = ("html", "pdf")
MEDIA = {"html": "text/html; charset=utf-8", "pdf": "application/pdf"}


def say(value: object, lang: str) -> Markup:
    """``value`` (a :class:`Phrase`, a :class:`Term`, data) as HTML in ``lang``."""
    return as_html(value, i18n.translator(lang), lang)


@pass_context
def said(context: Context, reason: str | None) -> Markup:
    """A reason in the page's language: a :class:`Phrase` from its message (English when the
    catalogue has no Arabic for it), anything else (a person's words) as data."""
    if not reason:
        return Markup("")
    return say(reason, str(context.get("lang") or "en"))


@router.get("/cases/{case_id}/legal", response_class=HTMLResponse)
def legal_home(case_id: str, request: Request, s: SessionDep, access: CaseRead) -> HTMLResponse:
    cb = CaseBook.load(s, case_id, access.actor)
    lists = [(p, checklists.evaluate(s, case_id, p.code, cb=cb)) for p in checklists.protocols()]
    return render(request, "legal.html", access.who, case=access.case,
                        subjects=[("incident", e) for e in cb.top_events()]
                        + [("group", g) for g in cb.perpetrator_groups()], lists=lists,
                        jobs=[j for j in jobs.recent(s, case_id, 20) if j.kind == "casefile"],
                        can_share=policy.allowed(s, access.who.user, case_id, "share"))  # fmt: skip


def _can_assess(s: Session, access: Any) -> bool:
    return policy.allowed(s, access.who.user, access.case.id, "assess")


@router.get("/cases/{case_id}/legal/{subject_id}", response_class=HTMLResponse)
def matrix_page(
    case_id: str, subject_id: str, request: Request, s: SessionDep, access: CaseRead
) -> HTMLResponse:
    """The element matrix of one incident or group, every hypothesis side by side."""
    cb = CaseBook.load(s, case_id, access.actor)
    subject = cb.subject(find_record(s, case_id, subject_id))
    found = assessments.matrix(s, case_id, subject.id, cb=cb)
    return render(request, "legal_matrix.html", access.who, case=access.case,
                        subject=subject, matrix=found, statuses=STATUSES,
                        legend=catalogue().evidence,
                        standards=("insufficient", "some_information", "reasonable_grounds",
                                   "strong"),
                        can_assess=_can_assess(s, access), said=said)  # fmt: skip


@router.post("/cases/{case_id}/legal/{subject_id}")
def assess(
    case_id: str, subject_id: str, request: Request, s: SessionDep, access: CaseAssess,
    crime: Annotated[str, Form(max_length=60)], element: Annotated[str, Form(max_length=60)],
    standard: Annotated[str, Form(max_length=40)],
    status: Annotated[str, Form(max_length=20)] = "",
    note: Annotated[str, Form(max_length=4000)] = "",
    confirm: Annotated[str, Form(max_length=5)] = "",
    csrf: Annotated[str, Form(max_length=200)] = "",
) -> Response:  # fmt: skip
    """Record a finding, or take the records' suggestion as one (``confirm``)."""
    auth.check_csrf(request, access.who, csrf)
    sid = find_record(s, case_id, subject_id)
    api_legal.record_finding(s, case_id, sid, crime, element, confirm=bool(confirm),
                             status=status, standard=standard, actor=access.actor,
                             note=note or None)  # fmt: skip
    return RedirectResponse(f"/cases/{case_id}/legal/{sid}#crime-{crime}", status_code=303)


@router.get("/cases/{case_id}/checklists/{protocol}", response_class=HTMLResponse)
def checklist_page(
    case_id: str, protocol: str, request: Request, s: SessionDep, access: CaseRead
) -> HTMLResponse:
    proto = checklists.protocol(protocol)
    items = checklists.evaluate(s, case_id, protocol)
    return render(request, "legal_checklist.html", access.who, case=access.case,
                        protocol=proto, items=items, statuses=checklists.STATUSES,
                        can_assess=_can_assess(s, access), said=said)  # fmt: skip


@router.post("/cases/{case_id}/checklists/{protocol}")
def checklist_decide(
    case_id: str, protocol: str, request: Request, s: SessionDep, access: CaseAssess,
    item: Annotated[str, Form(max_length=60)], status: Annotated[str, Form(max_length=20)],
    subject: Annotated[str, Form(max_length=64)] = "",
    reason: Annotated[str, Form(max_length=2000)] = "",
    prevented_by: Annotated[str, Form(max_length=400)] = "",
    csrf: Annotated[str, Form(max_length=200)] = "",
) -> Response:  # fmt: skip
    auth.check_csrf(request, access.who, csrf)
    sid = find_record(s, case_id, subject) if subject else None
    checklists.decide(s, case_id, protocol, item, status=status, actor=access.actor,
                      subject_id=sid, reason=reason or None,
                      prevented_by=prevented_by or None)  # fmt: skip
    return RedirectResponse(f"/cases/{case_id}/checklists/{protocol}#{item}", status_code=303)


def _folder(request: Request) -> Path:
    folder: Path = request.app.state.workspace.home / "casefiles"
    folder.mkdir(exist_ok=True)
    return folder


@router.post("/cases/{case_id}/casefile")
def start_casefile(
    case_id: str, request: Request, s: SessionDep, access: CaseRead,
    audience: Annotated[str, Form(max_length=20)],
    fmt: Annotated[str, Form(alias="format", max_length=5)],
    csrf: Annotated[str, Form(max_length=200)] = "",
) -> Response:  # fmt: skip
    """Generate a case file in the background; the job page shows its progress. Audience
    and format have no defaults: a file is made only when someone asks for one. The file
    is in the language of the page it was asked from (its headings, legal texts, dates)."""
    auth.check_csrf(request, access.who, csrf)
    if audience not in casefile.AUDIENCES:
        raise InvalidInput(f"audience must be one of {', '.join(casefile.AUDIENCES)}",
                           path="audience")  # fmt: skip
    if fmt not in FORMATS:
        raise InvalidInput("format must be html or pdf", path="format")
    if audience != "internal":  # leaves the team: needs the share permission
        policy.require(s, access.who.user, case_id, "share")
    home, folder = request.app.state.workspace.home, _folder(request)
    vault = request.app.state.vault  # signs a head covering the listed evidence if needed
    sign = vault.checkpoint if vault is not None else None
    actor, lang = access.actor, i18n.language(request)
    # with the vault held, the index names each item (each read a custody-ledger view)
    unseal: Unseal | None = (
        (lambda ids: vault.describe_many(case_id, ids, actor, "case file")) if vault else None
    )

    def work(session: Session, progress: jobs.Progress) -> dict[str, Any]:
        # the messages are matched to the named steps of a case file (dalil.jobs.steps)
        cf = casefile.build(
            session, home, case_id, audience, say=progress, sign=sign, unseal=unseal, lang=lang
        )
        progress("rendering " + fmt.upper())
        html = casefile.render_html(cf)
        data = casefile.render_pdf(html) if fmt == "pdf" else html.encode("utf-8")
        name = f"{cf.generated:%Y%m%dT%H%M%S}-{audience}.{fmt}"
        (folder / f".{name}.part").write_bytes(data)
        (folder / f".{name}.part").replace(folder / f"{case_id}-{name}")
        return {"file": name, "audience": audience, "format": fmt, "bytes": len(data),
                "lang": lang}  # fmt: skip

    runner: jobs.Runner = request.app.state.jobs
    job_id = runner.submit(case_id, "casefile", access.actor, work)
    return RedirectResponse(f"/cases/{case_id}/jobs/{job_id}", status_code=303)


@router.get("/cases/{case_id}/casefile/{job_id}")
def download_casefile(
    case_id: str, job_id: str, request: Request, s: SessionDep, access: CaseRead
) -> Response:
    job = jobs.get(s, case_id, job_id)
    result = job.result or {}
    if job.kind != "casefile" or job.state != "done" or "file" not in result:
        raise NotFound("no finished case file for this job", path="job_id")
    if result["audience"] != "internal":
        policy.require(s, access.who.user, case_id, "share")
    path = _folder(request) / f"{case_id}-{result['file']}"
    if not path.is_file():
        raise NotFound("the case file is no longer on the server; generate it again", path="job_id")
    return FileResponse(path, media_type=MEDIA[result["format"]],
                        filename=f"case-file-{result['file']}")  # fmt: skip
