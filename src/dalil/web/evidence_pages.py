"""The evidence screens: the gallery of a case, one item's page, its thumbnail, the upload
form and attaching an item to the records it supports.

Every route reaches its case through :func:`dalil.web.deps.case_access` (audited like the
API). Names, sources, notes, excerpts and thumbnails are sealed in the vault: they are
shown only when the server holds it (``request.app.state.vault``), and every one shown is
a custody ``view`` entry naming the signed-in user; without the vault the pages show
hashes and say why. Previews are made after the response is sent (a Starlette background
task), never while a person waits: see :mod:`dalil.vault.thumbnails`.

``POST /cases/{c}/evidence/{id}/attach`` is also the record pages' "attach evidence"
form: fields ``record_id`` (an id or a unique label such as a pseudonym), ``csrf`` and an
optional ``next``, a path on this site to return to.
"""

from __future__ import annotations

import threading
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup, escape
from starlette.background import BackgroundTask

from dalil.access import policy
from dalil.errors import NotFound, UserError
from dalil.model.words import Phrase
from dalil.vault.service import Vault
from dalil.web import api_evidence, auth, evidence_view, i18n
from dalil.web.deps import MAX_INDEX, Access, CaseRead, CaseWrite, SessionDep, VaultDep, render
from dalil.web.legal import say

router = APIRouter(include_in_schema=False)
PAGE = 48
HISTORY = 500  # the newest custody events an item's page lists (the API has them all)
Field = Annotated[str, Form(max_length=200)]


@pass_context
def message(context: Context, text: str) -> Markup:
    """An error message beside a form, in the page's language: a
    :class:`~dalil.model.words.Phrase` from its message with its value isolated, any other
    through the catalogue (as written when the catalogue has no Arabic for it)."""
    lang = str(context.get("lang") or "en")
    if isinstance(text, Phrase) and lang != "en":  # in English the sentence as it was made
        return say(text, lang)
    return escape(i18n.translator(lang)(text))


_making: set[str] = set()  # cases whose previews a background task is making
_making_lock = threading.Lock()


def _vault(request: Request) -> Vault | None:
    found: Vault | None = request.app.state.vault
    return found


def _make_previews(vault: Vault, case_id: str, actor: str) -> None:
    try:
        vault.make_missing_thumbnails(case_id, actor)
    finally:
        with _making_lock:
            _making.discard(case_id)


def previews_later(vault: Vault | None, case_id: str, actor: str) -> BackgroundTask | None:
    """A task that makes the case's missing previews after the response is sent (one at a
    time per case in this process), or ``None`` when one is already running."""
    if vault is None:
        return None
    with _making_lock:
        if case_id in _making:
            return None
        _making.add(case_id)
    return BackgroundTask(_make_previews, vault, case_id, actor)


@router.get("/cases/{case_id}/evidence", response_class=HTMLResponse)
def evidence(
    case_id: str,
    request: Request,
    s: SessionDep,
    access: CaseRead,
    added: Annotated[str, Query(max_length=64)] = "",
    page: Annotated[int, Query(ge=0, le=MAX_INDEX)] = 0,
) -> HTMLResponse:
    """The gallery: newest first, a card per item with its preview and what it is."""
    return _gallery(request, s, access, page, added)


def _gallery(
    request: Request, s: SessionDep, access: Access, page: int, added: str = "",
    error: UserError | None = None, typed: dict[str, str] | None = None,
) -> HTMLResponse:  # fmt: skip
    case_id, vault = access.case.id, _vault(request)
    items, total = evidence_view.items_page(s, case_id, page, PAGE)
    cards = evidence_view.cards(s, vault, case_id, access.actor, items, per_item=50)
    can_write = policy.allowed(s, access.who.user, case_id, "write")
    response = render(
        request, "evidence.html", access.who, case=access.case, cards=cards, total=total,
        page=page, pages=max(0, total - 1) // PAGE + 1, added=added, can_write=can_write,
        sealed=vault is None, error=error, typed=typed or {},
        choices=evidence_view.chooser(s, case_id) if can_write and vault else [],
        names_isolated=evidence_view.names_isolated, message=message,
    )  # fmt: skip
    response.status_code = 400 if error else 200
    if any(c.preview.status == "pending" for c in cards):
        response.background = previews_later(vault, case_id, access.actor)
    return response


