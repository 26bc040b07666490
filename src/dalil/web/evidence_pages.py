"""The evidence screen: a case's items with their custody history, and the upload form.

Reaches its case through :func:`dalil.web.deps.case_access` (audited like the API); the
upload is the API's form and ingest (:mod:`dalil.web.api_evidence`).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select

from dalil.access import audit, policy
from dalil.vault.tables import VaultItem
from dalil.web import api_evidence
from dalil.web.deps import CaseRead, CaseWrite, SessionDep, VaultDep, render

router = APIRouter(include_in_schema=False)


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


@router.post("/cases/{case_id}/evidence")
def upload_evidence(
    case_id: str,
    request: Request,
    access: CaseWrite,
    vault: VaultDep,
    form: api_evidence.UploadForm,
) -> Response:
    """The evidence page's upload form: the same form and ingest as the API, then back to
    the list with the new item marked."""
    item = api_evidence.ingest(request, access, vault, form)
    return RedirectResponse(f"/cases/{case_id}/evidence?added={item.id}#item-{item.id}", 303)
