"""Victim-list upload in the browser: the column mapping shown, every bad row listed,
nothing stored until every row is good and the person confirms.

Three steps, each a plain form (no JavaScript needed):

1. ``POST /cases/{c}/lists`` takes the file (CSV or XLSX) and a source name, keeps the
   bytes (see below) and answers with the preview: each column, what its first row holds
   and the field it will fill (guessed from its name by
   :func:`dalil.intake.list_preview.guess_mapping`, changeable with a select), and every
   bad row (row number, column, what is wrong) or the problem of the whole file.
2. ``POST /cases/{c}/lists/{upload}`` with ``step=check`` checks again under the mapping as
   changed; with ``step=import`` it checks again and, only when nothing is wrong, stores
   the list with :func:`dalil.linkage.service.import_list`, the very call behind ``dalil
   lists import``. A refused step answers 400 and writes nothing.

Where the bytes wait between the steps: in this server process's memory, keyed by a random
upload id and bound to the browser session (or API token user) and case that sent them, for
:data:`KEEP` seconds, at most :data:`PER_OWNER` uploads per owner. Not re-posted by the
browser (a file input cannot be filled in again without scripts, and a victim list in a
hidden field would travel, and sit in the page, once more), and not written to disk (a list
names victims; a temporary file would need its own encryption and clean-up). The cost: a
server restart, or a confirmation answered by another process of ``dalil serve --workers``,
finds nothing, and the page says to upload the file again.
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from dalil.access import policy
from dalil.errors import Conflict, InvalidInput, NotFound
from dalil.intake import list_preview
from dalil.intake.spreadsheets import Limits
from dalil.intake.victim_lists import FIELDS, REQUIRED
from dalil.linkage import service as linkage
from dalil.web import auth
from dalil.web.deps import Access, CaseRead, CaseWrite, SessionDep, render
from dalil.web.i18n import N_
from dalil.web.list_problems import said

router = APIRouter(include_in_schema=False)

#: seconds an upload waits for its confirmation
KEEP = 30 * 60
#: uploads one owner may have waiting (the oldest goes first)
PER_OWNER = 3
#: the import's answer to a source name the case has used, without the name (the form shows
#: it), so that the sentence can be translated; and the library's answer to an empty one
USED_SOURCE = N_("the case already has a list from this source; lists are immutable, so "
                 "import a new version under a new source name")  # fmt: skip
EMPTY_SOURCE = N_("a source name is required")
Csrf = Annotated[str, Form(max_length=200)]
Source = Annotated[str, Form(max_length=200)]


@dataclass
class Pending:
    owner: str
    case_id: str
    name: str
    data: bytes
    expires: float


class PendingUploads:
    """Uploaded lists waiting for their confirmation, in memory (see the module docstring)."""

    def __init__(self) -> None:
        self._items: dict[str, Pending] = {}
        self._lock = threading.Lock()

    def put(self, owner: str, case_id: str, name: str, data: bytes) -> str:
        key = secrets.token_urlsafe(16)
        now = time.monotonic()
        with self._lock:
            self._items = {k: p for k, p in self._items.items() if p.expires > now}
            mine = sorted((p.expires, k) for k, p in self._items.items() if p.owner == owner)
            for _, old in mine[: max(0, len(mine) - PER_OWNER + 1)]:
                del self._items[old]
            self._items[key] = Pending(owner, case_id, name, data, now + KEEP)
        return key

    def get(self, key: str, owner: str, case_id: str) -> Pending:
        with self._lock:
            found = self._items.get(key)
        if (
            found is None
            or found.expires <= time.monotonic()
            or (found.owner, found.case_id)
            != (
                owner,
                case_id,
            )
        ):
            raise NotFound(
                N_("this upload has expired or was made elsewhere; upload the file again"),
                path="file",
            )
        return found

    def drop(self, key: str) -> None:
        with self._lock:
            self._items.pop(key, None)


pending = PendingUploads()


def _owner(who: auth.Caller) -> str:
    """The browser session (or, for an API token, the user) an upload belongs to."""
    return f"s:{who.web_session.token_hash}" if who.web_session else f"u:{who.user.id}"


def _page(request: Request, s: SessionDep, access: Access, error: InvalidInput | None = None,
          typed: dict[str, str] | None = None) -> HTMLResponse:  # fmt: skip
    page = render(request, "lists_page.html", access.who, case=access.case,
                  lists=linkage.lists(s, access.case.id), error=error, typed=typed or {},
                  can_write=policy.allowed(s, access.who.user, access.case.id, "write"),
                  imported=request.query_params.get("imported", ""))  # fmt: skip
    if error:
        page.status_code = 400
    return page


@router.get("/cases/{case_id}/lists", response_class=HTMLResponse)
def lists_page(case_id: str, request: Request, s: SessionDep, access: CaseRead) -> HTMLResponse:
    return _page(request, s, access)


@router.post("/cases/{case_id}/lists")
def upload(
    case_id: str, request: Request, s: SessionDep, access: CaseWrite,
    file: Annotated[UploadFile, File()], source: Source = "", csrf: Csrf = "",
) -> Response:  # fmt: skip
    """Keep the file and show what it would import (nothing is stored yet)."""
    auth.check_csrf(request, access.who, csrf)
    limits = Limits.of(request.app.state.workspace.settings)
    name = Path(file.filename or "").name
    data = file.file.read(limits.max_bytes + 1)
    if not name or not data:
        return _page(request, s, access, InvalidInput(N_("choose a CSV or XLSX file"), path="file"),
                     {"source": source})  # fmt: skip
    key = pending.put(_owner(access.who), case_id, name, data)
    preview = list_preview.check(name, data, limits=limits)
    return _preview(request, access, key, preview, source.strip() or Path(name).stem)


def _preview(request: Request, access: Access, key: str, preview: list_preview.Preview,
             source: str, error: InvalidInput | None = None) -> HTMLResponse:  # fmt: skip
    page = render(request, "lists_preview.html", access.who, case=access.case, key=key,
                  preview=preview, source=source, fields=FIELDS, error=error,
                  required=REQUIRED, said=said)  # fmt: skip
    if error or not preview.ok:
        page.status_code = 400
    return page


@router.post("/cases/{case_id}/lists/{upload_id}")
def check_or_import(
    case_id: str, upload_id: str, request: Request, s: SessionDep, access: CaseWrite,
    source: Source = "", step: Annotated[str, Form(pattern="^(check|import)$")] = "check",
    field: Annotated[list[str] | None, Form()] = None, csrf: Csrf = "",
) -> Response:  # fmt: skip
    """Check the kept file again under the mapping as the form now has it (``field``: the
    field of each column, in the file's order) and, for ``step=import``, store it when
    nothing is wrong."""
    auth.check_csrf(request, access.who, csrf)
    try:
        kept = pending.get(upload_id, _owner(access.who), case_id)
    except NotFound as err:
        return _page(request, s, access, InvalidInput(err.message, path="file"))
    limits = Limits.of(request.app.state.workspace.settings)
    preview = list_preview.check(kept.name, kept.data, field or [], limits=limits)
    if step == "check" or preview.parsed is None:
        return _preview(request, access, upload_id, preview, source)
    try:
        stored = linkage.import_list(s, case_id, source, preview.parsed, access.actor)
    except (InvalidInput, Conflict) as err:
        s.rollback()
        message = USED_SOURCE if isinstance(err, Conflict) else err.message
        return _preview(request, access, upload_id, preview, source,
                        InvalidInput(message, path="source"))  # fmt: skip
    pending.drop(upload_id)
    return RedirectResponse(f"/cases/{case_id}/lists?imported={stored.id}", status_code=303)