@router.post("/cases/{case_id}/evidence")
def upload_evidence(
    case_id: str,
    request: Request,
    s: SessionDep,
    access: CaseWrite,
    vault: VaultDep,
    form: api_evidence.UploadForm,
) -> Response:
    """The gallery's upload form (the API's form and ingest), then back to the gallery with
    the new item marked; its preview is made after the redirect is sent. A refused upload
    comes back with the error beside the form, status 400, nothing stored."""
    try:
        item = api_evidence.ingest(request, access, vault, form)
    except UserError as err:
        typed = {"source": form.source or "", "notes": form.notes or "",
                 "record_id": form.record_id or ""}  # fmt: skip
        return _gallery(request, s, access, 0, error=err, typed=typed)
    return RedirectResponse(
        f"/cases/{case_id}/evidence?added={item.id}#item-{item.id}", 303,
        background=previews_later(vault, case_id, access.actor),
    )  # fmt: skip


@router.get("/cases/{case_id}/evidence/{item_id}", response_class=HTMLResponse)
def item_page(case_id: str, item_id: str, request: Request, s: SessionDep,
              access: CaseRead) -> HTMLResponse:  # fmt: skip
    """One item: its preview, what it is, the records it supports and its custody history."""
    return _item(request, s, access, item_id)


def _item(
    request: Request, s: SessionDep, access: Access, item_id: str,
    error: UserError | None = None, typed: dict[str, str] | None = None,
) -> HTMLResponse:  # fmt: skip
    case_id, vault = access.case.id, _vault(request)
    it = Vault.item(s, case_id, item_id)
    [card] = evidence_view.cards(s, vault, case_id, access.actor, [it], per_item=HISTORY)
    can_write = policy.allowed(s, access.who.user, case_id, "write")
    response = render(
        request, "evidence_item.html", access.who, case=access.case, card=card,
        sealed=vault is None, can_write=can_write, error=error, typed=typed or {},
        history_cap=HISTORY, names_isolated=evidence_view.names_isolated, message=message,
        choices=evidence_view.chooser(s, case_id) if can_write else [],
    )  # fmt: skip
    response.status_code = 400 if error else 200
    if card.preview.status == "pending":
        response.background = previews_later(vault, case_id, access.actor)
    return response


@router.get("/cases/{case_id}/evidence/{item_id}/thumbnail")
def thumbnail(case_id: str, item_id: str, access: CaseRead, vault: VaultDep) -> Response:
    """The item's thumbnail (JPEG), a custody ``view``; never cached by the browser or a
    proxy. 404 while it has none (not made yet, or a kind with no picture)."""
    data = vault.thumbnail(case_id, item_id, access.actor)
    if data is None:
        raise NotFound("this item has no thumbnail (yet)", path="item")
    return Response(data, media_type="image/jpeg",
                    headers={"Cache-Control": "private, no-store"})  # fmt: skip


def _link_form(
    request: Request, s: SessionDep, access: Access, vault: Vault, item_id: str,
    record_id: str, csrf: str, next_: str, detach: bool, label: str = "",
) -> Response:  # fmt: skip
    auth.check_csrf(request, access.who, csrf)
    case_id = access.case.id
    it = Vault.item(s, case_id, item_id)
    try:
        chosen = evidence_view.resolve_record(s, case_id, label.strip() or record_id)
        s.commit()  # the vault writes in its own transaction
        (vault.detach if detach else vault.attach)(case_id, it.id, chosen, access.actor)
    except UserError as err:
        typed = {"record_id": record_id, "label": label}
        return _item(request, s, access, it.id, error=err, typed=typed)
    back = evidence_view.same_site(next_, f"/cases/{case_id}/evidence/{it.id}")
    return RedirectResponse(back, 303)


@router.post("/cases/{case_id}/evidence/{item_id}/attach")
def attach(
    case_id: str, item_id: str, request: Request, s: SessionDep, access: CaseWrite,
    vault: VaultDep, record_id: Field = "", csrf: Field = "",
    next: Annotated[str, Form(max_length=2000)] = "", label: Field = "",
) -> Response:  # fmt: skip
    """Attach the item to a record of the case (a custody event), then back to ``next``.
    ``label`` (the item page's pseudonym field), when given, names the record instead."""
    return _link_form(request, s, access, vault, item_id, record_id, csrf, next, False, label)


@router.post("/cases/{case_id}/evidence/{item_id}/detach")
def detach(
    case_id: str, item_id: str, request: Request, s: SessionDep, access: CaseWrite,
    vault: VaultDep, record_id: Field = "", csrf: Field = "",
    next: Annotated[str, Form(max_length=2000)] = "",
) -> Response:  # fmt: skip
    """Detach the item from a record (a custody event), then back to ``next``."""
    return _link_form(request, s, access, vault, item_id, record_id, csrf, next, True)
